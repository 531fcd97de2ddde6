//! Generates `src/schema.rs`, the field tables intake's decoder walks (unknown fields, the
//! path of a type error), from k8s-openapi's own `Deserialize` impls, and checks that the
//! committed file is current. `INTAKE_BLESS=1 cargo test -p intake --test schema_gen`
//! rewrites it (review the diff).
//!
//! How: a probe `Deserializer` drives each root type's `Deserialize` impl. Every
//! `deserialize_struct(name, fields, visitor)` call names the struct and its JSON fields; the
//! probe then feeds the visitor one map holding every field, and each field's value is another
//! probe that learns the field's Rust type (`type_name::<V::Value>()`) from the call it gets
//! (`deserialize_option` → `Option<_>`, `deserialize_seq` → `Vec<_>`, `deserialize_map` →
//! `BTreeMap<String, _>`, anything else a leaf). The probe answers with valid values (empty
//! strings, zeros, a timestamp for `Time`, the right `apiVersion`/`kind` for resources), so
//! one pass visits every field. This code runs natively in this test only: the probe's
//! instantiations of the k8s-openapi types never reach the wasm bundle.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::any::type_name;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Display};

use k8s_openapi::Resource;
use serde::de::{
    self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor,
};

#[derive(Debug)]
struct E(String);
impl Display for E {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for E {}
impl de::Error for E {
    fn custom<T: Display>(msg: T) -> Self {
        E(msg.to_string())
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Def {
    Struct {
        name: &'static str,
        fields: Vec<(&'static str, String)>,
    },
    Opt(String),
    Seq(String),
    Map(String),
    Leaf,
}

/// Types with `apiVersion`/`kind` checks in their visitor: the values they demand.
fn gvk_of(ty: &str) -> Option<(&'static str, &'static str)> {
    use k8s_openapi::api::{apps, core, storage};
    macro_rules! table {
        ($($t:ty),*) => {
            $(if ty == type_name::<$t>() {
                return Some((<$t as Resource>::API_VERSION, <$t as Resource>::KIND));
            })*
        };
    }
    table!(
        apps::v1::StatefulSet,
        apps::v1::Deployment,
        apps::v1::ReplicaSet,
        core::v1::Service,
        storage::v1::StorageClass,
        core::v1::PersistentVolumeClaim,
        core::v1::PersistentVolume,
        core::v1::ConfigMap,
        core::v1::Secret,
        core::v1::Namespace,
        core::v1::Pod,
        core::v1::PodTemplate,
        k8s_openapi::api::policy::v1::PodDisruptionBudget
    );
    None
}

const TIMESTAMP: &str = "2000-01-01T00:00:00Z";

struct Reg {
    defs: RefCell<BTreeMap<String, Def>>,
    gvk: RefCell<BTreeMap<String, (&'static str, &'static str)>>,
}

/// One probe per value. `slot` receives the Rust type of the value it was asked for; `fixed`
/// is the string it answers with (apiVersion/kind of a resource).
struct Probe<'a> {
    reg: &'a Reg,
    slot: &'a RefCell<Option<String>>,
    fixed: Option<&'static str>,
    depth: usize,
}

impl<'a> Probe<'a> {
    fn note<'de, V: Visitor<'de>>(&self) -> Result<String, E> {
        if self.depth > 48 {
            return Err(E(format!("too deep at {}", type_name::<V::Value>())));
        }
        let t = type_name::<V::Value>().to_string();
        *self.slot.borrow_mut() = Some(t.clone());
        Ok(t)
    }
    fn leaf<'de, V: Visitor<'de>>(&self) -> Result<String, E> {
        let t = self.note::<V>()?;
        self.reg
            .defs
            .borrow_mut()
            .entry(t.clone())
            .or_insert(Def::Leaf);
        Ok(t)
    }
    fn child(&self, slot: &'a RefCell<Option<String>>, fixed: Option<&'static str>) -> Probe<'a> {
        Probe {
            reg: self.reg,
            slot,
            fixed,
            depth: self.depth + 1,
        }
    }
    fn text(&self) -> &'static str {
        self.fixed.unwrap_or(TIMESTAMP)
    }
}

macro_rules! ints {
    ($($m:ident => $v:ident),*) => {
        $(fn $m<V: Visitor<'de>>(self, v: V) -> Result<V::Value, E> {
            self.leaf::<V>()?;
            v.$v(0)
        })*
    };
}

impl<'de, 'a> Deserializer<'de> for Probe<'a> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, E> {
        self.leaf::<V>()?;
        v.visit_str(self.text())
    }
    fn deserialize_bool<V: Visitor<'de>>(self, v: V) -> Result<V::Value, E> {
        self.leaf::<V>()?;
        v.visit_bool(false)
    }
    ints!(deserialize_i8 => visit_i8, deserialize_i16 => visit_i16, deserialize_i32 => visit_i32,
          deserialize_i64 => visit_i64, deserialize_u8 => visit_u8, deserialize_u16 => visit_u16,
          deserialize_u32 => visit_u32, deserialize_u64 => visit_u64);
    fn deserialize_f32<V: Visitor<'de>>(self, v: V) -> Result<V::Value, E> {
        self.leaf::<V>()?;
        v.visit_f32(0.0)
    }
    fn deserialize_f64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, E> {
        self.leaf::<V>()?;
        v.visit_f64(0.0)
    }
    fn deserialize_char<V: Visitor<'de>>(self, v: V) -> Result<V::Value, E> {
        self.leaf::<V>()?;
        v.visit_char('x')
    }
    fn deserialize_str<V: Visitor<'de>>(self, v: V) -> Result<V::Value, E> {
        self.leaf::<V>()?;
        v.visit_str(self.text())
    }
    fn deserialize_string<V: Visitor<'de>>(self, v: V) -> Result<V::Value, E> {
        self.leaf::<V>()?;
        v.visit_str(self.text())
    }
    fn deserialize_bytes<V: Visitor<'de>>(self, v: V) -> Result<V::Value, E> {
        self.leaf::<V>()?;
        v.visit_bytes(&[])
    }
    fn deserialize_byte_buf<V: Visitor<'de>>(self, v: V) -> Result<V::Value, E> {
        self.leaf::<V>()?;
        v.visit_bytes(&[])
    }
    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, E> {
        let t = self.note::<V>()?;
        if !t.starts_with("core::option::Option<") {
            // ByteString reads `null` itself: a leaf
            self.reg.defs.borrow_mut().entry(t).or_insert(Def::Leaf);
            return v.visit_none();
        }
        let inner = RefCell::new(None);
        let out = v.visit_some(self.child(&inner, self.fixed))?;
        let inner = inner
            .into_inner()
            .ok_or_else(|| E(format!("{t}: no inner type")))?;
        self.reg
            .defs
            .borrow_mut()
            .entry(t)
            .or_insert(Def::Opt(inner));
        Ok(out)
    }
    fn deserialize_unit<V: Visitor<'de>>(self, v: V) -> Result<V::Value, E> {
        self.leaf::<V>()?;
        v.visit_unit()
    }
    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        v: V,
    ) -> Result<V::Value, E> {
        self.leaf::<V>()?;
        v.visit_unit()
    }
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        v: V,
    ) -> Result<V::Value, E> {
        // Quantity, Time, MicroTime: leaves with their own parsing
        self.leaf::<V>()?;
        let sink = RefCell::new(None);
        let reg = Reg {
            defs: RefCell::new(BTreeMap::new()),
            gvk: RefCell::new(BTreeMap::new()),
        };
        v.visit_newtype_struct(Probe {
            reg: &reg,
            slot: &sink,
            fixed: None,
            depth: self.depth + 1,
        })
    }
    fn deserialize_seq<V: Visitor<'de>>(self, v: V) -> Result<V::Value, E> {
        let t = self.note::<V>()?;
        let elem = RefCell::new(None);
        let out = v.visit_seq(OneElement {
            probe: Some(self.child(&elem, None)),
        })?;
        let elem = elem
            .into_inner()
            .ok_or_else(|| E(format!("{t}: no element type")))?;
        self.reg
            .defs
            .borrow_mut()
            .entry(t)
            .or_insert(Def::Seq(elem));
        Ok(out)
    }
    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, _: V) -> Result<V::Value, E> {
        Err(E(format!("tuple at {}", type_name::<V::Value>())))
    }
    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        _: V,
    ) -> Result<V::Value, E> {
        Err(E(format!("tuple struct at {}", type_name::<V::Value>())))
    }
    fn deserialize_map<V: Visitor<'de>>(self, v: V) -> Result<V::Value, E> {
        let t = self.note::<V>()?;
        let val = RefCell::new(None);
        let out = v.visit_map(Entries {
            entries: vec![("k", self.child(&val, None))],
            pending: None,
        })?;
        let val = val
            .into_inner()
            .ok_or_else(|| E(format!("{t}: no value type")))?;
        self.reg.defs.borrow_mut().entry(t).or_insert(Def::Map(val));
        Ok(out)
    }
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, E> {
        let t = self.note::<V>()?;
        let gvk = gvk_of(&t);
        // (a resource missing from `gvk_of` fails below: its visitor refuses our apiVersion)
        if let Some(g) = gvk {
            self.reg.gvk.borrow_mut().insert(t.clone(), g);
        }
        let slots: Vec<RefCell<Option<String>>> =
            fields.iter().map(|_| RefCell::new(None)).collect();
        let entries = fields
            .iter()
            .zip(&slots)
            .map(|(f, s)| {
                let fixed = match (*f, gvk) {
                    ("apiVersion", Some((av, _))) => Some(av),
                    ("kind", Some((_, k))) => Some(k),
                    _ => None,
                };
                (*f, self.child(s, fixed))
            })
            .collect();
        let out = v.visit_map(Entries {
            entries,
            pending: None,
        })?;
        let mut fs = Vec::new();
        for (f, s) in fields.iter().zip(slots) {
            let ty = s
                .into_inner()
                .ok_or_else(|| E(format!("{t}.{f}: never read")))?;
            fs.push((*f, ty));
        }
        self.reg
            .defs
            .borrow_mut()
            .entry(t)
            .or_insert(Def::Struct { name, fields: fs });
        Ok(out)
    }
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, E> {
        Err(E(format!("enum at {}", type_name::<V::Value>())))
    }
    fn deserialize_identifier<V: Visitor<'de>>(self, v: V) -> Result<V::Value, E> {
        v.visit_str(self.text())
    }
    fn deserialize_ignored_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, E> {
        v.visit_unit()
    }
}

struct OneElement<'a> {
    probe: Option<Probe<'a>>,
}
impl<'de, 'a> SeqAccess<'de> for OneElement<'a> {
    type Error = E;
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, E> {
        match self.probe.take() {
            Some(p) => seed.deserialize(p).map(Some),
            None => Ok(None),
        }
    }
}

struct Entries<'a> {
    entries: Vec<(&'static str, Probe<'a>)>,
    pending: Option<Probe<'a>>,
}
impl<'de, 'a> MapAccess<'de> for Entries<'a> {
    type Error = E;
    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, E> {
        if self.entries.is_empty() {
            return Ok(None);
        }
        let (k, p) = self.entries.remove(0);
        self.pending = Some(p);
        let kd: de::value::StrDeserializer<'_, E> = k.into_deserializer();
        seed.deserialize(kd).map(Some)
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, E> {
        let p = self
            .pending
            .take()
            .ok_or_else(|| E("value before key".into()))?;
        seed.deserialize(p)
    }
}

fn probe<T: for<'de> de::Deserialize<'de>>(reg: &Reg) -> String {
    let slot = RefCell::new(None);
    let r = T::deserialize(Probe {
        reg,
        slot: &slot,
        fixed: None,
        depth: 0,
    });
    if let Err(e) = r {
        panic!("probe of {} failed: {e}", type_name::<T>());
    }
    slot.into_inner().expect("root type")
}

/// `k8s_openapi::v1_35::api::core::v1::container::Container` → `k8s_openapi::api::core::v1::Container`.
fn rust_path(t: &str) -> String {
    let mut out = String::new();
    let mut tok = String::new();
    let flush = |tok: &mut String, out: &mut String| {
        if tok.is_empty() {
            return;
        }
        let p = match tok.as_str() {
            "core::option::Option" => "Option".to_string(),
            "alloc::vec::Vec" => "Vec".to_string(),
            "alloc::string::String" => "String".to_string(),
            "alloc::collections::btree::map::BTreeMap" => "std::collections::BTreeMap".to_string(),
            "k8s_openapi::_byte_string::ByteString" => "k8s_openapi::ByteString".to_string(),
            "serde_json::value::Value" => "serde_json::Value".to_string(),
            s if s.starts_with("k8s_openapi::v1_") => {
                let mut segs: Vec<&str> = s.split("::").collect();
                segs.remove(1);
                let n = segs.len();
                if n >= 3 {
                    segs.remove(n - 2);
                }
                segs.join("::")
            }
            s => s.to_string(),
        };
        out.push_str(&p);
        tok.clear();
    };
    for c in t.chars() {
        if matches!(c, '<' | '>' | ',' | ' ') {
            flush(&mut tok, &mut out);
            out.push(c);
        } else {
            tok.push(c);
        }
    }
    flush(&mut tok, &mut out);
    out
}

/// The roots: every kind intake decodes (`decode::SUPPORTED`), plus `ObjectMeta` (kubectl
/// decodes metadata itself before sending).
fn roots(reg: &Reg) -> Vec<(&'static str, String)> {
    use k8s_openapi::api::{apps, core, storage};
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
    vec![
        ("StatefulSet", probe::<apps::v1::StatefulSet>(reg)),
        ("Deployment", probe::<apps::v1::Deployment>(reg)),
        ("ReplicaSet", probe::<apps::v1::ReplicaSet>(reg)),
        ("Service", probe::<core::v1::Service>(reg)),
        ("StorageClass", probe::<storage::v1::StorageClass>(reg)),
        (
            "PersistentVolumeClaim",
            probe::<core::v1::PersistentVolumeClaim>(reg),
        ),
        ("PersistentVolume", probe::<core::v1::PersistentVolume>(reg)),
        ("ConfigMap", probe::<core::v1::ConfigMap>(reg)),
        ("Secret", probe::<core::v1::Secret>(reg)),
        ("Namespace", probe::<core::v1::Namespace>(reg)),
        (
            "PodDisruptionBudget",
            probe::<k8s_openapi::api::policy::v1::PodDisruptionBudget>(reg),
        ),
        ("ObjectMeta", probe::<ObjectMeta>(reg)),
    ]
}

fn generate() -> String {
    let reg = Reg {
        defs: RefCell::new(BTreeMap::new()),
        gvk: RefCell::new(BTreeMap::new()),
    };
    let roots = roots(&reg);
    let defs = reg.defs.borrow();
    let gvks = reg.gvk.borrow();
    // reachable types, in a stable order (sorted by Rust type)
    let mut reach = BTreeSet::new();
    let mut todo: Vec<String> = roots.iter().map(|(_, t)| t.clone()).collect();
    while let Some(t) = todo.pop() {
        if !reach.insert(t.clone()) {
            continue;
        }
        match defs.get(&t) {
            Some(Def::Struct { fields, .. }) => todo.extend(fields.iter().map(|(_, f)| f.clone())),
            Some(Def::Opt(i) | Def::Seq(i) | Def::Map(i)) => todo.push(i.clone()),
            Some(Def::Leaf) => {}
            None => panic!("no definition for {t}"),
        }
    }
    let ids: BTreeMap<&String, usize> = reach.iter().enumerate().map(|(i, t)| (t, i)).collect();
    let id = |t: &String| format!("T{}", ids[t]);
    let mut s = String::new();
    s.push_str(
        "// @generated by `INTAKE_BLESS=1 cargo test -p intake --test schema_gen` from k8s-openapi's\n\
         // `Deserialize` impls (see tests/schema_gen.rs). Do not edit by hand.\n\
         //! The JSON shape of every type intake decodes: struct fields, options, lists, maps and\n\
         //! leaves, each leaf and struct with the typed decode of its Rust type.\n\n\
         #![allow(clippy::all)]\n\n\
         use crate::walk::{Struct, Ty, dec};\n\n",
    );
    s.push_str("/// (kind, root type) for every kind intake decodes, and `ObjectMeta`.\n");
    s.push_str("pub(crate) static ROOTS: &[(&str, &Ty)] = &[\n");
    for (k, t) in &roots {
        s.push_str(&format!("    ({k:?}, &{}),\n", id(t)));
    }
    s.push_str("];\n");
    for t in &reach {
        let rp = rust_path(t);
        s.push_str(&format!("\n// {rp}\n"));
        match &defs[t] {
            Def::Struct { name, fields } => {
                let gvk = match gvks.get(t) {
                    Some((a, k)) => format!("Some(({a:?}, {k:?}))"),
                    None => "None".into(),
                };
                s.push_str(&format!(
                    "// {name}\nstatic {}: Ty = Ty::Struct(&Struct {{\n    gvk: {gvk},\n    decode: dec::<{rp}>,\n    fields: &[\n",
                    id(t)
                ));
                for (f, ft) in fields {
                    s.push_str(&format!("        ({f:?}, &{}),\n", id(ft)));
                }
                s.push_str("    ],\n});\n");
            }
            Def::Opt(i) => s.push_str(&format!("static {}: Ty = Ty::Opt(&{});\n", id(t), id(i))),
            Def::Seq(i) => s.push_str(&format!("static {}: Ty = Ty::Seq(&{});\n", id(t), id(i))),
            Def::Map(i) => s.push_str(&format!("static {}: Ty = Ty::Map(&{});\n", id(t), id(i))),
            Def::Leaf => s.push_str(&format!("static {}: Ty = Ty::Leaf(dec::<{rp}>);\n", id(t))),
        }
    }
    s
}

#[test]
fn schema_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/schema.rs");
    let want = generate();
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    if have != want {
        if std::env::var_os("INTAKE_BLESS").is_some() {
            std::fs::write(&path, want).expect("write src/schema.rs");
        } else {
            panic!(
                "src/schema.rs is not what k8s-openapi's types give; run \
                 `INTAKE_BLESS=1 cargo test -p intake --test schema_gen` and review the diff"
            );
        }
    }
}

#[test]
fn paths_are_public() {
    assert_eq!(
        rust_path(
            "core::option::Option<alloc::vec::Vec<k8s_openapi::v1_35::api::core::v1::container::Container>>"
        ),
        "Option<Vec<k8s_openapi::api::core::v1::Container>>"
    );
    assert_eq!(
        rust_path(
            "alloc::collections::btree::map::BTreeMap<alloc::string::String, k8s_openapi::v1_35::apimachinery::pkg::api::resource::quantity::Quantity>"
        ),
        "std::collections::BTreeMap<String, k8s_openapi::apimachinery::pkg::api::resource::Quantity>"
    );
}

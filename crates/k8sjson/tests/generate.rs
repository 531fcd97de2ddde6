//! Generates `src/generated.rs` (the `Json` impls of every k8s-openapi struct reachable from
//! [`ROOTS`]) from k8s-openapi's own generated sources, and checks that the committed file is
//! current. `K8SJSON_BLESS=1 cargo test -p k8sjson --test generate` rewrites it (review the
//! diff).
//!
//! k8s-openapi's impls are regular (they are generated too), so a line-based reading is
//! enough, and anything unexpected fails loudly:
//! * the struct: `pub rust_name: Type,` per field, and whether it derives `Default`;
//! * `Deserialize`: the field identifiers (`"jsonName" => Field::Key_rust_name`), the
//!   visitor's `expecting` text, the `apiVersion`/`kind` checks of a resource, and how each
//!   field is finished (`value.unwrap_or_default()`: required; `value`: optional;
//!   `value.ok_or_else(missing_field)`: required without a default);
//! * `Serialize`: which fields are written always and which only when `Some`.
//!
//! Types without a `visit_map` (newtypes and enums: `Quantity`, `Time`, `IntOrString`, …) are
//! leaves: `src/lib.rs` implements them through serde.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The types the playground converts (every kind it stores, and the parts it converts on
/// their own); everything their fields reach is generated too.
const ROOTS: &[&str] = &[
    "api::apps::v1::StatefulSet",
    "api::apps::v1::Deployment",
    "api::apps::v1::ReplicaSet",
    "api::apps::v1::ControllerRevision",
    "api::core::v1::Service",
    "api::core::v1::Pod",
    "api::core::v1::PersistentVolumeClaim",
    "api::core::v1::PersistentVolume",
    "api::core::v1::ConfigMap",
    "api::core::v1::Secret",
    "api::core::v1::Namespace",
    "api::core::v1::Node",
    "api::core::v1::Event",
    "api::core::v1::Endpoints",
    "api::core::v1::PodTemplate",
    "api::storage::v1::StorageClass",
    "api::discovery::v1::EndpointSlice",
    "api::coordination::v1::Lease",
    "api::policy::v1::PodDisruptionBudget",
];

/// Leaves implemented in `src/lib.rs` (through serde).
const LEAVES: &[&str] = &[
    "apimachinery::pkg::api::resource::Quantity",
    "apimachinery::pkg::apis::meta::v1::Time",
    "apimachinery::pkg::apis::meta::v1::MicroTime",
    "apimachinery::pkg::apis::meta::v1::FieldsV1",
    "apimachinery::pkg::runtime::RawExtension",
    "apimachinery::pkg::util::intstr::IntOrString",
];

fn k8s_openapi_src() -> PathBuf {
    let out = std::process::Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata");
    assert!(out.status.success(), "cargo metadata failed");
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let want = cargo_lock_version();
    for p in meta["packages"].as_array().unwrap() {
        if p["name"] == "k8s-openapi" && p["version"] == want.as_str() {
            let manifest = PathBuf::from(p["manifest_path"].as_str().unwrap());
            return manifest.parent().unwrap().join("src/v1_35");
        }
    }
    panic!("k8s-openapi {want} not found by cargo metadata");
}

fn cargo_lock_version() -> String {
    let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../Cargo.lock");
    let text = std::fs::read_to_string(lock).unwrap();
    let mut lines = text.lines();
    while let Some(l) = lines.next() {
        if l == "name = \"k8s-openapi\"" {
            let v = lines.next().unwrap();
            return v
                .trim_start_matches("version = \"")
                .trim_end_matches('"')
                .to_string();
        }
    }
    panic!("k8s-openapi not in Cargo.lock");
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Finish {
    /// `value.unwrap_or_default()`
    Required,
    /// `value`
    Optional,
    /// `value.ok_or_else(|| missing_field(json))?`
    Present,
}

#[derive(Debug)]
struct Field {
    json: String,
    rust: String,
    ty: String,
    finish: Finish,
    /// The visitor reads the value as `T` (`value = Some(next_value()?)`), not as `Option<T>`.
    some: bool,
}

#[derive(Debug)]
struct Struct {
    /// public path below the crate root, e.g. `api::core::v1::Pod`
    path: String,
    expecting: String,
    resource: bool,
    default: bool,
    fields: Vec<Field>,
}

/// The file defining `name` in the module directory `dir`.
fn find_file(dir: &Path, name: &str) -> PathBuf {
    let mut hits = Vec::new();
    for e in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "rs") {
            let text = std::fs::read_to_string(&p).unwrap();
            if text.lines().any(|l| {
                l.starts_with(&format!("pub struct {name} "))
                    || l.starts_with(&format!("pub struct {name}("))
                    || l.starts_with(&format!("pub enum {name} "))
            }) {
                hits.push(p);
            }
        }
    }
    assert_eq!(hits.len(), 1, "{name} in {}: {hits:?}", dir.display());
    hits.pop().unwrap()
}

/// `crate::a::b::Name` paths a field type names.
fn crate_paths(ty: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = ty;
    while let Some(i) = rest.find("crate::") {
        let tail = &rest[i + "crate::".len()..];
        let end = tail
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
            .unwrap_or(tail.len());
        out.push(tail[..end].to_string());
        rest = &tail[end..];
    }
    out
}

fn parse(src: &Path, path: &str) -> Option<Struct> {
    let (module, name) = path.rsplit_once("::").unwrap();
    let file = find_file(&src.join(module.replace("::", "/")), name);
    let text = std::fs::read_to_string(&file).unwrap();
    if !text.contains("fn visit_map") {
        return None;
    }
    let lines: Vec<&str> = text.lines().collect();
    let start = lines
        .iter()
        .position(|l| *l == format!("pub struct {name} {{"))
        .unwrap_or_else(|| panic!("{path}: struct line"));
    let derive = lines[start - 1];
    assert!(derive.starts_with("#[derive("), "{path}: {derive}");
    let default = derive.contains("Default");
    // struct fields: rust name → type
    let mut tys: Vec<(String, String)> = Vec::new();
    for l in &lines[start + 1..] {
        if *l == "}" {
            break;
        }
        let t = l.trim();
        if t.is_empty() || t.starts_with("///") || t.starts_with("#[") {
            continue;
        }
        let body = t
            .strip_prefix("pub ")
            .and_then(|b| b.strip_suffix(','))
            .unwrap_or_else(|| panic!("{path}: field line {t:?}"));
        let (n, ty) = body.split_once(": ").unwrap();
        tys.push((n.to_string(), ty.to_string()));
    }
    // field identifiers
    let mut json_of: BTreeMap<String, String> = BTreeMap::new();
    for l in &lines {
        let t = l.trim();
        if let Some((j, r)) = t.split_once("\" => Field::Key_")
            && let Some(j) = j.strip_prefix('"')
        {
            json_of.insert(r.trim_end_matches(',').to_string(), j.to_string());
        }
    }
    let resource = text.contains("Field::Key_api_version => {");
    // expecting: the struct visitor's (not the field identifier's)
    let mut expecting = None;
    for (i, l) in lines.iter().enumerate() {
        if l.trim().starts_with("fn expecting(") {
            let body = lines[i + 1].trim();
            let e = body
                .strip_prefix("f.write_str(")
                .and_then(|b| b.strip_suffix(')'))
                .unwrap_or_else(|| panic!("{path}: expecting {body:?}"));
            if e != "\"field identifier\"" {
                assert!(expecting.is_none(), "{path}: two expectings");
                expecting = Some(if e == "<Self::Value as crate::Resource>::KIND" {
                    assert!(resource, "{path}: KIND expecting without a resource");
                    "KIND".to_string()
                } else {
                    e.trim_matches('"').to_string()
                });
            }
        }
    }
    let expecting = expecting.unwrap_or_else(|| panic!("{path}: no expecting"));
    // how the visitor finishes each field, and whether Serialize writes it only when Some
    let mut fields = Vec::new();
    for (rust, ty) in tys {
        let plain = format!("{rust}: value_{rust},");
        let req = format!("{rust}: value_{rust}.unwrap_or_default(),");
        let pres = format!("{rust}: value_{rust}.ok_or_else(||");
        let finish = if lines.iter().any(|l| l.trim() == plain) {
            Finish::Optional
        } else if lines.iter().any(|l| l.trim() == req) {
            Finish::Required
        } else if lines.iter().any(|l| l.trim().starts_with(&pres)) {
            Finish::Present
        } else {
            panic!("{path}.{rust}: how is it finished?")
        };
        let json = json_of
            .get(&rust)
            .unwrap_or_else(|| panic!("{path}.{rust}: no identifier"))
            .clone();
        let ser_some = format!("if let Some(value) = &self.{rust} {{");
        let ser_always = format!(
            "crate::serde::ser::SerializeStruct::serialize_field(&mut state, \"{json}\", &self.{rust})?;"
        );
        let ser_optional = if lines.iter().any(|l| l.trim() == ser_some) {
            true
        } else if lines.iter().any(|l| l.trim() == ser_always) {
            false
        } else {
            panic!("{path}.{rust}: how is it serialized?")
        };
        assert_eq!(
            ser_optional,
            finish == Finish::Optional,
            "{path}.{rust}: optional in one direction only"
        );
        let arm = format!("Field::Key_{rust} => value_{rust} = ");
        let arm_line = lines
            .iter()
            .map(|l| l.trim())
            .find(|l| l.starts_with(&arm))
            .unwrap_or_else(|| panic!("{path}.{rust}: no visitor arm"));
        let some = match &arm_line[arm.len()..] {
            "crate::serde::de::MapAccess::next_value(&mut map)?," => false,
            "Some(crate::serde::de::MapAccess::next_value(&mut map)?)," => true,
            other => panic!("{path}.{rust}: visitor arm {other:?}"),
        };
        assert!(
            !some || finish == Finish::Present,
            "{path}.{rust}: Some(..) arm"
        );
        fields.push(Field {
            json,
            rust,
            ty,
            finish,
            some,
        });
    }
    // every identifier is a field (apiVersion/kind of a resource aside)
    for r in json_of.keys() {
        assert!(
            fields.iter().any(|f| &f.rust == r)
                || (resource && (r == "api_version" || r == "kind")),
            "{path}: identifier {r} without a field"
        );
    }
    Some(Struct {
        path: path.to_string(),
        expecting,
        resource,
        default,
        fields,
    })
}

fn generate() -> String {
    let src = k8s_openapi_src();
    let mut structs: BTreeMap<String, Struct> = BTreeMap::new();
    let mut leaves: BTreeSet<String> = BTreeSet::new();
    let mut todo: Vec<String> = ROOTS.iter().map(|s| s.to_string()).collect();
    let mut seen = BTreeSet::new();
    while let Some(p) = todo.pop() {
        if p == "ByteString" || p.starts_with("serde_json::") || !seen.insert(p.clone()) {
            continue;
        }
        match parse(&src, &p) {
            Some(s) => {
                for f in &s.fields {
                    todo.extend(crate_paths(&f.ty));
                }
                structs.insert(p, s);
            }
            None => {
                leaves.insert(p);
            }
        }
    }
    let known: BTreeSet<String> = LEAVES.iter().map(|s| s.to_string()).collect();
    assert_eq!(
        leaves, known,
        "leaves changed: implement the new ones in src/lib.rs (through serde) and list them in LEAVES"
    );
    let mut s = String::new();
    s.push_str(
        "// @generated by `K8SJSON_BLESS=1 cargo test -p k8sjson --test generate` from\n\
         // k8s-openapi's sources (see tests/generate.rs). Do not edit by hand.\n\
         //! `Json` for every k8s-openapi struct the playground converts: what their `Deserialize`\n\
         //! and `Serialize` impls do with a `serde_json::Value`, and nothing else.\n\n\
         #![allow(clippy::all)]\n\n\
         use crate::{Json, Shape, Table, fields, present, slot, table_json, to_table};\n\
         use k8s_openapi::Resource;\n\
         use serde_json::{Error, Value};\n",
    );
    for st in structs.values() {
        let t = format!("k8s_openapi::{}", st.path);
        let exp = if st.expecting == "KIND" {
            "Self::KIND".to_string()
        } else {
            format!("{:?}", st.expecting)
        };
        // the keys the visitor knows, in one table (a resource's apiVersion and kind first)
        let mut names: Vec<String> = Vec::new();
        if st.resource {
            names.push("apiVersion".into());
            names.push("kind".into());
        }
        names.extend(st.fields.iter().map(|f| f.json.clone()));
        let list = names
            .iter()
            .map(|n| format!("{n:?}"))
            .collect::<Vec<_>>()
            .join(", ");
        let use_default = st.default && st.fields.iter().all(|f| f.finish != Finish::Present);
        // the table: one slot per field, in Serialize's order
        let _ = writeln!(
            s,
            "\n// SAFETY: every slot is made by `slot!` for a field of `Self`"
        );
        let _ = writeln!(s, "unsafe impl Table for {t} {{");
        let _ = writeln!(s, "    const SHAPE: &'static Shape = &Shape {{");
        let _ = writeln!(s, "        expecting: {exp},");
        if st.resource {
            let _ = writeln!(
                s,
                "        resource: Some((Self::API_VERSION, Self::KIND)),"
            );
        } else {
            let _ = writeln!(s, "        resource: None,");
        }
        let _ = writeln!(s, "        slots: &[");
        for f in &st.fields {
            let how = match f.finish {
                Finish::Optional => "opt",
                Finish::Required => "req",
                Finish::Present => "present",
            };
            let _ = writeln!(
                s,
                "            slot!({how}, {:?}, Self, {}),",
                f.json, f.rust
            );
        }
        let _ = writeln!(s, "        ],");
        let _ = writeln!(s, "    }};");
        let _ = writeln!(s, "}}");
        if use_default {
            let _ = writeln!(s, "\nimpl Json for {t} {{");
            let _ = writeln!(s, "    table_json!();");
            let _ = writeln!(s, "}}");
            continue;
        }
        let _ = writeln!(s, "\nimpl Json for {t} {{");
        let _ = writeln!(s, "    fn from_json(v: Value) -> Result<Self, Error> {{");
        // a field without a default (`missing field` when absent): k8s-openapi keeps an
        // `Option<T>` per field and builds the struct at the end
        assert!(!st.resource, "{}: a resource without a default", st.path);
        for f in &st.fields {
            let _ = writeln!(s, "        let mut f_{} = None;", f.rust);
        }
        let _ = writeln!(
            s,
            "        fields(v, {exp}, &[{list}], &mut |i: usize, v: Value| -> Result<(), Error> {{"
        );
        let _ = writeln!(s, "            match i {{");
        for (i, f) in st.fields.iter().enumerate() {
            let arm = if f.some {
                // read as `T`: a null is T's error, not `None`
                format!("f_{} = Some(Json::from_json(v)?)", f.rust)
            } else {
                format!("f_{} = Json::from_json(v)?", f.rust)
            };
            let _ = writeln!(s, "                {i} => {arm},");
        }
        let _ = writeln!(s, "                _ => {{}}");
        let _ = writeln!(s, "            }}");
        let _ = writeln!(s, "            Ok(())");
        let _ = writeln!(s, "        }})?;");
        let _ = writeln!(s, "        Ok(Self {{");
        for f in &st.fields {
            let v = match f.finish {
                Finish::Optional => format!("f_{}", f.rust),
                Finish::Required => format!("f_{}.unwrap_or_default()", f.rust),
                Finish::Present => format!("present(f_{}, {:?})?", f.rust, f.json),
            };
            let _ = writeln!(s, "            {}: {v},", f.rust);
        }
        let _ = writeln!(s, "        }})");
        let _ = writeln!(s, "    }}");
        let _ = writeln!(s, "    fn to_json(&self) -> Value {{");
        let _ = writeln!(s, "        to_table(self)");
        let _ = writeln!(s, "    }}");
        let _ = writeln!(s, "    fn dup(&self) -> Self {{");
        let _ = writeln!(s, "        self.clone()");
        let _ = writeln!(s, "    }}");
        let _ = writeln!(s, "}}");
    }
    // the shapes, for the oracle test's random objects
    s.push_str(
        "\n/// Every generated struct's JSON fields and their Rust types (for `tests/oracle.rs`).\n\
         #[doc(hidden)]\n\
         pub static SHAPES: &[(&str, &[(&str, &str)])] = &[\n",
    );
    for st in structs.values() {
        let _ = writeln!(s, "    ({:?}, &[", st.path);
        for f in &st.fields {
            let ty =
                f.ty.replace("crate::", "")
                    .replace("std::string::", "")
                    .replace("std::vec::", "")
                    .replace("std::collections::", "");
            let _ = writeln!(s, "        ({:?}, {:?}),", f.json, ty);
        }
        let _ = writeln!(s, "    ]),");
    }
    s.push_str("];\n");
    s
}

#[test]
fn generated_code_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/generated.rs");
    let want = generate();
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    if have != want {
        if std::env::var_os("K8SJSON_BLESS").is_some() {
            std::fs::write(&path, want).expect("write src/generated.rs");
        } else {
            panic!(
                "src/generated.rs is not what k8s-openapi's sources give; run \
                 `K8SJSON_BLESS=1 cargo test -p k8sjson --test generate` and review the diff"
            );
        }
    }
}

//! One decoding path for typed objects: a document (already a JSON tree) becomes a typed
//! object through `k8sjson::from_value` (`serde_json::from_value`'s behaviour and messages, in
//! far less code), the one decoder the whole playground uses for k8s-openapi types (the
//! simulation and kubectl call it too, so its code exists once in the bundle). What a strict, path-reporting decoder would add is found by walking the same tree
//! against [`crate::schema`] (generated from k8s-openapi's `Deserialize` impls):
//!
//! * unknown fields, in the order serde visits them (the keys of a `serde_json::Map` are sorted);
//! * the path of a decode error: serde stops at the first failing field in that same order, so
//!   the walk descends into the first child that fails to decode on its own, until no child
//!   fails (the error is then the node's own: wrong type, `missing field`, a resource's
//!   `apiVersion`/`kind` check).
//!
//! The error *message* is always the decoder's own; only its place is computed here.

use serde_json::Value;

/// Decode a value as one Rust type and drop it: `Err` is serde_json's error for that value.
pub(crate) type Decode = fn(Value) -> Result<(), serde_json::Error>;

/// (`k8sjson::Json::check`: a k8s-openapi struct is read into its default and dropped there,
/// the per-type part of this check kept small: bundle size, issue #17.)
pub(crate) fn dec<T: k8sjson::Json>(v: Value) -> Result<(), serde_json::Error> {
    T::check(v)
}

/// The JSON shape of a Rust type as its `Deserialize` impl reads it.
pub(crate) enum Ty {
    /// A k8s-openapi struct: a JSON object whose unknown keys are ignored.
    Struct(&'static Struct),
    /// `Option<T>`: `null` is `None`.
    Opt(&'static Ty),
    /// `Vec<T>`: a JSON array.
    Seq(&'static Ty),
    /// `BTreeMap<String, T>`: a JSON object with any keys.
    Map(&'static Ty),
    /// Anything else (strings, numbers, Quantity, IntOrString, Time, ByteString, ...).
    Leaf(Decode),
}

pub(crate) struct Struct {
    /// For resource types: the `apiVersion` and `kind` their visitor insists on.
    pub gvk: Option<(&'static str, &'static str)>,
    pub decode: Decode,
    /// JSON field name → its type.
    pub fields: &'static [(&'static str, &'static Ty)],
}

impl Struct {
    fn field(&self, key: &str) -> Option<&'static Ty> {
        self.fields
            .iter()
            .find(|(name, _)| *name == key)
            .map(|(_, ty)| *ty)
    }
}

/// One step of a field path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// kubectl-style path: `spec.template.spec.containers[0].image`.
pub fn kube_path(segs: &[Seg]) -> String {
    let mut s = String::new();
    for seg in segs {
        match seg {
            Seg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Seg::Index(i) => {
                s.push('[');
                s.push_str(&i.to_string());
                s.push(']');
            }
        }
    }
    s
}

/// The schema of a kind intake decodes (or `ObjectMeta`).
pub(crate) fn root(kind: &str) -> Option<&'static Ty> {
    crate::schema::ROOTS
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, ty)| *ty)
}

/// Whether `v` fails to decode as `ty`.
fn fails(ty: &Ty, v: &Value) -> bool {
    match ty {
        Ty::Struct(s) => (s.decode)(v.clone()).is_err(),
        Ty::Leaf(d) => d(v.clone()).is_err(),
        Ty::Opt(inner) => !v.is_null() && fails(inner, v),
        Ty::Seq(elem) => match v {
            Value::Array(items) => items.iter().any(|x| fails(elem, x)),
            _ => true,
        },
        Ty::Map(val) => match v {
            Value::Object(m) => m.values().any(|x| fails(val, x)),
            _ => true,
        },
    }
}

/// Where decoding `v` as `ty` fails, appended to `path` (call only when it does fail).
pub(crate) fn locate(ty: &Ty, v: &Value, path: &mut Vec<Seg>) {
    match (ty, v) {
        (Ty::Opt(inner), _) => locate(inner, v, path),
        (Ty::Seq(elem), Value::Array(items)) => {
            if let Some((i, x)) = items.iter().enumerate().find(|(_, x)| fails(elem, x)) {
                path.push(Seg::Index(i));
                locate(elem, x, path);
            }
        }
        (Ty::Map(val), Value::Object(m)) => {
            if let Some((k, x)) = m.iter().find(|(_, x)| fails(val, x)) {
                path.push(Seg::Key(k.clone()));
                locate(val, x, path);
            }
        }
        (Ty::Struct(s), Value::Object(m)) => {
            for (k, x) in m {
                let Some(fty) = s.field(k) else { continue };
                if fails(fty, x) {
                    path.push(Seg::Key(k.clone()));
                    locate(fty, x, path);
                    return;
                }
                // a resource's visitor compares apiVersion and kind as it reads them
                if let Some((api_version, kind)) = s.gvk {
                    let want = match k.as_str() {
                        "apiVersion" => Some(api_version),
                        "kind" => Some(kind),
                        _ => None,
                    };
                    if want.is_some_and(|w| x.as_str() != Some(w)) {
                        return;
                    }
                }
            }
        }
        _ => {}
    }
}

/// The fields `v` has that `ty` does not know, in the order the decoder meets them (call on a
/// value that decodes).
pub(crate) fn unknown_fields(ty: &Ty, v: &Value, path: &mut Vec<Seg>, out: &mut Vec<String>) {
    match (ty, v) {
        (Ty::Opt(inner), _) => unknown_fields(inner, v, path, out),
        (Ty::Seq(elem), Value::Array(items)) => {
            for (i, x) in items.iter().enumerate() {
                path.push(Seg::Index(i));
                unknown_fields(elem, x, path, out);
                path.pop();
            }
        }
        (Ty::Map(val), Value::Object(m)) => {
            for (k, x) in m {
                path.push(Seg::Key(k.clone()));
                unknown_fields(val, x, path, out);
                path.pop();
            }
        }
        (Ty::Struct(s), Value::Object(m)) => {
            for (k, x) in m {
                path.push(Seg::Key(k.clone()));
                match s.field(k) {
                    Some(fty) => unknown_fields(fty, x, path, out),
                    None => out.push(kube_path(path)),
                }
                path.pop();
            }
        }
        _ => {}
    }
}

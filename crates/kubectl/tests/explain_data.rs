//! Generates `crates/kubectl/k8s-explain.txt`, the data `kubectl explain` reads (`src/explain.rs`),
//! from the Kubernetes v1.35 OpenAPI v3 documents checked in under `crates/kubectl/openapi/`
//! (upstream `api/openapi-spec/v3/api__v1_openapi.json`, `apis__apps__v1_openapi.json`,
//! `apis__storage.k8s.io__v1_openapi.json`, `apis__discovery.k8s.io__v1_openapi.json`,
//! `apis__policy__v1_openapi.json` of
//! kubernetes/kubernetes, branch release-1.35, trimmed to the schemas our kinds reach and the keys
//! kubectl's explain template reads).
//!
//! The data is what kubectl's explain v2 template (kubectl v0.35.0
//! `pkg/explain/v2/templates/plaintext.tmpl`) computes from those documents, one entry per schema
//! so a type used by several kinds or fields is written once:
//!
//! ```text
//! = GROUP/VERSION/KIND<TAB>TYPE                      a kind (its GVK) and its schema
//! @ TYPE<TAB>DESCRIPTION                             a schema ("io.k8s." left off)
//! NAME<TAB>TYPEGUESS<TAB>r|<TAB>TARGET<TAB>ENUM<TAB>DESCRIPTION   its properties, sorted
//! ```
//!
//! TYPEGUESS is the template's `typeGuess` (`[]Container`, `map[string]string`, `Object`…),
//! `r` marks a `required` property, TARGET is the schema the property leads to (through `allOf`,
//! `items`, `additionalProperties`; empty for a primitive), ENUM the property's `enum` values as
//! the template prints them, `|`-separated. Texts escape `\`, line breaks and tabs (`\\`, `\n`,
//! `\t`). The generator checks the two things the reader relies on: a field's DESCRIPTION is its
//! own description then its TARGET's (the template's `description` walk), and its FIELDS are its
//! TARGET's properties (the template's `fieldList` walk).
//!
//! `EXPLAIN_BLESS=1 cargo test -p kubectl --test explain_data` writes the data file;
//! with `EXPLAIN_SPEC_DIR=DIR` (upstream's `api/openapi-spec/v3`) it first trims DIR's documents
//! into `crates/kubectl/openapi/`. Without BLESS the test fails when the file is stale.

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

const DOCS: &[(&str, &str)] = &[
    ("", "api__v1_openapi.json"),
    ("apps", "apis__apps__v1_openapi.json"),
    ("storage.k8s.io", "apis__storage.k8s.io__v1_openapi.json"),
    (
        "discovery.k8s.io",
        "apis__discovery.k8s.io__v1_openapi.json",
    ),
    ("policy", "apis__policy__v1_openapi.json"),
];

/// The keys kubectl's explain template reads from a schema.
const KEPT: &[&str] = &[
    "$ref",
    "additionalProperties",
    "allOf",
    "description",
    "enum",
    "items",
    "properties",
    "required",
    "type",
    "x-kubernetes-group-version-kind",
];

const PREFIX: &str = "#/components/schemas/";

fn dir() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/openapi").to_string()
}

fn schemas(doc: &Value) -> &Map<String, Value> {
    doc.pointer("/components/schemas")
        .and_then(Value::as_object)
        .expect("components.schemas")
}

/// Go template truthiness of a value (empty maps, lists, strings and `false` are false).
fn truthy(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(o)) => !o.is_empty(),
        Some(Value::Number(_)) => true,
    }
}

/// `additionalProperties` when it is a (non-empty) schema, not a bool.
fn additional(s: &Value) -> Option<&Value> {
    let ap = s.get("additionalProperties")?;
    (ap.is_object() && truthy(Some(ap))).then_some(ap)
}

fn ref_name(s: &Value) -> Option<&str> {
    s.get("$ref")?.as_str()?.strip_prefix(PREFIX)
}

fn resolve<'a>(s: &'a Value, all: &'a Map<String, Value>) -> &'a Value {
    match ref_name(s).and_then(|n| all.get(n)) {
        Some(r) => r,
        None => s,
    }
}

fn type_str(s: &Value) -> &str {
    s.get("type").and_then(Value::as_str).unwrap_or("")
}

/// The template's `typeGuess`.
fn type_guess(s: &Value, all: &Map<String, Value>) -> String {
    if truthy(s.get("items")) {
        return format!("[]{}", type_guess(&s["items"], all));
    }
    if let Some(ap) = additional(s) {
        return format!("map[string]{}", type_guess(ap, all));
    }
    let all_of = s.get("allOf").and_then(Value::as_array);
    if let Some(a) = all_of
        && !truthy(s.get("properties"))
        && a.len() == 1
    {
        return type_guess(&a[0], all);
    }
    if let Some(r) = s.get("$ref").and_then(Value::as_str)
        && !r.is_empty()
    {
        let target = r.strip_prefix(PREFIX).and_then(|n| all.get(n));
        let t = target.map(type_str).unwrap_or("");
        if target.is_none() || t.is_empty() || t == "object" {
            let name = r.rsplit('/').next().unwrap_or("");
            let last = name.rsplit('.').next().unwrap_or("");
            return if last.is_empty() { "Object" } else { last }.to_string();
        }
        return t.to_string();
    }
    match type_str(s) {
        "object" | "" => "Object".into(),
        t => t.into(),
    }
}

/// The template's `description` walk.
fn description(s: &Value, all: &Map<String, Value>) -> String {
    let r = resolve(s, all);
    let mut out = String::new();
    if let Some(d) = r.get("description").and_then(Value::as_str)
        && !d.is_empty()
    {
        out.push_str(d);
        out.push('\n');
    }
    for a in r
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        out.push_str(&description(a, all));
    }
    if truthy(r.get("items")) {
        out.push_str(&description(&r["items"], all));
    }
    if let Some(ap) = additional(r) {
        out.push_str(&description(ap, all));
    }
    out
}

/// The schema a property leads to (through `allOf`, `items`, `additionalProperties`), checked to
/// be the only thing on the way that has fields or a description.
fn target(s: &Value, all: &Map<String, Value>, top: bool) -> Option<String> {
    if let Some(n) = ref_name(s) {
        assert!(all.contains_key(n), "unresolved {n}");
        return Some(n.to_string());
    }
    assert!(
        !truthy(s.get("properties")),
        "inline properties are not supported: {s}"
    );
    if !top {
        assert!(
            !truthy(s.get("description")),
            "a description on the way: {s}"
        );
    }
    let mut next = Vec::new();
    if let Some(a) = s.get("allOf").and_then(Value::as_array) {
        assert!(a.len() <= 1, "allOf with several schemas: {s}");
        next.extend(a.first());
    }
    if truthy(s.get("items")) {
        next.push(&s["items"]);
    }
    if let Some(ap) = additional(s) {
        next.push(ap);
    }
    assert!(next.len() <= 1, "several ways on: {s}");
    next.first().and_then(|n| target(n, all, false))
}

fn enum_values(s: &Value) -> String {
    let Some(e) = s.get("enum").and_then(Value::as_array) else {
        return String::new();
    };
    let printed: Vec<String> = e
        .iter()
        .map(|v| match v {
            Value::String(x) if x.is_empty() => "\"\"".to_string(),
            Value::String(x) => x.clone(),
            other => other.to_string(),
        })
        .collect();
    for p in &printed {
        assert!(!p.contains(['|', '\t', '\n']), "enum value {p:?}");
    }
    printed.join("|")
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('\n', "\\n")
        .replace('\t', "\\t")
}

fn short(name: &str) -> &str {
    name.strip_prefix("io.k8s.").unwrap_or(name)
}

/// Every schema `root` reaches through `$ref`s.
fn reach(root: &str, all: &Map<String, Value>, seen: &mut BTreeSet<String>) {
    fn walk(v: &Value, all: &Map<String, Value>, seen: &mut BTreeSet<String>) {
        match v {
            Value::Object(o) => {
                if let Some(n) = o
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|r| r.strip_prefix(PREFIX))
                    && seen.insert(n.to_string())
                {
                    walk(&all[n], all, seen);
                }
                for x in o.values() {
                    walk(x, all, seen);
                }
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, all, seen)),
            _ => {}
        }
    }
    if seen.insert(root.to_string()) {
        walk(&all[root], all, seen);
    }
}

fn trim(v: &Value) -> Value {
    match v {
        Value::Object(o) => Value::Object(
            o.iter()
                .filter(|(k, _)| KEPT.contains(&k.as_str()))
                .map(|(k, x)| {
                    let x = if k == "properties" {
                        Value::Object(o_map(x, trim))
                    } else if matches!(k.as_str(), "items" | "additionalProperties") {
                        trim(x)
                    } else if k == "allOf" {
                        Value::Array(x.as_array().into_iter().flatten().map(trim).collect())
                    } else {
                        x.clone()
                    };
                    (k.clone(), x)
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

fn o_map(v: &Value, f: fn(&Value) -> Value) -> Map<String, Value> {
    v.as_object()
        .into_iter()
        .flatten()
        .map(|(k, x)| (k.clone(), f(x)))
        .collect()
}

fn gvk_matches(s: &Value, group: &str, kind: &str) -> bool {
    s.get("x-kubernetes-group-version-kind")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|g| g["group"] == group && g["kind"] == kind && g["version"] == "v1")
}

fn root_of<'a>(all: &'a Map<String, Value>, group: &str, kind: &str) -> &'a str {
    all.iter()
        .find(|(_, s)| gvk_matches(s, group, kind))
        .map(|(n, _)| n.as_str())
        .unwrap_or_else(|| panic!("no schema for {group}/v1 {kind}"))
}

/// Trim upstream's documents in `src` into `crates/kubectl/openapi/`.
fn trim_from(src: &str) {
    for (group, file) in DOCS {
        let text = std::fs::read_to_string(format!("{src}/{file}")).expect(file);
        let doc: Value = serde_json::from_str(&text).expect(file);
        let all = schemas(&doc);
        let mut seen = BTreeSet::new();
        for r in kubectl::resources::ALL
            .iter()
            .filter(|r| r.group() == *group)
        {
            reach(root_of(all, group, r.kind()), all, &mut seen);
        }
        let kept: Map<String, Value> = seen.iter().map(|n| (n.clone(), trim(&all[n]))).collect();
        let mut out = serde_json::json!({ "components": { "schemas": kept } });
        if let Some(info) = doc.get("info") {
            out["info"] = info.clone();
        }
        let mut s = serde_json::to_string_pretty(&out).unwrap();
        s.push('\n');
        std::fs::write(format!("{}/{file}", dir()), s).unwrap();
    }
}

fn generate() -> String {
    let mut kinds = Vec::new();
    let mut types: BTreeMap<String, String> = BTreeMap::new();
    for (group, file) in DOCS {
        let text = std::fs::read_to_string(format!("{}/{file}", dir())).expect(file);
        let doc: Value = serde_json::from_str(&text).expect(file);
        let all = schemas(&doc);
        let mut seen = BTreeSet::new();
        for r in kubectl::resources::ALL
            .iter()
            .filter(|r| r.group() == *group)
        {
            let root = root_of(all, group, r.kind());
            kinds.push(format!("= {group}/v1/{}\t{}\n", r.kind(), short(root)));
            reach(root, all, &mut seen);
        }
        for name in &seen {
            let s = &all[name.as_str()];
            assert!(
                ref_name(s).is_none() && !truthy(s.get("allOf")),
                "{name} is not a plain schema"
            );
            let own = s.get("description").and_then(Value::as_str).unwrap_or("");
            assert_eq!(
                description(s, all),
                if own.is_empty() {
                    String::new()
                } else {
                    format!("{own}\n")
                }
            );
            let mut block = format!("@ {}\t{}\n", short(name), escape(own));
            let required: Vec<&str> = s
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            // The template ranges over the properties map: Go's sorted key order.
            let props: BTreeMap<&String, &Value> = s
                .get("properties")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .collect();
            for (k, p) in props {
                let t = target(p, all, true);
                let d = p.get("description").and_then(Value::as_str).unwrap_or("");
                // The reader's DESCRIPTION: the field's own, then its target's.
                let mut composed = if d.is_empty() {
                    String::new()
                } else {
                    format!("{d}\n")
                };
                if let Some(t) = &t {
                    let td = all[t.as_str()]
                        .get("description")
                        .and_then(Value::as_str)
                        .unwrap_or("");
                    if !td.is_empty() {
                        composed.push_str(td);
                        composed.push('\n');
                    }
                }
                assert_eq!(description(p, all), composed, "{name}.{k}");
                assert!(!k.contains(['\t', '\n']) && !k.is_empty());
                block.push_str(&format!(
                    "{k}\t{}\t{}\t{}\t{}\t{}\n",
                    type_guess(p, all),
                    if required.contains(&k.as_str()) {
                        "r"
                    } else {
                        ""
                    },
                    t.as_deref().map(short).unwrap_or(""),
                    enum_values(p),
                    escape(d),
                ));
            }
            // The same schema in two documents must be the same text.
            if let Some(old) = types.get(name) {
                assert_eq!(old, &block, "{name} differs between documents");
            }
            types.insert(name.clone(), block);
        }
    }
    let mut out = String::from(
        "# kubectl explain's data, from Kubernetes v1.35's OpenAPI v3 (crates/kubectl/openapi/);\n\
         # generated by crates/kubectl/tests/explain_data.rs: do not edit.\n",
    );
    kinds.sort();
    out.extend(kinds);
    out.extend(types.into_values());
    out
}

#[test]
fn the_explain_data_is_current() {
    if let Some(src) = std::env::var_os("EXPLAIN_SPEC_DIR") {
        trim_from(&src.to_string_lossy());
    }
    let want = generate();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/k8s-explain.txt");
    if std::env::var_os("EXPLAIN_BLESS").is_some() {
        std::fs::write(path, &want).unwrap();
        return;
    }
    let have = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        have == want,
        "crates/kubectl/k8s-explain.txt is stale: run \
         `EXPLAIN_BLESS=1 cargo test -p kubectl --test explain_data`"
    );
}

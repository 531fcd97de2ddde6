//! Spanned tree → JSON, as kubectl's YAML-to-JSON step does it (sigs.k8s.io/yaml over its
//! goyaml.v2 fork: YAML 1.1 plain-scalar resolution, non-string keys stringified, NaN/Inf
//! refused by the JSON encoder), plus a `path → span` map for diagnostics and duplicate-key
//! notes (kubectl keeps the last value of a duplicated key silently: kubernetes#99286, #125885).

use std::collections::{BTreeMap, HashMap};

use serde_json::{Number, Value};

use crate::tree::{Node, Pos, V};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PathSpan {
    /// Where the key starts (for map entries), else where the value starts.
    pub key: Pos,
    pub start: Pos,
    pub end: Pos,
}

#[derive(Debug, Default)]
pub struct Converted {
    pub spans: HashMap<String, PathSpan>,
    /// (path, line of the first occurrence, position of the later one)
    pub duplicates: Vec<(String, u32, Pos)>,
}

/// Error of the JSON encoding step (`json: unsupported value: NaN`).
#[derive(Debug, Clone, PartialEq)]
pub struct ConvertError {
    pub message: String,
    pub pos: Pos,
}

pub fn to_json(root: &Node) -> Result<(Value, Converted), ConvertError> {
    let mut c = Converted::default();
    c.spans.insert(
        String::new(),
        PathSpan {
            key: root.start,
            start: root.start,
            end: root.end,
        },
    );
    let v = conv(root, "", &mut c, true)?;
    Ok((v, c))
}

fn child_path(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}

/// `record`: whether to note spans and duplicates — not inside an alias expansion: those nodes
/// live at the anchor, and a fan-out of aliases would otherwise fill the map (and build a path
/// string per expanded node).
fn conv(n: &Node, path: &str, c: &mut Converted, record: bool) -> Result<Value, ConvertError> {
    let record = record && !matches!(n.v, V::Alias(_));
    match &n.resolved().v {
        V::Alias(_) => Ok(Value::Null),
        V::Scalar { text, plain, tag } => scalar(text, *plain, tag.as_deref(), n.start),
        V::Seq(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, it) in items.iter().enumerate() {
                if record {
                    let p = format!("{path}[{i}]");
                    c.spans.insert(
                        p.clone(),
                        PathSpan {
                            key: it.start,
                            start: it.start,
                            end: it.end,
                        },
                    );
                    out.push(conv(it, &p, c, true)?);
                } else {
                    out.push(conv(it, "", c, false)?);
                }
            }
            Ok(Value::Array(out))
        }
        V::Map(entries) => {
            // Go maps: the last duplicate wins; JSON output has sorted keys.
            let mut m: BTreeMap<String, Value> = BTreeMap::new();
            let mut first_line: HashMap<String, u32> = HashMap::new();
            for (k, v) in entries {
                let key = key_string(k)?;
                if key == "<<" {
                    // merge keys: go-yaml v2 merges the mapping(s) into this one
                    merge(&mut m, v, path, c, record)?;
                    continue;
                }
                let val = if record {
                    let p = child_path(path, &key);
                    if let Some(l) = first_line.get(&key) {
                        c.duplicates.push((p.clone(), *l, k.start));
                    }
                    first_line.insert(key.clone(), k.start.line);
                    c.spans.insert(
                        p.clone(),
                        PathSpan {
                            key: k.start,
                            start: v.start,
                            end: v.end,
                        },
                    );
                    conv(v, &p, c, true)?
                } else {
                    conv(v, "", c, false)?
                };
                m.insert(key, val);
            }
            Ok(Value::Object(sim::sort::to_object(m)))
        }
    }
}

fn merge(
    m: &mut BTreeMap<String, Value>,
    v: &Node,
    path: &str,
    c: &mut Converted,
    record: bool,
) -> Result<(), ConvertError> {
    let sources: Vec<&Node> = match &v.resolved().v {
        V::Seq(items) => items.iter().collect(),
        _ => vec![v],
    };
    for s in sources {
        let V::Map(entries) = &s.resolved().v else {
            return Err(ConvertError {
                message: "yaml: map merge requires map or sequence of maps as the value"
                    .to_string(),
                pos: s.start,
            });
        };
        for (k, val) in entries {
            let key = key_string(k)?;
            if m.contains_key(&key) {
                continue; // explicit keys win over merged ones
            }
            if record {
                let p = child_path(path, &key);
                c.spans.entry(p).or_insert(PathSpan {
                    key: k.start,
                    start: val.start,
                    end: val.end,
                });
            }
            // merged content lives elsewhere (usually behind an alias): no spans inside it
            let jv = conv(val, "", c, false)?;
            m.insert(key, jv);
        }
    }
    Ok(())
}

/// JSON object key for a YAML key (sigs.k8s.io/yaml `convertToJSONableObject`).
fn key_string(k: &Node) -> Result<String, ConvertError> {
    match &k.resolved().v {
        V::Scalar { text, plain, tag } => {
            let v = scalar(text, *plain, tag.as_deref(), k.start)?;
            Ok(match v {
                Value::String(s) => s,
                Value::Null => "null".to_string(),
                Value::Bool(b) => b.to_string(),
                Value::Number(n) => n.to_string(),
                other => other.to_string(),
            })
        }
        _ => Err(ConvertError {
            message: "yaml: invalid map key: a mapping or sequence cannot be a key".to_string(),
            pos: k.start,
        }),
    }
}

/// YAML 1.1 (goyaml.v2 `resolve`) scalar resolution.
pub fn scalar(text: &str, plain: bool, tag: Option<&str>, pos: Pos) -> Result<Value, ConvertError> {
    match tag {
        Some("str") | Some("binary") => return Ok(Value::String(text.to_string())),
        Some("null") => return Ok(Value::Null),
        _ => {}
    }
    let explicit = matches!(tag, Some("int") | Some("float") | Some("bool"));
    if !plain && !explicit {
        return Ok(Value::String(text.to_string()));
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Ok(Value::Null),
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            return Ok(Value::Bool(true));
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return Ok(Value::Bool(false));
        }
        ".nan" | ".NaN" | ".NAN" => {
            return Err(ConvertError {
                message: "json: unsupported value: NaN".into(),
                pos,
            });
        }
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Err(ConvertError {
                message: "json: unsupported value: +Inf".into(),
                pos,
            });
        }
        "-.inf" | "-.Inf" | "-.INF" => {
            return Err(ConvertError {
                message: "json: unsupported value: -Inf".into(),
                pos,
            });
        }
        _ => {}
    }
    if let Some(i) = parse_int(text) {
        return Ok(Value::Number(Number::from(i)));
    }
    if let Some(u) = parse_uint(text) {
        return Ok(Value::Number(Number::from(u)));
    }
    if is_yaml_float(text) {
        let cleaned: String = text.chars().filter(|c| *c != '_').collect();
        if let Ok(f) = cleaned.parse::<f64>() {
            if f.is_finite() {
                // Go's encoder writes integral floats without a fraction (3.0 -> 3)
                if f.fract() == 0.0 && f.abs() < 9.007_199_254_740_992e15 {
                    #[allow(clippy::cast_possible_truncation)]
                    return Ok(Value::Number(Number::from(f as i64)));
                }
                if let Some(n) = Number::from_f64(f) {
                    return Ok(Value::Number(n));
                }
            }
            return Err(ConvertError {
                message: format!(
                    "json: unsupported value: {}",
                    if f > 0.0 { "+Inf" } else { "-Inf" }
                ),
                pos,
            });
        }
    }
    Ok(Value::String(text.to_string()))
}

/// strconv.ParseInt(s, 0, 64) after removing `_` (goyaml.v2 does both).
fn parse_int(text: &str) -> Option<i64> {
    let s: String = text.chars().filter(|c| *c != '_').collect();
    let (neg, body) = match s.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, s.strip_prefix('+').unwrap_or(&s)),
    };
    if body.is_empty() {
        return None;
    }
    let mag: i128 = if let Some(h) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        i128::from_str_radix(h, 16).ok()?
    } else if let Some(b) = body.strip_prefix("0b").or_else(|| body.strip_prefix("0B")) {
        i128::from_str_radix(b, 2).ok()?
    } else if let Some(o) = body.strip_prefix("0o").or_else(|| body.strip_prefix("0O")) {
        i128::from_str_radix(o, 8).ok()?
    } else if body.len() > 1 && body.starts_with('0') {
        i128::from_str_radix(&body[1..], 8).ok()?
    } else {
        if !body.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        body.parse::<i128>().ok()?
    };
    let v = if neg { -mag } else { mag };
    i64::try_from(v).ok()
}

fn parse_uint(text: &str) -> Option<u64> {
    let s: String = text.chars().filter(|c| *c != '_').collect();
    let body = s.strip_prefix('+').unwrap_or(&s);
    if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    body.parse::<u64>().ok()
}

/// goyaml.v2 `yamlStyleFloat`: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
fn is_yaml_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'-') | Some(b'+')) {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let st = *i;
        while b.get(*i).is_some_and(|c| c.is_ascii_digit()) {
            *i += 1;
        }
        *i - st
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e') | Some(b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'-') | Some(b'+')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::build;

    fn j(s: &str) -> Value {
        to_json(&build(s, 0).unwrap().unwrap()).unwrap().0
    }

    #[test]
    fn yaml11_scalars_as_goyaml_v2() {
        let v = j("a: yes\nb: 0644\nc: 1.10\nd: ~\ne: '3'\nf: 3.0\ng: 0x1F\nh: on\ni: 1_000\n");
        assert_eq!(v["a"], Value::Bool(true));
        assert_eq!(v["b"], Value::from(420));
        assert_eq!(v["c"], Value::from(1.1));
        assert_eq!(v["d"], Value::Null);
        assert_eq!(v["e"], Value::from("3"));
        assert_eq!(v["f"], Value::from(3));
        assert_eq!(v["g"], Value::from(31));
        assert_eq!(v["h"], Value::Bool(true));
        assert_eq!(v["i"], Value::from(1000));
    }

    #[test]
    fn nan_refused_like_go_json() {
        let e = to_json(&build("a: .nan\n", 0).unwrap().unwrap()).unwrap_err();
        assert_eq!(e.message, "json: unsupported value: NaN");
    }

    #[test]
    fn duplicates_last_wins_and_noted() {
        let (v, c) = to_json(&build("a: 1\na: 2\n", 0).unwrap().unwrap()).unwrap();
        assert_eq!(v["a"], Value::from(2));
        assert_eq!(c.duplicates.len(), 1);
        assert_eq!(c.duplicates[0].1, 1);
    }

    #[test]
    fn merge_key_applied() {
        let v = j("base: &b {a1: 1, b1: 2}\nm:\n  <<: *b\n  b1: 3\n");
        assert_eq!(v["m"]["a1"], Value::from(1));
        assert_eq!(v["m"]["b1"], Value::from(3));
    }

    #[test]
    fn span_paths() {
        let (_, c) = to_json(
            &build("spec:\n  containers:\n  - name: a\n", 0)
                .unwrap()
                .unwrap(),
        )
        .unwrap();
        let s = c.spans["spec.containers[0].name"];
        assert_eq!((s.key.line, s.key.col), (3, 5));
    }
}

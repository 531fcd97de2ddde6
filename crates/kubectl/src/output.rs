//! `-o yaml`, `-o json`, `-o name`, `-o jsonpath=…` (cli-runtime `pkg/printers`: `JSONPrinter`
//! indents 4 spaces in field order; `YAMLPrinter` goes through JSON then sigs.k8s.io/yaml, so map
//! keys come out sorted and strings are quoted as go-yaml v2 does; `JSONPathPrinter` over
//! client-go `util/jsonpath`). Several objects print as a `List`.

use serde_json::Value;
use sim::sort::Sort as _;

/// The `List` wrapper kubectl prints for several objects.
pub fn list_of(items: Vec<Value>) -> Value {
    serde_json::json!({
        "apiVersion": "v1",
        "items": items,
        "kind": "List",
        "metadata": { "resourceVersion": "" }
    })
}

/// The object without `metadata.managedFields`, as kubectl prints it without
/// `--show-managed-fields`.
pub fn strip_managed(mut v: Value) -> Value {
    if let Some(m) = v.get_mut("metadata").and_then(Value::as_object_mut) {
        m.remove("managedFields");
    }
    v
}

/// JSON with 4-space indentation and a trailing newline.
pub fn json(v: &Value) -> String {
    let mut buf = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
    if serde::Serialize::serialize(v, &mut ser).is_err() {
        return String::from("{}\n");
    }
    let mut s = go_html_escape(String::from_utf8(buf).unwrap_or_default());
    s.push('\n');
    s
}

/// Go's `encoding/json` escapes `<`, `>`, `&`, U+2028 and U+2029 in strings (`json.Marshal`
/// and `MarshalIndent` keep `escapeHTML` on), so `kubectl get -o json` prints
/// `"nginx\u003cimg src=x\u003e"`. In JSON text these characters only occur inside strings,
/// so replacing them everywhere is exact.
fn go_html_escape(s: String) -> String {
    if !s.contains(['<', '>', '&', '\u{2028}', '\u{2029}']) {
        return s;
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// YAML as sigs.k8s.io/yaml (go-yaml v2) emits it: sorted keys, 2-space maps, sequences not
/// indented under their key, literal blocks for multi-line strings.
pub fn yaml(v: &Value) -> String {
    let mut out = String::new();
    match v {
        Value::Object(m) if !m.is_empty() => emit_map(&mut out, m, 0),
        Value::Array(a) if !a.is_empty() => emit_seq(&mut out, a, 0),
        other => {
            out.push_str(&scalar(other, 0));
            out.push('\n');
        }
    }
    out
}

fn indent(out: &mut String, n: usize) {
    for _ in 0..n {
        out.push(' ');
    }
}

fn emit_map(out: &mut String, m: &serde_json::Map<String, Value>, ind: usize) {
    let mut keys: Vec<&String> = m.keys().collect();
    keys.stable_sort();
    for (i, k) in keys.iter().enumerate() {
        if i > 0 {
            indent(out, ind);
        }
        out.push_str(&quote_str(k));
        out.push(':');
        let Some(v) = m.get(*k) else { continue };
        emit_value_after_key(out, v, ind);
    }
}

fn emit_value_after_key(out: &mut String, v: &Value, ind: usize) {
    match v {
        Value::Object(c) if !c.is_empty() => {
            out.push('\n');
            indent(out, ind + 2);
            emit_map(out, c, ind + 2);
        }
        Value::Array(a) if !a.is_empty() => {
            out.push('\n');
            indent(out, ind);
            emit_seq(out, a, ind);
        }
        other => {
            out.push(' ');
            out.push_str(&scalar(other, ind + 2));
            out.push('\n');
        }
    }
}

fn emit_seq(out: &mut String, a: &[Value], ind: usize) {
    for (i, v) in a.iter().enumerate() {
        if i > 0 {
            indent(out, ind);
        }
        out.push_str("- ");
        match v {
            Value::Object(c) if !c.is_empty() => emit_map(out, c, ind + 2),
            Value::Array(inner) if !inner.is_empty() => emit_seq(out, inner, ind + 2),
            other => {
                out.push_str(&scalar(other, ind + 2));
                out.push('\n');
            }
        }
    }
}

fn scalar(v: &Value, ind: usize) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => {
            if s.contains('\n') && !s.starts_with(' ') {
                // literal block
                let chomp = if s.ends_with('\n') { "" } else { "-" };
                let body = s.strip_suffix('\n').unwrap_or(s);
                let mut r = format!("|{chomp}");
                for line in body.split('\n') {
                    r.push('\n');
                    if !line.is_empty() {
                        for _ in 0..ind {
                            r.push(' ');
                        }
                        r.push_str(line);
                    }
                }
                r
            } else {
                quote_str(s)
            }
        }
        Value::Object(_) => "{}".into(),
        Value::Array(_) => "[]".into(),
    }
}

/// go-yaml resolves `2026-01-01...` plain scalars as timestamps, so it quotes such strings.
fn looks_like_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 10
        && b.iter().take(4).all(u8::is_ascii_digit)
        && b.get(4) == Some(&b'-')
        && b.get(5..7)
            .is_some_and(|x| x.iter().all(u8::is_ascii_digit))
        && b.get(7) == Some(&b'-')
}

/// Plain when go-yaml would leave it plain; otherwise double-quoted.
fn quote_str(s: &str) -> String {
    let looks_special = s.is_empty()
        || matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n" | "null" | "~"
        )
        || s.parse::<f64>().is_ok()
        || s.starts_with(|c: char| " -?:,[]{}#&*!|>'\"%@`".contains(c))
        || s.ends_with(' ')
        || s.ends_with(':')
        || s.contains(": ")
        || s.contains(" #")
        || s.chars().any(|c| c.is_control())
        || looks_like_timestamp(s);
    if !looks_special {
        return s.to_string();
    }
    let mut r = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => r.push_str("\\\""),
            '\\' => r.push_str("\\\\"),
            '\n' => r.push_str("\\n"),
            '\t' => r.push_str("\\t"),
            c if c.is_control() => r.push_str(&format!("\\u{:04X}", c as u32)),
            c => r.push(c),
        }
    }
    r.push('"');
    r
}

// ------------------------------------------------------------------------------------------
// JSONPath (client-go util/jsonpath subset): `{.a.b}`, `{.items[*].metadata.name}`, `[N]`,
// `['key']`, `[?(@.f=="v")]`, `{range …}{end}`, `{"\n"}` literals, text outside braces.

#[derive(Debug, Clone, PartialEq)]
enum Seg {
    Field(String),
    Index(i64),
    All,
    Filter(Vec<Seg>, String, String),
    Recursive(String),
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Text(String),
    Path(Vec<Seg>),
    Range(Vec<Seg>, Vec<Node>),
}

/// Bound on template size and evaluation output.
const MAX_TEMPLATE: usize = 4096;
const MAX_OUTPUT: usize = 1 << 20;

/// Parse and run a jsonpath template; errors read like kubectl's.
pub fn jsonpath(template: &str, root: &Value) -> Result<String, String> {
    if template.len() > MAX_TEMPLATE {
        return Err("error: jsonpath template too long".into());
    }
    let (nodes, rest) = parse_nodes(template, false)?;
    if !rest.is_empty() {
        return Err(format!(
            "error: error parsing jsonpath {template}, unexpected {{end}}"
        ));
    }
    let mut out = String::new();
    eval(&nodes, root, &mut out)?;
    Ok(out)
}

/// The values one `{path}` template selects, as text (custom-columns joins them with commas).
pub fn jsonpath_values(template: &str, root: &Value) -> Result<Vec<String>, String> {
    if template.len() > MAX_TEMPLATE {
        return Err("error: jsonpath template too long".into());
    }
    let (nodes, _) = parse_nodes(template, false)?;
    match nodes.as_slice() {
        [Node::Path(segs)] => Ok(select(root, segs).into_iter().map(text_of).collect()),
        _ => jsonpath(template, root).map(|t| vec![t]),
    }
}

/// The first value a `{path}` template selects (`None` when it selects nothing): what
/// kubectl's sorter compares (`pkg/cmd/get/sorter.go`, `findJSONPathResults` and
/// `values[0][0]`).
pub fn jsonpath_first(template: &str, root: &Value) -> Result<Option<Value>, String> {
    if template.len() > MAX_TEMPLATE {
        return Err("error: jsonpath template too long".into());
    }
    let (nodes, _) = parse_nodes(template, false)?;
    Ok(match nodes.as_slice() {
        [Node::Path(segs)] => select(root, segs).into_iter().next().cloned(),
        _ => None,
    })
}

fn parse_nodes(mut s: &str, in_range: bool) -> Result<(Vec<Node>, &str), String> {
    let mut nodes = Vec::new();
    while !s.is_empty() {
        match s.find('{') {
            None => {
                nodes.push(Node::Text(s.to_string()));
                s = "";
            }
            Some(i) => {
                if i > 0 {
                    nodes.push(Node::Text(s.get(..i).unwrap_or("").to_string()));
                }
                let after = s.get(i + 1..).unwrap_or("");
                let Some(j) = find_close(after) else {
                    return Err(format!(
                        "error: error parsing jsonpath {s}, unclosed action"
                    ));
                };
                let inner = after.get(..j).unwrap_or("").trim();
                s = after.get(j + 1..).unwrap_or("");
                if inner == "end" {
                    if in_range {
                        return Ok((nodes, s));
                    }
                    return Err(
                        "error: error parsing jsonpath, not in range, nothing to end".into(),
                    );
                } else if let Some(expr) = inner.strip_prefix("range ") {
                    let path = parse_path(expr.trim())?;
                    let (body, rest) = parse_nodes(s, true)?;
                    nodes.push(Node::Range(path, body));
                    s = rest;
                } else if inner.starts_with('"') {
                    nodes.push(Node::Text(unquote(inner)));
                } else {
                    nodes.push(Node::Path(parse_path(inner)?));
                }
            }
        }
    }
    if in_range {
        return Err("error: error parsing jsonpath, unclosed range".into());
    }
    Ok((nodes, s))
}

fn find_close(s: &str) -> Option<usize> {
    let mut in_str = false;
    let mut prev = ' ';
    for (i, c) in s.char_indices() {
        match c {
            '"' if prev != '\\' => in_str = !in_str,
            '}' if !in_str => return Some(i),
            _ => {}
        }
        prev = c;
    }
    None
}

fn unquote(s: &str) -> String {
    let inner = s
        .strip_prefix('"')
        .and_then(|x| x.strip_suffix('"'))
        .unwrap_or(s);
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(x) => out.push(x),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn parse_path(expr: &str) -> Result<Vec<Seg>, String> {
    let bad = || format!("error: error parsing jsonpath {{{expr}}}: unrecognized expression");
    let mut segs = Vec::new();
    let mut s = expr.strip_prefix('$').unwrap_or(expr);
    s = s.strip_prefix('@').unwrap_or(s);
    while !s.is_empty() {
        if let Some(rest) = s.strip_prefix("..") {
            let end = rest.find(['.', '[']).unwrap_or(rest.len());
            segs.push(Seg::Recursive(rest.get(..end).unwrap_or("").to_string()));
            s = rest.get(end..).unwrap_or("");
        } else if let Some(rest) = s.strip_prefix('.') {
            // client-go `util/jsonpath/parser.go` `advance`: a backslash escapes the next
            // character, so `kubernetes\.io/hostname` is one field name.
            let mut name = String::new();
            let mut end = rest.len();
            let mut chars = rest.char_indices();
            while let Some((i, c)) = chars.next() {
                match c {
                    '\\' => {
                        if let Some((_, n)) = chars.next() {
                            name.push(n);
                        }
                    }
                    '.' | '[' => {
                        end = i;
                        break;
                    }
                    _ => name.push(c),
                }
            }
            if !name.is_empty() {
                segs.push(Seg::Field(name));
            }
            s = rest.get(end..).unwrap_or("");
        } else if let Some(rest) = s.strip_prefix('[') {
            let close = if rest.starts_with("?(") {
                rest.find(")]").map(|i| i + 1)
            } else {
                rest.find(']')
            };
            let Some(close) = close else {
                return Err(bad());
            };
            let inner = rest.get(..close).unwrap_or("").trim();
            s = rest.get(close + 1..).unwrap_or("");
            if inner == "*" {
                segs.push(Seg::All);
            } else if let Ok(n) = inner.parse::<i64>() {
                segs.push(Seg::Index(n));
            } else if let Some(f) = inner.strip_prefix("?(").and_then(|x| x.strip_suffix(')')) {
                let (lhs, rhs) = f.split_once("==").ok_or_else(bad)?;
                let lhs = parse_path(lhs.trim())?;
                let rhs = rhs.trim();
                let rhs = rhs.trim_matches(|c| c == '"' || c == '\'').to_string();
                segs.push(Seg::Filter(lhs, "==".into(), rhs));
            } else if inner.starts_with('\'') || inner.starts_with('"') {
                segs.push(Seg::Field(
                    inner.trim_matches(|c| c == '\'' || c == '"').to_string(),
                ));
            } else {
                return Err(bad());
            }
        } else {
            return Err(bad());
        }
    }
    Ok(segs)
}

fn select<'a>(v: &'a Value, segs: &[Seg]) -> Vec<&'a Value> {
    let mut cur: Vec<&Value> = vec![v];
    for seg in segs {
        let mut next = Vec::new();
        for c in cur {
            match seg {
                Seg::Field(f) => {
                    if let Some(x) = c.get(f) {
                        next.push(x);
                    }
                }
                Seg::Index(i) => {
                    if let Some(a) = c.as_array() {
                        let idx = if *i < 0 {
                            (a.len() as i64).saturating_add(*i)
                        } else {
                            *i
                        };
                        if let Some(x) = usize::try_from(idx).ok().and_then(|i| a.get(i)) {
                            next.push(x);
                        }
                    }
                }
                Seg::All => match c {
                    Value::Array(a) => next.extend(a.iter()),
                    Value::Object(m) => next.extend(m.values()),
                    _ => {}
                },
                Seg::Filter(lhs, _, rhs) => {
                    if let Some(a) = c.as_array() {
                        for item in a {
                            let vals = select(item, lhs);
                            if vals.iter().any(|x| text_of(x) == *rhs) {
                                next.push(item);
                            }
                        }
                    }
                }
                Seg::Recursive(name) => collect_recursive(c, name, &mut next),
            }
        }
        cur = next;
    }
    cur
}

fn collect_recursive<'a>(v: &'a Value, name: &str, out: &mut Vec<&'a Value>) {
    match v {
        Value::Object(m) => {
            if let Some(x) = m.get(name) {
                out.push(x);
            }
            for c in m.values() {
                collect_recursive(c, name, out);
            }
        }
        Value::Array(a) => {
            for c in a {
                collect_recursive(c, name, out);
            }
        }
        _ => {}
    }
}

/// A result as client-go's `JSONPath.PrintResults` writes it: maps and slices through
/// `json.Marshal` (keys sorted, HTML-safe escaping), everything else as text.
fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Object(_) | Value::Array(_) => sim::revision::go_json(v),
        other => other.to_string(),
    }
}

fn eval(nodes: &[Node], cur: &Value, out: &mut String) -> Result<(), String> {
    for n in nodes {
        if out.len() > MAX_OUTPUT {
            return Err("error: jsonpath output too large".into());
        }
        match n {
            Node::Text(t) => out.push_str(t),
            Node::Path(segs) => {
                let vals = select(cur, segs);
                let texts: Vec<String> = vals.iter().map(|v| text_of(v)).collect();
                out.push_str(&texts.join(" "));
            }
            Node::Range(segs, body) => {
                for v in select(cur, segs) {
                    match v {
                        Value::Array(a) => {
                            for item in a {
                                eval(body, item, out)?;
                            }
                        }
                        other => eval(body, other, out)?,
                    }
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn yaml_like_go_yaml() {
        let v = json!({"kind": "Service", "apiVersion": "v1", "metadata": {"name": "x", "resourceVersion": "12", "labels": {}},
            "spec": {"ports": [{"port": 80, "protocol": "TCP"}], "clusterIP": "None", "selector": {"app": "nginx"}},
            "data": {"script": "set -ex\necho hi\n"}});
        assert_eq!(
            yaml(&v),
            "apiVersion: v1\ndata:\n  script: |\n    set -ex\n    echo hi\nkind: Service\nmetadata:\n  labels: {}\n  name: x\n  resourceVersion: \"12\"\nspec:\n  clusterIP: None\n  ports:\n  - port: 80\n    protocol: TCP\n  selector:\n    app: nginx\n"
        );
    }

    #[test]
    fn json_four_spaces() {
        assert_eq!(
            json(&json!({"a": [1]})),
            "{\n    \"a\": [\n        1\n    ]\n}\n"
        );
    }

    #[test]
    fn jsonpath_subset() {
        let v = json!({"items": [
            {"metadata": {"name": "a"}, "spec": {"containers": [{"name": "nginx", "image": "nginx:1.26.0"}]}},
            {"metadata": {"name": "b"}, "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"}]}}
        ]});
        assert_eq!(jsonpath("{.items[*].metadata.name}", &v).unwrap(), "a b");
        assert_eq!(
            jsonpath("{range .items[*]}{.metadata.name}{\"\\t\"}{.spec.containers[0].image}{\"\\n\"}{end}", &v).unwrap(),
            "a\tnginx:1.26.0\nb\tnginx:1.27\n"
        );
        assert_eq!(
            jsonpath(
                "{.items[?(@.metadata.name==\"b\")].spec.containers[*].image}",
                &v
            )
            .unwrap(),
            "nginx:1.27"
        );
        assert_eq!(jsonpath("{.items[-1].metadata.name}", &v).unwrap(), "b");
        // client-go `util/jsonpath/parser.go` `advance`: `\.` escapes a dot in a key.
        let l = json!({"metadata": {"labels": {"kubernetes.io/hostname": "kind-control-plane"}}});
        assert_eq!(
            jsonpath("{.metadata.labels.kubernetes\\.io/hostname}", &l).unwrap(),
            "kind-control-plane"
        );
        assert_eq!(
            jsonpath("{..image}", &v).unwrap(),
            "nginx:1.26.0 nginx:1.27"
        );
        assert!(jsonpath("{.items[", &v).is_err());
        assert!(jsonpath("{end}", &v).is_err());
    }
}

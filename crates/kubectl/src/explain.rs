//! `kubectl explain TYPE[.field.path] [--recursive]` as kubectl v1.35's explain v2 plaintext
//! template prints it (kubectl v0.35.0 `pkg/explain/v2/templates/plaintext.tmpl`, `funcs.go`):
//! GROUP/KIND/VERSION header, a FIELD line for a path, DESCRIPTION, FIELDS with `<type>`,
//! `-required-` and `enum:`, `--recursive` as the names only.
//!
//! The schemas are the API's own: `crates/kubectl/k8s-explain.txt`, generated from Kubernetes
//! v1.35's OpenAPI v3 documents (`crates/kubectl/openapi/`) by `tests/explain_data.rs`, which
//! describes the format (one entry per schema, its fields with the template's type guess, the
//! schema each field leads to, and the descriptions). It is one of the texts the page fetches on
//! first use (`crate::texts`), so the wasm carries only this reader; until the file is here
//! (or when the page could not fetch it) `kubectl explain` says so in a hint.
//!
//! What the template does and this reader follows: a field's DESCRIPTION is its own description
//! then its type's (the `description` template walks `allOf`, `items`, `additionalProperties`);
//! its FIELDS are its type's properties in Go's sorted key order; `--recursive` descends into a
//! field's type unless that type is already on the way down (the template's `history`, which for
//! a field path starts with the field's type and for a kind starts empty). An unknown field
//! makes the template fail after it wrote the header: kubectl prints the header on stdout, then
//! `error: field "LAST" does not exist` naming the path's last segment.

use crate::out::Out;
use crate::resources::Res;

/// The texts' file of kubectl explain's data (a path of [`crate::texts::PATHS`]).
pub const EXPLAIN_FILE: &str = "crates/kubectl/k8s-explain.txt";

/// Deepest `--recursive` descent (the API's types nest about 10 deep).
const MAX_DEPTH: usize = 32;

/// What `kubectl explain` printed when it did not succeed.
#[derive(Debug, PartialEq)]
pub enum Failure {
    /// kubectl's error (on stderr, exit 1) after what it wrote to stdout first.
    Error { out: String, msg: String },
    /// The data file is not here (the page has not fetched it, or could not).
    NotLoaded,
}

/// The data file, indexed: kinds (`GROUP/VERSION/KIND` → schema) and schemas (name →
/// (escaped description, its field lines)), in file order (a few hundred entries, looked up
/// by [`entry`]; short vectors rather than two more map types in the wasm).
struct Data {
    kinds: Vec<(&'static str, &'static str)>,
    types: Vec<(&'static str, (&'static str, &'static str))>,
}

/// The value of `key` in `list`, the last one when the file repeats it (as a map's insert
/// would keep).
fn entry<'a, V>(list: &'a [(&str, V)], key: &str) -> Option<&'a V> {
    list.iter().rev().find(|(k, _)| *k == key).map(|(_, v)| v)
}

/// One field line of a schema.
struct Field<'a> {
    name: &'a str,
    ty: &'a str,
    required: bool,
    target: &'a str,
    enums: &'a str,
    desc: &'a str,
}

impl Data {
    /// Index the data file (untrusted text the page fetched: lines that do not fit are skipped).
    fn parse(text: &'static str) -> Data {
        let mut kinds = Vec::new();
        let mut types = Vec::new();
        let mut current: Option<(&'static str, &'static str, usize)> = None;
        let mut at = 0;
        for line in text.split_inclusive('\n') {
            let start = at;
            at += line.len();
            if let Some(rest) = line.strip_prefix("= ") {
                if let Some((k, t)) = rest.trim_end_matches('\n').split_once('\t') {
                    kinds.push((k, t));
                }
            } else if let Some(rest) = line.strip_prefix("@ ") {
                if let Some((name, desc, from)) = current.take() {
                    types.push((name, (desc, text.get(from..start).unwrap_or(""))));
                }
                if let Some((name, desc)) = rest.trim_end_matches('\n').split_once('\t') {
                    current = Some((name, desc, at));
                }
            }
        }
        if let Some((name, desc, from)) = current {
            types.push((name, (desc, text.get(from..).unwrap_or(""))));
        }
        Data { kinds, types }
    }

    fn load() -> Option<Data> {
        crate::texts::get(EXPLAIN_FILE).map(Data::parse)
    }

    fn desc(&self, ty: &str) -> String {
        entry(&self.types, ty).map_or(String::new(), |(d, _)| unescape(d))
    }

    fn fields(&self, ty: &str) -> impl Iterator<Item = Field<'static>> + '_ {
        let lines = entry(&self.types, ty).map_or("", |(_, f)| f);
        lines.lines().filter_map(|l| {
            let mut p = l.splitn(6, '\t');
            let name = p
                .next()
                .filter(|n| !n.is_empty() && !n.starts_with(['#', '=', '@']))?;
            Some(Field {
                name,
                ty: p.next()?,
                required: p.next()? == "r",
                target: p.next()?,
                enums: p.next()?,
                desc: p.next()?,
            })
        })
    }

    fn field(&self, ty: &str, name: &str) -> Option<Field<'static>> {
        self.fields(ty).find(|f| f.name == name)
    }
}

/// The data file's escapes (`\\`, `\n`, `\t`) undone.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some(o) => out.push(o),
            None => {}
        }
    }
    out
}

/// The template's `description` of a field: its own text, then its type's, each ending a line.
fn field_desc(data: &Data, f: &Field) -> String {
    let mut d = unescape(f.desc);
    if !d.is_empty() {
        d.push('\n');
    }
    if !f.target.is_empty() {
        let t = data.desc(f.target);
        if !t.is_empty() {
            d.push_str(&t);
            d.push('\n');
        }
    }
    d
}

/// The template's `wrap (width - indent) | indent indent`: kubectl's `term.WordWrapWriter`
/// (github.com/mitchellh/go-wordwrap `WrapString`: breaks at white space, keeps the text's own
/// line breaks and leading spaces, a word longer than the limit stays whole on its own line),
/// then every line (empty ones too) prefixed with `indent` spaces; a line break at the end.
fn wrap(text: &str, indent: usize, width: usize) -> String {
    let wrapped = word_wrap(text, width.saturating_sub(indent));
    let pad = " ".repeat(indent);
    let mut out = String::with_capacity(wrapped.len() + 16);
    for line in wrapped.split('\n') {
        out.push_str(&pad);
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// go-wordwrap v1.0.1 `WrapString`, over characters.
fn word_wrap(s: &str, lim: usize) -> String {
    let mut buf = String::with_capacity(s.len() + 16);
    let (mut current, mut word, mut space) = (0usize, String::new(), String::new());
    let (mut word_len, mut space_len) = (0usize, 0usize);
    for c in s.chars() {
        if c == '\n' {
            if word.is_empty() {
                if current + space_len <= lim {
                    buf.push_str(&space);
                }
            } else {
                buf.push_str(&space);
                buf.push_str(&word);
            }
            space.clear();
            word.clear();
            (space_len, word_len) = (0, 0);
            buf.push('\n');
            current = 0;
        } else if c.is_whitespace() && c != '\u{a0}' {
            if space.is_empty() || !word.is_empty() {
                current += space_len + word_len;
                buf.push_str(&space);
                buf.push_str(&word);
                space.clear();
                word.clear();
                (space_len, word_len) = (0, 0);
            }
            space.push(c);
            space_len += 1;
        } else {
            word.push(c);
            word_len += 1;
            if current + space_len + word_len > lim && word_len < lim {
                buf.push('\n');
                current = 0;
                space.clear();
                space_len = 0;
            }
        }
    }
    if word.is_empty() {
        if current + space_len <= lim {
            buf.push_str(&space);
        }
    } else {
        buf.push_str(&space);
        buf.push_str(&word);
    }
    buf
}

/// A field's line: `name\t<type>`, ` -required-`, the short view of `extractEnum` (a line
/// `enum: A, B, C, D, ....` at the field's indent, at most four values).
fn field_line(f: &Field, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    out.push_str(&format!("{pad}{}\t<{}>", f.name, f.ty));
    if f.required {
        out.push_str(" -required-");
    }
    if !f.enums.is_empty() {
        out.push_str(&format!("\n{pad}enum: "));
        for (i, v) in f.enums.split('|').enumerate() {
            if i >= 4 {
                out.push_str(", ....");
                break;
            }
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str(v);
        }
    }
    out.push('\n');
}

/// The template's `fieldList` at `level` (indent `2 * level`).
fn field_list(
    data: &Data,
    ty: &str,
    level: usize,
    recursive: bool,
    history: &mut Vec<&'static str>,
    out: &mut String,
) {
    let indent = 2 * level;
    for f in data.fields(ty) {
        field_line(&f, indent, out);
        if !recursive {
            let d = unescape(f.desc);
            let d = if d.is_empty() { "<no description>" } else { &d };
            out.push_str(&wrap(d, indent + 2, 80));
            out.push('\n');
        } else if !f.target.is_empty() && !history.contains(&f.target) && history.len() < MAX_DEPTH
        {
            history.push(f.target);
            field_list(data, f.target, level + 1, true, history, out);
            history.pop();
        }
    }
}

/// Render `kubectl explain TARGET`: kubectl's stdout, or how it failed.
pub fn explain(target: &str, recursive: bool) -> Result<String, Failure> {
    let mut parts = target.split('.');
    let type_word = parts.next().unwrap_or("");
    let path: Vec<&str> = parts.collect();
    let Some(res) = Res::lookup(type_word) else {
        return Err(Failure::Error {
            out: String::new(),
            msg: format!("error: the server doesn't have a resource type \"{type_word}\""),
        });
    };
    let data = Data::load().ok_or(Failure::NotLoaded)?;
    let key = format!("{}/{}/{}", res.group(), res.version(), res.kind());
    let Some(root) = entry(&data.kinds, &key).copied() else {
        return Err(Failure::Error {
            out: String::new(),
            msg: format!(
                "error: GVR ({}/{}, Resource={}) not found in OpenAPI schema",
                res.group(),
                res.version(),
                res.plural()
            ),
        });
    };
    let mut out = String::new();
    if !res.group().is_empty() {
        out.push_str(&format!("GROUP:      {}\n", res.group()));
    }
    out.push_str(&format!("KIND:       {}\n", res.kind()));
    out.push_str(&format!("VERSION:    {}\n\n", res.version()));
    let (desc, fields_of, mut history) = if path.is_empty() {
        let mut d = data.desc(root);
        if !d.is_empty() {
            d.push('\n');
        }
        (d, root, Vec::new())
    } else {
        let mut ty = root;
        let mut desc = String::new();
        for (i, seg) in path.iter().enumerate() {
            let Some(f) = (!ty.is_empty()).then(|| data.field(ty, seg)).flatten() else {
                // plaintext.tmpl names the last segment of the requested path.
                let last = path.last().copied().unwrap_or(seg);
                return Err(Failure::Error {
                    out,
                    msg: format!("error: field \"{last}\" does not exist"),
                });
            };
            if i + 1 == path.len() {
                // FIELD, the long view of `extractEnum` (ENUM: and one value a line), a blank line.
                out.push_str(&format!("FIELD: {} <{}>\n", f.name, f.ty));
                if !f.enums.is_empty() {
                    out.push_str("ENUM:");
                    for v in f.enums.split('|') {
                        out.push_str("\n    ");
                        out.push_str(v);
                    }
                }
                out.push_str("\n\n");
            }
            desc = field_desc(&data, &f);
            ty = f.target;
        }
        let history = if ty.is_empty() { Vec::new() } else { vec![ty] };
        (desc, ty, history)
    };
    out.push_str("DESCRIPTION:\n");
    // `or (include "description" …) "<empty>" | wrap 76 | indent 4`, then a line break.
    let desc = if desc.is_empty() { "<empty>" } else { &desc };
    out.push_str(&wrap(desc, 4, 80));
    let mut fields = String::new();
    if !fields_of.is_empty() {
        field_list(&data, fields_of, 1, recursive, &mut history, &mut fields);
    }
    if !fields.is_empty() {
        out.push_str("FIELDS:\n");
        out.push_str(&fields);
    }
    // The template ends the document with one more newline.
    out.push('\n');
    Ok(out)
}

/// Whether `line` may run `kubectl explain` (so the page runs it once the texts are here).
pub fn may_explain(line: &str) -> bool {
    line.split_whitespace().any(|w| w == "explain")
}

// Not inlined into `verbs::run`, so the release build can move it to the second wasm module
// when a first visit does not run it (issue #17, xtask/src/split.rs).
#[inline(never)]
pub(crate) fn run(args: &[String], out: &mut Out) {
    let specs = [
        crate::flags::b("recursive", None),
        crate::flags::v("api-version", None),
        crate::flags::v("output", Some('o')),
    ];
    let Some(p) = crate::cmdutil::parse_or_fail(args, &specs, "kubectl explain", out) else {
        return;
    };
    let Some(target) = p.positional.first() else {
        out.fail("You must specify the type of resource to explain. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nSee 'kubectl explain -h' for help and examples");
        return;
    };
    match explain(target, p.bool("recursive")) {
        Ok(t) => out.out(t),
        Err(Failure::Error { out: text, msg }) => {
            if !text.is_empty() {
                out.out(text);
            }
            out.fail(msg);
        }
        Err(Failure::NotLoaded) => out.hint(
            "kubectl explain's schemas are not loaded here (texts.json); the API reference is at https://kubernetes.io/docs/reference/kubernetes-api/",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_wordwrap_and_escapes() {
        assert_eq!(word_wrap("ab cd\n  - e f", 4), "ab\ncd\n  -\ne f");
        assert_eq!(unescape(r"a\nb\tc\\n\"), "a\nb\tc\\n");
    }

    #[test]
    fn a_damaged_data_file_is_read_without_panicking() {
        let d = Data::parse("= apps/v1/X\tT\n@ T\td\\n\nshort\nf\tstring\tr\t\t\t\n@ U\n\tx\n@");
        assert_eq!(entry(&d.kinds, "apps/v1/X"), Some(&"T"));
        assert_eq!(d.desc("T"), "d\n");
        let names: Vec<_> = d.fields("T").map(|f| (f.name, f.required)).collect();
        assert_eq!(names, [("f", true)]);
        assert_eq!(d.fields("nope").count(), 0);
    }

    /// plaintext.tmpl `extractEnum`: the short view (`limit 4`, then `, ....`) on a line of its
    /// own at the field's indent; `""` for an empty string value.
    #[test]
    fn enum_lines() {
        let d =
            Data::parse("@ T\t\nkind\tstring\t\t\tA|B|C|D|E\tx\nmode\tstring\tr\t\t\"\"|On\t\n");
        let mut out = String::new();
        let mut history = Vec::new();
        field_list(&d, "T", 2, false, &mut history, &mut out);
        assert_eq!(
            out,
            "    kind\t<string>\n    enum: A, B, C, D, ....\n      x\n\n    mode\t<string> -required-\n    enum: \"\", On\n      <no description>\n\n"
        );
    }
}

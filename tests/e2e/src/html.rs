//! Reading the built index.html as markup, not as text: trunk's release build minifies it
//! (`minify = "on_release"` in Trunk.toml: attribute values unquoted where HTML allows, comments
//! and optional whitespace gone, everything on one line), so a test that looks for
//! `id="boot"` or filters lines would break. A tag scanner is all the tests need.

/// One start tag: its name (lower case), its attributes in order (name lower case, value with
/// quotes removed; `""` for a bare attribute), and where it sits in the document (`start..end`,
/// `end` just past its `>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub start: usize,
    pub end: usize,
}

impl Tag {
    /// The attribute's value (`Some("")` for a bare attribute such as `disabled`).
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Every start tag of the document, in order (comments skipped; the text of `<script>` and
/// `<style>` elements is not scanned for tags).
pub fn tags(html: &str) -> Vec<Tag> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        let start = i + off;
        if html[start..].starts_with("<!--") {
            i = html[start..]
                .find("-->")
                .map_or(html.len(), |e| start + e + 3);
            continue;
        }
        let mut j = start + 1;
        if !b.get(j).is_some_and(u8::is_ascii_alphabetic) {
            i = j; // `</x>`, `<!DOCTYPE …>`, a stray `<`
            continue;
        }
        while b
            .get(j)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'-')
        {
            j += 1;
        }
        let name = html[start + 1..j].to_ascii_lowercase();
        let mut attrs = Vec::new();
        loop {
            while b
                .get(j)
                .is_some_and(|c| c.is_ascii_whitespace() || *c == b'/')
            {
                j += 1;
            }
            match b.get(j) {
                None => break,
                Some(b'>') => {
                    j += 1;
                    break;
                }
                _ => {}
            }
            let n0 = j;
            while b
                .get(j)
                .is_some_and(|c| !c.is_ascii_whitespace() && !matches!(c, b'=' | b'>' | b'/'))
            {
                j += 1;
            }
            let an = html[n0..j].to_ascii_lowercase();
            while b.get(j).is_some_and(u8::is_ascii_whitespace) {
                j += 1;
            }
            let mut value = String::new();
            if b.get(j) == Some(&b'=') {
                j += 1;
                while b.get(j).is_some_and(u8::is_ascii_whitespace) {
                    j += 1;
                }
                match b.get(j) {
                    Some(&q @ (b'"' | b'\'')) => {
                        let e = html[j + 1..]
                            .find(q as char)
                            .map_or(html.len(), |e| j + 1 + e);
                        value = html[j + 1..e].to_string();
                        j = (e + 1).min(html.len());
                    }
                    _ => {
                        let v0 = j;
                        while b
                            .get(j)
                            .is_some_and(|c| !c.is_ascii_whitespace() && *c != b'>')
                        {
                            j += 1;
                        }
                        value = html[v0..j].to_string();
                    }
                }
            }
            if !an.is_empty() {
                attrs.push((an, value));
            }
        }
        // raw text elements: skip to their end tag
        if name == "script" || name == "style" {
            let close = format!("</{name}");
            j = html[j..]
                .to_ascii_lowercase()
                .find(&close)
                .map_or(html.len(), |e| j + e);
        }
        out.push(Tag {
            name,
            attrs,
            start,
            end: j.min(html.len()),
        });
        i = j.min(html.len());
    }
    out
}

/// The first start tag named `name` whose attribute `attr` is `value`.
pub fn find<'a>(tags: &'a [Tag], name: &str, attr: &str, value: &str) -> Option<&'a Tag> {
    tags.iter()
        .find(|t| t.name == name && t.attr(attr) == Some(value))
}

/// `html` without the given elements (start tag to the end of its end tag when it has one:
/// `<script …>…</script>`; a void element such as `<link>` is its start tag alone).
pub fn remove(html: &str, drop: impl Fn(&Tag) -> bool) -> String {
    let mut out = String::new();
    let mut at = 0;
    for t in tags(html) {
        if t.start < at || !drop(&t) {
            continue;
        }
        out.push_str(&html[at..t.start]);
        at = t.end;
        let close = format!("</{}>", t.name);
        if !is_void(&t.name)
            && let Some(e) = html[at..].to_ascii_lowercase().find(&close)
        {
            at += e + close.len();
        }
    }
    out.push_str(&html[at..]);
    out
}

fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "source"
            | "track"
            | "wbr"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_unquoted_and_bare_attributes() {
        for html in [
            r#"<div id="boot" class="shell boot" aria-busy="true"><span role="status">x</span><button disabled>"#,
            "<div id=boot class=\"shell boot\" aria-busy=true><span role=status>x</span><button disabled>",
            "<DIV ID='boot' class='shell boot' aria-busy=true ><span role = status >x</span><button disabled/>",
        ] {
            let t = tags(html);
            let boot = find(&t, "div", "id", "boot").expect(html);
            assert_eq!(boot.attr("class"), Some("shell boot"), "{html}");
            assert!(find(&t, "span", "role", "status").is_some(), "{html}");
            assert_eq!(t[2].attr("disabled"), Some(""), "{html}");
        }
    }

    #[test]
    fn comments_and_script_text_are_not_tags() {
        let html = "<!-- <div id=x> --><script type=module src=./boot.js></script>\
                    <script>if (a<b) document.write('<p id=y>')</script><p id=z>";
        let t = tags(html);
        let names: Vec<_> = t.iter().map(|t| (t.name.as_str(), t.attr("id"))).collect();
        assert_eq!(
            names,
            [("script", None), ("script", None), ("p", Some("z"))],
            "{t:?}"
        );
    }

    #[test]
    fn remove_drops_elements_and_void_tags() {
        let html = "<head><script type=module src=b.js></script><link rel=stylesheet href=s.css>\
                    <link rel=modulepreload href=a.js><link rel=\"preload\" href=a.wasm as=fetch></head>";
        let out = remove(html, |t| {
            t.name == "script"
                || (t.name == "link" && matches!(t.attr("rel"), Some("preload" | "modulepreload")))
        });
        assert_eq!(out, "<head><link rel=stylesheet href=s.css></head>");
    }
}

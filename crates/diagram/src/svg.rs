//! [`El`] → an SVG document string, for export (download, `sim diagram svg`, docs).
//!
//! Self-contained: the diagram's CSS is inside, colours are presentation attributes, fonts
//! are a list of common families. Every attribute value and every text is escaped
//! ([`crate::text::xml_escape`]); tag and attribute names are ours.

use crate::scene::El;
use crate::text::xml_escape_into;

/// Write the tree as an SVG document (with the XML namespace on the root).
pub fn to_svg(root: &El) -> String {
    let mut out = String::with_capacity(root.count() * 64);
    write(root, &mut out, true);
    out
}

/// One element per line, no indentation (the export is read by programs; every byte of a
/// poster is downloaded by every page that embeds it).
fn write(el: &El, out: &mut String, root: bool) {
    out.push('<');
    out.push_str(el.tag);
    if root {
        out.push_str(" xmlns=\"http://www.w3.org/2000/svg\"");
    }
    for (name, value) in &el.attrs {
        out.push(' ');
        out.push_str(name);
        out.push_str("=\"");
        xml_escape_into(value, out);
        out.push('"');
    }
    if el.text.is_none() && el.children.is_empty() {
        out.push_str("/>\n");
        return;
    }
    out.push('>');
    if let Some(t) = &el.text {
        xml_escape_into(t, out);
    }
    if !el.children.is_empty() {
        out.push('\n');
        for c in &el.children {
            write(c, out, false);
        }
    }
    out.push_str("</");
    out.push_str(el.tag);
    out.push_str(">\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_attributes_are_escaped() {
        let el = El::new("svg").child(
            El::new("text")
                .attr("data-key", "pod/\"><script>alert(1)</script>")
                .text("<script>alert('x')</script> & \u{7}"),
        );
        let s = to_svg(&el);
        assert!(!s.contains("<script"), "{s}");
        assert!(s.contains("data-key=\"pod/&quot;&gt;&lt;script&gt;"), "{s}");
        assert!(
            s.contains(">&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; &amp; </text>"),
            "{s}"
        );
        assert!(s.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\">"));
    }
}

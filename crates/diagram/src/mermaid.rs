//! [`Graph`] → mermaid flowchart text in the seed card's style: `graph LR`, one `subgraph` per
//! workload, the OrderedReady chain on the owner edges (`ordered`, `after-0`, …) and `style`
//! lines (the set in the seed's blue), plus one `classDef` per status.
//!
//! Safe for any object name: node ids are ours (`s0`, `p0_1`, …, never a name, so never a
//! mermaid keyword), every label is a quoted string, and every character of a name that could
//! mean something to mermaid or to the HTML it renders (`"`, `#`, `<`, `>`, `&`, brackets,
//! backticks, `|`, `;`, control and invisible characters) is written as mermaid's numeric
//! entity code `#NNN;` (mermaid's documented escape: "Entity codes to escape characters").

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::graph::{EdgeKind, Graph, Kind, NodeId, Obj, Status};

/// Mermaid's default `maxEdges`: a flowchart with more edges does not render.
pub const MAX_EDGES: usize = 500;

/// Write `s` for the inside of a mermaid quoted string.
pub fn escape(s: &str) -> String {
    escape_with(s, true)
}

/// Write `s` for an edge's words (`-->|words|`, not a quoted string: mermaid reads
/// parentheses there as a shape, so they are coded too).
pub fn escape_edge(s: &str) -> String {
    escape_with(s, false)
}

fn escape_with(s: &str, parens: bool) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        let plain = c.is_ascii_alphanumeric()
            || matches!(c, ' ' | '-' | '.' | '_' | ':' | '/' | ',' | '=' | '+' | '@')
            || (parens && matches!(c, '(' | ')'))
            || (!c.is_ascii() && !invisible(c));
        if plain {
            o.push(c);
        } else {
            let _ = write!(o, "#{};", c as u32);
        }
    }
    o
}

/// Control, format and other invisible characters (bidirectional overrides, zero-width
/// joiners, line separators) that would hide or reorder text.
fn invisible(c: char) -> bool {
    matches!(c as u32,
        0x00..=0x1f | 0x7f..=0x9f | 0xad | 0x061c | 0x115f | 0x1160 | 0x180e
        | 0x200b..=0x200f | 0x2028..=0x202e | 0x2060..=0x206f | 0x3164 | 0xfe00..=0xfe0f
        | 0xfeff | 0xfff0..=0xfffb | 0xe0000..=0xe0fff)
}

/// Up to this many rows, labels carry the first "why" sentence; beyond, the text would pass
/// mermaid's default `maxTextSize` (50,000 characters) at 100 rows.
pub const WHY_MAX_ROWS: usize = 20;

fn label(o: &Obj, why: bool) -> String {
    let mut s = format!("{} {}", o.kind.short(), escape(o.title()));
    let mut second = format!("{} ", o.status.icon());
    second.push_str(&escape(if o.detail.is_empty() {
        o.status.word()
    } else {
        &o.detail
    }));
    if let Some(r) = &o.revision {
        second.push_str(" · ");
        second.push_str(&escape(&r.badge()));
    }
    s.push_str("<br/>");
    s.push_str(&second);
    if let Some(l3) = &o.line3 {
        s.push_str("<br/>");
        s.push_str(&escape(l3));
    }
    if let Some(w) = o.why.first().filter(|_| why) {
        s.push_str("<br/>why: ");
        s.push_str(&escape(w));
    }
    s
}

/// Mermaid text of the graph.
pub fn to_mermaid(g: &Graph) -> String {
    let mut ids: Vec<String> = vec![String::new(); g.nodes.len()];
    let set = |ids: &mut Vec<String>, n: NodeId, id: String| {
        if let Some(s) = ids.get_mut(n) {
            *s = id;
        }
    };
    for (gi, gr) in g.groups.iter().enumerate() {
        set(&mut ids, gr.head, format!("s{gi}"));
        for (k, sh) in gr.subheads.iter().enumerate() {
            set(&mut ids, *sh, format!("r{gi}_{k}"));
        }
        if let Some(svc) = gr.service {
            set(&mut ids, svc, format!("h{gi}"));
        }
        for (ri, row) in gr.rows.iter().enumerate() {
            set(&mut ids, row.pod, format!("p{gi}_{ri}"));
            for (k, c) in row.claims.iter().enumerate() {
                set(&mut ids, c.claim, format!("c{gi}_{ri}_{k}"));
                set(&mut ids, c.volume, format!("v{gi}_{ri}_{k}"));
            }
        }
    }
    for (li, n) in g.lanes.iter().enumerate() {
        set(&mut ids, *n, format!("n{li}"));
    }
    let id = |n: NodeId| ids.get(n).map(String::as_str).unwrap_or("");

    let mut out = String::from("graph LR\n");
    if g.groups.is_empty() {
        let _ = writeln!(
            out,
            "    empty[\"No StatefulSet in namespace {} yet\"]",
            escape(&g.namespace)
        );
        return out;
    }
    let rows: usize = g.groups.iter().map(|gr| gr.rows.len()).sum();
    let why = rows <= WHY_MAX_ROWS;
    let node_line = |out: &mut String, indent: &str, n: NodeId| {
        if let Some(o) = g.node(n) {
            let _ = writeln!(out, "{indent}{}[\"{}\"]", id(n), label(o, why));
        }
    };
    for (gi, gr) in g.groups.iter().enumerate() {
        let _ = writeln!(out, "    subgraph g{gi} [\"{}\"]", escape(&gr.title));
        node_line(&mut out, "        ", gr.head);
        for sh in &gr.subheads {
            node_line(&mut out, "        ", *sh);
        }
        if let Some(svc) = gr.service {
            node_line(&mut out, "        ", svc);
        }
        for row in &gr.rows {
            node_line(&mut out, "        ", row.pod);
            for c in &row.claims {
                node_line(&mut out, "        ", c.claim);
                // An empty volume slot is not an object: mermaid draws only real volumes.
                if g.node(c.volume).is_some_and(|v| !v.name.is_empty()) {
                    node_line(&mut out, "        ", c.volume);
                }
            }
        }
        out.push_str("    end\n");
    }
    if !g.lanes.is_empty() {
        out.push_str("    subgraph nodes [\"Nodes\"]\n");
        for n in &g.lanes {
            node_line(&mut out, "        ", *n);
        }
        out.push_str("    end\n");
    }
    // Edges; when there are too many for mermaid, the Service's selects go first.
    let drop_selects = g.edges.len() > MAX_EDGES;
    let mut dropped = 0;
    for e in &g.edges {
        if drop_selects && e.kind == EdgeKind::Selects {
            dropped += 1;
            continue;
        }
        let arrow = match e.kind {
            EdgeKind::Selects | EdgeKind::Governs | EdgeKind::RunsOn => "-.->",
            _ => "-->",
        };
        let _ = writeln!(
            out,
            "    {} {arrow}|{}| {}",
            id(e.from),
            escape_edge(e.text()),
            id(e.to)
        );
    }
    if dropped > 0 {
        let _ = writeln!(
            out,
            "    %% {dropped} selects edges left out: mermaid draws at most {MAX_EDGES} edges"
        );
    }
    // Styles: the set as the seed draws it, statuses by class.
    for gr in &g.groups {
        if g.node(gr.head).is_some_and(|h| h.kind == Kind::StatefulSet) {
            let _ = writeln!(out, "    style {} fill:#326ce5,color:#fff", id(gr.head));
        }
    }
    let mut by_status: BTreeMap<Status, Vec<&str>> = BTreeMap::new();
    for (n, o) in g.nodes.iter().enumerate() {
        let head = matches!(
            o.kind,
            Kind::StatefulSet | Kind::Deployment | Kind::ReplicaSet
        );
        let empty_slot = o.kind == Kind::Volume && o.name.is_empty();
        if head || empty_slot || id(n).is_empty() {
            continue;
        }
        by_status.entry(o.status).or_default().push(id(n));
    }
    for (s, members) in by_status {
        let dash = s
            .dash()
            .map(|d| format!(",stroke-dasharray:{d}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "    classDef {} fill:{},stroke:{},color:#202124{dash}",
            s.css(),
            s.fill(),
            s.stroke()
        );
        let _ = writeln!(out, "    class {} {}", members.join(","), s.css());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_codes_everything_mermaid_or_html_would_read() {
        assert_eq!(escape("web-0"), "web-0");
        assert_eq!(escape("a\"b"), "a#34;b");
        assert_eq!(escape("<script>"), "#60;script#62;");
        assert_eq!(escape("#quot;"), "#35;quot#59;");
        assert_eq!(escape("[x](y){z}|`"), "#91;x#93;(y)#123;z#125;#124;#96;");
        assert_eq!(escape("a&b;c"), "a#38;b#59;c");
        assert_eq!(escape_edge("after-0 (x)"), "after-0 #40;x#41;");
        assert_eq!(escape("日本語 ✓"), "日本語 ✓");
        assert_eq!(escape("a\u{202e}b\u{200b}\n"), "a#8238;b#8203;#10;");
    }
}

//! Specimens for escape tests of any renderer (the SVG and mermaid exports here, the DOM in the
//! app, mermaid itself in the e2e suite): graphs whose every text is a hostile name.

use crate::graph::{
    ClaimSlot, Edge, EdgeKind, Graph, Group, Kind, Obj, Revision, RevisionRole, Row, Status,
};

/// Names that would break a careless renderer: markup, quotes, brackets, entity look-alikes,
/// mermaid keywords and syntax, unicode, invisible and control characters.
pub const HOSTILE: &[&str] = &[
    "web\"><script>alert(1)</script>",
    "a&b;c#quot;d#35;e",
    "\"quoted\" 'single' [brackets] {braces} (parens) |pipes|",
    "日本語-ポッド-0 ✓ émoji 🚀",
    "end",
    "subgraph",
    "graph LR",
    "style s0 fill:#f00",
    "click s0 call alert()",
    "`markdown` **bold** %%comment",
    "rtl\u{202e}override zero\u{200b}width",
    "line\nbreak\ttab\u{7}bell",
    "--> B[evil] -.-> C",
    "<br/><img src=x onerror=alert(1)>",
    "]]><!-- -->",
];

fn obj(key: &str, kind: Kind, name: &str, status: Status) -> Obj {
    let mut o = Obj::new(
        key.into(),
        kind,
        name.into(),
        status,
        format!("state of {name}"),
    );
    o.why = vec![format!("{name} is waiting for {name}")];
    o.facts = vec![("node", name.to_string())];
    o
}

/// A one-row graph (set, Service, pod, claim, volume, every edge kind but runs-on) whose
/// every text (names, state words, why, facts, revision, title, namespace) is `name`.
pub fn graph(name: &str) -> Graph {
    let mut g = Graph {
        namespace: name.into(),
        ..Graph::default()
    };
    let mut add = |o: Obj| {
        g.nodes.push(o);
        g.nodes.len() - 1
    };
    let head = add(obj("sts/x", Kind::StatefulSet, name, Status::Progressing));
    let svc = add(obj("svc/x", Kind::Service, name, Status::Ready));
    let pod = add(obj("pod/x", Kind::Pod, name, Status::Failing));
    let claim = add(obj("pvc/x", Kind::Claim, name, Status::Ready));
    let volume = add(obj("pv@pvc/x", Kind::Volume, name, Status::Retained));
    if let Some(h) = g.nodes.get_mut(head) {
        h.line3 = Some(name.into());
    }
    if let Some(p) = g.nodes.get_mut(pod) {
        p.revision = Some(Revision {
            hash: name.into(),
            role: RevisionRole::Old,
        });
    }
    for (from, to, kind, label) in [
        (svc, head, EdgeKind::Governs, None),
        (head, pod, EdgeKind::Owns, Some(name.to_string())),
        (svc, pod, EdgeKind::Selects, None),
        (pod, claim, EdgeKind::Mounts, None),
        (claim, volume, EdgeKind::BoundTo, None),
    ] {
        g.edges.push(Edge {
            from,
            to,
            kind,
            label,
        });
    }
    g.groups.push(Group {
        key: format!("group/{name}"),
        title: name.into(),
        head,
        subheads: vec![],
        service: Some(svc),
        ordered: true,
        rows: vec![Row {
            ordinal: Some(0),
            owner: head,
            pod,
            claims: vec![ClaimSlot { claim, volume }],
            lane: None,
        }],
        aggregated: false,
    });
    g
}

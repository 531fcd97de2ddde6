//! What the diagram tests share: sessions on the seed, and readable dumps of graphs and
//! layouts for snapshots.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use diagram::{Graph, Layout, LayoutOptions, Options, Rect, Status, build, layout};
use kubectl::Session;

pub const SET: &str = "nginx-with-init-container";

/// A session with the seed applied (nothing has run yet).
pub fn applied() -> Session {
    let mut s = Session::new();
    run(&mut s, "kubectl apply -f svc.yaml -f sts.yaml");
    s
}

/// The seed applied and settled.
pub fn settled() -> Session {
    let mut s = applied();
    run(&mut s, "sim settle");
    s
}

pub fn run(s: &mut Session, line: &str) -> String {
    let o = s.run_line(line);
    assert!(o.ok, "{line}: {}", o.stderr);
    o.stdout
}

/// The seed's StatefulSet with other replicas / policy, applied.
pub fn seed_with(replicas: u32, policy: &str) -> Session {
    let mut s = Session::new();
    let sts = s.files().files.get("sts.yaml").unwrap().clone();
    let sts = sts
        .replace("replicas: 3", &format!("replicas: {replicas}"))
        .replace(
            "  serviceName:",
            &format!("  podManagementPolicy: {policy}\n  serviceName:"),
        );
    s.set_file("big.yaml", &sts);
    run(&mut s, "kubectl apply -f svc.yaml -f big.yaml");
    s
}

pub fn graph(s: &Session) -> Graph {
    build(s.cluster(), "default", &Options::default())
}

pub fn graph_with(s: &Session, o: &Options) -> Graph {
    build(s.cluster(), "default", o)
}

pub fn both(s: &Session) -> (Graph, Layout) {
    let g = graph(s);
    let l = layout(&g, &LayoutOptions::default());
    (g, l)
}

/// The rect of the object with this key.
pub fn rect(g: &Graph, l: &Layout, key: &str) -> Option<Rect> {
    let id = g.nodes.iter().position(|n| n.key == key)?;
    l.rect_of(id)
}

/// One line per placed object: key, place, status icon, state words, badge, why.
pub fn dump_layout(g: &Graph, l: &Layout) -> String {
    let mut out = String::new();
    for b in &l.boxes {
        let o = &g.nodes[b.node];
        let r = b.rect;
        out.push_str(&format!(
            "  {} @{},{} {}x{} {} {}",
            o.key,
            r.x,
            r.y,
            r.w,
            r.h,
            o.status.icon(),
            if o.detail.is_empty() { "-" } else { &o.detail }
        ));
        if let Some(rev) = &o.revision {
            out.push_str(&format!(" [{}]", rev.badge()));
        }
        if let Some(l3) = &o.line3 {
            out.push_str(&format!(" [{l3}]"));
        }
        out.push('\n');
    }
    for n in &l.notes {
        out.push_str(&format!(
            "  why {} @{},{}: {}\n",
            g.nodes[n.node].key,
            n.x,
            n.y,
            n.lines.join(" / ")
        ));
    }
    out
}

/// The graph: objects with state, then edges.
pub fn dump_graph(g: &Graph) -> String {
    let mut out = String::new();
    for gr in &g.groups {
        out.push_str(&format!(
            "group {} \"{}\" ordered={} aggregated={} rows={}\n",
            gr.key,
            gr.title,
            gr.ordered,
            gr.aggregated,
            gr.rows.len()
        ));
    }
    for o in &g.nodes {
        out.push_str(&format!(
            "node {} {:?} {} \"{}\" {}",
            o.key,
            o.kind,
            o.status.css(),
            o.name,
            o.detail
        ));
        if let Some(r) = &o.revision {
            out.push_str(&format!(" [{}]", r.badge()));
        }
        if let Some(a) = &o.aggregate {
            out.push_str(&format!(" range {}..={}", a.first, a.last));
        }
        out.push('\n');
        for w in &o.why {
            out.push_str(&format!("  why: {w}\n"));
        }
    }
    for e in &g.edges {
        out.push_str(&format!(
            "edge {} -{}-> {}\n",
            g.nodes[e.from].key,
            e.text(),
            g.nodes[e.to].key
        ));
    }
    out
}

/// No two boxes overlap, and every box lies inside the picture.
pub fn assert_no_overlap(g: &Graph, l: &Layout) {
    for (i, a) in l.boxes.iter().enumerate() {
        let ra = a.rect;
        assert!(
            ra.x >= 0 && ra.y >= 0 && ra.right() <= l.width && ra.bottom() <= l.height,
            "{} outside the picture {}x{}: {ra:?}",
            g.nodes[a.node].key,
            l.width,
            l.height
        );
        for b in l.boxes.iter().skip(i + 1) {
            let rb = b.rect;
            let apart = ra.right() <= rb.x
                || rb.right() <= ra.x
                || ra.bottom() <= rb.y
                || rb.bottom() <= ra.y;
            assert!(
                apart,
                "{} and {} overlap: {ra:?} {rb:?}",
                g.nodes[a.node].key, g.nodes[b.node].key
            );
        }
    }
}

pub fn count(g: &Graph, f: impl Fn(&diagram::Obj) -> bool) -> usize {
    g.nodes.iter().filter(|n| f(n)).count()
}

pub fn status_of(g: &Graph, key: &str) -> Status {
    g.find(key).unwrap_or_else(|| panic!("no {key}")).status
}

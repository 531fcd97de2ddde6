//! Simulation state -> graph -> layout -> SVG / mermaid text.
//!
//! Three pure stages, each testable on its own:
//! 1. [`build`] reads the store and makes a [`Graph`]: per StatefulSet its headless Service, its
//!    pods by ordinal, each pod's claims and each claim's volume, with kubectl's status text.
//! 2. [`layout`] places the nodes in columns (service/set, pods, claims, volumes) and rows (by
//!    ordinal), so a pod, its claim and its volume line up: identity and storage stick together.
//! 3. [`to_mermaid`] and [`to_svg`] render text. The SVG string escapes every piece of text (it is
//!    for export); the browser draws the [`Layout`] with DOM nodes and never parses markup.

use std::collections::BTreeSet;

use sim::k8s_openapi::api::apps::v1::StatefulSet;
use sim::k8s_openapi::api::core::v1::{PersistentVolume, PersistentVolumeClaim, Pod, Service};
use sim::store::Store;

/// What a node stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NodeKind {
    Service,
    StatefulSet,
    Pod,
    Claim,
    Volume,
}

impl NodeKind {
    pub fn css(self) -> &'static str {
        match self {
            NodeKind::Service => "svc",
            NodeKind::StatefulSet => "sts",
            NodeKind::Pod => "pod",
            NodeKind::Claim => "pvc",
            NodeKind::Volume => "pv",
        }
    }
}

/// A coarse health used for colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Health {
    Good,
    Progressing,
    Bad,
    Terminating,
    Missing,
}

impl Health {
    pub fn css(self) -> &'static str {
        match self {
            Health::Good => "good",
            Health::Progressing => "progressing",
            Health::Bad => "bad",
            Health::Terminating => "terminating",
            Health::Missing => "missing",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// Unique, e.g. `pod/web-0`.
    pub id: String,
    pub kind: NodeKind,
    /// The object's name.
    pub label: String,
    /// One line of state, e.g. `Running 1/1`, `Bound 100Mi`, `Pending`.
    pub detail: String,
    pub health: Health,
    /// Column and row hints for the layout.
    pub column: u32,
    pub row: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    pub from: String,
    pub to: String,
    pub label: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Graph {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    /// One per StatefulSet: (title, node ids inside).
    pub groups: Vec<(String, Vec<String>)>,
}

/// The ordinal of `<set>-<n>`.
fn ordinal_of(set: &str, pod: &str) -> Option<u32> {
    pod.strip_prefix(set)?.strip_prefix('-')?.parse().ok()
}

fn pod_health(pod: &Pod) -> Health {
    if pod.metadata.deletion_timestamp.is_some() {
        return Health::Terminating;
    }
    let status = sim::podstatus::pod_status_text(pod);
    let ready = sim::podstatus::pod_ready_text(pod);
    let all_ready = ready
        .split_once('/')
        .is_some_and(|(a, b)| a == b && a != "0");
    if status == "Running" && all_ready {
        Health::Good
    } else if status.contains("Err")
        || status.contains("BackOff")
        || status == "Failed"
        || status == "Error"
        || status.starts_with("Init:Err")
        || status.starts_with("Init:CrashLoop")
    {
        Health::Bad
    } else {
        Health::Progressing
    }
}

fn claim_detail(pvc: &PersistentVolumeClaim) -> (String, Health) {
    if pvc.metadata.deletion_timestamp.is_some() {
        return ("Terminating".into(), Health::Terminating);
    }
    let phase = pvc
        .status
        .as_ref()
        .and_then(|s| s.phase.clone())
        .unwrap_or_else(|| "Pending".into());
    let cap = pvc
        .status
        .as_ref()
        .and_then(|s| s.capacity.as_ref())
        .and_then(|c| c.get("storage"))
        .map(|q| q.0.clone());
    let health = match phase.as_str() {
        "Bound" => Health::Good,
        "Lost" => Health::Bad,
        _ => Health::Progressing,
    };
    (cap.map(|c| format!("{phase} {c}")).unwrap_or(phase), health)
}

/// Claims a pod of this set uses, from its volumes (or, before the pod exists, the templates).
fn claim_names(set: &StatefulSet, pod_name: &str, pod: Option<&Pod>) -> Vec<String> {
    if let Some(p) = pod {
        let from_pod: Vec<String> = p
            .spec
            .iter()
            .flat_map(|s| s.volumes.iter().flatten())
            .filter_map(|v| {
                v.persistent_volume_claim
                    .as_ref()
                    .map(|c| c.claim_name.clone())
            })
            .collect();
        if !from_pod.is_empty() {
            return from_pod;
        }
    }
    set.spec
        .iter()
        .flat_map(|s| s.volume_claim_templates.iter().flatten())
        .filter_map(|t| t.metadata.name.as_ref().map(|n| format!("{n}-{pod_name}")))
        .collect()
}

/// Build the graph of every StatefulSet in `ns`.
pub fn build(store: &Store, ns: &str) -> Graph {
    let mut g = Graph::default();
    let mut row_base = 0u32;
    for set in store.list::<StatefulSet>(Some(ns)) {
        let set_name = set.metadata.name.clone().unwrap_or_default();
        let spec = set.spec.as_ref();
        let replicas = spec.and_then(|s| s.replicas).unwrap_or(1).max(0) as u32;
        let start = spec
            .and_then(|s| s.ordinals.as_ref())
            .and_then(|o| o.start)
            .unwrap_or(0)
            .max(0) as u32;
        let status = set.status.as_ref();
        let ready = status.and_then(|s| s.ready_replicas).unwrap_or(0);
        let mut members = Vec::new();

        let set_id = format!("sts/{set_name}");
        g.nodes.push(Node {
            id: set_id.clone(),
            kind: NodeKind::StatefulSet,
            label: set_name.clone(),
            detail: format!("{ready}/{replicas} ready"),
            health: if ready as u32 == replicas {
                Health::Good
            } else {
                Health::Progressing
            },
            column: 0,
            row: row_base,
        });
        members.push(set_id.clone());
        if let Some(svc_name) = spec
            .and_then(|s| s.service_name.clone())
            .filter(|s| !s.is_empty())
        {
            let svc = store.get::<Service>(ns, &svc_name);
            let svc_id = format!("svc/{svc_name}");
            let headless = svc
                .and_then(|s| s.spec.as_ref())
                .and_then(|s| s.cluster_ip.as_deref())
                .is_some_and(|ip| ip == "None");
            g.nodes.push(Node {
                id: svc_id.clone(),
                kind: NodeKind::Service,
                label: svc_name.clone(),
                detail: match svc {
                    None => "missing".into(),
                    Some(_) if headless => "headless".into(),
                    Some(_) => "not headless".into(),
                },
                health: match svc {
                    None => Health::Missing,
                    Some(_) if headless => Health::Good,
                    Some(_) => Health::Bad,
                },
                column: 0,
                row: row_base + 1,
            });
            g.edges.push(Edge {
                from: svc_id.clone(),
                to: set_id.clone(),
                label: "governs".into(),
            });
            members.push(svc_id);
        }

        // Pods: the wanted ordinals plus any existing pod of this set (condemned, terminating).
        let mut ordinals: BTreeSet<u32> =
            (start..start.saturating_add(replicas.min(10_000))).collect();
        for p in store.list::<Pod>(Some(ns)) {
            let owned = p
                .metadata
                .owner_references
                .iter()
                .flatten()
                .any(|o| o.kind == "StatefulSet" && o.name == set_name);
            let ordinal = p
                .metadata
                .name
                .as_deref()
                .and_then(|n| ordinal_of(&set_name, n));
            if let (true, Some(o)) = (owned, ordinal) {
                ordinals.insert(o);
            }
        }
        let mut prev: Option<String> = None;
        for (row, ord) in ordinals.iter().enumerate() {
            let row = row_base + row as u32;
            let pod_name = format!("{set_name}-{ord}");
            let pod = store.get::<Pod>(ns, &pod_name);
            let pod_id = format!("pod/{pod_name}");
            let (detail, health) = match pod {
                Some(p) => (
                    format!(
                        "{} {}",
                        sim::podstatus::pod_status_text(p),
                        sim::podstatus::pod_ready_text(p)
                    ),
                    pod_health(p),
                ),
                None => ("not created".into(), Health::Missing),
            };
            g.nodes.push(Node {
                id: pod_id.clone(),
                kind: NodeKind::Pod,
                label: pod_name.clone(),
                detail,
                health,
                column: 1,
                row,
            });
            let label = match &prev {
                None => "ordered".to_string(),
                Some(p) => format!("after {p}"),
            };
            g.edges.push(Edge {
                from: set_id.clone(),
                to: pod_id.clone(),
                label,
            });
            members.push(pod_id.clone());
            prev = Some(format!("{ord}"));

            for claim in claim_names(set, &pod_name, pod) {
                let pvc = store.get::<PersistentVolumeClaim>(ns, &claim);
                let claim_id = format!("pvc/{claim}");
                let (detail, health) = match pvc {
                    Some(c) => claim_detail(c),
                    None => ("not created".into(), Health::Missing),
                };
                g.nodes.push(Node {
                    id: claim_id.clone(),
                    kind: NodeKind::Claim,
                    label: claim.clone(),
                    detail,
                    health,
                    column: 2,
                    row,
                });
                g.edges.push(Edge {
                    from: pod_id.clone(),
                    to: claim_id.clone(),
                    label: "mounts".into(),
                });
                members.push(claim_id.clone());
                if let Some(vol) = pvc
                    .and_then(|c| c.spec.as_ref())
                    .and_then(|s| s.volume_name.clone())
                {
                    let pv = store.get::<PersistentVolume>("", &vol);
                    let node_name = pv
                        .and_then(|p| p.spec.as_ref())
                        .and_then(|s| s.node_affinity.as_ref())
                        .and_then(|a| a.required.as_ref())
                        .and_then(|r| r.node_selector_terms.first())
                        .and_then(|t| t.match_expressions.as_ref())
                        .and_then(|e| e.first())
                        .and_then(|e| e.values.as_ref())
                        .and_then(|v| v.first())
                        .cloned();
                    let pv_id = format!("pv/{vol}");
                    if !g.nodes.iter().any(|n| n.id == pv_id) {
                        g.nodes.push(Node {
                            id: pv_id.clone(),
                            kind: NodeKind::Volume,
                            label: vol.clone(),
                            detail: node_name
                                .map(|n| format!("on {n}"))
                                .unwrap_or_else(|| "volume".into()),
                            health: if pv.is_some() {
                                Health::Good
                            } else {
                                Health::Missing
                            },
                            column: 3,
                            row,
                        });
                        members.push(pv_id.clone());
                    }
                    g.edges.push(Edge {
                        from: claim_id,
                        to: pv_id,
                        label: "bound".into(),
                    });
                }
            }
        }
        row_base += (ordinals.len() as u32).max(2) + 1;
        g.groups.push((
            format!("StatefulSet: {set_name} ({replicas} replicas)"),
            members,
        ));
    }
    g
}

/// Mermaid flowchart text, ready to paste into docs. Labels are quoted; quotes and angle
/// brackets in names are replaced by mermaid's entity codes.
pub fn to_mermaid(g: &Graph) -> String {
    fn id(s: &str) -> String {
        s.chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect()
    }
    fn esc(s: &str) -> String {
        s.replace('"', "#quot;")
            .replace('<', "#lt;")
            .replace('>', "#gt;")
    }
    let mut out = String::from("graph LR\n");
    let mut placed: BTreeSet<&str> = BTreeSet::new();
    for (title, members) in &g.groups {
        out.push_str(&format!("    subgraph \"{}\"\n", esc(title)));
        for m in members {
            if let Some(n) = g.nodes.iter().find(|n| &n.id == m) {
                out.push_str(&format!(
                    "        {}[\"{}<br/>{}\"]\n",
                    id(&n.id),
                    esc(&n.label),
                    esc(&n.detail)
                ));
                placed.insert(n.id.as_str());
            }
        }
        out.push_str("    end\n");
    }
    for n in g.nodes.iter().filter(|n| !placed.contains(n.id.as_str())) {
        out.push_str(&format!(
            "    {}[\"{}<br/>{}\"]\n",
            id(&n.id),
            esc(&n.label),
            esc(&n.detail)
        ));
    }
    for e in &g.edges {
        out.push_str(&format!(
            "    {} -->|{}| {}\n",
            id(&e.from),
            esc(&e.label),
            id(&e.to)
        ));
    }
    for n in g.nodes.iter().filter(|n| n.kind == NodeKind::StatefulSet) {
        out.push_str(&format!(
            "    style {} fill:#326ce5,color:#fff\n",
            id(&n.id)
        ));
    }
    out
}

/// A placed node.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    pub node: Node,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

/// A routed edge: a cubic from (x1,y1) to (x2,y2).
#[derive(Debug, Clone, PartialEq)]
pub struct Routed {
    pub edge: Edge,
    pub x1: f64,
    pub y1: f64,
    pub x2: f64,
    pub y2: f64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    pub nodes: Vec<Placed>,
    pub edges: Vec<Routed>,
}

pub const NODE_W: f64 = 230.0;
pub const MAX_NODE_W: f64 = 420.0;
pub const NODE_H: f64 = 46.0;
const COL_GAP: f64 = 56.0;
const ROW_GAP: f64 = 16.0;
const MARGIN: f64 = 16.0;

/// Approximate text width of `s` at the label font (13px DejaVu Sans bold ~ 8 px a char).
fn text_width(s: &str) -> f64 {
    s.chars().count() as f64 * 8.0
}

/// Columns left to right, rows by ordinal; each column is as wide as its widest label. Edges
/// leave a node's right side and enter the next node's left side (service -> set is drawn
/// vertically in column 0).
pub fn layout(g: &Graph) -> Layout {
    let mut l = Layout::default();
    let columns = g
        .nodes
        .iter()
        .map(|n| n.column)
        .max()
        .map_or(0, |m| m as usize + 1);
    let mut widths = vec![NODE_W * 0.6; columns];
    for n in &g.nodes {
        if let Some(w) = widths.get_mut(n.column as usize) {
            *w = w
                .max(text_width(&n.label).max(text_width(&n.detail) * 0.92) + 18.0)
                .min(MAX_NODE_W);
        }
    }
    let mut xs = Vec::with_capacity(columns);
    let mut x = MARGIN;
    for w in &widths {
        xs.push(x);
        x += w + COL_GAP;
    }
    for n in &g.nodes {
        let col = n.column as usize;
        let x = xs.get(col).copied().unwrap_or(MARGIN);
        let w = widths.get(col).copied().unwrap_or(NODE_W);
        let y = MARGIN + f64::from(n.row) * (NODE_H + ROW_GAP);
        l.width = l.width.max(x + w + MARGIN);
        l.height = l.height.max(y + NODE_H + MARGIN);
        l.nodes.push(Placed {
            node: n.clone(),
            x,
            y,
            w,
            h: NODE_H,
        });
    }
    for e in &g.edges {
        let (Some(a), Some(b)) = (
            l.nodes.iter().find(|p| p.node.id == e.from),
            l.nodes.iter().find(|p| p.node.id == e.to),
        ) else {
            continue;
        };
        let (x1, y1, x2, y2) = if a.node.column == b.node.column {
            (a.x + a.w / 2.0, a.y, b.x + b.w / 2.0, b.y + b.h)
        } else {
            (a.x + a.w, a.y + a.h / 2.0, b.x, b.y + b.h / 2.0)
        };
        l.edges.push(Routed {
            edge: e.clone(),
            x1,
            y1,
            x2,
            y2,
        });
    }
    l
}

/// Escape text for XML character data and attribute values.
pub fn xml_escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => {}
            c => o.push(c),
        }
    }
    o
}

/// The path of an edge (a horizontal S-curve, or a straight vertical line).
pub fn edge_path(r: &Routed) -> String {
    if (r.x1 - r.x2).abs() < f64::EPSILON {
        format!("M{:.1},{:.1} L{:.1},{:.1}", r.x1, r.y1, r.x2, r.y2)
    } else {
        let mid = (r.x1 + r.x2) / 2.0;
        format!(
            "M{:.1},{:.1} C{mid:.1},{:.1} {mid:.1},{:.1} {:.1},{:.1}",
            r.x1, r.y1, r.y1, r.y2, r.x2, r.y2
        )
    }
}

/// Fill colours by health (the same palette as web/style.css).
pub fn fill(h: Health) -> &'static str {
    match h {
        Health::Good => "#e6f4ea",
        Health::Progressing => "#fff4d6",
        Health::Bad => "#fde2e1",
        Health::Terminating => "#eceff1",
        Health::Missing => "#ffffff",
    }
}

/// A standalone SVG document (for export and docs); every text is escaped.
pub fn to_svg(l: &Layout) -> String {
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w:.0}\" height=\"{h:.0}\" viewBox=\"0 0 {w:.0} {h:.0}\" font-family=\"DejaVu Sans, sans-serif\">\n",
        w = l.width.max(1.0),
        h = l.height.max(1.0)
    );
    for r in &l.edges {
        s.push_str(&format!(
            "  <path d=\"{}\" fill=\"none\" stroke=\"#8a94a6\" stroke-width=\"1.5\"><title>{}</title></path>\n",
            edge_path(r),
            xml_escape(&r.edge.label)
        ));
    }
    for p in &l.nodes {
        let stroke = if p.node.kind == NodeKind::StatefulSet {
            "#326ce5"
        } else {
            "#5f6b7a"
        };
        s.push_str(&format!(
            "  <g class=\"{} {}\"><rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" rx=\"6\" fill=\"{}\" stroke=\"{stroke}\"/>\
<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"13\" font-weight=\"bold\">{}</text>\
<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" fill=\"#3c4043\">{}</text></g>\n",
            p.node.kind.css(),
            p.node.health.css(),
            p.x,
            p.y,
            p.w,
            p.h,
            fill(p.node.health),
            p.x + 8.0,
            p.y + 19.0,
            xml_escape(&p.node.label),
            p.x + 8.0,
            p.y + 37.0,
            xml_escape(&p.node.detail)
        ));
    }
    s.push_str("</svg>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals_parse_only_for_the_set() {
        assert_eq!(ordinal_of("web", "web-10"), Some(10));
        assert_eq!(ordinal_of("web", "webx-1"), None);
        assert_eq!(ordinal_of("web", "web-a"), None);
    }

    #[test]
    fn svg_and_mermaid_escape_hostile_names() {
        let g = Graph {
            nodes: vec![Node {
                id: "pod/<x>".into(),
                kind: NodeKind::Pod,
                label: "<script>\"".into(),
                detail: "a&b".into(),
                health: Health::Bad,
                column: 1,
                row: 0,
            }],
            edges: vec![],
            groups: vec![],
        };
        let svg = to_svg(&layout(&g));
        assert!(svg.contains("&lt;script&gt;&quot;"));
        assert!(!svg.contains("<script>"));
        let m = to_mermaid(&g);
        assert!(m.contains("#lt;script#gt;#quot;"));
    }

    #[test]
    fn layout_puts_columns_left_to_right() {
        let mk = |id: &str, kind, column, row| Node {
            id: id.into(),
            kind,
            label: id.into(),
            detail: String::new(),
            health: Health::Good,
            column,
            row,
        };
        let g = Graph {
            nodes: vec![
                mk("sts/a", NodeKind::StatefulSet, 0, 0),
                mk("pod/a-0", NodeKind::Pod, 1, 0),
            ],
            edges: vec![Edge {
                from: "sts/a".into(),
                to: "pod/a-0".into(),
                label: "ordered".into(),
            }],
            groups: vec![],
        };
        let l = layout(&g);
        assert_eq!(l.edges.len(), 1);
        assert!(l.nodes[1].x > l.nodes[0].x + l.nodes[0].w);
        assert!(edge_path(&l.edges[0]).starts_with('M'));
    }
}

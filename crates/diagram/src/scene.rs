//! [`Graph`] + [`Layout`] → [`El`]: a renderer-neutral element tree.
//!
//! The one source of truth for both renderers: [`crate::svg::to_svg`] writes it as an SVG
//! document (escaping every text and attribute), and the browser builds DOM nodes from it
//! (element by element, `setAttribute` and text nodes; never markup). Every element that
//! stands for something has a stable `key` (`o:pod/web-0`, `e:owns:sts/web>pod/web-0`, …), so
//! a renderer can keep the node and let CSS animate the change.
//!
//! Objects are `<g>` translated to their place with their content at (0, 0), so a move is a
//! change of one `transform` and a state change is a change of classes and fills.

use std::borrow::Cow;
use std::collections::BTreeSet;

use crate::graph::{EdgeKind, Graph, Kind, Obj, Status};
use crate::layout::{self, Density, Layout, Placed};

/// One element: a tag, attributes, text, children, and a stable key for keyed updates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct El {
    pub tag: &'static str,
    pub key: Option<String>,
    /// Attribute names are ours (static); values may carry object names (escaped on output).
    /// Constant values are borrowed, not allocated (a scene of 100 pods has ~20,000 values).
    pub attrs: Vec<(&'static str, Cow<'static, str>)>,
    /// Text content (a text node; never parsed as markup).
    pub text: Option<String>,
    pub children: Vec<El>,
}

impl El {
    pub fn new(tag: &'static str) -> Self {
        El {
            tag,
            attrs: Vec::with_capacity(8),
            ..El::default()
        }
    }

    pub fn key(mut self, k: impl Into<String>) -> Self {
        self.key = Some(k.into());
        self
    }

    pub fn attr(mut self, name: &'static str, v: impl Into<Cow<'static, str>>) -> Self {
        self.attrs.push((name, v.into()));
        self
    }

    pub fn text(mut self, t: impl Into<String>) -> Self {
        self.text = Some(t.into());
        self
    }

    pub fn child(mut self, c: El) -> Self {
        self.children.push(c);
        self
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_ref())
    }

    /// Depth-first walk.
    pub fn walk<'a>(&'a self, f: &mut impl FnMut(&'a El)) {
        f(self);
        for c in &self.children {
            c.walk(f);
        }
    }

    /// Number of elements in the tree.
    pub fn count(&self) -> usize {
        1 + self.children.iter().map(El::count).sum::<usize>()
    }

    /// The element with this key.
    pub fn find(&self, key: &str) -> Option<&El> {
        if self.key.as_deref() == Some(key) {
            return Some(self);
        }
        self.children.iter().find_map(|c| c.find(key))
    }
}

/// What the scene shows beyond the graph.
#[derive(Debug, Clone, Copy, Default)]
pub struct SceneOptions<'a> {
    /// Object keys the last step changed (highlighted; see [`crate::graph::changed`]).
    pub changed: Option<&'a BTreeSet<String>>,
    /// The selected object, as [`Obj::reference`] (`pod/web-0`).
    pub selected: Option<&'a str>,
    /// Objects outlined besides the selection (a tour step's objects), as [`Obj::reference`].
    pub highlight: &'a [String],
    /// Prefix of element ids (`title`, `desc`, markers), so several diagrams share a page.
    pub id_prefix: &'a str,
    /// Objects focusable with the keyboard (the browser); off for exports.
    pub interactive: bool,
    /// No per-object and per-edge tooltips (`<title>`): the smallest picture (embed posters).
    pub plain: bool,
}

/// The diagram's own CSS (colours are also presentation attributes, so an SVG viewer
/// without CSS still shows them).
pub const STYLE: &str = "\
.dg{font-family:'DejaVu Sans',Verdana,sans-serif}\
.dg text{white-space:pre}\
.dg-obj{transition:transform .35s ease}\
.dg-box{transition:fill .35s ease,stroke .35s ease}\
.dg-obj{cursor:pointer}\
.dg-obj:hover .dg-box,.dg-obj:focus .dg-box{stroke-width:2.6}\
.dg-obj:focus{outline:none}\
.dg-obj:focus-visible .dg-box{stroke:#1a73e8;stroke-width:3}\
.dg-changed .dg-box{stroke:#f9ab00;stroke-width:3;animation:dg-flash 1.2s ease-out 1}\
.dg-selected .dg-box{stroke:#1a73e8;stroke-width:3.2}\
.dg-edge{fill:none;transition:opacity .35s ease}\
.dg-edge.dg-to-missing{opacity:.55}\
.dg-why text{font-style:italic}\
@keyframes dg-flash{0%{stroke-width:6}100%{stroke-width:3}}\
@media (prefers-reduced-motion:reduce){.dg-obj,.dg-box,.dg-edge{transition:none}.dg-changed .dg-box{animation:none}}";

const FRAME_FILL: &str = "#f8f9fa";
const FRAME_STROKE: &str = "#dadce0";
const SET_FILL: &str = "#326ce5";
const TEXT: &str = "#202124";
const MUTED: &str = "#5f6368";
const WHY_COLOR: &str = "#8a4b00";
const DETAIL: &str = "#3c4043";
const BG: &str = "#ffffff";

fn edge_style(k: EdgeKind) -> (&'static str, Option<&'static str>, bool) {
    // (stroke, dash, arrow)
    match k {
        EdgeKind::Owns => ("#326ce5", None, true),
        EdgeKind::Governs => ("#8e24aa", Some("4 3"), false),
        EdgeKind::Selects => ("#8e24aa", Some("3 3"), false),
        EdgeKind::Mounts => ("#5f6368", None, true),
        EdgeKind::BoundTo => ("#5f6368", None, true),
        EdgeKind::RunsOn => ("#9aa0a6", Some("2 3"), false),
    }
}

fn points_d(points: &[(i32, i32)]) -> String {
    let mut d = String::new();
    for (i, (x, y)) in points.iter().enumerate() {
        d.push_str(if i == 0 { "M" } else { " L" });
        d.push_str(&format!("{x} {y}"));
    }
    d
}

/// The tooltip of an object: kind and name, state, facts, why.
pub fn details(o: &Obj) -> String {
    let mut s = format!("{} {}", o.kind.word(), o.title());
    s.push_str(&format!("\n{} {}", o.status.icon(), o.status.word()));
    if !o.detail.is_empty() {
        s.push_str(&format!(": {}", o.detail));
    }
    if let Some(l) = &o.line3 {
        s.push_str(&format!("\n{l}"));
    }
    if let Some(r) = &o.revision {
        s.push_str(&format!("\n{}", r.badge()));
    }
    for (k, v) in &o.facts {
        s.push_str(&format!("\n{k}: {v}"));
    }
    for w in &o.why {
        s.push_str(&format!("\nwhy: {w}"));
    }
    s
}

/// One sentence about an object for the text alternative.
fn spoken(o: &Obj) -> String {
    let mut s = format!("{} {}: {}", o.kind.short(), o.title(), o.status.word());
    if !o.detail.is_empty() {
        s.push_str(&format!(" ({})", o.detail));
    }
    if let Some(r) = &o.revision {
        s.push_str(&format!(", {}", r.badge()));
    }
    s
}

/// The text alternative: one line per workload, Service and row, then what waits and why.
pub fn describe(g: &Graph) -> String {
    if g.groups.is_empty() {
        return format!("No StatefulSet in namespace {} yet.", g.namespace);
    }
    let mut lines = Vec::new();
    for gr in &g.groups {
        if let Some(h) = g.node(gr.head) {
            let mut s = format!("{}.", spoken(h));
            if let Some(l) = &h.line3 {
                s.pop();
                s.push_str(&format!(", {l}."));
            }
            if h.kind == Kind::Deployment {
                s.push_str(" Its pods are named after their ReplicaSet with a random suffix.");
            } else if gr.ordered {
                s.push_str(" Pods are created one at a time in ordinal order (OrderedReady).");
            } else {
                s.push_str(" Pods are created and deleted all at once (Parallel).");
            }
            lines.push(s);
        }
        for sh in gr.subheads.iter().filter_map(|id| g.node(*id)) {
            lines.push(format!("{}.", spoken(sh)));
        }
        if let Some(svc) = gr.service.and_then(|id| g.node(id)) {
            lines.push(format!("{}.", spoken(svc)));
        }
        for row in &gr.rows {
            let mut parts = Vec::new();
            if let Some(p) = g.node(row.pod) {
                parts.push(spoken(p));
            }
            for c in &row.claims {
                if let Some(o) = g.node(c.claim) {
                    parts.push(spoken(o));
                }
                if let Some(o) = g.node(c.volume) {
                    parts.push(spoken(o));
                }
            }
            lines.push(format!("{}.", parts.join("; ")));
        }
    }
    let whys: Vec<&String> = g.nodes.iter().flat_map(|o| o.why.iter()).collect();
    if !whys.is_empty() {
        lines.push("Waiting:".into());
        for w in whys {
            lines.push(format!("{w}."));
        }
    }
    lines.join("\n")
}

/// The accessible name: says it is a diagram and what of.
pub fn title(g: &Graph) -> String {
    if g.groups.is_empty() {
        return format!(
            "StatefulSet diagram: no StatefulSet in namespace {}",
            g.namespace
        );
    }
    let sets: Vec<String> = g
        .groups
        .iter()
        .filter_map(|gr| g.node(gr.head))
        .map(|h| format!("{} {} ({})", h.kind.word(), h.name, h.detail))
        .collect();
    format!("StatefulSet diagram: {}", sets.join(", "))
}

fn object(o: &Obj, p: &Placed, d: Density, opts: &SceneOptions) -> El {
    let head = matches!(
        o.kind,
        Kind::StatefulSet | Kind::Deployment | Kind::ReplicaSet
    );
    let mut class = format!("dg-obj dg-{} dg-{}", o.kind.css(), o.status.css());
    if o.aggregate.is_some() {
        class.push_str(" dg-range");
    }
    if opts.changed.is_some_and(|c| c.contains(&o.key)) {
        class.push_str(" dg-changed");
    }
    let reference = o.reference();
    if opts.selected.is_some() && opts.selected == reference.as_deref() {
        class.push_str(" dg-selected");
    }
    if reference
        .as_deref()
        .is_some_and(|r| opts.highlight.iter().any(|h| h == r))
    {
        class.push_str(" dg-tour");
    }
    let r = p.rect;
    let mut g = El::new("g")
        .key(format!("o:{}", o.key))
        .attr("class", class)
        .attr("data-key", o.key.clone())
        .attr("transform", format!("translate({} {})", r.x, r.y));
    if let Some(r) = reference {
        g = g.attr("data-ref", r);
    }
    let about = (opts.interactive || !opts.plain).then(|| details(o));
    if opts.interactive
        && let Some(about) = &about
    {
        g = g
            // One tab stop for the whole picture: the page makes one object `0` (a roving
            // tabindex) and moves it with the arrow keys (`layout::neighbor`).
            .attr("tabindex", "-1")
            .attr("aria-label", about.replace('\n', ", "));
    }
    if !opts.plain
        && let Some(about) = about
    {
        g = g.child(El::new("title").text(about));
    }
    let (fill, text_fill, icon_fill) = if head {
        (SET_FILL, "#ffffff", "#ffffff")
    } else {
        (o.status.fill(), TEXT, o.status.stroke())
    };
    let mut rect = El::new("rect")
        .attr("class", "dg-box")
        .attr("width", r.w.to_string())
        .attr("height", r.h.to_string())
        .attr("rx", "6")
        .attr("fill", fill)
        .attr("stroke", o.status.stroke())
        .attr("stroke-width", if head { "2.4" } else { "1.4" });
    if let Some(dash) = o.status.dash() {
        rect = rect.attr("stroke-dasharray", dash);
    }
    if o.aggregate.is_some() {
        // A range: a second outline behind, like a stack of cards.
        g = g.child(
            El::new("rect")
                .attr("class", "dg-stack")
                .attr("x", "3")
                .attr("y", "3")
                .attr("width", r.w.to_string())
                .attr("height", r.h.to_string())
                .attr("rx", "6")
                .attr("fill", "#ffffff")
                .attr("stroke", o.status.stroke())
                .attr("stroke-width", "1"),
        );
    }
    g = g.child(rect);
    let (name_size, bold) = layout::name_font(o, d);
    let base = if p.two_lines { 17 } else { r.h / 2 + 4 };
    g = g.child(
        El::new("text")
            .attr("class", "dg-icon")
            .attr("x", "7")
            .attr("y", base.to_string())
            .attr("font-size", fmt_size(name_size))
            .attr("fill", icon_fill)
            .text(o.status.icon()),
    );
    g = g.child(
        El::new("text")
            .attr("class", "dg-name")
            .attr("x", "23")
            .attr("y", base.to_string())
            .attr("font-size", fmt_size(name_size))
            .attr("font-weight", if bold { "bold" } else { "normal" })
            .attr("fill", text_fill)
            .text(layout::short_title(o, d)),
    );
    if p.two_lines && !p.detail.is_empty() {
        g = g.child(
            El::new("text")
                .attr("class", "dg-detail")
                .attr("x", "23")
                .attr("y", "33")
                .attr("font-size", fmt_size(layout::DETAIL_SIZE))
                .attr("fill", if head { "#ffffff" } else { DETAIL })
                .text(p.detail.clone()),
        );
    }
    if !p.two_lines && !p.detail.is_empty() {
        // Stacked: the state words beside the one-line box.
        g = g.child(
            El::new("text")
                .attr("class", "dg-detail dg-aside")
                .attr("x", (r.w + 8).to_string())
                .attr("y", base.to_string())
                .attr("font-size", fmt_size(layout::DETAIL_SIZE))
                .attr("fill", MUTED)
                .text(p.detail.clone()),
        );
    }
    if let Some(l3) = o.line3.as_ref().filter(|_| r.h >= layout::SET_H) {
        g = g.child(
            El::new("text")
                .attr("class", "dg-line3")
                .attr("x", "23")
                .attr("y", "49")
                .attr("font-size", fmt_size(layout::DETAIL_SIZE))
                .attr("fill", "#ffffff")
                .text(l3.clone()),
        );
    }
    if let (Some(rev), Some(b), Some(words)) = (
        &o.revision,
        p.badge,
        o.revision.as_ref().and_then(|r| layout::badge_text(r, d)),
    ) {
        let (bf, bt) = match rev.role {
            crate::graph::RevisionRole::New => ("#1a73e8", "#ffffff"),
            crate::graph::RevisionRole::Old => ("#f1e3c8", "#5c3c00"),
            crate::graph::RevisionRole::Current => ("#e8eaed", "#3c4043"),
        };
        g = g.child(
            El::new("g")
                .attr("class", format!("dg-badge {}", rev.role.css()))
                .child(
                    El::new("rect")
                        .attr("x", (b.x - r.x).to_string())
                        .attr("y", (b.y - r.y).to_string())
                        .attr("width", b.w.to_string())
                        .attr("height", b.h.to_string())
                        .attr("rx", "6")
                        .attr("fill", bf),
                )
                .child(
                    El::new("text")
                        .attr("x", (b.x - r.x + b.w / 2).to_string())
                        .attr("y", (b.y - r.y + 10).to_string())
                        .attr("font-size", fmt_size(layout::BADGE_SIZE))
                        .attr("text-anchor", "middle")
                        .attr("fill", bt)
                        .text(words),
                ),
        );
    }
    g
}

fn fmt_size(s: f32) -> Cow<'static, str> {
    // The sizes the layout uses, without formatting.
    const KNOWN: [(f32, &str); 6] = [
        (9.5, "9.5"),
        (10.0, "10"),
        (10.5, "10.5"),
        (11.0, "11"),
        (12.0, "12"),
        (13.0, "13"),
    ];
    if let Some((_, t)) = KNOWN.iter().find(|(k, _)| *k == s) {
        Cow::Borrowed(t)
    } else if s.fract() == 0.0 {
        Cow::Owned(format!("{}", s as i32))
    } else {
        // As f64: the same digits (`{:.1}` rounds the exact value), without f32's own
        // formatting code in the wasm.
        Cow::Owned(format!("{:.1}", f64::from(s)))
    }
}

/// Build the element tree.
pub fn scene(g: &Graph, l: &Layout, opts: &SceneOptions) -> El {
    let p = opts.id_prefix;
    let d = l.density.unwrap_or(Density::Full);
    let (w, h) = (l.width.max(1), l.height.max(1));
    let mut root = El::new("svg")
        .key("diagram")
        .attr("class", format!("dg dg-{}", d.css()))
        .attr("role", "img")
        .attr("aria-labelledby", format!("{p}dg-title"))
        .attr("aria-describedby", format!("{p}dg-desc"))
        .attr("viewBox", format!("0 0 {w} {h}"))
        .attr("width", w.to_string())
        .attr("height", h.to_string())
        .attr("font-family", "DejaVu Sans, Verdana, sans-serif");
    root = root
        .child(
            El::new("title")
                .key("title")
                .attr("id", format!("{p}dg-title"))
                .text(title(g)),
        )
        .child(
            El::new("desc")
                .key("desc")
                .attr("id", format!("{p}dg-desc"))
                .text(describe(g)),
        )
        .child(El::new("style").key("style").text(STYLE));
    // Arrowheads, one per edge colour.
    let mut defs = El::new("defs").key("defs");
    for (name, color) in [("blue", "#326ce5"), ("grey", "#5f6368")] {
        defs = defs.child(
            El::new("marker")
                .attr("id", format!("{p}dg-arrow-{name}"))
                .attr("viewBox", "0 0 8 8")
                .attr("refX", "7")
                .attr("refY", "4")
                .attr("markerWidth", "7")
                .attr("markerHeight", "7")
                .attr("orient", "auto")
                .child(
                    El::new("path")
                        .attr("d", "M0 0 L8 4 L0 8 z")
                        .attr("fill", color),
                ),
        );
    }
    root = root.child(defs);
    // A background of its own: the exported file reads the same on a dark page.
    root = root.child(
        El::new("rect")
            .key("bg")
            .attr("class", "dg-bg")
            .attr("width", "100%")
            .attr("height", "100%")
            .attr("fill", BG),
    );

    if g.groups.is_empty() {
        return root.child(
            El::new("text")
                .key("empty")
                .attr("x", "12")
                .attr("y", "24")
                .attr("font-size", "13")
                .attr("fill", MUTED)
                .text(format!(
                    "No StatefulSet in namespace {} yet: apply one to see it here.",
                    g.namespace
                )),
        );
    }

    // Frames.
    let mut frames = El::new("g").key("frames").attr("class", "dg-frames");
    for f in &l.frames {
        let key = g
            .groups
            .get(f.group)
            .map_or_else(|| format!("group/{}", f.group), |gr| gr.key.clone());
        let mut fg = El::new("g")
            .key(format!("f:{key}"))
            .attr("class", "dg-frame")
            .child(
                El::new("rect")
                    .attr("x", f.rect.x.to_string())
                    .attr("y", f.rect.y.to_string())
                    .attr("width", f.rect.w.to_string())
                    .attr("height", f.rect.h.to_string())
                    .attr("rx", "8")
                    .attr("fill", FRAME_FILL)
                    .attr("stroke", FRAME_STROKE),
            );
        for (i, (_, r)) in f.lanes.iter().enumerate() {
            fg = fg.child(
                El::new("rect")
                    .attr("x", r.x.to_string())
                    .attr("y", r.y.to_string())
                    .attr("width", r.w.to_string())
                    .attr("height", r.h.to_string())
                    .attr("rx", "4")
                    .attr(
                        "class",
                        if i % 2 == 0 {
                            "dg-lane"
                        } else {
                            "dg-lane dg-lane2"
                        },
                    )
                    .attr("fill", if i % 2 == 0 { "#eef1f4" } else { "#f3f5f7" }),
            );
        }
        fg = fg.child(
            El::new("text")
                .attr("class", "dg-title")
                .attr("x", f.title.x.to_string())
                .attr("y", f.title.y.to_string())
                .attr("font-size", fmt_size(layout::TITLE_SIZE))
                .attr("font-weight", "bold")
                .attr("fill", TEXT)
                .text(f.title.text.clone()),
        );
        for hd in &f.headers {
            fg = fg.child(
                El::new("text")
                    .attr("class", "dg-header")
                    .attr("x", hd.x.to_string())
                    .attr("y", hd.y.to_string())
                    .attr("font-size", fmt_size(layout::HEADER_SIZE))
                    .attr("fill", MUTED)
                    .text(hd.text.clone()),
            );
        }
        frames = frames.child(fg);
    }
    root = root.child(frames);

    // Edges under the boxes.
    let mut edges = El::new("g").key("edges").attr("class", "dg-edges");
    for r in &l.routes {
        let Some(e) = g.edges.get(r.edge) else {
            continue;
        };
        let (Some(a), Some(b)) = (g.node(e.from), g.node(e.to)) else {
            continue;
        };
        let (stroke, dash, arrow) = edge_style(e.kind);
        let mut class = format!("dg-edge dg-{}", e.kind.css());
        if b.status == Status::Missing || a.status == Status::Missing {
            class.push_str(" dg-to-missing");
        }
        let key = format!("e:{}:{}>{}", e.kind.css(), a.key, b.key);
        let mut path = El::new("path")
            .attr("class", class)
            .attr("d", points_d(&r.points))
            .attr("fill", "none")
            .attr("stroke", stroke)
            .attr("stroke-width", "1.3");
        if let Some(dash) = dash {
            path = path.attr("stroke-dasharray", dash);
        } else if b.status == Status::Missing {
            path = path.attr("stroke-dasharray", "4 3");
        }
        if arrow {
            let m = if stroke == "#326ce5" { "blue" } else { "grey" };
            path = path.attr("marker-end", format!("url(#{p}dg-arrow-{m})"));
        }
        if !opts.plain {
            path = path.child(El::new("title").text(format!(
                "{} {} {} {}",
                a.title(),
                e.text(),
                b.kind.short(),
                b.title()
            )));
        }
        let mut eg = El::new("g").key(key).attr("class", "dg-edge-g").child(path);
        if r.dot
            && let Some(&(x, y)) = r.points.last()
        {
            // Filled: the pod is Ready, so its DNS record is published; hollow: selected
            // but not (yet) an endpoint.
            let ready = b.status == Status::Ready;
            eg = eg.child(
                El::new("circle")
                    .attr(
                        "class",
                        if ready {
                            "dg-dot dg-endpoint"
                        } else {
                            "dg-dot"
                        },
                    )
                    .attr("cx", x.to_string())
                    .attr("cy", y.to_string())
                    .attr("r", "3")
                    .attr("fill", if ready { stroke } else { "#ffffff" })
                    .attr("stroke", stroke)
                    .attr("stroke-width", "1.2"),
            );
        }
        if let Some((x, y)) = r.label {
            eg = eg.child(
                El::new("text")
                    .attr("class", "dg-edge-label")
                    .attr("x", x.to_string())
                    .attr("y", y.to_string())
                    .attr("font-size", fmt_size(layout::LABEL_SIZE))
                    .attr("text-anchor", "end")
                    .attr("fill", stroke)
                    .text(e.text()),
            );
        }
        edges = edges.child(eg);
    }
    root = root.child(edges);

    // Objects.
    let mut objects = El::new("g").key("objects").attr("class", "dg-objects");
    for b in &l.boxes {
        if let Some(o) = g.node(b.node) {
            objects = objects.child(object(o, b, d, opts));
        }
    }
    root = root.child(objects);

    // Why notes beside the waiting objects.
    let mut notes = El::new("g").key("notes").attr("class", "dg-whys");
    for n in &l.notes {
        let Some(o) = g.node(n.node) else { continue };
        let mut ng = El::new("g")
            .key(format!("w:{}", o.key))
            .attr("class", "dg-why")
            .attr("data-key", o.key.clone())
            .attr("transform", format!("translate({} {})", n.x, n.y));
        if !opts.plain {
            ng = ng.child(El::new("title").text(o.why.join("\n")));
        }
        for (i, line) in n.lines.iter().enumerate() {
            ng = ng.child(
                El::new("text")
                    .attr("x", "0")
                    .attr("y", (11 + i as i32 * 13).to_string())
                    .attr("font-size", fmt_size(layout::WHY_SIZE))
                    .attr("fill", WHY_COLOR)
                    .text(line.clone()),
            );
        }
        notes = notes.child(ng);
    }
    root = root.child(notes);

    // Legend.
    let mut legend = El::new("g").key("legend").attr("class", "dg-legend");
    for it in &l.legend {
        legend = legend
            .child(
                El::new("text")
                    .attr("x", it.x.to_string())
                    .attr("y", it.y.to_string())
                    .attr("font-size", fmt_size(layout::DETAIL_SIZE))
                    .attr("class", format!("dg-li dg-{}", it.status.css()))
                    .attr("fill", it.status.stroke())
                    .text(it.status.icon()),
            )
            .child(
                El::new("text")
                    .attr("x", (it.x + layout::LEGEND_ICON).to_string())
                    .attr("y", it.y.to_string())
                    .attr("font-size", fmt_size(layout::DETAIL_SIZE))
                    .attr("fill", MUTED)
                    .text(it.status.word()),
            );
    }
    root.child(legend)
}

#[cfg(test)]
mod tests {
    use super::fmt_size;

    /// Sizes print as f32's `{}`/`{:.1}` would: the known ones as written, others through f64.
    #[test]
    fn sizes_print_as_f32_would() {
        assert_eq!(fmt_size(9.5), "9.5");
        assert_eq!(fmt_size(14.0), "14");
        assert_eq!(fmt_size(10.25), "10.2");
        assert_eq!(fmt_size(10.35), "10.4");
        // Every 4099th f32 bit pattern with a fraction, against f32's own formatting.
        for bits in (0..u32::MAX).step_by(4099) {
            let s = f32::from_bits(bits);
            if s.is_finite() && s.fract() != 0.0 {
                assert_eq!(fmt_size(s), format!("{s:.1}"), "{bits:#x}");
            }
        }
    }
}

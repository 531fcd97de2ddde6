//! The diagram: cluster state → graph → layout → scene → SVG text / DOM, and → mermaid text.
//!
//! Pure and deterministic: it reads a [`sim::Cluster`] and never changes it, takes no clock and
//! does no IO. Five stages, each testable on its own:
//!
//! 1. [`build()`] ([`build`](mod@build)) reads the store and the simulation's "why is it
//!    waiting" sentences and makes a [`Graph`]: per StatefulSet its headless Service, one row
//!    per ordinal (pod, claims, volumes), typed edges (owns with the OrderedReady chain,
//!    governs, selects, mounts, bound-to, runs-on), revision badges, statuses; big sets
//!    aggregated into ranges.
//! 2. [`layout()`] ([`layout`](mod@layout)) places it in whole pixels, stable from step to step.
//! 3. [`scene()`] ([`scene`](mod@scene)) turns graph + layout into an [`El`] tree (tag,
//!    attributes, text, stable keys): the single source of both renderers.
//! 4. [`to_svg`] writes the tree as a self-contained SVG document, escaping every text; the
//!    app builds DOM nodes from the same tree (`crates/app/src/components/diagram.rs`).
//! 5. [`to_mermaid`] writes the graph as mermaid flowchart text in the seed card's style,
//!    every label quoted and entity-coded.
//!
//! Never panics on any state (no unwrap, no unchecked indexing: workspace lints), and bounded:
//! a set of 10,000 replicas draws as about 100 rows and a few ranges.
//!
//! Start reading at [`graph`] (what is drawn), then [`build`](mod@build).

pub mod build;
mod deployment;
pub mod graph;
pub mod layout;
pub mod mermaid;
pub mod scene;
pub mod specimen;
pub mod svg;
pub mod text;

pub use build::{Lanes, Options, build};
pub use graph::{
    Aggregate, ClaimSlot, Edge, EdgeKind, Graph, Group, Kind, NodeId, Obj, Revision, RevisionRole,
    Row, Status, changed,
};
pub use layout::{Density, Dir, Layout, LayoutOptions, Placed, Rect, Route, layout, neighbor};
pub use mermaid::to_mermaid;
pub use scene::{El, SceneOptions, describe, scene};
pub use svg::to_svg;

/// The namespace the playground draws.
pub const NAMESPACE: &str = "default";

/// The exported SVG document of a namespace (`sim diagram svg`, the Download SVG button).
pub fn svg_of(cluster: &sim::Cluster, ns: &str) -> String {
    let g = build(cluster, ns, &Options::default());
    let l = layout(&g, &LayoutOptions::default());
    to_svg(&scene(&g, &l, &SceneOptions::default()))
}

/// The smallest SVG of a namespace (no tooltips): the embed's poster.
pub fn poster_svg(cluster: &sim::Cluster, ns: &str) -> String {
    let g = build(cluster, ns, &Options::default());
    let l = layout(&g, &LayoutOptions::default());
    to_svg(&scene(
        &g,
        &l,
        &SceneOptions {
            plain: true,
            ..SceneOptions::default()
        },
    ))
}

/// The exported mermaid text of a namespace (`sim diagram mermaid`, the Copy mermaid button).
pub fn mermaid_of(cluster: &sim::Cluster, ns: &str) -> String {
    to_mermaid(&build(cluster, ns, &Options::mermaid()))
}

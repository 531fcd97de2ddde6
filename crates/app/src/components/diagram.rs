//! The diagram pane.
//!
//! The seam for the diagram's owner: this component gets the diagram's model
//! ([`crate::model::diagram_model`], rebuilt by the reducer only when the cluster changed, and
//! pointer-equal when it did not) and a callback that runs a console line. Replace the drawing
//! freely; keep the props narrow (add to them rather than reach for the session).

use std::rc::Rc;

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DiagramProps {
    pub graph: Rc<diagram::Graph>,
    /// Runs a console line (for actions started from the diagram).
    pub run: Callback<String>,
    /// Node ids to highlight (a tour step's objects: `pod/web-0`, `sts/web`, …).
    #[prop_or_default]
    pub highlight: Rc<Vec<String>>,
}

#[function_component(Diagram)]
pub fn diagram_view(props: &DiagramProps) -> Html {
    let show_mermaid = use_state(|| false);
    // Layout once per model, not per render; the mermaid text only while it is shown.
    let layout = use_memo(props.graph.clone(), |g| diagram::layout(g));
    let mermaid = if *show_mermaid {
        Some(diagram::to_mermaid(&props.graph))
    } else {
        None
    };
    let toggle = {
        let s = show_mermaid.clone();
        Callback::from(move |_| s.set(!*s))
    };
    html! {
        <div class="diagram-wrap">
            <div class="pane-title">
                {"Diagram"}
                <button class="small" id="mermaid-toggle" onclick={toggle}>
                    { if *show_mermaid { "Hide mermaid" } else { "Mermaid text" } }
                </button>
            </div>
            if let Some(m) = mermaid {
                <textarea id="mermaid" readonly=true class="mermaid-text" aria-label="mermaid text" value={m} />
            }
            if layout.nodes.is_empty() {
                <p class="empty">{"No StatefulSet yet. Press Apply (or type `kubectl apply -f sts.yaml`)."}</p>
            } else {
                <svg id="diagram" class="diagram" width={format!("{:.0}", layout.width)} height={format!("{:.0}", layout.height)}
                    viewBox={format!("0 0 {:.0} {:.0}", layout.width, layout.height)} role="img"
                    aria-label="StatefulSet diagram">
                    { for layout.edges.iter().map(|r| html! {
                        <path class="edge" d={diagram::edge_path(r)}><title>{ r.edge.label.clone() }</title></path>
                    }) }
                    { for layout.nodes.iter().map(|n| html! {
                        <g class={classes!("node", n.node.kind.css(), n.node.health.css(),
                            props.highlight.contains(&n.node.id).then_some("highlight"))}>
                            <rect x={format!("{:.1}", n.x)} y={format!("{:.1}", n.y)} width={format!("{:.1}", n.w)}
                                height={format!("{:.1}", n.h)} rx="6" />
                            <text class="label" x={format!("{:.1}", n.x + 8.0)} y={format!("{:.1}", n.y + 19.0)}>{ n.node.label.clone() }</text>
                            <text class="detail" x={format!("{:.1}", n.x + 8.0)} y={format!("{:.1}", n.y + 37.0)}>{ n.node.detail.clone() }</text>
                        </g>
                    }) }
                </svg>
            }
        </div>
    }
}

use yew::prelude::*;

use crate::state::APPLY_LINE;

#[derive(Properties, PartialEq)]
pub struct ToolbarProps {
    /// Runs a console line (every button is one).
    pub run: Callback<String>,
    /// Downloads this session as a script for a real kind cluster.
    #[prop_or_default]
    pub on_export: Callback<()>,
}

/// The buttons above the panes. Each issues the same line a learner could type.
#[function_component(Toolbar)]
pub fn toolbar(props: &ToolbarProps) -> Html {
    let button = |id: &'static str,
                  label: &'static str,
                  line: &'static str,
                  title: &'static str| {
        let run = props.run.clone();
        html! {
            <button id={id} title={title} onclick={Callback::from(move |_| run.emit(line.to_string()))}>{label}</button>
        }
    };
    html! {
        <>
            { button("apply", "Apply", APPLY_LINE, "kubectl apply -f svc.yaml -f sts.yaml") }
            { button("step", "Step", "sim step", "sim step: apply the next event") }
            { button("settle", "Settle", "sim settle", "sim settle: run until nothing is pending") }
            { button("back", "Back", "sim back", "sim back: undo the last step") }
            { button("reset", "Reset", "sim reset", "sim reset: a fresh cluster") }
            <button id="export-kind" title="Download this session as a sh script that runs it on a real kind cluster (sim export-kind)"
                onclick={props.on_export.reform(|_| ())}>{"Export for kind"}</button>
        </>
    }
}

use yew::prelude::*;

use crate::state::Pane;

pub struct PaneTabsProps {
    pub pane: Pane,
    pub on_pane: Callback<Pane>,
}

/// On a phone the panes are tabs (one at a time).
pub fn pane_tabs(props: &PaneTabsProps) -> Html {
    html! {
        <nav class="pane-tabs" role="tablist" aria-label="Panes">
            { for Pane::ALL.iter().map(|p| {
                let on = props.on_pane.clone();
                let p = *p;
                let selected = p == props.pane;
                html! {
                    <button role="tab" aria-selected={selected.to_string()} class={classes!("tab", selected.then_some("active"))}
                        onclick={Callback::from(move |_| on.emit(p))}>{ p.label() }</button>
                }
            }) }
        </nav>
    }
}

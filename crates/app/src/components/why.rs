use std::rc::Rc;

use yew::prelude::*;

pub struct WhyProps {
    pub why: Rc<Vec<String>>,
    /// The selected object (`kind/name`): its sentences are highlighted.
    pub selected: Option<AttrValue>,
}

/// `sim why` for the namespace: stsplay's explanation of what is waiting.
pub fn why_list(props: &WhyProps) -> Html {
    // A sentence is about the object it starts with.
    let subject = props
        .selected
        .as_deref()
        .and_then(|r| r.split_once('/'))
        .map(|(_, name)| format!("{name} "));
    let is_selected = |w: &str| subject.as_deref().is_some_and(|s| w.starts_with(s));
    html! {
        <>
            <div class="pane-title">{"Why is it waiting?"}<span class="muted">{" (stsplay's explanation)"}</span></div>
            <ul id="why" class="why">
                if props.why.is_empty() { <li class="muted">{"Nothing is waiting."}</li> }
                { for props.why.iter().map(|w| html! {
                    <li class={classes!(is_selected(w).then_some("selected"))}>{ w.clone() }</li>
                }) }
            </ul>
        </>
    }
}

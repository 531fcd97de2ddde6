use std::rc::Rc;

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct WhyProps {
    pub why: Rc<Vec<String>>,
}

/// `sim why` for the namespace: stsplay's explanation of what is waiting.
#[function_component(WhyList)]
pub fn why_list(props: &WhyProps) -> Html {
    html! {
        <>
            <div class="pane-title">{"Why is it waiting?"}<span class="muted">{" (stsplay's explanation)"}</span></div>
            <ul id="why" class="why">
                if props.why.is_empty() { <li class="muted">{"Nothing is waiting."}</li> }
                { for props.why.iter().map(|w| html! { <li>{ w.clone() }</li> }) }
            </ul>
        </>
    }
}

use std::rc::Rc;

use yew::prelude::*;

use crate::model::EventRow;

pub struct EventsProps {
    pub events: Rc<Vec<EventRow>>,
    /// The selected object (`kind/name`): its events are highlighted.
    pub selected: Option<AttrValue>,
}

/// The namespace's events, newest first (as `kubectl events` would list them, reversed).
pub fn event_list(props: &EventsProps) -> Html {
    html! {
        <>
            <div class="pane-title">{"Events"}<span class="muted">{" (newest first)"}</span></div>
            <ul id="events" class="events">
                { for props.events.iter().map(|e| html! {
                    <li key={e.key.clone()} class={classes!(e.warning.then_some("warning"),
                        (props.selected.as_deref() == Some(e.object.as_str())).then_some("selected"))}>
                        <span class="age">{ e.age.clone() }</span>{" "}
                        if e.warning { <span class="type">{"Warning "}</span> }
                        <span class="reason">{ e.reason.clone() }</span>{" "}
                        <span class="obj">{ e.object.clone() }</span>
                        <div class="message">{ e.message.clone() }</div>
                    </li>
                }) }
            </ul>
        </>
    }
}

use std::rc::Rc;

use yew::prelude::*;

use crate::model::{Status, clock_text};

#[derive(Properties, PartialEq)]
pub struct StatusProps {
    pub status: Rc<Status>,
}

/// Simulated time and whether events are pending (said in words, not only by colour).
#[function_component(StatusLine)]
pub fn status_line(props: &StatusProps) -> Html {
    let s = &props.status;
    html! {
        <span id="clock" class={classes!("clock", s.pending.then_some("pending"))}>
            { format!("t = {}", clock_text(s.now)) }
            { if s.pending { " · events pending" } else { " · settled" } }
        </span>
    }
}

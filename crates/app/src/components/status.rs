use std::rc::Rc;

use yew::prelude::*;

use crate::model::{Status, clock_text};

pub struct StatusProps {
    pub status: Rc<Status>,
    pub playing: bool,
}

/// Simulated time, the StatefulSet's revision and the first thing
/// waiting, in words (state is never shown by colour alone).
pub fn status_line(props: &StatusProps) -> Html {
    let s = &props.status;
    let state = if props.playing {
        "playing"
    } else if s.pending {
        "events pending"
    } else {
        "settled"
    };
    html! {
        <div class="status" role="status" aria-live="off">
            <span id="clock" class={classes!("clock", s.pending.then_some("pending"))}>
                { format!("t = {} · {state}", clock_text(s.now)) }
            </span>
            if let Some(r) = &s.revision {
                <span id="revision" class="revision">
                    { format!("revision {r}") }
                    if let Some(c) = &s.current_revision { { format!(" (pods still on {c})") } }
                </span>
            }
            <span id="waiting" class="waiting">
                { s.waiting.clone().unwrap_or_else(|| "nothing is waiting".into()) }
            </span>
        </div>
    }
}

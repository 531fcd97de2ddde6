//! The live watches: each `kubectl get -w` typed in the console keeps printing here, one line
//! per change as kubectl prints it, while the learner types on. Stop (or Ctrl-C in the console)
//! issues `sim watch stop ID`, a console line like every other action. One component without
//! hooks (bytes): the output box is a `column-reverse` flex box, which keeps the newest line in
//! view as a terminal does.

use std::rc::Rc;

use yew::prelude::*;

use crate::state::WatchView;

pub struct WatchesProps {
    pub watches: Rc<Vec<Rc<WatchView>>>,
    pub run: Callback<String>,
}

pub fn watches(props: &WatchesProps) -> Html {
    if props.watches.is_empty() {
        return Html::default();
    }
    watch_list(props)
}

// Not inlined into `App::view`, so the release build can move it to the second wasm module
// when a first visit does not watch (issue #17, xtask/src/split.rs).
#[inline(never)]
fn watch_list(props: &WatchesProps) -> Html {
    html! {
        <section class="watches" aria-label="Watches">
            { for props.watches.iter().map(|w| {
                let (run, id) = (props.run.clone(), w.id);
                html! {
                    <div class="watch" key={w.id}>
                        <div class="watch-head">
                            <code>{ format!("$ {}", w.line) }</code>
                            <button class="small" onclick={move |_| run.emit(format!("sim watch stop {id}"))}
                                aria-label={format!("Stop watch {id}")}>{"Stop watch"}</button>
                        </div>
                        <div class="watch-out" role="log" tabindex="0"
                            aria-label={format!("watch {id}: {}", w.line)}><pre>{ w.text.to_string() }</pre></div>
                    </div>
                }
            }) }
        </section>
    }
}

//! The live watches: each `kubectl get -w` typed in the console keeps printing here, one line
//! per change as kubectl prints it, while the learner types on. Stop (or Ctrl-C in the console)
//! issues `sim watch stop ID`, a console line like every other action.

use std::rc::Rc;

use yew::prelude::*;

use crate::state::WatchView;

#[derive(Properties, PartialEq)]
pub struct WatchesProps {
    pub watches: Rc<Vec<Rc<WatchView>>>,
    pub run: Callback<String>,
}

#[function_component(Watches)]
pub fn watches(props: &WatchesProps) -> Html {
    if props.watches.is_empty() {
        return Html::default();
    }
    html! {
        <section class="watches" aria-label="Watches">
            { for props.watches.iter().map(|w| html! {
                <WatchPane key={w.id} watch={w.clone()} run={props.run.clone()} />
            }) }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct WatchPaneProps {
    watch: Rc<WatchView>,
    run: Callback<String>,
}

#[function_component(WatchPane)]
fn watch_pane(props: &WatchPaneProps) -> Html {
    let out = use_node_ref();
    {
        // Follow the newest line, as a terminal does.
        let out = out.clone();
        use_effect_with(props.watch.text.clone(), move |_| {
            if let Some(el) = out.cast::<web_sys::Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }
    let w = &props.watch;
    let stop = {
        let (run, id) = (props.run.clone(), w.id);
        Callback::from(move |_: MouseEvent| run.emit(format!("sim watch stop {id}")))
    };
    html! {
        <div class="watch" data-watch={w.id.to_string()}>
            <div class="watch-head">
                <code class="watch-line">{ format!("$ {}", w.line) }</code>
                <button class="small" onclick={stop} aria-label={format!("Stop watch {}", w.id)}>{"Stop watch"}</button>
            </div>
            <pre class="watch-out" ref={out} role="log" aria-live="polite" tabindex="0"
                aria-label={format!("watch {}: {}", w.id, w.line)}>{ w.text.to_string() }</pre>
        </div>
    }
}

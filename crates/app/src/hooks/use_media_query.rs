use gloo_events::EventListener;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Whether the CSS media query matches now (re-renders when that changes).
#[hook]
pub fn use_media_query(query: &'static str) -> bool {
    let mql = use_memo((), move |_| {
        web_sys::window().and_then(|w| w.match_media(query).ok().flatten())
    });
    let matches = use_state(|| mql.as_ref().as_ref().is_some_and(|m| m.matches()));
    {
        let matches = matches.clone();
        use_effect_with(mql, move |mql| {
            let listener = mql.as_ref().as_ref().map(|m| {
                EventListener::new(m, "change", move |e| {
                    if let Some(e) = e.dyn_ref::<web_sys::MediaQueryListEvent>() {
                        matches.set(e.matches());
                    }
                })
            });
            move || drop(listener)
        });
    }
    *matches
}

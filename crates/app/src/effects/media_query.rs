use gloo_events::EventListener;
use wasm_bindgen::JsCast;
use yew::Callback;

/// The media query list of a CSS media query (`None` without a window).
pub fn media_query(query: &str) -> Option<web_sys::MediaQueryList> {
    web_sys::window().and_then(|w| w.match_media(query).ok().flatten())
}

/// Tell `cb` whether the query matches each time that changes (while the listener lives).
pub fn on_media_change(mql: &web_sys::MediaQueryList, cb: Callback<bool>) -> EventListener {
    EventListener::new(mql, "change", move |e| {
        if let Some(e) = e.dyn_ref::<web_sys::MediaQueryListEvent>() {
            cb.emit(e.matches());
        }
    })
}

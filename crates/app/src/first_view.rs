//! The hand-over from index.html's static first view to the app: once the app has rendered,
//! the static view (`#boot`) goes and the page marks `stsplay-ready`, the time to interactive
//! that `cargo xtask bench` measures in headless Chromium (`performance.mark`).

use yew::prelude::*;

/// The mark's name (read by the bench and the end-to-end test).
pub const READY_MARK: &str = "stsplay-ready";

/// Remove the static first view and mark the page ready. Idempotent.
pub fn ready() {
    let Some(win) = web_sys::window() else { return };
    if let Some(boot) = win.document().and_then(|d| d.get_element_by_id("boot")) {
        boot.remove();
    }
    if let Some(perf) = win.performance() {
        let _ = perf.mark(READY_MARK);
    }
}

/// The root: the app, and the hand-over after its first render (effects run once the DOM
/// holds the app, so the static view and the app are never both painted).
#[function_component(Root)]
pub fn root() -> Html {
    use_effect_with((), |_| ready());
    html! { <crate::App /> }
}

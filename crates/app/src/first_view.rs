//! The hand-over from index.html's static first view to the app. The app renders into a hidden
//! host put first in `<body>` (yew would otherwise clear the body, #boot with it, before its
//! first render); once it has rendered and its effects have run (the diagram's picture, the
//! console's scroll), the static view (`#boot`) goes and the host shows, in one step: the
//! browser lays the app out once, in the frame that shows it complete, and never shows a
//! half-made app (yew yields to the browser between its first render and the effects). The
//! page then marks `stsplay-ready`, the time to interactive that `cargo xtask bench` measures
//! in headless Chromium (`performance.mark`; web/boot.js marks `stsplay-painted` after that
//! frame).

/// The mark's name (read by the bench and the end-to-end test).
pub const READY_MARK: &str = "stsplay-ready";
/// The app's host element's id.
const HOST: &str = "app";

/// The element the app renders into: a new hidden `<div id="app">`, first in `<body>` (so that
/// the app's landmarks come before the static view's in document order), when the page has a
/// static first view; `None` (render into `<body>`) when it has not.
pub fn host() -> Option<web_sys::Element> {
    let doc = web_sys::window()?.document()?;
    doc.get_element_by_id("boot")?;
    let host = doc.create_element("div").ok()?;
    host.set_id(HOST);
    host.set_attribute("hidden", "").ok()?;
    doc.body()?.prepend_with_node_1(&host).ok()?;
    Some(host)
}

/// Remove the static first view, show the app and mark the page ready. Idempotent.
pub fn ready() {
    let Some(win) = web_sys::window() else { return };
    if let Some(doc) = win.document() {
        if let Some(boot) = doc.get_element_by_id("boot") {
            boot.remove();
        }
        if let Some(host) = doc.get_element_by_id(HOST) {
            let _ = host.remove_attribute("hidden");
        }
    }
    if let Some(perf) = win.performance() {
        let _ = perf.mark(READY_MARK);
    }
}

//! Embed mode and share links in the browser: the page's side of `crates/share`.
//!
//! * [`read_boot`] reads `location.hash` once at start: a share link (`#s1.…`), embed mode
//!   (`#embed&…`, set by web/embed.js) or a gallery example (`#example=…`). A bad fragment
//!   never stops the page: it opens as usual and [`Boot::notice`] says why in one line.
//! * [`HostLink`] is embed mode's channel to the host page: it accepts only messages that
//!   `share::message::accept_host_message` accepts (the parent window, the origin that embedded
//!   us, the exact shapes), and posts `ready`, `height` and `ran` to that origin only.
//! * [`share_url`] makes the link of a scenario for the Share button.
//!
//! Nothing here reads or writes storage: embed mode does not use it at all (a host page cannot
//! make the embed reveal a learner's saved work, and a sandboxed frame may have none).

use std::cell::RefCell;
use std::rc::Rc;

use share::{Boot as Fragment, BootConfig, EmbedMessage, HostMessage, Scenario, ShareError};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

/// What the page was asked to open.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Boot {
    /// Embed mode and page options (`None`: the full page with its defaults).
    pub config: Option<BootConfig>,
    /// A scenario from a share link.
    pub scenario: Option<Scenario>,
    /// Why the fragment was not (fully) followed, for the status line.
    pub notice: Option<String>,
}

impl Boot {
    pub fn embed(&self) -> bool {
        self.config.as_ref().is_some_and(|c| c.embed)
    }
}

/// Read the fragment: pure, so it is tested without a browser.
pub fn boot_from(fragment: &str) -> Boot {
    match share::parse_fragment(fragment) {
        Fragment::Plain => Boot::default(),
        Fragment::Share(Ok(s)) => Boot {
            scenario: Some(s),
            ..Boot::default()
        },
        Fragment::Share(Err(e)) => Boot {
            notice: Some(format!("{e} The playground opened without it.")),
            ..Boot::default()
        },
        Fragment::Config(Ok(c)) => Boot {
            config: Some(c),
            ..Boot::default()
        },
        Fragment::Config(Err(e)) => {
            // Still an embed when it says so: it must not fall back to the full page's storage.
            let embed = fragment
                .trim_start_matches('#')
                .split('&')
                .any(|p| p == "embed" || p.starts_with("embed="));
            Boot {
                config: embed.then(|| BootConfig {
                    embed: true,
                    ..BootConfig::default()
                }),
                notice: Some(format!("{e} The defaults are used.")),
                scenario: None,
            }
        }
    }
}

pub fn read_boot() -> Boot {
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    boot_from(&hash)
}

/// The base of share links: this page's address without its fragment.
pub fn page_base() -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .map(|h| h.split('#').next().unwrap_or_default().to_string())
        .unwrap_or_default()
}

pub fn share_url(s: &Scenario) -> Result<String, ShareError> {
    share::link(&page_base(), s)
}

/// The origin of the page that embeds us: the browser's word first (`ancestorOrigins`, then
/// the referrer), the one embed.js declared last.
fn host_origin(declared: Option<&str>) -> Option<String> {
    let w = web_sys::window()?;
    // `location.ancestorOrigins` (Chromium, Safari; not Firefox, which has the referrer).
    let ancestor = js_sys::Reflect::get(&w.location(), &"ancestorOrigins".into())
        .ok()
        .filter(|l| !l.is_undefined() && !l.is_null())
        .and_then(|l| js_sys::Reflect::get(&l, &0.into()).ok())
        .and_then(|o| o.as_string());
    let referrer = w.document().map(|d| d.referrer());
    share::boot::host_origin(ancestor.as_deref(), referrer.as_deref(), declared)
}

/// Embed mode's channel to the host page. Dropping it stops listening.
pub struct HostLink {
    origin: String,
    parent: web_sys::Window,
    _listener: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _resize: Option<(web_sys::ResizeObserver, Closure<dyn FnMut()>)>,
}

impl HostLink {
    /// Listen for the host's messages (`on_message`; a bad one goes to `on_error` as one line),
    /// report the content height as it changes, and say `ready`. `None` when we are not framed
    /// or the host's origin is unknown (then nothing is accepted from anyone).
    pub fn start(
        declared_origin: Option<&str>,
        on_message: impl Fn(HostMessage) + 'static,
        on_error: impl Fn(String) + 'static,
    ) -> Option<HostLink> {
        let w = web_sys::window()?;
        let parent = w.parent().ok().flatten()?;
        let me: &wasm_bindgen::JsValue = w.as_ref();
        let up: &wasm_bindgen::JsValue = parent.as_ref();
        if up == me {
            return None; // not framed
        }
        let origin = host_origin(declared_origin)?;
        let expected = origin.clone();
        let parent_for_check = parent.clone();
        let listener =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                let parent: &wasm_bindgen::JsValue = parent_for_check.as_ref();
                let from_parent = e.source().is_some_and(|s| {
                    let s: &wasm_bindgen::JsValue = s.as_ref();
                    s == parent
                });
                let data = e.data().as_string();
                match share::message::accept_host_message(
                    from_parent,
                    &e.origin(),
                    &expected,
                    data.as_deref(),
                ) {
                    Ok(m) => on_message(m),
                    Err(err) if err.worth_showing() => on_error(err.to_string()),
                    Err(_) => {}
                }
            });
        w.add_event_listener_with_callback("message", listener.as_ref().unchecked_ref())
            .ok()?;
        let mut link = HostLink {
            origin,
            parent,
            _listener: listener,
            _resize: None,
        };
        link._resize = link.observe_height();
        link.post(EmbedMessage::Ready);
        Some(link)
    }

    pub fn post(&self, m: EmbedMessage) {
        let _ = self
            .parent
            .post_message(&wasm_bindgen::JsValue::from_str(&m.to_json()), &self.origin);
    }

    /// Post the document's height whenever the body's size changes.
    fn observe_height(&self) -> Option<(web_sys::ResizeObserver, Closure<dyn FnMut()>)> {
        let doc = web_sys::window()?.document()?;
        let body = doc.body()?;
        let parent = self.parent.clone();
        let origin = self.origin.clone();
        let last = Rc::new(RefCell::new(0u32));
        let report = Closure::<dyn FnMut()>::new(move || {
            let Some(root) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.document_element())
            else {
                return;
            };
            let h = u32::try_from(root.scroll_height()).unwrap_or(0);
            if *last.borrow() != h {
                *last.borrow_mut() = h;
                let _ = parent.post_message(
                    &wasm_bindgen::JsValue::from_str(&EmbedMessage::Height(h).to_json()),
                    &origin,
                );
            }
        });
        let observer = web_sys::ResizeObserver::new(report.as_ref().unchecked_ref()).ok()?;
        observer.observe(&body);
        Some((observer, report))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments() {
        assert_eq!(boot_from(""), Boot::default());
        assert_eq!(boot_from("#/x"), Boot::default());
        let b = boot_from("#embed&view=console&theme=dark&init");
        assert!(b.embed());
        assert_eq!(b.notice, None);
        let b = boot_from("#s1.AAAA");
        assert!(b.scenario.is_none());
        assert!(
            b.notice
                .as_deref()
                .is_some_and(|n| n.starts_with("This share link is damaged")
                    && n.ends_with("The playground opened without it.")),
            "{b:?}"
        );
        // A bad option in embed mode: still embed mode (no storage), with the reason.
        let b = boot_from("#embed&view=<script>");
        assert!(b.embed());
        assert!(
            b.notice
                .as_deref()
                .is_some_and(|n| n.contains("view=\"<script>\"")),
            "{b:?}"
        );
    }
}

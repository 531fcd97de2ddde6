//! The page's keyboard shortcuts, listed by the `?` overlay.

use gloo_events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use yew::Callback;

/// What a shortcut does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shortcut {
    Apply,
    Step,
    Back,
    PlayPause,
    FocusConsole,
    Examples,
    Help,
    Close,
}

/// Every shortcut: (keys as shown, what it does, the action). Single keys work when the focus
/// is not in a text field; Ctrl+Enter and Escape work everywhere.
pub const SHORTCUTS: &[(&str, &str, Shortcut)] = &[
    ("Ctrl+Enter", "Apply the files", Shortcut::Apply),
    ("s", "Step: the next event", Shortcut::Step),
    ("b", "Back one entry", Shortcut::Back),
    ("p", "Play / Pause", Shortcut::PlayPause),
    ("/", "Focus the console", Shortcut::FocusConsole),
    ("e", "Examples", Shortcut::Examples),
    ("?", "This list", Shortcut::Help),
    ("Esc", "Close a dialog", Shortcut::Close),
];

/// The shortcut a key press means, given whether the focus is in a text field.
pub fn shortcut_for(key: &str, ctrl: bool, alt: bool, in_text: bool) -> Option<Shortcut> {
    if ctrl && key == "Enter" {
        return Some(Shortcut::Apply);
    }
    if key == "Escape" {
        return Some(Shortcut::Close);
    }
    if in_text || ctrl || alt {
        return None;
    }
    match key {
        "s" => Some(Shortcut::Step),
        "b" => Some(Shortcut::Back),
        "p" => Some(Shortcut::PlayPause),
        "/" => Some(Shortcut::FocusConsole),
        "e" => Some(Shortcut::Examples),
        "?" => Some(Shortcut::Help),
        _ => None,
    }
}

fn focus_in_text() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())
        .is_some_and(|el| {
            let tag = el.tag_name().to_ascii_lowercase();
            tag == "textarea"
                || tag == "select"
                || (tag == "input"
                    && !matches!(
                        el.get_attribute("type").as_deref(),
                        Some("button" | "checkbox" | "radio" | "range")
                    ))
                || el.get_attribute("contenteditable").is_some()
        })
}

/// Listen for the shortcuts on the whole document while the listener lives.
pub fn listen_shortcuts(on: Callback<Shortcut>) -> Option<EventListener> {
    web_sys::window().and_then(|w| w.document()).map(|doc| {
        EventListener::new_with_options(
            &doc,
            "keydown",
            EventListenerOptions::enable_prevent_default(),
            move |e| {
                let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>() else {
                    return;
                };
                if e.default_prevented() || e.is_composing() {
                    return;
                }
                let ctrl = e.ctrl_key() || e.meta_key();
                if let Some(s) = shortcut_for(&e.key(), ctrl, e.alt_key(), focus_in_text()) {
                    if s != Shortcut::Close {
                        e.prevent_default();
                    }
                    on.emit(s);
                }
            },
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_keys_only_outside_text_fields() {
        assert_eq!(shortcut_for("s", false, false, false), Some(Shortcut::Step));
        assert_eq!(shortcut_for("s", false, false, true), None);
        assert_eq!(shortcut_for("s", true, false, false), None);
        assert_eq!(
            shortcut_for("Enter", true, false, true),
            Some(Shortcut::Apply)
        );
        assert_eq!(
            shortcut_for("Escape", false, false, true),
            Some(Shortcut::Close)
        );
        assert_eq!(shortcut_for("?", false, false, false), Some(Shortcut::Help));
        for (_, _, s) in SHORTCUTS {
            assert!(
                ["s", "b", "p", "/", "e", "?"]
                    .iter()
                    .any(|k| shortcut_for(k, false, false, false) == Some(*s))
                    || matches!(s, Shortcut::Apply | Shortcut::Close)
            );
        }
    }
}

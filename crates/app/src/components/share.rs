use ::share::Scenario;
use yew::prelude::*;

use crate::embed;

pub struct ShareProps {
    /// The scenario to share, read when the button is pressed.
    pub scenario: Callback<(), Scenario>,
    /// Say what happened in the page's notice line.
    pub notice: Callback<Option<String>>,
    /// The link made by the last press (shown to copy by hand).
    pub link: Option<AttrValue>,
    /// Keep the link a press made (`None`: none was made).
    pub on_link: Callback<Option<AttrValue>>,
}

/// The Share button: copies a link that opens this exact state (files, every line and edit,
/// the tab in front, the view options), and shows it to copy by hand where the clipboard is
/// not allowed. A scenario too large for a link is said in the notice, and no link is made.
/// A function of its props, not a component (bytes: yew's per-component code); the link is
/// [`crate::App`]'s.
pub fn share_button(props: &ShareProps) -> Html {
    let onclick = {
        let (scenario, notice) = (props.scenario.clone(), props.notice.clone());
        let on_link = props.on_link.clone();
        Callback::from(move |_| match embed::share_url(&scenario.emit(())) {
            Ok(url) => {
                notice.emit(Some(if copy_text(&url) {
                    "Link copied: it opens this exact state.".to_string()
                } else {
                    "Copy the link beside: it opens this exact state.".to_string()
                }));
                on_link.emit(Some(AttrValue::from(url)));
            }
            Err(e) => {
                notice.emit(Some(e.to_string()));
                on_link.emit(None);
            }
        })
    };
    html! {
        <>
            <button id="share" title="Copy a link that opens exactly this state" {onclick}>{"Share"}</button>
            if let Some(url) = props.link.clone() {
                <input id="share-link" class="share-link" type="text" readonly=true value={url}
                    aria-label="Share link" />
            }
        </>
    }
}

/// Copy text to the clipboard where the browser allows it (not in every frame): `false` when
/// the caller should show it to copy by hand.
fn copy_text(text: &str) -> bool {
    let Some(w) = web_sys::window() else {
        return false;
    };
    if !w.is_secure_context() {
        return false;
    }
    let _ = w.navigator().clipboard().write_text(text);
    true
}

use ::share::Scenario;
use yew::prelude::*;

use crate::embed;

#[derive(Properties, PartialEq)]
pub struct ShareProps {
    /// The scenario to share, read when the button is pressed.
    pub scenario: Callback<(), Scenario>,
    /// Say what happened in the page's notice line.
    pub notice: Callback<Option<String>>,
}

/// The Share button: copies a link that opens this exact state (files, every line and edit,
/// the tab in front, the view options), and shows it to copy by hand where the clipboard is
/// not allowed. A scenario too large for a link is said in the notice, and no link is made.
/// A struct component: the last function component's hook plumbing (yew's `functional`
/// module) is left out of the wasm with it.
pub struct ShareButton {
    /// The link made by the last press (shown to copy by hand).
    link: Option<AttrValue>,
}

impl Component for ShareButton {
    type Message = Option<AttrValue>;
    type Properties = ShareProps;

    fn create(_ctx: &Context<Self>) -> Self {
        ShareButton { link: None }
    }

    fn update(&mut self, _ctx: &Context<Self>, link: Option<AttrValue>) -> bool {
        self.link = link;
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let props = ctx.props();
        let onclick = {
            let (scenario, notice) = (props.scenario.clone(), props.notice.clone());
            let link = ctx.link().clone();
            Callback::from(move |_| match embed::share_url(&scenario.emit(())) {
                Ok(url) => {
                    notice.emit(Some(if copy_text(&url) {
                        "Link copied: it opens this exact state.".to_string()
                    } else {
                        "Copy the link beside: it opens this exact state.".to_string()
                    }));
                    link.send_message(Some(AttrValue::from(url)));
                }
                Err(e) => {
                    notice.emit(Some(e.to_string()));
                    link.send_message(None);
                }
            })
        };
        html! {
            <>
                <button id="share" title="Copy a link that opens exactly this state" {onclick}>{"Share"}</button>
                if let Some(url) = self.link.clone() {
                    <input id="share-link" class="share-link" type="text" readonly=true value={url}
                        aria-label="Share link" />
                }
            </>
        }
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

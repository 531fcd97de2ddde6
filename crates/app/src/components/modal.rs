//! A modal dialog on the native `<dialog>` element: focus moves into it and is kept there,
//! Escape closes it, the page behind is inert.

use web_sys::HtmlDialogElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ModalProps {
    pub id: AttrValue,
    /// The dialog's accessible name (its heading's text).
    pub title: AttrValue,
    pub on_close: Callback<()>,
    #[prop_or_default]
    pub children: Html,
}

/// A struct component (no hooks: a hook instantiates yew's hook plumbing for its types).
pub struct Modal {
    node: NodeRef,
}

impl Component for Modal {
    type Message = ();
    type Properties = ModalProps;

    fn create(_ctx: &Context<Self>) -> Self {
        Modal {
            node: NodeRef::default(),
        }
    }

    /// Opened as a modal once it is in the DOM.
    fn rendered(&mut self, _ctx: &Context<Self>, first_render: bool) {
        if first_render
            && let Some(d) = self.node.cast::<HtmlDialogElement>()
            && !d.open()
        {
            let _ = d.show_modal();
        }
    }

    /// Closed before it leaves the DOM (that is what gives the focus back).
    fn destroy(&mut self, _ctx: &Context<Self>) {
        if let Some(d) = self.node.cast::<HtmlDialogElement>() {
            d.close();
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let props = ctx.props();
        let oncancel = {
            let on_close = props.on_close.clone();
            Callback::from(move |e: Event| {
                e.prevent_default();
                on_close.emit(());
            })
        };
        let close = props.on_close.reform(|_| ());
        let heading = format!("{}-title", props.id);
        html! {
            <dialog id={props.id.clone()} ref={self.node.clone()} class="modal" aria-labelledby={heading.clone()} {oncancel}>
                <div class="modal-head">
                    <h2 id={heading}>{ props.title.clone() }</h2>
                    <button class="quiet close" onclick={close} aria-label="Close">{"×"}</button>
                </div>
                <div class="modal-body">{ props.children.clone() }</div>
            </dialog>
        }
    }
}

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

#[function_component(Modal)]
pub fn modal(props: &ModalProps) -> Html {
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_with((), move |_| {
            let d = node.cast::<HtmlDialogElement>();
            if let Some(d) = &d
                && !d.open()
            {
                let _ = d.show_modal();
            }
            move || {
                if let Some(d) = d {
                    d.close();
                }
            }
        });
    }
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
        <dialog id={props.id.clone()} ref={node} class="modal" aria-labelledby={heading.clone()} {oncancel}>
            <div class="modal-head">
                <h2 id={heading}>{ props.title.clone() }</h2>
                <button class="quiet close" onclick={close} aria-label="Close">{"×"}</button>
            </div>
            <div class="modal-body">{ props.children.clone() }</div>
        </dialog>
    }
}

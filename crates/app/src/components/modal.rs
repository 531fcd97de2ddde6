//! A modal dialog on the native `<dialog>` element: focus moves into it and is kept there,
//! Escape closes it, the page behind is inert.
//!
//! Markup from a function, not a component (bytes: yew's per-component code): [`crate::App`]
//! opens it as a modal after the render that puts it in the DOM ([`open`], first in its
//! `rendered`, where the component's own `rendered` ran before the app's) and closes it
//! before the render that takes it out ([`close`], in its `update`: closing is what gives the
//! focus back).

use wasm_bindgen::JsCast;
use web_sys::HtmlDialogElement;
use yew::prelude::*;

/// The dialog with id `id`, named by its heading `title`, around `children`.
pub fn modal(
    id: &'static str,
    title: &'static str,
    on_close: &Callback<()>,
    children: Html,
) -> Html {
    let oncancel = {
        let on_close = on_close.clone();
        Callback::from(move |e: Event| {
            e.prevent_default();
            on_close.emit(());
        })
    };
    let close = on_close.reform(|_| ());
    let heading = format!("{id}-title");
    html! {
        <dialog id={id} class="modal" aria-labelledby={heading.clone()} {oncancel}>
            <div class="modal-head">
                <h2 id={heading}>{ title }</h2>
                <button class="quiet close" onclick={close} aria-label="Close">{"×"}</button>
            </div>
            <div class="modal-body">{ children }</div>
        </dialog>
    }
}

fn dialog(id: &str) -> Option<HtmlDialogElement> {
    web_sys::window()?
        .document()?
        .get_element_by_id(id)?
        .dyn_into()
        .ok()
}

/// Open the dialog `id` (in the DOM) as a modal.
pub fn open(id: &str) {
    if let Some(d) = dialog(id)
        && !d.open()
    {
        let _ = d.show_modal();
    }
}

/// Close the dialog `id` (still in the DOM).
pub fn close(id: &str) {
    if let Some(d) = dialog(id) {
        d.close();
    }
}

use std::rc::Rc;

use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use crate::state::{Diag, Files};

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub files: Rc<Files>,
    pub active: AttrValue,
    /// intake's diagnostics of the active file (computed by the reducer when the text changes).
    pub diagnostics: Rc<Vec<Diag>>,
    pub on_tab: Callback<String>,
    /// (file, new text)
    pub on_edit: Callback<(String, String)>,
}

/// The file tabs, the text and intake's diagnostics.
#[function_component(Editor)]
pub fn editor(props: &EditorProps) -> Html {
    let active = props.active.to_string();
    let text = props
        .files
        .get(&active)
        .map(|t| t.to_string())
        .unwrap_or_default();
    let oninput = {
        let on_edit = props.on_edit.clone();
        let name = active.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(t) = e.target_dyn_into::<HtmlTextAreaElement>() {
                on_edit.emit((name.clone(), t.value()));
            }
        })
    };
    html! {
        <>
            <div class="tabs" role="tablist" aria-label="files">
                { for props.files.names().map(|f| {
                    let on_tab = props.on_tab.clone();
                    let name = f.to_string();
                    let selected = active == f;
                    html! {
                        <button role="tab" class={classes!("tab", selected.then_some("active"))}
                            aria-selected={selected.to_string()}
                            onclick={Callback::from(move |_| on_tab.emit(name.clone()))}>{ f.to_string() }</button>
                    }
                }) }
            </div>
            <textarea id="editor" spellcheck="false" aria-label={format!("editor: {active}")}
                value={text} oninput={oninput} />
            <div id="diagnostics" class={classes!("diagnostics", (!props.diagnostics.is_empty()).then_some("has-errors"))}>
                if props.diagnostics.is_empty() {
                    <span class="ok">{ format!("{active}: valid") }</span>
                } else {
                    { for props.diagnostics.iter().map(|d| html! {
                        <div class="diagnostic">
                            if let (Some(l), Some(c)) = (d.line, d.col) { <span class="at">{ format!("{active}:{l}:{c}") }</span>{" "} }
                            <span class="msg">{ d.message.clone() }</span>
                            if let Some(h) = &d.hint { <div class="hint">{ format!("hint: {h}") }</div> }
                        </div>
                    }) }
                }
            </div>
        </>
    }
}

use std::rc::Rc;

use kubectl::gallery::{Example, examples};
use yew::prelude::*;

use super::modal::modal;

pub struct ExamplesProps {
    /// The example being loaded while "replace my work?" waits for an answer.
    pub confirm: Option<&'static Example>,
    /// Files that hold edits the load would replace.
    pub edited: Vec<String>,
    pub current: Option<&'static str>,
    /// (example id, confirmed)
    pub on_load: Callback<(String, bool)>,
    /// The built-in tours: (name, title, one-line summary).
    pub tours: Rc<Vec<(String, String, String)>>,
    /// The tour (name, title) being started while "replace the cluster?" waits.
    pub confirm_tour: Option<(String, String)>,
    /// (tour name, confirmed)
    pub on_tour: Callback<(String, bool)>,
    pub on_cancel: Callback<()>,
    pub on_close: Callback<()>,
    /// Whether the examples' and tours' texts are here (the page fetches them at boot).
    pub texts: crate::state::Texts,
    /// The question's answer button, focused by [`crate::App`] when the question appears.
    pub answer: NodeRef,
}

/// The examples dialog's id.
pub const EXAMPLES_DIALOG: &str = "examples-dialog";

/// The examples gallery (a dialog named "Examples"). A function of its props, not a component
/// (bytes: yew's per-component code); its one effect, the question taking the focus, is
/// [`crate::App`]'s (in its `rendered`).
// Not inlined into `App::view`, so the release build can move it to the second wasm module
// when a first visit does not show it (issue #17, xtask/src/split.rs).
#[inline(never)]
pub fn examples_dialog(props: &ExamplesProps) -> Html {
    let answer = &props.answer;
    // One question for an example or a tour: (question, what is lost, button, its callback).
    let ask = if let Some(e) = props.confirm {
        let (on_load, id) = (props.on_load.clone(), e.id.to_string());
        let lose = if props.edited.is_empty() {
            "It starts a fresh cluster: the current one and its timeline are replaced.".to_string()
        } else {
            format!(
                "It replaces your edits to {} and starts a fresh cluster.",
                props.edited.join(", ")
            )
        };
        Some((
            format!("Load “{}”? ", e.title),
            lose,
            "Load and replace",
            Callback::from(move |_| on_load.emit((id.clone(), true))),
        ))
    } else {
        props.confirm_tour.as_ref().map(|(name, title)| {
            let (on_tour, name) = (props.on_tour.clone(), name.clone());
            (
                format!("Start the tour “{title}”? "),
                "It starts a fresh cluster: the current one and its timeline are replaced. Your files stay.".to_string(),
                "Start the tour",
                Callback::from(move |_| on_tour.emit((name.clone(), true))),
            )
        })
    };
    let confirm = ask.map(|(q, lose, yes, onclick)| {
        html! {
            <div class="confirm" role="alertdialog" aria-labelledby="confirm-text">
                <p id="confirm-text"><strong>{ q }</strong>{ lose }</p>
                <button class="primary" ref={answer.clone()} {onclick}>{ yes }</button>
                <button onclick={props.on_cancel.reform(|_| ())}>{"Keep my work"}</button>
            </div>
        }
    });
    let body = html! {
        <>
            { confirm.unwrap_or_default() }
            <p class="muted">{"Each example loads its files into the editor on a fresh cluster; its script shows its point a line at a time."}</p>
            <ul class="gallery">
                { for examples().iter().map(|e| {
                    let load = {
                        let on_load = props.on_load.clone();
                        let id = e.id.to_string();
                        Callback::from(move |_| on_load.emit((id.clone(), false)))
                    };
                    let current = props.current == Some(e.id);
                    html! {
                        <li class={classes!("card", current.then_some("current"))} data-example={e.id}>
                            <h3>{ e.title }</h3>
                            <p>{ e.summary }</p>
                            <details>
                                <summary>{"What to watch"}</summary>
                                { for e.what_to_watch().into_iter().map(|p| html! { <p>{ p }</p> }) }
                            </details>
                            <button onclick={load} aria-label={format!("Load {}", e.title)}>
                                { if current { "Load again" } else { "Load" } }
                            </button>
                            if current { <span class="muted">{" (loaded)"}</span> }
                        </li>
                    }
                }) }
            </ul>
            { texts_status(&props.texts) }
            <h3 id="gallery-tours">{"Tours"}</h3>
            <p class="muted">{"A guided walk, step by step, with predictions to make; it keeps your files and starts on a fresh cluster."}</p>
            <ul class="gallery" aria-labelledby="gallery-tours">
                { for props.tours.iter().map(|(name, title, summary)| {
                    let start = {
                        let (on_tour, name) = (props.on_tour.clone(), name.clone());
                        Callback::from(move |_| on_tour.emit((name.clone(), false)))
                    };
                    html! {
                        <li class="card" data-tour={name.clone()}>
                            <h3>{ title.clone() }</h3>
                            <p>{ summary.clone() }</p>
                            <button onclick={start} aria-label={format!("Start {title}")}>{"Start"}</button>
                        </li>
                    }
                }) }
            </ul>
        </>
    };
    modal(EXAMPLES_DIALOG, "Examples", &props.on_close, body)
}

/// A line while the other examples and the tours are loading, or why they are not here.
fn texts_status(t: &crate::state::Texts) -> Html {
    match t {
        crate::state::Texts::Ready => Html::default(),
        crate::state::Texts::Loading => html! {
            <p class="muted texts-status" role="status">{"Loading the other examples and the tours…"}</p>
        },
        crate::state::Texts::Failed(why) => html! {
            <p class="notice texts-status" role="alert">{ crate::state::texts_failed(why) }</p>
        },
    }
}

//! The tour panel: pick a tour, read the step, predict, run it, step back. Every button issues
//! a console line (`sim tour …`), so a tour walked in the page is in the command log too.

use std::rc::Rc;

use yew::prelude::*;

use crate::tour::TourView;

pub struct TourPanelProps {
    pub tour: Option<Rc<TourView>>,
    /// (name, title, summary) of the built-in tours.
    pub tours: Rc<Vec<(String, String, String)>>,
    pub run: Callback<String>,
}

pub fn tour_panel(props: &TourPanelProps) -> Html {
    let line = |l: String| {
        let run = props.run.clone();
        Callback::from(move |_: MouseEvent| run.emit(l.clone()))
    };
    let Some(t) = props.tour.as_ref() else {
        return html! {
            <section class="tour" aria-label="tours">
                <div class="pane-title">{"Tours"}</div>
                <ul class="tour-list">
                    { for props.tours.iter().map(|(name, title, _)| html! {
                        <li><button class="small" onclick={line(format!("sim tour {name}"))}
                            aria-label={format!("Start tour: {title}")}>{ title.clone() }</button></li>
                    }) }
                </ul>
            </section>
        };
    };
    active_tour(t, props)
}

/// A tour under way. Not inlined into `App::view`, so the release build can move it to the
/// second wasm module when a first visit takes no tour (issue #17, xtask/src/split.rs).
#[inline(never)]
fn active_tour(t: &TourView, props: &TourPanelProps) -> Html {
    let line = |l: String| {
        let run = props.run.clone();
        Callback::from(move |_: MouseEvent| run.emit(l.clone()))
    };
    let controls = html! {
        <div class="tour-controls">
            <button class="small" id="tour-back" onclick={line("sim tour back".into())}
                disabled={t.index == 0} aria-label="Tour: step back">{"Back"}</button>
            if t.step.is_some() {
                <button class="small" id="tour-next" onclick={line("sim tour next".into())}
                    aria-label="Tour: run this step">{"Run step"}</button>
            }
            <button class="small" id="tour-stop" onclick={line("sim tour stop".into())}
                aria-label="Tour: leave">{"Leave"}</button>
        </div>
    };
    html! {
        <section class="tour" aria-label={format!("tour: {}", t.title)}>
            <div class="pane-title">{ format!("Tour: {}", t.title) }</div>
            if let Some(v) = &t.verdict {
                <p class="tour-verdict" role="status">{ v.clone() }</p>
            }
            if let Some(step) = &t.step {
                <h3 class="tour-step">{ format!("Step {}/{}: {}", t.index + 1, t.total, step.title) }</h3>
                if t.index == 0 && !t.intro.is_empty() {
                    <p class="tour-prose">{ t.intro.clone() }</p>
                }
                <p class="tour-prose">{ step.prose.clone() }</p>
                if !step.commands.is_empty() {
                    <pre class="tour-commands" aria-label="commands this step runs">
                        { for step.commands.iter().map(|c| html! { <span class="line">{ format!("$ {c}\n") }</span> }) }
                    </pre>
                }
                if let Some((q, choices)) = &step.question {
                    <fieldset class="tour-question">
                        <legend>{ format!("Predict: {q}") }</legend>
                        { for choices.iter().enumerate().map(|(i, c)| {
                            let chosen = step.answer == Some(i);
                            html! {
                                <button class={classes!("small", chosen.then_some("chosen"))}
                                    aria-pressed={if chosen { "true" } else { "false" }}
                                    onclick={line(format!("sim tour answer {}", i + 1))}>{ c.clone() }</button>
                            }
                        }) }
                    </fieldset>
                }
            } else {
                <p class="tour-prose">{ format!("Finished: {} steps.", t.total) }</p>
            }
            { controls }
        </section>
    }
}

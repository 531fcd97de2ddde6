use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::state::{Speed, Theme};

pub struct ToolbarProps {
    /// The line Apply runs (the loaded example's files, or the seed's).
    pub apply_line: AttrValue,
    pub playing: bool,
    pub speed: Speed,
    pub theme: Theme,
    /// Runs a console line (Apply, Step, Back, Settle and Reset are lines).
    pub run: Callback<String>,
    pub on_play: Callback<bool>,
    pub on_speed: Callback<Speed>,
    pub on_examples: Callback<()>,
    pub on_theme: Callback<Theme>,
    pub on_help: Callback<()>,
    /// Downloads this session as a script for a real kind cluster.
    pub on_export: Callback<()>,
}

/// The controls. Every button that changes the cluster issues the line a learner could type
/// (its title shows it); Play issues `sim advance`/`sim step` lines as it goes.
pub fn toolbar(props: &ToolbarProps) -> Html {
    let button = |id: &'static str, label: &'static str, line: String, title: String| {
        let run = props.run.clone();
        html! {
            <button id={id} title={title} onclick={Callback::from(move |_| run.emit(line.clone()))}>{label}</button>
        }
    };
    let play = {
        let on_play = props.on_play.clone();
        let playing = props.playing;
        Callback::from(move |_| on_play.emit(!playing))
    };
    let speed = {
        let on_speed = props.on_speed.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = e
                .target_dyn_into::<HtmlSelectElement>()
                .and_then(|s| Speed::from_id(&s.value()))
            {
                on_speed.emit(s);
            }
        })
    };
    let examples = props.on_examples.reform(|_| ());
    let help = props.on_help.reform(|_| ());
    let theme = {
        let on_theme = props.on_theme.clone();
        let next = props.theme.next();
        Callback::from(move |_| on_theme.emit(next))
    };
    let theme_label = match props.theme {
        Theme::Auto => "Theme: system",
        Theme::Light => "Theme: light",
        Theme::Dark => "Theme: dark",
    };
    let apply = props.apply_line.to_string();
    html! {
        <div class="toolbar" role="toolbar" aria-label="Simulation controls">
            <button id="examples" onclick={examples} title="Examples gallery (e)">{"Examples"}</button>
            { button("apply", "Apply", apply.clone(), format!("{apply} (Ctrl+Enter)")) }
            { button("step", "Step", "sim step".into(), "sim step: apply the next event (s)".into()) }
            { button("back", "Back", "sim back".into(), "sim back: one history entry back, keeping the future (b)".into()) }
            <button id="play" class={classes!("play", props.playing.then_some("playing"))} onclick={play}
                title="Play the simulation in time (p)">
                { if props.playing { "Pause" } else { "Play" } }
            </button>
            <label class="speed">
                <span class="visually-hidden">{"Speed"}</span>
                <select id="speed" aria-label="Speed" onchange={speed}>
                    { for Speed::ALL.iter().map(|s| html! {
                        <option value={s.id()} selected={*s == props.speed}>{ s.label() }</option>
                    }) }
                </select>
            </label>
            { button("settle", "Settle", "sim settle".into(), "sim settle: run until nothing is pending".into()) }
            { button("reset", "Reset", "sim reset".into(), "sim reset: a fresh cluster".into()) }
            <button id="export-kind" title="Download this session as a sh script that runs it on a real kind cluster (sim export-kind)"
                onclick={props.on_export.reform(|_| ())}>{"Export for kind"}</button>
            <button id="theme" class="quiet" onclick={theme} aria-label={theme_label} title={theme_label}>
                { match props.theme { Theme::Auto => "◐", Theme::Light => "☀", Theme::Dark => "☾" } }
            </button>
            <button id="help" class="quiet" onclick={help} aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)">{"?"}</button>
        </div>
    }
}

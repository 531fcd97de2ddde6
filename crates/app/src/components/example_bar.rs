use kubectl::gallery::Example;
use yew::prelude::*;

pub struct ExampleBarProps {
    pub example: &'static Example,
    /// The next script line's index.
    pub script_pos: usize,
    /// all = true: run every line left.
    pub on_run: Callback<bool>,
}

/// The loaded example: what to watch, and its script a line at a time.
// Not inlined into `App::view`, so the release build can move it to the second wasm module
// when a first visit does not show it (issue #17, xtask/src/split.rs).
#[inline(never)]
pub fn example_bar(props: &ExampleBarProps) -> Html {
    let e = props.example;
    let lines: Vec<&str> = e.script_lines().collect();
    let next = lines.get(props.script_pos).copied();
    let one = props.on_run.reform(|_| false);
    let all = props.on_run.reform(|_| true);
    html! {
        <section id="example-bar" class="example-bar" aria-label="Example script">
            <details>
                <summary><strong>{ e.title }</strong>{" · what to watch"}</summary>
                { for e.what_to_watch().into_iter().map(|p| html! { <p>{ p }</p> }) }
            </details>
            <div class="script">
                if let Some(line) = next {
                    <span class="muted">{ format!("script {}/{}: ", props.script_pos + 1, lines.len()) }</span>
                    <code id="script-next">{ line }</code>
                    <button id="run-next" onclick={one}>{"Run next line"}</button>
                    <button id="run-all" onclick={all}>{"Run the rest"}</button>
                } else {
                    <span class="muted">{ format!("script done ({} lines)", lines.len()) }</span>
                }
            </div>
        </section>
    }
}

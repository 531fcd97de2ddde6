use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::state::Entry;

#[derive(Properties, PartialEq)]
pub struct ConsoleProps {
    pub entries: Rc<Vec<Rc<Entry>>>,
    /// Lines ↑/↓ recalls, oldest first.
    pub recall: Rc<Vec<String>>,
    /// The prompt for the next line (`$ `, or an attached container shell's `/ # `).
    pub prompt: Rc<str>,
    pub run: Callback<String>,
}

/// The console: what each line printed, and a prompt. Output is text only.
#[function_component(Console)]
pub fn console(props: &ConsoleProps) -> Html {
    let input = use_node_ref();
    let output = use_node_ref();
    // Position in `recall` while browsing it with ↑/↓.
    let cursor = use_mut_ref(|| None::<usize>);
    let onkeydown = {
        let run = props.run.clone();
        let input = input.clone();
        let recall = props.recall.clone();
        let cursor = cursor.clone();
        Callback::from(move |e: KeyboardEvent| {
            let Some(el) = input.cast::<HtmlInputElement>() else {
                return;
            };
            let mut cur = cursor.borrow_mut();
            match e.key().as_str() {
                "Enter" => {
                    let line = el.value();
                    el.set_value("");
                    *cur = None;
                    run.emit(line);
                }
                "ArrowUp" if !recall.is_empty() => {
                    e.prevent_default();
                    let i = cur.map(|c| c.saturating_sub(1)).unwrap_or(recall.len() - 1);
                    if let Some(h) = recall.get(i) {
                        el.set_value(h);
                    }
                    *cur = Some(i);
                }
                "ArrowDown" => {
                    e.prevent_default();
                    match *cur {
                        Some(c) if c + 1 < recall.len() => {
                            if let Some(h) = recall.get(c + 1) {
                                el.set_value(h);
                            }
                            *cur = Some(c + 1);
                        }
                        _ => {
                            el.set_value("");
                            *cur = None;
                        }
                    }
                }
                _ => {}
            }
        })
    };
    {
        // Keep the newest output in view.
        let output = output.clone();
        use_effect_with(props.entries.clone(), move |_| {
            if let Some(el) = output.cast::<web_sys::Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }
    html! {
        <section class="console">
            <pre id="console-output" ref={output} class="console-output" aria-live="polite">
                if props.entries.is_empty() {
                    <span class="muted">{"Type kubectl commands as on a real cluster, or `sim help`. Try: kubectl apply -f sts.yaml\n"}</span>
                }
                { for props.entries.iter().map(|e| html! { <EntryView key={e.seq} entry={e.clone()} /> }) }
            </pre>
            <div class="console-input-row">
                <span class="prompt">{ props.prompt.trim_end().to_string() }</span>
                <input id="console-input" ref={input} type="text" autocomplete="off" spellcheck="false"
                    placeholder="kubectl get pods -l app=nginx" aria-label="console" onkeydown={onkeydown} />
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct EntryProps {
    entry: Rc<Entry>,
}

/// One line and its output (renders once: entries never change).
#[function_component(EntryView)]
fn entry_view(props: &EntryProps) -> Html {
    let e = &props.entry;
    html! {
        <span class="entry">
            <span class="prompt">{ e.prompt.to_string() }</span><span class="line">{ format!("{}\n", e.line) }</span>
            <span class={classes!("out", (!e.ok).then_some("failed"))}>{ e.output.clone() }</span>
        </span>
    }
}

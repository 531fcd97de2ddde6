//! The console: every line run and what it printed (text only), and a prompt with history
//! (↑/↓), Tab completion (`kubectl::complete`, the CLI's completer), Ctrl-L to clear the
//! screen, and a button that copies the output.

use std::cell::RefCell;
use std::rc::Rc;

use kubectl::complete::{Names, common_prefix, complete};
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::row::{Row, RowData};
use crate::state::Entry;

/// Completion candidates shown at most.
const MAX_SHOWN: usize = 40;

#[derive(Properties, PartialEq)]
pub struct ConsoleProps {
    pub entries: Rc<Vec<Rc<Entry>>>,
    /// Lines ↑/↓ recalls, oldest first.
    pub recall: Rc<Vec<String>>,
    /// The prompt for the next line (`$ `, or an attached container shell's `/ # `).
    pub prompt: Rc<str>,
    /// Object names for completion, read from the cluster when Tab is pressed (listing every
    /// object after each step would cost more than the step: 37 ms at 100 pods).
    pub names: Callback<(), Names>,
    pub run: Callback<String>,
    pub on_clear: Callback<()>,
    /// A live watch is open: Ctrl-C (with nothing selected) stops the newest (`sim watch stop`).
    #[prop_or_default]
    pub watching: bool,
}

/// The console's text as a terminal would show it.
pub fn transcript(entries: &[Rc<Entry>]) -> String {
    let mut t = String::new();
    for e in entries {
        t.push_str(&e.prompt);
        t.push_str(&e.line);
        t.push('\n');
        t.push_str(&e.output);
        if !e.output.is_empty() && !e.output.ends_with('\n') {
            t.push('\n');
        }
    }
    t
}

/// Tab on `line` with the caret at byte `pos`: the new line and caret, and the candidates to
/// show when there is more than one.
pub fn tab(line: &str, pos: usize, names: &Names) -> (String, usize, Vec<String>) {
    let (start, cands) = complete(line, pos, names);
    let word_end = pos.min(line.len());
    let fill = match cands.as_slice() {
        [] => return (line.to_string(), pos, Vec::new()),
        [one] => format!("{one} "),
        many => common_prefix(many),
    };
    let mut out = String::new();
    out.push_str(line.get(..start).unwrap_or(""));
    out.push_str(&fill);
    let caret = out.len();
    out.push_str(line.get(word_end..).unwrap_or(""));
    let shown = if cands.len() > 1 { cands } else { Vec::new() };
    (out, caret, shown)
}

/// What the console is told (beside its props).
pub enum ConsoleMsg {
    /// Tab's completion candidates to show (none: hide them).
    Candidates(Vec<String>),
    /// What "Copy output" did.
    Copied(&'static str),
}

/// The console. A struct component (no hooks: each hook instantiates yew's hook plumbing for
/// its types); its state is fields, its effect (keeping the newest output in view) runs in
/// `rendered`.
pub struct Console {
    input: NodeRef,
    output: NodeRef,
    /// Position in `recall` while browsing it with ↑/↓.
    cursor: Rc<RefCell<Option<usize>>>,
    candidates: Vec<String>,
    copied: Option<&'static str>,
    /// The entries the output was last scrolled for.
    scrolled: Option<Rc<Vec<Rc<Entry>>>>,
}

impl Component for Console {
    type Message = ConsoleMsg;
    type Properties = ConsoleProps;

    fn create(_ctx: &Context<Self>) -> Self {
        Console {
            input: NodeRef::default(),
            output: NodeRef::default(),
            cursor: Rc::default(),
            candidates: Vec::new(),
            copied: None,
            scrolled: None,
        }
    }

    fn update(&mut self, _ctx: &Context<Self>, msg: ConsoleMsg) -> bool {
        match msg {
            ConsoleMsg::Candidates(c) => self.candidates = c,
            ConsoleMsg::Copied(m) => self.copied = Some(m),
        }
        true
    }

    fn rendered(&mut self, ctx: &Context<Self>, _first_render: bool) {
        // Keep the newest output in view.
        let entries = &ctx.props().entries;
        if self.scrolled.as_ref() != Some(entries) {
            self.scrolled = Some(entries.clone());
            let output = self.output.clone();
            // In the next animation frame, when the browser lays the page out anyway: reading
            // scrollHeight now would force an extra layout of the whole page after every step.
            let scroll = wasm_bindgen::closure::Closure::once_into_js(move || {
                if let Some(el) = output.cast::<web_sys::Element>() {
                    el.set_scroll_top(el.scroll_height());
                }
            });
            if let Some(w) = web_sys::window() {
                let _ = w.request_animation_frame(scroll.unchecked_ref());
            }
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        console_view(self, ctx)
    }
}

fn console_view(this: &Console, ctx: &Context<Console>) -> Html {
    let props = ctx.props();
    let link = ctx.link().clone();
    let (input, output) = (&this.input, &this.output);
    let candidates = &this.candidates;
    let onkeydown = {
        let run = props.run.clone();
        let input = input.clone();
        let recall = props.recall.clone();
        let names = props.names.clone();
        let cursor = this.cursor.clone();
        let shown = !candidates.is_empty();
        let link = link.clone();
        let on_clear = props.on_clear.clone();
        let watching = props.watching;
        Callback::from(move |e: KeyboardEvent| {
            let Some(el) = input.cast::<HtmlInputElement>() else {
                return;
            };
            let mut cur = cursor.borrow_mut();
            let key = e.key();
            if key != "Tab" && shown {
                link.send_message(ConsoleMsg::Candidates(Vec::new()));
            }
            match key.as_str() {
                "Enter" => {
                    let line = el.value();
                    el.set_value("");
                    *cur = None;
                    run.emit(line);
                }
                "Tab" if !e.shift_key() => {
                    e.prevent_default();
                    let v = el.value();
                    let pos16 = el.selection_start().ok().flatten().unwrap_or(0) as usize;
                    let pos = v
                        .char_indices()
                        .scan(0usize, |u, (i, c)| {
                            let here = *u;
                            *u += c.len_utf16();
                            Some((i, here))
                        })
                        .find(|(_, u)| *u >= pos16)
                        .map_or(v.len(), |(i, _)| i);
                    let (line, caret, shown) = tab(&v, pos, &names.emit(()));
                    el.set_value(&line);
                    let c16 = line.get(..caret).unwrap_or("").encode_utf16().count() as u32;
                    let _ = el.set_selection_range(c16, c16);
                    link.send_message(ConsoleMsg::Candidates(shown));
                }
                "c" | "C"
                    if e.ctrl_key()
                        && watching
                        && el.selection_start().ok().flatten()
                            == el.selection_end().ok().flatten() =>
                {
                    e.prevent_default();
                    el.set_value("");
                    *cur = None;
                    run.emit("sim watch stop".into());
                }
                "l" | "L" if e.ctrl_key() => {
                    e.prevent_default();
                    on_clear.emit(());
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
    let copy = {
        let entries = props.entries.clone();
        let output = output.clone();
        Callback::from(move |_| {
            let text = transcript(&entries);
            let clipboard = web_sys::window().map(|w| w.navigator().clipboard());
            let copied = link.callback(ConsoleMsg::Copied);
            let output = output.clone();
            match clipboard {
                Some(c) => {
                    let p = c.write_text(&text);
                    wasm_bindgen_futures::spawn_local(async move {
                        match wasm_bindgen_futures::JsFuture::from(p).await {
                            Ok(_) => copied.emit("Copied"),
                            Err(_) => {
                                select_all(&output);
                                copied.emit("Copy blocked: the output is selected, press Ctrl+C");
                            }
                        }
                    });
                }
                None => {
                    select_all(&output);
                    copied.emit("The output is selected: press Ctrl+C");
                }
            }
        })
    };
    let clear = props.on_clear.reform(|_| ());
    html! {
        <section class="console" aria-label="Console">
            <div class="console-tools">
                <span class="console-title">{"Console"}</span>
                <button class="small quiet" id="copy-output" onclick={copy}>{"Copy output"}</button>
                <button class="small quiet" id="clear-console" onclick={clear} title="Clear the screen (Ctrl+L); the history is kept">{"Clear"}</button>
                if let Some(m) = this.copied { <span class="muted" role="status">{ m }</span> }
            </div>
            <pre id="console-output" ref={output.clone()} class="console-output" tabindex="0" aria-label="Console output">
                if props.entries.is_empty() {
                    <span class="muted">{"Type kubectl commands as on a real cluster, or `sim help`. Try: kubectl apply -f sts.yaml\n"}</span>
                }
                // The entries in a list of their own, keyed only: beside the `if` above (unkeyed),
                // yew diffed the <pre>'s children by position from the end, so each new line
                // replaced every entry shown (all re-created at each step, up to 400).
                { props.entries.iter().map(|e| html! { <Row key={e.seq} data={RowData::Entry(e.clone())} /> }).collect::<Html>() }
            </pre>
            if !candidates.is_empty() {
                <div id="completions" class="completions" role="status">
                    { candidates.iter().take(MAX_SHOWN).cloned().collect::<Vec<_>>().join("  ") }
                    if candidates.len() > MAX_SHOWN { { format!("  … {} more", candidates.len() - MAX_SHOWN) } }
                </div>
            }
            <div class="console-input-row">
                <span class="prompt" aria-hidden="true">{ props.prompt.trim_end().to_string() }</span>
                <input id="console-input" ref={input.clone()} type="text" autocomplete="off" spellcheck="false"
                    autocapitalize="off" placeholder="kubectl get pods -l app=nginx" aria-label="console" {onkeydown} />
            </div>
        </section>
    }
}

fn select_all(node: &NodeRef) {
    let Some(el) = node.cast::<web_sys::Node>() else {
        return;
    };
    let Some(sel) = web_sys::window().and_then(|w| w.get_selection().ok().flatten()) else {
        return;
    };
    let _ = sel.select_all_children(&el);
}

/// One line and its output (a [`Row`]: renders again only when Play merges a tick into it).
pub(super) fn entry_view(e: &Entry) -> Html {
    html! {
        <span class="entry">
            <span class="prompt">{ e.prompt.to_string() }</span><span class="line">{ e.line.clone() }</span>
            if e.repeat > 1 { <span class="repeat">{ format!("  (Play: {} lines like it)", e.repeat) }</span> }
            { "\n" }
            <span class={classes!("out", (!e.ok).then_some("failed"))}>{ e.output.clone() }</span>
            if !e.ok { <span class="visually-hidden">{"(this command failed)"}</span> }
        </span>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kubectl::resources::Res;

    #[test]
    fn tab_completes_one_or_the_common_prefix() {
        let names = Names {
            objects: vec![(Res::Pod, vec!["web-0".into(), "web-1".into()])],
        };
        assert_eq!(
            tab("kubectl ge", 10, &names),
            ("kubectl get ".into(), 12, vec![])
        );
        let (l, c, shown) = tab("kubectl logs w", 14, &names);
        assert_eq!((l.as_str(), c), ("kubectl logs web-", 17));
        assert_eq!(shown, ["web-0", "web-1"]);
        assert_eq!(tab("xyz", 3, &names), ("xyz".into(), 3, vec![]));
        // The caret mid-line: the rest of the line is kept.
        assert_eq!(tab("sim sett -x", 8, &names).0, "sim settle  -x");
    }
}

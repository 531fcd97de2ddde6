//! The editor: file tabs, a textarea over a highlighted copy of its text (line numbers, YAML
//! colours, intake's diagnostics marked at their line and column), undo/redo, Tab indents and
//! find. The textarea is the real input (native caret, selection, IME, screen readers); the
//! layer under it only paints. Why not CodeMirror: ARCHITECTURE.md "The editor".

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::highlight::{Tok, highlight};
use crate::state::{Diag, Files};

/// Undo entries kept per file.
const MAX_UNDO: usize = 200;
/// Typing within this many ms of the last change joins its undo entry.
const COALESCE_MS: f64 = 800.0;
const INDENT: &str = "  ";

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

/// Per-file undo history: (text, caret) snapshots.
#[derive(Default)]
struct Undo {
    undo: Vec<(String, u32)>,
    redo: Vec<(String, u32)>,
    last_at: f64,
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}

/// Byte offset ↔ UTF-16 offset (the textarea's selection counts UTF-16 units).
fn utf16_to_byte(s: &str, u: u32) -> usize {
    let mut n = 0u32;
    for (i, c) in s.char_indices() {
        if n >= u {
            return i;
        }
        n += c.len_utf16() as u32;
    }
    s.len()
}

fn byte_to_utf16(s: &str, b: usize) -> u32 {
    s.get(..b).unwrap_or(s).encode_utf16().count() as u32
}

/// Indent (or, with `out`, outdent) the lines the selection [start, end) touches. Returns the
/// new text and selection (bytes).
pub fn indent_lines(text: &str, start: usize, end: usize, out: bool) -> (String, usize, usize) {
    let line_start = text
        .get(..start)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i + 1);
    let mut result = String::with_capacity(text.len() + 64);
    result.push_str(text.get(..line_start).unwrap_or(""));
    let (mut s, mut e) = (start, end);
    let mut pos = line_start;
    let region_end = if end > start && text.get(..end).is_some_and(|t| t.ends_with('\n')) {
        end - 1
    } else {
        end
    };
    let mut first = true;
    for line in text.get(line_start..).unwrap_or("").split_inclusive('\n') {
        if pos > region_end && !first {
            result.push_str(text.get(pos..).unwrap_or(""));
            break;
        }
        first = false;
        if out {
            let n = line.len() - line.trim_start_matches(' ').len();
            let remove = n.min(INDENT.len());
            result.push_str(line.get(remove..).unwrap_or(""));
            if pos < start {
                s -= remove.min(start - pos);
            }
            e -= remove.min(end.saturating_sub(pos));
        } else {
            result.push_str(INDENT);
            result.push_str(line);
            if pos <= start {
                s += INDENT.len();
            }
            e += INDENT.len();
        }
        pos += line.len();
    }
    (result, s, e)
}

/// Byte offsets of every match of `needle` (case-insensitive for ASCII).
pub fn find_all(text: &str, needle: &str) -> Vec<usize> {
    if needle.is_empty() {
        return Vec::new();
    }
    let hay = text.to_ascii_lowercase();
    let n = needle.to_ascii_lowercase();
    hay.match_indices(&n).map(|(i, _)| i).take(10_000).collect()
}

/// The active file's text.
fn text_of(props: &EditorProps) -> Rc<str> {
    props
        .files
        .get(&props.active)
        .cloned()
        .unwrap_or_else(|| Rc::from(""))
}

/// What the editor is told (beside its props).
pub enum EditorMsg {
    /// Show the find bar with this query, or hide it.
    Find(Option<String>),
    /// The query typed in the find bar (the first match is current).
    Query(String),
    /// The current match.
    At(usize),
}

/// The editor. A struct component (no hooks: each hook instantiates yew's hook plumbing for its
/// types).
pub struct Editor {
    area: NodeRef,
    scroller: NodeRef,
    find_input: NodeRef,
    undo: Rc<RefCell<HashMap<String, Undo>>>,
    /// Escape, then Tab: the next Tab leaves the editor (no keyboard trap).
    tab_escapes: Rc<RefCell<bool>>,
    find: Option<String>,
    find_at: usize,
    /// The highlighted lines of `lines_of`, made again only when the text changed.
    lines: Rc<Vec<crate::highlight::Line>>,
    lines_of: Rc<str>,
}

impl Component for Editor {
    type Message = EditorMsg;
    type Properties = EditorProps;

    fn create(ctx: &Context<Self>) -> Self {
        let text = text_of(ctx.props());
        Editor {
            area: NodeRef::default(),
            scroller: NodeRef::default(),
            find_input: NodeRef::default(),
            undo: Rc::default(),
            tab_escapes: Rc::default(),
            find: None,
            find_at: 0,
            lines: Rc::new(highlight(&text)),
            lines_of: text,
        }
    }

    fn update(&mut self, _ctx: &Context<Self>, msg: EditorMsg) -> bool {
        match msg {
            EditorMsg::Find(f) => self.find = f,
            EditorMsg::Query(q) => {
                self.find = Some(q);
                self.find_at = 0;
            }
            EditorMsg::At(a) => self.find_at = a,
        }
        true
    }

    fn changed(&mut self, ctx: &Context<Self>, _old: &EditorProps) -> bool {
        let text = text_of(ctx.props());
        if text != self.lines_of {
            self.lines = Rc::new(highlight(&text));
            self.lines_of = text;
        }
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        editor_view(self, ctx)
    }
}

fn editor_view(this: &Editor, ctx: &Context<Editor>) -> Html {
    let props = ctx.props();
    let active = props.active.to_string();
    let text = text_of(props);
    let (area, scroller, find_input) = (&this.area, &this.scroller, &this.find_input);
    let undo = &this.undo;
    let tab_escapes = &this.tab_escapes;
    // The find bar's query at this render, and how to change it.
    let find = this.find.clone();
    let set_find = ctx.link().callback(EditorMsg::Find);
    let lines = &this.lines;

    // Put the text and selection in the textarea now, then tell the reducer (so Yew finds the
    // DOM already equal and leaves the caret alone).
    let commit = {
        let area = area.clone();
        let on_edit = props.on_edit.clone();
        let name = active.clone();
        Rc::new(move |new: String, sel_start: u32, sel_end: u32| {
            if let Some(ta) = area.cast::<HtmlTextAreaElement>() {
                ta.set_value(&new);
                let _ = ta.set_selection_range(sel_start, sel_end);
            }
            on_edit.emit((name.clone(), new));
        })
    };

    let oninput = {
        let on_edit = props.on_edit.clone();
        let name = active.clone();
        let undo = undo.clone();
        let before = text.clone();
        Callback::from(move |e: InputEvent| {
            let Some(t) = e.target_dyn_into::<HtmlTextAreaElement>() else {
                return;
            };
            let now = now_ms();
            let mut u = undo.borrow_mut();
            let h = u.entry(name.clone()).or_default();
            if now - h.last_at > COALESCE_MS || h.undo.is_empty() {
                h.undo.push((
                    before.to_string(),
                    t.selection_start().ok().flatten().unwrap_or(0),
                ));
                if h.undo.len() > MAX_UNDO {
                    h.undo.remove(0);
                }
            }
            h.last_at = now;
            h.redo.clear();
            on_edit.emit((name.clone(), t.value()));
        })
    };

    let onkeydown = {
        let undo = undo.clone();
        let name = active.clone();
        let current = text.clone();
        let commit = commit.clone();
        let tab_escapes = tab_escapes.clone();
        let (find, set_find) = (find.clone(), set_find.clone());
        let find_input = find_input.clone();
        Callback::from(move |e: KeyboardEvent| {
            let Some(ta) = e.target_dyn_into::<HtmlTextAreaElement>() else {
                return;
            };
            let ctrl = e.ctrl_key() || e.meta_key();
            let key = e.key();
            let sel = (
                ta.selection_start().ok().flatten().unwrap_or(0),
                ta.selection_end().ok().flatten().unwrap_or(0),
            );
            match key.as_str() {
                "Escape" => {
                    *tab_escapes.borrow_mut() = true;
                }
                "Tab" if !ctrl && !e.alt_key() => {
                    if std::mem::replace(&mut *tab_escapes.borrow_mut(), false) {
                        return; // let focus move on
                    }
                    e.prevent_default();
                    let cur = ta.value();
                    let (s, en) = (utf16_to_byte(&cur, sel.0), utf16_to_byte(&cur, sel.1));
                    let (new, ns, ne) = if s == en && !e.shift_key() {
                        let mut t = cur.clone();
                        t.insert_str(s, INDENT);
                        (t, s + INDENT.len(), s + INDENT.len())
                    } else {
                        indent_lines(&cur, s, en, e.shift_key())
                    };
                    {
                        let mut u = undo.borrow_mut();
                        let h = u.entry(name.clone()).or_default();
                        h.undo.push((cur.clone(), sel.0));
                        h.redo.clear();
                        h.last_at = 0.0;
                    }
                    let (a, b) = (byte_to_utf16(&new, ns), byte_to_utf16(&new, ne));
                    commit(new, a, b);
                }
                "z" | "Z" | "y" | "Y" if ctrl => {
                    e.prevent_default();
                    let redo = key.eq_ignore_ascii_case("y") || e.shift_key();
                    let mut u = undo.borrow_mut();
                    let h = u.entry(name.clone()).or_default();
                    let (from, to) = if redo {
                        (&mut h.redo, &mut h.undo)
                    } else {
                        (&mut h.undo, &mut h.redo)
                    };
                    if let Some((t, caret)) = from.pop() {
                        to.push((current.to_string(), sel.0));
                        h.last_at = 0.0;
                        drop(u);
                        commit(t, caret, caret);
                    }
                }
                "f" | "F" if ctrl => {
                    e.prevent_default();
                    let selected = ta
                        .value()
                        .encode_utf16()
                        .skip(sel.0 as usize)
                        .take(sel.1.saturating_sub(sel.0) as usize)
                        .collect::<Vec<u16>>();
                    let selected = String::from_utf16_lossy(&selected);
                    let q = if selected.is_empty() || selected.contains('\n') {
                        find.clone().unwrap_or_default()
                    } else {
                        selected
                    };
                    set_find.emit(Some(q));
                    let fi = find_input.clone();
                    // Focus after the bar renders.
                    gloo_timers::callback::Timeout::new(0, move || {
                        if let Some(i) = fi.cast::<HtmlInputElement>() {
                            let _ = i.focus();
                            i.select();
                        }
                    })
                    .forget();
                }
                _ => {
                    *tab_escapes.borrow_mut() = false;
                }
            }
        })
    };

    // Select a byte range of the text and scroll it into view.
    let select_range = {
        let area = area.clone();
        let scroller = scroller.clone();
        let text = text.clone();
        Rc::new(move |start: usize, end: usize, focus: bool| {
            let Some(ta) = area.cast::<HtmlTextAreaElement>() else {
                return;
            };
            if focus {
                let _ = ta.focus();
            }
            let _ = ta.set_selection_range(byte_to_utf16(&text, start), byte_to_utf16(&text, end));
            if let Some(sc) = scroller.cast::<web_sys::Element>() {
                let line = text.get(..start).unwrap_or("").matches('\n').count();
                let lines = text.matches('\n').count() + 1;
                let lh = f64::from(ta.scroll_height()) / lines as f64;
                let top = (line as f64 - 3.0).max(0.0) * lh;
                sc.set_scroll_top(top as i32);
            }
        })
    };

    let find_bar = find.clone().map(|q| {
        let hits = find_all(&text, &q);
        let n = hits.len();
        let at = this.find_at.min(n.saturating_sub(1));
        let oninput = ctx.link().batch_callback(|e: InputEvent| {
            e.target_dyn_into::<HtmlInputElement>()
                .map(|i| EditorMsg::Query(i.value()))
        });
        let go = {
            let hits = hits.clone();
            let set_at = ctx.link().callback(EditorMsg::At);
            let select_range = select_range.clone();
            let len = q.len();
            move |delta: isize, focus: bool| {
                if hits.is_empty() {
                    return;
                }
                let next = ((at as isize + delta).rem_euclid(hits.len() as isize)) as usize;
                if let Some(s) = hits.get(next) {
                    select_range(*s, s + len, focus);
                }
                set_at.emit(next);
            }
        };
        let onkeydown = {
            let go = go.clone();
            let set_find = set_find.clone();
            let area = area.clone();
            Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
                "Enter" => {
                    e.prevent_default();
                    go(if e.shift_key() { -1 } else { 1 }, false);
                }
                "Escape" => {
                    e.prevent_default();
                    set_find.emit(None);
                    if let Some(t) = area.cast::<HtmlTextAreaElement>() {
                        let _ = t.focus();
                    }
                }
                _ => {}
            })
        };
        let next = {
            let go = go.clone();
            Callback::from(move |_| go(1, false))
        };
        let prev = Callback::from(move |_| go(-1, false));
        let close = set_find.reform(|_| None);
        html! {
            <div class="find-bar" role="search">
                <input ref={find_input.clone()} id="find" type="search" aria-label="Find in file" placeholder="Find"
                    value={q.clone()} {oninput} {onkeydown} />
                <span class="muted" aria-live="polite">
                    { if q.is_empty() { String::new() } else if n == 0 { "no match".into() } else { format!("{} of {n}", at + 1) } }
                </span>
                <button class="small" onclick={prev} aria-label="Previous match">{"↑"}</button>
                <button class="small" onclick={next} aria-label="Next match">{"↓"}</button>
                <button class="small" onclick={close} aria-label="Close find">{"×"}</button>
            </div>
        }
    });

    // Diagnostics by line (1-based) for the gutter and the underline.
    let mut by_line: HashMap<u32, (u32, &Diag)> = HashMap::new();
    for d in props.diagnostics.iter() {
        if let Some(l) = d.line {
            by_line.entry(l).or_insert((d.col.unwrap_or(1), d));
        }
    }
    let undo_btn = {
        let area = area.clone();
        Callback::from(move |redo: bool| {
            if let Some(ta) = area.cast::<HtmlTextAreaElement>() {
                let _ = ta.focus();
                let init = web_sys::KeyboardEventInit::new();
                init.set_key(if redo { "y" } else { "z" });
                init.set_ctrl_key(true);
                init.set_bubbles(true);
                init.set_cancelable(true);
                if let Ok(ev) =
                    web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init)
                {
                    let _ = ta.dispatch_event(&ev);
                }
            }
        })
    };
    let can_undo = undo
        .borrow()
        .get(&active)
        .is_some_and(|h| !h.undo.is_empty());
    let can_redo = undo
        .borrow()
        .get(&active)
        .is_some_and(|h| !h.redo.is_empty());
    let open_find = {
        let fi = find_input.clone();
        Callback::from(move |_| {
            set_find.emit(Some(find.clone().unwrap_or_default()));
            let fi = fi.clone();
            gloo_timers::callback::Timeout::new(0, move || {
                if let Some(i) = fi.cast::<HtmlInputElement>() {
                    let _ = i.focus();
                }
            })
            .forget();
        })
    };
    let onscroll_noop = Callback::from(|_: Event| {});
    let line_count = lines.len();
    html! {
        <div class="editor">
            <div class="editor-head">
            <div class="tabs" role="tablist" aria-label="Files">
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
                <span class="editor-tools">
                    <button class="small quiet" disabled={!can_undo} onclick={undo_btn.reform(|_| false)} title="Undo (Ctrl+Z)">{"Undo"}</button>
                    <button class="small quiet" disabled={!can_redo} onclick={undo_btn.reform(|_| true)} title="Redo (Ctrl+Shift+Z)">{"Redo"}</button>
                    <button class="small quiet" onclick={open_find} title="Find (Ctrl+F)">{"Find"}</button>
                </span>
            </div>
            { find_bar.unwrap_or_default() }
            <div class="code" ref={scroller.clone()} onscroll={onscroll_noop}>
                <div class="gutter" aria-hidden="true">
                    { for (1..=line_count).map(|n| {
                        let d = by_line.get(&(n as u32));
                        html! {
                            <div class={classes!("ln", d.is_some().then_some("error"))}
                                title={d.map(|(_, d)| d.message.clone())}>
                                if d.is_some() { <span class="marker">{"✖"}</span> }
                                { n }
                            </div>
                        }
                    }) }
                </div>
                <div class="layers">
                    <pre class="highlight" aria-hidden="true">
                        { for lines.iter().enumerate().map(|(i, toks)| {
                            let err_col = by_line.get(&(i as u32 + 1)).map(|(c, _)| *c as usize);
                            render_line(toks, err_col)
                        }) }
                    </pre>
                    <textarea id="editor" ref={area.clone()} spellcheck="false" wrap="off" autocapitalize="off"
                        autocomplete="off" aria-label={format!("editor: {active}")}
                        aria-describedby="diagnostics"
                        value={text.to_string()} {oninput} {onkeydown} />
                </div>
            </div>
            <div id="diagnostics" class={classes!("diagnostics", (!props.diagnostics.is_empty()).then_some("has-errors"))}
                aria-live="polite">
                if props.diagnostics.is_empty() {
                    <span class="ok">{ format!("✓ {active}: valid") }</span>
                } else {
                    { for props.diagnostics.iter().map(|d| {
                        let at = match (d.line, d.col) {
                            (Some(l), Some(c)) => Some((l, c)),
                            _ => None,
                        };
                        let jump = {
                            let text = text.clone();
                            let select_range = select_range.clone();
                            Callback::from(move |_| {
                                if let Some((l, c)) = at {
                                    let start = text.split_inclusive('\n').take(l.saturating_sub(1) as usize).map(str::len).sum::<usize>();
                                    let line_len = text.get(start..).unwrap_or("").split('\n').next().map_or(0, str::len);
                                    let s = start + (c.saturating_sub(1) as usize).min(line_len);
                                    select_range(s, start + line_len, true);
                                }
                            })
                        };
                        html! {
                            <div class="diagnostic">
                                <span class="marker" aria-hidden="true">{"✖ "}</span>
                                if let Some((l, c)) = at {
                                    <button class="at link" onclick={jump} title="Go to this line">{ format!("{active}:{l}:{c}") }</button>{" "}
                                }
                                <span class="msg">{ d.message.clone() }</span>
                                if let Some(h) = &d.hint { <div class="hint">{ format!("hint: {h}") }</div> }
                            </div>
                        }
                    }) }
                }
            </div>
        </div>
    }
}

/// One highlighted line; from `err_col` (1-based, in characters) on, the text is underlined.
fn render_line(toks: &[(Tok, String)], err_col: Option<usize>) -> Html {
    let mut before: Vec<Html> = Vec::new();
    let mut after: Vec<Html> = Vec::new();
    let mut col = 1usize;
    for (t, s) in toks {
        let n = s.chars().count();
        match err_col {
            Some(c) if col + n <= c => before.push(span(*t, s.clone())),
            Some(c) if col >= c => after.push(span(*t, s.clone())),
            Some(c) => {
                let split = s.char_indices().nth(c - col).map_or(s.len(), |(i, _)| i);
                before.push(span(*t, s.get(..split).unwrap_or("").to_string()));
                after.push(span(*t, s.get(split..).unwrap_or("").to_string()));
            }
            None => before.push(span(*t, s.clone())),
        }
        col += n;
    }
    let err = err_col.is_some();
    html! {
        <span class={classes!("hl-line", err.then_some("diag-line"))}>
            { for before }
            if err {
                <span class="diag-range">{ for after }{ if col <= err_col.unwrap_or(0) { "\u{a0}" } else { "" } }</span>
            }
            { "\n" }
        </span>
    }
}

fn span(t: Tok, s: String) -> Html {
    html! { <span class={t.class()}>{ s }</span> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indent_and_outdent_selected_lines() {
        let t = "a:\n  b: 1\nc: 2\n";
        let (n, s, e) = indent_lines(t, 3, 14, false);
        assert_eq!(n, "a:\n    b: 1\n  c: 2\n");
        assert_eq!((s, e), (5, 18));
        let (o, _, _) = indent_lines(&n, 5, 18, true);
        assert_eq!(o, t);
        // Only the lines the selection touches.
        let (n, _, _) = indent_lines(t, 0, 1, false);
        assert_eq!(n, "  a:\n  b: 1\nc: 2\n");
    }

    #[test]
    fn find_is_case_insensitive_and_offsets_round_trip() {
        assert_eq!(find_all("Web web WEB", "web"), [0, 4, 8]);
        assert!(find_all("x", "").is_empty());
        let s = "é: ✓\nb";
        for b in [0, 2, 4, 7, 8] {
            assert_eq!(utf16_to_byte(s, byte_to_utf16(s, b)), b);
        }
    }
}

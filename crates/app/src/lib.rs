//! The stsplay browser UI.
//!
//! One [`kubectl::Session`] holds the simulated cluster. Every control issues a command line of
//! the console language (`kubectl …` / `sim …`) through [`Playground::run`], so whatever the user
//! clicked is shown in the console and can be replayed as a script. Views only read the session.
//! No user-controlled string is ever parsed as markup: Yew creates text nodes and attributes.

pub mod boot;
mod view;

use std::cell::RefCell;
use std::rc::Rc;

use kubectl::Session;
use yew::prelude::*;

pub use view::{Console, Diagram, Editor, PodList, Sidebar};

/// The two seed files, in the editor's tab order.
pub const FILES: [&str; 2] = ["sts.yaml", "svc.yaml"];
/// The line the Apply button runs.
pub const APPLY_LINE: &str = "kubectl apply -f svc.yaml -f sts.yaml";
/// Console entries kept on screen (older ones are dropped; the session itself is unaffected).
pub const MAX_CONSOLE_ENTRIES: usize = 400;
/// Editor text larger than this is not stored in the browser (the session bounds it too).
pub const MAX_STORED_BYTES: usize = 256 * 1024;

/// One console entry: the line as typed and what the terminal would show.
#[derive(Clone, PartialEq)]
pub struct Entry {
    pub line: String,
    pub output: String,
    pub ok: bool,
}

/// The playground: the session plus what the UI shows about it.
pub struct Playground {
    pub session: Session,
    pub entries: Vec<Entry>,
    pub history: Vec<String>,
}

impl Default for Playground {
    fn default() -> Self {
        Self::new()
    }
}

impl Playground {
    pub fn new() -> Self {
        Playground {
            session: Session::new(),
            entries: Vec::new(),
            history: Vec::new(),
        }
    }

    /// Run one console line and record it. Returns the file `kubectl edit` opened, if any.
    pub fn run(&mut self, line: &str) -> Option<String> {
        let line = line.trim();
        if line.is_empty() {
            return None;
        }
        let out = self.session.run_line(line);
        let opened = out.edit.as_ref().map(|(name, _)| name.clone());
        if self.history.last().map(String::as_str) != Some(line) {
            self.history.push(line.to_string());
        }
        self.entries.push(Entry {
            line: line.to_string(),
            output: out.combined,
            ok: out.ok,
        });
        if self.entries.len() > MAX_CONSOLE_ENTRIES {
            let drop = self.entries.len() - MAX_CONSOLE_ENTRIES;
            self.entries.drain(..drop);
        }
        opened
    }

    /// The editor's tabs: the seed files first, then any other file (e.g. from `kubectl edit`).
    pub fn tabs(&self) -> Vec<String> {
        let mut tabs: Vec<String> = FILES.iter().map(|f| f.to_string()).collect();
        for name in self.session.files().files.keys() {
            if !tabs.contains(name) {
                tabs.push(name.clone());
            }
        }
        tabs
    }

    pub fn file(&self, name: &str) -> String {
        self.session
            .files()
            .files
            .get(name)
            .cloned()
            .unwrap_or_default()
    }
}

/// Shared handle for components.
#[derive(Clone)]
pub struct Shared(pub Rc<RefCell<Playground>>);

impl PartialEq for Shared {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// Restore editor files saved by an earlier visit (bounded; anything odd is ignored).
fn restore(pg: &mut Playground) {
    let Some(s) = storage() else { return };
    for name in FILES {
        if let Ok(Some(text)) = s.get_item(&format!("stsplay.file.{name}"))
            && text.len() <= MAX_STORED_BYTES
            && !text.trim().is_empty()
        {
            pg.session.set_file(name, &text);
        }
    }
}

pub fn save_file(name: &str, text: &str) {
    if text.len() > MAX_STORED_BYTES {
        return;
    }
    if let Some(s) = storage() {
        let _ = s.set_item(&format!("stsplay.file.{name}"), text);
    }
}

#[function_component(App)]
pub fn app() -> Html {
    let pg: Shared = (*use_memo((), |_| {
        let mut p = Playground::new();
        restore(&mut p);
        Shared(Rc::new(RefCell::new(p)))
    }))
    .clone();
    let tick = use_state(|| 0u64);
    let active = use_state(|| FILES[0].to_string());

    let run = {
        let pg = pg.clone();
        let tick = tick.clone();
        let active = active.clone();
        Callback::from(move |line: String| {
            let opened = pg.0.borrow_mut().run(&line);
            if let Some(name) = opened {
                active.set(name);
            }
            tick.set(*tick + 1);
        })
    };
    let on_edit = {
        let pg = pg.clone();
        let tick = tick.clone();
        Callback::from(move |(name, text): (String, String)| {
            pg.0.borrow_mut().session.set_file(&name, &text);
            save_file(&name, &text);
            tick.set(*tick + 1);
        })
    };
    let on_tab = {
        let active = active.clone();
        Callback::from(move |name: String| active.set(name))
    };
    let button = |id: &'static str,
                  label: &'static str,
                  line: &'static str,
                  title: &'static str| {
        let run = run.clone();
        html! {
            <button id={id} title={title} onclick={Callback::from(move |_| run.emit(line.to_string()))}>{label}</button>
        }
    };

    let p = pg.0.borrow();
    let cluster = p.session.cluster();
    let now = cluster.now();
    let pending = cluster.pending();
    html! {
        <div class="shell" data-tick={tick.to_string()}>
            <header class="topbar">
                <h1 id="title">{"stsplay"}</h1>
                <span class="tagline">{"StatefulSet playground · simulated Kubernetes v1.35 (kind)"}</span>
                <div class="controls">
                    { button("apply", "Apply", APPLY_LINE, "kubectl apply -f svc.yaml -f sts.yaml") }
                    { button("step", "Step", "sim step", "sim step: apply the next event") }
                    { button("settle", "Settle", "sim settle", "sim settle: run until nothing is pending") }
                    { button("back", "Back", "sim back", "sim back: undo the last step") }
                    { button("reset", "Reset", "sim reset", "sim reset: a fresh cluster") }
                    <span id="clock" class={classes!("clock", pending.then_some("pending"))}>
                        { format!("t = {}", view::clock_text(now)) }
                        { if pending { " · events pending" } else { " · settled" } }
                    </span>
                </div>
            </header>
            <main class="panes">
                <section class="pane editor-pane">
                    <Editor pg={pg.clone()} active={(*active).clone()} on_tab={on_tab} on_edit={on_edit} tick={*tick} />
                </section>
                <section class="pane center-pane">
                    <Diagram pg={pg.clone()} tick={*tick} />
                    <PodList pg={pg.clone()} tick={*tick} run={run.clone()} />
                </section>
                <section class="pane side-pane">
                    <Sidebar pg={pg.clone()} tick={*tick} />
                </section>
            </main>
            <Console pg={pg.clone()} tick={*tick} run={run} />
        </div>
    }
}

pub fn start() {
    yew::Renderer::<boot::Root>::new().render();
}

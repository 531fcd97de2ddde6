//! The stsplay browser UI.
//!
//! One [`kubectl::Session`] holds the simulated cluster. Every control issues a command line of
//! the console language (`kubectl …` / `sim …`) through [`Playground::run`], so whatever the user
//! clicked is shown in the console and can be replayed as a script. Views only read the session.
//! No user-controlled string is ever parsed as markup: Yew creates text nodes and attributes.

pub mod embed;
mod view;

use std::cell::RefCell;
use std::rc::Rc;

use share::{File, Scenario, Step};

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
    /// The editor's files when the session started (a share link's starting point).
    pub initial: Vec<File>,
    /// Every console line and editor write since, in order (a share link replays them).
    pub steps: Vec<Step>,
    /// Bumped by every line and write: the panes re-render when it changes, whoever changed
    /// the playground (a click, autoplay, a message from the host page).
    pub generation: u64,
}

impl Default for Playground {
    fn default() -> Self {
        Self::new()
    }
}

impl Playground {
    pub fn new() -> Self {
        let mut p = Playground {
            session: Session::new(),
            entries: Vec::new(),
            history: Vec::new(),
            initial: Vec::new(),
            steps: Vec::new(),
            generation: 0,
        };
        p.initial = p.files_now();
        p
    }

    /// The files as they are, in tab order.
    pub fn files_now(&self) -> Vec<File> {
        self.tabs()
            .into_iter()
            .map(|name| File {
                text: self.file(&name),
                name,
            })
            .collect()
    }

    /// Set a file as the editor does, recorded as a step (consecutive writes of one file are
    /// one step: only the text at the next console line matters).
    pub fn write_file(&mut self, name: &str, text: &str) {
        self.generation += 1;
        self.session.set_file(name, text);
        let f = File {
            name: name.to_string(),
            text: text.to_string(),
        };
        match self.steps.last_mut() {
            Some(Step::Write(last)) if last.name == name => *last = f,
            _ => self.steps.push(Step::Write(f)),
        }
    }

    /// Start over from files (before any step): the starting point of a share link.
    pub fn start_with(&mut self, files: &[File]) {
        for f in files {
            self.session.set_file(&f.name, &f.text);
        }
        self.initial = self.files_now();
    }

    /// The scenario a share link carries.
    pub fn scenario(&self, active: &str) -> Scenario {
        let mut s = Scenario {
            files: self.initial.clone(),
            steps: self.steps.clone(),
            ..Scenario::default()
        };
        s.view.active_file = Some(active.to_string());
        s
    }

    /// A playground replaying a share link's scenario (the simulation is deterministic).
    pub fn from_scenario(s: &Scenario) -> Self {
        let mut p = Playground::new();
        p.start_with(&s.files);
        for step in &s.steps {
            match step {
                Step::Run(line) => {
                    p.run(line);
                }
                Step::Write(f) => p.write_file(&f.name, &f.text),
            }
        }
        p
    }

    /// Run one console line and record it. Returns the file `kubectl edit` opened, if any.
    pub fn run(&mut self, line: &str) -> Option<String> {
        let line = line.trim();
        if line.is_empty() {
            return None;
        }
        self.steps.push(Step::Run(line.to_string()));
        self.generation += 1;
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
    let mut files = Vec::new();
    for name in FILES {
        if let Ok(Some(text)) = s.get_item(&format!("stsplay.file.{name}"))
            && text.len() <= MAX_STORED_BYTES
            && !text.trim().is_empty()
        {
            files.push(File {
                name: name.to_string(),
                text,
            });
        }
    }
    pg.start_with(&files);
}

/// The first playground: from a share link, else (outside embed mode) the files an earlier
/// visit saved. An unknown gallery example is said in the notice.
fn initial_playground(boot: &embed::Boot, notice: &mut Option<String>) -> Playground {
    if let Some(s) = &boot.scenario {
        return Playground::from_scenario(s);
    }
    let mut p = Playground::new();
    if let Some(example) = boot.config.as_ref().and_then(|c| c.example.as_deref())
        && example != "seed"
    {
        *notice = Some(format!(
            "There is no example {example:?} in this playground; the seed example is loaded."
        ));
    }
    if !boot.embed() {
        restore(&mut p);
    }
    p
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
    // What the fragment asked for: a share link, embed mode, an example (read once).
    let boot = use_memo((), |_| embed::read_boot());
    let embedded = boot.embed();
    let notice = use_state(|| boot.notice.clone());
    let pg: Shared = {
        let boot = boot.clone();
        let notice = notice.clone();
        (*use_memo((), move |_| {
            let mut n = (*notice).clone();
            let p = initial_playground(&boot, &mut n);
            if n != *notice {
                notice.set(n);
            }
            Shared(Rc::new(RefCell::new(p)))
        }))
        .clone()
    };
    let tick = use_state(|| 0u64);
    let redraw = use_force_update();
    let active = use_state(|| {
        boot.scenario
            .as_ref()
            .and_then(|s| s.view.active_file.clone())
            .filter(|a| pg.0.borrow().tabs().contains(a))
            .unwrap_or_else(|| FILES[0].to_string())
    });
    let share_link = use_state(|| None::<String>);

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
            pg.0.borrow_mut().write_file(&name, &text);
            if !embedded {
                save_file(&name, &text);
            }
            tick.set(*tick + 1);
        })
    };
    use_embed(&boot, &pg, &notice, &redraw);
    let on_share = {
        let pg = pg.clone();
        let active = active.clone();
        let notice = notice.clone();
        let share_link = share_link.clone();
        Callback::from(move |_| {
            let scenario = pg.0.borrow().scenario(&active);
            match embed::share_url(&scenario) {
                Ok(url) => {
                    let copied = copy_text(&url);
                    notice.set(Some(if copied {
                        "Link copied: it opens this exact state.".to_string()
                    } else {
                        "Copy the link below: it opens this exact state.".to_string()
                    }));
                    share_link.set(Some(url));
                }
                Err(e) => notice.set(Some(e.to_string())),
            }
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
    let tick = p.generation + *tick;
    let cluster = p.session.cluster();
    let now = cluster.now();
    let pending = cluster.pending();
    let config = boot.config.clone().unwrap_or_default();
    let view = config.view.unwrap_or_default();
    let shell_class = classes!(
        "shell",
        embedded.then_some("embed"),
        format!("view-{}", view.as_str().replace('+', "-"))
    );
    html! {
        <div class={shell_class} data-tick={tick.to_string()}
            data-theme={config.theme.unwrap_or_default().as_str()}>
            <header class="topbar">
                <h1 id="title">{"stsplay"}</h1>
                <span class="tagline">{"StatefulSet playground · simulated Kubernetes v1.35 (kind)"}</span>
                <div class="controls">
                    { button("apply", "Apply", APPLY_LINE, "kubectl apply -f svc.yaml -f sts.yaml") }
                    { button("step", "Step", "sim step", "sim step: apply the next event") }
                    { button("settle", "Settle", "sim settle", "sim settle: run until nothing is pending") }
                    { button("back", "Back", "sim back", "sim back: undo the last step") }
                    { button("reset", "Reset", "sim reset", "sim reset: a fresh cluster") }
                    <button id="share" title="Copy a link that opens exactly this state" onclick={on_share}>{"Share"}</button>
                    <span id="clock" class={classes!("clock", pending.then_some("pending"))}>
                        { format!("t = {}", view::clock_text(now)) }
                        { if pending { " · events pending" } else { " · settled" } }
                    </span>
                </div>
            </header>
            <div class="notices">
                <span id="notice" class="notice" role="status">{ (*notice).clone().unwrap_or_default() }</span>
                if let Some(link) = (*share_link).clone() {
                    <input id="share-link" class="share-link" type="text" readonly=true value={link}
                        aria-label="Share link" />
                }
            </div>
            <main class="panes">
                <section class="pane editor-pane">
                    <Editor pg={pg.clone()} active={(*active).clone()} on_tab={on_tab} on_edit={on_edit} tick={tick} />
                </section>
                <section class="pane center-pane">
                    <Diagram pg={pg.clone()} tick={tick} />
                    <PodList pg={pg.clone()} tick={tick} run={run.clone()} />
                </section>
                <section class="pane side-pane">
                    <Sidebar pg={pg.clone()} tick={tick} />
                </section>
            </main>
            <Console pg={pg.clone()} tick={tick} run={run} />
        </div>
    }
}

/// Copy text to the clipboard where the browser allows it (not in every frame): `false` when
/// the caller should show it to copy by hand.
fn copy_text(text: &str) -> bool {
    let Some(w) = web_sys::window() else {
        return false;
    };
    if !w.is_secure_context() {
        return false;
    }
    let _ = w.navigator().clipboard().write_text(text);
    true
}

/// Embed mode: the channel to the host page (inline files and script, run-blocks, height) and
/// autoplay. Outside embed mode only autoplay (`#example=…&autoplay`) applies.
#[hook]
fn use_embed(
    boot: &Rc<embed::Boot>,
    pg: &Shared,
    notice: &UseStateHandle<Option<String>>,
    redraw: &UseForceUpdateHandle,
) {
    let link = use_mut_ref(|| None::<Rc<embed::HostLink>>);
    let boot = boot.clone();
    let pg = pg.clone();
    let notice = notice.clone();
    let redraw = redraw.clone();
    use_effect_with((), move |_| {
        let config = boot.config.clone().unwrap_or_default();
        let autoplay = autoplay::Autoplay::new(pg.clone(), redraw.clone(), config.speed);
        if config.embed {
            let (pg2, redraw2, autoplay2) = (pg.clone(), redraw.clone(), autoplay.clone());
            let link_for_messages = link.clone();
            let wants_init = config.init;
            let autoplay_after_init = config.autoplay && wants_init;
            let notice2 = notice.clone();
            let inited = Rc::new(std::cell::Cell::new(false));
            let started = embed::HostLink::start(
                config.host.as_deref(),
                move |m| {
                    let ran = {
                        let mut p = pg2.0.borrow_mut();
                        match m {
                            share::HostMessage::Init { .. } if inited.get() => {
                                // Inline files and the script arrive once; a second `init`
                                // would rewrite what the learner did since.
                                return;
                            }
                            share::HostMessage::Init { files, script } => {
                                inited.set(true);
                                p.start_with(&files);
                                let n = script.len();
                                let ok = script.iter().all(|l| {
                                    p.run(l);
                                    p.entries.last().is_some_and(|e| e.ok)
                                });
                                drop(p);
                                if autoplay_after_init {
                                    autoplay2.start();
                                }
                                (n, ok)
                            }
                            share::HostMessage::Run { lines } => {
                                let n = lines.len();
                                let mut ok = true;
                                for l in &lines {
                                    p.run(l);
                                    ok &= p.entries.last().is_some_and(|e| e.ok);
                                }
                                (n, ok)
                            }
                        }
                    };
                    redraw2.force_update();
                    if let Some(l) = link_for_messages.borrow().as_ref() {
                        l.post(share::EmbedMessage::Ran {
                            lines: u32::try_from(ran.0).unwrap_or(u32::MAX),
                            ok: ran.1,
                        });
                    }
                },
                move |err| notice2.set(Some(err)),
            );
            *link.borrow_mut() = started.map(Rc::new);
            if config.autoplay && !wants_init {
                autoplay.start();
            }
        } else if config.autoplay {
            autoplay.start();
        }
        move || autoplay.stop()
    });
}

mod autoplay {
    //! Autoplay: apply the example when nothing ran yet, then one `sim step` per tick until
    //! the cluster settles (each step is a console line, as a click on Step would be).

    use std::cell::RefCell;
    use std::rc::Rc;

    use share::Speed;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    use yew::prelude::UseForceUpdateHandle;

    use crate::{APPLY_LINE, Shared};

    /// Milliseconds between steps at 1x.
    const TICK_MS: f64 = 400.0;

    #[derive(Clone)]
    pub struct Autoplay(Rc<RefCell<Inner>>);

    struct Inner {
        pg: Shared,
        redraw: UseForceUpdateHandle,
        every_ms: i32,
        timer: Option<(i32, Closure<dyn FnMut()>)>,
        /// A stopped timer's closure: kept, since `stop` may run inside it.
        retired: Option<Closure<dyn FnMut()>>,
    }

    impl Autoplay {
        pub fn new(pg: Shared, redraw: UseForceUpdateHandle, speed: Option<Speed>) -> Autoplay {
            let every_ms = match speed.unwrap_or_default() {
                Speed::Events => 60.0,
                Speed::Hundredths(h) => TICK_MS * 100.0 / f64::from(h.max(1)),
            };
            Autoplay(Rc::new(RefCell::new(Inner {
                pg,
                redraw,
                every_ms: every_ms.clamp(10.0, 10_000.0) as i32,
                timer: None,
                retired: None,
            })))
        }

        pub fn start(&self) {
            {
                let inner = self.0.borrow();
                if inner.timer.is_some() {
                    return;
                }
                let mut p = inner.pg.0.borrow_mut();
                if p.steps.iter().all(|s| !matches!(s, share::Step::Run(_))) {
                    p.run(APPLY_LINE);
                }
            }
            let me = self.clone();
            let tick = Closure::<dyn FnMut()>::new(move || me.tick());
            let Some(w) = web_sys::window() else { return };
            let every = self.0.borrow().every_ms;
            if let Ok(id) = w.set_interval_with_callback_and_timeout_and_arguments_0(
                tick.as_ref().unchecked_ref(),
                every,
            ) {
                self.0.borrow_mut().timer = Some((id, tick));
            }
            self.0.borrow().redraw.force_update();
        }

        fn tick(&self) {
            let pending = {
                let inner = self.0.borrow();
                let mut p = inner.pg.0.borrow_mut();
                if p.session.cluster().pending() {
                    p.run("sim step");
                }
                p.session.cluster().pending()
            };
            self.0.borrow().redraw.force_update();
            if !pending {
                self.stop();
            }
        }

        pub fn stop(&self) {
            let mut inner = self.0.borrow_mut();
            if let Some((id, closure)) = inner.timer.take() {
                if let Some(w) = web_sys::window() {
                    w.clear_interval_with_handle(id);
                }
                inner.retired = Some(closure);
            }
        }
    }

    impl Drop for Inner {
        fn drop(&mut self) {
            if let Some((id, _)) = self.timer.take()
                && let Some(w) = web_sys::window()
            {
                w.clear_interval_with_handle(id);
            }
        }
    }
}

pub fn start() {
    yew::Renderer::<App>::new().render();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pods(p: &mut Playground) -> String {
        p.session.run_line("kubectl get pods").combined
    }

    #[test]
    fn a_share_link_replays_lines_and_edits_in_order() {
        let mut p = Playground::new();
        p.run(APPLY_LINE);
        p.run("sim step");
        let sts = p.file("sts.yaml");
        // Two writes of one file between lines are one step (only the last text matters).
        p.write_file("sts.yaml", "half-typed");
        p.write_file("sts.yaml", &sts.replace("replicas: 3", "replicas: 2"));
        p.run("kubectl apply -f sts.yaml");
        p.run("sim settle");
        let scenario = p.scenario("sts.yaml");
        assert_eq!(
            scenario
                .steps
                .iter()
                .filter(|s| matches!(s, Step::Write(_)))
                .count(),
            1
        );
        let link = share::link("https://stsplay.example/", &scenario).unwrap();
        let opened = share::decode(&link).unwrap();
        let mut q = Playground::from_scenario(&opened);
        assert_eq!(q.files_now(), p.files_now());
        assert_eq!(q.steps, p.steps);
        assert_eq!(
            q.entries.iter().map(|e| &e.output).collect::<Vec<_>>(),
            p.entries.iter().map(|e| &e.output).collect::<Vec<_>>()
        );
        let (a, b) = (pods(&mut p), pods(&mut q));
        assert_eq!(a, b);
        assert!(
            a.contains("nginx-with-init-container-1") && !a.contains("container-2 "),
            "{a}"
        );
    }

    #[test]
    fn unknown_examples_are_said() {
        // Embed mode: no storage (which a native test has not).
        let boot = embed::boot_from("#embed&example=nope");
        let mut notice = None;
        let p = initial_playground(&boot, &mut notice);
        assert!(p.steps.is_empty());
        assert_eq!(
            notice.as_deref(),
            Some("There is no example \"nope\" in this playground; the seed example is loaded.")
        );
    }
}

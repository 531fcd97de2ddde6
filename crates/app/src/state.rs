//! The UI state in one reducer: [`AppState`] + [`AppAction`] (cf. Yew's `function_todomvc`,
//! `src/state.rs`).
//!
//! The simulated cluster is one mutable [`kubectl::Session`]; it lives in [`Engine`] together
//! with the journal: every command line run, in order, and the editor's file texts as they were
//! when a line read them. Only the reducer touches the engine. Everything the panes show is
//! derived from it once per action ([`ClusterView`], the files, the active file's diagnostics)
//! and handed to components as `Rc`s that stay pointer-equal when unchanged, so nothing
//! re-parses YAML or rebuilds a view on render.
//!
//! Every action that changes the cluster is a command line of the console language, run
//! through [`AppAction::Run`] (buttons, the timeline's `sim seek`, Play's `sim advance`/`sim
//! step`/`sim redo`, the gallery's `sim example`), recorded in the journal and echoed in the
//! console: what a learner did can be replayed exactly ([`AppState::from_journal`]) by a
//! reload, a share link, a tour or `stsplay run`.

use std::cell::{Ref, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;

use kubectl::Session;
use kubectl::gallery::{self, Example};
use yew::Reducible;

use crate::model::ClusterView;

/// The seed files, in the editor's tab order (files added later follow in name order).
pub const FILES: [&str; 2] = ["sts.yaml", "svc.yaml"];
/// The line the Apply button runs for the seed.
pub const APPLY_LINE: &str = "kubectl apply -f svc.yaml -f sts.yaml";
/// Console entries kept on screen (older ones scroll away; the journal keeps every line).
pub const MAX_CONSOLE_ENTRIES: usize = 400;
/// Lines ↑/↓ recalls in the console.
pub const MAX_RECALL: usize = 500;
/// Play's tick, in milliseconds of real time.
pub const TICK_MS: u32 = 200;

/// One journal item: a line run, or a file's text as the next line read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Logged {
    Line(String),
    File { name: String, text: String },
}

/// The mutable core: the session and the journal. Never de-duplicated or truncated: a share
/// link, a tour or a reload replays exactly this.
pub struct Engine {
    pub session: Session,
    pub journal: Vec<Logged>,
    /// The file texts as the journal last recorded them (a line that reads a changed file is
    /// preceded by the new text).
    journaled_files: BTreeMap<String, String>,
}

impl Engine {
    fn new(session: Session) -> Self {
        let journaled_files = session.files().files.clone();
        Engine {
            session,
            journal: Vec::new(),
            journaled_files,
        }
    }
}

/// One console entry: the line as typed and what the terminal would show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Unique and increasing (the list key).
    pub seq: u64,
    /// The prompt the line was typed at (`$ `, or an attached container shell's `/ # `).
    pub prompt: Rc<str>,
    pub line: String,
    pub output: String,
    pub ok: bool,
    /// Play's ticks show as one entry: how many lines it stands for (1 for a typed line).
    pub repeat: u32,
}

/// The editor's files, in tab order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Files {
    pub list: Vec<(String, Rc<str>)>,
}

impl Files {
    fn from_session(s: &Session, first: &[&str]) -> Files {
        let fs = &s.files().files;
        let mut list: Vec<(String, Rc<str>)> = Vec::new();
        for name in first.iter().chain(FILES.iter()) {
            if let Some(text) = fs.get(*name)
                && !list.iter().any(|(n, _)| n == name)
            {
                list.push((name.to_string(), Rc::from(text.as_str())));
            }
        }
        for (name, text) in fs {
            if !list.iter().any(|(n, _)| n == name) {
                list.push((name.clone(), Rc::from(text.as_str())));
            }
        }
        Files { list }
    }

    pub fn get(&self, name: &str) -> Option<&Rc<str>> {
        self.list.iter().find(|(n, _)| n == name).map(|(_, t)| t)
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.list.iter().map(|(n, _)| n.as_str())
    }

    /// `new`, sharing the old `Rc` where the text did not change.
    fn merged(old: &Files, new: Files) -> Files {
        Files {
            list: new
                .list
                .into_iter()
                .map(|(n, t)| match old.get(&n) {
                    Some(o) if **o == *t => (n, o.clone()),
                    _ => (n, t),
                })
                .collect(),
        }
    }
}

/// One intake diagnostic of the active file, ready to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diag {
    /// 1-based line and column, when intake knows them.
    pub line: Option<u32>,
    pub col: Option<u32>,
    pub message: String,
    /// stsplay's hint (shown as `hint: …`).
    pub hint: Option<String>,
}

/// intake's diagnostics for one file's text.
pub fn diagnose(text: &str, name: &str) -> Vec<Diag> {
    intake::parse(text, name)
        .into_iter()
        .filter_map(|d| match d {
            intake::DocResult::Err(d) => Some(Diag {
                line: d.span.map(|s| s.line),
                col: d.span.map(|s| s.col),
                message: d.message,
                hint: d.hint,
            }),
            intake::DocResult::Ok(_) => None,
        })
        .collect()
}

/// Play's speeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Speed {
    Half,
    #[default]
    One,
    Four,
    Sixteen,
    /// One event per tick.
    Events,
}

impl Speed {
    pub const ALL: [Speed; 5] = [
        Speed::Half,
        Speed::One,
        Speed::Four,
        Speed::Sixteen,
        Speed::Events,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Speed::Half => "0.5×",
            Speed::One => "1×",
            Speed::Four => "4×",
            Speed::Sixteen => "16×",
            Speed::Events => "events",
        }
    }

    /// The value in URLs, embeds and storage.
    pub fn id(self) -> &'static str {
        match self {
            Speed::Half => "0.5",
            Speed::One => "1",
            Speed::Four => "4",
            Speed::Sixteen => "16",
            Speed::Events => "events",
        }
    }

    pub fn from_id(s: &str) -> Option<Speed> {
        Speed::ALL.into_iter().find(|x| x.id() == s)
    }

    /// Simulated milliseconds per tick (`None`: one event per tick).
    pub fn ms_per_tick(self) -> Option<u64> {
        let tick = u64::from(TICK_MS);
        match self {
            Speed::Half => Some(tick / 2),
            Speed::One => Some(tick),
            Speed::Four => Some(tick * 4),
            Speed::Sixteen => Some(tick * 16),
            Speed::Events => None,
        }
    }
}

/// Colour theme: the system's, or chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    #[default]
    Auto,
    Light,
    Dark,
}

impl Theme {
    pub fn id(self) -> &'static str {
        match self {
            Theme::Auto => "auto",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    pub fn from_id(s: &str) -> Option<Theme> {
        [Theme::Auto, Theme::Light, Theme::Dark]
            .into_iter()
            .find(|t| t.id() == s)
    }

    /// The toggle's next theme: auto → dark → light → auto.
    pub fn next(self) -> Theme {
        match self {
            Theme::Auto => Theme::Dark,
            Theme::Dark => Theme::Light,
            Theme::Light => Theme::Auto,
        }
    }
}

/// The panes, which a phone shows one at a time as tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pane {
    #[default]
    Editor,
    Diagram,
    Pods,
    Events,
    Console,
}

impl Pane {
    pub const ALL: [Pane; 5] = [
        Pane::Editor,
        Pane::Diagram,
        Pane::Pods,
        Pane::Events,
        Pane::Console,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Pane::Editor => "Files",
            Pane::Diagram => "Diagram",
            Pane::Pods => "Pods",
            Pane::Events => "Events",
            Pane::Console => "Console",
        }
    }
}

/// A live watch's pane (`kubectl get -w` typed in the console; [`kubectl::watch`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchView {
    pub id: u32,
    /// The command as typed.
    pub line: Rc<str>,
    /// What kubectl printed so far.
    pub text: Rc<str>,
}

/// A dialog over the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialog {
    Examples,
    Shortcuts,
}

/// Everything the page shows. Cloning is cheap (pointers).
#[derive(Clone)]
pub struct AppState {
    engine: Rc<RefCell<Engine>>,
    pub files: Rc<Files>,
    /// The file in the editor.
    pub active: String,
    /// intake's diagnostics of the active file.
    pub diagnostics: Rc<Vec<Diag>>,
    pub console: Rc<Vec<Rc<Entry>>>,
    /// Lines ↑/↓ recalls (consecutive repeats once, as shells do; the journal keeps them all).
    pub recall: Rc<Vec<String>>,
    pub view: ClusterView,
    /// One line about something that went wrong outside the cluster (storage), if any.
    pub notice: Option<Rc<str>>,
    /// The object selected in any pane, as `kind/name` with kubectl's lower-case kind
    /// (`pod/web-0`, `persistentvolumeclaim/data-web-0`): every pane highlights it.
    pub selected: Option<Rc<str>>,
    /// Number of journal items (effects watch it).
    pub log_len: usize,
    /// The console's prompt for the next line ([`kubectl::Session::prompt`]).
    pub prompt: Rc<str>,
    /// The tour being walked (`sim tour …`), for the tour panel.
    pub tour: Option<Rc<crate::tour::TourView>>,
    pub playing: bool,
    pub speed: Speed,
    /// Where Play's clock is (simulated ms); the cluster catches up to it each tick.
    play_clock: u64,
    /// The loaded example, if any (the Apply button applies its files).
    pub example: Option<&'static Example>,
    /// Next line of the example's script the "Run next" button runs.
    pub script_pos: usize,
    pub theme: Theme,
    pub pane: Pane,
    pub dialog: Option<Dialog>,
    /// An example waiting for "replace my edits?" to be answered.
    pub confirm_load: Option<&'static Example>,
    /// A tour (name, title) waiting for "replace the cluster?" to be answered.
    pub confirm_tour: Option<(String, String)>,
    /// The live watches' panes, oldest first.
    pub watches: Rc<Vec<Rc<WatchView>>>,
    watches_version: u64,
    /// The texts the files had when they were loaded (seed, example, `kubectl edit`): a file
    /// that differs holds the learner's unsaved edits.
    origin: Rc<BTreeMap<String, Rc<str>>>,
    next_seq: u64,
    /// The file and text `diagnostics` were computed from.
    diagnosed: Option<(String, Rc<str>)>,
    /// Whether the gallery's, tours' and k8s.io examples' texts are here ([`kubectl::texts`]:
    /// the page fetches them at boot).
    pub texts: Texts,
    /// Actions waiting for the texts, in order (see [`AppState::waits`]).
    queued: Rc<Vec<AppAction>>,
}

/// The state of [`kubectl::texts`] (fetched by the page at boot; compiled in natively).
#[derive(Debug, Clone, PartialEq)]
pub enum Texts {
    Loading,
    Ready,
    /// The fetch or the data file failed: what went wrong.
    Failed(Rc<str>),
}

/// What the app says when the texts could not be loaded.
pub fn texts_failed(why: &str) -> String {
    format!(
        "stsplay could not load its examples, tours and tutorial files (texts.json: {why}); \
         reload the page to try again."
    )
}

/// Whether an action reads a text of [`kubectl::texts`] (an example other than the seed, a
/// tour, a `kubectl apply -f URL`): such an action waits until the texts are here.
fn needs_texts(a: &AppAction) -> bool {
    match a {
        AppAction::Run(l) => {
            l.contains("sim example")
                || l.contains("sim tour")
                || l.contains("://")
                || kubectl::help::may_print_help(l)
                || kubectl::explain::may_explain(l)
        }
        AppAction::LoadExample { id, .. } => id != "seed",
        AppAction::LoadTour { .. } => true,
        AppAction::BootOptions { example, tour, .. } => example.is_some() || tour.is_some(),
        AppAction::Autoplay { tour, .. } => tour.is_some(),
        _ => false,
    }
}

/// Everything a user can do.
#[derive(Debug, Clone, PartialEq)]
pub enum AppAction {
    /// Run one line of the console language (buttons issue lines too).
    Run(String),
    /// The editor's text of `file` changed.
    Edit {
        file: String,
        text: String,
    },
    /// Show another file in the editor.
    SelectTab(String),
    /// Go to a history position (`sim seek P`).
    Seek(usize),
    Play,
    Pause,
    SetSpeed(Speed),
    /// Play's timer fired.
    Tick,
    /// Load an example; asks first when it would replace edits (`confirmed` answers).
    LoadExample {
        id: String,
        confirmed: bool,
    },
    /// Start a built-in tour from the gallery (`sim tour NAME`); asks first when it would
    /// replace the cluster and its timeline (`confirmed` answers).
    LoadTour {
        name: String,
        confirmed: bool,
    },
    /// Run the next line of the loaded example's script, or all that are left.
    RunScript {
        all: bool,
    },
    CancelLoad,
    OpenDialog(Dialog),
    CloseDialog,
    /// Clear the console's screen (Ctrl-L); the journal keeps everything.
    ClearConsole,
    SetTheme(Theme),
    /// Show a pane (the phone's tabs).
    SelectPane(Pane),
    /// Say (or stop saying) what happened to storage.
    Notice(Option<String>),
    /// Select an object (`kind/name`) in every pane, or clear the selection.
    Select(Option<String>),
    /// The page's fetch of the texts ended ([`kubectl::texts::load`] done, or what failed):
    /// the actions that waited for them run now.
    TextsLoaded(Result<(), String>),
    /// Put "Run next line" at this line of the loaded example's script (restored work; waits in
    /// the queue like the lines before it, so it lands after their `sim example`).
    SetScriptPos(usize),
    /// The boot options' example and tour (a page's `#example=…&tour=…`, an embed's
    /// attributes): load the example, start the tour (a notice when there is none such).
    BootOptions {
        example: Option<String>,
        tour: Option<String>,
        /// Embed mode starts fresh; the full page asks before replacing work.
        embed: bool,
    },
    /// Autoplay: Apply when nothing ran yet (`ran`: before the page's first render), then
    /// Play; left to a tour that starts (its first step applies the files).
    Autoplay {
        ran: bool,
        tour: Option<String>,
    },
}

impl Default for AppState {
    fn default() -> Self {
        Self::new(Session::new())
    }
}

/// Is this line one of Play's ticks (shown once in the console, however many ran)?
fn is_play_line(line: &str) -> bool {
    line.starts_with("sim advance ") || line == "sim step" || line.starts_with("sim redo ")
}

impl AppState {
    pub fn new(mut session: Session) -> Self {
        // In the page, `kubectl get -w` also stays live in its own pane.
        session.set_live_watches(true);
        let files = Files::from_session(&session, &[]);
        let view = ClusterView::build(session.cluster());
        let origin: BTreeMap<String, Rc<str>> = sim::sort::to_map(files.list.iter().cloned());
        let active = files
            .list
            .first()
            .map(|(n, _)| n.clone())
            .unwrap_or_else(|| FILES[0].to_string());
        let mut s = AppState {
            engine: Rc::new(RefCell::new(Engine::new(session))),
            files: Rc::new(files),
            active,
            diagnostics: Rc::new(Vec::new()),
            console: Rc::new(Vec::new()),
            recall: Rc::new(Vec::new()),
            view,
            notice: None,
            selected: None,
            log_len: 0,
            prompt: Rc::from(kubectl::HOST_PROMPT),
            tour: None,
            playing: false,
            speed: Speed::default(),
            play_clock: 0,
            example: None,
            script_pos: 0,
            theme: Theme::default(),
            pane: Pane::default(),
            dialog: None,
            confirm_load: None,
            confirm_tour: None,
            watches: Rc::new(Vec::new()),
            watches_version: 0,
            origin: Rc::new(origin),
            next_seq: 0,
            diagnosed: None,
            texts: if kubectl::texts::ready() {
                Texts::Ready
            } else {
                Texts::Loading
            },
            queued: Rc::new(Vec::new()),
        };
        s.refresh_diagnostics();
        s
    }

    /// Rebuild a state by replaying a journal (storage, share links): every line runs again in
    /// order, each file text is set where it was recorded. Deterministic, so the cluster, its
    /// timeline and the console come out as they were.
    pub fn from_journal(items: &[Logged]) -> Self {
        let mut s = AppState::default();
        s.replay(items);
        s
    }

    /// Replay journal items onto this state through [`AppState::apply`], so that a line needing
    /// the texts (`sim example canary` in stored work) waits for them, with everything after it,
    /// exactly as typed lines do.
    pub fn replay(&mut self, items: &[Logged]) {
        for item in items {
            match item {
                Logged::File { name, text } => {
                    self.apply(AppAction::Edit {
                        file: name.clone(),
                        text: text.clone(),
                    });
                }
                Logged::Line(l) => {
                    self.apply(AppAction::Run(l.clone()));
                }
            }
        }
    }

    /// Every journal item so far, in order (for share links, tours, `stsplay run`).
    pub fn journal(&self) -> Ref<'_, Vec<Logged>> {
        Ref::map(self.engine.borrow(), |e| &e.journal)
    }

    /// The command lines of the journal, in order.
    pub fn command_log(&self) -> Vec<String> {
        self.engine
            .borrow()
            .journal
            .iter()
            .filter_map(|i| match i {
                Logged::Line(l) => Some(l.clone()),
                Logged::File { .. } => None,
            })
            .collect()
    }

    /// Read the session (tests, export). Never hold it across a dispatch.
    pub fn session(&self) -> Ref<'_, Session> {
        Ref::map(self.engine.borrow(), |e| &e.session)
    }

    /// This session as a POSIX sh script for a real kind cluster (the "Export for kind" button).
    pub fn export_kind(&self) -> String {
        self.session().export_kind()
    }

    /// The text of the file in the editor.
    pub fn active_text(&self) -> Rc<str> {
        self.files
            .get(&self.active)
            .cloned()
            .unwrap_or_else(|| Rc::from(""))
    }

    /// The line the Apply button runs.
    pub fn apply_line(&self) -> &'static str {
        self.example.map_or(APPLY_LINE, |e| e.apply)
    }

    /// Files whose text differs from what was loaded (the learner's edits).
    pub fn edited_files(&self) -> Vec<String> {
        self.files
            .list
            .iter()
            .filter(|(n, t)| self.origin.get(n).is_none_or(|o| o != t))
            .map(|(n, _)| n.clone())
            .collect()
    }

    /// Whether `a` waits in the queue: it needs the texts while they are loading, or something
    /// before it waits (what runs keeps its order: a share link's lines, an example's edits).
    fn waits(&self, a: &AppAction) -> bool {
        if self.queued.is_empty() {
            self.texts == Texts::Loading && needs_texts(a)
        } else {
            matches!(
                a,
                AppAction::Run(_)
                    | AppAction::Edit { .. }
                    | AppAction::SelectTab(_)
                    | AppAction::Seek(_)
                    | AppAction::LoadExample { .. }
                    | AppAction::LoadTour { .. }
                    | AppAction::RunScript { .. }
                    | AppAction::SetScriptPos(_)
                    | AppAction::BootOptions { .. }
                    | AppAction::Autoplay { .. }
            )
        }
    }

    /// Whether actions wait for the texts (the stored work is not saved meanwhile: it is not
    /// all replayed yet).
    pub fn waiting(&self) -> bool {
        !self.queued.is_empty()
    }

    /// Apply an action in place; `false` when nothing changed (no render).
    pub fn apply(&mut self, action: AppAction) -> bool {
        if self.waits(&action) {
            Rc::make_mut(&mut self.queued).push(action);
            return true;
        }
        if let Texts::Failed(why) = &self.texts
            && needs_texts(&action)
        {
            let msg = texts_failed(why);
            return match action {
                AppAction::Run(line) => {
                    let prompt = self.prompt.clone();
                    self.push_entry(prompt, line, format!("error: {msg}\n"), false, false);
                    true
                }
                _ => self.apply(AppAction::Notice(Some(msg))),
            };
        }
        match action {
            AppAction::Run(line) => self.run(&line, false),
            AppAction::Edit { file, text } => self.edit(&file, &text),
            AppAction::SelectTab(name) => {
                if name == self.active || self.files.get(&name).is_none() {
                    return false;
                }
                self.active = name;
                self.refresh_diagnostics();
                true
            }
            AppAction::Seek(p) => {
                self.playing = false;
                self.run(&format!("sim seek {p}"), false)
            }
            AppAction::Play => {
                if self.playing {
                    return false;
                }
                self.playing = true;
                self.play_clock = self.view.status.now;
                true
            }
            AppAction::Pause => std::mem::replace(&mut self.playing, false),
            AppAction::SetSpeed(s) => {
                if s == self.speed {
                    return false;
                }
                self.speed = s;
                true
            }
            AppAction::Tick => self.waiting() || self.tick(),
            AppAction::LoadExample { id, confirmed } => self.load_example(&id, confirmed),
            AppAction::LoadTour { name, confirmed } => self.load_tour(&name, confirmed),
            AppAction::CancelLoad => {
                self.confirm_load.take().is_some() | self.confirm_tour.take().is_some()
            }
            AppAction::RunScript { all } => self.run_script(all),
            AppAction::SetScriptPos(n) => {
                let n = n.min(self.example.map_or(0, |e| e.script_lines().count()));
                let changed = n != self.script_pos;
                self.script_pos = n;
                changed
            }
            AppAction::OpenDialog(d) => {
                if self.dialog == Some(d) {
                    return false;
                }
                self.dialog = Some(d);
                true
            }
            AppAction::CloseDialog => {
                self.confirm_load = None;
                self.confirm_tour = None;
                self.dialog.take().is_some()
            }
            AppAction::ClearConsole => {
                if self.console.is_empty() {
                    return false;
                }
                self.console = Rc::new(Vec::new());
                true
            }
            AppAction::SetTheme(t) => {
                if t == self.theme {
                    return false;
                }
                self.theme = t;
                true
            }
            AppAction::SelectPane(p) => {
                if p == self.pane {
                    return false;
                }
                self.pane = p;
                true
            }
            AppAction::Notice(n) => {
                let n: Option<Rc<str>> = n.map(Rc::from);
                if n == self.notice {
                    return false;
                }
                self.notice = n;
                true
            }
            AppAction::Select(r) => {
                let r: Option<Rc<str>> = r.map(Rc::from);
                if r == self.selected {
                    return false;
                }
                self.selected = r;
                true
            }
            AppAction::TextsLoaded(r) => {
                if self.texts != Texts::Loading {
                    return false;
                }
                match r {
                    Ok(()) => self.texts = Texts::Ready,
                    Err(e) => {
                        self.notice = Some(Rc::from(texts_failed(&e)));
                        self.texts = Texts::Failed(Rc::from(e));
                    }
                }
                for a in std::mem::take(Rc::make_mut(&mut self.queued)) {
                    self.apply(a);
                }
                true
            }
            AppAction::BootOptions {
                example,
                tour,
                embed,
            } => {
                let n = self.boot_options(example.as_deref(), tour.as_deref(), embed);
                if self.notice.is_none() && n.is_some() {
                    self.notice = n.map(Rc::from);
                }
                true
            }
            AppAction::Autoplay { ran, tour } => {
                if tour.is_some_and(|t| kubectl::tour::find(&t).is_some()) {
                    return false;
                }
                if !ran && self.log_len == 0 {
                    self.run(self.apply_line(), false);
                }
                self.apply(AppAction::Play);
                true
            }
        }
    }

    /// [`AppAction::BootOptions`]: the notice to show, if any.
    fn boot_options(
        &mut self,
        example: Option<&str>,
        tour: Option<&str>,
        embed: bool,
    ) -> Option<String> {
        let mut notice = None;
        if let Some(example) = example.filter(|e| *e != "seed") {
            if gallery::get(example).is_some() {
                self.apply(AppAction::LoadExample {
                    id: example.to_string(),
                    confirmed: embed,
                });
            } else {
                notice = Some(format!(
                    "There is no example {example:?} in this playground; the seed example is \
                     loaded."
                ));
            }
        }
        // A tour starts through the console line its panel's button runs (`sim tour NAME`).
        if let Some(tour) = tour {
            if kubectl::tour::find(tour).is_some() {
                self.apply(AppAction::Run(format!("sim tour {tour}")));
            } else if notice.is_none() {
                let names: Vec<String> = kubectl::tour::built_in()
                    .into_iter()
                    .map(|t| t.name)
                    .collect();
                notice = Some(format!(
                    "There is no tour {tour:?} in this playground (tours: {}); it opened without \
                     one.",
                    names.join(", ")
                ));
            }
        }
        notice
    }

    /// Run one line: journal it (after the texts of any files edited since the last line),
    /// echo it, and derive the views again.
    fn run(&mut self, line: &str, play: bool) -> bool {
        let line = line.trim();
        if line.is_empty() {
            return false;
        }
        let prompt = self.prompt.clone();
        let (out, written) = {
            let mut guard = self.engine.borrow_mut();
            let e = &mut *guard;
            for (name, text) in &e.session.files().files {
                if e.journaled_files.get(name) != Some(text) {
                    e.journal.push(Logged::File {
                        name: name.clone(),
                        text: text.clone(),
                    });
                }
            }
            let before = e.session.files().files.clone();
            let out = e.session.run_line(line);
            let tour = crate::tour::TourView::from_session(&e.session);
            if tour.as_ref() != self.tour.as_deref() {
                // A new step (or tour): select its first object in every pane (the diagram
                // shows one selection; the step lists all its objects).
                let step_of =
                    |t: Option<&crate::tour::TourView>| t.map(|t| (t.name.clone(), t.index));
                if step_of(tour.as_ref()) != step_of(self.tour.as_deref())
                    && let Some(first) =
                        tour.as_ref().and_then(|t| t.highlight().into_iter().next())
                {
                    self.selected = Some(Rc::from(first.as_str()));
                }
                self.tour = tour.map(Rc::new);
            }
            e.journal.push(Logged::Line(line.to_string()));
            self.log_len = e.journal.len();
            // Files the line itself wrote (`kubectl edit`, `sim example`) are loaded, not edits.
            let written: Vec<(String, String)> = e
                .session
                .files()
                .files
                .iter()
                .filter(|(n, t)| before.get(*n) != Some(*t))
                .map(|(n, t)| (n.clone(), t.clone()))
                .collect();
            e.journaled_files = e.session.files().files.clone();
            (out, written)
        };
        if let Some(id) = line.strip_prefix("sim example ")
            && out.ok
        {
            self.example = gallery::get(id.trim());
            self.script_pos = 0;
        }
        if line == "sim reset" && out.ok {
            self.playing = false;
        }
        let first: Vec<&str> = self
            .example
            .map(|e| e.files.iter().map(|(n, _)| *n).collect())
            .unwrap_or_default();
        {
            let e = self.engine.borrow();
            self.view.refresh(e.session.cluster());
            if e.session.live_watches_version() != self.watches_version {
                self.watches_version = e.session.live_watches_version();
                self.watches = Rc::new(
                    e.session
                        .live_watches()
                        .iter()
                        .map(|w| {
                            let old = self.watches.iter().find(|o| o.id == w.id);
                            match old {
                                Some(o) if *o.text == *w.text => o.clone(),
                                _ => Rc::new(WatchView {
                                    id: w.id,
                                    line: Rc::from(w.line.as_str()),
                                    text: Rc::from(w.text.as_str()),
                                }),
                            }
                        })
                        .collect(),
                );
            }
            let files = Files::from_session(&e.session, &first);
            if files != *self.files {
                self.files = Rc::new(Files::merged(&self.files, files));
            }
        }
        if !written.is_empty() {
            let o = Rc::make_mut(&mut self.origin);
            for (n, t) in &written {
                o.insert(n.clone(), Rc::from(t.as_str()));
            }
        }
        if !play && self.recall.last().map(String::as_str) != Some(line) {
            let r = Rc::make_mut(&mut self.recall);
            r.push(line.to_string());
            if r.len() > MAX_RECALL {
                let drop = r.len() - MAX_RECALL;
                r.drain(..drop);
            }
        }
        if *self.prompt != *out.prompt {
            self.prompt = Rc::from(out.prompt.as_str());
        }
        self.push_entry(prompt, line.to_string(), out.combined, out.ok, play);
        if let Some((name, _)) = &out.edit
            && self.files.get(name).is_some()
        {
            self.active = name.clone();
        } else if line.starts_with("sim example ")
            && let Some(e) = self.example
            && let Some((first, _)) = e.files.first()
        {
            self.active = first.to_string();
        }
        self.refresh_diagnostics();
        true
    }

    fn push_entry(&mut self, prompt: Rc<str>, line: String, output: String, ok: bool, play: bool) {
        let c = Rc::make_mut(&mut self.console);
        if play
            && let Some(last) = c.last_mut()
            && last.repeat > 0
            && is_play_line(&last.line)
            && last.line.split_whitespace().nth(1) == line.split_whitespace().nth(1)
        {
            // Play's ticks: one entry, the latest output.
            let mut merged = (**last).clone();
            merged.repeat += 1;
            merged.line = line;
            merged.output = output;
            merged.ok = ok;
            *last = Rc::new(merged);
            return;
        }
        let seq = self.next_seq;
        self.next_seq += 1;
        c.push(Rc::new(Entry {
            seq,
            prompt,
            line,
            output,
            ok,
            repeat: if play { 1 } else { 0 },
        }));
        if c.len() > MAX_CONSOLE_ENTRIES {
            let drop = c.len() - MAX_CONSOLE_ENTRIES;
            c.drain(..drop);
        }
    }

    /// One tick of Play: replay the recorded future up to Play's clock, or move the live
    /// cluster's clock there; stop when nothing is left to happen.
    fn tick(&mut self) -> bool {
        if !self.playing {
            return false;
        }
        let tl = self.view.timeline.clone();
        let future = tl.marks.len().saturating_sub(tl.position);
        let line = match self.speed.ms_per_tick() {
            None => {
                if future > 0 {
                    "sim redo 1".to_string()
                } else if self.view.status.pending {
                    "sim step".to_string()
                } else {
                    self.playing = false;
                    return true;
                }
            }
            Some(dt) => {
                self.play_clock = self.play_clock.max(self.view.status.now) + dt;
                if future > 0 {
                    let n = tl
                        .marks
                        .iter()
                        .skip(tl.position)
                        .take_while(|m| m.time <= self.play_clock)
                        .count();
                    if n == 0 {
                        // Nothing recorded before Play's clock yet: only the clock moves.
                        return false;
                    }
                    format!("sim redo {n}")
                } else if self.view.status.pending {
                    format!(
                        "sim advance {}ms",
                        self.play_clock.saturating_sub(self.view.status.now)
                    )
                } else {
                    self.playing = false;
                    return true;
                }
            }
        };
        self.run(&line, true);
        let tl = &self.view.timeline;
        if !self.view.status.pending && tl.position >= tl.marks.len() {
            self.playing = false;
        }
        true
    }

    fn load_example(&mut self, id: &str, confirmed: bool) -> bool {
        let Some(e) = gallery::get(id) else {
            return self.apply(AppAction::Notice(Some(format!("no example \"{id}\""))));
        };
        // The example's files replace every file (`sim example`): any edit would be lost.
        let has_history = !self.view.timeline.marks.is_empty();
        if !confirmed && (!self.edited_files().is_empty() || has_history) {
            self.confirm_tour = None;
            self.confirm_load = Some(e);
            self.dialog = Some(Dialog::Examples);
            return true;
        }
        self.confirm_load = None;
        self.dialog = None;
        self.playing = false;
        self.run(&format!("sim example {}", e.id), false)
    }

    /// Start a tour from the gallery: the same `sim tour NAME` line the console takes. A tour
    /// keeps the files but starts on a fresh cluster, so it asks first when the cluster holds
    /// the learner's objects (the examples' confirm, shown in the same dialog).
    fn load_tour(&mut self, name: &str, confirmed: bool) -> bool {
        let Some(t) = kubectl::tour::find(name) else {
            return self.apply(AppAction::Notice(Some(format!("no tour \"{name}\""))));
        };
        let fresh = kubectl::tour::cluster_is_fresh(&self.session());
        if !confirmed && !fresh {
            self.confirm_load = None;
            self.confirm_tour = Some((t.name, t.title));
            self.dialog = Some(Dialog::Examples);
            return true;
        }
        self.confirm_tour = None;
        self.confirm_load = None;
        self.dialog = None;
        self.playing = false;
        self.run(&format!("sim tour {}", t.name), false)
    }

    fn run_script(&mut self, all: bool) -> bool {
        let Some(e) = self.example else {
            return false;
        };
        let lines: Vec<&str> = e.script_lines().collect();
        let mut ran = false;
        while let Some(line) = lines.get(self.script_pos) {
            self.script_pos += 1;
            self.run(line, false);
            ran = true;
            if !all {
                break;
            }
        }
        ran
    }

    fn edit(&mut self, file: &str, text: &str) -> bool {
        if self.files.get(file).is_some_and(|t| **t == *text) {
            return false;
        }
        let first: Vec<&str> = self
            .example
            .map(|e| e.files.iter().map(|(n, _)| *n).collect())
            .unwrap_or_default();
        {
            let mut e = self.engine.borrow_mut();
            e.session.set_file(file, text);
            let files = Files::from_session(&e.session, &first);
            self.files = Rc::new(Files::merged(&self.files, files));
        }
        self.refresh_diagnostics();
        true
    }

    /// Recompute the active file's diagnostics when it or its text changed (the texts are
    /// shared `Rc`s, so "changed" is a pointer comparison).
    fn refresh_diagnostics(&mut self) {
        let text = self.active_text();
        if let Some((name, t)) = &self.diagnosed
            && *name == self.active
            && Rc::ptr_eq(t, &text)
        {
            return;
        }
        // The seed's files diagnose clean (`seed_files_diagnose_clean`): known without parsing,
        // which keeps the YAML pipeline's first use (its code compiled on first call) out of
        // the page's start.
        let seed = [kubectl::session::SEED_STS, kubectl::session::SEED_SVC];
        let d = if seed.contains(&&*text) {
            Vec::new()
        } else {
            diagnose(&text, &self.active)
        };
        if *self.diagnostics != d {
            self.diagnostics = Rc::new(d);
        }
        self.diagnosed = Some((self.active.clone(), text));
    }
}

impl Reducible for AppState {
    type Action = AppAction;

    fn reduce(self: Rc<Self>, action: AppAction) -> Rc<Self> {
        let mut next = (*self).clone();
        if next.apply(action) {
            Rc::new(next)
        } else {
            self
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn seed_files_diagnose_clean() {
        // refresh_diagnostics takes this for granted
        assert_eq!(diagnose(kubectl::session::SEED_STS, "sts.yaml"), []);
        assert_eq!(diagnose(kubectl::session::SEED_SVC, "svc.yaml"), []);
    }

    use super::*;

    fn run(s: &mut AppState, l: &str) {
        assert!(s.apply(AppAction::Run(l.into())));
    }

    #[test]
    fn every_line_is_journaled_in_order_even_repeats() {
        let mut s = AppState::default();
        for l in ["sim step", "sim step", "kubectl get pods", "sim step"] {
            run(&mut s, l);
        }
        assert_eq!(
            s.command_log(),
            ["sim step", "sim step", "kubectl get pods", "sim step"]
        );
        assert_eq!(*s.recall, ["sim step", "kubectl get pods", "sim step"]);
        assert_eq!(s.console.len(), 4);
    }

    #[test]
    fn the_pods_table_is_in_ordinal_order() {
        let mut s = AppState::default();
        run(&mut s, APPLY_LINE);
        run(
            &mut s,
            "kubectl scale statefulset nginx-with-init-container --replicas=12",
        );
        run(&mut s, "sim settle");
        let names: Vec<&str> = s.view.pods.iter().map(|p| p.name.as_str()).collect();
        let want: Vec<String> = (0..12)
            .map(|i| format!("nginx-with-init-container-{i}"))
            .collect();
        assert_eq!(names, want, "-10 after -9, not after -1");
    }

    #[test]
    fn unchanged_panes_keep_their_rc() {
        let mut s = AppState::default();
        let events = s.view.events.clone();
        let graph = s.view.graph.clone();
        run(&mut s, "kubectl get pods");
        assert!(Rc::ptr_eq(&events, &s.view.events));
        assert!(Rc::ptr_eq(&graph, &s.view.graph));
        run(&mut s, APPLY_LINE);
        assert!(!Rc::ptr_eq(&graph, &s.view.graph));
    }

    #[test]
    fn edit_updates_diagnostics_and_the_session() {
        let mut s = AppState::default();
        assert!(s.diagnostics.is_empty());
        let bad =
            "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  replica: 3\n";
        assert!(s.apply(AppAction::Edit {
            file: "sts.yaml".into(),
            text: bad.into()
        }));
        assert_eq!(s.diagnostics.first().and_then(|d| d.line), Some(6));
        assert_eq!(
            s.session()
                .files()
                .files
                .get("sts.yaml")
                .map(String::as_str),
            Some(bad)
        );
        assert_eq!(s.edited_files(), ["sts.yaml"]);
        // The same text again changes nothing.
        assert!(!s.apply(AppAction::Edit {
            file: "sts.yaml".into(),
            text: bad.into()
        }));
    }

    #[test]
    fn console_is_capped_but_journal_is_not() {
        let mut s = AppState::default();
        for _ in 0..(MAX_CONSOLE_ENTRIES + 5) {
            run(&mut s, "sim time");
        }
        assert_eq!(s.console.len(), MAX_CONSOLE_ENTRIES);
        assert_eq!(s.command_log().len(), MAX_CONSOLE_ENTRIES + 5);
        assert!(s.apply(AppAction::ClearConsole));
        assert!(s.console.is_empty());
        assert_eq!(s.command_log().len(), MAX_CONSOLE_ENTRIES + 5);
    }

    #[test]
    fn tours_prompts_and_export() {
        let mut s = AppState::default();
        assert!(s.tour.is_none());
        s.apply(AppAction::Run("sim tour statefulset-basics".into()));
        let t = s.tour.clone().unwrap();
        assert_eq!(t.index, 0);
        // The step's first object is selected in every pane.
        assert_eq!(s.selected.as_deref(), Some("service/nginx"));
        s.apply(AppAction::Run("sim tour next".into()));
        assert_eq!(s.tour.as_ref().unwrap().index, 1);
        // An attached container shell changes the prompt; its lines are entries at that prompt.
        s.apply(AppAction::Run(
            "kubectl apply -f svc.yaml -f sts.yaml".into(),
        ));
        s.apply(AppAction::Run("sim settle".into()));
        s.apply(AppAction::Run(
            "kubectl run -i --tty --image busybox:1.28 dns-test --restart=Never --rm".into(),
        ));
        assert_eq!(&*s.prompt, "/ # ");
        s.apply(AppAction::Run("exit".into()));
        assert_eq!(&*s.prompt, "$ ");
        let last = s.console.last().unwrap();
        assert_eq!((&*last.prompt, last.line.as_str()), ("/ # ", "exit"));
        let script = s.export_kind();
        assert!(script.starts_with("#!/bin/sh\n"));
        assert!(
            script.contains("kubectl apply -f https://k8s.io/examples/application/web/web.yaml\n")
        );
    }

    #[test]
    fn kubectl_edit_opens_a_new_tab_that_is_not_an_edit() {
        let mut s = AppState::default();
        run(&mut s, "kubectl apply -f sts.yaml");
        run(&mut s, "kubectl edit sts/nginx-with-init-container");
        assert_eq!(s.active, "statefulset-nginx-with-init-container.yaml");
        assert!(s.active_text().contains("uid:"));
        assert!(s.edited_files().is_empty());
    }

    #[test]
    fn replaying_the_journal_gives_the_same_state() {
        let mut s = AppState::default();
        run(&mut s, APPLY_LINE);
        run(&mut s, "sim step 4");
        let five = s.active_text().replace("replicas: 3", "replicas: 5");
        s.apply(AppAction::Edit {
            file: "sts.yaml".into(),
            text: five.clone(),
        });
        run(&mut s, "kubectl apply -f sts.yaml");
        run(&mut s, "sim settle");
        run(&mut s, "sim seek 10");
        let j = s.journal().clone();
        assert!(j.contains(&Logged::File {
            name: "sts.yaml".into(),
            text: five
        }));
        let r = AppState::from_journal(&j);
        assert_eq!(*r.journal(), j);
        assert_eq!(r.view, s.view);
        assert!(r.session().cluster().store() == s.session().cluster().store());
    }

    #[test]
    fn play_advances_until_settled_and_coalesces_its_lines() {
        let mut s = AppState::default();
        run(&mut s, APPLY_LINE);
        s.apply(AppAction::SetSpeed(Speed::Sixteen));
        s.apply(AppAction::Play);
        let mut ticks = 0;
        while s.playing && ticks < 10_000 {
            s.apply(AppAction::Tick);
            ticks += 1;
        }
        assert!(!s.playing, "stopped by itself");
        assert!(!s.view.status.pending, "settled");
        assert_eq!(s.view.pods.len(), 3);
        let log = s.command_log();
        assert!(log.len() > 5, "{log:?}");
        assert!(log.iter().skip(1).all(|l| l.starts_with("sim advance ")));
        // One console entry for all the ticks.
        assert_eq!(s.console.len(), 2);
        assert_eq!(s.console[1].repeat as usize, log.len() - 1);
    }

    #[test]
    fn play_after_going_back_replays_the_recorded_future() {
        let mut s = AppState::default();
        run(&mut s, APPLY_LINE);
        run(&mut s, "sim settle");
        let end = s.view.timeline.position;
        let settled = s.view.clone();
        s.apply(AppAction::Seek(3));
        assert_eq!(s.view.timeline.position, 3);
        s.apply(AppAction::SetSpeed(Speed::Events));
        s.apply(AppAction::Play);
        while s.playing {
            s.apply(AppAction::Tick);
        }
        assert_eq!(s.view.timeline.position, end);
        assert_eq!(
            s.view.timeline.marks.len(),
            end,
            "the future was replayed, not replaced"
        );
        assert_eq!(s.view.pods, settled.pods);
    }

    #[test]
    fn loading_an_example_asks_before_replacing_edits_or_history() {
        let mut s = AppState::default();
        // Nothing to lose: loads at once.
        assert!(s.apply(AppAction::LoadExample {
            id: "web".into(),
            confirmed: false
        }));
        assert_eq!(s.example.map(|e| e.id), Some("web"));
        assert_eq!(s.active, "web.yaml");
        assert_eq!(
            s.files.names().collect::<Vec<_>>(),
            ["web.yaml"],
            "the example's files replace the seed's tabs"
        );
        assert_eq!(s.apply_line(), "kubectl apply -f web.yaml");
        assert!(s.edited_files().is_empty());
        s.apply(AppAction::Edit {
            file: "web.yaml".into(),
            text: "# mine\n".into(),
        });
        s.apply(AppAction::LoadExample {
            id: "canary".into(),
            confirmed: false,
        });
        assert_eq!(s.confirm_load.map(|e| e.id), Some("canary"));
        assert_eq!(s.example.map(|e| e.id), Some("web"), "not loaded yet");
        assert_eq!(&*s.active_text(), "# mine\n");
        s.apply(AppAction::CancelLoad);
        assert!(s.confirm_load.is_none());
        s.apply(AppAction::LoadExample {
            id: "canary".into(),
            confirmed: true,
        });
        assert_eq!(s.example.map(|e| e.id), Some("canary"));
        assert!(s.active_text().contains("partition: 2"));
        // Its script, a line at a time.
        assert!(s.apply(AppAction::RunScript { all: false }));
        assert_eq!(
            s.command_log().last().map(String::as_str),
            Some("kubectl apply -f web.yaml")
        );
        assert!(s.apply(AppAction::RunScript { all: true }));
        assert!(!s.apply(AppAction::RunScript { all: true }), "nothing left");
        assert!(
            s.console.iter().all(|e| e.ok),
            "every line of the script succeeds"
        );
    }

    #[test]
    fn a_script_position_waits_for_its_example() {
        let mut s = AppState {
            texts: Texts::Loading,
            ..AppState::default()
        };
        s.replay(&[Logged::Line("sim example canary".into())]);
        assert!(s.apply(AppAction::SetScriptPos(2)));
        assert!(s.waiting());
        s.apply(AppAction::TextsLoaded(Ok(())));
        assert_eq!(s.example.map(|e| e.id), Some("canary"));
        assert_eq!(s.script_pos, 2);
        // a stored position past the script's end is its end
        s.apply(AppAction::SetScriptPos(usize::MAX));
        assert_eq!(
            s.script_pos,
            s.example.map_or(0, |e| e.script_lines().count())
        );
    }
    #[test]
    fn an_edit_to_a_file_the_example_lacks_asks_too() {
        let mut s = AppState::default();
        let text = format!("{}# mine\n", s.files.get("svc.yaml").unwrap());
        s.apply(AppAction::Edit {
            file: "svc.yaml".into(),
            text: text.clone(),
        });
        s.apply(AppAction::LoadExample {
            id: "web".into(),
            confirmed: false,
        });
        assert_eq!(s.confirm_load.map(|e| e.id), Some("web"), "asks first");
        assert_eq!(s.files.get("svc.yaml").map(|t| t.to_string()), Some(text));
        s.apply(AppAction::LoadExample {
            id: "web".into(),
            confirmed: true,
        });
        assert_eq!(s.files.names().collect::<Vec<_>>(), ["web.yaml"]);
        s.apply(AppAction::LoadExample {
            id: "postgres".into(),
            confirmed: false,
        });
        assert_eq!(s.files.names().collect::<Vec<_>>(), ["postgres.yaml"]);
    }

    /// While the texts load (in the page), what needs one waits, and so does everything after
    /// it; they run in order once the texts are here.
    #[test]
    fn actions_wait_for_the_texts_in_order() {
        let mut s = AppState {
            texts: Texts::Loading,
            ..AppState::default()
        };
        run(&mut s, "kubectl get pods");
        assert_eq!(s.command_log(), ["kubectl get pods"]);
        run(&mut s, "sim example web");
        run(&mut s, "kubectl apply -f web.yaml");
        // kubectl's help texts and explain's schemas are in the data file too.
        run(&mut s, "kubectl explain sts.spec.replicas");
        run(&mut s, "kubectl scale --help");
        s.apply(AppAction::Tick);
        assert_eq!(s.command_log(), ["kubectl get pods"]);
        assert!(s.waiting());
        assert!(s.apply(AppAction::TextsLoaded(Ok(()))));
        assert!(!s.waiting());
        assert_eq!(
            s.command_log(),
            [
                "kubectl get pods",
                "sim example web",
                "kubectl apply -f web.yaml",
                "kubectl explain sts.spec.replicas",
                "kubectl scale --help"
            ]
        );
        assert!(s.console.iter().any(|e| {
            e.output
                .starts_with("GROUP:      apps\nKIND:       StatefulSet")
        }));
        assert!(
            s.console
                .last()
                .is_some_and(|e| e.output.starts_with("Set a new size"))
        );
        assert_eq!(s.example.map(|e| e.id), Some("web"));
        assert!(s.console.iter().all(|e| e.ok));
    }

    /// A failed fetch: one notice; a line that needs a text says why it cannot run (not a wrong
    /// "not found"); the others run.
    #[test]
    fn a_failed_fetch_says_so_and_the_rest_runs() {
        let mut s = AppState {
            texts: Texts::Loading,
            ..AppState::default()
        };
        run(
            &mut s,
            "kubectl apply -f https://k8s.io/examples/application/web/web.yaml",
        );
        run(&mut s, APPLY_LINE);
        s.apply(AppAction::TextsLoaded(Err("HTTP 404".into())));
        assert_eq!(s.command_log(), [APPLY_LINE]);
        let msg = texts_failed("HTTP 404");
        assert_eq!(s.notice.as_deref(), Some(msg.as_str()));
        assert_eq!(s.console[0].output, format!("error: {msg}\n"));
        assert!(!s.console[0].ok && s.console[1].ok);
        s.apply(AppAction::Notice(None));
        s.apply(AppAction::LoadTour {
            name: "statefulset-basics".into(),
            confirmed: true,
        });
        assert_eq!(s.notice.as_deref(), Some(msg.as_str()));
        assert!(s.tour.is_none());
    }
}

//! The stsplay browser UI (Yew, client-side rendered).
//!
//! Where to start reading: [`state`] (the one reducer: [`AppState`] + [`AppAction`]), then
//! [`App`] below (wires state to components), then `components/` (one small component per
//! file), `effects/` and [`storage`] (browser storage, the only module that touches it).
//!
//! What it never does: simulate (that is `sim`, driven through `kubectl::Session` by command
//! lines), or put a user-controlled string into markup: Yew creates text nodes and attributes.

pub mod components;
// Embed mode and share links in the browser (crates/share's page side).
mod download;
pub mod effects;
pub mod embed;
pub mod first_view;
pub mod highlight;
pub mod model;
pub mod state;
pub mod storage;
pub mod tour;

use std::cell::RefCell;
use std::rc::Rc;

use yew::html::Scope;
use yew::prelude::*;

pub use state::{APPLY_LINE, AppAction, AppState, FILES, MAX_CONSOLE_ENTRIES, Pane};
pub use storage::MAX_STORED_BYTES;

use components::{
    Console, Diagram, Editor, EventsProps, ExampleBarProps, ExamplesProps, PaneTabsProps,
    PodsProps, ShareProps, ShortcutsProps, StatusProps, Timeline, ToolbarProps, TourPanelProps,
    WatchesProps, WhyProps, event_list, example_bar, examples_dialog, pane_tabs, pod_list,
    share_button, shortcuts_dialog, status_line, toolbar, tour_panel, watches, why_list,
};
use effects::Shortcut;
use state::{Dialog, Speed, TICK_MS, Theme};

/// A phone: the panes become tabs.
pub const PHONE_QUERY: &str = "(max-width: 420px)";

/// How the page starts: the work an earlier visit stored, or the seed.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Boot {
    /// Restore from browser storage (the normal page).
    #[default]
    Stored,
    /// The seed, storage untouched (tests).
    Fresh,
}

#[derive(Properties, PartialEq, Default)]
pub struct AppProps {
    #[prop_or_default]
    pub boot: Boot,
}

/// The first state, and one line about storage if something went wrong.
fn initial_state(boot: &Boot) -> (AppState, Option<String>) {
    match boot {
        Boot::Fresh => (AppState::default(), None),
        Boot::Stored => {
            let (saved, notice) = storage::load();
            let s = saved.map(|s| s.restore()).unwrap_or_default();
            (s, notice)
        }
    }
}

/// What [`App`] is told: an action for the reducer, or what it follows beside the state.
pub enum Msg {
    /// An action for the reducer ([`AppState::reduce`]).
    Act(AppAction),
    /// The phone media query changed.
    Phone(bool),
    /// A page-wide keyboard shortcut.
    Shortcut(Shortcut),
    /// The link the Share button made (shown to copy by hand), or none.
    ShareLink(Option<AttrValue>),
}

/// The state as the callbacks read it when they are called (the reducer's latest, as a
/// `use_reducer` handle reads it).
type Live = Rc<RefCell<Rc<AppState>>>;

/// The page. A struct component (not a function component with hooks: each hook instantiates
/// yew's hook plumbing for its types, bytes that `App`'s fields do not cost); what hooks'
/// effects did runs in [`Component::rendered`], in the order they ran.
pub struct App {
    /// What the fragment asked for (a share link, embed mode and its options), read once; it
    /// picked the first state (`embed::Start`: a link never saves over stored work).
    fragment: Rc<embed::Boot>,
    /// Save the work in this browser (the full page with no share link open).
    persist_start: bool,
    live: Live,
    phone: bool,
    mql: Option<web_sys::MediaQueryList>,
    /// Callbacks that stay the same across renders (so children's props compare equal).
    acts: Acts,
    /// The callbacks that read the session, made again when the journal grows.
    reads: Reads,
    /// The Share button's scenario (read from the latest state when the button is pressed).
    scenario: Callback<(), share::Scenario>,
    /// The link the Share button made last, and how it is kept.
    share_link: Option<AttrValue>,
    on_share_link: Callback<Option<AttrValue>>,
    /// "Export for kind": the session as a script, downloaded (nothing runs, nothing is logged).
    on_export: Callback<()>,
    /// The built-in tours, read again when the texts change.
    tours: Rc<Vec<(String, String, String)>>,
    /// The tour step's objects, outlined in the diagram (the same `Rc` while the step stays).
    highlight: Rc<Vec<String>>,
    /// The examples dialog's answer button.
    answer: NodeRef,
    // What runs after a render, and what it last ran for.
    media_listener: Option<gloo_events::EventListener>,
    shortcuts: Option<gloo_events::EventListener>,
    interval: Option<(bool, Option<gloo_timers::callback::Interval>)>,
    theme: Option<Theme>,
    persist: effects::Persist,
    persist_key: Option<(usize, usize, String, usize, Theme, Speed)>,
    embed: Option<embed::Embed>,
    answered_at: Option<usize>,
    asking: Option<Option<String>>,
    /// The dialog opened as a modal (`components::modal`).
    modal: Option<Dialog>,
}

impl App {
    fn state(&self) -> Rc<AppState> {
        self.live.borrow().clone()
    }
}

impl Component for App {
    type Message = Msg;
    type Properties = AppProps;

    fn create(ctx: &Context<Self>) -> Self {
        let fragment = Rc::new(embed::read_boot());
        let start = embed::Start::new(&fragment, || initial_state(&ctx.props().boot));
        let mut s = start.state;
        s.apply(AppAction::Notice(start.notice));
        let state = Rc::new(s);
        let live: Live = Rc::new(RefCell::new(state.clone()));
        let mql = effects::media_query(PHONE_QUERY);
        let phone = mql.as_ref().is_some_and(|m| m.matches());
        let acts = Acts::new(ctx.link());
        let on_export = {
            let (live, on_notice) = (live.clone(), acts.on_notice.clone());
            Callback::from(move |()| {
                let state = live.borrow().clone();
                if let Err(e) = download::save_text("stsplay-kind.sh", &state.export_kind()) {
                    on_notice.emit(Some(format!("Export for kind: {e}")));
                }
            })
        };
        App {
            persist_start: start.persist,
            reads: Reads::new(&live),
            scenario: scenario_callback(&live, &fragment),
            share_link: None,
            on_share_link: ctx.link().callback(Msg::ShareLink),
            tours: Rc::new(tour::tours()),
            highlight: Rc::new(highlight_of(&state)),
            fragment,
            live,
            phone,
            mql,
            acts,
            on_export,
            answer: NodeRef::default(),
            media_listener: None,
            shortcuts: None,
            interval: None,
            theme: None,
            persist: effects::Persist::default(),
            persist_key: None,
            embed: None,
            answered_at: None,
            asking: None,
            modal: None,
        }
    }

    fn update(&mut self, _ctx: &Context<Self>, msg: Msg) -> bool {
        let action = match msg {
            Msg::Act(a) => a,
            Msg::Phone(p) => {
                self.phone = p;
                return true;
            }
            Msg::ShareLink(l) => {
                self.share_link = l;
                return true;
            }
            Msg::Shortcut(s) => match shortcut_action(s, &self.state(), self.phone) {
                Some(a) => a,
                None => return false,
            },
        };
        let old = self.state();
        let new = old.clone().reduce(action);
        if Rc::ptr_eq(&old, &new) {
            return false;
        }
        *self.live.borrow_mut() = new.clone();
        // A dialog is closed before the render that takes it out of the DOM.
        if new.dialog != old.dialog
            && let Some(d) = old.dialog
        {
            components::modal::close(dialog_id(d));
        }
        // Remade when what they read changed (children's props compare equal otherwise).
        if new.log_len != old.log_len {
            self.reads = Reads::new(&self.live);
        }
        if new.texts != old.texts {
            self.tours = Rc::new(tour::tours());
        }
        if new.tour != old.tour {
            self.highlight = Rc::new(highlight_of(&new));
        }
        true
    }

    fn rendered(&mut self, ctx: &Context<Self>, first_render: bool) {
        let state = self.state();
        let link = ctx.link();
        // A dialog the render put in the DOM opens as a modal (first: it was the dialog's
        // own effect, and a component's effects ran before its parent's).
        if self.modal != state.dialog {
            self.modal = state.dialog;
            if let Some(d) = state.dialog {
                components::modal::open(dialog_id(d));
            }
        }
        if first_render {
            // The phone query's changes.
            if let Some(m) = &self.mql {
                self.media_listener = Some(effects::on_media_change(m, link.callback(Msg::Phone)));
            }
            // The texts (examples, tours, k8s.io files) are fetched once, in the background.
            if state.texts == state::Texts::Loading {
                let act = self.acts.act.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    act.emit(AppAction::TextsLoaded(fetch_texts().await));
                });
            }
            self.shortcuts = effects::listen_shortcuts(link.callback(Msg::Shortcut));
        }
        // Play's timer: dropped, and so stopped, when Play stops.
        if self.interval.as_ref().map(|i| i.0) != Some(state.playing) {
            self.interval = None;
            let on_tick = self.acts.on_tick.clone();
            let timer = state
                .playing
                .then(|| gloo_timers::callback::Interval::new(TICK_MS, move || on_tick.emit(())));
            self.interval = Some((state.playing, timer));
        }
        if self.theme != Some(state.theme) {
            self.theme = Some(state.theme);
            effects::set_theme(state.theme);
        }
        let key = effects::Persist::key(&state);
        if self.persist_key.as_ref() != Some(&key) {
            self.persist_key = Some(key);
            // Not while stored lines wait for the texts, nor when those failed (lines were
            // refused): what is stored stays the last good state.
            let enabled = ctx.props().boot == Boot::Stored
                && self.persist_start
                && !state.waiting()
                && !matches!(state.texts, state::Texts::Failed(_));
            self.persist
                .changed(state.clone(), enabled, self.acts.on_notice.clone());
        }
        if first_render {
            self.embed = Some(embed::Embed::start(
                &self.fragment,
                self.acts.act.clone(),
                self.acts.on_notice.clone(),
                state.log_len > 0,
            ));
        }
        // Answer the host once its lines ran (the reducer has run them by this render).
        if self.answered_at != Some(state.log_len) {
            self.answered_at = Some(state.log_len);
            if let Some(e) = &self.embed {
                e.answer(|n| state.console.iter().rev().take(n).all(|e| e.ok));
            }
        }
        // The examples dialog's question takes the focus (and so comes into view) when it
        // appears: when the dialog opens with a question, or a question comes while it is open
        // (after the dialog has opened as a modal, above).
        let asking = asking(&state);
        if self.asking.as_ref() != Some(&asking) {
            if asking.is_some()
                && let Some(b) = self.answer.cast::<web_sys::HtmlElement>()
            {
                let _ = b.focus();
            }
            self.asking = Some(asking);
        }
        // The hand-over (first_view.rs), after the first render: the last of the app's
        // effects, and a component's effects run after its children's.
        if first_render {
            first_view::ready();
        }
    }

    fn view(&self, _ctx: &Context<Self>) -> Html {
        let state = &*self.state();
        let phone = self.phone;
        let Acts {
            act: _,
            run,
            on_edit,
            on_tab,
            on_notice,
            on_seek,
            on_play,
            on_speed,
            on_theme,
            on_examples,
            on_help,
            on_close,
            on_load,
            on_tour,
            on_cancel,
            on_script,
            on_clear,
            on_pane,
            on_tick: _,
            on_select,
        } = self.acts.clone();
        let Reads { mermaid, names } = self.reads.clone();
        let (scenario, on_export) = (self.scenario.clone(), self.on_export.clone());
        let (tours, highlight, answer) = (
            self.tours.clone(),
            self.highlight.clone(),
            self.answer.clone(),
        );
        let fragment = &self.fragment;
        let view = &state.view;
        let selected = state
            .selected
            .as_deref()
            .map(|s| AttrValue::from(s.to_string()));
        let show = |p: Pane| !phone || state.pane == p;
        let editor = html! {
            <Editor files={state.files.clone()} active={AttrValue::from(state.active.clone())}
                diagnostics={state.diagnostics.clone()} on_tab={on_tab} on_edit={on_edit} />
        };
        let console = html! {
            <Console entries={state.console.clone()} recall={state.recall.clone()}
                {names} prompt={state.prompt.clone()} run={run.clone()} on_clear={on_clear}
                watching={!state.watches.is_empty()} />
        };
        let watches = watches(&WatchesProps {
            watches: state.watches.clone(),
            run: run.clone(),
        });
        html! {
            <div class={classes!("shell", phone.then_some("phone"), state.tour.is_some().then_some("touring"), embed::shell_classes(fragment))}>
                <a class="skip" href="#console-input">{"Skip to the console"}</a>
                <header class="topbar">
                    <h1 id="title">{"stsplay"}</h1>
                    <span class="tagline">{"StatefulSet playground · simulated Kubernetes v1.35 (kind)"}</span>
                    { toolbar(&ToolbarProps { apply_line: AttrValue::from(state.apply_line()), playing: state.playing,
                        speed: state.speed, theme: state.theme, run: run.clone(), on_play, on_speed,
                        on_examples, on_theme, on_help, on_export }) }
                    { share_button(&ShareProps { scenario, notice: on_notice.clone(),
                        link: self.share_link.clone(), on_link: self.on_share_link.clone() }) }
                </header>
                <div class="timebar">
                    <Timeline timeline={view.timeline.clone()} {on_seek} />
                    { status_line(&StatusProps { status: view.status.clone(), playing: state.playing }) }
                    <div id="notice" class="notice" role="status">
                        if let Some(n) = &state.notice { <span class="notice-text">{ format!("⚠ {n}") }</span> }
                    </div>
                </div>
                if let Some(e) = state.example {
                    { example_bar(&ExampleBarProps { example: e, script_pos: state.script_pos, on_run: on_script }) }
                }
                if phone {
                    { pane_tabs(&PaneTabsProps { pane: state.pane, on_pane }) }
                }
                <main class="panes">
                    if show(Pane::Editor) {
                        <section class="pane editor-pane" aria-label="Files">{ editor }</section>
                    }
                    if show(Pane::Diagram) || show(Pane::Pods) {
                        <section class="pane center-pane" aria-label="Cluster" tabindex="0">
                            if show(Pane::Diagram) {
                                <Diagram graph={view.graph.clone()} run={run.clone()} mermaid={mermaid}
                                    selected={selected.clone()} on_select={on_select.clone()} highlight={highlight} />
                            }
                            if show(Pane::Pods) {
                                { pod_list(&PodsProps { pods: view.pods.clone(), claims: view.claims.clone(), run: run.clone(), selected: selected.clone() }) }
                            }
                        </section>
                    }
                    if show(Pane::Events) {
                        <section class="pane side-pane" aria-label="Why and events" tabindex="0">
                            { tour_panel(&TourPanelProps { tour: state.tour.clone(), tours: tours.clone(), run: run.clone() }) }
                            { why_list(&WhyProps { why: view.why.clone(), selected: selected.clone() }) }
                            { event_list(&EventsProps { events: view.events.clone(), selected: selected.clone() }) }
                        </section>
                    }
                    if phone && show(Pane::Console) { { watches.clone() } { console.clone() } }
                </main>
                if !phone { { watches } { console } }
                if state.dialog == Some(Dialog::Examples) {
                    { examples_dialog(&ExamplesProps { confirm: state.confirm_load, edited: state.edited_files(),
                        current: state.example.map(|e| e.id), on_load, on_cancel, on_close: on_close.clone(),
                        tours, confirm_tour: state.confirm_tour.clone(), on_tour, texts: state.texts.clone(), answer }) }
                }
                if state.dialog == Some(Dialog::Shortcuts) {
                    { shortcuts_dialog(&ShortcutsProps { on_close }) }
                }
            </div>
        }
    }
}

/// The element id of a dialog.
fn dialog_id(d: Dialog) -> &'static str {
    match d {
        Dialog::Examples => components::EXAMPLES_DIALOG,
        Dialog::Shortcuts => components::SHORTCUTS_DIALOG,
    }
}

/// What a shortcut does to the state (`None`: nothing; focusing the console is done here).
fn shortcut_action(s: Shortcut, state: &AppState, phone: bool) -> Option<AppAction> {
    Some(match s {
        Shortcut::Apply => AppAction::Run(state.apply_line().to_string()),
        Shortcut::Step => AppAction::Run("sim step".into()),
        Shortcut::Back => AppAction::Run("sim back".into()),
        Shortcut::PlayPause => {
            if state.playing {
                AppAction::Pause
            } else {
                AppAction::Play
            }
        }
        Shortcut::FocusConsole => {
            focus_by_id("console-input");
            return phone.then_some(AppAction::SelectPane(Pane::Console));
        }
        Shortcut::Examples => AppAction::OpenDialog(Dialog::Examples),
        Shortcut::Help => AppAction::OpenDialog(Dialog::Shortcuts),
        Shortcut::Close => AppAction::CloseDialog,
    })
}

/// The question the examples dialog asks, if it is open and asks one.
fn asking(state: &AppState) -> Option<String> {
    (state.dialog == Some(Dialog::Examples))
        .then(|| {
            state
                .confirm_load
                .map(|e| e.id.to_string())
                .or_else(|| state.confirm_tour.as_ref().map(|t| t.0.clone()))
        })
        .flatten()
}

fn highlight_of(state: &AppState) -> Vec<String> {
    state
        .tour
        .as_ref()
        .map(|t| t.highlight())
        .unwrap_or_default()
}

fn scenario_callback(live: &Live, fragment: &Rc<embed::Boot>) -> Callback<(), share::Scenario> {
    let (live, fragment) = (live.clone(), fragment.clone());
    Callback::from(move |()| embed::scenario_of(&live.borrow(), fragment.config.as_ref()))
}

/// A callback that dispatches `f(x)`: generic over the argument's type only (the closures
/// below are plain `fn`s), so the argument types make one instance each, not one per callback.
fn act<T: 'static>(link: &Scope<App>, f: fn(T) -> AppAction) -> Callback<T> {
    let link = link.clone();
    Callback::from(move |x| link.send_message(Msg::Act(f(x))))
}

/// [`App`]'s callbacks that only dispatch an action.
#[derive(Clone)]
struct Acts {
    /// Any action (the texts' fetch, embed mode's host messages).
    act: Callback<AppAction>,
    run: Callback<String>,
    on_edit: Callback<(String, String)>,
    on_tab: Callback<String>,
    on_notice: Callback<Option<String>>,
    on_seek: Callback<usize>,
    on_play: Callback<bool>,
    on_speed: Callback<Speed>,
    on_theme: Callback<Theme>,
    on_examples: Callback<()>,
    on_help: Callback<()>,
    on_close: Callback<()>,
    on_load: Callback<(String, bool)>,
    on_tour: Callback<(String, bool)>,
    on_cancel: Callback<()>,
    on_script: Callback<bool>,
    on_clear: Callback<()>,
    on_pane: Callback<Pane>,
    on_tick: Callback<()>,
    on_select: Callback<Option<String>>,
}

impl Acts {
    fn new(d: &Scope<App>) -> Self {
        Acts {
            act: act(d, |a| a),
            run: act(d, AppAction::Run),
            on_edit: act(d, |(file, text)| AppAction::Edit { file, text }),
            on_tab: act(d, AppAction::SelectTab),
            on_notice: act(d, AppAction::Notice),
            on_seek: act(d, AppAction::Seek),
            on_play: act(d, |play| {
                if play {
                    AppAction::Play
                } else {
                    AppAction::Pause
                }
            }),
            on_speed: act(d, AppAction::SetSpeed),
            on_theme: act(d, AppAction::SetTheme),
            on_examples: act(d, |()| AppAction::OpenDialog(Dialog::Examples)),
            on_help: act(d, |()| AppAction::OpenDialog(Dialog::Shortcuts)),
            on_close: act(d, |()| AppAction::CloseDialog),
            on_load: act(d, |(id, confirmed)| AppAction::LoadExample {
                id,
                confirmed,
            }),
            on_tour: act(d, |(name, confirmed)| AppAction::LoadTour {
                name,
                confirmed,
            }),
            on_cancel: act(d, |()| AppAction::CancelLoad),
            on_script: act(d, |all| AppAction::RunScript { all }),
            on_clear: act(d, |()| AppAction::ClearConsole),
            on_pane: act(d, AppAction::SelectPane),
            on_tick: act(d, |()| AppAction::Tick),
            on_select: act(d, AppAction::Select),
        }
    }
}

/// [`App`]'s callbacks that read the session: made again after each command.
#[derive(Clone)]
struct Reads {
    /// The mermaid export.
    mermaid: Callback<(), String>,
    /// Tab completion's object names, read from the session only when Tab is pressed.
    names: Callback<(), kubectl::complete::Names>,
}

impl Reads {
    fn new(live: &Live) -> Self {
        let (s1, s2) = (live.clone(), live.clone());
        Reads {
            mermaid: Callback::from(move |()| {
                diagram::mermaid_of(s1.borrow().session().cluster(), model::NAMESPACE)
            }),
            names: Callback::from(move |()| {
                kubectl::complete::Names::from_store(
                    s2.borrow().session().cluster().store(),
                    model::NAMESPACE,
                )
            }),
        }
    }
}

async fn fetch_texts() -> Result<(), String> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let failed = |_| "the request failed".to_string();
    let window = web_sys::window().ok_or("no window")?;
    let url = format!("texts.json?v={}", kubectl::texts::VERSION);
    let r: web_sys::Response = JsFuture::from(window.fetch_with_str(&url))
        .await
        .map_err(failed)?
        .dyn_into()
        .map_err(failed)?;
    if !r.ok() {
        return Err(format!("HTTP {}", r.status()));
    }
    let text = JsFuture::from(r.text().map_err(failed)?)
        .await
        .map_err(failed)?
        .as_string()
        .ok_or("not text")?;
    kubectl::texts::load(&text)
}

fn focus_by_id(id: &str) {
    use wasm_bindgen::JsCast;
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

/// Start the page.
pub fn start() {
    // App renders into a hidden host, then removes index.html's static first view (#boot),
    // shows the host and marks `stsplay-ready` (first_view::ready, its last effect)
    match first_view::host() {
        Some(host) => {
            yew::Renderer::<App>::with_root(host).render();
        }
        None => {
            yew::Renderer::<App>::new().render();
        }
    }
}

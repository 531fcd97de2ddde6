//! The stsplay browser UI (Yew, client-side rendered).
//!
//! Where to start reading: [`state`] (the one reducer: [`AppState`] + [`AppAction`]), then
//! [`App`] below (wires state to components), then `components/` (one small component per
//! file), `hooks/` and [`storage`] (browser storage, the only module that touches it).
//!
//! What it never does: simulate (that is `sim`, driven through `kubectl::Session` by command
//! lines), or put a user-controlled string into markup: Yew creates text nodes and attributes.

pub mod components;
// Embed mode and share links in the browser (crates/share's page side).
mod download;
pub mod embed;
pub mod first_view;
pub mod highlight;
pub mod hooks;
pub mod model;
pub mod state;
pub mod storage;
pub mod tour;

use std::rc::Rc;

use yew::prelude::*;

pub use state::{APPLY_LINE, AppAction, AppState, FILES, MAX_CONSOLE_ENTRIES, Pane};
pub use storage::MAX_STORED_BYTES;

use components::{
    Console, Diagram, Editor, EventsProps, ExampleBarProps, ExamplesProps, PaneTabsProps,
    PodsProps, ShareButton, ShortcutsProps, StatusProps, Timeline, ToolbarProps, TourPanelProps,
    WatchesProps, WhyProps, event_list, example_bar, examples_dialog, pane_tabs, pod_list,
    shortcuts_dialog, status_line, toolbar, tour_panel, watches, why_list,
};
use hooks::Shortcut;
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

#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    // What the fragment asked for (a share link, embed mode and its options), read once; it
    // picks the first state (`embed::Start`: a link never saves over stored work).
    let fragment = use_memo((), |_| embed::read_boot());
    let start = {
        let (fragment, boot) = (fragment.clone(), props.boot.clone());
        use_memo((), move |_| {
            embed::Start::new(&fragment, || initial_state(&boot))
        })
    };
    let state = {
        let start = start.clone();
        use_reducer(move || {
            let mut s = start.state.clone();
            s.apply(AppAction::Notice(start.notice.clone()));
            s
        })
    };
    let dispatcher = state.dispatcher();
    let phone = hooks::use_media_query(PHONE_QUERY);

    // Callbacks that stay the same across renders (so children's props compare equal): the
    // ones that only dispatch an action, made once in one hook (one `use_callback` each cost
    // bytes: a hook, its state and drop glue per closure).
    let acts = {
        let d = dispatcher.clone();
        use_memo((), move |_| Acts::new(&d))
    };
    let Acts {
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
        on_tick,
        on_select,
    } = (*acts).clone();
    // The callbacks that read the session, remade after each command (so they are current) in
    // one hook.
    let reads = {
        let state = state.clone();
        use_memo(state.log_len, move |_| Reads::new(&state))
    };
    let Reads {
        mermaid,
        names,
        console_ok,
    } = (*reads).clone();
    // "Export for kind": the session as a script, downloaded (nothing runs, nothing is logged).
    let on_export = {
        let state = state.clone();
        let on_notice = on_notice.clone();
        Callback::from(move |_: ()| {
            if let Err(e) = download::save_text("stsplay-kind.sh", &state.export_kind()) {
                on_notice.emit(Some(format!("Export for kind: {e}")));
            }
        })
    };
    // The texts (examples, tours, k8s.io files) are fetched once, in the background.
    use_texts(dispatcher.clone(), state.texts == state::Texts::Loading);
    let tours = use_memo(state.texts.clone(), |_| tour::tours());
    // The tour step's objects, outlined in the diagram (the same `Rc` while the step stays).
    let highlight = use_memo(state.tour.clone(), |t| {
        t.as_ref().map(|t| t.highlight()).unwrap_or_default()
    });
    let on_shortcut = use_callback(
        (dispatcher.clone(), state.apply_line(), state.playing, phone),
        |s: Shortcut, (d, apply, playing, phone)| match s {
            Shortcut::Apply => d.dispatch(AppAction::Run((*apply).to_string())),
            Shortcut::Step => d.dispatch(AppAction::Run("sim step".into())),
            Shortcut::Back => d.dispatch(AppAction::Run("sim back".into())),
            Shortcut::PlayPause => d.dispatch(if *playing {
                AppAction::Pause
            } else {
                AppAction::Play
            }),
            Shortcut::FocusConsole => {
                if *phone {
                    d.dispatch(AppAction::SelectPane(Pane::Console));
                }
                focus_by_id("console-input");
            }
            Shortcut::Examples => d.dispatch(AppAction::OpenDialog(Dialog::Examples)),
            Shortcut::Help => d.dispatch(AppAction::OpenDialog(Dialog::Shortcuts)),
            Shortcut::Close => d.dispatch(AppAction::CloseDialog),
        },
    );
    hooks::use_shortcuts(on_shortcut);
    hooks::use_interval(state.playing, TICK_MS, on_tick);
    hooks::use_theme(state.theme);
    hooks::use_persist(
        (*state).clone(),
        // Not while stored lines wait for the texts, nor when those failed (lines were refused):
        // what is stored stays the last good state.
        props.boot == Boot::Stored
            && start.persist
            && !state.waiting()
            && !matches!(state.texts, state::Texts::Failed(_)),
        on_notice.clone(),
    );
    embed::use_embed(
        fragment.clone(),
        dispatcher.clone(),
        embed::EmbedInputs {
            log_len: state.log_len,
            console_ok,
            notice: on_notice.clone(),
        },
    );
    let scenario = {
        let (state, fragment) = (state.clone(), fragment.clone());
        use_callback(
            (
                state.log_len,
                Rc::as_ptr(&state.files) as usize,
                state.active.clone(),
                state.theme,
                state.speed,
            ),
            move |(), _| embed::scenario_of(&state, fragment.config.as_ref()),
        )
    };

    let answer = use_answer_focus(&state);

    // The hand-over (first_view.rs), after the first render: the last of the app's effects,
    // and a component's effects run after its children's.
    use_effect_with((), |_| first_view::ready());

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
        <div class={classes!("shell", phone.then_some("phone"), state.tour.is_some().then_some("touring"), embed::shell_classes(&fragment))}>
            <a class="skip" href="#console-input">{"Skip to the console"}</a>
            <header class="topbar">
                <h1 id="title">{"stsplay"}</h1>
                <span class="tagline">{"StatefulSet playground · simulated Kubernetes v1.35 (kind)"}</span>
                { toolbar(&ToolbarProps { apply_line: AttrValue::from(state.apply_line()), playing: state.playing,
                    speed: state.speed, theme: state.theme, run: run.clone(), on_play, on_speed,
                    on_examples, on_theme, on_help, on_export }) }
                <ShareButton {scenario} notice={on_notice.clone()} />
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

/// The examples dialog's question takes the focus (and so comes into view) when it appears:
/// when the dialog opens with a question, or a question comes while it is open (the effect the
/// dialog had as a component; it runs after the dialog's `Modal` has opened).
#[hook]
fn use_answer_focus(state: &AppState) -> NodeRef {
    let answer = use_node_ref();
    let asking = (state.dialog == Some(Dialog::Examples))
        .then(|| {
            state
                .confirm_load
                .map(|e| e.id.to_string())
                .or_else(|| state.confirm_tour.as_ref().map(|t| t.0.clone()))
        })
        .flatten();
    {
        let answer = answer.clone();
        use_effect_with(asking, move |c| {
            if c.is_some()
                && let Some(b) = answer.cast::<web_sys::HtmlElement>()
            {
                let _ = b.focus();
            }
        });
    }
    answer
}

/// A callback that dispatches `f(x)`: generic over the argument's type only (the closures
/// below are plain `fn`s), so the ten argument types make ten instances, not one per callback.
fn act<T: 'static>(d: &UseReducerDispatcher<AppState>, f: fn(T) -> AppAction) -> Callback<T> {
    let d = d.clone();
    Callback::from(move |x| d.dispatch(f(x)))
}

/// [`App`]'s callbacks that only dispatch an action.
#[derive(Clone)]
struct Acts {
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
    fn new(d: &UseReducerDispatcher<AppState>) -> Self {
        Acts {
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
    /// Whether the last N console entries succeeded (embed mode's answer to its host).
    console_ok: Callback<usize, bool>,
}

impl Reads {
    fn new(state: &UseReducerHandle<AppState>) -> Self {
        let (s1, s2, s3) = (state.clone(), state.clone(), state.clone());
        Reads {
            mermaid: Callback::from(move |()| {
                diagram::mermaid_of(s1.session().cluster(), model::NAMESPACE)
            }),
            names: Callback::from(move |()| {
                kubectl::complete::Names::from_store(
                    s2.session().cluster().store(),
                    model::NAMESPACE,
                )
            }),
            console_ok: Callback::from(move |n: usize| {
                s3.console.iter().rev().take(n).all(|e| e.ok)
            }),
        }
    }
}

/// Fetch the texts ([`kubectl::texts`]: `texts.json`, next to index.html) once, when `loading`,
/// and say when it is done ([`AppAction::TextsLoaded`]: what waited for them runs then).
#[hook]
fn use_texts(d: UseReducerDispatcher<AppState>, loading: bool) {
    use_effect_with((), move |_| {
        if loading {
            wasm_bindgen_futures::spawn_local(async move {
                d.dispatch(AppAction::TextsLoaded(fetch_texts().await));
            });
        }
    });
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

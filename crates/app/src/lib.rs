//! The stsplay browser UI (Yew, client-side rendered).
//!
//! Where to start reading: [`state`] (the one reducer: [`AppState`] + [`AppAction`]), then
//! [`App`] below (wires state to components), then `components/` (one small component per
//! file), `hooks/` and [`storage`] (browser storage, the only module that touches it).
//!
//! What it never does: simulate (that is `sim`, driven through `kubectl::Session` by command
//! lines), or put a user-controlled string into markup: Yew creates text nodes and attributes.

pub mod components;
// Embed mode and share links in the browser (crates/share's page side). Wired into the old
// single-component App on the embed branch (commit 823ab26); to be wired into the reducer.
mod download;
pub mod embed;
pub mod first_view;
pub mod hooks;
pub mod model;
pub mod state;
pub mod storage;
pub mod tour;

use yew::prelude::*;

pub use state::{APPLY_LINE, AppAction, AppState, FILES, MAX_CONSOLE_ENTRIES};
pub use storage::MAX_STORED_BYTES;

use components::{
    Console, Diagram, Editor, EventList, PodList, StatusLine, Toolbar, TourPanel, WhyList,
};

/// The first state: a fresh session with the files an earlier visit saved.
fn initial_state() -> AppState {
    let mut s = AppState::default();
    for (name, text) in storage::load_files() {
        s.apply(AppAction::Edit { file: name, text });
    }
    s
}

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(initial_state);
    let dispatcher = state.dispatcher();

    // Callbacks that stay the same across renders (so children's props compare equal).
    let run = use_callback(dispatcher.clone(), |line: String, d| {
        d.dispatch(AppAction::Run(line))
    });
    let on_edit = use_callback(dispatcher.clone(), |(file, text): (String, String), d| {
        d.dispatch(AppAction::Edit { file, text })
    });
    let on_tab = use_callback(dispatcher.clone(), |name: String, d| {
        d.dispatch(AppAction::SelectTab(name))
    });
    let on_notice = use_callback(dispatcher.clone(), |n: Option<String>, d| {
        d.dispatch(AppAction::Notice(n))
    });
    let on_select = use_callback(dispatcher, |r: Option<String>, d| {
        d.dispatch(AppAction::Select(r))
    });
    // The mermaid export reads the session; remade after each command, so it is current.
    let mermaid = {
        let state = state.clone();
        use_callback(state.log_len, move |(), _| {
            diagram::mermaid_of(state.session().cluster(), model::NAMESPACE)
        })
    };
    hooks::use_persist(state.files.clone(), on_notice.clone());
    // "Export for kind": the session as a script, downloaded (nothing runs, nothing is logged).
    let on_export = {
        let state = state.clone();
        Callback::from(move |_: ()| {
            if let Err(e) = download::save_text("stsplay-kind.sh", &state.export_kind()) {
                on_notice.emit(Some(format!("Export for kind: {e}")));
            }
        })
    };
    let tours = use_memo((), |_| tour::tours());
    // The tour step's objects, outlined in the diagram (the same `Rc` while the step stays).
    let highlight = use_memo(state.tour.clone(), |t| {
        t.as_ref().map(|t| t.highlight()).unwrap_or_default()
    });

    let view = &state.view;
    let selected = state
        .selected
        .as_deref()
        .map(|s| AttrValue::from(s.to_string()));
    html! {
        <div class="shell">
            <header class="topbar">
                <h1 id="title">{"stsplay"}</h1>
                <span class="tagline">{"StatefulSet playground · simulated Kubernetes v1.35 (kind)"}</span>
                <div class="controls">
                    <Toolbar run={run.clone()} on_export={on_export} />
                    <StatusLine status={view.status.clone()} />
                    <span id="notice" class="notice" role="status">
                        { state.notice.as_deref().unwrap_or_default().to_string() }
                    </span>
                </div>
            </header>
            <main class="panes">
                <section class="pane editor-pane">
                    <Editor files={state.files.clone()} active={AttrValue::from(state.active.clone())}
                        diagnostics={state.diagnostics.clone()} on_tab={on_tab} on_edit={on_edit} />
                </section>
                <section class="pane center-pane">
                    <Diagram graph={view.graph.clone()} run={run.clone()} mermaid={mermaid}
                        selected={selected.clone()} on_select={on_select.clone()} highlight={highlight} />
                    <PodList pods={view.pods.clone()} claims={view.claims.clone()} run={run.clone()} selected={selected.clone()} />
                </section>
                <section class="pane side-pane">
                    <TourPanel tour={state.tour.clone()} tours={tours} run={run.clone()} />
                    <WhyList why={view.why.clone()} selected={selected.clone()} />
                    <EventList events={view.events.clone()} selected={selected} />
                </section>
            </main>
            <Console entries={state.console.clone()} recall={state.recall.clone()}
                prompt={state.prompt.clone()} run={run} />
        </div>
    }
}

pub fn start() {
    // first_view::Root renders App, then removes index.html's static first view (#boot)
    yew::Renderer::<first_view::Root>::new().render();
}

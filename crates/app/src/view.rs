//! The panes. Each reads the shared playground; every action goes through a console line.

use sim::k8s_openapi::api::core::v1::{Event, PersistentVolumeClaim, Pod};
use sim::time::SimTime;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::Shared;

/// `1m05s` style clock for the top bar.
pub fn clock_text(ms: SimTime) -> String {
    let s = ms / 1000;
    let tenths = (ms % 1000) / 100;
    if s >= 3600 {
        format!("{}h{:02}m{:02}s", s / 3600, (s / 60) % 60, s % 60)
    } else if s >= 60 {
        format!("{}m{:02}.{tenths}s", s / 60, s % 60)
    } else {
        format!("{s}.{tenths}s")
    }
}

// ---------------------------------------------------------------------------------------------
// Editor

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub pg: Shared,
    pub active: String,
    pub on_tab: Callback<String>,
    pub on_edit: Callback<(String, String)>,
    pub tick: u64,
}

#[function_component(Editor)]
pub fn editor(props: &EditorProps) -> Html {
    let text = props.pg.0.borrow().file(&props.active);
    let tabs = props.pg.0.borrow().tabs();
    let diagnostics: Vec<(String, Option<String>, Option<String>)> =
        intake::parse(&text, &props.active)
            .into_iter()
            .filter_map(|d| match d {
                intake::DocResult::Err(d) => Some((
                    d.message.clone(),
                    d.span
                        .map(|s| format!("{}:{}:{}", props.active, s.line, s.col)),
                    d.hint.clone(),
                )),
                intake::DocResult::Ok(_) => None,
            })
            .collect();
    let oninput = {
        let on_edit = props.on_edit.clone();
        let name = props.active.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(t) = e.target_dyn_into::<HtmlTextAreaElement>() {
                on_edit.emit((name.clone(), t.value()));
            }
        })
    };
    html! {
        <>
            <div class="tabs" role="tablist">
                { for tabs.iter().map(|f| {
                    let on_tab = props.on_tab.clone();
                    let name = f.to_string();
                    let selected = props.active == *f;
                    html! {
                        <button role="tab" class={classes!("tab", selected.then_some("active"))}
                            aria-selected={selected.to_string()}
                            onclick={Callback::from(move |_| on_tab.emit(name.clone()))}>{ f.clone() }</button>
                    }
                }) }
            </div>
            <textarea id="editor" spellcheck="false" aria-label={format!("editor: {}", props.active)}
                value={text} oninput={oninput} />
            <div id="diagnostics" class={classes!("diagnostics", (!diagnostics.is_empty()).then_some("has-errors"))}>
                if diagnostics.is_empty() {
                    <span class="ok">{ format!("{}: valid", props.active) }</span>
                } else {
                    { for diagnostics.into_iter().map(|(msg, at, hint)| html! {
                        <div class="diagnostic">
                            if let Some(at) = at { <span class="at">{ at }</span>{" "} }
                            <span class="msg">{ msg }</span>
                            if let Some(h) = hint { <div class="hint">{ format!("hint: {h}") }</div> }
                        </div>
                    }) }
                }
            </div>
        </>
    }
}

// ---------------------------------------------------------------------------------------------
// Diagram

#[derive(Properties, PartialEq)]
pub struct TickProps {
    pub pg: Shared,
    pub tick: u64,
}

/// Build VNodes from the diagram's scene: element by element, attributes set and text as text
/// nodes (never markup). Keyed, so an update keeps the nodes and CSS animates the change.
fn el_html(el: &diagram::El) -> Html {
    let mut tag = yew::virtual_dom::VTag::new(el.tag);
    for (name, value) in &el.attrs {
        tag.add_attribute(name, value.clone());
    }
    if let Some(t) = &el.text {
        tag.add_child(Html::from(t.clone()));
    }
    for c in &el.children {
        tag.add_child(el_html(c));
    }
    tag.key = el.key.as_deref().map(Into::into);
    tag.into()
}

#[function_component(Diagram)]
pub fn diagram_view(props: &TickProps) -> Html {
    let show_mermaid = use_state(|| false);
    let p = props.pg.0.borrow();
    let cluster = p.session.cluster();
    let graph = diagram::build(cluster, diagram::NAMESPACE, &diagram::Options::default());
    let layout = diagram::layout(&graph, &diagram::LayoutOptions::default());
    let mut scene = diagram::scene(&graph, &layout, &diagram::SceneOptions::default());
    scene.attrs.push(("id", "diagram".into()));
    let mermaid = if *show_mermaid {
        diagram::mermaid_of(cluster, diagram::NAMESPACE)
    } else {
        String::new()
    };
    let toggle = {
        let s = show_mermaid.clone();
        Callback::from(move |_| s.set(!*s))
    };
    html! {
        <div class="diagram-wrap">
            <div class="pane-title">
                {"Diagram"}
                <button class="small" id="mermaid-toggle" onclick={toggle}>
                    { if *show_mermaid { "Hide mermaid" } else { "Mermaid text" } }
                </button>
            </div>
            if *show_mermaid {
                <textarea id="mermaid" readonly=true class="mermaid-text" value={mermaid} />
            }
            { el_html(&scene) }
        </div>
    }
}

// ---------------------------------------------------------------------------------------------
// Pods with one-click faults

#[derive(Properties, PartialEq)]
pub struct RunProps {
    pub pg: Shared,
    pub tick: u64,
    pub run: Callback<String>,
}

#[function_component(PodList)]
pub fn pod_list(props: &RunProps) -> Html {
    let p = props.pg.0.borrow();
    let cluster = p.session.cluster();
    let store = cluster.store();
    let now = cluster.now();
    let mut pods: Vec<&Pod> = store.list::<Pod>(Some("default")).collect();
    pods.sort_by_key(|p| ordinal_key(p.metadata.name.as_deref().unwrap_or("")));
    let claims: Vec<&PersistentVolumeClaim> = store
        .list::<PersistentVolumeClaim>(Some("default"))
        .collect();
    let act = |line: String| {
        let run = props.run.clone();
        Callback::from(move |_| run.emit(line.clone()))
    };
    html! {
        <div class="pods-wrap">
            <div class="pane-title">{"Pods"}<span class="muted">{" · click to inject a fault (issues the same sim/kubectl line)"}</span></div>
            <table id="pods" class="pods">
                <thead><tr><th>{"NAME"}</th><th>{"READY"}</th><th>{"STATUS"}</th><th>{"RESTARTS"}</th><th>{"AGE"}</th><th>{"faults"}</th></tr></thead>
                <tbody>
                    { for pods.iter().map(|pod| {
                        let name = pod.metadata.name.clone().unwrap_or_default();
                        let cols = sim::podstatus::columns(pod, now);
                        let age = pod.metadata.creation_timestamp.as_ref()
                            .map(|t| sim::podstatus::human_duration_ms(now.saturating_sub(sim::time::from_k8s_time(t)) as i64))
                            .unwrap_or_default();
                        html! {
                            <tr class="pod-row" data-pod={name.clone()}>
                                <td class="name">{ name.clone() }</td>
                                <td>{ cols.ready }</td>
                                <td>{ cols.status }</td>
                                <td>{ cols.restarts }</td>
                                <td>{ age }</td>
                                <td class="faults">
                                    <button class="small" title="sim fault pod NAME crash" onclick={act(format!("sim fault pod {name} crash"))}>{"crash"}</button>
                                    <button class="small" title="sim fault pod NAME unready" onclick={act(format!("sim fault pod {name} unready"))}>{"unready"}</button>
                                    <button class="small" title="sim fault pod NAME ready" onclick={act(format!("sim fault pod {name} ready"))}>{"ready"}</button>
                                    <button class="small danger" title="kubectl delete pod NAME" onclick={act(format!("kubectl delete pod {name}"))}>{"delete"}</button>
                                    <button class="small" title="sim why pod/NAME" onclick={act(format!("sim why pod/{name}"))}>{"why?"}</button>
                                </td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            if !claims.is_empty() {
                <table id="claims" class="pods">
                    <thead><tr><th>{"CLAIM"}</th><th>{"STATUS"}</th><th>{"VOLUME"}</th><th></th></tr></thead>
                    <tbody>
                        { for claims.iter().map(|c| {
                            let name = c.metadata.name.clone().unwrap_or_default();
                            let status = if c.metadata.deletion_timestamp.is_some() { "Terminating".to_string() } else {
                                c.status.as_ref().and_then(|s| s.phase.clone()).unwrap_or_else(|| "Pending".into()) };
                            let vol = c.spec.as_ref().and_then(|s| s.volume_name.clone()).unwrap_or_default();
                            html! {
                                <tr>
                                    <td class="name">{ name.clone() }</td><td>{ status }</td><td class="muted">{ vol }</td>
                                    <td class="faults">
                                        <button class="small danger" title="kubectl delete pvc NAME --wait=false" onclick={act(format!("kubectl delete pvc {name} --wait=false"))}>{"delete"}</button>
                                        <button class="small" title="kubectl describe pvc NAME" onclick={act(format!("kubectl describe pvc {name}"))}>{"describe"}</button>
                                    </td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            }
        </div>
    }
}

fn ordinal_key(name: &str) -> (String, u64) {
    match name.rsplit_once('-') {
        Some((prefix, n)) => (prefix.to_string(), n.parse().unwrap_or(u64::MAX)),
        None => (name.to_string(), 0),
    }
}

// ---------------------------------------------------------------------------------------------
// Why + events

#[function_component(Sidebar)]
pub fn sidebar(props: &TickProps) -> Html {
    let p = props.pg.0.borrow();
    let cluster = p.session.cluster();
    let why = cluster.why_all("default");
    let now = cluster.now();
    let mut events: Vec<&Event> = cluster.store().list::<Event>(Some("default")).collect();
    events.sort_by_key(|e| {
        (
            e.last_timestamp.as_ref().map(|t| t.0),
            e.metadata
                .resource_version
                .as_ref()
                .and_then(|r| r.parse::<u64>().ok()),
        )
    });
    let recent: Vec<&&Event> = events.iter().rev().take(60).collect();
    html! {
        <>
            <div class="pane-title">{"Why is it waiting?"}<span class="muted">{" (stsplay's explanation)"}</span></div>
            <ul id="why" class="why">
                if why.is_empty() { <li class="muted">{"Nothing is waiting."}</li> }
                { for why.into_iter().map(|w| html! { <li>{ w }</li> }) }
            </ul>
            <div class="pane-title">{"Events"}<span class="muted">{" (newest first)"}</span></div>
            <ul id="events" class="events">
                { for recent.into_iter().map(|e| {
                    let age = e.last_timestamp.as_ref()
                        .map(|t| sim::podstatus::human_duration_ms(now.saturating_sub(sim::time::from_k8s_time(t)) as i64))
                        .unwrap_or_default();
                    let warn = e.type_.as_deref() == Some("Warning");
                    let obj = format!("{}/{}", e.involved_object.kind.clone().unwrap_or_default().to_lowercase(),
                        e.involved_object.name.clone().unwrap_or_default());
                    html! {
                        <li class={classes!(warn.then_some("warning"))}>
                            <span class="age">{ age }</span>{" "}
                            <span class="reason">{ e.reason.clone().unwrap_or_default() }</span>{" "}
                            <span class="obj">{ obj }</span>
                            <div class="message">{ e.message.clone().unwrap_or_default() }</div>
                        </li>
                    }
                }) }
            </ul>
        </>
    }
}

// ---------------------------------------------------------------------------------------------
// Console

#[function_component(Console)]
pub fn console(props: &RunProps) -> Html {
    let input = use_node_ref();
    let cursor = use_state(|| None::<usize>);
    let onkeydown = {
        let run = props.run.clone();
        let input = input.clone();
        let pg = props.pg.clone();
        let cursor = cursor.clone();
        Callback::from(move |e: KeyboardEvent| {
            let Some(el) = input.cast::<HtmlInputElement>() else {
                return;
            };
            let history = pg.0.borrow().history.clone();
            match e.key().as_str() {
                "Enter" => {
                    let line = el.value();
                    el.set_value("");
                    cursor.set(None);
                    run.emit(line);
                }
                "ArrowUp" if !history.is_empty() => {
                    e.prevent_default();
                    let i = cursor
                        .map(|c| c.saturating_sub(1))
                        .unwrap_or(history.len() - 1);
                    if let Some(h) = history.get(i) {
                        el.set_value(h);
                    }
                    cursor.set(Some(i));
                }
                "ArrowDown" => {
                    e.prevent_default();
                    match *cursor {
                        Some(c) if c + 1 < history.len() => {
                            if let Some(h) = history.get(c + 1) {
                                el.set_value(h);
                            }
                            cursor.set(Some(c + 1));
                        }
                        _ => {
                            el.set_value("");
                            cursor.set(None);
                        }
                    }
                }
                _ => {}
            }
        })
    };
    {
        // Keep the newest output in view.
        use_effect_with(props.tick, |_| {
            if let Some(el) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id("console-output"))
            {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }
    let p = props.pg.0.borrow();
    html! {
        <section class="console">
            <pre id="console-output" class="console-output" aria-live="polite">
                if p.entries.is_empty() {
                    <span class="muted">{"Type kubectl commands as on a real cluster, or `sim help`. Try: kubectl apply -f sts.yaml\n"}</span>
                }
                { for p.entries.iter().map(|e| html! {
                    <>
                        <span class="prompt">{"$ "}</span><span class="line">{ format!("{}\n", e.line) }</span>
                        <span class={classes!("out", (!e.ok).then_some("failed"))}>{ e.output.clone() }</span>
                    </>
                }) }
            </pre>
            <div class="console-input-row">
                <span class="prompt">{"$"}</span>
                <input id="console-input" ref={input} type="text" autocomplete="off" spellcheck="false"
                    placeholder="kubectl get pods -l app=nginx" aria-label="console" onkeydown={onkeydown} />
            </div>
        </section>
    }
}

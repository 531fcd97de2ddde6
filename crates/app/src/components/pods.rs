use std::rc::Rc;

use yew::prelude::*;

use super::row::{Row, RowData};
use crate::model::{ClaimRow, PodRow};

pub struct PodsProps {
    pub pods: Rc<Vec<PodRow>>,
    pub claims: Rc<Vec<ClaimRow>>,
    /// Runs a console line (each fault button is one).
    pub run: Callback<String>,
    /// The selected object (`kind/name`): its row is highlighted.
    pub selected: Option<AttrValue>,
}

/// The console line of a fault button: its `title` with `NAME` replaced by its row's name.
/// One click listener for both tables (not five closures and formatted lines per row on every
/// render: the tables render after each step).
fn clicked_line(e: &MouseEvent) -> Option<String> {
    use wasm_bindgen::JsCast;
    let target: web_sys::Element = e.target()?.dyn_into().ok()?;
    let button = target.closest("button[title]").ok()??;
    let row = button.closest("tr[data-name]").ok()??;
    let name = row.get_attribute("data-name")?;
    Some(button.get_attribute("title")?.replace("NAME", &name))
}

/// Pods and claims with one-click faults; every click issues the same `sim`/`kubectl` line.
/// A function of its props, not a component (bytes; the rows are components).
pub fn pod_list(props: &PodsProps) -> Html {
    let run = props.run.clone();
    let onclick = Callback::from(move |e: MouseEvent| {
        if let Some(line) = clicked_line(&e) {
            run.emit(line);
        }
    });
    let selected = props.selected.as_deref().unwrap_or("");
    let sel_pod = selected.strip_prefix("pod/");
    let sel_claim = selected.strip_prefix("persistentvolumeclaim/");
    html! {
        <div class="pods-wrap" {onclick}>
            <div class="pane-title">{"Pods"}<span class="muted">{" · click to inject a fault (issues the same sim/kubectl line)"}</span></div>
            <table id="pods" class="pods">
                <thead><tr><th>{"NAME"}</th><th>{"READY"}</th><th>{"STATUS"}</th><th>{"RESTARTS"}</th><th>{"AGE"}</th><th>{"faults"}</th></tr></thead>
                <tbody>
                    { for props.pods.iter().map(|pod| html! {
                        <Row key={pod.name.clone()} data={RowData::Pod { row: pod.clone(), selected: sel_pod == Some(pod.name.as_str()) }} />
                    }) }
                </tbody>
            </table>
            if !props.claims.is_empty() {
                <table id="claims" class="pods">
                    <thead><tr><th>{"CLAIM"}</th><th>{"STATUS"}</th><th>{"VOLUME"}</th><th></th></tr></thead>
                    <tbody>
                        { for props.claims.iter().map(|c| html! {
                            <Row key={c.name.clone()} data={RowData::Claim { row: c.clone(), selected: sel_claim == Some(c.name.as_str()) }} />
                        }) }
                    </tbody>
                </table>
            }
        </div>
    }
}

/// One pod's row (in a [`Row`] component of its own, so a step re-renders only the rows that
/// changed).
pub(super) fn pod_tr(pod: &PodRow, selected: bool) -> Html {
    let name = &pod.name;
    html! {
        <tr data-name={name.clone()} class={classes!("pod-row", selected.then_some("selected"))}>
            <td class="name">{ name.clone() }</td>
            <td>{ pod.ready.clone() }</td>
            <td>{ pod.status.clone() }</td>
            <td>{ pod.restarts.clone() }</td>
            <td>{ pod.age.clone() }</td>
            <td class="faults">
                <button class="small" title="sim fault pod NAME crash">{"crash"}</button>
                <button class="small" title="sim fault pod NAME unready">{"unready"}</button>
                <button class="small" title="sim fault pod NAME ready">{"ready"}</button>
                <button class="small danger" title="kubectl delete pod NAME">{"delete"}</button>
                <button class="small" title="sim why pod/NAME">{"why?"}</button>
            </td>
        </tr>
    }
}

/// One claim's row (a [`Row`], as [`pod_tr`]).
pub(super) fn claim_tr(c: &ClaimRow, selected: bool) -> Html {
    html! {
        <tr data-name={c.name.clone()} class={classes!(selected.then_some("selected"))}>
            <td class="name">{ c.name.clone() }</td><td>{ c.status.clone() }</td><td class="muted">{ c.volume.clone() }</td>
            <td class="faults">
                <button class="small danger" title="kubectl delete pvc NAME --wait=false">{"delete"}</button>
                <button class="small" title="kubectl describe pvc NAME">{"describe"}</button>
            </td>
        </tr>
    }
}

use std::rc::Rc;

use yew::prelude::*;

use crate::model::{ClaimRow, PodRow};

#[derive(Properties, PartialEq)]
pub struct PodsProps {
    pub pods: Rc<Vec<PodRow>>,
    pub claims: Rc<Vec<ClaimRow>>,
    /// Runs a console line (each fault button is one).
    pub run: Callback<String>,
    /// The selected object (`kind/name`): its row is highlighted.
    #[prop_or_default]
    pub selected: Option<AttrValue>,
}

/// Pods and claims with one-click faults; every click issues the same `sim`/`kubectl` line.
#[function_component(PodList)]
pub fn pod_list(props: &PodsProps) -> Html {
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
                    { for props.pods.iter().map(|pod| {
                        let name = &pod.name;
                        html! {
                            <tr key={name.clone()} data-pod={name.clone()}
                                class={classes!("pod-row", (props.selected.as_deref() == Some(format!("pod/{name}").as_str())).then_some("selected"))}>
                                <td class="name">{ name.clone() }</td>
                                <td>{ pod.ready.clone() }</td>
                                <td>{ pod.status.clone() }</td>
                                <td>{ pod.restarts.clone() }</td>
                                <td>{ pod.age.clone() }</td>
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
            if !props.claims.is_empty() {
                <table id="claims" class="pods">
                    <thead><tr><th>{"CLAIM"}</th><th>{"STATUS"}</th><th>{"VOLUME"}</th><th></th></tr></thead>
                    <tbody>
                        { for props.claims.iter().map(|c| {
                            let name = &c.name;
                            html! {
                                <tr key={name.clone()} class={classes!((props.selected.as_deref() == Some(format!("persistentvolumeclaim/{name}").as_str())).then_some("selected"))}>
                                    <td class="name">{ name.clone() }</td><td>{ c.status.clone() }</td><td class="muted">{ c.volume.clone() }</td>
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

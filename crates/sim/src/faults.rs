//! Faults: what happens to the cluster from outside the API (`sim fault …`): a container
//! crashes, readiness forced off or on, a node's kubelet stops or comes back, an image goes
//! missing from or comes back to the registry.

use k8s_openapi::api::core::v1::{Node, Pod};

use crate::command::{Fault, SimError, split_pod_ref};
use crate::kind::node_conditions;
use crate::state::{Action, State};
use crate::store::{Actor, ApiError};
use crate::{kubelet, scheduler};

// Not inlined into `event_loop::apply_command`, so the release build can move it to the second
// wasm module when a first visit does not run it (issue #17, xtask/src/split.rs).
#[inline(never)]
pub(crate) fn fault(st: &mut State, f: &Fault) -> Result<(), SimError> {
    match f {
        Fault::PodCrash(p) | Fault::PodUnready(p) | Fault::PodReady(p) => {
            let (ns, name) = split_pod_ref(p);
            let Some(pod) = st.store.get::<Pod>(&ns, &name) else {
                return Err(ApiError::NotFound {
                    resource: "pods",
                    name,
                }
                .into());
            };
            let uid = pod.metadata.uid.clone().unwrap_or_default();
            match f {
                Fault::PodCrash(_) => kubelet::crash(st, &uid)?,
                Fault::PodUnready(_) => kubelet::set_unready(st, &uid, true)?,
                _ => kubelet::set_unready(st, &uid, false)?,
            }
        }
        Fault::NodeDown(n) => node_down(st, n)?,
        Fault::NodeUp(n) => node_up(st, n)?,
        Fault::ImageMissing(i) => {
            let n = kubelet::normalize_image(i);
            st.rt.present_images.remove(&n);
            st.rt.missing_images.insert(n);
        }
        Fault::ImagePresent(i) => {
            let n = kubelet::normalize_image(i);
            st.rt.missing_images.remove(&n);
            st.rt.present_images.insert(n);
        }
    }
    Ok(())
}

fn node_down(st: &mut State, node: &str) -> Result<(), SimError> {
    let now = st.now;
    let grace = st.dur.node_monitor_grace;
    let Some(n) = st.rt.nodes.get_mut(node) else {
        return Err(SimError::NotFound(format!(
            "Error from server (NotFound): nodes \"{node}\" not found"
        )));
    };
    if !n.up {
        return Ok(());
    }
    n.up = false;
    n.epoch += 1;
    let epoch = n.epoch;
    // The kubelet stops: forget its in-flight work.
    for p in st.rt.pods.values_mut() {
        if p.node == node {
            p.epoch += 1;
        }
    }
    st.queue.push(
        now + grace,
        Action::NodeMonitor {
            node: node.to_string(),
            epoch,
        },
    );
    Ok(())
}

fn node_up(st: &mut State, node: &str) -> Result<(), SimError> {
    let now = st.now;
    let Some(n) = st.rt.nodes.get_mut(node) else {
        return Err(SimError::NotFound(format!(
            "Error from server (NotFound): nodes \"{node}\" not found"
        )));
    };
    if n.up {
        return Ok(());
    }
    n.up = true;
    n.unreachable = false;
    n.epoch += 1;
    if let Some(mut obj) = st.store.get::<Node>("", node).map(k8sjson::copy) {
        if let Some(s) = obj.status.as_mut() {
            s.conditions = Some(node_conditions(true, now));
        }
        if let Some(spec) = obj.spec.as_mut() {
            if let Some(t) = spec.taints.as_mut() {
                t.retain(|t| t.key != "node.kubernetes.io/unreachable");
            }
            if spec.taints.as_ref().is_some_and(|t| t.is_empty()) {
                spec.taints = None;
            }
        }
        let _ = st.store.update(Actor::Harness, k8sjson::copy(&obj));
        let _ = st
            .store
            .update_status(Actor::Kubelet, obj, |s, n| s.status = n.status);
    }
    // The kubelet comes back: it resumes every pod it runs.
    let uids: Vec<String> = st
        .rt
        .pods
        .iter()
        .filter(|(_, p)| p.node == node)
        .map(|(u, _)| u.clone())
        .collect();
    for uid in uids {
        kubelet::resume(st, &uid);
    }
    scheduler::retry_unschedulable(st);
    Ok(())
}

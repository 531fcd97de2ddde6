//! The node writes of `kubectl cordon` / `uncordon` / `drain`: the unschedulable flag (and the
//! taint the node lifecycle controller mirrors it as), then drain's evictions.

use k8s_openapi::api::core::v1::{Node, Taint};

use crate::command::{Propagation, SimError};
use crate::state::State;
use crate::store::{Actor, ApiError};
use crate::time::to_k8s_time;

pub(crate) fn cordon(st: &mut State, node: &str, on: bool) -> Result<(), SimError> {
    let Some(mut obj) = st.store.get::<Node>("", node).cloned() else {
        return Err(ApiError::NotFound {
            resource: "nodes",
            name: node.to_string(),
        }
        .into());
    };
    let spec = obj.spec.get_or_insert_with(Default::default);
    let cur = spec.unschedulable.unwrap_or(false);
    if cur == on {
        return Ok(());
    }
    spec.unschedulable = if on { Some(true) } else { None };
    // The node lifecycle controller mirrors spec.unschedulable as a NoSchedule taint.
    let taints = spec.taints.get_or_insert_with(Vec::new);
    taints.retain(|t| t.key != "node.kubernetes.io/unschedulable");
    if on {
        taints.push(Taint {
            key: "node.kubernetes.io/unschedulable".into(),
            effect: "NoSchedule".into(),
            time_added: Some(to_k8s_time(st.now)),
            ..Default::default()
        });
    }
    if taints.is_empty() {
        spec.taints = None;
    }
    st.store.patch(Actor::User, obj)?;
    if !on {
        crate::scheduler::retry_unschedulable(st);
    }
    Ok(())
}

/// `kubectl drain`: cordon, then delete the node's pods (kubectl skips mirror pods and, with
/// `--ignore-daemonsets`, DaemonSet pods; kind's Deployment pods are not evicted either: no
/// ReplicaSet to replace them). Returns the pods as `ns/name`.
pub(crate) fn drain(st: &mut State, node: &str) -> Result<Vec<String>, SimError> {
    cordon(st, node, true)?;
    let pods: Vec<(String, String)> = st
        .store
        .pods
        .values()
        .filter(|p| p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some(node))
        .filter(|p| p.metadata.deletion_timestamp.is_none())
        .filter(|p| !crate::kind::system::is_system_pod(p))
        .map(|p| {
            (
                p.metadata.namespace.clone().unwrap_or_default(),
                p.metadata.name.clone().unwrap_or_default(),
            )
        })
        .collect();
    let mut messages = Vec::new();
    for (pns, pname) in &pods {
        super::delete_resource(st, "pods", pns, pname, None, Propagation::Background)?;
        messages.push(format!("{pns}/{pname}"));
    }
    Ok(messages)
}

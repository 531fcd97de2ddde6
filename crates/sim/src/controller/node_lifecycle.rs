//! The node lifecycle controller (`pkg/controller/nodelifecycle`): a node whose kubelet stopped
//! posting status turns NotReady after the grace period (conditions Unknown, the unreachable
//! taints, the `NodeNotReady` event, its pods marked not ready), and the taint eviction
//! controller (`pkg/controller/tainteviction`) deletes its pods once the toleration runs out.

use k8s_openapi::api::core::v1::{Node, Pod, Taint};

use crate::kind::node_conditions;
use crate::kubelet;
use crate::state::{Action, State};
use crate::store::Actor;
use crate::time::to_k8s_time;

pub(crate) fn node_monitor(st: &mut State, node: &str) -> Option<String> {
    let now = st.now;
    let tol = st.dur.unreachable_toleration;
    let epoch = {
        let n = st.rt.nodes.get_mut(node)?;
        n.unreachable = true;
        n.epoch
    };
    let mut obj = st.store.get::<Node>("", node).map(k8sjson::copy)?;
    if let Some(s) = obj.status.as_mut() {
        s.conditions = Some(node_conditions(false, now));
    }
    let _ = st
        .store
        .update_status(Actor::Harness, k8sjson::copy(&obj), |s, n| {
            s.status = n.status
        });
    let mut obj = st.store.get::<Node>("", node).map(k8sjson::copy)?;
    let spec = obj.spec.get_or_insert_with(Default::default);
    let taints = spec.taints.get_or_insert_with(Vec::new);
    for effect in ["NoSchedule", "NoExecute"] {
        taints.push(Taint {
            key: "node.kubernetes.io/unreachable".into(),
            effect: effect.into(),
            time_added: if effect == "NoExecute" {
                Some(to_k8s_time(now))
            } else {
                None
            },
            ..Default::default()
        });
    }
    let _ = st.store.update(Actor::Harness, obj);
    let node_ref = crate::events::reference_to(st.store.get::<Node>("", node)?, None);
    crate::events::record(
        &mut st.store,
        node_ref,
        crate::events::EventType::Normal,
        "NodeNotReady",
        &format!("Node {node} status is now: NodeNotReady"),
        "node-controller",
        None,
        now,
    );
    // pkg/controller/nodelifecycle: MarkPodsNotReady sets the pods' Ready condition False.
    let uids: Vec<String> = st
        .rt
        .pods
        .iter()
        .filter(|(_, p)| p.node == node)
        .map(|(u, _)| u.clone())
        .collect();
    for uid in uids {
        kubelet::mark_not_ready_by_node(st, &uid);
    }
    st.queue.push(
        now + tol,
        Action::Evict {
            node: node.to_string(),
            epoch,
        },
    );
    Some(format!(
        "node-lifecycle-controller: node {node} is NotReady (kubelet stopped posting node status)"
    ))
}

pub(crate) fn evict(st: &mut State, node: &str) -> Option<String> {
    let pods: Vec<(String, String)> = st
        .store
        .pods
        .values()
        .filter(|p| p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some(node))
        .filter(|p| p.metadata.deletion_timestamp.is_none())
        // Mirror and DaemonSet pods tolerate the unreachable taint forever; kind's Deployment
        // pods (coredns, local-path-provisioner) would go after 300 s and be replaced by their
        // ReplicaSet, which the playground does not run: they stay (RUNTIME.md, known gaps).
        .filter(|p| !crate::system::is_system_pod(p))
        .map(|p| {
            (
                p.metadata.namespace.clone().unwrap_or_default(),
                p.metadata.name.clone().unwrap_or_default(),
            )
        })
        .collect();
    if pods.is_empty() {
        return None;
    }
    let now = st.now;
    for (ns, name) in &pods {
        if let Some(p) = st.store.get::<Pod>(ns, name) {
            let r = crate::events::reference_to(p, None);
            crate::events::record(
                &mut st.store,
                r,
                crate::events::EventType::Normal,
                "TaintManagerEviction",
                &format!("Marking for deletion Pod {ns}/{name}"),
                "taint-eviction-controller",
                None,
                now,
            );
        }
        let g = st
            .store
            .get::<Pod>(ns, name)
            .and_then(|p| p.spec.as_ref())
            .and_then(|s| s.termination_grace_period_seconds)
            .unwrap_or(30);
        let _ = st
            .store
            .delete::<Pod>(Actor::Harness, ns, name, Some(g), now);
    }
    Some(format!(
        "taint-eviction-controller: evicted {} pod(s) from unreachable node {node}",
        pods.len()
    ))
}

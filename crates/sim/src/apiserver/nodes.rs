//! The node writes of `kubectl cordon` / `uncordon` / `drain`: the unschedulable flag (and the
//! taint the node lifecycle controller mirrors it as), then drain's evictions; and the pods'
//! eviction subresource (`evict`), which drain uses.

use k8s_openapi::api::core::v1::{Node, Pod, Taint};
use k8s_openapi::api::policy::v1::PodDisruptionBudget;

use crate::command::{Propagation, SimError};
use crate::state::State;
use crate::store::{Actor, ApiError};
use crate::time::to_k8s_time;

// Not inlined into `event_loop::apply_command`, so the release build can move it to the second
// wasm module when a first visit does not run it (issue #17, xtask/src/split.rs).
#[inline(never)]
pub(crate) fn cordon(st: &mut State, node: &str, on: bool) -> Result<(), SimError> {
    let Some(mut obj) = st.store.get::<Node>("", node).map(k8sjson::copy) else {
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
// Not inlined into `event_loop::apply_command`, so the release build can move it to the second
// wasm module when a first visit does not run it (issue #17, xtask/src/split.rs).
#[inline(never)]
pub(crate) fn drain(st: &mut State, node: &str) -> Result<Vec<String>, SimError> {
    cordon(st, node, true)?;
    let pods = drain_targets(&st.store, node);
    let mut messages = Vec::new();
    for (pns, pname) in &pods {
        super::delete_resource(st, "pods", pns, pname, None, Propagation::Background)?;
        messages.push(format!("{pns}/{pname}"));
    }
    Ok(messages)
}

/// The pods `kubectl drain` evicts from a node (kubectl `pkg/drain/filters.go`: pods being
/// deleted too; not kind's own pods), as (namespace, name).
pub fn drain_targets(store: &crate::store::Store, node: &str) -> Vec<(String, String)> {
    store
        .pods
        .values()
        .filter(|p| p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some(node))
        .filter(|p| !crate::kind::system::is_system_pod(p))
        .map(|p| {
            (
                p.metadata.namespace.clone().unwrap_or_default(),
                p.metadata.name.clone().unwrap_or_default(),
            )
        })
        .collect()
}

/// The message of a refused eviction (`pkg/registry/core/pod/storage/eviction.go`).
pub const EVICTION_REFUSED: &str =
    "Cannot evict pod as it would violate the pod's disruption budget.";

/// The budgets that cover a pod (`getPodDisruptionBudgets`: an empty or nil selector covers
/// nothing here).
pub fn budgets_of<'a>(
    store: &'a crate::store::Store,
    pod: &'a Pod,
) -> impl Iterator<Item = &'a PodDisruptionBudget> + 'a {
    let ns = pod.metadata.namespace.as_deref().unwrap_or("default");
    store
        .list::<PodDisruptionBudget>(Some(ns))
        .filter(move |b| {
            let sel = b.spec.as_ref().and_then(|s| s.selector.as_ref());
            let empty = sel.is_none_or(|s| {
                s.match_labels.as_ref().is_none_or(|m| m.is_empty())
                    && s.match_expressions.as_ref().is_none_or(|m| m.is_empty())
            });
            !empty && crate::controller::meta::selector_matches(sel, pod.metadata.labels.as_ref())
        })
}

/// `POST pods/NAME/eviction` (`pkg/registry/core/pod/storage/eviction.go` `Create`): a pod
/// that is pending, terminal or already being deleted is deleted without looking at budgets;
/// one covered by more than one budget is a 500; a budget whose status is behind its
/// generation, or that allows no disruption, refuses with 429 (an unready pod still goes when
/// the budget is met, or always with `unhealthyPodEvictionPolicy: AlwaysAllow`); otherwise
/// the budget's `disruptionsAllowed` goes down by one, the pod is recorded in
/// `disruptedPods`, and the pod is deleted (its own grace period).
// Not inlined into `event_loop::apply_command`, so the release build can move it to the second
// wasm module when a first visit does not run it (issue #17, xtask/src/split.rs).
#[inline(never)]
pub(crate) fn evict(st: &mut State, ns: &str, name: &str) -> Result<(), SimError> {
    let Some(pod) = st.store.get::<Pod>(ns, name).map(k8sjson::copy) else {
        return Err(ApiError::NotFound {
            resource: "pods",
            name: name.to_string(),
        }
        .into());
    };
    let phase = crate::controller::podutil::phase(&pod);
    let ignore_budgets = matches!(phase, "Succeeded" | "Failed" | "Pending")
        || pod.metadata.deletion_timestamp.is_some();
    if !ignore_budgets {
        let pdbs: Vec<PodDisruptionBudget> =
            budgets_of(&st.store, &pod).map(k8sjson::copy).collect();
        if pdbs.len() > 1 {
            return Err(ApiError::Internal {
                message: "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.".into(),
            }
            .into());
        }
        if let Some(pdb) = pdbs.into_iter().next() {
            let ready = crate::controller::podutil::is_pod_ready(&pod);
            let spec = k8sjson::copy(&pdb.spec).unwrap_or_default();
            let mut status = k8sjson::copy(&pdb.status).unwrap_or_default();
            let always = spec.unhealthy_pod_eviction_policy.as_deref() == Some("AlwaysAllow");
            let budget_met =
                status.current_healthy >= status.desired_healthy && status.desired_healthy > 0;
            if !(!ready && (always || budget_met)) {
                // checkAndDecrement
                let too_many = ApiError::TooManyRequests {
                    message: EVICTION_REFUSED.into(),
                };
                if status.observed_generation.unwrap_or(0) < pdb.metadata.generation.unwrap_or(0)
                    || status.disruptions_allowed == 0
                {
                    return Err(too_many.into());
                }
                if status.disruptions_allowed < 0 {
                    return Err(ApiError::Forbidden {
                        message: format!(
                            "poddisruptionbudget.policy \"{}\" is forbidden: pdb disruptions allowed is negative",
                            pdb.metadata.name.as_deref().unwrap_or("")
                        ),
                    }
                    .into());
                }
                status.disruptions_allowed -= 1;
                if status.disruptions_allowed == 0 {
                    crate::controller::disruption::update_condition(&mut status, st.now);
                }
                status
                    .disrupted_pods
                    .get_or_insert_with(Default::default)
                    .insert(name.to_string(), to_k8s_time(st.now));
                let pname = pdb.metadata.name.clone().unwrap_or_default();
                st.store
                    .write_status::<PodDisruptionBudget>(Actor::User, ns, &pname, |p| {
                        p.status = Some(status)
                    })?;
            }
        }
    }
    // `addConditionAndDeletePod`: the pod is marked before it is deleted (PodDisruptionConditions,
    // GA in v1.31).
    if pod.metadata.deletion_timestamp.is_none() {
        let now = to_k8s_time(st.now);
        st.store.write_status::<Pod>(Actor::User, ns, name, |p| {
            let conds = p
                .status
                .get_or_insert_with(Default::default)
                .conditions
                .get_or_insert_with(Vec::new);
            if !conds
                .iter()
                .any(|c| c.type_ == "DisruptionTarget" && c.status == "True")
            {
                conds.retain(|c| c.type_ != "DisruptionTarget");
                conds.push(k8s_openapi::api::core::v1::PodCondition {
                    type_: "DisruptionTarget".into(),
                    status: "True".into(),
                    reason: Some("EvictionByEvictionAPI".into()),
                    message: Some("Eviction API: evicting".into()),
                    last_transition_time: Some(now),
                    ..Default::default()
                });
            }
        })?;
    }
    super::delete_resource(st, "pods", ns, name, None, Propagation::Background)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::store::ApiError;
    use crate::{Cluster, Command, SimError};
    use k8s_openapi::api::policy::v1::PodDisruptionBudget;

    fn cluster(pdb: serde_json::Value) -> Cluster {
        let mut c = Cluster::new(Default::default());
        let set = serde_json::json!({
            "apiVersion": "apps/v1", "kind": "StatefulSet",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {"serviceName": "web", "replicas": 3,
                "selector": {"matchLabels": {"app": "web"}},
                "template": {"metadata": {"labels": {"app": "web"}},
                    "spec": {"containers": [{"name": "nginx", "image": "nginx:1.26.0"}]}}}
        });
        c.apply(Command::Create(crate::object::AnyObject::StatefulSet(
            Box::new(serde_json::from_value(set).unwrap()),
        )))
        .unwrap();
        let pdb: PodDisruptionBudget = serde_json::from_value(pdb).unwrap();
        c.apply(Command::Create(pdb.into())).unwrap();
        c.settle(10_000);
        c
    }

    fn evict(c: &mut Cluster, name: &str) -> Result<(), SimError> {
        c.apply(Command::Evict {
            ns: "default".into(),
            name: name.into(),
        })
        .map(|_| ())
    }

    fn status(c: &Cluster, name: &str) -> (i32, i32, i32, i32) {
        let s = c
            .store()
            .get::<PodDisruptionBudget>("default", name)
            .and_then(|p| p.status.clone())
            .unwrap_or_default();
        (
            s.expected_pods,
            s.desired_healthy,
            s.current_healthy,
            s.disruptions_allowed,
        )
    }

    /// `pkg/registry/core/pod/storage/eviction.go`: one eviction goes through and takes the
    /// budget's only disruption (recorded in `disruptedPods` until the controller sees the
    /// deletion); the next is a 429 with upstream's message.
    #[test]
    fn eviction_takes_the_budget_and_the_next_is_refused() {
        let mut c = cluster(serde_json::json!({
            "apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
            "metadata": {"name": "web-pdb", "namespace": "default"},
            "spec": {"maxUnavailable": 1, "selector": {"matchLabels": {"app": "web"}}}
        }));
        assert_eq!(status(&c, "web-pdb"), (3, 2, 3, 1));
        evict(&mut c, "web-0").unwrap();
        // `addConditionAndDeletePod`: marked, then deleted gracefully.
        let pod = c
            .store()
            .get::<k8s_openapi::api::core::v1::Pod>("default", "web-0")
            .unwrap();
        assert!(pod.metadata.deletion_timestamp.is_some());
        let cond = pod
            .status
            .as_ref()
            .and_then(|s| s.conditions.as_ref())
            .and_then(|cs| cs.iter().find(|c| c.type_ == "DisruptionTarget"))
            .unwrap();
        assert_eq!(
            (cond.reason.as_deref(), cond.message.as_deref()),
            (
                Some("EvictionByEvictionAPI"),
                Some("Eviction API: evicting")
            )
        );
        let (_, _, _, allowed) = status(&c, "web-pdb");
        assert_eq!(allowed, 0);
        assert_eq!(
            evict(&mut c, "web-1"),
            Err(SimError::Api(ApiError::TooManyRequests {
                message: super::EVICTION_REFUSED.into()
            }))
        );
        assert!(matches!(
            evict(&mut c, "nope"),
            Err(SimError::Api(ApiError::NotFound { .. }))
        ));
    }

    /// `minAvailable` as a number counts the pods there are (`getExpectedPodCount`); a
    /// percent takes the controller's scale, rounded up.
    #[test]
    fn min_available_number_and_percent() {
        let c = cluster(serde_json::json!({
            "apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
            "metadata": {"name": "p", "namespace": "default"},
            "spec": {"minAvailable": "50%", "selector": {"matchLabels": {"app": "web"}}}
        }));
        assert_eq!(status(&c, "p"), (3, 2, 3, 1));
        let c = cluster(serde_json::json!({
            "apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
            "metadata": {"name": "n", "namespace": "default"},
            "spec": {"minAvailable": 3, "selector": {"matchLabels": {"app": "web"}}}
        }));
        assert_eq!(status(&c, "n"), (3, 3, 3, 0));
    }
}

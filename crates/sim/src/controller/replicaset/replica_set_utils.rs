//! `replica_set_utils.go`: a ReplicaSet's status from its pods (`calculateStatus`), the
//! ReplicaFailure condition, and when the status needs no write (`updateReplicaSetStatus`).

use std::sync::Arc;

use k8s_openapi::api::apps::v1::{ReplicaSet, ReplicaSetCondition, ReplicaSetStatus};
use k8s_openapi::api::core::v1::Pod;

use crate::controller::controller_utils::rs_replicas;
use crate::controller::podutil::{is_available, is_pod_ready};
use crate::time::{SimTime, to_k8s_time};

/// An omitempty counter: zero is left out of the object.
fn count(n: usize) -> Option<i32> {
    let n = i32::try_from(n).unwrap_or(i32::MAX);
    (n != 0).then_some(n)
}

/// `calculateStatus`: replicas (active pods), fully labeled (pods whose labels include the
/// template's), ready, available (ready for minReadySeconds), terminating (with
/// DeploymentReplicaSetTerminatingReplicas), and the ReplicaFailure condition from the last
/// `manageReplicas` error.
pub(crate) fn calculate_status(
    rs: &ReplicaSet,
    active: &[Arc<Pod>],
    terminating: Option<&[Arc<Pod>]>,
    manage_err: Option<&str>,
    now: SimTime,
) -> ReplicaSetStatus {
    let mut status = k8sjson::copy(&rs.status).unwrap_or_default();
    let spec = k8sjson::copy(&rs.spec).unwrap_or_default();
    let mrs = i64::from(spec.min_ready_seconds.unwrap_or(0));
    let template_labels = spec
        .template
        .as_ref()
        .and_then(|t| t.metadata.as_ref())
        .and_then(|m| m.labels.clone())
        .unwrap_or_default();
    let mut fully = 0;
    let mut ready = 0;
    let mut available = 0;
    for p in active {
        let labels = p.metadata.labels.clone().unwrap_or_default();
        if template_labels
            .iter()
            .all(|(k, v)| labels.get(k) == Some(v))
        {
            fully += 1;
        }
        if is_pod_ready(p) {
            ready += 1;
            if is_available(p, mrs, now) {
                available += 1;
            }
        }
    }
    let has_failure = status
        .conditions
        .iter()
        .flatten()
        .any(|c| c.type_ == "ReplicaFailure");
    match manage_err {
        Some(e) if !has_failure => {
            let reason = match active.len().cmp(&(rs_replicas(rs).max(0) as usize)) {
                std::cmp::Ordering::Less => "FailedCreate",
                std::cmp::Ordering::Greater => "FailedDelete",
                std::cmp::Ordering::Equal => "",
            };
            status
                .conditions
                .get_or_insert_with(Vec::new)
                .push(ReplicaSetCondition {
                    type_: "ReplicaFailure".into(),
                    status: "True".into(),
                    last_transition_time: Some(to_k8s_time(now)),
                    reason: Some(reason.into()),
                    message: Some(e.to_string()),
                });
        }
        None if has_failure => {
            if let Some(cs) = status.conditions.as_mut() {
                cs.retain(|c| c.type_ != "ReplicaFailure");
            }
            if status.conditions.as_ref().is_some_and(Vec::is_empty) {
                status.conditions = None;
            }
        }
        _ => {}
    }
    status.replicas = i32::try_from(active.len()).unwrap_or(i32::MAX);
    status.fully_labeled_replicas = count(fully);
    status.ready_replicas = count(ready);
    status.available_replicas = count(available);
    status.terminating_replicas = terminating.map(|t| i32::try_from(t.len()).unwrap_or(i32::MAX));
    status
}

/// `updateReplicaSetStatus`'s steady state: the counts, the conditions and the observed
/// generation are already what they should be.
pub(crate) fn status_unchanged(rs: &ReplicaSet, new: &ReplicaSetStatus) -> bool {
    let Some(cur) = rs.status.as_ref() else {
        return false;
    };
    cur.replicas == new.replicas
        && cur.fully_labeled_replicas == new.fully_labeled_replicas
        && cur.ready_replicas == new.ready_replicas
        && cur.available_replicas == new.available_replicas
        && cur.terminating_replicas == new.terminating_replicas
        && rs.metadata.generation == cur.observed_generation
        && cur.conditions == new.conditions
}

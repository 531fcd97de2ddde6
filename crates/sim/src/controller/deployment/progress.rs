//! `progress.go`: the status during a rollout (`syncRolloutStatus`): the Progressing
//! condition (NewReplicaSetAvailable when complete, ReplicaSetUpdated while progress is made,
//! ProgressDeadlineExceeded when none was made for `progressDeadlineSeconds`), ReplicaFailure
//! from the ReplicaSets, and the requeue for the next progress check
//! (`requeueStuckDeployment`).

use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};

use super::dc::Dc;
use super::sync::{calculate_status, update_deployment_status};
use super::util::*;
use crate::time::from_k8s_time;

/// `syncRolloutStatus`.
pub(crate) fn sync_rollout_status(
    dc: &mut Dc<'_>,
    all: &[&ReplicaSet],
    new_rs: Option<&ReplicaSet>,
    d: &mut Deployment,
) -> Result<(), String> {
    let mut new_status = calculate_status(dc, all, new_rs, d);
    let now = dc.now;
    if !has_progress_deadline(d) {
        remove_condition(&mut new_status, "Progressing");
    }
    let cur_status = k8sjson::copy(&d.status).unwrap_or_default();
    let current = get_condition(&cur_status, "Progressing").map(k8sjson::copy);
    let complete = new_status.replicas == new_status.updated_replicas
        && current
            .as_ref()
            .is_some_and(|c| c.reason.as_deref() == Some(NEW_RS_AVAILABLE_REASON));
    let name = d.metadata.name.clone().unwrap_or_default();
    let rs_name = new_rs.and_then(|r| r.metadata.name.clone());
    if has_progress_deadline(d) && !complete {
        if deployment_complete(d, &new_status) {
            let msg = match &rs_name {
                Some(n) => format!("ReplicaSet \"{n}\" has successfully progressed."),
                None => format!("Deployment \"{name}\" has successfully progressed."),
            };
            set_condition(
                &mut new_status,
                new_condition("Progressing", "True", NEW_RS_AVAILABLE_REASON, &msg, now),
            );
        } else if deployment_progressing(d, &new_status) {
            let msg = match &rs_name {
                Some(n) => format!("ReplicaSet \"{n}\" is progressing."),
                None => format!("Deployment \"{name}\" is progressing."),
            };
            let mut c = new_condition("Progressing", "True", REPLICA_SET_UPDATED_REASON, &msg, now);
            if let Some(cur) = &current {
                if cur.status == "True" {
                    c.last_transition_time = cur.last_transition_time.clone();
                }
                remove_condition(&mut new_status, "Progressing");
            }
            set_condition(&mut new_status, c);
        } else if deployment_timed_out(d, &new_status, now) {
            let msg = match &rs_name {
                Some(n) => format!("ReplicaSet \"{n}\" has timed out progressing."),
                None => format!("Deployment \"{name}\" has timed out progressing."),
            };
            set_condition(
                &mut new_status,
                new_condition("Progressing", "False", TIMED_OUT_REASON, &msg, now),
            );
        }
    }
    match replica_failures(all, new_rs).into_iter().next() {
        Some(c) => set_condition(&mut new_status, c),
        None => remove_condition(&mut new_status, "ReplicaFailure"),
    }
    if d.status.as_ref() == Some(&new_status) {
        requeue_stuck_deployment(dc, d, &new_status);
        return Ok(());
    }
    d.status = Some(new_status);
    update_deployment_status(dc, d)
}

/// `getReplicaFailures`: the new ReplicaSet's ReplicaFailure, else the old ones'.
fn replica_failures(
    all: &[&ReplicaSet],
    new_rs: Option<&ReplicaSet>,
) -> Vec<k8s_openapi::api::apps::v1::DeploymentCondition> {
    let of = |rs: &ReplicaSet| {
        rs.status
            .iter()
            .flat_map(|s| s.conditions.iter().flatten())
            .filter(|c| c.type_ == "ReplicaFailure")
            .map(rs_to_deployment_condition)
            .collect::<Vec<_>>()
    };
    if let Some(rs) = new_rs {
        let v = of(rs);
        if !v.is_empty() {
            return v;
        }
    }
    all.iter().flat_map(|rs| of(rs)).collect()
}

/// `requeueStuckDeployment`: when no progress shows, check again when the deadline passes.
fn requeue_stuck_deployment(
    dc: &mut Dc<'_>,
    d: &Deployment,
    new_status: &k8s_openapi::api::apps::v1::DeploymentStatus,
) {
    let status = k8sjson::copy(&d.status).unwrap_or_default();
    let Some(cur) = get_condition(&status, "Progressing") else {
        return;
    };
    if !has_progress_deadline(d)
        || deployment_complete(d, new_status)
        || cur.reason.as_deref() == Some(TIMED_OUT_REASON)
    {
        return;
    }
    // Not upstream: with the reason NewReplicaSetAvailable (a scale after a finished rollout)
    // `DeploymentTimedOut` is false and the progress estimate is skipped, so upstream's check
    // changes nothing and, once due, is rate-limited again and again (every 5 ms: the sync
    // succeeds and `Forget` resets the backoff). The playground does not queue it; any pod or
    // ReplicaSet change syncs the Deployment anyway.
    if cur.reason.as_deref() == Some(NEW_RS_AVAILABLE_REASON) {
        return;
    }
    let last = cur
        .last_update_time
        .as_ref()
        .map(from_k8s_time)
        .unwrap_or(0);
    let due = last + (progress_deadline_seconds(d).max(0) as u64) * 1000;
    let after = due.saturating_sub(dc.now);
    if after < 1000 {
        // enqueueRateLimited: soon (the first retry of the rate limiter, 5 ms).
        dc.requeue(5);
    } else {
        // Add a second to avoid milliseconds skew in AddAfter.
        dc.requeue(after + 1000);
    }
}

//! `rolling.go`: a RollingUpdate rollout: scale the new ReplicaSet up within `maxSurge`
//! (`reconcileNewReplicaSet`), then the old ones down within `maxUnavailable`
//! (`reconcileOldReplicaSets`: unhealthy replicas first, `cleanupUnhealthyReplicas`, then
//! available ones, `scaleDownOldReplicaSetsForRollingUpdate`), one step per sync.

use crate::sort::Sort as _;
use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};

use super::dc::Dc;
use super::progress::sync_rollout_status;
use super::sync::{
    cleanup_deployment, get_all_replica_sets_and_sync_revision, scale_replica_set_and_record_event,
};
use super::util::*;
use crate::controller::controller_utils::{
    by_creation_timestamp, filter_active_replica_sets, rs_replicas,
};

/// `rolloutRolling`.
pub(crate) fn rollout_rolling(
    dc: &mut Dc<'_>,
    d: &mut Deployment,
    rs_list: &[ReplicaSet],
) -> Result<(), String> {
    let (new_rs, old) = get_all_replica_sets_and_sync_revision(dc, d, rs_list, true)?;
    let Some(new_rs) = new_rs else {
        return Ok(());
    };
    let all: Vec<&ReplicaSet> = old.iter().chain(std::iter::once(&new_rs)).collect();
    if reconcile_new_replica_set(dc, &all, &new_rs, d)? {
        return sync_rollout_status(dc, &all, Some(&new_rs), d);
    }
    let active_old: Vec<ReplicaSet> = filter_active_replica_sets(old.iter())
        .into_iter()
        .map(k8sjson::copy)
        .collect();
    if reconcile_old_replica_sets(dc, &all, active_old, &new_rs, d)? {
        return sync_rollout_status(dc, &all, Some(&new_rs), d);
    }
    if deployment_complete(d, &k8sjson::copy(&d.status).unwrap_or_default()) {
        cleanup_deployment(dc, &old, d)?;
    }
    sync_rollout_status(dc, &all, Some(&new_rs), d)
}

/// `reconcileNewReplicaSet`.
fn reconcile_new_replica_set(
    dc: &mut Dc<'_>,
    all: &[&ReplicaSet],
    new_rs: &ReplicaSet,
    d: &Deployment,
) -> Result<bool, String> {
    if rs_replicas(new_rs) == replicas(d) {
        return Ok(false);
    }
    if rs_replicas(new_rs) > replicas(d) {
        return scale_replica_set_and_record_event(dc, new_rs, replicas(d), d).map(|(s, _)| s);
    }
    let count = new_rs_new_replicas(d, all, new_rs)?;
    scale_replica_set_and_record_event(dc, new_rs, count, d).map(|(s, _)| s)
}

/// `reconcileOldReplicaSets`.
fn reconcile_old_replica_sets(
    dc: &mut Dc<'_>,
    all: &[&ReplicaSet],
    old: Vec<ReplicaSet>,
    new_rs: &ReplicaSet,
    d: &Deployment,
) -> Result<bool, String> {
    let old_pods = replica_count(old.iter());
    if old_pods == 0 {
        return Ok(false);
    }
    let all_pods = replica_count(all.iter().copied());
    let max_unavailable = max_unavailable(d);
    let min_available = replicas(d) - max_unavailable;
    let new_unavailable = rs_replicas(new_rs)
        - new_rs
            .status
            .as_ref()
            .and_then(|s| s.available_replicas)
            .unwrap_or(0);
    let max_scaled_down = all_pods - min_available - new_unavailable;
    if max_scaled_down <= 0 {
        return Ok(false);
    }
    // Upstream ignores the errors of both steps here (returns `false, nil`).
    let Ok((old, cleanup_count)) = cleanup_unhealthy_replicas(dc, old, d, max_scaled_down) else {
        return Ok(false);
    };
    let all: Vec<&ReplicaSet> = old.iter().chain(std::iter::once(new_rs)).collect();
    let Ok(scaled_down) = scale_down_old_replica_sets_for_rolling_update(dc, &all, &old, d) else {
        return Ok(false);
    };
    Ok(cleanup_count + scaled_down > 0)
}

/// `cleanupUnhealthyReplicas`: scale down the unavailable replicas of old ReplicaSets,
/// oldest first, up to `max_cleanup`.
fn cleanup_unhealthy_replicas(
    dc: &mut Dc<'_>,
    mut old: Vec<ReplicaSet>,
    d: &Deployment,
    max_cleanup: i32,
) -> Result<(Vec<ReplicaSet>, i32), String> {
    old.stable_sort_by(by_creation_timestamp);
    let mut total = 0;
    for i in 0..old.len() {
        if total >= max_cleanup {
            break;
        }
        let Some(target) = old.get(i) else { break };
        let available = target
            .status
            .as_ref()
            .and_then(|s| s.available_replicas)
            .unwrap_or(0);
        if rs_replicas(target) == 0 || rs_replicas(target) == available {
            continue;
        }
        let down = (max_cleanup - total).min(rs_replicas(target) - available);
        let new_count = rs_replicas(target) - down;
        if new_count > rs_replicas(target) {
            return Err(format!(
                "when cleaning up unhealthy replicas, got invalid request to scale down {}/{} {} -> {new_count}",
                target.metadata.namespace.as_deref().unwrap_or(""),
                target.metadata.name.as_deref().unwrap_or(""),
                rs_replicas(target)
            ));
        }
        let (_, updated) = scale_replica_set_and_record_event(dc, target, new_count, d)?;
        total += down;
        if let Some(slot) = old.get_mut(i) {
            *slot = updated;
        }
    }
    Ok((old, total))
}

/// `scaleDownOldReplicaSetsForRollingUpdate`: scale old ReplicaSets down, oldest first, by
/// as many replicas as are available beyond `replicas - maxUnavailable`.
fn scale_down_old_replica_sets_for_rolling_update(
    dc: &mut Dc<'_>,
    all: &[&ReplicaSet],
    old: &[ReplicaSet],
    d: &Deployment,
) -> Result<i32, String> {
    let min_available = replicas(d) - max_unavailable(d);
    let available = available_replica_count(all.iter().copied());
    if available <= min_available {
        return Ok(0);
    }
    let mut sorted: Vec<&ReplicaSet> = old.iter().collect();
    sorted.stable_sort_by(|a, b| by_creation_timestamp(a, b));
    let mut total = 0;
    let to_scale_down = available - min_available;
    for target in sorted {
        if total >= to_scale_down {
            break;
        }
        if rs_replicas(target) == 0 {
            continue;
        }
        let down = rs_replicas(target).min(to_scale_down - total);
        let new_count = rs_replicas(target) - down;
        scale_replica_set_and_record_event(dc, target, new_count, d)?;
        total += down;
    }
    Ok(total)
}

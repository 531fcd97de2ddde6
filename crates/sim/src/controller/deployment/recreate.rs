//! `recreate.go`: a Recreate rollout: scale every old ReplicaSet to zero, wait until no old
//! pod runs, then create and scale up the new ReplicaSet.

use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};

use super::dc::{Dc, PodMap};
use super::progress::sync_rollout_status;
use super::sync::{
    cleanup_deployment, get_all_replica_sets_and_sync_revision, scale_replica_set_and_record_event,
};
use super::util::*;
use crate::controller::controller_utils::{filter_active_replica_sets, rs_replicas};
use crate::controller::podutil::phase;

/// `rolloutRecreate`.
pub(crate) fn rollout_recreate(
    dc: &mut Dc<'_>,
    d: &mut Deployment,
    rs_list: &[ReplicaSet],
    pod_map: &PodMap,
) -> Result<(), String> {
    let (mut new_rs, mut old) = get_all_replica_sets_and_sync_revision(dc, d, rs_list, false)?;
    let all: Vec<ReplicaSet> = old
        .iter()
        .map(k8sjson::copy)
        .chain(k8sjson::copy(&new_rs))
        .collect();
    let all_refs: Vec<&ReplicaSet> = all.iter().collect();
    let active_old: Vec<ReplicaSet> = filter_active_replica_sets(old.iter())
        .into_iter()
        .map(k8sjson::copy)
        .collect();
    if scale_down_old_replica_sets_for_recreate(dc, &active_old, d)? {
        return sync_rollout_status(dc, &all_refs, new_rs.as_ref(), d);
    }
    if old_pods_running(new_rs.as_ref(), &old, pod_map) {
        return sync_rollout_status(dc, &all_refs, new_rs.as_ref(), d);
    }
    if new_rs.is_none() {
        (new_rs, old) = get_all_replica_sets_and_sync_revision(dc, d, rs_list, true)?;
    }
    let all: Vec<ReplicaSet> = old
        .iter()
        .map(k8sjson::copy)
        .chain(k8sjson::copy(&new_rs))
        .collect();
    let all_refs: Vec<&ReplicaSet> = all.iter().collect();
    if let Some(rs) = new_rs.as_ref() {
        scale_replica_set_and_record_event(dc, rs, replicas(d), d)?;
    }
    if deployment_complete(d, &k8sjson::copy(&d.status).unwrap_or_default()) {
        cleanup_deployment(dc, &old, d)?;
    }
    sync_rollout_status(dc, &all_refs, new_rs.as_ref(), d)
}

/// `scaleDownOldReplicaSetsForRecreate`.
fn scale_down_old_replica_sets_for_recreate(
    dc: &mut Dc<'_>,
    old: &[ReplicaSet],
    d: &Deployment,
) -> Result<bool, String> {
    let mut scaled = false;
    for rs in old {
        if rs_replicas(rs) == 0 {
            continue;
        }
        let (s, _) = scale_replica_set_and_record_event(dc, rs, 0, d)?;
        scaled |= s;
    }
    Ok(scaled)
}

/// `oldPodsRunning`: an old ReplicaSet reports pods, or a pod of one is not terminal yet.
fn old_pods_running(new_rs: Option<&ReplicaSet>, old: &[ReplicaSet], pod_map: &PodMap) -> bool {
    if actual_replica_count(old.iter()) > 0 {
        return true;
    }
    let new_uid = new_rs.and_then(|rs| rs.metadata.uid.clone());
    pod_map.iter().any(|(uid, pods)| {
        Some(uid) != new_uid.as_ref()
            && pods
                .iter()
                .any(|p| !matches!(phase(p), "Failed" | "Succeeded"))
    })
}

//! `sync.go`: the new and old ReplicaSets of a Deployment and its revision
//! (`getAllReplicaSetsAndSyncRevision`, `getNewReplicaSet`: the new ReplicaSet is
//! `<deployment>-<pod-template-hash>`), scaling (`scale`: proportionally across the active
//! ReplicaSets during a rollout), the revision history (`cleanupDeployment`), the status
//! (`calculateStatus`) and the paused conditions.

use crate::sort::Sort as _;
use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{Deployment, DeploymentStatus, ReplicaSet, ReplicaSetSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::dc::{ACTOR, Dc};
use super::util::*;
use crate::config::K8sVersion;
use crate::controller::controller_utils::{
    POD_TEMPLATE_HASH_LABEL, by_creation_timestamp, by_size_newer, by_size_older, compute_hash,
    filter_active_replica_sets, new_controller_ref, rs_replicas,
};
use crate::controller::meta::controller_of;
use crate::events::EventType;
use crate::store::ApiError;

fn conflict(kind: &str, name: &str) -> String {
    format!(
        "Operation cannot be fulfilled on {kind} \"{name}\": the object has been modified; please apply your changes to the latest version and try again"
    )
}

/// A PUT of a ReplicaSet read at sync start: refused (a conflict) when someone wrote it since.
pub(crate) fn update_rs(dc: &mut Dc<'_>, rs: ReplicaSet) -> Result<ReplicaSet, String> {
    let ns = rs.metadata.namespace.clone().unwrap_or_default();
    let name = rs.metadata.name.clone().unwrap_or_default();
    let stored_rv = dc
        .store
        .get::<ReplicaSet>(&ns, &name)
        .and_then(|s| s.metadata.resource_version.clone());
    match stored_rv {
        None => {
            return Err(ApiError::NotFound {
                resource: "replicasets.apps",
                name,
            }
            .to_string());
        }
        Some(rv) if Some(&rv) != rs.metadata.resource_version.as_ref() => {
            return Err(conflict("replicasets.apps", &name));
        }
        _ => {}
    }
    match dc.store.update(ACTOR, rs) {
        Ok(r) => {
            dc.wrote = true;
            Ok(r)
        }
        Err(e) => Err(e.to_string()),
    }
}

/// The Deployment's `UpdateStatus` from a copy read at sync start (a conflict when it was
/// written since, as upstream's second status write of a sync is).
pub(crate) fn update_deployment_status(dc: &mut Dc<'_>, d: &Deployment) -> Result<(), String> {
    let ns = d.metadata.namespace.clone().unwrap_or_default();
    let name = d.metadata.name.clone().unwrap_or_default();
    let stored_rv = dc
        .store
        .get::<Deployment>(&ns, &name)
        .and_then(|s| s.metadata.resource_version.clone());
    if stored_rv.as_ref() != d.metadata.resource_version.as_ref() {
        return Err(conflict("deployments.apps", &name));
    }
    dc.update_status(d)
}

/// `syncStatusOnly`.
pub(crate) fn sync_status_only(
    dc: &mut Dc<'_>,
    d: &mut Deployment,
    rs_list: &[ReplicaSet],
) -> Result<(), String> {
    let (new_rs, old) = get_all_replica_sets_and_sync_revision(dc, d, rs_list, false)?;
    let all: Vec<&ReplicaSet> = old.iter().chain(new_rs.as_ref()).collect();
    sync_deployment_status(dc, &all, new_rs.as_ref(), d)
}

/// `sync`: scaling events and paused Deployments.
pub(crate) fn sync(
    dc: &mut Dc<'_>,
    d: &mut Deployment,
    rs_list: &[ReplicaSet],
) -> Result<(), String> {
    let (new_rs, old) = get_all_replica_sets_and_sync_revision(dc, d, rs_list, false)?;
    scale(dc, d, new_rs.as_ref(), &old)?;
    if paused(d) && get_rollback_to(d).is_none() {
        cleanup_deployment(dc, &old, d)?;
    }
    let all: Vec<&ReplicaSet> = old.iter().chain(new_rs.as_ref()).collect();
    sync_deployment_status(dc, &all, new_rs.as_ref(), d)
}

/// `checkPausedConditions`.
pub(crate) fn check_paused_conditions(dc: &mut Dc<'_>, d: &mut Deployment) -> Result<(), String> {
    if !has_progress_deadline(d) {
        return Ok(());
    }
    let status = k8sjson::copy(&d.status).unwrap_or_default();
    let cond = get_condition(&status, "Progressing");
    if cond.is_some_and(|c| c.reason.as_deref() == Some(TIMED_OUT_REASON)) {
        return Ok(());
    }
    let paused_cond = cond.is_some_and(|c| c.reason.as_deref() == Some(PAUSED_DEPLOY_REASON));
    let now = dc.now;
    let is_paused = paused(d);
    let s = d.status.get_or_insert_with(DeploymentStatus::default);
    if is_paused && !paused_cond {
        set_condition(
            s,
            new_condition(
                "Progressing",
                "Unknown",
                PAUSED_DEPLOY_REASON,
                "Deployment is paused",
                now,
            ),
        );
    } else if !is_paused && paused_cond {
        set_condition(
            s,
            new_condition(
                "Progressing",
                "Unknown",
                RESUMED_DEPLOY_REASON,
                "Deployment is resumed",
                now,
            ),
        );
    } else {
        return Ok(());
    }
    update_deployment_status(dc, d)
}

/// `getAllReplicaSetsAndSyncRevision`.
pub(crate) fn get_all_replica_sets_and_sync_revision(
    dc: &mut Dc<'_>,
    d: &mut Deployment,
    rs_list: &[ReplicaSet],
    create: bool,
) -> Result<(Option<ReplicaSet>, Vec<ReplicaSet>), String> {
    let old = find_old_replica_sets(d, rs_list);
    let new_rs = get_new_replica_set(dc, d, rs_list, &old, create)?;
    Ok((new_rs, old))
}

/// `getNewReplicaSet`.
fn get_new_replica_set(
    dc: &mut Dc<'_>,
    d: &mut Deployment,
    rs_list: &[ReplicaSet],
    old: &[ReplicaSet],
    create: bool,
) -> Result<Option<ReplicaSet>, String> {
    let existing = find_new_replica_set(d, rs_list).map(k8sjson::copy);
    let new_revision = (max_revision(old) + 1).to_string();
    let now = dc.now;
    if let Some(mut rs_copy) = existing {
        let annotations_updated =
            set_new_replica_set_annotations(d, &mut rs_copy, &new_revision, true);
        let mrs_update = rs_copy
            .spec
            .as_ref()
            .and_then(|s| s.min_ready_seconds)
            .unwrap_or(0)
            != min_ready_seconds(d);
        if annotations_updated || mrs_update {
            if let Some(spec) = rs_copy.spec.as_mut() {
                spec.min_ready_seconds = Some(min_ready_seconds(d)).filter(|m| *m != 0);
            }
            return update_rs(dc, rs_copy).map(Some);
        }
        let rev = annotation(&rs_copy.metadata.annotations, REVISION_ANNOTATION)
            .unwrap_or("")
            .to_string();
        let mut needs_update = set_deployment_revision(d, &rev);
        let has_progressing = d
            .status
            .as_ref()
            .is_some_and(|s| get_condition(s, "Progressing").is_some());
        if has_progress_deadline(d) && !has_progressing {
            let msg = format!(
                "Found new replica set \"{}\"",
                rs_copy.metadata.name.as_deref().unwrap_or("")
            );
            let status = d.status.get_or_insert_with(DeploymentStatus::default);
            set_condition(
                status,
                new_condition("Progressing", "True", FOUND_NEW_RS_REASON, &msg, now),
            );
            needs_update = true;
        }
        if needs_update {
            update_deployment_status(dc, d)?;
        }
        return Ok(Some(rs_copy));
    }
    if !create {
        return Ok(None);
    }
    let mut template = template(d);
    let collision_count = d.status.as_ref().and_then(|s| s.collision_count);
    let hash = compute_hash(&template, collision_count);
    template
        .metadata
        .get_or_insert_with(ObjectMeta::default)
        .labels
        .get_or_insert_with(BTreeMap::new)
        .insert(POD_TEMPLATE_HASH_LABEL.into(), hash.clone());
    let mut selector = d
        .spec
        .as_ref()
        .map(|s| k8sjson::copy(&s.selector))
        .unwrap_or_default();
    selector
        .match_labels
        .get_or_insert_with(BTreeMap::new)
        .insert(POD_TEMPLATE_HASH_LABEL.into(), hash.clone());
    let d_name = d.metadata.name.clone().unwrap_or_default();
    let ns = d.metadata.namespace.clone().unwrap_or_default();
    let mut new_rs = ReplicaSet {
        metadata: ObjectMeta {
            name: Some(format!("{d_name}-{hash}")),
            namespace: Some(ns.clone()),
            owner_references: Some(vec![new_controller_ref(
                "apps/v1",
                "Deployment",
                &d.metadata,
            )]),
            labels: template.metadata.as_ref().and_then(|m| m.labels.clone()),
            ..Default::default()
        },
        spec: Some(ReplicaSetSpec {
            replicas: Some(0),
            min_ready_seconds: Some(min_ready_seconds(d)).filter(|m| *m != 0),
            selector,
            template: Some(template),
        }),
        status: None,
    };
    let count = {
        let all: Vec<&ReplicaSet> = old.iter().chain(std::iter::once(&new_rs)).collect();
        new_rs_new_replicas(d, &all, &new_rs)?
    };
    if let Some(spec) = new_rs.spec.as_mut() {
        spec.replicas = Some(count);
    }
    set_new_replica_set_annotations(d, &mut new_rs, &new_revision, false);
    let rs_name = new_rs.metadata.name.clone().unwrap_or_default();
    let mut already_exists = false;
    let created = match dc.store.create(ACTOR, new_rs, now) {
        Ok(rs) => {
            dc.wrote = true;
            rs
        }
        Err(ApiError::AlreadyExists { .. }) => {
            let Some(rs) = dc.store.get::<ReplicaSet>(&ns, &rs_name).map(k8sjson::copy) else {
                return Err(format!("replicasets.apps \"{rs_name}\" not found"));
            };
            let ours = controller_of(&rs.metadata)
                .is_some_and(|r| Some(&r.uid) == d.metadata.uid.as_ref());
            let same = rs
                .spec
                .as_ref()
                .and_then(|s| s.template.as_ref())
                .is_some_and(|t| equal_ignore_hash(&self::template(d), t));
            if ours && same {
                already_exists = true;
                rs
            } else {
                // A hash collision: bump collisionCount and try again at the next sync.
                let status = d.status.get_or_insert_with(DeploymentStatus::default);
                status.collision_count = Some(status.collision_count.unwrap_or(0) + 1);
                let _ = update_deployment_status(dc, d);
                return Err(format!("replicasets.apps \"{rs_name}\" already exists"));
            }
        }
        Err(e) => {
            let msg = format!("Failed to create new replica set \"{rs_name}\": {e}");
            if has_progress_deadline(d) {
                let status = d.status.get_or_insert_with(DeploymentStatus::default);
                set_condition(
                    status,
                    new_condition("Progressing", "False", FAILED_RS_CREATE_REASON, &msg, now),
                );
                let _ = update_deployment_status(dc, d);
            }
            dc.event(d, EventType::Warning, FAILED_RS_CREATE_REASON, &msg);
            return Err(e.to_string());
        }
    };
    if !already_exists && count > 0 {
        dc.event(
            d,
            EventType::Normal,
            "ScalingReplicaSet",
            &format!("Scaled up replica set {rs_name} to {count}"),
        );
    }
    let mut needs_update = set_deployment_revision(d, &new_revision);
    if !already_exists && has_progress_deadline(d) {
        let msg = format!("Created new replica set \"{rs_name}\"");
        let status = d.status.get_or_insert_with(DeploymentStatus::default);
        set_condition(
            status,
            new_condition("Progressing", "True", NEW_REPLICA_SET_REASON, &msg, now),
        );
        needs_update = true;
    }
    if needs_update {
        update_deployment_status(dc, d)?;
    }
    Ok(Some(created))
}

/// `scale`: proportional scaling during a rollout or while paused.
fn scale(
    dc: &mut Dc<'_>,
    d: &Deployment,
    new_rs: Option<&ReplicaSet>,
    old: &[ReplicaSet],
) -> Result<(), String> {
    // `FindActiveOrLatest` sorts the caller's old ReplicaSets newest first; what follows walks
    // them in that order.
    let mut old = k8sjson::copy_slice(old);
    old.stable_sort_by(|a, b| by_creation_timestamp(b, a));
    let old = old.as_slice();
    if let Some(rs) = find_active_or_latest(new_rs, old) {
        if rs_replicas(rs) == replicas(d) {
            return Ok(());
        }
        scale_replica_set_and_record_event(dc, rs, replicas(d), d)?;
        return Ok(());
    }
    if is_saturated(d, new_rs) {
        for rs in filter_active_replica_sets(old.iter()) {
            scale_replica_set_and_record_event(dc, rs, 0, d)?;
        }
        return Ok(());
    }
    if is_rolling_update(d) {
        let mut all: Vec<&ReplicaSet> = filter_active_replica_sets(old.iter().chain(new_rs));
        let all_replicas = replica_count(all.iter().copied());
        let allowed = if replicas(d) > 0 {
            replicas(d) + max_surge(d)
        } else {
            0
        };
        let to_add = allowed - all_replicas;
        let op = if to_add > 0 {
            all.stable_sort_by(|a, b| by_size_newer(a, b));
            "up"
        } else if to_add < 0 {
            all.stable_sort_by(|a, b| by_size_older(a, b));
            "down"
        } else {
            ""
        };
        let mut added = 0;
        let mut sizes: Vec<i32> = Vec::with_capacity(all.len());
        for rs in &all {
            if to_add != 0 {
                let p = proportion(rs, d, to_add, added);
                sizes.push(rs_replicas(rs) + p);
                added += p;
            } else {
                sizes.push(rs_replicas(rs));
            }
        }
        for (i, rs) in all.iter().enumerate() {
            let mut size = sizes.get(i).copied().unwrap_or(0);
            if i == 0 && to_add != 0 {
                size = (size + to_add - added).max(0);
            }
            scale_replica_set(dc, rs, size, d, op)?;
        }
    }
    Ok(())
}

/// `scaleReplicaSetAndRecordEvent`: returns the ReplicaSet as written (or as it was).
pub(crate) fn scale_replica_set_and_record_event(
    dc: &mut Dc<'_>,
    rs: &ReplicaSet,
    new_scale: i32,
    d: &Deployment,
) -> Result<(bool, ReplicaSet), String> {
    if rs_replicas(rs) == new_scale {
        return Ok((false, k8sjson::copy(rs)));
    }
    let op = if rs_replicas(rs) < new_scale {
        "up"
    } else {
        "down"
    };
    scale_replica_set(dc, rs, new_scale, d, op)
}

/// `scaleReplicaSet`: the size and the replica annotations.
pub(crate) fn scale_replica_set(
    dc: &mut Dc<'_>,
    rs: &ReplicaSet,
    new_scale: i32,
    d: &Deployment,
    op: &str,
) -> Result<(bool, ReplicaSet), String> {
    let size_changed = rs_replicas(rs) != new_scale;
    let max = replicas(d) + max_surge(d);
    let ann_changed = replicas_annotations_need_update(rs, replicas(d), max);
    if !size_changed && !ann_changed {
        return Ok((false, k8sjson::copy(rs)));
    }
    let old_scale = rs_replicas(rs);
    let mut copy = k8sjson::copy(rs);
    if let Some(spec) = copy.spec.as_mut() {
        spec.replicas = Some(new_scale);
    }
    set_replicas_annotations(&mut copy, replicas(d), max);
    let written = update_rs(dc, copy)?;
    if size_changed {
        let name = written.metadata.name.clone().unwrap_or_default();
        dc.event(
            d,
            EventType::Normal,
            "ScalingReplicaSet",
            &format!("Scaled {op} replica set {name} to {new_scale} from {old_scale}"),
        );
    }
    Ok((size_changed, written))
}

/// `cleanupDeployment`: keep the newest `revisionHistoryLimit` old ReplicaSets that are
/// scaled to zero and synced; delete the rest.
pub(crate) fn cleanup_deployment(
    dc: &mut Dc<'_>,
    old: &[ReplicaSet],
    d: &Deployment,
) -> Result<(), String> {
    let Some(limit) = revision_history_limit(d) else {
        return Ok(());
    };
    let mut cleanable: Vec<&ReplicaSet> = old
        .iter()
        .filter(|rs| rs.metadata.deletion_timestamp.is_none())
        .collect();
    let diff = cleanable.len() as i64 - i64::from(limit);
    if diff <= 0 {
        return Ok(());
    }
    cleanable.stable_sort_by(|a, b| by_revision(a, b));
    for rs in cleanable.into_iter().take(diff as usize) {
        let status = k8sjson::copy(&rs.status).unwrap_or_default();
        if status.replicas != 0
            || rs_replicas(rs) != 0
            || rs.metadata.generation.unwrap_or(0) > status.observed_generation.unwrap_or(0)
            || rs.metadata.deletion_timestamp.is_some()
        {
            continue;
        }
        let ns = rs.metadata.namespace.clone().unwrap_or_default();
        let name = rs.metadata.name.clone().unwrap_or_default();
        match dc
            .store
            .delete::<ReplicaSet>(ACTOR, &ns, &name, None, dc.now)
        {
            Ok(_) => dc.wrote = true,
            Err(ApiError::NotFound { .. }) => {}
            Err(e) => return Err(e.to_string()),
        }
    }
    Ok(())
}

/// `syncDeploymentStatus`.
pub(crate) fn sync_deployment_status(
    dc: &mut Dc<'_>,
    all: &[&ReplicaSet],
    new_rs: Option<&ReplicaSet>,
    d: &mut Deployment,
) -> Result<(), String> {
    let new_status = calculate_status(dc, all, new_rs, d);
    if d.status.as_ref() == Some(&new_status) {
        return Ok(());
    }
    d.status = Some(new_status);
    update_deployment_status(dc, d)
}

fn nonzero(n: i32) -> Option<i32> {
    (n != 0).then_some(n)
}

/// `calculateStatus`.
pub(crate) fn calculate_status(
    dc: &Dc<'_>,
    all: &[&ReplicaSet],
    new_rs: Option<&ReplicaSet>,
    d: &Deployment,
) -> DeploymentStatus {
    let available = available_replica_count(all.iter().copied());
    let total = replica_count(all.iter().copied());
    let unavailable = (total - available).max(0);
    let old = k8sjson::copy(&d.status).unwrap_or_default();
    let mut status = DeploymentStatus {
        observed_generation: d.metadata.generation,
        replicas: nonzero(actual_replica_count(all.iter().copied())),
        updated_replicas: nonzero(actual_replica_count(new_rs)),
        ready_replicas: nonzero(ready_replica_count(all.iter().copied())),
        available_replicas: nonzero(available),
        unavailable_replicas: nonzero(unavailable),
        collision_count: old.collision_count,
        conditions: k8sjson::copy(&old.conditions),
        terminating_replicas: None,
    };
    // DeploymentReplicaSetTerminatingReplicas (beta, on in v1.35).
    if dc.cfg.version == K8sVersion::V1_35 {
        status.terminating_replicas = terminating_replica_count(all.iter().copied());
    }
    let now = dc.now;
    if available >= replicas(d) - max_unavailable(d) {
        set_condition(
            &mut status,
            new_condition(
                "Available",
                "True",
                MINIMUM_REPLICAS_AVAILABLE,
                "Deployment has minimum availability.",
                now,
            ),
        );
    } else {
        set_condition(
            &mut status,
            new_condition(
                "Available",
                "False",
                MINIMUM_REPLICAS_UNAVAILABLE,
                "Deployment does not have minimum availability.",
                now,
            ),
        );
    }
    status
}

/// `isScalingEvent`: an active ReplicaSet's desired-replicas annotation differs from the
/// Deployment's replicas.
pub(crate) fn is_scaling_event(
    dc: &mut Dc<'_>,
    d: &mut Deployment,
    rs_list: &[ReplicaSet],
) -> Result<bool, String> {
    let (new_rs, old) = get_all_replica_sets_and_sync_revision(dc, d, rs_list, false)?;
    let all = filter_active_replica_sets(old.iter().chain(new_rs.as_ref()));
    Ok(all
        .into_iter()
        .filter_map(desired_replicas_annotation)
        .any(|desired| desired != replicas(d)))
}

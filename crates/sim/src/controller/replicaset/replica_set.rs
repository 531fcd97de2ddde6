//! `replica_set.go`: one sync of one ReplicaSet (`syncReplicaSet`): claim the pods of its
//! namespace (`claimPods`: adopt matching orphans, release pods that no longer match), create
//! or delete pods until the active ones match `spec.replicas` (`manageReplicas`: creates in
//! slow-start batches of 1, 2, 4, …, at most `burstReplicas` per sync; deletions pick the pods
//! in the earliest phases of startup first, `getPodsToDelete`), then the status
//! (`replica_set_utils`). The playground has no informer lag, so no expectations are needed:
//! every sync sees the store as it is.

use std::sync::Arc;

use k8s_openapi::api::apps::v1::ReplicaSet;
use k8s_openapi::api::core::v1::Pod;

use super::replica_set_utils::{calculate_status, status_unchanged};
use crate::config::{ControllerConfig, K8sVersion};
use crate::controller::controller_ref_manager::{self, Owner};
use crate::controller::controller_utils::{
    is_pod_active, is_pod_terminating, new_controller_ref, pod_from_template, pods_to_delete,
    rs_replicas,
};
use crate::controller::meta::{controller_of, selector_matches};
use crate::events::{self, EventType};
use crate::store::{Actor, ApiError, Key, Store};
use crate::time::SimTime;

pub(crate) const ACTOR: Actor = Actor::ReplicaSetController;
const COMPONENT: &str = "replicaset-controller";
/// `BurstReplicas`: the most pods one sync creates or deletes.
const BURST_REPLICAS: usize = 500;
/// `SlowStartInitialBatchSize`.
const SLOW_START_INITIAL_BATCH_SIZE: usize = 1;

/// What one sync did.
#[derive(Debug, Default)]
pub(crate) struct SyncResult {
    pub wrote: bool,
    pub error: Option<String>,
    /// Resync after this delay (ms): `minReadySeconds` availability checks.
    pub requeue_after: Option<SimTime>,
}

fn event(
    store: &mut Store,
    cfg: &ControllerConfig,
    rs: &ReplicaSet,
    t: EventType,
    reason: &str,
    msg: &str,
    now: SimTime,
) {
    if !cfg.record_events {
        return;
    }
    let r = events::reference_to(rs, None);
    events::record(store, r, t, reason, msg, COMPONENT, None, now);
}

/// `syncReplicaSet`.
pub(crate) fn sync(
    store: &mut Store,
    ns: &str,
    name: &str,
    now: SimTime,
    cfg: &ControllerConfig,
) -> SyncResult {
    let mut result = SyncResult::default();
    let Some(rs) = store.get_shared::<ReplicaSet>(ns, name) else {
        return result;
    };
    let selector = rs.spec.as_ref().map(|s| k8sjson::copy(&s.selector));
    let all: Vec<Arc<Pod>> = store.pod_range(ns).map(|(_, p)| p.clone()).collect();
    let owner = Owner {
        api_version: "apps/v1",
        kind: "ReplicaSet",
        meta: &rs.metadata,
        selector: selector.as_ref(),
        actor: ACTOR,
    };
    let active: Vec<Arc<Pod>> = all.iter().filter(|p| is_pod_active(p)).cloned().collect();
    let claimed = controller_ref_manager::claim::<ReplicaSet, Pod>(store, &owner, active);
    result.wrote |= claimed.wrote;
    let mut errors = claimed.errors;
    let active = claimed.objects;
    // DeploymentReplicaSetTerminatingReplicas (beta, on in v1.35): terminating pods are
    // counted in the status.
    let terminating = if cfg.version == K8sVersion::V1_35 {
        let t: Vec<Arc<Pod>> = all
            .iter()
            .filter(|p| is_pod_terminating(p))
            .cloned()
            .collect();
        let c = controller_ref_manager::claim::<ReplicaSet, Pod>(store, &owner, t);
        result.wrote |= c.wrote;
        errors.extend(c.errors);
        Some(c.objects)
    } else {
        None
    };
    if let Some(e) = errors.into_iter().next() {
        result.error = Some(e);
        return result;
    }
    let mut manage_err = None;
    if rs.metadata.deletion_timestamp.is_none() {
        let (wrote, err) = manage_replicas(store, &rs, &active, now, cfg);
        result.wrote |= wrote;
        manage_err = err;
    }
    let Some(rs) = store.get_shared::<ReplicaSet>(ns, name) else {
        return result;
    };
    let status = calculate_status(
        &rs,
        &active,
        terminating.as_deref(),
        manage_err.as_deref(),
        now,
    );
    if !status_unchanged(&rs, &status) {
        let generation = rs.metadata.generation;
        let written = store.write_status::<ReplicaSet>(ACTOR, ns, name, |r| {
            let mut s = status;
            s.observed_generation = generation;
            r.status = Some(s);
        });
        result.wrote |= written.is_ok();
    }
    if let Some(rs) = store.get::<ReplicaSet>(ns, name) {
        let st = k8sjson::copy(&rs.status).unwrap_or_default();
        let mrs = rs
            .spec
            .as_ref()
            .and_then(|s| s.min_ready_seconds)
            .unwrap_or(0);
        let want = rs_replicas(rs);
        if manage_err.is_none()
            && mrs > 0
            && st.ready_replicas.unwrap_or(0) == want
            && st.available_replicas.unwrap_or(0) != want
        {
            result.requeue_after = Some(mrs as u64 * 1000);
        }
    }
    result.error = manage_err;
    result
}

/// `manageReplicas`: returns (wrote, error).
fn manage_replicas(
    store: &mut Store,
    rs: &ReplicaSet,
    active: &[Arc<Pod>],
    now: SimTime,
    cfg: &ControllerConfig,
) -> (bool, Option<String>) {
    let ns = rs.metadata.namespace.clone().unwrap_or_default();
    let name = rs.metadata.name.clone().unwrap_or_default();
    let want = rs_replicas(rs).max(0) as usize;
    let mut wrote = false;
    if active.len() < want {
        let diff = (want - active.len()).min(BURST_REPLICAS);
        let Some(template) = rs.spec.as_ref().and_then(|s| k8sjson::copy(&s.template)) else {
            return (false, None);
        };
        let cref = new_controller_ref("apps/v1", "ReplicaSet", &rs.metadata);
        // slowStartBatch: batches of 1, 2, 4, …; a batch with a failure ends the creates.
        let mut remaining = diff;
        let mut batch = SLOW_START_INITIAL_BATCH_SIZE.min(remaining);
        while batch > 0 {
            let mut first_err = None;
            for _ in 0..batch {
                let mut pod = pod_from_template(&template, &name, k8sjson::copy(&cref));
                pod.metadata.namespace = Some(ns.clone());
                match store.create(ACTOR, pod, now) {
                    Ok(p) => {
                        wrote = true;
                        let pname = p.metadata.name.clone().unwrap_or_default();
                        event(
                            store,
                            cfg,
                            rs,
                            EventType::Normal,
                            "SuccessfulCreate",
                            &format!("Created pod: {pname}"),
                            now,
                        );
                    }
                    Err(e) => {
                        let msg = e.to_string();
                        event(
                            store,
                            cfg,
                            rs,
                            EventType::Warning,
                            "FailedCreate",
                            &format!("Error creating: {msg}"),
                            now,
                        );
                        first_err.get_or_insert(msg);
                    }
                }
            }
            if let Some(e) = first_err {
                return (wrote, Some(e));
            }
            remaining -= batch;
            batch = (2 * batch).min(remaining);
        }
        return (wrote, None);
    }
    if active.len() > want {
        let diff = (active.len() - want).min(BURST_REPLICAS);
        let related = related_pods(store, rs);
        let active_refs: Vec<&Pod> = active.iter().map(|p| &**p).collect();
        let related_refs: Vec<&Pod> = related.iter().map(|p| &**p).collect();
        let victims: Vec<String> = pods_to_delete(&active_refs, &related_refs, diff, now)
            .into_iter()
            .filter_map(|p| p.metadata.name.clone())
            .collect();
        let mut first_err = None;
        for pname in victims {
            match store.delete_pod(ACTOR, &ns, &pname, None, now) {
                Ok(_) => {
                    wrote = true;
                    event(
                        store,
                        cfg,
                        rs,
                        EventType::Normal,
                        "SuccessfulDelete",
                        &format!("Deleted pod: {pname}"),
                        now,
                    );
                }
                Err(ApiError::NotFound { .. }) => {}
                Err(e) => {
                    event(
                        store,
                        cfg,
                        rs,
                        EventType::Warning,
                        "FailedDelete",
                        &format!("Error deleting: {e}"),
                        now,
                    );
                    first_err.get_or_insert(format!("unable to delete pods: {e}"));
                }
            }
        }
        return (wrote, first_err);
    }
    (wrote, None)
}

/// `getIndirectlyRelatedPods`: the pods of every ReplicaSet with the same controller (the
/// Deployment's old and new ReplicaSets), each once.
fn related_pods(store: &Store, rs: &ReplicaSet) -> Vec<Arc<Pod>> {
    let ns = rs.metadata.namespace.as_deref().unwrap_or("default");
    let owner = controller_of(&rs.metadata).map(|r| r.uid.clone());
    let siblings: Vec<&ReplicaSet> = store
        .list::<ReplicaSet>(Some(ns))
        .filter(|o| match &owner {
            Some(uid) => controller_of(&o.metadata).is_some_and(|r| &r.uid == uid),
            None => o.metadata.uid == rs.metadata.uid,
        })
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for sib in siblings {
        let sel = sib.spec.as_ref().map(|s| &s.selector);
        for (_, p) in store.pod_range(ns) {
            if selector_matches(sel, p.metadata.labels.as_ref())
                && seen.insert(p.metadata.uid.clone())
            {
                out.push(p.clone());
            }
        }
    }
    out
}

/// Every ReplicaSet's key, in store order (an informer resync).
pub(crate) fn all_keys(store: &Store) -> Vec<Key> {
    store.replicasets.keys().cloned().collect()
}

//! `deployment_controller.go`: one sync of one Deployment (`syncDeployment`): claim its
//! ReplicaSets (`getReplicaSetsForDeployment`: adopt matching orphans, release those that no
//! longer match), group its pods by ReplicaSet (`getPodMapForDeployment`), then by priority:
//! a deleted Deployment only gets its status, a paused one is only scaled (`sync`), a rollback
//! (`rollback`), a scaling event (`sync`: proportional scaling), else the rollout of its
//! strategy (`rolloutRecreate`, `rolloutRolling`).
//!
//! Every write goes through the store with `Actor::DeploymentController`; events come from
//! `deployment-controller`. The apiserver's optimistic concurrency is not modelled: upstream's
//! second status write of a sync that created a ReplicaSet conflicts and is retried 5 ms
//! later; here it succeeds at once (same outcome).

use std::collections::BTreeMap;
use std::sync::Arc;

use k8s_openapi::api::apps::v1::{Deployment, DeploymentStatus, ReplicaSet};

use super::dc::{ACTOR, Dc, PodMap};
use super::util::{paused, strategy_type};
use super::{recreate, rollback, rolling, sync};
use crate::config::ControllerConfig;
use crate::controller::controller_ref_manager::{self, Owner};
use crate::controller::meta::{controller_of, selector_matches};
use crate::events::EventType;
use crate::store::{Key, Store};
use crate::time::SimTime;

/// What one sync did.
#[derive(Debug, Default)]
pub(crate) struct SyncResult {
    pub wrote: bool,
    pub error: Option<String>,
    pub requeue_after: Option<SimTime>,
}

/// `syncDeployment`.
pub(crate) fn sync_deployment(
    store: &mut Store,
    ns: &str,
    name: &str,
    now: SimTime,
    cfg: &ControllerConfig,
) -> SyncResult {
    let Some(d) = store.get::<Deployment>(ns, name).map(k8sjson::copy) else {
        return SyncResult::default();
    };
    let mut dc = Dc {
        store,
        now,
        cfg,
        wrote: false,
        requeue_after: None,
    };
    let error = sync_inner(&mut dc, d).err();
    SyncResult {
        wrote: dc.wrote,
        error,
        requeue_after: dc.requeue_after,
    }
}

fn sync_inner(dc: &mut Dc<'_>, mut d: Deployment) -> Result<(), String> {
    let selector = d
        .spec
        .as_ref()
        .map(|s| k8sjson::copy(&s.selector))
        .unwrap_or_default();
    if selector
        .match_labels
        .as_ref()
        .is_none_or(BTreeMap::is_empty)
        && selector
            .match_expressions
            .as_ref()
            .is_none_or(Vec::is_empty)
    {
        dc.event(
            &d,
            EventType::Warning,
            "SelectingAll",
            "This deployment is selecting all pods. A non-empty selector is required.",
        );
        let status = d.status.get_or_insert_with(DeploymentStatus::default);
        if status.observed_generation.unwrap_or(0) < d.metadata.generation.unwrap_or(0) {
            status.observed_generation = d.metadata.generation;
            let _ = dc.update_status(&d);
        }
        return Ok(());
    }
    let rs_list = get_replica_sets_for_deployment(dc, &d)?;
    let pod_map = get_pod_map_for_deployment(dc.store, &d, &rs_list);
    if d.metadata.deletion_timestamp.is_some() {
        return sync::sync_status_only(dc, &mut d, &rs_list);
    }
    sync::check_paused_conditions(dc, &mut d)?;
    if paused(&d) {
        return sync::sync(dc, &mut d, &rs_list);
    }
    if super::util::get_rollback_to(&d).is_some() {
        return rollback::rollback(dc, &mut d, &rs_list);
    }
    if sync::is_scaling_event(dc, &mut d, &rs_list)? {
        return sync::sync(dc, &mut d, &rs_list);
    }
    match strategy_type(&d).as_str() {
        "Recreate" => recreate::rollout_recreate(dc, &mut d, &rs_list, &pod_map),
        "RollingUpdate" => rolling::rollout_rolling(dc, &mut d, &rs_list),
        t => Err(format!("unexpected deployment strategy type: {t}")),
    }
}

/// `getReplicaSetsForDeployment`: `ClaimReplicaSets` over the namespace's ReplicaSets.
fn get_replica_sets_for_deployment(
    dc: &mut Dc<'_>,
    d: &Deployment,
) -> Result<Vec<ReplicaSet>, String> {
    let ns = d.metadata.namespace.clone().unwrap_or_default();
    let candidates: Vec<Arc<ReplicaSet>> = dc
        .store
        .list::<ReplicaSet>(Some(&ns))
        .map(|rs| Arc::new(k8sjson::copy::<ReplicaSet>(rs)))
        .collect();
    let selector = d.spec.as_ref().map(|s| k8sjson::copy(&s.selector));
    let owner = Owner {
        api_version: "apps/v1",
        kind: "Deployment",
        meta: &d.metadata,
        selector: selector.as_ref(),
        actor: ACTOR,
    };
    let claimed =
        controller_ref_manager::claim::<Deployment, ReplicaSet>(dc.store, &owner, candidates);
    dc.wrote |= claimed.wrote;
    if let Some(e) = claimed.errors.into_iter().next() {
        return Err(e);
    }
    Ok(claimed
        .objects
        .into_iter()
        .map(k8sjson::unwrap_or_copy)
        .collect())
}

fn get_pod_map_for_deployment(store: &Store, d: &Deployment, rs_list: &[ReplicaSet]) -> PodMap {
    let ns = d.metadata.namespace.clone().unwrap_or_default();
    let sel = d.spec.as_ref().map(|s| &s.selector);
    let mut map: PodMap = crate::sort::to_map(
        rs_list
            .iter()
            .filter_map(|rs| rs.metadata.uid.clone())
            .map(|u| (u, Vec::new())),
    );
    for (_, p) in store.pod_range(&ns) {
        if !selector_matches(sel, p.metadata.labels.as_ref()) {
            continue;
        }
        if let Some(r) = controller_of(&p.metadata)
            && let Some(v) = map.get_mut(&r.uid)
        {
            v.push(p.clone());
        }
    }
    map
}

/// Every Deployment's key, in store order.
pub(crate) fn all_keys(store: &Store) -> Vec<Key> {
    store.deployments.keys().cloned().collect()
}

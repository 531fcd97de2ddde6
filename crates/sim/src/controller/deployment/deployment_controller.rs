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
use k8s_openapi::api::core::v1::Pod;

use super::util::{paused, strategy_type};
use super::{recreate, rollback, rolling, sync};
use crate::config::ControllerConfig;
use crate::controller::controller_ref_manager::{self, Owner};
use crate::controller::meta::{controller_of, selector_matches};
use crate::events::{self, EventType};
use crate::store::{Actor, Key, Store};
use crate::time::SimTime;

pub(crate) const ACTOR: Actor = Actor::DeploymentController;
const COMPONENT: &str = "deployment-controller";

/// What a sync of one Deployment works with (the controller's client, recorder and clock).
pub(crate) struct Dc<'a> {
    pub store: &'a mut Store,
    pub now: SimTime,
    pub cfg: &'a ControllerConfig,
    pub wrote: bool,
    /// `enqueueAfter` / `enqueueRateLimited` from the progress check (ms from now).
    pub requeue_after: Option<SimTime>,
}

impl Dc<'_> {
    pub fn event(&mut self, d: &Deployment, t: EventType, reason: &str, msg: &str) {
        if !self.cfg.record_events {
            return;
        }
        let r = events::reference_to(d, None);
        events::record(self.store, r, t, reason, msg, COMPONENT, None, self.now);
    }

    /// `UpdateStatus` of the Deployment: the status subresource also takes the annotations
    /// (`deploymentStatusStrategy.PrepareForUpdate` resets only spec and labels), which is how
    /// the revision annotation reaches the Deployment.
    pub fn update_status(&mut self, d: &Deployment) -> Result<(), String> {
        let ns = d.metadata.namespace.clone().unwrap_or_default();
        let name = d.metadata.name.clone().unwrap_or_default();
        let (status, annotations) = (d.status.clone(), d.metadata.annotations.clone());
        match self
            .store
            .write_status::<Deployment>(ACTOR, &ns, &name, |s| {
                s.status = status;
                s.metadata.annotations = annotations;
            }) {
            Ok(_) => {
                self.wrote = true;
                Ok(())
            }
            Err(e) => Err(e.to_string()),
        }
    }

    /// `Update` of the Deployment (rollback: template, annotations).
    pub fn update(&mut self, d: &Deployment) -> Result<(), String> {
        match self.store.update(ACTOR, d.clone()) {
            Ok(_) => {
                self.wrote = true;
                Ok(())
            }
            Err(e) => Err(e.to_string()),
        }
    }

    pub fn requeue(&mut self, after: SimTime) {
        self.requeue_after = Some(self.requeue_after.map_or(after, |x| x.min(after)));
    }
}

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
    let Some(d) = store.get::<Deployment>(ns, name).cloned() else {
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
        .map(|s| s.selector.clone())
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
        .map(|rs| Arc::new(rs.clone()))
        .collect();
    let selector = d.spec.as_ref().map(|s| s.selector.clone());
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
        .map(Arc::unwrap_or_clone)
        .collect())
}

/// `getPodMapForDeployment`: the pods the Deployment selects, by the uid of their
/// ReplicaSet (only the Deployment's ReplicaSets).
pub(crate) type PodMap = BTreeMap<String, Vec<Arc<Pod>>>;

fn get_pod_map_for_deployment(store: &Store, d: &Deployment, rs_list: &[ReplicaSet]) -> PodMap {
    let ns = d.metadata.namespace.clone().unwrap_or_default();
    let sel = d.spec.as_ref().map(|s| &s.selector);
    let mut map: PodMap = rs_list
        .iter()
        .filter_map(|rs| rs.metadata.uid.clone())
        .map(|u| (u, Vec::new()))
        .collect();
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

//! The `DeploymentController` struct of `deployment_controller.go` as one sync sees it: its
//! client (the store, with `Actor::DeploymentController`), its event recorder
//! (`deployment-controller`) and the clock. Every file of the package uses it; it has a file
//! of its own so they import it and not the sync loop, and the package's files import each
//! other as a tree (`crates/sim/tests/module_graph.rs`).

use std::collections::BTreeMap;
use std::sync::Arc;

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::Pod;

use crate::config::ControllerConfig;
use crate::events::{self, EventType};
use crate::store::{Actor, Store};
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
        let (status, annotations) = (
            k8sjson::copy(&d.status),
            k8sjson::copy(&d.metadata.annotations),
        );
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
        match self.store.update(ACTOR, k8sjson::copy(d)) {
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

/// `getPodMapForDeployment`: the pods the Deployment selects, by the uid of their
/// ReplicaSet (only the Deployment's ReplicaSets).
pub(crate) type PodMap = BTreeMap<String, Vec<Arc<Pod>>>;

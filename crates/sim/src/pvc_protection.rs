//! The pvc-protection controller (`pkg/controller/volume/pvcprotection/pvc_protection_controller.go`):
//! a claim being deleted keeps its `kubernetes.io/pvc-protection` finalizer while a pod uses it;
//! once none does, the finalizer is removed and the claim leaves the store.
//!
//! Which pods count (`podUsesPVC`, the same rule in v1.28 and the recent source): a pod in the
//! claim's namespace that is scheduled (has a `nodeName`; the oracle harness has no scheduler and
//! counts every pod, see `Store::pods_always_scheduled`) and names the claim in `spec.volumes`,
//! whatever its phase — terminating and Failed pods included. (The recent `podIsShutDown`
//! exception applies only to generic ephemeral volumes, which the simulation does not model.)

use k8s_openapi::api::core::v1::{PersistentVolumeClaim, Pod};

use crate::config::ControllerConfig;
use crate::store::{Actor, PVC_PROTECTION_FINALIZER, Store};
use crate::time::SimTime;

fn pod_uses(pod: &Pod, claim: &str, assume_scheduled: bool) -> bool {
    let scheduled = assume_scheduled
        || pod
            .spec
            .as_ref()
            .and_then(|s| s.node_name.as_ref())
            .is_some_and(|n| !n.is_empty());
    scheduled
        && pod
            .spec
            .as_ref()
            .and_then(|s| s.volumes.as_ref())
            .is_some_and(|vs| {
                vs.iter().any(|v| {
                    v.persistent_volume_claim
                        .as_ref()
                        .is_some_and(|c| c.claim_name == claim)
                })
            })
}

/// Whether some pod still holds the claim (so its deletion waits).
pub fn claim_in_use(store: &Store, ns: &str, claim: &str) -> bool {
    store
        .list::<Pod>(Some(ns))
        .any(|p| pod_uses(p, claim, store.pods_always_scheduled))
}

/// One pass: remove the finalizer from every terminating claim no pod uses. Returns the names
/// (`ns/name`) of the claims released, in store order.
pub fn reconcile(store: &mut Store, _now: SimTime, _cfg: &ControllerConfig) -> Vec<String> {
    let candidates: Vec<PersistentVolumeClaim> = store
        .list::<PersistentVolumeClaim>(None)
        .filter(|c| c.metadata.deletion_timestamp.is_some())
        .filter(|c| {
            c.metadata
                .finalizers
                .iter()
                .flatten()
                .any(|f| f == PVC_PROTECTION_FINALIZER)
        })
        .cloned()
        .collect();
    let mut out = Vec::new();
    for mut c in candidates {
        let ns = c
            .metadata
            .namespace
            .clone()
            .unwrap_or_else(|| "default".into());
        let name = c.metadata.name.clone().unwrap_or_default();
        if claim_in_use(store, &ns, &name) {
            continue;
        }
        if let Some(f) = c.metadata.finalizers.as_mut() {
            f.retain(|x| x != PVC_PROTECTION_FINALIZER);
        }
        if store.update(Actor::PvcProtection, c).is_ok() {
            out.push(format!("{ns}/{name}"));
        }
    }
    out
}

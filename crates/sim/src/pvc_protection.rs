//! The pvc-protection controller (`pkg/controller/volume/pvcprotection/pvc_protection_controller.go`):
//! a claim being deleted keeps its `kubernetes.io/pvc-protection` finalizer while a pod uses it;
//! once none does, the finalizer is removed and the claim leaves the store.
//!
//! Which pods count: v1.28 — any pod in the namespace whose `spec.volumes` names the claim and
//! that is scheduled (`podUsesPVC` looks only at pods with a `nodeName`; the oracle harness
//! counts every pod, see `Store::pods_always_scheduled`), whatever its phase. The recent
//! controller also ignores pods that have terminated (`podIsShutDown`: Failed/Succeeded, or
//! deleted and not running) — selected by version.

use k8s_openapi::api::core::v1::{PersistentVolumeClaim, Pod};

use crate::config::{ControllerConfig, K8sVersion};
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

fn shut_down(pod: &Pod) -> bool {
    let phase = pod
        .status
        .as_ref()
        .and_then(|s| s.phase.as_deref())
        .unwrap_or("");
    phase == "Failed" || phase == "Succeeded"
}

/// Whether some pod still holds the claim (so its deletion waits).
pub fn claim_in_use(store: &Store, ns: &str, claim: &str, cfg: &ControllerConfig) -> bool {
    store.list::<Pod>(Some(ns)).any(|p| {
        pod_uses(p, claim, store.pods_always_scheduled)
            && (cfg.version == K8sVersion::V1_28 || !shut_down(p))
    })
}

/// One pass: remove the finalizer from every terminating claim no pod uses. Returns the names
/// (`ns/name`) of the claims released, in store order.
pub fn reconcile(store: &mut Store, _now: SimTime, cfg: &ControllerConfig) -> Vec<String> {
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
        if claim_in_use(store, &ns, &name, cfg) {
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

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
    // The claims being deleted, from the store's index (key order = store order).
    let candidates: Vec<PersistentVolumeClaim> = store
        .terminating_claims
        .iter()
        .filter_map(|(ns, name)| store.get::<PersistentVolumeClaim>(ns, name))
        .filter(|c| c.metadata.deletion_timestamp.is_some())
        .filter(|c| {
            c.metadata
                .finalizers
                .iter()
                .flatten()
                .any(|f| f == PVC_PROTECTION_FINALIZER)
        })
        .map(k8sjson::copy)
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

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::{PersistentVolumeClaimVolumeSource, PodSpec, Volume};
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

    fn claim(name: &str) -> PersistentVolumeClaim {
        PersistentVolumeClaim {
            metadata: ObjectMeta {
                name: Some(name.into()),
                ..Default::default()
            },
            ..Default::default()
        }
    }

    fn pod(name: &str, claim: &str, node: Option<&str>) -> Pod {
        Pod {
            metadata: ObjectMeta {
                name: Some(name.into()),
                ..Default::default()
            },
            spec: Some(PodSpec {
                node_name: node.map(str::to_string),
                volumes: Some(vec![Volume {
                    name: "data".into(),
                    persistent_volume_claim: Some(PersistentVolumeClaimVolumeSource {
                        claim_name: claim.into(),
                        read_only: None,
                    }),
                    ..Default::default()
                }]),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    #[test]
    fn claim_waits_while_a_scheduled_pod_uses_it() {
        let cfg = ControllerConfig::default();
        let mut s = Store::new();
        s.create(Actor::User, claim("data-web-0"), 0).unwrap();
        s.create(
            Actor::User,
            pod("web-0", "data-web-0", Some("kind-control-plane")),
            0,
        )
        .unwrap();
        s.delete::<PersistentVolumeClaim>(Actor::User, "default", "data-web-0", None, 0)
            .unwrap();
        assert!(reconcile(&mut s, 0, &cfg).is_empty());
        // A Failed pod still holds it (podUsesPVC looks at spec.volumes only).
        let mut p = s.get::<Pod>("default", "web-0").unwrap().clone();
        p.status.as_mut().unwrap().phase = Some("Failed".into());
        s.update_status(Actor::Kubelet, p, |a, b| a.status = b.status)
            .unwrap();
        assert!(reconcile(&mut s, 0, &cfg).is_empty());
        s.remove::<Pod>(Actor::Kubelet, "default", "web-0");
        assert_eq!(
            reconcile(&mut s, 0, &cfg),
            vec!["default/data-web-0".to_string()]
        );
        assert!(
            s.get::<PersistentVolumeClaim>("default", "data-web-0")
                .is_none()
        );
    }

    #[test]
    fn unscheduled_pods_do_not_hold_claims() {
        let cfg = ControllerConfig::default();
        let mut s = Store::new();
        s.create(Actor::User, claim("c"), 0).unwrap();
        s.create(Actor::User, pod("p", "c", None), 0).unwrap();
        s.delete::<PersistentVolumeClaim>(Actor::User, "default", "c", None, 0)
            .unwrap();
        assert_eq!(reconcile(&mut s, 0, &cfg).len(), 1);
    }
}

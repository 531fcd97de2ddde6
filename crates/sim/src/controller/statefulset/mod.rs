//! The StatefulSet controller, a port of upstream `pkg/controller/statefulset` in our own words,
//! file for file so a reader can diff them: `stateful_set` (`stateful_set.go`: the work queue,
//! event handlers, adoption and the sync), `stateful_set_control` (`stateful_set_control.go`:
//! revisions, the pass over the replicas, the rolling update, status, history),
//! `stateful_pod_control` (`stateful_pod_control.go`: the API calls for pods and claims) and
//! `stateful_set_utils` (`stateful_set_utils.go`). Ours only: `memo` (caches that make a sync
//! of an unchanged pod cheap) and `explain` (why it is waiting, from the same predicates).

pub mod explain;
mod memo;
mod revision_cache;
mod stateful_pod_control;
pub mod stateful_set;
mod stateful_set_control;
pub mod stateful_set_utils;

pub use explain::{Wait, explain};
pub use memo::{ReplicaMemo, replica_memo, set_replica_memo_off_in_thread};
pub use stateful_set::{IdleReport, SyncResult, WorkQueue, run_until_idle, sync};

#[cfg(test)]
mod tests {
    use super::stateful_set_utils as util;
    use super::*;
    use crate::config::{ControllerConfig, K8sVersion};
    use crate::replay::{SetSettings, build_statefulset};
    use crate::store::{Actor, Store};
    use k8s_openapi::api::apps::v1::StatefulSet;
    use k8s_openapi::api::core::v1::{Event, Pod, PodCondition, PodStatus};
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;

    fn setup(replicas: i32, claims: bool, v: K8sVersion) -> (Store, ControllerConfig) {
        let cfg = ControllerConfig::for_version(v);
        let settings = SetSettings {
            replicas: Some(replicas),
            claim_templates: claims.then(|| vec!["data".to_string()]),
            ..Default::default()
        };
        let set = build_statefulset(&settings, &cfg.gates).unwrap();
        let mut store = Store::new();
        store.pods_always_scheduled = true;
        store.create(Actor::User, set, 0).unwrap();
        (store, cfg)
    }

    fn make_ready(store: &mut Store, name: &str, at: u64) {
        let mut p: Pod = store.get::<Pod>("default", name).unwrap().clone();
        p.status = Some(PodStatus {
            phase: Some("Running".into()),
            conditions: Some(vec![PodCondition {
                type_: "Ready".into(),
                status: "True".into(),
                last_transition_time: Some(Time(crate::time::to_k8s_time(at).0)),
                ..Default::default()
            }]),
            ..Default::default()
        });
        store
            .update_status(Actor::Kubelet, p, |s, n| s.status = n.status)
            .unwrap();
    }

    fn events(store: &Store) -> Vec<(String, String, String)> {
        let mut v: Vec<&Event> = store.list::<Event>(None).collect();
        v.sort_by_key(|e| e.metadata.creation_timestamp.clone().map(|t| t.0));
        v.iter()
            .map(|e| {
                (
                    e.type_.clone().unwrap_or_default(),
                    e.reason.clone().unwrap_or_default(),
                    e.message.clone().unwrap_or_default(),
                )
            })
            .collect()
    }

    /// statefulset-controller.md §9 (stateful_pod_control.go `recordClaimEvent`,
    /// `recordPodEvent`): claim event first, `success` vs `successful`.
    #[test]
    fn create_events_claim_then_pod() {
        let (mut store, cfg) = setup(1, true, K8sVersion::V1_35);
        let r = run_until_idle(&mut store, 0, &cfg);
        assert!(r.errors.is_empty(), "{r:?}");
        let ev = events(&store);
        assert_eq!(
            ev,
            vec![
                (
                    "Normal".to_string(),
                    "SuccessfulCreate".to_string(),
                    "create Claim data-web-0 Pod web-0 in StatefulSet web success".to_string()
                ),
                (
                    "Normal".to_string(),
                    "SuccessfulCreate".to_string(),
                    "create Pod web-0 in StatefulSet web successful".to_string()
                ),
            ]
        );
        // Every event is from the statefulset-controller, about the StatefulSet.
        for e in store.list::<Event>(None) {
            assert_eq!(e.involved_object.kind.as_deref(), Some("StatefulSet"));
            assert_eq!(
                e.source.as_ref().and_then(|s| s.component.as_deref()),
                Some("statefulset-controller")
            );
        }
    }

    /// Pods are stamped as upstream: labels, hostname/subdomain, controller ownerReference,
    /// claim volumes (stateful_set_utils.go `newStatefulSetPod`, `initIdentity`, `updateStorage`).
    #[test]
    fn pods_are_stamped_like_upstream() {
        let (mut store, cfg) = setup(1, true, K8sVersion::V1_35);
        run_until_idle(&mut store, 0, &cfg);
        let p = store.get::<Pod>("default", "web-0").unwrap();
        let l = p.metadata.labels.as_ref().unwrap();
        assert_eq!(l.get("app").map(String::as_str), Some("web"));
        assert_eq!(
            l.get(util::POD_NAME_LABEL).map(String::as_str),
            Some("web-0")
        );
        assert_eq!(l.get(util::POD_INDEX_LABEL).map(String::as_str), Some("0"));
        let set = store.get::<StatefulSet>("default", "web").unwrap();
        let rev = set
            .status
            .as_ref()
            .unwrap()
            .update_revision
            .clone()
            .unwrap();
        assert_eq!(l.get(util::REVISION_LABEL), Some(&rev));
        let spec = p.spec.as_ref().unwrap();
        assert_eq!(spec.hostname.as_deref(), Some("web-0"));
        assert_eq!(spec.subdomain.as_deref(), Some("web"));
        let vol = &spec.volumes.as_ref().unwrap()[0];
        assert_eq!(
            vol.persistent_volume_claim.as_ref().unwrap().claim_name,
            "data-web-0"
        );
        let owner = crate::controller::meta::controller_of(&p.metadata).unwrap();
        assert_eq!(owner.kind, "StatefulSet");
        assert_eq!(owner.block_owner_deletion, Some(true));
        assert_eq!(p.metadata.generate_name.as_deref(), Some("web-"));
    }

    /// `explain`: OrderedReady waits for the lower pod; the update waits at the partition.
    #[test]
    fn explain_ordered_ready_and_partition() {
        let (mut store, cfg) = setup(3, false, K8sVersion::V1_35);
        run_until_idle(&mut store, 0, &cfg);
        let w = explain(&store, "default", "web", &cfg);
        assert!(
            w.contains(&Wait::OrderedReady {
                pod: "web-1".into(),
                waiting_for: "web-0".into(),
                state: "Pending".into()
            }),
            "{w:?}"
        );
        assert_eq!(
            w[0].sentence(),
            "web-1 is not created yet: OrderedReady waits for web-0 to be Running and Ready (it is Pending)"
        );
        for (i, t) in [(0, 1000), (1, 2000), (2, 3000)] {
            make_ready(&mut store, &format!("web-{i}"), t);
            run_until_idle(&mut store, t, &cfg);
        }
        assert!(explain(&store, "default", "web", &cfg).is_empty());
        // Partition 2 + new image: web-2 is updated, web-0/web-1 wait at the partition.
        let mut set = store.get::<StatefulSet>("default", "web").unwrap().clone();
        let spec = set.spec.as_mut().unwrap();
        spec.update_strategy
            .as_mut()
            .unwrap()
            .rolling_update
            .as_mut()
            .unwrap()
            .partition = Some(2);
        spec.template.spec.as_mut().unwrap().containers[0].image = Some("nginx:2.0".into());
        store.update(Actor::User, set).unwrap();
        run_until_idle(&mut store, 4000, &cfg);
        let w = explain(&store, "default", "web", &cfg);
        assert!(
            w.contains(&Wait::Partition {
                pod: "web-1".into(),
                partition: 2
            }),
            "{w:?}"
        );
        assert!(
            w.contains(&Wait::Partition {
                pod: "web-0".into(),
                partition: 2
            }),
            "{w:?}"
        );
        assert!(
            w.contains(&Wait::Terminating {
                pod: "web-2".into()
            }),
            "{w:?}"
        );
    }

    /// v1.28 records `RecreatingFailedPod`; the event was removed in v1.31 (PR #123809).
    #[test]
    fn recreating_failed_pod_event_only_at_v1_28() {
        for (v, expect) in [(K8sVersion::V1_28, true), (K8sVersion::V1_35, false)] {
            let (mut store, cfg) = setup(1, false, v);
            run_until_idle(&mut store, 0, &cfg);
            let mut p: Pod = store.get::<Pod>("default", "web-0").unwrap().clone();
            p.status = Some(PodStatus {
                phase: Some("Failed".into()),
                ..Default::default()
            });
            store
                .update_status(Actor::Kubelet, p, |s, n| s.status = n.status)
                .unwrap();
            run_until_idle(&mut store, 1000, &cfg);
            let ev = events(&store);
            assert_eq!(
                ev.iter().any(|e| e.1 == "RecreatingFailedPod"),
                expect,
                "{v:?} {ev:?}"
            );
            assert!(
                ev.iter()
                    .any(|e| e.2 == "delete Pod web-0 in StatefulSet web successful")
            );
            // Either way the pod is back, Pending.
            let p = store.get::<Pod>("default", "web-0").unwrap();
            assert_eq!(crate::controller::podutil::phase(p), "Pending");
        }
    }

    /// A claim being deleted blocks its pod: the sync fails with upstream's text, and a
    /// FailedCreate event is recorded.
    #[test]
    fn pvc_being_deleted_blocks_pod_creation() {
        let (mut store, cfg) = setup(1, true, K8sVersion::V1_35);
        run_until_idle(&mut store, 0, &cfg);
        store
            .delete::<k8s_openapi::api::core::v1::PersistentVolumeClaim>(
                Actor::User,
                "default",
                "data-web-0",
                None,
                1000,
            )
            .unwrap();
        store
            .delete::<Pod>(Actor::User, "default", "web-0", Some(0), 1000)
            .unwrap();
        // run_until_idle runs pvc-protection too: with the pod gone the claim goes, and the
        // retry creates a fresh claim and pod.
        let mut q = WorkQueue::new();
        q.add(("default".into(), "web".into()));
        let r = q.process(&mut store, 1000, &cfg);
        assert_eq!(
            r.errors,
            vec!["pvc data-web-0 is being deleted".to_string()]
        );
        assert!(events(&store).iter().any(|e| e.1 == "FailedCreate"
            && e.2 == "create Pod web-0 in StatefulSet web failed error: pvc data-web-0 is being deleted"));
        assert_eq!(
            explain(&store, "default", "web", &cfg),
            vec![Wait::PvcBeingDeleted {
                pod: "web-0".into(),
                pvc: "data-web-0".into()
            }]
        );
        let r = run_until_idle(&mut store, 2000, &cfg);
        assert!(r.errors.is_empty(), "{r:?}");
        assert!(store.get::<Pod>("default", "web-0").is_some());
    }

    /// The replica memo remembers pods that needed nothing, and a claim write the controller
    /// must react to (its retention ownerReference removed by a user) is still repaired for an
    /// unchanged pod: the store's claims epoch invalidates the memo.
    #[test]
    fn replica_memo_sees_claim_writes() {
        let cfg = ControllerConfig::for_version(K8sVersion::V1_35);
        let settings = SetSettings {
            replicas: Some(2),
            claim_templates: Some(vec!["data".to_string()]),
            retention_policy: Some(crate::replay::RetentionSettings {
                when_scaled: Some("Retain".into()),
                when_deleted: Some("Delete".into()),
            }),
            ..Default::default()
        };
        let set = build_statefulset(&settings, &cfg.gates).unwrap();
        let mut store = Store::new();
        store.pods_always_scheduled = true;
        store.create(Actor::User, set, 0).unwrap();
        run_until_idle(&mut store, 0, &cfg);
        make_ready(&mut store, "web-0", 1000);
        run_until_idle(&mut store, 1000, &cfg);
        make_ready(&mut store, "web-1", 2000);
        run_until_idle(&mut store, 2000, &cfg);
        assert!(!replica_memo(&mut store).is_empty());
        let owned = |store: &Store| {
            store
                .get::<k8s_openapi::api::core::v1::PersistentVolumeClaim>("default", "data-web-0")
                .unwrap()
                .metadata
                .owner_references
                .as_ref()
                .is_some_and(|r| r.iter().any(|r| r.kind == "StatefulSet"))
        };
        assert!(owned(&store));
        let mut c = store
            .get::<k8s_openapi::api::core::v1::PersistentVolumeClaim>("default", "data-web-0")
            .unwrap()
            .clone();
        c.metadata.owner_references = None;
        store.update(Actor::User, c).unwrap();
        assert!(!owned(&store));
        run_until_idle(&mut store, 3000, &cfg);
        assert!(owned(&store));
    }

    /// `PodControllerRefManager.ClaimPods`: an owned pod whose labels no longer match is
    /// released with a `$patch: delete` of our ownerReference; an orphan that matches is adopted.
    #[test]
    fn release_and_adopt_patches() {
        let (mut store, cfg) = setup(1, false, K8sVersion::V1_35);
        store.record = true;
        store.record_objects = true;
        run_until_idle(&mut store, 0, &cfg);
        let set_uid = store
            .get::<StatefulSet>("default", "web")
            .unwrap()
            .metadata
            .uid
            .clone()
            .unwrap();
        let mut p: Pod = store.get::<Pod>("default", "web-0").unwrap().clone();
        let pod_uid = p.metadata.uid.clone().unwrap();
        p.metadata
            .labels
            .as_mut()
            .unwrap()
            .insert("app".into(), "other".into());
        store.update(Actor::User, p).unwrap();
        store.log.clear();
        run_until_idle(&mut store, 1000, &cfg);
        let patch = store
            .log
            .iter()
            .find(|w| w.verb == crate::store::Verb::Patch && w.name == "web-0")
            .and_then(|w| w.patch.clone())
            .unwrap();
        assert_eq!(
            patch,
            format!(
                r#"{{"metadata":{{"ownerReferences":[{{"$patch":"delete","uid":"{set_uid}"}}],"uid":"{pod_uid}"}}}}"#
            )
        );
        let released = store.get::<Pod>("default", "web-0").unwrap();
        assert!(crate::controller::meta::controller_of(&released.metadata).is_none());
        // Labels back: the orphan is adopted again.
        let mut p = released.clone();
        p.metadata
            .labels
            .as_mut()
            .unwrap()
            .insert("app".into(), "web".into());
        store.update(Actor::User, p).unwrap();
        run_until_idle(&mut store, 2000, &cfg);
        let adopted = store.get::<Pod>("default", "web-0").unwrap();
        assert_eq!(
            crate::controller::meta::controller_of(&adopted.metadata).map(|r| r.uid.clone()),
            Some(set_uid)
        );
    }
}

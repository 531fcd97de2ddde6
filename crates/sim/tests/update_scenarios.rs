#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! The v1.35 "broken rollout" behaviour through the whole runtime.
//!
//! Upstream (`pkg/controller/statefulset/stateful_set_control.go`, v1.35): under OrderedReady
//! the replica loop of `updateStatefulSet` stops at the first pod that is not Running and
//! Ready before the update phase is reached, so a pod stuck on a broken revision is *not*
//! replaced when the template is fixed or rolled back — the documented "Forced rollback"
//! (kubernetes/kubernetes issue 67250, still open; PR 78709 that would have deleted such pods
//! was closed). Under Parallel with MaxUnavailableStatefulSet on, the update phase
//! (`updateStatefulSetAfterInvariantEstablished`) is reached, and it deletes `maxUnavailable - unavailable` outdated pods from the top: with
//! maxUnavailable 1 the stuck pod already uses the whole budget (nothing is deleted); with 2 the
//! broken rollout takes down two pods, which again fill the budget. Only a budget larger than
//! the number of stuck pods (or deleting them by hand) replaces them.
//!
//! Version note: the gate-on Parallel cases enable MaxUnavailableStatefulSet explicitly, i.e.
//! the v1.35.0-v1.35.3 default. That stall under Parallel is the regression
//! kubernetes/kubernetes issue 137409; the gate was demoted to off by default in v1.35.4 (PR
//! 137904, cherry-pick 137926), which is what `sim::config` models for V1_35. With the gate off,
//! the legacy update loop deletes the outdated stuck pod under Parallel once the template is
//! rolled back (`broken_rollout_parallel_gate_off_...`). The OrderedReady case is the same in
//! every 1.35 patch.

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::Pod;
use sim::config::Gate;
use sim::object::AnyObject;
use sim::{Cluster, ClusterConfig, Command, Fault, Propagation};

const SET: &str = "nginx-with-init-container";

fn sts(image: &str, parallel: bool, max_unavailable: i32) -> StatefulSet {
    serde_json::from_value(serde_json::json!({
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {"name": SET, "namespace": "default"},
        "spec": {
            "serviceName": "nginx-headless",
            "replicas": 3,
            "podManagementPolicy": if parallel { "Parallel" } else { "OrderedReady" },
            "updateStrategy": {"type": "RollingUpdate",
                "rollingUpdate": {"partition": 0, "maxUnavailable": max_unavailable}},
            "selector": {"matchLabels": {"app": "nginx"}},
            "template": {
                "metadata": {"labels": {"app": "nginx"}},
                "spec": {"containers": [{"name": "nginx", "image": image}]}
            }
        }
    }))
    .unwrap()
}

/// A v1.35 cluster with `--feature-gates=MaxUnavailableStatefulSet=true` (v1.35.0-v1.35.3).
fn gate_on() -> Cluster {
    Cluster::new(ClusterConfig {
        feature_gates: vec![(Gate::MaxUnavailableStatefulSet, true)],
        ..ClusterConfig::default()
    })
}

fn apply(c: &mut Cluster, s: StatefulSet) {
    c.apply(Command::Apply(AnyObject::StatefulSet(Box::new(s))))
        .unwrap();
}

fn settle(c: &mut Cluster) {
    // Image pull back-off keeps events pending: move the clock instead of waiting for idle.
    c.settle(2000);
    c.advance(600_000);
}

fn pod(c: &Cluster, o: u32) -> Pod {
    c.store()
        .get::<Pod>("default", &format!("{SET}-{o}"))
        .cloned()
        .unwrap()
}

fn revision(p: &Pod) -> String {
    p.metadata.labels.as_ref().unwrap()["controller-revision-hash"].clone()
}

fn update_revision(c: &Cluster) -> String {
    c.store()
        .get::<StatefulSet>("default", SET)
        .unwrap()
        .status
        .as_ref()
        .unwrap()
        .update_revision
        .clone()
        .unwrap()
}

/// Create the set on the good image, then roll to a missing image: the highest ordinal is
/// recreated on the broken revision and never becomes Ready. Returns (good rev, broken pod uid).
fn break_rollout(c: &mut Cluster, parallel: bool, max_unavailable: i32) -> (String, String) {
    apply(c, sts("nginx:1.26.0", parallel, max_unavailable));
    settle(c);
    let good = update_revision(c);
    c.apply(Command::Fault(Fault::ImageMissing("nginx:1.28".into())))
        .unwrap();
    apply(c, sts("nginx:1.28", parallel, max_unavailable));
    settle(c);
    let broken = update_revision(c);
    assert_ne!(good, broken);
    let p2 = pod(c, 2);
    assert_eq!(revision(&p2), broken);
    assert_eq!(sim::podstatus::pod_status_text(&p2), "ImagePullBackOff");
    // The rollout is blocked at ordinal 2 (maxUnavailable 1) or goes on below it (2, Parallel).
    (good, p2.metadata.uid.clone().unwrap())
}

#[test]
fn forced_rollback_stateful_set_control_go_ordered_ready_stuck_pod_is_not_replaced() {
    let mut c = Cluster::new(ClusterConfig::default());
    let (good, stuck_uid) = break_rollout(&mut c, false, 1);
    // Pods 1 and 0 were not touched: the rollout waits for pod 2.
    assert_eq!(revision(&pod(&c, 1)), good);
    assert_eq!(revision(&pod(&c, 0)), good);
    // Roll the template back: the update revision is the good one again, but the stuck pod
    // stays (same uid, still on the broken revision).
    apply(&mut c, sts("nginx:1.26.0", false, 1));
    settle(&mut c);
    assert_eq!(update_revision(&c), good);
    let p2 = pod(&c, 2);
    assert_eq!(p2.metadata.uid.as_deref(), Some(stuck_uid.as_str()));
    assert_ne!(revision(&p2), good);
    // Only deleting it by hand unblocks the set.
    c.apply(Command::Delete {
        resource: "pods".into(),
        ns: "default".into(),
        name: format!("{SET}-2"),
        grace_seconds: None,
        propagation: Propagation::Background,
    })
    .unwrap();
    settle(&mut c);
    for o in 0..3 {
        assert_eq!(revision(&pod(&c, o)), good);
        assert_eq!(sim::podstatus::pod_status_text(&pod(&c, o)), "Running");
    }
    let st = c
        .store()
        .get::<StatefulSet>("default", SET)
        .unwrap()
        .status
        .clone()
        .unwrap();
    assert_eq!(st.current_revision, st.update_revision);
    assert_eq!(st.updated_replicas, Some(3));
}

#[test]
fn broken_rollout_parallel_max_unavailable_1_update_stateful_set_after_invariant_established_keeps_stuck_pod()
 {
    let mut c = gate_on();
    let (good, stuck_uid) = break_rollout(&mut c, true, 1);
    apply(&mut c, sts("nginx:1.26.0", true, 1));
    settle(&mut c);
    let p2 = pod(&c, 2);
    assert_eq!(p2.metadata.uid.as_deref(), Some(stuck_uid.as_str()));
    assert_ne!(revision(&p2), good);
}

/// maxUnavailable 2 under Parallel: the broken rollout takes down two pods (2 and 1), which
/// then use the whole budget, so rolling back is not enough either; raising maxUnavailable
/// above the number of stuck pods lets the update phase delete them from the top.
#[test]
fn broken_rollout_parallel_max_unavailable_2_update_stateful_set_after_invariant_established_budget()
 {
    let mut c = gate_on();
    let (good, stuck2) = break_rollout(&mut c, true, 2);
    let p1 = pod(&c, 1);
    assert_ne!(revision(&p1), good);
    assert_eq!(sim::podstatus::pod_status_text(&p1), "ImagePullBackOff");
    assert_eq!(revision(&pod(&c, 0)), good);
    let stuck1 = p1.metadata.uid.clone().unwrap();
    apply(&mut c, sts("nginx:1.26.0", true, 2));
    settle(&mut c);
    assert_eq!(pod(&c, 2).metadata.uid.as_deref(), Some(stuck2.as_str()));
    assert_eq!(pod(&c, 1).metadata.uid.as_deref(), Some(stuck1.as_str()));
    // maxUnavailable 3: budget 3 - 2 unavailable = 1 delete per sync, from the top.
    apply(&mut c, sts("nginx:1.26.0", true, 3));
    settle(&mut c);
    for o in 0..3 {
        let p = pod(&c, o);
        assert_eq!(revision(&p), good, "pod {o}");
        assert_eq!(sim::podstatus::pod_status_text(&p), "Running");
    }
}

/// The v1.35.4+ default (MaxUnavailableStatefulSet off): the apiserver drops `maxUnavailable`
/// (`dropStatefulSetDisabledFields`), the broken rollout stops at the stuck top pod (the legacy
/// loop of `updateStatefulSet` waits for an unhealthy pod at the update revision), and rolling
/// the template back replaces the stuck pod, since it is now outdated: the fix of issue 137409.
#[test]
fn broken_rollout_parallel_gate_off_v1_35_4_stateful_set_control_rollback_replaces_stuck_pod() {
    let mut c = Cluster::new(ClusterConfig::default());
    assert!(!c.controller_config().gates.max_unavailable_statefulset);
    let (good, stuck_uid) = break_rollout(&mut c, true, 2);
    let stored = c.store().get::<StatefulSet>("default", SET).unwrap();
    let ru = stored
        .spec
        .as_ref()
        .unwrap()
        .update_strategy
        .as_ref()
        .unwrap();
    assert_eq!(ru.rolling_update.as_ref().unwrap().max_unavailable, None);
    // maxUnavailable 2 is ignored: only the top pod went to the broken revision.
    assert_eq!(revision(&pod(&c, 1)), good);
    assert_eq!(revision(&pod(&c, 0)), good);
    apply(&mut c, sts("nginx:1.26.0", true, 2));
    settle(&mut c);
    let p2 = pod(&c, 2);
    assert_ne!(p2.metadata.uid.as_deref(), Some(stuck_uid.as_str()));
    for o in 0..3 {
        let p = pod(&c, o);
        assert_eq!(revision(&p), good, "pod {o}");
        assert_eq!(sim::podstatus::pod_status_text(&p), "Running");
    }
}

/// `history.CreateControllerRevision` (upstream `pkg/controller/history/controller_history.go`):
/// a name clash with different data bumps `status.collisionCount`, and the revision is created
/// under the hash computed with the new count.
#[test]
fn collision_count_controller_history_create_controller_revision() {
    use k8s_openapi::api::apps::v1::ControllerRevision;
    let mut c = Cluster::new(ClusterConfig::default());
    apply(&mut c, sts("nginx:1.26.0", false, 1));
    settle(&mut c);
    // The name the next template would get, squatted by an unrelated revision.
    let mut next = sts("nginx:1.27", false, 1);
    let mut template = next.spec.as_ref().unwrap().template.clone();
    sim::revision::apply_template_defaults(&mut template);
    let data = sim::revision::revision_data_bytes(&template, sim::config::K8sVersion::V1_35);
    let name0 = sim::revision::revision_name(SET, &sim::revision::hash(&data, Some(0)));
    let name1 = sim::revision::revision_name(SET, &sim::revision::hash(&data, Some(1)));
    let squatter: ControllerRevision = serde_json::from_value(serde_json::json!({
        "apiVersion": "apps/v1", "kind": "ControllerRevision",
        "metadata": {"name": name0, "namespace": "default"},
        "data": {"spec": {}}, "revision": 1
    }))
    .unwrap();
    c.apply(Command::Create(AnyObject::ControllerRevision(Box::new(
        squatter,
    ))))
    .unwrap();
    next.metadata.name = Some(SET.into());
    apply(&mut c, next);
    settle(&mut c);
    let st = c
        .store()
        .get::<StatefulSet>("default", SET)
        .unwrap()
        .status
        .clone()
        .unwrap();
    assert_eq!(st.collision_count, Some(1));
    assert_eq!(st.update_revision.as_deref(), Some(name1.as_str()));
    assert_eq!(st.current_revision.as_deref(), Some(name1.as_str()));
    assert_eq!(revision(&pod(&c, 0)), name1);
}

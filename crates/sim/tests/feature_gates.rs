#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! Feature gates through the whole runtime: `ClusterConfig::feature_gates` (the `--feature-gates`
//! a cluster starts with), `Command::SetFeatureGates` (recorded, so `back` undoes it), and what
//! the apiserver does with `rollingUpdate.maxUnavailable` for `MaxUnavailableStatefulSet`
//! (apps/v1 `SetDefaults_StatefulSet`; `dropStatefulSetDisabledFields` in
//! `pkg/registry/apps/statefulset/strategy.go`).

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use sim::config::{Gate, K8sVersion};
use sim::object::AnyObject;
use sim::{Cluster, ClusterConfig, Command, SimError};

fn sts(max_unavailable: Option<i32>, image: &str) -> StatefulSet {
    let mut ru = serde_json::json!({"partition": 0});
    if let Some(m) = max_unavailable {
        ru["maxUnavailable"] = m.into();
    }
    serde_json::from_value(serde_json::json!({
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {
            "serviceName": "web",
            "replicas": 4,
            "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": ru},
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "nginx", "image": image}]}
            }
        }
    }))
    .unwrap()
}

fn apply(c: &mut Cluster, s: StatefulSet) {
    c.apply(Command::Apply(AnyObject::StatefulSet(Box::new(s))))
        .unwrap();
}

fn stored_max_unavailable(c: &Cluster) -> Option<IntOrString> {
    c.store()
        .get::<StatefulSet>("default", "web")
        .unwrap()
        .spec
        .as_ref()
        .unwrap()
        .update_strategy
        .as_ref()
        .unwrap()
        .rolling_update
        .as_ref()
        .unwrap()
        .max_unavailable
        .clone()
}

fn gate(c: &Cluster) -> bool {
    c.controller_config().gates.max_unavailable_statefulset
}

fn set_gate(c: &mut Cluster, on: bool) -> Result<sim::Applied, SimError> {
    c.apply(Command::SetFeatureGates(vec![(
        Gate::MaxUnavailableStatefulSet,
        on,
    )]))
}

/// Pods the controller is deleting right after a template change (before the clock moves).
fn terminating_now(c: &Cluster) -> Vec<String> {
    c.store()
        .pods
        .values()
        .filter(|p| p.metadata.deletion_timestamp.is_some())
        .map(|p| p.metadata.name.clone().unwrap())
        .collect()
}

#[test]
fn config_feature_gates_start_the_cluster_with_the_gate() {
    assert!(!gate(&Cluster::new(ClusterConfig::default())));
    let c = Cluster::new(ClusterConfig {
        feature_gates: vec![(Gate::MaxUnavailableStatefulSet, true)],
        ..ClusterConfig::default()
    });
    assert!(gate(&c));
    // A later entry wins, as in `--feature-gates A=true,A=false`.
    let c = Cluster::new(ClusterConfig {
        feature_gates: vec![
            (Gate::MaxUnavailableStatefulSet, true),
            (Gate::MaxUnavailableStatefulSet, false),
        ],
        ..ClusterConfig::default()
    });
    assert!(!gate(&c));
}

#[test]
fn set_feature_gates_is_recorded_back_undoes_it_and_reset_keeps_it() {
    let mut c = Cluster::new(ClusterConfig::default());
    let before = c.history_len();
    set_gate(&mut c, true).unwrap();
    assert!(gate(&c));
    assert_eq!(c.history_len(), before + 1);
    c.back(1).unwrap();
    assert!(!gate(&c));
    set_gate(&mut c, true).unwrap();
    apply(&mut c, sts(Some(2), "nginx:1.26.0"));
    c.reset();
    assert!(gate(&c), "reset keeps the gates in force");
    assert!(c.store().get::<StatefulSet>("default", "web").is_none());
    assert_eq!(c.history_len(), 0);
}

/// At v1.35 `StatefulSetAutoDeletePVC` and `StatefulSetStartOrdinal` are no longer gates
/// (GA, then removed from kube_features.go): the command fails and changes nothing.
#[test]
fn gates_the_version_removed_are_unrecognized() {
    let mut c = Cluster::new(ClusterConfig::default());
    let e = c
        .apply(Command::SetFeatureGates(vec![
            (Gate::MaxUnavailableStatefulSet, true),
            (Gate::StatefulSetAutoDeletePVC, false),
        ]))
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "unrecognized feature gate: StatefulSetAutoDeletePVC"
    );
    assert!(!gate(&c));
    assert!(c.controller_config().gates.statefulset_auto_delete_pvc);
    // v1.28 still has them as beta gates.
    let mut old = Cluster::new(ClusterConfig {
        version: K8sVersion::V1_28,
        ..ClusterConfig::default()
    });
    old.apply(Command::SetFeatureGates(vec![(
        Gate::StatefulSetStartOrdinal,
        false,
    )]))
    .unwrap();
    assert!(!old.controller_config().gates.statefulset_start_ordinal);
}

/// Gate off (v1.35.4+ default): the field is dropped on create and on updates of an object that
/// does not use it; defaulting does not add `maxUnavailable: 1`. Gate on: kept, and defaulted to
/// 1 when absent. Turning the gate off again keeps a field already in use.
#[test]
fn strategy_drop_disabled_fields_and_defaults_for_max_unavailable() {
    let mut c = Cluster::new(ClusterConfig::default());
    apply(&mut c, sts(Some(2), "nginx:1.26.0"));
    assert_eq!(stored_max_unavailable(&c), None);
    apply(&mut c, sts(Some(2), "nginx:1.26.0"));
    assert_eq!(stored_max_unavailable(&c), None);
    set_gate(&mut c, true).unwrap();
    // Enabling the gate does not bring the dropped value back: it has to be written again.
    assert_eq!(stored_max_unavailable(&c), None);
    apply(&mut c, sts(Some(2), "nginx:1.26.0"));
    assert_eq!(stored_max_unavailable(&c), Some(IntOrString::Int(2)));
    set_gate(&mut c, false).unwrap();
    apply(&mut c, sts(Some(3), "nginx:1.26.0"));
    assert_eq!(
        stored_max_unavailable(&c),
        Some(IntOrString::Int(3)),
        "maxUnavailableInUse keeps the field"
    );

    let mut on = Cluster::new(ClusterConfig {
        feature_gates: vec![(Gate::MaxUnavailableStatefulSet, true)],
        ..ClusterConfig::default()
    });
    apply(&mut on, sts(None, "nginx:1.26.0"));
    assert_eq!(stored_max_unavailable(&on), Some(IntOrString::Int(1)));
}

/// The controller reads the gate of the running cluster: maxUnavailable 2 takes down one pod
/// at a time while it is off, two once it is on (and the field re-applied).
#[test]
fn rolling_update_width_follows_the_gate() {
    let mut c = Cluster::new(ClusterConfig::default());
    apply(&mut c, sts(Some(2), "nginx:1.26.0"));
    c.settle(5000);
    assert_eq!(c.store().list::<Pod>(Some("default")).count(), 4);
    apply(&mut c, sts(Some(2), "nginx:1.27"));
    assert_eq!(terminating_now(&c), ["web-3"]);
    c.settle(5000);
    set_gate(&mut c, true).unwrap();
    apply(&mut c, sts(Some(2), "nginx:1.28"));
    assert_eq!(terminating_now(&c), ["web-2", "web-3"]);
    // Back to before the gate change: one at a time again.
    c.back(2).unwrap();
    assert!(!gate(&c));
    apply(&mut c, sts(Some(2), "nginx:1.28"));
    assert_eq!(terminating_now(&c), ["web-3"]);
}

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! The store's pod validation hook (`ClusterConfig::pod_validator`) with a toy validator, and
//! what the StatefulSet controller does when the apiserver rejects its pods: upstream
//! `pkg/controller/statefulset/stateful_pod_control.go` `CreateStatefulPod` creates the claims
//! first, then the pod; the failed create records `FailedCreate` (`recordPodEvent`) and the sync
//! is retried by the work queue's rate limiter (`stateful_set.go` `processNextWorkItem`,
//! client-go `DefaultTypedControllerRateLimiter`: 5 ms doubling up to 1000 s).

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::{Event, PersistentVolumeClaim, Pod};
use sim::object::AnyObject;
use sim::store::{Actor, ApiError, PodValidator, Store};
use sim::{Cluster, ClusterConfig, Command};

/// Rejects pods whose first container's image is `bad`, with the apiserver's message shape.
fn toy(p: &Pod) -> Result<(), String> {
    let image = p
        .spec
        .as_ref()
        .and_then(|s| s.containers.first())
        .and_then(|c| c.image.clone())
        .unwrap_or_default();
    if image == "bad" {
        return Err(format!(
            "Pod \"{}\" is invalid: spec.containers[0].image: Invalid value: \"bad\": toy rule",
            p.metadata.name.clone().unwrap_or_default()
        ));
    }
    Ok(())
}

fn sts(image: &str) -> StatefulSet {
    serde_json::from_value(serde_json::json!({
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {
            "serviceName": "web",
            "replicas": 1,
            "podManagementPolicy": "OrderedReady",
            "updateStrategy": {"type": "RollingUpdate"},
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {
                    "restartPolicy": "Always",
                    "containers": [{"name": "nginx", "image": image}]
                }
            },
            "volumeClaimTemplates": [{
                "metadata": {"name": "data"},
                "spec": {
                    "accessModes": ["ReadWriteOnce"],
                    "resources": {"requests": {"storage": "1Gi"}}
                }
            }]
        }
    }))
    .unwrap()
}

fn validating() -> Cluster {
    Cluster::new(ClusterConfig {
        pod_validator: Some(PodValidator(toy)),
        ..Default::default()
    })
}

fn apply(c: &mut Cluster, image: &str) {
    c.apply(Command::Apply(AnyObject::StatefulSet(Box::new(sts(image)))))
        .unwrap();
}

/// (reason, message, count) of the set's events, oldest first.
fn set_events(c: &Cluster) -> Vec<(String, String, i32)> {
    sim::events::for_object(c.store(), "StatefulSet", "default", "web")
        .into_iter()
        .map(|e: &Event| {
            (
                e.reason.clone().unwrap_or_default(),
                e.message.clone().unwrap_or_default(),
                e.count.unwrap_or(0),
            )
        })
        .collect()
}

const FAILED: &str = "create Pod web-0 in StatefulSet web failed error: Pod \"web-0\" is invalid: spec.containers[0].image: Invalid value: \"bad\": toy rule";

#[test]
fn store_rejects_an_invalid_pod_and_leaves_no_trace() {
    let mut s = Store::new();
    s.pod_validator = Some(PodValidator(toy));
    let mut p: Pod = serde_json::from_value(serde_json::json!({
        "metadata": {"name": "web-0"},
        "spec": {"containers": [{"name": "nginx", "image": "bad"}]}
    }))
    .unwrap();
    let (uids, rv) = (s.uid_counter, s.resource_version);
    let err = s.create(Actor::User, p.clone(), 0).unwrap_err();
    assert_eq!(
        err,
        ApiError::Invalid {
            message: "Pod \"web-0\" is invalid: spec.containers[0].image: Invalid value: \"bad\": toy rule".into()
        }
    );
    assert!(s.get::<Pod>("default", "web-0").is_none());
    assert_eq!((s.uid_counter, s.resource_version), (uids, rv));
    // Other kinds and valid pods pass.
    p.spec.as_mut().unwrap().containers[0].image = Some("nginx".into());
    s.create(Actor::User, p, 0).unwrap();
    // The validator survives a clone (history checkpoints are clones).
    assert_eq!(s.clone().pod_validator, Some(PodValidator(toy)));
}

/// `CreateStatefulPod`: the claim is created before the pod, so it exists although the pod was
/// rejected; the set shows the claim's SuccessfulCreate then the pod's FailedCreate.
#[test]
fn rejected_pod_claim_first_then_failedcreate_and_no_pod() {
    let mut c = validating();
    apply(&mut c, "bad");
    assert!(c.store().get::<Pod>("default", "web-0").is_none());
    assert!(
        c.store()
            .get::<PersistentVolumeClaim>("default", "data-web-0")
            .is_some()
    );
    let ev = set_events(&c);
    assert_eq!(ev.len(), 2, "{ev:?}");
    assert_eq!(
        (ev[0].0.as_str(), ev[0].1.as_str()),
        (
            "SuccessfulCreate",
            "create Claim data-web-0 Pod web-0 in StatefulSet web success"
        )
    );
    assert_eq!(
        (ev[1].0.as_str(), ev[1].1.as_str()),
        ("FailedCreate", FAILED)
    );
    let why = c.why("pod", "default", "web-0").join(" ");
    assert!(
        why.contains("web-0 is not created: the apiserver rejected it (Pod \"web-0\" is invalid:")
            && why.contains("retries with backoff until its pod template is fixed"),
        "{why}"
    );
    // Without a validator (the sim's default) the same set gets its pod.
    let mut plain = Cluster::new(ClusterConfig::default());
    apply(&mut plain, "bad");
    assert!(plain.store().get::<Pod>("default", "web-0").is_some());
}

/// The retries come at 5 ms, 10 ms, 20 ms, ... after each failure, capped at 1000 s; each one
/// fails again and bumps the FailedCreate event's count; nothing else is pending in between.
#[test]
fn failed_syncs_are_retried_with_exponential_backoff() {
    let mut c = validating();
    apply(&mut c, "bad");
    let start = c.now();
    let mut retries = Vec::new();
    while retries.len() < 24 {
        let r = c.step().expect("a retry is always pending");
        if r.description
            .contains("retry default/web after a failed sync")
        {
            retries.push(r.time);
        }
    }
    let mut gaps = Vec::new();
    let mut last = start;
    for t in &retries {
        gaps.push(t - last);
        last = *t;
    }
    // The failure at the apply instant counts once although the set was synced several times.
    let want: Vec<u64> = (0..24).map(|n| (5u64 << n).min(1_000_000)).collect();
    assert_eq!(gaps, want);
    let failed = set_events(&c)
        .into_iter()
        .find(|e| e.0 == "FailedCreate")
        .unwrap();
    assert_eq!(failed.1, FAILED);
    assert!(failed.2 > 24, "one count per retry: {}", failed.2);
    assert!(c.store().get::<Pod>("default", "web-0").is_none());
}

/// Fixing the template: the next retry creates the pod, the failures are forgotten and the
/// cluster settles; going back in history and resetting keep the validator.
#[test]
fn fixed_template_recovers_and_history_keeps_the_validator() {
    let mut c = validating();
    apply(&mut c, "bad");
    c.advance(60_000);
    let before = set_events(&c);
    apply(&mut c, "nginx");
    let r = c.settle(10_000);
    assert!(r.settled, "a fixed set settles");
    assert!(c.store().get::<Pod>("default", "web-0").is_some());
    let after = set_events(&c);
    let count = |ev: &[(String, String, i32)]| {
        ev.iter()
            .find(|e| e.0 == "FailedCreate")
            .map(|e| e.2)
            .unwrap_or(0)
    };
    assert_eq!(count(&before), count(&after), "no failures after the fix");
    assert!(
        after
            .iter()
            .any(|e| e.1 == "create Pod web-0 in StatefulSet web successful")
    );
    // Back to the fresh cluster (the first checkpoint), then the broken set again.
    let n = c.history_len();
    c.back(n).unwrap();
    assert!(c.store().statefulsets.is_empty());
    apply(&mut c, "bad");
    assert!(c.store().get::<Pod>("default", "web-0").is_none());
    c.reset();
    apply(&mut c, "bad");
    assert!(c.store().get::<Pod>("default", "web-0").is_none());
    assert_eq!(c.store().pod_validator, Some(PodValidator(toy)));
}

/// The set's status stays at 0 pods while its pod is rejected.
#[test]
fn status_counts_no_pods_while_rejected() {
    let mut c = validating();
    apply(&mut c, "bad");
    c.advance(30_000);
    let set = c.store().get::<StatefulSet>("default", "web").unwrap();
    let st = set.status.clone().unwrap_or_default();
    assert_eq!((st.replicas, st.ready_replicas.unwrap_or(0)), (0, 0));
}

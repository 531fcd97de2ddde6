#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! Deployments and ReplicaSets in the whole cluster (`pkg/controller/deployment`,
//! `pkg/controller/replicaset`): names, rollouts, scaling, history, deletion, and the
//! properties of a rolling update (`pkg/controller/deployment/rolling.go`: the new and old
//! ReplicaSets never hold more than `replicas + maxSurge` pods, never fewer than `replicas -
//! maxUnavailable` available while the template changes; pod names are never reused; equal
//! templates hash to the same ReplicaSet).

mod common;

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use k8s_openapi::api::core::v1::Pod;
use proptest::prelude::*;
use sim::object::AnyObject;
use sim::{Cluster, ClusterConfig, Command};

fn deployment(replicas: i32, image: &str) -> Deployment {
    serde_json::from_value(serde_json::json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {"metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "nginx", "image": image}]}},
            "strategy": {"type": "RollingUpdate",
                "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}},
            "revisionHistoryLimit": 10,
            "progressDeadlineSeconds": 600
        }
    }))
    .unwrap()
}

fn pods(c: &Cluster) -> Vec<String> {
    c.store()
        .list::<Pod>(Some("default"))
        .map(|p| p.metadata.name.clone().unwrap())
        .collect()
}

#[test]
fn a_deployment_makes_a_hashed_replica_set_and_random_pods() {
    let mut c = Cluster::new(ClusterConfig::default());
    c.apply(Command::Apply(AnyObject::Deployment(Box::new(deployment(
        3,
        "nginx:1.26.0",
    )))))
    .unwrap();
    let r = c.settle(10_000);
    assert!(r.settled, "{:?}", r.reports.last());
    let rss: Vec<&ReplicaSet> = c.store().list::<ReplicaSet>(Some("default")).collect();
    assert_eq!(rss.len(), 1);
    let rs_name = rss[0].metadata.name.clone().unwrap();
    assert!(rs_name.starts_with("web-"), "{rs_name}");
    let names = pods(&c);
    assert_eq!(names.len(), 3, "{names:?}");
    for n in &names {
        assert!(
            n.starts_with(&format!("{rs_name}-")) && n.len() == rs_name.len() + 6,
            "{n}"
        );
    }
    let d = c.store().get::<Deployment>("default", "web").unwrap();
    let st = d.status.clone().unwrap();
    assert_eq!(st.ready_replicas, Some(3), "{st:?}");
    assert_eq!(st.updated_replicas, Some(3));
    assert_eq!(
        d.metadata
            .annotations
            .as_ref()
            .unwrap()
            .get("deployment.kubernetes.io/revision")
            .map(String::as_str),
        Some("1")
    );
}

fn events(c: &Cluster) -> Vec<String> {
    let mut v: Vec<&k8s_openapi::api::core::v1::Event> = c
        .store()
        .list::<k8s_openapi::api::core::v1::Event>(Some("default"))
        .collect();
    v.sort_by_key(|e| {
        e.metadata
            .resource_version
            .clone()
            .map(|r| r.parse::<u64>().unwrap())
    });
    v.iter()
        .filter(|e| e.involved_object.kind.as_deref() == Some("Deployment"))
        .map(|e| e.message.clone().unwrap_or_default())
        .collect()
}

fn apply(c: &mut Cluster, d: Deployment) {
    c.apply(Command::Apply(AnyObject::Deployment(Box::new(d))))
        .unwrap();
}

fn rs_names(c: &Cluster) -> Vec<String> {
    c.store()
        .list::<ReplicaSet>(Some("default"))
        .map(|r| r.metadata.name.clone().unwrap())
        .collect()
}

/// `rolling.go`: with 4 replicas and 25 %/25 % (surge 1, unavailable 1) the new ReplicaSet goes
/// up by one, the old one down, … and the Deployment ends on revision 2 with both ReplicaSets
/// kept (revisionHistoryLimit 10).
#[test]
fn a_rolling_update_scales_new_up_and_old_down_in_steps() {
    let mut c = Cluster::new(ClusterConfig::default());
    apply(&mut c, deployment(4, "nginx:1.26.0"));
    assert!(c.settle(10_000).settled);
    let first = rs_names(&c);
    apply(&mut c, deployment(4, "nginx:1.27.0"));
    assert!(c.settle(10_000).settled);
    let rss = rs_names(&c);
    assert_eq!(rss.len(), 2, "{rss:?}");
    let new = rss.iter().find(|n| !first.contains(n)).unwrap().clone();
    let old = first[0].clone();
    let ev = events(&c);
    assert_eq!(ev[0], format!("Scaled up replica set {old} to 4"));
    assert_eq!(ev[1], format!("Scaled up replica set {new} to 1"));
    assert_eq!(ev[2], format!("Scaled down replica set {old} to 3 from 4"));
    assert_eq!(ev[3], format!("Scaled up replica set {new} to 2 from 1"));
    assert_eq!(
        ev.last().unwrap(),
        &format!("Scaled down replica set {old} to 0 from 1")
    );
    let d = c.store().get::<Deployment>("default", "web").unwrap();
    let st = d.status.clone().unwrap();
    assert_eq!(
        (st.replicas, st.updated_replicas, st.available_replicas),
        (Some(4), Some(4), Some(4))
    );
    let conds: Vec<(String, String, String)> = st
        .conditions
        .unwrap()
        .into_iter()
        .map(|c| (c.type_, c.status, c.reason.unwrap_or_default()))
        .collect();
    assert_eq!(
        conds,
        vec![
            (
                "Available".into(),
                "True".into(),
                "MinimumReplicasAvailable".into()
            ),
            (
                "Progressing".into(),
                "True".into(),
                "NewReplicaSetAvailable".into()
            ),
        ]
    );
    assert_eq!(
        d.metadata.annotations.as_ref().unwrap()["deployment.kubernetes.io/revision"],
        "2"
    );
    // Going back to the first template reuses (and renumbers) the first ReplicaSet.
    apply(&mut c, deployment(4, "nginx:1.26.0"));
    assert!(c.settle(10_000).settled);
    assert_eq!(rs_names(&c), rss);
    let back = c.store().get::<ReplicaSet>("default", &old).unwrap();
    assert_eq!(
        back.metadata.annotations.as_ref().unwrap()["deployment.kubernetes.io/revision"],
        "3"
    );
    assert_eq!(
        back.metadata.annotations.as_ref().unwrap()["deployment.kubernetes.io/revision-history"],
        "1"
    );
}

/// `recreate.go`: every old pod is gone before the new ReplicaSet is scaled up.
#[test]
fn recreate_scales_the_old_set_to_zero_first() {
    let mut c = Cluster::new(ClusterConfig::default());
    let mut d = deployment(3, "nginx:1.26.0");
    d.spec.as_mut().unwrap().strategy =
        Some(serde_json::from_value(serde_json::json!({"type": "Recreate"})).unwrap());
    apply(&mut c, d.clone());
    assert!(c.settle(10_000).settled);
    d.spec
        .as_mut()
        .unwrap()
        .template
        .spec
        .as_mut()
        .unwrap()
        .containers[0]
        .image = Some("nginx:1.27.0".into());
    apply(&mut c, d);
    let old = rs_names(&c)[0].clone();
    let mut saw_new = false;
    for _ in 0..10_000 {
        let Some(_) = c.step() else { break };
        let pods: Vec<&Pod> = c.store().list::<Pod>(Some("default")).collect();
        let new_pods = pods
            .iter()
            .filter(|p| {
                !p.metadata
                    .name
                    .as_ref()
                    .unwrap()
                    .starts_with(&format!("{old}-"))
            })
            .count();
        if new_pods > 0 {
            saw_new = true;
            assert!(
                pods.iter().all(|p| !p
                    .metadata
                    .name
                    .as_ref()
                    .unwrap()
                    .starts_with(&format!("{old}-"))),
                "an old pod still exists while a new one was created"
            );
        }
    }
    assert!(saw_new);
    let ev = events(&c);
    assert!(
        ev.iter()
            .any(|e| e == &format!("Scaled down replica set {old} to 0 from 3")),
        "{ev:?}"
    );
}

/// `progress.go`: a rollout that cannot finish gets Progressing=False/ProgressDeadlineExceeded
/// after progressDeadlineSeconds.
#[test]
fn a_stuck_rollout_exceeds_its_progress_deadline() {
    let mut c = Cluster::new(ClusterConfig::default());
    let mut d = deployment(2, "nginx:1.26.0");
    d.spec.as_mut().unwrap().progress_deadline_seconds = Some(30);
    apply(&mut c, d.clone());
    assert!(c.settle(10_000).settled);
    c.apply(Command::Fault(sim::Fault::ImageMissing(
        "nginx:broken".into(),
    )))
    .unwrap();
    d.spec
        .as_mut()
        .unwrap()
        .template
        .spec
        .as_mut()
        .unwrap()
        .containers[0]
        .image = Some("nginx:broken".into());
    apply(&mut c, d);
    c.advance(60_000);
    let d = c.store().get::<Deployment>("default", "web").unwrap();
    let p = d
        .status
        .as_ref()
        .unwrap()
        .conditions
        .iter()
        .flatten()
        .find(|c| c.type_ == "Progressing")
        .unwrap();
    assert_eq!(p.status, "False");
    assert_eq!(p.reason.as_deref(), Some("ProgressDeadlineExceeded"));
    assert!(
        p.message
            .as_deref()
            .unwrap()
            .ends_with("has timed out progressing."),
        "{p:?}"
    );
}

/// A paused Deployment rolls nothing out, and its sync never checks progress, so nothing is
/// left for the clock: `settle` ends at once instead of waiting for a stale progress check.
#[test]
fn a_paused_deployment_waits_without_a_progress_check() {
    let mut c = Cluster::new(ClusterConfig::default());
    let mut d = deployment(2, "nginx:1.26.0");
    apply(&mut c, d.clone());
    assert!(c.settle(10_000).settled);
    d.spec.as_mut().unwrap().paused = Some(true);
    apply(&mut c, d.clone());
    d.spec
        .as_mut()
        .unwrap()
        .template
        .spec
        .as_mut()
        .unwrap()
        .containers[0]
        .image = Some("nginx:1.27.0".into());
    apply(&mut c, d);
    let before = c.now();
    assert!(c.settle(10_000).settled);
    assert!(c.now() - before < 1_000, "the clock ran to {}", c.now());
    assert_eq!(
        rs_names(&c).len(),
        1,
        "a paused Deployment made a ReplicaSet"
    );
    let d = c.store().get::<Deployment>("default", "web").unwrap();
    let p = d
        .status
        .as_ref()
        .unwrap()
        .conditions
        .iter()
        .flatten()
        .find(|c| c.type_ == "Progressing")
        .unwrap();
    assert_eq!(
        (p.status.as_str(), p.reason.as_deref()),
        ("Unknown", Some("DeploymentPaused"))
    );
}

/// A claim shared by every replica (the way a Deployment names a volume): on one node they all
/// mount it; on several nodes the local PV's node affinity keeps every replica on that node, and
/// when that node cannot take more the new replicas stay Pending with the scheduler's message
/// (VolumeBinding's PreFilter narrows to the PV's node: `GetEligibleNodes`).
#[test]
fn a_shared_local_claim_keeps_every_replica_on_its_node() {
    let mut c = Cluster::new(ClusterConfig::default());
    c.apply(Command::SetNodes(3)).unwrap();
    let pvc: k8s_openapi::api::core::v1::PersistentVolumeClaim = serde_json::from_value(serde_json::json!({
        "apiVersion": "v1", "kind": "PersistentVolumeClaim",
        "metadata": {"name": "www", "namespace": "default"},
        "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}
    }))
    .unwrap();
    c.apply(Command::Apply(AnyObject::from(pvc))).unwrap();
    let mut d = deployment(3, "nginx:1.26.0");
    let tspec = d.spec.as_mut().unwrap().template.spec.as_mut().unwrap();
    tspec.volumes = Some(vec![
        serde_json::from_value(
            serde_json::json!({"name": "www", "persistentVolumeClaim": {"claimName": "www"}}),
        )
        .unwrap(),
    ]);
    tspec.containers[0].volume_mounts = Some(vec![
        serde_json::from_value(
            serde_json::json!({"name": "www", "mountPath": "/usr/share/nginx/html"}),
        )
        .unwrap(),
    ]);
    apply(&mut c, d);
    assert!(c.settle(10_000).settled);
    let nodes: Vec<String> = c
        .store()
        .list::<Pod>(Some("default"))
        .map(|p| p.spec.as_ref().unwrap().node_name.clone().unwrap())
        .collect();
    assert_eq!(nodes.len(), 3);
    assert!(nodes.iter().all(|n| n == &nodes[0]), "{nodes:?}");
    // The PV's node is cordoned: new replicas cannot go anywhere.
    c.apply(Command::Cordon {
        node: nodes[0].clone(),
        on: true,
    })
    .unwrap();
    c.apply(Command::Scale {
        resource: "deployments".into(),
        ns: "default".into(),
        name: "web".into(),
        replicas: 4,
    })
    .unwrap();
    c.settle(10_000);
    let pending: Vec<&Pod> = c
        .store()
        .list::<Pod>(Some("default"))
        .filter(|p| p.spec.as_ref().unwrap().node_name.is_none())
        .collect();
    assert_eq!(pending.len(), 1);
    let msg = pending[0]
        .status
        .as_ref()
        .unwrap()
        .conditions
        .iter()
        .flatten()
        .find(|c| c.type_ == "PodScheduled")
        .and_then(|c| c.message.clone())
        .unwrap();
    assert_eq!(
        msg,
        "0/3 nodes are available: 1 node(s) were unschedulable, 2 node(s) didn't satisfy plugin(s) [VolumeBinding]. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
    );
}

#[derive(Debug, Clone)]
enum Op {
    Image(u8),
    Scale(i32),
    Step(u16),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0u8..3).prop_map(Op::Image),
        1 => (0i32..7).prop_map(Op::Scale),
        2 => (1u16..40).prop_map(Op::Step),
    ]
}

fn int_or_percent() -> impl Strategy<Value = serde_json::Value> {
    prop_oneof![
        (0i32..3).prop_map(|n| serde_json::json!(n)),
        prop::sample::select(vec!["0%", "10%", "25%", "50%", "100%"])
            .prop_map(|p| serde_json::json!(p)),
    ]
}

/// `intstrutil.GetScaledValueFromIntOrPercent` and `ResolveFenceposts`.
fn fenceposts(surge: &serde_json::Value, unavail: &serde_json::Value, replicas: i32) -> (i32, i32) {
    let scaled = |v: &serde_json::Value, up: bool| match v {
        serde_json::Value::Number(n) => n.as_i64().unwrap() as i32,
        serde_json::Value::String(s) => {
            let p: i32 = s.trim_end_matches('%').parse().unwrap();
            let x = p * replicas;
            if up { (x + 99) / 100 } else { x / 100 }
        }
        _ => unreachable!(),
    };
    let (s, u) = (scaled(surge, true), scaled(unavail, false));
    if s == 0 && u == 0 { (0, 1) } else { (s, u) }
}

/// Every step of a random sequence of template changes, scalings and time: the ReplicaSets of
/// the Deployment never ask for, and never run, more than `replicas + maxSurge` pods; while the
/// template changes at a fixed size from a finished rollout, fewer than `replicas -
/// maxUnavailable` pods are never available; a pod name is never given to two pods; the same
/// template always lands in the same ReplicaSet.
fn check_rollouts(
    replicas: i32,
    surge: serde_json::Value,
    unavail: serde_json::Value,
    ops: &[Op],
) -> Result<(), TestCaseError> {
    let images = ["nginx:1.26.0", "nginx:1.27.0", "nginx:1.28.0"];
    let mut c = Cluster::new(ClusterConfig::default());
    c.set_history(false);
    let make = |replicas: i32, image: &str| {
        let mut d = deployment(replicas, image);
        d.spec.as_mut().unwrap().strategy = Some(
            serde_json::from_value(serde_json::json!({"type": "RollingUpdate",
                "rollingUpdate": {"maxSurge": surge, "maxUnavailable": unavail}}))
            .unwrap(),
        );
        d
    };
    let mut want = replicas;
    let mut image = 0usize;
    apply(&mut c, make(want, images[image]));
    c.settle(10_000);
    let mut uid_of_name: BTreeMap<String, String> = BTreeMap::new();
    let mut rs_of_image: BTreeMap<usize, String> = BTreeMap::new();
    // The rollout being checked for availability: started at a fixed size from a finished one.
    let mut guard_available = false;
    for op in ops {
        let complete = {
            let d = c.store().get::<Deployment>("default", "web").unwrap();
            let st = d.status.clone().unwrap_or_default();
            d.metadata.generation == st.observed_generation
                && st.updated_replicas == Some(want)
                && st.replicas == Some(want)
                && st.available_replicas == Some(want)
        };
        let steps = match op {
            Op::Image(i) => {
                guard_available = complete || guard_available;
                image = *i as usize;
                apply(&mut c, make(want, images[image]));
                400
            }
            Op::Scale(n) => {
                guard_available = false;
                want = *n;
                c.apply(Command::Scale {
                    resource: "deployments".into(),
                    ns: "default".into(),
                    name: "web".into(),
                    replicas: want,
                })
                .unwrap();
                400
            }
            Op::Step(n) => *n as usize,
        };
        let (max_surge, max_unavailable) = fenceposts(&surge, &unavail, want);
        for _ in 0..steps {
            let Some(_) = c.step() else { break };
            let store = c.store();
            let rss: Vec<&ReplicaSet> = store.list::<ReplicaSet>(Some("default")).collect();
            let asked: i32 = rss
                .iter()
                .map(|r| r.spec.as_ref().unwrap().replicas.unwrap_or(1))
                .sum();
            prop_assert!(
                asked <= want + max_surge,
                "ReplicaSets ask for {asked} > {want}+{max_surge}"
            );
            let pods: Vec<&Pod> = store.list::<Pod>(Some("default")).collect();
            let active = pods
                .iter()
                .filter(|p| p.metadata.deletion_timestamp.is_none())
                .count() as i32;
            prop_assert!(
                active <= want + max_surge,
                "{active} pods run > {want}+{max_surge}"
            );
            if guard_available {
                let available = pods
                    .iter()
                    .filter(|p| {
                        p.metadata.deletion_timestamp.is_none()
                            && sim::controller::podutil::is_pod_ready(p)
                    })
                    .count() as i32;
                prop_assert!(
                    available >= want - max_unavailable,
                    "{available} available < {want}-{max_unavailable}"
                );
            }
            for p in &pods {
                let name = p.metadata.name.clone().unwrap();
                let uid = p.metadata.uid.clone().unwrap();
                let seen = uid_of_name
                    .entry(name.clone())
                    .or_insert_with(|| uid.clone());
                prop_assert_eq!(seen, &uid, "pod name {} reused", name);
            }
        }
        // The ReplicaSet of the current template.
        let d = c.store().get::<Deployment>("default", "web").unwrap();
        if let Some(rs) = c.store().list::<ReplicaSet>(Some("default")).find(|r| {
            sim::controller::deployment::util::equal_ignore_hash(
                r.spec.as_ref().unwrap().template.as_ref().unwrap(),
                &d.spec.as_ref().unwrap().template,
            )
        }) {
            let name = rs.metadata.name.clone().unwrap();
            let seen = rs_of_image.entry(image).or_insert_with(|| name.clone());
            prop_assert_eq!(
                seen,
                &name,
                "template {} moved to another ReplicaSet",
                image
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: common::cases(2000) / 20, max_shrink_iters: 100, ..ProptestConfig::default() })]

    #[test]
    fn rolling_updates_stay_within_surge_and_unavailable(
        replicas in 1i32..7,
        surge in int_or_percent(),
        unavail in int_or_percent(),
        ops in prop::collection::vec(op(), 1..8),
    ) {
        // Validation rejects maxSurge and maxUnavailable both 0.
        let zero = |v: &serde_json::Value| v == &serde_json::json!(0) || v == &serde_json::json!("0%");
        prop_assume!(!(zero(&surge) && zero(&unavail)));
        check_rollouts(replicas, surge, unavail, &ops)?;
    }
}

fn rs_replicas(c: &Cluster) -> BTreeMap<String, (i32, i32)> {
    c.store()
        .list::<ReplicaSet>(Some("default"))
        .map(|r| {
            let spec = r.spec.as_ref().unwrap().replicas.unwrap_or(1);
            let image = r.spec.as_ref().unwrap().template.as_ref().unwrap();
            let image = image.spec.as_ref().unwrap().containers[0]
                .image
                .clone()
                .unwrap();
            (
                image,
                (
                    spec,
                    r.status
                        .as_ref()
                        .map_or(0, |s| s.ready_replicas.unwrap_or(0)),
                ),
            )
        })
        .collect()
}

/// Proportional scaling, the example of the Deployment concept page
/// (kubernetes.io/docs/concepts/workloads/controllers/deployment/#proportional-scaling;
/// `sync.go` `scale`, `util.go` `GetProportion`): 10 replicas, maxSurge 3, maxUnavailable 2,
/// an image that cannot be pulled blocks the rollout at 8 old + 5 new; scaling to 15 in the
/// middle of it gives 3 of the 5 extra replicas to the old ReplicaSet and 2 to the new one.
#[test]
fn scaling_during_a_rollout_spreads_replicas_proportionally() {
    let mut c = Cluster::new(ClusterConfig::default());
    let make = |replicas: i32, image: &str| {
        let mut d = deployment(replicas, image);
        d.spec.as_mut().unwrap().strategy = Some(
            serde_json::from_value(serde_json::json!({"type": "RollingUpdate",
                "rollingUpdate": {"maxSurge": 3, "maxUnavailable": 2}}))
            .unwrap(),
        );
        d
    };
    apply(&mut c, make(10, "nginx:1.26.0"));
    assert!(c.settle(10_000).settled);
    apply(&mut c, make(10, "nginx:sometag"));
    c.advance(60 * sim::time::SECOND);
    assert_eq!(
        rs_replicas(&c),
        BTreeMap::from([
            ("nginx:1.26.0".to_string(), (8, 8)),
            ("nginx:sometag".to_string(), (5, 0)),
        ])
    );
    c.apply(Command::Scale {
        resource: "deployments".into(),
        ns: "default".into(),
        name: "web".into(),
        replicas: 15,
    })
    .unwrap();
    c.advance(60 * sim::time::SECOND);
    assert_eq!(
        rs_replicas(&c),
        BTreeMap::from([
            ("nginx:1.26.0".to_string(), (11, 11)),
            ("nginx:sometag".to_string(), (7, 0)),
        ])
    );
    // The annotations `scale` writes on every ReplicaSet it touches (`SetReplicasAnnotations`).
    for r in c.store().list::<ReplicaSet>(Some("default")) {
        let a = r.metadata.annotations.as_ref().unwrap();
        assert_eq!(a["deployment.kubernetes.io/desired-replicas"], "15");
        assert_eq!(a["deployment.kubernetes.io/max-replicas"], "18");
    }
}

/// `sync.go` `cleanupDeployment`: with `revisionHistoryLimit: 1` only one old ReplicaSet (scaled
/// to zero) is kept beside the current one; the oldest revisions go first.
#[test]
fn revision_history_limit_prunes_the_oldest_replica_sets() {
    let mut c = Cluster::new(ClusterConfig::default());
    let make = |image: &str| {
        let mut d = deployment(2, image);
        d.spec.as_mut().unwrap().revision_history_limit = Some(1);
        d
    };
    for image in ["nginx:1.26.0", "nginx:1.27.0", "nginx:1.28.0"] {
        apply(&mut c, make(image));
        assert!(c.settle(10_000).settled);
    }
    let kept = rs_replicas(&c);
    assert_eq!(
        kept,
        BTreeMap::from([
            ("nginx:1.27.0".to_string(), (0, 0)),
            ("nginx:1.28.0".to_string(), (2, 2)),
        ])
    );
    let revisions: Vec<String> = c
        .store()
        .list::<ReplicaSet>(Some("default"))
        .map(|r| {
            r.metadata.annotations.as_ref().unwrap()["deployment.kubernetes.io/revision"].clone()
        })
        .collect();
    assert_eq!(revisions.len(), 2);
    assert!(revisions.contains(&"2".to_string()) && revisions.contains(&"3".to_string()));
}

/// `minReadySeconds` (`podutil.IsPodAvailable`, `replica_set_utils.go`
/// `calculateStatus`): ready pods count as available only after they have been ready for
/// that long; until then the Deployment is not Available.
#[test]
fn min_ready_seconds_delays_availability() {
    let mut c = Cluster::new(ClusterConfig::default());
    let mut d = deployment(2, "nginx:1.26.0");
    d.spec.as_mut().unwrap().min_ready_seconds = Some(30);
    apply(&mut c, d);
    let status = |c: &Cluster| {
        let d = c.store().get::<Deployment>("default", "web").unwrap();
        let st = d.status.clone().unwrap_or_default();
        (
            st.ready_replicas.unwrap_or(0),
            st.available_replicas.unwrap_or(0),
        )
    };
    // Step until both pods are ready.
    for _ in 0..10_000 {
        if status(&c).0 == 2 {
            break;
        }
        c.step();
    }
    assert_eq!(status(&c), (2, 0));
    let available = |c: &Cluster| {
        let d = c.store().get::<Deployment>("default", "web").unwrap();
        d.status
            .clone()
            .unwrap()
            .conditions
            .unwrap()
            .into_iter()
            .find(|c| c.type_ == "Available")
            .map(|c| (c.status, c.reason.unwrap_or_default()))
    };
    assert_eq!(
        available(&c),
        Some(("False".into(), "MinimumReplicasUnavailable".into()))
    );
    assert!(c.settle(10_000).settled);
    assert_eq!(status(&c), (2, 2));
    assert_eq!(
        available(&c),
        Some(("True".into(), "MinimumReplicasAvailable".into()))
    );
}

/// `sync.go` `getNewReplicaSet`: a ReplicaSet that already has the new one's name but another
/// template (not the Deployment's) is a hash collision: `status.collisionCount` goes to 1 and the
/// next sync creates the ReplicaSet named by `ComputeHash(template, 1)`.
#[test]
fn a_name_taken_by_another_replica_set_bumps_the_collision_count() {
    let d = deployment(2, "nginx:1.26.0");
    let taken = format!(
        "web-{}",
        sim::controller::controller_utils::compute_hash(&d.spec.as_ref().unwrap().template, None)
    );
    let mut c = Cluster::new(ClusterConfig::default());
    let squatter: ReplicaSet = serde_json::from_value(serde_json::json!({
        "apiVersion": "apps/v1", "kind": "ReplicaSet",
        "metadata": {"name": taken, "namespace": "default"},
        "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "other"}},
            "template": {"metadata": {"labels": {"app": "other"}},
                "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27.0"}]}}}
    }))
    .unwrap();
    c.apply(Command::Apply(AnyObject::ReplicaSet(Box::new(squatter))))
        .unwrap();
    apply(&mut c, d.clone());
    assert!(c.settle(10_000).settled);
    let got = c.store().get::<Deployment>("default", "web").unwrap();
    assert_eq!(got.status.as_ref().unwrap().collision_count, Some(1));
    let second = format!(
        "web-{}",
        sim::controller::controller_utils::compute_hash(
            &d.spec.as_ref().unwrap().template,
            Some(1)
        )
    );
    assert_ne!(second, taken);
    let mut names = rs_names(&c);
    names.sort();
    let mut want = vec![taken.clone(), second.clone()];
    want.sort();
    assert_eq!(names, want);
    let ours = c.store().get::<ReplicaSet>("default", &second).unwrap();
    assert_eq!(ours.spec.as_ref().unwrap().replicas, Some(2));
    // The squatter is left alone: not adopted, not scaled.
    let other = c.store().get::<ReplicaSet>("default", &taken).unwrap();
    assert!(other.metadata.owner_references.is_none());
    assert_eq!(other.spec.as_ref().unwrap().replicas, Some(1));
}

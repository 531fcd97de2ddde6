#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! Property tests over random operation sequences on the whole runtime (apply, scale, delete
//! pod / claim / set, faults, node down/up, image missing, rolling updates, step, settle,
//! advance), checking after every command and every event what the StatefulSet controller
//! *does* (upstream `stateful_set_control_test.go` `assertMonotonicInvariants`,
//! `assertBurstInvariants`; issue 3's invariants):
//! - a pod is created only when its claims exist (claims first);
//! - OrderedReady creates pod N only when every lower ordinal is Running and Ready;
//! - OrderedReady scale-down deletes only the highest ordinal, one at a time, only when every
//!   in-range replica is healthy, and an unhealthy condemned pod only when it is the first
//!   unhealthy one (upstream `processCondemned`: a *healthy* condemned pod is deleted even if a
//!   lower condemned pod is terminating);
//! - identity: pods are `<set>-<ordinal>` with hostname = name, subdomain = serviceName,
//!   volume `data` → claim `data-<pod>`, ordinals within the set's range when created;
//! - no claim is deleted unless the user or the retention policy (via the GC) says so;
//! - determinism: the same sequence gives the same state; `back` restores exact states.
//!
//! Cases: 2,000 by default (`PROPTEST_CASES` overrides, e.g. `PROPTEST_CASES=20000`).

mod common;
use common::cases;

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::{PersistentVolumeClaim, Pod};
use proptest::prelude::*;
use sim::object::AnyObject;
use sim::store::{Actor, Verb, Write, Written};
use sim::{Cluster, ClusterConfig, Command, Fault, Propagation};

const SET: &str = "web";

fn sts(replicas: i32, parallel: bool, image: &str, when_deleted_delete: bool) -> StatefulSet {
    serde_json::from_value(serde_json::json!({
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {"name": SET, "namespace": "default"},
        "spec": {
            "serviceName": "web",
            "replicas": replicas,
            "podManagementPolicy": if parallel { "Parallel" } else { "OrderedReady" },
            "persistentVolumeClaimRetentionPolicy": {
                "whenDeleted": if when_deleted_delete { "Delete" } else { "Retain" },
                "whenScaled": "Retain"
            },
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {
                    "terminationGracePeriodSeconds": 30,
                    "initContainers": [{
                        "name": "init",
                        "image": "nginx:1.26.0",
                        "command": ["bash", "-c", "set -ex\necho \"Hello from pod $(hostname)\" > /data/index.html\n"],
                        "volumeMounts": [{"name": "data", "mountPath": "/data"}]
                    }],
                    "containers": [{
                        "name": "nginx",
                        "image": image,
                        "volumeMounts": [{"name": "data", "mountPath": "/data"}]
                    }]
                }
            },
            "volumeClaimTemplates": [{
                "metadata": {"name": "data"},
                "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}
            }]
        }
    }))
    .unwrap()
}

#[derive(Debug, Clone)]
enum Op {
    Apply {
        replicas: i32,
        parallel: bool,
        new_image: bool,
        delete_policy: bool,
    },
    Scale(i32),
    DeletePod(u8),
    ForceDeletePod(u8),
    DeleteClaim(u8),
    DeleteSet(bool),
    Crash(u8),
    Unready(u8),
    Ready(u8),
    NodeDown,
    NodeUp,
    ImageMissing,
    ImagePresent,
    Step(u8),
    Settle,
    Advance(u32),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0i32..4, any::<bool>(), any::<bool>(), prop::bool::weighted(0.2))
            .prop_map(|(replicas, parallel, new_image, delete_policy)| Op::Apply { replicas, parallel, new_image, delete_policy }),
        2 => (0i32..5).prop_map(Op::Scale),
        2 => (0u8..4).prop_map(Op::DeletePod),
        1 => (0u8..4).prop_map(Op::ForceDeletePod),
        1 => (0u8..4).prop_map(Op::DeleteClaim),
        1 => any::<bool>().prop_map(Op::DeleteSet),
        1 => (0u8..4).prop_map(Op::Crash),
        1 => (0u8..4).prop_map(Op::Unready),
        1 => (0u8..4).prop_map(Op::Ready),
        1 => Just(Op::NodeDown),
        1 => Just(Op::NodeUp),
        1 => Just(Op::ImageMissing),
        1 => Just(Op::ImagePresent),
        4 => (1u8..12).prop_map(Op::Step),
        3 => Just(Op::Settle),
        1 => (1u32..120_000).prop_map(Op::Advance),
    ]
}

/// Run one operation; the writes it made.
fn op_writes(c: &mut Cluster, op: &Op) -> Vec<Write> {
    let mut writes = Vec::new();
    match op {
        Op::Step(n) => {
            for _ in 0..*n {
                let Some(r) = c.step() else { break };
                writes.extend(r.writes);
            }
        }
        Op::Settle => {
            for r in c.settle(300).reports {
                writes.extend(r.writes);
            }
        }
        Op::Advance(ms) => {
            for r in c.advance(u64::from(*ms)) {
                writes.extend(r.writes);
            }
        }
        other => {
            if let Some(cmd) = to_command(c, other)
                && let Ok(a) = c.apply(cmd)
            {
                writes.extend(a.writes);
            }
        }
    }
    writes
}

/// An operation of the endpoints test: one of [`op`], or the headless Service applied with
/// another port, or deleted.
#[derive(Debug, Clone)]
enum SvcOp {
    Core(Op),
    Service(u8),
    DeleteService,
}

fn svc_op() -> impl Strategy<Value = SvcOp> {
    prop_oneof![
        10 => op().prop_map(SvcOp::Core),
        1 => (0u8..3).prop_map(SvcOp::Service),
        1 => Just(SvcOp::DeleteService),
    ]
}

/// The seed's headless Service for the set's pods.
fn service(port: i32) -> k8s_openapi::api::core::v1::Service {
    serde_json::from_value(serde_json::json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"}},
        "spec": {"clusterIP": "None", "selector": {"app": "web"},
                 "ports": [{"name": "web", "port": port}]}
    }))
    .unwrap()
}

fn to_command(c: &Cluster, op: &Op) -> Option<Command> {
    let del = |resource: &str, name: String, grace: Option<i64>, propagation| Command::Delete {
        resource: resource.into(),
        ns: "default".into(),
        name,
        grace_seconds: grace,
        propagation,
    };
    Some(match op {
        Op::Apply {
            replicas,
            parallel,
            new_image,
            delete_policy,
        } => {
            let image = if *new_image {
                "nginx:1.27"
            } else {
                "nginx:1.26.0"
            };
            let mut s = sts(*replicas, *parallel, image, *delete_policy);
            // podManagementPolicy is immutable: keep the stored one.
            if let Some(old) = c.store().get::<StatefulSet>("default", SET) {
                s.spec.as_mut().unwrap().pod_management_policy = old
                    .spec
                    .as_ref()
                    .and_then(|x| x.pod_management_policy.clone());
            }
            Command::Apply(AnyObject::StatefulSet(Box::new(s)))
        }
        Op::Scale(r) => Command::Scale {
            resource: "statefulsets".into(),
            ns: "default".into(),
            name: SET.into(),
            replicas: *r,
        },
        Op::DeletePod(o) => del("pods", format!("{SET}-{o}"), None, Propagation::Background),
        Op::ForceDeletePod(o) => del(
            "pods",
            format!("{SET}-{o}"),
            Some(0),
            Propagation::Background,
        ),
        Op::DeleteClaim(o) => del(
            "persistentvolumeclaims",
            format!("data-{SET}-{o}"),
            None,
            Propagation::Background,
        ),
        Op::DeleteSet(orphan) => del(
            "statefulsets",
            SET.into(),
            None,
            if *orphan {
                Propagation::Orphan
            } else {
                Propagation::Background
            },
        ),
        Op::Crash(o) => Command::Fault(Fault::PodCrash(format!("{SET}-{o}"))),
        Op::Unready(o) => Command::Fault(Fault::PodUnready(format!("{SET}-{o}"))),
        Op::Ready(o) => Command::Fault(Fault::PodReady(format!("{SET}-{o}"))),
        Op::NodeDown => Command::Fault(Fault::NodeDown("kind-control-plane".into())),
        Op::NodeUp => Command::Fault(Fault::NodeUp("kind-control-plane".into())),
        Op::ImageMissing => Command::Fault(Fault::ImageMissing("nginx:1.27".into())),
        Op::ImagePresent => Command::Fault(Fault::ImagePresent("nginx:1.27".into())),
        _ => return None,
    })
}

#[derive(Clone, Debug)]
struct Shadow {
    pods: BTreeMap<String, Pod>,
    claims: BTreeSet<String>,
    set: Option<StatefulSet>,
    /// A retention policy with Delete was ever applied (the GC may then delete claims).
    delete_policy_seen: bool,
}

impl Shadow {
    fn of(c: &Cluster, delete_policy_seen: bool) -> Self {
        Shadow {
            pods: c
                .store()
                .pods
                .iter()
                .map(|((_, n), p)| (n.clone(), Pod::clone(p)))
                .collect(),
            claims: c.store().pvcs.keys().map(|(_, n)| n.clone()).collect(),
            set: c.store().get::<StatefulSet>("default", SET).cloned(),
            delete_policy_seen,
        }
    }
}

fn ordinal(name: &str) -> Option<i64> {
    name.strip_prefix(&format!("{SET}-"))?.parse().ok()
}

fn healthy(p: &Pod) -> bool {
    p.metadata.deletion_timestamp.is_none()
        && p.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Running")
        && p.status
            .as_ref()
            .and_then(|s| s.conditions.as_ref())
            .is_some_and(|c| c.iter().any(|c| c.type_ == "Ready" && c.status == "True"))
}

fn monotonic(set: &StatefulSet) -> bool {
    set.spec
        .as_ref()
        .and_then(|s| s.pod_management_policy.as_deref())
        != Some("Parallel")
}

/// Check the controller's actions in a batch of writes, replaying them over the shadow.
fn check_writes(sh: &mut Shadow, writes: &[Write]) -> Result<(), TestCaseError> {
    for w in writes {
        match (w.resource, &w.object) {
            ("statefulsets", Some(Written::StatefulSet(s))) => {
                if s.spec
                    .as_ref()
                    .and_then(|x| x.persistent_volume_claim_retention_policy.as_ref())
                    .is_some_and(|p| {
                        p.when_deleted.as_deref() == Some("Delete")
                            || p.when_scaled.as_deref() == Some("Delete")
                    })
                {
                    sh.delete_policy_seen = true;
                }
                sh.set = if w.verb == Verb::Removed {
                    None
                } else {
                    Some(StatefulSet::clone(s))
                };
            }
            ("statefulsets", Some(_)) => {}
            ("statefulsets", None) if w.verb == Verb::Removed => sh.set = None,
            ("persistentvolumeclaims", _) => {
                match w.verb {
                    Verb::Create => {
                        sh.claims.insert(w.name.clone());
                    }
                    Verb::Removed => {
                        sh.claims.remove(&w.name);
                    }
                    Verb::Delete => {
                        // Only the user, or the GC under a Delete retention policy.
                        let ok = w.actor == Actor::User
                            || (w.actor == Actor::GarbageCollector && sh.delete_policy_seen);
                        prop_assert!(
                            ok,
                            "claim {} deleted by {:?} (policy Delete seen: {})",
                            w.name,
                            w.actor,
                            sh.delete_policy_seen
                        );
                    }
                    _ => {}
                }
            }
            ("pods", obj) => {
                let pod = match obj.as_ref() {
                    Some(Written::Pod(p)) => Some(Pod::clone(p)),
                    _ => None,
                };
                if w.verb == Verb::Create && w.actor == Actor::StatefulSetController {
                    let p = pod.clone().expect("record_objects is on");
                    let ord = ordinal(&w.name);
                    prop_assert!(ord.is_some(), "pod name {}", w.name);
                    let ord = ord.unwrap_or(-1);
                    // Identity.
                    let spec = p.spec.as_ref().unwrap();
                    prop_assert_eq!(spec.hostname.as_deref(), Some(w.name.as_str()));
                    prop_assert_eq!(spec.subdomain.as_deref(), Some("web"));
                    let claim = format!("data-{}", w.name);
                    let vol = spec.volumes.iter().flatten().find(|v| v.name == "data");
                    prop_assert_eq!(
                        vol.and_then(|v| v.persistent_volume_claim.as_ref())
                            .map(|c| c.claim_name.clone()),
                        Some(claim.clone())
                    );
                    // Claims first.
                    prop_assert!(
                        sh.claims.contains(&claim),
                        "pod {} created without its claim",
                        w.name
                    );
                    if let Some(set) = &sh.set {
                        let replicas =
                            i64::from(set.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1));
                        prop_assert!(
                            (0..replicas).contains(&ord),
                            "pod {} outside 0..{}",
                            w.name,
                            replicas
                        );
                        if monotonic(set) {
                            for lower in 0..ord {
                                let n = format!("{SET}-{lower}");
                                let ok = sh.pods.get(&n).is_some_and(healthy);
                                prop_assert!(
                                    ok,
                                    "OrderedReady created {} while {} is not Running and Ready",
                                    w.name,
                                    n
                                );
                            }
                        }
                    }
                }
                if w.verb == Verb::Delete
                    && w.actor == Actor::StatefulSetController
                    && let Some(set) = &sh.set
                {
                    let replicas =
                        i64::from(set.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1));
                    let ord = ordinal(&w.name).unwrap_or(-1);
                    let failed = sh
                        .pods
                        .get(&w.name)
                        .and_then(|p| p.status.as_ref())
                        .and_then(|s| s.phase.as_deref())
                        .is_some_and(|ph| ph == "Failed" || ph == "Succeeded");
                    if monotonic(set) && ord >= replicas && !failed {
                        // Upstream processCondemned (monotonic): the highest ordinal first (a
                        // terminating higher one blocks), only after every in-range replica is
                        // healthy, and an unhealthy condemned pod only if it is the first
                        // unhealthy pod.
                        // Only the set's own pods count (an orphaned terminating pod is
                        // not adopted: controller_ref_manager skips deleted objects).
                        let set_uid = set.metadata.uid.clone();
                        let owned = |p: &Pod| {
                            p.metadata.owner_references.iter().flatten().any(|r| {
                                r.controller == Some(true) && Some(&r.uid) == set_uid.as_ref()
                            })
                        };
                        let highest = sh
                            .pods
                            .iter()
                            .filter(|(_, p)| owned(p))
                            .filter_map(|(n, _)| ordinal(n))
                            .max();
                        prop_assert_eq!(
                            highest,
                            Some(ord),
                            "scale-down deleted {} but not the highest",
                            w.name
                        );
                        for (n, p) in sh.pods.iter().filter(|(_, p)| owned(p)) {
                            if ordinal(n).is_some_and(|o| o < replicas) {
                                prop_assert!(
                                    healthy(p),
                                    "scale-down deleted {} while replica {} is unhealthy",
                                    w.name,
                                    n
                                );
                            }
                        }
                        let target_healthy = sh.pods.get(&w.name).is_some_and(healthy);
                        if !target_healthy {
                            let first_unhealthy = sh
                                .pods
                                .iter()
                                .filter(|(n, p)| owned(p) && ordinal(n).is_some() && !healthy(p))
                                .filter_map(|(n, _)| ordinal(n))
                                .min();
                            prop_assert_eq!(
                                first_unhealthy,
                                Some(ord),
                                "deleted unhealthy {} that is not the first unhealthy pod",
                                w.name
                            );
                        }
                    }
                }
                match (w.verb, pod) {
                    (Verb::Removed, _) => {
                        sh.pods.remove(&w.name);
                    }
                    (_, Some(p)) => {
                        sh.pods.insert(w.name.clone(), p);
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Invariants on the state itself.
fn check_state(c: &Cluster) -> Result<(), TestCaseError> {
    // kind's own pods (kube-system, local-path-storage) are not the set's.
    for p in c.store().list::<Pod>(Some("default")) {
        let name = p.metadata.name.clone().unwrap_or_default();
        prop_assert!(ordinal(&name).is_some(), "unexpected pod {}", name);
        let spec = p.spec.as_ref().unwrap();
        prop_assert_eq!(spec.hostname.as_deref(), Some(name.as_str()));
        // A scheduled pod's claims exist (pvc-protection keeps them while the pod is on a node).
        if spec.node_name.is_some() {
            for v in spec.volumes.iter().flatten() {
                if let Some(pvc) = &v.persistent_volume_claim {
                    prop_assert!(
                        c.store()
                            .get::<PersistentVolumeClaim>("default", &pvc.claim_name)
                            .is_some(),
                        "scheduled pod {} without claim {}",
                        name,
                        pvc.claim_name
                    );
                }
            }
        }
        // Columns never panic and are well-formed.
        let cols = sim::podstatus::columns(p, c.now());
        prop_assert!(cols.ready.contains('/'));
    }
    Ok(())
}

fn run_ops(ops: &[Op], check: bool) -> Result<Cluster, TestCaseError> {
    let mut c = Cluster::new(ClusterConfig::default());
    c.set_history(false);
    let mut policy_seen = false;
    for op in ops {
        let mut sh = Shadow::of(&c, policy_seen);
        match op {
            Op::Step(n) => {
                for _ in 0..*n {
                    let Some(r) = c.step() else { break };
                    if check {
                        check_writes(&mut sh, &r.writes)?;
                    }
                }
            }
            Op::Settle => {
                let rep = c.settle(300);
                if check {
                    for r in &rep.reports {
                        check_writes(&mut sh, &r.writes)?;
                    }
                }
            }
            Op::Advance(ms) => {
                let reps = c.advance(u64::from(*ms));
                if check {
                    for r in &reps {
                        check_writes(&mut sh, &r.writes)?;
                    }
                }
            }
            other => {
                if let Some(cmd) = to_command(&c, other)
                    && let Ok(a) = c.apply(cmd)
                    && check
                {
                    check_writes(&mut sh, &a.writes)?;
                }
            }
        }
        policy_seen = sh.delete_policy_seen;
        if check {
            check_state(&c)?;
        }
    }
    Ok(c)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(2000), max_shrink_iters: 200, ..ProptestConfig::default() })]

    #[test]
    fn controller_invariants_hold_under_random_operations(ops in prop::collection::vec(op(), 1..12)) {
        run_ops(&ops, true)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(2000) / 10, ..ProptestConfig::default() })]

    #[test]
    fn same_sequence_same_state(ops in prop::collection::vec(op(), 1..10)) {
        let a = run_ops(&ops, false)?;
        let b = run_ops(&ops, false)?;
        prop_assert!(a.store() == b.store());
        prop_assert_eq!(a.now(), b.now());
    }

    /// The shortcuts change nothing: the same operations with the controller's `ReplicaMemo`
    /// off and the GC run after every controller run, and with both shortcuts on, give the
    /// same writes and the same store after every operation.
    #[test]
    fn replica_memo_changes_nothing(ops in prop::collection::vec(op(), 1..10)) {
        let run = |off: bool| {
            sim::controller::set_replica_memo_off_in_thread(off);
            sim::cluster::set_gc_always_in_thread(off);
            let mut c = Cluster::new(ClusterConfig::default());
            c.set_history(false);
            let mut out: Vec<(Vec<Write>, sim::store::Store, u64)> = Vec::new();
            for op in &ops {
                let writes = op_writes(&mut c, op);
                out.push((writes, c.store().clone(), c.now()));
            }
            sim::controller::set_replica_memo_off_in_thread(false);
            sim::cluster::set_gc_always_in_thread(false);
            out
        };
        let a = run(true);
        let b = run(false);
        prop_assert_eq!(a.len(), b.len());
        for (i, (x, y)) in a.iter().zip(b.iter()).enumerate() {
            prop_assert_eq!(&x.0, &y.0, "op {} {:?}: writes differ", i, &ops[i]);
            prop_assert!(x.1 == y.1, "op {} {:?}: stores differ", i, &ops[i]);
            prop_assert_eq!(x.2, y.2);
        }
    }

    /// Endpoints edited in place change nothing: with the seed's headless Service (changed and
    /// deleted now and then), the same operations with every Endpoints/EndpointSlice rebuilt
    /// from all members and with in-place edits give the same writes and the same store after
    /// every operation.
    #[test]
    fn endpoints_in_place_changes_nothing(ops in prop::collection::vec(svc_op(), 1..12)) {
        let run = |rebuild: bool| {
            sim::endpoints::set_rebuild_always_in_thread(rebuild);
            let mut c = Cluster::new(ClusterConfig::default());
            c.set_history(false);
            let _ = c.apply(Command::Apply(AnyObject::Service(Box::new(service(80)))));
            let mut out: Vec<(Vec<Write>, sim::store::Store)> = Vec::new();
            for op in &ops {
                let mut writes = Vec::new();
                match op {
                    SvcOp::Core(op) => writes = op_writes(&mut c, op),
                    SvcOp::Service(port) => {
                        let svc = service(if *port == 0 { 80 } else { 8080 + i32::from(*port) });
                        if let Ok(a) = c.apply(Command::Apply(AnyObject::Service(Box::new(svc)))) {
                            writes.extend(a.writes);
                        }
                    }
                    SvcOp::DeleteService => {
                        if let Ok(a) = c.apply(Command::Delete {
                            resource: "services".into(),
                            ns: "default".into(),
                            name: "web".into(),
                            grace_seconds: None,
                            propagation: Propagation::Background,
                        }) {
                            writes.extend(a.writes);
                        }
                    }
                }
                out.push((writes, c.store().clone()));
            }
            sim::endpoints::set_rebuild_always_in_thread(false);
            out
        };
        let a = run(true);
        let b = run(false);
        prop_assert_eq!(a.len(), b.len());
        for (i, (x, y)) in a.iter().zip(b.iter()).enumerate() {
            prop_assert_eq!(&x.0, &y.0, "op {} {:?}: writes differ", i, &ops[i]);
            prop_assert!(x.1 == y.1, "op {} {:?}: stores differ", i, &ops[i]);
        }
    }

    #[test]
    fn back_restores_exact_states(ops in prop::collection::vec(op(), 1..10), back in 1usize..40) {
        let mut c = Cluster::new(ClusterConfig::default());
        let mut states = vec![(c.store().clone(), c.now())];
        for op in &ops {
            match op {
                Op::Step(n) => for _ in 0..*n {
                    let before = c.history_len();
                    let r = c.step();
                    if c.history_len() > before { states.push((c.store().clone(), c.now())); }
                    if r.is_none() { break; }
                },
                Op::Settle | Op::Advance(_) => {
                    // One entry per event (and one for a trailing clock move).
                    for _ in 0..60 {
                        let before = c.history_len();
                        let r = c.step();
                        if c.history_len() > before { states.push((c.store().clone(), c.now())); }
                        if r.is_none() { break; }
                    }
                }
                other => {
                    if let Some(cmd) = to_command(&c, other) {
                        let _ = c.apply(cmd);
                        states.push((c.store().clone(), c.now()));
                    }
                }
            }
        }
        prop_assert_eq!(states.len() - 1, c.history_len());
        let back = back.min(c.history_len());
        c.back(back).unwrap();
        let (s, t) = &states[states.len() - 1 - back];
        prop_assert_eq!(c.now(), *t);
        prop_assert!(c.store() == s);
    }
}

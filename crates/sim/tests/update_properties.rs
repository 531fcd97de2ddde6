#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! Property tests of rolling updates through the whole runtime (`sim::Cluster`): random
//! sequences of template changes (image), partition changes, maxUnavailable (1, 2, "50%"),
//! OnDelete/RollingUpdate switches, minReadySeconds, scale, pod deletes and faults (crash,
//! unready, image missing/present, node down/up) interleaved with step/settle/advance.
//!
//! Invariants about what the StatefulSet controller *does* (its pod deletes in the write log),
//! v1.35 semantics with MaxUnavailableStatefulSet either on (upstream `stateful_set_control.go`
//! `updateStatefulSetAfterInvariantEstablished`; the v1.35.0-v1.35.3 default, or enabled) or
//! off (the legacy one-at-a-time loop; the v1.35.4+ default, where the apiserver drops
//! maxUnavailable) — each case picks one:
//! - within one rollout (same template, same update strategy) the controller's update deletes
//!   are in strictly decreasing ordinal order (Failed/Succeeded pods are deleted for
//!   recreation, not for the update, and are set aside as the oracle README explains);
//! - an update delete never leaves more than maxUnavailable of the in-range replicas
//!   unavailable (missing, terminating, or not Ready for minReadySeconds);
//! - under RollingUpdate the controller never deletes a (non-failed) pod below the partition,
//!   and a pod's revision label never changes while the pod lives (so pods below the partition
//!   change revision only by being deleted by the user or a fault);
//! - under OnDelete the controller never deletes a (non-failed) in-range pod;
//! - after `partition: 0`, healing every fault and settling, every pod is on
//!   `status.updateRevision`, `currentRevision == updateRevision` and
//!   `updatedReplicas == replicas`.
//!
//! Cases: 500 by default (`PROPTEST_CASES` overrides).

mod common;
use common::cases;

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::Pod;
use proptest::prelude::*;
use sim::config::Gate;
use sim::object::AnyObject;
use sim::store::{Actor, Verb, Write, Written};
use sim::time::SimTime;
use sim::{Cluster, ClusterConfig, Command, Fault, Propagation};

const SET: &str = "nginx-with-init-container";
const IMAGES: [&str; 3] = ["nginx:1.26.0", "nginx:1.27", "nginx:1.28"];
const REV_LABEL: &str = "controller-revision-hash";

#[derive(Debug, Clone, Copy, PartialEq)]
enum MaxU {
    One,
    Two,
    Half,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Spec {
    replicas: i32,
    image: usize,
    on_delete: bool,
    partition: i32,
    max_unavailable: MaxU,
    min_ready: i32,
}

/// The seed StatefulSet (`/work/shared/seed.md`) with the knobs this test turns.
fn sts(s: &Spec) -> StatefulSet {
    let strategy = if s.on_delete {
        serde_json::json!({"type": "OnDelete"})
    } else {
        let mu = match s.max_unavailable {
            MaxU::One => serde_json::json!(1),
            MaxU::Two => serde_json::json!(2),
            MaxU::Half => serde_json::json!("50%"),
        };
        serde_json::json!({"type": "RollingUpdate",
            "rollingUpdate": {"partition": s.partition, "maxUnavailable": mu}})
    };
    serde_json::from_value(serde_json::json!({
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {"name": SET, "namespace": "default"},
        "spec": {
            "serviceName": "nginx-with-init-container",
            "replicas": s.replicas,
            "minReadySeconds": s.min_ready,
            "updateStrategy": strategy,
            "selector": {"matchLabels": {"app": "nginx-with-init-container"}},
            "template": {
                "metadata": {"labels": {"app": "nginx-with-init-container"}},
                "spec": {
                    "initContainers": [{
                        "name": "init",
                        "image": "nginx:1.26.0",
                        "command": ["bash", "-c", "set -ex\necho \"Hello from pod $(hostname)\" > /data/index.html\n"],
                        "volumeMounts": [{"name": "data", "mountPath": "/data"}]
                    }],
                    "containers": [{
                        "name": "nginx",
                        "image": IMAGES[s.image],
                        "ports": [{"containerPort": 80, "name": "http"}],
                        "volumeMounts": [{"name": "data", "mountPath": "/usr/share/nginx/html"}]
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
    Image(usize),
    Partition(i32),
    MaxUnavailable(MaxU),
    Strategy(bool),
    MinReady(i32),
    Scale(i32),
    DeletePod(u8),
    Crash(u8),
    Unready(u8),
    Ready(u8),
    NodeDown,
    NodeUp,
    ImageMissing(usize),
    ImagePresent(usize),
    Step(u8),
    Settle,
    Advance(u32),
}

fn maxu() -> impl Strategy<Value = MaxU> {
    prop_oneof![Just(MaxU::One), Just(MaxU::Two), Just(MaxU::Half)]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0usize..3).prop_map(Op::Image),
        3 => (0i32..6).prop_map(Op::Partition),
        2 => maxu().prop_map(Op::MaxUnavailable),
        1 => any::<bool>().prop_map(Op::Strategy),
        1 => prop_oneof![Just(0), Just(5)].prop_map(Op::MinReady),
        2 => (0i32..6).prop_map(Op::Scale),
        2 => (0u8..5).prop_map(Op::DeletePod),
        1 => (0u8..5).prop_map(Op::Crash),
        1 => (0u8..5).prop_map(Op::Unready),
        1 => (0u8..5).prop_map(Op::Ready),
        1 => Just(Op::NodeDown),
        1 => Just(Op::NodeUp),
        1 => (1usize..3).prop_map(Op::ImageMissing),
        1 => (1usize..3).prop_map(Op::ImagePresent),
        5 => (1u8..16).prop_map(Op::Step),
        3 => Just(Op::Settle),
        1 => (1u32..60_000).prop_map(Op::Advance),
    ]
}

fn pod_fault(f: fn(String) -> Fault, o: u8) -> Command {
    Command::Fault(f(format!("{SET}-{o}")))
}

/// Apply one op; returns the writes it caused (empty for rejected commands).
fn apply_op(c: &mut Cluster, spec: &mut Spec, op: &Op) -> Vec<(SimTime, Vec<Write>)> {
    let set_spec = |spec: &mut Spec, f: &dyn Fn(&mut Spec)| {
        f(spec);
        Command::Apply(AnyObject::StatefulSet(Box::new(sts(spec))))
    };
    let cmd = match op {
        Op::Image(i) => set_spec(spec, &|s| s.image = *i),
        Op::Partition(p) => set_spec(spec, &|s| s.partition = *p),
        Op::MaxUnavailable(m) => set_spec(spec, &|s| s.max_unavailable = *m),
        Op::Strategy(od) => set_spec(spec, &|s| s.on_delete = *od),
        Op::MinReady(m) => set_spec(spec, &|s| s.min_ready = *m),
        Op::Scale(r) => {
            spec.replicas = *r;
            Command::Scale {
                resource: "statefulsets".into(),
                ns: "default".into(),
                name: SET.into(),
                replicas: *r,
            }
        }
        Op::DeletePod(o) => Command::Delete {
            resource: "pods".into(),
            ns: "default".into(),
            name: format!("{SET}-{o}"),
            grace_seconds: None,
            propagation: Propagation::Background,
        },
        Op::Crash(o) => pod_fault(Fault::PodCrash, *o),
        Op::Unready(o) => pod_fault(Fault::PodUnready, *o),
        Op::Ready(o) => pod_fault(Fault::PodReady, *o),
        Op::NodeDown => Command::Fault(Fault::NodeDown("kind-control-plane".into())),
        Op::NodeUp => Command::Fault(Fault::NodeUp("kind-control-plane".into())),
        Op::ImageMissing(i) => Command::Fault(Fault::ImageMissing(IMAGES[*i].into())),
        Op::ImagePresent(i) => Command::Fault(Fault::ImagePresent(IMAGES[*i].into())),
        Op::Step(n) => {
            let mut out = Vec::new();
            for _ in 0..*n {
                let Some(r) = c.step() else { break };
                out.push((r.time, r.writes));
            }
            return out;
        }
        Op::Settle => {
            let rep = c.settle(400);
            return rep
                .reports
                .into_iter()
                .map(|r| (r.time, r.writes))
                .collect();
        }
        Op::Advance(ms) => {
            return c
                .advance(u64::from(*ms))
                .into_iter()
                .map(|r| (r.time, r.writes))
                .collect();
        }
    };
    let now = c.now();
    match c.apply(cmd) {
        Ok(a) => vec![(now, a.writes)],
        Err(_) => Vec::new(),
    }
}

fn ordinal(name: &str) -> Option<i64> {
    name.strip_prefix(&format!("{SET}-"))?.parse().ok()
}

fn revision(p: &Pod) -> Option<&String> {
    p.metadata.labels.as_ref()?.get(REV_LABEL)
}

fn failed(p: &Pod) -> bool {
    p.status
        .as_ref()
        .and_then(|s| s.phase.as_deref())
        .is_some_and(|ph| ph == "Failed" || ph == "Succeeded")
}

/// Available as upstream counts it (`isUnavailable`'s complement): not terminating, Ready, and
/// Ready for longer than minReadySeconds.
fn available(p: &Pod, min_ready: i64, now: SimTime) -> bool {
    if p.metadata.deletion_timestamp.is_some() {
        return false;
    }
    let Some(ready) = p
        .status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|cs| cs.iter().find(|c| c.type_ == "Ready"))
    else {
        return false;
    };
    if ready.status != "True" {
        return false;
    }
    if min_ready <= 0 {
        return true;
    }
    ready
        .last_transition_time
        .as_ref()
        .is_some_and(|t| sim::time::from_k8s_time(t) + (min_ready as u64) * 1000 < now)
}

fn max_unavailable(set: &StatefulSet, replicas: i64) -> i64 {
    use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
    let ru = set
        .spec
        .as_ref()
        .and_then(|s| s.update_strategy.as_ref())
        .and_then(|u| u.rolling_update.as_ref());
    let n = match ru.and_then(|r| r.max_unavailable.as_ref()) {
        None => 1,
        Some(IntOrString::Int(i)) => i64::from(*i),
        Some(IntOrString::String(s)) => {
            s.trim_end_matches('%').parse::<i64>().unwrap() * replicas / 100
        }
    };
    n.max(1)
}

/// The shadow of what the controller saw, rebuilt from the write log.
#[derive(Default)]
struct Shadow {
    pods: BTreeMap<String, Pod>,
    set: Option<StatefulSet>,
    /// (template + strategy JSON, lowest ordinal deleted for the update so far).
    rollout: Option<(String, i64)>,
}

fn rollout_key(set: &StatefulSet) -> String {
    let s = set.spec.as_ref().unwrap();
    serde_json::to_string(&(&s.template, &s.update_strategy)).unwrap()
}

fn check(sh: &mut Shadow, now: SimTime, writes: &[Write]) -> Result<(), TestCaseError> {
    for w in writes {
        match (w.resource, w.object.as_ref()) {
            ("statefulsets", Some(Written::StatefulSet(s))) => {
                // A new template or strategy starts a new rollout (even one equal to an
                // earlier one: partition 0 -> 3 -> 0 restarts from the top).
                if sh
                    .rollout
                    .as_ref()
                    .is_some_and(|(k, _)| *k != rollout_key(s))
                {
                    sh.rollout = None;
                }
                sh.set = (w.verb != Verb::Removed).then(|| StatefulSet::clone(s));
            }
            ("pods", obj) => {
                let pod = match obj {
                    Some(Written::Pod(p)) => Some(p),
                    _ => None,
                };
                if w.verb == Verb::Delete
                    && w.actor == Actor::StatefulSetController
                    && let Some(set) = sh.set.clone()
                    && let Some(old) = sh.pods.get(&w.name).cloned()
                {
                    let spec = set.spec.as_ref().unwrap();
                    let replicas = i64::from(spec.replicas.unwrap_or(1));
                    let ord = ordinal(&w.name).unwrap();
                    if ord < replicas && !failed(&old) {
                        // An update delete.
                        let strategy = spec.update_strategy.as_ref();
                        prop_assert!(
                            strategy.and_then(|s| s.type_.as_deref()) != Some("OnDelete"),
                            "OnDelete: controller deleted {}",
                            w.name
                        );
                        let partition = i64::from(
                            strategy
                                .and_then(|s| s.rolling_update.as_ref())
                                .and_then(|r| r.partition)
                                .unwrap_or(0),
                        );
                        prop_assert!(
                            ord >= partition,
                            "deleted {} below partition {}",
                            w.name,
                            partition
                        );
                        let key = rollout_key(&set);
                        if let Some((k, last)) = &sh.rollout
                            && *k == key
                        {
                            prop_assert!(
                                ord < *last,
                                "update deleted {} after ordinal {} in the same rollout",
                                w.name,
                                last
                            );
                        }
                        sh.rollout = Some((key, ord));
                        // maxUnavailable, counted after this delete (the pod is terminating).
                        let mrs = i64::from(spec.min_ready_seconds.unwrap_or(0));
                        let unavailable = (0..replicas)
                            .filter(|o| {
                                let n = format!("{SET}-{o}");
                                n == w.name
                                    || sh.pods.get(&n).is_none_or(|p| !available(p, mrs, now))
                            })
                            .count() as i64;
                        let max = max_unavailable(&set, replicas);
                        prop_assert!(
                            unavailable <= max,
                            "deleting {} leaves {} of {} unavailable (max {})",
                            w.name,
                            unavailable,
                            replicas,
                            max
                        );
                    }
                }
                if let Some(p) = pod
                    && w.verb != Verb::Create
                    && let Some(old) = sh.pods.get(&w.name)
                    && old.metadata.uid == p.metadata.uid
                {
                    prop_assert_eq!(
                        revision(old),
                        revision(p),
                        "pod {} changed revision in place",
                        &w.name
                    );
                }
                match (w.verb, pod) {
                    (Verb::Removed, _) => {
                        sh.pods.remove(&w.name);
                    }
                    (_, Some(p)) => {
                        sh.pods.insert(w.name.clone(), Pod::clone(p));
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn initial() -> Spec {
    Spec {
        replicas: 3,
        image: 0,
        on_delete: false,
        partition: 0,
        max_unavailable: MaxU::One,
        min_ready: 0,
    }
}

fn run(ops: &[Op], max_unavailable_gate: bool) -> Result<(), TestCaseError> {
    let mut c = Cluster::new(ClusterConfig {
        feature_gates: vec![(Gate::MaxUnavailableStatefulSet, max_unavailable_gate)],
        ..ClusterConfig::default()
    });
    c.set_history(false);
    c.set_record_objects(true);
    let mut spec = initial();
    let mut sh = Shadow::default();
    let first = apply_op(&mut c, &mut spec, &Op::Image(0));
    for (t, w) in &first {
        check(&mut sh, *t, w)?;
    }
    for (t, w) in apply_op(&mut c, &mut spec, &Op::Settle) {
        check(&mut sh, t, &w)?;
    }
    for op in ops {
        for (t, w) in apply_op(&mut c, &mut spec, op) {
            check(&mut sh, t, &w)?;
        }
    }
    // Heal every fault, finish the rollout with RollingUpdate and partition 0, settle.
    let mut heal = vec![Op::NodeUp, Op::ImagePresent(1), Op::ImagePresent(2)];
    heal.extend((0..6).map(Op::Ready));
    heal.push(Op::Strategy(false));
    // minReadySeconds back to 0: with it on, a set can stall until an informer resync, faithfully
    // to upstream (`stateful_set.go` `syncStatefulSet` requeues only while
    // `availableReplicas != spec.replicas`, and the pod handler's later `+1s` AddAfter is
    // dropped by the delaying queue while an earlier requeue is waiting), e.g. a scale-down
    // from 3 to 2 blocked by a not-yet-available pod-0 when 2 pods are available.
    heal.push(Op::MinReady(0));
    heal.push(Op::Partition(0));
    for op in &heal {
        for (t, w) in apply_op(&mut c, &mut spec, op) {
            check(&mut sh, t, &w)?;
        }
    }
    for _ in 0..8 {
        for (t, w) in apply_op(&mut c, &mut spec, &Op::Settle) {
            check(&mut sh, t, &w)?;
        }
        if !c.pending() {
            break;
        }
        // Back-offs (crash loop, image pull) and minReadySeconds need the clock to move.
        for (t, w) in apply_op(&mut c, &mut spec, &Op::Advance(300_000)) {
            check(&mut sh, t, &w)?;
        }
    }
    prop_assert!(!c.pending(), "did not settle: {:?}", c.agenda());
    let set = c.store().get::<StatefulSet>("default", SET).unwrap();
    let status = set.status.clone().unwrap_or_default();
    let upd = status.update_revision.clone();
    prop_assert!(upd.is_some(), "no updateRevision");
    prop_assert_eq!(&status.current_revision, &upd, "status {:?}", status);
    prop_assert_eq!(
        status.updated_replicas.unwrap_or(0),
        spec.replicas,
        "status {:?} pods {:?}",
        status,
        c.store()
            .list::<Pod>(Some("default"))
            .map(|p| p.metadata.name.clone())
            .collect::<Vec<_>>()
    );
    prop_assert_eq!(status.replicas, spec.replicas);
    prop_assert_eq!(status.ready_replicas.unwrap_or(0), spec.replicas);
    let pods: Vec<&Pod> = c.store().list::<Pod>(Some("default")).collect();
    prop_assert_eq!(pods.len() as i32, spec.replicas);
    for p in pods {
        prop_assert_eq!(revision(p), upd.as_ref(), "pod {:?}", p.metadata.name);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(500), max_shrink_iters: 300, ..ProptestConfig::default() })]

    #[test]
    fn rolling_update_invariants_hold_under_random_operations(
        gate in any::<bool>(),
        ops in prop::collection::vec(op(), 1..14),
    ) {
        run(&ops, gate)?;
    }
}

/// The seed flow as a fixed case: scale to 5, image nginx:1.27, settle; deletes 4,3,2,1,0.
#[test]
fn seed_rollout_deletes_from_the_highest_ordinal_down() {
    let mut c = Cluster::new(ClusterConfig::default());
    c.set_record_objects(true);
    let mut spec = initial();
    apply_op(&mut c, &mut spec, &Op::Image(0));
    apply_op(&mut c, &mut spec, &Op::Scale(5));
    apply_op(&mut c, &mut spec, &Op::Settle);
    let writes = apply_op(&mut c, &mut spec, &Op::Image(1));
    let mut deleted: Vec<String> = Vec::new();
    for (_, ws) in writes
        .into_iter()
        .chain(apply_op(&mut c, &mut spec, &Op::Settle))
    {
        deleted.extend(
            ws.iter()
                .filter(|w| {
                    w.resource == "pods"
                        && w.verb == Verb::Delete
                        && w.actor == Actor::StatefulSetController
                })
                .map(|w| w.name.clone()),
        );
    }
    let want: Vec<String> = (0..5).rev().map(|o| format!("{SET}-{o}")).collect();
    assert_eq!(deleted, want);
}

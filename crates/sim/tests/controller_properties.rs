//! Property tests of the StatefulSet controller over random operation sequences, driven through
//! the oracle harness's operations (`replay::Replayer`, controller-only: no kubelet/scheduler;
//! the runtime's full-cluster properties live in `tests/properties.rs`).
//!
//! The invariants are upstream's (`assertMonotonicInvariants`, `assertBurstInvariants`,
//! `assertUpdateInvariants` in `pkg/controller/statefulset/stateful_set_control_test.go`) stated
//! about what the controller *does* (its writes, checked against the state just before each
//! write), since faults can force any state:
//! * it creates pods only in the ordinal range, and under OrderedReady only when every lower
//!   ordinal is Running, Ready and not terminating;
//! * a pod never exists without its claims;
//! * scale-down deletes only condemned pods, under OrderedReady only the highest one, only when
//!   every pod in range is healthy and no other pod is terminating;
//! * an update deletes pods in decreasing ordinal order: every pod above is already on the
//!   update revision (or gone/terminating), never below the partition, never under OnDelete;
//! * the controller never deletes a claim; the same sequence gives the same trace.
//!
//! Cases: 300 by default; more with `PROPTEST_CASES=N`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;
use common::cases;

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::Pod;
use proptest::prelude::*;
use sim::config::K8sVersion;
use sim::controller::statefulset::stateful_set_utils::{
    claim_name, claim_templates, end_ordinal, is_failed, is_running_and_ready, is_terminating,
    ordinal_of, pod_revision, start_ordinal,
};
use sim::replay::{Replayer, Scenario, SetSettings, Step};
use sim::revision;
use sim::store::{Actor, Verb, Written};

fn step(op: &str) -> Step {
    Step {
        op: op.into(),
        ..Default::default()
    }
}

fn op_strategy() -> impl Strategy<Value = Step> {
    let pod =
        prop_oneof![3 => (0u8..6).prop_map(|o| format!("web-{o}")), 2 => Just("*".to_string())];
    prop_oneof![
        3 => (0i32..6).prop_map(|n| Step { replicas: Some(n), ..step("scale") }),
        2 => prop::sample::select(vec!["nginx:1.0", "nginx:2.0", "nginx:3.0"])
            .prop_map(|i| Step { image: Some(i.into()), ..step("setImage") }),
        8 => pod.clone().prop_map(|p| Step { pod: Some(p), ..step("ready") }),
        1 => (0u8..6).prop_map(|o| Step { pod: Some(format!("web-{o}")), ..step("unready") }),
        1 => (0u8..6).prop_map(|o| Step { pod: Some(format!("web-{o}")), ..step("fail") }),
        5 => pod.prop_map(|p| Step { pod: Some(p), ..step("finishTermination") }),
        1 => (0u8..6).prop_map(|o| Step { pod: Some(format!("web-{o}")), ..step("deletePod") }),
        1 => (0u8..6).prop_map(|o| Step { pvc: Some(format!("data-web-{o}")), ..step("deletePVC") }),
        1 => Just(step("sync")),
        1 => Just(step("gc")),
        1 => (0i32..4).prop_map(|p| Step { partition: Some(p), ..step("patchPartition") }),
        1 => (0u32..4).prop_map(|s| Step { seconds: Some(f64::from(s)), ..step("wait") }),
    ]
}

#[derive(Debug, Clone)]
struct Case {
    version: K8sVersion,
    settings: SetSettings,
    steps: Vec<Step>,
}

fn case_strategy() -> impl Strategy<Value = Case> {
    (
        prop::bool::ANY,
        0i32..4,
        prop::bool::ANY,
        prop::bool::ANY,
        prop::option::of(prop::sample::select(vec![0, 2])),
        0i32..3,
        (prop::bool::ANY, prop::bool::ANY),
        prop::bool::ANY,
        prop::collection::vec(op_strategy(), 1..40),
    )
        .prop_map(
            |(v, replicas, parallel, claims, start, mrs, (ws, wd), ondelete, steps)| {
                let mut steps = steps;
                steps.insert(0, step("create"));
                let settings = SetSettings {
                    replicas: Some(replicas),
                    pod_management_policy: Some(
                        if parallel { "Parallel" } else { "OrderedReady" }.into(),
                    ),
                    claim_templates: claims.then(|| vec!["data".to_string()]),
                    ordinals_start: start,
                    min_ready_seconds: Some(mrs),
                    retention_policy: Some(sim::replay::RetentionSettings {
                        when_scaled: Some(if ws { "Delete" } else { "Retain" }.into()),
                        when_deleted: Some(if wd { "Delete" } else { "Retain" }.into()),
                    }),
                    update_strategy: ondelete.then(|| sim::replay::StrategySettings {
                        type_: Some("OnDelete".into()),
                        ..Default::default()
                    }),
                    ..Default::default()
                };
                Case {
                    version: if v {
                        K8sVersion::V1_35
                    } else {
                        K8sVersion::V1_28
                    },
                    settings,
                    steps,
                }
            },
        )
}

fn scenario(c: &Case) -> Scenario {
    Scenario {
        name: "prop".into(),
        description: String::new(),
        feature_gates: BTreeMap::new(),
        statefulset: c.settings.clone(),
        steps: c.steps.clone(),
    }
}

/// Run the case; the trace text (steps that cannot apply, e.g. naming a missing pod, are
/// skipped) and the replayer.
fn run(c: &Case) -> (String, Replayer) {
    let sc = scenario(c);
    let mut r = Replayer::new(&sc, c.version).unwrap();
    let mut out = String::new();
    for s in &c.steps {
        if let Ok(t) = r.step(s) {
            out.push_str(&t);
        }
    }
    (out, r)
}

/// The update revision name the controller computes for a set's template at this version.
fn update_revision(set: &StatefulSet, v: K8sVersion) -> String {
    let mut t = set.spec.as_ref().unwrap().template.clone();
    revision::apply_template_defaults(&mut t);
    let data = revision::revision_data_bytes(&t, v);
    revision::revision_name("web", &revision::hash(&data, Some(0)))
}

fn check(c: &Case) -> Result<(), TestCaseError> {
    let (_, r) = run(c);
    let store = r.store();
    let gate = r.config().gates.statefulset_start_ordinal;
    let monotonic = c.settings.pod_management_policy.as_deref() != Some("Parallel");
    // Shadow state, advanced write by write through the log.
    let mut pods: BTreeMap<String, Pod> = BTreeMap::new();
    let mut set: Option<StatefulSet> = None;
    let mut claims: BTreeMap<String, bool> = BTreeMap::new(); // name -> terminating
    for w in &store.log {
        let obj = w.object.as_ref();
        if w.actor == Actor::StatefulSetController {
            let s = set
                .as_ref()
                .expect("controller wrote without a StatefulSet");
            let start = start_ordinal(s, gate);
            let end = end_ordinal(s, gate);
            match (w.verb, w.resource, obj) {
                (Verb::Create, "pods", Some(Written::Pod(p))) => {
                    let o = ordinal_of(p);
                    prop_assert!(
                        o >= start && o <= end,
                        "created {} outside [{start},{end}]",
                        w.name
                    );
                    for t in claim_templates(s) {
                        let cn = claim_name(t.metadata.name.as_deref().unwrap(), s, o);
                        prop_assert!(
                            claims.contains_key(&cn),
                            "created {} before its claim {cn}",
                            w.name
                        );
                    }
                    if monotonic {
                        for lower in start..o {
                            let ok = pods
                                .get(&format!("web-{lower}"))
                                .is_some_and(|q| is_running_and_ready(q) && !is_terminating(q));
                            prop_assert!(
                                ok,
                                "OrderedReady created {} while web-{lower} is not Running+Ready",
                                w.name
                            );
                        }
                    }
                }
                (Verb::Delete, "pods", _) => {
                    let p = pods.get(&w.name).expect("deleted a pod that is not there");
                    let o = ordinal_of(p);
                    prop_assert!(!is_terminating(p), "deleted terminating {}", w.name);
                    if o < start || o > end {
                        // Scale-down.
                        if monotonic {
                            let highest = pods.values().map(ordinal_of).max().unwrap();
                            prop_assert_eq!(
                                o,
                                highest,
                                "scale-down deleted {} but not the highest",
                                w.name
                            );
                            for q in pods.values() {
                                let qo = ordinal_of(q);
                                if qo >= start && qo <= end {
                                    prop_assert!(
                                        is_running_and_ready(q) && !is_terminating(q),
                                        "scale-down deleted {} while {} is unhealthy",
                                        w.name,
                                        q.metadata.name.as_deref().unwrap()
                                    );
                                }
                            }
                        }
                    } else if !is_failed(p)
                        && p.status.as_ref().and_then(|s| s.phase.as_deref()) != Some("Succeeded")
                    {
                        // An update.
                        let strategy = s.spec.as_ref().unwrap().update_strategy.as_ref().unwrap();
                        prop_assert_ne!(
                            strategy.type_.as_deref(),
                            Some("OnDelete"),
                            "OnDelete deleted {}",
                            w.name
                        );
                        let partition = strategy
                            .rolling_update
                            .as_ref()
                            .and_then(|r| r.partition)
                            .map(i64::from)
                            .unwrap_or(0);
                        prop_assert!(
                            o - start >= partition,
                            "update deleted {} below partition {partition}",
                            w.name
                        );
                        let upd = update_revision(s, c.version);
                        prop_assert_ne!(
                            pod_revision(p),
                            upd.as_str(),
                            "update deleted an updated pod {}",
                            w.name
                        );
                        for q in pods.values() {
                            let qo = ordinal_of(q);
                            if qo > o && qo <= end && !is_terminating(q) {
                                prop_assert_eq!(
                                    pod_revision(q),
                                    upd.as_str(),
                                    "update deleted {} before {}",
                                    w.name,
                                    q.metadata.name.as_deref().unwrap()
                                );
                            }
                        }
                    }
                }
                (Verb::Delete, "persistentvolumeclaims", _) => {
                    prop_assert!(false, "the controller deleted claim {}", w.name);
                }
                _ => {}
            }
        }
        // Advance the shadow state.
        match (w.verb, obj) {
            (Verb::Removed, Some(Written::Pod(_))) => {
                pods.remove(&w.name);
            }
            (_, Some(Written::Pod(p))) => {
                pods.insert(w.name.clone(), Pod::clone(p));
            }
            (Verb::Removed, Some(Written::Pvc(_))) => {
                claims.remove(&w.name);
            }
            (_, Some(Written::Pvc(p))) => {
                claims.insert(w.name.clone(), p.metadata.deletion_timestamp.is_some());
            }
            (Verb::Removed, Some(Written::StatefulSet(_))) => set = None,
            (_, Some(Written::StatefulSet(s))) => set = Some(StatefulSet::clone(s)),
            _ => {}
        }
    }
    // State: a pod never exists without its claims (pvc-protection holds a deleted claim).
    if let Some(s) = store.get::<StatefulSet>("default", "web") {
        for p in store.list::<Pod>(Some("default")) {
            for t in claim_templates(s) {
                let cn = claim_name(t.metadata.name.as_deref().unwrap(), s, ordinal_of(p));
                prop_assert!(
                    store
                        .get::<k8s_openapi::api::core::v1::PersistentVolumeClaim>("default", &cn)
                        .is_some(),
                    "{} exists without claim {cn}",
                    p.metadata.name.as_deref().unwrap()
                );
            }
        }
    }
    Ok(())
}

/// The controller's `ReplicaMemo` (skipping the per-pod checks of unchanged pods) changes
/// nothing: the same steps with the memo off and on give the same trace, store and write log
/// after every step.
fn memo_changes_nothing(c: &Case) -> Result<(), TestCaseError> {
    let sc = scenario(c);
    let mut off = Replayer::new(&sc, c.version).unwrap();
    let mut on = Replayer::new(&sc, c.version).unwrap();
    for (i, s) in c.steps.iter().enumerate() {
        sim::controller::set_replica_memo_off_in_thread(true);
        let a = off.step(s);
        sim::controller::set_replica_memo_off_in_thread(false);
        let b = on.step(s);
        prop_assert_eq!(&a, &b, "step {} {:?}: traces differ", i, s.op);
        prop_assert_eq!(off.now(), on.now());
        prop_assert!(
            off.store() == on.store(),
            "step {} {:?}: stores differ",
            i,
            s.op
        );
        prop_assert_eq!(&off.store().log, &on.store().log, "step {}: logs differ", i);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(300), ..ProptestConfig::default() })]

    #[test]
    fn controller_invariants_hold(c in case_strategy()) {
        check(&c)?;
    }

    #[test]
    fn replica_memo_changes_nothing(c in case_strategy()) {
        memo_changes_nothing(&c)?;
    }

    #[test]
    fn same_sequence_same_trace(c in case_strategy()) {
        let (a, _) = run(&c);
        let (b, _) = run(&c);
        prop_assert_eq!(a, b);
    }
}

/// Arbitrary (also invalid) values in a scenario never panic the replay: they are steps that
/// fail with an error, or a trace.
fn wild_step() -> impl Strategy<Value = Step> {
    let ops = prop::sample::select(vec![
        "create",
        "scale",
        "setImage",
        "update",
        "patchPartition",
        "setMaxUnavailable",
        "setUpdateStrategy",
        "rollback",
        "ready",
        "unready",
        "fail",
        "finishTermination",
        "deletePod",
        "deletePVC",
        "deleteStatefulSet",
        "gc",
        "wait",
        "sync",
        "bogus",
    ]);
    (
        ops,
        prop::option::of(-3i32..2000),
        prop::option::of(-3i32..8),
        prop::option::of(prop::sample::select(vec![
            "web-0",
            "web-1",
            "*",
            "x",
            "web-99999999999",
        ])),
        prop::option::of(prop::sample::select(vec![
            "Background",
            "Foreground",
            "Orphan",
            "Nope",
        ])),
        prop::option::of(prop::sample::select(vec![
            "OnDelete",
            "RollingUpdate",
            "Other",
        ])),
        prop::option::of(-2.0f64..5.0),
        prop::option::of(-1i64..4),
    )
        .prop_map(
            |(op, replicas, partition, pod, propagation, strategy, seconds, revision)| Step {
                op: op.into(),
                replicas,
                partition,
                pod: pod.map(str::to_string),
                pvc: Some("data-web-1".into()),
                propagation: propagation.map(str::to_string),
                strategy: strategy.map(str::to_string),
                seconds,
                revision,
                image: Some("nginx:9".into()),
                max_unavailable: Some(sim::replay::IntOrStr::Str("50%".into())),
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(64), ..ProptestConfig::default() })]

    #[test]
    fn replay_never_panics(
        steps in prop::collection::vec(wild_step(), 1..25),
        start in prop::option::of(0i32..3),
        parallel in prop::bool::ANY,
        v in prop::bool::ANY,
    ) {
        let c = Case {
            version: if v { K8sVersion::V1_35 } else { K8sVersion::V1_28 },
            settings: SetSettings {
                replicas: Some(2),
                ordinals_start: start,
                claim_templates: Some(vec!["data".into()]),
                pod_management_policy: Some(if parallel { "Parallel" } else { "OrderedReady" }.into()),
                ..Default::default()
            },
            steps,
        };
        let _ = run(&c);
    }
}

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! StatefulSet controller timing (a plain release-mode harness, no criterion: the runs are
//! long and deterministic). Sizes: `STSPLAY_BENCH_N` (OrderedReady, default 1000),
//! `STSPLAY_BENCH_PARALLEL` (Parallel, default 10000; 0 skips).
//! Run: `CARGO_TARGET_DIR=... cargo bench -p sim --bench controller`.
//!
//! 1. `cluster`: the full `Cluster` (history and object recording off), apply -> `settle`.
//! 2. `controller`: controller only (no runtime): `run_until_idle` after the apply and after
//!    each pod turns Running+Ready, in ordinal order (the OrderedReady rollout).
//! 3. `parallel`: the full `Cluster` with a Parallel set, apply -> `run`.

mod common;

use std::time::Instant;

use common::{env, seed};

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::{Pod, PodCondition, PodStatus};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use sim::Command;
use sim::config::{ControllerConfig, K8sVersion};
use sim::object::AnyObject;
use sim::store::{Actor, Store};

fn cluster_run(n: i32, parallel: bool) {
    let mut c = common::quiet_cluster_for(n);
    let t = Instant::now();
    c.apply(Command::Apply(AnyObject::StatefulSet(Box::new(seed(
        n, parallel,
    )))))
    .unwrap();
    let (steps, settled) = if parallel {
        c.run(10_000_000)
    } else {
        let r = c.settle(10_000_000);
        (r.steps, r.settled)
    };
    let el = t.elapsed();
    let set = c.store().get::<StatefulSet>("default", "web").unwrap();
    let ready = set.status.as_ref().and_then(|s| s.ready_replicas);
    assert!(settled, "not settled");
    assert_eq!(ready, Some(n), "not all ready");
    println!(
        "cluster {} n={n}: {:.1} ms ({steps} steps, sim {} s)",
        if parallel { "Parallel" } else { "OrderedReady" },
        el.as_secs_f64() * 1000.0,
        c.now() / 1000
    );
}

fn make_ready(store: &mut Store, name: &str, at: u64) {
    let mut p: Pod = store.get::<Pod>("default", name).unwrap().clone();
    p.status = Some(PodStatus {
        phase: Some("Running".into()),
        conditions: Some(vec![PodCondition {
            type_: "Ready".into(),
            status: "True".into(),
            last_transition_time: Some(Time(sim::time::to_k8s_time(at).0)),
            ..Default::default()
        }]),
        ..Default::default()
    });
    store
        .update_status(Actor::Kubelet, p, |s, n| s.status = n.status)
        .unwrap();
}

fn controller_only(n: i32) {
    let cfg = ControllerConfig::for_version(K8sVersion::V1_35);
    let mut store = Store::new();
    store.pods_always_scheduled = true;
    let mut set = seed(n, false);
    set.metadata.namespace = Some("default".into());
    store.create(Actor::User, set, 0).unwrap();
    let mut ctl = std::time::Duration::ZERO;
    let mut syncs = 0;
    let t = Instant::now();
    let r = sim::controller::run_until_idle(&mut store, 0, &cfg);
    ctl += t.elapsed();
    syncs += r.syncs;
    for i in 0..n {
        let now = 1000 * (i as u64 + 1);
        make_ready(&mut store, &format!("web-{i}"), now);
        let t = Instant::now();
        let r = sim::controller::run_until_idle(&mut store, now, &cfg);
        ctl += t.elapsed();
        syncs += r.syncs;
        assert!(r.errors.is_empty(), "{r:?}");
    }
    let set = store.get::<StatefulSet>("default", "web").unwrap();
    assert_eq!(set.status.as_ref().and_then(|s| s.ready_replicas), Some(n));
    println!(
        "controller-only OrderedReady n={n}: {:.1} ms controller time ({syncs} syncs)",
        ctl.as_secs_f64() * 1000.0
    );
}

fn main() {
    // `cargo bench` passes `--bench`; ignore arguments.
    let n = env("STSPLAY_BENCH_N", 1000);
    let par = env("STSPLAY_BENCH_PARALLEL", 10_000);
    let only = std::env::var("STSPLAY_BENCH_ONLY").unwrap_or_default();
    if only.is_empty() || only == "controller" {
        controller_only(n);
    }
    if only.is_empty() || only == "cluster" {
        cluster_run(n, false);
    }
    if par > 0 && (only.is_empty() || only == "parallel") {
        cluster_run(par, true);
    }
}

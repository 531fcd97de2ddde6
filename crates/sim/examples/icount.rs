#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! Fixed workloads for counting instructions (issue #18: "same instruction counts before and
//! after"), one per process so each is counted alone:
//! `cargo build --release -p sim --example icount`, then
//! `valgrind --tool=cachegrind --cache-sim=no target/release/examples/icount WORKLOAD`.
//! Workloads: `empty` (a cluster made and dropped: the floor to subtract), `seed` (the seed's
//! headless Service + a 3-replica set, apply to settled), `ordered100` (the same with 100
//! replicas: the playground's cap), `update100` (then a rolling update of all 100 to a new
//! image, settled), `parallel100`, `ordered1000`, `oracle` (every oracle scenario replayed at
//! v1.28, as `tests/conformance.rs` does). The driver uses only the API that existed before
//! the restructure (731c377), so the same file builds on both sides; see crates/sim/RUNTIME.md.
#[path = "../benches/common/mod.rs"]
mod common;
use sim::Command;
use sim::object::AnyObject;

fn settle(c: &mut sim::Cluster) {
    let (_, settled) = c.run(10_000_000);
    assert!(settled);
}

fn rollout(n: i32, parallel: bool) -> sim::Cluster {
    let mut c = common::quiet_cluster_for(n);
    c.apply(Command::Apply(AnyObject::Service(Box::new(
        common::headless_service(),
    ))))
    .unwrap();
    c.apply(Command::Apply(AnyObject::StatefulSet(Box::new(
        common::seed(n, parallel),
    ))))
    .unwrap();
    settle(&mut c);
    c
}

fn oracle() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/oracle/scenarios");
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    names.sort();
    for p in &names {
        let json = std::fs::read_to_string(p).unwrap();
        let out = sim::replay::replay(&json, sim::config::K8sVersion::V1_28);
        assert!(out.is_ok(), "{}", p.display());
    }
    println!("{} scenarios", names.len());
}

fn main() {
    let w = std::env::args().nth(1).unwrap_or_default();
    match w.as_str() {
        "empty" => drop(common::quiet_cluster()),
        "seed" => drop(rollout(3, false)),
        "ordered100" => drop(rollout(100, false)),
        "update100" => {
            let mut c = rollout(100, false);
            let mut set = common::seed(100, false);
            let spec = set.spec.as_mut().unwrap();
            let pod = spec.template.spec.as_mut().unwrap();
            pod.containers[0].image = Some("nginx:1.27.0".into());
            c.apply(Command::Apply(AnyObject::StatefulSet(Box::new(set))))
                .unwrap();
            settle(&mut c);
        }
        "parallel100" => drop(rollout(100, true)),
        "ordered1000" => drop(rollout(1000, false)),
        "oracle" => oracle(),
        _ => panic!("workload: empty|seed|ordered100|update100|parallel100|ordered1000|oracle"),
    }
}

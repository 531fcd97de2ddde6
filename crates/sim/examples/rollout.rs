#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! A rollout of N replicas from apply to settled, for profiling (`perf record`):
//! `cargo run --release -p sim --example rollout -- 1000 [parallel] [service]` (`service`: the
//! seed's headless Service first, so the endpoints controller works as in the seed).
#[path = "../benches/common/mod.rs"]
mod common;
use sim::Command;
use sim::object::AnyObject;
fn main() {
    let n: i32 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1000);
    let parallel = std::env::args().skip(2).any(|a| a == "parallel");
    let service = std::env::args().skip(2).any(|a| a == "service");
    let start = |c: &mut sim::Cluster| {
        if service {
            c.apply(Command::Apply(AnyObject::Service(Box::new(
                common::headless_service(),
            ))))
            .unwrap();
        }
        c.apply(Command::Apply(AnyObject::StatefulSet(Box::new(
            common::seed(n, parallel),
        ))))
        .unwrap();
    };
    let reps: usize = std::env::var("REPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let t0 = std::time::Instant::now();
    for _ in 1..reps {
        let mut c = common::quiet_cluster_for(n);
        start(&mut c);
        c.run(10_000_000);
    }
    if reps > 1 {
        println!(
            "{} reps: {:?} each",
            reps - 1,
            t0.elapsed() / (reps as u32 - 1)
        );
    }
    let mut c = common::quiet_cluster_for(n);
    let t = std::time::Instant::now();
    start(&mut c);
    let (steps, settled) = c.run(10_000_000);
    println!(
        "{n} replicas parallel={parallel} service={service}: {steps} steps, settled={settled}, {:?}",
        t.elapsed()
    );
}

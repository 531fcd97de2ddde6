#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! A rollout of N replicas from apply to settled, for profiling (`perf record`):
//! `cargo run --release -p sim --example rollout -- 1000 [parallel]`.
#[path = "../benches/common/mod.rs"]
mod common;
use sim::Command;
use sim::object::AnyObject;
fn main() {
    let n: i32 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1000);
    let parallel = std::env::args().nth(2).is_some_and(|a| a == "parallel");
    let reps: usize = std::env::var("REPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let t0 = std::time::Instant::now();
    for _ in 1..reps {
        let mut c = common::quiet_cluster();
        c.apply(Command::Apply(AnyObject::StatefulSet(Box::new(
            common::seed(n, parallel),
        ))))
        .unwrap();
        c.run(10_000_000);
    }
    if reps > 1 {
        println!(
            "{} reps: {:?} each",
            reps - 1,
            t0.elapsed() / (reps as u32 - 1)
        );
    }
    let mut c = common::quiet_cluster();
    let t = std::time::Instant::now();
    c.apply(Command::Apply(AnyObject::StatefulSet(Box::new(
        common::seed(n, parallel),
    ))))
    .unwrap();
    let (steps, settled) = c.run(10_000_000);
    println!(
        "{n} replicas parallel={parallel}: {steps} steps, settled={settled}, {:?}",
        t.elapsed()
    );
}

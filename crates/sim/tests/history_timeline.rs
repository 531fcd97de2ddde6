#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! The timeline: going back, forward and to any recorded position is non-destructive and exact.
//! Every reachable position holds the state a fresh cluster reaches by doing the same things
//! again; the future survives going back and is replaced only by something new.

mod common;

use proptest::prelude::*;
use sim::history::MarkKind;
use sim::object::AnyObject;
use sim::{Cluster, Command, Fault};

fn sts(replicas: i32, image: &str) -> AnyObject {
    AnyObject::StatefulSet(Box::new(
        serde_json::from_value(serde_json::json!({
            "apiVersion": "apps/v1",
            "kind": "StatefulSet",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {
                "serviceName": "web",
                "replicas": replicas,
                "selector": {"matchLabels": {"app": "web"}},
                "template": {
                    "metadata": {"labels": {"app": "web"}},
                    "spec": {"containers": [{"name": "nginx", "image": image}]}
                }
            }
        }))
        .unwrap(),
    ))
}

/// The store and clock a fresh cluster has after the same entries.
fn snapshot(c: &Cluster) -> (sim::store::Store, u64) {
    (c.store().clone(), c.now())
}

#[test]
fn back_keeps_the_future_and_redo_replays_it() {
    let mut c = Cluster::default();
    c.apply(Command::Apply(sts(2, "nginx:1.26.0"))).unwrap();
    let mut states = vec![snapshot(&c)];
    while c.step().is_some() {
        states.push(snapshot(&c));
    }
    let end = c.history_position();
    assert!(end > 5, "a rollout has events: {end}");
    c.back(3).unwrap();
    assert_eq!(snapshot(&c), states[states.len() - 4]);
    assert_eq!(c.history_position(), end - 3);
    assert_eq!(c.history_marks().len(), end, "the future is still recorded");
    c.redo(2).unwrap();
    assert_eq!(snapshot(&c), states[states.len() - 2]);
    assert!(c.redo(2).is_err(), "only one entry ahead");
    c.seek(1).unwrap();
    assert_eq!(snapshot(&c), states[0]);
    c.seek(end).unwrap();
    assert_eq!(snapshot(&c), *states.last().unwrap());
    assert_eq!(
        c.seek(end + 1).unwrap_err().to_string(),
        format!(
            "cannot seek to {}: the recorded history goes from 0 to {end}",
            end + 1
        )
    );
}

#[test]
fn stepping_along_the_future_keeps_it_and_something_new_replaces_it() {
    let mut c = Cluster::default();
    c.apply(Command::Apply(sts(2, "nginx:1.26.0"))).unwrap();
    c.settle(1000);
    let end = c.history_position();
    c.seek(1).unwrap();
    // The same event the future recorded: the future stays.
    c.step().unwrap();
    assert_eq!(c.history_position(), 2);
    assert_eq!(c.history_marks().len(), end);
    // Something new: the future is replaced.
    c.apply(Command::Fault(Fault::ImageMissing("nginx:1.27".into())))
        .unwrap();
    assert_eq!(c.history_position(), 3);
    assert_eq!(c.history_marks().len(), 3);
    assert_eq!(c.history_marks()[2].kind, MarkKind::Command);
    assert_eq!(
        c.history_marks()[2].label,
        "fault: image nginx:1.27 missing"
    );
    assert!(c.redo(1).is_err());
}

#[test]
fn marks_name_each_event_with_its_time() {
    let mut c = Cluster::default();
    c.apply(Command::Apply(sts(1, "nginx:1.26.0"))).unwrap();
    let r = c.step().unwrap();
    let m = &c.history_marks()[1];
    assert_eq!(m.kind, MarkKind::Event);
    assert_eq!(m.time, r.time);
    assert_eq!(m.label, r.description);
    assert_eq!(c.history_marks()[0].label, "apply statefulset/web");
}

#[derive(Debug, Clone)]
enum Op {
    Step,
    Scale(i32),
    Image(bool),
    Back(usize),
    Redo(usize),
    Seek(usize),
    Advance(u64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => Just(Op::Step),
        1 => (0i32..4).prop_map(Op::Scale),
        1 => any::<bool>().prop_map(Op::Image),
        2 => (1usize..6).prop_map(Op::Back),
        2 => (1usize..6).prop_map(Op::Redo),
        2 => (0usize..80).prop_map(Op::Seek),
        1 => (1u64..20_000).prop_map(Op::Advance),
    ]
}

/// Replay, on a fresh cluster, what the timeline recorded up to position `p`: the state there
/// must be the one a learner gets by doing those things again.
fn fresh_at(entries: &[Recorded], p: usize) -> (sim::store::Store, u64) {
    let mut c = Cluster::default();
    for e in entries.iter().take(p) {
        match e {
            Recorded::Command(cmd) => {
                let _ = c.apply(cmd.clone());
            }
            Recorded::Step => {
                c.step();
            }
            Recorded::Advance(t) => {
                let now = c.now();
                c.advance(t.saturating_sub(now));
            }
        }
    }
    snapshot(&c)
}

#[derive(Debug, Clone)]
enum Recorded {
    Command(Command),
    Step,
    Advance(u64),
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(common::cases(48)))]

    /// A model of the timeline (a list of what was done, and a cursor) against the cluster.
    #[test]
    fn every_position_is_the_state_of_doing_it_again(ops in proptest::collection::vec(op(), 1..40)) {
        let mut c = Cluster::default();
        c.apply(Command::Apply(sts(2, "nginx:1.26.0"))).unwrap();
        let mut model: Vec<Recorded> = vec![Recorded::Command(Command::Apply(sts(2, "nginx:1.26.0")))];
        let mut cursor = 1usize;
        for op in ops {
            let new_entries: Vec<Recorded> = match op {
                Op::Step => {
                    let before = c.history_position();
                    c.step();
                    if c.history_position() == before { vec![] } else { vec![Recorded::Step] }
                }
                Op::Scale(n) => {
                    let cmd = Command::Scale { resource: "statefulsets".into(), ns: "default".into(), name: "web".into(), replicas: n };
                    let _ = c.apply(cmd.clone());
                    vec![Recorded::Command(cmd)]
                }
                Op::Image(missing) => {
                    let f = if missing { Fault::ImageMissing("nginx:1.26.0".into()) } else { Fault::ImagePresent("nginx:1.26.0".into()) };
                    let cmd = Command::Fault(f);
                    let _ = c.apply(cmd.clone());
                    vec![Recorded::Command(cmd)]
                }
                Op::Advance(ms) => {
                    // advance = the steps due, then a clock move; model it by re-reading marks.
                    let before = c.history_position();
                    c.advance(ms);
                    let after = c.history_position();
                    let marks = c.history_marks();
                    (before..after).map(|i| match marks[i].kind {
                        MarkKind::Clock => Recorded::Advance(marks[i].time),
                        _ => Recorded::Step,
                    }).collect()
                }
                Op::Back(n) => {
                    let ok = c.back(n).is_ok();
                    prop_assert_eq!(ok, n <= cursor);
                    if ok { cursor -= n; }
                    vec![]
                }
                Op::Redo(n) => {
                    let ok = c.redo(n).is_ok();
                    prop_assert_eq!(ok, cursor + n <= model.len());
                    if ok { cursor += n; }
                    vec![]
                }
                Op::Seek(p) => {
                    let ok = c.seek(p).is_ok();
                    prop_assert_eq!(ok, p <= model.len());
                    if ok { cursor = p; }
                    vec![]
                }
            };
            for e in new_entries {
                // What the cluster did with the new entry: follow the future, or replace it.
                let same = match (model.get(cursor), &e) {
                    (Some(Recorded::Step), Recorded::Step) => true,
                    (Some(Recorded::Command(a)), Recorded::Command(b)) => a == b,
                    (Some(Recorded::Advance(a)), Recorded::Advance(b)) => a == b,
                    _ => false,
                };
                if !same {
                    model.truncate(cursor);
                    model.push(e);
                }
                cursor += 1;
            }
            prop_assert_eq!(c.history_position(), cursor);
            prop_assert_eq!(c.history_marks().len(), model.len());
        }
        prop_assert!(snapshot(&c) == fresh_at(&model, cursor), "current state at {}", cursor);
        // And every other recorded position.
        for p in [0, cursor / 2, model.len()] {
            c.seek(p).unwrap();
            prop_assert!(snapshot(&c) == fresh_at(&model, p), "state at {}", p);
        }
    }
}

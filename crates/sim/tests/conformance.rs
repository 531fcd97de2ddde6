//! Conformance to the upstream StatefulSet controller: every oracle scenario replayed at v1.28
//! and compared with its vector under `compare.py`'s rules (testdata/oracle/README.md):
//! a run of `patch pods` lines is a multiset; in a Parallel trace every run of action lines is.
//! Plus the v1.28 → v1.35 differences, each with its upstream source.

use std::collections::BTreeMap;

use sim::config::K8sVersion;
use sim::replay::replay;

const STATE: [&str; 5] = [
    "  status:",
    "  pods:",
    "  pvcs:",
    "  revisions:",
    "  sync errors:",
];

fn is_action(l: &str) -> bool {
    l.starts_with("  ") && !l.starts_with("  -- ") && !STATE.iter().any(|s| l.starts_with(s))
}

#[derive(Debug, PartialEq)]
enum Block {
    Line(String),
    Multiset(BTreeMap<String, usize>),
}

fn blocks(text: &str, parallel: bool) -> Vec<(usize, Block)> {
    let mut out = Vec::new();
    let mut run: Vec<String> = Vec::new();
    let mut run_start = 0;
    let flush = |run: &mut Vec<String>, out: &mut Vec<(usize, Block)>, at: usize| {
        if !run.is_empty() {
            let mut m = BTreeMap::new();
            for l in run.drain(..) {
                *m.entry(l).or_insert(0) += 1;
            }
            out.push((at, Block::Multiset(m)));
        }
    };
    for (i, l) in text.lines().enumerate() {
        let unordered = if parallel {
            is_action(l)
        } else {
            l.starts_with("  patch pods ")
        };
        if unordered {
            if run.is_empty() {
                run_start = i;
            }
            run.push(l.to_string());
        } else {
            flush(&mut run, &mut out, run_start);
            out.push((i, Block::Line(l.to_string())));
        }
    }
    flush(&mut run, &mut out, run_start);
    out
}

/// `compare.py`: Ok, or the first difference with the step it is in and context.
pub fn compare(expected: &str, actual: &str) -> Result<(), String> {
    let parallel = expected.lines().any(|l| l.starts_with("# order: Parallel"));
    let a = blocks(expected, parallel);
    let b = blocks(actual, parallel);
    if a.iter().map(|x| &x.1).eq(b.iter().map(|x| &x.1))
        && expected.ends_with('\n') == actual.ends_with('\n')
    {
        return Ok(());
    }
    let el: Vec<&str> = expected.lines().collect();
    let al: Vec<&str> = actual.lines().collect();
    for (x, y) in a.iter().zip(b.iter()) {
        if x.1 != y.1 {
            let step = el
                .iter()
                .take(x.0 + 1)
                .rev()
                .find(|l| l.starts_with("== step"))
                .copied()
                .unwrap_or("(header)");
            let ctx = |lines: &[&str], at: usize| -> String {
                let from = lines
                    .iter()
                    .take(at + 1)
                    .rposition(|l| l.starts_with("== step"))
                    .unwrap_or(0);
                let to = lines
                    .iter()
                    .skip(at + 1)
                    .position(|l| l.starts_with("== step"))
                    .map(|p| p + at + 1)
                    .unwrap_or(lines.len());
                lines.get(from..to).unwrap_or_default().join("\n")
            };
            return Err(format!(
                "first difference in {step}:\n  expected: {:?}\n  actual:   {:?}\n--- expected step ---\n{}\n--- actual step ---\n{}",
                x.1,
                y.1,
                ctx(&el, x.0),
                ctx(&al, y.0)
            ));
        }
    }
    Err(format!(
        "lengths differ: {} vs {} blocks (expected vs actual); trailing newline {} vs {}",
        a.len(),
        b.len(),
        expected.ends_with('\n'),
        actual.ends_with('\n')
    ))
}

macro_rules! conformance {
    ($($test:ident => $name:literal,)*) => {
        $(
            #[test]
            fn $test() {
                let scenario = include_str!(concat!("../testdata/oracle/scenarios/", $name, ".json"));
                let expected = include_str!(concat!("../testdata/oracle/vectors/", $name, ".txt"));
                let actual = replay(scenario, K8sVersion::V1_28).expect("replay");
                if let Err(e) = compare(expected, &actual) {
                    panic!("{} does not match its vector:\n{e}", $name);
                }
            }
        )*
        /// Every scenario of the folder is in the list above.
        #[test]
        fn every_scenario_has_a_test() {
            let listed = [$($name),*];
            let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/oracle/scenarios");
            let mut n = 0;
            for e in std::fs::read_dir(dir).unwrap() {
                let f = e.unwrap().file_name().into_string().unwrap();
                if let Some(name) = f.strip_suffix(".json") {
                    assert!(listed.contains(&name), "scenario {name} has no conformance test");
                    n += 1;
                }
            }
            assert_eq!(n, listed.len());
        }
    };
}

conformance! {
    create_with_replicas_0 => "create-with-replicas-0",
    foreground_delete => "foreground-delete",
    max_unavailable_2_gate_off => "max-unavailable-2-gate-off",
    max_unavailable_2_gate_on => "max-unavailable-2-gate-on",
    min_ready_seconds => "min-ready-seconds",
    no_claim_templates => "no-claim-templates",
    ondelete => "ondelete",
    ordered_create_3 => "ordered-create-3",
    ordered_unready_halts_scale_up => "ordered-unready-halts-scale-up",
    ordinals_start_5 => "ordinals-start-5",
    orphan_delete_and_readopt => "orphan-delete-and-readopt",
    parallel_create_3 => "parallel-create-3",
    parallel_rolling_update => "parallel-rolling-update",
    parallel_scale_down_5_to_2 => "parallel-scale-down-5-to-2",
    parallel_unready_no_halt => "parallel-unready-no-halt",
    partition_2_then_0 => "partition-2-then-0",
    pod_deleted_recreated => "pod-deleted-recreated",
    pod_failed_recreated => "pod-failed-recreated",
    pvc_deleted_then_pod_deleted => "pvc-deleted-then-pod-deleted",
    replicas_and_image_together => "replicas-and-image-together",
    retention_both_delete => "retention-both-delete",
    retention_when_deleted_delete => "retention-when-deleted-delete",
    retention_when_scaled_delete => "retention-when-scaled-delete",
    revision_history_limit => "revision-history-limit",
    rollback => "rollback",
    rolling_update_3 => "rolling-update-3",
    scale_down_5_to_2 => "scale-down-5-to-2",
    scale_to_zero_and_back => "scale-to-zero-and-back",
    scale_up_3_to_5 => "scale-up-3-to-5",
    scale_up_during_rolling_update => "scale-up-during-rolling-update",
    stuck_rollout => "stuck-rollout",
}

#[test]
fn compare_treats_patch_pod_runs_as_multisets() {
    let a = "# order: deterministic\n== step 1: x\n  patch pods web-0 a\n  patch pods web-1 b\n  status: s\n";
    let b = "# order: deterministic\n== step 1: x\n  patch pods web-1 b\n  patch pods web-0 a\n  status: s\n";
    assert!(compare(a, b).is_ok());
    let c = "# order: deterministic\n== step 1: x\n  create pods web-1\n  create pods web-0\n  status: s\n";
    let d = "# order: deterministic\n== step 1: x\n  create pods web-0\n  create pods web-1\n  status: s\n";
    assert!(compare(c, d).is_err());
    let e = c.replace("deterministic", "Parallel; x");
    let f = d.replace("deterministic", "Parallel; x");
    assert!(compare(&e, &f).is_ok());
}

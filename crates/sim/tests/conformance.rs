//! Conformance to the upstream StatefulSet controller: every oracle scenario replayed at v1.28
//! and compared with its vector under `compare.py`'s rules (testdata/oracle/README.md):
//! a run of `patch pods` lines is a multiset; in a Parallel trace every run of action lines is.
//! Plus the v1.28 → v1.35 differences, each with its upstream source.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

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

/// The v1.28 → v1.35 differences, each checked against the recent upstream source (search
/// tool, kubernetes/kubernetes `pkg/controller/statefulset/*` and `pkg/features/kube_features.go`).
mod v1_35 {
    use super::*;

    fn step(trace: &str, n: usize) -> Vec<&str> {
        let head = format!("== step {n}:");
        trace
            .lines()
            .skip_while(|l| !l.starts_with(&head))
            .skip(1)
            .take_while(|l| !l.starts_with("== step"))
            .collect()
    }

    fn actions(trace: &str, n: usize) -> Vec<&str> {
        step(trace, n)
            .into_iter()
            .filter(|l| is_action(l))
            .collect()
    }

    fn status_line(trace: &str, n: usize) -> &str {
        step(trace, n)
            .into_iter()
            .find(|l| l.starts_with("  status:"))
            .unwrap()
    }

    /// Recent `processReplica` (stateful_set_control.go): a Failed/Succeeded pod is deleted and
    /// the sync exits; "New pod should be generated on the next sync after the current pod is
    /// removed from etcd". v1.28 deletes and creates in the same sync, before writing status.
    #[test]
    fn failed_pod_is_replaced_on_a_later_sync_stateful_set_control_process_replica() {
        let s = include_str!("../testdata/oracle/scenarios/pod-failed-recreated.json");
        let old = replay(s, K8sVersion::V1_28).unwrap();
        let new = replay(s, K8sVersion::V1_35).unwrap();
        let n = old.lines().filter(|l| l.starts_with("== step")).count();
        // The `fail` step is the last but one.
        let a28 = actions(&old, n - 1);
        let a35 = actions(&new, n - 1);
        assert!(
            a28[0].starts_with("  delete pods web-1") && a28[1].starts_with("  create pods web-1"),
            "{a28:?}"
        );
        assert!(a35[0].starts_with("  delete pods web-1"), "{a35:?}");
        assert!(
            a35[1].starts_with("  update statefulsets/status"),
            "{a35:?}"
        );
        assert!(a35[2].starts_with("  create pods web-1"), "{a35:?}");
    }

    const PARALLEL_MIN_READY: &str = r#"{"name":"parallel-min-ready","statefulset":{"replicas":3,
        "podManagementPolicy":"Parallel","minReadySeconds":5},
        "steps":[{"op":"create"},{"op":"ready","pod":"*"},{"op":"wait","seconds":6},
        {"op":"setImage","image":"nginx:2.0"},{"op":"finishTermination","pod":"web-2"},
        {"op":"ready","pod":"web-2"},{"op":"wait","seconds":6}]}"#;

    /// Recent `updateStatefulSet` / `updateStatefulSetAfterInvariantEstablished` wait on
    /// `isUnavailable(pod, minReadySeconds)`; v1.28 waited only for Running+Ready (`isHealthy`).
    /// Visible under Parallel, where `processReplica` does not block on availability.
    #[test]
    fn rolling_update_waits_for_availability_stateful_set_control_is_unavailable() {
        let old = replay(PARALLEL_MIN_READY, K8sVersion::V1_28).unwrap();
        let new = replay(PARALLEL_MIN_READY, K8sVersion::V1_35).unwrap();
        // step 6: web-2 Ready on the new revision, not yet available.
        assert!(
            actions(&old, 6)
                .iter()
                .any(|l| l.starts_with("  delete pods web-1")),
            "{old}"
        );
        assert!(
            !actions(&new, 6)
                .iter()
                .any(|l| l.starts_with("  delete pods")),
            "{new}"
        );
        // step 7: 6 s later web-2 is available: v1.35 deletes web-1 then.
        assert!(
            actions(&new, 7)
                .iter()
                .any(|l| l.starts_with("  delete pods web-1")),
            "{new}"
        );
    }

    /// Recent `completeRollingUpdate` (stateful_set_utils.go) compares updated/ready/replicas
    /// with `spec.replicas`; v1.28 compared them with `status.replicas`, which flips
    /// currentRevision while the last old pod is being recreated (rolling-update-3, step 10).
    #[test]
    fn current_revision_flips_only_when_all_replicas_exist_stateful_set_utils_complete_rolling_update()
     {
        let s = include_str!("../testdata/oracle/scenarios/rolling-update-3.json");
        let new = replay(s, K8sVersion::V1_35).unwrap();
        let st10 = status_line(&new, 10);
        let cur = st10
            .split("currentRevision=")
            .nth(1)
            .unwrap()
            .split(' ')
            .next()
            .unwrap();
        let upd = st10
            .split("updateRevision=")
            .nth(1)
            .unwrap()
            .split(' ')
            .next()
            .unwrap();
        assert_ne!(cur, upd, "{st10}");
        let st11 = status_line(&new, 11);
        assert!(st11.contains(&format!("currentRevision={upd} ")), "{st11}");
    }

    /// `compatibility_revision_1.34.0.json` (upstream testdata): the revision data has no
    /// `"creationTimestamp":null` from v1.34, so the same template gets another hash name.
    #[test]
    fn revision_names_differ_from_v1_28_history_hash_controller_revision() {
        let s = include_str!("../testdata/oracle/scenarios/ordered-create-3.json");
        let old = replay(s, K8sVersion::V1_28).unwrap();
        let new = replay(s, K8sVersion::V1_35).unwrap();
        assert!(old.contains("web-5dc776dd54"));
        assert!(!new.contains("web-5dc776dd54"));
        // Same shape otherwise: the same actions with the names swapped.
        let name35 = new
            .split("create controllerrevisions ")
            .nth(1)
            .unwrap()
            .split(' ')
            .next()
            .unwrap();
        let swapped = new.replace(name35, "web-5dc776dd54").replace(
            "# controller: stsplay model of kubernetes v1.35",
            "# controller: kubernetes v1.28",
        );
        compare(&old, &swapped).unwrap();
    }

    /// `MaxUnavailableStatefulSet` at v1.35 (kube_features.go versioned specs): beta and on in
    /// v1.35.0-v1.35.3 (PR 133153), demoted to beta and OFF from v1.35.4 (PR 137904, cherry-pick
    /// 137926) after the Parallel regression (issue 137409). V1_35 models v1.35.4+: with no gate
    /// in the scenario, maxUnavailable 2 is ignored (one delete, as at v1.28); enabling the
    /// gate (v1.35.0-v1.35.3, or `--feature-gates`) deletes two at once.
    #[test]
    fn max_unavailable_off_by_default_from_v1_35_4_kube_features() {
        // The scenario up to and including its setImage (its later steps name pods that the
        // gate-on rollout has already handled).
        let mut v: serde_json::Value = serde_json::from_str(include_str!(
            "../testdata/oracle/scenarios/max-unavailable-2-gate-off.json"
        ))
        .unwrap();
        let steps = v["steps"].as_array_mut().unwrap();
        let cut = steps.iter().position(|s| s["op"] == "setImage").unwrap();
        steps.truncate(cut + 1);
        let s = v.to_string();
        v["featureGates"] = serde_json::json!({"MaxUnavailableStatefulSet": true});
        let s_on = v.to_string();
        let old = replay(&s, K8sVersion::V1_28).unwrap();
        let new = replay(&s, K8sVersion::V1_35).unwrap();
        let new_on = replay(&s_on, K8sVersion::V1_35).unwrap();
        assert!(new.contains("# feature gates: MaxUnavailableStatefulSet=false "));
        let deletes = |t: &str, n| {
            actions(t, n)
                .iter()
                .filter(|l| l.starts_with("  delete pods"))
                .count()
        };
        let set_image_step = old
            .lines()
            .filter(|l| l.starts_with("== step"))
            .position(|l| l.contains("setImage"))
            .unwrap()
            + 1;
        assert_eq!(deletes(&old, set_image_step), 1);
        assert_eq!(deletes(&new, set_image_step), 1);
        assert_eq!(deletes(&new_on, set_image_step), 2);
    }

    /// Recent `updateStatefulSetAfterInvariantEstablished` waits only when
    /// `unavailablePods > maxUnavailable` (v1.28: `>=`). With unavailable == maxUnavailable it
    /// deletes `maxUnavailable - unavailable` = 0 pods, so both versions delete nothing there;
    /// with one fewer unavailable both delete one.
    #[test]
    fn max_unavailable_boundary_stateful_set_control_after_invariant_established() {
        let mk = |unready: &str| {
            format!(
                r#"{{"name":"mu","featureGates":{{"MaxUnavailableStatefulSet":true}},
                "statefulset":{{"replicas":4,"podManagementPolicy":"Parallel",
                "updateStrategy":{{"type":"RollingUpdate","maxUnavailable":2}}}},
                "steps":[{{"op":"create"}},{{"op":"ready","pod":"*"}},{unready}
                {{"op":"setImage","image":"nginx:2.0"}}]}}"#
            )
        };
        let two = mk(r#"{"op":"unready","pod":"web-0"},{"op":"unready","pod":"web-1"},"#);
        let one = mk(r#"{"op":"unready","pod":"web-0"},"#);
        for v in [K8sVersion::V1_28, K8sVersion::V1_35] {
            let t = replay(&two, v).unwrap();
            assert!(
                !actions(&t, 5)
                    .iter()
                    .any(|l| l.starts_with("  delete pods")),
                "{v:?}\n{t}"
            );
            let t = replay(&one, v).unwrap();
            let del: Vec<_> = actions(&t, 4)
                .into_iter()
                .filter(|l| l.starts_with("  delete pods"))
                .collect();
            assert_eq!(del, ["  delete pods web-3"], "{v:?}\n{t}");
        }
    }

    /// Recent `truncateHistory` returns early for a negative revisionHistoryLimit; v1.28 has no
    /// such check (it would slice out of range; we treat the limit as 0 there).
    #[test]
    fn negative_history_limit_keeps_everything_stateful_set_control_truncate_history() {
        let s = r#"{"name":"rhl","statefulset":{"replicas":1,"revisionHistoryLimit":-1},
            "steps":[{"op":"create"},{"op":"ready","pod":"web-0"},{"op":"setImage","image":"nginx:2.0"},
            {"op":"finishTermination","pod":"web-0"},{"op":"ready","pod":"web-0"},{"op":"sync"}]}"#;
        let old = replay(s, K8sVersion::V1_28).unwrap();
        let new = replay(s, K8sVersion::V1_35).unwrap();
        assert!(old.contains("  delete controllerrevisions"), "{old}");
        assert!(!new.contains("  delete controllerrevisions"), "{new}");
    }

    /// Recent `updateClaimOwnerRefForSetAndPod` (stateful_set_utils.go) adds the set's and the
    /// pod's references with `metav1.NewControllerRef` (controller, blockOwnerDeletion); v1.28
    /// added plain references. The claims and the trace lines are otherwise the same.
    #[test]
    fn claim_retention_refs_are_controller_refs_stateful_set_utils_add_controller_ref() {
        use k8s_openapi::api::core::v1::PersistentVolumeClaim;
        let text = include_str!("../testdata/oracle/scenarios/retention-both-delete.json");
        let sc = sim::replay::parse(text).unwrap();
        for (v, controller) in [(K8sVersion::V1_28, None), (K8sVersion::V1_35, Some(true))] {
            let mut r = sim::replay::Replayer::new(&sc, v).unwrap();
            for st in sc.steps.iter().take(5) {
                r.step(st).unwrap();
            }
            let c0 = r
                .store()
                .get::<PersistentVolumeClaim>("default", "data-web-0")
                .unwrap();
            let refs = c0.metadata.owner_references.as_ref().unwrap();
            assert_eq!(
                (refs[0].kind.as_str(), refs[0].controller),
                ("StatefulSet", controller)
            );
            let c2 = r
                .store()
                .get::<PersistentVolumeClaim>("default", "data-web-2")
                .unwrap();
            let refs = c2.metadata.owner_references.as_ref().unwrap();
            assert_eq!(refs.len(), 1, "{v:?}");
            assert_eq!(
                (refs[0].kind.as_str(), refs[0].controller),
                ("Pod", controller)
            );
        }
    }
}

/// Every line of `revision-data.tsv` is produced by our own serialisation of a template built
/// from the scenarios' settings (the set as the scenario describes it, with each image a step
/// sets), not read back from the file.
#[test]
fn revision_data_tsv_from_scenario_settings() {
    use sim::config::FeatureGates;
    use sim::revision::{hash, revision_data_bytes, revision_name};
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/oracle/scenarios");
    let mut ours: BTreeMap<String, String> = BTreeMap::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(e.unwrap().path()).unwrap();
        let sc = sim::replay::parse(&text).unwrap();
        let mut images = vec![
            sc.statefulset
                .image
                .clone()
                .unwrap_or_else(|| "nginx:1.0".into()),
        ];
        images.extend(sc.steps.iter().filter_map(|s| s.image.clone()));
        for image in images {
            let mut settings = sc.statefulset.clone();
            settings.image = Some(image);
            let set = sim::replay::build_statefulset(
                &settings,
                &FeatureGates::for_version(K8sVersion::V1_28),
            )
            .unwrap();
            let template = set.spec.unwrap().template;
            let data = revision_data_bytes(&template, K8sVersion::V1_28);
            let name = revision_name("web", &hash(&data, Some(0)));
            ours.insert(name, String::from_utf8(data).unwrap());
        }
    }
    let tsv = include_str!("../testdata/oracle/vectors/revision-data.tsv");
    let mut n = 0;
    for line in tsv.lines().filter(|l| !l.is_empty()) {
        let (name, data) = line.split_once('\t').unwrap();
        assert_eq!(
            ours.get(name).map(String::as_str),
            Some(data),
            "revision {name}"
        );
        n += 1;
    }
    assert_eq!(n, 6);
}

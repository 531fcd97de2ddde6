#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! PodDisruptionBudgets, the eviction subresource and `kubectl drain` honouring them: the
//! ZooKeeper tutorial's maintenance steps (kubernetes.io/docs/tutorials/stateful-application/
//! zookeeper, "Surviving maintenance") and the budget object's own paths, as transcripts
//! (insta snapshots, each read against the upstream files named in the scripts' comments),
//! with the lines that matter asserted here too.

use kubectl::Session;

const WEB: &str = "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web-pdb\nspec:\n  minAvailable: 2\n  selector:\n    matchLabels:\n      app: nginx\n";

fn files(s: &mut Session) {
    s.set_file(
        "both.yaml",
        "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: both\nspec:\n  minAvailable: 2\n  maxUnavailable: \"50%\"\n  selector:\n    matchLabels:\n      app: zk\n",
    );
    s.set_file(
        "negative.yaml",
        "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: negative\nspec:\n  minAvailable: -1\n  unhealthyPodEvictionPolicy: Sometimes\n  selector:\n    matchExpressions:\n    - key: app\n      operator: Foo\n",
    );
    s.set_file(
        "percent.yaml",
        "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: percent\nspec:\n  maxUnavailable: \"150%\"\n  minAvailable: \"abc\"\n",
    );
    s.set_file(
        "slash.yaml",
        "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: \"..\"\nspec:\n  maxUnavailable: 1\n",
    );
    s.set_file("web.yaml", WEB);
    s.set_file("sts.yaml", include_str!("../seed/sts.yaml"));
    s.set_file(
        "web-max0.yaml",
        "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web-max0\nspec:\n  maxUnavailable: 0\n  selector:\n    matchLabels:\n      app: nginx\n",
    );
}

fn transcript(script: &str) -> String {
    let mut s = Session::new();
    files(&mut s);
    let fs = s.files().clone();
    s.run_script_with(script, &fs, true).text
}

fn check(name: &str, script: &str) -> String {
    let t = transcript(script);
    insta::assert_snapshot!(name, t);
    assert_eq!(transcript(script), t, "{name} is not deterministic");
    t
}

/// The output of the line `cmd` (the first time it runs) in a transcript.
fn block<'a>(t: &'a str, cmd: &str) -> &'a str {
    let marker = format!("$ {cmd}\n");
    let Some(at) = t.find(&marker) else {
        panic!("no `{cmd}` in\n{t}");
    };
    let rest = &t[at + marker.len()..];
    let end = rest.find("\n$ ").map_or(rest.len(), |e| e + 1);
    &rest[..end]
}

/// The tutorial's maintenance: the budget allows one disruption; draining zk-0's node evicts
/// it (kubectl `pkg/drain/drain.go` `evictPods`); while zk-0 is away the next drain is refused
/// with the eviction subresource's 429 (`pkg/registry/core/pod/storage/eviction.go`) and kubectl
/// retries every 5s, stopping at `--timeout` with kubectl's messages (`pkg/cmd/drain/drain.go`
/// `RunDrain`, `deleteOrEvictPodsSimple`) or, with nothing left to change, with our hint; once
/// zk-0 is back the retried eviction goes through.
#[test]
fn zookeeper_tutorial_surviving_maintenance() {
    let t = check(
        "zookeeper",
        include_str!("scripts/disruption_zookeeper.txt"),
    );
    assert!(
        t.contains("poddisruptionbudget.policy/zk-pdb created\n"),
        "{t}"
    );
    let pdb = block(&t, "kubectl get pdb zk-pdb");
    assert!(
        pdb.contains("NAME     MIN AVAILABLE   MAX UNAVAILABLE   ALLOWED DISRUPTIONS   AGE\nzk-pdb   N/A             1                 1 "),
        "{pdb}"
    );
    let first = block(
        &t,
        "kubectl drain $(kubectl get pod zk-0 --template {{.spec.nodeName}}) --ignore-daemonsets --force --delete-emptydir-data",
    );
    assert!(
        first.contains("evicting pod default/zk-0\npod/zk-0 evicted\nnode/kind-worker drained\n"),
        "{first}"
    );
    let refused = block(
        &t,
        "kubectl drain $(kubectl get pod zk-1 --template {{.spec.nodeName}}) --ignore-daemonsets --force --delete-emptydir-data",
    );
    assert!(refused.contains("evicting pod default/zk-1\nerror when evicting pods/\"zk-1\" -n \"default\" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.\n"), "{refused}");
    assert!(!refused.contains("drained"), "{refused}");
    let hint = refused.lines().filter(|l| l.starts_with("hint: ")).count();
    assert_eq!(hint, 1, "{refused}");
    assert!(
        refused.contains("A real `kubectl drain` keeps retrying"),
        "{refused}"
    );
    let timeout = block(
        &t,
        "kubectl drain kind-worker2 --ignore-daemonsets --force --delete-emptydir-data --timeout=12s",
    );
    assert!(timeout.ends_with("There are pending nodes to be drained:\n kind-worker2\nerror: error when evicting pods/\"zk-1\" -n \"default\": global timeout reached: 12s\n"), "{timeout}");
    assert!(!timeout.contains("hint:"), "{timeout}");
    let retried = block(
        &t,
        "kubectl drain kind-worker2 --ignore-daemonsets --force --delete-emptydir-data",
    );
    assert!(retried.contains("(will retry after 5s)"), "{retried}");
    assert!(
        retried
            .ends_with("evicting pod default/zk-1\npod/zk-1 evicted\nnode/kind-worker2 drained\n"),
        "{retried}"
    );
    let deleted = block(
        &t,
        "kubectl drain kind-worker3 --ignore-daemonsets --disable-eviction",
    );
    assert!(
        deleted.contains("pod/zk-2 deleted\nnode/kind-worker3 drained\n"),
        "{deleted}"
    );
    assert!(!deleted.contains("evicting"), "{deleted}");
}

/// The budget as an object: validation messages, printers, patch/replace, and evictions a
/// budget refuses (maxUnavailable 0) or lets through.
#[test]
fn budget_objects_and_evictions() {
    let t = check("objects", include_str!("scripts/disruption_objects.txt"));
    assert!(t.contains("The PodDisruptionBudget \"both\" is invalid: spec: Invalid value: {\"MinAvailable\":2,\"Selector\":{\"matchLabels\":{\"app\":\"zk\"}},\"MaxUnavailable\":\"50%\",\"UnhealthyPodEvictionPolicy\":null}: minAvailable and maxUnavailable cannot be both set\n"), "{t}");
    assert!(
        t.contains("spec.minAvailable: Invalid value: -1: must be greater than or equal to 0"),
        "{t}"
    );
    assert!(t.contains("spec.unhealthyPodEvictionPolicy: Unsupported value: \"Sometimes\": supported values: \"AlwaysAllow\", \"IfHealthyBudget\""), "{t}");
    assert!(
        t.contains("spec.maxUnavailable: Invalid value: \"150%\": must not be greater than 100%"),
        "{t}"
    );
}

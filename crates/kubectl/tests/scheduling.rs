#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The scheduler's filters as a learner meets them (kube-scheduler v1.35
//! `pkg/scheduler/framework/plugins/interpodaffinity/filtering.go`, `nodeaffinity`,
//! `noderesources/fit.go`; the message: `pkg/scheduler/framework/types.go` `FitError.Error`
//! and `preemption/preemption.go`), as insta transcripts with the lines that matter asserted.

use kubectl::Session;

const ZK: &str = "https://k8s.io/examples/application/zookeeper/zookeeper.yaml";

/// A Deployment of busybox pods named `name`, with `extra` under the pod spec's container
/// (`resources`) or beside it (`affinity`).
fn deployment(name: &str, replicas: u32, container_extra: &str, pod_extra: &str) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\nspec:\n  replicas: {replicas}\n  selector:\n    matchLabels:\n      app: {name}\n  template:\n    metadata:\n      labels:\n        app: {name}\n    spec:\n{pod_extra}      containers:\n      - name: main\n        image: busybox:1.36\n        command: [sleep, infinity]\n{container_extra}"
    )
}

fn transcript(script: &str) -> String {
    let mut s = Session::new();
    let cpu =
        |c: &str| format!("        resources:\n          requests:\n            cpu: \"{c}\"\n");
    s.set_file("huge.yaml", &deployment("huge", 1, &cpu("9"), ""));
    s.set_file("four.yaml", &deployment("four", 1, &cpu("4"), ""));
    s.set_file("more.yaml", &deployment("more", 1, &cpu("4"), ""));
    s.set_file(
        "zoned.yaml",
        &deployment(
            "zoned",
            1,
            "",
            "      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            nodeSelectorTerms:\n            - matchExpressions:\n              - {key: zone, operator: In, values: [a]}\n",
        ),
    );
    let published = kubectl::examples::lookup(ZK).unwrap();
    let term = "                  - key: \"app\"\n";
    assert_eq!(published.matches(term).count(), 1);
    s.set_file(
        "zk-anti.yaml",
        &published.replacen(
            term,
            "                  - key: \"app.kubernetes.io/name\"\n",
            1,
        ),
    );
    let fs = s.files().clone();
    s.run_script_with(script, &fs, true).text
}

/// The ZooKeeper tutorial's manifest: as published its anti-affinity matches nothing (all three
/// servers on kind's one node, as on kind); with the term fixed zk-1 stays Pending with
/// InterPodAffinity's reason; `sim nodes 4` retries it and spreads the servers over the workers.
#[test]
fn interpodaffinity_zookeeper_one_server_per_node() {
    let script = include_str!("scripts/scheduling_zookeeper.txt");
    let t = transcript(script);
    insta::assert_snapshot!("zookeeper", t);
    assert_eq!(transcript(script), t, "not deterministic");
    let msg = "0/1 nodes are available: 1 node(s) didn't match pod anti-affinity rules. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.";
    assert!(t.contains(&format!("Unschedulable: {msg}\n")), "{t}");
    assert!(
        t.contains(&format!("default-scheduler  {msg}\n")),
        "describe's Events: {t}"
    );
}

/// NodeResourcesFit (`noderesources/fit.go`) against `describe node`'s allocatable and
/// requests: a request above the whole node is unresolvable ("Preemption is not helpful"),
/// one above what is left is not ("No preemption victims found"); deleting a pod retries the
/// pending one. NodeAffinity (`nodeaffinity`): Pending until a node gets the label.
#[test]
fn noderesources_and_nodeaffinity_filters() {
    let script = include_str!("scripts/scheduling_filters.txt");
    let t = transcript(script);
    insta::assert_snapshot!("filters", t);
    assert!(t.contains("0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."), "{t}");
    assert!(t.contains("0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod."), "{t}");
    assert!(t.contains("0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."), "{t}");
}

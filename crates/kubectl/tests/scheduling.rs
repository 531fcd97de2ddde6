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

fn transcript(script: &str) -> String {
    let mut s = Session::new();
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

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! Timing probe (ignored by default): `cargo test --profile bench -p sim --test perf_probe -- --ignored --nocapture`.

use k8s_openapi::api::apps::v1::StatefulSet;
use sim::object::AnyObject;
use sim::{Cluster, ClusterConfig, Command};

#[test]
#[ignore]
fn rollout_timing() {
    let n: i32 = std::env::var("N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let parallel = std::env::var("PAR").is_ok();
    let s: StatefulSet = serde_json::from_value(serde_json::json!({
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {"serviceName": "web", "replicas": n,
            "podManagementPolicy": if parallel { "Parallel" } else { "OrderedReady" },
            "selector": {"matchLabels": {"app": "web"}},
            "template": {"metadata": {"labels": {"app": "web"}}, "spec": {
                "initContainers": [{"name": "init", "image": "nginx:1.26.0",
                    "command": ["bash", "-c", "set -ex\necho \"Hello from pod $(hostname)\" > /data/index.html\n"],
                    "volumeMounts": [{"name": "data", "mountPath": "/data"}]}],
                "containers": [{"name": "nginx", "image": "nginx:1.26.0", "volumeMounts": [{"name": "data", "mountPath": "/data"}]}]}},
            "volumeClaimTemplates": [{"metadata": {"name": "data"}, "spec": {"accessModes": ["ReadWriteOnce"],
                "resources": {"requests": {"storage": "100Mi"}}}}]}
    }))
    .unwrap();
    let mut c = Cluster::new(ClusterConfig::default());
    c.set_history(false);
    c.set_record_objects(false);
    let t = std::time::Instant::now();
    c.apply(Command::Apply(AnyObject::StatefulSet(Box::new(s))))
        .unwrap();
    let (steps, settled) = c.run(10_000_000);
    println!(
        "n={n} parallel={parallel} steps={steps} settled={settled} took={:?} sim_time={}s",
        t.elapsed(),
        c.now() / 1000
    );
}

#![allow(dead_code)]
//! What the benches share: the seed-like StatefulSet they roll out, sizes from the
//! environment, and a cluster without history or object recording.

use k8s_openapi::api::apps::v1::StatefulSet;
use sim::{Cluster, ClusterConfig};

/// A seed-like set (init container writing index.html, one claim template) of `replicas`.
pub fn seed(replicas: i32, parallel: bool) -> StatefulSet {
    serde_json::from_value(serde_json::json!({
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {
            "serviceName": "web",
            "replicas": replicas,
            "podManagementPolicy": if parallel { "Parallel" } else { "OrderedReady" },
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {
                    "initContainers": [{
                        "name": "init",
                        "image": "nginx:1.26.0",
                        "command": ["bash", "-c", "set -ex\necho \"Hello from pod $(hostname)\" > /data/index.html\n"],
                        "volumeMounts": [{"name": "data", "mountPath": "/data"}]
                    }],
                    "containers": [{"name": "nginx", "image": "nginx:1.26.0",
                        "volumeMounts": [{"name": "data", "mountPath": "/data"}]}]
                }
            },
            "volumeClaimTemplates": [{
                "metadata": {"name": "data"},
                "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": "standard",
                         "resources": {"requests": {"storage": "100Mi"}}}
            }]
        }
    }))
    .unwrap()
}

/// The seed's headless Service for [`seed`]'s pods (`app: web`, port 80, `clusterIP: None`).
pub fn headless_service() -> k8s_openapi::api::core::v1::Service {
    serde_json::from_value(serde_json::json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"}},
        "spec": {
            "clusterIP": "None",
            "selector": {"app": "web"},
            "ports": [{"name": "web", "port": 80}]
        }
    }))
    .unwrap()
}

/// A size from the environment variable `name`, or `default`.
pub fn env(name: &str, default: i32) -> i32 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A cluster without history or object recording (what the benches time is the simulation).
pub fn quiet_cluster() -> Cluster {
    let mut c = Cluster::new(ClusterConfig::default());
    c.set_history(false);
    c.set_record_objects(false);
    c
}

/// kind's node runs at most 110 pods (`status.allocatable.pods`; the scheduler's
/// NodeResourcesFit says "Too many pods" beyond): one node up to 100 replicas (beside kind's
/// 9 system pods), else the tainted control plane and a worker per 100 replicas (each worker
/// also runs kindnet and kube-proxy), at most the sim's 16 nodes.
pub fn nodes_for(replicas: i32) -> u32 {
    if replicas <= 100 {
        1
    } else {
        u32::try_from((replicas + 99) / 100 + 1)
            .unwrap_or(16)
            .min(16)
    }
}

/// [`quiet_cluster`] with [`nodes_for`] `replicas` nodes.
pub fn quiet_cluster_for(replicas: i32) -> Cluster {
    let mut c = quiet_cluster();
    let n = nodes_for(replicas);
    if n > 1 {
        c.apply(sim::Command::SetNodes(n)).unwrap();
    }
    c
}

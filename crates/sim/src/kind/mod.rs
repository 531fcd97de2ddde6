//! kind: the cluster `kind create cluster` makes, as the playground starts it. Its namespaces,
//! default StorageClass (`standard`, rancher.io/local-path, WaitForFirstConsumer), the
//! `kubernetes` and `kube-dns` Services, its nodes (`node`: `kind-control-plane`, then
//! `kind-worker`, `kind-worker2`, …) and its own pods (`system`: control plane, CoreDNS,
//! kindnet, kube-proxy, local-path-provisioner).
//!
//! Sources: kind `pkg/build/nodeimage/const_storage.go` (the StorageClass), kind's node names
//! (`pkg/cluster/internal/create`), kubeadm (the Services).

pub mod node;
pub mod system;

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Namespace, Node, Service, ServicePort, ServiceSpec};
use k8s_openapi::api::storage::v1::StorageClass;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::clock::{Durations, Queue, Rng};
use crate::config::{ControllerConfig, Gate, K8sVersion};
use crate::state::{NodeRt, Runtime, State};
use crate::store::{Actor, Store};
use crate::time::{SECOND, SimTime};

pub(crate) use node::{node_conditions, node_ip, node_object, set_nodes};

/// The cluster's shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterConfig {
    /// 1 = kind's single node `kind-control-plane`; N > 1 adds `kind-worker`, `kind-worker2`, …
    /// and keeps the control-plane taint, as `kind create cluster --config` with workers does.
    pub nodes: u32,
    pub version: K8sVersion,
    pub seed: u64,
    /// The apiserver's Pod validation, installed in the store (survives `reset`, history and
    /// snapshots). `None` (the default) accepts every pod; kubectl's `Session` installs intake's.
    pub pod_validator: Option<crate::store::PodValidator>,
    /// The apiserver's PersistentVolumeClaim validation, installed like `pod_validator`.
    /// `None` (the default) accepts every claim; kubectl's `Session` installs intake's.
    pub claim_validator: Option<crate::store::ClaimValidator>,
    /// `--feature-gates` the cluster starts with, over the version's defaults (later entries
    /// win). Check them with `config::parse_feature_gates`; a gate the version does not know
    /// is ignored here.
    pub feature_gates: Vec<(Gate, bool)>,
}

impl Default for ClusterConfig {
    fn default() -> Self {
        Self {
            nodes: 1,
            version: K8sVersion::V1_35,
            seed: 0x5EED,
            pod_validator: None,
            claim_validator: None,
            feature_gates: Vec::new(),
        }
    }
}

/// How long after `kind create cluster` the playground starts (cluster objects are that old).
pub const CLUSTER_AGE_AT_START: SimTime = 90 * SECOND;

/// At most this many nodes (`sim nodes N`).
pub(crate) const MAX_NODES: u32 = 16;

/// kind's node names for N nodes.
pub fn kind_node_names(n: u32) -> Vec<String> {
    let n = n.clamp(1, MAX_NODES);
    let mut v = vec!["kind-control-plane".to_string()];
    for i in 1..n {
        v.push(if i == 1 {
            "kind-worker".to_string()
        } else {
            format!("kind-worker{i}")
        });
    }
    v
}

fn labels(pairs: &[(&str, &str)]) -> Option<BTreeMap<String, String>> {
    Some(crate::sort::to_map(
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())),
    ))
}

pub(crate) fn fresh_state(cfg: &ClusterConfig) -> State {
    let mut store = Store::new();
    store.pod_validator = cfg.pod_validator;
    store.claim_validator = cfg.claim_validator;
    store.pod_generation = cfg.version != K8sVersion::V1_28;
    let mut ccfg = ControllerConfig::for_version(cfg.version);
    for (g, on) in &cfg.feature_gates {
        if g.spec(cfg.version).is_some() {
            ccfg.gates.set(*g, *on);
        }
    }
    for ns in [
        "default",
        "kube-node-lease",
        "kube-public",
        "kube-system",
        "local-path-storage",
    ] {
        let _ = store.create(
            Actor::Harness,
            Namespace {
                metadata: ObjectMeta {
                    name: Some(ns.into()),
                    labels: labels(&[("kubernetes.io/metadata.name", ns)]),
                    ..Default::default()
                },
                ..Default::default()
            },
            0,
        );
    }
    // kind's default StorageClass (kind `pkg/build/nodeimage/const_storage.go`).
    let _ = store.create(
        Actor::Harness,
        StorageClass {
            metadata: ObjectMeta {
                name: Some("standard".into()),
                annotations: labels(&[("storageclass.kubernetes.io/is-default-class", "true")]),
                ..Default::default()
            },
            provisioner: "rancher.io/local-path".into(),
            reclaim_policy: Some("Delete".into()),
            volume_binding_mode: Some("WaitForFirstConsumer".into()),
            ..Default::default()
        },
        0,
    );
    // The apiserver's own Service and the cluster DNS Service.
    let _ = store.create(
        Actor::Harness,
        Service {
            metadata: ObjectMeta {
                name: Some("kubernetes".into()),
                namespace: Some("default".into()),
                labels: labels(&[("component", "apiserver"), ("provider", "kubernetes")]),
                ..Default::default()
            },
            spec: Some(ServiceSpec {
                cluster_ip: Some("10.96.0.1".into()),
                cluster_ips: Some(vec!["10.96.0.1".into()]),
                ip_families: Some(vec!["IPv4".into()]),
                ip_family_policy: Some("SingleStack".into()),
                internal_traffic_policy: Some("Cluster".into()),
                session_affinity: Some("None".into()),
                type_: Some("ClusterIP".into()),
                ports: Some(vec![ServicePort {
                    name: Some("https".into()),
                    port: 443,
                    protocol: Some("TCP".into()),
                    target_port: Some(IntOrString::Int(6443)),
                    ..Default::default()
                }]),
                ..Default::default()
            }),
            ..Default::default()
        },
        0,
    );
    let _ = store.create(
        Actor::Harness,
        Service {
            metadata: ObjectMeta {
                name: Some("kube-dns".into()),
                namespace: Some("kube-system".into()),
                labels: labels(&[
                    ("k8s-app", "kube-dns"),
                    ("kubernetes.io/cluster-service", "true"),
                    ("kubernetes.io/name", "CoreDNS"),
                ]),
                ..Default::default()
            },
            spec: Some(ServiceSpec {
                cluster_ip: Some("10.96.0.10".into()),
                cluster_ips: Some(vec!["10.96.0.10".into()]),
                ip_families: Some(vec!["IPv4".into()]),
                ip_family_policy: Some("SingleStack".into()),
                internal_traffic_policy: Some("Cluster".into()),
                session_affinity: Some("None".into()),
                type_: Some("ClusterIP".into()),
                ports: Some(vec![
                    ServicePort {
                        name: Some("dns".into()),
                        port: 53,
                        protocol: Some("UDP".into()),
                        target_port: Some(IntOrString::Int(53)),
                        ..Default::default()
                    },
                    ServicePort {
                        name: Some("dns-tcp".into()),
                        port: 53,
                        protocol: Some("TCP".into()),
                        target_port: Some(IntOrString::Int(53)),
                        ..Default::default()
                    },
                    ServicePort {
                        name: Some("metrics".into()),
                        port: 9153,
                        protocol: Some("TCP".into()),
                        target_port: Some(IntOrString::Int(9153)),
                        ..Default::default()
                    },
                ]),
                selector: labels(&[("k8s-app", "kube-dns")]),
                ..Default::default()
            }),
            ..Default::default()
        },
        0,
    );
    let mut rt = Runtime::default();
    let names = kind_node_names(cfg.nodes);
    let multi = names.len() > 1;
    for (i, n) in names.iter().enumerate() {
        let idx = u32::try_from(i).unwrap_or(0);
        let _ = store.create(Actor::Harness, node_object(n, idx, multi, cfg.version), 0);
        rt.nodes.insert(
            n.clone(),
            NodeRt {
                up: true,
                index: idx,
                next_ip: if idx == 0 { 5 } else { 2 },
                ..Default::default()
            },
        );
    }
    // kind's own pods (kube-system, local-path-storage): steady, outside the runtime.
    let infos: Vec<(String, String, String)> = names
        .iter()
        .filter_map(|n| {
            let node = store.get::<Node>("", n)?;
            Some((n.clone(), node_ip(node), node.metadata.uid.clone()?))
        })
        .collect();
    let infos: Vec<system::NodeInfo<'_>> = infos
        .iter()
        .map(|(name, ip, uid)| system::NodeInfo { name, ip, uid })
        .collect();
    system::install(&mut store, cfg.seed, cfg.version, &infos);
    store.name_rng = Rng::new(cfg.seed.rotate_left(17) ^ 0x6e61_6d65);
    store.record = true;
    store.record_objects = true;
    let _ = store.drain_log();
    State {
        store,
        now: CLUSTER_AGE_AT_START,
        queue: Queue::new(),
        rng: Rng::new(cfg.seed),
        rt,
        ccfg,
        dur: Durations::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_names() {
        assert_eq!(kind_node_names(1), vec!["kind-control-plane"]);
        assert_eq!(
            kind_node_names(4),
            vec![
                "kind-control-plane",
                "kind-worker",
                "kind-worker2",
                "kind-worker3"
            ]
        );
    }
}

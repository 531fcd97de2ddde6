//! kind's nodes: the Node objects a kind cluster registers (labels, the control plane's taint
//! in multi-node clusters, capacity, conditions, node info), and `sim nodes N` reshaping the
//! cluster to N of them.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    Node, NodeAddress, NodeCondition, NodeSpec, NodeStatus, NodeSystemInfo, Pod, Taint,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::{MAX_NODES, kind_node_names, labels};
use crate::command::SimError;
use crate::config::K8sVersion;
use crate::state::{NodeRt, State};
use crate::store::Actor;
use crate::time::{SimTime, to_k8s_time};

fn qty(s: &str) -> Quantity {
    Quantity(s.to_string())
}

pub(crate) fn node_object(name: &str, index: u32, multi: bool, version: K8sVersion) -> Node {
    let cp = index == 0;
    let mut l = vec![
        ("beta.kubernetes.io/arch", "amd64"),
        ("beta.kubernetes.io/os", "linux"),
        ("kubernetes.io/arch", "amd64"),
        ("kubernetes.io/hostname", name),
        ("kubernetes.io/os", "linux"),
    ];
    if cp {
        l.push(("node-role.kubernetes.io/control-plane", ""));
        l.push((
            "node.kubernetes.io/exclude-from-external-load-balancers",
            "",
        ));
    }
    let taints = if cp && multi {
        Some(vec![Taint {
            key: "node-role.kubernetes.io/control-plane".into(),
            effect: "NoSchedule".into(),
            ..Default::default()
        }])
    } else {
        None
    };
    let resources: BTreeMap<String, Quantity> = crate::sort::to_map(
        [
            ("cpu", "8"),
            ("ephemeral-storage", "102626232Ki"),
            ("hugepages-1Gi", "0"),
            ("hugepages-2Mi", "0"),
            ("memory", "16283440Ki"),
            ("pods", "110"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), qty(v))),
    );
    let kubelet_version = match version {
        K8sVersion::V1_28 => "v1.28.15",
        // V1_35 models a current patch release (see `config::Gate::spec`).
        K8sVersion::V1_35 => "v1.35.4",
    };
    Node {
        metadata: ObjectMeta {
            name: Some(name.to_string()),
            labels: labels(&l),
            annotations: labels(&[
                ("node.alpha.kubernetes.io/ttl", "0"),
                (
                    "volumes.kubernetes.io/controller-managed-attach-detach",
                    "true",
                ),
            ]),
            ..Default::default()
        },
        spec: Some(NodeSpec {
            pod_cidr: Some(format!("10.244.{index}.0/24")),
            pod_cidrs: Some(vec![format!("10.244.{index}.0/24")]),
            provider_id: Some(format!("kind://docker/kind/{name}")),
            taints,
            ..Default::default()
        }),
        status: Some(NodeStatus {
            addresses: Some(vec![
                NodeAddress {
                    type_: "InternalIP".into(),
                    address: format!("172.18.0.{}", index + 2),
                },
                NodeAddress {
                    type_: "Hostname".into(),
                    address: name.to_string(),
                },
            ]),
            allocatable: Some(resources.clone()),
            capacity: Some(resources),
            conditions: Some(node_conditions(true, 0)),
            node_info: Some(NodeSystemInfo {
                architecture: "amd64".into(),
                boot_id: String::new(),
                container_runtime_version: "containerd://2.1.3".into(),
                kernel_version: "6.8.0-generic".into(),
                kube_proxy_version: String::new(),
                kubelet_version: kubelet_version.into(),
                machine_id: String::new(),
                operating_system: "linux".into(),
                os_image: "Debian GNU/Linux 12 (bookworm)".into(),
                system_uuid: String::new(),
                ..Default::default()
            }),
            ..Default::default()
        }),
    }
}

/// The node's conditions: all healthy, or Ready=Unknown after the kubelet went silent.
pub(crate) fn node_conditions(ready: bool, at: SimTime) -> Vec<NodeCondition> {
    let t = Some(to_k8s_time(at));
    let pressure = |ty: &str, reason: &str, msg: &str| {
        if ready {
            NodeCondition {
                type_: ty.into(),
                status: "False".into(),
                reason: Some(reason.into()),
                message: Some(msg.into()),
                last_heartbeat_time: t.clone(),
                last_transition_time: t.clone(),
            }
        } else {
            NodeCondition {
                type_: ty.into(),
                status: "Unknown".into(),
                reason: Some("NodeStatusUnknown".into()),
                message: Some("Kubelet stopped posting node status.".into()),
                last_heartbeat_time: t.clone(),
                last_transition_time: t.clone(),
            }
        }
    };
    vec![
        pressure(
            "MemoryPressure",
            "KubeletHasSufficientMemory",
            "kubelet has sufficient memory available",
        ),
        pressure(
            "DiskPressure",
            "KubeletHasNoDiskPressure",
            "kubelet has no disk pressure",
        ),
        pressure(
            "PIDPressure",
            "KubeletHasSufficientPID",
            "kubelet has sufficient PID available",
        ),
        if ready {
            NodeCondition {
                type_: "Ready".into(),
                status: "True".into(),
                reason: Some("KubeletReady".into()),
                message: Some("kubelet is posting ready status".into()),
                last_heartbeat_time: t.clone(),
                last_transition_time: t,
            }
        } else {
            pressure("Ready", "", "")
        },
    ]
}

/// A node's InternalIP.
pub(crate) fn node_ip(n: &Node) -> String {
    n.status
        .as_ref()
        .and_then(|s| s.addresses.as_ref())
        .and_then(|a| a.iter().find(|a| a.type_ == "InternalIP"))
        .map(|a| a.address.clone())
        .unwrap_or_default()
}

// Not inlined into `event_loop::apply_command`, so the release build can move it to the second
// wasm module when a first visit does not run it (issue #17, xtask/src/split.rs).
#[inline(never)]
pub(crate) fn set_nodes(
    st: &mut State,
    n: u32,
    version: K8sVersion,
    seed: u64,
) -> Result<(), SimError> {
    if n == 0 || n > MAX_NODES {
        return Err(SimError::Invalid(format!(
            "nodes must be between 1 and {MAX_NODES}"
        )));
    }
    let want = kind_node_names(n);
    let multi = want.len() > 1;
    let now = st.now;
    // Remove extra nodes (their pods are deleted as a node deletion's pod GC would).
    let have: Vec<String> = st.store.nodes.keys().map(|(_, n)| n.clone()).collect();
    for h in &have {
        if !want.contains(h) {
            let pods: Vec<(String, String)> = st
                .store
                .pods
                .values()
                .filter(|p| {
                    p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some(h.as_str())
                })
                .map(|p| {
                    (
                        p.metadata.namespace.clone().unwrap_or_default(),
                        p.metadata.name.clone().unwrap_or_default(),
                    )
                })
                .collect();
            for (pns, pn) in pods {
                st.store.remove::<Pod>(Actor::Harness, &pns, &pn);
            }
            st.store.remove::<Node>(Actor::Harness, "", h);
            st.rt.nodes.remove(h);
        }
    }
    for (i, name) in want.iter().enumerate() {
        let idx = u32::try_from(i).unwrap_or(0);
        if st.store.get::<Node>("", name).is_none() {
            let node =
                st.store
                    .create(Actor::Harness, node_object(name, idx, multi, version), now)?;
            let (ip, uid) = (
                node_ip(&node),
                node.metadata.uid.clone().unwrap_or_default(),
            );
            let info = super::system::NodeInfo {
                name,
                ip: &ip,
                uid: &uid,
            };
            super::system::add_node(&mut st.store, seed, version, &info, now);
            st.rt.nodes.insert(
                name.clone(),
                NodeRt {
                    up: true,
                    index: idx,
                    next_ip: if idx == 0 { 5 } else { 2 },
                    ..Default::default()
                },
            );
        }
    }
    // The control plane is tainted only in multi-node clusters.
    if let Some(mut cp) = st
        .store
        .get::<Node>("", "kind-control-plane")
        .map(k8sjson::copy)
    {
        let spec = cp.spec.get_or_insert_with(Default::default);
        let taints = spec.taints.get_or_insert_with(Vec::new);
        let has = taints
            .iter()
            .any(|t| t.key == "node-role.kubernetes.io/control-plane");
        if multi != has {
            taints.retain(|t| t.key != "node-role.kubernetes.io/control-plane");
            if multi {
                taints.push(Taint {
                    key: "node-role.kubernetes.io/control-plane".into(),
                    effect: "NoSchedule".into(),
                    ..Default::default()
                });
            }
            if taints.is_empty() {
                spec.taints = None;
            }
            st.store.update(Actor::Harness, cp)?;
        }
    }
    crate::scheduler::retry_unschedulable(st);
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::{Cluster, ClusterConfig, Command};
    use k8s_openapi::api::core::v1::Node;

    #[test]
    fn multi_node_control_plane_is_tainted_and_set_nodes_reshapes() {
        let mut c = Cluster::new(ClusterConfig {
            nodes: 2,
            ..Default::default()
        });
        let cp = c.store().get::<Node>("", "kind-control-plane").unwrap();
        assert!(cp.spec.as_ref().unwrap().taints.is_some());
        c.apply(Command::SetNodes(1)).unwrap();
        assert_eq!(c.store().nodes.len(), 1);
        let cp = c.store().get::<Node>("", "kind-control-plane").unwrap();
        assert!(cp.spec.as_ref().unwrap().taints.is_none());
        assert!(c.apply(Command::SetNodes(0)).is_err());
        c.apply(Command::Cordon {
            node: "kind-control-plane".into(),
            on: true,
        })
        .unwrap();
        let cp = c.store().get::<Node>("", "kind-control-plane").unwrap();
        assert_eq!(cp.spec.as_ref().unwrap().unschedulable, Some(true));
    }
}

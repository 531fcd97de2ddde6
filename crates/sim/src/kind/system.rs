//! The pods a fresh kind cluster runs before the user does anything (kind v0.31 node image,
//! Kubernetes v1.35): the control plane's static pods (mirror pods owned by the Node), CoreDNS
//! (Deployment `coredns`, 2 replicas), the `kindnet` and `kube-proxy` DaemonSets (one pod per
//! node) and the local-path provisioner (Deployment in `local-path-storage`).
//!
//! They are steady: written straight into the store's table (no write log, so no controller,
//! scheduler, kubelet or endpoints reaction, no Event), Running and Ready since the cluster was
//! created, with uids from a range the store's counter never reaches. Nothing in the runtime
//! manages them (`is_system_pod`): the kubelet does not run them, eviction and `drain` skip
//! them. Their owners (Deployment, ReplicaSet, DaemonSet) are not stored: the playground has no
//! such kinds, and the garbage collector treats owners of unknown kinds as live.
//!
//! Sources: kubeadm's static pod manifests (`cmd/kubeadm/app/phases/controlplane/manifests.go`:
//! requests cpu 250m apiserver, 200m controller-manager, 100m scheduler;
//! `cmd/kubeadm/app/phases/etcd/local.go`: cpu 100m, memory 100Mi), kubeadm's CoreDNS addon
//! (`cmd/kubeadm/app/phases/addons/dns/manifests.go`: requests cpu 100m / memory 70Mi, limit
//! memory 170Mi, image `coredns/coredns:v1.13.1` = `constants.CoreDNSVersion` at v1.35), kind's
//! `pkg/build/nodeimage/const_cni.go` (kindnet: requests = limits = cpu 100m / memory 50Mi) and
//! `const_storage.go` (local-path-provisioner, no resources), kube-proxy's kubeadm DaemonSet (no
//! resources). etcd `3.6.6-0` is kubeadm's `DefaultEtcdVersion` for v1.35. The kindnetd and
//! local-path-provisioner tags are the ones kind v0.31 ships (`v20251212-v0.29.0-alpha-105-g20ccfc88`).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::Pod;

use crate::clock::Rng;
use crate::config::K8sVersion;
use crate::store::{Store, key, uid_from_counter};
use crate::time::{SimTime, to_k8s_time};

/// Namespaces kind creates besides `default`.
pub const SYSTEM_NAMESPACES: [&str; 4] = [
    "kube-node-lease",
    "kube-public",
    "kube-system",
    "local-path-storage",
];

use crate::names::random_string;

/// uids of system pods come from this counter range (the store's counter starts at 1 and
/// would need 2^48 creations to get here).
const UID_BASE: u64 = 0x5157_0000_0000;

const KINDNETD: &str = "docker.io/kindest/kindnetd:v20251212-v0.29.0-alpha-105-g20ccfc88";
const LOCAL_PATH: &str =
    "docker.io/kindest/local-path-provisioner:v20251212-v0.29.0-alpha-105-g20ccfc88";
const COREDNS: &str = "registry.k8s.io/coredns/coredns:v1.13.1";
const ETCD: &str = "registry.k8s.io/etcd:3.6.6-0";

/// The Kubernetes patch release of the control-plane images (the kubelet's version).
fn k8s_tag(v: K8sVersion) -> &'static str {
    match v {
        K8sVersion::V1_28 => "v1.28.15",
        K8sVersion::V1_35 => "v1.35.4",
    }
}

/// A pod the playground's runtime does not manage: one of the cluster's own (a mirror pod, a
/// DaemonSet pod or a Deployment's pod in a system namespace).
pub fn is_system_pod(p: &Pod) -> bool {
    let ns = p.metadata.namespace.as_deref().unwrap_or("default");
    SYSTEM_NAMESPACES.contains(&ns)
        && p.metadata
            .owner_references
            .iter()
            .flatten()
            .any(|r| matches!(r.kind.as_str(), "Node" | "DaemonSet" | "ReplicaSet"))
}

/// A pod owned by a DaemonSet (kubectl drain's `daemonSetFilter`).
pub fn is_daemonset_pod(p: &Pod) -> bool {
    p.metadata
        .owner_references
        .iter()
        .flatten()
        .any(|r| r.kind == "DaemonSet" && r.controller == Some(true))
}

/// A mirror pod (kubelet static pod; `kubernetes.io/config.mirror` annotation).
pub fn is_mirror_pod(p: &Pod) -> bool {
    p.metadata
        .annotations
        .as_ref()
        .is_some_and(|a| a.contains_key("kubernetes.io/config.mirror"))
}

fn hash_str(s: &str) -> u64 {
    // FNV-1a: stable across builds and platforms.
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// 64 hex digits derived from `s` (a digest-shaped, deterministic stand-in).
fn hex64(s: &str) -> String {
    let a = hash_str(s);
    let b = hash_str(&format!("{s}#"));
    let c = a.rotate_left(29) ^ b;
    let d = b.rotate_left(13).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    format!("{a:016x}{b:016x}{c:016x}{d:016x}")
}

/// A node being added: its name, InternalIP and uid.
pub(crate) struct NodeInfo<'a> {
    pub name: &'a str,
    pub ip: &'a str,
    pub uid: &'a str,
}

struct Spec {
    ns: &'static str,
    name: String,
    labels: Vec<(&'static str, String)>,
    owner: (&'static str, &'static str, String),
    mirror: bool,
    host_network: bool,
    pod_ip: String,
    priority: (&'static str, i64),
    sa: Option<&'static str>,
    /// (container name, image)
    container: (&'static str, String),
    requests: Vec<(&'static str, &'static str)>,
    limits: Vec<(&'static str, &'static str)>,
    tolerations: serde_json::Value,
}

const NODE_CRITICAL: (&str, i64) = ("system-node-critical", 2_000_001_000);
const CLUSTER_CRITICAL: (&str, i64) = ("system-cluster-critical", 2_000_000_000);

fn qos(requests: &[(&str, &str)], limits: &[(&str, &str)]) -> &'static str {
    if requests.is_empty() && limits.is_empty() {
        "BestEffort"
    } else if !limits.is_empty()
        && requests.len() == limits.len()
        && requests.iter().all(|r| limits.contains(r))
        && limits.iter().any(|(k, _)| *k == "cpu")
        && limits.iter().any(|(k, _)| *k == "memory")
    {
        "Guaranteed"
    } else {
        "Burstable"
    }
}

fn build(s: &Spec, node: &NodeInfo<'_>, uid: String, rv: u64, at: SimTime) -> Option<Pod> {
    let t = k8sjson::to_value(&to_k8s_time(at));
    let labels: BTreeMap<&str, &str> =
        crate::sort::to_map(s.labels.iter().map(|(k, v)| (*k, v.as_str())));
    let mut annotations = serde_json::Map::new();
    if s.mirror {
        // kubelet's mirror pod annotations (`pkg/kubelet/types/pod_update.go`): the hash of
        // the manifest, here derived from the pod's name.
        let h = hex64(&s.name).get(..32).unwrap_or_default().to_string();
        annotations.insert("kubernetes.io/config.hash".into(), h.clone().into());
        annotations.insert("kubernetes.io/config.mirror".into(), h.into());
        annotations.insert("kubernetes.io/config.seen".into(), t.clone());
        annotations.insert("kubernetes.io/config.source".into(), "file".into());
    }
    let res = |v: &[(&str, &str)]| {
        crate::sort::to_object(
            v.iter()
                .map(|(k, q)| ((*k).to_string(), serde_json::Value::from(*q))),
        )
    };
    let mut resources = serde_json::Map::new();
    if !s.requests.is_empty() {
        resources.insert("requests".into(), res(&s.requests).into());
    }
    if !s.limits.is_empty() {
        resources.insert("limits".into(), res(&s.limits).into());
    }
    let (cname, image) = (&s.container.0, &s.container.1);
    let cid = format!("containerd://{}", hex64(&format!("{uid}/{cname}")));
    let mut spec = serde_json::json!({
        "containers": [{
            "name": cname,
            "image": image,
            "imagePullPolicy": "IfNotPresent",
            "resources": resources,
            "terminationMessagePath": "/dev/termination-log",
            "terminationMessagePolicy": "File",
        }],
        "dnsPolicy": if s.host_network { "ClusterFirstWithHostNet" } else { "ClusterFirst" },
        "enableServiceLinks": true,
        "nodeName": node.name,
        "preemptionPolicy": "PreemptLowerPriority",
        "priority": s.priority.1,
        "priorityClassName": s.priority.0,
        "restartPolicy": "Always",
        "schedulerName": "default-scheduler",
        "securityContext": {},
        "terminationGracePeriodSeconds": 30,
        "tolerations": s.tolerations,
    });
    // kind's and kubeadm's add-on manifests pin their pods to Linux nodes.
    if !s.mirror
        && let Some(o) = spec.as_object_mut()
    {
        o.insert(
            "nodeSelector".into(),
            serde_json::json!({"kubernetes.io/os": "linux"}),
        );
    }
    if s.host_network
        && let Some(o) = spec.as_object_mut()
    {
        o.insert("hostNetwork".into(), true.into());
    }
    if let (Some(sa), Some(o)) = (s.sa, spec.as_object_mut()) {
        o.insert("serviceAccount".into(), sa.into());
        o.insert("serviceAccountName".into(), sa.into());
    }
    let cond =
        |ty: &str| serde_json::json!({"type": ty, "status": "True", "lastTransitionTime": t});
    let v = serde_json::json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": s.name,
            "namespace": s.ns,
            "uid": uid,
            "resourceVersion": rv.to_string(),
            "creationTimestamp": t,
            "labels": labels,
            "ownerReferences": [{
                "apiVersion": s.owner.0,
                "kind": s.owner.1,
                "name": s.owner.2,
                "uid": if s.owner.1 == "Node" {
                    node.uid.to_string()
                } else {
                    uid_from_counter(UID_BASE ^ hash_str(&s.owner.2) >> 16)
                },
                "controller": true,
                "blockOwnerDeletion": true,
            }],
        },
        "spec": spec,
        "status": {
            "phase": "Running",
            "conditions": [
                cond("PodReadyToStartContainers"),
                cond("Initialized"),
                cond("Ready"),
                cond("ContainersReady"),
                cond("PodScheduled"),
            ],
            "hostIP": node.ip,
            "hostIPs": [{"ip": node.ip}],
            "podIP": s.pod_ip,
            "podIPs": [{"ip": s.pod_ip}],
            "startTime": t,
            "qosClass": qos(&s.requests, &s.limits),
            "containerStatuses": [{
                "name": cname,
                "image": image,
                // Images preloaded into kind's node image report their config digest only.
                "imageID": format!("sha256:{}", hex64(image)),
                "containerID": cid,
                "ready": true,
                "started": true,
                "restartCount": 0,
                "state": {"running": {"startedAt": t}},
            }],
        },
    });
    let mut v = v;
    if !annotations.is_empty()
        && let Some(m) = v.get_mut("metadata").and_then(|m| m.as_object_mut())
    {
        m.insert("annotations".into(), annotations.into());
    }
    k8sjson::from_value(v).ok()
}

fn tol_all_noexecute_noschedule() -> serde_json::Value {
    // Static pods: `- effect: NoExecute operator: Exists` (kubeadm manifests).
    serde_json::json!([{"effect": "NoExecute", "operator": "Exists"}])
}

fn tol_daemonset() -> serde_json::Value {
    // kindnet/kube-proxy tolerate everything (`operator: Exists`), plus what the DaemonSet
    // controller adds (`pkg/controller/daemon/util.AddOrUpdateDaemonPodTolerations`).
    let mut v = vec![serde_json::json!({"operator": "Exists"})];
    // A table and a loop, not one `json!` object each (issue #17: less code).
    for (effect, key) in [
        ("NoExecute", "not-ready"),
        ("NoExecute", "unreachable"),
        ("NoSchedule", "disk-pressure"),
        ("NoSchedule", "memory-pressure"),
        ("NoSchedule", "pid-pressure"),
        ("NoSchedule", "unschedulable"),
        ("NoSchedule", "network-unavailable"),
    ] {
        v.push(serde_json::json!({
            "effect": effect,
            "key": format!("node.kubernetes.io/{key}"),
            "operator": "Exists",
        }));
    }
    serde_json::Value::Array(v)
}

fn tol_deployment(critical_addons: bool) -> serde_json::Value {
    let mut v = Vec::new();
    if critical_addons {
        // kubeadm's CoreDNS Deployment.
        v.push(serde_json::json!({"key": "CriticalAddonsOnly", "operator": "Exists"}));
        v.push(serde_json::json!({"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane"}));
    } else {
        // kind's local-path-provisioner Deployment (`const_storage.go`).
        for key in [
            "node-role.kubernetes.io/control-plane",
            "node-role.kubernetes.io/master",
        ] {
            v.push(serde_json::json!({"effect": "NoSchedule", "key": key, "operator": "Equal"}));
        }
    }
    // DefaultTolerationSeconds admission.
    v.push(serde_json::json!({"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists", "tolerationSeconds": 300}));
    v.push(serde_json::json!({"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists", "tolerationSeconds": 300}));
    serde_json::Value::Array(v)
}

/// The per-node DaemonSet pods (kindnet, kube-proxy) of one node. Names depend on the seed and
/// the node's name only, so a node gets the same pods whether it exists from the start or is
/// added by `sim nodes N`.
fn daemon_specs(seed: u64, v: K8sVersion, node: &NodeInfo<'_>) -> Vec<Spec> {
    let mut rng = Rng::new(seed ^ hash_str(node.name) ^ 0xDAE5);
    let kindnet = format!("kindnet-{}", random_string(&mut rng, 5));
    let proxy = format!("kube-proxy-{}", random_string(&mut rng, 5));
    // controller-revision-hash of each DaemonSet's template: the same on every node.
    let mut revs = Rng::new(seed ^ 0xC0_17E5);
    let rev = random_string(&mut revs, 10);
    let proxy_rev = random_string(&mut revs, 10);
    vec![
        Spec {
            ns: "kube-system",
            name: kindnet,
            labels: vec![
                ("app", "kindnet".into()),
                ("controller-revision-hash", rev.clone()),
                ("k8s-app", "kindnet".into()),
                ("pod-template-generation", "1".into()),
                ("tier", "node".into()),
            ],
            owner: ("apps/v1", "DaemonSet", "kindnet".into()),
            mirror: false,
            host_network: true,
            pod_ip: node.ip.into(),
            // kind's manifest (`const_cni.go`) sets no priority class.
            priority: ("", 0),
            sa: Some("kindnet"),
            container: ("kindnet-cni", KINDNETD.into()),
            requests: vec![("cpu", "100m"), ("memory", "50Mi")],
            limits: vec![("cpu", "100m"), ("memory", "50Mi")],
            tolerations: tol_daemonset(),
        },
        Spec {
            ns: "kube-system",
            name: proxy,
            labels: vec![
                ("controller-revision-hash", proxy_rev),
                ("k8s-app", "kube-proxy".into()),
                ("pod-template-generation", "1".into()),
            ],
            owner: ("apps/v1", "DaemonSet", "kube-proxy".into()),
            mirror: false,
            host_network: true,
            pod_ip: node.ip.into(),
            priority: NODE_CRITICAL,
            sa: Some("kube-proxy"),
            container: (
                "kube-proxy",
                format!("registry.k8s.io/kube-proxy:{}", k8s_tag(v)),
            ),
            requests: Vec::new(),
            limits: Vec::new(),
            tolerations: tol_daemonset(),
        },
    ]
}

/// The control-plane node's own pods: static pods and the two Deployments.
fn control_plane_specs(seed: u64, v: K8sVersion, node: &NodeInfo<'_>) -> Vec<Spec> {
    let mut rng = Rng::new(seed ^ 0xC0DE_D115);
    let dns_hash = random_string(&mut rng, 10);
    let lp_hash = random_string(&mut rng, 10);
    let tag = k8s_tag(v);
    let static_pod = |component: &'static str,
                      image: String,
                      requests: Vec<(&'static str, &'static str)>| Spec {
        ns: "kube-system",
        name: format!("{component}-{}", node.name),
        labels: vec![
            ("component", component.into()),
            ("tier", "control-plane".into()),
        ],
        owner: ("v1", "Node", node.name.to_string()),
        mirror: true,
        host_network: true,
        pod_ip: node.ip.into(),
        priority: NODE_CRITICAL,
        sa: None,
        container: (component, image),
        requests,
        limits: Vec::new(),
        tolerations: tol_all_noexecute_noschedule(),
    };
    let mut v = vec![
        static_pod(
            "etcd",
            ETCD.into(),
            vec![("cpu", "100m"), ("memory", "100Mi")],
        ),
        static_pod(
            "kube-apiserver",
            format!("registry.k8s.io/kube-apiserver:{tag}"),
            vec![("cpu", "250m")],
        ),
        static_pod(
            "kube-controller-manager",
            format!("registry.k8s.io/kube-controller-manager:{tag}"),
            vec![("cpu", "200m")],
        ),
        static_pod(
            "kube-scheduler",
            format!("registry.k8s.io/kube-scheduler:{tag}"),
            vec![("cpu", "100m")],
        ),
    ];
    for i in 0..2u8 {
        v.push(Spec {
            ns: "kube-system",
            name: format!("coredns-{dns_hash}-{}", random_string(&mut rng, 5)),
            labels: vec![
                ("k8s-app", "kube-dns".into()),
                ("pod-template-hash", dns_hash.clone()),
            ],
            owner: ("apps/v1", "ReplicaSet", format!("coredns-{dns_hash}")),
            mirror: false,
            host_network: false,
            pod_ip: format!("10.244.0.{}", 2 + i),
            priority: CLUSTER_CRITICAL,
            sa: Some("coredns"),
            container: ("coredns", COREDNS.into()),
            requests: vec![("cpu", "100m"), ("memory", "70Mi")],
            limits: vec![("memory", "170Mi")],
            tolerations: tol_deployment(true),
        });
    }
    v.push(Spec {
        ns: "local-path-storage",
        name: format!(
            "local-path-provisioner-{lp_hash}-{}",
            random_string(&mut rng, 5)
        ),
        labels: vec![
            ("app", "local-path-provisioner".into()),
            ("pod-template-hash", lp_hash.clone()),
        ],
        owner: (
            "apps/v1",
            "ReplicaSet",
            format!("local-path-provisioner-{lp_hash}"),
        ),
        mirror: false,
        host_network: false,
        pod_ip: "10.244.0.4".into(),
        priority: ("", 0),
        sa: Some("local-path-provisioner-service-account"),
        container: ("local-path-provisioner", LOCAL_PATH.into()),
        requests: Vec::new(),
        limits: Vec::new(),
        tolerations: tol_deployment(false),
    });
    v
}

fn insert(store: &mut Store, specs: &[Spec], node: &NodeInfo<'_>, at: SimTime) {
    for s in specs {
        let uid = uid_from_counter(UID_BASE ^ hash_str(&format!("{}/{}", s.ns, s.name)));
        // Seconds-old resourceVersions from the cluster's bootstrap; opaque to everyone.
        let rv = 200 + hash_str(&s.name) % 400;
        if let Some(mut p) = build(s, node, uid, rv, at) {
            if s.priority.0.is_empty()
                && let Some(spec) = p.spec.as_mut()
            {
                spec.priority_class_name = None;
                spec.priority = Some(0);
            }
            store
                .pods
                .insert(key(s.ns, &s.name), std::sync::Arc::new(p));
        }
    }
}

/// Install the system pods of a fresh cluster: the control plane's on `nodes[0]`, the
/// DaemonSets' on every node. Not logged (see the module docs).
pub(crate) fn install(store: &mut Store, seed: u64, v: K8sVersion, nodes: &[NodeInfo<'_>]) {
    if let Some(cp) = nodes.first() {
        insert(store, &control_plane_specs(seed, v, cp), cp, 0);
    }
    for n in nodes {
        insert(store, &daemon_specs(seed, v, n), n, 0);
    }
}

/// The DaemonSet pods of a node added while the cluster runs, already running (kind's images
/// are preloaded; the DaemonSet controller's create and the kubelet's start are not played).
pub(crate) fn add_node(
    store: &mut Store,
    seed: u64,
    v: K8sVersion,
    node: &NodeInfo<'_>,
    now: SimTime,
) {
    insert(store, &daemon_specs(seed, v, node), node, now);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::{Cluster, ClusterConfig};
    use crate::command::{Command, Fault};
    use crate::object::AnyObject;

    fn names(c: &Cluster, ns: &str) -> Vec<String> {
        c.store()
            .list::<Pod>(Some(ns))
            .filter_map(|p| p.metadata.name.clone())
            .collect()
    }

    fn quantity_m(q: &str) -> u64 {
        q.strip_suffix('m')
            .map_or_else(|| q.parse::<u64>().unwrap() * 1000, |m| m.parse().unwrap())
    }

    #[test]
    fn fresh_kind_cluster_runs_its_system_pods() {
        let c = Cluster::new(ClusterConfig::default());
        let ks = names(&c, "kube-system");
        assert_eq!(ks.len(), 8, "{ks:?}");
        for fixed in [
            "etcd-kind-control-plane",
            "kube-apiserver-kind-control-plane",
            "kube-controller-manager-kind-control-plane",
            "kube-scheduler-kind-control-plane",
        ] {
            assert!(ks.contains(&fixed.to_string()), "{fixed} in {ks:?}");
        }
        let gen_ok = |s: &str| s.bytes().all(|b| crate::names::ALPHABET.contains(&b));
        let coredns: Vec<&String> = ks.iter().filter(|n| n.starts_with("coredns-")).collect();
        assert_eq!(coredns.len(), 2);
        for n in &coredns {
            let parts: Vec<&str> = n.split('-').collect();
            assert_eq!(parts.len(), 3);
            assert_eq!(parts[1].len(), 10);
            assert_eq!(parts[2].len(), 5);
            assert!(gen_ok(parts[1]) && gen_ok(parts[2]), "{n}");
        }
        assert_eq!(coredns[0].split('-').nth(1), coredns[1].split('-').nth(1));
        for prefix in ["kindnet-", "kube-proxy-"] {
            let v: Vec<&String> = ks.iter().filter(|n| n.starts_with(prefix)).collect();
            assert_eq!(v.len(), 1, "{prefix}");
            let suffix = &v[0][prefix.len()..];
            assert!(suffix.len() == 5 && gen_ok(suffix), "{}", v[0]);
        }
        let lp = names(&c, "local-path-storage");
        assert_eq!(lp.len(), 1);
        assert!(lp[0].starts_with("local-path-provisioner-"));
        assert!(names(&c, "default").is_empty());
        for p in c.store().list::<Pod>(None) {
            assert!(is_system_pod(p));
            let st = p.status.as_ref().unwrap();
            assert_eq!(st.phase.as_deref(), Some("Running"));
            let cs = st.container_statuses.as_ref().unwrap();
            assert!(cs.iter().all(|c| c.ready && c.restart_count == 0));
            assert!(p.metadata.creation_timestamp.is_some());
        }
    }

    /// The requests `kubectl describe node kind-control-plane` sums on a fresh kind cluster.
    #[test]
    fn control_plane_requests_total_950m_cpu_290mi_memory() {
        let c = Cluster::new(ClusterConfig::default());
        let (mut cpu, mut mem_mi) = (0, 0);
        for p in c.store().list::<Pod>(None) {
            for ctr in &p.spec.as_ref().unwrap().containers {
                let r = ctr.resources.as_ref().and_then(|r| r.requests.as_ref());
                if let Some(q) = r.and_then(|r| r.get("cpu")) {
                    cpu += quantity_m(&q.0);
                }
                if let Some(q) = r.and_then(|r| r.get("memory")) {
                    mem_mi += q.0.strip_suffix("Mi").unwrap().parse::<u64>().unwrap();
                }
            }
        }
        assert_eq!((cpu, mem_mi), (950, 290));
    }

    #[test]
    fn names_follow_the_seed_and_ips_are_kinds() {
        let a = Cluster::new(ClusterConfig::default());
        let b = Cluster::new(ClusterConfig::default());
        let other = Cluster::new(ClusterConfig {
            seed: 42,
            ..ClusterConfig::default()
        });
        assert_eq!(names(&a, "kube-system"), names(&b, "kube-system"));
        assert_eq!(a.store().pods, b.store().pods);
        assert_ne!(names(&a, "kube-system"), names(&other, "kube-system"));
        for p in a.store().list::<Pod>(None) {
            let st = p.status.as_ref().unwrap();
            let host = p.spec.as_ref().unwrap().host_network == Some(true);
            if host {
                assert_eq!(st.pod_ip.as_deref(), Some("172.18.0.2"));
            } else {
                let ip = st.pod_ip.clone().unwrap();
                assert!(["10.244.0.2", "10.244.0.3", "10.244.0.4"].contains(&ip.as_str()));
            }
        }
        // The store's counters are untouched: user objects keep their uids and versions.
        let bare = Store::new();
        assert!(a.store().uid_counter < UID_BASE);
        assert_eq!(bare.uid_counter, 0);
    }

    #[test]
    fn owners_mirror_pods_node_daemonsets_and_replicasets() {
        let c = Cluster::new(ClusterConfig::default());
        let node_uid = c
            .store()
            .get::<k8s_openapi::api::core::v1::Node>("", "kind-control-plane")
            .unwrap()
            .metadata
            .uid
            .clone()
            .unwrap();
        for p in c.store().list::<Pod>(None) {
            let name = p.metadata.name.clone().unwrap();
            let o = &p.metadata.owner_references.as_ref().unwrap()[0];
            if name.ends_with("-kind-control-plane") {
                assert_eq!(
                    (o.kind.as_str(), o.uid.as_str()),
                    ("Node", node_uid.as_str())
                );
                assert!(is_mirror_pod(p));
            } else if name.starts_with("kindnet-") || name.starts_with("kube-proxy-") {
                assert_eq!(o.kind, "DaemonSet");
                assert!(is_daemonset_pod(p));
            } else {
                assert_eq!(o.kind, "ReplicaSet");
                assert!(name.starts_with(&o.name));
            }
        }
    }

    /// A StatefulSet's life does not touch kind's pods, and no step mentions them.
    #[test]
    fn controllers_and_runtime_leave_system_pods_alone() {
        let mut c = Cluster::new(ClusterConfig::default());
        let before: Vec<Pod> = c.store().list::<Pod>(None).cloned().collect();
        let set: serde_json::Value = serde_json::json!({
            "apiVersion": "apps/v1", "kind": "StatefulSet",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {"serviceName": "web", "replicas": 2,
                "selector": {"matchLabels": {"app": "web"}},
                "template": {"metadata": {"labels": {"app": "web"}},
                    "spec": {"containers": [{"name": "nginx", "image": "nginx:1.26.0"}]}}}
        });
        let obj = AnyObject::StatefulSet(Box::new(serde_json::from_value(set).unwrap()));
        c.apply(Command::Apply(obj)).unwrap();
        let r = c.settle(5000);
        assert!(r.settled);
        for rep in &r.reports {
            for w in &rep.writes {
                assert_eq!(w.namespace, "default", "{}: {:?}", rep.description, w);
            }
        }
        c.apply(Command::Drain {
            node: "kind-control-plane".into(),
        })
        .unwrap();
        c.apply(Command::Fault(Fault::NodeDown("kind-control-plane".into())))
            .unwrap();
        c.advance(400_000);
        let after: Vec<Pod> = c
            .store()
            .list::<Pod>(None)
            .filter(|p| is_system_pod(p))
            .cloned()
            .collect();
        assert_eq!(before, after);
    }

    #[test]
    fn sim_nodes_adds_and_removes_daemonset_pods() {
        let mut c = Cluster::new(ClusterConfig::default());
        c.apply(Command::SetNodes(3)).unwrap();
        let ks = names(&c, "kube-system");
        assert_eq!(ks.iter().filter(|n| n.starts_with("kindnet-")).count(), 3);
        assert_eq!(
            ks.iter().filter(|n| n.starts_with("kube-proxy-")).count(),
            3
        );
        let on_worker2: Vec<&Pod> = c
            .store()
            .list::<Pod>(Some("kube-system"))
            .filter(|p| p.spec.as_ref().unwrap().node_name.as_deref() == Some("kind-worker2"))
            .collect();
        assert_eq!(on_worker2.len(), 2);
        assert_eq!(
            on_worker2[0].status.as_ref().unwrap().pod_ip.as_deref(),
            Some("172.18.0.4")
        );
        // The same node gets the same pods whether it is there from the start or added.
        let from_start = Cluster::new(ClusterConfig {
            nodes: 3,
            ..ClusterConfig::default()
        });
        assert_eq!(names(&from_start, "kube-system"), ks);
        c.apply(Command::SetNodes(1)).unwrap();
        assert_eq!(names(&c, "kube-system").len(), 8);
    }
    /// A label on a system pod changes nothing else; deleting one removes it after the kubelet's
    /// kill (nothing recreates it: the playground runs no ReplicaSet/DaemonSet controller).
    #[test]
    fn user_writes_to_a_system_pod() {
        let mut c = Cluster::new(ClusterConfig::default());
        let name = names(&c, "kube-system")
            .into_iter()
            .find(|n| n.starts_with("coredns-"))
            .unwrap();
        let mut p: Pod = c.store().get::<Pod>("kube-system", &name).unwrap().clone();
        p.metadata
            .labels
            .get_or_insert_with(Default::default)
            .insert("x".into(), "y".into());
        c.apply(Command::Apply(AnyObject::Pod(Box::new(p))))
            .unwrap();
        assert!(!c.pending(), "{:?}", c.agenda());
        let st = c.store().get::<Pod>("kube-system", &name).unwrap();
        assert_eq!(
            st.status.as_ref().unwrap().phase.as_deref(),
            Some("Running")
        );
        c.apply(Command::Delete {
            resource: "pods".into(),
            ns: "kube-system".into(),
            name: name.clone(),
            grace_seconds: None,
            propagation: crate::command::Propagation::Background,
        })
        .unwrap();
        let r = c.settle(1000);
        assert!(r.settled);
        assert!(c.store().get::<Pod>("kube-system", &name).is_none());
        assert_eq!(names(&c, "kube-system").len(), 7);
    }
}

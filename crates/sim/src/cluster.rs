//! The `Cluster` facade: a fresh kind cluster whose state only changes through [`Command`]s
//! (user writes, faults) and clock events (scheduler, provisioner, kubelet actions).
//!
//! After every command and every event the controllers run to idle (StatefulSet controller,
//! garbage collector, pvc-protection), then the runtime plans its next actions from the writes
//! that happened (scheduler, PV controller / local-path provisioner, kubelet, endpoints).
//! Same commands + same seed → same state, always.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::Metadata;
use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::{
    Namespace, Node, NodeAddress, NodeCondition, NodeSpec, NodeStatus, NodeSystemInfo,
    PersistentVolume, PersistentVolumeClaim, Pod, Service, ServicePort, ServiceSpec, Taint,
};
use k8s_openapi::api::storage::v1::StorageClass;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::clock::{Durations, Queue, Rng};
use crate::command::{
    Applied, Command, ExecOutput, Fault, Outcome, Propagation, SimError, split_pod_ref,
};
use crate::config::{ControllerConfig, FeatureGates, Gate, K8sVersion};
use crate::history::History;
use crate::kubelet::{self, Stage};
use crate::object::AnyObject;
use crate::store::{Actor, ApiError, Key, Object, Store, Write, key};
use crate::time::{SECOND, SimTime, to_k8s_time};
use crate::{endpoints, scheduler, volumes};

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
            feature_gates: Vec::new(),
        }
    }
}

/// What one event did.
#[derive(Debug, Clone, PartialEq)]
pub struct StepReport {
    pub time: SimTime,
    /// One line, e.g. `kubelet: started container nginx in pod default/web-0`.
    pub description: String,
    /// Every store write the event caused (including the controllers' reactions), in order.
    pub writes: Vec<Write>,
    /// The event is a back-off retry (an image pull or container restart after a back-off, a
    /// failed sync retried by the controller's rate limiter): it may repeat forever.
    pub retry: bool,
}

/// What `settle` did.
#[derive(Debug, Clone, PartialEq)]
pub struct SettleReport {
    pub steps: usize,
    /// Nothing is pending any more (false when the step limit stopped it).
    pub settled: bool,
    /// Stopped because only back-off retries ran for `SETTLE_RETRY_WINDOW` of sim time: the
    /// cluster keeps retrying something that does not get better by itself.
    pub only_retries: bool,
    pub time: SimTime,
    pub reports: Vec<StepReport>,
}

/// Something the runtime will do at a given time.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Action {
    /// A controller requeue (minReadySeconds) fires.
    Controllers,
    /// PV controller looks at a claim.
    ClaimSync(Key),
    /// local-path provisioner creates the volume of a claim on a node.
    Provision {
        claim: Key,
        uid: String,
        node: String,
    },
    /// Reclaim (Delete) a released volume.
    ReclaimPv(String),
    /// Scheduler tries to place a pod.
    Schedule(Key),
    /// Scheduler binds a pod whose volumes are ready.
    Bind { pod: Key, uid: String, node: String },
    /// The next kubelet action for a pod.
    Kubelet {
        uid: String,
        epoch: u64,
        stage: Stage,
    },
    /// Node lifecycle controller notices a silent node.
    NodeMonitor { node: String, epoch: u64 },
    /// Taint-based eviction of the pods of an unreachable node.
    Evict { node: String, epoch: u64 },
}

/// Per-pod kubelet state that is not in the API object.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct PodRt {
    pub ns: String,
    pub name: String,
    pub node: String,
    /// Bumped when in-flight kubelet actions must be forgotten (kill, crash, node down).
    pub epoch: u64,
    pub ip: String,
    /// Readiness forced off by a fault.
    pub unready: bool,
    /// Current CrashLoopBackOff delay per container (`init/<name>` or `<name>`).
    pub backoff: BTreeMap<String, SimTime>,
    /// Image pull back-off per container.
    pub pull_backoff: BTreeMap<String, SimTime>,
    pub killing: bool,
    /// What the kubelet is doing now (for `why`).
    pub doing: String,
    /// A one-shot crash requested by a fault, consumed at the next start.
    pub crash_next: bool,
}

/// Per-node runtime state.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct NodeRt {
    pub up: bool,
    pub index: u32,
    pub images: BTreeSet<String>,
    /// Image pulls in progress on the node: image → done time (the kubelet serializes pulls).
    pub pulling: BTreeMap<String, SimTime>,
    pub next_ip: u32,
    pub epoch: u64,
    /// NotReady has been observed by the node lifecycle controller.
    pub unreachable: bool,
}

/// The runtime's state beside the store.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Runtime {
    pub pods: BTreeMap<String, PodRt>,
    /// The uids in `pods` by pod key (an index of `pods`, kept by `kubelet::admit` and
    /// `plan_pod`, the only places that add or remove entries).
    pub uids_by_name: BTreeMap<Key, Vec<String>>,
    pub nodes: BTreeMap<String, NodeRt>,
    pub missing_images: BTreeSet<String>,
    /// Images `sim fault image-present` made pullable whatever `registry` says.
    pub present_images: BTreeSet<String>,
    /// De-duplication of queued non-kubelet actions.
    pub inflight: BTreeSet<String>,
    /// Claims a scheduled-but-unbound pod waits for: claim → pods.
    pub waiting_on_claim: BTreeMap<Key, BTreeSet<Key>>,
    /// Pods the scheduler could not place; retried when nodes or volumes change.
    pub unschedulable: BTreeSet<Key>,
    pub files: volumes::FileStore,
    /// Container logs: (pod uid, container name) → text.
    pub logs: BTreeMap<(String, String), String>,
    pub endpoints: endpoints::Members,
    /// Per service: the resourceVersions of its Endpoints and of its EndpointSlice (with the
    /// slice's name) as the endpoints controller last left them, equal to a rebuild from
    /// `endpoints` (see `endpoints::sync`).
    pub endpoints_written: BTreeMap<Key, (String, String, String)>,
    /// When the next controller requeue is queued.
    pub controllers_at: Option<SimTime>,
    /// What the controllers last saw of each pod (see `pod_fingerprint`).
    pub seen_pods: BTreeMap<Key, u64>,
    /// StatefulSets whose last sync failed: (failures so far, time of the last counted one);
    /// the work queue's per-item rate limiter (see `retry_failed_syncs`).
    pub sync_failures: BTreeMap<Key, (u32, SimTime)>,
}

/// Everything that is snapshotted for history.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct State {
    pub store: Store,
    pub now: SimTime,
    pub queue: Queue<Action>,
    pub rng: Rng,
    pub rt: Runtime,
    pub ccfg: ControllerConfig,
    pub dur: Durations,
}

/// How long after `kind create cluster` the playground starts (cluster objects are that old).
pub const CLUSTER_AGE_AT_START: SimTime = 90 * SECOND;

const MAX_REACT_ROUNDS: usize = 16;
const MAX_NODES: u32 = 16;

/// The simulated cluster.
#[derive(Debug, Clone)]
pub struct Cluster {
    pub(crate) st: State,
    cfg: ClusterConfig,
    history: History,
}

impl Cluster {
    /// A fresh kind cluster.
    pub fn new(cfg: ClusterConfig) -> Self {
        let st = fresh_state(&cfg);
        let history = History::new(st.clone());
        Cluster { st, cfg, history }
    }

    pub fn config(&self) -> &ClusterConfig {
        &self.cfg
    }

    pub fn store(&self) -> &Store {
        &self.st.store
    }

    pub fn now(&self) -> SimTime {
        self.st.now
    }

    pub fn controller_config(&self) -> &ControllerConfig {
        &self.st.ccfg
    }

    /// Keep copies of written pods/claims/sets in `StepReport::writes` (for `kubectl get -w`).
    /// On by default; benchmarks turn it off.
    pub fn set_record_objects(&mut self, on: bool) {
        self.st.store.record_objects = on;
    }

    /// Keep history (for `back`). On by default.
    pub fn set_history(&mut self, on: bool) {
        self.history.set_enabled(on, &self.st);
    }

    /// Apply a user command; the controllers react before this returns.
    pub fn apply(&mut self, cmd: Command) -> Result<Applied, SimError> {
        let res = apply_command(&mut self.st, &cmd, &self.cfg);
        // Failed commands change nothing but are still recorded: replay is then exact even if a
        // failing command had side effects on the queue (it has none today).
        self.history.record_command(cmd, &self.st);
        res
    }

    /// `kubectl exec`: runs through `apply` (a command may write files).
    pub fn exec(
        &mut self,
        ns: &str,
        pod: &str,
        container: Option<&str>,
        argv: &[String],
    ) -> Result<ExecOutput, SimError> {
        self.exec_tty(ns, pod, container, argv, false)
    }

    /// [`Cluster::exec`] with `tty`: `kubectl exec -t` (the command's output is a terminal).
    pub fn exec_tty(
        &mut self,
        ns: &str,
        pod: &str,
        container: Option<&str>,
        argv: &[String],
        tty: bool,
    ) -> Result<ExecOutput, SimError> {
        let a = self.apply(Command::Exec {
            ns: ns.to_string(),
            pod: pod.to_string(),
            container: container.map(str::to_string),
            argv: argv.to_vec(),
            tty,
        })?;
        Ok(a.exec.unwrap_or_default())
    }

    /// Apply the next pending event. `None` when nothing is pending.
    pub fn step(&mut self) -> Option<StepReport> {
        let (r, consumed) = step_state(&mut self.st);
        if consumed {
            // Stale / no-op events are consumed even when nothing happens: recorded so that
            // replay stays exact.
            self.history.record_step(&self.st, r.as_ref());
        }
        r
    }

    /// Run events until nothing is pending or `max_steps` events ran.
    ///
    /// Back-off loops (ImagePullBackOff, CrashLoopBackOff, a set whose pods the apiserver
    /// rejects) never end on a real cluster either: once only retries have run for
    /// `SETTLE_RETRY_WINDOW` of sim time, `settle` stops there (`only_retries`).
    pub fn settle(&mut self, max_steps: usize) -> SettleReport {
        let mut reports = Vec::new();
        let mut steps = 0;
        let mut progress_at = self.st.now;
        let mut only_retries = false;
        while steps < max_steps {
            match self.step() {
                Some(r) => {
                    if !r.retry {
                        progress_at = r.time;
                    } else if r.time.saturating_sub(progress_at) >= SETTLE_RETRY_WINDOW {
                        only_retries = true;
                    }
                    reports.push(r);
                    steps += 1;
                    if only_retries {
                        break;
                    }
                }
                None => break,
            }
        }
        SettleReport {
            steps,
            only_retries,
            settled: !self.pending(),
            time: self.st.now,
            reports,
        }
    }

    /// Like `settle` without keeping the reports (cheaper for big runs).
    pub fn run(&mut self, max_steps: usize) -> (usize, bool) {
        let mut steps = 0;
        while steps < max_steps && self.step().is_some() {
            steps += 1;
        }
        (steps, !self.pending())
    }

    /// Move the clock forward by `ms`, running every event due meanwhile.
    pub fn advance(&mut self, ms: SimTime) -> Vec<StepReport> {
        let target = self.st.now.saturating_add(ms);
        let mut out = Vec::new();
        while let Some(t) = next_live_time(&self.st) {
            if t > target {
                break;
            }
            match self.step() {
                Some(r) => out.push(r),
                None => break,
            }
        }
        if self.st.now < target {
            advance_to(&mut self.st, target);
            self.history.record_advance(target, &self.st);
        }
        out
    }

    /// Time of the next pending event.
    pub fn next_event_time(&self) -> Option<SimTime> {
        next_live_time(&self.st)
    }

    /// Go back `n` history entries (commands, events, clock moves): the exact earlier state.
    /// The entries gone back over stay recorded for [`Cluster::redo`] until something new
    /// happens (see `history`).
    pub fn back(&mut self, n: usize) -> Result<(), SimError> {
        self.history.back(n, &mut self.st, &self.cfg)
    }

    /// Replay the next `n` recorded entries after going back.
    pub fn redo(&mut self, n: usize) -> Result<(), SimError> {
        self.history.redo(n, &mut self.st, &self.cfg)
    }

    /// Go to history position `p` (the state after the first `p` entries ever recorded),
    /// backwards or forwards, keeping the whole recorded timeline.
    pub fn seek(&mut self, p: usize) -> Result<(), SimError> {
        self.history.seek(p, &mut self.st, &self.cfg)
    }

    /// How many history entries can be undone.
    pub fn history_len(&self) -> usize {
        self.history.len()
    }

    /// The current history position (see [`Cluster::seek`]).
    pub fn history_position(&self) -> usize {
        self.history.position()
    }

    /// The oldest position [`Cluster::seek`] can reach.
    pub fn history_oldest(&self) -> usize {
        self.history.oldest()
    }

    /// Every recorded entry, past and future: `history_marks()[p - 1]` led to position `p`.
    pub fn history_marks(&self) -> &[crate::history::Mark] {
        self.history.marks()
    }

    /// A fresh cluster with the same configuration, keeping the feature gates in force (those
    /// of the configuration and any `SetFeatureGates` since).
    pub fn reset(&mut self) {
        let gates = self.st.ccfg.gates;
        let mut cfg = self.cfg.clone();
        cfg.feature_gates = Gate::ALL.into_iter().map(|g| (g, gates.get(g))).collect();
        let mut fresh = Cluster::new(cfg);
        fresh.cfg = self.cfg.clone();
        *self = fresh;
    }

    /// Whether any event is pending.
    pub fn pending(&self) -> bool {
        next_live_time(&self.st).is_some()
    }

    /// One-sentence explanations of why an object is waiting (empty when not known).
    pub fn why(&self, kind: &str, ns: &str, name: &str) -> Vec<String> {
        crate::why::why(&self.st, kind, ns, name)
    }

    /// Explanations for everything that is waiting in a namespace (`sim why`).
    pub fn why_all(&self, ns: &str) -> Vec<String> {
        crate::why::why_all(&self.st, ns)
    }

    /// Container logs (`kubectl logs`); `None` = the pod's first container.
    pub fn logs(&self, ns: &str, pod: &str, container: Option<&str>) -> Result<String, SimError> {
        kubelet::logs(&self.st, ns, pod, container)
    }

    /// Read a file as a container of the pod sees it (mounted volumes, then the pod's own files).
    pub fn read_file(&self, ns: &str, pod: &str, path: &str) -> Result<String, SimError> {
        volumes::read_pod_file(&self.st, ns, pod, None, path)
    }

    /// DNS answers inside the cluster for `name` asked from namespace `ns`.
    pub fn resolve(&self, ns: &str, name: &str) -> Vec<(String, String)> {
        endpoints::resolve(&self.st.store, ns, name)
    }

    /// Images cached on a node.
    pub fn node_images(&self, node: &str) -> Vec<String> {
        self.st
            .rt
            .nodes
            .get(node)
            .map(|n| n.images.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// Whether a node is up (not stopped by a fault).
    pub fn node_up(&self, node: &str) -> Option<bool> {
        self.st.rt.nodes.get(node).map(|n| n.up)
    }

    /// Pending events, in firing order: (time, description).
    pub fn agenda(&self) -> Vec<(SimTime, String)> {
        self.st
            .queue
            .iter()
            .filter(|(_, a)| is_live(&self.st, a))
            .map(|(t, a)| (t, describe_action(a)))
            .collect()
    }
}

impl Default for Cluster {
    fn default() -> Self {
        Cluster::new(ClusterConfig::default())
    }
}

// ---------------------------------------------------------------------------------------------
// Fresh cluster

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
    Some(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    )
}

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
    let resources: BTreeMap<String, Quantity> = [
        ("cpu", "8"),
        ("ephemeral-storage", "102626232Ki"),
        ("hugepages-1Gi", "0"),
        ("hugepages-2Mi", "0"),
        ("memory", "16283440Ki"),
        ("pods", "110"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), qty(v)))
    .collect();
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
fn node_ip(n: &Node) -> String {
    n.status
        .as_ref()
        .and_then(|s| s.addresses.as_ref())
        .and_then(|a| a.iter().find(|a| a.type_ == "InternalIP"))
        .map(|a| a.address.clone())
        .unwrap_or_default()
}

fn fresh_state(cfg: &ClusterConfig) -> State {
    let mut store = Store::new();
    store.pod_validator = cfg.pod_validator;
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
    let infos: Vec<crate::system::NodeInfo<'_>> = infos
        .iter()
        .map(|(name, ip, uid)| crate::system::NodeInfo { name, ip, uid })
        .collect();
    crate::system::install(&mut store, cfg.seed, cfg.version, &infos);
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

// ---------------------------------------------------------------------------------------------
// Commands

fn resource_of(obj: &AnyObject) -> &'static str {
    match obj {
        AnyObject::StatefulSet(_) => StatefulSet::PLURAL,
        AnyObject::Service(_) => Service::PLURAL,
        AnyObject::Pod(_) => Pod::PLURAL,
        AnyObject::PersistentVolumeClaim(_) => PersistentVolumeClaim::PLURAL,
        AnyObject::PersistentVolume(_) => PersistentVolume::PLURAL,
        AnyObject::StorageClass(_) => StorageClass::PLURAL,
        AnyObject::ConfigMap(_) => "configmaps",
        AnyObject::Secret(_) => "secrets",
        AnyObject::Namespace(_) => "namespaces",
        AnyObject::Node(_) => "nodes",
        AnyObject::ControllerRevision(_) => "controllerrevisions",
    }
}

macro_rules! each_any {
    ($obj:expr, $o:ident => $e:expr) => {
        match $obj {
            AnyObject::StatefulSet($o) => $e,
            AnyObject::Service($o) => $e,
            AnyObject::Pod($o) => $e,
            AnyObject::PersistentVolumeClaim($o) => $e,
            AnyObject::PersistentVolume($o) => $e,
            AnyObject::StorageClass($o) => $e,
            AnyObject::ConfigMap($o) => $e,
            AnyObject::Secret($o) => $e,
            AnyObject::Namespace($o) => $e,
            AnyObject::Node($o) => $e,
            AnyObject::ControllerRevision($o) => $e,
        }
    };
}

/// The apiserver's admission and registry defaults for a user create, beyond what the store
/// itself does: the DefaultStorageClass admission plugin fills an empty `storageClassName`
/// (plugin/pkg/admission/storage/storageclass/setdefault), pv-protection's finalizer on PVs.
fn admit_create(store: &Store, rng: &mut Rng, obj: &mut AnyObject) {
    match obj {
        AnyObject::PersistentVolumeClaim(pvc) => {
            let spec = pvc.spec.get_or_insert_with(Default::default);
            if spec.storage_class_name.is_none()
                && let Some(def) = volumes::default_class(store)
            {
                spec.storage_class_name = Some(def);
            }
        }
        AnyObject::Service(svc) => {
            // The service registry allocates a ClusterIP from the service CIDR (kind:
            // 10.96.0.0/16 in practice) unless the Service is headless or ExternalName.
            let spec = svc.spec.get_or_insert_with(Default::default);
            let ty = spec.type_.clone().unwrap_or_else(|| "ClusterIP".into());
            if ty != "ExternalName" && spec.cluster_ip.as_deref().is_none_or(str::is_empty) {
                let taken: BTreeSet<String> = store
                    .services
                    .values()
                    .filter_map(|s| s.spec.as_ref().and_then(|x| x.cluster_ip.clone()))
                    .collect();
                let mut ip = String::new();
                for _ in 0..64 {
                    let cand = format!("10.96.{}.{}", rng.range(0, 255), rng.range(1, 254));
                    if !taken.contains(&cand) {
                        ip = cand;
                        break;
                    }
                }
                if !ip.is_empty() {
                    spec.cluster_ip = Some(ip.clone());
                    spec.cluster_ips = Some(vec![ip]);
                }
            }
        }
        AnyObject::PersistentVolume(pv) => {
            let f = pv.metadata.finalizers.get_or_insert_with(Vec::new);
            if !f.iter().any(|x| x == "kubernetes.io/pv-protection") {
                f.push("kubernetes.io/pv-protection".into());
            }
        }
        _ => {}
    }
}

fn create_any(st: &mut State, mut obj: AnyObject) -> Result<AnyObject, ApiError> {
    admit_create(&st.store, &mut st.rng, &mut obj);
    if let AnyObject::StatefulSet(set) = &mut obj {
        gate_statefulset_fields(set, None, &st.ccfg.gates);
    }
    let now = st.now;
    let s = &mut st.store;
    Ok(match obj {
        AnyObject::StatefulSet(o) => {
            AnyObject::StatefulSet(Box::new(s.create(Actor::User, *o, now)?))
        }
        AnyObject::Service(o) => AnyObject::Service(Box::new(s.create(Actor::User, *o, now)?)),
        AnyObject::Pod(o) => AnyObject::Pod(Box::new(s.create(Actor::User, *o, now)?)),
        AnyObject::PersistentVolumeClaim(o) => {
            AnyObject::PersistentVolumeClaim(Box::new(s.create(Actor::User, *o, now)?))
        }
        AnyObject::PersistentVolume(o) => {
            AnyObject::PersistentVolume(Box::new(s.create(Actor::User, *o, now)?))
        }
        AnyObject::StorageClass(o) => {
            AnyObject::StorageClass(Box::new(s.create(Actor::User, *o, now)?))
        }
        AnyObject::ConfigMap(o) => {
            AnyObject::ConfigMap(Box::new(s.create(Actor::User, *o, now)?))
        }
        AnyObject::Secret(o) => AnyObject::Secret(Box::new(s.create(Actor::User, *o, now)?)),
        AnyObject::Namespace(o) => {
            AnyObject::Namespace(Box::new(s.create(Actor::User, *o, now)?))
        }
        AnyObject::Node(o) => AnyObject::Node(Box::new(s.create(Actor::User, *o, now)?)),
        AnyObject::ControllerRevision(o) => {
            AnyObject::ControllerRevision(Box::new(s.create(Actor::User, *o, now)?))
        }
    })
}

/// What the apiserver does with `rollingUpdate.maxUnavailable` depending on
/// `MaxUnavailableStatefulSet`: with the gate on, apps/v1 `SetDefaults_StatefulSet` fills in 1
/// when a RollingUpdate strategy has a `rollingUpdate` block without it; with the gate off,
/// `dropStatefulSetDisabledFields` (`pkg/registry/apps/statefulset/strategy.go`) clears the
/// field unless the stored object already uses it (`maxUnavailableInUse`).
fn gate_statefulset_fields(set: &mut StatefulSet, old: Option<&StatefulSet>, gates: &FeatureGates) {
    let ru = |s: &StatefulSet| {
        s.spec
            .as_ref()
            .and_then(|sp| sp.update_strategy.as_ref())
            .and_then(|u| u.rolling_update.as_ref())
            .and_then(|r| r.max_unavailable.clone())
    };
    let in_use = old.is_some_and(|o| ru(o).is_some());
    let Some(us) = set.spec.as_mut().and_then(|sp| sp.update_strategy.as_mut()) else {
        return;
    };
    let rolling = us.type_.as_deref() == Some("RollingUpdate");
    let Some(r) = us.rolling_update.as_mut() else {
        return;
    };
    if gates.max_unavailable_statefulset {
        if rolling && r.max_unavailable.is_none() {
            r.max_unavailable = Some(IntOrString::Int(1));
        }
    } else if !in_use {
        r.max_unavailable = None;
    }
}

/// The stored version of the same object, if any.
fn stored_of(store: &Store, obj: &AnyObject) -> Option<AnyObject> {
    let ns = obj
        .metadata()
        .namespace
        .clone()
        .unwrap_or_else(|| "default".into());
    let name = obj.name().to_string();
    fn get<T: Object + Clone>(s: &Store, ns: &str, n: &str) -> Option<T> {
        s.get::<T>(ns, n).cloned()
    }
    Some(match obj {
        AnyObject::StatefulSet(_) => AnyObject::StatefulSet(Box::new(get(store, &ns, &name)?)),
        AnyObject::Service(_) => AnyObject::Service(Box::new(get(store, &ns, &name)?)),
        AnyObject::Pod(_) => AnyObject::Pod(Box::new(get(store, &ns, &name)?)),
        AnyObject::PersistentVolumeClaim(_) => {
            AnyObject::PersistentVolumeClaim(Box::new(get(store, &ns, &name)?))
        }
        AnyObject::PersistentVolume(_) => {
            AnyObject::PersistentVolume(Box::new(get(store, &ns, &name)?))
        }
        AnyObject::StorageClass(_) => AnyObject::StorageClass(Box::new(get(store, &ns, &name)?)),
        AnyObject::ConfigMap(_) => AnyObject::ConfigMap(Box::new(get(store, &ns, &name)?)),
        AnyObject::Secret(_) => AnyObject::Secret(Box::new(get(store, &ns, &name)?)),
        AnyObject::Namespace(_) => AnyObject::Namespace(Box::new(get(store, &ns, &name)?)),
        AnyObject::Node(_) => AnyObject::Node(Box::new(get(store, &ns, &name)?)),
        AnyObject::ControllerRevision(_) => {
            AnyObject::ControllerRevision(Box::new(get(store, &ns, &name)?))
        }
    })
}

/// The user-owned part of an object, for `unchanged` detection: everything but status and
/// server-set metadata.
fn user_view(obj: &AnyObject) -> serde_json::Value {
    let mut v = obj.to_json();
    if let Some(m) = v.as_object_mut() {
        m.remove("status");
        if let Some(meta) = m.get_mut("metadata").and_then(|x| x.as_object_mut()) {
            for k in [
                "uid",
                "resourceVersion",
                "generation",
                "creationTimestamp",
                "deletionTimestamp",
                "deletionGracePeriodSeconds",
                "managedFields",
                "finalizers",
                "ownerReferences",
                "namespace",
            ] {
                meta.remove(k);
            }
        }
    }
    v
}

/// The annotation client-side `kubectl apply` keeps the applied configuration in.
pub const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// The configuration last applied to `stored` (its last-applied annotation), if it parses.
fn last_applied(stored: &AnyObject) -> Option<serde_json::Value> {
    let text = stored.metadata().annotations.as_ref()?.get(LAST_APPLIED)?;
    // Bounded like any input: the annotation was written by us from a bounded manifest.
    if text.len() > 1 << 20 {
        return None;
    }
    serde_json::from_str(text).ok()
}

/// Server-allocated spec fields of `stored_json` that a replacing object `new` leaves out.
fn keep_allocated(
    stored_json: &serde_json::Value,
    new: &mut serde_json::Map<String, serde_json::Value>,
    stored: &AnyObject,
) {
    let fields: &[&str] = match stored {
        AnyObject::Service(_) => &["clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"],
        AnyObject::PersistentVolumeClaim(_) => &["volumeName", "storageClassName", "volumeMode"],
        _ => &[],
    };
    let Some(old_spec) = stored_json.get("spec").and_then(|v| v.as_object()) else {
        return;
    };
    let Some(spec) = new.get_mut("spec").and_then(|v| v.as_object_mut()) else {
        return;
    };
    for f in fields {
        let missing = spec.get(*f).is_none_or(|v| v.is_null() || v == "");
        if missing && let Some(v) = old_spec.get(*f) {
            spec.insert((*f).to_string(), v.clone());
        }
    }
}

/// `new` (an applied manifest) merged three ways with the stored object and the previously
/// applied `original`, as client-side `kubectl apply` does (`CreateThreeWayMergePatch` in
/// k8s.io/apimachinery `pkg/util/strategicpatch/patch.go`, the patch then applied by the
/// apiserver as a strategic merge patch; see [`crate::merge`]): additions and changes come from
/// the manifest against the stored object, deletions from the manifest against `original`.
/// Maps merge key by key; lists tagged `patchStrategy:"merge"` (containers, env, ports,
/// volumeMounts, volumes, Service ports, …) merge item by item on their merge key, so items
/// others added (a sidecar from `kubectl patch`, an env var from `kubectl set env`) and fields
/// the server filled in stay; other lists come whole from the manifest. Every section but the
/// object's identity and status (`spec`, `data`, …; a section removed from the manifest goes),
/// then the labels and annotations.
fn three_way_merge(
    stored: &serde_json::Value,
    new: &mut serde_json::Map<String, serde_json::Value>,
    original: &serde_json::Value,
) {
    use serde_json::Value;
    let ty = crate::merge::root_of(stored);
    let sections = |v: &Value| -> Value {
        let mut m = v.as_object().cloned().unwrap_or_default();
        for k in ["apiVersion", "kind", "metadata", "status"] {
            m.remove(k);
        }
        Value::Object(m)
    };
    let merged = crate::merge::three_way_merge(
        &sections(original),
        &sections(&Value::Object(new.clone())),
        &sections(stored),
        ty,
    );
    new.retain(|k, _| matches!(k.as_str(), "apiVersion" | "kind" | "metadata" | "status"));
    if let Value::Object(m) = merged {
        new.extend(m);
    }
    let empty = Value::Object(Default::default());
    for field in ["labels", "annotations"] {
        let Some(stored_map) = stored.get("metadata").and_then(|x| x.get(field)) else {
            continue;
        };
        let orig_map = original.get("metadata").and_then(|x| x.get(field));
        let Some(meta) = new.get_mut("metadata").and_then(|x| x.as_object_mut()) else {
            continue;
        };
        let new_map = meta.get(field).cloned().unwrap_or_else(|| empty.clone());
        let merged = crate::merge::three_way_merge(
            orig_map.unwrap_or(&empty),
            &new_map,
            stored_map,
            crate::merge::Ty::Any,
        );
        if merged.as_object().is_some_and(|x| x.is_empty()) {
            meta.remove(field);
        } else {
            meta.insert(field.to_string(), merged);
        }
    }
}

/// Whether the patch client-side `kubectl apply` would send for `new` over `stored` is empty
/// (`pkg/cmd/apply/apply.go`: `unchanged` when the patch is `{}`, else `configured`). kubectl
/// diffs the manifest as written (the new last-applied annotation, added to it as kubectl's
/// `GetModifiedConfiguration` does) against the live object, so a server default inside a list
/// without a merge strategy makes the patch non-empty on every re-apply: a StatefulSet's
/// `volumeClaimTemplates` get `apiVersion`, `kind`, `volumeMode` and `status.phase` from the
/// apiserver, hence `configured` for an unchanged manifest (kubernetes/kubernetes#66450).
/// `None` when the new object carries no annotation (not a kubectl apply).
fn apply_patch_is_empty(stored: &AnyObject, new: &AnyObject) -> Option<bool> {
    use serde_json::Value;
    let raw = new.metadata().annotations.as_ref()?.get(LAST_APPLIED)?;
    if raw.len() > 1 << 20 {
        return None;
    }
    let mut modified: Value = serde_json::from_str(raw).ok()?;
    let annotations = modified
        .as_object_mut()?
        .entry("metadata")
        .or_insert_with(|| Value::Object(Default::default()))
        .as_object_mut()?
        .entry("annotations")
        .or_insert_with(|| Value::Object(Default::default()))
        .as_object_mut()?;
    annotations.insert(LAST_APPLIED.to_string(), Value::String(raw.clone()));
    let original = last_applied(stored).unwrap_or_else(|| Value::Object(Default::default()));
    let current = stored.to_json();
    let ty = crate::merge::root_of(&current);
    let patch = crate::merge::three_way_patch(&original, &modified, &current, ty);
    Some(patch.as_object().is_some_and(|m| m.is_empty()))
}

/// The user's object with the server-filled spec fields of the stored one carried over. With
/// `three_way` (kubectl apply), fields of the last applied configuration that the new one no
/// longer has are removed from the spec (and other top-level sections) and from the labels
/// and annotations; labels and annotations set by others (kubectl label/annotate) are kept.
fn with_server_fields(stored: &AnyObject, obj: AnyObject, three_way: bool) -> AnyObject {
    let sj = stored.to_json();
    let mut nj = obj.to_json();
    if let Some(m) = nj.as_object_mut() {
        if three_way {
            // Without the annotation (an object made by `kubectl create`), kubectl treats the
            // original as empty: nothing is deleted.
            let original = last_applied(stored)
                .unwrap_or_else(|| serde_json::Value::Object(Default::default()));
            three_way_merge(&sj, m, &original);
        } else {
            // A PUT (replace, edit, patch, undo, scale: the client sends the whole object)
            // replaces every section; only values the apiserver allocated are kept when the new
            // object leaves them out (Service `patchAllocatedValues` in
            // pkg/registry/core/service/storage/storage.go; a claim's binding).
            keep_allocated(&sj, m, stored);
        }
    }
    fn back<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> Option<T> {
        serde_json::from_value(v).ok()
    }
    let merged = match &obj {
        AnyObject::StatefulSet(_) => back(nj).map(|o| AnyObject::StatefulSet(Box::new(o))),
        AnyObject::Service(_) => back(nj).map(|o| AnyObject::Service(Box::new(o))),
        AnyObject::Pod(_) => back(nj).map(|o| AnyObject::Pod(Box::new(o))),
        AnyObject::PersistentVolumeClaim(_) => {
            back(nj).map(|o| AnyObject::PersistentVolumeClaim(Box::new(o)))
        }
        AnyObject::PersistentVolume(_) => {
            back(nj).map(|o| AnyObject::PersistentVolume(Box::new(o)))
        }
        AnyObject::StorageClass(_) => back(nj).map(|o| AnyObject::StorageClass(Box::new(o))),
        AnyObject::ConfigMap(_) => back(nj).map(|o| AnyObject::ConfigMap(Box::new(o))),
        AnyObject::Secret(_) => back(nj).map(|o| AnyObject::Secret(Box::new(o))),
        _ => None,
    };
    merged.unwrap_or(obj)
}

/// A user update: the new object's spec/metadata over the stored one (status kept).
fn update_any(
    st: &mut State,
    obj: AnyObject,
    three_way: bool,
) -> Result<(Outcome, AnyObject), ApiError> {
    let Some(stored) = stored_of(&st.store, &obj) else {
        return Err(ApiError::NotFound {
            resource: resource_of(&obj),
            name: obj.name().to_string(),
        });
    };
    // kubectl apply prints `unchanged` only when the patch it computed is empty, which can
    // differ from "the object did not change" (see `apply_patch_is_empty`).
    let patch_empty = if three_way {
        apply_patch_is_empty(&stored, &obj)
    } else {
        None
    };
    let mut obj = with_server_fields(&stored, obj, three_way);
    if let (AnyObject::StatefulSet(set), AnyObject::StatefulSet(old)) = (&mut obj, &stored) {
        gate_statefulset_fields(set, Some(old), &st.ccfg.gates);
    }
    if user_view(&stored) == user_view(&obj) {
        // A non-empty patch that changes nothing: the apiserver skips the write (no new
        // resourceVersion), kubectl still says `configured`.
        let outcome = match patch_empty {
            Some(false) => Outcome::Configured,
            _ => Outcome::Unchanged,
        };
        return Ok((outcome, stored));
    }
    {
        // Server-owned metadata stays as stored unless the user sent it.
        let sm = stored.metadata().clone();
        let m = obj.metadata_mut();
        if m.finalizers.is_none() {
            m.finalizers = sm.finalizers.clone();
        }
        if m.owner_references.is_none() {
            m.owner_references = sm.owner_references.clone();
        }
    }
    let s = &mut st.store;
    let out = each_any!(obj, o => {
        let mut o = *o;
        keep_status(&stored, &mut o);
        let r = s.update(Actor::User, o)?;
        to_any(r)
    });
    Ok((Outcome::Configured, out))
}

trait IntoAny {
    fn into_any(self) -> AnyObject;
}
macro_rules! into_any {
    ($($t:ty => $v:ident),*) => {$(
        impl IntoAny for $t {
            fn into_any(self) -> AnyObject {
                AnyObject::$v(Box::new(self))
            }
        }
    )*};
}
into_any!(
    StatefulSet => StatefulSet,
    Service => Service,
    Pod => Pod,
    PersistentVolumeClaim => PersistentVolumeClaim,
    PersistentVolume => PersistentVolume,
    StorageClass => StorageClass,
    k8s_openapi::api::core::v1::ConfigMap => ConfigMap,
    k8s_openapi::api::core::v1::Secret => Secret,
    Namespace => Namespace,
    Node => Node,
    k8s_openapi::api::apps::v1::ControllerRevision => ControllerRevision
);

fn to_any<T: IntoAny>(t: T) -> AnyObject {
    t.into_any()
}

/// Copy `.status` from the stored object (status is a subresource; user writes don't touch it).
fn keep_status<T: serde::Serialize + serde::de::DeserializeOwned>(stored: &AnyObject, obj: &mut T) {
    let Some(status) = stored.to_json().get("status").cloned() else {
        return;
    };
    if let Ok(mut v) = serde_json::to_value(&*obj)
        && let Some(m) = v.as_object_mut()
    {
        m.insert("status".into(), status);
        if let Ok(t) = serde_json::from_value(v) {
            *obj = t;
        }
    }
}

fn finalize(st: &mut State, outcome: Outcome, object: Option<AnyObject>) -> Applied {
    let writes = react(st, true);
    Applied {
        outcome,
        object,
        writes,
        messages: Vec::new(),
        exec: None,
    }
}

pub(crate) fn apply_command(
    st: &mut State,
    cmd: &Command,
    cfg: &ClusterConfig,
) -> Result<Applied, SimError> {
    let _ = cfg;
    st.store.record = true;
    match cmd {
        Command::Create(obj) => {
            let o = create_any(st, obj.clone())?;
            Ok(finalize(st, Outcome::Created, Some(o)))
        }
        Command::Apply(obj) => {
            if stored_of(&st.store, obj).is_some() {
                let (outcome, o) = update_any(st, obj.clone(), true)?;
                Ok(finalize(st, outcome, Some(o)))
            } else {
                let o = create_any(st, obj.clone())?;
                Ok(finalize(st, Outcome::Created, Some(o)))
            }
        }
        Command::Update(obj) => {
            let (outcome, o) = update_any(st, obj.clone(), false)?;
            Ok(finalize(st, outcome, Some(o)))
        }
        Command::Delete {
            resource,
            ns,
            name,
            grace_seconds,
            propagation,
        } => {
            let o = delete_resource(st, resource, ns, name, *grace_seconds, *propagation)?;
            Ok(finalize(st, Outcome::Deleted, o))
        }
        Command::Scale { ns, name, replicas } => {
            let Some(mut set) = st.store.get::<StatefulSet>(ns, name).cloned() else {
                return Err(ApiError::NotFound {
                    resource: "statefulsets.apps",
                    name: name.clone(),
                }
                .into());
            };
            if *replicas < 0 {
                return Err(SimError::Invalid(format!(
                    "The StatefulSet \"{name}\" is invalid: spec.replicas: Invalid value: {replicas}: must be greater than or equal to 0"
                )));
            }
            set.spec.get_or_insert_with(Default::default).replicas = Some(*replicas);
            let o = st.store.patch(Actor::User, set)?;
            Ok(finalize(
                st,
                Outcome::Configured,
                Some(AnyObject::StatefulSet(Box::new(o))),
            ))
        }
        Command::Fault(f) => {
            fault(st, f)?;
            Ok(finalize(st, Outcome::Done, None))
        }
        Command::SetNodes(n) => {
            set_nodes(st, *n, cfg.version, cfg.seed)?;
            Ok(finalize(st, Outcome::Done, None))
        }
        Command::Cordon { node, on } => {
            cordon(st, node, *on)?;
            Ok(finalize(st, Outcome::Done, None))
        }
        Command::Drain { node } => {
            cordon(st, node, true)?;
            let pods: Vec<(String, String)> = st
                .store
                .pods
                .values()
                .filter(|p| {
                    p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some(node.as_str())
                })
                .filter(|p| p.metadata.deletion_timestamp.is_none())
                // kubectl skips mirror pods and (with --ignore-daemonsets) DaemonSet pods; kind's
                // Deployment pods are not evicted either (no ReplicaSet to replace them).
                .filter(|p| !crate::system::is_system_pod(p))
                .map(|p| {
                    (
                        p.metadata.namespace.clone().unwrap_or_default(),
                        p.metadata.name.clone().unwrap_or_default(),
                    )
                })
                .collect();
            let mut messages = Vec::new();
            for (pns, pname) in &pods {
                delete_resource(st, "pods", pns, pname, None, Propagation::Background)?;
                messages.push(format!("{pns}/{pname}"));
            }
            let mut a = finalize(st, Outcome::Done, None);
            a.messages = messages;
            Ok(a)
        }
        Command::WriteFile {
            ns,
            pod,
            path,
            content,
        } => {
            volumes::write_pod_file(st, ns, pod, None, path, content, false)?;
            Ok(finalize(st, Outcome::Done, None))
        }
        Command::SetFeatureGates(gates) => {
            let mut next = st.ccfg.gates;
            for (g, on) in gates {
                if g.spec(st.ccfg.version).is_none() {
                    return Err(SimError::Invalid(format!(
                        "unrecognized feature gate: {}",
                        g.name()
                    )));
                }
                next.set(*g, *on);
            }
            st.ccfg.gates = next;
            Ok(finalize(st, Outcome::Done, None))
        }
        Command::Exec {
            ns,
            pod,
            container,
            argv,
            tty,
        } => {
            let out = kubelet::exec(st, ns, pod, container.as_deref(), argv, *tty)?;
            let mut a = finalize(st, Outcome::Done, None);
            a.exec = Some(out);
            Ok(a)
        }
    }
}

/// Canonical plural for the resource names kubectl may hand us.
pub fn canonical_resource(r: &str) -> Option<&'static str> {
    let base = r.split('.').next().unwrap_or(r).to_ascii_lowercase();
    Some(match base.as_str() {
        "pod" | "pods" | "po" => "pods",
        "statefulset" | "statefulsets" | "sts" => "statefulsets",
        "persistentvolumeclaim" | "persistentvolumeclaims" | "pvc" => "persistentvolumeclaims",
        "persistentvolume" | "persistentvolumes" | "pv" => "persistentvolumes",
        "service" | "services" | "svc" => "services",
        "storageclass" | "storageclasses" | "sc" => "storageclasses",
        "configmap" | "configmaps" | "cm" => "configmaps",
        "secret" | "secrets" => "secrets",
        "namespace" | "namespaces" | "ns" => "namespaces",
        "node" | "nodes" | "no" => "nodes",
        "controllerrevision" | "controllerrevisions" => "controllerrevisions",
        "endpoints" | "ep" => "endpoints",
        "endpointslice" | "endpointslices" => "endpointslices",
        "event" | "events" | "ev" => "events",
        _ => return None,
    })
}

fn delete_resource(
    st: &mut State,
    resource: &str,
    ns: &str,
    name: &str,
    grace: Option<i64>,
    propagation: Propagation,
) -> Result<Option<AnyObject>, SimError> {
    let Some(res) = canonical_resource(resource) else {
        return Err(SimError::Unsupported(format!(
            "error: the server doesn't have a resource type \"{resource}\""
        )));
    };
    let now = st.now;
    // Owner deletion with propagation: the apiserver puts the GC finalizer on the owner.
    let gc_finalizer = match propagation {
        Propagation::Background => None,
        Propagation::Foreground => Some("foregroundDeletion"),
        Propagation::Orphan => Some("orphan"),
    };
    macro_rules! del {
        ($t:ty) => {{
            if let Some(f) = gc_finalizer {
                if let Some(mut o) = st.store.get::<$t>(ns, name).cloned() {
                    if o.metadata().deletion_timestamp.is_none() {
                        let fs = o.metadata_mut().finalizers.get_or_insert_with(Vec::new);
                        if !fs.iter().any(|x| x == f) {
                            fs.push(f.to_string());
                            st.store.update(Actor::User, o)?;
                        }
                    }
                }
            }
            let o: $t = st.store.delete::<$t>(Actor::User, ns, name, grace, now)?;
            Some(to_any(o))
        }};
    }
    let out = match res {
        "pods" => {
            let Some(pod) = st.store.get::<Pod>(ns, name).cloned() else {
                return Err(ApiError::NotFound {
                    resource: "pods",
                    name: name.to_string(),
                }
                .into());
            };
            // pkg/registry/core/pod/strategy.go CheckGracefulDelete: the pod's own grace period
            // by default; unscheduled or terminal pods are deleted at once.
            let spec_grace = pod
                .spec
                .as_ref()
                .and_then(|s| s.termination_grace_period_seconds)
                .unwrap_or(30);
            let scheduled = pod
                .spec
                .as_ref()
                .and_then(|s| s.node_name.as_ref())
                .is_some();
            let phase = pod
                .status
                .as_ref()
                .and_then(|s| s.phase.as_deref())
                .unwrap_or("");
            let terminal = phase == "Succeeded" || phase == "Failed";
            let g = if !scheduled || terminal {
                0
            } else {
                grace.unwrap_or(spec_grace).max(0)
            };
            let o: Pod = st
                .store
                .delete::<Pod>(Actor::User, ns, name, Some(g), now)?;
            Some(to_any(o))
        }
        "statefulsets" => del!(StatefulSet),
        "persistentvolumeclaims" => del!(PersistentVolumeClaim),
        "persistentvolumes" => del!(PersistentVolume),
        "services" => del!(Service),
        "storageclasses" => del!(StorageClass),
        "configmaps" => del!(k8s_openapi::api::core::v1::ConfigMap),
        "secrets" => del!(k8s_openapi::api::core::v1::Secret),
        "controllerrevisions" => del!(k8s_openapi::api::apps::v1::ControllerRevision),
        "nodes" => {
            let o: Node = st.store.delete::<Node>(Actor::User, ns, name, grace, now)?;
            st.rt.nodes.remove(name);
            Some(to_any(o))
        }
        "events" => {
            let _: k8s_openapi::api::core::v1::Event =
                st.store.delete(Actor::User, ns, name, grace, now)?;
            None
        }
        "endpoints" => {
            let _: k8s_openapi::api::core::v1::Endpoints =
                st.store.delete(Actor::User, ns, name, grace, now)?;
            None
        }
        "endpointslices" => {
            let _: k8s_openapi::api::discovery::v1::EndpointSlice =
                st.store.delete(Actor::User, ns, name, grace, now)?;
            None
        }
        "namespaces" => {
            return Err(SimError::Unsupported(
                "deleting namespaces is not simulated".into(),
            ));
        }
        _ => None,
    };
    Ok(out)
}

fn fault(st: &mut State, f: &Fault) -> Result<(), SimError> {
    match f {
        Fault::PodCrash(p) | Fault::PodUnready(p) | Fault::PodReady(p) => {
            let (ns, name) = split_pod_ref(p);
            let Some(pod) = st.store.get::<Pod>(&ns, &name) else {
                return Err(ApiError::NotFound {
                    resource: "pods",
                    name,
                }
                .into());
            };
            let uid = pod.metadata.uid.clone().unwrap_or_default();
            match f {
                Fault::PodCrash(_) => kubelet::crash(st, &uid)?,
                Fault::PodUnready(_) => kubelet::set_unready(st, &uid, true)?,
                _ => kubelet::set_unready(st, &uid, false)?,
            }
        }
        Fault::NodeDown(n) => node_down(st, n)?,
        Fault::NodeUp(n) => node_up(st, n)?,
        Fault::ImageMissing(i) => {
            let n = kubelet::normalize_image(i);
            st.rt.present_images.remove(&n);
            st.rt.missing_images.insert(n);
        }
        Fault::ImagePresent(i) => {
            let n = kubelet::normalize_image(i);
            st.rt.missing_images.remove(&n);
            st.rt.present_images.insert(n);
        }
    }
    Ok(())
}

fn node_down(st: &mut State, node: &str) -> Result<(), SimError> {
    let now = st.now;
    let grace = st.dur.node_monitor_grace;
    let Some(n) = st.rt.nodes.get_mut(node) else {
        return Err(SimError::NotFound(format!(
            "Error from server (NotFound): nodes \"{node}\" not found"
        )));
    };
    if !n.up {
        return Ok(());
    }
    n.up = false;
    n.epoch += 1;
    let epoch = n.epoch;
    // The kubelet stops: forget its in-flight work.
    for p in st.rt.pods.values_mut() {
        if p.node == node {
            p.epoch += 1;
        }
    }
    st.queue.push(
        now + grace,
        Action::NodeMonitor {
            node: node.to_string(),
            epoch,
        },
    );
    Ok(())
}

fn node_up(st: &mut State, node: &str) -> Result<(), SimError> {
    let now = st.now;
    let Some(n) = st.rt.nodes.get_mut(node) else {
        return Err(SimError::NotFound(format!(
            "Error from server (NotFound): nodes \"{node}\" not found"
        )));
    };
    if n.up {
        return Ok(());
    }
    n.up = true;
    n.unreachable = false;
    n.epoch += 1;
    if let Some(mut obj) = st.store.get::<Node>("", node).cloned() {
        if let Some(s) = obj.status.as_mut() {
            s.conditions = Some(node_conditions(true, now));
        }
        if let Some(spec) = obj.spec.as_mut() {
            if let Some(t) = spec.taints.as_mut() {
                t.retain(|t| t.key != "node.kubernetes.io/unreachable");
            }
            if spec.taints.as_ref().is_some_and(|t| t.is_empty()) {
                spec.taints = None;
            }
        }
        let _ = st.store.update(Actor::Harness, obj.clone());
        let _ = st
            .store
            .update_status(Actor::Kubelet, obj, |s, n| s.status = n.status);
    }
    // The kubelet comes back: it resumes every pod it runs.
    let uids: Vec<String> = st
        .rt
        .pods
        .iter()
        .filter(|(_, p)| p.node == node)
        .map(|(u, _)| u.clone())
        .collect();
    for uid in uids {
        kubelet::resume(st, &uid);
    }
    retry_unschedulable(st);
    Ok(())
}

fn cordon(st: &mut State, node: &str, on: bool) -> Result<(), SimError> {
    let Some(mut obj) = st.store.get::<Node>("", node).cloned() else {
        return Err(ApiError::NotFound {
            resource: "nodes",
            name: node.to_string(),
        }
        .into());
    };
    let spec = obj.spec.get_or_insert_with(Default::default);
    let cur = spec.unschedulable.unwrap_or(false);
    if cur == on {
        return Ok(());
    }
    spec.unschedulable = if on { Some(true) } else { None };
    // The node lifecycle controller mirrors spec.unschedulable as a NoSchedule taint.
    let taints = spec.taints.get_or_insert_with(Vec::new);
    taints.retain(|t| t.key != "node.kubernetes.io/unschedulable");
    if on {
        taints.push(Taint {
            key: "node.kubernetes.io/unschedulable".into(),
            effect: "NoSchedule".into(),
            time_added: Some(to_k8s_time(st.now)),
            ..Default::default()
        });
    }
    if taints.is_empty() {
        spec.taints = None;
    }
    st.store.patch(Actor::User, obj)?;
    if !on {
        retry_unschedulable(st);
    }
    Ok(())
}

fn set_nodes(st: &mut State, n: u32, version: K8sVersion, seed: u64) -> Result<(), SimError> {
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
            let info = crate::system::NodeInfo {
                name,
                ip: &ip,
                uid: &uid,
            };
            crate::system::add_node(&mut st.store, seed, version, &info, now);
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
    if let Some(mut cp) = st.store.get::<Node>("", "kind-control-plane").cloned() {
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
    retry_unschedulable(st);
    Ok(())
}

pub(crate) fn retry_unschedulable(st: &mut State) {
    let pods: Vec<Key> = std::mem::take(&mut st.rt.unschedulable)
        .into_iter()
        .collect();
    for k in pods {
        scheduler::enqueue(st, &k);
    }
}

// ---------------------------------------------------------------------------------------------
// Events and reactions

fn advance_to(st: &mut State, t: SimTime) {
    if t > st.now {
        st.now = t;
    }
}

pub(crate) fn is_live(st: &State, a: &Action) -> bool {
    match a {
        Action::Kubelet { uid, epoch, .. } => {
            st.rt.pods.get(uid).is_some_and(|p| p.epoch == *epoch)
        }
        Action::NodeMonitor { node, epoch } | Action::Evict { node, epoch } => {
            st.rt.nodes.get(node).is_some_and(|n| n.epoch == *epoch)
        }
        _ => true,
    }
}

fn next_live_time(st: &State) -> Option<SimTime> {
    st.queue
        .iter()
        .find(|(_, a)| is_live(st, a))
        .map(|(t, _)| t)
}

pub(crate) fn describe_action(a: &Action) -> String {
    match a {
        Action::Controllers => "controllers: requeue".into(),
        Action::ClaimSync((ns, n)) => format!("persistentvolume-controller: sync claim {ns}/{n}"),
        Action::Provision {
            claim: (ns, n),
            node,
            ..
        } => {
            format!("rancher.io/local-path: provision volume for claim {ns}/{n} on {node}")
        }
        Action::ReclaimPv(pv) => format!("rancher.io/local-path: delete volume {pv}"),
        Action::Schedule((ns, n)) => format!("default-scheduler: schedule pod {ns}/{n}"),
        Action::Bind {
            pod: (ns, n), node, ..
        } => format!("default-scheduler: bind pod {ns}/{n} to {node}"),
        Action::Kubelet { stage, .. } => format!("kubelet: {stage:?}"),
        Action::NodeMonitor { node, .. } => {
            format!("node-lifecycle-controller: node {node} stopped posting status")
        }
        Action::Evict { node, .. } => format!("taint-eviction-controller: evict pods from {node}"),
    }
}

pub(crate) fn step_state_pub(st: &mut State) -> (Option<StepReport>, bool) {
    step_state(st)
}

/// Apply the next event that does something. Returns its report (None when only stale or
/// no-op events were left: they are consumed, the clock stays) and whether anything was consumed.
fn step_state(st: &mut State) -> (Option<StepReport>, bool) {
    st.store.record = true;
    let before = st.now;
    let mut consumed = false;
    loop {
        let Some((t, action)) = st.queue.pop() else {
            st.now = before;
            return (None, consumed);
        };
        consumed = true;
        if !is_live(st, &action) {
            continue;
        }
        advance_to(st, t);
        let retry = is_retry(st, &action);
        let desc = execute(st, action);
        let writes = react(st, false);
        if desc.is_none() && writes.is_empty() {
            continue;
        }
        let description = desc.unwrap_or_else(|| "no-op".into());
        return (
            Some(StepReport {
                time: st.now,
                description,
                writes,
                retry,
            }),
            true,
        );
    }
}

/// How long `settle` lets only back-off retries run before it stops (sim time): the longest
/// back-offs (5 min for pulls and restarts) repeat at least once in it.
pub const SETTLE_RETRY_WINDOW: SimTime = 10 * 60 * SECOND;

/// Whether an action is a back-off retry (see `StepReport::retry`).
fn is_retry(st: &State, action: &Action) -> bool {
    match action {
        Action::Controllers => !st.rt.sync_failures.is_empty(),
        Action::Kubelet { stage, .. } => matches!(
            stage,
            Stage::Image { .. }
                | Stage::PullFailed { .. }
                | Stage::PullBackOff { .. }
                | Stage::Exited { .. }
                | Stage::BackOff { .. }
                | Stage::Restart { .. }
        ),
        _ => false,
    }
}

/// Run one action; returns its description when it did something.
fn execute(st: &mut State, action: Action) -> Option<String> {
    match action {
        Action::Controllers => {
            st.rt.controllers_at = None;
            let retries: Vec<String> = st
                .rt
                .sync_failures
                .keys()
                .map(|(ns, n)| format!("{ns}/{n}"))
                .collect();
            run_controllers(st);
            Some(if retries.is_empty() {
                "statefulset-controller: requeue (minReadySeconds)".into()
            } else {
                format!(
                    "statefulset-controller: retry {} after a failed sync (rate-limited)",
                    retries.join(", ")
                )
            })
        }
        Action::ClaimSync(k) => {
            st.rt.inflight.remove(&format!("claim/{}/{}", k.0, k.1));
            volumes::claim_sync(st, &k)
        }
        Action::Provision { claim, uid, node } => volumes::provision(st, &claim, &uid, &node),
        Action::ReclaimPv(pv) => volumes::reclaim(st, &pv),
        Action::Schedule(k) => {
            st.rt.inflight.remove(&format!("schedule/{}/{}", k.0, k.1));
            scheduler::schedule(st, &k)
        }
        Action::Bind { pod, uid, node } => scheduler::bind(st, &pod, &uid, &node),
        Action::Kubelet { uid, stage, .. } => kubelet::run(st, &uid, stage),
        Action::NodeMonitor { node, .. } => node_monitor(st, &node),
        Action::Evict { node, .. } => evict(st, &node),
    }
}

fn node_monitor(st: &mut State, node: &str) -> Option<String> {
    let now = st.now;
    let tol = st.dur.unreachable_toleration;
    let epoch = {
        let n = st.rt.nodes.get_mut(node)?;
        n.unreachable = true;
        n.epoch
    };
    let mut obj = st.store.get::<Node>("", node).cloned()?;
    if let Some(s) = obj.status.as_mut() {
        s.conditions = Some(node_conditions(false, now));
    }
    let _ = st
        .store
        .update_status(Actor::Harness, obj.clone(), |s, n| s.status = n.status);
    let mut obj = st.store.get::<Node>("", node).cloned()?;
    let spec = obj.spec.get_or_insert_with(Default::default);
    let taints = spec.taints.get_or_insert_with(Vec::new);
    for effect in ["NoSchedule", "NoExecute"] {
        taints.push(Taint {
            key: "node.kubernetes.io/unreachable".into(),
            effect: effect.into(),
            time_added: if effect == "NoExecute" {
                Some(to_k8s_time(now))
            } else {
                None
            },
            ..Default::default()
        });
    }
    let _ = st.store.update(Actor::Harness, obj);
    let node_ref = crate::events::reference_to(st.store.get::<Node>("", node)?, None);
    crate::events::record(
        &mut st.store,
        node_ref,
        crate::events::EventType::Normal,
        "NodeNotReady",
        &format!("Node {node} status is now: NodeNotReady"),
        "node-controller",
        None,
        now,
    );
    // pkg/controller/nodelifecycle: MarkPodsNotReady sets the pods' Ready condition False.
    let uids: Vec<String> = st
        .rt
        .pods
        .iter()
        .filter(|(_, p)| p.node == node)
        .map(|(u, _)| u.clone())
        .collect();
    for uid in uids {
        kubelet::mark_not_ready_by_node(st, &uid);
    }
    st.queue.push(
        now + tol,
        Action::Evict {
            node: node.to_string(),
            epoch,
        },
    );
    Some(format!(
        "node-lifecycle-controller: node {node} is NotReady (kubelet stopped posting node status)"
    ))
}

fn evict(st: &mut State, node: &str) -> Option<String> {
    let pods: Vec<(String, String)> = st
        .store
        .pods
        .values()
        .filter(|p| p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some(node))
        .filter(|p| p.metadata.deletion_timestamp.is_none())
        // Mirror and DaemonSet pods tolerate the unreachable taint forever; kind's Deployment
        // pods (coredns, local-path-provisioner) would go after 300 s and be replaced by their
        // ReplicaSet, which the playground does not run: they stay (RUNTIME.md, known gaps).
        .filter(|p| !crate::system::is_system_pod(p))
        .map(|p| {
            (
                p.metadata.namespace.clone().unwrap_or_default(),
                p.metadata.name.clone().unwrap_or_default(),
            )
        })
        .collect();
    if pods.is_empty() {
        return None;
    }
    let now = st.now;
    for (ns, name) in &pods {
        if let Some(p) = st.store.get::<Pod>(ns, name) {
            let r = crate::events::reference_to(p, None);
            crate::events::record(
                &mut st.store,
                r,
                crate::events::EventType::Normal,
                "TaintManagerEviction",
                &format!("Marking for deletion Pod {ns}/{name}"),
                "taint-eviction-controller",
                None,
                now,
            );
        }
        let g = st
            .store
            .get::<Pod>(ns, name)
            .and_then(|p| p.spec.as_ref())
            .and_then(|s| s.termination_grace_period_seconds)
            .unwrap_or(30);
        let _ = st
            .store
            .delete::<Pod>(Actor::Harness, ns, name, Some(g), now);
    }
    Some(format!(
        "taint-eviction-controller: evicted {} pod(s) from unreachable node {node}",
        pods.len()
    ))
}

/// The controllers (StatefulSet, GC, pvc-protection), then the runtime's planners, until no
/// more writes happen. Returns every write made (including those already in the log).
pub(crate) fn react(st: &mut State, user: bool) -> Vec<Write> {
    let mut all: Vec<Write> = Vec::new();
    let mut pending = st.store.drain_log();
    // The controllers watch StatefulSets, pods, claims and revisions (plus the GC every object
    // with owners); a batch of Events or Endpoints alone does not wake them, nor a pod status
    // write that changes nothing they read (their sync is level-triggered and would be a no-op).
    let mut run_ctl = user || wakes_controllers(st, &pending);
    for _ in 0..MAX_REACT_ROUNDS {
        if run_ctl {
            let gc = pending.iter().any(gc_relevant);
            run_controllers_gc(st, gc);
            pending.extend(st.store.drain_log());
            remember_pods(st, &pending);
        }
        if pending.is_empty() {
            break;
        }
        plan(st, &pending);
        endpoints::sync(st, &pending);
        all.append(&mut pending);
        pending = st.store.drain_log();
        if pending.is_empty() {
            break;
        }
        run_ctl = wakes_controllers(st, &pending);
    }
    all.extend(pending);
    all
}

/// What the StatefulSet controller reads of a pod: existence, labels, deletion, phase, the
/// Ready condition and its transition time (minReadySeconds), owners, volumes.
fn pod_fingerprint(p: &Pod) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    p.metadata.uid.hash(&mut h);
    p.metadata.labels.hash(&mut h);
    p.metadata
        .deletion_timestamp
        .as_ref()
        .map(|t| t.0.as_second())
        .hash(&mut h);
    p.metadata
        .owner_references
        .as_ref()
        .map(|o| o.iter().map(|r| r.uid.clone()).collect::<Vec<_>>())
        .hash(&mut h);
    if let Some(s) = &p.status {
        s.phase.hash(&mut h);
        for c in s.conditions.iter().flatten().filter(|c| c.type_ == "Ready") {
            c.status.hash(&mut h);
            c.last_transition_time
                .as_ref()
                .map(|t| t.0.as_second())
                .hash(&mut h);
        }
    }
    if let Some(s) = &p.spec {
        // Not the node: no controller woken here reads `nodeName` (binding a pod wakes
        // nobody; the scheduler and kubelet are planned from the write itself).
        s.hostname.hash(&mut h);
        s.subdomain.hash(&mut h);
        for v in s.volumes.iter().flatten() {
            v.name.hash(&mut h);
            v.persistent_volume_claim
                .as_ref()
                .map(|c| c.claim_name.clone())
                .hash(&mut h);
        }
    }
    h.finish()
}

fn remember_pods(st: &mut State, writes: &[Write]) {
    for w in writes.iter().filter(|w| w.resource == "pods") {
        let k = key(&w.namespace, &w.name);
        match st.store.get::<Pod>(&w.namespace, &w.name) {
            Some(p) => {
                let f = pod_fingerprint(p);
                st.rt.seen_pods.insert(k, f);
            }
            None => {
                st.rt.seen_pods.remove(&k);
            }
        }
    }
}

fn wakes_controllers(st: &State, writes: &[Write]) -> bool {
    use crate::store::Verb;
    writes.iter().any(|w| match w.resource {
        "pods" => match st.store.get::<Pod>(&w.namespace, &w.name) {
            Some(p) => {
                st.rt.seen_pods.get(&key(&w.namespace, &w.name)) != Some(&pod_fingerprint(p))
            }
            None => true,
        },
        // The StatefulSet controller has no claim event handlers (it reads claims from the
        // informer cache when a set or pod event makes it sync; upstream `stateful_set.go`);
        // pvc-protection and the GC react to claim creation and deletion. The PV controller's
        // and provisioner's annotation/status updates wake nobody.
        "persistentvolumeclaims" => {
            w.actor == Actor::User || matches!(w.verb, Verb::Create | Verb::Delete | Verb::Removed)
        }
        "statefulsets" | "controllerrevisions" => true,
        _ => matches!(w.verb, Verb::Delete | Verb::Removed),
    })
}

thread_local! {
    static GC_ALWAYS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Run the garbage collector's pass after every controller run, as before it was gated on
/// `gc_relevant` writes; for the differential tests.
pub fn set_gc_always_in_thread(on: bool) {
    GC_ALWAYS.with(|c| c.set(on));
}

/// Whether a write can leave an object with a missing owner or change a deletion the GC
/// drives (foreground/orphan finalizers): deletions and removals, and anything a user (or the
/// harness) writes, who may set any ownerReferences. Controllers, the scheduler, provisioner
/// and kubelet only write objects whose owners exist (their deletions are caught by the first
/// rule). The GC's pass is a full scan; skipping it when nothing relevant changed is exact.
fn gc_relevant(w: &Write) -> bool {
    use crate::store::Verb;
    if matches!(w.resource, "events" | "endpoints" | "endpointslices") {
        return false;
    }
    matches!(w.verb, Verb::Delete | Verb::Removed)
        || matches!(w.actor, Actor::User | Actor::Harness)
}

fn run_controllers(st: &mut State) {
    run_controllers_gc(st, true);
}

/// The controllers; `gc`: writes since the last run may concern the garbage collector.
fn run_controllers_gc(st: &mut State, mut gc: bool) {
    let now = st.now;
    let cfg = st.ccfg;
    gc |= GC_ALWAYS.with(|c| c.get());
    // run_until_idle syncs every StatefulSet until idle (pvc-protection included); the GC runs
    // after it, and if it changed anything the controllers look again.
    let log_start = st.store.log.len();
    for _ in 0..4 {
        let report = crate::controller::run_until_idle(&mut st.store, now, &cfg);
        if let Some(after) = report.requeue_after {
            schedule_controllers(st, now + after.max(1));
        }
        retry_failed_syncs(st, &report.failed);
        gc |= st
            .store
            .log
            .get(log_start..)
            .unwrap_or_default()
            .iter()
            .any(gc_relevant);
        let before = st.store.resource_version;
        if gc {
            let _ = crate::gc::pass(&mut st.store, now);
        }
        let _ = crate::pvc_protection::reconcile(&mut st.store, now, &cfg);
        if st.store.resource_version == before {
            break;
        }
    }
}

/// Shortest and longest retry delay of a failing StatefulSet (client-go
/// `workqueue.DefaultTypedControllerRateLimiter`: per-item exponential 5 ms .. 1000 s).
const RETRY_BASE_MS: SimTime = 5;
const RETRY_MAX_MS: SimTime = 1_000 * SECOND;

/// The controller's `queue.AddRateLimited(key)` after a failed sync, `queue.Forget(key)` after a
/// good one (`pkg/controller/statefulset/stateful_set.go` `processNextWorkItem`): the n-th failure
/// in a row is retried after 5 ms * 2^(n-1), capped at 1000 s. Failures are counted once per
/// instant (the playground resyncs every set several times at one instant; upstream syncs the
/// key once). The overall 10 qps bucket of the default limiter is not modelled.
fn retry_failed_syncs(st: &mut State, failed: &[Key]) {
    let now = st.now;
    st.rt.sync_failures.retain(|k, _| failed.contains(k));
    for k in failed {
        let e = st.rt.sync_failures.entry(k.clone()).or_insert((0, now));
        if e.0 == 0 || e.1 != now {
            *e = (e.0.saturating_add(1), now);
        }
        let n = e.0;
        let delay = if n > 20 {
            RETRY_MAX_MS
        } else {
            (RETRY_BASE_MS << (n - 1)).min(RETRY_MAX_MS)
        };
        schedule_controllers(st, now + delay);
    }
}

fn schedule_controllers(st: &mut State, at: SimTime) {
    if st.rt.controllers_at.is_some_and(|t| t <= at && t > st.now) {
        return;
    }
    st.rt.controllers_at = Some(at);
    st.queue.push(at, Action::Controllers);
}

/// Plan the runtime's next actions from a batch of writes.
fn plan(st: &mut State, writes: &[Write]) {
    let mut pods: BTreeSet<Key> = BTreeSet::new();
    let mut claims: BTreeSet<Key> = BTreeSet::new();
    let mut removed_claims: Vec<Key> = Vec::new();
    let mut node_changed = false;
    for w in writes {
        // Most writes of a batch are Events: keys are only made for the kinds planned here.
        match w.resource {
            "pods" => {
                pods.insert(key(&w.namespace, &w.name));
            }
            "persistentvolumeclaims" => {
                let k = key(&w.namespace, &w.name);
                if w.verb == crate::store::Verb::Removed {
                    removed_claims.push(k.clone());
                }
                claims.insert(k);
            }
            "nodes" => node_changed = true,
            "persistentvolumes" if w.verb == crate::store::Verb::Removed => node_changed = true,
            _ => {}
        }
    }
    for k in &claims {
        volumes::plan_claim(st, k);
    }
    for k in &removed_claims {
        volumes::claim_removed(st, k);
    }
    for k in &pods {
        plan_pod(st, k);
    }
    if node_changed {
        retry_unschedulable(st);
    }
}

fn plan_pod(st: &mut State, k: &Key) {
    let Some(pod) = st.store.get::<Pod>(&k.0, &k.1) else {
        // Gone: forget its runtime state (keep logs of the last instance for `kubectl logs -p`?
        // no: logs go with the pod).
        let gone: Vec<String> = st.rt.uids_by_name.remove(k).unwrap_or_default();
        for u in gone {
            st.rt.pods.remove(&u);
            st.rt.logs.retain(|(pu, _), _| *pu != u);
        }
        st.rt.unschedulable.remove(k);
        return;
    };
    let uid = pod.metadata.uid.clone().unwrap_or_default();
    let node = pod.spec.as_ref().and_then(|s| s.node_name.clone());
    let terminating = pod.metadata.deletion_timestamp.is_some();
    // A stale runtime entry for an earlier pod with the same name (only possible when this
    // uid is new to the runtime).
    let known = st.rt.pods.contains_key(&uid);
    let stale: Vec<String> = if known {
        Vec::new()
    } else {
        match st.rt.uids_by_name.get_mut(k) {
            Some(uids) => {
                let (keep, stale): (Vec<String>, Vec<String>) =
                    std::mem::take(uids).into_iter().partition(|u| *u == uid);
                *uids = keep;
                stale
            }
            None => Vec::new(),
        }
    };
    for u in stale {
        st.rt.pods.remove(&u);
        st.rt.logs.retain(|(pu, _), _| *pu != u);
    }
    // kind's own pods run outside the runtime (`system`): an update (a label, an annotation)
    // does not make the kubelet start them again; a deletion goes through the kubelet's kill.
    if !terminating && !known && crate::system::is_system_pod(pod) {
        return;
    }
    match node {
        None => {
            if terminating {
                st.store.remove::<Pod>(Actor::Harness, &k.0, &k.1);
            } else {
                scheduler::enqueue(st, k);
            }
        }
        Some(node) => {
            if !st.rt.pods.contains_key(&uid) {
                kubelet::admit(st, &uid, k, &node);
            }
            if terminating {
                kubelet::start_kill(st, &uid);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A StatefulSet as `kubectl apply` sends it: the manifest plus its last-applied annotation.
    fn applied_set(spec_extra: serde_json::Value, labels: serde_json::Value) -> AnyObject {
        let mut v = serde_json::json!({
            "apiVersion": "apps/v1", "kind": "StatefulSet",
            "metadata": {"name": "web", "namespace": "default", "labels": labels},
            "spec": {"serviceName": "web", "replicas": 1,
                "selector": {"matchLabels": {"app": "web"}},
                "template": {"metadata": {"labels": {"app": "web"}},
                    "spec": {"containers": [{"name": "nginx", "image": "nginx:1.26.0"}]}}}
        });
        for (k, x) in spec_extra.as_object().unwrap() {
            v["spec"][k] = x.clone();
        }
        let last = v.to_string();
        v["metadata"]["annotations"] = serde_json::json!({ LAST_APPLIED: last });
        AnyObject::StatefulSet(Box::new(serde_json::from_value(v).unwrap()))
    }

    fn stored_set(c: &Cluster) -> k8s_openapi::api::apps::v1::StatefulSet {
        c.store()
            .get::<k8s_openapi::api::apps::v1::StatefulSet>("default", "web")
            .unwrap()
            .clone()
    }

    #[test]
    fn apply_three_way_removes_fields_dropped_from_the_manifest_and_keeps_others() {
        let mut c = Cluster::default();
        let with_partition = serde_json::json!({
            "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 2}},
            "minReadySeconds": 5
        });
        c.apply(Command::Apply(applied_set(
            with_partition,
            serde_json::json!({"app": "web", "tier": "db"}),
        )))
        .unwrap();
        let s = stored_set(&c);
        let spec = s.spec.as_ref().unwrap();
        assert_eq!(
            spec.update_strategy
                .as_ref()
                .unwrap()
                .rolling_update
                .as_ref()
                .unwrap()
                .partition,
            Some(2)
        );
        // Someone else labels it (kubectl label): not part of any applied configuration.
        let mut labelled = s.clone();
        labelled
            .metadata
            .labels
            .as_mut()
            .unwrap()
            .insert("owner".into(), "ops".into());
        c.apply(Command::Update(AnyObject::StatefulSet(Box::new(labelled))))
            .unwrap();
        // Re-apply without minReadySeconds, without the partition and without `tier`.
        c.apply(Command::Apply(applied_set(
            serde_json::json!({"updateStrategy": {"type": "RollingUpdate"}}),
            serde_json::json!({"app": "web"}),
        )))
        .unwrap();
        let s = stored_set(&c);
        let spec = s.spec.as_ref().unwrap();
        assert_eq!(spec.min_ready_seconds, None, "removed field is gone");
        let partition = spec
            .update_strategy
            .as_ref()
            .and_then(|u| u.rolling_update.as_ref())
            .and_then(|r| r.partition);
        // Defaulting puts `rollingUpdate: {partition: 0}` back, as the apiserver does.
        assert!(
            partition.unwrap_or(0) == 0,
            "partition removed: {partition:?}"
        );
        let labels = s.metadata.labels.unwrap();
        assert_eq!(labels.get("tier"), None, "label removed from the manifest");
        assert_eq!(labels.get("owner").map(String::as_str), Some("ops"));
        assert_eq!(labels.get("app").map(String::as_str), Some("web"));
        assert_eq!(spec.service_name.as_deref(), Some("web"));
    }

    /// Lists merge by key (strategic merge, `sim::merge`): a container added by someone else
    /// (kubectl patch) survives a re-apply, a container dropped from the manifest goes, and
    /// fields others set inside a kept container (an env var, imagePullPolicy) stay.
    #[test]
    fn apply_merges_containers_by_name_keeping_others_sidecars() {
        let mut c = Cluster::default();
        let two = serde_json::json!({"template": {"metadata": {"labels": {"app": "web"}},
            "spec": {"containers": [{"name": "nginx", "image": "nginx:1.26.0"},
                                    {"name": "log", "image": "busybox"}]}}});
        c.apply(Command::Apply(applied_set(
            two,
            serde_json::json!({"app": "web"}),
        )))
        .unwrap();
        // Someone adds a sidecar and an env var (a PUT of the whole object).
        let mut s = stored_set(&c);
        let pod = s.spec.as_mut().unwrap().template.spec.as_mut().unwrap();
        pod.containers.insert(
            0,
            serde_json::from_value(serde_json::json!({"name": "istio", "image": "proxy"})).unwrap(),
        );
        pod.containers[1].env = Some(vec![
            serde_json::from_value(serde_json::json!({"name": "X", "value": "1"})).unwrap(),
        ]);
        pod.containers[1].image_pull_policy = Some("Always".into());
        c.apply(Command::Update(AnyObject::StatefulSet(Box::new(s))))
            .unwrap();
        // Re-apply with one container (log removed) and a new image.
        let one = serde_json::json!({"template": {"metadata": {"labels": {"app": "web"}},
            "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27.0"}]}}});
        c.apply(Command::Apply(applied_set(
            one,
            serde_json::json!({"app": "web"}),
        )))
        .unwrap();
        let s = stored_set(&c);
        let cs = &s
            .spec
            .as_ref()
            .unwrap()
            .template
            .spec
            .as_ref()
            .unwrap()
            .containers;
        let names: Vec<&str> = cs.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["istio", "nginx"]);
        assert_eq!(cs[1].image.as_deref(), Some("nginx:1.27.0"));
        assert_eq!(cs[1].env.as_ref().unwrap()[0].name, "X");
        assert_eq!(
            cs[1].image_pull_policy.as_deref(),
            Some("Always"),
            "a field others set in a manifest container stays"
        );
    }

    /// Service ports merge on `port` (core/v1 `ServiceSpec.Ports`, `patchMergeKey:"port"`): a
    /// port dropped from the manifest goes, a field others set on a kept port stays, and the
    /// allocated clusterIP stays.
    #[test]
    fn apply_merges_service_ports_by_port() {
        let svc = |ports: serde_json::Value| {
            let mut v = serde_json::json!({"apiVersion": "v1", "kind": "Service",
                "metadata": {"name": "web", "namespace": "default"},
                "spec": {"selector": {"app": "web"}, "ports": ports}});
            let last = v.to_string();
            v["metadata"]["annotations"] = serde_json::json!({ LAST_APPLIED: last });
            AnyObject::Service(Box::new(serde_json::from_value(v).unwrap()))
        };
        let mut c = Cluster::default();
        c.apply(Command::Apply(svc(serde_json::json!([
            {"name": "http", "port": 80}, {"name": "https", "port": 443}
        ]))))
        .unwrap();
        let get = |c: &Cluster| c.store().get::<Service>("default", "web").unwrap().clone();
        let mut s = get(&c);
        let ip = s.spec.as_ref().unwrap().cluster_ip.clone();
        assert!(ip.is_some());
        s.spec.as_mut().unwrap().ports.as_mut().unwrap()[0].target_port =
            Some(k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(8080));
        c.apply(Command::Update(AnyObject::Service(Box::new(s))))
            .unwrap();
        c.apply(Command::Apply(svc(
            serde_json::json!([{"name": "http", "port": 80}]),
        )))
        .unwrap();
        let s = get(&c);
        let spec = s.spec.unwrap();
        let ports = spec.ports.unwrap();
        assert_eq!(ports.len(), 1);
        assert_eq!(ports[0].port, 80);
        assert_eq!(
            ports[0].target_port,
            Some(k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(8080))
        );
        assert_eq!(spec.cluster_ip, ip);
    }

    #[test]
    fn apply_without_last_applied_removes_nothing() {
        let mut c = Cluster::default();
        let mut created = applied_set(
            serde_json::json!({"minReadySeconds": 5}),
            serde_json::json!({"app": "web"}),
        );
        created.metadata_mut().annotations = None; // as `kubectl create` makes it
        c.apply(Command::Create(created)).unwrap();
        c.apply(Command::Apply(applied_set(
            serde_json::json!({}),
            serde_json::json!({"app": "web"}),
        )))
        .unwrap();
        assert_eq!(stored_set(&c).spec.unwrap().min_ready_seconds, Some(5));
    }

    #[test]
    fn kind_names_and_resources() {
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
        assert_eq!(canonical_resource("sts"), Some("statefulsets"));
        assert_eq!(canonical_resource("StatefulSet"), Some("statefulsets"));
        assert_eq!(
            canonical_resource("statefulsets.apps"),
            Some("statefulsets")
        );
        assert_eq!(
            canonical_resource("PersistentVolumeClaim"),
            Some("persistentvolumeclaims")
        );
        assert_eq!(canonical_resource("widgets"), None);
    }

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

    #[test]
    fn history_back_undoes_commands_and_refuses_too_far() {
        let mut c = Cluster::default();
        let before = c.store().clone();
        c.apply(Command::Cordon {
            node: "kind-control-plane".into(),
            on: true,
        })
        .unwrap();
        assert_eq!(c.history_len(), 1);
        assert!(c.back(2).is_err());
        c.back(1).unwrap();
        assert!(c.store() == &before);
        assert_eq!(c.history_len(), 0);
    }

    #[test]
    fn deleting_unknown_things_is_a_typed_error() {
        let mut c = Cluster::default();
        let e = c
            .apply(Command::Delete {
                resource: "pods".into(),
                ns: "default".into(),
                name: "web-1".into(),
                grace_seconds: None,
                propagation: Propagation::Background,
            })
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "Error from server (NotFound): pods \"web-1\" not found"
        );
        assert!(
            c.apply(Command::Fault(Fault::NodeDown("nope".into())))
                .is_err()
        );
        assert!(c.why("pod", "default", "web-0")[0].contains("does not exist"));
    }
}

//! The simulation's state beside the API objects, shared by every part of the cluster: the
//! runtime's per-pod and per-node records (what a kubelet or a node knows that is not in the
//! store), the clock's pending [`Action`]s, and [`State`], everything a history checkpoint
//! copies. The parts of the cluster (`apiserver`, `controller`, `kubelet`, `scheduler`,
//! `volumes`, `endpoints`, …) act on `&mut State`; this module imports none of them: the data
//! the runtime keeps for the kubelet, the volumes and the endpoints controller is defined here
//! and re-exported there.

use std::collections::BTreeMap;

use crate::clock::{Durations, Queue, Rng};
use crate::config::ControllerConfig;
use crate::store::{Key, Store};
use crate::time::SimTime;
use crate::vecmap::{VecMap, VecSet};

/// Something the runtime will do at a given time.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Action {
    /// A controller requeue fires: `by` is the controller that asked (`statefulset-controller`
    /// for minReadySeconds, `replicaset-controller` for minReadySeconds,
    /// `deployment-controller` for a progress check, or a rate-limited retry).
    Controllers { by: &'static str },
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
    pub backoff: VecMap<String, SimTime>,
    /// Image pull back-off per container.
    pub pull_backoff: VecMap<String, SimTime>,
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
    pub images: VecSet<String>,
    /// Image pulls in progress on the node: image → done time (the kubelet serializes pulls).
    pub pulling: VecMap<String, SimTime>,
    pub next_ip: u32,
    pub epoch: u64,
    /// NotReady has been observed by the node lifecycle controller.
    pub unreachable: bool,
}

/// The runtime's state beside the store.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Runtime {
    pub pods: VecMap<String, PodRt>,
    /// The uids in `pods` by pod key (an index of `pods`, kept by `kubelet::admit` and
    /// `plan_pod`, the only places that add or remove entries).
    pub uids_by_name: VecMap<Key, Vec<String>>,
    pub nodes: VecMap<String, NodeRt>,
    pub missing_images: VecSet<String>,
    /// Images `sim fault image-present` made pullable whatever `registry` says.
    pub present_images: VecSet<String>,
    /// De-duplication of queued non-kubelet actions.
    pub inflight: VecSet<String>,
    /// Claims a scheduled-but-unbound pod waits for: claim → pods.
    pub waiting_on_claim: VecMap<Key, VecSet<Key>>,
    /// Pods the scheduler could not place; retried when nodes or volumes change.
    pub unschedulable: VecSet<Key>,
    /// Of those, the pods a filter whose queueing hints include pod events rejected
    /// (InterPodAffinity, NodeResourcesFit): also retried when a pod is deleted, bound or
    /// relabelled.
    pub waiting_on_pods: VecSet<Key>,
    /// The scheduler cache's assumed pods: chosen a node, not bound yet (pod → node).
    pub assumed: VecMap<Key, String>,
    pub files: FileStore,
    /// Container logs: (pod uid, container name) → text.
    pub logs: VecMap<(String, String), String>,
    pub endpoints: Members,
    /// Per service: the resourceVersions of its Endpoints and of its EndpointSlice (with the
    /// slice's name) as the endpoints controller last left them, equal to a rebuild from
    /// `endpoints` (see `endpoints::sync`).
    pub endpoints_written: VecMap<Key, (String, String, String)>,
    /// When the next controller requeue is queued, and who asked for it.
    pub controllers_at: Option<SimTime>,
    pub controllers_by: &'static str,
    /// What the controllers last saw of each pod (see `pod_fingerprint`).
    pub seen_pods: VecMap<Key, u64>,
    /// StatefulSets whose last sync failed: (failures so far, time of the last counted one);
    /// the work queue's per-item rate limiter (see `retry_failed_syncs`).
    pub sync_failures: VecMap<Key, (u32, SimTime)>,
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

/// One kubelet action for a pod.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stage {
    /// First status post after the pod was bound.
    Sync,
    /// Ensure the image of a container.
    Image { init: bool, idx: usize },
    /// A pull finished.
    Pulled {
        init: bool,
        idx: usize,
        took: SimTime,
    },
    /// A pull failed (image missing).
    PullFailed { init: bool, idx: usize },
    /// The kubelet reports the pull back-off.
    PullBackOff { init: bool, idx: usize },
    /// Create and start a container.
    Start { init: bool, idx: usize },
    /// A container exited.
    Exited { init: bool, idx: usize, code: i32 },
    /// The kubelet reports the restart back-off.
    BackOff { init: bool, idx: usize },
    /// Restart after the back-off.
    Restart { init: bool, idx: usize },
    /// A readiness observation for a container.
    Probe { idx: usize },
    /// SIGTERM on deletion.
    Kill,
    /// Containers gone: status, then the pod object is removed.
    KillDone { sigkill: bool },
}

/// Files: per PV (survive the pod) and per pod (the container's own filesystem).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FileStore {
    /// PV name → path relative to the volume root → content.
    pub volumes: BTreeMap<String, BTreeMap<String, String>>,
    /// Pod uid → absolute path → content.
    pub local: BTreeMap<String, BTreeMap<String, String>>,
}

/// Per service: pod name → its entry.
pub type Members = VecMap<Key, VecMap<String, Member>>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub ip: String,
    pub ready: bool,
    pub terminating: bool,
    pub node: Option<String>,
    pub hostname: Option<String>,
    pub uid: String,
}

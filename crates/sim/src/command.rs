//! Every user-visible mutation of the cluster is a [`Command`]: kubectl writes, playground
//! faults, node changes. Commands are data so that history can replay them exactly.

use crate::config::Gate;
use crate::object::AnyObject;
use crate::store::{ApiError, Write};

/// How dependents are handled when an owner is deleted (`kubectl delete --cascade=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Propagation {
    /// `--cascade=background` (kubectl's default): the owner goes now, the garbage collector
    /// deletes the dependents afterwards.
    #[default]
    Background,
    /// `--cascade=foreground`: the owner stays (finalizer `foregroundDeletion`) until the
    /// dependents that block owner deletion are gone.
    Foreground,
    /// `--cascade=orphan`: dependents are kept and their ownerReferences removed.
    Orphan,
}

/// Playground faults (`sim fault ...`). Pod names may be `name` (namespace `default`) or `ns/name`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// The pod's running container (the init container while initializing) exits with code 1;
    /// the kubelet restarts it with the CrashLoopBackOff back-off.
    PodCrash(String),
    /// The pod's readiness check starts failing (Ready=False) until `PodReady`.
    PodUnready(String),
    /// Readiness recovers.
    PodReady(String),
    /// The node stops (kubelet silent): NotReady after the node monitor grace period, pods
    /// evicted after the 300 s unreachable toleration (they stay Terminating while it is down).
    NodeDown(String),
    NodeUp(String),
    /// Pulls of this image fail (ErrImagePull / ImagePullBackOff) until `ImagePresent`.
    ImageMissing(String),
    ImagePresent(String),
}

/// A user-visible mutation.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// `kubectl create`: fails with AlreadyExists if present.
    Create(AnyObject),
    /// `kubectl apply`: create, or update the stored object (spec, labels, annotations).
    Apply(AnyObject),
    /// A whole-object user write (replace / edit / patch result).
    Update(AnyObject),
    /// `kubectl delete`. `resource` is a plural (`pods`, `statefulsets`, `persistentvolumeclaims`,
    /// `persistentvolumes`, `services`, ...); `grace_seconds: Some(0)` with a pod is a force delete.
    Delete {
        resource: String,
        ns: String,
        name: String,
        grace_seconds: Option<i64>,
        propagation: Propagation,
    },
    /// `kubectl scale`: `resource` is `statefulsets`, `deployments` or `replicasets`.
    Scale {
        resource: String,
        ns: String,
        name: String,
        replicas: i32,
    },
    Fault(Fault),
    /// `sim nodes N`: the cluster gets kind's node names for N nodes (1 = control plane only).
    SetNodes(u32),
    /// `kubectl cordon` / `uncordon`.
    Cordon {
        node: String,
        on: bool,
    },
    /// `kubectl drain`: cordon, then evict every pod on the node.
    Drain {
        node: String,
    },
    /// `POST pods/NAME/eviction` (what `kubectl drain` sends for each pod).
    Evict {
        ns: String,
        name: String,
    },
    /// Write a file into a pod's filesystem (what `exec ... echo x > f` does).
    WriteFile {
        ns: String,
        pod: String,
        path: String,
        content: String,
    },
    /// `sim feature-gates NAME=BOOL,...`: kube-apiserver and kube-controller-manager restarted
    /// with these `--feature-gates` (later entries win). Stored objects are kept; every
    /// StatefulSet is synced again, as after a controller-manager restart. Fails (changing
    /// nothing) when the cluster's version does not know a gate.
    SetFeatureGates(Vec<(Gate, bool)>),
    /// `kubectl exec POD [-c C] -- ARGV` (may write files, so it is a command).
    Exec {
        ns: String,
        pod: String,
        container: Option<String>,
        argv: Vec<String>,
        /// `-t`/`--tty`: the command's stdout is a terminal (curl then shows no progress
        /// meter).
        tty: bool,
    },
}

/// What `apply`/`create` did to an object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Created,
    Configured,
    Unchanged,
    Deleted,
    /// Faults, node changes, exec: no object outcome.
    Done,
}

/// The output of `kubectl exec`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ExecOutput {
    pub stdout: String,
    pub stderr: String,
    pub exit_code: i32,
    /// Set when the command is outside the simulated shell subset.
    pub unsupported: Option<String>,
}

/// The result of a command.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    pub outcome: Outcome,
    /// The object as stored after the write (for deletes: as the response shows it).
    pub object: Option<AnyObject>,
    /// Every store write the command caused, including the controllers' reactions.
    pub writes: Vec<Write>,
    /// Human-readable notes (e.g. drained pods).
    pub messages: Vec<String>,
    /// For `Exec`.
    pub exec: Option<ExecOutput>,
}

/// Errors from the simulation facade.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SimError {
    /// The apiserver's answer (NotFound, AlreadyExists, Invalid, ...), printed as kubectl does.
    Api(ApiError),
    /// A node, container or file that does not exist (message ready to print).
    NotFound(String),
    /// A request the simulation does not model.
    Unsupported(String),
    /// `back` further than the recorded history.
    History(String),
    /// A bad argument (message ready to print).
    Invalid(String),
}

impl std::fmt::Display for SimError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SimError::Api(e) => write!(f, "{e}"),
            SimError::NotFound(m)
            | SimError::Unsupported(m)
            | SimError::History(m)
            | SimError::Invalid(m) => {
                write!(f, "{m}")
            }
        }
    }
}

impl std::error::Error for SimError {}

impl From<ApiError> for SimError {
    fn from(e: ApiError) -> Self {
        SimError::Api(e)
    }
}

/// `ns/name` or `name` (namespace `default`).
pub fn split_pod_ref(s: &str) -> (String, String) {
    match s.split_once('/') {
        Some((ns, name)) => (ns.to_string(), name.to_string()),
        None => ("default".to_string(), s.to_string()),
    }
}

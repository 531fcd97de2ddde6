//! The object store: what the apiserver does for us.
//!
//! Typed tables of k8s-openapi objects keyed by (namespace, name), with the apiserver's
//! bookkeeping: uid, resourceVersion, generation (bumped when `spec` changes), creationTimestamp,
//! deletionTimestamp + grace period, finalizers, and a write log so the controller's writes can be
//! traced (the oracle format) and watched (kubectl `-w`).
//!
//! Sources: apiserver `staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go`
//! (graceful deletion, finalizers), `pkg/registry/core/pod/strategy.go` (pods that are not
//! scheduled or already terminal are deleted at once), `pkg/registry/apps/statefulset/strategy.go`
//! (generation bumps on spec change; the status subresource changes only `.status`).

use k8s_openapi::api::apps::v1::{ControllerRevision, Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::core::v1::{
    ConfigMap, Endpoints, Event, Namespace, Node, PersistentVolume, PersistentVolumeClaim, Pod,
    Secret, Service,
};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use k8s_openapi::api::storage::v1::StorageClass;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time as KTime};
use serde::Serialize;

use crate::time::{SimTime, to_k8s_time};

/// (namespace, name); the namespace is empty for cluster-scoped objects.
pub type Key = (String, String);
/// A kind's objects by key. Values are shared (`Arc`): a clone of the store (a history
/// snapshot, an informer's view) shares every object, and a write replaces one entry. A
/// sorted vector rather than a `BTreeMap` (same order and API; issue #17: no B-tree code for
/// the tables' layout, see [`crate::vecmap`]).
pub type Table<T> = crate::vecmap::VecMap<Key, std::sync::Arc<T>>;

/// The API error kinds the simulation can return, rendered by kubectl like the apiserver's Status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// `Error from server (NotFound): pods "x" not found`
    NotFound {
        resource: &'static str,
        name: String,
    },
    /// `Error from server (AlreadyExists): pods "x" already exists`
    AlreadyExists {
        resource: &'static str,
        name: String,
    },
    /// `Error from server (Conflict): ...` / `(Invalid)` / `(Forbidden)`: the text after the reason.
    Invalid {
        message: String,
    },
    Forbidden {
        message: String,
    },
    Conflict {
        message: String,
    },
    BadRequest {
        message: String,
    },
    /// 429, e.g. an eviction a PodDisruptionBudget refuses.
    TooManyRequests {
        message: String,
    },
    /// 500 `Internal error occurred: …` (the message without that prefix).
    Internal {
        message: String,
    },
}

impl ApiError {
    /// The Status's message alone (what `err.Error()` is in client-go).
    pub fn message(&self) -> String {
        match self {
            ApiError::NotFound { resource, name } => format!("{resource} \"{name}\" not found"),
            ApiError::AlreadyExists { resource, name } => {
                format!("{resource} \"{name}\" already exists")
            }
            ApiError::Internal { message } => format!("Internal error occurred: {message}"),
            ApiError::Invalid { message }
            | ApiError::Forbidden { message }
            | ApiError::Conflict { message }
            | ApiError::BadRequest { message }
            | ApiError::TooManyRequests { message } => message.clone(),
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApiError::NotFound { resource, name } => {
                write!(
                    f,
                    "Error from server (NotFound): {resource} \"{name}\" not found"
                )
            }
            ApiError::AlreadyExists { resource, name } => write!(
                f,
                "Error from server (AlreadyExists): {resource} \"{name}\" already exists"
            ),
            ApiError::Invalid { message } => write!(f, "{message}"),
            ApiError::Forbidden { message } => {
                write!(f, "Error from server (Forbidden): {message}")
            }
            ApiError::Conflict { message } => write!(f, "Error from server (Conflict): {message}"),
            ApiError::BadRequest { message } => {
                write!(f, "Error from server (BadRequest): {message}")
            }
            ApiError::TooManyRequests { message } => {
                write!(f, "Error from server (TooManyRequests): {message}")
            }
            ApiError::Internal { message } => {
                write!(
                    f,
                    "Error from server (InternalError): Internal error occurred: {message}"
                )
            }
        }
    }
}

impl std::error::Error for ApiError {}

/// Which component made a write (used by traces, watch output and the "why" explanations).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Actor {
    User,
    StatefulSetController,
    DeploymentController,
    ReplicaSetController,
    DisruptionController,
    GarbageCollector,
    PvcProtection,
    Scheduler,
    Provisioner,
    Kubelet,
    Endpoints,
    Harness,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Verb {
    Create,
    Update,
    UpdateStatus,
    Patch,
    Delete,
    /// The object left the store (graceful deletion finished, last finalizer removed).
    Removed,
}

/// One write, as the apiserver saw it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Write {
    pub actor: Actor,
    pub verb: Verb,
    /// Resource plural, e.g. `pods`, `persistentvolumeclaims`, `statefulsets`.
    pub resource: &'static str,
    pub namespace: String,
    pub name: String,
    pub resource_version: u64,
    /// The object as stored after the write (for `Removed`: as it was when it left), only while
    /// `Store::record_objects` is on and only for the kinds the controllers trace.
    #[serde(skip)]
    pub object: Option<Written>,
    /// The object as stored before the write (same conditions as `object`).
    #[serde(skip)]
    pub old: Option<Written>,
    /// The request body of a patch, as the client sent it (adoption/release patches).
    pub patch: Option<String>,
}

/// A copy of a written object of one of the kinds the StatefulSet controller traces and watches.
#[derive(Debug, Clone, PartialEq)]
pub enum Written {
    StatefulSet(std::sync::Arc<StatefulSet>),
    Deployment(std::sync::Arc<Deployment>),
    ReplicaSet(std::sync::Arc<ReplicaSet>),
    Pod(std::sync::Arc<Pod>),
    Pvc(std::sync::Arc<PersistentVolumeClaim>),
    Revision(std::sync::Arc<ControllerRevision>),
}

/// A stored API object type.
pub trait Object:
    'static
    + k8s_openapi::Resource
    + k8s_openapi::Metadata<Ty = ObjectMeta>
    + PartialEq
    + k8sjson::Json
    + std::fmt::Debug
    + Send
    + Sync
{
    /// Lower-case plural, as in `kubectl get <plural>` and the apiserver's paths.
    const PLURAL: &'static str;
    /// Namespaced or cluster-scoped.
    const NAMESPACED: bool = true;
    fn table(store: &Store) -> &Table<Self>;
    fn table_mut(store: &mut Store) -> &mut Table<Self>;
    /// Whether `metadata.generation` is maintained (set to 1 on create, bumped on spec changes).
    const HAS_GENERATION: bool = false;
    /// Whether the spec changed between two versions (drives generation).
    fn spec_changed(_old: &Self, _new: &Self) -> bool {
        false
    }
    /// The stored object, shared, for the write log (for the kinds the controllers trace).
    fn written(_this: &std::sync::Arc<Self>) -> Option<Written> {
        None
    }
    /// What the apiserver does to a new object of this kind on create (beyond metadata).
    fn on_create(&mut self) {}
}

macro_rules! stored {
    ($ty:ty, $field:ident, $plural:expr, $namespaced:expr, written $variant:ident) => {
        impl Object for $ty {
            const PLURAL: &'static str = $plural;
            const NAMESPACED: bool = $namespaced;
            fn table(store: &Store) -> &Table<Self> {
                &store.$field
            }
            fn table_mut(store: &mut Store) -> &mut Table<Self> {
                &mut store.$field
            }
            fn written(this: &std::sync::Arc<Self>) -> Option<Written> {
                Some(Written::$variant(this.clone()))
            }
            fn on_create(&mut self) {
                on_create_hook(self);
            }
        }
    };
    ($ty:ty, $field:ident, $plural:expr, $namespaced:expr) => {
        impl Object for $ty {
            const PLURAL: &'static str = $plural;
            const NAMESPACED: bool = $namespaced;
            fn table(store: &Store) -> &Table<Self> {
                &store.$field
            }
            fn table_mut(store: &mut Store) -> &mut Table<Self> {
                &mut store.$field
            }
        }
    };
    ($ty:ty, $field:ident, $plural:expr, $namespaced:expr, spec $variant:ident) => {
        impl Object for $ty {
            const PLURAL: &'static str = $plural;
            const NAMESPACED: bool = $namespaced;
            const HAS_GENERATION: bool = true;
            fn table(store: &Store) -> &Table<Self> {
                &store.$field
            }
            fn table_mut(store: &mut Store) -> &mut Table<Self> {
                &mut store.$field
            }
            fn spec_changed(old: &Self, new: &Self) -> bool {
                !k8sjson::same(&old.spec, &new.spec)
            }
            fn written(this: &std::sync::Arc<Self>) -> Option<Written> {
                Some(Written::$variant(this.clone()))
            }
        }
    };
}

/// A stored object with its kind erased: what the store's write path reads and changes of
/// any kind (issue #17: create, update and delete are written once, against this and
/// [`KindOps`], instead of once per kind).
pub trait Dyn: std::any::Any + Send + Sync {
    fn meta(&self) -> &ObjectMeta;
    fn meta_mut(&mut self) -> &mut ObjectMeta;
    /// [`Object::on_create`].
    fn on_create_dyn(&mut self);
    /// A copy changed by `f`, shared.
    fn copy_with(&self, f: &mut dyn FnMut(&mut dyn Dyn)) -> std::sync::Arc<dyn Dyn>;
    fn into_any(self: std::sync::Arc<Self>) -> std::sync::Arc<dyn std::any::Any + Send + Sync>;
}

impl<T: Object> Dyn for T {
    fn meta(&self) -> &ObjectMeta {
        self.metadata()
    }
    fn meta_mut(&mut self) -> &mut ObjectMeta {
        self.metadata_mut()
    }
    fn on_create_dyn(&mut self) {
        self.on_create();
    }
    fn copy_with(&self, f: &mut dyn FnMut(&mut dyn Dyn)) -> std::sync::Arc<dyn Dyn> {
        let mut o = k8sjson::copy(self);
        f(&mut o);
        std::sync::Arc::new(o)
    }
    fn into_any(self: std::sync::Arc<Self>) -> std::sync::Arc<dyn std::any::Any + Send + Sync> {
        self
    }
}

/// What the store's write path needs of a kind: its names and its table (issue #17).
trait KindOps {
    fn kind(&self) -> &'static str;
    fn plural(&self) -> &'static str;
    fn namespaced(&self) -> bool;
    fn has_generation(&self) -> bool;
    /// The stored object at `k`, shared.
    fn get(&self, s: &Store, k: &Key) -> Option<std::sync::Arc<dyn Dyn>>;
    /// Store `o` (of this kind) at `k`.
    fn insert(&self, s: &mut Store, k: Key, o: std::sync::Arc<dyn Dyn>);
    fn remove(&self, s: &mut Store, k: &Key) -> Option<std::sync::Arc<dyn Dyn>>;
    /// [`Object::written`].
    fn written(&self, o: &std::sync::Arc<dyn Dyn>) -> Option<Written>;
    /// [`Object::spec_changed`].
    fn spec_changed(&self, old: &dyn Dyn, new: &dyn Dyn) -> bool;
}

/// The [`KindOps`] of `T`.
struct Kind<T>(std::marker::PhantomData<fn() -> T>);

impl<T> Kind<T> {
    fn new() -> Self {
        Kind(std::marker::PhantomData)
    }
}

impl<T: Object> KindOps for Kind<T> {
    fn kind(&self) -> &'static str {
        T::KIND
    }
    fn plural(&self) -> &'static str {
        T::PLURAL
    }
    fn namespaced(&self) -> bool {
        T::NAMESPACED
    }
    fn has_generation(&self) -> bool {
        T::HAS_GENERATION
    }
    fn get(&self, s: &Store, k: &Key) -> Option<std::sync::Arc<dyn Dyn>> {
        T::table(s)
            .get(k)
            .map(|o| o.clone() as std::sync::Arc<dyn Dyn>)
    }
    fn insert(&self, s: &mut Store, k: Key, o: std::sync::Arc<dyn Dyn>) {
        if let Ok(o) = o.into_any().downcast::<T>() {
            table_insert(T::table_mut(s), k, o);
        }
    }
    fn remove(&self, s: &mut Store, k: &Key) -> Option<std::sync::Arc<dyn Dyn>> {
        table_remove(T::table_mut(s), k).map(|o| o as std::sync::Arc<dyn Dyn>)
    }
    fn written(&self, o: &std::sync::Arc<dyn Dyn>) -> Option<Written> {
        o.clone()
            .into_any()
            .downcast::<T>()
            .ok()
            .and_then(|o| T::written(&o))
    }
    fn spec_changed(&self, old: &dyn Dyn, new: &dyn Dyn) -> bool {
        let old: &dyn std::any::Any = old;
        let new: &dyn std::any::Any = new;
        match (old.downcast_ref::<T>(), new.downcast_ref::<T>()) {
            (Some(a), Some(b)) => T::spec_changed(a, b),
            _ => false,
        }
    }
}

/// `table.insert`, out of line: the same code for every kind (the values are `Arc`s), so the
/// optimiser keeps one copy of it instead of one inlined per kind (issue #17).
#[inline(never)]
fn table_insert<T>(
    table: &mut Table<T>,
    k: Key,
    o: std::sync::Arc<T>,
) -> Option<std::sync::Arc<T>> {
    table.insert(k, o)
}

/// `table.remove`, out of line (see [`table_insert`]).
#[inline(never)]
fn table_remove<T>(table: &mut Table<T>, k: &Key) -> Option<std::sync::Arc<T>> {
    table.remove(k)
}

/// What an update found before the write ([`Store::prepare_update`]).
struct Prepared {
    old_meta: ObjectMeta,
    /// The stored object before the write, while objects are recorded.
    old_obj: Option<std::sync::Arc<dyn Dyn>>,
    /// The write removes the object (being deleted, its last finalizer gone).
    removed: bool,
}

/// Per-kind create defaults the apiserver applies (registry strategies and admission).
trait OnCreate {
    fn on_create_defaults(&mut self) {}
}
fn on_create_hook<T: OnCreate>(obj: &mut T) {
    obj.on_create_defaults();
}
impl OnCreate for ControllerRevision {}
impl OnCreate for Pod {
    /// What the apiserver does to a new pod: `SetDefaults_Pod` (`enableServiceLinks`, requests
    /// from limits), the admission plugins `ServiceAccount` (service account `default` and the
    /// `kube-api-access-<5>` projected token volume mounted read-only in every container),
    /// `DefaultTolerationSeconds` (not-ready/unreachable NoExecute for 300 s) and `Priority`
    /// (priority 0, `PreemptLowerPriority`), then `pkg/registry/core/pod/strategy.go`
    /// `PrepareForCreate`: the status a client sends is dropped, the pod starts `Pending` with
    /// its QoS class.
    fn on_create_defaults(&mut self) {
        let uid = self.metadata.uid.clone().unwrap_or_default();
        if let Some(spec) = self.spec.as_mut() {
            pod_admission_defaults(spec, &uid);
        }
        let qos = self.spec.as_ref().map(qos_class).unwrap_or("BestEffort");
        self.status = Some(k8s_openapi::api::core::v1::PodStatus {
            phase: Some("Pending".to_string()),
            qos_class: Some(qos.to_string()),
            ..Default::default()
        });
    }
}

/// Where the ServiceAccount admission plugin mounts the token.
pub const SERVICE_ACCOUNT_MOUNT: &str = "/var/run/secrets/kubernetes.io/serviceaccount";

fn pod_admission_defaults(spec: &mut k8s_openapi::api::core::v1::PodSpec, uid: &str) {
    use k8s_openapi::api::core::v1::{
        ConfigMapProjection, DownwardAPIProjection, DownwardAPIVolumeFile, KeyToPath,
        ObjectFieldSelector, ProjectedVolumeSource, ServiceAccountTokenProjection, Toleration,
        Volume, VolumeMount, VolumeProjection,
    };
    if spec.enable_service_links.is_none() {
        spec.enable_service_links = Some(true);
    }
    for c in spec
        .containers
        .iter_mut()
        .chain(spec.init_containers.iter_mut().flatten())
    {
        if let Some(r) = c.resources.as_mut()
            && let Some(limits) = r.limits.clone()
        {
            let req = r.requests.get_or_insert_with(Default::default);
            for (k, v) in limits {
                req.entry(k).or_insert(v);
            }
        }
    }
    // ServiceAccount admission (plugin/pkg/admission/serviceaccount/admission.go).
    let sa = spec
        .service_account_name
        .clone()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "default".to_string());
    spec.service_account_name = Some(sa.clone());
    spec.service_account = Some(sa);
    let has_mount = spec
        .containers
        .iter()
        .flat_map(|c| c.volume_mounts.iter().flatten())
        .any(|m| m.mount_path == SERVICE_ACCOUNT_MOUNT);
    if spec.automount_service_account_token != Some(false) && !has_mount {
        let name = format!("kube-api-access-{}", random_suffix(uid, 5));
        spec.volumes.get_or_insert_with(Vec::new).push(Volume {
            name: name.clone(),
            projected: Some(ProjectedVolumeSource {
                default_mode: Some(0o644),
                sources: Some(vec![
                    VolumeProjection {
                        service_account_token: Some(ServiceAccountTokenProjection {
                            expiration_seconds: Some(3607),
                            path: "token".into(),
                            audience: None,
                        }),
                        ..Default::default()
                    },
                    VolumeProjection {
                        config_map: Some(ConfigMapProjection {
                            name: "kube-root-ca.crt".into(),
                            items: Some(vec![KeyToPath {
                                key: "ca.crt".into(),
                                path: "ca.crt".into(),
                                mode: None,
                            }]),
                            optional: None,
                        }),
                        ..Default::default()
                    },
                    VolumeProjection {
                        downward_api: Some(DownwardAPIProjection {
                            items: Some(vec![DownwardAPIVolumeFile {
                                path: "namespace".into(),
                                field_ref: Some(ObjectFieldSelector {
                                    api_version: Some("v1".into()),
                                    field_path: "metadata.namespace".into(),
                                }),
                                ..Default::default()
                            }]),
                        }),
                        ..Default::default()
                    },
                ]),
            }),
            ..Default::default()
        });
        for c in spec
            .containers
            .iter_mut()
            .chain(spec.init_containers.iter_mut().flatten())
        {
            c.volume_mounts
                .get_or_insert_with(Vec::new)
                .push(VolumeMount {
                    name: name.clone(),
                    mount_path: SERVICE_ACCOUNT_MOUNT.into(),
                    read_only: Some(true),
                    ..Default::default()
                });
        }
    }
    // DefaultTolerationSeconds admission.
    let tols = spec.tolerations.get_or_insert_with(Vec::new);
    for key in [
        "node.kubernetes.io/not-ready",
        "node.kubernetes.io/unreachable",
    ] {
        let covered = tols.iter().any(|t| {
            (t.key.as_deref() == Some(key)
                || (t.key.is_none() && t.operator.as_deref() == Some("Exists")))
                && t.effect.as_deref().is_none_or(|e| e == "NoExecute")
        });
        if !covered {
            tols.push(Toleration {
                effect: Some("NoExecute".into()),
                key: Some(key.into()),
                operator: Some("Exists".into()),
                toleration_seconds: Some(300),
                value: None,
            });
        }
    }
    // Priority admission: no PriorityClass, so priority 0.
    if spec.priority.is_none() {
        spec.priority = Some(0);
    }
    if spec.preemption_policy.is_none() {
        spec.preemption_policy = Some("PreemptLowerPriority".into());
    }
}

/// `v1qos.GetPodQOS`, reduced to cpu and memory.
pub fn qos_class(spec: &k8s_openapi::api::core::v1::PodSpec) -> &'static str {
    let mut any = false;
    let mut guaranteed = true;
    for c in spec
        .containers
        .iter()
        .chain(spec.init_containers.iter().flatten())
    {
        let r = c.resources.as_ref();
        let req = r.and_then(|r| r.requests.as_ref());
        let lim = r.and_then(|r| r.limits.as_ref());
        for res in ["cpu", "memory"] {
            let q = req.and_then(|m| m.get(res));
            let l = lim.and_then(|m| m.get(res));
            if q.is_some() || l.is_some() {
                any = true;
            }
            if l.is_none() || q.is_some_and(|q| Some(q) != l) {
                guaranteed = false;
            }
        }
    }
    if !any {
        "BestEffort"
    } else if guaranteed {
        "Guaranteed"
    } else {
        "Burstable"
    }
}

/// `utilrand.String(n)`-shaped text, derived from a seed (deterministic).
pub fn random_suffix(seed: &str, n: usize) -> String {
    use crate::names::ALPHABET;
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in seed.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    (0..n)
        .map(|i| {
            let x = (h >> ((i * 11) % 59)) as usize;
            ALPHABET
                .get(x % ALPHABET.len())
                .copied()
                .map(char::from)
                .unwrap_or('x')
        })
        .collect()
}
impl OnCreate for PersistentVolumeClaim {
    /// Admission plugin `StorageObjectInUseProtection` (plugin/pkg/admission/storageobjectinuseprotection)
    /// adds the `kubernetes.io/pvc-protection` finalizer to every new claim; the registry
    /// strategy resets the status to `Pending`.
    fn on_create_defaults(&mut self) {
        let f = self.metadata.finalizers.get_or_insert_with(Vec::new);
        if !f.iter().any(|x| x == PVC_PROTECTION_FINALIZER) {
            f.push(PVC_PROTECTION_FINALIZER.to_string());
        }
        if self
            .status
            .as_ref()
            .and_then(|s| s.phase.as_ref())
            .is_none()
        {
            self.status = Some(k8s_openapi::api::core::v1::PersistentVolumeClaimStatus {
                phase: Some("Pending".to_string()),
                ..Default::default()
            });
        }
    }
}

/// The finalizer the pvc-protection admission plugin puts on every claim.
pub const PVC_PROTECTION_FINALIZER: &str = "kubernetes.io/pvc-protection";

/// The apiserver's validation of a new Pod (`pkg/apis/core/validation` `ValidatePodCreate`),
/// run by [`Store::create`] after the admission defaults: `Err` carries the whole Status message
/// (`Pod "web-0" is invalid: spec.containers[0].image: Required value`). The sim has no pod
/// validation of its own (intake owns the rules); kubectl's `Session` installs intake's.
#[derive(Clone, Copy)]
pub struct PodValidator(pub fn(&Pod) -> Result<(), String>);

impl PartialEq for PodValidator {
    /// Same function (a copied pointer always compares equal; that is all state equality needs).
    fn eq(&self, other: &Self) -> bool {
        std::ptr::fn_addr_eq(self.0, other.0)
    }
}

impl Eq for PodValidator {}

impl std::fmt::Debug for PodValidator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PodValidator(..)")
    }
}

/// The apiserver's validation of a new PersistentVolumeClaim (`pkg/apis/core/validation`
/// `ValidatePersistentVolumeClaim`), run by [`Store::create`] after the admission defaults
/// (DefaultStorageClass): `Err` carries the whole Status message (`PersistentVolumeClaim
/// "www-web-0" is invalid: spec.accessModes: Required value: at least 1 access mode is
/// required`). Users' claims are validated by kubectl's intake before they get here; this
/// catches the claims the StatefulSet controller builds from templates the v1.28 apiserver
/// did not check at create (the v1.34+ one does, kubernetes PR #132212), which then fail with
/// `FailedCreate` events. kubectl's `Session` installs intake's.
#[derive(Clone, Copy)]
pub struct ClaimValidator(pub fn(&PersistentVolumeClaim) -> Result<(), String>);

impl PartialEq for ClaimValidator {
    /// Same function (see [`PodValidator`]'s `eq`).
    fn eq(&self, other: &Self) -> bool {
        std::ptr::fn_addr_eq(self.0, other.0)
    }
}

impl Eq for ClaimValidator {}

impl std::fmt::Debug for ClaimValidator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ClaimValidator(..)")
    }
}

/// A controller's cache that the store carries: emptied or kept as the cache decides by a
/// clone ([`StoreCache::cloned`]), ignored by equality. What the cache must learn of writes it
/// reads from the store's own indexes (`claim_book`), so the store names no controller
/// (issue #18: `controller` → `store`, never back); the StatefulSet controller's `ReplicaMemo`
/// is the one cache.
pub trait StoreCache: std::any::Any {
    /// What a clone of the store carries.
    fn cloned(&self) -> Box<dyn StoreCache>;
}

/// The slot of the store's [`StoreCache`] (empty until a controller first asks for it).
#[derive(Default)]
pub struct ControllerCache(Option<Box<dyn StoreCache>>);

impl ControllerCache {
    /// The cache of type `T`, made when there is none (an empty cache is always correct).
    pub fn get_mut<T: StoreCache + Default>(&mut self) -> &mut T {
        let holds = self
            .0
            .as_deref()
            .is_some_and(|c| (c as &dyn std::any::Any).is::<T>());
        if !holds {
            self.0 = Some(Box::new(T::default()));
        }
        match self
            .0
            .as_deref_mut()
            .and_then(|c| (c as &mut dyn std::any::Any).downcast_mut::<T>())
        {
            Some(t) => t,
            // Not reached (a `T` was just put there); a fresh cache is correct anyway.
            None => Box::leak(Box::default()),
        }
    }

    /// Take the cache of type `T` out of the slot (a fresh one when there is none), for a sync
    /// to own while it runs; [`Self::put`] gives it back. Moves a pointer, not the cache.
    pub fn take<T: StoreCache + Default>(&mut self) -> Box<T> {
        match self.0.take() {
            Some(c) => {
                let any: Box<dyn std::any::Any> = c;
                any.downcast::<T>().unwrap_or_default()
            }
            None => Box::default(),
        }
    }

    /// Put a cache (back) into the slot.
    pub fn put<T: StoreCache>(&mut self, cache: Box<T>) {
        self.0 = Some(cache);
    }

    /// The cache of type `T`, if there is one.
    pub fn get<T: StoreCache>(&self) -> Option<&T> {
        self.0
            .as_deref()
            .and_then(|c| (c as &dyn std::any::Any).downcast_ref::<T>())
    }
}

impl Clone for ControllerCache {
    fn clone(&self) -> Self {
        ControllerCache(self.0.as_ref().map(|c| c.cloned()))
    }
}

impl PartialEq for ControllerCache {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::fmt::Debug for ControllerCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ControllerCache(..)")
    }
}

/// The cluster's objects. Cloning is the snapshot mechanism of last resort; see `history`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Store {
    pub statefulsets: Table<StatefulSet>,
    pub deployments: Table<Deployment>,
    pub replicasets: Table<ReplicaSet>,
    pub controllerrevisions: Table<ControllerRevision>,
    pub pods: Table<Pod>,
    pub pvcs: Table<PersistentVolumeClaim>,
    pub pvs: Table<PersistentVolume>,
    pub storageclasses: Table<StorageClass>,
    pub services: Table<Service>,
    pub endpoints: Table<Endpoints>,
    pub endpointslices: Table<EndpointSlice>,
    pub nodes: Table<Node>,
    pub namespaces: Table<Namespace>,
    pub configmaps: Table<ConfigMap>,
    pub secrets: Table<Secret>,
    pub pdbs: Table<PodDisruptionBudget>,
    pub events: Table<Event>,
    /// Last resourceVersion handed out (one counter for every kind, as etcd's revision).
    pub resource_version: u64,
    /// Last uid counter handed out; uids are deterministic.
    pub uid_counter: u64,
    /// Writes since the log was last drained (only while `record` is on).
    pub log: Vec<Write>,
    pub record: bool,
    /// With `record`: also copy the written objects (before and after) into the log.
    pub record_objects: bool,
    /// The event recorder's aggregation cache (see `events::record`): signature hash -> the
    /// Event it last wrote. A cache like client-go's, not state: ignored by equality.
    pub event_index: EventIndex,
    /// The StatefulSet controller's memo of pods that needed nothing (`controller::ReplicaMemo`,
    /// reached through `controller::replica_memo`). A cache, not state.
    pub controller_memo: ControllerCache,
    /// Which claims were written when, in a way that can change the StatefulSet controller's
    /// decisions (what its memo reads); kept by every claim write. An index, not state.
    pub claim_book: crate::claim_book::ClaimBook,
    /// The keys of the claims being deleted (an index of `pvcs`, kept by every claim write), so
    /// that pvc-protection does not scan every claim after every event.
    pub terminating_claims: crate::vecmap::VecSet<Key>,
    /// Treat every pod as scheduled when deleting it (the oracle harness has no scheduler; the
    /// apiserver deletes an unscheduled pod at once).
    pub pods_always_scheduled: bool,
    /// Pods carry `metadata.generation` (PodObservedGenerationTracking, GA in v1.35, KEP-5067):
    /// 1 at create (`pkg/registry/core/pod/strategy.go` `PrepareForCreate`), bumped by a spec
    /// change (`updatePodGeneration`) and when a graceful deletion starts (apiserver
    /// `rest.BeforeDelete`). Off for the v1.28 model.
    pub pod_generation: bool,
    /// Validation of new Pods (see [`PodValidator`]); `None` accepts every pod.
    pub pod_validator: Option<PodValidator>,
    /// Validation of new claims (see [`ClaimValidator`]); `None` accepts every claim.
    pub claim_validator: Option<ClaimValidator>,
    /// The apiserver's name generator's randomness (`metadata.generateName`, see
    /// `names::generate_name`): seeded by the cluster, part of the state.
    pub name_rng: crate::clock::Rng,
}

stored!(StatefulSet, statefulsets, "statefulsets", true, spec StatefulSet);
// A Deployment's generation also moves with its annotations: they are copied to its
// ReplicaSets (`pkg/registry/apps/deployment/strategy.go` `PrepareForUpdate`).
impl Object for Deployment {
    const PLURAL: &'static str = "deployments";
    const HAS_GENERATION: bool = true;
    fn table(store: &Store) -> &Table<Self> {
        &store.deployments
    }
    fn table_mut(store: &mut Store) -> &mut Table<Self> {
        &mut store.deployments
    }
    fn spec_changed(old: &Self, new: &Self) -> bool {
        !k8sjson::same(&old.spec, &new.spec) || old.metadata.annotations != new.metadata.annotations
    }
    fn written(this: &std::sync::Arc<Self>) -> Option<Written> {
        Some(Written::Deployment(this.clone()))
    }
    /// `pkg/registry/apps/deployment/strategy.go` `PrepareForCreate`: the status starts empty.
    fn on_create(&mut self) {
        self.status = Some(Default::default());
    }
}
impl Object for ReplicaSet {
    const PLURAL: &'static str = "replicasets";
    const HAS_GENERATION: bool = true;
    fn table(store: &Store) -> &Table<Self> {
        &store.replicasets
    }
    fn table_mut(store: &mut Store) -> &mut Table<Self> {
        &mut store.replicasets
    }
    fn spec_changed(old: &Self, new: &Self) -> bool {
        !k8sjson::same(&old.spec, &new.spec)
    }
    fn written(this: &std::sync::Arc<Self>) -> Option<Written> {
        Some(Written::ReplicaSet(this.clone()))
    }
    /// `pkg/registry/apps/replicaset/strategy.go` `PrepareForCreate`: the status starts empty.
    fn on_create(&mut self) {
        self.status = Some(Default::default());
    }
}
stored!(ControllerRevision, controllerrevisions, "controllerrevisions", true, written Revision);
stored!(Pod, pods, "pods", true, written Pod);
stored!(PersistentVolumeClaim, pvcs, "persistentvolumeclaims", true, written Pvc);
stored!(PersistentVolume, pvs, "persistentvolumes", false);
stored!(StorageClass, storageclasses, "storageclasses", false);
stored!(Service, services, "services", true);
stored!(Endpoints, endpoints, "endpoints", true);
stored!(EndpointSlice, endpointslices, "endpointslices", true);
stored!(Node, nodes, "nodes", false);
stored!(Namespace, namespaces, "namespaces", false);
stored!(ConfigMap, configmaps, "configmaps", true);
stored!(Secret, secrets, "secrets", true);
stored!(Event, events, "events", true);
impl Object for PodDisruptionBudget {
    const PLURAL: &'static str = "poddisruptionbudgets";
    const HAS_GENERATION: bool = true;
    fn table(store: &Store) -> &Table<Self> {
        &store.pdbs
    }
    fn table_mut(store: &mut Store) -> &mut Table<Self> {
        &mut store.pdbs
    }
    fn spec_changed(old: &Self, new: &Self) -> bool {
        !k8sjson::same(&old.spec, &new.spec)
    }
    /// `pkg/registry/policy/poddisruptionbudget/strategy.go` `PrepareForCreate`: the status
    /// starts empty (every count 0).
    fn on_create(&mut self) {
        self.status = Some(Default::default());
    }
}

/// Signature hash of an Event -> its key (see `events::record`). Entries are verified on use,
/// so a stale entry (the Event was deleted or replaced) only costs a new Event. The second map
/// is the events.k8s.io recorder's in-memory series state (`events::record_v1`): signature ->
/// (occurrences seen, time of the last one), part of the recording component's memory, not
/// of the API.
#[derive(Default, Clone)]
pub struct EventIndex(
    pub crate::vecmap::VecMap<u64, Key>,
    pub crate::vecmap::VecMap<u64, (i32, SimTime)>,
);

impl PartialEq for EventIndex {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::fmt::Debug for EventIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "EventIndex({} entries)", self.0.len())
    }
}

/// A (namespace, name) key that can be looked up without allocating: `Key` borrows as
/// `dyn KeyRef`, ordered exactly as the tuple of Strings (namespace, then name).
pub trait KeyRef {
    fn parts(&self) -> (&str, &str);
}

impl KeyRef for Key {
    fn parts(&self) -> (&str, &str) {
        (&self.0, &self.1)
    }
}

impl KeyRef for (&str, &str) {
    fn parts(&self) -> (&str, &str) {
        (self.0, self.1)
    }
}

impl<'a> std::borrow::Borrow<dyn KeyRef + 'a> for Key {
    fn borrow(&self) -> &(dyn KeyRef + 'a) {
        self
    }
}

impl PartialEq for dyn KeyRef + '_ {
    fn eq(&self, other: &Self) -> bool {
        self.parts() == other.parts()
    }
}

impl Eq for dyn KeyRef + '_ {}

impl PartialOrd for dyn KeyRef + '_ {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for dyn KeyRef + '_ {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.parts().cmp(&other.parts())
    }
}

/// The key of an object from its metadata.
pub fn key_of<T: Object>(obj: &T) -> Key {
    key_in(T::NAMESPACED, obj.metadata())
}

/// The key of an object of a namespaced (or cluster-scoped) kind from its metadata.
fn key_in(namespaced: bool, m: &ObjectMeta) -> Key {
    let ns = if namespaced {
        m.namespace.clone().unwrap_or_else(|| "default".to_string())
    } else {
        String::new()
    };
    (ns, m.name.clone().unwrap_or_default())
}

pub fn key(ns: &str, name: &str) -> Key {
    (ns.to_string(), name.to_string())
}

impl Store {
    pub fn new() -> Self {
        Self::default()
    }

    /// A deterministic, well-formed UUID (v4 layout) from a counter.
    pub fn next_uid(&mut self) -> String {
        self.uid_counter += 1;
        uid_from_counter(self.uid_counter)
    }

    fn next_rv(&mut self) -> u64 {
        self.resource_version += 1;
        self.resource_version
    }

    #[allow(clippy::too_many_arguments)]
    fn log_full<T: Object>(
        &mut self,
        actor: Actor,
        verb: Verb,
        resource: &'static str,
        k: &Key,
        obj: Option<&std::sync::Arc<T>>,
        old: Option<&std::sync::Arc<T>>,
        patch: Option<String>,
    ) {
        if self.record {
            let (object, old) = if self.record_objects {
                (obj.and_then(T::written), old.and_then(T::written))
            } else {
                (None, None)
            };
            self.push_write(actor, verb, resource, k, (object, old), patch);
        }
    }

    /// One entry of the write log at the current resourceVersion (`written`: the object and
    /// the one it replaced, when objects are recorded).
    fn push_write(
        &mut self,
        actor: Actor,
        verb: Verb,
        resource: &'static str,
        k: &Key,
        (object, old): (Option<Written>, Option<Written>),
        patch: Option<String>,
    ) {
        self.log.push(Write {
            actor,
            verb,
            resource,
            namespace: k.0.clone(),
            name: k.1.clone(),
            resource_version: self.resource_version,
            object,
            old,
            patch,
        });
    }

    /// [`Store::log_full`] for any kind (one copy, issue #17).
    #[allow(clippy::too_many_arguments)]
    fn log_dyn(
        &mut self,
        kind: &dyn KindOps,
        actor: Actor,
        verb: Verb,
        k: &Key,
        obj: Option<&std::sync::Arc<dyn Dyn>>,
        old: Option<&std::sync::Arc<dyn Dyn>>,
        patch: Option<String>,
    ) {
        if self.record {
            let (object, old) = if self.record_objects {
                (
                    obj.and_then(|o| kind.written(o)),
                    old.and_then(|o| kind.written(o)),
                )
            } else {
                (None, None)
            };
            self.push_write(actor, verb, kind.plural(), k, (object, old), patch);
        }
    }

    pub fn get<T: Object>(&self, ns: &str, name: &str) -> Option<&T> {
        let ns = if T::NAMESPACED { ns } else { "" };
        // Borrowed lookup: no key Strings allocated (see `KeyRef`).
        T::table(self)
            .get(&(ns, name) as &dyn KeyRef)
            .map(std::sync::Arc::as_ref)
    }

    /// The stored object itself, shared (no copy).
    pub fn get_shared<T: Object>(&self, ns: &str, name: &str) -> Option<std::sync::Arc<T>> {
        let ns = if T::NAMESPACED { ns } else { "" };
        T::table(self).get(&(ns, name) as &dyn KeyRef).cloned()
    }

    /// Objects of a kind, in key order (namespace, then name); `None` = all namespaces.
    pub fn list<'a, T: Object>(&'a self, ns: Option<&'a str>) -> impl Iterator<Item = &'a T> + 'a {
        T::table(self)
            .iter()
            .filter(move |((n, _), _)| ns.is_none_or(|want| !T::NAMESPACED || n == want))
            .map(|(_, v)| v.as_ref())
    }

    /// The default StorageClass (`GetDefaultClass` in pkg/volume/util/storageclass.go): of the
    /// classes annotated `storageclass.kubernetes.io/is-default-class: "true"` (or the beta
    /// annotation), the newest, then the first by name.
    pub fn default_storage_class(&self) -> Option<String> {
        let is_default = |c: &StorageClass| {
            c.metadata.annotations.as_ref().is_some_and(|a| {
                [
                    "storageclass.kubernetes.io/is-default-class",
                    "storageclass.beta.kubernetes.io/is-default-class",
                ]
                .iter()
                .any(|k| a.get(*k).is_some_and(|v| v == "true"))
            })
        };
        self.storageclasses
            .values()
            .filter(|c| is_default(c))
            .max_by(|a, b| {
                let created =
                    |c: &StorageClass| c.metadata.creation_timestamp.as_ref().map(|t| t.0);
                created(a)
                    .cmp(&created(b))
                    .then_with(|| b.metadata.name.cmp(&a.metadata.name))
            })
            .and_then(|c| c.metadata.name.clone())
    }

    /// Create: fills in uid, resourceVersion, creationTimestamp, generation (1 for kinds with a
    /// spec generation), the namespace; `generateName` is not supported (no kind here needs it).
    pub fn create<T: Object>(&mut self, actor: Actor, obj: T, now: SimTime) -> Result<T, ApiError> {
        self.create_shared(actor, obj, now)
            .map(k8sjson::unwrap_or_copy)
    }

    /// [`Store::create`] returning the stored object itself, shared (no copy).
    pub fn create_shared<T: Object>(
        &mut self,
        actor: Actor,
        mut obj: T,
        now: SimTime,
    ) -> Result<std::sync::Arc<T>, ApiError> {
        let kind = Kind::<T>::new();
        let k = self.prepare_create(&kind, &mut obj, now)?;
        let obj = std::sync::Arc::new(obj);
        self.commit_write(&kind, actor, Verb::Create, k, None, None, obj.clone());
        Ok(obj)
    }

    /// What create does before the object is stored (one copy for every kind, issue #17): the
    /// generated name, the key, the name and conflict checks, the apiserver's metadata, the
    /// admission defaults and the installed validation. `Err`: nothing written.
    #[inline(never)]
    fn prepare_create(
        &mut self,
        kind: &dyn KindOps,
        obj: &mut dyn Dyn,
        now: SimTime,
    ) -> Result<Key, ApiError> {
        self.generate_name(kind, obj);
        let k = key_in(kind.namespaced(), obj.meta());
        if k.1.is_empty() {
            return Err(ApiError::Invalid {
                message: format!(
                    "The {} \"\" is invalid: metadata.name: Required value: name or generateName is required",
                    kind.kind()
                ),
            });
        }
        if kind.get(self, &k).is_some() {
            return Err(ApiError::AlreadyExists {
                resource: kind.plural(),
                name: k.1,
            });
        }
        let counters = (self.uid_counter, self.resource_version);
        let generation = kind.has_generation() || (self.pod_generation && kind.kind() == "Pod");
        self.stamp_create(
            obj.meta_mut(),
            kind.namespaced().then_some(&k.0),
            generation,
            now,
        );
        let any: &mut dyn std::any::Any = &mut *obj;
        self.admit_claim(any);
        obj.on_create_dyn();
        // Validation runs after the admission defaults, as the apiserver's create handler does
        // (mutating admission, `PrepareForCreate`, then `Validate`); a rejected create leaves no
        // trace (uid and resourceVersion counters restored).
        let any: &dyn std::any::Any = &*obj;
        if let Err(message) = self.validate_new(any) {
            (self.uid_counter, self.resource_version) = counters;
            return Err(ApiError::Invalid { message });
        }
        Ok(k)
    }

    /// A write's bookkeeping once the new object is built (one copy for every kind, issue
    /// #17): stored (or removed, for an object being deleted whose last finalizer went, which
    /// is then logged twice: the write and `Removed`), the claim index, the write log.
    #[allow(clippy::too_many_arguments)]
    #[inline(never)]
    fn commit_write(
        &mut self,
        kind: &dyn KindOps,
        actor: Actor,
        verb: Verb,
        k: Key,
        old: Option<Prepared>,
        body: Option<String>,
        obj: std::sync::Arc<dyn Dyn>,
    ) {
        let (old_meta, old_obj, removed) = match old {
            Some(p) => (Some(p.old_meta), p.old_obj, p.removed),
            None => (None, None, false),
        };
        if removed {
            kind.remove(self, &k);
            self.note_claim(kind.plural(), &k, old_meta.as_ref(), None);
            self.log_dyn(kind, actor, verb, &k, Some(&obj), old_obj.as_ref(), body);
            self.log_dyn(kind, actor, Verb::Removed, &k, Some(&obj), None, None);
            return;
        }
        kind.insert(self, k.clone(), obj.clone());
        self.note_claim(kind.plural(), &k, old_meta.as_ref(), Some(obj.meta()));
        self.log_dyn(kind, actor, verb, &k, Some(&obj), old_obj.as_ref(), body);
    }

    /// The metadata the apiserver sets on create (one copy for every kind, issue #17): uid,
    /// resourceVersion, creationTimestamp, the namespace (`None` for a cluster-scoped kind),
    /// no deletion, generation 1 where the kind keeps one.
    #[inline(never)]
    fn stamp_create(
        &mut self,
        m: &mut ObjectMeta,
        namespace: Option<&String>,
        generation: bool,
        now: SimTime,
    ) {
        let uid = self.next_uid();
        let rv = self.next_rv();
        m.namespace = namespace.cloned();
        m.uid = Some(uid);
        m.resource_version = Some(rv.to_string());
        m.creation_timestamp = Some(to_k8s_time(now));
        m.deletion_timestamp = None;
        m.deletion_grace_period_seconds = None;
        if generation {
            m.generation = Some(1);
        }
    }

    /// Admission plugin DefaultStorageClass (on by default, `pkg/kubeapiserver/options/
    /// plugins.go`): a claim created without `storageClassName` (nil, not "") gets the
    /// default class, whoever creates it (a user, or the StatefulSet controller from a
    /// template) (plugin/pkg/admission/storage/storageclass/setdefault/admission.go).
    #[inline(never)]
    fn admit_claim(&self, obj: &mut dyn std::any::Any) {
        if let Some(pvc) = obj.downcast_mut::<PersistentVolumeClaim>() {
            let spec = pvc.spec.get_or_insert_with(Default::default);
            if spec.storage_class_name.is_none() {
                spec.storage_class_name = self.default_storage_class();
            }
        }
    }

    /// The installed validation of a new Pod or claim (`Err`: the Status message).
    #[inline(never)]
    fn validate_new(&self, obj: &dyn std::any::Any) -> Result<(), String> {
        if let Some(PodValidator(validate)) = self.pod_validator
            && let Some(pod) = obj.downcast_ref::<Pod>()
        {
            validate(pod)?;
        }
        if let Some(ClaimValidator(validate)) = self.claim_validator
            && let Some(claim) = obj.downcast_ref::<PersistentVolumeClaim>()
        {
            validate(claim)?;
        }
        Ok(())
    }

    /// `metadata.generateName` without a name: the registry's `BeforeCreate` names the object
    /// with `names.SimpleNameGenerator`; a generated name that is taken is generated again
    /// (the apiserver retries a create whose generated name collides, KEP-4420), a few times.
    fn generate_name(&mut self, kind: &dyn KindOps, obj: &mut dyn Dyn) {
        let m = obj.meta();
        if m.name.as_deref().is_some_and(|n| !n.is_empty()) {
            return;
        }
        let Some(base) = m.generate_name.clone().filter(|b| !b.is_empty()) else {
            return;
        };
        let ns = if kind.namespaced() {
            m.namespace.clone().unwrap_or_else(|| "default".to_string())
        } else {
            String::new()
        };
        let mut name = String::new();
        for _ in 0..8 {
            name = crate::names::generate_name(&base, &mut self.name_rng);
            if kind.get(self, &(ns.clone(), name.clone())).is_none() {
                break;
            }
        }
        obj.meta_mut().name = Some(name);
    }

    /// Update the whole object (spec and metadata; status is kept as stored unless the kind has
    /// no status subresource). Bumps generation when the spec changed.
    pub fn update<T: Object>(&mut self, actor: Actor, obj: T) -> Result<T, ApiError> {
        self.update_inner(actor, obj, Verb::Update, None)
            .map(k8sjson::unwrap_or_copy)
    }

    /// [`Store::update`] returning the stored object itself, shared (no copy).
    pub fn update_shared<T: Object>(
        &mut self,
        actor: Actor,
        obj: T,
    ) -> Result<std::sync::Arc<T>, ApiError> {
        self.update_inner(actor, obj, Verb::Update, None)
    }

    /// A patch: stored and logged like an update, logged with the `Patch` verb.
    pub fn patch<T: Object>(&mut self, actor: Actor, obj: T) -> Result<T, ApiError> {
        self.update_inner(actor, obj, Verb::Patch, None)
            .map(k8sjson::unwrap_or_copy)
    }

    /// A patch whose request body is known (logged with the write, for traces): the caller
    /// passes the object as the patch leaves it.
    pub fn patch_with_body<T: Object>(
        &mut self,
        actor: Actor,
        obj: T,
        body: String,
    ) -> Result<T, ApiError> {
        self.update_inner(actor, obj, Verb::Patch, Some(body))
            .map(k8sjson::unwrap_or_copy)
    }

    fn update_inner<T: Object>(
        &mut self,
        actor: Actor,
        mut obj: T,
        verb: Verb,
        body: Option<String>,
    ) -> Result<std::sync::Arc<T>, ApiError> {
        let kind = Kind::<T>::new();
        let (k, prepared) = self.prepare_update(&kind, actor, &mut obj)?;
        let obj = std::sync::Arc::new(obj);
        self.commit_write(&kind, actor, verb, k, Some(prepared), body, obj.clone());
        Ok(obj)
    }

    /// Update the stored object at `ns`/`name` as `actor`'s PUT of a copy changed by `f`,
    /// when `f` says it changed something (nothing when there is no such object).
    pub fn update_with<T: Object>(
        &mut self,
        actor: Actor,
        ns: &str,
        name: &str,
        f: &mut dyn FnMut(&mut ObjectMeta) -> bool,
    ) -> Result<(), ApiError> {
        self.update_copy(&Kind::<T>::new(), actor, Verb::Update, ns, name, f)
            .map(drop)
    }

    /// [`Store::update_with`] logged with `verb` (`Update` or `Patch`, as [`Store::update`]
    /// and [`Store::patch`] of the changed copy); `Ok(true)` when it wrote (`false`: no such
    /// object, or `f` said it changed nothing).
    pub fn write_with<T: Object>(
        &mut self,
        actor: Actor,
        verb: Verb,
        ns: &str,
        name: &str,
        f: &mut dyn FnMut(&mut ObjectMeta) -> bool,
    ) -> Result<bool, ApiError> {
        self.update_copy(&Kind::<T>::new(), actor, verb, ns, name, f)
    }

    /// [`Store::update_with`] for any kind (one copy, issue #17).
    #[inline(never)]
    fn update_copy(
        &mut self,
        kind: &dyn KindOps,
        actor: Actor,
        verb: Verb,
        ns: &str,
        name: &str,
        f: &mut dyn FnMut(&mut ObjectMeta) -> bool,
    ) -> Result<bool, ApiError> {
        let ns = if kind.namespaced() { ns } else { "" };
        let Some(stored) = kind.get(self, &key(ns, name)) else {
            return Ok(false);
        };
        let mut prepared = Ok(None);
        let obj = stored.copy_with(&mut |o| {
            if f(o.meta_mut()) {
                prepared = self.prepare_update(kind, actor, o).map(Some);
            }
        });
        drop(stored);
        let Some((k, p)) = prepared? else {
            return Ok(false);
        };
        self.commit_write(kind, actor, verb, k, Some(p), None, obj);
        Ok(true)
    }

    /// What an update does before the new object is stored (one copy for every kind, issue
    /// #17): the stored object, whether the spec changed (generation), the new
    /// resourceVersion and the metadata the apiserver keeps.
    #[inline(never)]
    fn prepare_update(
        &mut self,
        kind: &dyn KindOps,
        actor: Actor,
        obj: &mut dyn Dyn,
    ) -> Result<(Key, Prepared), ApiError> {
        let k = key_in(kind.namespaced(), obj.meta());
        let Some(old) = kind.get(self, &k) else {
            return Err(ApiError::NotFound {
                resource: kind.plural(),
                name: k.1,
            });
        };
        let old_meta = k8sjson::copy(old.meta());
        // A pod's spec changed by a client's update goes through the pod strategy
        // (`updatePodGeneration`); the binding subresource (the scheduler setting nodeName)
        // writes storage directly and bumps nothing.
        let bump = kind.spec_changed(&*old, &*obj)
            || (self.pod_generation && actor == Actor::User && pod_spec_changed(&*old, &*obj));
        let old_obj = (self.record && self.record_objects).then_some(old);
        let rv = self.next_rv();
        let finalizers_empty = stamp_update(obj.meta_mut(), &old_meta, rv, bump);
        // An object being deleted goes once its last finalizer is removed (pods: once the
        // kubelet is done, see `remove`, or here when the kubelet's or a forced delete already
        // set the grace period to 0: apiserver `rest.ShouldDeleteDuringUpdate`,
        // staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go).
        let removed = old_meta.deletion_timestamp.is_some()
            && finalizers_empty
            && (kind.kind() != "Pod" || old_meta.deletion_grace_period_seconds == Some(0));
        Ok((
            k,
            Prepared {
                old_meta,
                old_obj,
                removed,
            },
        ))
    }

    /// Write only `.status` (the status subresource): the caller passes the whole object, the
    /// store keeps its stored spec and metadata.
    pub fn update_status<T: Object>(
        &mut self,
        actor: Actor,
        obj: T,
        merge: impl FnOnce(&mut T, T),
    ) -> Result<T, ApiError> {
        self.update_status_shared(actor, obj, merge)
            .map(k8sjson::unwrap_or_copy)
    }

    /// [`Store::update_status`] returning the stored object itself, shared: the stored copy is
    /// written in place when nothing else shares it (copy on write), so a status write copies
    /// the object at most once.
    pub fn update_status_shared<T: Object>(
        &mut self,
        actor: Actor,
        obj: T,
        merge: impl FnOnce(&mut T, T),
    ) -> Result<std::sync::Arc<T>, ApiError> {
        let k = key_of(&obj);
        self.write_status_at(actor, k, |stored| merge(stored, obj))
    }

    /// A status write to the object at `ns`/`name`: `f` changes the stored object's status in
    /// place (copy on write), without the caller copying the whole object first.
    pub fn write_status<T: Object>(
        &mut self,
        actor: Actor,
        ns: &str,
        name: &str,
        f: impl FnOnce(&mut T),
    ) -> Result<std::sync::Arc<T>, ApiError> {
        let ns = if T::NAMESPACED { ns } else { "" };
        self.write_status_at(actor, key(ns, name), f)
    }

    /// An update (PUT) that changes the stored object in place with `f` (copy on write)
    /// instead of the caller building the whole new object: the same write, resourceVersion
    /// and log entry as [`Store::update`] for a kind without generation, for an object that is
    /// not being deleted (`Err(Conflict)` for one that is: use `update`). `f` must not touch
    /// the metadata the apiserver owns (uid, creation, deletion, namespace, name).
    pub fn update_in_place<T: Object>(
        &mut self,
        actor: Actor,
        ns: &str,
        name: &str,
        f: impl FnOnce(&mut T),
    ) -> Result<std::sync::Arc<T>, ApiError> {
        let ns = if T::NAMESPACED { ns } else { "" };
        let k = key(ns, name);
        let Some(entry) = T::table(self).get(&k) else {
            return Err(ApiError::NotFound {
                resource: T::PLURAL,
                name: k.1,
            });
        };
        if T::HAS_GENERATION || entry.metadata().deletion_timestamp.is_some() {
            return Err(ApiError::Conflict {
                message: format!("{} {name} cannot be updated in place", T::KIND),
            });
        }
        self.write_in_place_at(actor, Verb::Update, k, f)
    }

    fn write_status_at<T: Object>(
        &mut self,
        actor: Actor,
        k: Key,
        f: impl FnOnce(&mut T),
    ) -> Result<std::sync::Arc<T>, ApiError> {
        self.write_in_place_at(actor, Verb::UpdateStatus, k, f)
    }

    /// A write that changes the stored object at `k` in place with `f` (copy on write): a new
    /// resourceVersion, the claim bookkeeping, and one log entry with `verb`.
    fn write_in_place_at<T: Object>(
        &mut self,
        actor: Actor,
        verb: Verb,
        k: Key,
        f: impl FnOnce(&mut T),
    ) -> Result<std::sync::Arc<T>, ApiError> {
        if !T::table(self).contains_key(&k) {
            return Err(ApiError::NotFound {
                resource: T::PLURAL,
                name: k.1,
            });
        }
        let rv = self.next_rv();
        let record_old = self.record && self.record_objects;
        let Some(entry) = T::table_mut(self).get_mut(&k) else {
            return Err(ApiError::NotFound {
                resource: T::PLURAL,
                name: k.1,
            });
        };
        let old_obj = record_old.then(|| entry.clone());
        let old_meta =
            (T::PLURAL == "persistentvolumeclaims").then(|| k8sjson::copy(entry.metadata()));
        let next = k8sjson::make_mut(entry);
        f(next);
        next.metadata_mut().resource_version = Some(rv.to_string());
        let next = entry.clone();
        if let Some(old_meta) = old_meta {
            self.note_claim_write::<T>(&k, Some(&old_meta), Some(next.metadata()));
        }
        self.log_full(
            actor,
            verb,
            T::PLURAL,
            &k,
            Some(&next),
            old_obj.as_ref(),
            None,
        );
        Ok(next)
    }

    /// DELETE: objects with finalizers, and pods with a grace period, get a deletionTimestamp
    /// and stay; others leave the store at once. Returns the object as the response shows it.
    pub fn delete<T: Object>(
        &mut self,
        actor: Actor,
        ns: &str,
        name: &str,
        grace_seconds: Option<i64>,
        now: SimTime,
    ) -> Result<T, ApiError> {
        let o = self.delete_dyn(&Kind::<T>::new(), actor, ns, name, grace_seconds, now)?;
        match o.into_any().downcast::<T>() {
            Ok(o) => Ok(k8sjson::unwrap_or_copy(o)),
            Err(_) => Err(ApiError::NotFound {
                resource: T::PLURAL,
                name: name.to_string(),
            }),
        }
    }

    /// [`Store::delete`] for any kind (one copy, issue #17).
    #[inline(never)]
    fn delete_dyn(
        &mut self,
        kind: &dyn KindOps,
        actor: Actor,
        ns: &str,
        name: &str,
        grace_seconds: Option<i64>,
        now: SimTime,
    ) -> Result<std::sync::Arc<dyn Dyn>, ApiError> {
        let ns = if kind.namespaced() { ns } else { "" };
        let k = key(ns, name);
        let Some(shared) = kind.get(self, &k) else {
            return Err(ApiError::NotFound {
                resource: kind.plural(),
                name: name.to_string(),
            });
        };
        let meta = shared.meta();
        let has_finalizers = meta.finalizers.as_ref().is_some_and(|f| !f.is_empty());
        let grace = grace_seconds.unwrap_or(0).max(0);
        let is_pod = kind.kind() == "Pod";
        if meta.deletion_timestamp.is_some() {
            // Already terminating: a second DELETE may only shorten the grace period.
            if is_pod && grace_seconds == Some(0) && !has_finalizers {
                kind.remove(self, &k);
                self.note_claim(kind.plural(), &k, Some(shared.meta()), None);
                self.next_rv();
                self.log_dyn(kind, actor, Verb::Removed, &k, Some(&shared), None, None);
            } else if is_pod
                && grace_seconds == Some(0)
                && meta.deletion_grace_period_seconds != Some(0)
            {
                // apiserver `rest.BeforeDelete` (staging/src/k8s.io/apiserver/pkg/registry/
                // rest/delete.go): a shorter grace period is recorded; a finalizer keeps the
                // object until it is removed (then `ShouldDeleteDuringUpdate` deletes it).
                let rv = self.next_rv();
                let obj = shared.copy_with(&mut |o| {
                    let m = o.meta_mut();
                    m.deletion_grace_period_seconds = Some(0);
                    m.resource_version = Some(rv.to_string());
                });
                kind.insert(self, k.clone(), obj.clone());
                self.log_dyn(
                    kind,
                    actor,
                    Verb::Update,
                    &k,
                    Some(&obj),
                    Some(&shared),
                    None,
                );
                return Ok(obj);
            }
            return Ok(shared);
        }
        let old_obj = (self.record && self.record_objects).then(|| shared.clone());
        if has_finalizers || grace > 0 {
            let rv = self.next_rv();
            let obj = shared.copy_with(&mut |o| stamp_delete(o.meta_mut(), now, grace, rv, is_pod));
            kind.insert(self, k.clone(), obj.clone());
            self.note_claim(kind.plural(), &k, None, Some(obj.meta()));
            self.log_dyn(
                kind,
                actor,
                Verb::Delete,
                &k,
                Some(&obj),
                old_obj.as_ref(),
                None,
            );
            drop(shared);
            Ok(obj)
        } else {
            kind.remove(self, &k);
            self.note_claim(kind.plural(), &k, Some(shared.meta()), None);
            self.next_rv();
            self.log_dyn(
                kind,
                actor,
                Verb::Delete,
                &k,
                Some(&shared),
                old_obj.as_ref(),
                None,
            );
            self.log_dyn(kind, actor, Verb::Removed, &k, Some(&shared), None, None);
            drop(old_obj);
            Ok(shared)
        }
    }

    /// The pods of a namespace with their keys, in key order, borrowed (an informer's view: the
    /// stored objects themselves; no copies, no reference counts touched).
    pub fn pod_range<'a>(
        &'a self,
        ns: &str,
    ) -> impl Iterator<Item = (&'a Key, &'a std::sync::Arc<Pod>)> + Clone + 'a {
        ns_range(&self.pods, ns)
    }

    /// The ControllerRevisions of a namespace that pass `keep`, as shared copies: a revision's
    /// data (a whole pod template) is not copied per sync.
    pub fn revision_snapshot(
        &self,
        ns: &str,
        keep: impl Fn(&ControllerRevision) -> bool,
    ) -> Vec<std::sync::Arc<ControllerRevision>> {
        snapshot(&self.controllerrevisions, ns, keep)
    }

    /// DELETE of a pod with the apiserver's pod rules (`pkg/registry/core/pod/strategy.go`
    /// `CheckGracefulDelete`): without an explicit grace period the pod's
    /// `terminationGracePeriodSeconds` (default 30) applies; a pod that is not scheduled
    /// (no `nodeName`, unless `pods_always_scheduled`) or already terminal (Failed/Succeeded)
    /// is deleted at once.
    pub fn delete_pod(
        &mut self,
        actor: Actor,
        ns: &str,
        name: &str,
        grace_seconds: Option<i64>,
        now: SimTime,
    ) -> Result<Pod, ApiError> {
        let grace = match self.get::<Pod>(ns, name) {
            None => {
                return Err(ApiError::NotFound {
                    resource: "pods",
                    name: name.to_string(),
                });
            }
            Some(p) => pod_delete_grace(p, grace_seconds, self.pods_always_scheduled),
        };
        self.delete::<Pod>(actor, ns, name, Some(grace), now)
    }

    /// Remove an object outright (a pod whose kubelet finished termination, a force delete).
    pub fn remove<T: Object>(&mut self, actor: Actor, ns: &str, name: &str) -> Option<T> {
        let ns = if T::NAMESPACED { ns } else { "" };
        let k = key(ns, name);
        let obj = T::table_mut(self).remove(&k)?;
        self.note_claim_write::<T>(&k, Some(obj.metadata()), None);
        self.next_rv();
        self.log_full(actor, Verb::Removed, T::PLURAL, &k, Some(&obj), None, None);
        Some(k8sjson::unwrap_or_copy(obj))
    }

    /// Note in `claim_book` a claim write that can change what the controller
    /// decides about a pod: a claim appeared or left, or its ownerReferences or
    /// deletionTimestamp changed (`old`/`new`: the metadata before and after, `None` = absent).
    fn note_claim_write<T: Object>(
        &mut self,
        k: &Key,
        old: Option<&ObjectMeta>,
        new: Option<&ObjectMeta>,
    ) {
        if T::PLURAL == "persistentvolumeclaims" {
            self.note_claim(T::PLURAL, k, old, new);
        }
    }

    /// [`Store::note_claim_write`] for a kind named by its plural (one copy, issue #17).
    #[inline(never)]
    fn note_claim(
        &mut self,
        plural: &str,
        k: &Key,
        old: Option<&ObjectMeta>,
        new: Option<&ObjectMeta>,
    ) {
        if plural != "persistentvolumeclaims" {
            return;
        }
        if new.is_some_and(|n| n.deletion_timestamp.is_some()) {
            self.terminating_claims.insert(k.clone());
        } else {
            self.terminating_claims.remove(k);
        }
        let changed = match (old, new) {
            (Some(o), Some(n)) => {
                o.owner_references != n.owner_references
                    || o.deletion_timestamp != n.deletion_timestamp
                    || o.uid != n.uid
            }
            _ => true,
        };
        if changed {
            self.claim_book.changed(&k.0, &k.1);
        }
    }

    /// Take the write log (when recording).
    pub fn drain_log(&mut self) -> Vec<Write> {
        std::mem::take(&mut self.log)
    }
}

/// The metadata of a graceful deletion (one copy for every kind, issue #17): the deletion
/// timestamp and grace period, the new resourceVersion; `rest.BeforeDelete` bumps a non-zero
/// generation so that observers see it (modelled for pods, whose generation is tracked since
/// v1.35).
#[inline(never)]
fn stamp_delete(m: &mut ObjectMeta, now: SimTime, grace: i64, rv: u64, is_pod: bool) {
    m.deletion_timestamp = Some(to_k8s_time(now + (grace as u64) * 1000));
    m.deletion_grace_period_seconds = Some(grace);
    m.resource_version = Some(rv.to_string());
    if is_pod && let Some(g) = m.generation.filter(|g| *g > 0) {
        m.generation = Some(g + 1);
    }
}

/// The metadata an update keeps from the stored object (uid, creation, deletion, namespace),
/// the new resourceVersion and generation (one copy for every kind, issue #17). Returns
/// whether the new object has no finalizers.
#[inline(never)]
fn stamp_update(m: &mut ObjectMeta, old: &ObjectMeta, rv: u64, bump: bool) -> bool {
    m.uid = old.uid.clone();
    m.creation_timestamp = old.creation_timestamp.clone();
    m.deletion_timestamp = old.deletion_timestamp.clone();
    m.deletion_grace_period_seconds = old.deletion_grace_period_seconds;
    m.namespace = old.namespace.clone();
    m.resource_version = Some(rv.to_string());
    m.generation = match (old.generation, bump) {
        (Some(g), true) => Some(g + 1),
        (g, _) => g,
    };
    m.finalizers.as_ref().is_none_or(|f| f.is_empty())
}

/// Whether `new` changes a Pod's spec (`updatePodGeneration`); false for other kinds.
fn pod_spec_changed(old: &dyn Dyn, new: &dyn Dyn) -> bool {
    let old: &dyn std::any::Any = old;
    let new: &dyn std::any::Any = new;
    match (old.downcast_ref::<Pod>(), new.downcast_ref::<Pod>()) {
        (Some(a), Some(b)) => !k8sjson::same(&a.spec, &b.spec),
        _ => false,
    }
}

/// The objects of namespace `ns` in `table` that pass `keep`, shared.
fn snapshot<T>(table: &Table<T>, ns: &str, keep: impl Fn(&T) -> bool) -> Vec<std::sync::Arc<T>> {
    ns_range(table, ns)
        .filter(|(_, o)| keep(o))
        .map(|(_, o)| o.clone())
        .collect()
}

/// The entries of namespace `ns` in `table`, in key order. Keys sort by namespace first, so
/// (ns, "") up to (ns + "\0", "") are exactly this namespace's keys: only its range is
/// visited, no key's namespace compared.
fn ns_range<'a, T>(
    table: &'a Table<T>,
    ns: &str,
) -> crate::vecmap::Iter<'a, Key, std::sync::Arc<T>> {
    let end = format!("{ns}\0");
    table.range::<dyn KeyRef, _>((
        std::ops::Bound::Included(&(ns, "") as &dyn KeyRef),
        std::ops::Bound::Excluded(&(end.as_str(), "") as &dyn KeyRef),
    ))
}

/// The grace period the apiserver applies to a pod DELETE (see `Store::delete_pod`).
pub fn pod_delete_grace(pod: &Pod, requested: Option<i64>, assume_scheduled: bool) -> i64 {
    let phase = pod
        .status
        .as_ref()
        .and_then(|s| s.phase.as_deref())
        .unwrap_or("");
    if phase == "Failed" || phase == "Succeeded" {
        return 0;
    }
    let scheduled = assume_scheduled
        || pod
            .spec
            .as_ref()
            .and_then(|s| s.node_name.as_ref())
            .is_some_and(|n| !n.is_empty());
    if !scheduled {
        return 0;
    }
    requested
        .or_else(|| {
            pod.spec
                .as_ref()
                .and_then(|s| s.termination_grace_period_seconds)
        })
        .unwrap_or(30)
        .max(0)
}

/// Whether an object is being deleted.
pub fn is_terminating<T: Object>(obj: &T) -> bool {
    obj.metadata().deletion_timestamp.is_some()
}

pub fn deletion_time(meta: &ObjectMeta) -> Option<&KTime> {
    meta.deletion_timestamp.as_ref()
}

/// A uuid-shaped string from a counter (deterministic; mixes the bits so uids look distinct).
pub fn uid_from_counter(n: u64) -> String {
    // splitmix64, twice, gives 128 well-spread bits from the counter.
    fn mix(mut z: u64) -> u64 {
        z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    let a = mix(n);
    let b = mix(a ^ n.rotate_left(17));
    // `{:08x}-{:04x}-4{:03x}-{:x}{:03x}-{:012x}` of the parts below, written digit by digit
    // (a uid is made for every object the store creates).
    fn hex(out: &mut String, v: u64, digits: u32) {
        for i in (0..digits).rev() {
            let d = ((v >> (4 * i)) & 0xf) as u32;
            out.push(char::from_digit(d, 16).unwrap_or('0'));
        }
    }
    let mut out = String::with_capacity(36);
    hex(&mut out, a >> 32, 8);
    out.push('-');
    hex(&mut out, (a >> 16) & 0xffff, 4);
    out.push_str("-4");
    hex(&mut out, a & 0xfff, 3);
    out.push('-');
    hex(&mut out, 8 + ((b >> 62) & 0x3), 1);
    hex(&mut out, (b >> 48) & 0xfff, 3);
    out.push('-');
    hex(&mut out, b & 0xffff_ffff_ffff, 12);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(name: &str) -> Pod {
        Pod {
            metadata: ObjectMeta {
                name: Some(name.into()),
                ..Default::default()
            },
            ..Default::default()
        }
    }

    #[test]
    fn terminating_claims_index_follows_every_claim_write() {
        let mut s = Store::new();
        let claim = PersistentVolumeClaim {
            metadata: ObjectMeta {
                name: Some("data-web-0".into()),
                ..Default::default()
            },
            ..Default::default()
        };
        s.create(Actor::User, claim, 0).unwrap();
        assert!(s.terminating_claims.is_empty());
        // The pvc-protection finalizer keeps the deleted claim: it is terminating.
        let c = s
            .delete::<PersistentVolumeClaim>(Actor::User, "default", "data-web-0", None, 1000)
            .unwrap();
        let k = key("default", "data-web-0");
        assert!(s.terminating_claims.contains(&k));
        // A status write keeps it; the finalizer's removal lets the claim go, and the index too.
        s.write_status::<PersistentVolumeClaim>(Actor::User, "default", "data-web-0", |_| {})
            .unwrap();
        assert!(s.terminating_claims.contains(&k));
        let mut c = c;
        c.metadata.finalizers = None;
        s.update(Actor::User, c).unwrap();
        assert!(
            s.get::<PersistentVolumeClaim>("default", "data-web-0")
                .is_none()
        );
        assert!(s.terminating_claims.is_empty());
    }

    #[test]
    fn create_fills_metadata_and_rejects_duplicates() {
        let mut s = Store::new();
        let p = s.create(Actor::User, pod("web-0"), 0).unwrap();
        assert_eq!(p.metadata.namespace.as_deref(), Some("default"));
        assert!(p.metadata.uid.is_some());
        assert_eq!(p.metadata.resource_version.as_deref(), Some("1"));
        let err = s.create(Actor::User, pod("web-0"), 0).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Error from server (AlreadyExists): pods \"web-0\" already exists"
        );
    }

    #[test]
    fn graceful_delete_keeps_the_object_until_removed() {
        let mut s = Store::new();
        s.create(Actor::User, pod("web-0"), 0).unwrap();
        let p: Pod = s
            .delete(Actor::User, "default", "web-0", Some(30), 1000)
            .unwrap();
        assert!(p.metadata.deletion_timestamp.is_some());
        assert!(s.get::<Pod>("default", "web-0").is_some());
        s.remove::<Pod>(Actor::Kubelet, "default", "web-0");
        assert!(s.get::<Pod>("default", "web-0").is_none());
    }

    #[test]
    fn new_pods_get_the_apiservers_defaults() {
        let mut s = Store::new();
        let mut p = pod("web-0");
        p.spec = Some(k8s_openapi::api::core::v1::PodSpec {
            containers: vec![k8s_openapi::api::core::v1::Container {
                name: "nginx".into(),
                ..Default::default()
            }],
            ..Default::default()
        });
        let p = s.create(Actor::User, p, 0).unwrap();
        let spec = p.spec.as_ref().unwrap();
        assert_eq!(spec.service_account_name.as_deref(), Some("default"));
        assert_eq!(spec.enable_service_links, Some(true));
        assert_eq!(spec.priority, Some(0));
        let vol = &spec.volumes.as_ref().unwrap()[0];
        assert!(
            vol.name.starts_with("kube-api-access-") && vol.name.len() == 21,
            "{}",
            vol.name
        );
        let m = &spec.containers[0].volume_mounts.as_ref().unwrap()[0];
        assert_eq!(
            (m.mount_path.as_str(), m.read_only),
            (SERVICE_ACCOUNT_MOUNT, Some(true))
        );
        assert_eq!(spec.tolerations.as_ref().unwrap().len(), 2);
        let st = p.status.as_ref().unwrap();
        assert_eq!(st.phase.as_deref(), Some("Pending"));
        assert_eq!(st.qos_class.as_deref(), Some("BestEffort"));
    }

    #[test]
    fn new_claims_get_the_pvc_protection_finalizer() {
        let mut s = Store::new();
        let c = PersistentVolumeClaim {
            metadata: ObjectMeta {
                name: Some("data-web-0".into()),
                ..Default::default()
            },
            ..Default::default()
        };
        let c = s.create(Actor::User, c, 0).unwrap();
        assert_eq!(
            c.metadata.finalizers,
            Some(vec![PVC_PROTECTION_FINALIZER.to_string()])
        );
        let d: PersistentVolumeClaim = s
            .delete(Actor::User, "default", "data-web-0", None, 0)
            .unwrap();
        assert!(d.metadata.deletion_timestamp.is_some());
        assert!(
            s.get::<PersistentVolumeClaim>("default", "data-web-0")
                .is_some()
        );
    }

    #[test]
    fn failed_and_unscheduled_pods_are_deleted_at_once() {
        let mut s = Store::new();
        s.create(Actor::User, pod("a"), 0).unwrap();
        s.delete_pod(Actor::User, "default", "a", None, 0).unwrap();
        assert!(
            s.get::<Pod>("default", "a").is_none(),
            "unscheduled: immediate"
        );
        s.pods_always_scheduled = true;
        s.create(Actor::User, pod("b"), 0).unwrap();
        s.delete_pod(Actor::User, "default", "b", None, 0).unwrap();
        let b = s.get::<Pod>("default", "b").unwrap();
        assert_eq!(b.metadata.deletion_grace_period_seconds, Some(30));
    }

    /// The digit-by-digit uid is the formatted one.
    #[test]
    fn uid_digits_match_the_format() {
        for n in [0u64, 1, 2, 41, 1 << 40, u64::MAX] {
            let z = |mut z: u64| {
                z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
                z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
                z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
                z ^ (z >> 31)
            };
            let a = z(n);
            let b = z(a ^ n.rotate_left(17));
            let want = format!(
                "{:08x}-{:04x}-4{:03x}-{:x}{:03x}-{:012x}",
                (a >> 32) as u32,
                (a >> 16) as u16,
                (a & 0xfff) as u16,
                8 + ((b >> 62) & 0x3),
                ((b >> 48) & 0xfff) as u16,
                b & 0xffff_ffff_ffff
            );
            assert_eq!(uid_from_counter(n), want);
        }
    }

    #[test]
    fn uids_are_uuid_shaped_and_distinct() {
        let a = uid_from_counter(1);
        let b = uid_from_counter(2);
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(a.as_bytes()[14], b'4');
    }
}

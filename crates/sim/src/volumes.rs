//! Volumes: the PV controller's claim handling and kind's local-path provisioner
//! (rancher.io/local-path), plus a tiny per-volume file store so that what a container writes
//! on its claim survives the pod.
//!
//! Sources: `pkg/controller/volume/persistentvolume/pv_controller.go` (WaitForFirstConsumer,
//! ExternalProvisioning events, binding), sig-storage-lib-external-provisioner (Provisioning /
//! ProvisioningSucceeded events), kind `pkg/build/nodeimage/const_storage.go` and
//! rancher/local-path-provisioner (PV layout: hostPath under `/var/local-path-provisioner`,
//! node affinity on `kubernetes.io/hostname`).

use std::sync::Arc;

use k8s_openapi::api::core::v1::{
    NodeSelector, NodeSelectorRequirement, NodeSelectorTerm, ObjectReference, PersistentVolume,
    PersistentVolumeClaim, PersistentVolumeClaimStatus, PersistentVolumeSpec,
    PersistentVolumeStatus, Pod, VolumeNodeAffinity,
};
use k8s_openapi::api::storage::v1::StorageClass;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::command::SimError;
use crate::events::{EventType, record, reference_to};
use crate::state::{Action, State};
use crate::store::{Actor, ApiError, Key, Store};

/// Annotation the scheduler puts on a WaitForFirstConsumer claim.
pub const SELECTED_NODE: &str = "volume.kubernetes.io/selected-node";
const PROVISIONER: &str = "rancher.io/local-path";
/// The From column of provisioner events (`<provisioner>_<pod>_<uuid>`); the pod name is the
/// local-path-provisioner Deployment's pod in kind (hash suffix illustrative).
pub const PROVISIONER_IDENTITY: &str = "rancher.io/local-path_local-path-provisioner-7dc846544d-x7k2p_1f6a8f2c-3b7e-4d7a-9c1e-5b2f0a6d8e41";

const MAX_FILES_PER_VOLUME: usize = 1024;
const MAX_FILE_BYTES: usize = 64 * 1024;

pub use crate::state::FileStore;

/// The name of the default StorageClass, if any.
pub fn default_class(store: &Store) -> Option<String> {
    store
        .storageclasses
        .values()
        .find(|c| {
            c.metadata
                .annotations
                .as_ref()
                .and_then(|a| a.get("storageclass.kubernetes.io/is-default-class"))
                .is_some_and(|v| v == "true")
        })
        .and_then(|c| c.metadata.name.clone())
}

/// The name of a claim's class: its own, else the default class.
fn class_name(store: &Store, pvc: &PersistentVolumeClaim) -> Option<String> {
    pvc.spec
        .as_ref()?
        .storage_class_name
        .clone()
        .or_else(|| default_class(store))
}

fn class_of<'a>(store: &'a Store, pvc: &PersistentVolumeClaim) -> Option<&'a StorageClass> {
    store.get::<StorageClass>("", &class_name(store, pvc)?)
}

/// The class of a claim, shared (see [`Store::get_shared`]).
fn class_shared(store: &Store, pvc: &PersistentVolumeClaim) -> Option<Arc<StorageClass>> {
    store.get_shared::<StorageClass>("", &class_name(store, pvc)?)
}

/// Whether a claim's class delays binding until a pod is scheduled.
pub fn is_wffc(store: &Store, pvc: &PersistentVolumeClaim) -> bool {
    class_of(store, pvc).and_then(|c| c.volume_binding_mode.as_deref())
        == Some("WaitForFirstConsumer")
}

fn is_bound(pvc: &PersistentVolumeClaim) -> bool {
    pvc.spec
        .as_ref()
        .and_then(|s| s.volume_name.as_ref())
        .is_some_and(|v| !v.is_empty())
}

/// React to a claim write: queue a PV-controller sync for claims that are not bound yet.
/// Returns whether the claim is bound (the scheduler's volume binder then binds the pods that
/// waited for it, see `scheduler::claim_bound`).
pub(crate) fn plan_claim(st: &mut State, k: &Key) -> bool {
    let Some(pvc) = st.store.get::<PersistentVolumeClaim>(&k.0, &k.1) else {
        return false;
    };
    if is_bound(pvc) {
        return true;
    }
    if pvc.metadata.deletion_timestamp.is_some() {
        return false;
    }
    let tag = format!("claim/{}/{}", k.0, k.1);
    if st.rt.inflight.contains(&tag) {
        return false;
    }
    st.rt.inflight.insert(tag);
    let at = st.now + st.dur.claim_sync;
    st.queue.push(at, Action::ClaimSync(k.clone()));
    false
}

/// The PV controller's sync of an unbound claim.
pub(crate) fn claim_sync(st: &mut State, k: &Key) -> Option<String> {
    let pvc = st.store.get_shared::<PersistentVolumeClaim>(&k.0, &k.1)?;
    if is_bound(&pvc) || pvc.metadata.deletion_timestamp.is_some() {
        return None;
    }
    let now = st.now;
    let class_name = pvc
        .spec
        .as_ref()
        .and_then(|s| s.storage_class_name.clone())
        .or_else(|| default_class(&st.store));
    let Some(class_name) = class_name.filter(|c| !c.is_empty()) else {
        // No class and no default: waits for a matching PV (none will come).
        record(
            &mut st.store,
            reference_to(&*pvc, None),
            EventType::Normal,
            "FailedBinding",
            "no persistent volumes available for this claim and no storage class is set",
            "persistentvolume-controller",
            None,
            now,
        );
        return Some(format!(
            "persistentvolume-controller: claim {}/{} has no storage class",
            k.0, k.1
        ));
    };
    let Some(class) = st.store.get_shared::<StorageClass>("", &class_name) else {
        record(
            &mut st.store,
            reference_to(&*pvc, None),
            EventType::Warning,
            "ProvisioningFailed",
            &format!("storageclass.storage.k8s.io \"{class_name}\" not found"),
            "persistentvolume-controller",
            None,
            now,
        );
        return Some(format!(
            "persistentvolume-controller: claim {}/{}: storageclass \"{class_name}\" not found",
            k.0, k.1
        ));
    };
    let wffc = class.volume_binding_mode.as_deref() == Some("WaitForFirstConsumer");
    let selected = pvc
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(SELECTED_NODE).cloned());
    match (wffc, selected) {
        (true, None) => {
            record(
                &mut st.store,
                reference_to(&*pvc, None),
                EventType::Normal,
                "WaitForFirstConsumer",
                "waiting for first consumer to be created before binding",
                "persistentvolume-controller",
                None,
                now,
            );
            Some(format!(
                "persistentvolume-controller: claim {}/{} waits for its first consumer",
                k.0, k.1
            ))
        }
        (_, selected) => {
            let node = selected.or_else(|| st.store.nodes.keys().next().map(|(_, n)| n.clone()))?;
            start_provisioning(st, k, &pvc, &class, &node);
            Some(format!(
                "persistentvolume-controller: claim {}/{} waits for provisioner {}",
                k.0, k.1, class.provisioner
            ))
        }
    }
}

fn start_provisioning(
    st: &mut State,
    k: &Key,
    pvc: &PersistentVolumeClaim,
    class: &StorageClass,
    node: &str,
) {
    let now = st.now;
    let tag = format!("provision/{}", pvc.metadata.uid.clone().unwrap_or_default());
    if st.rt.inflight.contains(&tag) {
        return;
    }
    st.rt.inflight.insert(tag);
    // The PV controller annotates the claim with the provisioner that should handle it.
    let mut c = k8sjson::copy(pvc);
    let ann = c.metadata.annotations.get_or_insert_with(Default::default);
    ann.insert(
        "volume.beta.kubernetes.io/storage-provisioner".into(),
        class.provisioner.clone(),
    );
    ann.insert(
        "volume.kubernetes.io/storage-provisioner".into(),
        class.provisioner.clone(),
    );
    let c = st
        .store
        .update(Actor::Provisioner, c)
        .unwrap_or_else(|_| k8sjson::copy(pvc));
    record(
        &mut st.store,
        reference_to(&c, None),
        EventType::Normal,
        "ExternalProvisioning",
        &format!(
            "Waiting for a volume to be created either by the external provisioner '{}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.",
            class.provisioner
        ),
        "persistentvolume-controller",
        None,
        now,
    );
    if class.provisioner != PROVISIONER {
        // No such provisioner runs in kind (e.g. the Cassandra tutorial's
        // `k8s.io/minikube-hostpath`): the claim stays Pending, as on a real kind cluster.
        return;
    }
    record(
        &mut st.store,
        reference_to(&c, None),
        EventType::Normal,
        "Provisioning",
        &format!(
            "External provisioner is provisioning volume for claim \"{}/{}\"",
            k.0, k.1
        ),
        PROVISIONER_IDENTITY,
        None,
        now,
    );
    let took = st.rng.jitter(st.dur.provision, 40);
    st.queue.push(
        now + took,
        Action::Provision {
            claim: k.clone(),
            uid: c.metadata.uid.clone().unwrap_or_default(),
            node: node.to_string(),
        },
    );
}

/// The scheduler chose `node` for a pod using this WaitForFirstConsumer claim.
pub(crate) fn select_node(st: &mut State, k: &Key, node: &str) {
    let Some(pvc) = st
        .store
        .get::<PersistentVolumeClaim>(&k.0, &k.1)
        .map(k8sjson::copy)
    else {
        return;
    };
    let has = pvc
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(SELECTED_NODE))
        .is_some();
    if has || is_bound(&pvc) {
        return;
    }
    let mut c = pvc;
    c.metadata
        .annotations
        .get_or_insert_with(Default::default)
        .insert(SELECTED_NODE.into(), node.to_string());
    if let Ok(c) = st.store.update(Actor::Scheduler, c)
        && let Some(class) = class_shared(&st.store, &c)
    {
        start_provisioning(st, k, &c, &class, node);
    }
}

/// The provisioner creates the PV and the PV controller binds both sides.
pub(crate) fn provision(st: &mut State, k: &Key, uid: &str, node: &str) -> Option<String> {
    st.rt.inflight.remove(&format!("provision/{uid}"));
    let pvc = st.store.get_shared::<PersistentVolumeClaim>(&k.0, &k.1)?;
    if pvc.metadata.uid.as_deref() != Some(uid)
        || is_bound(&pvc)
        || pvc.metadata.deletion_timestamp.is_some()
    {
        return None;
    }
    let now = st.now;
    let class = class_shared(&st.store, &pvc)?;
    let pv_name = format!("pvc-{uid}");
    let no_spec = k8s_openapi::api::core::v1::PersistentVolumeClaimSpec::default();
    let spec = pvc.spec.as_ref().unwrap_or(&no_spec);
    let capacity = spec
        .resources
        .as_ref()
        .and_then(|r| r.requests.clone())
        .map(|mut r| {
            r.retain(|k, _| k == "storage");
            r
        });
    let pv = PersistentVolume {
        metadata: ObjectMeta {
            name: Some(pv_name.clone()),
            // By insertion: `collect` would sort first (one more copy of the standard sort).
            annotations: Some(crate::sort::to_map([
                (
                    "local.path.provisioner/selected-node".to_string(),
                    node.to_string(),
                ),
                (
                    "pv.kubernetes.io/provisioned-by".to_string(),
                    PROVISIONER.to_string(),
                ),
            ])),
            finalizers: Some(vec!["kubernetes.io/pv-protection".into()]),
            ..Default::default()
        },
        spec: Some(PersistentVolumeSpec {
            access_modes: spec.access_modes.clone(),
            capacity: capacity.clone(),
            claim_ref: Some(ObjectReference {
                api_version: Some("v1".into()),
                kind: Some("PersistentVolumeClaim".into()),
                name: Some(k.1.clone()),
                namespace: Some(k.0.clone()),
                resource_version: pvc.metadata.resource_version.clone(),
                uid: Some(uid.to_string()),
                ..Default::default()
            }),
            host_path: Some(k8s_openapi::api::core::v1::HostPathVolumeSource {
                path: format!("/var/local-path-provisioner/{pv_name}_{}_{}", k.0, k.1),
                type_: Some("DirectoryOrCreate".into()),
            }),
            node_affinity: Some(VolumeNodeAffinity {
                required: Some(NodeSelector {
                    node_selector_terms: vec![NodeSelectorTerm {
                        match_expressions: Some(vec![NodeSelectorRequirement {
                            key: "kubernetes.io/hostname".into(),
                            operator: "In".into(),
                            values: Some(vec![node.to_string()]),
                        }]),
                        ..Default::default()
                    }],
                }),
            }),
            persistent_volume_reclaim_policy: Some(
                class
                    .reclaim_policy
                    .clone()
                    .unwrap_or_else(|| "Delete".into()),
            ),
            storage_class_name: Some(class.metadata.name.clone().unwrap_or_default()),
            volume_mode: Some(
                spec.volume_mode
                    .clone()
                    .unwrap_or_else(|| "Filesystem".into()),
            ),
            ..Default::default()
        }),
        status: None,
    };
    st.store.create_shared(Actor::Provisioner, pv, now).ok()?;
    let _ = st.store.write_status(
        Actor::Provisioner,
        "",
        &pv_name,
        |s: &mut PersistentVolume| {
            s.status = Some(PersistentVolumeStatus {
                phase: Some("Bound".into()),
                last_phase_transition_time: Some(crate::time::to_k8s_time(now)),
                ..Default::default()
            });
        },
    );
    record(
        &mut st.store,
        reference_to(&*pvc, None),
        EventType::Normal,
        "ProvisioningSucceeded",
        &format!("Successfully provisioned volume {pv_name}"),
        PROVISIONER_IDENTITY,
        None,
        now,
    );
    // Bind the claim (pv_controller bindClaimToVolume + updateClaimStatus).
    let mut c = k8sjson::copy(st.store.get::<PersistentVolumeClaim>(&k.0, &k.1)?);
    c.spec.get_or_insert_with(Default::default).volume_name = Some(pv_name.clone());
    let ann = c.metadata.annotations.get_or_insert_with(Default::default);
    ann.insert("pv.kubernetes.io/bind-completed".into(), "yes".into());
    ann.insert("pv.kubernetes.io/bound-by-controller".into(), "yes".into());
    st.store.update_shared(Actor::Provisioner, c).ok()?;
    let _ = st.store.write_status(
        Actor::Provisioner,
        &k.0,
        &k.1,
        |s: &mut PersistentVolumeClaim| {
            s.status = Some(PersistentVolumeClaimStatus {
                phase: Some("Bound".into()),
                access_modes: spec.access_modes.clone(),
                capacity,
                ..Default::default()
            });
        },
    );
    st.rt.files.volumes.entry(pv_name.clone()).or_default();
    Some(format!(
        "rancher.io/local-path: provisioned {pv_name} on {node} and bound claim {}/{}",
        k.0, k.1
    ))
}

/// A claim left the store: its bound PV is released and (reclaim Delete) deleted shortly after.
pub(crate) fn claim_removed(st: &mut State, k: &Key) {
    let pvs: Vec<(String, String)> = st
        .store
        .pvs
        .values()
        .filter(|pv| {
            pv.spec
                .as_ref()
                .and_then(|s| s.claim_ref.as_ref())
                .is_some_and(|c| {
                    c.namespace.as_deref() == Some(k.0.as_str())
                        && c.name.as_deref() == Some(k.1.as_str())
                })
        })
        .map(|pv| {
            (
                pv.metadata.name.clone().unwrap_or_default(),
                pv.spec
                    .as_ref()
                    .and_then(|s| s.persistent_volume_reclaim_policy.clone())
                    .unwrap_or_default(),
            )
        })
        .collect();
    let now = st.now;
    for (name, policy) in pvs {
        // Skip a PV that is bound to a newer claim with the same name.
        let claim_uid = st
            .store
            .get::<PersistentVolume>("", &name)
            .and_then(|p| p.spec.as_ref())
            .and_then(|s| s.claim_ref.as_ref())
            .and_then(|c| c.uid.clone());
        let current_uid = st
            .store
            .get::<PersistentVolumeClaim>(&k.0, &k.1)
            .and_then(|c| c.metadata.uid.clone());
        if claim_uid.is_some() && claim_uid == current_uid {
            continue;
        }
        if let Some(mut pv) = st
            .store
            .get::<PersistentVolume>("", &name)
            .map(k8sjson::copy)
            && pv.status.as_ref().and_then(|s| s.phase.as_deref()) != Some("Released")
        {
            pv.status = Some(PersistentVolumeStatus {
                phase: Some("Released".into()),
                last_phase_transition_time: Some(crate::time::to_k8s_time(now)),
                ..Default::default()
            });
            let _ = st
                .store
                .update_status(Actor::Provisioner, pv, |s, n| s.status = n.status);
        }
        if policy == "Delete" {
            let at = now + st.dur.provision / 2;
            st.queue.push(at, Action::ReclaimPv(name));
        }
    }
}

/// Delete a released PV (local-path helper pod removes the directory): its data is lost.
pub(crate) fn reclaim(st: &mut State, pv: &str) -> Option<String> {
    let obj = st.store.get::<PersistentVolume>("", pv)?;
    if obj.status.as_ref().and_then(|s| s.phase.as_deref()) != Some("Released") {
        return None;
    }
    st.store
        .remove::<PersistentVolume>(Actor::Provisioner, "", pv);
    st.rt.files.volumes.remove(pv);
    Some(format!(
        "rancher.io/local-path: deleted volume {pv} (reclaim policy Delete); its data is gone"
    ))
}

// ---------------------------------------------------------------------------------------------
// Files

/// Where a path lands for a container: a PV (name, relative path) or the pod's own files.
pub(crate) enum Place {
    Volume(String, String),
    Local(String),
}

fn norm(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            x => parts.push(x),
        }
    }
    format!("/{}", parts.join("/"))
}

/// Resolve `path` for a container of `pod` (`None` = the first container with a matching mount,
/// else the first container).
pub(crate) fn place(store: &Store, pod: &Pod, container: Option<&str>, path: &str) -> Place {
    let path = norm(path);
    let Some(spec) = pod.spec.as_ref() else {
        return Place::Local(path);
    };
    let all = spec
        .init_containers
        .iter()
        .flatten()
        .chain(spec.containers.iter());
    let mut best: Option<(usize, String, String)> = None;
    for c in all {
        if container.is_some_and(|want| want != c.name) {
            continue;
        }
        for m in c.volume_mounts.iter().flatten() {
            let mp = norm(&m.mount_path);
            let under = path == mp || path.starts_with(&format!("{}/", mp.trim_end_matches('/')));
            if under && best.as_ref().is_none_or(|(l, _, _)| mp.len() > *l) {
                let rel = path
                    .get(mp.len()..)
                    .unwrap_or("")
                    .trim_start_matches('/')
                    .to_string();
                best = Some((mp.len(), m.name.clone(), rel));
            }
        }
        if container.is_none() && best.is_some() {
            break;
        }
    }
    let Some((_, vol, rel)) = best else {
        return Place::Local(path);
    };
    let ns = pod
        .metadata
        .namespace
        .clone()
        .unwrap_or_else(|| "default".into());
    let claim = spec
        .volumes
        .iter()
        .flatten()
        .find(|v| v.name == vol)
        .and_then(|v| v.persistent_volume_claim.as_ref())
        .map(|c| c.claim_name.clone());
    let pv = claim
        .and_then(|c| store.get::<PersistentVolumeClaim>(&ns, &c))
        .and_then(|c| c.spec.as_ref())
        .and_then(|s| s.volume_name.clone());
    match pv {
        Some(pv) => Place::Volume(pv, rel),
        // emptyDir and other volumes live with the pod.
        None => Place::Local(format!("/.volumes/{vol}/{rel}")),
    }
}

pub(crate) fn write_place(
    files: &mut FileStore,
    uid: &str,
    place: Place,
    content: &str,
    append: bool,
) -> Result<(), String> {
    if content.len() > MAX_FILE_BYTES {
        return Err("File too large".into());
    }
    let (map, k) = match place {
        Place::Volume(pv, rel) => (files.volumes.entry(pv).or_default(), rel),
        Place::Local(p) => (files.local.entry(uid.to_string()).or_default(), p),
    };
    if k.is_empty() {
        return Err("Is a directory".into());
    }
    if !map.contains_key(&k) && map.len() >= MAX_FILES_PER_VOLUME {
        return Err("No space left on device".into());
    }
    let e = map.entry(k).or_default();
    if !append {
        e.clear();
    }
    if e.len() + content.len() > MAX_FILE_BYTES {
        return Err("File too large".into());
    }
    e.push_str(content);
    Ok(())
}

pub(crate) fn read_place(files: &FileStore, uid: &str, place: &Place) -> Option<String> {
    match place {
        Place::Volume(pv, rel) => files.volumes.get(pv)?.get(rel).cloned(),
        Place::Local(p) => files.local.get(uid)?.get(p).cloned(),
    }
}

/// Remove the file at `place` (`rm`, `mv`).
pub(crate) fn remove_place(files: &mut FileStore, uid: &str, place: &Place) -> Result<(), String> {
    let removed = match place {
        Place::Volume(pv, rel) => files.volumes.get_mut(pv).and_then(|m| m.remove(rel)),
        Place::Local(p) => files.local.get_mut(uid).and_then(|m| m.remove(p)),
    };
    removed
        .map(|_| ())
        .ok_or_else(|| "No such file or directory".into())
}

pub(crate) fn list_place(files: &FileStore, uid: &str, place: &Place) -> Vec<String> {
    let (map, prefix) = match place {
        Place::Volume(pv, rel) => (files.volumes.get(pv), rel.clone()),
        Place::Local(p) => (files.local.get(uid), p.trim_start_matches('/').to_string()),
    };
    let Some(map) = map else {
        return Vec::new();
    };
    let prefix = if prefix.is_empty() {
        String::new()
    } else {
        format!("{}/", prefix.trim_end_matches('/'))
    };
    let mut out: Vec<String> = map
        .keys()
        .filter_map(|k| {
            let k = k.trim_start_matches('/');
            k.strip_prefix(&prefix)
                .map(|rest| rest.split('/').next().unwrap_or(rest).to_string())
        })
        .filter(|s| !s.is_empty())
        .collect();
    out.dedup();
    out
}

fn find_pod<'a>(st: &'a State, ns: &str, pod: &str) -> Result<&'a Pod, SimError> {
    st.store.get::<Pod>(ns, pod).ok_or_else(|| {
        SimError::Api(ApiError::NotFound {
            resource: "pods",
            name: pod.to_string(),
        })
    })
}

pub(crate) fn read_pod_file(
    st: &State,
    ns: &str,
    pod: &str,
    container: Option<&str>,
    path: &str,
) -> Result<String, SimError> {
    let p = find_pod(st, ns, pod)?;
    let uid = p.metadata.uid.clone().unwrap_or_default();
    let pl = place(&st.store, p, container, path);
    read_place(&st.rt.files, &uid, &pl)
        .ok_or_else(|| SimError::NotFound(format!("cat: {path}: No such file or directory")))
}

// Not inlined into `event_loop::apply_command`, so the release build can move it to the second
// wasm module when a first visit does not run it (issue #17, xtask/src/split.rs).
#[inline(never)]
pub(crate) fn write_pod_file(
    st: &mut State,
    ns: &str,
    pod: &str,
    container: Option<&str>,
    path: &str,
    content: &str,
    append: bool,
) -> Result<(), SimError> {
    let p = k8sjson::copy(find_pod(st, ns, pod)?);
    let uid = p.metadata.uid.clone().unwrap_or_default();
    let pl = place(&st.store, &p, container, path);
    write_place(&mut st.rt.files, &uid, pl, content, append)
        .map_err(|e| SimError::Invalid(format!("{path}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    // A class whose provisioner does not run in kind (the Cassandra tutorial's "fast",
    // k8s.io/minikube-hostpath): the claim stays Pending with the PV controller's
    // ExternalProvisioning event and the pod waits for it.
    #[test]
    fn a_class_whose_provisioner_is_absent_leaves_the_claim_pending() {
        use crate::cluster::{Cluster, ClusterConfig};
        use crate::command::Command;
        use crate::object::AnyObject;
        let mut c = Cluster::new(ClusterConfig::default());
        let sc: StorageClass = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "fast"}, "provisioner": "k8s.io/minikube-hostpath"
        }))
        .unwrap();
        c.apply(Command::Create(AnyObject::StorageClass(Box::new(sc))))
            .unwrap();
        let pvc: PersistentVolumeClaim = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "data", "namespace": "default"},
            "spec": {"storageClassName": "fast", "accessModes": ["ReadWriteOnce"],
                     "resources": {"requests": {"storage": "1Gi"}}}
        }))
        .unwrap();
        c.apply(Command::Create(AnyObject::PersistentVolumeClaim(Box::new(
            pvc,
        ))))
        .unwrap();
        c.settle(1000);
        let claim = c
            .store()
            .get::<PersistentVolumeClaim>("default", "data")
            .unwrap();
        assert_eq!(
            claim.status.as_ref().and_then(|s| s.phase.as_deref()),
            Some("Pending")
        );
        assert!(c.store().pvs.is_empty());
    }

    #[test]
    fn paths_normalize() {
        assert_eq!(
            norm("/usr/share/nginx/html/../html/./index.html"),
            "/usr/share/nginx/html/index.html"
        );
        assert_eq!(norm(""), "/");
    }

    #[test]
    fn file_store_writes_appends_and_lists() {
        let mut fs = FileStore::default();
        write_place(
            &mut fs,
            "u",
            Place::Volume("pv".into(), "index.html".into()),
            "a\n",
            false,
        )
        .unwrap();
        write_place(
            &mut fs,
            "u",
            Place::Volume("pv".into(), "index.html".into()),
            "b\n",
            true,
        )
        .unwrap();
        write_place(
            &mut fs,
            "u",
            Place::Volume("pv".into(), "sub/x".into()),
            "c",
            false,
        )
        .unwrap();
        assert_eq!(
            read_place(&fs, "u", &Place::Volume("pv".into(), "index.html".into())).as_deref(),
            Some("a\nb\n")
        );
        assert_eq!(
            list_place(&fs, "u", &Place::Volume("pv".into(), String::new())),
            vec!["index.html", "sub"]
        );
        assert!(
            write_place(
                &mut fs,
                "u",
                Place::Volume("pv".into(), String::new()),
                "x",
                false
            )
            .is_err()
        );
        let big = "x".repeat(MAX_FILE_BYTES + 1);
        assert!(write_place(&mut fs, "u", Place::Local("/big".into()), &big, false).is_err());
    }
}

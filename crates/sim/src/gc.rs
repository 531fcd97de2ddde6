//! The garbage collector, one pass at a time (upstream `pkg/controller/garbagecollector`,
//! reduced to what a StatefulSet's dependents need):
//!
//! * a pod, claim or ControllerRevision whose ownerReferences all point to owners that are
//!   gone (no object of that kind and name with that uid) or in foreground deletion is deleted:
//!   pods gracefully, claims through pvc-protection, revisions at once;
//! * a StatefulSet being deleted with the `orphan` finalizer: its ownerReference is removed
//!   from every dependent, then the finalizer, and the set goes;
//! * a StatefulSet in foreground deletion (`foregroundDeletion` finalizer) goes once no
//!   dependent with `blockOwnerDeletion` remains;
//! * a Service, claim, volume, class, ConfigMap, Secret or ControllerRevision deleted with
//!   either finalizer loses it at once (none of their dependents is tracked by ownerReference
//!   here; a Service's EndpointSlice is removed by `endpoints` with the Service).
//!
//! Not modelled: removing dangling references next to a live owner, owners of other kinds
//! (treated as live), the continuous graph the real collector keeps.

use crate::sort::Sort as _;
use k8s_openapi::api::apps::v1::{ControllerRevision, Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::core::v1::{
    ConfigMap, PersistentVolume, PersistentVolumeClaim, Pod, Secret, Service,
};
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use k8s_openapi::api::storage::v1::StorageClass;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};

use crate::ordinal::ordinal_cmp;
use crate::store::{Actor, Object, Store, Verb};
use crate::time::SimTime;

pub const FOREGROUND_FINALIZER: &str = "foregroundDeletion";
pub const ORPHAN_FINALIZER: &str = "orphan";
const ACTOR: Actor = Actor::GarbageCollector;

/// One thing the collector does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GcAction {
    /// Delete a dependent whose owners are all gone.
    Delete {
        resource: &'static str,
        ns: String,
        name: String,
    },
    /// Remove the ownerReference to `owner_uid` from a dependent (orphan propagation).
    Orphan {
        resource: &'static str,
        ns: String,
        name: String,
        owner_uid: String,
    },
    /// Remove the orphan finalizer: the StatefulSet goes.
    FinishOrphan { ns: String, name: String },
    /// Remove the foregroundDeletion finalizer: the StatefulSet goes.
    FinishForeground { ns: String, name: String },
    /// Remove the orphan finalizer of a Deployment or ReplicaSet (`kind`): it goes.
    FinishOrphanOf {
        kind: &'static str,
        ns: String,
        name: String,
    },
    /// Remove the foregroundDeletion finalizer of a Deployment or ReplicaSet: it goes.
    FinishForegroundOf {
        kind: &'static str,
        ns: String,
        name: String,
    },
    /// Remove the orphan or foregroundDeletion `finalizer` of an owner none of whose
    /// dependents the simulation tracks by ownerReference (`resource`: a Service, claim,
    /// volume, class, ConfigMap, Secret or ControllerRevision): there is nothing to orphan or
    /// wait for, so it goes.
    FinishLeaf {
        resource: &'static str,
        ns: String,
        name: String,
        finalizer: &'static str,
    },
}

impl GcAction {
    /// The oracle note text (without `-- `).
    pub fn note(&self) -> String {
        match self {
            GcAction::Delete { resource, name, .. } => format!("gc: delete {resource}/{name}"),
            GcAction::Orphan { resource, name, .. } => format!("gc: orphan {resource}/{name}"),
            GcAction::FinishOrphan { name, .. } => {
                format!("gc: removed StatefulSet {name} (orphan finalizer done)")
            }
            GcAction::FinishForeground { name, .. } => {
                format!("gc: removed StatefulSet {name} (foreground deletion complete)")
            }
            GcAction::FinishOrphanOf { kind, name, .. } => {
                format!("gc: removed {kind} {name} (orphan finalizer done)")
            }
            GcAction::FinishForegroundOf { kind, name, .. } => {
                format!("gc: removed {kind} {name} (foreground deletion complete)")
            }
            GcAction::FinishLeaf {
                resource,
                name,
                finalizer,
                ..
            } => format!("gc: removed {resource}/{name} ({finalizer} finalizer done)"),
        }
    }
}

fn has_finalizer(m: &ObjectMeta, f: &str) -> bool {
    m.finalizers.iter().flatten().any(|x| x == f)
}

/// Whether an owner reference points to an existing owner that is not in foreground deletion.
fn owner_live(store: &Store, ns: &str, r: &OwnerReference) -> bool {
    let (m, foreground_counts) = match r.kind.as_str() {
        "StatefulSet" => (
            store.get::<StatefulSet>(ns, &r.name).map(|o| &o.metadata),
            true,
        ),
        "Pod" => (store.get::<Pod>(ns, &r.name).map(|o| &o.metadata), true),
        "Deployment" => (
            store.get::<Deployment>(ns, &r.name).map(|o| &o.metadata),
            true,
        ),
        "ReplicaSet" => (
            store.get::<ReplicaSet>(ns, &r.name).map(|o| &o.metadata),
            true,
        ),
        "PersistentVolumeClaim" => (
            store
                .get::<PersistentVolumeClaim>(ns, &r.name)
                .map(|o| &o.metadata),
            false,
        ),
        "ControllerRevision" => (
            store
                .get::<ControllerRevision>(ns, &r.name)
                .map(|o| &o.metadata),
            false,
        ),
        _ => return true,
    };
    m.is_some_and(|m| {
        m.uid.as_deref() == Some(r.uid.as_str())
            && !(foreground_counts
                && m.deletion_timestamp.is_some()
                && has_finalizer(m, FOREGROUND_FINALIZER))
    })
}

fn dangling<T: Object>(store: &Store) -> Vec<GcAction> {
    let v: Vec<(String, String)> = store
        .list::<T>(None)
        .filter(|o| o.metadata().deletion_timestamp.is_none())
        // kind's own pods belong to Deployments/ReplicaSets and DaemonSets the playground does
        // not store (`kind::system`): their owners count as live.
        .filter(|o| {
            (*o as &dyn std::any::Any)
                .downcast_ref::<Pod>()
                .is_none_or(|p| !crate::kind::system::is_system_pod(p))
        })
        .filter(|o| {
            let m = o.metadata();
            let ns = m.namespace.as_deref().unwrap_or("default");
            let refs = m.owner_references.as_deref().unwrap_or(&[]);
            !refs.is_empty() && !refs.iter().any(|r| owner_live(store, ns, r))
        })
        .map(|o| {
            let m = o.metadata();
            (
                m.namespace.clone().unwrap_or_default(),
                m.name.clone().unwrap_or_default(),
            )
        })
        .collect();
    delete_actions(T::PLURAL, v)
}

/// [`dangling`]'s kind-independent part: the deletions in namespace and ordinal order (one
/// copy for every kind, issue #17).
#[inline(never)]
fn delete_actions(resource: &'static str, mut v: Vec<(String, String)>) -> Vec<GcAction> {
    v.stable_sort_by(|a, b| a.0.cmp(&b.0).then_with(|| ordinal_cmp(&a.1, &b.1)));
    v.into_iter()
        .map(|(ns, name)| GcAction::Delete { resource, ns, name })
        .collect()
}

fn dependents_of<T: Object>(store: &Store, ns: &str, uid: &str) -> Vec<GcAction> {
    let v: Vec<String> = store
        .list::<T>(Some(ns))
        .filter(|o| {
            o.metadata()
                .owner_references
                .iter()
                .flatten()
                .any(|r| r.uid == uid)
        })
        .map(|o| o.metadata().name.clone().unwrap_or_default())
        .collect();
    orphan_actions(T::PLURAL, ns, uid, v)
}

/// [`dependents_of`]'s kind-independent part (one copy for every kind, issue #17).
#[inline(never)]
fn orphan_actions(
    resource: &'static str,
    ns: &str,
    uid: &str,
    mut v: Vec<String>,
) -> Vec<GcAction> {
    v.stable_sort_by(|a, b| ordinal_cmp(a, b));
    v.into_iter()
        .map(|name| GcAction::Orphan {
            resource,
            ns: ns.to_string(),
            name,
            owner_uid: uid.to_string(),
        })
        .collect()
}

/// The deletions of dependents whose owners are gone: pods, then claims, then revisions,
/// then ReplicaSets.
pub fn plan_deletes(store: &Store) -> Vec<GcAction> {
    let mut v = dangling::<Pod>(store);
    v.extend(dangling::<PersistentVolumeClaim>(store));
    v.extend(dangling::<ControllerRevision>(store));
    v.extend(dangling::<ReplicaSet>(store));
    v
}

/// Owners of the kinds in [`GcAction::FinishLeaf`] being deleted with the orphan or
/// foregroundDeletion finalizer (`kubectl delete svc nginx --cascade=orphan`, or
/// `kubectl delete -f` of a file with a Service and a StatefulSet): the real collector
/// processes any object's finalizer (`garbagecollector.go` `attemptToOrphan`,
/// `processDeletingDependentsItem`); a Service's EndpointSlice is kept by `endpoints`, not by
/// ownerReference here.
fn plan_finish_leaves(store: &Store) -> Vec<GcAction> {
    fn of<T: Object>(store: &Store, resource: &'static str, v: &mut Vec<GcAction>) {
        for o in store.list::<T>(None) {
            leaf(o.metadata(), resource, v);
        }
    }
    /// One object's actions (one copy for every kind, issue #17).
    #[inline(never)]
    fn leaf(m: &ObjectMeta, resource: &'static str, v: &mut Vec<GcAction>) {
        if m.deletion_timestamp.is_none() {
            return;
        }
        for finalizer in [ORPHAN_FINALIZER, FOREGROUND_FINALIZER] {
            if has_finalizer(m, finalizer) {
                v.push(GcAction::FinishLeaf {
                    resource,
                    ns: m.namespace.clone().unwrap_or_default(),
                    name: m.name.clone().unwrap_or_default(),
                    finalizer,
                });
            }
        }
    }
    let mut v = Vec::new();
    of::<Service>(store, "services", &mut v);
    of::<PersistentVolumeClaim>(store, "persistentvolumeclaims", &mut v);
    of::<PersistentVolume>(store, "persistentvolumes", &mut v);
    of::<StorageClass>(store, "storageclasses", &mut v);
    of::<ConfigMap>(store, "configmaps", &mut v);
    of::<Secret>(store, "secrets", &mut v);
    of::<ControllerRevision>(store, "controllerrevisions", &mut v);
    of::<PodDisruptionBudget>(store, "poddisruptionbudgets", &mut v);
    v
}

/// Orphan propagation of the Deployments (their ReplicaSets) and ReplicaSets (their pods)
/// being deleted with the orphan finalizer.
fn plan_orphan_workloads(store: &Store) -> Vec<GcAction> {
    let mut v = Vec::new();
    let orphaning =
        |m: &ObjectMeta| m.deletion_timestamp.is_some() && has_finalizer(m, ORPHAN_FINALIZER);
    for d in store
        .list::<Deployment>(None)
        .filter(|d| orphaning(&d.metadata))
    {
        let ns = d.metadata.namespace.clone().unwrap_or_default();
        let uid = d.metadata.uid.clone().unwrap_or_default();
        v.extend(dependents_of::<ReplicaSet>(store, &ns, &uid));
        v.push(GcAction::FinishOrphanOf {
            kind: "Deployment",
            ns,
            name: d.metadata.name.clone().unwrap_or_default(),
        });
    }
    for rs in store
        .list::<ReplicaSet>(None)
        .filter(|r| orphaning(&r.metadata))
    {
        let ns = rs.metadata.namespace.clone().unwrap_or_default();
        let uid = rs.metadata.uid.clone().unwrap_or_default();
        v.extend(dependents_of::<Pod>(store, &ns, &uid));
        v.push(GcAction::FinishOrphanOf {
            kind: "ReplicaSet",
            ns,
            name: rs.metadata.name.clone().unwrap_or_default(),
        });
    }
    v
}

/// Deployments and ReplicaSets in foreground deletion with no blocking dependent left.
fn plan_foreground_workloads(store: &Store) -> Vec<GcAction> {
    let waiting =
        |m: &ObjectMeta| m.deletion_timestamp.is_some() && has_finalizer(m, FOREGROUND_FINALIZER);
    let mut v = Vec::new();
    for d in store
        .list::<Deployment>(None)
        .filter(|d| waiting(&d.metadata))
    {
        let uid = d.metadata.uid.as_deref().unwrap_or("");
        let ns = d.metadata.namespace.as_deref();
        if !store
            .list::<ReplicaSet>(ns)
            .any(|o| blocks(&o.metadata, uid))
        {
            v.push(GcAction::FinishForegroundOf {
                kind: "Deployment",
                ns: d.metadata.namespace.clone().unwrap_or_default(),
                name: d.metadata.name.clone().unwrap_or_default(),
            });
        }
    }
    for rs in store
        .list::<ReplicaSet>(None)
        .filter(|r| waiting(&r.metadata))
    {
        let uid = rs.metadata.uid.as_deref().unwrap_or("");
        let ns = rs.metadata.namespace.as_deref();
        if !store.list::<Pod>(ns).any(|o| blocks(&o.metadata, uid)) {
            v.push(GcAction::FinishForegroundOf {
                kind: "ReplicaSet",
                ns: rs.metadata.namespace.clone().unwrap_or_default(),
                name: rs.metadata.name.clone().unwrap_or_default(),
            });
        }
    }
    v
}

/// A ReplicaSet owned by something waiting for its dependents (foreground deletion) that has
/// pods of its own is deleted in the foreground too (`attemptToDeleteItem`).
fn delete_replica_set(store: &mut Store, ns: &str, name: &str, now: SimTime) -> bool {
    let Some(rs) = store.get::<ReplicaSet>(ns, name).map(k8sjson::copy) else {
        return false;
    };
    let owner_waiting = rs.metadata.owner_references.iter().flatten().any(|r| {
        r.kind == "Deployment"
            && store.get::<Deployment>(ns, &r.name).is_some_and(|d| {
                d.metadata.uid.as_deref() == Some(r.uid.as_str())
                    && d.metadata.deletion_timestamp.is_some()
                    && has_finalizer(&d.metadata, FOREGROUND_FINALIZER)
            })
    });
    let uid = rs.metadata.uid.clone().unwrap_or_default();
    let has_dependents = store.list::<Pod>(Some(ns)).any(|p| {
        p.metadata
            .owner_references
            .iter()
            .flatten()
            .any(|r| r.uid == uid)
    });
    if owner_waiting && has_dependents && !has_finalizer(&rs.metadata, FOREGROUND_FINALIZER) {
        let mut rs = rs;
        rs.metadata
            .finalizers
            .get_or_insert_with(Vec::new)
            .push(FOREGROUND_FINALIZER.into());
        let _ = store.update(ACTOR, rs);
    }
    store
        .delete::<ReplicaSet>(ACTOR, ns, name, None, now)
        .is_ok()
}

/// Orphan propagation for one StatefulSet being deleted with the orphan finalizer: the
/// ownerReference removals (pods, claims, revisions), then the finalizer removal.
pub fn plan_orphan(store: &Store, ns: &str, name: &str) -> Vec<GcAction> {
    let Some(set) = store.get::<StatefulSet>(ns, name) else {
        return Vec::new();
    };
    if set.metadata.deletion_timestamp.is_none() || !has_finalizer(&set.metadata, ORPHAN_FINALIZER)
    {
        return Vec::new();
    }
    let uid = set.metadata.uid.clone().unwrap_or_default();
    let mut v = dependents_of::<Pod>(store, ns, &uid);
    v.extend(dependents_of::<PersistentVolumeClaim>(store, ns, &uid));
    v.extend(dependents_of::<ControllerRevision>(store, ns, &uid));
    v.push(GcAction::FinishOrphan {
        ns: ns.to_string(),
        name: name.to_string(),
    });
    v
}

fn blocks(m: &ObjectMeta, uid: &str) -> bool {
    m.owner_references
        .iter()
        .flatten()
        .any(|r| r.uid == uid && r.block_owner_deletion == Some(true))
}

/// StatefulSets in foreground deletion with no dependent left that blocks their deletion.
pub fn plan_foreground(store: &Store) -> Vec<GcAction> {
    store
        .list::<StatefulSet>(None)
        .filter(|s| {
            s.metadata.deletion_timestamp.is_some()
                && has_finalizer(&s.metadata, FOREGROUND_FINALIZER)
        })
        .filter(|s| {
            let uid = s.metadata.uid.as_deref().unwrap_or("");
            let ns = s.metadata.namespace.as_deref();
            !store.list::<Pod>(ns).any(|o| blocks(&o.metadata, uid))
                && !store
                    .list::<PersistentVolumeClaim>(ns)
                    .any(|o| blocks(&o.metadata, uid))
                && !store
                    .list::<ControllerRevision>(ns)
                    .any(|o| blocks(&o.metadata, uid))
        })
        .map(|s| GcAction::FinishForeground {
            ns: s.metadata.namespace.clone().unwrap_or_default(),
            name: s.metadata.name.clone().unwrap_or_default(),
        })
        .collect()
}

/// An update of the stored object without the finalizer `f` (a copy changed through the
/// kind-erased write path, one copy for every kind; issue #17).
fn strip_finalizer<T: Object>(store: &mut Store, ns: &str, name: &str, f: &str) -> bool {
    let r = store.write_with::<T>(ACTOR, Verb::Update, ns, name, &mut |m| {
        if let Some(fs) = m.finalizers.as_mut() {
            fs.retain(|x| x != f);
        }
        true
    });
    matches!(r, Ok(true))
}

/// A patch of the stored object without its owner reference to `uid` (see
/// [`strip_finalizer`]).
fn orphan_one<T: Object>(store: &mut Store, ns: &str, name: &str, uid: &str) -> bool {
    let r = store.write_with::<T>(ACTOR, Verb::Patch, ns, name, &mut |m| {
        if let Some(refs) = m.owner_references.as_mut() {
            refs.retain(|r| r.uid != uid);
            if refs.is_empty() {
                m.owner_references = None;
            }
        }
        true
    });
    matches!(r, Ok(true))
}

/// Carry out one action (re-checking that its object still exists). Returns whether it acted.
pub fn apply(store: &mut Store, a: &GcAction, now: SimTime) -> bool {
    match a {
        GcAction::Delete { resource, ns, name } => match *resource {
            "pods" => store.delete_pod(ACTOR, ns, name, None, now).is_ok(),
            "persistentvolumeclaims" => store
                .delete::<PersistentVolumeClaim>(ACTOR, ns, name, None, now)
                .is_ok(),
            "controllerrevisions" => store
                .delete::<ControllerRevision>(ACTOR, ns, name, None, now)
                .is_ok(),
            "replicasets" => delete_replica_set(store, ns, name, now),
            _ => false,
        },
        GcAction::Orphan {
            resource,
            ns,
            name,
            owner_uid,
        } => match *resource {
            "pods" => orphan_one::<Pod>(store, ns, name, owner_uid),
            "persistentvolumeclaims" => {
                orphan_one::<PersistentVolumeClaim>(store, ns, name, owner_uid)
            }
            "controllerrevisions" => orphan_one::<ControllerRevision>(store, ns, name, owner_uid),
            "replicasets" => orphan_one::<ReplicaSet>(store, ns, name, owner_uid),
            _ => false,
        },
        GcAction::FinishOrphan { ns, name } => {
            strip_finalizer::<StatefulSet>(store, ns, name, ORPHAN_FINALIZER)
        }
        GcAction::FinishForeground { ns, name } => {
            strip_finalizer::<StatefulSet>(store, ns, name, FOREGROUND_FINALIZER)
        }
        GcAction::FinishOrphanOf { kind, ns, name } => match *kind {
            "Deployment" => strip_finalizer::<Deployment>(store, ns, name, ORPHAN_FINALIZER),
            _ => strip_finalizer::<ReplicaSet>(store, ns, name, ORPHAN_FINALIZER),
        },
        GcAction::FinishForegroundOf { kind, ns, name } => match *kind {
            "Deployment" => strip_finalizer::<Deployment>(store, ns, name, FOREGROUND_FINALIZER),
            _ => strip_finalizer::<ReplicaSet>(store, ns, name, FOREGROUND_FINALIZER),
        },
        GcAction::FinishLeaf {
            resource,
            ns,
            name,
            finalizer,
        } => match *resource {
            "services" => strip_finalizer::<Service>(store, ns, name, finalizer),
            "persistentvolumeclaims" => {
                strip_finalizer::<PersistentVolumeClaim>(store, ns, name, finalizer)
            }
            "persistentvolumes" => strip_finalizer::<PersistentVolume>(store, ns, name, finalizer),
            "storageclasses" => strip_finalizer::<StorageClass>(store, ns, name, finalizer),
            "configmaps" => strip_finalizer::<ConfigMap>(store, ns, name, finalizer),
            "secrets" => strip_finalizer::<Secret>(store, ns, name, finalizer),
            "controllerrevisions" => {
                strip_finalizer::<ControllerRevision>(store, ns, name, finalizer)
            }
            "poddisruptionbudgets" => {
                strip_finalizer::<PodDisruptionBudget>(store, ns, name, finalizer)
            }
            _ => false,
        },
    }
}

/// One garbage-collector pass: orphan propagation of every StatefulSet being deleted with the
/// orphan finalizer, deletion of dependents whose owners are gone, then removal of
/// StatefulSets whose foreground deletion is complete. Returns the notes of what it did.
/// Carry out `actions` in order, noting each that acted (one copy for every plan).
#[inline(never)]
fn apply_all(store: &mut Store, actions: Vec<GcAction>, now: SimTime, notes: &mut Vec<String>) {
    for a in actions {
        if apply(store, &a, now) {
            notes.push(a.note());
        }
    }
}

pub fn pass(store: &mut Store, now: SimTime) -> Vec<String> {
    let mut notes = Vec::new();
    let orphaning: Vec<(String, String)> = store
        .list::<StatefulSet>(None)
        .filter(|s| {
            s.metadata.deletion_timestamp.is_some() && has_finalizer(&s.metadata, ORPHAN_FINALIZER)
        })
        .map(|s| {
            (
                s.metadata.namespace.clone().unwrap_or_default(),
                s.metadata.name.clone().unwrap_or_default(),
            )
        })
        .collect();
    for (ns, name) in orphaning {
        let actions = plan_orphan(store, &ns, &name);
        apply_all(store, actions, now, &mut notes);
    }
    let actions = plan_orphan_workloads(store);
    apply_all(store, actions, now, &mut notes);
    let actions = plan_deletes(store);
    apply_all(store, actions, now, &mut notes);
    let actions = plan_foreground(store);
    apply_all(store, actions, now, &mut notes);
    let actions = plan_foreground_workloads(store);
    apply_all(store, actions, now, &mut notes);
    let actions = plan_finish_leaves(store);
    apply_all(store, actions, now, &mut notes);
    notes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ControllerConfig;
    use crate::controller::run_until_idle;
    use crate::replay::{SetSettings, build_statefulset};

    fn cluster(replicas: i32) -> Store {
        let cfg = ControllerConfig::default();
        let settings = SetSettings {
            replicas: Some(replicas),
            pod_management_policy: Some("Parallel".into()),
            claim_templates: Some(vec!["data".into()]),
            ..Default::default()
        };
        let mut store = Store::new();
        store.pods_always_scheduled = true;
        store
            .create(
                Actor::User,
                build_statefulset(&settings, &cfg.gates).unwrap(),
                0,
            )
            .unwrap();
        run_until_idle(&mut store, 0, &cfg);
        store
    }

    #[test]
    fn background_delete_then_pass_deletes_pods_and_revisions_not_retained_claims() {
        let mut store = cluster(2);
        store
            .delete::<StatefulSet>(Actor::User, "default", "web", None, 1000)
            .unwrap();
        let notes = pass(&mut store, 1000);
        let rev = notes_revision_name(&notes);
        assert!(rev.starts_with("web-"), "{notes:?}");
        assert_eq!(
            notes,
            vec![
                "gc: delete pods/web-0".to_string(),
                "gc: delete pods/web-1".to_string(),
                format!("gc: delete controllerrevisions/{rev}"),
            ]
        );
        // Pods terminate gracefully; the claims (Retain) have no owner and stay.
        assert!(
            store
                .get::<Pod>("default", "web-0")
                .unwrap()
                .metadata
                .deletion_timestamp
                .is_some()
        );
        assert_eq!(store.list::<PersistentVolumeClaim>(None).count(), 2);
        assert_eq!(store.list::<ControllerRevision>(None).count(), 0);
    }

    fn notes_revision_name(notes: &[String]) -> String {
        notes
            .iter()
            .find_map(|n| n.strip_prefix("gc: delete controllerrevisions/"))
            .unwrap_or("")
            .to_string()
    }

    /// `kubectl delete -f web.yaml --cascade=orphan` (the "Delete a StatefulSet" task) also
    /// deletes the file's Service with the orphan finalizer: the collector removes it and the
    /// Service goes (it stayed Terminating for ever); the same for foreground deletion and a
    /// claim, whose pvc-protection finalizer stays.
    #[test]
    fn a_service_or_claim_deleted_with_a_gc_finalizer_goes() {
        for f in [ORPHAN_FINALIZER, FOREGROUND_FINALIZER] {
            let mut store = cluster(1);
            let svc = Service {
                metadata: ObjectMeta {
                    name: Some("nginx".into()),
                    namespace: Some("default".into()),
                    finalizers: Some(vec![f.into()]),
                    ..Default::default()
                },
                ..Default::default()
            };
            store.create(Actor::User, svc, 0).unwrap();
            store
                .delete::<Service>(Actor::User, "default", "nginx", None, 1000)
                .unwrap();
            let claim = "data-web-0";
            let mut c = store
                .get::<PersistentVolumeClaim>("default", claim)
                .unwrap()
                .clone();
            c.metadata.finalizers = Some(vec![
                "kubernetes.io/pvc-protection".to_string(),
                f.to_string(),
            ]);
            store.update(Actor::User, c).unwrap();
            store
                .delete::<PersistentVolumeClaim>(Actor::User, "default", claim, None, 1000)
                .unwrap();
            let notes = pass(&mut store, 1000);
            assert!(
                notes.contains(&format!("gc: removed services/nginx ({f} finalizer done)")),
                "{notes:?}"
            );
            assert!(store.get::<Service>("default", "nginx").is_none());
            let c = store
                .get::<PersistentVolumeClaim>("default", claim)
                .unwrap();
            assert_eq!(
                c.metadata.finalizers.as_deref(),
                Some(&["kubernetes.io/pvc-protection".to_string()][..])
            );
        }
    }

    #[test]
    fn orphan_and_foreground_propagation() {
        let mut store = cluster(1);
        let mut set = store.get::<StatefulSet>("default", "web").unwrap().clone();
        set.metadata.finalizers = Some(vec![ORPHAN_FINALIZER.into()]);
        store.update(Actor::User, set).unwrap();
        store
            .delete::<StatefulSet>(Actor::User, "default", "web", None, 1000)
            .unwrap();
        let notes = pass(&mut store, 1000);
        assert_eq!(
            notes.first().map(String::as_str),
            Some("gc: orphan pods/web-0")
        );
        assert_eq!(
            notes.last().map(String::as_str),
            Some("gc: removed StatefulSet web (orphan finalizer done)")
        );
        assert!(store.get::<StatefulSet>("default", "web").is_none());
        let pod = store.get::<Pod>("default", "web-0").unwrap();
        assert!(pod.metadata.owner_references.is_none());
        assert!(pod.metadata.deletion_timestamp.is_none());

        let mut store = cluster(1);
        let mut set = store.get::<StatefulSet>("default", "web").unwrap().clone();
        set.metadata.finalizers = Some(vec![FOREGROUND_FINALIZER.into()]);
        store.update(Actor::User, set).unwrap();
        store
            .delete::<StatefulSet>(Actor::User, "default", "web", None, 1000)
            .unwrap();
        let notes = pass(&mut store, 1000);
        // The pod blocks the owner's deletion until it is gone.
        assert!(
            notes.contains(&"gc: delete pods/web-0".to_string()),
            "{notes:?}"
        );
        assert!(store.get::<StatefulSet>("default", "web").is_some());
        store.remove::<Pod>(Actor::Kubelet, "default", "web-0");
        let notes = pass(&mut store, 31_000);
        assert_eq!(
            notes,
            vec!["gc: removed StatefulSet web (foreground deletion complete)".to_string()]
        );
        assert!(store.get::<StatefulSet>("default", "web").is_none());
    }
}

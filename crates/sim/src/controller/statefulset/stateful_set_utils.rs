//! `stateful_set_utils.go`: the StatefulSet controller's naming (pods `<set>-<ordinal>`,
//! claims `<template>-<set>-<ordinal>`), ordinal ranges, pod predicates (`isCreated`,
//! `isRunningAndReady`, `isHealthy`, …), identity and storage of a pod (`identityMatches`,
//! `storageMatches`, `updateIdentity`, `updateStorage`), new pods from a revision
//! (`newVersionedStatefulSetPod`), revisions (`newRevision`, `ApplyRevision`) and the claims'
//! ownerReferences for the retention policy.

use std::sync::Arc;

use k8s_openapi::api::apps::v1::{ControllerRevision, StatefulSet};
use k8s_openapi::api::core::v1::{
    PersistentVolumeClaim, PersistentVolumeClaimVolumeSource, Pod, PodTemplateSpec, Volume,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta, OwnerReference};

use crate::config::ControllerConfig;
use crate::controller::meta::*;
use crate::controller::podutil::*;
use crate::time::SimTime;

use crate::ordinal::is_ordinal_name;
pub use crate::ordinal::{parent_and_ordinal, split_ordinal};

/// We bound the replicas we act on (the sim must not be driven into unbounded work).
pub const MAX_REPLICAS: i64 = 100_000;

pub const POD_NAME_LABEL: &str = "statefulset.kubernetes.io/pod-name";
pub const POD_INDEX_LABEL: &str = "apps.kubernetes.io/pod-index";
pub const REVISION_LABEL: &str = "controller-revision-hash";
pub const HISTORY_HASH_LABEL: &str = "controller.kubernetes.io/hash";

pub fn ordinal_of(pod: &Pod) -> i64 {
    split_ordinal(pod.metadata.name.as_deref().unwrap_or("")).1
}

pub fn set_name(set: &StatefulSet) -> &str {
    set.metadata.name.as_deref().unwrap_or("")
}

pub fn set_ns(set: &StatefulSet) -> &str {
    set.metadata.namespace.as_deref().unwrap_or("default")
}

pub fn set_uid(set: &StatefulSet) -> &str {
    set.metadata.uid.as_deref().unwrap_or("")
}

pub fn pod_name(set: &StatefulSet, ordinal: i64) -> String {
    format!("{}-{}", set_name(set), ordinal)
}

pub fn claim_name(template_name: &str, set: &StatefulSet, ordinal: i64) -> String {
    format!("{}-{}-{}", template_name, set_name(set), ordinal)
}

pub fn replicas(set: &StatefulSet) -> i64 {
    i64::from(
        set.spec
            .as_ref()
            .and_then(|s| s.replicas)
            .unwrap_or(1)
            .max(0),
    )
}

pub fn min_ready_seconds(set: &StatefulSet) -> i64 {
    i64::from(
        set.spec
            .as_ref()
            .and_then(|s| s.min_ready_seconds)
            .unwrap_or(0)
            .max(0),
    )
}

/// `getStartOrdinal` (StatefulSetStartOrdinal gate).
pub fn start_ordinal(set: &StatefulSet, gate: bool) -> i64 {
    if !gate {
        return 0;
    }
    set.spec
        .as_ref()
        .and_then(|s| s.ordinals.as_ref())
        .and_then(|o| o.start)
        .map(i64::from)
        .unwrap_or(0)
}

pub fn end_ordinal(set: &StatefulSet, gate: bool) -> i64 {
    start_ordinal(set, gate) + replicas(set) - 1
}

pub fn in_ordinal_range(pod: &Pod, set: &StatefulSet, gate: bool) -> bool {
    let o = ordinal_of(pod);
    o >= start_ordinal(set, gate) && o <= end_ordinal(set, gate)
}

pub fn is_member_of(set: &StatefulSet, pod: &Pod) -> bool {
    split_ordinal(pod.metadata.name.as_deref().unwrap_or("")).0 == set_name(set)
}

pub fn is_created(pod: &Pod) -> bool {
    !phase(pod).is_empty()
}

pub fn is_pending(pod: &Pod) -> bool {
    phase(pod) == "Pending"
}

pub fn is_failed(pod: &Pod) -> bool {
    phase(pod) == "Failed"
}

pub fn is_succeeded(pod: &Pod) -> bool {
    phase(pod) == "Succeeded"
}

pub fn is_terminating(pod: &Pod) -> bool {
    pod.metadata.deletion_timestamp.is_some()
}

/// `isRunningAndReady`: phase Running and condition Ready=True.
pub fn is_running_and_ready(pod: &Pod) -> bool {
    phase(pod) == "Running" && is_pod_ready(pod)
}

/// v1.28 `isHealthy`: Running, Ready and not terminating.
pub fn is_healthy(pod: &Pod) -> bool {
    is_running_and_ready(pod) && !is_terminating(pod)
}

/// Recent `isUnavailable`: not available or terminating.
pub fn is_unavailable(pod: &Pod, min_ready_seconds: i64, now: SimTime) -> bool {
    !is_available(pod, min_ready_seconds, now) || is_terminating(pod)
}

/// v1.28 `!isHealthy`, v1.35 `isUnavailable`: the pod counts against the rolling update
/// (and, in v1.35, against `maxUnavailable`). The sync reads the same rule from a pod's
/// remembered facts (`memo::Lite::unhealthy`).
pub fn is_unhealthy(pod: &Pod, v128: bool, min_ready_seconds: i64, now: SimTime) -> bool {
    if v128 {
        !is_healthy(pod)
    } else {
        is_unavailable(pod, min_ready_seconds, now)
    }
}

/// `allowsBurst`: `podManagementPolicy: Parallel` (pods are created and deleted without
/// waiting for each other); OrderedReady otherwise.
pub fn allows_burst(set: &StatefulSet) -> bool {
    set.spec
        .as_ref()
        .and_then(|s| s.pod_management_policy.as_deref())
        == Some("Parallel")
}

/// `updateStrategy.type: OnDelete`: the controller never deletes a pod to update it.
pub fn is_on_delete(set: &StatefulSet) -> bool {
    set.spec
        .as_ref()
        .and_then(|s| s.update_strategy.as_ref())
        .and_then(|s| s.type_.as_deref())
        == Some("OnDelete")
}

/// `updateStrategy.rollingUpdate.partition` (0 when unset): ordinals below it keep the current
/// revision.
pub fn partition(set: &StatefulSet) -> i64 {
    set.spec
        .as_ref()
        .and_then(|s| s.update_strategy.as_ref())
        .and_then(|s| s.rolling_update.as_ref())
        .and_then(|r| r.partition)
        .map(i64::from)
        .unwrap_or(0)
}

/// Whether a claim still belongs to an earlier pod named `pod` (`PodClaimIsStale`'s test): v1.28
/// `hasStaleOwnerRef` (any reference with that name and another uid), recent sources the first
/// Pod reference with that name carrying another uid. A pod that does not exist yet has no uid
/// (`""`): any such reference is stale.
pub fn claim_is_stale(claim: &ObjectMeta, pod: &str, pod_uid: &str, v128: bool) -> bool {
    if v128 {
        has_stale_owner_ref(claim, pod, pod_uid)
    } else {
        recent::has_stale_ref(claim, "v1", "Pod", pod, pod_uid)
    }
}

pub fn pod_revision(pod: &Pod) -> &str {
    pod.metadata
        .labels
        .as_ref()
        .and_then(|l| l.get(REVISION_LABEL))
        .map(String::as_str)
        .unwrap_or("")
}

/// `metav1.NewControllerRef` for a StatefulSet.
pub fn controller_ref(set: &StatefulSet) -> OwnerReference {
    OwnerReference {
        api_version: "apps/v1".into(),
        kind: "StatefulSet".into(),
        name: set_name(set).to_string(),
        uid: set_uid(set).to_string(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }
}

pub fn set_selector(set: &StatefulSet) -> Option<&LabelSelector> {
    set.spec.as_ref().map(|s| &s.selector)
}

/// v1.28 `hasStaleOwnerRef`: a reference with the owner's name but another uid.
pub fn has_stale_owner_ref(target: &ObjectMeta, owner_name: &str, owner_uid: &str) -> bool {
    target
        .owner_references
        .iter()
        .flatten()
        .any(|r| r.name == owner_name && r.uid != owner_uid)
}

pub fn claim_templates(set: &StatefulSet) -> &[PersistentVolumeClaim] {
    set.spec
        .as_ref()
        .and_then(|s| s.volume_claim_templates.as_deref())
        .unwrap_or(&[])
}

/// `(whenScaled, whenDeleted)`, each `Retain` or `Delete` (unknown values act as Retain).
pub fn retention_policy(set: &StatefulSet) -> (bool, bool) {
    let p = set
        .spec
        .as_ref()
        .and_then(|s| s.persistent_volume_claim_retention_policy.as_ref());
    let scaled = p.and_then(|p| p.when_scaled.as_deref()) == Some("Delete");
    let deleted = p.and_then(|p| p.when_deleted.as_deref()) == Some("Delete");
    (scaled, deleted)
}

/// A shared copy of a stored ControllerRevision (see `Store::revision_snapshot`).
pub(super) type Rev = Arc<ControllerRevision>;

/// The template stored in a revision (`ApplyRevision`).
pub(super) fn revision_template(r: &ControllerRevision) -> std::rc::Rc<PodTemplateSpec> {
    match r.data.as_ref() {
        Some(d) => super::revision_cache::data_template(&d.0),
        None => std::rc::Rc::new(PodTemplateSpec::default()),
    }
}

/// `getPersistentVolumeClaims`: the claims of one ordinal, in template order.
pub(super) fn claims_for(set: &StatefulSet, ordinal: i64) -> Vec<PersistentVolumeClaim> {
    let match_labels = set_selector(set)
        .and_then(|s| s.match_labels.clone())
        .unwrap_or_default();
    claim_templates(set)
        .iter()
        .map(|t| {
            let mut c = k8sjson::copy(t);
            let tname = t.metadata.name.clone().unwrap_or_default();
            c.metadata.name = Some(claim_name(&tname, set, ordinal));
            c.metadata.namespace = Some(set_ns(set).to_string());
            let labels = c.metadata.labels.get_or_insert_with(Default::default);
            for (k, v) in &match_labels {
                labels.insert(k.clone(), v.clone());
            }
            c
        })
        .collect()
}

/// `updateIdentity`.
pub(super) fn update_identity(set: &StatefulSet, pod: &mut Pod, cfg: &ControllerConfig) {
    let ord = ordinal_of(pod);
    let name = pod_name(set, ord);
    pod.metadata.name = Some(name.clone());
    pod.metadata.namespace = Some(set_ns(set).to_string());
    let labels = pod.metadata.labels.get_or_insert_with(Default::default);
    labels.insert(POD_NAME_LABEL.to_string(), name);
    // PodIndexLabel: beta (on) from v1.28, GA in v1.32.
    let _ = cfg;
    labels.insert(POD_INDEX_LABEL.to_string(), ord.to_string());
}

/// `updateStorage`: claim volumes first (template order), then the template's other volumes.
pub(super) fn update_storage(set: &StatefulSet, pod: &mut Pod) {
    let ord = ordinal_of(pod);
    let templates = claim_templates(set);
    let spec = pod.spec.get_or_insert_with(Default::default);
    let current = spec.volumes.take().unwrap_or_default();
    let mut vols: Vec<Volume> = Vec::new();
    for t in templates {
        let tname = t.metadata.name.clone().unwrap_or_default();
        vols.push(Volume {
            name: tname.clone(),
            persistent_volume_claim: Some(PersistentVolumeClaimVolumeSource {
                claim_name: claim_name(&tname, set, ord),
                read_only: None,
            }),
            ..Default::default()
        });
    }
    for v in current {
        if !templates
            .iter()
            .any(|t| t.metadata.name.as_deref() == Some(v.name.as_str()))
        {
            vols.push(v);
        }
    }
    spec.volumes = if vols.is_empty() { None } else { Some(vols) };
}

pub(super) fn identity_matches(set: &StatefulSet, pod: &Pod) -> bool {
    // `name == podName(set, ordinal)` without formatting: the parent is the set's name and the
    // digits are the canonical spelling of the ordinal (no leading zeros).
    let name = pod.metadata.name.as_deref().unwrap_or("");
    let (parent, ord) = split_ordinal(name);
    ord >= 0
        && parent == set_name(set)
        && is_ordinal_name(name, parent, ord)
        && pod.metadata.namespace.as_deref().unwrap_or("default") == set_ns(set)
        && pod
            .metadata
            .labels
            .as_ref()
            .and_then(|l| l.get(POD_NAME_LABEL))
            == pod.metadata.name.as_ref()
}

pub(super) fn storage_matches(set: &StatefulSet, pod: &Pod) -> bool {
    let ord = ordinal_of(pod);
    if ord < 0 {
        return false;
    }
    let vols = pod.spec.as_ref().and_then(|s| s.volumes.as_ref());
    claim_templates(set).iter().all(|t| {
        let tname = t.metadata.name.as_deref().unwrap_or("");
        vols.and_then(|vs| vs.iter().find(|v| v.name == tname))
            .and_then(|v| v.persistent_volume_claim.as_ref())
            .is_some_and(|c| is_claim_name(&c.claim_name, tname, set_name(set), ord))
    })
}

/// `name == claim_name(template, set, ord)` without formatting.
pub(super) fn is_claim_name(name: &str, template: &str, set: &str, ord: i64) -> bool {
    name.strip_prefix(template)
        .and_then(|r| r.strip_prefix('-'))
        .is_some_and(|r| is_ordinal_name(r, set, ord))
}

/// `newStatefulSetPod`: a pod from a template (`controller.GetPodFromTemplate`), named and
/// stamped for one ordinal.
pub(super) fn new_pod(
    set: &StatefulSet,
    template: &PodTemplateSpec,
    ordinal: i64,
    cfg: &ControllerConfig,
) -> Pod {
    let tm = k8sjson::copy(&template.metadata).unwrap_or_default();
    let mut pod = Pod {
        metadata: ObjectMeta {
            name: Some(pod_name(set, ordinal)),
            generate_name: Some(format!("{}-", set_name(set))),
            namespace: Some(set_ns(set).to_string()),
            labels: tm.labels.clone(),
            annotations: tm.annotations.clone(),
            finalizers: tm.finalizers.clone(),
            owner_references: Some(vec![controller_ref(set)]),
            ..Default::default()
        },
        spec: k8sjson::copy(&template.spec),
        status: None,
    };
    update_identity(set, &mut pod, cfg);
    let spec = pod.spec.get_or_insert_with(Default::default);
    spec.hostname = Some(pod_name(set, ordinal));
    spec.subdomain = set
        .spec
        .as_ref()
        .and_then(|s| s.service_name.clone())
        .filter(|s| !s.is_empty());
    update_storage(set, &mut pod);
    pod
}

/// The templates of the current and update revisions, parsed at most once per sync and only
/// when a pod is built (`ApplyRevision`).
pub(super) struct Templates<'a> {
    pub(super) current: &'a ControllerRevision,
    pub(super) update: &'a ControllerRevision,
    pub(super) current_t: std::cell::OnceCell<std::rc::Rc<PodTemplateSpec>>,
    pub(super) update_t: std::cell::OnceCell<std::rc::Rc<PodTemplateSpec>>,
}

impl<'a> Templates<'a> {
    pub(super) fn new(current: &'a ControllerRevision, update: &'a ControllerRevision) -> Self {
        Templates {
            current,
            update,
            current_t: std::cell::OnceCell::new(),
            update_t: std::cell::OnceCell::new(),
        }
    }

    pub(super) fn current_template(&self) -> &PodTemplateSpec {
        self.current_t
            .get_or_init(|| revision_template(self.current))
    }

    pub(super) fn update_template(&self) -> &PodTemplateSpec {
        self.update_t.get_or_init(|| revision_template(self.update))
    }
}

/// Whether `newVersionedStatefulSetPod` takes the current revision for an ordinal: below the
/// partition under RollingUpdate (or below `status.currentReplicas` without a rollingUpdate
/// block); otherwise the update revision.
pub(super) fn uses_current_revision(
    set: &StatefulSet,
    ordinal: i64,
    cfg: &ControllerConfig,
) -> bool {
    let start = start_ordinal(set, cfg.gates.statefulset_start_ordinal);
    let strategy = set.spec.as_ref().and_then(|s| s.update_strategy.as_ref());
    let rolling = strategy
        .and_then(|s| s.type_.as_deref())
        .unwrap_or("RollingUpdate")
        == "RollingUpdate";
    let ru = strategy.and_then(|s| s.rolling_update.as_ref());
    let current_replicas = i64::from(
        set.status
            .as_ref()
            .and_then(|s| s.current_replicas)
            .unwrap_or(0),
    );
    // Go: `rolling && (ru == nil && ord < start+currentReplicas) || (ru != nil && ord < start+partition)`.
    (rolling && ru.is_none() && ordinal < start + current_replicas)
        || ru.is_some_and(|ru| ordinal < start + i64::from(ru.partition.unwrap_or(0)))
}

/// `newVersionedStatefulSetPod`.
pub(super) fn new_versioned_pod(
    set: &StatefulSet,
    t: &Templates<'_>,
    ordinal: i64,
    cfg: &ControllerConfig,
) -> Pod {
    let (rev, template) = if uses_current_revision(set, ordinal, cfg) {
        (t.current, t.current_template())
    } else {
        (t.update, t.update_template())
    };
    let mut pod = new_pod(set, template, ordinal, cfg);
    pod.metadata
        .labels
        .get_or_insert_with(Default::default)
        .insert(
            REVISION_LABEL.to_string(),
            rev.metadata.name.clone().unwrap_or_default(),
        );
    pod
}

/// The in-memory stand-in for a pod that does not exist yet: only what the sync reads of it
/// before it creates it (name, revision label, no phase). `process_replica` builds the full pod
/// (`new_versioned_pod`) when it creates it; building all of them up front would cost a
/// template copy per missing ordinal on every sync.
pub(super) fn placeholder_pod(
    set: &StatefulSet,
    t: &Templates<'_>,
    ordinal: i64,
    cfg: &ControllerConfig,
) -> Pod {
    let rev = if uses_current_revision(set, ordinal, cfg) {
        t.current
    } else {
        t.update
    };
    let mut labels = std::collections::BTreeMap::new();
    labels.insert(
        REVISION_LABEL.to_string(),
        rev.metadata.name.clone().unwrap_or_default(),
    );
    Pod {
        metadata: ObjectMeta {
            name: Some(pod_name(set, ordinal)),
            namespace: Some(set_ns(set).to_string()),
            labels: Some(labels),
            ..Default::default()
        },
        spec: None,
        status: None,
    }
}

pub(super) fn set_kind_ref(set: &StatefulSet) -> OwnerReference {
    OwnerReference {
        api_version: "apps/v1".into(),
        kind: "StatefulSet".into(),
        name: set_name(set).to_string(),
        uid: set_uid(set).to_string(),
        controller: None,
        block_owner_deletion: None,
    }
}

pub(super) fn pod_kind_ref(pod: &Pod) -> OwnerReference {
    OwnerReference {
        api_version: "v1".into(),
        kind: "Pod".into(),
        name: pod.metadata.name.clone().unwrap_or_default(),
        uid: pod.metadata.uid.clone().unwrap_or_default(),
        controller: None,
        block_owner_deletion: None,
    }
}

/// `isClaimOwnerUpToDate` (v1.28).
pub(super) fn claim_owner_up_to_date(
    set: &StatefulSet,
    claim: &PersistentVolumeClaim,
    pod: &Pod,
    gate: bool,
) -> bool {
    let (scaled_delete, deleted_delete) = retention_policy(set);
    let set_ref = has_owner_ref(&claim.metadata, set_uid(set));
    let pod_uid = pod.metadata.uid.as_deref().unwrap_or("");
    let pod_ref = has_owner_ref(&claim.metadata, pod_uid);
    let scaled_down = !in_ordinal_range(pod, set, gate);
    match (scaled_delete, deleted_delete) {
        (false, false) => !(set_ref || pod_ref),
        (false, true) => set_ref && !pod_ref,
        (true, false) => !set_ref && scaled_down == pod_ref,
        (true, true) => scaled_down != set_ref && scaled_down == pod_ref,
    }
}

/// `updateClaimOwnerRefForSetAndPod` (v1.28): returns whether the claim changed.
pub(super) fn update_claim_owner_refs(
    set: &StatefulSet,
    claim: &mut PersistentVolumeClaim,
    pod: &Pod,
    gate: bool,
) -> bool {
    let (scaled_delete, deleted_delete) = retention_policy(set);
    let scaled_down = !in_ordinal_range(pod, set, gate);
    let set_uid = set_uid(set).to_string();
    let pod_uid = pod.metadata.uid.clone().unwrap_or_default();
    let mut changed = false;
    let remove = |claim: &mut PersistentVolumeClaim, uid: &str| -> bool {
        let Some(refs) = claim.metadata.owner_references.as_mut() else {
            return false;
        };
        let before = refs.len();
        refs.retain(|r| r.uid != uid);
        let removed = refs.len() != before;
        if refs.is_empty() {
            claim.metadata.owner_references = None;
        }
        removed
    };
    let add = |claim: &mut PersistentVolumeClaim, r: OwnerReference| -> bool {
        if has_owner_ref(&claim.metadata, &r.uid) {
            return false;
        }
        claim
            .metadata
            .owner_references
            .get_or_insert_with(Vec::new)
            .push(r);
        true
    };
    match (scaled_delete, deleted_delete) {
        (false, false) => {
            changed |= remove(claim, &set_uid);
            changed |= remove(claim, &pod_uid);
        }
        (false, true) => {
            changed |= add(claim, set_kind_ref(set));
            changed |= remove(claim, &pod_uid);
        }
        (true, false) => {
            changed |= remove(claim, &set_uid);
            if scaled_down {
                changed |= add(claim, pod_kind_ref(pod));
            } else {
                changed |= remove(claim, &pod_uid);
            }
        }
        (true, true) => {
            if scaled_down {
                changed |= remove(claim, &set_uid);
                changed |= add(claim, pod_kind_ref(pod));
            } else {
                changed |= add(claim, set_kind_ref(set));
                changed |= remove(claim, &pod_uid);
            }
        }
    }
    changed
}

/// The recent (v1.31+) claim-ownership rules of `stateful_set_utils.go`: references are
/// matched by apiVersion/kind/name, the set's and pod's references are controller references
/// (`metav1.NewControllerRef`), stale or foreign controllers leave the claim alone
/// (`hasStaleOwnerRef`, `hasUnexpectedController`, `hasNonControllerOwner`,
/// `isClaimOwnerUpToDate`, `updateClaimOwnerRefForSetAndPod`).
pub(super) mod recent {
    use super::*;

    fn matches(r: &OwnerReference, api_version: &str, kind: &str, name: &str) -> bool {
        r.api_version == api_version && r.kind == kind && r.name == name
    }

    /// The first reference to the object (by GVK and name) carries another uid.
    pub(in crate::controller::statefulset) fn has_stale_ref(
        meta: &ObjectMeta,
        api_version: &str,
        kind: &str,
        name: &str,
        uid: &str,
    ) -> bool {
        meta.owner_references
            .iter()
            .flatten()
            .find(|r| matches(r, api_version, kind, name))
            .is_some_and(|r| r.uid != uid)
    }

    fn pod_name_uid(pod: &Pod) -> (&str, &str) {
        (
            pod.metadata.name.as_deref().unwrap_or(""),
            pod.metadata.uid.as_deref().unwrap_or(""),
        )
    }

    pub(in crate::controller::statefulset) fn has_unexpected_controller(
        claim: &PersistentVolumeClaim,
        set: &StatefulSet,
        pod: &Pod,
    ) -> bool {
        let (scaled_delete, deleted_delete) = retention_policy(set);
        if !scaled_delete && !deleted_delete {
            return false;
        }
        let (pname, puid) = pod_name_uid(pod);
        for r in claim.metadata.owner_references.iter().flatten() {
            if matches(r, "apps/v1", "StatefulSet", set_name(set)) {
                if r.uid != set_uid(set) {
                    return true;
                }
                continue;
            }
            if matches(r, "v1", "Pod", pname) {
                if r.uid != puid {
                    return true;
                }
                continue;
            }
            if r.controller == Some(true) {
                return true;
            }
        }
        false
    }

    fn has_non_controller_owner(
        claim: &PersistentVolumeClaim,
        set: &StatefulSet,
        pod: &Pod,
    ) -> bool {
        let (_, puid) = pod_name_uid(pod);
        claim
            .metadata
            .owner_references
            .iter()
            .flatten()
            .any(|r| (r.uid == set_uid(set) || r.uid == puid) && r.controller != Some(true))
    }

    pub(in crate::controller::statefulset) fn claim_owner_up_to_date(
        set: &StatefulSet,
        claim: &PersistentVolumeClaim,
        pod: &Pod,
        gate: bool,
    ) -> bool {
        let (pname, puid) = pod_name_uid(pod);
        if has_stale_ref(
            &claim.metadata,
            "apps/v1",
            "StatefulSet",
            set_name(set),
            set_uid(set),
        ) || has_stale_ref(&claim.metadata, "v1", "Pod", pname, puid)
        {
            return true;
        }
        let set_ref = has_owner_ref(&claim.metadata, set_uid(set));
        let pod_ref = has_owner_ref(&claim.metadata, puid);
        if has_unexpected_controller(claim, set, pod) {
            return !(set_ref || pod_ref);
        }
        if has_non_controller_owner(claim, set, pod) {
            return false;
        }
        super::claim_owner_up_to_date(set, claim, pod, gate)
    }

    pub(in crate::controller::statefulset) fn update_claim_owner_refs(
        set: &StatefulSet,
        claim: &mut PersistentVolumeClaim,
        pod: &Pod,
        gate: bool,
    ) {
        let unexpected = has_unexpected_controller(claim, set, pod);
        let (pname, _) = pod_name_uid(pod);
        let mut refs: Vec<OwnerReference> = claim
            .metadata
            .owner_references
            .take()
            .unwrap_or_default()
            .into_iter()
            .filter(|r| {
                !matches(r, "apps/v1", "StatefulSet", set_name(set))
                    && !matches(r, "v1", "Pod", pname)
            })
            .collect();
        if !unexpected {
            let (scaled_delete, deleted_delete) = retention_policy(set);
            let scaled_down = !in_ordinal_range(pod, set, gate);
            let add = |refs: &mut Vec<OwnerReference>, mut r: OwnerReference| {
                if refs.iter().any(|x| x.uid == r.uid) {
                    return;
                }
                r.controller = Some(true);
                r.block_owner_deletion = Some(true);
                refs.push(r);
            };
            match (scaled_delete, deleted_delete) {
                (false, false) => {}
                (false, true) => add(&mut refs, set_kind_ref(set)),
                (true, false) => {
                    if scaled_down {
                        add(&mut refs, pod_kind_ref(pod));
                    }
                }
                (true, true) => {
                    if scaled_down {
                        add(&mut refs, pod_kind_ref(pod));
                    } else {
                        add(&mut refs, set_kind_ref(set));
                    }
                }
            }
        }
        claim.metadata.owner_references = if refs.is_empty() { None } else { Some(refs) };
    }
}

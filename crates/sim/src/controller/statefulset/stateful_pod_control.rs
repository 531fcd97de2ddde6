//! `stateful_pod_control.go`: the StatefulSet controller's API calls for pods and claims
//! (`CreateStatefulPod`, `UpdateStatefulPod`, `DeleteStatefulPod`,
//! `createPersistentVolumeClaims`, the claims' retention policy: `ClaimsMatchRetentionPolicy`,
//! `UpdatePodClaimForRetentionPolicy`, `PodClaimIsStale`), the events they record
//! (`recordPodEvent`), and [`Ctx`], what a sync writes through (the store, the clock, the
//! configuration, the memo epoch).

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::{PersistentVolumeClaim, Pod};

use super::stateful_set_utils::*;
use crate::config::{ControllerConfig, K8sVersion};
use crate::events::{self, EventType};
use crate::store::{Actor, ApiError, Store};
use crate::time::SimTime;

pub(super) const ACTOR: Actor = Actor::StatefulSetController;

/// One sync error; the `Display` text is what upstream's error says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncError(pub String);

impl std::fmt::Display for SyncError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

pub(super) fn api_err(e: ApiError) -> SyncError {
    SyncError(e.to_string())
}

/// Apimachinery `utilerrors.NewAggregate(...).Error()`: one message as is, several as
/// `[a, b]` (duplicates dropped).
pub(super) fn aggregate(errs: Vec<SyncError>) -> Option<SyncError> {
    let mut msgs: Vec<String> = Vec::new();
    for e in errs {
        if !msgs.contains(&e.0) {
            msgs.push(e.0);
        }
    }
    match msgs.len() {
        0 => None,
        1 => msgs.pop().map(SyncError),
        _ => Some(SyncError(format!("[{}]", msgs.join(", ")))),
    }
}

pub(super) struct Ctx<'a> {
    pub(super) store: &'a mut Store,
    pub(super) now: SimTime,
    pub(super) cfg: &'a ControllerConfig,
    pub(super) wrote: bool,
    /// The set's context epoch in the memo (`None`: memo off).
    pub(super) epoch: Option<u64>,
    /// The controller's memo, taken out of `Store::controller_memo` for the sync (see
    /// `replica_memo`); it reads claim writes from `store.claim_book`.
    pub(super) memo: Box<super::memo::ReplicaMemo>,
}

impl Ctx<'_> {
    pub(super) fn ordinal_gate(&self) -> bool {
        self.cfg.gates.statefulset_start_ordinal
    }

    pub(super) fn event(
        &mut self,
        set: &StatefulSet,
        kind: EventType,
        reason: &str,
        message: &str,
    ) {
        if !self.cfg.record_events {
            return;
        }
        let r = events::reference_to(set, None);
        events::record(
            self.store,
            r,
            kind,
            reason,
            message,
            "statefulset-controller",
            None,
            self.now,
        );
    }
}

/// `ClaimsMatchRetentionPolicy`.
pub(super) fn claims_match_retention(cx: &Ctx<'_>, set: &StatefulSet, pod: &Pod) -> bool {
    let ord = ordinal_of(pod);
    claim_templates(set).iter().all(|t| {
        let name = claim_name(t.metadata.name.as_deref().unwrap_or(""), set, ord);
        match cx.store.get::<PersistentVolumeClaim>(set_ns(set), &name) {
            None => true,
            Some(c) => claim_up_to_date(cx.cfg, set, c, pod),
        }
    })
}

/// `isClaimOwnerUpToDate` of the configured version.
pub(super) fn claim_up_to_date(
    cfg: &ControllerConfig,
    set: &StatefulSet,
    claim: &PersistentVolumeClaim,
    pod: &Pod,
) -> bool {
    let gate = cfg.gates.statefulset_start_ordinal;
    if cfg.version == K8sVersion::V1_28 {
        claim_owner_up_to_date(set, claim, pod, gate)
    } else {
        recent::claim_owner_up_to_date(set, claim, pod, gate)
    }
}

/// `UpdatePodClaimForRetentionPolicy` (claims are written with an update, in both versions).
pub(super) fn update_pod_claims_for_retention(
    cx: &mut Ctx<'_>,
    set: &StatefulSet,
    pod: &Pod,
) -> Result<(), SyncError> {
    let ord = ordinal_of(pod);
    for t in claim_templates(set) {
        let name = claim_name(t.metadata.name.as_deref().unwrap_or(""), set, ord);
        // Decide on the stored claim; copy it only when it must be written.
        let Some(stored) = cx.store.get::<PersistentVolumeClaim>(set_ns(set), &name) else {
            continue;
        };
        let unexpected = cx.cfg.version != K8sVersion::V1_28
            && recent::has_unexpected_controller(stored, set, pod);
        let up_to_date = claim_up_to_date(cx.cfg, set, stored, pod);
        let claim = (!up_to_date).then(|| k8sjson::copy(stored));
        if unexpected {
            let msg = format!(
                "PersistentVolumeClaim {name} has a conflicting OwnerReference that acts as a manging controller, the retention policy is ignored for this claim"
            );
            cx.event(set, EventType::Warning, "ConflictingController", &msg);
        }
        let Some(mut c) = claim else {
            continue;
        };
        if cx.cfg.version == K8sVersion::V1_28 {
            update_claim_owner_refs(set, &mut c, pod, cx.ordinal_gate());
        } else {
            recent::update_claim_owner_refs(set, &mut c, pod, cx.ordinal_gate());
        }
        cx.store.update(ACTOR, c).map_err(|e| {
            SyncError(format!(
                "could not update claim {name} for delete policy ownerRefs: {e}"
            ))
        })?;
        cx.wrote = true;
    }
    Ok(())
}

/// `PodClaimIsStale`: with whenScaled=Delete, a claim still owned by an earlier pod of that name.
pub(super) fn pod_claim_is_stale(cx: &Ctx<'_>, set: &StatefulSet, pod: &Pod) -> bool {
    let (scaled_delete, _) = retention_policy(set);
    if !scaled_delete {
        return false;
    }
    let pname = pod.metadata.name.clone().unwrap_or_default();
    let puid = pod.metadata.uid.clone().unwrap_or_default();
    let v128 = cx.cfg.version == K8sVersion::V1_28;
    claims_for(set, ordinal_of(pod)).iter().any(|c| {
        let name = c.metadata.name.as_deref().unwrap_or("");
        cx.store
            .get::<PersistentVolumeClaim>(set_ns(set), name)
            .is_some_and(|existing| claim_is_stale(&existing.metadata, &pname, &puid, v128))
    })
}

/// `createPersistentVolumeClaims`.
pub(super) fn create_claims(
    cx: &mut Ctx<'_>,
    set: &StatefulSet,
    pod: &Pod,
) -> Result<(), SyncError> {
    let mut errs = Vec::new();
    let pname = pod.metadata.name.clone().unwrap_or_default();
    let ord = ordinal_of(pod);
    for (i, t) in claim_templates(set).iter().enumerate() {
        let cname = claim_name(t.metadata.name.as_deref().unwrap_or(""), set, ord);
        match cx.store.get::<PersistentVolumeClaim>(set_ns(set), &cname) {
            // Only a missing claim is built (`claims_for`), so a sync over many pending pods
            // does not copy a claim template per pod.
            None => match claims_for(set, ord)
                .into_iter()
                .nth(i)
                .ok_or_else(|| ApiError::NotFound {
                    resource: "persistentvolumeclaims",
                    name: cname.clone(),
                })
                .and_then(|claim| cx.store.create(ACTOR, claim, cx.now))
            {
                Ok(_) => {
                    cx.wrote = true;
                    let msg = format!(
                        "create Claim {cname} Pod {pname} in StatefulSet {} success",
                        set_name(set)
                    );
                    cx.event(set, EventType::Normal, "SuccessfulCreate", &msg);
                }
                Err(e) => {
                    let already = matches!(e, ApiError::AlreadyExists { .. });
                    if !already {
                        let msg = format!(
                            "create Claim {cname} for Pod {pname} in StatefulSet {} failed error: {e}",
                            set_name(set)
                        );
                        cx.event(set, EventType::Warning, "FailedCreate", &msg);
                    }
                    errs.push(SyncError(format!("failed to create PVC {cname}: {e}")));
                }
            },
            Some(existing) => {
                if existing.metadata.deletion_timestamp.is_some() {
                    errs.push(SyncError(format!("pvc {cname} is being deleted")));
                }
            }
        }
    }
    match aggregate(errs) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

pub(super) fn pod_event(
    cx: &mut Ctx<'_>,
    verb: &str,
    set: &StatefulSet,
    pod: &Pod,
    err: Option<&SyncError>,
) {
    let pname = pod.metadata.name.as_deref().unwrap_or("");
    match err {
        None => {
            let reason = match verb {
                "create" => "SuccessfulCreate",
                "delete" => "SuccessfulDelete",
                _ => "SuccessfulUpdate",
            };
            let msg = format!(
                "{verb} Pod {pname} in StatefulSet {} successful",
                set_name(set)
            );
            cx.event(set, EventType::Normal, reason, &msg);
        }
        Some(e) => {
            let reason = match verb {
                "create" => "FailedCreate",
                "delete" => "FailedDelete",
                _ => "FailedUpdate",
            };
            let msg = format!(
                "{verb} Pod {pname} in StatefulSet {} failed error: {e}",
                set_name(set)
            );
            cx.event(set, EventType::Warning, reason, &msg);
        }
    }
}

/// `CreateStatefulPod`: claims first, then the pod, then claim ownerRefs for the retention policy.
pub(super) fn create_pod(cx: &mut Ctx<'_>, set: &StatefulSet, pod: &Pod) -> Result<(), SyncError> {
    if let Err(e) = create_claims(cx, set, pod) {
        pod_event(cx, "create", set, pod, Some(&e));
        return Err(e);
    }
    // Upstream sinks only AlreadyExists here: after any other failure (a pod the apiserver's
    // validation rejects) it still sets the claims' retention ownerRefs, then records the
    // create event with the error (`stateful_pod_control.go` `CreateStatefulPod`).
    let created = match cx.store.create(ACTOR, k8sjson::copy(pod), cx.now) {
        Ok(_) => {
            cx.wrote = true;
            None
        }
        Err(e @ ApiError::AlreadyExists { .. }) => return Err(api_err(e)),
        Err(e) => Some(api_err(e)),
    };
    if cx.cfg.gates.statefulset_auto_delete_pvc
        && let Err(e) = update_pod_claims_for_retention(cx, set, pod)
    {
        pod_event(cx, "update", set, pod, Some(&e));
        return Err(e);
    }
    pod_event(cx, "create", set, pod, created.as_ref());
    match created {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// `DeleteStatefulPod`.
pub(super) fn delete_pod(cx: &mut Ctx<'_>, set: &StatefulSet, pod: &Pod) -> Result<(), SyncError> {
    let name = pod.metadata.name.clone().unwrap_or_default();
    match cx.store.delete_pod(ACTOR, set_ns(set), &name, None, cx.now) {
        Ok(_) => {
            cx.wrote = true;
            pod_event(cx, "delete", set, pod, None);
            Ok(())
        }
        Err(e) => {
            let e = api_err(e);
            pod_event(cx, "delete", set, pod, Some(&e));
            Err(e)
        }
    }
}

/// `UpdateStatefulPod`: repair identity, storage and claim ownerRefs; write the pod if dirty.
pub(super) fn update_pod(cx: &mut Ctx<'_>, set: &StatefulSet, pod: &Pod) -> Result<(), SyncError> {
    let mut p = k8sjson::copy(pod);
    let mut consistent = true;
    if !identity_matches(set, &p) {
        update_identity(set, &mut p, cx.cfg);
        consistent = false;
    }
    if !storage_matches(set, &p) {
        update_storage(set, &mut p);
        consistent = false;
        if let Err(e) = create_claims(cx, set, &p) {
            pod_event(cx, "update", set, &p, Some(&e));
            return Err(e);
        }
    }
    if cx.cfg.gates.statefulset_auto_delete_pvc && !claims_match_retention(cx, set, &p) {
        if let Err(e) = update_pod_claims_for_retention(cx, set, &p) {
            pod_event(cx, "update", set, &p, Some(&e));
            return Err(e);
        }
        consistent = false;
    }
    if consistent {
        return Ok(());
    }
    let res = cx
        .store
        .update(ACTOR, k8sjson::copy(&p))
        .map(|_| ())
        .map_err(api_err);
    if res.is_ok() {
        cx.wrote = true;
    }
    pod_event(cx, "update", set, &p, res.as_ref().err());
    res
}

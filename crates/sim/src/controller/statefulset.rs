//! The StatefulSet controller: one sync of one StatefulSet.
//!
//! A port of the behaviour of upstream `pkg/controller/statefulset` in our own words:
//! `stateful_set.go` (`sync`: revision adoption, pod claiming), `stateful_set_control.go`
//! (`UpdateStatefulSet`, `getStatefulSetRevisions`, `updateStatefulSet`, `processReplica`,
//! `processCondemned`, the rolling update, `truncateHistory`, status), `stateful_pod_control.go`
//! (`CreateStatefulPod`, `UpdateStatefulPod`, `DeleteStatefulPod`, claims and retention) and
//! `stateful_set_utils.go`. Where v1.28 and v1.35 differ the code branches on
//! `ControllerConfig::version` (see the `V1_28`/`V1_35` comments and `tests/conformance.rs`).
//!
//! Every write goes through the `Store` with `Actor::StatefulSetController`, so the write log
//! shows the controller's API calls in order (the oracle traces' action lines).

use k8s_openapi::api::apps::v1::{ControllerRevision, StatefulSet, StatefulSetStatus};
use k8s_openapi::api::core::v1::{
    PersistentVolumeClaim, PersistentVolumeClaimVolumeSource, Pod, PodTemplateSpec, Volume,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};
use k8s_openapi::apimachinery::pkg::runtime::RawExtension;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use std::sync::Arc;

/// A shared copy of a stored ControllerRevision (see `Store::revision_snapshot`).
type Rev = Arc<ControllerRevision>;

use super::memo::{CachedPod, PodCache};
use super::util::*;
use crate::config::{ControllerConfig, K8sVersion};
use crate::events::{self, EventType};
use crate::revision;
use crate::store::{Actor, ApiError, Store};
use crate::time::SimTime;

const ACTOR: Actor = Actor::StatefulSetController;
/// `MaxBatchSize` of `slowStartBatch`.
const MAX_BATCH: usize = 500;
/// We bound the replicas we act on (the sim must not be driven into unbounded work).
pub const MAX_REPLICAS: i64 = 100_000;

/// What one sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncResult {
    /// Error texts of a failed sync (the text after `requeuing: ` in the controller's log);
    /// empty when the sync succeeded.
    pub errors: Vec<String>,
    /// Delay (ms from `now`) after which the controller wants to sync this set again
    /// (`minReadySeconds` re-checks), if any.
    pub requeue_after: Option<SimTime>,
    /// Whether the sync wrote anything.
    pub wrote: bool,
}

/// One sync error; the `Display` text is what upstream's error says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncError(pub String);

impl std::fmt::Display for SyncError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn api_err(e: ApiError) -> SyncError {
    SyncError(e.to_string())
}

/// Apimachinery `utilerrors.NewAggregate(...).Error()`: one message as is, several as
/// `[a, b]` (duplicates dropped).
fn aggregate(errs: Vec<SyncError>) -> Option<SyncError> {
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

struct Ctx<'a> {
    store: &'a mut Store,
    now: SimTime,
    cfg: &'a ControllerConfig,
    wrote: bool,
    /// The set's context epoch in `Store::controller_memo` (`None`: memo off).
    epoch: Option<u64>,
}

impl Ctx<'_> {
    fn ordinal_gate(&self) -> bool {
        self.cfg.gates.statefulset_start_ordinal
    }

    fn event(&mut self, set: &StatefulSet, kind: EventType, reason: &str, message: &str) {
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

/// Sync one StatefulSet (`StatefulSetController.sync` + `syncStatefulSet`).
pub fn sync(
    store: &mut Store,
    ns: &str,
    name: &str,
    now: SimTime,
    cfg: &ControllerConfig,
) -> SyncResult {
    let Some(set) = store.get_shared::<StatefulSet>(ns, name) else {
        return SyncResult::default();
    };
    let epoch = store.controller_memo.context(&set, cfg);
    let mut cx = Ctx {
        store,
        now,
        cfg,
        wrote: false,
        epoch,
    };
    let mut result = SyncResult::default();
    match sync_inner(&mut cx, &set) {
        Ok(status) => {
            let mrs = min_ready_seconds(&set);
            if mrs > 0 && i64::from(status.available_replicas.unwrap_or(0)) != replicas(&set) {
                result.requeue_after = Some((mrs as u64) * 1000);
            }
        }
        Err(e) => result.errors.push(e.0),
    }
    result.wrote = cx.wrote;
    result
}

fn sync_inner(cx: &mut Ctx<'_>, set: &StatefulSet) -> Result<StatefulSetStatus, SyncError> {
    adopt_orphan_revisions(cx, set)?;
    let mut cache = cx.store.controller_memo.take_pod_cache(set_uid(set));
    let r = claim_and_update(cx, set, &mut cache);
    cx.store.controller_memo.put_pod_cache(set_uid(set), cache);
    r
}

fn claim_and_update(
    cx: &mut Ctx<'_>,
    set: &StatefulSet,
    cache: &mut PodCache,
) -> Result<StatefulSetStatus, SyncError> {
    let claimed = claim_pods(cx, set, cache)?;
    let mut scratch = std::mem::take(&mut cache.scratch);
    let mut pods: Vec<&Arc<Pod>> = Vec::with_capacity(claimed.len());
    let mut cached: Vec<Option<&CachedPod>> = Vec::with_capacity(claimed.len());
    for c in &claimed {
        match c {
            Claimed::Cached(i) => {
                if let Some(e) = cache.entries.get(*i) {
                    pods.push(&e.pod);
                    cached.push(Some(e));
                }
            }
            Claimed::Adopted(p) => {
                pods.push(p);
                cached.push(None);
            }
        }
    }
    let r = update_stateful_set(cx, set, (&pods, &cached), &mut scratch);
    cache.scratch = scratch;
    r
}

/// A pod `ClaimPods` returned: an entry of the set's [`PodCache`] (by index: not copied), or a
/// pod adopted in this sync.
enum Claimed {
    Cached(usize),
    Adopted(Arc<Pod>),
}

/// `RecheckDeletionTimestamp` / the adoption precondition: the set as stored now has the same
/// uid and is not being deleted.
fn can_adopt(cx: &Ctx<'_>, set: &StatefulSet) -> Result<(), SyncError> {
    let fresh = cx.store.get::<StatefulSet>(set_ns(set), set_name(set));
    match fresh {
        None => Err(SyncError(format!(
            "original StatefulSet {}/{} is gone",
            set_ns(set),
            set_name(set)
        ))),
        Some(f) if f.metadata.uid != set.metadata.uid => Err(SyncError(format!(
            "original StatefulSet {}/{} is gone: got uid {}, wanted {}",
            set_ns(set),
            set_name(set),
            f.metadata.uid.as_deref().unwrap_or(""),
            set_uid(set)
        ))),
        Some(f) if f.metadata.deletion_timestamp.is_some() => Err(SyncError(format!(
            "{}/{} has just been deleted at {}",
            set_ns(set),
            set_name(set),
            f.metadata
                .deletion_timestamp
                .as_ref()
                .map(|t| t.0.to_string())
                .unwrap_or_default()
        ))),
        Some(_) => Ok(()),
    }
}

fn adoption_patch(set: &StatefulSet, obj_uid: &str) -> String {
    format!(
        r#"{{"metadata":{{"ownerReferences":[{{"apiVersion":"apps/v1","kind":"StatefulSet","name":"{}","uid":"{}","controller":true,"blockOwnerDeletion":true}}],"uid":"{}"}}}}"#,
        set_name(set),
        set_uid(set),
        obj_uid
    )
}

fn release_patch(set: &StatefulSet, obj_uid: &str) -> String {
    format!(
        r#"{{"metadata":{{"ownerReferences":[{{"$patch":"delete","uid":"{}"}}],"uid":"{}"}}}}"#,
        set_uid(set),
        obj_uid
    )
}

/// `history.ListControllerRevisions`: revisions matching the selector that the set owns or
/// that have no controller, sorted (`SortControllerRevisions`: revision, then creation, then
/// name).
fn list_revisions(store: &mut Store, set: &StatefulSet) -> Vec<Rev> {
    let sel = set_selector(set);
    // Shared copies: a revision's data is a whole pod template, not copied per sync.
    let mut v: Vec<Rev> = store.revision_snapshot(set_ns(set), |r| {
        selector_matches(sel, r.metadata.labels.as_ref())
            && match controller_of(&r.metadata) {
                None => true,
                Some(c) => c.uid == set_uid(set),
            }
    });
    v.sort_by(|a, b| {
        a.revision
            .cmp(&b.revision)
            .then_with(|| {
                a.metadata
                    .creation_timestamp
                    .cmp(&b.metadata.creation_timestamp)
            })
            .then_with(|| a.metadata.name.cmp(&b.metadata.name))
    });
    v
}

/// `adoptOrphanRevisions` (stateful_set.go).
fn adopt_orphan_revisions(cx: &mut Ctx<'_>, set: &StatefulSet) -> Result<(), SyncError> {
    let orphans: Vec<Rev> = list_revisions(cx.store, set)
        .into_iter()
        .filter(|r| controller_of(&r.metadata).is_none())
        .collect();
    if orphans.is_empty() {
        return Ok(());
    }
    if let Err(e) = can_adopt(cx, set) {
        return Err(SyncError(format!("can't adopt ControllerRevisions: {e}")));
    }
    for r in orphans {
        let mut r = ControllerRevision::clone(&r);
        let uid = r.metadata.uid.clone().unwrap_or_default();
        r.metadata
            .owner_references
            .get_or_insert_with(Vec::new)
            .push(controller_ref(set));
        let body = adoption_patch(set, &uid);
        cx.store.patch_with_body(ACTOR, r, body).map_err(api_err)?;
        cx.wrote = true;
    }
    Ok(())
}

/// `getPodsForStatefulSet` with the `PodControllerRefManager` (`ClaimPods`): adopt matching
/// orphans, release owned pods that no longer match.
fn claim_pods(
    cx: &mut Ctx<'_>,
    set: &StatefulSet,
    cache: &mut PodCache,
) -> Result<Vec<Claimed>, SyncError> {
    let sel = set_selector(set);
    // The namespace's pods, refreshed against the store (an unchanged pod keeps its entry).
    cache.refresh(cx.store.pod_range(set_ns(set)));
    let mut claimed = Vec::new();
    let mut errs = Vec::new();
    let mut adopt_check: Option<Result<(), SyncError>> = None;
    let set_deleting = set.metadata.deletion_timestamp.is_some();
    for i in 0..cache.entries.len() {
        let Some(entry) = cache.entries.get_mut(i) else {
            continue;
        };
        // Owned and matching under the same set context before: claimed as is. Pods owned by
        // another controller are skipped below.
        if let Some(e) = cx.epoch
            && entry.claimed == e
        {
            claimed.push(Claimed::Cached(i));
            continue;
        }
        let pod = entry.pod.clone();
        let matches =
            selector_matches(sel, pod.metadata.labels.as_ref()) && is_member_of(set, &pod);
        let pod_uid = pod.metadata.uid.as_deref().unwrap_or("");
        match controller_of(&pod.metadata) {
            Some(r) if r.uid != set_uid(set) => continue,
            Some(_) => {
                if matches {
                    if let (Some(e), Some(entry)) = (cx.epoch, cache.entries.get_mut(i)) {
                        entry.claimed = e;
                    }
                    claimed.push(Claimed::Cached(i));
                    continue;
                }
                if set_deleting {
                    continue;
                }
                let mut p = Pod::clone(&pod);
                if let Some(refs) = p.metadata.owner_references.as_mut() {
                    refs.retain(|r| r.uid != set_uid(set));
                }
                let body = release_patch(set, pod_uid);
                match cx.store.patch_with_body(ACTOR, p, body) {
                    Ok(_) => cx.wrote = true,
                    Err(ApiError::NotFound { .. }) => {}
                    Err(e) => errs.push(api_err(e)),
                }
            }
            None => {
                if set_deleting || !matches || pod.metadata.deletion_timestamp.is_some() {
                    continue;
                }
                let check = adopt_check
                    .get_or_insert_with(|| can_adopt(cx, set))
                    .clone();
                if let Err(e) = check {
                    errs.push(SyncError(format!(
                        "can't adopt Pod {}/{} ({}): {e}",
                        set_ns(set),
                        pod.metadata.name.as_deref().unwrap_or(""),
                        pod_uid
                    )));
                    continue;
                }
                let mut p = Pod::clone(&pod);
                p.metadata
                    .owner_references
                    .get_or_insert_with(Vec::new)
                    .push(controller_ref(set));
                let body = adoption_patch(set, pod_uid);
                match cx.store.patch_with_body(ACTOR, p, body) {
                    Ok(p) => {
                        cx.wrote = true;
                        claimed.push(Claimed::Adopted(Arc::new(p)));
                    }
                    Err(ApiError::NotFound { .. }) => {}
                    Err(e) => errs.push(api_err(e)),
                }
            }
        }
    }
    match aggregate(errs) {
        Some(e) => Err(e),
        None => Ok(claimed),
    }
}

// ---------------------------------------------------------------------------------------------
// Revisions

fn revision_data_bytes(r: &ControllerRevision) -> std::rc::Rc<[u8]> {
    match r.data.as_ref() {
        Some(d) => super::memo::data_bytes(&d.0),
        None => std::rc::Rc::from(Vec::new()),
    }
}

/// [`revision_data_bytes`] of a stored revision, remembered per shared copy.
fn stored_revision_bytes(cx: &mut Ctx<'_>, r: &Rev) -> std::rc::Rc<[u8]> {
    cx.store
        .controller_memo
        .revision_bytes(r, || revision_data_bytes(r))
}

fn hash_label(r: &ControllerRevision) -> Option<&str> {
    r.metadata
        .labels
        .as_ref()
        .and_then(|l| l.get(HISTORY_HASH_LABEL))
        .map(String::as_str)
}

/// `history.EqualRevision`.
fn equal_revision(a: &ControllerRevision, b: &ControllerRevision) -> bool {
    equal_by(hash_label(a), hash_label(b), || {
        revision_data_bytes(a) == revision_data_bytes(b)
    })
}

/// `history.EqualRevision` from the two hash labels and a comparison of the data bytes.
fn equal_by(a: Option<&str>, b: Option<&str>, same_bytes: impl FnOnce() -> bool) -> bool {
    if let (Some(x), Some(y)) = (a, b)
        && !x.is_empty()
        && !y.is_empty()
        && x != y
    {
        return false;
    }
    same_bytes()
}

/// What `newRevision` computes from the set's template: its revision data (with the Go JSON
/// bytes) and the hash label under the collision count; remembered per set context.
struct Candidate {
    data: super::memo::TemplateData,
    hash: std::rc::Rc<str>,
}

fn candidate(cx: &mut Ctx<'_>, set: &StatefulSet, collision_count: i32) -> Candidate {
    let version = cx.cfg.version;
    let compute = || {
        let raw = set
            .spec
            .as_ref()
            .map(|s| s.template.clone())
            .unwrap_or_default();
        super::memo::template_data(&raw, version)
    };
    // Remembered per set context while the memo is on (`None` when it is off).
    let memo = &mut cx.store.controller_memo;
    let data = memo
        .context_template(set_uid(set), compute)
        .unwrap_or_else(compute);
    let make_hash = || revision::hash(&data.1, Some(collision_count));
    let hash = memo
        .context_hash(set_uid(set), collision_count, make_hash)
        .unwrap_or_else(|| std::rc::Rc::from(make_hash()));
    Candidate { data, hash }
}

/// `newRevision`: the revision object for the set's current template (not stored), from its
/// [`Candidate`].
fn new_revision(set: &StatefulSet, number: i64, cand: &Candidate) -> ControllerRevision {
    // Defaulting does not touch the template's labels.
    let mut labels = set
        .spec
        .as_ref()
        .and_then(|s| s.template.metadata.as_ref())
        .and_then(|m| m.labels.clone())
        .unwrap_or_default();
    labels.insert(HISTORY_HASH_LABEL.to_string(), cand.hash.to_string());
    ControllerRevision {
        metadata: ObjectMeta {
            name: Some(revision::revision_name(set_name(set), &cand.hash)),
            namespace: Some(set_ns(set).to_string()),
            labels: Some(labels),
            annotations: set.metadata.annotations.clone(),
            owner_references: Some(vec![controller_ref(set)]),
            ..Default::default()
        },
        data: Some(RawExtension(cand.data.0.clone())),
        revision: number,
    }
}

/// The template stored in a revision (`ApplyRevision`).
fn revision_template(r: &ControllerRevision) -> std::rc::Rc<PodTemplateSpec> {
    match r.data.as_ref() {
        Some(d) => super::memo::data_template(&d.0),
        None => std::rc::Rc::new(PodTemplateSpec::default()),
    }
}

/// `getStatefulSetRevisions`: (current, update, collisionCount).
fn get_revisions(
    cx: &mut Ctx<'_>,
    set: &StatefulSet,
    revisions: &[Rev],
) -> Result<(Rev, Rev, i32), SyncError> {
    let mut collision = set
        .status
        .as_ref()
        .and_then(|s| s.collision_count)
        .unwrap_or(0);
    let next = revisions.last().map(|r| r.revision + 1).unwrap_or(1);
    let cand = candidate(cx, set, collision);
    let mut equal: Vec<&Rev> = Vec::new();
    for r in revisions {
        if equal_by(hash_label(r), Some(&cand.hash), || {
            *stored_revision_bytes(cx, r) == *cand.data.1
        }) {
            equal.push(r);
        }
    }
    let same_stored = |cx: &mut Ctx<'_>, a: &Rev, b: &Rev| {
        equal_by(hash_label(a), hash_label(b), || {
            stored_revision_bytes(cx, a) == stored_revision_bytes(cx, b)
        })
    };
    let update = match (equal.last(), revisions.last()) {
        (Some(eq), Some(last)) if same_stored(cx, last, eq) => last.clone(),
        (Some(eq), _) => {
            // A rollback: renumber the equal revision (`UpdateControllerRevision`).
            let mut r = ControllerRevision::clone(eq);
            r.revision = next;
            let r = cx.store.update(ACTOR, r).map_err(api_err)?;
            cx.wrote = true;
            Arc::new(r)
        }
        (None, _) => {
            let candidate = new_revision(set, next, &cand);
            Arc::new(create_revision(cx, set, candidate, &mut collision)?)
        }
    };
    let current_name = set
        .status
        .as_ref()
        .and_then(|s| s.current_revision.clone())
        .unwrap_or_default();
    let current = revisions
        .iter()
        .find(|r| r.metadata.name.as_deref() == Some(current_name.as_str()))
        .cloned()
        .unwrap_or_else(|| update.clone());
    Ok((current, update, collision))
}

/// `history.CreateControllerRevision`: create, bumping the collision count on a name clash
/// with a different revision.
fn create_revision(
    cx: &mut Ctx<'_>,
    set: &StatefulSet,
    mut rev: ControllerRevision,
    collision: &mut i32,
) -> Result<ControllerRevision, SyncError> {
    for _ in 0..64 {
        let bytes = revision_data_bytes(&rev);
        let h = revision::hash(&bytes, Some(*collision));
        rev.metadata.name = Some(revision::revision_name(set_name(set), &h));
        rev.metadata
            .labels
            .get_or_insert_with(Default::default)
            .insert(HISTORY_HASH_LABEL.to_string(), h);
        match cx.store.create(ACTOR, rev.clone(), cx.now) {
            Ok(r) => {
                cx.wrote = true;
                return Ok(r);
            }
            Err(ApiError::AlreadyExists { .. }) => {
                let name = rev.metadata.name.clone().unwrap_or_default();
                if let Some(existing) = cx.store.get::<ControllerRevision>(set_ns(set), &name)
                    && equal_revision(existing, &rev)
                {
                    return Ok(existing.clone());
                }
                *collision = collision.saturating_add(1);
            }
            Err(e) => return Err(api_err(e)),
        }
    }
    Err(SyncError(
        "too many ControllerRevision name collisions".into(),
    ))
}

// ---------------------------------------------------------------------------------------------
// Pods and claims

/// `getPersistentVolumeClaims`: the claims of one ordinal, in template order.
fn claims_for(set: &StatefulSet, ordinal: i64) -> Vec<PersistentVolumeClaim> {
    let match_labels = set_selector(set)
        .and_then(|s| s.match_labels.clone())
        .unwrap_or_default();
    claim_templates(set)
        .iter()
        .map(|t| {
            let mut c = t.clone();
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
fn update_identity(set: &StatefulSet, pod: &mut Pod, cfg: &ControllerConfig) {
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
fn update_storage(set: &StatefulSet, pod: &mut Pod) {
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

fn identity_matches(set: &StatefulSet, pod: &Pod) -> bool {
    // `name == podName(set, ordinal)` without formatting: the parent is the set's name and the
    // digits are the canonical spelling of the ordinal (no leading zeros).
    let name = pod.metadata.name.as_deref().unwrap_or("");
    let (parent, ord) = split_ordinal(name);
    ord >= 0
        && parent == set_name(set)
        && name
            .rsplit_once('-')
            .is_some_and(|(_, digits)| is_canonical_ordinal(digits, ord))
        && pod.metadata.namespace.as_deref().unwrap_or("default") == set_ns(set)
        && pod
            .metadata
            .labels
            .as_ref()
            .and_then(|l| l.get(POD_NAME_LABEL))
            == pod.metadata.name.as_ref()
}

fn storage_matches(set: &StatefulSet, pod: &Pod) -> bool {
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

/// `digits` is how `ord` is formatted (`strconv.Itoa`): the same value, no leading zeros.
fn is_canonical_ordinal(digits: &str, ord: i64) -> bool {
    !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits.len() == 1 || !digits.starts_with('0'))
        && digits.parse::<i64>().ok() == Some(ord)
}

/// `name == claim_name(template, set, ord)` without formatting.
fn is_claim_name(name: &str, template: &str, set: &str, ord: i64) -> bool {
    name.strip_prefix(template)
        .and_then(|r| r.strip_prefix('-'))
        .and_then(|r| r.strip_prefix(set))
        .and_then(|r| r.strip_prefix('-'))
        .is_some_and(|digits| is_canonical_ordinal(digits, ord))
}

/// `newStatefulSetPod`: a pod from a template (`controller.GetPodFromTemplate`), named and
/// stamped for one ordinal.
fn new_pod(
    set: &StatefulSet,
    template: &PodTemplateSpec,
    ordinal: i64,
    cfg: &ControllerConfig,
) -> Pod {
    let tm = template.metadata.clone().unwrap_or_default();
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
        spec: template.spec.clone(),
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
struct Templates<'a> {
    current: &'a ControllerRevision,
    update: &'a ControllerRevision,
    current_t: std::cell::OnceCell<std::rc::Rc<PodTemplateSpec>>,
    update_t: std::cell::OnceCell<std::rc::Rc<PodTemplateSpec>>,
}

impl<'a> Templates<'a> {
    fn new(current: &'a ControllerRevision, update: &'a ControllerRevision) -> Self {
        Templates {
            current,
            update,
            current_t: std::cell::OnceCell::new(),
            update_t: std::cell::OnceCell::new(),
        }
    }

    fn current_template(&self) -> &PodTemplateSpec {
        self.current_t
            .get_or_init(|| revision_template(self.current))
    }

    fn update_template(&self) -> &PodTemplateSpec {
        self.update_t.get_or_init(|| revision_template(self.update))
    }
}

/// Whether `newVersionedStatefulSetPod` takes the current revision for an ordinal: below the
/// partition under RollingUpdate (or below `status.currentReplicas` without a rollingUpdate
/// block); otherwise the update revision.
fn uses_current_revision(set: &StatefulSet, ordinal: i64, cfg: &ControllerConfig) -> bool {
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
fn new_versioned_pod(
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
fn placeholder_pod(
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

fn set_kind_ref(set: &StatefulSet) -> OwnerReference {
    OwnerReference {
        api_version: "apps/v1".into(),
        kind: "StatefulSet".into(),
        name: set_name(set).to_string(),
        uid: set_uid(set).to_string(),
        controller: None,
        block_owner_deletion: None,
    }
}

fn pod_kind_ref(pod: &Pod) -> OwnerReference {
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
fn claim_owner_up_to_date(
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
fn update_claim_owner_refs(
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

/// `ClaimsMatchRetentionPolicy`.
fn claims_match_retention(cx: &Ctx<'_>, set: &StatefulSet, pod: &Pod) -> bool {
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
fn claim_up_to_date(
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
fn update_pod_claims_for_retention(
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
        let claim = (!up_to_date).then(|| stored.clone());
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
fn pod_claim_is_stale(cx: &Ctx<'_>, set: &StatefulSet, pod: &Pod) -> bool {
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
            .is_some_and(|existing| {
                if v128 {
                    // v1.28 `hasStaleOwnerRef`: any reference with the pod's name and another uid.
                    has_stale_owner_ref(&existing.metadata, &pname, &puid)
                } else {
                    recent::has_stale_ref(&existing.metadata, "v1", "Pod", &pname, &puid)
                }
            })
    })
}

/// The recent (v1.31+) claim-ownership rules of `stateful_set_utils.go`: references are
/// matched by apiVersion/kind/name, the set's and pod's references are controller references
/// (`metav1.NewControllerRef`), stale or foreign controllers leave the claim alone
/// (`hasStaleOwnerRef`, `hasUnexpectedController`, `hasNonControllerOwner`,
/// `isClaimOwnerUpToDate`, `updateClaimOwnerRefForSetAndPod`).
mod recent {
    use super::*;

    fn matches(r: &OwnerReference, api_version: &str, kind: &str, name: &str) -> bool {
        r.api_version == api_version && r.kind == kind && r.name == name
    }

    /// The first reference to the object (by GVK and name) carries another uid.
    pub(super) fn has_stale_ref(
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

    pub(super) fn has_unexpected_controller(
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

    pub(super) fn claim_owner_up_to_date(
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

    pub(super) fn update_claim_owner_refs(
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

/// `createPersistentVolumeClaims`.
fn create_claims(cx: &mut Ctx<'_>, set: &StatefulSet, pod: &Pod) -> Result<(), SyncError> {
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

fn pod_event(cx: &mut Ctx<'_>, verb: &str, set: &StatefulSet, pod: &Pod, err: Option<&SyncError>) {
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
fn create_pod(cx: &mut Ctx<'_>, set: &StatefulSet, pod: &Pod) -> Result<(), SyncError> {
    if let Err(e) = create_claims(cx, set, pod) {
        pod_event(cx, "create", set, pod, Some(&e));
        return Err(e);
    }
    // Upstream sinks only AlreadyExists here: after any other failure (a pod the apiserver's
    // validation rejects) it still sets the claims' retention ownerRefs, then records the
    // create event with the error (`stateful_pod_control.go` `CreateStatefulPod`).
    let created = match cx.store.create(ACTOR, pod.clone(), cx.now) {
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
fn delete_pod(cx: &mut Ctx<'_>, set: &StatefulSet, pod: &Pod) -> Result<(), SyncError> {
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
fn update_pod(cx: &mut Ctx<'_>, set: &StatefulSet, pod: &Pod) -> Result<(), SyncError> {
    let mut p = pod.clone();
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
        .update(ACTOR, p.clone())
        .map(|_| ())
        .map_err(api_err);
    if res.is_ok() {
        cx.wrote = true;
    }
    pod_event(cx, "update", set, &p, res.as_ref().err());
    res
}

// ---------------------------------------------------------------------------------------------
// The sync proper

/// What one sync reads of a pod, copied out of its remembered facts (`ReplicaMemo`) once per
/// sync: every pass over the pods (status counts, slots, health, the rolling update) reads
/// this instead of the pod.
#[derive(Clone, Copy)]
struct Lite {
    ordinal: i64,
    created: bool,
    terminating: bool,
    running_ready: bool,
    ready: Option<(bool, Option<SimTime>)>,
    /// The pod's revision label is the current / the update revision.
    current: bool,
    updated: bool,
}

impl Lite {
    fn from_facts(f: &crate::controller::memo::PodFacts, current: &str, update: &str) -> Lite {
        Lite {
            ordinal: f.ordinal,
            created: f.created,
            terminating: f.terminating,
            running_ready: f.running_ready,
            ready: f.ready,
            current: f.revision == current,
            updated: f.revision == update,
        }
    }

    fn of(
        memo: &mut crate::controller::ReplicaMemo,
        p: &Arc<Pod>,
        current: &str,
        update: &str,
    ) -> Lite {
        memo.with_facts(p, |f| Lite::from_facts(f, current, update))
    }

    /// v1.28 `!isHealthy`, v1.35 `isUnavailable`.
    fn unhealthy(&self, v128: bool, mrs: i64, now: SimTime) -> bool {
        if v128 {
            !self.running_ready || self.terminating
        } else {
            !available_from(self.ready, mrs, now) || self.terminating
        }
    }
}

/// A slot's pod as the sync's first pass saw it: its address (the facts hold while the slot
/// still holds that copy), its facts and whether its memo verdict held.
#[derive(Clone, Copy)]
struct SlotFacts {
    ptr: usize,
    lite: Lite,
    hit: bool,
}

/// What a replica slot of a sync holds: nothing (the ordinal has no pod), a claimed pod (by its
/// index in the sync's pod list: not copied, so a sync touches no pod's reference count for
/// the slots it only reads), or a pod this sync created or replaced.
#[derive(Clone)]
enum Slot {
    Empty,
    Claimed(usize),
    Own(Arc<Pod>),
}

/// The replicas of a sync by ordinal slot (`replicas` in `updateStatefulSet`).
struct Slots<'p> {
    pods: &'p [&'p Arc<Pod>],
    v: &'p mut Vec<Slot>,
    /// Slots given another pod during the sync (`set`), in order, maybe repeated.
    changed: Vec<usize>,
}

/// Buffers a set's syncs reuse (kept with its [`PodCache`]), so that a sync of a big set does
/// not allocate and touch fresh memory for its per-pod vectors every time.
#[derive(Default)]
pub(crate) struct Scratch {
    lites: Vec<Lite>,
    hits: Vec<bool>,
    slots: Vec<Slot>,
    slot_lites: Vec<Option<SlotFacts>>,
}

impl Slots<'_> {
    fn len(&self) -> usize {
        self.v.len()
    }

    /// `None`: out of range; `Some(None)`: no pod at slot `i`.
    fn get(&self, i: usize) -> Option<Option<&Arc<Pod>>> {
        Some(match self.v.get(i)? {
            Slot::Empty => None,
            Slot::Claimed(idx) => self.pods.get(*idx).copied(),
            Slot::Own(p) => Some(p),
        })
    }

    fn set(&mut self, i: usize, p: Arc<Pod>) {
        if let Some(slot) = self.v.get_mut(i) {
            *slot = Slot::Own(p);
            self.changed.push(i);
        }
    }

    fn iter(&self) -> impl Iterator<Item = Option<&Arc<Pod>>> + '_ {
        (0..self.len()).map(|i| self.get(i).flatten())
    }
}

/// What a sync read of a cached pod copy (see `memo::CachedPod::fast`): its facts compared with
/// the revision names of id `names_id`.
#[derive(Clone, Copy)]
pub(crate) struct Fast {
    names_id: u64,
    lite: Lite,
}

/// Replica counts of a status (`computeReplicaStatus`/`updateStatus`): sums of per-pod
/// contributions, so a sync can take a pod out and put another in.
#[derive(Clone, Copy, Default)]
struct Counts {
    replicas: i32,
    ready: i32,
    available: i32,
    current: i32,
    updated: i32,
}

impl Counts {
    /// Add (`sign` 1) or take out (`sign` -1) one pod's contribution.
    fn add(&mut self, f: &Lite, sign: i32, mrs: i64, now: SimTime) {
        if f.created {
            self.replicas += sign;
        }
        if f.running_ready {
            self.ready += sign;
            if available_from(f.ready, mrs, now) {
                self.available += sign;
            }
        }
        if f.created && !f.terminating {
            if f.current {
                self.current += sign;
            }
            if f.updated {
                self.updated += sign;
            }
        }
    }

    /// The counts of both sets of pods.
    fn plus(mut self, other: &Counts) -> Counts {
        self.replicas += other.replicas;
        self.ready += other.ready;
        self.available += other.available;
        self.current += other.current;
        self.updated += other.updated;
        self
    }

    fn apply(&self, status: &mut StatefulSetStatus) {
        status.replicas = self.replicas;
        status.ready_replicas = Some(self.ready);
        status.available_replicas = Some(self.available);
        status.current_replicas = Some(self.current);
        status.updated_replicas = Some(self.updated);
    }
}

/// Replica counts of a status from pods (`computeReplicaStatus`/`updateStatus`).
fn count_status<'p>(
    status: &mut StatefulSetStatus,
    pods: impl Iterator<Item = &'p Lite>,
    mrs: i64,
    now: SimTime,
) {
    let mut c = Counts::default();
    for f in pods {
        c.add(f, 1, mrs, now);
    }
    c.apply(status);
}

fn update_stateful_set(
    cx: &mut Ctx<'_>,
    set: &StatefulSet,
    (pods, cached): (&[&Arc<Pod>], &[Option<&CachedPod>]),
    scratch: &mut Scratch,
) -> Result<StatefulSetStatus, SyncError> {
    let revisions = list_revisions(cx.store, set);
    let result = perform_update(cx, set, (pods, cached), &revisions, scratch);
    let (current, update) = match &result {
        Ok((c, u, _)) => (Some(c.clone()), Some(u.clone())),
        Err(b) => (b.0.clone(), b.1.clone()),
    };
    let trunc = truncate_history(cx, set, pods, &revisions, current.as_ref(), update.as_ref());
    match result {
        Ok((_, _, status)) => match trunc {
            Ok(()) => Ok(status),
            Err(e) => Err(e),
        },
        Err(b) => {
            let mut errs = vec![b.2];
            if let Err(t) = trunc {
                errs.push(t);
            }
            Err(aggregate(errs).unwrap_or_else(|| SyncError(String::new())))
        }
    }
}

type PerformErr = Box<(Option<Rev>, Option<Rev>, SyncError)>;

fn perform_update(
    cx: &mut Ctx<'_>,
    set: &StatefulSet,
    pods: (&[&Arc<Pod>], &[Option<&CachedPod>]),
    revisions: &[Rev],
    scratch: &mut Scratch,
) -> Result<(Rev, Rev, StatefulSetStatus), PerformErr> {
    let (current, update, collision) =
        get_revisions(cx, set, revisions).map_err(|e| Box::new((None, None, e)))?;
    let (status, err) = update_pods(cx, set, &current, &update, collision, pods, scratch);
    let status_err = write_status(cx, set, status.clone()).err();
    let c = Some(current.clone());
    let u = Some(update.clone());
    match (err, status_err) {
        (Some(e), _) => Err(Box::new((c, u, e))),
        (None, Some(e)) => Err(Box::new((c, u, e))),
        (None, None) => Ok((current, update, status)),
    }
}

/// `completeRollingUpdate` + `inconsistentStatus` + the status subresource write.
fn write_status(
    cx: &mut Ctx<'_>,
    set: &StatefulSet,
    mut status: StatefulSetStatus,
) -> Result<(), SyncError> {
    let rolling = set
        .spec
        .as_ref()
        .and_then(|s| s.update_strategy.as_ref())
        .and_then(|s| s.type_.as_deref())
        .unwrap_or("RollingUpdate")
        == "RollingUpdate";
    let spec_replicas = replicas(set);
    let upd = status.updated_replicas.unwrap_or(0);
    let ready = status.ready_replicas.unwrap_or(0);
    // v1.28 `completeRollingUpdate`: updated == replicas == ready, where `replicas` counts the
    // pods that exist — so currentRevision flips while the last old pod is being recreated
    // (vector rolling-update-3, step 10). The recent source compares all three with
    // `spec.replicas` instead.
    let complete = if cx.cfg.version == K8sVersion::V1_28 {
        upd == status.replicas && ready == status.replicas
    } else {
        i64::from(upd) == spec_replicas
            && i64::from(ready) == spec_replicas
            && i64::from(status.replicas) == spec_replicas
    };
    if rolling && complete {
        status.current_replicas = Some(upd);
        status.current_revision = status.update_revision.clone();
    }
    let old = set.status.clone().unwrap_or_default();
    let inconsistent = status.observed_generation.unwrap_or(0)
        > old.observed_generation.unwrap_or(0)
        || status.replicas != old.replicas
        || status.current_replicas.unwrap_or(0) != old.current_replicas.unwrap_or(0)
        || status.ready_replicas.unwrap_or(0) != old.ready_replicas.unwrap_or(0)
        || status.updated_replicas.unwrap_or(0) != old.updated_replicas.unwrap_or(0)
        || status.current_revision != old.current_revision
        || status.available_replicas.unwrap_or(0) != old.available_replicas.unwrap_or(0)
        || status.update_revision != old.update_revision;
    if !inconsistent {
        return Ok(());
    }
    cx.store
        .write_status::<StatefulSet>(ACTOR, set_ns(set), set_name(set), |stored| {
            stored.status = Some(status)
        })
        .map_err(api_err)?;
    cx.wrote = true;
    Ok(())
}

/// `truncateHistory`.
fn truncate_history(
    cx: &mut Ctx<'_>,
    set: &StatefulSet,
    pods: &[&Arc<Pod>],
    revisions: &[Rev],
    current: Option<&Rev>,
    update: Option<&Rev>,
) -> Result<(), SyncError> {
    // Which of the (few) revisions are live: named by the current or update revision or by a
    // pod's revision label (read from the pods' remembered facts, `ReplicaMemo`).
    let mut live: Vec<bool> = revisions
        .iter()
        .map(|r| {
            [current, update].into_iter().flatten().any(|c| {
                r.metadata.name.as_deref() == Some(c.metadata.name.as_deref().unwrap_or(""))
            })
        })
        .collect();
    let mut remaining = live.iter().filter(|l| !**l).count();
    for p in pods {
        if remaining == 0 {
            break;
        }
        cx.store.controller_memo.with_facts(p, |f| {
            for (l, r) in live.iter_mut().zip(revisions) {
                if !*l && r.metadata.name.as_deref() == Some(f.revision.as_str()) {
                    *l = true;
                    remaining -= 1;
                }
            }
        });
    }
    let history: Vec<&Rev> = revisions
        .iter()
        .zip(&live)
        .filter(|(_, l)| !**l)
        .map(|(r, _)| r)
        .collect();
    let limit = i64::from(
        set.spec
            .as_ref()
            .and_then(|s| s.revision_history_limit)
            .unwrap_or(10),
    );
    // V1_35 returns early for a negative limit; v1.28 would slice out of range (a panic in Go):
    // we treat a negative limit as 0 there.
    if limit < 0 && cx.cfg.version != K8sVersion::V1_28 {
        return Ok(());
    }
    let limit = limit.max(0) as usize;
    if history.len() <= limit {
        return Ok(());
    }
    let n = history.len() - limit;
    for r in history.into_iter().take(n) {
        let name = r.metadata.name.clone().unwrap_or_default();
        cx.store
            .delete::<ControllerRevision>(ACTOR, set_ns(set), &name, None, cx.now)
            .map_err(api_err)?;
        cx.wrote = true;
    }
    Ok(())
}

/// The pod being worked on at a slot: either a stored pod or an in-memory one not created yet.
fn update_pods(
    cx: &mut Ctx<'_>,
    set: &StatefulSet,
    current: &ControllerRevision,
    update: &ControllerRevision,
    collision: i32,
    (pods, cached): (&[&Arc<Pod>], &[Option<&CachedPod>]),
    scratch: &mut Scratch,
) -> (StatefulSetStatus, Option<SyncError>) {
    let cfg = *cx.cfg;
    let v128 = cfg.version == K8sVersion::V1_28;
    let gate = cfg.gates.statefulset_start_ordinal;
    let mrs = min_ready_seconds(set);
    let now = cx.now;
    let cur_name = current.metadata.name.clone().unwrap_or_default();
    let upd_name = update.metadata.name.clone().unwrap_or_default();
    let mut status = StatefulSetStatus {
        observed_generation: set.metadata.generation,
        current_revision: Some(cur_name.clone()),
        update_revision: Some(upd_name.clone()),
        collision_count: Some(collision),
        ..Default::default()
    };
    // Bound the memo before reading it for this sync (pruning only ever drops entries).
    let (live_pods, live_claims) = (cx.store.pods.len(), cx.store.pvcs.len());
    cx.store.controller_memo.prune(live_pods, live_claims);
    // One memo lookup per pod per sync: its facts (`Lite`) and whether its "needed nothing"
    // verdict holds now (valid below while no claim is written, see `claims_at_lookup`).
    let names_id = cx
        .store
        .controller_memo
        .revision_names(&cur_name, &upd_name);
    let Scratch {
        lites,
        hits,
        slots: slot_buf,
        slot_lites,
    } = scratch;
    lites.clear();
    hits.clear();
    for (i, p) in pods.iter().enumerate() {
        let c = cached.get(i).copied().flatten();
        // The pod's facts and verdict from its cache entry when it was read under the same
        // revision names (no memo lookup), else from the memo (and remembered there).
        let fast = c
            .and_then(|c| c.fast.get())
            .filter(|f| f.names_id == names_id);
        let (l, hit) = match (fast, c, cx.epoch) {
            (Some(f), Some(c), Some(e)) => {
                let hit = match c.verdict.get() {
                    Some(mut v) => {
                        let before = v;
                        let h = cx.store.controller_memo.copy_holds(&mut v, e, now);
                        if v != before {
                            c.verdict.set(Some(v));
                        }
                        h
                    }
                    None => cx.store.controller_memo.hit(p, e, now),
                };
                (f.lite, hit)
            }
            _ => {
                let (l, hit) = cx
                    .store
                    .controller_memo
                    .with_facts_and_hit(p, cx.epoch, now, |f| {
                        Lite::from_facts(f, &cur_name, &upd_name)
                    });
                if let Some(c) = c
                    && cx.epoch.is_some()
                {
                    c.fast.set(Some(Fast { names_id, lite: l }));
                    c.verdict.set(cx.store.controller_memo.verdict_copy(p));
                }
                (l, hit)
            }
        };
        lites.push(l);
        hits.push(hit);
    }
    let claims_at_lookup = cx.store.controller_memo.claims_epoch();

    let n = replicas(set).min(MAX_REPLICAS);
    let start = start_ordinal(set, gate);
    slot_buf.clear();
    slot_buf.resize(usize::try_from(n).unwrap_or(0), Slot::Empty);
    let slots = Slots {
        pods,
        v: slot_buf,
        changed: Vec::new(),
    };
    // The counts of the slots' pods as assigned below (see `recount!`).
    let mut slot_counts = Counts::default();
    // The facts and verdict of each slot's pod, valid while the slot holds the same pod copy.
    slot_lites.clear();
    slot_lites.resize(slots.v.len(), None);
    let mut condemned: Vec<(Arc<Pod>, Lite)> = Vec::new();
    let end = end_ordinal(set, gate);
    for (idx, ((p, l), hit)) in pods.iter().zip(lites.iter()).zip(hits.iter()).enumerate() {
        // `in_ordinal_range` from the remembered ordinal.
        let ord = l.ordinal;
        if ord >= start && ord <= end {
            if let Some(i) = usize::try_from(ord - start).ok()
                && let (Some(slot), Some(sl)) = (slots.v.get_mut(i), slot_lites.get_mut(i))
            {
                *slot = Slot::Claimed(idx);
                if let Some(before) = sl.as_ref() {
                    slot_counts.add(&before.lite, -1, mrs, now);
                }
                slot_counts.add(l, 1, mrs, now);
                *sl = Some(SlotFacts {
                    ptr: Arc::as_ptr(p) as usize,
                    lite: *l,
                    hit: *hit,
                });
            }
        } else if ord >= 0 {
            condemned.push((Arc::clone(p), *l));
        }
    }
    let templates = Templates::new(current, update);
    // A missing ordinal stays `None` (see `placeholder_pod`): it is not created, so it counts
    // for nothing in the status and is unhealthy; it is only built when something needs it.
    let mut replicas_v = slots;
    let materialize = |replicas_v: &Slots<'_>, i: usize| -> Option<Arc<Pod>> {
        match replicas_v.get(i)? {
            Some(p) => Some(p.clone()),
            None => Some(Arc::new(placeholder_pod(
                set,
                &templates,
                start + i as i64,
                &cfg,
            ))),
        }
    };
    // The facts of slot `i`'s pod now (`None`: no pod): the copy from the first pass while the
    // slot holds the same pod, else looked up (a pod this sync created or replaced).
    let slot_lite = |memo: &mut crate::controller::ReplicaMemo,
                     slot_lites: &[Option<SlotFacts>],
                     replicas_v: &Slots<'_>,
                     i: usize|
     -> Option<Lite> {
        let p = replicas_v.get(i)??;
        match slot_lites.get(i) {
            Some(Some(f)) if f.ptr == Arc::as_ptr(p) as usize => Some(f.lite),
            _ => Some(Lite::of(memo, p, &cur_name, &upd_name)),
        }
    };
    condemned.sort_by_key(|(p, _)| std::cmp::Reverse(ordinal_of(p)));
    let mut condemned_counts = Counts::default();
    for (_, l) in &condemned {
        condemned_counts.add(l, 1, mrs, now);
    }

    // The first unhealthy pod: v1.28 `!isHealthy`, v1.35 `isUnavailable`.
    let unhealthy = |p: &Pod| {
        if v128 {
            !is_healthy(p)
        } else {
            is_unavailable(p, mrs, now)
        }
    };
    // Read only by the scale-down of condemned pods (as the slots are now, before the replicas
    // are processed).
    let first_unhealthy: Option<String> = if condemned.is_empty() {
        None
    } else {
        match replicas_v
            .iter()
            .zip(slot_lites.iter())
            .enumerate()
            .find(|(_, (s, l))| match (s, l) {
                (Some(_), Some(f)) => f.lite.unhealthy(v128, mrs, now),
                _ => true,
            }) {
            Some((i, (None, _))) => Some(pod_name(set, start + i as i64)),
            Some((_, (Some(p), _))) => p.metadata.name.clone(),
            None => condemned
                .iter()
                .rev()
                .find(|(_, l)| l.unhealthy(v128, mrs, now))
                .and_then(|(p, _)| p.metadata.name.clone()),
        }
    };

    // The counts of the slots' pods now and of the condemned: the slots as assigned, with
    // each slot the sync gave another pod taken out and its pod now put in.
    macro_rules! recount {
        () => {{
            let mut c = slot_counts;
            let mut changed = replicas_v.changed.clone();
            changed.sort_unstable();
            changed.dedup();
            for i in changed {
                if let Some(Some(f)) = slot_lites.get(i) {
                    c.add(&f.lite, -1, mrs, now);
                }
                if let Some(l) =
                    slot_lite(&mut cx.store.controller_memo, &slot_lites, &replicas_v, i)
                {
                    c.add(&l, 1, mrs, now);
                }
            }
            c.plus(&condemned_counts).apply(&mut status);
        }};
    }
    macro_rules! finish {
        ($err:expr) => {{
            recount!();
            return (status, $err);
        }};
    }

    if set.metadata.deletion_timestamp.is_some() {
        // The counts of the pods as listed (every other way out recounts the slots).
        count_status(&mut status, lites.iter(), mrs, now);
        return (status, None);
    }
    let monotonic = set
        .spec
        .as_ref()
        .and_then(|s| s.pod_management_policy.as_deref())
        != Some("Parallel");

    // Replicas. A pod that needed nothing in an earlier sync under the same set context and
    // claims needs nothing now (`ReplicaMemo`): its check is skipped.
    let (exit, err) = run_for_all(replicas_v.len(), monotonic, |i| {
        if let (Some(e), Some(Some(p))) = (cx.epoch, replicas_v.get(i)) {
            // The verdict looked up with the facts, for the same pod copy: a miss stays a miss
            // (only this slot's own check records a verdict for its pod); a hit holds while no
            // claim was written since (claim writes only ever invalidate).
            let looked_up = match slot_lites.get(i) {
                Some(Some(f)) if f.ptr == Arc::as_ptr(p) as usize => Some(f.hit),
                _ => None,
            };
            let hit = match looked_up {
                Some(false) => false,
                Some(true) if cx.store.controller_memo.claims_epoch() == claims_at_lookup => true,
                _ => cx.store.controller_memo.hit(p, e, now),
            };
            if hit {
                return (false, None);
            }
        }
        let memo = match (cx.epoch, replicas_v.get(i)) {
            (Some(e), Some(Some(p))) => Some((e, p.clone())),
            _ => None,
        };
        let rv = cx.store.resource_version;
        let r = process_replica(cx, set, &templates, monotonic, &mut replicas_v, i);
        if let Some((e, p)) = memo
            && !r.0
            && r.1.is_none()
            && cx.store.resource_version == rv
            && replicas_v
                .get(i)
                .is_some_and(|s| s.as_ref().is_some_and(|q| Arc::ptr_eq(q, &p)))
        {
            // The claims the check read: the pod's ordinal's, one per claim template.
            let ord = ordinal_of(&p);
            let claims: Box<[u64]> = claim_templates(set)
                .iter()
                .map(|t| {
                    super::memo::claim_hash(
                        set_ns(set),
                        &claim_name(t.metadata.name.as_deref().unwrap_or(""), set, ord),
                    )
                })
                .collect();
            cx.store.controller_memo.record(&p, e, now, claims);
            // The slot's cache entry (the same copy) learns the new verdict.
            if let Some(Slot::Claimed(idx)) = replicas_v.v.get(i)
                && let Some(Some(c)) = cached.get(*idx)
                && Arc::ptr_eq(&c.pod, &p)
            {
                c.verdict.set(cx.store.controller_memo.verdict_copy(&p));
            }
        }
        r
    });
    if exit || err.is_some() {
        finish!(err);
    }
    // Claims of condemned pods.
    if cfg.gates.statefulset_auto_delete_pvc {
        let (exit, err) = run_for_all(condemned.len(), monotonic, |i| {
            let Some(p) = condemned.get(i).map(|(p, _)| p.clone()) else {
                return (false, None);
            };
            if !claims_match_retention(cx, set, &p)
                && let Err(e) = update_pod_claims_for_retention(cx, set, &p)
            {
                return (true, Some(e));
            }
            (false, None)
        });
        if exit || err.is_some() {
            finish!(err);
        }
    }
    // Scale down.
    let (exit, err) = run_for_all(condemned.len(), monotonic, |i| {
        let Some(p) = condemned.get(i).map(|(p, _)| p.clone()) else {
            return (false, None);
        };
        if is_terminating(&p) {
            return (monotonic, None);
        }
        let is_first = first_unhealthy.as_deref() == p.metadata.name.as_deref();
        if monotonic && !is_first && (!is_running_and_ready(&p) || !is_available(&p, mrs, now)) {
            return (true, None);
        }
        (true, delete_pod(cx, set, &p).err())
    });
    if exit || err.is_some() {
        finish!(err);
    }
    recount!();
    let strategy = set.spec.as_ref().and_then(|s| s.update_strategy.as_ref());
    if strategy.and_then(|s| s.type_.as_deref()) == Some("OnDelete") {
        return (status, None);
    }
    let partition = strategy
        .and_then(|s| s.rolling_update.as_ref())
        .and_then(|r| r.partition)
        .map(i64::from)
        .unwrap_or(0);
    let update_min = usize::try_from(partition.max(0)).unwrap_or(usize::MAX);
    let count = replicas_v.len();

    if cfg.gates.max_unavailable_statefulset {
        // `updateStatefulSetAfterInvariantEstablished`.
        let max_unavailable = match strategy.and_then(|s| s.rolling_update.as_ref()) {
            Some(ru) => match scaled_max_unavailable(ru.max_unavailable.as_ref(), count) {
                Ok(m) => m,
                Err(e) => return (status, Some(e)),
            },
            None => 1,
        };
        let unavailable = replicas_v
            .iter()
            .filter(|s| s.as_ref().is_none_or(|p| unhealthy(p)))
            .count();
        // V1_28 blocks at `unavailable >= maxUnavailable`; recent sources at `>`.
        let blocked = if v128 {
            unavailable >= max_unavailable
        } else {
            unavailable > max_unavailable
        };
        if blocked {
            return (status, None);
        }
        let to_delete = max_unavailable.saturating_sub(unavailable);
        let mut deleted = 0;
        let mut target = count;
        while target > update_min && deleted < to_delete {
            target -= 1;
            let Some(p) = materialize(&replicas_v, target) else {
                break;
            };
            if pod_revision(&p) != upd_name && !is_terminating(&p) {
                if let Err(e) = delete_pod(cx, set, &p)
                    && !e.0.contains("NotFound")
                {
                    return (status, Some(e));
                }
                deleted += 1;
                status.current_replicas = Some(status.current_replicas.unwrap_or(0) - 1);
            }
        }
        return (status, None);
    }
    let mut target = count;
    while target > update_min {
        target -= 1;
        // (outdated and not terminating, unhealthy): from the slot's facts, or from the
        // placeholder of a missing ordinal.
        let (outdated, unhealthy_now) = match slot_lite(
            &mut cx.store.controller_memo,
            slot_lites,
            &replicas_v,
            target,
        ) {
            Some(l) => (!l.updated && !l.terminating, l.unhealthy(v128, mrs, now)),
            None => match materialize(&replicas_v, target) {
                Some(p) => (
                    pod_revision(&p) != upd_name && !is_terminating(&p),
                    unhealthy(&p),
                ),
                None => break,
            },
        };
        if outdated {
            let Some(p) = materialize(&replicas_v, target) else {
                break;
            };
            let r = delete_pod(cx, set, &p);
            status.current_replicas = Some(status.current_replicas.unwrap_or(0) - 1);
            return (status, r.err().filter(|e| !e.0.contains("NotFound")));
        }
        if unhealthy_now {
            return (status, None);
        }
    }
    (status, None)
}

/// `getStatefulSetMaxUnavailable`: int or percentage of replicas (rounded down), at least 1.
fn scaled_max_unavailable(v: Option<&IntOrString>, replicas: usize) -> Result<usize, SyncError> {
    let n = match v {
        None => 1,
        Some(IntOrString::Int(i)) => i64::from(*i),
        Some(IntOrString::String(s)) => {
            let Some(pct) = s.strip_suffix('%').and_then(|p| p.parse::<i64>().ok()) else {
                return Err(SyncError(
                    "invalid value for IntOrString: invalid type: string is not a percentage"
                        .to_string(),
                ));
            };
            pct.saturating_mul(replicas as i64) / 100
        }
    };
    Ok(usize::try_from(n.max(1)).unwrap_or(1))
}

/// `runForAll`: in order, stopping at the first exit (monotonic), or in slow-start batches
/// (1, 2, 4, ... up to 500) stopping after a batch with errors (burst).
fn run_for_all(
    n: usize,
    monotonic: bool,
    mut f: impl FnMut(usize) -> (bool, Option<SyncError>),
) -> (bool, Option<SyncError>) {
    if monotonic {
        for i in 0..n {
            let (exit, err) = f(i);
            if exit || err.is_some() {
                return (true, err);
            }
        }
        return (false, None);
    }
    let mut i = 0;
    let mut batch = 1usize.min(n);
    while batch > 0 {
        let mut errs = Vec::new();
        for _ in 0..batch {
            if let (_, Some(e)) = f(i) {
                errs.push(e);
            }
            i += 1;
        }
        if let Some(e) = aggregate(errs) {
            return (true, Some(e));
        }
        let remaining = n - i;
        batch = (2 * batch).min(remaining).min(MAX_BATCH);
    }
    (false, None)
}

/// `processReplica`: (exit, error).
#[allow(clippy::too_many_arguments)]
fn process_replica(
    cx: &mut Ctx<'_>,
    set: &StatefulSet,
    templates: &Templates<'_>,
    monotonic: bool,
    replicas_v: &mut Slots<'_>,
    i: usize,
) -> (bool, Option<SyncError>) {
    let cfg = *cx.cfg;
    let mrs = min_ready_seconds(set);
    let now = cx.now;
    let mut pod = match replicas_v.get(i) {
        None => return (false, None),
        Some(Some(p)) => p.clone(),
        Some(None) => {
            let ord = start_ordinal(set, cfg.gates.statefulset_start_ordinal) + i as i64;
            Arc::new(placeholder_pod(set, templates, ord, &cfg))
        }
    };
    if is_failed(&pod) || is_succeeded(&pod) {
        if cfg.version == K8sVersion::V1_28 {
            // v1.28: delete and recreate in the same sync (with a RecreatingFailedPod event).
            let (reason, what) = if is_failed(&pod) {
                ("RecreatingFailedPod", "failed")
            } else {
                ("RecreatingTerminatedPod", "terminated")
            };
            let msg = format!(
                "StatefulSet {}/{} is recreating {what} Pod {}",
                set_ns(set),
                set_name(set),
                pod.metadata.name.as_deref().unwrap_or("")
            );
            cx.event(set, EventType::Warning, reason, &msg);
            if let Err(e) = delete_pod(cx, set, &pod) {
                return (true, Some(e));
            }
            let ord = start_ordinal(set, cfg.gates.statefulset_start_ordinal) + i as i64;
            pod = Arc::new(new_versioned_pod(set, templates, ord, &cfg));
            replicas_v.set(i, pod.clone());
        } else {
            // Recent `processReplica`: delete (unless already terminating) and exit; the
            // replacement comes on a later sync once the old pod is gone.
            if !is_terminating(&pod)
                && let Err(e) = delete_pod(cx, set, &pod)
            {
                return (true, Some(e));
            }
            return (true, None);
        }
    }
    if !is_created(&pod) {
        // Build the full pod for this ordinal now (see `placeholder_pod`).
        let ord = start_ordinal(set, cfg.gates.statefulset_start_ordinal) + i as i64;
        pod = Arc::new(new_versioned_pod(set, templates, ord, &cfg));
        replicas_v.set(i, pod.clone());
        if cfg.gates.statefulset_auto_delete_pvc && pod_claim_is_stale(cx, set, &pod) {
            return (true, None);
        }
        if let Err(e) = create_pod(cx, set, &pod) {
            return (true, Some(e));
        }
        if monotonic {
            return (true, None);
        }
    }
    if is_pending(&pod) {
        if let Err(e) = create_claims(cx, set, &pod) {
            return (true, Some(e));
        }
        if cfg.gates.statefulset_auto_delete_pvc
            && let Err(e) = update_pod_claims_for_retention(cx, set, &pod)
        {
            pod_event(cx, "update", set, &pod, Some(&e));
            return (true, Some(e));
        }
    }
    if is_terminating(&pod) && monotonic {
        return (true, None);
    }
    if !is_running_and_ready(&pod) && monotonic {
        return (true, None);
    }
    if !is_available(&pod, mrs, now) && monotonic {
        return (true, None);
    }
    let retention_ok =
        !cfg.gates.statefulset_auto_delete_pvc || claims_match_retention(cx, set, &pod);
    if identity_matches(set, &pod) && storage_matches(set, &pod) && retention_ok {
        return (false, None);
    }
    match update_pod(cx, set, &pod) {
        Ok(()) => (false, None),
        Err(e) => (true, Some(e)),
    }
}

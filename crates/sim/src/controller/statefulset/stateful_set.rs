//! `stateful_set.go`: the StatefulSet controller's work queue and the informer event handlers
//! that feed it (`addPod`, `updatePod`, `deletePod`, the StatefulSet add/update/delete
//! handlers; no handlers for PVCs or ControllerRevisions in v1.28), the rate-limited retry and
//! `AddAfter` delays over simulated time, and one sync of one set (`sync`, `syncStatefulSet`):
//! adopting orphan revisions, claiming pods (`ControllerRefManager.ClaimPods` with
//! `canAdoptFunc`), then `stateful_set_control`.
//!
//! The queue reads the store's write log to see what changed, as the informers would: every
//! write of the controller and of anyone else since the queue last looked.

use crate::sort::Sort as _;
use std::collections::VecDeque;

use std::sync::Arc;

use k8s_openapi::api::apps::v1::{ControllerRevision, StatefulSet, StatefulSetStatus};
use k8s_openapi::api::core::v1::Pod;

use super::memo::*;
use super::stateful_pod_control::*;
use super::stateful_set_control::*;
use super::stateful_set_utils::*;
use crate::config::ControllerConfig;
use crate::controller::meta::*;
use crate::controller::podutil::*;
use crate::store::{ApiError, Store};
use crate::time::SimTime;

use crate::store::{Key, Verb, Write, Written};

/// The most syncs one `process` call runs (a bound on work; a healthy set goes idle in a few).
pub const MAX_SYNCS: usize = 100_000;

/// What running the controller until idle did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IdleReport {
    /// Distinct sync error texts, first seen first.
    pub errors: Vec<String>,
    /// StatefulSets whose last sync failed (upstream retries them with backoff).
    pub failed: Vec<Key>,
    /// Delay (ms from the report's `now`) of the earliest delayed resync, if any.
    pub requeue_after: Option<SimTime>,
    /// Syncs run.
    pub syncs: usize,
    /// Whether anything was written.
    pub wrote: bool,
    /// True when `MAX_SYNCS` stopped the loop before the queue was empty.
    pub truncated: bool,
}

/// A work queue of StatefulSet keys (namespace, name), deduplicated, with delayed adds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkQueue {
    queue: VecDeque<Key>,
    /// key -> due time (the earliest wins, as client-go's delaying queue).
    delayed: crate::vecmap::VecMap<Key, SimTime>,
    /// How far into the store's write log the handlers have looked.
    seen: usize,
}

impl WorkQueue {
    pub fn new() -> Self {
        Self::default()
    }

    /// `queue.Add`.
    pub fn add(&mut self, k: Key) {
        if !self.queue.contains(&k) {
            self.queue.push_back(k);
        }
    }

    /// `queue.AddAfter`: due at an absolute sim time.
    pub fn add_at(&mut self, k: Key, due: SimTime) {
        match self.delayed.get_mut(&k) {
            Some(e) => *e = due.min(*e),
            None => {
                self.delayed.insert(k, due);
            }
        }
    }

    /// Every StatefulSet in the store (an informer resync).
    pub fn add_all(&mut self, store: &Store) {
        let keys: Vec<Key> = store.statefulsets.keys().cloned().collect();
        for k in keys {
            self.add(k);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.queue.is_empty()
    }

    /// The earliest delayed item's due time.
    pub fn next_due(&self) -> Option<SimTime> {
        self.delayed.values().min().copied()
    }

    /// Move every delayed item due at or before `now` into the queue (in due order).
    pub fn promote_due(&mut self, now: SimTime) {
        let mut due: Vec<(SimTime, Key)> = self
            .delayed
            .iter()
            .filter(|(_, t)| **t <= now)
            .map(|(k, t)| (*t, k.clone()))
            .collect();
        due.stable_sort();
        for (_, k) in due {
            self.delayed.remove(&k);
            self.add(k);
        }
    }

    /// Mark the store's log as seen up to now (writes before this are not events for us).
    pub fn skip_log(&mut self, store: &Store) {
        self.seen = store.log.len();
    }

    /// Feed the writes logged since the last look to the informer handlers.
    pub fn observe(&mut self, store: &Store, now: SimTime) {
        let start = self.seen.min(store.log.len());
        self.seen = store.log.len();
        // The handlers only read the store: walk the log in place (no copies of the logged
        // objects).
        for w in store.log.get(start..).unwrap_or_default() {
            self.handle(store, w, now);
        }
    }

    fn handle(&mut self, store: &Store, w: &Write, now: SimTime) {
        match w.resource {
            "statefulsets" => self.add((w.namespace.clone(), w.name.clone())),
            "pods" => {
                let new = match w.object.as_ref() {
                    Some(Written::Pod(p)) => Some(&**p),
                    _ => None,
                };
                let old = match w.old.as_ref() {
                    Some(Written::Pod(p)) => Some(&**p),
                    _ => None,
                };
                match (w.verb, new) {
                    (Verb::Removed, Some(p)) => {
                        if let Some(k) = resolve(store, p) {
                            self.add(k);
                        }
                    }
                    (Verb::Create, Some(p)) => {
                        if let Some(k) = resolve(store, p) {
                            self.add(k);
                        } else if controller_of(&p.metadata).is_none() {
                            for k in matching_sets(store, p) {
                                self.add(k);
                            }
                        }
                    }
                    (_, Some(p)) => self.pod_updated(store, old, p, now),
                    _ => {}
                }
            }
            _ => {}
        }
    }

    /// `updatePod`.
    fn pod_updated(&mut self, store: &Store, old: Option<&Pod>, cur: &Pod, now: SimTime) {
        let old_ref = old.and_then(|o| controller_of(&o.metadata));
        let cur_ref = controller_of(&cur.metadata);
        let ref_changed = old.is_some() && old_ref != cur_ref;
        if ref_changed
            && let Some(o) = old
            && let Some(k) = resolve(store, o)
        {
            self.add(k);
        }
        if cur_ref.is_some() {
            let Some(k) = resolve(store, cur) else { return };
            self.add(k.clone());
            let became_ready = old.is_some_and(|o| !is_pod_ready(o)) && is_pod_ready(cur);
            if became_ready && let Some(set) = store.get::<StatefulSet>(&k.0, &k.1) {
                let mrs = min_ready_seconds(set);
                if mrs > 0 {
                    self.add_at(k, now + (mrs as u64) * 1000 + 1000);
                }
            }
            return;
        }
        let labels_changed = old.is_none_or(|o| o.metadata.labels != cur.metadata.labels);
        if labels_changed || ref_changed {
            for k in matching_sets(store, cur) {
                self.add(k);
            }
        }
    }

    /// Run syncs until the queue is empty (bounded by `MAX_SYNCS`). Turns the store's write
    /// log on while it runs; writes stay in the log only if the caller was recording.
    pub fn process(
        &mut self,
        store: &mut Store,
        now: SimTime,
        cfg: &ControllerConfig,
    ) -> IdleReport {
        let (rec, rec_obj) = (store.record, store.record_objects);
        let base = store.log.len();
        store.record = true;
        store.record_objects = true;
        self.seen = self.seen.min(store.log.len());
        self.observe(store, now);
        let mut report = IdleReport::default();
        while let Some(k) = self.queue.pop_front() {
            if report.syncs >= MAX_SYNCS {
                self.queue.push_front(k);
                report.truncated = true;
                break;
            }
            report.syncs += 1;
            let r: SyncResult = sync(store, &k.0, &k.1, now, cfg);
            report.wrote |= r.wrote;
            if let Some(d) = r.requeue_after {
                self.add_at(k.clone(), now + d + 1);
            }
            report.failed.retain(|f| f != &k);
            if !r.errors.is_empty() {
                report.failed.push(k.clone());
            }
            for e in r.errors {
                if !report.errors.contains(&e) {
                    report.errors.push(e);
                }
            }
            self.observe(store, now);
        }
        report.requeue_after = self.next_due().map(|t| t.saturating_sub(now));
        store.record = rec;
        store.record_objects = rec_obj;
        if !rec {
            store.log.truncate(base);
            self.seen = base;
        }
        report
    }
}

/// `resolveControllerRef`: the StatefulSet a pod's controller reference points to, if it exists
/// with that uid.
fn resolve(store: &Store, pod: &Pod) -> Option<Key> {
    let r = controller_of(&pod.metadata)?;
    if r.kind != "StatefulSet" {
        return None;
    }
    let ns = pod.metadata.namespace.as_deref().unwrap_or("default");
    let set = store.get::<StatefulSet>(ns, &r.name)?;
    (set.metadata.uid.as_deref() == Some(r.uid.as_str())).then(|| (ns.to_string(), r.name.clone()))
}

/// `getPodStatefulSets`: sets in the pod's namespace whose selector matches its labels.
fn matching_sets(store: &Store, pod: &Pod) -> Vec<Key> {
    let ns = pod.metadata.namespace.as_deref().unwrap_or("default");
    store
        .list::<StatefulSet>(Some(ns))
        .filter(|s| selector_matches(set_selector(s), pod.metadata.labels.as_ref()))
        .map(|s| (ns.to_string(), s.metadata.name.clone().unwrap_or_default()))
        .collect()
}

/// Sync every StatefulSet, follow the events its writes cause, then let pvc-protection act,
/// until nothing more happens (bounded). For the playground: a resync of everything.
pub fn run_until_idle(store: &mut Store, now: SimTime, cfg: &ControllerConfig) -> IdleReport {
    let mut q = WorkQueue::new();
    q.skip_log(store);
    let mut total = IdleReport::default();
    for _ in 0..16 {
        q.add_all(store);
        let r = q.process(store, now, cfg);
        total.syncs += r.syncs;
        total.wrote |= r.wrote;
        total.truncated |= r.truncated;
        // Errors of the last round only: an earlier failure that pvc-protection resolved (a
        // claim being deleted) is retried here at once, as the rate-limited retry would.
        total.failed = r.failed;
        total.errors = r.errors;
        total.requeue_after = r.requeue_after;
        let pvc = crate::pvc_protection::reconcile(store, now, cfg);
        if pvc.is_empty() {
            break;
        }
        total.wrote = true;
    }
    total
}

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
    let mut memo = store.controller_memo.take::<ReplicaMemo>();
    let epoch = memo.context(&set, cfg);
    let mut cx = Ctx {
        store,
        now,
        cfg,
        wrote: false,
        epoch,
        memo,
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
    cx.store.controller_memo.put(cx.memo);
    result
}

pub(super) fn sync_inner(
    cx: &mut Ctx<'_>,
    set: &StatefulSet,
) -> Result<StatefulSetStatus, SyncError> {
    adopt_orphan_revisions(cx, set)?;
    let mut cache = cx.memo.take_pod_cache(set_uid(set));
    let r = claim_and_update(cx, set, &mut cache);
    cx.memo.put_pod_cache(set_uid(set), cache);
    r
}

pub(super) fn claim_and_update(
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
pub(super) enum Claimed {
    Cached(usize),
    Adopted(Arc<Pod>),
}

/// `RecheckDeletionTimestamp` / the adoption precondition: the set as stored now has the same
/// uid and is not being deleted.
pub(super) fn can_adopt(cx: &Ctx<'_>, set: &StatefulSet) -> Result<(), SyncError> {
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

pub(super) fn adoption_patch(set: &StatefulSet, obj_uid: &str) -> String {
    format!(
        r#"{{"metadata":{{"ownerReferences":[{{"apiVersion":"apps/v1","kind":"StatefulSet","name":"{}","uid":"{}","controller":true,"blockOwnerDeletion":true}}],"uid":"{}"}}}}"#,
        set_name(set),
        set_uid(set),
        obj_uid
    )
}

pub(super) fn release_patch(set: &StatefulSet, obj_uid: &str) -> String {
    format!(
        r#"{{"metadata":{{"ownerReferences":[{{"$patch":"delete","uid":"{}"}}],"uid":"{}"}}}}"#,
        set_uid(set),
        obj_uid
    )
}

/// `adoptOrphanRevisions` (stateful_set.go).
pub(super) fn adopt_orphan_revisions(cx: &mut Ctx<'_>, set: &StatefulSet) -> Result<(), SyncError> {
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
        let mut r = k8sjson::copy::<ControllerRevision>(&r);
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
pub(super) fn claim_pods(
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
                let mut p = k8sjson::copy::<Pod>(&pod);
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
                let mut p = k8sjson::copy::<Pod>(&pod);
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

//! `stateful_set_control.go`: one StatefulSet's update (`UpdateStatefulSet`): its revisions
//! (`getStatefulSetRevisions`, `createRevision`), the pass over its replicas
//! (`updateStatefulSet`: `processReplica`, `processCondemned`, the rolling update), its status
//! (`updateStatefulSetStatus`) and history (`truncateHistory`).
//!
//! Where v1.28 and v1.35 differ the code branches on `ControllerConfig::version` (see the
//! `V1_28`/`V1_35` comments and `tests/conformance.rs`). Every write goes through the `Store`
//! with `Actor::StatefulSetController`, so the write log shows the controller's API calls in
//! order (the oracle traces' action lines).

use crate::sort::Sort as _;
use std::sync::Arc;

use k8s_openapi::api::apps::v1::{ControllerRevision, StatefulSet, StatefulSetStatus};
use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::apimachinery::pkg::runtime::RawExtension;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::memo::*;
use super::stateful_pod_control::*;
use super::stateful_set_utils::*;
use crate::config::K8sVersion;
use crate::controller::meta::*;
use crate::controller::podutil::*;
use crate::events::EventType;
use crate::revision;
use crate::store::{ApiError, Store};
use crate::time::SimTime;

/// `MaxBatchSize` of `slowStartBatch`.
pub(super) const MAX_BATCH: usize = 500;

pub(super) fn revision_data_bytes(r: &ControllerRevision) -> std::rc::Rc<[u8]> {
    match r.data.as_ref() {
        Some(d) => super::revision_cache::data_bytes(&d.0),
        None => std::rc::Rc::from(Vec::new()),
    }
}

/// [`revision_data_bytes`] of a stored revision, remembered per shared copy.
pub(super) fn stored_revision_bytes(cx: &mut Ctx<'_>, r: &Rev) -> std::rc::Rc<[u8]> {
    cx.memo.revision_bytes(r, || revision_data_bytes(r))
}

pub(super) fn hash_label(r: &ControllerRevision) -> Option<&str> {
    r.metadata
        .labels
        .as_ref()
        .and_then(|l| l.get(HISTORY_HASH_LABEL))
        .map(String::as_str)
}

/// `history.EqualRevision`.
pub(super) fn equal_revision(a: &ControllerRevision, b: &ControllerRevision) -> bool {
    equal_by(hash_label(a), hash_label(b), || {
        revision_data_bytes(a) == revision_data_bytes(b)
    })
}

/// `history.EqualRevision` from the two hash labels and a comparison of the data bytes.
pub(super) fn equal_by(
    a: Option<&str>,
    b: Option<&str>,
    same_bytes: impl FnOnce() -> bool,
) -> bool {
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
pub(super) struct Candidate {
    pub(super) data: super::revision_cache::TemplateData,
    pub(super) hash: std::rc::Rc<str>,
}

pub(super) fn candidate(cx: &mut Ctx<'_>, set: &StatefulSet, collision_count: i32) -> Candidate {
    let version = cx.cfg.version;
    let compute = || {
        let raw = set
            .spec
            .as_ref()
            .map(|s| k8sjson::copy(&s.template))
            .unwrap_or_default();
        super::revision_cache::template_data(&raw, version)
    };
    // Remembered per set context while the memo is on (`None` when it is off).
    let memo = &mut cx.memo;
    let data = memo
        .context_template(set_uid(set), compute)
        .unwrap_or_else(compute);
    let make_hash = || revision::hash(&data.1, Some(collision_count));
    let hash = memo
        .context_hash(set_uid(set), collision_count, make_hash)
        .unwrap_or_else(|| std::rc::Rc::from(make_hash()));
    Candidate { data, hash }
}

/// `history.ListControllerRevisions`: revisions matching the selector that the set owns or
/// that have no controller, sorted (`SortControllerRevisions`: revision, then creation, then
/// name).
pub(super) fn list_revisions(store: &mut Store, set: &StatefulSet) -> Vec<Rev> {
    let sel = set_selector(set);
    // Shared copies: a revision's data is a whole pod template, not copied per sync.
    let mut v: Vec<Rev> = store.revision_snapshot(set_ns(set), |r| {
        selector_matches(sel, r.metadata.labels.as_ref())
            && match controller_of(&r.metadata) {
                None => true,
                Some(c) => c.uid == set_uid(set),
            }
    });
    v.stable_sort_by(|a, b| {
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

/// `newRevision`: the revision object for the set's current template (not stored), from its
/// [`Candidate`].
pub(super) fn new_revision(set: &StatefulSet, number: i64, cand: &Candidate) -> ControllerRevision {
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

/// `getStatefulSetRevisions`: (current, update, collisionCount).
pub(super) fn get_revisions(
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
            let mut r = k8sjson::copy::<ControllerRevision>(eq);
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
pub(super) fn create_revision(
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
        match cx.store.create(ACTOR, k8sjson::copy(&rev), cx.now) {
            Ok(r) => {
                cx.wrote = true;
                return Ok(r);
            }
            Err(ApiError::AlreadyExists { .. }) => {
                let name = rev.metadata.name.clone().unwrap_or_default();
                if let Some(existing) = cx.store.get::<ControllerRevision>(set_ns(set), &name)
                    && equal_revision(existing, &rev)
                {
                    return Ok(k8sjson::copy(existing));
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

/// The replicas of a sync by ordinal slot (`replicas` in `updateStatefulSet`).
pub(super) struct Slots<'p> {
    pub(super) pods: &'p [&'p Arc<Pod>],
    pub(super) v: &'p mut Vec<Slot>,
    /// Slots given another pod during the sync (`set`), in order, maybe repeated.
    pub(super) changed: Vec<usize>,
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

/// Replica counts of a status (`computeReplicaStatus`/`updateStatus`): sums of per-pod
/// contributions, so a sync can take a pod out and put another in.
#[derive(Clone, Copy, Default)]
pub(super) struct Counts {
    pub(super) replicas: i32,
    pub(super) ready: i32,
    pub(super) available: i32,
    pub(super) current: i32,
    pub(super) updated: i32,
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
pub(super) fn count_status<'p>(
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

pub(super) fn update_stateful_set(
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

pub(super) type PerformErr = Box<(Option<Rev>, Option<Rev>, SyncError)>;

pub(super) fn perform_update(
    cx: &mut Ctx<'_>,
    set: &StatefulSet,
    pods: (&[&Arc<Pod>], &[Option<&CachedPod>]),
    revisions: &[Rev],
    scratch: &mut Scratch,
) -> Result<(Rev, Rev, StatefulSetStatus), PerformErr> {
    let (current, update, collision) =
        get_revisions(cx, set, revisions).map_err(|e| Box::new((None, None, e)))?;
    let (status, err) = update_pods(cx, set, &current, &update, collision, pods, scratch);
    let status_err = write_status(cx, set, k8sjson::copy(&status)).err();
    let c = Some(current.clone());
    let u = Some(update.clone());
    match (err, status_err) {
        (Some(e), _) => Err(Box::new((c, u, e))),
        (None, Some(e)) => Err(Box::new((c, u, e))),
        (None, None) => Ok((current, update, status)),
    }
}

/// `completeRollingUpdate` + `inconsistentStatus` + the status subresource write.
pub(super) fn write_status(
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
    let old = k8sjson::copy(&set.status).unwrap_or_default();
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
pub(super) fn truncate_history(
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
        cx.memo.with_facts(p, |f| {
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
pub(super) fn update_pods(
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
    cx.memo.prune(live_pods);
    cx.store.claim_book.prune(live_claims);
    // One memo lookup per pod per sync: its facts (`Lite`) and whether its "needed nothing"
    // verdict holds now (valid below while no claim is written, see `claims_at_lookup`).
    let (memo, book) = (&mut cx.memo, &cx.store.claim_book);
    let names_id = memo.revision_names(&cur_name, &upd_name);
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
                        let h = memo.copy_holds(&mut v, e, now, book);
                        if v != before {
                            c.verdict.set(Some(v));
                        }
                        h
                    }
                    None => memo.hit(p, e, now, book),
                };
                (f.lite, hit)
            }
            _ => {
                let (l, hit) = memo.with_facts_and_hit(p, cx.epoch, now, book, |f| {
                    Lite::from_facts(f, &cur_name, &upd_name)
                });
                if let Some(c) = c
                    && cx.epoch.is_some()
                {
                    c.fast.set(Some(Fast { names_id, lite: l }));
                    c.verdict.set(memo.verdict_copy(p));
                }
                (l, hit)
            }
        };
        lites.push(l);
        hits.push(hit);
    }
    let claims_at_lookup = book.epoch();

    let n = replicas(set).min(MAX_REPLICAS);
    let start = start_ordinal(set, gate);
    slot_buf.clear();
    slot_buf.resize(usize::try_from(n).unwrap_or(0), Slot::Empty);
    let slots = Slots {
        pods,
        v: slot_buf,
        changed: Vec::new(),
    };
    // The counts of the slots' pods as assigned below (see the recount after the phases).
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
    condemned.stable_sort_by_key(|(p, _)| std::cmp::Reverse(ordinal_of(p)));
    let mut condemned_counts = Counts::default();
    for (_, l) in &condemned {
        condemned_counts.add(l, 1, mrs, now);
    }

    // The first unhealthy pod: v1.28 `!isHealthy`, v1.35 `isUnavailable`.
    let unhealthy = |p: &Pod| is_unhealthy(p, v128, mrs, now);
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
    if set.metadata.deletion_timestamp.is_some() {
        // The counts of the pods as listed (every other way out recounts the slots).
        count_status(&mut status, lites.iter(), mrs, now);
        return (status, None);
    }
    let monotonic = !allows_burst(set);

    // Replicas. A pod that needed nothing in an earlier sync under the same set context and
    // claims needs nothing now (`ReplicaMemo`): its check is skipped.
    // The replicas, the condemned pods' claims, the scale-down: a phase that stops the sync
    // leaves with its error (`Some`), after the counts below, as the end of the three does.
    let stopped: Option<Option<SyncError>> = 'phases: {
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
                    Some(true) if cx.store.claim_book.epoch() == claims_at_lookup => true,
                    _ => cx.memo.hit(p, e, now, &cx.store.claim_book),
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
                        crate::claim_book::claim_hash(
                            set_ns(set),
                            &claim_name(t.metadata.name.as_deref().unwrap_or(""), set, ord),
                        )
                    })
                    .collect();
                let at = cx.store.claim_book.epoch();
                cx.memo.record(&p, (e, at), now, claims);
                // The slot's cache entry (the same copy) learns the new verdict.
                if let Some(Slot::Claimed(idx)) = replicas_v.v.get(i)
                    && let Some(Some(c)) = cached.get(*idx)
                    && Arc::ptr_eq(&c.pod, &p)
                {
                    c.verdict.set(cx.memo.verdict_copy(&p));
                }
            }
            r
        });
        if exit || err.is_some() {
            break 'phases Some(err);
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
                break 'phases Some(err);
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
            if monotonic && !is_first && (!is_running_and_ready(&p) || !is_available(&p, mrs, now))
            {
                return (true, None);
            }
            (true, delete_pod(cx, set, &p).err())
        });
        if exit || err.is_some() {
            break 'phases Some(err);
        }
        None
    };
    // The counts of the slots' pods now and of the condemned: the slots as assigned, with
    // each slot the sync gave another pod taken out and its pod now put in.
    let mut c = slot_counts;
    let mut changed = replicas_v.changed.clone();
    changed.stable_sort();
    changed.dedup();
    for i in changed {
        if let Some(Some(f)) = slot_lites.get(i) {
            c.add(&f.lite, -1, mrs, now);
        }
        if let Some(l) = slot_lite(&mut cx.memo, slot_lites, &replicas_v, i) {
            c.add(&l, 1, mrs, now);
        }
    }
    c.plus(&condemned_counts).apply(&mut status);
    if let Some(err) = stopped {
        return (status, err);
    }
    if is_on_delete(set) {
        return (status, None);
    }
    let strategy = set.spec.as_ref().and_then(|s| s.update_strategy.as_ref());
    let partition = partition(set);
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
        let (outdated, unhealthy_now) =
            match slot_lite(&mut cx.memo, slot_lites, &replicas_v, target) {
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
pub(super) fn scaled_max_unavailable(
    v: Option<&IntOrString>,
    replicas: usize,
) -> Result<usize, SyncError> {
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
pub(super) fn run_for_all(
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
pub(super) fn process_replica(
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

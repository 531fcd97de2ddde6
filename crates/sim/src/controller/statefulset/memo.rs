//! The StatefulSet controller's caches. [`ReplicaMemo`] (kept in the `Store`) remembers which pods needed nothing in `processReplica`,
//! so that a sync skips the per-pod checks of pods that did not change (see its docs).

use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

use k8s_openapi::api::apps::v1::{ControllerRevision, StatefulSet};
use k8s_openapi::api::core::v1::Pod;

use super::revision_cache::TemplateData;
use super::stateful_set_utils as util;
use crate::claim_book::{ClaimBook, PtrHash};
use crate::config::ControllerConfig;
use crate::controller::podutil::{self, available_from};
use crate::time::SimTime;

thread_local! {
    /// Test switch: `ReplicaMemo` off for every store used on this thread.
    static REPLICA_MEMO_OFF: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Turn [`ReplicaMemo`] off (or back on) for every store synced on the calling thread; for the
/// differential tests that run the same operations with and without it.
pub fn set_replica_memo_off_in_thread(off: bool) {
    REPLICA_MEMO_OFF.with(|c| c.set(off));
}

/// A memo of per-pod facts and of `processReplica` verdicts for pods that needed nothing (the
/// sync's per-pod check returned "go on, no error" and wrote nothing), so that the next sync can
/// skip the check for the very same pod object. Lives in the `Store` (`Store::controller_memo`,
/// [`replica_memo`]; a sync takes it out while it runs); a cache, not state: ignored by
/// equality, emptied by clone (an empty memo is always correct).
///
/// Entries are keyed by the address of a pod's shared copy (the store holds one `Arc` per
/// resourceVersion) and keep a clone of that `Arc`, so the address cannot be reused for other
/// content while the entry lives; the content behind an `Arc` never changes. The same holds
/// for the per-set [`PodCache`] (which pods a sync claimed, by address) and the stored
/// revisions' bytes.
///
/// Per set context the memo also keeps the candidate revision's data and hash (`newRevision`
/// depends only on the spec, the config and the collision count), and the id of the revision
/// names pods were last compared with (`revision_names`: a `PodCache` entry keeps its pod's
/// comparison under that id). A verdict found to hold moves up to the
/// current claims epoch (exact: any later claim change gets a higher epoch).
///
/// Why a verdict hit is exact: the check of a created pod reads only (1) the pod, (2) the set's
/// name, namespace, uid and spec and the controller config, (3) the claims named after the pod's
/// ordinal and the set's claim templates (existence, deletionTimestamp, ownerReferences), and
/// (4) `now`, only through `isAvailable` (monotone in time once true). A verdict records the set
/// context epoch (a new epoch whenever (2) differs from what the set's context last saw), the
/// claims epoch at the time and the names of the claims it read (the store notes every claim
/// write that can change (3) in `Store::claim_book`; a hit needs none of those claims changed
/// since), and the `now` of the check (a hit needs `now` at least that).
#[derive(Default)]
pub struct ReplicaMemo {
    /// Off: never hit, never record (the differential tests run both ways).
    disabled: bool,
    /// Whether the sync in progress uses the memo (set by `context`).
    active: bool,
    /// Last context epoch handed out.
    next_epoch: u64,
    /// Per set uid: the context last seen and its epoch.
    contexts: HashMap<String, SetContext>,
    entries: HashMap<usize, Entry, PtrHash>,
    /// The (current, update) revision names last asked about and their id (ids are never
    /// reused, so an entry's remembered comparison is valid exactly for its id).
    names: (String, String, u64),
    /// Per set uid: the pods of its namespace as its last sync saw them ([`PodCache`]).
    pod_caches: HashMap<String, PodCache>,
    /// The Go JSON bytes of stored revisions' data, by the address of the shared copy (kept
    /// alive by the entry, like `entries`).
    revision_bytes: HashMap<usize, RevisionBytes, PtrHash>,
}

/// A stored revision (kept alive, see `ReplicaMemo::revision_bytes`) and its data's bytes.
type RevisionBytes = (Arc<ControllerRevision>, Rc<[u8]>);

struct SetContext {
    set: Arc<StatefulSet>,
    cfg: ControllerConfig,
    epoch: u64,
    /// The revision data of the set's template under this context (spec and version fixed).
    template: Option<TemplateData>,
    /// The hash label of that data under a collision count.
    hash: Option<(i32, Rc<str>)>,
}

/// The pods of a set's namespace as its last sync saw them, in key order, each with the context
/// epoch under which that very copy was found claimed (owned and matching; 0: not known). A
/// sync refreshes it against the store by comparing addresses (an unchanged pod costs a
/// pointer comparison: no lookup, no reference count touched) and reads the claimed pods from
/// it by reference. A cache: the store's pods are the truth, compared on every sync.
#[derive(Default)]
pub(crate) struct PodCache {
    pub(crate) entries: Vec<CachedPod>,
    /// The set's sync buffers, reused.
    pub(crate) scratch: Scratch,
}

pub(crate) struct CachedPod {
    pub(crate) name: String,
    pub(crate) pod: Arc<Pod>,
    pub(crate) claimed: u64,
    /// What the sync read of this copy last time (its facts compared with revision names of an
    /// id), so that an unchanged pod costs no memo lookup.
    pub(crate) fast: std::cell::Cell<Option<Fast>>,
    /// A copy of this copy's memo verdict (with `fast`).
    pub(crate) verdict: std::cell::Cell<Option<VerdictCopy>>,
}

/// A copy of a pod's memo verdict (at most two claims read, inline). A verdict is a fact about
/// one pod copy (it needed nothing under a context epoch, at a time, with its claims as they
/// were), so any copy of it is as trustworthy as the memo's own; a copy validated with an older
/// claims epoch only checks more (a miss costs a full check, never a wrong skip).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct VerdictCopy {
    epoch: u64,
    claims_at: u64,
    at: SimTime,
    claims: [u64; 2],
    n: u8,
}

impl PodCache {
    /// Make the entries exactly the pods of `range` (a namespace's `(key, pod)` in key order),
    /// keeping an entry (and its claimed epoch) where the stored copy is the same.
    pub(crate) fn refresh<'a>(
        &mut self,
        range: impl Iterator<Item = (&'a (String, String), &'a Arc<Pod>)> + Clone,
    ) {
        // In place while the names line up (the usual case: some pods changed, none came or
        // went): only the changed entries are touched.
        let mut n = 0;
        let mut in_place = true;
        for (k, pod) in range.clone() {
            let Some(e) = self.entries.get_mut(n) else {
                in_place = false;
                break;
            };
            if !Arc::ptr_eq(&e.pod, pod) {
                if e.name != k.1 {
                    in_place = false;
                    break;
                }
                *e = CachedPod::new(std::mem::take(&mut e.name), pod);
            }
            n += 1;
        }
        if in_place && n == self.entries.len() {
            return;
        }
        let old = std::mem::take(&mut self.entries);
        let mut old = old.into_iter().peekable();
        let mut out = Vec::with_capacity(old.len() + 1);
        for (k, pod) in range {
            // The same copy is stored under one key only: the next entry holding it is this
            // key's (no name comparisons for the unchanged pods, most of them).
            if let Some(o) = old.next_if(|o| Arc::ptr_eq(&o.pod, pod)) {
                out.push(o);
                continue;
            }
            // Entries of pods that left (names before this key) go; the entry of this key is
            // kept if it holds the same copy.
            while old.peek().is_some_and(|o| o.name.as_str() < k.1.as_str()) {
                old.next();
            }
            match old.next_if(|o| o.name == k.1) {
                Some(o) if Arc::ptr_eq(&o.pod, pod) => out.push(o),
                _ => out.push(CachedPod::new(k.1.clone(), pod)),
            }
        }
        self.entries = out;
    }
}

impl CachedPod {
    /// A new entry for `pod`, nothing known of it yet.
    fn new(name: String, pod: &Arc<Pod>) -> Self {
        CachedPod {
            name,
            pod: pod.clone(),
            claimed: 0,
            fast: std::cell::Cell::new(None),
            verdict: std::cell::Cell::new(None),
        }
    }
}

/// What the status and the sync read of a pod, computed once per pod copy.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PodFacts {
    /// `getOrdinal` (-1 when the name has none).
    pub ordinal: i64,
    pub created: bool,
    pub terminating: bool,
    pub running_ready: bool,
    /// The Ready condition: (status True, lastTransitionTime).
    pub ready: Option<(bool, Option<SimTime>)>,
    pub revision: String,
}

impl PodFacts {
    pub(crate) fn of(p: &Pod) -> Self {
        PodFacts {
            ordinal: util::ordinal_of(p),
            created: util::is_created(p),
            terminating: util::is_terminating(p),
            running_ready: util::is_running_and_ready(p),
            ready: podutil::ready_condition(p),
            revision: util::pod_revision(p).to_string(),
        }
    }
}

struct Verdict {
    epoch: u64,
    claims_at: u64,
    /// `claim_hash` of each claim the check read.
    claims: Box<[u64]>,
    at: SimTime,
}

struct Entry {
    /// Keeps the address alive (see the type's docs).
    pod: Arc<Pod>,
    facts: PodFacts,
    verdict: Option<Verdict>,
}

/// Whether a verdict holds under context `epoch` at `now`: same context, not before the check,
/// and none of the claims it read changed since. A verdict found to hold is moved up to the
/// current claims epoch (exact: every later claim change gets a higher epoch), so the next
/// check under the same claims epoch costs no claim lookup.
fn verdict_holds(v: &mut Verdict, claims: &ClaimBook, epoch: u64, now: SimTime) -> bool {
    check_verdict(
        (v.epoch, v.at, &v.claims),
        &mut v.claims_at,
        claims,
        epoch,
        now,
    )
}

/// The rule of [`verdict_holds`] over a verdict's parts: (context epoch, time, claim hashes),
/// and its claims epoch (moved up when it holds).
fn check_verdict(
    (v_epoch, at, read): (u64, SimTime, &[u64]),
    claims_at: &mut u64,
    claims: &ClaimBook,
    epoch: u64,
    now: SimTime,
) -> bool {
    let holds = v_epoch == epoch
        && at <= now
        && *claims_at >= claims.floor
        && (*claims_at == claims.epoch
            || read
                .iter()
                .all(|h| claims.changed_at.get(h).is_none_or(|t| *t <= *claims_at)));
    if holds {
        *claims_at = claims.epoch;
    }
    holds
}

/// Entries kept beyond the live objects before stale ones are dropped.
const SLACK: usize = 256;

impl Clone for ReplicaMemo {
    fn clone(&self) -> Self {
        ReplicaMemo {
            disabled: self.disabled,
            ..Default::default()
        }
    }
}

impl PartialEq for ReplicaMemo {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::fmt::Debug for ReplicaMemo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ReplicaMemo({} entries)", self.entries.len())
    }
}

/// The memo kept in `store` (made there on first use); a sync takes it out for its duration
/// (`Ctx::memo`) and puts it back.
pub fn replica_memo(store: &mut crate::store::Store) -> &mut ReplicaMemo {
    store.controller_memo.get_mut::<ReplicaMemo>()
}

impl crate::store::StoreCache for ReplicaMemo {
    fn cloned(&self) -> Box<dyn crate::store::StoreCache> {
        Box::new(self.clone())
    }
}

impl ReplicaMemo {
    /// Turn the memo on or off (off: every sync does every check; for tests).
    pub fn set_enabled(&mut self, on: bool) {
        self.disabled = !on;
        if !on {
            self.entries.clear();
            self.contexts.clear();
            self.revision_bytes.clear();
            self.pod_caches.clear();
            self.active = false;
        }
    }

    /// How many pods are remembered.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Nothing remembered.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// How many remembered pods have a verdict.
    pub fn verdicts(&self) -> usize {
        self.entries
            .values()
            .filter(|e| e.verdict.is_some())
            .count()
    }

    /// Start a sync: the epoch of the set's context (name, namespace, uid, spec, config), the
    /// same as last time when none of them changed. `None` when the memo is off.
    pub(crate) fn context(
        &mut self,
        set: &Arc<StatefulSet>,
        cfg: &ControllerConfig,
    ) -> Option<u64> {
        self.active = !(self.disabled || REPLICA_MEMO_OFF.with(std::cell::Cell::get));
        if !self.active {
            return None;
        }
        let uid = set.metadata.uid.as_deref().unwrap_or("");
        if let Some(c) = self.contexts.get_mut(uid) {
            let same = Arc::ptr_eq(&c.set, set)
                || (c.set.metadata.name == set.metadata.name
                    && c.set.metadata.namespace == set.metadata.namespace
                    && c.set.metadata.uid == set.metadata.uid
                    && same_spec(&c.set, set));
            if same && c.cfg == *cfg {
                c.set = set.clone();
                return Some(c.epoch);
            }
        }
        self.next_epoch += 1;
        let epoch = self.next_epoch;
        if self.contexts.len() > SLACK {
            self.contexts.clear();
        }
        self.contexts.insert(
            uid.to_string(),
            SetContext {
                set: set.clone(),
                cfg: *cfg,
                epoch,
                template: None,
                hash: None,
            },
        );
        Some(epoch)
    }

    /// Take the pod cache of the set `uid` for a sync (empty when the memo is off or none is
    /// kept); [`Self::put_pod_cache`] gives it back.
    pub(crate) fn take_pod_cache(&mut self, uid: &str) -> PodCache {
        if !self.active {
            return PodCache::default();
        }
        self.pod_caches.remove(uid).unwrap_or_default()
    }

    /// Keep the set's pod cache for its next sync (only while the memo is active).
    pub(crate) fn put_pod_cache(&mut self, uid: &str, cache: PodCache) {
        if !self.active {
            return;
        }
        if self.pod_caches.len() > SLACK {
            self.pod_caches.clear();
        }
        self.pod_caches.insert(uid.to_string(), cache);
    }

    /// The revision data of the set's template ([`template_data`]) for the context of the sync in
    /// progress, computed once per context (the context's epoch changes with the spec and the
    /// config, the only inputs). `None` when the memo is off or the set has no context.
    pub(crate) fn context_template(
        &mut self,
        uid: &str,
        make: impl FnOnce() -> TemplateData,
    ) -> Option<TemplateData> {
        if !self.active {
            return None;
        }
        let c = self.contexts.get_mut(uid)?;
        Some(c.template.get_or_insert_with(make).clone())
    }

    /// `revision::hash(data, Some(collision))` of the context's template data, remembered for
    /// the last collision count asked.
    pub(crate) fn context_hash(
        &mut self,
        uid: &str,
        collision: i32,
        make: impl FnOnce() -> String,
    ) -> Option<Rc<str>> {
        if !self.active {
            return None;
        }
        let c = self.contexts.get_mut(uid)?;
        match &c.hash {
            Some((n, h)) if *n == collision => Some(h.clone()),
            _ => {
                let h: Rc<str> = Rc::from(make());
                c.hash = Some((collision, h.clone()));
                Some(h)
            }
        }
    }

    /// The Go JSON bytes of a stored revision's data, remembered per shared copy while the
    /// memo is active (`make` computes them).
    pub(crate) fn revision_bytes(
        &mut self,
        r: &Arc<ControllerRevision>,
        make: impl FnOnce() -> Rc<[u8]>,
    ) -> Rc<[u8]> {
        if !self.active {
            return make();
        }
        let key = Arc::as_ptr(r) as usize;
        if let Some((held, bytes)) = self.revision_bytes.get(&key)
            && Arc::ptr_eq(held, r)
        {
            return bytes.clone();
        }
        if self.revision_bytes.len() > SLACK {
            self.revision_bytes
                .retain(|_, (held, _)| Arc::strong_count(held) > 1);
            if self.revision_bytes.len() > SLACK {
                self.revision_bytes.clear();
            }
        }
        let bytes = make();
        self.revision_bytes.insert(key, (r.clone(), bytes.clone()));
        bytes
    }

    /// The facts of a pod (remembered while the memo is active).
    pub(crate) fn facts(&mut self, pod: &Arc<Pod>) -> PodFacts {
        if !self.active {
            return PodFacts::of(pod);
        }
        let key = Arc::as_ptr(pod) as usize;
        if let Some(e) = self.entries.get(&key)
            && Arc::ptr_eq(&e.pod, pod)
        {
            return e.facts.clone();
        }
        let facts = PodFacts::of(pod);
        self.entries.insert(
            key,
            Entry {
                pod: pod.clone(),
                facts: facts.clone(),
                verdict: None,
            },
        );
        facts
    }

    /// Call `f` with the facts of a pod, without copying them when remembered.
    pub(crate) fn with_facts<R>(&mut self, pod: &Arc<Pod>, f: impl FnOnce(&PodFacts) -> R) -> R {
        if self.active {
            let key = Arc::as_ptr(pod) as usize;
            if let Some(e) = self.entries.get(&key)
                && Arc::ptr_eq(&e.pod, pod)
            {
                return f(&e.facts);
            }
        }
        f(&self.facts(pod))
    }

    /// Whether `pod` needed nothing under context `epoch` at a time not after `now`, and none of
    /// the claims that check read changed since.
    pub(crate) fn hit(
        &mut self,
        pod: &Arc<Pod>,
        epoch: u64,
        now: SimTime,
        claims: &ClaimBook,
    ) -> bool {
        if !self.active {
            return false;
        }
        self.entry_holds(Arc::as_ptr(pod) as usize, pod, epoch, now, claims)
    }

    /// Whether the entry's verdict holds under `epoch` at `now` (see [`verdict_holds`]).
    fn entry_holds(
        &mut self,
        key: usize,
        pod: &Arc<Pod>,
        epoch: u64,
        now: SimTime,
        claims: &ClaimBook,
    ) -> bool {
        self.entries.get_mut(&key).is_some_and(|e| {
            Arc::ptr_eq(&e.pod, pod)
                && e.verdict
                    .as_mut()
                    .is_some_and(|v| verdict_holds(v, claims, epoch, now))
        })
    }

    /// The id of the revision names (current, update) a sync compares pods' revisions with: the
    /// same as last time while the names are the same.
    pub(crate) fn revision_names(&mut self, current: &str, update: &str) -> u64 {
        if self.names.0 != current || self.names.1 != update || self.names.2 == 0 {
            self.names = (current.to_string(), update.to_string(), self.names.2 + 1);
        }
        self.names.2
    }

    /// [`Self::with_facts`] and [`Self::hit`] (under `epoch`, `None`: no hit) in one lookup.
    pub(crate) fn with_facts_and_hit<R>(
        &mut self,
        pod: &Arc<Pod>,
        epoch: Option<u64>,
        now: SimTime,
        claims: &ClaimBook,
        f: impl FnOnce(&PodFacts) -> R,
    ) -> (R, bool) {
        if self.active {
            let key = Arc::as_ptr(pod) as usize;
            if let Some(e) = self.entries.get_mut(&key)
                && Arc::ptr_eq(&e.pod, pod)
            {
                let hit = match (epoch, e.verdict.as_mut()) {
                    (Some(ep), Some(v)) => verdict_holds(v, claims, ep, now),
                    _ => false,
                };
                return (f(&e.facts), hit);
            }
        }
        (f(&self.facts(pod)), false)
    }

    /// Record that `pod` needed nothing under context `epoch` at `now`, having read `claims`,
    /// under the claims epoch `claims_at`.
    pub(crate) fn record(
        &mut self,
        pod: &Arc<Pod>,
        (epoch, claims_at): (u64, u64),
        now: SimTime,
        claims: Box<[u64]>,
    ) {
        if !self.active {
            return;
        }
        let verdict = Verdict {
            epoch,
            claims_at,
            claims,
            at: now,
        };
        let key = Arc::as_ptr(pod) as usize;
        match self.entries.get_mut(&key) {
            Some(e) if Arc::ptr_eq(&e.pod, pod) => e.verdict = Some(verdict),
            _ => {
                self.entries.insert(
                    key,
                    Entry {
                        pod: pod.clone(),
                        facts: PodFacts::of(pod),
                        verdict: Some(verdict),
                    },
                );
            }
        }
    }

    /// A copy of the memo's verdict for `pod` (`None`: none, the memo is off, or the check read
    /// more than two claims).
    pub(crate) fn verdict_copy(&self, pod: &Arc<Pod>) -> Option<VerdictCopy> {
        if !self.active {
            return None;
        }
        let e = self.entries.get(&(Arc::as_ptr(pod) as usize))?;
        if !Arc::ptr_eq(&e.pod, pod) {
            return None;
        }
        let v = e.verdict.as_ref()?;
        let mut claims = [0u64; 2];
        let n = v.claims.len();
        if n > claims.len() {
            return None;
        }
        for (slot, h) in claims.iter_mut().zip(v.claims.iter()) {
            *slot = *h;
        }
        Some(VerdictCopy {
            epoch: v.epoch,
            claims_at: v.claims_at,
            at: v.at,
            claims,
            n: n as u8,
        })
    }

    /// Whether a verdict copy holds under `epoch` at `now`, by the memo's rules (see
    /// [`verdict_holds`]); a copy found to hold moves up to the current claims epoch.
    pub(crate) fn copy_holds(
        &self,
        v: &mut VerdictCopy,
        epoch: u64,
        now: SimTime,
        claims: &ClaimBook,
    ) -> bool {
        if !self.active {
            return false;
        }
        let read = v.claims.get(..usize::from(v.n)).unwrap_or(&[]);
        check_verdict((v.epoch, v.at, read), &mut v.claims_at, claims, epoch, now)
    }

    /// Bound the memo: once it holds clearly more entries than there are pods, drop the entries
    /// of pod copies nobody else holds any more (older resourceVersions); if that is not enough,
    /// drop everything (the store's `ClaimBook` is bounded beside it).
    pub(crate) fn prune(&mut self, live_pods: usize) {
        let bound = live_pods.saturating_mul(2).saturating_add(SLACK);
        if self.entries.len() > bound {
            self.entries.retain(|_, e| Arc::strong_count(&e.pod) > 1);
            if self.entries.len() > bound {
                self.entries.clear();
            }
        }
    }
}

/// What one sync reads of a pod, copied out of its remembered facts (`ReplicaMemo`) once per
/// sync: every pass over the pods (status counts, slots, health, the rolling update) reads
/// this instead of the pod.
#[derive(Clone, Copy)]
pub(crate) struct Lite {
    pub(crate) ordinal: i64,
    pub(crate) created: bool,
    pub(crate) terminating: bool,
    pub(crate) running_ready: bool,
    pub(crate) ready: Option<(bool, Option<SimTime>)>,
    /// The pod's revision label is the current / the update revision.
    pub(crate) current: bool,
    pub(crate) updated: bool,
}

impl Lite {
    pub(crate) fn from_facts(f: &PodFacts, current: &str, update: &str) -> Lite {
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

    pub(crate) fn of(
        memo: &mut crate::controller::ReplicaMemo,
        p: &Arc<Pod>,
        current: &str,
        update: &str,
    ) -> Lite {
        memo.with_facts(p, |f| Lite::from_facts(f, current, update))
    }

    /// v1.28 `!isHealthy`, v1.35 `isUnavailable`.
    pub(crate) fn unhealthy(&self, v128: bool, mrs: i64, now: SimTime) -> bool {
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
pub(crate) struct SlotFacts {
    pub(crate) ptr: usize,
    pub(crate) lite: Lite,
    pub(crate) hit: bool,
}

/// What a replica slot of a sync holds: nothing (the ordinal has no pod), a claimed pod (by its
/// index in the sync's pod list: not copied, so a sync touches no pod's reference count for
/// the slots it only reads), or a pod this sync created or replaced.
#[derive(Clone)]
pub(crate) enum Slot {
    Empty,
    Claimed(usize),
    Own(Arc<Pod>),
}

/// Buffers a set's syncs reuse (kept with its [`PodCache`]), so that a sync of a big set does
/// not allocate and touch fresh memory for its per-pod vectors every time.
#[derive(Default)]
pub(crate) struct Scratch {
    pub(crate) lites: Vec<Lite>,
    pub(crate) hits: Vec<bool>,
    pub(crate) slots: Vec<Slot>,
    pub(crate) slot_lites: Vec<Option<SlotFacts>>,
}

/// What a sync read of a cached pod copy (see `memo::CachedPod::fast`): its facts compared with
/// the revision names of id `names_id`.
#[derive(Clone, Copy)]
pub(crate) struct Fast {
    pub(crate) names_id: u64,
    pub(crate) lite: Lite,
}

/// Whether two versions of one set (same uid) have the same spec. The apiserver increments
/// `metadata.generation` whenever the spec changes (`pkg/registry/apps/statefulset/strategy.go`
/// `PrepareForUpdate`; here `Store::update`'s `spec_changed` bump), so equal generations mean
/// equal specs, and a status write (a new object every sync) costs no comparison. Without a
/// generation on both (objects built outside the store), the specs are compared as JSON trees
/// (`k8sjson::same`; the derived `PartialEq` of a whole pod template would be in the bundle for
/// this one comparison, issue #17).
fn same_spec(a: &StatefulSet, b: &StatefulSet) -> bool {
    match (a.metadata.generation, b.metadata.generation) {
        (Some(x), Some(y)) => x == y,
        _ => k8sjson::same(&a.spec, &b.spec),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named_pod(name: &str, version: u32) -> Arc<Pod> {
        let mut p = Pod::default();
        p.metadata.name = Some(name.to_string());
        p.metadata.resource_version = Some(version.to_string());
        Arc::new(p)
    }

    proptest::proptest! {
        /// After a refresh the cache is exactly the namespace's pods (names and copies, in key
        /// order), whatever was inserted, replaced or removed since; a claimed epoch survives
        /// only on the very same copy.
        #[test]
        fn pod_cache_refresh_mirrors_the_store(
            ops in proptest::collection::vec((0u8..3, 0usize..12), 0..60),
            refresh_every in 1usize..6,
        ) {
            let mut table: std::collections::BTreeMap<(String, String), Arc<Pod>> =
                std::collections::BTreeMap::new();
            // Other namespaces around "default" must not leak in.
            table.insert(("a".into(), "web-0".into()), named_pod("web-0", 0));
            table.insert(("z".into(), "web-0".into()), named_pod("web-0", 0));
            let mut cache = PodCache::default();
            for (i, (op, n)) in ops.into_iter().enumerate() {
                let name = format!("web-{n}");
                let k = ("default".to_string(), name.clone());
                match op {
                    0 => {
                        table.insert(k, named_pod(&name, i as u32));
                    }
                    1 => {
                        table.remove(&k);
                    }
                    _ => {}
                }
                if i % refresh_every != 0 {
                    continue;
                }
                let before: Vec<(usize, u64)> = cache
                    .entries
                    .iter()
                    .map(|e| (Arc::as_ptr(&e.pod) as usize, e.claimed))
                    .collect();
                let range = table.range(
                    ("default".to_string(), String::new())..("default\0".to_string(), String::new()),
                );
                cache.refresh(range);
                let want: Vec<(String, usize)> = table
                    .iter()
                    .filter(|(k, _)| k.0 == "default")
                    .map(|(k, p)| (k.1.clone(), Arc::as_ptr(p) as usize))
                    .collect();
                let got: Vec<(String, usize)> = cache
                    .entries
                    .iter()
                    .map(|e| (e.name.clone(), Arc::as_ptr(&e.pod) as usize))
                    .collect();
                proptest::prop_assert_eq!(&got, &want);
                for e in &mut cache.entries {
                    let ptr = Arc::as_ptr(&e.pod) as usize;
                    let kept = before.iter().find(|(p, _)| *p == ptr).map(|(_, c)| *c);
                    proptest::prop_assert_eq!(e.claimed, kept.unwrap_or(0));
                    // Mark this copy claimed for the next round.
                    e.claimed = i as u64 + 1;
                }
            }
        }
    }
}

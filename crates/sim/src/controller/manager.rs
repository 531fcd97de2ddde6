//! The controller manager's loop (kube-controller-manager): the StatefulSet controller run to
//! idle, then the garbage collector and pvc-protection, until nothing changes; requeues
//! (minReadySeconds) and the rate-limited retries of failed syncs go on the clock. Which writes
//! wake the controllers at all (`wakes_controllers`) is decided here too.

use k8s_openapi::api::core::v1::Pod;

use crate::state::{Action, State};
use crate::store::{Actor, Key, Write, key};
use crate::time::{SECOND, SimTime};

/// What the StatefulSet controller reads of a pod: existence, labels, deletion, phase, the
/// Ready condition and its transition time (minReadySeconds), owners, volumes.
fn pod_fingerprint(p: &Pod) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    p.metadata.uid.hash(&mut h);
    p.metadata.labels.hash(&mut h);
    p.metadata
        .deletion_timestamp
        .as_ref()
        .map(|t| t.0.as_second())
        .hash(&mut h);
    p.metadata
        .owner_references
        .as_ref()
        .map(|o| o.iter().map(|r| r.uid.clone()).collect::<Vec<_>>())
        .hash(&mut h);
    if let Some(s) = &p.status {
        s.phase.hash(&mut h);
        for c in s.conditions.iter().flatten().filter(|c| c.type_ == "Ready") {
            c.status.hash(&mut h);
            c.last_transition_time
                .as_ref()
                .map(|t| t.0.as_second())
                .hash(&mut h);
        }
    }
    if let Some(s) = &p.spec {
        // Not the node: no controller woken here reads `nodeName` (binding a pod wakes
        // nobody; the scheduler and kubelet are planned from the write itself).
        s.hostname.hash(&mut h);
        s.subdomain.hash(&mut h);
        for v in s.volumes.iter().flatten() {
            v.name.hash(&mut h);
            v.persistent_volume_claim
                .as_ref()
                .map(|c| c.claim_name.clone())
                .hash(&mut h);
        }
    }
    h.finish()
}

pub(crate) fn remember_pods(st: &mut State, writes: &[Write]) {
    for w in writes.iter().filter(|w| w.resource == "pods") {
        let k = key(&w.namespace, &w.name);
        match st.store.get::<Pod>(&w.namespace, &w.name) {
            Some(p) => {
                let f = pod_fingerprint(p);
                st.rt.seen_pods.insert(k, f);
            }
            None => {
                st.rt.seen_pods.remove(&k);
            }
        }
    }
}

pub(crate) fn wakes_controllers(st: &State, writes: &[Write]) -> bool {
    use crate::store::Verb;
    writes.iter().any(|w| match w.resource {
        "pods" => match st.store.get::<Pod>(&w.namespace, &w.name) {
            Some(p) => {
                st.rt.seen_pods.get(&key(&w.namespace, &w.name)) != Some(&pod_fingerprint(p))
            }
            None => true,
        },
        // The StatefulSet controller has no claim event handlers (it reads claims from the
        // informer cache when a set or pod event makes it sync; upstream `stateful_set.go`);
        // pvc-protection and the GC react to claim creation and deletion. The PV controller's
        // and provisioner's annotation/status updates wake nobody.
        "persistentvolumeclaims" => {
            w.actor == Actor::User || matches!(w.verb, Verb::Create | Verb::Delete | Verb::Removed)
        }
        "statefulsets" | "controllerrevisions" | "deployments" | "replicasets" => true,
        // The disruption controller watches its budgets (the eviction's own status write
        // comes with the pod's deletion, which wakes it anyway).
        "poddisruptionbudgets" => w.actor == Actor::User,
        _ => matches!(w.verb, Verb::Delete | Verb::Removed),
    })
}

thread_local! {
    static GC_ALWAYS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Run the garbage collector's pass after every controller run, as before it was gated on
/// `gc_relevant` writes; for the differential tests.
pub fn set_gc_always_in_thread(on: bool) {
    GC_ALWAYS.with(|c| c.set(on));
}

/// Whether a write can leave an object with a missing owner or change a deletion the GC
/// drives (foreground/orphan finalizers): deletions and removals, and anything a user (or the
/// harness) writes, who may set any ownerReferences. Controllers, the scheduler, provisioner
/// and kubelet only write objects whose owners exist (their deletions are caught by the first
/// rule). The GC's pass is a full scan; skipping it when nothing relevant changed is exact.
pub(crate) fn gc_relevant(w: &Write) -> bool {
    use crate::store::Verb;
    if matches!(w.resource, "events" | "endpoints" | "endpointslices") {
        return false;
    }
    matches!(w.verb, Verb::Delete | Verb::Removed)
        || matches!(w.actor, Actor::User | Actor::Harness)
}

pub(crate) fn run_controllers(st: &mut State) {
    run_controllers_gc(st, true);
}

/// The controllers; `gc`: writes since the last run may concern the garbage collector.
pub(crate) fn run_controllers_gc(st: &mut State, mut gc: bool) {
    let now = st.now;
    let cfg = st.ccfg;
    gc |= GC_ALWAYS.with(|c| c.get());
    // run_until_idle syncs every StatefulSet until idle (pvc-protection included); the GC runs
    // after it, and if it changed anything the controllers look again.
    let log_start = st.store.log.len();
    for _ in 0..4 {
        let report = crate::controller::run_until_idle(&mut st.store, now, &cfg);
        if let Some(after) = report.requeue_after {
            schedule_controllers(st, now + after.max(1), "statefulset-controller");
        }
        let mut failed = report.failed;
        for (by, r) in run_workload_controllers(&mut st.store, now, &cfg) {
            if let Some(after) = r.requeue_after {
                schedule_controllers(st, now + after.max(1), by);
            }
            failed.extend(
                r.failed
                    .into_iter()
                    .map(|(ns, n)| (format!("{by}:{ns}"), n)),
            );
        }
        retry_failed_syncs(st, &failed);
        crate::controller::disruption::sync_all(&mut st.store, now);
        gc |= st
            .store
            .log
            .get(log_start..)
            .unwrap_or_default()
            .iter()
            .any(gc_relevant);
        let before = st.store.resource_version;
        if gc {
            let _ = crate::gc::pass(&mut st.store, now);
        }
        let _ = crate::pvc_protection::reconcile(&mut st.store, now, &cfg);
        if st.store.resource_version == before {
            break;
        }
    }
}

/// The Deployment and ReplicaSet controllers, one after the other until neither writes
/// (bounded): a Deployment's new ReplicaSet gets its pods, their status reaches the
/// Deployment, at the same instant. Returns each controller's last report.
fn run_workload_controllers(
    store: &mut crate::store::Store,
    now: SimTime,
    cfg: &crate::config::ControllerConfig,
) -> [(&'static str, crate::controller::IdleReport); 2] {
    let mut last = [
        (
            "deployment-controller",
            crate::controller::IdleReport::default(),
        ),
        (
            "replicaset-controller",
            crate::controller::IdleReport::default(),
        ),
    ];
    if store.deployments.is_empty() && store.replicasets.is_empty() {
        return last;
    }
    for _ in 0..16 {
        let d = crate::controller::deployment::run_until_idle(store, now, cfg);
        let r = crate::controller::replicaset::run_until_idle(store, now, cfg);
        let wrote = d.wrote || r.wrote;
        last = [("deployment-controller", d), ("replicaset-controller", r)];
        if !wrote {
            break;
        }
    }
    last
}

/// What a controllers requeue event says: the retries of failed syncs by controller, or the
/// requeue asked for.
pub(crate) fn requeue_description(
    failures: &crate::vecmap::VecMap<Key, (u32, SimTime)>,
    by: &str,
) -> String {
    if failures.is_empty() {
        return match by {
            "deployment-controller" => format!("{by}: requeue (progress check)"),
            _ => format!("{by}: requeue (minReadySeconds)"),
        };
    }
    let mut per: std::collections::BTreeMap<&str, Vec<String>> = Default::default();
    for (ns, n) in failures.keys() {
        let (controller, ns) = match ns.split_once(':') {
            Some((c, ns)) => (c, ns),
            None => ("statefulset-controller", ns.as_str()),
        };
        per.entry(controller).or_default().push(format!("{ns}/{n}"));
    }
    let parts: Vec<String> = per
        .into_iter()
        .map(|(c, keys)| {
            format!(
                "{c}: retry {} after a failed sync (rate-limited)",
                keys.join(", ")
            )
        })
        .collect();
    // The StatefulSet controller's retries first, as before other controllers existed.
    let (mut sts, other): (Vec<String>, Vec<String>) = parts
        .into_iter()
        .partition(|p| p.starts_with("statefulset-controller"));
    sts.extend(other);
    sts.join("; ")
}

/// Whether a queued requeue still has something to check. A Deployment's progress check
/// (`requeueStuckDeployment`) finds nothing to do once every Deployment's rollout is complete,
/// has timed out or is paused (upstream's delayed sync runs and changes nothing); the playground drops
/// it so that `sim settle` does not wait `progressDeadlineSeconds` for it. Retries and the
/// other requeues always run.
pub(crate) fn requeue_needed(st: &State, by: &str) -> bool {
    if by != "deployment-controller" || !st.rt.sync_failures.is_empty() {
        return true;
    }
    use crate::controller::deployment::util as du;
    st.store
        .list::<k8s_openapi::api::apps::v1::Deployment>(None)
        .any(|d| {
            let status = k8sjson::copy(&d.status).unwrap_or_default();
            let cond = du::get_condition(&status, "Progressing");
            // A paused Deployment's sync never checks progress (no `syncRolloutStatus`).
            du::has_progress_deadline(d)
                && !du::paused(d)
                && cond.is_some_and(|c| {
                    c.reason.as_deref() != Some(du::TIMED_OUT_REASON)
                        && c.reason.as_deref() != Some(du::NEW_RS_AVAILABLE_REASON)
                })
                && !du::deployment_complete(d, &status)
        })
}

/// Shortest and longest retry delay of a failing StatefulSet (client-go
/// `workqueue.DefaultTypedControllerRateLimiter`: per-item exponential 5 ms .. 1000 s).
const RETRY_BASE_MS: SimTime = 5;
const RETRY_MAX_MS: SimTime = 1_000 * SECOND;

/// The controller's `queue.AddRateLimited(key)` after a failed sync, `queue.Forget(key)` after a
/// good one (`pkg/controller/statefulset/stateful_set.go` `processNextWorkItem`): the n-th failure
/// in a row is retried after 5 ms * 2^(n-1), capped at 1000 s. Failures are counted once per
/// instant (the playground resyncs every set several times at one instant; upstream syncs the
/// key once). The overall 10 qps bucket of the default limiter is not modelled.
fn retry_failed_syncs(st: &mut State, failed: &[Key]) {
    let now = st.now;
    st.rt.sync_failures.retain(|k, _| failed.contains(k));
    for k in failed {
        let e = st.rt.sync_failures.get(k).copied().unwrap_or((0, now));
        let e = if e.0 == 0 || e.1 != now {
            (e.0.saturating_add(1), now)
        } else {
            e
        };
        st.rt.sync_failures.insert(k.clone(), e);
        let n = e.0;
        let delay = if n > 20 {
            RETRY_MAX_MS
        } else {
            (RETRY_BASE_MS << (n - 1)).min(RETRY_MAX_MS)
        };
        schedule_controllers(st, now + delay, "statefulset-controller");
    }
}

fn schedule_controllers(st: &mut State, at: SimTime, by: &'static str) {
    // An earlier requeue resyncs every controller, which ask again as needed; a Deployment's
    // progress check may be dropped (`requeue_needed`), so it stands in only for itself.
    let absorbs = st.rt.controllers_by != "deployment-controller" || by == "deployment-controller";
    if absorbs && st.rt.controllers_at.is_some_and(|t| t <= at && t > st.now) {
        return;
    }
    st.rt.controllers_at = Some(at);
    st.rt.controllers_by = by;
    st.queue.push(at, Action::Controllers { by });
}

//! The loop that drives the cluster. Two inputs: a user's [`Command`] (`apply_command`: the
//! apiserver write, fault or node change it asks for) and the next event of the clock
//! (`step_state`: a scheduling attempt, a kubelet stage, a volume provisioned, a node going
//! silent). After either, `react` runs the controller manager to idle and plans the runtime's
//! next actions from the writes that happened (scheduler, PV controller and provisioner,
//! kubelet, endpoints). Same commands + same seed → same state, always.

use crate::vecmap::VecSet;

use k8s_openapi::api::core::v1::Pod;

use crate::command::{Applied, Command, Outcome, SimError};
use crate::controller::manager;
use crate::kind::ClusterConfig;
use crate::object::AnyObject;
use crate::state::{Action, Stage, State};
use crate::store::{Actor, Key, Write, key};
use crate::time::SimTime;
use crate::{apiserver, controller, endpoints, faults, kind, kubelet, scheduler, volumes};

/// What one event did.
#[derive(Debug, Clone, PartialEq)]
pub struct StepReport {
    pub time: SimTime,
    /// One line, e.g. `kubelet: started container nginx in pod default/web-0`.
    pub description: String,
    /// Every store write the event caused (including the controllers' reactions), in order.
    pub writes: Vec<Write>,
    /// The event is a back-off retry (an image pull or container restart after a back-off, a
    /// failed sync retried by the controller's rate limiter) or a controllers' requeue that
    /// wrote nothing (the StatefulSet controller requeues a set every `minReadySeconds` while
    /// `availableReplicas != replicas`, `stateful_set.go` `syncStatefulSet`, also when its pods
    /// can never start): it may repeat forever.
    pub retry: bool,
}

const MAX_REACT_ROUNDS: usize = 16;

fn finalize(st: &mut State, outcome: Outcome, object: Option<AnyObject>) -> Applied {
    let writes = react(st, true);
    Applied {
        outcome,
        object,
        writes,
        messages: Vec::new(),
        exec: None,
    }
}

pub(crate) fn apply_command(
    st: &mut State,
    cmd: &Command,
    cfg: &ClusterConfig,
) -> Result<Applied, SimError> {
    let _ = cfg;
    st.store.record = true;
    match cmd {
        Command::Create(obj) => {
            let o = apiserver::create_any(st, obj.clone())?;
            Ok(finalize(st, Outcome::Created, Some(o)))
        }
        Command::Apply(obj) => {
            if apiserver::stored_of(&st.store, obj).is_some() {
                let (outcome, o) = apiserver::update_any(st, obj.clone(), true)?;
                Ok(finalize(st, outcome, Some(o)))
            } else {
                let o = apiserver::create_any(st, obj.clone())?;
                Ok(finalize(st, Outcome::Created, Some(o)))
            }
        }
        Command::Update(obj) => {
            let (outcome, o) = apiserver::update_any(st, obj.clone(), false)?;
            Ok(finalize(st, outcome, Some(o)))
        }
        Command::Delete {
            resource,
            ns,
            name,
            grace_seconds,
            propagation,
        } => {
            let o =
                apiserver::delete_resource(st, resource, ns, name, *grace_seconds, *propagation)?;
            Ok(finalize(st, Outcome::Deleted, o))
        }
        Command::Scale {
            resource,
            ns,
            name,
            replicas,
        } => {
            let o = apiserver::scale(st, resource, ns, name, *replicas)?;
            Ok(finalize(st, Outcome::Configured, Some(o)))
        }
        Command::Fault(f) => {
            faults::fault(st, f)?;
            Ok(finalize(st, Outcome::Done, None))
        }
        Command::SetNodes(n) => {
            kind::set_nodes(st, *n, cfg.version, cfg.seed)?;
            Ok(finalize(st, Outcome::Done, None))
        }
        Command::Cordon { node, on } => {
            apiserver::cordon(st, node, *on)?;
            Ok(finalize(st, Outcome::Done, None))
        }
        Command::Drain { node } => {
            let messages = apiserver::drain(st, node)?;
            let mut a = finalize(st, Outcome::Done, None);
            a.messages = messages;
            Ok(a)
        }
        Command::Evict { ns, name } => {
            apiserver::evict(st, ns, name)?;
            Ok(finalize(st, Outcome::Done, None))
        }
        Command::WriteFile {
            ns,
            pod,
            path,
            content,
        } => {
            volumes::write_pod_file(st, ns, pod, None, path, content, false)?;
            Ok(finalize(st, Outcome::Done, None))
        }
        Command::SetFeatureGates(gates) => {
            let mut next = st.ccfg.gates;
            for (g, on) in gates {
                if g.spec(st.ccfg.version).is_none() {
                    return Err(SimError::Invalid(format!(
                        "unrecognized feature gate: {}",
                        g.name()
                    )));
                }
                next.set(*g, *on);
            }
            st.ccfg.gates = next;
            Ok(finalize(st, Outcome::Done, None))
        }
        Command::Exec {
            ns,
            pod,
            container,
            argv,
            tty,
        } => {
            let out = kubelet::exec(st, ns, pod, container.as_deref(), argv, *tty)?;
            let mut a = finalize(st, Outcome::Done, None);
            a.exec = Some(out);
            Ok(a)
        }
    }
}

// Events and reactions

pub(crate) fn advance_to(st: &mut State, t: SimTime) {
    if t > st.now {
        st.now = t;
    }
}

pub(crate) fn is_live(st: &State, a: &Action) -> bool {
    match a {
        Action::Kubelet { uid, epoch, .. } => {
            st.rt.pods.get(uid).is_some_and(|p| p.epoch == *epoch)
        }
        Action::NodeMonitor { node, epoch } | Action::Evict { node, epoch } => {
            st.rt.nodes.get(node).is_some_and(|n| n.epoch == *epoch)
        }
        Action::Controllers { by } => manager::requeue_needed(st, by),
        _ => true,
    }
}

pub(crate) fn next_live_time(st: &State) -> Option<SimTime> {
    st.queue
        .iter()
        .find(|(_, a)| is_live(st, a))
        .map(|(t, _)| t)
}

pub(crate) fn describe_action(a: &Action) -> String {
    match a {
        Action::Controllers { by } => format!("{by}: requeue"),
        Action::ClaimSync((ns, n)) => format!("persistentvolume-controller: sync claim {ns}/{n}"),
        Action::Provision {
            claim: (ns, n),
            node,
            ..
        } => {
            format!("rancher.io/local-path: provision volume for claim {ns}/{n} on {node}")
        }
        Action::ReclaimPv(pv) => format!("rancher.io/local-path: delete volume {pv}"),
        Action::Schedule((ns, n)) => format!("default-scheduler: schedule pod {ns}/{n}"),
        Action::Bind {
            pod: (ns, n), node, ..
        } => format!("default-scheduler: bind pod {ns}/{n} to {node}"),
        Action::Kubelet { stage, .. } => format!("kubelet: {stage:?}"),
        Action::NodeMonitor { node, .. } => {
            format!("node-lifecycle-controller: node {node} stopped posting status")
        }
        Action::Evict { node, .. } => format!("taint-eviction-controller: evict pods from {node}"),
    }
}

/// Apply the next event that does something. Returns its report (None when only stale or
/// no-op events were left: they are consumed, the clock stays) and whether anything was consumed.
pub(crate) fn step_state(st: &mut State) -> (Option<StepReport>, bool) {
    st.store.record = true;
    let before = st.now;
    let mut consumed = false;
    loop {
        let Some((t, action)) = st.queue.pop() else {
            st.now = before;
            return (None, consumed);
        };
        consumed = true;
        if !is_live(st, &action) {
            // A dropped requeue no longer stands in for later ones (`schedule_controllers`).
            if matches!(action, Action::Controllers { .. }) && st.rt.controllers_at == Some(t) {
                st.rt.controllers_at = None;
            }
            continue;
        }
        advance_to(st, t);
        let retry = is_retry(st, &action);
        let requeue = matches!(action, Action::Controllers { .. });
        let desc = execute(st, action);
        let writes = react(st, false);
        let retry = retry || (requeue && writes.is_empty());
        if desc.is_none() && writes.is_empty() {
            continue;
        }
        let description = desc.unwrap_or_else(|| "no-op".into());
        return (
            Some(StepReport {
                time: st.now,
                description,
                writes,
                retry,
            }),
            true,
        );
    }
}

/// Whether an action is a back-off retry (see `StepReport::retry`).
fn is_retry(st: &State, action: &Action) -> bool {
    match action {
        Action::Controllers { .. } => !st.rt.sync_failures.is_empty(),
        Action::Kubelet { stage, .. } => matches!(
            stage,
            Stage::Image { .. }
                | Stage::PullFailed { .. }
                | Stage::PullBackOff { .. }
                | Stage::Exited { .. }
                | Stage::BackOff { .. }
                | Stage::Restart { .. }
        ),
        _ => false,
    }
}

/// Run one action; returns its description when it did something.
fn execute(st: &mut State, action: Action) -> Option<String> {
    match action {
        Action::Controllers { by } => {
            st.rt.controllers_at = None;
            let description = manager::requeue_description(&st.rt.sync_failures, by);
            manager::run_controllers(st);
            Some(description)
        }
        Action::ClaimSync(k) => {
            st.rt.inflight.remove(&format!("claim/{}/{}", k.0, k.1));
            volumes::claim_sync(st, &k)
        }
        Action::Provision { claim, uid, node } => volumes::provision(st, &claim, &uid, &node),
        Action::ReclaimPv(pv) => volumes::reclaim(st, &pv),
        Action::Schedule(k) => {
            st.rt.inflight.remove(&format!("schedule/{}/{}", k.0, k.1));
            scheduler::schedule(st, &k)
        }
        Action::Bind { pod, uid, node } => scheduler::bind(st, &pod, &uid, &node),
        Action::Kubelet { uid, stage, .. } => kubelet::run(st, &uid, stage),
        Action::NodeMonitor { node, .. } => controller::node_lifecycle::node_monitor(st, &node),
        Action::Evict { node, .. } => controller::node_lifecycle::evict(st, &node),
    }
}

/// The controllers (StatefulSet, GC, pvc-protection), then the runtime's planners, until no
/// more writes happen. Returns every write made (including those already in the log).
pub(crate) fn react(st: &mut State, user: bool) -> Vec<Write> {
    let mut all: Vec<Write> = Vec::new();
    let mut pending = st.store.drain_log();
    // The controllers watch StatefulSets, pods, claims and revisions (plus the GC every object
    // with owners); a batch of Events or Endpoints alone does not wake them, nor a pod status
    // write that changes nothing they read (their sync is level-triggered and would be a no-op).
    let mut run_ctl = user || manager::wakes_controllers(st, &pending);
    for _ in 0..MAX_REACT_ROUNDS {
        if run_ctl {
            let gc = pending.iter().any(manager::gc_relevant);
            manager::run_controllers_gc(st, gc);
            pending.extend(st.store.drain_log());
            manager::remember_pods(st, &pending);
        }
        if pending.is_empty() {
            break;
        }
        plan(st, &pending);
        endpoints::sync(st, &pending);
        all.append(&mut pending);
        pending = st.store.drain_log();
        if pending.is_empty() {
            break;
        }
        run_ctl = manager::wakes_controllers(st, &pending);
    }
    all.extend(pending);
    all
}

/// Plan the runtime's next actions from a batch of writes.
fn plan(st: &mut State, writes: &[Write]) {
    let mut pods: VecSet<Key> = VecSet::new();
    let mut claims: VecSet<Key> = VecSet::new();
    let mut removed_claims: Vec<Key> = Vec::new();
    let mut node_changed = false;
    // A pod bound (the binding's update), relabelled (update, patch) or gone.
    let mut pod_event = false;
    // Pods with a write other than a status write in this batch.
    let mut not_status_only: VecSet<Key> = VecSet::new();
    for w in writes {
        // Most writes of a batch are Events: keys are only made for the kinds planned here.
        match w.resource {
            "pods" => {
                let k = key(&w.namespace, &w.name);
                if w.verb != crate::store::Verb::UpdateStatus {
                    not_status_only.insert(k.clone());
                }
                pods.insert(k);
                pod_event |= matches!(
                    w.verb,
                    crate::store::Verb::Update
                        | crate::store::Verb::Patch
                        | crate::store::Verb::Removed
                );
            }
            "persistentvolumeclaims" => {
                let k = key(&w.namespace, &w.name);
                if w.verb == crate::store::Verb::Removed {
                    removed_claims.push(k.clone());
                }
                claims.insert(k);
            }
            "nodes" => node_changed = true,
            "persistentvolumes" if w.verb == crate::store::Verb::Removed => node_changed = true,
            _ => {}
        }
    }
    for k in &claims {
        if volumes::plan_claim(st, k) {
            scheduler::claim_bound(st, k);
        }
    }
    for k in &removed_claims {
        volumes::claim_removed(st, k);
    }
    for k in &pods {
        plan_pod(st, k, !not_status_only.contains(k));
    }
    if node_changed {
        scheduler::retry_unschedulable(st);
    } else if pod_event && !st.rt.waiting_on_pods.is_empty() {
        scheduler::retry_pod_waiters(st);
    }
}

/// Forget the runtime state and the logs of the pods with these uids (one copy of the logs'
/// `retain`, issue #17).
#[inline(never)]
fn forget_runtime(rt: &mut crate::state::Runtime, uids: Vec<String>) {
    for u in uids {
        rt.pods.remove(&u);
        rt.logs.retain(|(pu, _), _| *pu != u);
    }
}

/// `status_only`: the pod's writes in the batch were all status writes.
fn plan_pod(st: &mut State, k: &Key, status_only: bool) {
    let Some(pod) = st.store.get::<Pod>(&k.0, &k.1) else {
        // Gone: forget its runtime state (keep logs of the last instance for `kubectl logs -p`?
        // no: logs go with the pod).
        let gone: Vec<String> = st.rt.uids_by_name.remove(k).unwrap_or_default();
        forget_runtime(&mut st.rt, gone);
        st.rt.unschedulable.remove(k);
        st.rt.waiting_on_pods.remove(k);
        st.rt.assumed.remove(k);
        return;
    };
    let uid = pod.metadata.uid.clone().unwrap_or_default();
    let node = pod.spec.as_ref().and_then(|s| s.node_name.clone());
    let terminating = pod.metadata.deletion_timestamp.is_some();
    // A stale runtime entry for an earlier pod with the same name (only possible when this
    // uid is new to the runtime).
    let known = st.rt.pods.contains_key(&uid);
    let stale: Vec<String> = if known {
        Vec::new()
    } else {
        match st.rt.uids_by_name.get_mut(k) {
            Some(uids) => {
                let (keep, stale): (Vec<String>, Vec<String>) =
                    std::mem::take(uids).into_iter().partition(|u| *u == uid);
                *uids = keep;
                stale
            }
            None => Vec::new(),
        }
    };
    forget_runtime(&mut st.rt, stale);
    // kind's own pods run outside the runtime (`system`): an update (a label, an annotation)
    // does not make the kubelet start them again; a deletion goes through the kubelet's kill.
    if !terminating && !known && crate::system::is_system_pod(pod) {
        return;
    }
    match node {
        None => {
            if terminating {
                st.store.remove::<Pod>(Actor::Harness, &k.0, &k.1);
            } else if !(status_only && st.rt.unschedulable.contains(k)) {
                // An unschedulable pod waits for a cluster event; its own status write (the
                // scheduler's PodScheduled=False) is not one (`pkg/scheduler/backend/queue/
                // scheduling_queue.go` `Update`: `isPodUpdated` ignores the status).
                scheduler::enqueue(st, k);
            }
        }
        Some(node) => {
            if !st.rt.pods.contains_key(&uid) {
                kubelet::admit(st, &uid, k, &node);
            }
            if terminating {
                kubelet::start_kill(st, &uid);
            }
        }
    }
}

//! The scheduler: binds pods to nodes.
//!
//! Filters, in the default profile's order (kube-scheduler `pkg/scheduler/apis/config/v1/
//! default_plugins.go`; each plugin under `pkg/scheduler/framework/plugins`): NodeUnschedulable
//! (cordon), TaintToleration, NodeAffinity (nodeSelector and required node affinity:
//! `node_affinity`), NodeResourcesFit (pod count, cpu, memory, ephemeral-storage: `fit`),
//! VolumeBinding (claims must exist and not be terminating; a bound local PV narrows the nodes
//! to its own in PreFilter, every other node "didn't satisfy plugin(s) [VolumeBinding]";
//! WaitForFirstConsumer claims are provisioned on the chosen node before binding),
//! InterPodAffinity (required pod affinity and anti-affinity, both ways: `interpod`). The pods
//! a filter sees are the scheduler cache's: every pod that is not Succeeded/Failed (the
//! scheduler's informer leaves terminal pods out), on its node or on the node an earlier cycle
//! assumed it to (`Runtime::assumed`, until it is bound). The failure message has the
//! scheduler's FitError format (`pkg/scheduler/framework/types.go` `FitError.Error`): `0/N
//! nodes are available: <sorted "count reason" list>. preemption: 0/N nodes are available:
//! <sorted list>.`, where the preemption part (DefaultPreemption's PostFilter,
//! `pkg/scheduler/framework/preemption/preemption.go`) says "Preemption is not helpful for
//! scheduling" for a node an UnschedulableAndUnresolvable filter rejected
//! (`nodesWherePreemptionMightHelp`) and "No preemption victims found for incoming pod" for the
//! others (`default_preemption.go` `SelectVictimsOnNode`: no pod of lower priority; the sim has
//! no priority classes, so no pod ever is).

use crate::sort::Sort as _;
use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    Namespace, Node, PersistentVolume, PersistentVolumeClaim, Pod, PodCondition, PodSpec,
    Toleration,
};

mod fit;
mod interpod;
mod node_affinity;
mod spread;

use crate::events::{EventType, record_v1, reference_to};
use crate::state::{Action, State};

/// The scheduler's host name (kind runs kube-scheduler as a host-network static pod on the
/// control-plane node): its events' `reportingInstance` is `default-scheduler-<host>`.
const SCHEDULER_HOST: &str = "kind-control-plane";
use crate::store::{Actor, Key};
use crate::time::to_k8s_time;
use crate::volumes;

/// Queue a scheduling attempt for a pod (once).
pub(crate) fn enqueue(st: &mut State, k: &Key) {
    let tag = format!("schedule/{}/{}", k.0, k.1);
    if st.rt.inflight.contains(&tag) {
        return;
    }
    st.rt.inflight.insert(tag);
    let at = st.now + st.dur.schedule;
    st.queue.push(at, Action::Schedule(k.clone()));
}

fn tolerates(tols: &[Toleration], key: &str, value: &str, effect: &str) -> bool {
    tols.iter().any(|t| {
        let key_ok = match t.key.as_deref() {
            None | Some("") => t.operator.as_deref() == Some("Exists"),
            Some(k) => k == key,
        };
        let effect_ok = t
            .effect
            .as_deref()
            .is_none_or(|e| e.is_empty() || e == effect);
        let value_ok =
            t.operator.as_deref() == Some("Exists") || t.value.as_deref().unwrap_or("") == value;
        key_ok && effect_ok && value_ok
    })
}

/// `GetLocalPersistentVolumeNodeNames` (`pkg/volume/util/util.go`): the node names a PV's
/// required node affinity names with `kubernetes.io/hostname In […]`; `None` = no such terms
/// (the PV does not narrow the nodes).
pub(crate) fn pv_nodes(pv: &PersistentVolume) -> Option<Vec<String>> {
    let terms = pv
        .spec
        .as_ref()?
        .node_affinity
        .as_ref()?
        .required
        .as_ref()?;
    // Per term: the intersection of its hostname-In expressions; over terms: the union.
    let mut out: Vec<String> = Vec::new();
    for t in &terms.node_selector_terms {
        let mut term: Option<Vec<String>> = None;
        for e in t.match_expressions.iter().flatten() {
            if e.key == "kubernetes.io/hostname" && e.operator == "In" {
                let vals: Vec<String> = e.values.iter().flatten().cloned().collect();
                term = Some(match term {
                    None => vals,
                    Some(prev) => prev.into_iter().filter(|n| vals.contains(n)).collect(),
                });
            }
        }
        for n in term.into_iter().flatten() {
            if !out.contains(&n) {
                out.push(n);
            }
        }
    }
    (!out.is_empty()).then_some(out)
}

/// Claims used by a pod, in volume order.
pub(crate) fn pod_claims(pod: &Pod) -> Vec<String> {
    pod.spec
        .as_ref()
        .and_then(|s| s.volumes.as_ref())
        .map(|vs| {
            vs.iter()
                .filter_map(|v| {
                    v.persistent_volume_claim
                        .as_ref()
                        .map(|c| c.claim_name.clone())
                })
                .collect()
        })
        .unwrap_or_default()
}

enum Verdict {
    /// Node feasible.
    Fits,
    /// Node rejected for these reasons; `true`: UnschedulableAndUnresolvable.
    No(Vec<String>, bool),
}

fn no(reason: &str, unresolvable: bool) -> Verdict {
    Verdict::No(vec![reason.to_string()], unresolvable)
}

/// DefaultPreemption's reason for a node (see the module's docs).
fn preemption_reason(unresolvable: bool) -> &'static str {
    if unresolvable {
        "Preemption is not helpful for scheduling"
    } else {
        "No preemption victims found for incoming pod"
    }
}

/// `FitError.Error`'s list: "count reason", sorted as Go's `sort.Strings` sorts.
fn histogram(reasons: &BTreeMap<String, usize>) -> String {
    let mut parts: Vec<String> = reasons.iter().map(|(r, c)| format!("{c} {r}")).collect();
    parts.stable_sort();
    parts.join(", ")
}

/// A pod the scheduler's informer sees (not Succeeded or Failed).
fn active(p: &Pod) -> bool {
    !matches!(
        p.status.as_ref().and_then(|s| s.phase.as_deref()),
        Some("Succeeded" | "Failed")
    )
}

fn fail(st: &mut State, k: &Key, pod: &Pod, msg: String) -> Option<String> {
    let now = st.now;
    // The scheduler records through events.k8s.io (`schedule_one.go` `handleSchedulingFailure`:
    // reason FailedScheduling, action Scheduling).
    record_v1(
        &mut st.store,
        reference_to(pod, None),
        EventType::Warning,
        "FailedScheduling",
        "Scheduling",
        &msg,
        "default-scheduler",
        SCHEDULER_HOST,
        now,
    );
    // PodScheduled=False with reason Unschedulable (scheduler's updatePod).
    let mut p = k8sjson::copy::<Pod>(pod);
    let status = p.status.get_or_insert_with(Default::default);
    let conds = status.conditions.get_or_insert_with(Vec::new);
    let cond = PodCondition {
        type_: "PodScheduled".into(),
        status: "False".into(),
        reason: Some("Unschedulable".into()),
        message: Some(msg.clone()),
        last_transition_time: Some(to_k8s_time(now)),
        // `CalculatePodConditionObservedGeneration` (pod generation, GA in v1.35).
        observed_generation: pod.metadata.generation,
        ..Default::default()
    };
    let mut changed = true;
    if let Some(c) = conds.iter_mut().find(|c| c.type_ == "PodScheduled") {
        changed = c.message != cond.message || c.status != cond.status;
        if changed {
            *c = PodCondition {
                last_transition_time: c.last_transition_time.clone(),
                ..cond
            };
        }
    } else {
        conds.push(cond);
    }
    if changed {
        let _ = st
            .store
            .update_status(Actor::Scheduler, p, |s, n| s.status = n.status);
    }
    st.rt.unschedulable.insert(k.clone());
    Some(format!(
        "default-scheduler: pod {}/{} is unschedulable: {msg}",
        k.0, k.1
    ))
}

/// The pod `k` if it still waits for a node (not being deleted, not bound yet); either way it
/// is no longer assumed on a node (what schedule and bind both start with).
fn waiting_pod(st: &mut State, k: &Key) -> Option<std::sync::Arc<Pod>> {
    st.rt.assumed.remove(k);
    let pod = st.store.get_shared::<Pod>(&k.0, &k.1)?;
    let bound = pod
        .spec
        .as_ref()
        .and_then(|s| s.node_name.as_ref())
        .is_some();
    (pod.metadata.deletion_timestamp.is_none() && !bound).then_some(pod)
}

/// One scheduling attempt.
pub(crate) fn schedule(st: &mut State, k: &Key) -> Option<String> {
    let pod = waiting_pod(st, k)?;
    let nodes: Vec<std::sync::Arc<Node>> = st.store.nodes.values().cloned().collect();
    let n_nodes = nodes.len();
    // Only a failure message needs it.
    let preemption = || {
        format!(
            "preemption: 0/{n_nodes} nodes are available: {n_nodes} Preemption is not helpful for scheduling."
        )
    };

    // PreFilter (VolumeBinding): claims must exist and not be being deleted.
    let claims = pod_claims(&pod);
    let mut pinned: Option<Vec<String>> = None;
    let mut unbound_wffc: Vec<String> = Vec::new();
    for c in &claims {
        let Some(pvc) = st.store.get::<PersistentVolumeClaim>(&k.0, c) else {
            return fail(
                st,
                k,
                &pod,
                format!(
                    "0/{n_nodes} nodes are available: persistentvolumeclaim \"{c}\" not found. {}",
                    preemption()
                ),
            );
        };
        if pvc.metadata.deletion_timestamp.is_some() {
            return fail(
                st,
                k,
                &pod,
                format!(
                    "0/{n_nodes} nodes are available: persistentvolumeclaim \"{c}\" is being deleted. {}",
                    preemption()
                ),
            );
        }
        let bound_pv = pvc
            .spec
            .as_ref()
            .and_then(|s| s.volume_name.clone())
            .filter(|v| !v.is_empty());
        match bound_pv {
            Some(pv_name) => {
                if let Some(pv) = st.store.get::<PersistentVolume>("", &pv_name)
                    && let Some(ns) = pv_nodes(pv)
                {
                    pinned = Some(match pinned {
                        None => ns,
                        Some(prev) => prev.into_iter().filter(|n| ns.contains(n)).collect(),
                    });
                }
            }
            None => {
                if volumes::is_wffc(&st.store, pvc) {
                    unbound_wffc.push(c.clone());
                } else {
                    return fail(
                        st,
                        k,
                        &pod,
                        format!(
                            "0/{n_nodes} nodes are available: pod has unbound immediate PersistentVolumeClaims. {}",
                            preemption()
                        ),
                    );
                }
            }
        }
    }

    let no_spec = PodSpec::default();
    let spec = pod.spec.as_ref().unwrap_or(&no_spec);
    let tols = spec.tolerations.as_deref().unwrap_or(&[]);
    // VolumeBinding's PreFilterResult (`GetEligibleNodes`): bound claims on local PVs narrow the
    // nodes; the framework marks every other node "didn't satisfy plugin(s) [VolumeBinding]"
    // (`pkg/scheduler/framework/runtime/framework.go` `RunPreFilterPlugins`,
    // `pkg/scheduler/schedule_one.go` `findNodesThatFitPod`).
    if pinned.as_ref().is_some_and(Vec::is_empty) {
        return fail(
            st,
            k,
            &pod,
            format!(
                "0/{n_nodes} nodes are available: node(s) didn't satisfy plugin VolumeBinding. {}",
                preemption()
            ),
        );
    }
    let (reasons, preempt, mut feasible, pod_events) =
        filter_nodes(st, k, &pod, spec, tols, &nodes, pinned.as_deref());
    if feasible.is_empty() {
        let msg = format!(
            "0/{n_nodes} nodes are available: {}. preemption: 0/{n_nodes} nodes are available: {}.",
            histogram(&reasons),
            histogram(&preempt)
        );
        if pod_events {
            // A plugin with pod events in its queueing hints rejected it: a pod deleted, bound
            // or relabelled may let it in (`pkg/scheduler/framework/plugins/*` EventsToRegister).
            st.rt.waiting_on_pods.insert(k.clone());
        }
        return fail(st, k, &pod, msg);
    }
    // Score: fewest pods on the node (spreads replicas over workers), then name order. A single
    // feasible node needs no score (and no walk over every pod).
    if feasible.len() > 1 {
        let mut load: BTreeMap<&str, usize> = BTreeMap::new();
        for p in st.store.pods.values() {
            if let Some(nn) = p.spec.as_ref().and_then(|s| s.node_name.as_deref()) {
                *load.entry(nn).or_default() += 1;
            }
        }
        feasible.stable_sort_by_key(|n| (load.get(n.as_str()).copied().unwrap_or(0), n.clone()));
    }
    let node = feasible.into_iter().next()?;
    st.rt.unschedulable.remove(k);
    st.rt.waiting_on_pods.remove(k);
    // The scheduler cache assumes the pod on its node until the binding lands.
    st.rt.assumed.insert(k.clone(), node.clone());
    let uid = pod.metadata.uid.clone().unwrap_or_default();
    if unbound_wffc.is_empty() {
        let at = st.now + st.dur.bind;
        st.queue.push(
            at,
            Action::Bind {
                pod: k.clone(),
                uid,
                node: node.clone(),
            },
        );
        return Some(format!(
            "default-scheduler: pod {}/{} fits on {node}",
            k.0, k.1
        ));
    }
    // VolumeBinding PreBind: ask for provisioning on the chosen node and wait.
    for c in &unbound_wffc {
        volumes::select_node(st, &(k.0.clone(), c.clone()), &node);
        let ck = (k.0.clone(), c.clone());
        match st.rt.waiting_on_claim.get_mut(&ck) {
            Some(pods) => {
                pods.insert(k.clone());
            }
            None => {
                st.rt
                    .waiting_on_claim
                    .insert(ck, std::iter::once(k.clone()).collect());
            }
        }
    }
    Some(format!(
        "default-scheduler: pod {}/{} assumed on {node}; waiting for claim(s) {} to be provisioned",
        k.0,
        k.1,
        unbound_wffc.join(", ")
    ))
}

/// Run every node through the filters (PreFilter state built once from the cache's pods).
/// Returns the failure reasons with their node counts, DefaultPreemption's per-node reasons,
/// the feasible nodes, and whether a filter that pod events can satisfy (NodeResourcesFit,
/// PodTopologySpread, InterPodAffinity) rejected a node.
#[allow(clippy::type_complexity)]
fn filter_nodes(
    st: &State,
    k: &Key,
    pod: &Pod,
    spec: &PodSpec,
    tols: &[Toleration],
    nodes: &[std::sync::Arc<Node>],
    pinned: Option<&[String]>,
) -> (
    BTreeMap<String, usize>,
    BTreeMap<String, usize>,
    Vec<String>,
    bool,
) {
    let mut pod_events = false;
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    let mut preempt: BTreeMap<String, usize> = BTreeMap::new();
    let mut feasible: Vec<String> = Vec::new();
    // PreFilter, one walk over the cache's pods, only for what the pod or the cluster needs:
    // the pod count when some node could be full, requests when the pod requests anything,
    // affinity terms when the pod or a placed pod has some.
    let allocs: Vec<fit::Use> = nodes.iter().map(|n| fit::allocatable(n)).collect();
    let req = fit::Use::of(pod);
    let min_pods = allocs.iter().map(|a| a.pods).min().unwrap_or(0);
    let count = i128::try_from(st.store.pods.len()).unwrap_or(i128::MAX) > min_pods;
    let sum = req.requests_any();
    let own_terms =
        !interpod::affinity_terms(pod).is_empty() || !interpod::anti_affinity_terms(pod).is_empty();
    let ns_labels: interpod::NsLabels<'_> = &|ns| {
        st.store
            .get::<Namespace>("", ns)
            .and_then(|n| n.metadata.labels.as_ref())
    };
    let mut used = vec![fit::Use::default(); nodes.len()];
    let mut pre = interpod::Pre::default();
    // PodTopologySpread's node inclusion policies: nodeAffinityPolicy Honor (the default)
    // counts only nodes the pod's nodeSelector/affinity allow, nodeTaintsPolicy Honor (not the
    // default) only nodes whose taints it tolerates.
    let eligible = |c: &k8s_openapi::api::core::v1::TopologySpreadConstraint, n: &Node| {
        (c.node_affinity_policy.as_deref() == Some("Ignore") || node_affinity::fits(spec, n))
            && (c.node_taints_policy.as_deref() != Some("Honor") || untolerated(n, tols).is_none())
    };
    let mut spread = spread::Pre::new(pod, nodes, &eligible);
    let every_pod = sum || count || own_terms || !spread.is_empty();
    for (pk, p) in &st.store.pods {
        // Most cycles only look for placed pods with anti-affinity terms (symmetry).
        let placed_anti = !interpod::anti_affinity_terms(p).is_empty();
        if pk == k || !(every_pod || placed_anti) || !active(p) {
            continue;
        }
        let Some(on) = p
            .spec
            .as_ref()
            .and_then(|s| s.node_name.as_deref())
            .or_else(|| st.rt.assumed.get(pk).map(String::as_str))
        else {
            continue;
        };
        let Some((i, node)) = nodes
            .iter()
            .enumerate()
            .find(|(_, n)| n.metadata.name.as_deref() == Some(on))
        else {
            continue;
        };
        if let Some(u) = used.get_mut(i) {
            if sum {
                u.add(fit::Use::of(p));
            } else if count {
                u.pods += 1;
            }
        }
        if own_terms || placed_anti {
            pre.add(pod, p, node, ns_labels);
        }
        if !spread.is_empty() {
            spread.add(pod, p, node);
        }
    }
    for (i, n) in nodes.iter().enumerate() {
        let name = n.metadata.name.clone().unwrap_or_default();
        let v = if let Some(p) = pinned
            && !p.contains(&name)
        {
            no("node(s) didn't satisfy plugin(s) [VolumeBinding]", true)
        } else {
            let fit = match (allocs.get(i), used.get(i)) {
                (Some(a), Some(u)) if count || sum => Some((&req, a, u)),
                _ => None,
            };
            match check_node(n, spec, tols, pinned, fit) {
                Verdict::Fits => match spread
                    .filter(pod, n)
                    .or_else(|| pre.filter(pod, n, ns_labels))
                {
                    Some((r, unresolvable)) => no(r, unresolvable),
                    None => Verdict::Fits,
                },
                v => v,
            }
        };
        match v {
            Verdict::Fits => feasible.push(name),
            Verdict::No(rs, unresolvable) => {
                pod_events |= rs.iter().any(|r| {
                    r.starts_with("Insufficient ")
                        || r == "Too many pods"
                        || r.contains("pod topology spread")
                        || r.contains("pod affinity")
                        || r.contains("pod anti-affinity")
                        || r.contains("pods anti-affinity")
                });
                for r in rs {
                    *reasons.entry(r).or_default() += 1;
                }
                *preempt
                    .entry(preemption_reason(unresolvable).to_string())
                    .or_default() += 1;
            }
        }
    }
    (reasons, preempt, feasible, pod_events)
}

/// TaintToleration: the node's first NoSchedule/NoExecute taint the pod does not tolerate (the
/// cordon's taint is NodeUnschedulable's).
fn untolerated<'n>(
    n: &'n Node,
    tols: &[Toleration],
) -> Option<&'n k8s_openapi::api::core::v1::Taint> {
    n.spec.as_ref()?.taints.iter().flatten().find(|t| {
        t.key != "node.kubernetes.io/unschedulable"
            && (t.effect == "NoSchedule" || t.effect == "NoExecute")
            && !tolerates(tols, &t.key, t.value.as_deref().unwrap_or(""), &t.effect)
    })
}

/// The filters before PodTopologySpread and InterPodAffinity, in order; `fit`: the pod's requests, the node's
/// allocatable and what its pods use, when NodeResourcesFit has something to check.
fn check_node(
    n: &Node,
    spec: &PodSpec,
    tols: &[Toleration],
    pinned: Option<&[String]>,
    fit: Option<(&fit::Use, &fit::Use, &fit::Use)>,
) -> Verdict {
    let name = n.metadata.name.clone().unwrap_or_default();
    let no_spec = k8s_openapi::api::core::v1::NodeSpec::default();
    let nspec = n.spec.as_ref().unwrap_or(&no_spec);
    if nspec.unschedulable == Some(true)
        && !tolerates(tols, "node.kubernetes.io/unschedulable", "", "NoSchedule")
    {
        return no("node(s) were unschedulable", true);
    }
    if let Some(t) = untolerated(n, tols) {
        return no(
            &format!(
                "node(s) had untolerated taint {{{}: {}}}",
                t.key,
                t.value.as_deref().unwrap_or("")
            ),
            true,
        );
    }
    if !node_affinity::fits(spec, n) {
        return no(node_affinity::REASON, true);
    }
    if let Some((req, alloc, used)) = fit {
        let (rs, unresolvable) = fit::filter(req, alloc, used);
        if !rs.is_empty() {
            return Verdict::No(rs.into_iter().map(String::from).collect(), unresolvable);
        }
    }
    if let Some(p) = pinned
        && !p.contains(&name)
    {
        return no("node(s) had volume node affinity conflict", true);
    }
    Verdict::Fits
}

/// Bind the pod (the `binding` subresource): nodeName, PodScheduled=True, event `Scheduled`.
pub(crate) fn bind(st: &mut State, k: &Key, uid: &str, node: &str) -> Option<String> {
    let pod = waiting_pod(st, k)?;
    if pod.metadata.uid.as_deref() != Some(uid) {
        return None;
    }
    // Claims must all be bound now (VolumeBinding PreBind).
    for c in pod_claims(&pod) {
        let bound = st
            .store
            .get::<PersistentVolumeClaim>(&k.0, &c)
            .and_then(|p| p.spec.as_ref())
            .and_then(|s| s.volume_name.as_ref())
            .is_some_and(|v| !v.is_empty());
        if !bound {
            enqueue(st, k);
            return None;
        }
    }
    let now = st.now;
    // The binding subresource sets spec.nodeName and the PodScheduled=True condition in one
    // write (`pkg/registry/core/pod/storage/storage.go` `setPodNodeAndMetadata` / assignPod).
    let mut p = k8sjson::copy::<Pod>(&pod);
    p.spec.get_or_insert_with(Default::default).node_name = Some(node.to_string());
    let status = p.status.get_or_insert_with(Default::default);
    let conds = status.conditions.get_or_insert_with(Vec::new);
    conds.retain(|c| c.type_ != "PodScheduled");
    conds.push(PodCondition {
        type_: "PodScheduled".into(),
        status: "True".into(),
        last_transition_time: Some(to_k8s_time(now)),
        ..Default::default()
    });
    let p2 = st.store.update_shared(Actor::Scheduler, p).ok()?;
    // events.k8s.io (`schedule_one.go` `finishBinding`: reason Scheduled, action Binding).
    record_v1(
        &mut st.store,
        reference_to(&*p2, None),
        EventType::Normal,
        "Scheduled",
        "Binding",
        &format!("Successfully assigned {}/{} to {node}", k.0, k.1),
        "default-scheduler",
        SCHEDULER_HOST,
        now,
    );
    Some(format!(
        "default-scheduler: bound pod {}/{} to {node}",
        k.0, k.1
    ))
}

/// Pods waiting for a claim that just got bound: bind them now.
pub(crate) fn claim_bound(st: &mut State, claim: &Key) {
    let Some(pods) = st.rt.waiting_on_claim.remove(claim) else {
        return;
    };
    for pk in pods {
        let Some(pod) = st.store.get::<Pod>(&pk.0, &pk.1) else {
            continue;
        };
        let uid = pod.metadata.uid.clone().unwrap_or_default();
        // The node chosen is recorded on the claim.
        let node = st
            .store
            .get::<PersistentVolumeClaim>(&claim.0, &claim.1)
            .and_then(|c| c.metadata.annotations.as_ref())
            .and_then(|a| a.get(volumes::SELECTED_NODE).cloned());
        if let Some(node) = node {
            let at = st.now + st.dur.bind;
            st.queue.push(
                at,
                Action::Bind {
                    pod: pk.clone(),
                    uid,
                    node,
                },
            );
        } else {
            enqueue(st, &pk);
        }
    }
}

/// The scheduling queue's "move all unschedulable pods" on a cluster event that may make them
/// fit (a node added, uncordoned or back, a volume gone).
pub(crate) fn retry_unschedulable(st: &mut State) {
    st.rt.waiting_on_pods.clear();
    let pods: Vec<Key> = std::mem::take(&mut st.rt.unschedulable)
        .into_iter()
        .collect();
    for k in pods {
        enqueue(st, &k);
    }
}

/// The same for a pod event (a pod removed, bound or its labels changed): only the pods that
/// InterPodAffinity or NodeResourcesFit rejected move (their `EventsToRegister` name pod
/// events; the other filters' do not). Their queueing hints' finer checks (does the pod match
/// a term, did it free resources) are not modelled: every such pod is retried.
pub(crate) fn retry_pod_waiters(st: &mut State) {
    let pods = std::mem::take(&mut st.rt.waiting_on_pods);
    for k in pods {
        st.rt.unschedulable.remove(&k);
        enqueue(st, &k);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::{NodeSpec, PodSpec, Taint};
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

    fn node(name: &str, taint: Option<&str>, cordoned: bool) -> Node {
        Node {
            metadata: ObjectMeta {
                name: Some(name.into()),
                ..Default::default()
            },
            spec: Some(NodeSpec {
                unschedulable: cordoned.then_some(true),
                taints: taint.map(|k| {
                    vec![Taint {
                        key: k.into(),
                        effect: "NoSchedule".into(),
                        ..Default::default()
                    }]
                }),
                ..Default::default()
            }),
            status: None,
        }
    }

    fn reason(v: Verdict) -> (String, bool) {
        match v {
            Verdict::No(r, u) => (r.join(", "), u),
            Verdict::Fits => ("fits".into(), false),
        }
    }

    #[test]
    fn filters_taints_cordon_and_volume_affinity() {
        let spec = PodSpec::default();
        assert!(matches!(
            check_node(&node("a", None, false), &spec, &[], None, None),
            Verdict::Fits
        ));
        assert_eq!(
            reason(check_node(
                &node("a", Some("node-role.kubernetes.io/control-plane"), false),
                &spec,
                &[],
                None,
                None,
            )),
            (
                "node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }".into(),
                true
            )
        );
        assert_eq!(
            reason(check_node(&node("a", None, true), &spec, &[], None, None)),
            ("node(s) were unschedulable".into(), true)
        );
        assert_eq!(
            reason(check_node(
                &node("a", None, false),
                &spec,
                &[],
                Some(&["b".to_string()]),
                None,
            )),
            ("node(s) had volume node affinity conflict".into(), true)
        );
        let tol = Toleration {
            operator: Some("Exists".into()),
            ..Default::default()
        };
        assert!(matches!(
            check_node(&node("a", Some("x"), false), &spec, &[tol], None, None),
            Verdict::Fits
        ));
        // NodeResourcesFit runs after NodeAffinity and before VolumeBinding; its reasons can
        // be several, and Too many pods alone leaves preemption a chance.
        let alloc = fit::Use {
            pods: 1,
            cpu: 1_000,
            ..Default::default()
        };
        let req = fit::Use {
            cpu: 2_000,
            ..Default::default()
        };
        assert_eq!(
            reason(check_node(
                &node("a", None, false),
                &spec,
                &[],
                Some(&["b".to_string()]),
                Some((&req, &alloc, &alloc)),
            )),
            ("Too many pods, Insufficient cpu".into(), true)
        );
        assert_eq!(
            reason(check_node(
                &node("a", None, false),
                &spec,
                &[],
                None,
                Some((&fit::Use::default(), &alloc, &alloc)),
            )),
            ("Too many pods".into(), false)
        );
    }

    /// `FitError.Error` sorts "count reason" strings as Go's sort.Strings does (bytewise).
    #[test]
    fn framework_types_fit_error_histogram_sorted() {
        let m: BTreeMap<String, usize> = [
            (
                "node(s) didn't match pod anti-affinity rules".to_string(),
                3,
            ),
            (
                "node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"
                    .to_string(),
                1,
            ),
            ("Insufficient cpu".to_string(), 12),
        ]
        .into();
        assert_eq!(
            histogram(&m),
            "1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 12 Insufficient cpu, 3 node(s) didn't match pod anti-affinity rules"
        );
    }
}

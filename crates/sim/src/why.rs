//! "Why is it waiting?": one sentence per reason, read from the real state.
//!
//! StatefulSet waits come from the controller's `controller::explain`; pods and claims are
//! explained here from their status, the scheduler's last verdict, the kubelet's current
//! action, and the claim's storage class.

use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::core::v1::{PersistentVolumeClaim, Pod};
use k8s_openapi::api::storage::v1::StorageClass;

use crate::controller::explain::{Wait, explain_at};
use crate::events;
use crate::podstatus::pod_status_text;
use crate::state::State;
use crate::volumes::{self, SELECTED_NODE};

fn pod_state(st: &State, ns: &str, name: &str) -> String {
    st.store
        .get::<Pod>(ns, name)
        .map(pod_status_text)
        .unwrap_or_else(|| "not created".into())
}

/// Words a controller wait, with kubectl's STATUS of the pods involved.
fn wait_sentence(st: &State, ns: &str, w: &Wait) -> String {
    match w {
        Wait::OrderedReady {
            pod, waiting_for, ..
        } => format!(
            "{pod} is not created yet: OrderedReady waits for {waiting_for} to be Running and Ready (it is {})",
            pod_state(st, ns, waiting_for)
        ),
        Wait::ScaleDownWaits {
            pod, waiting_for, ..
        } => format!(
            "{pod} is not deleted yet: OrderedReady scale-down waits for {waiting_for} to be Running and Ready (it is {})",
            pod_state(st, ns, waiting_for)
        ),
        Wait::UpdateWaitsForReady {
            pod,
            waiting_for,
            revision,
        } => format!(
            "{pod} is not updated yet: the rolling update waits for {waiting_for} to be Running and Ready on revision {revision} (it is {})",
            pod_state(st, ns, waiting_for)
        ),
        other => other.sentence(),
    }
}

fn set_waits(st: &State, ns: &str, name: &str) -> Vec<String> {
    explain_at(&st.store, ns, name, &st.ccfg, Some(st.now))
        .iter()
        .map(|w| wait_sentence(st, ns, w))
        .collect()
}

/// The StatefulSet that would own a pod of this name (`<set>-<ordinal>`).
fn owner_set<'a>(st: &'a State, ns: &str, pod: &str) -> Option<&'a StatefulSet> {
    let (parent, _) = crate::ordinal::ordinal_suffix(pod)?;
    st.store.get::<StatefulSet>(ns, parent)
}

/// Explanations for one object. `kind` may be a kubectl resource name (`pod`, `po`, `sts`, ...).
pub(crate) fn why(st: &State, kind: &str, ns: &str, name: &str) -> Vec<String> {
    let kind = crate::resources::canonical_resource(kind).unwrap_or("");
    match kind {
        "statefulsets" => {
            let Some(set) = st.store.get::<StatefulSet>(ns, name) else {
                return vec![format!(
                    "statefulset {name} does not exist in namespace {ns}"
                )];
            };
            let mut out = set_waits(st, ns, name);
            out.extend(stuck_on_old_revision(st, ns, name, set));
            let want = set.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1);
            let ready = set
                .status
                .as_ref()
                .and_then(|s| s.ready_replicas)
                .unwrap_or(0);
            if out.is_empty() {
                if ready == want {
                    out.push(format!(
                        "{name} is not waiting: {ready}/{want} pods are Ready"
                    ));
                } else {
                    // The controller has done its part; the pods are on their way.
                    for i in 0..want {
                        let p = format!("{name}-{i}");
                        out.extend(
                            why_pod(st, ns, &p)
                                .into_iter()
                                .filter(|s| !s.contains("is Running and Ready")),
                        );
                    }
                }
            }
            out
        }
        "deployments" => why_deployment(st, ns, name),
        "replicasets" => why_replicaset(st, ns, name),
        "pods" => why_pod(st, ns, name),
        "persistentvolumeclaims" => why_claim(st, ns, name),
        "poddisruptionbudgets" => why_pdb(st, ns, name),
        _ => vec![format!("no explanation for {kind} {name}")],
    }
}

/// The "Forced rollback" case of the StatefulSets concepts page (kubernetes/kubernetes#67250;
/// `processReplica` in pkg/controller/statefulset/stateful_set_control.go returns before the
/// rolling update while a pod is not Running and Ready): under OrderedReady with RollingUpdate,
/// a pod that is not Ready and is not at the update revision is never replaced by the
/// controller, even after the template is reverted; deleting it is the way out.
fn stuck_on_old_revision(st: &State, ns: &str, name: &str, set: &StatefulSet) -> Vec<String> {
    let spec = set.spec.as_ref();
    let parallel = spec.and_then(|s| s.pod_management_policy.as_deref()) == Some("Parallel");
    let on_delete = spec
        .and_then(|s| s.update_strategy.as_ref())
        .and_then(|u| u.type_.as_deref())
        == Some("OnDelete");
    let Some(update) = set
        .status
        .as_ref()
        .and_then(|s| s.update_revision.as_deref())
    else {
        return Vec::new();
    };
    if parallel || on_delete {
        return Vec::new();
    }
    let mut out = Vec::new();
    for pod in st.store.list::<Pod>(Some(ns)) {
        let Some(pname) = pod.metadata.name.as_deref() else {
            continue;
        };
        if crate::ordinal::ordinal_suffix(pname).map(|(p, _)| p) != Some(name)
            || pod.metadata.deletion_timestamp.is_some()
            || crate::controller::statefulset::stateful_set_utils::is_running_and_ready(pod)
        {
            continue;
        }
        let rev = pod
            .metadata
            .labels
            .as_ref()
            .and_then(|l| l.get("controller-revision-hash"))
            .map(String::as_str);
        if let Some(rev) = rev.filter(|r| *r != update) {
            out.push(format!(
                "{pname} is {} (not Ready) on revision {rev}, and the update revision is now {update}: the controller waits for {pname} to become Ready before it replaces it, so reverting the template is not enough (\"Forced rollback\" on kubernetes.io); delete it (kubectl delete pod {pname}) and it is recreated at {update}",
                pod_status_text(pod)
            ));
            break;
        }
    }
    out
}

/// Everything waiting in a namespace.
pub(crate) fn why_all(st: &State, ns: &str) -> Vec<String> {
    let mut out = Vec::new();
    for s in st.store.list::<StatefulSet>(Some(ns)) {
        let set = s.metadata.name.as_deref().unwrap_or("");
        out.extend(set_waits(st, ns, set));
        // stsplay (validate): a pod the set cannot create is not in the pod list below.
        if let Some((pod, _)) = failed_create(st, ns, set, None) {
            out.extend(why_pod(st, ns, pod));
        }
    }
    for p in st.store.list::<Pod>(Some(ns)) {
        let name = p.metadata.name.clone().unwrap_or_default();
        out.extend(
            why_pod(st, ns, &name)
                .into_iter()
                .filter(|s| !s.contains("is Running and Ready")),
        );
    }
    for c in st.store.list::<PersistentVolumeClaim>(Some(ns)) {
        let bound = c.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Bound");
        if !bound || c.metadata.deletion_timestamp.is_some() {
            out.extend(why_claim(st, ns, c.metadata.name.as_deref().unwrap_or("")));
        }
    }
    for d in st.store.list::<Deployment>(Some(ns)) {
        out.extend(
            deployment_state(d)
                .into_iter()
                .filter(|l| !l.contains(" is not waiting")),
        );
    }
    if out.is_empty() {
        out.push(format!("nothing is waiting in namespace {ns}"));
    }
    out.extend(crate::contrast::differences(&st.store, ns));
    out
}

/// The pods a Deployment's ReplicaSets control (`rs` = one ReplicaSet only).
fn workload_pods<'a>(st: &'a State, ns: &'a str, rss: &[String]) -> Vec<&'a Pod> {
    st.store
        .list::<Pod>(Some(ns))
        .filter(|p| {
            crate::controller::meta::controller_of(&p.metadata)
                .is_some_and(|o| o.kind == "ReplicaSet" && rss.contains(&o.name))
        })
        .collect()
}

/// A Deployment's own state: paused, timed out, its rollout's numbers (stsplay's words).
fn deployment_state(d: &Deployment) -> Vec<String> {
    use crate::controller::deployment::util as du;
    let name = d.metadata.name.clone().unwrap_or_default();
    let want = du::replicas(d);
    let status = k8sjson::copy(&d.status).unwrap_or_default();
    if du::paused(d) {
        return vec![format!(
            "{name} is paused: the Deployment controller rolls out no template change until `kubectl rollout resume deployment/{name}`"
        )];
    }
    if du::get_condition(&status, "Progressing")
        .is_some_and(|c| c.reason.as_deref() == Some(du::TIMED_OUT_REASON))
    {
        return vec![format!(
            "{name} exceeded its progress deadline ({}s without progress): the controller keeps trying, but `kubectl rollout status` gives up",
            du::progress_deadline_seconds(d)
        )];
    }
    let updated = status.updated_replicas.unwrap_or(0);
    let total = status.replicas.unwrap_or(0);
    let available = status.available_replicas.unwrap_or(0);
    if updated == want && total == want && available == want {
        return vec![format!(
            "{name} is not waiting: {available}/{want} pods are available"
        )];
    }
    if updated == want && total == want {
        return vec![format!(
            "{name} has {available} of {want} pods available: the others are not Ready yet"
        )];
    }
    vec![format!(
        "{name} is rolling out: {updated} of {want} pods up to date, {available} available, {total} in all (at most {} in all and at least {} available at a time)",
        want + du::max_surge(d),
        want - du::max_unavailable(d)
    )]
}

fn why_deployment(st: &State, ns: &str, name: &str) -> Vec<String> {
    let Some(d) = st.store.get::<Deployment>(ns, name) else {
        return vec![format!(
            "deployment {name} does not exist in namespace {ns}"
        )];
    };
    let mut out = deployment_state(d);
    let rss: Vec<String> = st
        .store
        .list::<ReplicaSet>(Some(ns))
        .filter(|r| {
            crate::controller::meta::controller_of(&r.metadata)
                .is_some_and(|o| o.kind == "Deployment" && o.name == name)
        })
        .filter_map(|r| r.metadata.name.clone())
        .collect();
    for p in workload_pods(st, ns, &rss) {
        let pn = p.metadata.name.clone().unwrap_or_default();
        out.extend(
            why_pod(st, ns, &pn)
                .into_iter()
                .filter(|s| !s.contains("is Running and Ready")),
        );
    }
    out
}

fn why_replicaset(st: &State, ns: &str, name: &str) -> Vec<String> {
    let Some(rs) = st.store.get::<ReplicaSet>(ns, name) else {
        return vec![format!(
            "replicaset {name} does not exist in namespace {ns}"
        )];
    };
    let want = rs.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1);
    let ready = rs
        .status
        .as_ref()
        .and_then(|s| s.ready_replicas)
        .unwrap_or(0);
    let mut out = Vec::new();
    for p in workload_pods(st, ns, &[name.to_string()]) {
        let pn = p.metadata.name.clone().unwrap_or_default();
        out.extend(
            why_pod(st, ns, &pn)
                .into_iter()
                .filter(|s| !s.contains("is Running and Ready")),
        );
    }
    if out.is_empty() {
        out.push(format!(
            "{name} is not waiting: {ready}/{want} pods are Ready"
        ));
    }
    out
}

/// stsplay (validate): while a set's syncs fail (a retry is pending), the latest pod it failed
/// to create (`pod` = that one only) and the error, from the set's `FailedCreate` events
/// (`create Pod <pod> in StatefulSet <set> failed error: <err>`).
fn failed_create<'a>(
    st: &'a State,
    ns: &str,
    set: &str,
    pod: Option<&str>,
) -> Option<(&'a str, &'a str)> {
    if !st
        .rt
        .sync_failures
        .contains_key(&(ns.to_string(), set.to_string()))
    {
        return None;
    }
    events::for_object(&st.store, "StatefulSet", ns, set)
        .into_iter()
        .rev()
        .filter(|e| e.reason.as_deref() == Some("FailedCreate"))
        .filter_map(|e| {
            let rest = e.message.as_deref()?.strip_prefix("create Pod ")?;
            let (p, err) = rest.split_once(" in StatefulSet ")?;
            let err = err.strip_prefix(set)?.strip_prefix(" failed error: ")?;
            Some((p, err))
        })
        .find(|(p, _)| pod.is_none_or(|want| want == *p))
}

fn last_event<'a>(
    st: &'a State,
    kind: &str,
    ns: &str,
    name: &str,
    reason: &str,
) -> Option<&'a str> {
    events::for_object(&st.store, kind, ns, name)
        .into_iter()
        .rev()
        .find(|e| e.reason.as_deref() == Some(reason))
        .and_then(|e| e.message.as_deref())
}

/// A PodDisruptionBudget's arithmetic as the disruption controller does it
/// (`pkg/controller/disruption/disruption.go`), in stsplay's words: how many disruptions it
/// allows, from which numbers, and which selected pods do not count as healthy, and why.
fn why_pdb(st: &State, ns: &str, name: &str) -> Vec<String> {
    use crate::controller::disruption;
    let Some(pdb) = st
        .store
        .get::<k8s_openapi::api::policy::v1::PodDisruptionBudget>(ns, name)
    else {
        return vec![format!(
            "poddisruptionbudget {name} does not exist in namespace {ns}"
        )];
    };
    let c = match disruption::compute(&st.store, pdb, st.now) {
        Ok(c) => c,
        Err(e) => {
            return vec![format!(
                "{name} allows no disruption: the disruption controller cannot count the expected pods ({e})"
            )];
        }
    };
    let spec = k8sjson::copy(&pdb.spec).unwrap_or_default();
    let bound = |v: &k8s_openapi::apimachinery::pkg::util::intstr::IntOrString| match v {
        k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(i) => i.to_string(),
        k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::String(s) => s.clone(),
    };
    let rule = match (&spec.min_available, &spec.max_unavailable) {
        (_, Some(mu)) => format!(
            "maxUnavailable {} of the {} pods its pods' controllers want",
            bound(mu),
            c.expected
        ),
        (Some(ma), None) => format!("minAvailable {}", bound(ma)),
        (None, None) => "neither minAvailable nor maxUnavailable is set".into(),
    };
    let mut out = vec![format!(
        "{name} allows {} disruption(s): {} of its pods are healthy (Ready and not being deleted) and it needs {} ({rule})",
        c.allowed, c.current, c.desired
    )];
    if c.pods.is_empty() {
        out.push(format!("{name} selects no pod in namespace {ns}"));
    }
    for p in &c.pods {
        let Some(pod) = st.store.get::<Pod>(ns, p) else {
            continue;
        };
        if pod.metadata.deletion_timestamp.is_some() {
            out.push(format!(
                "{p} does not count as healthy: it is being deleted"
            ));
        } else if c.disrupted.contains_key(p) {
            out.push(format!(
                "{p} does not count as healthy: it was just evicted (disruptedPods)"
            ));
        } else if !crate::controller::podutil::is_pod_ready(pod) {
            let mut w = why_pod(st, ns, p);
            w.truncate(1);
            let w = w.concat();
            out.push(if w.is_empty() {
                format!("{p} does not count as healthy: it is not Ready")
            } else {
                format!("{p} does not count as healthy: it is not Ready ({w})")
            });
        }
    }
    let live = c.pods.len();
    if usize::try_from(c.expected).is_ok_and(|e| e > live) && spec.max_unavailable.is_some() {
        out.push(format!(
            "{} expected pod(s) do not exist yet",
            usize::try_from(c.expected)
                .unwrap_or(0)
                .saturating_sub(live)
        ));
    }
    out
}

fn why_pod(st: &State, ns: &str, name: &str) -> Vec<String> {
    let Some(pod) = st.store.get::<Pod>(ns, name) else {
        // Not created: the StatefulSet controller may be holding it back.
        if let Some(set) = owner_set(st, ns, name) {
            let set_name = set.metadata.name.clone().unwrap_or_default();
            let waits: Vec<String> = explain_at(&st.store, ns, &set_name, &st.ccfg, Some(st.now))
                .iter()
                .filter(|w| match w {
                    Wait::OrderedReady { pod, .. }
                    | Wait::PvcBeingDeleted { pod, .. }
                    | Wait::StaleClaim { pod, .. } => pod == name,
                    _ => false,
                })
                .map(|w| wait_sentence(st, ns, w))
                .collect();
            if !waits.is_empty() {
                return waits;
            }
            let ord = crate::ordinal::ordinal_suffix(name)
                .and_then(|(_, n)| i64::try_from(n).ok())
                .unwrap_or(0);
            let start = set
                .spec
                .as_ref()
                .and_then(|s| s.ordinals.as_ref())
                .and_then(|o| o.start)
                .map(i64::from)
                .unwrap_or(0);
            let replicas = i64::from(set.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1));
            if ord < start || ord >= start + replicas {
                return vec![format!(
                    "{name} does not exist: it is outside the ordinals of statefulset {set_name} ({start}..{})",
                    start + replicas - 1
                )];
            }
            // stsplay (validate): the set's last sync failed to create a pod (its retry is
            // pending); the reason is in the set's FailedCreate event for that pod.
            if let Some((_, err)) = failed_create(st, ns, &set_name, Some(name)) {
                let (what, fix) = if err.starts_with("failed to create PVC ")
                    && err.contains(" is invalid: ")
                {
                    // A claim from a template the v1.28 apiserver let through; the templates
                    // are immutable (apps/validation `ValidateStatefulSetUpdate`).
                    (
                        "the apiserver rejected its claim",
                        " until the set is created again with a valid volumeClaimTemplates entry (it cannot be updated in place)",
                    )
                } else if err.contains(" is invalid: ") {
                    (
                        "the apiserver rejected it",
                        " until its pod template is fixed",
                    )
                } else {
                    ("its last create failed", "")
                };
                return vec![format!(
                    "{name} is not created: {what} ({err}); statefulset {set_name} retries with backoff{fix}"
                )];
            }
            if let Some((other, _)) = failed_create(st, ns, &set_name, None) {
                return vec![format!(
                    "{name} is not created yet: statefulset {set_name} keeps failing to create {other} first"
                )];
            }
            return vec![format!(
                "{name} is not created yet: statefulset {set_name} will create it at its next sync"
            )];
        }
        return vec![format!("pod {name} does not exist in namespace {ns}")];
    };
    let status = pod_status_text(pod);
    let rt = pod.metadata.uid.as_ref().and_then(|u| st.rt.pods.get(u));
    let node = pod.spec.as_ref().and_then(|s| s.node_name.clone());
    if pod.metadata.deletion_timestamp.is_some() {
        if let Some(n) = &node
            && st.rt.nodes.get(n).is_some_and(|x| !x.up)
        {
            return vec![format!(
                "{name} is Terminating but its node {n} is down: nobody can confirm its containers stopped, so it stays Terminating until the node is back or you force-delete it (kubectl delete pod {name} --grace-period=0 --force)"
            )];
        }
        if let Some(f) = pod.metadata.finalizers.as_ref().filter(|f| !f.is_empty())
            && matches!(
                pod.status.as_ref().and_then(|s| s.phase.as_deref()),
                Some("Succeeded" | "Failed")
            )
        {
            return vec![format!(
                "{name} is being deleted and its containers stopped, but its finalizers [{}] keep the object until they are removed; the StatefulSet recreates it only once it is gone (kubectl patch pod {name} -p '{{\"metadata\":{{\"finalizers\":null}}}}')",
                f.join(" ")
            )];
        }
        let grace = pod.metadata.deletion_grace_period_seconds.unwrap_or(30);
        return vec![format!(
            "{name} is Terminating: the kubelet is stopping its containers (grace period {grace}s); the StatefulSet recreates it only once it is gone"
        )];
    }
    let Some(node) = node else {
        // Not scheduled yet.
        for c in crate::scheduler::pod_claims(pod) {
            if let Some(claim) = st.store.get::<PersistentVolumeClaim>(ns, &c) {
                let bound = claim
                    .spec
                    .as_ref()
                    .and_then(|s| s.volume_name.as_ref())
                    .is_some();
                if !bound
                    && let Some(sel) = claim
                        .metadata
                        .annotations
                        .as_ref()
                        .and_then(|a| a.get(SELECTED_NODE))
                {
                    return vec![format!(
                        "{name} is Pending: the scheduler chose node {sel} and waits for claim {c} to be provisioned there (WaitForFirstConsumer)"
                    )];
                }
            }
        }
        if let Some(msg) = last_event(st, "Pod", ns, name, "FailedScheduling")
            && st
                .rt
                .unschedulable
                .contains(&(ns.to_string(), name.to_string()))
        {
            let rules: Vec<&str> = SCHEDULING_RULES
                .iter()
                .filter(|(reason, _)| msg.contains(reason))
                .map(|(_, rule)| *rule)
                .collect();
            let mut out = vec![format!(
                "{name} is Pending: the scheduler cannot place it: {msg}"
            )];
            if !rules.is_empty() {
                out.push(format!("what keeps it off the nodes: {}", rules.join("; ")));
            }
            return out;
        }
        return vec![format!(
            "{name} is Pending: waiting for the scheduler to pick a node"
        )];
    };
    if st.rt.nodes.get(&node).is_some_and(|n| !n.up) {
        return vec![format!(
            "{name} is on node {node}, which is down: its status is stale ({status})"
        )];
    }
    let doing = rt.map(|r| r.doing.clone()).unwrap_or_default();
    let ready = pod
        .status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .is_some_and(|c| c.iter().any(|c| c.type_ == "Ready" && c.status == "True"));
    let sentence = match status.as_str() {
        "Running" if ready => format!("{name} is Running and Ready"),
        "Running" => {
            if rt.is_some_and(|r| r.unready) {
                format!("{name} is Running but not Ready: its readiness check fails")
            } else {
                format!("{name} is Running but not Ready yet: {doing}")
            }
        }
        s if s.contains("InvalidImageName") => format!(
            "{name} is {s}: the kubelet cannot parse the image reference, so it never pulls it; it retries, but only a new image (kubectl set image, or a fixed template) helps"
        ),
        s if s.contains("ImagePullBackOff") || s.contains("ErrImagePull") => {
            format!("{name} is {s}: the image cannot be pulled; the kubelet is {doing}")
        }
        s if s.contains("CrashLoopBackOff") || s.contains("Error") => {
            format!("{name} is {s}: a container keeps exiting; the kubelet is {doing}")
        }
        "Pending" => format!("{name} is Pending on {node}: the kubelet is {doing}"),
        s if s.starts_with("Init:") => format!("{name} is {s}: the kubelet is {doing}"),
        "PodInitializing" | "ContainerCreating" => {
            format!("{name} is {status}: the kubelet is {doing}")
        }
        s => format!("{name} is {s}"),
    };
    vec![sentence]
}

/// The scheduler's filter reasons (kube-scheduler's plugins) and the rule of the pod or the
/// node behind each, in our words.
const SCHEDULING_RULES: &[(&str, &str)] = &[
    ("were unschedulable", "a cordoned node (spec.unschedulable)"),
    (
        "untolerated taint",
        "a node taint the pod does not tolerate",
    ),
    (
        "didn't match Pod's node affinity/selector",
        "the pod's nodeSelector or required nodeAffinity",
    ),
    (
        "Too many pods",
        "the node's allocatable pod count is used up",
    ),
    (
        "Insufficient ",
        "the pod's resource requests exceed what the node's allocatable leaves after its pods' requests",
    ),
    (
        "didn't match pod affinity rules",
        "the pod's required podAffinity: no matching pod in the node's topology domain",
    ),
    (
        "didn't match pod anti-affinity rules",
        "the pod's required podAntiAffinity: a matching pod already runs in the node's topology domain",
    ),
    (
        "existing pods anti-affinity rules",
        "a placed pod's required podAntiAffinity matches this pod",
    ),
    (
        "topology spread constraints",
        "the pod's topologySpreadConstraints (DoNotSchedule): the node's domain would exceed maxSkew",
    ),
    (
        "VolumeBinding",
        "its claims' volumes are tied to other nodes",
    ),
    (
        "volume node affinity conflict",
        "its claims' volumes are tied to other nodes",
    ),
];

fn why_claim(st: &State, ns: &str, name: &str) -> Vec<String> {
    let Some(c) = st.store.get::<PersistentVolumeClaim>(ns, name) else {
        return vec![format!(
            "persistentvolumeclaim {name} does not exist in namespace {ns}"
        )];
    };
    if c.metadata.deletion_timestamp.is_some() {
        let users: Vec<String> = st
            .store
            .list::<Pod>(Some(ns))
            .filter(|p| crate::scheduler::pod_claims(p).iter().any(|x| x == name))
            .filter(|p| p.spec.as_ref().and_then(|s| s.node_name.as_ref()).is_some())
            .filter_map(|p| p.metadata.name.clone())
            .collect();
        if users.is_empty() {
            return vec![format!(
                "{name} is Terminating: it will be gone at the next pvc-protection pass"
            )];
        }
        return vec![format!(
            "{name} is Terminating: the kubernetes.io/pvc-protection finalizer keeps it while pod {} uses it",
            users.join(", ")
        )];
    }
    if c.spec
        .as_ref()
        .and_then(|s| s.volume_name.as_ref())
        .is_some()
    {
        return vec![format!(
            "{name} is Bound to {}",
            c.spec
                .as_ref()
                .and_then(|s| s.volume_name.clone())
                .unwrap_or_default()
        )];
    }
    let class = c
        .spec
        .as_ref()
        .and_then(|s| s.storage_class_name.clone())
        .or_else(|| volumes::default_class(&st.store));
    let Some(class) = class else {
        return vec![format!(
            "{name} is Pending: it names no storage class and there is no default one, so it waits for a matching PersistentVolume"
        )];
    };
    let Some(sc) = st.store.get::<StorageClass>("", &class) else {
        return vec![format!(
            "{name} is Pending: storageclass.storage.k8s.io \"{class}\" not found (kubectl get storageclass lists the classes)"
        )];
    };
    if let Some(node) = c
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(SELECTED_NODE))
    {
        return vec![format!(
            "{name} is Pending: {} is provisioning its volume on node {node}",
            sc.provisioner
        )];
    }
    if sc.volume_binding_mode.as_deref() == Some("WaitForFirstConsumer") {
        let users: Vec<String> = st
            .store
            .list::<Pod>(Some(ns))
            .filter(|p| crate::scheduler::pod_claims(p).iter().any(|x| x == name))
            .filter_map(|p| p.metadata.name.clone())
            .collect();
        return vec![if users.is_empty() {
            format!(
                "{name} is Pending: storage class {class} uses WaitForFirstConsumer and no pod uses the claim yet"
            )
        } else {
            format!(
                "{name} is Pending: storage class {class} uses WaitForFirstConsumer, so its volume is created once pod {} is scheduled",
                users.join(", ")
            )
        }];
    }
    vec![format!(
        "{name} is Pending: waiting for {} to provision a volume",
        sc.provisioner
    )]
}

//! The pod as the kubelet handles it: its containers and images (normalized references, pull
//! policy, image ids and sizes), the status it posts (container states, conditions, phase:
//! `refresh`, `write`), the events it records and how it queues its next stage.

use crate::sort::Sort as _;
use std::sync::Arc;

use k8s_openapi::api::core::v1::{
    Container, ContainerState, ContainerStateWaiting, ContainerStatus, Pod, PodCondition, PodStatus,
};

use crate::events::{EventType, record, reference_to};
use crate::state::{Action, PodRt, Stage, State};
use crate::store::Actor;
use crate::time::{SimTime, to_k8s_time};

pub(super) const MAX_LOG: usize = 64 * 1024;

pub(super) fn containers(pod: &Pod, init: bool) -> &[Container] {
    match pod.spec.as_ref() {
        Some(s) if init => s.init_containers.as_deref().unwrap_or(&[]),
        Some(s) => &s.containers,
        None => &[],
    }
}

pub(super) fn container(pod: &Pod, init: bool, idx: usize) -> Option<&Container> {
    containers(pod, init).get(idx)
}

pub(super) fn field_path(init: bool, name: &str) -> String {
    if init {
        format!("spec.initContainers{{{name}}}")
    } else {
        format!("spec.containers{{{name}}}")
    }
}

/// `docker.io/library/nginx:1.26.0` for `nginx:1.26.0` (containerd's normalized reference).
pub fn normalize_image(image: &str) -> String {
    let (name, tag) = match image.rsplit_once(':') {
        Some((n, t)) if !t.contains('/') => (n.to_string(), format!(":{t}")),
        _ if image.contains('@') => (image.to_string(), String::new()),
        _ => (image.to_string(), ":latest".to_string()),
    };
    let first = name.split('/').next().unwrap_or("");
    let has_registry =
        name.contains('/') && (first.contains('.') || first.contains(':') || first == "localhost");
    let full = if has_registry {
        name
    } else if name.contains('/') {
        format!("docker.io/{name}")
    } else {
        format!("docker.io/library/{name}")
    };
    format!("{full}{tag}")
}

/// Image size reported in the Pulled event (nginx:1.26.0 as observed; others derived).
pub(super) fn image_size(image: &str) -> u64 {
    match image {
        "nginx:1.26.0" => 72_080_558,
        "nginx:1.27" => 72_099_410,
        _ => {
            let h = image.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
            });
            30_000_000 + h % 90_000_000
        }
    }
}

pub(super) fn pull_policy(c: &Container) -> &str {
    match c.image_pull_policy.as_deref() {
        Some(p) => p,
        None => {
            let img = c.image.as_deref().unwrap_or("");
            let tag = img
                .rsplit_once(':')
                .map(|(_, t)| t)
                .filter(|t| !t.contains('/'));
            if tag.is_none_or(|t| t == "latest") && !img.contains('@') {
                "Always"
            } else {
                "IfNotPresent"
            }
        }
    }
}

pub(super) fn ev(
    st: &mut State,
    pod: &Pod,
    fp: Option<&str>,
    kind: EventType,
    reason: &str,
    msg: &str,
) {
    let node = pod.spec.as_ref().and_then(|s| s.node_name.as_deref());
    let now = st.now;
    record(
        &mut st.store,
        reference_to(pod, fp),
        kind,
        reason,
        msg,
        "kubelet",
        node,
        now,
    );
}

/// The pod this kubelet runs under `uid`, shared (the stored object itself, not a copy).
pub(super) fn get_pod(st: &State, uid: &str) -> Option<Arc<Pod>> {
    let rt = st.rt.pods.get(uid)?;
    let p = st.store.get_shared::<Pod>(&rt.ns, &rt.name)?;
    (p.metadata.uid.as_deref() == Some(uid)).then_some(p)
}

pub(super) fn push(st: &mut State, uid: &str, delay: SimTime, stage: Stage) {
    let Some(rt) = st.rt.pods.get(uid) else {
        return;
    };
    let epoch = rt.epoch;
    let at = st.now + delay;
    st.queue.push(
        at,
        Action::Kubelet {
            uid: uid.to_string(),
            epoch,
            stage,
        },
    );
}

pub(super) fn rt_mut<'a>(st: &'a mut State, uid: &str) -> Option<&'a mut PodRt> {
    st.rt.pods.get_mut(uid)
}

pub(super) fn waiting(reason: &str, message: Option<String>) -> ContainerState {
    ContainerState {
        waiting: Some(ContainerStateWaiting {
            reason: Some(reason.into()),
            message,
        }),
        ..Default::default()
    }
}

pub(super) fn initial_status(c: &Container, reason: &str) -> ContainerStatus {
    ContainerStatus {
        name: c.name.clone(),
        image: c.image.clone().unwrap_or_default(),
        image_id: String::new(),
        ready: false,
        restart_count: 0,
        started: Some(false),
        state: Some(waiting(reason, None)),
        ..Default::default()
    }
}

/// The status of container `idx` of `pod` (see [`cs_mut`]).
pub(super) fn cs_at<'a>(
    status: &'a mut PodStatus,
    pod: &Pod,
    init: bool,
    idx: usize,
) -> Option<&'a mut ContainerStatus> {
    cs_mut(status, init, &container(pod, init, idx)?.name)
}

pub(super) fn statuses_mut(status: &mut PodStatus, init: bool) -> &mut Vec<ContainerStatus> {
    if init {
        status.init_container_statuses.get_or_insert_with(Vec::new)
    } else {
        status.container_statuses.get_or_insert_with(Vec::new)
    }
}

/// The status of container `name` (creates the empty status list when there is none, as
/// every status edit of the kubelet here does).
pub(super) fn cs_mut<'a>(
    status: &'a mut PodStatus,
    init: bool,
    name: &str,
) -> Option<&'a mut ContainerStatus> {
    statuses_mut(status, init)
        .iter_mut()
        .find(|c| c.name == name)
}

/// Set condition `ty`; `msg` is only built when the condition is false (a true condition
/// carries no reason or message).
pub(super) fn set_cond(
    conds: &mut Vec<PodCondition>,
    ty: &str,
    ok: bool,
    reason: Option<&str>,
    msg: impl FnOnce() -> Option<String>,
    now: SimTime,
) {
    let message = if ok { None } else { msg() };
    put_cond(conds, ty, ok, reason, message, now);
}

/// [`set_cond`] with the message built (one copy for every condition, issue #17).
#[inline(never)]
fn put_cond(
    conds: &mut Vec<PodCondition>,
    ty: &str,
    ok: bool,
    reason: Option<&str>,
    message: Option<String>,
    now: SimTime,
) {
    let status = if ok { "True" } else { "False" };
    let reason = if ok { None } else { reason.map(str::to_string) };
    if let Some(c) = conds.iter_mut().find(|c| c.type_ == ty) {
        if c.status != status {
            c.last_transition_time = Some(to_k8s_time(now));
        }
        if c.status != status {
            c.status = status.into();
        }
        c.reason = reason;
        c.message = message;
    } else {
        conds.push(PodCondition {
            type_: ty.into(),
            status: status.into(),
            reason,
            message,
            last_transition_time: Some(to_k8s_time(now)),
            ..Default::default()
        });
    }
}

/// Recompute phase and conditions from container statuses (kubelet `getPhase`,
/// `pkg/kubelet/status/generate.go`). Condition order as the kubelet reports them. `pod` gives
/// the containers (its spec); `status` is the status being written.
pub(super) fn refresh(status: &mut PodStatus, pod: &Pod, now: SimTime, node_ready: bool) {
    let no_statuses: &[ContainerStatus] = &[];
    let inits = status
        .init_container_statuses
        .as_deref()
        .unwrap_or(no_statuses);
    let cs = status.container_statuses.as_deref().unwrap_or(no_statuses);
    let incomplete: Vec<&str> = containers(pod, true)
        .iter()
        .map(|c| c.name.as_str())
        .filter(|n| {
            !inits.iter().any(|s| {
                s.name == *n
                    && s.state
                        .as_ref()
                        .and_then(|x| x.terminated.as_ref())
                        .is_some_and(|t| t.exit_code == 0)
            })
        })
        .collect();
    let initialized = incomplete.is_empty();
    let names = containers(pod, false);
    let unready: Vec<&str> = names
        .iter()
        .map(|c| c.name.as_str())
        .filter(|n| !cs.iter().any(|s| s.name == *n && s.ready))
        .collect();
    let ready = unready.is_empty() && node_ready;
    let all_started = names.iter().all(|n| {
        cs.iter().any(|s| {
            s.name == n.name
                && (s
                    .state
                    .as_ref()
                    .is_some_and(|x| x.running.is_some() || x.terminated.is_some())
                    || s.restart_count > 0)
        })
    });
    let phase = if initialized && all_started {
        "Running"
    } else {
        "Pending"
    };
    // A terminal phase is final (kubelet `status_manager.go` `checkPodStatusUpdateIsAllowed`
    // refuses a transition out of Succeeded or Failed).
    let terminal = matches!(status.phase.as_deref(), Some("Succeeded" | "Failed"));
    if !terminal && status.phase.as_deref() != Some(phase) {
        status.phase = Some(phase.into());
    }
    let mut conds = status.conditions.take().unwrap_or_default();
    let fmt_list = |v: &[&str]| format!("[{}]", v.join(" "));
    set_cond(
        &mut conds,
        "PodReadyToStartContainers",
        status.pod_ip.is_some(),
        None,
        || None,
        now,
    );
    set_cond(
        &mut conds,
        "Initialized",
        initialized,
        Some("ContainersNotInitialized"),
        || {
            Some(format!(
                "containers with incomplete status: {}",
                fmt_list(&incomplete)
            ))
        },
        now,
    );
    set_cond(
        &mut conds,
        "Ready",
        ready,
        Some("ContainersNotReady"),
        || {
            Some(format!(
                "containers with unready status: {}",
                fmt_list(&unready)
            ))
        },
        now,
    );
    set_cond(
        &mut conds,
        "ContainersReady",
        unready.is_empty(),
        Some("ContainersNotReady"),
        || {
            Some(format!(
                "containers with unready status: {}",
                fmt_list(&unready)
            ))
        },
        now,
    );
    // Pod generation (GA in v1.35): the kubelet reports the generation it acted on in
    // `status.observedGeneration` and on the conditions it owns (`generateAPIPodStatus`;
    // `podutil.CalculatePodStatusObservedGeneration` / `CalculatePodConditionObservedGeneration`;
    // PodScheduled is one of `kubetypes.PodConditionsByKubelet`).
    if let Some(g) = pod.metadata.generation {
        if status.observed_generation != Some(g) {
            status.observed_generation = Some(g);
        }
        for c in conds.iter_mut().filter(|c| {
            matches!(
                c.type_.as_str(),
                "PodReadyToStartContainers"
                    | "Initialized"
                    | "Ready"
                    | "ContainersReady"
                    | "PodScheduled"
            )
        }) {
            if c.observed_generation != Some(g) {
                c.observed_generation = Some(g);
            }
        }
    }
    let order = [
        "PodReadyToStartContainers",
        "Initialized",
        "Ready",
        "ContainersReady",
        "PodScheduled",
    ];
    conds.stable_sort_by_key(|c| {
        order
            .iter()
            .position(|o| *o == c.type_)
            .unwrap_or(order.len())
    });
    status.conditions = Some(conds);
}

/// The kubelet's status update of `pod` (as read at the start of the stage): `edit` changes a
/// copy of its status (not of the whole pod; it also gets the pod, for its containers), phase
/// and conditions are recomputed, and the status is written unless it equals the stored one.
/// Takes the caller's reference to the pod so that, when nothing else shares it, the store
/// writes the status in place instead of copying the pod. Returns the pod as stored afterwards
/// and whether the status written equals the status as read.
pub(super) fn write(
    st: &mut State,
    pod: Arc<Pod>,
    edit: impl FnOnce(&Pod, &mut PodStatus),
) -> Option<(Arc<Pod>, bool)> {
    let mut status = k8sjson::copy(&pod.status).unwrap_or_default();
    edit(&pod, &mut status);
    write_edited(st, pod, status)
}

/// [`write`] once `edit` has changed the copy of the status (one copy for every caller,
/// issue #17).
#[inline(never)]
fn write_edited(st: &mut State, pod: Arc<Pod>, mut status: PodStatus) -> Option<(Arc<Pod>, bool)> {
    let node_ok = true;
    refresh(&mut status, &pod, st.now, node_ok);
    let as_read = pod.status.as_ref() == Some(&status);
    let k = crate::store::key_of(&*pod);
    drop(pod);
    let stored = st.store.get_shared::<Pod>(&k.0, &k.1)?;
    if stored.status.as_ref() == Some(&status) {
        return Some((stored, as_read));
    }
    drop(stored);
    st.store
        .write_status(Actor::Kubelet, &k.0, &k.1, |s: &mut Pod| {
            s.status = Some(status);
        })
        .ok()
        .map(|p| (p, as_read))
}

pub(super) fn container_id(st: &mut State) -> String {
    format!(
        "containerd://{:016x}{:016x}{:016x}{:016x}",
        st.rng.next_u64(),
        st.rng.next_u64(),
        st.rng.next_u64(),
        st.rng.next_u64()
    )
}

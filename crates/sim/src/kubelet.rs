//! The kubelet: runs the pods bound to its node.
//!
//! Per pod, as `pkg/kubelet` does it: post the first status (`Pending`, containers waiting
//! `PodInitializing`/`ContainerCreating`), then for each init container in order and then each
//! container: ensure the image (per-node image cache: `Pulling`/`Pulled` the first time,
//! `already present on machine` afterwards; `pkg/kubelet/images/image_manager.go`), create and
//! start it (`pkg/kubelet/kuberuntime/kuberuntime_container.go`), run init containers to
//! completion; readiness (probes when specified, else ready on start); crashes restart with the
//! CrashLoopBackOff back-off (10 s doubling to 5 min); deletion sends SIGTERM (`Killing`), waits
//! up to `terminationGracePeriodSeconds`, then the pod object goes.

use std::sync::Arc;

use k8s_openapi::api::core::v1::{
    Container, ContainerState, ContainerStateRunning, ContainerStateTerminated,
    ContainerStateWaiting, ContainerStatus, HostIP, Pod, PodCondition, PodIP, PodStatus,
};

use crate::clock::go_duration;
use crate::cluster::{Action, PodRt, State};
use crate::command::{ExecOutput, SimError};
use crate::config::K8sVersion;
use crate::events::{EventType, record, reference_to};
use crate::shell::{self, ShellHost};
use crate::store::{Actor, ApiError, Key, Store};
use crate::time::{SimTime, to_k8s_time};
use crate::volumes::{self, FileStore};

/// One kubelet action for a pod.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stage {
    /// First status post after the pod was bound.
    Sync,
    /// Ensure the image of a container.
    Image { init: bool, idx: usize },
    /// A pull finished.
    Pulled {
        init: bool,
        idx: usize,
        took: SimTime,
    },
    /// A pull failed (image missing).
    PullFailed { init: bool, idx: usize },
    /// The kubelet reports the pull back-off.
    PullBackOff { init: bool, idx: usize },
    /// Create and start a container.
    Start { init: bool, idx: usize },
    /// A container exited.
    Exited { init: bool, idx: usize, code: i32 },
    /// The kubelet reports the restart back-off.
    BackOff { init: bool, idx: usize },
    /// Restart after the back-off.
    Restart { init: bool, idx: usize },
    /// A readiness observation for a container.
    Probe { idx: usize },
    /// SIGTERM on deletion.
    Kill,
    /// Containers gone: status, then the pod object is removed.
    KillDone { sigkill: bool },
}

const MAX_LOG: usize = 64 * 1024;

fn containers(pod: &Pod, init: bool) -> &[Container] {
    match pod.spec.as_ref() {
        Some(s) if init => s.init_containers.as_deref().unwrap_or(&[]),
        Some(s) => &s.containers,
        None => &[],
    }
}

fn container(pod: &Pod, init: bool, idx: usize) -> Option<&Container> {
    containers(pod, init).get(idx)
}

fn field_path(init: bool, name: &str) -> String {
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
fn image_size(image: &str) -> u64 {
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

fn pull_policy(c: &Container) -> &str {
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

fn ev(st: &mut State, pod: &Pod, fp: Option<&str>, kind: EventType, reason: &str, msg: &str) {
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
fn get_pod(st: &State, uid: &str) -> Option<Arc<Pod>> {
    let rt = st.rt.pods.get(uid)?;
    let p = st.store.get_shared::<Pod>(&rt.ns, &rt.name)?;
    (p.metadata.uid.as_deref() == Some(uid)).then_some(p)
}

fn push(st: &mut State, uid: &str, delay: SimTime, stage: Stage) {
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

fn rt_mut<'a>(st: &'a mut State, uid: &str) -> Option<&'a mut PodRt> {
    st.rt.pods.get_mut(uid)
}

fn waiting(reason: &str, message: Option<String>) -> ContainerState {
    ContainerState {
        waiting: Some(ContainerStateWaiting {
            reason: Some(reason.into()),
            message,
        }),
        ..Default::default()
    }
}

fn initial_status(c: &Container, reason: &str) -> ContainerStatus {
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
fn cs_at<'a>(
    status: &'a mut PodStatus,
    pod: &Pod,
    init: bool,
    idx: usize,
) -> Option<&'a mut ContainerStatus> {
    cs_mut(status, init, &container(pod, init, idx)?.name)
}

fn statuses_mut(status: &mut PodStatus, init: bool) -> &mut Vec<ContainerStatus> {
    if init {
        status.init_container_statuses.get_or_insert_with(Vec::new)
    } else {
        status.container_statuses.get_or_insert_with(Vec::new)
    }
}

/// The status of container `name` (creates the empty status list when there is none, as
/// every status edit of the kubelet here does).
fn cs_mut<'a>(
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
fn set_cond(
    conds: &mut Vec<PodCondition>,
    ty: &str,
    ok: bool,
    reason: Option<&str>,
    msg: impl FnOnce() -> Option<String>,
    now: SimTime,
) {
    let status = if ok { "True" } else { "False" };
    let (reason, message) = if ok {
        (None, None)
    } else {
        (reason.map(str::to_string), msg())
    };
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
fn refresh(status: &mut PodStatus, pod: &Pod, now: SimTime, node_ready: bool) {
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
    if status.phase.as_deref() != Some(phase) {
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
    let order = [
        "PodReadyToStartContainers",
        "Initialized",
        "Ready",
        "ContainersReady",
        "PodScheduled",
    ];
    conds.sort_by_key(|c| {
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
fn write(
    st: &mut State,
    pod: Arc<Pod>,
    edit: impl FnOnce(&Pod, &mut PodStatus),
) -> Option<(Arc<Pod>, bool)> {
    let node_ok = true;
    let mut status = pod.status.clone().unwrap_or_default();
    edit(&pod, &mut status);
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

fn container_id(st: &mut State) -> String {
    format!(
        "containerd://{:016x}{:016x}{:016x}{:016x}",
        st.rng.next_u64(),
        st.rng.next_u64(),
        st.rng.next_u64(),
        st.rng.next_u64()
    )
}

/// A pod was bound to this node: the kubelet picks it up.
pub(crate) fn admit(st: &mut State, uid: &str, k: &Key, node: &str) {
    let (ip, up) = match st.rt.nodes.get_mut(node) {
        Some(n) => {
            let ip = format!("10.244.{}.{}", n.index, n.next_ip);
            n.next_ip = if n.next_ip >= 254 { 2 } else { n.next_ip + 1 };
            (ip, n.up)
        }
        None => (String::new(), false),
    };
    let uids = st.rt.uids_by_name.entry(k.clone()).or_default();
    if !uids.iter().any(|u| u == uid) {
        uids.push(uid.to_string());
    }
    st.rt.pods.insert(
        uid.to_string(),
        PodRt {
            ns: k.0.clone(),
            name: k.1.clone(),
            node: node.to_string(),
            ip,
            doing: "waiting for the kubelet to start it".into(),
            ..Default::default()
        },
    );
    if up {
        let d = st.dur.kubelet_admit;
        push(st, uid, d, Stage::Sync);
    }
}

/// Run one kubelet stage.
pub(crate) fn run(st: &mut State, uid: &str, stage: Stage) -> Option<String> {
    let pod = get_pod(st, uid)?;
    let (ns, name) = (
        pod.metadata.namespace.clone().unwrap_or_default(),
        pod.metadata.name.clone().unwrap_or_default(),
    );
    let node = st
        .rt
        .pods
        .get(uid)
        .map(|r| r.node.clone())
        .unwrap_or_default();
    if !st.rt.nodes.get(&node).is_some_and(|n| n.up) {
        return None;
    }
    if pod.metadata.deletion_timestamp.is_some()
        && !matches!(stage, Stage::Kill | Stage::KillDone { .. })
    {
        return None;
    }
    let v = st.ccfg.version;
    let now = st.now;
    let pname = format!("{ns}/{name}");
    match stage {
        Stage::Sync => {
            let ip = st
                .rt
                .pods
                .get(uid)
                .map(|r| r.ip.clone())
                .unwrap_or_default();
            let host_ip = st
                .store
                .get::<k8s_openapi::api::core::v1::Node>("", &node)
                .and_then(|n| n.status.as_ref())
                .and_then(|s| s.addresses.as_ref())
                .and_then(|a| {
                    a.iter()
                        .find(|a| a.type_ == "InternalIP")
                        .map(|a| a.address.clone())
                })
                .unwrap_or_default();
            let has_init = !containers(&pod, true).is_empty();
            let inits: Vec<ContainerStatus> = containers(&pod, true)
                .iter()
                .map(|c| initial_status(c, "PodInitializing"))
                .collect();
            let main_reason = if has_init {
                "PodInitializing"
            } else {
                "ContainerCreating"
            };
            let mains: Vec<ContainerStatus> = containers(&pod, false)
                .iter()
                .map(|c| initial_status(c, main_reason))
                .collect();
            write(st, pod, |_, s| {
                s.host_ip = Some(host_ip.clone());
                s.host_ips = Some(vec![HostIP { ip: host_ip }]);
                s.pod_ip = Some(ip.clone());
                s.pod_ips = Some(vec![PodIP { ip }]);
                s.start_time = Some(to_k8s_time(now));
                if s.qos_class.is_none() {
                    s.qos_class = Some("BestEffort".into());
                }
                s.init_container_statuses = if has_init { Some(inits) } else { None };
                s.container_statuses = Some(mains);
            })?;
            if let Some(r) = rt_mut(st, uid) {
                r.doing = "starting".into();
            }
            push(
                st,
                uid,
                10,
                Stage::Image {
                    init: has_init,
                    idx: 0,
                },
            );
            Some(format!("kubelet: pod {pname} accepted on {node}"))
        }
        Stage::Image { init, idx } => {
            let c = container(&pod, init, idx)?;
            let image = c.image.clone().unwrap_or_default();
            let fp = field_path(init, &c.name);
            let full = normalize_image(&image);
            // Marked missing by a fault, or not published (`registry`), unless a fault said
            // present.
            let missing = !st.rt.present_images.contains(&full)
                && (st.rt.missing_images.contains(&full) || !crate::registry::exists(&full));
            let present = st
                .rt
                .nodes
                .get(&node)
                .is_some_and(|n| n.images.contains(&image));
            let policy = pull_policy(c);
            if missing {
                ev(
                    st,
                    &pod,
                    Some(&fp),
                    EventType::Normal,
                    "Pulling",
                    &format!("Pulling image \"{image}\""),
                );
                let d = st.rng.range(500, 1500);
                push(st, uid, d, Stage::PullFailed { init, idx });
                if let Some(r) = rt_mut(st, uid) {
                    r.doing = format!("pulling image \"{image}\"");
                }
                return Some(format!("kubelet: pulling image \"{image}\" for {pname}"));
            }
            if present && policy != "Always" {
                let msg = match v {
                    K8sVersion::V1_28 => {
                        format!("Container image \"{image}\" already present on machine")
                    }
                    K8sVersion::V1_35 => {
                        format!(
                            "Container image \"{image}\" already present on machine and can be accessed by the pod"
                        )
                    }
                };
                ev(st, &pod, Some(&fp), EventType::Normal, "Pulled", &msg);
                let d = st.rng.jitter(st.dur.container_start / 2, 50);
                push(st, uid, d, Stage::Start { init, idx });
                return Some(format!(
                    "kubelet: image \"{image}\" already present for {pname}"
                ));
            }
            let base = if present { 800 } else { st.dur.image_pull };
            let mut took = st.rng.jitter(base, 30);
            if let Some(n) = st.rt.nodes.get_mut(&node) {
                if let Some(done) = n.pulling.get(&image).copied() {
                    took = done.saturating_sub(now) + 300;
                }
                n.pulling.insert(image.clone(), now + took);
            }
            ev(
                st,
                &pod,
                Some(&fp),
                EventType::Normal,
                "Pulling",
                &format!("Pulling image \"{image}\""),
            );
            push(st, uid, took, Stage::Pulled { init, idx, took });
            if let Some(r) = rt_mut(st, uid) {
                r.doing = format!(
                    "pulling image \"{image}\" (about {})",
                    go_duration(took / 1000 * 1000)
                );
            }
            Some(format!("kubelet: pulling image \"{image}\" for {pname}"))
        }
        Stage::Pulled { init, idx, took } => {
            let c = container(&pod, init, idx)?;
            let image = c.image.clone().unwrap_or_default();
            if let Some(n) = st.rt.nodes.get_mut(&node) {
                n.images.insert(image.clone());
                if n.pulling.get(&image).is_some_and(|t| *t <= now) {
                    n.pulling.remove(&image);
                }
            }
            let d = go_duration(took);
            let msg = match v {
                K8sVersion::V1_28 => {
                    format!("Successfully pulled image \"{image}\" in {d} ({d} including waiting)")
                }
                K8sVersion::V1_35 => format!(
                    "Successfully pulled image \"{image}\" in {d} ({d} including waiting). Image size: {} bytes.",
                    image_size(&image)
                ),
            };
            ev(
                st,
                &pod,
                Some(&field_path(init, &c.name)),
                EventType::Normal,
                "Pulled",
                &msg,
            );
            let d = st.rng.jitter(st.dur.container_start / 2, 50);
            push(st, uid, d, Stage::Start { init, idx });
            Some(format!("kubelet: pulled image \"{image}\" for {pname}"))
        }
        Stage::PullFailed { init, idx } => {
            let c = container(&pod, init, idx)?;
            let image = c.image.clone().unwrap_or_default();
            let full = normalize_image(&image);
            let err = format!(
                "rpc error: code = NotFound desc = failed to pull and unpack image \"{full}\": failed to resolve reference \"{full}\": {full}: not found"
            );
            let fp = field_path(init, &c.name);
            ev(
                st,
                &pod,
                Some(&fp),
                EventType::Warning,
                "Failed",
                &format!("Failed to pull image \"{image}\": {err}"),
            );
            ev(
                st,
                &pod,
                Some(&fp),
                EventType::Warning,
                "Failed",
                "Error: ErrImagePull",
            );
            write(st, pod, |p, s| {
                if let Some(cs) = cs_at(s, p, init, idx) {
                    cs.state = Some(waiting("ErrImagePull", Some(err)));
                }
            })?;
            push(st, uid, 600, Stage::PullBackOff { init, idx });
            Some(format!(
                "kubelet: failed to pull image \"{image}\" for {pname}"
            ))
        }
        Stage::PullBackOff { init, idx } => {
            let c = container(&pod, init, idx)?;
            let image = c.image.clone().unwrap_or_default();
            let key = format!("{}{}", if init { "init/" } else { "" }, c.name);
            let delay = {
                let initial = st.dur.backoff_initial;
                let max = st.dur.backoff_max;
                let r = rt_mut(st, uid)?;
                let d = r
                    .pull_backoff
                    .get(&key)
                    .copied()
                    .map(|d| (d * 2).min(max))
                    .unwrap_or(initial);
                r.pull_backoff.insert(key, d);
                r.doing = format!(
                    "waiting {} before pulling image \"{image}\" again (ImagePullBackOff)",
                    go_duration(d)
                );
                d
            };
            let fp = field_path(init, &c.name);
            ev(
                st,
                &pod,
                Some(&fp),
                EventType::Normal,
                "BackOff",
                &format!("Back-off pulling image \"{image}\""),
            );
            ev(
                st,
                &pod,
                Some(&fp),
                EventType::Warning,
                "Failed",
                "Error: ImagePullBackOff",
            );
            write(st, pod, |p, s| {
                if let Some(cs) = cs_at(s, p, init, idx) {
                    cs.state = Some(waiting(
                        "ImagePullBackOff",
                        Some(format!("Back-off pulling image \"{image}\"")),
                    ));
                }
            })?;
            push(st, uid, delay, Stage::Image { init, idx });
            Some(format!(
                "kubelet: back-off pulling image \"{image}\" for {pname}"
            ))
        }
        Stage::Start { init, idx } | Stage::Restart { init, idx } => {
            let restart = matches!(stage, Stage::Restart { .. });
            let c = container(&pod, init, idx)?;
            let fp = field_path(init, &c.name);
            if restart {
                let image = c.image.clone().unwrap_or_default();
                let msg = match v {
                    K8sVersion::V1_28 => {
                        format!("Container image \"{image}\" already present on machine")
                    }
                    K8sVersion::V1_35 => {
                        format!(
                            "Container image \"{image}\" already present on machine and can be accessed by the pod"
                        )
                    }
                };
                ev(st, &pod, Some(&fp), EventType::Normal, "Pulled", &msg);
            }
            let (created, started) = match v {
                K8sVersion::V1_28 => (
                    format!("Created container {}", c.name),
                    format!("Started container {}", c.name),
                ),
                K8sVersion::V1_35 => (
                    "Container created".to_string(),
                    "Container started".to_string(),
                ),
            };
            ev(st, &pod, Some(&fp), EventType::Normal, "Created", &created);
            ev(st, &pod, Some(&fp), EventType::Normal, "Started", &started);
            let cid = container_id(st);
            let crash = rt_mut(st, uid)
                .map(|r| std::mem::take(&mut r.crash_next))
                .unwrap_or(false);
            let run = run_container(st, &pod, uid, c, init);
            let probe = c.readiness_probe.is_some();
            let unready = st.rt.pods.get(uid).is_some_and(|r| r.unready);
            let iid = image_id(c);
            // The status write takes the pod; the container is read again from the pod as
            // stored after it (a status write leaves the spec as it is).
            let (pod, _) = write(st, pod, |p, s| {
                let Some(cs) = cs_at(s, p, init, idx) else {
                    return;
                };
                if restart {
                    cs.restart_count += 1;
                    let prev = cs.state.as_ref().and_then(|s| s.terminated.clone());
                    if prev.is_some() {
                        cs.last_state = Some(ContainerState {
                            terminated: prev,
                            ..Default::default()
                        });
                    }
                }
                cs.state = Some(ContainerState {
                    running: Some(ContainerStateRunning {
                        started_at: Some(to_k8s_time(now)),
                    }),
                    ..Default::default()
                });
                cs.started = Some(true);
                cs.container_id = Some(cid);
                cs.image_id = iid;
                cs.ready = !init && !probe && !unready;
            })?;
            let c = container(&pod, init, idx)?;
            if let Some(r) = rt_mut(st, uid) {
                r.doing = if init {
                    format!("running init container {}", c.name)
                } else {
                    format!("running {}", c.name)
                };
            }
            let run_ms = st.rng.jitter(st.dur.init_run, 50);
            if init {
                let code = if crash { 1 } else { run };
                push(st, uid, run_ms, Stage::Exited { init, idx, code });
            } else {
                if crash || run != 0 {
                    let code = if crash { 1 } else { run };
                    push(st, uid, run_ms.max(1000), Stage::Exited { init, idx, code });
                } else if probe {
                    let delay = c
                        .readiness_probe
                        .as_ref()
                        .and_then(|p| p.initial_delay_seconds)
                        .map(|s| u64::try_from(s).unwrap_or(0) * 1000)
                        .unwrap_or(0)
                        + 100;
                    push(st, uid, delay, Stage::Probe { idx });
                }
                if !restart && idx + 1 < containers(&pod, false).len() {
                    push(
                        st,
                        uid,
                        50,
                        Stage::Image {
                            init: false,
                            idx: idx + 1,
                        },
                    );
                }
            }
            Some(format!(
                "kubelet: started {} {} in pod {pname}",
                if init { "init container" } else { "container" },
                c.name
            ))
        }
        Stage::Exited { init, idx, code } => {
            let c = container(&pod, init, idx)?;
            let started_at = pod
                .status
                .as_ref()
                .and_then(|s| {
                    if init {
                        s.init_container_statuses.as_ref()
                    } else {
                        s.container_statuses.as_ref()
                    }
                })
                .and_then(|v| v.iter().find(|x| x.name == c.name))
                .and_then(|x| x.state.as_ref())
                .and_then(|s| s.running.as_ref())
                .and_then(|r| r.started_at.clone());
            let (pod, _) = write(st, pod, |p, s| {
                let Some(cs) = cs_at(s, p, init, idx) else {
                    return;
                };
                cs.state = Some(ContainerState {
                    terminated: Some(ContainerStateTerminated {
                        exit_code: code,
                        reason: Some(if code == 0 { "Completed" } else { "Error" }.into()),
                        started_at,
                        finished_at: Some(to_k8s_time(now)),
                        container_id: cs.container_id.clone(),
                        ..Default::default()
                    }),
                    ..Default::default()
                });
                cs.ready = false;
                if init && code == 0 {
                    cs.started = Some(false);
                }
            })?;
            let c = container(&pod, init, idx)?;
            if init && code == 0 {
                let more = idx + 1 < containers(&pod, true).len();
                let next = if more {
                    Stage::Image {
                        init: true,
                        idx: idx + 1,
                    }
                } else {
                    Stage::Image {
                        init: false,
                        idx: 0,
                    }
                };
                push(st, uid, 100, next);
                return Some(format!(
                    "kubelet: init container {} of {pname} completed",
                    c.name
                ));
            }
            // restartPolicy Always: restart with back-off.
            let key = format!("{}{}", if init { "init/" } else { "" }, c.name);
            let (initial, max) = (st.dur.backoff_initial, st.dur.backoff_max);
            let first_restart = st.dur.restart;
            let delay = {
                let r = rt_mut(st, uid)?;
                let cur = r.backoff.get(&key).copied();
                let next = match cur {
                    None => initial,
                    Some(d) => (d * 2).min(max),
                };
                r.backoff.insert(key, next);
                cur
            };
            match delay {
                None => push(st, uid, first_restart, Stage::Restart { init, idx }),
                Some(_) => push(st, uid, 100, Stage::BackOff { init, idx }),
            }
            Some(format!(
                "kubelet: container {} of {pname} exited with code {code}",
                c.name
            ))
        }
        Stage::BackOff { init, idx } => {
            let c = container(&pod, init, idx)?;
            let key = format!("{}{}", if init { "init/" } else { "" }, c.name);
            let initial = st.dur.backoff_initial;
            // The delay stored is the *next* one; the current wait is half of it (or initial).
            let cur = st
                .rt
                .pods
                .get(uid)
                .and_then(|r| r.backoff.get(&key).copied())
                .map(|d| (d / 2).max(initial))
                .unwrap_or(initial);
            let msg = format!(
                "back-off {} restarting failed container={} pod={}_{}({})",
                go_duration(cur),
                c.name,
                name,
                ns,
                uid
            );
            ev(
                st,
                &pod,
                Some(&field_path(init, &c.name)),
                EventType::Warning,
                "BackOff",
                &format!(
                    "Back-off restarting failed container {} in pod {}_{}({})",
                    c.name, name, ns, uid
                ),
            );
            let (pod, _) = write(st, pod, |p, s| {
                if let Some(cs) = cs_at(s, p, init, idx) {
                    let term = cs.state.as_ref().and_then(|s| s.terminated.clone());
                    if term.is_some() {
                        cs.last_state = Some(ContainerState {
                            terminated: term,
                            ..Default::default()
                        });
                    }
                    cs.state = Some(waiting("CrashLoopBackOff", Some(msg)));
                }
            })?;
            let c = container(&pod, init, idx)?;
            if let Some(r) = rt_mut(st, uid) {
                r.doing = format!(
                    "waiting {} before restarting container {} (CrashLoopBackOff)",
                    go_duration(cur),
                    c.name
                );
            }
            push(st, uid, cur, Stage::Restart { init, idx });
            Some(format!(
                "kubelet: back-off restarting container {} of {pname}",
                c.name
            ))
        }
        Stage::Probe { idx } => {
            container(&pod, false, idx)?;
            let unready = st.rt.pods.get(uid).is_some_and(|r| r.unready);
            let mut changed = false;
            // Node-level NotReady marks are cleared by the next status the kubelet posts.
            let (pod, as_read) = write(st, pod, |p, s| {
                if let Some(cs) = cs_at(s, p, false, idx) {
                    let running = cs.state.as_ref().is_some_and(|s| s.running.is_some());
                    let want = running && !unready;
                    changed = cs.ready != want;
                    cs.ready = want;
                }
            })?;
            if !changed && as_read {
                return None;
            }
            let c = container(&pod, false, idx)?;
            Some(format!(
                "kubelet: readiness of {} in {pname} is now {}",
                c.name,
                if unready { "failing" } else { "passing" }
            ))
        }
        Stage::Kill => {
            let mut any = false;
            for init in [true, false] {
                for n in containers(&pod, init).iter().map(|c| c.name.as_str()) {
                    let running = pod
                        .status
                        .as_ref()
                        .and_then(|s| {
                            if init {
                                s.init_container_statuses.as_ref()
                            } else {
                                s.container_statuses.as_ref()
                            }
                        })
                        .and_then(|v| v.iter().find(|x| x.name == n))
                        .and_then(|x| x.state.as_ref())
                        .is_some_and(|s| s.running.is_some());
                    if running {
                        any = true;
                        ev(
                            st,
                            &pod,
                            Some(&field_path(init, n)),
                            EventType::Normal,
                            "Killing",
                            &format!("Stopping container {n}"),
                        );
                    }
                }
            }
            let (pod, _) = write(st, pod, |p, s| {
                for init in [true, false] {
                    for n in containers(p, init) {
                        if let Some(cs) = cs_mut(s, init, &n.name) {
                            cs.ready = false;
                        }
                    }
                }
            })?;
            let grace = pod
                .metadata
                .deletion_grace_period_seconds
                .unwrap_or(30)
                .max(0);
            let grace_ms = u64::try_from(grace).unwrap_or(0) * 1000;
            // A shell as PID 1 ignores SIGTERM: such containers run until SIGKILL at the end of
            // the grace period. nginx (and most servers) exit quickly.
            let shell_pid1 = containers(&pod, false).iter().any(|c| {
                c.command.as_ref().and_then(|v| v.first()).is_some_and(|a| {
                    let b = a.rsplit('/').next().unwrap_or(a);
                    matches!(b, "sh" | "bash")
                })
            });
            let stop = if !any {
                0
            } else if shell_pid1 {
                grace_ms
            } else {
                st.rng.jitter(st.dur.stop, 50).min(grace_ms)
            };
            let sigkill = any && stop >= grace_ms && shell_pid1;
            if let Some(r) = rt_mut(st, uid) {
                r.doing = "stopping its containers".into();
            }
            push(st, uid, stop, Stage::KillDone { sigkill });
            Some(format!(
                "kubelet: stopping containers of {pname} (grace period {grace}s)"
            ))
        }
        Stage::KillDone { sigkill } => {
            write(st, pod, |p, s| {
                for init in [true, false] {
                    for n in containers(p, init) {
                        let Some(cs) = cs_mut(s, init, &n.name) else {
                            continue;
                        };
                        if let Some(r) = cs.state.as_ref().and_then(|s| s.running.clone()) {
                            let code = if sigkill { 137 } else { 0 };
                            cs.state = Some(ContainerState {
                                terminated: Some(ContainerStateTerminated {
                                    exit_code: code,
                                    reason: Some(
                                        if code == 0 { "Completed" } else { "Error" }.into(),
                                    ),
                                    started_at: r.started_at,
                                    finished_at: Some(to_k8s_time(now)),
                                    container_id: cs.container_id.clone(),
                                    ..Default::default()
                                }),
                                ..Default::default()
                            });
                        }
                        cs.ready = false;
                        cs.started = Some(false);
                    }
                }
            });
            st.store.remove::<Pod>(Actor::Kubelet, &ns, &name);
            Some(format!(
                "kubelet: containers of {pname} stopped; pod deleted"
            ))
        }
    }
}

fn image_id(c: &Container) -> String {
    let img = c.image.clone().unwrap_or_default();
    let h = img.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    let base = normalize_image(&img);
    let base = base
        .rsplit_once(':')
        .map(|(b, _)| b.to_string())
        .unwrap_or(base);
    format!(
        "{base}@sha256:{h:016x}{:016x}{:016x}{:016x}",
        h.rotate_left(13),
        h.rotate_left(29),
        h.rotate_left(41)
    )
}

/// Run a container's process at start: init scripts write files and produce logs. Returns the
/// exit code when the process ends by itself (init containers, scripts that exit), else 0.
fn run_container(st: &mut State, pod: &Pod, uid: &str, c: &Container, init: bool) -> i32 {
    let mut argv: Vec<String> = c.command.clone().unwrap_or_default();
    argv.extend(c.args.clone().unwrap_or_default());
    let now = st.now;
    let mut log = String::new();
    let code = if argv.is_empty() {
        if c.image.as_deref().is_some_and(|i| i.starts_with("nginx")) {
            log.push_str(&nginx_log(now, c.image.as_deref().unwrap_or("")));
        }
        0
    } else {
        let r = {
            let mut host = Host {
                store: &st.store,
                files: &mut st.rt.files,
                pod,
                uid,
                container: Some(&c.name),
                tty: false,
            };
            shell::run_argv(&argv, &mut host)
        };
        log.push_str(&r.stderr);
        log.push_str(&r.stdout);
        let long_running = argv.iter().any(|a| {
            [
                "sleep",
                "tail -f",
                "nginx",
                "exec ",
                "while true",
                "while :",
                // ends by running the server in the foreground (`programs.rs`)
                "start-zookeeper",
            ]
            .iter()
            .any(|k| a.contains(k))
        });
        if init {
            if r.unsupported.is_some() {
                0
            } else {
                r.exit_code
            }
        } else if r.unsupported.is_some() || long_running {
            0
        } else if r.exit_code == 0 {
            // A main container whose script ends exits 0 ("Completed") and is restarted.
            i32::MIN
        } else {
            r.exit_code
        }
    };
    let entry = st
        .rt
        .logs
        .entry((uid.to_string(), c.name.clone()))
        .or_default();
    // Logs show the current run only (like `kubectl logs` without -p).
    entry.clear();
    entry.push_str(&log);
    if entry.len() > MAX_LOG {
        entry.truncate(MAX_LOG);
    }
    if code == i32::MIN { 0 } else { code }
}

fn nginx_log(now: SimTime, image: &str) -> String {
    let ts = to_k8s_time(now).0.strftime("%Y/%m/%d %H:%M:%S").to_string();
    let ver = image.split(':').nth(1).unwrap_or("1.27.0");
    format!(
        "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration\n\
/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/\n\
/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh\n\
10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf\n\
10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf\n\
/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh\n\
/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh\n\
/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh\n\
/docker-entrypoint.sh: Configuration complete; ready for start up\n\
{ts} [notice] 1#1: using the \"epoll\" event method\n\
{ts} [notice] 1#1: nginx/{ver}\n\
{ts} [notice] 1#1: start worker processes\n\
{ts} [notice] 1#1: start worker process 29\n"
    )
}

/// The kubelet starts terminating a pod that got a deletionTimestamp.
pub(crate) fn start_kill(st: &mut State, uid: &str) {
    let Some(r) = st.rt.pods.get_mut(uid) else {
        return;
    };
    if r.killing {
        return;
    }
    r.killing = true;
    r.epoch += 1;
    r.doing = "terminating".into();
    let node = r.node.clone();
    if !st.rt.nodes.get(&node).is_some_and(|n| n.up) {
        return;
    }
    let d = st.dur.stop_status;
    push(st, uid, d, Stage::Kill);
}

/// Fault: the running container exits with code 1 now (or the next one to start will).
pub(crate) fn crash(st: &mut State, uid: &str) -> Result<(), SimError> {
    let pod = get_pod(st, uid)
        .ok_or_else(|| SimError::NotFound("pod is not running on a node yet".into()))?;
    if pod.metadata.deletion_timestamp.is_some() {
        return Err(SimError::Invalid("pod is terminating".into()));
    }
    let running = |init: bool| -> Option<usize> {
        let s = pod.status.as_ref()?;
        let v = if init {
            s.init_container_statuses.as_ref()?
        } else {
            s.container_statuses.as_ref()?
        };
        v.iter()
            .position(|x| x.state.as_ref().is_some_and(|s| s.running.is_some()))
    };
    let target = running(true)
        .map(|i| (true, i))
        .or_else(|| running(false).map(|i| (false, i)));
    match target {
        Some((init, idx)) => {
            if let Some(r) = st.rt.pods.get_mut(uid) {
                r.epoch += 1;
            }
            run(st, uid, Stage::Exited { init, idx, code: 1 });
            Ok(())
        }
        None => {
            if let Some(r) = st.rt.pods.get_mut(uid) {
                r.crash_next = true;
            }
            Ok(())
        }
    }
}

/// Fault: readiness starts failing / recovers (observed at the next probe).
pub(crate) fn set_unready(st: &mut State, uid: &str, on: bool) -> Result<(), SimError> {
    let pod = get_pod(st, uid)
        .ok_or_else(|| SimError::NotFound("pod is not running on a node yet".into()))?;
    if let Some(r) = st.rt.pods.get_mut(uid) {
        r.unready = on;
    }
    let d = st.dur.probe_observe;
    for idx in 0..containers(&pod, false).len() {
        push(st, uid, d, Stage::Probe { idx });
    }
    Ok(())
}

/// The node lifecycle controller marks a pod of a silent node not ready.
pub(crate) fn mark_not_ready_by_node(st: &mut State, uid: &str) {
    let Some(pod) = get_pod(st, uid) else {
        return;
    };
    let mut pod = Pod::clone(&pod);
    let now = st.now;
    let s = pod.status.get_or_insert_with(Default::default);
    let conds = s.conditions.get_or_insert_with(Vec::new);
    if let Some(c) = conds.iter_mut().find(|c| c.type_ == "Ready")
        && c.status != "False"
    {
        c.status = "False".into();
        c.last_transition_time = Some(to_k8s_time(now));
        c.reason = Some("NodeNotReady".into());
        c.message = Some("Node is not ready".into());
    }
    let _ = st
        .store
        .update_status(Actor::Harness, pod, |s, n| s.status = n.status);
}

/// The node is back: the kubelet finishes terminations and reports readiness again.
pub(crate) fn resume(st: &mut State, uid: &str) {
    let Some(pod) = get_pod(st, uid) else {
        return;
    };
    if let Some(r) = st.rt.pods.get_mut(uid) {
        r.epoch += 1;
        r.killing = false;
    }
    if pod.metadata.deletion_timestamp.is_some() {
        start_kill(st, uid);
        return;
    }
    let started = pod
        .status
        .as_ref()
        .and_then(|s| s.start_time.as_ref())
        .is_some();
    if !started {
        push(st, uid, st.dur.kubelet_admit, Stage::Sync);
        return;
    }
    // Resume where the pod was: restart the first container that is not running.
    let status = pod.status.clone().unwrap_or_default();
    for (init, list) in [
        (true, status.init_container_statuses.clone()),
        (false, status.container_statuses.clone()),
    ] {
        for (idx, cs) in list.unwrap_or_default().iter().enumerate() {
            let st_ = cs.state.as_ref();
            let done = st_
                .and_then(|s| s.terminated.as_ref())
                .is_some_and(|t| t.exit_code == 0)
                && init;
            let running = st_.is_some_and(|s| s.running.is_some());
            if done {
                continue;
            }
            if !running {
                push(st, uid, 200, Stage::Image { init, idx });
                return;
            }
            if init {
                push(st, uid, 200, Stage::Exited { init, idx, code: 0 });
                return;
            }
        }
    }
    for idx in 0..containers(&pod, false).len() {
        push(st, uid, 200, Stage::Probe { idx });
    }
}

// ---------------------------------------------------------------------------------------------
// Logs and exec

/// `kubectl logs`.
pub(crate) fn logs(
    st: &State,
    ns: &str,
    pod: &str,
    container: Option<&str>,
) -> Result<String, SimError> {
    let p = st.store.get::<Pod>(ns, pod).ok_or_else(|| {
        SimError::Api(ApiError::NotFound {
            resource: "pods",
            name: pod.to_string(),
        })
    })?;
    let uid = p.metadata.uid.clone().unwrap_or_default();
    let name = match container {
        Some(c) => c.to_string(),
        None => containers(p, false)
            .first()
            .map(|c| c.name.clone())
            .unwrap_or_default(),
    };
    let is_init = containers(p, true).iter().any(|c| c.name == name);
    if !is_init && !containers(p, false).iter().any(|c| c.name == name) {
        return Err(SimError::Api(ApiError::BadRequest {
            message: format!("container {name} is not valid for pod {pod}"),
        }));
    }
    let cs = p
        .status
        .as_ref()
        .and_then(|s| {
            if is_init {
                s.init_container_statuses.as_ref()
            } else {
                s.container_statuses.as_ref()
            }
        })
        .and_then(|v| v.iter().find(|c| c.name == name));
    let waiting = cs
        .and_then(|c| c.state.as_ref())
        .and_then(|s| s.waiting.as_ref())
        .and_then(|w| w.reason.clone());
    let ever_ran = cs.is_some_and(|c| c.restart_count > 0 || c.container_id.is_some());
    if cs.is_none() || (waiting.is_some() && !ever_ran) {
        let reason = waiting.unwrap_or_else(|| "ContainerCreating".into());
        return Err(SimError::Api(ApiError::BadRequest {
            message: format!("container \"{name}\" in pod \"{pod}\" is waiting to start: {reason}"),
        }));
    }
    Ok(st.rt.logs.get(&(uid, name)).cloned().unwrap_or_default())
}

struct Host<'a> {
    store: &'a Store,
    files: &'a mut FileStore,
    pod: &'a Pod,
    uid: &'a str,
    container: Option<&'a str>,
    /// `kubectl exec -t`: stdout is a terminal.
    tty: bool,
}

impl ShellHost for Host<'_> {
    fn stdout_is_terminal(&self) -> bool {
        self.tty
    }
    fn has_command(&self, name: &str) -> bool {
        let image = self.pod.spec.as_ref().and_then(|s| {
            s.containers
                .iter()
                .chain(s.init_containers.iter().flatten())
                .find(|c| Some(c.name.as_str()) == self.container)
                .and_then(|c| c.image.as_deref())
        });
        image.is_none_or(|i| shell::image_has_command(i, name))
    }
    fn hostname(&self) -> String {
        self.pod
            .spec
            .as_ref()
            .and_then(|s| s.hostname.clone())
            .or_else(|| self.pod.metadata.name.clone())
            .unwrap_or_default()
    }
    fn fqdn(&self) -> String {
        let h = self.hostname();
        let ns = self
            .pod
            .metadata
            .namespace
            .clone()
            .unwrap_or_else(|| "default".into());
        match self.pod.spec.as_ref().and_then(|s| s.subdomain.clone()) {
            Some(sub) => format!("{h}.{sub}.{ns}.svc.cluster.local"),
            None => h,
        }
    }
    fn write_file(&mut self, path: &str, content: &str, append: bool) -> Result<(), String> {
        let pl = volumes::place(self.store, self.pod, self.container, path);
        volumes::write_place(self.files, self.uid, pl, content, append)
    }
    fn read_file(&self, path: &str) -> Result<String, String> {
        match path {
            "/etc/hostname" => return Ok(format!("{}\n", self.hostname())),
            "/etc/hosts" => {
                let ip = self
                    .pod
                    .status
                    .as_ref()
                    .and_then(|s| s.pod_ip.clone())
                    .unwrap_or_default();
                return Ok(format!(
                    "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n{ip}\t{}\t{}\n",
                    self.fqdn(),
                    self.hostname()
                ));
            }
            "/etc/resolv.conf" => {
                let ns = self
                    .pod
                    .metadata
                    .namespace
                    .clone()
                    .unwrap_or_else(|| "default".into());
                return Ok(format!(
                    "search {ns}.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n"
                ));
            }
            _ => {}
        }
        let pl = volumes::place(self.store, self.pod, self.container, path);
        volumes::read_place(self.files, self.uid, &pl)
            .ok_or_else(|| "No such file or directory".into())
    }
    fn list_dir(&self, path: &str) -> Result<Vec<String>, String> {
        if path == "/" {
            return Ok([
                "bin",
                "boot",
                "dev",
                "docker-entrypoint.d",
                "docker-entrypoint.sh",
                "etc",
                "home",
                "lib",
                "lib64",
                "media",
                "mnt",
                "opt",
                "proc",
                "root",
                "run",
                "sbin",
                "srv",
                "sys",
                "tmp",
                "usr",
                "var",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect());
        }
        let pl = volumes::place(self.store, self.pod, self.container, path);
        if let Some(f) = volumes::read_place(self.files, self.uid, &pl) {
            let _ = f;
            return Ok(vec![path.to_string()]);
        }
        Ok(volumes::list_place(self.files, self.uid, &pl))
    }
    fn image(&self) -> Option<String> {
        self.pod.spec.as_ref().and_then(|s| {
            s.containers
                .iter()
                .chain(s.init_containers.iter().flatten())
                .find(|c| Some(c.name.as_str()) == self.container)
                .and_then(|c| c.image.clone())
        })
    }
    fn reverse(&self, ip: &str) -> Option<String> {
        crate::endpoints::reverse(self.store, ip)
    }
    fn resolve(&self, name: &str) -> Vec<(String, String)> {
        let ns = self
            .pod
            .metadata
            .namespace
            .clone()
            .unwrap_or_else(|| "default".into());
        crate::endpoints::resolve(self.store, &ns, name)
    }
    fn http_get(&self, url: &str) -> Option<crate::shell::HttpResult> {
        Some(http_get(self.store, &*self.files, self, url))
    }
}

/// `curl URL` inside a pod: the nginx containers of the cluster serve their
/// `/usr/share/nginx/html` on port 80 (the nginx image's default server). The first DNS
/// record is used (a real resolver may order a headless Service's records differently).
fn http_get(
    store: &Store,
    files: &FileStore,
    me: &Host<'_>,
    url: &str,
) -> crate::shell::HttpResult {
    let (scheme, rest) = match url.split_once("://") {
        Some((s, r)) => (s.to_ascii_lowercase(), r),
        None => ("http".to_string(), url),
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => (rest.get(..i).unwrap_or(""), rest.get(i..).unwrap_or("/")),
        None => (rest, "/"),
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) => match p.parse::<u16>() {
            Ok(p) => (h, p),
            Err(_) => {
                return Err((
                    3,
                    "URL rejected: Port number was not a decimal number between 0 and 65535".into(),
                ));
            }
        },
        None => (authority, if scheme == "https" { 443 } else { 80 }),
    };
    if scheme != "http" && scheme != "https" {
        return Err((1, format!("Protocol \"{scheme}\" not supported")));
    }
    let is_ip = host.split('.').count() == 4 && host.split('.').all(|o| o.parse::<u8>().is_ok());
    // The pod's own network namespace: `localhost` (from /etc/hosts) and the loopback address
    // reach the containers of the pod itself.
    let own_ip = || {
        me.pod
            .status
            .as_ref()
            .and_then(|s| s.pod_ip.clone())
            .unwrap_or_default()
    };
    let ip = if host.eq_ignore_ascii_case("localhost") || host == "127.0.0.1" || host == "[::1]" {
        own_ip()
    } else if is_ip {
        host.to_string()
    } else {
        match me.resolve(host).into_iter().next() {
            Some((_, ip)) => ip,
            None => return Err((6, format!("Could not resolve host: {host}"))),
        }
    };
    let refused = || {
        Err((
            7,
            format!(
                "Failed to connect to {host} port {port} after 0 ms: Couldn't connect to server"
            ),
        ))
    };
    let Some(target) = store.list::<Pod>(None).find(|p| {
        p.status.as_ref().and_then(|s| s.pod_ip.as_deref()) == Some(ip.as_str())
            && p.metadata.deletion_timestamp.is_none()
    }) else {
        return refused();
    };
    // A running nginx container listens on 80 (plain HTTP only).
    let serving = target.spec.as_ref().and_then(|sp| {
        sp.containers.iter().find(|c| {
            (serves_http(c.image.as_deref().unwrap_or("")))
                && target
                    .status
                    .as_ref()
                    .and_then(|s| s.container_statuses.as_ref())
                    .and_then(|cs| cs.iter().find(|s| s.name == c.name))
                    .is_some_and(|s| s.state.as_ref().is_some_and(|st| st.running.is_some()))
        })
    });
    let Some(c) = serving.filter(|_| port == 80 && scheme == "http") else {
        return refused();
    };
    // nginx-slim's tags are not nginx versions: its error page shows a bare `nginx`.
    let version = c
        .image
        .as_deref()
        .filter(|i| !i.contains("nginx-slim"))
        .and_then(|i| i.rsplit_once(':'))
        .map(|(_, t)| t.to_string())
        .filter(|t| t.chars().next().is_some_and(|ch| ch.is_ascii_digit()))
        .unwrap_or_default();
    let path = path.split(['?', '#']).next().unwrap_or("/");
    let file = if path.ends_with('/') {
        format!("/usr/share/nginx/html{path}index.html")
    } else {
        format!("/usr/share/nginx/html{path}")
    };
    let uid = target.metadata.uid.clone().unwrap_or_default();
    let pl = volumes::place(store, target, Some(&c.name), &file);
    match volumes::read_place(files, &uid, &pl) {
        Some(body) => Ok((200, body)),
        None => {
            // nginx's built-in error page (CRLF line ends; the version in the footer).
            let server = if version.is_empty() {
                "nginx".to_string()
            } else {
                format!("nginx/{version}")
            };
            Ok((
                404,
                format!(
                    "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>{server}</center>\r\n</body>\r\n</html>\r\n"
                ),
            ))
        }
    }
}

/// Whether a container of `image` serves its `/usr/share/nginx/html` on port 80: the nginx
/// images, and `registry.k8s.io/nginx-slim` (the small nginx of the kubernetes.io StatefulSet
/// tutorial).
fn serves_http(image: &str) -> bool {
    let last = image.rsplit('/').next().unwrap_or(image);
    let repo = last.split([':', '@']).next().unwrap_or(last);
    repo == "nginx" || repo == "nginx-slim"
}

/// `kubectl exec`.
pub(crate) fn exec(
    st: &mut State,
    ns: &str,
    pod: &str,
    container: Option<&str>,
    argv: &[String],
    tty: bool,
) -> Result<ExecOutput, SimError> {
    let p = st.store.get::<Pod>(ns, pod).cloned().ok_or_else(|| {
        SimError::Api(ApiError::NotFound {
            resource: "pods",
            name: pod.to_string(),
        })
    })?;
    let name = match container {
        Some(c) => c.to_string(),
        None => containers(&p, false)
            .first()
            .map(|c| c.name.clone())
            .unwrap_or_default(),
    };
    let phase = p
        .status
        .as_ref()
        .and_then(|s| s.phase.clone())
        .unwrap_or_default();
    if phase == "Succeeded" || phase == "Failed" {
        return Err(SimError::Invalid(format!(
            "error: cannot exec into a container in a completed pod; current phase is {phase}"
        )));
    }
    if !containers(&p, false)
        .iter()
        .chain(containers(&p, true).iter())
        .any(|c| c.name == name)
    {
        return Err(SimError::Invalid(format!(
            "error: unable to upgrade connection: container not found (\"{name}\")"
        )));
    }
    let running = p
        .status
        .as_ref()
        .and_then(|s| {
            s.container_statuses
                .iter()
                .chain(s.init_container_statuses.iter())
                .flatten()
                .find(|c| c.name == name)
                .cloned()
        })
        .and_then(|c| c.state)
        .is_some_and(|s| s.running.is_some());
    if !running {
        return Err(SimError::Invalid(format!(
            "error: unable to upgrade connection: container not found (\"{name}\")"
        )));
    }
    let uid = p.metadata.uid.clone().unwrap_or_default();
    let r = {
        let mut host = Host {
            store: &st.store,
            files: &mut st.rt.files,
            pod: &p,
            uid: &uid,
            container: Some(&name),
            tty,
        };
        let id = shell::exec_id(&format!("{uid}/{name}/{}/{}", st.now, argv.join(" ")));
        if let Some(msg) = shell::exec_not_found_message(argv, &host, &id) {
            return Err(SimError::Invalid(msg));
        }
        shell::run_argv(argv, &mut host)
    };
    Ok(ExecOutput {
        stdout: r.stdout,
        stderr: r.stderr,
        exit_code: r.exit_code,
        unsupported: r.unsupported,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_image_references_like_containerd() {
        assert_eq!(
            normalize_image("nginx:1.26.0"),
            "docker.io/library/nginx:1.26.0"
        );
        assert_eq!(normalize_image("nginx"), "docker.io/library/nginx:latest");
        assert_eq!(
            normalize_image("bitnami/redis:7"),
            "docker.io/bitnami/redis:7"
        );
        assert_eq!(
            normalize_image("quay.io/coreos/etcd:v3.5"),
            "quay.io/coreos/etcd:v3.5"
        );
        assert_eq!(
            normalize_image("localhost:5000/x"),
            "localhost:5000/x:latest"
        );
    }

    #[test]
    fn default_pull_policy_follows_the_tag() {
        let c = |img: &str| Container {
            name: "c".into(),
            image: Some(img.into()),
            ..Default::default()
        };
        assert_eq!(pull_policy(&c("nginx:1.26.0")), "IfNotPresent");
        assert_eq!(pull_policy(&c("nginx")), "Always");
        assert_eq!(pull_policy(&c("nginx:latest")), "Always");
    }
}

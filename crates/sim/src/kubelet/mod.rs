//! The kubelet: runs the pods bound to its node.
//!
//! Per pod, as `pkg/kubelet` does it: post the first status (`Pending`, containers waiting
//! `PodInitializing`/`ContainerCreating`), then for each init container in order and then each
//! container: ensure the image (per-node image cache: `Pulling`/`Pulled` the first time,
//! `already present on machine` afterwards; `pkg/kubelet/images/image_manager.go`), create and
//! start it (`pkg/kubelet/kuberuntime/kuberuntime_container.go`), run init containers to
//! completion; readiness (probes when specified, else ready on start); crashes restart with the
//! CrashLoopBackOff back-off (10 s doubling to 5 min); deletion sends SIGTERM (`Killing`), waits
//! up to `terminationGracePeriodSeconds`, then the pod object goes. `kubectl logs` and `exec`
//! (the container's shell, its files and the cluster's network as the shell sees them) are in
//! `exec`.

mod exec;
mod pod;

pub(crate) use exec::logs;
use exec::run_container;
pub use pod::normalize_image;

use std::sync::Arc;

use k8s_openapi::api::core::v1::{
    Container, ContainerState, ContainerStateRunning, ContainerStateTerminated, ContainerStatus,
    HostIP, Pod, PodIP,
};

use crate::clock::go_duration;
use crate::command::SimError;
use crate::config::K8sVersion;
use crate::events::EventType;
use crate::state::{PodRt, State};
use crate::store::{Actor, Key};
use crate::time::{SimTime, to_k8s_time};

pub use crate::state::Stage;

use pod::*;

/// `kubectl exec`. When the command ended the container's main process (`pkill java`), the
/// container exits now with its status and is restarted (restartPolicy Always), as after a
/// crash.
pub(crate) fn exec(
    st: &mut State,
    ns: &str,
    pod: &str,
    container: Option<&str>,
    argv: &[String],
    tty: bool,
) -> Result<crate::command::ExecOutput, SimError> {
    let (out, killed) = exec::exec(st, ns, pod, container, argv, tty)?;
    if let Some(k) = killed {
        if let Some(r) = st.rt.pods.get_mut(&k.uid) {
            r.epoch += 1;
        }
        run(
            st,
            &k.uid,
            Stage::Exited {
                init: false,
                idx: k.idx,
                code: k.code,
            },
        );
    }
    Ok(out)
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
    match st.rt.uids_by_name.get_mut(k) {
        Some(uids) => {
            if !uids.iter().any(|u| u == uid) {
                uids.push(uid.to_string());
            }
        }
        None => {
            st.rt.uids_by_name.insert(k.clone(), vec![uid.to_string()]);
        }
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

/// Run one kubelet stage: the pod's node must be up, and a pod being deleted only runs the
/// stages of its termination. Each stage is one function below.
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
    let sp = StagePod {
        pod,
        uid,
        node,
        pname,
        v,
        now,
        ns,
        name,
    };
    match stage {
        Stage::Sync => sync_pod(st, sp),
        Stage::Image { init, idx } => ensure_image(st, sp, init, idx),
        Stage::Pulled { init, idx, took } => image_pulled(st, sp, init, idx, took),
        Stage::PullFailed { init, idx } => pull_failed(st, sp, init, idx),
        Stage::PullBackOff { init, idx } => pull_back_off(st, sp, init, idx),
        Stage::Start { init, idx } => start_container(st, sp, init, idx, false),
        Stage::Restart { init, idx } => start_container(st, sp, init, idx, true),
        Stage::Exited { init, idx, code } => container_exited(st, sp, init, idx, code),
        Stage::BackOff { init, idx } => restart_back_off(st, sp, init, idx),
        Stage::Probe { idx } => probe(st, sp, idx),
        Stage::Kill => kill(st, sp),
        Stage::KillDone { sigkill } => kill_done(st, sp, sigkill),
    }
}

/// What every stage knows of its pod: the stored pod, its uid, node and `ns/name`, the
/// version modelled and the time.
struct StagePod<'a> {
    pod: Arc<Pod>,
    uid: &'a str,
    node: String,
    pname: String,
    v: K8sVersion,
    now: SimTime,
    ns: String,
    name: String,
}

/// `Stage::Sync`: the first status post after the pod was bound (IPs, start time, containers waiting).
fn sync_pod(st: &mut State, sp: StagePod) -> Option<String> {
    let StagePod {
        pod,
        uid,
        node,
        pname,
        now,
        ..
    } = sp;
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

/// `Stage::Image`: ensure a container's image (missing → the pull fails; present and not `Always` → start; else pull, serialized per node).
fn ensure_image(st: &mut State, sp: StagePod, init: bool, idx: usize) -> Option<String> {
    let StagePod {
        pod,
        uid,
        node,
        pname,
        v,
        now,
        ..
    } = sp;
    let c = container(&pod, init, idx)?;
    let image = c.image.clone().unwrap_or_default();
    let fp = field_path(init, &c.name);
    // A reference the kubelet cannot parse fails before any pull: `EnsureImageExists`
    // (pkg/kubelet/images/image_manager.go) records InspectFailed and returns
    // ErrInvalidImageName, `startContainer` (kuberuntime_container.go) records
    // `Error: InvalidImageName`, the container waits with that reason and the pod worker
    // retries the sync after its back-off (pod_workers.go: 10 s, jitter 0.5).
    if let Some(msg) = crate::image_ref::invalid_image_message(&image) {
        ev(
            st,
            &pod,
            Some(&fp),
            EventType::Warning,
            "InspectFailed",
            &msg,
        );
        ev(
            st,
            &pod,
            Some(&fp),
            EventType::Warning,
            "Failed",
            "Error: InvalidImageName",
        );
        let waiting_msg = msg.clone();
        write(st, pod, |p, s| {
            if let Some(cs) = cs_at(s, p, init, idx) {
                cs.state = Some(waiting("InvalidImageName", Some(waiting_msg)));
            }
        })?;
        let d = st.rng.range(10_000, 15_000);
        push(st, uid, d, Stage::Image { init, idx });
        if let Some(r) = rt_mut(st, uid) {
            r.doing = format!("cannot parse image name \"{image}\" (InvalidImageName)");
        }
        return Some(format!(
            "kubelet: invalid image name \"{image}\" for {pname}"
        ));
    }
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

/// `Stage::Pulled`: a pull finished; the image is cached on the node.
fn image_pulled(
    st: &mut State,
    sp: StagePod,
    init: bool,
    idx: usize,
    took: SimTime,
) -> Option<String> {
    let StagePod {
        pod,
        uid,
        node,
        pname,
        v,
        now,
        ..
    } = sp;
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

/// `Stage::PullFailed`: the registry has no such image (`ErrImagePull`).
fn pull_failed(st: &mut State, sp: StagePod, init: bool, idx: usize) -> Option<String> {
    let StagePod {
        pod, uid, pname, ..
    } = sp;
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

/// `Stage::PullBackOff`: the back-off before the next pull (`ImagePullBackOff`).
fn pull_back_off(st: &mut State, sp: StagePod, init: bool, idx: usize) -> Option<String> {
    let StagePod {
        pod, uid, pname, ..
    } = sp;
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

/// `Stage::Start` / `Stage::Restart`: create and start a container.
fn start_container(
    st: &mut State,
    sp: StagePod,
    init: bool,
    idx: usize,
    restart: bool,
) -> Option<String> {
    let StagePod {
        pod,
        uid,
        pname,
        v,
        now,
        ..
    } = sp;
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
            let prev = cs.state.as_ref().and_then(|s| k8sjson::copy(&s.terminated));
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

/// `Stage::Exited`: a container's process ended.
fn container_exited(
    st: &mut State,
    sp: StagePod,
    init: bool,
    idx: usize,
    code: i32,
) -> Option<String> {
    let StagePod {
        pod,
        uid,
        pname,
        now,
        ..
    } = sp;
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

/// `Stage::BackOff`: the back-off before a restart (`CrashLoopBackOff`).
fn restart_back_off(st: &mut State, sp: StagePod, init: bool, idx: usize) -> Option<String> {
    let StagePod {
        pod,
        uid,
        pname,
        ns,
        name,
        ..
    } = sp;
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
            let term = cs.state.as_ref().and_then(|s| k8sjson::copy(&s.terminated));
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

/// `Stage::Probe`: a readiness observation.
fn probe(st: &mut State, sp: StagePod, idx: usize) -> Option<String> {
    let StagePod {
        pod, uid, pname, ..
    } = sp;
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

/// `Stage::Kill`: SIGTERM on deletion, then the grace period.
fn kill(st: &mut State, sp: StagePod) -> Option<String> {
    let StagePod {
        pod, uid, pname, ..
    } = sp;
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

/// `Stage::KillDone`: the containers are gone; the pod object is removed.
fn kill_done(st: &mut State, sp: StagePod, sigkill: bool) -> Option<String> {
    let StagePod {
        pod,
        pname,
        now,
        ns,
        name,
        ..
    } = sp;
    let finalized = pod
        .metadata
        .finalizers
        .as_ref()
        .is_some_and(|f| !f.is_empty());
    write(st, pod, |p, s| {
        if finalized {
            // A finalizer keeps the object: the kubelet reports the terminal phase of a
            // deleted pod whose containers all stopped (kubelet `getPhase` with
            // `podIsTerminal`, pkg/kubelet/kubelet_pods.go, v1.27+).
            s.phase = Some(if sigkill { "Failed" } else { "Succeeded" }.into());
        }
        for init in [true, false] {
            for n in containers(p, init) {
                let Some(cs) = cs_mut(s, init, &n.name) else {
                    continue;
                };
                if let Some(r) = cs.state.as_ref().and_then(|s| k8sjson::copy(&s.running)) {
                    let code = if sigkill { 137 } else { 0 };
                    cs.state = Some(ContainerState {
                        terminated: Some(ContainerStateTerminated {
                            exit_code: code,
                            reason: Some(if code == 0 { "Completed" } else { "Error" }.into()),
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
    if finalized {
        // The status manager's DELETE with grace 0 (pkg/kubelet/status/status_manager.go):
        // the object stays until its finalizers are removed.
        let _ = st
            .store
            .delete::<Pod>(Actor::Kubelet, &ns, &name, Some(0), now);
        return Some(format!(
            "kubelet: containers of {pname} stopped; the pod waits for its finalizers"
        ));
    }
    st.store.remove::<Pod>(Actor::Kubelet, &ns, &name);
    Some(format!(
        "kubelet: containers of {pname} stopped; pod deleted"
    ))
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
    let mut pod = k8sjson::copy::<Pod>(&pod);
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
    let status = k8sjson::copy(&pod.status).unwrap_or_default();
    for (init, list) in [
        (true, k8sjson::copy(&status.init_container_statuses)),
        (false, k8sjson::copy(&status.container_statuses)),
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

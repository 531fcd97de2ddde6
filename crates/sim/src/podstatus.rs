//! kubectl's STATUS / READY / RESTARTS columns for a pod, computed exactly as
//! `pkg/printers/internalversion/printers.go` `printPod` does (kubernetes v1.35), plus the
//! `HumanDuration` of `k8s.io/apimachinery/pkg/util/duration` used for ages.

use k8s_openapi::api::core::v1::{Container, ContainerStatus, Pod};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time as KTime;

use crate::time::{SimTime, from_k8s_time};

/// The three computed columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodColumns {
    pub status: String,
    pub ready: String,
    pub restarts: String,
}

/// The STATUS column.
pub fn pod_status_text(pod: &Pod) -> String {
    columns(pod, 0).status
}

/// The READY column, e.g. `1/1`.
pub fn pod_ready_text(pod: &Pod) -> String {
    columns(pod, 0).ready
}

/// The RESTARTS column, e.g. `0` or `2 (15s ago)`, relative to `now`.
pub fn restarts_text(pod: &Pod, now: SimTime) -> String {
    columns(pod, now).restarts
}

fn is_restartable_init(c: Option<&Container>) -> bool {
    c.and_then(|c| c.restart_policy.as_deref()) == Some("Always")
}

fn terminated_finished(cs: &ContainerStatus) -> Option<&KTime> {
    cs.last_state
        .as_ref()?
        .terminated
        .as_ref()?
        .finished_at
        .as_ref()
}

fn later<'a>(cur: Option<&'a KTime>, t: Option<&'a KTime>) -> Option<&'a KTime> {
    match (cur, t) {
        (None, t) => t,
        (c, None) => c,
        (Some(c), Some(t)) => Some(if c.0 < t.0 { t } else { c }),
    }
}

fn condition_true(pod: &Pod, ty: &str) -> bool {
    pod.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .is_some_and(|cs| cs.iter().any(|c| c.type_ == ty && c.status == "True"))
}

/// All three columns at `now` (printPod, in the same order of checks).
pub fn columns(pod: &Pod, now: SimTime) -> PodColumns {
    let spec = pod.spec.as_ref();
    let status = pod.status.as_ref();
    let empty: Vec<ContainerStatus> = Vec::new();
    let init_statuses = status
        .and_then(|s| s.init_container_statuses.as_ref())
        .unwrap_or(&empty);
    let statuses = status
        .and_then(|s| s.container_statuses.as_ref())
        .unwrap_or(&empty);
    let init_specs: &[Container] = spec
        .and_then(|s| s.init_containers.as_deref())
        .unwrap_or(&[]);
    let n_containers = spec.map(|s| s.containers.len()).unwrap_or(0);

    let mut restarts: i64 = 0;
    let mut restartable_restarts: i64 = 0;
    let mut total = n_containers;
    let mut ready = 0usize;
    let mut last_restart: Option<&KTime> = None;
    let mut last_restartable_restart: Option<&KTime> = None;

    let phase = status.and_then(|s| s.phase.clone()).unwrap_or_default();
    let mut reason = phase.clone();
    if let Some(r) = status
        .and_then(|s| s.reason.as_ref())
        .filter(|r| !r.is_empty())
    {
        reason = r.clone();
    }
    if status
        .and_then(|s| s.conditions.as_ref())
        .is_some_and(|cs| {
            cs.iter().any(|c| {
                c.type_ == "PodScheduled" && c.reason.as_deref() == Some("SchedulingGated")
            })
        })
    {
        reason = "SchedulingGated".to_string();
    }

    let init_spec = |name: &str| init_specs.iter().find(|c| c.name == name);
    total += init_specs
        .iter()
        .filter(|c| is_restartable_init(Some(c)))
        .count();

    let mut initializing = false;
    for (i, cs) in init_statuses.iter().enumerate() {
        restarts += i64::from(cs.restart_count);
        last_restart = later(last_restart, terminated_finished(cs));
        let restartable = is_restartable_init(init_spec(&cs.name));
        if restartable {
            restartable_restarts += i64::from(cs.restart_count);
            last_restartable_restart = later(last_restartable_restart, terminated_finished(cs));
        }
        let state = cs.state.as_ref();
        let term = state.and_then(|s| s.terminated.as_ref());
        let waiting = state.and_then(|s| s.waiting.as_ref());
        if term.is_some_and(|t| t.exit_code == 0) {
            continue;
        }
        if restartable && cs.started == Some(true) {
            if cs.ready {
                ready += 1;
            }
            continue;
        }
        if let Some(t) = term {
            reason = match t.reason.as_deref().filter(|r| !r.is_empty()) {
                Some(r) => format!("Init:{r}"),
                None => match t.signal.filter(|s| *s != 0) {
                    Some(sig) => format!("Init:Signal:{sig}"),
                    None => format!("Init:ExitCode:{}", t.exit_code),
                },
            };
        } else if let Some(r) = waiting
            .and_then(|w| w.reason.as_deref())
            .filter(|r| !r.is_empty() && *r != "PodInitializing")
        {
            reason = format!("Init:{r}");
        } else {
            reason = format!("Init:{}/{}", i, init_specs.len());
        }
        initializing = true;
        break;
    }

    if !initializing || condition_true(pod, "Initialized") {
        restarts = restartable_restarts;
        last_restart = last_restartable_restart;
        let mut has_running = false;
        for cs in statuses.iter().rev() {
            restarts += i64::from(cs.restart_count);
            last_restart = later(last_restart, terminated_finished(cs));
            let state = cs.state.as_ref();
            let waiting_reason = state
                .and_then(|s| s.waiting.as_ref())
                .and_then(|w| w.reason.as_deref())
                .filter(|r| !r.is_empty());
            let term = state.and_then(|s| s.terminated.as_ref());
            if let Some(r) = waiting_reason {
                reason = r.to_string();
            } else if let Some(t) = term {
                reason = match t.reason.as_deref().filter(|r| !r.is_empty()) {
                    Some(r) => r.to_string(),
                    None => match t.signal.filter(|s| *s != 0) {
                        Some(sig) => format!("Signal:{sig}"),
                        None => format!("ExitCode:{}", t.exit_code),
                    },
                };
            } else if cs.ready && state.and_then(|s| s.running.as_ref()).is_some() {
                has_running = true;
                ready += 1;
            }
        }
        if reason == "Completed" && has_running {
            reason = if condition_true(pod, "Ready") {
                "Running".to_string()
            } else {
                "NotReady".to_string()
            };
        }
    }

    if pod.metadata.deletion_timestamp.is_some() {
        if status.and_then(|s| s.reason.as_deref()) == Some("NodeLost") {
            reason = "Unknown".to_string();
        } else if phase != "Succeeded" && phase != "Failed" {
            reason = "Terminating".to_string();
        }
    }

    let restarts_s = match last_restart {
        Some(t) if restarts != 0 => {
            format!(
                "{restarts} ({} ago)",
                human_duration_ms(now as i64 - from_k8s_time(t) as i64)
            )
        }
        _ => restarts.to_string(),
    };
    PodColumns {
        status: reason,
        ready: format!("{ready}/{total}"),
        restarts: restarts_s,
    }
}

/// `duration.HumanDuration` (k8s.io/apimachinery/pkg/util/duration) for a signed number of
/// milliseconds, as kubectl prints AGE.
pub fn human_duration_ms(ms: i64) -> String {
    let seconds = ms / 1000;
    if seconds < -1 {
        return "<invalid>".to_string();
    }
    if seconds < 0 {
        return "0s".to_string();
    }
    if seconds < 60 * 2 {
        return format!("{seconds}s");
    }
    let minutes = seconds / 60;
    if minutes < 10 {
        let s = seconds % 60;
        return if s == 0 {
            format!("{minutes}m")
        } else {
            format!("{minutes}m{s}s")
        };
    }
    if minutes < 60 * 3 {
        return format!("{minutes}m");
    }
    let hours = minutes / 60;
    if hours < 8 {
        let m = minutes % 60;
        return if m == 0 {
            format!("{hours}h")
        } else {
            format!("{hours}h{m}m")
        };
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    if hours < 24 * 8 {
        let h = hours % 24;
        return if h == 0 {
            format!("{}d", hours / 24)
        } else {
            format!("{}d{h}h", hours / 24)
        };
    }
    if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    }
    if hours < 24 * 365 * 8 {
        let dy = (hours / 24) % 365;
        return if dy == 0 {
            format!("{}y", hours / 24 / 365)
        } else {
            format!("{}y{dy}d", hours / 24 / 365)
        };
    }
    format!("{}y", hours / 24 / 365)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::to_k8s_time;
    use k8s_openapi::api::core::v1::{
        ContainerState, ContainerStateRunning, ContainerStateTerminated, ContainerStateWaiting,
        PodCondition, PodSpec, PodStatus,
    };
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

    fn seed_pod() -> Pod {
        Pod {
            metadata: ObjectMeta {
                name: Some("nginx-with-init-container-0".into()),
                ..Default::default()
            },
            spec: Some(PodSpec {
                init_containers: Some(vec![Container {
                    name: "populate-default-html".into(),
                    ..Default::default()
                }]),
                containers: vec![Container {
                    name: "nginx".into(),
                    ..Default::default()
                }],
                ..Default::default()
            }),
            status: Some(PodStatus {
                phase: Some("Pending".into()),
                ..Default::default()
            }),
        }
    }

    fn waiting(name: &str, reason: &str) -> ContainerStatus {
        ContainerStatus {
            name: name.into(),
            state: Some(ContainerState {
                waiting: Some(ContainerStateWaiting {
                    reason: Some(reason.into()),
                    message: None,
                }),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    fn terminated(name: &str, code: i32, reason: &str) -> ContainerStatus {
        ContainerStatus {
            name: name.into(),
            state: Some(ContainerState {
                terminated: Some(ContainerStateTerminated {
                    exit_code: code,
                    reason: Some(reason.into()),
                    ..Default::default()
                }),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    fn running(name: &str, ready: bool) -> ContainerStatus {
        ContainerStatus {
            name: name.into(),
            ready,
            state: Some(ContainerState {
                running: Some(ContainerStateRunning::default()),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    fn cond(ty: &str, st: &str) -> PodCondition {
        PodCondition {
            type_: ty.into(),
            status: st.into(),
            ..Default::default()
        }
    }

    /// The seed pod's STATUS sequence (pods-volumes-scheduling.md §1 table).
    #[test]
    fn printers_go_print_pod_seed_sequence() {
        let mut p = seed_pod();
        assert_eq!(pod_status_text(&p), "Pending");
        assert_eq!(pod_ready_text(&p), "0/1");
        let st = p.status.as_mut().unwrap();
        st.init_container_statuses =
            Some(vec![waiting("populate-default-html", "PodInitializing")]);
        st.container_statuses = Some(vec![waiting("nginx", "PodInitializing")]);
        assert_eq!(pod_status_text(&p), "Init:0/1");
        p.status.as_mut().unwrap().init_container_statuses =
            Some(vec![running("populate-default-html", false)]);
        assert_eq!(pod_status_text(&p), "Init:0/1");
        let st = p.status.as_mut().unwrap();
        st.init_container_statuses =
            Some(vec![terminated("populate-default-html", 0, "Completed")]);
        st.conditions = Some(vec![cond("Initialized", "True")]);
        assert_eq!(pod_status_text(&p), "PodInitializing");
        let st = p.status.as_mut().unwrap();
        st.container_statuses = Some(vec![running("nginx", true)]);
        st.phase = Some("Running".into());
        assert_eq!(pod_status_text(&p), "Running");
        assert_eq!(pod_ready_text(&p), "1/1");
        p.metadata.deletion_timestamp = Some(to_k8s_time(0));
        assert_eq!(pod_status_text(&p), "Terminating");
    }

    #[test]
    fn printers_go_print_pod_init_failures() {
        let mut p = seed_pod();
        p.status.as_mut().unwrap().init_container_statuses =
            Some(vec![waiting("populate-default-html", "ImagePullBackOff")]);
        assert_eq!(pod_status_text(&p), "Init:ImagePullBackOff");
        p.status.as_mut().unwrap().init_container_statuses =
            Some(vec![terminated("populate-default-html", 1, "Error")]);
        assert_eq!(pod_status_text(&p), "Init:Error");
        p.status.as_mut().unwrap().init_container_statuses =
            Some(vec![terminated("populate-default-html", 2, "")]);
        assert_eq!(pod_status_text(&p), "Init:ExitCode:2");
    }

    #[test]
    fn printers_go_print_pod_restarts_with_age() {
        let mut p = seed_pod();
        p.spec.as_mut().unwrap().init_containers = None;
        let mut cs = waiting("nginx", "CrashLoopBackOff");
        cs.restart_count = 2;
        cs.last_state = Some(ContainerState {
            terminated: Some(ContainerStateTerminated {
                exit_code: 1,
                reason: Some("Error".into()),
                finished_at: Some(to_k8s_time(10_000)),
                ..Default::default()
            }),
            ..Default::default()
        });
        let st = p.status.as_mut().unwrap();
        st.phase = Some("Running".into());
        st.container_statuses = Some(vec![cs]);
        let c = columns(&p, 25_000);
        assert_eq!(c.status, "CrashLoopBackOff");
        assert_eq!(c.restarts, "2 (15s ago)");
        assert_eq!(c.ready, "0/1");
    }

    #[test]
    fn printers_go_completed_with_running_container_is_not_ready() {
        let mut p = seed_pod();
        p.spec.as_mut().unwrap().init_containers = None;
        p.spec.as_mut().unwrap().containers.push(Container {
            name: "b".into(),
            ..Default::default()
        });
        let st = p.status.as_mut().unwrap();
        st.container_statuses = Some(vec![
            running("nginx", true),
            terminated("b", 0, "Completed"),
        ]);
        // Loop goes last→first: the first container is running and ready, the last is Completed.
        assert_eq!(pod_status_text(&p), "NotReady");
        p.status.as_mut().unwrap().conditions = Some(vec![cond("Ready", "True")]);
        assert_eq!(pod_status_text(&p), "Running");
    }

    #[test]
    fn human_duration_table() {
        let cases = [
            (0, "0s"),
            (-1500, "0s"),
            (-2500, "<invalid>"),
            (119_000, "119s"),
            (120_000, "2m"),
            (125_000, "2m5s"),
            (600_000, "10m"),
            (3 * 3_600_000, "3h"),
            (3 * 3_600_000 + 60_000, "3h1m"),
            (8 * 3_600_000, "8h"),
            (49 * 3_600_000, "2d1h"),
            (10 * 86_400_000, "10d"),
            (3 * 365 * 86_400_000 + 86_400_000, "3y1d"),
            (9 * 365 * 86_400_000, "9y"),
        ];
        for (ms, want) in cases {
            assert_eq!(human_duration_ms(ms), want, "{ms}");
        }
    }
}

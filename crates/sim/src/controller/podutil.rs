//! Pod helpers every controller shares (upstream `pkg/api/v1/pod/util.go`: `IsPodReady`,
//! `IsPodAvailable`, `GetPodReadyCondition`).

use k8s_openapi::api::core::v1::Pod;

use crate::time::SimTime;

pub fn phase(pod: &Pod) -> &str {
    pod.status
        .as_ref()
        .and_then(|s| s.phase.as_deref())
        .unwrap_or("")
}

/// The Ready condition's status and lastTransitionTime.
pub fn ready_condition(pod: &Pod) -> Option<(bool, Option<SimTime>)> {
    let c = pod
        .status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|cs| cs.iter().find(|c| c.type_ == "Ready"))?;
    Some((
        c.status == "True",
        c.last_transition_time.as_ref().map(precise_time),
    ))
}

/// A metav1.Time to sim milliseconds, keeping sub-second precision (the harness's clock is
/// precise; `time::from_k8s_time` works the same way for whole seconds).
pub fn precise_time(t: &k8s_openapi::apimachinery::pkg::apis::meta::v1::Time) -> SimTime {
    crate::time::from_k8s_time(t)
}

pub fn is_pod_ready(pod: &Pod) -> bool {
    ready_condition(pod).is_some_and(|(r, _)| r)
}

/// `podutil.IsPodAvailable`: Ready, and Ready for longer than minReadySeconds
/// (`lastTransitionTime + minReadySeconds` strictly before now).
pub fn is_available(pod: &Pod, min_ready_seconds: i64, now: SimTime) -> bool {
    available_from(ready_condition(pod), min_ready_seconds, now)
}

/// `is_available` from the pod's `ready_condition`.
pub fn available_from(
    ready: Option<(bool, Option<SimTime>)>,
    min_ready_seconds: i64,
    now: SimTime,
) -> bool {
    match ready {
        Some((true, ltt)) => {
            if min_ready_seconds <= 0 {
                return true;
            }
            match ltt {
                Some(t) => t.saturating_add((min_ready_seconds as u64) * 1000) < now,
                None => false,
            }
        }
        _ => false,
    }
}

/// How long until a Ready pod becomes available (None when it is not Ready or has no time).
pub fn available_in(pod: &Pod, min_ready_seconds: i64, now: SimTime) -> Option<SimTime> {
    match ready_condition(pod) {
        Some((true, Some(t))) if min_ready_seconds > 0 => {
            let due = t
                .saturating_add((min_ready_seconds as u64) * 1000)
                .saturating_add(1);
            Some(due.saturating_sub(now))
        }
        _ => None,
    }
}

//! Helpers of the StatefulSet controller: naming, ordinals, pod predicates, label selectors,
//! ownerReferences. Upstream: `pkg/controller/statefulset/stateful_set_utils.go`,
//! `pkg/api/v1/pod/util.go` (`IsPodReady`, `IsPodAvailable`),
//! apimachinery `pkg/apis/meta/v1/helpers.go` (`LabelSelectorAsSelector`).

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::{PersistentVolumeClaim, Pod};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta, OwnerReference};

use crate::time::SimTime;

pub const POD_NAME_LABEL: &str = "statefulset.kubernetes.io/pod-name";
pub const POD_INDEX_LABEL: &str = "apps.kubernetes.io/pod-index";
pub const REVISION_LABEL: &str = "controller-revision-hash";
pub const HISTORY_HASH_LABEL: &str = "controller.kubernetes.io/hash";

/// `getParentNameAndOrdinal`: `(.*)-([0-9]+)$`; ordinal -1 when the name does not parse.
pub fn parent_and_ordinal(name: &str) -> (String, i64) {
    let Some((parent, digits)) = name.rsplit_once('-') else {
        return (String::new(), -1);
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return (String::new(), -1);
    }
    // Go assigns the parent before parsing: an out-of-range ordinal keeps the parent.
    match digits.parse::<i32>() {
        Ok(n) => (parent.to_string(), i64::from(n)),
        Err(_) => (parent.to_string(), -1),
    }
}

/// `getParentNameAndOrdinal` without allocating: (parent, ordinal), ordinal -1 when the name
/// does not parse.
pub fn split_ordinal(name: &str) -> (&str, i64) {
    let Some((parent, digits)) = name.rsplit_once('-') else {
        return ("", -1);
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return ("", -1);
    }
    match digits.parse::<i32>() {
        Ok(n) => (parent, i64::from(n)),
        Err(_) => (parent, -1),
    }
}

pub fn ordinal_of(pod: &Pod) -> i64 {
    split_ordinal(pod.metadata.name.as_deref().unwrap_or("")).1
}

pub fn set_name(set: &StatefulSet) -> &str {
    set.metadata.name.as_deref().unwrap_or("")
}

pub fn set_ns(set: &StatefulSet) -> &str {
    set.metadata.namespace.as_deref().unwrap_or("default")
}

pub fn set_uid(set: &StatefulSet) -> &str {
    set.metadata.uid.as_deref().unwrap_or("")
}

pub fn pod_name(set: &StatefulSet, ordinal: i64) -> String {
    format!("{}-{}", set_name(set), ordinal)
}

pub fn claim_name(template_name: &str, set: &StatefulSet, ordinal: i64) -> String {
    format!("{}-{}-{}", template_name, set_name(set), ordinal)
}

pub fn replicas(set: &StatefulSet) -> i64 {
    i64::from(
        set.spec
            .as_ref()
            .and_then(|s| s.replicas)
            .unwrap_or(1)
            .max(0),
    )
}

pub fn min_ready_seconds(set: &StatefulSet) -> i64 {
    i64::from(
        set.spec
            .as_ref()
            .and_then(|s| s.min_ready_seconds)
            .unwrap_or(0)
            .max(0),
    )
}

/// `getStartOrdinal` (StatefulSetStartOrdinal gate).
pub fn start_ordinal(set: &StatefulSet, gate: bool) -> i64 {
    if !gate {
        return 0;
    }
    set.spec
        .as_ref()
        .and_then(|s| s.ordinals.as_ref())
        .and_then(|o| o.start)
        .map(i64::from)
        .unwrap_or(0)
}

pub fn end_ordinal(set: &StatefulSet, gate: bool) -> i64 {
    start_ordinal(set, gate) + replicas(set) - 1
}

pub fn in_ordinal_range(pod: &Pod, set: &StatefulSet, gate: bool) -> bool {
    let o = ordinal_of(pod);
    o >= start_ordinal(set, gate) && o <= end_ordinal(set, gate)
}

pub fn is_member_of(set: &StatefulSet, pod: &Pod) -> bool {
    split_ordinal(pod.metadata.name.as_deref().unwrap_or("")).0 == set_name(set)
}

pub fn phase(pod: &Pod) -> &str {
    pod.status
        .as_ref()
        .and_then(|s| s.phase.as_deref())
        .unwrap_or("")
}

pub fn is_created(pod: &Pod) -> bool {
    !phase(pod).is_empty()
}

pub fn is_pending(pod: &Pod) -> bool {
    phase(pod) == "Pending"
}

pub fn is_failed(pod: &Pod) -> bool {
    phase(pod) == "Failed"
}

pub fn is_succeeded(pod: &Pod) -> bool {
    phase(pod) == "Succeeded"
}

pub fn is_terminating(pod: &Pod) -> bool {
    pod.metadata.deletion_timestamp.is_some()
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

/// `isRunningAndReady`: phase Running and condition Ready=True.
pub fn is_running_and_ready(pod: &Pod) -> bool {
    phase(pod) == "Running" && is_pod_ready(pod)
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

/// v1.28 `isHealthy`: Running, Ready and not terminating.
pub fn is_healthy(pod: &Pod) -> bool {
    is_running_and_ready(pod) && !is_terminating(pod)
}

/// Recent `isUnavailable`: not available or terminating.
pub fn is_unavailable(pod: &Pod, min_ready_seconds: i64, now: SimTime) -> bool {
    !is_available(pod, min_ready_seconds, now) || is_terminating(pod)
}

pub fn pod_revision(pod: &Pod) -> &str {
    pod.metadata
        .labels
        .as_ref()
        .and_then(|l| l.get(REVISION_LABEL))
        .map(String::as_str)
        .unwrap_or("")
}

/// `metav1.GetControllerOf`.
pub fn controller_of(meta: &ObjectMeta) -> Option<&OwnerReference> {
    meta.owner_references
        .as_ref()?
        .iter()
        .find(|r| r.controller == Some(true))
}

/// `metav1.NewControllerRef` for a StatefulSet.
pub fn controller_ref(set: &StatefulSet) -> OwnerReference {
    OwnerReference {
        api_version: "apps/v1".into(),
        kind: "StatefulSet".into(),
        name: set_name(set).to_string(),
        uid: set_uid(set).to_string(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }
}

/// Label selector matching (`metav1.LabelSelectorAsSelector`): a nil selector matches nothing,
/// an empty one everything.
pub fn selector_matches(
    sel: Option<&LabelSelector>,
    labels: Option<&BTreeMap<String, String>>,
) -> bool {
    let Some(sel) = sel else { return false };
    let empty = BTreeMap::new();
    let labels = labels.unwrap_or(&empty);
    for (k, v) in sel.match_labels.iter().flatten() {
        if labels.get(k) != Some(v) {
            return false;
        }
    }
    for e in sel.match_expressions.iter().flatten() {
        let vals = e.values.as_deref().unwrap_or(&[]);
        let have = labels.get(&e.key);
        let ok = match e.operator.as_str() {
            "In" => have.is_some_and(|h| vals.contains(h)),
            "NotIn" => have.is_none_or(|h| !vals.contains(h)),
            "Exists" => have.is_some(),
            "DoesNotExist" => have.is_none(),
            _ => false,
        };
        if !ok {
            return false;
        }
    }
    true
}

pub fn set_selector(set: &StatefulSet) -> Option<&LabelSelector> {
    set.spec.as_ref().map(|s| &s.selector)
}

/// `hasOwnerRef`: any ownerReference with the owner's uid.
pub fn has_owner_ref(target: &ObjectMeta, owner_uid: &str) -> bool {
    target
        .owner_references
        .iter()
        .flatten()
        .any(|r| r.uid == owner_uid)
}

/// v1.28 `hasStaleOwnerRef`: a reference with the owner's name but another uid.
pub fn has_stale_owner_ref(target: &ObjectMeta, owner_name: &str, owner_uid: &str) -> bool {
    target
        .owner_references
        .iter()
        .flatten()
        .any(|r| r.name == owner_name && r.uid != owner_uid)
}

pub fn claim_templates(set: &StatefulSet) -> &[PersistentVolumeClaim] {
    set.spec
        .as_ref()
        .and_then(|s| s.volume_claim_templates.as_deref())
        .unwrap_or(&[])
}

/// `(whenScaled, whenDeleted)`, each `Retain` or `Delete` (unknown values act as Retain).
pub fn retention_policy(set: &StatefulSet) -> (bool, bool) {
    let p = set
        .spec
        .as_ref()
        .and_then(|s| s.persistent_volume_claim_retention_policy.as_ref());
    let scaled = p.and_then(|p| p.when_scaled.as_deref()) == Some("Delete");
    let deleted = p.and_then(|p| p.when_deleted.as_deref()) == Some("Delete");
    (scaled, deleted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals_parse_like_get_parent_name_and_ordinal() {
        assert_eq!(parent_and_ordinal("web-0"), ("web".into(), 0));
        assert_eq!(parent_and_ordinal("my-web-12"), ("my-web".into(), 12));
        assert_eq!(parent_and_ordinal("web"), (String::new(), -1));
        assert_eq!(parent_and_ordinal("web-x"), (String::new(), -1));
        assert_eq!(parent_and_ordinal("web-99999999999"), ("web".into(), -1));
        assert_eq!(split_ordinal("my-web-12"), ("my-web", 12));
    }
}

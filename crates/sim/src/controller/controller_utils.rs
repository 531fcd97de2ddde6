//! What the ReplicaSet and Deployment controllers share, as upstream keeps it in
//! `pkg/controller/controller_utils.go`: the pod-template hash (`ComputeHash`), active
//! ReplicaSets and pods, the orders ReplicaSets are scaled in (`ReplicaSetsByCreationTimestamp`,
//! `ReplicaSetsBySizeNewer`, `ReplicaSetsBySizeOlder`), the order pods are picked for deletion
//! (`ActivePodsWithRanks`), and a pod made from a template (`GetPodFromTemplate`).

use crate::sort::Sort as _;
use std::cmp::Ordering;

use k8s_openapi::api::apps::v1::ReplicaSet;
use k8s_openapi::api::core::v1::{Pod, PodTemplateSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};

use super::podutil::{is_pod_ready, phase, ready_condition};
use crate::spew::{self, FNV32_OFFSET};
use crate::time::SimTime;

/// The label a Deployment puts on its ReplicaSets, their selectors and their pods
/// (`apps.DefaultDeploymentUniqueLabelKey`).
pub const POD_TEMPLATE_HASH_LABEL: &str = "pod-template-hash";

/// `ComputeHash`: FNV-1a over go-spew's `%#v` of the template (`hashutil.DeepHashObject`),
/// then the collision count's 4 bytes little-endian in an 8-byte buffer when there is one;
/// the decimal sum through `rand.SafeEncodeString`.
pub fn compute_hash(template: &PodTemplateSpec, collision_count: Option<i32>) -> String {
    let json = k8sjson::to_value(template);
    let printed = spew::sprint(&spew::schema::POD_TEMPLATE_SPEC, &json);
    let mut h = spew::fnv32a(printed.as_bytes(), FNV32_OFFSET);
    if let Some(c) = collision_count {
        let mut buf = [0u8; 8];
        for (slot, b) in buf.iter_mut().zip((c as u32).to_le_bytes()) {
            *slot = b;
        }
        h = spew::fnv32a(&buf, h);
    }
    crate::names::safe_encode_string(&h.to_string())
}

/// `*(rs.Spec.Replicas)` (defaulted to 1 by the apiserver).
pub fn rs_replicas(rs: &ReplicaSet) -> i32 {
    rs.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1)
}

/// `FilterActiveReplicaSets`: those that have (or ought to have) pods.
pub fn filter_active_replica_sets<'a>(
    rss: impl IntoIterator<Item = &'a ReplicaSet>,
) -> Vec<&'a ReplicaSet> {
    rss.into_iter().filter(|rs| rs_replicas(rs) > 0).collect()
}

fn created(m: &ObjectMeta) -> Option<SimTime> {
    m.creation_timestamp
        .as_ref()
        .map(crate::time::from_k8s_time)
}

/// `ReplicaSetsByCreationTimestamp`: older first, then by name.
pub fn by_creation_timestamp(a: &ReplicaSet, b: &ReplicaSet) -> Ordering {
    let (ta, tb) = (created(&a.metadata), created(&b.metadata));
    if ta == tb {
        return a.metadata.name.cmp(&b.metadata.name);
    }
    ta.cmp(&tb)
}

/// `ReplicaSetsBySizeOlder`: larger first; equal sizes older first.
pub fn by_size_older(a: &ReplicaSet, b: &ReplicaSet) -> Ordering {
    match rs_replicas(b).cmp(&rs_replicas(a)) {
        Ordering::Equal => by_creation_timestamp(a, b),
        o => o,
    }
}

/// `ReplicaSetsBySizeNewer`: larger first; equal sizes newer first.
pub fn by_size_newer(a: &ReplicaSet, b: &ReplicaSet) -> Ordering {
    match rs_replicas(b).cmp(&rs_replicas(a)) {
        Ordering::Equal => by_creation_timestamp(b, a),
        o => o,
    }
}

/// `IsPodActive`: not Succeeded, not Failed, not being deleted.
pub fn is_pod_active(p: &Pod) -> bool {
    let ph = phase(p);
    ph != "Succeeded" && ph != "Failed" && p.metadata.deletion_timestamp.is_none()
}

/// `IsPodTerminating`: being deleted and not yet terminal.
pub fn is_pod_terminating(p: &Pod) -> bool {
    let ph = phase(p);
    ph != "Succeeded" && ph != "Failed" && p.metadata.deletion_timestamp.is_some()
}

/// `GetPodFromTemplate` (+ `getPodsPrefix`): the template's labels, annotations, finalizers
/// and spec, `generateName: <parent>-` and the controller reference.
pub fn pod_from_template(
    template: &PodTemplateSpec,
    parent_name: &str,
    controller_ref: OwnerReference,
) -> Pod {
    let tm = &template.metadata;
    Pod {
        metadata: ObjectMeta {
            labels: Some(
                tm.as_ref()
                    .and_then(|m| m.labels.clone())
                    .unwrap_or_default(),
            ),
            annotations: tm
                .as_ref()
                .and_then(|m| m.annotations.clone())
                .filter(|a| !a.is_empty()),
            finalizers: tm
                .as_ref()
                .and_then(|m| m.finalizers.clone())
                .filter(|f| !f.is_empty()),
            generate_name: Some(format!("{parent_name}-")),
            owner_references: Some(vec![controller_ref]),
            ..Default::default()
        },
        spec: k8sjson::copy(&template.spec),
        status: None,
    }
}

/// `podPhaseToOrdinal`: Pending < Unknown < Running (others 0).
fn phase_ordinal(p: &Pod) -> u8 {
    match phase(p) {
        "Pending" => 0,
        "Unknown" => 1,
        "Running" => 2,
        _ => 0,
    }
}

/// `podReadyTime`: when a Ready pod became ready.
fn ready_time(p: &Pod) -> Option<SimTime> {
    match ready_condition(p) {
        Some((true, t)) => t,
        _ => None,
    }
}

fn max_restarts(p: &Pod) -> i32 {
    p.status
        .as_ref()
        .and_then(|s| s.container_statuses.as_ref())
        .map(|cs| cs.iter().map(|c| c.restart_count).max().unwrap_or(0))
        .unwrap_or(0)
}

/// `controller.kubernetes.io/pod-deletion-cost` (PodDeletionCost, on by default).
fn deletion_cost(p: &Pod) -> i32 {
    p.metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get("controller.kubernetes.io/pod-deletion-cost"))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// `afterOrZero(t1, t2)`: t1 after t2, a missing time counting as after any time.
fn after_or_zero(t1: Option<SimTime>, t2: Option<SimTime>) -> bool {
    match (t1, t2) {
        (None, _) | (_, None) => t1.is_none(),
        (Some(a), Some(b)) => a > b,
    }
}

/// `logarithmicRankDiff`: floor(log2) of the ages in nanoseconds (times are whole seconds).
fn log_rank_diff(t1: SimTime, t2: SimTime, now: SimTime) -> i64 {
    let rank = |t: SimTime| -> i64 {
        let d = now.saturating_sub(t) as u128 * 1_000_000;
        if d == 0 {
            -1
        } else {
            i64::from(127 - d.leading_zeros() as i32)
        }
    };
    rank(t1) - rank(t2)
}

fn whole_seconds(t: SimTime) -> SimTime {
    t / 1000 * 1000
}

/// `ActivePodsWithRanks.Less` (with PodDeletionCost and LogarithmicScaleDown on, as in v1.35):
/// whether `a` (with rank `ra`) should be deleted before `b`. Unassigned before assigned,
/// Pending before Unknown before Running, not ready before ready, lower deletion cost first,
/// more colocated pods first, ready for a shorter time first, more restarts first, newer
/// first; equal logarithmic ages fall back to the uid.
pub fn active_pods_less(a: &Pod, ra: usize, b: &Pod, rb: usize, now: SimTime) -> bool {
    let node = |p: &Pod| {
        p.spec
            .as_ref()
            .and_then(|s| s.node_name.clone())
            .unwrap_or_default()
    };
    let (na, nb) = (node(a), node(b));
    if na != nb && (na.is_empty() || nb.is_empty()) {
        return na.is_empty();
    }
    if phase_ordinal(a) != phase_ordinal(b) {
        return phase_ordinal(a) < phase_ordinal(b);
    }
    if is_pod_ready(a) != is_pod_ready(b) {
        return !is_pod_ready(a);
    }
    if deletion_cost(a) != deletion_cost(b) {
        return deletion_cost(a) < deletion_cost(b);
    }
    if ra != rb {
        return ra > rb;
    }
    let uid_less = || a.metadata.uid < b.metadata.uid;
    if is_pod_ready(a) && is_pod_ready(b) {
        let (t1, t2) = (
            ready_time(a).map(whole_seconds),
            ready_time(b).map(whole_seconds),
        );
        if t1 != t2 {
            return match (t1, t2) {
                (Some(x), Some(y)) => match log_rank_diff(x, y, now) {
                    0 => uid_less(),
                    d => d < 0,
                },
                _ => after_or_zero(t1, t2),
            };
        }
    }
    if max_restarts(a) != max_restarts(b) {
        return max_restarts(a) > max_restarts(b);
    }
    let (c1, c2) = (created(&a.metadata), created(&b.metadata));
    if c1 != c2 {
        return match (c1, c2) {
            (Some(x), Some(y)) => match log_rank_diff(x, y, now) {
                0 => uid_less(),
                d => d < 0,
            },
            _ => after_or_zero(c1, c2),
        };
    }
    false
}

/// `getPodsRankedByRelatedPodsOnSameNode` + sort + the first `diff`: the pods to delete when
/// scaling down, preferring those in earlier phases of startup (`getPodsToDelete`).
pub fn pods_to_delete<'a>(
    active: &[&'a Pod],
    related: &[&Pod],
    diff: usize,
    now: SimTime,
) -> Vec<&'a Pod> {
    if diff >= active.len() {
        return active.to_vec();
    }
    let mut on_node: std::collections::BTreeMap<String, usize> = Default::default();
    for p in related.iter().filter(|p| is_pod_active(p)) {
        let n = p
            .spec
            .as_ref()
            .and_then(|s| s.node_name.clone())
            .unwrap_or_default();
        *on_node.entry(n).or_default() += 1;
    }
    let rank = |p: &Pod| {
        let n = p
            .spec
            .as_ref()
            .and_then(|s| s.node_name.clone())
            .unwrap_or_default();
        on_node.get(&n).copied().unwrap_or(0)
    };
    let mut ranked: Vec<(&Pod, usize)> = active.iter().map(|p| (*p, rank(p))).collect();
    // Go's sort.Sort is not stable; an insertion sort on `Less` gives the same order for a
    // strict weak order, and the uid tie-breaks make ties rare.
    ranked.stable_sort_by(|(a, ra), (b, rb)| {
        if active_pods_less(a, *ra, b, *rb, now) {
            Ordering::Less
        } else if active_pods_less(b, *rb, a, *ra, now) {
            Ordering::Greater
        } else {
            Ordering::Equal
        }
    });
    ranked.into_iter().take(diff).map(|(p, _)| p).collect()
}

/// `metav1.NewControllerRef`.
pub fn new_controller_ref(api_version: &str, kind: &str, meta: &ObjectMeta) -> OwnerReference {
    OwnerReference {
        api_version: api_version.into(),
        kind: kind.into(),
        name: meta.name.clone().unwrap_or_default(),
        uid: meta.uid.clone().unwrap_or_default(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(image: &str) -> PodTemplateSpec {
        serde_json::from_value(serde_json::json!({
            "metadata": {"labels": {"app": "web"}},
            "spec": {"containers": [{"name": "nginx", "image": image}]}
        }))
        .unwrap()
    }

    #[test]
    fn compute_hash_is_stable_and_depends_on_template_and_collisions() {
        let a = compute_hash(&template("nginx:1.26.0"), None);
        assert_eq!(a, compute_hash(&template("nginx:1.26.0"), None));
        assert_ne!(a, compute_hash(&template("nginx:1.27.0"), None));
        assert_ne!(a, compute_hash(&template("nginx:1.26.0"), Some(1)));
        // `rand.SafeEncodeString` of a uint32: up to 10 characters of the alphabet.
        assert!(a.len() <= 10 && a.bytes().all(|b| crate::names::ALPHABET.contains(&b)));
    }

    #[test]
    fn scale_orders() {
        let rs = |name: &str, n: i32, t: u64| -> ReplicaSet {
            let mut r = ReplicaSet::default();
            r.metadata.name = Some(name.into());
            r.metadata.creation_timestamp = Some(crate::time::to_k8s_time(t * 1000));
            r.spec = Some(k8s_openapi::api::apps::v1::ReplicaSetSpec {
                replicas: Some(n),
                ..Default::default()
            });
            r
        };
        let (old, new) = (rs("a", 2, 1), rs("b", 2, 2));
        assert_eq!(by_size_older(&old, &new), Ordering::Less);
        assert_eq!(by_size_newer(&old, &new), Ordering::Greater);
        assert_eq!(by_size_newer(&rs("c", 3, 0), &new), Ordering::Less);
    }
}

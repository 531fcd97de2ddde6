//! A Deployment's [`Group`] (issue 18's contrast): the Deployment as the head, its ReplicaSets
//! (newest revision first) as sub-heads, one row per pod under the ReplicaSet that owns it, in
//! name order, without ordinals. A claim the pods name (a Deployment has no claim template:
//! every replica mounts the same claim) is drawn once, in the first row that mounts it, and
//! every pod that mounts it has its own mounts edge to that one box: the picture of "shared".

use sim::sort::Sort as _;
use std::collections::HashMap;

use sim::Cluster;
use sim::k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use sim::k8s_openapi::api::core::v1::{PersistentVolumeClaim, Pod};

use crate::build::{
    Options, claim_detail, claim_status, counts, pod_status, range_detail, range_status, volume_obj,
};
use crate::graph::{Aggregate, ClaimSlot, EdgeKind, Graph, Group, Kind, NodeId, Obj, Row, Status};

/// Which of a ReplicaSet's pods (in name order) get a row of their own when the Deployment has
/// more than [`Options::full_rows`] pods: the first `head`, then up to `pinned` that are not
/// Ready (something is happening to them); the rest are one range row ("… 900 Running").
/// Returns (one by one, the rest), both in name order.
pub(crate) fn split_pods<T: Copy>(
    pods: &[T],
    ready: impl Fn(T) -> bool,
    head: usize,
    pinned: usize,
) -> (Vec<T>, Vec<T>) {
    let mut one = Vec::new();
    let mut rest = Vec::new();
    let mut pins = 0;
    for (i, &p) in pods.iter().enumerate() {
        if i < head {
            one.push(p);
        } else if pins < pinned && !ready(p) {
            pins += 1;
            one.push(p);
        } else {
            rest.push(p);
        }
    }
    (one, rest)
}

/// The object's controller (the ownerReference with `controller: true`): (kind, uid).
fn controller_of(
    meta: &sim::k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta,
) -> Option<(&str, &str)> {
    meta.owner_references
        .iter()
        .flatten()
        .find(|o| o.controller == Some(true))
        .map(|o| (o.kind.as_str(), o.uid.as_str()))
}

/// `deployment.kubernetes.io/revision` of a Deployment or ReplicaSet.
fn revision(meta: &sim::k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta) -> Option<i64> {
    meta.annotations
        .as_ref()?
        .get("deployment.kubernetes.io/revision")?
        .parse()
        .ok()
}

fn int_or_percent(
    v: Option<&sim::k8s_openapi::apimachinery::pkg::util::intstr::IntOrString>,
) -> String {
    use sim::k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
    match v {
        Some(IntOrString::Int(i)) => i.to_string(),
        Some(IntOrString::String(s)) => s.clone(),
        None => "25%".into(),
    }
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn deployment_group(
    cluster: &Cluster,
    ns: &str,
    d: &Deployment,
    pods: &[&Pod],
    claims: &[&PersistentVolumeClaim],
    lanes: &HashMap<String, usize>,
    opts: &Options,
    g: &mut Graph,
) {
    let store = cluster.store();
    let name = d.metadata.name.as_deref().unwrap_or("");
    let uid = d.metadata.uid.as_deref().unwrap_or("");
    let spec = d.spec.as_ref();
    let no_status = sim::k8s_openapi::api::apps::v1::DeploymentStatus::default();
    let status = d.status.as_ref().unwrap_or(&no_status);
    // The sim caps replicas; so does the picture.
    let replicas = spec.and_then(|s| s.replicas).unwrap_or(1).clamp(0, 100_000);
    let strategy = spec.and_then(|s| s.strategy.as_ref());
    let kind = strategy
        .and_then(|s| s.type_.as_deref())
        .unwrap_or("RollingUpdate");
    let (ready, updated, total, available) = (
        status.ready_replicas.unwrap_or(0),
        status.updated_replicas.unwrap_or(0),
        status.replicas.unwrap_or(0),
        status.available_replicas.unwrap_or(0),
    );
    let timed_out = status.conditions.iter().flatten().any(|c| {
        c.type_ == "Progressing" && c.reason.as_deref() == Some("ProgressDeadlineExceeded")
    });
    let head_status = if d.metadata.deletion_timestamp.is_some() {
        Status::Terminating
    } else if timed_out {
        Status::Failing
    } else if updated == replicas && total == replicas && available == replicas {
        Status::Ready
    } else {
        Status::Progressing
    };
    let mut head = Obj::new(
        format!("deploy/{name}"),
        Kind::Deployment,
        name.to_string(),
        head_status,
        format!("{ready}/{replicas} ready · {kind}"),
    );
    head.line3 = revision(&d.metadata).map(|r| format!("revision {r}"));
    head.facts.push((
        "strategy",
        if kind == "RollingUpdate" {
            let ru = strategy.and_then(|s| s.rolling_update.as_ref());
            format!(
                "RollingUpdate (maxSurge {}, maxUnavailable {})",
                int_or_percent(ru.and_then(|r| r.max_surge.as_ref())),
                int_or_percent(ru.and_then(|r| r.max_unavailable.as_ref()))
            )
        } else {
            kind.to_string()
        },
    ));
    head.facts.push((
        "replicas",
        format!("{replicas} desired, {updated} updated, {total} total, {available} available"),
    ));
    if spec.and_then(|s| s.paused) == Some(true) {
        head.facts.push(("paused", "true".into()));
    }
    // The Deployment's own state from `sim why` (pods get theirs below).
    head.why = cluster
        .why("deployment", ns, name)
        .into_iter()
        .filter(|s| s.starts_with(&format!("{name} ")) && !s.contains(" is not waiting"))
        .collect();
    let head = g.add(head);

    // Its ReplicaSets, newest revision first; an old one only while it has pods or wants some.
    let mut sets: Vec<&ReplicaSet> = store
        .list::<ReplicaSet>(Some(ns))
        .filter(|r| controller_of(&r.metadata).is_some_and(|(k, u)| k == "Deployment" && u == uid))
        .collect();
    sets.stable_sort_by_key(|r| std::cmp::Reverse(revision(&r.metadata).unwrap_or(0)));
    let mut subheads = Vec::new();
    let mut owned: Vec<(NodeId, Vec<&Pod>)> = Vec::new();
    for (i, rs) in sets.iter().enumerate() {
        let rs_name = rs.metadata.name.as_deref().unwrap_or("");
        let rs_uid = rs.metadata.uid.as_deref().unwrap_or("");
        let mut its: Vec<&Pod> = pods
            .iter()
            .copied()
            .filter(|p| {
                controller_of(&p.metadata).is_some_and(|(k, u)| k == "ReplicaSet" && u == rs_uid)
            })
            .collect();
        its.stable_sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
        let want = rs.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1);
        if i > 0 && want == 0 && its.is_empty() {
            continue;
        }
        let st = rs.status.as_ref();
        let rs_ready = st.and_then(|s| s.ready_replicas).unwrap_or(0);
        let current = st.map_or(0, |s| s.replicas);
        let rs_status = if rs.metadata.deletion_timestamp.is_some() {
            Status::Terminating
        } else if rs_ready == want && current == want && its.len() == want.max(0) as usize {
            Status::Ready
        } else {
            Status::Progressing
        };
        let mut o = Obj::new(
            format!("rs/{rs_name}"),
            Kind::ReplicaSet,
            rs_name.to_string(),
            rs_status,
            format!("{rs_ready}/{want} ready"),
        );
        o.line3 = revision(&rs.metadata).map(|r| format!("revision {r}"));
        if let Some(h) = rs
            .metadata
            .labels
            .as_ref()
            .and_then(|l| l.get("pod-template-hash"))
        {
            o.facts.push(("pod-template-hash", h.clone()));
        }
        let id = g.add(o);
        subheads.push(id);
        owned.push((id, its));
    }

    // One row per pod, under its ReplicaSet; the shared claims once.
    let claim_of: HashMap<&str, &PersistentVolumeClaim> = claims
        .iter()
        .filter_map(|c| Some((c.metadata.name.as_deref()?, *c)))
        .collect();
    let mut placed: HashMap<String, NodeId> = HashMap::new();
    let mut rows = Vec::new();
    let mut pending_ranges: Vec<(usize, NodeId, Vec<&str>)> = Vec::new();
    let mut why_budget = opts.max_why;
    let now = cluster.now();
    // Hundreds of pods: per ReplicaSet its first pods and the notable ones, then one range
    // (as a big StatefulSet's ordinals are drawn), so 1,000 replicas draw as a few rows.
    let total: usize = owned.iter().map(|(_, its)| its.len()).sum();
    let head_rows = if total > opts.full_rows {
        (opts.head_rows / owned.len().max(1)).max(1)
    } else {
        usize::MAX
    };
    for (rs_id, its) in owned {
        let status_of = |p: &Pod| {
            let cols = sim::podstatus::columns(p, now);
            pod_status(p, &cols.status, &cols.ready)
        };
        let (one, rest) = split_pods(
            &its,
            |p| status_of(p) == Status::Ready,
            head_rows,
            opts.max_pinned,
        );
        for &p in &one {
            let pod_name = p.metadata.name.as_deref().unwrap_or("");
            let cols = sim::podstatus::columns(p, now);
            let status = pod_status(p, &cols.status, &cols.ready);
            let mut pod = Obj::new(
                format!("pod/{pod_name}"),
                Kind::Pod,
                pod_name.to_string(),
                status,
                format!("{} {}", cols.status, cols.ready),
            );
            if status != Status::Ready && why_budget > 0 {
                why_budget -= 1;
                pod.why = cluster
                    .why("pod", ns, pod_name)
                    .into_iter()
                    .filter(|l| !l.contains("is Running and Ready"))
                    .collect();
            }
            let node = p.spec.as_ref().and_then(|s| s.node_name.clone());
            if let Some(n) = &node {
                pod.facts.push(("node", n.clone()));
            }
            if let Some(ip) = p.status.as_ref().and_then(|s| s.pod_ip.as_deref()) {
                pod.facts.push(("IP", ip.to_string()));
            }
            pod.facts.push(("restarts", cols.restarts.clone()));
            let lane = node.as_deref().and_then(|n| lanes.get(n)).copied();
            let pod_id = g.add(pod);
            g.link(rs_id, pod_id, EdgeKind::Owns, None);
            if let Some(l) = lane
                && let Some(&node_id) = g.lanes.get(l)
            {
                g.link(pod_id, node_id, EdgeKind::RunsOn, None);
            }
            let mut slots = Vec::new();
            let names = p
                .spec
                .as_ref()
                .and_then(|s| s.volumes.as_ref())
                .into_iter()
                .flatten()
                .filter_map(|v| v.persistent_volume_claim.as_ref())
                .map(|c| c.claim_name.as_str());
            for cname in names {
                let key = format!("pvc/{cname}");
                let existing = placed
                    .get(&key)
                    .copied()
                    .or_else(|| g.nodes.iter().position(|o| o.key == key));
                if let Some(claim_id) = existing {
                    g.link(pod_id, claim_id, EdgeKind::Mounts, None);
                    continue;
                }
                let pvc = claim_of.get(cname).copied();
                let (st, detail) = match pvc {
                    Some(c) => (claim_status(c, false), claim_detail(c)),
                    None => (Status::Missing, "not created".into()),
                };
                let mut claim = Obj::new(key.clone(), Kind::Claim, cname.to_string(), st, detail);
                if pvc.is_some() && !matches!(st, Status::Ready) && why_budget > 0 {
                    why_budget -= 1;
                    claim.why = cluster
                        .why("pvc", ns, cname)
                        .into_iter()
                        .filter(|l| !l.contains(" is Bound to "))
                        .collect();
                }
                let mut user_count = 0;
                for q in pods {
                    let mounts = q
                        .spec
                        .as_ref()
                        .and_then(|s| s.volumes.as_ref())
                        .into_iter()
                        .flatten()
                        .any(|v| {
                            v.persistent_volume_claim
                                .as_ref()
                                .is_some_and(|c| c.claim_name == cname)
                        });
                    user_count += usize::from(mounts);
                }
                claim
                    .facts
                    .push(("mounted by", format!("{user_count} pods")));
                let claim_id = g.add(claim);
                g.link(pod_id, claim_id, EdgeKind::Mounts, None);
                let vol = volume_obj(store, &key, pvc, false);
                let bound = !vol.name.is_empty();
                let vol_id = g.add(vol);
                if bound {
                    g.link(claim_id, vol_id, EdgeKind::BoundTo, None);
                }
                placed.insert(key, claim_id);
                slots.push(ClaimSlot {
                    claim: claim_id,
                    volume: vol_id,
                });
            }
            rows.push(Row {
                ordinal: None,
                owner: rs_id,
                pod: pod_id,
                claims: slots,
                lane,
            });
        }
        if !rest.is_empty() {
            let pc = counts(rest.iter().map(|p| status_of(p)));
            let rs_name = g.node(rs_id).map_or("", |o| o.name.as_str()).to_string();
            let mut pod = Obj::new(
                format!("pods/{rs_name}/more"),
                Kind::Pod,
                format!("{rs_name}-… {} more pods", rest.len()),
                range_status(&pc),
                format!("{} pods: {}", rest.len(), range_detail(Kind::Pod, &pc)),
            );
            pod.aggregate = Some(Aggregate {
                first: one.len() as u32,
                last: its.len().saturating_sub(1) as u32,
                counts: pc,
            });
            let range_id = g.add(pod);
            g.link(rs_id, range_id, EdgeKind::Owns, None);
            // The claims they share: one mounts edge from the range (the claim's box is in
            // the rows above, or drawn with the range when no row above mounts it).
            rows.push(Row {
                ordinal: None,
                owner: rs_id,
                pod: range_id,
                claims: Vec::new(),
                lane: None,
            });
            let range_row = rows.len() - 1;
            let mut names: Vec<&str> = rest
                .iter()
                .flat_map(|p| {
                    p.spec
                        .as_ref()
                        .and_then(|s| s.volumes.as_ref())
                        .into_iter()
                        .flatten()
                        .filter_map(|v| v.persistent_volume_claim.as_ref())
                        .map(|c| c.claim_name.as_str())
                })
                .collect();
            // The shared stable sort (equal `&str`s are indistinguishable, so the order is
            // `sort_unstable`'s), not one more copy of the standard library's (issue #17).
            names.stable_sort();
            names.dedup();
            pending_ranges.push((range_row, range_id, names));
        }
    }
    // The ranges' mounts edges, after every row so a claim first mounted below is found.
    for (row, range_id, names) in pending_ranges {
        for cname in names {
            let key = format!("pvc/{cname}");
            if let Some(&claim_id) = placed.get(&key) {
                g.link(range_id, claim_id, EdgeKind::Mounts, None);
            } else if let Some(r) = rows.get_mut(row) {
                // No row of its own mounts it: the claim and its volume go with the range.
                let pvc = claim_of.get(cname).copied();
                let (st, detail) = match pvc {
                    Some(c) => (claim_status(c, false), claim_detail(c)),
                    None => (Status::Missing, "not created".into()),
                };
                let claim_id = g.add(Obj::new(
                    key.clone(),
                    Kind::Claim,
                    cname.to_string(),
                    st,
                    detail,
                ));
                g.link(range_id, claim_id, EdgeKind::Mounts, None);
                let vol = volume_obj(store, &key, pvc, false);
                let bound = !vol.name.is_empty();
                let vol_id = g.add(vol);
                if bound {
                    g.link(claim_id, vol_id, EdgeKind::BoundTo, None);
                }
                placed.insert(key, claim_id);
                r.claims.push(ClaimSlot {
                    claim: claim_id,
                    volume: vol_id,
                });
            }
        }
    }
    g.groups.push(Group {
        key: format!("group/deploy/{name}"),
        title: format!("Deployment: {name} ({replicas} replicas)"),
        head,
        subheads,
        service: None,
        ordered: false,
        rows,
        aggregated: total > opts.full_rows,
    });
}

#[cfg(test)]
mod tests {
    use super::split_pods;

    #[test]
    fn split_keeps_the_first_and_the_notable_then_the_rest() {
        // (name, ready)
        let pods = [
            (0, true),
            (1, true),
            (2, false),
            (3, true),
            (4, false),
            (5, false),
        ];
        let (one, rest) = split_pods(&pods, |p| p.1, 2, 2);
        let ids = |v: &[(i32, bool)]| v.iter().map(|p| p.0).collect::<Vec<_>>();
        assert_eq!(ids(&one), [0, 1, 2, 4]);
        assert_eq!(ids(&rest), [3, 5]);
        // No pins: only the head; head past the end: all one by one.
        let (one, rest) = split_pods(&pods, |p| p.1, 1, 0);
        assert_eq!((one.len(), rest.len()), (1, 5));
        let (one, rest) = split_pods(&pods, |p| p.1, usize::MAX, 8);
        assert_eq!((one.len(), rest.len()), (6, 0));
    }
}

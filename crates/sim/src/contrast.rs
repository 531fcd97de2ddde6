//! stsplay's contrast (issue 18): next to a StatefulSet, the Deployment a user would write for
//! the same pods — the same pod template, the claim template turned into one claim that every
//! replica names — and sentences, in our words, on how the two differ right now.
//!
//! Nothing here is Kubernetes behaviour: the Deployment and the claim are ordinary objects the
//! apiserver, the controllers and the scheduler treat as they treat any other. The label
//! [`LABEL`] (on the Deployment, its selector and its pod template) ties the Deployment to its
//! StatefulSet and keeps the two sets of pods apart for `kubectl get pods -l …`.

use crate::sort::Sort as _;
use k8s_openapi::api::apps::v1::{Deployment, DeploymentSpec, ReplicaSet, StatefulSet};
use k8s_openapi::api::core::v1::{
    PersistentVolume, PersistentVolumeClaim, PersistentVolumeClaimVolumeSource, Pod, Volume,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::controller::meta::controller_of;
use crate::store::Store;

/// The label (and its value, the StatefulSet's name) on a contrast Deployment.
pub const LABEL: &str = "stsplay.dev/contrast-of";

/// The Deployment's name for a StatefulSet.
pub fn deployment_name(sts: &str) -> String {
    format!("{sts}-deploy")
}

/// The one claim that replaces a claim template.
pub fn claim_name(template: &str, deployment: &str) -> String {
    format!("{template}-{deployment}")
}

/// The Deployment (and its claims) a user would write for `sts`: the same replicas, selector
/// and pod template (plus [`LABEL`]), `minReadySeconds` and `revisionHistoryLimit`; each claim
/// template becomes one claim named in the pod template. The strategy is left to the defaults
/// (RollingUpdate, 25 % / 25 %), as a user who writes none gets.
pub fn deployment_for(
    sts: &StatefulSet,
) -> Result<(Deployment, Vec<PersistentVolumeClaim>), String> {
    let name = sts.metadata.name.clone().unwrap_or_default();
    if name.len() > 63 {
        return Err(format!(
            "the StatefulSet's name {name} is longer than a label value may be (63)"
        ));
    }
    let ns = sts.metadata.namespace.clone();
    let spec = k8sjson::copy(&sts.spec).unwrap_or_default();
    let dname = deployment_name(&name);
    let label = || [(LABEL.to_string(), name.clone())];
    let mut selector = k8sjson::copy(&spec.selector);
    selector
        .match_labels
        .get_or_insert_with(Default::default)
        .extend(label());
    let mut template = k8sjson::copy(&spec.template);
    template
        .metadata
        .get_or_insert_with(Default::default)
        .labels
        .get_or_insert_with(Default::default)
        .extend(label());
    let mut claims = Vec::new();
    let pod = template.spec.get_or_insert_with(Default::default);
    for ct in spec.volume_claim_templates.iter().flatten() {
        let tname = ct.metadata.name.clone().unwrap_or_default();
        let cname = claim_name(&tname, &dname);
        let volumes = pod.volumes.get_or_insert_with(Vec::new);
        // As in a StatefulSet, the claim takes the place of a pod volume of the same name.
        volumes.retain(|v| v.name != tname);
        volumes.push(Volume {
            name: tname.clone(),
            persistent_volume_claim: Some(PersistentVolumeClaimVolumeSource {
                claim_name: cname.clone(),
                read_only: None,
            }),
            ..Default::default()
        });
        claims.push(PersistentVolumeClaim {
            metadata: ObjectMeta {
                name: Some(cname),
                namespace: ns.clone(),
                labels: ct.metadata.labels.clone(),
                annotations: ct.metadata.annotations.clone(),
                ..Default::default()
            },
            spec: k8sjson::copy(&ct.spec),
            status: None,
        });
    }
    let d = Deployment {
        metadata: ObjectMeta {
            name: Some(dname),
            namespace: ns,
            labels: Some(label().into()),
            ..Default::default()
        },
        spec: Some(DeploymentSpec {
            replicas: spec.replicas,
            selector,
            template,
            min_ready_seconds: spec.min_ready_seconds,
            revision_history_limit: spec.revision_history_limit,
            ..Default::default()
        }),
        status: None,
    };
    Ok((d, claims))
}

/// The contrast pairs in a namespace: (StatefulSet, Deployment), both existing.
pub fn pairs(store: &Store, ns: &str) -> Vec<(String, String)> {
    store
        .list::<Deployment>(Some(ns))
        .filter_map(|d| {
            let sts = d.metadata.labels.as_ref()?.get(LABEL)?;
            store.get::<StatefulSet>(ns, sts)?;
            Some((sts.clone(), d.metadata.name.clone()?))
        })
        .collect()
}

/// Which side of a pair a pod belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Side {
    /// A pod of the StatefulSet of this pair.
    StatefulSet { sts: String, deployment: String },
    /// A pod of the Deployment (through one of its ReplicaSets).
    Deployment { sts: String, deployment: String },
}

/// The pair side a pod is on (by its controller), if any.
pub fn side_of_pod(store: &Store, ns: &str, pod: &Pod) -> Option<Side> {
    let owner = controller_of(&pod.metadata)?;
    let pairs = pairs(store, ns);
    match owner.kind.as_str() {
        "StatefulSet" => pairs
            .into_iter()
            .find(|(s, _)| *s == owner.name)
            .map(|(sts, deployment)| Side::StatefulSet { sts, deployment }),
        "ReplicaSet" => {
            let rs = store.get::<ReplicaSet>(ns, &owner.name)?;
            let d = controller_of(&rs.metadata)?;
            pairs
                .into_iter()
                .find(|(_, dn)| *dn == d.name)
                .map(|(sts, deployment)| Side::Deployment { sts, deployment })
        }
        _ => None,
    }
}

fn pods_of<'a>(store: &'a Store, ns: &'a str, kind: &str, names: &[String]) -> Vec<&'a Pod> {
    let mut v: Vec<&Pod> = store
        .list::<Pod>(Some(ns))
        .filter(|p| {
            controller_of(&p.metadata).is_some_and(|o| o.kind == kind && names.contains(&o.name))
        })
        .collect();
    v.stable_sort_by(|a, b| {
        crate::ordinal::ordinal_cmp(
            a.metadata.name.as_deref().unwrap_or(""),
            b.metadata.name.as_deref().unwrap_or(""),
        )
    });
    v
}

/// The pods of a pair's StatefulSet and of its Deployment.
fn pair_pods<'a>(
    store: &'a Store,
    ns: &'a str,
    sts: &str,
    dep: &str,
) -> (Vec<&'a Pod>, Vec<&'a Pod>) {
    let rss: Vec<String> = store
        .list::<ReplicaSet>(Some(ns))
        .filter(|r| {
            controller_of(&r.metadata).is_some_and(|o| o.name == dep && o.kind == "Deployment")
        })
        .filter_map(|r| r.metadata.name.clone())
        .collect();
    (
        pods_of(store, ns, "StatefulSet", &[sts.to_string()]),
        pods_of(store, ns, "ReplicaSet", &rss),
    )
}

fn names(pods: &[&Pod]) -> String {
    let n: Vec<&str> = pods
        .iter()
        .filter(|p| p.metadata.deletion_timestamp.is_none())
        .filter_map(|p| p.metadata.name.as_deref())
        .collect();
    if n.is_empty() {
        "none yet".into()
    } else {
        n.join(", ")
    }
}

fn int_or_percent(v: Option<&k8s_openapi::apimachinery::pkg::util::intstr::IntOrString>) -> String {
    use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
    match v {
        Some(IntOrString::Int(i)) => i.to_string(),
        Some(IntOrString::String(s)) => s.clone(),
        None => "25%".into(),
    }
}

/// How the StatefulSet scales (our words).
pub fn sts_scaling(sts: &StatefulSet) -> &'static str {
    let parallel = sts
        .spec
        .as_ref()
        .and_then(|s| s.pod_management_policy.as_deref())
        == Some("Parallel");
    if parallel {
        "creates or deletes the missing pods all at once (podManagementPolicy Parallel), but always by ordinal: new pods take the next numbers, a scale-down removes the highest"
    } else {
        "creates pods one at a time in ordinal order, each once the one before is Running and Ready, and deletes them from the highest ordinal down (podManagementPolicy OrderedReady)"
    }
}

/// How the StatefulSet updates (our words).
pub fn sts_update(sts: &StatefulSet) -> String {
    let strategy = sts
        .spec
        .as_ref()
        .and_then(|s| k8sjson::copy(&s.update_strategy))
        .unwrap_or_default();
    if strategy.type_.as_deref() == Some("OnDelete") {
        return "replaces a pod only when you delete it (updateStrategy OnDelete)".into();
    }
    let partition = strategy
        .rolling_update
        .and_then(|r| r.partition)
        .unwrap_or(0);
    let mut s = "replaces pods one at a time from the highest ordinal down: it deletes the old pod, then creates the new one under the same name, once the previous one is Ready".to_string();
    if partition > 0 {
        s.push_str(&format!(
            " (partition {partition}: ordinals below {partition} keep the old template)"
        ));
    }
    s
}

/// How the Deployment updates (our words, with its own numbers).
pub fn deployment_update(d: &Deployment) -> String {
    let spec = k8sjson::copy(&d.spec).unwrap_or_default();
    let strategy = spec.strategy.unwrap_or_default();
    if strategy.type_.as_deref() == Some("Recreate") {
        return "deletes every old pod first, then creates all the new ones (strategy Recreate)"
            .into();
    }
    let ru = strategy.rolling_update.unwrap_or_default();
    let replicas = spec.replicas.unwrap_or(1);
    let surge = crate::controller::deployment::util::max_surge(d);
    let unavailable = crate::controller::deployment::util::max_unavailable(d);
    format!(
        "creates a new ReplicaSet and starts up to {surge} new pod(s) beyond the {replicas} (maxSurge {}), removing old pods as new ones become available, never leaving fewer than {} available (maxUnavailable {}); new pods get new random names",
        int_or_percent(ru.max_surge.as_ref()),
        replicas - unavailable,
        int_or_percent(ru.max_unavailable.as_ref()),
    )
}

/// The differences of every pair in a namespace, as they stand (stsplay's explanation).
pub fn differences(store: &Store, ns: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (s, d) in pairs(store, ns) {
        let (Some(sts), Some(dep)) = (
            store.get::<StatefulSet>(ns, &s),
            store.get::<Deployment>(ns, &d),
        ) else {
            continue;
        };
        let (sp, dp) = pair_pods(store, ns, &s, &d);
        out.push(format!(
            "stsplay's contrast: StatefulSet {s} and Deployment {d} run the same pod template"
        ));
        out.push(format!(
            "names: {s}'s pods are {} (fixed by ordinal: a replacement keeps its name); {d}'s pods are {} (<replicaset>-<5 random characters>: a replacement gets a new name)",
            names(&sp),
            names(&dp)
        ));
        let templates: Vec<String> = sts
            .spec
            .as_ref()
            .and_then(|x| k8sjson::copy(&x.volume_claim_templates))
            .unwrap_or_default()
            .into_iter()
            .filter_map(|t| t.metadata.name)
            .collect();
        if let Some(t) = templates.first() {
            let own: Vec<String> = sp
                .iter()
                .filter_map(|p| p.metadata.name.as_deref())
                .map(|p| format!("{t}-{p}"))
                .collect();
            let shared = claim_name(t, &d);
            let live = dp
                .iter()
                .filter(|p| p.metadata.deletion_timestamp.is_none())
                .count();
            out.push(format!(
                "data: each of {s}'s pods has its own claim ({}), which outlives the pod and comes back with it; all {live} of {d}'s pods mount the one claim {shared}: what one writes, all see, and on a local volume they all have to run on its node",
                if own.is_empty() { "none yet".into() } else { own.join(", ") }
            ));
        }
        out.push(format!(
            "scaling: {s} {}; {d} creates or deletes all the missing pods at once, picking which to delete by readiness and age, not by name",
            sts_scaling(sts)
        ));
        out.push(format!(
            "updates: {s} {}; {d} {}",
            sts_update(sts),
            deployment_update(dep)
        ));
    }
    out
}

/// After a pod of a pair was deleted: what each side does about it (stsplay's explanation).
pub fn after_pod_delete(side: &Side, pod: &str) -> String {
    match side {
        Side::StatefulSet { sts, deployment } => format!(
            "stsplay's contrast: a pod of Deployment {deployment} would come back under a new random name, on the one claim all its pods share (kubectl get pods -l {LABEL}={sts})"
        ),
        Side::Deployment { sts, .. } => format!(
            "stsplay's contrast: the ReplicaSet replaces {pod} at once with a pod of a new random name, on the same shared claim; StatefulSet {sts} would recreate its pod under the same name, with that pod's own claim"
        ),
    }
}

/// After a scale of one side of a pair (stsplay's explanation).
pub fn after_scale(store: &Store, ns: &str, side: &Side) -> Option<String> {
    match side {
        Side::StatefulSet { sts, deployment } => {
            let set = store.get::<StatefulSet>(ns, sts)?;
            Some(format!(
                "stsplay's contrast: StatefulSet {sts} {}; Deployment {deployment} would create or delete all the missing pods at once (try kubectl scale deploy/{deployment} with the same number)",
                sts_scaling(set)
            ))
        }
        Side::Deployment { sts, deployment } => Some(format!(
            "stsplay's contrast: Deployment {deployment} creates or deletes all the missing pods at once; StatefulSet {sts} adds pods by ordinal and removes the highest first (try kubectl scale sts/{sts} with the same number)"
        )),
    }
}

/// After a template change of one side of a pair (stsplay's explanation).
pub fn after_update(store: &Store, ns: &str, side: &Side) -> Option<String> {
    let (sts, dep) = match side {
        Side::StatefulSet { sts, deployment } | Side::Deployment { sts, deployment } => {
            (sts, deployment)
        }
    };
    let set = store.get::<StatefulSet>(ns, sts)?;
    let d = store.get::<Deployment>(ns, dep)?;
    Some(match side {
        Side::StatefulSet { .. } => format!(
            "stsplay's contrast: StatefulSet {sts} {}; Deployment {dep} {}",
            sts_update(set),
            deployment_update(d)
        ),
        Side::Deployment { .. } => format!(
            "stsplay's contrast: Deployment {dep} {}; StatefulSet {sts} {}",
            deployment_update(d),
            sts_update(set)
        ),
    })
}

/// After a node went down (`sim fault node NAME down`): for each pair with pods on it, what
/// each side will do (stsplay's explanation). What it says is what the sim does: the node
/// lifecycle controller marks the node NotReady after `node_monitor_grace` (50 s, as
/// `--node-monitor-grace-period` since v1.32), taints it and evicts its pods once their 300 s toleration
/// of `node.kubernetes.io/unreachable` runs out (`DefaultTolerationSeconds`); a pod on a node
/// that is down stays Terminating; the StatefulSet creates no second pod of a name while the
/// old one exists; the ReplicaSet replaces its pods at once, and a replacement that mounts a
/// local volume pinned to the node cannot be scheduled (`kubectl/tests/contrast.rs` checks it).
pub fn after_node_down(store: &Store, ns: &str, node: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (sts, dep) in pairs(store, ns) {
        let (mut sp, mut dp) = (Vec::new(), Vec::new());
        for p in store.list::<Pod>(Some(ns)) {
            let here = p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some(node);
            if !here || p.metadata.deletion_timestamp.is_some() {
                continue;
            }
            let name = p.metadata.name.clone().unwrap_or_default();
            match side_of_pod(store, ns, p) {
                Some(Side::StatefulSet { sts: s, .. }) if s == sts => sp.push(name),
                Some(Side::Deployment { deployment: d, .. }) if d == dep => dp.push(name),
                _ => {}
            }
        }
        if sp.is_empty() && dp.is_empty() {
            continue;
        }
        let sts_part = if sp.is_empty() {
            format!("StatefulSet {sts} has no pod there")
        } else {
            format!(
                "StatefulSet {sts} creates no second {} while the old one exists: at most one pod per name, so it stays missing until the node is back or you force-delete it",
                sp.join(", ")
            )
        };
        let dep_part = if dp.is_empty() {
            format!("Deployment {dep} has no pod there")
        } else {
            // The Deployment's claims whose volume is pinned to this node.
            let pinned: Vec<String> = store
                .get::<Deployment>(ns, &dep)
                .and_then(|d| k8sjson::copy(&d.spec.as_ref()?.template.spec.as_ref()?.volumes))
                .into_iter()
                .flatten()
                .filter_map(|v| v.persistent_volume_claim.map(|c| c.claim_name))
                .filter(|c| {
                    store
                        .get::<PersistentVolumeClaim>(ns, c)
                        .and_then(|pvc| pvc.spec.as_ref()?.volume_name.clone())
                        .and_then(|v| store.get::<PersistentVolume>("", &v))
                        .and_then(crate::scheduler::pv_nodes)
                        .is_some_and(|nodes| nodes.iter().any(|n| n == node))
                })
                .collect();
            let stuck = if pinned.is_empty() {
                String::new()
            } else {
                format!(
                    ", but they mount {} whose local volume lives on {node}: they stay Pending until it is back",
                    pinned.join(", ")
                )
            };
            format!(
                "Deployment {dep}'s ReplicaSet replaces {} at once with pods of new names{stuck}",
                dp.join(", ")
            )
        };
        out.push(format!(
            "stsplay's contrast: after 50 s without word from {node} (node-monitor-grace-period) it is NotReady and tainted, and 300 s later (the pods' default toleration of node.kubernetes.io/unreachable) its pods are evicted and stay Terminating, since nobody can confirm they stopped; {sts_part}; {dep_part} (sim advance 6m, then kubectl get pods -o wide and sim why)"
        ));
    }
    out
}

/// The side of a workload named by kubectl (`sts`/`deploy` + name), if it is part of a pair.
pub fn side_of_workload(store: &Store, ns: &str, kind: &str, name: &str) -> Option<Side> {
    let pairs = pairs(store, ns);
    match kind {
        "StatefulSet" => pairs
            .into_iter()
            .find(|(s, _)| s == name)
            .map(|(sts, deployment)| Side::StatefulSet { sts, deployment }),
        "Deployment" => pairs
            .into_iter()
            .find(|(_, d)| d == name)
            .map(|(sts, deployment)| Side::Deployment { sts, deployment }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    fn seed() -> StatefulSet {
        serde_json::from_value(serde_json::json!({
            "apiVersion": "apps/v1", "kind": "StatefulSet",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {
                "replicas": 3, "serviceName": "nginx",
                "selector": {"matchLabels": {"app": "nginx"}},
                "template": {"metadata": {"labels": {"app": "nginx"}},
                    "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27",
                        "volumeMounts": [{"name": "www", "mountPath": "/usr/share/nginx/html"}]}]}},
                "volumeClaimTemplates": [{"metadata": {"name": "www"},
                    "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}]
            }
        }))
        .unwrap()
    }

    #[test]
    fn the_claim_template_becomes_one_shared_claim() {
        let (d, claims) = deployment_for(&seed()).unwrap();
        assert_eq!(d.metadata.name.as_deref(), Some("web-deploy"));
        let spec = d.spec.unwrap();
        assert_eq!(spec.replicas, Some(3));
        assert_eq!(
            spec.selector.match_labels.unwrap(),
            [
                ("app".to_string(), "nginx".to_string()),
                (LABEL.to_string(), "web".to_string())
            ]
            .into()
        );
        let vols = spec.template.spec.unwrap().volumes.unwrap();
        assert_eq!(vols.len(), 1);
        assert_eq!(
            vols[0].persistent_volume_claim.as_ref().unwrap().claim_name,
            "www-web-deploy"
        );
        assert_eq!(claims.len(), 1);
        assert_eq!(claims[0].metadata.name.as_deref(), Some("www-web-deploy"));
        assert!(spec.strategy.is_none(), "left to the apiserver's defaults");
    }
}

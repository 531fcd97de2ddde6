//! `kubectl rollout status|history|undo|restart|pause|resume` for Deployments (kubectl
//! `pkg/polymorphichelpers/{rollout_status,history,rollback,objectrestarter,objectpauser,
//! objectresumer}.go`, `pkg/util/deployment/deployment.go`, `pkg/cmd/rollout/*.go`), and
//! the upstream errors for kinds no rollout helper handles (ReplicaSet, Pod).

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use serde_json::Value;
use sim::controller::controller_utils::POD_TEMPLATE_HASH_LABEL;
use sim::controller::deployment::util::{
    DEPRECATED_ROLLBACK_TO, DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION,
    REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION, TIMED_OUT_REASON, equal_ignore_hash,
    get_condition,
};
use sim::store::Written;

use super::modify::send_update;
use super::rollout_watch::{Watched, timeout_flag, watch_status};
use crate::cmdutil::not_found;
use crate::describe::deployment_replica_sets;
use crate::dryrun::DryRun;
use crate::flags::Parsed;
use crate::out::Out;
use crate::resources::Res;
use crate::session::Session;
use crate::table::TabWriter;

const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";
const CHANGE_CAUSE: &str = "kubernetes.io/change-cause";

/// One `rollout <sub>` for one Deployment; `false` = stop processing further arguments.
pub(crate) fn run(
    s: &mut Session,
    sub: &str,
    p: &Parsed,
    ns: &str,
    name: &str,
    dry: DryRun,
    out: &mut Out,
) -> bool {
    let Some(d) = s
        .cluster
        .store()
        .get::<Deployment>(ns, name)
        .map(k8sjson::copy)
    else {
        out.fail(not_found(Res::Deployment, name));
        return true;
    };
    match sub {
        "status" => {
            let Some(timeout) = timeout_flag(p, out) else {
                return false;
            };
            let revision = match p.value("revision").map(str::parse::<i64>) {
                None => 0,
                Some(Ok(r)) => r,
                Some(Err(_)) => {
                    out.fail(format!(
                        "error: invalid argument \"{}\" for \"--revision\" flag: strconv.ParseInt: parsing \"{}\": invalid syntax",
                        p.value("revision").unwrap_or(""),
                        p.value("revision").unwrap_or("")
                    ));
                    return false;
                }
            };
            status(
                s,
                ns,
                name,
                &d,
                revision,
                !p.has("watch") || p.bool("watch"),
                timeout,
                out,
            );
        }
        "history" => history(s, name, &d, p.value("revision"), out),
        "undo" => undo(s, name, &d, p.value("to-revision"), dry, p, out),
        "restart" => restart(s, name, &d, p, out),
        "pause" => set_paused(s, name, &d, true, p, out),
        "resume" => set_paused(s, name, &d, false, p, out),
        _ => {}
    }
    true
}

/// `DeploymentStatusViewer.Status`: (message, done) or an error.
pub fn status_line(d: &Deployment, revision: i64) -> Result<(String, bool), String> {
    let name = d.metadata.name.clone().unwrap_or_default();
    if revision > 0 {
        let rev = match d
            .metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get(REVISION_ANNOTATION))
        {
            None => 0,
            Some(v) => v.parse::<i64>().map_err(|_| {
                format!(
                    "error: cannot get the revision of deployment \"{name}\": strconv.ParseInt: parsing \"{v}\": invalid syntax"
                )
            })?,
        };
        if rev != revision {
            return Err(format!(
                "error: desired revision ({revision}) is different from the running revision ({rev})"
            ));
        }
    }
    let status = k8sjson::copy(&d.status).unwrap_or_default();
    if d.metadata.generation.unwrap_or(0) > status.observed_generation.unwrap_or(0) {
        return Ok((
            "Waiting for deployment spec update to be observed...".into(),
            false,
        ));
    }
    if get_condition(&status, "Progressing")
        .is_some_and(|c| c.reason.as_deref() == Some(TIMED_OUT_REASON))
    {
        return Err(format!(
            "error: deployment \"{name}\" exceeded its progress deadline"
        ));
    }
    let updated = status.updated_replicas.unwrap_or(0);
    let replicas = status.replicas.unwrap_or(0);
    let available = status.available_replicas.unwrap_or(0);
    if let Some(want) = d.spec.as_ref().and_then(|s| s.replicas)
        && updated < want
    {
        return Ok((
            format!(
                "Waiting for deployment \"{name}\" rollout to finish: {updated} out of {want} new replicas have been updated..."
            ),
            false,
        ));
    }
    if replicas > updated {
        return Ok((
            format!(
                "Waiting for deployment \"{name}\" rollout to finish: {} old replicas are pending termination...",
                replicas - updated
            ),
            false,
        ));
    }
    if available < updated {
        return Ok((
            format!(
                "Waiting for deployment \"{name}\" rollout to finish: {available} of {updated} updated replicas are available..."
            ),
            false,
        ));
    }
    Ok((
        format!("deployment \"{name}\" successfully rolled out"),
        true,
    ))
}

#[allow(clippy::too_many_arguments)]
fn status(
    s: &mut Session,
    ns: &str,
    name: &str,
    d: &Deployment,
    revision: i64,
    watch: bool,
    timeout: Option<sim::time::SimTime>,
    out: &mut Out,
) {
    let (line, done) = match status_line(d, revision) {
        Ok(x) => x,
        Err(e) => {
            out.fail(e);
            return;
        }
    };
    out.outln(line);
    if !watch || done {
        return;
    }
    let line = |s: &Session, w: Option<&Written>| {
        let obj = match w {
            Some(Written::Deployment(d)) => Some(k8sjson::copy::<Deployment>(d)),
            _ => s
                .cluster
                .store()
                .get::<Deployment>(ns, name)
                .map(k8sjson::copy),
        };
        obj.map(|o| status_line(&o, revision)).transpose()
    };
    watch_status(
        s,
        &Watched {
            kind: "Deployment",
            resource: "deployments",
            ns,
            name,
            line: &line,
        },
        timeout,
        out,
    );
}

/// `deploymentutil.Revision`: a ReplicaSet without the annotation is revision 0; one with an
/// unparsable annotation is skipped (kubectl logs a warning).
fn revision_of(rs: &ReplicaSet) -> Option<i64> {
    match rs
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(REVISION_ANNOTATION))
    {
        None => Some(0),
        Some(v) => v.parse().ok(),
    }
}

/// `getDeploymentReplicaSets`: the old ReplicaSets (oldest first), then the new one.
fn replica_sets(s: &Session, d: &Deployment) -> Vec<ReplicaSet> {
    let (old, new) = deployment_replica_sets(s.cluster.store(), d);
    old.into_iter()
        .chain(new)
        .map(k8sjson::copy)
        .collect::<Vec<ReplicaSet>>()
}

/// `DeploymentHistoryViewer.ViewHistory` printed by `rollout history` (the name printer adds
/// `deployment.apps/<name> ` and a final newline).
fn history(s: &mut Session, name: &str, d: &Deployment, revision: Option<&str>, out: &mut Out) {
    let revision: i64 = match revision.map(str::parse::<i64>) {
        None => 0,
        Some(Ok(r)) if r >= 0 => r,
        Some(Ok(r)) => {
            out.fail(format!("error: revision must be a positive integer: {r}"));
            return;
        }
        Some(Err(_)) => {
            let v = revision.unwrap_or("");
            out.fail(format!(
                "error: invalid argument \"{v}\" for \"--revision\" flag: strconv.ParseInt: parsing \"{v}\": invalid syntax"
            ));
            return;
        }
    };
    // historyInfo: revision → the ReplicaSet's template with its change-cause annotation, by
    // revision (a sorted vector: one more map type would cost the wasm its own B-tree code).
    let mut info: Vec<(i64, k8s_openapi::api::core::v1::PodTemplateSpec)> = Vec::new();
    for rs in replica_sets(s, d) {
        let Some(v) = revision_of(&rs) else {
            continue;
        };
        let mut t = rs.spec.and_then(|s| s.template).unwrap_or_default();
        let cause = rs
            .metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get(CHANGE_CAUSE))
            .cloned()
            .unwrap_or_default();
        let meta = t.metadata.get_or_insert_with(Default::default);
        let ann = meta.annotations.get_or_insert_with(Default::default);
        if !cause.is_empty() {
            ann.insert(CHANGE_CAUSE.into(), cause);
        }
        // A later ReplicaSet with the same revision replaces the earlier (the map's insert).
        let at = info.partition_point(|(r, _)| *r < v);
        match info.get_mut(at).filter(|(r, _)| *r == v) {
            Some(slot) => slot.1 = t,
            None => info.insert(at, (v, t)),
        }
    }
    let prefix = format!("{}/{name} ", Res::Deployment.name_prefix());
    if info.is_empty() {
        out.outln(format!("{prefix}\nNo rollout history found."));
        return;
    }
    if revision > 0 {
        let Some((_, t)) = info.iter().find(|(r, _)| *r == revision) else {
            out.fail("error: unable to find the specified revision");
            return;
        };
        out.outln(format!("{prefix}with revision #{revision}"));
        out.out(crate::describe::pod_template_text(t));
        out.out("\n");
        return;
    }
    let mut w = TabWriter::new(0, 2, false);
    w.write("REVISION\tCHANGE-CAUSE\n");
    for (r, t) in &info {
        let cause = t
            .metadata
            .as_ref()
            .and_then(|m| m.annotations.as_ref())
            .and_then(|a| a.get(CHANGE_CAUSE))
            .filter(|c| !c.is_empty())
            .cloned()
            .unwrap_or_else(|| "<none>".into());
        w.write(&format!("{r}\t{cause}\n"));
    }
    out.outln(prefix);
    out.out(w.take());
    out.out("\n");
}

/// `deploymentRevision`: the ReplicaSet of `to` (0 = the one before the latest).
fn deployment_revision(s: &Session, d: &Deployment, to: i64) -> Result<ReplicaSet, String> {
    let name = d.metadata.name.clone().unwrap_or_default();
    let mut latest: (i64, Option<ReplicaSet>) = (-1, None);
    let mut previous: (i64, Option<ReplicaSet>) = (-1, None);
    for rs in replica_sets(s, d) {
        let Some(v) = revision_of(&rs) else {
            continue;
        };
        if to == 0 {
            if latest.0 < v {
                previous = std::mem::replace(&mut latest, (v, Some(rs)));
            } else if previous.0 < v {
                previous = (v, Some(rs));
            }
        } else if to == v {
            return Ok(rs);
        }
    }
    if to > 0 {
        return Err(revision_not_found(to));
    }
    previous
        .1
        .ok_or_else(|| format!("error: no rollout history found for deployment \"{name}\""))
}

fn revision_not_found(to: i64) -> String {
    format!("error: unable to find specified revision {to} in history")
}

/// `DeploymentRollbacker.Rollback`: a JSON patch replacing `spec.template` (the hash label
/// dropped) and `metadata.annotations` (the Deployment's own bookkeeping kept, the rest taken
/// from the ReplicaSet).
fn undo(
    s: &mut Session,
    name: &str,
    d: &Deployment,
    to: Option<&str>,
    dry: DryRun,
    p: &Parsed,
    out: &mut Out,
) {
    let to: i64 = to.and_then(|t| t.parse().ok()).unwrap_or(0);
    if to < 0 {
        out.fail(revision_not_found(to));
        return;
    }
    let rs = match deployment_revision(s, d, to) {
        Ok(rs) => rs,
        Err(e) => {
            out.fail(e);
            return;
        }
    };
    let mut template = rs
        .spec
        .as_ref()
        .and_then(|s| k8sjson::copy(&s.template))
        .unwrap_or_default();
    // kubectl prints the object it read (`printer.PrintObj(info.Object, …)`).
    let read = k8sjson::to_value(d);
    if dry == DryRun::Client {
        // Unlike a StatefulSet's, the Deployment rollbacker returns the bare template.
        let op = crate::describe::pod_template_text(&template);
        crate::dryrun::report(out, p, Res::Deployment, name, &op, dry, &read);
        return;
    }
    if d.spec.as_ref().and_then(|s| s.paused).unwrap_or(false) {
        out.fail("error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again");
        return;
    }
    let current = d
        .spec
        .as_ref()
        .map(|s| k8sjson::copy(&s.template))
        .unwrap_or_default();
    if equal_ignore_hash(&template, &current) {
        let op = format!("skipped rollback (current template already matches revision {to})");
        crate::dryrun::report(out, p, Res::Deployment, name, &op, dry, &read);
        return;
    }
    if let Some(l) = template.metadata.as_mut().and_then(|m| m.labels.as_mut()) {
        l.remove(POD_TEMPLATE_HASH_LABEL);
    }
    const SKIP: [&str; 6] = [
        LAST_APPLIED,
        REVISION_ANNOTATION,
        REVISION_HISTORY_ANNOTATION,
        DESIRED_REPLICAS_ANNOTATION,
        MAX_REPLICAS_ANNOTATION,
        DEPRECATED_ROLLBACK_TO,
    ];
    let mut annotations = BTreeMap::new();
    if let Some(a) = d.metadata.annotations.as_ref() {
        for k in SKIP {
            if let Some(v) = a.get(k) {
                annotations.insert(k.to_string(), v.clone());
            }
        }
    }
    for (k, v) in rs.metadata.annotations.iter().flatten() {
        if !SKIP.contains(&k.as_str()) {
            annotations.insert(k.clone(), v.clone());
        }
    }
    let mut obj = read.clone();
    if let Some(spec) = obj.get_mut("spec").and_then(Value::as_object_mut) {
        spec.insert("template".into(), k8sjson::to_value(&template));
    }
    if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.insert("annotations".into(), k8sjson::to_value(&annotations));
    }
    if send_update(s, Res::Deployment, name, obj, dry, out).is_some() {
        crate::dryrun::report(out, p, Res::Deployment, name, "rolled back", dry, &read);
    }
}

/// `defaultObjectRestarter`: the `kubectl.kubernetes.io/restartedAt` template annotation.
fn restart(s: &mut Session, name: &str, d: &Deployment, p: &Parsed, out: &mut Out) {
    if d.spec.as_ref().and_then(|s| s.paused).unwrap_or(false) {
        out.fail(format!(
            "error: {} \"{name}\" can't restart paused deployment (run rollout resume first)",
            Res::Deployment.qualified_plural()
        ));
        return;
    }
    let now = sim::time::to_k8s_time(s.cluster.now());
    let stamp = k8sjson::time::rfc3339(now.0);
    let mut d = k8sjson::copy(d);
    let Some(spec) = d.spec.as_mut() else {
        return;
    };
    let meta = spec.template.metadata.get_or_insert_with(Default::default);
    let ann = meta.annotations.get_or_insert_with(Default::default);
    if ann.get("kubectl.kubernetes.io/restartedAt") == Some(&stamp) {
        // The patch is empty: `rollout_restart.go`.
        out.fail(format!(
            "error: failed to create patch for {name}: if restart has already been triggered within the past second, please wait before attempting to trigger another"
        ));
        return;
    }
    ann.insert("kubectl.kubernetes.io/restartedAt".into(), stamp);
    let obj = k8sjson::to_value(&d);
    if let Some((_, returned)) = send_update(s, Res::Deployment, name, obj, DryRun::None, out) {
        crate::dryrun::report(
            out,
            p,
            Res::Deployment,
            name,
            "restarted",
            DryRun::None,
            &returned,
        );
    }
}

/// `defaultObjectPauser` / `defaultObjectResumer`.
fn set_paused(s: &mut Session, name: &str, d: &Deployment, pause: bool, p: &Parsed, out: &mut Out) {
    let paused = d.spec.as_ref().and_then(|s| s.paused).unwrap_or(false);
    if paused == pause {
        out.fail(format!(
            "error: {} \"{name}\" {}",
            Res::Deployment.qualified_plural(),
            if pause {
                "is already paused"
            } else {
                "is not paused"
            }
        ));
        return;
    }
    let mut d = k8sjson::copy(d);
    if let Some(spec) = d.spec.as_mut() {
        spec.paused = Some(pause);
    }
    let obj = k8sjson::to_value(&d);
    if let Some((_, returned)) = send_update(s, Res::Deployment, name, obj, DryRun::None, out) {
        let op = if pause { "paused" } else { "resumed" };
        crate::dryrun::report(out, p, Res::Deployment, name, op, DryRun::None, &returned);
    }
}

/// The upstream error for a kind without a rollout helper (`StatusViewerFor`,
/// `HistoryViewerFor`, `RollbackerFor`, and the restarter/pauser/resumer defaults); `None` for
/// kinds whose error this playground does not model.
pub(crate) fn unsupported(sub: &str, r: Res, name: &str) -> Option<String> {
    if !matches!(r, Res::ReplicaSet | Res::Pod) {
        return None;
    }
    let group_kind = if r.group().is_empty() {
        r.kind().to_string()
    } else {
        format!("{}.{}", r.kind(), r.group())
    };
    let patch_err = |what: &str| {
        format!(
            "error: {} \"{name}\" {what} is not supported",
            r.qualified_plural()
        )
    };
    Some(match sub {
        "status" => format!("error: no status viewer has been implemented for {group_kind}"),
        "history" => format!("error: no history viewer has been implemented for \"{group_kind}\""),
        "undo" => format!("error: no rollbacker has been implemented for \"{group_kind}\""),
        "restart" => patch_err("restarting"),
        "pause" => patch_err("pausing"),
        "resume" => patch_err("resuming"),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::apps::v1::{DeploymentCondition, DeploymentSpec, DeploymentStatus};
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

    fn dep(
        gen_: i64,
        observed: i64,
        want: i32,
        replicas: i32,
        updated: i32,
        avail: i32,
    ) -> Deployment {
        Deployment {
            metadata: ObjectMeta {
                name: Some("web".into()),
                generation: Some(gen_),
                annotations: Some([(REVISION_ANNOTATION.to_string(), "2".to_string())].into()),
                ..Default::default()
            },
            spec: Some(DeploymentSpec {
                replicas: Some(want),
                ..Default::default()
            }),
            status: Some(DeploymentStatus {
                observed_generation: Some(observed),
                replicas: Some(replicas),
                updated_replicas: Some(updated),
                available_replicas: Some(avail),
                ..Default::default()
            }),
        }
    }

    /// kubectl `pkg/polymorphichelpers/rollout_status_test.go` cases, in our words.
    #[test]
    fn status_lines_follow_the_deployment_viewer() {
        let line = |d: &Deployment| status_line(d, 0).unwrap();
        assert_eq!(
            line(&dep(2, 1, 3, 3, 3, 3)),
            (
                "Waiting for deployment spec update to be observed...".into(),
                false
            )
        );
        assert_eq!(
            line(&dep(1, 1, 3, 4, 1, 3)).0,
            "Waiting for deployment \"web\" rollout to finish: 1 out of 3 new replicas have been updated..."
        );
        assert_eq!(
            line(&dep(1, 1, 3, 4, 3, 3)).0,
            "Waiting for deployment \"web\" rollout to finish: 1 old replicas are pending termination..."
        );
        assert_eq!(
            line(&dep(1, 1, 3, 3, 3, 2)).0,
            "Waiting for deployment \"web\" rollout to finish: 2 of 3 updated replicas are available..."
        );
        assert_eq!(
            line(&dep(1, 1, 3, 3, 3, 3)),
            ("deployment \"web\" successfully rolled out".into(), true)
        );
        let mut late = dep(1, 1, 3, 3, 1, 1);
        late.status.as_mut().unwrap().conditions = Some(vec![DeploymentCondition {
            type_: "Progressing".into(),
            status: "False".into(),
            reason: Some(TIMED_OUT_REASON.into()),
            ..Default::default()
        }]);
        assert_eq!(
            status_line(&late, 0).unwrap_err(),
            "error: deployment \"web\" exceeded its progress deadline"
        );
        assert_eq!(
            status_line(&dep(1, 1, 3, 3, 3, 3), 1).unwrap_err(),
            "error: desired revision (1) is different from the running revision (2)"
        );
    }

    #[test]
    fn kinds_without_helpers_get_upstreams_errors() {
        assert_eq!(
            unsupported("status", Res::ReplicaSet, "x").unwrap(),
            "error: no status viewer has been implemented for ReplicaSet.apps"
        );
        assert_eq!(
            unsupported("undo", Res::Pod, "x").unwrap(),
            "error: no rollbacker has been implemented for \"Pod\""
        );
        assert_eq!(
            unsupported("pause", Res::ReplicaSet, "x").unwrap(),
            "error: replicasets.apps \"x\" pausing is not supported"
        );
        assert!(unsupported("status", Res::Service, "x").is_none());
    }
}

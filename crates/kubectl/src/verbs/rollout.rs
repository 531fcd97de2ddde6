//! `kubectl rollout status|history|undo|restart|pause|resume` for StatefulSets (kubectl
//! `pkg/cmd/rollout/*.go`, `pkg/polymorphichelpers/{rollout_status,history,rollback,
//! objectrestarter,objectpauser}.go`).

use k8s_openapi::api::apps::v1::StatefulSet;
use serde_json::Value;
use sim::store::Written;

use super::rollout_watch::{Watched, timeout_flag, watch_status};
use super::{not_found_hint, resolve_args, revisions_of, send_update};
use crate::cmdutil::{namespace, not_found, parse_or_fail, unknown_subcommand};
use crate::dryrun::DryRun;
use crate::flags::{Spec, b, i, v};
use crate::out::Out;
use crate::resources::Res;
use crate::session::Session;
use crate::table::TabWriter;

/// `StatefulSetStatusViewer.Status`: (message, done) or the OnDelete error.
pub fn status_line(sts: &StatefulSet) -> Result<(String, bool), String> {
    let spec = k8sjson::copy(&sts.spec).unwrap_or_default();
    let status = k8sjson::copy(&sts.status).unwrap_or_default();
    let strategy = k8sjson::copy(&spec.update_strategy).unwrap_or_default();
    if strategy.type_.as_deref().unwrap_or("RollingUpdate") != "RollingUpdate" {
        return Err(
            "error: rollout status is only available for RollingUpdate strategy type".into(),
        );
    }
    let observed = status.observed_generation.unwrap_or(0);
    if observed == 0 || sts.metadata.generation.unwrap_or(0) > observed {
        return Ok((
            "Waiting for statefulset spec update to be observed...".into(),
            false,
        ));
    }
    let ready = status.ready_replicas.unwrap_or(0);
    if let Some(r) = spec.replicas
        && ready < r
    {
        return Ok((
            format!("Waiting for {} pods to be ready...", r - ready),
            false,
        ));
    }
    let updated = status.updated_replicas.unwrap_or(0);
    if let Some(ru) = strategy.rolling_update {
        if let (Some(r), Some(part)) = (spec.replicas, ru.partition)
            && updated < r - part
        {
            return Ok((
                format!(
                    "Waiting for partitioned roll out to finish: {updated} out of {} new pods have been updated...",
                    r - part
                ),
                false,
            ));
        }
        return Ok((
            format!("partitioned roll out complete: {updated} new pods have been updated..."),
            true,
        ));
    }
    let update_rev = status.update_revision.clone().unwrap_or_default();
    let current_rev = status.current_revision.clone().unwrap_or_default();
    if update_rev != current_rev {
        return Ok((
            format!(
                "waiting for statefulset rolling update to complete {updated} pods at revision {update_rev}..."
            ),
            false,
        ));
    }
    Ok((
        format!(
            "statefulset rolling update complete {} pods at revision {current_rev}...",
            status.current_replicas.unwrap_or(0)
        ),
        true,
    ))
}

/// The flags each subcommand registers (kubectl `pkg/cmd/rollout/rollout_*.go`, v0.35.0):
/// `AddFilenameOptionFlags` and `AddLabelSelectorFlagVar` everywhere, `PrintFlags` (`-o`,
/// `--template`) except on `status`, and `--dry-run` only on `undo` (`AddDryRunFlag`), so
/// `rollout restart --dry-run` is an unknown flag as on a real kubectl.
fn flags_of(sub: &str) -> Vec<Spec> {
    let mut f = vec![
        v("filename", Some('f')),
        b("recursive", Some('R')),
        v("kustomize", Some('k')),
        v("selector", Some('l')),
    ];
    let print = [
        v("output", Some('o')),
        v("template", None),
        b("show-managed-fields", None),
        b("allow-missing-template-keys", None),
    ];
    match sub {
        "status" => f.extend([
            b("watch", Some('w')),
            i("revision", None),
            v("timeout", None),
        ]),
        "history" => {
            f.push(i("revision", None));
            f.extend(print);
        }
        "undo" => {
            f.extend([i("to-revision", None), crate::dryrun::FLAG]);
            f.extend(print);
        }
        _ => {
            f.push(v("field-manager", None));
            f.extend(print);
        }
    }
    f
}

pub(crate) fn run(s: &mut Session, args: &[String], out: &mut Out) {
    let Some((sub, rest)) = args.split_first() else {
        crate::help::group_without_subcommand("kubectl rollout", out);
        return;
    };
    if sub == "-h" || sub == "--help" {
        crate::help::group_help_flag("kubectl rollout", out);
        return;
    }
    let path = format!("kubectl rollout {sub}");
    if !matches!(
        sub.as_str(),
        "status" | "history" | "undo" | "restart" | "pause" | "resume"
    ) {
        out.fail(unknown_subcommand("kubectl rollout", args));
        return;
    }
    let Some(p) = parse_or_fail(rest, &flags_of(sub), &path, out) else {
        return;
    };
    let ns = namespace(&p);
    // `UndoOptions.Complete` reads the dry-run strategy before anything is looked up.
    let dry = if sub == "undo" {
        match DryRun::from_flag(&p, s.cluster.now(), out) {
            Some(d) => d,
            None => return,
        }
    } else {
        DryRun::None
    };
    if p.positional.is_empty() {
        out.fail(format!(
            "error: required resource not specified\nSee '{path} -h' for help and examples"
        ));
        return;
    }
    let Some(targets) = resolve_args(&p.positional, out) else {
        return;
    };
    for (r, name) in targets {
        let Some(name) = name else {
            out.fail("error: resource(s) were provided, but no name was specified");
            return;
        };
        if r == Res::Deployment {
            if !super::rollout_deployment::run(s, sub, &p, &ns, &name, dry, out) {
                return;
            }
            continue;
        }
        if r != Res::StatefulSet {
            if let Some(e) = super::rollout_deployment::unsupported(sub, r, &name) {
                out.fail(e);
                continue;
            }
            out.fail(format!(
                "error: no {sub} has been implemented for {{\"{}\" \"{}\"}} in this playground",
                r.group(),
                r.kind()
            ));
            continue;
        }
        let Some(sts) = s
            .cluster
            .store()
            .get::<StatefulSet>(&ns, &name)
            .map(k8sjson::copy)
        else {
            out.fail(not_found(r, &name));
            not_found_hint(s, r, &ns, &name, out);
            continue;
        };
        match sub.as_str() {
            "status" => {
                let Some(timeout) = timeout_flag(&p, out) else {
                    return;
                };
                status(
                    s,
                    &ns,
                    &name,
                    &sts,
                    !p.has("watch") || p.bool("watch"),
                    timeout,
                    out,
                )
            }
            "history" => history(s, &ns, &name, &sts, p.value("revision"), out),
            "undo" => undo(s, &ns, &name, &sts, p.value("to-revision"), dry, &p, out),
            "restart" => restart(s, &name, &sts, &p, out),
            "pause" => out.fail(format!(
                "error: statefulsets.apps \"{name}\" pausing is not supported"
            )),
            "resume" => out.fail(format!(
                "error: statefulsets.apps \"{name}\" resuming is not supported"
            )),
            _ => {}
        }
    }
}

fn status(
    s: &mut Session,
    ns: &str,
    name: &str,
    sts: &StatefulSet,
    watch: bool,
    timeout: Option<sim::time::SimTime>,
    out: &mut Out,
) {
    let (line, done) = match status_line(sts) {
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
            Some(Written::StatefulSet(st)) => Some(k8sjson::copy::<StatefulSet>(st)),
            _ => s
                .cluster
                .store()
                .get::<StatefulSet>(ns, name)
                .map(k8sjson::copy),
        };
        obj.map(|o| status_line(&o)).transpose()
    };
    watch_status(
        s,
        &Watched {
            kind: "StatefulSet",
            resource: "statefulsets",
            ns,
            name,
            line: &line,
        },
        timeout,
        out,
    );
}

fn history(
    s: &mut Session,
    ns: &str,
    name: &str,
    sts: &StatefulSet,
    revision: Option<&str>,
    out: &mut Out,
) {
    let revs = revisions_of(s, ns, sts);
    // kubectl `pkg/polymorphichelpers/history.go` `printHistory` and
    // `pkg/cmd/rollout/rollout_history.go` (v0.35.0): the text is printed after
    // `statefulset.apps/<name> ` by the name printer, which adds a final newline.
    if revs.is_empty() {
        out.outln(format!(
            "statefulset.apps/{name} \nNo rollout history found."
        ));
        return;
    }
    if let Some(rev) = revision
        .and_then(|r| r.parse::<i64>().ok())
        .filter(|r| *r > 0)
    {
        let Some(cr) = revs.iter().find(|r| r.revision == rev) else {
            out.fail("error: unable to find the specified revision");
            return;
        };
        let Some(t) = cr
            .data
            .as_ref()
            .and_then(|d| sim::revision::template_from_data(&d.0))
        else {
            out.fail(format!(
                "error: unable to parse history {}",
                cr.metadata.name.clone().unwrap_or_default()
            ));
            return;
        };
        out.outln(format!("statefulset.apps/{name} with revision #{rev}"));
        out.out(crate::describe::pod_template_text(&t));
        out.out("\n");
        return;
    }
    let mut w = TabWriter::new(0, 2, false);
    w.write("REVISION\tCHANGE-CAUSE\n");
    for r in &revs {
        let cause = r
            .metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get("kubernetes.io/change-cause").cloned())
            .unwrap_or_else(|| "<none>".into());
        w.write(&format!("{}\t{cause}\n", r.revision));
    }
    out.outln(format!("statefulset.apps/{name} "));
    out.out(w.take());
    out.out("\n");
}

fn template_json(sts: &StatefulSet) -> Value {
    sts.spec
        .as_ref()
        .map_or(Value::Null, |s| k8sjson::to_value(&s.template))
}

/// `StatefulSetRollbacker.Rollback` (kubectl `pkg/polymorphichelpers/rollback.go`, v0.35.0):
/// a client dry run prints the template it would roll back to (`printPodTemplate`, the
/// describer's text with its tabs as they are) and skips the "already matches" check; a server
/// dry run sends the patch with `dryRun=All`.
#[allow(clippy::too_many_arguments)]
fn undo(
    s: &mut Session,
    ns: &str,
    name: &str,
    sts: &StatefulSet,
    to: Option<&str>,
    dry: DryRun,
    p: &crate::flags::Parsed,
    out: &mut Out,
) {
    let to_rev: i64 = to.and_then(|t| t.parse().ok()).unwrap_or(0);
    let revs = revisions_of(s, ns, sts);
    let target = if to_rev == 0 {
        if revs.len() < 2 {
            out.fail("error: no last revision to roll back to");
            return;
        }
        revs.get(revs.len() - 2).copied()
    } else {
        revs.iter().find(|r| r.revision == to_rev).copied()
    };
    let Some(target) = target else {
        out.fail(format!(
            "error: unable to find specified revision {to_rev} in history"
        ));
        return;
    };
    let Some(t) = target
        .data
        .as_ref()
        .and_then(|d| sim::revision::template_from_data(&d.0))
    else {
        out.fail(format!(
            "error: unable to find specified revision {to_rev} in history"
        ));
        return;
    };
    let want = k8sjson::to_value(&t);
    // kubectl prints the object it read (`printer.PrintObj(info.Object, …)`).
    let read = k8sjson::to_value(sts);
    if dry == DryRun::Client {
        let op = format!(
            "will roll back to {}",
            crate::describe::pod_template_text(&t)
        );
        crate::dryrun::report(out, p, Res::StatefulSet, name, &op, dry, &read);
        return;
    }
    if template_json(sts) == want {
        let op = format!("skipped rollback (current template already matches revision {to_rev})");
        crate::dryrun::report(out, p, Res::StatefulSet, name, &op, dry, &read);
        return;
    }
    let mut obj = read.clone();
    if let Some(spec) = obj.get_mut("spec").and_then(Value::as_object_mut) {
        spec.insert("template".into(), want);
    }
    if send_update(s, Res::StatefulSet, name, obj, dry, out).is_some() {
        crate::dryrun::report(out, p, Res::StatefulSet, name, "rolled back", dry, &read);
    }
}

fn restart(
    s: &mut Session,
    name: &str,
    sts: &StatefulSet,
    p: &crate::flags::Parsed,
    out: &mut Out,
) {
    let now = sim::time::to_k8s_time(s.cluster.now());
    let stamp = k8sjson::time::rfc3339(now.0);
    let mut obj = k8sjson::to_value(sts);
    let Some(tmpl) = obj
        .get_mut("spec")
        .and_then(|s| s.get_mut("template"))
        .and_then(Value::as_object_mut)
    else {
        out.fail("error: statefulset has no pod template");
        return;
    };
    let meta = tmpl
        .entry("metadata")
        .or_insert_with(|| Value::Object(Default::default()));
    if let Some(m) = meta.as_object_mut() {
        let ann = m
            .entry("annotations")
            .or_insert_with(|| Value::Object(Default::default()));
        if let Some(a) = ann.as_object_mut() {
            a.insert(
                "kubectl.kubernetes.io/restartedAt".into(),
                Value::String(stamp),
            );
        }
    }
    if let Some((_, returned)) = send_update(s, Res::StatefulSet, name, obj, DryRun::None, out) {
        crate::dryrun::report(
            out,
            p,
            Res::StatefulSet,
            name,
            "restarted",
            DryRun::None,
            &returned,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::apps::v1::{
        RollingUpdateStatefulSetStrategy, StatefulSetSpec, StatefulSetStatus,
        StatefulSetUpdateStrategy,
    };
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

    fn sts(
        gen_: i64,
        observed: i64,
        replicas: i32,
        ready: i32,
        updated: i32,
        ru: bool,
    ) -> StatefulSet {
        StatefulSet {
            metadata: ObjectMeta {
                generation: Some(gen_),
                ..Default::default()
            },
            spec: Some(StatefulSetSpec {
                replicas: Some(replicas),
                update_strategy: Some(StatefulSetUpdateStrategy {
                    type_: Some("RollingUpdate".into()),
                    rolling_update: ru.then(|| RollingUpdateStatefulSetStrategy {
                        partition: Some(0),
                        ..Default::default()
                    }),
                }),
                ..Default::default()
            }),
            status: Some(StatefulSetStatus {
                observed_generation: Some(observed),
                ready_replicas: Some(ready),
                updated_replicas: Some(updated),
                current_revision: Some("a".into()),
                update_revision: Some("b".into()),
                current_replicas: Some(5 - updated),
                ..Default::default()
            }),
        }
    }

    #[test]
    fn status_lines_follow_the_viewer() {
        assert_eq!(
            status_line(&sts(2, 1, 5, 5, 0, true)).unwrap().0,
            "Waiting for statefulset spec update to be observed..."
        );
        assert_eq!(
            status_line(&sts(2, 2, 5, 4, 1, true)).unwrap().0,
            "Waiting for 1 pods to be ready..."
        );
        assert_eq!(
            status_line(&sts(2, 2, 5, 5, 2, true)).unwrap().0,
            "Waiting for partitioned roll out to finish: 2 out of 5 new pods have been updated..."
        );
        assert_eq!(
            status_line(&sts(2, 2, 5, 5, 5, true)).unwrap(),
            (
                "partitioned roll out complete: 5 new pods have been updated...".into(),
                true
            )
        );
        assert_eq!(
            status_line(&sts(2, 2, 5, 5, 2, false)).unwrap().0,
            "waiting for statefulset rolling update to complete 2 pods at revision b..."
        );
        let mut ondelete = sts(1, 1, 1, 1, 1, false);
        ondelete
            .spec
            .as_mut()
            .unwrap()
            .update_strategy
            .as_mut()
            .unwrap()
            .type_ = Some("OnDelete".into());
        assert_eq!(
            status_line(&ondelete).unwrap_err(),
            "error: rollout status is only available for RollingUpdate strategy type"
        );
    }
}

//! `kubectl delete` (kubectl `pkg/cmd/delete/delete.go`), including its wait for the objects to go.

#[allow(unused_imports)]
use super::*;
use crate::dryrun::DryRun;

pub(super) const DELETE_FLAGS: &[Spec] = &[
    v("filename", Some('f')),
    b("recursive", Some('R')),
    v("selector", Some('l')),
    b("all", None),
    b("all-namespaces", Some('A')),
    i("grace-period", None),
    b("force", None),
    b("now", None),
    v("cascade", None),
    v("wait", None),
    b("ignore-not-found", None),
    v("timeout", None),
    v("output", Some('o')),
    crate::dryrun::FLAG,
    v("field-selector", None),
    b("interactive", Some('i')),
];

pub(super) fn delete(s: &mut Session, args: &[String], files: &dyn FileSource, out: &mut Out) {
    // `--wait` is a bool flag that also takes `--wait=false`; `--cascade` alone is
    // `--cascade=background` (its NoOptDefVal, kubectl `pkg/cmd/delete/delete_flags.go`).
    let args: Vec<String> = args
        .iter()
        .map(|a| {
            if a == "--wait" {
                "--wait=true".to_string()
            } else if a == "--cascade" {
                "--cascade=background".to_string()
            } else {
                a.clone()
            }
        })
        .collect();
    let Some(p) = parse_or_fail(&args, DELETE_FLAGS, "kubectl delete", out) else {
        return;
    };
    // `GetCascadingStrategy` (kubectl `pkg/cmd/delete/delete_flags.go`, v0.35.0), called by
    // `ToOptions` before `Complete`: a boolean (strconv.ParseBool) still works, with a warning.
    let propagation = match p.value("cascade") {
        None | Some("background") => Propagation::Background,
        Some("foreground") => Propagation::Foreground,
        Some("orphan") => Propagation::Orphan,
        Some(b @ ("1" | "t" | "T" | "TRUE" | "true" | "True")) => {
            out.err(format!("warning: --cascade={b} is deprecated (boolean value) and can be replaced with --cascade=background."));
            Propagation::Background
        }
        Some(b @ ("0" | "f" | "F" | "FALSE" | "false" | "False")) => {
            out.err(format!("warning: --cascade={b} is deprecated (boolean value) and can be replaced with --cascade=orphan."));
            Propagation::Orphan
        }
        Some(other) => {
            out.fail(format!("error: invalid cascade value ({other}). Must be \"background\", \"foreground\", or \"orphan\""));
            return;
        }
    };
    // `DeleteOptions.Complete` / `Validate` (kubectl `pkg/cmd/delete/delete.go`, v0.35.0).
    let given_grace = p.value("grace-period").and_then(|g| g.parse::<i64>().ok());
    if p.bool("now") && given_grace.is_some_and(|g| g != -1) {
        out.fail("error: --now and --grace-period cannot be specified together");
        return;
    }
    let output = p.value("output").unwrap_or("");
    let refused = if !output.is_empty() && output != "name" {
        Some(format!(
            "error: unexpected -o output mode: {output}. We only support '-o name'"
        ))
    } else if p.bool("all") && p.value("selector").is_some() {
        Some("error: cannot set --all and --selector at the same time".into())
    } else if p.bool("all") && p.value("field-selector").is_some() {
        Some("error: cannot set --all and --field-selector at the same time".into())
    } else if p.bool("force") && given_grace.is_some_and(|g| g > 0) {
        Some("error: --force and --grace-period greater than 0 cannot be specified together".into())
    } else {
        None
    };
    if let Some(e) = refused {
        out.fail(e);
        return;
    }
    let ns = namespace(&p);
    // `DeleteOptions.Complete` (kubectl `pkg/cmd/delete/delete.go`, v0.35.0).
    let Some(dry) = crate::dryrun::DryRun::from_flag(&p, s.cluster.now(), out) else {
        return;
    };
    let mut targets: Vec<(Res, String, String)> = Vec::new();
    // The file each target came from (kubectl names it in API errors): the i-th target's at i
    // (empty for targets named on the command line).
    let mut sources: Vec<String> = Vec::new();
    if !p.values("filename").is_empty() {
        let Some(t) = file_targets(&p, files, &ns, out) else {
            return;
        };
        for f in t {
            sources.push(f.file);
            targets.push((f.res, f.ns, f.name));
        }
    } else {
        if p.positional.is_empty() {
            out.fail(NO_RESOURCES);
            return;
        }
        let Some(t) = resolve_args(&p.positional, out) else {
            return;
        };
        let selector = match selector_flag(&p) {
            Ok(sel) => sel,
            Err(e) => {
                out.fail(e);
                return;
            }
        };
        let fields = match field_selector_flag(&p) {
            Ok(f) => f,
            Err(e) => {
                out.fail(e);
                return;
            }
        };
        for (r, name) in t {
            match name {
                Some(n) => targets.push((r, ns.clone(), n)),
                None => {
                    if selector.is_none() && fields.is_empty() && !p.bool("all") {
                        out.fail("error: resource(s) were provided, but no name was specified");
                        return;
                    }
                    let sel = selector.clone().unwrap_or_default();
                    for it in objects::list(s.cluster.store(), r, Some(&ns), s.cluster.now()) {
                        if objects::matches(&sel, &it.labels)
                            && objects::matches_fields(&fields, &it.json)
                        {
                            targets.push((r, it.namespace.clone(), it.name.clone()));
                        }
                    }
                }
            }
        }
        if targets.is_empty() {
            // `DeleteResult` (kubectl `pkg/cmd/delete/delete.go`, v0.35.0): `No resources
            // found` on stdout, without the namespace `get` names.
            out.outln("No resources found");
            return;
        }
    }
    let force = p.bool("force");
    let mut grace: Option<i64> = match p.value("grace-period").map(str::parse::<i64>) {
        None => None,
        Some(Ok(g)) if g >= 0 => Some(g),
        Some(Ok(_)) => None,
        Some(Err(_)) => {
            out.fail(format!(
                "error: invalid argument \"{}\" for \"--grace-period\" flag: strconv.ParseInt: parsing \"{}\": invalid syntax",
                p.value("grace-period").unwrap_or(""),
                p.value("grace-period").unwrap_or("")
            ));
            return;
        }
    };
    if p.bool("now") {
        grace = Some(1);
    }
    if force && grace.is_none() {
        grace = Some(0);
    }
    if grace == Some(0) && !force {
        // kubectl: --grace-period=0 without --force means 1 second.
        grace = Some(1);
    }
    if force {
        out.err("Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.");
    }
    let wait = p.value("wait") != Some("false");
    let mut deleted: Vec<(Res, String, String, Option<String>)> = Vec::new();
    for (i, (r, tns, name)) in targets.into_iter().enumerate() {
        let uid = uid_of(s, r, &tns, &name);
        // A client dry run sends nothing (and named objects are not read first:
        // `RequireObject(false)`); a server dry run sends the DELETE with `dryRun=All`.
        if dry != DryRun::Client {
            let cmd = Command::Delete {
                resource: r.plural().to_string(),
                ns: tns.clone(),
                name: name.clone(),
                grace_seconds: grace,
                propagation,
            };
            let res = dry.send(&mut s.cluster, cmd);
            if let Err(e) = res {
                if p.bool("ignore-not-found")
                    && matches!(e, SimError::Api(ApiError::NotFound { .. }))
                {
                    continue;
                }
                let line = sim_error_line(&e, None);
                // kubectl `pkg/cmd/delete/delete.go` `deleteResource` wraps API errors of
                // objects read from a file with `cmdutil.AddSourceToErr("deleting", …)`
                // (`pkg/cmd/util/helpers.go`, v0.35.0).
                let line = match (sources.get(i), line.split_once("): ")) {
                    (Some(file), Some((head, msg))) if line.starts_with("Error from server (") => {
                        format!("{head}): error when deleting \"{file}\": {msg}")
                    }
                    _ => line,
                };
                out.fail(line);
                if matches!(e, SimError::Api(ApiError::NotFound { .. })) {
                    not_found_hint(s, r, &tns, &name, out);
                }
                continue;
            }
        }
        if p.value("output") == Some("name") {
            out.outln(format!("{}/{name}", r.name_prefix()));
        } else {
            let op = if force { "force deleted" } else { "deleted" };
            let ns_part = if r.namespaced() {
                format!(" from {tns} namespace")
            } else {
                String::new()
            };
            out.outln(format!(
                "{} \"{name}\" {op}{ns_part}{}",
                r.name_prefix(),
                dry.suffix()
            ));
        }
        deleted.push((r, tns, name, uid));
    }
    // `If we are dry-running, then we don't want to wait`.
    if dry.is_dry() {
        return;
    }
    for (r, tns, name, _) in &deleted {
        if *r == Res::Pod
            && let Some(o) = s
                .cluster
                .store()
                .get::<Pod>(tns, name)
                .and_then(|p| k8sjson::copy(&p.metadata.owner_references))
                .and_then(|o| o.into_iter().find(|o| o.kind == "StatefulSet"))
            && recreated_by(s, tns, name, &o)
        {
            out.hint(format!(
                "the StatefulSet {} recreates {name} with the same name and the same volume claims",
                o.name
            ));
        }
    }
    if wait && !force {
        wait_for_deletion(s, &deleted, out);
    }
}

/// Whether the owning StatefulSet will make the pod again: it exists (the same object the
/// pod names), is not being deleted, and the pod's ordinal is still in its range.
fn recreated_by(
    s: &Session,
    ns: &str,
    pod: &str,
    owner: &k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference,
) -> bool {
    let Some(set) = s.cluster.store().get::<StatefulSet>(ns, &owner.name) else {
        return false;
    };
    if set.metadata.uid.as_deref() != Some(owner.uid.as_str())
        || set.metadata.deletion_timestamp.is_some()
    {
        return false;
    }
    let spec = set.spec.as_ref();
    let start = i64::from(
        spec.and_then(|sp| sp.ordinals.as_ref())
            .and_then(|o| o.start)
            .unwrap_or(0),
    );
    let replicas = i64::from(spec.and_then(|sp| sp.replicas).unwrap_or(1));
    pod.strip_prefix(&format!("{}-", owner.name))
        .and_then(|n| n.parse::<i64>().ok())
        .is_some_and(|n| n >= start && n < start + replicas)
}

/// kubectl delete waits (default `--wait=true`) until the objects are gone: run the
/// simulation until then, bounded; if they stay, say why.
pub(super) fn uid_of(s: &Session, r: Res, ns: &str, name: &str) -> Option<String> {
    objects::get(s.cluster.store(), r, ns, name, 0).and_then(|it| {
        it.json
            .get("metadata")
            .and_then(|m| m.get("uid"))
            .and_then(Value::as_str)
            .map(str::to_string)
    })
}

pub(super) fn wait_for_deletion(
    s: &mut Session,
    deleted: &[(Res, String, String, Option<String>)],
    out: &mut Out,
) {
    // Gone = no object with the uid that was deleted (a recreated object has a new uid).
    let still_there = |s: &Session| -> Vec<usize> {
        deleted
            .iter()
            .enumerate()
            .filter(|(_, (r, ns, n, uid))| uid.is_some() && uid_of(s, *r, ns, n) == *uid)
            .map(|(i, _)| i)
            .collect()
    };
    let start = s.cluster.now();
    let mut steps = 0;
    while !still_there(s).is_empty()
        && s.cluster
            .next_event_time()
            .is_some_and(|n| n.saturating_sub(start) <= MAX_WATCH_MS)
        && steps < MAX_WATCH_STEPS
    {
        if s.cluster.step().is_none() {
            break;
        }
        steps += 1;
    }
    for i in still_there(s) {
        let Some((r, ns, n, _)) = deleted.get(i) else {
            continue;
        };
        // `sim why` lines start with "<name> is Terminating: "; the hint says that already.
        let lead = format!("{n} is Terminating: ");
        let why: Vec<String> = s
            .cluster
            .why(r.kind(), ns, n)
            .into_iter()
            .map(|w| w.strip_prefix(&lead).map(str::to_string).unwrap_or(w))
            .collect();
        let reason = if why.is_empty() {
            String::new()
        } else {
            format!(": {}", why.join("; "))
        };
        out.hint(format!(
            "{} \"{n}\" is still Terminating{reason}. A real `kubectl delete` keeps waiting here (Ctrl-C to get the prompt back); this playground returns",
            r.name_prefix()
        ));
    }
}

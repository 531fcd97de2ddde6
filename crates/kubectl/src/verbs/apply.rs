//! `kubectl apply -f` / `kubectl create -f` (kubectl `pkg/cmd/apply/apply.go`, `pkg/cmd/create/create.go`).

#[allow(unused_imports)]
use super::*;

pub(super) const APPLY_FLAGS: &[Spec] = &[
    v("filename", Some('f')),
    b("recursive", Some('R')),
    v("output", Some('o')),
    b("server-side", None),
    v("dry-run", None),
    v("validate", None),
    b("force-conflicts", None),
    v("field-manager", None),
    b("prune", None),
    v("selector", Some('l')),
    b("overwrite", None),
    b("save-config", None),
];

/// Read `-f` paths into (source name, text) pairs.
pub(crate) fn read_files(
    paths: &[String],
    recursive: bool,
    files: &dyn FileSource,
    out: &mut Out,
) -> Option<Vec<(String, String)>> {
    let mut docs = Vec::new();
    let mut queue: Vec<(String, bool)> = paths
        .iter()
        .flat_map(|p| {
            p.split(',')
                .map(|x| (x.to_string(), true))
                .collect::<Vec<_>>()
        })
        .collect();
    let mut seen = 0usize;
    while let Some((p, top)) = (!queue.is_empty()).then(|| queue.remove(0)) {
        seen += 1;
        if seen > 512 {
            break;
        }
        if crate::examples::is_url(&p) {
            match crate::examples::lookup(&p) {
                Some(text) => docs.push((p, text.to_string())),
                None => {
                    out.fail(crate::examples::unknown_url(&p));
                    return None;
                }
            }
            continue;
        }
        match files.read(&p) {
            Ok(FsEntry::File(t)) => docs.push((p, t)),
            Ok(FsEntry::Dir(entries)) => {
                if !top && !recursive {
                    continue;
                }
                for e in entries {
                    let is_manifest =
                        e.ends_with(".yaml") || e.ends_with(".yml") || e.ends_with(".json");
                    if is_manifest || recursive {
                        queue.push((e, false));
                    }
                }
            }
            Err(e) => {
                out.fail(format!("error: {e}"));
                return None;
            }
        }
    }
    Some(docs)
}

pub(super) fn api_error_line(e: &ApiError, creating: Option<&str>) -> String {
    match (e, creating) {
        (ApiError::AlreadyExists { resource, name }, Some(file)) => format!(
            "Error from server (AlreadyExists): error when creating \"{file}\": {} \"{name}\" already exists",
            qualify(resource)
        ),
        (ApiError::NotFound { resource, name }, _) => {
            format!(
                "Error from server (NotFound): {} \"{name}\" not found",
                qualify(resource)
            )
        }
        (ApiError::AlreadyExists { resource, name }, None) => {
            format!(
                "Error from server (AlreadyExists): {} \"{name}\" already exists",
                qualify(resource)
            )
        }
        (other, _) => other.to_string(),
    }
}

pub(super) fn qualify(plural: &str) -> String {
    resources::ALL
        .iter()
        .find(|r| r.plural() == plural || r.qualified_plural() == plural)
        .map_or_else(|| plural.to_string(), |r| r.qualified_plural())
}

pub(crate) fn sim_error_line(e: &SimError, creating: Option<&str>) -> String {
    match e {
        SimError::Api(a) => api_error_line(a, creating),
        other => other.to_string(),
    }
}

pub(super) fn res_of(obj: &AnyObject) -> Option<Res> {
    Res::lookup(obj.kind())
}

pub(super) fn apply(
    s: &mut Session,
    args: &[String],
    files: &dyn FileSource,
    out: &mut Out,
    create: bool,
) {
    let path = if create {
        "kubectl create"
    } else {
        "kubectl apply"
    };
    let Some(p) = parse_or_fail(args, APPLY_FLAGS, path, out) else {
        return;
    };
    let paths = p.values("filename");
    if paths.is_empty() {
        if create {
            out.fail("error: must specify one of -f and -k");
        } else {
            out.fail("error: must specify one of -f and -k\n\nSee 'kubectl apply -h' for help and examples");
        }
        return;
    }
    if let Some(extra) = p.positional.first() {
        out.fail(format!(
            "error: Unexpected args: [{extra}]\nSee '{path} -h' for help and examples"
        ));
        return;
    }
    let ns = namespace(&p);
    let Some(docs) = read_files(&paths, p.bool("recursive"), files, out) else {
        return;
    };
    let output_name = p.value("output") == Some("name");
    let dry = p.value("dry-run").filter(|d| *d != "none");
    let mut any = false;
    for (file, text) in docs {
        for d in intake::parse(&text, &file) {
            let parsed = match d {
                intake::DocResult::Ok(parsed) => parsed,
                intake::DocResult::Err(diag) => {
                    out.fail(&diag.message);
                    if let Some(h) = diag.hint {
                        out.hint(h);
                    }
                    continue;
                }
            };
            any = true;
            for w in &parsed.warnings {
                if let Some(h) = &w.hint {
                    out.hint(h.clone());
                }
            }
            let mut obj = parsed.object;
            if obj.namespaced() && obj.metadata().namespace.is_none() {
                obj.metadata_mut().namespace = Some(ns.clone());
            } else if let Some(file_ns) = obj
                .metadata()
                .namespace
                .clone()
                .filter(|n| obj.namespaced() && p.has("namespace") && *n != ns)
            {
                out.fail(format!(
                    "error: the namespace from the provided object \"{file_ns}\" does not match the namespace \"{ns}\". You must pass '--namespace={file_ns}' to perform this operation."
                ));
                continue;
            }
            let Some(res) = res_of(&obj) else {
                out.fail(format!(
                    "error: resource mapping not found for name: \"{}\"",
                    obj.name()
                ));
                continue;
            };
            let obj_ns = obj.metadata().namespace.clone().unwrap_or_default();
            let name = obj.name().to_string();
            if !create {
                // Client-side apply records what was applied: the manifest as written (not
                // the defaulted object), with the namespace kubectl's builder filled in and
                // the annotations it had minus this one (an empty map when there were none),
                // keys sorted (kubectl `pkg/util/apply.go` `GetModifiedConfiguration`, v0.35.0).
                let recorded = last_applied_record(&parsed.raw, &obj);
                let ann = obj
                    .metadata_mut()
                    .annotations
                    .get_or_insert_with(BTreeMap::new);
                ann.insert(
                    "kubectl.kubernetes.io/last-applied-configuration".into(),
                    format!("{}\n", sim::revision::go_json(&recorded)),
                );
                if let Some(old) =
                    objects::get(s.cluster.store(), res, &obj_ns, &name, s.cluster.now())
                    && let Ok(old_obj) = any_from_json(res, &old.json)
                {
                    if let Err(diag) = intake::validate_update(&old_obj, &obj) {
                        out.fail(&diag.message);
                        if let Some(h) = diag.hint {
                            out.hint(h);
                        }
                        continue;
                    }
                    // kubectl `apply.go` (warningNoLastAppliedConfigAnnotation): an object made
                    // by `create` has no record of what was applied, so nothing is removed.
                    let has_last = old_obj
                        .metadata()
                        .annotations
                        .as_ref()
                        .is_some_and(|a| a.contains_key(sim::cluster::LAST_APPLIED));
                    if !has_last && dry.is_none() {
                        out.err(format!(
                            "Warning: resource {}/{name} is missing the {} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.",
                            res.plural(),
                            sim::cluster::LAST_APPLIED
                        ));
                    }
                }
            }
            if let Some(d) = dry {
                let suffix = if d == "server" {
                    " (server dry run)"
                } else {
                    " (dry run)"
                };
                // An existing object would be patched: kubectl says "configured" (or
                // "unchanged"; the dry run here does not diff, so it says "configured").
                let exists = objects::get(s.cluster.store(), res, &obj_ns, &name, 0).is_some();
                if create && exists {
                    out.fail(format!(
                        "Error from server (AlreadyExists): error when creating \"{file}\": {} \"{name}\" already exists",
                        res.qualified_plural()
                    ));
                    continue;
                }
                let word = if exists { "configured" } else { "created" };
                out.outln(format!("{}/{name} {word}{suffix}", res.name_prefix()));
                continue;
            }
            let sent_max_unavailable = sets_max_unavailable(&obj);
            let cmd = if create {
                Command::Create(obj)
            } else {
                Command::Apply(obj)
            };
            match s.cluster.apply(cmd) {
                Ok(a) => {
                    let word = match a.outcome {
                        Outcome::Created => "created",
                        Outcome::Configured => "configured",
                        Outcome::Unchanged => "unchanged",
                        _ => "configured",
                    };
                    if output_name {
                        out.outln(format!("{}/{name}", res.name_prefix()));
                    } else if p.bool("server-side") {
                        out.outln(format!("{}/{name} serverside-applied", res.name_prefix()));
                    } else {
                        out.outln(format!("{}/{name} {word}", res.name_prefix()));
                    }
                    max_unavailable_dropped_hint(sent_max_unavailable, a.object.as_ref(), out);
                }
                Err(e) => {
                    let line = sim_error_line(&e, Some(&file));
                    out.fail(line);
                }
            }
        }
    }
    if !any && !out.failed {
        out.fail("error: no objects passed to apply");
    }
}

/// Whether a StatefulSet sets `rollingUpdate.maxUnavailable`.
pub(crate) fn sets_max_unavailable(o: &AnyObject) -> bool {
    match o {
        AnyObject::StatefulSet(set) => set
            .spec
            .as_ref()
            .and_then(|sp| sp.update_strategy.as_ref())
            .and_then(|u| u.rolling_update.as_ref())
            .is_some_and(|r| r.max_unavailable.is_some()),
        _ => false,
    }
}

/// A hint (ours) when the apiserver dropped the `maxUnavailable` the user sent because the
/// MaxUnavailableStatefulSet gate is off (`dropStatefulSetDisabledFields`).
pub(crate) fn max_unavailable_dropped_hint(sent: bool, stored: Option<&AnyObject>, out: &mut Out) {
    if sent && stored.is_some_and(|o| !sets_max_unavailable(o)) {
        out.hint(
            "maxUnavailable was dropped: the MaxUnavailableStatefulSet feature gate is off \
             (beta, off by default since v1.35.4), so pods are updated one at a time; \
             `sim feature-gates MaxUnavailableStatefulSet=true` turns it on",
        );
    }
}

/// The last-applied-configuration record of `raw` (the document as written) for `obj`.
fn last_applied_record(raw: &Value, obj: &AnyObject) -> Value {
    let mut v = raw.clone();
    if let Some(m) = v.as_object_mut() {
        let meta = m
            .entry("metadata")
            .or_insert_with(|| Value::Object(serde_json::Map::new()));
        if !meta.is_object() {
            *meta = Value::Object(serde_json::Map::new());
        }
        if let Some(meta) = meta.as_object_mut() {
            let mut ann = meta
                .get("annotations")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            ann.remove(sim::cluster::LAST_APPLIED);
            meta.insert("annotations".into(), Value::Object(ann));
            // Ours: a file written by `kubectl edit` here (the live object) would record
            // the server's bookkeeping too; real `kubectl edit` patches the live object and
            // keeps the record free of it, so drop it and re-applying stays `unchanged`.
            for k in [
                "uid",
                "resourceVersion",
                "generation",
                "creationTimestamp",
                "managedFields",
            ] {
                meta.remove(k);
            }
            if let Some(ns) = obj
                .metadata()
                .namespace
                .clone()
                .filter(|_| obj.namespaced())
            {
                meta.insert("namespace".into(), Value::String(ns));
            }
        }
        m.remove("status");
    }
    v
}

pub(crate) fn any_from_json(res: Res, v: &Value) -> Result<AnyObject, String> {
    let e = |e: serde_json::Error| e.to_string();
    let v = v.clone();
    Ok(match res {
        Res::StatefulSet => AnyObject::StatefulSet(Box::new(serde_json::from_value(v).map_err(e)?)),
        Res::Pod => AnyObject::Pod(Box::new(serde_json::from_value(v).map_err(e)?)),
        Res::Service => AnyObject::Service(Box::new(serde_json::from_value(v).map_err(e)?)),
        Res::Pvc => {
            AnyObject::PersistentVolumeClaim(Box::new(serde_json::from_value(v).map_err(e)?))
        }
        Res::Pv => AnyObject::PersistentVolume(Box::new(serde_json::from_value(v).map_err(e)?)),
        Res::StorageClass => {
            AnyObject::StorageClass(Box::new(serde_json::from_value(v).map_err(e)?))
        }
        Res::ConfigMap => AnyObject::ConfigMap(Box::new(serde_json::from_value(v).map_err(e)?)),
        Res::Secret => AnyObject::Secret(Box::new(serde_json::from_value(v).map_err(e)?)),
        Res::Namespace => AnyObject::Namespace(Box::new(serde_json::from_value(v).map_err(e)?)),
        Res::Node => AnyObject::Node(Box::new(serde_json::from_value(v).map_err(e)?)),
        Res::ControllerRevision => {
            AnyObject::ControllerRevision(Box::new(serde_json::from_value(v).map_err(e)?))
        }
        other => {
            return Err(format!(
                "{} cannot be modified in this playground",
                other.plural()
            ));
        }
    })
}

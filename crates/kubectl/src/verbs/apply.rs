//! `kubectl apply -f` / `kubectl create -f` (kubectl `pkg/cmd/apply/apply.go`, `pkg/cmd/create/create.go`).

#[allow(unused_imports)]
use super::*;
use crate::dryrun::DryRun;

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
    b("record", None),
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

/// The builder's error when neither `-f` nor a resource argument names anything
/// (cli-runtime `pkg/resource/builder.go`, `Do`).
pub(crate) const NO_RESOURCES: &str = "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'";

/// The objects `-f` names, as cli-runtime's builder visits them (`pkg/resource/builder.go`
/// `visitByPaths`, v0.35.0): in file order, each with its file, namespace (the file's, else
/// `ns`) and the document as written; resource arguments beside `-f` are the builder's errors.
/// A document that does not decode is printed and skipped (`ContinueOnError`).
pub(crate) fn file_targets(
    p: &flags::Parsed,
    files: &dyn FileSource,
    ns: &str,
    out: &mut Out,
) -> Option<Vec<FileTarget>> {
    if let Some(a) = p.positional.first() {
        out.fail(if a.contains('/') {
            "error: resource/name arguments cannot be provided when a path is specified"
        } else {
            "error: when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well"
        });
        return None;
    }
    let docs = read_files(&p.values("filename"), p.bool("recursive"), files, out)?;
    let mut targets = Vec::new();
    for (file, text) in docs {
        for d in intake::parse(&text, &file) {
            match d {
                intake::DocResult::Ok(parsed) => {
                    let o = parsed.object;
                    if let Some(res) = res_of(&o) {
                        targets.push(FileTarget {
                            res,
                            ns: o
                                .metadata()
                                .namespace
                                .clone()
                                .unwrap_or_else(|| ns.to_string()),
                            name: o.name().to_string(),
                            file: file.clone(),
                            raw: parsed.raw,
                        });
                    }
                }
                intake::DocResult::Err(diag) => out.fail(diag.message),
            }
        }
    }
    Some(targets)
}

/// One object named by `-f` ([`file_targets`]).
pub(crate) struct FileTarget {
    pub(crate) res: Res,
    pub(crate) ns: String,
    pub(crate) name: String,
    pub(crate) file: String,
    /// The document as written (what kubectl's printers get for `-f` objects).
    pub(crate) raw: Value,
}

pub(super) fn api_error_line(e: &ApiError, creating: Option<&str>) -> String {
    match (e, creating) {
        (ApiError::AlreadyExists { resource, name }, Some(file)) => format!(
            "Error from server (AlreadyExists): error when creating \"{file}\": {} \"{name}\" already exists",
            qualify(resource)
        ),
        // A create refused by NamespaceLifecycle names its file (`AddSourceToErr`).
        (ApiError::NotFound { resource, name }, Some(file)) => format!(
            "Error from server (NotFound): error when creating \"{file}\": {} \"{name}\" not found",
            qualify(resource)
        ),
        (ApiError::NotFound { resource, name }, None) => {
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
    let cause = record_flag(&p, path.trim_start_matches("kubectl "), out);
    // `Complete` reads the dry-run strategy; `ApplyOptions.Validate` then refuses a client
    // dry run of a server-side apply (kubectl `pkg/cmd/apply/apply.go`, v0.35.0).
    let Some(dry) = DryRun::from_flag(&p, s.cluster.now(), out) else {
        return;
    };
    if !create && dry == DryRun::Client && p.bool("server-side") {
        out.fail("error: --dry-run=client doesn't work with --server-side (did you mean --dry-run=server instead?)");
        return;
    }
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
    // `-o yaml|json`: the objects instead of the lines (apply: `printObjects` at the end, one
    // object or a List; create: each object as it goes, YAML documents separated by `---`).
    let print_objects = matches!(p.value("output"), Some("yaml") | Some("json"));
    if !print_objects
        && !output_name
        && p.value("output").is_some_and(|o| !o.is_empty())
        && !crate::dryrun::check_output(&p, out)
    {
        return;
    }
    let mut printed: Vec<Value> = Vec::new();
    // What kubectl prints for one object: `-o name` → TYPE/NAME, else TYPE/NAME OPERATION
    // with the dry-run suffix.
    let report = |out: &mut Out,
                  printed: &mut Vec<Value>,
                  res: Res,
                  name: &str,
                  word: &str,
                  obj: Option<Value>| {
        if print_objects && let Some(o) = obj {
            printed.push(strip_managed(o));
        } else if output_name {
            out.outln(format!("{}/{name}", res.name_prefix()));
        } else {
            out.outln(format!(
                "{}/{name} {word}{}",
                res.name_prefix(),
                dry.suffix()
            ));
        }
    };
    let mut any = false;
    let gates = s.cluster.controller_config().gates;
    for (file, text) in docs {
        for d in intake::parse_with(&text, &file, s.cfg.version, &gates) {
            let parsed = match d {
                intake::DocResult::Ok(parsed) => parsed,
                intake::DocResult::Err(diag) => {
                    // A client dry run sends nothing: what only the apiserver refuses (unknown
                    // fields, wrong types, validation) goes unnoticed, and kubectl reports the
                    // object as created or configured (server-side field validation replaced
                    // kubectl's own schema check; `--dry-run=server` asks the apiserver).
                    if dry == DryRun::Client
                        && matches!(
                            diag.class,
                            intake::ErrorClass::BadRequest | intake::ErrorClass::Invalid
                        )
                        && let Some(subject) = &diag.subject
                        && let Some(res) = Res::lookup(&subject.kind)
                    {
                        any = true;
                        let obj_ns = subject.namespace.clone().unwrap_or_else(|| ns.clone());
                        let exists = !create
                            && objects::get(s.cluster.store(), res, &obj_ns, &subject.name, 0)
                                .is_some();
                        let word = if exists { "configured" } else { "created" };
                        report(out, &mut printed, res, &subject.name, word, None);
                        out.hint(format!(
                            "a client-side dry run sends nothing, so nothing checked {}/{}: the API server refuses it (`{path} --dry-run=server` shows why)",
                            res.name_prefix(),
                            subject.name
                        ));
                        continue;
                    }
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
            let mut raw = parsed.raw;
            // `create --save-config` (create.go `RunCreate`: `CreateOrUpdateAnnotation` before
            // `Recorder.Record`) records the object read, as apply does, without the cause.
            let save_config = (create && p.bool("save-config")).then(|| raw.clone());
            // `Recorder.Record` on the object read, before apply computes its record
            // (apply.go `applyOneObject`) and before create sends it (create.go `RunCreate`).
            if let Some(c) = &cause {
                put_cause(&mut raw, c);
                obj.metadata_mut()
                    .annotations
                    .get_or_insert_with(BTreeMap::new)
                    .insert(CHANGE_CAUSE.into(), c.clone());
            }
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
            if let Some(read) = &save_config {
                let recorded = last_applied_record(read, &obj);
                obj.metadata_mut()
                    .annotations
                    .get_or_insert_with(BTreeMap::new)
                    .insert(
                        sim::cluster::LAST_APPLIED.into(),
                        format!("{}\n", sim::revision::go_json(&recorded)),
                    );
            }
            let obj_ns = obj.metadata().namespace.clone().unwrap_or_default();
            let name = obj.name().to_string();
            if !create {
                // Client-side apply records what was applied: the manifest as written (not
                // the defaulted object), with the namespace kubectl's builder filled in and
                // the annotations it had minus this one (an empty map when there were none),
                // keys sorted (kubectl `pkg/util/apply.go` `GetModifiedConfiguration`, v0.35.0).
                let recorded = last_applied_record(&raw, &obj);
                let ann = obj
                    .metadata_mut()
                    .annotations
                    .get_or_insert_with(BTreeMap::new);
                ann.insert(
                    "kubectl.kubernetes.io/last-applied-configuration".into(),
                    format!("{}\n", sim::revision::go_json(&recorded)),
                );
                if dry != DryRun::Client
                    && let Some(old) =
                        objects::get(s.cluster.store(), res, &obj_ns, &name, s.cluster.now())
                    && let Ok(old_obj) = any_from_json(res, &old.json)
                {
                    if let Err(diag) = intake::validate_update_with(
                        &old_obj,
                        &obj,
                        s.cfg.version,
                        &s.cluster.controller_config().gates,
                    ) {
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
                    if !has_last {
                        out.err(format!(
                            "Warning: resource {}/{name} is missing the {} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.",
                            res.plural(),
                            sim::cluster::LAST_APPLIED
                        ));
                    }
                }
            }
            if dry == DryRun::Client {
                // Nothing is sent: `create` says created; `apply` reads the object and says
                // configured when it exists (it computes no patch, so never `unchanged`).
                let live = if create {
                    None
                } else {
                    objects::get(s.cluster.store(), res, &obj_ns, &name, 0)
                };
                let exists = live.is_some();
                // What kubectl prints: for an object that exists, what `info.Get()` read (apply
                // sends nothing and prints the live object); else the object as read from the
                // file (not defaulted), with the namespace the builder fills in and, for apply,
                // the annotation `CreateApplyAnnotation` adds.
                let sent = print_objects.then(|| {
                    if let Some(l) = &live {
                        return l.json.clone();
                    }
                    let mut v = raw.clone();
                    if let Some(meta) = v.get_mut("metadata").and_then(Value::as_object_mut) {
                        if obj.namespaced() {
                            meta.insert("namespace".into(), Value::String(obj_ns.clone()));
                        }
                        if let Some(a) = obj
                            .metadata()
                            .annotations
                            .as_ref()
                            .and_then(|a| a.get(sim::cluster::LAST_APPLIED))
                            .filter(|_| !create)
                        {
                            let anns = meta
                                .entry("annotations")
                                .or_insert_with(|| Value::Object(Default::default()));
                            if let Some(m) = anns.as_object_mut() {
                                m.insert(
                                    sim::cluster::LAST_APPLIED.into(),
                                    Value::String(a.clone()),
                                );
                            }
                        }
                    }
                    v
                });
                report(
                    out,
                    &mut printed,
                    res,
                    &name,
                    if exists { "configured" } else { "created" },
                    sent,
                );
                continue;
            }
            let sent_max_unavailable = sets_max_unavailable(&obj);
            let cmd = if create {
                Command::Create(obj)
            } else {
                Command::Apply(obj)
            };
            let applied = dry.send(&mut s.cluster, cmd);
            match applied {
                Ok(a) => {
                    let word = if p.bool("server-side") {
                        "serverside-applied"
                    } else {
                        match a.outcome {
                            Outcome::Created => "created",
                            Outcome::Unchanged => "unchanged",
                            _ => "configured",
                        }
                    };
                    report(
                        out,
                        &mut printed,
                        res,
                        &name,
                        word,
                        a.object.as_ref().map(AnyObject::to_json),
                    );
                    max_unavailable_dropped_hint(
                        sent_max_unavailable,
                        a.object.as_ref(),
                        s.cfg.version,
                        out,
                    );
                }
                Err(e) => {
                    let line = sim_error_line(&e, Some(&file));
                    out.fail(line);
                }
            }
        }
    }
    if !printed.is_empty() {
        let json = p.value("output") == Some("json");
        if create || printed.len() == 1 {
            for (i, o) in printed.iter().enumerate() {
                if json {
                    out.out(crate::output::json(o));
                } else {
                    if i > 0 {
                        out.out("---\n");
                    }
                    out.out(crate::output::yaml(o));
                }
            }
        } else {
            let list = crate::output::list_of(printed);
            out.out(if json {
                crate::output::json(&list)
            } else {
                crate::output::yaml(&list)
            });
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
/// MaxUnavailableStatefulSet gate is off (`dropStatefulSetDisabledFields`); the gate's stage
/// and default are those of the cluster's version (`sim::config::Gate::spec`).
pub(crate) fn max_unavailable_dropped_hint(
    sent: bool,
    stored: Option<&AnyObject>,
    version: sim::config::K8sVersion,
    out: &mut Out,
) {
    if sent && stored.is_some_and(|o| !sets_max_unavailable(o)) {
        let gate = sim::config::Gate::MaxUnavailableStatefulSet;
        let about = match gate.spec(version) {
            Some(spec) => match spec.default_since {
                Some(since) => format!(" ({}, off by default since {since})", spec.stage.as_str()),
                None => format!(
                    " ({}, off by default in v{})",
                    spec.stage.as_str(),
                    version.as_str()
                ),
            },
            None => String::new(),
        };
        out.hint(format!(
            "maxUnavailable was dropped: the MaxUnavailableStatefulSet feature gate is off{about}, \
             so pods are updated one at a time; \
             `sim feature-gates MaxUnavailableStatefulSet=true` turns it on"
        ));
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
        Res::StatefulSet => AnyObject::StatefulSet(Box::new(k8sjson::from_value(v).map_err(e)?)),
        Res::Deployment => AnyObject::Deployment(Box::new(k8sjson::from_value(v).map_err(e)?)),
        Res::ReplicaSet => AnyObject::ReplicaSet(Box::new(k8sjson::from_value(v).map_err(e)?)),
        Res::Pod => AnyObject::Pod(Box::new(k8sjson::from_value(v).map_err(e)?)),
        Res::Service => AnyObject::Service(Box::new(k8sjson::from_value(v).map_err(e)?)),
        Res::Pvc => AnyObject::PersistentVolumeClaim(Box::new(k8sjson::from_value(v).map_err(e)?)),
        Res::Pv => AnyObject::PersistentVolume(Box::new(k8sjson::from_value(v).map_err(e)?)),
        Res::StorageClass => AnyObject::StorageClass(Box::new(k8sjson::from_value(v).map_err(e)?)),
        Res::ConfigMap => AnyObject::ConfigMap(Box::new(k8sjson::from_value(v).map_err(e)?)),
        Res::Secret => AnyObject::Secret(Box::new(k8sjson::from_value(v).map_err(e)?)),
        Res::Namespace => AnyObject::Namespace(Box::new(k8sjson::from_value(v).map_err(e)?)),
        Res::Node => AnyObject::Node(Box::new(k8sjson::from_value(v).map_err(e)?)),
        Res::ControllerRevision => {
            AnyObject::ControllerRevision(Box::new(k8sjson::from_value(v).map_err(e)?))
        }
        Res::PodDisruptionBudget => {
            AnyObject::PodDisruptionBudget(Box::new(k8sjson::from_value(v).map_err(e)?))
        }
        other => {
            return Err(format!(
                "{} cannot be modified in this playground",
                other.plural()
            ));
        }
    })
}

/// `kubectl create namespace NAME` (kubectl `pkg/cmd/create/create_namespace.go`, v0.35.0):
/// a Namespace with that name, validated as the apiserver does, `namespace/NAME created`.
// Not inlined into `verbs::run`, so the release build can move it to the second wasm module
// when a first visit does not run it (issue #17, xtask/src/split.rs).
#[inline(never)]
pub(super) fn create_namespace(s: &mut Session, args: &[String], out: &mut Out) {
    let Some(p) = parse_or_fail(
        args,
        &[crate::dryrun::FLAG],
        "kubectl create namespace",
        out,
    ) else {
        return;
    };
    let Some(dry) = DryRun::from_flag(&p, s.cluster.now(), out) else {
        return;
    };
    // The subcommand word (`namespace`/`ns`) is the first positional.
    let names = p.positional.get(1..).unwrap_or_default();
    let [name] = names else {
        out.fail(format!(
            "error: exactly one NAME is required, got {}\nSee 'kubectl create namespace -h' for help and examples",
            names.len()
        ));
        return;
    };
    let text = format!("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {name}\n");
    let obj = match intake::parse_for(&text, "namespace", s.cfg.version)
        .into_iter()
        .next()
    {
        Some(intake::DocResult::Ok(parsed)) => parsed.object,
        Some(intake::DocResult::Err(d)) => {
            out.fail(d.message);
            return;
        }
        None => return,
    };
    if dry == DryRun::Client {
        out.outln(format!("namespace/{name} created (dry run)"));
        return;
    }
    let cmd = Command::Create(obj);
    let applied = dry.send(&mut s.cluster, cmd);
    match applied {
        Ok(_) if dry == DryRun::Server => {
            out.outln(format!("namespace/{name} created (server dry run)"))
        }
        Ok(_) => out.outln(format!("namespace/{name} created")),
        Err(e) => out.fail(sim_error_line(&e, None)),
    }
}

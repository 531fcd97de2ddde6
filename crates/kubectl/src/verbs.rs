//! The kubectl verbs: each parses its flags (kubectl's flag set for that command), turns the
//! request into simulation [`Command`]s or store reads, and prints what kubectl prints.
//! Sources for messages are cited per verb (kubectl `pkg/cmd/<verb>/<verb>.go`).

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{ControllerRevision, StatefulSet};
use k8s_openapi::api::core::v1::{PersistentVolumeClaim, Pod};
use serde_json::Value;
use sim::command::{Command, Outcome, Propagation, SimError};
use sim::object::AnyObject;
use sim::store::{ApiError, Verb, Written};

use crate::flags::{self, Spec, b, v};
use crate::objects::{self, Item};
use crate::output;
use crate::printers::{self, TableOpts};
use crate::resources::{self, Res};
use crate::session::{FileSource, FsEntry, MAX_WATCH_MS, MAX_WATCH_STEPS, Out, Session};
use crate::table::TabWriter;

const KUBECTL_VERSION: &str = "v1.35.0";

/// Run `kubectl ARGS`.
pub(crate) fn run(s: &mut Session, args: &[String], files: &dyn FileSource, out: &mut Out) {
    // The verb is the first word that is not a global flag or its value.
    let mut i = 0;
    let mut verb_at = None;
    while let Some(a) = args.get(i) {
        if a.starts_with('-') {
            let takes_value = matches!(
                a.as_str(),
                "-n" | "--namespace" | "--context" | "--kubeconfig" | "--cluster" | "--user"
            );
            i += if takes_value { 2 } else { 1 };
            continue;
        }
        verb_at = Some(i);
        break;
    }
    let Some(at) = verb_at else {
        if args.iter().any(|a| a == "--help" || a == "-h") || args.is_empty() {
            out.outln("kubectl controls the Kubernetes cluster manager.\n\n Find more information at: https://kubernetes.io/docs/reference/kubectl/\n\nCommands in this playground: apply create get describe delete scale set image patch label annotate edit rollout logs exec explain cordon uncordon drain api-resources version cluster-info config");
            return;
        }
        out.fail(format!(
            "error: unknown flag: {}\nSee 'kubectl --help' for usage.",
            args.first().map_or("", String::as_str)
        ));
        return;
    };
    let verb = args.get(at).cloned().unwrap_or_default();
    let mut rest: Vec<String> = args.iter().take(at).cloned().collect();
    rest.extend(args.iter().skip(at + 1).cloned());
    match verb.as_str() {
        "apply" => apply(s, &rest, files, out, false),
        "create" => apply(s, &rest, files, out, true),
        "get" => get(s, &rest, out),
        "describe" => describe(s, &rest, out),
        "delete" => delete(s, &rest, files, out),
        "scale" => scale(s, &rest, out),
        "set" => set(s, &rest, out),
        "patch" => patch(s, &rest, out),
        "label" => label(s, &rest, out, true),
        "annotate" => label(s, &rest, out, false),
        "edit" => edit(s, &rest, out),
        "rollout" => crate::rollout::run(s, &rest, out),
        "logs" => logs(s, &rest, out),
        "exec" => exec(s, &rest, out),
        "explain" => crate::explain::run(&rest, out),
        "cordon" | "uncordon" => cordon(s, &rest, out, verb == "cordon"),
        "drain" => drain(s, &rest, out),
        "api-resources" => api_resources(&rest, out),
        "version" => version(&rest, out),
        "cluster-info" => cluster_info(&rest, out),
        "config" => config(&rest, out),
        "wait" => wait(s, &rest, out),
        "events" => events(s, &rest, out),
        "run" | "expose" | "autoscale" | "port-forward" | "proxy" | "cp" | "attach" | "top" | "certificate"
        | "auth" | "debug" | "diff" | "kustomize" | "replace" | "plugin" | "completion" | "alpha"
        | "taint" | "auto-scale" | "cluster" => out.fail(format!(
            "error: `kubectl {verb}` is a real kubectl command that this playground does not simulate"
        )),
        other => out.fail(format!(
            "error: unknown command \"{other}\" for \"kubectl\"\nRun 'kubectl --help' for usage."
        )),
    }
}

pub(crate) fn namespace(p: &flags::Parsed) -> String {
    p.value("namespace").unwrap_or("default").to_string()
}

pub(crate) fn parse_or_fail(
    args: &[String],
    specs: &[Spec],
    path: &str,
    out: &mut Out,
) -> Option<flags::Parsed> {
    match flags::parse(args, specs, path) {
        Ok(p) => {
            if p.bool("help") {
                out.outln(format!("Usage: {path} [options] (this playground simulates a subset; see the kubectl reference)"));
                return None;
            }
            Some(p)
        }
        Err(e) => {
            out.fail(e);
            None
        }
    }
}

pub(crate) fn unknown_type(out: &mut Out, word: &str) {
    out.fail(format!(
        "error: the server doesn't have a resource type \"{word}\""
    ));
}

/// `TYPE NAME…`, `TYPE/NAME…`, `TYPE1,TYPE2`: resolved to (resource, optional name) pairs.
pub(crate) fn resolve_args(args: &[String], out: &mut Out) -> Option<Vec<(Res, Option<String>)>> {
    let Some(first) = args.first() else {
        return Some(Vec::new());
    };
    let slash = args.iter().any(|a| a.contains('/'));
    if slash {
        if args.iter().any(|a| !a.contains('/')) {
            out.fail("error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'");
            return None;
        }
        let mut v = Vec::new();
        for a in args {
            let (t, n) = a.split_once('/').unwrap_or((a, ""));
            let Some(r) = Res::lookup(t) else {
                unknown_type(out, t);
                return None;
            };
            v.push((r, Some(n.to_string())));
        }
        return Some(v);
    }
    let mut types = Vec::new();
    for t in first.split(',') {
        if t == "all" {
            types.extend([Res::Pod, Res::Service, Res::StatefulSet]);
            continue;
        }
        let Some(r) = Res::lookup(t) else {
            unknown_type(out, t);
            return None;
        };
        types.push(r);
    }
    let names: Vec<String> = args.iter().skip(1).cloned().collect();
    if names.is_empty() {
        return Some(types.into_iter().map(|r| (r, None)).collect());
    }
    if types.len() > 1 {
        out.fail("error: you must specify only one resource");
        return None;
    }
    let r = types.first().copied()?;
    Some(names.into_iter().map(|n| (r, Some(n))).collect())
}

pub(crate) fn not_found(res: Res, name: &str) -> String {
    format!(
        "Error from server (NotFound): {} \"{name}\" not found",
        res.qualified_plural()
    )
}

/// Learner hint after a NotFound: the seed's `web-N` / `data-web-N` names.
pub(crate) fn not_found_hint(s: &Session, res: Res, ns: &str, name: &str, out: &mut Out) {
    let sets: Vec<&StatefulSet> = s.cluster.store().list::<StatefulSet>(Some(ns)).collect();
    let looks_ordinal = name
        .rsplit_once('-')
        .is_some_and(|(_, n)| !n.is_empty() && n.bytes().all(|c| c.is_ascii_digit()));
    if !looks_ordinal {
        return;
    }
    for set in sets {
        let sname = set.metadata.name.clone().unwrap_or_default();
        match res {
            Res::Pod => out.hint(format!(
                "this StatefulSet's pods are named {sname}-N (e.g. {sname}-1)"
            )),
            Res::Pvc => {
                let claims: Vec<String> = set
                    .spec
                    .as_ref()
                    .and_then(|sp| sp.volume_claim_templates.as_ref())
                    .map(|v| v.iter().filter_map(|c| c.metadata.name.clone()).collect())
                    .unwrap_or_default();
                for c in claims {
                    out.hint(format!(
                        "this StatefulSet's claims are named {c}-{sname}-N (e.g. {c}-{sname}-1)"
                    ));
                }
            }
            _ => {}
        }
    }
}

// ------------------------------------------------------------------------------------------
// apply / create

const APPLY_FLAGS: &[Spec] = &[
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

fn api_error_line(e: &ApiError, creating: Option<&str>) -> String {
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

fn qualify(plural: &str) -> String {
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

fn res_of(obj: &AnyObject) -> Option<Res> {
    Res::lookup(obj.kind())
}

fn apply(s: &mut Session, args: &[String], files: &dyn FileSource, out: &mut Out, create: bool) {
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
                // Client-side apply records what was applied.
                let mut recorded = obj.to_json();
                if let Some(m) = recorded.as_object_mut() {
                    m.remove("status");
                }
                let ann = obj
                    .metadata_mut()
                    .annotations
                    .get_or_insert_with(BTreeMap::new);
                ann.insert(
                    "kubectl.kubernetes.io/last-applied-configuration".into(),
                    format!(
                        "{}\n",
                        sim::revision::go_json(&strip_server_fields(recorded))
                    ),
                );
                if let Some(old) =
                    objects::get(s.cluster.store(), res, &obj_ns, &name, s.cluster.now())
                    && let Ok(old_obj) = any_from_json(res, &old.json)
                    && let Err(diag) = intake::validate_update(&old_obj, &obj)
                {
                    out.fail(&diag.message);
                    if let Some(h) = diag.hint {
                        out.hint(h);
                    }
                    continue;
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

fn strip_server_fields(mut v: Value) -> Value {
    if let Some(meta) = v.get_mut("metadata").and_then(Value::as_object_mut) {
        for k in [
            "uid",
            "resourceVersion",
            "generation",
            "creationTimestamp",
            "managedFields",
        ] {
            meta.remove(k);
        }
        if let Some(a) = meta.get_mut("annotations").and_then(Value::as_object_mut) {
            a.remove("kubectl.kubernetes.io/last-applied-configuration");
            if a.is_empty() {
                meta.remove("annotations");
            }
        }
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

// ------------------------------------------------------------------------------------------
// get

const GET_FLAGS: &[Spec] = &[
    v("output", Some('o')),
    v("selector", Some('l')),
    b("watch", Some('w')),
    b("watch-only", None),
    b("all-namespaces", Some('A')),
    b("show-labels", None),
    v("label-columns", Some('L')),
    b("no-headers", None),
    v("sort-by", None),
    v("field-selector", None),
    v("chunk-size", None),
    b("ignore-not-found", None),
    v("filename", Some('f')),
    b("show-kind", None),
    b("output-watch-events", None),
    v("subresource", None),
    b("show-managed-fields", None),
];

enum Format {
    Table {
        wide: bool,
    },
    Name,
    Yaml,
    Json,
    JsonPath(String),
    /// `custom-columns=HEADER:.path,...`
    Custom(Vec<(String, String)>),
}

fn output_format(o: Option<&str>, out: &mut Out) -> Option<Format> {
    let Some(o) = o else {
        return Some(Format::Table { wide: false });
    };
    Some(match o {
        "wide" => Format::Table { wide: true },
        "name" => Format::Name,
        x if x.starts_with("custom-columns=") => {
            let spec = x.trim_start_matches("custom-columns=");
            let mut cols = Vec::new();
            for part in spec.split(',').filter(|p| !p.is_empty()) {
                let Some((h, path)) = part.split_once(':') else {
                    out.fail(format!("error: unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>"));
                    return None;
                };
                let path = path.trim();
                let path = if path.starts_with('{') {
                    path.to_string()
                } else {
                    format!("{{{path}}}")
                };
                cols.push((h.to_string(), path));
            }
            if cols.is_empty() {
                out.fail("error: custom-columns format specified but no custom columns given");
                return None;
            }
            Format::Custom(cols)
        }
        "yaml" => Format::Yaml,
        "json" => Format::Json,
        x if x.starts_with("jsonpath=") || x.starts_with("jsonpath-as-json=") => Format::JsonPath(
            x.split_once('=')
                .map(|(_, t)| t.to_string())
                .unwrap_or_default(),
        ),
        other => {
            out.fail(format!(
                "error: unable to match a printer suitable for the output format \"{other}\", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml"
            ));
            return None;
        }
    })
}

fn strip_managed(mut v: Value) -> Value {
    if let Some(m) = v.get_mut("metadata").and_then(Value::as_object_mut) {
        m.remove("managedFields");
    }
    v
}

fn get(s: &mut Session, args: &[String], out: &mut Out) {
    let Some(p) = parse_or_fail(args, GET_FLAGS, "kubectl get", out) else {
        return;
    };
    let Some(format) = output_format(p.value("output"), out) else {
        return;
    };
    if p.positional.is_empty() {
        out.fail("You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples");
        return;
    }
    let Some(targets) = resolve_args(&p.positional, out) else {
        return;
    };
    let ns = namespace(&p);
    let all_ns = p.bool("all-namespaces");
    let selector = match p.value("selector").map(objects::parse_selector).transpose() {
        Ok(sel) => sel.unwrap_or_default(),
        Err(e) => {
            out.fail(e);
            return;
        }
    };
    let fields = match p
        .value("field-selector")
        .map(objects::parse_field_selector)
        .transpose()
    {
        Ok(f) => f.unwrap_or_default(),
        Err(e) => {
            out.fail(e);
            return;
        }
    };
    let now = s.cluster.now();
    let label_columns: Vec<String> = p
        .values("label-columns")
        .iter()
        .flat_map(|l| l.split(',').map(str::to_string).collect::<Vec<_>>())
        .filter(|l| !l.is_empty())
        .collect();
    let types: Vec<Res> = {
        let mut t: Vec<Res> = Vec::new();
        for (r, _) in &targets {
            if !t.contains(r) {
                t.push(*r);
            }
        }
        t
    };
    let with_kind =
        types.len() > 1 || p.bool("show-kind") || p.positional.first().is_some_and(|a| a == "all");
    let mut errors: Vec<String> = Vec::new();
    // Gather items per type, in order.
    let mut groups: Vec<(Res, Vec<Item>)> = Vec::new();
    let mut named = false;
    for r in &types {
        let mut items = Vec::new();
        for (tr, name) in targets.iter().filter(|(tr, _)| tr == r) {
            match name {
                Some(n) => {
                    named = true;
                    match objects::get(s.cluster.store(), *tr, &ns, n, now) {
                        Some(it) => items.push(it),
                        None => {
                            if !p.bool("ignore-not-found") {
                                errors.push(not_found(*tr, n));
                                not_found_hint(s, *tr, &ns, n, out);
                            }
                        }
                    }
                }
                None => {
                    let list_ns = if all_ns { None } else { Some(ns.as_str()) };
                    items.extend(
                        objects::list(s.cluster.store(), *tr, list_ns, now)
                            .into_iter()
                            .filter(|it| {
                                objects::matches(&selector, &it.labels)
                                    && objects::matches_fields(&fields, &it.json)
                            }),
                    );
                }
            }
        }
        if let Some(sort) = p.value("sort-by") {
            let path = if sort.starts_with('{') {
                sort.to_string()
            } else {
                format!("{{{sort}}}")
            };
            items.sort_by_key(|it| output::jsonpath(&path, &it.json).unwrap_or_default());
        }
        groups.push((*r, items));
    }
    let total: usize = groups.iter().map(|(_, i)| i.len()).sum();
    let single_object = named && targets.len() == 1 && total == 1;
    match &format {
        Format::Table { wide } => {
            let opts = TableOpts {
                wide: *wide,
                show_labels: p.bool("show-labels"),
                label_columns: label_columns.clone(),
                all_namespaces: all_ns,
                no_headers: p.bool("no-headers"),
                with_kind,
                watch_events: p.bool("output-watch-events"),
            };
            if p.bool("watch") || p.bool("watch-only") {
                watch(
                    s,
                    &groups,
                    &opts,
                    &selector,
                    &targets,
                    &ns,
                    all_ns,
                    p.bool("watch-only"),
                    out,
                );
                for e in errors {
                    out.fail(e);
                }
                return;
            }
            let mut first = true;
            for (r, items) in &groups {
                if items.is_empty() {
                    continue;
                }
                if !first {
                    out.out("\n");
                }
                first = false;
                let rows: Vec<printers::Row> = items.iter().map(|i| i.row.clone()).collect();
                let mut o = opts.clone();
                if !r.namespaced() {
                    o.all_namespaces = false;
                }
                out.out(printers::table(*r, &rows, &o));
            }
        }
        Format::Custom(cols) => {
            // cli-runtime CustomColumnsPrinter: headers as written, one row per object,
            // `<none>` for an empty result, several results joined by commas.
            let mut rows: Vec<Vec<String>> = Vec::new();
            if !p.bool("no-headers") {
                rows.push(cols.iter().map(|(h, _)| h.clone()).collect());
            }
            for (_, items) in &groups {
                for it in items {
                    let mut row = Vec::new();
                    for (_, path) in cols {
                        let cell = match output::jsonpath_values(path, &it.json) {
                            Ok(v) if v.iter().all(String::is_empty) => "<none>".to_string(),
                            Ok(v) => v.join(","),
                            Err(e) => {
                                out.fail(e);
                                return;
                            }
                        };
                        row.push(cell);
                    }
                    rows.push(row);
                }
            }
            if total > 0 {
                out.out(crate::table::render(&rows));
            }
        }
        Format::Name => {
            for (r, items) in &groups {
                for it in items {
                    out.outln(format!("{}/{}", r.name_prefix(), it.name));
                }
            }
        }
        Format::Yaml | Format::Json | Format::JsonPath(_) => {
            let values: Vec<Value> = groups
                .iter()
                .flat_map(|(_, items)| items.iter().map(|i| strip_managed(i.json.clone())))
                .collect();
            let doc = if single_object {
                values.into_iter().next().unwrap_or(Value::Null)
            } else {
                output::list_of(values)
            };
            match &format {
                Format::Yaml => out.out(output::yaml(&doc)),
                Format::Json => out.out(output::json(&doc)),
                Format::JsonPath(t) => match output::jsonpath(t, &doc) {
                    Ok(text) => out.out(text),
                    Err(e) => out.fail(e),
                },
                Format::Table { .. } | Format::Name | Format::Custom(_) => {}
            }
        }
    }
    if total == 0 && errors.is_empty() && !named {
        let namespaced = types.iter().any(|r| r.namespaced());
        if all_ns || !namespaced {
            out.err("No resources found");
        } else {
            out.err(format!("No resources found in {ns} namespace."));
        }
        let seedish = types
            .iter()
            .any(|r| matches!(r, Res::Pod | Res::StatefulSet | Res::Pvc));
        if seedish
            && s.cluster
                .store()
                .list::<StatefulSet>(Some(&ns))
                .next()
                .is_none()
        {
            out.hint("no StatefulSet exists yet: `kubectl apply -f svc.yaml -f sts.yaml` creates the seed");
        }
    }
    for e in errors {
        out.fail(e);
    }
}

fn event_cell(o: &TableOpts, event: &str) -> String {
    if o.watch_events {
        format!("{event}\t")
    } else {
        String::new()
    }
}

/// `get -w` stops (with a hint) when no row came for this long while the cluster still had
/// events pending (a crash loop, a stuck rollout).
pub const WATCH_QUIET_MS: sim::time::SimTime = 5 * 60 * 1000;

/// `get -w`: the current table, then one row per watch event while the simulation runs
/// (bounded), widths remembered as kubectl's watch printer does.
#[allow(clippy::too_many_arguments)]
fn watch(
    s: &mut Session,
    groups: &[(Res, Vec<Item>)],
    opts: &TableOpts,
    selector: &[objects::Req],
    targets: &[(Res, Option<String>)],
    ns: &str,
    all_ns: bool,
    watch_only: bool,
    out: &mut Out,
) {
    let Some((res, items)) = groups.first() else {
        return;
    };
    if groups.len() > 1 {
        out.fail("error: you may only specify a single resource type");
        return;
    }
    let res = *res;
    let names: Vec<String> = targets.iter().filter_map(|(_, n)| n.clone()).collect();
    let mut o = opts.clone();
    if !res.namespaced() {
        o.all_namespaces = false;
    }
    let mut tw = TabWriter::kubectl_table();
    let mut header_done = false;
    if !watch_only && !items.is_empty() {
        if !o.no_headers {
            tw.write(&printers::header_cells(res, &o).join("\t"));
            tw.write("\n");
        }
        header_done = true;
        for it in items {
            tw.write(&event_cell(&o, "ADDED"));
            tw.write(&printers::row_cells(res, &it.row, &o).join("\t"));
            tw.write("\n");
        }
        tw.flush();
    }
    let start = s.cluster.now();
    let mut steps = 0usize;
    let mut bounded = false;
    let mut last_row = start;
    while let Some(next) = s.cluster.next_event_time() {
        if steps >= MAX_WATCH_STEPS
            || next.saturating_sub(start) > MAX_WATCH_MS
            || next > last_row.saturating_add(WATCH_QUIET_MS)
        {
            bounded = true;
            break;
        }
        let Some(report) = s.cluster.step() else {
            break;
        };
        steps += 1;
        let mut printed_untraced: Vec<(String, String)> = Vec::new();
        for w in &report.writes {
            if w.resource != res.plural() {
                continue;
            }
            if res.namespaced() && !all_ns && w.namespace != ns {
                continue;
            }
            if !names.is_empty() && !names.contains(&w.name) {
                continue;
            }
            let row = match w.object.as_deref() {
                Some(Written::Pod(p)) if res == Res::Pod => Some(printers::pod_row(p, report.time)),
                Some(Written::Pvc(c)) if res == Res::Pvc => Some(printers::pvc_row(c, report.time)),
                Some(Written::StatefulSet(st)) if res == Res::StatefulSet => {
                    Some(printers::statefulset_row(st, report.time))
                }
                Some(Written::Revision(r)) if res == Res::ControllerRevision => {
                    Some(printers::controllerrevision_row(r, report.time))
                }
                _ => {
                    let key = (w.namespace.clone(), w.name.clone());
                    if printed_untraced.contains(&key) {
                        None
                    } else {
                        printed_untraced.push(key);
                        objects::get(s.cluster.store(), res, &w.namespace, &w.name, report.time)
                            .map(|i| i.row)
                    }
                }
            };
            let Some(row) = row else { continue };
            if !objects::matches(selector, &row.labels) {
                continue;
            }
            if w.verb == Verb::Removed && w.object.is_none() {
                continue;
            }
            if !header_done {
                if !o.no_headers {
                    tw.write(&printers::header_cells(res, &o).join("\t"));
                    tw.write("\n");
                }
                header_done = true;
            }
            let event = match w.verb {
                Verb::Create => "ADDED",
                Verb::Removed => "DELETED",
                _ => "MODIFIED",
            };
            tw.write(&event_cell(&o, event));
            tw.write(&printers::row_cells(res, &row, &o).join("\t"));
            tw.write("\n");
            tw.flush();
            last_row = report.time;
        }
    }
    out.out(tw.take());
    if bounded {
        out.hint(format!(
            "stopped watching after {} simulated events / {}: events are still pending but nothing here changes (see `sim why`); a real `kubectl get -w` keeps running until Ctrl-C",
            steps,
            crate::duration::human_duration(i128::from(s.cluster.now().saturating_sub(start)))
        ));
    }
}

// ------------------------------------------------------------------------------------------
// describe

const DESCRIBE_FLAGS: &[Spec] = &[
    v("selector", Some('l')),
    b("all-namespaces", Some('A')),
    v("filename", Some('f')),
    b("show-events", None),
    v("chunk-size", None),
];

fn describe(s: &mut Session, args: &[String], out: &mut Out) {
    let Some(p) = parse_or_fail(args, DESCRIBE_FLAGS, "kubectl describe", out) else {
        return;
    };
    if p.positional.is_empty() {
        out.fail("You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nSee 'kubectl describe -h' for help and examples");
        return;
    }
    let Some(targets) = resolve_args(&p.positional, out) else {
        return;
    };
    let ns = namespace(&p);
    let selector = match p.value("selector").map(objects::parse_selector).transpose() {
        Ok(sel) => sel.unwrap_or_default(),
        Err(e) => {
            out.fail(e);
            return;
        }
    };
    let now = s.cluster.now();
    let mut texts: Vec<String> = Vec::new();
    let mut errors = Vec::new();
    for (r, name) in &targets {
        match name {
            Some(n) => match describe_one(s, *r, &ns, n) {
                Some(t) => texts.push(t),
                None => {
                    // describe.go DescribeMatchingResources: a name that is not found is
                    // tried as a prefix of the names of that type.
                    let matching: Vec<String> =
                        objects::list(s.cluster.store(), *r, Some(&ns), now)
                            .into_iter()
                            .filter(|it| it.name.starts_with(n.as_str()))
                            .map(|it| it.name)
                            .collect();
                    if matching.is_empty() {
                        errors.push(not_found(*r, n));
                        not_found_hint(s, *r, &ns, n, out);
                    }
                    for m in matching {
                        if let Some(t) = describe_one(s, *r, &ns, &m) {
                            texts.push(t);
                        }
                    }
                }
            },
            None => {
                let list_ns = if p.bool("all-namespaces") {
                    None
                } else {
                    Some(ns.as_str())
                };
                for it in objects::list(s.cluster.store(), *r, list_ns, now) {
                    if objects::matches(&selector, &it.labels)
                        && let Some(t) = describe_one(s, *r, &it.namespace, &it.name)
                    {
                        texts.push(t);
                    }
                }
            }
        }
    }
    // describe.go: the first description, then "\n\n" before each next one.
    for (i, t) in texts.iter().enumerate() {
        if i > 0 {
            out.out("\n\n");
        }
        out.out(t.clone());
    }
    if texts.is_empty() && errors.is_empty() {
        if p.bool("all-namespaces") {
            out.err("No resources found");
        } else {
            out.err(format!("No resources found in {ns} namespace."));
        }
    }
    for e in errors {
        out.fail(e);
    }
}

fn describe_one(s: &Session, r: Res, ns: &str, name: &str) -> Option<String> {
    let store = s.cluster.store();
    let now = s.cluster.now();
    use crate::describe as d;
    Some(match r {
        Res::Pod => d::pod(store, store.get::<Pod>(ns, name)?, now),
        Res::StatefulSet => d::statefulset(store, store.get::<StatefulSet>(ns, name)?, now),
        Res::Pvc => d::pvc(store, store.get::<PersistentVolumeClaim>(ns, name)?, now),
        Res::Pv => d::pv(
            store,
            store.get::<k8s_openapi::api::core::v1::PersistentVolume>(ns, name)?,
            now,
        ),
        Res::Service => d::service(
            store,
            store.get::<k8s_openapi::api::core::v1::Service>(ns, name)?,
            now,
        ),
        Res::StorageClass => d::storageclass(
            store,
            store.get::<k8s_openapi::api::storage::v1::StorageClass>(ns, name)?,
            now,
        ),
        Res::Node => d::node(
            store,
            store.get::<k8s_openapi::api::core::v1::Node>(ns, name)?,
            now,
        ),
        other => {
            let it = objects::get(store, other, ns, name, now)?;
            let meta: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta =
                serde_json::from_value(it.json.get("metadata").cloned().unwrap_or(Value::Null))
                    .ok()?;
            d::generic(store, other.kind(), &meta, now)
        }
    })
}

// ------------------------------------------------------------------------------------------
// delete

const DELETE_FLAGS: &[Spec] = &[
    v("filename", Some('f')),
    b("recursive", Some('R')),
    v("selector", Some('l')),
    b("all", None),
    b("all-namespaces", Some('A')),
    v("grace-period", None),
    b("force", None),
    b("now", None),
    v("cascade", None),
    v("wait", None),
    b("ignore-not-found", None),
    v("timeout", None),
    v("output", Some('o')),
    v("dry-run", None),
    v("field-selector", None),
    b("interactive", Some('i')),
];

fn delete(s: &mut Session, args: &[String], files: &dyn FileSource, out: &mut Out) {
    // `--wait` is a bool flag that also takes `--wait=false`.
    let args: Vec<String> = args
        .iter()
        .map(|a| {
            if a == "--wait" {
                "--wait=true".to_string()
            } else {
                a.clone()
            }
        })
        .collect();
    let Some(p) = parse_or_fail(&args, DELETE_FLAGS, "kubectl delete", out) else {
        return;
    };
    let ns = namespace(&p);
    let mut targets: Vec<(Res, String, String)> = Vec::new();
    let file_paths = p.values("filename");
    if !file_paths.is_empty() {
        let Some(docs) = read_files(&file_paths, p.bool("recursive"), files, out) else {
            return;
        };
        for (file, text) in docs {
            for d in intake::parse(&text, &file) {
                match d {
                    intake::DocResult::Ok(parsed) => {
                        let o = parsed.object;
                        if let Some(r) = res_of(&o) {
                            let ons = o.metadata().namespace.clone().unwrap_or_else(|| ns.clone());
                            targets.push((r, ons, o.name().to_string()));
                        }
                    }
                    intake::DocResult::Err(diag) => out.fail(diag.message),
                }
            }
        }
    } else {
        if p.positional.is_empty() {
            out.fail("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'");
            return;
        }
        let Some(t) = resolve_args(&p.positional, out) else {
            return;
        };
        let selector = match p.value("selector").map(objects::parse_selector).transpose() {
            Ok(sel) => sel,
            Err(e) => {
                out.fail(e);
                return;
            }
        };
        let fields = match p
            .value("field-selector")
            .map(objects::parse_field_selector)
            .transpose()
        {
            Ok(f) => f.unwrap_or_default(),
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
            out.err(format!("No resources found in {ns} namespace."));
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
    let propagation = match p.value("cascade") {
        None | Some("background") | Some("true") => Propagation::Background,
        Some("foreground") => Propagation::Foreground,
        Some("orphan") | Some("false") => Propagation::Orphan,
        Some(other) => {
            out.fail(format!("error: invalid cascade value ({other}). Must be \"background\", \"foreground\", or \"orphan\""));
            return;
        }
    };
    let wait = p.value("wait") != Some("false");
    let dry = p.value("dry-run").filter(|d| *d != "none");
    let mut deleted: Vec<(Res, String, String, Option<String>)> = Vec::new();
    for (r, tns, name) in targets {
        let uid = uid_of(s, r, &tns, &name);
        if dry.is_none() {
            let res = s.cluster.apply(Command::Delete {
                resource: r.plural().to_string(),
                ns: tns.clone(),
                name: name.clone(),
                grace_seconds: grace,
                propagation,
            });
            if let Err(e) = res {
                if p.bool("ignore-not-found")
                    && matches!(e, SimError::Api(ApiError::NotFound { .. }))
                {
                    continue;
                }
                out.fail(sim_error_line(&e, None));
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
            let dry_part = match dry {
                Some("server") => " (server dry run)",
                Some(_) => " (dry run)",
                None => "",
            };
            out.outln(format!(
                "{} \"{name}\" {op}{ns_part}{dry_part}",
                r.name_prefix()
            ));
        }
        deleted.push((r, tns, name, uid));
    }
    if dry.is_some() {
        return;
    }
    for (r, tns, name, _) in &deleted {
        if *r == Res::Pod {
            let owner = s
                .cluster
                .store()
                .get::<Pod>(tns, name)
                .and_then(|p| p.metadata.owner_references.clone())
                .and_then(|o| o.into_iter().find(|o| o.kind == "StatefulSet"));
            if let Some(o) = owner {
                out.hint(format!("the StatefulSet {} recreates {name} with the same name and the same volume claims", o.name));
            }
        }
    }
    if wait && !force {
        wait_for_deletion(s, &deleted, out);
    }
}

/// kubectl delete waits (default `--wait=true`) until the objects are gone: run the
/// simulation until then, bounded; if they stay, say why.
fn uid_of(s: &Session, r: Res, ns: &str, name: &str) -> Option<String> {
    objects::get(s.cluster.store(), r, ns, name, 0).and_then(|it| {
        it.json
            .get("metadata")
            .and_then(|m| m.get("uid"))
            .and_then(Value::as_str)
            .map(str::to_string)
    })
}

fn wait_for_deletion(
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
        let why = s.cluster.why(r.kind(), ns, n);
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

// ------------------------------------------------------------------------------------------
// scale

fn scale(s: &mut Session, args: &[String], out: &mut Out) {
    let specs = [
        v("replicas", None),
        v("current-replicas", None),
        v("resource-version", None),
        v("timeout", None),
        v("selector", Some('l')),
        b("all", None),
        v("filename", Some('f')),
        v("output", Some('o')),
    ];
    let Some(p) = parse_or_fail(args, &specs, "kubectl scale", out) else {
        return;
    };
    let Some(replicas) = p.value("replicas") else {
        out.fail("error: required flag(s) \"replicas\" not set");
        return;
    };
    let replicas: i32 = match replicas.parse() {
        Ok(r) => r,
        Err(_) => {
            out.fail(format!(
                "error: invalid argument \"{replicas}\" for \"--replicas\" flag: strconv.ParseInt: parsing \"{replicas}\": invalid syntax"
            ));
            return;
        }
    };
    if p.positional.is_empty() {
        out.fail("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'");
        return;
    }
    let Some(targets) = resolve_args(&p.positional, out) else {
        return;
    };
    let ns = namespace(&p);
    for (r, name) in targets {
        let Some(name) = name else {
            out.fail("error: resource(s) were provided, but no name was specified");
            return;
        };
        if r != Res::StatefulSet {
            out.fail(format!(
                "error: no scaler has been implemented for {{\"{}\" \"{}\"}}",
                r.group(),
                r.kind()
            ));
            continue;
        }
        if let Some(cur) = p
            .value("current-replicas")
            .and_then(|c| c.parse::<i32>().ok())
        {
            let actual = s
                .cluster
                .store()
                .get::<StatefulSet>(&ns, &name)
                .and_then(|st| st.spec.as_ref().and_then(|sp| sp.replicas));
            if actual.is_some() && actual != Some(cur) {
                out.fail(format!(
                    "error: Expected replicas to be {cur}, was {}",
                    actual.unwrap_or(0)
                ));
                continue;
            }
        }
        match s.cluster.apply(Command::Scale {
            ns: ns.clone(),
            name: name.clone(),
            replicas,
        }) {
            Ok(_) => out.outln(format!("statefulset.apps/{name} scaled")),
            Err(e) => {
                out.fail(sim_error_line(&e, None));
            }
        }
    }
}

// ------------------------------------------------------------------------------------------
// set image

fn set(s: &mut Session, args: &[String], out: &mut Out) {
    let Some((sub, rest)) = args.split_first() else {
        out.fail(
            "error: Required resource not specified.\nSee 'kubectl set -h' for help and examples",
        );
        return;
    };
    if sub != "image" {
        out.fail(format!("error: unknown command \"{sub}\" for \"kubectl set\"\nRun 'kubectl set --help' for usage."));
        return;
    }
    let specs = [
        b("all", None),
        v("selector", Some('l')),
        v("filename", Some('f')),
        b("local", None),
        v("output", Some('o')),
        v("dry-run", None),
    ];
    let Some(p) = parse_or_fail(rest, &specs, "kubectl set image", out) else {
        return;
    };
    let ns = namespace(&p);
    // Split positional into resources and NAME=IMAGE pairs.
    let (pairs, res_args): (Vec<String>, Vec<String>) =
        p.positional.iter().cloned().partition(|a| a.contains('='));
    if pairs.is_empty() {
        out.fail("error: at least one image update is required\nSee 'kubectl set image -h' for help and examples");
        return;
    }
    let Some(targets) = resolve_args(&res_args, out) else {
        return;
    };
    if targets.is_empty() {
        out.fail("error: one or more resources must be specified as <resource> <name> or <resource>/<name>\nSee 'kubectl set image -h' for help and examples");
        return;
    }
    for (r, name) in targets {
        let Some(name) = name else {
            out.fail("error: resource(s) were provided, but no name was specified");
            return;
        };
        let Some(item) = objects::get(s.cluster.store(), r, &ns, &name, 0) else {
            out.fail(not_found(r, &name));
            not_found_hint(s, r, &ns, &name, out);
            continue;
        };
        let mut obj = item.json.clone();
        let spec_path: &str = match r {
            Res::StatefulSet => "/spec/template/spec",
            Res::Pod => "/spec",
            _ => {
                out.fail(format!(
                    "error: {}/{name} is not a resource with containers",
                    r.name_prefix()
                ));
                continue;
            }
        };
        let mut changed = false;
        let mut missing: Option<String> = None;
        {
            let Some(cur) = obj.pointer_mut(spec_path) else {
                out.fail(format!("error: {}/{name} has no pod spec", r.name_prefix()));
                continue;
            };
            for pair in &pairs {
                let (cname, image) = pair.split_once('=').unwrap_or((pair, ""));
                let mut found = false;
                for list in ["initContainers", "containers"] {
                    if let Some(cs) = cur.get_mut(list).and_then(Value::as_array_mut) {
                        for c in cs.iter_mut() {
                            if cname == "*" || c.get("name").and_then(Value::as_str) == Some(cname)
                            {
                                found = true;
                                if c.get("image").and_then(Value::as_str) != Some(image)
                                    && let Some(m) = c.as_object_mut()
                                {
                                    m.insert("image".into(), Value::String(image.to_string()));
                                    changed = true;
                                }
                            }
                        }
                    }
                }
                if !found {
                    missing = Some(cname.to_string());
                }
            }
        }
        if let Some(m) = missing {
            out.fail(format!("error: unable to find container named \"{m}\""));
            continue;
        }
        if !changed {
            continue;
        }
        update_json(s, r, &name, obj, "image updated", out);
    }
}

/// Write a changed object (JSON) back through `Command::Update`, printing `<type>/<name> <word>`.
pub(crate) fn update_json(
    s: &mut Session,
    r: Res,
    name: &str,
    obj: Value,
    word: &str,
    out: &mut Out,
) -> bool {
    let any = match any_from_json(r, &obj) {
        Ok(a) => a,
        Err(e) => {
            out.fail(format!("error: {e}"));
            return false;
        }
    };
    let ns = any.metadata().namespace.clone().unwrap_or_default();
    if let Some(old) = objects::get(s.cluster.store(), r, &ns, name, 0)
        && let Ok(old_any) = any_from_json(r, &old.json)
        && let Err(d) = intake::validate_update(&old_any, &any)
    {
        out.fail(d.message);
        if let Some(h) = d.hint {
            out.hint(h);
        }
        return false;
    }
    match s.cluster.apply(Command::Update(any)) {
        Ok(_) => {
            out.outln(format!("{}/{name} {word}", r.name_prefix()));
            true
        }
        Err(e) => {
            out.fail(sim_error_line(&e, None));
            false
        }
    }
}

// ------------------------------------------------------------------------------------------
// patch

fn patch(s: &mut Session, args: &[String], out: &mut Out) {
    let specs = [
        v("patch", Some('p')),
        v("type", None),
        v("patch-file", None),
        v("filename", Some('f')),
        v("output", Some('o')),
        b("local", None),
        v("dry-run", None),
        v("subresource", None),
    ];
    let Some(p) = parse_or_fail(args, &specs, "kubectl patch", out) else {
        return;
    };
    let ns = namespace(&p);
    let Some(body) = p.value("patch") else {
        out.fail("error: must specify -p to patch\nSee 'kubectl patch -h' for help and examples");
        return;
    };
    let Some(targets) = resolve_args(&p.positional, out) else {
        return;
    };
    let Some((r, Some(name))) = targets.into_iter().next() else {
        out.fail("error: resource(s) were provided, but no name was specified");
        return;
    };
    let patch_val: Value =
        match serde_json::from_str(body).or_else(|_| serde_yaml::from_str::<Value>(body)) {
            Ok(v) => v,
            Err(e) => {
                out.fail(format!("error: unable to parse \"{body}\": {e}"));
                return;
            }
        };
    let Some(item) = objects::get(s.cluster.store(), r, &ns, &name, 0) else {
        out.fail(not_found(r, &name));
        not_found_hint(s, r, &ns, &name, out);
        return;
    };
    let ty = p.value("type").unwrap_or("strategic");
    let patched = match ty {
        "json" => crate::patch::json_patch(&item.json, &patch_val),
        "merge" => Ok(crate::patch::merge_patch(&item.json, &patch_val, false)),
        "strategic" => Ok(crate::patch::merge_patch(&item.json, &patch_val, true)),
        other => {
            out.fail(format!(
                "error: --type must be one of [json merge strategic], not \"{other}\""
            ));
            return;
        }
    };
    let patched = match patched {
        Ok(v) => v,
        Err(e) => {
            out.fail(format!("The request is invalid: {e}"));
            return;
        }
    };
    if patched == item.json {
        out.outln(format!("{}/{name} patched (no change)", r.name_prefix()));
        return;
    }
    update_json(s, r, &name, patched, "patched", out);
}

// ------------------------------------------------------------------------------------------
// label / annotate

fn label(s: &mut Session, args: &[String], out: &mut Out, is_label: bool) {
    let specs = [
        b("overwrite", None),
        b("all", None),
        v("selector", Some('l')),
        v("filename", Some('f')),
        b("list", None),
        v("output", Some('o')),
        v("resource-version", None),
        b("local", None),
        v("dry-run", None),
    ];
    let path = if is_label {
        "kubectl label"
    } else {
        "kubectl annotate"
    };
    let Some(p) = parse_or_fail(args, &specs, path, out) else {
        return;
    };
    let ns = namespace(&p);
    let (changes, res_args): (Vec<String>, Vec<String>) =
        p.positional.iter().cloned().partition(|a| {
            a.contains('=') || (a.ends_with('-') && !a.contains('/')) && a.len() > 1
        });
    // A trailing-dash word could also be a name; kubectl treats `KEY-` as a removal only after
    // the resource arguments, which the partition approximates.
    let Some(targets) = resolve_args(&res_args, out) else {
        return;
    };
    if changes.is_empty() {
        out.fail(format!(
            "error: at least one {} update is required\nSee '{path} -h' for help and examples",
            if is_label { "label" } else { "annotation" }
        ));
        return;
    }
    let field = if is_label { "labels" } else { "annotations" };
    let selector = p
        .value("selector")
        .map(objects::parse_selector)
        .transpose()
        .unwrap_or_default();
    let mut names: Vec<(Res, String)> = Vec::new();
    for (r, n) in targets {
        match n {
            Some(n) => names.push((r, n)),
            None => {
                if selector.is_none() && !p.bool("all") {
                    out.fail("error: resource(s) were provided, but no name was specified");
                    return;
                }
                let sel = selector.clone().unwrap_or_default();
                for it in objects::list(s.cluster.store(), r, Some(&ns), 0) {
                    if objects::matches(&sel, &it.labels) {
                        names.push((r, it.name.clone()));
                    }
                }
            }
        }
    }
    for (r, name) in names {
        let Some(item) = objects::get(s.cluster.store(), r, &ns, &name, 0) else {
            out.fail(not_found(r, &name));
            continue;
        };
        let mut obj = item.json.clone();
        let mut map = obj
            .get("metadata")
            .and_then(|m| m.get(field))
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let before = map.clone();
        let mut err = None;
        for c in &changes {
            if let Some(k) = c.strip_suffix('-').filter(|_| !c.contains('=')) {
                map.remove(k);
            } else if let Some((k, val)) = c.split_once('=') {
                if let Some(old) = map.get(k).and_then(Value::as_str)
                    && old != val
                    && !p.bool("overwrite")
                {
                    err = Some(format!(
                        "error: '{k}' already has a value ({old}), and --overwrite is false"
                    ));
                    break;
                }
                map.insert(k.to_string(), Value::String(val.to_string()));
            }
        }
        if let Some(e) = err {
            out.fail(e);
            continue;
        }
        let word = if is_label { "labeled" } else { "annotated" };
        if map == before {
            out.outln(format!("{}/{name} not {word}", r.name_prefix()));
            continue;
        }
        if let Some(m) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
            m.insert(field.to_string(), Value::Object(map));
        }
        update_json(s, r, &name, obj, word, out);
    }
}

// ------------------------------------------------------------------------------------------
// edit (browser: the object's YAML goes to the editor)

fn edit(s: &mut Session, args: &[String], out: &mut Out) {
    let specs = [
        v("output", Some('o')),
        b("windows-line-endings", None),
        v("filename", Some('f')),
    ];
    let Some(p) = parse_or_fail(args, &specs, "kubectl edit", out) else {
        return;
    };
    let ns = namespace(&p);
    let Some(targets) = resolve_args(&p.positional, out) else {
        return;
    };
    let Some((r, Some(name))) = targets.into_iter().next() else {
        out.fail("error: edit needs a resource and a name, e.g. kubectl edit sts/nginx-with-init-container");
        return;
    };
    let Some(item) = objects::get(s.cluster.store(), r, &ns, &name, 0) else {
        out.fail(not_found(r, &name));
        return;
    };
    let file = format!("{}-{name}.yaml", r.kind().to_ascii_lowercase());
    let text = output::yaml(&strip_managed(item.json));
    s.set_file(&file, &text);
    out.edit = Some((file.clone(), text));
    out.hint(format!("the live object is in the editor as {file}; change it and run `kubectl apply -f {file}` (a terminal has no editor here)"));
}

// ------------------------------------------------------------------------------------------
// logs / exec

fn logs(s: &mut Session, args: &[String], out: &mut Out) {
    let specs = [
        v("container", Some('c')),
        b("follow", Some('f')),
        b("previous", Some('p')),
        v("tail", None),
        b("timestamps", None),
        b("all-containers", None),
        v("since", None),
        v("selector", Some('l')),
        b("prefix", None),
    ];
    let Some(p) = parse_or_fail(args, &specs, "kubectl logs", out) else {
        return;
    };
    let ns = namespace(&p);
    let Some(target) = p.positional.first() else {
        out.fail("error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples");
        return;
    };
    let mut container = p
        .value("container")
        .map(str::to_string)
        .or_else(|| p.positional.get(1).cloned());
    let pod_name = if let Some((t, n)) = target.split_once('/') {
        match Res::lookup(t) {
            Some(Res::Pod) => n.to_string(),
            Some(Res::StatefulSet) => {
                // kubectl picks a pod of the set (the first by name here).
                let pods: Vec<String> = s
                    .cluster
                    .store()
                    .list::<Pod>(Some(&ns))
                    .filter(|pd| {
                        pd.metadata.owner_references.as_ref().is_some_and(|o| {
                            o.iter().any(|o| o.name == n && o.kind == "StatefulSet")
                        })
                    })
                    .filter_map(|pd| pd.metadata.name.clone())
                    .collect();
                match pods.first() {
                    Some(pn) => pn.clone(),
                    None => {
                        out.fail(format!("error: no pods found for statefulset {n}"));
                        return;
                    }
                }
            }
            _ => {
                unknown_type(out, t);
                return;
            }
        }
    } else {
        target.clone()
    };
    let Some(pod) = s.cluster.store().get::<Pod>(&ns, &pod_name).cloned() else {
        out.fail(not_found(Res::Pod, &pod_name));
        not_found_hint(s, Res::Pod, &ns, &pod_name, out);
        return;
    };
    let spec = pod.spec.clone().unwrap_or_default();
    if container.is_none()
        && (spec.containers.len() > 1
            || spec.init_containers.as_ref().is_some_and(|i| !i.is_empty()))
    {
        // kubectl: with several containers, defaults to the first and says so on stderr.
        if let Some(first) = spec.containers.first() {
            let mut others: Vec<String> = spec
                .containers
                .iter()
                .skip(1)
                .map(|c| c.name.clone())
                .collect();
            let inits: Vec<String> = spec
                .init_containers
                .clone()
                .unwrap_or_default()
                .iter()
                .map(|c| c.name.clone())
                .collect();
            if !others.is_empty() || !inits.is_empty() {
                let mut msg = format!(
                    "Defaulted container \"{}\" out of: {}",
                    first.name, first.name
                );
                if !others.is_empty() {
                    msg.push_str(&format!(", {}", others.join(", ")));
                }
                if !inits.is_empty() {
                    msg.push_str(&format!(", {} (init)", inits.join(", ")));
                }
                others.clear();
                out.err(msg);
            }
            container = Some(first.name.clone());
        }
    }
    match s.cluster.logs(&ns, &pod_name, container.as_deref()) {
        Ok(text) => {
            let text = match p.value("tail").and_then(|t| t.parse::<i64>().ok()) {
                Some(n) if n >= 0 => {
                    let lines: Vec<&str> = text.lines().collect();
                    let skip = lines.len().saturating_sub(usize::try_from(n).unwrap_or(0));
                    lines.iter().skip(skip).map(|l| format!("{l}\n")).collect()
                }
                _ => text,
            };
            out.out(text);
        }
        Err(e) => out.fail(e.to_string()),
    }
}

fn exec(s: &mut Session, args: &[String], out: &mut Out) {
    let specs = [
        v("container", Some('c')),
        b("stdin", Some('i')),
        b("tty", Some('t')),
        b("quiet", Some('q')),
    ];
    let Some(p) = parse_or_fail(args, &specs, "kubectl exec", out) else {
        return;
    };
    let ns = namespace(&p);
    let Some(target) = p.positional.first() else {
        out.fail("error: you must specify at least one command for the container");
        return;
    };
    let argv: Vec<String> = match &p.after_dash {
        Some(a) if !a.is_empty() => a.clone(),
        _ => {
            if p.positional.len() > 1 {
                out.fail("error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples");
            } else {
                out.fail("error: you must specify at least one command for the container");
            }
            return;
        }
    };
    let pod_name = target
        .split_once('/')
        .map_or(target.clone(), |(_, n)| n.to_string());
    if s.cluster.store().get::<Pod>(&ns, &pod_name).is_none() {
        out.fail(not_found(Res::Pod, &pod_name));
        not_found_hint(s, Res::Pod, &ns, &pod_name, out);
        return;
    }
    match s.cluster.exec(&ns, &pod_name, p.value("container"), &argv) {
        Ok(o) => {
            out.out(o.stdout);
            if !o.stderr.is_empty() {
                out.chunks_err_raw(o.stderr);
            }
            if let Some(u) = o.unsupported {
                // Ours, on stderr so that it shows even with hints off.
                out.err(format!(
                    "stsplay: `{u}` is not simulated in this playground's containers (supported: hostname, cat, ls, echo … > FILE, sh -c, nslookup, getent hosts)"
                ));
            }
            if o.exit_code != 0 {
                out.fail(format!("command terminated with exit code {}", o.exit_code));
            }
        }
        Err(e) => out.fail(format!("error: {e}").replace("error: error: ", "error: ")),
    }
}

// ------------------------------------------------------------------------------------------
// events (kubectl `pkg/cmd/events/events.go`): events sorted by last timestamp, `--for`
// TYPE/NAME, `--types` Normal,Warning, `-A`.

fn events(s: &mut Session, args: &[String], out: &mut Out) {
    let specs = [
        v("for", None),
        v("types", None),
        b("all-namespaces", Some('A')),
        b("no-headers", None),
        v("output", Some('o')),
    ];
    let Some(p) = parse_or_fail(args, &specs, "kubectl events", out) else {
        return;
    };
    let ns = namespace(&p);
    let all_ns = p.bool("all-namespaces");
    let filter_for = match p.value("for") {
        None => None,
        Some(f) => {
            let (t, n) = f.split_once('/').unwrap_or(("pod", f));
            let Some(r) = Res::lookup(t) else {
                unknown_type(out, t);
                return;
            };
            Some((r.kind().to_string(), n.to_string()))
        }
    };
    let types: Vec<String> = p
        .value("types")
        .map(|t| {
            t.split(',')
                .map(|x| x.trim().to_ascii_lowercase())
                .collect()
        })
        .unwrap_or_default();
    let now = s.cluster.now();
    let mut evs: Vec<&k8s_openapi::api::core::v1::Event> = s
        .cluster
        .store()
        .list::<k8s_openapi::api::core::v1::Event>(if all_ns { None } else { Some(ns.as_str()) })
        .filter(|e| {
            filter_for.as_ref().is_none_or(|(k, n)| {
                e.involved_object.kind.as_deref() == Some(k.as_str())
                    && e.involved_object.name.as_deref() == Some(n.as_str())
            })
        })
        .filter(|e| {
            types.is_empty()
                || types.contains(&e.type_.clone().unwrap_or_default().to_ascii_lowercase())
        })
        .collect();
    evs.sort_by_key(|e| {
        e.last_timestamp
            .as_ref()
            .or(e.first_timestamp.as_ref())
            .map(sim::time::from_k8s_time)
    });
    if evs.is_empty() {
        if all_ns {
            out.err("No events found.");
        } else {
            out.err(format!("No events found in {ns} namespace."));
        }
        return;
    }
    let mut rows: Vec<Vec<String>> = Vec::new();
    if !p.bool("no-headers") {
        let mut h = vec![
            "LAST SEEN".to_string(),
            "TYPE".into(),
            "REASON".into(),
            "OBJECT".into(),
            "MESSAGE".into(),
        ];
        if all_ns {
            h.insert(0, "NAMESPACE".into());
        }
        rows.push(h);
    }
    for e in evs {
        let mut r = printers::event_row(e, now).cells;
        if all_ns {
            r.insert(0, e.metadata.namespace.clone().unwrap_or_default());
        }
        // kubectl events names the object Kind/name (`Pod/web-0`), not the resource.
        if let Some(obj) = r.get_mut(if all_ns { 4 } else { 3 }) {
            *obj = format!(
                "{}/{}",
                e.involved_object.kind.clone().unwrap_or_default(),
                e.involved_object.name.clone().unwrap_or_default()
            );
        }
        rows.push(r);
    }
    out.out(crate::table::render(&rows));
}

// ------------------------------------------------------------------------------------------
// wait (kubectl `pkg/cmd/wait/wait.go`): `--for=condition=C[=value]`, `--for=delete`,
// `--for=jsonpath={...}=value`; prints `<type>/<name> condition met` (or `deleted`).

fn wait(s: &mut Session, args: &[String], out: &mut Out) {
    let specs = [
        v("for", None),
        v("timeout", None),
        v("selector", Some('l')),
        b("all", None),
        v("filename", Some('f')),
        b("all-namespaces", Some('A')),
    ];
    let Some(p) = parse_or_fail(args, &specs, "kubectl wait", out) else {
        return;
    };
    let ns = namespace(&p);
    let Some(cond) = p.value("for").map(str::to_string) else {
        out.fail("error: --for must be set");
        return;
    };
    let timeout = match p.value("timeout").map(crate::directives::parse_duration) {
        None => 30_000,
        Some(Some(t)) => t,
        Some(None) => {
            out.fail(format!(
                "error: invalid argument \"{}\" for \"--timeout\" flag: time: invalid duration",
                p.value("timeout").unwrap_or("")
            ));
            return;
        }
    };
    let Some(targets) = resolve_args(&p.positional, out) else {
        return;
    };
    if targets.is_empty() {
        out.fail("error: resource(s) were provided, but no name was specified");
        return;
    }
    let selector = match p.value("selector").map(objects::parse_selector).transpose() {
        Ok(sel) => sel,
        Err(e) => {
            out.fail(e);
            return;
        }
    };
    let mut names: Vec<(Res, String)> = Vec::new();
    for (r, n) in targets {
        match n {
            Some(n) => names.push((r, n)),
            None => {
                if selector.is_none() && !p.bool("all") {
                    out.fail("error: resource(s) were provided, but no name was specified");
                    return;
                }
                let sel = selector.clone().unwrap_or_default();
                for it in objects::list(s.cluster.store(), r, Some(&ns), 0) {
                    if objects::matches(&sel, &it.labels) {
                        names.push((r, it.name));
                    }
                }
            }
        }
    }
    if names.is_empty() {
        out.fail("error: no matching resources found");
        return;
    }
    let deadline = s.cluster.now().saturating_add(timeout);
    for (r, name) in names {
        let met = |s: &Session| -> Option<bool> {
            let it = objects::get(s.cluster.store(), r, &ns, &name, 0);
            if cond == "delete" {
                return Some(it.is_none());
            }
            let it = it?;
            if let Some(c) = cond.strip_prefix("condition=") {
                let (ty, want) = c.split_once('=').unwrap_or((c, "True"));
                let conds = it
                    .json
                    .get("status")
                    .and_then(|st| st.get("conditions"))
                    .and_then(Value::as_array);
                return Some(conds.is_some_and(|cs| {
                    cs.iter().any(|x| {
                        x.get("type")
                            .and_then(Value::as_str)
                            .is_some_and(|t| t.eq_ignore_ascii_case(ty))
                            && x.get("status")
                                .and_then(Value::as_str)
                                .is_some_and(|v| v.eq_ignore_ascii_case(want))
                    })
                }));
            }
            if let Some(j) = cond.strip_prefix("jsonpath=") {
                let (path, want) = match j.rsplit_once('=') {
                    Some((p, w)) => (p.to_string(), Some(w.to_string())),
                    None => (j.to_string(), None),
                };
                let path = if path.starts_with('{') {
                    path
                } else {
                    format!("{{{path}}}")
                };
                let got = output::jsonpath(&path, &it.json).unwrap_or_default();
                return Some(match want {
                    Some(w) => got == w,
                    None => !got.is_empty(),
                });
            }
            None
        };
        if objects::get(s.cluster.store(), r, &ns, &name, 0).is_none() && cond != "delete" {
            out.fail(not_found(r, &name));
            continue;
        }
        loop {
            match met(s) {
                None => {
                    out.fail(format!("error: unrecognized condition: \"{cond}\""));
                    return;
                }
                Some(true) => {
                    let word = if cond == "delete" {
                        "deleted"
                    } else {
                        "condition met"
                    };
                    out.outln(format!("{}/{name} {word}", r.name_prefix()));
                    break;
                }
                Some(false) => {}
            }
            let next = s.cluster.next_event_time();
            match next {
                Some(n) if n <= deadline => {
                    if s.cluster.step().is_none() {
                        break;
                    }
                }
                _ => {
                    let now = s.cluster.now();
                    if deadline > now {
                        s.cluster.advance(deadline - now);
                    }
                    out.fail(format!(
                        "error: timed out waiting for the condition on {}/{name}",
                        r.plural()
                    ));
                    break;
                }
            }
        }
    }
}

// ------------------------------------------------------------------------------------------
// nodes, discovery, config

fn cordon(s: &mut Session, args: &[String], out: &mut Out, on: bool) {
    let specs = [v("selector", Some('l')), v("dry-run", None)];
    let path = if on {
        "kubectl cordon"
    } else {
        "kubectl uncordon"
    };
    let Some(p) = parse_or_fail(args, &specs, path, out) else {
        return;
    };
    let Some(node) = p.positional.first() else {
        out.fail(format!(
            "error: USAGE: {} NODE [flags]\nSee '{path} -h' for help and examples",
            if on { "cordon" } else { "uncordon" }
        ));
        return;
    };
    let was = s
        .cluster
        .store()
        .get::<k8s_openapi::api::core::v1::Node>("", node)
        .map(|n| {
            n.spec
                .as_ref()
                .and_then(|sp| sp.unschedulable)
                .unwrap_or(false)
        });
    let Some(was) = was else {
        out.fail(format!(
            "Error from server (NotFound): nodes \"{node}\" not found"
        ));
        return;
    };
    if was == on {
        out.outln(format!(
            "node/{node} already {}",
            if on { "cordoned" } else { "uncordoned" }
        ));
        return;
    }
    match s.cluster.apply(Command::Cordon {
        node: node.clone(),
        on,
    }) {
        Ok(_) => out.outln(format!(
            "node/{node} {}",
            if on { "cordoned" } else { "uncordoned" }
        )),
        Err(e) => out.fail(sim_error_line(&e, None)),
    }
}

fn drain(s: &mut Session, args: &[String], out: &mut Out) {
    let specs = [
        b("ignore-daemonsets", None),
        b("delete-emptydir-data", None),
        b("force", None),
        v("grace-period", None),
        v("timeout", None),
        v("selector", Some('l')),
        v("pod-selector", None),
        b("disable-eviction", None),
        v("dry-run", None),
    ];
    let Some(p) = parse_or_fail(args, &specs, "kubectl drain", out) else {
        return;
    };
    let Some(node) = p.positional.first().cloned() else {
        out.fail("error: USAGE: drain NODE [flags]\nSee 'kubectl drain -h' for help and examples");
        return;
    };
    if s.cluster
        .store()
        .get::<k8s_openapi::api::core::v1::Node>("", &node)
        .is_none()
    {
        out.fail(format!(
            "Error from server (NotFound): nodes \"{node}\" not found"
        ));
        return;
    }
    out.outln(format!("node/{node} cordoned"));
    match s.cluster.apply(Command::Drain { node: node.clone() }) {
        Ok(a) => {
            for m in &a.messages {
                out.outln(format!("evicting pod {m}"));
            }
            for m in &a.messages {
                let name = m.split_once('/').map_or(m.as_str(), |(_, n)| n);
                out.outln(format!("pod/{name} evicted"));
            }
            out.outln(format!("node/{node} drained"));
        }
        Err(e) => out.fail(sim_error_line(&e, None)),
    }
}

fn api_resources(args: &[String], out: &mut Out) {
    let specs = [
        b("namespaced", None),
        v("api-group", None),
        v("output", Some('o')),
        b("no-headers", None),
        v("verbs", None),
        v("sort-by", None),
        b("cached", None),
    ];
    let Some(p) = parse_or_fail(args, &specs, "kubectl api-resources", out) else {
        return;
    };
    let mut rows = Vec::new();
    if !p.bool("no-headers") {
        rows.push(vec![
            "NAME".into(),
            "SHORTNAMES".into(),
            "APIVERSION".into(),
            "NAMESPACED".into(),
            "KIND".into(),
        ]);
    }
    let mut all: Vec<Res> = resources::ALL.to_vec();
    all.sort_by_key(|r| (r.group().to_string(), r.plural().to_string()));
    for r in all {
        if p.has("namespaced") && r.namespaced() != p.bool("namespaced") {
            continue;
        }
        if p.value("output") == Some("name") {
            let n = if r.group().is_empty() {
                r.plural().to_string()
            } else {
                format!("{}.{}", r.plural(), r.group())
            };
            out.outln(n);
            continue;
        }
        rows.push(vec![
            r.plural().into(),
            r.short_names().join(","),
            r.api_version(),
            r.namespaced().to_string(),
            r.kind().into(),
        ]);
    }
    if p.value("output") != Some("name") {
        out.out(crate::table::render(&rows));
    }
}

fn version(args: &[String], out: &mut Out) {
    let specs = [b("client", None), v("output", Some('o'))];
    let Some(p) = parse_or_fail(args, &specs, "kubectl version", out) else {
        return;
    };
    out.outln(format!("Client Version: {KUBECTL_VERSION}"));
    out.outln("Kustomize Version: v5.7.1");
    if !p.bool("client") {
        out.outln(format!("Server Version: {KUBECTL_VERSION}"));
    }
}

fn cluster_info(args: &[String], out: &mut Out) {
    let Some(_p) = parse_or_fail(args, &[], "kubectl cluster-info", out) else {
        return;
    };
    out.outln("Kubernetes control plane is running at https://127.0.0.1:6443");
    out.outln("CoreDNS is running at https://127.0.0.1:6443/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy");
    out.outln("");
    out.outln("To further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.");
}

fn config(args: &[String], out: &mut Out) {
    match args.first().map(String::as_str) {
        Some("current-context") => out.outln("kind-kind"),
        Some("get-contexts") => {
            out.out(crate::table::render(&[
                vec!["CURRENT".into(), "NAME".into(), "CLUSTER".into(), "AUTHINFO".into(), "NAMESPACE".into()],
                vec!["*".into(), "kind-kind".into(), "kind-kind".into(), "kind-kind".into(), String::new()],
            ]));
        }
        Some(other) => out.fail(format!(
            "error: {other} is not simulated in this playground (supported: kubectl config current-context, get-contexts)"
        )),
        None => out.fail("error: Required subcommand not specified.\nSee 'kubectl config -h' for help and examples"),
    }
}

/// For rollout: the revisions owned by a set, oldest first.
pub(crate) fn revisions_of<'a>(
    s: &'a Session,
    ns: &'a str,
    set: &StatefulSet,
) -> Vec<&'a ControllerRevision> {
    let uid = set.metadata.uid.clone();
    let mut v: Vec<&ControllerRevision> = s
        .cluster
        .store()
        .list::<ControllerRevision>(Some(ns))
        .filter(|r| {
            r.metadata
                .owner_references
                .as_ref()
                .is_some_and(|o| o.iter().any(|o| Some(&o.uid) == uid.as_ref()))
        })
        .collect();
    v.sort_by_key(|r| r.revision);
    v
}

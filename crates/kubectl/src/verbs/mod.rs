//! The kubectl verbs: each parses its flags (kubectl's flag set for that command), turns the
//! request into simulation [`Command`]s or store reads, and prints what kubectl prints.
//! Sources for messages are cited per verb (kubectl `pkg/cmd/<verb>/<verb>.go`); one file per verb
//! (or small family of verbs) in this folder.

use sim::sort::Sort as _;
use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{ControllerRevision, StatefulSet};
use k8s_openapi::api::core::v1::{PersistentVolumeClaim, Pod};
use serde_json::Value;
use sim::command::{Command, Outcome, Propagation, SimError};
use sim::object::AnyObject;
use sim::store::ApiError;

pub(crate) use crate::cmdutil::*;
use crate::flags::{self, Spec, b, i, v};
use crate::fs::{FileSource, FsEntry};
use crate::objects::{self, Item};
use crate::out::{MAX_WATCH_MS, MAX_WATCH_STEPS, Out};
use crate::output;
use crate::printers::{self, TableOpts};
use crate::resources::{self, Res};
use crate::session::Session;
use crate::watch::Watcher;

mod apply;
mod cluster;
mod delete;
mod describe_cmd;
mod drain_wait;
mod events_wait;
mod get;
mod modify;
mod pod;
mod rollout;
mod rollout_deployment;
mod rollout_watch;
mod run_pod;

pub(crate) use crate::output::strip_managed;
pub(crate) use apply::sim_error_line;
#[allow(unused_imports)]
use apply::*;
#[allow(unused_imports)]
use cluster::*;
#[allow(unused_imports)]
use delete::*;
#[allow(unused_imports)]
use describe_cmd::*;
#[allow(unused_imports)]
use events_wait::*;
#[allow(unused_imports)]
use get::*;
pub(crate) use modify::send_update;
#[allow(unused_imports)]
use modify::*;
#[allow(unused_imports)]
use pod::*;
pub(crate) use run_pod::detach;
#[allow(unused_imports)]
use run_pod::*;

const KUBECTL_VERSION: &str = "v1.35.0";
/// The simulated cluster's version: a current v1.35 patch release, the first with
/// MaxUnavailableStatefulSet off by default again (`sim::config::Gate::spec`); the node's
/// kubeletVersion says the same (`sim::cluster`).
const SERVER_VERSION: &str = "v1.35.4";

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
            out.out(crate::help::root());
            out.hint("this playground simulates apply create get describe delete scale set image patch label annotate edit rollout logs exec run explain cordon uncordon drain api-resources version cluster-info config");
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
    // cobra's `help [command]` (cobra `command.go` `InitDefaultHelpCmd`): the named command's
    // help, or the root's.
    if verb == "help" {
        return help_cmd(s, rest, files, out);
    }
    // `kubectl create SUBCOMMAND` (kubectl `pkg/cmd/create/create.go`): real generators that
    // this playground leaves out; say so rather than blame their flags.
    let sub = rest
        .iter()
        .find(|a| !a.starts_with('-'))
        .map(String::as_str);
    if verb == "create" && matches!(sub, Some("namespace" | "ns")) {
        return apply::create_namespace(s, &rest, out);
    }
    if let ("create", Some(sub)) = (verb.as_str(), sub)
        && CREATE_SUBCOMMANDS.contains(&sub)
    {
        return out.fail(format!(
            "error: `kubectl create {sub}` is a real kubectl command that this playground does not simulate"
        ));
    }
    match verb.as_str() {
        "apply" => apply(s, &rest, files, out, false),
        "create" => apply(s, &rest, files, out, true),
        "get" => get(s, &rest, out),
        "describe" => describe(s, &rest, out),
        "delete" => delete(s, &rest, files, out),
        "scale" => scale(s, &rest, files, out),
        "set" => set(s, &rest, out),
        "patch" => patch(s, &rest, out),
        "label" => label(s, &rest, out, true),
        "annotate" => label(s, &rest, out, false),
        "edit" => edit(s, &rest, out),
        "rollout" => rollout::run(s, &rest, out),
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
        "run" => run_cmd(s, &rest, out),
        "expose" | "autoscale" | "port-forward" | "proxy" | "cp" | "attach" | "top" | "certificate"
        | "auth" | "debug" | "diff" | "kustomize" | "replace" | "plugin" | "completion" | "alpha"
        | "taint" | "auto-scale" | "cluster" | "api-versions" | "options" => out.fail(format!(
            "error: `kubectl {verb}` is a real kubectl command that this playground does not simulate"
        )),
        other => out.fail(unknown_command(other)),
    }
}

/// `kubectl help [command]`. Not inlined into [`run`], so the release build can move it to the
/// second wasm module (issue #17, xtask/src/split.rs).
#[inline(never)]
fn help_cmd(s: &mut Session, rest: Vec<String>, files: &dyn FileSource, out: &mut Out) {
    let mut a: Vec<String> = rest.into_iter().filter(|a| !a.starts_with('-')).collect();
    // An unknown first word: cobra's `Unknown help topic` (args as Go's `%#q`) and the
    // root's usage on stderr, exit 0 (`Find` fails on the root's arguments).
    if let Some(w) = a.first()
        && !ROOT_COMMANDS.iter().any(|(name, _)| name == w)
    {
        let topics: Vec<String> = a.iter().map(|w| format!("`{w}`")).collect();
        let root = crate::help::root();
        let usage = root
            .find("\nBasic Commands")
            .and_then(|i| root.get(i..))
            .unwrap_or("");
        out.err(format!(
            "Unknown help topic [{}]\n\n{}",
            topics.join(" "),
            usage.trim_end()
        ));
        return;
    }
    a.push("--help".into());
    run(s, &a, files, out);
}

/// The root commands of kubectl v1.35 (`pkg/cmd/cmd.go` `NewKubectlCommand`) plus cobra's
/// `help` and `completion`, with their `SuggestFor` aliases (`delete`: rm; `get`, `wait`:
/// list, ps).
const ROOT_COMMANDS: &[(&str, &[&str])] = &[
    ("annotate", &[]),
    ("api-resources", &[]),
    ("api-versions", &[]),
    ("apply", &[]),
    ("attach", &[]),
    ("auth", &[]),
    ("autoscale", &[]),
    ("certificate", &[]),
    ("cluster-info", &[]),
    ("completion", &[]),
    ("config", &[]),
    ("cordon", &[]),
    ("cp", &[]),
    ("create", &[]),
    ("debug", &[]),
    ("delete", &["rm"]),
    ("describe", &[]),
    ("diff", &[]),
    ("drain", &[]),
    ("edit", &[]),
    ("events", &[]),
    ("exec", &[]),
    ("explain", &[]),
    ("expose", &[]),
    ("get", &["list", "ps"]),
    ("help", &[]),
    ("kustomize", &[]),
    ("label", &[]),
    ("logs", &[]),
    ("options", &[]),
    ("patch", &[]),
    ("plugin", &[]),
    ("port-forward", &[]),
    ("proxy", &[]),
    ("replace", &[]),
    ("rollout", &[]),
    ("run", &[]),
    ("scale", &[]),
    ("set", &[]),
    ("taint", &[]),
    ("top", &[]),
    ("uncordon", &[]),
    ("version", &[]),
    ("wait", &["list", "ps"]),
];

/// The subcommands of `kubectl create` and their aliases (kubectl `pkg/cmd/create/create.go`).
const CREATE_SUBCOMMANDS: &[&str] = &[
    "clusterrole",
    "clusterrolebinding",
    "configmap",
    "cm",
    "cronjob",
    "cj",
    "deployment",
    "deploy",
    "ingress",
    "ing",
    "job",
    "namespace",
    "ns",
    "poddisruptionbudget",
    "pdb",
    "priorityclass",
    "pc",
    "quota",
    "resourcequota",
    "role",
    "rolebinding",
    "secret",
    "service",
    "svc",
    "serviceaccount",
    "sa",
    "token",
];

/// Case-insensitive Levenshtein distance (cobra `ld`).
fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = sim::unicase::lowercase(a).chars().collect();
    let b: Vec<char> = sim::unicase::lowercase(b).chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.get(j).copied().unwrap_or(0) + 1;
            if let Some(c) = cur.get_mut(j + 1) {
                *c = sub.min(del).min(ins);
            }
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

/// An unknown root command: kubectl prints cobra's error (with cobra's "Did you mean this?"
/// suggestions: distance <= 2, a prefix of a command name, or a `SuggestFor` alias) through
/// `cmdutil.CheckErr`; cobra's own "Run 'kubectl --help'" line is silenced by component-base
/// `cli.RunNoErrOutput` (cobra `command.go` `findSuggestions`/`SuggestionsFor`, kubectl
/// `cmd/kubectl/kubectl.go`).
pub(crate) fn unknown_command(typed: &str) -> String {
    let lower = sim::unicase::lowercase(typed);
    let mut names: Vec<&str> = Vec::new();
    for (name, aliases) in ROOT_COMMANDS {
        if levenshtein(typed, name) <= 2 || name.starts_with(&lower) {
            names.push(name);
        }
        for a in *aliases {
            if a.eq_ignore_ascii_case(typed) {
                names.push(name);
            }
        }
    }
    let mut msg = format!("error: unknown command \"{typed}\" for \"kubectl\"");
    if !names.is_empty() {
        msg.push_str("\n\nDid you mean this?");
        for n in names {
            msg.push_str(&format!("\n\t{n}"));
        }
    }
    msg
}

/// The `-l/--selector` flag, parsed (`None` when absent).
pub(crate) fn selector_flag(p: &flags::Parsed) -> Result<Option<Vec<objects::Req>>, String> {
    p.value("selector").map(objects::parse_selector).transpose()
}

/// The `--field-selector` flag, parsed (empty when absent).
pub(crate) fn field_selector_flag(p: &flags::Parsed) -> Result<Vec<objects::FieldReq>, String> {
    Ok(p.value("field-selector")
        .map(objects::parse_field_selector)
        .transpose()?
        .unwrap_or_default())
}

/// The (type, name) pairs a command acts on: the named ones, and for a bare type the objects
/// of `ns` that `selector` (or `all`) picks. `None` after kubectl's error for a bare type
/// with neither.
pub(crate) fn named_or_selected(
    s: &Session,
    targets: Vec<(Res, Option<String>)>,
    selector: Option<&[objects::Req]>,
    all: bool,
    ns: &str,
    out: &mut Out,
) -> Option<Vec<(Res, String)>> {
    let mut names = Vec::new();
    for (r, n) in targets {
        match n {
            Some(n) => names.push((r, n)),
            None => {
                if selector.is_none() && !all {
                    out.fail("error: resource(s) were provided, but no name was specified");
                    return None;
                }
                let sel = selector.unwrap_or_default();
                for it in objects::list(s.cluster.store(), r, Some(ns), 0) {
                    if objects::matches(sel, &it.labels) {
                        names.push((r, it.name));
                    }
                }
            }
        }
    }
    Some(names)
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
            types.extend([
                Res::Pod,
                Res::Service,
                Res::Deployment,
                Res::ReplicaSet,
                Res::StatefulSet,
            ]);
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

/// The apiserver's warning on every request for core/v1 Endpoints since v1.33 (the Endpoints
/// API is deprecated in favour of EndpointSlices, KEP-4974); kubectl prints each distinct
/// warning once, on stderr, as `Warning: …` (client-go `WarningHandler`).
pub(crate) fn endpoints_warning(targets: &[(Res, Option<String>)], out: &mut Out) {
    if targets.iter().any(|(r, _)| *r == Res::Endpoints) {
        out.err(
            "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice",
        );
    }
}

/// Learner hint after a NotFound: the seed's `web-N` / `data-web-N` names.
pub(crate) fn not_found_hint(s: &Session, res: Res, ns: &str, name: &str, out: &mut Out) {
    let sets: Vec<&StatefulSet> = s.cluster.store().list::<StatefulSet>(Some(ns)).collect();
    let Some((_, ordinal)) = sim::ordinal::ordinal_suffix(name) else {
        return;
    };
    let ordinal: Option<i64> = i64::try_from(ordinal).ok();
    for set in sets {
        let sname = set.metadata.name.clone().unwrap_or_default();
        let spec = set.spec.as_ref();
        let start = i64::from(
            spec.and_then(|sp| sp.ordinals.as_ref())
                .and_then(|o| o.start)
                .unwrap_or(0),
        );
        let replicas = i64::from(spec.and_then(|sp| sp.replicas).unwrap_or(1));
        // The right name for a missing member: say why it is missing instead of teaching the
        // naming scheme again.
        let member = |prefix: &str| -> Option<String> {
            let n = ordinal?;
            (name == format!("{prefix}-{n}")).then(|| {
                if n < start || n >= start + replicas {
                    let range = if replicas <= 0 {
                        "it has no pods".to_string()
                    } else if replicas == 1 {
                        format!("its only ordinal is {start}")
                    } else {
                        format!("its ordinals are {start}..{}", start + replicas - 1)
                    };
                    format!("StatefulSet {sname} has {replicas} replicas: {range}")
                } else {
                    format!(
                        "{name} belongs to StatefulSet {sname} but does not exist right now (`sim why sts/{sname}` says what the controller is waiting for)"
                    )
                }
            })
        };
        match res {
            Res::Pod => match member(&sname) {
                Some(h) => out.hint(h),
                None => out.hint(format!(
                    "this StatefulSet's pods are named {sname}-N (e.g. {sname}-1)"
                )),
            },
            Res::Pvc => {
                let claims: Vec<String> = spec
                    .and_then(|sp| sp.volume_claim_templates.as_ref())
                    .map(|v| v.iter().filter_map(|c| c.metadata.name.clone()).collect())
                    .unwrap_or_default();
                for c in claims {
                    let prefix = format!("{c}-{sname}");
                    if let Some(n) = ordinal.filter(|n| name == format!("{prefix}-{n}")) {
                        // The name is right: a claim is created with its pod (and kept after
                        // it unless the retention policy deletes it).
                        if n < start || n >= start + replicas {
                            out.hint(format!(
                                "{name} is the claim StatefulSet {sname} would make for pod {sname}-{n}, which is outside its {replicas} replicas"
                            ));
                        } else {
                            out.hint(format!(
                                "{name} is the claim StatefulSet {sname} makes for pod {sname}-{n}; it is created with that pod"
                            ));
                        }
                    } else {
                        out.hint(format!(
                            "this StatefulSet's claims are named {c}-{sname}-N (e.g. {c}-{sname}-1)"
                        ));
                    }
                }
            }
            _ => {}
        }
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
    v.stable_sort_by_key(|r| r.revision);
    v
}

#[cfg(test)]
mod tests {
    use super::unknown_command;

    /// cobra's suggestions lowercase what was typed (`strings.ToLower`): ASCII, the Kelvin sign
    /// (U+212A, lowercased to `k`) and `İ` (to the two chars `i̇`, so "İİn" is 4 edits from
    /// "run", not 2).
    #[test]
    fn suggestions_lowercase_what_was_typed() {
        assert_eq!(
            unknown_command("GET"),
            "error: unknown command \"GET\" for \"kubectl\"\n\nDid you mean this?\n\tget\n\tset"
        );
        assert_eq!(
            unknown_command("\u{212A}US"),
            "error: unknown command \"\u{212A}US\" for \"kubectl\"\n\nDid you mean this?\n\tkustomize\n\trun"
        );
        assert_eq!(
            unknown_command("RΣN"),
            "error: unknown command \"RΣN\" for \"kubectl\"\n\nDid you mean this?\n\trun"
        );
        assert_eq!(
            unknown_command("İİn"),
            "error: unknown command \"İİn\" for \"kubectl\""
        );
    }
}

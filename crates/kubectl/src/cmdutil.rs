//! Helpers every kubectl command shares (kubectl `pkg/cmd/util/helpers.go` and friends): flag
//! parsing with `--help`, the namespace flag, and the errors kubectl prints for an unknown
//! subcommand, an unknown resource type, or an object that is not there.

use crate::flags::{self, Spec};
use crate::out::Out;
use crate::resources::Res;

/// A command group (`rollout`, `set`) given an unknown subcommand: `DefaultSubCommandRun` ->
/// `RequireNoArguments` -> `UsageErrorf` with all the arguments (kubectl
/// `pkg/cmd/util/helpers.go`, v0.35.0).
pub(crate) fn unknown_subcommand(path: &str, args: &[String]) -> String {
    let words: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| !a.starts_with('-'))
        .collect();
    format!(
        "error: unknown command \"{}\"\nSee '{path} -h' for help and examples",
        words.join(" ")
    )
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
                crate::help::command(path, out);
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

pub(crate) fn not_found(res: Res, name: &str) -> String {
    format!(
        "Error from server (NotFound): {} \"{name}\" not found",
        res.qualified_plural()
    )
}

pub(crate) const CHANGE_CAUSE: &str = "kubernetes.io/change-cause";

/// The deprecated `--record` flag (cli-runtime `genericclioptions/record_flags.go`, v0.35.0):
/// pflag's deprecation line whenever it is given; with `--record=true` the change cause that
/// `parseCommandArguments` builds: `kubectl`, the words that are not flags, then every flag
/// set as ` --NAME=VALUE` in the order typed.
pub(crate) fn record_flag(p: &flags::Parsed, verb: &str, out: &mut Out) -> Option<String> {
    if p.has("record") {
        out.err("Flag --record has been deprecated, --record will be removed in the future");
    }
    p.bool("record").then(|| {
        let mut c = format!("kubectl {verb}");
        for a in &p.positional {
            c.push(' ');
            c.push_str(a);
        }
        for (name, v) in &p.order {
            c.push_str(&format!(" --{name}={v}"));
        }
        c
    })
}

/// `ChangeCauseRecorder.Record` (cli-runtime `genericclioptions/record_flags.go`): the cause
/// as the object's `kubernetes.io/change-cause` annotation. Whether that changed the object.
pub(crate) fn put_cause(obj: &mut serde_json::Value, cause: &str) -> bool {
    let Some(meta) = obj
        .get_mut("metadata")
        .and_then(serde_json::Value::as_object_mut)
    else {
        return false;
    };
    let a = meta
        .entry("annotations")
        .or_insert_with(|| serde_json::Value::Object(Default::default()));
    a.as_object_mut().is_some_and(|a| {
        a.insert(CHANGE_CAUSE.into(), serde_json::Value::String(cause.into()))
            .as_ref()
            .and_then(serde_json::Value::as_str)
            != Some(cause)
    })
}

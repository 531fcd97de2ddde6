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

pub(crate) fn not_found(res: Res, name: &str) -> String {
    format!(
        "Error from server (NotFound): {} \"{name}\" not found",
        res.qualified_plural()
    )
}

//! kubectl's `--dry-run` flag and how a mutating verb reports the object it changed (or would
//! change).
//!
//! * The flag: `cmdutil.AddDryRunFlag` registers `--dry-run` as a string flag (default `none`)
//!   whose bare form means `unchanged` (pflag `NoOptDefVal`), so `--dry-run client` is the flag
//!   alone followed by a positional word; `cmdutil.GetDryRunStrategy` maps the value to a
//!   strategy and logs klog warnings for the deprecated forms (kubectl `pkg/cmd/util/helpers.go`,
//!   v0.35.0). Commands that do not call `AddDryRunFlag` (`rollout restart`, `edit`, …) answer
//!   `unknown flag: --dry-run` from the flag parser.
//! * The report: cli-runtime `PrintFlags` (v0.35.0): `-o name` prints `TYPE/NAME`, `-o
//!   yaml|json|jsonpath=…` print the object, and otherwise the name printer prints `TYPE/NAME
//!   OPERATION`, where `PrintFlagsWithDryRunStrategy` appends ` (dry run)` or ` (server dry
//!   run)` to the operation.
//! * A client dry run sends nothing; a server dry run sends the request with `dryRun=All`, so
//!   the apiserver admits, defaults and validates it and persists nothing. Here that is
//!   [`sim::cluster::Cluster::dry_run`], which applies the command to a copy of the cluster.

use serde_json::Value;
use sim::time::{EPOCH_UNIX_SECONDS, SimTime};

use crate::flags::{Parsed, Spec, o};
use crate::out::Out;
use crate::resources::Res;

/// `--dry-run` as `cmdutil.AddDryRunFlag` registers it.
pub(crate) const FLAG: Spec = o("dry-run", "unchanged");

/// `cmdutil.DryRunStrategy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DryRun {
    None,
    Client,
    Server,
}

/// The process id in kubectl's klog lines. A real kubectl prints its own; ours is fixed so
/// transcripts stay the same on every run.
const KLOG_PID: u32 = 48213;

/// A klog warning line as kubectl writes it to stderr (`Wmmdd hh:mm:ss.uuuuuu PID file:line]
/// message`), stamped with the simulated clock.
pub(crate) fn klog_warning(now: SimTime, file_line: &str, message: &str) -> String {
    let ms = i64::try_from(now).unwrap_or(i64::MAX);
    let secs = EPOCH_UNIX_SECONDS.saturating_add(ms / 1000);
    let micros = (ms % 1000) * 1000;
    let ts = k8s_openapi::jiff::Timestamp::from_second(secs)
        .unwrap_or(k8s_openapi::jiff::Timestamp::UNIX_EPOCH);
    let c = k8sjson::time::civil(ts);
    format!(
        "W{:02}{:02} {}.{micros:06} {KLOG_PID:>7} {file_line}] {message}",
        c.month,
        c.day,
        c.hms()
    )
}

impl DryRun {
    /// `cmd` sent as this strategy sends it: with `dryRun=All` (a server dry run, applied to a
    /// copy of the cluster: [`sim::cluster::Cluster::dry_run`]) or for real. A client dry run
    /// sends nothing; its callers print their report before they get here.
    pub(crate) fn send(
        self,
        cluster: &mut sim::cluster::Cluster,
        cmd: sim::command::Command,
    ) -> Result<sim::command::Applied, sim::command::SimError> {
        if self == DryRun::Server {
            cluster.dry_run(cmd)
        } else {
            cluster.apply(cmd)
        }
    }

    /// `cmdutil.GetDryRunStrategy`: `client`, `server`, `none`, the bare flag (`unchanged`,
    /// deprecated: client) and the deprecated booleans; anything else is an error. `None` when
    /// the command has failed.
    pub(crate) fn from_flag(p: &Parsed, now: SimTime, out: &mut Out) -> Option<DryRun> {
        let Some(value) = p.value("dry-run") else {
            return Some(DryRun::None);
        };
        let warn = |out: &mut Out, line: u32, msg: String| {
            out.err(klog_warning(now, &format!("helpers.go:{line}"), &msg));
        };
        // strconv.ParseBool first, as kubectl does.
        let boolean = match value {
            "1" | "t" | "T" | "true" | "TRUE" | "True" => Some(true),
            "0" | "f" | "F" | "false" | "FALSE" | "False" => Some(false),
            _ => None,
        };
        Some(match (boolean, value) {
            (Some(true), _) => {
                warn(
                    out,
                    733,
                    format!(
                        "--dry-run={value} is deprecated (boolean value) and can be replaced with --dry-run=client."
                    ),
                );
                DryRun::Client
            }
            (Some(false), _) => {
                warn(
                    out,
                    736,
                    format!(
                        "--dry-run={value} is deprecated (boolean value) and can be replaced with --dry-run=none."
                    ),
                );
                DryRun::None
            }
            (None, "unchanged") => {
                warn(
                    out,
                    719,
                    "--dry-run is deprecated and can be replaced with --dry-run=client.".into(),
                );
                DryRun::Client
            }
            (None, "client") => DryRun::Client,
            (None, "server") => DryRun::Server,
            (None, "none") => DryRun::None,
            (None, other) => {
                out.fail(format!(
                    "error: Invalid dry-run value ({other}). Must be \"none\", \"server\", or \"client\"."
                ));
                return None;
            }
        })
    }

    /// What `PrintFlagsWithDryRunStrategy` appends to the operation.
    pub(crate) fn suffix(self) -> &'static str {
        match self {
            DryRun::None => "",
            DryRun::Client => " (dry run)",
            DryRun::Server => " (server dry run)",
        }
    }

    pub(crate) fn is_dry(self) -> bool {
        self != DryRun::None
    }
}

/// The formats cli-runtime's `PrintFlags` accepts (its error lists them sorted).
const ALLOWED: &str = "go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,kyaml,name,template,templatefile,yaml";

/// Check `-o` before anything is changed (`PrintFlags.ToPrinter` runs in `Complete`); the
/// formats the playground prints are the name printer, yaml, json and jsonpath.
pub(crate) fn check_output(p: &Parsed, out: &mut Out) -> bool {
    match p.value("output") {
        None | Some("") | Some("name") | Some("yaml") | Some("json") => true,
        Some(x) if x.starts_with("jsonpath=") => true,
        Some(x)
            if [
                "go-template",
                "go-template-file",
                "template",
                "templatefile",
                "kyaml",
            ]
            .iter()
            .any(|f| x == *f || x.starts_with(&format!("{f}=")))
                || x.starts_with("jsonpath") =>
        {
            out.fail(format!(
                "error: `-o {x}` is a real kubectl output format that this playground does not print for this command (it prints -o name, yaml, json and jsonpath=…)"
            ));
            false
        }
        Some(other) => {
            out.fail(format!(
                "error: unable to match a printer suitable for the output format \"{other}\", allowed formats are: {ALLOWED}"
            ));
            false
        }
    }
}

/// Report one object the way `PrintFlags` does: `-o name` → `TYPE/NAME`, `-o yaml|json|jsonpath`
/// → the object, else `TYPE/NAME OPERATION` with the dry-run suffix.
pub(crate) fn report(
    out: &mut Out,
    p: &Parsed,
    r: Res,
    name: &str,
    operation: &str,
    dry: DryRun,
    obj: &Value,
) {
    match p.value("output") {
        Some("name") => out.outln(format!("{}/{name}", r.name_prefix())),
        Some("yaml") => out.out(crate::output::yaml(&crate::output::strip_managed(
            obj.clone(),
        ))),
        Some("json") => out.out(crate::output::json(&crate::output::strip_managed(
            obj.clone(),
        ))),
        Some(x) if x.starts_with("jsonpath=") => {
            let t = x.trim_start_matches("jsonpath=");
            match crate::output::jsonpath(t, obj) {
                Ok(text) => out.out(text),
                Err(e) => out.fail(e),
            }
        }
        _ => out.outln(format!(
            "{}/{name} {operation}{}",
            r.name_prefix(),
            dry.suffix()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flags::parse;

    fn strategy(args: &[&str]) -> (Option<DryRun>, String, Vec<String>) {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        let p = parse(&args, &[FLAG], "kubectl scale").unwrap();
        let mut out = Out::default();
        let d = DryRun::from_flag(&p, 61_500, &mut out);
        let err: String = out.chunks.iter().map(|(_, t)| t.as_str()).collect();
        (d, err, p.positional)
    }

    /// kubectl `pkg/cmd/util/helpers.go` `AddDryRunFlag` / `GetDryRunStrategy` (v0.35.0).
    #[test]
    fn dry_run_values_as_get_dry_run_strategy_reads_them() {
        assert_eq!(strategy(&[]).0, Some(DryRun::None));
        assert_eq!(strategy(&["--dry-run=client"]).0, Some(DryRun::Client));
        assert_eq!(strategy(&["--dry-run=server"]).0, Some(DryRun::Server));
        assert_eq!(strategy(&["--dry-run=none"]).0, Some(DryRun::None));
        // NoOptDefVal: the bare flag does not take the next word.
        let (d, err, pos) = strategy(&["--dry-run", "client"]);
        assert_eq!(d, Some(DryRun::Client));
        assert_eq!(pos, ["client"]);
        assert_eq!(
            err,
            "W0101 00:01:01.500000   48213 helpers.go:719] --dry-run is deprecated and can be replaced with --dry-run=client.\n"
        );
        let (d, err, _) = strategy(&["--dry-run=true"]);
        assert_eq!(d, Some(DryRun::Client));
        assert!(err.ends_with("helpers.go:733] --dry-run=true is deprecated (boolean value) and can be replaced with --dry-run=client.\n"), "{err}");
        let (d, err, _) = strategy(&["--dry-run=0"]);
        assert_eq!(d, Some(DryRun::None));
        assert!(err.ends_with("helpers.go:736] --dry-run=0 is deprecated (boolean value) and can be replaced with --dry-run=none.\n"), "{err}");
        let (d, err, _) = strategy(&["--dry-run=yes"]);
        assert_eq!(d, None);
        assert_eq!(
            err,
            "error: Invalid dry-run value (yes). Must be \"none\", \"server\", or \"client\".\n"
        );
    }
}

//! The help kubectl prints: `kubectl CMD --help` (or `-h`, or `kubectl help CMD`) for the
//! commands this playground simulates, a command group (`kubectl rollout`, `kubectl set`,
//! `kubectl config`) typed without a subcommand, and the root's help.
//!
//! The commands' texts are kubectl's own, in `crates/kubectl/k8s-help.txt` (one section per
//! command, `@@ kubectl CMD`): kubectl v1.33.1's output when stdout is not a terminal (no
//! wrapping), with what changed up to v1.35 applied from upstream's diff (kubectl
//! v0.33.1..v0.35.0, cli-runtime likewise): `-o` lists `kyaml` (cli-runtime
//! `genericclioptions/json_yaml_flags.go`, on unless `KUBECTL_KYAML=false`), `--chunk-size`
//! is no longer "beta" (`pkg/cmd/util/helpers.go`), `get --ignore-not-found`'s new usage
//! (`pkg/cmd/get/get.go`), `explain -o` (`pkg/cmd/explain/explain.go`), `wait` no longer
//! "Experimental" (`pkg/cmd/wait/wait.go`). The file is one of the texts the page fetches on
//! first use (`crate::texts`), so it costs the wasm nothing; until it is here a command's help
//! is a hint saying so.
//!
//! A group's `Run` is `cmdutil.DefaultSubCommandRun(w)` (kubectl `pkg/cmd/util/helpers.go`,
//! v0.35.0): it prints `c.Help()` to `w` and then exits 1 through `CheckErr(ErrExit)` without
//! a message. `rollout` passes stdout (`pkg/cmd/rollout/rollout.go`), `set` and `config` pass
//! stderr (`pkg/cmd/set/set.go`, `pkg/cmd/config/config.go`). The help flag prints the same
//! text on stdout, exit 0.

use crate::out::{Out, Stream};

/// The texts' file of kubectl's help (a path of [`crate::texts::PATHS`]).
pub const HELP_FILE: &str = "crates/kubectl/k8s-help.txt";

/// kubectl's help for `path` (`kubectl rollout status`), when the texts are here.
pub fn text(path: &str) -> Option<String> {
    let all = crate::texts::get(HELP_FILE)?;
    let head = format!("\n@@ {path}\n");
    let at = all.find(&head)?;
    let body = all.get(at + head.len()..)?;
    let end = body.find("\n@@ ").map_or(body.len(), |e| e + 1);
    body.get(..end).map(str::to_string)
}

/// Whether `line` may print a command's help (so the page runs it once the texts are here):
/// a word `-h`, `--help` or `help`, or a group's name last (`kubectl rollout`).
pub fn may_print_help(line: &str) -> bool {
    line.split_whitespace()
        .any(|w| matches!(w, "-h" | "--help" | "help"))
        || line
            .split_whitespace()
            .last()
            .is_some_and(|w| matches!(w, "rollout" | "set" | "config"))
}

/// `kubectl CMD --help`: kubectl's help on stdout, success.
pub(crate) fn command(path: &str, out: &mut Out) {
    match text(path) {
        Some(t) => out.out(t),
        None => missing(path, out),
    }
}

/// The help texts are not here (the page could not fetch them): say so as ours.
fn missing(path: &str, out: &mut Out) {
    let page = path.replace(' ', "_");
    out.hint(format!(
        "kubectl's help text is not loaded here (texts.json); it is at https://kubernetes.io/docs/reference/kubectl/generated/{page}/"
    ));
}

/// `SectionTipsHelp` and `SectionTipsGlobalOptions`.
fn tips(s: &mut String, path: &str) {
    s.push_str(&format!(
        "Use \"{path} <command> --help\" for more information about a given command.\n\
         Use \"kubectl options\" for a list of global command-line options (applies to all commands).\n",
    ));
}

/// `kubectl`, `kubectl -h`, `kubectl help` (kubectl `pkg/cmd/cmd.go` `NewKubectlCommand`
/// v0.35.0: the root's groups in order, then the plugin group, empty here, then "Other
/// Commands" (`templates.AddAdditionalCommands`: the rest, alphabetical, `options` filtered);
/// `alpha` shows because it holds `kuberc`). Names padded to cobra's `NamePadding`, the
/// longest root command (`api-resources`, 13), then three spaces (`templater.go`
/// `cmdGroupsString`); each description is the command's upstream `Short`.
pub(crate) fn root() -> String {
    let mut s = String::from(
        "kubectl controls the Kubernetes cluster manager.\n\n Find more information at: https://kubernetes.io/docs/reference/kubectl/\n",
    );
    for line in ROOT.lines() {
        match line.split_once(' ') {
            Some((name, short)) if !line.ends_with(':') => {
                s.push_str(&format!("  {name:<13}   {short}\n"));
            }
            _ => s.push_str(&format!("\n{line}\n")),
        }
    }
    s.push_str("\nUsage:\n  kubectl [flags] [options]\n\n");
    tips(&mut s, "kubectl");
    s
}

const ROOT: &str = "Basic Commands (Beginner):
create Create a resource from a file or from stdin
expose Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service
run Run a particular image on the cluster
set Set specific features on objects
Basic Commands (Intermediate):
explain Get documentation for a resource
get Display one or many resources
edit Edit a resource on the server
delete Delete resources by file names, stdin, resources and names, or by resources and label selector
Deploy Commands:
rollout Manage the rollout of a resource
scale Set a new size for a deployment, replica set, or replication controller
autoscale Auto-scale a deployment, replica set, stateful set, or replication controller
Cluster Management Commands:
certificate Modify certificate resources
cluster-info Display cluster information
top Display resource (CPU/memory) usage
cordon Mark node as unschedulable
uncordon Mark node as schedulable
drain Drain node in preparation for maintenance
taint Update the taints on one or more nodes
Troubleshooting and Debugging Commands:
describe Show details of a specific resource or group of resources
logs Print the logs for a container in a pod
attach Attach to a running container
exec Execute a command in a container
port-forward Forward one or more local ports to a pod
proxy Run a proxy to the Kubernetes API server
cp Copy files and directories to and from containers
auth Inspect authorization
debug Create debugging sessions for troubleshooting workloads and nodes
events List events
Advanced Commands:
diff Diff the live version against a would-be applied version
apply Apply a configuration to a resource by file name or stdin
patch Update fields of a resource
replace Replace a resource by file name or stdin
wait Wait for a specific condition on one or many resources
kustomize Build a kustomization target from a directory or URL
Settings Commands:
label Update the labels on a resource
annotate Update the annotations on a resource
completion Output shell completion code for the specified shell (bash, zsh, fish, or powershell)
Subcommands provided by plugins:
Other Commands:
alpha Commands for features in alpha
api-resources Print the supported API resources on the server
api-versions Print the supported API versions on the server, in the form of \"group/version\"
config Modify kubeconfig files
plugin Provides utilities for interacting with plugins
version Print the client and server version information";

/// `kubectl <group>` with no subcommand: the help on the group's stream, exit 1
/// (`DefaultSubCommandRun`).
pub(crate) fn group_without_subcommand(path: &str, out: &mut Out) {
    let stream = if path == "kubectl rollout" {
        Stream::Out
    } else {
        Stream::Err
    };
    match text(path) {
        Some(t) => out.chunks.push((stream, t)),
        None => missing(path, out),
    }
    out.failed = true;
}

/// `kubectl <group> -h|--help`: cobra's help flag prints the same text on stdout, exit 0.
pub(crate) fn group_help_flag(path: &str, out: &mut Out) {
    command(path, out);
}

#[cfg(test)]
mod tests {
    use crate::Session;

    // kubectl pkg/cmd/rollout/rollout.go: DefaultSubCommandRun(streams.Out) -> help on stdout,
    // then CheckErr(ErrExit) -> exit 1 with nothing on stderr.
    #[test]
    fn rollout_without_subcommand_prints_group_help_on_stdout_and_exits_1() {
        let mut s = Session::new();
        let o = s.run_line("kubectl rollout");
        assert!(!o.ok);
        assert_eq!(o.stderr, "");
        assert!(o.stdout.starts_with(
            "Manage the rollout of one or many resources.\n        \n Valid resource types include:\n"
        ));
        assert!(o.stdout.contains(
            "Available Commands:\n  history       View rollout history\n  pause         Mark the provided resource as paused\n"
        ));
        assert!(
            o.stdout
                .contains("  undo          Undo a previous rollout\n")
        );
        assert!(o.stdout.contains("Examples:\n  # Rollback to the previous deployment\n  kubectl rollout undo deployment/abc\n  \n"));
        assert!(o.stdout.ends_with("Usage:\n  kubectl rollout SUBCOMMAND [options]\n\nUse \"kubectl rollout <command> --help\" for more information about a given command.\nUse \"kubectl options\" for a list of global command-line options (applies to all commands).\n"));
    }

    // kubectl pkg/cmd/set/set.go: DefaultSubCommandRun(streams.ErrOut) -> help on stderr.
    #[test]
    fn set_without_subcommand_prints_group_help_on_stderr_and_exits_1() {
        let mut s = Session::new();
        let o = s.run_line("kubectl set");
        assert!(!o.ok);
        assert_eq!(o.stdout, "");
        // Every subcommand of upstream's `set`, not only the one simulated here.
        assert_eq!(
            o.stderr,
            "Configure application resources.\n\n These commands help you make changes to existing application resources.\n\nAvailable Commands:\n  env              Update environment variables on a pod template\n  image            Update the image of a pod template\n  resources        Update resource requests/limits on objects with pod templates\n  selector         Set the selector on a resource\n  serviceaccount   Update the service account of a resource\n  subject          Update the user, group, or service account in a role binding or cluster role binding\n\nUsage:\n  kubectl set SUBCOMMAND [options]\n\nUse \"kubectl set <command> --help\" for more information about a given command.\nUse \"kubectl options\" for a list of global command-line options (applies to all commands).\n"
        );
        assert!(!o.stderr.contains("Required resource"));
    }

    // kubectl pkg/cmd/config/config.go: DefaultSubCommandRun(streams.ErrOut).
    #[test]
    fn config_without_subcommand_prints_group_help_on_stderr_and_exits_1() {
        let mut s = Session::new();
        let o = s.run_line("kubectl config");
        assert!(!o.ok);
        assert_eq!(o.stdout, "");
        assert!(o.stderr.starts_with("Modify kubeconfig files using subcommands like \"kubectl config set current-context my-context\".\n\n The loading order follows these rules:\n\n  1.  If the --kubeconfig flag is set"));
        assert!(o.stderr.contains("\n\nAvailable Commands:\n  current-context   Display the current-context\n  delete-cluster    Delete the specified cluster from the kubeconfig\n"));
        assert!(o.stderr.contains("  view              Display merged kubeconfig settings or a specified kubeconfig file\n\nUsage:\n  kubectl config SUBCOMMAND [options]\n"));
        assert!(!o.stderr.contains("Required subcommand"));
        assert!(s.run_line("kubectl config --help").ok);
    }

    #[test]
    fn group_help_flag_is_stdout_and_succeeds() {
        let mut s = Session::new();
        for line in ["kubectl set --help", "kubectl rollout -h"] {
            let o = s.run_line(line);
            assert!(o.ok, "{line}");
            assert!(o.stdout.contains("Available Commands:\n"), "{line}");
            assert_eq!(o.stderr, "", "{line}");
        }
    }

    #[test]
    fn unknown_subcommand_still_a_usage_error() {
        let mut s = Session::new();
        let o = s.run_line("kubectl rollout frobnicate");
        assert!(!o.ok);
        assert!(o.stderr.contains("unknown command \"frobnicate\""));
    }

    /// Every command this playground simulates prints kubectl's own help for `--help`, `-h`
    /// and `kubectl help CMD`: upstream's long description, examples, options, usage line
    /// (kubectl v1.35, `pkg/util/templates/templates.go` `MainHelpTemplate`).
    #[test]
    fn every_simulated_command_prints_kubectls_help() {
        let paths = [
            "apply",
            "create",
            "get",
            "describe",
            "delete",
            "scale",
            "set image",
            "patch",
            "label",
            "annotate",
            "edit",
            "rollout status",
            "rollout history",
            "rollout undo",
            "rollout restart",
            "rollout pause",
            "rollout resume",
            "logs",
            "exec",
            "run",
            "explain",
            "cordon",
            "uncordon",
            "drain",
            "api-resources",
            "version",
            "cluster-info",
            "config current-context",
            "config get-contexts",
            "wait",
            "events",
        ];
        for path in paths {
            let want = super::text(&format!("kubectl {path}")).unwrap_or_default();
            assert!(
                want.contains(&format!("\nUsage:\n  kubectl {path}"))
                    && want.ends_with("Use \"kubectl options\" for a list of global command-line options (applies to all commands).\n"),
                "{path}: {want}"
            );
            for line in [
                format!("kubectl {path} --help"),
                format!("kubectl {path} -h"),
                format!("kubectl help {path}"),
            ] {
                let mut s = Session::new();
                let o = s.run_line(&line);
                assert!(o.ok, "{line}");
                assert_eq!(o.stdout, want, "{line}");
                assert_eq!(o.stderr, "", "{line}");
            }
        }
        // kubectl scale's, from pkg/cmd/scale/scale.go (v0.35.0): Long, Example, flags.
        let scale = super::text("kubectl scale").unwrap_or_default();
        assert!(scale.starts_with("Set a new size for a deployment, replica set, replication controller, or stateful set.\n\n Scale also allows"));
        assert!(scale.contains("  # If the deployment named mysql's current size is 2, scale mysql to 3\n  kubectl scale --current-replicas=2 --replicas=3 deployment/mysql\n"));
        assert!(scale.contains("    --current-replicas=-1:\n\tPrecondition for current size."));
        // cli-runtime v0.35.0 json_yaml_flags.go: kyaml is listed.
        assert!(scale.contains("Output format. One of: (json, yaml, kyaml, name, go-template,"));
        // Deprecated flags (`--record`) are hidden from help.
        assert!(!scale.contains("--record"));
        assert!(scale.ends_with("Usage:\n  kubectl scale [--resource-version=version] [--current-replicas=count] --replicas=COUNT (-f FILENAME | TYPE NAME) [options]\n\nUse \"kubectl options\" for a list of global command-line options (applies to all commands).\n"));
        // v1.35's changes over the v1.33 text.
        let get = super::text("kubectl get").unwrap_or_default();
        assert!(!get.contains("This flag is beta"));
        assert!(get.contains("If set to true, suppresses NotFound error for specific objects"));
        assert!(
            super::text("kubectl wait")
                .unwrap_or_default()
                .starts_with("Wait for a specific condition")
        );
        assert!(
            super::text("kubectl explain")
                .unwrap_or_default()
                .contains("    -o, --output='plaintext':\n")
        );
        assert!(super::text("kubectl nope").is_none());
        assert!(super::text("kubectl set").is_some_and(|t| !t.contains("@@")));
    }

    #[test]
    fn lines_that_may_print_help_wait_for_the_texts() {
        for l in [
            "kubectl scale --help",
            "kubectl help get",
            "k get -h",
            "kubectl rollout",
            "kubectl set",
        ] {
            assert!(super::may_print_help(l), "{l}");
        }
        for l in [
            "kubectl get pods",
            "kubectl rollout status sts/web",
            "kubectl get svc nginx-headless",
        ] {
            assert!(!super::may_print_help(l), "{l}");
        }
    }
}

//! The help kubectl prints for a command group (`kubectl rollout`, `kubectl set`) typed without a
//! subcommand, or with `-h`/`--help`.
//!
//! Upstream: the group's `Run` is `cmdutil.DefaultSubCommandRun(w)` (kubectl
//! `pkg/cmd/util/helpers.go`, v0.35.0): it prints `c.Help()` to `w` and then exits 1 through
//! `CheckErr(ErrExit)` without a message. `rollout` passes stdout (`pkg/cmd/rollout/rollout.go`),
//! `set` and `config` pass stderr (`pkg/cmd/set/set.go`, `pkg/cmd/config/config.go`). The text is kubectl's help template
//! (`pkg/util/templates/templates.go` `MainHelpTemplate`/`MainUsageTemplate`): the long
//! description (rendered through `templates.LongDesc`, whose markdown pass in
//! `pkg/util/templates/markdown.go` starts every text line of a paragraph with one space and
//! renders list items as `  *  item`), then "Examples:", "Available Commands:" (names padded to
//! cobra's `NamePadding`, at least 11 columns, then three spaces: `templater.go`
//! `cmdGroupsString` since v1.24), "Usage:" and the two `Use "…"` tips. Only the subcommands this
//! playground simulates are listed; their one-line descriptions are upstream's `Short` strings.

use crate::out::{Out, Stream};

/// One command group's help, as kubectl v1.35 renders it.
struct Group {
    path: &'static str,
    long: &'static str,
    examples: &'static [&'static str],
    /// (name, upstream `Short`), alphabetical as cobra sorts them.
    commands: &'static [(&'static str, &'static str)],
    usage: &'static str,
    /// cobra's `NamePadding`: the longest name among all of upstream's subcommands (we list
    /// fewer), at least 11.
    pad: usize,
    /// `DefaultSubCommandRun`'s writer.
    stream: Stream,
}

const ROLLOUT: Group = Group {
    path: "kubectl rollout",
    long: "Manage the rollout of one or many resources.\n\n Valid resource types include:\n\n  *  deployments\n  *  daemonsets\n  *  statefulsets",
    examples: &[
        "# Rollback to the previous deployment",
        "kubectl rollout undo deployment/abc",
        "",
        "# Check the rollout status of a daemonset",
        "kubectl rollout status daemonset/foo",
        "",
        "# Restart a deployment",
        "kubectl rollout restart deployment/abc",
        "",
        "# Restart deployments with the 'app=nginx' label",
        "kubectl rollout restart deployment --selector=app=nginx",
    ],
    commands: &[
        ("history", "View rollout history"),
        ("pause", "Mark the provided resource as paused"),
        ("restart", "Restart a resource"),
        ("resume", "Resume a paused resource"),
        ("status", "Show the status of the rollout"),
        ("undo", "Undo a previous rollout"),
    ],
    usage: "kubectl rollout SUBCOMMAND [options]",
    pad: 11,
    stream: Stream::Out,
};

const SET: Group = Group {
    path: "kubectl set",
    long: "Configure application resources.\n\n These commands help you make changes to existing application resources.",
    examples: &[],
    commands: &[("image", "Update the image of a pod template")],
    usage: "kubectl set SUBCOMMAND [options]",
    pad: 14, // serviceaccount
    stream: Stream::Err,
};

/// `kubectl config` (`pkg/cmd/config/config.go`): help on stderr. Its long description is
/// plain markdown (every line indented alike), so the first paragraph loses its leading space
/// to the final trim and the ordered list renders as `  1.  …`.
const CONFIG: Group = Group {
    path: "kubectl config",
    long: "Modify kubeconfig files using subcommands like \"kubectl config set current-context my-context\".\n\n The loading order follows these rules:\n\n  1.  If the --kubeconfig flag is set, then only that file is loaded. The flag may only be set once and no merging takes place.\n  2.  If $KUBECONFIG environment variable is set, then it is used as a list of paths (normal path delimiting rules for your system). These paths are merged. When a value is modified, it is modified in the file that defines the stanza. When a value is created, it is created in the first file that exists. If no files in the chain exist, then it creates the last file in the list.\n  3.  Otherwise, ${HOME}/.kube/config is used and no merging takes place.",
    examples: &[],
    commands: &[
        ("current-context", "Display the current-context"),
        ("get-contexts", "Describe one or many contexts"),
    ],
    usage: "kubectl config SUBCOMMAND [options]",
    pad: 15, // current-context, set-credentials
    stream: Stream::Err,
};

fn render(g: &Group) -> String {
    let mut s = String::from(g.long);
    s.push_str("\n\n");
    if !g.examples.is_empty() {
        s.push_str("Examples:\n");
        // `templates.Examples` indents every line, blank ones too, by two spaces.
        for line in g.examples {
            s.push_str("  ");
            s.push_str(line);
            s.push('\n');
        }
        s.push('\n');
    }
    s.push_str("Available Commands:\n");
    for (name, short) in g.commands {
        s.push_str(&format!("  {name:<0$}   {short}\n", g.pad));
    }
    s.push_str(&format!("\nUsage:\n  {}\n\n", g.usage));
    tips(&mut s, g.path);
    s
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

fn group(path: &str) -> Option<&'static Group> {
    match path {
        "kubectl rollout" => Some(&ROLLOUT),
        "kubectl set" => Some(&SET),
        "kubectl config" => Some(&CONFIG),
        _ => None,
    }
}

/// `kubectl <group>` with no subcommand: the help on the group's stream, exit 1
/// (`DefaultSubCommandRun`). Returns false for a path that is not a known group.
pub(crate) fn group_without_subcommand(path: &str, out: &mut Out) -> bool {
    let Some(g) = group(path) else {
        return false;
    };
    out.chunks.push((g.stream, render(g)));
    out.failed = true;
    true
}

/// `kubectl <group> -h|--help`: cobra's help flag prints the same text on stdout, exit 0.
pub(crate) fn group_help_flag(path: &str, out: &mut Out) -> bool {
    let Some(g) = group(path) else {
        return false;
    };
    out.out(render(g));
    true
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
            "Manage the rollout of one or many resources.\n\n Valid resource types include:\n"
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
        assert_eq!(
            o.stderr,
            "Configure application resources.\n\n These commands help you make changes to existing application resources.\n\nAvailable Commands:\n  image            Update the image of a pod template\n\nUsage:\n  kubectl set SUBCOMMAND [options]\n\nUse \"kubectl set <command> --help\" for more information about a given command.\nUse \"kubectl options\" for a list of global command-line options (applies to all commands).\n"
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
        assert!(o.stderr.contains("\n\nAvailable Commands:\n  current-context   Display the current-context\n  get-contexts      Describe one or many contexts\n\nUsage:\n  kubectl config SUBCOMMAND [options]\n"));
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
}

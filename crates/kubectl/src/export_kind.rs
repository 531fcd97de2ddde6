//! "Run it for real": a session as a POSIX `sh` script that creates a kind cluster, writes the
//! session's files, and runs the same command lines with the waits a real cluster needs, so a
//! learner can hold stsplay's transcript against a real cluster.
//!
//! How the script is made ([`script`]): the command log is replayed in a fresh session (the
//! simulation is deterministic), and each line becomes
//!
//! - itself, when it is a host shell line of `kubectl` and the few builtins the playground
//!   runs (`echo`, `sleep`, pipes to grep/head/tail/wc, `for` loops);
//! - for a watch (`kubectl get -w`, `kubectl events -w`, `kubectl logs -f`), which never ends in
//!   a script: the waits for the state the watch reached in stsplay, then the same command
//!   without the watch flag;
//! - for `sim settle`: the waits (`kubectl rollout status` for settled RollingUpdate
//!   StatefulSets, then each pod's readiness or deletion and each claim's deletion, as stsplay
//!   reached them); `sim advance D` becomes `sleep`; `sim reset` deletes and recreates
//!   the kind cluster; `sim tour next` becomes the step's commands; every other `sim` line is a
//!   comment;
//! - for `kubectl run -i --tty …` and the lines typed into the attached shell: the same
//!   `kubectl run -i …` (no `--tty`: a script has no terminal) with those lines as a quoted
//!   here-document on its standard input;
//! - a comment for anything else (other programs, `kubectl edit`, verbs the playground does not
//!   run, flags that pick another cluster), so the script never runs what stsplay did not.
//!
//! Safety: the script uses its own kubeconfig (`KUBECONFIG` in a temporary directory), files
//! are written with quoted here-documents whose delimiter appears in no line of the content,
//! file names are single-quoted and must be plain relative paths, and every piece of user text
//! in a comment is on lines that start with `#`. Run the result with `sh FILE` and check it
//! with `sh -n FILE`.

use std::collections::BTreeSet;

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::{PersistentVolumeClaim, Pod};
use sim::cluster::ClusterConfig;

use crate::fs::VirtualFs;
use crate::session::Session;
use crate::sh;

/// Namespaces of kind's own pods: never waited for.
const SYSTEM_NAMESPACES: &[&str] = &[
    "kube-system",
    "kube-public",
    "kube-node-lease",
    "local-path-storage",
];

/// kubectl verbs the playground runs and the script may run too.
const VERBS: &[&str] = &[
    "apply",
    "create",
    "get",
    "describe",
    "delete",
    "scale",
    "set",
    "patch",
    "label",
    "annotate",
    "rollout",
    "logs",
    "exec",
    "explain",
    "cordon",
    "uncordon",
    "drain",
    "api-resources",
    "version",
    "cluster-info",
    "wait",
    "events",
    "run",
];

/// Flags that would send a command to another cluster or identity.
const ELSEWHERE_FLAGS: &[&str] = &[
    "--kubeconfig",
    "--context",
    "--cluster",
    "--server",
    "--user",
    "--token",
    "-s",
    "--as",
];

/// Builtins of the host shell that the script may run.
const BUILTINS: &[&str] = &[
    "echo", "true", "false", ":", "sleep", "export", "unset", "cat", "grep", "egrep", "head",
    "tail", "wc",
];

/// Prefix every line of `text` with `# ` (user text in a comment can never become code).
fn comment(text: &str) -> String {
    let mut out = String::new();
    for l in text.split('\n') {
        out.push_str("# ");
        out.push_str(&l.replace('\r', " "));
        out.push('\n');
    }
    out
}

/// A file name the script may write: a relative path of plain components.
fn safe_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 255
        && !name.starts_with('/')
        && !name.starts_with('-')
        && !name.chars().any(|c| c.is_control())
        && name
            .split('/')
            .all(|c| !c.is_empty() && c != "." && c != "..")
}

/// A here-document delimiter that is no line of `content`.
fn delimiter(base: &str, content: &str) -> String {
    let lines: BTreeSet<&str> = sim::sort::to_set(content.lines());
    let mut n = 0usize;
    loop {
        let d = if n == 0 {
            base.to_string()
        } else {
            format!("{base}_{n}")
        };
        if !lines.contains(d.as_str()) {
            return d;
        }
        n += 1;
    }
}

/// `cat > 'NAME' <<'DELIM'` … `DELIM` (a missing final newline is added: a here-document
/// always ends with one).
fn heredoc_file(name: &str, content: &str) -> String {
    let d = delimiter("STSPLAY_EOF", content);
    let mut out = String::new();
    if let Some((dir, _)) = name.rsplit_once('/') {
        out.push_str(&format!("mkdir -p {}\n", sh::quote(dir)));
    }
    out.push_str(&format!("cat > {} <<'{d}'\n", sh::quote(name)));
    out.push_str(content);
    if !content.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&d);
    out.push('\n');
    out
}

const HEADER: &str = r#"#!/bin/sh
# Generated by stsplay, the StatefulSet playground: this session, for a real cluster.
# It creates a kind cluster, writes the session's files into a temporary
# directory and runs the session's commands, with the waits a real cluster needs (stsplay's
# simulated time passes only when asked; a real cluster's does not).
#
# Needs: kind (v0.31 or later: Kubernetes v1.35) and kubectl v1.35, with Docker or Podman.
# Run:   sh THIS_FILE        (not `sh < THIS_FILE`: `kubectl exec -i` would read the script)
# Clean: kind delete cluster --name "$CLUSTER" (the last lines print the exact command)
#
# Lines stsplay did not run on a real cluster are comments, and its own directives (`sim …`)
# became waits or comments.

CLUSTER="${STSPLAY_CLUSTER:-stsplay}"
WORKDIR="$(mktemp -d)" || exit 1
KUBECONFIG="$WORKDIR/kubeconfig"
export KUBECONFIG
# A terminal on standard input is not this script: keep `kubectl exec -i` away from it.
[ -t 0 ] && exec </dev/null

# stsplay's waits (output kept short; a timeout says so on stderr and the script goes on).
stsplay_wait_ready() {
  n=0
  until kubectl get "$@" >/dev/null 2>&1; do
    n=$((n + 1))
    if [ "$n" -ge 300 ]; then echo "stsplay: $* did not appear" >&2; return 0; fi
    sleep 1
  done
  kubectl wait --for=condition=Ready "$@" --timeout=300s >/dev/null || echo "stsplay: $* is not Ready after 5m" >&2
}
stsplay_wait_gone() {
  kubectl wait --for=delete "$@" --timeout=300s >/dev/null 2>&1 || echo "stsplay: $* is still there after 5m" >&2
}
stsplay_rollout() {
  sleep 2
  kubectl rollout status "$@" --timeout=300s >/dev/null || echo "stsplay: rollout of $* not complete after 5m" >&2
}
k() { kubectl "$@"; }
"#;

fn kind_config(cfg: &ClusterConfig) -> String {
    let mut y = String::from("kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n");
    if !cfg.feature_gates.is_empty() {
        y.push_str("featureGates:\n");
        for (g, on) in &cfg.feature_gates {
            y.push_str(&format!("  {}: {}\n", g.name(), on));
        }
    }
    y.push_str("nodes:\n- role: control-plane\n");
    for _ in 1..cfg.nodes.clamp(1, 16) {
        y.push_str("- role: worker\n");
    }
    y
}

fn create_cluster() -> String {
    "kind create cluster --name \"$CLUSTER\" --config \"$WORKDIR/kind-config.yaml\" --kubeconfig \"$KUBECONFIG\" || exit 1\nkubectl wait --for=condition=Ready nodes --all --timeout=300s >/dev/null\n".to_string()
}

/// What the cluster looks like at a wait point (user namespaces only).
#[derive(Default)]
struct Seen {
    pods: BTreeSet<(String, String)>,
    claims: BTreeSet<(String, String)>,
}

fn user_ns(ns: &str) -> bool {
    !SYSTEM_NAMESPACES.contains(&ns)
}

fn ns_flag(ns: &str) -> String {
    if ns == "default" {
        String::new()
    } else {
        format!(" -n {}", sh::quote(ns))
    }
}

fn snapshot(s: &Session) -> Seen {
    let store = s.cluster().store();
    let mut seen = Seen::default();
    for p in store.list::<Pod>(None) {
        let ns = p.metadata.namespace.clone().unwrap_or_default();
        if user_ns(&ns) {
            seen.pods
                .insert((ns, p.metadata.name.clone().unwrap_or_default()));
        }
    }
    for c in store.list::<PersistentVolumeClaim>(None) {
        let ns = c.metadata.namespace.clone().unwrap_or_default();
        if user_ns(&ns) {
            seen.claims
                .insert((ns, c.metadata.name.clone().unwrap_or_default()));
        }
    }
    seen
}

/// The waits for the state stsplay reached, given what existed at the previous wait point.
fn waits(s: &Session, before: &Seen) -> String {
    let store = s.cluster().store();
    let mut out = String::new();
    for set in store.list::<StatefulSet>(None) {
        let ns = set.metadata.namespace.clone().unwrap_or_default();
        if !user_ns(&ns) || set.metadata.deletion_timestamp.is_some() {
            continue;
        }
        let spec = set.spec.as_ref();
        let rolling = spec
            .and_then(|sp| sp.update_strategy.as_ref())
            .and_then(|u| u.type_.as_deref())
            .is_none_or(|t| t == "RollingUpdate");
        let replicas = spec.and_then(|sp| sp.replicas).unwrap_or(1);
        let ready = set
            .status
            .as_ref()
            .and_then(|st| st.ready_replicas)
            .unwrap_or(0);
        if rolling && ready == replicas {
            out.push_str(&format!(
                "stsplay_rollout statefulset/{}{}\n",
                sh::quote(set.metadata.name.as_deref().unwrap_or_default()),
                ns_flag(&ns)
            ));
        }
    }
    let now = snapshot(s);
    for (ns, name) in &before.pods {
        if !now.pods.contains(&(ns.clone(), name.clone())) {
            out.push_str(&format!(
                "stsplay_wait_gone pod/{}{}\n",
                sh::quote(name),
                ns_flag(ns)
            ));
        }
    }
    for p in store.list::<Pod>(None) {
        let ns = p.metadata.namespace.clone().unwrap_or_default();
        if !user_ns(&ns) || p.metadata.deletion_timestamp.is_some() {
            continue;
        }
        let name = p.metadata.name.clone().unwrap_or_default();
        let ready = p
            .status
            .as_ref()
            .and_then(|st| st.conditions.as_ref())
            .is_some_and(|c| c.iter().any(|c| c.type_ == "Ready" && c.status == "True"));
        if ready {
            out.push_str(&format!(
                "stsplay_wait_ready pod/{}{}\n",
                sh::quote(&name),
                ns_flag(&ns)
            ));
        } else {
            let cols = sim::podstatus::columns(p, s.cluster().now());
            out.push_str(&comment(&format!(
                "stsplay: pod {name} is not Ready here either ({})",
                cols.status
            )));
        }
    }
    for (ns, name) in &before.claims {
        if !now.claims.contains(&(ns.clone(), name.clone())) {
            out.push_str(&format!(
                "stsplay_wait_gone pvc/{}{}\n",
                sh::quote(name),
                ns_flag(ns)
            ));
        }
    }
    out
}

/// The literal words of a line that is one simple command without expansions.
fn literal_words(line: &str) -> Option<Vec<String>> {
    let program = sh::parse(line).ok()?;
    let [ao] = program.0.as_slice() else {
        return None;
    };
    if !ao.rest.is_empty() {
        return None;
    }
    let [sh::Command::Simple(simple)] = ao.first.0.as_slice() else {
        return None;
    };
    if !simple.assigns.is_empty() || !simple.redirs.is_empty() {
        return None;
    }
    simple.words.iter().map(sh::literal).collect()
}

/// Shorthand letters of kubectl flags that take a value: in `-owide` everything after `o` is
/// the value.
const VALUE_SHORTS: &[char] = &['o', 'l', 'L', 'n', 'c', 's', 'p', 'e'];

/// A short-flag word split into its boolean letters and the rest (a value flag and its value):
/// `-wA` → ("wA", ""), `-owide` → ("", "owide"), `-it` → ("it", "").
fn short_parts(w: &str) -> Option<(String, String)> {
    let body = w
        .strip_prefix('-')
        .filter(|b| !b.is_empty() && !b.starts_with('-'))?;
    let at = body
        .find(|c: char| VALUE_SHORTS.contains(&c))
        .unwrap_or(body.len());
    Some((
        body.get(..at).unwrap_or("").to_string(),
        body.get(at..).unwrap_or("").to_string(),
    ))
}

fn verb_of(words: &[String]) -> &str {
    words
        .iter()
        .skip(1)
        .find(|w| !w.starts_with('-'))
        .map_or("", String::as_str)
}

/// Whether a kubectl word list asks for a watch or a follow (`-w`, `--watch`, `logs -f`).
fn is_watch(words: &[String]) -> bool {
    let logs = verb_of(words) == "logs";
    words.iter().skip(1).any(|w| {
        matches!(
            w.as_str(),
            "--watch" | "--watch=true" | "--watch-only" | "--watch-only=true"
        ) || (logs && matches!(w.as_str(), "--follow" | "--follow=true"))
            || short_parts(w).is_some_and(|(b, _)| b.contains('w') || (logs && b.contains('f')))
    })
}

/// Drop the boolean letters `drop` from short-flag words and the long flags `long`.
fn strip_flags(words: &[String], drop: &[char], long: &[&str]) -> Vec<String> {
    words
        .iter()
        .filter_map(|w| {
            if long.contains(&w.as_str()) {
                return None;
            }
            if let Some((b, rest)) = short_parts(w) {
                let kept: String = b.chars().filter(|c| !drop.contains(c)).collect();
                let all = format!("{kept}{rest}");
                return (!all.is_empty()).then(|| format!("-{all}"));
            }
            Some(w.clone())
        })
        .collect()
}

/// The same command without its watch/follow flags.
fn without_watch(words: &[String]) -> Vec<String> {
    let logs = verb_of(words) == "logs";
    let drop: &[char] = if logs { &['w', 'f'] } else { &['w'] };
    let mut long = vec![
        "--watch",
        "--watch=true",
        "--watch-only",
        "--watch-only=true",
    ];
    if logs {
        long.extend(["--follow", "--follow=true"]);
    }
    strip_flags(words, drop, &long)
}

/// `kubectl run` words without `--tty` (a script has no terminal).
fn without_tty(words: &[String]) -> Vec<String> {
    strip_flags(words, &['t'], &["--tty", "--tty=true"])
}

fn join(words: &[String]) -> String {
    words
        .iter()
        .map(|w| sh::quote(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Why a host shell line must not run on the real machine, if it must not.
fn refuse(line: &str) -> Option<String> {
    let program = match sh::parse(line) {
        Ok(p) => p,
        Err(e) => return Some(format!("stsplay could not run this line ({e})")),
    };
    for simple in sh::simple_commands(&program) {
        let Some(first) = simple.words.first() else {
            continue;
        };
        let Some(prog) = sh::literal(first) else {
            return Some("its command name is computed".into());
        };
        match prog.as_str() {
            "kubectl" | "k" => {
                let words: Vec<Option<String>> = simple.words.iter().map(sh::literal).collect();
                for w in words.iter().flatten() {
                    let flag = w.split('=').next().unwrap_or(w);
                    if ELSEWHERE_FLAGS.contains(&flag) {
                        return Some(format!("`{flag}` would leave the kind cluster"));
                    }
                }
                let verb = words
                    .iter()
                    .skip(1)
                    .flatten()
                    .find(|w| !w.starts_with('-'))
                    .cloned()
                    .unwrap_or_default();
                if verb == "edit" {
                    return Some(
                        "`kubectl edit` is interactive; the edited file is among the files above"
                            .into(),
                    );
                }
                if !VERBS.contains(&verb.as_str()) {
                    return Some(format!("stsplay does not run `kubectl {verb}`"));
                }
            }
            "sim" => return Some("a stsplay directive inside a shell line".into()),
            "exit" | "logout" => return Some("`exit` would end this script".into()),
            p if BUILTINS.contains(&p) => {}
            other => return Some(format!("stsplay does not run `{other}`")),
        }
    }
    None
}

/// The script for a session's command log, replayed on `cfg` with `files`.
pub fn script(log: &[String], files: &VirtualFs, cfg: &ClusterConfig) -> String {
    let mut out = String::from(HEADER);
    out.push('\n');
    out.push_str(&heredoc_file_at_workdir(
        "kind-config.yaml",
        &kind_config(cfg),
    ));
    out.push_str(&create_cluster());
    out.push_str("cd \"$WORKDIR\" || exit 1\n\n# The session's files\n");
    for (name, content) in &files.files {
        if name == "kind-config.yaml" || name == "kubeconfig" {
            out.push_str(&comment(
                "stsplay: a file named like the script's own was left out",
            ));
            continue;
        }
        if !safe_name(name) || content.contains('\0') {
            out.push_str(&comment(
                "stsplay: a file whose name is not a plain relative path (or whose text has NUL bytes) was left out",
            ));
            continue;
        }
        out.push_str(&heredoc_file(name, content));
    }
    out.push_str("\n# The session's commands\n");

    let mut s = Session::with_config(cfg.clone());
    s.fs = files.clone();
    s.exporting = true;
    let mut seen = snapshot(&s);
    // `kubectl run -i` waiting for the lines of its here-document: (command, lines).
    let mut pending: Option<(String, Vec<String>)> = None;
    // The lines still to run, the next one last (a stack: a tour step's commands go on top).
    let mut queue: Vec<String> = log.iter().rev().cloned().collect();
    while let Some(line) = queue.pop() {
        if let Some((cmd, lines)) = pending.as_mut() {
            // A line typed into the attached shell.
            let o = s.run_line(&line);
            let _ = o;
            lines.push(line.clone());
            if s.attached_to().is_none() {
                let body = lines.join("\n");
                let d = delimiter("STSPLAY_SHELL", &body);
                out.push_str(&format!("{cmd} <<'{d}'\n{body}\n{d}\n"));
                pending = None;
                seen = snapshot(&s);
            }
            continue;
        }
        let trimmed = line.trim();
        if trimmed.starts_with('#') && !trimmed.contains('\n') {
            out.push_str(&comment(trimmed.trim_start_matches('#').trim_start()));
            continue;
        }
        let words = literal_words(trimmed);
        // `sim …` directives.
        if let Some(w) = words
            .as_ref()
            .filter(|w| w.first().is_some_and(|p| p == "sim"))
        {
            let sub = w.get(1).map(String::as_str).unwrap_or("");
            let arg = w.get(2).map(String::as_str).unwrap_or("");
            if sub == "tour" && arg == "next" {
                // The step's commands, as if typed; then the tour moves on.
                if let Some(step) = s.tour.as_ref().and_then(|t| t.current()).cloned() {
                    out.push_str(&comment(&format!("sim tour next: {}", step.title)));
                    queue.extend(step.commands.iter().rev().cloned());
                    if let Some(t) = s.tour.as_mut() {
                        t.next += 1;
                        t.answer = None;
                        t.verdict = None;
                    }
                    continue;
                }
            }
            // A tour starts on a fresh cluster: a fresh kind cluster too.
            let tour_resets = sub == "tour"
                && !matches!(
                    arg,
                    "" | "list" | "next" | "answer" | "back" | "status" | "stop"
                )
                && !crate::tour::cluster_is_fresh(&s);
            let ok = s.run_line(trimmed).ok;
            out.push_str(&comment(trimmed));
            if tour_resets {
                out.push_str(
                    "kind delete cluster --name \"$CLUSTER\" --kubeconfig \"$KUBECONFIG\"\n",
                );
                out.push_str(&create_cluster());
                seen = snapshot(&s);
            }
            match sub {
                "settle" => {
                    out.push_str(&waits(&s, &seen));
                    seen = snapshot(&s);
                }
                "advance" => {
                    if let Some(ms) = crate::duration::parse_duration(arg) {
                        out.push_str(&format!("sleep {}\n", ms.div_ceil(1000).min(86_400)));
                    }
                }
                "reset" => {
                    out.push_str(
                        "kind delete cluster --name \"$CLUSTER\" --kubeconfig \"$KUBECONFIG\"\n",
                    );
                    out.push_str(&create_cluster());
                    seen = snapshot(&s);
                }
                "back" => out.push_str(&comment(
                    "stsplay: going back in time has no real-cluster equivalent; what ran before it stays done here",
                )),
                "step" => out.push_str(&comment(
                    "stsplay: single events have no real-cluster equivalent: time runs on its own there",
                )),
                // `sim contrast` wrote its Deployment to contrast.yaml and applied it: the same
                // file (as it was then) and the same apply.
                "contrast" if ok => {
                    if let Some(text) = s.fs.files.get(crate::contrast::FILE) {
                        out.push_str(&heredoc_file(crate::contrast::FILE, text));
                        out.push_str(&format!("kubectl apply -f {}\n", crate::contrast::FILE));
                        seen = snapshot(&s);
                    }
                }
                _ => {}
            }
            continue;
        }
        if let Some(why) = refuse(trimmed) {
            s.run_line(trimmed);
            out.push_str(&comment(&format!("not run: {why}")));
            out.push_str(&comment(trimmed));
            continue;
        }
        let kubectl = words
            .as_ref()
            .filter(|w| w.first().is_some_and(|p| p == "kubectl" || p == "k"));
        // A watch: its state, then the command once.
        if let Some(w) = kubectl.filter(|w| is_watch(w)) {
            s.run_line(trimmed);
            out.push_str(&comment(&format!(
                "{trimmed}   (a watch never ends in a script: stsplay's waits, then the command once)"
            )));
            out.push_str(&waits(&s, &seen));
            seen = snapshot(&s);
            out.push_str(&join(&without_watch(w)));
            out.push('\n');
            continue;
        }
        s.run_line(trimmed);
        if s.attached_to().is_some() {
            // `kubectl run -i --tty`: the shell's lines follow as a here-document.
            let cmd = match kubectl {
                Some(w) => join(&without_tty(w)),
                None => trimmed.to_string(),
            };
            pending = Some((cmd, Vec::new()));
            continue;
        }
        out.push_str(trimmed);
        out.push('\n');
        if trimmed.contains("kubectl") || trimmed.starts_with("k ") {
            // Commands that waited in stsplay (rollout status, wait, delete) waited here too.
            seen = snapshot(&s);
        }
    }
    if let Some((cmd, lines)) = pending {
        let mut body = lines.join("\n");
        if !body.is_empty() {
            body.push('\n');
        }
        body.push_str("exit");
        let d = delimiter("STSPLAY_SHELL", &body);
        out.push_str(&comment("stsplay: the session ended inside this shell"));
        out.push_str(&format!("{cmd} <<'{d}'\n{body}\n{d}\n"));
    }
    out.push_str("\necho \"stsplay: done. The cluster keeps running; remove it with: kind delete cluster --name $CLUSTER\"\n");
    out
}

fn heredoc_file_at_workdir(name: &str, content: &str) -> String {
    let d = delimiter("STSPLAY_EOF", content);
    format!("cat > \"$WORKDIR\"/{name} <<'{d}'\n{content}{d}\n")
}

impl Session {
    /// This session as a script for a real kind cluster ([`script`]).
    pub fn export_kind(&self) -> String {
        script(&self.log, &self.fs, &self.cfg)
    }
}

/// The files a log reads with `-f` (not URLs), for callers whose files are real (the CLI):
/// the literal paths, in order, without duplicates.
pub fn files_read(log: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in log {
        let Ok(p) = sh::parse(line) else { continue };
        for simple in sh::simple_commands(&p) {
            let words: Vec<String> = simple.words.iter().filter_map(sh::literal).collect();
            let mut it = words.iter();
            while let Some(w) = it.next() {
                let value = if w == "-f" || w == "--filename" {
                    it.next().cloned()
                } else {
                    w.strip_prefix("--filename=")
                        .or_else(|| w.strip_prefix("-f="))
                        .or_else(|| w.strip_prefix("-f").filter(|v| !v.is_empty()))
                        .map(str::to_string)
                };
                if let Some(v) = value {
                    for part in v.split(',') {
                        if !crate::examples::is_url(part) && !out.iter().any(|o| o == part) {
                            out.push(part.to_string());
                        }
                    }
                }
            }
        }
    }
    out
}

/// The files a log reads, read through `files` (the CLI's real file system): the files and the
/// `.yaml`/`.yml`/`.json` files of directories, bounded by the session's file limits.
pub fn collect_files(log: &[String], files: &dyn crate::fs::FileSource) -> VirtualFs {
    use crate::fs::FsEntry;
    let mut fs = VirtualFs::default();
    let mut queue: std::collections::VecDeque<String> = files_read(log).into();
    let mut visited = 0usize;
    while let Some(path) = queue.pop_front() {
        visited += 1;
        if fs.files.len() >= crate::fs::MAX_FILES || visited > 4 * crate::fs::MAX_FILES {
            break;
        }
        match files.read(&path) {
            Ok(FsEntry::File(text)) if text.len() <= crate::fs::MAX_FILE_BYTES => {
                let key = path.strip_prefix("./").unwrap_or(&path).to_string();
                fs.files.insert(key, text);
            }
            Ok(FsEntry::Dir(entries)) => {
                queue.extend(entries.into_iter().filter(|e| {
                    e.ends_with(".yaml") || e.ends_with(".yml") || e.ends_with(".json")
                }));
            }
            _ => {}
        }
    }
    fs
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;

    fn sh_n(script: &str) {
        let dir = std::env::temp_dir().join(format!("stsplay-export-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let path = dir.join(format!("s{}.sh", script.len()));
        std::fs::write(&path, script).unwrap();
        let out = Command::new("sh").arg("-n").arg(&path).output().unwrap();
        assert!(
            out.status.success(),
            "sh -n: {}\n{script}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Found by the `command_line` fuzzer (a stack overflow): export-kind replays the log in a
    /// fresh session, and a `sim export-kind` the replay runs as part of a pipeline (not a plain
    /// directive line, which the replay skips) exported that session again, whose log held the
    /// same line: a replay without end.
    #[test]
    fn export_kind_in_a_pipeline_does_not_replay_itself() {
        let mut s = Session::new();
        let first = s.run_line("sim export-kind | grep 'kind create cluster'");
        assert!(first.ok, "{}", first.combined);
        assert_eq!(
            first.stdout,
            "kind create cluster --name \"$CLUSTER\" --config \"$WORKDIR/kind-config.yaml\" --kubeconfig \"$KUBECONFIG\" || exit 1\n\
             # sim export-kind | grep 'kind create cluster'\n"
        );
        let out = s.export_kind();
        assert!(
            out.contains("sim export-kind | grep 'kind create cluster'"),
            "{out}"
        );
        let again = s.run_line("sim export-kind | tail -n 1");
        assert!(again.ok, "{}", again.combined);
    }

    #[test]
    fn the_seed_session_exports_with_waits() {
        let mut s = Session::new();
        for l in [
            "kubectl apply -f svc.yaml -f sts.yaml",
            "sim settle",
            "kubectl get pods -l app=nginx -w",
            "for i in 0 1; do kubectl exec \"nginx-with-init-container-$i\" -- sh -c 'hostname'; done",
            "kubectl run -i --tty --image busybox:1.28 dns-test --restart=Never --rm",
            "nslookup nginx-with-init-container-0.nginx-headless",
            "exit",
            "sim why",
            "ls -l",
            "kubectl edit sts nginx-with-init-container",
            "sim advance 30s",
            "kubectl delete pod nginx-with-init-container-1",
            "kubectl get pods -w",
        ] {
            s.run_line(l);
        }
        let out = s.export_kind();
        sh_n(&out);
        assert!(out.contains("cat > sts.yaml <<'STSPLAY_EOF'\n"));
        assert!(out.contains("kind create cluster --name \"$CLUSTER\""));
        assert!(out.contains("\nkubectl apply -f svc.yaml -f sts.yaml\n# sim settle\nstsplay_rollout statefulset/nginx-with-init-container\n"));
        assert!(out.contains("stsplay_wait_ready pod/nginx-with-init-container-2\n"));
        assert!(out.contains("kubectl get pods -l app=nginx\n"));
        assert!(out.contains("\nfor i in 0 1; do kubectl exec \"nginx-with-init-container-$i\" -- sh -c 'hostname'; done\n"));
        assert!(out.contains("kubectl run -i --image busybox:1.28 dns-test --restart=Never --rm <<'STSPLAY_SHELL'\nnslookup nginx-with-init-container-0.nginx-headless\nexit\nSTSPLAY_SHELL\n"), "{out}");
        assert!(out.contains("# not run: stsplay does not run `ls`\n# ls -l\n"));
        assert!(out.contains("# not run: `kubectl edit` is interactive"));
        assert!(out.contains("# sim advance 30s\nsleep 30\n"));
        assert!(
            out.contains("stsplay_wait_gone pod/nginx-with-init-container-1\n")
                || out.contains("stsplay_wait_ready pod/nginx-with-init-container-1\n")
        );
    }

    #[test]
    fn sim_contrast_exports_its_file_and_apply() {
        let mut s = Session::new();
        for l in [
            "kubectl apply -f svc.yaml -f sts.yaml",
            "sim settle",
            "sim contrast",
            "sim settle",
        ] {
            s.run_line(l);
        }
        let out = s.export_kind();
        sh_n(&out);
        let at = out.find("# sim contrast\n").unwrap();
        let rest = &out[at..];
        assert!(
            rest.starts_with("# sim contrast\ncat > contrast.yaml <<'STSPLAY_EOF'\n"),
            "{rest}"
        );
        assert!(rest.contains("kind: Deployment\n"), "{rest}");
        assert!(
            rest.contains("STSPLAY_EOF\nkubectl apply -f contrast.yaml\n# sim settle\n"),
            "{rest}"
        );
        // A contrast that failed (no StatefulSet) applies nothing.
        let mut s = Session::new();
        s.run_line("sim contrast");
        assert!(!s.export_kind().contains("kubectl apply -f contrast.yaml"));
    }

    #[test]
    fn hostile_names_and_contents_stay_data() {
        let mut s = Session::new();
        s.set_file("x'; rm -rf ~; '.yaml", "a: 1\n");
        s.set_file("../../etc/passwd", "root\n");
        s.set_file("/abs.yaml", "a\n");
        s.set_file(
            "ok/nested.yaml",
            "STSPLAY_EOF\n$(rm -rf ~)\n`id`\n'\"\nEOF\n",
        );
        s.set_file("nl\nname.yaml", "x\n");
        s.set_file("-rf.yaml", "x\n");
        s.run_line("# a comment $(rm -rf ~)\nrm -rf ~");
        s.run_line("echo '$(touch /tmp/stsplay-pwned)'");
        s.run_line("kubectl get pods --kubeconfig /etc/other");
        s.run_line("kubectl get pods; rm -rf /");
        s.run_line("kubectl apply -f 'x'\\''; rm -rf ~; '\\''.yaml'");
        let out = s.export_kind();
        sh_n(&out);
        assert!(
            out.contains("cat > 'x'\\''; rm -rf ~; '\\''.yaml' <<'STSPLAY_EOF'\n"),
            "{out}"
        );
        assert!(!out.contains("etc/passwd <<"));
        assert!(!out.contains("/abs.yaml <<"));
        assert!(!out.contains("-rf.yaml <<"));
        assert!(out.contains(
            "mkdir -p ok\ncat > ok/nested.yaml <<'STSPLAY_EOF_1'\nSTSPLAY_EOF\n$(rm -rf ~)\n"
        ));
        // Nothing hostile outside a here-document or a comment.
        for l in out.lines() {
            if l.starts_with('#') {
                continue;
            }
            assert!(!l.starts_with("rm ") && !l.contains("; rm -rf /"), "{l}");
        }
        assert!(out.contains("# not run: `--kubeconfig` would leave the kind cluster\n"));
        assert!(
            out.contains("# not run: stsplay does not run `rm`\n# kubectl get pods; rm -rf /\n")
        );
        // A comment line with an embedded newline stays a comment on both lines.
        assert!(
            out.contains("# # a comment $(rm -rf ~)\n# rm -rf ~\n")
                || out.contains("# a comment $(rm -rf ~)\n"),
            "{out}"
        );
        assert!(out.contains("\necho '$(touch /tmp/stsplay-pwned)'\n"));
        // The script runs in sh -n without executing anything; and it writes the hostile file
        // name as data: run just the file-writing part in a temporary directory.
        let files_part: String = out
            .split("# The session's files\n")
            .nth(1)
            .and_then(|x| x.split("# The session's commands").next())
            .unwrap()
            .to_string();
        let dir = std::env::temp_dir().join(format!("stsplay-files-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let o = Command::new("sh")
            .arg("-c")
            .arg(&files_part)
            .current_dir(&dir)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert_eq!(
            std::fs::read_to_string(dir.join("x'; rm -rf ~; '.yaml")).unwrap(),
            "a: 1\n"
        );
        assert_eq!(
            std::fs::read_to_string(dir.join("ok/nested.yaml")).unwrap(),
            "STSPLAY_EOF\n$(rm -rf ~)\n`id`\n'\"\nEOF\n"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn tours_expand_into_their_commands() {
        let mut s = Session::new();
        s.run_line("sim tour sticky-pod-orchestra");
        s.run_line("sim tour next");
        s.run_line("sim tour next");
        let out = s.export_kind();
        sh_n(&out);
        assert!(out.contains("# sim tour next: Apply the Service and the StatefulSet\nkubectl apply -f svc.yaml -f sts.yaml\n"), "{out}");
        assert!(out.contains("kubectl get pods -l app=nginx\n"));
    }

    #[test]
    fn files_read_finds_the_f_paths() {
        let log = vec![
            "kubectl apply -f a.yaml -f=b.yaml --filename c.yaml,d.yaml".to_string(),
            "kubectl apply -f https://k8s.io/examples/application/web/web.yaml".to_string(),
            "kubectl delete -f a.yaml".to_string(),
        ];
        assert_eq!(files_read(&log), ["a.yaml", "b.yaml", "c.yaml", "d.yaml"]);
    }

    #[test]
    fn watch_and_tty_flags() {
        let w = |s: &str| s.split(' ').map(str::to_string).collect::<Vec<_>>();
        assert!(is_watch(&w("kubectl get pods -w")));
        assert!(is_watch(&w("kubectl get pods -Aw")));
        assert!(!is_watch(&w("kubectl get pods -owide")));
        assert!(is_watch(&w("kubectl logs web-0 -f")));
        assert!(!is_watch(&w("kubectl apply -f x.yaml")));
        assert_eq!(
            without_watch(&w("kubectl get pods -Aw -l app=x")),
            w("kubectl get pods -A -l app=x")
        );
        assert_eq!(
            without_tty(&w("kubectl run -it x --image=busybox")),
            w("kubectl run -i x --image=busybox")
        );
        assert_eq!(
            without_tty(&w("kubectl run -i --tty x")),
            w("kubectl run -i x")
        );
    }
}

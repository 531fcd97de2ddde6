//! The interactive prompt: rustyline line editing and history (kept in `~/.stsplay_history`),
//! tab completion of commands, kubectl verbs, resource types and the names of objects in the
//! simulated cluster.

use std::cell::RefCell;
use std::rc::Rc;

use kubectl::Session;
use kubectl::resources::{ALL, Res};
use rustyline::completion::{Completer, Pair};
use rustyline::error::ReadlineError;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::history::DefaultHistory;
use rustyline::validate::Validator;
use rustyline::{Context, Editor, Helper};

use crate::realfs::RealFs;
use crate::{SEED_SERVICE, SEED_STS};

const VERBS: &[&str] = &[
    "annotate",
    "api-resources",
    "apply",
    "cluster-info",
    "config",
    "cordon",
    "create",
    "delete",
    "describe",
    "drain",
    "edit",
    "events",
    "exec",
    "explain",
    "get",
    "label",
    "logs",
    "patch",
    "rollout",
    "run",
    "scale",
    "set",
    "uncordon",
    "version",
    "wait",
];
const SIM: &[&str] = &[
    "step",
    "settle",
    "advance",
    "back",
    "time",
    "why",
    "reset",
    "nodes",
    "fault",
    "feature-gates",
    "hints",
    "help",
    "tour",
    "export-kind",
];
const ROLLOUT: &[&str] = &["history", "pause", "restart", "resume", "status", "undo"];

/// What the completer knows about the cluster, refreshed after every line.
#[derive(Default)]
pub struct Names {
    /// (resource, object names)
    pub objects: Vec<(Res, Vec<String>)>,
}

pub struct StsHelper {
    pub names: Rc<RefCell<Names>>,
}

fn type_words() -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    for r in ALL {
        v.push(r.plural().to_string());
        v.extend(r.short_names().iter().map(|s| s.to_string()));
    }
    v.push("all".into());
    v.sort();
    v.dedup();
    v
}

/// Candidates for the word being typed, given the words before it.
pub fn candidates(before: &[&str], names: &Names) -> Vec<String> {
    match before {
        [] => vec!["kubectl".into(), "k".into(), "sim".into()],
        ["sim"] => SIM.iter().map(|s| s.to_string()).collect(),
        ["sim", "feature-gates", ..] => sim::config::Gate::ALL
            .into_iter()
            .filter(|g| g.spec(sim::config::K8sVersion::default()).is_some())
            .flat_map(|g| [format!("{}=true", g.name()), format!("{}=false", g.name())])
            .collect(),
        ["kubectl" | "k"] => VERBS.iter().map(|s| s.to_string()).collect(),
        ["kubectl" | "k", "rollout"] => ROLLOUT.iter().map(|s| s.to_string()).collect(),
        ["kubectl" | "k", "set"] => vec!["image".into()],
        ["kubectl" | "k", "explain"] => type_words(),
        [
            "kubectl" | "k",
            "get" | "describe" | "delete" | "edit" | "label" | "annotate" | "patch" | "scale",
        ] => type_words(),
        ["kubectl" | "k", "logs" | "exec"] => names_of(names, Res::Pod),
        ["kubectl" | "k", "rollout", _] => names_of(names, Res::StatefulSet)
            .into_iter()
            .map(|n| format!("sts/{n}"))
            .collect(),
        ["kubectl" | "k", "cordon" | "uncordon" | "drain"] => names_of(names, Res::Node),
        ["kubectl" | "k", _, ty, ..] => match Res::lookup(ty) {
            Some(r) => names_of(names, r),
            None => Vec::new(),
        },
        _ => Vec::new(),
    }
}

fn names_of(names: &Names, r: Res) -> Vec<String> {
    names
        .objects
        .iter()
        .filter(|(x, _)| *x == r)
        .flat_map(|(_, v)| v.clone())
        .collect()
}

impl Completer for StsHelper {
    type Candidate = Pair;
    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let upto = line.get(..pos).unwrap_or(line);
        let start = upto.rfind(' ').map_or(0, |i| i + 1);
        let word = upto.get(start..).unwrap_or("");
        let before: Vec<&str> = upto
            .get(..start)
            .unwrap_or("")
            .split_whitespace()
            .filter(|w| !w.starts_with('-'))
            .collect();
        let names = self.names.borrow();
        let out = candidates(&before, &names)
            .into_iter()
            .filter(|c| c.starts_with(word))
            .map(|c| Pair {
                display: c.clone(),
                replacement: format!("{c} "),
            })
            .collect();
        Ok((start, out))
    }
}

impl Hinter for StsHelper {
    type Hint = String;
}
impl Highlighter for StsHelper {}
impl Validator for StsHelper {}
impl Helper for StsHelper {}

fn refresh(session: &Session, names: &Rc<RefCell<Names>>) {
    let store = session.cluster().store();
    let mut objects = Vec::new();
    for r in [
        Res::Pod,
        Res::StatefulSet,
        Res::Service,
        Res::Pvc,
        Res::Pv,
        Res::Node,
        Res::StorageClass,
        Res::ControllerRevision,
    ] {
        let v: Vec<String> = kubectl::objects::list(store, r, Some("default"), 0)
            .into_iter()
            .map(|i| i.name)
            .collect();
        objects.push((r, v));
    }
    names.borrow_mut().objects = objects;
}

/// Most history lines kept across sessions.
const MAX_HISTORY: usize = 1000;

fn history_path() -> Option<std::path::PathBuf> {
    std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".stsplay_history"))
}

fn load_history(rl: &mut Editor<StsHelper, DefaultHistory>) {
    let Some(path) = history_path() else { return };
    let Ok(text) = std::fs::read_to_string(path) else {
        return;
    };
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    for l in lines.iter().skip(lines.len().saturating_sub(MAX_HISTORY)) {
        let _ = rl.add_history_entry(*l);
    }
}

fn append_history(line: &str) {
    use std::io::Write;
    let Some(path) = history_path() else { return };
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
    {
        let _ = writeln!(f, "{line}");
    }
}

/// Run the prompt until EOF / `exit`, on a cluster started with these feature gates.
pub fn run(gates: Vec<(sim::config::Gate, bool)>) -> i32 {
    let mut session = Session::with_config(sim::cluster::ClusterConfig {
        feature_gates: gates,
        ..Default::default()
    });
    session.set_seed_files(SEED_SERVICE, SEED_STS);
    let names = Rc::new(RefCell::new(Names::default()));
    let mut rl: Editor<StsHelper, DefaultHistory> = match Editor::new() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("stsplay: cannot start the prompt: {e}");
            return 1;
        }
    };
    rl.set_helper(Some(StsHelper {
        names: names.clone(),
    }));
    load_history(&mut rl);
    println!(
        "stsplay {} — a simulated kind cluster (Kubernetes v1.35). Type kubectl commands, `sim help`, or `exit`.",
        env!("CARGO_PKG_VERSION")
    );
    println!(
        "Files: kubectl apply -f reads files from the current directory (the seed: {SEED_SERVICE}, {SEED_STS})."
    );
    let c = session.cluster().controller_config();
    let flag = c.gates.to_flag(c.version);
    if !flag.is_empty() {
        println!("Feature gates: {flag} (`sim feature-gates` shows them all).");
    }
    refresh(&session, &names);
    loop {
        // The session's prompt: `$ `, or the attached container shell's (`/ # `).
        let prompt = session.prompt().to_string();
        match rl.readline(&prompt) {
            Ok(line) => {
                let trimmed = line.trim();
                // `exit` leaves the prompt, unless a container shell is attached: then it ends
                // that shell (and `kubectl run --rm` deletes the pod).
                if (trimmed == "exit" || trimmed == "quit") && session.attached_to().is_none() {
                    return 0;
                }
                if !trimmed.is_empty() {
                    let _ = rl.add_history_entry(trimmed);
                    append_history(trimmed);
                }
                if trimmed == "sim export-kind" && session.attached_to().is_none() {
                    // The CLI's files are real: the script gets the ones the session read.
                    print!(
                        "{}",
                        crate::export_script(session.command_log(), session.config())
                    );
                    continue;
                }
                let out = session.run_line_with(trimmed, &RealFs);
                print!("{}", out.stdout);
                eprint!("{}", out.stderr);
                for h in &out.hints {
                    println!("hint: {h}");
                }
                refresh(&session, &names);
            }
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => return 0,
            Err(e) => {
                eprintln!("stsplay: {e}");
                return 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completes_verbs_types_and_names() {
        let names = Names {
            objects: vec![(Res::Pod, vec!["nginx-with-init-container-0".into()])],
        };
        assert!(candidates(&["kubectl"], &names).contains(&"get".to_string()));
        assert!(candidates(&["k", "get"], &names).contains(&"sts".to_string()));
        assert_eq!(
            candidates(&["kubectl", "describe", "pod"], &names),
            ["nginx-with-init-container-0"]
        );
        assert!(candidates(&["sim"], &names).contains(&"settle".to_string()));
        assert!(candidates(&["sim"], &names).contains(&"feature-gates".to_string()));
        assert_eq!(
            candidates(&["sim", "feature-gates"], &names),
            [
                "MaxUnavailableStatefulSet=true",
                "MaxUnavailableStatefulSet=false"
            ]
        );
    }
}

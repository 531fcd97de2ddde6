//! The interactive prompt: rustyline line editing and history (kept in `~/.stsplay_history`),
//! tab completion of commands, kubectl verbs, resource types and the names of objects in the
//! simulated cluster (`kubectl::complete`, shared with the browser console).

use std::cell::RefCell;
use std::rc::Rc;

use kubectl::Session;
use kubectl::complete::{Names, complete};
use rustyline::completion::{Completer, Pair};
use rustyline::error::ReadlineError;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::history::DefaultHistory;
use rustyline::validate::Validator;
use rustyline::{Context, Editor, Helper};

use crate::realfs::RealFs;
use crate::{SEED_SERVICE, SEED_STS};

pub struct StsHelper {
    pub names: Rc<RefCell<Names>>,
}

impl Completer for StsHelper {
    type Candidate = Pair;
    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let names = self.names.borrow();
        let (start, found) = complete(line, pos, &names);
        let out = found
            .into_iter()
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
    *names.borrow_mut() = Names::from_store(session.cluster().store(), "default");
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

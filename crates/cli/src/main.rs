//! `stsplay`: the playground in a terminal.
//!
//! - `stsplay` — an interactive prompt (history, line editing, tab completion).
//! - `stsplay run FILE|- [--keep-going]` — run a script and print a deterministic transcript
//!   (`$ LINE` then its output); exit 1 at the first failing line unless `--keep-going`
//!   (then every line runs and the exit code is 0).
//! - `stsplay example [ID]` — list the examples gallery, or run one example's script on its
//!   files (the same ids as the browser's gallery and embeds) and print the transcript.
//! - `stsplay replay [--k8s-version 1.28|1.35] SCENARIO.json` — replay an oracle scenario
//!   through the StatefulSet controller and print its trace.
//! - `stsplay tour [NAME] [--auto]` — walk a guided tour in the terminal (predictions asked
//!   on a terminal; `--auto` or piped input runs it straight through).
//! - `stsplay export-kind FILE|-` — run a script, then print it as a POSIX sh script for a real
//!   kind cluster (the files it read written as here-documents, the waits a real cluster needs).
//! - `--feature-gates NAME=BOOL,...` (anywhere on the command line; repeatable, later values
//!   win, as with kube components): the prompt's and `run`'s cluster starts with these gates,
//!   e.g. `--feature-gates MaxUnavailableStatefulSet=true` for v1.35.0-v1.35.3 behaviour.
//!
//! This crate is the only one that touches the terminal and the real file system.

mod realfs;
mod repl;

use std::io::Read;

use kubectl::Session;
use realfs::RealFs;

const USAGE: &str = "usage:
  stsplay [--feature-gates G=BOOL,...]      interactive prompt
  stsplay run [--feature-gates G=BOOL,...] FILE|- [--keep-going]
                                            run a script, print the transcript
  stsplay example [ID]                      list the examples, or run one's script on its files
  stsplay replay [--k8s-version 1.28|1.35] SCENARIO.json
                                            replay an oracle scenario, print the trace
  stsplay tour [NAME] [--auto]              walk a guided tour (no NAME: list them)
  stsplay export-kind [--feature-gates G=BOOL,...] FILE|-
                                            run a script, print it as a sh script for kind
  --feature-gates takes kube's syntax, e.g. MaxUnavailableStatefulSet=true
  (beta and off by default from Kubernetes v1.35.4; on in v1.35.0-v1.35.3)";

/// Takes every `--feature-gates VALUE` / `--feature-gates=VALUE` out of `args` and checks the
/// gates against the playground's version (v1.35). The messages follow pflag's
/// `invalid argument "VALUE" for "--feature-gates" flag: ...`.
fn take_feature_gates(args: &mut Vec<String>) -> Result<Vec<(sim::config::Gate, bool)>, String> {
    let mut values: Vec<String> = Vec::new();
    let mut rest: Vec<String> = Vec::new();
    let mut it = std::mem::take(args).into_iter();
    while let Some(a) = it.next() {
        if a == "--feature-gates" {
            match it.next() {
                Some(v) => values.push(v),
                None => return Err("flag needs an argument: --feature-gates".into()),
            }
        } else if let Some(v) = a.strip_prefix("--feature-gates=") {
            values.push(v.to_string());
        } else {
            rest.push(a);
        }
    }
    *args = rest;
    let version = sim::cluster::ClusterConfig::default().version;
    let mut gates = Vec::new();
    for v in values {
        let parsed = sim::config::parse_feature_gates(&v, version)
            .map_err(|e| format!("invalid argument {v:?} for \"--feature-gates\" flag: {e}"))?;
        gates.extend(parsed);
    }
    Ok(gates)
}

/// The seed manifests as the repository ships them (`examples/seed/`), named by hints.
pub(crate) const SEED_SERVICE: &str = "examples/seed/service.yaml";
pub(crate) const SEED_STS: &str = "examples/seed/sts.yaml";

/// Largest script read.
const MAX_SCRIPT_BYTES: u64 = 4 << 20;

fn read_input(path: &str) -> Result<String, String> {
    if path == "-" {
        let mut s = String::new();
        std::io::stdin()
            .take(MAX_SCRIPT_BYTES)
            .read_to_string(&mut s)
            .map_err(|e| format!("stdin: {e}"))?;
        return Ok(s);
    }
    let meta = std::fs::metadata(path).map_err(|e| format!("{path}: {e}"))?;
    if meta.len() > MAX_SCRIPT_BYTES {
        return Err(format!("{path}: larger than {MAX_SCRIPT_BYTES} bytes"));
    }
    std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))
}

fn run_script(args: &[String], gates: Vec<(sim::config::Gate, bool)>) -> i32 {
    let mut keep_going = false;
    let mut file = None;
    for a in args {
        match a.as_str() {
            "--keep-going" | "-k" => keep_going = true,
            other if file.is_none() => file = Some(other.to_string()),
            other => {
                eprintln!("stsplay run: unexpected argument {other:?}\n{USAGE}");
                return 2;
            }
        }
    }
    let Some(file) = file else {
        eprintln!("stsplay run: missing FILE (use - for stdin)\n{USAGE}");
        return 2;
    };
    let text = match read_input(&file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("stsplay: {e}");
            return 2;
        }
    };
    let mut session = Session::with_config(sim::cluster::ClusterConfig {
        feature_gates: gates,
        ..Default::default()
    });
    session.set_seed_files(SEED_SERVICE, SEED_STS);
    let t = session.run_script_with(&text, &RealFs, keep_going);
    print!("{}", t.text);
    // A failing line stops the script with exit 1; with --keep-going every line runs and the
    // exit code is 0 (failures are visible in the transcript).
    if t.ok || keep_going { 0 } else { 1 }
}

/// `stsplay example [ID]`: the gallery's list, or one example's "what to watch" (as comments)
/// and the transcript of its script, run on its files in a virtual file system.
fn example(id: Option<&str>, gates: Vec<(sim::config::Gate, bool)>) -> i32 {
    let Some(id) = id else {
        for e in kubectl::gallery::examples() {
            println!("{:<18} {}", e.id, e.summary);
        }
        return 0;
    };
    let Some(e) = kubectl::gallery::get(id) else {
        eprintln!("stsplay example: no example {id:?} (`stsplay example` lists them)");
        return 2;
    };
    let mut session = Session::with_config(sim::cluster::ClusterConfig {
        feature_gates: gates,
        ..Default::default()
    });
    println!("# {}", e.title);
    for p in e.what_to_watch() {
        println!("# {p}");
    }
    // Two runs: a script reads the files it started with, so the example's files (written by
    // `sim example`) are there only for the script that comes after it.
    let load = session.run_script(&format!("sim example {}\n", e.id));
    print!("{}", load.text);
    let t = session.run_script(e.script);
    print!("{}", t.text);
    if load.ok && t.ok { 0 } else { 1 }
}

fn replay(args: &[String]) -> i32 {
    let mut version = sim::config::K8sVersion::V1_35;
    let mut file = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let v = if a == "--k8s-version" {
            it.next().cloned()
        } else {
            a.strip_prefix("--k8s-version=").map(str::to_string)
        };
        if let Some(v) = v {
            match sim::config::K8sVersion::parse(&v) {
                Some(k) => version = k,
                None => {
                    eprintln!("stsplay replay: unsupported --k8s-version {v:?} (1.28 or 1.35)");
                    return 2;
                }
            }
        } else if file.is_none() {
            file = Some(a.clone());
        } else {
            eprintln!("stsplay replay: unexpected argument {a:?}\n{USAGE}");
            return 2;
        }
    }
    let Some(file) = file else {
        eprintln!("stsplay replay: missing SCENARIO.json\n{USAGE}");
        return 2;
    };
    let text = match read_input(&file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("stsplay: {e}");
            return 2;
        }
    };
    match sim::replay::replay(&text, version) {
        Ok(trace) => {
            print!("{trace}");
            0
        }
        Err(e) => {
            eprintln!("stsplay replay: {e}");
            1
        }
    }
}

/// The export of a CLI session: its files are real, so the ones its lines read with `-f` are
/// read again from the working directory.
pub(crate) fn export_script(log: &[String], cfg: &sim::cluster::ClusterConfig) -> String {
    let files = kubectl::export_kind::collect_files(log, &RealFs);
    kubectl::export_kind::script(log, &files, cfg)
}

fn export_kind(args: &[String], gates: Vec<(sim::config::Gate, bool)>) -> i32 {
    let [file] = args else {
        eprintln!("stsplay export-kind: give one script FILE (or - for stdin)\n{USAGE}");
        return 2;
    };
    let text = match read_input(file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("stsplay: {e}");
            return 2;
        }
    };
    let mut session = Session::with_config(sim::cluster::ClusterConfig {
        feature_gates: gates,
        ..Default::default()
    });
    session.set_seed_files(SEED_SERVICE, SEED_STS);
    let _ = session.run_script_with(&text, &RealFs, true);
    print!("{}", export_script(session.command_log(), session.config()));
    0
}

/// `stsplay tour [NAME] [--auto]`: the tour's lines through the session, as in the console.
fn tour(args: &[String], gates: Vec<(sim::config::Gate, bool)>) -> i32 {
    use std::io::{BufRead, IsTerminal, Write};
    let auto = args.iter().any(|a| a == "--auto") || !std::io::stdin().is_terminal();
    let name = args.iter().find(|a| !a.starts_with("--"));
    let mut session = Session::with_config(sim::cluster::ClusterConfig {
        feature_gates: gates,
        ..Default::default()
    });
    let Some(name) = name else {
        print!("{}", session.run_line("sim tour list").combined);
        return 0;
    };
    let o = session.run_line(&format!("sim tour {}", kubectl::sh::quote(name)));
    print!("{}", o.combined);
    if !o.ok {
        return 2;
    }
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    while session.tour().is_some_and(|t| !t.finished()) {
        if !auto {
            let asks = session
                .tour()
                .and_then(|t| t.current())
                .and_then(|s| s.question.as_ref())
                .map(|q| q.choices.len());
            if let Some(n) = asks {
                print!("your prediction (1-{n}, Enter to skip): ");
            } else {
                print!("press Enter to run this step (q to quit): ");
            }
            let _ = std::io::stdout().flush();
            let mut line = String::new();
            if input.read_line(&mut line).unwrap_or(0) == 0 {
                return 0;
            }
            let answer = line.trim();
            if answer == "q" || answer == "quit" {
                return 0;
            }
            if asks.is_some() && !answer.is_empty() {
                let o =
                    session.run_line(&format!("sim tour answer {}", kubectl::sh::quote(answer)));
                print!("{}", o.combined);
            }
        }
        let o = session.run_line("sim tour next");
        print!("{}", o.combined);
        if !o.ok {
            return 1;
        }
    }
    0
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    // `replay` takes its gates from the scenario (`featureGates`); the flag is for the cluster.
    let gates = if args.first().map(String::as_str) == Some("replay") {
        Vec::new()
    } else {
        match take_feature_gates(&mut args) {
            Ok(g) => g,
            Err(e) => {
                eprintln!("stsplay: {e}\n{USAGE}");
                std::process::exit(2);
            }
        }
    };
    let code = match args.first().map(String::as_str) {
        None => repl::run(gates),
        Some("run") => run_script(args.get(1..).unwrap_or(&[]), gates),
        Some("replay") => replay(args.get(1..).unwrap_or(&[])),
        Some("tour") => tour(args.get(1..).unwrap_or(&[]), gates),
        Some("export-kind") => export_kind(args.get(1..).unwrap_or(&[]), gates),
        Some("example") => example(args.get(1).map(String::as_str), gates),
        Some("--version" | "-V" | "version") => {
            println!("stsplay {}", env!("CARGO_PKG_VERSION"));
            0
        }
        Some("--help" | "-h" | "help") => {
            println!("{USAGE}");
            0
        }
        Some(other) => {
            eprintln!("stsplay: unknown command {other:?}\n{USAGE}");
            2
        }
    };
    std::process::exit(code);
}

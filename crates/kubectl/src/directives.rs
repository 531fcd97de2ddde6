//! Playground directives: `sim step [N]`, `sim settle`, `sim advance DURATION`, `sim back [N]`,
//! `sim redo [N]`, `sim seek P`, `sim timeline`,
//! `sim time`, `sim why [TYPE/NAME]`, `sim reset`, `sim nodes N`, `sim fault …`,
//! `sim feature-gates [NAME=BOOL,...]`, `sim hints on|off`, `sim contrast [NAME]`,
//! `sim diagram mermaid|svg`, `sim help`. Their output is ours (not kubectl's).

use sim::command::{Command, Fault};
use sim::config::{Gate, parse_feature_gates};

use crate::duration::{fmt_time, parse_duration};
use crate::out::{MAX_SETTLE_STEPS, Out};
use crate::resources::Res;
use crate::session::Session;

/// Most events one `sim step N` runs.
pub const MAX_STEP_N: usize = 10_000;

const HELP: &str = "sim step [N]                 run the next N simulation events (default 1)
sim settle                   run until nothing is pending (bounded)
sim advance DURATION         move the clock (e.g. 30s, 2m, 1m30s, 500ms), running what is due
sim back [N]                 go back N history entries (commands, events, clock moves)
sim redo [N]                 go forward again N entries (after back or seek)
sim seek P                   go to history position P (the state after the first P entries)
sim timeline                 list the history entries around the current position
sim example [ID]             list the examples, or load one: its files and a fresh cluster
sim time                     show the simulated time
sim why [TYPE/NAME]          explain what is waiting and why
sim reset                    a fresh cluster
sim nodes N                  resize the kind cluster to N nodes
sim feature-gates [G=BOOL]   show or set feature gates (kube's --feature-gates syntax),
                             e.g. sim feature-gates MaxUnavailableStatefulSet=true
sim fault pod NAME crash|unready|ready
sim fault node NAME down|up
sim fault image REF missing|present
sim hints on|off             learner hints after kubectl's output
sim contrast [NAME]          next to the StatefulSet, the Deployment a user would write
                             (same template, one shared claim), to compare the two
sim watch [stop [ID]]        list the browser's live watches (`kubectl get -w`), or stop one
                             (the newest by default; Ctrl-C in the console)
sim tour [NAME|next|answer N|back|status|stop]
                             guided tours (`sim tour` lists them)
sim export-kind              this session as a POSIX sh script for a real kind cluster
sim diagram mermaid|svg      print the diagram as mermaid text or an SVG document";

pub(crate) fn run(s: &mut Session, args: &[String], out: &mut Out) {
    let word = |i: usize| args.get(i).map(String::as_str);
    match word(0) {
        Some("step") => {
            let n = match word(1).map(str::parse::<usize>) {
                None => 1,
                Some(Ok(n)) => n.min(MAX_STEP_N),
                Some(Err(_)) => {
                    out.fail("sim step: N must be a number");
                    return;
                }
            };
            let mut ran = 0;
            for _ in 0..n {
                match s.cluster.step() {
                    Some(r) => {
                        ran += 1;
                        out.outln(format!("[{}] {}", fmt_time(r.time), r.description));
                    }
                    None => break,
                }
            }
            if ran < n {
                out.outln(format!("nothing pending at {}", fmt_time(s.cluster.now())));
            }
        }
        Some("settle") => {
            let r = s.cluster.settle(MAX_SETTLE_STEPS);
            if r.settled {
                out.outln(format!(
                    "settled at {} after {} events",
                    fmt_time(r.time),
                    r.steps
                ));
            } else if r.only_retries {
                out.outln(format!(
                    "stopped at {} after {} events: only back-off retries for the last {} (they repeat forever on a real cluster too); `sim why` explains what is waiting",
                    fmt_time(r.time),
                    r.steps,
                    sim::podstatus::human_duration_ms(sim::cluster::SETTLE_RETRY_WINDOW as i64)
                ));
            } else {
                out.outln(format!("still changing at {} after {} events (bounded); `sim why` explains what is waiting", fmt_time(r.time), r.steps));
            }
        }
        Some("back") => {
            let n = word(1).and_then(|w| w.parse::<usize>().ok()).unwrap_or(1);
            match s.cluster.back(n) {
                Ok(()) => out.outln(format!("back {n}: now {}", fmt_time(s.cluster.now()))),
                Err(e) => out.fail(e.to_string()),
            }
        }
        _ => rest(s, args, out),
    }
}

/// The directives a first visit does not use (the UI's Step, Back and Settle are above). Not
/// inlined into [`run`], so the release build can move them to the second wasm module
/// (issue #17, xtask/src/split.rs).
#[inline(never)]
fn rest(s: &mut Session, args: &[String], out: &mut Out) {
    let word = |i: usize| args.get(i).map(String::as_str);
    match word(0) {
        None | Some("help") => out.outln(HELP),
        Some("advance") => {
            let Some(ms) = word(1).and_then(parse_duration) else {
                out.fail("sim advance: give a duration such as 30s, 2m, 1m30s or 500ms");
                return;
            };
            let reports = s.cluster.advance(ms.min(24 * 3_600_000));
            out.outln(format!(
                "now {} ({} events ran)",
                fmt_time(s.cluster.now()),
                reports.len()
            ));
        }
        Some("redo") => {
            let n = match word(1).map(str::parse::<usize>) {
                None => 1,
                Some(Ok(n)) => n,
                Some(Err(_)) => {
                    out.fail("sim redo: N must be a number");
                    return;
                }
            };
            match s.cluster.redo(n) {
                Ok(()) => out.outln(format!("redo {n}: now {}", fmt_time(s.cluster.now()))),
                Err(e) => out.fail(e.to_string()),
            }
        }
        Some("seek") => {
            let Some(p) = word(1).and_then(|w| w.parse::<usize>().ok()) else {
                out.fail("sim seek: give a history position (`sim timeline` lists them)");
                return;
            };
            match s.cluster.seek(p) {
                Ok(()) => out.outln(format!(
                    "position {p} of {}: now {}",
                    s.cluster.history_marks().len(),
                    fmt_time(s.cluster.now())
                )),
                Err(e) => out.fail(e.to_string()),
            }
        }
        Some("timeline") => timeline(s, out),
        Some("watch") => watch(s, args.get(1..).unwrap_or(&[]), out),
        Some("example") => example(s, word(1), out),
        Some("time") => {
            let now = s.cluster.now();
            out.outln(format!(
                "{} ({})",
                fmt_time(now),
                sim::time::to_k8s_time(now).0
            ));
        }
        Some("why") => {
            let lines = match word(1) {
                None => s.cluster.why_all("default"),
                Some(target) => {
                    let (t, n) = target.split_once('/').unwrap_or(("pod", target));
                    let Some(r) = Res::lookup(t) else {
                        out.fail(format!(
                            "error: the server doesn't have a resource type \"{t}\""
                        ));
                        return;
                    };
                    s.cluster.why(r.kind(), "default", n)
                }
            };
            if lines.is_empty() {
                out.outln("nothing is waiting");
            }
            for l in lines {
                out.outln(l);
            }
        }
        Some("reset") => {
            s.cluster.reset();
            let c = s.cluster.controller_config();
            let flag = c.gates.to_flag(c.version);
            if flag.is_empty() {
                out.outln("a fresh cluster (kind, 1 node)");
            } else {
                out.outln(format!(
                    "a fresh cluster (kind, 1 node, --feature-gates={flag})"
                ));
            }
        }
        Some("feature-gates") => feature_gates(s, args.get(1..).unwrap_or(&[]), out),
        Some("contrast") => crate::contrast::directive(s, args.get(1..).unwrap_or(&[]), out),
        Some("nodes") => {
            let Some(n) = word(1).and_then(|w| w.parse::<u32>().ok()) else {
                out.fail("sim nodes: give a number of nodes");
                return;
            };
            match s.cluster.apply(Command::SetNodes(n)) {
                Ok(_) => out.outln(format!("the cluster has {n} node(s)")),
                Err(e) => out.fail(e.to_string()),
            }
        }
        Some("fault") => {
            let (Some(kind), Some(name), Some(what)) = (word(1), word(2), word(3)) else {
                out.fail("sim fault: usage: sim fault pod NAME crash|unready|ready | node NAME down|up | image REF missing|present");
                return;
            };
            let f = match (kind, what) {
                ("pod", "crash") => Fault::PodCrash(name.into()),
                ("pod", "unready") => Fault::PodUnready(name.into()),
                ("pod", "ready") => Fault::PodReady(name.into()),
                ("node", "down") => Fault::NodeDown(name.into()),
                ("node", "up") => Fault::NodeUp(name.into()),
                ("image", "missing") => Fault::ImageMissing(name.into()),
                ("image", "present") => Fault::ImagePresent(name.into()),
                _ => {
                    out.fail(format!("sim fault: unknown fault \"{kind} {what}\""));
                    return;
                }
            };
            match s.cluster.apply(Command::Fault(f)) {
                Ok(_) => {
                    out.outln(format!("fault: {kind} {name} {what}"));
                    if (kind, what) == ("node", "down") {
                        crate::contrast::after_node_down(s, name, out);
                    }
                }
                Err(e) => out.fail(e.to_string()),
            }
        }
        Some("hints") => match word(1) {
            Some("on") => {
                s.hints = true;
                out.outln("hints on");
            }
            Some("off") => {
                s.hints = false;
                out.outln("hints off");
            }
            _ => out.fail("sim hints: on or off"),
        },
        // The diagram crate's exports (stsplay's picture, not kubectl output).
        Some("diagram") => match word(1) {
            Some("mermaid") => out.out(diagram::mermaid_of(&s.cluster, diagram::NAMESPACE)),
            Some("svg") => out.out(diagram::svg_of(&s.cluster, diagram::NAMESPACE)),
            _ => out.fail("sim diagram: give mermaid or svg"),
        },
        Some(other) => out.fail(format!(
            "sim: unknown directive \"{other}\" (try `sim help`)"
        )),
    }
}

/// `sim example`: list the gallery; `sim example ID`: a fresh cluster (feature gates kept) and
/// the example's files in place of every other file.
fn example(s: &mut Session, id: Option<&str>, out: &mut Out) {
    let Some(id) = id else {
        for e in crate::gallery::examples() {
            out.outln(format!("{:<18} {}", e.id, e.summary));
        }
        return;
    };
    let Some(e) = crate::gallery::get(id) else {
        out.fail(format!(
            "sim example: no example \"{id}\" (`sim example` lists them)"
        ));
        return;
    };
    s.cluster.reset();
    // The example's files replace the previous ones (the editor shows exactly its tabs).
    s.replace_files = true;
    for (name, text) in e.files {
        s.fs.files.insert((*name).to_string(), (*text).to_string());
    }
    let names: Vec<&str> = e.files.iter().map(|(n, _)| *n).collect();
    out.outln(format!(
        "example {}: {} (a fresh cluster; files: {})",
        e.id,
        e.title,
        names.join(", ")
    ));
    out.outln(format!("next: {}", e.apply));
}

/// Entries `sim timeline` lists around the current position.
const TIMELINE_WINDOW: usize = 40;

/// `sim timeline`: the history entries around the current position, `>` marking it.
fn timeline(s: &Session, out: &mut Out) {
    use sim::history::MarkKind;
    let marks = s.cluster.history_marks();
    let pos = s.cluster.history_position();
    let oldest = s.cluster.history_oldest();
    let from = pos.saturating_sub(TIMELINE_WINDOW / 2).max(oldest);
    let to = (from + TIMELINE_WINDOW).min(marks.len());
    out.outln(format!(
        "position {pos} of {} (sim seek P goes to position P; 0 is the fresh cluster)",
        marks.len()
    ));
    if from == 0 {
        out.outln(format!(
            "{}     0              fresh cluster",
            if pos == 0 { ">" } else { " " }
        ));
    }
    for (i, m) in marks.iter().enumerate().take(to).skip(from) {
        let p = i + 1;
        let kind = match m.kind {
            MarkKind::Command => "command",
            MarkKind::Event => "event",
            MarkKind::Noop => "no-op",
            MarkKind::Clock => "clock",
        };
        out.outln(format!(
            "{} {p:>5}  {:>10}  {kind}: {}",
            if p == pos { ">" } else { " " },
            fmt_time(m.time),
            m.label
        ));
    }
    if to < marks.len() {
        out.outln(format!("  … {} more ahead", marks.len() - to));
    }
}

/// `sim feature-gates`: print the gates of the simulated version; with `NAME=BOOL[,...]` (one or
/// more words, kube's `--feature-gates` syntax) set them first. Setting is a recorded command
/// (`sim back` undoes it): like restarting kube-apiserver and kube-controller-manager with the
/// flag, stored objects stay and every StatefulSet is synced again, so no reset is needed.
fn feature_gates(s: &mut Session, args: &[String], out: &mut Out) {
    let version = s.cluster.controller_config().version;
    let before = s.cluster.controller_config().gates;
    if !args.is_empty() {
        let list = match parse_feature_gates(&args.join(","), version) {
            Ok(l) => l,
            Err(e) => {
                out.fail(format!("sim feature-gates: {e}"));
                let known: Vec<&str> = Gate::ALL
                    .into_iter()
                    .filter(|g| g.spec(version).is_some())
                    .map(Gate::name)
                    .collect();
                out.hint(format!(
                    "the playground models these gates at v{}: {}",
                    version.as_str(),
                    known.join(", ")
                ));
                return;
            }
        };
        if let Err(e) = s.cluster.apply(Command::SetFeatureGates(list)) {
            out.fail(format!("sim feature-gates: {e}"));
            return;
        }
    }
    let after = s.cluster.controller_config().gates;
    for line in after.describe(version) {
        out.outln(line);
    }
    if args.is_empty() {
        return;
    }
    let flag = match after.to_flag(version) {
        f if f.is_empty() => "the default feature gates".to_string(),
        f => format!("--feature-gates={f}"),
    };
    out.outln(format!(
        "kube-apiserver and kube-controller-manager restarted with {flag} (objects kept, no reset needed)"
    ));
    let dropped = s.cluster.store().statefulsets.values().any(|set| {
        set.spec
            .as_ref()
            .and_then(|sp| sp.update_strategy.as_ref())
            .and_then(|u| u.rolling_update.as_ref())
            .is_some_and(|r| r.max_unavailable.is_none())
    });
    if after.max_unavailable_statefulset && !before.max_unavailable_statefulset && dropped {
        out.hint(
            "StatefulSets written while MaxUnavailableStatefulSet was off have no maxUnavailable \
             (the API server dropped it): apply them again to set it",
        );
    }
}

/// `sim watch`: the live watches; `sim watch stop [ID]` ends one (the newest by default).
fn watch(s: &mut Session, args: &[String], out: &mut Out) {
    match args.first().map(String::as_str) {
        None | Some("list") => {
            if s.live.list.is_empty() {
                out.outln(if s.live.on {
                    "no live watch (`kubectl get pods -w` opens one)"
                } else {
                    "no live watch: here `kubectl get -w` streams until the simulation settles"
                });
            }
            for w in &s.live.list {
                out.outln(format!("watch {}: {}", w.id, w.line));
            }
        }
        Some("stop") => {
            let id = match args.get(1).map(|a| a.parse::<u32>()) {
                None => None,
                Some(Ok(n)) => Some(n),
                Some(Err(_)) => {
                    out.fail("sim watch stop: ID must be a number (`sim watch` lists them)");
                    return;
                }
            };
            match s.live.stop(&mut s.cluster, id) {
                Some(w) => out.outln(format!("stopped watch {}: {}", w.id, w.line)),
                None => out.fail("sim watch stop: no such live watch (`sim watch` lists them)"),
            }
        }
        Some(other) => out.fail(format!(
            "sim watch: unknown subcommand {other:?} (`sim watch`, `sim watch stop [ID]`)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("30s"), Some(30_000));
        assert_eq!(parse_duration("1m30s"), Some(90_000));
        assert_eq!(parse_duration("500ms"), Some(500));
        assert_eq!(parse_duration("2h"), Some(7_200_000));
        assert_eq!(parse_duration("45"), Some(45_000));
        assert_eq!(parse_duration("1x"), None);
        assert_eq!(parse_duration("m"), None);
        assert_eq!(fmt_time(12_345), "12.345s");
    }
}

//! `rollout status`'s watch, shared by the StatefulSet and Deployment status viewers: a
//! status line for every write of the watched object (kubectl `pkg/cmd/rollout/
//! rollout_status.go`, `watchtools.UntilWithSync`) until done, the timeout, or a quiet cluster.

use sim::store::Written;

use crate::out::{MAX_WATCH_MS, MAX_WATCH_STEPS, Out};
use crate::session::Session;

/// Our hint when a waiting command stops because the simulation has nothing left that could
/// change the outcome: what it waits for, the reasons `sim why` gives, and what a real
/// kubectl would do instead.
pub(crate) fn not_progressing(out: &mut Out, what: &str, why: &[String], real: &str) {
    let reason = if why.is_empty() {
        String::new()
    } else {
        format!(": {}", why.join("; "))
    };
    out.hint(format!(
        "the {what} is not progressing in the simulation{reason}. {real}"
    ));
}

/// `--timeout`: `Some(None)` = not given, `None` = invalid (the error is printed).
pub(crate) fn timeout_flag(
    p: &crate::flags::Parsed,
    out: &mut Out,
) -> Option<Option<sim::time::SimTime>> {
    match p.value("timeout").map(crate::duration::parse_duration) {
        None => Some(None),
        Some(Some(t)) => Some(Some(t)),
        Some(None) => {
            out.fail(format!(
                "error: invalid argument \"{}\" for \"--timeout\" flag: time: invalid duration",
                p.value("timeout").unwrap_or("")
            ));
            None
        }
    }
}

/// `rollout status` stops (with a hint) when no new status line came for this long.
pub const QUIET_MS: sim::time::SimTime = 2 * 60 * 1000;

/// A status line (`Status`'s message and done) of a written or stored object; `Ok(None)` = gone.
pub(crate) type LineOf<'a> =
    &'a dyn Fn(&Session, Option<&Written>) -> Result<Option<(String, bool)>, String>;

/// The workload `rollout status` watches: its kind (for `sim why`), resource and how to read
/// a status line from a written or stored object.
pub(crate) struct Watched<'a> {
    pub kind: &'static str,
    pub resource: &'static str,
    pub ns: &'a str,
    pub name: &'a str,
    /// The status line of the object as written (`Some`) or as stored now (`None`);
    /// `Ok(None)` = the object is gone.
    pub line: LineOf<'a>,
}

/// Step the cluster and print a status line for every write of the watched object until the
/// rollout is done (`watchtools.UntilWithSync` in kubectl `pkg/cmd/rollout/rollout_status.go`),
/// the timeout passes, or nothing moves any more (a hint: the real command keeps waiting).
pub(crate) fn watch_status(
    s: &mut Session,
    t: &Watched,
    timeout: Option<sim::time::SimTime>,
    out: &mut Out,
) {
    let start = s.cluster.now();
    let deadline = timeout.filter(|t| *t > 0).map(|t| start.saturating_add(t));
    let mut last_progress = start;
    let mut steps = 0;
    loop {
        let next = s.cluster.next_event_time();
        if let (Some(d), Some(n)) = (deadline, next)
            && n > d
        {
            s.cluster.advance(d.saturating_sub(s.cluster.now()));
            out.fail("error: timed out waiting for the condition");
            return;
        }
        let stuck = match next {
            None => true,
            Some(n) => {
                n > last_progress.saturating_add(QUIET_MS)
                    || steps >= MAX_WATCH_STEPS
                    || n.saturating_sub(start) > MAX_WATCH_MS
            }
        };
        if stuck {
            let why = s.cluster.why(t.kind, t.ns, t.name);
            not_progressing(
                out,
                "rollout",
                &why,
                "A real `kubectl rollout status` keeps waiting (Ctrl-C to stop)",
            );
            return;
        }
        let Some(report) = s.cluster.step() else {
            return;
        };
        steps += 1;
        for w in &report.writes {
            if w.resource != t.resource || w.namespace != t.ns || w.name != t.name {
                continue;
            }
            match (t.line)(s, w.object.as_ref()) {
                Ok(Some((l, done))) => {
                    out.outln(l);
                    last_progress = report.time;
                    if done {
                        return;
                    }
                }
                // kubectl: the watch saw `Deleted`.
                Ok(None) => {
                    out.fail("error: object has been deleted");
                    return;
                }
                Err(e) => {
                    out.fail(e);
                    return;
                }
            }
        }
    }
}

//! `kubectl drain`'s evictions and waits (kubectl `pkg/drain/drain.go` `evictPods`,
//! `deletePods`, `waitForDelete`), run on the simulated clock: each pod's eviction is sent,
//! a refusal (429) is printed and retried 5 s later (`EvictErrorRetryDelay`), an accepted one
//! is followed by a poll every second until the pod is gone or replaced (`pod/NAME evicted`).
//! The cluster goes on meanwhile. Real kubectl runs one goroutine per pod; here the pods take
//! their turns in list order at each instant. When nothing in the simulation can change the
//! outcome any more, the loop stops with a hint (a real drain keeps retrying).

use sim::Command;
use sim::SimError;
use sim::store::ApiError;
use sim::time::SimTime;

use crate::out::{MAX_WATCH_MS, Out};
use crate::session::Session;

/// `EvictErrorRetryDelay` (kubectl `pkg/cmd/drain/drain.go`).
const RETRY_MS: SimTime = 5_000;
/// `waitForDelete`'s poll interval.
const POLL_MS: SimTime = 1_000;
/// No write to a pod or budget for this long, with pods still refused: stuck.
const QUIET_MS: SimTime = 2 * 60 * 1000;

enum State {
    /// The next eviction (or delete check) at this time.
    Evict(SimTime),
    /// Evicted; the pod with this uid is polled at this time until it is gone.
    Wait(Option<String>, SimTime),
    Done,
}

fn uid(s: &Session, ns: &str, name: &str) -> Option<String> {
    s.cluster
        .store()
        .get::<k8s_openapi::api::core::v1::Pod>(ns, name)
        .map(|p| p.metadata.uid.clone().unwrap_or_default())
}

/// Evict (`evict`) or wait for the deletion of `pods` (already deleted) until every one is
/// gone. `Err(msg)`: the aggregate error kubectl returns (empty when the loop stopped with a
/// hint instead).
pub(super) fn wait(
    s: &mut Session,
    pods: Vec<(String, String)>,
    evict: bool,
    timeout: Option<SimTime>,
    out: &mut Out,
) -> Result<(), String> {
    let start = s.cluster.now();
    let deadline = timeout.filter(|t| *t > 0).map(|t| start.saturating_add(t));
    let global = timeout.filter(|t| *t > 0).map_or_else(
        || "2562047h47m16.854775807s".into(),
        sim::clock::go_duration,
    );
    let mut states: Vec<State> = pods
        .iter()
        .map(|(ns, n)| {
            if evict {
                State::Evict(start)
            } else {
                State::Wait(uid(s, ns, n), start)
            }
        })
        .collect();
    let mut errors: Vec<String> = Vec::new();
    let mut last_change = start;
    let verb = if evict { "evicted" } else { "deleted" };
    loop {
        let now = s.cluster.now();
        let timed_out = deadline.is_some_and(|d| now >= d);
        for ((ns, name), st) in pods.iter().zip(states.iter_mut()) {
            match st {
                State::Evict(at) if *at <= now => {
                    out.outln(format!("evicting pod {ns}/{name}"));
                    if timed_out {
                        errors.push(format!(
                            "error when evicting pods/\"{name}\" -n \"{ns}\": global timeout reached: {global}"
                        ));
                        *st = State::Done;
                        continue;
                    }
                    let before = uid(s, ns, name);
                    match s.cluster.apply(Command::Evict {
                        ns: ns.clone(),
                        name: name.clone(),
                    }) {
                        Ok(_) => {
                            last_change = now;
                            // `waitForDelete` polls at once (`immediate`).
                            if uid(s, ns, name).is_none_or(|u| Some(u) != before) {
                                out.outln(format!("pod/{name} {verb}"));
                                *st = State::Done;
                            } else {
                                *st = State::Wait(before, now.saturating_add(POLL_MS));
                            }
                        }
                        Err(SimError::Api(ApiError::NotFound { .. })) => *st = State::Done,
                        Err(SimError::Api(e @ ApiError::TooManyRequests { .. })) => {
                            out.err(format!(
                                "error when evicting pods/\"{name}\" -n \"{ns}\" (will retry after 5s): {}",
                                e.message()
                            ));
                            *st = State::Evict(now.saturating_add(RETRY_MS));
                        }
                        Err(e) => {
                            let msg = match &e {
                                SimError::Api(a) => a.message(),
                                other => other.to_string(),
                            };
                            errors.push(format!(
                                "error when evicting pods/\"{name}\" -n \"{ns}\": {msg}"
                            ));
                            *st = State::Done;
                        }
                    }
                }
                State::Wait(before, at) if *at <= now => {
                    let cur = uid(s, ns, name);
                    if cur.is_none() || cur != *before {
                        out.outln(format!("pod/{name} {verb}"));
                        last_change = now;
                        *st = State::Done;
                    } else if timed_out {
                        errors.push(format!(
                            "error when waiting for pod \"{name}\" in namespace \"{ns}\" to terminate: context deadline exceeded"
                        ));
                        *st = State::Done;
                    } else {
                        *at = now.saturating_add(POLL_MS);
                    }
                }
                _ => {}
            }
        }
        // A refused eviction sleeps its 5s even past the deadline (the timeout is seen at the
        // top of the next attempt); a wait for deletion ends at the deadline.
        let next = states
            .iter()
            .filter_map(|st| match st {
                State::Evict(t) => Some(*t),
                State::Wait(_, t) => Some(deadline.map_or(*t, |d| (*t).min(d.max(now)))),
                State::Done => None,
            })
            .min();
        let Some(next) = next.map(|t| t.max(now.saturating_add(1))) else {
            return match errors.len() {
                0 => Ok(()),
                1 => Err(errors.concat()),
                _ => Err(format!("[{}]", errors.join(", "))),
            };
        };
        // Nothing will ever happen again; or only refusals for a long quiet while.
        let only_refused = states
            .iter()
            .all(|st| matches!(st, State::Evict(_) | State::Done));
        // With a `--timeout` within reach, the loop runs to it (kubectl's own error).
        let to_deadline = deadline.is_some_and(|d| d.saturating_sub(start) <= MAX_WATCH_MS);
        if !to_deadline
            && (s.cluster.next_event_time().is_none()
                || (only_refused && next.saturating_sub(last_change) > QUIET_MS)
                || next.saturating_sub(start) > MAX_WATCH_MS)
        {
            stuck_hint(s, &pods, &states, out);
            return Err(String::new());
        }
        for r in s.cluster.advance(next.saturating_sub(now)) {
            if r.writes.iter().any(|w| {
                (w.resource == "pods"
                    && pods
                        .iter()
                        .any(|(ns, n)| *ns == w.namespace && *n == w.name))
                    || w.resource == "poddisruptionbudgets"
            }) {
                last_change = r.time;
            }
        }
    }
}

/// Ours: why the loop stopped, and what a real drain would do.
fn stuck_hint(s: &Session, pods: &[(String, String)], states: &[State], out: &mut Out) {
    let mut why: Vec<String> = Vec::new();
    for ((ns, name), st) in pods.iter().zip(states) {
        match st {
            State::Evict(_) => {
                let pod = s
                    .cluster
                    .store()
                    .get::<k8s_openapi::api::core::v1::Pod>(ns, name);
                let budgets: Vec<String> = pod
                    .map(|p| {
                        sim::budgets_of(s.cluster.store(), p)
                            .filter_map(|b| b.metadata.name.clone())
                            .collect()
                    })
                    .unwrap_or_default();
                for b in budgets {
                    for w in s.cluster.why("poddisruptionbudgets", ns, &b) {
                        if !why.contains(&w) {
                            why.push(w);
                        }
                    }
                }
            }
            State::Wait(..) => why.extend(s.cluster.why("pods", ns, name)),
            State::Done => {}
        }
    }
    super::rollout_watch::not_progressing(
        out,
        "drain",
        &why,
        "A real `kubectl drain` keeps retrying every 5s (Ctrl-C to stop)",
    );
}

//! The `Cluster` facade: a fresh kind cluster whose state only changes through [`Command`]s
//! (user writes, faults) and clock events (scheduler, provisioner, kubelet actions).
//!
//! This file is the public API only. Where the work happens: `event_loop` (a command or the
//! next event, then the reactions), `apiserver/` (the write path), `controller/` (the
//! controller manager and its controllers), `kubelet/`, `scheduler`, `volumes`, `endpoints`,
//! `faults`, `kind/` (the fresh cluster and its nodes), `history` (going back), `why`.
//! Same commands + same seed → same state, always.

use crate::command::{Applied, Command, ExecOutput, SimError};
use crate::config::{ControllerConfig, Gate};
use crate::event_loop::{
    advance_to, apply_command, describe_action, is_live, next_live_time, step_state,
};
use crate::history::History;
use crate::state::State;
use crate::store::{Store, Write};
use crate::time::{SECOND, SimTime};
use crate::{endpoints, kubelet, volumes};

pub use crate::apiserver::LAST_APPLIED;
pub use crate::controller::manager::set_gc_always_in_thread;
pub use crate::event_loop::StepReport;
pub use crate::kind::{CLUSTER_AGE_AT_START, ClusterConfig, kind_node_names};
pub use crate::resources::canonical_resource;

/// What `settle` did.
#[derive(Debug, Clone, PartialEq)]
pub struct SettleReport {
    pub steps: usize,
    /// Nothing is pending any more (false when the step limit stopped it).
    pub settled: bool,
    /// Stopped because only back-off retries ran for `SETTLE_RETRY_WINDOW` of sim time: the
    /// cluster keeps retrying something that does not get better by itself.
    pub only_retries: bool,
    pub time: SimTime,
    pub reports: Vec<StepReport>,
}

/// How long `settle` lets only back-off retries run before it stops (sim time): the longest
/// back-offs (5 min for pulls and restarts) repeat at least once in it.
pub const SETTLE_RETRY_WINDOW: SimTime = 10 * 60 * SECOND;

/// The simulated cluster.
#[derive(Debug, Clone)]
pub struct Cluster {
    pub(crate) st: State,
    cfg: ClusterConfig,
    history: History,
    /// Writes of traced objects made by commands and steps since the last
    /// [`Cluster::take_tapped_writes`], while tapping (a browser's live `kubectl get -w`).
    tap: Option<Vec<(SimTime, Write)>>,
}

/// Most writes the tap keeps between two takes (the oldest are dropped).
pub const MAX_TAPPED_WRITES: usize = 20_000;

impl Cluster {
    /// A fresh kind cluster.
    pub fn new(cfg: ClusterConfig) -> Self {
        let st = crate::kind::fresh_state(&cfg);
        let history = History::new(st.clone());
        Cluster {
            st,
            cfg,
            history,
            tap: None,
        }
    }

    pub fn config(&self) -> &ClusterConfig {
        &self.cfg
    }

    pub fn store(&self) -> &Store {
        &self.st.store
    }

    pub fn now(&self) -> SimTime {
        self.st.now
    }

    pub fn controller_config(&self) -> &ControllerConfig {
        &self.st.ccfg
    }

    /// Keep copies of written pods/claims/sets in `StepReport::writes` (for `kubectl get -w`).
    /// On by default; benchmarks turn it off.
    pub fn set_record_objects(&mut self, on: bool) {
        self.st.store.record_objects = on;
    }

    /// Tap (or stop tapping) the writes of traced objects (pods, claims, sets, revisions) that
    /// commands and steps make; moving along the timeline (`seek`, `redo`) is not tapped.
    pub fn set_write_tap(&mut self, on: bool) {
        if on != self.tap.is_some() {
            self.tap = on.then(Vec::new);
        }
    }

    /// The tapped writes since the last take, with the time each was made.
    pub fn take_tapped_writes(&mut self) -> Vec<(SimTime, Write)> {
        self.tap.as_mut().map(std::mem::take).unwrap_or_default()
    }

    fn tap_writes(&mut self, writes: &[Write]) {
        let now = self.st.now;
        if let Some(t) = self.tap.as_mut() {
            t.extend(
                writes
                    .iter()
                    .filter(|w| w.object.is_some())
                    .map(|w| (now, w.clone())),
            );
            if t.len() > MAX_TAPPED_WRITES {
                let drop = t.len() - MAX_TAPPED_WRITES;
                t.drain(..drop);
            }
        }
    }

    /// Keep history (for `back`). On by default.
    pub fn set_history(&mut self, on: bool) {
        self.history.set_enabled(on, &self.st);
    }

    /// Apply a user command; the controllers react before this returns.
    pub fn apply(&mut self, cmd: Command) -> Result<Applied, SimError> {
        let res = apply_command(&mut self.st, &cmd, &self.cfg);
        if let Ok(a) = &res {
            self.tap_writes(&a.writes);
        }
        // Failed commands change nothing but are still recorded: replay is then exact even if a
        // failing command had side effects on the queue (it has none today).
        self.history.record_command(cmd, &self.st);
        res
    }

    /// A server-side dry run (`dryRun=All`): the command goes through the same admission,
    /// defaulting and validation as [`Cluster::apply`], on a copy of the state that is then
    /// dropped, so nothing is persisted and nothing is recorded. The result carries the object
    /// as it would have been stored.
    pub fn dry_run(&self, cmd: Command) -> Result<Applied, SimError> {
        let mut st = self.st.clone();
        apply_command(&mut st, &cmd, &self.cfg)
    }

    /// `kubectl exec`: runs through `apply` (a command may write files).
    pub fn exec(
        &mut self,
        ns: &str,
        pod: &str,
        container: Option<&str>,
        argv: &[String],
    ) -> Result<ExecOutput, SimError> {
        self.exec_tty(ns, pod, container, argv, false)
    }

    /// [`Cluster::exec`] with `tty`: `kubectl exec -t` (the command's output is a terminal).
    pub fn exec_tty(
        &mut self,
        ns: &str,
        pod: &str,
        container: Option<&str>,
        argv: &[String],
        tty: bool,
    ) -> Result<ExecOutput, SimError> {
        let a = self.apply(Command::Exec {
            ns: ns.to_string(),
            pod: pod.to_string(),
            container: container.map(str::to_string),
            argv: argv.to_vec(),
            tty,
        })?;
        Ok(a.exec.unwrap_or_default())
    }

    /// Apply the next pending event. `None` when nothing is pending.
    pub fn step(&mut self) -> Option<StepReport> {
        let (r, consumed) = step_state(&mut self.st);
        if let Some(r) = &r {
            self.tap_writes(&r.writes);
        }
        if consumed {
            // Stale / no-op events are consumed even when nothing happens: recorded so that
            // replay stays exact.
            self.history.record_step(&self.st, r.as_ref());
        }
        r
    }

    /// Run events until nothing is pending or `max_steps` events ran.
    ///
    /// Back-off loops (ImagePullBackOff, CrashLoopBackOff, a set whose pods the apiserver
    /// rejects) never end on a real cluster either: once only retries have run for
    /// `SETTLE_RETRY_WINDOW` of sim time, `settle` stops there (`only_retries`).
    pub fn settle(&mut self, max_steps: usize) -> SettleReport {
        let mut reports = Vec::new();
        let mut steps = 0;
        let mut progress_at = self.st.now;
        let mut only_retries = false;
        while steps < max_steps {
            match self.step() {
                Some(r) => {
                    if !r.retry {
                        progress_at = r.time;
                    } else if r.time.saturating_sub(progress_at) >= SETTLE_RETRY_WINDOW {
                        only_retries = true;
                    }
                    reports.push(r);
                    steps += 1;
                    if only_retries {
                        break;
                    }
                }
                None => break,
            }
        }
        SettleReport {
            steps,
            only_retries,
            settled: !self.pending(),
            time: self.st.now,
            reports,
        }
    }

    /// Like `settle` without keeping the reports (cheaper for big runs).
    pub fn run(&mut self, max_steps: usize) -> (usize, bool) {
        let mut steps = 0;
        while steps < max_steps && self.step().is_some() {
            steps += 1;
        }
        (steps, !self.pending())
    }

    /// Move the clock forward by `ms`, running every event due meanwhile.
    pub fn advance(&mut self, ms: SimTime) -> Vec<StepReport> {
        let target = self.st.now.saturating_add(ms);
        let mut out = Vec::new();
        while let Some(t) = next_live_time(&self.st) {
            if t > target {
                break;
            }
            match self.step() {
                Some(r) => out.push(r),
                None => break,
            }
        }
        if self.st.now < target {
            advance_to(&mut self.st, target);
            self.history.record_advance(target, &self.st);
        }
        out
    }

    /// Time of the next pending event.
    pub fn next_event_time(&self) -> Option<SimTime> {
        next_live_time(&self.st)
    }

    /// Go back `n` history entries (commands, events, clock moves): the exact earlier state.
    /// The entries gone back over stay recorded for [`Cluster::redo`] until something new
    /// happens (see `history`).
    pub fn back(&mut self, n: usize) -> Result<(), SimError> {
        self.history.back(n, &mut self.st, &self.cfg)
    }

    /// Replay the next `n` recorded entries after going back.
    pub fn redo(&mut self, n: usize) -> Result<(), SimError> {
        self.history.redo(n, &mut self.st, &self.cfg)
    }

    /// Go to history position `p` (the state after the first `p` entries ever recorded),
    /// backwards or forwards, keeping the whole recorded timeline.
    pub fn seek(&mut self, p: usize) -> Result<(), SimError> {
        self.history.seek(p, &mut self.st, &self.cfg)
    }

    /// How many history entries can be undone.
    pub fn history_len(&self) -> usize {
        self.history.len()
    }

    /// The current history position (see [`Cluster::seek`]).
    pub fn history_position(&self) -> usize {
        self.history.position()
    }

    /// The oldest position [`Cluster::seek`] can reach.
    pub fn history_oldest(&self) -> usize {
        self.history.oldest()
    }

    /// Every recorded entry, past and future: `history_marks()[p - 1]` led to position `p`.
    pub fn history_marks(&self) -> &[crate::history::Mark] {
        self.history.marks()
    }

    /// A fresh cluster with the same configuration, keeping the feature gates in force (those
    /// of the configuration and any `SetFeatureGates` since).
    pub fn reset(&mut self) {
        let gates = self.st.ccfg.gates;
        let mut cfg = self.cfg.clone();
        cfg.feature_gates = Gate::ALL.into_iter().map(|g| (g, gates.get(g))).collect();
        let mut fresh = Cluster::new(cfg);
        fresh.cfg = self.cfg.clone();
        fresh.set_write_tap(self.tap.is_some());
        *self = fresh;
    }

    /// Whether any event is pending.
    pub fn pending(&self) -> bool {
        next_live_time(&self.st).is_some()
    }

    /// One-sentence explanations of why an object is waiting (empty when not known).
    pub fn why(&self, kind: &str, ns: &str, name: &str) -> Vec<String> {
        crate::why::why(&self.st, kind, ns, name)
    }

    /// Explanations for everything that is waiting in a namespace (`sim why`).
    pub fn why_all(&self, ns: &str) -> Vec<String> {
        crate::why::why_all(&self.st, ns)
    }

    /// Container logs (`kubectl logs`); `None` = the pod's first container.
    pub fn logs(&self, ns: &str, pod: &str, container: Option<&str>) -> Result<String, SimError> {
        kubelet::logs(&self.st, ns, pod, container)
    }

    /// Read a file as a container of the pod sees it (mounted volumes, then the pod's own files).
    pub fn read_file(&self, ns: &str, pod: &str, path: &str) -> Result<String, SimError> {
        volumes::read_pod_file(&self.st, ns, pod, None, path)
    }

    /// DNS answers inside the cluster for `name` asked from namespace `ns`.
    pub fn resolve(&self, ns: &str, name: &str) -> Vec<(String, String)> {
        endpoints::resolve(&self.st.store, ns, name)
    }

    /// Images cached on a node.
    pub fn node_images(&self, node: &str) -> Vec<String> {
        self.st
            .rt
            .nodes
            .get(node)
            .map(|n| n.images.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// Whether a node is up (not stopped by a fault).
    pub fn node_up(&self, node: &str) -> Option<bool> {
        self.st.rt.nodes.get(node).map(|n| n.up)
    }

    /// Pending events, in firing order: (time, description).
    pub fn agenda(&self) -> Vec<(SimTime, String)> {
        self.st
            .queue
            .iter()
            .filter(|(_, a)| is_live(&self.st, a))
            .map(|(t, a)| (t, describe_action(a)))
            .collect()
    }
}

impl Default for Cluster {
    fn default() -> Self {
        Cluster::new(ClusterConfig::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_back_undoes_commands_and_refuses_too_far() {
        let mut c = Cluster::default();
        let before = c.store().clone();
        c.apply(Command::Cordon {
            node: "kind-control-plane".into(),
            on: true,
        })
        .unwrap();
        assert_eq!(c.history_len(), 1);
        assert!(c.back(2).is_err());
        c.back(1).unwrap();
        assert!(c.store() == &before);
        assert_eq!(c.history_len(), 0);
    }
}

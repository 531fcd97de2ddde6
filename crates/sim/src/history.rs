//! History: going back N entries restores the exact earlier state.
//!
//! Entries are the user's commands, the clock events applied by `step`, and bare clock moves
//! (`advance` past the last event). The simulation is deterministic, so a state is rebuilt from
//! the nearest earlier checkpoint by replaying the entries after it. Checkpoints are full
//! clones of the state every `interval` entries; when there are more than `max_checkpoints`, every
//! other one is dropped (older history gets sparser; memory stays bounded, going back far costs
//! more replay). Measured in `benches/sim.rs` (snapshot + restore).

use crate::command::{Command, SimError};
use crate::event_loop::apply_command;
use crate::kind::ClusterConfig;
use crate::state::State;
use crate::time::SimTime;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Entry {
    Command(Box<Command>),
    Step,
    AdvanceTo(SimTime),
}

#[derive(Debug, Clone)]
pub(crate) struct History {
    entries: Vec<Entry>,
    /// (number of entries applied, state after them), ascending; the first is the initial state.
    checkpoints: Vec<(usize, State)>,
    interval: usize,
    max_checkpoints: usize,
    enabled: bool,
}

/// Upper bound on recorded entries (older ones are forgotten with their checkpoints).
const MAX_ENTRIES: usize = 1_000_000;

impl History {
    pub(crate) fn new(initial: State) -> Self {
        History {
            entries: Vec::new(),
            checkpoints: vec![(0, initial)],
            interval: 32,
            max_checkpoints: 48,
            enabled: true,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
            - self
                .checkpoints
                .first()
                .map(|c| c.0)
                .unwrap_or(0)
                .min(self.entries.len())
    }

    pub(crate) fn set_enabled(&mut self, on: bool, st: &State) {
        self.enabled = on;
        // Restart from the current state either way.
        self.entries.clear();
        self.checkpoints = vec![(0, st.clone())];
    }

    fn push(&mut self, e: Entry, st: &State) {
        if !self.enabled {
            return;
        }
        self.entries.push(e);
        let n = self.entries.len();
        let last = self.checkpoints.last().map(|c| c.0).unwrap_or(0);
        if n - last >= self.interval {
            self.checkpoints.push((n, st.clone()));
            if self.checkpoints.len() > self.max_checkpoints {
                // Keep the first (oldest reachable) and the newest; thin out the rest.
                let mut i = 0usize;
                let last_idx = self.checkpoints.len() - 1;
                self.checkpoints.retain(|_| {
                    let keep = i == 0 || i == last_idx || i.is_multiple_of(2);
                    i += 1;
                    keep
                });
            }
        }
        if n > MAX_ENTRIES {
            // Forget the oldest half: the oldest reachable state becomes a later checkpoint.
            let cut = self
                .checkpoints
                .get(self.checkpoints.len() / 2)
                .map(|c| c.0)
                .unwrap_or(0);
            self.checkpoints.retain(|c| c.0 >= cut);
        }
    }

    pub(crate) fn record_command(&mut self, c: Command, st: &State) {
        self.push(Entry::Command(Box::new(c)), st);
    }

    pub(crate) fn record_step(&mut self, st: &State) {
        self.push(Entry::Step, st);
    }

    pub(crate) fn record_advance(&mut self, t: SimTime, st: &State) {
        self.push(Entry::AdvanceTo(t), st);
    }

    /// The state `n` entries ago; the history is truncated to it.
    pub(crate) fn back(&mut self, n: usize, cfg: &ClusterConfig) -> Result<State, SimError> {
        if !self.enabled {
            return Err(SimError::History("history is off".into()));
        }
        let total = self.entries.len();
        let oldest = self.checkpoints.first().map(|c| c.0).unwrap_or(0);
        if n > total - oldest.min(total) {
            return Err(SimError::History(format!(
                "cannot go back {n} step(s): only {} recorded",
                total - oldest.min(total)
            )));
        }
        let target = total - n;
        let Some(pos) = self.checkpoints.iter().rposition(|c| c.0 <= target) else {
            return Err(SimError::History("no checkpoint".into()));
        };
        let (at, mut st) = match self.checkpoints.get(pos) {
            Some((a, s)) => (*a, s.clone()),
            None => return Err(SimError::History("no checkpoint".into())),
        };
        for e in self.entries.get(at..target).unwrap_or(&[]) {
            replay(&mut st, e, cfg);
        }
        self.entries.truncate(target);
        self.checkpoints.truncate(pos + 1);
        Ok(st)
    }
}

pub(crate) fn replay(st: &mut State, e: &Entry, cfg: &ClusterConfig) {
    match e {
        Entry::Command(c) => {
            let _ = apply_command(st, c, cfg);
        }
        Entry::Step => {
            let _ = crate::event_loop::step_state(st);
        }
        Entry::AdvanceTo(t) => {
            if *t > st.now {
                st.now = *t;
            }
        }
    }
}

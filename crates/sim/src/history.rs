//! History: a timeline of everything that happened, which can be walked back and forth.
//!
//! Entries are the user's commands, the clock events applied by `step`, and bare clock moves
//! (`advance` past the last event). The simulation is deterministic, so a state is rebuilt from
//! the nearest earlier checkpoint by replaying the entries after it. Checkpoints are full
//! clones of the state every `interval` entries; when there are more than `max_checkpoints`, every
//! other one is dropped (older history gets sparser; memory stays bounded, going back far costs
//! more replay). Measured in `benches/sim.rs` (snapshot + restore).
//!
//! Going back is not destructive, as in an editor's undo: `seek` (and `back`, `redo`) move a
//! cursor; the entries after it stay as the future `redo` replays, until something new is
//! recorded there, which replaces the future. Recording exactly the entry the future holds next
//! (the same `sim step`, the same command) just moves the cursor on: the simulation is
//! deterministic, so the state is the one the future recorded, and the rest of it stays valid.
//!
//! Positions are absolute: position `p` is the state after the first `p` entries, from 0 (the
//! fresh cluster) to the number of entries recorded. They never shift (forgetting the oldest
//! history only raises the oldest reachable position), so a script's `sim seek P` replays
//! exactly.

use crate::command::{Command, Fault, SimError};
use crate::event_loop::{StepReport, apply_command};
use crate::kind::ClusterConfig;
use crate::state::State;
use crate::time::SimTime;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Entry {
    Command(Box<Command>),
    Step,
    AdvanceTo(SimTime),
}

/// What kind of entry a [`Mark`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkKind {
    /// A user command (kubectl write, fault, node change, exec).
    Command,
    /// A simulation event applied by a step.
    Event,
    /// An event that changed nothing (stale, or already done); consumed by a step.
    Noop,
    /// The clock moved with nothing due (`advance` past the last event).
    Clock,
}

/// One history entry as a timeline shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    /// Simulated time after the entry.
    pub time: SimTime,
    pub kind: MarkKind,
    /// What happened, in one line: the event's description, or a summary of the command.
    pub label: String,
}

#[derive(Debug, Clone)]
pub(crate) struct History {
    entries: Vec<Entry>,
    /// `marks[i]` describes `entries[i]`.
    marks: Vec<Mark>,
    /// The current position: the state is the one after `entries[..cursor]`; the entries after
    /// it are the future `redo` replays.
    cursor: usize,
    /// (number of entries applied, state after them), ascending; the first is the oldest
    /// reachable state.
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
            marks: Vec::new(),
            cursor: 0,
            checkpoints: vec![(0, initial)],
            interval: 32,
            max_checkpoints: 48,
            enabled: true,
        }
    }

    /// The oldest reachable position.
    pub(crate) fn oldest(&self) -> usize {
        self.checkpoints
            .first()
            .map(|c| c.0)
            .unwrap_or(0)
            .min(self.cursor)
    }

    /// How many entries `back` can undo from the current position.
    pub(crate) fn len(&self) -> usize {
        self.cursor - self.oldest()
    }

    /// The current position.
    pub(crate) fn position(&self) -> usize {
        self.cursor
    }

    /// Every recorded entry's mark, past and future (`marks()[p - 1]` led to position `p`).
    pub(crate) fn marks(&self) -> &[Mark] {
        &self.marks
    }

    pub(crate) fn set_enabled(&mut self, on: bool, st: &State) {
        self.enabled = on;
        // Restart from the current state either way.
        self.entries.clear();
        self.marks.clear();
        self.cursor = 0;
        self.checkpoints = vec![(0, st.clone())];
    }

    fn push(&mut self, e: Entry, mark: Mark, st: &State) {
        if !self.enabled {
            return;
        }
        if self.cursor < self.entries.len() {
            if self.entries.get(self.cursor) == Some(&e) {
                // The future's next entry again: deterministic, so the future stays valid.
                self.cursor += 1;
                return;
            }
            // Something new: the future is replaced.
            self.entries.truncate(self.cursor);
            self.marks.truncate(self.cursor);
            let cursor = self.cursor;
            self.checkpoints.retain(|c| c.0 <= cursor);
        }
        self.entries.push(e);
        self.marks.push(mark);
        let n = self.entries.len();
        self.cursor = n;
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
        let mark = Mark {
            time: st.now,
            kind: MarkKind::Command,
            label: command_label(&c),
        };
        self.push(Entry::Command(Box::new(c)), mark, st);
    }

    /// A step that consumed events; `report` is what it did (`None`: nothing).
    pub(crate) fn record_step(&mut self, st: &State, report: Option<&StepReport>) {
        let mark = match report {
            Some(r) => Mark {
                time: r.time,
                kind: MarkKind::Event,
                label: r.description.clone(),
            },
            None => Mark {
                time: st.now,
                kind: MarkKind::Noop,
                label: "stale events consumed".into(),
            },
        };
        self.push(Entry::Step, mark, st);
    }

    pub(crate) fn record_advance(&mut self, t: SimTime, st: &State) {
        let mark = Mark {
            time: t,
            kind: MarkKind::Clock,
            label: "clock moved".into(),
        };
        self.push(Entry::AdvanceTo(t), mark, st);
    }

    /// Move to position `target` (see the module doc), rebuilding `st` in place: from the
    /// current state when going forward, else from the nearest checkpoint at or before it.
    pub(crate) fn seek(
        &mut self,
        target: usize,
        st: &mut State,
        cfg: &ClusterConfig,
    ) -> Result<(), SimError> {
        if !self.enabled {
            return Err(SimError::History("history is off".into()));
        }
        let oldest = self.oldest();
        let total = self.entries.len();
        if target < oldest || target > total {
            return Err(SimError::History(format!(
                "cannot seek to {target}: the recorded history goes from {oldest} to {total}"
            )));
        }
        let Some(pos) = self.checkpoints.iter().rposition(|c| c.0 <= target) else {
            return Err(SimError::History("no checkpoint".into()));
        };
        let at = match self.checkpoints.get(pos) {
            Some((a, _)) if target >= self.cursor && self.cursor >= *a => self.cursor,
            Some((a, s)) => {
                *st = s.clone();
                *a
            }
            None => return Err(SimError::History("no checkpoint".into())),
        };
        for e in self.entries.get(at..target).unwrap_or(&[]) {
            replay(st, e, cfg);
        }
        self.cursor = target;
        Ok(())
    }

    /// The state `n` entries before the current position (the future is kept for `redo`).
    pub(crate) fn back(
        &mut self,
        n: usize,
        st: &mut State,
        cfg: &ClusterConfig,
    ) -> Result<(), SimError> {
        if !self.enabled {
            return Err(SimError::History("history is off".into()));
        }
        let reachable = self.len();
        if n > reachable {
            return Err(SimError::History(format!(
                "cannot go back {n} step(s): only {reachable} recorded"
            )));
        }
        self.seek(self.cursor - n, st, cfg)
    }

    /// The state `n` entries after the current position, replaying the recorded future.
    pub(crate) fn redo(
        &mut self,
        n: usize,
        st: &mut State,
        cfg: &ClusterConfig,
    ) -> Result<(), SimError> {
        if !self.enabled {
            return Err(SimError::History("history is off".into()));
        }
        let ahead = self.entries.len() - self.cursor;
        if n > ahead {
            return Err(SimError::History(format!(
                "cannot redo {n} step(s): only {ahead} ahead"
            )));
        }
        self.seek(self.cursor + n, st, cfg)
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

/// A command in one line, for the timeline (ours, not kubectl's output).
fn command_label(c: &Command) -> String {
    fn obj(o: &crate::object::AnyObject) -> String {
        // The simulated kinds' names are ASCII.
        format!("{}/{}", o.kind().to_ascii_lowercase(), o.name())
    }
    match c {
        Command::Create(o) => format!("create {}", obj(o)),
        Command::Apply(o) => format!("apply {}", obj(o)),
        Command::Update(o) => format!("update {}", obj(o)),
        Command::Delete { resource, name, .. } => format!("delete {resource}/{name}"),
        Command::Scale {
            resource,
            name,
            replicas,
            ..
        } => format!("scale {resource}/{name} to {replicas}"),
        Command::Fault(f) => match f {
            Fault::PodCrash(p) => format!("fault: pod {p} crashes"),
            Fault::PodUnready(p) => format!("fault: pod {p} unready"),
            Fault::PodReady(p) => format!("fault: pod {p} ready again"),
            Fault::NodeDown(n) => format!("fault: node {n} down"),
            Fault::NodeUp(n) => format!("fault: node {n} up"),
            Fault::ImageMissing(i) => format!("fault: image {i} missing"),
            Fault::ImagePresent(i) => format!("fault: image {i} present"),
        },
        Command::SetNodes(n) => format!("cluster resized to {n} node(s)"),
        Command::Cordon { node, on: true } => format!("cordon node/{node}"),
        Command::Cordon { node, on: false } => format!("uncordon node/{node}"),
        Command::Drain { node } => format!("drain node/{node}"),
        Command::Evict { name, .. } => format!("evict pod/{name}"),
        Command::WriteFile { pod, path, .. } => format!("write {path} in pod/{pod}"),
        Command::SetFeatureGates(g) => format!("feature gates: {} changed", g.len()),
        Command::Exec { pod, argv, .. } => format!("exec in pod/{pod}: {}", argv.join(" ")),
    }
}

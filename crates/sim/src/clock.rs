//! The deterministic discrete-event clock: a time-ordered queue (ties broken by insertion
//! sequence), seeded randomness, and the default durations of the simulated components.
//!
//! Nothing here reads a wall clock: the cluster moves `now` to the time of the next event.

use std::collections::BTreeMap;

use crate::time::{SECOND, SimTime};

/// A time-ordered queue. Two items at the same instant come out in insertion order.
#[derive(Debug, Clone, PartialEq)]
pub struct Queue<A> {
    items: BTreeMap<(SimTime, u64), A>,
    seq: u64,
}

impl<A> Default for Queue<A> {
    fn default() -> Self {
        Self {
            items: BTreeMap::new(),
            seq: 0,
        }
    }
}

impl<A> Queue<A> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Schedule `item` at `at`; returns its sequence number.
    pub fn push(&mut self, at: SimTime, item: A) -> u64 {
        self.seq += 1;
        self.items.insert((at, self.seq), item);
        self.seq
    }

    /// The next item (earliest time, then earliest insertion).
    pub fn peek(&self) -> Option<(SimTime, &A)> {
        self.items.iter().next().map(|((t, _), a)| (*t, a))
    }

    pub fn pop(&mut self) -> Option<(SimTime, A)> {
        self.items.pop_first().map(|((t, _), a)| (t, a))
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Items in firing order.
    pub fn iter(&self) -> impl Iterator<Item = (SimTime, &A)> {
        self.items.iter().map(|((t, _), a)| (*t, a))
    }

    /// Drop items for which `keep` is false.
    pub fn retain(&mut self, mut keep: impl FnMut(&A) -> bool) {
        self.items.retain(|_, a| keep(a));
    }
}

/// Seeded pseudo-random numbers (splitmix64): the only randomness in the simulation.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Rng {
    state: u64,
}

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A value in `lo..=hi` (returns `lo` when the range is empty).
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo {
            return lo;
        }
        let span = hi - lo + 1;
        lo + self.next_u64() % span
    }

    /// `base` ± `pct` percent.
    pub fn jitter(&mut self, base: SimTime, pct: u64) -> SimTime {
        let d = base.saturating_mul(pct) / 100;
        self.range(base.saturating_sub(d), base.saturating_add(d))
    }
}

/// Default durations (milliseconds). Real numbers are approximate and vary by machine; these
/// follow the ranges in `k8s/seed-walkthrough.md` (pull 5–20 s first time, local-path
/// provisioning 1–5 s, nginx start < 1 s, nginx stops quickly on SIGTERM).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Durations {
    /// PV controller / provisioner noticing a new claim.
    pub claim_sync: SimTime,
    /// Scheduler picking a node for a new pod.
    pub schedule: SimTime,
    /// local-path provisioning (helper pod mkdir), ±40 %.
    pub provision: SimTime,
    /// Binding the pod once its volumes are bound.
    pub bind: SimTime,
    /// Kubelet noticing a newly bound pod and posting its first status.
    pub kubelet_admit: SimTime,
    /// First pull of an image on a node, ±30 %.
    pub image_pull: SimTime,
    /// Create + start of a container whose image is present.
    pub container_start: SimTime,
    /// How long the seed's init script runs.
    pub init_run: SimTime,
    /// Time from SIGTERM until nginx has exited (it handles SIGTERM as fast shutdown).
    pub stop: SimTime,
    /// Kubelet reporting the pod not ready after the kill starts.
    pub stop_status: SimTime,
    /// Delay before a user-injected readiness change is observed (one probe period at most).
    pub probe_observe: SimTime,
    /// First restart of a crashed container (later ones follow the CrashLoopBackOff back-off).
    pub restart: SimTime,
    /// Initial and maximum CrashLoopBackOff / image pull back-off.
    pub backoff_initial: SimTime,
    pub backoff_max: SimTime,
    /// node-monitor-grace-period: a silent node is marked NotReady/Unknown after this.
    pub node_monitor_grace: SimTime,
    /// DefaultTolerationSeconds admission: pods tolerate `unreachable:NoExecute` for 300 s.
    pub unreachable_toleration: SimTime,
}

impl Default for Durations {
    fn default() -> Self {
        Self {
            claim_sync: 5,
            schedule: 20,
            provision: 2 * SECOND,
            bind: 50,
            kubelet_admit: 300,
            image_pull: 10 * SECOND,
            container_start: 400,
            init_run: 200,
            stop: 400,
            stop_status: 100,
            probe_observe: SECOND,
            restart: SECOND,
            backoff_initial: 10 * SECOND,
            backoff_max: 300 * SECOND,
            // kube-controller-manager --node-monitor-grace-period default: 50s since 1.32
            // (was 40s); pkg/controller/nodelifecycle. Approximate.
            node_monitor_grace: 50 * SECOND,
            unreachable_toleration: 300 * SECOND,
        }
    }
}

/// Go's `time.Duration.String()` for a whole number of milliseconds, as the kubelet prints
/// pull durations (`9.812s`, `612ms`, `1m2.5s`).
pub fn go_duration(ms: SimTime) -> String {
    if ms == 0 {
        return "0s".to_string();
    }
    if ms < 1000 {
        return format!("{ms}ms");
    }
    let secs = ms / 1000;
    let frac = ms % 1000;
    let frac_s = if frac == 0 {
        String::new()
    } else {
        let s = format!(".{frac:03}");
        s.trim_end_matches('0').to_string()
    };
    let h = secs / 3600;
    let m = (secs % 3600) / 60;
    let s = secs % 60;
    let mut out = String::new();
    if h > 0 {
        out.push_str(&format!("{h}h"));
    }
    if h > 0 || m > 0 {
        out.push_str(&format!("{m}m"));
    }
    out.push_str(&format!("{s}{frac_s}s"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_are_broken_by_insertion_order() {
        let mut q = Queue::new();
        q.push(10, "b");
        q.push(5, "a");
        q.push(10, "c");
        assert_eq!(q.pop(), Some((5, "a")));
        assert_eq!(q.pop(), Some((10, "b")));
        assert_eq!(q.pop(), Some((10, "c")));
        assert_eq!(q.pop(), None);
    }

    #[test]
    fn rng_is_deterministic_and_in_range() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        for _ in 0..100 {
            let x = a.range(3, 9);
            assert_eq!(x, b.range(3, 9));
            assert!((3..=9).contains(&x));
        }
        assert_eq!(Rng::new(1).range(5, 5), 5);
        let j = Rng::new(3).jitter(10_000, 30);
        assert!((7_000..=13_000).contains(&j));
    }

    #[test]
    fn go_duration_formats_like_time_duration_string() {
        assert_eq!(go_duration(9812), "9.812s");
        assert_eq!(go_duration(612), "612ms");
        assert_eq!(go_duration(10_000), "10s");
        assert_eq!(go_duration(10_500), "10.5s");
        assert_eq!(go_duration(62_500), "1m2.5s");
        assert_eq!(go_duration(3_600_000), "1h0m0s");
    }
}

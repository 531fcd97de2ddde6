//! Simulated time. The sim never reads a wall clock: time is a number of milliseconds since
//! the simulation's epoch, which maps to a fixed calendar instant so that timestamps printed by
//! `-o yaml` look real and are the same on every run.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time as KTime;
use k8s_openapi::jiff::{SignedDuration, Timestamp};

/// Milliseconds since [`EPOCH_UNIX_SECONDS`].
pub type SimTime = u64;

/// The simulation's epoch: 2026-01-01T00:00:00Z.
pub const EPOCH_UNIX_SECONDS: i64 = 1_767_225_600;

pub const SECOND: SimTime = 1000;
pub const MINUTE: SimTime = 60 * SECOND;

/// A metav1.Time for a sim instant (whole seconds, as the apiserver stores them).
pub fn to_k8s_time(t: SimTime) -> KTime {
    let secs = EPOCH_UNIX_SECONDS.saturating_add((t / 1000) as i64);
    KTime(Timestamp::from_second(secs).unwrap_or(Timestamp::UNIX_EPOCH))
}

/// A metav1.Time back to sim time (saturating at the epoch).
pub fn from_k8s_time(t: &KTime) -> SimTime {
    let d: SignedDuration = t.0.duration_since(Timestamp::UNIX_EPOCH);
    let ms = d.as_millis() - i128::from(EPOCH_UNIX_SECONDS) * 1000;
    if ms <= 0 {
        0
    } else {
        u64::try_from(ms).unwrap_or(u64::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_whole_seconds() {
        assert_eq!(from_k8s_time(&to_k8s_time(61_000)), 61_000);
        assert_eq!(to_k8s_time(0).0.to_string(), "2026-01-01T00:00:00Z");
    }
}

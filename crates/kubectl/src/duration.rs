//! AGE columns: apimachinery `pkg/util/duration/duration.go` `HumanDuration` (the long form,
//! not `ShortHumanDuration`), re-derived from its documented ranges.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use sim::time::{SimTime, from_k8s_time};

/// Human duration of `ms` milliseconds (may be negative).
pub fn human_duration(ms: i128) -> String {
    let seconds = ms / 1000; // truncation toward zero, like Go's int(d.Seconds())
    if seconds < -1 {
        return "<invalid>".into();
    }
    if seconds < 0 {
        return "0s".into();
    }
    if seconds < 120 {
        return format!("{seconds}s");
    }
    let minutes = seconds / 60;
    if minutes < 10 {
        let s = seconds % 60;
        return if s == 0 {
            format!("{minutes}m")
        } else {
            format!("{minutes}m{s}s")
        };
    }
    if minutes < 180 {
        return format!("{minutes}m");
    }
    let hours = minutes / 60;
    if hours < 8 {
        let m = minutes % 60;
        return if m == 0 {
            format!("{hours}h")
        } else {
            format!("{hours}h{m}m")
        };
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    if hours < 24 * 8 {
        let h = hours % 24;
        return if h == 0 {
            format!("{}d", hours / 24)
        } else {
            format!("{}d{h}h", hours / 24)
        };
    }
    if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    }
    if hours < 24 * 365 * 8 {
        let dy = (hours / 24) % 365;
        return if dy == 0 {
            format!("{}y", hours / 24 / 365)
        } else {
            format!("{}y{dy}d", hours / 24 / 365)
        };
    }
    format!("{}y", hours / 24 / 365)
}

/// printers.go `translateTimestampSince`: `<unknown>` when unset.
pub fn age(ts: Option<&Time>, now: SimTime) -> String {
    match ts {
        None => "<unknown>".into(),
        Some(t) => human_duration(i128::from(now) - i128::from(from_k8s_time(t))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_from_apimachinery_ranges() {
        let s = 1000i128;
        let cases: &[(i128, &str)] = &[
            (-5 * s, "<invalid>"),
            (-s, "0s"),
            (-500, "0s"),
            (0, "0s"),
            (5 * s, "5s"),
            (59 * s, "59s"),
            (90 * s, "90s"),
            (119 * s, "119s"),
            (120 * s, "2m"),
            (123 * s, "2m3s"),
            (130 * s, "2m10s"),
            (599 * s, "9m59s"),
            (600 * s, "10m"),
            (179 * 60 * s, "179m"),
            (180 * 60 * s, "3h"),
            ((3 * 3600 + 5 * 60) * s, "3h5m"),
            ((7 * 3600 + 59 * 60) * s, "7h59m"),
            (8 * 3600 * s, "8h"),
            (47 * 3600 * s, "47h"),
            (48 * 3600 * s, "2d"),
            (51 * 3600 * s, "2d3h"),
            ((7 * 24 + 23) * 3600 * s, "7d23h"),
            (8 * 24 * 3600 * s, "8d"),
            (729 * 24 * 3600 * s, "729d"),
            (730 * 24 * 3600 * s, "2y"),
            ((3 * 365 + 45) * 24 * 3600 * s, "3y45d"),
            (8 * 365 * 24 * 3600 * s, "8y"),
        ];
        for (ms, want) in cases {
            assert_eq!(human_duration(*ms), *want, "{ms} ms");
        }
    }
}

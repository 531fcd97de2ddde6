//! AGE columns: apimachinery `pkg/util/duration/duration.go` `HumanDuration` (the long form,
//! not `ShortHumanDuration`), re-derived from its documented ranges.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use sim::time::{SimTime, from_k8s_time};

/// Human duration of `ms` milliseconds (may be negative). One implementation serves the sim
/// (RESTARTS `(<age> ago)`), the app and kubectl: `sim::podstatus::human_duration_ms`.
pub fn human_duration(ms: i128) -> String {
    let ms = i64::try_from(ms).unwrap_or(if ms < 0 { i64::MIN } else { i64::MAX });
    sim::podstatus::human_duration_ms(ms)
}

/// printers.go `translateTimestampSince`: `<unknown>` when unset.
pub fn age(ts: Option<&Time>, now: SimTime) -> String {
    match ts {
        None => "<unknown>".into(),
        Some(t) => human_duration(i128::from(now) - i128::from(from_k8s_time(t))),
    }
}

/// `1m30s`, `500ms`, `2h`, `45s`, or a bare number of seconds.
pub fn parse_duration(s: &str) -> Option<SimTime> {
    if let Ok(n) = s.parse::<u64>() {
        return n.checked_mul(1000);
    }
    let mut total: u64 = 0;
    let mut num = String::new();
    let mut chars = s.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            num.push(c);
            continue;
        }
        let n: u64 = num.parse().ok()?;
        num.clear();
        let unit = match c {
            'm' if chars.peek() == Some(&'s') => {
                chars.next();
                1
            }
            'h' => 3_600_000,
            'm' => 60_000,
            's' => 1000,
            _ => return None,
        };
        total = total.checked_add(n.checked_mul(unit)?)?;
        any = true;
    }
    if !num.is_empty() || !any {
        return None;
    }
    Some(total)
}

/// `12.345s` style for sim times.
pub fn fmt_time(t: SimTime) -> String {
    format!("{}.{:03}s", t / 1000, t % 1000)
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

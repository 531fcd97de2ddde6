//! Timestamps printed the way k8s-openapi prints them (`Time`: `%Y-%m-%dT%H:%M:%SZ`,
//! `MicroTime`: `%Y-%m-%dT%H:%M:%S%.6fZ`, through jiff's `strtime`), and the civil fields the
//! playground's other `strftime` patterns need, without jiff's `strtime` formatter in the
//! bundle (issue #17: the formatter and its error machinery are ≈ 15 KB of wasm).
//!
//! `tests` below compares every pattern with jiff's own `strftime` over jiff's whole
//! `Timestamp` range.

use k8s_openapi::jiff::Timestamp;

/// The UTC calendar fields of a timestamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Civil {
    pub year: i64,
    /// 1..=12
    pub month: u8,
    /// 1..=31
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
    /// 0..1_000_000_000
    pub nanosecond: u32,
    /// 0 = Sunday … 6 = Saturday
    pub weekday: u8,
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's
/// `civil_from_days`).
fn civil_from_days(z: i64) -> (i64, u8, u8) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    (
        y,
        u8::try_from(m).unwrap_or(1),
        u8::try_from(d).unwrap_or(1),
    )
}

/// The UTC fields of `ts`.
pub fn civil(ts: Timestamp) -> Civil {
    let secs = ts.as_second();
    let mut nanos = ts.subsec_nanosecond();
    let mut secs = secs;
    if nanos < 0 {
        // jiff keeps the sign of the seconds in the nanoseconds
        secs -= 1;
        nanos += 1_000_000_000;
    }
    let days = secs.div_euclid(86_400);
    let tod = secs.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    let small = |v: i64| u8::try_from(v).unwrap_or(0);
    Civil {
        year,
        month,
        day,
        hour: small(tod / 3600),
        minute: small(tod / 60 % 60),
        second: small(tod % 60),
        nanosecond: u32::try_from(nanos).unwrap_or(0),
        weekday: small((days + 4).rem_euclid(7)),
    }
}

impl Civil {
    /// strftime's `%Y`: zero-padded to four characters, the sign of a negative year included.
    pub fn year4(&self) -> String {
        format!("{:04}", self.year)
    }
    /// strftime's `%a`.
    pub fn weekday_abbrev(&self) -> &'static str {
        ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
            .get(usize::from(self.weekday))
            .copied()
            .unwrap_or("")
    }
    /// strftime's `%b`.
    pub fn month_abbrev(&self) -> &'static str {
        [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ]
        .get(usize::from(self.month).wrapping_sub(1))
        .copied()
        .unwrap_or("")
    }
    /// `%H:%M:%S`
    pub fn hms(&self) -> String {
        format!("{:02}:{:02}:{:02}", self.hour, self.minute, self.second)
    }
}

/// `%Y-%m-%dT%H:%M:%SZ`: how k8s-openapi serializes `Time`.
pub fn rfc3339(ts: Timestamp) -> String {
    let c = civil(ts);
    format!("{}-{:02}-{:02}T{}Z", c.year4(), c.month, c.day, c.hms())
}

/// `%Y-%m-%dT%H:%M:%S%.6fZ`: how k8s-openapi serializes `MicroTime`.
pub fn rfc3339_micro(ts: Timestamp) -> String {
    let c = civil(ts);
    format!(
        "{}-{:02}-{:02}T{}.{:06}Z",
        c.year4(),
        c.month,
        c.day,
        c.hms(),
        c.nanosecond / 1000
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;

    fn check(ts: Timestamp) {
        let c = civil(ts);
        assert_eq!(rfc3339(ts), ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string());
        assert_eq!(
            rfc3339_micro(ts),
            ts.strftime("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
        );
        assert_eq!(
            format!(
                "{}, {:02} {} {} {} +0000",
                c.weekday_abbrev(),
                c.day,
                c.month_abbrev(),
                c.year4(),
                c.hms()
            ),
            ts.strftime("%a, %d %b %Y %H:%M:%S +0000").to_string()
        );
        assert_eq!(
            format!("{}/{:02}/{:02} {}", c.year4(), c.month, c.day, c.hms()),
            ts.strftime("%Y/%m/%d %H:%M:%S").to_string()
        );
        assert_eq!(
            format!("{:02}{:02}", c.month, c.day),
            ts.strftime("%m%d").to_string()
        );
    }

    #[test]
    fn edges() {
        for ts in [
            Timestamp::MIN,
            Timestamp::MAX,
            Timestamp::UNIX_EPOCH,
            Timestamp::from_second(-1).unwrap(),
            Timestamp::new(-1, -1).unwrap(),
            Timestamp::new(-62_135_596_800, 0).unwrap(), // 0001-01-01
            Timestamp::new(-62_135_596_801, 999_999_999).unwrap(),
            Timestamp::new(951_782_400, 0).unwrap(), // 2000-02-29
            Timestamp::new(1_764_079_803, 123_456_789).unwrap(),
        ] {
            check(ts);
        }
    }

    proptest! {
        #[test]
        fn same_as_jiff(
            s in Timestamp::MIN.as_second()..=Timestamp::MAX.as_second(),
            n in 0i32..1_000_000_000,
        ) {
            let n = if s < 0 { -n } else { n };
            if let Ok(ts) = Timestamp::new(s, n) {
                check(ts);
            }
        }
    }
}

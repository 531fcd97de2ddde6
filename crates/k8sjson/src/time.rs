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

/// `time.RFC3339`, the layout metav1.Time reads (`Time.UnmarshalJSON`,
/// k8s.io/apimachinery/pkg/apis/meta/v1/time.go).
pub const LAYOUT: &str = "2006-01-02T15:04:05Z07:00";
/// metav1's `RFC3339Micro`, the layout metav1.MicroTime reads (micro_time.go).
pub const LAYOUT_MICRO: &str = "2006-01-02T15:04:05.000000Z07:00";

/// `time.Parse(LAYOUT, s)` (or `LAYOUT_MICRO` when `micro`), as Go's general layout parser
/// runs it (src/time/format.go `parse`; for RFC 3339 Go tries a strict fast path first, whose
/// accepted strings and results are a subset of this one's): the instant, or Go's
/// `*time.ParseError` text, which is what the apiserver and kubectl print for a bad
/// timestamp. Go accepts a one-digit hour, `,` before the fraction, offsets up to `±24:60`;
/// an instant Go accepts outside jiff's range (years -9999..=9999 minus a day) is an error.
pub fn parse(s: &str, micro: bool) -> Result<Timestamp, String> {
    let layout = if micro { LAYOUT_MICRO } else { LAYOUT };
    let b = s.as_bytes();
    let rest = |at: usize| s.get(at..).unwrap_or("");
    // "cannot parse {value elem} as {layout elem}"
    let bad = |at: usize, elem: &str| {
        format!(
            "parsing time {} as {}: cannot parse {} as {}",
            go_quote(s),
            go_quote(layout),
            go_quote(rest(at)),
            go_quote(elem)
        )
    };
    let range = |what: &str| format!("parsing time {}: {what} out of range", go_quote(s));
    let digit = |at: usize| b.get(at).is_some_and(u8::is_ascii_digit);
    let num = |at: usize| i64::from(b.get(at).copied().unwrap_or(b'0').wrapping_sub(b'0'));
    // getnum(fixed): two digits, or (not fixed) one
    let getnum = |at: usize, fixed: bool| -> Option<(i64, usize)> {
        if !digit(at) {
            None
        } else if !digit(at + 1) {
            (!fixed).then(|| (num(at), at + 1))
        } else {
            Some((num(at) * 10 + num(at + 1), at + 2))
        }
    };
    let lit = |at: usize, c: u8| -> Result<usize, String> {
        if b.get(at) == Some(&c) {
            Ok(at + 1)
        } else {
            Err(bad(
                at,
                if c == b'-' {
                    "-"
                } else if c == b'T' {
                    "T"
                } else {
                    ":"
                },
            ))
        }
    };
    // 2006
    if b.len() < 4 || !(0..4).all(digit) {
        return Err(bad(0, "2006"));
    }
    let year = (0..4).fold(0, |y, i| y * 10 + num(i));
    let at = lit(4, b'-')?;
    // 01
    let (month, at) = getnum(at, true).ok_or_else(|| bad(at, "01"))?;
    if !(1..=12).contains(&month) {
        return Err(range("month"));
    }
    let at = lit(at, b'-')?;
    // 02 (its range is checked at the end, as Go does)
    let (day, at) = getnum(at, true).ok_or_else(|| bad(at, "02"))?;
    let at = lit(at, b'T')?;
    // 15
    let (hour, at) = getnum(at, false).ok_or_else(|| bad(at, "15"))?;
    if hour >= 24 {
        return Err(range("hour"));
    }
    let at = lit(at, b':')?;
    // 04
    let (minute, at) = getnum(at, true).ok_or_else(|| bad(at, "04"))?;
    if minute >= 60 {
        return Err(range("minute"));
    }
    let at = lit(at, b':')?;
    // 05
    let (second, mut at) = getnum(at, true).ok_or_else(|| bad(at, "05"))?;
    if second >= 60 {
        return Err(range("second"));
    }
    let comma_or_period = |at: usize| matches!(b.get(at), Some(b'.' | b','));
    // the digits b[from..to] as nanoseconds (at most nine of them count)
    let nanos = |from: usize, to: usize| -> i64 {
        let to = to.min(from + 9);
        let mut n = (from..to).fold(0, |n, i| n * 10 + num(i));
        for _ in to - from..9 {
            n *= 10;
        }
        n
    };
    let mut nano = 0;
    if micro {
        // .000000: a period or comma and exactly six places (Go's atoi takes a sign there)
        let hold = at;
        if b.len() < at + 7 || !comma_or_period(at) {
            return Err(bad(hold, ".000000"));
        }
        let (neg, from) = match b.get(at + 1) {
            Some(b'-') => (true, at + 2),
            Some(b'+') => (false, at + 2),
            _ => (false, at + 1),
        };
        if !(from..at + 7).all(digit) {
            return Err(bad(hold, ".000000"));
        }
        // six bytes after the period, scaled as six places even when a sign took one
        let n = (from..at + 7).fold(0, |n, i| n * 10 + num(i));
        if neg && n != 0 {
            return Err(range("fractional second"));
        }
        nano = n * 1000;
        at += 7;
    } else if comma_or_period(at) && digit(at + 1) {
        // a fraction the layout does not name: any number of digits
        let mut end = at + 2;
        while digit(end) {
            end += 1;
        }
        nano = nanos(at + 1, end);
        at = end;
    }
    // Z07:00
    let offset = if b.get(at) == Some(&b'Z') {
        at += 1;
        0
    } else {
        let hold = at;
        if b.len() < at + 6 || b.get(at + 3) != Some(&b':') {
            return Err(bad(hold, "Z07:00"));
        }
        let hh = getnum(at + 1, true).filter(|&(_, e)| e == at + 3);
        let mm = hh.and_then(|_| getnum(at + 4, true));
        let (hr, mn) = (hh.map_or(0, |h| h.0), mm.map_or(0, |m| m.0));
        if hr > 24 {
            return Err(range("time zone offset hour"));
        }
        if mn > 60 {
            return Err(range("time zone offset minute"));
        }
        let sign = match b.get(at) {
            Some(b'+') => 1,
            Some(b'-') => -1,
            _ => 0,
        };
        if hh.is_none() || mm.is_none() || sign == 0 {
            return Err(bad(hold, "Z07:00"));
        }
        at += 6;
        sign * (hr * 60 + mn) * 60
    };
    if at != b.len() {
        return Err(format!(
            "parsing time {}: extra text: {}",
            go_quote(s),
            go_quote(rest(at))
        ));
    }
    if day < 1 || day > days_in(month, year) {
        return Err(range("day"));
    }
    let secs =
        days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset;
    Timestamp::new(secs, i32::try_from(nano).unwrap_or(0)).map_err(|_| {
        format!(
            "parsing time {}: outside the range the playground can hold",
            go_quote(s)
        )
    })
}

fn days_in(month: i64, year: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Go's `time.quote` (format.go): `"` and `\` escaped, a control or non-ASCII character as the
/// `\x` escapes of its bytes.
fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        if !(' '..'\u{80}').contains(&c) {
            let mut buf = [0u8; 4];
            for byte in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("\\x{byte:02x}"));
            }
        } else {
            if c == '"' || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out.push('"');
    out
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

    /// Go's own messages for the layouts, derived by hand from src/time/format.go `parse`
    /// (`newParseError` and `ParseError.Error`).
    #[test]
    fn go_parse_errors() {
        let rfc = |v: &str, elem: &str, layout: &str| {
            format!(
                "parsing time {} as {}: cannot parse {} as {}",
                go_quote(v),
                go_quote(LAYOUT),
                go_quote(elem),
                go_quote(layout)
            )
        };
        for (input, want) in [
            ("x", rfc("x", "x", "2006")),
            ("", rfc("", "", "2006")),
            ("yesterday", rfc("yesterday", "yesterday", "2006")),
            (
                "20x4-01-01T00:00:00Z",
                rfc("20x4-01-01T00:00:00Z", "20x4-01-01T00:00:00Z", "2006"),
            ),
            ("2024-01-01", rfc("2024-01-01", "", "T")),
            (
                "2024/01/01T00:00:00Z",
                rfc("2024/01/01T00:00:00Z", "/01/01T00:00:00Z", "-"),
            ),
            (
                "2024-1-01T00:00:00Z",
                rfc("2024-1-01T00:00:00Z", "1-01T00:00:00Z", "01"),
            ),
            (
                "2024-01-01 00:00:00Z",
                rfc("2024-01-01 00:00:00Z", " 00:00:00Z", "T"),
            ),
            (
                "2024-01-01T00:0:00Z",
                rfc("2024-01-01T00:0:00Z", "0:00Z", "04"),
            ),
            (
                "2024-01-01T00:00:00",
                rfc("2024-01-01T00:00:00", "", "Z07:00"),
            ),
            (
                "2024-01-01T00:00:00+0100",
                rfc("2024-01-01T00:00:00+0100", "+0100", "Z07:00"),
            ),
            (
                "2024-01-01T00:00:00z",
                rfc("2024-01-01T00:00:00z", "z", "Z07:00"),
            ),
            (
                "2024-01-01T00:00:00 01:00",
                rfc("2024-01-01T00:00:00 01:00", " 01:00", "Z07:00"),
            ),
            (
                "2024-01-01T00:00:00+0a:00",
                rfc("2024-01-01T00:00:00+0a:00", "+0a:00", "Z07:00"),
            ),
            (
                "2024-13-01T00:00:00Z",
                r#"parsing time "2024-13-01T00:00:00Z": month out of range"#.into(),
            ),
            (
                "2023-02-29T00:00:00Z",
                r#"parsing time "2023-02-29T00:00:00Z": day out of range"#.into(),
            ),
            (
                "2024-01-00T00:00:00Z",
                r#"parsing time "2024-01-00T00:00:00Z": day out of range"#.into(),
            ),
            (
                "2024-01-01T24:00:00Z",
                r#"parsing time "2024-01-01T24:00:00Z": hour out of range"#.into(),
            ),
            (
                "2024-01-01T00:60:00Z",
                r#"parsing time "2024-01-01T00:60:00Z": minute out of range"#.into(),
            ),
            (
                "2024-01-01T00:00:60Z",
                r#"parsing time "2024-01-01T00:00:60Z": second out of range"#.into(),
            ),
            (
                "2024-01-01T00:00:00+25:00",
                r#"parsing time "2024-01-01T00:00:00+25:00": time zone offset hour out of range"#
                    .into(),
            ),
            (
                "2024-01-01T00:00:00Zjunk",
                r#"parsing time "2024-01-01T00:00:00Zjunk": extra text: "junk""#.into(),
            ),
            // a day out of range is found after the whole string is read
            (
                "2024-02-31T00:00:00Zx",
                r#"parsing time "2024-02-31T00:00:00Zx": extra text: "x""#.into(),
            ),
            ("é\"", rfc("é\"", "é\"", "2006")),
        ] {
            assert_eq!(parse(input, false).unwrap_err(), want, "{input}");
        }
        assert_eq!(
            parse("x", false).unwrap_err(),
            r#"parsing time "x" as "2006-01-02T15:04:05Z07:00": cannot parse "x" as "2006""#
        );
        assert_eq!(go_quote("é\\\"\n"), r#""\xc3\xa9\\\"\x0a""#);
        let micro = |v: &str, elem: &str| {
            format!(
                "parsing time {} as {}: cannot parse {} as \".000000\"",
                go_quote(v),
                go_quote(LAYOUT_MICRO),
                go_quote(elem)
            )
        };
        for (input, want) in [
            ("2024-01-01T00:00:00Z", micro("2024-01-01T00:00:00Z", "Z")),
            (
                "2024-01-01T00:00:00.123Z",
                micro("2024-01-01T00:00:00.123Z", ".123Z"),
            ),
            (
                "2024-01-01T00:00:00.12a456Z",
                micro("2024-01-01T00:00:00.12a456Z", ".12a456Z"),
            ),
        ] {
            assert_eq!(parse(input, true).unwrap_err(), want, "{input}");
        }
        assert_eq!(
            parse("2024-01-01T00:00:00.1234567Z", true).unwrap_err(),
            format!(
                "parsing time {} as {}: cannot parse \"7Z\" as \"Z07:00\"",
                go_quote("2024-01-01T00:00:00.1234567Z"),
                go_quote(LAYOUT_MICRO)
            )
        );
        assert_eq!(
            parse("2024-01-01T00:00:00.-12345Z", true).unwrap_err(),
            r#"parsing time "2024-01-01T00:00:00.-12345Z": fractional second out of range"#
        );
    }

    /// What Go accepts beyond strict RFC 3339, with the instants it gives.
    #[test]
    fn go_leniencies() {
        let at = |s: &str, micro: bool| parse(s, micro).unwrap();
        let ts = |s: &str| s.parse::<Timestamp>().unwrap();
        assert_eq!(at("2024-01-01T1:02:03Z", false), ts("2024-01-01T01:02:03Z"));
        assert_eq!(
            at("2024-01-01T00:00:00,5Z", false),
            ts("2024-01-01T00:00:00.5Z")
        );
        assert_eq!(
            at("2024-01-01T00:00:00.1234567891234Z", false),
            ts("2024-01-01T00:00:00.123456789Z")
        );
        assert_eq!(
            at("2024-01-01T00:00:00+24:60", false),
            ts("2023-12-30T23:00:00Z")
        );
        assert_eq!(
            at("2024-01-01T00:00:00.+12345Z", true),
            ts("2024-01-01T00:00:00.012345Z")
        );
        assert_eq!(
            at("2024-01-01T00:00:00,123456Z", true),
            ts("2024-01-01T00:00:00.123456Z")
        );
        assert_eq!(
            at("0000-01-01T00:00:00Z", false),
            ts("0000-01-01T00:00:00Z")
        );
        assert!(
            parse("9999-12-31T23:59:59Z", false)
                .unwrap_err()
                .ends_with("outside the range the playground can hold")
        );
    }

    fn rfc3339_string(
        (y, mo, d, h, mi, s): (i64, i64, i64, i64, i64, i64),
        frac: &str,
        off: Option<(bool, i64, i64)>,
    ) -> String {
        let d = d.min(days_in(mo, y));
        let off = match off {
            None => "Z".to_string(),
            Some((neg, oh, om)) => format!("{}{oh:02}:{om:02}", if neg { '-' } else { '+' }),
        };
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{frac}{off}")
    }

    proptest! {
        /// Every RFC 3339 string jiff reads gives the same instant here.
        #[test]
        fn parses_as_jiff(
            date in (0i64..=9999, 1i64..=12, 1i64..=31, 0i64..24, 0i64..60, 0i64..60),
            frac in proptest::option::of("[0-9]{1,9}"),
            off in proptest::option::of((any::<bool>(), 0i64..24, 0i64..60)),
        ) {
            let frac = frac.map(|f| format!(".{f}")).unwrap_or_default();
            let s = rfc3339_string(date, &frac, off);
            if let Ok(want) = s.parse::<Timestamp>() {
                prop_assert_eq!(parse(&s, false), Ok(want), "{}", s);
            }
            let s = rfc3339_string(date, ".123456", off);
            if let Ok(want) = s.parse::<Timestamp>() {
                prop_assert_eq!(parse(&s, true), Ok(want), "{}", s);
            }
        }

        /// Never a panic, whatever the text.
        #[test]
        fn any_text(s in ".{0,40}", micro in any::<bool>()) {
            let _ = parse(&s, micro);
        }

        /// What the printers write reads back.
        #[test]
        fn round_trip(s in -62_167_219_200i64..=253_402_214_400, n in 0i32..1_000_000_000) {
            if let Ok(ts) = Timestamp::new(s, n) {
                let whole = Timestamp::new(s, 0).unwrap();
                prop_assert_eq!(parse(&rfc3339(ts), false), Ok(whole));
                let micro = Timestamp::new(s, n / 1000 * 1000).unwrap();
                prop_assert_eq!(parse(&rfc3339_micro(ts), true), Ok(micro));
            }
        }

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

//! The link payload, version 1: a flat byte layout (before deflate).
//!
//! ```text
//! varint n_files,    n_files    x (str name, str text)
//! varint n_steps,    n_steps    x (u8 0, str line | u8 1, str name, str text)
//! varint position        0 = the live end, k + 1 = timeline point k
//! u8     view            0 diagram, 1 console, 2 diagram+console, 3 full
//! u8     theme           0 light, 1 dark, 2 auto
//! varint speed           0 = one event per tick, else hundredths (100 = 1x)
//! str    active_file     "" = none
//! str    example         "" = none
//! str    tour            "" = none
//! varint tour_step
//! ```
//! `varint` is LEB128 (at most 5 bytes, fits u32); `str` is a varint byte length and UTF-8.
//! Nothing may follow. A later format gets a new version number and its own decoder here;
//! this one is kept so old links keep opening (`tests/fixtures/v1-*.link`).

use crate::scenario::{
    File, Scenario, Speed, Step, Theme, TourPosition, View, ViewOptions, limits,
};

/// Why a payload is not a valid v1 scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WireError {
    /// Ended in the middle of a field.
    Truncated(&'static str),
    /// A field holds a value no encoder writes.
    Invalid(&'static str),
    /// Bytes after the last field.
    Trailing(usize),
    /// Within the format, but outside the bounds.
    Limit(crate::scenario::LimitError),
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn u8(&mut self, what: &'static str) -> Result<u8, WireError> {
        let b = self
            .bytes
            .get(self.at)
            .copied()
            .ok_or(WireError::Truncated(what))?;
        self.at += 1;
        Ok(b)
    }

    fn varint(&mut self, what: &'static str) -> Result<u32, WireError> {
        let mut v: u32 = 0;
        for i in 0..5 {
            let b = self.u8(what)?;
            let part = u32::from(b & 0x7f);
            if i == 4 && part > 0x0f {
                return Err(WireError::Invalid(what));
            }
            v |= part << (7 * i);
            if b & 0x80 == 0 {
                // A longer spelling than needed is not what the encoder writes.
                if i > 0 && b == 0 {
                    return Err(WireError::Invalid(what));
                }
                return Ok(v);
            }
        }
        Err(WireError::Invalid(what))
    }

    /// A count, bounded before anything is allocated for it.
    fn count(&mut self, what: &'static str, max: usize) -> Result<usize, WireError> {
        let n = self.varint(what)? as usize;
        if n > max {
            return Err(WireError::Limit(crate::scenario::LimitError::TooMany {
                what,
                n,
                max,
            }));
        }
        Ok(n)
    }

    fn str(&mut self, what: &'static str, max: usize) -> Result<String, WireError> {
        let len = self.varint(what)? as usize;
        if len > max {
            return Err(WireError::Limit(crate::scenario::LimitError::TooLarge {
                what: what.to_string(),
                bytes: len,
                max,
            }));
        }
        let end = self.at.checked_add(len).ok_or(WireError::Truncated(what))?;
        let raw = self
            .bytes
            .get(self.at..end)
            .ok_or(WireError::Truncated(what))?;
        self.at = end;
        String::from_utf8(raw.to_vec()).map_err(|_| WireError::Invalid(what))
    }

    fn opt_str(&mut self, what: &'static str, max: usize) -> Result<Option<String>, WireError> {
        let s = self.str(what, max)?;
        Ok((!s.is_empty()).then_some(s))
    }
}

fn put_varint(out: &mut Vec<u8>, mut v: u32) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

fn put_len(out: &mut Vec<u8>, n: usize) {
    // Every length is bounded far below u32::MAX by `Scenario::check` before encoding.
    put_varint(out, u32::try_from(n).unwrap_or(u32::MAX));
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_len(out, s.len());
    out.extend_from_slice(s.as_bytes());
}

fn view_code(v: View) -> u8 {
    match v {
        View::Diagram => 0,
        View::Console => 1,
        View::DiagramConsole => 2,
        View::Full => 3,
    }
}

fn theme_code(t: Theme) -> u8 {
    match t {
        Theme::Light => 0,
        Theme::Dark => 1,
        Theme::Auto => 2,
    }
}

/// The v1 bytes of a scenario. The caller has checked it ([`Scenario::check`]).
pub fn encode_v1(s: &Scenario) -> Vec<u8> {
    let mut out = Vec::new();
    put_len(&mut out, s.files.len());
    for f in &s.files {
        put_str(&mut out, &f.name);
        put_str(&mut out, &f.text);
    }
    put_len(&mut out, s.steps.len());
    for step in &s.steps {
        match step {
            Step::Run(line) => {
                out.push(0);
                put_str(&mut out, line);
            }
            Step::Write(f) => {
                out.push(1);
                put_str(&mut out, &f.name);
                put_str(&mut out, &f.text);
            }
        }
    }
    put_varint(&mut out, s.position.map_or(0, |p| p.saturating_add(1)));
    let v = &s.view;
    out.push(view_code(v.view));
    out.push(theme_code(v.theme));
    put_varint(
        &mut out,
        match v.speed {
            Speed::Events => 0,
            Speed::Hundredths(h) => u32::from(h),
        },
    );
    put_str(&mut out, v.active_file.as_deref().unwrap_or(""));
    put_str(&mut out, v.example.as_deref().unwrap_or(""));
    put_str(&mut out, v.tour.as_ref().map_or("", |t| t.name.as_str()));
    put_varint(&mut out, v.tour.as_ref().map_or(0, |t| t.step));
    out
}

/// Decode v1 bytes; every count and length is checked against [`limits`] before use.
pub fn decode_v1(bytes: &[u8]) -> Result<Scenario, WireError> {
    let mut r = Reader { bytes, at: 0 };
    let n_files = r.count("files", limits::MAX_FILES)?;
    let mut files = Vec::with_capacity(n_files);
    for _ in 0..n_files {
        let name = r.str("a file name", limits::MAX_NAME_BYTES)?;
        let text = r.str("a file", limits::MAX_FILE_BYTES)?;
        files.push(File { name, text });
    }
    let n_steps = r.count("steps", limits::MAX_COMMANDS)?;
    // Bounded by the count check and by the payload itself (each step takes two bytes).
    let mut steps = Vec::with_capacity(n_steps.min(bytes.len() / 2));
    for _ in 0..n_steps {
        steps.push(match r.u8("a step")? {
            0 => Step::Run(r.str("a command", limits::MAX_COMMAND_BYTES)?),
            1 => {
                let name = r.str("a file name", limits::MAX_NAME_BYTES)?;
                let text = r.str("a file", limits::MAX_FILE_BYTES)?;
                Step::Write(File { name, text })
            }
            _ => return Err(WireError::Invalid("a step")),
        });
    }
    let position = match r.varint("the timeline position")? {
        0 => None,
        p => Some(p - 1),
    };
    let view = *View::ALL
        .get(usize::from(r.u8("the view")?))
        .ok_or(WireError::Invalid("the view"))?;
    let theme = *Theme::ALL
        .get(usize::from(r.u8("the theme")?))
        .ok_or(WireError::Invalid("the theme"))?;
    let speed = match r.varint("the speed")? {
        0 => Speed::Events,
        h => Speed::Hundredths(u16::try_from(h).map_err(|_| WireError::Invalid("the speed"))?),
    };
    let active_file = r.opt_str("the active tab", limits::MAX_NAME_BYTES)?;
    let example = r.opt_str("the example id", limits::MAX_NAME_BYTES)?;
    let tour_name = r.opt_str("the tour id", limits::MAX_NAME_BYTES)?;
    let tour_step = r.varint("the tour step")?;
    let tour = match tour_name {
        Some(name) => Some(TourPosition {
            name,
            step: tour_step,
        }),
        None if tour_step == 0 => None,
        None => return Err(WireError::Invalid("the tour step")),
    };
    if r.at != bytes.len() {
        return Err(WireError::Trailing(bytes.len() - r.at));
    }
    let s = Scenario {
        files,
        steps,
        position,
        view: ViewOptions {
            view,
            theme,
            speed,
            active_file,
            example,
            tour,
        },
    };
    s.check().map_err(WireError::Limit)?;
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_are_canonical() {
        for v in [0, 1, 127, 128, 300, 16_383, 16_384, u32::MAX] {
            let mut b = Vec::new();
            put_varint(&mut b, v);
            let mut r = Reader { bytes: &b, at: 0 };
            assert_eq!(r.varint("x"), Ok(v));
            assert_eq!(r.at, b.len());
        }
        // 0x80 0x00 spells 0 the long way; 6 bytes overflow; 5th byte too big overflows u32.
        for bad in [
            &[0x80, 0x00][..],
            &[0xff; 6],
            &[0xff, 0xff, 0xff, 0xff, 0x1f],
        ] {
            let mut r = Reader { bytes: bad, at: 0 };
            assert!(r.varint("x").is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_empty_scenario_is_ten_bytes() {
        let b = encode_v1(&Scenario::default());
        assert_eq!(b, [0, 0, 0, 3, 2, 100, 0, 0, 0, 0]);
        assert_eq!(decode_v1(&b), Ok(Scenario::default()));
    }

    #[test]
    fn counts_are_bounded_before_allocating() {
        // "4 billion files" must fail at once, not try to reserve them.
        let b = [0xff, 0xff, 0xff, 0xff, 0x0f];
        assert!(matches!(decode_v1(&b), Err(WireError::Limit(_))));
        // 20,000 steps claimed, none present.
        let mut b = vec![0];
        put_varint(&mut b, 20_000);
        assert_eq!(decode_v1(&b), Err(WireError::Truncated("a step")));
        // A step kind no encoder writes.
        assert_eq!(decode_v1(&[0, 1, 7]), Err(WireError::Invalid("a step")));
    }

    #[test]
    fn trailing_bytes_and_bad_codes_are_errors() {
        let mut b = encode_v1(&Scenario::default());
        b.push(0);
        assert_eq!(decode_v1(&b), Err(WireError::Trailing(1)));
        let mut b = encode_v1(&Scenario::default());
        b[3] = 4;
        assert_eq!(decode_v1(&b), Err(WireError::Invalid("the view")));
        let b = [0, 0, 0, 3, 2, 100, 0, 0, 0, 5];
        assert_eq!(decode_v1(&b), Err(WireError::Invalid("the tour step")));
        let b = [1, 1, 0xff, 0, 0, 0, 3, 2, 100, 0, 0, 0, 0];
        assert_eq!(decode_v1(&b), Err(WireError::Invalid("a file name")));
    }
}

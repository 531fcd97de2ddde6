//! Lowercasing without core's Unicode case tables: `str::to_lowercase` links core's
//! `conversions::to_lower` table (1,461 pairs, ~12 KB of the wasm) and, for the final-sigma rule,
//! its `cased`/`case_ignorable` tables. Image references (distribution/reference's
//! `strings.ToLower` checks), cobra's command suggestions, `sim tour` names and describe's probe
//! scheme need the same mapping; here it is one table of runs (184 entries), pinned against
//! `char::to_lowercase` for every char by this module's tests.

/// A run of code points that lowercase by the same offset: `len` of them, `stride` apart (1, or
/// 2 where upper and lower case alternate, as in Latin Extended-A), packed as
/// `start | (stride - 1) << 21 | (len - 1) << 22 | delta << 32`.
const fn run(start: u32, len: u32, stride: u32, delta: i32) -> u64 {
    start as u64
        | ((stride - 1) as u64) << 21
        | ((len - 1) as u64) << 22
        | (delta as u32 as u64) << 32
}

/// Every non-ASCII char whose `char::to_lowercase` is one other char, by start; U+0130 (`İ`,
/// lowercased to two chars) is handled in [`push_lower`].
const RUNS: [u64; 184] = [
    run(0xc0, 23, 1, 32),
    run(0xd8, 7, 1, 32),
    run(0x100, 24, 2, 1),
    run(0x132, 3, 2, 1),
    run(0x139, 8, 2, 1),
    run(0x14a, 23, 2, 1),
    run(0x178, 1, 1, -121),
    run(0x179, 3, 2, 1),
    run(0x181, 1, 1, 210),
    run(0x182, 2, 2, 1),
    run(0x186, 1, 1, 206),
    run(0x187, 1, 1, 1),
    run(0x189, 2, 1, 205),
    run(0x18b, 1, 1, 1),
    run(0x18e, 1, 1, 79),
    run(0x18f, 1, 1, 202),
    run(0x190, 1, 1, 203),
    run(0x191, 1, 1, 1),
    run(0x193, 1, 1, 205),
    run(0x194, 1, 1, 207),
    run(0x196, 1, 1, 211),
    run(0x197, 1, 1, 209),
    run(0x198, 1, 1, 1),
    run(0x19c, 1, 1, 211),
    run(0x19d, 1, 1, 213),
    run(0x19f, 1, 1, 214),
    run(0x1a0, 3, 2, 1),
    run(0x1a6, 1, 1, 218),
    run(0x1a7, 1, 1, 1),
    run(0x1a9, 1, 1, 218),
    run(0x1ac, 1, 1, 1),
    run(0x1ae, 1, 1, 218),
    run(0x1af, 1, 1, 1),
    run(0x1b1, 2, 1, 217),
    run(0x1b3, 2, 2, 1),
    run(0x1b7, 1, 1, 219),
    run(0x1b8, 1, 1, 1),
    run(0x1bc, 1, 1, 1),
    run(0x1c4, 1, 1, 2),
    run(0x1c5, 1, 1, 1),
    run(0x1c7, 1, 1, 2),
    run(0x1c8, 1, 1, 1),
    run(0x1ca, 1, 1, 2),
    run(0x1cb, 9, 2, 1),
    run(0x1de, 9, 2, 1),
    run(0x1f1, 1, 1, 2),
    run(0x1f2, 2, 2, 1),
    run(0x1f6, 1, 1, -97),
    run(0x1f7, 1, 1, -56),
    run(0x1f8, 20, 2, 1),
    run(0x220, 1, 1, -130),
    run(0x222, 9, 2, 1),
    run(0x23a, 1, 1, 10795),
    run(0x23b, 1, 1, 1),
    run(0x23d, 1, 1, -163),
    run(0x23e, 1, 1, 10792),
    run(0x241, 1, 1, 1),
    run(0x243, 1, 1, -195),
    run(0x244, 1, 1, 69),
    run(0x245, 1, 1, 71),
    run(0x246, 5, 2, 1),
    run(0x370, 2, 2, 1),
    run(0x376, 1, 1, 1),
    run(0x37f, 1, 1, 116),
    run(0x386, 1, 1, 38),
    run(0x388, 3, 1, 37),
    run(0x38c, 1, 1, 64),
    run(0x38e, 2, 1, 63),
    run(0x391, 17, 1, 32),
    run(0x3a3, 9, 1, 32),
    run(0x3cf, 1, 1, 8),
    run(0x3d8, 12, 2, 1),
    run(0x3f4, 1, 1, -60),
    run(0x3f7, 1, 1, 1),
    run(0x3f9, 1, 1, -7),
    run(0x3fa, 1, 1, 1),
    run(0x3fd, 3, 1, -130),
    run(0x400, 16, 1, 80),
    run(0x410, 32, 1, 32),
    run(0x460, 17, 2, 1),
    run(0x48a, 27, 2, 1),
    run(0x4c0, 1, 1, 15),
    run(0x4c1, 7, 2, 1),
    run(0x4d0, 48, 2, 1),
    run(0x531, 38, 1, 48),
    run(0x10a0, 38, 1, 7264),
    run(0x10c7, 1, 1, 7264),
    run(0x10cd, 1, 1, 7264),
    run(0x13a0, 80, 1, 38864),
    run(0x13f0, 6, 1, 8),
    run(0x1c89, 1, 1, 1),
    run(0x1c90, 43, 1, -3008),
    run(0x1cbd, 3, 1, -3008),
    run(0x1e00, 75, 2, 1),
    run(0x1e9e, 1, 1, -7615),
    run(0x1ea0, 48, 2, 1),
    run(0x1f08, 8, 1, -8),
    run(0x1f18, 6, 1, -8),
    run(0x1f28, 8, 1, -8),
    run(0x1f38, 8, 1, -8),
    run(0x1f48, 6, 1, -8),
    run(0x1f59, 4, 2, -8),
    run(0x1f68, 8, 1, -8),
    run(0x1f88, 8, 1, -8),
    run(0x1f98, 8, 1, -8),
    run(0x1fa8, 8, 1, -8),
    run(0x1fb8, 2, 1, -8),
    run(0x1fba, 2, 1, -74),
    run(0x1fbc, 1, 1, -9),
    run(0x1fc8, 4, 1, -86),
    run(0x1fcc, 1, 1, -9),
    run(0x1fd8, 2, 1, -8),
    run(0x1fda, 2, 1, -100),
    run(0x1fe8, 2, 1, -8),
    run(0x1fea, 2, 1, -112),
    run(0x1fec, 1, 1, -7),
    run(0x1ff8, 2, 1, -128),
    run(0x1ffa, 2, 1, -126),
    run(0x1ffc, 1, 1, -9),
    run(0x2126, 1, 1, -7517),
    run(0x212a, 1, 1, -8383),
    run(0x212b, 1, 1, -8262),
    run(0x2132, 1, 1, 28),
    run(0x2160, 16, 1, 16),
    run(0x2183, 1, 1, 1),
    run(0x24b6, 26, 1, 26),
    run(0x2c00, 48, 1, 48),
    run(0x2c60, 1, 1, 1),
    run(0x2c62, 1, 1, -10743),
    run(0x2c63, 1, 1, -3814),
    run(0x2c64, 1, 1, -10727),
    run(0x2c67, 3, 2, 1),
    run(0x2c6d, 1, 1, -10780),
    run(0x2c6e, 1, 1, -10749),
    run(0x2c6f, 1, 1, -10783),
    run(0x2c70, 1, 1, -10782),
    run(0x2c72, 1, 1, 1),
    run(0x2c75, 1, 1, 1),
    run(0x2c7e, 2, 1, -10815),
    run(0x2c80, 50, 2, 1),
    run(0x2ceb, 2, 2, 1),
    run(0x2cf2, 1, 1, 1),
    run(0xa640, 23, 2, 1),
    run(0xa680, 14, 2, 1),
    run(0xa722, 7, 2, 1),
    run(0xa732, 31, 2, 1),
    run(0xa779, 2, 2, 1),
    run(0xa77d, 1, 1, -35332),
    run(0xa77e, 5, 2, 1),
    run(0xa78b, 1, 1, 1),
    run(0xa78d, 1, 1, -42280),
    run(0xa790, 2, 2, 1),
    run(0xa796, 10, 2, 1),
    run(0xa7aa, 1, 1, -42308),
    run(0xa7ab, 1, 1, -42319),
    run(0xa7ac, 1, 1, -42315),
    run(0xa7ad, 1, 1, -42305),
    run(0xa7ae, 1, 1, -42308),
    run(0xa7b0, 1, 1, -42258),
    run(0xa7b1, 1, 1, -42282),
    run(0xa7b2, 1, 1, -42261),
    run(0xa7b3, 1, 1, 928),
    run(0xa7b4, 8, 2, 1),
    run(0xa7c4, 1, 1, -48),
    run(0xa7c5, 1, 1, -42307),
    run(0xa7c6, 1, 1, -35384),
    run(0xa7c7, 2, 2, 1),
    run(0xa7cb, 1, 1, -42343),
    run(0xa7cc, 8, 2, 1),
    run(0xa7dc, 1, 1, -42561),
    run(0xa7f5, 1, 1, 1),
    run(0xff21, 26, 1, 32),
    run(0x10400, 40, 1, 40),
    run(0x104b0, 36, 1, 40),
    run(0x10570, 11, 1, 39),
    run(0x1057c, 15, 1, 39),
    run(0x1058c, 7, 1, 39),
    run(0x10594, 2, 1, 39),
    run(0x10c80, 51, 1, 64),
    run(0x10d50, 22, 1, 32),
    run(0x118a0, 32, 1, 32),
    run(0x16e40, 32, 1, 32),
    run(0x16ea0, 25, 1, 27),
    run(0x1e900, 34, 1, 34),
];

/// `c`'s lowercase when it is one char: `char::to_lowercase` for every char but U+0130.
fn lower_one(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let u = c as u32;
    let i = RUNS.partition_point(|&r| (r as u32 & 0x1F_FFFF) <= u);
    let Some(&r) = i.checked_sub(1).and_then(|i| RUNS.get(i)) else {
        return c;
    };
    let off = u - (r as u32 & 0x1F_FFFF);
    let stride = 1 + (r >> 21 & 1) as u32;
    let len = 1 + (r >> 22 & 0x3FF) as u32;
    if !off.is_multiple_of(stride) || off / stride >= len {
        return c;
    }
    char::from_u32(u.wrapping_add_signed((r >> 32) as i32)).unwrap_or(c)
}

/// Appends `c.to_lowercase()` to `out`.
pub fn push_lower(out: &mut String, c: char) {
    if c == '\u{130}' {
        out.push_str("i\u{307}");
    } else {
        out.push(lower_one(c));
    }
}

/// `s.to_lowercase()`, except that a word-final `Σ` becomes `σ`, not `ς`: that is Go's
/// `strings.ToLower` (per rune, no final-sigma rule), which the callers mimic.
pub fn lowercase(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        push_lower(&mut out, c);
    }
    out
}

/// Whether lowercasing changes `s` (`s.to_lowercase() != s`, and Go's `strings.ToLower(s) != s`).
pub fn has_upper(s: &str) -> bool {
    s.chars().any(|c| c == '\u{130}' || lower_one(c) != c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_char_lowercases_as_std_does() {
        for u in 0..=0x10_FFFF {
            let Some(c) = char::from_u32(u) else { continue };
            let mut ours = String::new();
            push_lower(&mut ours, c);
            let std: String = c.to_lowercase().collect();
            assert_eq!(ours, std, "U+{u:04X}");
            assert_eq!(
                has_upper(c.encode_utf8(&mut [0; 4])),
                std != c.to_string(),
                "U+{u:04X}"
            );
        }
    }

    #[test]
    fn strings() {
        assert_eq!(lowercase("HTTPS"), "https");
        assert_eq!(lowercase("Nginx:Ünïcode-\u{212A}"), "nginx:ünïcode-k");
        assert_eq!(lowercase("İx"), "i\u{307}x");
        assert_eq!(
            lowercase("ΟΔΟΣ"),
            "οδοσ",
            "no final sigma, as Go's strings.ToLower"
        );
        assert_eq!("ΟΔΟΣ".to_lowercase(), "οδος");
        assert!(has_upper("nginx:Latest"));
        assert!(has_upper("library/ngÍnx"));
        assert!(has_upper("\u{212A}"));
        assert!(!has_upper("library/nginx:1.25-ünï"));
        assert!(!has_upper(""));
    }
}

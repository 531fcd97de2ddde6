//! Text measuring and escaping.
//!
//! The layout must know how wide a name is without a browser: widths come from DejaVu Sans
//! (the diagram's first font; Debian's `fonts-dejavu-core`, which the e2e machine and most
//! Linux desktops have), advance widths of ASCII per 1000 em read from the font's `hmtx`
//! table. Other fonts in the fallback list are narrower, so a box sized for DejaVu Sans
//! holds its text in them too.

/// DejaVu Sans advance widths of ASCII 32..=126, per 1000 em.
const REGULAR: [u16; 95] = [
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636,
    636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632,
    575, 775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685,
    611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579,
    278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
];

/// DejaVu Sans Bold advance widths of ASCII 32..=126, per 1000 em.
const BOLD: [u16; 95] = [
    348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696,
    696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683,
    683, 821, 837, 372, 372, 775, 637, 995, 837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771,
    724, 725, 457, 365, 457, 838, 500, 500, 675, 716, 593, 716, 678, 435, 716, 712, 343, 343, 665,
    343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838,
];

/// Width in 1/1000 em of one character.
fn advance(c: char, bold: bool) -> u32 {
    let table = if bold { &BOLD } else { &REGULAR };
    let cp = c as u32;
    if (32..=126).contains(&cp) {
        return table
            .get((cp - 32) as usize)
            .copied()
            .map_or(1000, u32::from);
    }
    match cp {
        // Combining marks and zero-width characters take no room.
        0x0300..=0x036f | 0x200b..=0x200f | 0xfe00..=0xfe0f => 0,
        // East Asian wide and fullwidth forms, emoji: a full em.
        0x1100..=0x115f
        | 0x2e80..=0xa4cf
        | 0xac00..=0xd7a3
        | 0xf900..=0xfaff
        | 0xfe30..=0xfe4f
        | 0xff00..=0xff60
        | 0xffe0..=0xffe6
        | 0x1f000..=0x1faff
        | 0x20000..=0x3fffd => 1000,
        _ => 880,
    }
}

/// The width in pixels of `s` at `size` px.
pub fn width(s: &str, size: f32, bold: bool) -> f32 {
    let units: u32 = s.chars().map(|c| advance(c, bold)).sum();
    units as f32 * size / 1000.0
}

/// The longest prefix of `s` that fits `max` px, with `…` when cut.
pub fn fit(s: &str, size: f32, bold: bool, max: f32) -> String {
    if width(s, size, bold) <= max {
        return s.to_string();
    }
    let ell = width("…", size, bold);
    let mut used = 0.0;
    let mut out = String::new();
    for c in s.chars() {
        let w = advance(c, bold) as f32 * size / 1000.0;
        if used + w + ell > max {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// Break `s` into at most `lines` lines of at most `max` px at spaces; the last line ends
/// with `…` when text is left over, and a word longer than a line is cut.
pub fn wrap(s: &str, size: f32, bold: bool, max: f32, lines: usize) -> Vec<String> {
    let lines = lines.max(1);
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut words = s.split_whitespace();
    while let Some(w) = words.next() {
        let cand = if cur.is_empty() {
            w.to_string()
        } else {
            format!("{cur} {w}")
        };
        if width(&cand, size, bold) <= max {
            cur = cand;
            continue;
        }
        if out.len() + 1 == lines {
            // The last line: what is left, cut to fit.
            let rest: Vec<&str> = std::iter::once(w).chain(words).collect();
            let last = if cur.is_empty() {
                rest.join(" ")
            } else {
                format!("{cur} {}", rest.join(" "))
            };
            out.push(fit(&last, size, bold, max));
            return out;
        }
        if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        if width(w, size, bold) <= max {
            cur = w.to_string();
        } else if out.len() + 1 == lines {
            let rest: Vec<&str> = std::iter::once(w).chain(words).collect();
            out.push(fit(&rest.join(" "), size, bold, max));
            return out;
        } else {
            out.push(fit(w, size, bold, max));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Escape text for XML character data and attribute values; characters XML 1.0 forbids are
/// dropped.
pub fn xml_escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    xml_escape_into(s, &mut o);
    o
}

/// [`xml_escape`] appending to `o`.
pub fn xml_escape_into(s: &str, o: &mut String) {
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            '\t' | '\n' | '\r' => o.push(c),
            c if (c as u32) < 0x20 => {}
            '\u{fffe}' | '\u{ffff}' => {}
            c => o.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_follow_the_font() {
        // 'i' is narrow and 'm' wide in DejaVu Sans.
        assert!(width("iiii", 12.0, false) < width("mmmm", 12.0, false));
        assert!(width("web-0", 12.0, true) > width("web-0", 12.0, false));
        assert_eq!(width("", 12.0, false), 0.0);
        // 10 digits at 10 px: 636 units each.
        assert!((width("0123456789", 10.0, false) - 63.6).abs() < 0.01);
    }

    #[test]
    fn fit_cuts_with_an_ellipsis() {
        assert_eq!(fit("web-0", 12.0, false, 200.0), "web-0");
        let cut = fit("a-very-long-name-indeed", 12.0, false, 60.0);
        assert!(cut.ends_with('…'), "{cut}");
        assert!(width(&cut, 12.0, false) <= 60.0);
    }

    #[test]
    fn wrap_keeps_words_and_marks_what_is_left() {
        let lines = wrap(
            "web-2 is not created yet: OrderedReady waits for web-1 to be Running and Ready",
            10.0,
            false,
            150.0,
            2,
        );
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines.iter().all(|l| width(l, 10.0, false) <= 150.0));
        assert!(lines[1].ends_with('…'), "{lines:?}");
        let one = wrap("short", 10.0, false, 150.0, 3);
        assert_eq!(one, vec!["short".to_string()]);
    }

    #[test]
    fn xml_escape_escapes_markup_and_drops_forbidden_characters() {
        assert_eq!(
            xml_escape("<script>alert(\"x\" & 'y')</script>\u{1}"),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &apos;y&apos;)&lt;/script&gt;"
        );
        assert_eq!(xml_escape("日本 ✓"), "日本 ✓");
    }
}

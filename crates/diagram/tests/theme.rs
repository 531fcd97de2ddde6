//! The diagram's theme in the page (web/style.css, "The diagram's theme"): the scene carries
//! the light colours as presentation attributes (the exported SVG and PNG stay light and
//! self-contained); the page's rules take them from `--dg-*` custom properties whose fallbacks
//! must be the scene's own colours (so the light page and the export are one picture), and
//! which the dark theme sets. Here: every fallback is the scene's colour, the dark theme (and
//! the system's dark preference) sets every property the rules use, and the dark colours meet
//! WCAG AA contrast (text 4.5:1; icons, lines and box outlines 3:1), with the state colours
//! distinct from each other.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::collections::BTreeMap;

use common::*;
use diagram::Status;

fn css() -> String {
    std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/style.css"),
    )
    .unwrap()
}

/// `var(--dg-NAME,#hex)` in the rules: NAME → its fallback (one per name).
fn fallbacks(css: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for part in css.split("var(--dg-").skip(1) {
        let Some((name, rest)) = part.split_once(',') else {
            continue;
        };
        let hex = rest
            .trim_start()
            .split(')')
            .next()
            .unwrap()
            .trim()
            .to_string();
        if let Some(old) = out.insert(name.to_string(), hex.clone()) {
            assert_eq!(old, hex, "--dg-{name} has two fallbacks");
        }
    }
    out
}

/// The `--dg-*` declarations of the block that starts with `opener`.
fn block(css: &str, opener: &str) -> BTreeMap<String, String> {
    // The last such block: the diagram's (the page's own theme blocks come first).
    let at = css.rfind(opener).unwrap_or_else(|| panic!("{opener}"));
    let body = &css[at + opener.len()..];
    let body = &body[..body.find('}').unwrap()];
    body.split(';')
        .filter_map(|d| d.trim().strip_prefix("--dg-"))
        .map(|d| {
            let (k, v) = d.split_once(':').unwrap();
            (k.trim().to_string(), v.trim().to_string())
        })
        .collect()
}

fn rgb(hex: &str) -> [f64; 3] {
    let h = hex.trim_start_matches('#');
    assert_eq!(h.len(), 6, "{hex}");
    let c = |i: usize| f64::from(u8::from_str_radix(&h[i..i + 2], 16).unwrap()) / 255.0;
    [c(0), c(2), c(4)]
}

/// WCAG 2 contrast ratio.
fn contrast(a: &str, b: &str) -> f64 {
    let lum = |hex: &str| {
        let l = rgb(hex).map(|c| {
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        });
        0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2]
    };
    let (x, y) = (lum(a), lum(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

#[test]
fn every_fallback_is_the_scenes_own_colour() {
    let css = css();
    let fb = fallbacks(&css);
    for s in Status::ALL {
        assert_eq!(fb[s.css()], s.fill(), "--dg-{}", s.css());
        assert_eq!(fb[&format!("{}-line", s.css())], s.stroke(), "{}", s.css());
    }
    // The other colours: each is a presentation attribute somewhere in the exported picture
    // of a settled seed mid-update (badges old and new) and of a stacked seed.
    let mut s = settled();
    run(
        &mut s,
        &format!("kubectl set image sts/{SET} nginx=nginx:1.27"),
    );
    let mut svg = String::new();
    // Steps until one picture has both an old and a new badge.
    for _ in 0..200 {
        svg = diagram::svg_of(s.cluster(), "default");
        if svg.contains("rev-old") && svg.contains("rev-new") {
            break;
        }
        if s.cluster_mut().step().is_none() {
            break;
        }
    }
    svg += &diagram::svg_of(settled().cluster(), "default");
    // Node lanes (two alternating bands).
    let g = graph_with(
        &s,
        &diagram::Options {
            lanes: diagram::Lanes::On,
            ..diagram::Options::default()
        },
    );
    let l = diagram::layout(&g, &diagram::LayoutOptions::default());
    svg += &diagram::to_svg(&diagram::scene(&g, &l, &diagram::SceneOptions::default()));
    let statuses: Vec<String> = Status::ALL
        .iter()
        .flat_map(|s| [s.css().to_string(), format!("{}-line", s.css())])
        .collect();
    for (name, hex) in fb.iter().filter(|(n, _)| !statuses.contains(n)) {
        assert!(
            svg.contains(&format!("\"{hex}\"")),
            "--dg-{name}'s fallback {hex} is not a colour of the scene"
        );
    }
}

#[test]
fn the_dark_theme_sets_every_property_with_aa_contrast() {
    let css = css();
    let fb = fallbacks(&css);
    let dark = block(&css, "[data-theme=\"dark\"] {");
    let auto = block(&css, "  [data-theme=\"auto\"] {");
    assert_eq!(
        dark, auto,
        "the system's dark preference draws the dark theme"
    );
    for name in fb.keys() {
        assert!(
            dark.contains_key(name),
            "--dg-{name} is not set in the dark theme"
        );
    }
    let c = |k: &str| dark[k].as_str();
    let text = |fg: &str, bg: &str| {
        let r = contrast(c(fg), c(bg));
        assert!(r >= 4.5, "{fg} on {bg}: {r:.2} < 4.5");
    };
    let line = |fg: &str, bg: &str| {
        let r = contrast(c(fg), c(bg));
        assert!(r >= 3.0, "{fg} on {bg}: {r:.2} < 3");
    };
    for bg in ["bg", "frame"] {
        for fg in ["text", "muted", "why", "owns", "selects", "mounts"] {
            text(fg, bg);
        }
    }
    let mut lines = Vec::new();
    for s in Status::ALL {
        let (fill, l) = (s.css(), format!("{}-line", s.css()));
        text("text", fill);
        text("detail", fill);
        // The icon in the box, the outline against the frame, the legend's icon.
        line(&l, fill);
        line(&l, "frame");
        lines.push(dark[&l].clone());
    }
    lines.sort();
    lines.dedup();
    // Terminating and not created are both grey (told apart by icon, words and dashes).
    assert!(lines.len() >= Status::ALL.len() - 1, "{lines:?}");
    let white = |bg: &str| {
        let r = contrast("#ffffff", c(bg));
        assert!(r >= 4.5, "white on {bg}: {r:.2}");
    };
    white("head");
}

//! End-to-end: the diagram is readable at fit, in headless Chromium at 1,280×800 (issue #14):
//! after Apply and Settle, every pod, claim and volume name lies inside the diagram's box and
//! every scrolling box around it (visible without scrolling), drawn at least 9 CSS px (font
//! size × the SVG's screen scale) at 3, 5, 7 and 10 replicas, 11 px at 3 (the stacked
//! layout).
//!
//! Why 9 px: the smallest text the page itself uses is 12 px and browsers' minimum-font
//! settings default to 9–10 px; below 9 px DejaVu Sans's lower-case letters are about 5 device
//! px tall at 1×, where `0`/`o`, `1`/`l` blur. The pane shows about 612×240 CSS px of picture
//! at this window size (the editor, the side pane and the console share the window), so the
//! layout is chosen for the pane (`diagram::layout::choose`): stacked up to 4 replicas, one
//! line per ordinal (`Rows`) from 5, with machine-made volume names cut to `pvc-` and 8 digits
//! of their uid (the whole name is in the object's details and accessible name, checked
//! here). Before this (10 replicas in the wide column layout) names were drawn at about 5 px.
//!
//! `STSPLAY_SHOTS=dir` also saves a screenshot of the page per size (3, 5, 7, 10 and 100
//! replicas) to look at.

use std::time::Duration;

use e2e::browser::{R, connect, connect_with};
use e2e::{base_url, chrome_caps_args, start_chromedriver};
use fantoccini::{Client, Locator};
use serde_json::Value;

/// Wait until a script returns true (or 30 s passed); returns its last value.
async fn wait_js(c: &Client, script: &str) -> R<Value> {
    let start = std::time::Instant::now();
    loop {
        let v = c.execute(script, vec![]).await?;
        if v == Value::Bool(true) || start.elapsed() > Duration::from_secs(30) {
            return Ok(v);
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

/// The seed with `n` replicas, applied and settled.
async fn settled_seed(c: &Client, url: &str, n: usize) -> R<()> {
    c.goto(url).await?;
    c.wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Id("apply"))
        .await?;
    c.execute(
        "const ed = document.getElementById('editor');
         ed.value = ed.value.replace(/replicas: \\d+/, 'replicas: ' + arguments[0]);
         ed.dispatchEvent(new InputEvent('input', { bubbles: true }));",
        vec![Value::from(n)],
    )
    .await?;
    c.find(Locator::Id("apply")).await?.click().await?;
    c.find(Locator::Id("settle")).await?.click().await?;
    let ready = format!(
        "return document.querySelectorAll('#diagram .dg-pod.dg-ready').length === {}",
        n.min(3)
    );
    wait_js(c, &ready).await?;
    // The moves' CSS transitions end.
    tokio::time::sleep(Duration::from_millis(600)).await;
    Ok(())
}

/// Per pod, claim and volume name: its text, rendered font size (CSS px), and whether it lies
/// inside the diagram's box and inside every box that clips it (and the window).
const MEASURE: &str = r#"
const out = [];
const view = document.querySelector('.diagram-view');
const inside = (r, b) => r.left >= b.left - 0.5 && r.right <= b.right + 0.5 && r.top >= b.top - 0.5 && r.bottom <= b.bottom + 0.5;
for (const t of document.querySelectorAll('#diagram .dg-pod .dg-name, #diagram .dg-pvc .dg-name, #diagram .dg-pv .dg-name')) {
  const r = t.getBoundingClientRect();
  const px = parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a;
  let visible = inside(r, view.getBoundingClientRect()) && inside(r, { left: 0, top: 0, right: innerWidth, bottom: innerHeight });
  for (let a = t.parentElement; a && a !== document.body; a = a.parentElement) {
    const o = getComputedStyle(a).overflow;
    if (o !== 'visible' && a instanceof HTMLElement && !inside(r, a.getBoundingClientRect())) visible = false;
  }
  const obj = t.closest('[data-key]');
  out.push({ name: t.textContent, px, visible, ref: obj.getAttribute('data-ref') || '' });
}
return out;
"#;

/// A name as drawn, its rendered size (CSS px), whether it is visible, and the object's
/// reference (`persistentvolume/<name>`).
type Drawn = (String, f64, bool, String);

async fn measure(n: usize) -> Vec<Drawn> {
    let url = base_url();
    let (_driver, port) = start_chromedriver();
    let c = connect(port, 1280, 800).await;
    let observed = async {
        settled_seed(&c, &url, n).await?;
        if let Ok(dir) = std::env::var("STSPLAY_SHOTS") {
            let png = c.screenshot().await?;
            let _ = std::fs::write(format!("{dir}/diagram-{n}.png"), png);
        }
        c.execute(MEASURE, vec![]).await
    }
    .await;
    c.close().await.expect("close session");
    let v = observed.expect("e2e steps");
    v.as_array()
        .expect("names")
        .iter()
        .map(|n| {
            (
                n["name"].as_str().unwrap_or("").to_string(),
                n["px"].as_f64().unwrap_or(0.0),
                n["visible"].as_bool().unwrap_or(false),
                n["ref"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn check(names: &[Drawn], n: usize, min_px: f64) {
    // n pods, n claims, n volumes.
    assert_eq!(names.len(), 3 * n, "{names:?}");
    let mut sizes: Vec<f64> = Vec::new();
    for (name, px, visible, reference) in names {
        assert!(!name.is_empty(), "{names:?}");
        assert!(
            *px >= min_px,
            "{name} is drawn at {px:.1} px (< {min_px}): {names:?}"
        );
        assert!(
            *visible,
            "{name} is not visible without scrolling: {names:?}"
        );
        // The name drawn is the object's, or (a volume) the start of it, cut with '…'.
        let full = reference.split_once('/').map_or("", |(_, n)| n);
        let shown = name.strip_suffix('…').unwrap_or(name);
        assert!(
            full == name || (name.ends_with('…') && shown.len() >= 12 && full.starts_with(shown)),
            "{name} is not the name of {reference}"
        );
        sizes.push(*px);
    }
    let min = sizes.iter().copied().fold(f64::INFINITY, f64::min);
    eprintln!("{n} replicas: smallest name drawn at {min:.2} CSS px");
}

#[tokio::test]
async fn three_replicas_read_at_11px_without_scrolling() {
    check(&measure(3).await, 3, 11.0);
}

#[tokio::test]
async fn five_replicas_read_at_9px_without_scrolling() {
    check(&measure(5).await, 5, 9.0);
}

#[tokio::test]
async fn seven_replicas_read_at_9px_without_scrolling() {
    check(&measure(7).await, 7, 9.0);
}

#[tokio::test]
async fn ten_replicas_read_at_9px_without_scrolling() {
    check(&measure(10).await, 10, 9.0);
}

/// 100 replicas: not a readability bound (zoom is for that), a screenshot to look at, and
/// every pod still drawn.
#[tokio::test]
async fn hundred_replicas_draw_every_pod() {
    let names = measure(100).await;
    assert_eq!(names.len(), 300, "{}", names.len());
}

/// Per drawn text of the picture: its fill and the fill of the box (or frame, or background)
/// behind it, as computed by the page's CSS.
const COLOURS: &str = r#"
const fill = el => getComputedStyle(el).fill;
const out = { view: getComputedStyle(document.querySelector('.diagram-view')).backgroundColor, pairs: [] };
for (const t of document.querySelectorAll('#diagram text')) {
  const obj = t.closest('.dg-obj');
  const frame = t.closest('.dg-frame');
  const behind = obj ? obj.querySelector('.dg-box') : frame ? frame.querySelector('rect') : document.querySelector('#diagram .dg-bg');
  out.pairs.push([t.textContent, fill(t), fill(behind), obj ? obj.getAttribute('class') : (t.getAttribute('class') || '')]);
}
return out;
"#;

fn channel(css: &str) -> [f64; 3] {
    let v: Vec<f64> = css
        .trim_start_matches("rgb(")
        .trim_end_matches(')')
        .split(',')
        .map(|x| x.trim().parse::<f64>().unwrap_or(0.0) / 255.0)
        .collect();
    [v[0], v[1], v[2]]
}

fn ratio(a: &str, b: &str) -> f64 {
    let lum = |c: &str| {
        let l = channel(c).map(|x| {
            if x <= 0.03928 {
                x / 12.92
            } else {
                ((x + 0.055) / 1.055).powf(2.4)
            }
        });
        0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2]
    };
    let (x, y) = (lum(a), lum(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

/// The dark theme (the system's preference, theme "auto"): the picture is drawn dark, not on a
/// white card, every text meets WCAG AA against what is behind it (4.5:1; state icons 3:1),
/// and it stays readable at fit (7 replicas: rows).
#[tokio::test]
async fn the_dark_theme_draws_the_diagram_dark_with_aa_contrast() {
    let url = base_url();
    let (_driver, port) = start_chromedriver();
    let c = connect_with(port, chrome_caps_args(1280, 800, &["--force-dark-mode"])).await;
    let observed = async {
        settled_seed(&c, &url, 7).await?;
        if let Ok(dir) = std::env::var("STSPLAY_SHOTS") {
            let png = c.screenshot().await?;
            let _ = std::fs::write(format!("{dir}/diagram-dark-7.png"), png);
        }
        let colours = c.execute(COLOURS, vec![]).await?;
        let names = c.execute(MEASURE, vec![]).await?;
        Ok::<_, fantoccini::error::CmdError>((colours, names))
    }
    .await;
    c.close().await.expect("close session");
    let (colours, names) = observed.expect("e2e steps");
    assert_eq!(colours["view"], "rgb(13, 17, 23)", "{colours}");
    let pairs = colours["pairs"].as_array().expect("pairs");
    assert!(pairs.len() > 40, "{colours}");
    let mut pod = false;
    for p in pairs {
        let (text, fg, bg, class) = (
            p[0].as_str().unwrap_or(""),
            p[1].as_str().unwrap_or(""),
            p[2].as_str().unwrap_or(""),
            p[3].as_str().unwrap_or(""),
        );
        // A state icon is a symbol, not words: 3:1 (WCAG 1.4.11).
        let icon = text.chars().count() == 1;
        let min = if icon { 3.0 } else { 4.5 };
        let r = ratio(fg, bg);
        assert!(r >= min, "{text:?} ({class}): {fg} on {bg} is {r:.2}:1");
        if class.contains("dg-pod") && !icon && text.starts_with("nginx") {
            pod = true;
            // A ready pod: dark green box, light text.
            assert_eq!(bg, "rgb(18, 53, 31)", "{p}");
            assert_eq!(fg, "rgb(230, 237, 243)", "{p}");
        }
    }
    assert!(pod, "{colours}");
    for n in names.as_array().expect("names") {
        assert!(n["px"].as_f64().unwrap_or(0.0) >= 9.0, "{n}");
        assert_eq!(n["visible"], true, "{n}");
    }
}

/// The key of the focused diagram object and how many objects are tab stops.
const FOCUS: &str = r#"
const a = document.activeElement;
return [a && a.closest && a.closest('#diagram [data-key]') ? a.getAttribute('data-key') : null,
        document.querySelectorAll('#diagram .dg-obj[tabindex="0"]').length,
        document.querySelectorAll('#diagram .dg-obj').length];
"#;

/// Keyboard (issue #14): one tab stop into the picture (a roving tabindex), the arrows move
/// between objects in layout order, Home/End to the first/last, Enter selects everywhere.
#[tokio::test]
async fn the_keyboard_roves_the_picture_and_enter_selects() {
    let url = base_url();
    let (_driver, port) = start_chromedriver();
    let c = connect(port, 1280, 800).await;
    let observed = async {
        settled_seed(&c, &url, 3).await?;
        let mut seen = Vec::new();
        // Tab from the last diagram tool (Copy mermaid) lands on the picture's one stop.
        c.execute("document.getElementById('diagram-mermaid').focus()", vec![])
            .await?;
        c.active_element().await?.send_keys("\u{E004}").await?;
        seen.push(c.execute(FOCUS, vec![]).await?);
        for key in [
            "\u{E015}", // down: the first pod
            "\u{E015}", // down: its claim
            "\u{E014}", // right: its volume
            "\u{E015}", // down: the next volume
            "\u{E010}", // End: the last object
            "\u{E011}", // Home: the first
        ] {
            c.active_element().await?.send_keys(key).await?;
            seen.push(c.execute(FOCUS, vec![]).await?);
        }
        // Down to pod 0 and Enter: selected in the diagram and the pods table.
        c.active_element().await?.send_keys("\u{E015}").await?;
        c.active_element().await?.send_keys("\u{E007}").await?;
        let selected = wait_js(
            &c,
            "return !!document.querySelector('#diagram .dg-selected[data-key=\"pod/nginx-with-init-container-0\"]') && !!document.querySelector('tr.pod-row.selected')",
        )
        .await?;
        let visible = c
            .execute(
                "return getComputedStyle(document.activeElement.querySelector('.dg-box')).strokeWidth",
                vec![],
            )
            .await?;
        Ok::<_, fantoccini::error::CmdError>((seen, selected, visible))
    }
    .await;
    c.close().await.expect("close session");
    let (seen, selected, visible) = observed.expect("e2e steps");
    let keys: Vec<&str> = seen.iter().map(|v| v[0].as_str().unwrap_or("-")).collect();
    let set = "nginx-with-init-container";
    assert_eq!(
        keys,
        [
            format!("sts/{set}").as_str(),
            &format!("pod/{set}-0"),
            &format!("pvc/data-{set}-0"),
            &format!("pv@pvc/data-{set}-0"),
            &format!("pv@pvc/data-{set}-1"),
            &format!("pv@pvc/data-{set}-2"),
            &format!("sts/{set}"),
        ],
        "{seen:?}"
    );
    // One tab stop at every moment, among all the objects.
    for v in &seen {
        assert_eq!(v[1], 1, "{seen:?}");
        assert!(v[2].as_u64().unwrap_or(0) >= 11, "{seen:?}");
    }
    assert_eq!(selected, Value::Bool(true));
    // Focus is visible: the box's outline is drawn thicker (the CSS's :focus-visible rule).
    assert_ne!(visible.as_str(), Some("1.4px"), "{visible}");
}

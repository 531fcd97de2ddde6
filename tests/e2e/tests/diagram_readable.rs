//! End-to-end: the diagram is readable at fit, in headless Chromium at 1,280×800 (issue #14):
//! after Apply and Settle, every pod, claim and volume name lies inside the diagram's box and
//! every scrolling box around it (visible without scrolling), drawn at least 11 CSS px (font
//! size × the SVG's screen scale) at 3 replicas (the stacked layout).
//!
//! At 10 replicas the names are visible but drawn at only about 5 px: the pane shows about
//! 612×250 CSS px of picture at this window size, and 30 names of 30–40 characters do not fit
//! it at 9 px in rows that keep each pod, claim and volume together (an open gap of issue
//! #14; the bound below keeps it from getting worse).
//!
//! `STSPLAY_SHOTS=dir` also saves a screenshot of the page per size (3, 10 and 100 replicas)
//! to look at.

use std::time::Duration;

use e2e::browser::{R, connect};
use e2e::{base_url, start_chromedriver};
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
  out.push({ name: t.textContent, px, visible });
}
return out;
"#;

async fn measure(n: usize) -> Vec<(String, f64, bool)> {
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
            )
        })
        .collect()
}

fn check(names: &[(String, f64, bool)], n: usize, min_px: f64) {
    // n pods, n claims, n volumes.
    assert_eq!(names.len(), 3 * n, "{names:?}");
    for (name, px, visible) in names {
        assert!(!name.is_empty(), "{names:?}");
        assert!(
            *px >= min_px,
            "{name} is drawn at {px:.1} px (< {min_px}): {names:?}"
        );
        assert!(
            *visible,
            "{name} is not visible without scrolling: {names:?}"
        );
    }
}

#[tokio::test]
async fn three_replicas_read_at_11px_without_scrolling() {
    check(&measure(3).await, 3, 11.0);
}

#[tokio::test]
async fn ten_replicas_are_visible_without_scrolling() {
    check(&measure(10).await, 10, 4.5);
}

/// 100 replicas: not a readability bound (zoom is for that), a screenshot to look at, and
/// every pod still drawn.
#[tokio::test]
async fn hundred_replicas_draw_every_pod() {
    let names = measure(100).await;
    assert_eq!(names.len(), 300, "{}", names.len());
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

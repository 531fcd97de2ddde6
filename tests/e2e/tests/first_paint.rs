//! The first view (issue #17): index.html shows the app's layout, a loading indicator and the
//! seed's pre-rendered diagram before the engine has loaded; the app replaces it without
//! moving the layout, and marks `stsplay-ready`. `time_to_interactive` (ignored here, run by
//! `cargo xtask bench`) measures that mark in headless Chromium.

use std::path::{Path, PathBuf};
use std::time::Duration;

use e2e::browser::{R, connect};
use e2e::{base_url, dist_dir, serve_dist, start_chromedriver};
use fantoccini::Locator;
use serde_json::Value;

/// Rectangles (x, y, w, h) of the layout's landmarks, rounded to whole pixels.
const RECTS: &str = "const r = s => { const e = document.querySelector(s); if (!e) return null; \
    const b = e.getBoundingClientRect(); return [b.x, b.y, b.width, b.height].map(Math.round); }; \
    return { panes: r('.panes'), editor: r('.editor-pane'), center: r('.center-pane'), \
    side: r('.side-pane'), console: r('.console') };";

/// dist/ without the engine: index.html with trunk's script tags removed, so the static first
/// view stays on screen (what a visitor sees while the wasm downloads).
fn dist_without_engine() -> PathBuf {
    let src = dist_dir();
    let dir = std::env::temp_dir().join(format!("stsplay-first-view-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    for e in std::fs::read_dir(&src).expect("dist/").flatten() {
        let p = e.path();
        if p.is_file() {
            let _ = std::fs::copy(&p, dir.join(e.file_name()));
        }
    }
    let html = std::fs::read_to_string(src.join("index.html")).expect("dist/index.html");
    // the scripts, and the modulepreload/preload links of the wasm and js (read as markup:
    // the release build's index.html is minified)
    let out = e2e::html::remove(&html, |t| {
        t.name == "script"
            || (t.name == "link" && matches!(t.attr("rel"), Some("preload" | "modulepreload")))
    });
    assert!(
        !out.contains(".wasm") && out.contains("stylesheet"),
        "the engine's tags removed, the style sheet kept: {out}"
    );
    std::fs::write(dir.join("index.html"), out).expect("write index.html");
    dir
}

#[tokio::test]
async fn the_static_first_view_is_replaced_by_the_app_in_place() {
    let html = std::fs::read_to_string(dist_dir().join("index.html")).expect("dist/index.html");
    let tags = e2e::html::tags(&html);
    let boot =
        e2e::html::find(&tags, "div", "id", "boot").expect("index.html has the static first view");
    let inside = |t: &&e2e::html::Tag| t.start > boot.start;
    assert!(
        tags.iter().filter(inside).any(|t| t.name == "svg"),
        "the seed's diagram is inlined in index.html"
    );
    assert!(
        tags.iter()
            .filter(inside)
            .any(|t| t.attr("role") == Some("status")),
        "a loading indicator"
    );

    let static_url = serve_dist(dist_without_engine()).expect("serve");
    let url = base_url();
    let (_driver, port) = start_chromedriver();
    let c = connect(port, 1400, 900).await;
    let observed = async {
        // 1. the static view alone: styled layout, the indicator, the diagram
        c.goto(&static_url).await?;
        let status = c
            .find(Locator::Css("#boot [role=status]"))
            .await?
            .text()
            .await?;
        let svg_nodes = c
            .execute(
                "return document.querySelectorAll('#boot svg g').length",
                vec![],
            )
            .await?;
        let before = c.execute(RECTS, vec![]).await?;
        // 2. the real page: the app replaces it
        c.goto(&url).await?;
        c.wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Id("apply"))
            .await?;
        // until the frame after the hand-over (#boot removed, the app's host shown)
        wait_for(
            &c,
            "return performance.getEntriesByName('stsplay-painted').length > 0",
        )
        .await?;
        let after = c.execute(RECTS, vec![]).await?;
        let state = c
            .execute(
                "return [document.getElementById('boot') === null, \
                 performance.getEntriesByName('stsplay-ready').length]",
                vec![],
            )
            .await?;
        Ok::<_, fantoccini::error::CmdError>((status, svg_nodes, before, after, state))
    }
    .await;
    c.close().await.expect("close session");
    let (status, svg_nodes, before, after, state) = observed.expect("browser steps");
    assert!(status.contains("Loading"), "{status}");
    assert!(
        svg_nodes.as_u64().unwrap_or(0) >= 7,
        "the seed's set, service, 3 pods, claims: {svg_nodes}"
    );
    assert_eq!(
        state,
        serde_json::json!([true, 1]),
        "#boot removed, one ready mark"
    );
    // no layout jump: the panes and the console are where the static view had them
    for k in ["panes", "editor", "center", "side", "console"] {
        assert_eq!(
            before[k], after[k],
            "{k} moved when the app replaced the first view"
        );
        assert!(!before[k].is_null(), "{k} missing in the first view");
    }
}

/// Poll `script` (a function body returning a boolean) until it returns true, up to 20 s.
async fn wait_for(c: &fantoccini::Client, script: &str) -> R<()> {
    let start = std::time::Instant::now();
    while c.execute(script, vec![]).await? != Value::Bool(true)
        && start.elapsed() < Duration::from_secs(20)
    {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(())
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Time to interactive from a local server: `performance.mark("stsplay-ready")` and the first
/// contentful paint, median of 5 fresh browser sessions (cold HTTP cache). Run by
/// `cargo xtask bench`, which writes the figures into target/bench/page.md.
#[tokio::test]
#[ignore]
async fn time_to_interactive() {
    let url = base_url();
    let (_driver, port) = start_chromedriver();
    let mut ready = Vec::new();
    let mut fcp = Vec::new();
    let mut painted = Vec::new();
    for _ in 0..5 {
        let c = connect(port, 1400, 900).await;
        let observed: R<Value> = async {
            c.goto(&url).await?;
            c.wait()
                .at_most(Duration::from_secs(20))
                .for_element(Locator::Id("apply"))
                .await?;
            wait_for(
                &c,
                "return performance.getEntriesByName('stsplay-painted').length > 0",
            )
            .await?;
            c.execute(
                "const t = n => { const e = performance.getEntriesByName(n)[0]; \
                 return e ? e.startTime : null; }; \
                 return [t('stsplay-ready'), t('first-contentful-paint'), t('stsplay-painted')];",
                vec![],
            )
            .await
        }
        .await;
        c.close().await.expect("close session");
        let v = observed.expect("browser steps");
        ready.push(v[0].as_f64().expect("stsplay-ready mark"));
        fcp.push(v[1].as_f64().unwrap_or(f64::NAN));
        painted.push(v[2].as_f64().unwrap_or(f64::NAN));
    }
    let runs = format!("{ready:.0?}");
    let (r, f, p) = (median(&mut ready), median(&mut fcp), median(&mut painted));
    let report = format!(
        "# Page timings (`cargo xtask bench`)\n\nHeadless Chromium, release bundle from a local server (uncompressed), \
         5 fresh sessions, median.\n\n| measure | ms |\n|---|---:|\n| first contentful paint | {f:.0} |\n\
         | time to interactive (`stsplay-ready`) | {r:.0} |\n\
         | the app painted (`stsplay-painted`, web/boot.js: the end of the frame after the hand-over) | {p:.0} |\n\n\
         runs (stsplay-ready): {runs}\n"
    );
    println!("{report}");
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/bench");
    let _ = std::fs::create_dir_all(&out);
    let _ = std::fs::write(out.join("page.md"), &report);
    assert!(r <= 300.0, "time to interactive {r:.0} ms > 300 ms");
}

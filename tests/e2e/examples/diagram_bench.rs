//! The diagram's browser benchmark (run by `cargo xtask bench` after the release build):
//! in one headless Chromium, the playground with the seed at 3, 100 and 1,000 replicas,
//! settled; then our full update after one step (the reducer's step, every pane's model, the
//! diagram's graph, layout, scene, VNode diff and DOM patch, style and layout of the frame:
//! click on Step to the second animation frame), median of 15 steps; against
//! `mermaid.render` of our exported mermaid text for the same state (npm's mermaid, warm,
//! median of 3).
//!
//! `cargo run -p e2e --example diagram_bench` with dist/ built (`trunk build --release`) and
//! node_modules installed (`npm ci`); the harness's own build profile does not matter, the
//! times are the browser's.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use e2e::{base_url, chrome_caps, serve_dist, start_chromedriver};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

async fn wait_js(c: &Client, script: &str, secs: u64) -> Value {
    let start = std::time::Instant::now();
    loop {
        let v = c.execute(script, vec![]).await.expect("script");
        if v == Value::Bool(true) || start.elapsed() > Duration::from_secs(secs) {
            return v;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Set the editor to the seed with `n` replicas, apply, settle.
const LOAD: &str = r#"
const n = arguments[0];
const ed = document.getElementById('editor');
ed.value = ed.value.replace(/replicas: \d+/, 'replicas: ' + n);
ed.dispatchEvent(new InputEvent('input', { bubbles: true }));
"#;

/// Make one pod go (so the next step has something to do), then time Step to the second
/// animation frame after it.
const STEP: &str = r#"
const done = arguments[arguments.length - 1];
const frame = () => new Promise(r => requestAnimationFrame(() => r()));
(async () => {
  const times = [];
  for (let i = 0; i < 15; i++) {
    await frame();
    const t0 = performance.now();
    document.getElementById('step').click();
    await frame(); await frame();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], min: times[0], max: times[times.length - 1] };
})().then(done, e => done(String(e)));
"#;

const RENDER: &str = r#"
const done = arguments[arguments.length - 1];
const text = arguments[0];
(async () => {
  mermaid.initialize({ startOnLoad: false, maxEdges: 2000, maxTextSize: 1000000 });
  try {
    await mermaid.render('w0', text);
    const times = [];
    for (let i = 1; i <= 3; i++) {
      const t0 = performance.now();
      await mermaid.render('r' + i, text);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    return { median: times[1] };
  } catch (e) { return { error: String(e && e.message || e) }; }
})().then(done, e => done(String(e)));
"#;

async fn console(c: &Client, line: &str) {
    let input = c.find(Locator::Id("console-input")).await.expect("console");
    input.clear().await.expect("clear");
    input.send_keys(line).await.expect("type");
    input.send_keys("\u{E007}").await.expect("enter");
}

#[tokio::main]
async fn main() {
    let url = base_url();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = std::env::temp_dir().join(format!("stsplay-mermaid-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(
        root.join("node_modules/mermaid/dist/mermaid.min.js"),
        dir.join("mermaid.min.js"),
    )
    .expect("node_modules/mermaid (npm ci)");
    std::fs::write(
        dir.join("index.html"),
        "<!doctype html><meta charset=\"utf-8\"><script src=\"mermaid.min.js\"></script><body></body>",
    )
    .unwrap();
    let site = serve_dist(dir).unwrap();
    let (_driver, port) = start_chromedriver();
    let c: Client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(chrome_caps(1280, 800))
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("webdriver session");
    // mermaid at 100 rows and our 15 steps at 1,000 replicas take longer than WebDriver's
    // default 30 s script timeout.
    c.update_timeouts(fantoccini::wd::TimeoutConfiguration::new(
        Some(Duration::from_secs(900)),
        Some(Duration::from_secs(300)),
        None,
    ))
    .await
    .expect("timeouts");
    // Sizes: STSPLAY_DIAGRAM_BENCH_SIZES=3,100 for a quicker run.
    let sizes: Vec<u32> = std::env::var("STSPLAY_DIAGRAM_BENCH_SIZES")
        .ok()
        .map(|v| v.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![3, 100, 1000]);
    let mut rows = Vec::new();
    for n in sizes {
        c.goto(&url).await.unwrap();
        c.wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Id("apply"))
            .await
            .unwrap();
        c.execute(LOAD, vec![json!(n)]).await.unwrap();
        c.find(Locator::Id("apply"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        c.find(Locator::Id("settle"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let want = n.min(100);
        wait_js(
            &c,
            &format!(
                "return document.querySelectorAll('#diagram .dg-pod.dg-ready').length >= {want}"
            ),
            600,
        )
        .await;
        // A pod deleted without waiting: its termination and re-creation are the steps timed.
        console(
            &c,
            "kubectl delete pod nginx-with-init-container-1 --wait=false",
        )
        .await;
        let step = c.execute_async(STEP, vec![]).await.unwrap();
        c.find(Locator::Id("diagram-mermaid"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let text = c
            .execute(
                "const m = document.getElementById('mermaid'); return m ? m.value : ''",
                vec![],
            )
            .await
            .unwrap();
        let elements = c
            .execute(
                "return document.querySelectorAll('#diagram *').length",
                vec![],
            )
            .await
            .unwrap();
        rows.push((n, step, text, elements));
    }
    c.goto(&site).await.unwrap();
    let mut out = Vec::new();
    for (n, step, text, elements) in rows {
        let m = c.execute_async(RENDER, vec![text.clone()]).await.unwrap();
        out.push((n, step, m, elements, text.as_str().map_or(0, str::len)));
    }
    c.close().await.unwrap();
    println!(
        "diagram in the browser (headless Chromium, 1280x800): one step, then mermaid.render of our export"
    );
    println!(
        "  {:>8} {:>10} {:>14} {:>10} {:>10} {:>16} {:>8}",
        "replicas", "elements", "update ms", "(min-max)", "mermaid", "mermaid ms", "×"
    );
    for (n, step, m, elements, len) in out {
        let u = step["median"].as_f64().unwrap_or(f64::NAN);
        let mm = m["median"].as_f64().unwrap_or(f64::NAN);
        println!(
            "  {:>8} {:>10} {:>14.1} {:>10} {:>10} {:>16} {:>8}",
            n,
            elements,
            u,
            format!(
                "{:.0}-{:.0}",
                step["min"].as_f64().unwrap_or(f64::NAN),
                step["max"].as_f64().unwrap_or(f64::NAN)
            ),
            format!("{len} B"),
            m.get("error")
                .map(|e| format!("error: {e}"))
                .unwrap_or(format!("{mm:.1}")),
            format!("{:.0}", mm / u)
        );
    }
}

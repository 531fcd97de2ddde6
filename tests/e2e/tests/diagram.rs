//! End-to-end: the diagram in the release bundle, in headless Chromium at 1,280×800.
//! - after Apply and Settle, every pod, claim and volume name is visible inside the diagram's
//!   box without scrolling;
//! - a step highlights what changed; a click selects the object in every pane;
//! - the export buttons produce files that open (the SVG parses, the PNG decodes);
//! - the exported mermaid renders in mermaid itself (npm's mermaid, served from node_modules),
//!   for the seed and for names full of quotes, brackets, `<script>` and unicode.

use std::time::Duration;

use e2e::browser::{R, connect};
use e2e::{base_url, serve_dist, start_chromedriver};
use fantoccini::{Client, Locator};
use serde_json::{Value, json};

/// Wait until a script returns something truthy (or 20 s passed); returns its last value.
async fn wait_js(c: &Client, script: &str) -> R<Value> {
    let start = std::time::Instant::now();
    loop {
        let v = c.execute(script, vec![]).await?;
        let done = match &v {
            Value::Bool(b) => *b,
            Value::Null => false,
            Value::String(s) => !s.is_empty(),
            _ => true,
        };
        if done || start.elapsed() > Duration::from_secs(20) {
            return Ok(v);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn open_settled_seed(c: &Client, url: &str) -> R<()> {
    c.goto(url).await?;
    c.wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Id("apply"))
        .await?;
    c.find(Locator::Id("apply")).await?.click().await?;
    c.find(Locator::Id("settle")).await?.click().await?;
    wait_js(
        c,
        "return document.querySelectorAll('#diagram .dg-pod.dg-ready').length === 3",
    )
    .await?;
    Ok(())
}

/// Every name of the diagram's pods, claims and volumes, and whether each lies inside the
/// diagram's box and the window, drawn large enough to read at all.
const VISIBILITY: &str = r#"
const view = document.querySelector('.diagram-view').getBoundingClientRect();
const out = [];
for (const g of document.querySelectorAll('#diagram .dg-pod, #diagram .dg-pvc, #diagram .dg-pv')) {
  const t = g.querySelector('.dg-name');
  const r = t.getBoundingClientRect();
  out.push({
    name: t.textContent,
    inside: r.left >= view.left - 0.5 && r.right <= view.right + 0.5 && r.top >= view.top - 0.5 && r.bottom <= view.bottom + 0.5,
    onscreen: r.left >= 0 && r.top >= 0 && r.right <= window.innerWidth && r.bottom <= window.innerHeight,
    height: r.height,
  });
}
return {names: out, scrolled: window.scrollY + document.querySelector('.diagram-view').scrollTop + document.querySelector('.diagram-view').scrollLeft};
"#;

#[tokio::test]
async fn after_apply_and_settle_every_name_is_visible_at_1280x800() {
    let url = base_url();
    let (_driver, port) = start_chromedriver();
    let c = connect(port, 1280, 800).await;
    let observed = async {
        open_settled_seed(&c, &url).await?;
        let v = c.execute(VISIBILITY, vec![]).await?;
        let claims = c.find(Locator::Id("claims")).await?.text().await?;
        Ok::<_, fantoccini::error::CmdError>((v, claims))
    }
    .await;
    c.close().await.expect("close session");
    let (v, claims) = observed.expect("e2e steps");
    let names: Vec<(String, bool, bool, f64)> = v["names"]
        .as_array()
        .expect("names")
        .iter()
        .map(|n| {
            (
                n["name"].as_str().unwrap_or("").to_string(),
                n["inside"].as_bool().unwrap_or(false),
                n["onscreen"].as_bool().unwrap_or(false),
                n["height"].as_f64().unwrap_or(0.0),
            )
        })
        .collect();
    let set = "nginx-with-init-container";
    let mut want: Vec<String> = (0..3)
        .flat_map(|i| [format!("{set}-{i}"), format!("data-{set}-{i}")])
        .collect();
    // The volumes' names, from the claims table.
    want.extend(
        claims
            .split_whitespace()
            .filter(|w| w.starts_with("pvc-"))
            .map(str::to_string),
    );
    assert_eq!(want.len(), 9, "{claims}");
    for w in &want {
        let found = names.iter().find(|n| &n.0 == w);
        let Some((_, inside, onscreen, height)) = found else {
            panic!("{w} not drawn: {names:?}");
        };
        assert!(inside, "{w} is outside the diagram's box: {names:?}");
        assert!(onscreen, "{w} needs scrolling: {names:?}");
        assert!(*height >= 4.0, "{w} is drawn {height} px tall");
    }
    assert_eq!(v["scrolled"].as_f64(), Some(0.0));
}

#[tokio::test]
async fn a_step_highlights_what_changed_and_a_click_selects_everywhere() {
    let url = base_url();
    let (_driver, port) = start_chromedriver();
    let c = connect(port, 1280, 800).await;
    let observed = async {
        c.goto(&url).await?;
        c.wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Id("apply"))
            .await?;
        c.find(Locator::Id("apply")).await?.click().await?;
        wait_js(&c, "return document.querySelectorAll('#diagram .dg-pod').length === 3").await?;
        let mut highlighted = Vec::new();
        for _ in 0..4 {
            c.find(Locator::Id("step")).await?.click().await?;
            let keys = wait_js(
                &c,
                "return [...document.querySelectorAll('#diagram .dg-changed')].map(e => e.dataset.key).join(' ')",
            )
            .await?;
            highlighted.push(keys.as_str().unwrap_or("").to_string());
        }
        // Click pod 0: selected in the diagram and the pods table, its details shown.
        c.execute(
            "document.querySelector('#diagram [data-key=\"pod/nginx-with-init-container-0\"]').dispatchEvent(new MouseEvent('click', {bubbles: true}))",
            vec![],
        )
        .await?;
        let selected = wait_js(
            &c,
            "const d = document.querySelector('#diagram .dg-selected'); const row = document.querySelector('tr.pod-row.selected'); return d && row ? [d.dataset.key, row.dataset.name, document.getElementById('diagram-details').textContent] : null",
        )
        .await?;
        // The set: its events (SuccessfulCreate) are highlighted in the events pane.
        c.execute(
            "document.querySelector('#diagram [data-key=\"sts/nginx-with-init-container\"]').dispatchEvent(new MouseEvent('click', {bubbles: true}))",
            vec![],
        )
        .await?;
        let events = wait_js(
            &c,
            "return document.querySelectorAll('#events li.selected').length > 0 && !document.querySelector('tr.pod-row.selected')",
        )
        .await?;
        let selected = json!([selected[0], selected[1], events, selected[2]]);
        Ok::<_, fantoccini::error::CmdError>((highlighted, selected))
    }
    .await;
    c.close().await.expect("close session");
    let (highlighted, selected) = observed.expect("e2e steps");
    // Not every event changes what is drawn (the first, a claim waiting for its consumer,
    // changes nothing visible); the steps that start pod 0 highlight it and its claim.
    assert!(
        highlighted.iter().filter(|h| !h.is_empty()).count() >= 2,
        "steps highlight what they changed: {highlighted:?}"
    );
    assert!(
        highlighted
            .iter()
            .any(|h| h.contains("nginx-with-init-container-0")),
        "{highlighted:?}"
    );
    assert_eq!(selected[0], "pod/nginx-with-init-container-0", "{selected}");
    assert_eq!(selected[1], "nginx-with-init-container-0", "{selected}");
    assert_eq!(
        selected[2], true,
        "the set's events, and pod 0 no longer: {selected}"
    );
    assert!(
        selected[3]
            .as_str()
            .unwrap_or("")
            .starts_with("Pod nginx-with-init-container-0"),
        "details: {selected}"
    );
}

/// Capture downloads (anchor clicks) instead of saving them, and the blobs behind object URLs
/// (the page's CSP allows no fetch of a blob: URL, so the test reads the Blob itself).
const CAPTURE: &str = r#"
window.__downloads = [];
window.__blobs = new Map();
const create = URL.createObjectURL;
URL.createObjectURL = function (b) { const u = create.call(URL, b); window.__blobs.set(u, b); return u; };
HTMLAnchorElement.prototype.click = function () { window.__downloads.push({ href: this.href, name: this.download }); };
"#;

/// Open every captured download: parse the SVG, decode the PNG.
const OPEN: &str = r#"
const done = arguments[arguments.length - 1];
(async () => {
  const out = [];
  for (const d of window.__downloads) {
    const blob = window.__blobs.get(d.href);
    if (d.name.endsWith('.svg')) {
      // The page's Trusted Types policy forbids DOMParser here: open it as an image instead,
      // and read its names from the text.
      const text = await blob.text();
      const img = new Image();
      const opened = await new Promise(r => { img.onload = () => r(img.naturalWidth > 0); img.onerror = () => r(false); img.src = URL.createObjectURL(blob); });
      const texts = [...text.matchAll(/class="dg-name"[^>]*>([^<]*)</g)].map(m => m[1]);
      out.push({ name: d.name, type: blob.type, ok: opened && text.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'), texts });
    } else {
      const bmp = await createImageBitmap(blob);
      out.push({ name: d.name, type: blob.type, ok: bmp.width > 0 && bmp.height > 0, width: bmp.width });
    }
  }
  return out;
})().then(done, e => done(String(e)));
"#;

#[tokio::test]
async fn export_buttons_produce_files_that_open() {
    let url = base_url();
    let (_driver, port) = start_chromedriver();
    let c = connect(port, 1280, 800).await;
    let observed = async {
        open_settled_seed(&c, &url).await?;
        c.execute(CAPTURE, vec![]).await?;
        c.find(Locator::Id("diagram-svg")).await?.click().await?;
        c.find(Locator::Id("diagram-png")).await?.click().await?;
        wait_js(&c, "return window.__downloads.length === 2").await?;
        let files = c.execute_async(OPEN, vec![]).await?;
        c.find(Locator::Id("diagram-mermaid"))
            .await?
            .click()
            .await?;
        let mermaid = wait_js(
            &c,
            "const m = document.getElementById('mermaid'); return m ? m.value : ''",
        )
        .await?;
        Ok::<_, fantoccini::error::CmdError>((files, mermaid))
    }
    .await;
    c.close().await.expect("close session");
    let (files, mermaid) = observed.expect("e2e steps");
    let files = files.as_array().unwrap_or_else(|| panic!("{files}"));
    assert_eq!(files.len(), 2, "{files:?}");
    let svg = &files[0];
    assert_eq!(svg["name"], "statefulset-diagram.svg");
    assert_eq!(svg["type"], "image/svg+xml");
    assert_eq!(svg["ok"], true, "{svg}");
    assert!(
        svg["texts"]
            .as_array()
            .is_some_and(|t| t.iter().any(|t| t == "nginx-with-init-container-2")),
        "{svg}"
    );
    let png = &files[1];
    assert_eq!(png["name"], "statefulset-diagram.png");
    assert_eq!(png["type"], "image/png");
    assert_eq!(png["ok"], true, "{png}");
    let m = mermaid.as_str().unwrap_or("");
    assert!(m.starts_with("graph LR\n"), "{m}");
    assert!(m.contains("s0 -->|after-1| p0_2"), "{m}");
}

/// A page that renders mermaid text with npm's mermaid (node_modules/mermaid/dist).
fn mermaid_site() -> String {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let js = root.join("node_modules/mermaid/dist/mermaid.min.js");
    assert!(js.is_file(), "no {}: run npm ci", js.display());
    let dir = std::env::temp_dir().join(format!("stsplay-mermaid-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::copy(&js, dir.join("mermaid.min.js")).expect("copy mermaid");
    std::fs::write(
        dir.join("index.html"),
        "<!doctype html><meta charset=\"utf-8\"><script src=\"mermaid.min.js\"></script><body><div id=\"out\"></div></body>",
    )
    .expect("page");
    serve_dist(dir).expect("serve")
}

/// Render each text with mermaid.render; per text: ok, the rendered text, scripts found.
const RENDER: &str = r#"
const done = arguments[arguments.length - 1];
const texts = arguments[0];
(async () => {
  mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
  const out = [];
  for (let i = 0; i < texts.length; i++) {
    try {
      const r = await mermaid.render('m' + i, texts[i]);
      const d = document.createElement('div');
      d.innerHTML = r.svg;
      const labels = [...d.querySelectorAll('.nodeLabel, .edgeLabel, .cluster-label, text')].map(e => e.textContent).join('\n');
      out.push({ ok: true, labels, scripts: d.querySelectorAll('script').length,
                 handlers: [...d.querySelectorAll('*')].filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length,
                 images: d.querySelectorAll('img').length });
    } catch (e) { out.push({ ok: false, error: String(e && e.message || e) }); }
  }
  return out;
})().then(done, e => done(String(e)));
"#;

/// What of a name survives as visible text in mermaid's HTML labels: no control, invisible or
/// white-space characters (HTML collapses or drops them; mermaid drops a coded newline).
fn visible(s: &str) -> String {
    s.chars()
        .filter(|&c| {
            !c.is_whitespace()
                && !c.is_control()
                && !matches!(c as u32, 0x200b..=0x200f | 0x2028..=0x202e | 0x2060..=0x206f | 0xfeff)
        })
        .collect()
}

#[tokio::test]
async fn exported_mermaid_renders_in_mermaid() {
    let url = base_url();
    let site = mermaid_site();
    let (_driver, port) = start_chromedriver();
    let c = connect(port, 1280, 800).await;
    let hostile: Vec<String> = diagram::specimen::HOSTILE
        .iter()
        .map(|n| diagram::to_mermaid(&diagram::specimen::graph(n)))
        .collect();
    let observed = async {
        // The seed's text as the page exports it.
        open_settled_seed(&c, &url).await?;
        c.find(Locator::Id("diagram-mermaid"))
            .await?
            .click()
            .await?;
        let seed = wait_js(
            &c,
            "const m = document.getElementById('mermaid'); return m ? m.value : ''",
        )
        .await?;
        c.goto(&site).await?;
        wait_js(&c, "return typeof mermaid !== 'undefined'").await?;
        let mut texts = vec![seed.as_str().unwrap_or("").to_string()];
        texts.extend(hostile.iter().cloned());
        let rendered = c.execute_async(RENDER, vec![json!(texts)]).await?;
        Ok::<_, fantoccini::error::CmdError>((texts, rendered))
    }
    .await;
    c.close().await.expect("close session");
    let (texts, rendered) = observed.expect("e2e steps");
    let rendered = rendered.as_array().unwrap_or_else(|| panic!("{rendered}"));
    assert_eq!(rendered.len(), texts.len());
    for (i, r) in rendered.iter().enumerate() {
        assert_eq!(r["ok"], true, "text {i} does not render: {r}\n{}", texts[i]);
        assert_eq!(r["scripts"], 0, "{r}");
        assert_eq!(r["handlers"], 0, "{r}");
        assert_eq!(r["images"], 0, "{r}");
    }
    // The seed: every object is there.
    let labels = visible(rendered[0]["labels"].as_str().unwrap_or(""));
    for i in 0..3 {
        assert!(
            labels.contains(&format!("Podnginx-with-init-container-{i}")),
            "{labels}"
        );
        assert!(
            labels.contains(&format!("PVCdata-nginx-with-init-container-{i}")),
            "{labels}"
        );
    }
    assert!(labels.contains("after-1"), "{labels}");
    // Hostile names come out as the very text, not as markup.
    for (name, r) in diagram::specimen::HOSTILE
        .iter()
        .zip(rendered.iter().skip(1))
    {
        let labels = visible(r["labels"].as_str().unwrap_or(""));
        assert!(
            labels.contains(&format!("Pod{}", visible(name))),
            "{name:?} not shown as text: {labels}"
        );
    }
}

/// The contrast in the picture (issue #18): after `sim contrast` the Deployment is a group of
/// its own; the toolbar then offers "Side by side" (absent with one group), which lays the two
/// groups next to each other: the drawing gets wider and shorter, both groups still drawn.
#[tokio::test]
async fn sim_contrast_offers_side_by_side_groups() {
    let url = base_url();
    let (_driver, port) = start_chromedriver();
    let c = connect(port, 1280, 800).await;
    const SIDE: &str = "//button[@aria-label='Side by side: draw the groups next to each other']";
    const BOX: &str = "const s = document.getElementById('diagram'); \
        const v = s && s.getAttribute('viewBox'); return v || ''";
    let observed = async {
        open_settled_seed(&c, &url).await?;
        let before_contrast = c.find_all(Locator::XPath(SIDE)).await?.len();
        let input = c.find(Locator::Id("console-input")).await?;
        input.send_keys("sim contrast").await?;
        input.send_keys("\u{E007}").await?; // Enter
        wait_js(
            &c,
            "return document.querySelector('#diagram [data-ref^=\"deployment/\"]') !== null",
        )
        .await?;
        let stacked = wait_js(&c, BOX).await?;
        c.find(Locator::XPath(SIDE)).await?.click().await?;
        let pressed = wait_js(
            &c,
            "const b = document.getElementById('diagram-side'); \
             return b && b.getAttribute('aria-pressed') === 'true'",
        )
        .await?;
        let side = wait_js(
            &c,
            &format!("const v = (function(){{{BOX}}})(); return v !== {stacked} ? v : ''"),
        )
        .await?;
        let both = c
            .execute(
                "return [document.querySelectorAll('#diagram [data-ref^=\"statefulset/\"]').length, \
                 document.querySelectorAll('#diagram [data-ref^=\"deployment/\"]').length]",
                vec![],
            )
            .await?;
        Ok::<_, fantoccini::error::CmdError>((before_contrast, stacked, pressed, side, both))
    }
    .await;
    c.close().await.expect("close session");
    let (before_contrast, stacked, pressed, side, both) = observed.expect("e2e steps");
    assert_eq!(before_contrast, 0, "one group: no side-by-side button");
    assert_eq!(pressed, Value::Bool(true));
    let dims = |v: &Value| -> (f64, f64) {
        let n: Vec<f64> = v
            .as_str()
            .unwrap_or("")
            .split_whitespace()
            .filter_map(|x| x.parse().ok())
            .collect();
        (
            n.get(2).copied().unwrap_or(0.0),
            n.get(3).copied().unwrap_or(0.0),
        )
    };
    let (sw, sh) = dims(&stacked);
    let (bw, bh) = dims(&side);
    assert!(sw > 0.0 && sh > 0.0, "stacked viewBox {stacked}");
    assert!(
        bw > sw && bh < sh,
        "side by side {side} vs stacked {stacked}"
    );
    assert_eq!(both, json!([1, 1]), "both groups drawn");
}

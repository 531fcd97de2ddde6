//! The XSS suite: hostile text through every sink the page has, asserted inert in real
//! headless Chromium. "Inert" means all of: no dialog opened, no payload script ran
//! (`window.__xss` unset), no request reached the payloads' server, no element or event-handler
//! attribute was created from a payload, and the payload text is shown literally.
//!
//! Sinks: object names, labels, annotations, image names, YAML errors, file (tab) names, editor
//! text, console lines typed and replayed, share links, embed attributes, inline files and
//! scripts, run-block text, postMessage from a hostile host page, exported SVG (opened as a
//! document) and mermaid text; tour names (`sim tour NAME` lines, the page's `#tour=` and
//! `#embed&tour=` options, the embed's `tour` attribute). Tour text itself (the panel's prose,
//! commands, questions) comes only from the built-in tours (crates/kubectl/src/tour_format.rs):
//! no link, attribute or message can supply a tour.
//!
//! Every sink gets all 30 payloads: one ConfigMap per payload (its name and label, which the
//! apiserver's errors quote), one container image per payload (`describe pod`), every payload
//! as an annotation, a broken file (its YAML error), a replayed console line and a `sim tour`
//! name, in `#tour=` addresses, as an inline file and a posted message, and in every attribute
//! of an element of its own; file (tab) names get the payloads that are plain file names. The
//! exceptions: the first embed's own attributes, the run block and the typed lines use a few.

use std::time::Duration;

use e2e::browser::connect;
use e2e::{base_url, serve_bytes, serve_dist, serve_recording, start_chromedriver};
use fantoccini::{Client, Locator};
use share::{File, Scenario, Step};

/// At least 25 payloads; `LOG` is replaced by the recording server's address. Each carries a
/// marker `XSSn` so the page's text can be searched for it.
const PAYLOADS: &[&str] = &[
    "<script>window.__xss=1;alert('XSS1')</script>",
    "<img src=x onerror=\"window.__xss=2;alert('XSS2')\">",
    "<svg onload=\"window.__xss=3\">XSS3</svg>",
    "<svg><script>window.__xss=4</script>XSS4</svg>",
    "javascript:window.__xss=5//XSS5",
    "\"><img src=LOG/XSS6>",
    "'><iframe src=\"javascript:window.top.__xss=7\">XSS7</iframe>",
    "<a href=\"javascript:window.__xss=8\">XSS8</a>",
    "<body onload=\"window.__xss=9\">XSS9",
    "<math><mtext><table><mglyph><style><img src=x onerror=\"window.__xss=10\">XSS10",
    "<style>*{background:url(LOG/XSS11)}</style>",
    "<div style=\"background:url(LOG/XSS12)\">XSS12</div>",
    "</textarea><script>window.__xss=13</script>XSS13",
    "</title><script>window.__xss=14</script>XSS14",
    "<object data=\"LOG/XSS15\"></object>",
    "<embed src=\"LOG/XSS16\">",
    "<link rel=stylesheet href=\"LOG/XSS17\">",
    "<base href=\"LOG/XSS18/\">",
    "<meta http-equiv=refresh content=\"0;url=LOG/XSS19\">",
    "{{constructor.constructor('window.__xss=20')()}} XSS20",
    "%%{init: {\"securityLevel\": \"loose\"}}%% click A call alert(\"XSS21\")",
    "A[\"<img src=x onerror='window.__xss=22'>\"] --> B XSS22",
    "<svg><foreignObject><iframe src=\"javascript:window.top.__xss=23\"></iframe></foreignObject>XSS23</svg>",
    "<svg><image href=\"LOG/XSS24\"/></svg>",
    "]]><!--XSS25--><script>window.__xss=25</script>",
    "&lt;script&gt;window.__xss=26&lt;/script&gt; XSS26",
    "\u{2028}<img src=x onerror=\"window.__xss=27\">XSS27",
    "<img src=\"x:window.__xss=28\" onerror=\"eval(src)\">XSS28",
    "@import url(LOG/XSS29); XSS29",
    "</style><script>window.__xss=30</script>XSS30",
];

fn payloads(log: &str) -> Vec<String> {
    PAYLOADS.iter().map(|p| p.replace("LOG", log)).collect()
}

fn marker(i: usize) -> String {
    format!("XSS{}", i + 1)
}

/// YAML in single quotes: `'` doubled.
fn yq(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// A StatefulSet carrying the payloads as annotation values, plus one label and one image
/// (both rejected or failing with messages that quote them).
fn hostile_sts(p: &[String]) -> String {
    let mut y = String::from(
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\n  annotations:\n",
    );
    for (i, s) in p.iter().enumerate() {
        y.push_str(&format!("    xss{}: {}\n", i + 1, yq(s)));
    }
    y.push_str("spec:\n  serviceName: nginx\n  replicas: 1\n  selector:\n    matchLabels:\n      app: nginx\n  template:\n    metadata:\n      labels:\n        app: nginx\n    spec:\n      containers:\n");
    // Image names: one container per payload (the kubelet cannot parse them: InspectFailed).
    for (i, s) in p.iter().enumerate() {
        y.push_str(&format!(
            "      - name: c{i}\n        image: {}\n",
            yq(&format!("nginx{s}"))
        ));
    }
    y
}

/// The whole scenario: hostile files (names, text, YAML errors), hostile lines.
fn hostile_scenario(p: &[String]) -> Scenario {
    let mut files = vec![File {
        name: "web.yaml".into(),
        text: hostile_sts(p),
    }];
    // YAML errors: every payload in a broken file, named by it where it is a plain file name
    // (no '/'), as tabs.
    for (i, s) in p.iter().enumerate() {
        let name = if share::scenario::check_file_name(s).is_ok() {
            s.clone()
        } else {
            format!("bad{i}.yaml")
        };
        files.push(File {
            name,
            text: format!("key: [{s}\n"),
        });
    }
    let mut steps = vec![
        Step::Run("kubectl apply -f web.yaml".into()),
        Step::Run("sim settle".into()),
        Step::Run("kubectl get sts web -o yaml".into()),
        Step::Run("kubectl describe pod web-0".into()),
        Step::Run("kubectl get events".into()),
    ];
    for s in p {
        steps.push(Step::Run(format!("# {s}")));
        steps.push(Step::Run(s.clone()));
        // Tour names: `sim tour` quotes an unknown one in its error.
        steps.push(Step::Run(format!(
            "sim tour '{}'",
            s.replace('\'', "'\\''")
        )));
    }
    // Object names and label values: the apiserver's validation errors quote them.
    let names: Vec<String> = p
        .iter()
        .map(|s| {
            format!(
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {}\n  labels:\n    app: {}\n",
                yq(s),
                yq(s)
            )
        })
        .collect();
    steps.push(Step::Write(File {
        name: "names.yaml".into(),
        text: names.join("---\n"),
    }));
    steps.push(Step::Run("kubectl apply -f names.yaml".into()));
    Scenario {
        files,
        steps,
        ..Scenario::default()
    }
}

/// Everything the page shows, and what would betray an injection.
const PROBE: &str = r#"
const all = [...document.querySelectorAll('*')];
const handlers = all.flatMap(e => [...e.attributes].filter(a => /^on/i.test(a.name)).map(a => e.tagName + ' ' + a.name));
const urls = all.flatMap(e => [...e.attributes].filter(a => /^(src|href|xlink:href|data|style|action|formaction)$/i.test(a.name) && /XSS|javascript:/i.test(a.value)).map(a => e.tagName + ' ' + a.name + '=' + a.value));
const tags = all.filter(e => /^(SCRIPT|IFRAME|OBJECT|EMBED|IMG|IMAGE|FOREIGNOBJECT|STYLE|BASE|META|LINK|MATH|BODY)$/i.test(e.tagName)).map(e => e.tagName + (e.src ? ' ' + e.src : ''));
const text = document.body.innerText + '\n' + [...document.querySelectorAll('textarea,input')].map(e => e.value).join('\n');
return { handlers, urls, tags, text, xss: window.__xss === undefined ? null : String(window.__xss), title: document.title };
"#;

/// Click every editor tab; each one's text and diagnostics as shown.
async fn tab_texts(c: &Client) -> Result<Vec<(String, String)>, fantoccini::error::CmdError> {
    let mut out = Vec::new();
    for t in c.find_all(Locator::Css(".tab")).await? {
        t.click().await?;
        let text = c
            .find(Locator::Id("editor"))
            .await?
            .prop("value")
            .await?
            .unwrap_or_default();
        let diag = c.find(Locator::Id("diagnostics")).await?.text().await?;
        out.push((text, diag));
    }
    Ok(out)
}

async fn no_dialog(c: &Client) -> bool {
    c.get_alert_text().await.is_err()
}

#[tokio::test]
async fn payloads_through_the_playground_are_inert() {
    let (log, hits) = serve_recording().expect("recording server");
    let p = payloads(&log);
    let url = base_url();
    let link =
        share::link(&url, &hostile_scenario(&p)).expect("a hostile scenario still makes a link");
    let (_driver, port) = start_chromedriver();
    let c = connect(port, 1400, 900).await;
    let observed = async {
        // Share link -> files, tabs, editor, replayed console lines, annotations, images, errors.
        c.goto(&link).await?;
        c.wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Id("console-input"))
            .await?;
        // Typed console lines too.
        let input = c.find(Locator::Id("console-input")).await?;
        for s in p.iter().take(5) {
            input.send_keys(s).await?;
            input.send_keys("\u{E007}").await?;
        }
        // The mermaid text export.
        c.find(Locator::Id("diagram-mermaid"))
            .await?
            .click()
            .await?;
        // Each hostile tab in the editor (YAML errors shown as diagnostics).
        let tab_texts = tab_texts(&c).await?;
        tokio::time::sleep(Duration::from_millis(500)).await;
        let dialog_free = no_dialog(&c).await;
        let probe = c.execute(PROBE, vec![]).await?;
        Ok::<_, fantoccini::error::CmdError>((dialog_free, probe, tab_texts))
    }
    .await;
    c.close().await.expect("close session");
    let (dialog_free, probe, tab_texts) = observed.expect("e2e steps");
    // Every payload's broken file was shown, with its YAML error, as text.
    for (i, s) in p.iter().enumerate() {
        let want = format!("key: [{s}\n");
        assert!(
            tab_texts
                .iter()
                .any(|(text, diag)| *text == want
                    && diag.contains("error converting YAML to JSON")),
            "{}: no tab shows its file and YAML error",
            marker(i)
        );
    }
    assert!(dialog_free, "a dialog opened");
    assert_eq!(
        probe["xss"],
        serde_json::Value::Null,
        "a payload ran: {probe}"
    );
    assert_eq!(probe["handlers"], serde_json::json!([]), "{probe}");
    assert_eq!(probe["urls"], serde_json::json!([]), "{probe}");
    // The page's own tags only (its stylesheet link, meta tags, the boot script).
    for t in probe["tags"].as_array().cloned().unwrap_or_default() {
        let t = t.as_str().unwrap_or_default();
        assert!(
            t.starts_with("META")
                || t.starts_with("LINK")
                || t.starts_with("SCRIPT http")
                || t == "BODY"
                || t.starts_with("STYLE"),
            "unexpected element {t}: {probe}"
        );
    }
    assert_eq!(
        hits.lock().map(|h| h.clone()).unwrap_or_default(),
        Vec::<String>::new()
    );
    let text = probe["text"].as_str().unwrap_or_default();
    // Every payload reached the object name, label and image sinks (one ConfigMap and one
    // container per payload; the apiserver's and kubelet's messages quote them).
    for (what, min) in [
        ("metadata.name: Invalid value: ", p.len()),
        ("metadata.labels: Invalid value: ", p.len()),
        // describe pod: every container's image (the kubelet's InspectFailed event, checked
        // below, is for the first container it tries).
        ("Image:          nginx", p.len()),
    ] {
        let n = text.matches(what).count();
        assert!(n >= min, "{what}: {n} < {min}");
    }
    // The sinks were reached: annotations (`get -o yaml`), the image name (events, describe),
    // the apiserver's validation errors quoting a name and a label value, a YAML error.
    for reached in [
        "xss1: <script>window.__xss=1;alert('XSS1')</script>",
        // The kubelet cannot parse it (sim::image_ref): InspectFailed quotes it.
        "Failed to apply default image tag \"nginx<script>window.__xss=1",
        "metadata.name: Invalid value: \"<img src=x onerror=",
        "metadata.labels: Invalid value: \"<script>window.__xss=1",
        "Image:          nginx<img src=x",
        "sim tour: no tour named \"<script>window.__xss=1;alert('XSS1')</script>\"",
    ] {
        assert!(text.contains(reached), "sink not reached: {reached}");
    }
    for (i, s) in p.iter().enumerate() {
        assert!(text.contains(&marker(i)), "{} not shown", marker(i));
        // The `# …` echo shows it as typed (a U+2028 may be rendered as a line break).
        if !s.contains('\u{2028}') {
            assert!(
                text.contains(s.as_str()),
                "payload {} not shown literally: {s}",
                i + 1
            );
        }
    }
}

/// A hostile docs page: payloads in the embed's attributes, inline file names and text, the
/// inline script, a run block, and messages the page posts to the frame.
fn hostile_docs(playground: &str, p: &[String]) -> String {
    let attr = |s: &str| {
        s.replace('&', "&amp;")
            .replace('"', "&quot;")
            .replace('<', "&lt;")
    };
    let text = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;");
    let script_safe = |s: &str| s.replace("</", "<\\/");
    let mut files = String::new();
    for (i, s) in p.iter().enumerate() {
        let name = if share::scenario::check_file_name(s).is_ok() {
            s.clone()
        } else {
            format!("f{i}.yaml")
        };
        files.push_str(&format!(
            "<script type=\"text/yaml\" data-file=\"{}\">key: {}</script>\n",
            attr(&name),
            script_safe(&yq(s))
        ));
    }
    let lines: Vec<String> = p.iter().map(|s| format!("# {s}")).collect();
    let posts: Vec<String> = p
        .iter()
        .flat_map(|s| {
            [
                serde_json::json!({"stsplay": 1, "type": "run", "text": format!("# posted {s}")})
                    .to_string(),
                serde_json::json!({"stsplay": 1, "type": "run", "text": "x", "html": s})
                    .to_string(),
                serde_json::json!({"stsplay": 1, "type": "eval", "code": s}).to_string(),
            ]
        })
        .collect();
    format!(
        r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>hostile</title>
<script src="{playground}embed.js"></script></head><body>
<sts-playground id="evil" example="{ex}" tour="{tour}" view="{view}" theme="{theme}" speed="{speed}" height="{height}" run-blocks="code.language-shell">
{files}<script type="text/x-stsplay">{script}</script>
</sts-playground>
<div hidden>{attrs}</div>
<pre><code class="language-shell">{block}</code></pre>
<script>
const posts = {posts};
window.addEventListener('message', e => {{
  // Once the frame says ready, flood it with hostile messages (strings and objects).
  if (typeof e.data === 'string' && e.data.includes('"ready"')) {{
    const w = e.source;
    setTimeout(() => {{
      for (const m of posts) {{ w.postMessage(m, '*'); w.postMessage(JSON.parse(m), '*'); }}
      w.postMessage('<img src=x onerror=alert(1)>', '*');
    }}, 300);
  }}
}});
</script>
</body></html>"#,
        ex = attr(&p[1]),
        tour = attr(&p[3]),
        // Every payload in every attribute of its own element (never loaded: only embed.js's
        // reading of attributes, its poster and labels).
        attrs = p
            .iter()
            .map(|s| {
                let a = attr(s);
                format!(
                    "<sts-playground class=\"attrs\" example=\"{a}\" tour=\"{a}\" view=\"{a}\" theme=\"{a}\" speed=\"{a}\" height=\"{a}\" autoplay=\"{a}\" run-blocks=\"{a}\"></sts-playground>"
                )
            })
            .collect::<String>(),
        view = attr(&p[2]),
        theme = attr(&p[0]),
        speed = attr(&p[4]),
        height = attr(&p[5]),
        files = files,
        script = script_safe(&lines.join("\n")),
        block = text(&format!("# block {}", p[6])),
        posts = serde_json::to_string(&posts)
            .unwrap_or_default()
            .replace("</", "<\\/"),
    )
}

#[tokio::test]
async fn payloads_through_an_embed_are_inert() {
    let (log, hits) = serve_recording().expect("recording server");
    let p = payloads(&log);
    let playground = base_url();
    let dir = std::env::temp_dir().join(format!("stsplay-xss-docs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(dir.join("index.html"), hostile_docs(&playground, &p)).expect("page");
    let docs = serve_dist(dir).expect("serve docs");
    let (_driver, port) = start_chromedriver();
    let c = connect(port, 1400, 900).await;
    let observed = async {
        c.goto(&docs).await?;
        let host = c
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Id("evil"))
            .await?;
        // What embed.js made of the attribute-only elements (their shadow roots).
        let attrs = c
            .execute(
                "const hs = [...document.querySelectorAll('sts-playground.attrs')];
                 return { n: hs.length, built: hs.filter(h => h.shadowRoot).length,
                          markup: hs.map(h => h.shadowRoot ? h.shadowRoot.innerHTML : '').join('\\n') };",
                vec![],
            )
            .await?;
        let frame_src = c
            .execute(
                "const f = document.getElementById('evil').shadowRoot.querySelector('iframe'); return f ? f.src : null",
                vec![],
            )
            .await?;
        // Run the hostile block.
        c.find(Locator::Css("button[aria-label='Run in stsplay']"))
            .await?
            .click()
            .await?;
        let frame = host.shadow_root().await?.find(Locator::Css("iframe")).await?;
        frame.enter_frame().await?;
        c.wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Id("console-input"))
            .await?;
        // Wait for the posted messages and the block to arrive.
        let start = std::time::Instant::now();
        loop {
            let t = c.find(Locator::Id("console-output")).await?.text().await?;
            if (t.contains("# posted") && t.contains("# block")) || start.elapsed() > Duration::from_secs(20) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        let tab_texts = tab_texts(&c).await?;
        let dialog_free = no_dialog(&c).await;
        let probe = c.execute(PROBE, vec![]).await?;
        c.enter_parent_frame().await?;
        Ok::<_, fantoccini::error::CmdError>((frame_src, dialog_free, probe, tab_texts, attrs))
    }
    .await;
    c.close().await.expect("close session");
    let (frame_src, dialog_free, probe, tab_texts, attrs) = observed.expect("e2e steps");
    // Every payload in every attribute: each element was built, and none of the values got into
    // its markup (frame URL, poster, labels).
    assert_eq!(attrs["n"], p.len(), "{attrs}");
    assert_eq!(attrs["built"], p.len(), "{attrs}");
    let markup = attrs["markup"].as_str().unwrap_or_default();
    assert!(
        !markup.contains("XSS") && !markup.contains("javascript:") && !markup.contains("iframe"),
        "{markup}"
    );
    // Every payload arrived as an inline file, shown as text.
    for (i, s) in p.iter().enumerate() {
        let want = format!("key: {}\n", yq(s).replace("</", "<\\/"));
        assert!(
            tab_texts.iter().any(|(text, _)| *text == want),
            "{}: inline file not shown",
            marker(i)
        );
    }
    // Attributes: every hostile value was refused by embed.js; the frame's URL has none.
    let src = frame_src.as_str().unwrap_or_default();
    assert!(!src.contains("XSS") && !src.contains("script"), "{src}");
    assert!(dialog_free);
    assert_eq!(probe["xss"], serde_json::Value::Null, "{probe}");
    assert_eq!(probe["handlers"], serde_json::json!([]), "{probe}");
    assert_eq!(probe["urls"], serde_json::json!([]), "{probe}");
    assert_eq!(
        hits.lock().map(|h| h.clone()).unwrap_or_default(),
        Vec::<String>::new()
    );
    let text = probe["text"].as_str().unwrap_or_default();
    for (i, s) in p.iter().enumerate() {
        // Inline script lines and posted run messages show every payload as typed.
        if !s.contains('\u{2028}') {
            assert!(
                text.contains(&format!("# posted {s}")),
                "payload {} not shown literally",
                i + 1
            );
        }
        assert!(text.contains(&marker(i)), "{} not shown", marker(i));
    }
    assert!(text.contains("# block"), "the run block ran");
    // Bad shapes were refused and said so, never run.
    assert!(
        !text.contains("$ x\n"),
        "a message with an extra field was run"
    );
}

#[tokio::test]
async fn exported_svg_opened_as_a_document_is_inert() {
    let (log, hits) = serve_recording().expect("recording server");
    let p = payloads(&log);
    // One exported SVG per payload (every text of the diagram crate's specimen graph is the
    // payload), nested in one SVG document so a single page load opens them all.
    let mut svg = String::from("<svg xmlns=\"http://www.w3.org/2000/svg\">");
    for s in &p {
        let g = diagram::specimen::graph(s);
        let l = diagram::layout(&g, &diagram::LayoutOptions::default());
        let one = diagram::to_svg(&diagram::scene(&g, &l, &diagram::SceneOptions::default()));
        let one = one.trim_start();
        let one = match one.strip_prefix("<?xml") {
            Some(rest) => rest.split_once("?>").map(|(_, r)| r).unwrap_or(rest),
            None => one,
        };
        svg.push_str(one);
        // Mermaid: no payload can open a directive, a click handler or a raw tag.
        let mermaid = diagram::to_mermaid(&g);
        for line in mermaid.lines() {
            let t = line.trim_start();
            assert!(!t.starts_with("click") && !t.starts_with("%%"), "{line}");
        }
        for raw in ["<script", "<img", "<svg", "<iframe", "\"><"] {
            assert!(!mermaid.contains(raw), "{raw} in {mermaid}");
        }
    }
    svg.push_str("</svg>");
    let url = serve_bytes(svg.into_bytes(), "image/svg+xml").expect("serve svg");
    let (_driver, port) = start_chromedriver();
    let c = connect(port, 1400, 900).await;
    let observed = async {
        c.goto(&url).await?;
        tokio::time::sleep(Duration::from_millis(500)).await;
        let dialog_free = no_dialog(&c).await;
        let probe = c
            .execute(
                r#"const all = [...document.querySelectorAll('*')];
                   return { xss: window.__xss === undefined ? null : String(window.__xss),
                            tags: [...new Set(all.map(e => e.tagName))].sort(),
                            handlers: all.flatMap(e => [...e.attributes].filter(a => /^on/i.test(a.name)).map(a => a.name)),
                            text: document.documentElement.textContent };"#,
                vec![],
            )
            .await?;
        Ok::<_, fantoccini::error::CmdError>((dialog_free, probe))
    }
    .await;
    c.close().await.expect("close session");
    let (dialog_free, probe) = observed.expect("e2e steps");
    assert!(dialog_free);
    assert_eq!(probe["xss"], serde_json::Value::Null, "{probe}");
    assert_eq!(probe["handlers"], serde_json::json!([]), "{probe}");
    // Only drawing elements: nothing that runs, loads or links.
    let allowed = [
        "svg", "g", "rect", "text", "tspan", "title", "desc", "path", "line", "polyline",
        "polygon", "circle", "ellipse", "style", "defs", "marker",
    ];
    for t in probe["tags"].as_array().into_iter().flatten() {
        let t = t.as_str().unwrap_or_default();
        assert!(allowed.contains(&t), "unexpected element <{t}> in {probe}");
    }
    assert_eq!(
        hits.lock().map(|h| h.clone()).unwrap_or_default(),
        Vec::<String>::new()
    );
    let text = probe["text"].as_str().unwrap_or_default();
    for (i, s) in p.iter().enumerate() {
        assert!(
            text.contains(s.trim_start_matches('\u{2028}')) || text.contains(&marker(i)),
            "{}",
            marker(i)
        );
    }
}

/// Percent-encode everything but unreserved characters (a fragment value).
fn pct(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Tour names from the page address (`#tour=`, and embed mode's `#embed&tour=`, which a host
/// page cannot set past embed.js but anyone can put in a link): every payload is refused with
/// a notice that shows it literally, and the page works.
#[tokio::test]
async fn payloads_as_tour_names_in_the_address_are_inert() {
    let (log, hits) = serve_recording().expect("recording server");
    let p = payloads(&log);
    let url = base_url();
    let (_driver, port) = start_chromedriver();
    let c = connect(port, 1400, 900).await;
    let observed = async {
        let mut seen = Vec::new();
        for (i, s) in p.iter().enumerate() {
            let mode = if i % 2 == 0 { "" } else { "embed&" };
            c.goto("about:blank").await?;
            c.goto(&format!("{url}#{mode}tour={}", pct(s))).await?;
            c.wait()
                .at_most(Duration::from_secs(20))
                .for_element(Locator::Id("console-input"))
                .await?;
            let notice = c.find(Locator::Id("notice")).await?.text().await?;
            let dialog_free = no_dialog(&c).await;
            let probe = c.execute(PROBE, vec![]).await?;
            seen.push((notice, dialog_free, probe));
        }
        Ok::<_, fantoccini::error::CmdError>(seen)
    }
    .await;
    c.close().await.expect("close session");
    let seen = observed.expect("e2e steps");
    assert_eq!(seen.len(), p.len());
    for (i, (notice, dialog_free, probe)) in seen.iter().enumerate() {
        assert!(dialog_free, "{}", marker(i));
        assert_eq!(probe["xss"], serde_json::Value::Null, "{probe}");
        assert_eq!(probe["handlers"], serde_json::json!([]), "{probe}");
        assert_eq!(probe["urls"], serde_json::json!([]), "{probe}");
        // Shown as the page quotes a bad value: shortened to 60 characters, `{:?}`-escaped.
        let shown = format!("tour={:?}", share::scenario::shorten(&p[i]));
        assert!(
            notice.contains(&shown),
            "{}: {shown} not in {notice}",
            marker(i)
        );
    }
    assert_eq!(
        hits.lock().map(|h| h.clone()).unwrap_or_default(),
        Vec::<String>::new()
    );
}

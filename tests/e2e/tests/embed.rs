//! End-to-end: `<sts-playground>` (web/embed.js) on a docs page served from another origin than
//! the playground, and the playground page under its Content-Security-Policy.

use std::path::PathBuf;
use std::time::Duration;

use e2e::browser::{R, connect_with};
use e2e::{base_url, chrome_caps, chrome_caps_args, serve_dist, start_chromedriver};
use fantoccini::{Client, Locator};

/// A docs page in the style of kubernetes.io's tutorial: an embed with run-blocks at the top,
/// two shell blocks, a long gap, and a second embed with inline files and a script.
fn docs_page(playground: &str) -> String {
    format!(
        r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>StatefulSet basics</title>
<script src="{playground}embed.js" defer></script></head>
<body>
<h1>StatefulSet basics</h1>
<sts-playground id="one" example="seed" view="diagram+console" autoplay run-blocks="code.language-shell">
  <a href="{playground}#example=seed">Open the StatefulSet playground</a>
</sts-playground>
<p>List the pods:</p>
<div class="highlight"><pre><code class="language-shell" data-lang="shell">kubectl get pods</code></pre></div>
<p>And the claims:</p>
<div class="highlight"><pre><code class="language-shell" data-lang="shell">kubectl get pvc
kubectl get sts</code></pre></div>
<div id="gap" style="height: 4000px"></div>
<sts-playground id="two" example="seed" view="console" theme="dark" height="420">
  <script type="text/yaml" data-file="web.yaml">
    apiVersion: apps/v1
    kind: StatefulSet
    metadata:
      name: web
  </script>
  <script type="text/x-stsplay">kubectl apply -f web.yaml</script>
  <a href="{playground}">Open the StatefulSet playground</a>
</sts-playground>
</body></html>
"#
    )
}

/// Serve the docs page from its own directory on its own port (another origin).
fn serve_docs(playground: &str) -> String {
    let dir: PathBuf =
        std::env::temp_dir().join(format!("stsplay-e2e-docs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("docs dir");
    std::fs::write(dir.join("index.html"), docs_page(playground)).expect("docs page");
    serve_dist(dir).expect("serve docs")
}

/// What an embed shows, read through its (open) shadow root.
async fn embed_state(c: &Client, id: &str) -> R<serde_json::Value> {
    c.execute(
        r#"const host = document.getElementById(arguments[0]);
           const root = host && host.shadowRoot;
           if (!root) return null;
           const f = root.querySelector('iframe');
           const img = root.querySelector('img');
           const button = root.querySelector('button');
           return {
             frame: f ? { src: f.src, sandbox: f.getAttribute('sandbox'), title: f.title,
                          allow: f.getAttribute('allow'), referrer: f.referrerPolicy } : null,
             poster: img ? img.getAttribute('src') : null,
             posterAlt: img ? img.alt : null,
             button: button ? button.getAttribute('aria-label') : null,
             fallbackShown: host.querySelector('a').getClientRects().length > 0,
           };"#,
        vec![serde_json::json!(id)],
    )
    .await
}

async fn wait_until<F>(c: &Client, id: &str, pred: F) -> R<serde_json::Value>
where
    F: Fn(&serde_json::Value) -> bool,
{
    let start = std::time::Instant::now();
    loop {
        let v = embed_state(c, id).await?;
        if pred(&v) || start.elapsed() > Duration::from_secs(15) {
            return Ok(v);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn embeds_load_on_demand_with_posters_and_run_buttons() {
    let playground = base_url();
    let docs = serve_docs(&playground);
    let (_driver, port) = start_chromedriver();
    let c = connect_with(port, chrome_caps(1200, 900)).await;
    let observed = async {
        c.goto(&docs).await?;
        let one = wait_until(&c, "one", |v| !v["frame"].is_null()).await?;
        let two_before = embed_state(&c, "two").await?;
        let run_buttons = c
            .find_all(Locator::Css("button[aria-label='Run in stsplay']"))
            .await?
            .len();
        // Scrolled into view, the second embed loads too.
        c.execute("document.getElementById('two').scrollIntoView()", vec![])
            .await?;
        let two_after = wait_until(&c, "two", |v| !v["frame"].is_null()).await?;
        Ok::<_, fantoccini::error::CmdError>((one, two_before, run_buttons, two_after))
    }
    .await;
    c.close().await.expect("close session");
    let (one, two_before, run_buttons, two_after) = observed.expect("e2e steps");
    let origin = playground.trim_end_matches('/');
    let docs_origin = docs.trim_end_matches('/');
    // The first embed is in view: its frame is there, sandboxed, named, without permissions.
    let frame = &one["frame"];
    assert_eq!(frame["sandbox"], "allow-scripts allow-same-origin", "{one}");
    assert_eq!(frame["title"], "stsplay playground: seed", "{one}");
    assert_eq!(frame["allow"], "", "{one}");
    assert_eq!(frame["referrer"], "strict-origin", "{one}");
    let host_param = docs_origin.replace(':', "%3A").replace('/', "%2F");
    assert_eq!(
        frame["src"],
        format!("{origin}/#embed&example=seed&view=diagram%2Bconsole&autoplay&host={host_param}"),
        "{one}"
    );
    assert_eq!(
        one["fallbackShown"], false,
        "the fallback link is replaced: {one}"
    );
    // The second is far below: the example's poster and a load button, no frame yet (no
    // engine fetched).
    assert!(two_before["frame"].is_null(), "{two_before}");
    assert_eq!(
        two_before["poster"],
        format!("{origin}/posters/seed.svg"),
        "{two_before}"
    );
    assert_eq!(
        two_before["posterAlt"], "Diagram of the seed example",
        "{two_before}"
    );
    assert_eq!(
        two_before["button"], "Load the stsplay playground: seed",
        "{two_before}"
    );
    // run-blocks: one button per matching block, named.
    assert_eq!(run_buttons, 2);
    // Inline files: the frame is told to wait for them (`init`).
    assert_eq!(
        two_after["frame"]["src"],
        format!("{origin}/#embed&example=seed&view=console&theme=dark&host={host_param}&init"),
        "{two_after}"
    );
}

#[tokio::test]
async fn without_javascript_an_embed_is_a_link() {
    let playground = base_url();
    let docs = serve_docs(&playground);
    let (_driver, port) = start_chromedriver();
    let c = connect_with(
        port,
        chrome_caps_args(1200, 900, &["--blink-settings=scriptEnabled=false"]),
    )
    .await;
    let observed = async {
        c.goto(&docs).await?;
        let link = c
            .find(Locator::LinkText("Open the StatefulSet playground"))
            .await?;
        let href = link.attr("href").await?;
        let shown = link.is_displayed().await?;
        Ok::<_, fantoccini::error::CmdError>((href, shown))
    }
    .await;
    c.close().await.expect("close session");
    let (href, shown) = observed.expect("e2e steps");
    assert!(shown);
    assert_eq!(href, Some(format!("{playground}#example=seed")));
}

#[tokio::test]
async fn the_playground_runs_under_its_content_security_policy() {
    let url = base_url();
    let html = std::fs::read_to_string(e2e::dist_dir().join("index.html")).expect("index.html");
    let (_driver, port) = start_chromedriver();
    let c = connect_with(port, chrome_caps(1200, 900)).await;
    let observed = async {
        c.goto(&url).await?;
        c.wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Id("apply"))
            .await?;
        let probe = c
            .execute(
                r#"const out = {};
                   out.inline = [...document.scripts].filter(s => !s.src).length;
                   out.csp = document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content || '';
                   try { document.body.insertAdjacentHTML('beforeend', '<b id=x>x</b>'); out.markup = 'allowed'; }
                   catch (e) { out.markup = e.name; }
                   // An inline event handler: CSP without 'unsafe-inline' never runs it.
                   // (Trusted Types refuse the attribute first; either way it never runs.)
                   window.__handler = 'not run';
                   const b = document.createElement('button');
                   try { b.setAttribute('onclick', "window.__handler = 'ran'"); }
                   catch (e) { out.handlerError = e.name; }
                   document.body.append(b);
                   b.click();
                   b.remove();
                   out.handler = window.__handler;
                   return out;"#,
                vec![],
            )
            .await?;
        Ok::<_, fantoccini::error::CmdError>(probe)
    }
    .await;
    c.close().await.expect("close session");
    let probe = observed.expect("e2e steps");
    // The app started (the Apply button is there) with no inline script in the page.
    // (read as markup: the release build's index.html is minified, attributes unquoted)
    let scripts: Vec<_> = e2e::html::tags(&html)
        .into_iter()
        .filter(|t| t.name == "script")
        .collect();
    assert!(
        !scripts.is_empty()
            && scripts
                .iter()
                .all(|t| t.attr("src").is_some_and(|s| !s.is_empty())),
        "{html}"
    );
    assert_eq!(probe["inline"], 0, "{probe}");
    let csp = probe["csp"].as_str().unwrap_or_default();
    for directive in [
        "script-src 'self' 'wasm-unsafe-eval';",
        "object-src 'none'",
        "base-uri 'none'",
        "require-trusted-types-for 'script'",
    ] {
        assert!(csp.contains(directive), "{csp}");
    }
    // Trusted Types: a string never becomes markup, even from a script in the page.
    assert_eq!(probe["markup"], "TypeError", "{probe}");
    // No inline script of any kind runs.
    assert_eq!(probe["handler"], "not run", "{probe}");
    assert_eq!(probe["handlerError"], "TypeError", "{probe}");
}

/// Inside one embed's frame: run `f`, then back to the docs page.
async fn in_frame<T>(c: &Client, id: &str, f: impl AsyncFnOnce(&Client) -> R<T>) -> R<T> {
    let host = c.find(Locator::Id(id)).await?;
    let frame = host
        .shadow_root()
        .await?
        .find(Locator::Css("iframe"))
        .await?;
    frame.enter_frame().await?;
    let out = f(c).await;
    c.enter_parent_frame().await?;
    out
}

/// The frame's console text (empty until the app is there).
async fn frame_console(c: &Client, id: &str) -> R<String> {
    in_frame(c, id, async |c: &Client| {
        match c.find(Locator::Id("console-output")).await {
            Ok(e) => e.text().await,
            Err(_) => Ok(String::new()),
        }
    })
    .await
}

async fn wait_frame_console(c: &Client, id: &str, pred: impl Fn(&str) -> bool) -> R<String> {
    let start = std::time::Instant::now();
    loop {
        let t = frame_console(c, id).await.unwrap_or_default();
        if pred(&t) || start.elapsed() > Duration::from_secs(30) {
            return Ok(t);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn box_height(c: &Client, id: &str) -> R<f64> {
    let v = c
        .execute(
            "return document.getElementById(arguments[0]).shadowRoot.querySelector('div').getBoundingClientRect().height",
            vec![serde_json::json!(id)],
        )
        .await?;
    Ok(v.as_f64().unwrap_or_default())
}

#[tokio::test]
async fn embeds_autoplay_run_blocks_take_inline_files_and_resize() {
    let playground = base_url();
    let docs = serve_docs(&playground);
    let (_driver, port) = start_chromedriver();
    let c = connect_with(port, chrome_caps(1200, 900)).await;
    let observed = async {
        c.goto(&docs).await?;
        // Autoplay: the seed is applied, then Play advances the clock (its lines coalesce into
        // one console entry that counts them).
        let autoplayed = wait_frame_console(&c, "one", |t| {
            t.contains("statefulset.apps/nginx-with-init-container created")
                && t.contains("$ sim advance ")
                && t.contains("(Play: ")
        })
        .await?;
        // The frame reported its height: the box is no longer the 520 px default.
        let h1 = box_height(&c, "one").await?;
        // A run block: its command runs in the embedded console.
        c.find(Locator::Css("button[aria-label='Run in stsplay']"))
            .await?
            .click()
            .await?;
        let ran = wait_frame_console(&c, "one", |t| t.contains("$ kubectl get pods\n")).await?;
        let status = c
            .execute(
                "return document.getElementById('one').shadowRoot.querySelector('[role=status]').textContent",
                vec![],
            )
            .await?;
        // The block of two lines: both run, in order.
        c.find_all(Locator::Css("button[aria-label='Run in stsplay']"))
            .await?
            .get(1)
            .ok_or(fantoccini::error::CmdError::InvalidArgument(
                "run button".into(),
                "the second is missing".into(),
            ))?
            .click()
            .await?;
        let two_lines =
            wait_frame_console(&c, "one", |t| t.contains("$ kubectl get sts\n")).await?;
        let status2 = c
            .execute(
                "return document.getElementById('one').shadowRoot.querySelector('[role=status]').textContent",
                vec![],
            )
            .await?;
        // The second embed: inline file + script, fixed height.
        c.execute("document.getElementById('two').scrollIntoView()", vec![])
            .await?;
        let inline = wait_frame_console(&c, "two", |t| t.contains("statefulset.apps/web created")).await?;
        let h2 = box_height(&c, "two").await?;
        Ok::<_, fantoccini::error::CmdError>((
            autoplayed, h1, ran, status, two_lines, status2, inline, h2,
        ))
    }
    .await;
    c.close().await.expect("close session");
    let (autoplayed, h1, ran, status, two_lines, status2, inline, h2) =
        observed.expect("e2e steps");
    let (pvc, sts) = (
        two_lines.find("$ kubectl get pvc\n"),
        two_lines.find("$ kubectl get sts\n"),
    );
    assert!(pvc.is_some() && pvc < sts, "{two_lines}");
    assert_eq!(status2, "stsplay ran 2 lines");
    assert!(
        autoplayed.contains("$ kubectl apply -f svc.yaml -f sts.yaml"),
        "{autoplayed}"
    );
    assert!(
        autoplayed.contains("$ sim advance ") && autoplayed.contains("(Play: "),
        "{autoplayed}"
    );
    assert!(
        (h1 - 520.0).abs() > 1.0,
        "resized from the 520 px default: {h1}"
    );
    assert!(ran.contains("nginx-with-init-container-0"), "{ran}");
    assert_eq!(status, "stsplay ran 1 line");
    assert!(inline.contains("$ kubectl apply -f web.yaml"), "{inline}");
    // Independent: the first embed's run block and autoplay did not reach the second.
    assert!(
        !inline.contains("$ kubectl get pods") && !inline.contains("sim advance"),
        "{inline}"
    );
    assert_eq!(h2, 420.0, "height=420 is fixed");
}

/// Open the playground at `url`, wait for it, run `lines` in its console.
async fn open_and_run(c: &Client, url: &str, lines: &[&str]) -> R<()> {
    c.goto(url).await?;
    c.wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Id("console-input"))
        .await?;
    for l in lines {
        let input = c.find(Locator::Id("console-input")).await?;
        input.send_keys(l).await?;
        input.send_keys("\u{E007}").await?;
    }
    Ok(())
}

async fn page_state(c: &Client) -> R<(String, String, String)> {
    let console = c.find(Locator::Id("console-output")).await?.text().await?;
    let pods = c.find(Locator::Id("pods")).await?.text().await?;
    let editor = c
        .find(Locator::Id("editor"))
        .await?
        .prop("value")
        .await?
        .unwrap_or_default();
    Ok((console, pods, editor))
}

#[tokio::test]
async fn a_share_link_opens_the_exact_state_in_a_new_page() {
    let url = base_url();
    let (_driver, port) = start_chromedriver();
    let c = connect_with(port, chrome_caps(1400, 900)).await;
    let observed = async {
        open_and_run(
            &c,
            &url,
            &[
                "kubectl apply -f svc.yaml -f sts.yaml",
                "sim step",
                "sim step",
            ],
        )
        .await?;
        // An edit between lines, then more lines: the link must replay the edit in its place.
        let editor = c.find(Locator::Id("editor")).await?;
        let text = editor.prop("value").await?.unwrap_or_default();
        editor.clear().await?;
        editor
            .send_keys(&text.replace("replicas: 3", "replicas: 2"))
            .await?;
        let input = c.find(Locator::Id("console-input")).await?;
        for l in [
            "kubectl apply -f sts.yaml",
            "sim settle",
            "kubectl get pods",
        ] {
            input.send_keys(l).await?;
            input.send_keys("\u{E007}").await?;
        }
        let before = page_state(&c).await?;
        c.find(Locator::Id("share")).await?.click().await?;
        let link = c
            .wait()
            .at_most(Duration::from_secs(5))
            .for_element(Locator::Id("share-link"))
            .await?
            .prop("value")
            .await?
            .unwrap_or_default();
        // A new page (a fresh document) with the link.
        c.goto("about:blank").await?;
        c.goto(&link).await?;
        c.wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Id("console-input"))
            .await?;
        let after = page_state(&c).await?;
        Ok::<_, fantoccini::error::CmdError>((link, before, after))
    }
    .await;
    c.close().await.expect("close session");
    let (link, before, after) = observed.expect("e2e steps");
    assert!(link.starts_with(&format!("{url}#s1.")), "{link}");
    assert_eq!(after.1, before.1, "the pods are the same");
    assert_eq!(after.2, before.2, "the editor holds the same text");
    assert_eq!(
        after.0, before.0,
        "the console shows the same lines and output"
    );
    assert!(
        before.1.contains("nginx-with-init-container-1")
            && !before.1.contains("nginx-with-init-container-2"),
        "{}",
        before.1
    );
}

#[tokio::test]
async fn a_corrupt_link_leaves_a_working_page_and_says_why() {
    let url = base_url();
    let (_driver, port) = start_chromedriver();
    let c = connect_with(port, chrome_caps(1400, 900)).await;
    let observed = async {
        open_and_run(
            &c,
            &format!("{url}#s1.eJzLSM3JyVcozy_KSQEAGgQEXQ%25%25"),
            &["kubectl apply -f sts.yaml"],
        )
        .await?;
        let notice = c.find(Locator::Id("notice")).await?.text().await?;
        let console = c.find(Locator::Id("console-output")).await?.text().await?;
        // A new document (a fragment change alone would not reload the page).
        c.goto("about:blank").await?;
        open_and_run(&c, &format!("{url}#s9.AAAA"), &[]).await?;
        let newer = c.find(Locator::Id("notice")).await?.text().await?;
        Ok::<_, fantoccini::error::CmdError>((notice, console, newer))
    }
    .await;
    c.close().await.expect("close session");
    let (notice, console, newer) = observed.expect("e2e steps");
    // The notice line may carry the page's warning sign before the sentence.
    let notice = notice.trim_start_matches("⚠ ");
    assert!(notice.starts_with("This share link is damaged"), "{notice}");
    assert!(
        notice.ends_with("The playground opened without it."),
        "{notice}"
    );
    assert!(
        console.contains("statefulset.apps/nginx-with-init-container created"),
        "{console}"
    );
    assert!(newer.contains("made by a newer stsplay"), "{newer}");
}

/// Hosted under a subpath (`https://docs.example/tools/stsplay/`) by a plain static host (no
/// fallback to index.html): every asset loads from under the subpath (Trunk.toml's
/// `public_url = "./"`), the page starts and runs a line, and an embed whose script comes from
/// the subpath loads its poster and frame from there too.
#[tokio::test]
async fn the_playground_works_under_a_subpath() {
    const PREFIX: &str = "/tools/stsplay/";
    let (sub, log) = e2e::serve_dist_under(e2e::dist_dir(), PREFIX).expect("serve dist");
    let docs = serve_docs(&sub);
    let (_driver, port) = start_chromedriver();
    let c = connect_with(port, chrome_caps(1200, 900)).await;
    let observed = async {
        open_and_run(&c, &sub, &["kubectl apply -f sts.yaml"]).await?;
        let console = c.find(Locator::Id("console-output")).await?.text().await?;
        // The embed on a docs page (another origin), its script from the subpath.
        c.goto(&docs).await?;
        let one = wait_until(&c, "one", |v| !v["frame"].is_null()).await?;
        let two = embed_state(&c, "two").await?;
        let framed = in_frame(&c, "one", async |c: &Client| {
            c.wait()
                .at_most(Duration::from_secs(20))
                .for_element(Locator::Id("console-input"))
                .await
                .map(|_| true)
        })
        .await?;
        Ok::<_, fantoccini::error::CmdError>((console, one, two, framed))
    }
    .await;
    c.close().await.expect("close session");
    let (console, one, two, framed) = observed.expect("e2e steps");
    assert!(
        console.contains("statefulset.apps/nginx-with-init-container created"),
        "{console}"
    );
    assert!(framed, "the embedded playground started");
    assert!(
        one["frame"]["src"]
            .as_str()
            .is_some_and(|s| s.starts_with(&format!("{sub}#embed&"))),
        "{one}"
    );
    assert_eq!(two["poster"], format!("{sub}posters/seed.svg"), "{two}");
    let log = log.lock().map(|l| l.clone()).unwrap_or_default();
    let missing: Vec<&String> = log
        .iter()
        .filter(|l| l.starts_with("404") && !l.ends_with("/favicon.ico"))
        .collect();
    assert!(
        missing.is_empty(),
        "assets outside the subpath: {missing:?}"
    );
    for asset in [".wasm", ".js", ".css", "boot.js", "posters/seed.svg"] {
        assert!(
            log.iter()
                .any(|l| l.starts_with(&format!("200 {PREFIX}")) && l.ends_with(asset)),
            "{asset} loaded from the subpath: {log:?}"
        );
    }
}

/// A docs page (another origin) with the given body, served from its own directory.
fn serve_page(name: &str, playground: &str, body: &str) -> String {
    let dir: PathBuf =
        std::env::temp_dir().join(format!("stsplay-e2e-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("page dir");
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{name}</title>\n\
         <script src=\"{playground}embed.js\" defer></script></head>\n<body>\n{body}\n</body></html>\n"
    );
    std::fs::write(dir.join("index.html"), html).expect("page");
    serve_dist(dir).expect("serve page")
}

/// What a frame shows: which parts of the playground are on screen (a box with a size), the
/// tour panel's and notice's text, the console's text (also when hidden), the document height.
const FRAME_PROBE: &str = r#"
const box = s => { const e = document.querySelector(s); if (!e) return null;
  const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 ? [Math.round(r.width), Math.round(r.height)] : null; };
const text = s => { const e = document.querySelector(s); return e ? e.textContent : ''; };
return { toolbar: box('#apply'), share: box('#share'), timeline: box('.timeline'), editor: box('#editor'),
  diagram: box('.center-pane'), side: box('.side-pane'), why: box('.side-pane .why'), tour: box('.tour'),
  console: box('#console-input'), tourText: text('.tour'), notice: text('#notice'),
  consoleText: text('#console-output'), theme: document.documentElement.getAttribute('data-theme'),
  background: getComputedStyle(document.body).backgroundColor,
  commandsBackground: document.querySelector('.tour-commands') ? getComputedStyle(document.querySelector('.tour-commands')).backgroundColor : null,
  speed: document.querySelector('#speed') ? document.querySelector('#speed').value : null, height: Math.round(document.querySelector('.shell').getBoundingClientRect().height) };
"#;

async fn frame_probe(c: &Client, id: &str) -> R<serde_json::Value> {
    in_frame(c, id, async |c: &Client| {
        c.execute(FRAME_PROBE, vec![]).await
    })
    .await
}

/// Wait until the frame's app is up and `pred` holds of its probe.
async fn wait_frame(
    c: &Client,
    id: &str,
    pred: impl Fn(&serde_json::Value) -> bool,
) -> R<serde_json::Value> {
    let start = std::time::Instant::now();
    loop {
        c.execute(
            "document.getElementById(arguments[0]).scrollIntoView()",
            vec![serde_json::json!(id)],
        )
        .await?;
        let v = match frame_probe(c, id).await {
            Ok(v) => v,
            Err(_) => serde_json::Value::Null,
        };
        if (!v["toolbar"].is_null() && pred(&v)) || start.elapsed() > Duration::from_secs(40) {
            return Ok(v);
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// Save the embed's picture when `STSPLAY_EMBED_SHOTS=DIR` is set (for a person to look at).
async fn shot(c: &Client, id: &str) -> R<()> {
    if let Some(dir) = std::env::var_os("STSPLAY_EMBED_SHOTS") {
        let png = c.find(Locator::Id(id)).await?.screenshot().await?;
        let _ = std::fs::write(PathBuf::from(dir).join(format!("embed-{id}.png")), png);
    }
    Ok(())
}

/// Every `view` shows what it says: `diagram` the diagram (no editor, side pane or console),
/// `console` the console alone, `diagram+console` both, `full` the whole playground (toolbar,
/// timeline, editor, diagram, why/events, console); the frame grows to its content.
#[tokio::test]
async fn every_view_shows_what_it_says() {
    let playground = base_url();
    let views = ["diagram", "console", "diagram+console", "full"];
    let body: String = views
        .iter()
        .enumerate()
        .map(|(i, v)| format!("<h2>{v}</h2><sts-playground id=\"v{i}\" example=\"seed\" view=\"{v}\" autoplay></sts-playground>\n"))
        .collect();
    let page = serve_page("views", &playground, &body);
    let (_driver, port) = start_chromedriver();
    // Tall enough for the full view's picture in one piece.
    let c = connect_with(port, chrome_caps(1280, 1600)).await;
    let observed = async {
        c.goto(&page).await?;
        let mut out = Vec::new();
        for i in 0..views.len() {
            let id = format!("v{i}");
            // Autoplay: applied and played until the pods run.
            let v = wait_frame(&c, &id, |v| {
                v["consoleText"]
                    .as_str()
                    .is_some_and(|t| t.contains("(Play: "))
            })
            .await?;
            // Let the frame's height report arrive, then compare the box with the content.
            tokio::time::sleep(Duration::from_millis(400)).await;
            let v = frame_probe(&c, &id).await.unwrap_or(v);
            let h = box_height(&c, &id).await?;
            shot(&c, &id).await?;
            out.push((v, h));
        }
        Ok::<_, fantoccini::error::CmdError>(out)
    }
    .await;
    c.close().await.expect("close session");
    let out = observed.expect("e2e steps");
    let shown = |v: &serde_json::Value, k: &str| !v[k].is_null();
    for ((v, h), view) in out.iter().zip(views) {
        // Every view keeps the controls and the timeline.
        assert!(shown(v, "toolbar") && shown(v, "timeline"), "{view}: {v}");
        let want: &[(&str, bool)] = match view {
            "diagram" => &[
                ("diagram", true),
                ("editor", false),
                ("side", false),
                ("console", false),
            ],
            "console" => &[
                ("diagram", false),
                ("editor", false),
                ("side", false),
                ("console", true),
            ],
            "diagram+console" => &[
                ("diagram", true),
                ("editor", false),
                ("side", false),
                ("console", true),
            ],
            _ => &[
                ("diagram", true),
                ("editor", true),
                ("side", true),
                ("why", true),
                ("console", true),
            ],
        };
        for (part, on) in want {
            assert_eq!(shown(v, part), *on, "view={view}: {part}: {v}");
        }
        // The host box follows the content (no inner scroll bar, nothing cut off).
        let content = v["height"].as_f64().unwrap_or_default();
        assert!(
            (h - content).abs() <= 2.0,
            "view={view}: box {h} px, content {content} px"
        );
    }
    // The full view's panes are usable, not slivers.
    let (full, _) = &out[3];
    let size = |k: &str| full[k][1].as_f64().unwrap_or_default();
    assert!(
        size("editor") >= 300.0 && size("diagram") >= 300.0,
        "{full}"
    );
}

/// `tour="NAME"` starts that tour through the console line its panel runs; the panel is beside
/// the diagram and its buttons work; an unknown tour is one line and the embed still works.
#[tokio::test]
async fn the_tour_attribute_starts_a_tour() {
    let playground = base_url();
    let page = serve_page(
        "tours",
        &playground,
        "<sts-playground id=\"t1\" tour=\"sticky-pod-orchestra\" view=\"diagram+console\" theme=\"dark\"></sts-playground>\n\
         <sts-playground id=\"t2\" tour=\"statefulset-basics\" view=\"console\" theme=\"dark\" speed=\"4\"></sts-playground>\n\
         <sts-playground id=\"t3\" tour=\"no-such-tour\" view=\"diagram\"></sts-playground>",
    );
    let (_driver, port) = start_chromedriver();
    let c = connect_with(port, chrome_caps(1280, 900)).await;
    let observed = async {
        c.goto(&page).await?;
        let started = wait_frame(&c, "t1", |v| !v["tour"].is_null()).await?;
        shot(&c, "t1").await?;
        // The panel's "Run step" button: the step's lines run, the panel moves on.
        in_frame(&c, "t1", async |c: &Client| {
            c.find(Locator::Css("button[aria-label='Tour: run this step']"))
                .await?
                .click()
                .await
        })
        .await?;
        let stepped = wait_frame(&c, "t1", |v| {
            v["tourText"]
                .as_str()
                .is_some_and(|t| t.contains("Step 2/"))
        })
        .await?;
        let console_view = wait_frame(&c, "t2", |v| {
            v["consoleText"]
                .as_str()
                .is_some_and(|t| t.contains("step 1/"))
        })
        .await?;
        let unknown = wait_frame(&c, "t3", |v| {
            v["notice"].as_str().is_some_and(|n| !n.is_empty())
        })
        .await?;
        shot(&c, "t3").await?;
        // It still works: Apply creates the seed.
        in_frame(&c, "t3", async |c: &Client| {
            c.find(Locator::Id("apply")).await?.click().await
        })
        .await?;
        let applied = wait_frame(&c, "t3", |v| {
            v["consoleText"]
                .as_str()
                .is_some_and(|t| t.contains("created"))
        })
        .await?;
        Ok::<_, fantoccini::error::CmdError>((started, stepped, console_view, unknown, applied))
    }
    .await;
    c.close().await.expect("close session");
    let (started, stepped, console_view, unknown, applied) = observed.expect("e2e steps");
    let text = |v: &serde_json::Value, k: &str| v[k].as_str().unwrap_or_default().to_string();
    // Started by the same console line as the panel's button; the panel is beside the diagram
    // (the why and events lists stay hidden in this view).
    assert!(
        text(&started, "consoleText").contains("$ sim tour sticky-pod-orchestra"),
        "{started}"
    );
    assert!(
        text(&started, "tourText").contains("Step 1/11"),
        "{started}"
    );
    // In the dark theme the panel's commands are on a dark ground (--line-soft), not light.
    assert_eq!(
        started["commandsBackground"], "rgb(33, 38, 45)",
        "{started}"
    );
    assert!(
        !started["diagram"].is_null() && started["why"].is_null() && started["editor"].is_null(),
        "{started}"
    );
    let (d, t) = (&started["diagram"], &started["tour"]);
    assert!(
        d[0].as_f64().unwrap_or(0.0) > t[0].as_f64().unwrap_or(0.0),
        "the diagram stays the larger: {started}"
    );
    let console = text(&stepped, "consoleText");
    assert!(
        console.contains("$ sim tour next") && console.contains("created"),
        "{console}"
    );
    // view=console: the tour's text is in the console.
    assert!(
        text(&console_view, "consoleText").contains("$ sim tour statefulset-basics"),
        "{console_view}"
    );
    assert!(console_view["tour"].is_null(), "{console_view}");
    // Its theme and speed attributes: the dark theme's page colour (web/style.css), Play at 4x.
    assert_eq!(console_view["theme"], "dark", "{console_view}");
    assert_eq!(
        console_view["background"], "rgb(13, 17, 23)",
        "{console_view}"
    );
    assert_eq!(console_view["speed"], "4", "{console_view}");
    // Unknown: the notice names it and lists the tours; no tour line ran.
    let notice = text(&unknown, "notice");
    assert!(
        notice.contains("There is no tour \"no-such-tour\" in this playground (tours: sticky-pod-orchestra, statefulset-basics)"),
        "{notice}"
    );
    assert!(
        unknown["tour"].is_null() && !text(&unknown, "consoleText").contains("sim tour"),
        "{unknown}"
    );
    assert!(!applied["diagram"].is_null(), "{applied}");
}

/// Docs and playground on one origin (`https://docs.example/` with the playground at
/// `https://docs.example/stsplay/`): the frame is opaque (`allow-scripts` only, so it cannot
/// reach the page), so it fetches the engine with CORS: with the host sending
/// `Access-Control-Allow-Origin: *` (README "Hosting"; `cargo xtask serve` does) the playground
/// starts in it and autoplays. Without the header the module is refused and nothing starts:
/// that is why the header is required.
#[tokio::test]
async fn an_embed_on_the_playground_s_own_origin() {
    // The playground's files under stsplay/ (symbolic links, not copies) beside a docs page.
    let dir: PathBuf =
        std::env::temp_dir().join(format!("stsplay-e2e-same-{}", std::process::id()));
    let sub = dir.join("stsplay");
    std::fs::create_dir_all(&sub).expect("dir");
    for entry in std::fs::read_dir(e2e::dist_dir()).expect("dist").flatten() {
        let _ = std::os::unix::fs::symlink(entry.path(), sub.join(entry.file_name()));
    }
    // The test server answers a directory (`/stsplay/`) with the root's index.html.
    let _ = std::os::unix::fs::symlink(e2e::dist_dir().join("index.html"), dir.join("index.html"));
    std::fs::write(
        dir.join("docs.html"),
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>same origin</title>\n\
         <script src=\"stsplay/embed.js\" defer></script></head><body>\n\
         <sts-playground id=\"same\" example=\"seed\" view=\"console\" autoplay><a href=\"stsplay/\">Open</a></sts-playground>\n\
         </body></html>\n",
    )
    .expect("docs page");
    let base =
        e2e::serve_dist_with_headers(dir, "Access-Control-Allow-Origin: *\r\n").expect("serve");
    let (_driver, port) = start_chromedriver();
    let c = connect_with(port, chrome_caps(1200, 900)).await;
    let observed = async {
        c.goto(&format!("{base}docs.html")).await?;
        let state = wait_until(&c, "same", |v| !v["frame"].is_null()).await?;
        let v = wait_frame(&c, "same", |v| {
            v["consoleText"]
                .as_str()
                .is_some_and(|t| t.contains("created"))
        })
        .await?;
        Ok::<_, fantoccini::error::CmdError>((state, v))
    }
    .await;
    c.close().await.expect("close session");
    let (state, v) = observed.expect("e2e steps");
    assert_eq!(state["frame"]["sandbox"], "allow-scripts", "{state}");
    assert!(
        v["consoleText"]
            .as_str()
            .is_some_and(|t| t.contains("statefulset.apps/nginx-with-init-container created")),
        "{v}"
    );
}

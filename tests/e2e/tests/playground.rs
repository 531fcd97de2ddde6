//! The playground in a real headless Chromium, driven like a learner: by the controls'
//! accessible names (buttons "Apply", "Step", "Back", "Play", "Examples", the slider
//! "Timeline"). Each test opens its own browser (a fresh profile: empty storage).
//!
//! Collect what is needed, always close the session, and only then assert (a panic before
//! `close()` leaves an orphaned Chromium; see `e2e`'s crate doc).

use std::time::Duration;

use e2e::browser::{R, connect_with, run_console, wait_text};
use e2e::{base_url, chrome_caps, chrome_caps_args, start_chromedriver};
use fantoccini::elements::Element;
use fantoccini::{Client, Locator};
use serde_json::{Value, json};

type Caps = serde_json::Map<String, Value>;

/// Open the page and wait for the app.
async fn open(c: &Client, url: &str) -> R<()> {
    c.goto(url).await?;
    c.wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Id("apply"))
        .await?;
    Ok(())
}

/// A button by its accessible name (its text or aria-label).
async fn button(c: &Client, name: &str) -> R<Element> {
    c.find(Locator::XPath(&format!(
        "//button[normalize-space(.)='{name}' or @aria-label='{name}']"
    )))
    .await
}

async fn click(c: &Client, name: &str) -> R<()> {
    button(c, name).await?.click().await
}

async fn timeline(c: &Client) -> R<Element> {
    c.find(Locator::XPath(
        "//*[@role='slider' and @aria-label='Timeline']",
    ))
    .await
}

async fn valuenow(c: &Client) -> R<usize> {
    Ok(timeline(c)
        .await?
        .attr("aria-valuenow")
        .await?
        .and_then(|v| v.parse().ok())
        .unwrap_or(usize::MAX))
}

async fn text(c: &Client, css: &str) -> R<String> {
    match c.find(Locator::Css(css)).await {
        Ok(e) => e.text().await,
        Err(_) => Ok(String::new()),
    }
}

async fn js(c: &Client, script: &str) -> R<Value> {
    c.execute(script, vec![]).await
}

/// A phone: Chromium's mobile emulation at 390×844 CSS pixels (a headless window cannot be
/// made that narrow).
fn phone_caps() -> Caps {
    let mut caps = chrome_caps(800, 900);
    if let Some(o) = caps
        .get_mut("goog:chromeOptions")
        .and_then(Value::as_object_mut)
    {
        o.insert(
            "mobileEmulation".into(),
            json!({"deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 2.0}}),
        );
    }
    caps
}

/// Replace the editor's text by typing it (select all, then type).
async fn type_in_editor(c: &Client, text: &str) -> R<()> {
    let ed = c.find(Locator::Id("editor")).await?;
    ed.click().await?;
    ed.send_keys("\u{E009}a").await?; // Ctrl+A
    ed.send_keys("\u{E017}").await?; // Delete
    ed.send_keys(text).await
}

const WEB: &str = "apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: nginx-headless
  replicas: 2
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
";

#[tokio::test]
async fn paste_apply_step_scrub_back_and_forth_and_play_to_settled() {
    let url = base_url();
    let (_driver, port) = start_chromedriver();
    let c = connect_with(port, chrome_caps(1400, 900)).await;
    let observed = async {
        open(&c, &url).await?;
        type_in_editor(&c, WEB).await?;
        let diag = wait_text(&c, "#diagnostics", |t| t.contains("valid")).await?;
        click(&c, "Apply").await?;
        let pods0 = wait_text(&c, "#pods", |t| t.contains("web-0")).await?;
        let at_apply = valuenow(&c).await?;
        for _ in 0..3 {
            click(&c, "Step").await?;
        }
        let after_steps = valuenow(&c).await?;
        // Scrub back two events with the keyboard, then forward again.
        let tl = timeline(&c).await?;
        tl.send_keys("\u{E012}").await?; // ArrowLeft
        tl.send_keys("\u{E012}").await?;
        let back = valuenow(&c).await?;
        let label_back = text(&c, "#timeline-label").await?;
        let total = tl.attr("aria-valuemax").await?.unwrap_or_default();
        tl.send_keys("\u{E014}").await?; // ArrowRight
        tl.send_keys("\u{E014}").await?;
        let forward = valuenow(&c).await?;
        let total_after = timeline(&c)
            .await?
            .attr("aria-valuemax")
            .await?
            .unwrap_or_default();
        // Play at 16x until it stops by itself.
        let speed = c.find(Locator::Id("speed")).await?;
        speed.select_by_value("16").await?;
        click(&c, "Play").await?;
        let paused = c
            .wait()
            .at_most(Duration::from_secs(60))
            .for_element(Locator::XPath("//button[normalize-space(.)='Play']"))
            .await
            .is_ok();
        let clock = text(&c, "#clock").await?;
        let pods = text(&c, "#pods").await?;
        let console = text(&c, "#console-output").await?;
        Ok::<_, fantoccini::error::CmdError>((
            diag,
            pods0,
            at_apply,
            after_steps,
            back,
            label_back,
            total,
            forward,
            total_after,
            paused,
            clock,
            pods,
            console,
        ))
    }
    .await;
    c.close().await.expect("close session");
    let (
        diag,
        pods0,
        at_apply,
        after_steps,
        back,
        label_back,
        total,
        forward,
        total_after,
        paused,
        clock,
        pods,
        console,
    ) = observed.expect("e2e steps");
    assert!(diag.contains("sts.yaml: valid"), "{diag}");
    assert!(
        pods0.contains("web-0") && !pods0.contains("web-1"),
        "{pods0}"
    );
    assert_eq!(after_steps, at_apply + 3, "one timeline entry per event");
    assert_eq!(back, after_steps - 2, "two events back: {label_back}");
    assert!(
        label_back.contains("entry") && label_back.contains("event"),
        "{label_back}"
    );
    assert_eq!(forward, after_steps);
    assert_eq!(total, total_after, "scrubbing kept the recorded future");
    assert!(paused, "Play stopped by itself when settled");
    assert!(clock.contains("settled"), "{clock}");
    assert!(pods.contains("web-1") && pods.contains("Running"), "{pods}");
    assert!(console.contains("$ sim seek"), "{console}");
    assert!(console.contains("$ sim advance"), "{console}");
}

/// Load each example from the gallery and run its whole script: no line fails.
#[tokio::test]
async fn every_example_loads_and_its_script_runs() {
    let url = base_url();
    let (_driver, port) = start_chromedriver();
    let c = connect_with(port, chrome_caps(1400, 900)).await;
    let observed = async {
        open(&c, &url).await?;
        click(&c, "Examples").await?;
        let mut ids = Vec::new();
        for card in c.find_all(Locator::Css("li[data-example]")).await? {
            ids.push(card.attr("data-example").await?.unwrap_or_default());
        }
        click(&c, "Close").await?;
        let mut results = Vec::new();
        for id in &ids {
            click(&c, "Examples").await?;
            c.find(Locator::Css(&format!("li[data-example='{id}'] button")))
                .await?
                .click()
                .await?;
            if let Ok(b) = button(&c, "Load and replace").await {
                b.click().await?;
            }
            let bar = wait_text(&c, "#example-bar", |t| !t.is_empty()).await?;
            click(&c, "Run the rest").await?;
            let done = wait_text(&c, "#example-bar", |t| t.contains("script done")).await?;
            let failed = c
                .find_all(Locator::Css("#console-output .out.failed"))
                .await?
                .len();
            let console = text(&c, "#console-output").await?;
            results.push((id.clone(), bar, done, failed, console));
            click(&c, "Clear").await?;
        }
        Ok::<_, fantoccini::error::CmdError>((ids, results))
    }
    .await;
    c.close().await.expect("close session");
    let (ids, results) = observed.expect("e2e steps");
    assert_eq!(
        ids,
        [
            "seed",
            "web",
            "web-parallel",
            "canary",
            "ondelete",
            "retention-delete",
            "start-ordinal",
            "postgres",
            "kafka",
            "etcd",
            "deployment-vs-statefulset"
        ]
    );
    for (id, bar, done, failed, console) in results {
        assert!(!bar.is_empty(), "{id}");
        assert!(done.contains("script done"), "{id}: {done}");
        assert_eq!(failed, 0, "{id}: a script line failed:\n{console}");
        assert!(
            console.contains(&format!("$ sim example {id}")),
            "{id}: {console}"
        );
        if id == "deployment-vs-statefulset" {
            // Issue #18: the page's console calls out each difference in our words (delete a
            // pod on either side, scale both, set image on both; `sim why` compares them).
            for callout in [
                "would come back under a new random name",
                "the ReplicaSet replaces web-deploy-",
                "creates pods one at a time in ordinal order",
                "creates or deletes all the missing pods at once",
                "starts up to 2 new pod(s) beyond the 5 (maxSurge 25%)",
                "replaces pods one at a time from the highest ordinal down",
                "names: ",
                "data: ",
            ] {
                assert!(
                    console.contains(callout),
                    "{id}: no {callout:?} in\n{console}"
                );
            }
        }
    }
}

/// The seed card's cheat-sheet, run from the gallery, prints in the console.
#[tokio::test]
async fn the_seed_cheat_sheet_runs_in_the_console() {
    let url = base_url();
    let (_driver, port) = start_chromedriver();
    let c = connect_with(port, chrome_caps(1400, 900)).await;
    let observed = async {
        open(&c, &url).await?;
        click(&c, "Examples").await?;
        c.find(Locator::Css("li[data-example='seed'] button"))
            .await?
            .click()
            .await?;
        for _ in 0..3 {
            click(&c, "Run next line").await?;
        }
        let partial = text(&c, "#console-output").await?;
        click(&c, "Run the rest").await?;
        let out = wait_text(&c, "#console-output", |t| t.contains("Hello from pod")).await?;
        Ok::<_, fantoccini::error::CmdError>((partial, out))
    }
    .await;
    c.close().await.expect("close session");
    let (partial, out) = observed.expect("e2e steps");
    assert!(partial.contains("$ kubectl get pvc"), "{partial}");
    assert!(!partial.contains("$ kubectl scale"), "{partial}");
    for want in [
        "statefulset.apps/nginx-with-init-container created",
        "$ kubectl scale sts nginx-with-init-container --replicas=5",
        "statefulset.apps/nginx-with-init-container scaled",
        "$ kubectl set image sts/nginx-with-init-container nginx=nginx:1.27",
        "partitioned roll out complete: 5 new pods have been updated...",
        "Hello from pod nginx-with-init-container-1",
        "standard (default)   rancher.io/local-path",
    ] {
        assert!(out.contains(want), "missing {want:?} in:\n{out}");
    }
}

/// A manifest error is marked at its line in the gutter and listed with line:col; the location
/// jumps there.
#[tokio::test]
async fn a_diagnostic_is_shown_at_its_line() {
    let url = base_url();
    let (_driver, port) = start_chromedriver();
    let c = connect_with(port, chrome_caps(1400, 900)).await;
    let observed = async {
        open(&c, &url).await?;
        type_in_editor(
            &c,
            "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  replica: 3\n",
        )
        .await?;
        let diag = wait_text(&c, "#diagnostics", |t| t.contains("sts.yaml:6:")).await?;
        let gutter = text(&c, ".gutter .ln.error").await?;
        let underlined = text(&c, ".diag-range").await?;
        c.find(Locator::Css("#diagnostics button.at"))
            .await?
            .click()
            .await?;
        let caret = js(
            &c,
            "const t = document.getElementById('editor'); \
             return t.value.slice(0, t.selectionStart).split('\\n').length;",
        )
        .await?;
        Ok::<_, fantoccini::error::CmdError>((diag, gutter, underlined, caret))
    }
    .await;
    c.close().await.expect("close session");
    let (diag, gutter, underlined, caret) = observed.expect("e2e steps");
    assert!(diag.contains("sts.yaml:6:3"), "{diag}");
    assert!(diag.contains("unknown field \"spec.replica\""), "{diag}");
    assert!(gutter.contains('6'), "the gutter marks line 6: {gutter}");
    assert!(underlined.contains("replica"), "{underlined}");
    assert_eq!(
        caret,
        json!(6),
        "the location button puts the caret on line 6"
    );
}

#[tokio::test]
async fn reload_keeps_files_history_and_timeline_position() {
    let url = base_url();
    let (_driver, port) = start_chromedriver();
    let c = connect_with(port, chrome_caps(1400, 900)).await;
    let observed = async {
        open(&c, &url).await?;
        click(&c, "Apply").await?;
        click(&c, "Settle").await?;
        wait_text(&c, "#clock", |t| t.contains("settled")).await?;
        click(&c, "Back").await?;
        click(&c, "Back").await?;
        c.find(Locator::XPath(
            "//button[@role='tab' and normalize-space(.)='svc.yaml']",
        ))
        .await?
        .click()
        .await?;
        let ed = c.find(Locator::Id("editor")).await?;
        ed.click().await?;
        ed.send_keys("\u{E009}\u{E011}").await?; // Ctrl+Home: the start of the file
        ed.send_keys("# mine\n").await?;
        let before_pos = valuenow(&c).await?;
        let before_max = timeline(&c).await?.attr("aria-valuemax").await?;
        let before_text = ed.prop("value").await?.unwrap_or_default();
        tokio::time::sleep(Duration::from_millis(900)).await;
        c.refresh().await?;
        c.wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Id("apply"))
            .await?;
        let after_pos = valuenow(&c).await?;
        let after_max = timeline(&c).await?.attr("aria-valuemax").await?;
        c.find(Locator::XPath(
            "//button[@role='tab' and normalize-space(.)='svc.yaml']",
        ))
        .await?
        .click()
        .await?;
        let after_text = c
            .find(Locator::Id("editor"))
            .await?
            .prop("value")
            .await?
            .unwrap_or_default();
        let console = text(&c, "#console-output").await?;
        let notice = text(&c, "#notice").await?;
        Ok::<_, fantoccini::error::CmdError>((
            before_pos,
            after_pos,
            before_max,
            after_max,
            before_text,
            after_text,
            console,
            notice,
        ))
    }
    .await;
    c.close().await.expect("close session");
    let (before_pos, after_pos, before_max, after_max, before_text, after_text, console, notice) =
        observed.expect("e2e steps");
    assert!(before_text.starts_with("# mine\n"), "{before_text}");
    assert_eq!(after_text, before_text);
    assert_eq!(after_pos, before_pos, "the timeline position survives");
    assert_eq!(after_max, before_max, "so does the recorded future");
    assert!(console.contains("$ sim settle"), "{console}");
    assert!(console.contains("$ sim back"), "{console}");
    assert!(notice.is_empty(), "{notice}");
}

#[tokio::test]
async fn corrupt_storage_is_set_aside_and_said() {
    let url = base_url();
    let (_driver, port) = start_chromedriver();
    let c = connect_with(port, chrome_caps(1400, 900)).await;
    let observed = async {
        open(&c, &url).await?;
        js(
            &c,
            "localStorage.setItem('stsplay.v1', '{not json'); return true;",
        )
        .await?;
        c.refresh().await?;
        c.wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Id("apply"))
            .await?;
        let notice = wait_text(&c, "#notice", |t| !t.is_empty()).await?;
        let editor = c
            .find(Locator::Id("editor"))
            .await?
            .prop("value")
            .await?
            .unwrap_or_default();
        let kept = js(&c, "return localStorage.getItem('stsplay.v1.unreadable');").await?;
        click(&c, "Apply").await?;
        let pods = wait_text(&c, "#pods", |t| t.contains("-0")).await?;
        Ok::<_, fantoccini::error::CmdError>((notice, editor, kept, pods))
    }
    .await;
    c.close().await.expect("close session");
    let (notice, editor, kept, pods) = observed.expect("e2e steps");
    assert!(
        notice.contains("could not be read (it is not valid JSON)"),
        "{notice}"
    );
    assert!(editor.contains("nginx-with-init-container"), "{editor}");
    assert_eq!(kept, json!("{not json"));
    assert!(pods.contains("nginx-with-init-container-0"), "{pods}");
}

/// Cookies (and with them localStorage) blocked, as in a sandboxed frame or a strict private
/// mode: the page works and says that nothing is saved.
#[tokio::test]
async fn storage_unavailable_keeps_working_and_says_so() {
    let url = base_url();
    let (_driver, port) = start_chromedriver();
    let mut caps = chrome_caps(1400, 900);
    if let Some(o) = caps
        .get_mut("goog:chromeOptions")
        .and_then(Value::as_object_mut)
    {
        o.insert(
            "prefs".into(),
            json!({"profile.default_content_setting_values.cookies": 2}),
        );
    }
    let c = connect_with(port, caps).await;
    let observed = async {
        open(&c, &url).await?;
        let blocked = js(
            &c,
            "try { localStorage.length; return false } catch (e) { return true }",
        )
        .await?;
        let notice = wait_text(&c, "#notice", |t| !t.is_empty()).await?;
        type_in_editor(&c, WEB).await?;
        click(&c, "Apply").await?;
        let pods = wait_text(&c, "#pods", |t| t.contains("web-0")).await?;
        Ok::<_, fantoccini::error::CmdError>((blocked, notice, pods))
    }
    .await;
    c.close().await.expect("close session");
    let (blocked, notice, pods) = observed.expect("e2e steps");
    assert_eq!(blocked, json!(true), "the test really blocked storage");
    assert!(
        // At boot the page says "…: your work will not be saved"; its first save attempt may
        // already have replaced that with "…: your work is not saved" (storage.rs): both say it.
        notice.contains("blocked")
            && (notice.contains("will not be saved") || notice.contains("is not saved")),
        "{notice}"
    );
    assert!(pods.contains("web-0"), "{pods}");
}

#[tokio::test]
async fn full_storage_keeps_the_text_and_says_so() {
    let url = base_url();
    let (_driver, port) = start_chromedriver();
    let c = connect_with(port, chrome_caps(1400, 900)).await;
    let observed = async {
        open(&c, &url).await?;
        // Fill the origin's quota to the brim.
        js(
            &c,
            "let n = 0; for (const size of [1<<20, 1<<16, 1<<12, 1<<8, 16, 1]) { \
               const chunk = 'x'.repeat(size); \
               try { for (;;) localStorage.setItem('fill' + (n++), chunk); } catch (e) {} } \
             return n;",
        )
        .await?;
        type_in_editor(&c, WEB).await?;
        let notice = wait_text(&c, "#notice", |t| t.contains("full")).await?;
        let editor = c
            .find(Locator::Id("editor"))
            .await?
            .prop("value")
            .await?
            .unwrap_or_default();
        Ok::<_, fantoccini::error::CmdError>((notice, editor))
    }
    .await;
    c.close().await.expect("close session");
    let (notice, editor) = observed.expect("e2e steps");
    assert!(notice.contains("browser storage is full"), "{notice}");
    assert_eq!(editor, WEB);
}

#[tokio::test]
async fn phone_layout_has_tabs_and_no_horizontal_scroll() {
    let url = base_url();
    let (_driver, port) = start_chromedriver();
    let c = connect_with(port, phone_caps()).await;
    let overflow = "return [document.documentElement.scrollWidth, document.documentElement.clientWidth, window.innerWidth];";
    let observed = async {
        open(&c, &url).await?;
        let first = js(&c, overflow).await?;
        let width = js(&c, "return window.innerWidth;").await?;
        let tabs = text(&c, ".pane-tabs").await?;
        c.find(Locator::XPath(
            "//button[@role='tab' and normalize-space(.)='Console']",
        ))
        .await?
        .click()
        .await?;
        run_console(&c, "kubectl apply -f svc.yaml -f sts.yaml").await?;
        run_console(&c, "sim settle").await?;
        run_console(&c, "kubectl get pods -o wide").await?;
        let console = wait_text(&c, "#console-output", |t| t.contains("NOMINATED")).await?;
        let with_console = js(&c, overflow).await?;
        c.find(Locator::XPath(
            "//button[@role='tab' and normalize-space(.)='Pods']",
        ))
        .await?
        .click()
        .await?;
        let pods = text(&c, "#pods").await?;
        let with_pods = js(&c, overflow).await?;
        let editor_hidden = c.find(Locator::Id("editor")).await.is_err();
        Ok::<_, fantoccini::error::CmdError>((
            width,
            first,
            tabs,
            console,
            with_console,
            pods,
            with_pods,
            editor_hidden,
        ))
    }
    .await;
    c.close().await.expect("close session");
    let (width, first, tabs, console, with_console, pods, with_pods, editor_hidden) =
        observed.expect("e2e steps");
    assert_eq!(width, json!(390), "the phone's viewport");
    for (what, v) in [
        ("start", first),
        ("console", with_console),
        ("pods", with_pods),
    ] {
        let scroll = v[0].as_u64().unwrap_or(9999);
        let client = v[1].as_u64().unwrap_or(0);
        assert!(scroll <= client, "{what}: page scrolls sideways: {v}");
    }
    for t in ["Files", "Diagram", "Pods", "Events", "Console"] {
        assert!(tabs.contains(t), "{tabs}");
    }
    assert!(console.contains("nginx-with-init-container-2"), "{console}");
    assert!(pods.contains("nginx-with-init-container-0"), "{pods}");
    assert!(
        editor_hidden,
        "one pane at a time: the editor is not rendered"
    );
}

#[tokio::test]
async fn dark_theme_by_toggle_and_by_the_system() {
    let url = base_url();
    let (_driver, port) = start_chromedriver();
    let c = connect_with(port, chrome_caps(1400, 900)).await;
    let bg = "return [document.documentElement.dataset.theme, getComputedStyle(document.body).backgroundColor];";
    let observed = async {
        open(&c, &url).await?;
        let start = js(&c, bg).await?;
        click(&c, "Theme: system").await?;
        let dark = js(&c, bg).await?;
        click(&c, "Theme: dark").await?;
        let light = js(&c, bg).await?;
        Ok::<_, fantoccini::error::CmdError>((start, dark, light))
    }
    .await;
    c.close().await.expect("close session");
    let (start, dark, light) = observed.expect("e2e steps");
    assert_eq!(start, json!(["auto", "rgb(246, 247, 249)"]));
    assert_eq!(dark, json!(["dark", "rgb(13, 17, 23)"]));
    assert_eq!(light, json!(["light", "rgb(246, 247, 249)"]));

    // The system's dark preference, with the theme left on "auto".
    let (_driver, port) = start_chromedriver();
    let c = connect_with(port, chrome_caps_args(1400, 900, &["--force-dark-mode"])).await;
    let observed = async {
        open(&c, &url).await?;
        js(&c, bg).await
    }
    .await;
    c.close().await.expect("close session");
    assert_eq!(
        observed.expect("e2e steps"),
        json!(["auto", "rgb(13, 17, 23)"])
    );
}

/// axe-core's serious and critical violations on the page in its main states.
async fn axe(c: &Client) -> R<Vec<String>> {
    let src = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../node_modules/axe-core/axe.min.js"),
    )
    .expect("node_modules/axe-core (cargo xtask setup installs it)");
    if js(c, "return typeof window.axe").await? != json!("object") {
        c.execute(&format!("{src}\n;return true;"), vec![]).await?;
    }
    let v = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { resultTypes: ['violations'] }).then(r => done(
               r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                 .map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at ' +
                      v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))
             )).catch(e => done(['axe failed: ' + e]));",
            vec![],
        )
        .await?;
    Ok(v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_else(|| vec![format!("unexpected: {v}")]))
}

#[tokio::test]
async fn axe_finds_no_serious_or_critical_violations() {
    let url = base_url();
    let (_driver, port) = start_chromedriver();
    let c = connect_with(port, chrome_caps(1400, 900)).await;
    let observed = async {
        let mut found: Vec<(String, Vec<String>)> = Vec::new();
        open(&c, &url).await?;
        found.push(("fresh page".into(), axe(&c).await?));
        click(&c, "Apply").await?;
        click(&c, "Step").await?;
        wait_text(&c, "#pods", |t| t.contains("-0")).await?;
        found.push(("after apply".into(), axe(&c).await?));
        click(&c, "Examples").await?;
        found.push(("examples dialog".into(), axe(&c).await?));
        click(&c, "Close").await?;
        click(&c, "Keyboard shortcuts").await?;
        found.push(("shortcuts dialog".into(), axe(&c).await?));
        click(&c, "Close").await?;
        click(&c, "Theme: system").await?;
        click(&c, "Settle").await?;
        found.push(("dark, settled".into(), axe(&c).await?));
        type_in_editor(&c, "kind: StatefulSet\nspec:\n  replica: 3\n").await?;
        found.push(("dark, diagnostics".into(), axe(&c).await?));
        Ok::<_, fantoccini::error::CmdError>(found)
    }
    .await;
    c.close().await.expect("close session");
    let found = observed.expect("e2e steps");

    let (_driver, port) = start_chromedriver();
    let c = connect_with(port, phone_caps()).await;
    let phone = async {
        open(&c, &url).await?;
        axe(&c).await
    }
    .await;
    c.close().await.expect("close session");
    let phone = phone.expect("e2e steps");
    let all: Vec<String> = found
        .iter()
        .chain(std::iter::once(&("phone".to_string(), phone)))
        .flat_map(|(state, v)| v.iter().map(move |x| format!("{state}: {x}")))
        .collect();
    assert!(all.is_empty(), "{all:#?}");
}

/// Writes the figures `cargo xtask bench` reports: time to interactive and the UI's update time
/// per step at 3 and 100 replicas (median of 40 steps; each step is a click on Step, then the
/// render and a forced layout). Ignored in the normal run: a report, not a timed test.
#[tokio::test]
#[ignore]
async fn bench_report() {
    let url = base_url();
    let (_driver, port) = start_chromedriver();
    let c = connect_with(port, chrome_caps(1400, 900)).await;
    let observed = async {
        let mut lines = Vec::new();
        for round in 0..3 {
            open(&c, &format!("{url}?r={round}")).await?;
            let tti = js(
                &c,
                "const m = performance.getEntriesByName('stsplay-ready')[0]; \
                 const nav = performance.getEntriesByType('navigation')[0]; \
                 return [m ? m.startTime : -1, nav ? nav.domContentLoadedEventEnd : -1];",
            )
            .await?;
            lines.push(format!(
                "time to interactive (performance.mark stsplay-ready): {:.0} ms (DOMContentLoaded {:.0} ms)",
                tti[0].as_f64().unwrap_or(-1.0),
                tti[1].as_f64().unwrap_or(-1.0)
            ));
        }
        for replicas in [3, 100] {
            open(&c, &url).await?;
            js(&c, "localStorage.clear(); return true;").await?;
            run_console(&c, "sim reset").await?;
            let sts = c
                .find(Locator::Id("editor"))
                .await?
                .prop("value")
                .await?
                .unwrap_or_default()
                .replace("replicas: 3", &format!("replicas: {replicas}"));
            c.execute(
                "const t = document.getElementById('editor'); t.value = arguments[0]; \
                 t.dispatchEvent(new InputEvent('input', {bubbles: true})); return true;",
                vec![json!(sts)],
            )
            .await?;
            click(&c, "Apply").await?;
            // Into the rollout: the pods exist and events are pending.
            run_console(&c, &format!("sim step {}", replicas * 8)).await?;
            let v = c
                .execute_async(
                    "const done = arguments[arguments.length - 1];
                     (async () => {
                       const times = [];
                       const step = document.getElementById('step');
                       for (let i = 0; i < 40; i++) {
                         const t0 = performance.now();
                         step.click();
                         await new Promise(r => setTimeout(r, 0));
                         document.body.offsetHeight;
                         times.push(performance.now() - t0);
                       }
                       times.sort((a, b) => a - b);
                       return [times[20], times[36], document.querySelectorAll('#pods tbody tr').length];
                     })().then(done);",
                    vec![],
                )
                .await?;
            lines.push(format!(
                "UI update per step at {replicas} replicas: median {:.1} ms, p90 {:.1} ms ({} pod rows)",
                v[0].as_f64().unwrap_or(-1.0),
                v[1].as_f64().unwrap_or(-1.0),
                v[2]
            ));
        }
        Ok::<_, fantoccini::error::CmdError>(lines)
    }
    .await;
    c.close().await.expect("close session");
    for l in observed.expect("bench steps") {
        println!("bench: {l}");
    }
}

/// Writes the README's screenshots when STSPLAY_SCREENSHOTS names a directory (`cargo xtask
/// screenshot`): light, dark, phone, and an example mid-rollout. Ignored in the normal run.
#[tokio::test]
#[ignore]
async fn screenshots() {
    let Ok(dir) = std::env::var("STSPLAY_SCREENSHOTS") else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    let _ = std::fs::create_dir_all(&dir);
    let url = base_url();
    let mut shots: Vec<(&str, Vec<u8>)> = Vec::new();
    for (name, w, h) in [
        ("light", 1440, 900),
        ("dark", 1440, 900),
        ("phone", 390, 844),
    ] {
        let (_driver, port) = start_chromedriver();
        let caps = if name == "phone" {
            phone_caps()
        } else {
            chrome_caps(w, h)
        };
        let c = connect_with(port, caps).await;
        let shot = async {
            open(&c, &url).await?;
            if name == "dark" {
                click(&c, "Theme: system").await?;
            }
            click(&c, "Apply").await?;
            if name == "phone" {
                c.find(Locator::XPath(
                    "//button[@role='tab' and normalize-space(.)='Console']",
                ))
                .await?
                .click()
                .await?;
            }
            run_console(&c, "sim step 14").await?;
            if name == "phone" {
                c.find(Locator::XPath(
                    "//button[@role='tab' and normalize-space(.)='Pods']",
                ))
                .await?
                .click()
                .await?;
            } else {
                run_console(&c, "kubectl get pods -l app=nginx").await?;
            }
            tokio::time::sleep(Duration::from_millis(400)).await;
            c.screenshot().await
        }
        .await;
        c.close().await.expect("close session");
        shots.push((name, shot.expect("screenshot")));
    }
    // An example mid-rollout: the canary after its new image, web-2 replaced first.
    let (_driver, port) = start_chromedriver();
    let c = connect_with(port, chrome_caps(1440, 900)).await;
    let shot = async {
        open(&c, &url).await?;
        click(&c, "Examples").await?;
        c.find(Locator::Css("li[data-example='canary'] button"))
            .await?
            .click()
            .await?;
        for _ in 0..3 {
            click(&c, "Run next line").await?;
        }
        run_console(&c, "sim step 3").await?;
        tokio::time::sleep(Duration::from_millis(400)).await;
        c.screenshot().await
    }
    .await;
    c.close().await.expect("close session");
    shots.push(("example-canary", shot.expect("screenshot")));
    for (name, png) in shots {
        let p = dir.join(format!("{name}.png"));
        std::fs::write(&p, png).expect("write screenshot");
        println!("wrote {}", p.display());
    }
}

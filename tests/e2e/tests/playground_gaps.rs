//! Issue #13's last gaps and the per-step update's shape, in a real headless Chromium on the
//! release build: loading an example replaces the editor's tabs; the timeline position is said
//! once; a step moves no existing timeline mark and rewrites no fault button (counted with a
//! MutationObserver, not timed); Tab completion still sees objects created after the page
//! loaded (its names are read when Tab is pressed, no longer after every step).
//!
//! Collect what is needed, always close the session, and only then assert.

use std::time::Duration;

use e2e::browser::R;
use e2e::{base_url, start_chromedriver};
use fantoccini::{Client, Locator};
use serde_json::Value;

async fn session() -> (e2e::KillOnDrop, Client) {
    let (driver, port) = start_chromedriver();
    let c = e2e::browser::connect(port, 1280, 800).await;
    (driver, c)
}

async fn open(c: &Client) -> R<()> {
    c.goto(&base_url()).await?;
    c.wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Id("apply"))
        .await?;
    Ok(())
}

async fn click_css(c: &Client, css: &str) -> R<()> {
    c.find(Locator::Css(css)).await?.click().await
}

async fn click(c: &Client, name: &str) -> R<()> {
    c.find(Locator::XPath(&format!(
        "//button[normalize-space(.)='{name}' or @aria-label='{name}']"
    )))
    .await?
    .click()
    .await
}

/// The editor's tabs, in order.
async fn tabs(c: &Client) -> R<Vec<String>> {
    let v = c
        .execute(
            "return [...document.querySelectorAll('[role=tablist][aria-label=Files] [role=tab]')]\
             .map(t => t.textContent.trim());",
            vec![],
        )
        .await?;
    Ok(v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default())
}

/// Load a gallery example through the Examples dialog, answering "Load and replace" if asked.
async fn load(c: &Client, id: &str) -> R<()> {
    click(c, "Examples").await?;
    click_css(c, &format!("li[data-example='{id}'] button")).await?;
    if let Ok(b) = c
        .find(Locator::XPath(
            "//button[normalize-space(.)='Load and replace']",
        ))
        .await
    {
        b.click().await?;
    }
    Ok(())
}

#[tokio::test]
async fn loading_an_example_replaces_the_editors_tabs() {
    let (_driver, c) = session().await;
    let got = async {
        open(&c).await?;
        let seed = tabs(&c).await?;
        load(&c, "web").await?;
        let web = tabs(&c).await?;
        // A cluster history to lose: the dialog asks first, then replaces.
        click(&c, "Apply").await?;
        load(&c, "postgres").await?;
        let pg = tabs(&c).await?;
        load(&c, "seed").await?;
        let back = tabs(&c).await?;
        Ok::<_, fantoccini::error::CmdError>((seed, web, pg, back))
    }
    .await;
    c.close().await.expect("close");
    let (seed, web, pg, back) = got.expect("browser");
    assert_eq!(seed, ["sts.yaml", "svc.yaml"]);
    assert_eq!(web, ["web.yaml"], "the seed's tabs are gone");
    assert_eq!(pg, ["postgres.yaml"], "the previous example's tab is gone");
    assert_eq!(back, ["sts.yaml", "svc.yaml"]);
}

#[tokio::test]
async fn an_unsaved_edit_to_a_file_the_example_lacks_is_not_lost_without_asking() {
    let (_driver, c) = session().await;
    let got = async {
        open(&c).await?;
        c.execute(
            "const t = document.getElementById('editor'); t.value = t.value + '# mine\\n';\
             t.dispatchEvent(new InputEvent('input', {bubbles: true})); return true;",
            vec![],
        )
        .await?;
        click(&c, "Examples").await?;
        click_css(&c, "li[data-example='web'] button").await?;
        let asked = c.find(Locator::Id("confirm-text")).await?.text().await?;
        click(&c, "Keep my work").await?;
        let kept = tabs(&c).await?;
        let text = c
            .find(Locator::Id("editor"))
            .await?
            .prop("value")
            .await?
            .unwrap_or_default();
        Ok::<_, fantoccini::error::CmdError>((asked, kept, text))
    }
    .await;
    c.close().await.expect("close");
    let (asked, kept, text) = got.expect("browser");
    assert!(asked.contains("sts.yaml"), "names the edited file: {asked}");
    assert_eq!(kept, ["sts.yaml", "svc.yaml"]);
    assert!(text.ends_with("# mine\n"), "{text}");
}

#[tokio::test]
async fn the_timeline_position_is_said_once() {
    let (_driver, c) = session().await;
    let got = async {
        open(&c).await?;
        click(&c, "Apply").await?;
        click(&c, "Step").await?;
        click(&c, "Step").await?;
        // Rendered text only (innerText): the slider's aria-valuetext is for screen readers.
        c.execute(
            "return document.body.innerText.match(/entry \\d+ of \\d+/g);",
            vec![],
        )
        .await
    }
    .await;
    c.close().await.expect("close");
    let found = got.expect("browser");
    let found: Vec<&str> = found
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    assert_eq!(found.len(), 1, "{found:?}");
}

/// Count the DOM writes one Step makes to what did not change: the existing timeline marks
/// (positioned in entry units and titled without the total, so a new entry rewrites none of
/// them) and the pods table's fault buttons (static: one click listener for the table reads
/// the row's name).
const COUNT_WRITES: &str = r#"
const done = arguments[arguments.length - 1];
const marks = document.querySelector('#timeline .marks');
const before = new Set(marks.querySelectorAll('.mark'));
const writes = { marks: 0, buttons: 0, pods: document.querySelectorAll('#pods tbody tr').length, marksBefore: before.size };
const seen = new MutationObserver(records => {
  for (const r of records) {
    const el = r.target.nodeType === 1 ? r.target : r.target.parentElement;
    const mark = el && el.closest('.mark');
    if ((mark && before.has(mark)) || [...r.removedNodes].some(n => before.has(n))) writes.marks++;
    if (el && el.closest('#pods button')) writes.buttons++;
  }
});
seen.observe(document.getElementById('timeline'), { subtree: true, attributes: true, childList: true, characterData: true });
seen.observe(document.getElementById('pods'), { subtree: true, attributes: true, childList: true, characterData: true });
document.getElementById('step').click();
setTimeout(() => { writes.marksAfter = marks.querySelectorAll('.mark').length; seen.disconnect(); done(writes); }, 50);
"#;

#[tokio::test]
async fn a_step_rewrites_no_timeline_mark_and_no_fault_button() {
    let (_driver, c) = session().await;
    let got = async {
        open(&c).await?;
        c.execute(
            "const t = document.getElementById('editor'); t.value = t.value.replace(/replicas: \\d+/, 'replicas: 12');\
             t.dispatchEvent(new InputEvent('input', {bubbles: true})); return true;",
            vec![],
        )
        .await?;
        click(&c, "Apply").await?;
        for _ in 0..30 {
            click(&c, "Step").await?;
        }
        let writes = c.execute_async(COUNT_WRITES, vec![]).await?;
        // The fault buttons still issue their lines after all those renders.
        click_css(&c, "tr[data-name='nginx-with-init-container-0'] button[title='sim why pod/NAME']")
            .await?;
        let out = c
            .find(Locator::Id("console-output"))
            .await?
            .text()
            .await?;
        Ok::<_, fantoccini::error::CmdError>((writes, out))
    }
    .await;
    c.close().await.expect("close");
    let (w, out) = got.expect("browser");
    let n = |k: &str| w[k].as_u64().unwrap_or(u64::MAX);
    assert!(n("pods") >= 1, "{w}");
    assert!(n("marksBefore") >= 20, "{w}");
    assert!(
        n("marksAfter") > n("marksBefore"),
        "the step added a mark: {w}"
    );
    assert_eq!(n("marks"), 0, "existing marks untouched: {w}");
    assert_eq!(n("buttons"), 0, "fault buttons untouched: {w}");
    assert!(
        out.contains("$ sim why pod/nginx-with-init-container-0"),
        "{out}"
    );
}

#[tokio::test]
async fn tab_completes_a_pod_created_after_the_page_loaded() {
    let (_driver, c) = session().await;
    let got = async {
        open(&c).await?;
        click(&c, "Apply").await?;
        click(&c, "Settle").await?;
        let input = c.find(Locator::Id("console-input")).await?;
        input
            .send_keys("kubectl logs nginx-with-init-container-")
            .await?;
        input.send_keys("\u{E004}").await?;
        c.find(Locator::Id("completions")).await?.text().await
    }
    .await;
    c.close().await.expect("close");
    let shown = got.expect("browser");
    for i in 0..3 {
        assert!(
            shown.contains(&format!("nginx-with-init-container-{i}")),
            "{shown}"
        );
    }
}

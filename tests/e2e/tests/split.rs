//! The second wasm module (issue #17, xtask/src/split.rs): the page starts with the primary
//! alone; a first visit (Apply, Step, Back, Settle, `kubectl get`) never needs the secondary;
//! the first call into the secondary loads it on demand and gives the same output; when the
//! page is idle the secondary is fetched and linked ahead of use; and with stored work it is
//! linked before start.
//!
//! `record_first_visit_profile` (ignored) is the first visit `cargo xtask split-profile`
//! records on an instrumented build to write web/split-cold.txt.
//!
//! Collect what is needed, always close the session, and only then assert.

use std::time::Duration;

use e2e::browser::{R, connect, run_console, wait_text};
use e2e::{base_url, start_chromedriver};
use fantoccini::{Client, Locator};
use serde_json::Value;

async fn open(c: &Client, url: &str) -> R<()> {
    c.goto(url).await?;
    c.wait()
        .at_most(Duration::from_secs(60))
        .for_element(Locator::Id("apply"))
        .await?;
    Ok(())
}

async fn click(c: &Client, name: &str) -> R<()> {
    c.find(Locator::XPath(&format!(
        "//button[normalize-space(.)='{name}' or @aria-label='{name}']"
    )))
    .await?
    .click()
    .await
}

async fn js(c: &Client, script: &str) -> R<Value> {
    c.execute(script, vec![]).await
}

/// `window.__stsplay_split` (web/boot.js).
async fn split_state(c: &Client) -> R<Value> {
    js(c, "return window.__stsplay_split || null;").await
}

/// The first visit the profile describes: the seed (StatefulSet nginx-with-init-container)
/// applied, stepped, stepped back, settled; the theme toggled; the usual `kubectl get`s.
async fn first_visit(c: &Client) -> R<String> {
    click(c, "Apply").await?;
    wait_text(c, "#pods", |t| t.contains("nginx-with-init-container-0")).await?;
    click(c, "Step").await?;
    click(c, "Step").await?;
    click(c, "Back").await?;
    click(c, "Settle").await?;
    wait_text(c, "#clock", |t| t.contains("settled")).await?;
    // the theme: system -> dark -> light
    click(c, "Theme: system").await?;
    click(c, "Theme: dark").await?;
    for line in [
        "kubectl get pods",
        "kubectl get pvc",
        "kubectl get statefulsets",
        "kubectl get pods -o wide",
        "kubectl get sts,svc,pvc",
        // and the usual slips: a name that is not there, an empty namespace, an unknown verb
        "kubectl get pod nginx-with-init-container-9",
        "kubectl get pods -n nothere",
        "kubectl gte pods",
    ] {
        run_console(c, line).await?;
    }
    wait_text(c, "#console-output", |t| t.contains("$ kubectl gte pods")).await
}

#[tokio::test]
async fn first_visit_runs_in_the_primary_alone() {
    let (_driver, port) = start_chromedriver();
    let url = base_url();
    let c = connect(port, 1280, 900).await;
    let r: R<_> = async {
        // a fresh profile (nothing stored) and the idle fetch off, so that a call into the
        // secondary shows as a load on demand
        open(&c, &format!("{url}?prefetch=off")).await?;
        let at_start = split_state(&c).await?;
        let get = first_visit(&c).await?;
        let after_visit = split_state(&c).await?;
        run_console(&c, "kubectl describe pod nginx-with-init-container-0").await?;
        let describe = wait_text(&c, "#console-output", |t| {
            t.contains("Controlled By:  StatefulSet/nginx-with-init-container")
        })
        .await?;
        let after_describe = split_state(&c).await?;
        Ok((at_start, get, after_visit, describe, after_describe))
    }
    .await;
    c.close().await.ok();
    let (at_start, get, after_visit, describe, after_describe) = r.expect("webdriver");
    assert_eq!(
        at_start["demand"], 0,
        "startup ran in the primary: {at_start}"
    );
    assert!(get.contains("data-nginx-with-init-container-2"), "{get}");
    assert_eq!(
        after_visit["demand"], 0,
        "the first visit called into the secondary: web/split-cold.txt lists a function it runs; \
         run `cargo xtask split-profile` ({after_visit})"
    );
    assert_eq!(after_visit["linked"], false, "{after_visit}");
    assert!(
        describe.contains("Controlled By:  StatefulSet/nginx-with-init-container"),
        "{describe}"
    );
    assert_eq!(
        after_describe["demand"], 1,
        "describe lives in the secondary and loaded it on demand: {after_describe}"
    );
    assert_eq!(after_describe["linked"], true, "{after_describe}");
}

#[tokio::test]
async fn stored_work_links_the_secondary_before_start() {
    let (_driver, port) = start_chromedriver();
    let url = format!("{}?prefetch=off", base_url());
    let c = connect(port, 1280, 900).await;
    let r: R<_> = async {
        open(&c, &url).await?;
        first_visit(&c).await?;
        let first = split_state(&c).await?;
        // the page again (after the debounced save): the stored files and history come back
        tokio::time::sleep(Duration::from_millis(800)).await;
        open(&c, &url).await?;
        let pods = wait_text(&c, "#pods", |t| t.contains("nginx-with-init-container-2")).await?;
        let again = split_state(&c).await?;
        Ok((first, pods, again))
    }
    .await;
    c.close().await.ok();
    let (first, pods, again) = r.expect("webdriver");
    assert_eq!(first["linked"], false, "a first visit: {first}");
    assert!(
        pods.contains("nginx-with-init-container-2"),
        "restored: {pods}"
    );
    assert_eq!(again["linked"], true, "linked before start: {again}");
    assert_eq!(again["demand"], 0, "{again}");
}

#[tokio::test]
async fn the_secondary_is_fetched_when_the_page_is_idle() {
    let (_driver, port) = start_chromedriver();
    let url = base_url();
    let c = connect(port, 1280, 900).await;
    let r: R<_> = async {
        open(&c, &url).await?;
        let mut state = split_state(&c).await?;
        for _ in 0..100 {
            if state["linked"] == true || !state["error"].is_null() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
            state = split_state(&c).await?;
        }
        let fetched: Value = js(
            &c,
            "return performance.getEntriesByType('resource').map(e => e.name).filter(n => n.endsWith('.2.wasm'));",
        )
        .await?;
        run_console(&c, "kubectl explain statefulset.spec.replicas").await?;
        let explain = wait_text(&c, "#console-output", |t| t.contains("FIELD: replicas")).await?;
        let after = split_state(&c).await?;
        Ok((state, fetched, explain, after))
    }
    .await;
    c.close().await.ok();
    let (state, fetched, explain, after) = r.expect("webdriver");
    assert_eq!(state["linked"], true, "linked when idle: {state}");
    assert_eq!(state["idle"], true, "{state}");
    assert_eq!(state["demand"], 0, "{state}");
    assert_eq!(
        fetched.as_array().map(Vec::len),
        Some(1),
        "fetched once: {fetched}"
    );
    assert!(explain.contains("FIELD: replicas"), "{explain}");
    assert_eq!(after["demand"], 0, "no second load: {after}");
}

/// The profile run of `cargo xtask split-profile` (an instrumented build in dist/): writes the
/// indices of the functions the first visit ran to `$STSPLAY_PROFILE_OUT`.
#[tokio::test]
#[ignore = "run by `cargo xtask split-profile` on an instrumented build"]
async fn record_first_visit_profile() {
    let out = std::env::var("STSPLAY_PROFILE_OUT").expect("STSPLAY_PROFILE_OUT");
    let (_driver, port) = start_chromedriver();
    let url = base_url();
    let c = connect(port, 1280, 900).await;
    let r: R<_> = async {
        open(&c, &url).await?;
        first_visit(&c).await?;
        // and the phone layout
        c.set_window_size(390, 844).await?;
        tokio::time::sleep(Duration::from_millis(500)).await;
        js(&c, "return Array.from(window.__stsplay_profile || []);").await
    }
    .await;
    c.close().await.ok();
    let marked = r.expect("webdriver");
    let list: Vec<String> = marked
        .as_array()
        .expect("an array of indices")
        .iter()
        .map(|v| v.to_string())
        .collect();
    assert!(
        list.len() > 100,
        "the build is instrumented: {}",
        list.len()
    );
    std::fs::write(out, list.join("\n")).expect("write the profile");
}

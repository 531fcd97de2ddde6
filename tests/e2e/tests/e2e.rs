//! End-to-end: the release bundle in a real headless Chromium, clicked through like a user.

use std::time::Duration;

use e2e::browser::{R, connect, open_console, run_console, wait_text};
use e2e::{base_url, start_chromedriver};
use fantoccini::{Client, Locator};

async fn text_of(c: &Client, css: &str) -> R<String> {
    c.find(Locator::Css(css)).await?.text().await
}

#[tokio::test]
async fn apply_creates_the_seed_pods_in_order() {
    let url = base_url();
    let (_driver, port) = start_chromedriver();
    let c = connect(port, 1400, 900).await;
    let observed = async {
        c.goto(&url).await?;
        c.wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Id("apply"))
            .await?;
        let editor = c
            .find(Locator::Id("editor"))
            .await?
            .prop("value")
            .await?
            .unwrap_or_default();
        c.find(Locator::Id("apply")).await?.click().await?;
        let after_apply =
            wait_text(&c, "#pods", |t| t.contains("nginx-with-init-container-0")).await?;
        c.find(Locator::Id("settle")).await?.click().await?;
        let settled = wait_text(&c, "#pods", |t| t.contains("nginx-with-init-container-2")).await?;
        let console = text_of(&c, "#console-output").await?;
        Ok::<_, fantoccini::error::CmdError>((editor, after_apply, settled, console))
    }
    .await;
    c.close().await.expect("close session");
    let (editor, after_apply, settled, console) = observed.expect("e2e steps");
    assert!(
        editor.contains("name: nginx-with-init-container"),
        "editor holds the seed: {editor}"
    );
    assert!(
        after_apply.contains("nginx-with-init-container-0"),
        "pods after apply: {after_apply}"
    );
    assert!(
        !after_apply.contains("nginx-with-init-container-1"),
        "OrderedReady: pod 1 must wait for pod 0: {after_apply}"
    );
    assert!(
        settled.contains("nginx-with-init-container-2"),
        "pods after settle: {settled}"
    );
    assert!(
        console.contains("statefulset.apps/nginx-with-init-container created"),
        "console: {console}"
    );
}

#[tokio::test]
async fn console_runs_kubectl_and_reports_errors() {
    let url = base_url();
    let (_driver, port) = start_chromedriver();
    let c = connect(port, 1400, 900).await;
    let observed = async {
        open_console(&c, &url).await?;
        run_console(&c, "kubectl apply -f sts.yaml").await?;
        run_console(&c, "sim settle").await?;
        run_console(&c, "kubectl get pods").await?;
        run_console(&c, "kubectl delete pod web-1").await?;
        let out = wait_text(&c, "#console-output", |t| t.contains("hint:")).await?;
        Ok::<_, fantoccini::error::CmdError>(out)
    }
    .await;
    c.close().await.expect("close session");
    let out = observed.expect("e2e steps");
    assert!(
        out.contains("NAME                          READY   STATUS    RESTARTS   AGE"),
        "{out}"
    );
    assert!(
        out.contains("Error from server (NotFound): pods \"web-1\" not found"),
        "{out}"
    );
}

/// Writes the README screenshot when STSPLAY_SCREENSHOT names the output file
/// (`cargo xtask screenshot`). Ignored in the normal run.
#[tokio::test]
#[ignore]
async fn readme_screenshot() {
    let Ok(out) = std::env::var("STSPLAY_SCREENSHOT") else {
        return;
    };
    let url = base_url();
    let (_driver, port) = start_chromedriver();
    let c = connect(port, 1680, 1050).await;
    let shot = async {
        c.goto(&url).await?;
        c.wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Id("apply"))
            .await?;
        c.find(Locator::Id("apply")).await?.click().await?;
        c.find(Locator::Id("settle")).await?.click().await?;
        run_console(&c, "kubectl get pods -l app=nginx").await?;
        tokio::time::sleep(Duration::from_millis(500)).await;
        c.screenshot().await
    }
    .await;
    c.close().await.expect("close session");
    std::fs::write(&out, shot.expect("screenshot")).expect("write screenshot");
}

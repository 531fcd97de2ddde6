//! End-to-end (tutorials area): `kubectl get pods --watch -l app=nginx` typed in the console
//! stays live in its own pane: Step prints kubectl's lines there, other commands leave it
//! live, its Stop button (by accessible name) and Ctrl-C end it.

use std::time::Duration;

use e2e::browser::{connect, open_console, run_console};
use e2e::{base_url, start_chromedriver};
use fantoccini::{Client, Locator};

async fn text_of(c: &Client, css: &str) -> String {
    match c.find(Locator::Css(css)).await {
        Ok(e) => e.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    }
}

async fn wait_text(c: &Client, css: &str, pred: impl Fn(&str) -> bool) -> String {
    let start = std::time::Instant::now();
    loop {
        let t = text_of(c, css).await;
        if pred(&t) || start.elapsed() > Duration::from_secs(20) {
            return t;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

const PANE: &str = "[role='log'][aria-label='watch 1: kubectl get pods --watch -l app=nginx']";

/// A kubectl `get pods` row: NAME READY STATUS RESTARTS AGE, separated by at least 3 spaces
/// (kubectl's tabwriter padding).
fn is_pod_row(l: &str) -> bool {
    let cells: Vec<&str> = l
        .split("   ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    let [name, ready, status, restarts, age] = cells.as_slice() else {
        return false;
    };
    name.starts_with("web-")
        && ready.contains('/')
        && ["Pending", "ContainerCreating", "Running", "Terminating"].contains(status)
        && restarts.parse::<u32>().is_ok()
        && age.starts_with(|c: char| c.is_ascii_digit())
}

#[tokio::test]
async fn a_watch_stays_live_in_its_pane_until_stopped() {
    let url = base_url();
    let (_driver, port) = start_chromedriver();
    let c = connect(port, 1400, 900).await;
    let observed = async {
        open_console(&c, &url).await?;
        run_console(&c, "kubectl get pods --watch -l app=nginx").await?;
        c.wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css(PANE))
            .await?;
        run_console(
            &c,
            "kubectl apply -f https://k8s.io/examples/application/web/web.yaml",
        )
        .await?;
        let first = wait_text(&c, PANE, |t| t.contains("web-0")).await;
        // Step (the toolbar's button, by its name) until web-0 runs and web-1 appears.
        let step = c
            .find(Locator::XPath("//button[normalize-space()='Step']"))
            .await?;
        for _ in 0..60 {
            if text_of(&c, PANE).await.contains("web-1") {
                break;
            }
            step.click().await?;
        }
        let stepped = text_of(&c, PANE).await;
        // Other commands: the watch stays live and prints what they change.
        run_console(&c, "kubectl get pvc").await?;
        run_console(&c, "kubectl delete pod web-0").await?;
        let after_delete = wait_text(&c, PANE, |t| {
            t.len() > stepped.len() && t.contains("Terminating")
        })
        .await;
        let console = text_of(&c, "#console-output").await;
        // A second watch, stopped with Ctrl-C in the console (the newest one).
        run_console(&c, "kubectl get sts -w").await?;
        c.wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css("button[aria-label='Stop watch 2']"))
            .await?;
        c.find(Locator::Id("console-input"))
            .await?
            .send_keys("\u{E009}c")
            .await?;
        let mut two_gone = false;
        for _ in 0..100 {
            if c.find_all(Locator::Css("button[aria-label='Stop watch 2']"))
                .await?
                .is_empty()
            {
                two_gone = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let one_still = !c.find_all(Locator::Css(PANE)).await?.is_empty();
        // Stop by the button's accessible name.
        c.find(Locator::Css("button[aria-label='Stop watch 1']"))
            .await?
            .click()
            .await?;
        let mut one_gone = false;
        for _ in 0..100 {
            if c.find_all(Locator::Css(PANE)).await?.is_empty() {
                one_gone = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let end_console = wait_text(&c, "#console-output", |t| {
            t.contains("stopped watch 1: kubectl get pods --watch -l app=nginx")
        })
        .await;
        Ok::<_, fantoccini::error::CmdError>((
            first,
            stepped,
            after_delete,
            console,
            two_gone,
            one_still,
            one_gone,
            end_console,
        ))
    }
    .await;
    c.close().await.expect("close session");
    let (first, stepped, after_delete, console, two_gone, one_still, one_gone, end_console) =
        observed.expect("e2e steps");
    assert!(
        first.starts_with(
            "NAME    READY   STATUS    RESTARTS   AGE\nweb-0   0/1     Pending   0          0s"
        ),
        "{first}"
    );
    let lines: Vec<&str> = stepped.lines().collect();
    assert!(lines.len() > 3, "{stepped}");
    assert_eq!(
        lines.iter().filter(|l| l.starts_with("NAME")).count(),
        1,
        "one header: {stepped}"
    );
    assert!(
        lines.iter().skip(1).all(|l| is_pod_row(l)),
        "every line is a kubectl row: {stepped}"
    );
    assert!(stepped.contains("Running"), "{stepped}");
    assert!(after_delete.starts_with(&stepped), "{after_delete}");
    assert!(after_delete.contains("Terminating"), "{after_delete}");
    // The console kept its own output: `get pvc`'s table, and kubectl's delete message.
    assert!(console.contains("www-web-0"), "{console}");
    assert!(console.contains("pod \"web-0\" deleted"), "{console}");
    assert!(two_gone, "Ctrl-C stopped the newest watch");
    assert!(one_still, "the older watch stayed");
    assert!(one_gone, "Stop watch 1 closed its pane");
    assert!(end_console.contains("$ sim watch stop 1"), "{end_console}");
}

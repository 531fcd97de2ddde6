//! End-to-end (tutorials area): the kubernetes.io tutorial's lines in the page's console, a
//! tour walked by its buttons (found by accessible name), and the "Export for kind" button.

use e2e::browser::{R, connect, open_console, run_console, wait_text};
use e2e::{base_url, start_chromedriver};
use fantoccini::{Client, Locator};

#[tokio::test]
async fn the_tutorial_lines_run_as_printed_and_a_tour_walks() {
    let url = base_url();
    let (_driver, port) = start_chromedriver();
    let c = connect(port, 1400, 900).await;
    let observed = async {
        open_console(&c, &url).await?;
        run_console(
            &c,
            "kubectl apply -f https://k8s.io/examples/application/web/web.yaml",
        )
        .await?;
        run_console(&c, "sim settle").await?;
        run_console(
            &c,
            "for i in 0 1; do kubectl exec \"web-$i\" -- sh -c 'hostname'; done",
        )
        .await?;
        run_console(
            &c,
            "kubectl run -i --tty --image busybox:1.28 dns-test --restart=Never --rm",
        )
        .await?;
        run_console(&c, "nslookup web-0.nginx").await?;
        run_console(&c, "exit").await?;
        let out = wait_text(&c, "#console-output", |t| {
            t.contains("pod \"dns-test\" deleted")
        })
        .await?;
        // A tour, by the buttons' accessible names.
        c.find(Locator::Css(
            "button[aria-label='Start tour: StatefulSet Basics']",
        ))
        .await?
        .click()
        .await?;
        let step = wait_text(&c, ".tour-step", |t| t.starts_with("Step 1/")).await?;
        c.find(Locator::Css("button[aria-label='Tour: run this step']"))
            .await?
            .click()
            .await?;
        let verdict = wait_text(&c, ".tour-verdict", |t| t.starts_with("prediction:")).await?;
        let export = c.find(Locator::Id("export-kind")).await?.text().await?;
        Ok::<_, fantoccini::error::CmdError>((out, step, verdict, export))
    }
    .await;
    c.close().await.expect("close session");
    let (out, step, verdict, export) = observed.expect("e2e steps");
    assert!(
        out.contains("service/nginx created\nstatefulset.apps/web created"),
        "{out}"
    );
    assert!(out.contains("web-0\nweb-1"), "{out}");
    assert!(out.contains("/ # nslookup web-0.nginx"), "{out}");
    assert!(
        out.contains("Address 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local"),
        "{out}"
    );
    assert_eq!(step, "Step 1/20: Creating a StatefulSet");
    assert_eq!(verdict, "prediction: the simulation says web-0");
    assert_eq!(export, "Export for kind");
}

async fn timeline_pos(c: &Client) -> R<usize> {
    let v = c
        .find(Locator::Css("[role='slider'][aria-label='Timeline']"))
        .await?
        .attr("aria-valuenow")
        .await?
        .unwrap_or_default();
    Ok(v.parse().unwrap_or(usize::MAX))
}

async fn click_name(c: &Client, name: &str) -> R<()> {
    c.find(Locator::Css(&format!("button[aria-label='{name}']")))
        .await?
        .click()
        .await
}

#[tokio::test]
async fn a_tour_from_the_gallery_steps_with_the_timeline() {
    let url = base_url();
    let (_driver, port) = start_chromedriver();
    let c = connect(port, 1400, 900).await;
    let observed = async {
        open_console(&c, &url).await?;
        // The Examples gallery lists the tours; Start issues `sim tour NAME`.
        c.find(Locator::XPath("//button[normalize-space()='Examples']"))
            .await?
            .click()
            .await?;
        click_name(&c, "Start The Sticky-Pod Orchestra").await?;
        let s1 = wait_text(&c, ".tour-step", |t| t.starts_with("Step 1/")).await?;
        let p0 = timeline_pos(&c).await?;
        click_name(&c, "Tour: run this step").await?;
        wait_text(&c, ".tour-step", |t| t.starts_with("Step 2/")).await?;
        let p1 = timeline_pos(&c).await?;
        click_name(&c, "Tour: run this step").await?;
        wait_text(&c, ".tour-step", |t| t.starts_with("Step 3/")).await?;
        let p2 = timeline_pos(&c).await?;
        // Back: the timeline goes back to where step 2 began.
        click_name(&c, "Tour: step back").await?;
        let back = wait_text(&c, ".tour-step", |t| t.starts_with("Step 2/")).await?;
        let p_back = timeline_pos(&c).await?;
        // Run step again: redone from the kept future.
        click_name(&c, "Tour: run this step").await?;
        wait_text(&c, ".tour-step", |t| t.starts_with("Step 3/")).await?;
        let p_redo = timeline_pos(&c).await?;
        // Scrub the timeline to its start (Home): the tour is back at step 1.
        let slider = c
            .find(Locator::Css("[role='slider'][aria-label='Timeline']"))
            .await?;
        slider.click().await?;
        slider.send_keys("\u{E011}").await?; // Home
        let scrubbed = wait_text(&c, ".tour-step", |t| t.starts_with("Step 1/")).await?;
        let out = wait_text(&c, "#console-output", |t| {
            t.contains("hint: the tour follows the timeline: back to step 1")
        })
        .await?;
        Ok::<_, fantoccini::error::CmdError>((s1, p0, p1, p2, back, p_back, p_redo, scrubbed, out))
    }
    .await;
    c.close().await.expect("close session");
    let (s1, p0, p1, p2, back, p_back, p_redo, scrubbed, out) = observed.expect("e2e steps");
    assert!(s1.starts_with("Step 1/11"), "{s1}");
    assert!(p0 < p1 && p1 < p2, "{p0} {p1} {p2}");
    assert!(back.starts_with("Step 2/"), "{back}");
    assert_eq!(p_back, p1);
    assert_eq!(p_redo, p2);
    assert!(out.contains("$ sim tour sticky-pod-orchestra"), "{out}");
    assert!(
        out.contains("(redo: this step is still in the timeline"),
        "{out}"
    );
    assert!(scrubbed.starts_with("Step 1/"), "{scrubbed}");
}

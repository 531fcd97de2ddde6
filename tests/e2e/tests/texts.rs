//! End-to-end: the gallery's, tours' and k8s.io examples' texts are not in the wasm; the page
//! fetches `texts.json` at boot (crates/kubectl/src/texts.rs), and what needs a text waits for
//! it. A host without the file: one clear message, the seed still works.

use std::time::Duration;

use e2e::browser::{connect, open_console, run_console, wait_text};
use e2e::{base_url, dist_dir, serve_dist_without, start_chromedriver};
use fantoccini::Locator;

/// A sentence of examples/kafka/README.md (the gallery's "What to watch" of `kafka`).
const KAFKA_README: &str = "KRaft mode (broker and controller in one process)";

fn wasm_bytes() -> Vec<u8> {
    let dist = dist_dir();
    let wasm = std::fs::read_dir(&dist)
        .expect("dist/")
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "wasm"))
        .expect("a wasm in dist/");
    std::fs::read(wasm).expect("read the wasm")
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[tokio::test]
async fn the_gallery_texts_are_fetched_on_first_use() {
    // Not in the wasm: a line of an example's README, of a tour, of a k8s.io example.
    let readme = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/kafka/README.md"
    ))
    .expect("README");
    let line = readme
        .lines()
        .find(|l| l.len() > 40 && l.contains(KAFKA_README))
        .expect("a long README line")
        .to_string();
    let wasm = wasm_bytes();
    assert!(
        !contains(&wasm, &line),
        "the README line is in the wasm: {line}"
    );
    assert!(!contains(&wasm, "## Scale up, in order"));
    assert!(!contains(&wasm, "zk-hs.default.svc.cluster.local"));
    let data = std::fs::read_to_string(dist_dir().join("texts.json")).expect("dist/texts.json");
    assert!(data.contains(&line.replace('"', "\\\"")));

    let url = base_url();
    let (_driver, port) = start_chromedriver();
    let c = connect(port, 1400, 900).await;
    let observed = async {
        open_console(&c, &url).await?;
        c.find(Locator::XPath("//button[normalize-space()='Examples']"))
            .await?
            .click()
            .await?;
        let card = wait_text(&c, "li[data-example='kafka']", |t| !t.is_empty()).await?;
        c.find(Locator::Css("li[data-example='kafka'] summary"))
            .await?
            .click()
            .await?;
        let watch = wait_text(&c, "li[data-example='kafka'] details", |t| {
            t.contains(KAFKA_README)
        })
        .await?;
        let tours = wait_text(&c, "li[data-tour='statefulset-basics']", |t| !t.is_empty()).await?;
        Ok::<_, fantoccini::error::CmdError>((card, watch, tours))
    }
    .await;
    c.close().await.expect("close session");
    let (card, watch, tours) = observed.expect("e2e steps");
    assert!(card.contains("kafka: KRaft brokers"), "{card}");
    assert!(watch.contains(KAFKA_README), "{watch}");
    assert!(tours.contains("StatefulSet Basics"), "{tours}");
}

#[tokio::test]
async fn a_host_without_the_texts_says_so_and_the_seed_still_works() {
    let url = serve_dist_without(dist_dir(), "texts.json").expect("serve dist/");
    let (_driver, port) = start_chromedriver();
    let c = connect(port, 1400, 900).await;
    let observed = async {
        open_console(&c, &url).await?;
        let notice = wait_text(&c, "#notice", |t| t.contains("could not load")).await?;
        run_console(
            &c,
            "kubectl apply -f https://k8s.io/examples/application/web/web.yaml",
        )
        .await?;
        run_console(&c, "kubectl apply -f svc.yaml -f sts.yaml").await?;
        let out = wait_text(&c, "#console-output", |t| {
            t.contains("statefulset.apps/nginx-with-init-container created")
        })
        .await?;
        tokio::time::sleep(Duration::from_millis(100)).await;
        Ok::<_, fantoccini::error::CmdError>((notice, out))
    }
    .await;
    c.close().await.expect("close session");
    let (notice, out) = observed.expect("e2e steps");
    assert!(
        notice.contains(
            "stsplay could not load its examples, tours and tutorial files (texts.json: HTTP 404)"
        ),
        "{notice}"
    );
    assert!(
        out.contains("error: stsplay could not load its examples"),
        "{out}"
    );
    assert!(!out.contains("has no network access"), "{out}");
    assert!(
        out.contains("statefulset.apps/nginx-with-init-container created"),
        "{out}"
    );
}

/// Stored work that loaded an example (a text fetched on first use) comes back after a reload:
/// the example's lines run again once the texts are here, and "Run next line" goes on after
/// the lines it ran before the reload.
#[tokio::test]
async fn stored_work_with_an_example_comes_back_after_a_reload() {
    let url = base_url();
    let (_driver, port) = start_chromedriver();
    let c = connect(port, 1400, 900).await;
    let observed = async {
        open_console(&c, &url).await?;
        run_console(&c, "sim example canary").await?;
        wait_text(&c, "#console-output", |t| t.contains("canary")).await?;
        for _ in 0..2 {
            c.find(Locator::Id("run-next")).await?.click().await?;
        }
        wait_text(&c, "#console-output", |t| {
            t.contains("$ kubectl rollout status sts/web")
        })
        .await?;
        // the work is stored a moment after the last change
        tokio::time::sleep(Duration::from_millis(900)).await;
        c.refresh().await?;
        c.wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Id("console-input"))
            .await?;
        let restored = wait_text(&c, "#console-output", |t| {
            t.contains("$ kubectl rollout status sts/web")
        })
        .await?;
        c.wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Id("run-next"))
            .await?;
        c.find(Locator::Id("run-next")).await?.click().await?;
        let after = wait_text(&c, "#console-output", |t| {
            t.contains("$ kubectl set image sts/web")
        })
        .await?;
        let notice = e2e::browser::text_or_empty(&c, "#notice").await;
        Ok::<_, fantoccini::error::CmdError>((restored, after, notice))
    }
    .await;
    c.close().await.expect("close session");
    let (restored, after, notice) = observed.expect("e2e steps");
    assert!(!restored.contains("error"), "{restored}");
    assert!(
        restored.contains("statefulset.apps/web created"),
        "{restored}"
    );
    assert_eq!(
        after.matches("$ kubectl apply -f web.yaml").count(),
        1,
        "Run next went on, not back to the first line: {after}"
    );
    assert!(
        after.contains("$ kubectl set image sts/web nginx=registry.k8s.io/nginx-slim:0.24"),
        "{after}"
    );
    assert!(!notice.contains("could not"), "{notice}");
}

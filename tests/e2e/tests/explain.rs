//! End-to-end: `kubectl explain`'s schemas (crates/kubectl/k8s-explain.txt, from Kubernetes
//! v1.35's OpenAPI v3) are not in the wasm; the page fetches them with the other texts
//! (`texts.json`), and a typed `kubectl explain` waits for them like `kubectl help` does.

use e2e::browser::{connect, open_console, run_console, wait_text};
use e2e::{base_url, dist_dir, start_chromedriver};

/// RollingUpdateStatefulSetStrategy's `partition` (apis__apps__v1_openapi.json), as wrapped.
const PARTITION: &str = "Partition indicates the ordinal at which the StatefulSet should be";

#[tokio::test]
async fn kubectl_explain_reads_the_fetched_schemas() {
    let dist = dist_dir();
    let wasm = std::fs::read_dir(&dist)
        .expect("dist/")
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "wasm"))
        .expect("a wasm in dist/");
    let wasm = std::fs::read(wasm).expect("read the wasm");
    let needle = b"the StatefulSet should be partitioned for updates";
    assert!(
        !wasm.windows(needle.len()).any(|w| w == needle),
        "a schema description is in the wasm"
    );

    let url = base_url();
    let (_driver, port) = start_chromedriver();
    let c = connect(port, 1400, 900).await;
    let observed = async {
        open_console(&c, &url).await?;
        run_console(&c, "kubectl explain sts.spec.updateStrategy.rollingUpdate").await?;
        wait_text(&c, "#console-output", |t| t.contains(PARTITION)).await
    }
    .await;
    c.close().await.expect("close session");
    let out = observed.expect("e2e steps");
    assert!(
        out.contains("FIELD: rollingUpdate <RollingUpdateStatefulSetStrategy>"),
        "{out}"
    );
    assert!(out.contains("<IntOrString>"), "{out}");
}

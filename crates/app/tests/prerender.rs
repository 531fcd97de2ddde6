//! The page's first view shows the seed's settled diagram before the wasm has loaded (and
//! embeds use it as their poster): `web/generated/seed-diagram.svg`, rendered here by the
//! native simulation exactly as the app would draw it after Apply + Settle. This test
//! regenerates it and fails when the committed file is stale (a change to the sim, the seed or
//! the diagram's SVG export); `STSPLAY_BLESS=1 cargo test -p app --test prerender` rewrites it.
//! Native only: in the browser test run this file is empty.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

fn seed_settled_svg() -> String {
    let mut session = kubectl::Session::new();
    for line in [app::APPLY_LINE, "sim settle"] {
        let out = session.run_line(line);
        assert!(out.ok, "{line}: {}", out.combined);
    }
    let graph = diagram::build(session.cluster().store(), "default");
    assert!(!graph.nodes.is_empty(), "the settled seed draws something");
    diagram::to_svg(&diagram::layout(&graph))
}

#[test]
fn seed_diagram_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/generated/seed-diagram.svg");
    let want = seed_settled_svg();
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    if have != want {
        if std::env::var_os("STSPLAY_BLESS").is_some() {
            std::fs::write(&path, &want).expect("write web/generated/seed-diagram.svg");
        } else {
            panic!(
                "web/generated/seed-diagram.svg is stale; run `STSPLAY_BLESS=1 cargo test -p app --test prerender` \
                 and look at the new file"
            );
        }
    }
    // it goes into index.html as is: one root element, no script, a few KB
    assert!(want.starts_with("<svg ") && want.trim_end().ends_with("</svg>"));
    assert!(!want.contains("<script"));
    assert!(want.len() < 16 * 1024, "{} bytes", want.len());
}

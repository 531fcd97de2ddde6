#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

//! Issue 18: the sim's modules import each other as a tree (no cycle), so a reader can start
//! from any file and never come back to it; `state` is what every part shares and imports none
//! of the parts. The reader of the sources is `support/modgraph.rs`.

#[path = "support/modgraph.rs"]
mod modgraph;

use std::path::Path;

fn src() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn sim_modules_import_each_other_without_a_cycle() {
    let g = modgraph::assert_acyclic(&src());
    // The reader sees the imports it must see (else an empty graph would pass).
    assert!(g.modules.len() > 50, "{} modules", g.modules.len());
    assert!(g.has_edge("cluster", "event_loop"));
    assert!(g.has_edge(
        "controller::statefulset::stateful_set",
        "controller::statefulset::stateful_set_control"
    ));
    assert!(g.has_edge(
        "controller::deployment::rolling",
        "controller::deployment::sync"
    ));
    // Through a re-export: `crate::controller::ReplicaMemo` lives in the StatefulSet's memo.
    assert!(g.has_edge("store", "controller::statefulset::memo"));
}

#[test]
fn state_imports_none_of_the_parts() {
    let g = modgraph::read(&src());
    let parts = [
        "cluster",
        "event_loop",
        "apiserver",
        "controller",
        "kubelet",
        "kind",
        "scheduler",
        "volumes",
    ];
    for (from, tos) in &g.edges {
        if from.first().map(String::as_str) != Some("state") {
            continue;
        }
        for to in tos {
            let top = to.first().map(String::as_str).unwrap_or("");
            assert!(!parts.contains(&top), "state imports {}", to.join("::"));
        }
    }
}

/// The reader finds a cycle when there is one (a test of the test).
#[test]
fn a_cycle_is_found_and_named() {
    let dir = std::env::temp_dir().join(format!("stsplay-modgraph-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("a")).unwrap();
    std::fs::write(dir.join("lib.rs"), "mod a;\nmod b;\npub use b::Thing;\n").unwrap();
    std::fs::write(
        dir.join("a/mod.rs"),
        "mod c;\npub(crate) use c::C;\n// crate::b::x in a comment\n",
    )
    .unwrap();
    // c -> b through the crate root's re-export; b -> a::c through a's re-export.
    std::fs::write(
        dir.join("a/c.rs"),
        "use crate::{Thing, b::{self}};\nfn f() -> &'static str { \"crate::a\" }\npub struct C;\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("b.rs"),
        "pub struct Thing(crate::a::C);\n#[cfg(test)]\nmod tests { use crate::a; }\n",
    )
    .unwrap();
    let g = modgraph::read(&dir);
    assert_eq!(g.cycles(), vec![vec!["a::c".to_string(), "b".to_string()]]);
    assert!(!g.has_edge("b", "a"), "b names a::C, which lives in a::c");
    std::fs::write(dir.join("b.rs"), "pub struct Thing;\n").unwrap();
    assert!(modgraph::read(&dir).cycles().is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}

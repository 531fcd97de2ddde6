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
    // Through a re-export: `crate::controller::WorkQueue` lives in the StatefulSet's
    // `stateful_set`.
    assert!(g.has_edge("replay", "controller::statefulset::stateful_set"));
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

/// Issue 18: the folders (top-level modules: `apiserver`, `controller`, `kubelet`, `kind`,
/// `store`, …) import each other as a DAG too, and so do `controller`'s own folders. The
/// direction, documented in ARCHITECTURE.md: the cluster's parts (`event_loop`, `apiserver`,
/// `controller`, `kubelet`, `scheduler`, `volumes`, …) → `state` → `store`; the store defines
/// the seam a controller's cache plugs into (`store::ClaimWatcher`) instead of importing the
/// controller.
#[test]
fn folders_import_each_other_without_a_cycle() {
    let g = modgraph::read(&src());
    for depth in [1, 2] {
        let f = g.folders(depth);
        let cycles = f.cycles();
        let report: String = cycles
            .iter()
            .map(|c| format!("cycle among {}:\n{}", c.join(", "), f.explain(c)))
            .collect();
        assert!(
            cycles.is_empty(),
            "folder cycles at depth {depth}:\n{report}"
        );
    }
    let top = g.folders(1);
    assert!(top.has_edge("controller", "store"));
    assert!(top.has_edge("apiserver", "store"));
    assert!(top.has_edge("kubelet", "state"));
    assert!(top.has_edge("state", "store"));
    for low in ["store", "state"] {
        for part in [
            "controller",
            "apiserver",
            "kubelet",
            "kind",
            "event_loop",
            "cluster",
        ] {
            assert!(!top.has_edge(low, part), "{low} imports {part}");
        }
    }
}

/// The folder graph finds a cycle that only shows between folders (a test of the test).
#[test]
fn a_folder_cycle_is_found() {
    let dir = std::env::temp_dir().join(format!("stsplay-foldergraph-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("a")).unwrap();
    std::fs::write(dir.join("lib.rs"), "mod a;\nmod b;\n").unwrap();
    std::fs::write(dir.join("a/mod.rs"), "mod x;\nmod y;\n").unwrap();
    // a::x -> b -> a::y: no module cycle, but a folder cycle a -> b -> a.
    std::fs::write(dir.join("a/x.rs"), "pub struct X(crate::b::B);\n").unwrap();
    std::fs::write(dir.join("a/y.rs"), "pub struct Y;\n").unwrap();
    std::fs::write(dir.join("b.rs"), "pub struct B(crate::a::y::Y);\n").unwrap();
    let g = modgraph::read(&dir);
    assert!(g.cycles().is_empty());
    assert_eq!(
        g.folders(1).cycles(),
        vec![vec!["a".to_string(), "b".to_string()]]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

//! Issue 18: kubectl's modules import each other as a tree (`Out` and the shared verb helpers
//! live in `out` and `cmdutil`, not in `session`). The reader is sim's `support/modgraph.rs`.

#[path = "../../sim/tests/support/modgraph.rs"]
mod modgraph;

#[test]
fn kubectl_modules_import_each_other_without_a_cycle() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let g = modgraph::assert_acyclic(&src);
    assert!(g.modules.len() > 30, "{} modules", g.modules.len());
    assert!(g.has_edge("verbs::rollout_deployment", "verbs::rollout_watch"));
    assert!(g.has_edge("runner", "out"));
    assert!(g.has_edge("runner", "session"));
}

/// Issue 18: and as a DAG of folders (`verbs/` is one node beside the top-level files).
#[test]
fn kubectl_folders_import_each_other_without_a_cycle() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let f = modgraph::read(&src).folders(1);
    let cycles = f.cycles();
    let report: String = cycles
        .iter()
        .map(|c| format!("cycle among {}:\n{}", c.join(", "), f.explain(c)))
        .collect();
    assert!(cycles.is_empty(), "folder cycles:\n{report}");
    assert!(f.has_edge("verbs", "cmdutil"));
}

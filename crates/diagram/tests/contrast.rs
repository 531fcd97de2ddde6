//! Issue 18's contrast in the diagram: `sim contrast` puts the Deployment a user would write
//! next to the StatefulSet, and the picture draws both: the set's rows by ordinal, each pod
//! with its own claim; the Deployment's pods under their ReplicaSet, all mounting one claim.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::*;
use diagram::{
    EdgeKind, Kind, LayoutOptions, Options, SceneOptions, Status, describe, layout, scene,
    to_mermaid, to_svg,
};

const DEPLOY: &str = "nginx-with-init-container-deploy";

fn contrast() -> kubectl::Session {
    let mut s = settled();
    run(&mut s, "sim contrast");
    run(&mut s, "sim settle");
    s
}

#[test]
fn the_deployment_is_a_group_of_its_own_with_its_replica_set_and_one_shared_claim() {
    let s = contrast();
    let g = graph(&s);
    assert_eq!(g.groups.len(), 2, "{}", dump_graph(&g));
    let (sts, dep) = (&g.groups[0], &g.groups[1]);
    assert_eq!(g.nodes[sts.head].kind, Kind::StatefulSet);
    assert_eq!(g.nodes[dep.head].kind, Kind::Deployment);
    assert_eq!(g.nodes[dep.head].name, DEPLOY);
    assert_eq!(dep.key, format!("group/deploy/{DEPLOY}"));
    assert_eq!(dep.subheads.len(), 1);
    let rs = &g.nodes[dep.subheads[0]];
    assert_eq!(rs.kind, Kind::ReplicaSet);
    assert!(rs.name.starts_with(&format!("{DEPLOY}-")), "{}", rs.name);
    assert_eq!(dep.rows.len(), 3);
    for row in &dep.rows {
        assert_eq!(row.ordinal, None);
        assert_eq!(row.owner, dep.subheads[0]);
        let pod = &g.nodes[row.pod];
        // `<replicaset>-<5 characters>`, not an ordinal.
        assert_eq!(pod.name.len(), rs.name.len() + 6, "{}", pod.name);
        assert!(pod.name.starts_with(&rs.name));
        assert_eq!(pod.status, Status::Ready);
    }
    // The StatefulSet's three claims, one per ordinal; the Deployment's one claim, drawn in
    // its first row only and mounted by all three pods.
    let shared: Vec<usize> = g
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.kind == Kind::Claim && n.name.ends_with(DEPLOY))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(shared.len(), 1, "{}", dump_graph(&g));
    assert_eq!(count(&g, |n| n.kind == Kind::Claim), 4);
    assert_eq!(dep.rows[0].claims.len(), 1);
    assert_eq!(dep.rows[0].claims[0].claim, shared[0]);
    assert!(dep.rows[1..].iter().all(|r| r.claims.is_empty()));
    let mounts = g
        .edges
        .iter()
        .filter(|e| e.kind == EdgeKind::Mounts && e.to == shared[0])
        .count();
    assert_eq!(mounts, 3);
    assert_eq!(
        status_of(&g, &format!("pvc/{}", g.nodes[shared[0]].name)),
        Status::Ready
    );
    insta::assert_snapshot!("contrast_graph", dump_graph(&g));
}

#[test]
fn both_groups_are_laid_out_side_by_side_without_overlap_and_export() {
    let s = contrast();
    let g = graph(&s);
    for side_by_side in [false, true] {
        let l = layout(
            &g,
            &LayoutOptions {
                side_by_side,
                ..LayoutOptions::default()
            },
        );
        assert_no_overlap(&g, &l);
        // Every object of the Deployment's group has one box.
        let dep = &g.groups[1];
        let ids = std::iter::once(dep.head)
            .chain(dep.subheads.iter().copied())
            .chain(dep.rows.iter().map(|r| r.pod))
            .chain(
                dep.rows
                    .iter()
                    .flat_map(|r| r.claims.iter().map(|c| c.claim)),
            );
        for id in ids {
            assert_eq!(
                l.boxes.iter().filter(|b| b.node == id).count(),
                1,
                "{}",
                g.nodes[id].key
            );
        }
        let sts = l.frames[0].rect;
        let dep = l.frames[1].rect;
        if side_by_side {
            assert!(dep.x >= sts.right(), "{sts:?} {dep:?}");
        } else {
            assert!(dep.y >= sts.bottom(), "{sts:?} {dep:?}");
        }
        let svg = to_svg(&scene(&g, &l, &SceneOptions::default()));
        let doc = roxmltree::Document::parse(&svg).expect("the SVG is XML");
        let texts: String = doc
            .descendants()
            .filter_map(|n| n.text())
            .collect::<Vec<_>>()
            .join(" ");
        assert!(texts.contains(DEPLOY), "{texts}");
    }
    // Mermaid: every edge between declared nodes (no empty ids).
    let m = to_mermaid(&build_mermaid(&s));
    assert!(m.contains(&format!("Deployment: {DEPLOY}")), "{m}");
    for line in m
        .lines()
        .filter(|l| l.contains("-->") || l.contains("-.->"))
    {
        let t = line.trim();
        assert!(
            !t.starts_with("-") && !t.ends_with('>'),
            "dangling edge: {line}\n{m}"
        );
    }
    // The text alternative names the Deployment, its ReplicaSet and says how its pods are named.
    let d = describe(&g);
    assert!(d.contains(&format!("Deployment {DEPLOY}: ready")), "{d}");
    assert!(d.contains("ReplicaSet "), "{d}");
    assert!(d.contains("random suffix"), "{d}");
}

fn build_mermaid(s: &kubectl::Session) -> diagram::Graph {
    graph_with(s, &Options::mermaid())
}

#[test]
fn a_rollout_draws_the_new_replica_set_above_the_old_one_with_pods_under_each() {
    let mut s = contrast();
    run(
        &mut s,
        &format!("kubectl set image deploy/{DEPLOY} nginx=nginx:1.28"),
    );
    // Step until both ReplicaSets have pods.
    let mut seen = false;
    for _ in 0..40 {
        run(&mut s, "sim step");
        let g = graph(&s);
        let dep = &g.groups[1];
        let with_pods = dep
            .subheads
            .iter()
            .filter(|sh| dep.rows.iter().any(|r| r.owner == **sh))
            .count();
        if with_pods == 2 {
            seen = true;
            let newest = &g.nodes[dep.subheads[0]];
            assert_eq!(
                newest.line3.as_deref(),
                Some("revision 2"),
                "{}",
                dump_graph(&g)
            );
            assert_eq!(
                g.nodes[dep.subheads[1]].line3.as_deref(),
                Some("revision 1")
            );
            assert_eq!(g.nodes[dep.head].status, Status::Progressing);
            // Rows follow their ReplicaSet: the new one's pods first.
            let owners: Vec<usize> = dep.rows.iter().map(|r| r.owner).collect();
            let mut sorted = owners.clone();
            sorted.sort_by_key(|o| dep.subheads.iter().position(|s| s == o));
            assert_eq!(owners, sorted);
            let l = layout(&g, &LayoutOptions::default());
            assert_no_overlap(&g, &l);
            // Each ReplicaSet's owns lines run down a bus of their own.
            let bus = |sh: usize| -> Vec<i32> {
                let mut xs: Vec<i32> = l
                    .routes
                    .iter()
                    .filter(|r| {
                        let e = &g.edges[r.edge];
                        e.kind == EdgeKind::Owns && e.from == sh
                    })
                    .map(|r| r.points[1].0)
                    .collect();
                xs.dedup();
                xs
            };
            let (a, b) = (bus(dep.subheads[0]), bus(dep.subheads[1]));
            assert_eq!((a.len(), b.len()), (1, 1), "{a:?} {b:?}");
            assert_ne!(a, b);
            break;
        }
    }
    assert!(seen, "never saw both ReplicaSets with pods");
    run(&mut s, "sim settle");
    let g = graph(&s);
    let dep = &g.groups[1];
    // Settled: the old ReplicaSet (0 replicas, no pods) is no longer drawn.
    assert_eq!(dep.subheads.len(), 1, "{}", dump_graph(&g));
    assert_eq!(g.nodes[dep.head].line3.as_deref(), Some("revision 2"));
    assert_eq!(g.nodes[dep.head].status, Status::Ready);
}

/// Issue 18 §3 / issue 14's aggregation: a Deployment of hundreds of pods draws as its first
/// pods and one range per ReplicaSet ("… N more pods: N Running"), not a box per pod; the
/// threshold is the StatefulSet's (`Options::full_rows`).
#[test]
fn a_deployment_of_hundreds_of_pods_draws_ranges_per_replica_set() {
    let mut s = contrast();
    run(
        &mut s,
        &format!("kubectl scale deploy {DEPLOY} --replicas=12"),
    );
    run(&mut s, "sim settle");
    let small = Options {
        full_rows: 10,
        head_rows: 4,
        ..Options::default()
    };
    // At the threshold: one row per pod.
    let at = Options {
        full_rows: 12,
        ..small.clone()
    };
    let g = graph_with(&s, &at);
    let dep = &g.groups[1];
    assert_eq!(dep.rows.len(), 12);
    assert!(!dep.aggregated);
    assert!(dep.rows.iter().all(|r| g.nodes[r.pod].aggregate.is_none()));
    // One over: the first 4 pods, then one range of the 8 others, Running.
    let g = graph_with(&s, &small);
    let dep = &g.groups[1];
    assert!(dep.aggregated, "{}", dump_graph(&g));
    assert_eq!(dep.rows.len(), 5, "{}", dump_graph(&g));
    let range = &g.nodes[dep.rows[4].pod];
    let agg = range.aggregate.as_ref().expect("a range");
    assert_eq!((agg.first, agg.last, agg.total()), (4, 11, 8));
    assert_eq!(range.detail, "8 pods: 8 Running", "{}", range.detail);
    assert!(range.name.ends_with("… 8 more pods"), "{}", range.name);
    assert_eq!(dep.rows[4].owner, dep.subheads[0]);
    // The range mounts the shared claim (drawn once, in the first row).
    let claim = dep.rows[0].claims[0].claim;
    assert!(
        g.edges
            .iter()
            .any(|e| e.kind == EdgeKind::Mounts && e.from == dep.rows[4].pod && e.to == claim)
    );
    assert_eq!(
        g.nodes
            .iter()
            .filter(|n| n.kind == Kind::Claim && n.name.ends_with(DEPLOY))
            .count(),
        1
    );

    // Past the default threshold (300 rows): bounded, every pod counted.
    run(
        &mut s,
        &format!("kubectl scale deploy {DEPLOY} --replicas=320"),
    );
    run(&mut s, "sim settle");
    let g = graph(&s);
    let dep = &g.groups[1];
    assert!(dep.rows.len() <= 101 + 8, "{} rows", dep.rows.len());
    let drawn: u32 = dep
        .rows
        .iter()
        .map(|r| g.nodes[r.pod].aggregate.as_ref().map_or(1, |a| a.total()))
        .sum();
    assert_eq!(drawn, 320);
    let l = layout(&g, &LayoutOptions::default());
    assert!(l.height < 4000, "{}", l.height);
    let _ = to_svg(&scene(&g, &l, &SceneOptions::default()));
    let _ = to_mermaid(&graph_with(&s, &Options::mermaid()));
}

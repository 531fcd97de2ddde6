//! The diagram of real simulation states: the seed at every step, updates, scale-down with
//! retained claims, delete and recreate, faults, Parallel, lanes, and big sets.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::*;
use diagram::{
    EdgeKind, Kind, LayoutOptions, Options, RevisionRole, Status, changed, layout, to_mermaid,
};

fn key(kind: &str, ord: u32) -> String {
    match kind {
        "pod" => format!("pod/{SET}-{ord}"),
        "pvc" => format!("pvc/data-{SET}-{ord}"),
        "pv" => format!("pv@pvc/data-{SET}-{ord}"),
        _ => unreachable!(),
    }
}

#[test]
fn settled_seed_graph() {
    let s = settled();
    let g = graph(&s);
    assert_eq!(count(&g, |n| n.kind == Kind::StatefulSet), 1);
    assert_eq!(count(&g, |n| n.kind == Kind::Service), 1);
    assert_eq!(count(&g, |n| n.kind == Kind::Pod), 3);
    assert_eq!(count(&g, |n| n.kind == Kind::Claim), 3);
    assert_eq!(
        count(&g, |n| n.kind == Kind::Volume && !n.name.is_empty()),
        3
    );
    assert!(g.nodes.iter().all(|n| n.status == Status::Ready), "{g:#?}");
    assert!(g.nodes.iter().all(|n| n.why.is_empty()));
    insta::assert_snapshot!("settled_seed_graph", dump_graph(&g));
}

#[test]
fn the_ordered_ready_chain_is_drawn_as_the_seed_card_draws_it() {
    let g = graph(&settled());
    let chain: Vec<(String, String)> = g
        .edges
        .iter()
        .filter(|e| e.kind == EdgeKind::Owns)
        .map(|e| (e.text().to_string(), g.nodes[e.to].name.clone()))
        .collect();
    assert_eq!(
        chain,
        vec![
            ("ordered".into(), format!("{SET}-0")),
            ("after-0".into(), format!("{SET}-1")),
            ("after-1".into(), format!("{SET}-2")),
        ]
    );
    assert!(g.groups[0].ordered);
    // The mermaid export carries the same words.
    let m = to_mermaid(&g);
    assert!(m.contains("s0 -->|ordered| p0_0\n"), "{m}");
    assert!(m.contains("s0 -->|after-0| p0_1\n"), "{m}");
    assert!(m.contains("s0 -->|after-1| p0_2\n"), "{m}");
}

#[test]
fn parallel_sets_have_no_chain() {
    let mut s = seed_with(3, "Parallel");
    run(&mut s, "sim settle");
    let g = graph(&s);
    assert!(!g.groups[0].ordered);
    let owns: Vec<_> = g
        .edges
        .iter()
        .filter(|e| e.kind == EdgeKind::Owns)
        .collect();
    assert_eq!(owns.len(), 3);
    assert!(owns.iter().all(|e| e.label.is_none()), "{owns:?}");
    let m = to_mermaid(&g);
    assert!(!m.contains("ordered|") && !m.contains("after-"), "{m}");
    assert!(m.contains("s0 -->|owns| p0_0"), "{m}");
}

/// Every step of the seed, from apply to settled: where each object is and what it shows.
/// The rows never change in the seed, so no object ever moves.
#[test]
fn seed_positions_at_every_step() {
    let mut s = applied();
    let mut out = String::new();
    let (g0, l0) = both(&s);
    out.push_str("== applied\n");
    out.push_str(&dump_layout(&g0, &l0));
    let mut frames = vec![(g0, l0)];
    let mut n = 0;
    while let Some(r) = s.cluster_mut().step() {
        n += 1;
        let (g, l) = both(&s);
        assert_no_overlap(&g, &l);
        out.push_str(&format!("== step {n} [{}] {}\n", r.time, r.description));
        out.push_str(&dump_layout(&g, &l));
        frames.push((g, l));
        assert!(n < 200, "the seed settles");
    }
    insta::assert_snapshot!("seed_positions_at_every_step", out);
    // Stability: every object keeps its place and size from the first frame to the last.
    let (gl, ll) = frames.last().unwrap();
    for (g, l) in &frames {
        assert_eq!((l.width, l.height), (ll.width, ll.height));
        for b in &l.boxes {
            let k = &g.nodes[b.node].key;
            assert_eq!(Some(b.rect), rect(gl, ll, k), "{k} moved");
        }
    }
}

#[test]
fn missing_pending_and_waiting_objects_are_distinct_and_explained() {
    let mut s = applied();
    let g = graph(&s);
    // Nothing ran: pod 0 is created (Pending), pods 1 and 2 are not.
    assert_eq!(status_of(&g, &key("pod", 0)), Status::Progressing);
    assert_eq!(status_of(&g, &key("pod", 1)), Status::Missing);
    assert_eq!(g.find(&key("pod", 1)).unwrap().detail, "not created");
    assert_eq!(status_of(&g, &key("pvc", 2)), Status::Missing);
    // The sim's sentence is on the object that waits.
    let p1 = g.find(&key("pod", 1)).unwrap();
    assert!(
        p1.why.iter().any(|w| w.starts_with(&format!(
            "{SET}-1 is not created yet: OrderedReady waits for {SET}-0"
        ))),
        "{:?}",
        p1.why
    );
    let want = s.cluster().why("pod", "default", &format!("{SET}-1"));
    assert_eq!(p1.why, want, "the same words as `sim why pod/...`");
    // The missing objects look different: dashed, hollow icon, own class.
    assert_eq!(Status::Missing.icon(), "◌");
    assert!(Status::Missing.dash().is_some());
    let svg = diagram::svg_of(s.cluster(), "default");
    assert!(svg.contains("dg-pod dg-missing"), "{svg}");
    assert!(svg.contains("dg-pod dg-progressing"), "{svg}");
    // Every status has its own icon, word, class and colours.
    let all = Status::ALL;
    for (i, a) in all.iter().enumerate() {
        for b in all.iter().skip(i + 1) {
            assert_ne!(a.icon(), b.icon());
            assert_ne!(a.word(), b.word());
            assert_ne!(a.css(), b.css());
            assert_ne!(a.fill(), b.fill());
        }
    }
    run(&mut s, "sim step 6");
    let g = graph(&s);
    let pending = g.find(&key("pod", 0)).unwrap();
    assert!(!pending.why.is_empty(), "{pending:?}");
}

#[test]
fn a_deleted_pod_is_recreated_in_the_same_place() {
    let mut s = settled();
    let (g0, l0) = both(&s);
    let before: Vec<_> = ["pod", "pvc", "pv"]
        .iter()
        .map(|k| rect(&g0, &l0, &key(k, 1)).unwrap())
        .collect();
    run(&mut s, &format!("kubectl delete pod {SET}-1 --wait=false"));
    let mut seen = Vec::new();
    for _ in 0..100 {
        let (g, l) = both(&s);
        seen.push(status_of(&g, &key("pod", 1)));
        let now: Vec<_> = ["pod", "pvc", "pv"]
            .iter()
            .map(|k| rect(&g, &l, &key(k, 1)).unwrap())
            .collect();
        assert_eq!(now, before, "pod 1's row moved");
        if s.cluster_mut().step().is_none() {
            break;
        }
    }
    // It went through Terminating and starting back to Ready, in the same row.
    assert!(seen.contains(&Status::Terminating), "{seen:?}");
    assert!(seen.contains(&Status::Progressing), "{seen:?}");
    assert_eq!(seen.last(), Some(&Status::Ready));
    // Its claim and volume stayed (sticky).
    let g = graph(&s);
    assert_eq!(
        g0.find(&key("pv", 1)).unwrap().name,
        g.find(&key("pv", 1)).unwrap().name
    );
}

#[test]
fn a_retained_claim_keeps_its_ordinals_place_after_scale_down() {
    let mut s = settled();
    run(&mut s, &format!("kubectl scale sts {SET} --replicas=5"));
    run(&mut s, "sim settle");
    let (g5, l5) = both(&s);
    run(&mut s, &format!("kubectl scale sts {SET} --replicas=2"));
    run(&mut s, "sim settle");
    let (g, l) = both(&s);
    assert_no_overlap(&g, &l);
    for ord in 2..5 {
        assert_eq!(status_of(&g, &key("pod", ord)), Status::Missing);
        assert_eq!(g.find(&key("pod", ord)).unwrap().detail, "scaled down");
        assert_eq!(status_of(&g, &key("pvc", ord)), Status::Retained);
        assert_eq!(status_of(&g, &key("pv", ord)), Status::Retained);
        for k in ["pvc", "pv"] {
            assert_eq!(rect(&g, &l, &key(k, ord)), rect(&g5, &l5, &key(k, ord)));
        }
        // No owner edge to a pod the set does not want.
        let pod = g
            .nodes
            .iter()
            .position(|n| n.key == key("pod", ord))
            .unwrap();
        assert!(
            !g.edges
                .iter()
                .any(|e| e.kind == EdgeKind::Owns && e.to == pod)
        );
    }
    insta::assert_snapshot!("scaled_down_to_2", dump_layout(&g, &l));
    // Scaling back up mounts the same volume in the same place.
    run(&mut s, &format!("kubectl scale sts {SET} --replicas=5"));
    run(&mut s, "sim settle");
    let g = graph(&s);
    for ord in 2..5 {
        assert_eq!(status_of(&g, &key("pvc", ord)), Status::Ready);
        assert_eq!(
            g.find(&key("pv", ord)).unwrap().name,
            g5.find(&key("pv", ord)).unwrap().name
        );
    }
}

#[test]
fn a_rolling_update_shows_old_and_new_revisions() {
    let mut s = settled();
    run(
        &mut s,
        &format!("kubectl set image sts/{SET} nginx=nginx:1.27"),
    );
    let mut both_seen = false;
    for _ in 0..200 {
        let g = graph(&s);
        let roles: Vec<RevisionRole> = g
            .nodes
            .iter()
            .filter(|n| n.kind == Kind::Pod)
            .filter_map(|n| n.revision.as_ref().map(|r| r.role))
            .collect();
        if roles.contains(&RevisionRole::Old) && roles.contains(&RevisionRole::New) {
            both_seen = true;
            let head = g.find(&format!("sts/{SET}")).unwrap();
            let l3 = head.line3.clone().unwrap();
            assert!(l3.starts_with("updating ") && l3.contains(" → "), "{l3}");
            let old = g.nodes.iter().find(|n| {
                n.revision
                    .as_ref()
                    .is_some_and(|r| r.role == RevisionRole::Old)
            });
            assert!(
                old.unwrap()
                    .revision
                    .as_ref()
                    .unwrap()
                    .badge()
                    .starts_with("old ")
            );
            let l = layout(&g, &LayoutOptions::default());
            insta::assert_snapshot!("rolling_update_midway", dump_layout(&g, &l));
            break;
        }
        if s.cluster_mut().step().is_none() {
            break;
        }
    }
    assert!(
        both_seen,
        "old and new revisions side by side during the update"
    );
    run(&mut s, "sim settle");
    let g = graph(&s);
    assert!(
        g.nodes
            .iter()
            .filter_map(|n| n.revision.as_ref())
            .all(|r| r.role == RevisionRole::Current)
    );
}

#[test]
fn faults_show_failing_unready_and_terminating() {
    let mut s = settled();
    run(&mut s, &format!("sim fault pod {SET}-0 unready"));
    run(&mut s, "sim step 3");
    let g = graph(&s);
    assert_eq!(status_of(&g, &key("pod", 0)), Status::Unready);
    assert!(!g.find(&key("pod", 0)).unwrap().why.is_empty());

    // A missing image: the update's first pod cannot pull (ErrImagePull / ImagePullBackOff).
    let mut s = settled();
    run(
        &mut s,
        &format!("kubectl set image sts/{SET} nginx=nginx:no-such-tag"),
    );
    let mut failing = false;
    for _ in 0..100 {
        let g = graph(&s);
        if let Some(p) = g
            .nodes
            .iter()
            .find(|n| n.kind == Kind::Pod && n.status == Status::Failing)
        {
            failing = true;
            assert!(
                p.detail.contains("ErrImagePull") || p.detail.contains("ImagePullBackOff"),
                "{p:?}"
            );
            assert_eq!(p.status.icon(), "✕");
            assert!(!p.why.is_empty(), "{p:?}");
            break;
        }
        if s.cluster_mut().step().is_none() {
            break;
        }
    }
    assert!(failing);
}

#[test]
fn changed_keys_are_what_a_step_did() {
    let mut s = applied();
    run(&mut s, "sim step 5");
    let before = graph(&s);
    let r = s.cluster_mut().step().unwrap();
    let after = graph(&s);
    let ch = changed(&before, &after);
    assert!(!ch.is_empty(), "{}", r.description);
    // Nothing changed: nothing to highlight.
    assert!(changed(&after, &after).is_empty());
    // A new object is a change.
    assert_eq!(
        changed(&diagram::Graph::default(), &after).len(),
        after.nodes.len()
    );
}

#[test]
fn lanes_put_each_pod_in_its_nodes_lane_and_keep_its_row() {
    let mut s = kubectl::Session::new();
    run(&mut s, "sim nodes 3");
    run(&mut s, "kubectl apply -f svc.yaml -f sts.yaml");
    run(&mut s, "sim settle");
    let (g, l) = both(&s);
    assert_no_overlap(&g, &l);
    // kind's control plane is tainted NoSchedule and runs none of our pods: no lane.
    let lanes: Vec<&str> = g.lanes.iter().map(|&n| g.nodes[n].name.as_str()).collect();
    assert_eq!(lanes, vec!["kind-worker", "kind-worker2"]);
    let runs_on = g
        .edges
        .iter()
        .filter(|e| e.kind == EdgeKind::RunsOn)
        .count();
    assert_eq!(runs_on, 3);
    // Rows stay in ordinal order whatever the lane.
    let ys: Vec<i32> = (0..3)
        .map(|o| rect(&g, &l, &key("pod", o)).unwrap().y)
        .collect();
    assert!(ys.windows(2).all(|w| w[0] < w[1]), "{ys:?}");
    // No lanes when asked.
    let g = graph_with(
        &s,
        &Options {
            lanes: diagram::Lanes::Off,
            ..Options::default()
        },
    );
    assert!(g.lanes.is_empty());
}

#[test]
fn hundred_pods_are_one_compact_row_each() {
    let mut s = seed_with(100, "Parallel");
    run(&mut s, "sim step 400");
    let (g, l) = both(&s);
    assert_eq!(l.density, Some(diagram::Density::Compact));
    assert_eq!(g.groups[0].rows.len(), 100);
    assert!(!g.groups[0].aggregated);
    assert_no_overlap(&g, &l);
    // Mermaid stays within its default limits (500 edges, 50,000 characters).
    let m = to_mermaid(&diagram::build(s.cluster(), "default", &Options::mermaid()));
    assert!(m.lines().filter(|l| l.contains("->")).count() <= diagram::mermaid::MAX_EDGES);
    assert!(m.len() < 50_000, "{}", m.len());
}

#[test]
fn aggregation_starts_after_full_rows() {
    let o = Options {
        full_rows: 10,
        head_rows: 4,
        max_pinned: 2,
        max_ranges: 3,
        ..Options::default()
    };
    let s = seed_with(10, "OrderedReady");
    let g = graph_with(&s, &o);
    assert!(!g.groups[0].aggregated);
    assert_eq!(g.groups[0].rows.len(), 10);

    let s = seed_with(11, "OrderedReady");
    let g = graph_with(&s, &o);
    let gr = &g.groups[0];
    assert!(gr.aggregated);
    // 4 one by one, then the rest (all held back by the chain, none notable) as one range.
    let names: Vec<&str> = gr
        .rows
        .iter()
        .map(|r| g.nodes[r.pod].name.as_str())
        .collect();
    assert_eq!(
        names,
        vec![
            format!("{SET}-0"),
            format!("{SET}-1"),
            format!("{SET}-2"),
            format!("{SET}-3"),
            format!("{SET}-4 … -10"),
        ]
    );
    let range = &g.nodes[gr.rows[4].pod];
    let a = range.aggregate.as_ref().unwrap();
    assert_eq!((a.first, a.last, a.total()), (4, 10, 7));
    assert_eq!(range.detail, "7 pods: 7 not created");
    insta::assert_snapshot!("aggregated_11_of_10", dump_graph(&g));
}

#[test]
fn default_thresholds_300_rows_then_ranges() {
    let s = seed_with(300, "OrderedReady");
    let g = graph(&s);
    assert_eq!(g.groups[0].rows.len(), 300);
    assert!(!g.groups[0].aggregated);
    let s = seed_with(301, "OrderedReady");
    let g = graph(&s);
    assert!(g.groups[0].aggregated);
    assert!(
        g.groups[0].rows.len() <= 100 + 8 + 24,
        "{}",
        g.groups[0].rows.len()
    );
}

#[test]
fn ten_thousand_replicas_draw_in_bounded_size() {
    // OrderedReady: the apply creates one pod (a Parallel apply of 10,000 pods is for the
    // release-mode bench; it takes minutes in a debug test).
    let mut s = seed_with(10_000, "OrderedReady");
    run(&mut s, "sim step 20");
    let (g, l) = both(&s);
    let gr = &g.groups[0];
    assert!(gr.aggregated);
    assert!(gr.rows.len() <= 100 + 8 + 24, "{}", gr.rows.len());
    assert!(g.nodes.len() < 600, "{}", g.nodes.len());
    // Every ordinal is counted exactly once.
    let total: u32 = gr
        .rows
        .iter()
        .map(|r| g.nodes[r.pod].aggregate.as_ref().map_or(1, |a| a.total()))
        .sum();
    assert_eq!(total, 10_000);
    assert_no_overlap(&g, &l);
    let svg = diagram::to_svg(&diagram::scene(&g, &l, &diagram::SceneOptions::default()));
    assert!(svg.len() < 1_000_000, "{}", svg.len());
}

#[test]
fn the_text_alternative_names_every_object() {
    let s = settled();
    let (g, l) = both(&s);
    let el = diagram::scene(&g, &l, &diagram::SceneOptions::default());
    assert_eq!(el.get("role"), Some("img"));
    let title = el.find("title").unwrap().text.clone().unwrap();
    assert!(title.contains("diagram"), "{title}");
    let desc = el.find("desc").unwrap().text.clone().unwrap();
    for n in &g.nodes {
        assert!(desc.contains(n.title()), "{} missing from {desc}", n.name);
    }
    insta::assert_snapshot!("settled_seed_text_alternative", desc);
}

#[test]
fn scene_keys_are_unique_and_stable() {
    let s = settled();
    let (g, l) = both(&s);
    let el = diagram::scene(&g, &l, &diagram::SceneOptions::default());
    let mut keys = std::collections::BTreeSet::new();
    el.walk(&mut |e| {
        if let Some(k) = &e.key {
            assert!(keys.insert(k.clone()), "duplicate key {k}");
        }
    });
    assert!(keys.contains(&format!("o:pod/{SET}-0")));
    assert!(keys.contains(&format!("e:owns:sts/{SET}>pod/{SET}-0")));
}

#[test]
fn selection_and_changes_are_classes_in_the_scene() {
    let s = settled();
    let (g, l) = both(&s);
    let changed: std::collections::BTreeSet<String> = [key("pod", 1)].into_iter().collect();
    let sel = format!("persistentvolumeclaim/data-{SET}-2");
    let el = diagram::scene(
        &g,
        &l,
        &diagram::SceneOptions {
            changed: Some(&changed),
            selected: Some(&sel),
            ..Default::default()
        },
    );
    let class = |k: &str| {
        el.find(&format!("o:{k}"))
            .and_then(|e| e.get("class"))
            .unwrap()
            .to_string()
    };
    assert!(class(&key("pod", 1)).contains("dg-changed"));
    assert!(!class(&key("pod", 0)).contains("dg-changed"));
    assert!(class(&key("pvc", 2)).contains("dg-selected"));
    assert!(!class(&key("pvc", 1)).contains("dg-selected"));
}

#[test]
fn a_tour_steps_objects_are_outlined_in_the_scene() {
    let s = settled();
    let (g, l) = both(&s);
    let highlight = [
        format!("pod/{SET}-0"),
        format!("persistentvolumeclaim/data-{SET}-1"),
    ];
    let el = diagram::scene(
        &g,
        &l,
        &diagram::SceneOptions {
            highlight: &highlight,
            ..Default::default()
        },
    );
    let class = |k: &str| {
        el.find(&format!("o:{k}"))
            .and_then(|e| e.get("class"))
            .unwrap()
            .to_string()
    };
    assert!(class(&key("pod", 0)).contains("dg-tour"));
    assert!(class(&key("pvc", 1)).contains("dg-tour"));
    assert!(!class(&key("pod", 1)).contains("dg-tour"));
    assert!(!class(&key("pvc", 0)).contains("dg-tour"));
}

#[test]
fn the_console_prints_the_exports() {
    let mut s = settled();
    let m = run(&mut s, "sim diagram mermaid");
    assert_eq!(m, diagram::mermaid_of(s.cluster(), "default"));
    assert!(m.starts_with(
        "graph LR\n    subgraph g0 [\"StatefulSet: nginx-with-init-container (3 replicas)\"]\n"
    ));
    assert!(m.contains("    style s0 fill:#326ce5,color:#fff\n"), "{m}");
    insta::assert_snapshot!("settled_seed_mermaid", m);
    let svg = run(&mut s, "sim diagram svg");
    assert_eq!(svg, diagram::svg_of(s.cluster(), "default"));
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    roxmltree::Document::parse(&svg).unwrap();
    let o = s.run_line("sim diagram png");
    assert!(!o.ok);
    assert_eq!(o.stderr, "sim diagram: give mermaid or svg\n");
}

#[test]
fn the_page_carries_the_diagrams_css() {
    // The page's Content-Security-Policy blocks the <style> inside the inline SVG, so
    // web/style.css carries the same rules; the exported SVG carries its own copy.
    let css = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/style.css"),
    )
    .unwrap();
    assert!(
        css.contains(diagram::scene::STYLE),
        "copy diagram::scene::STYLE into web/style.css"
    );
}

/// The keyboard's arrows in the picture (the page's roving focus): in the stacked seed, down
/// from a pod is its claim, right from the claim its volume, down again the next pod; left and
/// right stay on a line; up from the first pod is the set.
#[test]
fn arrow_keys_move_between_objects_in_layout_order() {
    use diagram::{Dir, neighbor};
    let s = settled();
    let (g, l) = both(&s);
    assert_eq!(l.density, Some(diagram::Density::Stacked));
    let id = |k: &str| g.nodes.iter().position(|n| n.key == k).expect(k);
    let go = |from: &str, d: Dir| neighbor(&l, id(from), d).map(|n| g.nodes[n].key.clone());
    let (pod0, pvc0, pv0) = (key("pod", 0), key("pvc", 0), key("pv", 0));
    assert_eq!(go(&pod0, Dir::Down), Some(pvc0.clone()));
    assert_eq!(go(&pvc0, Dir::Right), Some(pv0.clone()));
    assert_eq!(go(&pv0, Dir::Left), Some(pvc0.clone()));
    assert_eq!(go(&pvc0, Dir::Down), Some(key("pod", 1)));
    assert_eq!(go(&key("pod", 1), Dir::Up), Some(pvc0.clone()));
    assert_eq!(go(&pod0, Dir::Up), Some(format!("sts/{SET}")));
    assert_eq!(
        go(&format!("sts/{SET}"), Dir::Right),
        Some("svc/nginx-headless".into())
    );
    // Nothing on the pod's line to its right or left; nothing below the last volume.
    assert_eq!(go(&pod0, Dir::Right), None);
    assert_eq!(go(&pod0, Dir::Left), None);
    assert_eq!(go(&key("pv", 2), Dir::Down), None);
    // The columns layout: right along the row, down to the next ordinal.
    let wide = layout(
        &g,
        &LayoutOptions {
            density: Some(diagram::Density::Full),
            ..LayoutOptions::default()
        },
    );
    let go = |from: &str, d: Dir| neighbor(&wide, id(from), d).map(|n| g.nodes[n].key.clone());
    assert_eq!(go(&pod0, Dir::Right), Some(pvc0.clone()));
    assert_eq!(go(&pvc0, Dir::Right), Some(pv0));
    assert_eq!(go(&pod0, Dir::Down), Some(key("pod", 1)));
}

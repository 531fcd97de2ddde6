//! The layout chosen for a pane (issue #14, [`diagram::layout::choose`]): in the playground's
//! diagram pane at 1,280×800 (about 612×240 CSS px of picture) every name reads at 9 px or
//! more at fit from 3 to 10 replicas, where the column layout drew them at about 5 px. The
//! choice is stable: judged without the why notes, so a step never switches it, and nothing
//! moves while a set rolls out, nor when a pod is deleted and recreated.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::collections::BTreeMap;

use common::*;
use diagram::layout::{fit_name_px, short_title};
use diagram::{Density, Graph, Kind, Layout, LayoutOptions, Rect, layout};

/// The pane at 1,280×800 (measured in the e2e run: the view's width, the room to the pane's
/// bottom).
const PANE: (i32, i32) = (612, 240);

fn in_pane(g: &Graph, pane: (i32, i32)) -> Layout {
    layout(
        g,
        &LayoutOptions {
            pane: Some(pane),
            ..LayoutOptions::default()
        },
    )
}

fn settled_with(n: u32) -> kubectl::Session {
    let mut s = seed_with(n, "OrderedReady");
    run(&mut s, "sim settle");
    s
}

#[test]
fn names_read_at_9px_or_more_from_3_to_10_replicas() {
    let mut seen = Vec::new();
    for n in 3..=10 {
        let g = graph(&settled_with(n));
        let l = in_pane(&g, PANE);
        let px = fit_name_px(&l, PANE);
        seen.push((n, l.density, px));
        assert!(px >= 900, "{n} replicas: {:?} at {px}/100 px", l.density);
        assert_no_overlap(&g, &l);
        // The column layout this replaces, for the record.
        let wide = layout(
            &g,
            &LayoutOptions {
                density: Some(Density::Full),
                ..LayoutOptions::default()
            },
        );
        assert!(fit_name_px(&wide, PANE) < 600, "{n}");
    }
    // Stacked while it is the larger (3, 4), rows beyond.
    let ds: Vec<_> = seen.iter().map(|(n, d, _)| (*n, d.unwrap())).collect();
    assert_eq!(ds[0], (3, Density::Stacked), "{seen:?}");
    assert_eq!(ds[7], (10, Density::Rows), "{seen:?}");
    assert!(seen[0].2 >= 1050, "{seen:?}");
}

#[test]
fn without_a_pane_the_row_count_decides_as_before() {
    let g = graph(&settled_with(7));
    assert_eq!(
        layout(&g, &LayoutOptions::default()).density,
        Some(Density::Full)
    );
    let g = graph(&settled());
    assert_eq!(
        layout(&g, &LayoutOptions::default()).density,
        Some(Density::Stacked)
    );
    // A wide pane keeps the stacked seed; more rows than the full layout holds: compact.
    assert_eq!(in_pane(&g, (1200, 900)).density, Some(Density::Stacked));
    let g = graph(&settled_with(20));
    assert_eq!(in_pane(&g, PANE).density, Some(Density::Compact));
}

/// The rows of 7 replicas at every step of the rollout, a delete and its recreation: every
/// object stays where it first appeared; the why notes sit on their row's line, right of the
/// volumes.
#[test]
fn rows_are_stable_through_the_rollout_and_a_delete() {
    let mut s = seed_with(7, "OrderedReady");
    let mut at: BTreeMap<String, Rect> = BTreeMap::new();
    let mut notes = 0;
    let mut check = |s: &kubectl::Session, at: &mut BTreeMap<String, Rect>| {
        let g = graph(s);
        let l = in_pane(&g, PANE);
        assert_eq!(l.density, Some(Density::Rows));
        assert_no_overlap(&g, &l);
        let vol_right = l
            .boxes
            .iter()
            .filter(|b| g.nodes[b.node].kind == Kind::Volume)
            .map(|b| b.rect.right())
            .max()
            .unwrap_or(0);
        for b in &l.boxes {
            let key = g.nodes[b.node].key.clone();
            let old = *at.entry(key.clone()).or_insert(b.rect);
            assert_eq!(old, b.rect, "{key} moved:\n{}", dump_layout(&g, &l));
        }
        for n in &l.notes {
            let o = &g.nodes[n.node];
            if matches!(o.kind, Kind::Pod | Kind::Claim | Kind::Volume) {
                assert!(n.x > vol_right, "{}", dump_layout(&g, &l));
                let row = rect(&g, &l, &o.key).unwrap();
                assert!(n.y >= row.y - 8 && n.y <= row.bottom(), "{}", o.key);
                assert_eq!(n.lines.len(), 1);
                notes += 1;
            }
        }
    };
    for _ in 0..400 {
        check(&s, &mut at);
        if s.cluster_mut().step().is_none() {
            break;
        }
    }
    run(&mut s, &format!("kubectl delete pod {SET}-3 --wait=false"));
    for _ in 0..200 {
        check(&s, &mut at);
        if s.cluster_mut().step().is_none() {
            break;
        }
    }
    assert!(notes > 5, "the rollout's waits are drawn: {notes}");
}

#[test]
fn machine_made_volume_names_are_cut_in_rows_only() {
    let g = graph(&settled_with(7));
    let l = in_pane(&g, PANE);
    let vol = g
        .nodes
        .iter()
        .find(|o| o.kind == Kind::Volume && o.name.starts_with("pvc-"))
        .unwrap();
    let cut = short_title(vol, Density::Rows);
    assert_eq!(cut.chars().count(), 13, "{cut}");
    assert!(cut.ends_with('…'));
    assert!(vol.name.starts_with(cut.trim_end_matches('…')));
    assert_eq!(short_title(vol, Density::Stacked), vol.name);
    // The whole name is in the details (tooltip, the page's details line, aria-label).
    assert!(diagram::scene::details(vol).contains(&vol.name));
    let svg = diagram::to_svg(&diagram::scene(&g, &l, &diagram::SceneOptions::default()));
    assert!(svg.contains(&format!(">{cut}<")), "the cut name is drawn");
}

#[test]
fn rows_positions_settled_seed_at_7() {
    let g = graph(&settled_with(7));
    let l = in_pane(&g, PANE);
    insta::assert_snapshot!(format!(
        "{}x{} {:?}\n{}",
        l.width,
        l.height,
        l.density,
        dump_layout(&g, &l)
    ));
}

/// `sim contrast`'s two groups (the StatefulSet over the Deployment) in the pane: rows too,
/// the Deployment's ReplicaSet on its head line and all its pods mounting the one claim; the
/// Deployment's pod names (`<replicaset>-<5 characters>`, 49 characters here) keep them under
/// 9 px (about 7.5; the column layout: about 4).
#[test]
fn the_contrast_groups_take_rows_too() {
    let mut s = settled();
    run(&mut s, "sim contrast");
    run(&mut s, "sim settle");
    let g = graph(&s);
    let l = in_pane(&g, PANE);
    assert_eq!(l.density, Some(Density::Rows));
    assert_no_overlap(&g, &l);
    assert!(fit_name_px(&l, PANE) >= 700, "{}", fit_name_px(&l, PANE));
    let full = layout(
        &g,
        &LayoutOptions {
            density: Some(Density::Full),
            ..LayoutOptions::default()
        },
    );
    assert!(fit_name_px(&full, PANE) < 450);
    // Side by side is wider: still the largest of the three there.
    let side = layout(
        &g,
        &LayoutOptions {
            pane: Some(PANE),
            side_by_side: true,
            ..LayoutOptions::default()
        },
    );
    assert_eq!(side.density, Some(Density::Rows));
    assert_no_overlap(&g, &side);
    // The ReplicaSet beside its Deployment, its pods one per line under them.
    let dep = g.groups[1].head;
    let rs = g.groups[1].subheads[0];
    let (rd, rr) = (l.rect_of(dep).unwrap(), l.rect_of(rs).unwrap());
    assert_eq!(rd.y, rr.y);
    let pods: Vec<Rect> = g.groups[1]
        .rows
        .iter()
        .map(|r| l.rect_of(r.pod).unwrap())
        .collect();
    assert!(pods.windows(2).all(|p| p[0].x == p[1].x && p[0].y < p[1].y));
}

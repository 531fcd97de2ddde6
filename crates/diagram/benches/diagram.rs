#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! `cargo bench -p diagram`: what one diagram update costs natively, at 3, 100, 1,000 and
//! 10,000 replicas (the seed's set; settled, so every pod, claim and volume exists):
//! `build` (graph from the store, with the `why` look-ups), `layout`, `scene`, and the whole
//! update `build+layout+scene`; the exports `to_svg` and `mermaid` on the side.
//! The browser's figures (DOM update, and mermaid.render of the same graph) come from the e2e
//! bench (`cargo xtask bench`).

use criterion::{BenchmarkId, Criterion, black_box, criterion_group, criterion_main};
use diagram::{LayoutOptions, Options, SceneOptions, build, layout, scene, to_mermaid, to_svg};
use kubectl::Session;

/// The seed with `n` replicas, settled (Parallel above 1,000, as a 10,000-pod OrderedReady
/// rollout takes minutes to simulate).
fn settled(n: u32) -> Session {
    let mut s = Session::new();
    let sts = s.files().files.get("sts.yaml").unwrap().clone();
    let policy = if n > 1000 { "Parallel" } else { "OrderedReady" };
    let sts = sts
        .replace("replicas: 3", &format!("replicas: {n}"))
        .replace(
            "  serviceName:",
            &format!("  podManagementPolicy: {policy}\n  serviceName:"),
        );
    s.set_file("big.yaml", &sts);
    assert!(s.run_line("kubectl apply -f svc.yaml -f big.yaml").ok);
    s.cluster_mut().set_history(false);
    s.cluster_mut().run(50_000_000);
    s
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("diagram");
    group.sample_size(20);
    for n in [3u32, 100, 1000, 10_000] {
        let s = settled(n);
        let cluster = s.cluster();
        let o = Options::default();
        let lo = LayoutOptions::default();
        let g = build(cluster, "default", &o);
        let l = layout(&g, &lo);
        let el = scene(&g, &l, &SceneOptions::default());
        eprintln!(
            "n={n}: {} objects, {} edges, {} elements, svg {} bytes",
            g.nodes.len(),
            g.edges.len(),
            el.count(),
            to_svg(&el).len()
        );
        group.bench_with_input(BenchmarkId::new("build", n), &n, |b, _| {
            b.iter(|| build(black_box(cluster), "default", &o))
        });
        group.bench_with_input(BenchmarkId::new("layout", n), &n, |b, _| {
            b.iter(|| layout(black_box(&g), &lo))
        });
        group.bench_with_input(BenchmarkId::new("scene", n), &n, |b, _| {
            b.iter(|| scene(black_box(&g), &l, &SceneOptions::default()))
        });
        group.bench_with_input(BenchmarkId::new("build+layout+scene", n), &n, |b, _| {
            b.iter(|| {
                let g = build(black_box(cluster), "default", &o);
                let l = layout(&g, &lo);
                scene(&g, &l, &SceneOptions::default())
            })
        });
        group.bench_with_input(BenchmarkId::new("to_svg", n), &n, |b, _| {
            b.iter(|| to_svg(black_box(&el)))
        });
        group.bench_with_input(BenchmarkId::new("mermaid", n), &n, |b, _| {
            b.iter(|| to_mermaid(&build(black_box(cluster), "default", &Options::mermaid())))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Where one step's page update goes, natively: the phases the playground runs after `sim step`
//! (the sim's step; the panes' models as `crates/app/src/model.rs` computes them: pod columns,
//! `why_all`, the sorted events; the diagram's build, layout and scene), median of 15 steps
//! after `kubectl delete pod <set>-1 --wait=false` on the settled seed at 3, 100 and 1,000
//! replicas (sizes from the command line). For `perf record` / `valgrind --tool=callgrind`:
//!
//! `cargo run --release -p diagram --example phases -- 100`

use std::time::Instant;

use diagram::{LayoutOptions, Options, SceneOptions, build, layout, scene};
use kubectl::Session;
use sim::k8s_openapi::api::core::v1::{Event, Pod};

fn settled(n: u32) -> Session {
    let mut s = Session::new();
    let sts = s.files().files.get("sts.yaml").unwrap().clone();
    let sts = sts.replace("replicas: 3", &format!("replicas: {n}"));
    s.set_file("big.yaml", &sts);
    assert!(s.run_line("kubectl apply -f svc.yaml -f big.yaml").ok);
    s.run_line("sim settle");
    s
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let sizes: Vec<u32> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![3, 100, 1000]
    } else {
        sizes
    };
    println!(
        "{:>8} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}",
        "replicas", "step", "pods", "why_all", "events", "build", "layout", "scene", "(ms)"
    );
    for n in sizes {
        let mut s = settled(n);
        let set = "nginx-with-init-container";
        s.run_line(&format!("kubectl delete pod {set}-1 --wait=false"));
        let mut t: [Vec<f64>; 7] = Default::default();
        for _ in 0..15 {
            let t0 = Instant::now();
            s.run_line("sim step");
            let t1 = Instant::now();
            let c = s.cluster();
            let now = c.now();
            let pods: Vec<_> = c
                .store()
                .list::<Pod>(Some("default"))
                .map(|p| sim::podstatus::columns(p, now))
                .collect();
            let t2 = Instant::now();
            let why = c.why_all("default");
            let t3 = Instant::now();
            let mut ev: Vec<&Event> = c.store().list::<Event>(Some("default")).collect();
            ev.sort_by_key(|e| sim::events::last_seen(e));
            let shown: Vec<String> = ev
                .iter()
                .rev()
                .take(60)
                .map(|e| e.message.clone().unwrap_or_default())
                .collect();
            let t4 = Instant::now();
            let g = build(c, "default", &Options::default());
            let t5 = Instant::now();
            let l = layout(&g, &LayoutOptions::default());
            let t6 = Instant::now();
            let el = scene(&g, &l, &SceneOptions::default());
            let t7 = Instant::now();
            std::hint::black_box((pods, why, shown, el));
            for (i, (a, b)) in [
                (t0, t1),
                (t1, t2),
                (t2, t3),
                (t3, t4),
                (t4, t5),
                (t5, t6),
                (t6, t7),
            ]
            .into_iter()
            .enumerate()
            {
                t[i].push((b - a).as_secs_f64() * 1e3);
            }
        }
        if std::env::var_os("PHASES_SCENE_LOOP").is_some() {
            // Only the scene, many times (for a profiler).
            let c = s.cluster();
            let g = build(c, "default", &Options::default());
            let l = layout(&g, &LayoutOptions::default());
            let t0 = Instant::now();
            let mut count = 0;
            for _ in 0..200 {
                count += scene(&g, &l, &SceneOptions::default()).count();
            }
            println!("scene x200: {:?} ({count} elements)", t0.elapsed());
        }
        let m: Vec<f64> = t.into_iter().map(median).collect();
        println!(
            "{n:>8} {:>9.3} {:>9.3} {:>9.3} {:>9.3} {:>9.3} {:>9.3} {:>9.3}",
            m[0], m[1], m[2], m[3], m[4], m[5], m[6]
        );
    }
}

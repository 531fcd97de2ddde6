#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Hostile inputs: each is accepted or rejected within bounds of time and peak memory,
//! measured with a counting global allocator (this test binary only). The budget of the issue is
//! 100 ms / 50 MB per item on this machine (release); the assertions are generous (debug builds,
//! 2 shared cores): 2 s and 100 MB. Items run one after another in a single test so the peak
//! counter is not shared between threads.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

struct Counting;
static CUR: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(l) };
        if !p.is_null() {
            let now = CUR.fetch_add(l.size(), Ordering::Relaxed) + l.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { System.dealloc(p, l) };
        CUR.fetch_sub(l.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static A: Counting = Counting;

pub fn hostile_inputs() -> Vec<(&'static str, Vec<u8>)> {
    let mut v: Vec<(&'static str, Vec<u8>)> = Vec::new();
    // billion laughs: 9 levels x 9
    let mut s = String::from(
        "a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for i in 1..10 {
        s.push_str(&format!(
            "a{i}: &a{i} [{}]\n",
            vec![format!("*a{}", i - 1); 9].join(",")
        ));
    }
    v.push(("billion-laughs", s.into_bytes()));
    // wide alias: one anchored list of 20,000 aliased 5,000 times
    let mut s = String::from("a: &a [");
    s.push_str(&vec!["x"; 20_000].join(","));
    s.push_str("]\nb: [");
    s.push_str(&vec!["*a"; 5_000].join(","));
    s.push_str("]\n");
    v.push(("wide-alias", s.into_bytes()));
    // the same bomb inside a field k8s-openapi really decodes
    let mut s = String::from(
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: w}\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec:\n      containers: [&c {name: c, image: i, args: [",
    );
    s.push_str(&vec!["x"; 20_000].join(","));
    s.push_str("]}, ");
    s.push_str(&vec!["*c"; 5_000].join(","));
    s.push_str("]\n");
    v.push(("typed-bomb", s.into_bytes()));
    v.push(("deep-flow", "[".repeat(1_000_000).into_bytes()));
    v.push(("deep-flow-map", "{k: ".repeat(200_000).into_bytes()));
    let mut s = String::new();
    for i in 0..5_000 {
        s.push_str(&" ".repeat(i % 400));
        s.push_str("k:\n");
    }
    v.push(("deep-block", s.into_bytes()));
    let mut s = String::new();
    for i in 0..900 {
        s.push_str(&"  ".repeat(i));
        s.push_str("a:\n");
    }
    v.push(("deep-block-nested", s.into_bytes()));
    let mut s = String::new();
    for i in 0..1_300 {
        s.push_str(&" ".repeat(i));
        s.push_str("- \n");
    }
    v.push(("deep-block-seq", s.into_bytes()));
    // 1 MiB of printable junk (deterministic LCG)
    let mut x: u64 = 12345;
    let junk: Vec<u8> = (0..(1 << 20))
        .map(|_| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            b' ' + ((x >> 33) % 95) as u8
        })
        .collect();
    v.push(("junk-1mib", junk));
    v.push(("over-1mib", vec![b'a'; (1 << 20) + 1]));
    v.push((
        "one-huge-scalar",
        format!("a: {}\n", "x".repeat(1_000_000)).into_bytes(),
    ));
    let mut bad = b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \xff\xfe\n".to_vec();
    bad.extend_from_slice(&[0xc3, 0x28, 0xa0, 0xa1]);
    v.push(("invalid-utf8", bad));
    v.push(("huge-numbers", b"apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: w}\nspec:\n  replicas: 99999999999999999999999999999999999999\n  minReadySeconds: 1e400\n".to_vec()));
    v.push((
        "binary-tag",
        b"apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  k: !!binary aGVsbG8=\n"
            .to_vec(),
    ));
    v.push((
        "nan-inf",
        b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: .nan, b: -.inf}\n"
            .to_vec(),
    ));
    let mut s = String::from("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n");
    for _ in 0..10_000 {
        s.push_str("  a: b\n");
    }
    v.push(("duplicate-keys", s.into_bytes()));
    v.push(("many-documents", "---\na: 1\n".repeat(50_000).into_bytes()));
    v.push(("many-empty-documents", "---\n".repeat(250_000).into_bytes()));
    let mut s = String::from("apiVersion: v1\nkind: List\nitems:\n");
    for i in 0..2000 {
        s.push_str(&format!(
            "- {{apiVersion: v1, kind: ConfigMap, metadata: {{name: c{i}}}}}\n"
        ));
    }
    v.push(("big-list", s.into_bytes()));
    v.push(("anchor-chain-strings", {
        let mut s = format!("a0: &a0 \"{}\"\n", "y".repeat(200_000));
        for i in 1..40 {
            s.push_str(&format!("a{i}: &a{i} [*a{}, *a{}]\n", i - 1, i - 1));
        }
        s.into_bytes()
    }));
    // found by the fuzzer (a libFuzzer timeout under ASAN): 250 aliases of a 200-item list,
    // 50,000 nodes, inside the budget, so it is fully expanded
    v.push((
        "alias-fanout-50k",
        include_bytes!("corpus/hostile/alias-fanout-50k.yaml").to_vec(),
    ));
    v.push(("tabs-and-nul", b"a:\t\x00\x01\x02\n\t- b\n".to_vec()));
    v
}

#[test]
fn hostile_corpus_is_bounded() {
    let limit_time = Duration::from_secs(2);
    let limit_mem = 100 << 20;
    let mut report = Vec::new();
    let mut worst = (Duration::ZERO, 0usize, "");
    for (name, input) in hostile_inputs() {
        assert!(
            name.starts_with("over") || input.len() <= intake::MAX_INPUT_BYTES,
            "{name} is over the input limit"
        );
        let base = CUR.load(Ordering::Relaxed);
        PEAK.store(base, Ordering::Relaxed);
        let t = Instant::now();
        let res = intake::parse_bytes(&input, "hostile.yaml");
        let dt = t.elapsed();
        let peak = PEAK.load(Ordering::Relaxed).saturating_sub(base);
        drop(res);
        report.push(format!("{name}: {dt:?}, peak {} KiB", peak / 1024));
        if dt > worst.0 {
            worst = (dt, peak, name);
        }
        assert!(dt < limit_time, "{name} took {dt:?}");
        assert!(peak < limit_mem, "{name} peaked at {peak} bytes");
    }
    eprintln!("{}\nworst: {} {:?}", report.join("\n"), worst.2, worst.0);
}

#[test]
fn bombs_are_rejected_not_expanded() {
    for (name, input) in hostile_inputs() {
        if [
            "billion-laughs",
            "wide-alias",
            "typed-bomb",
            "anchor-chain-strings",
            "deep-flow",
            "over-1mib",
        ]
        .contains(&name)
        {
            let res = intake::parse_bytes(&input, "h.yaml");
            assert!(
                res.iter().all(|r| matches!(r, intake::DocResult::Err(d) if d.class == intake::ErrorClass::Limit)),
                "{name}: {res:?}"
            );
        }
    }
}

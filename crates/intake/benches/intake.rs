#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! `cargo bench -p intake`: the seed parse and the worst hostile cases (wide alias, typed bomb,
//! 1 MiB junk), plus the raw event-parser pass over the wide alias for comparison.

use criterion::{Criterion, black_box, criterion_group, criterion_main};

const SEED: &str = include_str!("../tests/corpus/good/sts.yaml");

fn wide_alias() -> String {
    let mut s = String::from("a: &a [");
    s.push_str(&vec!["x"; 20_000].join(","));
    s.push_str("]\nb: [");
    s.push_str(&vec!["*a"; 5_000].join(","));
    s.push_str("]\n");
    s
}

fn typed_bomb() -> String {
    let mut s = String::from(
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: w}\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec:\n      containers: [&c {name: c, image: i, args: [",
    );
    s.push_str(&vec!["x"; 20_000].join(","));
    s.push_str("]}, ");
    s.push_str(&vec!["*c"; 5_000].join(","));
    s.push_str("]\n");
    s
}

fn junk() -> Vec<u8> {
    let mut x: u64 = 12345;
    (0..(1 << 20))
        .map(|_| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            b' ' + ((x >> 33) % 95) as u8
        })
        .collect()
}

fn benches(c: &mut Criterion) {
    c.bench_function("seed sts.yaml", |b| {
        b.iter(|| intake::parse(black_box(SEED), "sts.yaml"))
    });
    let w = wide_alias();
    c.bench_function("hostile wide alias (rejected)", |b| {
        b.iter(|| intake::parse(black_box(&w), "w.yaml"))
    });
    c.bench_function("saphyr events only, wide alias", |b| {
        b.iter(|| {
            saphyr_parser::Parser::new_from_str(black_box(&w))
                .take_while(Result::is_ok)
                .count()
        })
    });
    let t = typed_bomb();
    c.bench_function("hostile typed bomb (rejected)", |b| {
        b.iter(|| intake::parse(black_box(&t), "t.yaml"))
    });
    let j = junk();
    c.bench_function("hostile 1 MiB junk", |b| {
        b.iter(|| intake::parse_bytes(black_box(&j), "j.yaml"))
    });
}

criterion_group! {
    name = g;
    config = Criterion::default().sample_size(10).measurement_time(std::time::Duration::from_secs(3));
    targets = benches
}
criterion_main!(g);

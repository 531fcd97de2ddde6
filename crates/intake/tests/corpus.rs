#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Table-driven corpus: every `tests/corpus/good/*` file must yield only `Ok` documents;
//! every `tests/corpus/bad/NAME.yaml` must yield an error whose message equals
//! `bad/NAME.expected` exactly (the first error of the file), with a span inside the file.
//! Regenerate expectations after a reviewed change with `INTAKE_BLESS=1 cargo test -p intake --test corpus`.

use std::path::PathBuf;

use intake::{DocResult, parse_bytes};

fn dir(sub: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(sub)
}

fn files(sub: &str, exts: &[&str]) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir(sub))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| exts.iter().any(|x| e == *x)))
        .collect();
    v.sort();
    v
}

fn name(p: &std::path::Path) -> String {
    p.file_name().unwrap().to_string_lossy().to_string()
}

#[test]
fn good_corpus_parses_clean() {
    let goods = files("good", &["yaml", "json"]);
    assert!(goods.len() >= 15, "only {} good files", goods.len());
    let mut docs = 0;
    for f in goods {
        let res = parse_bytes(&std::fs::read(&f).unwrap(), &name(&f));
        assert!(!res.is_empty(), "{}: no documents", name(&f));
        for r in res {
            match r {
                DocResult::Ok(p) => {
                    docs += 1;
                    assert!(
                        p.warnings.is_empty(),
                        "{}: unexpected warnings {:?}",
                        name(&f),
                        p.warnings
                    );
                }
                DocResult::Err(d) => panic!("{}: {}", name(&f), d.message),
            }
        }
    }
    assert!(docs >= 20);
}

#[test]
fn bad_corpus_exact_messages() {
    let bless = std::env::var("INTAKE_BLESS").is_ok();
    let bads = files("bad", &["yaml"]);
    assert!(bads.len() >= 60, "only {} bad files", bads.len());
    let mut failures = Vec::new();
    for f in &bads {
        let text = std::fs::read_to_string(f).unwrap();
        let lines = text.lines().count() as u32;
        let res = parse_bytes(text.as_bytes(), &name(f));
        let Some(d) = res.iter().find_map(|r| match r {
            DocResult::Err(d) => Some(d.clone()),
            DocResult::Ok(_) => None,
        }) else {
            failures.push(format!("{}: accepted", name(f)));
            continue;
        };
        let span = d.span.expect("every corpus error has a span");
        assert!(
            span.line >= 1 && span.line <= lines + 1,
            "{}: span {:?}",
            name(f),
            span
        );
        let exp_path = f.with_extension("expected");
        if bless {
            std::fs::write(&exp_path, format!("{}\n", d.message)).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&exp_path).unwrap_or_default();
        if expected.trim_end_matches('\n') != d.message {
            failures.push(format!(
                "{}:\n  expected: {}\n  got:      {}",
                name(f),
                expected.trim_end(),
                d.message
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

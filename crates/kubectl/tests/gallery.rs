#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! Every example of the gallery loads with `sim example ID` and its script runs line by line
//! without a failure; the transcripts are snapshots (read each against the example's README:
//! the point it promises must be visible in the output).

use kubectl::Session;
use kubectl::gallery::examples;

fn transcript(id: &str) -> kubectl::Transcript {
    let e = kubectl::gallery::get(id).unwrap();
    let mut s = Session::new();
    let o = s.run_line(&format!("sim example {id}"));
    assert!(o.ok, "{}", o.combined);
    for (name, text) in e.files {
        assert_eq!(s.files().files.get(*name).map(String::as_str), Some(*text));
    }
    s.run_script(e.script)
}

#[test]
fn every_script_runs_without_a_failing_line() {
    for e in examples() {
        let t = transcript(e.id);
        assert!(
            t.ok,
            "{}: failed lines {:?}\n{}",
            e.id, t.failed_lines, t.text
        );
        insta::assert_snapshot!(format!("gallery_{}", e.id.replace('-', "_")), t.text);
    }
}

#[test]
fn unknown_example_is_an_error_and_the_list_has_every_id() {
    let mut s = Session::new();
    let o = s.run_line("sim example nope");
    assert!(!o.ok);
    assert_eq!(
        o.combined,
        "sim example: no example \"nope\" (`sim example` lists them)\n"
    );
    let list = s.run_line("sim example").stdout;
    for e in examples() {
        assert!(list.contains(e.id), "{list}");
    }
}

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! `sim seek`, `sim redo` and `sim timeline`: the browser's timeline as lines of the command
//! language, so a script (a share link, a tour, `stsplay run`) replays a scrub exactly.

use kubectl::Session;

fn run(s: &mut Session, line: &str) -> String {
    let o = s.run_line(line);
    assert!(o.ok, "{line}: {}", o.combined);
    o.combined
}

#[test]
fn scrubbing_back_and_forth_is_exact_and_keeps_the_future() {
    let mut s = Session::new();
    run(&mut s, "kubectl apply -f svc.yaml -f sts.yaml");
    run(&mut s, "sim step 6");
    let pods_at_8 = run(&mut s, "kubectl get pods");
    run(&mut s, "sim settle");
    let pods_settled = run(&mut s, "kubectl get pods");
    let end = s.cluster().history_position();
    // position 8 = 2 applies + 6 events
    assert_eq!(
        run(&mut s, "sim seek 8"),
        format!(
            "position 8 of {end}: now {}\n",
            kubectl::fmt_time(s.cluster().now())
        )
    );
    assert_eq!(run(&mut s, "kubectl get pods"), pods_at_8);
    let tl = run(&mut s, "sim timeline");
    assert!(
        tl.starts_with(&format!(
            "position 8 of {end} (sim seek P goes to position P"
        )),
        "{tl}"
    );
    assert!(
        tl.contains(">     8 "),
        "the current position is marked: {tl}"
    );
    assert!(
        tl.contains("      1     90.000s  command: apply service/nginx-headless"),
        "{tl}"
    );
    run(&mut s, &format!("sim redo {}", end - 8));
    assert_eq!(run(&mut s, "kubectl get pods"), pods_settled);
    run(&mut s, "sim back 2");
    assert_eq!(s.cluster().history_position(), end - 2);

    let o = s.run_line(&format!("sim seek {}", end + 1));
    assert!(!o.ok);
    assert_eq!(
        o.combined,
        format!(
            "cannot seek to {}: the recorded history goes from 0 to {end}\n",
            end + 1
        )
    );
    let o = s.run_line("sim redo 3");
    assert!(!o.ok);
    assert_eq!(o.combined, "cannot redo 3 step(s): only 2 ahead\n");
    let o = s.run_line("sim seek");
    assert!(!o.ok);
    let o = s.run_line("sim redo x");
    assert_eq!(o.combined, "sim redo: N must be a number\n");

    // Something new replaces the future.
    run(
        &mut s,
        "kubectl scale sts nginx-with-init-container --replicas=1",
    );
    assert_eq!(
        s.cluster().history_marks().len(),
        s.cluster().history_position()
    );
}

#[test]
fn replaying_the_log_of_a_scrub_gives_the_same_state() {
    let script = "kubectl apply -f svc.yaml -f sts.yaml\nsim settle\nsim seek 5\nsim step\nsim redo 3\nsim back 1\n";
    let mut a = Session::new();
    let mut b = Session::new();
    for line in script.lines() {
        a.run_line(line);
        b.run_line(line);
    }
    assert_eq!(a.cluster().history_position(), 8);
    assert!(a.cluster().store() == b.cluster().store());
    assert_eq!(
        a.run_line("kubectl get pods,pvc").combined,
        b.run_line("kubectl get pods,pvc").combined
    );
}

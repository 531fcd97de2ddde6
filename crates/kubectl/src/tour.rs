//! Guided tours: a tutorial as steps of prose and commands, walked in the console
//! (`sim tour NAME`, `sim tour next`, …), in the terminal (`stsplay tour NAME`) and in the browser.
//! The format and its parser are in `tour_format` (re-exported here).

pub use crate::tour_format::*;

use crate::fs::FileSource;
use crate::out::LineOutput;
use crate::session::Session;

/// How a tour runs a step's command lines: the host shell without the command log (the console
/// passes its `run_unlogged`; a function value, so this module does not import the console).
pub(crate) type RunLine = fn(&mut Session, &str, &dyn FileSource) -> LineOutput;

impl Session {
    /// The tour being walked.
    pub fn tour(&self) -> Option<&TourState> {
        self.tour.as_ref()
    }
}

/// What `sim tour` shows of the step about to run.
fn show_step(st: &TourState) -> String {
    let mut s = String::new();
    let total = st.tour.steps.len();
    let Some(step) = st.current() else {
        s.push_str(&format!(
            "tour \"{}\" finished: {} steps. `sim tour back` steps back, `sim tour stop` leaves it.\n",
            st.tour.title, total
        ));
        return s;
    };
    s.push_str(&format!(
        "── step {}/{}: {}\n",
        st.next + 1,
        total,
        step.title
    ));
    if !step.prose.is_empty() {
        s.push_str(&step.prose);
    }
    if !step.highlight.is_empty() {
        s.push_str(&format!("look at: {}\n", step.highlight.join(", ")));
    }
    if !step.commands.is_empty() {
        s.push_str("this step runs:\n");
        for c in &step.commands {
            s.push_str(&format!("    $ {c}\n"));
        }
    }
    if let Some(q) = &step.question {
        s.push_str(&format!("predict: {}\n", q.text));
        for (i, c) in q.choices.iter().enumerate() {
            s.push_str(&format!("  {}) {}\n", i + 1, c));
        }
        s.push_str("answer with `sim tour answer N`, then `sim tour next` runs the step and checks your prediction\n");
    } else {
        s.push_str("`sim tour next` runs it\n");
    }
    s
}

/// Whether the cluster has none of the learner's objects (StatefulSets, pods, claims, volumes,
/// Services other than kind's own): a tour starts from there.
pub fn cluster_is_fresh(s: &Session) -> bool {
    use k8s_openapi::api::apps::v1::StatefulSet;
    use k8s_openapi::api::core::v1::{PersistentVolume, PersistentVolumeClaim, Pod, Service};
    let store = s.cluster.store();
    let user = |ns: Option<&str>| {
        !matches!(
            ns.unwrap_or(""),
            "kube-system" | "kube-public" | "kube-node-lease" | "local-path-storage"
        )
    };
    store.list::<StatefulSet>(None).next().is_none()
        && store.list::<PersistentVolumeClaim>(None).next().is_none()
        && store.list::<PersistentVolume>(None).next().is_none()
        && !store
            .list::<Pod>(None)
            .any(|p| user(p.metadata.namespace.as_deref()))
        && !store.list::<Service>(None).any(|sv| {
            user(sv.metadata.namespace.as_deref())
                && sv.metadata.name.as_deref() != Some("kubernetes")
        })
}

/// `sim tour …`: `list`, `NAME`, `next`, `answer N`, `back`, `status`, `stop`. Returns the
/// text shown, or an error line.
pub(crate) fn directive(
    s: &mut Session,
    args: &[String],
    files: &dyn FileSource,
    run: RunLine,
) -> Result<String, String> {
    match args.first().map(String::as_str) {
        None | Some("list") => {
            let mut out = String::from("tours (start one with `sim tour NAME`):\n");
            for t in built_in() {
                out.push_str(&format!(
                    "  {:<22} {} ({} steps)\n",
                    t.name,
                    t.title,
                    t.steps.len()
                ));
            }
            Ok(out)
        }
        Some("status") => match &s.tour {
            Some(st) => Ok(format!("tour \"{}\"\n{}", st.tour.title, show_step(st))),
            None => Err("sim tour: no tour is running (`sim tour list`)".into()),
        },
        Some("stop") => match s.tour.take() {
            Some(st) => Ok(format!("left the tour \"{}\"\n", st.tour.title)),
            None => Err("sim tour: no tour is running".into()),
        },
        Some("answer") => {
            let Some(st) = s.tour.as_mut() else {
                return Err("sim tour: no tour is running".into());
            };
            let Some(q) = st.current().and_then(|x| x.question.clone()) else {
                return Err("sim tour: this step asks nothing".into());
            };
            let n = args
                .get(1)
                .and_then(|a| a.parse::<usize>().ok())
                .filter(|n| (1..=q.choices.len()).contains(n));
            let Some(n) = n else {
                return Err(format!(
                    "sim tour answer: give a choice from 1 to {}",
                    q.choices.len()
                ));
            };
            st.answer = Some(n - 1);
            Ok(format!(
                "your prediction: {}) {}; `sim tour next` runs the step and checks it\n",
                n,
                q.choices.get(n - 1).map_or("", String::as_str)
            ))
        }
        Some("next") => next(s, files, run),
        Some("back") => {
            let Some(st) = s.tour.as_mut() else {
                return Err("sim tour: no tour is running".into());
            };
            if st.next == 0 {
                return Err("sim tour: at the first step".into());
            }
            let prev = st.next - 1;
            // The timeline goes back to where that step began, keeping its future (`sim
            // seek`): `sim tour next` redoes it.
            let start = st.runs.get(prev).map(|r| r.start);
            st.next = prev;
            st.answer = None;
            st.verdict = None;
            if let Some(start) = start
                && start != s.cluster.history_position()
            {
                s.cluster
                    .seek(start)
                    .map_err(|e| format!("sim tour back: {e}"))?;
            }
            s.attached = None;
            let st = s.tour.as_ref().ok_or("sim tour: no tour is running")?;
            Ok(format!("back to step {}\n{}", st.next + 1, show_step(st)))
        }
        Some(name) => {
            let Some(tour) = find(name) else {
                let names: Vec<String> = built_in().into_iter().map(|t| t.name).collect();
                return Err(format!(
                    "sim tour: no tour named {name:?} (tours: {})",
                    names.join(", ")
                ));
            };
            let mut out = format!("tour \"{}\" ({} steps)\n", tour.title, tour.steps.len());
            if !cluster_is_fresh(s) {
                // A tour tells a story from an empty cluster (its predictions too).
                s.cluster.reset();
                s.attached = None;
                out.push_str(
                    "a fresh cluster for this tour (as `sim reset`: the objects are gone, the files stay)\n",
                );
            }
            if !tour.intro.is_empty() {
                out.push_str(&tour.intro);
            }
            let st = TourState::new(tour);
            out.push_str(&show_step(&st));
            s.tour = Some(st);
            Ok(out)
        }
    }
}

/// `sim tour next`: run the step's commands (each shown as `PROMPT COMMAND` and its output),
/// judge the prediction with the check command, then show the next step.
fn next(s: &mut Session, files: &dyn FileSource, run: RunLine) -> Result<String, String> {
    let Some(st) = s.tour.as_ref() else {
        return Err("sim tour: no tour is running (`sim tour list`)".into());
    };
    let Some(step) = st.current().cloned() else {
        return Err("sim tour: the tour is finished (`sim tour back`, `sim tour stop`)".into());
    };
    let answer = st.answer;
    let pos = s.cluster.history_position();
    // The step is still in the timeline's future (the tour went back, or the timeline was
    // scrubbed back, and nothing new was recorded since): redo it and show what it printed.
    let recorded = st
        .runs
        .get(st.next)
        .filter(|r| r.start <= pos && still_recorded(s, r))
        .map(|r| (r.start, r.end, r.output.clone()));
    let mut out = String::new();
    let redone = recorded.is_some();
    let (start, end) = if let Some((start, end, printed)) = recorded {
        if pos < end {
            s.cluster
                .redo(end - pos)
                .map_err(|e| format!("sim tour next: {e}"))?;
        }
        out.push_str(&format!(
            "(redo: this step is still in the timeline, positions {start} to {end})\n"
        ));
        out.push_str(&printed);
        (start, end)
    } else {
        // A step's `get -w` streams as in the terminal and opens no pane in the page.
        let live = std::mem::replace(&mut s.live.on, false);
        for c in &step.commands {
            out.push_str(s.prompt());
            out.push_str(c);
            out.push('\n');
            let o = run(s, c, files);
            out.push_str(&o.combined);
            if !o.combined.is_empty() && !o.combined.ends_with('\n') {
                out.push('\n');
            }
        }
        s.live.on = live;
        (pos, s.cluster.history_position())
    };
    let printed = out.clone();
    let verdict_at = out.len();
    if let Some(q) = &step.question {
        let o = run(s, &q.check, files);
        match right_choice(&q.choices, &o.stdout) {
            Some(r) => {
                let right = q.choices.get(r).map_or("", String::as_str);
                match answer {
                    Some(a) if a == r => {
                        out.push_str(&format!("prediction: right, {right}\n"));
                    }
                    Some(a) => out.push_str(&format!(
                        "prediction: you said {}, the simulation says {right}\n",
                        q.choices.get(a).map_or("", String::as_str)
                    )),
                    None => out.push_str(&format!("prediction: the simulation says {right}\n")),
                }
            }
            None => out.push_str(&format!(
                "prediction: the check `{}` printed {:?}, which matches none of the choices\n",
                q.check,
                o.stdout.trim()
            )),
        }
    }
    let verdict = out
        .get(verdict_at..)
        .map(|v| v.trim_end().to_string())
        .filter(|v| !v.is_empty());
    let marks = s
        .cluster
        .history_marks()
        .get(start..end)
        .map(<[_]>::to_vec)
        .unwrap_or_default();
    if let Some(st) = s.tour.as_mut() {
        if !redone {
            // A new run replaces the tour's own future from this step on.
            st.runs.truncate(st.next);
            if st.runs.len() == st.next {
                st.runs.push(StepRun {
                    start,
                    end,
                    marks,
                    output: printed,
                });
            }
        }
        st.next += 1;
        st.answer = None;
        st.verdict = verdict;
        out.push_str(&show_step(st));
    }
    Ok(out)
}

/// Whether a step's recorded entries are still the timeline's (nothing new replaced them).
fn still_recorded(s: &Session, r: &StepRun) -> bool {
    s.cluster.history_marks().get(r.start..r.end) == Some(r.marks.as_slice())
}

/// The tour follows the timeline (after every logged line: `sim seek`, `sim back`, Play, any
/// command): steps whose recorded entries were replaced are forgotten, and when the timeline
/// is before the end of a step that ran, that step is the one about to run again. Returns
/// stsplay's note when the tour moved.
pub(crate) fn follow_timeline(s: &mut Session) -> Option<String> {
    let pos = s.cluster.history_position();
    let gone = s
        .tour
        .as_ref()?
        .runs
        .iter()
        .position(|r| !still_recorded(s, r));
    let st = s.tour.as_mut()?;
    if let Some(i) = gone {
        st.runs.truncate(i);
    }
    let back_to = st
        .runs
        .iter()
        .take(st.next)
        .position(|r| pos < r.end)
        .or(gone)
        .filter(|k| *k < st.next)?;
    st.next = back_to;
    st.answer = None;
    st.verdict = None;
    let title = st.current().map_or("", |x| x.title.as_str());
    Some(format!(
        "the tour follows the timeline: back to step {} ({title})",
        back_to + 1
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = "# A tour\nHello.\n\n## One\nProse `x`.\n```\nNAME   READY\n$ not a command\n```\n$ kubectl apply -f svc.yaml -f sts.yaml\n$ sim settle\nhighlight: statefulset/nginx-with-init-container, pod/nginx-with-init-container-0\n? Which pod runs first?\n- nginx-with-init-container-1\n- nginx-with-init-container-0\ncheck: kubectl get pod nginx-with-init-container-0 -o name\n\n## Two\nThe end.\n";

    #[test]
    fn parses_the_format() {
        let t = parse("small", SMALL).unwrap();
        assert_eq!(t.title, "A tour");
        assert_eq!(t.intro, "Hello.\n");
        assert_eq!(t.steps.len(), 2);
        let one = &t.steps[0];
        assert_eq!(
            one.prose,
            "Prose `x`.\n```\nNAME   READY\n$ not a command\n```\n"
        );
        assert_eq!(
            one.commands,
            ["kubectl apply -f svc.yaml -f sts.yaml", "sim settle"]
        );
        assert_eq!(
            one.highlight,
            [
                "statefulset/nginx-with-init-container",
                "pod/nginx-with-init-container-0"
            ]
        );
        let q = one.question.as_ref().unwrap();
        assert_eq!(q.choices.len(), 2);
        assert_eq!(
            q.check,
            "kubectl get pod nginx-with-init-container-0 -o name"
        );
    }

    #[test]
    fn errors_name_the_line() {
        assert_eq!(parse("x", "hello").unwrap_err().line, 1);
        assert_eq!(parse("x", "# T\n$ kubectl get pods\n").unwrap_err().line, 2);
        assert!(
            parse("x", "# T\n")
                .unwrap_err()
                .message
                .contains("at least one step")
        );
        assert!(
            parse("x", "# T\n## S\n? q\n- a\ncheck: k\n")
                .unwrap_err()
                .message
                .contains("two choices")
        );
        assert!(
            parse("x", "# T\n## S\n? q\n- a\n- b\n")
                .unwrap_err()
                .message
                .contains("check")
        );
        assert_eq!(
            parse("x", "# T\n## S\n? q\nsome prose\n").unwrap_err().line,
            4
        );
        assert!(parse("x", "# T\n## S\n```\n").is_err());
        assert!(parse("x", "# T\n## S\nhighlight: web-0\n").is_err());
        assert!(parse("x", &"x".repeat(MAX_TOUR_BYTES + 1)).is_err());
    }

    #[test]
    fn right_choice_from_the_check() {
        let c: Vec<String> = ["Bound", "Terminating"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(right_choice(&c, "Terminating\n"), Some(1));
        assert_eq!(
            right_choice(&c, "NAME STATUS\ndata-web-1 Terminating pvc-1"),
            Some(1)
        );
        assert_eq!(right_choice(&c, "pod/x"), None);
        let p: Vec<String> = ["web-0", "web-1"].iter().map(|s| s.to_string()).collect();
        assert_eq!(right_choice(&p, "pod/web-1\n"), Some(1));
    }

    #[test]
    fn walking_a_tour_in_the_console() {
        let mut s = Session::new();
        let tours = [("small", SMALL)];
        let t = parse(tours[0].0, tours[0].1).unwrap();
        s.tour = Some(TourState::new(t));
        let o = s.run_line("sim tour answer 2");
        assert!(o.ok, "{}", o.combined);
        let o = s.run_line("sim tour next");
        assert!(o.ok, "{}", o.combined);
        assert!(
            o.stdout.contains(
                "$ kubectl apply -f svc.yaml -f sts.yaml\nservice/nginx-headless created\n"
            ),
            "{}",
            o.stdout
        );
        assert!(
            o.stdout
                .contains("prediction: right, nginx-with-init-container-0\n"),
            "{}",
            o.stdout
        );
        assert!(o.stdout.contains("── step 2/2: Two\n"), "{}", o.stdout);
        // Only the lines typed are logged; the step's commands are not (replaying the log runs
        // them again through `sim tour next`).
        assert_eq!(s.command_log(), ["sim tour answer 2", "sim tour next"]);
        let o = s.run_line("sim tour back");
        assert!(o.ok, "{}", o.combined);
        assert!(
            s.cluster()
                .store()
                .list::<k8s_openapi::api::apps::v1::StatefulSet>(None)
                .next()
                .is_none()
        );
        let o = s.run_line("sim tour stop");
        assert!(o.ok);
        assert!(s.tour().is_none());
    }

    const TIMED: &str = "# Timed\n## Apply\n$ kubectl apply -f svc.yaml -f sts.yaml\n## Settle\n$ sim settle\n## Scale\n$ kubectl scale sts nginx-with-init-container --replicas=1\n$ sim settle\n## End\nDone.\n";

    fn timed() -> Session {
        let mut s = Session::new();
        s.tour = Some(TourState::new(parse("timed", TIMED).unwrap()));
        s
    }

    fn at(s: &Session) -> (usize, usize) {
        (
            s.tour().map_or(99, |t| t.next),
            s.cluster().history_position(),
        )
    }

    #[test]
    fn tour_steps_move_with_the_timeline() {
        let mut s = timed();
        let p0 = s.cluster().history_position();
        for _ in 0..3 {
            assert!(s.run_line("sim tour next").ok);
        }
        let runs: Vec<(usize, usize)> = s
            .tour()
            .unwrap()
            .runs
            .iter()
            .map(|r| (r.start, r.end))
            .collect();
        assert_eq!(runs.len(), 3);
        assert_eq!(runs[0].0, p0);
        assert!(runs.windows(2).all(|w| w[0].1 <= w[1].0 && w[0].0 < w[0].1));
        let end = s.cluster().history_marks().len();
        assert_eq!(at(&s), (3, end));

        // Back: the timeline seeks to where step 3 began; its future stays.
        let o = s.run_line("sim tour back");
        assert!(o.ok, "{}", o.combined);
        assert_eq!(at(&s), (2, runs[2].0));
        assert_eq!(s.cluster().history_marks().len(), end, "non-destructive");
        // Forward: the step is still the timeline's future, so it is redone, not re-run.
        let o = s.run_line("sim tour next");
        assert!(
            o.stdout
                .contains("(redo: this step is still in the timeline"),
            "{}",
            o.stdout
        );
        assert!(
            o.stdout.contains("scaled"),
            "shows what it printed: {}",
            o.stdout
        );
        assert_eq!(at(&s), (3, end));
        assert_eq!(s.cluster().history_marks().len(), end);

        // Scrubbing to before step 2's end (inside it) moves the tour back to step 2; the
        // step is redone from there.
        let mid = (runs[1].0 + runs[1].1) / 2;
        let o = s.run_line(&format!("sim seek {mid}"));
        assert!(
            o.combined
                .contains("hint: the tour follows the timeline: back to step 2 (Settle)"),
            "{}",
            o.combined
        );
        assert_eq!(at(&s), (1, mid));
        // Scrubbing forward does not move the tour on by itself.
        assert!(s.run_line(&format!("sim seek {end}")).ok);
        assert_eq!(at(&s).0, 1);
        assert!(s.run_line(&format!("sim seek {mid}")).ok);
        assert!(s.run_line("sim tour next").stdout.contains("(redo:"));
        assert_eq!(at(&s), (2, runs[1].1));
        // Before step 1's start: back to step 1.
        assert!(s.run_line(&format!("sim seek {p0}")).ok);
        assert_eq!(at(&s), (0, p0));

        // Something new recorded replaces the future: the steps' runs are forgotten and
        // running a step runs its commands again.
        assert!(s.run_line("sim tour next").stdout.contains("(redo:"));
        s.run_line("kubectl delete pod nginx-with-init-container-0");
        assert!(s.run_line("sim step").ok);
        let t = s.tour().unwrap();
        assert_eq!((t.next, t.runs.len()), (1, 1), "{:?}", t.runs);
        let o = s.run_line("sim tour next");
        assert!(!o.stdout.contains("(redo:"), "{}", o.stdout);
        assert!(o.stdout.contains("$ sim settle\n"), "{}", o.stdout);
        assert_eq!(s.tour().unwrap().runs.len(), 2);
    }

    #[test]
    fn a_tour_starts_on_a_fresh_cluster() {
        let mut s = Session::new();
        assert!(cluster_is_fresh(&s));
        s.run_line("kubectl apply -f svc.yaml -f sts.yaml");
        assert!(!cluster_is_fresh(&s));
        let o = s.run_line("sim tour sticky-pod-orchestra");
        assert!(
            o.stdout.contains("a fresh cluster for this tour"),
            "{}",
            o.stdout
        );
        assert!(cluster_is_fresh(&s));
        let o = s.run_line("sim tour statefulset-basics");
        assert!(!o.stdout.contains("a fresh cluster"), "{}", o.stdout);
    }

    #[test]
    fn built_in_tours_parse_and_are_found() {
        assert_eq!(built_in_texts().len(), BUILT_IN.len());
        for (name, text) in built_in_texts() {
            let t = parse(name, text).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(t.steps.len() > 3, "{name}");
        }
        assert_eq!(
            find("statefulset-basics").unwrap().title,
            "StatefulSet Basics"
        );
        assert!(find("sticky").is_some());
        assert_eq!(find("basics").unwrap().name, "statefulset-basics");
        assert!(find("s").is_none());
        assert!(find("nope").is_none());
    }

    proptest::proptest! {
        #[test]
        fn any_text_parses_or_errors(s in "\\PC{0,400}") {
            let _ = parse("p", &s);
        }
        #[test]
        fn tour_like_text_never_panics(s in "(# |## |\\$ |\\? |- |check: |highlight: |```|[a-z/ ]{0,10}\n){0,40}") {
            let _ = parse("p", &s);
        }
    }
}

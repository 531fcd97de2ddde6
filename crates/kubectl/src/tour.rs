//! Guided tours: a tutorial as steps of prose and commands, walked in the console
//! (`sim tour NAME`, `sim tour next`, …), in the terminal (`stsplay tour NAME`) and in the browser.
//!
//! # The tour format
//!
//! A tour is a small markdown-like text file (the built-in ones are in the repository's
//! `tours/` folder):
//!
//! ~~~text
//! # The tour's title
//! Intro prose (any lines before the first step).
//!
//! ## A step's title
//! Prose lines, shown as written (markdown: `code`, **bold**, blank lines between paragraphs).
//! ```                      ← a fenced block is prose too (e.g. the output a tutorial prints)
//! NAME    READY   STATUS
//! ```
//! $ kubectl apply -f sts.yaml        ← a command the step runs, in order
//! $ sim settle
//! highlight: statefulset/web pod/web-0   ← objects to highlight in the diagram (TYPE/NAME)
//! ? Which pod is created first?          ← an optional prediction, asked before the step runs
//! - web-1                                ← its choices (2 to 8)
//! - web-0
//! check: kubectl get pods -o name        ← run after the step; decides which choice was right
//! ~~~
//!
//! The `check` command runs on the simulation after the step's commands; the right choice is
//! the one equal to its trimmed output, else the first choice that is one of its words (split
//! at blanks and `/`). So a prediction is never a fixed answer key: it is what the simulated
//! cluster does.
//!
//! Parsing is bounded ([`MAX_TOUR_BYTES`], [`MAX_STEPS`], …), never panics, and reports the
//! first problem with its line number.

use std::fmt;

use crate::fs::FileSource;
use crate::session::Session;

/// Largest tour text.
pub const MAX_TOUR_BYTES: usize = 256 * 1024;
/// Most steps, commands per step, choices per question, highlighted objects per step.
pub const MAX_STEPS: usize = 200;
pub const MAX_STEP_COMMANDS: usize = 64;
pub const MAX_CHOICES: usize = 8;
pub const MAX_HIGHLIGHTS: usize = 32;

/// The built-in tours: (name, text).
pub const BUILT_IN: &[(&str, &str)] = &[
    (
        "sticky-pod-orchestra",
        include_str!("../../../tours/sticky-pod-orchestra.md"),
    ),
    (
        "statefulset-basics",
        include_str!("../../../tours/statefulset-basics.md"),
    ),
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tour {
    /// The name it is found by (`statefulset-basics`).
    pub name: String,
    pub title: String,
    pub intro: String,
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Step {
    pub title: String,
    pub prose: String,
    pub commands: Vec<String>,
    /// `TYPE/NAME` of objects to highlight.
    pub highlight: Vec<String>,
    pub question: Option<Question>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub text: String,
    pub choices: Vec<String>,
    /// The command whose output decides the right choice.
    pub check: String,
}

/// A problem in a tour text: the 1-based line and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TourError {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for TourError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "tour:{}: {}", self.line, self.message)
    }
}

impl std::error::Error for TourError {}

fn err<T>(line: usize, message: impl Into<String>) -> Result<T, TourError> {
    Err(TourError {
        line,
        message: message.into(),
    })
}

fn push_prose(prose: &mut String, line: &str) {
    prose.push_str(line);
    prose.push('\n');
}

/// Parse a tour text; `name` is what it will be found by.
pub fn parse(name: &str, text: &str) -> Result<Tour, TourError> {
    if text.len() > MAX_TOUR_BYTES {
        return err(0, format!("longer than {MAX_TOUR_BYTES} bytes"));
    }
    let mut title: Option<String> = None;
    let mut intro = String::new();
    let mut steps: Vec<Step> = Vec::new();
    let mut in_fence = false;
    // Where a question's choices and check may go.
    let mut asking = false;
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        if raw.len() > crate::parse::MAX_LINE_BYTES {
            return err(n, "line too long");
        }
        let line = raw.trim_end();
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            match steps.last_mut() {
                Some(st) => push_prose(&mut st.prose, line),
                None if title.is_some() => push_prose(&mut intro, line),
                None => return err(n, "a tour starts with `# Title`"),
            }
            continue;
        }
        if in_fence {
            match steps.last_mut() {
                Some(st) => push_prose(&mut st.prose, line),
                None => push_prose(&mut intro, line),
            }
            continue;
        }
        if title.is_none() {
            if line.trim().is_empty() {
                continue;
            }
            match line.strip_prefix("# ") {
                Some(t) if !t.trim().is_empty() => {
                    title = Some(t.trim().to_string());
                    continue;
                }
                _ => return err(n, "a tour starts with `# Title`"),
            }
        }
        if let Some(t) = line.strip_prefix("## ") {
            if steps.len() >= MAX_STEPS {
                return err(n, format!("more than {MAX_STEPS} steps"));
            }
            if t.trim().is_empty() {
                return err(n, "a step needs a title");
            }
            steps.push(Step {
                title: t.trim().to_string(),
                ..Step::default()
            });
            asking = false;
            continue;
        }
        let Some(step) = steps.last_mut() else {
            if line.starts_with("$ ")
                || line.starts_with("? ")
                || line.starts_with("highlight:")
                || line.starts_with("check:")
            {
                return err(
                    n,
                    "commands, highlights and questions belong to a step (`## Title`)",
                );
            }
            push_prose(&mut intro, line);
            continue;
        };
        if let Some(cmd) = line.strip_prefix("$ ") {
            if step.commands.len() >= MAX_STEP_COMMANDS {
                return err(
                    n,
                    format!("more than {MAX_STEP_COMMANDS} commands in a step"),
                );
            }
            if cmd.trim().is_empty() {
                return err(n, "an empty command");
            }
            step.commands.push(cmd.trim().to_string());
            asking = false;
        } else if let Some(h) = line.strip_prefix("highlight:") {
            for obj in h.split([' ', ',']).filter(|w| !w.is_empty()) {
                if !obj.contains('/') {
                    return err(n, format!("highlight {obj:?}: write TYPE/NAME (pod/web-0)"));
                }
                if step.highlight.len() >= MAX_HIGHLIGHTS {
                    return err(n, format!("more than {MAX_HIGHLIGHTS} highlighted objects"));
                }
                step.highlight.push(obj.to_string());
            }
            asking = false;
        } else if let Some(q) = line.strip_prefix("? ") {
            if step.question.is_some() {
                return err(n, "one question per step");
            }
            if q.trim().is_empty() {
                return err(n, "an empty question");
            }
            step.question = Some(Question {
                text: q.trim().to_string(),
                choices: Vec::new(),
                check: String::new(),
            });
            asking = true;
        } else if let Some(c) = line.strip_prefix("- ").filter(|_| asking) {
            let Some(q) = step.question.as_mut() else {
                return err(n, "a choice without a question");
            };
            if q.choices.len() >= MAX_CHOICES {
                return err(n, format!("more than {MAX_CHOICES} choices"));
            }
            q.choices.push(c.trim().to_string());
        } else if let Some(c) = line.strip_prefix("check:") {
            let Some(q) = step.question.as_mut() else {
                return err(n, "`check:` belongs to a question (`? …`)");
            };
            if !q.check.is_empty() {
                return err(n, "one check per question");
            }
            if c.trim().is_empty() {
                return err(n, "an empty check command");
            }
            q.check = c.trim().to_string();
            asking = false;
        } else {
            if asking && !line.trim().is_empty() {
                return err(
                    n,
                    "a question's lines are its choices (`- …`) and `check: COMMAND`",
                );
            }
            push_prose(&mut step.prose, line);
        }
    }
    if in_fence {
        return err(text.lines().count(), "a fenced block (```) is not closed");
    }
    let Some(title) = title else {
        return err(1, "a tour starts with `# Title`");
    };
    if steps.is_empty() {
        return err(
            text.lines().count().max(1),
            "a tour needs at least one step (`## Title`)",
        );
    }
    for (i, st) in steps.iter().enumerate() {
        if let Some(q) = &st.question {
            if q.choices.len() < 2 {
                return err(
                    0,
                    format!("step {}: a question needs at least two choices", i + 1),
                );
            }
            if q.check.is_empty() {
                return err(
                    0,
                    format!("step {}: a question needs `check: COMMAND`", i + 1),
                );
            }
        }
    }
    Ok(Tour {
        name: name.to_string(),
        title,
        intro: trim_blank_lines(&intro),
        steps: steps
            .into_iter()
            .map(|mut s| {
                s.prose = trim_blank_lines(&s.prose);
                s
            })
            .collect(),
    })
}

fn trim_blank_lines(s: &str) -> String {
    let lines: Vec<&str> = s.lines().collect();
    let start = lines.iter().position(|l| !l.trim().is_empty());
    let end = lines.iter().rposition(|l| !l.trim().is_empty());
    match (start, end) {
        (Some(a), Some(b)) => {
            let mut out = lines.get(a..=b).unwrap_or(&[]).join("\n");
            out.push('\n');
            out
        }
        _ => String::new(),
    }
}

/// The built-in tours, parsed.
pub fn built_in() -> Vec<Tour> {
    BUILT_IN
        .iter()
        .filter_map(|(n, t)| parse(n, t).ok())
        .collect()
}

/// A built-in tour by name, title (any case) or unique name prefix.
pub fn find(name: &str) -> Option<Tour> {
    let want = name.trim().to_lowercase();
    let tours = built_in();
    if let Some(t) = tours
        .iter()
        .find(|t| t.name == want || t.title.to_lowercase() == want)
    {
        return Some(t.clone());
    }
    // A unique prefix, else a unique part of the name (`basics`).
    let prefixed: Vec<Tour> = tours
        .iter()
        .filter(|t| t.name.starts_with(&want))
        .cloned()
        .collect();
    let mut prefixed = if prefixed.is_empty() {
        tours
            .into_iter()
            .filter(|t| t.name.contains(&want))
            .collect::<Vec<_>>()
            .into_iter()
    } else {
        prefixed.into_iter()
    };
    match (prefixed.next(), prefixed.next()) {
        (Some(t), None) if !want.is_empty() => Some(t),
        _ => None,
    }
}

/// Which choice the check's output makes right: the choice equal to the trimmed output, else
/// the first choice that is one of its words (split at blanks and `/`).
pub fn right_choice(choices: &[String], output: &str) -> Option<usize> {
    let trimmed = output.trim();
    if let Some(i) = choices.iter().position(|c| c == trimmed) {
        return Some(i);
    }
    let words: Vec<&str> = trimmed
        .split(|c: char| c.is_whitespace() || c == '/')
        .filter(|w| !w.is_empty())
        .collect();
    choices.iter().position(|c| words.contains(&c.as_str()))
}

/// The tour a session is walking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TourState {
    pub tour: Tour,
    /// The step `sim tour next` runs (== steps.len() when finished).
    pub next: usize,
    /// The learner's prediction for that step's question (0-based choice).
    pub answer: Option<usize>,
    /// The cluster's history length before each step that ran (for `sim tour back`).
    pub marks: Vec<usize>,
    /// What the last step's prediction check said (`prediction: right, web-0`), for the UI.
    pub verdict: Option<String>,
}

impl TourState {
    /// The step about to run.
    pub fn current(&self) -> Option<&Step> {
        self.tour.steps.get(self.next)
    }

    pub fn finished(&self) -> bool {
        self.next >= self.tour.steps.len()
    }
}

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
        Some("next") => next(s, files),
        Some("back") => {
            let Some(st) = s.tour.as_mut() else {
                return Err("sim tour: no tour is running".into());
            };
            let Some(mark) = st.marks.pop() else {
                return Err("sim tour: at the first step".into());
            };
            st.next = st.next.saturating_sub(1);
            st.answer = None;
            st.verdict = None;
            let now = s.cluster.history_len();
            if now > mark {
                s.cluster
                    .back(now - mark)
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
            let st = TourState {
                tour,
                next: 0,
                answer: None,
                marks: Vec::new(),
                verdict: None,
            };
            out.push_str(&show_step(&st));
            s.tour = Some(st);
            Ok(out)
        }
    }
}

/// `sim tour next`: run the step's commands (each shown as `PROMPT COMMAND` and its output),
/// judge the prediction with the check command, then show the next step.
fn next(s: &mut Session, files: &dyn FileSource) -> Result<String, String> {
    let Some(st) = s.tour.as_ref() else {
        return Err("sim tour: no tour is running (`sim tour list`)".into());
    };
    let Some(step) = st.current().cloned() else {
        return Err("sim tour: the tour is finished (`sim tour back`, `sim tour stop`)".into());
    };
    let answer = st.answer;
    let mark = s.cluster.history_len();
    let mut out = String::new();
    for c in &step.commands {
        out.push_str(s.prompt());
        out.push_str(c);
        out.push('\n');
        let o = crate::console::run_unlogged(s, c, files);
        out.push_str(&o.combined);
        if !o.combined.is_empty() && !o.combined.ends_with('\n') {
            out.push('\n');
        }
    }
    let verdict_at = out.len();
    if let Some(q) = &step.question {
        let o = crate::console::run_unlogged(s, &q.check, files);
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
    if let Some(st) = s.tour.as_mut() {
        st.marks.push(mark);
        st.next += 1;
        st.answer = None;
        st.verdict = verdict;
        out.push_str(&show_step(st));
    }
    Ok(out)
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
        s.tour = Some(TourState {
            tour: t,
            next: 0,
            answer: None,
            marks: Vec::new(),
            verdict: None,
        });
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
        for (name, text) in BUILT_IN {
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

//! The guided tours' text format, its parser and the state of a tour being walked (no
//! `Session`: the session holds a [`TourState`]; `crate::tour` walks it).
//!
//! # The tour format
//!
//! A tour is a small markdown-like text file (the built-in ones are in the repository's
//! `tours/` folder):
//!
//! ~~~text
//! # The tour's title
//! summary: One line for the examples gallery (optional; else the intro's first sentence).
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
//! ## Tours and the timeline
//!
//! A tour steps forward and back with the timeline (`sim seek`, `sim redo`; positions are the
//! absolute history positions of `sim::history`). The rule:
//!
//! * Each step that runs records where it began and ended on the timeline, the timeline's
//!   entries in between and what it printed ([`StepRun`]).
//! * `sim tour back` (the panel's Back) seeks the timeline to where the previous step began,
//!   without losing the future, and shows that step again.
//! * `sim tour next` (Run step): when the step's recorded entries are still the timeline's
//!   future (nothing new was recorded since going back) and the timeline is at or after the
//!   step's start, it redoes them (`sim redo`) and shows what the step printed then, and checks
//!   the prediction again; otherwise it runs the step's commands from where the timeline is.
//! * Moving the timeline by any line (`sim seek`, `sim back`, the slider, a command): when it
//!   is before the end of a step that ran (before its start, or inside it), the tour goes back
//!   to the earliest such step (a `hint:` says so). Recording something new before a step's end
//!   replaces the future, so that step's run (and the later ones') is forgotten. Moving the
//!   timeline forward never moves the tour on by itself: Run step does (a redo of nothing when
//!   Play already replayed the step).
//!
//! Parsing is bounded ([`MAX_TOUR_BYTES`], [`MAX_STEPS`], …), never panics, and reports the
//! first problem with its line number.

use std::fmt;

/// Largest tour text.
pub const MAX_TOUR_BYTES: usize = 256 * 1024;
/// Most steps, commands per step, choices per question, highlighted objects per step.
pub const MAX_STEPS: usize = 200;
pub const MAX_STEP_COMMANDS: usize = 64;
pub const MAX_CHOICES: usize = 8;
pub const MAX_HIGHLIGHTS: usize = 32;

/// The built-in tours' names; their texts are `tours/NAME.md` in [`crate::texts`] (compiled in
/// natively, fetched on first use in the browser).
pub const BUILT_IN: &[&str] = &["sticky-pod-orchestra", "statefulset-basics"];

/// The built-in tours: (name, text), those whose text is here ([`crate::texts::ready`]).
pub fn built_in_texts() -> Vec<(&'static str, &'static str)> {
    BUILT_IN
        .iter()
        .filter_map(|n| Some((*n, crate::texts::get(&format!("tours/{n}.md"))?)))
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tour {
    /// The name it is found by (`statefulset-basics`).
    pub name: String,
    pub title: String,
    /// One line for the gallery (`summary:` in the intro, else the intro's first sentence).
    pub summary: String,
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
    let mut summary: Option<String> = None;
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
            if let Some(sm) = line.strip_prefix("summary:") {
                summary = Some(sm.trim().to_string());
                continue;
            }
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
    let intro = trim_blank_lines(&intro);
    let summary = summary.unwrap_or_else(|| {
        let flat = intro.split_whitespace().collect::<Vec<_>>().join(" ");
        match flat.find(". ") {
            Some(i) => flat.get(..=i).unwrap_or(&flat).to_string(),
            None => flat,
        }
    });
    Ok(Tour {
        name: name.to_string(),
        title,
        summary,
        intro,
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
    built_in_texts()
        .into_iter()
        .filter_map(|(n, t)| parse(n, t).ok())
        .collect()
}

/// A built-in tour by name, title (any case) or unique name prefix.
pub fn find(name: &str) -> Option<Tour> {
    let want = sim::unicase::lowercase(name.trim());
    let tours = built_in();
    if let Some(t) = tours
        .iter()
        .find(|t| t.name == want || sim::unicase::lowercase(&t.title) == want)
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
#[derive(Debug, Clone, PartialEq)]
pub struct TourState {
    pub tour: Tour,
    /// The step `sim tour next` runs (== steps.len() when finished).
    pub next: usize,
    /// The learner's prediction for that step's question (0-based choice).
    pub answer: Option<usize>,
    /// Where on the timeline each step ran, in step order (`runs[i]` is step `i`'s last run;
    /// runs at and after `next` are the tour's own future, which `sim tour next` redoes).
    pub runs: Vec<StepRun>,
    /// What the last step's prediction check said (`prediction: right, web-0`), for the UI.
    pub verdict: Option<String>,
}

/// Where one step ran on the timeline (absolute history positions, see `sim::history`), and
/// what it printed, so that stepping the tour forward again can redo it.
#[derive(Debug, Clone, PartialEq)]
pub struct StepRun {
    /// The timeline position where the step began (before its commands).
    pub start: usize,
    /// The position after its commands.
    pub end: usize,
    /// The timeline's marks of `start..end` as recorded: the step is still in the timeline's
    /// future while these are unchanged.
    pub marks: Vec<sim::history::Mark>,
    /// What its commands printed (shown again when it is redone).
    pub output: String,
}

impl TourState {
    /// A tour about to start at its first step.
    pub fn new(tour: Tour) -> Self {
        TourState {
            tour,
            next: 0,
            answer: None,
            runs: Vec::new(),
            verdict: None,
        }
    }

    /// The step about to run.
    pub fn current(&self) -> Option<&Step> {
        self.tour.steps.get(self.next)
    }

    pub fn finished(&self) -> bool {
        self.next >= self.tour.steps.len()
    }
}

#[cfg(test)]
mod tests {
    use super::find;

    /// Names and titles match in any case (`str::to_lowercase`): ASCII, and `İ` lowercases to
    /// `i̇` (two chars), which is in no tour's name.
    #[test]
    fn find_any_case() {
        let name = |q: &str| find(q).map(|t| t.name);
        assert_eq!(
            name("THE STICKY-POD ORCHESTRA").as_deref(),
            Some("sticky-pod-orchestra")
        );
        assert_eq!(
            name(" StatefulSet-Basics ").as_deref(),
            Some("statefulset-basics")
        );
        assert_eq!(name("BASICS").as_deref(), Some("statefulset-basics"));
        assert_eq!(name("STİCKY"), None);
        assert_eq!(name("ΣTICKY"), None);
    }
}

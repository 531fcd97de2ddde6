//! The pipe programs after a kubectl command: `grep`, `head`, `tail`, `wc -l`, applied to the
//! command's stdout (stderr goes to the terminal, as in a shell). Exit status follows the shell
//! without `pipefail`: the last stage decides (grep with no selected line → 1).

use crate::parse::{Grep, Pipe};

/// Run `text` through the stages. Returns the new text and whether the last stage succeeded
/// (`None` = the stage does not change the status: head/tail/wc always succeed).
pub fn run_pipes(mut text: String, pipes: &[Pipe]) -> Result<(String, bool), String> {
    let mut ok = true;
    for p in pipes {
        let lines: Vec<&str> = split_lines(&text);
        let (out, stage_ok) = match p {
            Pipe::Grep(g) => grep(&lines, g)?,
            Pipe::Head(n) => (join(lines.iter().take(*n).copied()), true),
            Pipe::Tail(n) => (
                join(lines.iter().skip(lines.len().saturating_sub(*n)).copied()),
                true,
            ),
            Pipe::WcLines => (format!("{}\n", lines.len()), true),
        };
        text = out;
        ok = stage_ok;
    }
    Ok((text, ok))
}

fn split_lines(text: &str) -> Vec<&str> {
    if text.is_empty() {
        return Vec::new();
    }
    text.strip_suffix('\n')
        .unwrap_or(text)
        .split('\n')
        .collect()
}

fn join<'a>(lines: impl Iterator<Item = &'a str>) -> String {
    let mut s = String::new();
    for l in lines {
        s.push_str(l);
        s.push('\n');
    }
    s
}

/// Translate a POSIX basic regular expression (grep's default) to the `regex` crate's syntax:
/// in a BRE `+ ? | ( ) { }` are literal and their backslashed forms are operators (GNU).
fn bre_to_ere(p: &str) -> String {
    let mut out = String::new();
    let mut chars = p.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(x @ ('+' | '?' | '|' | '(' | ')' | '{' | '}')) => out.push(x),
                Some(x) => {
                    out.push('\\');
                    out.push(x);
                }
                None => out.push_str("\\\\"),
            },
            '+' | '?' | '|' | '(' | ')' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            other => out.push(other),
        }
    }
    out
}

fn grep(lines: &[&str], g: &Grep) -> Result<(String, bool), String> {
    let pat = if g.extended {
        g.pattern.clone()
    } else {
        bre_to_ere(&g.pattern)
    };
    // regex-lite: linear-time matching like the regex crate (no backtracking), with ASCII
    // classes and ASCII case folding (GNU grep in the C locale); size and nesting bounded
    let re = regex_lite::RegexBuilder::new(&pat)
        .case_insensitive(g.ignore_case)
        .size_limit(1 << 20)
        .nest_limit(64)
        .build()
        .map_err(|e| {
            format!(
                "grep: invalid regular expression: {}",
                e.to_string().lines().last().unwrap_or("")
            )
        })?;
    let selected: Vec<bool> = lines.iter().map(|l| re.is_match(l) != g.invert).collect();
    let any = selected.iter().any(|&s| s);
    let mut out = String::new();
    // GNU grep: print selected lines with B lines before and A after; `--` between groups that
    // are not adjacent (only when context was asked for).
    let context = g.before > 0 || g.after > 0;
    let mut last_printed: Option<usize> = None;
    let mut after_left = 0usize;
    for (i, line) in lines.iter().enumerate() {
        let sel = selected.get(i).copied().unwrap_or(false);
        let in_before = !sel
            && (1..=g.before).any(|d| {
                i.checked_add(d)
                    .and_then(|j| selected.get(j))
                    .copied()
                    .unwrap_or(false)
            });
        if sel || in_before || after_left > 0 {
            if context
                && let Some(lp) = last_printed
                && i > lp + 1
            {
                out.push_str("--\n");
            }
            out.push_str(line);
            out.push('\n');
            last_printed = Some(i);
        }
        if sel {
            after_left = g.after;
        } else {
            after_left = after_left.saturating_sub(1);
        }
    }
    Ok((out, any))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{Line, parse_line};

    fn run(text: &str, line: &str) -> (String, bool) {
        let Line::Kubectl { pipes, .. } = parse_line(line).unwrap() else {
            panic!()
        };
        run_pipes(text.to_string(), &pipes).unwrap()
    }

    #[test]
    fn grep_patterns_that_backtrack_exponentially_elsewhere_finish() {
        // a backtracking engine takes 2^n steps on these; regex-lite is linear in the input
        let line = "a".repeat(5000);
        let text = format!("{line}\n");
        assert_eq!(run(&text, "k a | grep -E '(a|aa)*c'").0, "");
        assert_eq!(run(&text, "k a | grep -E '^(a+)+$'").0, text);
    }

    #[test]
    fn grep_refuses_patterns_nested_too_deep() {
        let pat = format!("{}a{}", "(".repeat(100), ")".repeat(100));
        let Line::Kubectl { pipes, .. } = parse_line(&format!("k a | grep -E '{pat}'")).unwrap()
        else {
            panic!()
        };
        let err = run_pipes("a\n".into(), &pipes).unwrap_err();
        assert!(
            err.starts_with("grep: invalid regular expression: "),
            "{err}"
        );
    }

    const TEXT: &str = "a\nb\nEvents:\nh\nd\n1\n2\n3\n4\n";

    #[test]
    fn grep_after_context() {
        assert_eq!(
            run(TEXT, "k x | grep -A5 Events").0,
            "Events:\nh\nd\n1\n2\n3\n"
        );
    }

    #[test]
    fn grep_separator_between_groups_and_status() {
        let (out, ok) = run("x1\ny\nz\nw\nx2\n", "k a | grep -B1 x");
        assert_eq!(out, "x1\n--\nw\nx2\n");
        assert!(ok);
        let (out, ok) = run("a\n", "k a | grep zzz");
        assert_eq!(out, "");
        assert!(!ok);
    }

    #[test]
    fn basic_vs_extended() {
        assert_eq!(run("a|b\nab\n", "k a | grep 'a|b'").0, "a|b\n");
        assert_eq!(run("a|b\nab\nb\n", "k a | grep -E '^(a|b)$'").0, "b\n");
        assert_eq!(
            run("Running\nPending\n", "k a | grep -iv running").0,
            "Pending\n"
        );
    }

    #[test]
    fn head_tail_wc() {
        assert_eq!(run(TEXT, "k a | head -n 2").0, "a\nb\n");
        assert_eq!(run(TEXT, "k a | tail -2").0, "3\n4\n");
        assert_eq!(run(TEXT, "k a | wc -l").0, "9\n");
        assert_eq!(run("", "k a | wc -l").0, "0\n");
    }
}

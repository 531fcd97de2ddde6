//! The command line: `kubectl …` (or `k …`), `sim …`, `# comment`, with simple pipes.
//!
//! Splitting follows a small, honest subset of POSIX shell word splitting: whitespace separates
//! words, `'…'` is literal, `"…"` allows `\"` and `\\`, a backslash outside quotes escapes the
//! next character, an unquoted `|` separates pipeline stages and an unquoted `#` at the start of
//! a word starts a comment. Everything else (variables, globs, `$(…)`) is left as literal text.
//! Parsing never panics and is bounded by [`MAX_LINE_BYTES`].

use std::fmt;

/// Longest line we accept (a pasted manifest belongs in a file, not on the command line).
pub const MAX_LINE_BYTES: usize = 16 * 1024;
/// Most pipeline stages after the command.
pub const MAX_PIPES: usize = 8;

/// One parsed line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// Blank line.
    Empty,
    /// `# …` (the text after `#`, trimmed).
    Comment(String),
    /// `kubectl ARGS…` or `k ARGS…` (args exclude the program name).
    Kubectl { args: Vec<String>, pipes: Vec<Pipe> },
    /// `sim ARGS…`.
    Sim { args: Vec<String>, pipes: Vec<Pipe> },
}

/// A pipeline stage after the command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pipe {
    Grep(Grep),
    Head(usize),
    Tail(usize),
    /// `wc -l`
    WcLines,
}

/// `grep [-i] [-v] [-E] [-A N] [-B N] [-C N] PATTERN`
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Grep {
    pub pattern: String,
    pub ignore_case: bool,
    pub invert: bool,
    pub extended: bool,
    pub before: usize,
    pub after: usize,
}

/// Why a line could not be parsed. `Display` is what the shell (or kubectl) would print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    TooLong,
    UnterminatedQuote(char),
    /// The first word is not a command we know.
    CommandNotFound(String),
    /// `|` with nothing after it, or `| |`.
    EmptyPipe,
    /// A pipe to a program we do not simulate.
    UnsupportedPipe(String),
    /// A bad option or argument to a pipe program: (program, message).
    PipeUsage(&'static str, String),
    TooManyPipes,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::TooLong => write!(f, "error: line longer than {MAX_LINE_BYTES} bytes"),
            ParseError::UnterminatedQuote(q) => {
                write!(
                    f,
                    "syntax error: unexpected end of line while looking for matching `{q}'"
                )
            }
            ParseError::CommandNotFound(c) => write!(
                f,
                "{c}: command not found (this playground runs `kubectl …`, `k …`, `sim …`, `echo`, `for` loops and `# comments`)"
            ),
            ParseError::EmptyPipe => write!(f, "syntax error near unexpected token `|'"),
            ParseError::UnsupportedPipe(p) => write!(
                f,
                "{p}: not simulated here (pipes support grep, head, tail and wc -l)"
            ),
            ParseError::PipeUsage(p, m) => write!(f, "{p}: {m}"),
            ParseError::TooManyPipes => write!(f, "error: at most {MAX_PIPES} pipes per line"),
        }
    }
}

impl std::error::Error for ParseError {}

/// A word with a note of whether it was a bare `|` (pipe operator) or quoted text.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Word(String),
    Pipe,
}

/// Split a line into words and pipe operators; stops at an unquoted `#` word start.
fn tokenize(line: &str) -> Result<Vec<Tok>, ParseError> {
    let mut toks = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\r' | '\n' => {
                if in_word {
                    toks.push(Tok::Word(std::mem::take(&mut cur)));
                    in_word = false;
                }
            }
            '|' => {
                if in_word {
                    toks.push(Tok::Word(std::mem::take(&mut cur)));
                    in_word = false;
                }
                toks.push(Tok::Pipe);
            }
            '#' if !in_word => break,
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(x) => cur.push(x),
                        None => return Err(ParseError::UnterminatedQuote('\'')),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(x @ ('"' | '\\' | '$' | '`')) => cur.push(x),
                            Some(x) => {
                                cur.push('\\');
                                cur.push(x);
                            }
                            None => return Err(ParseError::UnterminatedQuote('"')),
                        },
                        Some(x) => cur.push(x),
                        None => return Err(ParseError::UnterminatedQuote('"')),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(x) = chars.next() {
                    cur.push(x);
                }
            }
            other => {
                in_word = true;
                cur.push(other);
            }
        }
    }
    if in_word {
        toks.push(Tok::Word(cur));
    }
    Ok(toks)
}

/// Parse one line of the command language.
pub fn parse_line(line: &str) -> Result<Line, ParseError> {
    if line.len() > MAX_LINE_BYTES {
        return Err(ParseError::TooLong);
    }
    let trimmed = line.trim();
    if trimmed.is_empty() {
        return Ok(Line::Empty);
    }
    if let Some(rest) = trimmed.strip_prefix('#') {
        return Ok(Line::Comment(rest.trim().to_string()));
    }
    let toks = tokenize(trimmed)?;
    let mut stages: Vec<Vec<String>> = vec![Vec::new()];
    for t in toks {
        match t {
            Tok::Word(w) => {
                if let Some(last) = stages.last_mut() {
                    last.push(w);
                }
            }
            Tok::Pipe => stages.push(Vec::new()),
        }
    }
    if stages.iter().any(Vec::is_empty) {
        if stages.len() == 1 {
            return Ok(Line::Empty);
        }
        return Err(ParseError::EmptyPipe);
    }
    if stages.len() > MAX_PIPES + 1 {
        return Err(ParseError::TooManyPipes);
    }
    let mut it = stages.into_iter();
    let mut cmd = it.next().unwrap_or_default();
    let pipes = it.map(parse_pipe).collect::<Result<Vec<_>, _>>()?;
    if cmd.is_empty() {
        return Ok(Line::Empty);
    }
    let program = cmd.remove(0);
    match program.as_str() {
        "kubectl" | "k" => Ok(Line::Kubectl { args: cmd, pipes }),
        "sim" => Ok(Line::Sim { args: cmd, pipes }),
        _ => Err(ParseError::CommandNotFound(program)),
    }
}

fn parse_count(prog: &'static str, v: Option<&String>) -> Result<usize, ParseError> {
    let Some(v) = v else {
        return Err(ParseError::PipeUsage(
            prog,
            "option requires an argument".into(),
        ));
    };
    v.parse::<usize>()
        .map(|n| n.min(1_000_000))
        .map_err(|_| ParseError::PipeUsage(prog, format!("invalid number: '{v}'")))
}

pub(crate) fn parse_pipe(words: Vec<String>) -> Result<Pipe, ParseError> {
    let mut it = words.into_iter();
    let prog = it.next().unwrap_or_default();
    let rest: Vec<String> = it.collect();
    match prog.as_str() {
        "grep" | "egrep" => parse_grep(&rest, prog == "egrep"),
        "head" | "tail" => {
            let name: &'static str = if prog == "head" { "head" } else { "tail" };
            let mut n = 10usize;
            let mut i = 0;
            while let Some(a) = rest.get(i) {
                if a == "-n" {
                    n = parse_count(name, rest.get(i + 1))?;
                    i += 2;
                } else if let Some(v) = a.strip_prefix("-n") {
                    n = parse_count(name, Some(&v.to_string()))?;
                    i += 1;
                } else if let Some(v) = a.strip_prefix("--lines=") {
                    n = parse_count(name, Some(&v.to_string()))?;
                    i += 1;
                } else if let Some(v) = a
                    .strip_prefix('-')
                    .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
                {
                    n = parse_count(name, Some(&v.to_string()))?;
                    i += 1;
                } else {
                    return Err(ParseError::PipeUsage(
                        name,
                        format!("unsupported argument '{a}'"),
                    ));
                }
            }
            Ok(if name == "head" {
                Pipe::Head(n)
            } else {
                Pipe::Tail(n)
            })
        }
        "wc" => {
            if rest.len() == 1 && rest.first().is_some_and(|a| a == "-l") {
                Ok(Pipe::WcLines)
            } else {
                Err(ParseError::PipeUsage(
                    "wc",
                    "only `wc -l` is simulated".into(),
                ))
            }
        }
        other => Err(ParseError::UnsupportedPipe(other.to_string())),
    }
}

fn parse_grep(rest: &[String], egrep: bool) -> Result<Pipe, ParseError> {
    let mut g = Grep {
        extended: egrep,
        ..Grep::default()
    };
    let mut pattern: Option<String> = None;
    let mut i = 0;
    let mut only_positional = false;
    while let Some(a) = rest.get(i) {
        i += 1;
        if only_positional || !a.starts_with('-') || a == "-" {
            if pattern.is_none() {
                pattern = Some(a.clone());
                continue;
            }
            return Err(ParseError::PipeUsage(
                "grep",
                format!("{a}: reading files is not simulated"),
            ));
        }
        if a == "--" {
            only_positional = true;
            continue;
        }
        if let Some(long) = a.strip_prefix("--") {
            match long {
                "ignore-case" => g.ignore_case = true,
                "invert-match" => g.invert = true,
                "extended-regexp" => g.extended = true,
                _ => {
                    let (k, v) = long.split_once('=').unwrap_or((long, ""));
                    let n = parse_count("grep", Some(&v.to_string()))?;
                    match k {
                        "after-context" => g.after = n,
                        "before-context" => g.before = n,
                        "context" => {
                            g.after = n;
                            g.before = n;
                        }
                        _ => {
                            return Err(ParseError::PipeUsage(
                                "grep",
                                format!("unrecognized option '{a}'"),
                            ));
                        }
                    }
                }
            }
            continue;
        }
        // Short options, possibly bundled (`-iv`), with `-A5` / `-A 5` forms.
        let body: Vec<char> = a.chars().skip(1).collect();
        let mut j = 0;
        while let Some(&c) = body.get(j) {
            j += 1;
            match c {
                'i' => g.ignore_case = true,
                'v' => g.invert = true,
                'E' => g.extended = true,
                'A' | 'B' | 'C' => {
                    let attached: String = body.iter().skip(j).collect();
                    let n = if attached.is_empty() {
                        let v = rest.get(i);
                        i += 1;
                        parse_count("grep", v)?
                    } else {
                        parse_count("grep", Some(&attached))?
                    };
                    j = body.len();
                    match c {
                        'A' => g.after = n,
                        'B' => g.before = n,
                        _ => {
                            g.after = n;
                            g.before = n;
                        }
                    }
                }
                'e' => {
                    let attached: String = body.iter().skip(j).collect();
                    j = body.len();
                    if attached.is_empty() {
                        pattern = rest.get(i).cloned();
                        i += 1;
                    } else {
                        pattern = Some(attached);
                    }
                }
                other => {
                    return Err(ParseError::PipeUsage(
                        "grep",
                        format!("invalid option -- '{other}'"),
                    ));
                }
            }
        }
    }
    match pattern {
        Some(p) => {
            g.pattern = p;
            Ok(Pipe::Grep(g))
        }
        None => Err(ParseError::PipeUsage(
            "grep",
            "missing pattern (usage: grep [-i] [-v] [-E] [-A N] [-B N] [-C N] PATTERN)".into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kubectl(s: &str) -> (Vec<String>, Vec<Pipe>) {
        match parse_line(s).unwrap() {
            Line::Kubectl { args, pipes } => (args, pipes),
            other => panic!("not kubectl: {other:?}"),
        }
    }

    #[test]
    fn words_quotes_and_alias() {
        let (a, p) = kubectl("k get pods -l 'app=nginx' -o \"jsonpath={.items[*].metadata.name}\"");
        assert_eq!(
            a,
            [
                "get",
                "pods",
                "-l",
                "app=nginx",
                "-o",
                "jsonpath={.items[*].metadata.name}"
            ]
        );
        assert!(p.is_empty());
    }

    #[test]
    fn comments_and_blank() {
        assert_eq!(
            parse_line("  # hi there").unwrap(),
            Line::Comment("hi there".into())
        );
        assert_eq!(parse_line("   ").unwrap(), Line::Empty);
        let (a, _) = kubectl("kubectl get pods # trailing");
        assert_eq!(a, ["get", "pods"]);
        // `#` inside a word is literal
        let (a, _) = kubectl("kubectl get pods a#b");
        assert_eq!(a, ["get", "pods", "a#b"]);
    }

    #[test]
    fn grep_after_context_like_the_seed() {
        let (a, p) = kubectl("kubectl describe pod web-1 | grep -A5 Events");
        assert_eq!(a, ["describe", "pod", "web-1"]);
        assert_eq!(
            p,
            [Pipe::Grep(Grep {
                pattern: "Events".into(),
                after: 5,
                ..Grep::default()
            })]
        );
        let (_, p) =
            kubectl("kubectl get pods | grep -iv -C 2 -E 'a|b' | head -n 3 | tail -2 | wc -l");
        assert_eq!(
            p,
            [
                Pipe::Grep(Grep {
                    pattern: "a|b".into(),
                    ignore_case: true,
                    invert: true,
                    extended: true,
                    before: 2,
                    after: 2
                }),
                Pipe::Head(3),
                Pipe::Tail(2),
                Pipe::WcLines
            ]
        );
    }

    #[test]
    fn errors() {
        assert_eq!(
            parse_line("ls -l").unwrap_err(),
            ParseError::CommandNotFound("ls".into())
        );
        assert_eq!(
            parse_line("kubectl get pods |").unwrap_err(),
            ParseError::EmptyPipe
        );
        assert_eq!(
            parse_line("kubectl get 'pods").unwrap_err(),
            ParseError::UnterminatedQuote('\'')
        );
        assert!(matches!(
            parse_line("kubectl get pods | sort").unwrap_err(),
            ParseError::UnsupportedPipe(_)
        ));
        assert!(matches!(
            parse_line("kubectl get pods | grep").unwrap_err(),
            ParseError::PipeUsage("grep", _)
        ));
        assert_eq!(
            parse_line("kubectl get pods | sort")
                .unwrap_err()
                .to_string(),
            "sort: not simulated here (pipes support grep, head, tail and wc -l)"
        );
    }

    #[test]
    fn sim_directive() {
        assert_eq!(
            parse_line("sim fault pod x crash").unwrap(),
            Line::Sim {
                args: vec!["fault".into(), "pod".into(), "x".into(), "crash".into()],
                pipes: vec![]
            }
        );
    }

    proptest::proptest! {
        #[test]
        fn any_string_parses_or_errors(s in "\\PC{0,200}") {
            let _ = parse_line(&s);
        }
        #[test]
        fn shell_like_strings_never_panic(s in "(kubectl|k|sim) [a-z|\"'#\\\\ =-]{0,80}") {
            let _ = parse_line(&s);
        }
    }
}

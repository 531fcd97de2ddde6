//! YAML highlighting for the editor: a line tokenizer good enough for Kubernetes manifests
//! (keys, strings, numbers, booleans, comments, list dashes, anchors/tags, block scalars). The
//! tokens carry the text, which the editor renders as text nodes; this never builds markup.

/// What a token is (its CSS class).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tok {
    Plain,
    Key,
    Punct,
    Str,
    Num,
    Bool,
    Comment,
    Meta,
    /// A block scalar's content (`|`, `>`).
    Block,
}

impl Tok {
    pub fn class(self) -> &'static str {
        match self {
            Tok::Plain => "t-plain",
            Tok::Key => "t-key",
            Tok::Punct => "t-punct",
            Tok::Str => "t-str",
            Tok::Num => "t-num",
            Tok::Bool => "t-bool",
            Tok::Comment => "t-comment",
            Tok::Meta => "t-meta",
            Tok::Block => "t-block",
        }
    }
}

pub type Line = Vec<(Tok, String)>;

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// Tokens of every line of `text` (`text.split('\n')`, so the last line may be empty).
pub fn highlight(text: &str) -> Vec<Line> {
    let mut out = Vec::new();
    // While inside a block scalar: the indentation of the line that opened it.
    let mut block: Option<usize> = None;
    for line in text.split('\n') {
        let ind = indent_of(line);
        if let Some(open) = block {
            if line.trim().is_empty() || ind > open {
                out.push(vec![(Tok::Block, line.to_string())]);
                continue;
            }
            block = None;
        }
        let (toks, opens_block) = tokenize_line(line);
        if opens_block {
            block = Some(ind);
        }
        out.push(toks);
    }
    out
}

/// Where a ` #` comment starts outside quotes.
fn comment_start(s: &str) -> Option<usize> {
    let mut sq = false;
    let mut dq = false;
    let mut prev_space = true;
    for (i, c) in s.char_indices() {
        match c {
            '\'' if !dq => sq = !sq,
            '"' if !sq => dq = !dq,
            '#' if !sq && !dq && prev_space => return Some(i),
            _ => {}
        }
        prev_space = c == ' ' || c == '\t';
    }
    None
}

fn scalar(v: &str) -> Tok {
    let t = v.trim();
    if t.starts_with('"') || t.starts_with('\'') {
        return Tok::Str;
    }
    if t.starts_with('&') || t.starts_with('*') || t.starts_with('!') {
        return Tok::Meta;
    }
    match t {
        "true" | "false" | "True" | "False" | "TRUE" | "FALSE" | "null" | "Null" | "NULL" | "~"
        | "yes" | "no" => return Tok::Bool,
        _ => {}
    }
    if !t.is_empty()
        && t.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'))
        && t.chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || c == '-' || c == '+')
    {
        return Tok::Num;
    }
    Tok::Plain
}

/// Where the `key:` of a mapping line ends (after the colon), if the line is one.
fn key_end(s: &str) -> Option<usize> {
    let first = s.chars().next()?;
    if first == '"' || first == '\'' {
        let close = s.get(1..)?.find(first)? + 1;
        let rest = s.get(close + 1..)?;
        return rest.starts_with(':').then_some(close + 2).filter(|&e| {
            s.get(e..)
                .is_none_or(|r| r.is_empty() || r.starts_with(' '))
        });
    }
    if matches!(first, '-' | '[' | '{' | '#' | '|' | '>' | '&' | '*' | '!') {
        return None;
    }
    for (j, c) in s.char_indices() {
        if c == ':' {
            let after = s.get(j + 1..).unwrap_or("");
            if after.is_empty() || after.starts_with(' ') {
                return Some(j + 1);
            }
        }
        if c == '#' && s.get(..j).is_some_and(|b| b.ends_with(' ')) {
            return None;
        }
    }
    None
}

/// One line's tokens, and whether it opens a block scalar.
fn tokenize_line(line: &str) -> (Line, bool) {
    let mut toks: Line = Vec::new();
    let ind = indent_of(line);
    if ind > 0 {
        toks.push((Tok::Plain, " ".repeat(ind)));
    }
    let mut rest = line.get(ind..).unwrap_or("");
    if rest.starts_with('#') {
        toks.push((Tok::Comment, rest.to_string()));
        return (toks, false);
    }
    if ind == 0 && (rest.starts_with("---") || rest.starts_with("...")) {
        toks.push((Tok::Meta, rest.to_string()));
        return (toks, false);
    }
    // List dashes.
    while rest.starts_with("- ") || rest == "-" {
        toks.push((Tok::Punct, "-".into()));
        let after = rest.get(1..).unwrap_or("");
        let spaces = after.len() - after.trim_start_matches(' ').len();
        if spaces > 0 {
            toks.push((Tok::Plain, " ".repeat(spaces)));
        }
        rest = after.get(spaces..).unwrap_or("");
    }
    let (body, comment) = match comment_start(rest) {
        Some(i) => (rest.get(..i).unwrap_or(rest), rest.get(i..)),
        None => (rest, None),
    };
    let mut value = body;
    if let Some(k) = key_end(body) {
        let (key, colon_rest) = body.split_at(k.saturating_sub(1));
        toks.push((Tok::Key, key.to_string()));
        toks.push((Tok::Punct, ":".into()));
        value = colon_rest.get(1..).unwrap_or("");
    }
    let trimmed = value.trim();
    let opens_block = matches!(trimmed.chars().next(), Some('|' | '>'))
        && trimmed
            .chars()
            .skip(1)
            .all(|c| matches!(c, '-' | '+') || c.is_ascii_digit());
    if !value.is_empty() {
        let lead = value.len() - value.trim_start().len();
        if lead > 0 {
            toks.push((Tok::Plain, " ".repeat(lead)));
        }
        let v = value.get(lead..).unwrap_or("");
        if !v.is_empty() {
            let kind = if opens_block { Tok::Punct } else { scalar(v) };
            toks.push((kind, v.to_string()));
        }
    }
    if let Some(c) = comment {
        toks.push((Tok::Comment, c.to_string()));
    }
    (toks, opens_block)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classes(line: &str) -> Vec<(Tok, String)> {
        tokenize_line(line).0
    }

    fn v(x: &[(Tok, &str)]) -> Vec<(Tok, String)> {
        x.iter().map(|(k, s)| (*k, s.to_string())).collect()
    }

    #[test]
    fn tokens_rebuild_the_line_exactly() {
        let text = include_str!("../../kubectl/seed/sts.yaml");
        let lines = highlight(text);
        assert_eq!(lines.len(), text.split('\n').count());
        for (toks, line) in lines.iter().zip(text.split('\n')) {
            let joined: String = toks.iter().map(|(_, s)| s.as_str()).collect();
            assert_eq!(joined, line);
        }
    }

    #[test]
    fn keys_values_comments_and_blocks() {
        assert_eq!(
            classes("  replicas: 3   # three"),
            v(&[
                (Tok::Plain, "  "),
                (Tok::Key, "replicas"),
                (Tok::Punct, ":"),
                (Tok::Plain, " "),
                (Tok::Num, "3   "),
                (Tok::Comment, "# three")
            ])
        );
        assert_eq!(
            classes("- name: \"a: b\""),
            v(&[
                (Tok::Punct, "-"),
                (Tok::Plain, " "),
                (Tok::Key, "name"),
                (Tok::Punct, ":"),
                (Tok::Plain, " "),
                (Tok::Str, "\"a: b\"")
            ])
        );
        assert_eq!(
            classes("image: nginx:1.26.0"),
            v(&[
                (Tok::Key, "image"),
                (Tok::Punct, ":"),
                (Tok::Plain, " "),
                (Tok::Plain, "nginx:1.26.0")
            ])
        );
        assert_eq!(
            classes("clusterIP: None").last().map(|t| t.0),
            Some(Tok::Plain)
        );
        assert_eq!(classes("x: true").last().map(|t| t.0), Some(Tok::Bool));
        let hl = highlight("a: |\n  x: 1\n  echo\nb: 2\n");
        assert_eq!(hl[1], vec![(Tok::Block, "  x: 1".to_string())]);
        assert_eq!(hl[3][0], (Tok::Key, "b".to_string()));
        assert_eq!(highlight("---")[0][0].0, Tok::Meta);
        assert_eq!(
            highlight("url: http://x#y")[0].last().map(|t| t.0),
            Some(Tok::Plain)
        );
    }
}

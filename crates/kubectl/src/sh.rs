//! The host shell in front of the command language: what a tutorial's `shell` blocks need,
//! the same in the browser console and the `stsplay` CLI.
//!
//! A console line is a small POSIX `sh` program:
//!
//! - lists: `a; b`, `a && b`, `a || b`, newlines as `;`, `# comments`;
//! - pipelines: `kubectl … | grep … | head …` (the stages after the first are the pipe programs
//!   of [`crate::pipe`]: grep, head, tail, `wc -l`);
//! - `for NAME in WORD…; do LIST; done` (nested too);
//! - words as `sh` builds them: `'…'` literal, `"…"` with `$VAR`, `${VAR}`, `$?` and `$(…)`
//!   expanded inside, backslash escapes, unquoted expansions split into fields at blanks;
//! - `NAME=VALUE` (and `export NAME=VALUE`, `unset NAME`): variables live as long as the
//!   session, as in an interactive shell;
//! - builtins `echo [-n]`, `true`, `:`, `false`, `sleep N` (moves the simulated clock N
//!   seconds: on a real cluster time passes while you sleep), and the redirections `2>&1`,
//!   `>/dev/null`, `2>/dev/null`;
//! - commands: `kubectl …` / `k …`, `sim …`.
//!
//! Anything else (`if`, `while`, `case`, subshells, here-documents, backquotes, redirections to
//! files, background jobs) is a clear error, never a guess. Parsing and running are bounded
//! ([`MAX_DEPTH`], [`MAX_COMMANDS`], [`MAX_FOR_WORDS`], [`MAX_OUTPUT`]) and never panic.

use std::fmt;

/// Deepest nesting of `for` bodies and `$(…)` substitutions.
pub const MAX_DEPTH: usize = 8;
/// Most simple commands one line may run (loop iterations included).
pub const MAX_COMMANDS: usize = 200;
/// Most words a `for` loop may iterate over.
pub const MAX_FOR_WORDS: usize = 1000;
/// Most bytes of output one line may produce; the rest is dropped with a note.
pub const MAX_OUTPUT: usize = 1 << 20;
/// Most shell variables a session keeps, and the longest value.
pub const MAX_VARS: usize = 256;
pub const MAX_VAR_BYTES: usize = 16 * 1024;

/// A word as written: the pieces that expansion turns into fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word(pub Vec<Part>);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Unquoted text (backslash escapes already applied).
    Lit(String),
    /// `'…'` or an escaped character: never split.
    Quoted(String),
    /// `"…"`: its pieces are expanded but never split.
    Double(Vec<Part>),
    /// `$NAME`, `${NAME}`, `$?`.
    Param(String),
    /// `$(…)`.
    Subst(Box<List>),
}

impl Word {
    /// The word's text when it is plain unquoted text (reserved words, assignments).
    pub fn plain(&self) -> Option<&str> {
        match self.0.as_slice() {
            [Part::Lit(s)] => Some(s),
            _ => None,
        }
    }
}

/// A redirection we run: `2>&1`, `>/dev/null`, `2>/dev/null` (applied left to right).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Redir {
    ErrToOut,
    OutNull,
    ErrNull,
}

/// `NAME=VALUE… WORD…`
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Simple {
    pub assigns: Vec<(String, Word)>,
    pub words: Vec<Word>,
    pub redirs: Vec<Redir>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Simple(Simple),
    For {
        var: String,
        items: Vec<Word>,
        body: List,
    },
}

/// `cmd | cmd | …`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pipeline(pub Vec<Command>);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AndOrOp {
    And,
    Or,
}

/// `pipeline (&& pipeline | || pipeline)*`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AndOr {
    pub first: Pipeline,
    pub rest: Vec<(AndOrOp, Pipeline)>,
}

/// and-or lists separated by `;` or newlines.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct List(pub Vec<AndOr>);

/// Why a line is not a program we run. `Display` is what the console prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShError {
    TooLong,
    TooDeep,
    /// A quote or `$(`/`${` without its end.
    Unterminated(&'static str),
    /// `sh: syntax error near unexpected token …` (bash's words; dash says the same thing
    /// differently).
    Unexpected(String),
    /// The line ends where a command must follow (`a |`, `a &&`): bash's
    /// `syntax error: unexpected end of file`.
    UnexpectedEof,
    /// Shell syntax this playground does not run.
    NotSimulated(String),
}

impl fmt::Display for ShError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShError::TooLong => write!(
                f,
                "error: line longer than {} bytes",
                crate::parse::MAX_LINE_BYTES
            ),
            ShError::TooDeep => write!(
                f,
                "sh: nested more than {MAX_DEPTH} levels deep (loops and $(…))"
            ),
            ShError::Unterminated(what) => {
                write!(
                    f,
                    "syntax error: unexpected end of line while looking for matching `{what}'"
                )
            }
            ShError::Unexpected(t) => write!(f, "syntax error near unexpected token `{t}'"),
            ShError::UnexpectedEof => write!(f, "syntax error: unexpected end of file"),
            ShError::NotSimulated(what) => write!(
                f,
                "sh: {what} is not simulated in this playground's shell (it runs `kubectl`, `k`, `sim`, `echo`, `for … do … done`, `;`, `&&`, `||` and pipes to grep, head, tail, wc -l)"
            ),
        }
    }
}

impl std::error::Error for ShError {}

// ---------------------------------------------------------------------------------------------
// Lexing

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Word(Word),
    /// `;`, newline
    Semi,
    And,
    Or,
    Pipe,
    /// `2>&1`, `>/dev/null`, `2>/dev/null` (the target word is read by the lexer).
    Redir(Redir),
}

struct Lexer<'a> {
    chars: Vec<char>,
    i: usize,
    depth: usize,
    _src: &'a str,
}

fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Whether `s` is a shell variable name.
pub fn is_name(s: &str) -> bool {
    let mut it = s.chars();
    it.next().is_some_and(is_name_start) && it.all(is_name_char)
}

impl<'a> Lexer<'a> {
    fn new(src: &'a str, depth: usize) -> Self {
        Lexer {
            chars: src.chars().collect(),
            i: 0,
            depth,
            _src: src,
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.i).copied()
    }

    fn peek_at(&self, k: usize) -> Option<char> {
        self.chars.get(self.i + k).copied()
    }

    fn tokens(&mut self) -> Result<Vec<Tok>, ShError> {
        let mut toks = Vec::new();
        while let Some(c) = self.peek() {
            match c {
                ' ' | '\t' | '\r' => self.i += 1,
                '\n' | ';' => {
                    if c == ';' && self.peek_at(1) == Some(';') {
                        return Err(ShError::Unexpected(";;".into()));
                    }
                    self.i += 1;
                    toks.push(Tok::Semi);
                }
                '#' => {
                    // A comment runs to the end of the line.
                    while let Some(c) = self.peek() {
                        if c == '\n' {
                            break;
                        }
                        self.i += 1;
                    }
                }
                '&' => {
                    if self.peek_at(1) == Some('&') {
                        self.i += 2;
                        toks.push(Tok::And);
                    } else if self.peek_at(1) == Some('>') {
                        return Err(ShError::NotSimulated("`&>` redirection".into()));
                    } else {
                        return Err(ShError::NotSimulated("a background job (`&`)".into()));
                    }
                }
                '|' => {
                    if self.peek_at(1) == Some('|') {
                        self.i += 2;
                        toks.push(Tok::Or);
                    } else if self.peek_at(1) == Some('&') {
                        return Err(ShError::NotSimulated("`|&`".into()));
                    } else {
                        self.i += 1;
                        toks.push(Tok::Pipe);
                    }
                }
                '(' | ')' => return Err(ShError::NotSimulated("a subshell `( … )`".into())),
                '<' => {
                    if self.peek_at(1) == Some('<') {
                        return Err(ShError::NotSimulated("a here-document (`<<`)".into()));
                    }
                    return Err(ShError::NotSimulated("input redirection (`<`)".into()));
                }
                '>' => toks.push(Tok::Redir(self.redirect(1)?)),
                '1' | '2' if self.peek_at(1) == Some('>') && self.at_word_start() => {
                    let fd = if c == '1' { 1 } else { 2 };
                    self.i += 1;
                    toks.push(Tok::Redir(self.redirect(fd)?));
                }
                _ => {
                    let w = self.word()?;
                    toks.push(Tok::Word(w));
                }
            }
        }
        Ok(toks)
    }

    /// Whether the character at `i` starts a new word (the previous one is a blank or an
    /// operator), so that `2>` is a redirection and `a2>` is not.
    fn at_word_start(&self) -> bool {
        match self.i.checked_sub(1).and_then(|j| self.chars.get(j)) {
            None => true,
            Some(c) => matches!(c, ' ' | '\t' | '\n' | ';' | '|' | '&'),
        }
    }

    /// After the `>` of file descriptor `fd`: `>&1` (fd 2 only) or `> /dev/null`.
    fn redirect(&mut self, fd: u8) -> Result<Redir, ShError> {
        // at '>'
        self.i += 1;
        if self.peek() == Some('>') {
            return Err(ShError::NotSimulated("appending to a file (`>>`)".into()));
        }
        if self.peek() == Some('&') {
            self.i += 1;
            let target = self.peek();
            self.i += 1;
            return match (fd, target) {
                (2, Some('1')) => Ok(Redir::ErrToOut),
                _ => Err(ShError::NotSimulated(format!(
                    "the redirection `{fd}>&{}`",
                    target.map(String::from).unwrap_or_default()
                ))),
            };
        }
        while matches!(self.peek(), Some(' ' | '\t')) {
            self.i += 1;
        }
        let w = self.word()?;
        match w.plain() {
            Some("/dev/null") => Ok(if fd == 2 {
                Redir::ErrNull
            } else {
                Redir::OutNull
            }),
            _ => Err(ShError::NotSimulated(
                "redirecting output to a file (the playground's files are edited in its editor)"
                    .into(),
            )),
        }
    }

    /// One word: quotes, escapes and expansions up to an unquoted blank or operator.
    fn word(&mut self) -> Result<Word, ShError> {
        let mut parts: Vec<Part> = Vec::new();
        let mut lit = String::new();
        let flush = |lit: &mut String, parts: &mut Vec<Part>| {
            if !lit.is_empty() {
                parts.push(Part::Lit(std::mem::take(lit)));
            }
        };
        while let Some(c) = self.peek() {
            match c {
                ' ' | '\t' | '\r' | '\n' | ';' | '&' | '|' | '(' | ')' | '<' | '>' => break,
                '\'' => {
                    flush(&mut lit, &mut parts);
                    self.i += 1;
                    let mut s = String::new();
                    loop {
                        match self.peek() {
                            Some('\'') => {
                                self.i += 1;
                                break;
                            }
                            Some(x) => {
                                s.push(x);
                                self.i += 1;
                            }
                            None => return Err(ShError::Unterminated("'")),
                        }
                    }
                    parts.push(Part::Quoted(s));
                }
                '"' => {
                    flush(&mut lit, &mut parts);
                    self.i += 1;
                    parts.push(Part::Double(self.double()?));
                }
                '\\' => {
                    self.i += 1;
                    match self.peek() {
                        // Line continuation.
                        Some('\n') => self.i += 1,
                        Some(x) => {
                            flush(&mut lit, &mut parts);
                            parts.push(Part::Quoted(x.to_string()));
                            self.i += 1;
                        }
                        None => {}
                    }
                }
                '$' => {
                    if let Some(p) = self.dollar()? {
                        flush(&mut lit, &mut parts);
                        parts.push(p);
                    } else {
                        lit.push('$');
                    }
                }
                '`' => {
                    return Err(ShError::NotSimulated(
                        "command substitution with backquotes (use $(…))".into(),
                    ));
                }
                other => {
                    lit.push(other);
                    self.i += 1;
                }
            }
        }
        flush(&mut lit, &mut parts);
        Ok(Word(parts))
    }

    /// Inside `"…"` (after the opening quote).
    fn double(&mut self) -> Result<Vec<Part>, ShError> {
        let mut parts = Vec::new();
        let mut lit = String::new();
        loop {
            let Some(c) = self.peek() else {
                return Err(ShError::Unterminated("\""));
            };
            match c {
                '"' => {
                    self.i += 1;
                    break;
                }
                '\\' => {
                    self.i += 1;
                    match self.peek() {
                        Some(x @ ('$' | '`' | '"' | '\\')) => {
                            lit.push(x);
                            self.i += 1;
                        }
                        Some('\n') => self.i += 1,
                        Some(x) => {
                            lit.push('\\');
                            lit.push(x);
                            self.i += 1;
                        }
                        None => return Err(ShError::Unterminated("\"")),
                    }
                }
                '$' => {
                    if let Some(p) = self.dollar()? {
                        if !lit.is_empty() {
                            parts.push(Part::Lit(std::mem::take(&mut lit)));
                        }
                        parts.push(p);
                    } else {
                        lit.push('$');
                    }
                }
                '`' => {
                    return Err(ShError::NotSimulated(
                        "command substitution with backquotes (use $(…))".into(),
                    ));
                }
                other => {
                    lit.push(other);
                    self.i += 1;
                }
            }
        }
        if !lit.is_empty() {
            parts.push(Part::Lit(lit));
        }
        Ok(parts)
    }

    /// At `$`: `$NAME`, `${NAME}`, `$?`, `$(…)`; `None` (and the `$` consumed) when the `$` is
    /// literal.
    fn dollar(&mut self) -> Result<Option<Part>, ShError> {
        self.i += 1;
        match self.peek() {
            Some('?') => {
                self.i += 1;
                Ok(Some(Part::Param("?".into())))
            }
            Some('{') => {
                self.i += 1;
                let mut name = String::new();
                loop {
                    match self.peek() {
                        Some('}') => {
                            self.i += 1;
                            break;
                        }
                        Some(c) => {
                            name.push(c);
                            self.i += 1;
                        }
                        None => return Err(ShError::Unterminated("}")),
                    }
                }
                if name == "?" || is_name(&name) {
                    Ok(Some(Part::Param(name)))
                } else {
                    Err(ShError::NotSimulated(format!("the expansion ${{{name}}}")))
                }
            }
            Some('(') => {
                if self.peek_at(1) == Some('(') {
                    return Err(ShError::NotSimulated("arithmetic $((…))".into()));
                }
                self.i += 1;
                let start = self.i;
                let end = self.matching_paren()?;
                let inner: String = self.chars.get(start..end).unwrap_or(&[]).iter().collect();
                self.i = end + 1;
                if self.depth + 1 > MAX_DEPTH {
                    return Err(ShError::TooDeep);
                }
                let list = parse_at(&inner, self.depth + 1)?;
                Ok(Some(Part::Subst(Box::new(list))))
            }
            Some(c) if is_name_start(c) => {
                let mut name = String::new();
                while let Some(c) = self.peek() {
                    if !is_name_char(c) {
                        break;
                    }
                    name.push(c);
                    self.i += 1;
                }
                Ok(Some(Part::Param(name)))
            }
            Some(c) if c.is_ascii_digit() || matches!(c, '@' | '*' | '#' | '$' | '!' | '-') => {
                // Positional and special parameters: an interactive console has none worth
                // having; they expand to nothing, as `$1` does in an interactive shell.
                self.i += 1;
                Ok(Some(Part::Param(String::new())))
            }
            _ => Ok(None),
        }
    }

    /// The index of the `)` closing a `$(` whose body starts at `self.i`, skipping quotes.
    fn matching_paren(&self) -> Result<usize, ShError> {
        let mut level = 1usize;
        let mut j = self.i;
        let (mut sq, mut dq) = (false, false);
        while let Some(&c) = self.chars.get(j) {
            match c {
                '\\' if !sq => j += 1,
                '\'' if !dq => sq = !sq,
                '"' if !sq => dq = !dq,
                '(' if !sq && !dq => level += 1,
                ')' if !sq && !dq => {
                    level -= 1;
                    if level == 0 {
                        return Ok(j);
                    }
                }
                _ => {}
            }
            j += 1;
        }
        Err(ShError::Unterminated(")"))
    }
}

// ---------------------------------------------------------------------------------------------
// Parsing

struct Parser {
    toks: Vec<Tok>,
    i: usize,
    depth: usize,
}

/// Reserved words that start a compound command we do not run.
const UNSUPPORTED_RESERVED: &[&str] = &[
    "if", "then", "else", "elif", "fi", "while", "until", "case", "esac", "{", "}", "!",
    "function", "select",
];

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.i)
    }

    fn peek_reserved(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Tok::Word(w)) if w.plain() == Some(word))
    }

    fn skip_semis(&mut self) {
        while matches!(self.peek(), Some(Tok::Semi)) {
            self.i += 1;
        }
    }

    /// A list up to the end of input or (inside a loop body) the word `done`.
    fn list(&mut self, in_loop: bool) -> Result<List, ShError> {
        let mut items = Vec::new();
        loop {
            self.skip_semis();
            match self.peek() {
                None => break,
                Some(Tok::Word(w)) if in_loop && w.plain() == Some("done") => break,
                Some(Tok::Word(w)) if w.plain() == Some("done") || w.plain() == Some("do") => {
                    return Err(ShError::Unexpected(w.plain().unwrap_or("").to_string()));
                }
                _ => {}
            }
            items.push(self.and_or()?);
            match self.peek() {
                None | Some(Tok::Semi) => {}
                Some(Tok::Word(w)) if in_loop && w.plain() == Some("done") => {}
                Some(t) => return Err(ShError::Unexpected(tok_text(t))),
            }
        }
        Ok(List(items))
    }

    fn and_or(&mut self) -> Result<AndOr, ShError> {
        let first = self.pipeline()?;
        let mut rest = Vec::new();
        loop {
            let op = match self.peek() {
                Some(Tok::And) => AndOrOp::And,
                Some(Tok::Or) => AndOrOp::Or,
                _ => break,
            };
            self.i += 1;
            // A newline may follow `&&` / `||`.
            self.skip_semis();
            rest.push((op, self.pipeline()?));
        }
        Ok(AndOr { first, rest })
    }

    fn pipeline(&mut self) -> Result<Pipeline, ShError> {
        let mut cmds = vec![self.command()?];
        while matches!(self.peek(), Some(Tok::Pipe)) {
            self.i += 1;
            self.skip_semis();
            cmds.push(self.command()?);
        }
        Ok(Pipeline(cmds))
    }

    fn command(&mut self) -> Result<Command, ShError> {
        if let Some(Tok::Word(w)) = self.peek()
            && let Some(p) = w.plain()
        {
            if p == "for" {
                return self.for_loop();
            }
            if UNSUPPORTED_RESERVED.contains(&p) {
                return Err(ShError::NotSimulated(format!("`{p}`")));
            }
        }
        let mut simple = Simple::default();
        loop {
            match self.peek() {
                Some(Tok::Word(w)) => {
                    let w = w.clone();
                    self.i += 1;
                    if simple.words.is_empty()
                        && let Some((name, value)) = assignment(&w)
                    {
                        simple.assigns.push((name, value));
                        continue;
                    }
                    simple.words.push(w);
                }
                Some(Tok::Redir(k)) => {
                    simple.redirs.push(*k);
                    self.i += 1;
                }
                _ => break,
            }
        }
        if simple.words.is_empty() && simple.assigns.is_empty() {
            return match self.peek() {
                Some(t) => Err(ShError::Unexpected(tok_text(t))),
                None => Err(ShError::UnexpectedEof),
            };
        }
        Ok(Command::Simple(simple))
    }

    fn for_loop(&mut self) -> Result<Command, ShError> {
        self.i += 1; // `for`
        if self.depth + 1 > MAX_DEPTH {
            return Err(ShError::TooDeep);
        }
        let var = match self.peek() {
            Some(Tok::Word(w)) => match w.plain() {
                Some(n) if is_name(n) => n.to_string(),
                _ => return Err(ShError::Unexpected(word_text(w))),
            },
            Some(t) => return Err(ShError::Unexpected(tok_text(t))),
            None => return Err(ShError::Unexpected("newline".into())),
        };
        self.i += 1;
        let mut items = Vec::new();
        if self.peek_reserved("in") {
            self.i += 1;
            while let Some(Tok::Word(w)) = self.peek() {
                items.push(w.clone());
                self.i += 1;
            }
        }
        self.skip_semis();
        if !self.peek_reserved("do") {
            return Err(ShError::Unexpected(
                self.peek().map_or_else(|| "newline".to_string(), tok_text),
            ));
        }
        self.i += 1;
        self.depth += 1;
        let body = self.list(true)?;
        self.depth -= 1;
        if !self.peek_reserved("done") {
            return Err(ShError::Unterminated("done"));
        }
        if body.0.is_empty() {
            return Err(ShError::Unexpected("done".into()));
        }
        self.i += 1;
        Ok(Command::For { var, items, body })
    }
}

fn tok_text(t: &Tok) -> String {
    match t {
        Tok::Word(w) => word_text(w),
        Tok::Semi => ";".into(),
        Tok::And => "&&".into(),
        Tok::Or => "||".into(),
        Tok::Pipe => "|".into(),
        Tok::Redir(_) => ">".into(),
    }
}

fn word_text(w: &Word) -> String {
    w.plain().map_or_else(|| "word".to_string(), str::to_string)
}

/// `NAME=value` at the start of a command: the name and the value's word.
fn assignment(w: &Word) -> Option<(String, Word)> {
    let Some(Part::Lit(first)) = w.0.first() else {
        return None;
    };
    let (name, rest) = first.split_once('=')?;
    if !is_name(name) {
        return None;
    }
    let mut parts = Vec::new();
    if !rest.is_empty() {
        parts.push(Part::Lit(rest.to_string()));
    }
    parts.extend(w.0.iter().skip(1).cloned());
    Some((name.to_string(), Word(parts)))
}

/// Parse a console line (or several, separated by newlines) into a program.
pub fn parse(text: &str) -> Result<List, ShError> {
    if text.len() > crate::parse::MAX_LINE_BYTES {
        return Err(ShError::TooLong);
    }
    parse_at(text, 0)
}

fn parse_at(text: &str, depth: usize) -> Result<List, ShError> {
    if depth > MAX_DEPTH {
        return Err(ShError::TooDeep);
    }
    let toks = Lexer::new(text, depth).tokens()?;
    let mut p = Parser { toks, i: 0, depth };
    let list = p.list(false)?;
    if let Some(t) = p.peek() {
        return Err(ShError::Unexpected(tok_text(t)));
    }
    Ok(list)
}

// ---------------------------------------------------------------------------------------------
// Walking a program (for the exporters and tours: which commands a line runs)

/// Every simple command of a program with its words as written (unexpanded) — for tools that
/// look at what a line would run without running it. `$(…)` bodies are included.
pub fn simple_commands(list: &List) -> Vec<&Simple> {
    let mut out = Vec::new();
    walk_list(list, &mut out);
    out
}

fn walk_list<'a>(list: &'a List, out: &mut Vec<&'a Simple>) {
    for ao in &list.0 {
        for p in std::iter::once(&ao.first).chain(ao.rest.iter().map(|(_, p)| p)) {
            for c in &p.0 {
                match c {
                    Command::Simple(s) => {
                        out.push(s);
                        for w in s.words.iter().chain(s.assigns.iter().map(|(_, w)| w)) {
                            walk_word(w, out);
                        }
                    }
                    Command::For { items, body, .. } => {
                        for w in items {
                            walk_word(w, out);
                        }
                        walk_list(body, out);
                    }
                }
            }
        }
    }
}

fn walk_word<'a>(w: &'a Word, out: &mut Vec<&'a Simple>) {
    for p in &w.0 {
        match p {
            Part::Subst(l) => walk_list(l, out),
            Part::Double(ps) => {
                for q in ps {
                    if let Part::Subst(l) = q {
                        walk_list(l, out);
                    }
                }
            }
            _ => {}
        }
    }
}

/// The literal text of a word when it has no expansions (quotes removed), else `None`.
pub fn literal(w: &Word) -> Option<String> {
    let mut s = String::new();
    for p in &w.0 {
        match p {
            Part::Lit(t) | Part::Quoted(t) => s.push_str(t),
            Part::Double(ps) => {
                for q in ps {
                    match q {
                        Part::Lit(t) | Part::Quoted(t) => s.push_str(t),
                        _ => return None,
                    }
                }
            }
            _ => return None,
        }
    }
    Some(s)
}

/// Quote a word for `sh` so that it reads back as exactly `w` (single quotes unless the word is
/// made only of characters that are never special): the same rule as the pod shell's xtrace.
pub use sim::shell::quote;

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<Vec<Part>> {
        let l = parse(line).unwrap();
        simple_commands(&l)
            .first()
            .unwrap()
            .words
            .iter()
            .map(|w| w.0.clone())
            .collect()
    }

    #[test]
    fn tutorial_lines_parse() {
        for line in [
            r#"for i in 0 1; do kubectl exec "web-$i" -- sh -c 'hostname'; done"#,
            r#"for i in 0 1; do kubectl exec web-$i -- sh -c 'hostname'; done"#,
            r#"for i in 0 1; do kubectl exec "web-$i" -- sh -c 'echo "$(hostname)" > /usr/share/nginx/html/index.html'; done"#,
            r#"for p in 0 1 2; do kubectl get pod "web-$p" --template '{{range $i, $c := .spec.containers}}{{$c.image}}{{end}}'; echo; done"#,
            r#"kubectl patch statefulset web --type='json' -p='[{"op": "replace", "path": "/spec/template/spec/containers/0/image", "value":"registry.k8s.io/nginx-slim:0.24"}]'"#,
            "kubectl describe pod web-1 | grep -A5 Events",
            "kubectl delete sts web\n# sts is an abbreviation for statefulset",
            "a=1 && echo $a || echo no; echo \"${a}x\"",
        ] {
            parse(line).unwrap_or_else(|e| panic!("{line}: {e}"));
        }
    }

    #[test]
    fn quoting_as_sh_does() {
        assert_eq!(
            words(r#"echo 'a b' "c $x" d\ e"#),
            vec![
                vec![Part::Lit("echo".into())],
                vec![Part::Quoted("a b".into())],
                vec![Part::Double(vec![
                    Part::Lit("c ".into()),
                    Part::Param("x".into())
                ])],
                vec![
                    Part::Lit("d".into()),
                    Part::Quoted(" ".into()),
                    Part::Lit("e".into())
                ],
            ]
        );
        // `$` before a non-name is literal; `#` inside a word is literal.
        assert_eq!(
            words("echo a$ b#c"),
            vec![
                vec![Part::Lit("echo".into())],
                vec![Part::Lit("a$".into())],
                vec![Part::Lit("b#c".into())],
            ]
        );
    }

    #[test]
    fn errors_are_clear() {
        assert_eq!(parse("echo 'a").unwrap_err(), ShError::Unterminated("'"));
        assert_eq!(parse("echo \"a").unwrap_err(), ShError::Unterminated("\""));
        assert_eq!(
            parse("for i in 1; do echo").unwrap_err(),
            ShError::Unterminated("done")
        );
        assert!(matches!(
            parse("if true; then echo; fi").unwrap_err(),
            ShError::NotSimulated(_)
        ));
        assert!(matches!(
            parse("cat <<EOF").unwrap_err(),
            ShError::NotSimulated(_)
        ));
        assert!(matches!(
            parse("kubectl get pods > out.txt").unwrap_err(),
            ShError::NotSimulated(_)
        ));
        assert_eq!(parse("a && ").unwrap_err(), ShError::UnexpectedEof);
        assert_eq!(parse("a |").unwrap_err(), ShError::UnexpectedEof);
        assert_eq!(parse("| a").unwrap_err(), ShError::Unexpected("|".into()));
        assert_eq!(
            parse("done").unwrap_err(),
            ShError::Unexpected("done".into())
        );
        let deep =
            "for i in 1; do ".repeat(MAX_DEPTH + 1) + "echo" + &"; done".repeat(MAX_DEPTH + 1);
        assert_eq!(parse(&deep).unwrap_err(), ShError::TooDeep);
        let subst = "echo $(".repeat(MAX_DEPTH + 2) + &")".repeat(MAX_DEPTH + 2);
        assert!(parse(&subst).is_err());
    }

    #[test]
    fn redirections_we_know() {
        let l = parse("kubectl get pods 2>&1 >/dev/null | grep x").unwrap();
        let s = simple_commands(&l);
        let first = s.first().unwrap();
        assert_eq!(first.redirs, [Redir::ErrToOut, Redir::OutNull]);
        let l = parse("kubectl get pods 2> /dev/null").unwrap();
        assert_eq!(
            simple_commands(&l).first().unwrap().redirs,
            [Redir::ErrNull]
        );
    }

    #[test]
    fn quote_round_trips() {
        assert_eq!(quote("web-0"), "web-0");
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote("it's"), "'it'\\''s'");
        assert_eq!(quote(""), "''");
    }

    proptest::proptest! {
        #[test]
        fn any_text_parses_or_errors(s in "\\PC{0,200}") {
            let _ = parse(&s);
        }
        #[test]
        fn shell_like_text_never_panics(s in "[a-z$'\"\\\\;&|(){}#<> =\n-]{0,80}") {
            let _ = parse(&s);
        }
    }
}

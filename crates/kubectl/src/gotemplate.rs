//! `-o go-template=…` / `-o go-template-file=…` / `--template` (cli-runtime
//! `pkg/printers/template.go` `GoTemplatePrinter`, Go `text/template`): a bounded subset.
//!
//! Supported: text, `{{.a.b}}`, `{{.}}`, `{{$}}` / `{{$.a}}`, string (`"…"` with escapes, `` `…` ``),
//! number, `true`/`false`/`nil` literals, `{{if P}}…{{else if P}}…{{else}}…{{end}}`,
//! `{{range P}}…{{else}}…{{end}}`, `{{with P}}…{{else}}…{{end}}`, pipelines `{{P | f}}`,
//! parenthesised pipelines, `{{/* comments */}}`, `{{-`/`-}}` trimming, and the functions
//! `printf` (`%s %d %v %q %%`), `print`, `println`, `len`, `index`, `not`, `and`, `or`, `eq`, `ne`,
//! `lt`, `le`, `gt`, `ge`, and variables: `{{$x := P}}`, `{{$x = P}}`, `{{range $i, $c := P}}`,
//! `{{range $c := P}}`, `{{with $x := P}}`, `{{if $x := P}}`, `$x.field` (scoped to the enclosing
//! block as in Go). Not supported: `define`/`template`/`block`, `break`/`continue`, method calls.
//!
//! The data is the object as JSON decoded into Go's `interface{}` (kubectl unmarshals it into a
//! `map[string]interface{}`), so every number is a `float64`: `{{.spec.replicas}}` prints `3`,
//! a missing key prints `<no value>`, `printf "%d" .spec.replicas` prints `%!d(float64=3)` and
//! `eq .spec.replicas 3` is an "incompatible types for comparison" error, as with kubectl.
//!
//! Errors: a parse error is `error parsing template TEMPLATE, template: output:LINE: MESSAGE`
//! (kubectl `pkg/cmd/get` / cli-runtime `template_flags.go`); an execution error is
//! `error executing template "TEMPLATE": template: output:LINE:COL: executing "output" at
//! <EXPR>: MESSAGE`. kubectl also prints a debugging dump of the object on stdout before an
//! execution error; that dump is not reproduced, and COL/EXPR locate the failing action's
//! pipeline (Go points at the failing node inside it).

use serde_json::Value;
use sim::sort::Sort as _;

/// Bounds: template size, output size, nesting depth.
const MAX_TEMPLATE: usize = 64 * 1024;
const MAX_OUTPUT: usize = 1 << 20;
const MAX_DEPTH: usize = 32;

/// A value during evaluation: Go's `interface{}` holding decoded JSON, plus template literals.
#[derive(Debug, Clone, PartialEq)]
enum V {
    /// A missing map key or JSON null (`<no value>` when printed).
    Nil,
    Bool(bool),
    /// An integer literal in the template (Go `int`).
    Int(i64),
    /// Every JSON number (Go `float64`), and float literals.
    Float(f64),
    Str(String),
    Json(Value),
}

impl V {
    fn from_json(v: &Value) -> V {
        match v {
            Value::Null => V::Nil,
            Value::Bool(b) => V::Bool(*b),
            Value::Number(n) => V::Float(n.as_f64().unwrap_or(0.0)),
            Value::String(s) => V::Str(s.clone()),
            other => V::Json(other.clone()),
        }
    }
    fn type_name(&self) -> &'static str {
        match self {
            V::Nil => "<nil>",
            V::Bool(_) => "bool",
            V::Int(_) => "int",
            V::Float(_) => "float64",
            V::Str(_) => "string",
            V::Json(Value::Array(_)) => "[]interface {}",
            V::Json(_) => "map[string]interface {}",
        }
    }
    /// text/template `isTrue`.
    fn truth(&self) -> bool {
        match self {
            V::Nil => false,
            V::Bool(b) => *b,
            V::Int(i) => *i != 0,
            V::Float(f) => *f != 0.0,
            V::Str(s) => !s.is_empty(),
            V::Json(Value::Array(a)) => !a.is_empty(),
            V::Json(Value::Object(o)) => !o.is_empty(),
            V::Json(_) => true,
        }
    }
}

/// Go's `%v` of a float64 (`strconv.FormatFloat(f, 'g', -1, 64)`: exponent form from 1e+06
/// and below 1e-04).
fn go_float(f: f64) -> String {
    if f == 0.0 {
        return "0".into();
    }
    if !f.is_finite() {
        return if f.is_nan() {
            "NaN".into()
        } else if f > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    let exp = f.abs().log10().floor();
    if !(-4.0..6.0).contains(&exp) {
        // The shortest digits are `{}`'s (the same as `{:e}`'s, written out in full): read
        // the mantissa and exponent off them, without `{:e}`'s formatting code in the wasm.
        let plain = format!("{}", f.abs());
        let (int, frac) = plain.split_once('.').unwrap_or((&plain, ""));
        let e = if int == "0" {
            -((frac.len() - frac.trim_start_matches('0').len()) as i32) - 1
        } else {
            int.len() as i32 - 1
        };
        let digits = format!("{int}{frac}");
        let digits = digits.trim_start_matches('0').trim_end_matches('0');
        let (first, rest) = digits.split_at_checked(1).unwrap_or(("0", ""));
        let minus = if f < 0.0 { "-" } else { "" };
        let dot = if rest.is_empty() { "" } else { "." };
        let sign = if e < 0 { '-' } else { '+' };
        return format!("{minus}{first}{dot}{rest}e{sign}{:02}", e.abs());
    }
    format!("{f}")
}

/// Go's `%v` of a value (`map[k:v]` with sorted keys, `[a b]`).
fn go_v(v: &V) -> String {
    match v {
        V::Nil => "<nil>".into(),
        V::Bool(b) => b.to_string(),
        V::Int(i) => i.to_string(),
        V::Float(f) => go_float(*f),
        V::Str(s) => s.clone(),
        V::Json(Value::Array(a)) => format!(
            "[{}]",
            a.iter()
                .map(|x| go_v(&V::from_json(x)))
                .collect::<Vec<_>>()
                .join(" ")
        ),
        V::Json(Value::Object(o)) => {
            let mut keys: Vec<&String> = o.keys().collect();
            keys.stable_sort();
            format!(
                "map[{}]",
                keys.iter()
                    .map(|k| format!(
                        "{k}:{}",
                        o.get(*k).map_or("<nil>".into(), |x| go_v(&V::from_json(x)))
                    ))
                    .collect::<Vec<_>>()
                    .join(" ")
            )
        }
        V::Json(other) => other.to_string(),
    }
}

/// What an action prints (`printValue`: a nil interface prints `<no value>`).
fn print_value(v: &V) -> String {
    match v {
        V::Nil => "<no value>".into(),
        other => go_v(other),
    }
}

#[derive(Debug, Clone)]
enum Arg {
    /// `.a.b` (empty = `.`), rooted at dot or at `$`.
    Field {
        root: bool,
        path: Vec<String>,
    },
    Lit(V),
    Ident(String),
    Sub(Pipe),
    /// `$x` or `$x.a.b`: a variable declared with `:=`.
    Var {
        name: String,
        path: Vec<String>,
    },
}

type Cmd = Vec<Arg>;

#[derive(Debug, Clone)]
struct Pipe {
    /// `$x :=` / `$i, $c :=` (declare) or `$x =` (assign) before the commands.
    decl: Vec<String>,
    assign: bool,
    cmds: Vec<Cmd>,
    /// Source text and position (line, column) for error messages.
    text: String,
    line: usize,
    col: usize,
}

#[derive(Debug, Clone)]
enum Node {
    Text(String),
    Action(Pipe),
    If(Pipe, Vec<Node>, Vec<Node>),
    Range(Pipe, Vec<Node>, Vec<Node>),
    With(Pipe, Vec<Node>, Vec<Node>),
}

const FUNCS: &[&str] = &[
    "printf", "print", "println", "len", "index", "not", "and", "or", "eq", "ne", "lt", "le", "gt",
    "ge",
];

/// One `{{…}}` or text piece.
enum Tok {
    Text(String),
    Act {
        body: String,
        line: usize,
        col: usize,
    },
}

fn perr(line: usize, msg: &str) -> String {
    format!("template: output:{line}: {msg}")
}

fn lex(src: &str) -> Result<Vec<Tok>, String> {
    let mut toks = Vec::new();
    let mut rest = src;
    let mut consumed = 0usize;
    let mut trim_next = false;
    while let Some(open) = rest.find("{{") {
        let mut text = rest.get(..open).unwrap_or("").to_string();
        if trim_next {
            text = text.trim_start().to_string();
        }
        let after = rest.get(open + 2..).unwrap_or("");
        let trim_prev =
            after.starts_with("- ") || after.starts_with("-\t") || after.starts_with("-\n");
        if trim_prev {
            text = text.trim_end().to_string();
        }
        if !text.is_empty() {
            toks.push(Tok::Text(text));
        }
        let body_start = if trim_prev { 1 } else { 0 };
        let line = 1 + src
            .get(..consumed + open)
            .unwrap_or("")
            .matches('\n')
            .count();
        let Some(close) = find_close(after) else {
            return Err(perr(line, "unclosed action"));
        };
        let mut body = after.get(body_start..close).unwrap_or("").to_string();
        trim_next = false;
        if body.ends_with(" -") || body.ends_with("\t-") || body.ends_with("\n-") {
            body.truncate(body.len() - 1);
            trim_next = true;
        }
        let abs = consumed + open + 2 + body_start;
        let line_start = src
            .get(..abs)
            .unwrap_or("")
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let lead = body.len() - body.trim_start().len();
        toks.push(Tok::Act {
            body,
            line,
            col: abs + lead - line_start,
        });
        let step = open + 2 + close + 2;
        consumed += step;
        rest = rest.get(step..).unwrap_or("");
    }
    let mut text = rest.to_string();
    if trim_next {
        text = text.trim_start().to_string();
    }
    if !text.is_empty() {
        toks.push(Tok::Text(text));
    }
    Ok(toks)
}

/// The `}}` closing an action, skipping quoted strings and comments.
fn find_close(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 0;
    while i + 1 < b.len() {
        match b.get(i) {
            Some(b'"') => {
                i += 1;
                while i < b.len() && b.get(i) != Some(&b'"') {
                    if b.get(i) == Some(&b'\\') {
                        i += 1;
                    }
                    i += 1;
                }
            }
            Some(b'`') => {
                i += 1;
                while i < b.len() && b.get(i) != Some(&b'`') {
                    i += 1;
                }
            }
            Some(b'}') if b.get(i + 1) == Some(&b'}') => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

/// Words of an action: strings, parentheses, `|`, and other runs.
fn words(body: &str, line: usize) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let chars: Vec<char> = body.chars().collect();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if c.is_whitespace() {
            i += 1;
        } else if c == '"' || c == '`' {
            let mut j = i + 1;
            while let Some(&d) = chars.get(j) {
                if d == c {
                    break;
                }
                if c == '"' && d == '\\' {
                    j += 1;
                }
                j += 1;
            }
            if j >= chars.len() {
                return Err(perr(line, "unterminated quoted string"));
            }
            out.push(chars.get(i..=j).unwrap_or(&[]).iter().collect());
            i = j + 1;
        } else if c == '(' || c == ')' || c == '|' {
            out.push(c.to_string());
            i += 1;
        } else {
            let mut j = i;
            while let Some(&d) = chars.get(j) {
                if d.is_whitespace() || d == '(' || d == ')' || d == '|' || d == '"' {
                    break;
                }
                j += 1;
            }
            let run: String = chars.get(i..j).unwrap_or(&[]).iter().collect();
            // Go's lexer ends an identifier (a keyword or function name) at the first
            // non-alphanumeric character, so `{{range.items}}` is `range` and `.items`
            // (text/template/parse/lex.go `lexIdentifier`).
            match run.find('.') {
                Some(dot) if c.is_alphabetic() || c == '_' => {
                    out.push(run.get(..dot).unwrap_or("").to_string());
                    out.push(run.get(dot..).unwrap_or("").to_string());
                }
                _ => out.push(run),
            }
            i = j;
        }
    }
    Ok(out)
}

fn unquote(w: &str, line: usize) -> Result<String, String> {
    if let Some(raw) = w.strip_prefix('`').and_then(|r| r.strip_suffix('`')) {
        return Ok(raw.to_string());
    }
    let inner = w
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .unwrap_or(w);
    let mut s = String::new();
    let mut it = inner.chars();
    while let Some(c) = it.next() {
        if c != '\\' {
            s.push(c);
            continue;
        }
        match it.next() {
            Some('n') => s.push('\n'),
            Some('t') => s.push('\t'),
            Some('r') => s.push('\r'),
            Some('\\') => s.push('\\'),
            Some('"') => s.push('"'),
            Some(other) => {
                return Err(perr(line, &format!("invalid syntax: \\{other}")));
            }
            None => return Err(perr(line, "unterminated quoted string")),
        }
    }
    Ok(s)
}

struct PipeParser<'a> {
    w: &'a [String],
    i: usize,
    line: usize,
    /// Variables in scope (`$` first).
    vars: &'a [String],
}

impl PipeParser<'_> {
    fn pipe(&mut self, depth: usize) -> Result<Vec<Cmd>, String> {
        if depth > MAX_DEPTH {
            return Err(perr(self.line, "template nested too deeply"));
        }
        let mut cmds = Vec::new();
        let mut cmd: Cmd = Vec::new();
        while let Some(w) = self.w.get(self.i) {
            self.i += 1;
            match w.as_str() {
                "|" => {
                    if cmd.is_empty() {
                        return Err(perr(self.line, "missing command"));
                    }
                    cmds.push(std::mem::take(&mut cmd));
                }
                ")" => {
                    if depth == 0 {
                        return Err(perr(self.line, "unexpected right paren"));
                    }
                    break;
                }
                "(" => {
                    let sub = self.pipe(depth + 1)?;
                    if self.w.get(self.i.saturating_sub(1)).map(String::as_str) != Some(")") {
                        return Err(perr(self.line, "unclosed left paren"));
                    }
                    cmd.push(Arg::Sub(Pipe {
                        decl: Vec::new(),
                        assign: false,
                        cmds: sub,
                        text: String::new(),
                        line: self.line,
                        col: 0,
                    }));
                }
                _ => cmd.push(self.operand(w)?),
            }
        }
        if cmd.is_empty() {
            return Err(perr(self.line, "missing value for command"));
        }
        cmds.push(cmd);
        Ok(cmds)
    }

    fn operand(&self, w: &str) -> Result<Arg, String> {
        let line = self.line;
        if w.starts_with('"') || w.starts_with('`') {
            return Ok(Arg::Lit(V::Str(unquote(w, line)?)));
        }
        if w == "true" || w == "false" {
            return Ok(Arg::Lit(V::Bool(w == "true")));
        }
        if w == "nil" {
            return Ok(Arg::Lit(V::Nil));
        }
        if w.starts_with('.') || w == "$" || w.starts_with("$.") {
            let root = w.starts_with('$');
            let body = w.trim_start_matches('$');
            let path: Vec<String> = body
                .split('.')
                .skip(1)
                .filter(|p| !p.is_empty())
                .map(str::to_string)
                .collect();
            if body.len() > 1 && body.ends_with('.') {
                return Err(perr(line, &format!("unexpected . after term {w:?}")));
            }
            return Ok(Arg::Field { root, path });
        }
        if w.starts_with('$') {
            let mut it = w.split('.');
            let name = it.next().unwrap_or_default().to_string();
            if !self.vars.contains(&name) {
                return Err(perr(line, &format!("undefined variable {name:?}")));
            }
            let path: Vec<String> = it.map(str::to_string).collect();
            if path.iter().any(String::is_empty) {
                return Err(perr(line, &format!("unexpected . after term {w:?}")));
            }
            return Ok(Arg::Var { name, path });
        }
        if w.chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || c == '-' || c == '+')
        {
            if let Ok(i) = w.parse::<i64>() {
                return Ok(Arg::Lit(V::Int(i)));
            }
            if let Ok(f) = w.parse::<f64>() {
                return Ok(Arg::Lit(V::Float(f)));
            }
            return Err(perr(line, &format!("bad number syntax: {w:?}")));
        }
        if FUNCS.contains(&w) {
            return Ok(Arg::Ident(w.to_string()));
        }
        Err(perr(line, &format!("function {w:?} not defined")))
    }
}

/// The variables a pipeline declares (`$x :=`, `$i, $c :=`) or assigns (`$x =`), and the words
/// of its commands (text/template/parse `Tree.pipeline`).
fn declarations(
    mut w: Vec<String>,
    line: usize,
) -> Result<(Vec<String>, bool, Vec<String>), String> {
    // `$x:=.a` written without blanks.
    if let Some(first) = w.first().cloned()
        && first.starts_with('$')
        && let Some((v, rest)) = first.split_once(":=")
    {
        let mut nw = vec![v.to_string(), ":=".to_string()];
        if !rest.is_empty() {
            nw.push(rest.to_string());
        }
        nw.extend(w.into_iter().skip(1));
        w = nw;
    }
    let Some(op_at) = w.iter().position(|x| x == ":=" || x == "=") else {
        return Ok((Vec::new(), false, w));
    };
    let head: String = w.iter().take(op_at).cloned().collect::<Vec<_>>().join(" ");
    let names: Vec<String> = head
        .split(',')
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
        .collect();
    let is_var = |n: &String| {
        n.strip_prefix('$')
            .is_some_and(|r| !r.is_empty() && r.chars().all(|c| c.is_alphanumeric() || c == '_'))
    };
    if names.is_empty() || !names.iter().all(is_var) {
        return Ok((Vec::new(), false, w));
    }
    if names.len() > 2 {
        return Err(perr(line, "too many declarations in command"));
    }
    let assign = w.get(op_at).is_some_and(|x| x == "=");
    let rest: Vec<String> = w.into_iter().skip(op_at + 1).collect();
    Ok((names, assign, rest))
}

fn parse_pipe(text: &str, line: usize, col: usize, vars: &[String]) -> Result<Pipe, String> {
    let w = words(text, line)?;
    let (decl, assign, w) = declarations(w, line)?;
    if assign && let Some(n) = decl.iter().find(|n| !vars.contains(n)) {
        return Err(perr(line, &format!("undefined variable {n:?}")));
    }
    if w.is_empty() {
        return Err(perr(line, "missing value for command"));
    }
    let mut p = PipeParser {
        w: &w,
        i: 0,
        line,
        vars,
    };
    let cmds = p.pipe(0)?;
    Ok(Pipe {
        decl,
        assign,
        cmds,
        text: text.trim().to_string(),
        line,
        col,
    })
}

/// What ends a list of nodes.
enum Stop {
    Eof,
    EndKw,
    Else(Option<Pipe>),
}

struct Parser {
    toks: std::vec::IntoIter<Tok>,
    /// Variables in scope: `$`, then those declared so far in enclosing blocks.
    vars: Vec<String>,
}

impl Parser {
    fn list(&mut self, depth: usize) -> Result<(Vec<Node>, Stop, usize), String> {
        if depth > MAX_DEPTH {
            return Err(perr(1, "template nested too deeply"));
        }
        let mut nodes = Vec::new();
        while let Some(t) = self.toks.next() {
            let (body, line, col) = match t {
                Tok::Text(s) => {
                    nodes.push(Node::Text(s));
                    continue;
                }
                Tok::Act { body, line, col } => (body, line, col),
            };
            let b = body.trim();
            if b.starts_with("/*") {
                if !b.ends_with("*/") {
                    return Err(perr(line, "unclosed comment"));
                }
                continue;
            }
            // A keyword ends where an identifier does (`{{range.items}}` is `range .items`).
            let kw_end = b
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(b.len());
            let (kw, rest) = b.split_at(kw_end);
            match kw {
                "end" => return Ok((nodes, Stop::EndKw, line)),
                "else" => {
                    let rest = rest.trim();
                    if let Some(cond) = rest.strip_prefix("if") {
                        return Ok((
                            nodes,
                            Stop::Else(Some(parse_pipe(cond, line, col, &self.vars)?)),
                            line,
                        ));
                    }
                    return Ok((nodes, Stop::Else(None), line));
                }
                "if" | "range" | "with" => {
                    let pipe = parse_pipe(rest, line, col, &self.vars)?;
                    if pipe.decl.len() > 1 && kw != "range" {
                        return Err(perr(line, "too many declarations in command"));
                    }
                    // Variables declared here are visible until the block's {{end}}.
                    let mark = self.vars.len();
                    if !pipe.assign {
                        self.vars.extend(pipe.decl.iter().cloned());
                    }
                    let node = self.block(kw, pipe, depth + 1, line);
                    self.vars.truncate(mark);
                    nodes.push(node?);
                }
                "define" | "template" | "block" | "break" | "continue" => {
                    return Err(perr(
                        line,
                        &format!("{{{{{kw}}}}} is not supported in this playground"),
                    ));
                }
                _ => {
                    let pipe = parse_pipe(b, line, col, &self.vars)?;
                    if pipe.decl.len() > 1 {
                        return Err(perr(line, "too many declarations in command"));
                    }
                    if !pipe.assign {
                        // Visible to the end of the enclosing block (or template).
                        self.vars.extend(pipe.decl.iter().cloned());
                    }
                    nodes.push(Node::Action(pipe));
                }
            }
        }
        Ok((nodes, Stop::Eof, 0))
    }

    fn block(&mut self, kw: &str, pipe: Pipe, depth: usize, line: usize) -> Result<Node, String> {
        let mark = self.vars.len();
        let listed = self.list(depth);
        self.vars.truncate(mark);
        let (body, end, end_line) = listed?;
        let els = match end {
            Stop::Eof => return Err(perr(end_line.max(line), "unexpected EOF")),
            Stop::EndKw => Vec::new(),
            Stop::Else(None) => {
                let (els, end2, l2) = self.list(depth)?;
                match end2 {
                    Stop::EndKw => els,
                    Stop::Eof => return Err(perr(l2.max(line), "unexpected EOF")),
                    Stop::Else(_) => return Err(perr(l2, "expected end; found {{else}}")),
                }
            }
            Stop::Else(Some(cond)) => {
                if kw != "if" {
                    // `else if` chains belong to `if` here (Go also allows `else with`).
                    return Err(perr(end_line, "unexpected {{else if}}"));
                }
                vec![self.block("if", cond, depth + 1, end_line)?]
            }
        };
        Ok(match kw {
            "if" => Node::If(pipe, body, els),
            "range" => Node::Range(pipe, body, els),
            _ => Node::With(pipe, body, els),
        })
    }
}

fn parse(src: &str) -> Result<Vec<Node>, String> {
    let toks = lex(src)?;
    let mut p = Parser {
        toks: toks.into_iter(),
        vars: vec!["$".to_string()],
    };
    let (nodes, end, line) = p.list(0)?;
    match end {
        Stop::Eof => Ok(nodes),
        Stop::EndKw => Err(perr(line, "unexpected {{end}}")),
        Stop::Else(_) => Err(perr(line, "unexpected {{else}}")),
    }
}

struct Exec<'a> {
    root: &'a Value,
    out: String,
    /// Declared variables, innermost last.
    vars: Vec<(String, V)>,
}

/// An execution failure: the message, at a pipeline.
fn xerr(p: &Pipe, msg: &str) -> String {
    format!(
        "template: output:{}:{}: executing \"output\" at <{}>: {msg}",
        p.line, p.col, p.text
    )
}

impl Exec<'_> {
    fn field(&self, dot: &V, root: bool, path: &[String], p: &Pipe) -> Result<V, String> {
        let mut cur = if root {
            V::from_json(self.root)
        } else {
            dot.clone()
        };
        for (i, k) in path.iter().enumerate() {
            cur = match &cur {
                V::Json(Value::Object(o)) => o.get(k).map_or(V::Nil, V::from_json),
                V::Nil => {
                    // A missing key followed by more fields.
                    let _ = i;
                    return Err(xerr(
                        p,
                        &format!("nil pointer evaluating interface {{}}.{k}"),
                    ));
                }
                other => {
                    return Err(xerr(
                        p,
                        &format!("can't evaluate field {k} in type {}", other.type_name()),
                    ));
                }
            };
        }
        Ok(cur)
    }

    fn arg(&mut self, a: &Arg, dot: &V, p: &Pipe, depth: usize) -> Result<V, String> {
        match a {
            Arg::Field { root, path } => self.field(dot, *root, path, p),
            Arg::Var { name, path } => {
                let v = self
                    .vars
                    .iter()
                    .rev()
                    .find(|(n, _)| n == name)
                    .map(|(_, v)| v.clone())
                    .unwrap_or(V::Nil);
                self.field(&v, false, path, p)
            }
            Arg::Lit(v) => Ok(v.clone()),
            Arg::Sub(sub) => self.pipe(sub, dot, depth + 1, p),
            Arg::Ident(f) => self.call(f, &[], None, p),
        }
    }

    fn pipe(&mut self, pipe: &Pipe, dot: &V, depth: usize, outer: &Pipe) -> Result<V, String> {
        if depth > MAX_DEPTH {
            return Err(xerr(outer, "template nested too deeply"));
        }
        let mut last: Option<V> = None;
        for cmd in &pipe.cmds {
            let Some(first) = cmd.first() else {
                continue;
            };
            let v = match first {
                Arg::Ident(f) => {
                    let mut args = Vec::new();
                    for a in cmd.iter().skip(1) {
                        args.push(self.arg(a, dot, outer, depth)?);
                    }
                    self.call(f, &args, last.take(), outer)?
                }
                other => {
                    if cmd.len() > 1 {
                        return Err(xerr(
                            outer,
                            &format!("can't give argument to non-function {}", describe(other)),
                        ));
                    }
                    if last.is_some() {
                        return Err(xerr(
                            outer,
                            &format!("can't give argument to non-function {}", describe(other)),
                        ));
                    }
                    self.arg(other, dot, outer, depth)?
                }
            };
            last = Some(v);
        }
        Ok(last.unwrap_or(V::Nil))
    }

    fn call(&mut self, f: &str, args: &[V], piped: Option<V>, p: &Pipe) -> Result<V, String> {
        let mut all: Vec<V> = args.to_vec();
        if let Some(v) = piped {
            all.push(v);
        }
        let want = |n: usize| -> Result<(), String> {
            if all.len() == n {
                Ok(())
            } else {
                Err(xerr(
                    p,
                    &format!("wrong number of args for {f}: want {n} got {}", all.len()),
                ))
            }
        };
        match f {
            "printf" => {
                let Some(V::Str(fmt)) = all.first() else {
                    return Err(xerr(p, "wrong type for value; expected string"));
                };
                Ok(V::Str(go_printf(fmt, all.get(1..).unwrap_or(&[]))))
            }
            "print" | "println" => {
                // fmt.Sprint adds spaces between operands when neither is a string.
                let mut s = String::new();
                for (i, v) in all.iter().enumerate() {
                    if i > 0 {
                        let prev_str = matches!(all.get(i - 1), Some(V::Str(_)));
                        if f == "println" || (!prev_str && !matches!(v, V::Str(_))) {
                            s.push(' ');
                        }
                    }
                    s.push_str(&go_v(v));
                }
                if f == "println" {
                    s.push('\n');
                }
                Ok(V::Str(s))
            }
            "len" => {
                want(1)?;
                match all.first() {
                    Some(V::Str(s)) => Ok(V::Int(i64::try_from(s.len()).unwrap_or(i64::MAX))),
                    Some(V::Json(Value::Array(a))) => {
                        Ok(V::Int(i64::try_from(a.len()).unwrap_or(i64::MAX)))
                    }
                    Some(V::Json(Value::Object(o))) => {
                        Ok(V::Int(i64::try_from(o.len()).unwrap_or(i64::MAX)))
                    }
                    Some(V::Nil) | None => Err(xerr(p, "error calling len: len of nil pointer")),
                    Some(other) => Err(xerr(
                        p,
                        &format!("error calling len: len of type {}", other.type_name()),
                    )),
                }
            }
            "index" => {
                let Some(mut cur) = all.first().cloned() else {
                    return Err(xerr(
                        p,
                        "wrong number of args for index: want at least 1 got 0",
                    ));
                };
                for k in all.iter().skip(1) {
                    cur = match (&cur, k) {
                        (V::Json(Value::Object(o)), V::Str(key)) => {
                            o.get(key).map_or(V::Nil, V::from_json)
                        }
                        (V::Json(Value::Array(a)), V::Int(i)) => {
                            let got = usize::try_from(*i).ok().and_then(|u| a.get(u));
                            match got {
                                Some(x) => V::from_json(x),
                                None => {
                                    return Err(xerr(
                                        p,
                                        &format!("error calling index: index out of range: {i}"),
                                    ));
                                }
                            }
                        }
                        (V::Nil, _) => {
                            return Err(xerr(p, "error calling index: index of untyped nil"));
                        }
                        (c, k) => {
                            return Err(xerr(
                                p,
                                &format!(
                                    "error calling index: cannot index {} with {}",
                                    c.type_name(),
                                    k.type_name()
                                ),
                            ));
                        }
                    };
                }
                Ok(cur)
            }
            "not" => {
                want(1)?;
                Ok(V::Bool(!all.first().is_some_and(V::truth)))
            }
            "and" => Ok(all
                .iter()
                .find(|v| !v.truth())
                .or(all.last())
                .cloned()
                .unwrap_or(V::Nil)),
            "or" => Ok(all
                .iter()
                .find(|v| v.truth())
                .or(all.last())
                .cloned()
                .unwrap_or(V::Nil)),
            "eq" | "ne" | "lt" | "le" | "gt" | "ge" => {
                want(2)?;
                let (a, b) = match (all.first(), all.get(1)) {
                    (Some(a), Some(b)) => (a, b),
                    _ => return Err(xerr(p, "missing argument for comparison")),
                };
                let ord = compare(a, b).map_err(|m| xerr(p, &format!("error calling {f}: {m}")))?;
                use std::cmp::Ordering::*;
                let r = match f {
                    "eq" => ord == Equal,
                    "ne" => ord != Equal,
                    "lt" => ord == Less,
                    "le" => ord != Greater,
                    "gt" => ord == Greater,
                    _ => ord != Less,
                };
                Ok(V::Bool(r))
            }
            other => Err(xerr(p, &format!("function {other:?} not defined"))),
        }
    }

    fn emit(&mut self, s: &str) -> Result<(), String> {
        if self.out.len() + s.len() > MAX_OUTPUT {
            return Err(format!("template output larger than {MAX_OUTPUT} bytes"));
        }
        self.out.push_str(s);
        Ok(())
    }

    fn nodes(&mut self, nodes: &[Node], dot: &V, depth: usize) -> Result<(), String> {
        for n in nodes {
            match n {
                Node::Text(t) => self.emit(t)?,
                Node::Action(p) => {
                    let v = self.pipe(p, dot, depth, p)?;
                    if p.decl.is_empty() {
                        self.emit(&print_value(&v))?;
                    } else {
                        // A declaration or assignment prints nothing.
                        self.bind(p, v);
                    }
                }
                Node::If(p, then, els) => {
                    let v = self.pipe(p, dot, depth, p)?;
                    let mark = self.vars.len();
                    self.bind(p, v.clone());
                    let r = self.nodes(if v.truth() { then } else { els }, dot, depth + 1);
                    self.vars.truncate(mark);
                    r?;
                }
                Node::With(p, then, els) => {
                    let v = self.pipe(p, dot, depth, p)?;
                    let mark = self.vars.len();
                    self.bind(p, v.clone());
                    let r = if v.truth() {
                        self.nodes(then, &v, depth + 1)
                    } else {
                        self.nodes(els, dot, depth + 1)
                    };
                    self.vars.truncate(mark);
                    r?;
                }
                Node::Range(p, body, els) => {
                    let v = self.pipe(p, dot, depth, p)?;
                    // (key or index, element)
                    let items: Vec<(V, V)> = match &v {
                        V::Json(Value::Array(a)) => a
                            .iter()
                            .enumerate()
                            .map(|(i, x)| {
                                (
                                    V::Int(i64::try_from(i).unwrap_or(i64::MAX)),
                                    V::from_json(x),
                                )
                            })
                            .collect(),
                        V::Json(Value::Object(o)) => {
                            let mut keys: Vec<&String> = o.keys().collect();
                            keys.stable_sort();
                            keys.iter()
                                .filter_map(|k| {
                                    o.get(*k).map(|x| (V::Str((*k).clone()), V::from_json(x)))
                                })
                                .collect()
                        }
                        V::Nil => Vec::new(),
                        V::Int(n) => (0..(*n).clamp(0, 100_000))
                            .map(|i| (V::Int(i), V::Int(i)))
                            .collect(),
                        other => {
                            return Err(xerr(
                                p,
                                &format!("range can't iterate over {}", go_v(other)),
                            ));
                        }
                    };
                    if items.is_empty() {
                        self.nodes(els, dot, depth + 1)?;
                    }
                    for (k, it) in &items {
                        let mark = self.vars.len();
                        match p.decl.as_slice() {
                            [one] => self.vars.push((one.clone(), it.clone())),
                            [key, elem] => {
                                self.vars.push((key.clone(), k.clone()));
                                self.vars.push((elem.clone(), it.clone()));
                            }
                            _ => {}
                        }
                        let r = self.nodes(body, it, depth + 1);
                        self.vars.truncate(mark);
                        r?;
                    }
                }
            }
        }
        Ok(())
    }
}

impl Exec<'_> {
    /// `$x := v` declares (shadowing), `$x = v` assigns the innermost `$x`.
    fn bind(&mut self, p: &Pipe, v: V) {
        let Some(name) = p.decl.first() else {
            return;
        };
        if p.assign {
            if let Some(slot) = self.vars.iter_mut().rev().find(|(n, _)| n == name) {
                slot.1 = v;
            }
        } else {
            self.vars.push((name.clone(), v));
        }
    }
}

fn describe(a: &Arg) -> String {
    match a {
        Arg::Field { root, path } => {
            let mut s = if *root {
                "$".to_string()
            } else {
                String::new()
            };
            if path.is_empty() && !root {
                s.push('.');
            }
            for p in path {
                s.push('.');
                s.push_str(p);
            }
            s
        }
        Arg::Lit(V::Str(s)) => format!("{s:?}"),
        Arg::Lit(v) => go_v(v),
        Arg::Ident(f) => f.clone(),
        Arg::Sub(_) => "(…)".into(),
        Arg::Var { name, path } => {
            let mut s = name.clone();
            for p in path {
                s.push('.');
                s.push_str(p);
            }
            s
        }
    }
}

/// text/template `eq`/`lt`…: same basic kind only (an int literal against a JSON float64 is an
/// error, as in Go).
fn compare(a: &V, b: &V) -> Result<std::cmp::Ordering, String> {
    use std::cmp::Ordering;
    match (a, b) {
        (V::Int(x), V::Int(y)) => Ok(x.cmp(y)),
        (V::Float(x), V::Float(y)) => Ok(x.partial_cmp(y).unwrap_or(Ordering::Equal)),
        (V::Str(x), V::Str(y)) => Ok(x.cmp(y)),
        (V::Bool(x), V::Bool(y)) if x == y => Ok(Ordering::Equal),
        (V::Bool(_), V::Bool(_)) => Ok(Ordering::Less),
        (V::Nil, V::Nil) => Ok(Ordering::Equal),
        (V::Nil, _) | (_, V::Nil) => Err("incompatible types for comparison".into()),
        (V::Json(_), _) | (_, V::Json(_)) => Err("invalid type for comparison".into()),
        _ => Err("incompatible types for comparison".into()),
    }
}

/// Go `fmt.Sprintf` for the verbs templates use: `%s %d %v %q %%`, with a width (`%5s`,
/// `%-10s`). A verb that does not fit its operand prints Go's `%!d(float64=3)`.
fn go_printf(fmt: &str, args: &[V]) -> String {
    let mut out = String::new();
    let mut it = fmt.chars().peekable();
    let mut next = 0usize;
    while let Some(c) = it.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut flags = String::new();
        while let Some(&f) = it.peek() {
            if f == '-' || f.is_ascii_digit() {
                flags.push(f);
                it.next();
            } else {
                break;
            }
        }
        let Some(verb) = it.next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        let Some(arg) = args.get(next) else {
            out.push_str(&format!("%!{verb}(MISSING)"));
            continue;
        };
        next += 1;
        let text = match (verb, arg) {
            ('v', v) => Some(go_v(v)),
            ('s', V::Str(s)) => Some(s.clone()),
            ('s', v @ V::Json(_)) => Some(go_v(v)),
            ('q', V::Str(s)) => Some(format!("{s:?}")),
            ('d', V::Int(i)) => Some(i.to_string()),
            _ => None,
        };
        let text = match text {
            Some(t) => t,
            None => {
                let shown = match arg {
                    V::Nil => "<nil>".to_string(),
                    other => format!("{}={}", other.type_name(), go_v(other)),
                };
                format!("%!{verb}({shown})")
            }
        };
        let left = flags.starts_with('-');
        let width: usize = flags.trim_start_matches('-').parse().unwrap_or(0);
        let pad = width.saturating_sub(text.chars().count());
        if left {
            out.push_str(&text);
            out.push_str(&" ".repeat(pad));
        } else {
            out.push_str(&" ".repeat(pad));
            out.push_str(&text);
        }
    }
    if next < args.len() {
        let extra: Vec<String> = args
            .iter()
            .skip(next)
            .map(|v| format!("{}={}", v.type_name(), go_v(v)))
            .collect();
        out.push_str(&format!("%!(EXTRA {})", extra.join(", ")));
    }
    out
}

/// Run `template` against `data` (an object, or a `List` of them) and return what kubectl
/// prints, or its error line (`error: …`).
pub fn render(template: &str, data: &Value) -> Result<String, String> {
    if template.len() > MAX_TEMPLATE {
        return Err(format!(
            "error: error parsing template {template}, template larger than {MAX_TEMPLATE} bytes"
        ));
    }
    let nodes =
        parse(template).map_err(|e| format!("error: error parsing template {template}, {e}"))?;
    let mut ex = Exec {
        root: data,
        out: String::new(),
        vars: Vec::new(),
    };
    ex.nodes(&nodes, &V::from_json(data), 0)
        .map_err(|e| format!("error: error executing template {template:?}: {e}"))?;
    Ok(ex.out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `go_float` as it was written with `{:e}` (Rust's shortest exponent form), the oracle.
    fn go_float_via_lower_exp(f: f64) -> String {
        let exp = f.abs().log10().floor();
        if f == 0.0 || !f.is_finite() || (-4.0..6.0).contains(&exp) {
            return go_float(f);
        }
        let s = format!("{f:e}");
        let (mant, e) = s.split_once('e').unwrap_or((s.as_str(), "0"));
        let e: i32 = e.parse().unwrap_or(0);
        let sign = if e < 0 { '-' } else { '+' };
        format!("{mant}e{sign}{:02}", e.abs())
    }

    #[test]
    fn go_float_exponent_form() {
        for (f, s) in [
            (1e6, "1e+06"),
            (-2.5e-7, "-2.5e-07"),
            (123456789.0, "1.23456789e+08"),
            (1e21, "1e+21"),
            (0.0001, "0.0001"),
            (0.00001234, "1.234e-05"),
            (f64::MAX, "1.7976931348623157e+308"),
            (5e-324, "5e-324"),
        ] {
            assert_eq!(go_float(f), s);
        }
        // 100,000 bit patterns spread over every exponent and both signs.
        for bits in (0..u64::MAX).step_by(184_467_440_737_095) {
            let f = f64::from_bits(bits);
            assert_eq!(go_float(f), go_float_via_lower_exp(f), "{bits:#x}");
        }
    }

    #[test]
    fn keyword_directly_followed_by_a_field() {
        let v = serde_json::json!({"items": [{"n": "a"}, {"n": "b"}]});
        assert_eq!(
            render("{{range.items}}{{.n}};{{end}}{{len.items}}", &v).unwrap(),
            "a;b;2"
        );
    }
    use serde_json::json;

    fn pod() -> Value {
        json!({
            "kind": "Pod",
            "metadata": {"name": "web-0", "labels": {"app": "nginx", "apps.kubernetes.io/pod-index": "0"}},
            "spec": {"containers": [{"name": "nginx", "image": "nginx:1.26.0"}], "replicas": 3},
            "status": {"phase": "Running", "big": 1000000}
        })
    }

    fn list() -> Value {
        json!({"kind": "List", "items": [
            {"metadata": {"name": "web-0"}, "status": {"phase": "Running"}},
            {"metadata": {"name": "web-1"}, "status": {"phase": "Pending"}}
        ]})
    }

    #[test]
    fn fields_literals_and_missing_keys() {
        assert_eq!(render("{{.metadata.name}}", &pod()).unwrap(), "web-0");
        assert_eq!(render("{{.metadata.nope}}", &pod()).unwrap(), "<no value>");
        assert_eq!(
            render("{{.spec.replicas}}{{\"\\n\"}}", &pod()).unwrap(),
            "3\n"
        );
        // Go prints float64 1e6 in exponent form.
        assert_eq!(render("{{.status.big}}", &pod()).unwrap(), "1e+06");
        assert_eq!(render("{{$.kind}}-{{ .kind }}", &pod()).unwrap(), "Pod-Pod");
        assert_eq!(render("a {{- \" b \" -}} c", &pod()).unwrap(), "a b c");
        assert_eq!(render("{{/* note */}}x", &pod()).unwrap(), "x");
    }

    #[test]
    fn range_if_else_index_len_printf() {
        let t = "{{range .items}}{{.metadata.name}} {{if eq .status.phase \"Running\"}}up{{else}}down{{end}}\n{{end}}";
        assert_eq!(render(t, &list()).unwrap(), "web-0 up\nweb-1 down\n");
        assert_eq!(
            render("{{index .metadata.labels \"app\"}}", &pod()).unwrap(),
            "nginx"
        );
        assert_eq!(
            render(
                "{{index .metadata.labels \"apps.kubernetes.io/pod-index\"}}",
                &pod()
            )
            .unwrap(),
            "0"
        );
        assert_eq!(render("{{len .items}}", &list()).unwrap(), "2");
        assert_eq!(
            render(
                "{{printf \"%s=%v\\n\" .metadata.name .spec.replicas}}",
                &pod()
            )
            .unwrap(),
            "web-0=3\n"
        );
        // JSON numbers are float64: %d does not fit, as in kubectl.
        assert_eq!(
            render("{{printf \"%d\" .spec.replicas}}", &pod()).unwrap(),
            "%!d(float64=3)"
        );
        assert_eq!(
            render("{{.metadata.name | printf \"%-8s|\"}}", &pod()).unwrap(),
            "web-0   |"
        );
        assert_eq!(
            render("{{range .spec.containers}}{{.image}}{{end}}", &pod()).unwrap(),
            "nginx:1.26.0"
        );
        assert_eq!(
            render("{{range .nope}}x{{else}}none{{end}}", &pod()).unwrap(),
            "none"
        );
        assert_eq!(
            render("{{if .nope}}a{{else if .kind}}b{{else}}c{{end}}", &pod()).unwrap(),
            "b"
        );
        assert_eq!(
            render("{{with .metadata}}{{.name}}{{end}}", &pod()).unwrap(),
            "web-0"
        );
        assert_eq!(render("{{if not .nope}}y{{end}}", &pod()).unwrap(), "y");
        assert_eq!(
            render("{{.metadata.labels}}", &pod()).unwrap(),
            "map[app:nginx apps.kubernetes.io/pod-index:0]"
        );
    }

    #[test]
    fn parse_errors_read_like_kubectl() {
        assert_eq!(
            render("{{.a", &pod()).unwrap_err(),
            "error: error parsing template {{.a, template: output:1: unclosed action"
        );
        assert_eq!(
            render("{{range .items}}x", &pod()).unwrap_err(),
            "error: error parsing template {{range .items}}x, template: output:1: unexpected EOF"
        );
        assert_eq!(
            render("{{end}}", &pod()).unwrap_err(),
            "error: error parsing template {{end}}, template: output:1: unexpected {{end}}"
        );
        assert_eq!(
            render("{{foo .a}}", &pod()).unwrap_err(),
            "error: error parsing template {{foo .a}}, template: output:1: function \"foo\" not defined"
        );
    }

    #[test]
    fn exec_errors_read_like_kubectl() {
        assert_eq!(
            render("{{.nope.deeper}}", &pod()).unwrap_err(),
            "error: error executing template \"{{.nope.deeper}}\": template: output:1:2: executing \"output\" at <.nope.deeper>: nil pointer evaluating interface {}.deeper"
        );
        assert!(
            render("{{if eq .spec.replicas 3}}x{{end}}", &pod())
                .unwrap_err()
                .ends_with("error calling eq: incompatible types for comparison")
        );
        assert!(
            render("{{range .kind}}x{{end}}", &pod())
                .unwrap_err()
                .ends_with("range can't iterate over Pod")
        );
    }

    // kubectl get wiring (cli-runtime genericclioptions/template_flags.go): -o go-template=T,
    // -o go-template with --template, --template alone, and the missing-template error.
    #[test]
    fn kubectl_get_go_template() {
        let mut s = crate::Session::new();
        s.run_line("kubectl apply -f svc.yaml -f sts.yaml");
        s.run_line("sim settle");
        let o = s.run_line(
            r#"kubectl get pods -o go-template='{{range .items}}{{.metadata.name}} {{.status.phase}}{{"\n"}}{{end}}'"#,
        );
        assert!(o.ok, "{}", o.combined);
        assert_eq!(
            o.stdout,
            "nginx-with-init-container-0 Running\nnginx-with-init-container-1 Running\nnginx-with-init-container-2 Running\n"
        );
        let o = s.run_line(
            r#"kubectl get sts nginx-with-init-container -o go-template --template='{{.spec.replicas}}'"#,
        );
        assert_eq!(o.stdout, "3");
        let o = s.run_line(r#"kubectl get sts nginx-with-init-container --template='{{.kind}}'"#);
        assert_eq!(o.stdout, "StatefulSet");
        let o = s.run_line("kubectl get pods -o go-template");
        assert!(!o.ok);
        assert_eq!(
            o.stderr,
            "error: template format specified but no template given\n"
        );
        let o = s.run_line(r#"kubectl get pods -o go-template='{{.items'"#);
        assert_eq!(
            o.stderr,
            "error: error parsing template {{.items, template: output:1: unclosed action\n"
        );
    }

    // The kubernetes.io StatefulSet tutorial's template (text/template: variables in range).
    #[test]
    fn variables_in_range_with_and_actions() {
        let t = "{{range $i, $c := .spec.containers}}{{$c.image}}{{end}}";
        assert_eq!(render(t, &pod()).unwrap(), "nginx:1.26.0");
        assert_eq!(
            render(
                "{{range $i, $c := .items}}{{$i}}={{$c.metadata.name}} {{end}}",
                &list()
            )
            .unwrap(),
            "0=web-0 1=web-1 "
        );
        assert_eq!(
            render(
                "{{range $k, $v := .metadata.labels}}{{$k}}:{{$v}};{{end}}",
                &pod()
            )
            .unwrap(),
            "app:nginx;apps.kubernetes.io/pod-index:0;"
        );
        assert_eq!(
            render("{{range $c := .spec.containers}}{{$c.name}}{{end}}", &pod()).unwrap(),
            "nginx"
        );
        assert_eq!(
            render(
                "{{$n := .metadata.name}}{{with .spec}}{{$n}}/{{.replicas}}{{end}}",
                &pod()
            )
            .unwrap(),
            "web-0/3"
        );
        assert_eq!(render("{{$n := 1}}{{$n = 2}}{{$n}}", &pod()).unwrap(), "2");
        assert_eq!(
            render("{{with $m := .metadata}}{{$m.name}}{{end}}", &pod()).unwrap(),
            "web-0"
        );
        // Scoped to the block: `$c` is unknown after {{end}}.
        assert_eq!(
            render("{{range $c := .spec.containers}}{{end}}{{$c}}", &pod()).unwrap_err(),
            "error: error parsing template {{range $c := .spec.containers}}{{end}}{{$c}}, template: output:1: undefined variable \"$c\""
        );
        assert!(
            render("{{$x = 1}}", &pod())
                .unwrap_err()
                .contains("undefined variable")
        );
    }

    #[test]
    fn bounded() {
        let deep = "{{if .kind}}".repeat(40) + &"{{end}}".repeat(40);
        assert!(render(&deep, &pod()).is_err());
        let big = "x".repeat(MAX_TEMPLATE + 1);
        assert!(render(&big, &pod()).is_err());
        // 100k iterations of a 20-byte body exceed the output bound instead of growing forever.
        assert!(render("{{range 100000}}xxxxxxxxxxxxxxxxxxxx{{end}}", &pod()).is_err());
    }
}

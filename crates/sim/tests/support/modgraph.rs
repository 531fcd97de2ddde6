//! The module graph of a crate, read from its sources: which module uses which (issue 18:
//! "the import circle becomes a tree"). Shared by `crates/sim/tests/module_graph.rs` and
//! `crates/kubectl/tests/module_graph.rs`.
//!
//! A node is one file's module (`controller::deployment::sync`; a `mod.rs` is its folder's
//! module). An edge A → B means A's code (outside `#[cfg(test)] mod … { }` blocks) names a path
//! that resolves into B: `crate::…`, `super::…`, `self::…`, or a child module's name. Re-exports
//! (`pub use`, `pub(crate) use`) are a module's facade, not a use of its own: a path through a
//! re-export resolves to where the item lives, and the re-export adds no edge.

#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

pub type Module = Vec<String>;

#[derive(Default)]
pub struct Graph {
    pub modules: BTreeSet<Module>,
    pub edges: BTreeMap<Module, BTreeSet<Module>>,
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Ident(String),
    Path, // ::
    Open,
    Close,
    Comma,
    Star,
    Semi,
    Other(char),
}

/// Source without comments, string and char literals, and `#[cfg(test)] mod x { … }` blocks.
fn strip(src: &str) -> String {
    let b: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < b.len() && b[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == '/' && b.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if b[i] == '*' && b.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            out.push(' ');
        } else if c == 'r'
            && (next == Some('"') || next == Some('#'))
            && !b
                .get(i.wrapping_sub(1))
                .is_some_and(|p| p.is_alphanumeric() || *p == '_')
        {
            // raw string r"…" / r#"…"#
            let mut j = i + 1;
            let mut hashes = 0;
            while b.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if b.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            'raw: while j < b.len() {
                if b[j] == '"' && (0..hashes).all(|k| b.get(j + 1 + k) == Some(&'#')) {
                    j += 1 + hashes;
                    break 'raw;
                }
                j += 1;
            }
            out.push_str("\"\"");
            i = j;
        } else if c == '"' {
            i += 1;
            while i < b.len() && b[i] != '"' {
                if b[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == '\'' {
            // a char literal ('x', '\n', '\u{..}') or a lifetime ('a)
            if next == Some('\\') {
                i += 2;
                while i < b.len() && b[i] != '\'' {
                    i += 1;
                }
                i += 1;
                out.push_str("' '");
            } else if b.get(i + 2) == Some(&'\'') {
                i += 3;
                out.push_str("' '");
            } else {
                out.push(c);
                i += 1;
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    drop_test_modules(&out)
}

fn drop_test_modules(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let after = &rest[at + "#[cfg(test)]".len()..];
        let t = after.trim_start();
        if let Some(m) = t.strip_prefix("mod ")
            && let Some(open) = m.find(['{', ';'])
            && m.as_bytes()[open] == b'{'
        {
            let body_start = after.len() - m.len() + open;
            let mut depth = 0usize;
            let mut end = after.len();
            for (k, c) in after[body_start..].char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            end = body_start + k + 1;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            rest = &after[end..];
        } else {
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

fn tokens(s: &str) -> Vec<Tok> {
    let b: Vec<char> = s.chars().collect();
    let mut v = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_alphabetic() || c == '_' {
            let st = i;
            while i < b.len() && (b[i].is_alphanumeric() || b[i] == '_') {
                i += 1;
            }
            v.push(Tok::Ident(b[st..i].iter().collect()));
            continue;
        }
        i += 1;
        match c {
            ':' if b.get(i) == Some(&':') => {
                i += 1;
                v.push(Tok::Path);
            }
            '{' => v.push(Tok::Open),
            '}' => v.push(Tok::Close),
            ',' => v.push(Tok::Comma),
            '*' => v.push(Tok::Star),
            ';' => v.push(Tok::Semi),
            c if c.is_whitespace() => {}
            c => v.push(Tok::Other(c)),
        }
    }
    v
}

/// Parses a use tree (or a plain path) from `t[i]`, after `prefix::`; pushes every leaf path
/// (a glob ends in "*"). Returns the index after it.
fn use_tree(t: &[Tok], mut i: usize, prefix: Vec<String>, leaves: &mut Vec<Vec<String>>) -> usize {
    let mut segs = prefix;
    loop {
        match t.get(i) {
            Some(Tok::Ident(id)) => {
                segs.push(id.clone());
                i += 1;
                if let Some(Tok::Ident(a)) = t.get(i)
                    && a == "as"
                {
                    i += 2;
                }
                if t.get(i) == Some(&Tok::Path) {
                    i += 1;
                } else {
                    leaves.push(segs);
                    return i;
                }
            }
            Some(Tok::Star) => {
                segs.push("*".into());
                leaves.push(segs);
                return i + 1;
            }
            Some(Tok::Open) => {
                i += 1;
                loop {
                    match t.get(i) {
                        Some(Tok::Close) => return i + 1,
                        Some(Tok::Comma) => i += 1,
                        None => return i,
                        _ => i = use_tree(t, i, segs.clone(), leaves),
                    }
                }
            }
            _ => {
                leaves.push(segs);
                return i;
            }
        }
    }
}

struct File {
    module: Module,
    toks: Vec<Tok>,
}

fn module_of(src_dir: &Path, file: &Path) -> Module {
    let rel = file.strip_prefix(src_dir).unwrap().with_extension("");
    let mut m: Module = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(m.last().map(String::as_str), Some("mod" | "lib" | "main")) {
        m.pop();
    }
    m
}

fn walk(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            walk(&p, files);
        } else if p.extension().is_some_and(|x| x == "rs") {
            files.push(p);
        }
    }
}

/// Is `t[i..]` the start of a `pub use` / `pub(crate) use` / `pub(super) use` item?
fn is_reexport(t: &[Tok], i: usize) -> Option<usize> {
    if t.get(i) != Some(&Tok::Ident("pub".into())) {
        return None;
    }
    let mut j = i + 1;
    if t.get(j) == Some(&Tok::Other('(')) {
        while t.get(j).is_some_and(|x| x != &Tok::Other(')')) {
            j += 1;
        }
        j += 1;
    }
    (t.get(j) == Some(&Tok::Ident("use".into()))).then_some(j + 1)
}

/// The absolute form of a path written in `module` (`crate::`, `super::`, `self::`, a child).
fn absolute(module: &Module, children: &BTreeSet<String>, path: &[String]) -> Option<Vec<String>> {
    let first = path.first()?;
    let mut base = module.clone();
    let mut rest = path;
    match first.as_str() {
        "crate" => {
            base.clear();
            rest = &path[1..];
        }
        "self" => rest = &path[1..],
        "super" => {
            while rest.first().map(String::as_str) == Some("super") {
                base.pop()?;
                rest = &rest[1..];
            }
        }
        name if children.contains(name) => {}
        _ => return None,
    }
    let mut abs = base;
    // `use a::{self, B}`: the leaf `self` is `a` itself.
    abs.extend(rest.iter().filter(|s| *s != "self").cloned());
    Some(abs)
}

pub fn read(src_dir: &Path) -> Graph {
    let mut paths = Vec::new();
    walk(src_dir, &mut paths);
    let files: Vec<File> = paths
        .iter()
        .map(|p| File {
            module: module_of(src_dir, p),
            toks: tokens(&strip(&std::fs::read_to_string(p).unwrap())),
        })
        .collect();
    let modules: BTreeSet<Module> = files.iter().map(|f| f.module.clone()).collect();
    let children_of = |m: &Module| -> BTreeSet<String> {
        modules
            .iter()
            .filter(|c| c.len() == m.len() + 1 && c.starts_with(m))
            .map(|c| c[m.len()].clone())
            .collect()
    };
    // Pass 1: re-exports (module, name) -> absolute target; globs per module.
    let mut aliases: BTreeMap<(Module, String), Vec<String>> = BTreeMap::new();
    let mut globs: BTreeMap<Module, Vec<Vec<String>>> = BTreeMap::new();
    // Pass 2 material: every path each module names outside re-exports.
    let mut uses: Vec<(Module, Vec<String>)> = Vec::new();
    for f in &files {
        let children = children_of(&f.module);
        let t = &f.toks;
        let mut i = 0;
        while i < t.len() {
            if let Some(j) = is_reexport(t, i) {
                let mut leaves = Vec::new();
                let end = use_tree(t, j, Vec::new(), &mut leaves);
                for l in leaves {
                    let Some(abs) = absolute(&f.module, &children, &l) else {
                        continue;
                    };
                    if abs.last().map(String::as_str) == Some("*") {
                        globs
                            .entry(f.module.clone())
                            .or_default()
                            .push(abs[..abs.len() - 1].to_vec());
                    } else if let Some(name) = l.iter().rev().find(|s| *s != "self") {
                        // `pub use x::y as z` is rare here; the alias is the last segment.
                        aliases.insert((f.module.clone(), name.clone()), abs);
                    }
                }
                i = end.max(i + 1);
                continue;
            }
            let starts_path = matches!(&t[i], Tok::Ident(id)
                if matches!(id.as_str(), "crate" | "super" | "self") || children.contains(id))
                && t.get(i + 1) == Some(&Tok::Path)
                && (i == 0 || t[i - 1] != Tok::Path);
            if starts_path {
                let mut leaves = Vec::new();
                let end = use_tree(t, i, Vec::new(), &mut leaves);
                for l in leaves {
                    if let Some(abs) = absolute(&f.module, &children, &l) {
                        uses.push((f.module.clone(), abs));
                    }
                }
                i = end.max(i + 1);
                continue;
            }
            i += 1;
        }
    }
    let resolve = |path: &[String]| -> Module {
        let mut path: Vec<String> = path.to_vec();
        let mut cur: Module = Vec::new();
        let mut k = 0;
        let mut hops = 0;
        while k < path.len() && hops < 32 {
            let seg = &path[k];
            let mut next = cur.clone();
            next.push(seg.clone());
            if modules.contains(&next) {
                cur = next;
                k += 1;
            } else if let Some(target) = aliases.get(&(cur.clone(), seg.clone())) {
                let mut p = target.clone();
                p.extend(path[k + 1..].iter().cloned());
                path = p;
                cur.clear();
                k = 0;
                hops += 1;
            } else if let Some(g) = globs.get(&cur).and_then(|g| g.first()) {
                let mut p = g.clone();
                p.extend(path[k..].iter().cloned());
                path = p;
                cur.clear();
                k = 0;
                hops += 1;
            } else {
                break;
            }
        }
        cur
    };
    let mut g = Graph {
        modules: modules.clone(),
        ..Graph::default()
    };
    for (from, path) in uses {
        let to = resolve(&path);
        if to != from && !to.is_empty() {
            g.edges.entry(from).or_default().insert(to);
        }
    }
    g
}

impl Graph {
    /// Every strongly connected set of more than one module (a cycle), each sorted.
    pub fn cycles(&self) -> Vec<Vec<String>> {
        // Tarjan's algorithm, iterative enough for a few hundred modules.
        struct T<'g> {
            g: &'g Graph,
            index: BTreeMap<&'g Module, usize>,
            low: BTreeMap<&'g Module, usize>,
            stack: Vec<&'g Module>,
            on: BTreeSet<&'g Module>,
            next: usize,
            out: Vec<Vec<String>>,
        }
        fn visit<'g>(t: &mut T<'g>, v: &'g Module) {
            t.index.insert(v, t.next);
            t.low.insert(v, t.next);
            t.next += 1;
            t.stack.push(v);
            t.on.insert(v);
            let g = t.g;
            for w in g.edges.get(v).into_iter().flatten() {
                if !t.index.contains_key(w) {
                    visit(t, w);
                    let lw = t.low[w];
                    let lv = t.low.get_mut(v).unwrap();
                    *lv = (*lv).min(lw);
                } else if t.on.contains(w) {
                    let iw = t.index[w];
                    let lv = t.low.get_mut(v).unwrap();
                    *lv = (*lv).min(iw);
                }
            }
            if t.low[v] == t.index[v] {
                let mut comp = Vec::new();
                while let Some(w) = t.stack.pop() {
                    t.on.remove(w);
                    comp.push(w.join("::"));
                    if w == v {
                        break;
                    }
                }
                if comp.len() > 1 {
                    comp.sort();
                    t.out.push(comp);
                }
            }
        }
        let mut t = T {
            g: self,
            index: BTreeMap::new(),
            low: BTreeMap::new(),
            stack: Vec::new(),
            on: BTreeSet::new(),
            next: 0,
            out: Vec::new(),
        };
        for v in &self.modules {
            if !t.index.contains_key(v) {
                visit(&mut t, v);
            }
        }
        t.out.sort();
        t.out
    }

    /// The edges inside one cycle, "a -> b" per line, for a failure message.
    pub fn explain(&self, cycle: &[String]) -> String {
        let inside: BTreeSet<&String> = cycle.iter().collect();
        let mut s = String::new();
        for (from, tos) in &self.edges {
            let f = from.join("::");
            if !inside.contains(&f) {
                continue;
            }
            for to in tos {
                let t = to.join("::");
                if inside.contains(&t) {
                    s.push_str(&format!("  {f} -> {t}\n"));
                }
            }
        }
        s
    }

    pub fn has_edge(&self, from: &str, to: &str) -> bool {
        self.edges
            .iter()
            .any(|(f, tos)| f.join("::") == from && tos.iter().any(|t| t.join("::") == to))
    }
}

/// Asserts the graph of `src_dir` has no cycle, naming the edges of each one found.
pub fn assert_acyclic(src_dir: &Path) -> Graph {
    let g = read(src_dir);
    let cycles = g.cycles();
    let report: String = cycles
        .iter()
        .map(|c| format!("cycle among {}:\n{}", c.join(", "), g.explain(c)))
        .collect();
    assert!(
        cycles.is_empty(),
        "module import cycles in {}:\n{report}",
        src_dir.display()
    );
    g
}

impl Graph {
    /// The graph of folders: every module replaced by its first `depth` path segments (at depth
    /// 1, `controller::deployment::sync` is `controller` and `store` stays `store`); edges
    /// inside one folder disappear.
    pub fn folders(&self, depth: usize) -> Graph {
        let cut = |m: &Module| m.iter().take(depth).cloned().collect::<Module>();
        let mut g = Graph::default();
        for m in &self.modules {
            g.modules.insert(cut(m));
        }
        for (from, tos) in &self.edges {
            let f = cut(from);
            for to in tos {
                let t = cut(to);
                if t != f {
                    g.edges.entry(f.clone()).or_default().insert(t);
                }
            }
        }
        g
    }
}

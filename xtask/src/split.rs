//! The second wasm module (issue #17): the release wasm is split in two after wasm-bindgen and
//! before wasm-opt.
//!
//! - The *primary* (the `app-…_bg.wasm` the page starts with) keeps every function the first
//!   visit runs: start, apply of the seed, stepping, settling, `kubectl get`, the diagram.
//! - The *secondary* (`app-…_bg.2.wasm`) holds the rest: describe, explain, jsonpath and
//!   go-template printers, share links, exports, the tutorials' checks, … `web/boot.js` fetches
//!   and links it when the page is idle, or synchronously on the first call into it if that
//!   comes first. No feature is lost and the user does nothing.
//!
//! Which functions are cold comes from a profile, `web/split-cold.txt`: the demangled names
//! (without crate hashes) of the functions that a recorded first visit did *not* run, written by
//! `cargo xtask split-profile`. A function whose name is not in that file stays in the primary,
//! so code added since the profile was taken is never moved: a stale profile costs bytes, never
//! a synchronous load. The e2e test `split::first_visit_runs_in_the_primary_alone` fails when a
//! function that the first visit runs is listed as cold (run `cargo xtask split-profile`).
//!
//! How the split works (on walrus, the crate wasm-bindgen is built on):
//! - The set S to move: functions whose name is cold, plus every function only called from S.
//!   Exported functions, the start function and functions with `memory.init`/`data.drop`/
//!   `table.init`/`elem.drop` stay.
//! - Primary: each moved function keeps its index and its body becomes a trampoline:
//!   `if !__split_loaded { call split.load }; call_indirect (slot base + i)` on the function
//!   table, grown by |S|. The memories, tables, globals and the functions S calls are exported
//!   (`m*`, `t*`, `g*`, `f*`).
//! - Secondary: the same module with everything turned into imports from `primary`, its data
//!   and element segments removed, and one active element segment writing S's bodies into the
//!   slots base…; walrus's GC drops the rest.
//!
//! Then each module is optimised by wasm-opt with the release pass list ([`WASM_OPT_ARGS`]).
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use walrus::ir::{UnaryOp, Visitor, VisitorMut};
use walrus::{
    ConstExpr, DataId, ElementId, ElementItems, ElementKind, ExportItem, FunctionBuilder,
    FunctionId, FunctionKind, GlobalKind, ImportKind, LocalId, Module, ValType,
};

/// The release wasm-opt pass list (measured in docs/size.md, "wasm-opt arguments"): `-Oz`, then
/// `--low-memory-unused` (nothing lives in the low 1 KiB of memory), `--flatten --rereloop`
/// and two more `-Oz`.
pub const WASM_OPT_ARGS: [&str; 6] = [
    "-Oz",
    "--low-memory-unused",
    "--flatten",
    "--rereloop",
    "-Oz",
    "-Oz",
];

/// The profile: names of the functions a first visit does not run (see the module docs).
pub const COLD_FILE: &str = "web/split-cold.txt";

/// A function's name as the profile keeps it: demangled, without crate hashes.
fn plain_name(m: &Module, f: FunctionId) -> Option<String> {
    let n = m.funcs.get(f).name.as_deref()?;
    Some(without_hashes(&format!(
        "{:#}",
        rustc_demangle::demangle(n)
    )))
}

/// A name without its generic arguments: `<hashbrown::raw::RawTable<(usize, E)>>::find::<F>` →
/// `<hashbrown::raw::RawTable>::find::`.
fn without_generics(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut depth = 0usize;
    let mut prev = ' ';
    for c in name.chars() {
        if c == '<' && (depth > 0 || prev.is_alphanumeric() || matches!(prev, '_' | ':' | '>')) {
            depth += 1;
        } else if c == '>' && depth > 0 {
            depth -= 1;
        } else if depth == 0 {
            out.push(c);
        }
        prev = c;
    }
    out
}

/// `sim[12e96232af84d3d6]::event_loop::run` → `sim::event_loop::run`. The linker writes the
/// name section already demangled, with each crate's disambiguator, a hash of (among other
/// things) the crate's path on disk: a profile taken in one checkout must match in another.
/// Only runs of 5 or more hex digits in brackets go (`[f32]` and `[u8; 4]` stay).
fn without_hashes(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut rest = name;
    while let Some(i) = rest.find('[') {
        let (head, tail) = rest.split_at(i);
        out.push_str(head);
        let hex = tail[1..].bytes().take_while(u8::is_ascii_hexdigit).count();
        if hex >= 5 && tail.as_bytes().get(1 + hex) == Some(&b']') {
            rest = &tail[hex + 2..];
        } else {
            out.push('[');
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    out
}

#[derive(Default)]
struct Refs {
    funcs: HashSet<FunctionId>,
    /// uses a data or element segment (memory.init, data.drop, table.init, elem.drop)
    segments: bool,
}

impl<'a> Visitor<'a> for Refs {
    fn visit_function_id(&mut self, f: &FunctionId) {
        self.funcs.insert(*f);
    }
    fn visit_data_id(&mut self, _: &DataId) {
        self.segments = true;
    }
    fn visit_element_id(&mut self, _: &ElementId) {
        self.segments = true;
    }
}

fn refs_of(m: &Module, f: FunctionId) -> Refs {
    let mut r = Refs::default();
    if let FunctionKind::Local(l) = &m.funcs.get(f).kind {
        walrus::ir::dfs_in_order(&mut r, l, l.entry_block());
    }
    r
}

struct Remap(HashMap<FunctionId, FunctionId>);

impl VisitorMut for Remap {
    fn visit_function_id_mut(&mut self, f: &mut FunctionId) {
        if let Some(n) = self.0.get(f) {
            *f = *n;
        }
    }
}

fn parse(bytes: &[u8]) -> Result<Module, String> {
    Module::from_buffer(bytes).map_err(|e| format!("split: cannot read the wasm: {e}"))
}

fn locals(m: &Module) -> Vec<FunctionId> {
    m.funcs
        .iter()
        .filter(|f| matches!(f.kind, FunctionKind::Local(_)))
        .map(|f| f.id())
        .collect()
}

/// The profile build: every local function first calls the import `prof.mark(index)`
/// (`web/boot.js` collects the indices). Returns the module and each index's plain name.
pub fn instrument(bytes: &[u8]) -> Result<(Vec<u8>, HashMap<usize, String>), String> {
    let mut m = parse(bytes)?;
    let ty = m.types.add(&[ValType::I32], &[]);
    let (mark, _) = m.add_import_func("prof", "mark", ty);
    let mut names = HashMap::new();
    for f in locals(&m) {
        let index = f.index();
        let raw = m
            .funcs
            .get(f)
            .name
            .as_deref()
            .unwrap_or_default()
            .to_string();
        names.insert(index, raw);
        if let FunctionKind::Local(l) = &mut m.funcs.get_mut(f).kind {
            let mut b = l.builder_mut().func_body();
            b.instr_at(0, walrus::ir::Call { func: mark });
            b.instr_at(
                0,
                walrus::ir::Const {
                    value: walrus::ir::Value::I32(index as i32),
                },
            );
        }
    }
    Ok((m.emit_wasm(), names))
}

/// What a split did.
pub struct Split {
    pub primary: Vec<u8>,
    /// None when no function was cold (then the primary is the module unchanged)
    pub secondary: Option<Vec<u8>>,
    pub moved: usize,
    pub by_name: usize,
    pub functions: usize,
}

/// Splits `bytes` (a wasm-bindgen output) into a primary and a secondary; see the module docs.
pub fn split(bytes: &[u8], cold: &HashSet<String>) -> Result<Split, String> {
    let mut pm = parse(bytes)?;
    let mut pinned: HashSet<FunctionId> = HashSet::new();
    for e in pm.exports.iter() {
        if let ExportItem::Function(f) = e.item {
            pinned.insert(f);
        }
    }
    if let Some(s) = pm.start {
        pinned.insert(s);
    }
    let mut in_table: HashSet<FunctionId> = HashSet::new();
    for e in pm.elements.iter() {
        if let ElementItems::Functions(v) = &e.items {
            in_table.extend(v.iter().copied());
        }
    }
    let all = locals(&pm);
    let callees: HashMap<FunctionId, Refs> = all.iter().map(|&f| (f, refs_of(&pm, f))).collect();
    let mut callers: HashMap<FunctionId, HashSet<FunctionId>> = HashMap::new();
    for (&f, r) in &callees {
        for &g in &r.funcs {
            callers.entry(g).or_default().insert(f);
        }
    }
    let movable =
        |f: &FunctionId| !pinned.contains(f) && !callees.get(f).is_some_and(|r| r.segments);
    let mut moved: HashSet<FunctionId> = all
        .iter()
        .copied()
        .filter(|f| movable(f) && plain_name(&pm, *f).is_some_and(|n| cold.contains(&n)))
        .collect();
    let by_name = moved.len();
    // functions only reached from moved functions go with them (not table entries: those can be
    // called from anywhere)
    loop {
        let before = moved.len();
        for &f in &all {
            if moved.contains(&f) || in_table.contains(&f) || !movable(&f) {
                continue;
            }
            if let Some(cs) = callers.get(&f)
                && !cs.is_empty()
                && cs.iter().all(|c| moved.contains(c))
            {
                moved.insert(f);
            }
        }
        if moved.len() == before {
            break;
        }
    }
    if moved.is_empty() {
        return Ok(Split {
            primary: bytes.to_vec(),
            secondary: None,
            moved: 0,
            by_name,
            functions: all.len(),
        });
    }
    let mut order: Vec<FunctionId> = moved.iter().copied().collect();
    order.sort_by_key(|f| f.index());

    // ---- primary
    let t0 = pm
        .tables
        .main_function_table()
        .map_err(|e| format!("split: {e}"))?
        .ok_or("split: the module has no function table")?;
    let base = pm.tables.get(t0).initial;
    {
        let t = pm.tables.get_mut(t0);
        t.initial += order.len() as u64;
        if let Some(m) = t.maximum.as_mut() {
            *m += order.len() as u64;
        }
    }
    let loaded = pm.globals.add_local(
        ValType::I32,
        true,
        false,
        ConstExpr::Value(walrus::ir::Value::I32(0)),
    );
    pm.exports.add("__split_loaded", loaded);
    let load_ty = pm.types.add(&[], &[]);
    let (load, _) = pm.add_import_func("split", "load", load_ty);
    let mut needed: Vec<FunctionId> = order
        .iter()
        .filter_map(|f| callees.get(f))
        .flat_map(|r| r.funcs.iter().copied())
        .filter(|g| !moved.contains(g))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    needed.sort_by_key(|f| f.index());
    for (i, &f) in order.iter().enumerate() {
        let ty = pm.funcs.get(f).ty();
        let (params, results) = {
            let t = pm.types.get(ty);
            (t.params().to_vec(), t.results().to_vec())
        };
        let mut b = FunctionBuilder::new(&mut pm.types, &params, &results);
        let args: Vec<LocalId> = params.iter().map(|t| pm.locals.add(*t)).collect();
        let mut body = b.func_body();
        body.global_get(loaded).unop(UnaryOp::I32Eqz).if_else(
            None,
            |t| {
                t.call(load);
            },
            |_| {},
        );
        for &x in &args {
            body.local_get(x);
        }
        body.i32_const((base + i as u64) as i32)
            .call_indirect(ty, t0);
        let lf = b.local_func(args);
        pm.funcs.get_mut(f).kind = FunctionKind::Local(lf);
    }
    for &g in &needed {
        pm.exports.add(&format!("f{}", g.index()), g);
    }
    // memories, tables and globals are exported by their index, which the second parse shares
    let mems: Vec<_> = pm.memories.iter().map(|m| m.id()).collect();
    let tabs: Vec<_> = pm.tables.iter().map(|t| t.id()).collect();
    let globs: Vec<_> = pm
        .globals
        .iter()
        .map(|g| g.id())
        .filter(|&g| g != loaded)
        .collect();
    for &m in &mems {
        pm.exports.add(&format!("m{}", m.index()), m);
    }
    for &t in &tabs {
        pm.exports.add(&format!("t{}", t.index()), t);
    }
    for &g in &globs {
        pm.exports.add(&format!("g{}", g.index()), g);
    }
    walrus::passes::gc::run(&mut pm);
    let primary = pm.emit_wasm();

    // ---- secondary: a second parse of the same bytes, matched by arena index
    let mut sm = parse(bytes)?;
    let sf: HashMap<usize, _> = sm.funcs.iter().map(|f| (f.id().index(), f.id())).collect();
    let smem: HashMap<usize, _> = sm
        .memories
        .iter()
        .map(|m| (m.id().index(), m.id()))
        .collect();
    let stab: HashMap<usize, _> = sm.tables.iter().map(|t| (t.id().index(), t.id())).collect();
    let sglob: HashMap<usize, _> = sm
        .globals
        .iter()
        .map(|g| (g.id().index(), g.id()))
        .collect();
    for e in sm.exports.iter().map(|e| e.id()).collect::<Vec<_>>() {
        sm.exports.delete(e);
    }
    sm.start = None;
    for e in sm.elements.iter().map(|e| e.id()).collect::<Vec<_>>() {
        sm.elements.delete(e);
    }
    for d in sm.data.iter().map(|d| d.id()).collect::<Vec<_>>() {
        sm.data.delete(d);
    }
    let missing = || "split: the second parse differs from the first".to_string();
    for i in mems.iter().map(|x| x.index()) {
        let sid = *smem.get(&i).ok_or_else(missing)?;
        let iid = sm
            .imports
            .add("primary", &format!("m{i}"), ImportKind::Memory(sid));
        let mm = sm.memories.get_mut(sid);
        mm.import = Some(iid);
        mm.data_segments = Default::default();
        mm.initial = 0;
        mm.maximum = None;
    }
    for i in tabs.iter().map(|x| x.index()) {
        let sid = *stab.get(&i).ok_or_else(missing)?;
        let iid = sm
            .imports
            .add("primary", &format!("t{i}"), ImportKind::Table(sid));
        let tt = sm.tables.get_mut(sid);
        tt.import = Some(iid);
        tt.elem_segments = Default::default();
        tt.init = None;
        tt.initial = 0;
        tt.maximum = None;
    }
    for i in globs.iter().map(|x| x.index()) {
        let sid = *sglob.get(&i).ok_or_else(missing)?;
        let iid = sm
            .imports
            .add("primary", &format!("g{i}"), ImportKind::Global(sid));
        sm.globals.get_mut(sid).kind = GlobalKind::Import(iid);
    }
    let mut remap = HashMap::new();
    for g in &needed {
        let sid = *sf.get(&g.index()).ok_or_else(missing)?;
        let ty = sm.funcs.get(sid).ty();
        let (nf, _) = sm.add_import_func("primary", &format!("f{}", g.index()), ty);
        remap.insert(sid, nf);
    }
    let mut rm = Remap(remap);
    let mut sorder = Vec::with_capacity(order.len());
    for f in &order {
        sorder.push(*sf.get(&f.index()).ok_or_else(missing)?);
    }
    for &f in &sorder {
        if let FunctionKind::Local(l) = &mut sm.funcs.get_mut(f).kind {
            let e = l.entry_block();
            walrus::ir::dfs_pre_order_mut(&mut rm, l, e);
        }
    }
    let st0 = *stab.get(&t0.index()).ok_or_else(missing)?;
    let seg = sm.elements.add(
        ElementKind::Active {
            table: st0,
            offset: ConstExpr::Value(walrus::ir::Value::I32(base as i32)),
        },
        ElementItems::Functions(sorder),
    );
    sm.tables.get_mut(st0).elem_segments.insert(seg);
    walrus::passes::gc::run(&mut sm);
    Ok(Split {
        primary,
        secondary: Some(sm.emit_wasm()),
        moved: order.len(),
        by_name,
        functions: all.len(),
    })
}

/// The secondary's file name next to the primary `app-HASH_bg.wasm`: `app-HASH_bg.2.wasm`
/// (`web/boot.js` derives it the same way).
pub fn secondary_name(primary: &str) -> String {
    match primary.strip_suffix(".wasm") {
        Some(stem) => format!("{stem}.2.wasm"),
        None => format!("{primary}.2.wasm"),
    }
}

fn wasm_opt(path: &Path) -> Result<(), String> {
    let mut c = Command::new("wasm-opt");
    c.args(WASM_OPT_ARGS)
        .arg(path)
        .arg("-o")
        .arg(path)
        .env("PATH", crate::tool_path());
    crate::run(&mut c)
}

/// The `*_bg.wasm` in a trunk staging (or dist) directory.
fn find_wasm(dir: &Path) -> Result<PathBuf, String> {
    let rd = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for e in rd.flatten() {
        let n = e.file_name().to_string_lossy().to_string();
        if n.ends_with("_bg.wasm") {
            return Ok(e.path());
        }
    }
    Err(format!("no *_bg.wasm in {}", dir.display()))
}

pub fn read_cold() -> Result<HashSet<String>, String> {
    let p = crate::root().join(COLD_FILE);
    match std::fs::read_to_string(&p) {
        Ok(s) => Ok(s
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_string)
            .collect()),
        Err(e) => Err(format!("{}: {e}", p.display())),
    }
}

/// `sha384-…` of some bytes, as Subresource Integrity writes it.
fn sri(bytes: &[u8]) -> String {
    use base64::Engine;
    use sha2::Digest;
    let d = sha2::Sha384::digest(bytes);
    format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(d)
    )
}

/// index.html's preload of the wasm names its SRI hash, computed by trunk before the split:
/// replace it with the primary's (a mismatch makes the browser drop the preload and fetch the
/// module twice).
fn fix_integrity(dir: &Path, wasm_name: &str, primary: &[u8]) -> Result<(), String> {
    let p = dir.join("index.html");
    let html = std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))?;
    let Some(at) = html
        .find(&format!("href=./{wasm_name}"))
        .or_else(|| html.find(wasm_name))
    else {
        return Ok(());
    };
    let start = html[..at].rfind('<').unwrap_or(0);
    let end = html[at..].find('>').map_or(html.len(), |e| at + e);
    let tag = &html[start..end];
    let Some(i) = tag.find("integrity=") else {
        return Ok(());
    };
    let v0 = start + i + "integrity=".len();
    let quoted = html[v0..].starts_with('"');
    let v_start = if quoted { v0 + 1 } else { v0 };
    let v_end = html[v_start..end]
        .find(|c: char| {
            if quoted {
                c == '"'
            } else {
                c == ' ' || c == '>'
            }
        })
        .map_or(end, |e| v_start + e);
    let mut out = String::with_capacity(html.len());
    out.push_str(&html[..v_start]);
    out.push_str(&sri(primary));
    out.push_str(&html[v_end..]);
    std::fs::write(&p, out).map_err(|e| format!("{}: {e}", p.display()))
}

/// Names the secondary on boot.js's script tag (`data-stsplay-wasm2=./NAME`), right after
/// `data-stsplay-wasm=…` (trunk's `pattern_script`, Trunk.toml).
fn name_secondary(dir: &Path, secondary: &str) -> Result<(), String> {
    let p = dir.join("index.html");
    let html = std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))?;
    let key = "data-stsplay-wasm=";
    let at = html
        .find(key)
        .ok_or_else(|| format!("{}: no {key} on boot.js's script tag", p.display()))?;
    let v = at + key.len();
    let end = match html.as_bytes().get(v) {
        Some(b'"') => html[v + 1..].find('"').map(|e| v + e + 2),
        _ => html[v..].find([' ', '>']).map(|e| v + e),
    }
    .ok_or_else(|| format!("{}: {key} has no end", p.display()))?;
    let out = format!(
        "{} data-stsplay-wasm2=\"./{secondary}\"{}",
        &html[..end],
        &html[end..]
    );
    std::fs::write(&p, out).map_err(|e| format!("{}: {e}", p.display()))
}

/// trunk's post_build hook (Trunk.toml): in a release build, split the wasm, optimise both
/// modules, fix index.html's SRI, then write the precompressed files (web/precompress.mjs).
/// `STSPLAY_SPLIT=instrument` makes the profile build instead (no split, no wasm-opt).
/// `STSPLAY_SPLIT=off` optimises the whole module without splitting; `STSPLAY_SPLIT=names` splits
/// without optimising (names kept, for diagnosis).
pub fn postbuild() -> Result<(), String> {
    if std::env::var("TRUNK_PROFILE").as_deref() != Ok("release") {
        return Ok(());
    }
    let dir = PathBuf::from(
        std::env::var("TRUNK_STAGING_DIR").map_err(|_| "postbuild: no TRUNK_STAGING_DIR")?,
    );
    let wasm = find_wasm(&dir)?;
    let name = wasm
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let bytes = std::fs::read(&wasm).map_err(|e| format!("{}: {e}", wasm.display()))?;
    let mode = std::env::var("STSPLAY_SPLIT").unwrap_or_default();
    let t = std::time::Instant::now();
    if mode == "instrument" {
        let (out, names) = instrument(&bytes)?;
        std::fs::write(&wasm, out).map_err(|e| e.to_string())?;
        let mut lines: Vec<String> = names.iter().map(|(i, n)| format!("{i}\t{n}")).collect();
        lines.sort();
        let nf = crate::root().join("target/split/names.tsv");
        std::fs::create_dir_all(crate::root().join("target/split")).map_err(|e| e.to_string())?;
        std::fs::write(&nf, lines.join("\n")).map_err(|e| e.to_string())?;
        fix_integrity(
            &dir,
            &name,
            &std::fs::read(&wasm).map_err(|e| e.to_string())?,
        )?;
        eprintln!(
            "xtask postbuild: instrumented {name} (names in {})",
            nf.display()
        );
        return Ok(());
    } else if mode == "off" {
        wasm_opt(&wasm)?;
        let primary = std::fs::read(&wasm).map_err(|e| e.to_string())?;
        fix_integrity(&dir, &name, &primary)?;
    } else {
        // the module before the split, for `cargo xtask size`'s analysis of the first module
        let keep = crate::root().join("target/split");
        if std::fs::create_dir_all(&keep).is_ok() {
            let _ = std::fs::write(keep.join("app_bg.wasm"), &bytes);
        }
        let cold = read_cold()?;
        let s = split(&bytes, &cold)?;
        std::fs::write(&wasm, &s.primary).map_err(|e| e.to_string())?;
        eprintln!(
            "xtask postbuild: split {name}: {} of {} functions moved ({} by the profile {COLD_FILE}) in {:.1} s",
            s.moved,
            s.functions,
            s.by_name,
            t.elapsed().as_secs_f64()
        );
        // STSPLAY_SPLIT=names: no wasm-opt, so the names stay (a stack shows which function
        // loaded the second module: `window.__stsplay_split.stack`)
        let opt = mode != "names";
        if let Some(sec) = &s.secondary {
            let sname = secondary_name(&name);
            let sp = dir.join(&sname);
            std::fs::write(&sp, sec).map_err(|e| e.to_string())?;
            if opt {
                wasm_opt(&sp)?;
            }
            name_secondary(&dir, &sname)?;
        }
        if opt {
            wasm_opt(&wasm)?;
        }
        let primary = std::fs::read(&wasm).map_err(|e| e.to_string())?;
        fix_integrity(&dir, &name, &primary)?;
    }
    eprintln!(
        "xtask postbuild: {:.0} s; precompressing",
        t.elapsed().as_secs_f64()
    );
    let mut c = Command::new("node");
    c.arg(crate::root().join("web/precompress.mjs"))
        .env("PATH", crate::tool_path());
    crate::run(&mut c)
}

/// `cargo xtask split-profile`: build the instrumented bundle, run a first visit in headless
/// Chromium (`record_first_visit_profile` in tests/e2e/tests/split.rs), write the names of the
/// functions it did not run to [`COLD_FILE`], and build the release bundle again.
/// `--reuse`: only write the file again from the last run's target/split/{hot.txt,names.tsv}.
pub fn profile(args: &[String]) -> Result<(), String> {
    crate::setup::setup()?;
    let dir = crate::root().join("target/split");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let hot_file = dir.join("hot.txt");
    let reuse = args.iter().any(|a| a == "--reuse");
    if !reuse {
        let _ = std::fs::remove_file(&hot_file);
        crate::run(crate::release_trunk().env("STSPLAY_SPLIT", "instrument"))?;
        let mut t = Command::new("cargo");
        t.args(["test", "-q", "-p", "e2e", "--test", "split", "--"])
            .args(["--ignored", "--exact", "record_first_visit_profile"])
            .env("STSPLAY_PROFILE_OUT", &hot_file)
            .env("PATH", crate::tool_path())
            .current_dir(crate::root());
        crate::run(&mut t)?;
    }
    let hot: HashSet<usize> = std::fs::read_to_string(&hot_file)
        .map_err(|e| format!("{}: {e}", hot_file.display()))?
        .split_whitespace()
        .filter_map(|x| x.parse().ok())
        .collect();
    let names_file = dir.join("names.tsv");
    let names = std::fs::read_to_string(&names_file)
        .map_err(|e| format!("{}: {e}", names_file.display()))?;
    let names: Vec<(usize, String)> = names
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .filter_map(|(i, n)| {
            let plain = without_hashes(&format!("{:#}", rustc_demangle::demangle(n)));
            Some((i.parse().ok()?, plain))
        })
        .collect();
    let hot_names: HashSet<&str> = names
        .iter()
        .filter(|(i, _)| hot.contains(i))
        .map(|(_, n)| n.as_str())
        .collect();
    // Library code whose paths depend on the data rather than on what the visit does (a hash
    // table's probing, which depends on addresses; yew's reconciliation, which depends on how
    // renders batch; a JSON parser): an instantiation stays in the first module when another
    // instantiation of the same function ran.
    let data_driven = |n: &str| {
        let n = n.trim_start_matches(['<', '&']);
        let n = n.strip_prefix("mut ").unwrap_or(n);
        ["hashbrown::", "yew::", "serde_json::"]
            .iter()
            .any(|p| n.starts_with(p))
    };
    let hot_generic: HashSet<String> = hot_names
        .iter()
        .filter(|n| data_driven(n))
        .map(|n| without_generics(n))
        .collect();
    let cold: std::collections::BTreeSet<&str> = names
        .iter()
        .map(|(_, n)| n.as_str())
        .filter(|n| !n.is_empty() && !hot_names.contains(n))
        .filter(|n| !(data_driven(n) && hot_generic.contains(&without_generics(n))))
        .collect();
    let mut text = String::from(
        "# Functions a first visit does not run (start, Apply, Step, Back, Settle, the theme, kubectl\n\
         # get and its usual errors, the phone layout: tests/e2e/tests/split.rs),\n\
         # moved to the second wasm module (xtask/src/split.rs). Written by `cargo xtask split-profile`.\n",
    );
    for n in &cold {
        text.push_str(n);
        text.push('\n');
    }
    let out = crate::root().join(COLD_FILE);
    std::fs::write(&out, text).map_err(|e| format!("{}: {e}", out.display()))?;
    eprintln!(
        "xtask split-profile: {} of {} functions ran; {} names cold, written to {COLD_FILE}",
        hot.len(),
        names.len(),
        cold.len()
    );
    crate::build_release()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crate_hashes_go_and_types_stay() {
        assert_eq!(
            without_hashes(
                "<alloc[c8a1b94caa27ad0]::string::String as core[641134fb57596b42]::fmt::Display>::fmt"
            ),
            "<alloc::string::String as core::fmt::Display>::fmt"
        );
        assert_eq!(
            without_hashes("<[f32] as x[abc]::T>::f::<[u8; 4]>[0]["),
            "<[f32] as x[abc]::T>::f::<[u8; 4]>[0]["
        );
    }

    #[test]
    fn the_secondary_is_named_on_the_script_tag() {
        let dir = std::env::temp_dir().join(format!("stsplay-split-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for (html, want) in [
            (
                "<script src=./boot.js data-stsplay-js=./a.js data-stsplay-wasm=./a_bg.wasm></script>",
                "<script src=./boot.js data-stsplay-js=./a.js data-stsplay-wasm=./a_bg.wasm data-stsplay-wasm2=\"./a_bg.2.wasm\"></script>",
            ),
            (
                "<script data-stsplay-wasm=\"./a_bg.wasm\" type=module></script>",
                "<script data-stsplay-wasm=\"./a_bg.wasm\" data-stsplay-wasm2=\"./a_bg.2.wasm\" type=module></script>",
            ),
        ] {
            std::fs::write(dir.join("index.html"), html).unwrap();
            name_secondary(&dir, "a_bg.2.wasm").unwrap();
            assert_eq!(
                std::fs::read_to_string(dir.join("index.html")).unwrap(),
                want
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn generic_arguments_go() {
        assert_eq!(
            without_generics(
                "<hashbrown::raw::RawTable<(usize, sim::memo::Entry)>>::find_or_find_insert_index::<hashbrown::map::equivalent_key<usize, usize, E>::{closure#0}>"
            ),
            "<hashbrown::raw::RawTable>::find_or_find_insert_index::"
        );
        assert_eq!(without_generics("<a::B as c::D>::e"), "<a::B as c::D>::e");
    }

    #[test]
    fn secondary_names_follow_the_primary() {
        assert_eq!(
            secondary_name("app-3eee7a164aa442f2_bg.wasm"),
            "app-3eee7a164aa442f2_bg.2.wasm"
        );
    }

    #[test]
    fn sri_is_sha384_in_base64() {
        // `printf abc | openssl dgst -sha384 -binary | base64`
        assert_eq!(
            sri(b"abc"),
            "sha384-ywB1P0WjXou1oD1pmsZQBycsMqsO3tFjGotgWkP/W+2AhgcroefMI1i67KE0yCWn"
        );
    }
}

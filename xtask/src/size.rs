//! `cargo xtask size`: where the bundle's bytes are.
//!
//! * every file of `dist/` (the trunk release build): raw, gzip -9 and brotli (quality 11,
//!   Node's zlib) bytes;
//! * the release wasm with its function names kept (`wasm-opt -Oz --debuginfo` of cargo's own
//!   output, so the sizes are those of the optimised code), measured by twiggy
//!   (`cargo install twiggy` on first use): bytes per crate and the largest items, of the whole
//!   module and of the first module alone (split as the build splits it, xtask/src/split.rs);
//! * the budget: the release bundle the page loads before the app runs (wasm + js + css,
//!   gzip -9; the second wasm module, fetched after start, is reported beside it) must stay
//!   within [`BUDGET_GZIP`] bytes (`cargo xtask test` fails above it; a ratchet below issue
//!   #17's 600 KB, [`TARGET_GZIP`]).
//!
//! The report is printed and written to `target/bench/size.md`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{output, root, run, tool_path};

/// The release bundle (wasm + js + css the page loads before the app runs), gzip -9, must not
/// exceed this. A ratchet below issue #17's 600,000 B ([`TARGET_GZIP`]), reached on Dec 7. It stood at 950,000 B until the
/// Dec 6 session, whose levers took 110 KB out (docs/size.md) while the playground UI, tutorials
/// and tours, embed/share links and the Deployment contrast added ~190 KB; merged main measured
/// 1,136,632 B, so the ratchet was raised (once, with that note) to 1,148,000 B. The 18:10
/// session's levers (docs/size.md, steps 7-10) brought merged main to 1,104,787 B: lowered to
/// that plus ~1.5 % (main with the levers and later work: 1,115,262 B). The 21:30 session's
/// levers (docs/size.md: lever 11, jiff's parser out; steps 12-15, the engine's derived
/// `PartialEq` and per-kind copies, 16) brought merged main (24a15d8) to 1,061,486 B: lowered
/// to that plus ~0.5 %. Then the diagram's pane-fitted layout and dark theme (issue #14) added
/// 4,412 B: merged main (676a9ad) measured 1,067,224 B, and the ratchet was raised by 3,000 B
/// to 1,070,000 B (+0.26 %), with this note. The Dec 7 00:15 session's levers (k8sjson's
/// table-driven codec, texts fetched on first use, trunk minify, the store's kind-erased writes)
/// brought merged main (fe35b6b) to 1,027,928 B: lowered to 1,033,000 B (+0.5 %). The Dec 7
/// 03:40 session's levers (yew components as functions, k8sjson's shared loops and defaults,
/// intake's in-place checks, sim's folds; the help texts moved to texts.json) brought merged
/// main to 1,013,400 B: lowered to 1,018,500 B (+0.5 %). The Dec 7 06:45 session raised it for
/// the first time: its levers (wasm-opt passes, explain's schemas fetched on first use, one
/// component fewer) saved 21.9 KB, and the fidelity it added (the scheduler's filters,
/// PodDisruptionBudget with eviction and drain, the MySQL and ZooKeeper tutorials' containers)
/// cost about 53 KB: merged main 1,045,022 B, ratchet 1,050,300 B (+0.5 %; docs/size.md, "End of
/// the 06:45 session"). The Dec 7 09:50 session's levers (std rebuilt for size, the sim's
/// sorted-vector maps, kubectl's borrows, the shell's loops, Unicode's uppercase tables out)
/// brought merged main to 951,891 B: lowered to 956,700 B (+0.5 %; docs/size.md, "End of the
/// 09:50 session"). The Dec 7 12:55 session's levers (Unicode's lowercase tables out, k8sjson's
/// shared codec path, the UI's struct components) brought merged main to 929,610 B: lowered to
/// 934,300 B (+0.5 %; docs/size.md, "End of the 12:55 session"). The Dec 7 16:15 session split
/// the wasm in two (xtask/src/split.rs: the second module, what a first visit does not run, is
/// fetched after start and not counted here; the report shows it and the total) and took the
/// k8s types' derived Clone and yew's hook machinery out: merged main measured 596,483 B
/// (second module 340,341 B, in all 936,824 B): lowered to 599,300 B (+0.5 %; docs/size.md,
/// "Session of 16:15 (Dec 7) — lead"). Otherwise it only goes down as levers land.
pub const BUDGET_GZIP: u64 = 599_300;
/// Issue #17's budget (see docs/size.md for where the bytes are).
pub const TARGET_GZIP: u64 = 600_000;
/// Where the bundle should get to (issue #17's goal).
pub const GOAL_GZIP: u64 = 300_000;

pub fn gzip_len(path: &Path) -> Option<u64> {
    let out = Command::new("gzip")
        .args(["-9", "-n", "-c"])
        .arg(path)
        .output()
        .ok()?;
    out.status.success().then_some(out.stdout.len() as u64)
}

/// Brotli (quality 11, window 24) through Node's built-in zlib: Node is on every machine
/// that builds the bundle (npm installs wasm-opt).
pub fn brotli_len(path: &Path) -> Option<u64> {
    let script = "const z=require('zlib'),fs=require('fs');\
        const b=z.brotliCompressSync(fs.readFileSync(process.argv[1]),{params:{\
        [z.constants.BROTLI_PARAM_QUALITY]:11,[z.constants.BROTLI_PARAM_LGWIN]:24,\
        [z.constants.BROTLI_PARAM_SIZE_HINT]:fs.statSync(process.argv[1]).size}});\
        process.stdout.write(String(b.length));";
    let out = Command::new("node")
        .args(["-e", script])
        .arg(path)
        .output()
        .ok()?;
    String::from_utf8_lossy(&out.stdout).trim().parse().ok()
}

pub struct DistFile {
    pub name: String,
    pub raw: u64,
    pub gzip: u64,
    pub brotli: Option<u64>,
}

fn is_bundle_part(name: &str) -> bool {
    // what the page must download before the app runs (the second wasm module is fetched
    // after, when the page is idle or a rare feature is first used: xtask/src/split.rs)
    (name.ends_with(".wasm") && !is_deferred(name))
        || name.ends_with(".js")
        || name.ends_with(".css")
}

/// The second wasm module (`app-…_bg.2.wasm`), fetched after the app has started.
fn is_deferred(name: &str) -> bool {
    name.ends_with(".2.wasm")
}

/// (raw, gzip) of what is fetched after start: the second wasm module.
pub fn deferred_total(files: &[DistFile]) -> (u64, u64) {
    files
        .iter()
        .filter(|f| is_deferred(&f.name))
        .fold((0, 0), |(r, g), f| (r + f.raw, g + f.gzip))
}

pub fn dist_files(dist: &Path, with_brotli: bool) -> Result<Vec<DistFile>, String> {
    let entries = std::fs::read_dir(dist).map_err(|e| format!("{}: {e}", dist.display()))?;
    let mut paths: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .filter(|p| {
            !matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("gz") | Some("br")
            )
        })
        .collect();
    paths.sort();
    let mut out = Vec::new();
    for p in paths {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        out.push(DistFile {
            raw: std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0),
            gzip: gzip_len(&p).ok_or_else(|| format!("gzip failed on {}", p.display()))?,
            brotli: if with_brotli { brotli_len(&p) } else { None },
            name,
        });
    }
    Ok(out)
}

/// (raw, gzip) of the bundle the page loads before the app runs: wasm + js + css, without the
/// second wasm module.
pub fn bundle_total(files: &[DistFile]) -> (u64, u64) {
    files
        .iter()
        .filter(|f| is_bundle_part(&f.name))
        .fold((0, 0), |(r, g), f| (r + f.raw, g + f.gzip))
}

/// The budget check `cargo xtask test` runs after the release build.
pub fn check_budget() -> Result<(), String> {
    let files = dist_files(&root().join("dist"), false)?;
    let (raw, gz) = bundle_total(&files);
    for f in files.iter().filter(|f| is_bundle_part(&f.name)) {
        eprintln!(
            "  {:<44} {:>10} B raw {:>10} B gzip -9",
            f.name, f.raw, f.gzip
        );
    }
    eprintln!(
        "  bundle (wasm + js + css): {raw} B raw, {gz} B gzip -9; enforced budget {BUDGET_GZIP} B, \
         issue #17's budget {TARGET_GZIP} B, goal {GOAL_GZIP} B"
    );
    let (draw, dgz) = deferred_total(&files);
    eprintln!(
        "  fetched after start (the second wasm module): {draw} B raw, {dgz} B gzip -9; \
         in all {} B gzip -9",
        gz + dgz
    );
    if gz == 0 {
        return Err("no wasm/js/css in dist/".into());
    }
    if gz > BUDGET_GZIP {
        return Err(format!(
            "the release bundle is {gz} B gzip -9, over the enforced {BUDGET_GZIP} B budget \
             (issue #17; docs/size.md); `cargo xtask size` shows where the bytes are"
        ));
    }
    Ok(())
}

/// The crate an item's code belongs to, from its demangled name: the first path that is not
/// the standard library's (`<alloc::vec::Vec<k8s_openapi::…> as Drop>` is k8s-openapi's).
pub fn crate_of(item: &str) -> String {
    if item.starts_with("data segment") || item.starts_with("data[") {
        return "(data: .rodata and statics)".into();
    }
    if item.starts_with("custom section") || item.contains("subsection") {
        return "(custom sections: names, wasm-bindgen)".into();
    }
    let mut firsts = Vec::new();
    let bytes = item.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes.get(i).copied().unwrap_or(b' ');
        if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < bytes.len()
                && bytes
                    .get(i)
                    .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
            {
                i += 1;
            }
            let ident = item.get(start..i).unwrap_or("");
            // v0-mangled std paths carry the crate's hash: `core[c5930c85a12de822]::fmt`
            let mut j = i;
            if item.get(i..i + 1) == Some("[")
                && let Some(close) = item.get(i..).and_then(|r| r.find(']'))
            {
                j = i + close + 1;
            }
            let preceded_by_path = start >= 2 && item.get(start - 2..start) == Some("::");
            if !preceded_by_path && item.get(j..j + 2) == Some("::") {
                firsts.push(ident.to_string());
            }
        } else {
            i += 1;
        }
    }
    const STD: [&str; 6] = ["core", "alloc", "std", "serde", "serde_core", "hashbrown"];
    firsts
        .iter()
        .find(|c| !STD.contains(&c.as_str()))
        .or(firsts.first())
        .cloned()
        .unwrap_or_else(|| {
            if item.starts_with("func[") || item.starts_with("code[") {
                "(unnamed functions)".into()
            } else {
                "(wasm tables, imports, exports, types)".into()
            }
        })
}

/// Parse twiggy's CSV (`Name,ShallowSize,...`): (item, shallow bytes).
fn parse_twiggy_csv(csv: &str) -> Vec<(String, u64)> {
    let mut out = Vec::new();
    for line in csv.lines().skip(1) {
        // the name is quoted when it has commas or quotes; sizes follow the last quote
        let (name, rest) = if let Some(stripped) = line.strip_prefix('"') {
            let mut name = String::new();
            let mut chars = stripped.char_indices().peekable();
            let mut end = stripped.len();
            while let Some((i, c)) = chars.next() {
                if c == '"' {
                    if chars.peek().map(|(_, c)| *c) == Some('"') {
                        name.push('"');
                        chars.next();
                    } else {
                        end = i + 1;
                        break;
                    }
                } else {
                    name.push(c);
                }
            }
            (
                name,
                stripped.get(end..).unwrap_or("").trim_start_matches(','),
            )
        } else {
            match line.split_once(',') {
                Some((n, r)) => (n.to_string(), r),
                None => continue,
            }
        };
        let size = rest
            .split(',')
            .next()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        out.push((name, size));
    }
    out
}

fn ensure_twiggy() -> Result<(), String> {
    if output("twiggy", &["--version"]).is_some() {
        return Ok(());
    }
    eprintln!("xtask size: installing twiggy from the crate registry (first use only, ~3 min)");
    run(Command::new("cargo")
        .args(["install", "twiggy", "--version", "0.8.0", "--locked"])
        .env("PATH", tool_path()))
}

/// Crate breakdown and top items of a names-kept wasm, as markdown.
pub fn analyse(wasm: &Path, top: usize) -> Result<String, String> {
    ensure_twiggy()?;
    let out = Command::new("twiggy")
        .args(["top", "-n", "1000000", "-f", "csv"])
        .arg(wasm)
        .env("PATH", tool_path())
        .output()
        .map_err(|e| format!("twiggy: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "twiggy failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let items = parse_twiggy_csv(&String::from_utf8_lossy(&out.stdout));
    let total: u64 = items.iter().map(|(_, s)| s).sum();
    let mut by_crate: BTreeMap<String, u64> = BTreeMap::new();
    for (name, size) in &items {
        *by_crate.entry(crate_of(name)).or_default() += size;
    }
    let mut crates: Vec<(String, u64)> = by_crate.into_iter().collect();
    crates.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut s = String::new();
    let _ = writeln!(
        s,
        "### By crate ({}; {total} B, names kept)\n",
        wasm.display()
    );
    let _ = writeln!(s, "| crate | bytes | % |\n|---|---:|---:|");
    for (c, n) in crates.iter().take(40) {
        let _ = writeln!(
            s,
            "| {c} | {n} | {:.1} |",
            *n as f64 * 100.0 / total.max(1) as f64
        );
    }
    let _ = writeln!(s, "\n### Top {top} items\n\n| bytes | item |\n|---:|---|");
    let mut sorted = items.clone();
    sorted.sort_by_key(|item| std::cmp::Reverse(item.1));
    for (name, size) in sorted.iter().take(top) {
        let short: String = name.chars().take(160).collect();
        let _ = writeln!(s, "| {size} | `{}` |", short.replace('|', "\\|"));
    }
    Ok(s)
}

fn dist_table(files: &[DistFile]) -> String {
    let mut s = String::from("| file | raw | gzip -9 | brotli 11 |\n|---|---:|---:|---:|\n");
    for f in files {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} |",
            f.name,
            f.raw,
            f.gzip,
            f.brotli
                .map(|b| b.to_string())
                .unwrap_or_else(|| "?".into())
        );
    }
    let (raw, gz) = bundle_total(files);
    let br: u64 = files
        .iter()
        .filter(|f| is_bundle_part(&f.name))
        .filter_map(|f| f.brotli)
        .sum();
    let (draw, dgz) = deferred_total(files);
    let dbr: u64 = files
        .iter()
        .filter(|f| is_deferred(&f.name))
        .filter_map(|f| f.brotli)
        .sum();
    let _ = writeln!(
        s,
        "| **bundle (wasm + js + css) before the app runs** | **{raw}** | **{gz}** | **{br}** |\n\
         | fetched after start (the second wasm module) | {draw} | {dgz} | {dbr} |\n\
         | in all | {} | {} | {} |\n\nEnforced budget {BUDGET_GZIP} B gzip -9 ({}); issue #17's {TARGET_GZIP} B ({}); goal {GOAL_GZIP} B ({}).",
        raw + draw,
        gz + dgz,
        br + dbr,
        if gz <= BUDGET_GZIP { "within" } else { "OVER" },
        if gz <= TARGET_GZIP {
            "within"
        } else {
            "not yet"
        },
        if gz <= GOAL_GZIP {
            "reached"
        } else {
            "not yet"
        }
    );
    s
}

/// The size report over an existing `dist/` and cargo's release wasm (run after a release build).
pub fn report() -> Result<String, String> {
    let dist = root().join("dist");
    let files = dist_files(&dist, true)?;
    let mut s = String::from("# Bundle size report (`cargo xtask size`)\n\n## dist/\n\n");
    s.push_str(&dist_table(&files));
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| root().join("target"));
    let raw = target.join("wasm32-unknown-unknown/release/app.wasm");
    if raw.is_file() {
        let named = target.join("bench/app-opt-names.wasm");
        std::fs::create_dir_all(target.join("bench")).map_err(|e| e.to_string())?;
        run(Command::new("wasm-opt")
            .arg(&raw)
            .args(["-Oz", "--debuginfo", "-o"])
            .arg(&named)
            .env("PATH", tool_path()))?;
        s.push_str("\n## The release wasm, optimised (wasm-opt -Oz), names kept\n\n");
        s.push_str(&analyse(&named, 40)?);
    } else {
        s.push_str(&format!("\n(no {}: build first)\n", raw.display()));
    }
    // the first module alone (what the budget counts), split as the build splits it
    let pre = root().join("target/split/app_bg.wasm");
    if let Ok(bytes) = std::fs::read(&pre) {
        let cut = crate::split::split(&bytes, &crate::split::read_cold()?)?;
        let first = target.join("bench/app-first.wasm");
        let named = target.join("bench/app-first-opt-names.wasm");
        std::fs::write(&first, &cut.primary).map_err(|e| e.to_string())?;
        run(Command::new("wasm-opt")
            .arg(&first)
            .args(["-Oz", "--debuginfo", "-o"])
            .arg(&named)
            .env("PATH", tool_path()))?;
        s.push_str(&format!(
            "\n## The first wasm module (what a first visit runs; {} of {} functions moved to the second), optimised (wasm-opt -Oz), names kept\n\n",
            cut.moved, cut.functions
        ));
        s.push_str(&analyse(&named, 40)?);
    }
    let out = target.join("bench/size.md");
    std::fs::write(&out, &s).map_err(|e| format!("{}: {e}", out.display()))?;
    eprintln!("xtask size: wrote {}", out.display());
    Ok(s)
}

pub fn size() -> Result<(), String> {
    crate::setup::setup()?;
    crate::build_release()?;
    let s = report()?;
    println!("{s}");
    check_budget()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crates_of_items() {
        assert_eq!(
            crate_of(
                "<<k8s_openapi::v1_35::api::core::v1::volume::Volume as serde_core::de::Deserialize>::deserialize::Visitor as serde_core::de::Visitor>::visit_map::hf32"
            ),
            "k8s_openapi"
        );
        assert_eq!(crate_of("kubectl::verbs::run::hca20"), "kubectl");
        assert_eq!(
            crate_of("core::ptr::drop_in_place<sim::cluster::Cluster>::h1"),
            "sim"
        );
        assert_eq!(
            crate_of("data segment \".rodata\""),
            "(data: .rodata and statics)"
        );
        assert_eq!(
            crate_of("core[c5930c85a12de822]::num::flt2dec::strategy::dragon::format_shortest"),
            "core"
        );
        assert_eq!(
            crate_of(
                "<dlmalloc[e24a27700634d609]::dlmalloc::Dlmalloc<dlmalloc[e24a]::sys::System>>::malloc"
            ),
            "dlmalloc"
        );
        assert_eq!(crate_of("memcpy"), "(wasm tables, imports, exports, types)");
    }

    #[test]
    fn twiggy_csv_with_quoted_names() {
        let csv = "Name,ShallowSize,ShallowSizePercent,RetainedSize,RetainedSizePercent\n\
                   \"\"\"function names\"\" subsection\",921871,16.5,,\n\
                   \"a, b\",10,0.1,,\n\
                   plain,5,0.1,,\n";
        assert_eq!(
            parse_twiggy_csv(csv),
            vec![
                ("\"function names\" subsection".to_string(), 921871),
                ("a, b".to_string(), 10),
                ("plain".to_string(), 5)
            ]
        );
    }
}

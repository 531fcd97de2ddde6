//! `cargo xtask setup`: installs what the build needs, only from the package registries
//! (Debian apt, crates.io, npm). Idempotent: each step is skipped when already satisfied.
//! Recipe and pitfalls: the toolchain notes summarised in ARCHITECTURE.md ("Build").

use std::process::Command;
use std::time::Instant;

use crate::{output, root, run, tool_path};

pub const TRUNK_VERSION: &str = "0.22.1";
/// mdBook for the embed sample book (web/samples/mdbook); without its default features (no
/// `serve`/`watch`/`search`: ~2.6 min of CPU instead of several times that), in parallel with
/// trunk and wasm-bindgen-cli.
pub const MDBOOK_VERSION: &str = "0.5.4";

fn step(n: u32, total: u32, what: &str) {
    eprintln!("xtask setup [{n}/{total}] {what}");
}

/// The wasm-bindgen version in Cargo.lock: the CLI must match it exactly.
pub fn wasm_bindgen_version() -> Result<String, String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(l) = lines.next() {
        if l == "name = \"wasm-bindgen\"" {
            let v = lines.next().unwrap_or_default();
            return Ok(v
                .trim_start_matches("version = \"")
                .trim_end_matches('"')
                .to_string());
        }
    }
    Err("wasm-bindgen not found in Cargo.lock".into())
}

/// "Chromium 156.0.8078.108 built on Debian" -> "156"
fn major(version_line: &str) -> Option<String> {
    version_line
        .split_whitespace()
        .find(|w| w.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .and_then(|w| w.split('.').next())
        .map(str::to_string)
}

fn browsers() -> Result<(), String> {
    // hugo builds the embed sample site (web/samples/hugo); Debian's 0.111 is enough.
    let have = output("chromium", &["--version"]).is_some()
        && output("chromedriver", &["--version"]).is_some()
        && output("hugo", &["version"]).is_some();
    if !have {
        if output("apt-get", &["--version"]).is_none() {
            return Err("Chromium and ChromeDriver are missing and this machine has no apt-get. Install them by hand \
                 (a Chromium and the ChromeDriver of the same major version, on PATH as `chromium` and `chromedriver`), \
                 then run `cargo xtask setup` again."
                .into());
        }
        let sudo = output("id", &["-u"]).is_some_and(|u| u != "0");
        let prefix: Vec<&str> = if sudo { vec!["sudo"] } else { vec![] };
        let mut update = Command::new(prefix.first().copied().unwrap_or("apt-get"));
        if sudo {
            update.arg("apt-get");
        }
        update.arg("update");
        run(&mut update).map_err(|e| {
            format!("{e}\nhint: run `apt-get update` by hand (as root), then `cargo xtask setup`")
        })?;
        let mut install = Command::new(prefix.first().copied().unwrap_or("apt-get"));
        if sudo {
            install.arg("apt-get");
        }
        install
            .args([
                "install",
                "-y",
                "--no-install-recommends",
                "chromium",
                "chromium-driver",
                "fonts-dejavu-core",
                "hugo",
            ])
            .env("DEBIAN_FRONTEND", "noninteractive");
        run(&mut install).map_err(|e| {
            format!("{e}\nhint: install by hand: apt-get install -y --no-install-recommends chromium chromium-driver fonts-dejavu-core hugo")
        })?;
    }
    let c = output("chromium", &["--version"]).unwrap_or_default();
    let d = output("chromedriver", &["--version"]).unwrap_or_default();
    match (major(&c), major(&d)) {
        (Some(a), Some(b)) if a == b => {
            eprintln!("xtask setup       {c} / {d}");
            Ok(())
        }
        _ => Err(format!(
            "Chromium and ChromeDriver versions do not match: `{c}` vs `{d}`. Install both from the same source \
             (apt-get install --only-upgrade chromium chromium-driver) so their major versions agree."
        )),
    }
}

fn wasm_target() -> Result<(), String> {
    let installed = output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if installed
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        return Ok(());
    }
    run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
        .map_err(|e| format!("{e}\nhint: this project needs rustup (https://rustup.rs is not reachable here; use the machine's rustup)"))
}

/// The toolchain's standard library sources: the release wasm rebuilds std from them for size
/// (`RELEASE_WASM_ENV` in main.rs).
fn rust_src() -> Result<(), String> {
    let sysroot = output("rustc", &["--print", "sysroot"]).unwrap_or_default();
    let lib = std::path::Path::new(&sysroot).join("lib/rustlib/src/rust/library/Cargo.lock");
    if !sysroot.is_empty() && lib.exists() {
        return Ok(());
    }
    run(Command::new("rustup")
        .args(["component", "add", "rust-src"])
        .current_dir(root()))
    .map_err(|e| {
        format!(
            "{e}\nhint: the release build compiles the standard library from the toolchain's sources; \
             install them with `rustup component add rust-src`"
        )
    })
}

fn cargo_tools() -> Result<(), String> {
    let wb = wasm_bindgen_version()?;
    let mut jobs = Vec::new();
    if output("wasm-bindgen", &["--version"]) != Some(format!("wasm-bindgen {wb}")) {
        // No --locked: its lock file pins a webpki-roots version the reachable registry lacks.
        let mut c = Command::new("cargo");
        c.args(["install", "wasm-bindgen-cli", "--version", &wb]);
        eprintln!("xtask setup       installing wasm-bindgen-cli {wb} (5-9 min on 2 cores)");
        jobs.push(("wasm-bindgen-cli", c.spawn().map_err(|e| e.to_string())?));
    }
    if output("trunk", &["--version"]) != Some(format!("trunk {TRUNK_VERSION}")) {
        // trunk 0.22.x declares rust-version 1.96.1; it builds and works with 1.95.
        let mut c = Command::new("cargo");
        c.args([
            "install",
            "trunk",
            "--version",
            TRUNK_VERSION,
            "--locked",
            "--ignore-rust-version",
        ]);
        eprintln!(
            "xtask setup       installing trunk {TRUNK_VERSION} (9-12 min on 2 cores; silent at the end while it links)"
        );
        jobs.push(("trunk", c.spawn().map_err(|e| e.to_string())?));
    }
    if output("mdbook", &["--version"]) != Some(format!("mdbook v{MDBOOK_VERSION}")) {
        let mut c = Command::new("cargo");
        c.args([
            "install",
            "mdbook",
            "--version",
            MDBOOK_VERSION,
            "--no-default-features",
            "--locked",
        ]);
        eprintln!(
            "xtask setup       installing mdbook {MDBOOK_VERSION} (no default features; 2-3 min of CPU)"
        );
        jobs.push(("mdbook", c.spawn().map_err(|e| e.to_string())?));
    }
    let mut failed = Vec::new();
    for (name, mut j) in jobs {
        match j.wait() {
            Ok(s) if s.success() => {}
            _ => failed.push(name),
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "cargo install failed for {}. Install by hand: `cargo install wasm-bindgen-cli --version {wb}` (without --locked), \
             `cargo install trunk --version {TRUNK_VERSION} --locked --ignore-rust-version` and \
             `cargo install mdbook --version {MDBOOK_VERSION} --no-default-features --locked`",
            failed.join(", ")
        ))
    }
}

fn wasm_opt() -> Result<(), String> {
    npm_ci(&root(), "node_modules/.bin/wasm-opt")?;
    // The same package.json brings axe-core for the end-to-end accessibility checks.
    npm_ci(&root(), "node_modules/axe-core/axe.min.js")
}

/// The Docusaurus sample site's packages (web/samples/docusaurus, its own package-lock.json).
fn docusaurus() -> Result<(), String> {
    npm_ci(
        &root().join("web/samples/docusaurus"),
        "node_modules/.bin/docusaurus",
    )
}

/// `npm ci` in `dir` unless `marker` (relative to it) exists.
fn npm_ci(dir: &std::path::Path, marker: &str) -> Result<(), String> {
    if dir.join(marker).exists() {
        return Ok(());
    }
    if output("npm", &["--version"]).is_none() {
        return Err("npm is missing: it installs wasm-opt (binaryen 132 from the npm registry). Install Node.js and npm \
             (apt-get install nodejs npm), then run `cargo xtask setup` again. Do not apt-install binaryen: Debian's \
             wasm-opt is too old for Rust 1.95 output."
            .into());
    }
    run(Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(dir)
        .env("PATH", tool_path()))
}

pub fn setup() -> Result<(), String> {
    let t = Instant::now();
    step(1, 5, "Chromium + ChromeDriver + hugo (apt)");
    browsers()?;
    step(2, 5, "wasm32 target + std sources (rustup)");
    wasm_target()?;
    rust_src()?;
    step(3, 5, "wasm-bindgen-cli + trunk + mdbook (cargo install)");
    cargo_tools()?;
    step(4, 5, "wasm-opt (npm binaryen)");
    wasm_opt()?;
    step(5, 5, "Docusaurus for the embed sample (npm)");
    docusaurus()?;
    eprintln!(
        "xtask setup       done in {:.1}s",
        t.elapsed().as_secs_f64()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::major;

    #[test]
    fn majors_of_version_lines() {
        assert_eq!(
            major("Chromium 156.0.8078.108 built on Debian GNU/Linux 12").as_deref(),
            Some("156")
        );
        assert_eq!(
            major("ChromeDriver 156.0.8078.108 (abc-refs/branch-heads/1@{#1})").as_deref(),
            Some("156")
        );
        assert_eq!(major("nothing"), None);
    }
}

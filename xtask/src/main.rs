//! `cargo xtask <command>`: the project's own tooling (std only, but for the wasm split: walrus).
//!
//! setup   install what the build needs (registries only), idempotent
//! serve   setup, release build, then serve dist/ with precompressed br/gzip (127.0.0.1:8080,
//!         `--port N`); `--dev`: `trunk serve` instead (debug build, live reload)
//! build   setup, then `trunk build --release` (dist/)
//! test    fmt, clippy, native tests, wasm tests in headless Chromium, release build, e2e, fuzz smoke
//! bench   criterion benches, the release bundle size report (`size`), page timings, and the
//!         playground's per-step UI time at 3 and 100 replicas (headless Chromium)
//! size    the release bundle: raw/gzip/brotli per dist file, bytes per crate and top items (twiggy)
//! postbuild  trunk's post_build hook of release builds: the wasm split in two, wasm-opt, .br/.gz
//! split-profile  record which functions a first visit runs (web/split-cold.txt); `--reuse`
//! fuzz    `fuzz intake|kubectl|share|embed --time S`: one fuzz target for S seconds
//! screenshot  refresh docs/screenshot.png and docs/screenshots/*.png (light, dark, phone, an example) from headless Chromium

mod serve;
mod setup;
mod size;
mod split;
mod test;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

pub fn root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| here.to_path_buf())
}

/// PATH with node_modules/.bin (npm's wasm-opt) and ~/.cargo/bin first.
pub fn tool_path() -> String {
    let mut parts = vec![root().join("node_modules/.bin").display().to_string()];
    if let Some(home) = std::env::var_os("HOME") {
        parts.push(Path::new(&home).join(".cargo/bin").display().to_string());
    }
    parts.push(std::env::var("PATH").unwrap_or_default());
    parts.join(":")
}

/// Run a command, inheriting stdio; error if it fails.
pub fn run(cmd: &mut Command) -> Result<(), String> {
    eprintln!("xtask: $ {}", describe(cmd));
    let status = cmd
        .status()
        .map_err(|e| format!("could not start `{}`: {e}", describe(cmd)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", describe(cmd)))
    }
}

pub fn describe(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().to_string();
    for a in cmd.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

/// stdout of a command when it succeeds.
pub fn output(cmd: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(cmd)
        .args(args)
        .env("PATH", tool_path())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn trunk(args: &[&str]) -> Result<(), String> {
    run(Command::new("trunk")
        .args(args)
        .current_dir(root())
        .env("PATH", tool_path())
        .env("TRUNK_SKIP_VERSION_CHECK", "true"))
}

/// The release wasm's standard library, rebuilt for size (docs/size.md, "Session of 09:50
/// (Dec 7) — the standard library"): cargo's `-Zbuild-std` compiles core, alloc and std from the
/// toolchain's own `rust-src` (installed by `cargo xtask setup`) with the release profile
/// (`opt-level = "z"`, LTO) instead of linking rustup's prebuilt `-O3` libraries, with std's
/// `optimize_for_size` feature (smaller sort and formatting code), and with
/// `panic = immediate-abort`: a panic traps at once, as `panic = "abort"` already made it do in
/// the browser (wasm32-unknown-unknown has no stderr, so the panic message was never seen), without
/// the formatting machinery and the messages and source locations of every possible panic.
/// These are the stable toolchain's own unstable options (`RUSTC_BOOTSTRAP=1`, so the same
/// compiler and the same std sources as every other build); only this build uses them: tests,
/// `trunk serve` and the native crates build as before.
pub const RELEASE_WASM_ENV: [(&str, &str); 4] = [
    ("RUSTC_BOOTSTRAP", "1"),
    ("CARGO_UNSTABLE_BUILD_STD", "std,panic_abort"),
    ("CARGO_UNSTABLE_BUILD_STD_FEATURES", "optimize_for_size"),
    (
        "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS",
        "-Zunstable-options -Cpanic=immediate-abort",
    ),
];

/// `trunk build --release` (into dist/) as every release build runs it: the release bundle
/// users get, measured by `cargo xtask size` and tested end to end.
pub fn release_trunk() -> Command {
    let mut c = Command::new("trunk");
    c.args(["build", "--release"])
        .current_dir(root())
        .env("PATH", tool_path())
        .env("TRUNK_SKIP_VERSION_CHECK", "true")
        .envs(RELEASE_WASM_ENV);
    c
}

/// `trunk build --release` into dist/.
pub fn build_release() -> Result<(), String> {
    run(&mut release_trunk())
}

fn serve(args: &[String]) -> Result<(), String> {
    let mut port: u16 = 8080;
    let mut rest: Vec<String> = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if let Some(v) = a.strip_prefix("--port=") {
            port = v
                .parse()
                .map_err(|_| format!("--port: not a port number: {v}"))?;
        } else if a == "--port" {
            let v = it.next().ok_or("--port needs a value, e.g. --port 8081")?;
            port = v
                .parse()
                .map_err(|_| format!("--port: not a port number: {v}"))?;
        } else {
            rest.push(a.clone());
        }
    }
    if std::net::TcpListener::bind(("127.0.0.1", port)).is_err() {
        return Err(format!(
            "port {port} on 127.0.0.1 is busy (another `trunk serve`?). Stop it, or pick another port: cargo xtask serve --port {}",
            port.saturating_add(1)
        ));
    }
    setup::setup()?;
    let dev = rest.iter().any(|a| a == "--dev" || a == "--debug");
    if !dev {
        // the release bundle, as users get it: trunk's post_build hook writes .br/.gz files
        build_release()?;
        eprintln!("xtask: the playground (seed example loaded) is at http://127.0.0.1:{port}/");
        return serve::serve_dist(&root().join("dist"), port);
    }
    let rest: Vec<String> = rest
        .into_iter()
        .filter(|a| a != "--dev" && a != "--debug" && a != "--release")
        .collect();
    eprintln!(
        "xtask: serving the playground at http://127.0.0.1:{port}/ (debug build, live reload; the seed example is loaded; Ctrl-C stops)"
    );
    let port_s = port.to_string();
    let mut targs = vec!["serve", "--port", &port_s];
    targs.extend(rest.iter().map(String::as_str));
    trunk(&targs)
}

fn usage() -> String {
    "usage: cargo xtask setup | serve [--port N] [--dev] | build | test [--quick] | bench | size | split-profile [--reuse] | fuzz intake|kubectl|share|embed [--time S] | screenshot".into()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rest: Vec<String> = args.iter().skip(1).cloned().collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup::setup(),
        Some("serve") => serve(&rest),
        Some("build") => setup::setup().and_then(|_| build_release()),
        Some("test") => test::test(&rest),
        Some("bench") => test::bench(),
        Some("size") => size::size(),
        Some("postbuild") => split::postbuild(),
        Some("split-profile") => split::profile(&rest),
        Some("fuzz") => test::fuzz(&rest),
        Some("screenshot") => test::screenshot(),
        _ => Err(usage()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: error: {e}");
            ExitCode::FAILURE
        }
    }
}

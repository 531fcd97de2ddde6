//! `cargo xtask test | bench | fuzz | screenshot`.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::{describe, root, setup, tool_path};

/// Tally of test results across every runner.
#[derive(Default)]
struct Tally {
    passed: u64,
    failed: u64,
    failures: Vec<String>,
    /// Tests that failed and then passed when run again (nextest's retries): named at the end.
    flaky: Vec<String>,
    timings: Vec<(String, f64)>,
}

/// Parse cargo's / wasm-bindgen-test-runner's `test result: ok. 3 passed; 1 failed; ...`.
fn parse_result(line: &str) -> Option<(u64, u64)> {
    let rest = line.trim().strip_prefix("test result: ")?;
    let mut passed = None;
    let mut failed = None;
    for part in rest.split([';', '.']) {
        let mut w = part.split_whitespace();
        if let (Some(n), Some(what)) = (w.next(), w.next()) {
            match what {
                "passed" => passed = n.parse().ok(),
                "failed" => failed = n.parse().ok(),
                _ => {}
            }
        }
    }
    Some((passed?, failed?))
}

/// Parse nextest's `Summary [ 1.2s] 607 tests run: 605 passed (1 flaky), 1 failed, 1 timed
/// out, 2 skipped`: (passed, failed), timed-out tests counted as failed.
fn parse_nextest_summary(line: &str) -> Option<(u64, u64)> {
    let t = line.trim();
    if !t.starts_with("Summary [") {
        return None;
    }
    let (_, rest) = t.split_once("run:")?;
    let (mut passed, mut failed) = (None, 0);
    for part in rest.split(',') {
        let mut w = part.split_whitespace();
        let n: Option<u64> = w.next().and_then(|n| n.parse().ok());
        match (n, w.next()) {
            (Some(n), Some("passed")) => passed = Some(n),
            (Some(n), Some("failed" | "timed")) => failed += n,
            _ => {}
        }
    }
    Some((passed?, failed))
}

/// Failing tests' names and panic messages seen in a runner's output, repeated in the summary
/// at the end (CI keeps only the tail of the output); at most 40 lines, each clipped.
#[derive(Default)]
struct Detail {
    lines: Vec<String>,
    after_panic: bool,
}

impl Detail {
    fn clip(line: &str) -> String {
        line.trim().chars().take(300).collect()
    }

    fn push(&mut self, indent: &str, line: &str) {
        if self.lines.len() < 40 {
            self.lines.push(format!("{indent}{}", Detail::clip(line)));
        }
    }

    /// A line of a test's output: a `panicked at` line and the message line after it are kept.
    fn see(&mut self, line: &str) {
        if self.after_panic {
            self.push("      ", line);
        } else if line.contains("panicked at") {
            self.push("    ", line);
        }
        self.after_panic = line.contains("panicked at");
    }
}

impl Tally {
    /// Run a step that reports `test result:` lines; stdout is streamed and parsed.
    fn tests(&mut self, name: &str, cmd: &mut Command) {
        eprintln!("\nxtask test: == {name}: $ {}", describe(cmd));
        let t = Instant::now();
        cmd.stdout(Stdio::piped());
        let mut child = match cmd.spawn() {
            Ok(c) => c,
            Err(e) => {
                self.fail(name, &format!("could not start: {e}"));
                return;
            }
        };
        let mut saw = false;
        let mut step_failed = 0;
        let mut detail = Detail::default();
        if let Some(out) = child.stdout.take() {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                println!("{line}");
                if line.starts_with("test ") && line.ends_with("... FAILED") {
                    detail.push("  ", &line);
                } else {
                    detail.see(&line);
                }
                if let Some((p, f)) = parse_result(&line) {
                    saw = true;
                    self.passed += p;
                    self.failed += f;
                    step_failed += f;
                }
            }
        }
        let ok = child.wait().map(|s| s.success()).unwrap_or(false);
        self.timings
            .push((name.to_string(), t.elapsed().as_secs_f64()));
        if !ok && step_failed == 0 {
            // A build error, a crash or a runner failure with no failing test counted.
            self.fail(name, "did not complete (see the output above)");
        } else if !ok || step_failed > 0 {
            self.failures.push(format!("{name}: {step_failed} failed"));
            self.failures.extend(detail.lines);
        } else if !saw {
            eprintln!("xtask test: note: {name} reported no test results");
        }
    }

    /// Run the native tests under cargo-nextest: each test in its own process (no test shares a
    /// process's allocator, temp names or globals with another), a failing test run again up to
    /// twice. A test that fails every time fails the step; one that passes on a retry is named
    /// as flaky in the summary (never silently passed). nextest reports on stderr.
    fn nextest(&mut self, name: &str, cmd: &mut Command) {
        eprintln!("\nxtask test: == {name}: $ {}", describe(cmd));
        let t = Instant::now();
        cmd.stderr(Stdio::piped());
        let mut child = match cmd.spawn() {
            Ok(c) => c,
            Err(e) => {
                self.fail(name, &format!("could not start: {e}"));
                return;
            }
        };
        let mut counted = None;
        let mut detail = Detail::default();
        let mut after_summary = false;
        if let Some(err) = child.stderr.take() {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                eprintln!("{line}");
                if let Some(c) = parse_nextest_summary(&line) {
                    counted = Some(c);
                    after_summary = true;
                } else if after_summary {
                    // the summary's status lines: FLAKY, then the tests that failed every time
                    let l = line.trim();
                    if let Some(rest) = l.strip_prefix("FLAKY") {
                        self.flaky.push(format!("{name}:{}", Detail::clip(rest)));
                    } else if !l.is_empty() && !l.starts_with("error:") {
                        detail.push("  ", l);
                    }
                } else {
                    detail.see(&line);
                }
            }
        }
        let ok = child.wait().map(|s| s.success()).unwrap_or(false);
        self.timings
            .push((name.to_string(), t.elapsed().as_secs_f64()));
        match counted {
            Some((p, f)) if ok || f > 0 => {
                self.passed += p;
                self.failed += f;
                if f > 0 || !ok {
                    self.failures.push(format!("{name}: {f} failed"));
                    self.failures.extend(detail.lines);
                }
            }
            _ => self.fail(name, "did not complete (see the output above)"),
        }
    }

    /// Run a check that passes or fails as a whole (fmt, clippy, build): one test.
    fn check(&mut self, name: &str, cmd: &mut Command) {
        eprintln!("\nxtask test: == {name}: $ {}", describe(cmd));
        let t = Instant::now();
        let ok = cmd.status().map(|s| s.success()).unwrap_or(false);
        self.timings
            .push((name.to_string(), t.elapsed().as_secs_f64()));
        if ok {
            self.passed += 1;
        } else {
            self.fail(name, "failed (see the output above)");
        }
    }

    /// A check done in xtask itself: one test.
    fn check_fn(&mut self, name: &str, f: impl FnOnce() -> Result<(), String>) {
        eprintln!("\nxtask test: == {name}");
        let t = Instant::now();
        let r = f();
        self.timings
            .push((name.to_string(), t.elapsed().as_secs_f64()));
        match r {
            Ok(()) => self.passed += 1,
            Err(e) => self.fail(name, &e),
        }
    }

    fn fail(&mut self, name: &str, why: &str) {
        self.failed += 1;
        self.failures.push(format!("{name}: {why}"));
    }
}

fn cargo(args: &[&str]) -> Command {
    let mut c = Command::new("cargo");
    c.args(args).current_dir(root()).env("PATH", tool_path());
    c
}

/// cargo-nextest is on the CI machine's image (`cargo nextest --version`); without it the native
/// tests run under `cargo test`.
fn nextest_available() -> bool {
    cargo(&["nextest", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn chromedriver() -> String {
    std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into())
}

pub fn test(args: &[String]) -> Result<(), String> {
    let quick = args.iter().any(|a| a == "--quick");
    let started = Instant::now();
    setup::setup()?;
    let mut t = Tally::default();
    t.check(
        "cargo fmt --check",
        &mut cargo(&["fmt", "--all", "--check"]),
    );
    t.check(
        "clippy (host)",
        &mut cargo(&[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    );
    t.check(
        "clippy (wasm app)",
        &mut cargo(&[
            "clippy",
            "-p",
            "app",
            "--all-targets",
            "--target",
            "wasm32-unknown-unknown",
            "--",
            "-D",
            "warnings",
        ]),
    );
    if nextest_available() {
        t.nextest(
            "native tests (cargo-nextest)",
            &mut cargo(&[
                "nextest",
                "run",
                "--no-fail-fast",
                "--retries",
                "2",
                "--workspace",
                "--exclude",
                "e2e",
            ]),
        );
        // nextest runs no doctests
        t.tests(
            "native doctests",
            &mut cargo(&["test", "--doc", "--workspace", "--exclude", "e2e"]),
        );
    } else {
        t.tests(
            "native tests",
            &mut cargo(&["test", "--no-fail-fast", "--workspace", "--exclude", "e2e"]),
        );
    }
    if !quick {
        t.tests(
            "wasm-bindgen-test (headless Chromium)",
            cargo(&["test", "-p", "app", "--target", "wasm32-unknown-unknown"])
                .env("CHROMEDRIVER", chromedriver()),
        );
        t.check("trunk build --release", &mut crate::release_trunk());
        t.check_fn(
            "bundle budget (wasm + js + css, gzip -9)",
            crate::size::check_budget,
        );
        samples(&mut t);
        // One browser test at a time (each starts its own chromedriver and Chromium); under
        // nextest a failing one is run once more and, if it then passes, named FLAKY.
        if nextest_available() {
            t.nextest(
                "end-to-end (headless Chromium, cargo-nextest)",
                cargo(&[
                    "nextest",
                    "run",
                    "--no-fail-fast",
                    "--retries",
                    "1",
                    "--test-threads",
                    "1",
                    "-p",
                    "e2e",
                ])
                .env("CHROMEDRIVER", chromedriver()),
            );
        } else {
            t.tests(
                "end-to-end (headless Chromium)",
                cargo(&[
                    "test",
                    "--no-fail-fast",
                    "-p",
                    "e2e",
                    "--",
                    "--test-threads=1",
                ])
                .env("CHROMEDRIVER", chromedriver()),
            );
        }
        fuzz_smoke(&mut t);
    }
    eprintln!("\nxtask test: timings");
    for (name, secs) in &t.timings {
        eprintln!("  {secs:>7.1}s  {name}");
    }
    eprintln!("  {:>7.1}s  total", started.elapsed().as_secs_f64());
    for f in &t.failures {
        if f.starts_with(' ') {
            eprintln!("{f}");
        } else {
            eprintln!("FAILED: {f}");
        }
    }
    for f in &t.flaky {
        eprintln!("FLAKY (failed, then passed when run again): {f}");
    }
    println!("{} passed, {} failed", t.passed, t.failed);
    if t.failed == 0 {
        Ok(())
    } else {
        Err(format!("{} failed", t.failed))
    }
}

/// The embed's sample docs sites (web/samples/): each built with its own tool into
/// target/samples/NAME, then the built page is checked for what the snippet must produce.
fn samples(t: &mut Tally) {
    let out = std::env::var("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| root().join("target"))
        .join("samples");
    let samples = root().join("web/samples");
    let hugo_out = out.join("hugo");
    let mut hugo = Command::new("hugo");
    hugo.arg("--source")
        .arg(samples.join("hugo"))
        .arg("--destination")
        .arg(&hugo_out)
        .args(["--quiet", "--cleanDestinationDir"]);
    sample(
        t,
        "sample site: Hugo shortcode",
        &mut hugo,
        &hugo_out.join("index.html"),
        &[
            "<script src=\"https://stsplay.example/embed.js\" defer></script>",
            "<sts-playground example=\"seed\" run-blocks=\"code.language-shell\"",
            "<code class=\"language-shell\"",
            "<script type=\"text/yaml\" data-file=\"web.yaml\">\napiVersion: apps/v1",
            "<script type=\"text/x-stsplay\">\nkubectl apply -f web.yaml",
            "<a href=\"https://stsplay.example/#example=seed\">",
        ],
    );
    let mdbook_out = out.join("mdbook");
    let mut mdbook = Command::new("mdbook");
    mdbook
        .arg("build")
        .arg(samples.join("mdbook"))
        .arg("--dest-dir")
        .arg(&mdbook_out)
        .env("PATH", tool_path());
    sample(
        t,
        "sample site: mdBook preprocessor",
        &mut mdbook,
        &mdbook_out.join("statefulset.html"),
        &[
            "<script src=\"https://stsplay.example/embed.js\" defer",
            "<sts-playground example=\"seed\" view=\"diagram+console\" autoplay",
            "<code class=\"language-console\">",
            "  replicas: 2\n\n  selector:",
            "<script type=\"text/x-stsplay\">\nkubectl apply -f web.yaml",
            "<a href=\"https://stsplay.example/#example=seed\">",
        ],
    );
    let docusaurus_out = out.join("docusaurus");
    let dir = samples.join("docusaurus");
    let mut docusaurus = Command::new(dir.join("node_modules/.bin/docusaurus"));
    docusaurus
        .arg("build")
        .arg("--out-dir")
        .arg(&docusaurus_out)
        .current_dir(&dir)
        .env("PATH", tool_path());
    sample(
        t,
        "sample site: Docusaurus component",
        &mut docusaurus,
        &docusaurus_out.join("index.html"),
        &[
            "<a href=\"https://stsplay.example/#example=seed\">Open the StatefulSet playground (stsplay)</a>",
            "language-bash",
        ],
    );
}

/// Build one sample; it passes when the build succeeds and `page` contains every marker.
fn sample(t: &mut Tally, name: &str, cmd: &mut Command, page: &std::path::Path, markers: &[&str]) {
    eprintln!("\nxtask test: == {name}: $ {}", describe(cmd));
    let started = Instant::now();
    let built = cmd.status().map(|s| s.success()).unwrap_or(false);
    t.timings
        .push((name.to_string(), started.elapsed().as_secs_f64()));
    if !built {
        t.fail(name, "the build failed (see the output above)");
        return;
    }
    let html = std::fs::read_to_string(page).unwrap_or_default();
    let missing: Vec<&&str> = markers.iter().filter(|m| !html.contains(**m)).collect();
    if missing.is_empty() {
        t.passed += 1;
    } else {
        t.fail(name, &format!("{} lacks {:?}", page.display(), missing));
    }
}

/// A fuzz target: name, crate dir with the fuzz crate, binary (its corpus is `corpus/<bin>`),
/// and its share of the smoke time in `cargo xtask test`, in sixths of `STSPLAY_FUZZ_SECONDS`.
struct FuzzTarget {
    name: &'static str,
    dir: &'static str,
    bin: &'static str,
    sixths: u64,
}

/// The smoke shares add up to 9/6 = 1.5 x `STSPLAY_FUZZ_SECONDS`, as before the share link and
/// embed message targets were added (then intake 1x + kubectl 0.5x).
const FUZZ_TARGETS: [FuzzTarget; 4] = [
    FuzzTarget {
        name: "intake",
        dir: "crates/intake/fuzz",
        bin: "parse",
        sixths: 4,
    },
    FuzzTarget {
        name: "kubectl",
        dir: "crates/kubectl/fuzz",
        bin: "command_line",
        sixths: 3,
    },
    FuzzTarget {
        name: "share",
        dir: "crates/share/fuzz",
        bin: "link",
        sixths: 1,
    },
    FuzzTarget {
        name: "embed",
        dir: "crates/share/fuzz",
        bin: "message",
        sixths: 1,
    },
];

/// Short coverage-guided fuzz runs, each counted as one test, sharing 1.5 x
/// `STSPLAY_FUZZ_SECONDS` (default 60): intake 40 s, kubectl 30 s, share links 10 s, embed
/// messages 10 s at the default (the last two are small, fast parsers).
fn fuzz_smoke(t: &mut Tally) {
    let secs: u64 = std::env::var("STSPLAY_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    for (target, secs) in FUZZ_TARGETS
        .iter()
        .map(|t| (t, (secs * t.sixths / 6).max(1)))
    {
        let name = format!("fuzz {} ({secs} s, libFuzzer on stable)", target.name);
        eprintln!("\nxtask test: == {name}");
        let started = Instant::now();
        let r = run_fuzz(target, secs);
        t.timings
            .push((name.clone(), started.elapsed().as_secs_f64()));
        match r {
            Ok(()) => t.passed += 1,
            Err(e) => t.fail(&name, &e),
        }
    }
}

/// Build the target with libFuzzer (libfuzzer-sys) and SanitizerCoverage through stable rustc
/// flags (what `cargo fuzz` adds, minus AddressSanitizer: the code is safe Rust), then run it
/// for `secs` seconds on the committed seed corpus. New inputs go to a temp dir; crashes are
/// written to `<dir>/artifacts/` and fail the run.
fn run_fuzz(target: &FuzzTarget, secs: u64) -> Result<(), String> {
    let dir = root().join(target.dir);
    let triple = crate::output("rustc", &["-vV"])
        .and_then(|v| {
            v.lines()
                .find_map(|l| l.strip_prefix("host: ").map(str::to_string))
        })
        .ok_or("cannot read the host triple from `rustc -vV`")?;
    let target_dir = std::env::var("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| root().join("target"))
        .join("fuzz");
    let rustflags = "--cfg fuzzing -Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
        -Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
        -Cllvm-args=-sanitizer-coverage-trace-compares -Cdebug-assertions -Coverflow-checks";
    let rustflags = rustflags.split_whitespace().collect::<Vec<_>>().join(" ");
    crate::run(
        Command::new("cargo")
            .args([
                "build",
                "--release",
                "--bin",
                target.bin,
                "--target",
                &triple,
            ])
            .arg("--manifest-path")
            .arg(dir.join("Cargo.toml"))
            .arg("--target-dir")
            .arg(&target_dir)
            .env("RUSTFLAGS", rustflags)
            .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "2")
            .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16")
            .env("CARGO_PROFILE_RELEASE_LTO", "false")
            .env("CARGO_PROFILE_RELEASE_PANIC", "unwind")
            .env("PATH", tool_path()),
    )?;
    let work = std::env::temp_dir().join(format!(
        "stsplay-fuzz-{}-{}",
        target.name,
        std::process::id()
    ));
    std::fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;
    let artifacts = dir.join("artifacts");
    std::fs::create_dir_all(&artifacts).map_err(|e| format!("{}: {e}", artifacts.display()))?;
    let bin = target_dir.join(&triple).join("release").join(target.bin);
    let result = crate::run(
        Command::new(bin)
            .arg(&work)
            .arg(dir.join("corpus").join(target.bin))
            .arg(format!("-max_total_time={secs}"))
            .args([
                "-timeout=10",
                "-rss_limit_mb=2048",
                "-max_len=8192",
                "-print_final_stats=1",
            ])
            .arg(format!("-artifact_prefix={}/", artifacts.display())),
    );
    let _ = std::fs::remove_dir_all(&work);
    result
}

pub fn fuzz(args: &[String]) -> Result<(), String> {
    let name = args.first().map(String::as_str).unwrap_or("intake");
    let target = FUZZ_TARGETS
        .iter()
        .find(|t| t.name == name)
        .ok_or_else(|| {
            let known: Vec<&str> = FUZZ_TARGETS.iter().map(|t| t.name).collect();
            format!("unknown fuzz target {name:?} (known: {})", known.join(", "))
        })?;
    let mut secs: u64 = 60;
    let mut it = args.iter().skip(1);
    while let Some(a) = it.next() {
        let v = if a == "--time" {
            it.next().cloned().ok_or("--time needs seconds")?
        } else if let Some(v) = a.strip_prefix("--time=") {
            v.to_string()
        } else {
            return Err(format!(
                "unknown argument {a:?}; usage: cargo xtask fuzz {name} --time SECONDS"
            ));
        };
        secs = v
            .parse()
            .map_err(|_| format!("--time: not a number of seconds: {v}"))?;
    }
    run_fuzz(target, secs)
}

pub fn bench() -> Result<(), String> {
    setup::setup()?;
    crate::run(&mut cargo(&[
        "bench", "-p", "sim", "-p", "intake", "-p", "diagram",
    ]))?;
    crate::build_release()?;
    let report = crate::size::report()?;
    println!("{report}");
    // time to interactive in headless Chromium (writes target/bench/page.md; fails above 300 ms)
    let tti = crate::run(
        cargo(&[
            "test",
            "-p",
            "e2e",
            "--test",
            "first_paint",
            "time_to_interactive",
            "--",
            "--exact",
            "--ignored",
            "--nocapture",
        ])
        .env("CHROMEDRIVER", chromedriver()),
    );
    let ui = ui_report();
    let budget = crate::size::check_budget();
    // The diagram in the browser: our update after one step vs mermaid.render of our export.
    let diagram = crate::run(
        cargo(&["run", "-p", "e2e", "--example", "diagram_bench"])
            .env("CHROMEDRIVER", chromedriver()),
    );
    tti.and(ui).and(budget).and(diagram)
}

/// The playground in headless Chromium on the release build: time to interactive
/// (`performance.mark("stsplay-ready")`) and the UI's update time per step at 3 and 100
/// replicas (tests/e2e/tests/playground.rs `bench_report`; printed, not asserted).
pub fn ui_report() -> Result<(), String> {
    crate::run(
        cargo(&[
            "test",
            "-p",
            "e2e",
            "--test",
            "playground",
            "bench_report",
            "--",
            "--exact",
            "--ignored",
            "--nocapture",
        ])
        .env("CHROMEDRIVER", chromedriver()),
    )
}

pub fn screenshot() -> Result<(), String> {
    setup::setup()?;
    crate::build_release()?;
    let out = root().join("docs/screenshot.png");
    crate::run(
        cargo(&[
            "test",
            "-p",
            "e2e",
            "--test",
            "e2e",
            "readme_screenshot",
            "--",
            "--exact",
            "--ignored",
        ])
        .env("STSPLAY_SCREENSHOT", &out)
        .env("CHROMEDRIVER", chromedriver()),
    )?;
    eprintln!("xtask: wrote {}", out.display());
    // The playground's screenshots: light, dark, phone, an example mid-rollout.
    let dir = root().join("docs/screenshots");
    crate::run(
        cargo(&[
            "test",
            "-p",
            "e2e",
            "--test",
            "playground",
            "screenshots",
            "--",
            "--exact",
            "--ignored",
            "--nocapture",
        ])
        .env("STSPLAY_SCREENSHOTS", &dir)
        .env("CHROMEDRIVER", chromedriver()),
    )?;
    eprintln!("xtask: wrote {}", dir.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{Detail, parse_nextest_summary, parse_result};

    #[test]
    fn keeps_panic_lines_and_the_message_after_them() {
        let mut d = Detail::default();
        for l in [
            "running 1 test",
            "thread 'x' panicked at src/lib.rs:2:22:",
            "    always",
            "stack backtrace:",
        ] {
            d.see(l);
        }
        assert_eq!(
            d.lines,
            [
                "    thread 'x' panicked at src/lib.rs:2:22:",
                "      always"
            ]
        );
        for _ in 0..100 {
            d.push("  ", "test y ... FAILED");
        }
        assert_eq!(d.lines.len(), 40);
    }

    #[test]
    fn parses_cargo_and_wasm_runner_summaries() {
        assert_eq!(
            parse_result(
                "test result: ok. 12 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s"
            ),
            Some((12, 0))
        );
        assert_eq!(
            parse_result("test result: FAILED. 3 passed; 2 failed; 0 ignored"),
            Some((3, 2))
        );
        assert_eq!(parse_result("running 3 tests"), None);
    }

    #[test]
    fn parses_nextest_summaries() {
        assert_eq!(
            parse_nextest_summary("     Summary [ 132.757s] 607 tests run: 607 passed, 2 skipped"),
            Some((607, 0))
        );
        assert_eq!(
            parse_nextest_summary(
                "     Summary [   0.955s] 3 tests run: 2 passed (1 flaky), 1 failed, 0 skipped"
            ),
            Some((2, 1))
        );
        assert_eq!(
            parse_nextest_summary(
                "Summary [ 9.1s] 5 tests run: 2 passed, 1 failed, 2 timed out, 0 skipped"
            ),
            Some((2, 3))
        );
        // a failing test's own output, indented inside nextest's report
        assert_eq!(
            parse_nextest_summary("    test result: FAILED. 0 passed; 1 failed"),
            None
        );
        assert_eq!(
            parse_nextest_summary("  TRY 1 FAIL [ 0.3s] nxt flaky"),
            None
        );
    }
}

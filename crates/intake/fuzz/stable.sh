#!/bin/sh
# Coverage-guided fuzzing of the intake path on the STABLE toolchain (CI machines have no
# nightly): libfuzzer-sys links libFuzzer, and rustc's stable -C flags add the SanitizerCoverage
# instrumentation that `cargo fuzz` would add (no AddressSanitizer: intake is safe Rust).
# usage: crates/intake/fuzz/stable.sh SECONDS [extra libFuzzer flags]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
secs=${1:-60}
[ $# -gt 0 ] && shift
target=${CARGO_TARGET_DIR:-$here/target}/stable
# an explicit --target keeps RUSTFLAGS away from build scripts and proc macros
triple=$(rustc -vV | sed -n 's/^host: //p')
RUSTFLAGS="--cfg fuzzing -Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares -Cdebug-assertions -Coverflow-checks" \
CARGO_PROFILE_RELEASE_OPT_LEVEL=2 CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
  cargo build --release --manifest-path "$here/Cargo.toml" --target-dir "$target" --target "$triple" --bin parse
work=$(mktemp -d)
cp "$here"/corpus/parse/seed-* "$work"/
mkdir -p "$here/artifacts"
"$target/$triple/release/parse" "$work" "$here/corpus/parse" -max_total_time="$secs" -timeout=10 \
  -rss_limit_mb=1024 -max_len=8192 -artifact_prefix="$here/artifacts/" -print_final_stats=1 "$@"

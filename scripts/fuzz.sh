#!/usr/bin/env bash
# Runs one fuzz target for a given time (coverage-guided, libFuzzer through cargo-fuzz).
#
#   scripts/fuzz.sh TARGET SECONDS [-- LIBFUZZER_OPTIONS...]
#   scripts/fuzz.sh list
#
# The targets (fuzz/fuzz_targets/) are: ingest_txt ingest_docx ingest_pdf ingest_image
# redact_txt redact_docx redact_pdf redact_image rule_pack. The working corpus grows in
# fuzz/corpus/TARGET (not committed), seeded from tests/data, assets/samples and assets/rules.
# A crash is written to fuzz/artifacts/TARGET/: copy it to fuzz/regressions/TARGET/ with a name
# saying what it was, fix the bug, and `cargo test --test tests fuzz_corpus` replays it forever.
#
# Only the stable toolchain is installed here: RUSTC_BOOTSTRAP=1 lets it accept the -Z flags
# cargo-fuzz passes. No sanitizer by default (`-s none`): vetted-core forbids unsafe code, so
# AddressSanitizer would mostly slow the search down; set FUZZ_SANITIZER=address to use it.
# FUZZ_TARGET_DIR puts the build elsewhere than fuzz/target, so a sanitizer build and a plain
# one can sit side by side instead of rebuilding each other.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo/fuzz"

if [[ "${1:-}" == "list" ]]; then
    ls fuzz_targets | sed 's/\.rs$//'
    exit 0
fi
if [[ $# -lt 2 ]]; then
    echo "usage: scripts/fuzz.sh TARGET SECONDS [-- LIBFUZZER_OPTIONS...]  (or: scripts/fuzz.sh list)" >&2
    exit 2
fi
target="$1"
seconds="$2"
shift 2
[[ "${1:-}" == "--" ]] && shift
if [[ ! -f "fuzz_targets/$target.rs" ]]; then
    echo "fuzz.sh: no target $target (scripts/fuzz.sh list)" >&2
    exit 2
fi
if ! command -v cargo-fuzz >/dev/null; then
    cargo install cargo-fuzz --locked
fi

# The seeds: the files of the target's format, and every crash input found so far.
corpus="corpus/$target"
mkdir -p "$corpus"
case "$target" in
    *_txt) patterns=("*.txt" "*.md") ;;
    *_docx) patterns=("*.docx") ;;
    *_pdf) patterns=("*.pdf") ;;
    *_image) patterns=("*.jpg" "*.jpeg" "*.png") ;;
    rule_pack) patterns=("*.toml") ;;
esac
for pattern in "${patterns[@]}"; do
    find "$repo/tests/data" "$repo/assets/samples" "$repo/assets/rules" -name "$pattern" -type f \
        -exec cp -t "$corpus" {} +
done
if [[ -d "regressions/$target" ]]; then
    cp -t "$corpus" "regressions/$target"/*
fi

# FUZZ_NO_BUILD=1 runs the target binary already built (by `cargo fuzz build` or an earlier run)
# as it is, the way `cargo fuzz run` would, without rebuilding it first: on a loaded machine the
# instrumented build takes longer than the run, and a campaign should not pay it per target.
if [[ "${FUZZ_NO_BUILD:-0}" == 1 ]]; then
    binary="${FUZZ_TARGET_DIR:-target}/x86_64-unknown-linux-gnu/release/$target"
    [[ -x "$binary" ]] || { echo "fuzz.sh: $binary is not built (cargo fuzz build first)" >&2; exit 2; }
    mkdir -p "artifacts/$target"
    exec "$binary" -artifact_prefix="artifacts/$target/" -max_total_time="$seconds" -timeout=20 \
        -rss_limit_mb=2048 -print_final_stats=1 "$@" "$corpus"
fi

export RUSTC_BOOTSTRAP=1
target_dir=()
[[ -n "${FUZZ_TARGET_DIR:-}" ]] && target_dir=(--target-dir "$FUZZ_TARGET_DIR")
exec cargo fuzz run --sanitizer "${FUZZ_SANITIZER:-none}" "${target_dir[@]}" "$target" "$corpus" -- \
    -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 "$@"

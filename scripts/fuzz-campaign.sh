#!/usr/bin/env bash
# Runs every fuzz target one after the other (never two at once: each wants a whole core) and
# prints a Markdown table of libFuzzer's final statistics, for the README.
#
#   scripts/fuzz-campaign.sh SECONDS [TARGET...]        (default: every target)
#   FUZZ_SANITIZER=address FUZZ_TARGET_DIR=target-asan scripts/fuzz-campaign.sh 600 ingest_pdf ingest_docx
#
# Logs go to fuzz/logs/TARGET-SANITIZER.log (not committed). A crash stops only its own target:
# the campaign goes on, and the table says which target crashed so the input in
# fuzz/artifacts/TARGET/ can become a regression file (see scripts/fuzz.sh).
set -uo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
if [[ $# -lt 1 ]]; then
    echo "usage: scripts/fuzz-campaign.sh SECONDS [TARGET...]" >&2
    exit 2
fi
seconds="$1"
shift
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
    mapfile -t targets < <("$repo/scripts/fuzz.sh" list)
fi
sanitizer="${FUZZ_SANITIZER:-none}"
logs="$repo/fuzz/logs"
mkdir -p "$logs"

# Build every target once first, so that no target's clock includes the compilation, then run
# the built binaries as they are (FUZZ_NO_BUILD, see scripts/fuzz.sh).
target_dir=()
[[ -n "${FUZZ_TARGET_DIR:-}" ]] && target_dir=(--target-dir "$FUZZ_TARGET_DIR")
# With FUZZ_NO_BUILD=1 already set, the binaries built earlier are used without rebuilding.
if [[ "${FUZZ_NO_BUILD:-0}" != 1 ]]; then
    (cd "$repo/fuzz" && RUSTC_BOOTSTRAP=1 cargo fuzz build --sanitizer "$sanitizer" "${target_dir[@]}") || exit 1
fi
export FUZZ_NO_BUILD=1

table="$logs/table-$sanitizer.md"
echo "| target | sanitizer | seconds | total execs | execs/s | cov | ft | crashes |" >"$table"
echo "|---|---|---|---|---|---|---|---|" >>"$table"
for target in "${targets[@]}"; do
    log="$logs/$target-$sanitizer.log"
    echo "$(date -u +%H:%M:%S) fuzzing $target ($sanitizer) for ${seconds}s -> $log"
    "$repo/scripts/fuzz.sh" "$target" "$seconds" >"$log" 2>&1
    status=$?
    # libFuzzer's -print_final_stats=1 lines: stat::number_of_executed_units, stat::average_exec_per_sec.
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    # The last status line ("#N DONE/pulse cov: C ft: F ...") carries the coverage.
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*')
    ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*')
    crashes=0
    if [[ $status -ne 0 ]]; then
        crashes="1 (exit $status, see $log)"
    fi
    echo "| $target | $sanitizer | $seconds | ${execs:-?} | ${rate:-?} | ${cov:-?} | ${ft:-?} | $crashes |" >>"$table"
done
cat "$table"

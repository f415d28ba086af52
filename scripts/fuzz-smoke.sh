#!/usr/bin/env bash
# A short smoke run of every fuzz target, for CI: builds the targets once (libFuzzer through
# cargo-fuzz, no sanitizer) and runs each from its seed corpus for FUZZ_SMOKE_SECONDS (default
# 15). A crash, a hang or running out of memory fails the run, naming the target and showing the
# end of its log. The long runs, with the table for the README, are scripts/fuzz-campaign.sh.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${FUZZ_SMOKE_SECONDS:-15}"
logs="$repo/fuzz/logs/smoke"
mkdir -p "$logs"

if ! command -v cargo-fuzz >/dev/null; then
    cargo install cargo-fuzz --locked
fi
echo "fuzz smoke: building the targets" >&2
(cd "$repo/fuzz" && RUSTC_BOOTSTRAP=1 cargo fuzz build --sanitizer none) >&2

for target in $("$repo/scripts/fuzz.sh" list); do
    log="$logs/$target.log"
    if ! FUZZ_NO_BUILD=1 "$repo/scripts/fuzz.sh" "$target" "$seconds" >"$log" 2>&1; then
        echo "fuzz smoke: $target FAILED (the input is in fuzz/artifacts/$target/); its log ends:" >&2
        tail -40 "$log" >&2
        exit 1
    fi
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    echo "fuzz smoke: $target passed (${execs:-?} executions in ${seconds} s)"
done

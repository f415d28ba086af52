#!/usr/bin/env bash
# Resource limits under attack: builds the hostile inputs (scripts/make_hostile.py) in a
# temporary directory and measures `vetted scan` on each with /usr/bin/time -v: exit status,
# peak resident memory, wall time and the message. Prints a Markdown table for the README.
#
#   scripts/limits.sh                      # builds a release binary first
#   VETTED=target/debug/vetted scripts/limits.sh
#
# The goal (issue 6): each input is refused or processed with a clear message, under 1 GiB of
# peak RSS. tests/limits.rs checks the same inputs in `cargo test` (without the timing).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
if [[ -z "${VETTED:-}" ]]; then
    cargo build --release --locked --manifest-path "$repo/Cargo.toml" --bin vetted >&2
    VETTED="$repo/target/release/vetted"
fi
work="$(mktemp -d)"
inputs="${HOSTILE_DIR:-$work/inputs}"
trap 'rm -rf "$work"' EXIT

echo "Machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)," \
    "$(uname -sm); binary: $VETTED"
echo
echo "| input | size on disk | exit | peak RSS | time | message |"
echo "| --- | ---: | ---: | ---: | ---: | --- |"
"${VETTED_PYTHON:-python3}" "$repo/scripts/make_hostile.py" "$inputs" |
    while IFS=$'\t' read -r _name path what; do
        set +e
        /usr/bin/time -v -o "$work/time" "$VETTED" scan "$path" >/dev/null 2>"$work/stderr"
        status=$?
        set -e
        rss_kib="$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/time")"
        wall="$(awk -F': ' '/Elapsed \(wall clock\)/ { print $2 }' "$work/time")"
        size="$(du -h --apparent-size "$path" | cut -f1)"
        message="$({ grep -v "^Command exited" "$work/stderr" || true; } | head -n 1 | sed "s|$path: ||; s|^vetted: ||")"
        [[ -z "$message" ]] && message="(scanned)"
        printf '| %s | %s | %s | %s MiB | %s | %s |\n' "$what" "$size" "$status" \
            "$((rss_kib / 1024))" "$wall" "$message"
    done

#!/usr/bin/env bash
# Batch review must not grow with the archive (issue 6 §6): builds archives of 1,000 and
# 10,000 mixed files (TXT, MD, DOCX, PDF, PNG, one in five each) in nested folders, runs
# `vetted scan DIR --recursive` and `vetted import DIR --recursive --as USER` on each under
# /usr/bin/time -v, prints a Markdown table of peak RSS and wall time, and fails (exit 1) if
# the 10,000-file run needs more than 1.5 times the 1,000-file one plus 4 MiB of slack.
#
#   scripts/batch-memory.sh                      # builds the debug binary first
#   VETTED=target/release/vetted scripts/batch-memory.sh
#
# Not part of `cargo test`: the four runs take about four minutes on 2 debug-built cores.
# tests/batch_scan.rs checks the scan's flatness at 200 and 5,000 text files in CI.
#
# Why 1.5x + slack rather than "equal": the walk keeps the list of paths (about 100 bytes per
# file, 1 MiB at 10,000) and SQLite's page cache fills up to its fixed size; anything that
# kept a document, a report or a finding per file would add far more (a DOCX's document
# alone is tens of KiB), so this bound catches real growth.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
if [[ -z "${VETTED:-}" ]]; then
    cargo build --locked --manifest-path "$repo/Cargo.toml" --bin vetted >&2
    VETTED="$repo/target/debug/vetted"
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The archive: file i goes to DIR/(i/100 mod 10)/(i/1000)/, so 10,000 files spread over
# 100 folders two levels deep. Text files are unique (a counter and a finding in each); the
# binary drafts are hard links to the test fixtures, which keeps 10,000 files at a few MB on
# disk while every one of them is still read, parsed and scanned.
make_archive() {
    local count="$1" dir="$2"
    "${VETTED_PYTHON:-python3}" - "$count" "$dir" "$repo/tests/data" <<'PY'
import os, sys
count, root, data = int(sys.argv[1]), sys.argv[2], sys.argv[3]
fixtures = {2: "docx_python.docx", 3: "reportlab.pdf", 4: "photo.png"}
for i in range(count):
    folder = os.path.join(root, str(i // 100 % 10), str(i // 1000))
    os.makedirs(folder, exist_ok=True)
    kind = i % 5
    if kind == 0:
        with open(os.path.join(folder, f"{i}.txt"), "w", encoding="utf-8") as f:
            f.write(f"第{i}号通知：95837部队，电话13800138000。\n")
    elif kind == 1:
        with open(os.path.join(folder, f"{i}.md"), "w", encoding="utf-8") as f:
            f.write(f"# Note {i}\n\nContact a{i}@example.com from 10.0.{i % 256}.1.\n")
    else:
        ext = fixtures[kind].rsplit(".", 1)[1]
        os.link(os.path.join(data, fixtures[kind]), os.path.join(folder, f"{i}.{ext}"))
PY
}

# Runs a command under /usr/bin/time -v; prints "PEAK_KIB WALL".
measure() {
    /usr/bin/time -v -o "$work/time" "$@" >/dev/null 2>"$work/stderr" || {
        echo "batch-memory.sh: $* failed:" >&2
        cat "$work/stderr" >&2
        exit 1
    }
    awk -F': ' '/Maximum resident set size/ { rss = $2 } /Elapsed \(wall clock\)/ { wall = $2 }
        END { print rss, wall }' "$work/time"
}

export VETTED_PASSPHRASE=batch-memory VETTED_NEW_PASSPHRASE=batch-memory
declare -A rss
echo "Machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)," \
    "$(uname -sm); binary: $VETTED"
echo
echo "| command | files | peak RSS | wall time |"
echo "| --- | ---: | ---: | ---: |"
for count in 1000 10000; do
    archive="$work/archive-$count"
    make_archive "$count" "$archive"
    read -r kib wall < <(measure "$VETTED" scan --recursive --json --summary "$work/summary-$count.csv" "$archive")
    rss[scan-$count]=$kib
    printf '| `vetted scan DIR --recursive --json --summary s.csv` | %s | %s MiB | %s |\n' \
        "$count" "$((kib / 1024))" "$wall"
    rows=$(($(wc -l <"$work/summary-$count.csv") - 1))
    [[ $rows -eq $count ]] || { echo "batch-memory.sh: the summary has $rows rows, not $count" >&2; exit 1; }

    workspace="$work/workspace-$count"
    "$VETTED" --workspace "$workspace" init --admin admin >/dev/null
    "$VETTED" --workspace "$workspace" user add dora --role drafter --as admin >/dev/null
    read -r kib wall < <(measure "$VETTED" --workspace "$workspace" import --recursive --as dora "$archive")
    rss[import-$count]=$kib
    printf '| `vetted import DIR --recursive --as dora` | %s | %s MiB | %s |\n' \
        "$count" "$((kib / 1024))" "$wall"
    documents=$("$VETTED" --workspace "$workspace" documents --json | "${VETTED_PYTHON:-python3}" -c \
        'import json, sys; print(len(json.load(sys.stdin)))')
    [[ $documents -eq $count ]] || { echo "batch-memory.sh: $documents documents, not $count" >&2; exit 1; }
    rm -rf "$archive" "$workspace"
done

status=0
echo
for command in scan import; do
    small=${rss[$command-1000]}
    large=${rss[$command-10000]}
    bound=$((small * 3 / 2 + 4096))
    if [[ $large -ge $bound ]]; then
        echo "batch-memory.sh: $command grew from $small KiB (1,000 files) to $large KiB (10,000), over $bound" >&2
        status=1
    else
        echo "$command: peak RSS $small KiB at 1,000 files, $large KiB at 10,000 (bound $bound KiB): flat"
    fi
done
exit $status

#!/usr/bin/env bash
# The offline guarantee, end to end: runs the CLI's whole workflow (init, users, batch scan,
# import, mark, decide, submit, approve, export, audit verify and report) in a network namespace
# that has no interface but a downed loopback, and fails if any step fails or if the network was
# in fact reachable.
#
#   sudo unshare -n bash scripts/offline-workflow.sh [VETTED_BINARY]
#
# Without `unshare -n` around it, the script refuses to run (it would prove nothing). The
# integration test `offline::the_whole_workflow_runs_without_a_network` runs it this way.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
vetted="${1:-$repo/target/debug/vetted}"

# Only the loopback may exist, and it must be down: that is what `unshare -n` gives.
interfaces="$(awk -F: 'NR > 2 { gsub(/ /, "", $1); print $1 }' /proc/net/dev | tr '\n' ' ')"
if [[ "$interfaces" != "lo " ]]; then
    echo "offline-workflow: network interfaces present ($interfaces): run me under 'unshare -n'" >&2
    exit 2
fi
if (exec 3<>/dev/tcp/127.0.0.1/9) 2>/dev/null; then
    echo "offline-workflow: the loopback answers: run me under 'unshare -n'" >&2
    exit 2
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export VETTED_WORKSPACE="$work/ws"
unset VETTED_PASSPHRASE VETTED_NEW_PASSPHRASE

step() { echo "offline-workflow: $*" >&2; }
as() { # as USER ARGS...: runs vetted ARGS --as USER with USER's passphrase.
    local user="$1"
    shift
    VETTED_PASSPHRASE="$user-passphrase" "$vetted" "$@" --as "$user" </dev/null
}

step "init and users"
VETTED_NEW_PASSPHRASE="root-passphrase" "$vetted" init --admin root </dev/null >/dev/null
for pair in dora:drafter rita:reviewer alan:approver otto:auditor; do
    VETTED_NEW_PASSPHRASE="${pair%%:*}-passphrase" as root user add "${pair%%:*}" --role "${pair#*:}" >/dev/null
done

step "batch scan of the samples"
"$vetted" scan --recursive "$repo/assets/samples" --summary "$work/summary.csv" >/dev/null
grep -q '采购公告-草稿.txt,txt,' "$work/summary.csv"

for draft in "$repo/assets/samples/采购公告-草稿.txt" "$repo/tests/data/docx_python.docx" \
    "$repo/tests/data/reportlab.pdf"; do
    name="$(basename "$draft")"
    step "import, review, sign-off and export of $name"
    doc="$(as dora import "$draft" | tail -n 1)"
    as rita decide "$doc" --redact all >/dev/null
    as rita submit "$doc" >/dev/null
    as alan approve "$doc" --comment "同意公开" >/dev/null
    as alan export "$doc" --out "$work/public-$name" >/dev/null
    test -s "$work/public-$name"
    "$vetted" audit report "$doc" --out "$work/record-$doc.csv" </dev/null >/dev/null
    test -s "$work/record-$doc.csv"
done

step "audit verify"
"$vetted" audit verify </dev/null | grep -q 'audit chain intact: '
echo "offline-workflow: ok"

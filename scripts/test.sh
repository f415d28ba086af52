#!/usr/bin/env bash
# Sets up everything the tests need on a fresh Debian 12 machine and runs every test: the core's
# unit tests, the integration tests (CLI end to end, independent tools checking what we export),
# the desktop app's UI and shell tests, its end-to-end journeys in the real webview, and a short
# run of every fuzz target.
# Used as-is by CI (.ci/run). Ends with one line counting every test that ran.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup-system.sh
source scripts/python-env.sh

export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

# default-members: the core and the CLI; the desktop shell has its own step below.
cargo test --locked 2>&1 | tee -a "$log"

# The desktop app: the UI's unit tests, type check and build (the shell embeds ui/dist), then
# the shell's tests, which include the check that the committed IPC bindings are fresh.
(cd ui && npm ci --no-audit --no-fund && npm run check && npm test && npm run build) 2>&1 | tee -a "$log"
cargo test --locked -p vetted-app 2>&1 | tee -a "$log"

# End-to-end journeys in the real webview, headless (Xvfb + tauri-driver); screenshots of each
# step are left in tests/output/e2e/. As root (CI is), they run offline, in a network namespace
# with only the loopback (E2E_OFFLINE=1, see scripts/e2e.sh); unshare needs root, so elsewhere
# they run with the network, and say so.
if [ "$(id -u)" = 0 ]; then
  E2E_OFFLINE=1 bash scripts/e2e.sh 2>&1 | tee -a "$log"
else
  echo "test.sh: not root, so the journeys run WITH the network (E2E_OFFLINE=1 needs unshare -n)" | tee -a "$log"
  bash scripts/e2e.sh 2>&1 | tee -a "$log"
fi

# A short run of every fuzz target (coverage-guided; the long runs are scripts/fuzz-campaign.sh).
bash scripts/fuzz-smoke.sh 2>&1 | tee -a "$log"

# Every step above stops the script on a failure (pipefail), so reaching here means none failed.
cargo_passed=$(grep -oE '^test result: ok\. [0-9]+ passed' "$log" | awk '{s += $4} END {print s + 0}')
ui_passed=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -oE '^ +Tests +[0-9]+ passed' | awk '{s += $2} END {print s + 0}')
journeys=$(grep -c 'journey passed' "$log" || true)
fuzz_smoke=$(grep -c '^fuzz smoke: .* passed' "$log" || true)
echo "all: $((cargo_passed + ui_passed + journeys + fuzz_smoke)) passed, 0 failed"

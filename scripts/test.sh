#!/usr/bin/env bash
# Sets up everything the tests need on a fresh Debian 12 machine and runs every test:
# the core's unit tests, the integration tests (CLI end to end, independent tools checking what
# we export) and, once the desktop app exists, its end-to-end tests in the real webview.
# Used as-is by CI (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup-system.sh
source scripts/python-env.sh

export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
# default-members: the core and the CLI; the desktop shell has its own step below. The fuzz
# targets' checks run here over their seed corpus and crash inputs (tests/fuzz_corpus.rs); the
# coverage-guided runs themselves are scripts/fuzz.sh TARGET SECONDS.
cargo test --locked 2>&1

# The desktop app: the UI's unit tests, type check and build (the shell embeds ui/dist), then
# the shell's tests, which include the check that the committed IPC bindings are fresh.
(cd ui && npm ci --no-audit --no-fund && npm run check && npm test && npm run build)
cargo test --locked -p vetted-app 2>&1

# End-to-end journeys in the real webview, headless (Xvfb + tauri-driver); screenshots of each
# step are left in tests/output/e2e/.
bash scripts/e2e.sh

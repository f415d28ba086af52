#!/usr/bin/env bash
# Sets up and launches the Vetted desktop app on a fresh Debian 12 machine: installs the system
# packages, builds the UI and the app, and opens it on the default workspace
# ($VETTED_WORKSPACE, else ~/.local/share/vetted). On first run that workspace is seeded with
# demo users and the sample drafts (scripts/seed-demo-workspace.sh). Arguments are passed on:
# `scripts/run.sh DRAFT` opens DRAFT for a quick check.
#
# The build is a debug build (no release profile on a shared 2-core machine); `tauri build
# --bundles deb` makes the installable package.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-system.sh
(cd ui && npm ci --no-audit --no-fund && npm run build)
ui/node_modules/.bin/tauri build --debug --no-bundle
# First run: a demo workspace with one user per role and the sample drafts (see the script).
export VETTED_WORKSPACE="${VETTED_WORKSPACE:-${XDG_DATA_HOME:-$HOME/.local/share}/vetted}"
bash scripts/seed-demo-workspace.sh "$VETTED_WORKSPACE"
exec ./target/debug/vetted-app "$@"

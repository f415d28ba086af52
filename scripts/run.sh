#!/usr/bin/env bash
# Sets up and launches Vetted on a fresh Debian 12 machine. Until the desktop app lands, this
# builds the CLI and scans the bundled sample drafts, so a new user sees what Vetted finds.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-system.sh
cargo build --release --locked -p vetted
./target/release/vetted scan assets/samples/*

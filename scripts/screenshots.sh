#!/usr/bin/env bash
# Retakes the pictures in docs/screenshots/: runs the `screens` journey (every main screen, in
# English and in 简体中文, on a workspace seeded with the sample drafts) in the real webview
# under Xvfb, then replaces the committed set with what it photographed.
set -euo pipefail
cd "$(dirname "$0")/.."
E2E_ONLY=screens bash scripts/e2e.sh
rm -f docs/screenshots/*.png
cp tests/output/e2e/screens/*.png docs/screenshots/
ls docs/screenshots/*.png

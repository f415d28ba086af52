#!/usr/bin/env bash
# Draws the app icon (an RGBA PNG, as the Tauri bundler requires): a dark seal with a white
# check mark. Run from anywhere; writes icons/icon.png beside this script.
set -euo pipefail
cd "$(dirname "$0")"
/usr/bin/convert -size 256x256 xc:none \
  -fill '#1d3557' -draw 'roundrectangle 8,8 248,248 40,40' \
  -stroke white -strokewidth 22 -fill none -draw 'polyline 64,132 110,180 196,82' \
  PNG32:icon.png

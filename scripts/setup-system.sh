#!/usr/bin/env bash
# Installs the Debian packages Vetted needs to build and to be tested: the Tauri/WebKitGTK
# toolchain, Xvfb and the WebDriver for end-to-end UI tests, and the independent document tools
# (poppler, qpdf, exiftool, LibreOffice) that check our exports. Idempotent: a package that is
# already installed is not fetched again, so a second run costs a few seconds.
set -euo pipefail

packages=(
  # Build toolchain for the desktop shell (see shared NOTES/tauri.md).
  build-essential pkg-config libssl-dev libwebkit2gtk-4.1-dev libayatana-appindicator3-dev
  librsvg2-dev libxdo-dev file
  # Headless UI testing.
  xvfb xauth webkit2gtk-driver imagemagick x11-apps xdotool
  # Independent oracles for what we ingest and export.
  poppler-utils qpdf libimage-exiftool-perl libreoffice-writer-nogui fonts-noto-cjk sqlite3
  # poppler-data: the Adobe CJK CMaps, without which pdftotext drops UniGB-UCS2-H text.
  poppler-data
  # Test-data generators (python-docx, reportlab come from PyPI in a venv).
  python3-venv
  # Peak memory of the batch-scan and resource-limit tests (/usr/bin/time); unshare -n for the
  # offline test, and `ip` to bring the loopback up for the offline app journeys.
  time util-linux iproute2
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

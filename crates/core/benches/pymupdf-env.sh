#!/usr/bin/env bash
# Creates .venv-bench with PyMuPDF from PyPI, for the comparison figure of the pdf_redact bench.
# Kept apart from the test venv: the tests never need PyMuPDF (AGPL, and not an oracle we trust
# more than poppler and qpdf).
set -euo pipefail
cd "$(dirname "$0")/../../.."
if [ ! -x .venv-bench/bin/python ] || ! .venv-bench/bin/python -c 'import pymupdf' 2>/dev/null; then
  python3 -m venv .venv-bench
  .venv-bench/bin/pip install -q --disable-pip-version-check pymupdf==2.0
fi

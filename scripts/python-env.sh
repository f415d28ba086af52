# Sourced by the test and bench scripts: a project-local Python venv holding the independent
# tools from PyPI that check our output (python-docx reads exported DOCX files) and make test
# documents the way real producers do (reportlab writes PDFs, python-docx writes DOCX files).
# Created once, reused after; pinned versions so a test run is repeatable.
venv=".venv"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import docx, reportlab' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check python-docx==1.2.0 reportlab==4.4.10
fi
export VETTED_PYTHON="$PWD/$venv/bin/python"

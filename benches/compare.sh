#!/usr/bin/env bash
# Side-by-side comparison of Vetted with the tools a reviewer would otherwise reach for, in ONE
# run on the same generated inputs. Not run in CI: it installs peers (Presidio and PyMuPDF from
# PyPI into .venv-bench, ripgrep and mat2 from Debian) and builds a release binary.
#
#   benches/compare.sh            # prints a markdown table of wall times and ratios
#
# Every figure is the median wall time of 3 runs of a whole command (a fresh process each
# time), so Vetted's figures include process start-up and, for exports, signing in (Argon2).
# Peers run as their users would run them. Inputs are generated at run time in a temporary
# directory, never committed.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

# --- peers -------------------------------------------------------------------------------------
missing=()
for tool in rg mat2 pdftotext; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ripgrep mat2 poppler-utils (missing: ${missing[*]})" >&2
  apt-get install -y -q ripgrep mat2 poppler-utils >/dev/null
fi
bash crates/core/benches/pymupdf-env.sh
if ! .venv-bench/bin/python -c 'import presidio_analyzer' 2>/dev/null; then
  .venv-bench/bin/pip install -q --disable-pip-version-check presidio-analyzer
fi
# shellcheck disable=SC1091
source scripts/python-env.sh >/dev/null # reportlab and python-docx, to generate the inputs
BENCH_PY=$ROOT/.venv-bench/bin/python

VETTED=${VETTED:-}
if [ -z "$VETTED" ]; then
  cargo build --release --locked --bin vetted >&2
  VETTED=$ROOT/target/release/vetted
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# --- inputs ------------------------------------------------------------------------------------
"$VETTED_PYTHON" - "$WORK" <<'PY'
import random, sys, os
from pathlib import Path
work = Path(sys.argv[1])
rng = random.Random(7)
han = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严"
en = "the of and to in is was for on that with as by at from this be have are an which or not".split()
# The lexicon: 10,000 invented terms (a fifth English phrases, the rest Chinese code names), in
# a rule pack beside the shipped ones for Vetted and as a plain list for ripgrep.
terms = []
for i in range(10000):
    if i % 5 == 0:
        terms.append(f"project {rng.choice(en)} {i}")
    else:
        terms.append("".join(rng.choice(han) for _ in range(rng.randint(3, 6))) + "代号")
lines = []
size = 0
while size < 8 << 20:
    zh = "".join(rng.choice(han) for _ in range(rng.randint(20, 60)))
    words = " ".join(rng.choice(en) for _ in range(rng.randint(6, 14)))
    extra = rng.choice([
        "", "", "", f" contact liu{rng.randint(1, 999)}@example.cn",
        f" 电话 13{rng.randint(100000000, 999999999)}", f" host 10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
        " card 4111 1111 1111 1111", f" {rng.choice(terms)}",
    ])
    line = f"{zh}，{words}。{extra}\n"
    lines.append(line)
    size += len(line.encode())
(work / "text.txt").write_text("".join(lines))

(work / "lexicon.txt").write_text("\n".join(terms) + "\n")
rules = work / "rules"
rules.mkdir()
for f in Path("assets/rules").iterdir():
    (rules / f.name).write_bytes(f.read_bytes())
(rules / "bench_lexicon.txt").write_text("\n".join(terms) + "\n")
(rules / "bench.toml").write_text('''[pack]
id = "bench"
name = { zh = "基准词表", en = "Benchmark lexicon" }

[[rules]]
id = "bench.lexicon"
category = "project"
severity = "medium"
confidence = 0.8
reason = "work_secret"
description = { zh = "项目代号", en = "Project code name" }
lexicon = "bench_lexicon.txt"
''')

# A 300-page PDF in a CJK font, the phrase to redact once on every page.
from reportlab.pdfgen import canvas
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
c = canvas.Canvas(str(work / "report.pdf"))
plan = []
for page in range(300):
    c.setFont("STSong-Light", 10)
    target = rng.randrange(40)
    for row in range(40):
        text = "".join(rng.choice(han) for _ in range(38))
        if row == target:
            text = text[:10] + "95837部队" + text[10:30]
        c.drawString(40, 800 - row * 19, text)
    plan.append([page, 0])
    c.showPage()
c.save()
import json
(work / "plan.json").write_text(json.dumps(plan))

# A DOCX with what mat2 and Vetted both remove: core properties, a comment's worth of
# metadata, and a body to carry it.
import docx
d = docx.Document()
d.core_properties.author = "刘某某"
d.core_properties.comments = "内部讨论稿"
for i in range(400):
    d.add_paragraph("".join(rng.choice(han) for _ in range(80)))
d.add_paragraph("联系人：95837部队 刘某某。")
d.save(str(work / "draft.docx"))
PY

# Presidio's pattern recognizers, run directly: an AnalyzerEngine needs an NLP engine, and every
# one Presidio ships loads a spaCy or stanza model that must be downloaded first. The recognizers
# are PatternRecognizers and analyze text without NLP artifacts. (EmailRecognizer's tldextract
# tries to fetch the public suffix list, fails offline and falls back to its bundled copy: its
# complaint on stderr is expected.)
cat >"$WORK/presidio_scan.py" <<'PY'
import sys
from presidio_analyzer.predefined_recognizers import (
    CreditCardRecognizer, EmailRecognizer, IpRecognizer, PhoneRecognizer)
text = open(sys.argv[1], encoding="utf-8").read()
found = 0
for recognizer in [EmailRecognizer(), PhoneRecognizer(), CreditCardRecognizer(), IpRecognizer()]:
    found += len(recognizer.analyze(text, recognizer.supported_entities, None))
print(found)
PY

# --- the workspace for exports -----------------------------------------------------------------
export VETTED_WORKSPACE=$WORK/ws
as_user() { VETTED_PASSPHRASE="$1-passphrase" "$VETTED" "${@:2}" --as "$1"; }
VETTED_NEW_PASSPHRASE=root-passphrase "$VETTED" init --admin root >/dev/null
for pair in dora:drafter rita:reviewer alan:approver; do
  VETTED_NEW_PASSPHRASE="${pair%%:*}-passphrase" as_user root user add "${pair%%:*}" --role "${pair##*:}" >/dev/null
done
approve() { # FILE PHRASE: imports FILE, redacts every PHRASE and approves; prints the id
  local doc
  doc=$(as_user dora import "$1" | tail -n 1)
  as_user rita mark "$doc" --text "$2" --all --reason state_secret >/dev/null
  as_user rita decide "$doc" --redact all >/dev/null
  as_user rita submit "$doc" >/dev/null
  as_user alan approve "$doc" >/dev/null
  echo "$doc"
}
PDF_DOC=$(approve "$WORK/report.pdf" 95837部队)
DOCX_DOC=$(approve "$WORK/draft.docx" 95837部队)

# --- measurements ------------------------------------------------------------------------------
# median3 CMD...: the median wall time of three runs, in seconds.
median3() {
  local times=()
  for _ in 1 2 3; do
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc -l)")
  done
  printf '%s\n' "${times[@]}" | sort -g | sed -n 2p
}
# cpu3 CMD...: the median CPU time (user + system, the command and its children) of three runs,
# in seconds. Unlike wall time it hardly depends on what else the machine is running, so on a
# shared machine it is the fairer figure for single-threaded work (a one-file scan, Presidio).
cpu3() {
  local times=() TIMEFORMAT='%U %S'
  for _ in 1 2 3; do
    local usage
    usage=$({ time "$@" >/dev/null 2>&1; } 2>&1) || { echo "failed: $*" >&2; exit 1; }
    times+=("$(echo "$usage" | awk '{ print $1 + $2 }')")
  done
  printf '%s\n' "${times[@]}" | sort -g | sed -n 2p
}
n=0
export_pdf() { n=$((n + 1)); as_user alan export "$PDF_DOC" --out "$WORK/out-$n.pdf"; }
export_docx() { n=$((n + 1)); as_user alan export "$DOCX_DOC" --out "$WORK/out-$n.docx"; }
mat2_docx() { cp "$WORK/draft.docx" "$WORK/m.docx" && mat2 "$WORK/m.docx"; }

rows=()
row() { # WHAT VETTED_SECONDS PEER PEER_SECONDS
  # A failed measurement leaves its time empty: the table must not show it as zero.
  [ -n "$2" ] && [ -n "$4" ] || { echo "a measurement failed: $1" >&2; exit 1; }
  rows+=("| $1 | $(printf '%.2f s' "$2") | $3 $(printf '%.2f s' "$4") | $(echo "$4 / $2" | bc -l | xargs printf '%.1f×') |")
}
MB=$(du -m "$WORK/text.txt" | cut -f1)
row "scan ${MB} MB zh/en text, shipped packs (\`vetted scan\`)" \
  "$(median3 "$VETTED" scan --json "$WORK/text.txt")" \
  "Presidio Email/Phone/CreditCard/Ip recognizers" "$(median3 "$BENCH_PY" "$WORK/presidio_scan.py" "$WORK/text.txt")"
row "scan ${MB} MB with a 10,000-term lexicon pack added (\`--rules\`)" \
  "$(median3 "$VETTED" scan --json --rules "$WORK/rules" "$WORK/text.txt")" \
  "\`rg -F -f lexicon\`" "$(median3 rg -c -F -f "$WORK/lexicon.txt" "$WORK/text.txt")"
row "read + scan a 300-page CJK PDF (\`vetted scan\`)" \
  "$(median3 "$VETTED" scan --json "$WORK/report.pdf")" \
  "\`pdftotext\` (extraction only)" "$(median3 pdftotext "$WORK/report.pdf" "$WORK/report.txt")"
row "redact 300 passages in that PDF, verify, record (\`vetted export\`)" \
  "$(median3 export_pdf)" \
  "PyMuPDF \`apply_redactions\` + save (5-run median in-process)" \
  "$("$BENCH_PY" crates/core/benches/pymupdf_redact.py "$WORK/report.pdf" "$WORK/plan.json" 95837部队 |
      "$BENCH_PY" -c 'import json,sys; print(json.load(sys.stdin)["median_ms"] / 1000)')"
row "sanitize + redact a DOCX, verify, record (\`vetted export\`)" \
  "$(median3 export_docx)" \
  "\`mat2\` (metadata only)" "$(median3 mat2_docx)"

# The Presidio row again in CPU time (see cpu3), printed under the table.
scan_cpu=$(cpu3 "$VETTED" scan --json "$WORK/text.txt")
presidio_cpu=$(cpu3 "$BENCH_PY" "$WORK/presidio_scan.py" "$WORK/text.txt")
[ -n "$scan_cpu" ] && [ -n "$presidio_cpu" ] || { echo "a CPU-time measurement failed" >&2; exit 1; }

echo
echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sm); Vetted $("$VETTED" --version 2>/dev/null | tail -n 1); $(date -u +%F)."
echo "Wall time, median of 3 runs; the last column is peer time / Vetted time (above 1: Vetted is faster)."
echo
echo "| what | Vetted | peer | ratio |"
echo "|---|---:|---|---:|"
printf '%s\n' "${rows[@]}"
echo
printf 'CPU time (user + system, median of 3) of the first row: Vetted %.2f s, Presidio %.2f s: %s\n' \
  "$scan_cpu" "$presidio_cpu" "$(echo "$presidio_cpu / $scan_cpu" | bc -l | xargs printf '%.1f×')"

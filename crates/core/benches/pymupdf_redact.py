"""PyMuPDF's redaction of the same file and plan as the `pdf_redact` bench, timed in-process.

    pymupdf_redact.py FILE PLAN.json PHRASE

PLAN.json lists [page, k] pairs: redact the k-th occurrence of PHRASE on 0-based page `page`.
Prints one JSON line: the median of 5 runs in milliseconds (open, search, redact, save) and the
output size. Run by the bench with the interpreter of `.venv-bench` (see pymupdf-env.sh).
"""
import json
import statistics
import sys
import time

import pymupdf

path, plan_path, phrase = sys.argv[1:4]
with open(plan_path) as f:
    plan = json.load(f)
by_page = {}
for page, k in plan:
    by_page.setdefault(page, []).append(k)

times = []
out = b""
for _ in range(5):
    start = time.perf_counter()
    doc = pymupdf.open(path)
    for number, ks in sorted(by_page.items()):
        page = doc[number]
        rects = page.search_for(phrase)
        for k in ks:
            page.add_redact_annot(rects[k], fill=(0, 0, 0))
        page.apply_redactions()
    doc.scrub()
    out = doc.tobytes(garbage=3, deflate=True)
    times.append(time.perf_counter() - start)
print(json.dumps({"median_ms": statistics.median(times) * 1000, "bytes": len(out), "version": pymupdf.VersionBind}))

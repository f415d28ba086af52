"""Writes a long PDF for the page-view journey (tests/e2e/pages.mjs): PAGES pages of A4, each
with forty lines of body text, a page number, and on page 1 a contact line the built-in rules
flag (a mobile number). Generated at test time, never committed.

    $VETTED_PYTHON tests/e2e/make_long_pdf.py OUT.pdf [PAGES]
"""
import sys

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

LINE = "The committee reviewed the annual maintenance schedule for the public library branch {n}."


def main():
    out = sys.argv[1]
    pages = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    c = canvas.Canvas(out, pagesize=A4, invariant=1)
    width, height = A4
    for page in range(1, pages + 1):
        c.setFont("Helvetica-Bold", 14)
        c.drawString(72, height - 72, f"Maintenance report, page {page} of {pages}")
        c.setFont("Helvetica", 10)
        y = height - 100
        if page == 1:
            c.drawString(72, y, "Contact: John Smith, phone 13800138000.")
            y -= 16
        for n in range(40):
            c.drawString(72, y, LINE.format(n=(page - 1) * 40 + n + 1))
            y -= 16
        c.drawString(width / 2 - 10, 40, str(page))
        c.showPage()
    c.save()


if __name__ == "__main__":
    main()

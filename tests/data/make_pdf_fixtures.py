"""Makes the producer-made PDF fixtures of the PDF reader and redactor tests.

    source scripts/python-env.sh && $VETTED_PYTHON tests/data/make_pdf_fixtures.py

- reportlab.pdf: reportlab 4.4.10 (pinned in the venv): Helvetica without /Widths, a word
  spaced with Tw, and Chinese in STSong-Light (Type0, UniGB-UCS2-H, no ToUnicode).
- libreoffice.pdf: LibreOffice (soffice --headless --convert-to pdf) of libreoffice.html, a
  small page of Chinese and English text; LibreOffice writes subset TrueType fonts with ToUnicode
  and a TJ number between most glyphs.
Both are deterministic enough for the tests (which compare against pdftotext, not bytes).
"""
import os
import shutil
import subprocess
import tempfile

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

HERE = os.path.dirname(os.path.abspath(__file__))


def reportlab_pdf():
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = os.path.join(HERE, "reportlab.pdf")
    c = canvas.Canvas(path, pagesize=A4, invariant=1, pageCompression=0)
    c.setTitle("Procurement notice")
    c.setAuthor("Zhang San")
    c.setFont("Helvetica", 12)
    c.drawString(72, 770, "Procurement notice for the radar station upgrade")
    c.drawString(72, 750, "Contact: John Smith, phone 13800138000.")
    t = c.beginText(72, 730)
    t.setFont("Helvetica-Bold", 11)
    t.setWordSpace(3)
    t.textLine("Delivery site: Building 7, North Campus")
    c.drawText(t)
    c.setFont("STSong-Light", 14)
    c.drawString(72, 700, "采购公告：雷达站升级改造项目")
    c.drawString(72, 680, "联系人：张三，电话 13800138000")
    c.showPage()
    c.setFont("Times-Roman", 12)
    c.drawString(72, 770, "Page two keeps the public schedule.")
    c.save()


HTML = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>通知</title></head><body>
<h1>Notice 通知</h1>
<p>关于开展保密检查工作的通知</p>
<p>The inspection team will visit the office on Monday.</p>
<p>联系人：李四，电话 010-12345678。</p>
<p>Efficient filing of official documents is required.</p>
</body></html>
"""


def libreoffice_pdf():
    with tempfile.TemporaryDirectory() as tmp:
        html = os.path.join(tmp, "libreoffice.html")
        with open(html, "w", encoding="utf-8") as f:
            f.write(HTML)
        subprocess.run(
            ["soffice", "--headless", f"-env:UserInstallation=file://{tmp}/profile",
             "--convert-to", "pdf:writer_pdf_Export", "--outdir", tmp, html],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=240)
        shutil.copy(os.path.join(tmp, "libreoffice.pdf"), os.path.join(HERE, "libreoffice.pdf"))


if __name__ == "__main__":
    reportlab_pdf()
    libreoffice_pdf()

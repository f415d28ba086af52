"""Makes the DOCX fixtures the way real producers do.

- docx_python.docx: written by python-docx 1.2.0, then post-edited with its own XML API for what
  python-docx cannot write (tracked changes, a footnote, a text box, a phrase split across three
  runs around a bookmark and a proofing mark).
- docx_libreoffice.docx: the same document opened and re-saved as DOCX by LibreOffice
  (`soffice --headless --convert-to docx`), which rewrites every part its own way.

Run from the repository root with the project venv: `source scripts/python-env.sh &&
$VETTED_PYTHON tests/data/make_docx_fixtures.py`. Both files carry: body text, a header, a
footer, a footnote, a comment, a tracked insertion and deletion, hidden text, a text box, core
properties naming a person, and the split phrase "95837部队".
"""

import os
import shutil
import subprocess
import sys
import tempfile

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.shared import Pt

HERE = os.path.dirname(os.path.abspath(__file__))
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
NAMESPACES = (
    W + ' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
    ' xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"'
    ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
    ' xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
    ' xmlns:v="urn:schemas-microsoft-com:vml"'
)


def python_docx(path):
    document = docx.Document()
    props = document.core_properties
    props.author = "张三"
    props.title = "采购计划"
    props.last_modified_by = "李四"
    props.comments = "内部审阅稿"

    section = document.sections[0]
    section.header.paragraphs[0].text = "页眉 某研究所"
    section.footer.paragraphs[0].text = "页脚 第一页"

    document.add_paragraph("公开通知：本年度采购计划如下。")
    commented = document.add_paragraph("请各单位于月底前报送材料。")
    document.add_comment(commented.runs, text="此处需核实 95837部队", author="王五", initials="WW")

    hidden = document.add_paragraph("可见文字")
    run = hidden.add_run("隐藏的秘密")
    run.font.hidden = True
    hidden.add_run("结尾")

    # A phrase split across three runs, with a proofing mark and a bookmark between them.
    split = document.add_paragraph()
    split._p.append(parse_xml(
        f'<w:r {W}><w:t xml:space="preserve">驻地为</w:t></w:r>'))
    split._p.append(parse_xml(f'<w:r {W}><w:t>958</w:t></w:r>'))
    split._p.append(parse_xml(f'<w:proofErr {W} w:type="spellStart"/>'))
    split._p.append(parse_xml(f'<w:bookmarkStart {W} w:id="0" w:name="unit"/>'))
    split._p.append(parse_xml(f'<w:r {W}><w:rPr><w:b/></w:rPr><w:t>37</w:t></w:r>'))
    split._p.append(parse_xml(f'<w:bookmarkEnd {W} w:id="0"/>'))
    split._p.append(parse_xml(f'<w:proofErr {W} w:type="spellEnd"/>'))
    split._p.append(parse_xml(f'<w:r {W}><w:t xml:space="preserve">部队，联系人赵六。</w:t></w:r>'))

    # Tracked changes: an insertion and a deletion by named authors.
    tracked = document.add_paragraph()
    tracked._p.append(parse_xml(f'<w:r {W}><w:t xml:space="preserve">经费 </w:t></w:r>'))
    tracked._p.append(parse_xml(
        f'<w:ins {W} w:id="10" w:author="李四" w:date="2026-01-01T00:00:00Z">'
        '<w:r><w:t xml:space="preserve">已批准 </w:t></w:r></w:ins>'))
    tracked._p.append(parse_xml(
        f'<w:del {W} w:id="11" w:author="李四" w:date="2026-01-01T00:00:00Z">'
        '<w:r><w:delText xml:space="preserve">原定三百万元 </w:delText></w:r></w:del>'))
    tracked._p.append(parse_xml(f'<w:r {W}><w:t>按期执行。</w:t></w:r>'))

    # A text box, in both the DrawingML (Choice) and VML (Fallback) forms Word writes.
    box_paragraph = f'<w:p><w:r><w:t>文本框内容</w:t></w:r></w:p>'
    boxed = document.add_paragraph("文本框锚点")
    boxed._p.append(parse_xml(
        f'<w:r {NAMESPACES}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        '<wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0" relativeHeight="1"'
        ' behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        '<wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>'
        '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
        '<wp:extent cx="1828800" cy="457200"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
        '<wp:docPr id="1" name="Text Box 1"/><wp:cNvGraphicFramePr/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/>'
        '<a:ext cx="1828800" cy="457200"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></wps:spPr>'
        f'<wps:txbx><w:txbxContent>{box_paragraph}</w:txbxContent></wps:txbx><wps:bodyPr/></wps:wsp>'
        '</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict>'
        '<v:shape id="Text Box 1" style="position:absolute;width:144pt;height:36pt" type="#_x0000_t202">'
        f'<v:textbox><w:txbxContent>{box_paragraph}</w:txbxContent></v:textbox></v:shape></w:pict>'
        '</mc:Fallback></mc:AlternateContent></w:r>'))

    # A footnote: python-docx has no API for it, so the part is added by hand.
    noted = document.add_paragraph("正文引用")
    noted._p.append(parse_xml(
        f'<w:r {W}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteReference w:id="1"/></w:r>'))
    footnotes = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes {W}>'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
        '<w:footnote w:id="1"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>'
        '<w:r><w:t xml:space="preserve"> 脚注内容。</w:t></w:r></w:p></w:footnote></w:footnotes>'
    ).encode()
    part = Part(PackURI("/word/footnotes.xml"),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
                footnotes, document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)

    document.add_paragraph("最后一段。")
    document.save(path)


def libreoffice(source, path):
    with tempfile.TemporaryDirectory() as work:
        profile = os.path.join(work, "profile")
        staged = os.path.join(work, "in.docx")
        shutil.copy(source, staged)
        out = os.path.join(work, "out")
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
             "--convert-to", "docx:MS Word 2007 XML", "--outdir", out, staged],
            check=True, stdout=subprocess.DEVNULL)
        shutil.copy(os.path.join(out, "in.docx"), path)


if __name__ == "__main__":
    made = os.path.join(HERE, "docx_python.docx")
    python_docx(made)
    libreoffice(made, os.path.join(HERE, "docx_libreoffice.docx"))
    print("wrote", made, "and docx_libreoffice.docx", file=sys.stderr)

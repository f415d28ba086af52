"""Makes the DOCX and PDF sample drafts under assets/samples/ (called by make_samples.sh).

信息公开-草稿.docx is written by python-docx, then given what Word leaves behind and a reader
never sees: a reviewer's comment with its author, a tracked deletion, hidden text, and
identifying document properties. 新闻稿-草稿.pdf is that kind of draft as LibreOffice exports
it from a DOCX, with the title and author it carries into /Info. Every name, number and place
is invented.
"""
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import docx

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def disclosure_notice(path: Path) -> None:
    d = docx.Document()
    d.core_properties.author = "张伟（保密办）"
    d.core_properties.title = "关于95837部队营区周边道路施工的信息公开"
    d.core_properties.comments = "内部审阅稿，勿外传"
    d.add_heading("政府信息公开：道路施工通告（草稿）", level=1)
    d.add_paragraph("因道路改造，城北路（北纬39°54′ 东经116°23′ 一带）将于12月分段封闭施工。")
    d.add_paragraph("施工区域邻近军事管理区，禁止拍摄，请市民绕行。")
    p = d.add_paragraph("咨询电话：010-63451234，联系人手机 13800138000。")
    d.add_paragraph("本通告自发布之日起施行。")
    # A hidden paragraph: in the file, not on the page.
    hidden = d.add_paragraph().add_run("施工保障单位：95837部队工兵分队")
    hidden.font.hidden = True
    d.save(path)
    _add_review_traces(path, p)


def _add_review_traces(path: Path, _paragraph) -> None:
    """Adds a comment and a tracked deletion, which python-docx cannot write."""
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    body = parts["word/document.xml"].decode("utf-8")
    deleted = (
        f'<w:del w:id="90" w:author="李四" w:date="2026-11-20T09:00:00Z"><w:r>'
        f"<w:delText>（原定配合95837部队演习时段）</w:delText></w:r></w:del>"
    )
    body = body.replace("将于12月分段封闭施工。</w:t></w:r>", "将于12月分段封闭施工。</w:t></w:r>" + deleted, 1)
    commented = (
        '<w:commentRangeStart w:id="0"/><w:r><w:t>本通告自发布之日起施行。</w:t></w:r>'
        '<w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r>'
    )
    body = re.sub(r"<w:r><w:t>本通告自发布之日起施行。</w:t></w:r>", commented, body, count=1)
    parts["word/document.xml"] = body.encode("utf-8")
    parts["word/comments.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:comments xmlns:w="{W}">'
        '<w:comment w:id="0" w:author="王五" w:initials="WW"><w:p><w:r>'
        "<w:t>施工时段与部队演习冲突，公开前请删除部队番号。</w:t></w:r></w:p></w:comment></w:comments>"
    ).encode("utf-8")
    rels = parts["word/_rels/document.xml.rels"].decode("utf-8")
    rels = rels.replace(
        "</Relationships>",
        '<Relationship Id="rIdComments" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/comments" Target="comments.xml"/></Relationships>',
    )
    parts["word/_rels/document.xml.rels"] = rels.encode("utf-8")
    types = parts["[Content_Types].xml"].decode("utf-8")
    types = types.replace(
        "</Types>",
        '<Override PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.wordprocessingml.comments+xml"/></Types>',
    )
    parts["[Content_Types].xml"] = types.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def press_release(path: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "新闻稿-草稿.docx"
        d = docx.Document()
        d.core_properties.author = "宣传处 赵六"
        d.core_properties.title = "新闻稿：某型雷达维修保障项目顺利验收"
        d.add_heading("新闻稿（草稿）", level=1)
        d.add_paragraph("11月20日，某型雷达维修保障项目在95837部队顺利通过验收。")
        d.add_paragraph("项目设备工作频段 2.5 GHz 至 2.7 GHz，型号 XX-12，探测距离 300 公里。")
        d.add_paragraph("验收组组长张伟表示，项目按期完成。联系邮箱 press@example.cn。")
        d.add_paragraph("SECRET//NOFORN — internal draft, not for release.")
        d.save(source)
        profile = Path(tmp) / "profile"
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
             "--convert-to", "pdf", "--outdir", tmp, str(source)],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        path.write_bytes((Path(tmp) / "新闻稿-草稿.pdf").read_bytes())


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    disclosure_notice(out / "信息公开-草稿.docx")
    press_release(out / "新闻稿-草稿.pdf")

//! DOCX end to end: real producers' files read as a reader sees them (LibreOffice as the
//! oracle), every hidden item reported, bad files refused in one line by the CLI.

use std::path::Path;
use std::process::Command;

use vetted_core::{Document, HiddenKind, Limits, ingest};

use crate::util::{data, run, stderr, stdout};

pub fn read(name: &str) -> (Vec<u8>, Document) {
    let bytes = std::fs::read(data(name)).unwrap();
    let document = ingest::read(&bytes, Some(name), &Limits::default()).unwrap();
    (bytes, document)
}

/// Converts `file` with headless LibreOffice to `format` (`txt:Text (encoded):UTF8`, `pdf`) in
/// `out_dir` and returns the output's path. Fails loudly when LibreOffice is missing.
pub fn soffice_convert(file: &Path, format: &str, out_dir: &Path) -> std::path::PathBuf {
    let profile = out_dir.join("lo-profile");
    let output = Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--convert-to", format, "--outdir"])
        .arg(out_dir)
        .arg(file)
        .output()
        .expect("LibreOffice (soffice) must be installed: run scripts/setup-system.sh");
    assert!(output.status.success(), "soffice failed: {}", String::from_utf8_lossy(&output.stderr));
    let extension = format.split(':').next().unwrap();
    let converted = out_dir.join(file.file_stem().unwrap()).with_extension(extension);
    assert!(converted.exists(), "soffice wrote no {}", converted.display());
    converted
}

/// What both fixtures show a reader, paragraph by paragraph, in our story order: body (a text
/// box's paragraph after its anchor), header, footer, footnote.
const FIXTURE_VISIBLE: &[&str] = &[
    "公开通知：本年度采购计划如下。",
    "请各单位于月底前报送材料。",
    "可见文字结尾",
    "驻地为95837部队，联系人赵六。",
    "经费 已批准 按期执行。",
    "文本框锚点",
    "文本框内容",
    "正文引用",
    "最后一段。",
    "页眉 某研究所",
    "页脚 第一页",
    " 脚注内容。",
];

fn visible_paragraphs(document: &Document) -> Vec<&str> {
    document
        .blocks()
        .iter()
        .filter(|b| b.hidden.is_none())
        .map(|b| document.slice(b.start, b.end))
        .filter(|t| !t.trim().is_empty())
        .collect()
}

fn hidden_of(document: &Document, kind: HiddenKind) -> Vec<&str> {
    document.hidden_items().iter().filter(|i| i.kind == kind).map(|i| i.text.as_str()).collect()
}

#[test]
fn producer_fixtures_read_as_a_reader_sees_them() {
    for name in ["docx_python.docx", "docx_libreoffice.docx"] {
        let (_, document) = read(name);
        assert_eq!(visible_paragraphs(&document), FIXTURE_VISIBLE, "{name}");
        assert_eq!(hidden_of(&document, HiddenKind::TrackedDeletion), ["原定三百万元 "], "{name}");
        assert_eq!(hidden_of(&document, HiddenKind::TrackedInsertion), ["已批准 "], "{name}");
        assert_eq!(hidden_of(&document, HiddenKind::HiddenText), ["隐藏的秘密"], "{name}");
        assert_eq!(hidden_of(&document, HiddenKind::Comment), ["此处需核实 95837部队"], "{name}");
        let authors = hidden_of(&document, HiddenKind::Author);
        assert!(authors.contains(&"李四") && authors.contains(&"王五"), "{name}: {authors:?}");
        let metadata = hidden_of(&document, HiddenKind::Metadata);
        assert!(metadata.contains(&"张三") && metadata.contains(&"采购计划"), "{name}: {metadata:?}");
    }
}

/// LibreOffice's text export is the oracle for the body. It differs from what a reader sees in
/// three documented ways, each undone here: it prints tracked deletions and hidden text (both
/// are our hidden items), it prints a footnote's number where the reference is (Word computes
/// the number; it is not text in the file), and it leaves out text boxes, headers, footers and
/// footnotes (ours come from their own parts and paragraphs).
#[test]
fn libreoffice_text_export_agrees_with_our_body_text() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["docx_python.docx", "docx_libreoffice.docx"] {
        let (_, document) = read(name);
        let txt = soffice_convert(&data(name), "txt:Text (encoded):UTF8", dir.path());
        let mut theirs = std::fs::read_to_string(&txt).unwrap().trim_start_matches('\u{feff}').to_owned();
        for kind in [HiddenKind::TrackedDeletion, HiddenKind::HiddenText] {
            for text in hidden_of(&document, kind) {
                theirs = theirs.replacen(text, "", 1);
            }
        }
        let theirs: Vec<String> = theirs
            .lines()
            .map(|l| l.trim_end_matches(|c: char| c.is_ascii_digit()).trim().to_owned())
            .filter(|l| !l.is_empty())
            .collect();
        let ours: Vec<String> = document
            .blocks()
            .iter()
            .filter(|b| b.hidden.is_none() && b.location.part.as_deref() == Some("word/document.xml"))
            .map(|b| document.slice(b.start, b.end).trim().to_owned())
            .filter(|t| !t.is_empty() && t != "文本框内容")
            .collect();
        assert_eq!(ours, theirs, "{name}");
    }
}

#[test]
fn scan_json_reports_a_docx_and_its_hidden_findings() {
    let out = run(&["scan", "--json", data("docx_python.docx").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["format"], "docx");
    assert!(json["findings"].is_array());
}

#[test]
fn scan_of_a_broken_docx_prints_one_line_naming_it_and_exits_one() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.docx");
    let good = std::fs::read(data("docx_python.docx")).unwrap();
    std::fs::write(&bad, &good[..good.len() / 3]).unwrap();
    let out = run(&["scan", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("bad.docx") && err.contains("not a valid DOCX"), "{err}");
}

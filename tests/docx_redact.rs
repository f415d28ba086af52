//! DOCX export checked by tools that are not ours: LibreOffice (text and PDF conversion),
//! poppler (`pdftotext`, `pdfinfo`) and python-docx. Each test asserts both sides: what was
//! redacted or hidden is nowhere, and everything else a reader saw is still there.

use std::path::Path;
use std::process::Command;

use proptest::prelude::*;
use vetted_core::{Document, Export, Format, Limits, MarkStyle, PlannedRange, RedactionPlan, ingest, redact};

use crate::docx::{read, soffice_convert};

/// Visible passages the plan removes: split across three runs, in the body, a text box, the
/// header and a footnote.
const REDACTED: &[&str] = &["95837部队", "赵六", "文本框内容", "某研究所", "脚注内容"];
/// Hidden content the export must not carry either (comment, deletion, hidden run, authors,
/// document properties; the title, 采购计划, is also visible text and is checked in `pdfinfo`).
const HIDDEN: &[&str] = &["此处需核实", "原定三百万元", "隐藏的秘密", "李四", "王五", "张三", "内部审阅稿"];
/// Visible text that must survive, as LibreOffice and python-docx read it.
const KEPT: &[&str] = &[
    "公开通知：本年度采购计划如下。",
    "请各单位于月底前报送材料。",
    "可见文字结尾",
    "驻地为",
    "，联系人",
    "经费 已批准 按期执行。",
    "文本框锚点",
    "正文引用",
    "最后一段。",
];

fn plan_for(document: &Document, phrases: &[&str], style: MarkStyle) -> RedactionPlan {
    let visible = document.visible_text();
    let mut ranges = Vec::new();
    for phrase in phrases {
        let before = ranges.len();
        for (byte, _) in visible.match_indices(phrase) {
            let start = document.char_offset(byte);
            ranges.push(PlannedRange {
                start,
                end: start + phrase.chars().count(),
                reason: "工作秘密".into(),
            });
        }
        assert!(ranges.len() > before, "{phrase:?} is not visible");
    }
    RedactionPlan { ranges, areas: Vec::new(), style }
}

fn export(name: &str, style: MarkStyle) -> Export {
    let (bytes, document) = read(name);
    redact(&bytes, Format::Docx, &plan_for(&document, REDACTED, style), &Limits::default()).unwrap()
}

fn python() -> String {
    std::env::var("VETTED_PYTHON").expect("VETTED_PYTHON must be set: source scripts/python-env.sh")
}

/// Everything python-docx reads from a DOCX (paragraphs, tables, headers, footers, comments,
/// core properties), then every decompressed part of the archive, raw.
const PYTHON_DUMP: &str = r#"
import sys, zipfile, docx
d = docx.Document(sys.argv[1])
out = [p.text for p in d.paragraphs]
for s in d.sections:
    out += [p.text for p in s.header.paragraphs] + [p.text for p in s.footer.paragraphs]
out += [c.text for c in d.comments]
cp = d.core_properties
out += ["CORE:" + str(v) for v in (cp.author, cp.title, cp.last_modified_by, cp.comments, cp.subject, cp.keywords) if v]
print("\n".join(out))
print("=== RAW")
with zipfile.ZipFile(sys.argv[1]) as z:
    for n in z.namelist():
        print(n, z.read(n).decode("utf-8", "replace"))
"#;

fn python_docx_dump(file: &Path) -> (String, String) {
    let output = Command::new(python()).args(["-c", PYTHON_DUMP]).arg(file).output().expect("python runs");
    assert!(output.status.success(), "python-docx failed: {}", String::from_utf8_lossy(&output.stderr));
    let all = String::from_utf8(output.stdout).unwrap();
    let (read, raw) = all.split_once("=== RAW").unwrap();
    (read.to_owned(), raw.to_owned())
}

fn assert_clean(what: &str, text: &str, kept: &[&str]) {
    for gone in REDACTED.iter().chain(HIDDEN) {
        if let Some(at) = text.find(gone) {
            let before: Vec<char> = text[..at].chars().rev().take(100).collect();
            let context: String = before.into_iter().rev().chain(text[at..].chars().take(100)).collect();
            panic!("{what} still holds {gone:?}: ...{context}...");
        }
    }
    for stays in kept {
        let start: String = text.chars().take(1000).collect();
        assert!(text.contains(stays), "{what} lost {stays:?}; it begins:\n{start}");
    }
}

#[test]
fn python_docx_and_a_raw_search_find_nothing_redacted_or_hidden() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["docx_python.docx", "docx_libreoffice.docx"] {
        let file = dir.path().join(name);
        std::fs::write(&file, export(name, MarkStyle::Blocks).bytes).unwrap();
        let (read, raw) = python_docx_dump(&file);
        assert_clean(&format!("python-docx reading {name}"), &read, KEPT);
        assert!(!read.contains("CORE:"), "core properties survive in {name}: {read}");
        // The raw search covers every part, including those python-docx does not read:
        // footnotes, the text box's fallback copy, settings, relationships.
        assert_clean(&format!("the raw parts of {name}"), &raw, &["<w:t>███████</w:t>"]);
    }
}

#[test]
fn libreoffice_reads_the_export_without_what_was_removed() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["docx_python.docx", "docx_libreoffice.docx"] {
        let file = dir.path().join(name);
        std::fs::write(&file, export(name, MarkStyle::Label).bytes).unwrap();
        let txt = soffice_convert(&file, "txt:Text (encoded):UTF8", dir.path());
        let text = std::fs::read_to_string(txt).unwrap();
        assert_clean(&format!("LibreOffice's text of {name}"), &text, KEPT);
        assert!(text.contains("驻地为[删除: 工作秘密]，联系人[删除: 工作秘密]。"), "{text}");
    }
}

/// NOTES case 26: LibreOffice copied the DOCX title and author into the PDF's Info dictionary.
#[test]
fn a_pdf_made_from_the_export_leaks_nothing_in_text_or_info() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["docx_python.docx", "docx_libreoffice.docx"] {
        let file = dir.path().join(name);
        std::fs::write(&file, export(name, MarkStyle::Blocks).bytes).unwrap();
        let pdf = soffice_convert(&file, "pdf", dir.path());
        let text = poppler("pdftotext", &pdf, &["-enc", "UTF-8"], Some("-"));
        let kept: Vec<&str> = KEPT.iter().copied().chain(["页眉", "页脚 第一页"]).collect();
        // pdftotext keeps the words but may wrap lines and move text boxes; compare without
        // whitespace.
        let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let kept: Vec<String> =
            kept.iter().map(|k| k.chars().filter(|c| !c.is_whitespace()).collect()).collect();
        assert_clean(
            &format!("pdftotext of {name}"),
            &squeezed,
            &kept.iter().map(String::as_str).collect::<Vec<_>>(),
        );
        let info = poppler("pdfinfo", &pdf, &[], None);
        assert_clean(&format!("pdfinfo of {name}"), &info, &[]);
        assert!(!info.contains("采购计划"), "the title leaks into the PDF of {name}: {info}");
    }
}

fn poppler(tool: &str, file: &Path, args: &[&str], out: Option<&str>) -> String {
    let output = Command::new(tool)
        .args(args)
        .arg(file)
        .args(out)
        .output()
        .unwrap_or_else(|e| panic!("{tool} (poppler-utils) must be installed: {e}"));
    assert!(output.status.success(), "{tool} failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn exporting_a_producer_file_twice_gives_identical_bytes() {
    for name in ["docx_python.docx", "docx_libreoffice.docx"] {
        assert_eq!(export(name, MarkStyle::Blocks).bytes, export(name, MarkStyle::Blocks).bytes, "{name}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Random plans over a producer file: every export verifies, and no redacted passage of
    /// three or more characters that occurs once in the original is readable in the export.
    #[test]
    fn random_plans_never_leave_a_redacted_string(
        spans in prop::collection::vec((0usize..1000, 1usize..12), 1..6),
        label in any::<bool>(),
    ) {
        let (bytes, document) = read("docx_libreoffice.docx");
        let visible = document.visible_char_len();
        let ranges: Vec<PlannedRange> = spans
            .iter()
            .map(|&(start, len)| {
                let start = start % visible;
                PlannedRange { start, end: (start + len).min(visible), reason: "r".into() }
            })
            .collect();
        let style = if label { MarkStyle::Label } else { MarkStyle::Blocks };
        let plan = RedactionPlan { ranges: ranges.clone(), areas: Vec::new(), style };
        let export = redact(&bytes, Format::Docx, &plan, &Limits::default()).unwrap();
        let after = ingest::read_as(&export.bytes, Format::Docx, &Limits::default()).unwrap();
        for range in &ranges {
            let passage = document.slice(range.start, range.end).trim();
            if passage.chars().count() >= 3 && document.visible_text().matches(passage).count() == 1 {
                prop_assert!(!after.visible_text().contains(passage), "{passage:?} survived");
            }
        }
        prop_assert!(after.hidden_items().is_empty());
    }
}

//! A document's whole life through the CLI, by three different people, for every format the
//! workspace handles, with the export checked by tools other than Vetted.

use std::path::Path;
use std::process::Command;

use super::Office;

/// One format's walk: the file to import, a manual mark, and what an independent reader of the
/// export must and must not see. Every finding the rules make is redacted too.
struct Fixture {
    name: &'static str,
    bytes: Vec<u8>,
    /// The reviewer's manual mark: `--text PHRASE --all`, or `--area X,Y,W,H` on a picture.
    mark: &'static [&'static str],
    /// Gone from the export: the marked phrase, flagged passages, hidden content.
    gone: &'static [&'static str],
    /// Still in the export, as its readers see it.
    kept: &'static [&'static str],
    /// The export as a tool other than Vetted reads it (text and metadata).
    read_back: fn(&Path) -> String,
}

fn fixtures() -> Vec<Fixture> {
    vec![
        Fixture {
            name: "notice.txt",
            bytes: "采购公告\n本项目由95837部队使用，联系95837部队。\n预算100万元。\n".as_bytes().to_vec(),
            mark: &["--text", "95837部队", "--all"],
            gone: &["95837部队"],
            kept: &["采购公告", "预算100万元"],
            read_back: utf8_text,
        },
        Fixture {
            name: "notice.md",
            bytes: "# 新闻稿\n\n演习地点：**某军事管理区**，坐标保密。\n".as_bytes().to_vec(),
            mark: &["--text", "军事管理区", "--all"],
            gone: &["军事管理区"],
            kept: &["# 新闻稿", "坐标保密"],
            read_back: utf8_text,
        },
        Fixture {
            name: "procurement.docx",
            bytes: data("docx_python.docx"),
            // The contact's name; the unit designator split across runs is a finding.
            mark: &["--text", "赵六", "--all"],
            gone: &["赵六", "95837部队", "此处需核实", "隐藏的秘密", "原定三百万元", "张三", "内部审阅稿"],
            kept: &["公开通知：本年度采购计划如下。", "请各单位于月底前报送材料。"],
            read_back: python_docx_text,
        },
        Fixture {
            name: "procurement.pdf",
            bytes: data("reportlab.pdf"),
            // The contact's name; the phone numbers are findings; the Info author is hidden.
            mark: &["--text", "John Smith", "--all"],
            gone: &["John Smith", "13800138000", "Zhang San"],
            kept: &[
                "Procurement notice for the radar station upgrade",
                "Page two keeps the public schedule.",
            ],
            read_back: poppler_text,
        },
        Fixture {
            name: "site.jpg",
            bytes: data("photo.jpg"),
            // The building in the picture; GPS, serial numbers and names are hidden findings.
            mark: &["--area", "10,30,50,30"],
            gone: &["39.904211", "116.407394", "032021001234", "Zhang San", "Li Si", "site visit"],
            kept: &["JPEG"],
            read_back: exiftool_text,
        },
    ]
}

fn data(name: &str) -> Vec<u8> {
    std::fs::read(crate::util::data(name)).unwrap()
}

/// The export checked by `iconv` (valid UTF-8) and `file` (text), then its text.
fn utf8_text(export: &Path) -> String {
    let iconv = tool("iconv", &["-f", "UTF-8", "-t", "UTF-8"], export, &[]);
    let kind = tool("file", &["-b"], export, &[]);
    assert!(kind.contains("UTF-8") && kind.contains("text"), "file says: {kind}");
    iconv
}

/// What python-docx reads (paragraphs, tables, headers, footers, comments, core properties),
/// then every part of the archive as raw text, where a tracked deletion or a leftover would be.
fn python_docx_text(export: &Path) -> String {
    const READ: &str = r#"
import sys, docx
d = docx.Document(sys.argv[1])
out = [p.text for p in d.paragraphs]
out += [c.text for t in d.tables for r in t.rows for c in r.cells]
for s in d.sections:
    out += [p.text for p in s.header.paragraphs] + [p.text for p in s.footer.paragraphs]
out += [c.text for c in d.comments]
cp = d.core_properties
out += [str(v) for v in (cp.author, cp.title, cp.last_modified_by, cp.comments, cp.subject, cp.keywords) if v]
print("\n".join(out))
import zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    for name in z.namelist():
        print(name, z.read(name).decode("utf-8", "replace"))
"#;
    let python =
        std::env::var("VETTED_PYTHON").expect("VETTED_PYTHON must be set: source scripts/python-env.sh");
    tool(&python, &["-c", READ], export, &[])
}

/// What poppler reads: the text of every page, then the document information.
fn poppler_text(export: &Path) -> String {
    tool("pdftotext", &["-enc", "UTF-8"], export, &["-"]) + &tool("pdfinfo", &[], export, &[])
}

/// Every metadata tag exiftool reads from the picture, with its type.
fn exiftool_text(export: &Path) -> String {
    tool("exiftool", &["-a", "-G1", "-n"], export, &[])
}

/// Runs `program BEFORE FILE AFTER`, which must succeed, and returns its stdout.
fn tool(program: &str, before: &[&str], file: &Path, after: &[&str]) -> String {
    let out = Command::new(program)
        .args(before)
        .arg(file)
        .args(after)
        .output()
        .unwrap_or_else(|e| panic!("{program} must be installed (scripts/setup-system.sh): {e}"));
    assert!(
        out.status.success(),
        "{program} failed on {}: {}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn each_format_walks_from_import_to_a_verified_export_and_an_audit_report() {
    for fixture in fixtures() {
        walk(&fixture);
    }
}

fn walk(fixture: &Fixture) {
    let office = Office::new();
    let draft = office.path(fixture.name);
    std::fs::write(&draft, &fixture.bytes).unwrap();
    // The independent reader sees everything in the draft: otherwise its silence about the
    // export would prove nothing.
    let original = (fixture.read_back)(&draft);
    for expected in fixture.gone.iter().chain(fixture.kept) {
        assert!(
            original.contains(expected),
            "{}: the reader does not see {expected:?} in the draft:\n{original}",
            fixture.name
        );
    }
    let doc = office.import(&draft);
    assert_eq!(doc, "D1", "{}", fixture.name);

    // Findings: the scan's objects, each with its status.
    let findings: serde_json::Value =
        serde_json::from_str(&office.ok(&["findings", &doc, "--json"])).unwrap();
    for finding in findings.as_array().unwrap() {
        assert_eq!(finding["status"], "open", "{finding}");
        assert!(finding["rule"].is_string() && finding["start"].is_u64(), "{finding}");
    }

    let mut mark = vec!["mark", doc.as_str()];
    mark.extend(fixture.mark);
    mark.extend(["--reason", "state_secret"]);
    office.ok_as("rita", &mark);
    office.ok_as("rita", &["decide", &doc, "--redact", "all"]);
    office.ok_as("rita", &["submit", &doc]);
    let out = office.path(&format!("public-{}", fixture.name));
    let out_arg = out.to_str().unwrap();
    let refused = office.refused_as("alan", &["export", &doc, "--out", out_arg]);
    assert!(refused.contains("review_complete"), "{refused}");
    assert!(!out.exists(), "a refused export wrote a file");
    office.ok_as("alan", &["approve", &doc, "--comment", "同意公开"]);
    // The global option is accepted after the subcommand as well as before it.
    let exported = office
        .command(Some("alan"))
        .args(["export", &doc, "--out", out_arg, "--as", "alan", "--workspace"])
        .arg(office.workspace())
        .output()
        .unwrap();
    super::succeeded(&exported, "export");
    let read_back = (fixture.read_back)(&out);
    for gone in fixture.gone {
        assert!(!read_back.contains(gone), "{}: {gone:?} survived the export:\n{read_back}", fixture.name);
    }
    for kept in fixture.kept {
        assert!(
            read_back.contains(kept),
            "{}: {kept:?} is missing from the export:\n{read_back}",
            fixture.name
        );
    }

    let findings: serde_json::Value =
        serde_json::from_str(&office.ok(&["findings", &doc, "--json"])).unwrap();
    assert!(findings.as_array().unwrap().iter().all(|f| f["status"] == "redact"), "{findings}");

    let verified = office.ok(&["audit", "verify"]);
    let entries = office.actions(None).len();
    assert!(verified.contains(&format!("intact: {entries} entries, head ")), "{verified}");
    let status: serde_json::Value = serde_json::from_str(&office.ok(&["audit", "verify", "--json"])).unwrap();
    assert_eq!(
        (status["status"].as_str(), status["entries"].as_u64()),
        (Some("intact"), Some(entries as u64))
    );
    assert!(verified.trim_end().ends_with(status["head"].as_str().unwrap()), "{verified} / {status}");
    assert_eq!(
        office.actions(Some(&doc)),
        ["import", "scan", "mark", "decide", "submit", "approve", "export"],
        "{}",
        fixture.name
    );

    // The review record as CSV and as DOCX (read back by LibreOffice) lists every sign-off.
    let csv_path = office.path("record.csv");
    office.ok(&["audit", "report", &doc, "--out", csv_path.to_str().unwrap()]);
    let csv = std::fs::read_to_string(&csv_path).unwrap();
    let docx_path = office.path("record.docx");
    office.ok(&["audit", "report", &doc, "--out", docx_path.to_str().unwrap()]);
    let docx_text = libreoffice_text(&docx_path, office.dir.path());
    let sha256 = vetted_core::sha256_hex(&fixture.bytes);
    let export_sha256 = vetted_core::sha256_hex(&std::fs::read(&out).unwrap());
    for (name, text) in [("csv", &csv), ("docx", &docx_text)] {
        for expected in [
            "rita",
            "alan",
            "审查完成",
            "批准",
            "同意公开",
            sha256.as_str(),
            export_sha256.as_str(),
            fixture.name,
        ] {
            assert!(text.contains(expected), "the {name} record lacks {expected:?}:\n{text}");
        }
    }
    assert!(docx_text.contains("保密审查审批表"), "{docx_text}");
}

/// The text LibreOffice reads from a DOCX file.
fn libreoffice_text(docx: &Path, scratch: &Path) -> String {
    let profile = scratch.join("lo-profile");
    let out = Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--convert-to", "txt:Text", "--outdir"])
        .arg(scratch)
        .arg(docx)
        .output()
        .expect("LibreOffice (soffice) must be installed: scripts/setup-system.sh installs it");
    assert!(out.status.success(), "soffice failed: {}", String::from_utf8_lossy(&out.stderr));
    let txt = scratch.join(docx.with_extension("txt").file_name().unwrap());
    std::fs::read_to_string(&txt).unwrap_or_else(|e| panic!("soffice wrote no {}: {e}", txt.display()))
}

/// A range mark (what the desktop app sends for a mouse selection) removes exactly those
/// characters from a PDF: pdftotext no longer reads them, and the rest of the line survives.
#[test]
fn a_range_mark_removes_the_selected_glyphs_from_a_pdf() {
    let office = Office::new();
    let draft = office.path("procurement.pdf");
    let bytes = data("reportlab.pdf");
    std::fs::write(&draft, &bytes).unwrap();
    let doc = office.import(&draft);
    // The offsets the app would send: characters of the visible text as the core reads it.
    let read =
        vetted_core::ingest::read(&bytes, Some("procurement.pdf"), &vetted_core::Limits::default()).unwrap();
    let text = read.visible_text();
    let byte = text.find("John Smith").expect("the fixture names John Smith");
    let start = text[..byte].chars().count();
    let range = format!("{start}..{}", start + "John Smith".chars().count());
    office.ok_as("rita", &["mark", &doc, "--range", &range, "--reason", "personal_information"]);
    office.ok_as("rita", &["decide", &doc, "--redact", "all"]);
    office.ok_as("rita", &["submit", &doc]);
    office.ok_as("alan", &["approve", &doc]);
    let out = office.path("public.pdf");
    office.ok_as("alan", &["export", &doc, "--out", out.to_str().unwrap()]);
    let read_back = poppler_text(&out);
    assert!(!read_back.contains("John Smith"), "the marked range survived:\n{read_back}");
    assert!(read_back.contains("Procurement notice for the radar station upgrade"), "{read_back}");
}

//! A document's whole life through the CLI, by three different people, for every format the
//! workspace handles, with the export checked by tools other than Vetted.

use std::path::Path;
use std::process::Command;

use super::Office;

/// One format's walk: the file to import, a phrase to mark and redact, and an independent
/// check of the export.
struct Fixture {
    name: &'static str,
    bytes: Vec<u8>,
    /// Redacted by a manual mark (every occurrence).
    secret: &'static str,
    /// Text that stays and must still be readable in the export.
    kept: &'static str,
    check_export: fn(&Path, &Fixture),
}

fn fixtures() -> Vec<Fixture> {
    vec![
        Fixture {
            name: "notice.txt",
            bytes: "采购公告\n本项目由95837部队使用，联系95837部队。\n预算100万元。\n".as_bytes().to_vec(),
            secret: "95837部队",
            kept: "预算100万元",
            check_export: check_utf8_text,
        },
        Fixture {
            name: "notice.md",
            bytes: "# 新闻稿\n\n演习地点：**某军事管理区**，坐标保密。\n".as_bytes().to_vec(),
            secret: "军事管理区",
            kept: "# 新闻稿",
            check_export: check_utf8_text,
        },
    ]
}

/// The export is valid UTF-8 by `iconv`, text by `file`, and its bytes hold the kept text but
/// not the secret.
fn check_utf8_text(export: &Path, fixture: &Fixture) {
    let iconv =
        Command::new("iconv").args(["-f", "UTF-8", "-t", "UTF-8"]).arg(export).output().expect("iconv runs");
    assert!(iconv.status.success(), "iconv rejects the export: {}", String::from_utf8_lossy(&iconv.stderr));
    let file = Command::new("file").arg("-b").arg(export).output().expect("file runs");
    let kind = String::from_utf8_lossy(&file.stdout);
    assert!(kind.contains("UTF-8") && kind.contains("text"), "file says: {kind}");
    let text = String::from_utf8(iconv.stdout).unwrap();
    assert!(!text.contains(fixture.secret), "the secret survived: {text}");
    assert!(text.contains(fixture.kept), "the kept text is gone: {text}");
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
    let doc = office.import(&draft);
    assert_eq!(doc, "D1", "{}", fixture.name);

    // Findings: the scan's objects, each with its status.
    let findings: serde_json::Value =
        serde_json::from_str(&office.ok(&["findings", &doc, "--json"])).unwrap();
    for finding in findings.as_array().unwrap() {
        assert_eq!(finding["status"], "open", "{finding}");
        assert!(finding["rule"].is_string() && finding["start"].is_u64(), "{finding}");
    }

    office.ok_as("rita", &["mark", &doc, "--text", fixture.secret, "--all", "--reason", "state_secret"]);
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
    (fixture.check_export)(&out, fixture);

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

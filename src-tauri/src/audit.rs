//! The audit screen: the log (whole, or one document's timeline, shown and exported as CSV),
//! whole-chain verification, and a document's review record written as DOCX or CSV. Auditors and administrators only
//! (see `access`). Like `desk`, this module knows nothing about Tauri.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use vetted_core::{AuditEntry, ChainStatus, DocumentId, Result, Role, Session, Workspace};

use crate::access::require_any;
use crate::desk::Desk;

/// The roles that read the audit log.
const READERS: &[Role] = &[Role::Auditor, Role::Admin];

/// One entry of the audit log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntryView {
    /// Position in the log, from 1.
    #[ts(type = "number")]
    pub seq: u64,
    /// When (UTC, RFC 3339).
    pub time: String,
    /// Who.
    pub actor: String,
    /// What, as the core's stable snake_case action name (`import`, `approve`, ...).
    pub action: String,
    /// The document it concerns (`D3`), if any.
    pub document: Option<String>,
    /// The details, as compact JSON (empty when there are none).
    pub details: String,
    /// The entry's hash, lowercase hex.
    pub hash: String,
}

/// What whole-chain verification found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChainView {
    /// True when every entry and every stored original matches.
    pub intact: bool,
    /// How many entries the log holds (when intact).
    #[ts(type = "number")]
    pub entries: u64,
    /// The last entry's hash (when intact): the figure an auditor writes down.
    pub head: String,
    /// The first entry that does not match, if the log itself is broken.
    #[ts(type = "number | null")]
    pub broken_at: Option<u64>,
    /// What does not match, for people (empty when intact).
    pub problem: String,
}

/// A document the timeline can be shown for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AuditDocumentView {
    /// The document, as `D3`.
    pub document: String,
    /// Its latest revision's file name.
    pub file_name: String,
    /// Its latest revision's state.
    pub state: String,
}

/// The format of a review record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum RecordFormat {
    /// A Word form (保密审查审批表).
    Docx,
    /// One row per fact, for spreadsheets.
    Csv,
}

impl RecordFormat {
    fn extension(self) -> &'static str {
        match self {
            RecordFormat::Docx => "docx",
            RecordFormat::Csv => "csv",
        }
    }
}

/// A review record written to disk.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RecordExportView {
    /// Where it was written.
    pub path: String,
    /// The document.
    pub document: String,
}

/// The audit log written to disk as CSV.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LogExportView {
    /// Where it was written.
    pub path: String,
    /// How many entries it holds.
    pub entries: u32,
}

/// The documents of the workspace, for the timeline's picker.
pub fn documents(desk: &Desk) -> Result<Vec<AuditDocumentView>> {
    desk.with_session(|workspace, session| {
        require_any(workspace, session, READERS, "read the audit log")?;
        Ok(workspace
            .documents()?
            .into_iter()
            .map(|r| AuditDocumentView {
                document: r.document.to_string(),
                file_name: r.file_name,
                state: r.state.as_str().to_string(),
            })
            .collect())
    })
}

/// The audit log, oldest first: all of it, or one document's timeline.
pub fn log(desk: &Desk, document: Option<&str>) -> Result<Vec<AuditEntryView>> {
    let document = document.map(str::parse::<DocumentId>).transpose()?;
    desk.with_session(|workspace, session| {
        require_any(workspace, session, READERS, "read the audit log")?;
        Ok(workspace.audit_log(document)?.iter().map(AuditEntryView::from).collect())
    })
}

/// Recomputes the whole chain and checks every stored original.
pub fn verify(desk: &Desk) -> Result<ChainView> {
    desk.with_session(|workspace, session| {
        require_any(workspace, session, READERS, "verify the audit log")?;
        Ok(ChainView::from(workspace.verify_audit()?))
    })
}

/// The file name the save dialog suggests for a review record.
pub fn record_file_name(document: &str, format: RecordFormat) -> Result<String> {
    let document: DocumentId = document.parse()?;
    Ok(format!("{document}-review-record.{}", format.extension()))
}

/// Writes the review record of `document` to `path` in `format`. A path without the format's
/// extension gets it appended: the core chooses the format by extension, and a person who
/// typed a bare name in the save dialog asked for the format they picked on the screen.
pub fn write_record(
    desk: &Desk,
    document: &str,
    format: RecordFormat,
    path: &Path,
) -> Result<RecordExportView> {
    let document: DocumentId = document.parse()?;
    let path = with_extension(path, format);
    desk.with_session(|workspace, session| write_as(workspace, session, document, &path))?;
    Ok(RecordExportView { path: path.display().to_string(), document: document.to_string() })
}

/// The file name the save dialog suggests for the audit log (of one document, or all).
pub fn log_file_name(document: Option<&str>) -> Result<String> {
    match document.map(str::parse::<DocumentId>).transpose()? {
        Some(document) => Ok(format!("{document}-audit-log.csv")),
        None => Ok("audit-log.csv".to_string()),
    }
}

/// Writes the audit log (all of it, or one document's timeline) to `path` as CSV, appending
/// `.csv` when the path has no such extension.
pub fn write_log(desk: &Desk, document: Option<&str>, path: &Path) -> Result<LogExportView> {
    let document = document.map(str::parse::<DocumentId>).transpose()?;
    let path = with_extension(path, RecordFormat::Csv);
    let entries = desk.with_session(|workspace, session| {
        require_any(workspace, session, READERS, "export the audit log")?;
        workspace.write_audit_log(document, &path)?;
        Ok(workspace.audit_log(document)?.len())
    })?;
    Ok(LogExportView {
        path: path.display().to_string(),
        entries: u32::try_from(entries).unwrap_or(u32::MAX),
    })
}

fn write_as(workspace: &Workspace, session: &Session, document: DocumentId, path: &Path) -> Result<()> {
    require_any(workspace, session, READERS, "export the review record")?;
    workspace.write_review_record(document, path)
}

fn with_extension(path: &Path, format: RecordFormat) -> PathBuf {
    let has =
        path.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case(format.extension()));
    if has {
        return path.to_path_buf();
    }
    let mut name = path.as_os_str().to_os_string();
    name.push(".");
    name.push(format.extension());
    PathBuf::from(name)
}

impl From<&AuditEntry> for AuditEntryView {
    fn from(entry: &AuditEntry) -> Self {
        let empty = entry.payload.is_null() || entry.payload.as_object().is_some_and(|m| m.is_empty());
        AuditEntryView {
            seq: entry.seq,
            time: entry.time.clone(),
            actor: entry.actor.clone(),
            action: entry.action.clone(),
            document: entry.document.clone(),
            details: if empty { String::new() } else { entry.payload.to_string() },
            hash: entry.hash.clone(),
        }
    }
}

impl From<ChainStatus> for ChainView {
    fn from(status: ChainStatus) -> Self {
        match status {
            ChainStatus::Intact { entries, head } => {
                ChainView { intact: true, entries, head, broken_at: None, problem: String::new() }
            }
            ChainStatus::Tampered { seq, problem } => {
                ChainView { intact: false, entries: 0, head: String::new(), broken_at: seq, problem }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vetted_core::ErrorKind;

    const PASS: &str = "correct horse battery";

    /// A workspace with an admin, a drafter `li` who imported one note, and an auditor `otto`,
    /// with `who` signed in.
    fn desk_with_a_document(who: &str) -> (tempfile::TempDir, Desk) {
        let dir = tempfile::tempdir().unwrap();
        let desk = Desk::new(Some(dir.path().join("workspace")));
        desk.create("admin", PASS).unwrap();
        desk.add_user("li", &["drafter".into()], PASS).unwrap();
        desk.add_user("otto", &["auditor".into()], PASS).unwrap();
        desk.sign_in("li", PASS).unwrap();
        let draft = dir.path().join("note.txt");
        std::fs::write(&draft, "本文件属于国家秘密。").unwrap();
        desk.import(&draft).unwrap();
        desk.sign_in(who, PASS).unwrap();
        (dir, desk)
    }

    #[test]
    fn an_auditor_sees_a_documents_timeline_and_the_whole_log() {
        let (_dir, desk) = desk_with_a_document("otto");
        let timeline = log(&desk, Some("D1")).unwrap();
        let actions: Vec<(&str, &str)> =
            timeline.iter().map(|e| (e.actor.as_str(), e.action.as_str())).collect();
        assert_eq!(actions, [("li", "import"), ("li", "scan")]);
        assert!(timeline.iter().all(|e| e.document.as_deref() == Some("D1") && e.hash.len() == 64));
        let whole = log(&desk, None).unwrap();
        assert_eq!(whole.first().map(|e| e.action.as_str()), Some("workspace_created"));
        assert!(whole.len() > timeline.len());
        assert_eq!(documents(&desk).unwrap()[0].file_name, "note.txt");
    }

    #[test]
    fn verification_reports_the_head_hash_and_entry_count() {
        let (_dir, desk) = desk_with_a_document("admin");
        let chain = verify(&desk).unwrap();
        let whole = log(&desk, None).unwrap();
        assert!(chain.intact, "{chain:?}");
        assert_eq!(chain.entries, whole.len() as u64);
        assert_eq!(Some(&chain.head), whole.last().map(|e| &e.hash));
    }

    #[test]
    fn others_are_told_which_role_the_audit_needs() {
        let (_dir, desk) = desk_with_a_document("li");
        let error = log(&desk, None).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Forbidden);
        assert_eq!(error.message(), "li may not read the audit log: that needs the auditor or admin role");
        assert_eq!(verify(&desk).unwrap_err().kind(), ErrorKind::Forbidden);
    }

    #[test]
    fn the_review_record_is_written_in_the_format_chosen_with_its_extension_added_when_missing() {
        let (dir, desk) = desk_with_a_document("otto");
        let written = write_record(&desk, "D1", RecordFormat::Csv, &dir.path().join("record")).unwrap();
        assert!(written.path.ends_with("record.csv"), "{}", written.path);
        let csv = std::fs::read_to_string(&written.path).unwrap();
        assert!(csv.starts_with("section,document,details\r\nrevision,D1,1,note.txt,txt,"), "{csv}");
        let docx = write_record(&desk, "D1", RecordFormat::Docx, &dir.path().join("r.DOCX")).unwrap();
        assert!(std::fs::read(&docx.path).unwrap().starts_with(b"PK"));
        assert_eq!(record_file_name("d1", RecordFormat::Docx).unwrap(), "D1-review-record.docx");
        assert_eq!(
            write_record(&desk, "x", RecordFormat::Csv, dir.path()).unwrap_err().kind(),
            ErrorKind::InvalidInput
        );
    }

    #[test]
    fn the_log_is_exported_as_csv_whole_or_for_one_document() {
        let (dir, desk) = desk_with_a_document("otto");
        let whole = write_log(&desk, None, &dir.path().join("log")).unwrap();
        assert!(whole.path.ends_with("log.csv"), "{}", whole.path);
        assert_eq!(whole.entries as usize, log(&desk, None).unwrap().len());
        let one = write_log(&desk, Some("D1"), &dir.path().join("d1.csv")).unwrap();
        let csv = std::fs::read_to_string(&one.path).unwrap();
        let actions: Vec<&str> = csv.lines().skip(1).filter_map(|l| l.split(',').nth(3)).collect();
        assert_eq!(actions, ["import", "scan"]);
        assert_eq!(log_file_name(Some("3")).unwrap(), "D3-audit-log.csv");
        assert_eq!(log_file_name(None).unwrap(), "audit-log.csv");
        desk.sign_in("li", PASS).unwrap();
        let error = write_log(&desk, None, &dir.path().join("no.csv")).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Forbidden);
        assert!(!dir.path().join("no.csv").exists());
    }
}

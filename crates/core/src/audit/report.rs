//! The review-and-approval record of one document (保密审查审批表), as DOCX and as CSV.
//!
//! It answers an auditor's questions about a publication from the workspace alone: which
//! exact bytes were reviewed (every revision and its SHA-256), what was found and what was
//! decided for each finding and why, which passages were marked by hand, who signed what and
//! when (voided sign-offs included, marked as such), and the SHA-256 of every export.

use serde::Serialize;

use crate::error::{Error, ErrorKind, Result};
use crate::workflow::{
    DocumentId, ExportRecord, Mark, MarkTarget, ReviewedFinding, Revision, SignOff, Workspace,
};

/// Everything the record lists about one document.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReviewRecord {
    /// The document.
    pub document: DocumentId,
    /// Every revision, oldest first.
    pub revisions: Vec<Revision>,
    /// The findings of every revision with their decisions, as `(revision number, finding)`.
    pub findings: Vec<(u32, ReviewedFinding)>,
    /// The manual marks of every revision.
    pub marks: Vec<(u32, Mark)>,
    /// Every sign-off, oldest first.
    pub signoffs: Vec<SignOff>,
    /// Every export, oldest first.
    pub exports: Vec<ExportRecord>,
}

pub(crate) fn build(workspace: &Workspace, document: DocumentId) -> Result<ReviewRecord> {
    let revisions = workspace.revisions(document)?;
    let conn = workspace.store().conn();
    let mut findings = Vec::new();
    let mut marks = Vec::new();
    for revision in &revisions {
        for finding in crate::workflow::reviewed_findings_of(conn, revision)? {
            findings.push((revision.number, finding));
        }
        for mark in crate::workflow::marks_of_revision(conn, revision)? {
            marks.push((revision.number, mark));
        }
    }
    Ok(ReviewRecord {
        document,
        signoffs: workspace.signoffs(document)?,
        exports: workspace.exports(document)?,
        revisions,
        findings,
        marks,
    })
}

fn decision_text(finding: &ReviewedFinding) -> (&'static str, String) {
    use crate::workflow::FindingStatus;
    match finding.status {
        FindingStatus::Open => ("open / 未决定", String::new()),
        FindingStatus::Redact => ("redact / 删除", finding.decision_reason.clone().unwrap_or_default()),
        FindingStatus::Keep => ("keep / 保留", finding.decision_reason.clone().unwrap_or_default()),
    }
}

fn signoff_kind(signoff: &SignOff) -> &'static str {
    use crate::workflow::SignOffKind;
    match signoff.kind {
        SignOffKind::ReviewComplete => "review complete / 审查完成",
        SignOffKind::Approved => "approved / 批准",
        SignOffKind::Rejected => "rejected / 退回",
    }
}

fn mark_text(mark: &Mark) -> String {
    match &mark.target {
        MarkTarget::Phrase { phrase, every, ranges } => {
            let scope = if *every { "every occurrence" } else { "first occurrence" };
            format!("phrase {phrase:?} ({scope}, {} found)", ranges.len())
        }
        MarkTarget::Area { page, rect } => {
            format!("area on page {page}: x {} y {} w {} h {}", rect.x, rect.y, rect.width, rect.height)
        }
    }
}

/// The rows of the record, shared by both formats so they always say the same thing:
/// `(section, columns)`.
fn rows(record: &ReviewRecord) -> Vec<(&'static str, Vec<String>)> {
    let mut rows = Vec::new();
    for r in &record.revisions {
        rows.push((
            "revision",
            vec![
                r.number.to_string(),
                r.file_name.clone(),
                r.format.to_string(),
                r.sha256.clone(),
                r.size.to_string(),
                r.drafter.clone(),
                r.imported_at.clone(),
                r.state.to_string(),
            ],
        ));
    }
    for (revision, f) in &record.findings {
        let (decision, reason) = decision_text(f);
        rows.push((
            "finding",
            vec![
                revision.to_string(),
                format!("#{}", f.finding.id),
                f.finding.rule.clone(),
                f.finding.category.clone(),
                f.finding.location.to_string(),
                decision.to_string(),
                reason,
                f.decided_by.clone().unwrap_or_default(),
            ],
        ));
    }
    for (revision, m) in &record.marks {
        rows.push(("mark", vec![revision.to_string(), mark_text(m), m.reason.clone(), m.marked_by.clone()]));
    }
    for s in &record.signoffs {
        rows.push((
            "signoff",
            vec![
                s.revision.to_string(),
                signoff_kind(s).to_string(),
                s.user.clone(),
                s.signed_at.clone(),
                s.comment.clone().unwrap_or_default(),
                s.voided_at.as_ref().map(|at| format!("voided {at}")).unwrap_or_default(),
            ],
        ));
    }
    for e in &record.exports {
        rows.push((
            "export",
            vec![
                e.revision.to_string(),
                e.sha256.clone(),
                e.exported_by.clone(),
                e.exported_at.clone(),
                e.path.clone(),
            ],
        ));
    }
    rows
}

/// Column headings of each section.
const SECTIONS: &[(&str, &str, &[&str])] = &[
    (
        "revision",
        "Revisions and hashes / 版本与哈希",
        &["revision", "file", "format", "sha256", "bytes", "drafter", "imported", "state"],
    ),
    (
        "finding",
        "Findings and decisions / 发现与处理",
        &["revision", "finding", "rule", "category", "location", "decision", "reason", "decided by"],
    ),
    ("mark", "Manual redactions / 人工标注", &["revision", "mark", "reason", "marked by"]),
    ("signoff", "Sign-offs / 签署", &["revision", "sign-off", "signed by", "time", "comment", "voided"]),
    ("export", "Exports / 导出", &["revision", "sha256", "exported by", "time", "path"]),
];

/// The record as CSV: one row per fact, the section in the first column (RFC 4180 quoting).
pub(crate) fn to_csv(record: &ReviewRecord) -> String {
    let mut out = String::new();
    let line = |out: &mut String, cells: &[String]| {
        let quoted: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
        out.push_str(&quoted.join(","));
        out.push_str("\r\n");
    };
    line(&mut out, &["section".into(), "document".into(), "details".into()]);
    for (section, columns) in rows(record) {
        let mut cells = vec![section.to_string(), record.document.to_string()];
        cells.extend(columns);
        line(&mut out, &cells);
    }
    out
}

pub(super) fn csv_cell(cell: &str) -> String {
    // A leading = + - @ makes a spreadsheet run the cell as a formula; an apostrophe defuses it
    // (the record holds text written by users and by the documents under review).
    let defused = if cell.starts_with(['=', '+', '-', '@']) { format!("'{cell}") } else { cell.to_string() };
    if defused.contains([',', '"', '\r', '\n']) || defused != cell {
        format!("\"{}\"", defused.replace('"', "\"\""))
    } else {
        defused
    }
}

/// The record as a DOCX form: a title, the document, then one table per section.
pub(crate) fn to_docx(record: &ReviewRecord) -> Result<Vec<u8>> {
    use docx_rs::{Docx, Paragraph, Run, Table, TableCell, TableRow};

    let text = |s: &str| Paragraph::new().add_run(Run::new().add_text(s));
    let bold = |s: &str| Paragraph::new().add_run(Run::new().add_text(s).bold());
    let mut docx = Docx::new()
        .add_paragraph(Paragraph::new().add_run(Run::new().add_text("保密审查审批表").bold().size(36)))
        .add_paragraph(text("Confidentiality review and approval record"));
    let name = record.revisions.first().map(|r| r.file_name.as_str()).unwrap_or_default();
    docx = docx.add_paragraph(text(&format!("Document / 文件: {} ({name})", record.document)));
    let all_rows = rows(record);
    for (section, heading, columns) in SECTIONS {
        docx = docx.add_paragraph(bold(heading));
        let section_rows: Vec<&Vec<String>> =
            all_rows.iter().filter(|(s, _)| s == section).map(|(_, cells)| cells).collect();
        if section_rows.is_empty() {
            docx = docx.add_paragraph(text("(none / 无)"));
            continue;
        }
        let header = TableRow::new(columns.iter().map(|c| TableCell::new().add_paragraph(bold(c))).collect());
        let mut table_rows = vec![header];
        for cells in section_rows {
            table_rows
                .push(TableRow::new(cells.iter().map(|c| TableCell::new().add_paragraph(text(c))).collect()));
        }
        docx = docx.add_table(Table::new(table_rows));
    }
    let mut out = std::io::Cursor::new(Vec::new());
    docx.build()
        .pack(&mut out)
        .map_err(|e| Error::new(ErrorKind::Io, format!("cannot write the report DOCX: {e}")))?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::csv_cell;

    #[test]
    fn csv_cells_are_quoted_and_formulas_defused() {
        let check = |cell: &str, expected: &str| assert_eq!(csv_cell(cell), expected, "{cell:?}");
        check("plain", "plain");
        check("a,b", "\"a,b\"");
        check("say \"hi\"", "\"say \"\"hi\"\"\"");
        check("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"");
        check("张三", "张三");
    }
}

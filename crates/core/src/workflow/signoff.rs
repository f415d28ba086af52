//! The sign-off state machine and export.
//!
//! A reviewer signs "review complete" once every finding is decided; a different person, an
//! approver who neither drafted nor reviewed the revision, approves or rejects it with a
//! comment; only an approved revision exports. The export is redacted and verified by
//! `redact`, staged in a temporary file beside the target, recorded (SHA-256 and verification
//! report) together with its audit entry, and only then renamed into place: a public file at
//! the target path always has its record, and is never half-written.

use std::path::Path;

use rusqlite::{Connection, Transaction, params};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::documents::{MarkTarget, latest_revision, marks_of, reviewed_findings, set_state};
use super::users::{Actor, Role, Session, acting};
use super::{DocState, DocumentId, Revision, Workspace, log};
use crate::error::{Error, ErrorKind, Result};
use crate::redact::{PlannedArea, PlannedRange, RedactionPlan, redact};
use crate::store::{publish, stage, utc_now};
use crate::verify::VerificationReport;

/// What a sign-off says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignOffKind {
    /// A reviewer: every finding is decided.
    ReviewComplete,
    /// An approver: the reviewed revision may be published.
    Approved,
    /// An approver: it may not, for the comment's reason.
    Rejected,
}

impl SignOffKind {
    /// The snake_case name, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            SignOffKind::ReviewComplete => "review_complete",
            SignOffKind::Approved => "approved",
            SignOffKind::Rejected => "rejected",
        }
    }
}

/// One signature on one revision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignOff {
    /// The revision signed.
    pub revision: u32,
    /// What was signed.
    pub kind: SignOffKind,
    /// Who signed.
    pub user: String,
    /// The comment, if any.
    pub comment: Option<String>,
    /// When (UTC, RFC 3339).
    pub signed_at: String,
    /// When a newer revision voided it, if it did.
    pub voided_at: Option<String>,
}

/// A recorded export.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExportRecord {
    /// The revision exported.
    pub revision: u32,
    /// Where it was written.
    pub path: String,
    /// SHA-256 of the exported bytes.
    pub sha256: String,
    /// Who exported it.
    pub exported_by: String,
    /// When.
    pub exported_at: String,
    /// The verification report of the export.
    pub report: VerificationReport,
}

impl Workspace {
    /// Signs "review complete" on a document's latest revision: a reviewer who did not draft
    /// it, once every finding is decided.
    pub fn submit(&self, session: &Session, document: DocumentId) -> Result<()> {
        self.logging_refusal(session, "submit", Some(document), || {
            let tx = self.store().write()?;
            let actor = acting(&tx, session)?;
            actor.require_document_role(Role::Reviewer, "sign review complete")?;
            let revision = latest_revision(&tx, document)?;
            refuse_drafter(&actor, &revision, "review")?;
            require_state(
                &revision,
                &[DocState::Imported, DocState::InReview, DocState::Rejected],
                "submitted",
            )?;
            let open: Vec<String> = reviewed_findings(&tx, revision.row_id)?
                .iter()
                .filter(|f| f.status == super::FindingStatus::Open)
                .map(|f| format!("#{}", f.finding.id))
                .collect();
            if !open.is_empty() {
                return Err(Error::new(
                    ErrorKind::InvalidState,
                    format!(
                        "{document} revision {} cannot be submitted: {} finding(s) still undecided ({})",
                        revision.number,
                        open.len(),
                        open.join(", ")
                    ),
                ));
            }
            sign(&tx, &actor, &revision, SignOffKind::ReviewComplete, None)?;
            set_state(&tx, revision.row_id, DocState::ReviewComplete)?;
            tx.commit()?;
            Ok(())
        })
    }

    /// Approves a document's reviewed latest revision: an approver who neither drafted it nor
    /// signed its review.
    pub fn approve(&self, session: &Session, document: DocumentId, comment: Option<&str>) -> Result<()> {
        let comment = comment.map(str::trim).filter(|c| !c.is_empty());
        self.conclude(session, document, SignOffKind::Approved, comment)
    }

    /// Rejects a document's reviewed latest revision with a comment (required); it goes back
    /// to review.
    pub fn reject(&self, session: &Session, document: DocumentId, comment: &str) -> Result<()> {
        let comment = comment.trim();
        if comment.is_empty() {
            return Err(Error::new(ErrorKind::InvalidInput, "a rejection needs a comment saying why"));
        }
        self.conclude(session, document, SignOffKind::Rejected, Some(comment))
    }

    fn conclude(
        &self,
        session: &Session,
        document: DocumentId,
        kind: SignOffKind,
        comment: Option<&str>,
    ) -> Result<()> {
        let what = if kind == SignOffKind::Approved { "approve" } else { "reject" };
        self.logging_refusal(session, what, Some(document), || {
            let tx = self.store().write()?;
            let actor = acting(&tx, session)?;
            actor.require_document_role(Role::Approver, &format!("{what} documents"))?;
            let revision = latest_revision(&tx, document)?;
            refuse_drafter(&actor, &revision, what)?;
            require_state(
                &revision,
                &[DocState::ReviewComplete],
                if kind == SignOffKind::Approved { "approved" } else { "rejected" },
            )?;
            let reviewer = last_reviewer(&tx, revision.row_id)?;
            if reviewer.as_deref() == Some(actor.name.as_str()) {
                return Err(Error::new(
                    ErrorKind::Forbidden,
                    format!(
                        "{} signed the review of {document} revision {} and may not also {what} it: reviewer and \
                         approver must be different people",
                        actor.name, revision.number
                    ),
                ));
            }
            sign(&tx, &actor, &revision, kind, comment)?;
            let state = if kind == SignOffKind::Approved { DocState::Approved } else { DocState::Rejected };
            set_state(&tx, revision.row_id, state)?;
            tx.commit()?;
            Ok(())
        })
    }

    /// Exports the approved latest revision of a document to `out`: redacted, verified,
    /// recorded, then published. Approvers only.
    pub fn export(&self, session: &Session, document: DocumentId, out: &Path) -> Result<ExportRecord> {
        self.logging_refusal(session, "export", Some(document), || {
            // Checked without the write lock: redaction takes a while, and the record below
            // checks everything again under the lock.
            let conn = self.store().conn();
            acting(conn, session)?.require_document_role(Role::Approver, "export documents")?;
            let revision = latest_revision(conn, document)?;
            require_state(&revision, &[DocState::Approved, DocState::Exported], "exported")?;
            let plan = plan_of(conn, revision.row_id)?;

            let redacted = self
                .store()
                .blobs()
                .get(&revision.sha256)
                .and_then(|original| redact(&original, revision.format, &plan, &self.limits));
            let export = match redacted {
                Ok(export) => export,
                Err(error) => {
                    // A blocked export is itself part of the record: someone tried to publish,
                    // and the redactor, the verification or the stored original said no.
                    let tx = self.store().write()?;
                    let actor = acting(&tx, session)?;
                    let refusal = json!({
                        "revision": revision.number,
                        "error": error.kind().code(),
                        "message": error.message(),
                    });
                    log(&tx, &actor.name, "export_refused", Some(document), refusal)?;
                    tx.commit()?;
                    return Err(error);
                }
            };
            let staged = stage(out, &export.bytes)?;
            match self.record_export(session, &revision, out, export.report) {
                Ok(record) => {
                    publish(&staged, out)?;
                    Ok(record)
                }
                Err(error) => {
                    let _ = std::fs::remove_file(&staged);
                    Err(error)
                }
            }
        })
    }

    /// Records a verified export of `revision` (about to be published at `out`), with its
    /// audit entry, after checking under the write lock that the revision is still the
    /// approved latest one: a revision imported while the redactor ran voids the approval.
    fn record_export(
        &self,
        session: &Session,
        revision: &Revision,
        out: &Path,
        report: VerificationReport,
    ) -> Result<ExportRecord> {
        let document = revision.document;
        let tx = self.store().write()?;
        let actor = acting(&tx, session)?;
        actor.require_document_role(Role::Approver, "export documents")?;
        let current = latest_revision(&tx, document)?;
        if current.row_id != revision.row_id
            || !matches!(current.state, DocState::Approved | DocState::Exported)
        {
            return Err(Error::new(
                ErrorKind::InvalidState,
                format!(
                    "{document} changed while it was being exported (now revision {}, {})",
                    current.number, current.state
                ),
            ));
        }
        let record = ExportRecord {
            revision: revision.number,
            // Recorded absolute: the record outlives the working directory it was made in.
            path: std::path::absolute(out).unwrap_or_else(|_| out.to_path_buf()).display().to_string(),
            sha256: report.output_sha256.clone(),
            exported_by: actor.name.clone(),
            exported_at: utc_now(),
            report,
        };
        let report_json = serde_json::to_string(&record.report).map_err(|e| {
            Error::new(ErrorKind::Workspace, format!("cannot store the verification report: {e}"))
        })?;
        tx.execute(
            "INSERT INTO exports (revision_id, path, sha256, report, exported_by, exported_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![revision.row_id, record.path, record.sha256, report_json, actor.id, record.exported_at],
        )?;
        set_state(&tx, revision.row_id, DocState::Exported)?;
        let entry = json!({
            "revision": revision.number,
            "path": record.path,
            "sha256": record.sha256,
            "input_sha256": record.report.input_sha256,
            "removed": record.report.removed.len(),
            "strings_checked": record.report.strings_checked,
        });
        log(&tx, &actor.name, "export", Some(document), entry)?;
        tx.commit()?;
        Ok(record)
    }

    /// Every sign-off of a document, oldest first, voided ones included.
    pub fn signoffs(&self, document: DocumentId) -> Result<Vec<SignOff>> {
        signoffs_of(self.store().conn(), document)
    }

    /// Every export of a document, oldest first.
    pub fn exports(&self, document: DocumentId) -> Result<Vec<ExportRecord>> {
        exports_of(self.store().conn(), document)
    }
}

fn refuse_drafter(actor: &Actor, revision: &Revision, what: &str) -> Result<()> {
    if revision.drafter == actor.name {
        return Err(Error::new(
            ErrorKind::Forbidden,
            format!(
                "{} drafted {} revision {} and may not {what} it",
                actor.name, revision.document, revision.number
            ),
        ));
    }
    Ok(())
}

fn require_state(revision: &Revision, allowed: &[DocState], to_be: &str) -> Result<()> {
    if allowed.contains(&revision.state) {
        return Ok(());
    }
    let needs: Vec<&str> = allowed.iter().map(|s| s.as_str()).collect();
    Err(Error::new(
        ErrorKind::InvalidState,
        format!(
            "{} revision {} is {}: only a revision that is {} can be {to_be}",
            revision.document,
            revision.number,
            revision.state,
            needs.join(" or ")
        ),
    ))
}

fn sign(
    tx: &Transaction<'_>,
    actor: &Actor,
    revision: &Revision,
    kind: SignOffKind,
    comment: Option<&str>,
) -> Result<()> {
    tx.execute(
        "INSERT INTO signoffs (revision_id, kind, user_id, comment, signed_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![revision.row_id, kind.as_str(), actor.id, comment, utc_now()],
    )?;
    let action = match kind {
        SignOffKind::ReviewComplete => "submit",
        SignOffKind::Approved => "approve",
        SignOffKind::Rejected => "reject",
    };
    log(
        tx,
        &actor.name,
        action,
        Some(revision.document),
        json!({ "revision": revision.number, "comment": comment }),
    )?;
    Ok(())
}

/// The user who signed the latest live "review complete" of a revision.
fn last_reviewer(conn: &Connection, revision_id: i64) -> Result<Option<String>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row(
            "SELECT u.name FROM signoffs s JOIN users u ON u.id = s.user_id
             WHERE s.revision_id = ?1 AND s.kind = 'review_complete' AND s.voided_at IS NULL
             ORDER BY s.id DESC LIMIT 1",
            [revision_id],
            |row| row.get(0),
        )
        .optional()?)
}

/// The redaction plan of a revision: every finding decided "redact" and every manual mark.
fn plan_of(conn: &Connection, revision_id: i64) -> Result<RedactionPlan> {
    let mut plan = RedactionPlan::default();
    for reviewed in reviewed_findings(conn, revision_id)? {
        if reviewed.status == super::FindingStatus::Redact {
            plan.ranges.push(PlannedRange {
                start: reviewed.finding.start,
                end: reviewed.finding.end,
                reason: reviewed.decision_reason.unwrap_or_default(),
            });
        }
    }
    for mark in marks_of(conn, revision_id)? {
        match mark.target {
            MarkTarget::Phrase { ranges, .. } => {
                plan.ranges.extend(ranges.into_iter().map(|(start, end)| PlannedRange {
                    start,
                    end,
                    reason: mark.reason.clone(),
                }))
            }
            MarkTarget::Area { page, rect } => {
                plan.areas.push(PlannedArea { page, rect, reason: mark.reason.clone() })
            }
        }
    }
    Ok(plan)
}

pub(super) fn signoffs_of(conn: &Connection, document: DocumentId) -> Result<Vec<SignOff>> {
    let mut statement = conn.prepare(
        "SELECT r.number, s.kind, u.name, s.comment, s.signed_at, s.voided_at FROM signoffs s
         JOIN revisions r ON r.id = s.revision_id JOIN users u ON u.id = s.user_id
         WHERE r.document_id = ?1 ORDER BY s.id",
    )?;
    let rows = statement.query_map([document.get()], |row| {
        Ok((
            row.get::<_, u32>(0)?,
            row.get::<_, String>(1)?,
            row.get(2)?,
            row.get(3)?,
            row.get(4)?,
            row.get(5)?,
        ))
    })?;
    let mut signoffs = Vec::new();
    for row in rows {
        let (revision, kind, user, comment, signed_at, voided_at) = row?;
        let kind = match kind.as_str() {
            "review_complete" => SignOffKind::ReviewComplete,
            "approved" => SignOffKind::Approved,
            "rejected" => SignOffKind::Rejected,
            other => {
                return Err(Error::new(ErrorKind::Workspace, format!("unknown sign-off kind {other:?}")));
            }
        };
        signoffs.push(SignOff { revision, kind, user, comment, signed_at, voided_at });
    }
    Ok(signoffs)
}

pub(super) fn exports_of(conn: &Connection, document: DocumentId) -> Result<Vec<ExportRecord>> {
    let mut statement = conn.prepare(
        "SELECT r.number, e.path, e.sha256, u.name, e.exported_at, e.report FROM exports e
         JOIN revisions r ON r.id = e.revision_id JOIN users u ON u.id = e.exported_by
         WHERE r.document_id = ?1 ORDER BY e.id",
    )?;
    let rows = statement.query_map([document.get()], |row| {
        Ok((
            row.get::<_, u32>(0)?,
            row.get(1)?,
            row.get(2)?,
            row.get(3)?,
            row.get(4)?,
            row.get::<_, String>(5)?,
        ))
    })?;
    let mut exports = Vec::new();
    for row in rows {
        let (revision, path, sha256, exported_by, exported_at, report) = row?;
        let report = serde_json::from_str(&report).map_err(|e| {
            Error::new(ErrorKind::Workspace, format!("an export report cannot be read back: {e}"))
        })?;
        exports.push(ExportRecord { revision, path, sha256, exported_by, exported_at, report });
    }
    Ok(exports)
}

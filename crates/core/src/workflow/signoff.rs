//! The sign-off state machine and export.
//!
//! A reviewer signs "review complete" once every finding is decided; a different person, an
//! approver who neither drafted nor reviewed the revision, approves or rejects it with a
//! comment; only an approved revision exports. The export is redacted and verified by
//! `redact`, staged in a temporary file beside the target, recorded (SHA-256 and verification
//! report) together with its audit entry, and only then renamed into place: a public file at
//! the target path always has its record, and is never half-written.
//!
//! Who may take which sign-off action is decided in one place, [`refusal`]: the actions call it
//! and refuse with its answer, and [`Workspace::sign_off_options`] calls it to tell a user, before
//! they try, what they may do now and, for what they may not, which rule says no. The two can
//! therefore never disagree. [`Workspace::preview`] runs the export's own redaction in memory, so
//! what an approver reads before approving is byte for byte what the export will write.

use std::path::Path;

use rusqlite::{Connection, Transaction, params};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::documents::{MarkTarget, latest_revision, marks_of, reviewed_findings, set_state};
use super::users::{Actor, Role, RoleGap, Session, acting};
use super::{DocState, DocumentId, Revision, Workspace, log};
use crate::error::{Error, ErrorKind, Result};
use crate::redact::{Export, PlannedArea, PlannedRange, RedactionPlan, redact};
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

/// The public version of a revision as its export would write it now ([`Workspace::preview`]).
#[derive(Clone, Debug)]
pub struct Preview {
    /// The revision previewed: the document's latest.
    pub revision: Revision,
    /// What its review decided to remove: findings decided "redact" and manual marks.
    pub plan: RedactionPlan,
    /// The redacted, verified bytes and their verification report.
    pub export: Export,
}

/// A sign-off action a user may take on a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignOffAction {
    /// Sign "review complete" ([`Workspace::submit`]).
    Submit,
    /// Approve the reviewed revision ([`Workspace::approve`]).
    Approve,
    /// Reject it with a comment ([`Workspace::reject`]).
    Reject,
    /// Write its public version ([`Workspace::export`]).
    Export,
}

impl SignOffAction {
    /// Every action, in the order of the workflow.
    pub const ALL: [SignOffAction; 4] =
        [SignOffAction::Submit, SignOffAction::Approve, SignOffAction::Reject, SignOffAction::Export];

    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            SignOffAction::Submit => "submit",
            SignOffAction::Approve => "approve",
            SignOffAction::Reject => "reject",
            SignOffAction::Export => "export",
        }
    }

    /// The role the action needs.
    fn role(self) -> Role {
        match self {
            SignOffAction::Submit => Role::Reviewer,
            SignOffAction::Approve | SignOffAction::Reject | SignOffAction::Export => Role::Approver,
        }
    }

    /// What the action does, as the refusal names it ("X may not approve documents").
    fn what(self) -> &'static str {
        match self {
            SignOffAction::Submit => "sign review complete",
            SignOffAction::Approve => "approve documents",
            SignOffAction::Reject => "reject documents",
            SignOffAction::Export => "export documents",
        }
    }

    /// The states of the latest revision the action applies to, and the participle that
    /// completes "only a revision that is ... can be ...".
    fn applies_to(self) -> (&'static [DocState], &'static str) {
        match self {
            SignOffAction::Submit => {
                (&[DocState::Imported, DocState::InReview, DocState::Rejected], "submitted")
            }
            SignOffAction::Approve => (&[DocState::ReviewComplete], "approved"),
            SignOffAction::Reject => (&[DocState::ReviewComplete], "rejected"),
            SignOffAction::Export => (&[DocState::Approved, DocState::Exported], "exported"),
        }
    }
}

impl std::fmt::Display for SignOffAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The rule that refuses a sign-off action, with what a front end needs to explain it in its
/// own language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum RefusalRule {
    /// The user does not hold the role the action needs.
    MissingRole {
        /// The role it needs.
        role: Role,
    },
    /// The user is an auditor or an administrator, and those never change documents.
    OversightRole {
        /// The oversight role they hold.
        role: Role,
    },
    /// The user drafted this revision, and may neither review nor approve their own draft.
    Drafter,
    /// The user signed this revision's review, and reviewer and approver must differ.
    Reviewer,
    /// The revision is not in a state the action applies to.
    WrongState {
        /// Its state.
        state: DocState,
        /// The states the action applies to.
        needs: Vec<DocState>,
    },
    /// Findings are still undecided, so the review cannot be complete.
    OpenFindings {
        /// Their numbers.
        findings: Vec<u32>,
    },
}

/// Why a sign-off action is refused now: the rule, and the message the action itself fails with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    /// The rule that refuses it.
    #[serde(flatten)]
    pub rule: RefusalRule,
    /// The refusal, for people (in English, as the action's error says it).
    pub message: String,
}

impl Refusal {
    /// The kind of error the action fails with: [`ErrorKind::Forbidden`] for who the user is,
    /// [`ErrorKind::InvalidState`] for where the document is.
    pub fn kind(&self) -> ErrorKind {
        match self.rule {
            RefusalRule::MissingRole { .. }
            | RefusalRule::OversightRole { .. }
            | RefusalRule::Drafter
            | RefusalRule::Reviewer => ErrorKind::Forbidden,
            RefusalRule::WrongState { .. } | RefusalRule::OpenFindings { .. } => ErrorKind::InvalidState,
        }
    }

    fn into_error(self) -> Error {
        Error::new(self.kind(), self.message)
    }
}

/// One sign-off action and whether the user may take it now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionCheck {
    /// The action.
    pub action: SignOffAction,
    /// Why it is refused, or `None` when it is permitted.
    pub refusal: Option<Refusal>,
}

/// What a user may do with a document's latest revision now, action by action.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignOffOptions {
    /// The revision the answer is about.
    pub revision: Revision,
    /// Every action of [`SignOffAction::ALL`], in that order.
    pub actions: Vec<ActionCheck>,
}

impl SignOffOptions {
    /// True when `action` is permitted.
    pub fn permits(&self, action: SignOffAction) -> bool {
        self.actions.iter().any(|check| check.action == action && check.refusal.is_none())
    }
}

impl Workspace {
    /// Says, for the signed-in user and a document's latest revision, which sign-off actions
    /// are permitted now and, for each refused one, the rule that refuses it. It asks exactly
    /// what the actions ask (see [`refusal`]), so an action permitted here succeeds unless the
    /// document changes in between, and a refused one fails with the same message.
    pub fn sign_off_options(&self, session: &Session, document: DocumentId) -> Result<SignOffOptions> {
        let conn = self.store().conn();
        let actor = acting(conn, session)?;
        let revision = latest_revision(conn, document)?;
        let mut actions = Vec::new();
        for action in SignOffAction::ALL {
            actions.push(ActionCheck { action, refusal: refusal(conn, &actor, &revision, action)? });
        }
        Ok(SignOffOptions { revision, actions })
    }

    /// Signs "review complete" on a document's latest revision: a reviewer who did not draft
    /// it, once every finding is decided.
    pub fn submit(&self, session: &Session, document: DocumentId) -> Result<()> {
        self.logging_refusal(session, "submit", Some(document), || {
            let tx = self.store().write()?;
            let actor = acting(&tx, session)?;
            let revision = latest_revision(&tx, document)?;
            permit(&tx, &actor, &revision, SignOffAction::Submit)?;
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
        let action =
            if kind == SignOffKind::Approved { SignOffAction::Approve } else { SignOffAction::Reject };
        self.logging_refusal(session, action.as_str(), Some(document), || {
            let tx = self.store().write()?;
            let actor = acting(&tx, session)?;
            let revision = latest_revision(&tx, document)?;
            permit(&tx, &actor, &revision, action)?;
            sign(&tx, &actor, &revision, kind, comment)?;
            let state = if kind == SignOffKind::Approved { DocState::Approved } else { DocState::Rejected };
            set_state(&tx, revision.row_id, state)?;
            tx.commit()?;
            Ok(())
        })
    }

    /// The public version of a document's latest revision as its export would write it now,
    /// redacted and verified in memory: nothing is written and nothing is recorded. It runs the
    /// export's own redaction (same stored original, same plan, and redaction is
    /// deterministic), so an approver reads before approving exactly what will be published.
    ///
    /// It is not audited: like reading the document, it changes nothing and publishes nothing;
    /// the export that follows is what the record must hold.
    pub fn preview(&self, document: DocumentId) -> Result<Preview> {
        let revision = latest_revision(self.store().conn(), document)?;
        let plan = plan_of(self.store().conn(), revision.row_id)?;
        let export = self.redact_with(&revision, &plan)?;
        Ok(Preview { revision, plan, export })
    }

    /// The redacted, verified bytes of `revision` under its current plan: the one redaction
    /// path of both the preview and the export.
    fn redacted(&self, revision: &Revision) -> Result<Export> {
        self.redact_with(revision, &plan_of(self.store().conn(), revision.row_id)?)
    }

    fn redact_with(&self, revision: &Revision, plan: &RedactionPlan) -> Result<Export> {
        let original = self.store().blobs().get(&revision.sha256)?;
        redact(&original, revision.format, plan, &self.limits)
    }

    /// Exports the approved latest revision of a document to `out`: redacted, verified,
    /// recorded, then published. Approvers only.
    pub fn export(&self, session: &Session, document: DocumentId, out: &Path) -> Result<ExportRecord> {
        self.logging_refusal(session, "export", Some(document), || {
            // Checked without the write lock: redaction takes a while, and the record below
            // checks everything again under the lock.
            let conn = self.store().conn();
            let actor = acting(conn, session)?;
            let revision = latest_revision(conn, document)?;
            permit(conn, &actor, &revision, SignOffAction::Export)?;

            let export = match self.redacted(&revision) {
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
        let current = latest_revision(&tx, document)?;
        if current.row_id != revision.row_id {
            return Err(Error::new(
                ErrorKind::InvalidState,
                format!(
                    "{document} changed while it was being exported (now revision {}, {})",
                    current.number, current.state
                ),
            ));
        }
        // Asked again under the lock: a role may have been withdrawn while the redactor ran.
        permit(&tx, &actor, &current, SignOffAction::Export)?;
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

/// Refuses `action` with [`refusal`]'s answer, if it has one.
fn permit(conn: &Connection, actor: &Actor, revision: &Revision, action: SignOffAction) -> Result<()> {
    match refusal(conn, actor, revision, action)? {
        Some(refusal) => Err(refusal.into_error()),
        None => Ok(()),
    }
}

/// Why `actor` may not take `action` on `revision` now, or `None` when they may: the one
/// statement of the sign-off rules, asked by the actions and by
/// [`Workspace::sign_off_options`]. The first rule that refuses is the answer, in this order:
/// the role; separation of duties (the drafter reviews and approves nothing of theirs); the
/// revision's state; then the action's own condition (every finding decided before "review
/// complete"; the reviewer who signed may not also approve or reject).
fn refusal(
    conn: &Connection,
    actor: &Actor,
    revision: &Revision,
    action: SignOffAction,
) -> Result<Option<Refusal>> {
    let refuse = |rule, message| Ok(Some(Refusal { rule, message }));
    let (document, number) = (revision.document, revision.number);
    if let Some(gap) = actor.document_role_gap(action.role()) {
        let rule = match gap {
            RoleGap::Oversight(role) => RefusalRule::OversightRole { role },
            RoleGap::Missing(role) => RefusalRule::MissingRole { role },
        };
        return refuse(rule, gap.message(&actor.name, action.what()));
    }
    // Exporting is not judging the draft: the approver who approved it publishes it, and
    // separation of duties was enforced when it was approved.
    let verb = match action {
        SignOffAction::Submit => Some("review"),
        SignOffAction::Approve => Some("approve"),
        SignOffAction::Reject => Some("reject"),
        SignOffAction::Export => None,
    };
    if let Some(verb) = verb
        && revision.drafter == actor.name
    {
        return refuse(
            RefusalRule::Drafter,
            format!("{} drafted {document} revision {number} and may not {verb} it", actor.name),
        );
    }
    let (allowed, to_be) = action.applies_to();
    if !allowed.contains(&revision.state) {
        let needs: Vec<&str> = allowed.iter().map(|s| s.as_str()).collect();
        return refuse(
            RefusalRule::WrongState { state: revision.state, needs: allowed.to_vec() },
            format!(
                "{document} revision {number} is {}: only a revision that is {} can be {to_be}",
                revision.state,
                needs.join(" or ")
            ),
        );
    }
    match action {
        SignOffAction::Submit => {
            let open: Vec<u32> = reviewed_findings(conn, revision.row_id)?
                .iter()
                .filter(|f| f.status == super::FindingStatus::Open)
                .map(|f| f.finding.id)
                .collect();
            if !open.is_empty() {
                let listed: Vec<String> = open.iter().map(|id| format!("#{id}")).collect();
                return refuse(
                    RefusalRule::OpenFindings { findings: open.clone() },
                    format!(
                        "{document} revision {number} cannot be submitted: {} finding(s) still undecided ({})",
                        open.len(),
                        listed.join(", ")
                    ),
                );
            }
        }
        SignOffAction::Approve | SignOffAction::Reject => {
            if last_reviewer(conn, revision.row_id)?.as_deref() == Some(actor.name.as_str()) {
                let verb = verb.unwrap_or_default();
                return refuse(
                    RefusalRule::Reviewer,
                    format!(
                        "{} signed the review of {document} revision {number} and may not also {verb} it: \
                         reviewer and approver must be different people",
                        actor.name
                    ),
                );
            }
        }
        SignOffAction::Export => {}
    }
    Ok(None)
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

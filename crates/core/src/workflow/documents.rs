//! Documents, revisions, findings, decisions and manual marks.
//!
//! Import stores the exact bytes (content-addressed), reads and scans them, and records the
//! findings of the new revision. Re-importing a document (same file name as an existing
//! document's latest revision, or an explicit `revision_of`) makes a new revision and voids
//! every sign-off of the older ones. Reviewers then decide each finding (redact, or keep with a
//! written reason) and add manual marks; all of it applies to the document's latest revision.

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::users::{Actor, Role, Session, acting};
use super::{DocState, DocumentId, Revision, Workspace, log, mosaic};
use crate::detect::Finding;
use crate::document::{Document, Format, Rect};
use crate::error::{Error, ErrorKind, Result};
use crate::ingest;
use crate::normalize::{Folded, fold};
use crate::store::utc_now;

/// What an import did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportOutcome {
    /// The document: new, or the one this is a new revision of.
    pub document: DocumentId,
    /// The new revision's number.
    pub revision: u32,
    /// SHA-256 of the imported bytes.
    pub sha256: String,
    /// The detected format.
    pub format: Format,
    /// How many findings the scan (and the cross-document mosaic check) recorded.
    pub findings: usize,
    /// How many sign-offs of earlier revisions this import voided.
    pub voided_signoffs: usize,
}

/// Where a finding stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FindingStatus {
    /// Not decided yet.
    Open,
    /// To be removed from the export.
    Redact,
    /// To stay, for the written reason.
    Keep,
}

/// A finding of the latest revision with its decision.
///
/// Serialized as the scan's finding object plus `status` (and, once decided, `decision_reason`
/// and `decided_by`): the `vetted findings --json` contract.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewedFinding {
    /// The finding, as the scan reported it.
    #[serde(flatten)]
    pub finding: Finding,
    /// Its decision.
    pub status: FindingStatus,
    /// The reason code (redact) or the written reason (keep).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub decision_reason: Option<String>,
    /// Who decided.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub decided_by: Option<String>,
}

/// Which findings a decision applies to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selection {
    /// Every finding of the revision.
    All,
    /// The findings with these ids.
    Ids(Vec<u32>),
}

/// A reviewer's decision on findings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Remove them. The reason code defaults to each finding's suggested one.
    Redact {
        /// A reason code (or its label) for all of them, instead of the suggestions.
        reason: Option<String>,
    },
    /// Keep them, for a written reason (required).
    Keep {
        /// Why they may be published.
        reason: String,
    },
}

/// What a manual mark covers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MarkTarget {
    /// A phrase of the text: its first occurrence, or every one.
    Phrase {
        /// The phrase as the reviewer typed it.
        phrase: String,
        /// True to mark every occurrence.
        every: bool,
        /// The character ranges found (folded search, so evasions are caught too).
        ranges: Vec<(usize, usize)>,
    },
    /// An area of a PDF page or an image.
    Area {
        /// 1-based page (1 for an image).
        page: u32,
        /// The area.
        rect: Rect,
    },
}

/// A manual mark on the latest revision.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Mark {
    /// Its number within the workspace.
    pub id: i64,
    /// What it covers.
    pub target: MarkTarget,
    /// The reason code.
    pub reason: String,
    /// Who made it.
    pub marked_by: String,
}

/// States in which a revision's decisions and marks may still change.
const OPEN_FOR_REVIEW: [DocState; 3] = [DocState::Imported, DocState::InReview, DocState::Rejected];

impl Workspace {
    /// Imports `bytes` (from a file named `file_name`) as a new document, or as a new revision
    /// of `revision_of` — or, when that is `None`, of the document whose latest revision has
    /// the same file name. The bytes are stored, read and scanned; the findings (plus any
    /// cross-document mosaic finding) are recorded.
    pub fn import(
        &self,
        session: &Session,
        file_name: &str,
        bytes: &[u8],
        revision_of: Option<DocumentId>,
    ) -> Result<ImportOutcome> {
        self.logging_refusal(session, "import", revision_of, || {
            // Refuse early, before the work and before storing anything; the write transaction
            // below checks again, since a user can be disabled meanwhile.
            acting(self.store().conn(), session)?.require_document_role(Role::Drafter, "import documents")?;
            // Read and scan before taking the write lock: a slow 300-page PDF must not block the
            // other users of the workspace. The lock is taken only to record the result.
            let read = ingest::read(bytes, Some(file_name), &self.limits)?;
            let mut findings = (self.scanner)(&read, &self.rules);
            let sha256 = self.store().blobs().put(bytes)?;

            let tx = self.store().write()?;
            let actor = acting(&tx, session)?;
            actor.require_document_role(Role::Drafter, "import documents")?;
            let previous = match revision_of {
                Some(id) => Some(latest_revision(&tx, id)?),
                None => latest_revision_by_file_name(&tx, file_name)?,
            };
            if let Some(previous) = &previous
                && previous.sha256 == sha256
            {
                return Err(Error::new(
                    ErrorKind::InvalidInput,
                    format!(
                        "{file_name} is identical to {} revision {}: nothing to re-import",
                        previous.document, previous.number
                    ),
                ));
            }
            let (document, number, voided) = match &previous {
                Some(previous) => (previous.document, previous.number + 1, supersede(&tx, previous)?),
                None => {
                    tx.execute(
                        "INSERT INTO documents (name, created_by, created_at) VALUES (?1, ?2, ?3)",
                        params![file_name, actor.id, utc_now()],
                    )?;
                    (DocumentId::new(tx.last_insert_rowid()), 1, 0)
                }
            };
            // Mosaic findings are numbered after the scan's own.
            for mosaic in mosaic::cross_document(&tx, self.rules.mosaic(), &read, &findings)? {
                let id = findings.len() as u32 + 1;
                findings.push(Finding { id, ..mosaic });
            }
            tx.execute(
                "INSERT INTO revisions (document_id, number, file_name, format, sha256, size, drafter_id, state, imported_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'imported', ?8)",
                params![
                    document.get(),
                    number,
                    file_name,
                    read.format().as_str(),
                    sha256,
                    bytes.len() as i64,
                    actor.id,
                    utc_now()
                ],
            )?;
            insert_findings(&tx, tx.last_insert_rowid(), &findings)?;
            let import = json!({
                "revision": number,
                "file_name": file_name,
                "format": read.format(),
                "sha256": sha256,
                "size": bytes.len(),
                "voided_signoffs": voided,
            });
            log(&tx, &actor.name, "import", Some(document), import)?;
            self.log_scan(&tx, &actor, document, number, &findings)?;
            tx.commit()?;
            Ok(ImportOutcome {
                document,
                revision: number,
                sha256,
                format: read.format(),
                findings: findings.len(),
                voided_signoffs: voided,
            })
        })
    }

    /// Logs the scan of a new revision: which rules ran and what they found, by category.
    /// Rule packs are files an admin may edit outside Vetted, so a change of rules is logged
    /// as its own entry, before the first scan that used them.
    fn log_scan(
        &self,
        tx: &Transaction<'_>,
        actor: &Actor,
        document: DocumentId,
        revision: u32,
        findings: &[Finding],
    ) -> Result<()> {
        let last_rules: Option<String> = tx
            .query_row(
                "SELECT json_extract(payload, '$.rules') FROM audit_log WHERE action = 'scan'
                 ORDER BY seq DESC LIMIT 1",
                [],
                |row| row.get(0),
            )
            .optional()?
            .flatten();
        if let Some(last_rules) = last_rules
            && last_rules != self.rules_source
        {
            let change = json!({ "from": last_rules, "to": self.rules_source });
            log(tx, &actor.name, "rules_changed", None, change)?;
        }
        let mut by_category = std::collections::BTreeMap::<&str, usize>::new();
        for finding in findings {
            *by_category.entry(finding.category.as_str()).or_default() += 1;
        }
        let scan = json!({
            "revision": revision,
            "rules": self.rules_source,
            "findings": findings.len(),
            "by_category": by_category,
        });
        log(tx, &actor.name, "scan", Some(document), scan)?;
        Ok(())
    }

    /// Every document's latest revision, newest document first.
    pub fn documents(&self) -> Result<Vec<Revision>> {
        let conn = self.store().conn();
        let mut statement = conn.prepare(&format!(
            "{REVISION_SELECT} WHERE r.number = (SELECT max(number) FROM revisions WHERE document_id = r.document_id)
             ORDER BY r.document_id DESC"
        ))?;
        let rows = statement.query_map([], revision_from_row)?;
        rows.map(|row| row?.into_revision()).collect()
    }

    /// Every revision of a document, oldest first.
    pub fn revisions(&self, document: DocumentId) -> Result<Vec<Revision>> {
        let conn = self.store().conn();
        let mut statement =
            conn.prepare(&format!("{REVISION_SELECT} WHERE r.document_id = ?1 ORDER BY r.number"))?;
        let revisions: Vec<Revision> = statement
            .query_map([document.get()], revision_from_row)?
            .map(|row| row?.into_revision())
            .collect::<Result<_>>()?;
        if revisions.is_empty() {
            return Err(not_found(document));
        }
        Ok(revisions)
    }

    /// The latest revision of a document.
    pub fn revision(&self, document: DocumentId) -> Result<Revision> {
        latest_revision(self.store().conn(), document)
    }

    /// The findings of a document's latest revision, with their decisions.
    pub fn findings(&self, document: DocumentId) -> Result<Vec<ReviewedFinding>> {
        let revision = self.revision(document)?;
        reviewed_findings(self.store().conn(), revision.row_id)
    }

    /// Decides findings of a document's latest revision (reviewers only, never the revision's
    /// drafter). Returns how many findings were decided.
    pub fn decide(
        &self,
        session: &Session,
        document: DocumentId,
        which: &Selection,
        decision: &Decision,
    ) -> Result<usize> {
        self.logging_refusal(session, "decide", Some(document), || {
            let tx = self.store().write()?;
            let actor = acting(&tx, session)?;
            let revision = revision_open_for_review(&tx, &actor, document, "decide findings")?;
            let findings = reviewed_findings(&tx, revision.row_id)?;
            let selected: Vec<&ReviewedFinding> = match which {
                Selection::All => findings.iter().collect(),
                Selection::Ids(ids) => ids
                    .iter()
                    .map(|id| finding_numbered(&findings, *id, document, revision.number))
                    .collect::<Result<_>>()?,
            };
            let (action, shared_reason) = match decision {
                Decision::Redact { reason: Some(typed) } => {
                    ("redact", Some(Workspace::resolve_reason(&tx, typed)?))
                }
                Decision::Redact { reason: None } => ("redact", None),
                Decision::Keep { reason } => {
                    if reason.trim().is_empty() {
                        return Err(Error::new(
                            ErrorKind::InvalidInput,
                            "keeping a finding needs a written reason",
                        ));
                    }
                    ("keep", Some(reason.trim().to_string()))
                }
            };
            let now = utc_now();
            let mut decided = Vec::new();
            for reviewed in &selected {
                let finding = &reviewed.finding;
                let reason = match &shared_reason {
                    Some(reason) => reason.clone(),
                    // The rule's suggestion, if it names a known code; otherwise the catch-all, so
                    // every redaction in the record carries a code the report can label.
                    None => {
                        Workspace::resolve_reason(&tx, &finding.reason).unwrap_or_else(|_| "sensitive".into())
                    }
                };
                tx.execute(
                    "INSERT INTO decisions (revision_id, finding, action, reason, decided_by, decided_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                     ON CONFLICT (revision_id, finding) DO UPDATE SET
                         action = excluded.action, reason = excluded.reason,
                         decided_by = excluded.decided_by, decided_at = excluded.decided_at",
                    params![revision.row_id, finding.id, action, reason, actor.id, now],
                )?;
                decided.push(json!({ "finding": finding.id, "rule": finding.rule, "reason": reason }));
            }
            set_state(&tx, revision.row_id, DocState::InReview)?;
            log(
                &tx,
                &actor.name,
                "decide",
                Some(document),
                json!({ "revision": revision.number, "action": action, "findings": decided }),
            )?;
            tx.commit()?;
            Ok(selected.len())
        })
    }

    /// Marks a phrase of a document's latest revision for redaction: its first occurrence, or
    /// every one (`every`). Occurrences are found on folded text, so `机 密` or a full-width
    /// variant is found as well.
    pub fn mark_phrase(
        &self,
        session: &Session,
        document: DocumentId,
        phrase: &str,
        every: bool,
        reason: &str,
    ) -> Result<Mark> {
        self.logging_refusal(session, "mark", Some(document), || {
            // Find the phrase before taking the write lock (reading a large PDF takes a while),
            // then check under the lock that the revision is still the one searched.
            let actor = acting(self.store().conn(), session)?;
            let searched = revision_open_for_review(self.store().conn(), &actor, document, "mark passages")?;
            let original = self.store().blobs().get(&searched.sha256)?;
            let read = ingest::read_as(&original, searched.format, &self.limits)?;
            let ranges = find_phrase(read.text(), phrase, every);

            let tx = self.store().write()?;
            let actor = acting(&tx, session)?;
            let revision = revision_open_for_review(&tx, &actor, document, "mark passages")?;
            if revision.row_id != searched.row_id {
                return Err(Error::new(
                    ErrorKind::InvalidState,
                    format!(
                        "{document} changed while the phrase was searched (now revision {})",
                        revision.number
                    ),
                ));
            }
            let reason = Workspace::resolve_reason(&tx, reason)?;
            if ranges.is_empty() {
                return Err(Error::new(
                    ErrorKind::NotFound,
                    format!("{phrase:?} does not occur in {document} revision {}", revision.number),
                ));
            }
            let target = MarkTarget::Phrase { phrase: phrase.to_string(), every, ranges };
            let mark = insert_mark(&tx, &actor, &revision, target, reason)?;
            tx.commit()?;
            Ok(mark)
        })
    }

    /// Marks the exact characters `start..end` of the visible text of a document's latest
    /// revision for redaction: what a reviewer selects with the mouse. The offsets are
    /// character offsets (Unicode scalar values), as findings report them; an empty range or
    /// one reaching past the visible text is refused, since it would redact nothing the reader
    /// sees. The mark is stored as a phrase mark of that one range, so export and the review
    /// record treat it exactly like a phrase found by `mark_phrase`.
    pub fn mark_range(
        &self,
        session: &Session,
        document: DocumentId,
        start: usize,
        end: usize,
        reason: &str,
    ) -> Result<Mark> {
        self.logging_refusal(session, "mark", Some(document), || {
            // Read the document before taking the write lock, as `mark_phrase` does.
            let actor = acting(self.store().conn(), session)?;
            let read_revision =
                revision_open_for_review(self.store().conn(), &actor, document, "mark passages")?;
            let original = self.store().blobs().get(&read_revision.sha256)?;
            let read = ingest::read_as(&original, read_revision.format, &self.limits)?;
            let visible = read.visible_char_len();
            if start >= end || end > visible {
                return Err(Error::new(
                    ErrorKind::InvalidInput,
                    format!(
                        "characters {start}..{end} are not a passage of {document} revision {}: \
                         a range must be non-empty and within its {visible} visible characters",
                        read_revision.number
                    ),
                ));
            }
            let phrase = read.slice(start, end).to_string();

            let tx = self.store().write()?;
            let actor = acting(&tx, session)?;
            let revision = revision_open_for_review(&tx, &actor, document, "mark passages")?;
            if revision.row_id != read_revision.row_id {
                return Err(Error::new(
                    ErrorKind::InvalidState,
                    format!("{document} changed while the range was read (now revision {})", revision.number),
                ));
            }
            let reason = Workspace::resolve_reason(&tx, reason)?;
            let target = MarkTarget::Phrase { phrase, every: false, ranges: vec![(start, end)] };
            let mark = insert_mark(&tx, &actor, &revision, target, reason)?;
            tx.commit()?;
            Ok(mark)
        })
    }

    /// Takes back the decisions on findings of a document's latest revision, so they are open
    /// again: a reviewer's undo. Only while the review is open, by a reviewer who may decide
    /// them (the same rules as [`Workspace::decide`]); the audit log keeps the decision and
    /// records the reopening. Returns how many findings were decided before.
    pub fn reopen(&self, session: &Session, document: DocumentId, ids: &[u32]) -> Result<usize> {
        self.logging_refusal(session, "reopen", Some(document), || {
            let tx = self.store().write()?;
            let actor = acting(&tx, session)?;
            let revision = revision_open_for_review(&tx, &actor, document, "reopen findings")?;
            let findings = reviewed_findings(&tx, revision.row_id)?;
            let mut reopened = Vec::new();
            for id in ids {
                let finding = finding_numbered(&findings, *id, document, revision.number)?;
                if finding.status != FindingStatus::Open {
                    tx.execute(
                        "DELETE FROM decisions WHERE revision_id = ?1 AND finding = ?2",
                        params![revision.row_id, id],
                    )?;
                    reopened.push(*id);
                }
            }
            if !reopened.is_empty() {
                log(
                    &tx,
                    &actor.name,
                    "reopen",
                    Some(document),
                    json!({ "revision": revision.number, "findings": reopened }),
                )?;
            }
            tx.commit()?;
            Ok(reopened.len())
        })
    }

    /// Removes manual mark `mark` from a document's latest revision: a reviewer's undo of a
    /// mark. The same people as may mark, while the review is open; the audit log keeps the
    /// mark's entry and records its removal.
    pub fn remove_mark(&self, session: &Session, document: DocumentId, mark: i64) -> Result<()> {
        self.logging_refusal(session, "unmark", Some(document), || {
            let tx = self.store().write()?;
            let actor = acting(&tx, session)?;
            let revision = revision_open_for_review(&tx, &actor, document, "remove marks")?;
            let removed = tx.execute(
                "DELETE FROM marks WHERE id = ?1 AND revision_id = ?2",
                params![mark, revision.row_id],
            )?;
            if removed == 0 {
                return Err(Error::new(
                    ErrorKind::NotFound,
                    format!("{document} revision {} has no mark {mark}", revision.number),
                ));
            }
            log(
                &tx,
                &actor.name,
                "unmark",
                Some(document),
                json!({ "revision": revision.number, "mark": mark }),
            )?;
            tx.commit()?;
            Ok(())
        })
    }

    /// Marks an area of a page (PDF) or of the picture (image) for redaction.
    pub fn mark_area(
        &self,
        session: &Session,
        document: DocumentId,
        page: u32,
        rect: Rect,
        reason: &str,
    ) -> Result<Mark> {
        self.logging_refusal(session, "mark", Some(document), || {
            let tx = self.store().write()?;
            let actor = acting(&tx, session)?;
            let revision = revision_open_for_review(&tx, &actor, document, "mark areas")?;
            if !matches!(revision.format, Format::Pdf | Format::Jpeg | Format::Png) {
                return Err(Error::new(
                    ErrorKind::InvalidInput,
                    format!(
                        "areas are marked on PDF pages and images, and {document} is {}",
                        revision.format
                    ),
                ));
            }
            let finite = [rect.x, rect.y, rect.width, rect.height].iter().all(|v| v.is_finite());
            if page == 0 || !finite || rect.width <= 0.0 || rect.height <= 0.0 {
                return Err(Error::new(
                    ErrorKind::InvalidInput,
                    "an area needs a page from 1 and a positive width and height",
                ));
            }
            let reason = Workspace::resolve_reason(&tx, reason)?;
            let mark = insert_mark(&tx, &actor, &revision, MarkTarget::Area { page, rect }, reason)?;
            tx.commit()?;
            Ok(mark)
        })
    }

    /// The latest revision of a document, read again from its stored original (checked
    /// against its SHA-256): what the review view shows, and what the findings' offsets mean.
    pub fn read_document(&self, document: DocumentId) -> Result<(Revision, Document)> {
        let revision = self.revision(document)?;
        let original = self.store().blobs().get(&revision.sha256)?;
        let read = ingest::read_as(&original, revision.format, &self.limits)?;
        Ok((revision, read))
    }

    /// The stored original bytes of a document's latest revision (checked against its
    /// SHA-256), for a viewer that draws the pages itself: the desktop app hands them to pdf.js,
    /// or to the webview as a picture.
    pub fn original(&self, document: DocumentId) -> Result<(Revision, Vec<u8>)> {
        let revision = self.revision(document)?;
        let original = self.store().blobs().get(&revision.sha256)?;
        Ok((revision, original))
    }

    /// The manual marks on a document's latest revision.
    pub fn marks(&self, document: DocumentId) -> Result<Vec<Mark>> {
        let revision = self.revision(document)?;
        marks_of(self.store().conn(), revision.row_id)
    }
}

fn insert_findings(tx: &Transaction<'_>, revision_id: i64, findings: &[Finding]) -> Result<()> {
    for finding in findings {
        let body = serde_json::to_string(finding).map_err(|e| {
            Error::new(ErrorKind::Workspace, format!("cannot store finding {}: {e}", finding.id))
        })?;
        tx.execute(
            "INSERT INTO findings (revision_id, number, category, body) VALUES (?1, ?2, ?3, ?4)",
            params![revision_id, finding.id, finding.category, body],
        )?;
    }
    Ok(())
}

fn insert_mark(
    tx: &Transaction<'_>,
    actor: &Actor,
    revision: &Revision,
    target: MarkTarget,
    reason: String,
) -> Result<Mark> {
    let body = serde_json::to_string(&target)
        .map_err(|e| Error::new(ErrorKind::Workspace, format!("cannot store the mark: {e}")))?;
    tx.execute(
        "INSERT INTO marks (revision_id, body, reason, marked_by, marked_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![revision.row_id, body, reason, actor.id, utc_now()],
    )?;
    let mark = Mark { id: tx.last_insert_rowid(), target, reason, marked_by: actor.name.clone() };
    set_state(tx, revision.row_id, DocState::InReview)?;
    log(
        tx,
        &actor.name,
        "mark",
        Some(revision.document),
        json!({ "revision": revision.number, "mark": mark.id, "target": mark.target, "reason": mark.reason }),
    )?;
    Ok(mark)
}

/// Character ranges of `phrase` in `text`, matched on folded text: the first, or all of them
/// (not overlapping).
pub(crate) fn find_phrase(text: &str, phrase: &str, every: bool) -> Vec<(usize, usize)> {
    let needle = fold(phrase);
    if needle.is_empty() {
        return Vec::new();
    }
    let folded = Folded::new(text, 0);
    let needle_chars = needle.chars().count();
    let mut ranges = Vec::new();
    let mut from = 0;
    while let Some(at) = folded.text.get(from..).and_then(|rest| rest.find(&needle)) {
        let byte = from + at;
        let first = folded.bytes.partition_point(|&b| (b as usize) < byte);
        let (Some(&start), Some(&last)) =
            (folded.origin.get(first), folded.origin.get(first + needle_chars - 1))
        else {
            break;
        };
        ranges.push((start as usize, last as usize + 1));
        if !every {
            break;
        }
        from = byte + needle.len();
    }
    ranges
}

/// Makes `previous` superseded and voids every live sign-off of the document's revisions.
fn supersede(tx: &Transaction<'_>, previous: &Revision) -> Result<usize> {
    set_state(tx, previous.row_id, DocState::Superseded)?;
    let voided = tx.execute(
        "UPDATE signoffs SET voided_at = ?1
         WHERE voided_at IS NULL AND revision_id IN (SELECT id FROM revisions WHERE document_id = ?2)",
        params![utc_now(), previous.document.get()],
    )?;
    Ok(voided)
}

pub(super) fn set_state(tx: &Transaction<'_>, revision_id: i64, state: DocState) -> Result<()> {
    tx.execute("UPDATE revisions SET state = ?1 WHERE id = ?2", params![state.as_str(), revision_id])?;
    Ok(())
}

/// The latest revision of `document`, checked to be open for review by `actor`: a reviewer,
/// not an auditor or admin, not its drafter.
fn revision_open_for_review(
    conn: &Connection,
    actor: &Actor,
    document: DocumentId,
    what: &str,
) -> Result<Revision> {
    actor.require_document_role(Role::Reviewer, what)?;
    let revision = latest_revision(conn, document)?;
    if revision.drafter == actor.name {
        return Err(Error::new(
            ErrorKind::Forbidden,
            format!("{} drafted {document} revision {} and may not review it", actor.name, revision.number),
        ));
    }
    if !OPEN_FOR_REVIEW.contains(&revision.state) {
        return Err(Error::new(
            ErrorKind::InvalidState,
            format!(
                "{document} revision {} is {}: its review is closed (a new revision reopens it)",
                revision.number, revision.state
            ),
        ));
    }
    Ok(revision)
}

pub(super) const REVISION_SELECT: &str =
    "SELECT r.id, r.document_id, r.number, r.file_name, r.format, r.sha256, r.size,
        u.name, r.state, r.imported_at FROM revisions r JOIN users u ON u.id = r.drafter_id";

/// A revision row before its enumerations are checked.
pub(super) struct RevisionRow {
    row_id: i64,
    document: i64,
    number: u32,
    file_name: String,
    format: String,
    sha256: String,
    size: u64,
    drafter: String,
    state: String,
    imported_at: String,
}

pub(super) fn revision_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<RevisionRow> {
    Ok(RevisionRow {
        row_id: row.get(0)?,
        document: row.get(1)?,
        number: row.get(2)?,
        file_name: row.get(3)?,
        format: row.get(4)?,
        sha256: row.get(5)?,
        size: row.get(6)?,
        drafter: row.get(7)?,
        state: row.get(8)?,
        imported_at: row.get(9)?,
    })
}

impl RevisionRow {
    pub(super) fn into_revision(self) -> Result<Revision> {
        let format = serde_json::from_value(json!(self.format)).map_err(|_| {
            Error::new(ErrorKind::Workspace, format!("unknown format {:?} in the database", self.format))
        })?;
        Ok(Revision {
            document: DocumentId::new(self.document),
            number: self.number,
            file_name: self.file_name,
            format,
            sha256: self.sha256,
            size: self.size,
            drafter: self.drafter,
            state: DocState::parse(&self.state)?,
            imported_at: self.imported_at,
            row_id: self.row_id,
        })
    }
}

fn not_found(document: DocumentId) -> Error {
    Error::new(ErrorKind::NotFound, format!("no document {document} in this workspace"))
}

pub(super) fn latest_revision(conn: &Connection, document: DocumentId) -> Result<Revision> {
    conn.query_row(
        &format!("{REVISION_SELECT} WHERE r.document_id = ?1 ORDER BY r.number DESC LIMIT 1"),
        [document.get()],
        revision_from_row,
    )
    .optional()?
    .ok_or_else(|| not_found(document))?
    .into_revision()
}

fn latest_revision_by_file_name(conn: &Connection, file_name: &str) -> Result<Option<Revision>> {
    let document: Option<i64> = conn
        .query_row(
            "SELECT document_id FROM revisions WHERE file_name = ?1 ORDER BY document_id DESC LIMIT 1",
            [file_name],
            |row| row.get(0),
        )
        .optional()?;
    document.map(|id| latest_revision(conn, DocumentId::new(id))).transpose()
}

pub(super) fn reviewed_findings(conn: &Connection, revision_id: i64) -> Result<Vec<ReviewedFinding>> {
    let mut statement = conn.prepare(
        "SELECT f.number, f.body, d.action, d.reason, u.name FROM findings f
         LEFT JOIN decisions d ON d.revision_id = f.revision_id AND d.finding = f.number
         LEFT JOIN users u ON u.id = d.decided_by
         WHERE f.revision_id = ?1 ORDER BY f.number",
    )?;
    let rows = statement.query_map([revision_id], |row| {
        Ok((
            row.get::<_, u32>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, Option<String>>(2)?,
            row.get::<_, Option<String>>(3)?,
            row.get::<_, Option<String>>(4)?,
        ))
    })?;
    let mut findings = Vec::new();
    for row in rows {
        let (number, body, action, reason, decided_by) = row?;
        let finding: Finding = serde_json::from_str(&body).map_err(|e| {
            Error::new(ErrorKind::Workspace, format!("finding #{number} cannot be read back: {e}"))
        })?;
        let status = match action.as_deref() {
            None => FindingStatus::Open,
            Some("redact") => FindingStatus::Redact,
            Some(_) => FindingStatus::Keep,
        };
        findings.push(ReviewedFinding { finding, status, decision_reason: reason, decided_by });
    }
    Ok(findings)
}

pub(super) fn marks_of(conn: &Connection, revision_id: i64) -> Result<Vec<Mark>> {
    let mut statement = conn.prepare(
        "SELECT m.id, m.body, m.reason, u.name FROM marks m JOIN users u ON u.id = m.marked_by
         WHERE m.revision_id = ?1 ORDER BY m.id",
    )?;
    let rows = statement.query_map([revision_id], |row| {
        Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?, row.get(2)?, row.get(3)?))
    })?;
    let mut marks = Vec::new();
    for row in rows {
        let (id, body, reason, marked_by) = row?;
        let target = serde_json::from_str(&body)
            .map_err(|e| Error::new(ErrorKind::Workspace, format!("mark {id} cannot be read back: {e}")))?;
        marks.push(Mark { id, target, reason, marked_by });
    }
    Ok(marks)
}

/// Finding `#id` of a revision's findings, or `not_found` naming the document and revision.
fn finding_numbered(
    findings: &[ReviewedFinding],
    id: u32,
    document: DocumentId,
    revision: u32,
) -> Result<&ReviewedFinding> {
    findings.iter().find(|f| f.finding.id == id).ok_or_else(|| {
        Error::new(ErrorKind::NotFound, format!("{document} revision {revision} has no finding #{id}"))
    })
}

#[cfg(test)]
mod tests {
    use super::find_phrase;

    fn check(text: &str, phrase: &str, every: bool, expected: &[(usize, usize)]) {
        assert_eq!(find_phrase(text, phrase, every), expected, "{phrase:?} in {text:?} (every: {every})");
    }

    #[test]
    fn phrases_are_found_through_evasions_and_map_back_to_original_offsets() {
        check("见95837部队，95837部队。", "95837部队", false, &[(1, 8)]);
        check("见95837部队，95837部队。", "95837部队", true, &[(1, 8), (9, 16)]);
        check("见９５８３７部 队", "95837部队", true, &[(1, 9)]);
        check("a TOP\nSECRET b", "top secret", true, &[(2, 12)]);
        check("张三", "李四", true, &[]);
        check("张三", "  ", true, &[]);
        check("aaaa", "aa", true, &[(0, 2), (2, 4)]);
    }
}

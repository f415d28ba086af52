//! The review of a workspace document: what the review screen shows, and the reviewer's
//! decisions and manual marks on it.
//!
//! Everything goes through the core's `Workspace` with the signed-in `Session` (see
//! [`Desk::with_session`]), so roles, separation of duties and the audit log are enforced there.
//! This module only *predicts* those rules, to tell a drafter, an approver or an auditor up front
//! why the screen is read-only instead of letting them press keys that the core then refuses.
//! Like `desk`, it knows nothing about Tauri.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use vetted_core::{
    Decision, DocState, DocumentId, Error, ErrorKind, FindingStatus, Mark, MarkTarget, ReasonCode, Rect,
    Result, ReviewedFinding, Revision, Role, Selection, Session, Workspace,
};

use crate::desk::Desk;
use crate::dto::{FindingView, HiddenItemView};
pub use crate::pages::CharRange;

/// A workspace document opened for review.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReviewView {
    /// The document, as `D3`.
    pub document: String,
    /// The file name of its latest revision.
    pub file_name: String,
    /// `"txt"`, `"md"`, `"docx"`, `"pdf"`, `"jpeg"` or `"png"`.
    pub format: String,
    /// Who imported the revision.
    pub drafter: String,
    /// The visible text, as a reader of the published file sees it.
    pub text: String,
    /// Number of characters (Unicode scalar values) in `text`; every offset is in this unit.
    pub visible_chars: usize,
    /// Everything a reader does not see, in document order.
    pub hidden_items: Vec<HiddenItemView>,
    /// Where the review stands; changes with every decision.
    pub progress: ReviewProgress,
}

/// The part of a review that decisions and marks change: sent back after each of them, so
/// the screen never re-reads (and re-parses) the document for a key press.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReviewProgress {
    /// The latest revision's number.
    pub revision: u32,
    /// Where it is in the workflow (`imported`, `in_review`, `review_complete`, ...).
    pub state: String,
    /// The findings with their decisions, in text order.
    pub findings: Vec<ReviewedFindingView>,
    /// The manual marks, oldest first.
    pub marks: Vec<MarkView>,
    /// Whether the signed-in user may decide and mark, and why not.
    pub access: ReviewAccess,
}

/// A finding with its decision.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReviewedFindingView {
    /// The finding, as the scan reported it.
    pub finding: FindingView,
    /// `"open"`, `"redact"` or `"keep"`.
    pub status: String,
    /// The reason code (redact) or the written reason (keep), once decided.
    pub decision_reason: Option<String>,
    /// Who decided, once decided.
    pub decided_by: Option<String>,
}

/// A manual mark.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MarkView {
    /// Its number within the workspace.
    #[ts(type = "number")]
    pub id: i64,
    /// The marked phrase (empty for an area).
    pub phrase: String,
    /// The character ranges of the visible text it covers (none for an area).
    pub ranges: Vec<CharRange>,
    /// The page of an area mark (1 for a photo).
    pub page: Option<u32>,
    /// The area of an area mark: PDF points (pixels for a photo) from the page's top left.
    pub rect: Option<AreaRect>,
    /// The reason code.
    pub reason: String,
    /// Who made it.
    pub marked_by: String,
}

/// An area of a page: PDF points (pixels for a photo), origin at the page's top left, as the
/// page view draws it and `Workspace::mark_area` takes it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, TS)]
pub struct AreaRect {
    /// Left edge.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Width.
    pub width: f32,
    /// Height.
    pub height: f32,
}

/// Whether the signed-in user may decide findings and mark passages of this revision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReviewAccess {
    /// True when the core would accept their decisions.
    pub can_decide: bool,
    /// Why not, when they may not.
    pub read_only: Option<ReadOnlyReason>,
}

/// Why a review is read-only for the signed-in user: the core's rules, named so the screen
/// can explain them in the user's language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReadOnlyReason {
    /// Administrators and auditors never change documents.
    Oversight,
    /// Only reviewers decide findings.
    NotReviewer,
    /// The drafter of a revision may not review it.
    OwnDraft,
    /// The revision is signed off (or exported, or superseded): its review is closed.
    Closed,
}

/// A reviewer's decision, as the screen sends it.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DecisionRequest {
    /// Remove the passages, with their suggested reason codes (or `reason` for all of them).
    Redact {
        /// A reason code instead of the findings' suggestions.
        reason: Option<String>,
    },
    /// Keep the passages, under a reason code and an optional note.
    Keep {
        /// One of the workspace's reason codes.
        code: String,
        /// The reviewer's own words (may be empty).
        note: String,
    },
    /// Take the decisions back: the findings are open again.
    Reopen,
}

/// A reason code with its labels in both languages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct ReasonCodeView {
    /// The stable code, such as `state_secret`.
    pub code: String,
    /// 中文 label.
    pub zh: String,
    /// English label.
    pub en: String,
}

/// Opens `document`'s latest revision for review: its text read back from the stored original,
/// its hidden items, findings, decisions and marks.
pub fn open(desk: &Desk, document: &str) -> Result<ReviewView> {
    let document: DocumentId = document.parse()?;
    desk.with_session(|workspace, session| {
        let (revision, read) = workspace.read_document(document)?;
        Ok(ReviewView {
            document: document.to_string(),
            file_name: revision.file_name.clone(),
            format: revision.format.as_str().to_string(),
            drafter: revision.drafter.clone(),
            text: read.visible_text().to_string(),
            visible_chars: read.visible_char_len(),
            hidden_items: read.hidden_items().iter().map(HiddenItemView::from).collect(),
            progress: progress_of(workspace, session, document, &revision)?,
        })
    })
}

/// Decides (or reopens) findings `ids` of `document`; returns where the review stands.
pub fn decide(
    desk: &Desk,
    document: &str,
    ids: &[u32],
    decision: &DecisionRequest,
) -> Result<ReviewProgress> {
    let document: DocumentId = document.parse()?;
    if ids.is_empty() {
        return Err(Error::new(ErrorKind::InvalidInput, "no finding was chosen"));
    }
    desk.with_session(|workspace, session| {
        let which = Selection::Ids(ids.to_vec());
        match decision {
            DecisionRequest::Redact { reason } => {
                workspace.decide(session, document, &which, &Decision::Redact { reason: reason.clone() })?;
            }
            DecisionRequest::Keep { code, note } => {
                let reason = keep_reason(&workspace.reason_codes()?, code, note)?;
                workspace.decide(session, document, &which, &Decision::Keep { reason })?;
            }
            DecisionRequest::Reopen => {
                workspace.reopen(session, document, ids)?;
            }
        }
        progress(workspace, session, document)
    })
}

/// Marks characters `range` of the visible text for redaction.
pub fn mark_range(desk: &Desk, document: &str, range: CharRange, reason: &str) -> Result<ReviewProgress> {
    let document: DocumentId = document.parse()?;
    desk.with_session(|workspace, session| {
        workspace.mark_range(session, document, range.start, range.end, reason)?;
        progress(workspace, session, document)
    })
}

/// Marks every occurrence of `phrase` (found through full-width forms, spaces and line breaks).
pub fn mark_phrase(desk: &Desk, document: &str, phrase: &str, reason: &str) -> Result<ReviewProgress> {
    let document: DocumentId = document.parse()?;
    desk.with_session(|workspace, session| {
        workspace.mark_phrase(session, document, phrase, true, reason)?;
        progress(workspace, session, document)
    })
}

/// Marks an area of page `page` (1 for a photo) for redaction, with everything under it.
pub fn mark_area(
    desk: &Desk,
    document: &str,
    page: u32,
    rect: AreaRect,
    reason: &str,
) -> Result<ReviewProgress> {
    let document: DocumentId = document.parse()?;
    let rect = Rect { x: rect.x, y: rect.y, width: rect.width, height: rect.height };
    desk.with_session(|workspace, session| {
        workspace.mark_area(session, document, page, rect, reason)?;
        progress(workspace, session, document)
    })
}

/// Removes manual mark `mark`.
pub fn remove_mark(desk: &Desk, document: &str, mark: i64) -> Result<ReviewProgress> {
    let document: DocumentId = document.parse()?;
    desk.with_session(|workspace, session| {
        workspace.remove_mark(session, document, mark)?;
        progress(workspace, session, document)
    })
}

/// The workspace's reason codes.
pub fn reason_codes(desk: &Desk) -> Result<Vec<ReasonCodeView>> {
    desk.with_session(|workspace, _| {
        Ok(workspace
            .reason_codes()?
            .into_iter()
            .map(|ReasonCode { code, zh, en }| ReasonCodeView { code, zh, en })
            .collect())
    })
}

/// The written reason a "keep" is recorded with: the reason code, then the reviewer's note. The
/// core stores a keep's reason as free text (the CLI's `--reason TEXT`); leading with a checked
/// code keeps the record sortable by code while the note says the rest.
fn keep_reason(codes: &[ReasonCode], code: &str, note: &str) -> Result<String> {
    let code = code.trim();
    if !codes.iter().any(|known| known.code == code) {
        return Err(Error::new(ErrorKind::NotFound, format!("unknown reason code {code:?}")));
    }
    let note = note.trim();
    Ok(if note.is_empty() { code.to_string() } else { format!("{code}: {note}") })
}

fn progress(workspace: &Workspace, session: &Session, document: DocumentId) -> Result<ReviewProgress> {
    progress_of(workspace, session, document, &workspace.revision(document)?)
}

fn progress_of(
    workspace: &Workspace,
    session: &Session,
    document: DocumentId,
    revision: &Revision,
) -> Result<ReviewProgress> {
    Ok(ReviewProgress {
        revision: revision.number,
        state: revision.state.as_str().to_string(),
        findings: workspace.findings(document)?.iter().map(ReviewedFindingView::from).collect(),
        marks: workspace.marks(document)?.iter().map(MarkView::from).collect(),
        access: access(workspace, session, revision)?,
    })
}

/// The core's rules for deciding (see `revision_open_for_review` there), checked in the same
/// order so the reason given is the one the core would give.
fn access(workspace: &Workspace, session: &Session, revision: &Revision) -> Result<ReviewAccess> {
    let roles = workspace
        .users()?
        .into_iter()
        .find(|user| user.name == session.name())
        .map(|user| user.roles)
        .unwrap_or_default();
    let read_only = if roles.contains(&Role::Admin) || roles.contains(&Role::Auditor) {
        Some(ReadOnlyReason::Oversight)
    } else if !roles.contains(&Role::Reviewer) {
        Some(ReadOnlyReason::NotReviewer)
    } else if revision.drafter == session.name() {
        Some(ReadOnlyReason::OwnDraft)
    } else if !matches!(revision.state, DocState::Imported | DocState::InReview | DocState::Rejected) {
        Some(ReadOnlyReason::Closed)
    } else {
        None
    };
    Ok(ReviewAccess { can_decide: read_only.is_none(), read_only })
}

impl From<&ReviewedFinding> for ReviewedFindingView {
    fn from(reviewed: &ReviewedFinding) -> Self {
        let status = match reviewed.status {
            FindingStatus::Open => "open",
            FindingStatus::Redact => "redact",
            FindingStatus::Keep => "keep",
        };
        ReviewedFindingView {
            finding: FindingView::from(&reviewed.finding),
            status: status.to_string(),
            decision_reason: reviewed.decision_reason.clone(),
            decided_by: reviewed.decided_by.clone(),
        }
    }
}

impl From<&Mark> for MarkView {
    fn from(mark: &Mark) -> Self {
        let (phrase, ranges, page, rect) = match &mark.target {
            MarkTarget::Phrase { phrase, ranges, .. } => {
                let ranges = ranges.iter().map(|&(start, end)| CharRange { start, end }).collect();
                (phrase.clone(), ranges, None, None)
            }
            MarkTarget::Area { page, rect } => {
                let area = AreaRect { x: rect.x, y: rect.y, width: rect.width, height: rect.height };
                (String::new(), Vec::new(), Some(*page), Some(area))
            }
        };
        MarkView {
            id: mark.id,
            phrase,
            ranges,
            page,
            rect,
            reason: mark.reason.clone(),
            marked_by: mark.marked_by.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PASS: &str = "correct horse battery";
    const DRAFT: &str = "通知：95837部队将于下月开放，联系人电话13800138000。\n";

    /// A workspace with one user per role and D1 imported by the drafter `dora`; the desk is
    /// left signed in as `who`.
    fn desk_with_draft(who: &str) -> (tempfile::TempDir, Desk) {
        let dir = tempfile::tempdir().unwrap();
        let desk = Desk::new(Some(dir.path().join("workspace")));
        desk.create("admin", PASS).unwrap();
        for (name, role) in
            [("dora", "drafter"), ("rita", "reviewer"), ("alan", "approver"), ("otto", "auditor")]
        {
            desk.add_user(name, &[role.into()], PASS).unwrap();
        }
        desk.sign_in("dora", PASS).unwrap();
        let draft = dir.path().join("notice.txt");
        std::fs::write(&draft, DRAFT).unwrap();
        desk.import(&draft).unwrap();
        desk.sign_in(who, PASS).unwrap();
        (dir, desk)
    }

    fn statuses(progress: &ReviewProgress) -> Vec<(u32, &str)> {
        progress.findings.iter().map(|f| (f.finding.id, f.status.as_str())).collect()
    }

    #[test]
    fn a_reviewer_opens_the_document_with_its_text_findings_and_the_right_to_decide() {
        let (_dir, desk) = desk_with_draft("rita");
        let view = open(&desk, "D1").unwrap();
        assert_eq!(
            (view.document.as_str(), view.file_name.as_str(), view.format.as_str()),
            ("D1", "notice.txt", "txt")
        );
        assert_eq!((view.text.as_str(), view.visible_chars), (DRAFT, DRAFT.chars().count()));
        assert_eq!((view.progress.revision, view.progress.state.as_str()), (1, "imported"));
        let texts: Vec<&str> = view.progress.findings.iter().map(|f| f.finding.text.as_str()).collect();
        assert!(texts.contains(&"95837部队") && texts.contains(&"13800138000"), "{texts:?}");
        assert!(view.progress.findings.iter().all(|f| f.status == "open"));
        assert_eq!(view.progress.access, ReviewAccess { can_decide: true, read_only: None });
    }

    #[test]
    fn decisions_are_stored_and_read_back_and_an_undo_reopens_the_finding() {
        let (_dir, desk) = desk_with_draft("rita");
        let ids: Vec<u32> =
            open(&desk, "D1").unwrap().progress.findings.iter().map(|f| f.finding.id).collect();
        let (first, second) = (ids[0], ids[1]);
        decide(&desk, "D1", &[first], &DecisionRequest::Redact { reason: None }).unwrap();
        let keep = DecisionRequest::Keep { code: "work_secret".into(), note: " 已公开 ".into() };
        let after = decide(&desk, "D1", &[second], &keep).unwrap();
        assert_eq!(after.state, "in_review");
        let kept = after.findings.iter().find(|f| f.finding.id == second).unwrap();
        assert_eq!(
            (kept.status.as_str(), kept.decision_reason.as_deref(), kept.decided_by.as_deref()),
            ("keep", Some("work_secret: 已公开"), Some("rita"))
        );

        // A reload (a new open) shows what was stored.
        let reloaded = open(&desk, "D1").unwrap().progress;
        assert_eq!(reloaded.findings, after.findings);

        let undone = decide(&desk, "D1", &[second], &DecisionRequest::Reopen).unwrap();
        assert_eq!(statuses(&undone)[..2], [(first, "redact"), (second, "open")]);
    }

    #[test]
    fn a_keep_needs_a_known_reason_code_and_a_decision_needs_a_finding() {
        let (_dir, desk) = desk_with_draft("rita");
        let keep = DecisionRequest::Keep { code: "because".into(), note: String::new() };
        assert_eq!(decide(&desk, "D1", &[1], &keep).unwrap_err().kind(), ErrorKind::NotFound);
        let redact = DecisionRequest::Redact { reason: None };
        assert_eq!(decide(&desk, "D1", &[], &redact).unwrap_err().kind(), ErrorKind::InvalidInput);
        assert_eq!(decide(&desk, "D1", &[99], &redact).unwrap_err().kind(), ErrorKind::NotFound);
        assert_eq!(decide(&desk, "nonsense", &[1], &redact).unwrap_err().kind(), ErrorKind::InvalidInput);
        assert!(open(&desk, "D1").unwrap().progress.findings.iter().all(|f| f.status == "open"));
    }

    #[test]
    fn a_selected_range_and_a_phrase_everywhere_become_marks_with_their_ranges() {
        let (_dir, desk) = desk_with_draft("rita");
        // "下月" is characters 12..14.
        let after = mark_range(&desk, "D1", CharRange { start: 12, end: 14 }, "work_secret").unwrap();
        let mark = &after.marks[0];
        assert_eq!(
            (mark.phrase.as_str(), mark.ranges.as_slice(), mark.reason.as_str(), mark.marked_by.as_str()),
            ("下月", &[CharRange { start: 12, end: 14 }][..], "work_secret", "rita")
        );
        let after = mark_phrase(&desk, "D1", "开放", "sensitive").unwrap();
        assert_eq!(after.marks.len(), 2);
        assert_eq!(after.marks[1].ranges, [CharRange { start: 14, end: 16 }]);
        let outside = mark_range(&desk, "D1", CharRange { start: 10, end: 500 }, "sensitive").unwrap_err();
        assert_eq!(outside.kind(), ErrorKind::InvalidInput);
        assert_eq!(open(&desk, "D1").unwrap().progress.marks, after.marks);

        let removed = remove_mark(&desk, "D1", after.marks[0].id).unwrap();
        assert_eq!(removed.marks, after.marks[1..]);
        assert_eq!(remove_mark(&desk, "D1", after.marks[0].id).unwrap_err().kind(), ErrorKind::NotFound);
    }

    #[test]
    fn the_review_is_read_only_with_the_reason_for_everyone_the_core_would_refuse() {
        let check = |who: &str, expected: ReadOnlyReason| {
            let (_dir, desk) = desk_with_draft(who);
            let access = open(&desk, "D1").unwrap().progress.access;
            assert_eq!(access, ReviewAccess { can_decide: false, read_only: Some(expected) }, "{who}");
            // The prediction matches the core: deciding is refused.
            let refused = decide(&desk, "D1", &[1], &DecisionRequest::Redact { reason: None }).unwrap_err();
            assert_eq!(refused.kind(), ErrorKind::Forbidden, "{who}");
        };
        check("dora", ReadOnlyReason::NotReviewer);
        check("alan", ReadOnlyReason::NotReviewer);
        check("otto", ReadOnlyReason::Oversight);
        check("admin", ReadOnlyReason::Oversight);
    }

    #[test]
    fn a_drafter_who_is_also_a_reviewer_may_not_review_their_own_draft() {
        let (dir, desk) = desk_with_draft("admin");
        desk.add_user("dan", &["drafter".into(), "reviewer".into()], PASS).unwrap();
        desk.sign_in("dan", PASS).unwrap();
        let draft = dir.path().join("own.txt");
        std::fs::write(&draft, DRAFT).unwrap();
        desk.import(&draft).unwrap();
        let access = open(&desk, "D2").unwrap().progress.access;
        assert_eq!(access.read_only, Some(ReadOnlyReason::OwnDraft));
        assert_eq!(open(&desk, "D1").unwrap().progress.access.read_only, None);
    }

    #[test]
    fn a_submitted_review_is_closed() {
        let (_dir, desk) = desk_with_draft("rita");
        desk.with_session(|workspace, session| {
            let document = "D1".parse()?;
            workspace.decide(session, document, &Selection::All, &Decision::Redact { reason: None })?;
            workspace.submit(session, document)
        })
        .unwrap();
        let progress = open(&desk, "D1").unwrap().progress;
        assert_eq!(
            (progress.state.as_str(), progress.access.read_only),
            ("review_complete", Some(ReadOnlyReason::Closed))
        );
    }

    #[test]
    fn a_docx_shows_its_hidden_items_apart_and_its_hidden_findings_flagged_as_hidden() {
        let (dir, desk) = desk_with_draft("dora");
        let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/../assets/samples/信息公开-草稿.docx");
        let draft = dir.path().join("信息公开-草稿.docx");
        std::fs::copy(sample, &draft).unwrap();
        desk.import(&draft).unwrap();
        desk.sign_in("rita", PASS).unwrap();
        let view = open(&desk, "D2").unwrap();
        assert_eq!(view.format, "docx");
        let kinds: Vec<&str> = view.hidden_items.iter().map(|item| item.kind.as_str()).collect();
        assert!(kinds.contains(&"comment") && kinds.contains(&"tracked_deletion"), "{kinds:?}");
        // A comment's words are a hidden item and a hidden finding, never part of the text.
        let comment = view.hidden_items.iter().find(|item| item.kind == "comment").unwrap();
        assert!(!view.text.contains(&comment.text), "{:?} is in the visible text", comment.text);
        let hidden: Vec<&FindingView> =
            view.progress.findings.iter().map(|f| &f.finding).filter(|f| f.hidden).collect();
        assert!(hidden.iter().any(|f| comment.text.contains(&f.text)), "{hidden:?}");
        assert!(hidden.iter().all(|f| f.start >= view.visible_chars), "{hidden:?}");
    }

    #[test]
    fn an_area_of_a_photo_is_marked_and_shown_with_its_page_and_rectangle() {
        let (dir, desk) = desk_with_draft("dora");
        let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/data/photo.jpg");
        let draft = dir.path().join("site.jpg");
        std::fs::copy(sample, &draft).unwrap();
        desk.import(&draft).unwrap();
        desk.sign_in("rita", PASS).unwrap();
        let rect = AreaRect { x: 10.0, y: 30.0, width: 50.0, height: 30.0 };
        let after = mark_area(&desk, "D2", 1, rect, "sensitive").unwrap();
        let mark = &after.marks[0];
        assert_eq!((mark.page, mark.rect, mark.ranges.len()), (Some(1), Some(rect), 0));
        // A text document has no page to draw on.
        assert_eq!(mark_area(&desk, "D1", 1, rect, "sensitive").unwrap_err().kind(), ErrorKind::InvalidInput);
        let empty = AreaRect { width: 0.0, ..rect };
        assert_eq!(
            mark_area(&desk, "D2", 1, empty, "sensitive").unwrap_err().kind(),
            ErrorKind::InvalidInput
        );
    }

    #[test]
    fn the_reason_codes_are_listed_in_both_languages() {
        let (_dir, desk) = desk_with_draft("rita");
        let codes = reason_codes(&desk).unwrap();
        let state_secret = codes.iter().find(|c| c.code == "state_secret").unwrap();
        assert_eq!((state_secret.zh.as_str(), state_secret.en.as_str()), ("国家秘密", "state secret"));
    }
}

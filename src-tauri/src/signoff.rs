//! Sign-off, the redacted preview and the export of a workspace document.
//!
//! - what the signed-in user may do with a document now, and for each refused action the rule
//!   that refuses it (the core's [`Workspace::sign_off_options`], which asks what the actions
//!   ask);
//! - review complete / approve / reject, each after the user gives their passphrase again,
//!   checked by the core's sign-in for the same user: a session left open on a shared
//!   workstation is not a signature;
//! - the redacted preview: the core's [`Workspace::preview`] (the export's own redaction, in
//!   memory), re-read with the core's reader so the UI shows the text a reader of the public
//!   file will get, beside the original's;
//! - the export, which only the core decides is allowed, and its verification.
//!
//! Like `desk`, this module knows nothing about Tauri; the commands in `commands::signoff`
//! delegate here in one line.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use vetted_core::{
    DocumentId, Error, ErrorKind, ExportRecord, Refusal, RefusalRule, Result, Revision, SignOff, SignOffKind,
    SignOffOptions, VerificationReport, ingest,
};

use crate::desk::Desk;
use crate::dto::RemovedView;

/// The sign-off panel of one document: its latest revision, what the user may do, the
/// signatures so far.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SignOffView {
    /// The document, as `D3`.
    pub document: String,
    /// The latest revision's number.
    pub revision: u32,
    /// The file it was imported from.
    pub file_name: String,
    /// Its format (`txt`, `docx`, `pdf`...).
    pub format: String,
    /// Where it is in the workflow (`imported`, `review_complete`, `approved`...).
    pub state: String,
    /// Who drafted it.
    pub drafter: String,
    /// Every sign-off action, in workflow order, with why it is refused if it is.
    pub actions: Vec<ActionView>,
    /// Every signature on the document, oldest first, voided ones included.
    pub signatures: Vec<SignatureView>,
    /// The exports of the document so far, oldest first.
    pub exports: Vec<ExportResultView>,
}

/// One sign-off action (`submit`, `approve`, `reject`, `export`) and whether it is permitted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ActionView {
    /// The action.
    pub action: String,
    /// Why it is refused now; `None` when the user may take it.
    pub refusal: Option<RefusalView>,
}

/// Why an action is refused: the rule (a stable code the UI words in its language) with its
/// details, and the core's own message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RefusalView {
    /// `missing_role`, `oversight_role`, `drafter`, `reviewer`, `wrong_state` or `open_findings`.
    pub rule: String,
    /// The role needed (`missing_role`) or held (`oversight_role`).
    pub role: Option<String>,
    /// The revision's state (`wrong_state`).
    pub state: Option<String>,
    /// The states the action applies to (`wrong_state`).
    pub needs: Vec<String>,
    /// The undecided findings' numbers (`open_findings`).
    pub findings: Vec<u32>,
    /// The refusal as the core words it (English), exactly the action's error message.
    pub message: String,
}

/// One signature.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SignatureView {
    /// The revision signed.
    pub revision: u32,
    /// `review_complete`, `approved` or `rejected`.
    pub kind: String,
    /// Who signed.
    pub user: String,
    /// Their comment, if any.
    pub comment: Option<String>,
    /// When (UTC, RFC 3339).
    pub signed_at: String,
    /// True when a newer revision voided it.
    pub voided: bool,
}

/// A sign-off the user asks for; the export is not one of them (it has its own command).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SignRequest {
    /// Review complete.
    Submit,
    /// Approve.
    Approve,
    /// Reject (a comment is required).
    Reject,
}

/// How many things of one kind an export removed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KindCount {
    /// `text` for redacted passages, else the hidden item's kind (`comment`, `metadata`...).
    pub kind: String,
    /// How many.
    pub count: u32,
}

/// What an export removed and checked, and the hashes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct VerificationView {
    /// SHA-256 of the original, lowercase hex.
    pub input_sha256: String,
    /// SHA-256 of the public version, lowercase hex.
    pub output_sha256: String,
    /// Everything removed, in the order the report lists it.
    pub removed: Vec<RemovedView>,
    /// The same, counted by kind (kinds in alphabetical order).
    pub removed_by_kind: Vec<KindCount>,
    /// How many distinct strings the public version was searched for.
    pub strings_checked: u32,
}

/// The public version as the export would write it now, beside the original.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PreviewView {
    /// The document, as `D3`.
    pub document: String,
    /// The revision previewed.
    pub revision: u32,
    /// Its format.
    pub format: String,
    /// The original's visible text.
    pub original: String,
    /// The passages of `original` the export removes (character offsets, sorted, merged):
    /// what the review decided, drawn over the original so the two sides can be compared.
    pub removed_ranges: Vec<PreviewRange>,
    /// The public version's visible text, read back by the core's reader from the preview's
    /// bytes: removed text shows as █ where the format keeps a mark in the text (TXT, DOCX);
    /// in a PDF the mark is a black box drawn on the page, and the text is simply gone.
    pub redacted: String,
    /// What the public version no longer holds, and the hashes.
    pub verification: VerificationView,
}

/// A character range of a text, `start..end`, in Unicode scalar values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
pub struct PreviewRange {
    /// First character.
    pub start: u32,
    /// One past the last character.
    pub end: u32,
}

/// A recorded export.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportResultView {
    /// The revision exported.
    pub revision: u32,
    /// Where the public version was written.
    pub path: String,
    /// Who exported it.
    pub exported_by: String,
    /// When (UTC, RFC 3339).
    pub exported_at: String,
    /// What was removed and checked, and the hashes.
    pub verification: VerificationView,
}

/// The sign-off panel of `document` for the signed-in user.
pub fn status(desk: &Desk, document: &str) -> Result<SignOffView> {
    let id: DocumentId = document.parse()?;
    desk.with_session(|workspace, session| {
        let options = workspace.sign_off_options(session, id)?;
        let signatures = workspace.signoffs(id)?;
        let exports = workspace.exports(id)?;
        Ok(view(&options, &signatures, &exports))
    })
}

/// Signs `request` on `document` after checking `passphrase` with the core's sign-in for the
/// signed-in user. A wrong passphrase is refused (`authentication`, logged as a failed
/// sign-in by the core) and nothing else happens. Returns the panel as it now stands.
pub fn sign(
    desk: &Desk,
    document: &str,
    request: SignRequest,
    passphrase: &str,
    comment: Option<&str>,
) -> Result<SignOffView> {
    let id: DocumentId = document.parse()?;
    desk.with_session(|workspace, session| {
        let confirmed = workspace.sign_in(session.name(), passphrase)?;
        match request {
            SignRequest::Submit => workspace.submit(&confirmed, id)?,
            SignRequest::Approve => workspace.approve(&confirmed, id, comment)?,
            SignRequest::Reject => workspace.reject(&confirmed, id, comment.unwrap_or_default())?,
        }
        let options = workspace.sign_off_options(&confirmed, id)?;
        Ok(view(&options, &workspace.signoffs(id)?, &workspace.exports(id)?))
    })
}

/// The redacted preview of `document`: nothing is written or recorded.
pub fn preview(desk: &Desk, document: &str) -> Result<PreviewView> {
    let id: DocumentId = document.parse()?;
    desk.with_session(|workspace, _| {
        let (revision, original) = workspace.read_document(id)?;
        let preview = workspace.preview(id)?;
        if preview.revision.number != revision.number {
            return Err(Error::new(
                ErrorKind::InvalidState,
                format!("{id} changed while its preview was made (now revision {})", preview.revision.number),
            ));
        }
        let public = ingest::read_as(&preview.export.bytes, revision.format, workspace.limits())?;
        let visible = original.visible_char_len();
        let planned = preview.plan.ranges.iter().map(|r| (r.start, r.end));
        Ok(PreviewView {
            document: id.to_string(),
            revision: revision.number,
            format: revision.format.as_str().to_string(),
            original: original.visible_text().to_string(),
            removed_ranges: merged_within(planned, visible),
            redacted: public.visible_text().to_string(),
            verification: verification(&preview.export.report),
        })
    })
}

/// `ranges` clipped to `0..len`, sorted, with overlapping or touching ones merged; empty ones
/// dropped. Ranges past `len` lie in hidden items, which the export removes whole.
fn merged_within(ranges: impl Iterator<Item = (usize, usize)>, len: usize) -> Vec<PreviewRange> {
    let mut clipped: Vec<(usize, usize)> = ranges
        .map(|(start, end)| (start.min(len), end.min(len)))
        .filter(|(start, end)| start < end)
        .collect();
    clipped.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (start, end) in clipped {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    let to_u32 = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    merged.into_iter().map(|(start, end)| PreviewRange { start: to_u32(start), end: to_u32(end) }).collect()
}

/// The file name the public version of `document` is suggested to be saved under:
/// `notice.public.pdf` for `notice.pdf`.
pub fn suggested_export_name(desk: &Desk, document: &str) -> Result<String> {
    let id: DocumentId = document.parse()?;
    desk.with_session(|workspace, _| Ok(public_name(&workspace.revision(id)?)))
}

/// Exports `document` to `destination` as the signed-in user; the core refuses unless it is
/// approved and the user an approver, and writes nothing then.
pub fn export(desk: &Desk, document: &str, destination: &Path) -> Result<ExportResultView> {
    let id: DocumentId = document.parse()?;
    desk.with_session(|workspace, session| Ok(export_view(&workspace.export(session, id, destination)?)))
}

fn public_name(revision: &Revision) -> String {
    match revision.file_name.rsplit_once('.') {
        Some((stem, extension)) if !stem.is_empty() => format!("{stem}.public.{extension}"),
        _ => format!("{}.public", revision.file_name),
    }
}

fn view(options: &SignOffOptions, signatures: &[SignOff], exports: &[ExportRecord]) -> SignOffView {
    let revision = &options.revision;
    SignOffView {
        document: revision.document.to_string(),
        revision: revision.number,
        file_name: revision.file_name.clone(),
        format: revision.format.as_str().to_string(),
        state: revision.state.as_str().to_string(),
        drafter: revision.drafter.clone(),
        actions: options
            .actions
            .iter()
            .map(|check| ActionView {
                action: check.action.as_str().to_string(),
                refusal: check.refusal.as_ref().map(refusal_view),
            })
            .collect(),
        signatures: signatures
            .iter()
            .map(|s| SignatureView {
                revision: s.revision,
                kind: match s.kind {
                    SignOffKind::ReviewComplete => "review_complete",
                    SignOffKind::Approved => "approved",
                    SignOffKind::Rejected => "rejected",
                }
                .to_string(),
                user: s.user.clone(),
                comment: s.comment.clone(),
                signed_at: s.signed_at.clone(),
                voided: s.voided_at.is_some(),
            })
            .collect(),
        exports: exports.iter().map(export_view).collect(),
    }
}

fn refusal_view(refusal: &Refusal) -> RefusalView {
    let mut view = RefusalView {
        rule: String::new(),
        role: None,
        state: None,
        needs: Vec::new(),
        findings: Vec::new(),
        message: refusal.message.clone(),
    };
    view.rule = match &refusal.rule {
        RefusalRule::MissingRole { role } => {
            view.role = Some(role.as_str().to_string());
            "missing_role"
        }
        RefusalRule::OversightRole { role } => {
            view.role = Some(role.as_str().to_string());
            "oversight_role"
        }
        RefusalRule::Drafter => "drafter",
        RefusalRule::Reviewer => "reviewer",
        RefusalRule::WrongState { state, needs } => {
            view.state = Some(state.as_str().to_string());
            view.needs = needs.iter().map(|s| s.as_str().to_string()).collect();
            "wrong_state"
        }
        RefusalRule::OpenFindings { findings } => {
            view.findings = findings.clone();
            "open_findings"
        }
    }
    .to_string();
    view
}

fn verification(report: &VerificationReport) -> VerificationView {
    let mut by_kind: BTreeMap<&str, u32> = BTreeMap::new();
    for removed in &report.removed {
        *by_kind.entry(removed.kind.as_str()).or_default() += 1;
    }
    VerificationView {
        input_sha256: report.input_sha256.clone(),
        output_sha256: report.output_sha256.clone(),
        removed: report
            .removed
            .iter()
            .map(|r| RemovedView {
                kind: r.kind.clone(),
                description: r.description.clone(),
                location: r.location.to_string(),
                reason: r.reason.clone(),
            })
            .collect(),
        removed_by_kind: by_kind
            .into_iter()
            .map(|(kind, count)| KindCount { kind: kind.to_string(), count })
            .collect(),
        strings_checked: u32::try_from(report.strings_checked).unwrap_or(u32::MAX),
    }
}

fn export_view(record: &ExportRecord) -> ExportResultView {
    ExportResultView {
        revision: record.revision,
        path: record.path.clone(),
        exported_by: record.exported_by.clone(),
        exported_at: record.exported_at.clone(),
        verification: verification(&record.report),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PASS: &str = "correct horse battery";
    const DRAFT: &str = "联系人：张三，电话 13800138000。项目预算 450 万元。\n";

    /// A desk on a fresh workspace with one user per role, and D1 (a TXT with findings)
    /// imported by the drafter `dora`.
    fn office() -> (tempfile::TempDir, Desk) {
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
        (dir, desk)
    }

    /// `(action, refusal rule or "" when permitted)` for the signed-in user.
    fn actions(desk: &Desk) -> Vec<(String, String)> {
        let view = status(desk, "D1").unwrap();
        view.actions.into_iter().map(|a| (a.action, a.refusal.map(|r| r.rule).unwrap_or_default())).collect()
    }

    fn check_actions(desk: &Desk, expected: [(&str, &str); 4]) {
        let expected: Vec<(String, String)> =
            expected.iter().map(|(a, r)| (a.to_string(), r.to_string())).collect();
        assert_eq!(actions(desk), expected);
    }

    /// Redacts every finding of D1 as `rita`.
    fn review_everything(desk: &Desk) {
        desk.sign_in("rita", PASS).unwrap();
        desk.with_session(|ws, session| {
            ws.decide(
                session,
                "D1".parse()?,
                &vetted_core::Selection::All,
                &vetted_core::Decision::Redact { reason: None },
            )
        })
        .unwrap();
    }

    #[test]
    fn each_refused_action_says_which_rule_refuses_it() {
        let (_dir, desk) = office();
        check_actions(
            &desk,
            [
                ("submit", "missing_role"),
                ("approve", "missing_role"),
                ("reject", "missing_role"),
                ("export", "missing_role"),
            ],
        );
        let view = status(&desk, "D1").unwrap();
        let approve = view.actions[1].refusal.clone().unwrap();
        assert_eq!(approve.role.as_deref(), Some("approver"));
        assert_eq!(approve.message, "dora may not approve documents: that needs the approver role");

        desk.sign_in("rita", PASS).unwrap();
        let submit = status(&desk, "D1").unwrap().actions[0].refusal.clone().unwrap();
        assert_eq!(submit.rule, "open_findings");
        assert!(!submit.findings.is_empty());

        desk.sign_in("alan", PASS).unwrap();
        let export = status(&desk, "D1").unwrap().actions[3].refusal.clone().unwrap();
        assert_eq!(
            (export.rule.as_str(), export.state.as_deref(), export.needs),
            ("wrong_state", Some("imported"), vec!["approved".to_string(), "exported".to_string()])
        );

        desk.sign_in("otto", PASS).unwrap();
        let oversight = status(&desk, "D1").unwrap().actions[0].refusal.clone().unwrap();
        assert_eq!((oversight.rule.as_str(), oversight.role.as_deref()), ("oversight_role", Some("auditor")));
    }

    #[test]
    fn a_wrong_passphrase_signs_nothing_and_the_right_one_signs() {
        let (_dir, desk) = office();
        review_everything(&desk);
        let error = sign(&desk, "D1", SignRequest::Submit, "not it", None).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Authentication);
        let before = status(&desk, "D1").unwrap();
        assert_eq!((before.state.as_str(), before.signatures.len()), ("in_review", 0));

        let after = sign(&desk, "D1", SignRequest::Submit, PASS, None).unwrap();
        assert_eq!(after.state, "review_complete");
        let signed: Vec<_> = after.signatures.iter().map(|s| (s.kind.as_str(), s.user.as_str())).collect();
        assert_eq!(signed, [("review_complete", "rita")]);
        // The session is still rita's: the confirmation did not sign anyone else in.
        assert_eq!(desk.status().unwrap().signed_in.map(|u| u.name), Some("rita".to_string()));
    }

    #[test]
    fn a_rejection_needs_a_comment_and_an_approval_may_have_one() {
        let (_dir, desk) = office();
        review_everything(&desk);
        sign(&desk, "D1", SignRequest::Submit, PASS, None).unwrap();
        desk.sign_in("alan", PASS).unwrap();
        let error = sign(&desk, "D1", SignRequest::Reject, PASS, Some("  ")).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidInput);
        let approved = sign(&desk, "D1", SignRequest::Approve, PASS, Some("同意公开")).unwrap();
        assert_eq!(approved.state, "approved");
        assert_eq!(approved.signatures[1].comment.as_deref(), Some("同意公开"));
        check_actions(
            &desk,
            [
                ("submit", "missing_role"),
                ("approve", "wrong_state"),
                ("reject", "wrong_state"),
                ("export", ""),
            ],
        );
    }

    #[test]
    fn the_drafter_is_told_they_may_not_approve_what_they_drafted() {
        let (dir, desk) = office();
        desk.sign_in("admin", PASS).unwrap();
        desk.add_user("dan", &["drafter".into(), "approver".into()], PASS).unwrap();
        desk.sign_in("dan", PASS).unwrap();
        let draft = dir.path().join("own.txt");
        std::fs::write(&draft, "本单位通知。\n").unwrap();
        desk.import(&draft).unwrap();
        let view = status(&desk, "D2").unwrap();
        let approve = view.actions[1].refusal.clone().unwrap();
        assert_eq!(approve.rule, "drafter");
        assert_eq!(approve.message, "dan drafted D2 revision 1 and may not approve it");
    }

    #[test]
    fn the_preview_shows_both_texts_and_the_export_writes_exactly_the_preview() {
        let (dir, desk) = office();
        review_everything(&desk);
        let preview = preview(&desk, "D1").unwrap();
        assert_eq!(preview.original, DRAFT);
        let removed: Vec<String> = preview
            .removed_ranges
            .iter()
            .map(|r| DRAFT.chars().skip(r.start as usize).take((r.end - r.start) as usize).collect())
            .collect();
        assert!(removed.contains(&"13800138000".to_string()), "{removed:?}");
        assert!(preview.redacted.contains('█'), "{}", preview.redacted);
        assert!(!preview.redacted.contains("13800138000"), "{}", preview.redacted);
        assert_eq!(
            preview.verification.removed_by_kind.iter().map(|k| k.kind.as_str()).collect::<Vec<_>>(),
            ["text"]
        );

        // Before approval the export is refused, and nothing is written.
        desk.sign_in("alan", PASS).unwrap();
        let out = dir.path().join("notice.public.txt");
        assert_eq!(export(&desk, "D1", &out).unwrap_err().kind(), ErrorKind::InvalidState);
        assert!(!out.exists());

        desk.sign_in("rita", PASS).unwrap();
        sign(&desk, "D1", SignRequest::Submit, PASS, None).unwrap();
        desk.sign_in("alan", PASS).unwrap();
        sign(&desk, "D1", SignRequest::Approve, PASS, None).unwrap();
        assert_eq!(suggested_export_name(&desk, "D1").unwrap(), "notice.public.txt");
        let exported = export(&desk, "D1", &out).unwrap();
        assert_eq!(std::fs::read_to_string(&out).unwrap(), preview.redacted);
        assert_eq!(exported.verification, preview.verification);
        assert_eq!(status(&desk, "D1").unwrap().exports, vec![exported]);
    }

    #[test]
    fn removed_ranges_are_clipped_to_the_visible_text_sorted_and_merged() {
        let check = |ranges: &[(usize, usize)], len: usize, expected: &[(u32, u32)]| {
            let got: Vec<(u32, u32)> =
                merged_within(ranges.iter().copied(), len).iter().map(|r| (r.start, r.end)).collect();
            assert_eq!(got, expected, "{ranges:?} within {len}");
        };
        check(&[], 10, &[]);
        check(&[(2, 4)], 10, &[(2, 4)]);
        check(&[(6, 8), (2, 4)], 10, &[(2, 4), (6, 8)]);
        check(&[(2, 4), (3, 6)], 10, &[(2, 6)]);
        check(&[(2, 4), (4, 6)], 10, &[(2, 6)]);
        check(&[(2, 9), (3, 4)], 10, &[(2, 9)]);
        check(&[(8, 14), (12, 20)], 10, &[(8, 10)]);
        check(&[(10, 12)], 10, &[]);
    }

    #[test]
    fn nothing_works_for_nobody_and_a_bad_id_is_invalid_input() {
        let (_dir, desk) = office();
        assert_eq!(status(&desk, "X").unwrap_err().kind(), ErrorKind::InvalidInput);
        desk.sign_out();
        assert_eq!(status(&desk, "D1").unwrap_err().kind(), ErrorKind::Authentication);
        assert_eq!(preview(&desk, "D1").unwrap_err().kind(), ErrorKind::Authentication);
    }
}

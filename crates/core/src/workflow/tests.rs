//! The workflow's rules, each shown refusing or allowing, on a real SQLite workspace in a
//! temporary directory. Imports are scanned by a stand-in scanner (a few fixed words with the
//! categories the detection engine uses), so these tests depend on the workflow alone.

use serde_json::json;

use super::*;
use crate::detect::Severity;
use crate::document::Location;

/// Words the stand-in scanner flags, with their categories.
const FLAGGED: &[(&str, &str)] = &[
    ("95837部队", "military_unit"),
    ("军事管理区", "restricted_area"),
    ("X波段", "technical_parameter"),
    ("13800138000", "personal_identifier"),
];

fn stand_in_scan(document: &Document, _rules: &RuleSet) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (word, category) in FLAGGED {
        for (start, end) in documents::find_phrase(document.visible_text(), word, true) {
            findings.push(Finding {
                id: 0,
                rule: format!("test.{category}"),
                category: (*category).into(),
                severity: Severity::High,
                confidence: 1.0,
                text: document.slice(start, end).to_string(),
                start,
                end,
                location: Location::default(),
                hidden: false,
                reason: "state_secret".into(),
                note: String::new(),
            });
        }
    }
    findings.sort_by_key(|f| f.start);
    for (i, f) in findings.iter_mut().enumerate() {
        f.id = i as u32 + 1;
    }
    findings
}

const PASS: &str = "correct horse battery";

/// A workspace with an admin and one user per review role, signed in.
struct Office {
    _dir: tempfile::TempDir,
    ws: Workspace,
    admin: Session,
    drafter: Session,
    reviewer: Session,
    approver: Session,
    auditor: Session,
}

fn office() -> Office {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = Workspace::create(dir.path(), "admin", PASS).unwrap();
    ws.scanner = stand_in_scan;
    let admin = ws.sign_in("admin", PASS).unwrap();
    for (name, role) in
        [("dora", Role::Drafter), ("rita", Role::Reviewer), ("alan", Role::Approver), ("otto", Role::Auditor)]
    {
        ws.add_user(&admin, name, &[role], PASS).unwrap();
    }
    Office {
        drafter: ws.sign_in("dora", PASS).unwrap(),
        reviewer: ws.sign_in("rita", PASS).unwrap(),
        approver: ws.sign_in("alan", PASS).unwrap(),
        auditor: ws.sign_in("otto", PASS).unwrap(),
        admin,
        ws,
        _dir: dir,
    }
}

const DRAFT: &str = "通知：95837部队将于下月测试X波段设备。联系人电话13800138000。\n";

fn kinds(result: Result<impl std::fmt::Debug>) -> ErrorKind {
    result.expect_err("the action must be refused").kind()
}

fn statuses(ws: &Workspace, doc: DocumentId) -> Vec<FindingStatus> {
    ws.findings(doc).unwrap().iter().map(|f| f.status).collect()
}

#[test]
fn a_document_walks_from_import_to_a_verified_export_by_three_people() {
    let o = office();
    let ws = &o.ws;
    let imported = ws.import(&o.drafter, "notice.txt", DRAFT.as_bytes(), None).unwrap();
    let doc = imported.document;
    assert_eq!((imported.revision, imported.findings), (1, 3));
    assert_eq!(statuses(ws, doc), [FindingStatus::Open; 3]);

    // Not every finding decided: submit is refused and says which are open.
    ws.decide(&o.reviewer, doc, &Selection::Ids(vec![1]), &Decision::Redact { reason: None }).unwrap();
    let error = ws.submit(&o.reviewer, doc).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidState);
    assert!(error.message().contains("#2, #3"), "{error}");

    ws.decide(
        &o.reviewer,
        doc,
        &Selection::Ids(vec![2]),
        &Decision::Keep { reason: "已公开的民用频段".into() },
    )
    .unwrap();
    ws.decide(
        &o.reviewer,
        doc,
        &Selection::Ids(vec![3]),
        &Decision::Redact { reason: Some("个人信息".into()) },
    )
    .unwrap();
    assert_eq!(statuses(ws, doc), [FindingStatus::Redact, FindingStatus::Keep, FindingStatus::Redact]);
    assert_eq!(ws.findings(doc).unwrap()[2].decision_reason.as_deref(), Some("personal_information"));
    ws.mark_phrase(&o.reviewer, doc, "下月", false, "work_secret").unwrap();

    assert_eq!(kinds(ws.export(&o.approver, doc, &o._dir.path().join("early.txt"))), ErrorKind::InvalidState);
    ws.submit(&o.reviewer, doc).unwrap();
    assert_eq!(ws.revision(doc).unwrap().state, DocState::ReviewComplete);
    ws.approve(&o.approver, doc, Some("同意公开")).unwrap();

    let out = o._dir.path().join("public.txt");
    let record = ws.export(&o.approver, doc, &out).unwrap();
    let public = std::fs::read_to_string(&out).unwrap();
    assert_eq!(public, "通知：███████将于██测试X波段设备。联系人电话███████████。\n");
    assert_eq!(record.sha256, crate::sha256_hex(public.as_bytes()));
    assert_eq!(ws.revision(doc).unwrap().state, DocState::Exported);

    let actions: Vec<String> = ws.audit_log(Some(doc)).unwrap().into_iter().map(|e| e.action).collect();
    assert_eq!(
        actions,
        ["import", "scan", "decide", "decide", "decide", "mark", "submit", "approve", "export"]
    );
    match ws.verify_audit().unwrap() {
        ChainStatus::Intact { entries, .. } => assert_eq!(entries, ws.audit_log(None).unwrap().len() as u64),
        other => panic!("the chain must be intact: {other:?}"),
    }
}

#[test]
fn separation_of_duties_refuses_every_forbidden_actor() {
    let o = office();
    let ws = &o.ws;
    // Admins and auditors never change documents, even holding a document role as well.
    ws.add_user(&o.admin, "both", &[Role::Auditor, Role::Drafter, Role::Reviewer], PASS).unwrap();
    let both = ws.sign_in("both", PASS).unwrap();
    for who in [&o.admin, &o.auditor, &both] {
        assert_eq!(kinds(ws.import(who, "n.txt", DRAFT.as_bytes(), None)), ErrorKind::Forbidden);
    }
    let doc = ws.import(&o.drafter, "n.txt", DRAFT.as_bytes(), None).unwrap().document;
    for who in [&o.admin, &o.auditor, &both, &o.approver] {
        assert_eq!(
            kinds(ws.decide(who, doc, &Selection::All, &Decision::Redact { reason: None })),
            ErrorKind::Forbidden
        );
        assert_eq!(kinds(ws.mark_phrase(who, doc, "通知", true, "sensitive")), ErrorKind::Forbidden);
    }

    // The drafter of a revision may not review or approve it, whatever roles they hold.
    ws.add_user(&o.admin, "dan", &[Role::Drafter, Role::Reviewer, Role::Approver], PASS).unwrap();
    let dan = ws.sign_in("dan", PASS).unwrap();
    let own = ws.import(&dan, "own.txt", DRAFT.as_bytes(), None).unwrap().document;
    assert_eq!(
        kinds(ws.decide(&dan, own, &Selection::All, &Decision::Redact { reason: None })),
        ErrorKind::Forbidden
    );
    ws.decide(&o.reviewer, own, &Selection::All, &Decision::Redact { reason: None }).unwrap();
    assert_eq!(kinds(ws.submit(&dan, own)), ErrorKind::Forbidden);
    ws.submit(&o.reviewer, own).unwrap();
    assert_eq!(kinds(ws.approve(&dan, own, None)), ErrorKind::Forbidden);
    assert_eq!(kinds(ws.reject(&dan, own, "no")), ErrorKind::Forbidden);

    // The reviewer who signed may not approve, even holding the approver role.
    ws.add_user(&o.admin, "ray", &[Role::Reviewer, Role::Approver], PASS).unwrap();
    let ray = ws.sign_in("ray", PASS).unwrap();
    ws.decide(&ray, doc, &Selection::All, &Decision::Redact { reason: None }).unwrap();
    ws.submit(&ray, doc).unwrap();
    assert_eq!(kinds(ws.approve(&ray, doc, None)), ErrorKind::Forbidden);
    assert_eq!(kinds(ws.approve(&o.reviewer, doc, None)), ErrorKind::Forbidden);
    ws.approve(&o.approver, doc, None).unwrap();
    // Signed decisions are closed.
    assert_eq!(
        kinds(ws.decide(&ray, doc, &Selection::All, &Decision::Redact { reason: None })),
        ErrorKind::InvalidState
    );
    for who in [&o.admin, &o.auditor, &o.reviewer, &o.drafter] {
        assert_eq!(kinds(ws.export(who, doc, &o._dir.path().join("x.txt"))), ErrorKind::Forbidden);
    }
}

#[test]
fn a_rejection_needs_a_comment_and_sends_the_revision_back_to_review() {
    let o = office();
    let ws = &o.ws;
    let doc = ws.import(&o.drafter, "n.txt", DRAFT.as_bytes(), None).unwrap().document;
    ws.decide(&o.reviewer, doc, &Selection::All, &Decision::Keep { reason: "已公开".into() }).unwrap();
    ws.submit(&o.reviewer, doc).unwrap();
    assert_eq!(kinds(ws.reject(&o.approver, doc, "  ")), ErrorKind::InvalidInput);
    ws.reject(&o.approver, doc, "部队番号不得公开").unwrap();
    assert_eq!(ws.revision(doc).unwrap().state, DocState::Rejected);
    assert_eq!(kinds(ws.export(&o.approver, doc, &o._dir.path().join("x.txt"))), ErrorKind::InvalidState);
    ws.decide(&o.reviewer, doc, &Selection::Ids(vec![1]), &Decision::Redact { reason: None }).unwrap();
    assert_eq!(ws.revision(doc).unwrap().state, DocState::InReview);
    ws.submit(&o.reviewer, doc).unwrap();
    ws.approve(&o.approver, doc, None).unwrap();
}

#[test]
fn reimporting_a_document_makes_a_new_revision_and_voids_every_signoff() {
    let o = office();
    let ws = &o.ws;
    let doc = ws.import(&o.drafter, "n.txt", DRAFT.as_bytes(), None).unwrap().document;
    ws.decide(&o.reviewer, doc, &Selection::All, &Decision::Redact { reason: None }).unwrap();
    ws.submit(&o.reviewer, doc).unwrap();
    ws.approve(&o.approver, doc, None).unwrap();

    // Same bytes: nothing to re-import.
    assert_eq!(kinds(ws.import(&o.drafter, "n.txt", DRAFT.as_bytes(), None)), ErrorKind::InvalidInput);
    let second = ws.import(&o.drafter, "n.txt", "通知：测试X波段设备。\n".as_bytes(), None).unwrap();
    assert_eq!((second.document, second.revision, second.voided_signoffs), (doc, 2, 2));
    assert!(ws.signoffs(doc).unwrap().iter().all(|s| s.voided_at.is_some()));
    let states: Vec<DocState> = ws.revisions(doc).unwrap().iter().map(|r| r.state).collect();
    assert_eq!(states, [DocState::Superseded, DocState::Imported]);
    assert_eq!(kinds(ws.export(&o.approver, doc, &o._dir.path().join("x.txt"))), ErrorKind::InvalidState);
    assert_eq!(statuses(ws, doc), [FindingStatus::Open]);

    // An explicit revision_of works across file names.
    let third = ws.import(&o.drafter, "renamed.txt", "通知。\n".as_bytes(), Some(doc)).unwrap();
    assert_eq!((third.document, third.revision), (doc, 3));
}

#[test]
fn a_wrong_passphrase_is_refused_and_logged_and_a_disabled_user_keeps_their_history() {
    let o = office();
    let ws = &o.ws;
    assert_eq!(kinds(ws.sign_in("rita", "wrong passphrase")), ErrorKind::Authentication);
    assert_eq!(kinds(ws.sign_in("nobody", PASS)), ErrorKind::Authentication);
    let failures: Vec<(String, Value)> = ws
        .audit_log(None)
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "sign_in_failed")
        .map(|e| (e.actor, e.payload))
        .collect();
    assert_eq!(
        failures,
        [
            ("rita".to_string(), json!({ "why": "wrong passphrase", "consecutive_failures": 1 })),
            ("nobody".to_string(), json!({ "why": "unknown user" })),
        ]
    );

    let doc = ws.import(&o.drafter, "n.txt", DRAFT.as_bytes(), None).unwrap().document;
    ws.disable_user(&o.admin, "dora").unwrap();
    assert_eq!(kinds(ws.sign_in("dora", PASS)), ErrorKind::Authentication);
    // A session opened before the user was disabled no longer acts.
    assert_eq!(kinds(ws.import(&o.drafter, "m.txt", b"x", None)), ErrorKind::Authentication);
    assert_eq!(ws.revision(doc).unwrap().drafter, "dora");
    let dora = ws.users().unwrap().into_iter().find(|u| u.name == "dora").unwrap();
    assert!(dora.disabled);
}

#[test]
fn the_audit_log_refuses_update_and_delete() {
    let o = office();
    let conn = o.ws.store().conn();
    for sql in ["UPDATE audit_log SET actor = 'mallory' WHERE seq = 1", "DELETE FROM audit_log WHERE seq = 1"]
    {
        let error = conn.execute(sql, []).unwrap_err();
        assert!(error.to_string().contains("append-only"), "{sql}: {error}");
    }
}

/// Imports `text` as a new document, has it reviewed (keeping every finding) and exported.
fn publish(o: &Office, name: &str, text: &str) -> DocumentId {
    let ws = &o.ws;
    let doc = ws.import(&o.drafter, name, text.as_bytes(), None).unwrap().document;
    ws.decide(&o.reviewer, doc, &Selection::All, &Decision::Keep { reason: "已公开".into() }).unwrap();
    ws.submit(&o.reviewer, doc).unwrap();
    ws.approve(&o.approver, doc, None).unwrap();
    ws.export(&o.approver, doc, &o._dir.path().join(format!("{name}.public"))).unwrap();
    doc
}

#[test]
fn a_draft_that_completes_a_mosaic_with_an_earlier_export_gets_a_finding_naming_it() {
    let o = office();
    let earlier = publish(&o, "earlier.txt", "95837部队举行开放日。\n");
    let draft =
        o.ws.import(&o.drafter, "draft.txt", "军事管理区内测试X波段雷达。\n".as_bytes(), None).unwrap();
    let findings = o.ws.findings(draft.document).unwrap();
    let mosaic: Vec<&Finding> =
        findings.iter().map(|f| &f.finding).filter(|f| f.category == "mosaic").collect();
    assert_eq!(mosaic.len(), 1, "{findings:?}");
    assert_eq!(mosaic[0].rule, "mosaic.cross_document");
    assert_eq!(mosaic[0].text, "军事管理区");
    assert!(mosaic[0].note.contains(&format!("{earlier} revision 1")), "{}", mosaic[0].note);
}

#[test]
fn no_mosaic_when_the_earlier_export_redacted_its_piece_or_the_draft_adds_nothing() {
    let o = office();
    let ws = &o.ws;
    // Redacted before release: the unit was never published.
    let doc = ws.import(&o.drafter, "a.txt", "95837部队举行开放日。\n".as_bytes(), None).unwrap().document;
    ws.decide(&o.reviewer, doc, &Selection::All, &Decision::Redact { reason: None }).unwrap();
    ws.submit(&o.reviewer, doc).unwrap();
    ws.approve(&o.approver, doc, None).unwrap();
    ws.export(&o.approver, doc, &o._dir.path().join("a.public")).unwrap();
    let draft = ws.import(&o.drafter, "b.txt", "军事管理区内测试X波段雷达。\n".as_bytes(), None).unwrap();
    assert!(ws.findings(draft.document).unwrap().iter().all(|f| f.finding.category != "mosaic"));

    // Published, but the draft only repeats the same piece: two groups, no mosaic.
    publish(&o, "c.txt", "95837部队举行开放日。\n");
    let repeat = ws.import(&o.drafter, "d.txt", "95837部队再次开放。\n".as_bytes(), None).unwrap();
    assert!(ws.findings(repeat.document).unwrap().iter().all(|f| f.finding.category != "mosaic"));
}

#[test]
fn a_workspace_is_created_once_and_an_interrupted_creation_can_be_completed() {
    let o = office();
    let error = Workspace::create(o.ws.dir(), "admin2", PASS).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Workspace);
    assert!(error.message().contains("already holds a Vetted workspace"), "{error}");

    // A creation killed after the schema but before the first user leaves no users behind.
    let dir = tempfile::tempdir().unwrap();
    drop(crate::store::Store::create(dir.path()).unwrap());
    Workspace::create(dir.path(), "admin", PASS).unwrap().sign_in("admin", PASS).unwrap();
}

#[test]
fn from_the_third_failure_on_sign_in_slows_down_and_success_resets_the_count() {
    let o = office();
    for _ in 0..3 {
        assert_eq!(kinds(o.ws.sign_in("rita", "wrong")), ErrorKind::Authentication);
    }
    let started = std::time::Instant::now();
    o.ws.sign_in("rita", PASS).unwrap();
    assert!(started.elapsed() >= std::time::Duration::from_secs(1), "{:?}", started.elapsed());
    let started = std::time::Instant::now();
    o.ws.sign_in("rita", PASS).unwrap();
    assert!(started.elapsed() < std::time::Duration::from_secs(1), "{:?}", started.elapsed());
}

#[test]
fn two_connections_deciding_at_once_lose_no_decision() {
    let o = office();
    let text: String = (0..20).map(|i| format!("第{i}处95837部队。")).collect();
    let doc = o.ws.import(&o.drafter, "many.txt", text.as_bytes(), None).unwrap().document;
    assert_eq!(o.ws.findings(doc).unwrap().len(), 20);
    std::thread::scope(|scope| {
        for parity in [0, 1] {
            let dir = o.ws.dir().to_path_buf();
            scope.spawn(move || {
                // Each thread has its own connection, as two processes would.
                let ws = Workspace::open(&dir).unwrap();
                let rita = ws.sign_in("rita", PASS).unwrap();
                for id in (1..=20).filter(|id| id % 2 == parity) {
                    let decision = if parity == 0 {
                        Decision::Redact { reason: None }
                    } else {
                        Decision::Keep { reason: "已公开".into() }
                    };
                    ws.decide(&rita, doc, &Selection::Ids(vec![id]), &decision).unwrap();
                }
            });
        }
    });
    let expected: Vec<FindingStatus> =
        (1..=20).map(|id| if id % 2 == 0 { FindingStatus::Redact } else { FindingStatus::Keep }).collect();
    assert_eq!(statuses(&o.ws, doc), expected);
    assert!(matches!(o.ws.verify_audit().unwrap(), ChainStatus::Intact { .. }));
}

#[test]
fn a_refused_attempt_is_itself_recorded() {
    let o = office();
    let doc = o.ws.import(&o.drafter, "n.txt", DRAFT.as_bytes(), None).unwrap().document;
    assert_eq!(
        kinds(o.ws.decide(&o.drafter, doc, &Selection::All, &Decision::Redact { reason: None })),
        ErrorKind::Forbidden
    );
    let last = o.ws.audit_log(Some(doc)).unwrap().pop().unwrap();
    assert_eq!((last.actor.as_str(), last.action.as_str()), ("dora", "refused"));
    assert_eq!(last.payload["action"], "decide");
    assert!(last.payload["why"].as_str().unwrap().contains("needs the reviewer role"), "{}", last.payload);
    // A refusal for another reason (the state) is not an attempt to overstep a role.
    assert_eq!(kinds(o.ws.submit(&o.reviewer, doc)), ErrorKind::InvalidState);
    assert_eq!(o.ws.audit_log(Some(doc)).unwrap().pop().unwrap().action, "refused");
    assert_eq!(o.ws.audit_log(Some(doc)).unwrap().len(), 3);
}

#[test]
fn a_user_changes_their_passphrase_by_giving_the_current_one() {
    let o = office();
    assert_eq!(
        kinds(o.ws.change_passphrase(&o.reviewer, "wrong", "a new passphrase")),
        ErrorKind::Authentication
    );
    o.ws.change_passphrase(&o.reviewer, PASS, "a new passphrase").unwrap();
    assert_eq!(kinds(o.ws.sign_in("rita", PASS)), ErrorKind::Authentication);
    o.ws.sign_in("rita", "a new passphrase").unwrap();
    let actions: Vec<String> =
        o.ws.audit_log(None).unwrap().into_iter().map(|e| e.action).rev().take(4).collect();
    assert_eq!(actions, ["sign_in", "sign_in_failed", "passphrase_changed", "sign_in_failed"]);
}

/// A valid rule pack in the detection engine's schema (see assets/rules/README.md), declaring
/// no aggregation settings.
const SITE_PACK: &str = "[pack]\nid = \"site\"\nname = { zh = \"本单位\", en = \"Site\" }\n\n[[rules]]\n\
    id = \"site.project\"\ncategory = \"project\"\nseverity = \"high\"\nconfidence = 0.8\n\
    reason = \"work_secret\"\ndescription = { zh = \"项目代号\", en = \"Project\" }\nterms = [\"红星项目\"]\n";

#[test]
fn a_change_of_the_rule_packs_is_logged_before_the_first_scan_that_uses_them() {
    let o = office();
    o.ws.import(&o.drafter, "a.txt", "第一份。\n".as_bytes(), None).unwrap();
    let rules = o.ws.dir().join("rules");
    std::fs::create_dir(&rules).unwrap();
    // A valid pack in the detection engine's schema (see assets/rules/README.md).
    std::fs::write(rules.join("site.toml"), SITE_PACK).unwrap();
    let mut reopened = Workspace::open(o.ws.dir()).unwrap();
    reopened.scanner = stand_in_scan;
    let dora = reopened.sign_in("dora", PASS).unwrap();
    reopened.import(&dora, "b.txt", "第二份。\n".as_bytes(), None).unwrap();
    reopened.import(&dora, "c.txt", "第三份。\n".as_bytes(), None).unwrap();
    let log = reopened.audit_log(None).unwrap();
    let changes: Vec<&AuditEntry> = log.iter().filter(|e| e.action == "rules_changed").collect();
    assert_eq!(changes.len(), 1, "only the first scan after the change logs it");
    assert_eq!(changes[0].payload["from"], "built-in rules");
    assert!(
        changes[0].payload["to"].as_str().unwrap().starts_with("rules directory (sha256 "),
        "{}",
        changes[0].payload
    );
}

#[test]
fn the_document_under_review_is_read_back_from_its_stored_original() {
    let o = office();
    let doc = o.ws.import(&o.drafter, "n.txt", DRAFT.as_bytes(), None).unwrap().document;
    let (revision, read) = o.ws.read_document(doc).unwrap();
    assert_eq!(revision.number, 1);
    assert_eq!(read.visible_text(), DRAFT);
    let finding = &o.ws.findings(doc).unwrap()[0].finding;
    assert_eq!(read.slice(finding.start, finding.end), "95837部队");
}

#[test]
fn the_original_bytes_of_the_latest_revision_are_handed_back_unchanged() {
    let o = office();
    let doc = o.ws.import(&o.drafter, "n.txt", DRAFT.as_bytes(), None).unwrap().document;
    o.ws.import(&o.drafter, "n.txt", "第二稿\n".as_bytes(), None).unwrap();
    let (revision, original) = o.ws.original(doc).unwrap();
    assert_eq!((revision.number, original.as_slice()), (2, "第二稿\n".as_bytes()));
    assert_eq!(o.ws.original(DocumentId::new(99)).unwrap_err().kind(), ErrorKind::NotFound);
}

#[test]
fn rules_without_aggregation_settings_make_no_cross_document_mosaic() {
    let o = office();
    publish(&o, "earlier.txt", "95837部队举行开放日。\n");
    let rules = o.ws.dir().join("rules");
    std::fs::create_dir(&rules).unwrap();
    std::fs::write(rules.join("site.toml"), SITE_PACK).unwrap();
    let mut reopened = Workspace::open(o.ws.dir()).unwrap();
    reopened.scanner = stand_in_scan;
    let dora = reopened.sign_in("dora", PASS).unwrap();
    let draft =
        reopened.import(&dora, "draft.txt", "军事管理区内测试X波段雷达。\n".as_bytes(), None).unwrap();
    let categories: Vec<String> =
        reopened.findings(draft.document).unwrap().into_iter().map(|f| f.finding.category).collect();
    assert_eq!(categories, ["restricted_area", "technical_parameter"]);
}

/// What `who` may do with `doc` now: for each action of the workflow, `None` when permitted or
/// the rule that refuses it. Before returning, checks that the explanation and the actions
/// agree: every refused action, attempted, fails with exactly the refusal's kind and message.
fn options(o: &Office, who: &Session, doc: DocumentId) -> Vec<(SignOffAction, Option<RefusalRule>)> {
    let options = o.ws.sign_off_options(who, doc).unwrap();
    let out = o._dir.path().join("refused-export.txt");
    for check in &options.actions {
        let Some(refusal) = &check.refusal else { continue };
        let attempt = match check.action {
            SignOffAction::Submit => o.ws.submit(who, doc),
            SignOffAction::Approve => o.ws.approve(who, doc, None),
            SignOffAction::Reject => o.ws.reject(who, doc, "a comment"),
            SignOffAction::Export => o.ws.export(who, doc, &out).map(|_| ()),
        };
        let error = attempt.expect_err("an action the options refuse must fail");
        assert_eq!(
            (error.kind(), error.message()),
            (refusal.kind(), refusal.message.as_str()),
            "{} by {}",
            check.action,
            who.name()
        );
        assert!(!out.exists(), "a refused export wrote a file");
    }
    options.actions.into_iter().map(|check| (check.action, check.refusal.map(|r| r.rule))).collect()
}

/// The expected options, in the order of `SignOffAction::ALL`.
fn expect(
    submit: Option<RefusalRule>,
    approve: Option<RefusalRule>,
    export: Option<RefusalRule>,
) -> Vec<(SignOffAction, Option<RefusalRule>)> {
    vec![
        (SignOffAction::Submit, submit),
        (SignOffAction::Approve, approve.clone()),
        (SignOffAction::Reject, approve),
        (SignOffAction::Export, export),
    ]
}

fn missing(role: Role) -> Option<RefusalRule> {
    Some(RefusalRule::MissingRole { role })
}

fn wrong_state(state: DocState, needs: &[DocState]) -> Option<RefusalRule> {
    Some(RefusalRule::WrongState { state, needs: needs.to_vec() })
}

const TO_APPROVE: &[DocState] = &[DocState::ReviewComplete];
const TO_EXPORT: &[DocState] = &[DocState::Approved, DocState::Exported];

#[test]
fn sign_off_options_name_the_rule_that_refuses_each_action_and_agree_with_the_actions() {
    let o = office();
    let ws = &o.ws;
    ws.add_user(&o.admin, "ray", &[Role::Reviewer, Role::Approver], PASS).unwrap();
    ws.add_user(&o.admin, "dan", &[Role::Drafter, Role::Reviewer, Role::Approver], PASS).unwrap();
    let (ray, dan) = (ws.sign_in("ray", PASS).unwrap(), ws.sign_in("dan", PASS).unwrap());
    let doc = ws.import(&o.drafter, "n.txt", DRAFT.as_bytes(), None).unwrap().document;
    let imported = wrong_state(DocState::Imported, TO_APPROVE);
    let not_approved = wrong_state(DocState::Imported, TO_EXPORT);

    // Freshly imported: roles first, then the state, then the undecided findings.
    let cases = [
        (&o.drafter, expect(missing(Role::Reviewer), missing(Role::Approver), missing(Role::Approver))),
        (
            &o.reviewer,
            expect(
                Some(RefusalRule::OpenFindings { findings: vec![1, 2, 3] }),
                missing(Role::Approver),
                missing(Role::Approver),
            ),
        ),
        (&o.approver, expect(missing(Role::Reviewer), imported.clone(), not_approved.clone())),
        (&ray, expect(Some(RefusalRule::OpenFindings { findings: vec![1, 2, 3] }), imported, not_approved)),
    ];
    for (who, expected) in cases {
        assert_eq!(options(&o, who, doc), expected, "{}", who.name());
    }
    for (who, role) in [(&o.auditor, Role::Auditor), (&o.admin, Role::Admin)] {
        let oversight = Some(RefusalRule::OversightRole { role });
        assert_eq!(options(&o, who, doc), expect(oversight.clone(), oversight.clone(), oversight), "{role}");
    }

    // The drafter of a revision may neither review nor approve it, whatever roles they hold.
    let own = ws.import(&dan, "own.txt", DRAFT.as_bytes(), None).unwrap().document;
    let drafter = Some(RefusalRule::Drafter);
    let expected = expect(drafter.clone(), drafter, wrong_state(DocState::Imported, TO_EXPORT));
    assert_eq!(options(&o, &dan, own), expected);

    // Every finding decided: review complete is permitted; once signed, the one who signed
    // may not conclude it, while another approver may.
    ws.decide(&ray, doc, &Selection::All, &Decision::Redact { reason: None }).unwrap();
    assert!(ws.sign_off_options(&ray, doc).unwrap().permits(SignOffAction::Submit));
    ws.submit(&ray, doc).unwrap();
    let reviewed_by_ray = expect(
        wrong_state(DocState::ReviewComplete, &[DocState::Imported, DocState::InReview, DocState::Rejected]),
        Some(RefusalRule::Reviewer),
        wrong_state(DocState::ReviewComplete, TO_EXPORT),
    );
    assert_eq!(options(&o, &ray, doc), reviewed_by_ray);
    let for_alan = expect(missing(Role::Reviewer), None, wrong_state(DocState::ReviewComplete, TO_EXPORT));
    assert_eq!(options(&o, &o.approver, doc), for_alan);

    // Approved: only the export is left, and it is permitted again after an export.
    ws.approve(&o.approver, doc, None).unwrap();
    let approved = expect(missing(Role::Reviewer), wrong_state(DocState::Approved, TO_APPROVE), None);
    assert_eq!(options(&o, &o.approver, doc), approved);
    ws.export(&o.approver, doc, &o._dir.path().join("public.txt")).unwrap();
    let exported = expect(missing(Role::Reviewer), wrong_state(DocState::Exported, TO_APPROVE), None);
    assert_eq!(options(&o, &o.approver, doc), exported);
}

#[test]
fn a_refusal_crosses_to_front_ends_as_its_rule_its_details_and_the_actions_message() {
    let o = office();
    let doc = o.ws.import(&o.drafter, "n.txt", DRAFT.as_bytes(), None).unwrap().document;
    let options = o.ws.sign_off_options(&o.reviewer, doc).unwrap();
    let submit = serde_json::to_value(&options.actions[0]).unwrap();
    assert_eq!(
        submit,
        json!({
            "action": "submit",
            "refusal": {
                "rule": "open_findings",
                "findings": [1, 2, 3],
                "message": "D1 revision 1 cannot be submitted: 3 finding(s) still undecided (#1, #2, #3)",
            },
        })
    );
    let approve = serde_json::to_value(&o.ws.sign_off_options(&o.approver, doc).unwrap().actions[1]).unwrap();
    assert_eq!(approve["refusal"]["rule"], "wrong_state");
    assert_eq!(approve["refusal"]["state"], "imported");
    assert_eq!(approve["refusal"]["needs"], json!(["review_complete"]));
}

#[test]
fn the_preview_is_byte_for_byte_what_the_export_writes_and_records_nothing() {
    use crate::redact::RedactionPlan;
    let o = office();
    let ws = &o.ws;
    let doc = ws.import(&o.drafter, "notice.txt", DRAFT.as_bytes(), None).unwrap().document;
    // With nothing decided, the preview already removes nothing and sanitizes nothing more.
    let untouched = ws.preview(doc).unwrap();
    assert_eq!((untouched.revision.number, untouched.export.bytes.as_slice()), (1, DRAFT.as_bytes()));
    assert_eq!(untouched.plan, RedactionPlan::default());

    ws.decide(&o.reviewer, doc, &Selection::Ids(vec![1, 3]), &Decision::Redact { reason: None }).unwrap();
    ws.decide(&o.reviewer, doc, &Selection::Ids(vec![2]), &Decision::Keep { reason: "已公开".into() })
        .unwrap();
    ws.mark_phrase(&o.reviewer, doc, "下月", false, "work_secret").unwrap();
    let entries = ws.audit_log(None).unwrap().len();
    let Preview { plan, export: preview, .. } = ws.preview(doc).unwrap();
    assert_eq!(ws.audit_log(None).unwrap().len(), entries, "a preview adds no audit entry");
    let planned: Vec<(usize, usize)> = plan.ranges.iter().map(|r| (r.start, r.end)).collect();
    assert_eq!(planned, [(3, 10), (27, 38), (12, 14)], "findings #1 and #3, then the mark");
    assert_eq!(
        String::from_utf8(preview.bytes.clone()).unwrap(),
        "通知：███████将于██测试X波段设备。联系人电话███████████。\n"
    );
    assert_eq!(preview.report.removed.len(), 3);

    ws.submit(&o.reviewer, doc).unwrap();
    ws.approve(&o.approver, doc, None).unwrap();
    let out = o._dir.path().join("public.txt");
    let record = ws.export(&o.approver, doc, &out).unwrap();
    assert_eq!(std::fs::read(&out).unwrap(), preview.bytes);
    assert_eq!(record.report, preview.report);
}

#[test]
fn a_preview_of_an_unknown_document_is_not_found() {
    let o = office();
    assert_eq!(kinds(o.ws.preview(DocumentId::new(7))), ErrorKind::NotFound);
}

#[test]
fn a_range_of_the_visible_text_is_marked_exactly_and_exported_as_marked() {
    let o = office();
    let ws = &o.ws;
    let doc = ws.import(&o.drafter, "n.txt", DRAFT.as_bytes(), None).unwrap().document;
    // "下月" is characters 12..14 of DRAFT; the mark keeps the selected text as its phrase.
    let mark = ws.mark_range(&o.reviewer, doc, 12, 14, "工作秘密").unwrap();
    assert_eq!(
        mark.target,
        MarkTarget::Phrase { phrase: "下月".into(), every: false, ranges: vec![(12, 14)] }
    );
    assert_eq!((mark.reason.as_str(), mark.marked_by.as_str()), ("work_secret", "rita"));
    assert_eq!(ws.marks(doc).unwrap(), vec![mark.clone()]);
    assert_eq!(ws.revision(doc).unwrap().state, DocState::InReview);
    let last = ws.audit_log(Some(doc)).unwrap().pop().unwrap();
    assert_eq!((last.action.as_str(), &last.payload["mark"]), ("mark", &json!(mark.id)));

    ws.decide(&o.reviewer, doc, &Selection::All, &Decision::Redact { reason: None }).unwrap();
    ws.submit(&o.reviewer, doc).unwrap();
    ws.approve(&o.approver, doc, None).unwrap();
    let out = o._dir.path().join("public.txt");
    ws.export(&o.approver, doc, &out).unwrap();
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "通知：███████将于██测试███设备。联系人电话███████████。\n"
    );
}

#[test]
fn a_range_that_is_empty_or_leaves_the_visible_text_is_refused_and_nothing_is_marked() {
    let o = office();
    let ws = &o.ws;
    let doc = ws.import(&o.drafter, "n.txt", DRAFT.as_bytes(), None).unwrap().document;
    let visible = DRAFT.chars().count();
    let check = |start: usize, end: usize, expected: ErrorKind| {
        let got = kinds(ws.mark_range(&o.reviewer, doc, start, end, "sensitive"));
        assert_eq!(got, expected, "range {start}..{end}");
    };
    check(3, 3, ErrorKind::InvalidInput);
    check(5, 2, ErrorKind::InvalidInput);
    check(visible - 1, visible + 1, ErrorKind::InvalidInput);
    check(visible, visible + 1, ErrorKind::InvalidInput);
    check(usize::MAX - 1, usize::MAX, ErrorKind::InvalidInput);
    assert_eq!(kinds(ws.mark_range(&o.reviewer, doc, 0, 2, "no such code")), ErrorKind::NotFound);
    assert_eq!(ws.marks(doc).unwrap(), vec![]);
    // The last character of the visible text is a range like any other.
    ws.mark_range(&o.reviewer, doc, visible - 1, visible, "sensitive").unwrap();
}

#[test]
fn a_range_is_marked_only_by_someone_who_may_review_the_revision() {
    let o = office();
    let ws = &o.ws;
    let doc = ws.import(&o.drafter, "n.txt", DRAFT.as_bytes(), None).unwrap().document;
    for who in [&o.admin, &o.auditor, &o.approver, &o.drafter] {
        assert_eq!(kinds(ws.mark_range(who, doc, 0, 2, "sensitive")), ErrorKind::Forbidden);
    }
    let refused = ws.audit_log(Some(doc)).unwrap().pop().unwrap();
    assert_eq!((refused.action.as_str(), &refused.payload["action"]), ("refused", &json!("mark")));
    assert_eq!(ws.marks(doc).unwrap(), vec![]);
}

#[test]
fn a_reopened_finding_is_open_again_and_the_log_keeps_both_steps() {
    let o = office();
    let ws = &o.ws;
    let doc = ws.import(&o.drafter, "n.txt", DRAFT.as_bytes(), None).unwrap().document;
    ws.decide(&o.reviewer, doc, &Selection::Ids(vec![1, 2]), &Decision::Redact { reason: None }).unwrap();
    // Finding 3 is open: reopening it changes nothing and is not counted.
    assert_eq!(ws.reopen(&o.reviewer, doc, &[2, 3]).unwrap(), 1);
    assert_eq!(statuses(ws, doc), [FindingStatus::Redact, FindingStatus::Open, FindingStatus::Open]);
    let actions: Vec<String> = ws.audit_log(Some(doc)).unwrap().into_iter().map(|e| e.action).collect();
    assert_eq!(actions, ["import", "scan", "decide", "reopen"]);
    assert_eq!(ws.audit_log(Some(doc)).unwrap()[3].payload["findings"], json!([2]));
    // Nothing to reopen: no entry.
    assert_eq!(ws.reopen(&o.reviewer, doc, &[3]).unwrap(), 0);
    assert_eq!(ws.audit_log(Some(doc)).unwrap().len(), 4);
    assert_eq!(kinds(ws.reopen(&o.reviewer, doc, &[9])), ErrorKind::NotFound);
    assert_eq!(kinds(ws.reopen(&o.approver, doc, &[1])), ErrorKind::Forbidden);
    // Once signed, the review is closed to reopening as to deciding.
    ws.decide(&o.reviewer, doc, &Selection::All, &Decision::Redact { reason: None }).unwrap();
    ws.submit(&o.reviewer, doc).unwrap();
    assert_eq!(kinds(ws.reopen(&o.reviewer, doc, &[1])), ErrorKind::InvalidState);
}

#[test]
fn a_removed_mark_no_longer_redacts_and_the_log_keeps_both_steps() {
    let o = office();
    let ws = &o.ws;
    let doc = ws.import(&o.drafter, "n.txt", DRAFT.as_bytes(), None).unwrap().document;
    let kept = ws.mark_range(&o.reviewer, doc, 12, 14, "work_secret").unwrap();
    let removed = ws.mark_phrase(&o.reviewer, doc, "设备", true, "sensitive").unwrap();
    assert_eq!(kinds(ws.remove_mark(&o.approver, doc, removed.id)), ErrorKind::Forbidden);
    ws.remove_mark(&o.reviewer, doc, removed.id).unwrap();
    assert_eq!(ws.marks(doc).unwrap(), vec![kept]);
    assert_eq!(kinds(ws.remove_mark(&o.reviewer, doc, removed.id)), ErrorKind::NotFound);
    let actions: Vec<String> = ws.audit_log(Some(doc)).unwrap().into_iter().map(|e| e.action).collect();
    assert_eq!(actions, ["import", "scan", "mark", "mark", "refused", "unmark"]);

    // A mark of another document is not this document's to remove.
    let other = ws.import(&o.drafter, "m.txt", DRAFT.as_bytes(), None).unwrap().document;
    let theirs = ws.mark_range(&o.reviewer, other, 0, 2, "sensitive").unwrap();
    assert_eq!(kinds(ws.remove_mark(&o.reviewer, doc, theirs.id)), ErrorKind::NotFound);

    ws.decide(&o.reviewer, doc, &Selection::All, &Decision::Redact { reason: None }).unwrap();
    ws.submit(&o.reviewer, doc).unwrap();
    assert_eq!(kinds(ws.remove_mark(&o.reviewer, doc, 1)), ErrorKind::InvalidState);
    ws.approve(&o.approver, doc, None).unwrap();
    let out = o._dir.path().join("public.txt");
    ws.export(&o.approver, doc, &out).unwrap();
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "通知：███████将于██测试███设备。联系人电话███████████。\n"
    );
}

//! Who may do what, refused through the CLI with exit 1 and one line naming the rule; and the
//! workspace's own refusals (a newer database, a wrong passphrase).

use super::{Office, refused};

/// A workspace holding D1, drafted by `dora`, reviewed by `rita` (a mark, and every finding
/// the rules made redacted) so that it can be submitted.
fn with_document() -> (Office, String) {
    let office = Office::new();
    let draft = office.write("n.txt", "通知：95837部队将于下月开放。\n");
    let doc = office.import(&draft);
    office.ok_as("rita", &["mark", &doc, "--text", "95837部队", "--reason", "国家秘密"]);
    office.ok_as("rita", &["decide", &doc, "--redact", "all"]);
    (office, doc)
}

/// `(user, args, words the refusal must contain)`.
fn check_refusals(office: &Office, cases: &[(&str, Vec<&str>, &str)]) {
    for (user, args, expected) in cases {
        let line = office.refused_as(user, args);
        assert!(line.contains(expected), "{args:?} as {user}: expected {expected:?} in {line:?}");
    }
}

#[test]
fn auditors_and_admins_cannot_change_documents() {
    let (office, doc) = with_document();
    let draft = office.write("m.txt", "另一份通知。\n");
    let draft = draft.to_str().unwrap();
    let mut cases = Vec::new();
    for user in ["otto", "root"] {
        cases.push((user, vec!["import", draft], "cannot change documents"));
        cases.push((
            user,
            vec!["mark", &doc, "--text", "通知", "--reason", "sensitive"],
            "cannot change documents",
        ));
        cases.push((user, vec!["decide", &doc, "--redact", "all"], "cannot change documents"));
        cases.push((user, vec!["submit", &doc], "cannot change documents"));
        cases.push((user, vec!["approve", &doc], "cannot change documents"));
    }
    check_refusals(&office, &cases);
}

#[test]
fn the_drafter_can_neither_review_nor_approve_their_own_revision() {
    let (office, doc) = with_document();
    office.add_user("dan", "drafter,reviewer,approver");
    let own = office.write("own.txt", "本单位通知。\n");
    let own_doc = office.ok_as("dan", &["import", own.to_str().unwrap()]).lines().last().unwrap().to_string();
    check_refusals(
        &office,
        &[
            ("dan", vec!["mark", &own_doc, "--text", "本单位", "--reason", "sensitive"], "may not review"),
            ("dan", vec!["submit", &own_doc], "may not review"),
            (
                "dora",
                vec!["mark", &doc, "--text", "通知", "--reason", "sensitive"],
                "needs the reviewer role",
            ),
        ],
    );
    office.ok_as("rita", &["decide", &own_doc, "--redact", "all"]);
    office.ok_as("rita", &["submit", &own_doc]);
    check_refusals(
        &office,
        &[
            ("dan", vec!["approve", &own_doc], "may not approve"),
            ("dan", vec!["reject", &own_doc, "--comment", "no"], "may not reject"),
        ],
    );
}

#[test]
fn the_reviewer_who_signed_cannot_approve() {
    let (office, doc) = with_document();
    office.add_user("ray", "reviewer,approver");
    office.ok_as("ray", &["submit", &doc]);
    check_refusals(
        &office,
        &[
            ("ray", vec!["approve", &doc], "reviewer and approver must be different people"),
            ("rita", vec!["approve", &doc], "needs the approver role"),
        ],
    );
    office.ok_as("alan", &["approve", &doc]);
}

#[test]
fn export_is_refused_until_approved_and_after_a_rejection() {
    let (office, doc) = with_document();
    let out = office.path("public.txt");
    let out = out.to_str().unwrap();
    check_refusals(&office, &[("alan", vec!["export", &doc, "--out", out], "in_review")]);
    office.ok_as("rita", &["submit", &doc]);
    check_refusals(&office, &[("alan", vec!["reject", &doc, "--comment", " "], "needs a comment")]);
    office.ok_as("alan", &["reject", &doc, "--comment", "番号须删除"]);
    check_refusals(&office, &[("alan", vec!["export", &doc, "--out", out], "rejected")]);
    assert!(!office.path("public.txt").exists());
    // Back in review: the reviewer adds a mark, signs again, and now it may go out.
    office.ok_as("rita", &["mark", &doc, "--text", "下月", "--reason", "work_secret"]);
    office.ok_as("rita", &["submit", &doc]);
    office.ok_as("alan", &["approve", &doc]);
    office.ok_as("alan", &["export", &doc, "--out", out]);
    assert_eq!(std::fs::read_to_string(out).unwrap(), "通知：███████将于██开放。\n");
}

#[test]
fn reimporting_a_document_voids_its_signoffs() {
    let (office, doc) = with_document();
    office.ok_as("rita", &["submit", &doc]);
    office.ok_as("alan", &["approve", &doc]);
    let draft = office.write("n.txt", "通知：某部队将于下月开放。\n");
    let out = office.ok_as("dora", &["import", draft.to_str().unwrap()]);
    assert!(out.contains("revision 2") && out.contains("voided 2 sign-off(s)"), "{out}");
    assert_eq!(out.lines().last(), Some(doc.as_str()));
    let export = office.path("p.txt");
    check_refusals(
        &office,
        &[("alan", vec!["export", &doc, "--out", export.to_str().unwrap()], "revision 2 is imported")],
    );
    let record = office.path("r.csv");
    office.ok(&["audit", "report", &doc, "--out", record.to_str().unwrap()]);
    let csv = std::fs::read_to_string(record).unwrap();
    assert_eq!(
        csv.lines().filter(|l| l.starts_with("signoff,") && l.contains(",voided ")).count(),
        2,
        "{csv}"
    );
}

#[test]
fn a_wrong_passphrase_exits_one_and_is_logged() {
    let (office, doc) = with_document();
    let out = office
        .command(None)
        .env("VETTED_PASSPHRASE", "not her passphrase")
        .args(["submit", &doc, "--as", "rita"])
        .output()
        .unwrap();
    let line = refused(&out, "submit with a wrong passphrase");
    assert!(line.contains("sign-in failed for rita"), "{line}");
    let log: serde_json::Value = serde_json::from_str(&office.ok(&["audit", "log", "--json"])).unwrap();
    let last = log.as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (last["action"].as_str(), last["actor"].as_str()),
        (Some("sign_in_failed"), Some("rita")),
        "{last}"
    );
    // Nothing was signed.
    assert!(!office.actions(Some(&doc)).contains(&"submit".to_string()));
}

#[test]
fn a_workspace_is_initialized_only_once() {
    let office = Office::new();
    let out = office
        .command(None)
        .args(["init", "--admin", "eve"])
        .env("VETTED_NEW_PASSPHRASE", "x")
        .output()
        .unwrap();
    assert!(refused(&out, "a second init").contains("already holds a Vetted workspace"));
}

#[test]
fn a_user_changes_their_own_passphrase_and_a_disabled_user_cannot_sign_in() {
    let office = Office::new();
    let new = "rita's new passphrase";
    let out = office
        .command(Some("rita"))
        .args(["user", "passwd", "--as", "rita"])
        .env("VETTED_NEW_PASSPHRASE", new)
        .output()
        .unwrap();
    super::succeeded(&out, "user passwd");
    assert!(office.refused_as("rita", &["submit", "D1"]).contains("sign-in failed for rita"));
    // Signed in with the new passphrase, she is refused for her role, not at the door.
    let out = office
        .command(None)
        .env("VETTED_PASSPHRASE", new)
        .args(["user", "disable", "otto", "--as", "rita"])
        .output()
        .unwrap();
    assert!(refused(&out, "disable by a reviewer").contains("needs the admin role"));

    office.ok_as("root", &["user", "disable", "otto"]);
    assert!(office.ok(&["user", "list"]).contains("otto                 auditor  (disabled)"));
    assert!(office.refused_as("otto", &["submit", "D1"]).contains("user otto is disabled"));
}

#[test]
fn an_older_binary_refuses_a_newer_database() {
    let office = Office::new();
    office.database().pragma_update(None, "user_version", 999).unwrap();
    let line = refused(&office.run(&["audit", "verify"]), "audit verify on a newer database");
    assert!(line.contains("newer version of Vetted") && line.contains("999"), "{line}");
}

#[test]
fn the_workspace_comes_from_the_option_before_or_after_the_subcommand_or_the_environment() {
    let office = Office::new();
    let ws = office.workspace();
    let ws = ws.to_str().unwrap();
    for args in [vec!["--workspace", ws, "user", "list"], vec!["user", "list", "--workspace", ws]] {
        let out = crate::util::vetted().env_remove("VETTED_WORKSPACE").args(&args).output().unwrap();
        assert!(super::succeeded(&out, "user list").contains("rita"), "{args:?}");
    }
    assert!(office.ok(&["user", "list"]).contains("otto"));
    let elsewhere = office.path("empty");
    let out =
        crate::util::vetted().args(["audit", "verify", "--workspace"]).arg(&elsewhere).output().unwrap();
    assert!(refused(&out, "a missing workspace").contains("no Vetted workspace"));
}

#[test]
fn an_area_can_only_be_marked_on_a_pdf_or_an_image() {
    let (office, doc) = with_document();
    let line = office.refused_as("rita", &["mark", &doc, "--area", "10,10,50,20", "--reason", "sensitive"]);
    assert!(line.contains("areas are marked on PDF pages and images"), "{line}");
}

#[test]
fn a_range_marks_exact_characters_and_one_outside_the_text_is_refused() {
    let (office, doc) = with_document();
    // "下月" is characters 12..14 of "通知：95837部队将于下月开放。".
    let out = office.ok_as("rita", &["mark", &doc, "--range", "12..14", "--reason", "work_secret"]);
    assert!(out.contains("covers 1 occurrence(s) (work_secret)"), "{out}");
    let body: String = office
        .database()
        .query_row("SELECT body FROM marks ORDER BY id DESC LIMIT 1", [], |r| r.get(0))
        .unwrap();
    assert_eq!(body, r#"{"kind":"phrase","phrase":"下月","every":false,"ranges":[[12,14]]}"#);
    let line = office.refused_as("rita", &["mark", &doc, "--range", "12..99", "--reason", "work_secret"]);
    assert!(line.contains("within its 18 visible characters"), "{line}");
}

#[test]
fn usage_errors_exit_two() {
    let office = Office::new();
    for args in [
        vec!["decide", "D1", "--keep", "1", "--as", "rita"],
        vec!["decide", "D1", "--redact", "all", "--keep", "1", "--reason", "x", "--as", "rita"],
        vec!["reject", "D1", "--as", "alan"],
        vec!["user", "add", "eve", "--role", "wizard", "--as", "root"],
        vec!["findings", "not-an-id"],
        vec!["mark", "D1", "--reason", "sensitive", "--as", "rita"],
        vec!["mark", "D1", "--area", "1,2,3", "--reason", "sensitive", "--as", "rita"],
        vec!["mark", "D1", "--range", "3", "--reason", "sensitive", "--as", "rita"],
        vec!["mark", "D1", "--range", "a..b", "--reason", "sensitive", "--as", "rita"],
        vec!["mark", "D1", "--range", "1..2", "--text", "x", "--reason", "sensitive", "--as", "rita"],
    ] {
        assert_eq!(office.run(&args).status.code(), Some(2), "{args:?}");
    }
}

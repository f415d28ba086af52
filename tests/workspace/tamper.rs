//! The audit chain under attack: an attacker with the database file drops the triggers and
//! edits, deletes, inserts or reorders entries, or swaps a stored original; `audit verify`
//! exits 1 naming the first entry (or the original) that no longer matches.

use super::{Office, refused};

/// A workspace with a reviewed and exported document: a log of some twenty entries.
fn busy_workspace() -> Office {
    let office = Office::new();
    let doc = office.import(&office.write("n.txt", "通知：95837部队将于下月开放。\n"));
    office.ok_as("rita", &["mark", &doc, "--text", "95837部队", "--reason", "state_secret"]);
    office.ok_as("rita", &["decide", &doc, "--redact", "all"]);
    office.ok_as("rita", &["submit", &doc]);
    office.ok_as("alan", &["approve", &doc]);
    office.ok_as("alan", &["export", &doc, "--out", office.path("p.txt").to_str().unwrap()]);
    office
}

const DROP_TRIGGERS: &str = "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;";

/// `(what the attacker does, SQL, words the verdict must contain)`.
const ATTACKS: &[(&str, &str, &str)] = &[
    ("edit an entry's payload", "UPDATE audit_log SET payload = '{\"revision\":1}' WHERE seq = 7", "entry 7 "),
    ("change who acted", "UPDATE audit_log SET actor = 'mallory' WHERE seq = 9", "entry 9 "),
    ("change the time", "UPDATE audit_log SET time = '2020-01-01T00:00:00.000Z' WHERE seq = 12", "entry 12 "),
    ("delete an entry", "DELETE FROM audit_log WHERE seq = 5", "entry 5 is missing"),
    (
        "swap two entries",
        "UPDATE audit_log SET seq = -1 WHERE seq = 10; UPDATE audit_log SET seq = 10 WHERE seq = 11;
         UPDATE audit_log SET seq = 11 WHERE seq = -1;",
        "entry 10 ",
    ),
    (
        "insert an entry, renumbering the rest",
        "UPDATE audit_log SET seq = seq + 1000 WHERE seq >= 8; UPDATE audit_log SET seq = seq - 999 WHERE seq >= 1008;
         INSERT INTO audit_log SELECT 8, time, 'mallory', 'approve', document, payload, prev_hash, hash
         FROM audit_log WHERE seq = 9;",
        "entry 8 ",
    ),
    (
        "append a forged entry",
        "INSERT INTO audit_log SELECT seq + 1, time, actor, action, document, payload, hash, hash
         FROM audit_log ORDER BY seq DESC LIMIT 1",
        "has been altered",
    ),
];

#[test]
fn audit_verify_names_the_first_entry_an_attacker_changed() {
    for (attack, sql, expected) in ATTACKS {
        let office = busy_workspace();
        let intact = office.ok(&["audit", "verify"]);
        assert!(intact.contains("intact"), "{intact}");
        office.database().execute_batch(&format!("{DROP_TRIGGERS} {sql}")).unwrap();
        let line = refused(&office.run(&["audit", "verify"]), attack);
        assert!(
            line.contains("audit chain broken") && line.contains(expected),
            "{attack}: expected {expected:?} in {line:?}"
        );
        let json: serde_json::Value =
            serde_json::from_slice(&office.run(&["audit", "verify", "--json"]).stdout).unwrap();
        assert_eq!(json["status"], "tampered", "{attack}: {json}");
    }
}

#[test]
fn the_triggers_refuse_a_plain_update_or_delete() {
    let office = busy_workspace();
    for sql in ["UPDATE audit_log SET actor = 'mallory' WHERE seq = 3", "DELETE FROM audit_log WHERE seq = 3"]
    {
        let error = office.database().execute(sql, []).unwrap_err();
        assert!(error.to_string().contains("append-only"), "{sql}: {error}");
    }
    assert!(office.ok(&["audit", "verify"]).contains("intact"));
}

#[test]
fn a_swapped_stored_original_is_detected() {
    let office = busy_workspace();
    let sha256 = vetted_core::sha256_hex("通知：95837部队将于下月开放。\n".as_bytes());
    let stored = office.workspace().join("originals").join(&sha256[..2]).join(&sha256);
    std::fs::write(&stored, "通知：某部队将于下月开放。\n").unwrap();
    let line = refused(&office.run(&["audit", "verify"]), "verify with a swapped original");
    assert!(line.contains("D1 revision 1") && line.contains("altered"), "{line}");
    std::fs::remove_file(&stored).unwrap();
    let line = refused(&office.run(&["audit", "verify"]), "verify with a missing original");
    assert!(line.contains("missing"), "{line}");
}

#[test]
fn an_export_from_a_swapped_original_is_refused_and_recorded() {
    let office = Office::new();
    let text = "通知：95837部队将于下月开放。\n";
    let doc = office.import(&office.write("n.txt", text));
    office.ok_as("rita", &["mark", &doc, "--text", "95837部队", "--reason", "state_secret"]);
    office.ok_as("rita", &["decide", &doc, "--redact", "all"]);
    office.ok_as("rita", &["submit", &doc]);
    office.ok_as("alan", &["approve", &doc]);
    // After approval, someone swaps the bytes that were reviewed.
    let sha256 = vetted_core::sha256_hex(text.as_bytes());
    let stored = office.workspace().join("originals").join(&sha256[..2]).join(&sha256);
    std::fs::write(&stored, "通知：95837部队将于下月开放，地点军事管理区。\n").unwrap();
    let out = office.path("public.txt");
    let line = office.refused_as("alan", &["export", &doc, "--out", out.to_str().unwrap()]);
    assert!(line.contains("has been altered"), "{line}");
    assert!(!out.exists());
    assert_eq!(office.actions(Some(&doc)).last().map(String::as_str), Some("export_refused"));
}

//! `vetted scan`: the exit-code and JSON contract.

use crate::util::{run, stderr, stdout};

#[test]
fn a_text_file_scans_with_exit_zero_and_json_has_the_contract_fields() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("note.txt");
    std::fs::write(&file, "公开通知\n").unwrap();
    let out = run(&["scan", "--json", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["file"], file.to_str().unwrap());
    assert_eq!(json["format"], "txt");
    assert!(json["findings"].is_array());
}

#[test]
fn an_unreadable_file_exits_one_naming_it_and_the_others_are_still_scanned() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.md");
    std::fs::write(&good, "# Notice\n").unwrap();
    let missing = dir.path().join("missing.pdf");
    let out = run(&["scan", "--json", missing.to_str().unwrap(), good.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "one line per failed file: {err}");
    assert!(err.contains("missing.pdf"), "{err}");
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let files: Vec<_> = json.as_array().unwrap().iter().map(|r| r["format"].as_str().unwrap()).collect();
    assert_eq!(files, ["md"]);
}

#[test]
fn usage_errors_exit_two() {
    assert_eq!(run(&["scan"]).status.code(), Some(2));
    assert_eq!(run(&["frobnicate"]).status.code(), Some(2));
}

//! Two writers at once (the desktop app and the CLI share a workspace): every write lands,
//! none is lost, and the chain stays linear.

use std::process::Stdio;

use super::Office;

#[test]
fn parallel_reviewers_lose_no_update() {
    let office = Office::new();
    office.add_user("rosa", "reviewer");
    let words: Vec<String> = (0..12).map(|i| format!("词{i:02}")).collect();
    let doc = office.import(&office.write("n.txt", &format!("{}\n", words.join("，"))));

    // Each of two reviewers marks half of the words, all processes running at once.
    let children: Vec<_> = words
        .iter()
        .enumerate()
        .map(|(i, word)| {
            let user = if i % 2 == 0 { "rita" } else { "rosa" };
            office
                .command(Some(user))
                .args(["mark", &doc, "--text", word, "--reason", "sensitive", "--as", user])
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "a concurrent mark failed: {}", String::from_utf8_lossy(&out.stderr));
    }

    let marks: i64 = office.database().query_row("SELECT count(*) FROM marks", [], |r| r.get(0)).unwrap();
    assert_eq!(marks, words.len() as i64);
    let logged = office.actions(Some(&doc)).iter().filter(|a| *a == "mark").count();
    assert_eq!(logged, words.len());
    assert!(office.ok(&["audit", "verify"]).contains("intact"));
}

//! `vetted import DIR --recursive --as USER`: a whole archive into the workspace, one document
//! per file (named by its path inside DIR), a broken file named without stopping the others.

use crate::util::stderr;
use crate::workspace::Office;

#[test]
fn a_recursive_import_makes_one_document_per_supported_file_and_names_the_broken_one() {
    let office = Office::new();
    let root = office.path("archive");
    for (name, bytes) in [
        ("q1/report.txt", "本项目由95837部队使用。\n".as_bytes()),
        ("q2/report.txt", "公开通知\n".as_bytes()),
        ("press.md", "# Press\n".as_bytes()),
        ("broken.pdf", b"%PDF-1.7\nnot a PDF".as_slice()),
        ("notes.xlsx", b"skipped".as_slice()),
    ] {
        let path = root.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    let out = office.run_as("dora", &["import", "--recursive", root.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "broken.pdf fails: {}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("broken.pdf"), "{err}");

    let documents: serde_json::Value = serde_json::from_str(&office.ok(&["documents", "--json"])).unwrap();
    let mut names: Vec<&str> =
        documents.as_array().unwrap().iter().map(|d| d["file_name"].as_str().unwrap()).collect();
    names.sort();
    // Same file name in two folders: two documents, not two revisions of one.
    assert_eq!(names, ["press.md", "q1/report.txt", "q2/report.txt"]);
}

#[test]
fn without_recursive_only_the_files_directly_in_the_directory_are_imported() {
    let office = Office::new();
    let root = office.path("archive");
    std::fs::create_dir_all(root.join("sub")).unwrap();
    std::fs::write(root.join("top.txt"), "公开通知\n").unwrap();
    std::fs::write(root.join("sub/deep.txt"), "公开通知二\n").unwrap();
    let listed = office.ok_as("dora", &["import", root.to_str().unwrap()]);
    assert_eq!(listed.lines().count(), 1, "{listed}");
    assert!(listed.contains("top.txt") && listed.contains(" as D1 "), "{listed}");
}

//! `vetted watch`: files dropped in a folder are imported once complete and moved to
//! `processed/`, or to `failed/` with a reason beside them; nothing is imported twice; a file
//! still being written waits; Ctrl-C ends the watcher cleanly.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use crate::util::{data, stderr, stdout};
use crate::workspace::Office;

/// An office with an empty inbox folder.
fn inbox() -> (Office, PathBuf) {
    let office = Office::new();
    let dir = office.path("inbox");
    std::fs::create_dir(&dir).unwrap();
    (office, dir)
}

/// `vetted watch DIR --once` as dora, with a short settle time.
fn watch_once(office: &Office, dir: &Path) -> Output {
    office.run_as("dora", &["watch", dir.to_str().unwrap(), "--once", "--settle-ms", "300"])
}

/// The names of the files in `dir`, sorted (an absent folder has none).
fn files(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut names: Vec<String> = entries
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// `(file name, revision)` of each document, as `vetted documents --json` lists them.
fn documents(office: &Office) -> Vec<(String, u64)> {
    let json: serde_json::Value = serde_json::from_str(&office.ok(&["documents", "--json"])).unwrap();
    let mut all: Vec<(String, u64)> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["file_name"].as_str().unwrap().to_string(), r["number"].as_u64().unwrap()))
        .collect();
    all.sort();
    all
}

/// The first word and the file name of each line of stdout: `imported notice.txt`.
fn outcomes(out: &Output) -> Vec<String> {
    stdout(out).lines().map(|line| line.split_whitespace().take(2).collect::<Vec<_>>().join(" ")).collect()
}

#[test]
fn watch_once_imports_complete_files_and_moves_a_bad_one_to_failed_with_its_reason() {
    let (office, dir) = inbox();
    std::fs::copy(data("reportlab.pdf"), dir.join("report.pdf")).unwrap();
    std::fs::copy(data("docx_python.docx"), dir.join("memo.docx")).unwrap();
    std::fs::write(dir.join("notice.txt"), "通知：联系人电话13800138000。\n").unwrap();
    std::fs::write(dir.join("broken.pdf"), "%PDF-1.7\nnot a PDF body\n").unwrap();
    std::fs::write(dir.join("~$memo.docx"), "an editor's lock file").unwrap();

    let out = watch_once(&office, &dir);
    assert_eq!(out.status.code(), Some(1), "a failed file makes the exit status 1; stderr: {}", stderr(&out));
    assert_eq!(
        outcomes(&out),
        ["failed broken.pdf:", "imported memo.docx", "imported notice.txt", "imported report.pdf"]
    );
    assert_eq!(files(&dir), ["~$memo.docx"], "only the lock file is left");
    assert_eq!(files(&dir.join("processed")), ["memo.docx", "notice.txt", "report.pdf"]);
    assert_eq!(files(&dir.join("failed")), ["broken.pdf", "broken.pdf.reason.txt"]);
    let reason = std::fs::read_to_string(dir.join("failed/broken.pdf.reason.txt")).unwrap();
    let failed_line = stdout(&out).lines().next().unwrap().to_string();
    assert_eq!(failed_line, format!("failed broken.pdf: {} (moved to failed/broken.pdf)", reason.trim_end()));
    assert_eq!(
        documents(&office),
        [("memo.docx".into(), 1), ("notice.txt".into(), 1), ("report.pdf".into(), 1)]
    );
    let notice_line =
        stdout(&out).lines().find(|l| l.starts_with("imported notice.txt")).unwrap().to_string();
    assert!(notice_line.contains(": 1 finding(s)"), "the phone number is found at import: {notice_line}");
}

#[test]
fn watching_twice_imports_nothing_twice() {
    let (office, dir) = inbox();
    std::fs::write(dir.join("notice.txt"), "公开通知\n").unwrap();
    assert_eq!(outcomes(&watch_once(&office, &dir)), ["imported notice.txt"]);

    let again = watch_once(&office, &dir);
    assert_eq!((again.status.code(), stdout(&again)), (Some(0), String::new()), "{}", stderr(&again));

    // The same file dropped again is recognized, not imported a second time.
    std::fs::write(dir.join("notice.txt"), "公开通知\n").unwrap();
    let dropped_again = watch_once(&office, &dir);
    assert_eq!(
        stdout(&dropped_again).trim_end(),
        "already imported notice.txt as D1 revision 1: moved to processed/"
    );
    assert_eq!(documents(&office), [("notice.txt".into(), 1)]);
    assert_eq!(files(&dir.join("processed")), ["notice (2).txt", "notice.txt"]);
}

#[test]
fn a_file_written_slowly_waits_for_its_second_half() {
    let (office, dir) = inbox();
    let path = dir.join("slow.txt");
    std::fs::write(&path, "第一部分。\n").unwrap();
    let mut watcher = office
        .command(Some("dora"))
        .args(["watch", dir.to_str().unwrap(), "--once", "--settle-ms", "1500", "--as", "dora"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The watcher says when it has seen the file; the second half is written during its wait.
    let mut stderr_lines = BufReader::new(watcher.stderr.take().unwrap());
    let mut seen = String::new();
    stderr_lines.read_line(&mut seen).unwrap();
    assert!(seen.contains("1 file(s) not complete yet"), "{seen}");
    std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap()
        .write_all("第二部分。\n".as_bytes())
        .unwrap();
    let mut rest = String::new();
    std::io::Read::read_to_string(stderr_lines.get_mut(), &mut rest).unwrap();
    let out = watcher.wait_with_output().unwrap();
    assert_eq!((out.status.code(), stdout(&out)), (Some(0), String::new()), "stderr: {rest}");
    assert!(rest.contains("1 file(s) still being written: left for the next run"), "{rest}");
    assert_eq!(files(&dir), ["slow.txt"], "the growing file waits in the folder");

    assert_eq!(outcomes(&watch_once(&office, &dir)), ["imported slow.txt"]);
    let json: serde_json::Value = serde_json::from_str(&office.ok(&["documents", "--json"])).unwrap();
    assert_eq!(json[0]["size"], "第一部分。\n第二部分。\n".len(), "the whole file was imported");
}

#[test]
fn a_user_who_may_not_import_is_refused_and_nothing_moves() {
    let (office, dir) = inbox();
    std::fs::write(dir.join("notice.txt"), "公开通知\n").unwrap();
    let line = office.refused_as("otto", &["watch", dir.to_str().unwrap(), "--once", "--settle-ms", "0"]);
    assert!(line.contains("otto may not import documents"), "{line}");
    assert_eq!(files(&dir), ["notice.txt"]);
}

#[test]
fn watch_imports_a_file_dropped_while_it_runs_and_ends_cleanly_on_ctrl_c() {
    let (office, dir) = inbox();
    // The periodic sweep is far off: the import below is woken by the file-system event.
    let mut watcher = office
        .command(Some("dora"))
        .args(["watch", dir.to_str().unwrap(), "--settle-ms", "300", "--poll-seconds", "600", "--as", "dora"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr_lines = BufReader::new(watcher.stderr.take().unwrap());
    let mut started = String::new();
    stderr_lines.read_line(&mut started).unwrap();
    assert!(started.starts_with("vetted: watching "), "{started}");

    std::fs::write(dir.join("notice.txt"), "公开通知\n").unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while files(&dir.join("processed")).is_empty() {
        assert!(Instant::now() < deadline, "the dropped file was not imported within a minute");
        std::thread::sleep(Duration::from_millis(100));
    }
    let interrupt =
        std::process::Command::new("kill").args(["-INT", &watcher.id().to_string()]).status().unwrap();
    assert!(interrupt.success());
    let mut rest = String::new();
    std::io::Read::read_to_string(stderr_lines.get_mut(), &mut rest).unwrap();
    let out = watcher.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "stderr: {rest}");
    assert!(rest.contains("vetted: stopped watching"), "{rest}");
    assert_eq!(outcomes(&out), ["imported notice.txt"]);
    assert_eq!(documents(&office), [("notice.txt".into(), 1)]);
}

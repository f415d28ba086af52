//! `vetted scan DIR --recursive`: a whole archive of mixed files, scanned in parallel, with a
//! per-file summary; one broken file is reported and does not stop the others.

use std::path::Path;

use crate::util::{data, run, stderr, stdout};

/// An archive as agencies hand it over: drafts of every format in nested folders, plus files a
/// walk must skip (hidden ones, unsupported extensions) and one broken PDF.
fn archive() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let write = |name: &str, bytes: &[u8]| {
        let path = root.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    };
    write("a-notice.txt", "本项目由95837部队使用。\n".as_bytes());
    write("b-press.md", "# Press release\n\nNothing to see.\n".as_bytes());
    write("c-broken.pdf", b"%PDF-1.7\nthis is not a PDF body");
    write("2024/q1/report.docx", &std::fs::read(data("docx_python.docx")).unwrap());
    write("2024/q1/scan.pdf", &std::fs::read(data("reportlab.pdf")).unwrap());
    write("2024/photo.png", &std::fs::read(data("photo.png")).unwrap());
    write("2024/q2/机密-通知.TXT", "机密★10年\n联系电话13800138000\n".as_bytes());
    // Skipped by the walk: hidden, unsupported, and inside a hidden directory.
    write(".DS_Store", b"\0\0\0\x01Bud1");
    write("budget.xlsx", b"PK\x03\x04not really");
    write(".git/notes.txt", "秘密".as_bytes());
    dir
}

/// The walk's files, relative to the root, in output order.
const RECURSIVE_ORDER: &[&str] = &[
    "2024/photo.png",
    "2024/q1/report.docx",
    "2024/q1/scan.pdf",
    "2024/q2/机密-通知.TXT",
    "a-notice.txt",
    "b-press.md",
    "c-broken.pdf",
];

fn relative(root: &Path, path: &str) -> String {
    Path::new(path).strip_prefix(root).unwrap().to_string_lossy().into_owned()
}

#[test]
fn a_recursive_json_scan_reports_every_supported_file_in_order_and_names_the_broken_one() {
    let dir = archive();
    let root = dir.path();
    let out = run(&["scan", "--recursive", "--json", root.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "one file is broken: {}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "one line per failed file: {err}");
    assert!(err.contains("c-broken.pdf"), "{err}");

    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let reports = json.as_array().expect("a directory gives an array");
    let files: Vec<_> = reports.iter().map(|r| relative(root, r["file"].as_str().unwrap())).collect();
    let readable: Vec<_> = RECURSIVE_ORDER.iter().copied().filter(|f| !f.contains("broken")).collect();
    assert_eq!(files, readable);
    let formats: Vec<_> = reports.iter().map(|r| r["format"].as_str().unwrap()).collect();
    assert_eq!(formats, ["png", "docx", "pdf", "txt", "txt", "md"]);
    let secret_note = &reports[3]["findings"];
    assert!(
        secret_note.as_array().unwrap().iter().any(|f| f["category"] == "classification"),
        "机密★10年 is found: {secret_note}"
    );
}

#[test]
fn without_recursive_a_directory_stands_for_the_files_directly_in_it() {
    let dir = archive();
    let out = run(&["scan", "--json", dir.path().to_str().unwrap()]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let files: Vec<_> =
        json.as_array().unwrap().iter().map(|r| relative(dir.path(), r["file"].as_str().unwrap())).collect();
    assert_eq!(files, ["a-notice.txt", "b-press.md"]);
    assert_eq!(out.status.code(), Some(1), "c-broken.pdf is still there");
}

#[test]
fn the_csv_summary_has_one_row_per_file_with_counts_and_the_error() {
    let dir = archive();
    let summary = tempfile::tempdir().unwrap();
    let csv = summary.path().join("summary.csv");
    let out = run(&["scan", "-r", dir.path().to_str().unwrap(), "--summary", csv.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("path,format,findings,critical,high,medium,low,categories,error"));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.splitn(9, ',').collect()).collect();
    let paths: Vec<_> = rows.iter().map(|r| relative(dir.path(), r[0])).collect();
    assert_eq!(paths, RECURSIVE_ORDER);
    for row in &rows {
        let counts: Vec<usize> = row[2..7].iter().map(|n| n.parse().unwrap()).collect();
        assert_eq!(counts[0], counts[1..].iter().sum::<usize>(), "severities add up: {row:?}");
        let by_category: usize = if row[7].is_empty() {
            0
        } else {
            row[7].split(';').map(|pair| pair.split_once('=').unwrap().1.parse::<usize>().unwrap()).sum()
        };
        assert_eq!(counts[0], by_category, "categories add up: {row:?}");
    }
    let broken = &rows[6];
    assert_eq!(broken[1], "", "a broken file has no format");
    assert_eq!(broken[2], "0");
    assert!(!broken[8].is_empty(), "the error is given: {broken:?}");
    let secret_note = &rows[3];
    assert_eq!(secret_note[1], "txt");
    assert!(secret_note[3].parse::<usize>().unwrap() >= 1, "机密★10年 is critical: {secret_note:?}");
    assert!(secret_note[7].contains("classification="), "{secret_note:?}");
    assert!(secret_note[7].contains("personal_identifier="), "{secret_note:?}");
    assert_eq!(secret_note[8], "");
}

#[test]
fn the_json_summary_matches_the_scan_output() {
    let dir = archive();
    let summary = tempfile::tempdir().unwrap();
    let path = summary.path().join("summary.json");
    let out = run(&[
        "scan",
        "--recursive",
        "--json",
        dir.path().to_str().unwrap(),
        "--summary",
        path.to_str().unwrap(),
    ]);
    let reports: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let rows: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), RECURSIVE_ORDER.len());
    let mut reports = reports.as_array().unwrap().iter();
    for row in rows {
        if row["error"].is_string() {
            assert!(row["format"].is_null() && row["findings"] == 0, "{row}");
            continue;
        }
        assert!(row["error"].is_null(), "{row}");
        let report = reports.next().expect("every readable file is in the scan output");
        assert_eq!(row["path"], report["file"]);
        assert_eq!(row["format"], report["format"]);
        let findings = report["findings"].as_array().unwrap();
        assert_eq!(row["findings"], findings.len());
        for severity in ["critical", "high", "medium", "low"] {
            let n = findings.iter().filter(|f| f["severity"] == severity).count();
            assert_eq!(row["by_severity"][severity], n, "{severity} in {row}");
        }
        for (category, n) in row["by_category"].as_object().unwrap() {
            let counted = findings.iter().filter(|f| f["category"] == category.as_str()).count();
            assert_eq!(n, counted, "{category} in {row}");
        }
    }
    assert!(reports.next().is_none());
}

#[test]
fn the_same_archive_gives_byte_identical_output_and_summary() {
    let dir = archive();
    let scan = |summary: &Path| {
        let out = run(&["scan", "-r", dir.path().to_str().unwrap(), "--summary", summary.to_str().unwrap()]);
        (stdout(&out), std::fs::read(summary).unwrap())
    };
    let out = tempfile::tempdir().unwrap();
    let first = scan(&out.path().join("1.csv"));
    let second = scan(&out.path().join("2.csv"));
    assert!(first.0.contains("2024/q1/scan.pdf (pdf)"), "human output: {}", first.0);
    assert_eq!(first, second);
}

#[test]
fn a_summary_that_is_neither_csv_nor_json_is_a_usage_error() {
    let dir = archive();
    let out = run(&["scan", "-r", dir.path().to_str().unwrap(), "--summary", "out.xlsx"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains(".csv or .json"), "{}", stderr(&out));
}

#[test]
fn an_empty_directory_gives_an_empty_array_and_exit_zero() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(&["scan", "-r", "--json", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "[]\n");
}

/// Peak resident memory of `vetted scan -r DIR --json --summary` over `files` small files, in KiB.
fn peak_rss_kib(files: usize) -> u64 {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..files {
        let sub = dir.path().join(format!("{:03}", i / 500));
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(sub.join(format!("{i}.txt")), format!("第{i}号通知：95837部队，电话13800138000。\n"))
            .unwrap();
    }
    let summary = dir.path().join("summary.csv");
    let out = std::process::Command::new("/usr/bin/time")
        .args(["-f", "%M"])
        .arg(env!("CARGO_BIN_EXE_vetted"))
        .args(["scan", "-r", "--json", "--summary"])
        .arg(&summary)
        .arg(dir.path())
        .stdout(std::process::Stdio::null())
        .output()
        .expect("/usr/bin/time (package `time`) runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let kib = stderr(&out).lines().last().and_then(|l| l.trim().parse().ok());
    kib.unwrap_or_else(|| panic!("no peak RSS from /usr/bin/time: {}", stderr(&out)))
}

#[test]
fn memory_stays_flat_as_the_file_count_grows() {
    let small = peak_rss_kib(200);
    let large = peak_rss_kib(5000);
    // Twenty-five times the files. Holding the reports of 5,000 files (about 1 KiB of JSON each)
    // until the end would add some 5 MiB, holding their documents far more; the list of paths
    // and the allocator's noise stay well under the 2 MiB allowed here.
    assert!(large < small + 2 * 1024, "peak RSS grew from {small} KiB to {large} KiB");
}

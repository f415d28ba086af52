//! Resource limits under attack: each hostile input of `scripts/make_hostile.py` (a 1 GiB zip
//! bomb, a million PDF objects, nesting 100,000 deep, 2^40 form draws, 100 megapixels...) is
//! refused with a message naming the limit, or processed, under 1 GiB of peak memory and well
//! within a minute. `scripts/limits.sh` measures the same inputs for the README.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::stderr;

/// Builds the named inputs in `dir`; returns (name, path) pairs.
fn make_hostile(dir: &Path, names: &[&str]) -> Vec<(String, PathBuf)> {
    let python = std::env::var("VETTED_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/make_hostile.py");
    let out = Command::new(python).arg(script).arg(dir).args(names).output().expect("python3 runs");
    assert!(out.status.success(), "make_hostile.py: {}", stderr(&out));
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|line| {
            let mut fields = line.split('\t');
            (fields.next().unwrap().to_string(), PathBuf::from(fields.next().unwrap()))
        })
        .collect()
}

/// `vetted scan FILE` under `/usr/bin/time`: exit code, stderr, peak RSS in KiB. Killed (and
/// failed) after `deadline`: a hang is a denial of service.
fn scan_measured(file: &Path, deadline: Duration) -> (Option<i32>, String, u64) {
    let dir = tempfile::tempdir().unwrap();
    let rss_file = dir.path().join("rss");
    let mut child = Command::new("/usr/bin/time")
        .args(["-f", "%M", "-o"])
        .arg(&rss_file)
        .arg(env!("CARGO_BIN_EXE_vetted"))
        .arg("scan")
        .arg(file)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("/usr/bin/time (package `time`) runs");
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > deadline {
            child.kill().unwrap();
            panic!("vetted scan {} still runs after {deadline:?}", file.display());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    let rss = std::fs::read_to_string(&rss_file).unwrap();
    let rss_kib = rss.lines().last().and_then(|l| l.trim().parse().ok()).expect("a peak RSS");
    (out.status.code(), stderr(&out), rss_kib)
}

const DEADLINE: Duration = Duration::from_secs(60);
const ONE_GIB_IN_KIB: u64 = 1 << 20;

/// What each input must give: `Some(fragment)` is a refusal (exit 1) whose one-line message
/// contains the fragment; `None` is a successful scan.
const EXPECTED: &[(&str, Option<&str>)] = &[
    ("docx-bomb", Some("decompresses to more than the limit of 134217728 bytes")),
    ("docx-spread", Some("the archive decompresses to more than the limit of 536870912 bytes")),
    ("docx-deep", Some("XML elements nest deeper than the limit of 256")),
    ("pdf-million", Some("the PDF has 1000000 objects, more than the limit of 500000")),
    ("pdf-deep-forms", Some("nests Form XObjects deeper than the limit of 256")),
    ("pdf-fanout-forms", Some("draws Form XObjects more than 100000 times")),
    ("png-100mp", None),
    ("png-lying", Some("more than the limit of 100000000")),
];

fn check(name: &str, file: &Path) {
    let expected = EXPECTED.iter().find(|(n, _)| *n == name).unwrap_or_else(|| panic!("{name} unexpected")).1;
    let (code, err, rss_kib) = scan_measured(file, DEADLINE);
    assert!(rss_kib < ONE_GIB_IN_KIB, "{name}: peak RSS {rss_kib} KiB");
    match expected {
        Some(fragment) => {
            assert_eq!(code, Some(1), "{name} must be refused: {err}");
            assert_eq!(err.lines().count(), 1, "{name}: one line naming the file: {err}");
            assert!(err.contains(&*file.to_string_lossy()), "{name}: {err}");
            assert!(err.contains(fragment), "{name}: expected {fragment:?} in {err}");
        }
        None => assert_eq!(code, Some(0), "{name} must be scanned: {err}"),
    }
}

#[test]
fn every_hostile_input_is_refused_or_scanned_under_one_gib_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = make_hostile(dir.path(), &[]);
    let names: Vec<&str> = inputs.iter().map(|(name, _)| name.as_str()).collect();
    let expected: Vec<&str> = EXPECTED.iter().map(|(name, _)| *name).collect();
    assert_eq!(names, expected, "every input has an expectation");
    for (name, path) in &inputs {
        check(name, path);
    }
}

/// Regression: 40 Form XObjects, each drawing the next twice, stay far inside the depth limit
/// but ask for 2^40 draws; the reader ran until killed. Now the draws per page are bounded.
#[test]
fn regression_form_xobject_fan_out_is_refused_instead_of_running_forever() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = make_hostile(dir.path(), &["pdf-fanout-forms"]);
    let (name, path) = &inputs[0];
    check(name, path);
}

//! The fuzz targets' checks (`fuzz/src/lib.rs`) over their seed corpus and every crash input the
//! fuzzer has found (`fuzz/regressions/TARGET/`), on the stable toolchain: what `scripts/fuzz.sh`
//! explores for minutes stays covered by `cargo test`.

use std::path::{Path, PathBuf};

#[path = "../fuzz/src/lib.rs"]
mod checks;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The seed files of `target` (as `scripts/fuzz.sh` picks them) and its regression inputs.
fn inputs(target: &str) -> Vec<PathBuf> {
    let extensions: &[&str] = match target.rsplit('_').next() {
        Some("txt") => &["txt", "md"],
        Some("docx") => &["docx"],
        Some("pdf") => &["pdf"],
        Some("image") => &["jpg", "jpeg", "png"],
        Some("pack") => &["toml"],
        _ => panic!("no seeds for {target}"),
    };
    let mut files = Vec::new();
    for dir in ["tests/data", "assets/samples", "assets/rules"] {
        for entry in std::fs::read_dir(repo().join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let extension = path.extension().and_then(|e| e.to_str()).unwrap_or_default();
            if extensions.contains(&extension) {
                files.push(path);
            }
        }
    }
    assert!(!files.is_empty(), "{target} has seeds");
    if let Ok(entries) = std::fs::read_dir(repo().join("fuzz/regressions").join(target)) {
        files.extend(entries.map(|e| e.unwrap().path()));
    }
    files.sort();
    files
}

fn check(target: &str) {
    let (_, run) = checks::TARGETS.iter().find(|(name, _)| *name == target).unwrap();
    let mut completed = 0;
    for input in inputs(target) {
        let data = std::fs::read(&input).unwrap();
        // A panic names the target and the file, so a failing regression is found at once.
        match std::panic::catch_unwind(|| run(&data)) {
            Ok(went_all_the_way) => completed += usize::from(went_all_the_way),
            Err(_) => panic!("fuzz target {target} fails on {}", input.display()),
        }
    }
    // The seeds are valid files: unless some get through the whole check, the corpus tests
    // nothing but error paths.
    assert!(completed > 0, "no seed of {target} went all the way through the check");
}

#[test]
fn every_fuzz_target_is_checked_here() {
    let mut on_disk: Vec<String> = std::fs::read_dir(repo().join("fuzz/fuzz_targets"))
        .unwrap()
        .map(|e| e.unwrap().path().file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut listed: Vec<&str> = checks::TARGETS.iter().map(|(name, _)| *name).collect();
    listed.sort();
    assert_eq!(on_disk, listed);
}

#[test]
fn ingest_txt() {
    check("ingest_txt");
}

#[test]
fn ingest_docx() {
    check("ingest_docx");
}

#[test]
fn ingest_pdf() {
    check("ingest_pdf");
}

#[test]
fn ingest_image() {
    check("ingest_image");
}

#[test]
fn redact_txt() {
    check("redact_txt");
}

#[test]
fn redact_docx() {
    check("redact_docx");
}

#[test]
fn redact_pdf() {
    check("redact_pdf");
}

#[test]
fn redact_image() {
    check("redact_image");
}

#[test]
fn rule_pack() {
    check("rule_pack");
}

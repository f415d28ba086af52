//! PDF redaction of a 300-page document with 200 planned passages: the whole export (read,
//! redact, sanitize, write, verify by re-reading) against PyMuPDF's `apply_redactions` on the
//! same file and plan (`pymupdf_redact.py`, in `.venv-bench` made by `pymupdf-env.sh`).
//!
//! Run with `cargo bench -p vetted-core --bench pdf_redact`; criterion prints our timing and the
//! bench prints PyMuPDF's median.

use std::path::PathBuf;
use std::process::Command;

use criterion::{Criterion, criterion_group, criterion_main};
use vetted_core::{Format, Limits, PlannedRange, RedactionPlan, ingest, redact};

mod common;
use common::{PAGES, generate};

const PHRASE: &str = "John Smith";
const REDACTIONS: usize = 200;

/// The k-th occurrence of PHRASE on page p for 200 (p, k) spread over the document, as
/// character ranges and as the (page, k) pairs PyMuPDF is given.
fn plan(bytes: &[u8]) -> (RedactionPlan, Vec<(usize, usize)>) {
    let doc = ingest::read(bytes, None, &Limits::default()).expect("the bench PDF reads");
    let text = doc.visible_text();
    let mut by_page: Vec<Vec<usize>> = vec![Vec::new(); PAGES];
    let mut from = 0;
    while let Some(at) = text[from..].find(PHRASE) {
        let start = doc.char_offset(from + at);
        if let Some(page) = doc.block_at(start).and_then(|b| b.location.page) {
            by_page[page as usize - 1].push(start);
        }
        from += at + PHRASE.len();
    }
    let mut ranges = Vec::new();
    let mut pairs = Vec::new();
    for i in 0..REDACTIONS {
        let (page, k) = (i * PAGES / REDACTIONS, i % 5);
        let start = by_page[page][k];
        ranges.push(PlannedRange { start, end: start + PHRASE.chars().count(), reason: "bench".into() });
        pairs.push((page, k));
    }
    (RedactionPlan { ranges, ..RedactionPlan::default() }, pairs)
}

fn bench(c: &mut Criterion) {
    let bytes = generate();
    let (plan, pairs) = plan(&bytes);
    let limits = Limits::default();
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let path = dir.join("pdf_redact-300-pages.pdf");
    std::fs::write(&path, &bytes).expect("the bench PDF is written under target/");
    let plan_path = dir.join("pdf_redact-plan.json");
    let json = format!("[{}]", pairs.iter().map(|(p, k)| format!("[{p},{k}]")).collect::<Vec<_>>().join(","));
    std::fs::write(&plan_path, json).expect("the plan is written under target/");

    let python = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.venv-bench/bin/python");
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("benches/pymupdf_redact.py");
    match Command::new(&python).arg(&script).arg(&path).arg(&plan_path).arg(PHRASE).output() {
        Ok(out) if out.status.success() => {
            println!("pdf_redact: PyMuPDF {}", String::from_utf8_lossy(&out.stdout).trim())
        }
        Ok(out) => println!("pdf_redact: PyMuPDF failed: {}", String::from_utf8_lossy(&out.stderr)),
        Err(e) => println!(
            "pdf_redact: no PyMuPDF figure ({e}); run crates/core/benches/pymupdf-env.sh to install it"
        ),
    }

    let export = redact(&bytes, Format::Pdf, &plan, &limits).expect("the bench PDF redacts");
    println!("pdf_redact: {REDACTIONS} passages on {PAGES} pages, export {} bytes", export.bytes.len());
    let mut group = c.benchmark_group("pdf_redact_300_pages_200_passages");
    group.sample_size(10);
    group.bench_function("vetted", |b| {
        b.iter(|| redact(&bytes, Format::Pdf, &plan, &limits).expect("redacts"))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

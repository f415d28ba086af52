//! PDF text extraction of a 300-page document, ours against poppler's `pdftotext` on the same
//! file. The document is generated at bench time (see `common`).
//!
//! Run with `cargo bench -p vetted-core --bench pdf_extract`; criterion prints both timings.

use std::path::PathBuf;
use std::process::Command;

use criterion::{Criterion, criterion_group, criterion_main};
use vetted_core::{Limits, ingest};

mod common;
use common::{PAGES, generate};

fn bench(c: &mut Criterion) {
    let bytes = generate();
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("pdf_extract-300-pages.pdf");
    std::fs::write(&path, &bytes).expect("the bench PDF is written under target/");
    let limits = Limits::default();
    let chars = ingest::read(&bytes, None, &limits).expect("the bench PDF reads").visible_char_len();
    println!("pdf_extract: {PAGES} pages, {} bytes, {chars} characters of visible text", bytes.len());

    let mut group = c.benchmark_group("pdf_extract_300_pages");
    group.sample_size(10);
    group.bench_function("vetted", |b| b.iter(|| ingest::read(&bytes, None, &limits).expect("reads")));
    group.bench_function("pdftotext", |b| {
        b.iter(|| {
            let status = Command::new("pdftotext")
                .args(["-q", "-enc", "UTF-8"])
                .arg(&path)
                .arg("/dev/null")
                .status()
                .expect("pdftotext (poppler-utils) is required by this bench; run scripts/setup-system.sh");
            assert!(status.success());
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

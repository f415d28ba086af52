//! PDF text extraction of a 300-page document, ours against poppler's `pdftotext` on the same
//! file. The document is generated at bench time (lopdf, Helvetica without /Widths as reportlab
//! writes it, 46 lines a page with kerned TJ arrays and a two-byte CJK line in a Type0 font).
//!
//! Run with `cargo bench -p vetted-core --bench pdf_extract`; criterion prints both timings.

use std::path::PathBuf;
use std::process::Command;

use criterion::{Criterion, criterion_group, criterion_main};
use lopdf::{Dictionary, Object, Stream, dictionary};
use vetted_core::{Limits, ingest};

const PAGES: usize = 300;
const LINES: usize = 46;

fn generate() -> Vec<u8> {
    let mut doc = lopdf::Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let helvetica = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding",
    });
    let cid = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "CIDFontType0", "BaseFont" => "STSong-Light", "DW" => 1000,
        "CIDSystemInfo" => dictionary! {
            "Registry" => Object::string_literal("Adobe"), "Ordering" => Object::string_literal("GB1"), "Supplement" => 2,
        },
    });
    let song = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "STSong-Light", "Encoding" => "UniGB-UCS2-H",
        "DescendantFonts" => vec![cid.into()],
    });
    let resources = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => helvetica, "F2" => song } });
    let cjk: String =
        "关于开展保密检查工作的通知联系人电话".encode_utf16().map(|u| format!("{u:04X}")).collect();
    let mut kids = Vec::new();
    for page in 0..PAGES {
        let mut content = String::from("BT /F1 11 Tf 14 TL 56 780 Td\n");
        for line in 0..LINES {
            if line % 10 == 9 {
                content.push_str(&format!("/F2 11 Tf <{cjk}> Tj /F1 11 Tf T*\n"));
            } else {
                content.push_str(&format!(
                    "[(Page {page} line {line}: the procurement notice for the ) -20 (radar station upgrade, ) \
                     120 (contact John Smith.)] TJ T*\n"
                ));
            }
        }
        content.push_str("ET\n");
        let mut stream = Stream::new(Dictionary::new(), content.into_bytes());
        stream.compress().expect("the bench page compresses");
        let contents = doc.add_object(stream);
        kids.push(Object::from(doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => contents,
        })));
    }
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => kids, "Count" => PAGES as i64, "Resources" => resources,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("the bench PDF saves");
    out
}

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

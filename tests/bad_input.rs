//! Every kind of bad input, through the real `vetted scan`: exit code 1 and exactly one line on
//! stderr that names the file and says what is wrong in words a reviewer understands.
//!
//! The readers' own tests check the error kinds in detail; this module is the user's view. Each
//! case is built here from the shared builders, so the table reads as the list of inputs Vetted
//! refuses. Two limits are not reached through the CLI, which exposes no `Limits`: an archive
//! decompressing to more than 512 MiB in total and a PDF of more than 500,000 objects would take
//! tens to hundreds of megabytes to build, so the core tests check them with small limits
//! (`zip_bombs_are_refused_by_ratio_and_by_total`, `bad_input_gets_one_clear_error`).

use std::io::Write;
use std::path::{Path, PathBuf};

use lopdf::Object;
use vetted_core::{Limits, ingest};

use crate::pdf_build::{Pdf, pdftotext, squeeze};
use crate::photo_builder::{chunk, jpeg, png};
use crate::util::{run, stderr, stdout};

/// One bad input: the file name it is scanned under, its bytes, and the words its error line must
/// contain.
struct Case {
    file: &'static str,
    bytes: Vec<u8>,
    says: &'static [&'static str],
}

fn case(file: &'static str, bytes: Vec<u8>, says: &'static [&'static str]) -> Case {
    Case { file, bytes, says }
}

fn cases() -> Vec<Case> {
    let good_docx = docx(&paragraph("Hello"));
    let good_pdf = pdf("BT /F1 12 Tf 72 700 Td (Hello) Tj ET");
    let photo = jpeg(16, 16);
    vec![
        // DOCX: the zip container.
        case("truncated.docx", good_docx[..good_docx.len() / 2].to_vec(), &["not a valid DOCX", "truncated"]),
        // A .docx that is not a zip: an old Word file renamed, or a DOCX Word protected with a
        // password (both OLE2 compound files), or anything else.
        case("word97.docx", ole2_file(), &["Word 97-2003", "password-protected", "save it as DOCX"]),
        case("random.docx", random_bytes(4096), &["not a PDF, DOCX", "unknown format"]),
        case(
            "ratio-bomb.docx",
            zip(&[("word/document.xml", &document_xml("")), ("word/media/zero.bin", &[b' '; 3 << 20])]),
            &["word/media/zero.bin", "zip bomb"],
        ),
        case(
            "dot-dot.docx",
            zip(&[("word/document.xml", &document_xml("")), ("../evil.xml", b"<a/>")]),
            &["../evil.xml", "escapes the archive"],
        ),
        case(
            "absolute.docx",
            zip(&[("word/document.xml", &document_xml("")), ("/etc/passwd", b"x")]),
            &["/etc/passwd", "escapes the archive"],
        ),
        case(
            "duplicate.docx",
            zip(&[("word/document.xml", &document_xml("")), ("Word/Document.xml", b"<a/>")]),
            &["Word/Document.xml", "twice"],
        ),
        case("password-zip.docx", zip_marked_encrypted(&good_docx), &["password-protected"]),
        case("no-document.docx", zip(&[("word/other.xml", b"<a/>")]), &["word/document.xml is missing"]),
        // DOCX: the XML inside.
        case(
            "doctype.docx",
            zip(&[("word/document.xml", br#"<?xml version="1.0"?><!DOCTYPE w [<!ENTITY x "boom">]><w/>"#)]),
            &["DOCTYPE"],
        ),
        case("entity.docx", docx(&paragraph("&x;")), &["entity", "&x;"]),
        case("attribute-entity.docx", docx(r#"<w:p><w:ins w:author="&x;"/></w:p>"#), &["unknown entity"]),
        case(
            "nested.docx",
            docx(&("<w:p>".repeat(300) + &"</w:p>".repeat(300))),
            &["word/document.xml", "nest deeper"],
        ),
        // PDF.
        case("encrypted.pdf", qpdf_encrypt(&good_pdf), &["encrypted", "password"]),
        case(
            "truncated.pdf",
            good_pdf[..good_pdf.len() / 3].to_vec(),
            &["PDF", "truncated", "cross reference"],
        ),
        case("random.pdf", random_bytes(4096), &["not a PDF, DOCX", "unknown format"]),
        case("garbage.pdf", [b"%PDF-1.7\n".as_slice(), &random_bytes(4096)].concat(), &["PDF", "damaged"]),
        case("form-loop.pdf", form_loop(), &["draws itself"]),
        case("deep-forms.pdf", deep_forms(300), &["page 1", "nests Form XObjects", "256"]),
        case("deep-content.pdf", pdf(&deep_arrays_drawn(100_000)), &["page 1", "nests arrays", "100 levels"]),
        case("deep-catalog.pdf", deep_catalog(100_000), &["catalog", "cannot be parsed"]),
        // Pictures.
        case("truncated.jpg", photo[..photo.len() / 2].to_vec(), &["truncated JPEG"]),
        case("random.jpg", random_bytes(4096), &["not a PDF, DOCX", "unknown format"]),
        case(
            "garbage.jpg",
            [[0xFF, 0xD8, 0xFF].as_slice(), &random_bytes(4096)].concat(),
            &["truncated JPEG"],
        ),
        case("bad-crc.png", critical_crc_broken(&png(16, 16)), &["IDAT", "CRC"]),
        case("huge.png", png_declaring(20_000, 10_000), &["200000000 pixels", "100000000"]),
        case("huge.jpg", jpeg_declaring(&photo, 20_000, 10_000), &["200000000 pixels", "100000000"]),
        // Anything else.
        case("random.bin", random_bytes(4096), &["not a PDF, DOCX", "unknown format"]),
    ]
}

/// Damaged files that a viewer can still show, and so must Vetted: (file, bytes, the text read,
/// whether poppler reads the same text). Nothing hangs, loops or fails.
fn readable_cases() -> Vec<(&'static str, Vec<u8>, &'static str, bool)> {
    let good_pdf = pdf("BT /F1 12 Tf 72 700 Td (Hello) Tj ET");
    vec![
        // lopdf rebuilds a cross-reference table that points nowhere by scanning for objects.
        // Poppler gives up on this one: lopdf writes a cross-reference stream, and poppler's
        // reconstruction looks for a `trailer` keyword. Reading more than a viewer is safe.
        ("broken-xref.pdf", broken_xref(&good_pdf), "Hello\n", false),
        // Poppler and qpdf skip a /Pages node met twice and show the one page once.
        ("page-tree-loop.pdf", page_tree_loop(), "Hello\n", true),
        // A page whose contents never resolve is blank in poppler too.
        ("contents-loop.pdf", reference_loop(b"Contents"), "", true),
    ]
}

#[test]
fn damaged_but_readable_pdfs_are_scanned_as_a_viewer_shows_them() {
    let dir = tempfile::tempdir().unwrap();
    for (file, bytes, text, poppler_reads_it) in readable_cases() {
        let path = dir.path().join(file);
        std::fs::write(&path, &bytes).unwrap();
        let out = run(&["scan", "--json", path.to_str().unwrap()]);
        assert_eq!((out.status.code(), stderr(&out).as_str()), (Some(0), ""), "{file}");
        let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        assert_eq!(json["format"], "pdf", "{file}");
        let document = ingest::read(&bytes, Some(file), &Limits::default()).unwrap();
        assert_eq!(document.visible_text(), text, "{file}");
        if poppler_reads_it {
            assert_eq!(squeeze(&pdftotext(&bytes)), squeeze(text), "{file}: poppler reads it so too");
        }
    }
}

#[test]
fn each_bad_input_exits_one_with_one_line_naming_the_file_and_the_problem() {
    let dir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for case in cases() {
        let path = write(dir.path(), &case);
        let out = run(&["scan", path.to_str().unwrap()]);
        let err = stderr(&out);
        let problems = problems(&case, &path, out.status.code(), &err);
        if !problems.is_empty() {
            failures.push(format!("{}: {}\n    stderr: {err:?}", case.file, problems.join("; ")));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn a_run_over_all_bad_inputs_still_reports_the_good_file() {
    let dir = tempfile::tempdir().unwrap();
    let cases = cases();
    let mut args: Vec<String> = vec!["scan".into(), "--json".into()];
    for case in &cases {
        args.push(write(dir.path(), case).to_str().unwrap().to_string());
    }
    let good = dir.path().join("good.txt");
    std::fs::write(&good, "公开通知：明天开会。\n").unwrap();
    args.push(good.to_str().unwrap().to_string());

    let out = run(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), cases.len(), "one line per bad file:\n{err}");
    for (case, line) in cases.iter().zip(&lines) {
        let path = dir.path().join(case.file);
        assert!(line.starts_with(&format!("vetted: {}: ", path.display())), "{}: {line}", case.file);
    }
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let reported: Vec<_> = json.as_array().unwrap().iter().map(|r| r["file"].as_str().unwrap()).collect();
    assert_eq!(reported, [good.to_str().unwrap()]);
}

/// Regression: a page whose /Resources never resolve drew its text with no font, and the reader
/// dropped it in silence, though poppler shows it in a substitute font. The page must at least be
/// reviewed by eye.
#[test]
fn text_in_a_font_that_cannot_be_found_makes_the_page_reviewed_by_eye() {
    let bytes = reference_loop(b"Resources");
    assert_eq!(squeeze(&pdftotext(&bytes)), "Hello", "poppler shows the text");
    let document = ingest::read(&bytes, Some("resources-loop.pdf"), &Limits::default()).unwrap();
    let labels: Vec<&str> = document.hidden_items().iter().map(|item| item.label.as_str()).collect();
    assert_eq!(labels, ["page 1 cannot be searched — review it by eye"]);
}

/// What is wrong with one case's run, if anything.
fn problems(case: &Case, path: &Path, code: Option<i32>, err: &str) -> Vec<String> {
    let mut problems = Vec::new();
    if code != Some(1) {
        problems.push(format!("exit code {code:?}, not 1"));
    }
    if err.lines().count() != 1 {
        problems.push(format!("{} lines on stderr, not 1", err.lines().count()));
    }
    if !err.starts_with(&format!("vetted: {}: ", path.display())) {
        problems.push("the line does not start with the file name".into());
    }
    for word in case.says {
        if !err.contains(word) {
            problems.push(format!("no {word:?}"));
        }
    }
    problems
}

fn write(dir: &Path, case: &Case) -> PathBuf {
    let path = dir.join(case.file);
    std::fs::write(&path, &case.bytes).unwrap();
    path
}

/// Bytes from a fixed xorshift sequence: the same "random" file on every run.
fn random_bytes(len: usize) -> Vec<u8> {
    let mut seed = 0x9E37_79B9_u32;
    (0..len)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed as u8
        })
        .collect()
}

// --- DOCX ------------------------------------------------------------------------------------

/// A zip archive holding `parts` (name, bytes) in order, deflated.
fn zip(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for (name, bytes) in parts {
        writer.start_file(*name, options).unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

/// `zip` with every entry flagged as encrypted (general-purpose bit 0, in the local and the
/// central headers), as a zip tool's password protection marks them.
fn zip_marked_encrypted(zip: &[u8]) -> Vec<u8> {
    let mut out = zip.to_vec();
    let flag_offsets: Vec<usize> = (0..out.len().saturating_sub(4))
        .filter_map(|i| match &out[i..i + 4] {
            b"PK\x03\x04" => Some(i + 6),
            b"PK\x01\x02" => Some(i + 8),
            _ => None,
        })
        .collect();
    for at in flag_offsets {
        out[at] |= 1;
    }
    out
}

fn document_xml(body: &str) -> Vec<u8> {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    )
    .into_bytes()
}

/// The smallest package the DOCX reader accepts: a main document with `body`.
fn docx(body: &str) -> Vec<u8> {
    zip(&[("word/document.xml", &document_xml(body))])
}

fn paragraph(text: &str) -> String {
    format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
}

/// The start of an OLE2 compound file, as Word 97-2003 and Office's password protection write.
fn ole2_file() -> Vec<u8> {
    let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    bytes.extend(random_bytes(4088));
    bytes
}

// --- PDF -------------------------------------------------------------------------------------

/// A one-page PDF drawing `content`.
fn pdf(content: &str) -> Vec<u8> {
    let mut pdf = Pdf::new();
    pdf.page(content);
    pdf.bytes()
}

/// `bytes` encrypted by qpdf with a user password, as a real protected draft is.
fn qpdf_encrypt(bytes: &[u8]) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let (input, output) = (dir.path().join("in.pdf"), dir.path().join("out.pdf"));
    std::fs::write(&input, bytes).unwrap();
    let status = std::process::Command::new("qpdf")
        .args(["--encrypt", "user", "owner", "256", "--"])
        .arg(&input)
        .arg(&output)
        .status()
        .expect("qpdf is required by this test; run scripts/setup-system.sh");
    assert!(status.success(), "qpdf could not encrypt the test PDF");
    std::fs::read(output).unwrap()
}

/// `bytes` with the `startxref` offset pointing into the middle of an object.
fn broken_xref(bytes: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(bytes);
    let at = text.rfind("startxref").expect("lopdf writes startxref");
    let mut out = bytes[..at].to_vec();
    out.extend_from_slice(b"startxref\n20\n%%EOF\n");
    out
}

/// A page drawing a form that draws itself.
fn form_loop() -> Vec<u8> {
    let mut pdf = Pdf::new();
    pdf.form("Fm1", "/Fm1 Do", [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);
    pdf.page("/Fm1 Do");
    pdf.bytes()
}

/// A page tree whose root lists itself among its kids.
fn page_tree_loop() -> Vec<u8> {
    let mut pdf = Pdf::new();
    pdf.page("BT /F1 12 Tf 72 700 Td (Hello) Tj ET");
    pdf.bytes_with(|doc, catalog| {
        let pages = catalog.get(b"Pages").unwrap().as_reference().unwrap();
        if let Ok(Object::Dictionary(tree)) = doc.get_object_mut(pages)
            && let Ok(Object::Array(kids)) = tree.get_mut(b"Kids")
        {
            kids.push(Object::Reference(pages));
        }
    })
}

/// A page whose `key` entry is a reference to an object that refers back to itself.
fn reference_loop(key: &[u8]) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let page = pdf.page("BT /F1 12 Tf 72 700 Td (Hello) Tj ET");
    pdf.bytes_with(|doc, _| {
        let first = doc.new_object_id();
        let second = doc.add_object(Object::Reference(first));
        doc.objects.insert(first, Object::Reference(second));
        if let Ok(Object::Dictionary(page)) = doc.get_object_mut(page) {
            page.set(key, Object::Reference(first));
        }
    })
}

/// A page drawing a chain of `depth` forms, each drawing the next.
fn deep_forms(depth: usize) -> Vec<u8> {
    let mut pdf = Pdf::new();
    for i in 0..depth {
        pdf.form(&format!("Fm{i}"), &format!("/Fm{} Do", i + 1), [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);
    }
    pdf.form(&format!("Fm{depth}"), "BT /F1 12 Tf (deep) Tj ET", [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);
    pdf.page("/Fm0 Do");
    pdf.bytes()
}

/// A text operator whose operand is an array nested `depth` deep.
fn deep_arrays_drawn(depth: usize) -> String {
    format!("BT /F1 12 Tf {}(x){} TJ ET", "[".repeat(depth), "]".repeat(depth))
}

/// A PDF whose catalog holds an array nested `depth` deep, written by hand since lopdf would
/// recurse as deep to write it.
fn deep_catalog(depth: usize) -> Vec<u8> {
    let good = pdf("BT /F1 12 Tf 72 700 Td (Hello) Tj ET");
    let text = String::from_utf8_lossy(&good).into_owned();
    let nested = "[".repeat(depth) + &"]".repeat(depth);
    // The catalog's dictionary gains a /Deep entry. The offsets this shifts do not matter: lopdf
    // rebuilds the table by scanning for objects (see broken-xref.pdf), and the one object it
    // cannot rebuild is the catalog it cannot parse.
    let at = text.rfind("/Type/Catalog").or_else(|| text.rfind("/Type /Catalog")).expect("a catalog");
    let mut out = good[..at].to_vec();
    out.extend_from_slice(format!("/Deep {nested}").as_bytes());
    out.extend_from_slice(&good[at..]);
    out
}

// --- Pictures --------------------------------------------------------------------------------

/// `png` with one byte of its last IDAT chunk changed, so the chunk's CRC no longer matches.
fn critical_crc_broken(png: &[u8]) -> Vec<u8> {
    let mut out = png.to_vec();
    let last_idat_byte = out.len() - 12 - 5;
    out[last_idat_byte] ^= 0x55;
    out
}

/// A PNG whose header declares `width` × `height` (with a valid CRC) over a tiny image's data.
fn png_declaring(width: u32, height: u32) -> Vec<u8> {
    let small = png(1, 1);
    let mut header = small[16..29].to_vec();
    header[..4].copy_from_slice(&width.to_be_bytes());
    header[4..8].copy_from_slice(&height.to_be_bytes());
    let mut out = small[..8].to_vec();
    out.extend_from_slice(&chunk(b"IHDR", &header));
    out.extend_from_slice(&small[33..]);
    out
}

/// `jpeg` with its frame header (SOF0) declaring `width` × `height`.
fn jpeg_declaring(jpeg: &[u8], width: u16, height: u16) -> Vec<u8> {
    let mut out = jpeg.to_vec();
    let sof = out.windows(2).position(|w| w == [0xFF, 0xC0]).expect("a baseline JPEG has SOF0");
    out[sof + 5..sof + 7].copy_from_slice(&height.to_be_bytes());
    out[sof + 7..sof + 9].copy_from_slice(&width.to_be_bytes());
    out
}

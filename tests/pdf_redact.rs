//! PDF redaction, checked with tools that are not ours: `pdftotext` (the passage is gone, every
//! other word is still there and has not moved), `qpdf --check` (the file is valid) and
//! `qpdf --qdf` followed by a byte search of every decompressed stream (the passage is not
//! anywhere in the file).

use lopdf::{Object, Stream, dictionary};
use vetted_core::{
    Document, Export, Format, HiddenKind, Layout, Limits, Origin, PlannedArea, PlannedRange, Rect,
    RedactionPlan, ingest, redact,
};

use crate::pdf_build::{Pdf, Word, pdftotext, pdftotext_words, string, tool};
use crate::util::data;

fn read(bytes: &[u8]) -> Document {
    ingest::read(bytes, Some("test.pdf"), &Limits::default()).unwrap()
}

/// A plan removing every occurrence of each phrase in the visible text.
fn plan_for(doc: &Document, phrases: &[&str]) -> RedactionPlan {
    let text = doc.visible_text();
    let mut ranges = Vec::new();
    for phrase in phrases {
        let mut from = 0;
        while let Some(at) = text[from..].find(phrase) {
            let byte = from + at;
            let start = doc.char_offset(byte);
            ranges.push(PlannedRange { start, end: start + phrase.chars().count(), reason: "test".into() });
            from = byte + phrase.len();
        }
        assert!(from > 0, "{phrase:?} is not in {text:?}");
    }
    RedactionPlan { ranges, ..RedactionPlan::default() }
}

fn export(bytes: &[u8], plan: &RedactionPlan) -> Export {
    redact(bytes, Format::Pdf, plan, &Limits::default()).unwrap_or_else(|e| panic!("redaction failed: {e}"))
}

/// The export is valid for qpdf, and no decompressed stream or object of it holds any of
/// `needles` (each searched as given and as UTF-16BE, the two ways our fixtures encode text).
fn check_file_is_clean(output: &[u8], needles: &[&str]) {
    let check = tool("qpdf", &["--check"], output, &[]);
    assert!(check.status.success(), "qpdf --check: {}", String::from_utf8_lossy(&check.stdout));
    let qdf = tool("qpdf", &["--qdf", "--object-streams=disable"], output, &["-"]);
    assert!(qdf.status.success(), "qpdf --qdf: {}", String::from_utf8_lossy(&qdf.stderr));
    for needle in needles {
        let utf16: Vec<u8> = needle.encode_utf16().flat_map(u16::to_be_bytes).collect();
        for bytes in [needle.as_bytes().to_vec(), utf16] {
            assert!(
                !qdf.stdout.windows(bytes.len()).any(|w| w == bytes),
                "{needle:?} is still in the file's bytes"
            );
        }
    }
}

/// Every word of the original that does not touch a redacted phrase is in the export, on the
/// same page, within 0.01 pt of where it was.
fn check_survivors_did_not_move(before: &[Word], after: &[Word], redacted: &[&str]) {
    // A word is touched when it shares a token with a redacted phrase (pdftotext may then split or
    // join it differently).
    let touched = |w: &Word| {
        redacted.iter().any(|r| {
            r.contains(w.text.as_str())
                || r.split_whitespace().any(|t| w.text.contains(t) || t.contains(w.text.as_str()))
        })
    };
    for word in before.iter().filter(|w| !touched(w)) {
        let found = after.iter().any(|a| {
            a.page == word.page
                && a.text == word.text
                && a.rect.iter().zip(&word.rect).all(|(x, y)| (x - y).abs() < 0.01)
        });
        assert!(found, "{word:?} moved or vanished; after: {after:?}");
    }
}

/// Redacts `phrases` from `bytes` and runs every independent check; returns the export.
fn check_redaction(bytes: &[u8], phrases: &[&str]) -> Vec<u8> {
    let doc = read(bytes);
    let plan = plan_for(&doc, phrases);
    let out = export(bytes, &plan).bytes;
    let text = pdftotext(&out);
    for phrase in phrases {
        assert!(!text.contains(phrase), "{phrase:?} survived in pdftotext output: {text}");
    }
    check_survivors_did_not_move(&pdftotext_words(bytes), &pdftotext_words(&out), phrases);
    check_file_is_clean(&out, phrases);
    assert_eq!(export(bytes, &plan).bytes, out, "the same input and plan give the same bytes");
    out
}

fn one_page(content: &str) -> Vec<u8> {
    let mut pdf = Pdf::new();
    pdf.page(content);
    pdf.bytes()
}

#[test]
fn a_phrase_drawn_with_tj_is_removed_and_later_words_stay() {
    let out = check_redaction(
        &one_page("BT /F1 12 Tf 72 700 Td (Contact John Smith today) Tj (, thanks) Tj ET"),
        &["John Smith"],
    );
    // The spaces on both sides of the phrase are kept, as drawn.
    assert_eq!(read(&out).visible_text(), "Contact  today, thanks\n");
}

#[test]
fn a_phrase_split_across_tj_kerning_is_removed_and_the_next_operator_does_not_move() {
    check_redaction(
        &one_page("BT /F1 12 Tf 72 700 Td [(Jo) -120 (hn) 50 ( Smith)] TJ ( lives here) Tj ET"),
        &["John"],
    );
}

#[test]
fn spacing_scaling_rise_and_rotation_are_compensated_exactly() {
    check_redaction(
        &one_page("BT /F1 12 Tf 2 Tc 5 Tw 90 Tz 3 Ts 72 700 Td (alpha beta gamma) Tj (delta) Tj ET"),
        &["beta"],
    );
    // pdftotext's words are unstable on rotated text, so our own glyph boxes are compared: every
    // kept glyph has the box it had.
    let bytes =
        one_page("q 0.866 0.5 -0.5 0.866 200 300 cm BT /F1 12 Tf 0 0 Td (north gate code red) Tj ET Q");
    let before = read(&bytes);
    assert_eq!(before.visible_text(), "north gate code red\n");
    let plan = plan_for(&before, &["code"]);
    let after = read(&export(&bytes, &plan).bytes);
    assert_eq!(after.visible_text(), "north gate  red\n");
    let kept = |doc: &Document, skip: std::ops::Range<usize>| -> Vec<(char, Rect)> {
        let Layout::Pages { pages } = doc.layout() else { panic!() };
        doc.visible_text()
            .chars()
            .enumerate()
            .filter(|(i, _)| !skip.contains(i))
            .filter_map(|(i, c)| match doc.origin(i) {
                Origin::Pdf { page, glyph } => Some((c, pages[page as usize].glyphs[glyph as usize])),
                _ => None,
            })
            .collect()
    };
    let expected = kept(&before, 11..15);
    let got = kept(&after, 0..0);
    assert_eq!(expected.len(), got.len());
    for ((c, a), (d, b)) in expected.iter().zip(&got) {
        assert_eq!(c, d);
        let close = (a.x - b.x).abs() < 0.01 && (a.y - b.y).abs() < 0.01 && (a.width - b.width).abs() < 0.01;
        assert!(close, "{c:?} moved from {a:?} to {b:?}");
    }
}

#[test]
fn a_form_drawn_twice_loses_the_glyphs_of_one_placement_only() {
    let mut pdf = Pdf::new();
    pdf.form("Fm1", "BT /F1 10 Tf 0 0 Td (Stamp 95837) Tj ET", [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);
    pdf.page("q 1 0 0 1 100 700 cm /Fm1 Do Q q 1 0 0 1 100 300 cm /Fm1 Do Q");
    let bytes = pdf.bytes();
    let doc = read(&bytes);
    // The first "95837" only.
    let start = doc.visible_text().find("95837").unwrap();
    let plan = RedactionPlan {
        ranges: vec![PlannedRange { start, end: start + 5, reason: "unit".into() }],
        ..RedactionPlan::default()
    };
    let out = export(&bytes, &plan).bytes;
    assert_eq!(read(&out).visible_text(), "Stamp \nStamp 95837\n");
    check_survivors_did_not_move(&pdftotext_words(&bytes), &pdftotext_words(&out), &["95837"]);
    let check = tool("qpdf", &["--check"], &out, &[]);
    assert!(check.status.success());
}

#[test]
fn an_area_on_a_page_removes_the_glyphs_under_it_and_spares_the_other_page_sharing_the_form() {
    let mut pdf = Pdf::new();
    pdf.form("Fm1", "BT /F1 10 Tf 0 0 Td (Shared header) Tj ET", [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);
    pdf.page("q 1 0 0 1 100 700 cm /Fm1 Do Q BT /F1 12 Tf 100 600 Td (Body one) Tj ET");
    pdf.page("q 1 0 0 1 100 700 cm /Fm1 Do Q BT /F1 12 Tf 100 600 Td (Body two) Tj ET");
    let bytes = pdf.bytes();
    // Around "Shared header" on page 1 (baseline at 792 − 700 = 92 from the top).
    let plan = RedactionPlan {
        areas: vec![PlannedArea {
            page: 1,
            rect: Rect { x: 95.0, y: 80.0, width: 100.0, height: 16.0 },
            reason: "area".into(),
        }],
        ..RedactionPlan::default()
    };
    let out = export(&bytes, &plan).bytes;
    assert_eq!(read(&out).visible_text(), "Body one\nShared header\nBody two\n");
}

#[test]
fn invisible_and_off_page_text_is_removed_even_without_a_plan() {
    let bytes = one_page(
        "BT /F1 12 Tf 72 700 Td (Public) Tj ET BT 3 Tr /F1 12 Tf 72 680 Td (OCRSECRET) Tj ET \
         BT 0 Tr /F1 12 Tf 900 700 Td (MARGINSECRET) Tj ET",
    );
    let out = export(&bytes, &RedactionPlan::default()).bytes;
    let doc = read(&out);
    assert_eq!(doc.visible_text(), "Public\n");
    assert!(doc.hidden_items().is_empty(), "{:?}", doc.hidden_items());
    check_file_is_clean(&out, &["OCRSECRET", "MARGINSECRET"]);
}

#[test]
fn metadata_annotations_attachments_scripts_and_forms_are_removed() {
    let mut pdf = Pdf::new();
    let page = pdf.page("BT /F1 12 Tf 72 700 Td (Body) Tj ET");
    let bytes = pdf.bytes_with(|doc, catalog| {
        let info = doc.add_object(dictionary! { "Author" => string("ZhangSan") });
        doc.trailer.set("Info", info);
        let xmp = doc.add_object(Stream::new(
            dictionary! { "Type" => "Metadata", "Subtype" => "XML" },
            b"<x:xmpmeta xmlns:x='adobe:ns:meta/'><dc:creator>XMPAUTHOR</dc:creator></x:xmpmeta>".to_vec(),
        ));
        catalog.set("Metadata", xmp);
        let note = doc.add_object(dictionary! {
            "Type" => "Annot", "Subtype" => "Text", "Rect" => vec![0.into(), 0.into(), 10.into(), 10.into()],
            "Contents" => string("NOTESECRET"), "T" => string("REVIEWERLI"),
        });
        doc.get_dictionary_mut(page).unwrap().set("Annots", vec![note.into()]);
        let file = doc.add_object(Stream::new(dictionary! {}, b"ATTACHEDDATA".to_vec()));
        let spec = doc.add_object(dictionary! {
            "Type" => "Filespec", "F" => string("ROSTER.xlsx"), "EF" => dictionary! { "F" => file },
        });
        catalog.set(
            "Names",
            dictionary! { "EmbeddedFiles" => dictionary! { "Names" => vec![string("ROSTER.xlsx"), spec.into()] } },
        );
        catalog.set("OpenAction", dictionary! { "S" => "JavaScript", "JS" => string("SCRIPTSECRET()") });
        let field = doc.add_object(dictionary! { "FT" => "Tx", "T" => string("name"), "V" => string("FIELDVALUE") });
        catalog.set("AcroForm", dictionary! { "Fields" => vec![field.into()] });
        let outline = doc.new_object_id();
        let item = doc.add_object(dictionary! { "Title" => string("OUTLINETITLE"), "Parent" => outline });
        doc.objects.insert(
            outline,
            Object::Dictionary(dictionary! { "Type" => "Outlines", "First" => item, "Last" => item, "Count" => 1 }),
        );
        catalog.set("Outlines", outline);
    });
    assert!(read(&bytes).hidden_items().len() >= 6);
    let exported = export(&bytes, &RedactionPlan::default());
    let doc = read(&exported.bytes);
    assert_eq!(doc.visible_text(), "Body\n");
    assert!(doc.hidden_items().is_empty(), "{:?}", doc.hidden_items());
    let kinds: Vec<&str> = exported.report.removed.iter().map(|r| r.kind.as_str()).collect();
    for kind in ["metadata", "annotation", "attachment", "script", "form_field"] {
        assert!(kinds.contains(&kind), "{kind} not reported as removed: {kinds:?}");
    }
    check_file_is_clean(
        &exported.bytes,
        &[
            "ZhangSan",
            "XMPAUTHOR",
            "NOTESECRET",
            "REVIEWERLI",
            "ATTACHEDDATA",
            "ROSTER",
            "SCRIPTSECRET",
            "FIELDVALUE",
            "OUTLINETITLE",
        ],
    );
}

#[test]
fn an_incremental_update_hiding_a_secret_leaves_no_trace_in_the_export() {
    let mut pdf = Pdf::new();
    let page = pdf.page("BT /F1 12 Tf 72 700 Td (Base 95837 is here) Tj ET");
    let original = pdf.bytes();
    let previous = lopdf::Document::load_mem(&original).unwrap();
    let mut update = lopdf::IncrementalDocument::create_from(original.clone(), previous);
    update.opt_clone_object_to_new_document(page).unwrap();
    let content = update.new_document.add_object(Stream::new(
        lopdf::Dictionary::new(),
        b"BT /F1 12 Tf 72 700 Td (Nothing here) Tj ET".to_vec(),
    ));
    update.new_document.get_dictionary_mut(page).unwrap().set("Contents", content);
    let mut bytes = Vec::new();
    update.save_to(&mut bytes).unwrap();

    let exported = export(&bytes, &RedactionPlan::default());
    assert_eq!(read(&exported.bytes).visible_text(), "Nothing here\n");
    assert!(read(&exported.bytes).hidden_items().is_empty());
    check_file_is_clean(&exported.bytes, &["95837"]);
}

#[test]
fn reportlab_output_is_redacted_latin_and_cjk() {
    let bytes = std::fs::read(data("reportlab.pdf")).unwrap();
    let out = check_redaction(&bytes, &["John Smith", "张三", "13800138000", "雷达站"]);
    let text = read(&out).visible_text().to_owned();
    assert!(text.contains("采购公告："), "{text}");
    assert!(text.contains("升级改造项目"), "{text}");
    assert!(text.contains("Page two keeps the public schedule."), "{text}");
}

#[test]
fn libreoffice_output_is_redacted() {
    let bytes = std::fs::read(data("libreoffice.pdf")).unwrap();
    let out = check_redaction(&bytes, &["李四", "inspection", "保密检查"]);
    let text = read(&out).visible_text().to_owned();
    assert!(text.contains("The team will visit") || text.contains("The  team"), "{text}");
}

#[test]
fn an_encrypted_file_with_an_empty_user_password_is_exported_clean_and_unencrypted() {
    let plain = one_page("BT /F1 12 Tf 72 700 Td (Call Agent Orange now) Tj ET");
    let mut input = tempfile::Builder::new().suffix(".pdf").tempfile().unwrap();
    std::io::Write::write_all(&mut input, &plain).unwrap();
    let output = tempfile::Builder::new().suffix(".pdf").tempfile().unwrap();
    let status = std::process::Command::new("qpdf")
        .args(["--encrypt", "", "owner", "256", "--"])
        .arg(input.path())
        .arg(output.path())
        .status()
        .expect("qpdf is required by this test; run scripts/setup-system.sh");
    assert!(status.success());
    let encrypted = std::fs::read(output.path()).unwrap();
    let out = check_redaction(&encrypted, &["Agent Orange"]);
    assert!(!out.windows(8).any(|w| w == b"/Encrypt"), "the export is not encrypted");
}

#[test]
fn unsafe_content_makes_the_export_fail_naming_the_page() {
    // A Type3 font on the page.
    let mut type3 = Pdf::new();
    let glyph = type3.doc.add_object(Stream::new(dictionary! {}, b"500 0 d0 0 0 500 500 re f".to_vec()));
    type3.font(
        "F3",
        dictionary! {
            "Type" => "Font", "Subtype" => "Type3", "FontBBox" => vec![0.into(), 0.into(), 500.into(), 500.into()],
            "FontMatrix" => vec![Object::Real(0.001), 0.into(), 0.into(), Object::Real(0.001), 0.into(), 0.into()],
            "CharProcs" => dictionary! { "a" => glyph }, "FirstChar" => 97, "LastChar" => 97,
            "Widths" => vec![500.into()],
            "Encoding" => dictionary! { "Differences" => vec![97.into(), Object::Name(b"a".to_vec())] },
        },
    );
    type3.page("BT /F1 12 Tf 72 700 Td (secret) Tj ET BT /F3 12 Tf 72 600 Td (a) Tj ET");
    // Text that cannot be mapped to Unicode beside the passage.
    let mut unmapped = Pdf::new();
    let descendant = unmapped.doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "X", "DW" => 1000,
    });
    unmapped.font(
        "F3",
        dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "X", "Encoding" => "Identity-H",
            "DescendantFonts" => vec![descendant.into()],
        },
    );
    unmapped.page("BT /F1 12 Tf 72 700 Td (secret) Tj ET BT /F3 12 Tf 72 600 Td <0102> Tj ET");

    for (name, pdf) in [("type3", type3), ("unmapped", unmapped)] {
        let bytes = pdf.bytes();
        let plan = plan_for(&read(&bytes), &["secret"]);
        let err = redact(&bytes, Format::Pdf, &plan, &Limits::default()).unwrap_err();
        assert_eq!(err.kind(), vetted_core::ErrorKind::RedactionUnsafe, "{name}: {err}");
        assert!(err.message().contains("page 1"), "{name}: {err}");
    }

    // An area over a drawn rectangle (pixel and path removal is not supported).
    let bytes = one_page("0 0 1 rg 100 100 200 200 re f BT /F1 12 Tf 72 700 Td (text) Tj ET");
    let plan = RedactionPlan {
        areas: vec![PlannedArea {
            page: 1,
            rect: Rect { x: 150.0, y: 550.0, width: 20.0, height: 20.0 },
            reason: "area".into(),
        }],
        ..RedactionPlan::default()
    };
    let err = redact(&bytes, Format::Pdf, &plan, &Limits::default()).unwrap_err();
    assert_eq!(err.kind(), vetted_core::ErrorKind::RedactionUnsafe, "{err}");
    assert!(err.message().contains("page 1") && err.message().contains("drawing"), "{err}");
}

#[test]
fn hidden_kinds_reported_by_the_reader_are_all_removed_by_the_redactor() {
    // The reader's hidden-item kinds this file has, and nothing of them in the export.
    let bytes = one_page("BT 3 Tr /F1 12 Tf 72 680 Td (OCR layer) Tj ET");
    let before = read(&bytes);
    assert_eq!(before.hidden_items()[0].kind, HiddenKind::InvisibleText);
    let out = export(&bytes, &RedactionPlan::default()).bytes;
    assert!(read(&out).hidden_items().is_empty());
}

//! PDF redaction, checked with tools that are not ours: `pdftotext` (the passage is gone, every
//! other word is still there and has not moved), `qpdf --check` (the file is valid) and
//! `qpdf --qdf` followed by a byte search of every decompressed stream (the passage is not
//! anywhere in the file).

use lopdf::{Object, Stream, dictionary};
use vetted_core::{
    Document, Export, Format, HiddenKind, Layout, Limits, Origin, PlannedArea, PlannedRange, Rect,
    RedactionPlan, ingest, redact,
};

use crate::pdf_build::{Pdf, Word, incrementally_updated, pdftotext, pdftotext_words, string, tool};
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
        let word = w.text.trim_end_matches('-');
        redacted
            .iter()
            .any(|r| r.contains(word) || r.split_whitespace().any(|t| word.contains(t) || t.contains(word)))
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
fn the_box_is_drawn_in_default_space_even_when_the_page_leaves_a_transformation_open() {
    // The page scales its space, then leaves a q open: one Q after its content restores the
    // scaled space, not the default one.
    let bytes = one_page("2 0 0 2 0 0 cm q BT /F1 6 Tf 36 350 Td (Contact John Smith today) Tj ET");
    let out = check_redaction(&bytes, &["John"]);
    // Follow q/Q/cm through the exported page: the box (the only `re`) must be drawn with the
    // identity matrix, so that it covers the glyphs' page coordinates.
    let doc = lopdf::Document::load_mem(&out).unwrap();
    let page = *doc.get_pages().values().next().unwrap();
    let content = lopdf::content::Content::decode(&doc.get_page_content(page)).unwrap();
    let mut stack = vec![[1.0f32, 0.0, 0.0, 1.0, 0.0, 0.0]];
    let mut boxes = 0;
    for op in &content.operations {
        match op.operator.as_str() {
            "q" => stack.push(*stack.last().unwrap()),
            "Q" => {
                stack.pop();
            }
            "cm" => {
                let n: Vec<f32> = op.operands.iter().map(|o| o.as_float().unwrap()).collect();
                let m = stack.last_mut().unwrap();
                *m = [
                    n[0] * m[0],
                    n[1] * m[3],
                    n[2] * m[0],
                    n[3] * m[3],
                    n[4] * m[0] + m[4],
                    n[5] * m[3] + m[5],
                ];
            }
            "re" => {
                boxes += 1;
                assert_eq!(
                    stack.last(),
                    Some(&[1.0, 0.0, 0.0, 1.0, 0.0, 0.0]),
                    "the box is drawn in a scaled space"
                );
            }
            _ => {}
        }
    }
    assert_eq!(boxes, 1);
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
    let (_, bytes) = incrementally_updated(
        "BT /F1 12 Tf 72 700 Td (Base 95837 is here) Tj ET",
        "BT /F1 12 Tf 72 700 Td (Nothing here) Tj ET",
    );

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
    // "filing" starts with LibreOffice's "fi" ligature glyph, which goes whole.
    let out = check_redaction(&bytes, &["李四", "inspection", "保密检查", "filing"]);
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

    // Vertical writing beside the passage.
    let mut vertical = Pdf::new();
    let cmap = b"begincmap 1 begincodespacerange <0000> <FFFF> endcodespacerange \
        1 beginbfchar <0001> <7AD6> endbfchar endcmap";
    let to_unicode = vertical.doc.add_object(Stream::new(lopdf::Dictionary::new(), cmap.to_vec()));
    let descendant = vertical.doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "Y", "DW" => 1000,
    });
    vertical.font(
        "F3",
        dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "Y", "Encoding" => "Identity-V",
            "DescendantFonts" => vec![descendant.into()], "ToUnicode" => to_unicode,
        },
    );
    vertical.page("BT /F1 12 Tf 72 700 Td (secret) Tj ET BT /F3 12 Tf 72 600 Td <0001> Tj ET");

    for (name, pdf) in [("type3", type3), ("unmapped", unmapped), ("vertical", vertical)] {
        let bytes = pdf.bytes();
        let plan = plan_for(&read(&bytes), &["secret"]);
        let err = redact(&bytes, Format::Pdf, &plan, &Limits::default()).unwrap_err();
        assert_eq!(err.kind(), vetted_core::ErrorKind::RedactionUnsafe, "{name}: {err}");
        eprintln!("{name}: {err}");
        assert!(err.message().contains("page 1"), "{name}: {err}");
    }

    // A filtered inline image in a stream that must be rewritten: lopdf cannot re-encode it.
    let bytes = one_page(
        "q 10 0 0 10 72 600 cm BI /W 1 /H 1 /BPC 8 /CS /G /F [/A85 /Fl] ID Gar8O~> EI Q \
         BT /F1 12 Tf 72 700 Td (secret text) Tj ET",
    );
    let plan = plan_for(&read(&bytes), &["secret"]);
    let err = redact(&bytes, Format::Pdf, &plan, &Limits::default()).unwrap_err();
    assert_eq!(err.kind(), vetted_core::ErrorKind::RedactionUnsafe, "{err}");
    assert!(err.message().contains("page 1") && err.message().contains("inline image"), "{err}");
}

#[test]
fn a_phrase_hyphenated_across_lines_is_removed_on_both_lines() {
    let bytes = one_page("BT /F1 12 Tf 14 TL 72 700 Td (The confi-) Tj T* (dential memo) Tj ET");
    let out = check_redaction(&bytes, &["confidential"]);
    let text = pdftotext(&out);
    assert!(!text.contains("confi") && !text.contains("dential"), "{text}");
    assert!(text.contains("The") && text.contains("memo"), "{text}");
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

// Regression: glyphs removed at the end of a TJ string had their displacement emitted before
// the string's kept glyphs, moving "Call" left by the width of "Smith".
#[test]
fn a_phrase_at_the_end_of_a_tj_string_does_not_move_the_start_of_that_string() {
    check_redaction(&one_page("BT /F1 12 Tf 72 700 Td [(Call Smith) -200 (now)] TJ ET"), &["Smith"]);
}

#[test]
fn two_byte_identity_h_codes_are_removed_whole_and_the_next_glyph_keeps_its_place() {
    let mut pdf = Pdf::new();
    let cmap = b"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
        1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n\
        3 beginbfchar\n<0003> <673A>\n<0104> <5BC6>\n<0005> <6587>\nendbfchar\nendcmap\nend\nend\n";
    let to_unicode = pdf.doc.add_object(Stream::new(lopdf::Dictionary::new(), cmap.to_vec()));
    let descendant = pdf.doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "SimSun", "DW" => 1000,
        "W" => vec![3.into(), vec![Object::Integer(600)].into()],
    });
    pdf.font(
        "F3",
        dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "SimSun", "Encoding" => "Identity-H",
            "DescendantFonts" => vec![descendant.into()], "ToUnicode" => to_unicode,
        },
    );
    pdf.page("BT /F3 10 Tf 72 700 Td <000301040005> Tj ET");
    let bytes = pdf.bytes();
    let before = read(&bytes);
    assert_eq!(before.visible_text(), "机密文\n");
    let out = export(&bytes, &plan_for(&before, &["密"])).bytes;
    let after = read(&out);
    // The gap where 密 was reads as a space.
    assert_eq!(after.visible_text(), "机 文\n");
    let Layout::Pages { pages: old } = before.layout() else { panic!() };
    let Layout::Pages { pages: new } = after.layout() else { panic!() };
    // 机 is 600 units wide (W), 密 takes DW: 文 starts at 72 + 6 + 10 before and after.
    assert!((old[0].glyphs[2].x - 88.0).abs() < 0.01, "{:?}", old[0].glyphs[2]);
    assert!((new[0].glyphs[1].x - old[0].glyphs[2].x).abs() < 0.01, "{:?}", new[0].glyphs[1]);
    check_file_is_clean(&out, &[]);
}

// ---- Area redaction of images and paths (NOTES/redaction.md §1, as MuPDF does) ----

/// One area on page `page`, in page coordinates (top-left origin).
fn area_plan(page: u32, x: f32, y: f32, width: f32, height: f32) -> RedactionPlan {
    RedactionPlan {
        areas: vec![PlannedArea { page, rect: Rect { x, y, width, height }, reason: "area".into() }],
        ..RedactionPlan::default()
    }
}

/// The images `pdfimages -png` extracts from `page`, in drawing order, as RGB.
fn pdfimages(bytes: &[u8], page: u32) -> Vec<image::RgbImage> {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("img");
    let page = page.to_string();
    let out = tool("pdfimages", &["-png", "-f", &page, "-l", &page], bytes, &[root.to_str().unwrap()]);
    assert!(out.status.success(), "pdfimages failed: {}", String::from_utf8_lossy(&out.stderr));
    let mut files: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    files.iter().map(|f| image::open(f).unwrap().to_rgb8()).collect()
}

/// Page `page` rendered by `pdftoppm` at 72 dpi: one pixel per point, top-left origin.
fn render(bytes: &[u8], page: u32) -> image::RgbImage {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("page");
    let page = page.to_string();
    let args = ["-r", "72", "-png", "-singlefile", "-f", &page, "-l", &page];
    let out = tool("pdftoppm", &args, bytes, &[root.to_str().unwrap()]);
    assert!(out.status.success(), "pdftoppm failed: {}", String::from_utf8_lossy(&out.stderr));
    image::open(dir.path().join("page.png")).unwrap().to_rgb8()
}

/// Every rendered pixel strictly inside the page rectangle `[x0, x1) × [y0, y1)` satisfies `is`.
fn check_region(
    page: &image::RgbImage,
    (x0, y0, x1, y1): (u32, u32, u32, u32),
    is: fn(&image::Rgb<u8>) -> bool,
) {
    for y in y0..y1 {
        for x in x0..x1 {
            let pixel = page.get_pixel(x, y);
            assert!(is(pixel), "rendered pixel ({x}, {y}) is {pixel:?}");
        }
    }
}

fn zlib(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// PNG-predicted rows (Predictor 15: each row tagged with its own filter), alternating the Sub
/// and Up filters so that both are undone by the reader.
fn png_predicted(samples: &[u8], row_bytes: usize, bpp: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let mut previous = vec![0u8; row_bytes];
    for (r, row) in samples.chunks(row_bytes).enumerate() {
        let filter = if r % 2 == 0 { 1u8 } else { 2u8 };
        out.push(filter);
        for (i, &byte) in row.iter().enumerate() {
            let reference = if filter == 1 { if i >= bpp { row[i - bpp] } else { 0 } } else { previous[i] };
            out.push(byte.wrapping_sub(reference));
        }
        previous = row.to_vec();
    }
    out
}

/// The test picture: 40 × 20 pixels, no pixel black, every pixel different.
const IMAGE_SIZE: (u32, u32) = (40, 20);

fn picture_rgb() -> image::RgbImage {
    image::RgbImage::from_fn(IMAGE_SIZE.0, IMAGE_SIZE.1, |x, y| {
        image::Rgb([50 + x as u8 * 4, 40 + y as u8 * 8, 200])
    })
}

fn picture_gray() -> image::GrayImage {
    image::GrayImage::from_fn(IMAGE_SIZE.0, IMAGE_SIZE.1, |x, y| {
        image::Luma([60 + x as u8 * 3 + y as u8 * 2])
    })
}

fn jpeg(picture: image::DynamicImage) -> Vec<u8> {
    let mut out = Vec::new();
    picture.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Jpeg).unwrap();
    out
}

/// An image encoding the reader supports: its dictionary entries, its stream bytes, and the
/// pixels it decodes to (decoded by the `image` crate, as the redactor decodes it, for JPEG).
fn supported_images() -> Vec<(&'static str, lopdf::Dictionary, Vec<u8>, image::RgbImage)> {
    let (w, h) = IMAGE_SIZE;
    let size = |space: &str| {
        dictionary! { "Width" => w as i64, "Height" => h as i64, "BitsPerComponent" => 8, "ColorSpace" => space }
    };
    let rgb = picture_rgb();
    let gray = picture_gray();
    let gray_as_rgb = image::DynamicImage::ImageLuma8(gray.clone()).to_rgb8();
    let mut flate_rgb = size("DeviceRGB");
    flate_rgb.set("Filter", "FlateDecode");
    let mut predicted = flate_rgb.clone();
    predicted.set(
        "DecodeParms",
        dictionary! { "Predictor" => 15, "Colors" => 3, "BitsPerComponent" => 8, "Columns" => w as i64 },
    );
    let mut flate_gray = size("DeviceGray");
    flate_gray.set("Filter", "FlateDecode");
    let mut dct_rgb = size("DeviceRGB");
    dct_rgb.set("Filter", "DCTDecode");
    let mut dct_gray = size("DeviceGray");
    dct_gray.set("Filter", "DCTDecode");
    let rgb_jpeg = jpeg(image::DynamicImage::ImageRgb8(rgb.clone()));
    let gray_jpeg = jpeg(image::DynamicImage::ImageLuma8(gray.clone()));
    let decoded = |bytes: &[u8]| image::load_from_memory(bytes).unwrap().to_rgb8();
    vec![
        ("flate rgb", flate_rgb, zlib(rgb.as_raw()), rgb.clone()),
        (
            "flate rgb predictor 15",
            predicted,
            zlib(&png_predicted(rgb.as_raw(), w as usize * 3, 3)),
            rgb.clone(),
        ),
        ("flate gray", flate_gray, zlib(gray.as_raw()), gray_as_rgb),
        ("uncompressed rgb", size("DeviceRGB"), rgb.as_raw().clone(), rgb.clone()),
        ("dct rgb", dct_rgb, rgb_jpeg.clone(), decoded(&rgb_jpeg)),
        ("dct gray", dct_gray, gray_jpeg.clone(), decoded(&gray_jpeg)),
    ]
}

/// The image fills page x 100..300, y 192..292 (5 pt per pixel); the area is page x 150..200,
/// y 217..242, which is exactly pixel columns 10..20 and rows 5..10.
const IMAGE_PLACEMENT: &str = "q 200 0 0 100 100 500 cm /Im1 Do Q";
const IMAGE_AREA: (f32, f32, f32, f32) = (150.0, 217.0, 50.0, 25.0);
const IMAGE_AREA_PIXELS: (std::ops::Range<u32>, std::ops::Range<u32>) = (10..20, 5..10);

#[test]
fn an_image_under_an_area_has_those_pixels_blackened_and_every_other_pixel_kept() {
    for (name, dict, data, expected) in supported_images() {
        let mut pdf = Pdf::new();
        pdf.image("Im1", dict, data);
        pdf.page(&format!("{IMAGE_PLACEMENT} BT /F1 12 Tf 72 700 Td (kept text) Tj ET"));
        let bytes = pdf.bytes();
        let (x, y, w, h) = IMAGE_AREA;
        let plan = area_plan(1, x, y, w, h);
        let out = export(&bytes, &plan).bytes;

        let images = pdfimages(&out, 1);
        assert_eq!(images.len(), 1, "{name}");
        let image = &images[0];
        assert_eq!(image.dimensions(), IMAGE_SIZE, "{name}");
        let (cols, rows) = IMAGE_AREA_PIXELS;
        for (px, py, pixel) in image.enumerate_pixels() {
            if cols.contains(&px) && rows.contains(&py) {
                assert_eq!(pixel.0, [0, 0, 0], "{name}: pixel ({px}, {py}) under the area is not black");
            } else {
                assert_eq!(pixel, expected.get_pixel(px, py), "{name}: pixel ({px}, {py}) changed");
            }
        }

        let page = render(&out, 1);
        check_region(&page, (151, 218, 199, 241), |p| p.0 == [0, 0, 0]);
        // Image pixel (2, 2) is drawn at page 110..115 × 202..207.
        let drawn = page.get_pixel(112, 204);
        let original = expected.get_pixel(2, 2);
        assert!(
            drawn.0.iter().zip(original.0).all(|(a, b)| a.abs_diff(b) <= 2),
            "{name}: pixel (2, 2) renders as {drawn:?}, not {original:?}"
        );
        assert!(pdftotext(&out).contains("kept text"), "{name}");
        // The original is still named by the page tree's shared resources: it must not keep
        // its pixels in the file, drawn or not.
        for (id, stored) in image_objects(&out) {
            for (px, py) in [(cols.start, rows.start), (cols.end - 1, rows.end - 1)] {
                let pixel = stored.get_pixel(px, py);
                assert_eq!(pixel.0, [0, 0, 0], "{name}: image object {id:?} keeps pixel ({px}, {py})");
            }
        }
        let check = tool("qpdf", &["--check"], &out, &[]);
        assert!(check.status.success(), "{name}: qpdf --check: {}", String::from_utf8_lossy(&check.stdout));
        assert_eq!(export(&bytes, &plan).bytes, out, "{name}: the same input and plan give the same bytes");
    }
}

/// Every Image XObject the file holds, referenced or not, decoded as RGB (the test images are
/// 8-bit gray or RGB, Flate, DCT or uncompressed).
fn image_objects(bytes: &[u8]) -> Vec<(lopdf::ObjectId, image::RgbImage)> {
    let doc = lopdf::Document::load_mem(bytes).unwrap();
    let mut images = Vec::new();
    for (&id, object) in &doc.objects {
        let Ok(stream) = object.as_stream() else { continue };
        if stream.dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Image") {
            continue;
        }
        let (w, h) = IMAGE_SIZE;
        let decoded = match stream.dict.get(b"Filter").and_then(Object::as_name).ok() {
            Some(b"DCTDecode") => image::load_from_memory(&stream.content).unwrap(),
            _ => {
                let samples = stream.decompressed_content().unwrap_or_else(|_| stream.content.clone());
                let space = stream.dict.get(b"ColorSpace").and_then(Object::as_name).unwrap();
                if space == b"DeviceGray" {
                    image::DynamicImage::ImageLuma8(image::GrayImage::from_raw(w, h, samples).unwrap())
                } else {
                    image::DynamicImage::ImageRgb8(image::RgbImage::from_raw(w, h, samples).unwrap())
                }
            }
        };
        images.push((id, decoded.to_rgb8()));
    }
    images
}

#[test]
fn an_image_drawn_by_a_form_is_cleaned_in_the_covered_page_only() {
    let (_, dict, data, expected) = supported_images().remove(0);
    let mut pdf = Pdf::new();
    pdf.image("Im1", dict, data);
    // The form has no /Resources of its own: it uses the page's, which name the image.
    pdf.form("Fm1", "q 200 0 0 100 0 0 cm /Im1 Do Q", [1.0, 0.0, 0.0, 1.0, 100.0, 500.0]);
    pdf.page("/Fm1 Do");
    pdf.page("/Fm1 Do");
    let bytes = pdf.bytes();
    let (x, y, w, h) = IMAGE_AREA;
    let out = export(&bytes, &area_plan(1, x, y, w, h)).bytes;

    let page_one = pdfimages(&out, 1);
    assert_eq!(page_one.len(), 1);
    let (cols, rows) = IMAGE_AREA_PIXELS;
    for (px, py, pixel) in page_one[0].enumerate_pixels() {
        let under = cols.contains(&px) && rows.contains(&py);
        assert_eq!(pixel.0 == [0, 0, 0], under, "pixel ({px}, {py}) is {pixel:?}");
    }
    assert_eq!(pdfimages(&out, 2), vec![expected.clone()], "page 2 draws the original form and image");
    let stored: Vec<_> = image_objects(&out).into_iter().map(|(_, image)| image).collect();
    assert_eq!(stored.len(), 2, "the original is still drawn by page 2, beside the cleaned copy");
    assert!(stored.contains(&expected) && stored.contains(&page_one[0]));
    check_file_is_clean(&out, &[]);
}

#[test]
fn an_image_shared_by_two_pages_and_drawn_twice_is_cleaned_in_the_covered_placement_only() {
    let (_, dict, data, expected) = supported_images().remove(0);
    let mut pdf = Pdf::new();
    let original_id = pdf.image("Im1", dict, data.clone());
    // Page 1 draws it under the area and again lower down (page y 492..592); page 2 draws it
    // where page 1's area is.
    pdf.page(&format!("{IMAGE_PLACEMENT} q 200 0 0 100 100 200 cm /Im1 Do Q"));
    pdf.page(IMAGE_PLACEMENT);
    let bytes = pdf.bytes();
    let (x, y, w, h) = IMAGE_AREA;
    let out = export(&bytes, &area_plan(1, x, y, w, h)).bytes;

    let page_one = pdfimages(&out, 1);
    assert_eq!(page_one.len(), 2);
    assert_eq!(page_one[0].get_pixel(12, 6).0, [0, 0, 0], "the covered placement is cleaned");
    assert_eq!(&page_one[1], &expected, "the other placement on page 1 is intact");
    assert_eq!(pdfimages(&out, 2), vec![expected], "page 2's image is intact");

    // Page 2 still names the original object, whose stream bytes are unchanged.
    let export_doc = lopdf::Document::load_mem(&out).unwrap();
    let page_two = export_doc.get_pages()[&2];
    let resources = export_doc.get_page_resources(page_two).unwrap();
    let resources = match resources {
        (Some(own), _) => own.clone(),
        (None, ids) => export_doc.get_dictionary(ids[0]).unwrap().clone(),
    };
    let xobjects = resources.get_deref(b"XObject", &export_doc).unwrap().as_dict().unwrap();
    let image_id = xobjects.get(b"Im1").unwrap().as_reference().unwrap();
    assert_eq!(image_id, original_id);
    let stream = export_doc.get_object(image_id).unwrap().as_stream().unwrap();
    assert_eq!(stream.content, data, "page 2's image bytes are unchanged");
    check_file_is_clean(&out, &[]);
}

/// The operators of page 1's content in an export.
fn page_operations(bytes: &[u8]) -> Vec<lopdf::content::Operation> {
    let doc = lopdf::Document::load_mem(bytes).unwrap();
    let page = doc.get_pages()[&1];
    lopdf::content::Content::decode(&doc.get_page_content(page)).unwrap().operations
}

fn has_operation(ops: &[lopdf::content::Operation], operator: &str, operands: &[f32]) -> bool {
    ops.iter().any(|op| {
        op.operator == operator
            && op.operands.len() == operands.len()
            && op.operands.iter().zip(operands).all(|(o, n)| o.as_float().is_ok_and(|v| (v - n).abs() < 1e-3))
    })
}

#[test]
fn paths_under_an_area_are_removed_from_the_stream_and_the_render_and_the_others_stay() {
    let bytes = one_page(
        // A red square at page x 100..150, y 642..692, under the area.
        "1 0 0 rg 100 100 50 50 re f \
         % A blue square away from the area.\n\
         0 0 1 rg 400 100 50 50 re f \
         % A green line through the area (zero height: its stroke width is not counted).\n\
         0 0.6 0 RG 3 w 50 125 m 300 125 l S \
         % A clipping path over the whole page (it paints nothing) and a yellow square inside it.\n\
         q 0 0 612 792 re W n 1 1 0 rg 120 110 10 10 re f Q \
         BT /F1 12 Tf 72 700 Td (kept text) Tj ET",
    );
    let plan = area_plan(1, 110.0, 650.0, 30.0, 30.0);
    let out = export(&bytes, &plan).bytes;

    let ops = page_operations(&out);
    assert!(!has_operation(&ops, "re", &[100.0, 100.0, 50.0, 50.0]), "the red square is gone");
    assert!(!has_operation(&ops, "re", &[120.0, 110.0, 10.0, 10.0]), "the yellow square is gone");
    assert!(!has_operation(&ops, "m", &[50.0, 125.0]) && !has_operation(&ops, "S", &[]), "the line is gone");
    assert!(has_operation(&ops, "re", &[400.0, 100.0, 50.0, 50.0]), "the blue square stays");
    assert!(
        has_operation(&ops, "re", &[0.0, 0.0, 612.0, 792.0]) && has_operation(&ops, "W", &[]),
        "the clip stays"
    );

    let page = render(&out, 1);
    for (x, y, p) in page.enumerate_pixels() {
        let [r, g, b] = p.0;
        assert!(!(r > 200 && g < 100 && b < 100), "red remains at ({x}, {y})");
        assert!(!(g > 100 && r < 80 && b < 80), "green remains at ({x}, {y})");
        assert!(!(r > 200 && g > 200 && b < 100), "yellow remains at ({x}, {y})");
    }
    check_region(&page, (405, 647, 445, 687), |p| p.0 == [0, 0, 255]);
    check_region(&page, (111, 651, 139, 679), |p| p.0 == [0, 0, 0]);
    assert!(pdftotext(&out).contains("kept text"));
    check_file_is_clean(&out, &[]);
    assert_eq!(export(&bytes, &plan).bytes, out, "the same input and plan give the same bytes");
}

#[test]
fn a_clipping_path_that_also_paints_under_an_area_keeps_its_clip_and_loses_its_paint() {
    let bytes = one_page("q 1 0 0 rg 100 100 50 50 re W f 0 0 1 rg 0 0 612 792 re f Q");
    let out = export(&bytes, &area_plan(1, 110.0, 650.0, 30.0, 30.0)).bytes;
    let ops = page_operations(&out);
    assert!(has_operation(&ops, "re", &[100.0, 100.0, 50.0, 50.0]) && has_operation(&ops, "W", &[]));
    // The clip's painting became `n`; the only fill left is the box over the area.
    assert!(has_operation(&ops, "n", &[]));
    assert_eq!(ops.iter().filter(|o| o.operator == "f").count(), 1, "{ops:?}");
    // The blue page-sized fill (also under the area) is removed; the clip did not paint red.
    let page = render(&out, 1);
    assert!(page.pixels().all(|p| p.0 == [255, 255, 255] || p.0 == [0, 0, 0]), "only the box is drawn");
}

#[test]
fn images_that_cannot_be_cleaned_exactly_are_refused_naming_the_page() {
    let rgb = |extra: lopdf::Dictionary| {
        let mut dict =
            dictionary! { "Width" => 4, "Height" => 4, "BitsPerComponent" => 8, "ColorSpace" => "DeviceRGB" };
        for (key, value) in extra {
            dict.set(key, value);
        }
        dict
    };
    let indexed = vec![
        Object::Name(b"Indexed".to_vec()),
        "DeviceRGB".into(),
        1.into(),
        Object::string_literal(vec![0u8, 0, 0, 255, 255, 255]),
    ];
    let inverted = vec![1.into(), 0.into(), 1.into(), 0.into(), 1.into(), 0.into()];
    let tiff = dictionary! { "Predictor" => 2, "Colors" => 3, "Columns" => 4 };
    // The kind, the image, and the reason the refusal must give.
    let cases: Vec<(&str, lopdf::Dictionary, Vec<u8>, &str)> = vec![
        ("16-bit", rgb(dictionary! { "BitsPerComponent" => 16 }), vec![9; 96], "8 bits"),
        ("indexed", rgb(dictionary! { "ColorSpace" => indexed }), vec![1; 16], "colour space"),
        ("cmyk", rgb(dictionary! { "ColorSpace" => "DeviceCMYK" }), vec![9; 64], "colour space"),
        ("jpx", rgb(dictionary! { "Filter" => "JPXDecode" }), vec![9; 48], "compression"),
        ("jbig2", rgb(dictionary! { "Filter" => "JBIG2Decode" }), vec![9; 8], "compression"),
        ("ccitt", rgb(dictionary! { "Filter" => "CCITTFaxDecode" }), vec![9; 8], "compression"),
        (
            "ccitt 1-bit",
            rgb(dictionary! { "Filter" => "CCITTFaxDecode", "BitsPerComponent" => 1 }),
            vec![9; 8],
            "8 bits",
        ),
        (
            "image mask",
            dictionary! { "Width" => 4, "Height" => 4, "ImageMask" => true },
            vec![9; 4],
            "ImageMask",
        ),
        ("soft mask", rgb(dictionary! { "SMask" => dictionary! {} }), vec![9; 48], "SMask"),
        ("inverted decode", rgb(dictionary! { "Decode" => inverted }), vec![9; 48], "Decode"),
        (
            "tiff predictor",
            rgb(dictionary! { "Filter" => "FlateDecode", "DecodeParms" => tiff.clone() }),
            zlib(&[9; 48]),
            "predictor",
        ),
        ("short data", rgb(dictionary! {}), vec![9; 47], "fewer samples"),
        (
            "tiff predictor in an array",
            rgb(dictionary! { "Filter" => vec!["FlateDecode".into()], "DecodeParms" => vec![tiff.into()] }),
            zlib(&[9; 48]),
            "predictor",
        ),
        // The JPEG's header says 40 × 20; the decoder must not be trusted past the 4 × 4 declared.
        (
            "jpeg larger than declared",
            rgb(dictionary! { "Filter" => "DCTDecode" }),
            jpeg(image::DynamicImage::ImageRgb8(picture_rgb())),
            "cannot be decoded",
        ),
    ];
    for (name, dict, data, reason) in cases {
        let mut pdf = Pdf::new();
        pdf.image("Im1", dict, data);
        pdf.page("BT /F1 12 Tf 72 700 Td (page one) Tj ET");
        pdf.page(&format!("{IMAGE_PLACEMENT} BT /F1 12 Tf 72 700 Td (page two) Tj ET"));
        let bytes = pdf.bytes();
        let (x, y, w, h) = IMAGE_AREA;
        let err = redact(&bytes, Format::Pdf, &area_plan(2, x, y, w, h), &Limits::default()).unwrap_err();
        assert_eq!(err.kind(), vetted_core::ErrorKind::RedactionUnsafe, "{name}: {err}");
        let message = err.message();
        assert!(message.contains("page 2: an image under a redaction area"), "{name}: {err}");
        assert!(message.contains(reason), "{name}: {err}");
    }

    // An inline image under an area: lopdf cannot re-encode it.
    let bytes = one_page("q 100 0 0 100 100 500 cm BI /W 1 /H 1 /BPC 8 /CS /G ID a EI Q");
    let err =
        redact(&bytes, Format::Pdf, &area_plan(1, 150.0, 220.0, 20.0, 20.0), &Limits::default()).unwrap_err();
    assert_eq!(err.kind(), vetted_core::ErrorKind::RedactionUnsafe, "{err}");
    assert!(err.message().contains("page 1") && err.message().contains("inline image"), "{err}");
}

/// Regression: the form's only placement was replaced by a copy, but the page tree's shared
/// resources still named the original, so its text stayed in the file's bytes.
#[test]
fn a_form_drawn_once_leaves_no_trace_though_the_page_tree_still_names_it() {
    let mut pdf = Pdf::new();
    pdf.form("Fm1", "BT /F1 10 Tf 0 0 Td (Hidden header) Tj ET", [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);
    pdf.page("q 1 0 0 1 100 700 cm /Fm1 Do Q BT /F1 12 Tf 100 600 Td (Body one) Tj ET");
    let bytes = pdf.bytes();
    let plan = area_plan(1, 95.0, 80.0, 100.0, 16.0);
    let out = export(&bytes, &plan).bytes;
    check_file_is_clean(&out, &["Hidden header"]);
    let plan = plan_for(&read(&bytes), &["Hidden header"]);
    let out = export(&bytes, &plan).bytes;
    check_file_is_clean(&out, &["Hidden header"]);
}

#[test]
fn a_path_drawn_by_a_form_on_two_pages_is_removed_on_the_covered_page_only() {
    let mut pdf = Pdf::new();
    // A red square at page x 100..150, y 642..692 on both pages.
    pdf.form("Fm1", "1 0 0 rg 0 0 50 50 re f", [1.0, 0.0, 0.0, 1.0, 100.0, 100.0]);
    pdf.page("/Fm1 Do");
    pdf.page("/Fm1 Do");
    let bytes = pdf.bytes();
    let out = export(&bytes, &area_plan(1, 110.0, 650.0, 30.0, 30.0)).bytes;
    let red = |p: &image::Rgb<u8>| p.0 == [255, 0, 0];
    assert!(!render(&out, 1).pixels().any(red), "page 1 has no red left");
    check_region(&render(&out, 2), (101, 643, 149, 691), red);
    check_file_is_clean(&out, &[]);
}

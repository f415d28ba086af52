//! Reading PDFs: text in reading order, glyph boxes, hidden content and bad input, on files built
//! here with lopdf and on real producer output under `tests/data`, with poppler's `pdftotext`
//! as the independent oracle.

use lopdf::{Object, Stream, dictionary};
use vetted_core::{Document, ErrorKind, HiddenKind, Layout, Limits, Origin, Rect, ingest};

use crate::pdf_build::{Pdf, pdftotext, pdftotext_words, squeeze, string};
use crate::util::{data, run, stderr};

fn read(bytes: &[u8]) -> Document {
    ingest::read(bytes, Some("test.pdf"), &Limits::default()).unwrap_or_else(|e| panic!("read failed: {e}"))
}

/// Reads a one-page PDF drawing `content` and compares the visible text.
fn check(content: &str, expected: &str) {
    let mut pdf = Pdf::new();
    pdf.page(content);
    let doc = read(&pdf.bytes());
    assert_eq!(doc.visible_text(), expected, "\ncontent: {content}");
}

/// The hidden items as (kind, label, text).
fn hidden(doc: &Document) -> Vec<(HiddenKind, String, String)> {
    doc.hidden_items().iter().map(|h| (h.kind, h.label.clone(), h.text.clone())).collect()
}

/// The box of every glyph behind `word`'s first occurrence in the visible text, merged.
fn word_box(doc: &Document, word: &str) -> Rect {
    let text = doc.visible_text();
    let byte = text.find(word).unwrap_or_else(|| panic!("{word:?} not in {text:?}"));
    let start = doc.char_offset(byte);
    let end = start + word.chars().count();
    let Layout::Pages { pages } = doc.layout() else { panic!("a PDF has a page layout") };
    let mut boxes = (start..end).filter_map(|i| match doc.origin(i) {
        Origin::Pdf { page, glyph } => Some(pages[page as usize].glyphs[glyph as usize]),
        _ => None,
    });
    let first = boxes.next().unwrap();
    boxes.fold(first, |a, b| {
        let x = a.x.min(b.x);
        let y = a.y.min(b.y);
        Rect {
            x,
            y,
            width: (a.x + a.width).max(b.x + b.width) - x,
            height: (a.y + a.height).max(b.y + b.height) - y,
        }
    })
}

#[test]
fn text_operators_give_text_in_reading_order() {
    // Helvetica Tj without /Widths: the standard-14 widths place the glyphs.
    check("BT /F1 12 Tf 72 700 Td (Hello world) Tj ET", "Hello world\n");
    // TJ kerning numbers are not spaces; a large displacement is.
    check("BT /F1 12 Tf 72 700 Td [(Jo) -120 (hn) 50 ( Smith)] TJ ET", "John Smith\n");
    check("BT /F1 12 Tf 72 700 Td [(John) -3000 (Smith)] TJ ET", "John Smith\n");
    // Two lines with T*, and ' (next line and show).
    check("BT /F1 12 Tf 14 TL 72 700 Td (one) Tj T* (two) Tj (three) ' ET", "one\ntwo\nthree\n");
    // Drawn bottom line first: read top to bottom.
    check("BT /F1 12 Tf 72 600 Td (second) Tj 0 100 Td (first) Tj ET", "first\nsecond\n");
    // Separate operators positioned apart on one line (LibreOffice style) get one space.
    check("BT /F1 12 Tf 72 700 Td (North) Tj 40 0 Td (Campus) Tj ET", "North Campus\n");
    // Tz scaling and Tc spacing move glyphs but do not invent spaces.
    check("BT /F1 12 Tf 50 Tz 1 Tc 72 700 Td (narrow) Tj ET", "narrow\n");
    // A hyphenated word is joined across the line end.
    check("BT /F1 12 Tf 14 TL 72 700 Td (confi-) Tj T* (dential) Tj ET", "confidential\n");
    // Courier, Tm positioning.
    check("BT /F2 10 Tf 1 0 0 1 100 500 Tm (mono) Tj ET", "mono\n");
}

#[test]
fn glyph_boxes_follow_the_standard_widths_and_the_text_matrix() {
    let mut pdf = Pdf::new();
    pdf.page("BT /F1 12 Tf 72 700 Td (HH) Tj ET");
    let doc = read(&pdf.bytes());
    let Layout::Pages { pages } = doc.layout() else { panic!() };
    let h = pages[0].glyphs[1];
    // Helvetica H is 722/1000 em: the second H starts at 72 + 8.664; baseline at 792 − 700 = 92.
    assert!((h.x - 80.664).abs() < 0.01, "{h:?}");
    assert!((h.width - 8.664).abs() < 0.01, "{h:?}");
    assert!(h.y < 92.0 && h.y + h.height > 92.0, "the box straddles the baseline: {h:?}");
    assert_eq!((pages[0].width, pages[0].height), (612.0, 792.0));
}

#[test]
fn a_form_drawn_twice_gives_its_text_twice_at_both_places() {
    let mut pdf = Pdf::new();
    pdf.form("Fm1", "BT /F1 10 Tf 0 0 Td (Stamp) Tj ET", [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);
    pdf.page("q 1 0 0 1 100 700 cm /Fm1 Do Q q 1 0 0 1 100 300 cm /Fm1 Do Q");
    let doc = read(&pdf.bytes());
    assert_eq!(doc.visible_text(), "Stamp\nStamp\n");
    let Layout::Pages { pages } = doc.layout() else { panic!() };
    let first = pages[0].glyphs[0];
    let second = pages[0].glyphs[5];
    assert!((first.x - 100.0).abs() < 0.01 && (second.x - 100.0).abs() < 0.01);
    assert!((second.y - first.y - 400.0).abs() < 0.01, "{first:?} {second:?}");
}

#[test]
fn invisible_and_off_page_text_is_hidden_not_visible() {
    let mut pdf = Pdf::new();
    pdf.page(
        "BT /F1 12 Tf 72 700 Td (Public) Tj ET \
         BT 3 Tr /F1 12 Tf 72 680 Td (OCR secret) Tj ET \
         BT 0 Tr /F1 12 Tf 900 700 Td (Margin secret) Tj ET",
    );
    let doc = read(&pdf.bytes());
    assert_eq!(doc.visible_text(), "Public\n");
    let items = hidden(&doc);
    assert!(
        items.contains(&(
            HiddenKind::InvisibleText,
            "text drawn invisible on page 1".into(),
            "OCR secret".into()
        )),
        "{items:#?}"
    );
    assert!(items.contains(&(
        HiddenKind::InvisibleText,
        "text drawn outside page 1".into(),
        "Margin secret".into()
    )));
}

#[test]
fn metadata_annotations_attachments_scripts_and_form_fields_are_hidden_items() {
    let mut pdf = Pdf::new();
    let page = pdf.page("BT /F1 12 Tf 72 700 Td (Body) Tj ET");
    let bytes = pdf.bytes_with(|doc, catalog| {
        let info = doc.add_object(dictionary! {
            "Author" => string("Zhang San"),
            "Title" => lopdf::text_string("机密报告"),
        });
        doc.trailer.set("Info", info);
        let note = doc.add_object(dictionary! {
            "Type" => "Annot", "Subtype" => "Text", "Rect" => vec![0.into(), 0.into(), 10.into(), 10.into()],
            "Contents" => string("Remove the base name"), "T" => string("Reviewer Li"),
        });
        let link = doc.add_object(dictionary! {
            "Type" => "Annot", "Subtype" => "Link", "Rect" => vec![0.into(), 0.into(), 10.into(), 10.into()],
            "A" => dictionary! { "S" => "URI", "URI" => string("http://intranet.example/secret") },
        });
        doc.get_dictionary_mut(page).unwrap().set("Annots", vec![note.into(), link.into()]);
        let file =
            doc.add_object(Stream::new(dictionary! { "Type" => "EmbeddedFile" }, b"raw data".to_vec()));
        let spec = doc.add_object(dictionary! {
            "Type" => "Filespec", "F" => string("roster.xlsx"), "UF" => string("roster.xlsx"),
            "EF" => dictionary! { "F" => file },
        });
        let js = dictionary! { "S" => "JavaScript", "JS" => string("app.alert('hi')") };
        catalog.set(
            "Names",
            dictionary! {
                "EmbeddedFiles" => dictionary! { "Names" => vec![string("roster.xlsx"), spec.into()] },
            },
        );
        catalog.set("OpenAction", js);
        let field =
            doc.add_object(dictionary! { "FT" => "Tx", "T" => string("name"), "V" => string("Wang Wu") });
        catalog.set("AcroForm", dictionary! { "Fields" => vec![field.into()] });
    });
    let doc = read(&bytes);
    let items = hidden(&doc);
    let expect = [
        (HiddenKind::Metadata, "Info /Author", "Zhang San"),
        (HiddenKind::Metadata, "Info /Title", "机密报告"),
        (HiddenKind::Annotation, "Text annotation by Reviewer Li", "Remove the base name\nReviewer Li"),
        (HiddenKind::Script, "Link annotation: opens a web address", "http://intranet.example/secret"),
        (HiddenKind::Attachment, "attached file “roster.xlsx” (8 bytes)", "roster.xlsx"),
        (HiddenKind::Script, "OpenAction: JavaScript", "app.alert('hi')"),
        (HiddenKind::FormField, "form field “name” /V", "Wang Wu"),
    ];
    for (kind, label, text) in expect {
        assert!(items.contains(&(kind, label.into(), text.into())), "missing {label}: {items:#?}");
    }
    assert_eq!(items.len(), expect.len(), "{items:#?}");
    // Hidden text is searchable after the visible text.
    assert!(doc.text().contains("Remove the base name"));
    assert_eq!(doc.visible_text(), "Body\n");
}

#[test]
fn an_incremental_update_reports_the_earlier_revision_and_its_removed_text() {
    let mut pdf = Pdf::new();
    let page = pdf.page("BT /F1 12 Tf 72 700 Td (Base 95837 is here) Tj ET");
    let original = pdf.bytes();
    let previous = lopdf::Document::load_mem(&original).unwrap();
    let mut update = lopdf::IncrementalDocument::create_from(original.clone(), previous);
    update.opt_clone_object_to_new_document(page).unwrap();
    let new_content = update.new_document.add_object(Stream::new(
        lopdf::Dictionary::new(),
        b"BT /F1 12 Tf 72 700 Td (Nothing to see) Tj ET".to_vec(),
    ));
    update.new_document.get_dictionary_mut(page).unwrap().set("Contents", new_content);
    let mut bytes = Vec::new();
    update.save_to(&mut bytes).unwrap();
    assert!(bytes.starts_with(&original), "an incremental update appends");

    let doc = read(&bytes);
    assert_eq!(doc.visible_text(), "Nothing to see\n");
    let items = hidden(&doc);
    assert_eq!(
        items,
        vec![(
            HiddenKind::EarlierRevision,
            "earlier revision 1 kept by an incremental update".into(),
            "Base 95837 is here".into()
        )]
    );
}

#[test]
fn identity_h_without_to_unicode_makes_the_page_unsearchable() {
    let mut pdf = Pdf::new();
    let descendant = pdf.doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "ABCDEF+SimSun",
        "CIDSystemInfo" => dictionary! { "Registry" => string("Adobe"), "Ordering" => string("Identity"), "Supplement" => 0 },
        "DW" => 1000, "W" => vec![3.into(), vec![Object::Integer(500)].into()],
    });
    pdf.font(
        "F3",
        dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "ABCDEF+SimSun",
            "Encoding" => "Identity-H", "DescendantFonts" => vec![descendant.into()],
        },
    );
    pdf.page("BT /F3 10 Tf 72 700 Td <00030104> Tj ET BT /F1 10 Tf 72 650 Td (Latin) Tj ET");
    let doc = read(&pdf.bytes());
    assert_eq!(doc.visible_text(), "Latin\n");
    assert_eq!(
        hidden(&doc),
        vec![(
            HiddenKind::Unsearchable,
            "page 1 cannot be searched — review it by eye".into(),
            String::new()
        )]
    );
    // Both two-byte glyphs are placed: CID 3 is 500 units wide (from W), CID 0x104 takes DW.
    let Layout::Pages { pages } = doc.layout() else { panic!() };
    assert_eq!(pages[0].glyphs.len(), 2 + 5);
    assert!((pages[0].glyphs[1].x - 77.0).abs() < 0.01, "{:?}", pages[0].glyphs[1]);
    assert!((pages[0].glyphs[1].width - 10.0).abs() < 0.01);
}

#[test]
fn identity_h_with_to_unicode_and_w_is_read() {
    let mut pdf = Pdf::new();
    let cmap = b"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
        1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n\
        2 beginbfchar\n<0003> <673A>\n<0104> <5BC6>\nendbfchar\nendcmap\nend\nend\n";
    let to_unicode = pdf.doc.add_object(Stream::new(lopdf::Dictionary::new(), cmap.to_vec()));
    let descendant = pdf.doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "SimSun", "DW" => 1000,
    });
    pdf.font(
        "F3",
        dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "SimSun", "Encoding" => "Identity-H",
            "DescendantFonts" => vec![descendant.into()], "ToUnicode" => to_unicode,
        },
    );
    pdf.page("BT /F3 10 Tf 72 700 Td <00030104> Tj ET");
    let doc = read(&pdf.bytes());
    assert_eq!(doc.visible_text(), "机密\n");
    assert!(doc.hidden_items().is_empty());
}

#[test]
fn bad_input_gets_one_clear_error() {
    let mut good = Pdf::new();
    good.page("BT /F1 12 Tf 72 700 Td (Hello) Tj ET");
    let good = good.bytes();

    let mut syntax = Pdf::new();
    syntax.page("BT /F1 12 Tf 72 700 Td (Hello) Tj ET\nBT ) Tj ET");
    let mut looping = Pdf::new();
    looping.form("Fm1", "/Fm1 Do", [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);
    looping.page("/Fm1 Do");
    let encrypted = {
        let mut input = tempfile::Builder::new().suffix(".pdf").tempfile().unwrap();
        std::io::Write::write_all(&mut input, &good).unwrap();
        let output = tempfile::Builder::new().suffix(".pdf").tempfile().unwrap();
        let status = std::process::Command::new("qpdf")
            .args(["--encrypt", "user", "owner", "256", "--"])
            .arg(input.path())
            .arg(output.path())
            .status()
            .expect("qpdf is required by this test; run scripts/setup-system.sh");
        assert!(status.success());
        std::fs::read(output.path()).unwrap()
    };
    let random: Vec<u8> = (0..4000u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect();
    let mut random_pdf = b"%PDF-1.7\n".to_vec();
    random_pdf.extend_from_slice(&random);

    let cases: Vec<(&str, Vec<u8>, ErrorKind, &str)> = vec![
        ("random bytes after a header", random_pdf, ErrorKind::Malformed, "PDF"),
        ("truncated", good[..good.len() / 3].to_vec(), ErrorKind::Malformed, "PDF"),
        ("content syntax error", syntax.bytes(), ErrorKind::Malformed, "page 1"),
        ("form drawing itself", looping.bytes(), ErrorKind::Malformed, "draws itself"),
        ("encrypted with a user password", encrypted, ErrorKind::Encrypted, "encrypted"),
    ];
    for (name, bytes, kind, says) in cases {
        let err = ingest::read(&bytes, Some("bad.pdf"), &Limits::default())
            .err()
            .unwrap_or_else(|| panic!("{name}: read"));
        assert_eq!(err.kind(), kind, "{name}: {err}");
        assert!(err.message().contains(says), "{name}: {err}");
        assert_eq!(err.message().lines().count(), 1, "{name}: {err}");
    }

    let tight = Limits { max_pdf_objects: 3, ..Limits::default() };
    let err = ingest::read(&good, None, &tight).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::LimitExceeded, "{err}");
    let mut deep = Pdf::new();
    for i in 0..5 {
        deep.form(&format!("Fm{i}"), &format!("/Fm{} Do", i + 1), [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);
    }
    deep.form("Fm5", "BT /F1 12 Tf (deep) Tj ET", [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);
    deep.page("/Fm0 Do");
    let deep = deep.bytes();
    assert_eq!(read(&deep).visible_text(), "deep\n");
    let shallow = Limits { max_depth: 3, ..Limits::default() };
    assert_eq!(ingest::read(&deep, None, &shallow).unwrap_err().kind(), ErrorKind::LimitExceeded);
}

#[test]
fn scanning_a_broken_pdf_prints_one_line_naming_it_and_exits_one() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.pdf");
    std::fs::write(&file, b"%PDF-1.7\n1 0 obj << /Type /Catalog").unwrap();
    let out = run(&["scan", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(lines[0].contains("bad.pdf"), "{err}");
}

/// Our visible text equals pdftotext's modulo whitespace, and each word pdftotext finds has, in
/// our layout, a box within two points horizontally and overlapping vertically.
fn check_against_poppler(name: &str) {
    let bytes = std::fs::read(data(name))
        .unwrap_or_else(|e| panic!("{name}: {e}; run tests/data/make_pdf_fixtures.py"));
    let doc = read(&bytes);
    assert_eq!(squeeze(doc.visible_text()), squeeze(&pdftotext(&bytes)), "{name}");
    let words = pdftotext_words(&bytes);
    assert!(words.len() > 10, "{name}: {words:?}");
    let Layout::Pages { pages } = doc.layout() else { panic!() };
    let text = doc.visible_text();
    let mut from = 0;
    for word in &words {
        let at = from + text[from..].find(&word.text).unwrap_or_else(|| panic!("{name}: {word:?} not found"));
        from = at + word.text.len();
        let first = doc.char_offset(at);
        let last = first + word.text.chars().count() - 1;
        let glyph = |i: usize| match doc.origin(i) {
            Origin::Pdf { page, glyph } => {
                assert_eq!(page as usize, word.page, "{name}: {word:?}");
                pages[page as usize].glyphs[glyph as usize]
            }
            other => panic!("{name}: {word:?} has origin {other:?}"),
        };
        let (a, b) = (glyph(first), glyph(last));
        let [x_min, y_min, x_max, y_max] = word.rect;
        assert!((a.x - x_min).abs() < 2.0, "{name}: {word:?} starts at {a:?}");
        assert!((b.x + b.width - x_max).abs() < 2.0, "{name}: {word:?} ends at {b:?}");
        assert!(a.y < y_max && a.y + a.height > y_min, "{name}: {word:?} is not at height {a:?}");
    }
}

#[test]
fn reportlab_output_matches_pdftotext_text_and_boxes() {
    check_against_poppler("reportlab.pdf");
    let doc = read(&std::fs::read(data("reportlab.pdf")).unwrap());
    assert!(doc.visible_text().contains("采购公告：雷达站升级改造项目\n"), "{}", doc.visible_text());
    let items = hidden(&doc);
    assert!(items.contains(&(HiddenKind::Metadata, "Info /Author".into(), "Zhang San".into())), "{items:#?}");
    let _ = word_box(&doc, "radar");
}

#[test]
fn libreoffice_output_matches_pdftotext_text_and_boxes() {
    check_against_poppler("libreoffice.pdf");
    let doc = read(&std::fs::read(data("libreoffice.pdf")).unwrap());
    assert!(doc.visible_text().contains("关于开展保密检查工作的通知"), "{}", doc.visible_text());
    // The "ffi"/"fi" ligature glyph is the origin of each of its characters.
    assert!(doc.visible_text().contains("Efficient filing"), "{}", doc.visible_text());
    let efficient = word_box(&doc, "Efficient");
    assert!(efficient.width > 20.0, "{efficient:?}");
}

//! The DOCX redactor as a spec: what each plan does to the XML, byte for byte.

use std::io::Read;

use crate::ingest::docx::testing::{NS, document_xml, docx, jpeg_with_exif, paragraph, zip};
use crate::redact::{MarkStyle, PlannedRange, RedactionPlan, redact as redact_file};
use crate::{Format, HiddenKind, Limits, ingest};

/// The parts of a zip archive, by name, in order.
fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let mut data = Vec::new();
            file.read_to_end(&mut data).unwrap();
            (file.name().unwrap().into_owned(), data)
        })
        .collect()
}

fn part(bytes: &[u8], name: &str) -> Option<String> {
    unzip(bytes).into_iter().find(|(n, _)| n == name).map(|(_, d)| String::from_utf8(d).unwrap())
}

/// A plan removing every visible occurrence of each of `phrases`.
fn plan_for(original: &[u8], phrases: &[&str], style: MarkStyle) -> RedactionPlan {
    let document = ingest::read_as(original, Format::Docx, &Limits::default()).unwrap();
    let visible = document.visible_text();
    let mut ranges = Vec::new();
    for phrase in phrases {
        for (byte, _) in visible.match_indices(phrase) {
            let start = document.char_offset(byte);
            ranges.push(PlannedRange {
                start,
                end: start + phrase.chars().count(),
                reason: "工作秘密".into(),
            });
        }
        assert!(!ranges.is_empty(), "{phrase:?} is not in {visible:?}");
    }
    RedactionPlan { ranges, areas: Vec::new(), style }
}

fn redact_docx(original: &[u8], phrases: &[&str], style: MarkStyle) -> Vec<u8> {
    redact_file(original, Format::Docx, &plan_for(original, phrases, style), &Limits::default())
        .unwrap()
        .bytes
}

/// Redacts `phrases` from a document whose body is `body`; the output body must be `expected`.
fn check(body: &str, phrases: &[&str], style: MarkStyle, expected: &str) {
    let output = redact_docx(&docx(body, &[]), phrases, style);
    let got = part(&output, "word/document.xml").unwrap();
    assert_eq!(got, document_xml(expected), "redacting {phrases:?} from {body}");
}

#[test]
fn a_phrase_across_three_runs_is_removed_inside_its_runs_and_the_rest_is_byte_identical() {
    // NOTES case 19: the bookmark and proofing mark stay, each run keeps its rPr.
    check(
        r#"<w:p><w:r><w:t>驻地958</w:t></w:r><w:proofErr w:type="spellStart"/><w:bookmarkStart w:id="0" w:name="u"/><w:r><w:rPr><w:b/></w:rPr><w:t>37</w:t></w:r><w:bookmarkEnd w:id="0"/><w:r><w:rPr><w:i/></w:rPr><w:t>部队在此</w:t></w:r></w:p>"#,
        &["95837部队"],
        MarkStyle::Blocks,
        r#"<w:p><w:r><w:t>驻地███████</w:t></w:r><w:proofErr w:type="spellStart"/><w:bookmarkStart w:id="0" w:name="u"/><w:r><w:rPr><w:b/></w:rPr><w:t></w:t></w:r><w:bookmarkEnd w:id="0"/><w:r><w:rPr><w:i/></w:rPr><w:t>在此</w:t></w:r></w:p>"#,
    );
}

#[test]
fn label_style_puts_the_label_once_and_escapes_it() {
    check(
        &paragraph(&["见95", "837部队"]),
        &["95837"],
        MarkStyle::Label,
        r#"<w:p><w:r><w:t xml:space="preserve">见[删除: 工作秘密]</w:t></w:r><w:r><w:t xml:space="preserve">部队</w:t></w:r></w:p>"#,
    );
}

#[test]
fn edge_spaces_get_preserved_and_references_go_whole() {
    check(
        r#"<w:p><w:r><w:t>A&amp;B x</w:t></w:r></w:p>"#,
        &["A&B"],
        MarkStyle::Blocks,
        r#"<w:p><w:r><w:t>███ x</w:t></w:r></w:p>"#,
    );
    check(
        r#"<w:p><w:r><w:t>secret</w:t><w:tab/><w:t>kept</w:t></w:r></w:p>"#,
        &["secret\t"],
        MarkStyle::Blocks,
        r#"<w:p><w:r><w:t>███████</w:t><w:t>kept</w:t></w:r></w:p>"#,
    );
    check(
        r#"<w:p><w:r><w:t>kept secret</w:t></w:r></w:p>"#,
        &["secret"],
        MarkStyle::Label,
        r#"<w:p><w:r><w:t>kept [删除: 工作秘密]</w:t></w:r></w:p>"#,
    );
    check(
        r#"<w:p><w:r><w:t>x secret</w:t></w:r></w:p>"#,
        &["x"],
        MarkStyle::Label,
        r#"<w:p><w:r><w:t>[删除: 工作秘密] secret</w:t></w:r></w:p>"#,
    );
}

#[test]
fn tracked_changes_resolve_to_the_final_text_without_authors() {
    // NOTES case 20.
    check(
        r#"<w:p><w:pPr><w:rPr><w:ins w:id="1" w:author="A"/></w:rPr></w:pPr><w:ins w:id="2" w:author="A"><w:r><w:t>new</w:t></w:r></w:ins><w:del w:id="3" w:author="B"><w:r><w:delText>old</w:delText></w:r></w:del><w:moveFrom w:id="4" w:author="C"><w:r><w:t>moved</w:t></w:r></w:moveFrom><w:moveTo w:id="5" w:author="C"><w:r><w:rPr><w:b/><w:rPrChange w:id="6" w:author="D"><w:rPr/></w:rPrChange></w:rPr><w:t>moved</w:t></w:r></w:moveTo></w:p>"#,
        &["new"],
        MarkStyle::Blocks,
        r#"<w:p><w:pPr><w:rPr></w:rPr></w:pPr><w:r><w:t>███</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>moved</w:t></w:r></w:p>"#,
    );
}

#[test]
fn hidden_runs_fields_comment_anchors_and_alt_text_go() {
    check(
        r#"<w:p><w:commentRangeStart w:id="0"/><w:r><w:rPr><w:vanish/></w:rPr><w:t>hid</w:t></w:r><w:r><w:t>a</w:t></w:r><w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>DOCPROPERTY X</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>b</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:fldSimple w:instr="AUTHOR"><w:r><w:t>c</w:t></w:r></w:fldSimple><w:r><w:drawing><wp:inline><wp:docPr id="1" name="P" descr="base photo" title="T"/></wp:inline></w:drawing></w:r></w:p>"#,
        &["a"],
        MarkStyle::Blocks,
        r#"<w:p><w:r><w:t>█</w:t></w:r><w:r></w:r><w:r></w:r><w:r></w:r><w:r></w:r><w:r><w:t>b</w:t></w:r><w:r></w:r><w:r><w:t>c</w:t></w:r><w:r><w:drawing><wp:inline><wp:docPr id="1" name="P"/></wp:inline></w:drawing></w:r></w:p>"#,
    );
}

#[test]
fn both_copies_of_a_text_box_are_redacted() {
    // NOTES case 21.
    let box_body =
        |text: &str| format!("<w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent>");
    let body = format!(
        r#"<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps">{}</mc:Choice><mc:Fallback>{}</mc:Fallback></mc:AlternateContent></w:r></w:p>"#,
        box_body("box 95837"),
        box_body("box 95837")
    );
    let expected = format!(
        r#"<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps">{}</mc:Choice><mc:Fallback>{}</mc:Fallback></mc:AlternateContent></w:r></w:p>"#,
        box_body("box █████"),
        box_body("box █████")
    );
    check(&body, &["95837"], MarkStyle::Blocks, &expected);
    // A fallback whose text differs from its choice cannot be matched; it is dropped whole.
    let differing = body.replacen("box 95837", "other 95837", 2).replacen("other 95837", "box 95837", 1);
    let expected = format!(
        r#"<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps">{}</mc:Choice></mc:AlternateContent></w:r></w:p>"#,
        box_body("box █████")
    );
    check(&differing, &["95837"], MarkStyle::Blocks, &expected);
}

#[test]
fn headers_footers_and_footnotes_are_redacted_too() {
    let header = format!("<w:hdr {NS}>{}</w:hdr>", paragraph(&["header 95837"]));
    let notes = format!(
        "<w:footnotes {NS}><w:footnote w:id=\"1\">{}</w:footnote></w:footnotes>",
        paragraph(&["note 95837"])
    );
    let original =
        docx(&paragraph(&["body 95837"]), &[("word/header1.xml", &header), ("word/footnotes.xml", &notes)]);
    let output = redact_docx(&original, &["95837"], MarkStyle::Blocks);
    for (name, text) in [("word/header1.xml", "header █████"), ("word/footnotes.xml", "note █████")]
    {
        let xml = part(&output, name).unwrap();
        assert!(xml.contains(text) && !xml.contains("95837"), "{name}: {xml}");
    }
}

#[test]
fn hidden_parts_go_with_their_relationships_and_content_types() {
    // NOTES case 23.
    let content_types = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/><Override PartName="/word/comments.xml" ContentType="c"/><Override PartName="/docProps/custom.xml" ContentType="p"/></Types>"#;
    let rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="t/comments" Target="comments.xml"/><Relationship Id="rId2" Type="t/styles" Target="styles.xml"/><Relationship Id="rId3" Type="t/customXml" Target="../customXml/item1.xml"/><Relationship Id="rId4" Type="t/vbaProject" Target="/word/vbaProject.bin"/></Relationships>"#;
    let settings = format!(
        r#"<w:settings {NS}><w:zoom w:percent="100"/><w:attachedTemplate r:id="rId1"/><w:docVars><w:docVar w:name="a" w:val="b"/></w:docVars><w:rsids><w:rsidRoot w:val="00A1"/></w:rsids><w:defaultTabStop w:val="720"/></w:settings>"#
    );
    let settings_rels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" Target="file:///C:/Users/z/T.dotm" TargetMode="External"/></Relationships>"#;
    let document = document_xml(&paragraph(&["text"]));
    let original = zip(&[
        ("[Content_Types].xml", content_types.as_bytes()),
        ("word/document.xml", document.as_bytes()),
        ("word/_rels/document.xml.rels", rels.as_bytes()),
        ("word/comments.xml", format!("<w:comments {NS}/>").as_bytes()),
        ("word/styles.xml", b"<styles/>"),
        ("word/settings.xml", settings.as_bytes()),
        ("word/_rels/settings.xml.rels", settings_rels.as_bytes()),
        ("customXml/item1.xml", b"<secret>x</secret>"),
        ("customXml/_rels/item1.xml.rels", b"<Relationships/>"),
        ("docProps/custom.xml", b"<Properties/>"),
        (
            "docProps/core.xml",
            b"<cp:coreProperties xmlns:cp=\"c\"><title xmlns=\"d\">T</title></cp:coreProperties>",
        ),
        ("docProps/thumbnail.jpeg", b"\xFF\xD8\xFF\xD9"),
        ("word/vbaProject.bin", b"VBA"),
        ("word/embeddings/oleObject1.bin", b"OLE"),
    ]);
    let output = redact_docx(&original, &["text"], MarkStyle::Blocks);
    let names: Vec<String> = unzip(&output).into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        names,
        [
            "[Content_Types].xml",
            "word/document.xml",
            "word/_rels/document.xml.rels",
            "word/styles.xml",
            "word/settings.xml",
            "word/_rels/settings.xml.rels",
            "docProps/core.xml",
        ]
    );
    assert_eq!(
        part(&output, "[Content_Types].xml").unwrap(),
        r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#
    );
    assert_eq!(
        part(&output, "word/_rels/document.xml.rels").unwrap(),
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId2" Type="t/styles" Target="styles.xml"/></Relationships>"#
    );
    assert_eq!(
        part(&output, "word/settings.xml").unwrap(),
        format!(r#"<w:settings {NS}><w:zoom w:percent="100"/><w:defaultTabStop w:val="720"/></w:settings>"#)
    );
    assert_eq!(
        part(&output, "word/_rels/settings.xml.rels").unwrap(),
        r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>"#
    );
    let exported = ingest::read_as(&output, Format::Docx, &Limits::default()).unwrap();
    assert_eq!(exported.hidden_items(), [], "a sanitized export has nothing hidden");
}

#[test]
fn every_hidden_kind_of_the_reader_is_gone_after_export() {
    let comments = format!(
        r#"<w:comments {NS}><w:comment w:id="0" w:author="Z"><w:p><w:r><w:t>c</w:t></w:r></w:p></w:comment></w:comments>"#
    );
    let body = r#"<w:p><w:ins w:author="A"><w:r><w:t>i</w:t></w:r></w:ins><w:del w:author="B"><w:r><w:delText>d</w:delText></w:r></w:del><w:r><w:rPr><w:vanish/></w:rPr><w:t>h</w:t></w:r><w:r><w:t>v</w:t></w:r></w:p>"#;
    let original = docx(body, &[("word/comments.xml", &comments), ("word/people.xml", "<people/>")]);
    let before = ingest::read_as(&original, Format::Docx, &Limits::default()).unwrap();
    let kinds: Vec<HiddenKind> = before.hidden_items().iter().map(|i| i.kind).collect();
    assert!(kinds.len() >= 6, "{kinds:?}");
    let output = redact_docx(&original, &["v"], MarkStyle::Blocks);
    let after = ingest::read_as(&output, Format::Docx, &Limits::default()).unwrap();
    assert_eq!((after.visible_text(), after.hidden_items()), ("i█\n", &[][..]));
}

#[test]
fn the_same_input_and_plan_give_byte_identical_output() {
    let original = docx(&paragraph(&["机密 95837 部队"]), &[]);
    let a = redact_docx(&original, &["95837"], MarkStyle::Blocks);
    let b = redact_docx(&original, &["95837"], MarkStyle::Blocks);
    assert_eq!(a, b);
}

#[test]
fn an_export_holds_no_zip_comment_and_no_trailing_data() {
    // NOTES case 25: the archive is rebuilt, not copied.
    let mut original = docx(&paragraph(&["text"]), &[]);
    original.extend_from_slice(b"TRAILING SECRET");
    let output = redact_docx(&original, &["text"], MarkStyle::Blocks);
    assert!(!output.windows(6).any(|w| w == b"SECRET"));
}

#[test]
fn verification_refuses_an_export_that_still_holds_a_comment_or_a_passage() {
    // A planted leak: the "export" is the original itself.
    let comments = format!(
        r#"<w:comments {NS}><w:comment w:id="0" w:author="Z"><w:p><w:r><w:t>note</w:t></w:r></w:p></w:comment></w:comments>"#
    );
    let original = docx(&paragraph(&["secret here"]), &[("word/comments.xml", &comments)]);
    let document = ingest::read_as(&original, Format::Docx, &Limits::default()).unwrap();
    let plan = plan_for(&original, &["secret"], MarkStyle::Blocks);
    let error =
        crate::verify::verify(&original, &document, &original, Format::Docx, &plan, &Limits::default())
            .unwrap_err();
    assert_eq!(error.kind(), crate::ErrorKind::VerificationFailed);
    for survivor in ["(text)", "comment by Z (comment)", "(author)"] {
        assert!(error.message().contains(survivor), "{survivor:?} not in {error}");
    }
}

#[test]
fn building_blocks_are_reported_and_removed() {
    let glossary = format!(
        "<w:glossaryDocument {NS}><w:docParts><w:docPart><w:docPartBody>{}</w:docPartBody></w:docPart></w:docParts></w:glossaryDocument>",
        paragraph(&["stored secret"])
    );
    let original = docx(&paragraph(&["text"]), &[("word/glossary/document.xml", &glossary)]);
    let before = ingest::read_as(&original, Format::Docx, &Limits::default()).unwrap();
    assert_eq!(before.hidden_items().iter().map(|i| i.text.as_str()).collect::<Vec<_>>(), ["stored secret"]);
    let output = redact_docx(&original, &["text"], MarkStyle::Blocks);
    assert_eq!(part(&output, "word/glossary/document.xml"), None);
}

#[test]
fn fields_and_data_bound_controls_cannot_regenerate_redacted_text() {
    // NOTES case 22: the DOCPROPERTY instruction and the binding to customXml both go; the
    // results stay as plain text.
    check(
        r#"<w:sdt><w:sdtPr><w:alias w:val="Unit"/><w:dataBinding w:xpath="/root/unit" w:storeItemID="{1}"/></w:sdtPr><w:sdtContent><w:p><w:r><w:t xml:space="preserve">95837 </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> DOCPROPERTY Unit </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>95837</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p></w:sdtContent></w:sdt>"#,
        &["95837"],
        MarkStyle::Blocks,
        r#"<w:sdt><w:sdtPr><w:alias w:val="Unit"/></w:sdtPr><w:sdtContent><w:p><w:r><w:t xml:space="preserve">█████ </w:t></w:r><w:r></w:r><w:r></w:r><w:r></w:r><w:r><w:t>█████</w:t></w:r><w:r></w:r></w:p></w:sdtContent></w:sdt>"#,
    );
}

#[test]
fn embedded_photos_lose_their_exif_and_keep_their_pixels() {
    let jpeg = jpeg_with_exif();
    let document = document_xml(&paragraph(&["text"]));
    let original = zip(&[("word/document.xml", document.as_bytes()), ("word/media/image1.jpeg", &jpeg)]);
    let output = redact_docx(&original, &["text"], MarkStyle::Blocks);
    let image = unzip(&output).into_iter().find(|(n, _)| n == "word/media/image1.jpeg").unwrap().1;
    // The EXIF segment right after SOI is gone; the encoder's JFIF header and the picture data
    // follow byte for byte.
    let exif_end = 4 + usize::from(u16::from_be_bytes([jpeg[4], jpeg[5]]));
    assert_eq!(image, [&jpeg[..2], &jpeg[exif_end..]].concat());
    let exported = ingest::read_as(&output, Format::Docx, &Limits::default()).unwrap();
    let kinds: Vec<HiddenKind> = exported.hidden_items().iter().map(|i| i.kind).collect();
    assert_eq!(kinds, [HiddenKind::ReviewByEye], "only the note to look at the picture stays");
}

#[test]
fn a_utf16_part_is_written_back_as_utf16() {
    let xml = document_xml(&paragraph(&["机密 text"]));
    let utf16: Vec<u8> =
        [0xFF, 0xFE].into_iter().chain(xml.encode_utf16().flat_map(u16::to_le_bytes)).collect();
    let original = zip(&[("word/document.xml", &utf16)]);
    let output = redact_docx(&original, &["机密"], MarkStyle::Blocks);
    let bytes = unzip(&output).into_iter().find(|(n, _)| n == "word/document.xml").unwrap().1;
    assert_eq!(&bytes[..2], &[0xFF, 0xFE]);
    let exported = ingest::read_as(&output, Format::Docx, &Limits::default()).unwrap();
    assert_eq!(exported.visible_text(), "██ text\n");
}

#[test]
fn a_hyperlink_around_redacted_text_is_unlinked_and_its_target_removed() {
    // Word links typed addresses by itself; the target repeats the redacted text.
    let body = r#"<w:p><w:hyperlink r:id="rId8" w:tooltip="mail zhang"><w:r><w:t>zhang@unit.cn</w:t></w:r></w:hyperlink><w:r><w:t xml:space="preserve"> see </w:t></w:r><w:hyperlink r:id="rId9"><w:r><w:t>www.gov.cn</w:t></w:r></w:hyperlink></w:p>"#;
    let rels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId8" Type="t/hyperlink" Target="mailto:zhang@unit.cn" TargetMode="External"/><Relationship Id="rId9" Type="t/hyperlink" Target="http://www.gov.cn" TargetMode="External"/></Relationships>"#;
    let original = docx(body, &[("word/_rels/document.xml.rels", rels)]);
    let output = redact_docx(&original, &["zhang@unit.cn"], MarkStyle::Blocks);
    assert_eq!(
        part(&output, "word/document.xml").unwrap(),
        document_xml(
            r#"<w:p><w:r><w:t>█████████████</w:t></w:r><w:r><w:t xml:space="preserve"> see </w:t></w:r><w:hyperlink r:id="rId9"><w:r><w:t>www.gov.cn</w:t></w:r></w:hyperlink></w:p>"#
        )
    );
    assert_eq!(
        part(&output, "word/_rels/document.xml.rels").unwrap(),
        r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId9" Type="t/hyperlink" Target="http://www.gov.cn" TargetMode="External"/></Relationships>"#
    );
}

#[test]
fn vml_alt_text_goes_too() {
    let body = r#"<w:p><w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml" id="s1" alt="map of site 7" style="width:1pt"><v:imagedata xmlns:o="urn:schemas-microsoft-com:office:office" r:id="rId1" o:title="site 7"/></v:shape></w:pict></w:r><w:r><w:t>x</w:t></w:r></w:p>"#;
    let original = docx(body, &[]);
    let before = ingest::read_as(&original, Format::Docx, &Limits::default()).unwrap();
    let texts: Vec<&str> = before.hidden_items().iter().map(|i| i.text.as_str()).collect();
    assert_eq!(texts, ["map of site 7", "site 7"]);
    let output = redact_docx(&original, &["x"], MarkStyle::Blocks);
    assert_eq!(
        part(&output, "word/document.xml").unwrap(),
        document_xml(
            r#"<w:p><w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml" id="s1" style="width:1pt"><v:imagedata xmlns:o="urn:schemas-microsoft-com:office:office" r:id="rId1"/></v:shape></w:pict></w:r><w:r><w:t>█</w:t></w:r></w:p>"#
        )
    );
}

#[test]
fn table_cell_changes_and_editing_permissions_lose_their_names() {
    let body = r#"<w:tbl><w:tr><w:tc><w:tcPr><w:cellIns w:id="1" w:author="A"/></w:tcPr><w:p><w:permStart w:id="2" w:ed="zhang@unit"/><w:r><w:t>x</w:t></w:r><w:permEnd w:id="2"/></w:p></w:tc></w:tr></w:tbl>"#;
    let original = docx(body, &[]);
    let before = ingest::read_as(&original, Format::Docx, &Limits::default()).unwrap();
    let names: Vec<&str> = before.hidden_items().iter().map(|i| i.text.as_str()).collect();
    assert_eq!(names, ["A", "zhang@unit"]);
    check(
        body,
        &["x"],
        MarkStyle::Blocks,
        r#"<w:tbl><w:tr><w:tc><w:tcPr></w:tcPr><w:p><w:r><w:t>█</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#,
    );
}

#[test]
fn equation_text_is_redacted_in_place() {
    let math = r#"xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math""#;
    check(
        &format!(r#"<w:p><m:oMath {math}><m:r><m:t>f=95837</m:t></m:r></m:oMath></w:p>"#),
        &["95837"],
        MarkStyle::Blocks,
        &format!(r#"<w:p><m:oMath {math}><m:r><m:t>f=█████</m:t></m:r></m:oMath></w:p>"#),
    );
}

mod random_plans {
    use proptest::prelude::*;

    use super::*;

    /// A document with every construct the redactor edits, in one paragraph or another.
    fn sample() -> Vec<u8> {
        let body = [
            r#"<w:p><w:r><w:t>驻地958</w:t></w:r><w:proofErr w:type="spellStart"/><w:bookmarkStart w:id="0" w:name="u"/><w:r><w:rPr><w:b/></w:rPr><w:t>37</w:t></w:r><w:bookmarkEnd w:id="0"/><w:r><w:t xml:space="preserve">部队 A&amp;B</w:t><w:tab/><w:t>x</w:t></w:r></w:p>"#,
            r#"<w:p><w:ins w:author="A"><w:r><w:t>new</w:t></w:r></w:ins><w:del w:author="B"><w:r><w:delText>old</w:delText></w:r></w:del><w:hyperlink r:id="rId1"><w:r><w:t>link text</w:t></w:r></w:hyperlink></w:p>"#,
            r#"<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:txbxContent><w:p><w:r><w:t>box one</w:t></w:r></w:p><w:p><w:r><w:t>box two</w:t></w:r></w:p></w:txbxContent></mc:Choice><mc:Fallback><w:txbxContent><w:p><w:r><w:t>box one</w:t></w:r></w:p><w:p><w:r><w:t>box two</w:t></w:r></w:p></w:txbxContent></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>after</w:t></w:r></w:p>"#,
            r#"<w:p><w:fldSimple w:instr="AUTHOR"><w:r><w:t>result</w:t></w:r></w:fldSimple><w:r><w:rPr><w:vanish/></w:rPr><w:t>hidden</w:t></w:r><w:r><w:t>end</w:t></w:r></w:p>"#,
        ]
        .concat();
        let rels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="t/hyperlink" Target="http://link.text" TargetMode="External"/></Relationships>"#;
        docx(&body, &[("word/_rels/document.xml.rels", rels)])
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// Any plan exports (verification included) and leaves only the unplanned characters,
        /// each mark standing for what it replaced.
        #[test]
        fn any_plan_exports_and_removes_exactly_the_planned_characters(
            spans in prop::collection::vec((0usize..80, 1usize..10), 1..5),
        ) {
            let original = sample();
            let document = ingest::read_as(&original, Format::Docx, &Limits::default()).unwrap();
            let visible = document.visible_char_len();
            let ranges: Vec<PlannedRange> = spans
                .iter()
                .map(|&(start, len)| {
                    let start = start % visible;
                    PlannedRange { start, end: (start + len).min(visible), reason: "r".into() }
                })
                .collect();
            let plan = RedactionPlan { ranges, areas: Vec::new(), style: MarkStyle::Blocks };
            let export = redact_file(&original, Format::Docx, &plan, &Limits::default());
            prop_assert!(export.is_ok(), "{:?}", export.err());
            let after = ingest::read_as(&export.unwrap().bytes, Format::Docx, &Limits::default()).unwrap();
            // Marks aside, the characters left are exactly the unplanned ones. Paragraph breaks
            // are the reader's, not the file's, so they stay out of the comparison.
            let mut planned = vec![false; visible];
            for range in &plan.ranges {
                planned[range.start..range.end].iter_mut().for_each(|p| *p = true);
            }
            let kept: String =
                document.visible_text().chars().zip(&planned).filter(|(_, p)| !**p).map(|(c, _)| c).collect();
            let left: String = after.visible_text().chars().filter(|&c| c != '█').collect();
            let squeeze = |s: &str| s.chars().filter(|c| *c != '\n').collect::<String>();
            prop_assert_eq!(squeeze(&left), squeeze(&kept));
        }
    }
}

#[test]
fn runs_hidden_by_a_style_are_removed() {
    let styles = format!(
        r#"<w:styles {NS}><w:style w:type="character" w:styleId="Secret"><w:rPr><w:vanish/></w:rPr></w:style></w:styles>"#
    );
    let body = r#"<w:p><w:r><w:rPr><w:rStyle w:val="Secret"/></w:rPr><w:t>hid</w:t></w:r><w:r><w:t>seen</w:t></w:r></w:p>"#;
    let original = docx(body, &[("word/styles.xml", &styles)]);
    let output = redact_docx(&original, &["seen"], MarkStyle::Blocks);
    assert_eq!(
        part(&output, "word/document.xml").unwrap(),
        document_xml(r#"<w:p><w:r><w:t>████</w:t></w:r></w:p>"#)
    );
}

#[test]
fn text_in_a_cdata_section_is_removed_at_its_own_bytes() {
    // The characters of `<![CDATA[...]]>` start 9 bytes after the section does; a wrong offset
    // here would cut the opener instead of the secret.
    check(
        r#"<w:p><w:r><w:t><![CDATA[单位95837部队]]></w:t></w:r></w:p>"#,
        &["95837"],
        MarkStyle::Blocks,
        r#"<w:p><w:r><w:t><![CDATA[单位█████部队]]></w:t></w:r></w:p>"#,
    );
}

//! The DOCX reader as a spec: visible text, hidden items, and refusals of bad input.

use super::testing::{NS, document_xml, docx, paragraph, zip};
use super::*;
use crate::ErrorKind;

fn read_docx(bytes: &[u8]) -> Document {
    read(bytes, &Limits::default()).unwrap()
}

/// The visible text of a DOCX whose body is `body`, with paragraphs joined by `|`.
fn check_visible(body: &str, expected: &str) {
    let document = read_docx(&docx(body, &[]));
    let got = document.visible_text().trim_end_matches('\n').replace('\n', "|");
    assert_eq!(got, expected, "visible text of {body}");
}

/// The hidden items of a DOCX, as `(kind, label, text)`.
fn check_hidden(body: &str, extra: &[(&str, &str)], expected: &[(HiddenKind, &str, &str)]) {
    let document = read_docx(&docx(body, extra));
    let got: Vec<(HiddenKind, &str, &str)> =
        document.hidden_items().iter().map(|i| (i.kind, i.label.as_str(), i.text.as_str())).collect();
    assert_eq!(
        got,
        expected,
        "hidden items of {body} with {:?}",
        extra.iter().map(|e| e.0).collect::<Vec<_>>()
    );
}

fn check_error(bytes: &[u8], kind: ErrorKind, message_part: &str) {
    let error = read(bytes, &Limits::default()).unwrap_err();
    assert_eq!(error.kind(), kind, "{error}");
    assert!(error.message().contains(message_part), "expected {message_part:?} in {error}");
}

#[test]
fn visible_text_is_what_a_reader_of_the_final_document_sees() {
    check_visible(&paragraph(&["Hello ", "world"]), "Hello world");
    check_visible(&[paragraph(&["one"]), paragraph(&[]), paragraph(&["two"])].concat(), "one|two");
    check_visible(
        r#"<w:p><w:ins w:author="A"><w:r><w:t>added </w:t></w:r></w:ins><w:del w:author="A"><w:r><w:delText>gone </w:delText></w:r></w:del><w:r><w:t>kept</w:t></w:r></w:p>"#,
        "added kept",
    );
    check_visible(
        r#"<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>7</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>"#,
        "7",
    );
    check_visible(
        r#"<w:p><w:fldSimple w:instr="AUTHOR"><w:r><w:t>Ann</w:t></w:r></w:fldSimple></w:p>"#,
        "Ann",
    );
}

#[test]
fn stories_come_in_a_fixed_order_with_their_part_and_paragraph() {
    let header = |t: &str| format!("<w:hdr {NS}>{}</w:hdr>", paragraph(&[t]));
    let footer = |t: &str| format!("<w:ftr {NS}>{}</w:ftr>", paragraph(&[t]));
    let notes = format!(
        r#"<w:footnotes {NS}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:id="1">{}</w:footnote></w:footnotes>"#,
        paragraph(&["note"])
    );
    let bytes = docx(
        &paragraph(&["body"]),
        &[
            ("word/footer1.xml", &footer("foot")),
            ("word/header10.xml", &header("h10")),
            ("word/header2.xml", &header("h2")),
            ("word/footnotes.xml", &notes),
        ],
    );
    let document = read_docx(&bytes);
    let blocks: Vec<(&str, String)> =
        document.blocks().iter().map(|b| (document.slice(b.start, b.end), b.location.to_string())).collect();
    assert_eq!(
        blocks,
        [
            ("body", "word/document.xml, ¶1".to_owned()),
            ("h2", "word/header2.xml, ¶1".to_owned()),
            ("h10", "word/header10.xml, ¶1".to_owned()),
            ("foot", "word/footer1.xml, ¶1".to_owned()),
            ("note", "word/footnotes.xml, ¶2".to_owned()),
        ]
    );
    assert_eq!(document.origin(1), Origin::Docx { part: 0, atom: 1 });
    assert_eq!(document.origin(5), Origin::Docx { part: 1, atom: 0 });
}

#[test]
fn reading_is_deterministic() {
    let bytes = docx(&paragraph(&["机密", "文件"]), &[]);
    let (a, b) = (read_docx(&bytes), read_docx(&bytes));
    assert_eq!((a.text(), a.origins()), (b.text(), b.origins()));
}

#[test]
fn tracked_changes_hidden_runs_and_instructions_are_hidden_items_with_authors() {
    check_hidden(
        r#"<w:p><w:ins w:author="张三"><w:r><w:t>new</w:t></w:r></w:ins><w:del w:author="李四"><w:r><w:delText>old</w:delText></w:r></w:del><w:moveFrom w:author="王五"><w:r><w:t>moved</w:t></w:r></w:moveFrom></w:p><w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>secret</w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>HYPERLINK "http://x"</w:instrText></w:r></w:p><w:p><w:pPr><w:rPr><w:ins w:author="赵六"/></w:rPr></w:pPr></w:p>"#,
        &[],
        &[
            (HiddenKind::TrackedInsertion, "insertion by 张三", "new"),
            (HiddenKind::TrackedDeletion, "deletion by 李四", "old"),
            (HiddenKind::TrackedMove, "move by 王五", "moved"),
            (HiddenKind::HiddenText, "hidden text", "secret"),
            (HiddenKind::HiddenText, "field instruction", r#"HYPERLINK "http://x""#),
            (HiddenKind::Author, "author of comments or tracked changes", "张三"),
            (HiddenKind::Author, "author of comments or tracked changes", "李四"),
            (HiddenKind::Author, "author of comments or tracked changes", "王五"),
            (HiddenKind::Author, "author of comments or tracked changes", "赵六"),
        ],
    );
}

#[test]
fn simple_fields_and_alt_text_are_hidden_items() {
    check_hidden(
        r#"<w:p><w:fldSimple w:instr="DOCPROPERTY Secret"><w:r><w:t>x</w:t></w:r></w:fldSimple><w:r><w:drawing><wp:inline><wp:docPr id="1" name="Picture 1" descr="photo of base" title="Base"/></wp:inline></w:drawing></w:r></w:p>"#,
        &[],
        &[
            (HiddenKind::HiddenText, "field instruction", "DOCPROPERTY Secret"),
            (HiddenKind::HiddenText, "alt text", "photo of base"),
            (HiddenKind::HiddenText, "alt text title", "Base"),
        ],
    );
}

#[test]
fn a_text_box_fallback_is_not_read_twice_nor_reported() {
    let body = r#"<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent><w:p><w:r><w:t>box</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>box</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"#;
    check_visible(body, "box");
    check_hidden(body, &[], &[]);
}

#[test]
fn comments_and_people_are_hidden_items() {
    let comments = format!(
        r#"<w:comments {NS}><w:comment w:id="0" w:author="张三" w:initials="ZS"><w:p><w:r><w:t>check the</w:t></w:r></w:p><w:p><w:r><w:t>range</w:t></w:r></w:p></w:comment></w:comments>"#
    );
    let people = r#"<w15:people xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml"><w15:person w15:author="张三"/><w15:person w15:author="Bob"/></w15:people>"#;
    check_hidden(
        &paragraph(&["body"]),
        &[("word/comments.xml", &comments), ("word/people.xml", people)],
        &[
            (HiddenKind::Comment, "comment by 张三", "check the\nrange"),
            (HiddenKind::Author, "author of comments or tracked changes", "张三"),
            (HiddenKind::Author, "author of comments or tracked changes", "ZS"),
            (HiddenKind::People, "people who edited the document", "张三\nBob"),
        ],
    );
}

#[test]
fn document_properties_are_hidden_items_but_statistics_are_not() {
    let core = r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Plan &amp; budget</dc:title><dc:creator>张三</dc:creator><dc:subject/><cp:lastModifiedBy>Bob</cp:lastModifiedBy></cp:coreProperties>"#;
    let app = r#"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Application>Microsoft Office Word</Application><Pages>3</Pages><Company>某研究所</Company><TitlesOfParts><vt:vector size="1" baseType="lpstr"><vt:lpstr>Plan</vt:lpstr></vt:vector></TitlesOfParts></Properties>"#;
    let custom = r#"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Project"><vt:lpwstr>Falcon</vt:lpwstr></property></Properties>"#;
    check_hidden(
        "",
        &[("docProps/core.xml", core), ("docProps/app.xml", app), ("docProps/custom.xml", custom)],
        &[
            (HiddenKind::Metadata, "document property title", "Plan & budget"),
            (HiddenKind::Metadata, "document property creator", "张三"),
            (HiddenKind::Metadata, "document property lastModifiedBy", "Bob"),
            (HiddenKind::Metadata, "document property Company", "某研究所"),
            (HiddenKind::Metadata, "document property TitlesOfParts", "Plan"),
            (HiddenKind::Metadata, "custom property Project", "Falcon"),
        ],
    );
}

#[test]
fn settings_custom_xml_and_binary_parts_are_hidden_items() {
    let settings = format!(
        r#"<w:settings {NS}><w:attachedTemplate r:id="rId1"/><w:docVars><w:docVar w:name="case" w:val="A-17"/></w:docVars><w:mailMerge><w:query w:val="SELECT * FROM staff"/></w:mailMerge><w:rsids><w:rsidRoot w:val="00AB12CD"/></w:rsids></w:settings>"#
    );
    let settings_rels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" Target="file:///C:/Users/zhangsan/Templates/Secret.dotm" TargetMode="External"/></Relationships>"#;
    check_hidden(
        "",
        &[
            ("word/settings.xml", &settings),
            ("word/_rels/settings.xml.rels", settings_rels),
            ("customXml/item1.xml", "<root><a>Project</a><b>Falcon</b></root>"),
            ("customXml/itemProps1.xml", "<props/>"),
            ("word/embeddings/oleObject1.bin", "OLE"),
            ("word/vbaProject.bin", "VBA"),
            ("docProps/thumbnail.jpeg", "JPEG"),
        ],
        &[
            (HiddenKind::Template, "attached template", "file:///C:/Users/zhangsan/Templates/Secret.dotm"),
            (HiddenKind::CustomData, "document variable case", "A-17"),
            (HiddenKind::CustomData, "mail merge settings", "SELECT * FROM staff"),
            (HiddenKind::CustomData, "custom XML part customXml/item1.xml", "Project Falcon"),
            (HiddenKind::EmbeddedObject, "embedded object word/embeddings/oleObject1.bin", ""),
            (HiddenKind::Script, "macro project word/vbaProject.bin", ""),
            (HiddenKind::Thumbnail, "thumbnail docProps/thumbnail.jpeg", ""),
        ],
    );
}

/// A JPEG holding only an EXIF segment with a camera model and a GPS latitude.
fn jpeg_with_exif() -> Vec<u8> {
    // TIFF, little-endian: IFD0 with Model and a GPS IFD pointer; GPS IFD with LatitudeRef.
    let mut tiff = Vec::new();
    tiff.extend(b"II*\0");
    tiff.extend(8u32.to_le_bytes());
    // IFD0 at 8: 2 entries.
    tiff.extend(2u16.to_le_bytes());
    tiff.extend(0x0110u16.to_le_bytes()); // Model
    tiff.extend(2u16.to_le_bytes()); // ASCII
    tiff.extend(4u32.to_le_bytes());
    tiff.extend(b"Cam\0");
    tiff.extend(0x8825u16.to_le_bytes()); // GPS IFD pointer
    tiff.extend(4u16.to_le_bytes()); // LONG
    tiff.extend(1u32.to_le_bytes());
    tiff.extend(38u32.to_le_bytes());
    tiff.extend(0u32.to_le_bytes()); // no next IFD
    // GPS IFD at 38: 1 entry.
    tiff.extend(1u16.to_le_bytes());
    tiff.extend(0x0001u16.to_le_bytes()); // GPSLatitudeRef
    tiff.extend(2u16.to_le_bytes());
    tiff.extend(2u32.to_le_bytes());
    tiff.extend(b"N\0\0\0");
    tiff.extend(0u32.to_le_bytes());
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend(tiff);
    let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE1];
    jpeg.extend(((app1.len() + 2) as u16).to_be_bytes());
    jpeg.extend(app1);
    jpeg.extend([0xFF, 0xD9]);
    jpeg
}

#[test]
fn embedded_photo_exif_and_gps_are_hidden_items() {
    let jpeg = jpeg_with_exif();
    let document = document_xml("");
    let bytes = zip(&[("word/document.xml", document.as_bytes()), ("word/media/image1.jpeg", &jpeg)]);
    let document = read_docx(&bytes);
    let got: Vec<(HiddenKind, &str)> =
        document.hidden_items().iter().map(|i| (i.kind, i.text.as_str())).collect();
    assert_eq!(
        got,
        [(HiddenKind::GpsPosition, "GPSLatitudeRef: N"), (HiddenKind::ImageMetadata, "Model: \"Cam\"")]
    );
}

#[test]
fn a_broken_or_hostile_package_is_refused_with_one_clear_error() {
    let good = docx(&paragraph(&["x"]), &[]);
    check_error(&good[..good.len() / 2], ErrorKind::Malformed, "not a valid DOCX");
    check_error(b"PK\x03\x04 random bytes that are not a zip", ErrorKind::Malformed, "not a valid DOCX");
    check_error(&zip(&[("word/other.xml", b"<a/>")]), ErrorKind::Malformed, "word/document.xml is missing");
    check_error(
        &zip(&[("word/document.xml", document_xml("").as_bytes()), ("../evil.xml", b"<a/>")]),
        ErrorKind::Hostile,
        "escapes the archive",
    );
    check_error(
        &zip(&[("word/document.xml", document_xml("").as_bytes()), ("/etc/passwd", b"x")]),
        ErrorKind::Hostile,
        "escapes the archive",
    );
    check_error(
        &zip(&[("word/document.xml", document_xml("").as_bytes()), ("Word/Document.xml", b"<a/>")]),
        ErrorKind::Hostile,
        "twice",
    );
}

#[test]
fn hostile_xml_is_refused() {
    let doctype = r#"<?xml version="1.0"?><!DOCTYPE w [<!ENTITY x "boom">]><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>"#;
    check_error(&zip(&[("word/document.xml", doctype.as_bytes())]), ErrorKind::Hostile, "DOCTYPE");
    check_error(&docx(&paragraph(&["&x;"]), &[]), ErrorKind::Hostile, "undeclared entity &x;");
    check_error(&docx(r#"<w:p><w:ins w:author="&x;"/></w:p>"#, &[]), ErrorKind::Hostile, "unknown entity");
    check_error(&docx("<w:p><w:r>", &[]), ErrorKind::Malformed, "XML");
    let deep = "<w:p>".repeat(300) + &"</w:p>".repeat(300);
    check_error(&docx(&deep, &[]), ErrorKind::LimitExceeded, "nest deeper");
    check_error(&zip(&[("word/document.xml", b"\xff\xfe\x00")]), ErrorKind::Malformed, "UTF-16");
}

#[test]
fn zip_bombs_are_refused_by_ratio_and_by_total() {
    let zeros = vec![b' '; 3 << 20];
    let bomb = zip(&[("word/document.xml", document_xml("").as_bytes()), ("word/media/zero.bin", &zeros)]);
    check_error(&bomb, ErrorKind::LimitExceeded, "zip bomb");
    let limits = Limits { max_decompressed_bytes: 1000, ..Limits::default() };
    let big = zip(&[("word/document.xml", document_xml(&paragraph(&["x"; 100])).as_bytes())]);
    let error = read(&big, &limits).unwrap_err();
    assert_eq!(
        (error.kind(), error.message().contains("limit of 1000 bytes")),
        (ErrorKind::LimitExceeded, true)
    );
    let limits = Limits { max_zip_entries: 1, ..Limits::default() };
    let error = read(&docx("", &[]), &limits).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::LimitExceeded);
}

#[test]
fn a_utf16_part_is_transcoded() {
    let xml = document_xml(&paragraph(&["机密"]));
    let utf16: Vec<u8> =
        [0xFF, 0xFE].into_iter().chain(xml.encode_utf16().flat_map(u16::to_le_bytes)).collect();
    let document = read_docx(&zip(&[("word/document.xml", &utf16)]));
    assert_eq!(document.visible_text(), "机密\n");
}

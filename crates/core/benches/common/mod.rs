//! The generated document the PDF benches share: 300 pages of Helvetica (without /Widths, as
//! reportlab writes it), 46 lines a page with kerned TJ arrays, and every tenth line in Chinese
//! in a Type0 STSong-Light font with UniGB-UCS2-H codes.

use lopdf::{Dictionary, Object, Stream, dictionary};

/// Pages in the document.
pub const PAGES: usize = 300;
/// Lines on each page.
pub const LINES: usize = 46;

/// The document's bytes.
pub fn generate() -> Vec<u8> {
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

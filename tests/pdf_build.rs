//! Building small PDFs in tests with lopdf, and running poppler's tools on them as the
//! independent oracle.

use std::io::Write;
use std::process::Command;

use lopdf::{Dictionary, Object, ObjectId, Stream, dictionary};

/// A PDF under construction: pages share one resource dictionary holding Helvetica as /F1 (no
/// /Widths, as reportlab writes it), Courier as /F2, and the forms added with [`Pdf::form`].
pub struct Pdf {
    pub doc: lopdf::Document,
    pages_id: ObjectId,
    page_ids: Vec<ObjectId>,
    pub fonts: Dictionary,
    xobjects: Dictionary,
    pub page_size: (f32, f32),
}

impl Pdf {
    pub fn new() -> Pdf {
        let mut doc = lopdf::Document::with_version("1.7");
        let pages_id = doc.new_object_id();
        let helvetica = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding",
        });
        let courier = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Courier",
        });
        Pdf {
            doc,
            pages_id,
            page_ids: Vec::new(),
            fonts: dictionary! { "F1" => helvetica, "F2" => courier },
            xobjects: Dictionary::new(),
            page_size: (612.0, 792.0),
        }
    }

    /// Adds a page drawing `content`; returns its object id.
    pub fn page(&mut self, content: &str) -> ObjectId {
        let content_id = self.doc.add_object(Stream::new(Dictionary::new(), content.as_bytes().to_vec()));
        let id = self.doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => self.pages_id,
            "Contents" => content_id,
        });
        self.page_ids.push(id);
        id
    }

    /// Adds a Form XObject named `name` drawing `content` with `matrix`.
    pub fn form(&mut self, name: &str, content: &str, matrix: [f32; 6]) -> ObjectId {
        let dict = dictionary! {
            "Type" => "XObject", "Subtype" => "Form",
            "BBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
            "Matrix" => matrix.iter().map(|&n| Object::Real(n)).collect::<Vec<_>>(),
        };
        let id = self.doc.add_object(Stream::new(dict, content.as_bytes().to_vec()));
        self.xobjects.set(name, id);
        id
    }

    /// Adds an Image XObject named `name` with `dict` (Type and Subtype are added) and the
    /// stream bytes `data` as given (already encoded as `dict`'s /Filter says).
    pub fn image(&mut self, name: &str, mut dict: Dictionary, data: Vec<u8>) -> ObjectId {
        dict.set("Type", "XObject");
        dict.set("Subtype", "Image");
        let id = self.doc.add_object(Stream::new(dict, data).with_compression(false));
        self.xobjects.set(name, id);
        id
    }

    /// Adds a font dictionary as resource `name`.
    pub fn font(&mut self, name: &str, font: Dictionary) -> ObjectId {
        let id = self.doc.add_object(font);
        self.fonts.set(name, id);
        id
    }

    /// Finishes the page tree and catalog, applies `edit` to the catalog, and saves.
    pub fn bytes_with(mut self, edit: impl FnOnce(&mut lopdf::Document, &mut Dictionary)) -> Vec<u8> {
        let resources = self.doc.add_object(dictionary! {
            "Font" => self.fonts.clone(),
            "XObject" => self.xobjects.clone(),
        });
        let kids: Vec<Object> = self.page_ids.iter().map(|&id| id.into()).collect();
        let count = kids.len() as i64;
        let (w, h) = self.page_size;
        self.doc.objects.insert(
            self.pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => kids, "Count" => count, "Resources" => resources,
                "MediaBox" => vec![0.into(), 0.into(), Object::Real(w), Object::Real(h)],
            }),
        );
        let mut catalog = dictionary! { "Type" => "Catalog", "Pages" => self.pages_id };
        edit(&mut self.doc, &mut catalog);
        let catalog_id = self.doc.add_object(catalog);
        self.doc.trailer.set("Root", catalog_id);
        let mut out = Vec::new();
        self.doc.save_to(&mut out).expect("lopdf saves the test PDF");
        out
    }

    pub fn bytes(self) -> Vec<u8> {
        self.bytes_with(|_, _| {})
    }
}

/// A one-page PDF drawing `first`, then an incremental update appended to it that replaces the
/// page's content with `second` — the way an editor "removes" text while keeping it in the file.
/// Returns the original bytes and the updated ones (which start with the original).
pub fn incrementally_updated(first: &str, second: &str) -> (Vec<u8>, Vec<u8>) {
    let mut pdf = Pdf::new();
    let page = pdf.page(first);
    let original = pdf.bytes();
    let previous = lopdf::Document::load_mem(&original).unwrap();
    let mut update = lopdf::IncrementalDocument::create_from(original.clone(), previous);
    update.opt_clone_object_to_new_document(page).unwrap();
    let content = update.new_document.add_object(Stream::new(Dictionary::new(), second.as_bytes().to_vec()));
    update.new_document.get_dictionary_mut(page).unwrap().set("Contents", content);
    let mut bytes = Vec::new();
    update.save_to(&mut bytes).unwrap();
    (original, bytes)
}

/// A literal PDF string object.
pub fn string(s: &str) -> Object {
    Object::string_literal(s)
}

/// Runs a poppler/qpdf tool on `bytes` (written to a temporary file) with `args` before the file
/// name and `after` after it; fails the test with a clear message when the tool is missing.
pub fn tool(program: &str, args: &[&str], bytes: &[u8], after: &[&str]) -> std::process::Output {
    let mut file = tempfile::Builder::new().suffix(".pdf").tempfile().unwrap();
    file.write_all(bytes).unwrap();
    Command::new(program).args(args).arg(file.path()).args(after).output().unwrap_or_else(|e| {
        panic!("`{program}` is required by this test and could not be run ({e}); run scripts/setup-system.sh")
    })
}

/// The text `pdftotext` extracts.
pub fn pdftotext(bytes: &[u8]) -> String {
    let out = tool("pdftotext", &["-enc", "UTF-8"], bytes, &["-"]);
    assert!(out.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// A word of `pdftotext -bbox`: text and box (x_min, y_min, x_max, y_max), top-left origin.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    pub page: usize,
    pub text: String,
    pub rect: [f32; 4],
}

/// The words `pdftotext -bbox` finds, with their page (0-based).
pub fn pdftotext_words(bytes: &[u8]) -> Vec<Word> {
    let out = tool("pdftotext", &["-bbox", "-enc", "UTF-8"], bytes, &["-"]);
    assert!(out.status.success(), "pdftotext -bbox failed: {}", String::from_utf8_lossy(&out.stderr));
    let html = String::from_utf8(out.stdout).unwrap();
    let mut words = Vec::new();
    let mut page = 0usize;
    let mut seen_page = false;
    for line in html.lines() {
        let line = line.trim();
        if line.starts_with("<page ") {
            if seen_page {
                page += 1;
            }
            seen_page = true;
        }
        let Some(rest) = line.strip_prefix("<word ") else { continue };
        let attr = |name: &str| -> f32 {
            let key = format!("{name}=\"");
            let start = rest.find(&key).unwrap() + key.len();
            rest[start..].split('"').next().unwrap().parse().unwrap()
        };
        let text = rest.split('>').nth(1).unwrap().split('<').next().unwrap();
        let text =
            text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"");
        words.push(Word { page, text, rect: [attr("xMin"), attr("yMin"), attr("xMax"), attr("yMax")] });
    }
    words
}

/// Text without any whitespace, for comparisons "modulo whitespace".
pub fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

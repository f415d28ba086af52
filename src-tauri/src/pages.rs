//! The page view: what the UI needs to draw a PDF's pages or a photo as they look, with the
//! findings highlighted on them.
//!
//! The webview draws the pages itself (pdf.js for a PDF, the `<img>` element for a photo) from
//! the original bytes, which [`Pages::original`] hands over unchanged. What the webview cannot
//! know is where a finding is: the core's reader knows which glyph each character of the text
//! came from and that glyph's box. [`quads`] turns a character range into boxes on pages, in
//! PDF points with the origin at the top left of the page as shown (after `/Rotate`, relative
//! to the crop box): the same space pdf.js's viewport uses, so the UI only scales.
//!
//! **Boxes on demand, not a table.** The 300-page PDF of the end-to-end journey holds 1.1
//! million characters: a per-character box table would be ~88 MB as JSON, or 22 MB as packed
//! `f32`s, before the first page could be highlighted. The UI instead asks for the boxes of the
//! ranges it highlights (the findings and the reviewer's marks — a few hundred at most), which
//! costs a few kilobytes and one lookup per character. Adjacent glyphs of one line are merged into one box, so a
//! highlight is one rectangle per line, like a text selection, rather than one per glyph.
//!
//! Reading a document again for every request would cost as much as opening it, so the
//! readings are kept: the quick check's by the `Workbench`, the last few workspace documents'
//! here (see [`Pages`]). Like `desk` and `workbench`, this module knows
//! nothing about Tauri.

use std::sync::{Arc, Mutex, MutexGuard};

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use vetted_core::{Document, DocumentId, Format, HiddenKind, Layout, Origin, Rect, Result, ingest};

use crate::desk::Desk;
use crate::workbench::Workbench;

/// Which document a page view is of: one opened for a quick check (its handle), a workspace
/// document (`"D3"`; its latest revision), or the public version of one as its export would
/// write it now (the redacted preview).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum PagesSource {
    /// A document of the quick check, by the handle `open_document` returned.
    Bench(u32),
    /// A workspace document, such as `"D3"`.
    Desk(String),
    /// The redacted preview of a workspace document, such as `"D3"`: the bytes
    /// `Workspace::preview` makes in memory, which are what the export will write.
    Preview(String),
}

/// How the document is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum PagesLayout {
    /// Fixed pages (PDF), drawn by pdf.js.
    Pages,
    /// One picture (JPEG, PNG), drawn by the webview.
    Image,
    /// Flowing text (TXT, Markdown, DOCX): there are no pages to draw.
    Flow,
}

/// The size of one page: PDF points for a page, pixels for a picture (as shown, after its
/// EXIF orientation).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, TS)]
pub struct PageSize {
    /// Width.
    pub width: f32,
    /// Height.
    pub height: f32,
}

/// What the page view shows before any page is drawn: the page sizes (so a 300-page document
/// can be laid out, and scrolled, before its pages are rendered) and, for a photo, what its
/// metadata gives away.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PagesView {
    /// How the document is drawn.
    pub layout: PagesLayout,
    /// The MIME type of the original bytes (`"application/pdf"`, `"image/jpeg"`...).
    pub mime: String,
    /// One entry per page, in order; one for a picture; none for flowing text.
    pub pages: Vec<PageSize>,
    /// For a picture: its metadata fields and GPS position.
    pub photo: Option<PhotoFacts>,
}

/// What a photo's metadata says, shown beside the picture.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
pub struct PhotoFacts {
    /// Every metadata field (EXIF, XMP, IPTC...), in file order.
    pub fields: Vec<PhotoField>,
    /// Where the photo was taken, when it says.
    pub gps: Option<GpsPosition>,
}

/// One metadata field of a photo.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct PhotoField {
    /// The field, such as `"EXIF Model"`.
    pub label: String,
    /// Its value as text.
    pub text: String,
    /// True for GPS fields: a position is the most sensitive thing a photo carries.
    pub gps: bool,
}

/// A GPS position recorded in a photo.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
pub struct GpsPosition {
    /// Degrees north (negative: south).
    pub latitude: f64,
    /// Degrees east (negative: west).
    pub longitude: f64,
    /// The position as the reader wrote it, with altitude and degrees/minutes/seconds.
    pub text: String,
}

/// Characters `start..end` of a document's text: a range to find on the pages, a mark's range,
/// or a selection to mark.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CharRange {
    /// First character offset.
    pub start: usize,
    /// One past the last character offset.
    pub end: usize,
}

/// A box on a page: PDF points, origin at the top left of the page as shown.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, TS)]
pub struct PageBox {
    /// 1-based page number.
    pub page: u32,
    /// Left edge.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Width.
    pub width: f32,
    /// Height.
    pub height: f32,
}

/// Where a character range is drawn: one box per line it covers, in text order. Empty when
/// none of its characters is drawn on a page (hidden text, flowing text, a picture).
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
pub struct RangeBoxes {
    /// First character offset, as asked.
    pub start: usize,
    /// One past the last character offset, as asked.
    pub end: usize,
    /// The boxes.
    pub boxes: Vec<PageBox>,
}

/// How many workspace documents' readings are kept: the one under review, the one before it,
/// and room for a side-by-side view.
const KEPT: usize = 4;

/// The workspace documents read for the page view, most recently used first. (A quick-check
/// document's reading is kept by the [`Workbench`] from the moment it is opened.)
#[derive(Default)]
pub struct Pages {
    kept: Mutex<Vec<(Key, Arc<Document>)>>,
}

/// A workspace document's reading is valid as long as its latest revision is the same one,
/// which its SHA-256 names.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Key {
    document: DocumentId,
    sha256: String,
}

impl Pages {
    /// The page sizes and photo facts of `source`.
    pub fn view(&self, bench: &Workbench, desk: &Desk, source: &PagesSource) -> Result<PagesView> {
        Ok(view(&*self.document(bench, desk, source)?))
    }

    /// The boxes of each of `ranges` on the pages of `source`.
    pub fn boxes(
        &self,
        bench: &Workbench,
        desk: &Desk,
        source: &PagesSource,
        ranges: &[CharRange],
    ) -> Result<Vec<RangeBoxes>> {
        let document = self.document(bench, desk, source)?;
        Ok(ranges.iter().map(|range| quads(&document, *range)).collect())
    }

    /// The original bytes of `source`, exactly as reviewed.
    pub fn original(&self, bench: &Workbench, desk: &Desk, source: &PagesSource) -> Result<Vec<u8>> {
        match source {
            PagesSource::Bench(id) => Ok(bench.original(*id)?.1),
            PagesSource::Desk(name) => {
                let document: DocumentId = name.parse()?;
                desk.with_session(|workspace, _| Ok(workspace.original(document)?.1))
            }
            PagesSource::Preview(name) => {
                let document: DocumentId = name.parse()?;
                desk.with_session(|workspace, _| Ok(workspace.preview(document)?.export.bytes))
            }
        }
    }

    /// The reading of `source`. A quick-check document keeps its own; a workspace document's
    /// is taken from the kept ones or read now (outside the lock: reading a large PDF takes a
    /// while, and other documents' requests need not wait for it).
    fn document(&self, bench: &Workbench, desk: &Desk, source: &PagesSource) -> Result<Arc<Document>> {
        let document: DocumentId = match source {
            PagesSource::Bench(id) => return bench.document(*id),
            PagesSource::Desk(name) => name.parse()?,
            // Not kept: the preview changes with every decision, and is made again each time
            // it is opened.
            PagesSource::Preview(name) => {
                let document: DocumentId = name.parse()?;
                return desk.with_session(|workspace, _| {
                    let preview = workspace.preview(document)?;
                    let read =
                        ingest::read_as(&preview.export.bytes, preview.revision.format, workspace.limits())?;
                    Ok(Arc::new(read))
                });
            }
        };
        let sha256 = desk.with_session(|workspace, _| Ok(workspace.revision(document)?.sha256))?;
        let key = Key { document, sha256 };
        // Bound first, so the lock is released before `keep` takes it again.
        let found = self.lock().iter().find(|(k, _)| *k == key).map(|(_, d)| Arc::clone(d));
        if let Some(found) = found {
            self.keep(key, Arc::clone(&found));
            return Ok(found);
        }
        let read = Arc::new(desk.with_session(|workspace, _| Ok(workspace.read_document(document)?.1))?);
        self.keep(key, Arc::clone(&read));
        Ok(read)
    }

    /// Puts `document` first, dropping the least recently used reading beyond [`KEPT`].
    fn keep(&self, key: Key, document: Arc<Document>) {
        let mut kept = self.lock();
        kept.retain(|(k, _)| *k != key);
        kept.insert(0, (key, document));
        kept.truncate(KEPT);
    }

    /// The kept readings, even if a panic elsewhere poisoned the lock: the list is only ever
    /// replaced entry by entry, and a stale entry is merely re-read.
    fn lock(&self) -> MutexGuard<'_, Vec<(Key, Arc<Document>)>> {
        self.kept.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The page view of `document`.
pub fn view(document: &Document) -> PagesView {
    let mime = match document.format() {
        Format::Pdf => "application/pdf",
        Format::Jpeg => "image/jpeg",
        Format::Png => "image/png",
        Format::Txt | Format::Md => "text/plain",
        Format::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    };
    let (layout, pages, photo) = match document.layout() {
        Layout::Pages { pages } => (
            PagesLayout::Pages,
            pages.iter().map(|p| PageSize { width: p.width, height: p.height }).collect(),
            None,
        ),
        Layout::Image { width, height } => (
            PagesLayout::Image,
            vec![PageSize { width: *width as f32, height: *height as f32 }],
            Some(photo_facts(document)),
        ),
        Layout::Flow => (PagesLayout::Flow, Vec::new(), None),
    };
    PagesView { layout, mime: mime.to_string(), pages, photo }
}

/// The metadata a photo's hidden items hold. The note that every picture must be reviewed by
/// eye is not a field of the photo, and is left to the hidden-items list.
fn photo_facts(document: &Document) -> PhotoFacts {
    let mut fields = Vec::new();
    let mut gps = None;
    for item in document.hidden_items() {
        let is_gps = item.kind == HiddenKind::GpsPosition;
        if !matches!(item.kind, HiddenKind::ImageMetadata | HiddenKind::GpsPosition | HiddenKind::Thumbnail) {
            continue;
        }
        if is_gps && gps.is_none() {
            gps = parse_gps(&item.text);
        }
        fields.push(PhotoField { label: item.label.clone(), text: item.text.clone(), gps: is_gps });
    }
    PhotoFacts { fields, gps }
}

/// Reads the position back from the text the image reader writes for it,
/// `"GPS 39.904211 N, 116.407394 E, altitude 43.5 m (...)"`. Any other text gives `None`, and
/// the field is still listed as text.
fn parse_gps(text: &str) -> Option<GpsPosition> {
    let rest = text.strip_prefix("GPS ")?;
    let mut parts = rest.splitn(3, ',');
    let signed = |part: &str, positive: &str, negative: &str| -> Option<f64> {
        let (number, hemisphere) = part.trim().split_once(' ')?;
        let value: f64 = number.parse().ok()?;
        let sign = match hemisphere.trim() {
            h if h == positive => 1.0,
            h if h == negative => -1.0,
            _ => return None,
        };
        value.is_finite().then_some(sign * value)
    };
    let latitude = signed(parts.next()?, "N", "S").filter(|v| v.abs() <= 90.0)?;
    let second = parts.next()?;
    // Without an altitude, the degrees/minutes/seconds follow the longitude directly.
    let longitude_part = second.split(" (").next()?;
    let longitude = signed(longitude_part, "E", "W").filter(|v| v.abs() <= 180.0)?;
    Some(GpsPosition { latitude, longitude, text: text.to_string() })
}

/// The boxes of the characters `range` covers, one per line: the glyph boxes of consecutive
/// characters are merged while they sit on one line (or one column, for vertical text).
/// Characters with no glyph (separators the reader inserted, hidden text) are skipped, and a
/// range past the visible text is cut at its end.
pub fn quads(document: &Document, range: CharRange) -> RangeBoxes {
    let mut boxes: Vec<PageBox> = Vec::new();
    if let Layout::Pages { pages } = document.layout() {
        let end = range.end.min(document.visible_char_len());
        let mut previous = None;
        for index in range.start..end {
            let Origin::Pdf { page, glyph } = document.origin(index) else { continue };
            // A ligature is the origin of each of its characters: one box is enough.
            if previous == Some((page, glyph)) {
                continue;
            }
            previous = Some((page, glyph));
            let Some(rect) = pages.get(page as usize).and_then(|p| p.glyphs.get(glyph as usize)) else {
                continue;
            };
            if !(rect.width > 0.0 && rect.height > 0.0) {
                continue;
            }
            let page = page.saturating_add(1);
            match boxes.last_mut() {
                Some(last) if last.page == page && continues_line(last, rect) => grow(last, rect),
                _ => {
                    boxes.push(PageBox { page, x: rect.x, y: rect.y, width: rect.width, height: rect.height })
                }
            }
        }
    }
    RangeBoxes { start: range.start, end: range.end, boxes }
}

/// True when glyph `next` continues the line (or column) that `line` covers so far.
///
/// Along a row: the two overlap vertically by at least half the smaller height, and the gap
/// is at most one glyph height — a word space, not a jump to another column. Down a column
/// (vertical CJK text): the box so far is no wider than about one glyph, they overlap
/// horizontally, and the gap is under half a glyph — tighter than the leading between two
/// rows of horizontal text, so the first glyph of the next row does not join the one above.
fn continues_line(line: &PageBox, next: &Rect) -> bool {
    let overlap = |a0: f32, a1: f32, b0: f32, b1: f32| a1.min(b1) - a0.max(b0);
    let height = line.height.min(next.height);
    let across_rows = overlap(line.y, line.y + line.height, next.y, next.y + next.height) >= 0.5 * height;
    let row_gap = next.x - (line.x + line.width);
    let along_row = across_rows && row_gap <= line.height.max(next.height) && row_gap >= -height;
    let width = line.width.min(next.width);
    let one_column = line.width <= 1.5 * next.width;
    let across_columns = overlap(line.x, line.x + line.width, next.x, next.x + next.width) >= 0.5 * width;
    let column_gap = next.y - (line.y + line.height);
    let down_column = one_column && across_columns && column_gap <= 0.5 * next.height && column_gap >= -width;
    along_row || down_column
}

fn grow(line: &mut PageBox, rect: &Rect) {
    let (x0, y0) = (line.x.min(rect.x), line.y.min(rect.y));
    let x1 = (line.x + line.width).max(rect.x + rect.width);
    let y1 = (line.y + line.height).max(rect.y + rect.height);
    *line = PageBox { page: line.page, x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

#[cfg(test)]
mod tests {
    use super::*;
    use vetted_core::{DocumentBuilder, HiddenItem, Location, PageGeometry, ingest};

    fn rect(x: f32, y: f32, width: f32, height: f32) -> Rect {
        Rect { x, y, width, height }
    }

    /// A one-page PDF document whose characters are `chars`, each with its glyph box (`None`:
    /// a separator the reader inserted).
    fn pdf(chars: &[(char, Option<Rect>)]) -> Document {
        let mut builder = DocumentBuilder::new(Format::Pdf);
        let mut glyphs = Vec::new();
        for (c, glyph) in chars {
            match glyph {
                Some(r) => {
                    builder.push(*c, Origin::Pdf { page: 0, glyph: glyphs.len() as u32 });
                    glyphs.push(*r);
                }
                None => builder.push(*c, Origin::Synthetic),
            }
        }
        builder.finish(Layout::Pages { pages: vec![PageGeometry { width: 600.0, height: 800.0, glyphs }] })
    }

    /// Characters laid out left to right on one line at `y`, 10 points apart, 8 wide.
    fn line(text: &str, x: f32, y: f32) -> Vec<(char, Option<Rect>)> {
        text.chars()
            .enumerate()
            .map(|(i, c)| (c, (c != ' ').then(|| rect(x + 10.0 * i as f32, y, 8.0, 12.0))))
            .collect()
    }

    fn check(document: &Document, range: (usize, usize), expected: &[(u32, f32, f32, f32, f32)]) {
        let got = quads(document, CharRange { start: range.0, end: range.1 });
        let got: Vec<_> = got.boxes.iter().map(|b| (b.page, b.x, b.y, b.width, b.height)).collect();
        assert_eq!(got, expected, "range {range:?}");
    }

    #[test]
    fn a_range_on_one_line_is_one_box_spanning_its_glyphs_and_the_spaces_between() {
        let document = pdf(&line("ab cd", 100.0, 50.0));
        check(&document, (0, 5), &[(1, 100.0, 50.0, 48.0, 12.0)]);
        check(&document, (3, 5), &[(1, 130.0, 50.0, 18.0, 12.0)]);
        check(&document, (1, 2), &[(1, 110.0, 50.0, 8.0, 12.0)]);
    }

    #[test]
    fn a_range_across_a_line_break_is_one_box_per_line() {
        let mut chars = line("abc", 100.0, 50.0);
        chars.push(('\n', None));
        chars.extend(line("de", 100.0, 70.0));
        check(&pdf(&chars), (1, 6), &[(1, 110.0, 50.0, 18.0, 12.0), (1, 100.0, 70.0, 18.0, 12.0)]);
        check(&pdf(&chars), (0, 6), &[(1, 100.0, 50.0, 28.0, 12.0), (1, 100.0, 70.0, 18.0, 12.0)]);
    }

    #[test]
    fn a_jump_to_another_column_on_the_same_row_starts_a_new_box() {
        let mut chars = line("ab", 100.0, 50.0);
        chars.extend(line("cd", 400.0, 50.0));
        check(&pdf(&chars), (0, 4), &[(1, 100.0, 50.0, 18.0, 12.0), (1, 400.0, 50.0, 18.0, 12.0)]);
    }

    #[test]
    fn vertical_text_is_one_box_per_column() {
        let chars: Vec<_> = "机密文"
            .chars()
            .enumerate()
            .map(|(i, c)| (c, Some(rect(300.0, 100.0 + 14.0 * i as f32, 12.0, 12.0))))
            .collect();
        check(&pdf(&chars), (0, 3), &[(1, 300.0, 100.0, 12.0, 40.0)]);
    }

    #[test]
    fn ranges_past_the_visible_text_or_without_glyphs_give_no_box() {
        let mut builder = DocumentBuilder::new(Format::Pdf);
        builder.push('a', Origin::Pdf { page: 0, glyph: 0 });
        builder.push('b', Origin::Pdf { page: 0, glyph: 7 }); // a glyph the page does not have
        builder.add_hidden(HiddenItem {
            kind: HiddenKind::Metadata,
            label: "Info /Author".into(),
            text: "张三".into(),
            location: Location::part("Info"),
        });
        let glyphs = vec![rect(10.0, 10.0, 5.0, 10.0)];
        let document = builder
            .finish(Layout::Pages { pages: vec![PageGeometry { width: 100.0, height: 100.0, glyphs }] });
        check(&document, (1, 2), &[]);
        check(&document, (3, 5), &[]);
        check(&document, (0, 99), &[(1, 10.0, 10.0, 5.0, 10.0)]);
        check(&document, (5, 2), &[]);
    }

    #[test]
    fn flowing_text_has_no_pages_and_no_boxes() {
        let mut builder = DocumentBuilder::new(Format::Txt);
        builder.push('a', Origin::Text { index: 0 });
        let document = builder.finish(Layout::Flow);
        let v = view(&document);
        assert_eq!((v.layout, v.pages.len(), v.photo), (PagesLayout::Flow, 0, None));
        check(&document, (0, 1), &[]);
    }

    fn fixture(name: &str) -> Vec<u8> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data").join(name);
        std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// The reportlab fixture, checked against the word boxes pdftotext reports for it
    /// (`pdftotext -bbox tests/data/reportlab.pdf`): "13800138000." on line 2 spans x 223.4 to
    /// 300.1 and y 83.3 to 94.4 in the same top-left space.
    #[test]
    fn boxes_of_a_real_pdf_sit_where_pdftotext_puts_the_words() {
        let document = ingest::read_as(&fixture("reportlab.pdf"), Format::Pdf, &Default::default()).unwrap();
        let v = view(&document);
        assert_eq!((v.layout, v.mime.as_str(), v.pages.len()), (PagesLayout::Pages, "application/pdf", 2));
        assert!((v.pages[0].width - 595.2756).abs() < 0.01 && (v.pages[0].height - 841.8898).abs() < 0.01);
        let start = document.visible_text().find("13800138000").unwrap();
        let start = document.char_offset(start);
        let got = quads(&document, CharRange { start, end: start + 11 });
        let [b] = got.boxes.as_slice() else { panic!("one box expected, got {:?}", got.boxes) };
        let near = |a: f32, b: f32| (a - b).abs() < 2.5;
        assert!(b.page == 1 && near(b.x, 223.4) && near(b.x + b.width, 297.0), "{b:?}");
        assert!(b.y < 86.0 && b.y + b.height > 92.0 && b.height < 16.0, "{b:?}");
    }

    #[test]
    fn a_photo_shows_its_size_metadata_and_gps_position() {
        let document = ingest::read_as(&fixture("photo.jpg"), Format::Jpeg, &Default::default()).unwrap();
        let v = view(&document);
        assert_eq!((v.layout, v.mime.as_str()), (PagesLayout::Image, "image/jpeg"));
        let Layout::Image { width, height } = document.layout() else { panic!("not an image") };
        assert_eq!(v.pages, vec![PageSize { width: *width as f32, height: *height as f32 }]);
        let photo = v.photo.unwrap();
        let gps = photo.gps.unwrap();
        assert!(
            (gps.latitude - 39.904211).abs() < 1e-5 && (gps.longitude - 116.407394).abs() < 1e-5,
            "{gps:?}"
        );
        assert!(photo.fields.iter().any(|f| f.gps && f.text == gps.text));
        assert!(photo.fields.iter().any(|f| !f.gps && f.label.starts_with("EXIF ")), "{:?}", photo.fields);
    }

    /// A new workspace in `desk` with a drafter, `li`, signed in.
    fn sign_in_a_drafter(desk: &Desk) {
        desk.create("admin", "correct horse battery").unwrap();
        desk.add_user("li", &["drafter".into()], "drafter passphrase").unwrap();
        desk.sign_in("li", "drafter passphrase").unwrap();
    }

    #[test]
    fn both_kinds_of_source_give_the_pages_the_bytes_and_the_boxes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notice.pdf");
        std::fs::write(&path, fixture("reportlab.pdf")).unwrap();
        let (bench, pages) = (Workbench::default(), Pages::default());
        let desk = Desk::new(Some(dir.path().join("workspace")));
        let id = bench.open(&path).unwrap().id;
        sign_in_a_drafter(&desk);
        assert_eq!(desk.import(&path).unwrap().document, "D1");
        let range = [CharRange { start: 0, end: 11 }];
        for source in [PagesSource::Bench(id), PagesSource::Desk("D1".into())] {
            assert_eq!(pages.view(&bench, &desk, &source).unwrap().pages.len(), 2, "{source:?}");
            assert_eq!(
                pages.original(&bench, &desk, &source).unwrap(),
                fixture("reportlab.pdf"),
                "{source:?}"
            );
            let boxes = pages.boxes(&bench, &desk, &source, &range).unwrap();
            assert_eq!(boxes[0].boxes.len(), 1, "{source:?}: {boxes:?}");
        }
    }

    /// Regression: the lookup held the lock of the kept readings while `keep` took it again,
    /// so the second request for a workspace document hung forever.
    #[test]
    fn a_kept_reading_is_found_again_without_deadlock() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notice.pdf");
        std::fs::write(&path, fixture("reportlab.pdf")).unwrap();
        let (bench, pages) = (Workbench::default(), Pages::default());
        let desk = Desk::new(Some(dir.path().join("workspace")));
        sign_in_a_drafter(&desk);
        desk.import(&path).unwrap();
        let source = PagesSource::Desk("D1".into());
        let first = pages.document(&bench, &desk, &source).unwrap();
        let again = pages.document(&bench, &desk, &source).unwrap();
        assert!(Arc::ptr_eq(&first, &again), "the second request reuses the first reading");
    }

    #[test]
    fn the_preview_source_gives_the_pages_of_the_public_version_as_the_export_will_write_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notice.pdf");
        std::fs::write(&path, fixture("reportlab.pdf")).unwrap();
        let (bench, pages) = (Workbench::default(), Pages::default());
        let desk = Desk::new(Some(dir.path().join("workspace")));
        sign_in_a_drafter(&desk);
        desk.import(&path).unwrap();
        let source = PagesSource::Preview("D1".into());
        assert_eq!(pages.view(&bench, &desk, &source).unwrap().pages.len(), 2);
        let bytes = pages.original(&bench, &desk, &source).unwrap();
        // Even with nothing decided, the public version has lost the original's metadata.
        assert_ne!(bytes, fixture("reportlab.pdf"));
        let exported = desk.with_session(|workspace, _| Ok(workspace.preview("D1".parse()?)?.export.bytes));
        assert_eq!(bytes, exported.unwrap());
    }

    #[test]
    fn unknown_sources_and_signed_out_desks_are_refused_with_stable_codes() {
        let dir = tempfile::tempdir().unwrap();
        let (bench, pages) = (Workbench::default(), Pages::default());
        let desk = Desk::new(Some(dir.path().join("workspace")));
        let code = |source: PagesSource| pages.view(&bench, &desk, &source).unwrap_err().kind().code();
        assert_eq!(code(PagesSource::Bench(7)), "not_found");
        assert_eq!(code(PagesSource::Desk("D1".into())), "authentication");
        desk.create("admin", "correct horse battery").unwrap();
        assert_eq!(code(PagesSource::Desk("D1".into())), "not_found");
        assert_eq!(code(PagesSource::Desk("page one".into())), "invalid_input");
        let original = pages.original(&bench, &desk, &PagesSource::Bench(7));
        assert_eq!(original.unwrap_err().kind().code(), "not_found");
    }

    #[test]
    fn gps_text_is_read_back_or_left_alone() {
        let check = |text: &str, expected: Option<(f64, f64)>| {
            assert_eq!(parse_gps(text).map(|g| (g.latitude, g.longitude)), expected, "{text:?}");
        };
        check(
            "GPS 39.904211 N, 116.407394 E, altitude 43.5 m (39°54'15\"N 116°24'27\"E)",
            Some((39.904211, 116.407394)),
        );
        check("GPS 33.868800 S, 151.209300 W (33°52'7\"S 151°12'33\"W)", Some((-33.8688, -151.2093)));
        check("GPS 91.0 N, 1.0 E", None);
        check("GPS 39.9 X, 116.4 E", None);
        check("GPSVersionID 2.2.0.0", None);
        check("", None);
    }
}

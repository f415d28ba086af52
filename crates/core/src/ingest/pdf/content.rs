//! The content-stream interpreter: runs a page's operators (and those of the Form XObjects it
//! draws) and records every glyph with its box, its text and the exact place it was drawn from.
//!
//! It is a pure function of the document and the page, so the redactor re-runs it at export time
//! and gets the same glyph list the review was made on: glyph `i` of a page is `Origin::Pdf {
//! glyph: i }`, and its [`GlyphSource`] names the stream, operator, array element and bytes to
//! remove. Only text and the operators that move it are interpreted; paths and images are noted
//! with the operators that draw them (area redaction removes or cleans them) but not drawn.

use std::collections::HashMap;
use std::rc::Rc;

use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Document, Object, ObjectId};

use super::font::{Font, FontKind, deref, number};
use crate::document::Rect;
use crate::error::{Error, Result};
use crate::limits::Limits;

/// Most Form XObject draws on one page. A form drawn twice by a form drawn twice... asks for
/// 2^depth draws within the depth limit (a "billion laughs" of forms); real pages draw a logo
/// or a repeated symbol some hundreds of times.
const MAX_FORM_DRAWS_PER_PAGE: usize = 100_000;

/// An affine matrix `[a b c d e f]`, applied to row vectors as PDF does: `[x y 1] × M`.
pub(crate) type Matrix = [f32; 6];

pub(crate) const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `a × b`: first `a`, then `b`.
pub(crate) fn multiply(a: &Matrix, b: &Matrix) -> Matrix {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

pub(crate) fn apply(m: &Matrix, x: f32, y: f32) -> (f32, f32) {
    (x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5])
}

/// One content stream as it is drawn on the page: the page's own content (stream 0), or one
/// placement of a Form XObject. A form drawn twice has two placements, so its glyphs can be
/// told apart and each placement redacted on its own copy.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Placement {
    /// The form's object, or `None` for the page content.
    pub(crate) form: Option<ObjectId>,
    /// The placement that draws this one, and the index of its `Do` operator there.
    pub(crate) parent: Option<(usize, usize)>,
}

/// Where a glyph was drawn from, precisely enough to delete it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct GlyphSource {
    /// Index into [`PageContent::placements`].
    pub(crate) placement: usize,
    /// Index of the text-showing operator in that stream's decoded operations.
    pub(crate) op: usize,
    /// Index of the string among the operator's operands (the TJ array element; 0 for Tj).
    pub(crate) element: usize,
    /// Byte range of the glyph's code within that string.
    pub(crate) bytes: std::ops::Range<usize>,
    /// The full horizontal displacement the glyph caused, in text space units before Th
    /// (`w0 × Tfs + Tc + Tw`), so that removing it can be compensated exactly.
    pub(crate) displacement: f32,
    /// The font size in force (Tfs) and horizontal scaling (Th), to express the displacement as
    /// a TJ number.
    pub(crate) font_size: f32,
    pub(crate) scaling: f32,
}

/// Why a glyph is not seen by a reader.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Visibility {
    Visible,
    /// Text render mode 3 (or 7): drawn with neither fill nor stroke, as OCR layers are.
    Invisible,
    /// Drawn outside the page's crop box.
    OffPage,
}

/// One glyph as drawn.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Glyph {
    /// Unicode text, or `None` when the font has no mapping for this code.
    pub(crate) text: Option<String>,
    /// The glyph's box in page coordinates (points, top-left origin).
    pub(crate) rect: Rect,
    /// Baseline origin in page coordinates.
    pub(crate) x: f32,
    pub(crate) y: f32,
    /// The writing direction on the page (unit vector; (1, 0) for upright text).
    pub(crate) dir: (f32, f32),
    /// How far along `dir` the glyph advances, in points.
    pub(crate) advance: f32,
    /// The font size as drawn on the page (points).
    pub(crate) size: f32,
    pub(crate) visibility: Visibility,
    pub(crate) source: GlyphSource,
    /// The font is Type3 (its glyphs are drawings).
    pub(crate) type3: bool,
}

/// Everything the interpreter learned about one page.
#[derive(Clone, Debug, Default)]
pub(crate) struct PageContent {
    pub(crate) width: f32,
    pub(crate) height: f32,
    pub(crate) placements: Vec<Placement>,
    pub(crate) glyphs: Vec<Glyph>,
    /// Some glyph's font cannot be mapped to Unicode.
    pub(crate) unmapped: bool,
    /// Replacement and alternate text of marked content written in the stream
    /// (`/Span <</ActualText (...)>> BDC`).
    pub(crate) alternate: Vec<String>,
    /// Some glyph is drawn in a vertical-writing font (an `-V` CMap), which the interpreter
    /// places as if horizontal: its boxes are approximate.
    pub(crate) vertical: bool,
    /// Pages that use pattern colour spaces or shadings.
    pub(crate) has_patterns: bool,
    /// Every painted path and image, with its box (page coordinates) and where it was drawn
    /// from, so that area redaction can remove or clean what lies under an area.
    pub(crate) drawings: Vec<Drawing>,
}

/// One painted path or image.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Drawing {
    /// Its bounding box in page coordinates (stroke width not counted).
    pub(crate) rect: Rect,
    /// The placement whose stream draws it.
    pub(crate) placement: usize,
    pub(crate) kind: DrawingKind,
}

/// What a [`Drawing`] is, and the operators that draw it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum DrawingKind {
    /// A path: its construction operators from `first` up to its painting operator `paint`;
    /// `clip` when a `W`/`W*` also makes it the clipping path.
    Path { first: usize, paint: usize, clip: bool },
    /// An Image XObject drawn by the `Do` at `op`, with the CTM (image space to default user
    /// space) in force there.
    Image { op: usize, id: ObjectId, ctm: Matrix },
    /// An inline image (`BI`) at `op`.
    InlineImage { op: usize },
}

/// How the page box maps user space to top-left page coordinates.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PageBox {
    pub(crate) x0: f32,
    pub(crate) y0: f32,
    pub(crate) x1: f32,
    pub(crate) y1: f32,
    pub(crate) rotate: i64,
}

impl PageBox {
    pub(crate) fn of(doc: &Document, page: ObjectId) -> PageBox {
        let crop = inherited(doc, page, b"CropBox").and_then(|o| rectangle(doc, o));
        let media = inherited(doc, page, b"MediaBox").and_then(|o| rectangle(doc, o));
        let [x0, y0, x1, y1] = crop.or(media).unwrap_or([0.0, 0.0, 612.0, 792.0]);
        let rotate =
            inherited(doc, page, b"Rotate").and_then(|o| o.as_i64().ok()).unwrap_or(0).rem_euclid(360);
        PageBox { x0, y0, x1, y1, rotate: rotate - rotate % 90 }
    }

    /// Width and height as displayed (after /Rotate).
    pub(crate) fn size(&self) -> (f32, f32) {
        let (w, h) = (self.x1 - self.x0, self.y1 - self.y0);
        if self.rotate % 180 == 0 { (w, h) } else { (h, w) }
    }

    /// A user-space point in displayed page coordinates (top-left origin).
    pub(crate) fn to_page(self, x: f32, y: f32) -> (f32, f32) {
        match self.rotate {
            90 => (y - self.y0, x - self.x0),
            180 => (self.x1 - x, y - self.y0),
            270 => (self.y1 - y, self.x1 - x),
            _ => (x - self.x0, self.y1 - y),
        }
    }

    /// A displayed page-coordinate point back in user space.
    pub(crate) fn to_user(self, x: f32, y: f32) -> (f32, f32) {
        match self.rotate {
            90 => (y + self.x0, x + self.y0),
            180 => (self.x1 - x, y + self.y0),
            270 => (self.x1 - y, self.y1 - x),
            _ => (x + self.x0, self.y1 - y),
        }
    }

    fn contains(&self, x: f32, y: f32) -> bool {
        let (lo_x, hi_x) = (self.x0.min(self.x1), self.x0.max(self.x1));
        let (lo_y, hi_y) = (self.y0.min(self.y1), self.y0.max(self.y1));
        (lo_x..=hi_x).contains(&x) && (lo_y..=hi_y).contains(&y)
    }
}

/// An entry of the page dictionary or the nearest ancestor that has it.
pub(crate) fn inherited<'d>(doc: &'d Document, page: ObjectId, key: &[u8]) -> Option<&'d Object> {
    let mut node = doc.get_dictionary(page).ok()?;
    for _ in 0..64 {
        if let Ok(value) = node.get(key) {
            return deref(doc, Some(value));
        }
        let parent = node.get(b"Parent").ok()?.as_reference().ok()?;
        node = doc.get_dictionary(parent).ok()?;
    }
    None
}

fn rectangle(doc: &Document, object: &Object) -> Option<[f32; 4]> {
    let a = object.as_array().ok()?;
    if a.len() != 4 {
        return None;
    }
    let n: Vec<f32> = a.iter().filter_map(|o| number(doc, Some(o))).collect();
    let [x0, y0, x1, y1] = n[..] else { return None };
    Some([x0.min(x1), y0.min(y1), x0.max(x1), y0.max(y1)])
}

/// The page's resource dictionary (its own, or the nearest ancestor's).
pub(crate) fn page_resources(doc: &Document, page: ObjectId) -> Option<&Dictionary> {
    inherited(doc, page, b"Resources").and_then(|o| o.as_dict().ok())
}

/// Decodes a content stream, failing on a syntax error instead of silently truncating (which
/// `Content::decode` does): text after the error would otherwise be missed by review and kept
/// by redaction.
pub(crate) fn decode(bytes: &[u8], what: &str) -> Result<Vec<Operation>> {
    Content::decode_strict(bytes).map(|c| c.operations).map_err(|e| {
        // lopdf's parser stops at its nesting limit with the same error as for any other
        // syntax error; a hostile file is told apart so the reviewer learns what is wrong.
        if nesting_depth(bytes) > LOPDF_MAX_NESTING {
            Error::limit(format!(
                "{what} has a content stream that nests arrays or dictionaries deeper than {LOPDF_MAX_NESTING} levels"
            ))
        } else {
            Error::malformed(format!("{what} has a content stream syntax error ({e})"))
        }
    })
}

/// The deepest nesting of arrays and dictionaries lopdf parses (`lopdf::reader::MAX_BRACKET`,
/// which lopdf does not export).
const LOPDF_MAX_NESTING: usize = 100;

/// The deepest nesting of arrays and dictionaries in a content stream, skipping literal strings
/// and comments. Only used to explain a syntax error, so binary inline-image data that happens
/// to hold brackets can at worst change which of two messages is given.
fn nesting_depth(bytes: &[u8]) -> usize {
    let (mut depth, mut deepest, mut i) = (0usize, 0usize, 0usize);
    while let Some(&byte) = bytes.get(i) {
        match byte {
            // A literal string: balanced parentheses, with backslash escapes.
            b'(' => {
                let mut open = 1usize;
                while open > 0 && i < bytes.len() {
                    i += 1;
                    match bytes.get(i) {
                        Some(b'\\') => i += 1,
                        Some(b'(') => open += 1,
                        Some(b')') => open -= 1,
                        _ => {}
                    }
                }
            }
            b'%' => {
                while !matches!(bytes.get(i), None | Some(b'\r' | b'\n')) {
                    i += 1;
                }
            }
            b'[' => depth += 1,
            b']' => depth = depth.saturating_sub(1),
            b'<' if bytes.get(i + 1) == Some(&b'<') => {
                depth += 1;
                i += 1;
            }
            b'>' if bytes.get(i + 1) == Some(&b'>') => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            _ => {}
        }
        deepest = deepest.max(depth);
        i += 1;
    }
    deepest
}

/// The decoded content of a placement: the page content (all /Contents streams joined) or a
/// form's stream.
pub(crate) fn stream_bytes(
    doc: &Document,
    page: ObjectId,
    form: Option<ObjectId>,
    limits: &Limits,
) -> Result<Vec<u8>> {
    let max = limits.max_part_bytes as usize;
    match form {
        None => doc.get_page_content_with_limit(page, max).map_err(|e| lopdf_limit(e, "page content")),
        Some(id) => {
            let stream = doc.get_object(id).and_then(Object::as_stream).map_err(|e| {
                Error::malformed(format!("Form XObject {} {} is not a stream ({e})", id.0, id.1))
            })?;
            if stream.dict.get(b"Filter").is_err() {
                return Ok(stream.content.clone());
            }
            stream.decompressed_content_with_limit(max).map_err(|e| lopdf_limit(e, "a Form XObject"))
        }
    }
}

fn lopdf_limit(e: lopdf::Error, what: &str) -> Error {
    match e {
        lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { limit }) => {
            Error::limit(format!("{what} decompresses to more than {limit} bytes"))
        }
        e => Error::malformed(format!("{what} cannot be decoded ({e})")),
    }
}

#[derive(Clone)]
struct GraphicsState<'a> {
    ctm: Matrix,
    char_spacing: f32,
    word_spacing: f32,
    scaling: f32,
    leading: f32,
    font_size: f32,
    rise: f32,
    render_mode: i64,
    font: Option<Rc<Font<'a>>>,
}

impl GraphicsState<'_> {
    fn new(ctm: Matrix) -> Self {
        GraphicsState {
            ctm,
            char_spacing: 0.0,
            word_spacing: 0.0,
            scaling: 1.0,
            leading: 0.0,
            font_size: 0.0,
            rise: 0.0,
            render_mode: 0,
            font: None,
        }
    }
}

/// Fonts resolved so far, shared by the pages of one document (a font object is loaded once).
#[derive(Default)]
pub(crate) struct Fonts<'a>(HashMap<FontKey, Rc<Font<'a>>>);

#[derive(Clone, PartialEq, Eq, Hash)]
enum FontKey {
    /// A font dictionary that is its own object.
    Object(ObjectId),
    /// A font dictionary written inline in a resource dictionary: page, placement, name.
    Inline(ObjectId, usize, Vec<u8>),
}

/// Interprets page `page_id` (1-based `number` for messages).
pub(crate) fn interpret_page<'a>(
    doc: &'a Document,
    page_id: ObjectId,
    number: u32,
    limits: &Limits,
    fonts: &mut Fonts<'a>,
) -> Result<PageContent> {
    let page_box = PageBox::of(doc, page_id);
    let (width, height) = page_box.size();
    let mut interpreter = Interpreter {
        doc,
        page_id,
        number,
        limits,
        page_box,
        fonts,
        content: PageContent { width, height, ..PageContent::default() },
        form_chain: Vec::new(),
        interpreted_bytes: 0,
    };
    let resources = page_resources(doc, page_id);
    interpreter.run(None, None, resources, IDENTITY, 0)?;
    Ok(interpreter.content)
}

struct Interpreter<'a, 'l, 'f> {
    doc: &'a Document,
    page_id: ObjectId,
    number: u32,
    limits: &'l Limits,
    page_box: PageBox,
    fonts: &'f mut Fonts<'a>,
    content: PageContent,
    /// Forms being drawn, outermost first: a form that draws itself is a loop.
    form_chain: Vec<ObjectId>,
    /// Content bytes interpreted for this page so far, counting a form once per draw.
    interpreted_bytes: u64,
}

impl<'a> Interpreter<'a, '_, '_> {
    fn run(
        &mut self,
        form: Option<ObjectId>,
        parent: Option<(usize, usize)>,
        resources: Option<&'a Dictionary>,
        ctm: Matrix,
        depth: usize,
    ) -> Result<()> {
        if depth > self.limits.max_depth {
            return Err(Error::limit(format!(
                "page {} nests Form XObjects deeper than the limit of {}",
                self.number, self.limits.max_depth
            )));
        }
        let placement = self.content.placements.len();
        if placement > MAX_FORM_DRAWS_PER_PAGE {
            return Err(Error::limit(format!(
                "page {} draws Form XObjects more than {MAX_FORM_DRAWS_PER_PAGE} times",
                self.number
            )));
        }
        self.content.placements.push(Placement { form, parent });
        let bytes = stream_bytes(self.doc, self.page_id, form, self.limits)?;
        // Each draw interprets the form again: bound the total as if it were one stream.
        self.interpreted_bytes += bytes.len() as u64;
        if self.interpreted_bytes > self.limits.max_part_bytes {
            return Err(Error::limit(format!(
                "page {} has more than {} bytes of content to interpret, counting each Form XObject \
                 once per draw",
                self.number, self.limits.max_part_bytes
            )));
        }
        let what = match form {
            None => format!("page {}", self.number),
            Some(id) => format!("page {} (Form XObject {} {})", self.number, id.0, id.1),
        };
        let operations = decode(&bytes, &what)?;
        if resources.and_then(|r| r.get(b"Pattern").ok()).is_some()
            || resources.and_then(|r| r.get(b"Shading").ok()).is_some()
        {
            self.content.has_patterns = true;
        }

        let mut stack: Vec<GraphicsState<'a>> = Vec::new();
        let mut gs = GraphicsState::new(ctm);
        let mut tm = IDENTITY;
        let mut tlm = IDENTITY;
        let mut path: Option<Rect> = None;
        // The first construction operator of the current path, and whether it clips.
        let mut path_start: Option<usize> = None;
        let mut clip = false;
        for (index, op) in operations.iter().enumerate() {
            let nums =
                || op.operands.iter().map(|o| number(self.doc, Some(o)).unwrap_or(0.0)).collect::<Vec<f32>>();
            match op.operator.as_str() {
                "q" => {
                    if stack.len() >= 4096 {
                        return Err(Error::limit(format!("{what} nests graphics states too deeply")));
                    }
                    stack.push(gs.clone());
                }
                "Q" => {
                    if let Some(saved) = stack.pop() {
                        gs = saved;
                    }
                }
                "cm" => {
                    if let [a, b, c, d, e, f] = nums()[..] {
                        gs.ctm = multiply(&[a, b, c, d, e, f], &gs.ctm);
                    }
                }
                "BT" => {
                    tm = IDENTITY;
                    tlm = IDENTITY;
                }
                "Tc" => gs.char_spacing = nums().first().copied().unwrap_or(0.0),
                "Tw" => gs.word_spacing = nums().first().copied().unwrap_or(0.0),
                "Tz" => gs.scaling = nums().first().copied().unwrap_or(100.0) / 100.0,
                "TL" => gs.leading = nums().first().copied().unwrap_or(0.0),
                "Ts" => gs.rise = nums().first().copied().unwrap_or(0.0),
                "Tr" => gs.render_mode = op.operands.first().and_then(|o| o.as_i64().ok()).unwrap_or(0),
                "Tf" => {
                    gs.font_size = op.operands.get(1).and_then(|o| number(self.doc, Some(o))).unwrap_or(0.0);
                    gs.font = match op.operands.first().and_then(|o| o.as_name().ok()) {
                        Some(name) => self.font(resources, placement, name),
                        None => None,
                    };
                }
                "Td" | "TD" => {
                    if let [tx, ty] = nums()[..] {
                        if op.operator == "TD" {
                            gs.leading = -ty;
                        }
                        tlm = multiply(&[1.0, 0.0, 0.0, 1.0, tx, ty], &tlm);
                        tm = tlm;
                    }
                }
                "Tm" => {
                    if let [a, b, c, d, e, f] = nums()[..] {
                        tlm = [a, b, c, d, e, f];
                        tm = tlm;
                    }
                }
                "T*" => {
                    tlm = multiply(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.leading], &tlm);
                    tm = tlm;
                }
                "Tj" | "'" | "\"" | "TJ" => {
                    if op.operator == "\"" {
                        let n = nums();
                        gs.word_spacing = n.first().copied().unwrap_or(gs.word_spacing);
                        gs.char_spacing = n.get(1).copied().unwrap_or(gs.char_spacing);
                    }
                    if op.operator == "'" || op.operator == "\"" {
                        tlm = multiply(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.leading], &tlm);
                        tm = tlm;
                    }
                    for (element, operand) in op.operands.iter().enumerate() {
                        match operand {
                            Object::String(bytes, _) => {
                                self.show(&gs, &mut tm, bytes, placement, index, element);
                            }
                            Object::Array(items) if op.operator == "TJ" => {
                                for (element, item) in items.iter().enumerate() {
                                    match item {
                                        Object::String(bytes, _) => {
                                            self.show(&gs, &mut tm, bytes, placement, index, element);
                                        }
                                        other => {
                                            let n = number(self.doc, Some(other)).unwrap_or(0.0);
                                            let tx = -n / 1000.0 * gs.font_size * gs.scaling;
                                            tm = multiply(&[1.0, 0.0, 0.0, 1.0, tx, 0.0], &tm);
                                        }
                                    }
                                }
                            }
                            _ => {}
                        }
                    }
                }
                "Do" => {
                    let Some(name) = op.operands.first().and_then(|o| o.as_name().ok()) else { continue };
                    self.draw_xobject(resources, name, placement, index, &gs, depth)?;
                }
                "BDC" | "DP" => {
                    for dict in op.operands.iter().filter_map(|o| o.as_dict().ok()) {
                        for key in [&b"ActualText"[..], b"Alt", b"E"] {
                            if let Some(text) =
                                dict.get(key).ok().and_then(|t| lopdf::decode_text_string(t).ok())
                                && !text.trim().is_empty()
                            {
                                self.content.alternate.push(text);
                            }
                        }
                    }
                }
                // An inline image (lopdf gives its dictionary and data as one BI operation).
                "BI" => {
                    let rect = self.unit_square(&gs.ctm);
                    let kind = DrawingKind::InlineImage { op: index };
                    self.content.drawings.push(Drawing { rect, placement, kind });
                }
                "m" | "l" | "c" | "v" | "y" => {
                    path_start.get_or_insert(index);
                    for pair in nums().chunks(2) {
                        if let [x, y] = *pair {
                            path = Some(self.extend(path, &gs.ctm, x, y));
                        }
                    }
                }
                "re" => {
                    path_start.get_or_insert(index);
                    if let [x, y, w, h] = nums()[..] {
                        for (px, py) in [(x, y), (x + w, y), (x, y + h), (x + w, y + h)] {
                            path = Some(self.extend(path, &gs.ctm, px, py));
                        }
                    }
                }
                "S" | "s" | "f" | "F" | "f*" | "B" | "B*" | "b" | "b*" => {
                    if let (Some(rect), Some(first)) = (path.take(), path_start.take()) {
                        let kind = DrawingKind::Path { first, paint: index, clip };
                        self.content.drawings.push(Drawing { rect, placement, kind });
                    }
                    clip = false;
                }
                "n" => {
                    path = None;
                    path_start = None;
                    clip = false;
                }
                "W" | "W*" => clip = true,
                "h" => {}
                "sh" => self.content.has_patterns = true,
                "d0" | "d1" => {}
                _ => {}
            }
        }
        Ok(())
    }

    fn font(
        &mut self,
        resources: Option<&'a Dictionary>,
        placement: usize,
        name: &[u8],
    ) -> Option<Rc<Font<'a>>> {
        let fonts =
            resources.and_then(|r| deref(self.doc, r.get(b"Font").ok())).and_then(|o| o.as_dict().ok())?;
        let entry = fonts.get(name).ok()?;
        let key = match entry {
            Object::Reference(id) => FontKey::Object(*id),
            _ => FontKey::Inline(self.page_id, placement, name.to_vec()),
        };
        if let Some(font) = self.fonts.0.get(&key) {
            return Some(font.clone());
        }
        let dict = deref(self.doc, Some(entry))?.as_dict().ok()?;
        let font = Rc::new(Font::load(self.doc, dict, self.limits.max_part_bytes as usize));
        self.fonts.0.insert(key, font.clone());
        Some(font)
    }

    fn draw_xobject(
        &mut self,
        resources: Option<&'a Dictionary>,
        name: &[u8],
        placement: usize,
        index: usize,
        gs: &GraphicsState<'a>,
        depth: usize,
    ) -> Result<()> {
        let Some(entry) = resources
            .and_then(|r| deref(self.doc, r.get(b"XObject").ok()))
            .and_then(|o| o.as_dict().ok())
            .and_then(|x| x.get(name).ok())
        else {
            return Ok(());
        };
        let Object::Reference(id) = entry else { return Ok(()) };
        let Ok(stream) = self.doc.get_object(*id).and_then(Object::as_stream) else { return Ok(()) };
        match stream.dict.get(b"Subtype").and_then(Object::as_name) {
            Ok(b"Form") => {}
            Ok(b"Image") => {
                let rect = self.unit_square(&gs.ctm);
                let kind = DrawingKind::Image { op: index, id: *id, ctm: gs.ctm };
                self.content.drawings.push(Drawing { rect, placement, kind });
                return Ok(());
            }
            _ => return Ok(()),
        }
        if self.form_chain.contains(id) {
            return Err(Error::malformed(format!(
                "page {} has a Form XObject ({} {}) that draws itself",
                self.number, id.0, id.1
            )));
        }
        let matrix = deref(self.doc, stream.dict.get(b"Matrix").ok())
            .and_then(|o| o.as_array().ok())
            .map(|a| a.iter().map(|n| number(self.doc, Some(n)).unwrap_or(0.0)).collect::<Vec<f32>>())
            .and_then(|m| <[f32; 6]>::try_from(m).ok())
            .unwrap_or(IDENTITY);
        // A form without /Resources inherits those of the stream that draws it (PDF 1.1 files).
        let form_resources = match stream.dict.get(b"Resources") {
            Ok(r) => deref(self.doc, Some(r)).and_then(|o| o.as_dict().ok()),
            Err(_) => resources,
        };
        self.form_chain.push(*id);
        let result = self.run(
            Some(*id),
            Some((placement, index)),
            form_resources,
            multiply(&matrix, &gs.ctm),
            depth + 1,
        );
        self.form_chain.pop();
        result
    }

    /// Grows a path's bounding box (page coordinates) by a user-space point.
    fn extend(&self, bounds: Option<Rect>, ctm: &Matrix, x: f32, y: f32) -> Rect {
        let (ux, uy) = apply(ctm, x, y);
        let (px, py) = self.page_box.to_page(ux, uy);
        match bounds {
            None => Rect { x: px, y: py, width: 0.0, height: 0.0 },
            Some(r) => {
                let (x0, y0) = (r.x.min(px), r.y.min(py));
                let (x1, y1) = ((r.x + r.width).max(px), (r.y + r.height).max(py));
                Rect { x: x0, y: y0, width: x1 - x0, height: y1 - y0 }
            }
        }
    }

    /// The box an image fills: the unit square through the CTM.
    fn unit_square(&self, ctm: &Matrix) -> Rect {
        let mut bounds = None;
        for (x, y) in [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)] {
            bounds = Some(self.extend(bounds, ctm, x, y));
        }
        bounds.unwrap_or(Rect { x: 0.0, y: 0.0, width: 0.0, height: 0.0 })
    }

    /// Places every glyph of one shown string and advances the text matrix.
    fn show(
        &mut self,
        gs: &GraphicsState<'a>,
        tm: &mut Matrix,
        bytes: &[u8],
        placement: usize,
        op: usize,
        element: usize,
    ) {
        let Some(font) = gs.font.clone() else {
            // Text shown in a font the page does not define (or whose resources never resolve):
            // poppler draws it in a substitute font, so a reader may well see it, but its codes
            // cannot be read as text with any confidence. The page is reviewed by eye.
            if !bytes.is_empty() {
                self.content.unmapped = true;
            }
            return;
        };
        if !font.mappable {
            self.content.unmapped = true;
        }
        if font.vertical {
            self.content.vertical = true;
        }
        let size = gs.font_size;
        let scale: Matrix = [size * gs.scaling, 0.0, 0.0, size, 0.0, gs.rise];
        for code in font.codes(bytes) {
            let w0 = font.advance(&code);
            let trm = multiply(&multiply(&scale, tm), &gs.ctm);
            let corners = [(0.0, font.descent), (w0, font.descent), (w0, font.ascent), (0.0, font.ascent)]
                .map(|(x, y)| {
                    let (ux, uy) = apply(&trm, x, y);
                    self.page_box.to_page(ux, uy)
                });
            let (min_x, max_x) =
                corners.iter().fold((f32::MAX, f32::MIN), |(lo, hi), c| (lo.min(c.0), hi.max(c.0)));
            let (min_y, max_y) =
                corners.iter().fold((f32::MAX, f32::MIN), |(lo, hi), c| (lo.min(c.1), hi.max(c.1)));
            let (ox, oy) = apply(&trm, 0.0, 0.0);
            let (ux, uy) = apply(&trm, 1.0, 0.0);
            let (cx, cy) = apply(&trm, w0 / 2.0, (font.ascent + font.descent) / 2.0);
            let (x, y) = self.page_box.to_page(ox, oy);
            let (px, py) = self.page_box.to_page(ux, uy);
            let em = ((px - x).powi(2) + (py - y).powi(2)).sqrt();
            let dir = if em > 0.0 && em.is_finite() { ((px - x) / em, (py - y) / em) } else { (1.0, 0.0) };
            let page_size = (trm[2] * trm[2] + trm[3] * trm[3]).sqrt();
            let visibility = if matches!(gs.render_mode, 3 | 7) {
                Visibility::Invisible
            } else if !self.page_box.contains(cx, cy) {
                Visibility::OffPage
            } else {
                Visibility::Visible
            };
            let word_spacing = if font.is_word_space(&code) { gs.word_spacing } else { 0.0 };
            let displacement = w0 * size + gs.char_spacing + word_spacing;
            let text = font.text(&code, bytes);
            if text.is_none() {
                self.content.unmapped = true;
            }
            self.content.glyphs.push(Glyph {
                text,
                rect: Rect { x: min_x, y: min_y, width: max_x - min_x, height: max_y - min_y },
                x,
                y,
                dir,
                advance: w0 * em,
                size: page_size,
                visibility,
                source: GlyphSource {
                    placement,
                    op,
                    element,
                    bytes: code.start..code.end,
                    displacement,
                    font_size: size,
                    scaling: gs.scaling,
                },
                type3: font.kind == FontKind::Type3,
            });
            *tm = multiply(&[1.0, 0.0, 0.0, 1.0, displacement * gs.scaling, 0.0], tm);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_depth_counts_arrays_and_dictionaries_but_not_strings_or_comments() {
        let check = |content: &str, expected: usize| {
            assert_eq!(nesting_depth(content.as_bytes()), expected, "{content}")
        };
        check("BT (x) Tj ET", 0);
        check("[(a) 10 (b)] TJ", 1);
        check("/Span <</MCID 0 /A [1 [2]]>> BDC", 3);
        check("<00ff> Tj [<01>] TJ", 1);
        check("([[[ \\) [[[) Tj", 0);
        check("% [[[[\n[(x)] TJ", 1);
        check("[[[", 3);
        check("]]] [", 1);
    }

    #[test]
    fn matrices_compose_first_then_second() {
        let translate = [1.0, 0.0, 0.0, 1.0, 10.0, 20.0];
        let scale = [2.0, 0.0, 0.0, 2.0, 0.0, 0.0];
        assert_eq!(apply(&multiply(&translate, &scale), 1.0, 1.0), (22.0, 42.0));
        assert_eq!(apply(&multiply(&scale, &translate), 1.0, 1.0), (12.0, 22.0));
    }

    #[test]
    fn page_coordinates_follow_rotation_and_round_trip() {
        for rotate in [0, 90, 180, 270] {
            let page = PageBox { x0: 0.0, y0: 0.0, x1: 600.0, y1: 800.0, rotate };
            let (x, y) = page.to_page(100.0, 700.0);
            assert_eq!(page.to_user(x, y), (100.0, 700.0), "rotate {rotate}");
        }
        let upright = PageBox { x0: 0.0, y0: 0.0, x1: 600.0, y1: 800.0, rotate: 0 };
        assert_eq!(upright.to_page(100.0, 700.0), (100.0, 100.0));
        let quarter = PageBox { rotate: 90, ..upright };
        assert_eq!(quarter.size(), (800.0, 600.0));
        assert_eq!(quarter.to_page(100.0, 700.0), (700.0, 100.0));
    }
}

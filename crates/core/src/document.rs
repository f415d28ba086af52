//! The format-neutral document every reader produces and every later stage consumes.
//!
//! A [`Document`] is a pure function of the input bytes: reading the same bytes twice gives the
//! same text, the same offsets and the same source map. That is what lets the workspace store
//! only the original bytes and character offsets, and lets the redactor re-read the original at
//! export time and map each redacted character back to the glyph or XML character it came from.
//!
//! The text has two parts. First the *visible* text in reading order, as a reader of the
//! published file sees it. Then, one block each, the text of every [`HiddenItem`] (a comment, a
//! tracked deletion, a metadata field, photo GPS...). Detection runs over both, so a secret in a
//! comment is found like one in the body, and a finding knows it is hidden from its block.
//!
//! Offsets everywhere are *character* offsets (Unicode scalar values) into [`Document::text`],
//! end exclusive.

use serde::{Deserialize, Serialize};

/// The formats Vetted reads, and exports in again.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Plain text.
    Txt,
    /// Markdown, read as plain text.
    Md,
    /// Office Open XML word-processing document.
    Docx,
    /// Portable Document Format.
    Pdf,
    /// JPEG photo.
    Jpeg,
    /// PNG image.
    Png,
}

impl Format {
    /// The short lowercase name used in JSON and file extensions (`"pdf"`, `"docx"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Txt => "txt",
            Format::Md => "md",
            Format::Docx => "docx",
            Format::Pdf => "pdf",
            Format::Jpeg => "jpeg",
            Format::Png => "png",
        }
    }

    /// True for the formats whose content is pictures rather than text.
    pub fn is_image(self) -> bool {
        matches!(self, Format::Jpeg | Format::Png)
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a passage is, in terms a reviewer can find: a page, a part, a paragraph.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Location {
    /// 1-based page number (PDF).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub page: Option<u32>,
    /// The part of the file: a DOCX part name (`word/footnotes.xml`), a metadata dictionary
    /// (`Info`, `XMP`, `EXIF`), or a PDF object (`annotation 3`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub part: Option<String>,
    /// 1-based paragraph (DOCX) or line (TXT) number within the part.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub paragraph: Option<u32>,
}

impl Location {
    /// A location on a PDF page.
    pub fn page(page: u32) -> Self {
        Location { page: Some(page), ..Location::default() }
    }

    /// A location in a named part.
    pub fn part(part: impl Into<String>) -> Self {
        Location { part: Some(part.into()), ..Location::default() }
    }

    /// A location in paragraph `paragraph` of part `part`.
    pub fn paragraph(part: impl Into<String>, paragraph: u32) -> Self {
        Location { part: Some(part.into()), paragraph: Some(paragraph), page: None }
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut parts = Vec::new();
        if let Some(page) = self.page {
            parts.push(format!("page {page}"));
        }
        if let Some(part) = &self.part {
            parts.push(part.clone());
        }
        if let Some(paragraph) = self.paragraph {
            parts.push(format!("¶{paragraph}"));
        }
        if parts.is_empty() { f.write_str("document") } else { f.write_str(&parts.join(", ")) }
    }
}

/// Where one character of [`Document::text`] comes from in the original file.
///
/// This is the source map: the redactor follows it from a character offset back to the exact
/// bytes to remove, and the desktop app follows it to the glyph box to highlight.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Origin {
    /// Inserted by the reader, not present in the file: a paragraph break, the space between two
    /// PDF words that the file positions apart rather than separates with a space glyph.
    Synthetic,
    /// Character `index` of the decoded text file.
    Text {
        /// Character index into the decoded file content.
        index: u32,
    },
    /// A character of a DOCX part: `atom` indexes the reader's atom list of part `part` (the
    /// order of parts and atoms is deterministic; see `ingest::docx`).
    Docx {
        /// Index of the part in reading order.
        part: u16,
        /// Index of the character atom within that part.
        atom: u32,
    },
    /// Glyph `glyph` of 0-based page `page`; its box is `Layout::Pages[page].glyphs[glyph]`.
    /// A glyph that stands for several characters (a ligature) is the origin of each of them.
    Pdf {
        /// 0-based page index.
        page: u32,
        /// Index into that page's glyph list.
        glyph: u32,
    },
    /// A character of the text of hidden item `item` (see [`Document::hidden_items`]).
    Hidden {
        /// Index into [`Document::hidden_items`].
        item: u32,
    },
}

/// What kind of content a reader of the published file does not see.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum HiddenKind {
    /// A reviewer comment, with its author.
    Comment,
    /// Text inserted with change tracking on, not yet accepted.
    TrackedInsertion,
    /// Text deleted with change tracking on: invisible, but still in the file.
    TrackedDeletion,
    /// Text moved with change tracking on (the old position still holds it).
    TrackedMove,
    /// The name of a person who made a tracked change or comment.
    Author,
    /// Text formatted as hidden (`w:vanish`), white on white, or otherwise not shown.
    HiddenText,
    /// A document-property or metadata field (title, author, company, XMP, PDF Info).
    Metadata,
    /// A path to the template the document was made from, often naming a user or server.
    Template,
    /// A document variable, custom XML part or data binding store.
    CustomData,
    /// The list of people who edited the document.
    People,
    /// An embedded object (OLE, a chart's workbook, an attached file).
    EmbeddedObject,
    /// A macro project or script.
    Script,
    /// EXIF or XMP data of a photo: camera, serial number, time, author.
    ImageMetadata,
    /// A GPS position recorded in a photo.
    GpsPosition,
    /// A small preview image stored beside the main content.
    Thumbnail,
    /// A PDF annotation and its text (note, popup, link target).
    Annotation,
    /// A file attached to a PDF.
    Attachment,
    /// The value of a form field.
    FormField,
    /// PDF text drawn invisible (render mode 3), off the page, or covered.
    InvisibleText,
    /// An earlier revision of a PDF kept by an incremental update.
    EarlierRevision,
    /// A page whose text cannot be mapped to Unicode: it must be reviewed by eye.
    Unsearchable,
    /// A picture whose content Vetted cannot read (a photo may show a forbidden area).
    ReviewByEye,
}

impl HiddenKind {
    /// The snake_case name, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            HiddenKind::Comment => "comment",
            HiddenKind::TrackedInsertion => "tracked_insertion",
            HiddenKind::TrackedDeletion => "tracked_deletion",
            HiddenKind::TrackedMove => "tracked_move",
            HiddenKind::Author => "author",
            HiddenKind::HiddenText => "hidden_text",
            HiddenKind::Metadata => "metadata",
            HiddenKind::Template => "template",
            HiddenKind::CustomData => "custom_data",
            HiddenKind::People => "people",
            HiddenKind::EmbeddedObject => "embedded_object",
            HiddenKind::Script => "script",
            HiddenKind::ImageMetadata => "image_metadata",
            HiddenKind::GpsPosition => "gps_position",
            HiddenKind::Thumbnail => "thumbnail",
            HiddenKind::Annotation => "annotation",
            HiddenKind::Attachment => "attachment",
            HiddenKind::FormField => "form_field",
            HiddenKind::InvisibleText => "invisible_text",
            HiddenKind::EarlierRevision => "earlier_revision",
            HiddenKind::Unsearchable => "unsearchable",
            HiddenKind::ReviewByEye => "review_by_eye",
        }
    }
}

/// Something in the file that a reader of the published version does not see.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HiddenItem {
    /// What kind of hidden content this is.
    pub kind: HiddenKind,
    /// A short description for the reviewer: `"comment by 张三"`, `"Info /Author"`.
    pub label: String,
    /// The content itself, searched like visible text. May be empty (an embedded object whose
    /// content is not text is reported by its label alone).
    pub text: String,
    /// Where it is.
    pub location: Location,
}

/// A run of text with one location: a paragraph, a line, a page, or one hidden item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Block {
    /// First character (offset into [`Document::text`]).
    pub start: usize,
    /// One past the last character.
    pub end: usize,
    /// Where the block is.
    pub location: Location,
    /// For the text of a hidden item, its index in [`Document::hidden_items`].
    pub hidden: Option<u32>,
}

/// An axis-aligned box on a page, in PDF points (or pixels for images), origin top-left.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rect {
    /// Left edge.
    pub x: f32,
    /// Top edge (distance from the top of the page).
    pub y: f32,
    /// Width.
    pub width: f32,
    /// Height.
    pub height: f32,
}

impl Rect {
    /// True when the two boxes share a region of positive area.
    pub fn intersects(&self, other: &Rect) -> bool {
        self.x < other.x + other.width
            && other.x < self.x + self.width
            && self.y < other.y + other.height
            && other.y < self.y + self.height
    }
}

/// One page's geometry: its size and the box of every glyph the source map points to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PageGeometry {
    /// Page width in points (after /Rotate).
    pub width: f32,
    /// Page height in points (after /Rotate).
    pub height: f32,
    /// The box of glyph `i`, for [`Origin::Pdf`]`{ glyph: i, .. }`.
    pub glyphs: Vec<Rect>,
}

/// How the document is laid out, for highlighting.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Layout {
    /// Flowing text (TXT, Markdown, DOCX): blocks are shown one after another.
    Flow,
    /// Fixed pages with glyph boxes (PDF).
    Pages {
        /// One entry per page, in order.
        pages: Vec<PageGeometry>,
    },
    /// A single picture.
    Image {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
    },
}

/// A document as Vetted reads it: text, source map, blocks, hidden items and layout.
#[derive(Clone, Debug)]
pub struct Document {
    format: Format,
    text: String,
    /// Byte offset of each character in `text`, plus `text.len()` at the end.
    byte_offsets: Vec<u32>,
    origins: Vec<Origin>,
    visible_chars: usize,
    blocks: Vec<Block>,
    hidden: Vec<HiddenItem>,
    layout: Layout,
}

impl Document {
    /// The format the document was read as.
    pub fn format(&self) -> Format {
        self.format
    }

    /// The whole text: visible text, then the text of each hidden item.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The visible text only: what a reader of the published file sees.
    pub fn visible_text(&self) -> &str {
        &self.text[..self.byte_offsets[self.visible_chars] as usize]
    }

    /// Number of characters in [`Document::text`].
    pub fn char_len(&self) -> usize {
        self.origins.len()
    }

    /// Number of characters of visible text (hidden text starts at this offset).
    pub fn visible_char_len(&self) -> usize {
        self.visible_chars
    }

    /// The text between two character offsets. Offsets past the end are clamped.
    pub fn slice(&self, start: usize, end: usize) -> &str {
        let end = end.min(self.char_len());
        let start = start.min(end);
        &self.text[self.byte_offsets[start] as usize..self.byte_offsets[end] as usize]
    }

    /// The byte offset in [`Document::text`] of character offset `index` (clamped).
    pub fn byte_offset(&self, index: usize) -> usize {
        self.byte_offsets[index.min(self.char_len())] as usize
    }

    /// The character offset of byte offset `byte` in [`Document::text`] (which must be a char
    /// boundary; a byte inside a character maps to that character).
    pub fn char_offset(&self, byte: usize) -> usize {
        match self.byte_offsets.binary_search(&(byte as u32)) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// Where character `index` comes from.
    pub fn origin(&self, index: usize) -> Origin {
        self.origins[index]
    }

    /// The source map: one [`Origin`] per character.
    pub fn origins(&self) -> &[Origin] {
        &self.origins
    }

    /// The blocks (paragraphs, lines, pages, hidden items) in text order; they do not overlap.
    pub fn blocks(&self) -> &[Block] {
        &self.blocks
    }

    /// The block holding character `index`, if any (separators between blocks belong to none).
    pub fn block_at(&self, index: usize) -> Option<&Block> {
        let i = self.blocks.partition_point(|b| b.end <= index);
        self.blocks.get(i).filter(|b| b.start <= index)
    }

    /// Everything in the file that a reader does not see.
    pub fn hidden_items(&self) -> &[HiddenItem] {
        &self.hidden
    }

    /// The page or image geometry, for highlighting.
    pub fn layout(&self) -> &Layout {
        &self.layout
    }
}

/// Builds a [`Document`] character by character; used by the format readers.
///
/// Readers push visible characters with their origins, close blocks as paragraphs or pages end,
/// and add hidden items; [`DocumentBuilder::finish`] appends the hidden items' text after the
/// visible text, one block each.
#[derive(Debug)]
pub struct DocumentBuilder {
    format: Format,
    text: String,
    byte_offsets: Vec<u32>,
    origins: Vec<Origin>,
    blocks: Vec<Block>,
    block_start: usize,
    hidden: Vec<HiddenItem>,
}

impl DocumentBuilder {
    /// Starts an empty document of `format`.
    pub fn new(format: Format) -> Self {
        DocumentBuilder {
            format,
            text: String::new(),
            byte_offsets: Vec::new(),
            origins: Vec::new(),
            blocks: Vec::new(),
            block_start: 0,
            hidden: Vec::new(),
        }
    }

    /// Starts an empty document of `format` with room for `bytes` bytes of text in `chars`
    /// characters. A reader that knows its text's size up front (a text file) says so: the
    /// per-character vectors then never reallocate, where growing them by doubling copies them
    /// again and again and touches each page of memory several times — for a text file, most
    /// of the cost of reading it.
    pub fn with_capacity(format: Format, bytes: usize, chars: usize) -> Self {
        DocumentBuilder {
            text: String::with_capacity(bytes),
            byte_offsets: Vec::with_capacity(chars),
            origins: Vec::with_capacity(chars),
            ..DocumentBuilder::new(format)
        }
    }

    /// Number of characters pushed so far.
    pub fn len(&self) -> usize {
        self.origins.len()
    }

    /// True when nothing has been pushed.
    pub fn is_empty(&self) -> bool {
        self.origins.is_empty()
    }

    /// The text pushed so far.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Appends one character with its origin to the current block.
    pub fn push(&mut self, c: char, origin: Origin) {
        self.byte_offsets.push(self.text.len() as u32);
        self.text.push(c);
        self.origins.push(origin);
    }

    /// Appends every character of `s`, the `i`-th of them with origin `origin(i)`: a run of
    /// text that comes from the file as one piece (a whole text file), without pushing it
    /// character by character.
    pub fn push_str(&mut self, s: &str, mut origin: impl FnMut(usize) -> Origin) {
        let base = self.text.len();
        self.text.push_str(s);
        for (i, (at, _)) in s.char_indices().enumerate() {
            self.byte_offsets.push((base + at) as u32);
            self.origins.push(origin(i));
        }
    }

    /// Appends characters that the reader inserts (separators), not present in the file.
    pub fn push_synthetic(&mut self, s: &str) {
        for c in s.chars() {
            self.push(c, Origin::Synthetic);
        }
    }

    /// Closes the current block at `location` if it holds any character, then separates the
    /// next block from it with a synthetic line break. Returns whether a block was closed.
    pub fn end_block(&mut self, location: Location) -> bool {
        let end = self.len();
        if end == self.block_start {
            return false;
        }
        self.blocks.push(Block { start: self.block_start, end, location, hidden: None });
        self.push_synthetic("\n");
        self.block_start = self.len();
        true
    }

    /// Records a block over characters already pushed, for readers whose text holds its own
    /// separators (plain text). Blocks must be added in order and must not overlap.
    pub fn add_block(&mut self, start: usize, end: usize, location: Location) {
        debug_assert!(start <= end && end <= self.len());
        debug_assert!(self.blocks.last().is_none_or(|b| b.end <= start));
        if end > start {
            self.blocks.push(Block { start, end, location, hidden: None });
        }
        self.block_start = self.len();
    }

    /// Records a hidden item; its text is appended after the visible text by `finish`.
    pub fn add_hidden(&mut self, item: HiddenItem) {
        self.hidden.push(item);
    }

    /// Finishes the document with its layout.
    ///
    /// Any characters pushed after the last closed block are closed into a block without
    /// location. Then each hidden item's text (or its label, when it has no text) becomes one
    /// hidden block.
    pub fn finish(mut self, layout: Layout) -> Document {
        if self.len() > self.block_start {
            let end = self.len();
            self.blocks.push(Block {
                start: self.block_start,
                end,
                location: Location::default(),
                hidden: None,
            });
        }
        let visible_chars = self.len();
        let hidden = std::mem::take(&mut self.hidden);
        for (i, item) in hidden.iter().enumerate() {
            if !self.text.is_empty() && !self.text.ends_with('\n') {
                self.push_synthetic("\n");
            }
            let start = self.len();
            let content = if item.text.is_empty() { &item.label } else { &item.text };
            for c in content.chars() {
                self.push(c, Origin::Hidden { item: i as u32 });
            }
            let end = self.len();
            self.blocks.push(Block { start, end, location: item.location.clone(), hidden: Some(i as u32) });
            self.push_synthetic("\n");
        }
        self.byte_offsets.push(self.text.len() as u32);
        Document {
            format: self.format,
            text: self.text,
            byte_offsets: self.byte_offsets,
            origins: self.origins,
            visible_chars,
            blocks: self.blocks,
            hidden,
            layout,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_str_builds_the_same_document_as_pushing_each_character() {
        let check = |text: &str| {
            let origin = |i: usize| Origin::Text { index: i as u32 + 7 };
            let mut one_by_one = DocumentBuilder::new(Format::Txt);
            one_by_one.push('>', Origin::Synthetic);
            for (i, c) in text.chars().enumerate() {
                one_by_one.push(c, origin(i));
            }
            let mut at_once =
                DocumentBuilder::with_capacity(Format::Txt, 1 + text.len(), 1 + text.chars().count());
            at_once.push('>', Origin::Synthetic);
            at_once.push_str(text, origin);
            let (a, b) = (one_by_one.finish(Layout::Flow), at_once.finish(Layout::Flow));
            assert_eq!((a.text(), a.origins()), (b.text(), b.origins()), "{text:?}");
            for i in 0..=a.char_len() {
                assert_eq!(a.slice(i, a.char_len()), b.slice(i, b.char_len()), "{text:?} from {i}");
            }
        };
        check("");
        check("plain ASCII");
        check("机密★10年，联系电话13800138000。");
        check("é😀\r\n混合 text");
    }

    #[test]
    fn hidden_items_follow_the_visible_text_one_block_each() {
        let mut b = DocumentBuilder::new(Format::Docx);
        for (i, c) in "公开".chars().enumerate() {
            b.push(c, Origin::Docx { part: 0, atom: i as u32 });
        }
        b.end_block(Location::paragraph("word/document.xml", 1));
        b.add_hidden(HiddenItem {
            kind: HiddenKind::Comment,
            label: "comment by 张三".into(),
            text: "机密".into(),
            location: Location::part("word/comments.xml"),
        });
        let doc = b.finish(Layout::Flow);
        assert_eq!(doc.visible_text(), "公开\n");
        assert_eq!(doc.text(), "公开\n机密\n");
        let hidden = doc.block_at(3).unwrap();
        assert_eq!((hidden.start, hidden.end, hidden.hidden), (3, 5, Some(0)));
        assert_eq!(doc.slice(3, 5), "机密");
        assert_eq!(doc.origin(4), Origin::Hidden { item: 0 });
        assert!(doc.block_at(2).is_none(), "the separator belongs to no block");
    }

    #[test]
    fn char_and_byte_offsets_round_trip_over_multibyte_text() {
        let mut b = DocumentBuilder::new(Format::Txt);
        for (i, c) in "a机b".chars().enumerate() {
            b.push(c, Origin::Text { index: i as u32 });
        }
        let doc = b.finish(Layout::Flow);
        assert_eq!(doc.byte_offset(2), 4);
        assert_eq!(doc.char_offset(4), 2);
        assert_eq!(doc.slice(1, 2), "机");
    }
}

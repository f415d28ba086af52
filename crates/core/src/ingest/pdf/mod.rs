//! The PDF reader: every glyph with its box and text, lines in reading order, and everything a
//! reader of the page does not see.
//!
//! - `content` interprets content streams (and Form XObjects) into glyphs with their sources,
//! - `font` resolves code lengths, widths and Unicode,
//! - `text` lays glyphs out as lines,
//! - `hidden` walks metadata, annotations, attachments, scripts and form fields,
//! - this module loads the file safely, puts the pieces into a [`Document`], and reports text
//!   drawn invisible or off the page, unsearchable pages, and earlier revisions.
//!
//! The redactor (`redact::pdf`) uses [`load`], [`pages`] and `content::interpret_page` again at
//! export time: the same bytes give the same glyphs, so `Origin::Pdf` means the same glyph.

pub(crate) mod content;
pub(crate) mod font;
pub(crate) mod hidden;
mod metrics;
pub(crate) mod text;

use std::panic::{AssertUnwindSafe, catch_unwind};

use lopdf::ObjectId;

use self::content::{Glyph, PageContent, Visibility};
use self::text::Piece;
use crate::document::{
    Document, DocumentBuilder, Format, HiddenItem, HiddenKind, Layout, Location, Origin, PageGeometry,
};
use crate::error::{Error, ErrorKind, Result};
use crate::limits::Limits;

pub(super) fn read(bytes: &[u8], limits: &Limits) -> Result<Document> {
    guarded(|| read_document(bytes, limits, true))
}

/// Runs `f`, turning a panic into an error.
///
/// lopdf is not hardened against hostile input: some malformed files make it index out of
/// bounds or overflow. A draft must never bring down the workstation, so any panic while
/// reading becomes a `Malformed` error (the default panic hook still writes its message to
/// stderr, which the CLI and app may silence).
pub(crate) fn guarded<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|_| {
        Err(Error::malformed("the PDF is malformed (its structure could not be parsed safely)"))
    })
}

/// Loads the file with the limits applied, mapping lopdf's errors to ours.
pub(crate) fn load(bytes: &[u8], limits: &Limits) -> Result<lopdf::Document> {
    let options = lopdf::LoadOptions {
        max_decompressed_size: Some(limits.max_part_bytes as usize),
        ..lopdf::LoadOptions::default()
    };
    let doc = lopdf::Document::load_mem_with_options(bytes, options).map_err(|e| match e {
        lopdf::Error::Decryption(_)
        | lopdf::Error::InvalidPassword
        | lopdf::Error::UnsupportedSecurityHandler(_)
        | lopdf::Error::AlreadyEncrypted => {
            Error::new(ErrorKind::Encrypted, format!("the PDF is encrypted and needs a password ({e})"))
        }
        lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { limit }) => {
            Error::limit(format!("a stream of the PDF decompresses to more than {limit} bytes"))
        }
        lopdf::Error::ReferenceLimit | lopdf::Error::RecursionLimit | lopdf::Error::ReferenceCycle(_) => {
            Error::malformed(format!("the PDF's objects refer to each other in a loop or too deeply ({e})"))
        }
        e => Error::malformed(format!("the PDF cannot be parsed ({e})")),
    })?;
    if doc.is_encrypted() {
        return Err(Error::new(ErrorKind::Encrypted, "the PDF is encrypted and needs a password"));
    }
    if doc.objects.len() > limits.max_pdf_objects {
        return Err(Error::limit(format!(
            "the PDF has {} objects, more than the limit of {}",
            doc.objects.len(),
            limits.max_pdf_objects
        )));
    }
    if doc.catalog().is_err() {
        return Err(Error::malformed("the PDF has no document catalog (broken cross-reference table?)"));
    }
    Ok(doc)
}

/// The pages in order: 1-based number and page object.
pub(crate) fn pages(doc: &lopdf::Document) -> Vec<(u32, ObjectId)> {
    doc.get_pages().into_iter().collect()
}

fn read_document(bytes: &[u8], limits: &Limits, with_revisions: bool) -> Result<Document> {
    let doc = load(bytes, limits)?;
    let pages = pages(&doc);
    if pages.is_empty() {
        return Err(Error::malformed("the PDF has no pages (broken page tree?)"));
    }
    let mut builder = DocumentBuilder::new(Format::Pdf);
    let mut geometry = Vec::with_capacity(pages.len());
    let mut hidden = Vec::new();
    for &(number, page_id) in &pages {
        let content = content::interpret_page(&doc, page_id, number, limits)?;
        let page_index = number.saturating_sub(1);
        let visible: Vec<usize> = select(&content.glyphs, Visibility::Visible);
        for line in text::lines(&content.glyphs, &visible) {
            push_line(&mut builder, &content.glyphs, &line.pieces, page_index);
            if !line.joins_next {
                builder.end_block(Location::page(number));
            }
        }
        builder.end_block(Location::page(number));
        for (visibility, label) in [
            (Visibility::Invisible, format!("text drawn invisible on page {number}")),
            (Visibility::OffPage, format!("text drawn outside page {number}")),
        ] {
            let selected = select(&content.glyphs, visibility);
            let lines = text::lines(&content.glyphs, &selected);
            let text = text::plain(&content.glyphs, &lines);
            if !text.trim().is_empty() {
                hidden.push(HiddenItem {
                    kind: HiddenKind::InvisibleText,
                    label,
                    text: text.trim_end().to_owned(),
                    location: Location::page(number),
                });
            }
        }
        if content.unmapped {
            hidden.push(HiddenItem {
                kind: HiddenKind::Unsearchable,
                label: format!("page {number} cannot be searched — review it by eye"),
                text: String::new(),
                location: Location::page(number),
            });
        }
        geometry.push(page_geometry(&content));
    }
    hidden.extend(hidden::collect(&doc, &pages, limits));
    if with_revisions {
        hidden.extend(earlier_revisions(bytes, &doc, &builder, limits));
    }
    for item in hidden {
        builder.add_hidden(item);
    }
    Ok(builder.finish(Layout::Pages { pages: geometry }))
}

fn select(glyphs: &[Glyph], visibility: Visibility) -> Vec<usize> {
    glyphs.iter().enumerate().filter(|(_, g)| g.visibility == visibility).map(|(i, _)| i).collect()
}

fn push_line(builder: &mut DocumentBuilder, glyphs: &[Glyph], pieces: &[Piece], page: u32) {
    for piece in pieces {
        match *piece {
            Piece::Space => builder.push_synthetic(" "),
            Piece::Glyph(i) => {
                let origin = Origin::Pdf { page, glyph: i as u32 };
                for c in glyphs[i].text.as_deref().unwrap_or("").chars() {
                    builder.push(c, origin);
                }
            }
        }
    }
}

fn page_geometry(content: &PageContent) -> PageGeometry {
    PageGeometry {
        width: content.width,
        height: content.height,
        glyphs: content.glyphs.iter().map(|g| g.rect).collect(),
    }
}

/// An incremental update appends a new revision and keeps the old one in the file: whatever the
/// author "deleted" is still there for anyone who truncates the file at the earlier `%%EOF`.
/// Each earlier revision that loads is read and the lines it has that the final one lacks become
/// the item's text; one that does not load is still reported, by its label.
fn earlier_revisions(
    bytes: &[u8],
    doc: &lopdf::Document,
    current: &DocumentBuilder,
    limits: &Limits,
) -> Vec<HiddenItem> {
    if doc.revision_count() <= 1 {
        return Vec::new();
    }
    let current_lines: std::collections::HashSet<&str> = current.text().lines().map(str::trim).collect();
    let mut items = Vec::new();
    let ends = eof_offsets(bytes);
    let mut revision = 0;
    for &end in ends.iter().take(ends.len().saturating_sub(1)) {
        let prefix = &bytes[..end];
        let earlier = guarded(|| read_document(prefix, limits, false));
        let Ok(earlier) = earlier else { continue };
        revision += 1;
        let removed: Vec<&str> = earlier
            .visible_text()
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !current_lines.contains(l))
            .collect();
        items.push(HiddenItem {
            kind: HiddenKind::EarlierRevision,
            label: format!("earlier revision {revision} kept by an incremental update"),
            text: removed.join("\n"),
            location: Location::part(format!("revision {revision}")),
        });
    }
    if items.is_empty() {
        items.push(HiddenItem {
            kind: HiddenKind::EarlierRevision,
            label: format!("{} earlier revision(s) kept by incremental updates", doc.revision_count() - 1),
            text: String::new(),
            location: Location::part("revisions"),
        });
    }
    items
}

/// Byte offsets just past each `%%EOF` marker (and its line end).
fn eof_offsets(bytes: &[u8]) -> Vec<usize> {
    let mut ends = Vec::new();
    let mut from = 0;
    while let Some(at) = bytes[from..].windows(5).position(|w| w == b"%%EOF") {
        let mut end = from + at + 5;
        while end < bytes.len() && matches!(bytes[end], b'\r' | b'\n') {
            end += 1;
        }
        ends.push(end);
        from = end;
    }
    ends
}

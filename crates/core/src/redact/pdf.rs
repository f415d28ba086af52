//! PDF redaction: the planned glyphs are deleted from the content streams, the remaining glyphs
//! stay exactly where they were, an opaque box marks each removed passage, and everything a
//! reader does not see is removed from the file, which is then written whole.
//!
//! How (NOTES/redaction.md §1, "Recommended algorithm"):
//! - The reader's interpreter runs again on the original (a pure function), so glyph `i` of a
//!   page is the glyph the reviewer saw as `Origin::Pdf { glyph: i }`, and its `GlyphSource`
//!   names the stream, operator, array element and bytes that drew it.
//! - Each text operator that draws a removed glyph is rewritten as one `TJ` whose kept strings
//!   keep their bytes and form; each removed glyph becomes a number worth exactly its advance, so
//!   nothing after it moves.
//! - A Form XObject with a removed glyph is copied for that placement (a form drawn twice, or on
//!   two pages, may lose a glyph in one place only); the stream that draws it gets a fresh copy
//!   of its resources naming the copy. The page gets one new content stream.
//! - Text drawn invisible or off the page is removed everywhere: it is a hidden item.
//! - Document level: Info, XMP (catalog and per object), annotations, attachments, JavaScript and
//!   actions, AcroForm, outlines, structure ActualText/Alt, thumbnails and page-piece data are
//!   removed; the file is rewritten whole (no incremental history) and unreferenced objects are
//!   pruned, so the replaced streams are gone from the bytes.
//!
//! It fails closed, with `RedactionUnsafe` naming the page, where it cannot be sure: a Type3
//! font, a pattern or shading, or a font without Unicode mapping on a page with a planned
//! redaction; an inline image in a stream it must rewrite (lopdf cannot re-encode it); an image
//! or a drawing under a planned area; a zero font size on a removed glyph.

use std::collections::{BTreeMap, BTreeSet};

use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Object, ObjectId, Stream};

use super::RedactionPlan;
use crate::document::{Document, Origin, Rect};
use crate::error::{Error, ErrorKind, Result};
use crate::ingest::pdf::content::{
    self, Glyph, PageBox, PageContent, Visibility, interpret_page, page_resources, stream_bytes,
};
use crate::ingest::pdf::{self as reader, font::deref};
use crate::limits::Limits;

/// Keys that carry text or data a reader does not see, removed from every dictionary.
const SCRUBBED_EVERYWHERE: [&[u8]; 4] = [b"ActualText", b"Alt", b"Metadata", b"PieceInfo"];

pub(super) fn redact(
    original: &[u8],
    document: &Document,
    plan: &RedactionPlan,
    limits: &Limits,
) -> Result<Vec<u8>> {
    reader::guarded(|| redact_pdf(original, document, plan, limits))
}

fn unsafe_page(number: u32, why: &str) -> Error {
    Error::new(ErrorKind::RedactionUnsafe, format!("page {number}: {why}; the export was refused"))
}

fn redact_pdf(
    original: &[u8],
    document: &Document,
    plan: &RedactionPlan,
    limits: &Limits,
) -> Result<Vec<u8>> {
    let mut doc = reader::load(original, limits)?;
    let pages = reader::pages(&doc);

    // The glyphs behind every planned character, by 0-based page.
    let mut planned: BTreeMap<u32, BTreeSet<u32>> = BTreeMap::new();
    for (start, end, _) in plan.merged_visible_ranges(document) {
        for i in start..end {
            if let Origin::Pdf { page, glyph } = document.origin(i) {
                planned.entry(page).or_default().insert(glyph);
            }
        }
    }
    let mut areas: BTreeMap<u32, Vec<Rect>> = BTreeMap::new();
    for area in &plan.areas {
        if area.page == 0 || area.page as usize > pages.len() {
            return Err(Error::new(
                ErrorKind::InvalidInput,
                format!(
                    "a redaction area is on page {}, but the document has {} pages",
                    area.page,
                    pages.len()
                ),
            ));
        }
        areas.entry(area.page - 1).or_default().push(area.rect);
    }

    for &(number, page_id) in &pages {
        let index = number.saturating_sub(1);
        let content = interpret_page(&doc, page_id, number, limits)?;
        let planned = planned.get(&index);
        let areas = areas.get(&index).map(Vec::as_slice).unwrap_or(&[]);
        let (remove, boxes) = removals(&content, planned, areas);
        let redacting = planned.is_some() || !areas.is_empty();
        if redacting {
            refuse_unsafe(&content, number, planned.is_some(), areas)?;
        }
        rewrite_page(&mut doc, page_id, number, &content, &remove, &boxes, limits)?;
    }

    sanitize(&mut doc);
    doc.prune_objects();
    let mut out = Vec::new();
    doc.save_to(&mut out)
        .map_err(|e| Error::new(ErrorKind::Io, format!("the PDF cannot be written ({e})")))?;
    Ok(out)
}

/// Which glyphs go, and the boxes that mark where visible text went.
fn removals(
    content: &PageContent,
    planned: Option<&BTreeSet<u32>>,
    areas: &[Rect],
) -> (Vec<bool>, Vec<Rect>) {
    let mut remove = vec![false; content.glyphs.len()];
    let mut boxes: Vec<Rect> = Vec::new();
    for (i, glyph) in content.glyphs.iter().enumerate() {
        if glyph.visibility != Visibility::Visible {
            remove[i] = true;
            continue;
        }
        let in_plan = planned.is_some_and(|p| p.contains(&(i as u32)));
        // A glyph box is shrunk by a tenth on each side (as MuPDF does) so that an area drawn
        // around one line does not take the descenders of the line above.
        let in_area = areas.iter().any(|a| shrink(&glyph.rect).intersects(a));
        if in_plan || in_area {
            remove[i] = true;
            if in_plan {
                add_box(&mut boxes, glyph.rect);
            }
        }
    }
    boxes.extend_from_slice(areas);
    (remove, boxes)
}

fn shrink(r: &Rect) -> Rect {
    Rect { x: r.x + r.width * 0.1, y: r.y + r.height * 0.1, width: r.width * 0.8, height: r.height * 0.8 }
}

/// Adds a glyph box, merging it with the previous box when both sit on one line and touch, so
/// a removed word is one bar rather than a row of slivers.
fn add_box(boxes: &mut Vec<Rect>, r: Rect) {
    if let Some(last) = boxes.last_mut()
        && (last.y - r.y).abs() < 0.5
        && (last.height - r.height).abs() < 0.5
        && r.x <= last.x + last.width + r.height * 0.3
        && r.x >= last.x - 0.5
    {
        last.width = (r.x + r.width).max(last.x + last.width) - last.x;
        return;
    }
    boxes.push(r);
}

fn refuse_unsafe(content: &PageContent, number: u32, has_ranges: bool, areas: &[Rect]) -> Result<()> {
    if content.glyphs.iter().any(|g| g.type3) {
        return Err(unsafe_page(number, "it uses a Type3 font, whose glyphs cannot be removed safely"));
    }
    if content.has_patterns {
        return Err(unsafe_page(
            number,
            "it uses patterns or shadings, which may hold text that is not read",
        ));
    }
    if has_ranges && content.unmapped {
        return Err(unsafe_page(
            number,
            "it has text in a font that cannot be mapped to Unicode, so the passage may occur unseen",
        ));
    }
    if let Some(d) = content.drawings.iter().find(|d| areas.iter().any(|a| d.intersects(a))) {
        return Err(unsafe_page(
            number,
            &format!(
                "an image or drawing lies under a redaction area (at {:.0},{:.0}), and pixel removal is not supported",
                d.x, d.y
            ),
        ));
    }
    Ok(())
}

/// Rewrites the streams of one page that draw removed glyphs or hold marked-content text, and
/// draws the boxes.
fn rewrite_page(
    doc: &mut lopdf::Document,
    page_id: ObjectId,
    number: u32,
    content: &PageContent,
    remove: &[bool],
    boxes: &[Rect],
    limits: &Limits,
) -> Result<()> {
    let count = content.placements.len();
    let mut operations = Vec::with_capacity(count);
    for placement in &content.placements {
        let bytes = stream_bytes(doc, page_id, placement.form, limits)?;
        operations.push(content::decode(&bytes, &format!("page {number}"))?);
    }
    let mut dirty = vec![false; count];
    for (glyph, _) in content.glyphs.iter().zip(remove).filter(|(_, r)| **r) {
        dirty[glyph.source.placement] = true;
    }
    for (p, ops) in operations.iter().enumerate() {
        if ops.iter().any(marked_content_with_text) {
            dirty[p] = true;
        }
    }
    if !boxes.is_empty() {
        dirty[0] = true;
    }
    // Placements are recorded parent first, so walking backwards marks every ancestor.
    for p in (1..count).rev() {
        if dirty[p]
            && let Some((parent, _)) = content.placements[p].parent
        {
            dirty[parent] = true;
        }
    }
    if !dirty[0] {
        return Ok(());
    }

    // Effective resources of each placement: a form's own, or those of what draws it.
    let mut resources: Vec<Option<Dictionary>> = Vec::with_capacity(count);
    for placement in &content.placements {
        let own = match placement.form {
            None => page_resources(doc, page_id).cloned(),
            Some(id) => doc
                .get_object(id)
                .and_then(Object::as_stream)
                .ok()
                .and_then(|s| s.dict.get(b"Resources").ok())
                .and_then(|r| deref(doc, Some(r)))
                .and_then(|o| o.as_dict().ok())
                .cloned(),
        };
        let inherited = placement.parent.and_then(|(parent, _)| resources.get(parent).cloned().flatten());
        resources.push(own.or(inherited));
    }

    // Glyphs of each operator, by placement.
    let mut by_op: BTreeMap<(usize, usize), Vec<(&Glyph, bool)>> = BTreeMap::new();
    for (glyph, removed) in content.glyphs.iter().zip(remove) {
        by_op.entry((glyph.source.placement, glyph.source.op)).or_default().push((glyph, *removed));
    }

    // Rewrite bottom-up: a dirty form becomes a new object, and its parent's Do names the copy.
    let mut copies: BTreeMap<usize, ObjectId> = BTreeMap::new();
    for p in (0..count).rev() {
        if !dirty[p] {
            continue;
        }
        let mut renamed: BTreeMap<usize, Vec<u8>> = BTreeMap::new();
        let mut xobjects = Dictionary::new();
        for (&child, &id) in copies.iter() {
            if let Some((parent, op)) = content.placements[child].parent
                && parent == p
            {
                let name = format!("VettedCopy{child}").into_bytes();
                xobjects.set(name.clone(), id);
                renamed.insert(op, name);
            }
        }
        let mut ops = Vec::with_capacity(operations[p].len());
        for (index, op) in operations[p].iter().enumerate() {
            if let Some(name) = renamed.get(&index) {
                ops.push(Operation::new("Do", vec![Object::Name(name.clone())]));
            } else if let Some(glyphs) = by_op.get(&(p, index)).filter(|g| g.iter().any(|(_, r)| *r)) {
                ops.extend(rewrite_text_op(op, glyphs, number)?);
            } else if marked_content_with_text(op) {
                ops.push(clean_marked_content(op));
            } else if op.operator == "BI" || op.operator == "ID" {
                return Err(unsafe_page(
                    number,
                    "a stream to rewrite holds an inline image, which cannot be re-encoded",
                ));
            } else {
                ops.push(op.clone());
            }
        }
        let mut new_resources = resources[p].clone().unwrap_or_default();
        if !xobjects.is_empty() {
            let mut merged = new_resources
                .get(b"XObject")
                .ok()
                .and_then(|x| deref(doc, Some(x)))
                .and_then(|o| o.as_dict().ok())
                .cloned()
                .unwrap_or_default();
            merged.extend(&xobjects);
            new_resources.set("XObject", merged);
        }
        let encoded = Content { operations: ops }
            .encode()
            .map_err(|e| unsafe_page(number, &format!("its rewritten content cannot be encoded ({e})")))?;
        match content.placements[p].form {
            Some(form) => {
                let original = doc.get_object(form).and_then(Object::as_stream).map_err(|e| {
                    Error::malformed(format!(
                        "page {number}: Form XObject {} {} vanished ({e})",
                        form.0, form.1
                    ))
                })?;
                let mut dict = original.dict.clone();
                for key in [&b"Filter"[..], b"DecodeParms", b"Length"] {
                    dict.remove(key);
                }
                dict.set("Resources", new_resources);
                let id = doc.add_object(compressed(dict, encoded));
                copies.insert(p, id);
            }
            None => {
                let mut bytes = b"q\n".to_vec();
                bytes.extend_from_slice(&encoded);
                bytes.extend_from_slice(b"\nQ\n");
                bytes.extend_from_slice(&box_operators(&PageBox::of(doc, page_id), boxes));
                let id = doc.add_object(compressed(Dictionary::new(), bytes));
                let page = doc
                    .get_dictionary_mut(page_id)
                    .map_err(|e| Error::malformed(format!("page {number}: {e}")))?;
                page.set("Contents", id);
                page.set("Resources", new_resources);
            }
        }
    }
    Ok(())
}

fn compressed(dict: Dictionary, bytes: Vec<u8>) -> Stream {
    let mut stream = Stream::new(dict, bytes);
    // Compression is an optimisation: an uncompressed stream is as valid and as clean.
    let _ = stream.compress();
    stream
}

/// Filled black rectangles over the removed passages, in the page's default user space (the
/// original content is wrapped in q/Q, so its transformations do not apply).
fn box_operators(page: &PageBox, boxes: &[Rect]) -> Vec<u8> {
    if boxes.is_empty() {
        return Vec::new();
    }
    let mut out = b"q 0 g\n".to_vec();
    for r in boxes {
        let (ax, ay) = page.to_user(r.x, r.y);
        let (bx, by) = page.to_user(r.x + r.width, r.y + r.height);
        let (x, y) = (ax.min(bx), ay.min(by));
        let (w, h) = ((ax - bx).abs(), (ay - by).abs());
        out.extend_from_slice(format!("{x:.3} {y:.3} {w:.3} {h:.3} re\n").as_bytes());
    }
    out.extend_from_slice(b"f\nQ\n");
    out
}

/// Rewrites one text-showing operator without its removed glyphs, as one TJ whose numbers
/// stand in for the removed glyphs' advances, so that every kept glyph and everything drawn
/// after stays in place. `'` and `"` keep their line move (and spacing) as separate operators.
fn rewrite_text_op(op: &Operation, glyphs: &[(&Glyph, bool)], number: u32) -> Result<Vec<Operation>> {
    let mut out = Vec::new();
    let items: Vec<(usize, &Object)> = match op.operator.as_str() {
        "TJ" => match op.operands.first() {
            Some(Object::Array(items)) => items.iter().enumerate().collect(),
            _ => Vec::new(),
        },
        "Tj" => op.operands.first().map(|o| (0, o)).into_iter().collect(),
        "'" => {
            out.push(Operation::new("T*", vec![]));
            op.operands.first().map(|o| (0, o)).into_iter().collect()
        }
        "\"" => {
            out.push(Operation::new("Tw", op.operands.first().cloned().into_iter().collect()));
            out.push(Operation::new("Tc", op.operands.get(1).cloned().into_iter().collect()));
            out.push(Operation::new("T*", vec![]));
            op.operands.get(2).map(|o| (2, o)).into_iter().collect()
        }
        _ => return Ok(vec![op.clone()]),
    };
    let mut array: Vec<Object> = Vec::new();
    let mut pending = 0.0f32;
    for (element, item) in items {
        match item {
            Object::String(bytes, format) => {
                let mut in_element: Vec<&(&Glyph, bool)> =
                    glyphs.iter().filter(|(g, _)| g.source.element == element).collect();
                in_element.sort_by_key(|(g, _)| g.source.bytes.start);
                let mut current: Vec<u8> = Vec::new();
                let mut cursor = 0;
                for (glyph, removed) in in_element {
                    let range = &glyph.source.bytes;
                    // Bytes no glyph accounts for (none, normally) are kept as they were.
                    if range.start > cursor {
                        current.extend_from_slice(bytes.get(cursor..range.start).unwrap_or(&[]));
                    }
                    cursor = range.end.max(cursor);
                    if *removed {
                        if glyph.source.font_size == 0.0 || !glyph.source.font_size.is_finite() {
                            return Err(unsafe_page(number, "a removed glyph has font size zero"));
                        }
                        pending -= glyph.source.displacement * 1000.0 / glyph.source.font_size;
                    } else {
                        if pending != 0.0 {
                            if !current.is_empty() {
                                array.push(Object::String(std::mem::take(&mut current), *format));
                            }
                            array.push(Object::Real(pending));
                            pending = 0.0;
                        }
                        current.extend_from_slice(bytes.get(range.clone()).unwrap_or(&[]));
                    }
                }
                if cursor < bytes.len() {
                    current.extend_from_slice(&bytes[cursor..]);
                }
                // Removed glyphs at the end of the string stay pending: their advance is owed
                // after the kept ones, before whatever comes next.
                if !current.is_empty() {
                    array.push(Object::String(current, *format));
                }
            }
            Object::Integer(n) => pending += *n as f32,
            Object::Real(n) => pending += *n,
            _ => {}
        }
    }
    if pending != 0.0 {
        array.push(Object::Real(pending));
    }
    out.push(Operation::new("TJ", vec![Object::Array(array)]));
    Ok(out)
}

/// A marked-content operator whose inline property list carries text (ActualText, Alt, E).
fn marked_content_with_text(op: &Operation) -> bool {
    matches!(op.operator.as_str(), "BDC" | "DP")
        && op
            .operands
            .iter()
            .any(|o| o.as_dict().is_ok_and(|d| d.has(b"ActualText") || d.has(b"Alt") || d.has(b"E")))
}

fn clean_marked_content(op: &Operation) -> Operation {
    let mut op = op.clone();
    for operand in &mut op.operands {
        if let Object::Dictionary(d) = operand {
            for key in [&b"ActualText"[..], b"Alt", b"E"] {
                d.remove(key);
            }
        }
    }
    op
}

/// Removes everything a reader does not see from the document structure.
fn sanitize(doc: &mut lopdf::Document) {
    for key in [&b"Info"[..], b"Encrypt", b"Prev", b"XRefStm"] {
        doc.trailer.remove(key);
    }
    if let Ok(catalog) = doc.catalog_mut() {
        for key in [
            &b"Metadata"[..],
            b"OpenAction",
            b"AA",
            b"AcroForm",
            b"Outlines",
            b"PieceInfo",
            b"URI",
            b"SpiderInfo",
        ] {
            catalog.remove(key);
        }
        if catalog.get(b"PageMode").and_then(Object::as_name).is_ok_and(|m| m == b"UseOutlines") {
            catalog.remove(b"PageMode");
        }
    }
    // The name trees that hold attachments and scripts (Dests may stay: they are page targets).
    let names = doc.catalog().ok().and_then(|c| c.get(b"Names").ok()).cloned();
    match names {
        Some(Object::Reference(id)) => {
            if let Ok(names) = doc.get_dictionary_mut(id) {
                names.remove(b"EmbeddedFiles");
                names.remove(b"JavaScript");
            }
        }
        Some(Object::Dictionary(_)) => {
            if let Ok(Object::Dictionary(names)) =
                doc.catalog_mut().map(|c| c.get_mut(b"Names")).and_then(|r| r)
            {
                names.remove(b"EmbeddedFiles");
                names.remove(b"JavaScript");
            }
        }
        _ => {}
    }
    // Pages lose annotations, thumbnails and actions; every object loses XMP, page-piece data,
    // ActualText and Alt; an annotation still reachable elsewhere (from the structure tree)
    // loses its text.
    let ids: Vec<ObjectId> = doc.objects.keys().copied().collect();
    for id in ids {
        let Some(object) = doc.objects.get_mut(&id) else { continue };
        let dict = match object {
            Object::Dictionary(d) => d,
            Object::Stream(s) => &mut s.dict,
            _ => continue,
        };
        let is_page =
            dict.get(b"Type").and_then(Object::as_name).is_ok_and(|t| t == b"Page" || t == b"Pages");
        if is_page {
            for key in [&b"Annots"[..], b"Thumb", b"AA", b"B"] {
                dict.remove(key);
            }
        }
        if dict.has(b"Subtype") && dict.has(b"Rect") {
            for key in [&b"Contents"[..], b"T", b"RC", b"Subj", b"A", b"AA", b"FS"] {
                dict.remove(key);
            }
        }
        scrub(dict, 0);
    }
}

/// Removes [`SCRUBBED_EVERYWHERE`] keys from a dictionary and the direct dictionaries in it.
fn scrub(dict: &mut Dictionary, depth: usize) {
    if depth > 64 {
        return;
    }
    for key in SCRUBBED_EVERYWHERE {
        dict.remove(key);
    }
    for (_, value) in dict.iter_mut() {
        match value {
            Object::Dictionary(d) => scrub(d, depth + 1),
            Object::Array(items) => {
                for item in items {
                    if let Object::Dictionary(d) = item {
                        scrub(d, depth + 1);
                    }
                }
            }
            _ => {}
        }
    }
}

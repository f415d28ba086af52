//! Rewriting a page's content streams without the removed glyphs and drawings, and drawing the
//! boxes.

use std::collections::{BTreeMap, BTreeSet};

use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Object, ObjectId, Stream};

use super::unsafe_page;
use crate::document::Rect;
use crate::error::{Error, Result};
use crate::ingest::pdf::content::{self, Glyph, PageBox, PageContent, page_resources, stream_bytes};
use crate::ingest::pdf::font::deref;
use crate::limits::Limits;

/// What goes of the paths and images under the areas of one page, by (placement, operator).
#[derive(Default)]
pub(super) struct DrawingEdits {
    /// Construction and painting operators of removed paths.
    pub(super) dropped: BTreeSet<(usize, usize)>,
    /// Painting operators of clipping paths under an area: the clip is kept (it paints
    /// nothing), the painting becomes `n`.
    pub(super) unpainted: BTreeSet<(usize, usize)>,
    /// Images with blackened pixels, by the `Do` that draws the original.
    pub(super) images: BTreeMap<(usize, usize), Stream>,
}

impl DrawingEdits {
    fn placements(&self) -> impl Iterator<Item = usize> + '_ {
        self.dropped.iter().chain(&self.unpainted).chain(self.images.keys()).map(|&(p, _)| p)
    }
}

/// The operators that build a path or paint it; only these are dropped with a path, whatever
/// else (invalid there) sits between them.
fn is_path_operator(operator: &str) -> bool {
    matches!(
        operator,
        "m" | "l" | "c" | "v" | "y" | "h" | "re" | "S" | "s" | "f" | "F" | "f*" | "B" | "B*" | "b" | "b*"
    )
}

/// Rewrites the streams of one page that draw removed glyphs, removed paths or cleaned images,
/// or hold marked-content text, and draws the boxes. Returns the copies made of Form XObjects,
/// by placement.
#[allow(clippy::too_many_arguments)]
pub(super) fn rewrite_page(
    doc: &mut lopdf::Document,
    page_id: ObjectId,
    number: u32,
    content: &PageContent,
    remove: &[bool],
    drawings: DrawingEdits,
    boxes: &[Rect],
    limits: &Limits,
) -> Result<BTreeMap<usize, ObjectId>> {
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
    for p in drawings.placements() {
        if let Some(d) = dirty.get_mut(p) {
            *d = true;
        }
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
        return Ok(BTreeMap::new());
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
    let mut images = drawings.images;
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
            } else if let Some(image) = images.remove(&(p, index)) {
                // A cleaned image is a new object named only by this placement's resources.
                let name = format!("VettedImage{p}x{index}").into_bytes();
                xobjects.set(name.clone(), doc.add_object(image));
                ops.push(Operation::new("Do", vec![Object::Name(name)]));
            } else if drawings.dropped.contains(&(p, index)) && is_path_operator(&op.operator) {
                continue;
            } else if drawings.unpainted.contains(&(p, index)) {
                ops.push(Operation::new("n", vec![]));
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
                // Close what the original left open, so the boxes are drawn in default space.
                let mut open = 0usize;
                for op in &operations[p] {
                    match op.operator.as_str() {
                        "q" => open += 1,
                        "Q" => open = open.saturating_sub(1),
                        _ => {}
                    }
                }
                let mut bytes = b"q\n".to_vec();
                bytes.extend_from_slice(&encoded);
                bytes.extend_from_slice(b"\n");
                bytes.extend_from_slice(&b"Q\n".repeat(open + 1));
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
    Ok(copies)
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
    let mut by_element: BTreeMap<usize, Vec<&(&Glyph, bool)>> = BTreeMap::new();
    for entry in glyphs {
        by_element.entry(entry.0.source.element).or_default().push(entry);
    }
    let mut array: Vec<Object> = Vec::new();
    let mut pending = 0.0f32;
    for (element, item) in items {
        match item {
            Object::String(bytes, format) => {
                let mut in_element = by_element.remove(&element).unwrap_or_default();
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

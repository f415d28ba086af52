//! Removing from the document structure everything a reader does not see.

use lopdf::{Dictionary, Object, ObjectId};

/// Keys that carry text or data a reader does not see, removed from every dictionary.
const SCRUBBED_EVERYWHERE: [&[u8]; 4] = [b"ActualText", b"Alt", b"Metadata", b"PieceInfo"];

/// Removes everything a reader does not see from the document structure.
pub(super) fn sanitize(doc: &mut lopdf::Document) {
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
        if dict.has(b"S") && dict.has(b"P") {
            dict.remove(b"E");
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

//! Cleaning the pixels of an Image XObject that lies under a redaction area.
//!
//! The image is decoded to 8-bit samples, every pixel that the area touches is set to black
//! (opaque, sample value 0; never blurred or pixelated, which can be reversed), and the samples
//! are stored Flate-compressed with no predictor in a NEW stream: the caller names it from a
//! copy of the resources of the one placement that drew it, so the same image drawn elsewhere
//! stays as it was.
//!
//! Only what can be decoded and re-encoded exactly is accepted: DCTDecode, FlateDecode (with or
//! without a PNG predictor) or no filter, DeviceGray or DeviceRGB (or ICCBased with 1 or 3
//! components), 8 bits per component, no soft mask or mask, no Decode array. Anything else
//! (JPX, JBIG2, CCITT, Indexed, 16-bit, image masks) is refused with `RedactionUnsafe`: its
//! pixels would stay readable under the box.

use lopdf::{Document, Object, ObjectId, Stream};

use super::unsafe_page;
use crate::document::Rect;
use crate::error::Result;
use crate::ingest::pdf::content::{Matrix, PageBox, apply};
use crate::ingest::pdf::font::deref;
use crate::limits::Limits;

/// The image `id`, drawn with `ctm` (image unit square to default user space), with the pixels
/// under `areas` (page coordinates) blackened, as a new stream; `None` when the areas touch no
/// pixel (they only overlap the image's bounding box, not the image).
pub(super) fn blacken(
    doc: &Document,
    id: ObjectId,
    ctm: &Matrix,
    page: &PageBox,
    areas: &[Rect],
    number: u32,
    limits: &Limits,
) -> Result<Option<Stream>> {
    let refuse = |why: &str| unsafe_page(number, &format!("an image under a redaction area {why}"));
    let stream = doc
        .get_object(id)
        .and_then(Object::as_stream)
        .map_err(|_| refuse(&format!("({} {}) is not a stream", id.0, id.1)))?;
    let dict = &stream.dict;
    let value = |key: &[u8]| deref(doc, dict.get(key).ok());

    if value(b"ImageMask").and_then(|o| o.as_bool().ok()) == Some(true) {
        return Err(refuse("is a stencil mask (/ImageMask), which is not supported"));
    }
    if dict.has(b"SMask") || dict.has(b"Mask") {
        return Err(refuse("has a mask (/SMask or /Mask), which is not supported"));
    }
    let bits = value(b"BitsPerComponent").and_then(|o| o.as_i64().ok());
    if bits != Some(8) {
        return Err(refuse("does not have 8 bits per component"));
    }
    let components = components(doc, value(b"ColorSpace"))
        .ok_or_else(|| refuse("has a colour space other than DeviceGray or DeviceRGB"))?;
    if let Some(decode) = value(b"Decode") {
        let default = decode.as_array().is_ok_and(|a| {
            a.len() == 2 * components
                && a.chunks(2).all(|pair| {
                    matches!(pair, [lo, hi] if lo.as_float().ok() == Some(0.0) && hi.as_float().ok() == Some(1.0))
                })
        });
        if !default {
            return Err(refuse("has a /Decode array, which is not supported"));
        }
    }
    let dimension = |key: &[u8]| {
        value(key).and_then(|o| o.as_i64().ok()).filter(|&n| n > 0).and_then(|n| usize::try_from(n).ok())
    };
    let (Some(width), Some(height)) = (dimension(b"Width"), dimension(b"Height")) else {
        return Err(refuse("has no valid /Width and /Height"));
    };
    let pixels = width.checked_mul(height).filter(|&n| n as u64 <= limits.max_image_pixels);
    let Some(size) = pixels.and_then(|n| n.checked_mul(components)) else {
        return Err(crate::error::Error::limit(format!(
            "page {number}: an image under a redaction area is larger than the limit of {} pixels",
            limits.max_image_pixels
        )));
    };

    let filters: Vec<Vec<u8>> = match value(b"Filter") {
        None => Vec::new(),
        Some(Object::Name(name)) => vec![name.clone()],
        Some(Object::Array(names)) => {
            names.iter().filter_map(|n| n.as_name().ok()).map(<[u8]>::to_vec).collect()
        }
        Some(_) => return Err(refuse("has a malformed /Filter")),
    };
    let mut samples = match filters.iter().map(Vec::as_slice).collect::<Vec<_>>()[..] {
        [] => stream.content.clone(),
        [b"FlateDecode"] => {
            // The parameters of the one filter: a dictionary, or an array holding it.
            let params = match value(b"DecodeParms") {
                Some(Object::Array(items)) => deref(doc, items.first()).and_then(|o| o.as_dict().ok()),
                other => other.and_then(|o| o.as_dict().ok()),
            };
            let predictor =
                params.and_then(|p| deref(doc, p.get(b"Predictor").ok())).and_then(|o| o.as_i64().ok());
            if !matches!(predictor, None | Some(1) | Some(10..=15)) {
                return Err(refuse("uses a Flate predictor other than PNG, which is not supported"));
            }
            stream
                .decompressed_content_with_limit(size.saturating_add(height).max(1))
                .map_err(|e| refuse(&format!("cannot be decompressed ({e})")))?
        }
        [b"DCTDecode"] => {
            // The JPEG's own header is not trusted: the decoder may not go past the size the
            // dictionary declared (already within the pixel limit).
            let mut reader = image::ImageReader::with_format(
                std::io::Cursor::new(&stream.content),
                image::ImageFormat::Jpeg,
            );
            let mut decode_limits = image::Limits::default();
            decode_limits.max_image_width = u32::try_from(width).ok();
            decode_limits.max_image_height = u32::try_from(height).ok();
            decode_limits.max_alloc = Some((size as u64).saturating_mul(4).max(1 << 20));
            reader.limits(decode_limits);
            let decoded =
                reader.decode().map_err(|e| refuse(&format!("is a JPEG that cannot be decoded ({e})")))?;
            if decoded.width() as usize != width || decoded.height() as usize != height {
                return Err(refuse("is a JPEG whose size differs from its /Width and /Height"));
            }
            if usize::from(decoded.color().channel_count()) != components {
                return Err(refuse("is a JPEG whose colour components differ from its colour space"));
            }
            match components {
                1 => decoded.into_luma8().into_raw(),
                _ => decoded.into_rgb8().into_raw(),
            }
        }
        _ => return Err(refuse("uses a compression other than DCT or Flate, which is not supported")),
    };
    if samples.len() < size {
        return Err(refuse("has fewer samples than its /Width and /Height ask for"));
    }
    samples.truncate(size);

    let Some(inverse) = invert(ctm) else {
        return Err(refuse("is drawn with a singular matrix"));
    };
    let mut touched = false;
    for area in areas {
        let Some((col0, col1, row0, row1)) = pixel_box(area, page, &inverse, width, height) else { continue };
        touched = true;
        for row in row0..row1 {
            let start = (row * width + col0) * components;
            let end = (row * width + col1) * components;
            if let Some(run) = samples.get_mut(start..end) {
                run.fill(0);
            }
        }
    }
    if !touched {
        return Ok(None);
    }

    let mut clean = dict.clone();
    for key in [&b"Filter"[..], b"DecodeParms", b"Length", b"Decode"] {
        clean.remove(key);
    }
    let mut out = Stream::new(clean, samples);
    // Compression is an optimisation: uncompressed samples are as valid and as clean.
    let _ = out.compress();
    Ok(Some(out))
}

/// The number of colour components of a supported colour space: DeviceGray, DeviceRGB, or an
/// ICCBased profile with 1 or 3 components (its alternate is then one of those).
fn components(doc: &Document, space: Option<&Object>) -> Option<usize> {
    match space? {
        Object::Name(name) => match name.as_slice() {
            b"DeviceGray" => Some(1),
            b"DeviceRGB" => Some(3),
            _ => None,
        },
        Object::Array(items) => match items.as_slice() {
            [Object::Name(kind), profile] if kind == b"ICCBased" => {
                let profile = deref(doc, Some(profile))?.as_stream().ok()?;
                match deref(doc, profile.dict.get(b"N").ok())?.as_i64().ok()? {
                    1 => Some(1),
                    3 => Some(3),
                    _ => None,
                }
            }
            _ => None,
        },
        _ => None,
    }
}

/// The inverse of an affine matrix, or `None` when it is singular.
pub(super) fn invert(m: &Matrix) -> Option<Matrix> {
    let det = m[0] * m[3] - m[1] * m[2];
    if det.abs() < 1e-12 || !det.is_finite() {
        return None;
    }
    let (a, b, c, d) = (m[3] / det, -m[1] / det, -m[2] / det, m[0] / det);
    Some([a, b, c, d, -(m[4] * a + m[5] * c), -(m[4] * b + m[5] * d)])
}

/// The pixels `[col0, col1) × [row0, row1)` that an area (page coordinates) touches, through the
/// inverse of the image matrix; `None` when it touches none. Image space is the unit square
/// with row 0 at its top (v = 1). For a rotated or skewed image the box of the area's corners
/// is taken, which blackens a little more than the area, never less.
pub(super) fn pixel_box(
    area: &Rect,
    page: &PageBox,
    inverse: &Matrix,
    width: usize,
    height: usize,
) -> Option<(usize, usize, usize, usize)> {
    let (w, h) = (width as f32, height as f32);
    let (mut c0, mut c1, mut r0, mut r1) =
        (f32::INFINITY, f32::NEG_INFINITY, f32::INFINITY, f32::NEG_INFINITY);
    for (x, y) in [
        (area.x, area.y),
        (area.x + area.width, area.y),
        (area.x, area.y + area.height),
        (area.x + area.width, area.y + area.height),
    ] {
        let (ux, uy) = page.to_user(x, y);
        let (u, v) = apply(inverse, ux, uy);
        let (col, row) = (u * w, (1.0 - v) * h);
        c0 = c0.min(col);
        c1 = c1.max(col);
        r0 = r0.min(row);
        r1 = r1.max(row);
    }
    if !(c0.is_finite() && c1.is_finite() && r0.is_finite() && r1.is_finite()) {
        return None;
    }
    // An edge within a thousandth of a pixel of a pixel boundary is on it: float rounding
    // must not blacken a whole extra row for an area drawn exactly along the pixel grid.
    let snap = |n: f32| if (n - n.round()).abs() < 1e-3 { n.round() } else { n };
    let clamp = |n: f32, max: f32| n.clamp(0.0, max) as usize;
    let (col0, col1) = (clamp(snap(c0).floor(), w), clamp(snap(c1).ceil(), w));
    let (row0, row1) = (clamp(snap(r0).floor(), h), clamp(snap(r1).ceil(), h));
    (col0 < col1 && row0 < row1).then_some((col0, col1, row0, row1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page() -> PageBox {
        PageBox { x0: 0.0, y0: 0.0, x1: 200.0, y1: 200.0, rotate: 0 }
    }

    /// An image 100 × 50 pixels drawn 100 pt wide and 50 pt high at (50, 100) in user space,
    /// so one pixel is one point: page y = 200 - user y.
    fn check(area: Rect, expected: Option<(usize, usize, usize, usize)>) {
        let ctm = [100.0, 0.0, 0.0, 50.0, 50.0, 100.0];
        let inverse = invert(&ctm).unwrap();
        assert_eq!(pixel_box(&area, &page(), &inverse, 100, 50), expected, "{area:?}");
    }

    #[test]
    fn areas_map_to_the_pixels_they_touch() {
        // The image's top edge is at page y = 50, its left edge at page x = 50.
        check(Rect { x: 50.0, y: 50.0, width: 10.0, height: 10.0 }, Some((0, 10, 0, 10)));
        check(Rect { x: 60.5, y: 70.5, width: 1.0, height: 1.0 }, Some((10, 12, 20, 22)));
        check(Rect { x: 0.0, y: 0.0, width: 200.0, height: 200.0 }, Some((0, 100, 0, 50)));
        check(Rect { x: 140.0, y: 90.0, width: 50.0, height: 50.0 }, Some((90, 100, 40, 50)));
        check(Rect { x: 0.0, y: 0.0, width: 40.0, height: 40.0 }, None);
        check(Rect { x: 160.0, y: 50.0, width: 10.0, height: 10.0 }, None);
    }

    #[test]
    fn a_singular_matrix_has_no_inverse() {
        assert_eq!(invert(&[0.0, 0.0, 0.0, 0.0, 5.0, 5.0]), None);
        assert_eq!(invert(&[2.0, 0.0, 0.0, 4.0, 10.0, 20.0]), Some([0.5, 0.0, 0.0, 0.25, -5.0, -5.0]));
    }
}

//! JPEG and PNG redaction: metadata removed without touching the pixels, and areas filled with
//! opaque black.
//!
//! Without areas the export is a lossless copy of the container with every metadata block
//! dropped ([`strip_metadata`]): the compressed picture data is copied byte for byte, so the
//! pixels are exactly the original's. What is kept, and why:
//! - JPEG: the coding segments (tables, frame, scans, restarts); the JFIF APP0 (rewritten
//!   without its thumbnail), which says how to read the colour; Adobe's APP14 colour transform,
//!   without which CMYK and RGB JPEGs decode to the wrong colours. Dropped: every other APPn
//!   (EXIF, XMP, IPTC, ICC profiles, multi-picture indexes, maker segments), comments, and
//!   everything after the end-of-image marker.
//! - PNG: the critical chunks and the ancillary chunks that only say how to show the pixels
//!   (`tRNS` transparency, `gAMA`, `cHRM`, `sRGB`, `sBIT`, `bKGD`, `pHYs`). Dropped: text
//!   chunks, `eXIf`, `tIME`, `iCCP`, every other ancillary chunk (including animation frames:
//!   the export is the still picture), and everything after `IEND`.
//!
//! ICC profiles go too: a profile is free text (description, copyright, device maker and model)
//! that can name the camera or the lab that calibrated it. Without one, viewers assume sRGB,
//! which shifts the colours of a wide-gamut photo slightly but shows the same content.
//!
//! The EXIF orientation is the one EXIF value kept: dropping it would show a rotated photo
//! sideways. The export gets a fresh EXIF block holding that tag alone.
//!
//! With areas, the picture is decoded (within [`Limits::max_image_pixels`]), turned upright
//! with its EXIF orientation (areas are drawn on the picture as it is shown), filled with
//! opaque black under each area (never blurred or pixelated: both can be reversed), and encoded
//! again: JPEG at quality 90, PNG losslessly. The result is upright, so it carries no
//! orientation tag. Encoding is deterministic, so the same input and plan give the same bytes.

use std::io::Cursor;

use image::{DynamicImage, ImageBuffer, ImageFormat, Pixel};

use super::plan::{PlannedArea, RedactionPlan};
use crate::document::Format;
use crate::error::{Error, ErrorKind, Result};
use crate::ingest::image::container::{self, JpegPiece, PNG_SIGNATURE, marker};
use crate::ingest::image::{
    ADOBE_TRANSFORM_LEN, EXIF_PREFIX, PNG_RENDERING_CHUNKS, Photo, is_adobe_transform,
};
use crate::limits::Limits;

/// Redacts a picture under `plan`: areas filled, every metadata block removed. Text ranges in
/// a picture can only lie in hidden items, which are all removed anyway.
pub(super) fn redact(
    original: &[u8],
    format: Format,
    plan: &RedactionPlan,
    limits: &Limits,
) -> Result<Vec<u8>> {
    if plan.areas.is_empty() {
        return strip_metadata_with(original, format, limits);
    }
    let photo = Photo::read(original, format, limits)?;
    let mut picture = decode(original, format, limits)?;
    if let Some(orientation) = image::metadata::Orientation::from_exif(photo.orientation) {
        picture.apply_orientation(orientation);
    }
    for area in &plan.areas {
        let (x, y, width, height) = pixel_box(area, picture.width(), picture.height())?;
        fill_black(&mut picture, x, y, width, height);
    }
    let encoded = encode(&picture, format)?;
    // The encoders write no metadata, but the output goes through the same filter as every
    // export so that one function decides what a public picture may carry.
    strip_container(&encoded, format, limits, 1)
}

/// Removes every metadata block from a JPEG or PNG, keeping the pixels byte for byte (see the
/// module documentation for what is kept). Meant for every picture Vetted exports, including
/// the ones embedded in DOCX files.
// Called by the DOCX redactor for embedded pictures (`super::image::strip_metadata`).
#[allow(dead_code)]
pub(crate) fn strip_metadata(bytes: &[u8], format: Format) -> Result<Vec<u8>> {
    strip_metadata_with(bytes, format, &Limits::default())
}

fn strip_metadata_with(bytes: &[u8], format: Format, limits: &Limits) -> Result<Vec<u8>> {
    let orientation = Photo::read(bytes, format, limits)?.orientation;
    strip_container(bytes, format, limits, orientation)
}

fn strip_container(bytes: &[u8], format: Format, limits: &Limits, orientation: u8) -> Result<Vec<u8>> {
    match format {
        Format::Jpeg => strip_jpeg(bytes, limits, orientation),
        Format::Png => strip_png(bytes, limits, orientation),
        other => Err(Error::new(ErrorKind::InvalidInput, format!("{other} is not a picture format"))),
    }
}

fn strip_jpeg(bytes: &[u8], limits: &Limits, orientation: u8) -> Result<Vec<u8>> {
    let jpeg = container::parse_jpeg(bytes, limits)?;
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&[0xFF, marker::SOI]);
    let mut orientation_written = orientation == 1;
    for piece in &jpeg.pieces {
        let (m, range, payload) = match piece {
            JpegPiece::Scan(range) => {
                out.extend_from_slice(&bytes[range.clone()]);
                continue;
            }
            JpegPiece::Extraneous(_) => continue,
            JpegPiece::Segment { marker: m, bytes: range, payload } => {
                (*m, range.clone(), &bytes[payload.clone()])
            }
        };
        match m {
            marker::APP0 if payload.starts_with(b"JFIF\0") && payload.len() >= 14 => {
                // Version, density unit and densities; thumbnail size 0×0 and no thumbnail.
                let mut jfif = payload[..12].to_vec();
                jfif.extend_from_slice(&[0, 0]);
                push_segment(&mut out, marker::APP0, &jfif)?;
            }
            marker::APP14 if is_adobe_transform(payload) => {
                push_segment(&mut out, m, &payload[..ADOBE_TRANSFORM_LEN])?;
            }
            m if (marker::APP0..=marker::APP15).contains(&m) || m == marker::COM => continue,
            m if marker::is_coding(m) => {
                if !orientation_written {
                    // The orientation goes before the first coding segment, after a JFIF APP0.
                    let mut app1 = EXIF_PREFIX.to_vec();
                    app1.extend_from_slice(&orientation_tiff(orientation));
                    push_segment(&mut out, marker::APP1, &app1)?;
                    orientation_written = true;
                }
                out.extend_from_slice(&bytes[range]);
            }
            other => {
                return Err(Error::new(
                    ErrorKind::RedactionUnsafe,
                    format!(
                        "unknown JPEG marker 0xFF{other:02X} at byte {}: refusing to copy what may hold data",
                        range.start
                    ),
                ));
            }
        }
    }
    out.extend_from_slice(&[0xFF, marker::EOI]);
    Ok(out)
}

fn push_segment(out: &mut Vec<u8>, m: u8, payload: &[u8]) -> Result<()> {
    let length = u16::try_from(payload.len() + 2)
        .map_err(|_| Error::new(ErrorKind::RedactionUnsafe, "JPEG segment too long to write"))?;
    out.extend_from_slice(&[0xFF, m]);
    out.extend_from_slice(&length.to_be_bytes());
    out.extend_from_slice(payload);
    Ok(())
}

fn strip_png(bytes: &[u8], limits: &Limits, orientation: u8) -> Result<Vec<u8>> {
    let png = container::parse_png(bytes, limits)?;
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(PNG_SIGNATURE);
    for chunk in &png.chunks {
        // An ancillary chunk with a bad CRC is one libpng drops; so do we.
        let keep = chunk.is_critical() || (PNG_RENDERING_CHUNKS.contains(&&chunk.kind) && chunk.crc_ok);
        if keep {
            out.extend_from_slice(&bytes[chunk.bytes.clone()]);
        }
        if &chunk.kind == b"IHDR" && orientation != 1 {
            push_chunk(&mut out, b"eXIf", &orientation_tiff(orientation));
        }
    }
    Ok(out)
}

fn push_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32fast::hash(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

/// A big-endian TIFF block with one IFD holding one tag: Orientation (0x0112, SHORT).
fn orientation_tiff(orientation: u8) -> Vec<u8> {
    let mut tiff = b"MM\0\x2A\0\0\0\x08".to_vec();
    tiff.extend_from_slice(&1u16.to_be_bytes());
    tiff.extend_from_slice(&[0x01, 0x12, 0x00, 0x03, 0, 0, 0, 1, 0, orientation, 0, 0]);
    tiff.extend_from_slice(&0u32.to_be_bytes());
    tiff
}

fn decode(bytes: &[u8], format: Format, limits: &Limits) -> Result<DynamicImage> {
    let mut reader = image::ImageReader::with_format(
        Cursor::new(bytes),
        if format == Format::Jpeg { ImageFormat::Jpeg } else { ImageFormat::Png },
    );
    let mut decode_limits = image::Limits::default();
    // Eight bytes a pixel covers 16-bit RGBA, the widest layout these decoders produce.
    decode_limits.max_alloc = Some(limits.max_image_pixels.saturating_mul(8).max(1 << 20));
    reader.limits(decode_limits);
    reader.decode().map_err(|e| Error::malformed(format!("the picture cannot be decoded: {e}")))
}

/// The whole pixels an area touches, clipped to the picture: any pixel the area covers even
/// partly is filled, so nothing at the edge survives.
fn pixel_box(area: &PlannedArea, width: u32, height: u32) -> Result<(u32, u32, u32, u32)> {
    let r = area.rect;
    let invalid = |why: &str| {
        Error::new(
            ErrorKind::InvalidInput,
            format!(
                "area {}×{} at ({}, {}) {why} (the picture is {width}×{height} pixels)",
                r.width, r.height, r.x, r.y
            ),
        )
    };
    if area.page != 1 {
        return Err(invalid(&format!("is on page {}, but a picture has one page", area.page)));
    }
    if ![r.x, r.y, r.width, r.height].iter().all(|v| v.is_finite()) || r.width <= 0.0 || r.height <= 0.0 {
        return Err(invalid("is not a box"));
    }
    let clip = |v: f32, max: u32| (v.max(0.0) as f64).min(f64::from(max));
    let (left, top) = (clip(r.x, width).floor(), clip(r.y, height).floor());
    let (right, bottom) = (clip(r.x + r.width, width).ceil(), clip(r.y + r.height, height).ceil());
    if right <= left || bottom <= top {
        return Err(invalid("lies outside the picture"));
    }
    Ok((left as u32, top as u32, (right - left) as u32, (bottom - top) as u32))
}

fn fill_black(picture: &mut DynamicImage, x: u32, y: u32, width: u32, height: u32) {
    fn fill<P: Pixel>(
        buffer: &mut ImageBuffer<P, Vec<P::Subpixel>>,
        black: P,
        x: u32,
        y: u32,
        w: u32,
        h: u32,
    ) {
        for row in y..y + h {
            for column in x..x + w {
                buffer.put_pixel(column, row, black);
            }
        }
    }
    use image::{Luma, LumaA, Rgb, Rgba};
    match picture {
        DynamicImage::ImageLuma8(b) => fill(b, Luma([0]), x, y, width, height),
        DynamicImage::ImageLumaA8(b) => fill(b, LumaA([0, u8::MAX]), x, y, width, height),
        DynamicImage::ImageRgb8(b) => fill(b, Rgb([0; 3]), x, y, width, height),
        DynamicImage::ImageRgba8(b) => fill(b, Rgba([0, 0, 0, u8::MAX]), x, y, width, height),
        DynamicImage::ImageLuma16(b) => fill(b, Luma([0]), x, y, width, height),
        DynamicImage::ImageLumaA16(b) => fill(b, LumaA([0, u16::MAX]), x, y, width, height),
        DynamicImage::ImageRgb16(b) => fill(b, Rgb([0; 3]), x, y, width, height),
        DynamicImage::ImageRgba16(b) => fill(b, Rgba([0, 0, 0, u16::MAX]), x, y, width, height),
        other => {
            let mut rgba = other.to_rgba8();
            fill(&mut rgba, Rgba([0, 0, 0, u8::MAX]), x, y, width, height);
            *other = DynamicImage::ImageRgba8(rgba);
        }
    }
}

fn encode(picture: &DynamicImage, format: Format) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let failed = |e: image::ImageError| {
        Error::new(ErrorKind::RedactionUnsafe, format!("the picture cannot be encoded: {e}"))
    };
    if format == Format::Jpeg {
        let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90);
        // JPEG has no alpha: a grey picture stays grey, everything else becomes RGB.
        match picture {
            DynamicImage::ImageLuma8(gray) => gray.write_with_encoder(encoder),
            other => other.to_rgb8().write_with_encoder(encoder),
        }
        .map_err(failed)?;
    } else {
        let encoder = image::codecs::png::PngEncoder::new_with_quality(
            &mut out,
            image::codecs::png::CompressionType::Default,
            image::codecs::png::FilterType::Adaptive,
        );
        picture.write_with_encoder(encoder).map_err(failed)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use image::ImageEncoder;

    use super::*;

    /// A 1×1 grey JPEG with an APP1 "Exif" segment holding a one-tag TIFF (Artist "A") and a
    /// comment, followed by trailing bytes.
    fn tiny_jpeg_with_metadata() -> Vec<u8> {
        let mut out = Vec::new();
        let picture = image::GrayImage::from_pixel(1, 1, image::Luma([128]));
        image::codecs::jpeg::JpegEncoder::new(&mut out).encode_image(&picture).unwrap();
        let mut tiff = b"MM\0\x2A\0\0\0\x08\0\x01\x01\x3B\0\x02\0\0\0\x02A\0\0\0\0\0\0\0".to_vec();
        let mut app1 = EXIF_PREFIX.to_vec();
        app1.append(&mut tiff);
        let mut with = out[..2].to_vec();
        push_segment(&mut with, marker::APP1, &app1).unwrap();
        push_segment(&mut with, marker::COM, b"comment").unwrap();
        with.extend_from_slice(&out[2..]);
        with.extend_from_slice(b"trailing");
        with
    }

    fn tiny_png_with_metadata() -> Vec<u8> {
        let mut out = Vec::new();
        let picture = image::RgbImage::from_pixel(3, 2, image::Rgb([1, 2, 3]));
        image::codecs::png::PngEncoder::new(&mut out)
            .write_image(picture.as_raw(), 3, 2, image::ExtendedColorType::Rgb8)
            .unwrap();
        let ihdr_end = 8 + 25;
        let mut with = out[..ihdr_end].to_vec();
        push_chunk(&mut with, b"tEXt", b"Author\0Zhang San");
        push_chunk(&mut with, b"eXIf", &orientation_tiff(6));
        with.extend_from_slice(&out[ihdr_end..]);
        with
    }

    proptest::proptest! {
        /// No damaged picture makes the reader or the redactor panic: each either works or
        /// returns an error.
        #[test]
        fn damaged_pictures_never_panic(
            png in proptest::bool::ANY,
            flips in proptest::collection::vec((0usize..4096, 0u8..=255), 0..8),
            keep in 0usize..4096,
        ) {
            let (mut bytes, format) =
                if png { (tiny_png_with_metadata(), Format::Png) } else { (tiny_jpeg_with_metadata(), Format::Jpeg) };
            for (at, value) in flips {
                let at = at % bytes.len();
                bytes[at] = value;
            }
            bytes.truncate(keep.max(3));
            let limits = Limits::default();
            let _ = crate::ingest::read_as(&bytes, format, &limits);
            let _ = strip_metadata(&bytes, format);
            let area = PlannedArea { page: 1, rect: crate::Rect { x: 0.0, y: 0.0, width: 1.0, height: 1.0 }, reason: "r".into() };
            let _ = redact(&bytes, format, &RedactionPlan { areas: vec![area], ..RedactionPlan::default() }, &limits);
        }
    }

    #[test]
    fn strip_metadata_leaves_nothing_for_the_reader_and_is_idempotent() {
        let original = tiny_jpeg_with_metadata();
        let limits = Limits::default();
        assert_eq!(Photo::read(&original, Format::Jpeg, &limits).unwrap().items.len(), 3);
        let stripped = strip_metadata(&original, Format::Jpeg).unwrap();
        assert!(Photo::read(&stripped, Format::Jpeg, &limits).unwrap().items.is_empty());
        assert_eq!(strip_metadata(&stripped, Format::Jpeg).unwrap(), stripped);
    }

    #[test]
    fn an_export_that_still_holds_the_exif_fails_verification_naming_it() {
        // Plants the leak: the "export" is the original itself.
        let original = tiny_jpeg_with_metadata();
        let limits = Limits::default();
        let document = crate::ingest::read_as(&original, Format::Jpeg, &limits).unwrap();
        let plan = RedactionPlan::default();
        let err =
            crate::verify::verify(&original, &document, &original, Format::Jpeg, &plan, &limits).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::VerificationFailed);
        assert!(err.message().contains("EXIF Artist (image_metadata) at EXIF"), "{}", err.message());
        assert!(err.message().contains("JPEG comment"), "{}", err.message());
    }

    /// Regression: the one-letter Artist "A" was "found" in the export's note "review it by
    /// eye", failing a clean export.
    #[test]
    fn a_removed_value_that_occurs_in_the_review_note_does_not_fail_verification() {
        let original = tiny_jpeg_with_metadata();
        let limits = Limits::default();
        let document = crate::ingest::read_as(&original, Format::Jpeg, &limits).unwrap();
        let plan = RedactionPlan::default();
        let stripped = strip_metadata(&original, Format::Jpeg).unwrap();
        let verified = crate::verify::verify(&original, &document, &stripped, Format::Jpeg, &plan, &limits);
        assert!(verified.is_ok(), "{verified:?}");
    }

    #[test]
    fn the_orientation_block_is_a_valid_exif_with_that_tag_alone() {
        let exif = crate::ingest::image::exif::parse_for_test(&orientation_tiff(6));
        assert_eq!(exif, (6, 1));
    }
}

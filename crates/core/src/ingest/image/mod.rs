//! JPEG and PNG reader: every metadata block of a photo as a hidden item, and the picture's
//! size as its layout.
//!
//! A photo has no visible text; what a reader of the published file can extract from it is
//! metadata: the GPS position, the camera and its serial number, times, the author, captions,
//! XMP and IPTC fields, comments, thumbnails and whatever was appended after the picture. The
//! container is walked here (`container`), each block is decoded by what it is (`exif`,
//! `text`), and each finding is reported with the block it lives in (`Location::part`:
//! `"EXIF"`, `"XMP"`, `"IPTC"`, `"PNG tEXt"`, ...). The picture itself may show what must not
//! be published, and no reader can tell: every photo also gets one
//! [`HiddenKind::ReviewByEye`] item.
//!
//! The layout is the size a viewer shows: the stored size, with width and height swapped when
//! the EXIF orientation turns the picture by 90°. Area redactions use that orientation too.

pub(crate) mod container;
pub(crate) mod exif;
mod text;

use self::container::{Jpeg, JpegPiece, Png, marker};
use crate::document::{Document, DocumentBuilder, Format, HiddenItem, HiddenKind, Layout, Location};
use crate::error::{Error, Result};
use crate::limits::Limits;

/// The prefix of an EXIF APP1 segment.
pub(crate) const EXIF_PREFIX: &[u8] = b"Exif\0\0";
/// The prefix of an XMP APP1 segment.
const XMP_PREFIX: &[u8] = b"http://ns.adobe.com/xap/1.0/\0";
/// The prefix of an extended-XMP APP1 segment (packets over 64 KiB continue there).
const XMP_EXTENSION_PREFIX: &[u8] = b"http://ns.adobe.com/xmp/extension/\0";
/// The PNG text keyword under which XMP is stored.
const XMP_KEYWORD: &str = "XML:com.adobe.xmp";

/// Most metadata items one picture may yield. A camera writes a few dozen; a file with more
/// than this is built to flood the reviewer (or the memory) and is refused.
pub(crate) const MAX_METADATA_ITEMS: usize = 10_000;

fn too_many_items(items: &[HiddenItem]) -> Result<()> {
    if items.len() > MAX_METADATA_ITEMS {
        return Err(Error::limit(format!(
            "the picture holds more than {MAX_METADATA_ITEMS} metadata blocks"
        )));
    }
    Ok(())
}

/// The note every picture gets.
const REVIEW_BY_EYE: &str = "the picture itself may show a restricted area: review it by eye";

pub(super) fn read(bytes: &[u8], format: Format, limits: &Limits) -> Result<Document> {
    let photo = Photo::read(bytes, format, limits)?;
    let mut builder = DocumentBuilder::new(format);
    for item in photo.items {
        builder.add_hidden(item);
    }
    builder.add_hidden(HiddenItem {
        kind: HiddenKind::ReviewByEye,
        label: "picture content".into(),
        text: REVIEW_BY_EYE.into(),
        location: Location::page(1),
    });
    let (width, height) = if matches!(photo.orientation, 5..=8) {
        (photo.height, photo.width)
    } else {
        (photo.width, photo.height)
    };
    Ok(builder.finish(Layout::Image { width, height }))
}

/// What the reader learns from a picture's container.
pub(crate) struct Photo {
    /// Stored width in pixels.
    pub width: u32,
    /// Stored height in pixels.
    pub height: u32,
    /// EXIF orientation (1–8; 1 when there is none).
    pub orientation: u8,
    /// The metadata blocks, as hidden items, in file order.
    pub items: Vec<HiddenItem>,
}

impl Photo {
    /// Walks the container of `bytes` and decodes every metadata block.
    pub(crate) fn read(bytes: &[u8], format: Format, limits: &Limits) -> Result<Photo> {
        match format {
            Format::Jpeg => read_jpeg(bytes, &container::parse_jpeg(bytes, limits)?),
            Format::Png => read_png(bytes, &container::parse_png(bytes, limits)?, limits),
            other => Err(Error::malformed(format!("{other} is not a picture format"))),
        }
    }
}

fn read_jpeg(bytes: &[u8], jpeg: &Jpeg) -> Result<Photo> {
    let mut items = Vec::new();
    let mut orientation = None;
    let mut extended_xmp = Vec::new();
    let mut icc_profile = Vec::new();
    for piece in &jpeg.pieces {
        too_many_items(&items)?;
        let (m, range, payload) = match piece {
            JpegPiece::Segment { marker, bytes, payload } => (marker, bytes, payload),
            JpegPiece::Extraneous(range) => {
                items.push(item(
                    HiddenKind::EmbeddedObject,
                    format!("{} stray bytes at byte {}, skipped by viewers", range.len(), range.start),
                    text::printable_strings(&bytes[range.clone()]),
                    "stray data",
                ));
                continue;
            }
            JpegPiece::Scan(_) => continue,
        };
        let payload = &bytes[payload.clone()];
        let at = range.start;
        match *m {
            marker::APP0 => items.extend(app0_thumbnail(payload)),
            marker::APP1 if payload.starts_with(EXIF_PREFIX) => {
                let block = exif::read_block(&payload[EXIF_PREFIX.len()..])
                    .map_err(|e| e.context(format!("APP1 segment at byte {at}")))?;
                // Viewers follow the first EXIF block; so does the layout.
                orientation.get_or_insert(block.orientation);
                items.extend(block.items);
            }
            marker::APP1 if payload.starts_with(XMP_PREFIX) => {
                items.extend(text::xmp_items(&payload[XMP_PREFIX.len()..], "XMP"));
            }
            marker::APP1 if payload.starts_with(XMP_EXTENSION_PREFIX) => {
                // GUID (32), full length (4) and offset (4) precede each chunk.
                extended_xmp
                    .extend_from_slice(payload.get(XMP_EXTENSION_PREFIX.len() + 40..).unwrap_or_default());
            }
            marker::APP2 if payload.starts_with(b"ICC_PROFILE\0") => {
                // A profile over 64 KiB spans several segments, numbered from 1, in order.
                icc_profile.extend_from_slice(payload.get(14..).unwrap_or_default());
            }
            marker::APP2 if payload.starts_with(b"MPF\0") => items.push(item(
                HiddenKind::EmbeddedObject,
                format!("multi-picture index (APP2 at byte {at}): further pictures follow the main one"),
                String::new(),
                "MPF",
            )),
            marker::APP13 if payload.starts_with(b"Photoshop 3.0\0") => {
                let found = text::photoshop_items(&payload[14..]);
                if found.is_empty() {
                    items.push(generic_segment(*m, at, payload));
                } else {
                    items.extend(found);
                }
            }
            // Adobe's APP14 holds only the colour transform needed to decode the pixels; the
            // export keeps its first 12 bytes, so anything beyond them is reported below.
            marker::APP14 if is_adobe_transform(payload) && payload.len() == ADOBE_TRANSFORM_LEN => {}
            marker::COM => items.push(item(
                HiddenKind::ImageMetadata,
                format!("JPEG comment (byte {at})"),
                text::decode_legacy(payload),
                "COM",
            )),
            m if (marker::APP0..=marker::APP15).contains(&m) || !marker::is_coding(m) => {
                items.push(generic_segment(m, at, payload));
            }
            _ => {}
        }
    }
    if !icc_profile.is_empty() {
        items.push(item(
            HiddenKind::ImageMetadata,
            "ICC colour profile".into(),
            text::icc_text(&icc_profile),
            "ICC",
        ));
    }
    if !extended_xmp.is_empty() {
        items.extend(text::xmp_items(&extended_xmp, "XMP (extended)"));
    }
    items.extend(trailing_item(bytes, jpeg.trailing.clone(), "end-of-image marker"));
    Ok(Photo { width: jpeg.width, height: jpeg.height, orientation: orientation.unwrap_or(1), items })
}

/// The length of Adobe's APP14 payload: "Adobe", version, two flag words, transform byte.
pub(crate) const ADOBE_TRANSFORM_LEN: usize = 12;

/// True for Adobe's APP14 colour-transform segment, which carries no text in its first
/// [`ADOBE_TRANSFORM_LEN`] bytes.
pub(crate) fn is_adobe_transform(payload: &[u8]) -> bool {
    payload.starts_with(b"Adobe") && payload.len() >= ADOBE_TRANSFORM_LEN
}

/// A JFIF APP0 with a thumbnail, or a JFXX extension (which holds only a thumbnail).
fn app0_thumbnail(payload: &[u8]) -> Option<HiddenItem> {
    if payload.starts_with(b"JFIF\0") {
        let (w, h) = (*payload.get(12)?, *payload.get(13)?);
        (w > 0 && h > 0)
            .then(|| item(HiddenKind::Thumbnail, format!("JFIF thumbnail ({w}×{h})"), String::new(), "JFIF"))
    } else if payload.starts_with(b"JFXX\0") {
        Some(item(HiddenKind::Thumbnail, "JFXX thumbnail".into(), String::new(), "JFIF"))
    } else {
        Some(item(
            HiddenKind::ImageMetadata,
            "JPEG APP0 segment".into(),
            text::printable_strings(payload),
            "APP0",
        ))
    }
}

fn generic_segment(m: u8, at: usize, payload: &[u8]) -> HiddenItem {
    let name = match m {
        0xE0..=0xEF => format!("APP{}", m - 0xE0),
        other => format!("marker 0xFF{other:02X}"),
    };
    item(
        HiddenKind::ImageMetadata,
        format!("JPEG {name} segment at byte {at} ({} bytes)", payload.len()),
        text::printable_strings(payload),
        &name,
    )
}

fn trailing_item(bytes: &[u8], range: std::ops::Range<usize>, after: &str) -> Option<HiddenItem> {
    let trailing = &bytes[range.clone()];
    (!trailing.is_empty()).then(|| {
        item(
            HiddenKind::EmbeddedObject,
            format!("{} bytes after the {after}, ignored by viewers", trailing.len()),
            text::printable_strings(trailing),
            "trailing data",
        )
    })
}

fn item(kind: HiddenKind, label: String, text: String, part: &str) -> HiddenItem {
    HiddenItem { kind, label, text, location: Location::part(part) }
}

/// PNG ancillary chunks that only say how to show the pixels (transparency, gamma, colour
/// space, significant bits, background, pixel density): no text, and the export keeps them.
pub(crate) const PNG_RENDERING_CHUNKS: [&[u8; 4]; 7] =
    [b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"sBIT", b"bKGD", b"pHYs"];

fn read_png(bytes: &[u8], png: &Png, limits: &Limits) -> Result<Photo> {
    let mut items = Vec::new();
    let mut orientation = None;
    for chunk in &png.chunks {
        too_many_items(&items)?;
        if chunk.is_critical() || PNG_RENDERING_CHUNKS.contains(&&chunk.kind) {
            continue;
        }
        let data = &bytes[chunk.data.clone()];
        let at = chunk.bytes.start;
        let context = |e: Error| e.context(format!("PNG chunk {} at byte {at}", chunk.name()));
        match &chunk.kind {
            b"tEXt" | b"zTXt" | b"iTXt" => {
                let (keyword, value) = png_text(&chunk.kind, data, limits).map_err(context)?;
                let part = format!("PNG {}", chunk.name());
                if keyword == XMP_KEYWORD {
                    items.extend(text::xmp_items(value.as_bytes(), "XMP"));
                } else if let Some(profile) = keyword.strip_prefix(RAW_PROFILE_KEYWORD) {
                    let found = raw_profile_items(profile, &value).map_err(context)?;
                    if found.is_empty() {
                        items.push(item(
                            HiddenKind::ImageMetadata,
                            format!("{part} {keyword}"),
                            value,
                            &part,
                        ));
                    }
                    items.extend(found);
                } else {
                    items.push(item(HiddenKind::ImageMetadata, format!("{part} {keyword}"), value, &part));
                }
            }
            b"eXIf" => {
                let block = exif::read_block(data).map_err(context)?;
                orientation.get_or_insert(block.orientation);
                items.extend(block.items);
            }
            b"tIME" if data.len() == 7 => {
                let year = u16::from_be_bytes([data[0], data[1]]);
                let time = format!(
                    "{year:04}-{:02}-{:02} {:02}:{:02}:{:02}",
                    data[2], data[3], data[4], data[5], data[6]
                );
                items.push(item(
                    HiddenKind::ImageMetadata,
                    "PNG tIME (last modified)".into(),
                    time,
                    "PNG tIME",
                ));
            }
            b"acTL" => {
                let frames = container::read_u32(data, 0).unwrap_or(0);
                items.push(item(
                    HiddenKind::EmbeddedObject,
                    format!("animated PNG with {frames} frames; the export keeps only the still picture"),
                    String::new(),
                    "PNG acTL",
                ));
            }
            // Animation frames: reported once, by acTL.
            b"fcTL" | b"fdAT" => {}
            b"iCCP" => {
                let (name, rest) =
                    split_nul(data).ok_or_else(|| context(Error::malformed("no profile name")))?;
                let profile = text::inflate(rest.get(1..).unwrap_or_default(), limits).map_err(context)?;
                let parts = [text::decode_legacy(name), text::icc_text(&profile)];
                let text = parts.into_iter().filter(|p| !p.is_empty()).collect::<Vec<_>>().join("; ");
                items.push(item(HiddenKind::ImageMetadata, "ICC colour profile".into(), text, "PNG iCCP"));
            }
            _ => items.push(item(
                HiddenKind::ImageMetadata,
                format!("PNG chunk {} at byte {at} ({} bytes)", chunk.name(), data.len()),
                text::printable_strings(data),
                &format!("PNG {}", chunk.name()),
            )),
        }
    }
    items.extend(trailing_item(bytes, png.trailing.clone(), "IEND chunk"));
    Ok(Photo { width: png.width, height: png.height, orientation: orientation.unwrap_or(1), items })
}

/// The keyword prefix under which ImageMagick stores whole metadata blocks in PNG text chunks,
/// hex-encoded ("Raw profile type exif", "... xmp", "... iptc", "... 8bim").
const RAW_PROFILE_KEYWORD: &str = "Raw profile type ";

/// The items of an ImageMagick raw profile: "\n<name>\n<length>\n<hex digits over lines>".
///
/// Viewers do not show these chunks, but exiftool and ImageMagick read them, so their content
/// is reported like the blocks they stand for (the EXIF orientation they hold is not applied
/// by viewers, so it does not change the layout).
fn raw_profile_items(profile: &str, value: &str) -> Result<Vec<HiddenItem>> {
    let mut lines = value.split('\n').map(str::trim).filter(|l| !l.is_empty());
    let (_name, length) = (lines.next(), lines.next().and_then(|l| l.parse::<usize>().ok()));
    let digits: Vec<u8> = lines.flat_map(|l| l.bytes()).collect();
    let bytes: Option<Vec<u8>> = digits
        .chunks(2)
        .map(|pair| std::str::from_utf8(pair).ok().and_then(|p| u8::from_str_radix(p, 16).ok()))
        .collect();
    let Some(bytes) = bytes.filter(|b| length.is_none_or(|n| n == b.len())) else {
        return Err(Error::malformed(format!("the raw {profile} profile is not valid hex")));
    };
    Ok(match profile {
        "exif" => {
            let tiff = bytes.strip_prefix(EXIF_PREFIX).unwrap_or(&bytes);
            exif::read_block(tiff)?.items
        }
        "xmp" => text::xmp_items(&bytes, "XMP"),
        "iptc" | "8bim" => {
            let resources = bytes.strip_prefix(b"Photoshop 3.0\0".as_slice()).unwrap_or(&bytes);
            let found = text::photoshop_items(resources);
            if found.is_empty() { text::iptc_items(&bytes) } else { found }
        }
        _ => Vec::new(),
    })
}

/// Keyword and text of a tEXt, zTXt or iTXt chunk.
fn png_text(kind: &[u8; 4], data: &[u8], limits: &Limits) -> Result<(String, String)> {
    let (keyword, rest) = split_nul(data).ok_or_else(|| Error::malformed("text chunk without a keyword"))?;
    let keyword = text::decode_legacy(keyword);
    let value = match kind {
        b"tEXt" => text::decode_legacy(rest),
        b"zTXt" => text::decode_legacy(&text::inflate(rest.get(1..).unwrap_or_default(), limits)?),
        _ => {
            let (&compressed, rest) =
                rest.split_first().ok_or_else(|| Error::malformed("iTXt chunk too short"))?;
            let rest = rest.get(1..).unwrap_or_default();
            let (_language, rest) =
                split_nul(rest).ok_or_else(|| Error::malformed("iTXt chunk without a language"))?;
            let (translated, rest) =
                split_nul(rest).ok_or_else(|| Error::malformed("iTXt chunk without a translated keyword"))?;
            let value = if compressed == 1 { text::inflate(rest, limits)? } else { rest.to_vec() };
            let value = text::decode_legacy(&value);
            let translated = text::decode_legacy(translated);
            if translated.is_empty() { value } else { format!("{translated}: {value}") }
        }
    };
    Ok((keyword, value))
}

fn split_nul(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let at = bytes.iter().position(|&b| b == 0)?;
    Some((&bytes[..at], &bytes[at + 1..]))
}

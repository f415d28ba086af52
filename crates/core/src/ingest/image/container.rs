//! The two picture containers, walked byte by byte with bounds checks: JPEG segments and PNG
//! chunks.
//!
//! Both the reader and the redactor use these walks: the reader to report every metadata block
//! by where it is, the redactor to copy the blocks that hold pixels and drop the rest. Walking
//! the container ourselves, rather than asking a decoder, means that nothing a decoder would
//! skip (a comment between scans, bytes after the end-of-image marker, an unknown chunk) goes
//! unseen.

use std::ops::Range;

use crate::error::{Error, Result};
use crate::limits::Limits;

/// Most segments (JPEG) or chunks (PNG) in one picture. Real pictures have tens, or a few
/// thousand IDAT chunks for a very large PNG; the bound keeps a file of millions of empty
/// chunks from costing gigabytes of bookkeeping.
pub(crate) const MAX_BLOCKS: usize = 1_000_000;

fn too_many_blocks(count: usize, what: &str) -> Result<()> {
    if count >= MAX_BLOCKS {
        return Err(Error::limit(format!("the picture has more than {MAX_BLOCKS} {what}")));
    }
    Ok(())
}

/// The PNG file signature.
pub(crate) const PNG_SIGNATURE: &[u8; 8] = b"\x89PNG\r\n\x1a\n";

/// JPEG markers this module names (the byte after 0xFF).
pub(crate) mod marker {
    /// Start of image.
    pub const SOI: u8 = 0xD8;
    /// End of image.
    pub const EOI: u8 = 0xD9;
    /// Start of scan: entropy-coded data follows its header.
    pub const SOS: u8 = 0xDA;
    /// First application segment (APP0, JFIF).
    pub const APP0: u8 = 0xE0;
    /// EXIF and XMP live in APP1.
    pub const APP1: u8 = 0xE1;
    /// ICC profiles and multi-picture indexes live in APP2.
    pub const APP2: u8 = 0xE2;
    /// Photoshop resources (IPTC) live in APP13.
    pub const APP13: u8 = 0xED;
    /// Adobe's colour-transform segment.
    pub const APP14: u8 = 0xEE;
    /// Last application segment.
    pub const APP15: u8 = 0xEF;
    /// Comment.
    pub const COM: u8 = 0xFE;

    /// True for the start-of-frame markers, which carry the picture's size.
    pub fn is_start_of_frame(m: u8) -> bool {
        matches!(m, 0xC0..=0xCF) && !matches!(m, 0xC4 | 0xC8 | 0xCC)
    }

    /// True for the markers that stand alone, without a length field.
    pub fn is_standalone(m: u8) -> bool {
        matches!(m, 0x01 | 0xD0..=0xD7)
    }

    /// True for the markers that describe how to decode pixels (tables, frame, scans,
    /// restarts), as opposed to application data and comments.
    pub fn is_coding(m: u8) -> bool {
        is_start_of_frame(m)
            || is_standalone(m)
            // DHT, DAC, DQT, DNL, DRI, DHP, EXP, SOS.
            || matches!(m, 0xC4 | 0xCC | 0xDB | 0xDC | 0xDD | 0xDE | 0xDF | SOS)
    }
}

/// One piece of a JPEG file after the start-of-image marker, in file order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum JpegPiece {
    /// A marker segment: `bytes` covers the marker and its length field, `payload` what follows.
    Segment {
        /// The byte after 0xFF.
        marker: u8,
        /// The whole segment, marker included.
        bytes: Range<usize>,
        /// The segment's content after the length field (empty for stand-alone markers).
        payload: Range<usize>,
    },
    /// Entropy-coded data following a start-of-scan header, with its stuffed bytes and restart
    /// markers.
    Scan(Range<usize>),
    /// Bytes where a marker should be, which decoders skip (libjpeg warns "extraneous bytes
    /// before marker" and shows the picture): they can hold anything, and exports drop them.
    Extraneous(Range<usize>),
}

/// A JPEG file split into its pieces.
#[derive(Debug)]
pub(crate) struct Jpeg {
    /// Every piece between the start-of-image and end-of-image markers, in order.
    pub pieces: Vec<JpegPiece>,
    /// Width and height from the start-of-frame header, as stored (before EXIF orientation).
    pub width: u32,
    /// See `width`.
    pub height: u32,
    /// Bytes after the end-of-image marker, which viewers ignore but which can hold anything.
    pub trailing: Range<usize>,
}

/// Splits a JPEG file into segments and scans, checking every length against the file.
pub(crate) fn parse_jpeg(bytes: &[u8], limits: &Limits) -> Result<Jpeg> {
    if bytes.get(..2) != Some(&[0xFF, marker::SOI][..]) {
        return Err(Error::malformed("not a JPEG file (no start-of-image marker)"));
    }
    let mut pieces = Vec::new();
    let mut frame: Option<(u32, u32)> = None;
    let mut seen_scan = false;
    let mut pos = 2;
    loop {
        too_many_blocks(pieces.len(), "segments")?;
        let Some(&byte) = bytes.get(pos) else {
            return Err(Error::malformed(format!(
                "truncated JPEG: the file ends at byte {pos} without an end-of-image marker"
            )));
        };
        if byte != 0xFF {
            let skipped = bytes[pos..].iter().position(|&b| b == 0xFF).map_or(bytes.len(), |n| pos + n);
            pieces.push(JpegPiece::Extraneous(pos..skipped));
            pos = skipped;
            continue;
        }
        let start = pos;
        // Any number of 0xFF fill bytes may precede a marker.
        while bytes.get(pos) == Some(&0xFF) {
            pos += 1;
        }
        let Some(&m) = bytes.get(pos) else {
            return Err(Error::malformed("truncated JPEG: the file ends inside a marker"));
        };
        pos += 1;
        match m {
            marker::EOI => {
                if !seen_scan {
                    return Err(Error::malformed("broken JPEG: the image ends before any scan data"));
                }
                let (width, height) =
                    frame.ok_or_else(|| Error::malformed("broken JPEG: no start-of-frame header"))?;
                return Ok(Jpeg { pieces, width, height, trailing: pos..bytes.len() });
            }
            marker::SOI | 0x00 => {
                return Err(Error::malformed(format!(
                    "broken JPEG: unexpected marker 0xFF{m:02X} at byte {start}"
                )));
            }
            m if marker::is_standalone(m) => {
                pieces.push(JpegPiece::Segment { marker: m, bytes: start..pos, payload: pos..pos });
                continue;
            }
            _ => {}
        }
        let length = read_u16(bytes, pos).ok_or_else(|| {
            Error::malformed(format!("truncated JPEG: segment 0xFF{m:02X} at byte {start} has no length"))
        })? as usize;
        if length < 2 || pos + length > bytes.len() {
            return Err(Error::malformed(format!(
                "truncated JPEG: segment 0xFF{m:02X} at byte {start} declares {length} bytes, past the end of the file"
            )));
        }
        let payload = pos + 2..pos + length;
        pos += length;
        if marker::is_start_of_frame(m) {
            if frame.is_some() {
                return Err(Error::malformed("broken JPEG: more than one start-of-frame header"));
            }
            frame = Some(frame_size(&bytes[payload.clone()], limits)?);
        }
        pieces.push(JpegPiece::Segment { marker: m, bytes: start..pos, payload });
        if m == marker::SOS {
            if frame.is_none() {
                return Err(Error::malformed("broken JPEG: scan data before the start-of-frame header"));
            }
            seen_scan = true;
            let end = scan_end(bytes, pos)?;
            pieces.push(JpegPiece::Scan(pos..end));
            pos = end;
        }
    }
}

/// The end of the entropy-coded data starting at `from`: the next 0xFF that begins a real
/// marker (not a stuffed 0xFF00 and not a restart marker, which belong to the scan).
fn scan_end(bytes: &[u8], from: usize) -> Result<usize> {
    let mut i = from;
    while i + 1 < bytes.len() {
        if bytes[i] == 0xFF {
            match bytes[i + 1] {
                0x00 | 0xD0..=0xD7 => i += 2,
                // Anything else is a marker, possibly after 0xFF fill bytes (compressed data
                // never holds 0xFF 0xFF): the next piece starts at this first 0xFF.
                _ => return Ok(i),
            }
        } else {
            i += 1;
        }
    }
    Err(Error::malformed("truncated JPEG: the file ends inside the compressed picture data"))
}

/// Width and height from a start-of-frame payload, checked against the pixel limit.
fn frame_size(payload: &[u8], limits: &Limits) -> Result<(u32, u32)> {
    let (Some(height), Some(width)) = (read_u16(payload, 1), read_u16(payload, 3)) else {
        return Err(Error::malformed("broken JPEG: start-of-frame header too short"));
    };
    if width == 0 || height == 0 {
        // A zero height defers the size to a DNL marker, which no camera or editor writes.
        return Err(Error::malformed(format!("broken JPEG: the frame declares a size of {width}×{height}")));
    }
    check_pixels(width.into(), height.into(), limits)?;
    Ok((width.into(), height.into()))
}

/// Fails when a declared picture size exceeds [`Limits::max_image_pixels`].
pub(crate) fn check_pixels(width: u32, height: u32, limits: &Limits) -> Result<()> {
    let pixels = u64::from(width) * u64::from(height);
    if pixels > limits.max_image_pixels {
        return Err(Error::limit(format!(
            "the picture declares {width}×{height} = {pixels} pixels, more than the limit of {}",
            limits.max_image_pixels
        )));
    }
    Ok(())
}

/// One PNG chunk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PngChunk {
    /// The four-letter chunk type.
    pub kind: [u8; 4],
    /// The whole chunk: length, type, data and CRC.
    pub bytes: Range<usize>,
    /// The chunk's data.
    pub data: Range<usize>,
    /// Whether the stored CRC matches. Only ancillary chunks may have a bad one (see
    /// [`parse_png`]).
    pub crc_ok: bool,
}

impl PngChunk {
    /// The chunk type as text, for messages and labels.
    pub fn name(&self) -> String {
        String::from_utf8_lossy(&self.kind).into_owned()
    }

    /// Critical chunks (upper-case first letter) are needed to show the picture.
    pub fn is_critical(&self) -> bool {
        self.kind[0].is_ascii_uppercase()
    }
}

/// A PNG file split into its chunks.
#[derive(Debug)]
pub(crate) struct Png {
    /// Every chunk from IHDR to IEND, in order.
    pub chunks: Vec<PngChunk>,
    /// Width from IHDR.
    pub width: u32,
    /// Height from IHDR.
    pub height: u32,
    /// Bytes after IEND, which viewers ignore but which can hold anything.
    pub trailing: Range<usize>,
}

/// The critical chunks a PNG viewer knows; any other critical chunk makes the file unreadable.
const KNOWN_CRITICAL: [&[u8; 4]; 4] = [b"IHDR", b"PLTE", b"IDAT", b"IEND"];

/// Splits a PNG file into chunks, checking lengths and CRCs.
///
/// A bad CRC on a critical chunk is an error, as in libpng, which is what most viewers use: the
/// picture is damaged. A bad CRC on an ancillary chunk is tolerated, as libpng does by default
/// (it drops the chunk with a warning) — but some readers show such a chunk anyway, so the
/// reader still reports its content, and the redactor drops it like every metadata chunk.
pub(crate) fn parse_png(bytes: &[u8], limits: &Limits) -> Result<Png> {
    if bytes.get(..8) != Some(&PNG_SIGNATURE[..]) {
        return Err(Error::malformed("not a PNG file (bad signature)"));
    }
    let mut chunks: Vec<PngChunk> = Vec::new();
    let mut size = None;
    let mut pos = 8;
    loop {
        too_many_blocks(chunks.len(), "chunks")?;
        let start = pos;
        let (Some(length), Some(kind)) =
            (read_u32(bytes, pos), bytes.get(pos + 4..pos + 8).and_then(|k| <[u8; 4]>::try_from(k).ok()))
        else {
            return Err(Error::malformed(format!(
                "truncated PNG: the file ends at byte {} without an IEND chunk",
                bytes.len()
            )));
        };
        let name = String::from_utf8_lossy(&kind).into_owned();
        if !kind.iter().all(u8::is_ascii_alphabetic) {
            return Err(Error::malformed(format!("broken PNG: invalid chunk type at byte {start}")));
        }
        let data = pos + 8..(pos + 8).saturating_add(length as usize);
        let crc_end = data.end.saturating_add(4);
        if length > 0x7FFF_FFFF || crc_end > bytes.len() {
            return Err(Error::malformed(format!(
                "truncated PNG: chunk {name} at byte {start} declares {length} bytes, past the end of the file"
            )));
        }
        let stored_crc = read_u32(bytes, data.end).unwrap_or_default();
        let crc_ok = crc32fast::hash(&bytes[pos + 4..data.end]) == stored_crc;
        let chunk = PngChunk { kind, bytes: start..crc_end, data, crc_ok };
        pos = crc_end;
        if chunk.is_critical() && !crc_ok {
            return Err(Error::malformed(format!(
                "broken PNG: chunk {name} at byte {start} fails its CRC check"
            )));
        }
        if chunk.is_critical() && !KNOWN_CRITICAL.contains(&&kind) {
            return Err(Error::malformed(format!(
                "broken PNG: unknown critical chunk {name} at byte {start}"
            )));
        }
        if chunks.is_empty() {
            if &kind != b"IHDR" || chunk.data.len() != 13 {
                return Err(Error::malformed("broken PNG: the first chunk is not a valid IHDR"));
            }
            let (width, height) = (
                read_u32(bytes, chunk.data.start).unwrap_or(0),
                read_u32(bytes, chunk.data.start + 4).unwrap_or(0),
            );
            if width == 0 || height == 0 || width > 0x7FFF_FFFF || height > 0x7FFF_FFFF {
                return Err(Error::malformed(format!(
                    "broken PNG: IHDR declares a size of {width}×{height}"
                )));
            }
            check_pixels(width, height, limits)?;
            size = Some((width, height));
        } else if &kind == b"IHDR" {
            return Err(Error::malformed("broken PNG: more than one IHDR chunk"));
        }
        let end = &kind == b"IEND";
        chunks.push(chunk);
        if end {
            break;
        }
    }
    if !chunks.iter().any(|c| &c.kind == b"IDAT") {
        return Err(Error::malformed("broken PNG: no IDAT chunk (no picture data)"));
    }
    let (width, height) = size.unwrap_or_default();
    Ok(Png { chunks, width, height, trailing: pos..bytes.len() })
}

/// A big-endian u16 at `at`, if the bytes are there.
pub(crate) fn read_u16(bytes: &[u8], at: usize) -> Option<u16> {
    let b = bytes.get(at..at.checked_add(2)?)?;
    Some(u16::from_be_bytes([b[0], b[1]]))
}

/// A big-endian u32 at `at`, if the bytes are there.
pub(crate) fn read_u32(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg(segments: &[&[u8]]) -> Vec<u8> {
        let mut out = vec![0xFF, 0xD8];
        for s in segments {
            out.extend_from_slice(s);
        }
        out
    }

    const SOF: &[u8] = &[0xFF, 0xC0, 0, 11, 8, 0, 2, 0, 3, 1, 1, 0x11, 0];
    const SOS: &[u8] = &[0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 63, 0];

    fn check_jpeg_error(bytes: &[u8], expected: &str) {
        let err = parse_jpeg(bytes, &Limits::default()).unwrap_err();
        assert!(err.message().contains(expected), "expected {expected:?} in {:?}", err.message());
    }

    #[test]
    fn jpeg_pieces_follow_the_file_and_scans_keep_stuffed_bytes_and_restarts() {
        let bytes = jpeg(&[SOF, SOS, &[0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56], &[0xFF, 0xD9], b"tail"]);
        let parsed = parse_jpeg(&bytes, &Limits::default()).unwrap();
        assert_eq!((parsed.width, parsed.height), (3, 2));
        assert_eq!(parsed.pieces.last(), Some(&JpegPiece::Scan(25..32)));
        assert_eq!(&bytes[parsed.trailing], b"tail");
    }

    #[test]
    fn extraneous_bytes_before_a_marker_are_skipped_as_decoders_do() {
        let bytes = jpeg(&[b"junk", SOF, b"\x00\x00", SOS, &[0x12], &[0xFF, 0xD9]]);
        let parsed = parse_jpeg(&bytes, &Limits::default()).unwrap();
        assert_eq!(parsed.pieces[0], JpegPiece::Extraneous(2..6));
        assert_eq!(parsed.pieces[2], JpegPiece::Extraneous(19..21));
    }

    #[test]
    fn broken_jpegs_are_refused_with_the_reason() {
        check_jpeg_error(&jpeg(&[SOF, SOS, &[1, 2, 3]]), "ends inside the compressed picture data");
        check_jpeg_error(&jpeg(&[SOF]), "without an end-of-image marker");
        check_jpeg_error(&jpeg(&[&[0xFF, 0xE1, 0x40, 0x00, 1, 2]]), "past the end of the file");
        check_jpeg_error(&jpeg(&[&[0x13, 0x37]]), "without an end-of-image marker");
        check_jpeg_error(&jpeg(&[SOS, &[0xFF, 0xD9]]), "before the start-of-frame");
        check_jpeg_error(&jpeg(&[&[0xFF, 0xD9]]), "before any scan data");
        check_jpeg_error(&jpeg(&[SOF, SOF]), "more than one start-of-frame");
    }

    #[test]
    fn a_jpeg_frame_over_the_pixel_limit_is_refused_before_decoding() {
        let limits = Limits { max_image_pixels: 5, ..Limits::default() };
        let err = parse_jpeg(&jpeg(&[SOF, SOS, &[0xFF, 0xD9]]), &limits).unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::LimitExceeded);
    }
}

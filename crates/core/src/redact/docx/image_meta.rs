//! Metadata stripping for the pictures embedded in a DOCX: EXIF, XMP, comments and text chunks
//! go, the pixels stay byte for byte.
//!
// TODO(lead): the image helper owns metadata stripping in `redact/image.rs`; this minimal private
// copy exists so the DOCX export is clean today. Point `strip` at that module once merged.

use crate::error::{Error, ErrorKind, Result};

/// Strips metadata from an embedded picture, by format; other formats are returned unchanged.
pub(super) fn strip(bytes: &[u8], part: &str) -> Result<Vec<u8>> {
    if bytes.starts_with(&[0xFF, 0xD8]) {
        strip_jpeg(bytes).ok_or_else(|| unsafe_image(part, "JPEG"))
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        strip_png(bytes).ok_or_else(|| unsafe_image(part, "PNG"))
    } else {
        Ok(bytes.to_vec())
    }
}

fn unsafe_image(part: &str, format: &str) -> Error {
    Error::new(
        ErrorKind::RedactionUnsafe,
        format!("embedded picture {part} is a damaged {format}; its metadata cannot be removed safely"),
    )
}

/// Copies a JPEG without its APP1..APP15 segments (EXIF, XMP, ICC-adjacent vendor data, Adobe,
/// thumbnails) and comments. APP0 (JFIF) is kept: it holds only density and version fields.
fn strip_jpeg(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = vec![0xFF, 0xD8];
    let mut at = 2;
    loop {
        if *bytes.get(at)? != 0xFF {
            return None;
        }
        let marker = *bytes.get(at + 1)?;
        match marker {
            // Fill bytes before a marker.
            0xFF => at += 1,
            // Start of scan: the entropy-coded data and everything after are copied as they are.
            0xDA => {
                out.extend_from_slice(bytes.get(at..)?);
                return Some(out);
            }
            0xD9 => {
                out.extend_from_slice(&[0xFF, 0xD9]);
                return Some(out);
            }
            // Markers without a length.
            0x01 | 0xD0..=0xD7 => {
                out.extend_from_slice(&[0xFF, marker]);
                at += 2;
            }
            _ => {
                let length = u16::from_be_bytes([*bytes.get(at + 2)?, *bytes.get(at + 3)?]) as usize;
                let segment = bytes.get(at..at + 2 + length)?;
                if length < 2 {
                    return None;
                }
                if !matches!(marker, 0xE1..=0xEF | 0xFE) {
                    out.extend_from_slice(segment);
                }
                at += 2 + length;
            }
        }
    }
}

/// Copies a PNG without its text, EXIF and time chunks.
fn strip_png(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = bytes.get(..8)?.to_vec();
    let mut at = 8;
    while at < bytes.len() {
        let length = u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?) as usize;
        let kind = bytes.get(at + 4..at + 8)?;
        let chunk = bytes.get(at..at.checked_add(12)?.checked_add(length)?)?;
        if !matches!(kind, b"tEXt" | b"zTXt" | b"iTXt" | b"eXIf" | b"tIME") {
            out.extend_from_slice(chunk);
        }
        at += chunk.len();
        if kind == b"IEND" {
            return Some(out);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jpeg_metadata_segments_go_and_the_rest_stays() {
        let jpeg = [
            &[0xFF, 0xD8][..],
            &[0xFF, 0xE0, 0, 4, b'J', b'F'],
            &[0xFF, 0xE1, 0, 6, b'E', b'x', b'i', b'f'],
            &[0xFF, 0xFE, 0, 3, b'c'],
            &[0xFF, 0xDB, 0, 3, 9],
            &[0xFF, 0xDA, 0, 2, 1, 2, 3, 0xFF, 0xD9],
        ]
        .concat();
        let expected = [
            &[0xFF, 0xD8][..],
            &[0xFF, 0xE0, 0, 4, b'J', b'F'],
            &[0xFF, 0xDB, 0, 3, 9],
            &[0xFF, 0xDA, 0, 2, 1, 2, 3, 0xFF, 0xD9],
        ]
        .concat();
        assert_eq!(strip(&jpeg, "x.jpg").unwrap(), expected);
        assert_eq!(strip(&jpeg[..9], "x.jpg").unwrap_err().kind(), ErrorKind::RedactionUnsafe);
    }

    #[test]
    fn png_text_chunks_go_and_image_chunks_stay() {
        let chunk = |kind: &[u8], data: &[u8]| {
            [&(data.len() as u32).to_be_bytes()[..], kind, data, &[0, 0, 0, 0]].concat()
        };
        let signature = b"\x89PNG\r\n\x1a\n".to_vec();
        let png = [
            signature.clone(),
            chunk(b"IHDR", b"hdr"),
            chunk(b"tEXt", b"Author\0me"),
            chunk(b"eXIf", b"II*"),
            chunk(b"IDAT", b"px"),
            chunk(b"IEND", b""),
        ]
        .concat();
        let expected =
            [signature, chunk(b"IHDR", b"hdr"), chunk(b"IDAT", b"px"), chunk(b"IEND", b"")].concat();
        assert_eq!(strip(&png, "x.png").unwrap(), expected);
    }
}

//! Metadata stripping for the pictures embedded in a DOCX: the photo redactor's own filter
//! (`redact::image::strip_metadata`) decides what a public picture may carry, so a JPEG or PNG
//! inside a DOCX leaves exactly as clean as one exported on its own. Other picture formats (EMF,
//! GIF, TIFF...) are passed through unchanged; the reader flags every picture "review by eye".

use crate::document::Format;
use crate::error::{ErrorKind, Result};
use crate::redact::image::strip_metadata;

/// Strips metadata from an embedded picture, by its content (a part's extension can lie).
pub(super) fn strip(bytes: &[u8], part: &str) -> Result<Vec<u8>> {
    let format = if bytes.starts_with(&[0xFF, 0xD8]) {
        Format::Jpeg
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Format::Png
    } else {
        return Ok(bytes.to_vec());
    };
    strip_metadata(bytes, format).map_err(|e| {
        crate::Error::new(
            ErrorKind::RedactionUnsafe,
            format!("embedded picture {part}: its metadata cannot be removed safely: {}", e.message()),
        )
    })
}

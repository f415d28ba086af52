//! Reading files into [`Document`]s: format sniffing, then one reader per format.
//!
//! Every reader treats its input as hostile: sizes, counts and depths are checked against
//! [`Limits`] while decoding, and every failure is an [`Error`] naming the problem — never a
//! panic. Readers are deterministic (see `document`).

pub(crate) mod docx;
pub(crate) mod image;
pub(crate) mod pdf;
mod text;

use crate::document::{Document, Format};
use crate::error::{Error, ErrorKind, Result};
use crate::limits::Limits;

/// Decides the format of `bytes` from their content, using `file_name`'s extension only to tell
/// Markdown from plain text (both are just text).
pub fn sniff_format(bytes: &[u8], file_name: Option<&str>) -> Result<Format> {
    let extension = file_name
        .and_then(|n| n.rsplit_once('.'))
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    // PDF readers accept the header anywhere in the first kilobyte, and so do we: producers
    // sometimes prepend garbage, and a file a viewer opens must not slip past review as "text".
    let head = &bytes[..bytes.len().min(1024)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        return Ok(Format::Pdf);
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Ok(Format::Docx);
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok(Format::Jpeg);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(Format::Png);
    }
    if text::looks_like_text(bytes) {
        return Ok(match extension.as_str() {
            "md" | "markdown" => Format::Md,
            _ => Format::Txt,
        });
    }
    Err(Error::new(
        ErrorKind::UnsupportedFormat,
        "not a PDF, DOCX, JPEG, PNG or text file (binary content of unknown format)",
    ))
}

/// Reads `bytes` as a document of the sniffed format.
pub fn read(bytes: &[u8], file_name: Option<&str>, limits: &Limits) -> Result<Document> {
    let format = sniff_format(bytes, file_name)?;
    read_as(bytes, format, limits)
}

/// Reads `bytes` as a document of `format`.
pub fn read_as(bytes: &[u8], format: Format, limits: &Limits) -> Result<Document> {
    if bytes.len() as u64 > limits.max_input_bytes {
        return Err(Error::limit(format!(
            "file is {} bytes, more than the limit of {} bytes",
            bytes.len(),
            limits.max_input_bytes
        )));
    }
    match format {
        Format::Txt | Format::Md => text::read(bytes, format),
        Format::Docx => docx::read(bytes, limits),
        Format::Pdf => pdf::read(bytes, limits),
        Format::Jpeg | Format::Png => image::read(bytes, format, limits),
    }
}

pub(crate) use text::{TextEncoding, decode as decode_text};

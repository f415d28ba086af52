//! Plain text and Markdown: encoding detection and a line-per-block document.
//!
//! Chinese agencies still produce GB18030/GBK files, so the encoding is detected, never assumed:
//! a byte-order mark decides first (UTF-8, UTF-16 LE/BE); otherwise valid UTF-8 is UTF-8, and
//! anything else that decodes as GB18030 without errors is GB18030. The redactor re-encodes its
//! output in the same encoding, so the [`TextEncoding`] is part of what is detected.

use crate::document::{Document, DocumentBuilder, Format, Layout, Location, Origin};
use crate::error::{Error, Result};

/// A text encoding Vetted detects and writes back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TextEncoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Gb18030,
}

/// Decodes `bytes`, returning the text (without byte-order mark) and the encoding found.
pub(crate) fn decode(bytes: &[u8]) -> Result<(String, TextEncoding)> {
    let (encoding, body, kind) = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        (encoding_rs::UTF_8, rest, TextEncoding::Utf8Bom)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        (encoding_rs::UTF_16LE, rest, TextEncoding::Utf16Le)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        (encoding_rs::UTF_16BE, rest, TextEncoding::Utf16Be)
    } else if let Ok(text) = std::str::from_utf8(bytes) {
        // Valid UTF-8 as it is, the common case: one validation and one copy, where going
        // through encoding_rs would validate it a second time.
        return Ok((text.to_owned(), TextEncoding::Utf8));
    } else {
        (encoding_rs::GB18030, bytes, TextEncoding::Gb18030)
    };
    let (text, had_errors) = encoding.decode_without_bom_handling(body);
    if had_errors {
        return Err(Error::malformed(format!(
            "text is neither valid UTF-8, UTF-16 nor GB18030 (undecodable bytes as {})",
            encoding.name()
        )));
    }
    Ok((text.into_owned(), kind))
}

/// True when `bytes` plausibly are text: a BOM, or no NUL byte in the first 8 KiB and a
/// successful decode. Random binary almost always has a NUL within 8 KiB.
pub(crate) fn looks_like_text(bytes: &[u8]) -> bool {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return decode(bytes).is_ok();
    }
    let head = &bytes[..bytes.len().min(8192)];
    // Valid UTF-8 (with or without a BOM) is text without decoding it into a copy.
    !head.contains(&0) && (std::str::from_utf8(bytes).is_ok() || decode(bytes).is_ok())
}

/// Reads a text file: the text exactly as decoded, one block per non-empty line
/// (`paragraph` = 1-based line number; the block excludes the line break).
pub(super) fn read(bytes: &[u8], format: Format) -> Result<Document> {
    let (text, _) = decode(bytes)?;
    let mut builder = DocumentBuilder::with_capacity(format, text.len(), text.chars().count());
    builder.push_str(&text, |index| Origin::Text { index: index as u32 });
    let mut start = 0;
    for (number, line) in text.split('\n').enumerate() {
        let content = line.strip_suffix('\r').unwrap_or(line);
        let chars = content.chars().count();
        builder.add_block(
            start,
            start + chars,
            Location { paragraph: Some(number as u32 + 1), ..Location::default() },
        );
        start += line.chars().count() + 1;
    }
    Ok(builder.finish(Layout::Flow))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_decode(bytes: &[u8], expected_text: &str, expected_encoding: TextEncoding) {
        let (text, encoding) = decode(bytes).unwrap();
        assert_eq!((text.as_str(), encoding), (expected_text, expected_encoding));
    }

    #[test]
    fn encodings_are_detected_not_assumed() {
        check_decode("机密 notice".as_bytes(), "机密 notice", TextEncoding::Utf8);
        check_decode(b"\xEF\xBB\xBFabc", "abc", TextEncoding::Utf8Bom);
        check_decode(b"\xFF\xFE\x3a\x67\xc6\x5b", "机密", TextEncoding::Utf16Le);
        check_decode(b"\xFE\xFF\x67\x3a\x5b\xc6", "机密", TextEncoding::Utf16Be);
        // "机密" in GBK.
        check_decode(b"\xbb\xfa\xc3\xdc", "机密", TextEncoding::Gb18030);
    }

    #[test]
    fn each_line_is_a_block_and_offsets_are_exact() {
        let doc = read("第一行\r\n\nthird".as_bytes(), Format::Txt).unwrap();
        assert_eq!(doc.text(), "第一行\r\n\nthird");
        let lines: Vec<_> =
            doc.blocks().iter().map(|b| (doc.slice(b.start, b.end), b.location.paragraph)).collect();
        assert_eq!(lines, vec![("第一行", Some(1)), ("third", Some(3))]);
    }
}

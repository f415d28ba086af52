//! TXT and Markdown redaction: replace characters, keep the encoding and line endings.

use super::plan::{MarkStyle, RedactionPlan, label};
use crate::document::{Document, Origin};
use crate::error::{Error, Result};
use crate::ingest::{TextEncoding, decode_text};

/// The mark that stands for one removed character.
pub(crate) const BLOCK: char = '█';

pub(super) fn redact(original: &[u8], document: &Document, plan: &RedactionPlan) -> Result<Vec<u8>> {
    let (text, encoding) = decode_text(original)?;
    let chars: Vec<char> = text.chars().collect();
    // The text reader maps character i of the document to character i of the file; check
    // rather than assume, since a wrong offset here would redact the wrong words.
    let mut remove = vec![false; chars.len()];
    let mut label_at = std::collections::BTreeMap::new();
    for (start, end, reason) in plan.merged_visible_ranges(document) {
        for i in start..end {
            match document.origin(i) {
                Origin::Text { index } => remove[index as usize] = true,
                Origin::Synthetic | Origin::Hidden { .. } => {}
                other => {
                    return Err(Error::malformed(format!("text document has a non-text origin {other:?}")));
                }
            }
        }
        if let Origin::Text { index } = document.origin(start) {
            label_at.insert(index as usize, reason);
        }
    }
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        if !remove[i] || c == '\n' || c == '\r' {
            // Line breaks inside a range are kept so the rest of the file keeps its lines.
            out.push(c);
            continue;
        }
        match plan.style {
            MarkStyle::Blocks => out.push(BLOCK),
            MarkStyle::Label => {
                if let Some(reason) = label_at.get(&i) {
                    out.push_str(&label(reason));
                }
            }
        }
    }
    Ok(encode(&out, encoding))
}

fn encode(text: &str, encoding: TextEncoding) -> Vec<u8> {
    match encoding {
        TextEncoding::Utf8 => text.as_bytes().to_vec(),
        TextEncoding::Utf8Bom => [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
        // encoding_rs follows the WHATWG rule that UTF-16 encoders emit UTF-8, so UTF-16 is
        // written by hand here.
        TextEncoding::Utf16Le => {
            let mut out = vec![0xFF, 0xFE];
            out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
            out
        }
        TextEncoding::Utf16Be => {
            let mut out = vec![0xFE, 0xFF];
            out.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
            out
        }
        TextEncoding::Gb18030 => encoding_rs::GB18030.encode(text).0.into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::redact::{PlannedRange, redact as redact_file};
    use crate::{Format, Limits};

    fn plan(ranges: &[(usize, usize)], style: MarkStyle) -> RedactionPlan {
        RedactionPlan {
            ranges: ranges
                .iter()
                .map(|&(start, end)| PlannedRange { start, end, reason: "工作秘密".into() })
                .collect(),
            areas: Vec::new(),
            style,
        }
    }

    fn check(input: &[u8], ranges: &[(usize, usize)], style: MarkStyle, expected: &[u8]) {
        let export = redact_file(input, Format::Txt, &plan(ranges, style), &Limits::default()).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&export.bytes),
            String::from_utf8_lossy(expected),
            "redacting {ranges:?} of {:?}",
            String::from_utf8_lossy(input)
        );
    }

    #[test]
    fn characters_become_blocks_and_line_breaks_stay() {
        check(
            "部队番号95837\r\n下一行".as_bytes(),
            &[(4, 9)],
            MarkStyle::Blocks,
            "部队番号█████\r\n下一行".as_bytes(),
        );
        check("ab\r\ncd".as_bytes(), &[(1, 5)], MarkStyle::Blocks, "a█\r\n█d".as_bytes());
    }

    #[test]
    fn label_style_replaces_the_whole_range_once() {
        check("见95837部队".as_bytes(), &[(1, 8)], MarkStyle::Label, "见[删除: 工作秘密]".as_bytes());
    }

    #[test]
    fn a_redacted_character_that_also_occurs_in_its_label_is_not_a_leak() {
        // Regression (found by the DOCX property test): redacting one "秘" under a label naming
        // 工作秘密 failed verification, because the label itself was searched for the secret.
        check("秘a".as_bytes(), &[(0, 1)], MarkStyle::Label, "[删除: 工作秘密]a".as_bytes());
    }

    #[test]
    fn encoding_is_preserved() {
        // "机密x" in GBK → "██x" in GB18030 (█ is 0xA8 0x80 there).
        let export = redact_file(
            b"\xbb\xfa\xc3\xdcx",
            Format::Txt,
            &plan(&[(0, 2)], MarkStyle::Blocks),
            &Limits::default(),
        )
        .unwrap();
        assert_eq!(encoding_rs::GB18030.decode(&export.bytes).0, "██x");
        let utf16: Vec<u8> =
            [0xFF, 0xFE].into_iter().chain("机密x".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        let export =
            redact_file(&utf16, Format::Txt, &plan(&[(0, 2)], MarkStyle::Blocks), &Limits::default())
                .unwrap();
        assert_eq!(&export.bytes[..2], &[0xFF, 0xFE]);
        assert_eq!(
            String::from_utf16(
                &export.bytes[2..].chunks(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect::<Vec<_>>()
            )
            .unwrap(),
            "██x"
        );
    }

    #[test]
    fn a_kept_occurrence_of_a_redacted_string_is_not_a_leak() {
        let export = redact_file(
            "张三 and 张三".as_bytes(),
            Format::Txt,
            &plan(&[(0, 2)], MarkStyle::Blocks),
            &Limits::default(),
        )
        .unwrap();
        assert_eq!(String::from_utf8(export.bytes).unwrap(), "██ and 张三");
        assert_eq!(export.report.strings_checked, 1);
    }
}

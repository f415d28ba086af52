//! The redaction plan: what to remove, and how to mark where it was.

use serde::{Deserialize, Serialize};

use crate::document::{Document, Rect};
use crate::error::{Error, ErrorKind, Result};

/// How a removed passage is marked in the output.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MarkStyle {
    /// One block character (█) per removed character in text formats, a black box in PDF, a
    /// black bar in DOCX. Keeps the layout; reveals only the length.
    #[default]
    Blocks,
    /// The whole range replaced by a label naming the reason, such as `[删除: 工作秘密]`.
    Label,
}

/// The label that stands for a removed passage under [`MarkStyle::Label`], naming its reason.
/// One function, because the verifier must recognise exactly what the redactors write.
pub(crate) fn label(reason: &str) -> String {
    format!("[删除: {reason}]")
}

/// A character range of [`Document::text`] to remove, with the reason code behind it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedRange {
    /// First character offset.
    pub start: usize,
    /// One past the last character offset.
    pub end: usize,
    /// Reason code (`state_secret`, `personal_information`, ...).
    pub reason: String,
}

/// An area of a page (PDF) or picture (image) to blank out, with everything under it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlannedArea {
    /// 1-based page number (always 1 for an image).
    pub page: u32,
    /// The area, in PDF points (pixels for images), origin top-left.
    pub rect: Rect,
    /// Reason code.
    pub reason: String,
}

/// Everything the redactor removes from one document. Hidden items are always all removed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RedactionPlan {
    /// Character ranges to remove.
    pub ranges: Vec<PlannedRange>,
    /// Areas to blank out.
    pub areas: Vec<PlannedArea>,
    /// How removed text is marked.
    pub style: MarkStyle,
}

impl RedactionPlan {
    /// Checks that every range lies inside the document and is not empty.
    pub(crate) fn validate(&self, document: &Document) -> Result<()> {
        for range in &self.ranges {
            if range.start >= range.end || range.end > document.char_len() {
                return Err(Error::new(
                    ErrorKind::InvalidInput,
                    format!(
                        "redaction range {}..{} is outside the document's {} characters",
                        range.start,
                        range.end,
                        document.char_len()
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The visible-text ranges, sorted and merged where they overlap or touch, each with the
    /// reason of its first range. Ranges inside hidden items need no edit of their own: the
    /// hidden item is removed whole.
    pub(crate) fn merged_visible_ranges(&self, document: &Document) -> Vec<(usize, usize, String)> {
        let visible = document.visible_char_len();
        let mut ranges: Vec<&PlannedRange> = self.ranges.iter().filter(|r| r.start < visible).collect();
        ranges.sort_by_key(|r| (r.start, r.end));
        let mut merged: Vec<(usize, usize, String)> = Vec::with_capacity(ranges.len());
        for range in ranges {
            let end = range.end.min(visible);
            match merged.last_mut() {
                Some(last) if range.start <= last.1 => last.1 = last.1.max(end),
                _ => merged.push((range.start, end, range.reason.clone())),
            }
        }
        merged
    }
}

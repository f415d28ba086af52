//! Redaction: remove what the reviewer decided, for real, sanitize every hidden item, and write
//! the public version in the input's format; then verify it before it is released.
//!
//! [`redact`] re-reads the original bytes (a [`Document`] is a pure function of them, so the
//! plan's character offsets mean the same thing they meant at review time), hands the document
//! and the plan to the format's redactor, and passes the output to [`verify`](crate::verify)
//! before returning it. An export that fails verification is never returned.
//!
//! Policy, the same for every format: every character in a planned range is removed from the
//! file (replaced by a visible mark that carries no information but the length); every hidden
//! item is removed (comments, tracked changes resolved to the visible text, metadata, EXIF,
//! annotations, attachments, scripts, form values, earlier revisions); nothing else changes.

mod docx;
mod image;
mod pdf;
mod plan;
mod text;

pub use plan::{MarkStyle, PlannedArea, PlannedRange, RedactionPlan};

use crate::document::Format;
use crate::error::Result;
use crate::ingest;
use crate::limits::Limits;
use crate::verify::{self, VerificationReport};

/// A verified public version of a document.
#[derive(Clone, Debug)]
pub struct Export {
    /// The bytes of the public file, in the input's format.
    pub bytes: Vec<u8>,
    /// What was removed and what was checked.
    pub report: VerificationReport,
}

/// Redacts `original` (of `format`) according to `plan`, sanitizes hidden content, and verifies
/// the result. Deterministic: the same input and plan give byte-identical output.
///
/// Fails with [`ErrorKind::RedactionUnsafe`] when the file holds content the redactor cannot
/// remove safely, and with [`ErrorKind::VerificationFailed`] when the output still contains
/// something that was meant to go.
pub fn redact(original: &[u8], format: Format, plan: &RedactionPlan, limits: &Limits) -> Result<Export> {
    let document = ingest::read_as(original, format, limits)?;
    plan.validate(&document)?;
    let bytes = match format {
        Format::Txt | Format::Md => text::redact(original, &document, plan)?,
        Format::Docx => docx::redact(original, &document, plan, limits)?,
        Format::Pdf => pdf::redact(original, &document, plan, limits)?,
        Format::Jpeg | Format::Png => image::redact(original, format, plan, limits)?,
    };
    let report = verify::verify(original, &document, &bytes, format, plan, limits)?;
    Ok(Export { bytes, report })
}

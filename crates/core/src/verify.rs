//! Verification: before an export is released, re-read it with Vetted's own readers and search
//! it for everything that was meant to go.
//!
//! Two checks, both on folded text (see `normalize`), so that an evasion cannot hide a survivor:
//! 1. every redacted string occurs in the export no more often than it occurs, unredacted, in
//!    the original's visible text (a reviewer may redact one "张三" and keep another);
//! 2. the export has no hidden item left (only notes such as "review this photo by eye", which
//!    describe the picture rather than hold content), and no hidden item's text survives
//!    anywhere beyond the visible occurrences the original already had.
//!
//! Any failure makes the export fail with [`ErrorKind::VerificationFailed`] and a report of what
//! survived and where.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::document::{Document, Format, HiddenKind, Location, Origin};
use crate::error::{Error, ErrorKind, Result};
use crate::ingest;
use crate::limits::Limits;
use crate::normalize::{Folded, fold};
use crate::redact::RedactionPlan;

/// One passage or hidden item that the export no longer contains.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Removed {
    /// `"text"` for a redacted passage, or the hidden item's kind (`"comment"`, `"metadata"`).
    pub kind: String,
    /// What it was: the hidden item's label, or the number of characters of a passage (the
    /// report is itself stored and shown, so it must not repeat the secret).
    pub description: String,
    /// Where it was.
    pub location: Location,
    /// The reason code, for redacted passages.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub reason: Option<String>,
}

/// Something that was meant to go and is still in the export.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Survivor {
    /// What survived: `"text"` or a hidden item's kind.
    pub kind: String,
    /// Which item (for hidden items, its label; for text, the redacted passage's location).
    pub description: String,
    /// Where in the export it was found.
    pub found_at: Location,
}

/// What an export's verification removed, checked and found.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VerificationReport {
    /// SHA-256 of the original, lowercase hex.
    pub input_sha256: String,
    /// SHA-256 of the export, lowercase hex.
    pub output_sha256: String,
    /// Everything removed.
    pub removed: Vec<Removed>,
    /// How many distinct strings the export was searched for.
    pub strings_checked: usize,
    /// Everything that survived; empty for a released export.
    pub survivors: Vec<Survivor>,
}

impl VerificationReport {
    /// True when nothing survived.
    pub fn passed(&self) -> bool {
        self.survivors.is_empty()
    }
}

/// Lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut hex = String::with_capacity(64);
    for byte in digest {
        hex.push_str(&format!("{byte:02x}"));
    }
    hex
}

/// Verifies `output`, the redaction of `original` (read as `document`) under `plan`.
///
/// Returns the report when nothing survived; otherwise an [`ErrorKind::VerificationFailed`]
/// error whose message lists the survivors.
pub fn verify(
    original: &[u8],
    document: &Document,
    output: &[u8],
    format: Format,
    plan: &RedactionPlan,
    limits: &Limits,
) -> Result<VerificationReport> {
    let exported = ingest::read_as(output, format, limits).map_err(|e| {
        Error::new(ErrorKind::VerificationFailed, format!("the export cannot be re-read: {e}"))
    })?;
    let original_visible = Folded::new(document.visible_text(), 0);
    let exported_content = content_text(&exported);
    let exported_all = Folded::new(&exported_content, 0);
    let mut report = VerificationReport {
        input_sha256: sha256_hex(original),
        output_sha256: sha256_hex(output),
        removed: Vec::new(),
        strings_checked: 0,
        survivors: Vec::new(),
    };

    // Each redacted string, with where it was, keyed by its folded form.
    let mut searched: BTreeMap<String, Location> = BTreeMap::new();
    for (start, end, reason) in plan.merged_visible_ranges(document) {
        let location = document.block_at(start).map(|b| b.location.clone()).unwrap_or_default();
        report.removed.push(Removed {
            kind: "text".into(),
            description: format!("{} characters", end - start),
            location: location.clone(),
            reason: Some(reason),
        });
        searched.entry(fold(document.slice(start, end))).or_insert(location);
    }
    for item in document.hidden_items() {
        if !holds_content(item.kind) {
            continue;
        }
        report.removed.push(Removed {
            kind: item.kind.as_str().into(),
            description: item.label.clone(),
            location: item.location.clone(),
            reason: None,
        });
        if !item.text.is_empty() {
            searched.entry(fold(&item.text)).or_insert_with(|| item.location.clone());
        }
    }

    let redacted = redacted_mask(document, plan);
    for (needle, location) in &searched {
        if needle.trim().is_empty() {
            continue;
        }
        report.strings_checked += 1;
        let allowed = unredacted_occurrences(&original_visible, needle, &redacted);
        let found = exported_all.count(needle);
        if found > allowed {
            report.survivors.push(Survivor {
                kind: "text".into(),
                description: format!("a passage redacted at {location}"),
                found_at: first_location(&exported, &exported_all, needle),
            });
        }
    }
    for item in exported.hidden_items() {
        if holds_content(item.kind) {
            report.survivors.push(Survivor {
                kind: item.kind.as_str().into(),
                description: item.label.clone(),
                found_at: item.location.clone(),
            });
        }
    }

    if report.passed() {
        Ok(report)
    } else {
        let list: Vec<String> = report
            .survivors
            .iter()
            .map(|s| format!("{} ({}) at {}", s.description, s.kind, s.found_at))
            .collect();
        Err(Error::new(
            ErrorKind::VerificationFailed,
            format!("the export still contains what was to be removed: {}", list.join("; ")),
        ))
    }
}

/// Hidden kinds that are content in the file, as opposed to notes about it that a sanitized
/// export legitimately still earns (a photo is still to be reviewed by eye).
fn holds_content(kind: HiddenKind) -> bool {
    !matches!(kind, HiddenKind::ReviewByEye | HiddenKind::Unsearchable)
}

/// The export's text with the notes Vetted itself adds (see [`holds_content`]) blanked out,
/// character for character so that offsets still match. Without this, a short removed value
/// (an EXIF Artist "A", a keyword "area") would be "found" in the note "review it by eye" and
/// fail a clean export.
fn content_text(exported: &Document) -> String {
    let items = exported.hidden_items();
    exported
        .text()
        .chars()
        .zip(exported.origins())
        .map(|(c, origin)| match origin {
            Origin::Hidden { item } if items.get(*item as usize).is_some_and(|i| !holds_content(i.kind)) => {
                ' '
            }
            _ => c,
        })
        .collect()
}

/// For each visible character of the original, whether a planned range removes it.
fn redacted_mask(document: &Document, plan: &RedactionPlan) -> Vec<bool> {
    let mut mask = vec![false; document.visible_char_len()];
    for (start, end, _) in plan.merged_visible_ranges(document) {
        mask[start..end].iter_mut().for_each(|m| *m = true);
    }
    mask
}

/// Occurrences of `needle` in the original's visible text that no redaction touches: those may
/// legitimately remain in the export.
fn unredacted_occurrences(folded: &Folded, needle: &str, redacted: &[bool]) -> usize {
    let needle_chars = needle.chars().count();
    let mut count = 0;
    let mut from = 0;
    while let Some(at) = folded.text[from..].find(needle) {
        let byte = from + at;
        let first = folded.text[..byte].chars().count();
        let touched =
            (first..first + needle_chars).any(|i| redacted.get(folded.origin[i]).copied().unwrap_or(false));
        if !touched {
            count += 1;
        }
        from = byte + folded.text[byte..].chars().next().map_or(1, char::len_utf8);
    }
    count
}

/// Where `needle` first occurs in the export, for the report.
fn first_location(exported: &Document, folded: &Folded, needle: &str) -> Location {
    folded
        .text
        .find(needle)
        .map(|byte| folded.origin[folded.text[..byte].chars().count()])
        .and_then(|offset| exported.block_at(offset))
        .map(|b| b.location.clone())
        .unwrap_or_default()
}

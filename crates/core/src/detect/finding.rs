//! What detection reports: one suspect passage and why.

use serde::{Deserialize, Serialize};

use crate::document::Location;

/// How much harm a leak of the passage would do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth a look.
    Low,
    /// Likely sensitive.
    Medium,
    /// Sensitive.
    High,
    /// A classification marking or equivalent: must not be published.
    Critical,
}

impl Severity {
    /// The lowercase name, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

/// One suspect passage.
///
/// The serialized form is the `vetted scan --json` contract: other tools depend on the field
/// names and meanings, so fields may be added but not renamed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// 1-based number of the finding within its document, in text order.
    pub id: u32,
    /// The id of the rule that fired (`classification.marking.zh`, `hidden.comment`).
    pub rule: String,
    /// The rule's category (`classification`, `personal_identifier`, `hidden_content`, ...).
    pub category: String,
    /// How much harm a leak would do.
    pub severity: Severity,
    /// How sure the rule is, from 0 to 1.
    pub confidence: f32,
    /// The matched text as it reads in the document.
    pub text: String,
    /// Character offset of the first matched character in the document text.
    pub start: usize,
    /// Character offset one past the last matched character.
    pub end: usize,
    /// Where the passage is.
    pub location: Location,
    /// True for content a reader of the published file does not see.
    pub hidden: bool,
    /// The suggested reason code for redacting it (`state_secret`, `personal_information`, ...).
    pub reason: String,
    /// A short explanation for the reviewer (the rule's description, a mosaic's parts).
    pub note: String,
}

/// Sorts findings by position (then rule, for determinism) and numbers them from 1.
pub(crate) fn number(findings: &mut [Finding]) {
    findings.sort_by(|a, b| (a.start, a.end, &a.rule).cmp(&(b.start, b.end, &b.rule)));
    for (i, f) in findings.iter_mut().enumerate() {
        f.id = i as u32 + 1;
    }
}

//! Detection: rule packs flag suspect passages of a [`Document`] as [`Finding`]s.
//!
//! (The engine — lexicons, patterns, validators, proximity, mosaic — is being written; this
//! module already reports every hidden item, which is always a finding.)

mod finding;

pub use finding::{Finding, Severity};

use crate::document::Document;
use crate::error::Result;

/// A compiled set of rule packs.
#[derive(Debug, Default)]
pub struct RuleSet {}

impl RuleSet {
    /// The rule packs shipped in `assets/rules`, compiled into the binary.
    pub fn builtin() -> Result<RuleSet> {
        Ok(RuleSet {})
    }

    /// Loads every `*.toml` rule pack in `dir`.
    pub fn load_dir(_dir: &std::path::Path) -> Result<RuleSet> {
        Ok(RuleSet {})
    }
}

/// Scans a document with a rule set. Findings are sorted by start offset and numbered from 1.
pub fn scan(document: &Document, _rules: &RuleSet) -> Vec<Finding> {
    let mut findings = Vec::new();
    for block in document.blocks() {
        let Some(item_index) = block.hidden else { continue };
        let item = &document.hidden_items()[item_index as usize];
        findings.push(Finding {
            id: 0,
            rule: format!("hidden.{}", item.kind.as_str()),
            category: "hidden_content".into(),
            severity: Severity::Medium,
            confidence: 1.0,
            text: document.slice(block.start, block.end).to_string(),
            start: block.start,
            end: block.end,
            location: block.location.clone(),
            hidden: true,
            reason: "sensitive".into(),
            note: item.label.clone(),
        });
    }
    finding::number(&mut findings);
    findings
}

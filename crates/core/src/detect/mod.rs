//! Detection: rule packs flag suspect passages of a [`Document`] as [`Finding`]s.
//!
//! - `pack`: the TOML schema admins edit (documented in `assets/rules/README.md`) and its checks;
//! - `rules`: the compiled [`RuleSet`] — one automaton for all terms (`lexicon`, with its
//!   prefilter for big lexicons), regexes compiled once;
//! - `engine`: folding the document and matching, with word boundaries, validators,
//!   exclusions, allow-lists and proximity (`validate` holds the checksum validators);
//! - `overlap`: one report per passage and category; `mosaic`: the composite findings.
//!
//! Every hidden item is a finding too, whatever the rules say: a reader of the published file
//! does not see it, so a reviewer must.

mod engine;
mod finding;
mod lexicon;
mod mosaic;
mod overlap;
mod pack;
mod rules;
mod validate;

#[cfg(test)]
mod tests;

pub use finding::{Finding, Severity};
pub use pack::{MosaicConfig, PackInfo};
pub use rules::RuleSet;
pub(crate) use rules::builtin_files;

use crate::document::Document;

/// Scans a document with a rule set. Findings are sorted by start offset and numbered from 1.
///
/// The result is a pure function of the document and the rule set.
pub fn scan(document: &Document, rules: &RuleSet) -> Vec<Finding> {
    let mut findings = overlap::dedupe(engine::rule_findings(document, rules));
    if let Some(config) = rules.mosaic() {
        let composites = mosaic::composites(document, &findings, config);
        findings.extend(composites);
    }
    findings.extend(hidden_item_findings(document));
    finding::number(&mut findings);
    findings
}

/// One finding per hidden item, covering its text.
fn hidden_item_findings(document: &Document) -> Vec<Finding> {
    let mut findings = Vec::new();
    for block in document.blocks() {
        let Some(item) = block.hidden.and_then(|i| document.hidden_items().get(i as usize)) else { continue };
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
    findings
}

//! Aggregation ("mosaic"): facts that are harmless one by one and sensitive together.
//!
//! A unit designator, a place and a technical parameter in the same passage tell an analyst
//! what is where with what capability. When findings of at least `min_categories` DISTINCT
//! mosaic-relevant categories lie within `window` characters of each other (and in the same
//! zone: the visible text, or one hidden item), one composite finding covers them and its note
//! names the parts. The categories and window are data ([`MosaicConfig`]), so the workspace can
//! apply the same test across the documents of one release.

use std::collections::BTreeMap;

use super::finding::Finding;
use super::pack::MosaicConfig;
use crate::document::Document;

/// The rule id of composite findings.
pub(super) const MOSAIC_RULE: &str = "mosaic";

/// The composite findings for `findings` (which must not include composites).
pub(super) fn composites(document: &Document, findings: &[Finding], config: &MosaicConfig) -> Vec<Finding> {
    let zone = |f: &Finding| document.block_at(f.start).and_then(|b| b.hidden);
    let mut parts: Vec<&Finding> =
        findings.iter().filter(|f| config.categories.iter().any(|c| *c == f.category)).collect();
    parts.sort_by_key(|f| (f.start, f.end));

    let mut composites = Vec::new();
    let mut i = 0;
    while i < parts.len() {
        let first = parts[i];
        // The parts that fit in the window starting at `first`, in the same zone.
        let group: Vec<&Finding> = parts[i..]
            .iter()
            .copied()
            .take_while(|f| f.end.saturating_sub(first.start) <= config.window && zone(f) == zone(first))
            .collect();
        // The first part of each category, in category order, for the note.
        let mut by_category: BTreeMap<&str, &Finding> = BTreeMap::new();
        for part in &group {
            by_category.entry(part.category.as_str()).or_insert(part);
        }
        if by_category.len() < config.min_categories {
            i += 1;
            continue;
        }
        let end = group.iter().map(|f| f.end).max().unwrap_or(first.end);
        let confidence = group.iter().map(|f| f.confidence).sum::<f32>() / group.len() as f32;
        let named: Vec<String> =
            by_category.iter().map(|(category, part)| format!("{category} 「{}」", part.text)).collect();
        composites.push(Finding {
            id: 0,
            rule: MOSAIC_RULE.into(),
            category: "mosaic".into(),
            severity: config.severity,
            confidence,
            text: document.slice(first.start, end).to_string(),
            start: first.start,
            end,
            location: first.location.clone(),
            hidden: first.hidden,
            reason: config.reason.clone(),
            note: format!("聚合泄密风险 / mosaic risk: {}", named.join(", ")),
        });
        i += group.len();
    }
    composites
}

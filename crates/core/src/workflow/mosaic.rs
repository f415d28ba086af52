//! The cross-document mosaic check: does a new draft, together with what this workspace has
//! already published, complete a sensitive combination?
//!
//! A unit designator released last month and a restricted area in today's draft are each
//! harmless alone and revealing together. At import, the categories of the new revision's
//! findings are compared with the findings that earlier exports *kept* (what was redacted was
//! never published). The categories and how many make a mosaic are the rule set's own
//! aggregation settings ([`MosaicConfig`], `mosaic.toml`), so the in-document and the
//! cross-document checks agree. Where the draft and one earlier export together cover enough
//! distinct categories — and each side brings one the other lacks — the draft gets a finding
//! naming that export.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::Transaction;

use super::DocumentId;
use crate::detect::{Finding, MosaicConfig};
use crate::document::Document;
use crate::error::Result;

/// The mosaic findings for a new revision read as `read` with `findings` (not yet numbered
/// into the revision: the caller numbers them after the scan's own). None when the rule set
/// declares no aggregation settings.
pub(super) fn cross_document(
    tx: &Transaction<'_>,
    config: Option<&MosaicConfig>,
    read: &Document,
    findings: &[Finding],
) -> Result<Vec<Finding>> {
    let Some(config) = config else { return Ok(Vec::new()) };
    let relevant = |category: &str| config.categories.iter().any(|c| c == category);
    let draft_categories: BTreeSet<&str> =
        findings.iter().map(|f| f.category.as_str()).filter(|c| relevant(c)).collect();
    // The anchor: the draft's first mosaic-relevant passage. Redacting it breaks the mosaic.
    let Some(anchor) = findings.iter().find(|f| relevant(&f.category)) else {
        return Ok(Vec::new());
    };

    // Kept (published) categories of every exported revision, keyed by the export.
    let mut statement = tx.prepare(
        "SELECT e.id, r.document_id, r.number, e.exported_at, e.sha256, f.category FROM exports e
         JOIN revisions r ON r.id = e.revision_id
         JOIN findings f ON f.revision_id = r.id
         JOIN decisions d ON d.revision_id = f.revision_id AND d.finding = f.number AND d.action = 'keep'
         ORDER BY e.id",
    )?;
    let rows = statement.query_map([], |row| {
        Ok((
            row.get::<_, i64>(0)?,
            row.get::<_, i64>(1)?,
            row.get::<_, u32>(2)?,
            row.get::<_, String>(3)?,
            row.get::<_, String>(4)?,
            row.get::<_, String>(5)?,
        ))
    })?;
    // Keyed by revision, not by export: a revision exported twice is one earlier release,
    // named by its first export.
    let mut published: BTreeMap<(i64, u32), (String, BTreeSet<String>)> = BTreeMap::new();
    for row in rows {
        let (_export, doc, revision, at, sha256, category) = row?;
        if !relevant(&category) {
            continue;
        }
        let label = format!("{} revision {revision} (exported {at}, sha256 {sha256})", DocumentId::new(doc));
        published.entry((doc, revision)).or_insert_with(|| (label, BTreeSet::new())).1.insert(category);
    }

    let mut mosaics = Vec::new();
    for (label, earlier) in published.values() {
        let earlier: BTreeSet<&str> = earlier.iter().map(String::as_str).collect();
        let together = draft_categories.union(&earlier).count();
        let completes = together >= config.min_categories
            && !earlier.is_subset(&draft_categories)
            && !draft_categories.is_subset(&earlier);
        if !completes {
            continue;
        }
        let join = |set: &BTreeSet<&str>| set.iter().copied().collect::<Vec<_>>().join(" + ");
        mosaics.push(Finding {
            id: 0,
            rule: "mosaic.cross_document".into(),
            category: "mosaic".into(),
            severity: config.severity,
            confidence: 0.8,
            text: read.slice(anchor.start, anchor.end).to_string(),
            start: anchor.start,
            end: anchor.end,
            location: anchor.location.clone(),
            hidden: anchor.hidden,
            reason: config.reason.clone(),
            note: format!(
                "聚合泄密风险 / mosaic risk: with {label}, already published from this workspace, this draft \
                 completes a sensitive combination: the draft has {} and the earlier release has {}",
                join(&draft_categories),
                join(&earlier)
            ),
        });
    }
    Ok(mosaics)
}

//! The cross-document mosaic check: does a new draft, together with what this workspace has
//! already published, complete a sensitive combination?
//!
//! A unit designator released last month and a restricted area in today's draft are each
//! harmless alone and revealing together. At import, the categories of the new revision's
//! findings are compared with the findings that earlier exports *kept* (what was redacted was
//! never published). Where the draft and one earlier export together cover at least
//! [`MOSAIC_THRESHOLD`] distinct groups of [`MOSAIC_GROUPS`] — and each side brings a group the
//! other lacks — the draft gets a finding naming that export.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::Transaction;

use super::DocumentId;
use crate::detect::{Finding, Severity};
use crate::document::Document;
use crate::error::Result;

/// Finding categories that count toward a mosaic, each with the group it stands for: a place
/// given as a named restricted area or as coordinates is the same piece of the puzzle.
/// Adjust here when the detection engine names its categories differently.
pub const MOSAIC_GROUPS: &[(&str, &str)] = &[
    ("military_unit", "unit"),
    ("military_facility", "unit"),
    ("restricted_area", "place"),
    ("coordinates", "place"),
    ("delivery_site", "place"),
    ("technical_parameter", "equipment"),
    ("equipment", "equipment"),
];

/// How many distinct groups make a mosaic.
const MOSAIC_THRESHOLD: usize = 3;

fn group_of(category: &str) -> Option<&'static str> {
    MOSAIC_GROUPS.iter().find(|(c, _)| *c == category).map(|(_, group)| *group)
}

/// The mosaic findings for a new revision read as `read` with `findings` (not yet numbered
/// into the revision: the caller numbers them after the scan's own).
pub(super) fn cross_document(
    tx: &Transaction<'_>,
    read: &Document,
    findings: &[Finding],
) -> Result<Vec<Finding>> {
    let draft_groups: BTreeSet<&str> = findings.iter().filter_map(|f| group_of(&f.category)).collect();
    if draft_groups.is_empty() {
        return Ok(Vec::new());
    }
    // The anchor: the draft's first mosaic-relevant passage. Redacting it breaks the mosaic.
    let Some(anchor) = findings.iter().find(|f| group_of(&f.category).is_some()) else {
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
    let mut published: BTreeMap<(i64, u32), (String, BTreeSet<&'static str>)> = BTreeMap::new();
    for row in rows {
        let (_export, doc, revision, at, sha256, category) = row?;
        let Some(group) = group_of(&category) else { continue };
        let label = format!("{} revision {revision} (exported {at}, sha256 {sha256})", DocumentId::new(doc));
        published.entry((doc, revision)).or_insert_with(|| (label, BTreeSet::new())).1.insert(group);
    }

    let mut mosaics = Vec::new();
    for (label, groups) in published.values() {
        let union: BTreeSet<&str> = draft_groups.union(groups).copied().collect();
        let completes = union.len() >= MOSAIC_THRESHOLD
            && !groups.is_subset(&draft_groups)
            && !draft_groups.is_subset(groups);
        if !completes {
            continue;
        }
        let draft: Vec<&str> = draft_groups.iter().copied().collect();
        let earlier: Vec<&str> = groups.iter().copied().collect();
        mosaics.push(Finding {
            id: 0,
            rule: "mosaic.cross_document".into(),
            category: "mosaic".into(),
            severity: Severity::High,
            confidence: 0.8,
            text: read.slice(anchor.start, anchor.end).to_string(),
            start: anchor.start,
            end: anchor.end,
            location: anchor.location.clone(),
            hidden: anchor.hidden,
            reason: "state_secret".into(),
            note: format!(
                "with {label}, already published from this workspace, this draft completes a sensitive combination: \
                 the draft has {} and the earlier release has {}",
                draft.join(" + "),
                earlier.join(" + ")
            ),
        });
    }
    Ok(mosaics)
}

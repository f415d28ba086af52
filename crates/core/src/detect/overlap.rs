//! Deduplication: one passage is reported once per kind of problem.
//!
//! Several rules of one category often see the same passage (`机密★10年` is a marking pattern,
//! and `机密` inside it is a lexicon term). Within a category, a finding whose span lies inside
//! another finding's span of at least the same severity adds nothing and is dropped; so is a
//! second finding on the very same span. Findings of different categories are all kept: they
//! are different reasons, and the mosaic check needs each of them.

use std::collections::BTreeMap;

use super::finding::Finding;

/// Drops the findings that a same-category finding already covers. The order of the result is
/// unspecified (the caller numbers findings afterwards).
pub(super) fn dedupe(findings: Vec<Finding>) -> Vec<Finding> {
    let mut by_category: BTreeMap<String, Vec<Finding>> = BTreeMap::new();
    for finding in findings {
        by_category.entry(finding.category.clone()).or_default().push(finding);
    }
    let mut kept = Vec::new();
    for (_, mut group) in by_category {
        // Outer spans first; on an identical span, the most severe (then surest) first.
        group.sort_by(|a, b| {
            (a.start, std::cmp::Reverse(a.end), std::cmp::Reverse(a.severity), &a.rule)
                .cmp(&(b.start, std::cmp::Reverse(b.end), std::cmp::Reverse(b.severity), &b.rule))
                .then(b.confidence.total_cmp(&a.confidence))
        });
        // Kept findings that may still contain a later one (their end is past its start).
        let mut open: Vec<Finding> = Vec::new();
        for finding in group {
            open.retain(|o| {
                let still_open = o.end > finding.start;
                if !still_open {
                    kept.push(o.clone());
                }
                still_open
            });
            let covered = open.iter().any(|o| o.end >= finding.end && o.severity >= finding.severity);
            if !covered {
                open.push(finding);
            }
        }
        kept.extend(open);
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::Severity;

    fn finding(rule: &str, category: &str, severity: Severity, start: usize, end: usize) -> Finding {
        Finding {
            id: 0,
            rule: rule.into(),
            category: category.into(),
            severity,
            confidence: 0.9,
            text: String::new(),
            start,
            end,
            location: Default::default(),
            hidden: false,
            reason: "state_secret".into(),
            note: String::new(),
        }
    }

    fn check(input: Vec<Finding>, expected: &[&str]) {
        let mut got: Vec<String> =
            dedupe(input).iter().map(|f| format!("{} {}..{}", f.rule, f.start, f.end)).collect();
        got.sort();
        let mut expected: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
        expected.sort();
        assert_eq!(got, expected);
    }

    #[test]
    fn a_weaker_finding_inside_a_stronger_one_of_its_category_goes() {
        use Severity::*;
        check(
            vec![
                finding("marking", "classification", Critical, 0, 6),
                finding("term", "classification", High, 0, 2),
            ],
            &["marking 0..6"],
        );
        // A more severe finding inside a weaker one is kept: it says more.
        check(
            vec![
                finding("wide", "classification", Medium, 0, 6),
                finding("term", "classification", High, 2, 4),
            ],
            &["term 2..4", "wide 0..6"],
        );
        // Another category is another reason: both stay.
        check(
            vec![
                finding("unit", "military_unit", High, 0, 7),
                finding("num", "technical_parameter", High, 0, 5),
            ],
            &["num 0..5", "unit 0..7"],
        );
        // The same span twice in one category is reported once, by the more severe rule.
        check(vec![finding("a", "c", Medium, 3, 5), finding("b", "c", High, 3, 5)], &["b 3..5"]);
        // Disjoint findings all stay.
        check(vec![finding("a", "c", High, 0, 2), finding("a", "c", High, 2, 4)], &["a 0..2", "a 2..4"]);
    }
}

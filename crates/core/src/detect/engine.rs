//! The scan: fold the document once, run every automaton and regex over it, then keep the
//! candidates that pass their word boundary, validator, exclusions, allow-list and context.
//!
//! Matching runs on [`Folded`] text so that full-width letters, zero-width characters and
//! spaces or line breaks inside a CJK term do not hide it; every hit is mapped back to original
//! character offsets before it becomes a [`Finding`]. The document is folded as *segments* —
//! one per paragraph (a hard-wrapped text paragraph counts as one) and one per hidden item —
//! so that no match and no proximity window crosses a paragraph or joins a comment to the body.

use super::finding::Finding;
use super::rules::{FilterOwner, Rule, RuleSet};
use crate::document::{Document, Origin};
use crate::normalize::Folded;

/// A document folded for matching, segment by segment.
struct Searchable {
    folded: Folded,
    /// The folded character index at which each segment starts.
    segment_starts: Vec<usize>,
}

impl Searchable {
    fn new(document: &Document) -> Searchable {
        let mut folded = Folded { text: String::with_capacity(document.text().len()), ..Folded::default() };
        let mut segment_starts = Vec::new();
        let blocks = document.blocks();
        let mut i = 0;
        while let Some(first) = blocks.get(i) {
            let mut end = first.end;
            i += 1;
            if first.hidden.is_none() {
                while let Some(next) =
                    blocks.get(i).filter(|b| b.hidden.is_none() && is_soft_wrap(document, end, b.start))
                {
                    end = next.end;
                    i += 1;
                }
            }
            let separator = usize::from(!folded.text.is_empty());
            segment_starts.push(folded.origin.len() + separator);
            folded.push_segment(document.slice(first.start, end), first.start);
        }
        Searchable { folded, segment_starts }
    }

    /// The segment holding folded character `index`.
    fn segment(&self, index: usize) -> usize {
        self.segment_starts.partition_point(|&start| start <= index).saturating_sub(1)
    }
}

/// True when the characters between two blocks are one line break that is in the file (not
/// inserted by a reader): a hard-wrapped paragraph of a text file, whose lines are blocks but
/// whose terms may be wrapped across them. A blank line, or a reader's paragraph break, ends
/// the paragraph.
fn is_soft_wrap(document: &Document, end: usize, next_start: usize) -> bool {
    let gap = document.slice(end, next_start);
    matches!(gap, "\n" | "\r\n")
        && (end..next_start).all(|i| !matches!(document.origins().get(i), Some(Origin::Synthetic) | None))
}

/// A hit before filtering: rule `rule` matched folded bytes `start..end`.
#[derive(Clone, Copy, Debug)]
struct Candidate {
    rule: usize,
    start: usize,
    end: usize,
}

/// Every rule finding of `document`, unsorted and not yet deduplicated.
pub(super) fn rule_findings(document: &Document, rules: &RuleSet) -> Vec<Finding> {
    if rules.rules.is_empty() {
        return Vec::new();
    }
    let text = Searchable::new(document);
    let folded = &text.folded;
    let mut candidates = Vec::new();

    if let Some(lexicon) = &rules.lexicon {
        for m in lexicon.find_iter(folded.text.as_str()) {
            let owners = rules.lexicon_owners.get(m.pattern().as_usize()).map_or(&[][..], Vec::as_slice);
            for &rule in owners {
                let candidate = Candidate { rule, start: m.start(), end: m.end() };
                if rules.rules[rule].word_boundary && !at_word_boundary(&folded.text, m.start(), m.end()) {
                    continue;
                }
                candidates.push(candidate);
            }
        }
    }
    for &rule in &rules.patterns {
        let Some((regex, validator)) = &rules.rules[rule].pattern else { continue };
        for m in regex.find_iter(&folded.text) {
            let matched = m.as_str();
            // A match across the segment separator joins two paragraphs: not a hit.
            if matched.is_empty() || matched.contains('\n') {
                continue;
            }
            if rules.rules[rule].word_boundary && !at_word_boundary(&folded.text, m.start(), m.end()) {
                continue;
            }
            if validator.is_some_and(|v| !v.accepts(matched)) {
                continue;
            }
            candidates.push(Candidate { rule, start: m.start(), end: m.end() });
        }
    }
    if candidates.is_empty() {
        return Vec::new();
    }

    let filters = FilterHits::find(rules, folded);
    candidates.retain(|c| !filters.covers(c));
    let context = ContextHits::find(rules, &text, &candidates);

    let mut findings = Vec::with_capacity(candidates.len());
    for candidate in candidates {
        let rule = &rules.rules[candidate.rule];
        let Some(confidence) = context.confidence(rule, &text, &candidate) else { continue };
        let (start, end) = folded.original_range(candidate.start, candidate.end);
        let original = document.slice(start, end);
        if rule.uppercase && original.chars().any(char::is_lowercase) {
            continue;
        }
        let block = document.block_at(start);
        findings.push(Finding {
            id: 0,
            rule: rule.id.clone(),
            category: rule.category.clone(),
            severity: rule.severity,
            confidence,
            text: original.to_string(),
            start,
            end,
            location: block.map(|b| b.location.clone()).unwrap_or_default(),
            hidden: block.is_some_and(|b| b.hidden.is_some()),
            reason: rule.reason.clone(),
            note: rule.note.clone(),
        });
    }
    findings
}

/// True unless the match begins or ends inside a longer ASCII word or number: "secret" in
/// "secretary", a 5-digit number that is the tail of a 6-digit one, or the digits after the
/// decimal point of `2.13800138000`. CJK has no word boundaries to check, so a match edge that
/// is not an ASCII letter or digit always passes.
fn at_word_boundary(text: &str, start: usize, end: usize) -> bool {
    let is_word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    let is_digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
    let (Some(head), Some(tail), Some(matched)) = (text.get(..start), text.get(end..), text.get(start..end))
    else {
        return false;
    };
    let (first, last) = (matched.chars().next(), matched.chars().next_back());
    let mut before = head.chars().rev();
    let mut after = tail.chars();
    let (before_1, before_2) = (before.next(), before.next());
    let (after_1, after_2) = (after.next(), after.next());
    let starts_inside = (is_word(first) && is_word(before_1))
        || (is_digit(first) && before_1 == Some('.') && is_digit(before_2));
    let ends_inside =
        (is_word(last) && is_word(after_1)) || (is_digit(last) && after_1 == Some('.') && is_digit(after_2));
    !starts_inside && !ends_inside
}

/// Where exclusion and allow-list terms occur.
struct FilterHits<'r> {
    rules: &'r RuleSet,
    /// (start byte, end byte, term), sorted by start.
    hits: Vec<(usize, usize, usize)>,
}

impl<'r> FilterHits<'r> {
    fn find(rules: &'r RuleSet, folded: &Folded) -> FilterHits<'r> {
        let mut hits = Vec::new();
        if let Some(filters) = &rules.filters {
            for m in filters.find_overlapping_iter(folded.text.as_str()) {
                hits.push((m.start(), m.end(), m.pattern().as_usize()));
            }
        }
        hits.sort_unstable();
        FilterHits { rules, hits }
    }

    /// True when an allow-listed term occurs around the whole candidate, or one of the
    /// candidate rule's exclusions overlaps it: `秘密` in `秘密花园`, `涉密项目` in `非涉密项目`
    /// are ordinary words, whichever end of the word the match shares.
    fn covers(&self, candidate: &Candidate) -> bool {
        let from = candidate.start.saturating_sub(self.rules.longest_filter);
        let first = self.hits.partition_point(|&(start, _, _)| start < from);
        self.hits[first..].iter().take_while(|&&(start, _, _)| start < candidate.end).any(
            |&(start, end, term)| {
                let owners = self.rules.filter_owners.get(term).map_or(&[][..], Vec::as_slice);
                owners.iter().any(|&owner| match owner {
                    FilterOwner::Allow => start <= candidate.start && end >= candidate.end,
                    FilterOwner::Rule(rule) => rule == candidate.rule && end > candidate.start,
                })
            },
        )
    }
}

/// Where context words occur, by word id: folded character ranges, sorted by start.
struct ContextHits {
    by_word: Vec<Vec<(usize, usize)>>,
}

impl ContextHits {
    fn find(rules: &RuleSet, text: &Searchable, candidates: &[Candidate]) -> ContextHits {
        let mut by_word = vec![Vec::new(); rules.context_word_count];
        let needed = candidates.iter().any(|c| rules.rules[c.rule].context.is_some());
        if let (true, Some(words)) = (needed, &rules.context_words) {
            for m in words.find_overlapping_iter(text.folded.text.as_str()) {
                let Some(&word) = rules.context_word_ids.get(m.pattern().as_usize()) else { continue };
                if let Some(list) = by_word.get_mut(word) {
                    list.push((text.folded.char_index(m.start()), text.folded.char_index(m.end())));
                }
            }
            by_word.iter_mut().for_each(|list| list.sort_unstable());
        }
        ContextHits { by_word }
    }

    /// The candidate's confidence after its context check, or `None` when the context rules
    /// it out (a required word missing, or a negative word present).
    fn confidence(&self, rule: &Rule, text: &Searchable, candidate: &Candidate) -> Option<f32> {
        let Some(context) = &rule.context else { return Some(rule.confidence) };
        let start = text.folded.char_index(candidate.start);
        let end = text.folded.char_index(candidate.end);
        let segment = text.segment(start);
        let near = |word: &usize| {
            let Some(hits) = self.by_word.get(*word) else { return false };
            let from = start.saturating_sub(context.window);
            let to = end + context.window;
            let first = hits.partition_point(|&(hit_start, _)| hit_start < from);
            hits[first..]
                .iter()
                .take_while(|&&(hit_start, _)| hit_start < to)
                .any(|&(hit_start, hit_end)| hit_end <= to && text.segment(hit_start) == segment)
        };
        if context.negative.iter().any(near) {
            return None;
        }
        match (context.words.iter().any(near), context.required) {
            (true, _) => Some((rule.confidence + context.boost).min(1.0)),
            (false, true) => None,
            (false, false) => Some(rule.confidence),
        }
    }
}

//! The scan: fold the document once, run every automaton and regex over it, then keep the
//! candidates that pass their word boundary, validator, exclusions, allow-list and context.
//!
//! Matching runs on [`Folded`] text so that full-width letters, zero-width characters and
//! spaces or line breaks inside a CJK term do not hide it; every hit is mapped back to original
//! character offsets before it becomes a [`Finding`]. The document is folded as *segments* —
//! one per paragraph (a hard-wrapped text paragraph counts as one) and one per hidden item —
//! so that no match and no proximity window crosses a paragraph or joins a comment to the body.
//!
//! Cost is what the design is about (hundreds of megabytes an hour of drafts): the lexicon is
//! one automaton pass (with a prefilter for big lexicons); regexes run only on the stretches
//! of lines where the rule set's `RegexSet` says they match; exclusions, allow-lists and
//! context words are looked up only around candidates; candidates are mapped back to original
//! offsets in one forward walk.

use std::ops::Range;

use super::finding::Finding;
use super::rules::{FilterOwner, Rule, RuleSet};
use crate::document::{Document, Origin};
use crate::normalize::Folded;

/// How far (in folded bytes) past the end of its stretch of lines a pattern match may reach:
/// each stretch is searched with this much of the rest of its (hard-wrapped) paragraph.
const PATTERN_REACH: usize = 256;

/// How many folded bytes of whole lines the `RegexSet` prefilter looks at in one call: long
/// enough that its per-call cost vanishes, short enough that a regex it lets through runs on
/// little text.
const STRETCH: usize = 4096;

/// A document folded for matching, segment by segment.
struct Searchable {
    folded: Folded,
    /// The folded byte range of each segment.
    segments: Vec<Range<usize>>,
    /// The folded byte offset at which each original block starts, and its segment: patterns
    /// run on stretches of whole lines.
    lines: Vec<(usize, usize)>,
}

impl Searchable {
    fn new(document: &Document) -> Searchable {
        let mut folded = Folded::with_capacity(document.text().len(), document.char_len());
        let mut segments = Vec::new();
        let mut lines = Vec::new();
        let blocks = document.blocks();
        let mut i = 0;
        while let Some(first) = blocks.get(i) {
            let first_line = i;
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
            let start = folded.origin.len() + separator;
            let start_byte = folded.text.len() + separator;
            folded.push_segment(document.slice(first.start, end), first.start);
            // Each block's first folded character: origins are non-decreasing, so one forward
            // walk over the segment finds them all.
            let mut k = start;
            for block in blocks.get(first_line..i).unwrap_or_default() {
                while folded.origin.get(k).is_some_and(|&o| (o as usize) < block.start) {
                    k += 1;
                }
                let byte = folded.bytes.get(k).map_or(folded.text.len(), |&b| b as usize);
                lines.push((byte, segments.len()));
            }
            segments.push(start_byte..folded.text.len());
        }
        Searchable { folded, segments, lines }
    }

    /// The folded byte range of segment `segment`.
    fn segment_bytes(&self, segment: usize) -> Range<usize> {
        self.segments.get(segment).cloned().unwrap_or(0..0)
    }

    /// The folded byte range of the segment holding folded byte `byte`.
    fn segment_around(&self, byte: usize) -> Range<usize> {
        self.segment_bytes(self.segments.partition_point(|s| s.start <= byte).saturating_sub(1))
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
    lexicon_candidates(rules, folded, &mut candidates);
    pattern_candidates(rules, &text, &mut candidates);

    // Filters and context first; then the survivors, in text order, are mapped back to original
    // offsets by one forward walk (a binary search per candidate over a map as large as the
    // document would miss the cache every time).
    let mut kept: Vec<(Candidate, f32)> = candidates
        .into_iter()
        .filter(|c| !is_filtered(rules, &text, c))
        .filter_map(|c| Some((c, confidence(rules, &rules.rules[c.rule], &text, &c)?)))
        .collect();
    kept.sort_by_key(|(c, _)| (c.start, c.end, c.rule));
    let mut cursor = 0;
    let mut findings = Vec::with_capacity(kept.len());
    for (candidate, confidence) in kept {
        let rule = &rules.rules[candidate.rule];
        while folded.bytes.get(cursor).is_some_and(|&b| (b as usize) < candidate.start) {
            cursor += 1;
        }
        let mut last = cursor;
        while folded.bytes.get(last + 1).is_some_and(|&b| (b as usize) < candidate.end) {
            last += 1;
        }
        let (Some(&first_origin), Some(&last_origin)) = (folded.origin.get(cursor), folded.origin.get(last))
        else {
            continue;
        };
        let (start, end) = (first_origin as usize, last_origin as usize + 1);
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

/// Every lexicon term occurrence, for each rule that owns the term.
fn lexicon_candidates(rules: &RuleSet, folded: &Folded, candidates: &mut Vec<Candidate>) {
    let Some(lexicon) = &rules.lexicon else { return };
    for (term, start, end) in lexicon.find_all(&folded.text) {
        let owners = rules.lexicon_owners.get(term).map_or(&[][..], Vec::as_slice);
        for &rule in owners {
            if rules.rules[rule].word_boundary && !at_word_boundary(&folded.text, start, end) {
                continue;
            }
            candidates.push(Candidate { rule, start, end });
        }
    }
}

/// Every pattern match that passes its word boundary and validator.
///
/// Patterns run stretch by stretch — whole lines, at least [`STRETCH`] bytes of them when the
/// paragraph is that long — each with [`PATTERN_REACH`] bytes of the rest of its paragraph, and
/// only the regexes that the rule set's `RegexSet` says match somewhere in that stretch.
fn pattern_candidates(rules: &RuleSet, text: &Searchable, candidates: &mut Vec<Candidate>) {
    let Some(set) = &rules.pattern_set else { return };
    let haystack = text.folded.text.as_str();
    // Per pattern rule, the end of its last match: a stretch's search never reports a match
    // that overlaps one the previous stretch's search already reported.
    let mut reported_until = vec![0usize; rules.patterns.len()];
    let mut i = 0;
    while let Some(&(stretch_start, segment)) = text.lines.get(i) {
        let segment_end = text.segment_bytes(segment).end;
        // Extend the stretch line by line, within the segment, until it is long enough.
        let mut stretch_end = segment_end;
        i += 1;
        while let Some(&(next, next_segment)) = text.lines.get(i) {
            if next_segment != segment {
                break;
            }
            if next - stretch_start >= STRETCH {
                stretch_end = next;
                break;
            }
            i += 1;
        }
        let mut reach = (stretch_end + PATTERN_REACH).min(segment_end);
        while !haystack.is_char_boundary(reach) {
            reach -= 1;
        }
        let Some(stretch) = haystack.get(stretch_start..reach) else { continue };
        if stretch_start >= stretch_end {
            continue;
        }
        for which in set.matches(stretch).iter() {
            let (Some(&rule), Some(until)) = (rules.patterns.get(which), reported_until.get_mut(which))
            else {
                continue;
            };
            let Some((regex, validator)) = &rules.rules[rule].pattern else { continue };
            for m in regex.find_iter(stretch) {
                let (start, end) = (stretch_start + m.start(), stretch_start + m.end());
                if start >= stretch_end {
                    break;
                }
                if start < *until || m.as_str().contains('\n') {
                    continue;
                }
                if rules.rules[rule].word_boundary && !at_word_boundary(haystack, start, end) {
                    continue;
                }
                if validator.is_some_and(|v| !v.accepts(m.as_str())) {
                    continue;
                }
                *until = end;
                candidates.push(Candidate { rule, start, end });
            }
        }
    }
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

/// True when an allow-listed term occurs around the whole candidate, or one of the candidate
/// rule's exclusions overlaps it: `秘密` in `秘密花园`, `涉密项目` in `非涉密项目` are ordinary
/// words, whichever end of the word the match shares.
fn is_filtered(rules: &RuleSet, text: &Searchable, candidate: &Candidate) -> bool {
    let Some(filters) = &rules.filters else { return false };
    let haystack = text.folded.text.as_str();
    let segment = text.segment_around(candidate.start);
    let mut from = candidate.start.saturating_sub(rules.longest_filter).max(segment.start);
    while !haystack.is_char_boundary(from) {
        from += 1;
    }
    let mut to = (candidate.end + rules.longest_filter).min(segment.end);
    while !haystack.is_char_boundary(to) {
        to -= 1;
    }
    let Some(window) = haystack.get(from..to) else { return false };
    filters.find_overlapping_iter(window).any(|m| {
        let (start, end) = (from + m.start(), from + m.end());
        let owners = rules.filter_owners.get(m.pattern().as_usize()).map_or(&[][..], Vec::as_slice);
        owners.iter().any(|&owner| match owner {
            FilterOwner::Allow => start <= candidate.start && end >= candidate.end,
            FilterOwner::Rule(rule) => {
                rule == candidate.rule && start < candidate.end && end > candidate.start
            }
        })
    })
}

/// The candidate's confidence after its context check, or `None` when the context rules it
/// out (a required word missing, or a negative word present). Context words count when they
/// lie wholly within `window` folded characters either side of the match, in its segment.
fn confidence(rules: &RuleSet, rule: &Rule, text: &Searchable, candidate: &Candidate) -> Option<f32> {
    let Some(context) = &rule.context else { return Some(rule.confidence) };
    let Some(words) = &rules.context_words else { return Some(rule.confidence) };
    let haystack = text.folded.text.as_str();
    let segment = text.segment_around(candidate.start);
    let before = haystack.get(segment.start..candidate.start).unwrap_or_default();
    let from = candidate.start - before.chars().rev().take(context.window).map(char::len_utf8).sum::<usize>();
    let after = haystack.get(candidate.end..segment.end).unwrap_or_default();
    let to = candidate.end + after.chars().take(context.window).map(char::len_utf8).sum::<usize>();
    let window = haystack.get(from..to)?;
    let (mut supported, mut cancelled) = (false, false);
    for m in words.find_overlapping_iter(window) {
        let Some(word) = rules.context_word_ids.get(m.pattern().as_usize()) else { continue };
        supported |= context.words.contains(word);
        cancelled |= context.negative.contains(word);
    }
    match (cancelled, supported, context.required) {
        (true, _, _) => None,
        (false, true, _) => Some((rule.confidence + context.boost).min(1.0)),
        (false, false, true) => None,
        (false, false, false) => Some(rule.confidence),
    }
}

//! The lexicon: every term of every lexicon rule in one Aho-Corasick automaton, searched
//! leftmost-longest.
//!
//! With thousands of Chinese terms, almost every character of Chinese text begins some term,
//! so a plain automaton scan spends its time walking in and out of the trie (one step per
//! byte, three bytes per character). A big lexicon therefore gets a prefilter: a bit table of
//! the first three characters of every term (all of them, for shorter terms). The scan walks
//! the text character by character and runs the automaton, anchored, only where a term can
//! start — where the next one, two or three characters are in the table.
//! Scanning positions in order and taking the longest term at each position, skipping
//! positions inside the previous match, is exactly leftmost-longest semantics, so the
//! prefilter never changes the result (a property test checks it against the plain scan).

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Anchored, Input, MatchKind, StartKind};

use crate::error::{Error, ErrorKind, Result};

/// Below this many terms the automaton is small (often a DFA) and a plain scan is faster.
const PREFILTER_MIN_TERMS: usize = 512;

/// Bits in the start table; a power of two.
const TABLE_BITS: usize = 1 << 18;

/// One leftmost-longest match: the term's index and its byte range.
pub(super) type LexiconMatch = (usize, usize, usize);

/// The compiled lexicon.
#[derive(Debug)]
pub(super) struct Lexicon {
    automaton: AhoCorasick,
    /// With a prefilter, which character pairs (and single characters) can start a term.
    starts: Option<StartTable>,
}

/// A bit per hashed beginning of a term: its first three characters, or the whole term when it
/// is shorter.
#[derive(Debug)]
struct StartTable {
    bits: Vec<u64>,
    /// Whether some term has one character, or two: only then are the shorter beginnings of a
    /// position worth looking up.
    has_one: bool,
    has_two: bool,
}

impl StartTable {
    fn slot(beginning: [Option<char>; 3]) -> usize {
        // A multiplicative hash of the (up to) three characters; `None` hashes apart from any
        // character, so "ab" and "abc" are different beginnings.
        let code = |c: Option<char>| c.map_or(0x1F_FFFF, u64::from);
        let key = code(beginning[0]) ^ (code(beginning[1]) << 21) ^ (code(beginning[2]) << 42);
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - TABLE_BITS.trailing_zeros())) as usize
    }

    fn insert(&mut self, beginning: [Option<char>; 3]) {
        let slot = Self::slot(beginning);
        if let Some(word) = self.bits.get_mut(slot / 64) {
            *word |= 1 << (slot % 64);
        }
    }

    fn contains(&self, beginning: [Option<char>; 3]) -> bool {
        let slot = Self::slot(beginning);
        self.bits.get(slot / 64).is_some_and(|word| word & (1 << (slot % 64)) != 0)
    }
}

impl Lexicon {
    /// Compiles `terms` (already folded, non-empty, distinct).
    pub(super) fn new(terms: &[String]) -> Result<Lexicon> {
        let prefilter = terms.len() >= PREFILTER_MIN_TERMS;
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(if prefilter { StartKind::Anchored } else { StartKind::Unanchored })
            .build(terms)
            .map_err(|e| Error::new(ErrorKind::Rules, format!("the rule set's terms do not compile: {e}")))?;
        let starts = prefilter.then(|| {
            let mut table = StartTable { bits: vec![0; TABLE_BITS / 64], has_one: false, has_two: false };
            for term in terms {
                let mut chars = term.chars();
                let beginning = [chars.next(), chars.next(), chars.next()];
                table.has_one |= beginning[1].is_none();
                table.has_two |= beginning[1].is_some() && beginning[2].is_none();
                table.insert(beginning);
            }
            table
        });
        Ok(Lexicon { automaton, starts })
    }

    /// Every leftmost-longest match in `text`, in order.
    pub(super) fn find_all(&self, text: &str) -> Vec<LexiconMatch> {
        let Some(starts) = &self.starts else {
            return self
                .automaton
                .find_iter(text)
                .map(|m| (m.pattern().as_usize(), m.start(), m.end()))
                .collect();
        };
        let mut matches = Vec::new();
        // No match may start before `resume` (the end of the previous match).
        let mut resume = 0;
        // A window of three characters: the position examined and the two after it, each
        // decoded once.
        let mut chars = text.char_indices();
        let mut current = chars.next();
        let mut lookahead = chars.next();
        while let Some((at, c)) = current {
            let beyond = chars.next();
            let (next, after) = (lookahead.map(|(_, n)| n), beyond.map(|(_, a)| a));
            current = lookahead;
            lookahead = beyond;
            if at < resume {
                continue;
            }
            let possible = starts.contains([Some(c), next, after])
                || (starts.has_two && starts.contains([Some(c), next, None]))
                || (starts.has_one && starts.contains([Some(c), None, None]));
            if !possible {
                continue;
            }
            let input = Input::new(text).range(at..).anchored(Anchored::Yes);
            if let Ok(Some(m)) = self.automaton.try_find(input) {
                matches.push((m.pattern().as_usize(), m.start(), m.end()));
                resume = m.end();
            }
        }
        matches
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(terms: &[String], text: &str) -> Vec<LexiconMatch> {
        let automaton =
            AhoCorasickBuilder::new().match_kind(MatchKind::LeftmostLongest).build(terms).unwrap();
        automaton.find_iter(text).map(|m| (m.pattern().as_usize(), m.start(), m.end())).collect()
    }

    /// Enough distinct terms over a small alphabet to switch the prefilter on.
    fn many_terms(seed: &[String]) -> Vec<String> {
        let alphabet: Vec<char> = "机密秘绝军部队ab 1".chars().collect();
        let mut terms: Vec<String> = seed.to_vec();
        let mut n = 0usize;
        while terms.len() < PREFILTER_MIN_TERMS + 10 {
            let mut term = String::new();
            let mut k = n;
            for _ in 0..4 {
                term.push(alphabet[k % alphabet.len()]);
                k /= alphabet.len();
            }
            term.push('号');
            n += 1;
            if !terms.contains(&term) {
                terms.push(term);
            }
        }
        terms
    }

    proptest::proptest! {
        #[test]
        fn the_prefiltered_scan_finds_exactly_what_the_plain_scan_finds(
            seed in proptest::collection::vec("[机密秘绝军部队ab 1]{1,4}", 1..20),
            text in "[机密秘绝军部队号ab 1]{0,80}",
        ) {
            let mut seed = seed;
            seed.sort();
            seed.dedup();
            let terms = many_terms(&seed);
            let lexicon = Lexicon::new(&terms).unwrap();
            proptest::prop_assert!(lexicon.starts.is_some());
            proptest::prop_assert_eq!(lexicon.find_all(&text), plain(&terms, &text));
        }
    }
}

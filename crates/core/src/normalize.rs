//! Folding text into a search key, with a map back to the original characters.
//!
//! Evasions a leak-hunter must see through: full-width forms (ＳＥＣＲＥＴ), compatibility
//! characters (NFKC), zero-width characters, and spaces or line breaks slipped inside a term.
//! Detection and verification both match on the folded text and map each hit back to original
//! character offsets, so a finding or a leak is reported where it really is.

use unicode_normalization::UnicodeNormalization;

/// Text folded for matching, with the original character offset of every folded character.
///
/// A `Folded` may hold several *segments* (see [`Folded::push_segment`]): detection folds a
/// whole document once, one segment per paragraph or hidden item, and the segments are kept
/// apart by a `'\n'`, which folding never produces otherwise (it turns every whitespace run
/// into one space), so no lexicon term can match across two segments.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Folded {
    /// The folded text: NFKC, lowercase, no zero-width or format characters, every run of
    /// whitespace collapsed to one space — and removed entirely between two CJK characters
    /// (CJK text has no spaces between words, so a space there is an evasion or a line wrap).
    pub text: String,
    /// For the folded character at index `i`, the offset of the original character it came from.
    pub origin: Vec<usize>,
    /// For the folded character at index `i`, its byte offset in `text` (ascending), so that a
    /// match's byte range maps to folded characters by binary search.
    pub bytes: Vec<u32>,
}

impl Folded {
    /// Folds `text`; offsets in `origin` are counted from `base`.
    pub fn new(text: &str, base: usize) -> Folded {
        let mut folded = Folded { text: String::with_capacity(text.len()), ..Folded::default() };
        folded.push_segment(text, base);
        folded
    }

    /// Appends `text` (whose first character has original offset `base`) as a new segment,
    /// separated from the previous one by a `'\n'` whose origin is `base`.
    ///
    /// Most text is ASCII or common Han ideographs, which NFKC leaves alone: those take a fast
    /// path that skips the per-character normalization iterator (detection must fold at
    /// hundreds of megabytes per second).
    pub fn push_segment(&mut self, text: &str, base: usize) {
        if !self.text.is_empty() {
            self.push('\n', base);
        }
        // A pending whitespace run: the original offset of its first character.
        let mut pending_space: Option<usize> = None;
        for (i, c) in text.chars().enumerate() {
            let offset = base + i;
            if c.is_ascii_alphanumeric() || c.is_ascii_punctuation() {
                if let Some(space_at) = pending_space.take() {
                    self.push_space_before(space_at, false);
                }
                self.push(c.to_ascii_lowercase(), offset);
                continue;
            }
            if is_common_han(c) {
                if let Some(space_at) = pending_space.take() {
                    self.push_space_before(space_at, true);
                }
                self.push(c, offset);
                continue;
            }
            if is_invisible(c) {
                continue;
            }
            if c.is_whitespace() {
                pending_space.get_or_insert(offset);
                continue;
            }
            let mut expanded = std::iter::once(c).nfkc().flat_map(char::to_lowercase).peekable();
            if let Some(space_at) = pending_space.take() {
                let after_is_cjk = expanded.peek().is_some_and(|&a| is_cjk(a));
                self.push_space_before(space_at, after_is_cjk);
            }
            for folded_char in expanded {
                if is_invisible(folded_char) {
                    continue;
                }
                self.push(folded_char, offset);
            }
        }
    }

    /// Emits the space that stands for a whitespace run starting at original offset `space_at`,
    /// unless it starts a segment or sits between two CJK characters.
    fn push_space_before(&mut self, space_at: usize, after_is_cjk: bool) {
        match self.text.chars().next_back() {
            None | Some('\n') => {}
            Some(before) if after_is_cjk && is_cjk(before) => {}
            Some(_) => self.push(' ', space_at),
        }
    }

    fn push(&mut self, c: char, origin: usize) {
        self.bytes.push(self.text.len() as u32);
        self.text.push(c);
        self.origin.push(origin);
    }

    /// The index of the folded character at byte offset `byte` of `text` (a byte inside a
    /// character maps to that character; `text.len()` maps to the character count).
    pub fn char_index(&self, byte: usize) -> usize {
        if byte >= self.text.len() {
            return self.bytes.len();
        }
        match self.bytes.binary_search(&(byte as u32)) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// The original character range `[start, end)` that folded bytes `[start, end)` come from.
    /// `end` must be greater than `start`.
    pub fn original_range(&self, start: usize, end: usize) -> (usize, usize) {
        let first = self.char_index(start);
        let last = self.char_index(end.saturating_sub(1));
        let origin = |i: usize| self.origin.get(i).copied().unwrap_or(0);
        (origin(first), origin(last) + 1)
    }

    /// Number of (possibly overlapping) occurrences of `needle`, which must already be folded.
    pub fn count(&self, needle: &str) -> usize {
        if needle.is_empty() {
            return 0;
        }
        let mut count = 0;
        let mut from = 0;
        while let Some(at) = self.text[from..].find(needle) {
            count += 1;
            from += at + self.text[from + at..].chars().next().map_or(1, char::len_utf8);
        }
        count
    }
}

/// Folds a search term the same way as the text it is searched in.
pub(crate) fn fold(term: &str) -> String {
    Folded::new(term, 0).text
}

/// Characters that render as nothing: zero-width spaces and joiners, the BOM, soft hyphens and
/// other format characters.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{00AD}' | '\u{180E}' | '\u{202A}'..='\u{202E}')
}

/// The CJK Unified Ideographs block: no compatibility decomposition, no case, so NFKC and
/// lowercasing leave each of them unchanged.
fn is_common_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}')
}

/// Han ideographs, CJK punctuation, kana and full-width forms: scripts written without spaces.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{303F}' | '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}' | '\u{FF00}'..='\u{FFEF}' | '\u{20000}'..='\u{2FA1F}' | '★' | '☆')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &str) {
        assert_eq!(Folded::new(input, 0).text, expected, "folding {input:?}");
    }

    #[test]
    fn evasions_fold_away() {
        check("ＳＥＣＲＥＴ", "secret");
        check("机\u{200B}密", "机密");
        check("机 密", "机密");
        check("机\n密", "机密");
        check("TOP   SECRET", "top secret");
        check("TOP\nSECRET", "top secret");
        check("  leading", "leading");
        check("９５８３７部队", "95837部队");
    }

    #[test]
    fn every_folded_character_maps_back_to_its_original() {
        let folded = Folded::new("a ＢC 机 密", 10);
        assert_eq!(folded.text, "a bc 机密");
        assert_eq!(folded.origin, vec![10, 11, 12, 13, 14, 15, 17]);
    }

    #[test]
    fn segments_are_kept_apart_by_a_line_break() {
        let mut folded = Folded::new("机", 0);
        folded.push_segment(" 密 ", 5);
        assert_eq!(folded.text, "机\n密");
        assert_eq!(folded.origin, vec![0, 5, 6]);
        assert_eq!(folded.bytes, vec![0, 3, 4]);
    }

    #[test]
    fn byte_ranges_map_back_to_original_characters() {
        let folded = Folded::new("ＴＯＰ 机 密", 0);
        assert_eq!(folded.text, "top 机密");
        assert_eq!(folded.char_index(4), 4);
        assert_eq!(folded.char_index(5), 4, "a byte inside a character maps to it");
        assert_eq!(folded.char_index(folded.text.len()), 6);
        assert_eq!(folded.original_range(4, 10), (4, 7));
        assert_eq!(folded.original_range(0, 3), (0, 3));
    }

    /// The folding every character would get without the fast paths.
    fn reference_fold(text: &str) -> String {
        let mut out = String::new();
        let mut pending = false;
        for c in text.chars() {
            if is_invisible(c) {
                continue;
            }
            if c.is_whitespace() {
                pending = true;
                continue;
            }
            let expanded: String = std::iter::once(c)
                .nfkc()
                .flat_map(char::to_lowercase)
                .filter(|&c| !is_invisible(c))
                .collect();
            if std::mem::take(&mut pending) {
                let joins_cjk = matches!((out.chars().next_back(), expanded.chars().next()),
                    (Some(b), Some(a)) if is_cjk(b) && is_cjk(a));
                if !out.is_empty() && !joins_cjk {
                    out.push(' ');
                }
            }
            out.push_str(&expanded);
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn fast_paths_fold_exactly_like_nfkc(text in "[a-zA-Z0-9 \t\n.,:/机密秘ＡＢ１２㎒①\u{200B}\u{3000}★]{0,40}") {
            proptest::prop_assert_eq!(Folded::new(&text, 0).text, reference_fold(&text));
        }
    }

    #[test]
    fn count_finds_overlapping_occurrences() {
        assert_eq!(Folded::new("aaa", 0).count("aa"), 2);
        assert_eq!(Folded::new("机密，机 密", 0).count("机密"), 2);
    }
}

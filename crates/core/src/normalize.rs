//! Folding text into a search key, with a map back to the original characters.
//!
//! Evasions a leak-hunter must see through: full-width forms (ＳＥＣＲＥＴ), compatibility
//! characters (NFKC), zero-width characters, and spaces or line breaks slipped inside a term.
//! Detection and verification both match on the folded text and map each hit back to original
//! character offsets, so a finding or a leak is reported where it really is.

use unicode_normalization::UnicodeNormalization;

/// Text folded for matching, with the original character offset of every folded character.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Folded {
    /// The folded text: NFKC, lowercase, no zero-width or format characters, every run of
    /// whitespace collapsed to one space — and removed entirely between two CJK characters
    /// (CJK text has no spaces between words, so a space there is an evasion or a line wrap).
    pub text: String,
    /// For the folded character at index `i`, the offset of the original character it came from.
    pub origin: Vec<usize>,
}

impl Folded {
    /// Folds `text`; offsets in `origin` are counted from `base`.
    pub fn new(text: &str, base: usize) -> Folded {
        let mut folded = Folded { text: String::with_capacity(text.len()), origin: Vec::new() };
        // A pending whitespace run: the original offset of its first character.
        let mut pending_space: Option<usize> = None;
        for (i, c) in text.chars().enumerate() {
            let offset = base + i;
            if is_invisible(c) {
                continue;
            }
            if c.is_whitespace() {
                pending_space.get_or_insert(offset);
                continue;
            }
            let mut expanded = std::iter::once(c).nfkc().flat_map(char::to_lowercase).peekable();
            if let Some(space_at) = pending_space.take() {
                let after = expanded.peek().copied();
                let before = folded.text.chars().next_back();
                let joins_cjk = matches!((before, after), (Some(b), Some(a)) if is_cjk(b) && is_cjk(a));
                if !folded.text.is_empty() && !joins_cjk {
                    folded.text.push(' ');
                    folded.origin.push(space_at);
                }
            }
            for folded_char in expanded {
                if is_invisible(folded_char) {
                    continue;
                }
                folded.text.push(folded_char);
                folded.origin.push(offset);
            }
        }
        folded
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
    fn count_finds_overlapping_occurrences() {
        assert_eq!(Folded::new("aaa", 0).count("aa"), 2);
        assert_eq!(Folded::new("机密，机 密", 0).count("机密"), 2);
    }
}

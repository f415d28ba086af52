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
    /// For the folded character at index `i`, the offset of the original character it came from
    /// (non-decreasing). `u32`, like the document's own offsets: a scan folds whole documents,
    /// and these vectors are its largest allocation.
    pub origin: Vec<u32>,
    /// For the folded character at index `i`, its byte offset in `text` (ascending), so that a
    /// match's byte range maps to folded characters, and through `origin` to the original.
    pub bytes: Vec<u32>,
}

impl Folded {
    /// Folds `text`; offsets in `origin` are counted from `base`.
    pub fn new(text: &str, base: usize) -> Folded {
        let mut folded = Folded::with_capacity(text.len(), text.len());
        folded.push_segment(text, base);
        folded
    }

    /// An empty `Folded` with room for `bytes` bytes and `chars` characters, so that folding a
    /// whole document does not reallocate (and copy) as it grows.
    pub fn with_capacity(bytes: usize, chars: usize) -> Folded {
        Folded {
            text: String::with_capacity(bytes),
            origin: Vec::with_capacity(chars),
            bytes: Vec::with_capacity(chars),
        }
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
        // The original offset of the next character, and the text from it on.
        let mut next_offset = base;
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            if is_plain_ascii(c) {
                // A run of ASCII letters, digits and punctuation is copied and lowercased at once.
                let run = rest.bytes().position(|b| !is_plain_ascii(char::from(b))).unwrap_or(rest.len());
                let Some((ascii, tail)) = rest.split_at_checked(run) else { break };
                if let Some(space_at) = pending_space.take() {
                    self.push_space_before(space_at, false);
                }
                let first_byte = self.text.len();
                self.text.push_str(ascii);
                if let Some(copied) = self.text.get_mut(first_byte..) {
                    copied.make_ascii_lowercase();
                }
                self.bytes.extend((first_byte..first_byte + run).map(|b| b as u32));
                self.origin.extend((next_offset..next_offset + run).map(|o| o as u32));
                next_offset += run;
                rest = tail;
                continue;
            }
            if is_common_han(c) {
                // Likewise a run of common Han characters (three bytes each), copied as is.
                let run = rest.chars().take_while(|&h| is_common_han(h)).count();
                let Some((han, tail)) = rest.split_at_checked(run * 3) else { break };
                if let Some(space_at) = pending_space.take() {
                    self.push_space_before(space_at, true);
                }
                let first_byte = self.text.len();
                self.text.push_str(han);
                self.bytes.extend((0..run).map(|k| (first_byte + 3 * k) as u32));
                self.origin.extend((next_offset..next_offset + run).map(|o| o as u32));
                next_offset += run;
                rest = tail;
                continue;
            }
            rest = rest.get(c.len_utf8()..).unwrap_or_default();
            let offset = next_offset;
            next_offset += 1;
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
        self.origin.push(origin as u32);
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

/// ASCII letters, digits and punctuation: NFKC leaves them alone and they fold by ASCII
/// lowercasing.
fn is_plain_ascii(c: char) -> bool {
    c.is_ascii_alphanumeric() || c.is_ascii_punctuation()
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

    /// The folding every character would get without the fast paths, with origins.
    fn reference_fold(text: &str) -> (String, Vec<u32>) {
        let mut out = String::new();
        let mut origin = Vec::new();
        let mut pending: Option<usize> = None;
        for (i, c) in text.chars().enumerate() {
            if is_invisible(c) {
                continue;
            }
            if c.is_whitespace() {
                pending.get_or_insert(i);
                continue;
            }
            let expanded: String = std::iter::once(c)
                .nfkc()
                .flat_map(char::to_lowercase)
                .filter(|&c| !is_invisible(c))
                .collect();
            if let Some(space_at) = pending.take() {
                let joins_cjk = matches!((out.chars().next_back(), expanded.chars().next()),
                    (Some(b), Some(a)) if is_cjk(b) && is_cjk(a));
                if !out.is_empty() && !joins_cjk {
                    out.push(' ');
                    origin.push(space_at as u32);
                }
            }
            for folded in expanded.chars() {
                out.push(folded);
                origin.push(i as u32);
            }
        }
        (out, origin)
    }

    proptest::proptest! {
        #[test]
        fn fast_paths_fold_exactly_like_nfkc(text in "[a-zA-Z0-9 \t\n.,:/机密秘ＡＢ１２㎒①\u{200B}\u{3000}★]{0,40}") {
            let folded = Folded::new(&text, 0);
            let (expected_text, expected_origin) = reference_fold(&text);
            proptest::prop_assert_eq!(&folded.text, &expected_text);
            proptest::prop_assert_eq!(&folded.origin, &expected_origin);
            let starts: Vec<u32> = folded.text.char_indices().map(|(b, _)| b as u32).collect();
            proptest::prop_assert_eq!(&folded.bytes, &starts);
        }
    }

    #[test]
    fn count_finds_overlapping_occurrences() {
        assert_eq!(Folded::new("aaa", 0).count("aa"), 2);
        assert_eq!(Folded::new("机密，机 密", 0).count("机密"), 2);
    }
}

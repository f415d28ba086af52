//! Glyphs to text in reading order: group glyphs by baseline into lines, sort each line left to
//! right, insert a synthetic space where the file positions two words apart instead of drawing a
//! space glyph, and join a word hyphenated across a line end.
//!
//! The output is a list of lines, each a list of pieces: a glyph (whose text becomes characters
//! with `Origin::Pdf`) or a synthetic space. One block per line keeps the location of a finding
//! precise (its page) and lets the desktop app scroll to it.

use super::content::Glyph;

/// One piece of a line of text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Piece {
    /// Glyph `i` of the page (its text).
    Glyph(usize),
    /// A space the reader inserts between words drawn apart.
    Space,
}

/// A line of text and whether it continues on the next line (a hyphenated word: the hyphen is
/// dropped and no line break separates the halves).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Line {
    pub(crate) pieces: Vec<Piece>,
    pub(crate) joins_next: bool,
}

/// Glyphs sharing a direction and a baseline.
struct Group {
    direction: i32,
    v: f32,
    size: f32,
    /// (position along the baseline, glyph index)
    members: Vec<(f32, usize)>,
}

/// A gap wider than this fraction of the font size between two glyphs reads as a word space.
const SPACE_GAP: f32 = 0.25;
/// Glyphs whose baselines differ by less than this fraction of the font size share a line.
const SAME_LINE: f32 = 0.4;

/// Lays out the glyphs listed in `selected` (indices into `glyphs`) as lines in reading order.
pub(crate) fn lines(glyphs: &[Glyph], selected: &[usize]) -> Vec<Line> {
    // Each glyph in its own writing frame: `u` along the baseline, `v` across it. Upright text
    // has u = x and v = y; rotated text (a stamp at 30°) is laid out along its own baseline.
    let frame = |g: &Glyph| {
        let (dx, dy) = g.dir;
        let direction = dy.atan2(dx).to_degrees().round() as i32;
        let u = g.x * dx + g.y * dy;
        let v = -g.x * dy + g.y * dx;
        (direction, u, v)
    };
    // Group by direction and baseline. Glyphs come in drawing order, which is usually reading
    // order, so the most recent line is tried first.
    let mut groups: Vec<Group> = Vec::new();
    for &i in selected {
        let Some(g) = glyphs.get(i) else { continue };
        if g.text.is_none() {
            continue;
        }
        let (direction, u, v) = frame(g);
        let size = g.size.abs().max(1.0);
        let found = groups
            .iter_mut()
            .rev()
            .find(|l| l.direction == direction && (v - l.v).abs() < SAME_LINE * size.min(l.size).max(1.0));
        match found {
            Some(line) => line.members.push((u, i)),
            None => groups.push(Group { direction, v, size, members: vec![(u, i)] }),
        }
    }
    for group in &mut groups {
        group.members.sort_by(|a, b| a.0.total_cmp(&b.0));
    }
    // Upright lines first, top to bottom; then each other direction, line by line.
    groups.sort_by(|a, b| {
        (a.direction != 0, a.direction)
            .cmp(&(b.direction != 0, b.direction))
            .then(a.v.total_cmp(&b.v))
            .then_with(|| a.members[0].0.total_cmp(&b.members[0].0))
    });

    let mut lines: Vec<Line> = Vec::with_capacity(groups.len());
    for group in groups {
        let mut pieces = Vec::with_capacity(group.members.len() + group.members.len() / 4);
        let mut previous: Option<(f32, &Glyph)> = None; // (u at the end of the glyph, glyph)
        for &(u, i) in &group.members {
            let g = &glyphs[i];
            if let Some((end, p)) = previous {
                let gap = u - end;
                let spaced = ends_with_space(p) || starts_with_space(g);
                if !spaced && gap > SPACE_GAP * g.size.abs().max(p.size.abs()) {
                    pieces.push(Piece::Space);
                }
            }
            pieces.push(Piece::Glyph(i));
            previous = Some((u + g.advance, g));
        }
        lines.push(Line { pieces, joins_next: false });
    }

    // A line ending in "letter-" followed by a line starting with a lowercase letter is one word
    // broken by hyphenation: drop the hyphen and join the lines, so the word can be found.
    for k in 0..lines.len().saturating_sub(1) {
        let first_next = lines[k + 1].pieces.first().and_then(|p| first_char(glyphs, *p));
        let pieces = &lines[k].pieces;
        let n = pieces.len();
        let hyphen = n >= 2
            && matches!(last_char(glyphs, pieces[n - 1]), Some('-' | '\u{00AD}'))
            && last_char(glyphs, pieces[n - 2]).is_some_and(char::is_alphabetic);
        if hyphen && first_next.is_some_and(char::is_lowercase) {
            lines[k].pieces.pop();
            lines[k].joins_next = true;
        }
    }
    lines
}

fn text_of(glyphs: &[Glyph], piece: Piece) -> Option<&str> {
    match piece {
        Piece::Glyph(i) => glyphs.get(i)?.text.as_deref(),
        Piece::Space => Some(" "),
    }
}

fn first_char(glyphs: &[Glyph], piece: Piece) -> Option<char> {
    text_of(glyphs, piece)?.chars().next()
}

fn last_char(glyphs: &[Glyph], piece: Piece) -> Option<char> {
    text_of(glyphs, piece)?.chars().next_back()
}

fn ends_with_space(g: &Glyph) -> bool {
    g.text.as_deref().and_then(|t| t.chars().next_back()).is_some_and(char::is_whitespace)
}

fn starts_with_space(g: &Glyph) -> bool {
    g.text.as_deref().and_then(|t| t.chars().next()).is_some_and(char::is_whitespace)
}

/// The lines as plain text, one per line (for hidden items and tests).
pub(crate) fn plain(glyphs: &[Glyph], lines: &[Line]) -> String {
    let mut out = String::new();
    for line in lines {
        for piece in &line.pieces {
            out.push_str(text_of(glyphs, *piece).unwrap_or(""));
        }
        if !line.joins_next {
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Rect;
    use crate::ingest::pdf::content::{GlyphSource, Visibility};

    /// A glyph of `text` at baseline (x, y), `width` wide, 10 points tall.
    fn glyph(text: &str, x: f32, y: f32, width: f32) -> Glyph {
        Glyph {
            text: Some(text.into()),
            rect: Rect { x, y: y - 8.0, width, height: 10.0 },
            x,
            y,
            dir: (1.0, 0.0),
            advance: width,
            size: 10.0,
            visibility: Visibility::Visible,
            source: GlyphSource {
                placement: 0,
                op: 0,
                element: 0,
                bytes: 0..1,
                displacement: width,
                font_size: 10.0,
                scaling: 1.0,
            },
            type3: false,
        }
    }

    /// Lays out glyphs given as (text, x, y) with 5-point advances and returns the text.
    fn check(input: &[(&str, f32, f32)], expected: &str) {
        let glyphs: Vec<Glyph> = input.iter().map(|&(t, x, y)| glyph(t, x, y, 5.0)).collect();
        let all: Vec<usize> = (0..glyphs.len()).collect();
        let got = plain(&glyphs, &lines(&glyphs, &all));
        assert_eq!(got, expected, "\nexpected: {expected:?}\n     got: {got:?}");
    }

    #[test]
    fn adjacent_glyphs_join_and_a_wide_gap_is_a_space() {
        check(&[("a", 0.0, 10.0), ("b", 5.0, 10.0), ("c", 15.0, 10.0)], "ab c\n");
        // A gap of 2 points at size 10 is kerning, not a space.
        check(&[("a", 0.0, 10.0), ("b", 7.0, 10.0)], "ab\n");
    }

    #[test]
    fn a_space_glyph_gets_no_synthetic_space_beside_it() {
        check(&[("a", 0.0, 10.0), (" ", 5.0, 10.0), ("b", 30.0, 10.0)], "a b\n");
    }

    #[test]
    fn lines_are_ordered_top_to_bottom_and_left_to_right_whatever_the_drawing_order() {
        check(&[("2", 0.0, 30.0), ("b", 5.0, 10.0), ("a", 0.0, 10.0)], "ab\n2\n");
    }

    #[test]
    fn rotated_text_is_read_along_its_own_baseline() {
        // "ab" written upwards (90° counter-clockwise on the page: y decreases as it advances).
        let mut up: Vec<Glyph> =
            [("a", 100.0), ("b", 95.0)].iter().map(|&(t, y)| glyph(t, 50.0, y, 5.0)).collect();
        for g in &mut up {
            g.dir = (0.0, -1.0);
        }
        let all: Vec<usize> = (0..up.len()).collect();
        assert_eq!(plain(&up, &lines(&up, &all)), "ab\n");
    }

    #[test]
    fn a_small_baseline_shift_stays_on_the_line() {
        check(&[("H", 0.0, 10.0), ("2", 5.0, 12.0), ("O", 10.0, 10.0)], "H2O\n");
    }

    #[test]
    fn a_hyphenated_word_is_joined_across_the_line_end() {
        check(&[("a", 0.0, 10.0), ("-", 5.0, 10.0), ("b", 0.0, 30.0)], "ab\n");
        // Not before a capital (a compound such as "Sino-\nBritish" keeps its hyphen).
        check(&[("a", 0.0, 10.0), ("-", 5.0, 10.0), ("B", 0.0, 30.0)], "a-\nB\n");
        // Not a lone dash.
        check(&[("-", 0.0, 10.0), ("b", 0.0, 30.0)], "-\nb\n");
    }
}

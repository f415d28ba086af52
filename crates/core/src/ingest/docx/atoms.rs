//! The atom pass: one walk over a story part (document, header, footnotes, comments...) that
//! turns it into a list of character atoms, each knowing the exact bytes it came from.
//!
//! An atom is one character as the reader meets it: a character of `w:t`, `w:delText` or
//! `w:instrText` text (an entity or character reference is one atom spanning its whole `&..;`),
//! or a run-level element that stands for a character (`w:tab` → tab, `w:br`/`w:cr` → line
//! break, `w:noBreakHyphen` → `-`). Soft hyphens are dropped; `w:proofErr`, bookmarks and
//! comment ranges produce nothing, so a phrase that Word split across runs around them is still
//! one phrase. Each atom carries flags for why a reader would not see it (deleted, hidden by
//! `w:vanish` or by a style, a field instruction, the `mc:Fallback` copy of a text box) and the
//! tracked change it belongs to. The pass also records the byte ranges of hidden runs, which the
//! redactor removes whole.
//!
//! The reader and the redactor both run this pass on the same bytes, so an atom index recorded
//! in a [`Document`](crate::Document)'s source map finds the same bytes again at export time.

use std::ops::Range;

use super::styles::Styles;
use super::xml::{Cursor, Node, Ns, Tag};
use crate::error::{Error, Result};
use crate::limits::Limits;

/// The atom is tracked-deleted text (`w:del`, `w:moveFrom`, `w:delText`).
pub(crate) const DELETED: u8 = 1;
/// The atom is tracked-inserted text (`w:ins`, `w:moveTo`).
pub(crate) const INSERTED: u8 = 1 << 1;
/// The atom is in a run formatted hidden (`w:vanish`, `w:specVanish`, `w:webHidden`).
pub(crate) const HIDDEN: u8 = 1 << 2;
/// The atom is part of a field instruction (`w:instrText`).
pub(crate) const INSTRUCTION: u8 = 1 << 3;
/// The atom is in the `mc:Fallback` copy of alternate content (the VML twin of a text box).
pub(crate) const FALLBACK: u8 = 1 << 4;

/// One character of a story part.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Atom {
    /// The character.
    pub ch: char,
    /// Its bytes in the decoded part text.
    pub range: Range<usize>,
    /// Why a reader would not see it (a bit set of the constants above).
    pub flags: u8,
    /// 1-based number of the enclosing paragraph in the part (0: outside any paragraph).
    pub paragraph: u32,
    /// Index into [`Story::text_nodes`] of the `w:t`-like element holding it, if any.
    pub node: Option<u32>,
    /// Index into [`Story::changes`] of the innermost tracked change around it, if any.
    pub change: Option<u32>,
    /// Index into [`Story::containers`] of the comment, footnote or endnote around it, if any.
    pub container: Option<u32>,
    /// Index into [`Story::alternates`] of the innermost `mc:AlternateContent` around it.
    pub alternate: Option<u32>,
}

impl Atom {
    /// True when a reader of the final document sees this character.
    pub(crate) fn is_visible(&self) -> bool {
        self.flags & (DELETED | HIDDEN | INSTRUCTION | FALLBACK) == 0
    }
}

/// A `w:t`, `w:delText`, `w:instrText`, `w:delInstrText` or `m:t` (equation text) element.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct TextNode {
    /// The start tag's bytes.
    pub start_tag: Range<usize>,
    /// The content between the tags.
    pub content: Range<usize>,
    /// Whether the start tag already says `xml:space="preserve"`.
    pub preserves_space: bool,
}

/// What kind of tracked change an element records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ChangeKind {
    Insertion,
    Deletion,
    MoveFrom,
    MoveTo,
}

/// One tracked-change element and who made it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Change {
    pub kind: ChangeKind,
    pub author: Option<String>,
}

/// A comment, footnote or endnote element: the unit a side story is made of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Container {
    /// `comment`, `footnote` or `endnote`.
    pub kind: &'static str,
    /// `w:author` (comments).
    pub author: Option<String>,
    /// `w:initials` (comments).
    pub initials: Option<String>,
}

/// Text a reader does not see that lives in attributes rather than in runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct AttributeText {
    /// What it is: `"field instruction"`, `"alt text"`, `"alt text title"`.
    pub what: &'static str,
    /// The text.
    pub text: String,
    /// The enclosing paragraph (0: none).
    pub paragraph: u32,
}

/// The result of the atom pass over one part.
#[derive(Debug, Default)]
pub(crate) struct Story {
    pub atoms: Vec<Atom>,
    pub text_nodes: Vec<TextNode>,
    pub changes: Vec<Change>,
    pub containers: Vec<Container>,
    /// Number of `mc:AlternateContent` elements met.
    pub alternates: u32,
    /// Number of paragraphs met.
    pub paragraphs: u32,
    /// Field instructions of `w:fldSimple` and alt text of drawings.
    pub attribute_texts: Vec<AttributeText>,
    /// Authors named on tracked changes that hold no text (`w:rPrChange`, paragraph marks...).
    pub other_authors: Vec<String>,
    /// The byte ranges of the runs that are hidden (by `w:vanish` or by style), whole elements.
    pub hidden_runs: Vec<Range<usize>>,
}

/// Which open element a frame of the walk stands for, when it matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Frame {
    /// A paragraph, and whether its style hides its runs.
    Paragraph {
        style_hides: bool,
    },
    ParagraphProperties,
    Run(Run),
    RunProperties,
    TextNode {
        node: u32,
        flags: u8,
    },
    Change(u32, ChangeKind),
    Container(u32),
    Alternate(u32),
    Choice,
    Fallback,
    Other,
}

/// An open run and what decides whether it is hidden, strongest first: `w:vanish` on the run, its
/// character style, its paragraph's style.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Run {
    start: usize,
    direct: Option<bool>,
    style: Option<bool>,
    paragraph_style: bool,
}

impl Run {
    fn hidden(&self) -> bool {
        self.direct.or(self.style).unwrap_or(self.paragraph_style)
    }
}

/// Runs the atom pass over a decoded story part.
pub(crate) fn scan(text: &str, styles: &Styles, limits: &Limits) -> Result<Story> {
    let mut cursor = Cursor::new(text, limits);
    let mut story = Story::default();
    let mut stack: Vec<Frame> = Vec::new();
    let mut paragraphs: Vec<u32> = Vec::new();
    while let Some(item) = cursor.next()? {
        match item.node {
            Node::Start(tag) => {
                let frame = open(&tag, limits, &mut story, &stack, &mut paragraphs, item.range.clone())?;
                stack.push(frame);
            }
            Node::Empty(tag) => empty(&tag, styles, limits, &mut story, &mut stack, &paragraphs, item.range)?,
            Node::End(..) => match stack.pop() {
                Some(Frame::Paragraph { .. }) => {
                    paragraphs.pop();
                }
                Some(Frame::Run(run)) if run.hidden() => {
                    story.hidden_runs.push(run.start..item.range.end);
                }
                Some(Frame::TextNode { node, .. }) => {
                    if let Some(text_node) = story.text_nodes.get_mut(node as usize) {
                        text_node.content.end = item.range.start;
                    }
                }
                _ => {}
            },
            // A text node's characters start where its event does; a CDATA section's start
            // after its 9-byte `<![CDATA[` opener.
            Node::Text(raw) | Node::CData(raw) => {
                let base = item.range.start + if matches!(item.node, Node::CData(_)) { 9 } else { 0 };
                if let Some(Frame::TextNode { node, flags }) = stack.last().copied() {
                    check_budget(&story, raw.chars().count(), limits)?;
                    for (offset, ch) in raw.char_indices() {
                        let start = base + offset;
                        push(
                            &mut story,
                            &stack,
                            &paragraphs,
                            ch,
                            start..start + ch.len_utf8(),
                            flags,
                            Some(node),
                        );
                    }
                }
            }
            Node::Char(ch) => {
                if let Some(Frame::TextNode { node, flags }) = stack.last().copied() {
                    check_budget(&story, 1, limits)?;
                    push(&mut story, &stack, &paragraphs, ch, item.range, flags, Some(node));
                }
            }
            Node::Other => {}
        }
    }
    Ok(story)
}

/// The most characters one DOCX may hold, all story parts together.
///
/// A part of `max_part_bytes` of text compresses to a few hundred kilobytes, and each character
/// costs the reader some tens of bytes (its atom, its origin, its offset), so the character count
/// is bounded, not only the bytes: one character per 32 bytes of the part limit, four million by
/// default — some two thousand dense pages.
pub(crate) fn max_chars(limits: &Limits) -> usize {
    usize::try_from(limits.max_part_bytes / 32).unwrap_or(usize::MAX)
}

/// Fails when `more` atoms would take the story past [`max_chars`]. Text nodes, changes and
/// comments count too: an archive of empty `<w:t/>` elements costs memory without a character.
fn check_budget(story: &Story, more: usize, limits: &Limits) -> Result<()> {
    let used = story.atoms.len()
        + story.text_nodes.len()
        + story.changes.len()
        + story.containers.len()
        + story.attribute_texts.len()
        + story.other_authors.len();
    if used.saturating_add(more) > max_chars(limits) {
        return Err(Error::limit(format!(
            "the document holds more than the limit of {} characters",
            max_chars(limits)
        )));
    }
    Ok(())
}

/// Handles an opening tag and returns the frame it pushes.
fn open(
    tag: &Tag<'_>,
    limits: &Limits,
    story: &mut Story,
    stack: &[Frame],
    paragraphs: &mut Vec<u32>,
    range: Range<usize>,
) -> Result<Frame> {
    check_budget(story, 1, limits)?;
    attribute_texts(tag, story, paragraphs)?;
    Ok(match (tag.ns, tag.local) {
        (Ns::W, "p") => {
            story.paragraphs += 1;
            paragraphs.push(story.paragraphs);
            Frame::Paragraph { style_hides: false }
        }
        (Ns::W, "pPr") if matches!(stack.last(), Some(Frame::Paragraph { .. })) => Frame::ParagraphProperties,
        // An equation's run (`m:r`) carries the same `w:rPr` as a text run.
        (Ns::W | Ns::Math, "r") => {
            let paragraph_style = stack.iter().rev().find_map(|f| match f {
                Frame::Paragraph { style_hides } => Some(*style_hides),
                _ => None,
            });
            Frame::Run(Run {
                start: range.start,
                direct: None,
                style: None,
                paragraph_style: paragraph_style.unwrap_or(false),
            })
        }
        (Ns::W, "rPr") if matches!(stack.last(), Some(Frame::Run(_))) => Frame::RunProperties,
        (Ns::W, local @ ("t" | "delText" | "instrText" | "delInstrText")) | (Ns::Math, local @ "t") => {
            let flags = match local {
                "delText" => DELETED,
                "instrText" => INSTRUCTION,
                "delInstrText" => DELETED | INSTRUCTION,
                _ => 0,
            };
            story.text_nodes.push(TextNode {
                start_tag: range.clone(),
                content: range.end..range.end,
                preserves_space: tag.attr("space")?.as_deref() == Some("preserve"),
            });
            Frame::TextNode { node: story.text_nodes.len() as u32 - 1, flags }
        }
        (Ns::W, local @ ("ins" | "del" | "moveFrom" | "moveTo")) => {
            let kind = match local {
                "ins" => ChangeKind::Insertion,
                "del" => ChangeKind::Deletion,
                "moveFrom" => ChangeKind::MoveFrom,
                _ => ChangeKind::MoveTo,
            };
            story.changes.push(Change { kind, author: tag.attr("author")? });
            Frame::Change(story.changes.len() as u32 - 1, kind)
        }
        (Ns::W, local @ ("comment" | "footnote" | "endnote")) => {
            let kind = match local {
                "comment" => "comment",
                "footnote" => "footnote",
                _ => "endnote",
            };
            story.containers.push(Container {
                kind,
                author: tag.attr("author")?,
                initials: tag.attr("initials")?,
            });
            Frame::Container(story.containers.len() as u32 - 1)
        }
        (Ns::Mc, "AlternateContent") => {
            story.alternates += 1;
            Frame::Alternate(story.alternates - 1)
        }
        (Ns::Mc, "Choice") => Frame::Choice,
        (Ns::Mc, "Fallback") => Frame::Fallback,
        _ => {
            other_author(tag, story)?;
            Frame::Other
        }
    })
}

/// Handles a self-closing tag: run-level characters, hidden-run properties, and changes
/// recorded on formatting alone.
fn empty(
    tag: &Tag<'_>,
    styles: &Styles,
    limits: &Limits,
    story: &mut Story,
    stack: &mut [Frame],
    paragraphs: &[u32],
    range: Range<usize>,
) -> Result<()> {
    check_budget(story, 1, limits)?;
    attribute_texts(tag, story, paragraphs)?;
    let in_run = matches!(stack.last(), Some(Frame::Run(_)));
    let in_run_properties = matches!(stack.last(), Some(Frame::RunProperties));
    // The run (or paragraph) is the frame just below its properties.
    let owner = stack.len().checked_sub(2);
    let ch = match (tag.ns, tag.local) {
        (Ns::W, "tab" | "ptab") if in_run => Some('\t'),
        (Ns::W, "br" | "cr") if in_run => Some('\n'),
        (Ns::W, "noBreakHyphen") if in_run => Some('-'),
        (Ns::W, "vanish" | "specVanish" | "webHidden") if in_run_properties => {
            let on = !matches!(tag.attr("val")?.as_deref(), Some("0" | "false" | "off"));
            if let Some(Frame::Run(run)) = owner.and_then(|i| stack.get_mut(i)) {
                run.direct = Some(on || run.direct == Some(true));
            }
            None
        }
        (Ns::W, "rStyle") if in_run_properties => {
            if let (Some(Frame::Run(run)), Some(id)) =
                (owner.and_then(|i| stack.get_mut(i)), tag.attr("val")?)
            {
                run.style = styles.hides(&id);
            }
            None
        }
        (Ns::W, "pStyle") if matches!(stack.last(), Some(Frame::ParagraphProperties)) => {
            if let (Some(Frame::Paragraph { style_hides }), Some(id)) =
                (owner.and_then(|i| stack.get_mut(i)), tag.attr("val")?)
            {
                *style_hides = styles.hides(&id).unwrap_or(false);
            }
            None
        }
        _ => {
            other_author(tag, story)?;
            None
        }
    };
    if let Some(ch) = ch {
        push(story, stack, paragraphs, ch, range, 0, None);
    }
    Ok(())
}

/// Records the author of a tracked change that holds no text of its own (a formatting change,
/// an inserted paragraph mark, a move range marker, a table cell change), or the editor named
/// by an editing permission.
fn other_author(tag: &Tag<'_>, story: &mut Story) -> Result<()> {
    if tag.ns != Ns::W {
        return Ok(());
    }
    // `w:permStart/@w:ed` names a person allowed to edit a range.
    let attribute = if tag.local == "permStart" { "ed" } else { "author" };
    // Duplicates are kept here and merged by the reader, which sees every part's names.
    if let Some(author) = tag.attr(attribute)? {
        story.other_authors.push(author);
    }
    Ok(())
}

/// Collects text held in attributes: `w:fldSimple/@w:instr` and drawing alt text.
fn attribute_texts(tag: &Tag<'_>, story: &mut Story, paragraphs: &[u32]) -> Result<()> {
    let paragraph = paragraphs.last().copied().unwrap_or(0);
    if tag.is_w("fldSimple") {
        if let Some(text) = tag.attr("instr")? {
            story.attribute_texts.push(AttributeText { what: "field instruction", text, paragraph });
        }
    } else {
        for &(element, attribute, what) in ALT_TEXT_ATTRIBUTES {
            if tag.local == element
                && let Some(text) = tag.attr(attribute)?.filter(|t| !t.trim().is_empty())
            {
                story.attribute_texts.push(AttributeText { what, text, paragraph });
            }
        }
    }
    Ok(())
}

/// Where drawings keep their alt text, by element and attribute local name: DrawingML
/// (`wp:docPr`, `pic:cNvPr`) and VML (`v:shape/@alt`, `v:imagedata/@o:title`). The redactor
/// removes exactly these attributes.
pub(crate) const ALT_TEXT_ATTRIBUTES: &[(&str, &str, &str)] = &[
    ("docPr", "descr", "alt text"),
    ("docPr", "title", "alt text title"),
    ("cNvPr", "descr", "alt text"),
    ("cNvPr", "title", "alt text title"),
    ("shape", "alt", "alt text"),
    ("imagedata", "title", "alt text title"),
];

/// Appends one atom, deriving its context from the open elements.
fn push(
    story: &mut Story,
    stack: &[Frame],
    paragraphs: &[u32],
    ch: char,
    range: Range<usize>,
    own_flags: u8,
    node: Option<u32>,
) {
    // A soft hyphen is invisible unless a line breaks there; dropping it lets a phrase with
    // one inside still match.
    if ch == '\u{AD}' {
        return;
    }
    let mut atom = Atom {
        ch,
        range,
        flags: own_flags,
        paragraph: paragraphs.last().copied().unwrap_or(0),
        node,
        change: None,
        container: None,
        alternate: None,
    };
    for frame in stack {
        match *frame {
            Frame::Run(run) if run.hidden() => atom.flags |= HIDDEN,
            Frame::Change(index, kind) => {
                atom.flags |= match kind {
                    ChangeKind::Insertion | ChangeKind::MoveTo => INSERTED,
                    ChangeKind::Deletion | ChangeKind::MoveFrom => DELETED,
                };
                atom.change = Some(index);
            }
            Frame::Container(index) => atom.container = Some(index),
            Frame::Alternate(index) => atom.alternate = Some(index),
            Frame::Fallback => atom.flags |= FALLBACK,
            _ => {}
        }
    }
    story.atoms.push(atom);
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006""#;

    /// Scans `body` inside a `w:document` and renders each atom as its character, with `[..]`
    /// around invisible ones and `|` between paragraphs.
    fn check(body: &str, expected: &str) {
        let xml = format!("<w:document {W}><w:body>{body}</w:body></w:document>");
        let story = scan(&xml, &Styles::default(), &Limits::default()).unwrap();
        let mut got = String::new();
        let mut paragraph = story.atoms.first().map_or(0, |a| a.paragraph);
        for atom in &story.atoms {
            if atom.paragraph != paragraph {
                got.push('|');
                paragraph = atom.paragraph;
            }
            if atom.is_visible() {
                got.push(atom.ch);
            } else {
                got.push_str(&format!("[{}]", atom.ch));
            }
            assert!(xml.get(atom.range.clone()).is_some(), "atom {atom:?} has a range inside the part");
        }
        assert_eq!(got, expected, "atoms of {body}");
    }

    #[test]
    fn runs_split_by_markup_still_make_one_phrase() {
        check(
            r#"<w:p><w:r><w:t>95</w:t></w:r><w:proofErr w:type="spellStart"/><w:bookmarkStart w:id="0" w:name="x"/><w:r><w:rPr><w:b/></w:rPr><w:t>83</w:t></w:r><w:bookmarkEnd w:id="0"/><w:r><w:t>7部队</w:t></w:r></w:p>"#,
            "95837部队",
        );
    }

    #[test]
    fn run_level_elements_are_characters_and_tab_stops_are_not() {
        check(
            r#"<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:noBreakHyphen/><w:softHyphen/><w:t>c&#xAD;d</w:t></w:r></w:p>"#,
            "a\tb\n-cd",
        );
    }

    #[test]
    fn references_are_one_atom_each() {
        let xml = format!(r#"<w:document {W}><w:p><w:r><w:t>a&amp;&#x673A;</w:t></w:r></w:p></w:document>"#);
        let story = scan(&xml, &Styles::default(), &Limits::default()).unwrap();
        let got: Vec<(char, &str)> = story.atoms.iter().map(|a| (a.ch, &xml[a.range.clone()])).collect();
        assert_eq!(got, [('a', "a"), ('&', "&amp;"), ('机', "&#x673A;")]);
    }

    #[test]
    fn tracked_changes_hidden_text_and_instructions_are_flagged() {
        check(
            r#"<w:p><w:ins w:author="A"><w:r><w:t>new</w:t></w:r></w:ins><w:del w:author="B"><w:r><w:delText>old</w:delText></w:r></w:del></w:p><w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>hid</w:t></w:r><w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t>shown</w:t></w:r></w:p><w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r><w:r><w:t>1</w:t></w:r></w:p>"#,
            "new[o][l][d]|[h][i][d]shown|[P][A][G][E]1",
        );
    }

    #[test]
    fn paragraph_mark_vanish_does_not_hide_the_runs() {
        check(r#"<w:p><w:pPr><w:rPr><w:vanish/></w:rPr></w:pPr><w:r><w:t>seen</w:t></w:r></w:p>"#, "seen");
    }

    #[test]
    fn a_text_box_is_read_once_from_the_choice() {
        check(
            r#"<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:txbxContent><w:p><w:r><w:t>box</w:t></w:r></w:p></w:txbxContent></mc:Choice><mc:Fallback><w:txbxContent><w:p><w:r><w:t>box</w:t></w:r></w:p></w:txbxContent></mc:Fallback></mc:AlternateContent></w:r></w:p>"#,
            "box|[b][o][x]",
        );
    }

    #[test]
    fn equation_text_is_read() {
        check(
            r#"<w:p><m:oMath xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"><m:r><m:t>E=m</m:t></m:r><m:sSup><m:e><m:r><m:t>c</m:t></m:r></m:e><m:sup><m:r><m:t>2</m:t></m:r></m:sup></m:sSup></m:oMath></w:p>"#,
            "E=mc2",
        );
    }

    #[test]
    fn another_prefix_for_the_word_namespace_is_still_read() {
        let xml = r#"<x:document xmlns:x="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><x:p><x:r><x:t>secret</x:t></x:r></x:p></x:document>"#;
        let story = scan(xml, &Styles::default(), &Limits::default()).unwrap();
        assert_eq!(story.atoms.iter().map(|a| a.ch).collect::<String>(), "secret");
    }
}

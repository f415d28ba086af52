//! DOCX reader: the visible text of every story, each character mapped back to its bytes, and
//! everything Word keeps but does not show.
//!
//! The package is opened as hostile input (`package`), each XML part is read with the safety
//! rules of `xml`, and each story part goes through the atom pass (`atoms`). The visible text is
//! the atoms a reader of the final document sees, in a fixed story order: the main document,
//! headers, footers, footnotes, endnotes. Text boxes are read once, from `mc:Choice`; tracked
//! deletions, hidden runs and field instructions are not visible text but hidden items, as are
//! comments, authors, alt text and the non-story parts (`parts`).
//!
//! Story order and atom indices are part of the contract with the redactor: `Origin::Docx {
//! part, atom }` means atom `atom` of [`story_parts`]`[part]`, and the redactor re-runs the same
//! pass to find its bytes.

mod atoms;
mod package;
mod parts;
mod xml;

use std::collections::BTreeMap;

pub(crate) use atoms::{Atom, DELETED, FALLBACK, HIDDEN, INSTRUCTION, Story, scan as scan_story};
pub(crate) use package::Package;
pub(crate) use xml::{Cursor, Node, Ns, PartEncoding, Tag, decode as decode_part};

use crate::document::{Document, DocumentBuilder, Format, HiddenItem, HiddenKind, Layout, Location, Origin};
use crate::error::{Error, Result};
use crate::limits::Limits;
use atoms::ChangeKind;

/// The main document part; a package without it is not a word-processing document.
pub(crate) const MAIN_PART: &str = "word/document.xml";

pub(super) fn read(bytes: &[u8], limits: &Limits) -> Result<Document> {
    let package = Package::open(bytes, limits)?;
    read_package(&package, limits)
}

/// Reads an opened package into a [`Document`].
pub(crate) fn read_package(package: &Package, limits: &Limits) -> Result<Document> {
    let stories = story_parts(package)?;
    let mut builder = DocumentBuilder::new(Format::Docx);
    let mut hidden = Vec::new();
    let mut authors = Vec::new();
    for (index, name) in stories.iter().enumerate() {
        let story = read_story(package, name, limits)?;
        let part = u16::try_from(index).map_err(|_| Error::limit("the document has too many story parts"))?;
        push_visible(&mut builder, &story, part, name)?;
        story_hidden_items(&story, name, &mut hidden, &mut authors);
    }
    if let Some(comments) = package.get("word/comments.xml").map(|_| "word/comments.xml") {
        let story = read_story(package, comments, limits)?;
        comment_items(&story, comments, &mut hidden, &mut authors);
    }
    for author in authors {
        hidden.push(HiddenItem {
            kind: HiddenKind::Author,
            label: "author of comments or tracked changes".into(),
            text: author,
            location: Location::default(),
        });
    }
    parts::hidden_items(package, limits, &mut hidden)?;
    for item in hidden {
        builder.add_hidden(item);
    }
    Ok(builder.finish(Layout::Flow))
}

/// The story parts whose text a reader sees, in reading order: the main document, headers,
/// footers, footnotes, endnotes. Headers and footers are ordered by their number.
pub(crate) fn story_parts(package: &Package) -> Result<Vec<String>> {
    if package.get(MAIN_PART).is_none() {
        return Err(Error::malformed(format!("not a word-processing document: {MAIN_PART} is missing")));
    }
    let mut stories = vec![MAIN_PART.to_owned()];
    for prefix in ["word/header", "word/footer"] {
        let mut numbered: Vec<(u64, &String)> = package
            .names()
            .iter()
            .filter_map(|name| {
                let digits = name.strip_prefix(prefix)?.strip_suffix(".xml")?;
                let number = if digits.is_empty() { 0 } else { digits.parse().ok()? };
                Some((number, name))
            })
            .collect();
        numbered.sort();
        stories.extend(numbered.into_iter().map(|(_, name)| name.clone()));
    }
    for name in ["word/footnotes.xml", "word/endnotes.xml"] {
        if package.get(name).is_some() {
            stories.push(name.to_owned());
        }
    }
    Ok(stories)
}

/// Decodes and scans story part `name`.
pub(crate) fn read_story(package: &Package, name: &str, limits: &Limits) -> Result<Story> {
    let bytes = package.get(name).ok_or_else(|| Error::malformed(format!("part {name} is missing")))?;
    let (text, _) = xml::decode(bytes, name)?;
    atoms::scan(&text, limits).map_err(|e| e.context(name))
}

/// Pushes the visible atoms of a story, one block per paragraph. A paragraph inside a text box
/// becomes its own block after the paragraph that anchors the box.
fn push_visible(builder: &mut DocumentBuilder, story: &Story, part: u16, name: &str) -> Result<()> {
    let mut paragraphs: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for (index, atom) in story.atoms.iter().enumerate() {
        if atom.is_visible() {
            let index = u32::try_from(index)
                .map_err(|_| Error::limit(format!("part {name} has too many characters")))?;
            paragraphs.entry(atom.paragraph).or_default().push(index);
        }
    }
    for (paragraph, indices) in paragraphs {
        for atom in indices {
            if let Some(ch) = story.atoms.get(atom as usize).map(|a| a.ch) {
                builder.push(ch, Origin::Docx { part, atom });
            }
        }
        let location =
            if paragraph == 0 { Location::part(name) } else { Location::paragraph(name, paragraph) };
        builder.end_block(location);
    }
    Ok(())
}

/// The text of a run of atoms, with a line break where the paragraph changes.
fn atoms_text<'a>(atoms: impl IntoIterator<Item = &'a Atom>) -> (String, u32) {
    let mut text = String::new();
    let mut first_paragraph = None;
    let mut paragraph = 0;
    for atom in atoms {
        match first_paragraph {
            None => first_paragraph = Some(atom.paragraph),
            Some(_) if atom.paragraph != paragraph => text.push('\n'),
            Some(_) => {}
        }
        paragraph = atom.paragraph;
        text.push(atom.ch);
    }
    (text, first_paragraph.unwrap_or(0))
}

fn location(name: &str, paragraph: u32) -> Location {
    if paragraph == 0 { Location::part(name) } else { Location::paragraph(name, paragraph) }
}

/// Hidden items of a visible story: tracked changes, hidden runs, field instructions, alt text.
fn story_hidden_items(story: &Story, name: &str, hidden: &mut Vec<HiddenItem>, authors: &mut Vec<String>) {
    for (index, change) in story.changes.iter().enumerate() {
        let atoms = story.atoms.iter().filter(|a| a.change == Some(index as u32));
        let (text, paragraph) = atoms_text(atoms);
        let by = change.author.as_deref().unwrap_or("an unknown author");
        let (kind, label) = match change.kind {
            ChangeKind::Insertion => (HiddenKind::TrackedInsertion, format!("insertion by {by}")),
            ChangeKind::Deletion => (HiddenKind::TrackedDeletion, format!("deletion by {by}")),
            ChangeKind::MoveFrom | ChangeKind::MoveTo => (HiddenKind::TrackedMove, format!("move by {by}")),
        };
        // A change with no text (an inserted empty paragraph) still names its author, which
        // is reported below; it is not a passage of its own.
        if !text.is_empty() {
            hidden.push(HiddenItem { kind, label, text, location: location(name, paragraph) });
        }
        add_author(authors, change.author.as_deref());
    }
    for author in &story.other_authors {
        add_author(authors, Some(author));
    }
    for (flag, label) in [(HIDDEN, "hidden text"), (INSTRUCTION, "field instruction")] {
        // Consecutive flagged atoms of one paragraph make one item. Deleted text is already
        // reported as a deletion.
        let mut run: Vec<&Atom> = Vec::new();
        let flush = |run: &mut Vec<&Atom>, hidden: &mut Vec<HiddenItem>| {
            if !run.is_empty() {
                let (text, paragraph) = atoms_text(run.drain(..));
                let kind = HiddenKind::HiddenText;
                hidden.push(HiddenItem {
                    kind,
                    label: label.into(),
                    text,
                    location: location(name, paragraph),
                });
            }
        };
        for atom in &story.atoms {
            let wanted = atom.flags & flag != 0 && atom.flags & (DELETED | FALLBACK) == 0;
            let continues = run.last().is_some_and(|last| last.paragraph == atom.paragraph);
            if !wanted || !continues {
                flush(&mut run, hidden);
            }
            if wanted {
                run.push(atom);
            }
        }
        flush(&mut run, hidden);
    }
    for attribute in &story.attribute_texts {
        hidden.push(HiddenItem {
            kind: HiddenKind::HiddenText,
            label: attribute.what.into(),
            text: attribute.text.clone(),
            location: location(name, attribute.paragraph),
        });
    }
}

/// One item per comment, with its author.
fn comment_items(story: &Story, name: &str, hidden: &mut Vec<HiddenItem>, authors: &mut Vec<String>) {
    for (index, comment) in story.containers.iter().enumerate() {
        let atoms =
            story.atoms.iter().filter(|a| a.container == Some(index as u32) && a.flags & FALLBACK == 0);
        let (text, _) = atoms_text(atoms);
        let by = comment.author.as_deref().unwrap_or("an unknown author");
        hidden.push(HiddenItem {
            kind: HiddenKind::Comment,
            label: format!("comment by {by}"),
            text,
            location: Location::part(name),
        });
        add_author(authors, comment.author.as_deref());
        add_author(authors, comment.initials.as_deref());
    }
    for change in &story.changes {
        add_author(authors, change.author.as_deref());
    }
}

fn add_author(authors: &mut Vec<String>, author: Option<&str>) {
    if let Some(author) = author.filter(|a| !a.trim().is_empty())
        && !authors.iter().any(|a| a == author)
    {
        authors.push(author.to_owned());
    }
}

#[cfg(test)]
pub(crate) mod testing;
#[cfg(test)]
mod tests;

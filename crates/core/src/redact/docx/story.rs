//! Surgical edits of one XML part: the planned characters removed inside their own text nodes,
//! and the hidden content of a story (tracked changes, hidden runs, field codes, comment anchors,
//! data bindings, alt text) taken out, everything else copied byte for byte.
//!
//! Edits are byte ranges of the decoded part with their replacement. They are collected from two
//! passes over the same text — the reader's atom pass (which characters to remove) and a
//! structural pass (which elements to remove or unwrap) — then applied back to front. An edit
//! inside an element that is removed whole is dropped; edits that overlap any other way mean the
//! two passes disagree about the part, and the export is refused rather than guessed.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use crate::error::{Error, ErrorKind, Result};
use crate::ingest::docx::{Cursor, DELETED, FALLBACK, HIDDEN, INSTRUCTION, Node, Ns, Story, Tag};
use crate::limits::Limits;

/// One replacement of a byte range of a part.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Edit {
    pub range: Range<usize>,
    pub with: String,
}

/// Which atoms of a story the plan removes, and the marks that take their place.
#[derive(Debug, Default)]
pub(super) struct AtomPlan {
    /// Atom indices to remove.
    pub removed: BTreeSet<usize>,
    /// Mark text to insert before an atom (always one inside a text node).
    pub marks: BTreeMap<usize, String>,
}

impl AtomPlan {
    /// Copies the plan of each text box's `mc:Choice` atoms onto its `mc:Fallback` twin, so the
    /// copy that older readers show is redacted the same way. When the two copies' texts differ
    /// the twin cannot be matched character by character; it is then removed whole (the Choice
    /// still renders) and its group is returned.
    pub(super) fn mirror_fallbacks(&mut self, story: &Story) -> BTreeSet<u32> {
        let mut dropped = BTreeSet::new();
        for group in 0..story.alternates {
            let in_group = |fallback: bool| -> Vec<usize> {
                story
                    .atoms
                    .iter()
                    .enumerate()
                    .filter(|(_, a)| {
                        a.alternate == Some(group)
                            && (a.flags & FALLBACK != 0) == fallback
                            && a.flags & (DELETED | HIDDEN | INSTRUCTION) == 0
                    })
                    .map(|(i, _)| i)
                    .collect()
            };
            let (choice, fallback) = (in_group(false), in_group(true));
            if !choice.iter().any(|i| self.removed.contains(i)) {
                continue;
            }
            let same_text = choice.len() == fallback.len()
                && choice.iter().zip(&fallback).all(|(&c, &f)| story.atoms[c].ch == story.atoms[f].ch);
            if !same_text {
                dropped.insert(group);
                continue;
            }
            for (&c, &f) in choice.iter().zip(&fallback) {
                if self.removed.contains(&c) {
                    self.removed.insert(f);
                }
                if let Some(mark) = self.marks.get(&c).cloned() {
                    self.marks.insert(f, mark);
                }
            }
        }
        dropped
    }
}

/// The edits that remove the planned atoms: each touched text node is rewritten with its
/// removed characters gone and the marks inserted; a removed `w:tab`/`w:br` goes whole.
pub(super) fn text_edits(text: &str, story: &Story, plan: &AtomPlan) -> Vec<Edit> {
    let mut by_node: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
    let mut edits = Vec::new();
    for &index in &plan.removed {
        let Some(atom) = story.atoms.get(index) else { continue };
        match atom.node {
            Some(node) => by_node.entry(node).or_default().push(index),
            None => edits.push(Edit { range: atom.range.clone(), with: String::new() }),
        }
    }
    // Every atom of each touched node, removed or not, in one pass over the story.
    let mut node_atoms: BTreeMap<u32, Vec<usize>> = by_node.keys().map(|&n| (n, Vec::new())).collect();
    for (index, atom) in story.atoms.iter().enumerate() {
        if let Some(list) = atom.node.and_then(|n| node_atoms.get_mut(&n)) {
            list.push(index);
        }
    }
    for (node, indices) in node_atoms {
        let Some(text_node) = story.text_nodes.get(node as usize) else { continue };
        let mut content = String::new();
        let mut at = text_node.content.start;
        for (index, atom) in indices.into_iter().filter_map(|i| story.atoms.get(i).map(|a| (i, a))) {
            content.push_str(&text[at..atom.range.start]);
            if let Some(mark) = plan.marks.get(&index) {
                content.push_str(&quick_xml::escape::escape(mark.as_str()));
            }
            if !plan.removed.contains(&index) {
                content.push_str(&text[atom.range.clone()]);
            }
            at = atom.range.end;
        }
        content.push_str(&text[at..text_node.content.end]);
        let edge_space = content.starts_with(char::is_whitespace) || content.ends_with(char::is_whitespace);
        let start_tag = &text[text_node.start_tag.clone()];
        let start_tag = match start_tag.strip_suffix('>') {
            Some(open) if edge_space && !text_node.preserves_space => {
                format!("{open} xml:space=\"preserve\">")
            }
            _ => start_tag.to_owned(),
        };
        edits.push(Edit {
            range: text_node.start_tag.start..text_node.content.end,
            with: start_tag + &content,
        });
    }
    edits
}

/// What the structural pass does with an element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Action {
    Keep,
    /// The element and everything in it go.
    Remove,
    /// The tags go, the content stays.
    Unwrap,
}

/// The elements of a story that a sanitized export keeps none of.
fn story_action(tag: &Tag<'_>) -> Action {
    match (tag.ns, tag.local) {
        // Tracked changes resolve to the final text: deletions go, insertions stay as plain text,
        // formatting changes and move markers go, and with them every author name.
        (Ns::W, "del" | "moveFrom" | "moveFromRangeStart" | "moveFromRangeEnd" | "moveToRangeStart")
        | (Ns::W, "moveToRangeEnd" | "tblGridChange" | "numberingChange") => Action::Remove,
        (Ns::W, local) if local.ends_with("PrChange") || local.ends_with("PrExChange") => Action::Remove,
        (Ns::W, "ins" | "moveTo") => Action::Unwrap,
        // Comment anchors point into the comments part, which is removed.
        (Ns::W, "commentRangeStart" | "commentRangeEnd" | "commentReference") => Action::Remove,
        // Fields are unlinked: the instruction goes, the result stays as plain text, so nothing
        // can regenerate a redacted value on the next field update.
        (Ns::W, "instrText" | "delInstrText" | "fldChar") => Action::Remove,
        (Ns::W, "fldSimple") => Action::Unwrap,
        // A data-bound content control refills itself from customXml, which is removed.
        (_, "dataBinding") => Action::Remove,
        // The OLE object behind an embedded object's preview picture is removed.
        (Ns::Other, "OLEObject") => Action::Remove,
        _ => Action::Keep,
    }
}

struct Open {
    start_tag: Range<usize>,
    action: Action,
    is_run: bool,
    is_run_properties: bool,
    hidden_run: bool,
    alternate: Option<u32>,
}

/// The structural edits of a story part. `drop_fallbacks` lists the `mc:AlternateContent`
/// groups (numbered as the atom pass numbers them) whose `mc:Fallback` is removed whole.
pub(super) fn structural_edits(
    text: &str,
    limits: &Limits,
    drop_fallbacks: &BTreeSet<u32>,
) -> Result<Vec<Edit>> {
    let mut cursor = Cursor::new(text, limits);
    let mut stack: Vec<Open> = Vec::new();
    let mut edits = Vec::new();
    let mut alternates = 0;
    while let Some(item) = cursor.next()? {
        match item.node {
            Node::Start(tag) => {
                let mut action = story_action(&tag);
                let mut alternate = None;
                if tag.ns == Ns::Mc && tag.local == "AlternateContent" {
                    alternate = Some(alternates);
                    alternates += 1;
                }
                if tag.ns == Ns::Mc && tag.local == "Fallback" {
                    let group = stack.iter().rev().find_map(|o| o.alternate);
                    if group.is_some_and(|g| drop_fallbacks.contains(&g)) {
                        action = Action::Remove;
                    }
                }
                if let Some(edit) = without_alt_text(&tag, item.range.clone(), false)? {
                    edits.push(edit);
                }
                let is_run_properties = tag.is_w("rPr") && stack.last().is_some_and(|o| o.is_run);
                stack.push(Open {
                    start_tag: item.range,
                    action,
                    is_run: tag.is_w("r"),
                    is_run_properties,
                    hidden_run: false,
                    alternate,
                });
            }
            Node::Empty(tag) => {
                if matches!(story_action(&tag), Action::Remove | Action::Unwrap) {
                    edits.push(Edit { range: item.range, with: String::new() });
                    continue;
                }
                if matches!(tag.local, "vanish" | "specVanish" | "webHidden")
                    && tag.ns == Ns::W
                    && stack.last().is_some_and(|o| o.is_run_properties)
                    && !matches!(tag.attr("val")?.as_deref(), Some("0" | "false" | "off"))
                {
                    let run = stack.len().checked_sub(2).and_then(|i| stack.get_mut(i));
                    if let Some(run) = run {
                        run.hidden_run = true;
                    }
                }
                if let Some(edit) = without_alt_text(&tag, item.range, true)? {
                    edits.push(edit);
                }
            }
            Node::End(..) => {
                let Some(open) = stack.pop() else { continue };
                if open.action == Action::Remove || open.hidden_run {
                    edits.push(Edit { range: open.start_tag.start..item.range.end, with: String::new() });
                } else if open.action == Action::Unwrap {
                    edits.push(Edit { range: open.start_tag, with: String::new() });
                    edits.push(Edit { range: item.range, with: String::new() });
                }
            }
            _ => {}
        }
    }
    Ok(edits)
}

/// A drawing's `descr`/`title` (alt text) is not on the page, so it goes: the start tag is
/// rewritten without them, every other attribute copied raw.
fn without_alt_text(tag: &Tag<'_>, range: Range<usize>, empty: bool) -> Result<Option<Edit>> {
    if !matches!(tag.local, "docPr" | "cNvPr") {
        return Ok(None);
    }
    let mut kept = String::new();
    let mut dropped = false;
    for attribute in tag.start.attributes() {
        let attribute = attribute.map_err(|e| Error::malformed(format!("bad XML attribute: {e}")))?;
        let key: &str = attribute.key.as_ref();
        if matches!(attribute.key.local_name().as_ref(), "descr" | "title") {
            dropped = true;
            continue;
        }
        let value: &str = &attribute.value;
        let quote = if value.contains('"') { '\'' } else { '"' };
        kept.push_str(&format!(" {key}={quote}{value}{quote}"));
    }
    if !dropped {
        return Ok(None);
    }
    let name = tag.start.name();
    let name: &str = name.as_ref();
    let close = if empty { "/>" } else { ">" };
    Ok(Some(Edit { range, with: format!("<{name}{kept}{close}") }))
}

/// Applies `edits` to `text`. Edits inside a larger edit are dropped (the larger one removes
/// their bytes anyway); any other overlap is refused.
pub(super) fn apply(text: &str, mut edits: Vec<Edit>, part: &str) -> Result<String> {
    edits.sort_by(|a, b| a.range.start.cmp(&b.range.start).then(b.range.end.cmp(&a.range.end)));
    let mut kept: Vec<Edit> = Vec::with_capacity(edits.len());
    for edit in edits {
        match kept.last() {
            Some(last) if edit.range.start < last.range.end => {
                if edit.range.end <= last.range.end {
                    continue;
                }
                return Err(Error::new(
                    ErrorKind::RedactionUnsafe,
                    format!("part {part}: overlapping edits at bytes {:?} and {:?}", last.range, edit.range),
                ));
            }
            _ => kept.push(edit),
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for edit in &kept {
        out.push_str(text.get(at..edit.range.start).unwrap_or_default());
        out.push_str(&edit.with);
        at = edit.range.end;
    }
    out.push_str(text.get(at..).unwrap_or_default());
    Ok(out)
}

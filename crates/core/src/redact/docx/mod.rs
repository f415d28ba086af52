//! DOCX redaction: planned characters removed surgically from their own runs, every hidden item
//! sanitized, and the archive rebuilt from scratch.
//!
//! The original is re-read with the reader's own passes, so a plan offset maps through
//! `Origin::Docx { part, atom }` to the atom's exact bytes. Story parts are edited in place
//! (`story`): removed characters are deleted inside their `w:t`, a mark of fixed length is put
//! in the first text node each passage touches, and every other byte of the part is copied.
//! Hidden content is removed by policy: comments and their side parts, tracked changes resolved
//! to the final text, hidden runs, field codes, alt text, custom XML, document variables, the
//! attached template, rsids, mail merge, thumbnails, embedded objects, macros and the metadata
//! of embedded pictures; the document properties are reset to empty ones. The archive is
//! written again with fixed timestamps and order, so it holds no comment, no trailing data and
//! nothing from the original's zip structure.

mod image_meta;
mod story;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use story::{AtomPlan, Edit};

use super::plan::{MarkStyle, RedactionPlan};
use super::text::BLOCK;
use crate::document::{Document, Origin};
use crate::error::{Error, ErrorKind, Result};
use crate::ingest::docx::{Cursor, Node, Package, PartEncoding, decode_part, scan_story, story_parts};
use crate::limits::Limits;

/// The properties a sanitized export keeps: none.
const NEUTRAL_CORE: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    "\n",
    r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" "#,
    r#"xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" "#,
    r#"xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>"#
);
const NEUTRAL_APP: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    "\n",
    r#"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" "#,
    r#"xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"/>"#
);

/// `word/settings.xml` elements that identify people, machines or data sources.
const SETTINGS_REMOVED: [&str; 6] =
    ["attachedTemplate", "docVars", "rsids", "mailMerge", "docId", "trackRevisions"];

const MACRO_MAIN_TYPE: &str = "application/vnd.ms-word.document.macroEnabled.main+xml";
const DOCX_MAIN_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml";

/// A story part decoded and scanned, with the atoms the plan removes.
struct StoryPart {
    name: String,
    text: String,
    encoding: PartEncoding,
    story: crate::ingest::docx::Story,
    plan: AtomPlan,
}

pub(super) fn redact(
    original: &[u8],
    document: &Document,
    plan: &RedactionPlan,
    limits: &Limits,
) -> Result<Vec<u8>> {
    let package = Package::open(original, limits)?;
    let mut stories = Vec::new();
    for name in story_parts(&package)? {
        let bytes = package.get(&name).unwrap_or_default();
        let (text, encoding) = decode_part(bytes, &name)?;
        let story = scan_story(&text, limits).map_err(|e| e.context(&name))?;
        stories.push(StoryPart { name, text, encoding, story, plan: AtomPlan::default() });
    }
    plan_atoms(document, plan, &mut stories)?;

    let removed = removed_parts(&package);
    let mut edited: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for part in &mut stories {
        let dropped_fallbacks = part.plan.mirror_fallbacks(&part.story);
        let mut edits = story::text_edits(&part.text, &part.story, &part.plan);
        edits.extend(
            story::structural_edits(&part.text, limits, &dropped_fallbacks)
                .map_err(|e| e.context(&part.name))?,
        );
        let text = story::apply(&part.text, edits, &part.name)?;
        edited.insert(part.name.clone(), part.encoding.encode(&text));
    }

    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    for name in package.names() {
        if removed.contains(&name.to_lowercase()) {
            continue;
        }
        let original = package.get(name).unwrap_or_default();
        let bytes = match edited.remove(name) {
            Some(bytes) => bytes,
            None => sanitize_part(name, original, &removed, limits).map_err(|e| e.context(name))?,
        };
        writer.start_file(name.as_str(), options).map_err(zip_error)?;
        writer.write_all(&bytes)?;
    }
    Ok(writer.finish().map_err(zip_error)?.into_inner())
}

fn zip_error(e: zip::result::ZipError) -> Error {
    Error::new(ErrorKind::Io, format!("cannot write the DOCX archive: {e}"))
}

/// Turns the plan's visible ranges into atoms to remove per story, and places the marks: per
/// passage and paragraph, [`MarkStyle::Blocks`] puts one █ per removed character in the first
/// text node touched; [`MarkStyle::Label`] puts the label once, in the passage's first text node.
fn plan_atoms(document: &Document, plan: &RedactionPlan, stories: &mut [StoryPart]) -> Result<()> {
    for (start, end, reason) in plan.merged_visible_ranges(document) {
        // Segments: maximal runs of the passage within one story paragraph.
        let mut segments: Vec<(usize, u32, Vec<usize>)> = Vec::new();
        for offset in start..end {
            match document.origin(offset) {
                Origin::Docx { part, atom } => {
                    let story = stories.get(part as usize).ok_or_else(|| mismatch(offset))?;
                    let paragraph =
                        story.story.atoms.get(atom as usize).ok_or_else(|| mismatch(offset))?.paragraph;
                    match segments.last_mut() {
                        Some((p, para, atoms)) if *p == part as usize && *para == paragraph => {
                            atoms.push(atom as usize)
                        }
                        _ => segments.push((part as usize, paragraph, vec![atom as usize])),
                    }
                }
                Origin::Synthetic => {}
                _ => return Err(mismatch(offset)),
            }
        }
        let mut label_placed = false;
        for (part, _, atoms) in segments {
            let Some(story) = stories.get_mut(part) else { continue };
            let first_text =
                atoms.iter().copied().find(|&a| story.story.atoms.get(a).is_some_and(|a| a.node.is_some()));
            match (plan.style, first_text) {
                (MarkStyle::Blocks, Some(at)) => {
                    story.plan.marks.insert(at, BLOCK.to_string().repeat(atoms.len()));
                }
                (MarkStyle::Label, Some(at)) if !label_placed => {
                    story.plan.marks.insert(at, format!("[删除: {reason}]"));
                    label_placed = true;
                }
                _ => {}
            }
            story.plan.removed.extend(atoms);
        }
    }
    Ok(())
}

fn mismatch(offset: usize) -> Error {
    Error::new(
        ErrorKind::InvalidInput,
        format!("character {offset} of the plan does not map to a character of this DOCX"),
    )
}

/// Parts a sanitized export leaves out, lowercased: comment parts, people, custom properties
/// and XML, thumbnails, embedded objects, macros, building blocks, and the relationships of
/// every removed part.
fn removed_parts(package: &Package) -> BTreeSet<String> {
    let mut removed: BTreeSet<String> = package
        .names()
        .iter()
        .map(|n| n.to_lowercase())
        .filter(|n| {
            matches!(
                n.as_str(),
                "word/comments.xml"
                    | "word/commentsextended.xml"
                    | "word/commentsids.xml"
                    | "word/commentsextensible.xml"
                    | "word/people.xml"
                    | "docprops/custom.xml"
                    | "word/vbadata.xml"
            ) || n.starts_with("customxml/")
                || n.starts_with("docprops/thumbnail")
                || n.starts_with("word/embeddings/")
                || n.starts_with("word/glossary/")
                || n.ends_with("vbaproject.bin")
        })
        .collect();
    let rels: Vec<String> = package
        .names()
        .iter()
        .map(|n| n.to_lowercase())
        .filter(|n| source_of_rels(n).is_some_and(|source| removed.contains(&source)))
        .collect();
    removed.extend(rels);
    removed
}

/// The part whose relationships `rels` holds (`word/_rels/document.xml.rels` →
/// `word/document.xml`; `_rels/.rels` → the package, `""`).
fn source_of_rels(rels: &str) -> Option<String> {
    let (dir, file) = rels.rsplit_once("_rels/")?;
    let source = file.strip_suffix(".rels")?;
    Some(format!("{dir}{source}"))
}

/// Sanitizes a part that is not a story.
fn sanitize_part(name: &str, bytes: &[u8], removed: &BTreeSet<String>, limits: &Limits) -> Result<Vec<u8>> {
    let lower = name.to_lowercase();
    let edit_xml = |edit: &dyn Fn(&str) -> Result<String>| -> Result<Vec<u8>> {
        let (text, encoding) = decode_part(bytes, name)?;
        Ok(encoding.encode(&edit(&text)?))
    };
    match lower.as_str() {
        "docprops/core.xml" => Ok(NEUTRAL_CORE.as_bytes().to_vec()),
        "docprops/app.xml" => Ok(NEUTRAL_APP.as_bytes().to_vec()),
        "word/settings.xml" => {
            edit_xml(&|text| remove_elements(text, name, limits, &|local| SETTINGS_REMOVED.contains(&local)))
        }
        "[content_types].xml" => edit_xml(&|text| content_types(text, name, removed, limits)),
        _ if lower.ends_with(".rels") => edit_xml(&|text| relationships(text, &lower, removed, limits)),
        _ if lower.starts_with("word/charts/") && lower.ends_with(".xml") => {
            // A chart's workbook lives in word/embeddings, which is removed; the link goes too.
            edit_xml(&|text| remove_elements(text, name, limits, &|local| local == "externalData"))
        }
        _ if lower.starts_with("word/media/") => image_meta::strip(bytes, name),
        _ => Ok(bytes.to_vec()),
    }
}

/// Removes every element whose local name `remove` selects, with its content.
fn remove_elements(text: &str, part: &str, limits: &Limits, remove: &dyn Fn(&str) -> bool) -> Result<String> {
    let mut cursor = Cursor::new(text, limits);
    let mut open: Vec<(usize, bool)> = Vec::new();
    let mut edits = Vec::new();
    while let Some(item) = cursor.next()? {
        match item.node {
            Node::Start(tag) => open.push((item.range.start, remove(tag.local))),
            Node::Empty(tag) if remove(tag.local) => {
                edits.push(Edit { range: item.range, with: String::new() })
            }
            Node::End(..) => {
                if let Some((start, true)) = open.pop() {
                    edits.push(Edit { range: start..item.range.end, with: String::new() });
                }
            }
            _ => {}
        }
    }
    story::apply(text, edits, part)
}

/// `[Content_Types].xml` without the overrides of removed parts; a macro-enabled main document
/// becomes a plain one, since its macros are gone.
fn content_types(text: &str, part: &str, removed: &BTreeSet<String>, limits: &Limits) -> Result<String> {
    let mut cursor = Cursor::new(text, limits);
    let mut edits = Vec::new();
    while let Some(item) = cursor.next()? {
        if let Node::Empty(tag) | Node::Start(tag) = &item.node
            && tag.local == "Override"
            && let Some(name) = tag.attr("PartName")?
            && removed.contains(&name.trim_start_matches('/').to_lowercase())
        {
            edits.push(Edit { range: item.range.clone(), with: String::new() });
        }
    }
    Ok(story::apply(text, edits, part)?.replace(MACRO_MAIN_TYPE, DOCX_MAIN_TYPE))
}

/// A relationships part without the relationships to removed parts and to the attached
/// template (an external path that often names a user or a server).
fn relationships(text: &str, rels: &str, removed: &BTreeSet<String>, limits: &Limits) -> Result<String> {
    let source = source_of_rels(rels).unwrap_or_default();
    let base = source.rsplit_once('/').map_or("", |(dir, _)| dir);
    let mut cursor = Cursor::new(text, limits);
    let mut edits = Vec::new();
    while let Some(item) = cursor.next()? {
        if let Node::Empty(tag) | Node::Start(tag) = &item.node
            && tag.local == "Relationship"
        {
            let kind = tag.attr("Type")?.unwrap_or_default();
            let external = tag.attr("TargetMode")?.is_some_and(|m| m.eq_ignore_ascii_case("External"));
            let target = tag.attr("Target")?.unwrap_or_default();
            let drop = kind.ends_with("/attachedTemplate")
                || (!external && removed.contains(&resolve(base, &target).to_lowercase()));
            if drop {
                edits.push(Edit { range: item.range.clone(), with: String::new() });
            }
        }
    }
    story::apply(text, edits, rels)
}

/// Resolves a relationship target against the source part's folder, as a part name.
fn resolve(base: &str, target: &str) -> String {
    let mut segments: Vec<&str> = if target.starts_with('/') {
        Vec::new()
    } else {
        base.split('/').filter(|s| !s.is_empty()).collect()
    };
    for segment in target.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    segments.join("/")
}

#[cfg(test)]
mod tests;

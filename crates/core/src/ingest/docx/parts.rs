//! Hidden items that live in whole parts rather than in the text of a story: document
//! properties, settings, custom XML, people, embedded objects, macros, thumbnails and the EXIF of
//! embedded photos.
//!
//! The redactor removes or neutralizes every part this module reports on, and verification
//! re-reads the export with this module, so "reported here" and "removed there" must agree: a
//! neutral `docProps/core.xml` (root element only) reports nothing.

use super::package::Package;
use super::xml::{self, Cursor, Node, Ns};
use crate::document::{HiddenItem, HiddenKind, Location};
use crate::error::Result;
use crate::limits::Limits;

/// `docProps/app.xml` elements that identify people or places; the rest (application name,
/// page and word counts) says nothing about the author.
const IDENTIFYING_APP_PROPERTIES: [&str; 5] =
    ["Template", "Manager", "Company", "HyperlinkBase", "TitlesOfParts"];

/// Longest EXIF value kept in a hidden item's text; longer values are binary blobs.
const MAX_EXIF_VALUE_CHARS: usize = 200;

/// Appends the hidden items of every non-story part of `package`, in a fixed order.
pub(super) fn hidden_items(package: &Package, limits: &Limits, out: &mut Vec<HiddenItem>) -> Result<()> {
    properties(package, "docProps/core.xml", None, limits, out)?;
    properties(package, "docProps/app.xml", Some(&IDENTIFYING_APP_PROPERTIES), limits, out)?;
    custom_properties(package, limits, out)?;
    settings(package, limits, out)?;
    people(package, limits, out)?;
    for name in package.names() {
        let lower = name.to_lowercase();
        let base = lower.rsplit('/').next().unwrap_or(&lower);
        if lower.starts_with("customxml/") && base.starts_with("item") && !base.starts_with("itemprops") {
            if let Some(text) = all_text(package, name, limits)? {
                out.push(item(HiddenKind::CustomData, format!("custom XML part {name}"), text, name));
            }
        } else if lower == "word/glossary/document.xml" {
            // Building blocks (AutoText, Quick Parts) are stored text that no page shows.
            if let Some(text) = all_text(package, name, limits)? {
                out.push(item(HiddenKind::CustomData, "building blocks (glossary)".into(), text, name));
            }
        } else if lower.starts_with("word/embeddings/") {
            out.push(item(
                HiddenKind::EmbeddedObject,
                format!("embedded object {name}"),
                String::new(),
                name,
            ));
        } else if base == "vbaproject.bin" {
            out.push(item(HiddenKind::Script, format!("macro project {name}"), String::new(), name));
        } else if lower.starts_with("docprops/thumbnail") {
            out.push(item(HiddenKind::Thumbnail, format!("thumbnail {name}"), String::new(), name));
        } else if lower.starts_with("word/media/")
            && (lower.ends_with(".jpg") || lower.ends_with(".jpeg"))
            && let Some(bytes) = package.get(name)
        {
            exif_items(bytes, name, out);
        }
    }
    Ok(())
}

fn item(kind: HiddenKind, label: String, text: String, part: &str) -> HiddenItem {
    HiddenItem { kind, label, text, location: Location::part(part) }
}

/// Decodes part `name`, if the package has it.
fn decoded(package: &Package, name: &str) -> Result<Option<String>> {
    package.get(name).map(|bytes| xml::decode(bytes, name).map(|(text, _)| text)).transpose()
}

/// One item per child of the root element that holds text (core and app properties).
fn properties(
    package: &Package,
    name: &str,
    only: Option<&[&str]>,
    limits: &Limits,
    out: &mut Vec<HiddenItem>,
) -> Result<()> {
    let Some(text) = decoded(package, name)? else { return Ok(()) };
    let mut cursor = Cursor::new(&text, limits);
    let mut current: Option<(String, String)> = None;
    while let Some(event) = cursor.next()? {
        match event.node {
            Node::Start(tag) if cursor.depth() == 2 => current = Some((tag.local.to_owned(), String::new())),
            Node::Text(raw) | Node::CData(raw) => {
                if let Some((_, value)) = current.as_mut() {
                    if !value.is_empty() && !value.ends_with('\n') && cursor.depth() > 2 {
                        value.push('\n');
                    }
                    value.push_str(raw);
                }
            }
            Node::Char(c) => {
                if let Some((_, value)) = current.as_mut() {
                    value.push(c);
                }
            }
            Node::End(..) if cursor.depth() == 1 => {
                if let Some((property, value)) = current.take() {
                    let wanted = only.is_none_or(|names| names.contains(&property.as_str()));
                    if wanted && !value.trim().is_empty() {
                        let label = format!("document property {property}");
                        out.push(item(HiddenKind::Metadata, label, value.trim().to_owned(), name));
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// `docProps/custom.xml`: one item per named property.
fn custom_properties(package: &Package, limits: &Limits, out: &mut Vec<HiddenItem>) -> Result<()> {
    const PART: &str = "docProps/custom.xml";
    let Some(text) = decoded(package, PART)? else { return Ok(()) };
    let mut cursor = Cursor::new(&text, limits);
    let mut current: Option<(String, String)> = None;
    while let Some(event) = cursor.next()? {
        match event.node {
            Node::Start(tag) if tag.local == "property" => {
                current = Some((tag.attr("name")?.unwrap_or_default(), String::new()));
            }
            Node::Empty(tag) if tag.local == "property" => {
                let property = tag.attr("name")?.unwrap_or_default();
                out.push(item(
                    HiddenKind::Metadata,
                    format!("custom property {property}"),
                    String::new(),
                    PART,
                ));
            }
            Node::Text(raw) | Node::CData(raw) => {
                if let Some((_, value)) = current.as_mut() {
                    value.push_str(raw);
                }
            }
            Node::Char(c) => {
                if let Some((_, value)) = current.as_mut() {
                    value.push(c);
                }
            }
            Node::End(_, "property") => {
                if let Some((property, value)) = current.take() {
                    let label = format!("custom property {property}");
                    out.push(item(HiddenKind::Metadata, label, value.trim().to_owned(), PART));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// `word/settings.xml`: the attached template, document variables and mail-merge source.
fn settings(package: &Package, limits: &Limits, out: &mut Vec<HiddenItem>) -> Result<()> {
    const PART: &str = "word/settings.xml";
    let Some(text) = decoded(package, PART)? else { return Ok(()) };
    let mut cursor = Cursor::new(&text, limits);
    let mut mail_merge: Option<Vec<String>> = None;
    while let Some(event) = cursor.next()? {
        match event.node {
            Node::Start(tag) | Node::Empty(tag) if tag.is_w("attachedTemplate") => {
                let target = match tag.attr("id")? {
                    Some(id) => relationship_target(package, "word/_rels/settings.xml.rels", &id, limits)?
                        .unwrap_or(id),
                    None => String::new(),
                };
                out.push(item(HiddenKind::Template, "attached template".into(), target, PART));
            }
            Node::Start(tag) | Node::Empty(tag) if tag.is_w("docVar") => {
                let name = tag.attr("name")?.unwrap_or_default();
                let value = tag.attr("val")?.unwrap_or_default();
                out.push(item(HiddenKind::CustomData, format!("document variable {name}"), value, PART));
            }
            Node::Start(tag) if tag.is_w("mailMerge") => mail_merge = Some(Vec::new()),
            Node::Start(tag) | Node::Empty(tag) if mail_merge.is_some() => {
                if let (Some(values), Some(value)) = (mail_merge.as_mut(), tag.attr("val")?) {
                    values.push(value);
                }
            }
            Node::End(Ns::W, "mailMerge") => {
                let values = mail_merge.take().unwrap_or_default();
                out.push(item(HiddenKind::CustomData, "mail merge settings".into(), values.join("\n"), PART));
            }
            _ => {}
        }
    }
    Ok(())
}

/// `word/people.xml`: everyone who commented or tracked changes.
fn people(package: &Package, limits: &Limits, out: &mut Vec<HiddenItem>) -> Result<()> {
    const PART: &str = "word/people.xml";
    let Some(text) = decoded(package, PART)? else { return Ok(()) };
    let mut cursor = Cursor::new(&text, limits);
    let mut names = Vec::new();
    while let Some(event) = cursor.next()? {
        if let Node::Start(tag) | Node::Empty(tag) = event.node
            && tag.local == "person"
        {
            names.extend(tag.attr("author")?);
        }
    }
    out.push(item(HiddenKind::People, "people who edited the document".into(), names.join("\n"), PART));
    Ok(())
}

/// The `Target` of relationship `id` in the relationships part `rels`.
pub(crate) fn relationship_target(
    package: &Package,
    rels: &str,
    id: &str,
    limits: &Limits,
) -> Result<Option<String>> {
    let Some(text) = decoded(package, rels)? else { return Ok(None) };
    let mut cursor = Cursor::new(&text, limits);
    while let Some(event) = cursor.next()? {
        if let Node::Start(tag) | Node::Empty(tag) = event.node
            && tag.local == "Relationship"
            && tag.attr("Id")?.as_deref() == Some(id)
        {
            return tag.attr("Target");
        }
    }
    Ok(None)
}

/// All character data of a part, text nodes separated by spaces; `None` when there is none.
fn all_text(package: &Package, name: &str, limits: &Limits) -> Result<Option<String>> {
    let Some(text) = decoded(package, name)? else { return Ok(None) };
    let mut cursor = Cursor::new(&text, limits);
    let mut out = String::new();
    // Character data split only by references is one text; anything else between two texts
    // (tags) separates them with a space.
    let mut last_text_end = 0;
    while let Some(event) = cursor.next()? {
        let adjacent = event.range.start == last_text_end;
        match event.node {
            Node::Text(raw) | Node::CData(raw) if !raw.trim().is_empty() => {
                if !adjacent && !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(raw.trim());
            }
            Node::Char(c) => {
                if !adjacent && !out.is_empty() {
                    out.push(' ');
                }
                out.push(c);
            }
            _ => continue,
        }
        last_text_end = event.range.end;
    }
    Ok((!out.is_empty()).then_some(out))
}

/// The EXIF of an embedded JPEG: one item for the GPS position, one for everything else.
///
/// A photo whose EXIF cannot be parsed is not a reason to refuse the document: the export strips
/// every metadata segment of every embedded image whatever its content.
// TODO(lead): point this at `ingest::image` once the image reader lands, so DOCX and photo
// files report EXIF the same way.
fn exif_items(bytes: &[u8], part: &str, out: &mut Vec<HiddenItem>) {
    let Ok(exif) = exif::Reader::new().read_from_container(&mut std::io::Cursor::new(bytes)) else {
        return;
    };
    let mut gps = Vec::new();
    let mut other = Vec::new();
    for field in exif.fields() {
        let value: String = field.display_value().with_unit(&exif).to_string();
        let value: String = value.chars().take(MAX_EXIF_VALUE_CHARS).collect();
        let line = format!("{}: {value}", field.tag);
        if field.tag.context() == exif::Context::Gps {
            gps.push(line);
        } else {
            other.push(line);
        }
    }
    if !gps.is_empty() {
        out.push(item(HiddenKind::GpsPosition, format!("GPS position in {part}"), gps.join("\n"), part));
    }
    if !other.is_empty() {
        out.push(item(HiddenKind::ImageMetadata, format!("EXIF of {part}"), other.join("\n"), part));
    }
}

//! Everything in a PDF that a reader of the printed or displayed page does not see: document
//! metadata (Info and XMP), annotations and their text, attached files, JavaScript and actions,
//! form-field values, page thumbnails and earlier revisions kept by incremental updates.
//!
//! Text drawn invisible or off the page, and unsearchable pages, are found by the interpreter and
//! reported by `mod.rs`; this module walks the object graph. Every walk carries a visited set or
//! a depth bound, since a hostile file can make any tree a loop.

use std::collections::HashSet;

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::font::deref;
use crate::document::{HiddenItem, HiddenKind, Location};
use crate::limits::Limits;

/// Most entries read from one name tree or field tree.
const MAX_TREE_ENTRIES: usize = 100_000;

/// Collects the hidden items of the document (not of its pages' content).
pub(crate) fn collect(doc: &Document, pages: &[(u32, ObjectId)], limits: &Limits) -> Vec<HiddenItem> {
    let mut items = Vec::new();
    info(doc, &mut items);
    xmp(doc, limits, &mut items);
    let catalog = doc.catalog().ok();
    if let Some(catalog) = catalog {
        let names = deref(doc, catalog.get(b"Names").ok()).and_then(|o| o.as_dict().ok());
        if let Some(tree) = names.and_then(|n| deref(doc, n.get(b"EmbeddedFiles").ok())) {
            for (name, spec) in name_tree(doc, tree, limits) {
                items.push(attachment(doc, &name, spec, Location::part("EmbeddedFiles")));
            }
        }
        if let Some(tree) = names.and_then(|n| deref(doc, n.get(b"JavaScript").ok())) {
            for (name, action) in name_tree(doc, tree, limits) {
                let code = javascript(doc, action, limits).unwrap_or_default();
                items.push(HiddenItem {
                    kind: HiddenKind::Script,
                    label: format!("document JavaScript “{name}”"),
                    text: code,
                    location: Location::part("Names/JavaScript"),
                });
            }
        }
        if let Some(action) = catalog.get(b"OpenAction").ok() {
            actions(doc, "OpenAction", action, Location::part("OpenAction"), limits, &mut items);
        }
        if let Some(aa) = deref(doc, catalog.get(b"AA").ok()).and_then(|o| o.as_dict().ok()) {
            for (trigger, action) in aa.iter() {
                let label = format!("document action /{}", String::from_utf8_lossy(trigger));
                actions(doc, &label, action, Location::part("AA"), limits, &mut items);
            }
        }
        if let Some(form) = deref(doc, catalog.get(b"AcroForm").ok()).and_then(|o| o.as_dict().ok()) {
            form_fields(doc, form, limits, &mut items);
        }
    }
    for &(number, page) in pages {
        page_items(doc, number, page, limits, &mut items);
    }
    items
}

/// Each Info field is its own item, so a finding names the field.
fn info(doc: &Document, items: &mut Vec<HiddenItem>) {
    let Some(info) = deref(doc, doc.trailer.get(b"Info").ok()).and_then(|o| o.as_dict().ok()) else { return };
    for (key, value) in info.iter() {
        let Some(text) = text_string(doc, value) else { continue };
        if text.trim().is_empty() {
            continue;
        }
        let key = String::from_utf8_lossy(key);
        items.push(HiddenItem {
            kind: HiddenKind::Metadata,
            label: format!("Info /{key}"),
            text,
            location: Location::part("Info"),
        });
    }
}

/// The catalog's XMP packet: one item per element that holds text (dc:creator, xmp:CreatorTool,
/// pdf:Producer...), labelled with the element's name.
fn xmp(doc: &Document, limits: &Limits, items: &mut Vec<HiddenItem>) {
    let Some(catalog) = doc.catalog().ok() else { return };
    let Some(stream) = deref(doc, catalog.get(b"Metadata").ok()).and_then(|o| o.as_stream().ok()) else {
        return;
    };
    let bytes = if stream.dict.get(b"Filter").is_ok() {
        match stream.decompressed_content_with_limit(limits.max_part_bytes as usize) {
            Ok(b) => b,
            Err(_) => {
                items.push(HiddenItem {
                    kind: HiddenKind::Metadata,
                    label: "XMP metadata (unreadable)".into(),
                    text: String::new(),
                    location: Location::part("XMP"),
                });
                return;
            }
        }
    } else {
        stream.content.clone()
    };
    let before = items.len();
    for (element, text) in xml_texts(&bytes) {
        match items[before..].iter_mut().find(|i| i.label == format!("XMP {element}")) {
            Some(existing) => {
                existing.text.push('\n');
                existing.text.push_str(&text);
            }
            None => items.push(HiddenItem {
                kind: HiddenKind::Metadata,
                label: format!("XMP {element}"),
                text,
                location: Location::part("XMP"),
            }),
        }
    }
    if items.len() == before {
        // An XMP packet with no text still says who made the file; report it by its label.
        items.push(HiddenItem {
            kind: HiddenKind::Metadata,
            label: "XMP metadata".into(),
            text: String::new(),
            location: Location::part("XMP"),
        });
    }
}

/// The text content of an XML packet with the name of the nearest enclosing element that is not
/// RDF plumbing (rdf:li, rdf:Seq, rdf:Alt...). Attribute values of rdf:Description (the short
/// XMP form `xmp:CreatorTool="..."`) are reported too. DTDs are never processed by quick-xml.
fn xml_texts(bytes: &[u8]) -> Vec<(String, String)> {
    use quick_xml::events::Event;
    // quick-xml 0.42 reads UTF-8 text; XMP is UTF-8 by specification.
    let xml = String::from_utf8_lossy(bytes);
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut stack: Vec<String> = Vec::new();
    let mut out = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                let name = e.name().as_ref().to_owned();
                attributes(&e, &mut out);
                stack.push(name);
                if stack.len() > 256 {
                    break;
                }
            }
            Ok(Event::Empty(e)) => attributes(&e, &mut out),
            Ok(Event::End(_)) => {
                stack.pop();
            }
            Ok(Event::Text(t)) => {
                let text = t.as_ref().trim().to_owned();
                if !text.is_empty()
                    && let Some(element) =
                        stack.iter().rev().find(|n| !n.starts_with("rdf:") && !n.starts_with("x:"))
                {
                    out.push((element.clone(), unescape(&text)));
                }
            }
            Ok(Event::CData(t)) => {
                let text = t.as_ref().trim().to_owned();
                if let (false, Some(element)) = (text.is_empty(), stack.last()) {
                    out.push((element.clone(), text));
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    out
}

fn attributes(e: &quick_xml::events::BytesStart<'_>, out: &mut Vec<(String, String)>) {
    for attribute in e.attributes().flatten() {
        let key = attribute.key.as_ref().to_owned();
        if key.starts_with("xmlns") || key.starts_with("rdf:") || key.starts_with("x:") {
            continue;
        }
        let value = unescape(&attribute.value);
        if !value.trim().is_empty() {
            out.push((key, value));
        }
    }
}

/// Resolves the five predefined XML entities and character references.
fn unescape(text: &str) -> String {
    quick_xml::escape::unescape(text).map(|c| c.into_owned()).unwrap_or_else(|_| text.to_owned())
}

/// A PDF text string (PDFDocEncoding or UTF-16BE with BOM) as Unicode.
pub(crate) fn text_string(doc: &Document, object: &Object) -> Option<String> {
    match deref(doc, Some(object))? {
        Object::String(..) => lopdf::decode_text_string(deref(doc, Some(object))?).ok(),
        Object::Name(name) => Some(String::from_utf8_lossy(name).into_owned()),
        Object::Stream(stream) => {
            let bytes = stream.decompressed_content().unwrap_or_else(|_| stream.content.clone());
            Some(String::from_utf8_lossy(&bytes).into_owned())
        }
        _ => None,
    }
}

fn string_entry(doc: &Document, dict: &Dictionary, key: &[u8]) -> Option<String> {
    dict.get(key).ok().and_then(|v| text_string(doc, v)).filter(|s| !s.trim().is_empty())
}

/// The leaves of a name tree (`/Names [key value ...]` and `/Kids`), in order.
fn name_tree<'d>(doc: &'d Document, root: &'d Object, limits: &Limits) -> Vec<(String, &'d Object)> {
    let mut out = Vec::new();
    let mut visited = HashSet::new();
    let mut pending = vec![(root, 0usize)];
    while let Some((node, depth)) = pending.pop() {
        if depth > limits.max_depth || out.len() > MAX_TREE_ENTRIES {
            break;
        }
        if let Object::Reference(id) = node
            && !visited.insert(*id)
        {
            continue;
        }
        let Some(dict) = deref(doc, Some(node)).and_then(|o| o.as_dict().ok()) else { continue };
        if let Some(names) = deref(doc, dict.get(b"Names").ok()).and_then(|o| o.as_array().ok()) {
            for pair in names.chunks(2) {
                if let [key, value] = pair {
                    out.push((text_string(doc, key).unwrap_or_default(), value));
                }
            }
        }
        if let Some(kids) = deref(doc, dict.get(b"Kids").ok()).and_then(|o| o.as_array().ok()) {
            for kid in kids.iter().rev() {
                pending.push((kid, depth + 1));
            }
        }
    }
    out
}

/// An attached file: its name and description are the searchable text.
fn attachment(doc: &Document, name: &str, spec: &Object, location: Location) -> HiddenItem {
    let spec = deref(doc, Some(spec)).and_then(|o| o.as_dict().ok());
    let file_name = spec
        .and_then(|s| string_entry(doc, s, b"UF").or_else(|| string_entry(doc, s, b"F")))
        .unwrap_or_else(|| name.to_owned());
    let description = spec.and_then(|s| string_entry(doc, s, b"Desc"));
    let size = spec
        .and_then(|s| deref(doc, s.get(b"EF").ok()))
        .and_then(|o| o.as_dict().ok())
        .and_then(|ef| deref(doc, ef.get(b"F").ok()).or_else(|| deref(doc, ef.get(b"UF").ok())))
        .and_then(|o| o.as_stream().ok())
        .map(|s| s.content.len());
    let mut text = file_name.clone();
    if let Some(d) = description {
        text.push('\n');
        text.push_str(&d);
    }
    HiddenItem {
        kind: HiddenKind::Attachment,
        label: match size {
            Some(n) => format!("attached file “{file_name}” ({n} bytes)"),
            None => format!("attached file “{file_name}”"),
        },
        text,
        location,
    }
}

/// The JavaScript of an action dictionary (`/S /JavaScript /JS ...`), if it is one.
fn javascript(doc: &Document, action: &Object, limits: &Limits) -> Option<String> {
    let dict = deref(doc, Some(action))?.as_dict().ok()?;
    let js = deref(doc, dict.get(b"JS").ok())?;
    match js {
        Object::Stream(stream) => {
            let bytes = stream
                .decompressed_content_with_limit(limits.max_part_bytes as usize)
                .unwrap_or_else(|_| stream.content.clone());
            Some(String::from_utf8_lossy(&bytes).into_owned())
        }
        other => text_string(doc, other),
    }
}

/// Reports an action (and the /Next chain): JavaScript as a script, a URI or launch target as
/// what it names. A plain GoTo inside the document is not hidden content.
fn actions(
    doc: &Document,
    label: &str,
    action: &Object,
    location: Location,
    limits: &Limits,
    items: &mut Vec<HiddenItem>,
) {
    let mut next = Some(action);
    let mut visited = HashSet::new();
    while let Some(current) = next.take() {
        if let Object::Reference(id) = current
            && !visited.insert(*id)
        {
            break;
        }
        if visited.len() > limits.max_depth {
            break;
        }
        let Some(dict) = deref(doc, Some(current)).and_then(|o| o.as_dict().ok()) else { break };
        match dict.get(b"S").and_then(Object::as_name).unwrap_or(b"") {
            b"JavaScript" => items.push(HiddenItem {
                kind: HiddenKind::Script,
                label: format!("{label}: JavaScript"),
                text: javascript(doc, current, limits).unwrap_or_default(),
                location: location.clone(),
            }),
            b"URI" => items.push(HiddenItem {
                kind: HiddenKind::Script,
                label: format!("{label}: opens a web address"),
                text: string_entry(doc, dict, b"URI").unwrap_or_default(),
                location: location.clone(),
            }),
            b"Launch" | b"GoToR" | b"ImportData" | b"SubmitForm" => items.push(HiddenItem {
                kind: HiddenKind::Script,
                label: format!(
                    "{label}: {} action",
                    String::from_utf8_lossy(dict.get(b"S").and_then(Object::as_name).unwrap_or(b""))
                ),
                text: dict.get(b"F").ok().and_then(|f| file_name(doc, f)).unwrap_or_default(),
                location: location.clone(),
            }),
            _ => {}
        }
        next = dict.get(b"Next").ok().filter(|n| !matches!(n, Object::Array(_)));
    }
}

fn file_name(doc: &Document, spec: &Object) -> Option<String> {
    match deref(doc, Some(spec))? {
        Object::Dictionary(d) => string_entry(doc, d, b"UF").or_else(|| string_entry(doc, d, b"F")),
        other => text_string(doc, other),
    }
}

/// AcroForm fields with a value (or a default value): the value is the hidden text, since a
/// flattened view may not show it and the file keeps it either way.
fn form_fields(doc: &Document, form: &Dictionary, limits: &Limits, items: &mut Vec<HiddenItem>) {
    let Some(fields) = deref(doc, form.get(b"Fields").ok()).and_then(|o| o.as_array().ok()) else { return };
    let mut visited = HashSet::new();
    let mut pending: Vec<(&Object, String, usize)> =
        fields.iter().rev().map(|f| (f, String::new(), 0)).collect();
    while let Some((field, prefix, depth)) = pending.pop() {
        if depth > limits.max_depth || visited.len() > MAX_TREE_ENTRIES {
            break;
        }
        if let Object::Reference(id) = field
            && !visited.insert(*id)
        {
            continue;
        }
        let Some(dict) = deref(doc, Some(field)).and_then(|o| o.as_dict().ok()) else { continue };
        let partial = string_entry(doc, dict, b"T").unwrap_or_default();
        let name = match (prefix.is_empty(), partial.is_empty()) {
            (true, _) => partial,
            (false, true) => prefix,
            (false, false) => format!("{prefix}.{partial}"),
        };
        for key in [&b"V"[..], b"DV"] {
            if let Some(value) = string_entry(doc, dict, key) {
                items.push(HiddenItem {
                    kind: HiddenKind::FormField,
                    label: format!("form field “{name}” /{}", String::from_utf8_lossy(key)),
                    text: value,
                    location: Location::part("AcroForm"),
                });
            }
        }
        if let Some(kids) = deref(doc, dict.get(b"Kids").ok()).and_then(|o| o.as_array().ok()) {
            for kid in kids.iter().rev() {
                pending.push((kid, name.clone(), depth + 1));
            }
        }
    }
    if form.get(b"XFA").is_ok() {
        items.push(HiddenItem {
            kind: HiddenKind::FormField,
            label: "XFA form data".into(),
            text: String::new(),
            location: Location::part("AcroForm"),
        });
    }
}

/// Annotations, page actions and thumbnails of one page.
fn page_items(doc: &Document, number: u32, page: ObjectId, limits: &Limits, items: &mut Vec<HiddenItem>) {
    let Ok(dict) = doc.get_dictionary(page) else { return };
    if dict.get(b"Thumb").is_ok() {
        items.push(HiddenItem {
            kind: HiddenKind::Thumbnail,
            label: format!("thumbnail image of page {number}"),
            text: String::new(),
            location: Location::page(number),
        });
    }
    if let Some(aa) = deref(doc, dict.get(b"AA").ok()).and_then(|o| o.as_dict().ok()) {
        for (trigger, action) in aa.iter() {
            let label = format!("page {number} action /{}", String::from_utf8_lossy(trigger));
            actions(doc, &label, action, Location::page(number), limits, items);
        }
    }
    let Some(annots) = deref(doc, dict.get(b"Annots").ok()).and_then(|o| o.as_array().ok()) else { return };
    for (k, annot) in annots.iter().enumerate() {
        let Some(a) = deref(doc, Some(annot)).and_then(|o| o.as_dict().ok()) else { continue };
        let subtype =
            String::from_utf8_lossy(a.get(b"Subtype").and_then(Object::as_name).unwrap_or(b"Annot"))
                .into_owned();
        // A popup only displays its parent's text, which is reported with the parent.
        if subtype == "Popup" {
            continue;
        }
        let location =
            Location { page: Some(number), part: Some(format!("annotation {}", k + 1)), paragraph: None };
        if subtype == "FileAttachment" {
            if let Ok(fs) = a.get(b"FS") {
                items.push(attachment(doc, "attachment", fs, location.clone()));
            }
        }
        let mut parts = Vec::new();
        for key in [&b"Contents"[..], b"RC", b"Subj"] {
            if let Some(text) = string_entry(doc, a, key) {
                parts.push(text);
            }
        }
        let author = string_entry(doc, a, b"T");
        if let Some(author) = &author {
            parts.push(author.clone());
        }
        if !parts.is_empty() {
            items.push(HiddenItem {
                kind: HiddenKind::Annotation,
                label: match author {
                    Some(author) => format!("{subtype} annotation by {author}"),
                    None => format!("{subtype} annotation"),
                },
                text: parts.join("\n"),
                location: location.clone(),
            });
        }
        if let Ok(action) = a.get(b"A") {
            actions(doc, &format!("{subtype} annotation"), action, location.clone(), limits, items);
        }
        if let Some(aa) = deref(doc, a.get(b"AA").ok()).and_then(|o| o.as_dict().ok()) {
            for (_, action) in aa.iter() {
                actions(doc, &format!("{subtype} annotation"), action, location.clone(), limits, items);
            }
        }
        if parts.is_empty() && !matches!(subtype.as_str(), "Link" | "Widget" | "FileAttachment") {
            items.push(HiddenItem {
                kind: HiddenKind::Annotation,
                label: format!("{subtype} annotation"),
                text: String::new(),
                location,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xmp_texts_are_named_by_their_element_and_attributes_count() {
        let xmp = r#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description xmp:CreatorTool="Writer &amp; Co">
            <dc:creator><rdf:Seq><rdf:li>张三</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>"#;
        assert_eq!(
            xml_texts(xmp.as_bytes()),
            vec![
                ("xmp:CreatorTool".to_owned(), "Writer & Co".to_owned()),
                ("dc:creator".into(), "张三".into())
            ]
        );
    }
}

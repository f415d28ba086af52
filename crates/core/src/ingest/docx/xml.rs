//! Safe XML for DOCX parts: decoding, a namespace-aware event cursor with byte ranges, and the
//! refusals that keep hostile XML harmless.
//!
//! quick-xml never processes DTDs or expands entities, so XXE and billion-laughs payloads come
//! back as raw events; this cursor turns them into errors. A `DOCTYPE` is refused outright (OPC
//! forbids DTDs), only the five predefined entities and character references are resolved, and
//! element nesting is capped by [`Limits::max_depth`]. Every event carries the byte range it
//! occupies in the decoded part text, which is what lets the redactor splice edits back.

use std::ops::Range;

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

use crate::error::{Error, Result};
use crate::limits::Limits;

/// The WordprocessingML namespaces: transitional (what Word writes) and strict.
const W_NAMESPACES: [&str; 2] = [
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
];
/// The markup-compatibility namespace of `mc:AlternateContent`.
const MC_NAMESPACE: &str = "http://schemas.openxmlformats.org/markup-compatibility/2006";

/// The namespaces the DOCX code distinguishes; everything else is `Other`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ns {
    /// WordprocessingML (`w:`).
    W,
    /// Markup compatibility (`mc:`).
    Mc,
    /// Any other namespace, or none.
    Other,
}

/// How a part's bytes were encoded, so an edited part is written back the same way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PartEncoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
}

impl PartEncoding {
    /// Encodes `text` as this encoding, with the byte-order mark it had.
    pub(crate) fn encode(self, text: &str) -> Vec<u8> {
        match self {
            PartEncoding::Utf8 => text.as_bytes().to_vec(),
            PartEncoding::Utf8Bom => [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
            PartEncoding::Utf16Le => {
                [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect()
            }
            PartEncoding::Utf16Be => {
                [0xFE, 0xFF].into_iter().chain(text.encode_utf16().flat_map(u16::to_be_bytes)).collect()
            }
        }
    }
}

/// Decodes an XML part: UTF-8 (with or without BOM) or UTF-16 with BOM, as XML allows.
pub(crate) fn decode(bytes: &[u8], part: &str) -> Result<(String, PartEncoding)> {
    let utf16 = |body: &[u8], little: bool| -> Result<String> {
        if !body.len().is_multiple_of(2) {
            return Err(Error::malformed(format!("part {part} is truncated UTF-16")));
        }
        let units = body.chunks_exact(2).map(|c| {
            let pair = [c[0], c[1]];
            if little { u16::from_le_bytes(pair) } else { u16::from_be_bytes(pair) }
        });
        char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .map_err(|_| Error::malformed(format!("part {part} is not valid UTF-16")))
    };
    if let Some(body) = bytes.strip_prefix(b"\xFF\xFE") {
        return Ok((utf16(body, true)?, PartEncoding::Utf16Le));
    }
    if let Some(body) = bytes.strip_prefix(b"\xFE\xFF") {
        return Ok((utf16(body, false)?, PartEncoding::Utf16Be));
    }
    let (body, encoding) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(body) => (body, PartEncoding::Utf8Bom),
        None => (bytes, PartEncoding::Utf8),
    };
    let text = std::str::from_utf8(body)
        .map_err(|e| Error::malformed(format!("part {part} is not valid UTF-8 XML: {e}")))?;
    Ok((text.to_owned(), encoding))
}

/// One event of a part, with the byte range it occupies in the decoded text.
#[derive(Debug)]
pub(crate) struct Item<'a> {
    /// What the event is.
    pub node: Node<'a>,
    /// Its bytes in the part text.
    pub range: Range<usize>,
}

/// The events the DOCX code cares about.
#[derive(Debug)]
pub(crate) enum Node<'a> {
    /// An opening tag.
    Start(Tag<'a>),
    /// A self-closing tag.
    Empty(Tag<'a>),
    /// A closing tag.
    End(Ns, &'a str),
    /// Character data, raw (references come separately as `Char`).
    Text(&'a str),
    /// Character data from a CDATA section; its characters start 9 bytes into the range.
    CData(&'a str),
    /// One character written as a predefined entity or character reference.
    Char(char),
    /// A declaration, comment or processing instruction.
    Other,
}

/// An element's tag: its namespace, local name and raw start tag.
#[derive(Debug)]
pub(crate) struct Tag<'a> {
    pub ns: Ns,
    pub local: &'a str,
    pub start: BytesStart<'a>,
}

impl Tag<'_> {
    /// True when this is the WordprocessingML element `local`.
    pub(crate) fn is_w(&self, local: &str) -> bool {
        self.ns == Ns::W && self.local == local
    }

    /// The unescaped value of the first attribute whose local name is `local`.
    pub(crate) fn attr(&self, local: &str) -> Result<Option<String>> {
        for attribute in self.start.attributes() {
            let attribute = attribute.map_err(|e| Error::malformed(format!("bad XML attribute: {e}")))?;
            if attribute.key.local_name().as_ref() == local {
                let value = attribute
                    .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .map_err(|e| Error::hostile(format!("XML attribute uses an unknown entity: {e}")))?;
                return Ok(Some(value.into_owned()));
            }
        }
        Ok(None)
    }
}

/// A forward-only cursor over a part's events, enforcing the safety rules.
pub(crate) struct Cursor<'a> {
    reader: NsReader<&'a [u8]>,
    text: &'a str,
    depth: usize,
    max_depth: usize,
}

impl<'a> Cursor<'a> {
    /// Starts reading `text`.
    pub(crate) fn new(text: &'a str, limits: &Limits) -> Self {
        let mut reader = NsReader::from_str(text);
        let config = reader.config_mut();
        config.check_end_names = true;
        config.expand_empty_elements = false;
        config.trim_text(false);
        Cursor { reader, text, depth: 0, max_depth: limits.max_depth }
    }

    /// The current element nesting depth.
    pub(crate) fn depth(&self) -> usize {
        self.depth
    }

    /// The next event, or `None` at the end of a well-formed part.
    pub(crate) fn next(&mut self) -> Result<Option<Item<'a>>> {
        let start = self.reader.buffer_position() as usize;
        // The resolved namespace borrows the reader, so it is mapped to `Ns` before the reader is
        // asked anything else.
        let outcome = self.reader.read_resolved_event().map(|(resolved, event)| (ns_of(&resolved), event));
        let (ns, event) = outcome.map_err(|e| {
            Error::malformed(format!("XML syntax error at byte {}: {e}", self.reader.error_position()))
        })?;
        let end = self.reader.buffer_position() as usize;
        let node = match event {
            Event::Eof => {
                if self.depth != 0 {
                    return Err(Error::malformed("XML ends inside an unclosed element"));
                }
                return Ok(None);
            }
            Event::DocType(_) => {
                return Err(Error::hostile("XML part declares a DOCTYPE, which OOXML forbids"));
            }
            Event::Start(start_tag) => {
                self.depth += 1;
                if self.depth > self.max_depth {
                    return Err(Error::limit(format!(
                        "XML elements nest deeper than the limit of {}",
                        self.max_depth
                    )));
                }
                Node::Start(tag(ns, start_tag, self.text, start..end))
            }
            Event::Empty(start_tag) => Node::Empty(tag(ns, start_tag, self.text, start..end)),
            Event::End(_) => {
                self.depth = self.depth.saturating_sub(1);
                Node::End(ns, local_of(&self.text[start..end]))
            }
            Event::Text(_) => Node::Text(&self.text[start..end]),
            Event::CData(_) => Node::CData(self.text.get(start + 9..end.saturating_sub(3)).unwrap_or("")),
            Event::GeneralRef(reference) => {
                let c = if reference.is_char_ref() {
                    reference.resolve_char_ref().ok().flatten().ok_or_else(|| {
                        Error::malformed(format!("bad character reference &{};", &*reference))
                    })?
                } else {
                    let name: &str = &reference;
                    let resolved = quick_xml::escape::resolve_predefined_entity(name)
                        .ok_or_else(|| Error::hostile(format!("XML uses the undeclared entity &{name};")))?;
                    resolved.chars().next().unwrap_or('\u{FFFD}')
                };
                Node::Char(c)
            }
            Event::Decl(_) | Event::Comment(_) | Event::PI(_) => Node::Other,
        };
        Ok(Some(Item { node, range: start..end }))
    }
}

fn ns_of(resolved: &ResolveResult<'_>) -> Ns {
    match resolved {
        ResolveResult::Bound(namespace) if W_NAMESPACES.contains(&namespace.0) => Ns::W,
        ResolveResult::Bound(namespace) if namespace.0 == MC_NAMESPACE => Ns::Mc,
        _ => Ns::Other,
    }
}

/// Builds a [`Tag`], borrowing the local name from the part text so it outlives the event.
fn tag<'a>(ns: Ns, start: BytesStart<'a>, text: &'a str, range: Range<usize>) -> Tag<'a> {
    let raw = &text[range];
    let name_end = raw.find(|c: char| c.is_whitespace() || c == '>' || c == '/').unwrap_or(raw.len()).max(1);
    let local = local_of(&raw[1.min(name_end)..name_end]);
    Tag { ns, local, start }
}

/// The local name of a raw `</prefix:name>` or `prefix:name`.
fn local_of(raw: &str) -> &str {
    let name = raw.trim_start_matches("</").trim_end_matches('>').trim();
    name.rsplit_once(':').map_or(name, |(_, local)| local)
}

//! The text inside a picture's metadata blocks: XMP packets, IPTC records, PNG text chunks,
//! comments, and the readable strings of blocks whose structure Vetted does not decode.

use std::io::Read;

use quick_xml::events::Event;

use crate::document::{HiddenItem, HiddenKind, Location};
use crate::error::{Error, Result};
use crate::limits::Limits;

/// Bytes as text: UTF-8 when they are valid UTF-8, otherwise GB18030.
///
/// Metadata fields rarely declare an encoding. Chinese software writes GBK into EXIF and PNG
/// text that the standards reserve for ASCII or Latin-1; decoding as GB18030 makes such text
/// searchable, at the cost of garbling the (rarer, and for this review less likely) Latin-1
/// accented letters.
pub(crate) fn decode_legacy(bytes: &[u8]) -> String {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => encoding_rs::GB18030.decode_without_bom_handling(bytes).0.into_owned(),
    };
    text.trim_end_matches('\0').to_string()
}

/// The readable strings of a block Vetted does not decode: runs of at least four letters,
/// digits or punctuation, separated by one space. This is what `strings` would show a curious
/// reader, so it is what the reviewer must see.
///
/// The result is capped at [`MAX_STRINGS_BYTES`]: a block that large (an appended archive) is
/// reported for what it is, and the export drops it whole anyway, so its first megabyte of
/// strings tells the reviewer enough without making the document's text balloon.
pub(crate) fn printable_strings(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut out = String::new();
    for run in text.split(|c: char| c.is_control() || c == char::REPLACEMENT_CHARACTER) {
        let run = run.trim();
        if run.chars().filter(|c| !c.is_whitespace()).count() < 4 {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        let room = MAX_STRINGS_BYTES.saturating_sub(out.len());
        if run.len() > room {
            let cut = run.char_indices().map(|(i, _)| i).take_while(|&i| i <= room).last().unwrap_or(0);
            out.push_str(&run[..cut]);
            out.push('…');
            break;
        }
        out.push_str(run);
    }
    out
}

/// The most text [`printable_strings`] returns for one block.
pub(crate) const MAX_STRINGS_BYTES: usize = 1 << 20;

/// Inflates zlib data (PNG zTXt and compressed iTXt), refusing more than the part limit.
pub(crate) fn inflate(data: &[u8], limits: &Limits) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    flate2::read::ZlibDecoder::new(data)
        .take(limits.max_part_bytes.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| Error::malformed(format!("compressed text does not inflate: {e}")))?;
    if out.len() as u64 > limits.max_part_bytes {
        return Err(Error::limit(format!(
            "compressed text inflates to more than the limit of {} bytes",
            limits.max_part_bytes
        )));
    }
    Ok(out)
}

/// The properties of an XMP packet, one hidden item each (`XMP dc:creator` → "张三"), in the
/// order they first appear; repeated values (list items) are joined with "; ".
///
/// Both element text and attribute values are read, because XMP writers use both forms for
/// simple properties (`<photoshop:City>北京</photoshop:City>` and `photoshop:City="北京"`).
/// A packet that is not well-formed XML is still reported, with its tags stripped by hand, so
/// that a broken packet cannot hide its text.
pub(crate) fn xmp_items(packet: &[u8], part: &str) -> Vec<HiddenItem> {
    let text = decode_legacy(packet);
    let text = text.trim_start_matches('\u{feff}');
    let properties = xmp_properties(text).unwrap_or_else(|| {
        let stripped = strip_tags(text);
        if stripped.is_empty() { Vec::new() } else { vec![("packet".to_string(), vec![stripped])] }
    });
    properties
        .into_iter()
        .map(|(name, values)| {
            let mut text = values.join("; ");
            let kind = if name.ends_with(":GPSLatitude") || name.ends_with(":GPSLongitude") {
                if let Some(decimal) = xmp_coordinate(&text) {
                    text = format!("{text} ({decimal})");
                }
                HiddenKind::GpsPosition
            } else {
                HiddenKind::ImageMetadata
            };
            HiddenItem { kind, label: format!("XMP {name}"), text, location: Location::part(part) }
        })
        .collect()
}

type Properties = Vec<(String, Vec<String>)>;

fn xmp_properties(xml: &str) -> Option<Properties> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut properties: Properties = Vec::new();
    let mut stack: Vec<String> = Vec::new();
    let mut add = |stack: &[String], name: Option<&str>, value: &str| {
        let value = value.trim();
        if value.is_empty() {
            return;
        }
        // The property is the innermost element outside the RDF scaffolding.
        let property = name
            .map(str::to_string)
            .or_else(|| stack.iter().rev().find(|n| !n.starts_with("rdf:") && !n.starts_with("x:")).cloned());
        let property = property.unwrap_or_else(|| "packet".into());
        match properties.iter_mut().find(|(n, _)| *n == property) {
            Some((_, values)) => values.push(value.to_string()),
            None => properties.push((property, vec![value.to_string()])),
        }
    };
    // A text run can be split by entity references; collect it until the next tag.
    let mut pending = String::new();
    loop {
        let event = reader.read_event().ok()?;
        if !matches!(event, Event::Text(_) | Event::GeneralRef(_) | Event::CData(_)) && !pending.is_empty() {
            add(&stack, None, &pending);
            pending.clear();
        }
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let name: String = AsRef::<str>::as_ref(&e.name()).to_owned();
                for attribute in e.attributes() {
                    // A broken attribute sends the packet to the fallback rather than vanish.
                    let attribute = attribute.ok()?;
                    let key: String = AsRef::<str>::as_ref(&attribute.key).to_owned();
                    let value = attribute.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok()?;
                    if key == "rdf:resource" {
                        let owner = if name.starts_with("rdf:") { None } else { Some(name.as_str()) };
                        add(&stack, owner, &value);
                    } else if !(key.starts_with("xmlns")
                        || key.starts_with("rdf:")
                        || key.starts_with("xml:"))
                    {
                        add(&stack, Some(&key), &value);
                    }
                }
                if matches!(event, Event::Start(_)) {
                    stack.push(name);
                }
            }
            Event::End(_) => {
                stack.pop();
            }
            Event::Text(t) => pending.push_str(&t.xml10_content()),
            Event::CData(t) => pending.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => match r.resolve_char_ref() {
                Ok(Some(c)) => pending.push(c),
                _ => {
                    let name = r.xml10_content();
                    match quick_xml::escape::resolve_predefined_entity(&name) {
                        Some(s) => pending.push_str(s),
                        None => pending.push_str(&format!("&{name};")),
                    }
                }
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Some(properties)
}

/// Text with the markup removed and whitespace collapsed: what lies between tags, and the
/// quoted attribute values inside them (where XMP keeps many properties).
fn strip_tags(text: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    let mut quote: Option<char> = None;
    for c in text.chars() {
        match (in_tag, quote, c) {
            (false, _, '<') => {
                in_tag = true;
                out.push(' ');
            }
            (false, _, c) => out.push(c),
            (true, None, '>') => in_tag = false,
            (true, None, '"' | '\'') => {
                quote = Some(c);
                out.push(' ');
            }
            (true, Some(q), c) if c == q => {
                quote = None;
                out.push(' ');
            }
            (true, Some(_), c) => out.push(c),
            (true, None, _) => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// XMP's coordinate form "39,54.252N" or "39,54,15.12N" as decimal degrees "39.904200 N".
fn xmp_coordinate(text: &str) -> Option<String> {
    let hemisphere = text.chars().last().filter(|c| "NSEW".contains(*c))?;
    let numbers = &text[..text.len() - 1];
    let mut value = 0.0;
    for (part, scale) in numbers.split(',').zip([1.0, 60.0, 3600.0]) {
        value += part.trim().parse::<f64>().ok()? / scale;
    }
    Some(format!("{value:.6} {hemisphere}"))
}

/// The text of an ICC colour profile: its description, copyright, and device maker and model
/// descriptions, which can name the camera or the lab that calibrated it. Falls back to the
/// readable strings when the tag table cannot be read.
pub(crate) fn icc_text(profile: &[u8]) -> String {
    const TAGS: [(&[u8; 4], &str); 4] = [
        (b"desc", "description"),
        (b"cprt", "copyright"),
        (b"dmnd", "device maker"),
        (b"dmdd", "device model"),
    ];
    let read_u32 = |at: usize| super::container::read_u32(profile, at).map(|v| v as usize);
    let mut parts = Vec::new();
    let count = read_u32(128).unwrap_or(0).min(1000);
    for entry in 0..count {
        let at = 132 + entry * 12;
        let (Some(signature), Some(offset), Some(size)) =
            (profile.get(at..at + 4), read_u32(at + 4), read_u32(at + 8))
        else {
            break;
        };
        let Some((_, name)) = TAGS.iter().find(|(tag, _)| tag.as_slice() == signature) else { continue };
        let Some(data) = profile.get(offset..offset.saturating_add(size)) else { continue };
        if let Some(text) = icc_tag_text(data).filter(|t| !t.trim().is_empty()) {
            parts.push(format!("{name}: {}", text.trim()));
        }
    }
    if parts.is_empty() { printable_strings(profile) } else { parts.join("; ") }
}

/// The text of one ICC tag of type `desc` (ASCII), `text` (ASCII) or `mluc` (UTF-16BE, one
/// string per language; all are kept).
fn icc_tag_text(data: &[u8]) -> Option<String> {
    let read_u32 = |at: usize| super::container::read_u32(data, at).map(|v| v as usize);
    match data.get(..4)? {
        b"desc" => {
            let length = read_u32(8)?;
            Some(decode_legacy(data.get(12..12usize.checked_add(length)?)?))
        }
        b"text" => Some(decode_legacy(data.get(8..)?)),
        b"mluc" => {
            let (records, record_size) = (read_u32(8)?.min(100), read_u32(12)?);
            let mut texts: Vec<String> = Vec::new();
            for record in 0..records {
                let at = 16 + record * record_size;
                let (length, offset) = (read_u32(at + 4)?, read_u32(at + 8)?);
                let units: Vec<u16> = data
                    .get(offset..offset.checked_add(length)?)?
                    .chunks_exact(2)
                    .map(|c| u16::from_be_bytes([c[0], c[1]]))
                    .collect();
                let text = String::from_utf16_lossy(&units).trim_end_matches('\0').to_string();
                if !texts.contains(&text) {
                    texts.push(text);
                }
            }
            Some(texts.join(" / "))
        }
        _ => None,
    }
}

/// IPTC datasets inside Photoshop image resources (JPEG APP13 after "Photoshop 3.0\0"), plus a
/// thumbnail item when Photoshop stored one.
pub(crate) fn photoshop_items(resources: &[u8]) -> Vec<HiddenItem> {
    let mut items = Vec::new();
    let mut pos = 0;
    while resources.get(pos..pos + 4) == Some(b"8BIM") {
        let Some(id) = resources.get(pos + 4..pos + 6).map(|b| u16::from_be_bytes([b[0], b[1]])) else {
            break;
        };
        let Some(&name_len) = resources.get(pos + 6) else { break };
        // The Pascal-string name is padded so that its length byte and text are even.
        let name_total = (1 + usize::from(name_len) + 1) & !1;
        let size_at = pos + 6 + name_total;
        let Some(size) = super::container::read_u32(resources, size_at) else { break };
        let data_start = size_at + 4;
        let Some(data) = resources.get(data_start..data_start.saturating_add(size as usize)) else { break };
        match id {
            0x0404 => items.extend(iptc_items(data)),
            0x0409 | 0x040C => items.push(HiddenItem {
                kind: HiddenKind::Thumbnail,
                label: format!("Photoshop thumbnail ({size} bytes)"),
                text: String::new(),
                location: Location::part("IPTC"),
            }),
            // Photoshop keeps copies of the EXIF and XMP blocks among its resources.
            0x0422 => match super::exif::read_block(data) {
                Ok(block) => items.extend(block.items),
                Err(_) => items.push(resource_strings(id, data)),
            },
            0x0424 => items.extend(xmp_items(data, "XMP")),
            // Print settings, resolution, layer state: mostly numbers, but some hold names
            // (slices, URLs, paths); whatever reads as text is reported.
            _ => {
                let strings = printable_strings(data);
                if !strings.is_empty() {
                    items.push(resource_strings(id, data));
                }
            }
        }
        pos = data_start + ((size as usize + 1) & !1);
    }
    items
}

fn resource_strings(id: u16, data: &[u8]) -> HiddenItem {
    HiddenItem {
        kind: HiddenKind::ImageMetadata,
        label: format!("Photoshop resource 0x{id:04X} ({} bytes)", data.len()),
        text: printable_strings(data),
        location: Location::part("Photoshop"),
    }
}

/// One item per IPTC application-record dataset (record 2), joined per dataset name.
pub(crate) fn iptc_items(data: &[u8]) -> Vec<HiddenItem> {
    let mut properties: Properties = Vec::new();
    let mut pos = 0;
    while data.get(pos) == Some(&0x1C) {
        let (Some(&record), Some(&dataset), Some(length)) =
            (data.get(pos + 1), data.get(pos + 2), super::container::read_u16(data, pos + 3))
        else {
            break;
        };
        // Extended (> 32 KiB) datasets set the top bit; no text field needs one.
        if length & 0x8000 != 0 {
            break;
        }
        let Some(value) = data.get(pos + 5..pos + 5 + usize::from(length)) else { break };
        pos += 5 + usize::from(length);
        if record != 2 || dataset == 0 {
            continue;
        }
        let name = iptc_name(dataset);
        let value = decode_legacy(value);
        if value.trim().is_empty() {
            continue;
        }
        match properties.iter_mut().find(|(n, _)| *n == name) {
            Some((_, values)) => values.push(value),
            None => properties.push((name, vec![value])),
        }
    }
    properties
        .into_iter()
        .map(|(name, values)| HiddenItem {
            kind: HiddenKind::ImageMetadata,
            label: format!("IPTC {name}"),
            text: values.join("; "),
            location: Location::part("IPTC"),
        })
        .collect()
}

fn iptc_name(dataset: u8) -> String {
    let name = match dataset {
        5 => "ObjectName",
        25 => "Keywords",
        40 => "SpecialInstructions",
        55 => "DateCreated",
        60 => "TimeCreated",
        80 => "By-line",
        85 => "By-lineTitle",
        90 => "City",
        92 => "Sub-location",
        95 => "Province-State",
        100 => "Country-PrimaryLocationCode",
        101 => "Country-PrimaryLocationName",
        103 => "OriginalTransmissionReference",
        105 => "Headline",
        110 => "Credit",
        115 => "Source",
        116 => "CopyrightNotice",
        118 => "Contact",
        120 => "Caption-Abstract",
        122 => "Writer-Editor",
        _ => return format!("2:{dataset}"),
    };
    name.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_xmp(packet: &str, expected: &[(&str, &str)]) {
        let got: Vec<(String, String)> =
            xmp_items(packet.as_bytes(), "XMP").into_iter().map(|i| (i.label, i.text)).collect();
        let expected: Vec<(String, String)> =
            expected.iter().map(|(l, t)| (l.to_string(), t.to_string())).collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn xmp_properties_come_from_elements_attributes_and_lists() {
        check_xmp(
            r#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="r"><rdf:Description rdf:about="" photoshop:City="北京">
               <dc:creator><rdf:Seq><rdf:li>张三</rdf:li><rdf:li>李&amp;四</rdf:li></rdf:Seq></dc:creator>
               <dc:description><rdf:Alt><rdf:li xml:lang="x-default">Site &#x41;</rdf:li></rdf:Alt></dc:description>
               </rdf:Description></rdf:RDF></x:xmpmeta>"#,
            &[
                ("XMP photoshop:City", "北京"),
                ("XMP dc:creator", "张三; 李&四"),
                ("XMP dc:description", "Site A"),
            ],
        );
    }

    #[test]
    fn xmp_gps_gets_a_decimal_form_and_the_gps_kind() {
        let items = xmp_items(br#"<r><d exif:GPSLatitude="39,54.252N"/></r>"#, "XMP");
        assert_eq!(items[0].text, "39,54.252N (39.904200 N)");
        assert_eq!(items[0].kind, HiddenKind::GpsPosition);
    }

    #[test]
    fn a_broken_xmp_packet_is_still_reported_with_its_tags_stripped() {
        check_xmp("<a><b>secret site</c>", &[("XMP packet", "secret site")]);
        check_xmp(
            r#"<d photoshop:City="北京" dc:title='gate 3'><b>text</c>"#,
            &[("XMP packet", "北京 gate 3 text")],
        );
    }

    #[test]
    fn printable_strings_keep_runs_of_four_or_more() {
        assert_eq!(printable_strings(b"\x01\x02ab\x00SN 1234567\x00\xffxyz\x03Canon"), "SN 1234567 Canon");
    }

    #[test]
    fn printable_strings_of_a_huge_block_stop_at_the_cap() {
        let strings = printable_strings(&vec![b'a'; MAX_STRINGS_BYTES + 10]);
        assert_eq!(strings.len(), MAX_STRINGS_BYTES + '…'.len_utf8());
        assert!(strings.ends_with("a…"));
    }

    #[test]
    fn icc_profiles_give_their_descriptions_in_every_tag_type() {
        let mut desc = b"desc\0\0\0\0\0\0\0\x0bEIZO Lab 3\0".to_vec();
        desc.resize(desc.len() + 67, 0); // The Unicode and ScriptCode parts, empty.
        let mut mluc = b"mluc\0\0\0\0\0\0\0\x01\0\0\0\x0czhCN\0\0\0\x04\0\0\0\x1c".to_vec();
        mluc.extend("张三".encode_utf16().flat_map(u16::to_be_bytes));
        let text = b"text\0\0\0\0Copyright Example Lab\0".to_vec();
        let mut profile = vec![0u8; 128];
        profile.extend_from_slice(&3u32.to_be_bytes());
        let mut offset = 128 + 4 + 3 * 12;
        let mut data = Vec::new();
        for (signature, tag) in [(b"desc", &desc), (b"dmdd", &mluc), (b"cprt", &text)] {
            profile.extend_from_slice(signature);
            profile.extend_from_slice(&(offset as u32).to_be_bytes());
            profile.extend_from_slice(&(tag.len() as u32).to_be_bytes());
            data.extend_from_slice(tag);
            offset += tag.len();
        }
        profile.extend_from_slice(&data);
        assert_eq!(
            icc_text(&profile),
            "description: EIZO Lab 3; device model: 张三; copyright: Copyright Example Lab"
        );
        assert_eq!(icc_text(b"not a profile, just text"), "not a profile, just text");
    }

    #[test]
    fn iptc_datasets_inside_photoshop_resources_are_named() {
        let mut iptc = Vec::new();
        for (dataset, value) in [(80u8, "张三".as_bytes()), (90, b"Beijing"), (25, b"a"), (25, b"b")] {
            iptc.extend_from_slice(&[0x1C, 2, dataset, 0, value.len() as u8]);
            iptc.extend_from_slice(value);
        }
        let mut resources = b"8BIM\x04\x04\x00\x00".to_vec();
        resources.extend_from_slice(&(iptc.len() as u32).to_be_bytes());
        resources.extend_from_slice(&iptc);
        let got: Vec<(String, String)> =
            photoshop_items(&resources).into_iter().map(|i| (i.label, i.text)).collect();
        assert_eq!(
            got,
            [("IPTC By-line", "张三"), ("IPTC City", "Beijing"), ("IPTC Keywords", "a; b")]
                .map(|(a, b)| (a.to_string(), b.to_string()))
        );
    }
}

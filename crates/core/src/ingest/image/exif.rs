//! EXIF: the TIFF-structured block cameras and phones write into JPEG APP1 and PNG eXIf.
//!
//! `kamadak-exif` decodes the IFDs; this module decides what a reviewer must see: the GPS
//! position as one item with decimal and DMS forms (so coordinate rules match it), every text
//! field (make, model, serial numbers, dates, artist, copyright, description, user comment,
//! software), the maker note's readable strings (manufacturers put serial numbers there), and
//! the embedded thumbnail.
//!
//! Real cameras and editors write slightly broken EXIF (a sub-IFD with a stray next-IFD
//! pointer, a field whose offset runs past the block after an edit). Refusing such photos
//! would stop the review of ordinary files, so a damaged block is read as far as it goes, its
//! readable strings are reported beside the fields, and the export drops it whole like any
//! EXIF block. Only a block built to loop (an IFD visited twice, an endless IFD chain) is
//! refused, as hostile.

use exif::{Context, Exif, Field, In, Tag, Value};

use super::text::{decode_legacy, printable_strings};
use crate::document::{HiddenItem, HiddenKind, Location};
use crate::error::{Error, Result};

/// Where EXIF items are reported.
const PART: &str = "EXIF";

/// What one EXIF block yields.
pub(crate) struct Block {
    /// The hidden items, in the order the fields appear.
    pub items: Vec<HiddenItem>,
    /// The orientation (1–8) the block sets for the main picture, 1 when none.
    pub orientation: u8,
}

/// Reads a TIFF-structured EXIF block (without the `Exif\0\0` prefix of JPEG).
pub(crate) fn read_block(tiff: &[u8]) -> Result<Block> {
    let mut reader = exif::Reader::new();
    reader.continue_on_error(true);
    let (exif, problems) = match reader.read_raw(tiff.to_vec()) {
        Ok(exif) => (Some(exif), Vec::new()),
        Err(exif::Error::PartialResult(partial)) => {
            let (exif, errors) = partial.into_inner();
            (Some(exif), errors)
        }
        Err(e) => (None, vec![e]),
    };
    if let Some(e) = problems.iter().find(|e| is_loop(e)) {
        return Err(Error::hostile(format!("the EXIF block is built to loop: {e}")));
    }
    let mut block = Block { items: Vec::new(), orientation: 1 };
    if let Some(exif) = &exif {
        block.orientation = orientation(exif);
        block.items = items(exif);
    }
    if !problems.is_empty() {
        let reasons: Vec<String> = problems.iter().map(ToString::to_string).collect();
        let state = if exif.is_some() { "partly unreadable" } else { "unreadable" };
        block.items.push(item(
            HiddenKind::ImageMetadata,
            format!("EXIF block {state} ({})", reasons.join("; ")),
            printable_strings(tiff),
        ));
    }
    Ok(block)
}

/// The errors `kamadak-exif` reports for an IFD structure that loops or chains without end.
/// Their wording is the crate's; `an_exif_ifd_that_points_back_to_itself_is_refused` pins it.
fn is_loop(error: &exif::Error) -> bool {
    matches!(error, exif::Error::InvalidFormat(m) if *m == "Already visited IFD detected"
        || m.starts_with("Limit the IFD count") || *m == "Too many IFDs")
}

/// The EXIF orientation (1–8) of the main picture, 1 when absent or out of range.
fn orientation(exif: &Exif) -> u8 {
    exif.get_field(Tag::Orientation, In::PRIMARY)
        .and_then(|f| f.value.get_uint(0))
        .and_then(|v| u8::try_from(v).ok())
        .filter(|v| (1..=8).contains(v))
        .unwrap_or(1)
}

/// The hidden items of one EXIF block, in the order its fields appear.
fn items(exif: &Exif) -> Vec<HiddenItem> {
    let mut items = Vec::new();
    if let Some(position) = gps_position(exif) {
        items.push(item(HiddenKind::GpsPosition, "EXIF GPS position".into(), position));
    }
    for field in exif.fields() {
        if field.ifd_num == In::PRIMARY && GPS_POSITION_TAGS.contains(&field.tag) {
            continue;
        }
        let text = match field_text(field) {
            Some(text) if !text.trim().is_empty() => text,
            _ => continue,
        };
        let kind = if field.tag.context() == Context::Gps {
            HiddenKind::GpsPosition
        } else {
            HiddenKind::ImageMetadata
        };
        // Text in the thumbnail's IFD (or a later one) is as readable as in the main one.
        let label = match field.ifd_num {
            In::PRIMARY => format!("EXIF {}", tag_name(field.tag)),
            In(n) => format!("EXIF {} (IFD{n})", tag_name(field.tag)),
        };
        items.push(item(kind, label, text));
    }
    if let Some(length) =
        exif.get_field(Tag::JPEGInterchangeFormatLength, In::THUMBNAIL).and_then(|f| f.value.get_uint(0))
    {
        items.push(item(
            HiddenKind::Thumbnail,
            format!("EXIF thumbnail ({length} bytes JPEG)"),
            String::new(),
        ));
    } else if exif.fields().any(|f| f.ifd_num == In::THUMBNAIL && f.tag == Tag::StripOffsets) {
        items.push(item(HiddenKind::Thumbnail, "EXIF thumbnail (uncompressed)".into(), String::new()));
    }
    items
}

fn item(kind: HiddenKind, label: String, text: String) -> HiddenItem {
    HiddenItem { kind, label, text, location: Location::part(PART) }
}

/// The GPS tags folded into the one position item.
const GPS_POSITION_TAGS: [Tag; 7] = [
    Tag::GPSLatitude,
    Tag::GPSLatitudeRef,
    Tag::GPSLongitude,
    Tag::GPSLongitudeRef,
    Tag::GPSAltitude,
    Tag::GPSAltitudeRef,
    Tag::GPSVersionID,
];

/// Windows Explorer's tags (XPTitle, XPComment, XPAuthor, XPKeywords, XPSubject): UTF-16LE text
/// stored as bytes.
fn is_windows_text_tag(tag: Tag) -> bool {
    tag.context() == Context::Tiff && (0x9C9B..=0x9C9F).contains(&tag.number())
}

fn tag_name(tag: Tag) -> String {
    match (tag.context(), tag.number()) {
        (Context::Tiff, 0x9C9B) => "XPTitle".into(),
        (Context::Tiff, 0x9C9C) => "XPComment".into(),
        (Context::Tiff, 0x9C9D) => "XPAuthor".into(),
        (Context::Tiff, 0x9C9E) => "XPKeywords".into(),
        (Context::Tiff, 0x9C9F) => "XPSubject".into(),
        _ => tag.to_string(),
    }
}

/// The text a field carries, for the fields that carry text a person wrote or that identifies
/// a person, place or device; `None` for technical values (exposure, resolution, offsets).
fn field_text(field: &Field) -> Option<String> {
    match &field.value {
        Value::Ascii(parts) => {
            let texts: Vec<String> = parts.iter().map(|p| decode_legacy(p)).collect();
            Some(texts.join(" "))
        }
        Value::Undefined(bytes, _) if field.tag == Tag::UserComment => Some(user_comment(bytes)),
        Value::Undefined(bytes, _) if field.tag == Tag::MakerNote => Some(printable_strings(bytes)),
        Value::Byte(bytes) | Value::Undefined(bytes, _) if is_windows_text_tag(field.tag) => {
            let units: Vec<u16> = bytes.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
            Some(String::from_utf16_lossy(&units).trim_end_matches('\0').to_string())
        }
        // The GPS fields other than the position (date, time, direction, datum) are shown as
        // the crate formats them.
        _ if field.tag.context() == Context::Gps => Some(field.display_value().with_unit(()).to_string()),
        _ => None,
    }
}

/// A UserComment: an 8-byte character-code prefix, then the text.
fn user_comment(bytes: &[u8]) -> String {
    let (code, text) = bytes.split_at(bytes.len().min(8));
    let text = match code {
        b"UNICODE\0" => {
            // EXIF leaves the byte order to the writer; most write UTF-16 in the TIFF's order,
            // which this block does not tell us here, so guess from where the zero bytes are.
            let big_endian = text.chunks_exact(2).filter(|c| c[0] == 0).count()
                > text.chunks_exact(2).filter(|c| c[1] == 0).count();
            let units: Vec<u16> = text
                .chunks_exact(2)
                .map(|c| {
                    if big_endian {
                        u16::from_be_bytes([c[0], c[1]])
                    } else {
                        u16::from_le_bytes([c[0], c[1]])
                    }
                })
                .collect();
            String::from_utf16_lossy(&units)
        }
        _ => decode_legacy(text),
    };
    text.trim_end_matches(['\0', ' ']).to_string()
}

/// "GPS 39.904200 N, 116.407400 E, altitude 43 m (39°54′15.12″N 116°24′26.64″E)": decimal
/// degrees with six decimals (about 0.1 m), then the DMS form people write.
fn gps_position(exif: &Exif) -> Option<String> {
    let latitude = degrees(exif, Tag::GPSLatitude, Tag::GPSLatitudeRef, 'S')?;
    let longitude = degrees(exif, Tag::GPSLongitude, Tag::GPSLongitudeRef, 'W')?;
    let (lat_hemisphere, lon_hemisphere) =
        (if latitude < 0.0 { 'S' } else { 'N' }, if longitude < 0.0 { 'W' } else { 'E' });
    let mut text =
        format!("GPS {:.6} {lat_hemisphere}, {:.6} {lon_hemisphere}", latitude.abs(), longitude.abs());
    if let Some(altitude) = altitude(exif) {
        text.push_str(&format!(", altitude {} m", trim_number(altitude)));
    }
    text.push_str(&format!(
        " ({}{lat_hemisphere} {}{lon_hemisphere})",
        dms(latitude.abs()),
        dms(longitude.abs())
    ));
    Some(text)
}

/// Signed decimal degrees from a degrees/minutes/seconds rational triple and its reference.
fn degrees(exif: &Exif, tag: Tag, reference: Tag, negative: char) -> Option<f64> {
    let Value::Rational(parts) = &exif.get_field(tag, In::PRIMARY)?.value else { return None };
    let mut value = 0.0;
    for (part, scale) in parts.iter().zip([1.0, 60.0, 3600.0]) {
        if part.denom == 0 {
            return None;
        }
        value += part.to_f64() / scale;
    }
    if !(0.0..=180.0).contains(&value) {
        return None;
    }
    let is_negative = match &exif.get_field(reference, In::PRIMARY).map(|f| &f.value) {
        Some(Value::Ascii(r)) => r.first().and_then(|s| s.first()).is_some_and(|&c| c == negative as u8),
        _ => false,
    };
    Some(if is_negative { -value } else { value })
}

/// Altitude in metres; negative below sea level (GPSAltitudeRef = 1).
fn altitude(exif: &Exif) -> Option<f64> {
    let Value::Rational(parts) = &exif.get_field(Tag::GPSAltitude, In::PRIMARY)?.value else { return None };
    let part = parts.first().filter(|p| p.denom != 0)?;
    let below = exif.get_field(Tag::GPSAltitudeRef, In::PRIMARY).and_then(|f| f.value.get_uint(0)) == Some(1);
    Some(if below { -part.to_f64() } else { part.to_f64() })
}

/// A number with at most one decimal, without a trailing ".0".
fn trim_number(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 { format!("{rounded:.0}") } else { format!("{rounded:.1}") }
}

/// Degrees, minutes and seconds (two decimals): 39.9042 → 39°54′15.12″.
fn dms(value: f64) -> String {
    let hundredths = (value * 360_000.0).round() as u64;
    let (degrees, rest) = (hundredths / 360_000, hundredths % 360_000);
    let (minutes, rest) = (rest / 6_000, rest % 6_000);
    format!("{degrees}°{minutes}′{}.{:02}″", rest / 100, rest % 100)
}

/// The orientation and the number of fields of a TIFF block, for tests of what we write.
#[cfg(test)]
pub(crate) fn parse_for_test(tiff: &[u8]) -> (u8, usize) {
    let exif = exif::Reader::new().read_raw(tiff.to_vec()).expect("a valid EXIF block");
    (orientation(&exif), exif.fields().len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dms_rounds_to_hundredths_of_a_second_without_sixty() {
        let cases = [
            (39.9042, "39°54′15.12″"),
            (116.4074, "116°24′26.64″"),
            (0.0, "0°0′0.00″"),
            (10.999_999_9, "11°0′0.00″"),
        ];
        for (value, expected) in cases {
            assert_eq!(dms(value), expected, "dms({value})");
        }
    }

    #[test]
    fn user_comments_decode_by_their_character_code() {
        let cases: [(&[u8], &str); 4] = [
            (b"ASCII\0\0\0hello  \0", "hello"),
            (b"UNICODE\0h\0i\0", "hi"),
            (b"UNICODE\0\0h\0i", "hi"),
            (b"\0\0\0\0\0\0\0\0\xe5\xbc\xa0\xe4\xb8\x89", "张三"),
        ];
        for (bytes, expected) in cases {
            assert_eq!(user_comment(bytes), expected);
        }
    }
}

//! Fonts as the content interpreter needs them: how a shown string splits into character codes,
//! how far each glyph advances, how tall its box is, and which Unicode text it stands for.
//!
//! lopdf parses encodings and ToUnicode CMaps but knows nothing of widths, code lengths or the
//! standard-14 metrics; this module adds those. The order of Unicode sources is the one viewers
//! use for search: the font's /ToUnicode CMap first, then /Encoding with /Differences, then (for
//! `UniGB-UCS2-H` and `UniGB-UTF16-H`) the code itself read as UTF-16. A composite font with
//! any other CMap and no ToUnicode (typically Identity-H from Word or Chrome) cannot be mapped:
//! its glyphs carry no text and the page is reported as unsearchable.

use lopdf::{Dictionary, Document, Encoding, Object};

use super::metrics;

/// What kind of font program draws the glyphs; the redactor refuses Type3.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FontKind {
    /// Type1, TrueType, MMType1: one byte per code.
    Simple,
    /// Type0 (CID-keyed) with a descendant CIDFont.
    Composite,
    /// Type3: glyphs are content streams of their own.
    Type3,
}

/// A font resolved enough to place glyphs and decode them.
pub(crate) struct Font<'a> {
    pub(crate) kind: FontKind,
    /// Codespace ranges `(low, high, bytes)`; a simple font has one range of one byte.
    codespace: Vec<(u32, u32, u8)>,
    widths: Widths,
    to_unicode: Option<ToUnicode>,
    /// /Encoding of a simple font, as lopdf decodes it.
    encoding: Option<Encoding<'a>>,
    /// The encoding built into an embedded Type1 program (TeX fonts have no /Encoding), as the
    /// text of each code.
    builtin: Option<Vec<Option<String>>>,
    /// The codes are UTF-16 (UniGB-UCS2-H, UniGB-UTF16-H).
    utf16_codes: bool,
    /// For simple fonts, the text of each of the 256 codes, decoded once at load.
    decoded: Option<Vec<Option<String>>>,
    /// The font writes vertically (its CMap name ends in `-V`).
    pub(crate) vertical: bool,
    /// Whether any source maps this font's codes to Unicode.
    pub(crate) mappable: bool,
    /// Scale from glyph-space widths to text space: 1/1000, or FontMatrix[0] for Type3.
    width_scale: f32,
    /// Top and bottom of the glyph box, in text-space units of one em.
    pub(crate) ascent: f32,
    pub(crate) descent: f32,
}

/// Advance widths in glyph-space units (1000 per em for all but Type3).
enum Widths {
    /// /FirstChar + /Widths, then a standard-14 table, then /MissingWidth.
    Simple { first: u32, widths: Vec<f32>, standard: Option<Standard>, missing: f32 },
    /// CIDFont /W ranges (sorted by low CID) and /DW; `ucs2_cids` maps UCS-2 ASCII codes to
    /// Adobe-GB1 CIDs, the only predefined collection whose layout is assumed here.
    Composite { ranges: Vec<(u32, u32, f32)>, default: f32, ucs2_cids: bool },
}

#[derive(Clone, Copy)]
enum Standard {
    Table(&'static [u16; 224]),
    Monospace,
}

/// One glyph of a shown string.
#[derive(Debug, PartialEq)]
pub(crate) struct Code {
    /// Byte range of the code within the string.
    pub(crate) start: usize,
    pub(crate) end: usize,
    /// The code's value.
    pub(crate) value: u32,
}

impl<'a> Font<'a> {
    /// Resolves a font dictionary. Never fails: a broken font becomes a one-byte font without
    /// widths or text, so its glyphs are placed approximately and the page reported unsearchable.
    pub(crate) fn load(doc: &'a Document, dict: &'a Dictionary, max_stream: usize) -> Font<'a> {
        let subtype = dict.get(b"Subtype").and_then(Object::as_name).unwrap_or(b"");
        let to_unicode = to_unicode(doc, dict, max_stream);
        match subtype {
            b"Type0" => Self::composite(doc, dict, to_unicode, max_stream),
            _ => Self::simple(doc, dict, to_unicode, subtype == b"Type3", max_stream),
        }
    }

    fn simple(
        doc: &'a Document,
        dict: &'a Dictionary,
        to_unicode: Option<ToUnicode>,
        type3: bool,
        max_stream: usize,
    ) -> Font<'a> {
        let first = integer(doc, dict.get(b"FirstChar").ok()).unwrap_or(0).clamp(0, 255) as u32;
        let widths = deref(doc, dict.get(b"Widths").ok())
            .and_then(|o| o.as_array().ok())
            .map(|a| a.iter().map(|w| number(doc, Some(w)).unwrap_or(0.0)).collect())
            .unwrap_or_default();
        let descriptor = deref(doc, dict.get(b"FontDescriptor").ok()).and_then(|o| o.as_dict().ok());
        let missing = descriptor.and_then(|d| number(doc, d.get(b"MissingWidth").ok())).unwrap_or(0.0);
        let base = dict.get(b"BaseFont").and_then(Object::as_name).unwrap_or(b"");
        let builtin = if dict.has(b"Encoding") || to_unicode.is_some() {
            None
        } else {
            builtin_encoding(doc, descriptor, max_stream).map(|names| glyph_texts(doc, &names))
        };
        let encoding = if dict.has(b"Encoding") || (to_unicode.is_none() && builtin.is_none()) {
            // lopdf falls back to StandardEncoding on a broken /Encoding, as viewers do.
            dict.get_font_encoding_with_limit(doc, max_stream).ok()
        } else {
            None
        };
        let (width_scale, ascent, descent) = if type3 {
            let matrix = deref(doc, dict.get(b"FontMatrix").ok())
                .and_then(|o| o.as_array().ok())
                .map(|a| a.iter().map(|n| number(doc, Some(n)).unwrap_or(0.0)).collect::<Vec<_>>())
                .unwrap_or_default();
            let scale = matrix.first().copied().filter(|s| s.is_finite() && *s != 0.0).unwrap_or(0.001);
            (scale, 0.8, -0.2)
        } else {
            let (a, d) = vertical_metrics(doc, descriptor);
            (0.001, a, d)
        };
        let mappable = to_unicode.is_some() || encoding.is_some() || builtin.is_some();
        let mut font = Font {
            kind: if type3 { FontKind::Type3 } else { FontKind::Simple },
            codespace: vec![(0, 0xFF, 1)],
            widths: Widths::Simple { first, widths, standard: standard_metrics(base), missing },
            to_unicode,
            encoding,
            builtin,
            decoded: None,
            vertical: false,
            utf16_codes: false,
            mappable,
            width_scale,
            ascent,
            descent,
        };
        // One byte per code: decoding all 256 once is cheaper than once per glyph.
        let decoded =
            (0..=255u8).map(|b| font.decode(&Code { start: 0, end: 1, value: u32::from(b) }, &[b])).collect();
        font.decoded = Some(decoded);
        font
    }

    fn composite(
        doc: &'a Document,
        dict: &'a Dictionary,
        to_unicode: Option<ToUnicode>,
        max_stream: usize,
    ) -> Font<'a> {
        let encoding = deref(doc, dict.get(b"Encoding").ok());
        let cmap_name = encoding.and_then(|o| o.as_name().ok()).unwrap_or(b"");
        let utf16_codes = matches!(cmap_name, b"UniGB-UCS2-H" | b"UniGB-UTF16-H");
        let codespace = match encoding {
            Some(Object::Stream(stream)) => {
                let parsed = stream
                    .decompressed_content_with_limit(max_stream)
                    .map(|c| codespace_ranges(&c))
                    .unwrap_or_default();
                if parsed.is_empty() { vec![(0, 0xFFFF, 2)] } else { parsed }
            }
            // Identity and the UCS-2 CMaps are two bytes; other predefined CMaps are assumed
            // two bytes too (their text is unsearchable without a ToUnicode, see below).
            _ => vec![(0, 0xFFFF, 2)],
        };
        let descendant = deref(doc, dict.get(b"DescendantFonts").ok())
            .and_then(|o| o.as_array().ok())
            .and_then(|a| deref(doc, a.first()))
            .and_then(|o| o.as_dict().ok());
        let default = descendant.and_then(|d| number(doc, d.get(b"DW").ok())).unwrap_or(1000.0);
        let ranges = descendant
            .and_then(|d| deref(doc, d.get(b"W").ok()))
            .and_then(|o| o.as_array().ok())
            .map(|w| cid_width_ranges(doc, w))
            .unwrap_or_default();
        let descriptor =
            descendant.and_then(|d| deref(doc, d.get(b"FontDescriptor").ok())).and_then(|o| o.as_dict().ok());
        let (ascent, descent) = vertical_metrics(doc, descriptor);
        let mappable = to_unicode.is_some() || utf16_codes;
        Font {
            kind: FontKind::Composite,
            codespace,
            widths: Widths::Composite { ranges, default, ucs2_cids: utf16_codes },
            to_unicode,
            encoding: None,
            builtin: None,
            decoded: None,
            vertical: cmap_name.ends_with(b"-V"),
            utf16_codes,
            mappable,
            width_scale: 0.001,
            ascent,
            descent,
        }
    }

    /// Splits a shown string into character codes by the font's codespace ranges. A trailing
    /// partial code is kept as its own code, as viewers do.
    pub(crate) fn codes(&self, bytes: &[u8]) -> Vec<Code> {
        let mut codes = Vec::with_capacity(bytes.len());
        let mut at = 0;
        while at < bytes.len() {
            let len = self.code_length(&bytes[at..]);
            let end = (at + len).min(bytes.len());
            let value = bytes[at..end].iter().fold(0u32, |v, b| (v << 8) | u32::from(*b));
            codes.push(Code { start: at, end, value });
            at = end;
        }
        codes
    }

    fn code_length(&self, rest: &[u8]) -> usize {
        for len in 1..=4usize {
            if len > rest.len() {
                break;
            }
            let value = rest[..len].iter().fold(0u32, |v, b| (v << 8) | u32::from(*b));
            if self.codespace.iter().any(|&(lo, hi, n)| usize::from(n) == len && (lo..=hi).contains(&value)) {
                return len;
            }
        }
        self.codespace.first().map_or(1, |&(_, _, n)| usize::from(n.max(1)))
    }

    /// The glyph's advance in text-space units of one em (before the font size).
    pub(crate) fn advance(&self, code: &Code) -> f32 {
        let width = match &self.widths {
            Widths::Simple { first, widths, standard, missing } => {
                let explicit = code.value.checked_sub(*first).and_then(|i| widths.get(i as usize));
                match (explicit, standard) {
                    (Some(w), _) => *w,
                    (None, Some(Standard::Monospace)) => 600.0,
                    (None, Some(Standard::Table(table))) => code
                        .value
                        .checked_sub(32)
                        .and_then(|i| table.get(i as usize))
                        .map_or(*missing, |w| f32::from(*w)),
                    (None, None) => *missing,
                }
            }
            Widths::Composite { ranges, default, ucs2_cids } => {
                let cid = if *ucs2_cids { ucs2_to_gb1_cid(code.value) } else { Some(code.value) };
                cid.and_then(|cid| {
                    let i = ranges.partition_point(|r| r.1 < cid);
                    ranges.get(i).filter(|r| r.0 <= cid).map(|r| r.2)
                })
                .unwrap_or(*default)
            }
        };
        width * self.width_scale
    }

    /// The Unicode text of a code, or `None` when no source maps it.
    pub(crate) fn text(&self, code: &Code, bytes: &[u8]) -> Option<String> {
        match &self.decoded {
            Some(table) => table.get(code.value as usize).cloned().flatten(),
            None => self.decode(code, bytes),
        }
    }

    fn decode(&self, code: &Code, bytes: &[u8]) -> Option<String> {
        let code_bytes = bytes.get(code.start..code.end)?;
        if let Some(text) = self.to_unicode.as_ref().and_then(|m| m.get(code))
            && !text.is_empty()
        {
            return Some(text);
        }
        if self.utf16_codes {
            let unit = u16::try_from(code.value).ok()?;
            return char::decode_utf16([unit]).next()?.ok().map(String::from);
        }
        if let Some(table) = &self.builtin {
            return table.get(code.value as usize).cloned().flatten();
        }
        let encoding = self.encoding.as_ref()?;
        let text = encoding.bytes_to_string(code_bytes).ok()?;
        (!text.is_empty() && !text.contains('\u{FFFD}')).then_some(text)
    }

    /// True when code 32 in this font is the single-byte space that word spacing applies to.
    pub(crate) fn is_word_space(&self, code: &Code) -> bool {
        code.value == 32 && code.end - code.start == 1
    }
}

/// The standard-14 table for a /BaseFont name (subset prefixes and style suffixes tolerated).
fn standard_metrics(base: &[u8]) -> Option<Standard> {
    let name = String::from_utf8_lossy(base);
    let name = name.split_once('+').map_or(&*name, |(_, n)| n).to_ascii_lowercase();
    let bold = name.contains("bold");
    let italic = name.contains("italic") || name.contains("oblique");
    if name.starts_with("courier") {
        Some(Standard::Monospace)
    } else if name.starts_with("helvetica") || name.starts_with("arial") {
        Some(Standard::Table(if bold { &metrics::HELVETICA_BOLD } else { &metrics::HELVETICA }))
    } else if name.starts_with("times") {
        Some(Standard::Table(match (bold, italic) {
            (true, true) => &metrics::TIMES_BOLDITALIC,
            (true, false) => &metrics::TIMES_BOLD,
            (false, true) => &metrics::TIMES_ITALIC,
            (false, false) => &metrics::TIMES_ROMAN,
        }))
    } else {
        None
    }
}

/// Ascent and descent in ems from a font descriptor, or 0.8/−0.2 when it gives none or
/// nonsense (LibreOffice writes Ascent = Descent = 0).
fn vertical_metrics(doc: &Document, descriptor: Option<&Dictionary>) -> (f32, f32) {
    let get = |key: &[u8]| descriptor.and_then(|d| number(doc, d.get(key).ok()));
    match (get(b"Ascent"), get(b"Descent")) {
        (Some(a), Some(d)) if a > 0.0 && d <= 0.0 && (500.0..=2500.0).contains(&(a - d)) => {
            (a / 1000.0, d / 1000.0)
        }
        _ => (0.8, -0.2),
    }
}

/// The font's /ToUnicode CMap. lopdf's parser proved unreliable on hand-written CMaps and only
/// exposes the map through `get_font_encoding` (which prefers /Encoding), so the two sections
/// that matter, bfchar and bfrange, are read here.
fn to_unicode(doc: &Document, dict: &Dictionary, max_stream: usize) -> Option<ToUnicode> {
    let stream = deref(doc, dict.get(b"ToUnicode").ok())?.as_stream().ok()?;
    let bytes = if stream.dict.get(b"Filter").is_ok() {
        stream.decompressed_content_with_limit(max_stream).ok()?
    } else {
        stream.content.clone()
    };
    let map = ToUnicode::parse(&bytes);
    (!map.chars.is_empty() || !map.ranges.is_empty()).then_some(map)
}

/// A parsed ToUnicode CMap: single codes and ranges, keyed by code length in bytes.
#[derive(Debug, Default)]
pub(crate) struct ToUnicode {
    chars: std::collections::HashMap<(u8, u32), String>,
    /// `(length, low, high, destination)`; a single destination is incremented through the range.
    ranges: Vec<(u8, u32, u32, RangeTarget)>,
}

#[derive(Debug)]
enum RangeTarget {
    Incrementing(Vec<u16>),
    Each(Vec<String>),
}

#[derive(Debug, PartialEq)]
enum CMapToken {
    Hex(Vec<u8>),
    Open,
    Close,
    Word(String),
}

impl ToUnicode {
    fn parse(bytes: &[u8]) -> ToUnicode {
        let tokens = cmap_tokens(bytes);
        let mut map = ToUnicode::default();
        let mut i = 0;
        let hex = |t: Option<&CMapToken>| match t {
            Some(CMapToken::Hex(h)) if (1..=4).contains(&h.len()) => {
                Some((h.len() as u8, h.iter().fold(0u32, |v, b| (v << 8) | u32::from(*b))))
            }
            _ => None,
        };
        while i < tokens.len() {
            match &tokens[i] {
                CMapToken::Word(w) if w == "beginbfchar" => {
                    i += 1;
                    while let (Some((len, code)), Some(CMapToken::Hex(dst))) =
                        (hex(tokens.get(i)), tokens.get(i + 1))
                    {
                        map.chars.insert((len, code), utf16_text(&units(dst)));
                        i += 2;
                    }
                }
                CMapToken::Word(w) if w == "beginbfrange" => {
                    i += 1;
                    while let (Some((len, lo)), Some((_, hi))) = (hex(tokens.get(i)), hex(tokens.get(i + 1)))
                    {
                        match tokens.get(i + 2) {
                            Some(CMapToken::Hex(dst)) => {
                                map.ranges.push((len, lo, hi, RangeTarget::Incrementing(units(dst))));
                                i += 3;
                            }
                            Some(CMapToken::Open) => {
                                let mut each = Vec::new();
                                i += 3;
                                while let Some(CMapToken::Hex(dst)) = tokens.get(i) {
                                    each.push(utf16_text(&units(dst)));
                                    i += 1;
                                }
                                map.ranges.push((len, lo, hi, RangeTarget::Each(each)));
                                i += 1; // the closing bracket
                            }
                            _ => break,
                        }
                    }
                }
                _ => i += 1,
            }
        }
        map
    }

    fn get(&self, code: &Code) -> Option<String> {
        let len = (code.end - code.start) as u8;
        if let Some(text) = self.chars.get(&(len, code.value)) {
            return Some(text.clone());
        }
        let (_, lo, _, target) =
            self.ranges.iter().find(|(l, lo, hi, _)| *l == len && (*lo..=*hi).contains(&code.value))?;
        let offset = code.value - lo;
        match target {
            RangeTarget::Incrementing(units) => {
                let mut units = units.clone();
                let last = units.last_mut()?;
                *last = last.wrapping_add(offset as u16);
                Some(utf16_text(&units))
            }
            RangeTarget::Each(texts) => texts.get(offset as usize).cloned(),
        }
    }
}

fn units(bytes: &[u8]) -> Vec<u16> {
    bytes.chunks(2).map(|c| (u16::from(c[0]) << 8) | u16::from(*c.get(1).unwrap_or(&0))).collect()
}

fn utf16_text(units: &[u16]) -> String {
    String::from_utf16_lossy(units)
}

/// Splits a CMap into hex strings, brackets and words; comments, names' slashes and literal
/// strings are skipped.
fn cmap_tokens(bytes: &[u8]) -> Vec<CMapToken> {
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                while i < bytes.len() && !matches!(bytes[i], b'\r' | b'\n') {
                    i += 1;
                }
            }
            b'<' if bytes.get(i + 1) == Some(&b'<') => i += 2,
            b'>' => i += 1,
            b'<' => {
                let end = bytes[i..].iter().position(|&b| b == b'>').map_or(bytes.len(), |p| i + p);
                let digits: Vec<u8> =
                    bytes[i + 1..end].iter().copied().filter(u8::is_ascii_hexdigit).collect();
                let value = digits
                    .chunks(2)
                    .map(|pair| {
                        let hi = (pair[0] as char).to_digit(16).unwrap_or(0);
                        let lo = pair.get(1).and_then(|c| (*c as char).to_digit(16)).unwrap_or(0);
                        (hi * 16 + lo) as u8
                    })
                    .collect();
                tokens.push(CMapToken::Hex(value));
                i = end + 1;
            }
            b'[' => {
                tokens.push(CMapToken::Open);
                i += 1;
            }
            b']' => {
                tokens.push(CMapToken::Close);
                i += 1;
            }
            b'(' => {
                while i < bytes.len() && bytes[i] != b')' {
                    i += 1;
                }
                i += 1;
            }
            b if b.is_ascii_whitespace() || b == b'/' || b == b'{' || b == b'}' => i += 1,
            _ => {
                // A word runs to the next delimiter. A stray delimiter no arm above takes (a
                // lone `)` or NUL) is skipped on its own, so every turn of the loop consumes a
                // byte and the word after it is still read (found by fuzzing: without this the
                // loop pushed empty words until memory ran out).
                let start = i;
                while i < bytes.len() && !b"<>[]()/%{} \t\r\n\x0c\0".contains(&bytes[i]) {
                    i += 1;
                }
                if i == start {
                    i += 1;
                    continue;
                }
                tokens.push(CMapToken::Word(String::from_utf8_lossy(&bytes[start..i]).into_owned()));
            }
        }
    }
    tokens
}

/// The built-in encoding of an embedded Type1 font program: the `dup <code> /<name> put`
/// entries of its clear-text part. `None` when the font is not embedded Type1 or uses
/// StandardEncoding.
fn builtin_encoding(
    doc: &Document,
    descriptor: Option<&Dictionary>,
    max_stream: usize,
) -> Option<Vec<(u8, Vec<u8>)>> {
    let program = deref(doc, descriptor?.get(b"FontFile").ok())?.as_stream().ok()?;
    let bytes = if program.dict.get(b"Filter").is_ok() {
        program.decompressed_content_with_limit(max_stream).ok()?
    } else {
        program.content.clone()
    };
    // The encoding is in the clear-text part, before `eexec` starts the encrypted one.
    let clear = bytes.windows(5).position(|w| w == b"eexec").map_or(&bytes[..], |end| &bytes[..end]);
    let clear = String::from_utf8_lossy(clear);
    let after = clear.split_once("/Encoding")?.1;
    if after.trim_start().starts_with("StandardEncoding") {
        return None;
    }
    let words: Vec<&str> = after.split_whitespace().take_while(|w| *w != "readonly" && *w != "def").collect();
    let mut entries = Vec::new();
    for window in words.windows(4) {
        if let ["dup", code, name, "put"] = window
            && let (Ok(code), Some(name)) = (code.parse::<u8>(), name.strip_prefix('/'))
        {
            entries.push((code, name.as_bytes().to_vec()));
        }
    }
    (!entries.is_empty()).then_some(entries)
}

/// The text of each code given its glyph name: `uniXXXX` and `uXXXX` names directly, other
/// names through lopdf's glyph list (asked one name at a time, since lopdf rejects a whole
/// /Differences array for one name it does not know).
fn glyph_texts(doc: &Document, names: &[(u8, Vec<u8>)]) -> Vec<Option<String>> {
    let mut table = vec![None; 256];
    for (code, name) in names {
        let text = glyph_name_text(name).or_else(|| {
            let mut probe = Dictionary::new();
            probe.set("Type", Object::Name(b"Font".to_vec()));
            let differences = vec![Object::Integer(i64::from(*code)), Object::Name(name.clone())];
            let mut encoding = Dictionary::new();
            encoding.set("Differences", differences);
            probe.set("Encoding", encoding);
            match probe.get_font_encoding(doc) {
                Ok(e @ Encoding::Differences(_)) => {
                    e.bytes_to_string(&[*code]).ok().filter(|t| !t.is_empty())
                }
                _ => None,
            }
        });
        table[usize::from(*code)] = text;
    }
    table
}

/// `uniXXXX` (one or more UTF-16 units) and `uXXXX`–`uXXXXXX` glyph names.
fn glyph_name_text(name: &[u8]) -> Option<String> {
    let name = std::str::from_utf8(name).ok()?;
    if let Some(hex) = name.strip_prefix("uni")
        && hex.len() % 4 == 0
        && !hex.is_empty()
    {
        let units: Option<Vec<u16>> =
            (0..hex.len()).step_by(4).map(|i| u16::from_str_radix(hex.get(i..i + 4)?, 16).ok()).collect();
        return String::from_utf16(&units?).ok();
    }
    let hex = name.strip_prefix('u')?;
    if (4..=6).contains(&hex.len()) {
        return char::from_u32(u32::from_str_radix(hex, 16).ok()?).map(String::from);
    }
    None
}

/// Reads `begincodespacerange` sections of an embedded CMap: `<lo> <hi>` pairs whose hex length
/// gives the code length.
fn codespace_ranges(cmap: &[u8]) -> Vec<(u32, u32, u8)> {
    let text = String::from_utf8_lossy(cmap);
    let mut ranges = Vec::new();
    for section in text.split("begincodespacerange").skip(1) {
        let body = section.split("endcodespacerange").next().unwrap_or("");
        let hex: Vec<&str> = body
            .split(['<', '>'])
            .map(str::trim)
            .filter(|s| !s.is_empty() && !s.contains(char::is_whitespace))
            .collect();
        for pair in hex.chunks(2) {
            if let [lo, hi] = pair
                && let (Ok(l), Ok(h)) = (u32::from_str_radix(lo, 16), u32::from_str_radix(hi, 16))
                && (1..=8).contains(&lo.len())
            {
                ranges.push((l, h, lo.len().div_ceil(2) as u8));
            }
        }
    }
    ranges
}

/// CIDFont /W: `c [w1 w2 ...]` and `c_first c_last w`, as sorted `(low, high, width)` ranges.
fn cid_width_ranges(doc: &Document, w: &[Object]) -> Vec<(u32, u32, f32)> {
    let mut ranges = Vec::new();
    let mut i = 0;
    while i < w.len() {
        let Some(first) = integer(doc, w.get(i)) else { break };
        let first = first.max(0) as u32;
        match deref(doc, w.get(i + 1)) {
            Some(Object::Array(list)) => {
                for (k, width) in list.iter().enumerate() {
                    let cid = first.saturating_add(k as u32);
                    ranges.push((cid, cid, number(doc, Some(width)).unwrap_or(0.0)));
                }
                i += 2;
            }
            Some(_) => {
                let last = integer(doc, w.get(i + 1)).unwrap_or(0).max(0) as u32;
                let width = number(doc, w.get(i + 2)).unwrap_or(0.0);
                if last >= first {
                    ranges.push((first, last, width));
                }
                i += 3;
            }
            None => break,
        }
    }
    ranges.sort_by_key(|r| (r.0, r.1));
    ranges
}

/// The Adobe-GB1 CID of a UCS-2 code, for the proportional ASCII glyphs only (CIDs 1..=95 are
/// U+0020..=U+007E in Adobe-GB1); everything else takes the CIDFont's default width, which for
/// the ideographs STSong-Light draws is right.
fn ucs2_to_gb1_cid(code: u32) -> Option<u32> {
    (0x20..=0x7E).contains(&code).then(|| code - 31)
}

/// Follows a reference (a few hops at most: reference chains are not legal, loops must not hang).
pub(crate) fn deref<'d>(doc: &'d Document, object: Option<&'d Object>) -> Option<&'d Object> {
    let mut object = object?;
    for _ in 0..8 {
        match object {
            Object::Reference(id) => object = doc.get_object(*id).ok()?,
            other => return Some(other),
        }
    }
    None
}

pub(crate) fn number(doc: &Document, object: Option<&Object>) -> Option<f32> {
    match deref(doc, object)? {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r).filter(|r| r.is_finite()),
        _ => None,
    }
}

pub(crate) fn integer(doc: &Document, object: Option<&Object>) -> Option<i64> {
    match deref(doc, object)? {
        Object::Integer(i) => Some(*i),
        Object::Real(r) if r.is_finite() => Some(*r as i64),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression (fuzzing): a `)` or NUL outside a string made the tokenizer push empty words
    /// forever, until the process ran out of memory.
    #[test]
    fn regression_a_stray_delimiter_in_a_cmap_is_skipped_not_looped_on() {
        let check =
            |cmap: &[u8], expected: Vec<CMapToken>| assert_eq!(cmap_tokens(cmap), expected, "{cmap:?}");
        check(b"<01> ) <02>", vec![CMapToken::Hex(vec![1]), CMapToken::Hex(vec![2])]);
        check(b"\0beginbfchar\0", vec![CMapToken::Word("beginbfchar".into())]);
        check(b")", vec![]);
    }

    #[test]
    fn codespace_ranges_give_code_lengths() {
        let cmap = b"1 begincodespacerange\n<00> <80>\n<8140> <FEFE>\nendcodespacerange";
        assert_eq!(codespace_ranges(cmap), vec![(0, 0x80, 1), (0x8140, 0xFEFE, 2)]);
    }

    #[test]
    fn to_unicode_cmaps_map_single_codes_ranges_and_arrays() {
        let cmap = b"%comment\n/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
            2 beginbfchar <0003> <673A> <0104><5BC6> endbfchar\n\
            2 beginbfrange <0010> <0012> <0041> <0020> <0021> [<0066006C> <00660069>] endbfrange endcmap";
        let map = ToUnicode::parse(cmap);
        let get = |value: u32| map.get(&Code { start: 0, end: 2, value });
        assert_eq!(get(3).as_deref(), Some("机"));
        assert_eq!(get(0x104).as_deref(), Some("密"));
        assert_eq!(get(0x11).as_deref(), Some("B"));
        assert_eq!(get(0x21).as_deref(), Some("fi"));
        assert_eq!(get(0x13), None);
        // A one-byte code is not the two-byte code of the same value.
        assert_eq!(map.get(&Code { start: 0, end: 1, value: 3 }), None);
    }

    #[test]
    fn the_builtin_encoding_of_a_type1_program_is_read_from_its_clear_text() {
        let mut doc = Document::new();
        let program =
            b"%!PS-AdobeFont-1.0: CMSY10\n/Encoding 256 array\n0 1 255 {1 index exch /.notdef put} for\n\
            dup 15 /bullet put\ndup 46 /period put\nreadonly def\ncurrentfile eexec\n\x8a\x02dup 99 /x put";
        let file = doc.add_object(lopdf::Stream::new(Dictionary::new(), program.to_vec()));
        let mut descriptor = Dictionary::new();
        descriptor.set("FontFile", file);
        let entries = builtin_encoding(&doc, Some(&descriptor), 1 << 20).unwrap();
        assert_eq!(entries, vec![(15, b"bullet".to_vec()), (46, b"period".to_vec())]);
        let mut standard = Dictionary::new();
        let file =
            doc.add_object(lopdf::Stream::new(Dictionary::new(), b"/Encoding StandardEncoding def".to_vec()));
        standard.set("FontFile", file);
        assert_eq!(builtin_encoding(&doc, Some(&standard), 1 << 20), None);
    }

    #[test]
    fn glyph_names_map_to_text() {
        let doc = Document::new();
        let names = [
            (46, b"period".to_vec()),
            (15, b"bullet".to_vec()),
            (1, b"uni673A".to_vec()),
            (2, b"zz9".to_vec()),
        ];
        let table = glyph_texts(&doc, &names);
        assert_eq!(table[46].as_deref(), Some("."));
        assert_eq!(table[15].as_deref(), Some("•"));
        assert_eq!(table[1].as_deref(), Some("机"));
        assert_eq!(table[2], None);
    }

    // Regression: a stray `)` or NUL in a ToUnicode CMap made the tokenizer loop forever.
    #[test]
    fn a_cmap_with_stray_delimiters_is_tokenized_to_the_end() {
        let map = ToUnicode::parse(b"1 beginbfchar ) \0 <01> <0041> endbfchar )");
        assert_eq!(map.get(&Code { start: 0, end: 1, value: 1 }).as_deref(), Some("A"));
    }

    #[test]
    fn w_arrays_in_both_forms_become_sorted_ranges() {
        let doc = Document::new();
        let w = vec![
            Object::Integer(10),
            Object::Integer(12),
            Object::Integer(500),
            Object::Integer(1),
            Object::Array(vec![Object::Integer(250), Object::Real(333.5)]),
        ];
        assert_eq!(cid_width_ranges(&doc, &w), vec![(1, 1, 250.0), (2, 2, 333.5), (10, 12, 500.0)]);
    }

    #[test]
    fn standard_font_names_pick_their_tables() {
        assert!(matches!(standard_metrics(b"Courier-Bold"), Some(Standard::Monospace)));
        assert!(matches!(standard_metrics(b"ABCDEF+Helvetica"), Some(Standard::Table(t)) if t[0] == 278));
        assert!(standard_metrics(b"SimSun").is_none());
    }
}

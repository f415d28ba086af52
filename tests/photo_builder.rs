//! Builds test pictures by hand: a small JPEG or PNG from the `image` crate, with metadata
//! spliced in from a tiny TIFF (EXIF) writer, XMP, IPTC and PNG text chunks written here.
//!
//! Everything is written byte by byte rather than with the library under test, so a test that
//! reads these pictures checks Vetted against the formats' specifications.

use image::{ImageEncoder, Rgb, RgbImage};

/// A TIFF field type and its big-endian value bytes.
struct Entry {
    tag: u16,
    kind: u16,
    count: u32,
    data: Vec<u8>,
}

/// One image file directory.
#[derive(Default)]
pub struct Ifd(Vec<Entry>);

impl Ifd {
    /// An ASCII field (NUL-terminated).
    pub fn ascii(mut self, tag: u16, text: &str) -> Self {
        let mut data = text.as_bytes().to_vec();
        data.push(0);
        self.0.push(Entry { tag, kind: 2, count: data.len() as u32, data });
        self
    }

    /// A SHORT field.
    pub fn short(mut self, tag: u16, value: u16) -> Self {
        self.0.push(Entry { tag, kind: 3, count: 1, data: value.to_be_bytes().to_vec() });
        self
    }

    /// A LONG field.
    pub fn long(mut self, tag: u16, value: u32) -> Self {
        self.0.push(Entry { tag, kind: 4, count: 1, data: value.to_be_bytes().to_vec() });
        self
    }

    /// A BYTE field.
    pub fn bytes(mut self, tag: u16, value: &[u8]) -> Self {
        self.0.push(Entry { tag, kind: 1, count: value.len() as u32, data: value.to_vec() });
        self
    }

    /// An UNDEFINED field.
    pub fn undefined(mut self, tag: u16, value: &[u8]) -> Self {
        self.0.push(Entry { tag, kind: 7, count: value.len() as u32, data: value.to_vec() });
        self
    }

    /// A RATIONAL field with one or more values.
    pub fn rational(mut self, tag: u16, values: &[(u32, u32)]) -> Self {
        let data = values.iter().flat_map(|(n, d)| [n.to_be_bytes(), d.to_be_bytes()]).flatten().collect();
        self.0.push(Entry { tag, kind: 5, count: values.len() as u32, data });
        self
    }

    fn size(&self) -> usize {
        2 + 12 * self.0.len()
            + 4
            + self
                .0
                .iter()
                .map(|e| if e.data.len() > 4 { e.data.len() + e.data.len() % 2 } else { 0 })
                .sum::<usize>()
    }

    /// Writes the IFD at `at` (its offset in the TIFF), values after the entry table.
    fn write(&self, out: &mut Vec<u8>, at: usize, next: u32) {
        assert_eq!(out.len(), at);
        let mut data_at = at + 2 + 12 * self.0.len() + 4;
        let mut data = Vec::new();
        out.extend_from_slice(&(self.0.len() as u16).to_be_bytes());
        // TIFF wants the entries sorted by tag.
        let mut entries: Vec<&Entry> = self.0.iter().collect();
        entries.sort_by_key(|e| e.tag);
        for e in entries {
            out.extend_from_slice(&e.tag.to_be_bytes());
            out.extend_from_slice(&e.kind.to_be_bytes());
            out.extend_from_slice(&e.count.to_be_bytes());
            if e.data.len() <= 4 {
                let mut inline = e.data.clone();
                inline.resize(4, 0);
                out.extend_from_slice(&inline);
            } else {
                out.extend_from_slice(&(data_at as u32).to_be_bytes());
                data.extend_from_slice(&e.data);
                if e.data.len() % 2 == 1 {
                    data.push(0);
                }
                data_at += e.data.len() + e.data.len() % 2;
            }
        }
        out.extend_from_slice(&next.to_be_bytes());
        out.extend_from_slice(&data);
    }
}

/// The parts of an EXIF block: main IFD, EXIF sub-IFD, GPS sub-IFD, and a thumbnail (IFD1).
#[derive(Default)]
pub struct Exif {
    pub main: Ifd,
    pub exif: Ifd,
    pub gps: Ifd,
    pub thumbnail: Option<Vec<u8>>,
}

impl Exif {
    /// The big-endian TIFF bytes.
    pub fn tiff(self) -> Vec<u8> {
        let Exif { mut main, exif, gps, thumbnail } = self;
        // The pointers' values do not change the main IFD's size, so lay out first, then patch.
        let has_exif = !exif.0.is_empty();
        let has_gps = !gps.0.is_empty();
        if has_exif {
            main = main.long(0x8769, 0);
        }
        if has_gps {
            main = main.long(0x8825, 0);
        }
        let main_at = 8;
        let exif_at = main_at + main.size();
        let gps_at = exif_at + if has_exif { exif.size() } else { 0 };
        let thumb_ifd_at = gps_at + if has_gps { gps.size() } else { 0 };
        for e in &mut main.0 {
            match e.tag {
                0x8769 => e.data = (exif_at as u32).to_be_bytes().to_vec(),
                0x8825 => e.data = (gps_at as u32).to_be_bytes().to_vec(),
                _ => {}
            }
        }
        let thumb_ifd = thumbnail.as_ref().map(|t| {
            let ifd = Ifd::default().long(0x0201, 0).long(0x0202, t.len() as u32);
            let data_at = thumb_ifd_at + ifd.size();
            Ifd::default().long(0x0201, data_at as u32).long(0x0202, t.len() as u32)
        });
        let mut out = b"MM\0\x2A\0\0\0\x08".to_vec();
        main.write(&mut out, main_at, if thumb_ifd.is_some() { thumb_ifd_at as u32 } else { 0 });
        if has_exif {
            exif.write(&mut out, exif_at, 0);
        }
        if has_gps {
            gps.write(&mut out, gps_at, 0);
        }
        if let (Some(ifd), Some(t)) = (thumb_ifd, thumbnail) {
            ifd.write(&mut out, thumb_ifd_at, 0);
            out.extend_from_slice(&t);
        }
        out
    }
}

/// A `width`×`height` RGB test pattern: smooth gradients, so JPEG keeps it close.
pub fn pattern(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| Rgb([(x * 255 / width) as u8, (y * 255 / height) as u8, 128]))
}

/// The pattern as a JPEG (quality 95).
pub fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 95)
        .encode_image(&pattern(width, height))
        .unwrap();
    out
}

/// The pattern as a PNG.
pub fn png(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let picture = pattern(width, height);
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(picture.as_raw(), width, height, image::ExtendedColorType::Rgb8)
        .unwrap();
    out
}

/// `jpeg` with `segments` (marker, payload) inserted right after the start-of-image marker.
pub fn with_segments(jpeg: &[u8], segments: &[(u8, Vec<u8>)]) -> Vec<u8> {
    let mut out = jpeg[..2].to_vec();
    for (marker, payload) in segments {
        out.extend_from_slice(&[0xFF, *marker]);
        out.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
        out.extend_from_slice(payload);
    }
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// An EXIF APP1 segment.
pub fn exif_segment(exif: Exif) -> (u8, Vec<u8>) {
    (0xE1, [b"Exif\0\0".as_slice(), &exif.tiff()].concat())
}

/// An XMP APP1 segment around `rdf` (the content of one rdf:Description).
pub fn xmp_segment(rdf: &str) -> (u8, Vec<u8>) {
    (0xE1, [b"http://ns.adobe.com/xap/1.0/\0".as_slice(), xmp_packet(rdf).as_bytes()].concat())
}

/// A whole XMP packet around the content of one rdf:Description.
pub fn xmp_packet(rdf: &str) -> String {
    format!(
        r#"<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/">{rdf}</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>"#
    )
}

/// A Photoshop APP13 segment holding IPTC datasets (record 2).
pub fn iptc_segment(datasets: &[(u8, &str)]) -> (u8, Vec<u8>) {
    let mut iptc = Vec::new();
    for (dataset, value) in datasets {
        iptc.extend_from_slice(&[0x1C, 2, *dataset]);
        iptc.extend_from_slice(&(value.len() as u16).to_be_bytes());
        iptc.extend_from_slice(value.as_bytes());
    }
    let mut payload = b"Photoshop 3.0\08BIM\x04\x04\0\0".to_vec();
    payload.extend_from_slice(&(iptc.len() as u32).to_be_bytes());
    payload.extend_from_slice(&iptc);
    if iptc.len() % 2 == 1 {
        payload.push(0);
    }
    (0xED, payload)
}

/// `png` with `chunks` (type, data) inserted right after IHDR, each with its CRC.
pub fn with_chunks(png: &[u8], chunks: &[(&[u8; 4], Vec<u8>)]) -> Vec<u8> {
    let ihdr_end = 8 + 8 + 13 + 4;
    let mut out = png[..ihdr_end].to_vec();
    for (kind, data) in chunks {
        out.extend_from_slice(&chunk(kind, data));
    }
    out.extend_from_slice(&png[ihdr_end..]);
    out
}

/// One PNG chunk with its CRC.
pub fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = (data.len() as u32).to_be_bytes().to_vec();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    out.extend_from_slice(&crc32(&out[4..]).to_be_bytes());
    out
}

/// CRC-32 (ISO 3309, as PNG uses it), bit by bit.
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// `data` in zlib format with one stored (uncompressed) deflate block.
pub fn zlib_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x78, 0x01, 0x01];
    let len = data.len() as u16;
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&(!len).to_le_bytes());
    out.extend_from_slice(data);
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in data {
        a = (a + u32::from(byte)) % 65521;
        b = (b + a) % 65521;
    }
    out.extend_from_slice(&((b << 16) | a).to_be_bytes());
    out
}

/// Exif GPS coordinates for `degrees` as (degrees, minutes, seconds × 100) rationals.
pub fn dms(degrees: f64) -> [(u32, u32); 3] {
    let d = degrees.trunc();
    let minutes = (degrees - d) * 60.0;
    let m = minutes.trunc();
    let seconds = (minutes - m) * 60.0;
    [(d as u32, 1), (m as u32, 1), ((seconds * 100.0).round() as u32, 100)]
}

/// The EXIF a phone or camera writes: who, what device, when, where, and a thumbnail.
pub fn camera_exif() -> Exif {
    Exif {
        main: Ifd::default()
            .ascii(0x010E, "Site survey, building 3")
            .ascii(0x010F, "Canon")
            .ascii(0x0110, "Canon EOS 5D Mark IV")
            .ascii(0x0131, "Adobe Photoshop 25.0")
            .ascii(0x0132, "2026:11:29 10:11:12")
            .ascii(0x013B, "张三")
            .ascii(0x8298, "Example Survey Bureau")
            .bytes(
                0x9C9D,
                &"李四".encode_utf16().flat_map(u16::to_le_bytes).chain([0, 0]).collect::<Vec<u8>>(),
            ),
        exif: Ifd::default()
            .ascii(0x9003, "2026:11:29 10:11:12")
            .undefined(0x9286, b"ASCII\0\0\0taken at the north gate")
            .ascii(0xA431, "032021001234")
            .ascii(0xA435, "0000c0ffee"),
        gps: Ifd::default()
            .bytes(0x0000, &[2, 3, 0, 0])
            .ascii(0x0001, "N")
            .rational(0x0002, &dms(39.9042))
            .ascii(0x0003, "E")
            .rational(0x0004, &dms(116.4074))
            .bytes(0x0005, &[0])
            .rational(0x0006, &[(43, 1)])
            .ascii(0x001D, "2026:11:29"),
        thumbnail: Some(jpeg(16, 12)),
    }
}

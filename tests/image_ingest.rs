//! Reading photos: every metadata block a reader of the published picture could extract is a
//! hidden item, with the GPS position in forms coordinate rules match; broken pictures are
//! refused with one clear error.

use vetted_core::{ErrorKind, Layout, Limits, ingest};

use crate::photo_builder::{
    Exif, Ifd, camera_exif, exif_segment, iptc_segment, jpeg, png, with_chunks, with_segments, xmp_packet,
    xmp_segment, zlib_stored,
};
use crate::util::{data, run, stderr};

/// The hidden items of a picture as (kind, label, text).
fn hidden(bytes: &[u8]) -> Vec<(String, String, String)> {
    let document = ingest::read(bytes, None, &Limits::default()).expect("the picture reads");
    assert_eq!(document.visible_text(), "", "a picture has no visible text");
    document
        .hidden_items()
        .iter()
        .map(|i| (i.kind.as_str().to_string(), i.label.clone(), i.text.clone()))
        .collect()
}

fn check(bytes: &[u8], expected: &[(&str, &str, &str)]) {
    let got = hidden(bytes);
    let expected: Vec<(String, String, String)> =
        expected.iter().map(|(k, l, t)| (k.to_string(), l.to_string(), t.to_string())).collect();
    if got != expected {
        panic!("hidden items differ\nexpected:\n{}\ngot:\n{}", show(&expected), show(&got));
    }
}

fn show(items: &[(String, String, String)]) -> String {
    items.iter().map(|(k, l, t)| format!("  ({k:?}, {l:?}, {t:?}),\n")).collect()
}

const REVIEW: (&str, &str, &str) =
    ("review_by_eye", "picture content", "the picture itself may show a restricted area: review it by eye");

#[test]
fn a_plain_picture_is_only_to_be_reviewed_by_eye() {
    check(&jpeg(8, 8), &[REVIEW]);
    check(&png(8, 8), &[REVIEW]);
}

#[test]
fn camera_exif_gives_position_device_serials_people_times_and_thumbnail() {
    let photo = with_segments(&jpeg(32, 24), &[exif_segment(camera_exif())]);
    let thumbnail = format!("EXIF thumbnail ({} bytes JPEG)", jpeg(16, 12).len());
    check(
        &photo,
        &[
            (
                "gps_position",
                "EXIF GPS position",
                "GPS 39.904200 N, 116.407400 E, altitude 43 m (39°54′15.12″N 116°24′26.64″E)",
            ),
            ("image_metadata", "EXIF ImageDescription", "Site survey, building 3"),
            ("image_metadata", "EXIF Make", "Canon"),
            ("image_metadata", "EXIF Model", "Canon EOS 5D Mark IV"),
            ("image_metadata", "EXIF Software", "Adobe Photoshop 25.0"),
            ("image_metadata", "EXIF DateTime", "2026:11:29 10:11:12"),
            ("image_metadata", "EXIF Artist", "张三"),
            ("image_metadata", "EXIF Copyright", "Example Survey Bureau"),
            ("image_metadata", "EXIF DateTimeOriginal", "2026:11:29 10:11:12"),
            ("image_metadata", "EXIF UserComment", "taken at the north gate"),
            ("image_metadata", "EXIF BodySerialNumber", "032021001234"),
            ("image_metadata", "EXIF LensSerialNumber", "0000c0ffee"),
            ("gps_position", "EXIF GPSDateStamp", "2026:11:29"),
            ("image_metadata", "EXIF XPAuthor", "李四"),
            ("thumbnail", &thumbnail, ""),
            REVIEW,
        ],
    );
}

#[test]
fn southern_and_western_positions_below_sea_level_keep_their_signs() {
    let exif = Exif {
        gps: Ifd::default()
            .ascii(0x0001, "S")
            .rational(0x0002, &[(33, 1), (52, 1), (4, 1)])
            .ascii(0x0003, "W")
            .rational(0x0004, &[(70, 1), (30, 1), (0, 1)])
            .bytes(0x0005, &[1])
            .rational(0x0006, &[(125, 10)]),
        ..Exif::default()
    };
    check(
        &with_segments(&jpeg(8, 8), &[exif_segment(exif)]),
        &[
            (
                "gps_position",
                "EXIF GPS position",
                "GPS 33.867778 S, 70.500000 W, altitude -12.5 m (33°52′4.00″S 70°30′0.00″W)",
            ),
            REVIEW,
        ],
    );
}

#[test]
fn xmp_iptc_and_comments_in_a_jpeg_are_reported_by_block() {
    let photo = with_segments(
        &jpeg(8, 8),
        &[
            xmp_segment(
                r#"<dc:creator><rdf:Seq><rdf:li>王五</rdf:li></rdf:Seq></dc:creator><photoshop:City>北京</photoshop:City>"#,
            ),
            iptc_segment(&[(80, "Zhao Liu"), (120, "军事管理区 north fence")]),
            (0xFE, "内部资料 do not publish".as_bytes().to_vec()),
        ],
    );
    check(
        &photo,
        &[
            ("image_metadata", "XMP dc:creator", "王五"),
            ("image_metadata", "XMP photoshop:City", "北京"),
            ("image_metadata", "IPTC By-line", "Zhao Liu"),
            ("image_metadata", "IPTC Caption-Abstract", "军事管理区 north fence"),
            ("image_metadata", "JPEG comment (byte 554)", "内部资料 do not publish"),
            REVIEW,
        ],
    );
}

#[test]
fn photoshop_keeps_copies_of_xmp_and_named_resources_that_are_reported_too() {
    let xmp = xmp_packet("<dc:creator>Wang Wu</dc:creator>");
    let mut resources = b"Photoshop 3.0\0".to_vec();
    for (id, data) in [(0x0424u16, xmp.as_bytes()), (0x041A, b"\0\0slice: north gate camera".as_slice())] {
        resources.extend_from_slice(b"8BIM");
        resources.extend_from_slice(&id.to_be_bytes());
        resources.extend_from_slice(&[0, 0]);
        resources.extend_from_slice(&(data.len() as u32).to_be_bytes());
        resources.extend_from_slice(data);
        if data.len() % 2 == 1 {
            resources.push(0);
        }
    }
    check(
        &with_segments(&jpeg(8, 8), &[(0xED, resources)]),
        &[
            ("image_metadata", "XMP dc:creator", "Wang Wu"),
            ("image_metadata", "Photoshop resource 0x041A (26 bytes)", "slice: north gate camera"),
            REVIEW,
        ],
    );
}

#[test]
fn unknown_jpeg_segments_and_trailing_bytes_show_their_readable_strings() {
    let mut photo = with_segments(&jpeg(8, 8), &[(0xEC, b"Ducky\x00\x01owner: Wang Wu\x00".to_vec())]);
    photo.extend_from_slice(b"PK\x03\x04secret-plan.docx");
    let items = hidden(&photo);
    assert_eq!(items[0].0, "image_metadata");
    assert!(items[0].1.starts_with("JPEG APP12 segment at byte 2"), "{:?}", items[0]);
    assert_eq!(items[0].2, "Ducky owner: Wang Wu");
    assert_eq!(
        items[1],
        (
            "embedded_object".into(),
            "20 bytes after the end-of-image marker, ignored by viewers".into(),
            "secret-plan.docx".into()
        )
    );
}

#[test]
fn png_text_chunks_exif_time_and_xmp_are_reported_by_chunk() {
    let photo = with_chunks(
        &png(8, 8),
        &[
            (b"tEXt", b"Author\0Zhang San".to_vec()),
            (b"zTXt", [b"Comment\0\0".as_slice(), &zlib_stored("涉密 survey".as_bytes())].concat()),
            (b"iTXt", [b"Title\0\0\0zh\0\xe6\xa0\x87\xe9\xa2\x98\0".as_slice(), "北门".as_bytes()].concat()),
            (
                b"iTXt",
                [
                    b"XML:com.adobe.xmp\0\0\0\0\0".as_slice(),
                    xmp_packet("<dc:creator>Li Si</dc:creator>").as_bytes(),
                ]
                .concat(),
            ),
            (b"eXIf", Exif { main: Ifd::default().ascii(0x013B, "Wang Wu"), ..Exif::default() }.tiff()),
            (b"tIME", vec![0x07, 0xEA, 11, 29, 10, 11, 12]),
            (b"prVt", b"\x00\x01private note".to_vec()),
        ],
    );
    check(
        &photo,
        &[
            ("image_metadata", "PNG tEXt Author", "Zhang San"),
            ("image_metadata", "PNG zTXt Comment", "涉密 survey"),
            ("image_metadata", "PNG iTXt Title", "标题: 北门"),
            ("image_metadata", "XMP dc:creator", "Li Si"),
            ("image_metadata", "EXIF Artist", "Wang Wu"),
            ("image_metadata", "PNG tIME (last modified)", "2026-11-29 10:11:12"),
            ("image_metadata", "PNG chunk prVt at byte 608 (14 bytes)", "private note"),
            REVIEW,
        ],
    );
}

#[test]
fn a_bad_crc_on_an_ancillary_png_chunk_is_tolerated_and_its_text_still_reported() {
    let mut photo = with_chunks(&png(8, 8), &[(b"tEXt", b"Author\0Zhang San".to_vec())]);
    let crc_at = 8 + 25 + 8 + 16;
    photo[crc_at] ^= 0xFF;
    check(&photo, &[("image_metadata", "PNG tEXt Author", "Zhang San"), REVIEW]);
}

#[test]
fn the_layout_is_the_displayed_size_turned_by_the_exif_orientation() {
    let check_layout = |orientation: u16, expected: (u32, u32)| {
        let exif = Exif { main: Ifd::default().short(0x0112, orientation), ..Exif::default() };
        let photo = with_segments(&jpeg(32, 24), &[exif_segment(exif)]);
        let document = ingest::read(&photo, None, &Limits::default()).unwrap();
        assert_eq!(
            document.layout(),
            &Layout::Image { width: expected.0, height: expected.1 },
            "orientation {orientation}"
        );
    };
    check_layout(1, (32, 24));
    check_layout(3, (32, 24));
    check_layout(6, (24, 32));
    check_layout(8, (24, 32));
}

/// Reads `bytes` and returns the error's kind and message.
fn error(bytes: &[u8], limits: &Limits) -> (ErrorKind, String) {
    let err = ingest::read(bytes, None, limits).expect_err("the picture is refused");
    (err.kind(), err.message().to_string())
}

fn check_error(bytes: &[u8], kind: ErrorKind, message: &str) {
    let (got_kind, got) = error(bytes, &Limits::default());
    assert_eq!(got_kind, kind, "{got}");
    assert!(got.contains(message), "expected {message:?} in {got:?}");
}

#[test]
fn broken_pictures_are_refused_with_one_clear_error() {
    let photo = jpeg(16, 16);
    check_error(&photo[..photo.len() / 2], ErrorKind::Malformed, "truncated JPEG");
    check_error(&photo[..photo.len() - 2], ErrorKind::Malformed, "truncated JPEG");
    let picture = png(16, 16);
    check_error(&picture[..picture.len() - 6], ErrorKind::Malformed, "truncated PNG");
    check_error(&picture[..40], ErrorKind::Malformed, "truncated PNG");
    // Random bytes after the JPEG magic.
    let mut random = vec![0xFF, 0xD8, 0xFF];
    let mut seed = 0x2545_F491_u32;
    random.extend((0..4096).map(|_| {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        seed as u8
    }));
    check_error(&random, ErrorKind::Malformed, "JPEG");
}

#[test]
fn a_bad_crc_on_a_critical_png_chunk_is_an_error_as_in_libpng() {
    let mut picture = png(16, 16);
    let last_idat_byte = picture.len() - 12 - 5;
    picture[last_idat_byte] ^= 0x55;
    check_error(&picture, ErrorKind::Malformed, "chunk IDAT at byte");
}

#[test]
fn a_header_declaring_more_pixels_than_the_limit_is_refused_before_decoding() {
    let limits = Limits { max_image_pixels: 100, ..Limits::default() };
    assert_eq!(error(&jpeg(11, 10), &limits).0, ErrorKind::LimitExceeded);
    assert_eq!(error(&png(11, 10), &limits).0, ErrorKind::LimitExceeded);
    assert!(ingest::read(&png(10, 10), None, &limits).is_ok());
}

#[test]
fn an_exif_ifd_that_points_back_to_itself_is_refused() {
    // IFD0 at offset 8 with one entry and a next-IFD pointer back to 8.
    let mut tiff = b"MM\0\x2A\0\0\0\x08".to_vec();
    tiff.extend_from_slice(&[0, 1, 0x01, 0x0F, 0, 2, 0, 0, 0, 2, b'X', 0, 0, 0]);
    tiff.extend_from_slice(&8u32.to_be_bytes());
    let photo = with_segments(&jpeg(8, 8), &[(0xE1, [b"Exif\0\0".as_slice(), &tiff].concat())]);
    check_error(&photo, ErrorKind::Hostile, "the EXIF block is built to loop: Already visited IFD detected");
    let picture = with_chunks(&png(8, 8), &[(b"eXIf", tiff)]);
    check_error(&picture, ErrorKind::Hostile, "the EXIF block is built to loop");
}

#[test]
fn a_damaged_exif_block_is_read_as_far_as_it_goes_and_its_strings_reported() {
    // IFD0: an ImageDescription whose 100 bytes would lie past the block, then Artist "Wu".
    let mut tiff = b"MM\0\x2A\0\0\0\x08\0\x02".to_vec();
    tiff.extend_from_slice(&[0x01, 0x0E, 0, 2, 0, 0, 0, 100, 0, 0, 0xFF, 0xFF]);
    tiff.extend_from_slice(&[0x01, 0x3B, 0, 2, 0, 0, 0, 3, b'W', b'u', 0, 0]);
    tiff.extend_from_slice(&[0, 0, 0, 0]);
    tiff.extend_from_slice(b"note: camera of Zhang San");
    check(
        &with_segments(&jpeg(8, 8), &[(0xE1, [b"Exif\0\0".as_slice(), &tiff].concat())]),
        &[
            ("image_metadata", "EXIF Artist", "Wu"),
            (
                "image_metadata",
                "EXIF block partly unreadable (Truncated field value)",
                "note: camera of Zhang San",
            ),
            REVIEW,
        ],
    );
    // A block that is not TIFF at all is reported by its strings alone.
    check(
        &with_chunks(&png(8, 8), &[(b"eXIf", b"JUNK not a tiff block".to_vec())]),
        &[
            ("image_metadata", "EXIF block unreadable (Invalid TIFF byte order)", "JUNK not a tiff block"),
            REVIEW,
        ],
    );
}

#[test]
fn a_zip_bomb_in_a_png_text_chunk_is_refused() {
    let limits = Limits { max_part_bytes: 10, ..Limits::default() };
    let picture = with_chunks(
        &png(8, 8),
        &[(b"zTXt", [b"Comment\0\0".as_slice(), &zlib_stored(&[b'a'; 100])].concat())],
    );
    assert_eq!(error(&picture, &limits).0, ErrorKind::LimitExceeded);
}

#[test]
fn a_picture_flooded_with_metadata_chunks_is_refused() {
    let flood: Vec<(&[u8; 4], Vec<u8>)> = (0..10_002).map(|_| (b"tEXt", b"k\0v".to_vec())).collect();
    let (kind, message) = error(&with_chunks(&png(8, 8), &flood), &Limits::default());
    assert_eq!(kind, ErrorKind::LimitExceeded);
    assert!(message.contains("more than 10000 metadata blocks"), "{message}");
}

#[test]
fn vetted_scan_names_a_broken_photo_in_one_line_and_exits_one() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.jpg");
    let photo = jpeg(16, 16);
    std::fs::write(&file, &photo[..photo.len() / 2]).unwrap();
    let out = run(&["scan", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("bad.jpg") && err.contains("truncated JPEG"), "{err}");
}

#[test]
fn vetted_scan_reads_a_photo_as_jpeg() {
    let out = run(&["scan", "--json", data("photo.jpg").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["format"], "jpeg");
}

/// What `exiftool -json -n` reads from a committed fixture.
fn exiftool_json(name: &str) -> serde_json::Value {
    let out = std::process::Command::new("exiftool")
        .args(["-json", "-n"])
        .arg(data(name))
        .output()
        .expect("exiftool is installed (scripts/setup-system.sh: libimage-exiftool-perl)");
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    json[0].clone()
}

/// `exiftool -json -n` on a committed photo (metadata written by exiftool itself, see
/// `tests/data/make_photo.sh`) agrees with what Vetted reports: the GPS decimal values, and
/// each exiftool tag in `pairs` equals the text of the item whose label starts as given.
fn check_against_exiftool(name: &str, pairs: &[(&str, &str)]) {
    let tags = exiftool_json(name);
    let items = hidden(&std::fs::read(data(name)).unwrap());
    let text_of = |label: &str| {
        items
            .iter()
            .find(|(_, l, _)| l.starts_with(label))
            .map(|(_, _, t)| t.clone())
            .unwrap_or_else(|| panic!("no {label} in {items:?}"))
    };
    let gps = text_of("EXIF GPS position");
    let expected = format!(
        "GPS {:.6} N, {:.6} E",
        tags["GPSLatitude"].as_f64().unwrap(),
        tags["GPSLongitude"].as_f64().unwrap()
    );
    assert!(gps.starts_with(&expected), "{gps:?} does not start with {expected:?}");
    for (tag, label) in pairs {
        assert_eq!(tags[tag].as_str().map(str::to_string), Some(text_of(label)), "{tag}");
    }
}

#[test]
fn exiftool_agrees_with_our_reading_of_a_jpeg_it_wrote() {
    check_against_exiftool(
        "photo.jpg",
        &[
            ("Artist", "EXIF Artist"),
            ("SerialNumber", "EXIF BodySerialNumber"),
            ("LensSerialNumber", "EXIF LensSerialNumber"),
            ("Make", "EXIF Make"),
            ("Model", "EXIF Model"),
            ("Copyright", "EXIF Copyright"),
            ("DateTimeOriginal", "EXIF DateTimeOriginal"),
            ("Comment", "JPEG comment"),
            ("Creator", "XMP dc:creator"),
            ("City", "XMP photoshop:City"),
        ],
    );
    let items = hidden(&std::fs::read(data("photo.jpg")).unwrap());
    let tags = exiftool_json("photo.jpg");
    assert!(items.iter().any(|(kind, ..)| kind == "thumbnail"), "{items:?}");
    assert!(tags["ThumbnailLength"].as_u64().unwrap() > 0);
    let icc = items.iter().find(|(_, label, _)| label == "ICC colour profile").expect("an ICC item");
    let expected = format!(
        "description: {}; copyright: {}",
        tags["ProfileDescription"].as_str().unwrap(),
        tags["ProfileCopyright"].as_str().unwrap()
    );
    assert_eq!(icc.2, expected);
}

#[test]
fn exiftool_agrees_with_our_reading_of_a_png_it_wrote() {
    check_against_exiftool(
        "photo.png",
        &[
            ("Author", "PNG tEXt Author"),
            ("Description", "PNG zTXt Description"),
            ("Artist", "EXIF Artist"),
            ("SerialNumber", "EXIF BodySerialNumber"),
            ("Model", "EXIF Model"),
            ("Creator", "XMP dc:creator"),
            ("City", "XMP photoshop:City"),
        ],
    );
}

#[test]
fn imagemagick_raw_profiles_in_png_text_are_decoded_like_the_blocks_they_hold() {
    let exif = Exif { main: Ifd::default().ascii(0x013B, "Zhang San"), ..Exif::default() };
    let bytes = [b"Exif\0\0".as_slice(), &exif.tiff()].concat();
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let lines: Vec<&str> = hex.as_bytes().chunks(72).map(|c| std::str::from_utf8(c).unwrap()).collect();
    let value = format!("\nexif\n{:8}\n{}\n", bytes.len(), lines.join("\n"));
    let chunk = [b"Raw profile type exif\0\0".as_slice(), &zlib_stored(value.as_bytes())].concat();
    check(
        &with_chunks(&png(8, 8), &[(b"zTXt", chunk)]),
        &[("image_metadata", "EXIF Artist", "Zhang San"), REVIEW],
    );
}

//! Redacting photos: every metadata block gone (checked by exiftool, not by us), the pixels of
//! an export without areas identical to the original's, areas filled with opaque black, the
//! orientation honoured, and the same bytes for the same input and plan.

use image::{DynamicImage, RgbaImage};
use vetted_core::{ErrorKind, Export, Format, Limits, PlannedArea, Rect, RedactionPlan, redact};

use crate::photo_builder::{
    Exif, Ifd, camera_exif, chunk, exif_segment, iptc_segment, jpeg, png, with_chunks, with_segments,
    xmp_packet, xmp_segment, zlib_stored,
};
use crate::util::data;

/// A JPEG carrying every kind of metadata the reader knows.
fn loaded_jpeg() -> Vec<u8> {
    let mut photo = with_segments(
        &jpeg(64, 48),
        &[
            exif_segment(camera_exif()),
            xmp_segment("<dc:creator>王五</dc:creator><photoshop:City>北京</photoshop:City>"),
            (0xE2, b"ICC_PROFILE\0\x01\x01Example Lab calibration".to_vec()),
            iptc_segment(&[(80, "Zhao Liu")]),
            (0xEC, b"Ducky\0owner Wang Wu".to_vec()),
            (0xFE, b"do not publish".to_vec()),
        ],
    );
    photo.extend_from_slice(b"appended secret");
    photo
}

/// A PNG carrying every kind of metadata the reader knows.
fn loaded_png() -> Vec<u8> {
    let mut picture = with_chunks(
        &png(64, 48),
        &[
            (b"tEXt", b"Author\0Zhang San".to_vec()),
            (b"zTXt", [b"Comment\0\0".as_slice(), &zlib_stored(b"north gate")].concat()),
            (
                b"iTXt",
                [
                    b"XML:com.adobe.xmp\0\0\0\0\0".as_slice(),
                    xmp_packet("<dc:creator>Li Si</dc:creator>").as_bytes(),
                ]
                .concat(),
            ),
            (b"eXIf", camera_exif().tiff()),
            (b"tIME", vec![0x07, 0xEA, 11, 29, 10, 11, 12]),
            (b"iCCP", b"Example Lab\0\0\x78\x01\x03\0\0\0\0\x01".to_vec()),
            (b"prVt", b"private note".to_vec()),
        ],
    );
    picture.extend_from_slice(b"appended secret");
    picture
}

fn plan(areas: &[(f32, f32, f32, f32)]) -> RedactionPlan {
    RedactionPlan {
        areas: areas
            .iter()
            .map(|&(x, y, width, height)| PlannedArea {
                page: 1,
                rect: Rect { x, y, width, height },
                reason: "restricted_area".into(),
            })
            .collect(),
        ..RedactionPlan::default()
    }
}

fn export(bytes: &[u8], format: Format, plan: &RedactionPlan) -> Export {
    redact(bytes, format, plan, &Limits::default()).expect("the redaction succeeds and verifies")
}

/// What exiftool finds in `bytes`, as "Group:Tag" names (`exiftool -json -a -G1`).
fn exiftool_tags(bytes: &[u8], extension: &str) -> Vec<(String, serde_json::Value)> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(format!("export.{extension}"));
    std::fs::write(&file, bytes).unwrap();
    let out = std::process::Command::new("exiftool")
        .args(["-json", "-a", "-G1", "-n"])
        .arg(&file)
        .output()
        .expect("exiftool is installed (scripts/setup-system.sh: libimage-exiftool-perl)");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    json[0].as_object().unwrap().iter().map(|(k, v)| (k.clone(), v.clone())).collect()
}

/// The tags a sanitized picture may still show: the file system's view, the picture's
/// geometry and colour coding, and (when `orientation`) the one orientation tag we write.
fn allowed(tag: &str, orientation: bool) -> bool {
    let (group, name) = tag.split_once(':').unwrap_or(("", tag));
    match group {
        "" | "ExifTool" | "System" => true,
        "File" => name != "Comment",
        "JFIF" => !name.contains("Thumbnail"),
        "Composite" => matches!(name, "ImageSize" | "Megapixels"),
        "IFD0" => orientation && name == "Orientation",
        "PNG" => matches!(
            name,
            "ImageWidth"
                | "ImageHeight"
                | "BitDepth"
                | "ColorType"
                | "Compression"
                | "Filter"
                | "Interlace"
                | "Palette"
                | "Transparency"
        ),
        _ => false,
    }
}

/// Asserts that exiftool finds no metadata in `bytes` beyond what [`allowed`] lets through.
fn assert_clean(bytes: &[u8], extension: &str, orientation: bool) {
    let tags = exiftool_tags(bytes, extension);
    let leaked: Vec<String> =
        tags.iter().filter(|(k, _)| !allowed(k, orientation)).map(|(k, v)| format!("{k} = {v}")).collect();
    assert!(leaked.is_empty(), "exiftool still finds:\n{}", leaked.join("\n"));
    // Every identifying value the test pictures carry: none may be left, for exiftool or in
    // the bytes.
    let all = format!("{tags:?}");
    let secrets = [
        "Zhang San",
        "Wang Wu",
        "王五",
        "Li Si",
        "032021001234",
        "F2LXK1234567",
        "LS9300002468",
        "do not publish",
        "north gate",
        "appended secret",
        "Example Lab",
        "Beijing",
        "Shanghai",
    ];
    for secret in secrets {
        assert!(!all.contains(secret), "{secret:?} in {all}");
        let secret = secret.as_bytes();
        assert!(
            !bytes.windows(secret.len()).any(|w| w == secret),
            "{:?} in the bytes",
            String::from_utf8_lossy(secret)
        );
    }
}

fn decoded(bytes: &[u8]) -> RgbaImage {
    image::load_from_memory(bytes).expect("the export decodes").to_rgba8()
}

#[test]
fn the_loaded_pictures_really_carry_what_exiftool_must_not_find_later() {
    // Guards the tests below: each check of a clean export starts from a dirty original.
    let jpeg_tags = format!("{:?}", exiftool_tags(&loaded_jpeg(), "jpg"));
    for tag in [
        "GPS:GPSLatitude",
        "ExifIFD:SerialNumber",
        "XMP-dc:Creator",
        "File:Comment",
        "IFD1:ThumbnailImage",
        "IPTC:By-line",
        "ICC_Profile",
    ] {
        assert!(jpeg_tags.contains(tag), "{tag} not in {jpeg_tags}");
    }
    let png_tags = format!("{:?}", exiftool_tags(&loaded_png(), "png"));
    for tag in ["PNG:Author", "GPS:GPSLatitude", "XMP-dc:Creator", "PNG:ModifyDate", "PNG:ProfileName"] {
        assert!(png_tags.contains(tag), "{tag} not in {png_tags}");
    }
}

#[test]
fn a_jpeg_export_without_areas_has_no_metadata_and_the_same_pixels() {
    let original = loaded_jpeg();
    let export = export(&original, Format::Jpeg, &RedactionPlan::default());
    assert_clean(&export.bytes, "jpg", false);
    assert_eq!(decoded(&export.bytes), decoded(&original), "pixels changed");
    let removed: Vec<&str> = export.report.removed.iter().map(|r| r.kind.as_str()).collect();
    for kind in ["gps_position", "image_metadata", "thumbnail", "embedded_object"] {
        assert!(removed.contains(&kind), "{kind} not in {removed:?}");
    }
}

#[test]
fn a_png_export_without_areas_has_no_metadata_and_the_same_pixels() {
    let original = loaded_png();
    let export = export(&original, Format::Png, &RedactionPlan::default());
    assert_clean(&export.bytes, "png", false);
    assert_eq!(decoded(&export.bytes), decoded(&original), "pixels changed");
}

#[test]
fn the_exiftool_made_photo_is_cleaned_with_its_pixels_untouched() {
    let original = std::fs::read(data("photo.jpg")).unwrap();
    let export = export(&original, Format::Jpeg, &RedactionPlan::default());
    assert_clean(&export.bytes, "jpg", false);
    assert_eq!(decoded(&export.bytes), decoded(&original));
}

#[test]
fn the_exiftool_made_png_is_cleaned_with_its_pixels_untouched() {
    let original = std::fs::read(data("photo.png")).unwrap();
    let export = export(&original, Format::Png, &RedactionPlan::default());
    assert_clean(&export.bytes, "png", false);
    assert_eq!(decoded(&export.bytes), decoded(&original));
}

#[test]
fn png_rendering_chunks_are_kept_because_they_change_the_pixels() {
    // A palette PNG whose transparency lives in tRNS: dropping it would make the picture opaque.
    let mut original = b"\x89PNG\r\n\x1a\n".to_vec();
    original.extend(chunk(b"IHDR", &[0, 0, 0, 2, 0, 0, 0, 1, 8, 3, 0, 0, 0]));
    original.extend(chunk(b"PLTE", &[255, 0, 0, 0, 0, 255]));
    original.extend(chunk(b"tRNS", &[0]));
    original.extend(chunk(b"tEXt", b"Author\0Zhang San"));
    original.extend(chunk(b"IDAT", &zlib_stored(&[0, 0, 1])));
    original.extend(chunk(b"IEND", &[]));
    let export = export(&original, Format::Png, &RedactionPlan::default());
    assert_clean(&export.bytes, "png", false);
    let pixels = decoded(&export.bytes);
    assert_eq!(pixels.as_raw(), &[255, 0, 0, 0, 0, 0, 255, 255]);
}

/// Checks an area export against the original, both as shown (`upright`): black (within
/// `tolerance`) inside the filled box shrunk by `inner`, unchanged (within `tolerance`) at
/// least `outer` pixels away from it. The margins leave room for JPEG's 8×8 blocks.
fn check_area(
    upright: &RgbaImage,
    export: &RgbaImage,
    filled: (u32, u32, u32, u32),
    (inner, outer): (u32, u32),
    tolerance: u8,
) {
    assert_eq!(export.dimensions(), upright.dimensions());
    let (x0, y0, x1, y1) = filled;
    let mut checked = (0, 0);
    for (x, y, pixel) in export.enumerate_pixels() {
        let inside = x >= x0 + inner && x + inner < x1 && y >= y0 + inner && y + inner < y1;
        let far = x + outer < x0 || x >= x1 + outer || y + outer < y0 || y >= y1 + outer;
        checked.0 += usize::from(inside);
        checked.1 += usize::from(far);
        if inside {
            assert!(
                pixel.0[..3].iter().all(|&c| c <= tolerance) && pixel.0[3] == 255,
                "({x}, {y}) is {pixel:?}, not black"
            );
        } else if far {
            let before = upright.get_pixel(x, y);
            let close = pixel.0.iter().zip(before.0).all(|(a, b)| a.abs_diff(b) <= tolerance);
            assert!(close, "({x}, {y}) changed from {before:?} to {pixel:?}");
        }
    }
    assert!(checked.0 > 0 && checked.1 > 0, "the check covered {checked:?} pixels inside and far");
}

#[test]
fn a_png_area_is_filled_black_exactly_and_nothing_else_changes() {
    let original = loaded_png();
    // The box's fractional edges widen it to every pixel it touches: x 10..31, y 5..15.
    let export = export(&original, Format::Png, &plan(&[(10.5, 5.0, 20.2, 9.5)]));
    assert_clean(&export.bytes, "png", false);
    check_area(&decoded(&original), &decoded(&export.bytes), (10, 5, 31, 15), (0, 0), 0);
}

#[test]
fn a_jpeg_area_is_filled_black_and_far_pixels_stay_within_tolerance() {
    let original = loaded_jpeg();
    let export = export(&original, Format::Jpeg, &plan(&[(16.0, 8.0, 24.0, 16.0)]));
    assert_clean(&export.bytes, "jpg", false);
    check_area(&decoded(&original), &decoded(&export.bytes), (16, 8, 40, 24), (1, 8), 12);
}

fn with_orientation(picture: Vec<u8>, format: Format, orientation: u16) -> Vec<u8> {
    let exif = Exif {
        main: Ifd::default().short(0x0112, orientation).ascii(0x013B, "Zhang San"),
        ..Exif::default()
    };
    match format {
        Format::Jpeg => with_segments(&picture, &[exif_segment(exif)]),
        _ => with_chunks(&picture, &[(b"eXIf", exif.tiff())]),
    }
}

#[test]
fn an_export_without_areas_keeps_the_orientation_tag_alone_so_the_photo_is_not_shown_sideways() {
    for (format, original, extension) in
        [(Format::Jpeg, jpeg(32, 24), "jpg"), (Format::Png, png(32, 24), "png")]
    {
        let export =
            export(&with_orientation(original.clone(), format, 6), format, &RedactionPlan::default());
        assert_clean(&export.bytes, extension, true);
        let tags = exiftool_tags(&export.bytes, extension);
        assert!(tags.contains(&("IFD0:Orientation".into(), 6.into())), "{format}: {tags:?}");
        assert_eq!(decoded(&export.bytes), decoded(&original), "{format}: pixels changed");
    }
}

#[test]
fn areas_are_drawn_on_the_picture_as_shown_and_the_export_is_upright() {
    // Orientation 6: the stored 32×24 picture is shown turned 90° clockwise, 24×32.
    let original = with_orientation(png(32, 24), Format::Png, 6);
    let export = export(&original, Format::Png, &plan(&[(2.0, 20.0, 6.0, 8.0)]));
    assert_clean(&export.bytes, "png", false);
    let upright = DynamicImage::ImageRgba8(decoded(&original)).rotate90().to_rgba8();
    check_area(&upright, &decoded(&export.bytes), (2, 20, 8, 28), (0, 0), 0);
}

#[test]
fn a_jpeg_area_follows_the_orientation_too() {
    // Orientation 8: the stored 32×24 picture is shown turned 90° counter-clockwise, 24×32.
    let original = with_orientation(jpeg(32, 24), Format::Jpeg, 8);
    let export = export(&original, Format::Jpeg, &plan(&[(8.0, 16.0, 8.0, 8.0)]));
    assert_clean(&export.bytes, "jpg", false);
    let upright = DynamicImage::ImageRgba8(decoded(&original)).rotate270().to_rgba8();
    check_area(&upright, &decoded(&export.bytes), (8, 16, 16, 24), (1, 8), 12);
}

#[test]
fn the_same_picture_and_plan_give_the_same_bytes() {
    for (format, original) in [(Format::Jpeg, loaded_jpeg()), (Format::Png, loaded_png())] {
        for plan in [RedactionPlan::default(), plan(&[(3.0, 4.0, 10.0, 10.0)])] {
            let first = export(&original, format, &plan).bytes;
            let second = export(&original, format, &plan).bytes;
            assert!(first == second, "{format} export differs between two runs");
        }
    }
}

#[test]
fn areas_off_the_picture_or_on_another_page_are_refused() {
    let check = |area: PlannedArea, message: &str| {
        let plan = RedactionPlan { areas: vec![area], ..RedactionPlan::default() };
        let err = redact(&png(16, 16), Format::Png, &plan, &Limits::default()).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
        assert!(err.message().contains(message), "{message:?} not in {:?}", err.message());
    };
    let area = |page, x, y, width, height| PlannedArea {
        page,
        rect: Rect { x, y, width, height },
        reason: "r".into(),
    };
    check(area(2, 0.0, 0.0, 4.0, 4.0), "is on page 2");
    check(area(1, 20.0, 0.0, 4.0, 4.0), "lies outside the picture");
    check(area(1, 0.0, 0.0, -4.0, 4.0), "is not a box");
    check(area(1, f32::NAN, 0.0, 4.0, 4.0), "is not a box");
}

#[test]
fn an_animated_png_is_reported_once_and_exported_as_its_still_picture() {
    let frame_control = |sequence: u32| {
        let mut data = sequence.to_be_bytes().to_vec();
        data.extend([8u32, 8, 0, 0].iter().flat_map(|v| v.to_be_bytes())); // size and offset
        data.extend([0, 1, 0, 10, 0, 0]); // delay 1/10 s, no disposal, no blending
        data
    };
    // acTL and the first fcTL before IDAT (the still picture is frame 1); frame 2 after it.
    let mut original = with_chunks(
        &png(8, 8),
        &[(b"acTL", [2u32.to_be_bytes(), 0u32.to_be_bytes()].concat()), (b"fcTL", frame_control(0))],
    );
    let iend = original.len() - 12;
    let mut frame_two = chunk(b"fcTL", &frame_control(1));
    let rows: Vec<u8> = (0..8).flat_map(|_| std::iter::once(0).chain([0u8; 24])).collect();
    frame_two.extend(chunk(b"fdAT", &[2u32.to_be_bytes().as_slice(), &zlib_stored(&rows)].concat()));
    original.splice(iend..iend, frame_two);

    let document = vetted_core::ingest::read(&original, None, &Limits::default()).unwrap();
    let labels: Vec<&str> = document.hidden_items().iter().map(|i| i.label.as_str()).collect();
    assert_eq!(
        labels,
        ["animated PNG with 2 frames; the export keeps only the still picture", "picture content"]
    );
    let export = export(&original, Format::Png, &RedactionPlan::default());
    assert_clean(&export.bytes, "png", false);
    assert_eq!(decoded(&export.bytes), decoded(&original));
}

#[test]
fn areas_are_filled_opaque_black_in_every_colour_layout() {
    let base = DynamicImage::ImageRgba8(RgbaImage::from_fn(12, 10, |x, y| {
        image::Rgba([(x * 20) as u8, (y * 25) as u8, 200, if x < 6 { 0 } else { 255 }])
    }));
    let layouts = [
        ("grey", DynamicImage::ImageLuma8(base.to_luma8())),
        ("grey+alpha", DynamicImage::ImageLumaA8(base.to_luma_alpha8())),
        ("rgba", base.clone()),
        ("rgb16", DynamicImage::ImageRgb16(base.to_rgb16())),
        ("rgba16", DynamicImage::ImageRgba16(base.to_rgba16())),
    ];
    for (name, picture) in layouts {
        let mut original = Vec::new();
        picture.write_to(&mut std::io::Cursor::new(&mut original), image::ImageFormat::Png).unwrap();
        let export = export(&original, Format::Png, &plan(&[(2.0, 3.0, 6.0, 4.0)]));
        let (before, after) =
            (image::load_from_memory(&original).unwrap(), image::load_from_memory(&export.bytes).unwrap());
        assert_eq!(after.color(), before.color(), "{name}: the colour layout changed");
        check_area(&before.to_rgba8(), &after.to_rgba8(), (2, 3, 8, 7), (0, 0), 0);
    }
    // A grey JPEG stays grey.
    let mut grey = Vec::new();
    DynamicImage::ImageLuma8(base.to_luma8())
        .write_to(&mut std::io::Cursor::new(&mut grey), image::ImageFormat::Jpeg)
        .unwrap();
    let export = export(&grey, Format::Jpeg, &plan(&[(0.0, 0.0, 8.0, 8.0)]));
    let after = image::load_from_memory(&export.bytes).unwrap();
    assert_eq!(after.color(), image::ColorType::L8);
    assert!(
        after.to_luma8().enumerate_pixels().filter(|(x, y, _)| *x < 7 && *y < 7).all(|(.., p)| p.0[0] <= 4)
    );
}

#[test]
fn stray_bytes_between_jpeg_segments_are_reported_and_dropped() {
    let clean = jpeg(16, 16);
    // After the first segment (the encoder's JFIF APP0), where a decoder expects a marker.
    let first_end = 4 + usize::from(u16::from_be_bytes([clean[4], clean[5]]));
    let original = [&clean[..first_end], b"north gate stray note".as_slice(), &clean[first_end..]].concat();
    let document = vetted_core::ingest::read(&original, None, &Limits::default()).unwrap();
    let item = &document.hidden_items()[0];
    assert_eq!(
        (item.label.as_str(), item.text.as_str()),
        (format!("21 stray bytes at byte {first_end}, skipped by viewers").as_str(), "north gate stray note")
    );
    let export = export(&original, Format::Jpeg, &RedactionPlan::default());
    assert_clean(&export.bytes, "jpg", false);
    assert_eq!(
        export.bytes,
        vetted_core::redact(&clean, Format::Jpeg, &RedactionPlan::default(), &Limits::default())
            .unwrap()
            .bytes
    );
    assert_eq!(decoded(&export.bytes), decoded(&original));
}

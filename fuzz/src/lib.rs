//! What every fuzz target checks, as plain functions of the input bytes.
//!
//! The cargo-fuzz targets in `fuzz_targets/` are one-line wrappers around these functions, and
//! the integration test `fuzz_corpus` runs the same functions over the seed corpus and the
//! committed crash inputs (`fuzz/regressions/TARGET/`), so every crash the fuzzer ever found
//! stays a test in `cargo test` without a nightly toolchain. A check panics only on a real bug:
//! a panic inside Vetted, or a broken invariant (a finding outside the text, an export that does
//! not re-read, a redacted string still in the export). Errors are fine: hostile input is
//! supposed to be refused.

use std::sync::OnceLock;

use vetted_core::{
    Format, Limits, MarkStyle, PlannedArea, PlannedRange, Rect, RedactionPlan, RuleSet, ingest, redact, scan,
};

/// The fuzz targets, by name: the name of the cargo-fuzz target, and its check. A check returns
/// whether the input went all the way (read, and for the redactors redacted and re-read), so a
/// test can tell that the seed corpus reaches the interesting code.
pub const TARGETS: &[(&str, fn(&[u8]) -> bool)] = &[
    ("ingest_txt", ingest_txt),
    ("ingest_docx", ingest_docx),
    ("ingest_pdf", ingest_pdf),
    ("ingest_image", ingest_image),
    ("redact_txt", redact_txt),
    ("redact_docx", redact_docx),
    ("redact_pdf", redact_pdf),
    ("redact_image", redact_image),
    ("rule_pack", rule_pack),
];

/// Reads `data` as TXT/Markdown (any encoding the sniffer accepts) and scans it.
pub fn ingest_txt(data: &[u8]) -> bool {
    ingest_and_scan(data, Format::Txt)
}

/// Reads `data` as DOCX and scans it.
pub fn ingest_docx(data: &[u8]) -> bool {
    ingest_and_scan(data, Format::Docx)
}

/// Reads `data` as PDF and scans it.
pub fn ingest_pdf(data: &[u8]) -> bool {
    ingest_and_scan(data, Format::Pdf)
}

/// Reads `data` as PNG (when it has the PNG signature) or JPEG, and scans it.
pub fn ingest_image(data: &[u8]) -> bool {
    ingest_and_scan(data, image_format(data))
}

/// Redacts `data` as TXT with a plan derived from its bytes, then checks the export.
pub fn redact_txt(data: &[u8]) -> bool {
    redact_and_check(data, Format::Txt)
}

/// Redacts `data` as DOCX with a plan derived from its bytes, then checks the export.
pub fn redact_docx(data: &[u8]) -> bool {
    redact_and_check(data, Format::Docx)
}

/// Redacts `data` as PDF with a plan derived from its bytes, then checks the export.
pub fn redact_pdf(data: &[u8]) -> bool {
    redact_and_check(data, Format::Pdf)
}

/// Redacts `data` as PNG or JPEG with a plan derived from its bytes, then checks the export.
pub fn redact_image(data: &[u8]) -> bool {
    redact_and_check(data, image_format(data))
}

/// Parses `data` as a rule pack (the only file of a rule directory) and, when it compiles,
/// scans a short text with it.
pub fn rule_pack(data: &[u8]) -> bool {
    thread_local! {
        // One directory per thread, reused: a fresh temporary directory per input would cost
        // more than the parse. It holds the shipped lexicons, so the shipped packs (the seeds)
        // compile and mutations of them reach the compiler, not just the "no such file" error.
        static DIR: std::path::PathBuf = {
            let dir = std::env::temp_dir().join(format!(
                "vetted-fuzz-rules-{}-{:?}",
                std::process::id(),
                std::thread::current().id()
            ));
            std::fs::create_dir_all(&dir).expect("the temporary directory is writable");
            for (name, text) in LEXICONS {
                std::fs::write(dir.join(name), text).expect("the temporary directory is writable");
            }
            dir
        };
    }
    DIR.with(|dir| {
        std::fs::write(dir.join("fuzz.toml"), data).expect("the temporary directory is writable");
        let Ok(rules) = RuleSet::load_dir(dir) else { return false };
        let text = "机密★10年 95837部队 13800138000 SECRET//NOFORN 北纬39°54′";
        let document =
            ingest::read_as(text.as_bytes(), Format::Txt, &limits()).expect("a constant text reads");
        check_findings(&document, &rules);
        true
    })
}

/// The lexicon files the shipped rule packs name.
const LEXICONS: &[(&str, &str)] = &[
    ("restricted_areas.txt", include_str!("../../assets/rules/restricted_areas.txt")),
    ("public_coordinates.txt", include_str!("../../assets/rules/public_coordinates.txt")),
];

fn limits() -> Limits {
    Limits::default()
}

fn builtin_rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::builtin().expect("the built-in rule packs compile"))
}

fn image_format(data: &[u8]) -> Format {
    if data.starts_with(b"\x89PNG") { Format::Png } else { Format::Jpeg }
}

fn ingest_and_scan(data: &[u8], format: Format) -> bool {
    let Ok(document) = ingest::read_as(data, format, &limits()) else { return false };
    // Reading is a pure function of the bytes.
    let again = ingest::read_as(data, format, &limits()).expect("the second read of the same bytes succeeds");
    assert_eq!(document.text(), again.text(), "the same bytes gave two texts");
    assert_eq!(document.origins().len(), document.char_len(), "one origin per character");
    check_findings(&document, builtin_rules());
    true
}

fn check_findings(document: &vetted_core::Document, rules: &RuleSet) {
    for finding in scan(document, rules) {
        assert!(
            finding.start <= finding.end && finding.end <= document.char_len(),
            "finding {}..{} outside the {} characters",
            finding.start,
            finding.end,
            document.char_len()
        );
    }
}

/// A small deterministic generator (xorshift64*), seeded from the input: the plan is a
/// function of the bytes, so a crash input replays exactly and the seed corpus needs no
/// extra plan bytes.
struct Rng(u64);

impl Rng {
    fn from_bytes(data: &[u8]) -> Rng {
        // FNV-1a, then never zero (xorshift's fixed point).
        let hash = data
            .iter()
            .fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
        Rng(hash | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }
}

fn random_plan(document: &vetted_core::Document, rng: &mut Rng) -> RedactionPlan {
    let len = document.char_len();
    let mut plan = RedactionPlan {
        style: if rng.next() % 4 == 0 { MarkStyle::Label } else { MarkStyle::Blocks },
        ..RedactionPlan::default()
    };
    for _ in 0..rng.below(5) {
        if len == 0 {
            break;
        }
        let start = rng.below(len);
        let end = (start + 1 + rng.below(12)).min(len);
        plan.ranges.push(PlannedRange { start, end, reason: "state_secret".into() });
    }
    if matches!(document.format(), Format::Pdf | Format::Jpeg | Format::Png) {
        for _ in 0..rng.below(3) {
            let rect = Rect {
                x: rng.below(600) as f32,
                y: rng.below(800) as f32,
                width: 1.0 + rng.below(300) as f32,
                height: 1.0 + rng.below(100) as f32,
            };
            plan.areas.push(PlannedArea { page: 1, rect, reason: "state_secret".into() });
        }
    }
    plan
}

fn redact_and_check(data: &[u8], format: Format) -> bool {
    let limits = limits();
    let Ok(document) = ingest::read_as(data, format, &limits) else { return false };
    let plan = random_plan(&document, &mut Rng::from_bytes(data));
    let Ok(export) = redact(data, format, &plan, &limits) else { return false };
    let reread = ingest::read_as(&export.bytes, format, &limits)
        .unwrap_or_else(|e| panic!("the verified export does not re-read: {e}"));
    // Only the visible text is compared: hidden items are removed whole, and the notes a reader
    // adds itself ("page 1 cannot be searched — review it by eye") come back in any export.
    let text = without_labels(reread.visible_text());
    for range in plan.ranges.iter().filter(|r| r.end <= document.visible_char_len()) {
        let secret = document.slice(range.start, range.end);
        if is_checkable(secret, document.text()) {
            assert!(!text.contains(secret), "the redacted {secret:?} survived in the export: {text:?}");
        }
    }
    true
}

/// A redacted string can be looked for in the export when it is specific enough to mean
/// something (three or more characters, no white space, not a mark) and occurs only once in
/// the original: an occurrence elsewhere is legitimately kept.
fn is_checkable(secret: &str, original: &str) -> bool {
    secret.chars().count() >= 3
        && !secret.chars().any(|c| c.is_whitespace() || c == '█' || c.is_control())
        && overlapping_count(original, secret) == 1
}

fn overlapping_count(haystack: &str, needle: &str) -> usize {
    haystack.char_indices().filter(|(i, _)| haystack[*i..].starts_with(needle)).count()
}

/// The text with each `[删除: reason]` label of `MarkStyle::Label` (which the redactor adds)
/// replaced by one block character: the label's own text is no leak, and the two sides of it
/// must stay apart, or they could spell a secret that was never in the export.
fn without_labels(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("[删除: ") {
        out.push_str(&rest[..start]);
        out.push('█');
        match rest[start..].find(']') {
            Some(end) => rest = &rest[start + end + 1..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

//! Scan throughput: MB/s of extracted text, with the shipped packs plus a 10,000-term lexicon.
//!
//! Everything is generated here, deterministically: about 10 MB of mixed Chinese and English
//! prose with numbers, a sprinkling of real findings (markings, unit designators, phone numbers,
//! coordinates), and a lexicon of 10,000 invented terms. Run with
//! `cargo bench -p vetted-core --bench scan`; the figures are printed as `scan ...: N MB/s`.
//!
//! Chinese characters are drawn with Zipf frequencies (the k-th most common character about
//! 1/k as often as the first), as in real prose, where a few hundred characters make up most
//! of the text. A second figure uses uniformly random characters, the worst case for the
//! lexicon automaton (every character starts some term, so it never rests in its start
//! state); it is printed for honesty, not as the goal.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Instant;

use criterion::{Criterion, Throughput};
use vetted_core::{Document, Limits, RuleSet, ingest, scan};

/// Size of the generated text, in bytes.
const TEXT_BYTES: usize = 10 * 1024 * 1024;
/// Terms in the extra lexicon.
const LEXICON_TERMS: usize = 10_000;

/// A small deterministic generator (xorshift), so every run scans the same text.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const HAN: &str = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研究";

const EN_WORDS: &[&str] = &[
    "the",
    "report",
    "describes",
    "annual",
    "budget",
    "for",
    "public",
    "works",
    "and",
    "roads",
    "meeting",
    "schedule",
    "committee",
    "review",
    "secretary",
    "secretariat",
    "version",
    "update",
    "network",
    "service",
    "contract",
    "supplier",
    "delivery",
    "quality",
    "training",
    "staff",
    "office",
    "building",
    "energy",
    "water",
];

const FINDINGS: &[&str] = &[
    "机密★10年",
    "95837部队",
    "联系电话13800138000",
    "北纬40°12′ 东经116°10′",
    "TOP SECRET",
    "军用雷达探测距离300公里",
    "身份证11010519491231002X",
    "军事管理区禁止拍摄",
];

/// How Chinese characters are drawn.
#[derive(Clone, Copy)]
enum Frequencies {
    /// Like real prose: the k-th character of [`HAN`] has weight 1/k.
    Zipf,
    /// Every character of [`HAN`] equally often.
    Uniform,
}

/// Draws characters of [`HAN`] with the given frequencies.
struct HanSource {
    chars: Vec<char>,
    /// Cumulative weights, ending at 1.
    cumulative: Vec<f64>,
}

impl HanSource {
    fn new(frequencies: Frequencies) -> HanSource {
        let chars: Vec<char> = HAN.chars().collect();
        let weights: Vec<f64> = (1..=chars.len())
            .map(|k| match frequencies {
                Frequencies::Zipf => 1.0 / k as f64,
                Frequencies::Uniform => 1.0,
            })
            .collect();
        let total: f64 = weights.iter().sum();
        let mut sum = 0.0;
        let cumulative = weights.iter().map(|w| {
            sum += w / total;
            sum
        });
        HanSource { cumulative: cumulative.collect(), chars }
    }

    fn draw(&self, random: &mut Random) -> char {
        let x = (random.next() >> 11) as f64 / (1u64 << 53) as f64;
        let i = self.cumulative.partition_point(|&c| c < x).min(self.chars.len() - 1);
        self.chars[i]
    }
}

fn generate_text(random: &mut Random, frequencies: Frequencies) -> String {
    let han = HanSource::new(frequencies);
    let mut text = String::with_capacity(TEXT_BYTES + 1024);
    while text.len() < TEXT_BYTES {
        // One paragraph: a few Chinese and English sentences with numbers.
        for _ in 0..1 + random.below(5) {
            if random.below(3) == 0 {
                for _ in 0..8 + random.below(12) {
                    text.push_str(random.pick(EN_WORDS));
                    text.push(' ');
                }
                let _ = write!(text, "{}. ", random.below(100_000));
            } else {
                for _ in 0..10 + random.below(30) {
                    text.push(han.draw(random));
                }
                let _ = write!(text, "{}年，", 1990 + random.below(35));
                for _ in 0..5 + random.below(15) {
                    text.push(han.draw(random));
                }
                text.push('。');
            }
            if random.below(20) == 0 {
                text.push_str(random.pick(FINDINGS));
                text.push('，');
            }
        }
        text.push('\n');
    }
    text
}

/// The shipped packs plus one pack whose lexicon holds 10,000 invented terms, in a fresh
/// directory.
fn rules_with_big_lexicon(random: &mut Random) -> RuleSet {
    let dir = std::env::temp_dir().join(format!("vetted-bench-rules-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temporary directory");
    let shipped = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../assets/rules");
    for entry in std::fs::read_dir(&shipped).expect("assets/rules") {
        let path = entry.expect("assets/rules entry").path();
        if let Some(name) = path.file_name() {
            std::fs::copy(&path, dir.join(name)).expect("copy a shipped pack");
        }
    }
    let han: Vec<char> = HAN.chars().collect();
    let mut lexicon = String::new();
    for i in 0..LEXICON_TERMS {
        if i % 5 == 0 {
            let _ = writeln!(lexicon, "project {} {}", random.pick(EN_WORDS), i);
        } else {
            let term: String = (0..3 + random.below(4)).map(|_| han[random.below(han.len())]).collect();
            let _ = writeln!(lexicon, "{term}代号");
        }
    }
    std::fs::write(dir.join("bench_lexicon.txt"), lexicon).expect("write the lexicon");
    std::fs::write(
        dir.join("bench.toml"),
        r#"
[pack]
id = "bench"
name = { zh = "基准词表", en = "Benchmark lexicon" }

[[rules]]
id = "bench.lexicon"
category = "project"
severity = "medium"
confidence = 0.8
reason = "work_secret"
description = { zh = "项目代号", en = "Project code name" }
lexicon = "bench_lexicon.txt"
"#,
    )
    .expect("write the pack");
    let rules = RuleSet::load_dir(&dir).expect("the bench rules load");
    let _ = std::fs::remove_dir_all(&dir);
    rules
}

/// CPU time this thread has run, from `/proc/thread-self/schedstat` (Linux only).
fn thread_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanoseconds: u64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(nanoseconds as f64 / 1e9)
}

/// Scans `document` a few times and prints MB/s per core. On a shared machine the wall clock
/// also counts time spent waiting for a core, so the figure per core is computed from the CPU
/// time this thread actually ran (Linux), and the wall-clock figure is printed beside it.
fn report(label: &str, document: &Document, rules: &RuleSet) {
    let megabytes = document.text().len() as f64 / 1_000_000.0;
    let runs = 5;
    let started = Instant::now();
    let cpu_started = thread_cpu_seconds();
    let mut findings = 0;
    for _ in 0..runs {
        findings = scan(document, rules).len();
    }
    let wall = started.elapsed().as_secs_f64() / runs as f64;
    let cpu = thread_cpu_seconds().zip(cpu_started).map(|(end, start)| (end - start) / runs as f64);
    println!(
        "scan {label}: {:.0} MB/s per core ({megabytes:.1} MB, {} rules, {findings} findings, \
         {:.1} ms CPU per scan; wall clock {:.0} MB/s)",
        megabytes / cpu.unwrap_or(wall),
        rules.rule_count(),
        cpu.unwrap_or(wall) * 1000.0,
        megabytes / wall,
    );
}

fn read(text: &str) -> Document {
    ingest::read(text.as_bytes(), Some("bench.txt"), &Limits::default()).expect("the generated text reads")
}

fn main() {
    let mut random = Random(0x5EED_1234_ABCD_0001);
    let rules = rules_with_big_lexicon(&mut random);
    let document = read(&generate_text(&mut random, Frequencies::Zipf));
    report("(Zipf character frequencies)", &document, &rules);
    report(
        "(uniform characters, worst case)",
        &read(&generate_text(&mut random, Frequencies::Uniform)),
        &rules,
    );
    let shipped = RuleSet::builtin().expect("the shipped packs load");
    report("(shipped packs only, Zipf)", &document, &shipped);

    let mut criterion = Criterion::default().sample_size(10).configure_from_args();
    let mut group = criterion.benchmark_group("scan");
    group.throughput(Throughput::Bytes(document.text().len() as u64));
    group.bench_function("shipped packs + 10k-term lexicon, 10 MB mixed zh/en", |b| {
        b.iter(|| scan(std::hint::black_box(&document), &rules))
    });
    group.finish();
    criterion.final_summary();
}

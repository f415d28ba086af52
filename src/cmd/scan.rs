//! `vetted scan FILE|DIR... [--recursive] [--json] [--summary FILE] [--rules DIR]`.
//!
//! One file or a whole archive: files are read and scanned in parallel (rayon), a chunk at a
//! time, and each chunk's results are written in input order before the next chunk starts. So
//! the output is deterministic, and memory stays flat however many files there are: a worker
//! keeps only the rendered report and the counts of its file, never the `Document`.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use rayon::prelude::*;
use serde::Serialize;
use vetted_core::{Document, Finding, Format, Limits, RuleSet, ingest, scan};

use super::inputs::{self, Input};
use super::summary::{self, Row, Summary, SummaryPath, Tally};

/// Files scanned in parallel before their results are written. Large enough to keep every core
/// busy despite uneven file sizes, small enough that the rendered reports held meanwhile stay
/// small.
const CHUNK: usize = 128;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files to scan, or directories: the PDF, DOCX, JPEG, PNG, TXT and MD files directly in
    /// them (or anywhere below them with --recursive).
    #[arg(required = true, value_name = "FILE|DIR")]
    files: Vec<PathBuf>,
    /// Descend into the subdirectories of DIR arguments.
    #[arg(long, short)]
    recursive: bool,
    /// Print JSON: one object for a single FILE argument, else an array.
    #[arg(long)]
    json: bool,
    /// Also write a per-file summary (counts by severity and category, errors) as CSV or JSON,
    /// chosen by the extension.
    #[arg(long, value_name = "FILE.csv|FILE.json", value_parser = summary::parse_summary_path)]
    summary: Option<SummaryPath>,
    /// Use the rule packs in DIR instead of the built-in ones.
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
}

/// One file's result, as `--json` prints it.
#[derive(Serialize)]
struct FileReport<'a> {
    file: String,
    format: Format,
    findings: &'a [Finding],
}

/// What a worker hands back for one file.
struct Outcome {
    path: PathBuf,
    result: Result<Scanned, String>,
}

/// A file read and scanned: its report, rendered, and its counts.
struct Scanned {
    format: Format,
    report: String,
    tally: Tally,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let rules = match &args.rules {
        Some(dir) => RuleSet::load_dir(dir)?,
        None => RuleSet::builtin()?,
    };
    let limits = Limits::default();
    // The summary is created before the scan so a bad path fails at once, not after an hour.
    let mut summary = args.summary.as_ref().map(Summary::create).transpose()?;
    let single_object = args.json && matches!(args.files.as_slice(), [only] if !only.is_dir());
    let inputs = inputs::expand(&args.files, args.recursive);

    let progress = progress_bar(inputs.len());
    let mut out = std::io::stdout().lock();
    let mut json_array = (args.json && !single_object).then(JsonArray::default);
    let mut failed = false;
    for chunk in inputs.chunks(CHUNK) {
        let outcomes: Vec<Outcome> =
            chunk.par_iter().map(|input| process(input, &rules, &limits, args.json)).collect();
        for outcome in outcomes {
            progress.inc(1);
            progress.set_message(outcome.path.display().to_string());
            let path = outcome.path.display().to_string();
            match &outcome.result {
                Ok(scanned) => match &mut json_array {
                    Some(array) => array.push(&mut out, &scanned.report)?,
                    None => out.write_all(scanned.report.as_bytes())?,
                },
                Err(error) => {
                    failed = true;
                    progress.suspend(|| eprintln!("vetted: {path}: {error}"));
                }
            }
            if let Some(summary) = &mut summary {
                let no_findings = Tally::default();
                let (format, tally, error) = match &outcome.result {
                    Ok(scanned) => (Some(scanned.format), &scanned.tally, None),
                    Err(error) => (None, &no_findings, Some(error.as_str())),
                };
                summary.row(&Row { path, format, tally, error })?;
            }
        }
    }
    progress.finish_and_clear();
    if let Some(array) = json_array {
        array.finish(&mut out)?;
    }
    out.flush()?;
    if let Some(summary) = summary {
        summary.finish()?;
    }
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// Reads and scans one input, rendering its report (JSON or human) while the document is at hand.
fn process(input: &Input, rules: &RuleSet, limits: &Limits, json: bool) -> Outcome {
    let path = match input {
        Input::File(path) => path,
        Input::Unlistable(dir, reason) => return Outcome { path: dir.clone(), result: Err(reason.clone()) },
    };
    let result =
        scan_file(path, rules, limits).map_err(|e| e.to_string()).and_then(|(document, findings)| {
            let report = render(path, &document, &findings, json)
                .map_err(|e| format!("cannot render the report: {e}"))?;
            Ok(Scanned { format: document.format(), report, tally: Tally::of(&findings) })
        });
    Outcome { path: path.clone(), result }
}

/// One file's report as `--json` or the human output prints it.
fn render(path: &Path, document: &Document, findings: &[Finding], json: bool) -> std::io::Result<String> {
    if json {
        let report = FileReport { file: path.display().to_string(), format: document.format(), findings };
        let mut text = serde_json::to_string_pretty(&report)?;
        text.push('\n');
        Ok(text)
    } else {
        let mut text = Vec::new();
        print_human(&mut text, path, document, findings)?;
        Ok(String::from_utf8_lossy(&text).into_owned())
    }
}

/// A JSON array written one element at a time, laid out as `serde_json`'s pretty printer would
/// lay out the whole array.
#[derive(Default)]
struct JsonArray {
    elements: usize,
}

impl JsonArray {
    /// Appends one pretty-printed element (ending in a newline).
    fn push(&mut self, out: &mut impl Write, element: &str) -> std::io::Result<()> {
        out.write_all(if self.elements == 0 { b"[\n" } else { b",\n" })?;
        // JSON strings cannot hold a raw line break, so every line break is layout and
        // indenting each line nests the element exactly.
        let mut lines = element.trim_end().lines().peekable();
        while let Some(line) = lines.next() {
            write!(out, "  {line}")?;
            if lines.peek().is_some() {
                out.write_all(b"\n")?;
            }
        }
        self.elements += 1;
        Ok(())
    }

    fn finish(self, out: &mut impl Write) -> std::io::Result<()> {
        out.write_all(if self.elements == 0 { b"[]\n" } else { b"\n]\n" })
    }
}

fn scan_file(path: &Path, rules: &RuleSet, limits: &Limits) -> vetted_core::Result<(Document, Vec<Finding>)> {
    let bytes = std::fs::read(path)?;
    let name = path.file_name().and_then(|n| n.to_str());
    let document = ingest::read(&bytes, name, limits)?;
    let findings = scan(&document, rules);
    Ok((document, findings))
}

/// A progress bar on stderr, drawn only when stderr is a terminal and the run is long enough
/// to need one.
fn progress_bar(files: usize) -> indicatif::ProgressBar {
    if files < 2 || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(files as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {wide_msg}")
            .expect("the template is a constant"),
    );
    bar
}

fn print_human(
    out: &mut impl Write,
    path: &Path,
    document: &Document,
    findings: &[Finding],
) -> std::io::Result<()> {
    let plural = if findings.len() == 1 { "" } else { "s" };
    writeln!(out, "{} ({}): {} finding{plural}", path.display(), document.format(), findings.len())?;
    for f in findings {
        let hidden = if f.hidden { " [hidden]" } else { "" };
        writeln!(
            out,
            "  #{:<3} {:<24} {:<20} {:<8}{hidden}  {}",
            f.id,
            f.location.to_string(),
            f.category,
            f.severity.as_str(),
            excerpt(document, f.start, f.end)
        )?;
        // A composite finding is only understood with its parts named.
        if f.category == "mosaic" {
            writeln!(out, "        {}", f.note)?;
        }
    }
    Ok(())
}

/// The finding with up to 12 characters of context on each side, the match in 【】, on one line.
fn excerpt(document: &Document, start: usize, end: usize) -> String {
    let before = document.slice(start.saturating_sub(12), start);
    let matched = document.slice(start, end);
    let after = document.slice(end, end + 12);
    let one_line = |s: &str| s.replace(['\n', '\r', '\t'], " ");
    format!("{}【{}】{}", one_line(before), one_line(matched), one_line(after))
}

//! The `--summary FILE.csv|FILE.json` of a batch scan: one row per file with its format, its
//! finding counts by severity and by category, and its error.
//!
//! Rows are written as files finish, never collected, so a summary of 10,000 files costs no more
//! memory than one of ten. Categories come from the rule packs (and the engine adds its own, such
//! as `hidden_content` and `mosaic`), so they cannot be fixed CSV columns ahead of the first row:
//! the CSV carries them in one `categories` column as `name=count` pairs sorted by name.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use anyhow::Context;
use serde::Serialize;
use vetted_core::{Finding, Format, Severity};

/// The format of a summary file, from its extension.
#[derive(Clone, Debug)]
pub struct SummaryPath {
    path: PathBuf,
    kind: SummaryKind,
}

#[derive(Clone, Copy, Debug)]
enum SummaryKind {
    Csv,
    Json,
}

/// Parses `--summary`: the extension must say CSV or JSON (a usage error otherwise).
pub fn parse_summary_path(arg: &str) -> Result<SummaryPath, String> {
    let path = PathBuf::from(arg);
    let extension = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    let kind = match extension.as_deref() {
        Some("csv") => SummaryKind::Csv,
        Some("json") => SummaryKind::Json,
        _ => return Err("the summary file must end in .csv or .json".into()),
    };
    Ok(SummaryPath { path, kind })
}

/// Finding counts of one file.
#[derive(Debug, Default, Serialize)]
pub struct Tally {
    /// All findings.
    pub findings: usize,
    /// Findings by severity, most severe first.
    pub by_severity: BySeverity,
    /// Findings by category, sorted by name.
    pub by_category: BTreeMap<String, usize>,
}

/// Finding counts by severity.
#[derive(Debug, Default, Serialize)]
pub struct BySeverity {
    critical: usize,
    high: usize,
    medium: usize,
    low: usize,
}

impl Tally {
    /// Counts `findings`.
    pub fn of(findings: &[Finding]) -> Tally {
        let mut tally = Tally { findings: findings.len(), ..Tally::default() };
        for finding in findings {
            let counter = match finding.severity {
                Severity::Critical => &mut tally.by_severity.critical,
                Severity::High => &mut tally.by_severity.high,
                Severity::Medium => &mut tally.by_severity.medium,
                Severity::Low => &mut tally.by_severity.low,
            };
            *counter += 1;
            *tally.by_category.entry(finding.category.clone()).or_default() += 1;
        }
        tally
    }
}

/// One summary row.
#[derive(Debug, Serialize)]
pub struct Row<'a> {
    /// The file as named on the command line or found by the walk.
    pub path: String,
    /// The format read, when the file could be read.
    pub format: Option<Format>,
    /// The counts (zero for a file that could not be read).
    #[serde(flatten)]
    pub tally: &'a Tally,
    /// Why the file could not be read.
    pub error: Option<&'a str>,
}

/// An open summary file.
pub struct Summary {
    out: BufWriter<File>,
    kind: SummaryKind,
    path: PathBuf,
    rows: usize,
}

const CSV_HEADER: &str = "path,format,findings,critical,high,medium,low,categories,error";

impl Summary {
    /// Creates (or truncates) the summary file and writes its header.
    pub fn create(target: &SummaryPath) -> anyhow::Result<Summary> {
        let file = File::create(&target.path)
            .with_context(|| format!("{}: cannot create the summary", target.path.display()))?;
        let mut summary =
            Summary { out: BufWriter::new(file), kind: target.kind, path: target.path.clone(), rows: 0 };
        if let SummaryKind::Csv = summary.kind {
            writeln!(summary.out, "{CSV_HEADER}").with_context(|| summary.context())?;
        }
        Ok(summary)
    }

    /// Appends one file's row.
    pub fn row(&mut self, row: &Row) -> anyhow::Result<()> {
        let written = match self.kind {
            SummaryKind::Csv => write_csv_row(&mut self.out, row),
            SummaryKind::Json => {
                let separator = if self.rows == 0 { "[\n" } else { ",\n" };
                self.out
                    .write_all(separator.as_bytes())
                    .and_then(|()| serde_json::to_writer(&mut self.out, row).map_err(std::io::Error::other))
            }
        };
        self.rows += 1;
        written.with_context(|| self.context())
    }

    /// Closes the JSON array and flushes.
    pub fn finish(mut self) -> anyhow::Result<()> {
        let end: &[u8] = match (self.kind, self.rows) {
            (SummaryKind::Csv, _) => b"",
            (SummaryKind::Json, 0) => b"[]\n",
            (SummaryKind::Json, _) => b"\n]\n",
        };
        self.out.write_all(end).and_then(|()| self.out.flush()).with_context(|| self.context())
    }

    fn context(&self) -> String {
        format!("{}: cannot write the summary", self.path.display())
    }
}

fn write_csv_row(out: &mut impl Write, row: &Row) -> std::io::Result<()> {
    let severity = &row.tally.by_severity;
    let categories: Vec<String> =
        row.tally.by_category.iter().map(|(name, n)| format!("{name}={n}")).collect();
    let fields = [
        csv_field(&row.path),
        row.format.map(|f| f.as_str()).unwrap_or_default().to_string(),
        row.tally.findings.to_string(),
        severity.critical.to_string(),
        severity.high.to_string(),
        severity.medium.to_string(),
        severity.low.to_string(),
        csv_field(&categories.join(";")),
        csv_field(row.error.unwrap_or_default()),
    ];
    writeln!(out, "{}", fields.join(","))
}

/// One CSV text field (RFC 4180 quoting). A field that a spreadsheet would run as a formula
/// (starting with `=`, `+`, `-`, `@`, tab or carriage return) gets a leading `'`: file names in a
/// hostile archive are chosen by the attacker, and the summary is meant to be opened in Excel.
fn csv_field(text: &str) -> String {
    let defused = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if defused.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", defused.replace('"', "\"\""))
    } else {
        defused
    }
}

/// Where the summary would go, for tests of the argument parser.
#[cfg(test)]
impl SummaryPath {
    fn path(&self) -> &std::path::Path {
        &self.path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        let check = |input: &str, expected: &str| assert_eq!(csv_field(input), expected, "{input:?}");
        check("plain/path.pdf", "plain/path.pdf");
        check("a,b.txt", "\"a,b.txt\"");
        check("say \"hi\".md", "\"say \"\"hi\"\".md\"");
        check("line\nbreak", "\"line\nbreak\"");
        check("=HYPERLINK(\"x\").pdf", "\"'=HYPERLINK(\"\"x\"\").pdf\"");
        check("+1.txt", "'+1.txt");
        check("-rf.txt", "'-rf.txt");
        check("@sum.txt", "'@sum.txt");
        check("", "");
    }

    #[test]
    fn the_summary_extension_chooses_the_format() {
        assert!(matches!(parse_summary_path("out.csv").map(|s| s.kind), Ok(SummaryKind::Csv)));
        assert!(matches!(parse_summary_path("OUT.JSON").map(|s| s.kind), Ok(SummaryKind::Json)));
        assert_eq!(
            parse_summary_path("dir/out.csv").map(|s| s.path().to_path_buf()),
            Ok("dir/out.csv".into())
        );
        assert!(parse_summary_path("out.txt").is_err());
        assert!(parse_summary_path("out").is_err());
    }
}

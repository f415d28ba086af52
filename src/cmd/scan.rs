//! `vetted scan FILE... [--json] [--rules DIR]`.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde::Serialize;
use vetted_core::{Document, Finding, Format, Limits, RuleSet, ingest, scan};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files to scan.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Print JSON: one object per file, or an array for several.
    #[arg(long)]
    json: bool,
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

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let rules = match &args.rules {
        Some(dir) => RuleSet::load_dir(dir)?,
        None => RuleSet::builtin()?,
    };
    let limits = Limits::default();
    let progress = progress_bar(args.files.len());
    let mut reports = Vec::new();
    let mut failed = false;
    for path in &args.files {
        progress.set_message(path.display().to_string());
        match scan_file(path, &rules, &limits) {
            Ok((document, findings)) => reports.push((path, document, findings)),
            Err(error) => {
                failed = true;
                progress.suspend(|| eprintln!("vetted: {}: {error}", path.display()));
            }
        }
        progress.inc(1);
    }
    progress.finish_and_clear();

    let mut out = std::io::stdout().lock();
    if args.json {
        let json: Vec<_> = reports
            .iter()
            .map(|(path, document, findings)| FileReport {
                file: path.display().to_string(),
                format: document.format(),
                findings,
            })
            .collect();
        if args.files.len() == 1 {
            if let Some(report) = json.first() {
                serde_json::to_writer_pretty(&mut out, report)?;
                writeln!(out)?;
            }
        } else {
            serde_json::to_writer_pretty(&mut out, &json)?;
            writeln!(out)?;
        }
    } else {
        for (path, document, findings) in &reports {
            print_human(&mut out, path, document, findings)?;
        }
    }
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
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

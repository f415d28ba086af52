//! `vetted mark DOC --text PHRASE [--all] --reason CODE --as USER`,
//! `vetted mark DOC --range START..END --reason CODE --as USER` (character offsets of the visible
//! text, as `vetted findings --json` reports them), and for PDFs and images
//! `vetted mark DOC --area X,Y,W,H [--page N] --reason CODE --as USER`.

use std::process::ExitCode;

use anyhow::bail;
use vetted_core::{DocumentId, MarkTarget, Rect};

use super::{WorkspaceDir, sign_in};

#[derive(Debug, clap::Args)]
#[command(group = clap::ArgGroup::new("target").required(true).args(["text", "range", "area"]))]
pub struct Args {
    /// The document.
    document: DocumentId,
    /// The phrase to redact (found through full-width forms, spaces and line breaks too).
    #[arg(long, value_name = "PHRASE")]
    text: Option<String>,
    /// Every occurrence of the phrase, not just the first.
    #[arg(long, requires = "text")]
    all: bool,
    /// Exact characters of the visible text, `START..END` (end excluded), as findings count them.
    #[arg(long, value_name = "START..END", value_parser = parse_range)]
    range: Option<(usize, usize)>,
    /// An area to blank out, in PDF points (pixels for images) from the top-left corner.
    #[arg(long, value_name = "X,Y,W,H", value_parser = parse_rect)]
    area: Option<Rect>,
    /// The page of the area (1 for an image).
    #[arg(long, value_name = "N", default_value_t = 1, requires = "area")]
    page: u32,
    /// The reason code (state_secret, work_secret, ... or its label: 国家秘密, 工作秘密, ...).
    #[arg(long, value_name = "CODE")]
    reason: String,
    /// The acting reviewer.
    #[arg(long = "as", value_name = "USER")]
    acting: String,
}

pub fn run(workspace: &WorkspaceDir, args: Args) -> anyhow::Result<ExitCode> {
    let ws = workspace.open()?;
    let session = sign_in(&ws, &args.acting)?;
    let mark = match (&args.text, args.range, args.area) {
        (Some(text), _, _) => ws.mark_phrase(&session, args.document, text, args.all, &args.reason)?,
        (None, Some((start, end)), _) => ws.mark_range(&session, args.document, start, end, &args.reason)?,
        (None, None, Some(rect)) => ws.mark_area(&session, args.document, args.page, rect, &args.reason)?,
        (None, None, None) => bail!("give --text, --range or --area"),
    };
    let what = match &mark.target {
        MarkTarget::Phrase { ranges, .. } => format!("{} occurrence(s)", ranges.len()),
        MarkTarget::Area { page, .. } => format!("an area of page {page}"),
    };
    println!("{}: mark {} covers {what} ({})", args.document, mark.id, mark.reason);
    Ok(ExitCode::SUCCESS)
}

/// `START..END`: two character offsets. Whether they fit the document is the workspace's check.
fn parse_range(text: &str) -> Result<(usize, usize), String> {
    let parsed = text
        .split_once("..")
        .and_then(|(start, end)| Some((start.trim().parse().ok()?, end.trim().parse().ok()?)));
    parsed.ok_or_else(|| format!("{text:?} is not a range: give START..END (two character offsets)"))
}

/// `X,Y,W,H`: four numbers. A malformed area is a usage error (exit 2), like any bad option.
fn parse_rect(text: &str) -> Result<Rect, String> {
    let numbers: Vec<f32> = text.split(',').filter_map(|n| n.trim().parse().ok()).collect();
    match numbers[..] {
        [x, y, width, height] if text.split(',').count() == 4 => Ok(Rect { x, y, width, height }),
        _ => Err(format!("{text:?} is not an area: give X,Y,W,H (four numbers)")),
    }
}

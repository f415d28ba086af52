//! `vetted mark DOC --text PHRASE [--all] --reason CODE --as USER`, and for PDFs and images
//! `vetted mark DOC --area X,Y,W,H [--page N] --reason CODE --as USER`.

use std::process::ExitCode;

use anyhow::bail;
use vetted_core::{DocumentId, MarkTarget, Rect};

use super::{WorkspaceDir, sign_in};

#[derive(Debug, clap::Args)]
#[command(group = clap::ArgGroup::new("target").required(true).args(["text", "area"]))]
pub struct Args {
    /// The document.
    document: DocumentId,
    /// The phrase to redact (found through full-width forms, spaces and line breaks too).
    #[arg(long, value_name = "PHRASE")]
    text: Option<String>,
    /// Every occurrence of the phrase, not just the first.
    #[arg(long, requires = "text")]
    all: bool,
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
    let mark = match (&args.text, args.area) {
        (Some(text), _) => ws.mark_phrase(&session, args.document, text, args.all, &args.reason)?,
        (None, Some(rect)) => ws.mark_area(&session, args.document, args.page, rect, &args.reason)?,
        (None, None) => bail!("give --text or --area"),
    };
    let what = match &mark.target {
        MarkTarget::Phrase { ranges, .. } => format!("{} occurrence(s)", ranges.len()),
        MarkTarget::Area { page, .. } => format!("an area of page {page}"),
    };
    println!("{}: mark {} covers {what} ({})", args.document, mark.id, mark.reason);
    Ok(ExitCode::SUCCESS)
}

/// `X,Y,W,H`: four numbers. A malformed area is a usage error (exit 2), like any bad option.
fn parse_rect(text: &str) -> Result<Rect, String> {
    let numbers: Vec<f32> = text.split(',').filter_map(|n| n.trim().parse().ok()).collect();
    match numbers[..] {
        [x, y, width, height] if text.split(',').count() == 4 => Ok(Rect { x, y, width, height }),
        _ => Err(format!("{text:?} is not an area: give X,Y,W,H (four numbers)")),
    }
}

//! `vetted decide DOC --redact all|ID,ID [--reason CODE] --as USER` and
//! `vetted decide DOC --keep ID,ID --reason TEXT --as USER`.

use std::process::ExitCode;

use anyhow::bail;
use vetted_core::{Decision, DocumentId, Selection};

use super::{WorkspaceDir, sign_in};

#[derive(Debug, clap::Args)]
#[command(group = clap::ArgGroup::new("decision").required(true).args(["redact", "keep"]))]
pub struct Args {
    /// The document.
    document: DocumentId,
    /// Redact these findings: `all`, or ids separated by commas.
    #[arg(long, value_name = "all|ID,ID")]
    redact: Option<String>,
    /// Keep these findings (ids separated by commas); needs --reason.
    #[arg(long, value_name = "ID,ID", requires = "reason")]
    keep: Option<String>,
    /// For --keep, the written reason; for --redact, a reason code instead of each finding's
    /// suggested one.
    #[arg(long, value_name = "TEXT")]
    reason: Option<String>,
    /// The acting reviewer.
    #[arg(long = "as", value_name = "USER")]
    acting: String,
}

pub fn run(workspace: &WorkspaceDir, args: Args) -> anyhow::Result<ExitCode> {
    let (selection, decision) = match (&args.redact, &args.keep) {
        (Some(ids), None) => (parse_selection(ids)?, Decision::Redact { reason: args.reason.clone() }),
        (None, Some(ids)) => {
            (parse_selection(ids)?, Decision::Keep { reason: args.reason.clone().unwrap_or_default() })
        }
        _ => bail!("give exactly one of --redact and --keep"),
    };
    let ws = workspace.open()?;
    let session = sign_in(&ws, &args.acting)?;
    let decided = ws.decide(&session, args.document, &selection, &decision)?;
    let verb = if args.redact.is_some() { "redact" } else { "keep" };
    println!("{}: {decided} finding(s) decided: {verb}", args.document);
    Ok(ExitCode::SUCCESS)
}

/// `all`, or ids such as `1,3` (a leading `#` is accepted, as findings are listed `#3`).
fn parse_selection(text: &str) -> anyhow::Result<Selection> {
    if text.trim().eq_ignore_ascii_case("all") {
        return Ok(Selection::All);
    }
    let mut ids = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match part.trim_start_matches('#').parse::<u32>() {
            Ok(id) => ids.push(id),
            Err(_) => bail!("{part:?} is not a finding id (use `all` or ids such as 1,3)"),
        }
    }
    if ids.is_empty() {
        bail!("no finding ids given (use `all` or ids such as 1,3)");
    }
    Ok(Selection::Ids(ids))
}

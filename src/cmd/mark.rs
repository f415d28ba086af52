//! `vetted mark DOC --text PHRASE [--all] --reason CODE --as USER`.

use std::process::ExitCode;

use vetted_core::{DocumentId, MarkTarget};

use super::{WorkspaceDir, sign_in};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The document.
    document: DocumentId,
    /// The phrase to redact (found through full-width forms, spaces and line breaks too).
    #[arg(long, value_name = "PHRASE")]
    text: String,
    /// Every occurrence, not just the first.
    #[arg(long)]
    all: bool,
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
    let mark = ws.mark_phrase(&session, args.document, &args.text, args.all, &args.reason)?;
    let found = match &mark.target {
        MarkTarget::Phrase { ranges, .. } => ranges.len(),
        MarkTarget::Area { .. } => 1,
    };
    println!("{}: mark {} covers {found} occurrence(s) ({})", args.document, mark.id, mark.reason);
    Ok(ExitCode::SUCCESS)
}

//! `vetted import FILE --as USER [--revision-of DOC]`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use vetted_core::DocumentId;

use super::{WorkspaceDir, sign_in};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The draft to import.
    file: PathBuf,
    /// The acting drafter.
    #[arg(long = "as", value_name = "USER")]
    acting: String,
    /// Import as a new revision of this document (by default: of the document last imported
    /// under the same file name, if any).
    #[arg(long, value_name = "DOC")]
    revision_of: Option<DocumentId>,
}

pub fn run(workspace: &WorkspaceDir, args: Args) -> anyhow::Result<ExitCode> {
    let ws = workspace.open()?;
    let session = sign_in(&ws, &args.acting)?;
    let bytes = std::fs::read(&args.file).with_context(|| format!("cannot read {}", args.file.display()))?;
    let name = args
        .file
        .file_name()
        .and_then(|n| n.to_str())
        .with_context(|| format!("{} has no usable file name", args.file.display()))?;
    let outcome = ws
        .import(&session, name, &bytes, args.revision_of)
        .with_context(|| args.file.display().to_string())?;
    println!(
        "imported {name} ({}) as {} revision {}: {} finding(s), sha256 {}",
        outcome.format, outcome.document, outcome.revision, outcome.findings, outcome.sha256
    );
    if outcome.voided_signoffs > 0 {
        println!("voided {} sign-off(s) of earlier revisions", outcome.voided_signoffs);
    }
    // The contract: the document id alone on the last line, for scripts.
    println!("{}", outcome.document);
    Ok(ExitCode::SUCCESS)
}

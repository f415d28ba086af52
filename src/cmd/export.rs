//! `vetted export DOC --out PATH --as USER`.

use std::path::PathBuf;
use std::process::ExitCode;

use vetted_core::DocumentId;

use super::{WorkspaceDir, sign_in};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The approved document.
    document: DocumentId,
    /// Where to write the public version (written whole or not at all).
    #[arg(long, value_name = "PATH")]
    out: PathBuf,
    /// The acting approver.
    #[arg(long = "as", value_name = "USER")]
    acting: String,
}

pub fn run(workspace: &WorkspaceDir, args: Args) -> anyhow::Result<ExitCode> {
    let ws = workspace.open()?;
    let session = sign_in(&ws, &args.acting)?;
    let record = ws.export(&session, args.document, &args.out)?;
    println!(
        "{} revision {} exported to {}: {} item(s) removed, {} string(s) verified absent, sha256 {}",
        args.document,
        record.revision,
        args.out.display(),
        record.report.removed.len(),
        record.report.strings_checked,
        record.sha256
    );
    Ok(ExitCode::SUCCESS)
}

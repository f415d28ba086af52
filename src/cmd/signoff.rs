//! `vetted submit|approve|reject DOC --as USER`.

use std::process::ExitCode;

use vetted_core::DocumentId;

use super::{WorkspaceDir, sign_in};

#[derive(Debug, clap::Args)]
pub struct SubmitArgs {
    /// The document.
    document: DocumentId,
    /// The acting reviewer.
    #[arg(long = "as", value_name = "USER")]
    acting: String,
}

#[derive(Debug, clap::Args)]
pub struct ApproveArgs {
    /// The document.
    document: DocumentId,
    /// The acting approver.
    #[arg(long = "as", value_name = "USER")]
    acting: String,
    /// A comment for the record.
    #[arg(long, value_name = "TEXT")]
    comment: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct RejectArgs {
    /// The document.
    document: DocumentId,
    /// The acting approver.
    #[arg(long = "as", value_name = "USER")]
    acting: String,
    /// Why it is rejected.
    #[arg(long, value_name = "TEXT")]
    comment: String,
}

pub fn submit(workspace: &WorkspaceDir, args: SubmitArgs) -> anyhow::Result<ExitCode> {
    let ws = workspace.open()?;
    let session = sign_in(&ws, &args.acting)?;
    ws.submit(&session, args.document)?;
    println!("{}: review complete, signed by {}", args.document, args.acting);
    Ok(ExitCode::SUCCESS)
}

pub fn approve(workspace: &WorkspaceDir, args: ApproveArgs) -> anyhow::Result<ExitCode> {
    let ws = workspace.open()?;
    let session = sign_in(&ws, &args.acting)?;
    ws.approve(&session, args.document, args.comment.as_deref())?;
    println!("{}: approved by {}", args.document, args.acting);
    Ok(ExitCode::SUCCESS)
}

pub fn reject(workspace: &WorkspaceDir, args: RejectArgs) -> anyhow::Result<ExitCode> {
    let ws = workspace.open()?;
    let session = sign_in(&ws, &args.acting)?;
    ws.reject(&session, args.document, &args.comment)?;
    println!("{}: rejected by {}", args.document, args.acting);
    Ok(ExitCode::SUCCESS)
}

//! `vetted import FILE --as USER [--revision-of DOC]`, and `vetted import DIR [--recursive]
//! --as USER` for a whole archive.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use vetted_core::DocumentId;

use super::inputs::{self, Input};
use super::{WorkspaceDir, sign_in};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The draft to import, or a directory of drafts (the PDF, DOCX, JPEG, PNG, TXT and MD
    /// files directly in it, or anywhere below it with --recursive).
    #[arg(value_name = "FILE|DIR")]
    file: PathBuf,
    /// Descend into the subdirectories of DIR.
    #[arg(long, short)]
    recursive: bool,
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
    if args.file.is_dir() {
        return import_tree(&ws, &session, &args);
    }
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

/// Imports every supported file under a directory, one at a time (the workspace is one SQLite
/// database: writes are serial anyway, and each file's bytes are dropped before the next is
/// read, so memory does not grow with the archive). A file that fails is named on stderr and
/// the others are still imported; the exit status is then 1.
fn import_tree(
    ws: &vetted_core::Workspace,
    session: &vetted_core::Session,
    args: &Args,
) -> anyhow::Result<ExitCode> {
    if args.revision_of.is_some() {
        anyhow::bail!("--revision-of takes one file, not a directory");
    }
    let mut failed = false;
    for input in inputs::expand(std::slice::from_ref(&args.file), args.recursive) {
        let (path, result) = match input {
            Input::Unlistable(dir, reason) => (dir, Err(anyhow::anyhow!(reason))),
            Input::File(path) => {
                let result = import_one(ws, session, &args.file, &path);
                (path, result)
            }
        };
        match result {
            Ok(line) => println!("{line}"),
            Err(error) => {
                failed = true;
                eprintln!("vetted: {}: {error:#}", path.display());
            }
        }
    }
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// Imports one file of a directory under its path relative to the directory, so that
/// `q1/report.docx` and `q2/report.docx` are two documents, and importing the tree again later
/// makes new revisions of the same ones. Returns the line to print.
fn import_one(
    ws: &vetted_core::Workspace,
    session: &vetted_core::Session,
    root: &std::path::Path,
    path: &std::path::Path,
) -> anyhow::Result<String> {
    let bytes = std::fs::read(path).context("cannot read")?;
    let name = path.strip_prefix(root).ok().and_then(|n| n.to_str()).context("no usable file name")?;
    let outcome = ws.import(session, name, &bytes, None)?;
    Ok(format!(
        "imported {} ({}) as {} revision {}: {} finding(s), sha256 {}",
        path.display(),
        outcome.format,
        outcome.document,
        outcome.revision,
        outcome.findings,
        outcome.sha256
    ))
}

//! `vetted audit log [DOC] [--json]`, `vetted audit verify`, `vetted audit report DOC --out FILE`.

use std::path::PathBuf;
use std::process::ExitCode;

use vetted_core::{ChainStatus, DocumentId};

use super::WorkspaceDir;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// List audit entries, oldest first: all, or those about one document.
    Log {
        /// Only entries about this document.
        document: Option<DocumentId>,
        /// Print JSON: an array of entries.
        #[arg(long)]
        json: bool,
    },
    /// Recompute the hash chain and check every stored original: prints the head hash and
    /// entry count (exit 0), or the first entry that does not match (exit 1).
    Verify {
        /// Print JSON: {"status": "intact", "entries", "head"} or {"status": "tampered", "seq", "problem"}.
        #[arg(long)]
        json: bool,
    },
    /// Write a document's review-and-approval record (保密审查审批表) as .docx or .csv.
    Report {
        /// The document.
        document: DocumentId,
        /// The report file; its extension (.docx or .csv) chooses the format.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

pub fn run(workspace: &WorkspaceDir, command: Command) -> anyhow::Result<ExitCode> {
    let ws = workspace.open()?;
    match command {
        Command::Log { document, json } => {
            let entries = ws.audit_log(document)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&entries)?);
            } else {
                for e in entries {
                    let document = e.document.as_deref().unwrap_or("-");
                    println!(
                        "{:>6}  {}  {:<12} {:<16} {:<6} {}",
                        e.seq, e.time, e.actor, e.action, document, e.payload
                    );
                }
            }
        }
        Command::Verify { json } => {
            let status = ws.verify_audit()?;
            if json {
                println!("{}", serde_json::to_string_pretty(&status)?);
            }
            match status {
                ChainStatus::Intact { entries, head } => {
                    if !json {
                        println!("audit chain intact: {entries} entries, head {head}");
                    }
                }
                ChainStatus::Tampered { seq, problem } => {
                    match seq {
                        Some(seq) => eprintln!("vetted: audit chain broken at entry {seq}: {problem}"),
                        None => eprintln!("vetted: stored original tampered: {problem}"),
                    }
                    return Ok(ExitCode::FAILURE);
                }
            }
        }
        Command::Report { document, out } => {
            ws.write_review_record(document, &out)?;
            println!("wrote the review record of {document} to {}", out.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

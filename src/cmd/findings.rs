//! `vetted findings DOC [--json]`.

use std::process::ExitCode;

use vetted_core::{DocumentId, FindingStatus};

use super::WorkspaceDir;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The document.
    document: DocumentId,
    /// Print JSON: the scan's finding objects, each with "status": "open", "redact" or "keep".
    #[arg(long)]
    json: bool,
}

pub fn run(workspace: &WorkspaceDir, args: Args) -> anyhow::Result<ExitCode> {
    let ws = workspace.open()?;
    let findings = ws.findings(args.document)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&findings)?);
        return Ok(ExitCode::SUCCESS);
    }
    let revision = ws.revision(args.document)?;
    println!(
        "{} revision {} ({}), {}: {} finding(s)",
        revision.document,
        revision.number,
        revision.file_name,
        revision.state,
        findings.len()
    );
    for f in &findings {
        let status = match f.status {
            FindingStatus::Open => "open",
            FindingStatus::Redact => "redact",
            FindingStatus::Keep => "keep",
        };
        let reason = f.decision_reason.as_deref().map(|r| format!("  ({r})")).unwrap_or_default();
        println!(
            "  #{:<3} {:<7} {:<20} {:<8} {}{reason}",
            f.finding.id,
            status,
            f.finding.category,
            f.finding.severity.as_str(),
            f.finding.text.replace(['\n', '\r'], " ")
        );
    }
    Ok(ExitCode::SUCCESS)
}

//! `vetted documents [--json]`.

use std::process::ExitCode;

use super::WorkspaceDir;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print JSON: an array of latest revisions.
    #[arg(long)]
    json: bool,
}

pub fn run(workspace: &WorkspaceDir, args: Args) -> anyhow::Result<ExitCode> {
    let ws = workspace.open()?;
    let documents = ws.documents()?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&documents)?);
    } else {
        for r in documents {
            println!(
                "{:<6} rev {:<3} {:<16} {:<10} {}",
                r.document.to_string(),
                r.number,
                r.state.as_str(),
                r.drafter,
                r.file_name
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

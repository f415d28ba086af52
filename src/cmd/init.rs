//! `vetted init --admin NAME`.

use std::process::ExitCode;

use vetted_core::Workspace;

use super::{WorkspaceDir, new_passphrase};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The first admin's user name.
    #[arg(long, value_name = "NAME")]
    admin: String,
}

pub fn run(workspace: &WorkspaceDir, args: Args) -> anyhow::Result<ExitCode> {
    let dir = workspace.path()?;
    let passphrase = new_passphrase(&args.admin, true)?;
    Workspace::create(&dir, &args.admin, &passphrase)?;
    println!("created a Vetted workspace in {} with admin {}", dir.display(), args.admin);
    Ok(ExitCode::SUCCESS)
}

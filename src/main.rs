//! `vetted`: the command-line front end of Vetted. It parses arguments, calls `vetted-core`, and
//! prints. Exit codes: 0 success, 1 a file or operation failed or was refused (with one line
//! saying why), 2 usage error.

mod cmd;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Confidentiality review before publication: find, decide, redact for real, export, audit.
#[derive(Debug, Parser)]
#[command(name = "vetted", version, about, propagate_version = true)]
struct Cli {
    /// The workspace directory [default: $XDG_DATA_HOME/vetted, else ~/.local/share/vetted].
    #[arg(long, global = true, env = "VETTED_WORKSPACE", value_name = "DIR")]
    workspace: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Scan files for suspect passages and hidden content (no workspace needed).
    Scan(cmd::scan::Args),
    /// Create a workspace and its first admin.
    Init(cmd::init::Args),
    /// Manage users (admins).
    #[command(subcommand)]
    User(cmd::user::Command),
    /// Import a draft (or a new revision of one) and scan it; prints the document id last.
    Import(cmd::import::Args),
    /// List the documents of the workspace.
    Documents(cmd::documents::Args),
    /// List a document's findings and their decisions.
    Findings(cmd::findings::Args),
    /// Decide findings: redact them, or keep them with a reason.
    Decide(cmd::decide::Args),
    /// Mark a phrase for redaction by hand.
    Mark(cmd::mark::Args),
    /// Sign review complete (reviewers).
    Submit(cmd::signoff::SubmitArgs),
    /// Approve a reviewed document (approvers).
    Approve(cmd::signoff::ApproveArgs),
    /// Reject a reviewed document with a comment (approvers).
    Reject(cmd::signoff::RejectArgs),
    /// Write the redacted, verified public version of an approved document.
    Export(cmd::export::Args),
    /// Read and verify the audit log; write a document's review record.
    #[command(subcommand)]
    Audit(cmd::audit::Command),
    /// Import what is dropped in a folder, moving each file to processed/ or failed/.
    Watch(cmd::watch::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let workspace = cmd::WorkspaceDir(cli.workspace);
    let result = match cli.command {
        Command::Scan(args) => cmd::scan::run(args),
        Command::Init(args) => cmd::init::run(&workspace, args),
        Command::User(command) => cmd::user::run(&workspace, command),
        Command::Import(args) => cmd::import::run(&workspace, args),
        Command::Documents(args) => cmd::documents::run(&workspace, args),
        Command::Findings(args) => cmd::findings::run(&workspace, args),
        Command::Decide(args) => cmd::decide::run(&workspace, args),
        Command::Mark(args) => cmd::mark::run(&workspace, args),
        Command::Submit(args) => cmd::signoff::submit(&workspace, args),
        Command::Approve(args) => cmd::signoff::approve(&workspace, args),
        Command::Reject(args) => cmd::signoff::reject(&workspace, args),
        Command::Export(args) => cmd::export::run(&workspace, args),
        Command::Audit(command) => cmd::audit::run(&workspace, command),
        Command::Watch(args) => cmd::watch::run(&workspace, args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("vetted: {error:#}");
            ExitCode::FAILURE
        }
    }
}

//! `vetted`: the command-line front end of Vetted. It parses arguments, calls `vetted-core`, and
//! prints. Exit codes: 0 success, 1 a file or operation failed (with one line saying why),
//! 2 usage error.

mod cmd;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Confidentiality review before publication: find, decide, redact for real, export, audit.
#[derive(Debug, Parser)]
#[command(name = "vetted", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Scan files for suspect passages and hidden content.
    Scan(cmd::scan::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Scan(args) => cmd::scan::run(args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("vetted: {error:#}");
            ExitCode::FAILURE
        }
    }
}

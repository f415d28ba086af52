//! `vetted user add|disable|list`.

use std::process::ExitCode;

use vetted_core::Role;

use super::{WorkspaceDir, new_passphrase, sign_in};

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Add a user; their passphrase comes from VETTED_NEW_PASSPHRASE or is asked twice.
    Add {
        /// The new user's name.
        name: String,
        /// Their roles: drafter, reviewer, approver, auditor, admin (repeat or separate by commas).
        #[arg(long = "role", value_name = "ROLE", required = true, value_delimiter = ',')]
        roles: Vec<Role>,
        /// The acting admin.
        #[arg(long = "as", value_name = "ADMIN")]
        acting: String,
    },
    /// Disable a user: they can no longer sign in; their history stays.
    Disable {
        /// The user to disable.
        name: String,
        /// The acting admin.
        #[arg(long = "as", value_name = "ADMIN")]
        acting: String,
    },
    /// List users and their roles.
    List,
}

pub fn run(workspace: &WorkspaceDir, command: Command) -> anyhow::Result<ExitCode> {
    let ws = workspace.open()?;
    match command {
        Command::Add { name, roles, acting } => {
            let session = sign_in(&ws, &acting)?;
            let passphrase = new_passphrase(&name, false)?;
            ws.add_user(&session, &name, &roles, &passphrase)?;
            let roles: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
            println!("added {name} ({})", roles.join(", "));
        }
        Command::Disable { name, acting } => {
            let session = sign_in(&ws, &acting)?;
            ws.disable_user(&session, &name)?;
            println!("disabled {name}");
        }
        Command::List => {
            for user in ws.users()? {
                let roles: Vec<&str> = user.roles.iter().map(|r| r.as_str()).collect();
                let disabled = if user.disabled { "  (disabled)" } else { "" };
                println!("{:<20} {}{disabled}", user.name, roles.join(", "));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

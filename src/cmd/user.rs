//! `vetted user add|disable|list`.

use std::process::ExitCode;

use vetted_core::Role;

use super::{WorkspaceDir, new_passphrase, passphrase, sign_in};

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
    /// Change your own passphrase: the current one from VETTED_PASSPHRASE or a prompt, the new
    /// one from VETTED_NEW_PASSPHRASE or asked twice.
    Passwd {
        /// Who you are.
        #[arg(long = "as", value_name = "USER")]
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
        Command::Passwd { acting } => {
            let current = passphrase(&acting)?;
            let session = ws.sign_in(&acting, &current)?;
            let new = new_passphrase(&acting, false)?;
            ws.change_passphrase(&session, &current, &new)?;
            println!("changed the passphrase of {acting}");
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

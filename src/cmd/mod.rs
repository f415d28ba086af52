//! One module per subcommand, and what they share: finding the workspace and signing in.

pub mod audit;
pub mod decide;
pub mod documents;
pub mod export;
pub mod findings;
pub mod import;
pub mod init;
pub mod inputs;
pub mod mark;
pub mod scan;
pub mod signoff;
pub mod summary;
pub mod user;
pub mod watch;

use std::path::PathBuf;

use anyhow::{Context, anyhow, bail};
use vetted_core::{Session, Workspace};

/// The acting user's passphrase, when not prompted for.
const PASSPHRASE_VAR: &str = "VETTED_PASSPHRASE";
/// A new user's initial passphrase, when not prompted for.
const NEW_PASSPHRASE_VAR: &str = "VETTED_NEW_PASSPHRASE";

/// The `--workspace` option (or `VETTED_WORKSPACE`), resolved on use.
#[derive(Debug)]
pub struct WorkspaceDir(pub Option<PathBuf>);

impl WorkspaceDir {
    /// The directory: the option, else the platform data directory.
    pub fn path(&self) -> anyhow::Result<PathBuf> {
        match &self.0 {
            Some(dir) => Ok(dir.clone()),
            None => vetted_core::default_workspace_dir().ok_or_else(|| {
                anyhow!("no workspace directory: pass --workspace DIR or set VETTED_WORKSPACE")
            }),
        }
    }

    /// Opens the existing workspace.
    pub fn open(&self) -> anyhow::Result<Workspace> {
        Ok(Workspace::open(&self.path()?)?)
    }
}

/// Signs `user` in, with the passphrase from `VETTED_PASSPHRASE` or a hidden prompt. Never
/// from an argument: arguments are visible to every user of the machine in the process list.
pub fn sign_in(workspace: &Workspace, user: &str) -> anyhow::Result<Session> {
    Ok(workspace.sign_in(user, &passphrase(user)?)?)
}

/// The acting user's passphrase: `VETTED_PASSPHRASE`, else a hidden prompt.
pub fn passphrase(user: &str) -> anyhow::Result<String> {
    match std::env::var(PASSPHRASE_VAR) {
        Ok(passphrase) => Ok(passphrase),
        Err(_) => rpassword::prompt_password(format!("Passphrase for {user}: ")).with_context(|| {
            format!("cannot read a passphrase (set {PASSPHRASE_VAR} when there is no terminal)")
        }),
    }
}

/// A new user's passphrase: `VETTED_NEW_PASSPHRASE`, else (when `fallback_to_own` — the first
/// admin has no one else's passphrase to give) `VETTED_PASSPHRASE`, else asked twice.
pub fn new_passphrase(user: &str, fallback_to_own: bool) -> anyhow::Result<String> {
    if let Ok(passphrase) = std::env::var(NEW_PASSPHRASE_VAR) {
        return Ok(passphrase);
    }
    if fallback_to_own && let Ok(passphrase) = std::env::var(PASSPHRASE_VAR) {
        return Ok(passphrase);
    }
    let read = |prompt: String| {
        rpassword::prompt_password(prompt).with_context(|| {
            format!("cannot read a passphrase (set {NEW_PASSPHRASE_VAR} when there is no terminal)")
        })
    };
    let first = read(format!("New passphrase for {user}: "))?;
    let second = read(format!("Repeat the passphrase for {user}: "))?;
    if first != second {
        bail!("the two passphrases differ");
    }
    Ok(first)
}

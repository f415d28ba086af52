//! Who may open the oversight screens. The core enforces every role on every change; these
//! checks are for what the core leaves readable to anyone holding the workspace (the audit
//! log, the user list), which the app shows only to the roles whose job it is, so that a
//! drafter at a shared workstation does not browse who did what.

use vetted_core::{Error, ErrorKind, Result, Role, Session, Workspace};

/// Refuses unless the signed-in user holds one of `roles`, naming what they tried to do.
pub fn require_any(workspace: &Workspace, session: &Session, roles: &[Role], what: &str) -> Result<()> {
    let user = workspace.users()?.into_iter().find(|u| u.name == session.name() && !u.disabled).ok_or_else(
        || Error::new(ErrorKind::Authentication, format!("user {} is disabled", session.name())),
    )?;
    if user.roles.iter().any(|role| roles.contains(role)) {
        return Ok(());
    }
    let needed: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
    Err(Error::new(
        ErrorKind::Forbidden,
        format!("{} may not {what}: that needs the {} role", user.name, needed.join(" or ")),
    ))
}

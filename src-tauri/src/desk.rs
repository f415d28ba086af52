//! The desk: the workspace this app works in and the user signed in at it.
//!
//! One workspace per run, in `VETTED_WORKSPACE` or the default directory; it is created, with
//! its first administrator, from the sign-in screen when it does not exist yet. Every action
//! goes through the core's `Workspace` with the signed-in `Session`, so roles, separation of
//! duties and the audit log are enforced there, not here. Like `workbench`, this module knows
//! nothing about Tauri.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use vetted_core::{
    DocState, Error, ErrorKind, FindingStatus, Result, Revision, Role, Session, SignOffKind, UserInfo,
    Workspace,
};

use crate::dto::{DeskStatus, Holder, ImportView, InboxRow, OpenCounts, SeverityView, UserView};

/// The workspace and the session, shared by every command.
pub struct Desk {
    dir: Option<PathBuf>,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    workspace: Option<Workspace>,
    session: Option<Session>,
}

impl Desk {
    /// A desk on the workspace in `dir` (`None` when no directory could be determined: the
    /// status then says so and nothing else works).
    pub fn new(dir: Option<PathBuf>) -> Self {
        Desk { dir, state: Mutex::new(State::default()) }
    }

    /// The workspace directory from `VETTED_WORKSPACE`, else the core's default.
    pub fn default_dir() -> Option<PathBuf> {
        std::env::var_os("VETTED_WORKSPACE").map(PathBuf::from).or_else(vetted_core::default_workspace_dir)
    }

    /// Where the desk stands: whether the workspace exists, its users, who is signed in.
    pub fn status(&self) -> Result<DeskStatus> {
        let mut state = self.lock();
        let exists = self.ensure_open(&mut state).is_ok();
        let users = match &state.workspace {
            Some(workspace) => {
                workspace.users()?.iter().filter(|u| !u.disabled).map(UserView::from).collect()
            }
            None => Vec::new(),
        };
        let signed_in = match (&state.workspace, &state.session) {
            (Some(workspace), Some(session)) => user_of(workspace, session)?,
            _ => None,
        };
        Ok(DeskStatus {
            workspace_dir: self.dir.as_ref().map(|d| d.display().to_string()).unwrap_or_default(),
            exists,
            users,
            signed_in,
        })
    }

    /// Creates the workspace with its first user, an administrator, and signs them in.
    pub fn create(&self, admin: &str, passphrase: &str) -> Result<DeskStatus> {
        let dir = self.dir()?;
        {
            let mut state = self.lock();
            let workspace = Workspace::create(dir, admin, passphrase)?;
            state.session = Some(workspace.sign_in(admin, passphrase)?);
            state.workspace = Some(workspace);
        }
        self.status()
    }

    /// Signs `name` in; the previous session, if any, ends whatever the outcome.
    pub fn sign_in(&self, name: &str, passphrase: &str) -> Result<UserView> {
        let mut state = self.lock();
        state.session = None;
        let workspace = self.ensure_open(&mut state)?;
        let session = workspace.sign_in(name, passphrase)?;
        let user = user_of(workspace, &session)?
            .ok_or_else(|| Error::new(ErrorKind::Authentication, format!("user {name} vanished")))?;
        state.session = Some(session);
        Ok(user)
    }

    /// Ends the session (sign-out, or the lock after inactivity).
    pub fn sign_out(&self) {
        self.lock().session = None;
    }

    /// The latest revision of every document, with its open findings by severity.
    pub fn inbox(&self) -> Result<Vec<InboxRow>> {
        let state = self.lock();
        let (workspace, _) = signed_in(&state)?;
        workspace.documents()?.iter().map(|revision| inbox_row(workspace, revision)).collect()
    }

    /// Imports the file at `path` as the signed-in user (a drafter).
    pub fn import(&self, path: &Path) -> Result<ImportView> {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let bytes = std::fs::read(path).map_err(|e| Error::from(e).context(&name))?;
        let state = self.lock();
        let (workspace, session) = signed_in(&state)?;
        let outcome = workspace.import(session, &name, &bytes, None).map_err(|e| e.context(&name))?;
        Ok(ImportView {
            document: outcome.document.to_string(),
            revision: outcome.revision,
            file_name: name,
            findings: outcome.findings as u32,
        })
    }

    /// Adds a user (the signed-in user must be an administrator).
    pub fn add_user(&self, name: &str, roles: &[String], passphrase: &str) -> Result<()> {
        let roles = roles.iter().map(|r| r.parse()).collect::<Result<Vec<Role>>>()?;
        let state = self.lock();
        let (workspace, session) = signed_in(&state)?;
        workspace.add_user(session, name, &roles, passphrase)
    }

    /// Runs `work` with the workspace and the signed-in user's session; fails with
    /// `authentication` when nobody is signed in. The screens' own modules (review, sign-off,
    /// audit, settings, intake) reach the core through this, so the core enforces every role.
    pub fn with_session<R>(&self, work: impl FnOnce(&Workspace, &Session) -> Result<R>) -> Result<R> {
        let state = self.lock();
        let (workspace, session) = signed_in(&state)?;
        work(workspace, session)
    }

    /// Like [`Desk::with_session`], for the few core operations that change the open
    /// workspace itself (editing its rule packs reloads the rules it scans with).
    pub fn with_session_mut<R>(&self, work: impl FnOnce(&mut Workspace, &Session) -> Result<R>) -> Result<R> {
        let mut state = self.lock();
        let State { workspace, session } = &mut *state;
        match (workspace.as_mut(), session.as_ref()) {
            (Some(workspace), Some(session)) => work(workspace, session),
            _ => Err(Error::new(ErrorKind::Authentication, "nobody is signed in")),
        }
    }

    fn dir(&self) -> Result<&Path> {
        self.dir.as_deref().ok_or_else(|| {
            Error::new(ErrorKind::Workspace, "no workspace directory: set VETTED_WORKSPACE or HOME")
        })
    }

    fn ensure_open<'a>(&self, state: &'a mut State) -> Result<&'a Workspace> {
        if state.workspace.is_none() {
            state.workspace = Some(Workspace::open(self.dir()?)?);
        }
        state.workspace.as_ref().ok_or_else(|| Error::new(ErrorKind::Workspace, "the workspace is not open"))
    }

    /// The state, even if a panic in another command poisoned the lock: the workspace's own
    /// transactions keep the database consistent, and the session is replaced whole.
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn signed_in(state: &State) -> Result<(&Workspace, &Session)> {
    match (&state.workspace, &state.session) {
        (Some(workspace), Some(session)) => Ok((workspace, session)),
        _ => Err(Error::new(ErrorKind::Authentication, "nobody is signed in")),
    }
}

fn user_of(workspace: &Workspace, session: &Session) -> Result<Option<UserView>> {
    Ok(workspace.users()?.iter().find(|u| u.name == session.name()).map(UserView::from))
}

fn inbox_row(workspace: &Workspace, revision: &Revision) -> Result<InboxRow> {
    let mut open = OpenCounts::default();
    let mut decided = 0;
    let mut last_decider = None;
    for reviewed in workspace.findings(revision.document)? {
        if reviewed.status != FindingStatus::Open {
            decided += 1;
            last_decider = reviewed.decided_by.clone().or(last_decider);
            continue;
        }
        match SeverityView::from(reviewed.finding.severity) {
            SeverityView::Critical => open.critical += 1,
            SeverityView::High => open.high += 1,
            SeverityView::Medium => open.medium += 1,
            SeverityView::Low => open.low += 1,
        }
    }
    Ok(InboxRow {
        document: revision.document.to_string(),
        revision: revision.number,
        file_name: revision.file_name.clone(),
        format: revision.format.as_str().to_string(),
        state: revision.state.as_str().to_string(),
        drafter: revision.drafter.clone(),
        imported_at: revision.imported_at.clone(),
        open,
        decided,
        holder: holder_of(workspace, revision, last_decider)?,
    })
}

/// Whose move `revision` is. A review in progress is held by whoever has decided findings in it;
/// an approved one by its approver, until the export.
fn holder_of(workspace: &Workspace, revision: &Revision, reviewer: Option<String>) -> Result<Holder> {
    let approver = || -> Result<Option<String>> {
        let signoffs = workspace.signoffs(revision.document)?;
        Ok(signoffs
            .into_iter()
            .rev()
            .find(|s| {
                s.revision == revision.number && s.kind == SignOffKind::Approved && s.voided_at.is_none()
            })
            .map(|s| s.user))
    };
    let (role, user) = match revision.state {
        DocState::Imported | DocState::Rejected => ("reviewer", None),
        DocState::InReview => ("reviewer", reviewer),
        DocState::ReviewComplete => ("approver", None),
        DocState::Approved => ("approver", approver()?),
        DocState::Exported | DocState::Superseded => ("none", None),
    };
    Ok(Holder { role: role.to_string(), user })
}

impl From<&UserInfo> for UserView {
    fn from(user: &UserInfo) -> Self {
        UserView {
            name: user.name.clone(),
            roles: user.roles.iter().map(|r| r.as_str().to_string()).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn desk() -> (tempfile::TempDir, Desk) {
        let dir = tempfile::tempdir().unwrap();
        let desk = Desk::new(Some(dir.path().join("workspace")));
        (dir, desk)
    }

    #[test]
    fn a_missing_workspace_is_reported_then_created_with_its_admin_signed_in() {
        let (_dir, desk) = desk();
        let before = desk.status().unwrap();
        assert_eq!((before.exists, before.users.len(), before.signed_in), (false, 0, None));
        let after = desk.create("admin", "correct horse battery").unwrap();
        let admin = UserView { name: "admin".into(), roles: vec!["admin".into()] };
        assert_eq!((after.exists, after.users, after.signed_in), (true, vec![admin.clone()], Some(admin)));
    }

    #[test]
    fn sign_in_checks_the_passphrase_and_sign_out_ends_the_session() {
        let (_dir, desk) = desk();
        desk.create("admin", "correct horse battery").unwrap();
        desk.sign_out();
        assert_eq!(desk.status().unwrap().signed_in, None);
        assert_eq!(desk.inbox().unwrap_err().kind(), ErrorKind::Authentication);
        assert_eq!(desk.sign_in("admin", "wrong").unwrap_err().kind(), ErrorKind::Authentication);
        assert_eq!(desk.sign_in("admin", "correct horse battery").unwrap().name, "admin");
        assert_eq!(desk.inbox().unwrap(), vec![]);
    }

    #[test]
    fn an_admin_may_not_import_documents() {
        let (dir, desk) = desk();
        desk.create("admin", "correct horse battery").unwrap();
        let draft = dir.path().join("note.txt");
        std::fs::write(&draft, "hello").unwrap();
        assert_eq!(desk.import(&draft).unwrap_err().kind(), ErrorKind::Forbidden);
    }

    #[test]
    fn a_drafter_added_by_the_admin_imports_and_the_inbox_shows_the_document() {
        let (dir, desk) = desk();
        desk.create("admin", "correct horse battery").unwrap();
        desk.add_user("li", &["drafter".into()], "drafter passphrase").unwrap();
        desk.sign_in("li", "drafter passphrase").unwrap();
        let draft = dir.path().join("note.txt");
        std::fs::write(&draft, "hello").unwrap();
        let imported = desk.import(&draft).unwrap();
        assert_eq!((imported.document.as_str(), imported.revision), ("D1", 1));
        let inbox = desk.inbox().unwrap();
        let rows: Vec<_> = inbox
            .iter()
            .map(|r| (r.document.as_str(), r.file_name.as_str(), r.state.as_str(), r.drafter.as_str()))
            .collect();
        assert_eq!(rows, vec![("D1", "note.txt", "imported", "li")]);
        assert_eq!(inbox[0].holder, Holder { role: "reviewer".into(), user: None }, "awaiting a reviewer");
    }

    #[test]
    fn an_unknown_role_is_refused_with_a_stable_code() {
        let (_dir, desk) = desk();
        desk.create("admin", "correct horse battery").unwrap();
        let error = desk.add_user("x", &["boss".into()], "passphrase here").unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidInput);
    }
}

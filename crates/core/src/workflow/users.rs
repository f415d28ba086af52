//! Users, roles and signing in.
//!
//! Passphrases are stored only as argon2id hashes (PHC strings with their own salt). A failed
//! sign-in is logged and counted; from the third consecutive failure on, every attempt first
//! waits, doubling up to half a minute, which makes guessing slow even from a script. Users are
//! never deleted, only disabled, so their names in the audit log keep meaning someone.

use std::time::Duration;

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{Workspace, log};
use crate::error::{Error, ErrorKind, Result};
use crate::store::utc_now;

/// What a user may do. One person may hold several roles, within separation of duties.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Imports drafts and new revisions of them (承办人).
    Drafter,
    /// Decides findings, adds manual marks, signs review complete (审查员).
    Reviewer,
    /// Approves or rejects reviewed revisions and exports approved ones (审批领导).
    Approver,
    /// Reads the history and verifies the audit chain; changes nothing (审计员).
    Auditor,
    /// Manages users and reason codes; has no review powers.
    Admin,
}

impl Role {
    /// Every role, in order.
    pub const ALL: [Role; 5] = [Role::Drafter, Role::Reviewer, Role::Approver, Role::Auditor, Role::Admin];

    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Drafter => "drafter",
            Role::Reviewer => "reviewer",
            Role::Approver => "approver",
            Role::Auditor => "auditor",
            Role::Admin => "admin",
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Role {
    type Err = Error;

    fn from_str(s: &str) -> Result<Role> {
        Role::ALL.into_iter().find(|r| r.as_str().eq_ignore_ascii_case(s.trim())).ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidInput,
                format!("unknown role {s:?} (roles: drafter, reviewer, approver, auditor, admin)"),
            )
        })
    }
}

/// A signed-in user. Only [`Workspace::sign_in`] makes one; every action takes it and checks,
/// at that moment, that the user still exists, is enabled and holds the role the action needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    user_id: i64,
    name: String,
}

impl Session {
    /// The user's name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// A user as an admin sees them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserInfo {
    /// The user name.
    pub name: String,
    /// Their roles.
    pub roles: Vec<Role>,
    /// True when they may no longer sign in.
    pub disabled: bool,
}

/// The acting user as loaded inside a write transaction.
#[derive(Debug)]
pub(crate) struct Actor {
    pub id: i64,
    pub name: String,
    pub roles: Vec<Role>,
}

impl Actor {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Refuses unless the actor holds `role`.
    pub fn require(&self, role: Role, what: &str) -> Result<()> {
        if self.has(role) {
            Ok(())
        } else {
            Err(Error::new(
                ErrorKind::Forbidden,
                format!("{} may not {what}: that needs the {role} role", self.name),
            ))
        }
    }

    /// Refuses unless the actor holds `role` and neither oversight role (see
    /// [`Actor::document_role_gap`]).
    pub fn require_document_role(&self, role: Role, what: &str) -> Result<()> {
        match self.document_role_gap(role) {
            None => Ok(()),
            Some(gap) => Err(Error::new(ErrorKind::Forbidden, gap.message(&self.name, what))),
        }
    }

    /// Why the actor may not act on documents as `role`, if they may not: auditors and admins
    /// never change documents, even when they also hold a review role, so that the people who
    /// check the record are not among those who made it; everyone else needs the role itself.
    /// The one statement of that rule, used by the actions and by the explanation of what a
    /// user may do (`signoff::sign_off_options`).
    pub fn document_role_gap(&self, role: Role) -> Option<RoleGap> {
        if let Some(oversight) = [Role::Admin, Role::Auditor].into_iter().find(|r| self.has(*r)) {
            return Some(RoleGap::Oversight(oversight));
        }
        (!self.has(role)).then_some(RoleGap::Missing(role))
    }
}

/// Why a user may not act on documents in a role.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RoleGap {
    /// They hold this oversight role (auditor or admin), which never changes documents.
    Oversight(Role),
    /// They do not hold the role the action needs.
    Missing(Role),
}

impl RoleGap {
    /// The refusal, for people: `who` may not `what`, and why.
    pub fn message(self, who: &str, what: &str) -> String {
        match self {
            RoleGap::Oversight(oversight) => {
                format!("{who} may not {what}: {oversight}s cannot change documents")
            }
            RoleGap::Missing(role) => format!("{who} may not {what}: that needs the {role} role"),
        }
    }
}

/// Loads the session's user (inside the write transaction, for an action), refusing one that
/// was disabled since signing in.
pub(crate) fn acting(conn: &Connection, session: &Session) -> Result<Actor> {
    let found: Option<(String, bool)> = conn
        .query_row("SELECT name, disabled FROM users WHERE id = ?1", [session.user_id], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .optional()?;
    match found {
        Some((name, false)) => {
            Ok(Actor { id: session.user_id, roles: roles_of(conn, session.user_id)?, name })
        }
        Some((name, true)) => Err(Error::new(ErrorKind::Authentication, format!("user {name} is disabled"))),
        None => Err(Error::new(ErrorKind::Authentication, format!("user {} does not exist", session.name))),
    }
}

fn roles_of(conn: &Connection, user_id: i64) -> Result<Vec<Role>> {
    let mut statement = conn.prepare("SELECT role FROM user_roles WHERE user_id = ?1")?;
    let names = statement.query_map([user_id], |row| row.get::<_, String>(0))?;
    let mut roles = Vec::new();
    for name in names {
        roles.push(
            name?.parse::<Role>().map_err(|e| Error::new(ErrorKind::Workspace, e.message().to_string()))?,
        );
    }
    roles.sort();
    Ok(roles)
}

fn hash_passphrase(passphrase: &str) -> Result<String> {
    check_new_passphrase(passphrase)?;
    Argon2::default()
        .hash_password(passphrase.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| Error::new(ErrorKind::Workspace, format!("cannot hash the passphrase: {e}")))
}

/// Refuses an empty passphrase. Length and complexity rules are the agency's policy, set by
/// its own regulations, and are not second-guessed here; argon2id makes every guess slow.
fn check_new_passphrase(passphrase: &str) -> Result<()> {
    if passphrase.is_empty() {
        return Err(Error::new(ErrorKind::InvalidInput, "a passphrase cannot be empty"));
    }
    Ok(())
}

fn check_user_name(name: &str) -> Result<()> {
    let valid = !name.is_empty()
        && name.chars().count() <= 64
        && name.chars().all(|c| !c.is_control() && !c.is_whitespace() && c != ',');
    if valid {
        Ok(())
    } else {
        Err(Error::new(
            ErrorKind::InvalidInput,
            format!("{name:?} is not a valid user name (1 to 64 characters, no spaces or commas)"),
        ))
    }
}

fn insert_user(tx: &Transaction<'_>, name: &str, roles: &[Role], passphrase: &str) -> Result<i64> {
    check_user_name(name)?;
    if roles.is_empty() {
        return Err(Error::new(ErrorKind::InvalidInput, format!("user {name} needs at least one role")));
    }
    let exists: bool =
        tx.query_row("SELECT EXISTS (SELECT 1 FROM users WHERE name = ?1)", [name], |row| row.get(0))?;
    if exists {
        return Err(Error::new(ErrorKind::InvalidInput, format!("user {name} already exists")));
    }
    let hash = hash_passphrase(passphrase)?;
    tx.execute(
        "INSERT INTO users (name, passphrase_hash, created_at) VALUES (?1, ?2, ?3)",
        params![name, hash, utc_now()],
    )?;
    let id = tx.last_insert_rowid();
    for role in roles {
        tx.execute(
            "INSERT OR IGNORE INTO user_roles (user_id, role) VALUES (?1, ?2)",
            params![id, role.as_str()],
        )?;
    }
    Ok(id)
}

pub(super) fn create_first_admin(workspace: &Workspace, name: &str, passphrase: &str) -> Result<()> {
    let tx = workspace.store().write()?;
    let has_users: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM users)", [], |row| row.get(0))?;
    if has_users {
        return Err(Error::new(
            ErrorKind::Workspace,
            format!("{} already holds a Vetted workspace", workspace.dir().display()),
        ));
    }
    insert_user(&tx, name, &[Role::Admin], passphrase)?;
    log(&tx, name, "workspace_created", None, json!({ "schema_version": crate::store::SCHEMA_VERSION }))?;
    log(&tx, name, "user_added", None, json!({ "user": name, "roles": [Role::Admin] }))?;
    tx.commit()?;
    Ok(())
}

/// After this many consecutive failures, each attempt waits before checking.
const FREE_ATTEMPTS: u32 = 3;
/// The longest wait.
const MAX_DELAY: Duration = Duration::from_secs(30);

fn delay_after(failures: u32) -> Duration {
    if failures < FREE_ATTEMPTS {
        return Duration::ZERO;
    }
    let doubling = (failures - FREE_ATTEMPTS).min(5);
    Duration::from_secs(1 << doubling).min(MAX_DELAY)
}

impl Workspace {
    /// Signs `name` in with `passphrase`. Success and failure are both logged; a failure
    /// counts toward the slowdown and is [`ErrorKind::Authentication`], with the same message
    /// whether the user is unknown or the passphrase wrong.
    pub fn sign_in(&self, name: &str, passphrase: &str) -> Result<Session> {
        let conn = self.store().conn();
        let user: Option<(i64, String, bool, u32)> = conn
            .query_row(
                "SELECT id, passphrase_hash, disabled, failed_sign_ins FROM users WHERE name = ?1",
                [name],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
            )
            .optional()?;
        let failures = user.as_ref().map_or(0, |u| u.3);
        std::thread::sleep(delay_after(failures));
        let passphrase_ok = match &user {
            Some((_, hash, _, _)) => {
                Argon2::default().verify_password(passphrase.as_bytes(), hash.as_str()).is_ok()
            }
            None => {
                // Hash anyway, so that an unknown name takes as long as a wrong passphrase and
                // the timing does not tell which user names exist.
                let _ =
                    Argon2::default().hash_password_with_salt(passphrase.as_bytes(), b"vetted-no-such-user");
                false
            }
        };

        let tx = self.store().write()?;
        match user {
            Some((id, _, false, _)) if passphrase_ok => {
                tx.execute("UPDATE users SET failed_sign_ins = 0 WHERE id = ?1", [id])?;
                log(&tx, name, "sign_in", None, json!({}))?;
                tx.commit()?;
                Ok(Session { user_id: id, name: name.to_string() })
            }
            Some((id, _, disabled, _)) => {
                tx.execute("UPDATE users SET failed_sign_ins = failed_sign_ins + 1 WHERE id = ?1", [id])?;
                let why = if disabled && passphrase_ok { "user disabled" } else { "wrong passphrase" };
                log(
                    &tx,
                    name,
                    "sign_in_failed",
                    None,
                    json!({ "why": why, "consecutive_failures": failures + 1 }),
                )?;
                tx.commit()?;
                if disabled && passphrase_ok {
                    Err(Error::new(ErrorKind::Authentication, format!("user {name} is disabled")))
                } else {
                    Err(Error::new(
                        ErrorKind::Authentication,
                        format!("sign-in failed for {name}: wrong user name or passphrase"),
                    ))
                }
            }
            None => {
                log(&tx, name, "sign_in_failed", None, json!({ "why": "unknown user" }))?;
                tx.commit()?;
                Err(Error::new(
                    ErrorKind::Authentication,
                    format!("sign-in failed for {name}: wrong user name or passphrase"),
                ))
            }
        }
    }

    /// Adds a user with `roles` and an initial passphrase (admin only).
    pub fn add_user(&self, session: &Session, name: &str, roles: &[Role], passphrase: &str) -> Result<()> {
        let tx = self.store().write()?;
        let actor = acting(&tx, session)?;
        actor.require(Role::Admin, "add users")?;
        insert_user(&tx, name, roles, passphrase)?;
        let mut roles = roles.to_vec();
        roles.sort();
        roles.dedup();
        log(&tx, &actor.name, "user_added", None, json!({ "user": name, "roles": roles }))?;
        tx.commit()?;
        Ok(())
    }

    /// Disables a user (admin only). Their history stays; they can no longer sign in or act.
    pub fn disable_user(&self, session: &Session, name: &str) -> Result<()> {
        let tx = self.store().write()?;
        let actor = acting(&tx, session)?;
        actor.require(Role::Admin, "disable users")?;
        if actor.name == name {
            return Err(Error::new(ErrorKind::InvalidInput, "an admin cannot disable their own account"));
        }
        let changed = tx.execute("UPDATE users SET disabled = 1 WHERE name = ?1 AND disabled = 0", [name])?;
        if changed == 0 {
            return Err(Error::new(ErrorKind::NotFound, format!("no enabled user named {name}")));
        }
        log(&tx, &actor.name, "user_disabled", None, json!({ "user": name }))?;
        tx.commit()?;
        Ok(())
    }

    /// Replaces the roles of user `name` (admin only, audited). Refused when it would leave the
    /// workspace without an enabled administrator: nobody could then add users or fix roles.
    /// Giving a user the roles they have changes and records nothing.
    pub fn set_roles(&self, session: &Session, name: &str, roles: &[Role]) -> Result<()> {
        let tx = self.store().write()?;
        let actor = acting(&tx, session)?;
        actor.require(Role::Admin, "change roles")?;
        let mut roles = roles.to_vec();
        roles.sort();
        roles.dedup();
        if roles.is_empty() {
            return Err(Error::new(ErrorKind::InvalidInput, format!("user {name} needs at least one role")));
        }
        let user: Option<(i64, bool)> = tx
            .query_row("SELECT id, disabled FROM users WHERE name = ?1", [name], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })
            .optional()?;
        let Some((id, disabled)) = user else {
            return Err(Error::new(ErrorKind::NotFound, format!("no user named {name}")));
        };
        let before = roles_of(&tx, id)?;
        if before == roles {
            return Ok(());
        }
        if !disabled && before.contains(&Role::Admin) && !roles.contains(&Role::Admin) {
            let other_admins: i64 = tx.query_row(
                "SELECT COUNT(*) FROM users JOIN user_roles ON user_roles.user_id = users.id
                 WHERE user_roles.role = 'admin' AND users.disabled = 0 AND users.id <> ?1",
                [id],
                |row| row.get(0),
            )?;
            if other_admins == 0 {
                return Err(Error::new(
                    ErrorKind::InvalidInput,
                    format!("{name} is the last administrator: make someone else an administrator first"),
                ));
            }
        }
        tx.execute("DELETE FROM user_roles WHERE user_id = ?1", [id])?;
        for role in &roles {
            tx.execute("INSERT INTO user_roles (user_id, role) VALUES (?1, ?2)", params![id, role.as_str()])?;
        }
        log(&tx, &actor.name, "roles_changed", None, json!({ "user": name, "from": before, "to": roles }))?;
        tx.commit()?;
        Ok(())
    }

    /// Changes the signed-in user's own passphrase, which must be given again: a session left
    /// open on a shared workstation is not enough to take over the account.
    pub fn change_passphrase(&self, session: &Session, current: &str, new: &str) -> Result<()> {
        let tx = self.store().write()?;
        let actor = acting(&tx, session)?;
        let hash: String =
            tx.query_row("SELECT passphrase_hash FROM users WHERE id = ?1", [actor.id], |row| row.get(0))?;
        if Argon2::default().verify_password(current.as_bytes(), hash.as_str()).is_err() {
            log(
                &tx,
                &actor.name,
                "sign_in_failed",
                None,
                json!({ "why": "wrong passphrase when changing it" }),
            )?;
            tx.commit()?;
            return Err(Error::new(ErrorKind::Authentication, "the current passphrase is wrong"));
        }
        tx.execute(
            "UPDATE users SET passphrase_hash = ?1 WHERE id = ?2",
            params![hash_passphrase(new)?, actor.id],
        )?;
        log(&tx, &actor.name, "passphrase_changed", None, json!({}))?;
        tx.commit()?;
        Ok(())
    }

    /// Every user, by name.
    pub fn users(&self) -> Result<Vec<UserInfo>> {
        let conn = self.store().conn();
        let mut statement = conn.prepare("SELECT id, name, disabled FROM users ORDER BY name")?;
        let rows = statement.query_map([], |row| Ok((row.get::<_, i64>(0)?, row.get(1)?, row.get(2)?)))?;
        let mut users = Vec::new();
        for row in rows {
            let (id, name, disabled) = row?;
            users.push(UserInfo { name, roles: roles_of(conn, id)?, disabled });
        }
        Ok(users)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_slow_down_from_the_third_and_cap_at_half_a_minute() {
        let check =
            |failures, seconds| assert_eq!(delay_after(failures), Duration::from_secs(seconds), "{failures}");
        check(0, 0);
        check(2, 0);
        check(3, 1);
        check(4, 2);
        check(7, 16);
        check(8, 30);
        check(1000, 30);
    }

    const PASS: &str = "correct horse battery";

    #[test]
    fn an_admin_changes_roles_and_the_change_is_audited_and_takes_effect_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::create(dir.path(), "admin", PASS).unwrap();
        let admin = ws.sign_in("admin", PASS).unwrap();
        ws.add_user(&admin, "li", &[Role::Drafter], PASS).unwrap();
        let li = ws.sign_in("li", PASS).unwrap();
        ws.set_roles(&admin, "li", &[Role::Reviewer, Role::Auditor, Role::Reviewer]).unwrap();
        let roles = ws.users().unwrap().into_iter().find(|u| u.name == "li").unwrap().roles;
        assert_eq!(roles, [Role::Reviewer, Role::Auditor]);
        // The session signed in before the change acts with the new roles.
        let error = ws.import(&li, "a.txt", b"hello", None).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Forbidden);
        let log = ws.audit_log(None).unwrap();
        let entry = log.iter().rev().find(|e| e.action != "refused").unwrap().clone();
        assert_eq!(entry.action, "roles_changed");
        assert_eq!(
            entry.payload,
            json!({ "user": "li", "from": ["drafter"], "to": ["reviewer", "auditor"] })
        );
        // The same roles again record nothing.
        ws.set_roles(&admin, "li", &[Role::Auditor, Role::Reviewer]).unwrap();
        assert_eq!(ws.audit_log(None).unwrap().len(), log.len());
    }

    #[test]
    fn role_changes_are_refused_when_they_cannot_stand() {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::create(dir.path(), "admin", PASS).unwrap();
        let admin = ws.sign_in("admin", PASS).unwrap();
        ws.add_user(&admin, "li", &[Role::Drafter], PASS).unwrap();
        let li = ws.sign_in("li", PASS).unwrap();
        let check = |session: &Session, name: &str, roles: &[Role], kind: ErrorKind| {
            let error = ws.set_roles(session, name, roles).unwrap_err();
            assert_eq!(error.kind(), kind, "{name} {roles:?}: {error}");
        };
        check(&admin, "admin", &[Role::Auditor], ErrorKind::InvalidInput);
        check(&admin, "li", &[], ErrorKind::InvalidInput);
        check(&admin, "nobody", &[Role::Drafter], ErrorKind::NotFound);
        check(&li, "li", &[Role::Admin], ErrorKind::Forbidden);
        // With a second administrator, the first may step down.
        ws.set_roles(&admin, "li", &[Role::Admin]).unwrap();
        ws.set_roles(&admin, "admin", &[Role::Auditor]).unwrap();
        check(&li, "li", &[Role::Drafter], ErrorKind::InvalidInput);
    }
}

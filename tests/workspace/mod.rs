//! The workspace through the real `vetted` binary: users, the review workflow, separation of
//! duties, the audit chain under attack, crashes and concurrent writers. Every test has its
//! own workspace (a real SQLite file) in a temporary directory.

mod concurrency;
mod crash;
mod duties;
mod end_to_end;
mod faults;
mod findings;
mod tamper;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::util::{stderr, stdout};

/// The passphrase of each test user: their name, padded to the minimum length.
pub fn passphrase(user: &str) -> String {
    format!("{user}-passphrase")
}

/// A workspace with an admin and one user per review role: `dora` drafts, `rita` reviews,
/// `alan` approves, `otto` audits, `root` administers.
pub struct Office {
    pub dir: tempfile::TempDir,
}

impl Office {
    pub fn new() -> Office {
        let office = Office { dir: tempfile::tempdir().unwrap() };
        let out = office
            .command(None)
            .args(["init", "--admin", "root"])
            .env("VETTED_NEW_PASSPHRASE", passphrase("root"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "init: {}", stderr(&out));
        for (user, role) in
            [("dora", "drafter"), ("rita", "reviewer"), ("alan", "approver"), ("otto", "auditor")]
        {
            office.add_user(user, role);
        }
        office
    }

    pub fn add_user(&self, user: &str, roles: &str) {
        let out = self
            .command(Some("root"))
            .args(["user", "add", user, "--role", roles, "--as", "root"])
            .env("VETTED_NEW_PASSPHRASE", passphrase(user))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "user add {user}: {}", stderr(&out));
    }

    /// The workspace directory.
    pub fn workspace(&self) -> PathBuf {
        self.dir.path().join("ws")
    }

    /// A path in the test's directory (outside the workspace).
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `vetted` with this workspace in `VETTED_WORKSPACE` and, when `user` is given, their
    /// passphrase in `VETTED_PASSPHRASE`. Nothing is inherited from the test's environment.
    pub fn command(&self, user: Option<&str>) -> Command {
        let mut command = crate::util::vetted();
        command
            .env("VETTED_WORKSPACE", self.workspace())
            .env_remove("VETTED_PASSPHRASE")
            .env_remove("VETTED_NEW_PASSPHRASE")
            .stdin(Stdio::null());
        if let Some(user) = user {
            command.env("VETTED_PASSPHRASE", passphrase(user));
        }
        command
    }

    /// Runs `vetted ARGS --as USER` with the user's passphrase.
    pub fn run_as(&self, user: &str, args: &[&str]) -> Output {
        self.command(Some(user)).args(args).args(["--as", user]).output().unwrap()
    }

    /// Runs `vetted ARGS` (no acting user).
    pub fn run(&self, args: &[&str]) -> Output {
        self.command(None).args(args).output().unwrap()
    }

    /// Runs `vetted ARGS --as USER`, which must succeed; returns stdout.
    pub fn ok_as(&self, user: &str, args: &[&str]) -> String {
        succeeded(&self.run_as(user, args), &format!("{args:?} as {user}"))
    }

    /// Runs `vetted ARGS`, which must succeed; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        succeeded(&self.run(args), &format!("{args:?}"))
    }

    /// Runs `vetted ARGS --as USER`, which must be refused with exit 1 and one line on stderr;
    /// returns that line.
    pub fn refused_as(&self, user: &str, args: &[&str]) -> String {
        refused(&self.run_as(user, args), &format!("{args:?} as {user}"))
    }

    /// Imports `file` as `dora` and returns the document id (the last line of stdout).
    pub fn import(&self, file: &Path) -> String {
        let out = self.ok_as("dora", &["import", file.to_str().unwrap()]);
        out.lines().last().unwrap().to_string()
    }

    /// Writes `text` to a file in the test directory and returns its path.
    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    /// The workspace database, opened directly.
    pub fn database(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.workspace().join("vetted.db")).unwrap()
    }

    /// The actions of the audit log (of one document, or all), as `audit log --json` lists them.
    pub fn actions(&self, document: Option<&str>) -> Vec<String> {
        let mut args = vec!["audit", "log", "--json"];
        args.extend(document);
        let json: serde_json::Value = serde_json::from_str(&self.ok(&args)).unwrap();
        json.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap().to_string()).collect()
    }
}

pub fn succeeded(out: &Output, what: &str) -> String {
    assert_eq!(out.status.code(), Some(0), "{what} must succeed; stderr: {}", stderr(out));
    stdout(out)
}

pub fn refused(out: &Output, what: &str) -> String {
    let err = stderr(out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{what} must be refused with exit 1; stdout: {} stderr: {err}",
        stdout(out)
    );
    assert_eq!(err.lines().count(), 1, "{what}: one line on stderr, got: {err}");
    err.trim_end().to_string()
}

//! The watched inbox folder, as a pure step: [`InboxSweeper::sweep`] looks at the files directly
//! in a folder, imports each one that is complete, and moves it out of the way — to
//! `processed/`, or to `failed/` with a `NAME.reason.txt` beside it saying why. It also owns
//! the workspace setting that names the folder.
//!
//! There is no file-system watching here: the CLI (`vetted watch`) and the desktop app wake a
//! sweep on notify events and on a timer, and this module decides what a sweep does, so the
//! rules are tested without timing.
//!
//! **Complete.** A writer gives no signal that it has finished, so a file counts as complete
//! when its size and modification time have not changed for the sweeper's settle time (seen
//! unchanged by two sweeps at least that far apart): a file still being copied waits. That
//! state lives in the sweeper, so the first sweep that sees a file never imports it, however
//! often the caller sweeps.
//!
//! **Never lost, never imported twice.** A complete file is first claimed by renaming it into
//! `.importing/` (a rename within one folder is atomic: the file is always in exactly one
//! place), then imported, then moved to `processed/` or `failed/`. A crash can therefore leave
//! a file in `.importing/`, imported or not; every sweep first finishes those. A claimed file
//! whose exact bytes are already the latest revision of the document with its name was imported
//! before the crash, and is moved to `processed/` without a second import. The same check makes
//! a file dropped again unchanged a no-op rather than a duplicate. Names already taken in
//! `processed/` or `failed/` get a ` (2)`, ` (3)`... suffix: nothing is overwritten.
//!
//! One sweeper per folder at a time: two processes sweeping the same folder could both finish
//! the same claimed file after a crash.

use std::collections::{BTreeMap, HashMap};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use rusqlite::{Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::users::{Role, Session, acting};
use super::{DocumentId, ImportOutcome, Workspace, log};
use crate::error::{Error, ErrorKind, Result};
use crate::verify::sha256_hex;

/// Where claimed files wait while they are imported.
const IMPORTING: &str = ".importing";
/// Where imported files go.
const PROCESSED: &str = "processed";
/// Where files that could not be imported go, each with a reason file.
const FAILED: &str = "failed";
/// The suffix of a reason file in `failed/`.
const REASON_SUFFIX: &str = ".reason.txt";
/// The settings key of the inbox folder.
const INBOX_FOLDER_KEY: &str = "inbox_folder";

/// What became of one file of the inbox folder.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Arrival {
    /// The file's name, as dropped in the folder.
    pub file_name: String,
    /// What the sweep did with it.
    pub outcome: ArrivalOutcome,
    /// Where the file is now (in `processed/` or `failed/`).
    pub moved_to: PathBuf,
}

/// What a sweep did with a complete file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ArrivalOutcome {
    /// Imported and scanned.
    Imported(ImportOutcome),
    /// Its exact bytes were already the latest revision of the document with its name (an
    /// import finished before a crash, or the same file dropped again): nothing was imported.
    AlreadyImported {
        /// The document.
        document: DocumentId,
        /// Its revision holding these bytes.
        revision: u32,
    },
    /// It could not be imported; the reason is also written beside it in `failed/`.
    Failed {
        /// Why, as a stable code ([`ErrorKind::code`]), for a front end to translate.
        code: String,
        /// Why, as one sentence.
        reason: String,
    },
}

/// The result of one sweep.
#[derive(Debug, Default)]
pub struct SweepReport {
    /// The files finished by this sweep, in the order they were handled.
    pub arrivals: Vec<Arrival>,
    /// Files seen in the folder that are not complete yet (new, or still growing).
    pub waiting: usize,
    /// The error that stopped the sweep early, when the workspace (not a file) failed: a full
    /// disk, a database error, a user who may no longer import. The file being handled stays
    /// in `.importing/` and is finished by the next sweep.
    pub stopped: Option<Error>,
}

/// Size and modification time of a file at one sweep.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Observation {
    len: u64,
    modified: Option<SystemTime>,
}

/// Sweeps one inbox folder, remembering what it saw and since when.
#[derive(Debug)]
pub struct InboxSweeper {
    dir: PathBuf,
    settle: Duration,
    last_seen: HashMap<OsString, (Observation, Instant)>,
}

impl InboxSweeper {
    /// A sweeper for `dir` that imports a file once it has stayed unchanged for `settle`
    /// (and been seen by two sweeps). It creates nothing until the first sweep.
    pub fn new(dir: impl Into<PathBuf>, settle: Duration) -> InboxSweeper {
        InboxSweeper { dir: dir.into(), settle, last_seen: HashMap::new() }
    }

    /// The folder swept.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Finishes what a crash left in `.importing/`, then imports as `session` every file of
    /// the folder that is complete, moving each to `processed/` or `failed/`.
    ///
    /// Fails when `session` may not import (nothing is moved then), or when the folder itself
    /// cannot be listed or its subfolders created; a file that cannot be imported is a
    /// [`ArrivalOutcome::Failed`] arrival, and a workspace failure ends the sweep early with
    /// [`SweepReport::stopped`].
    pub fn sweep(&mut self, workspace: &Workspace, session: &Session) -> Result<SweepReport> {
        self.sweep_reporting(workspace, session, &mut |_, _, _| {})
    }

    /// [`Self::sweep`], calling `progress(done, total, file_name)` before each file it handles
    /// and `progress(total, total, "")` once it is over, when it handled any: importing a batch
    /// of large files takes long enough for a front end to show how far it has got.
    pub fn sweep_reporting(
        &mut self,
        workspace: &Workspace,
        session: &Session,
        progress: &mut dyn FnMut(usize, usize, &str),
    ) -> Result<SweepReport> {
        // Refuse before touching a file: a user who may not import must not move anything.
        acting(workspace.store().conn(), session)?
            .require_document_role(Role::Drafter, "import documents from the inbox folder")?;
        for sub in [IMPORTING, PROCESSED, FAILED] {
            let path = self.dir.join(sub);
            std::fs::create_dir_all(&path)
                .map_err(|e| Error::from(e).context(format!("cannot create {}", path.display())))?;
        }
        let mut report = SweepReport::default();
        let leftovers: Vec<OsString> = self.list(&self.dir.join(IMPORTING))?.into_keys().collect();
        let previous = std::mem::take(&mut self.last_seen);
        let now = Instant::now();
        let mut complete = Vec::new();
        for (name, observation) in self.list(&self.dir)? {
            let since = match previous.get(&name) {
                Some((before, since)) if *before == observation => *since,
                _ => now,
            };
            if since == now || now.duration_since(since) < self.settle {
                report.waiting += 1;
                self.last_seen.insert(name, (observation, since));
            } else {
                complete.push((name, observation, since));
            }
        }
        let total = leftovers.len() + complete.len();
        self.handle(
            workspace,
            session,
            leftovers,
            complete,
            &mut |done, name| progress(done, total, name),
            &mut report,
        );
        if total > 0 {
            progress(total, total, "");
        }
        Ok(report)
    }

    /// Finishes the files left in `.importing/`, then claims and finishes the complete ones,
    /// until the workspace fails.
    fn handle(
        &mut self,
        workspace: &Workspace,
        session: &Session,
        leftovers: Vec<OsString>,
        complete: Vec<(OsString, Observation, Instant)>,
        progress: &mut dyn FnMut(usize, &str),
        report: &mut SweepReport,
    ) {
        let mut done = 0;
        for name in leftovers {
            progress(done, &name.to_string_lossy());
            done += 1;
            let claimed = self.dir.join(IMPORTING).join(name);
            if !self.finish_into(workspace, session, &claimed, report) {
                return;
            }
        }
        for (name, observation, since) in complete {
            progress(done, &name.to_string_lossy());
            done += 1;
            match self.claim(&name) {
                Ok(Some(claimed)) => {
                    if !self.finish_into(workspace, session, &claimed, report) {
                        return;
                    }
                }
                // Its name is still taken in `.importing/`: it waits for the next sweep.
                Ok(None) => {
                    report.waiting += 1;
                    self.last_seen.insert(name, (observation, since));
                }
                Err(error) => {
                    report.stopped = Some(error);
                    return;
                }
            }
        }
    }

    /// The files to consider directly in `dir`, by name, with what they look like now. Only
    /// regular files (not links, which could point anywhere), and not hidden or temporary ones.
    fn list(&self, dir: &Path) -> Result<BTreeMap<OsString, Observation>> {
        let entries = std::fs::read_dir(dir)
            .map_err(|e| Error::from(e).context(format!("cannot list {}", dir.display())))?;
        let mut files = BTreeMap::new();
        for entry in entries {
            let entry =
                entry.map_err(|e| Error::from(e).context(format!("cannot list {}", dir.display())))?;
            let name = entry.file_name();
            if is_skipped(&name) {
                continue;
            }
            // A file that vanished between listing and looking is simply not there.
            let Ok(metadata) = std::fs::symlink_metadata(entry.path()) else { continue };
            if metadata.is_file() {
                files.insert(name, Observation { len: metadata.len(), modified: metadata.modified().ok() });
            }
        }
        Ok(files)
    }

    /// Moves `DIR/name` into `.importing/`; `None` when a file of that name is already there.
    fn claim(&self, name: &OsString) -> Result<Option<PathBuf>> {
        let claimed = self.dir.join(IMPORTING).join(name);
        if claimed.exists() {
            return Ok(None);
        }
        let from = self.dir.join(name);
        std::fs::rename(&from, &claimed).map_err(|e| {
            Error::from(e).context(format!("cannot move {} into {IMPORTING}/", from.display()))
        })?;
        Ok(Some(claimed))
    }

    /// [`Self::finish`] into `report`; false when the sweep must stop.
    fn finish_into(
        &self,
        workspace: &Workspace,
        session: &Session,
        claimed: &Path,
        report: &mut SweepReport,
    ) -> bool {
        match self.finish(workspace, session, claimed) {
            Ok(arrival) => {
                report.arrivals.push(arrival);
                true
            }
            Err(error) => {
                report.stopped = Some(error);
                false
            }
        }
    }

    /// Imports a claimed file (unless its bytes already are the latest revision of the
    /// document with its name) and moves it to `processed/` or `failed/`. An error means the
    /// workspace failed, and the file stays where it is.
    fn finish(&self, workspace: &Workspace, session: &Session, claimed: &Path) -> Result<Arrival> {
        let file_name = claimed.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let outcome = match import_or_recognize(workspace, session, claimed) {
            Ok(outcome) => outcome,
            Err(error) if is_about_the_file(&error) => ArrivalOutcome::Failed {
                code: error.kind().code().to_string(),
                reason: error.message().to_string(),
            },
            Err(error) => return Err(error),
        };
        let moved_to = match &outcome {
            ArrivalOutcome::Failed { reason, .. } => {
                let moved_to = move_without_overwriting(claimed, &self.dir.join(FAILED))?;
                let mut reason_path = moved_to.clone().into_os_string();
                reason_path.push(REASON_SUFFIX);
                crate::store::write_atomically(Path::new(&reason_path), format!("{reason}\n").as_bytes())?;
                moved_to
            }
            _ => move_without_overwriting(claimed, &self.dir.join(PROCESSED))?,
        };
        Ok(Arrival { file_name, outcome, moved_to })
    }
}

/// Imports a claimed file, or recognizes it as the latest revision of the document with its
/// name. Errors about the file itself have a kind [`is_about_the_file`] accepts.
fn import_or_recognize(workspace: &Workspace, session: &Session, path: &Path) -> Result<ArrivalOutcome> {
    let name = path.file_name().and_then(|n| n.to_str()).ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidInput,
            "the file name is not valid UTF-8; rename the file and drop it again",
        )
    })?;
    // Refused by size before it is read: a huge file dropped in the folder must not be loaded
    // into memory just to be refused by the reader's own check.
    let limit = workspace.limits().max_input_bytes;
    if let Ok(metadata) = std::fs::metadata(path)
        && metadata.len() > limit
    {
        return Err(Error::limit(format!(
            "file is {} bytes, more than the limit of {limit} bytes",
            metadata.len()
        )));
    }
    // A file that cannot be read (its permissions) is the file's problem, not the workspace's.
    let bytes = std::fs::read(path)
        .map_err(|e| Error::new(ErrorKind::InvalidInput, format!("cannot read {name}: {e}")))?;
    let sha256 = sha256_hex(&bytes);
    let same = workspace.documents()?.into_iter().find(|r| r.file_name == name && r.sha256 == sha256);
    if let Some(revision) = same {
        return Ok(ArrivalOutcome::AlreadyImported {
            document: revision.document,
            revision: revision.number,
        });
    }
    workspace.import(session, name, &bytes, None).map(ArrivalOutcome::Imported)
}

/// True when an import error is about the file (it goes to `failed/`), false when it is about
/// the workspace or the user (the sweep stops and the file is tried again later).
fn is_about_the_file(error: &Error) -> bool {
    matches!(
        error.kind(),
        ErrorKind::UnsupportedFormat
            | ErrorKind::Malformed
            | ErrorKind::Encrypted
            | ErrorKind::LimitExceeded
            | ErrorKind::Hostile
            | ErrorKind::InvalidInput
    )
}

/// Moves `from` into `dir` under its own name, or `NAME (2).EXT`, `NAME (3).EXT`... when that
/// is taken. Returns where it went.
fn move_without_overwriting(from: &Path, dir: &Path) -> Result<PathBuf> {
    let name = from.file_name().map(Path::new).unwrap_or(Path::new("file"));
    let stem = name.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let extension = name.extension().map(|e| format!(".{}", e.to_string_lossy()));
    let mut target = dir.join(name);
    let mut n = 2;
    // `exists` then `rename` can race another writer of the same folder; a sweeper is the only
    // writer of processed/ and failed/ (see the module comment).
    while target.exists() {
        target = dir.join(format!("{stem} ({n}){}", extension.as_deref().unwrap_or("")));
        n += 1;
    }
    std::fs::rename(from, &target).map_err(|e| {
        Error::from(e).context(format!("cannot move {} to {}", from.display(), dir.display()))
    })?;
    Ok(target)
}

/// Hidden files, editors' lock files and partial downloads are never imported.
fn is_skipped(name: &OsString) -> bool {
    let name = name.to_string_lossy();
    let lower = name.to_lowercase();
    name.starts_with('.')
        || name.starts_with("~$")
        || name.ends_with('~')
        || [".part", ".partial", ".tmp", ".crdownload", ".download", ".swp"]
            .iter()
            .any(|s| lower.ends_with(s))
}

impl Workspace {
    /// Whether `session` may import documents now (a drafter who holds neither oversight
    /// role), so a front end can say why an inbox folder waits before sweeping it.
    pub fn may_import(&self, session: &Session) -> Result<bool> {
        match acting(self.store().conn(), session)?.require_document_role(Role::Drafter, "import documents") {
            Ok(()) => Ok(true),
            Err(error) if error.kind() == ErrorKind::Forbidden => Ok(false),
            Err(error) => Err(error),
        }
    }

    /// The inbox folder the desktop app watches, if an admin set one.
    pub fn inbox_folder(&self) -> Result<Option<PathBuf>> {
        Ok(setting(self.store().conn(), INBOX_FOLDER_KEY)?.map(PathBuf::from))
    }

    /// Sets (or, with `None`, clears) the inbox folder (admins only; audited). The folder must
    /// exist and be given as an absolute path.
    pub fn set_inbox_folder(&self, session: &Session, folder: Option<&Path>) -> Result<()> {
        let value = match folder {
            None => None,
            Some(folder) => {
                if !folder.is_absolute() || !folder.is_dir() {
                    return Err(Error::new(
                        ErrorKind::InvalidInput,
                        format!(
                            "{}: the inbox folder must be an existing folder, named by its full path",
                            folder.display()
                        ),
                    ));
                }
                Some(folder.to_str().ok_or_else(|| {
                    Error::new(
                        ErrorKind::InvalidInput,
                        format!("{}: the folder's path is not valid UTF-8", folder.display()),
                    )
                })?)
            }
        };
        let tx = self.store().write()?;
        let actor = acting(&tx, session)?;
        actor.require(Role::Admin, "set the inbox folder")?;
        set_setting(&tx, INBOX_FOLDER_KEY, value)?;
        log(&tx, &actor.name, "setting_changed", None, json!({ "key": INBOX_FOLDER_KEY, "value": value }))?;
        tx.commit()?;
        Ok(())
    }
}

/// A workspace setting (the `settings` table is a small key-value store).
fn setting(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |row| row.get(0)).optional()?)
}

/// Sets a workspace setting, or removes it with `None`.
fn set_setting(tx: &Transaction<'_>, key: &str, value: Option<&str>) -> Result<()> {
    match value {
        Some(value) => tx.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = ?2",
            (key, value),
        )?,
        None => tx.execute("DELETE FROM settings WHERE key = ?1", [key])?,
    };
    Ok(())
}

#[cfg(test)]
#[path = "intake_tests.rs"]
mod tests;

//! The workspace's storage: one SQLite database and a content-addressed store of original bytes,
//! both inside one directory.
//!
//! This module owns opening the database the same way every time (WAL, foreign keys, a busy
//! timeout so the desktop app and the CLI can share it), bringing its schema up to date, and
//! refusing a database written by a newer Vetted. What the tables *mean* belongs to `workflow`
//! and `audit`; this module only keeps them safe on disk.

mod blobs;
mod clock;
mod migrations;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

pub(crate) use blobs::BlobStore;
pub(crate) use clock::utc_now;
pub use migrations::SCHEMA_VERSION;

use crate::error::{Error, ErrorKind, Result};

/// The database file inside a workspace directory.
pub(crate) const DATABASE_FILE: &str = "vetted.db";

/// How long a writer waits for another process's write transaction before giving up. Review
/// actions are short, so a long wait means something is stuck; the error then says so.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        let busy = matches!(
            e.sqlite_error_code(),
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
        );
        // SQLite reports a full disk either as SQLITE_FULL or, when the shared-memory or WAL
        // file cannot grow, as a bare "disk I/O error" that repeats itself in rusqlite's text:
        // both get a message a reviewer can act on.
        let disk = match &e {
            rusqlite::Error::SqliteFailure(failure, _) => match failure.code {
                rusqlite::ErrorCode::DiskFull => Some("the disk holding the workspace is full".to_string()),
                rusqlite::ErrorCode::SystemIoFailure => Some(format!(
                    "the workspace database could not be read or written (disk I/O error, SQLite code {}): \
                     is the disk full or failing?",
                    failure.extended_code
                )),
                _ => None,
            },
            _ => None,
        };
        let message = if busy {
            format!("the workspace database is busy (another Vetted is writing to it): {e}")
        } else if let Some(disk) = disk {
            disk
        } else {
            format!("workspace database: {e}")
        };
        Error::new(ErrorKind::Workspace, message).with_source(e)
    }
}

/// An open workspace directory: its database connection and its blob store.
#[derive(Debug)]
pub(crate) struct Store {
    dir: PathBuf,
    conn: Connection,
    blobs: BlobStore,
}

impl Store {
    /// Creates a new workspace in `dir` (created if missing). The caller adds the first user
    /// and must refuse a workspace that already has users: a database without any is what a
    /// creation interrupted before its first user leaves, and creating it again completes it.
    pub fn create(dir: &Path) -> Result<Store> {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::from(e).context(format!("cannot create the workspace {}", dir.display())))?;
        Store::open_with(dir, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE)
    }

    /// Opens the existing workspace in `dir`.
    pub fn open(dir: &Path) -> Result<Store> {
        if !dir.join(DATABASE_FILE).is_file() {
            return Err(Error::new(
                ErrorKind::Workspace,
                format!(
                    "no Vetted workspace in {} (create one with `vetted init --admin NAME`)",
                    dir.display()
                ),
            ));
        }
        Store::open_with(dir, OpenFlags::SQLITE_OPEN_READ_WRITE)
    }

    fn open_with(dir: &Path, flags: OpenFlags) -> Result<Store> {
        let flags = flags | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(dir.join(DATABASE_FILE), flags)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // WAL lets readers (an auditor's report) run while a reviewer writes; FULL sync makes a
        // committed sign-off survive a power cut, which matters more here than write speed.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        migrations::apply(&mut conn)?;
        let blobs = BlobStore::new(dir.join("originals"));
        Ok(Store { dir: dir.to_path_buf(), conn, blobs })
    }

    /// The workspace directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The connection, for reads.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// The store of original bytes.
    pub fn blobs(&self) -> &BlobStore {
        &self.blobs
    }

    /// Starts a write transaction that takes the write lock at once. Every read-modify-write
    /// (a decision, a sign-off, the audit chain's head) happens inside one, so two processes
    /// deciding at the same time are serialized instead of overwriting each other.
    pub fn write(&self) -> Result<Transaction<'_>> {
        Ok(Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?)
    }
}

/// Writes `bytes` to `path` so that `path` holds either its old content or all of the new
/// content, never a part: a temporary file beside it, synced, then renamed over it, and the
/// directory synced so the rename itself survives a crash.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let temp = stage(path, bytes)?;
    publish(&temp, path)
}

/// The first half of [`write_atomically`]: writes and syncs the temporary file and returns its
/// path. Callers that must record something between writing and publishing (the export is
/// recorded before it appears) call [`publish`] afterwards.
pub(crate) fn stage(path: &Path, bytes: &[u8]) -> Result<PathBuf> {
    use std::io::Write;
    let name = path.file_name().ok_or_else(|| {
        Error::new(ErrorKind::InvalidInput, format!("{} is not a file path", path.display()))
    })?;
    // A fixed name (not a random one): a crash leaves at most one stale temporary file, which
    // the next attempt overwrites.
    let mut temp_name = std::ffi::OsString::from(".");
    temp_name.push(name);
    temp_name.push(".vetted-partial");
    let temp = path.with_file_name(temp_name);
    let result = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&temp);
        return Err(Error::from(e).context(format!("cannot write {}", temp.display())));
    }
    Ok(temp)
}

/// The second half of [`write_atomically`]: renames the staged file into place.
pub(crate) fn publish(temp: &Path, path: &Path) -> Result<()> {
    std::fs::rename(temp, path).map_err(|e| {
        let _ = std::fs::remove_file(temp);
        Error::from(e).context(format!("cannot write {}", path.display()))
    })?;
    if let Some(parent) = path.parent() {
        let parent = if parent.as_os_str().is_empty() { Path::new(".") } else { parent };
        // Syncing a directory is how POSIX makes a rename durable; other platforms refuse to
        // open a directory and need no such step.
        if let Ok(dir) = std::fs::File::open(parent) {
            let _ = dir.sync_all();
        }
    }
    Ok(())
}

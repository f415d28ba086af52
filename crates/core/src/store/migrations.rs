//! The database schema, as an append-only list of migrations.
//!
//! Each migration is named by the UTC time it was written and is never edited once released:
//! a change is a new migration at the end. `PRAGMA user_version` holds how many have been
//! applied. Pending migrations are applied together in one transaction, so a crash mid-upgrade
//! leaves the old schema intact; a database whose version is higher than this program knows
//! was written by a newer Vetted, and is refused rather than misread.

use rusqlite::{Connection, TransactionBehavior};

use crate::error::{Error, ErrorKind, Result};

/// The schema version this build writes: the number of migrations it knows.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// `(name, SQL)`, oldest first. Append only.
const MIGRATIONS: &[(&str, &str)] =
    &[("20261129T1900Z_initial", INITIAL), ("20261129T2200Z_settings", SETTINGS)];

const INITIAL: &str = r#"
CREATE TABLE users (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL UNIQUE,
    passphrase_hash  TEXT NOT NULL,
    disabled         INTEGER NOT NULL DEFAULT 0,
    failed_sign_ins  INTEGER NOT NULL DEFAULT 0,
    created_at       TEXT NOT NULL
);
CREATE TABLE user_roles (
    user_id  INTEGER NOT NULL REFERENCES users(id),
    role     TEXT NOT NULL CHECK (role IN ('drafter', 'reviewer', 'approver', 'auditor', 'admin')),
    PRIMARY KEY (user_id, role)
);
CREATE TABLE reason_codes (
    code  TEXT PRIMARY KEY,
    zh    TEXT NOT NULL,
    en    TEXT NOT NULL
);
INSERT INTO reason_codes (code, zh, en) VALUES
    ('state_secret', '国家秘密', 'state secret'),
    ('work_secret', '工作秘密', 'work secret'),
    ('commercial_secret', '商业秘密', 'commercial secret'),
    ('personal_information', '个人信息', 'personal information'),
    ('sensitive', '敏感信息', 'sensitive information');
CREATE TABLE documents (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    created_by  INTEGER NOT NULL REFERENCES users(id),
    created_at  TEXT NOT NULL
);
CREATE TABLE revisions (
    id           INTEGER PRIMARY KEY,
    document_id  INTEGER NOT NULL REFERENCES documents(id),
    number       INTEGER NOT NULL,
    file_name    TEXT NOT NULL,
    format       TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    size         INTEGER NOT NULL,
    drafter_id   INTEGER NOT NULL REFERENCES users(id),
    state        TEXT NOT NULL CHECK (state IN
                     ('imported', 'in_review', 'review_complete', 'approved', 'rejected', 'exported', 'superseded')),
    imported_at  TEXT NOT NULL,
    UNIQUE (document_id, number)
);
CREATE TABLE findings (
    revision_id  INTEGER NOT NULL REFERENCES revisions(id),
    number       INTEGER NOT NULL,
    category     TEXT NOT NULL,
    body         TEXT NOT NULL,
    PRIMARY KEY (revision_id, number)
);
CREATE TABLE decisions (
    revision_id  INTEGER NOT NULL,
    finding      INTEGER NOT NULL,
    action       TEXT NOT NULL CHECK (action IN ('redact', 'keep')),
    reason       TEXT NOT NULL,
    decided_by   INTEGER NOT NULL REFERENCES users(id),
    decided_at   TEXT NOT NULL,
    PRIMARY KEY (revision_id, finding),
    FOREIGN KEY (revision_id, finding) REFERENCES findings(revision_id, number)
);
CREATE TABLE marks (
    id           INTEGER PRIMARY KEY,
    revision_id  INTEGER NOT NULL REFERENCES revisions(id),
    body         TEXT NOT NULL,
    reason       TEXT NOT NULL REFERENCES reason_codes(code),
    marked_by    INTEGER NOT NULL REFERENCES users(id),
    marked_at    TEXT NOT NULL
);
CREATE TABLE signoffs (
    id           INTEGER PRIMARY KEY,
    revision_id  INTEGER NOT NULL REFERENCES revisions(id),
    kind         TEXT NOT NULL CHECK (kind IN ('review_complete', 'approved', 'rejected')),
    user_id      INTEGER NOT NULL REFERENCES users(id),
    comment      TEXT,
    signed_at    TEXT NOT NULL,
    voided_at    TEXT
);
CREATE TABLE exports (
    id           INTEGER PRIMARY KEY,
    revision_id  INTEGER NOT NULL REFERENCES revisions(id),
    path         TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    report       TEXT NOT NULL,
    exported_by  INTEGER NOT NULL REFERENCES users(id),
    exported_at  TEXT NOT NULL
);
CREATE TABLE audit_log (
    seq        INTEGER PRIMARY KEY,
    time       TEXT NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    document   TEXT,
    payload    TEXT NOT NULL,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);
CREATE INDEX audit_log_document ON audit_log (document);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: entries cannot be changed');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: entries cannot be deleted');
END;
"#;

/// Workspace settings an admin changes (the inbox folder): a small key-value table, so a new
/// setting needs no migration of its own.
const SETTINGS: &str = r#"
CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
"#;

/// Brings the schema of `conn` up to [`SCHEMA_VERSION`], or refuses a newer one.
pub(crate) fn apply(conn: &mut Connection) -> Result<()> {
    // The common case, an up-to-date schema, needs no write lock: opening the workspace to
    // read the audit log must not wait for (or block) a reviewer's write.
    let version: u32 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if version == SCHEMA_VERSION {
        return Ok(());
    }
    // Otherwise the write lock is taken before reading the version again, so two processes
    // opening an old workspace at once cannot both apply the same migration.
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let version: u32 = tx.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if version > SCHEMA_VERSION {
        return Err(Error::new(
            ErrorKind::Workspace,
            format!(
                "this workspace was written by a newer version of Vetted (schema version {version}; this \
                 program knows up to {SCHEMA_VERSION}): upgrade Vetted to open it"
            ),
        ));
    }
    for (name, sql) in &MIGRATIONS[version as usize..] {
        tx.execute_batch(sql).map_err(|e| Error::from(e).context(format!("migration {name} failed")))?;
    }
    if version < SCHEMA_VERSION {
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    }
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migration_names_are_unique_and_in_order() {
        let names: Vec<&str> = MIGRATIONS.iter().map(|(name, _)| *name).collect();
        let mut sorted = names.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(names, sorted);
    }

    #[test]
    fn applying_twice_is_a_no_op_and_a_newer_database_is_refused() {
        let mut conn = Connection::open_in_memory().unwrap();
        apply(&mut conn).unwrap();
        apply(&mut conn).unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1).unwrap();
        let error = apply(&mut conn).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Workspace);
        assert!(error.message().contains("newer version of Vetted"), "{error}");
    }
}

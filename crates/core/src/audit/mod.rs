//! The tamper-evident audit log: an append-only, hash-chained table in the workspace database.
//!
//! Every action (sign-in and failed sign-in, import, scan, each decision and mark, sign-offs,
//! export, user and rule changes) is one entry, written in the same transaction as the state
//! change it records, so neither can exist without the other. Each entry carries the hash of
//! the entry before it and the SHA-256 of `prev_hash || canonical content`, where the canonical
//! content is the JSON array `[seq, time, actor, action, document, payload]` with object keys
//! sorted and no whitespace. Triggers refuse UPDATE and DELETE; an attacker who drops them and
//! edits, deletes, inserts or reorders entries breaks the chain, and [`verify`] names the first
//! entry that no longer matches. The head hash and entry count it reports are a figure an
//! auditor writes down: truncating the log's tail is detected by comparing against it.

mod log_csv;
pub(crate) mod report;

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::error::{Error, ErrorKind, Result};
use crate::store::{BlobStore, utc_now};

/// The `prev_hash` of the first entry.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One entry of the audit log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Position in the log, from 1, without gaps.
    pub seq: u64,
    /// When, in UTC (RFC 3339).
    pub time: String,
    /// Who: a user name (for a failed sign-in, the name that was tried).
    pub actor: String,
    /// What, as a stable snake_case name (`import`, `decide`, `approve`, `sign_in_failed`, ...).
    pub action: String,
    /// The document it concerns (`D3`), if any.
    pub document: Option<String>,
    /// The details, as JSON.
    pub payload: Value,
    /// The hash of the previous entry (64 zeros for the first).
    pub prev_hash: String,
    /// SHA-256 of `prev_hash` followed by this entry's canonical content, lowercase hex.
    pub hash: String,
}

/// What [`verify`] found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ChainStatus {
    /// Every entry matches its hash and links to the one before; every stored original
    /// matches its SHA-256.
    Intact {
        /// How many entries the log holds.
        entries: u64,
        /// The hash of the last entry (64 zeros for an empty log).
        head: String,
    },
    /// Something does not match.
    Tampered {
        /// The first entry that does not match, or `None` when the log is intact but a
        /// stored original is not.
        seq: Option<u64>,
        /// What does not match, for people.
        problem: String,
    },
}

/// Appends an entry inside `tx`, the transaction that makes the change it records.
pub(crate) fn append(
    tx: &Transaction<'_>,
    actor: &str,
    action: &str,
    document: Option<&str>,
    payload: Value,
) -> Result<AuditEntry> {
    let last: Option<(u64, String)> = tx
        .query_row("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", [], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .optional()?;
    let (seq, prev_hash) = match last {
        Some((seq, hash)) => (seq + 1, hash),
        None => (1, GENESIS.to_string()),
    };
    let mut entry = AuditEntry {
        seq,
        time: utc_now(),
        actor: actor.to_string(),
        action: action.to_string(),
        document: document.map(str::to_string),
        payload,
        prev_hash,
        hash: String::new(),
    };
    entry.hash = entry_hash(&entry);
    tx.execute(
        "INSERT INTO audit_log (seq, time, actor, action, document, payload, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            entry.seq,
            entry.time,
            entry.actor,
            entry.action,
            entry.document,
            canonical_json(&entry.payload),
            entry.prev_hash,
            entry.hash
        ],
    )?;
    Ok(entry)
}

/// The entries of the log, oldest first: all of them, or those about one document.
pub(crate) fn entries(conn: &Connection, document: Option<&str>) -> Result<Vec<AuditEntry>> {
    let mut statement = conn.prepare(
        "SELECT seq, time, actor, action, document, payload, prev_hash, hash FROM audit_log
         WHERE ?1 IS NULL OR document = ?1 ORDER BY seq",
    )?;
    let rows = statement.query_map([document], read_row)?;
    let mut entries = Vec::new();
    for row in rows {
        let (entry, payload_text) = row?;
        entries.push(with_payload(entry, &payload_text)?);
    }
    Ok(entries)
}

type RawEntry = (AuditEntry, String);

fn read_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<RawEntry> {
    let entry = AuditEntry {
        seq: row.get(0)?,
        time: row.get(1)?,
        actor: row.get(2)?,
        action: row.get(3)?,
        document: row.get(4)?,
        payload: Value::Null,
        prev_hash: row.get(6)?,
        hash: row.get(7)?,
    };
    Ok((entry, row.get(5)?))
}

fn with_payload(mut entry: AuditEntry, payload_text: &str) -> Result<AuditEntry> {
    entry.payload = serde_json::from_str(payload_text).map_err(|e| {
        Error::new(
            ErrorKind::Tampered,
            format!("audit entry {} has a payload that is not JSON: {e}", entry.seq),
        )
    })?;
    Ok(entry)
}

/// Recomputes the whole chain, then checks every stored original against its SHA-256.
pub(crate) fn verify(conn: &Connection, blobs: &BlobStore) -> Result<ChainStatus> {
    let mut statement = conn.prepare(
        "SELECT seq, time, actor, action, document, payload, prev_hash, hash FROM audit_log ORDER BY seq",
    )?;
    let mut rows = statement.query([])?;
    let mut expected_seq = 1u64;
    let mut head = GENESIS.to_string();
    while let Some(row) = rows.next()? {
        // A row that does not even decode (a seq that is not a number, text where a hash should
        // be) is tampering too, reported at the position where it was met.
        let tampered = |problem: String| Ok(ChainStatus::Tampered { seq: Some(expected_seq), problem });
        let (entry, payload_text) = match read_row(row) {
            Ok(raw) => raw,
            Err(e) => return tampered(format!("entry {expected_seq} cannot be read: {e}")),
        };
        if entry.seq != expected_seq {
            let problem = if entry.seq > expected_seq {
                format!(
                    "entry {expected_seq} is missing: the log jumps from {} to {}",
                    expected_seq - 1,
                    entry.seq
                )
            } else {
                format!("entry {} appears out of order after entry {}", entry.seq, expected_seq - 1)
            };
            return tampered(problem);
        }
        let entry = match with_payload(entry, &payload_text) {
            Ok(entry) => entry,
            Err(e) => return tampered(e.message().to_string()),
        };
        if entry.prev_hash != head {
            return tampered(format!(
                "entry {expected_seq} does not link to entry {}: the log was cut or reordered here",
                expected_seq - 1
            ));
        }
        if canonical_json(&entry.payload) != payload_text || entry_hash(&entry) != entry.hash {
            return tampered(format!(
                "entry {expected_seq} ({} by {}) has been altered: its content does not match its hash",
                entry.action, entry.actor
            ));
        }
        head = entry.hash;
        expected_seq += 1;
    }

    let mut statement = conn.prepare(
        "SELECT revisions.document_id, revisions.number, revisions.sha256 FROM revisions ORDER BY revisions.id",
    )?;
    let originals =
        statement.query_map([], |row| Ok((row.get::<_, i64>(0)?, row.get::<_, i64>(1)?, row.get(2)?)))?;
    for original in originals {
        let (document, revision, sha256): (i64, i64, String) = original?;
        if let Err(e) = blobs.get(&sha256) {
            return Ok(ChainStatus::Tampered {
                seq: None,
                problem: format!("D{document} revision {revision}: {}", e.message()),
            });
        }
    }
    Ok(ChainStatus::Intact { entries: expected_seq - 1, head })
}

fn entry_hash(entry: &AuditEntry) -> String {
    let content = Value::Array(vec![
        Value::from(entry.seq),
        Value::from(entry.time.as_str()),
        Value::from(entry.actor.as_str()),
        Value::from(entry.action.as_str()),
        entry.document.as_deref().map_or(Value::Null, Value::from),
        entry.payload.clone(),
    ]);
    let mut hasher = Sha256::new();
    hasher.update(entry.prev_hash.as_bytes());
    hasher.update(canonical_json(&content).as_bytes());
    let digest = hasher.finalize();
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// JSON with object keys sorted and no whitespace. Sorted explicitly rather than relying on
/// `serde_json`'s map order, which a dependency enabling `preserve_order` would silently change
/// — and with it every hash in every existing log.
pub(crate) fn canonical_json(value: &Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::from(key.as_str()).to_string());
                out.push(':');
                if let Some(v) = map.get(key) {
                    write_canonical(v, out);
                }
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn canonical_json_sorts_keys_at_every_depth_and_has_no_whitespace() {
        let check = |value: Value, expected: &str| assert_eq!(canonical_json(&value), expected);
        check(
            json!({"b": 1, "a": {"d": [1, {"z": null, "y": "机密"}], "c": true}}),
            r#"{"a":{"c":true,"d":[1,{"y":"机密","z":null}]},"b":1}"#,
        );
        check(json!("a\"b"), r#""a\"b""#);
        check(json!([]), "[]");
    }
}

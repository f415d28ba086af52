//! The audit log as CSV: one row per entry with the exact payload and both hashes, for an
//! auditor's own records and spreadsheets, and so the chain can be recomputed outside Vetted
//! (`hash` = SHA-256 of `prev_hash` followed by the canonical `[seq, time, actor, action,
//! document, payload]`; see the parent module).

use std::path::Path;

use super::report::csv_cell;
use super::{AuditEntry, canonical_json};
use crate::error::Result;
use crate::workflow::{DocumentId, Workspace};

/// The columns, in order.
const HEADER: [&str; 8] = ["seq", "time", "actor", "action", "document", "payload", "prev_hash", "hash"];

/// `entries` as CSV (RFC 4180 quoting, CRLF line ends). The payload is the canonical JSON the
/// hash covers. A cell a spreadsheet would run as a formula is defused with a leading
/// apostrophe, as in the review record; recomputing a hash must strip it first.
pub(crate) fn to_csv(entries: &[AuditEntry]) -> String {
    let mut out = HEADER.join(",");
    out.push_str("\r\n");
    for entry in entries {
        let cells = [
            entry.seq.to_string(),
            entry.time.clone(),
            entry.actor.clone(),
            entry.action.clone(),
            entry.document.clone().unwrap_or_default(),
            canonical_json(&entry.payload),
            entry.prev_hash.clone(),
            entry.hash.clone(),
        ];
        let quoted: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
        out.push_str(&quoted.join(","));
        out.push_str("\r\n");
    }
    out
}

impl Workspace {
    /// Writes the audit log — every entry, or those about `document` — to `path` as CSV,
    /// through a temporary file so `path` is never half-written.
    pub fn write_audit_log(&self, document: Option<DocumentId>, path: &Path) -> Result<()> {
        let entries = self.audit_log(document)?;
        crate::store::write_atomically(path, to_csv(&entries).as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use crate::workflow::{Role, Workspace};

    #[test]
    fn every_entry_is_one_row_with_its_payload_and_hashes_and_formulas_are_defused() {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::create(dir.path(), "admin", "correct horse battery").unwrap();
        let admin = ws.sign_in("admin", "correct horse battery").unwrap();
        ws.add_user(&admin, "=cmd", &[Role::Auditor], "another passphrase").unwrap();
        ws.sign_in("=cmd", "another passphrase").unwrap();
        let path = dir.path().join("log.csv");
        ws.write_audit_log(None, &path).unwrap();
        let csv = std::fs::read_to_string(&path).unwrap();
        let entries = ws.audit_log(None).unwrap();
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(lines[0], "seq,time,actor,action,document,payload,prev_hash,hash");
        assert_eq!(lines.len(), entries.len() + 2, "a header, one line per entry, and the final line end");
        let first = &entries[0];
        assert_eq!(
            lines[1],
            format!(
                "1,{},admin,workspace_created,,\"{{\"\"schema_version\"\":1}}\",{},{}",
                first.time, first.prev_hash, first.hash
            )
        );
        let added = lines.iter().find(|l| l.contains("user_added") && l.contains("cmd")).unwrap();
        assert!(added.contains(r#""{""roles"":[""auditor""],""user"":""=cmd""}""#), "{added}");
        // The actor of the sign-in is a cell of its own: defused, never a formula.
        assert!(csv.contains(r#","'=cmd",sign_in,"#), "{csv}");
        assert!(!csv.contains(",=cmd"), "{csv}");
    }
}

//! The review workflow over a workspace: users and roles, documents and their revisions,
//! findings and decisions, manual marks, the sign-off state machine, and export.
//!
//! [`Workspace`] is the one entry point the CLI and the desktop app share. Every rule about who
//! may do what is enforced here, not in a front end: the drafter of a revision cannot review or
//! approve it, the reviewer who signed "review complete" cannot approve, auditors and admins
//! cannot change documents, and only an approved revision exports. Every change is made in one
//! write transaction together with its audit entry (see `audit`).

mod documents;
mod mosaic;
mod rules;
mod signoff;
mod users;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use documents::{Decision, FindingStatus, ImportOutcome, Mark, MarkTarget, ReviewedFinding, Selection};
pub use rules::{RulePack, TermRule};
pub use signoff::{
    ActionCheck, ExportRecord, Preview, Refusal, RefusalRule, SignOff, SignOffAction, SignOffKind,
    SignOffOptions,
};
pub use users::{Role, Session, UserInfo};

use crate::audit::{self, AuditEntry, ChainStatus};
use crate::detect::{Finding, RuleSet, scan};
use crate::document::{Document, Format};
use crate::error::{Error, ErrorKind, Result};
use crate::limits::Limits;
use crate::store::Store;

/// The scan a workspace runs at import. A function pointer rather than a fixed call so that
/// the workflow's own tests can import documents with findings the built-in rules do not make.
type Scanner = fn(&Document, &RuleSet) -> Vec<Finding>;

/// An open workspace: the database, the stored originals, and the rule set imports are
/// scanned with.
#[derive(Debug)]
pub struct Workspace {
    store: Store,
    rules: RuleSet,
    rules_source: String,
    limits: Limits,
    scanner: Scanner,
}

/// Identifies a document of a workspace; shown and parsed as `D3`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct DocumentId(i64);

impl DocumentId {
    pub(crate) fn new(id: i64) -> Self {
        DocumentId(id)
    }

    pub(crate) fn get(self) -> i64 {
        self.0
    }
}

impl std::fmt::Display for DocumentId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "D{}", self.0)
    }
}

impl std::str::FromStr for DocumentId {
    type Err = Error;

    /// Accepts `D3`, `d3` or `3`.
    fn from_str(s: &str) -> Result<Self> {
        let digits = s.trim().trim_start_matches(['D', 'd']);
        match digits.parse::<i64>() {
            Ok(n) if n > 0 => Ok(DocumentId(n)),
            _ => Err(Error::new(ErrorKind::InvalidInput, format!("{s:?} is not a document id (such as D3)"))),
        }
    }
}

impl From<DocumentId> for String {
    fn from(id: DocumentId) -> String {
        id.to_string()
    }
}

impl TryFrom<String> for DocumentId {
    type Error = Error;

    fn try_from(s: String) -> Result<Self> {
        s.parse()
    }
}

/// Where a revision is in the sign-off workflow.
///
/// `imported → in_review → review_complete → approved | rejected`, `approved → exported`;
/// a rejected revision goes back into review; a newer revision makes the older one
/// `superseded` and voids its sign-offs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocState {
    /// Stored and scanned; nobody has decided anything yet.
    Imported,
    /// A reviewer has started deciding findings.
    InReview,
    /// A reviewer signed that every finding is decided.
    ReviewComplete,
    /// An approver approved the reviewed revision: it may be exported.
    Approved,
    /// An approver rejected it, with a comment; it goes back to review.
    Rejected,
    /// A verified public version has been written.
    Exported,
    /// A newer revision of the document replaced this one.
    Superseded,
}

impl DocState {
    /// The snake_case name, as stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            DocState::Imported => "imported",
            DocState::InReview => "in_review",
            DocState::ReviewComplete => "review_complete",
            DocState::Approved => "approved",
            DocState::Rejected => "rejected",
            DocState::Exported => "exported",
            DocState::Superseded => "superseded",
        }
    }

    fn parse(s: &str) -> Result<DocState> {
        const ALL: [DocState; 7] = [
            DocState::Imported,
            DocState::InReview,
            DocState::ReviewComplete,
            DocState::Approved,
            DocState::Rejected,
            DocState::Exported,
            DocState::Superseded,
        ];
        ALL.into_iter().find(|state| state.as_str() == s).ok_or_else(|| {
            Error::new(ErrorKind::Workspace, format!("unknown document state {s:?} in the database"))
        })
    }
}

impl std::fmt::Display for DocState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One imported version of a document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revision {
    /// The document it belongs to.
    pub document: DocumentId,
    /// 1 for the first import, then 2, 3...
    pub number: u32,
    /// The file name it was imported from.
    pub file_name: String,
    /// Its format.
    pub format: Format,
    /// SHA-256 of its exact bytes, lowercase hex.
    pub sha256: String,
    /// Its size in bytes.
    pub size: u64,
    /// Who imported it.
    pub drafter: String,
    /// Where it is in the workflow.
    pub state: DocState,
    /// When it was imported (UTC, RFC 3339).
    pub imported_at: String,
    #[serde(skip)]
    pub(crate) row_id: i64,
}

/// A reason code for redacting, with its bilingual labels.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReasonCode {
    /// The stable code (`state_secret`).
    pub code: String,
    /// The Chinese label (`国家秘密`).
    pub zh: String,
    /// The English label (`state secret`).
    pub en: String,
}

impl Workspace {
    /// Creates a workspace in `dir` with its first user, an administrator.
    pub fn create(dir: &Path, admin: &str, passphrase: &str) -> Result<Workspace> {
        let workspace = Workspace::from_store(Store::create(dir)?)?;
        users::create_first_admin(&workspace, admin, passphrase)?;
        Ok(workspace)
    }

    /// Opens the workspace in `dir`, bringing its schema up to date (or refusing one written by
    /// a newer Vetted). Imports are scanned with the rule packs in `dir/rules` when that
    /// directory exists, else with the built-in ones.
    pub fn open(dir: &Path) -> Result<Workspace> {
        Workspace::from_store(Store::open(dir)?)
    }

    fn from_store(store: Store) -> Result<Workspace> {
        let (rules, rules_source) = rules::load(store.dir())?;
        Ok(Workspace { store, rules, rules_source, limits: Limits::default(), scanner: scan })
    }

    /// The workspace directory.
    pub fn dir(&self) -> &Path {
        self.store.dir()
    }

    /// The limits applied to imported files.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The reason codes reviewers choose from.
    pub fn reason_codes(&self) -> Result<Vec<ReasonCode>> {
        let mut statement =
            self.store.conn().prepare("SELECT code, zh, en FROM reason_codes ORDER BY rowid")?;
        let rows = statement
            .query_map([], |row| Ok(ReasonCode { code: row.get(0)?, zh: row.get(1)?, en: row.get(2)? }))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Adds a reason code (admin only).
    pub fn add_reason_code(&self, session: &Session, code: &ReasonCode) -> Result<()> {
        let tx = self.store.write()?;
        let actor = users::acting(&tx, session)?;
        actor.require(Role::Admin, "add reason codes")?;
        if code.code.trim().is_empty() || code.zh.trim().is_empty() || code.en.trim().is_empty() {
            return Err(Error::new(
                ErrorKind::InvalidInput,
                "a reason code needs a code, a Chinese and an English label",
            ));
        }
        let added = tx.execute(
            "INSERT OR IGNORE INTO reason_codes (code, zh, en) VALUES (?1, ?2, ?3)",
            (&code.code, &code.zh, &code.en),
        )?;
        if added == 0 {
            return Err(Error::new(
                ErrorKind::InvalidInput,
                format!("reason code {:?} already exists", code.code),
            ));
        }
        audit::append(
            &tx,
            &actor.name,
            "reason_code_added",
            None,
            serde_json::to_value(code).unwrap_or(Value::Null),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Resolves what a user typed (a code, or its Chinese or English label) to a reason code.
    pub(crate) fn resolve_reason(conn: &Connection, typed: &str) -> Result<String> {
        let typed = typed.trim();
        conn.query_row(
            "SELECT code FROM reason_codes WHERE code = ?1 OR zh = ?1 OR lower(en) = lower(?1)",
            [typed],
            |row| row.get(0),
        )
        .optional()?
        .ok_or_else(|| {
            Error::new(
                ErrorKind::NotFound,
                format!("unknown reason code {typed:?} (see the workspace's reason codes, such as state_secret / 国家秘密)"),
            )
        })
    }

    /// The audit log, oldest first: every entry, or those about one document.
    pub fn audit_log(&self, document: Option<DocumentId>) -> Result<Vec<AuditEntry>> {
        audit::entries(self.store.conn(), document.map(|d| d.to_string()).as_deref())
    }

    /// Recomputes the audit chain and checks every stored original. Read-only: anyone with the
    /// workspace can verify it.
    pub fn verify_audit(&self) -> Result<ChainStatus> {
        audit::verify(self.store.conn(), self.store.blobs())
    }

    /// The review-and-approval record (保密审查审批表) of one document.
    pub fn review_record(&self, document: DocumentId) -> Result<audit::report::ReviewRecord> {
        audit::report::build(self, document)
    }

    /// Writes the review record of `document` to `path` as DOCX or CSV, chosen by the file
    /// extension, through a temporary file so `path` is never half-written.
    pub fn write_review_record(&self, document: DocumentId, path: &Path) -> Result<()> {
        let record = self.review_record(document)?;
        let extension = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        let bytes = match extension.as_deref() {
            Some("docx") => audit::report::to_docx(&record)?,
            Some("csv") => audit::report::to_csv(&record).into_bytes(),
            _ => {
                return Err(Error::new(
                    ErrorKind::InvalidInput,
                    format!("{}: the report is written as .docx or .csv", path.display()),
                ));
            }
        };
        crate::store::write_atomically(path, &bytes)
    }

    pub(crate) fn store(&self) -> &Store {
        &self.store
    }

    /// Runs a document action and, when it is refused for want of a role or by separation of
    /// duties, records the attempt: an auditor wants to see who tried to approve their own
    /// draft as much as who approved what. The refused action's own transaction was rolled
    /// back, so the record is a separate entry.
    fn logging_refusal<T>(
        &self,
        session: &Session,
        action: &str,
        document: Option<DocumentId>,
        run: impl FnOnce() -> Result<T>,
    ) -> Result<T> {
        let result = run();
        if let Err(error) = &result
            && error.kind() == ErrorKind::Forbidden
        {
            let tx = self.store.write()?;
            log(
                &tx,
                session.name(),
                "refused",
                document,
                serde_json::json!({ "action": action, "why": error.message() }),
            )?;
            tx.commit()?;
        }
        result
    }
}

/// One SHA-256 over the names and contents of the rule packs in `dir`, in name order, so the
/// audit log's scan entries say exactly which rules found (or missed) what: an admin editing
/// a pack outside Vetted still changes this figure.
fn rules_fingerprint(dir: &Path) -> Result<String> {
    let mut packs: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    packs.sort();
    let mut all = Vec::new();
    for pack in packs {
        all.extend_from_slice(pack.file_name().map(|n| n.as_encoded_bytes()).unwrap_or_default());
        all.push(0);
        let content = std::fs::read(&pack)?;
        all.extend_from_slice(&(content.len() as u64).to_le_bytes());
        all.extend_from_slice(&content);
    }
    Ok(crate::verify::sha256_hex(&all))
}

/// The default workspace directory: `$XDG_DATA_HOME/vetted`, else `$HOME/.local/share/vetted`.
///
/// Written by hand rather than with a directories crate: it is one environment lookup, and the
/// workstation is Linux; an unset `HOME` gives `None` and the caller asks for `--workspace`.
pub fn default_workspace_dir() -> Option<PathBuf> {
    let non_empty = |name| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    non_empty("XDG_DATA_HOME")
        .map(|data| data.join("vetted"))
        .or_else(|| non_empty("HOME").map(|home| home.join(".local/share/vetted")))
}

/// Appends an audit entry about `document` (or none) in `tx`.
pub(crate) fn log(
    tx: &Transaction<'_>,
    actor: &str,
    action: &str,
    document: Option<DocumentId>,
    payload: Value,
) -> Result<AuditEntry> {
    audit::append(tx, actor, action, document.map(|d| d.to_string()).as_deref(), payload)
}

/// The findings of one revision with their decisions (for the audit report).
pub(crate) fn reviewed_findings_of(conn: &Connection, revision: &Revision) -> Result<Vec<ReviewedFinding>> {
    documents::reviewed_findings(conn, revision.row_id)
}

/// The manual marks of one revision (for the audit report).
pub(crate) fn marks_of_revision(conn: &Connection, revision: &Revision) -> Result<Vec<Mark>> {
    documents::marks_of(conn, revision.row_id)
}

#[cfg(test)]
mod tests;

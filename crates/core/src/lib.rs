//! `vetted-core` is the engine of Vetted, a workstation for confidentiality review before
//! publication. It reads a draft into a format-neutral [`Document`] (visible text, a source map
//! from every character back to its glyph or XML character, and every hidden item), flags
//! suspect passages with rule packs, removes what the reviewer decided for real, verifies the
//! export, and keeps the workspace and its tamper-evident audit log.
//!
//! It has no user interface: it never prints and never exits. The `vetted` CLI and the desktop
//! app are thin front ends over it.
//!
//! ```
//! use vetted_core::{ingest, scan, Limits, RuleSet};
//!
//! let document = ingest::read("Call 13800138000.".as_bytes(), Some("note.txt"), &Limits::default())?;
//! assert_eq!(document.visible_text(), "Call 13800138000.");
//! let findings = scan(&document, &RuleSet::builtin()?);
//! # let _ = findings;
//! # Ok::<(), vetted_core::Error>(())
//! ```
//!
//! A [`Workspace`] keeps the review: users and roles, revisions and their findings, decisions,
//! sign-offs, exports, and the hash-chained audit log of all of it.
//!
//! ```
//! use vetted_core::{ChainStatus, Role, Workspace};
//!
//! let dir = tempfile::tempdir()?;
//! let workspace = Workspace::create(dir.path(), "admin", "admin passphrase")?;
//! let admin = workspace.sign_in("admin", "admin passphrase")?;
//! workspace.add_user(&admin, "dora", &[Role::Drafter], "dora's passphrase")?;
//! let dora = workspace.sign_in("dora", "dora's passphrase")?;
//! let imported = workspace.import(&dora, "notice.txt", "公开通知\n".as_bytes(), None)?;
//! assert_eq!(imported.document.to_string(), "D1");
//! assert!(matches!(workspace.verify_audit()?, ChainStatus::Intact { entries: 7, .. }));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod audit;
mod detect;
mod document;
mod error;
pub mod ingest;
mod limits;
mod normalize;
mod redact;
mod store;
mod verify;
mod workflow;

pub use audit::report::ReviewRecord;
pub use audit::{AuditEntry, ChainStatus};
pub use detect::{Finding, MosaicConfig, PackInfo, RuleSet, Severity, scan};
pub use document::{
    Block, Document, DocumentBuilder, Format, HiddenItem, HiddenKind, Layout, Location, Origin, PageGeometry,
    Rect,
};
pub use error::{Error, ErrorKind, Result};
pub use limits::Limits;
pub use redact::{Export, MarkStyle, PlannedArea, PlannedRange, RedactionPlan, redact};
pub use store::SCHEMA_VERSION;
pub use verify::{Removed, Survivor, VerificationReport, sha256_hex};
pub use workflow::{
    ActionCheck, Decision, DocState, DocumentId, ExportRecord, FindingStatus, ImportOutcome, Mark,
    MarkTarget, Preview, ReasonCode, Refusal, RefusalRule, ReviewedFinding, Revision, Role, Selection,
    Session, SignOff, SignOffAction, SignOffKind, SignOffOptions, UserInfo, Workspace, default_workspace_dir,
};
pub use workflow::{RulePack, TermRule};

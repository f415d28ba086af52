//! The quick check: files opened outside the workspace, read and scanned, shown with their
//! findings and hidden content. Read-only by design: a public version is written only by the
//! workspace's export (`signoff`), after a reviewer and a different approver have signed, so
//! the quick check has no export that would bypass the sign-off.
//!
//! Files are read here, never by the webview: the UI names a document by the handle it was
//! given when the document was opened, and paths come from the native dialogs or the command
//! line. The original bytes are kept so that the page view shows exactly what was scanned,
//! even if the file on disk changes in between.
//!
//! This module knows nothing about Tauri, so it is tested like any other Rust code.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use vetted_core::{Document, Error, ErrorKind, Format, Limits, Result, RuleSet, ingest, scan};

use crate::dto::DocumentView;

/// One opened file: the bytes that were scanned and their reading, for the page view (PDF
/// pages, photos).
struct OpenDocument {
    bytes: Vec<u8>,
    format: Format,
    /// The reading of `bytes`, kept for the page view: reading a 300-page PDF again to find
    /// where its findings are drawn would cost as much as opening it.
    document: Arc<Document>,
}

/// The documents open in this run, shared by every command.
#[derive(Default)]
pub struct Workbench {
    state: Mutex<State>,
    /// The file named on the command line, opened once when the UI asks for it.
    startup_file: Mutex<Option<PathBuf>>,
}

#[derive(Default)]
struct State {
    next_id: u32,
    documents: BTreeMap<u32, OpenDocument>,
}

impl Workbench {
    /// A workbench that opens `startup_file` when the UI first asks for the startup document.
    pub fn with_startup_file(startup_file: Option<PathBuf>) -> Self {
        Workbench { startup_file: Mutex::new(startup_file), ..Workbench::default() }
    }

    /// Reads, scans and keeps the file at `path`; returns what the quick check shows.
    ///
    /// The file is read and scanned before the lock is taken, so a slow file does not block
    /// other commands.
    pub fn open(&self, path: &Path) -> Result<DocumentView> {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let bytes = std::fs::read(path).map_err(|e| Error::from(e).context(&name))?;
        let document = ingest::read(&bytes, Some(&name), &Limits::default()).map_err(|e| e.context(&name))?;
        let findings = scan(&document, &RuleSet::builtin()?);
        let mut state = self.lock();
        state.next_id += 1;
        let id = state.next_id;
        let view = DocumentView::new(id, name, &document, &findings);
        let format = document.format();
        state.documents.insert(id, OpenDocument { bytes, format, document: Arc::new(document) });
        Ok(view)
    }

    /// Opens the file named on the command line, the first time only.
    pub fn open_startup_file(&self) -> Result<Option<DocumentView>> {
        let path = self.startup_file.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take();
        path.map(|p| self.open(&p)).transpose()
    }

    /// The format and the original bytes of document `id`, exactly as reviewed (for the page
    /// view, which draws PDF pages and photos from them).
    pub fn original(&self, id: u32) -> Result<(Format, Vec<u8>)> {
        let state = self.lock();
        let document = state.documents.get(&id).ok_or_else(|| unknown(id))?;
        Ok((document.format, document.bytes.clone()))
    }

    /// The reading of document `id`, as it was reviewed.
    pub fn document(&self, id: u32) -> Result<Arc<Document>> {
        let state = self.lock();
        state.documents.get(&id).map(|d| Arc::clone(&d.document)).ok_or_else(|| unknown(id))
    }

    /// The state, even if a panic in another command poisoned the lock: every update of it is
    /// a single insert, so it is never left half-changed.
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn unknown(id: u32) -> Error {
    Error::new(ErrorKind::NotFound, format!("no open document has handle {id}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, content: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, content).unwrap();
        path
    }

    #[test]
    fn opening_a_text_file_shows_its_text_and_counts_characters_not_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let bench = Workbench::default();
        let view = bench.open(&write(dir.path(), "note.txt", "联系人张三\nline two")).unwrap();
        assert_eq!(
            (view.id, view.name.as_str(), view.format.as_str(), view.text.as_str(), view.visible_chars),
            (1, "note.txt", "txt", "联系人张三\nline two", 14)
        );
    }

    #[test]
    fn each_open_gets_a_new_handle() {
        let dir = tempfile::tempdir().unwrap();
        let bench = Workbench::default();
        let path = write(dir.path(), "a.txt", "x");
        let ids = [bench.open(&path).unwrap().id, bench.open(&path).unwrap().id];
        assert_eq!(ids, [1, 2]);
    }

    fn check_error(result: Result<impl std::fmt::Debug>, code: &str, message_contains: &str) {
        let error = result.unwrap_err();
        assert_eq!(error.kind().code(), code, "{}", error.message());
        assert!(
            error.message().contains(message_contains),
            "{:?} lacks {message_contains:?}",
            error.message()
        );
    }

    #[test]
    fn errors_carry_a_stable_code_and_name_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let bench = Workbench::default();
        check_error(bench.open(&dir.path().join("missing.txt")), "io", "missing.txt");
        let binary = dir.path().join("blob.bin");
        std::fs::write(&binary, [0u8, 1, 2, 3]).unwrap();
        check_error(bench.open(&binary), "unsupported_format", "blob.bin");
    }

    #[test]
    fn the_startup_file_opens_once() {
        let dir = tempfile::tempdir().unwrap();
        let bench = Workbench::with_startup_file(Some(write(dir.path(), "start.txt", "hello")));
        assert_eq!(bench.open_startup_file().unwrap().map(|v| v.name), Some("start.txt".to_string()));
        assert_eq!(bench.open_startup_file().unwrap(), None);
    }
}

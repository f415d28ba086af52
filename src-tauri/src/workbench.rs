//! The documents open in this run of the app, and the two things done with them: open a file
//! for review, and export its verified public version.
//!
//! Files are read and written here, never by the webview: the UI names a document by the
//! handle it was given when the document was opened, and paths come from the native dialogs
//! or the command line. The original bytes are kept so that an export redacts exactly what was
//! reviewed, even if the file on disk changes in between.
//!
//! This module knows nothing about Tauri, so it is tested like any other Rust code.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use vetted_core::{
    Document, Error, ErrorKind, Format, Limits, PlannedArea, PlannedRange, Rect, RedactionPlan, Result,
    RuleSet, ingest, redact, scan,
};

use crate::dto::{AreaRequest, DocumentView, ExportView, RangeRequest};

/// One opened file: what it was called and the bytes that were reviewed.
struct OpenDocument {
    name: String,
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

    /// Reads, scans and keeps the file at `path`; returns what the review screen shows.
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
        let view = DocumentView::new(id, name.clone(), &document, &findings);
        let format = document.format();
        state.documents.insert(id, OpenDocument { name, bytes, format, document: Arc::new(document) });
        Ok(view)
    }

    /// Opens the file named on the command line, the first time only.
    pub fn open_startup_file(&self) -> Result<Option<DocumentView>> {
        let path = self.startup_file.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take();
        path.map(|p| self.open(&p)).transpose()
    }

    /// The file name a public version of document `id` is suggested to be saved under.
    pub fn suggested_export_name(&self, id: u32) -> Result<String> {
        let state = self.lock();
        let document = state.documents.get(&id).ok_or_else(|| unknown(id))?;
        Ok(match document.name.rsplit_once('.') {
            Some((stem, extension)) => format!("{stem}.public.{extension}"),
            None => format!("{}.public", document.name),
        })
    }

    /// Redacts `ranges` from document `id`, verifies the result, and writes it to
    /// `destination`. Nothing is written when redaction or verification fails.
    pub fn export(&self, id: u32, ranges: Vec<RangeRequest>, destination: &Path) -> Result<ExportView> {
        self.export_with_areas(id, ranges, Vec::new(), destination)
    }

    /// Like [`Workbench::export`], also blanking out `areas` of the pages (PDF) or the picture.
    pub fn export_with_areas(
        &self,
        id: u32,
        ranges: Vec<RangeRequest>,
        areas: Vec<AreaRequest>,
        destination: &Path,
    ) -> Result<ExportView> {
        let (name, bytes, format) = {
            let state = self.lock();
            let document = state.documents.get(&id).ok_or_else(|| unknown(id))?;
            (document.name.clone(), document.bytes.clone(), document.format)
        };
        let plan = RedactionPlan {
            ranges: ranges
                .into_iter()
                .map(|r| PlannedRange { start: r.start, end: r.end, reason: r.reason })
                .collect(),
            areas: areas
                .into_iter()
                .map(|a| PlannedArea {
                    page: a.page,
                    rect: Rect { x: a.x, y: a.y, width: a.width, height: a.height },
                    reason: a.reason,
                })
                .collect(),
            ..RedactionPlan::default()
        };
        let export = redact(&bytes, format, &plan, &Limits::default()).map_err(|e| e.context(&name))?;
        std::fs::write(destination, &export.bytes)
            .map_err(|e| Error::from(e).context(destination.display()))?;
        Ok(ExportView::new(destination.display().to_string(), &export.report))
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

    fn range(start: usize, end: usize) -> RangeRequest {
        RangeRequest { start, end, reason: "personal_information".into() }
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

    #[test]
    fn export_removes_the_ranges_and_writes_the_verified_file() {
        let dir = tempfile::tempdir().unwrap();
        let bench = Workbench::default();
        let view = bench.open(&write(dir.path(), "note.txt", "联系人张三，电话")).unwrap();
        let destination = dir.path().join("note.public.txt");
        let export = bench.export(view.id, vec![range(3, 5)], &destination).unwrap();
        assert_eq!(std::fs::read_to_string(&destination).unwrap(), "联系人██，电话");
        assert_eq!(export.removed.len(), 1);
        assert_eq!(export.output_sha256, vetted_core::sha256_hex(&std::fs::read(&destination).unwrap()));
    }

    #[test]
    fn export_redacts_the_bytes_that_were_reviewed_even_if_the_file_changed_since() {
        let dir = tempfile::tempdir().unwrap();
        let bench = Workbench::default();
        let path = write(dir.path(), "note.txt", "secret 123");
        let view = bench.open(&path).unwrap();
        std::fs::write(&path, "something else entirely").unwrap();
        let destination = dir.path().join("out.txt");
        bench.export(view.id, vec![range(7, 10)], &destination).unwrap();
        assert_eq!(std::fs::read_to_string(&destination).unwrap(), "secret ███");
    }

    #[test]
    fn suggested_export_name_keeps_the_extension() {
        let dir = tempfile::tempdir().unwrap();
        let bench = Workbench::default();
        let with_extension = bench.open(&write(dir.path(), "draft.v2.md", "x")).unwrap().id;
        let without = bench.open(&write(dir.path(), "README", "x")).unwrap().id;
        assert_eq!(bench.suggested_export_name(with_extension).unwrap(), "draft.v2.public.md");
        assert_eq!(bench.suggested_export_name(without).unwrap(), "README.public");
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
        check_error(bench.export(99, vec![], &dir.path().join("x")), "not_found", "99");
        let id = bench.open(&write(dir.path(), "short.txt", "abc")).unwrap().id;
        check_error(bench.export(id, vec![range(2, 9)], &dir.path().join("x")), "invalid_input", "short.txt");
    }

    #[test]
    fn a_failed_export_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let bench = Workbench::default();
        let id = bench.open(&write(dir.path(), "short.txt", "abc")).unwrap().id;
        let destination = dir.path().join("out.txt");
        assert!(bench.export(id, vec![range(0, 9)], &destination).is_err());
        assert!(!destination.exists());
    }

    #[test]
    fn drawn_areas_reach_the_redactor() {
        let dir = tempfile::tempdir().unwrap();
        let bench = Workbench::default();
        let photo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/photo.png");
        let id = bench.open(&photo).unwrap().id;
        let area = |page: u32| AreaRequest {
            page,
            x: 0.0,
            y: 0.0,
            width: 4.0,
            height: 4.0,
            reason: "manual".into(),
        };
        let refused = bench.export_with_areas(id, vec![], vec![area(2)], &dir.path().join("refused.png"));
        check_error(refused, "invalid_input", "page 2");
        let destination = dir.path().join("out.png");
        bench.export_with_areas(id, vec![], vec![area(1)], &destination).unwrap();
        assert!(destination.exists());
    }

    #[test]
    fn the_startup_file_opens_once() {
        let dir = tempfile::tempdir().unwrap();
        let bench = Workbench::with_startup_file(Some(write(dir.path(), "start.txt", "hello")));
        assert_eq!(bench.open_startup_file().unwrap().map(|v| v.name), Some("start.txt".to_string()));
        assert_eq!(bench.open_startup_file().unwrap(), None);
    }
}

//! The IPC commands. Each one raises a native dialog if it needs a path, then delegates to the
//! [`Workbench`] in one line; none holds logic of its own.
//!
//! Commands are `async` so that Tauri runs them off the main thread: reading and scanning a
//! large file, or waiting on a dialog, never freezes the window.

use tauri::{AppHandle, State};

use crate::dialogs;
use crate::dto::{DocumentView, ExportView, RangeRequest};
use crate::error::IpcError;
use crate::workbench::Workbench;

/// Asks the user for a draft and opens it for review; `None` when the dialog was cancelled.
#[tauri::command]
pub async fn open_document(
    app: AppHandle,
    bench: State<'_, Workbench>,
) -> Result<Option<DocumentView>, IpcError> {
    let Some(path) = dialogs::pick_draft(&app) else { return Ok(None) };
    Ok(Some(bench.open(&path)?))
}

/// Opens the file named on the command line, if any, the first time it is called.
#[tauri::command]
pub async fn open_startup_document(bench: State<'_, Workbench>) -> Result<Option<DocumentView>, IpcError> {
    Ok(bench.open_startup_file()?)
}

/// Asks where to save, then writes the verified public version of document `id` with
/// `ranges` removed; `None` when the dialog was cancelled.
#[tauri::command]
pub async fn export_document(
    app: AppHandle,
    bench: State<'_, Workbench>,
    id: u32,
    ranges: Vec<RangeRequest>,
) -> Result<Option<ExportView>, IpcError> {
    let Some(path) = dialogs::pick_destination(&app, &bench.suggested_export_name(id)?) else {
        return Ok(None);
    };
    Ok(Some(bench.export(id, ranges, &path)?))
}

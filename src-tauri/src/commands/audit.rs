//! The audit screen's commands: one-line delegations to `crate::audit`.

use tauri::{AppHandle, State};

use crate::audit::{
    self, AuditDocumentView, AuditEntryView, ChainView, LogExportView, RecordExportView, RecordFormat,
};
use crate::desk::Desk;
use crate::dialogs;
use crate::error::IpcError;

/// The documents whose timeline can be shown.
#[tauri::command]
pub async fn audit_documents(desk: State<'_, Desk>) -> Result<Vec<AuditDocumentView>, IpcError> {
    Ok(audit::documents(&desk)?)
}

/// The audit log: all of it, or one document's timeline.
#[tauri::command]
pub async fn audit_log(
    desk: State<'_, Desk>,
    document: Option<String>,
) -> Result<Vec<AuditEntryView>, IpcError> {
    Ok(audit::log(&desk, document.as_deref())?)
}

/// Verifies the whole chain and every stored original.
#[tauri::command]
pub async fn audit_verify(desk: State<'_, Desk>) -> Result<ChainView, IpcError> {
    Ok(audit::verify(&desk)?)
}

/// Asks where to save, then writes the review record of `document`; `None` when cancelled.
#[tauri::command]
pub async fn audit_export_record(
    app: AppHandle,
    desk: State<'_, Desk>,
    document: String,
    format: RecordFormat,
) -> Result<Option<RecordExportView>, IpcError> {
    let name = audit::record_file_name(&document, format)?;
    let Some(path) = dialogs::pick_destination(&app, &name) else { return Ok(None) };
    Ok(Some(audit::write_record(&desk, &document, format, &path)?))
}

/// Asks where to save, then writes the audit log (all, or one document's) as CSV; `None` when
/// cancelled.
#[tauri::command]
pub async fn audit_export_log(
    app: AppHandle,
    desk: State<'_, Desk>,
    document: Option<String>,
) -> Result<Option<LogExportView>, IpcError> {
    let name = audit::log_file_name(document.as_deref())?;
    let Some(path) = dialogs::pick_destination(&app, &name) else { return Ok(None) };
    Ok(Some(audit::write_log(&desk, document.as_deref(), &path)?))
}

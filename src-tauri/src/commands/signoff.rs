//! The sign-off panel's commands: what the user may do, sign, preview, export. Each delegates
//! to `crate::signoff` in one line.

use tauri::{AppHandle, State};

use crate::desk::Desk;
use crate::dialogs;
use crate::error::IpcError;
use crate::signoff::{self, ExportResultView, PreviewView, SignOffView, SignRequest};

/// The sign-off panel of `document` for the signed-in user.
#[tauri::command]
pub async fn sign_off_status(desk: State<'_, Desk>, document: String) -> Result<SignOffView, IpcError> {
    Ok(signoff::status(&desk, &document)?)
}

/// Signs review complete, approve or reject, after checking the passphrase again.
#[tauri::command]
pub async fn sign_off(
    desk: State<'_, Desk>,
    document: String,
    request: SignRequest,
    passphrase: String,
    comment: Option<String>,
) -> Result<SignOffView, IpcError> {
    Ok(signoff::sign(&desk, &document, request, &passphrase, comment.as_deref())?)
}

/// The public version as the export would write it now, beside the original.
#[tauri::command]
pub async fn preview_export(desk: State<'_, Desk>, document: String) -> Result<PreviewView, IpcError> {
    Ok(signoff::preview(&desk, &document)?)
}

/// Asks where to save, then exports the approved document; `None` when the dialog was cancelled.
#[tauri::command]
pub async fn export_approved(
    app: AppHandle,
    desk: State<'_, Desk>,
    document: String,
) -> Result<Option<ExportResultView>, IpcError> {
    let suggested = signoff::suggested_export_name(&desk, &document)?;
    let Some(path) = dialogs::pick_destination(&app, &suggested) else { return Ok(None) };
    Ok(Some(signoff::export(&desk, &document, &path)?))
}

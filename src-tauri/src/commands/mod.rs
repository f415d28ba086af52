//! The IPC commands. Each one raises a native dialog if it needs a path, then delegates to the
//! [`Workbench`] or the [`Desk`] in one line; none holds logic of its own. The commands of each
//! screen live in a submodule of their own; the quick check and the desk (sign-in, inbox) are here.
//!
//! Commands are `async` so that Tauri runs them off the main thread: reading and scanning a
//! large file, or waiting on a dialog, never freezes the window.

pub mod audit;
pub mod pages;
pub mod review;
pub mod settings;
pub mod signoff;

use tauri::{AppHandle, State};

use crate::desk::Desk;
use crate::dialogs;
use crate::dto::{DeskStatus, DocumentView, ImportView, InboxRow, UserView};
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

/// The workspace and who is signed in.
#[tauri::command]
pub async fn desk_status(desk: State<'_, Desk>) -> Result<DeskStatus, IpcError> {
    Ok(desk.status()?)
}

/// Creates the workspace with its first administrator, signed in.
#[tauri::command]
pub async fn create_workspace(
    desk: State<'_, Desk>,
    admin: String,
    passphrase: String,
) -> Result<DeskStatus, IpcError> {
    Ok(desk.create(&admin, &passphrase)?)
}

/// Signs a user in.
#[tauri::command]
pub async fn sign_in(desk: State<'_, Desk>, name: String, passphrase: String) -> Result<UserView, IpcError> {
    Ok(desk.sign_in(&name, &passphrase)?)
}

/// Ends the session.
#[tauri::command]
pub async fn sign_out(desk: State<'_, Desk>) -> Result<(), IpcError> {
    desk.sign_out();
    Ok(())
}

/// Adds a user (administrators only).
#[tauri::command]
pub async fn add_user(
    desk: State<'_, Desk>,
    name: String,
    roles: Vec<String>,
    passphrase: String,
) -> Result<(), IpcError> {
    Ok(desk.add_user(&name, &roles, &passphrase)?)
}

/// Every document's latest revision.
#[tauri::command]
pub async fn inbox(desk: State<'_, Desk>) -> Result<Vec<InboxRow>, IpcError> {
    Ok(desk.inbox()?)
}

/// Asks for a draft and imports it into the workspace; `None` when the dialog was cancelled.
#[tauri::command]
pub async fn import_document(app: AppHandle, desk: State<'_, Desk>) -> Result<Option<ImportView>, IpcError> {
    let Some(path) = dialogs::pick_draft(&app) else { return Ok(None) };
    Ok(Some(desk.import(&path)?))
}

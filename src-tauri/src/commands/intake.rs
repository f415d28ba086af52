//! The commands of the inbox folder and of what arrived (see `intake`), and the handler of
//! files dropped on the window.

use std::path::PathBuf;

use tauri::{AppHandle, Emitter, Manager, State};

use crate::desk::Desk;
use crate::dialogs;
use crate::error::IpcError;
use crate::intake::{ArrivalView, InboxFolderView, Intake};
use crate::progress;
use crate::watcher::INTAKE_EVENT;

/// The inbox folder setting and how its sweeping goes.
#[tauri::command]
pub async fn inbox_folder(
    desk: State<'_, Desk>,
    intake: State<'_, Intake>,
) -> Result<InboxFolderView, IpcError> {
    Ok(intake.status(&desk)?)
}

/// Asks for a folder and makes it the inbox folder (admins); `None` when cancelled.
#[tauri::command]
pub async fn choose_inbox_folder(
    app: AppHandle,
    desk: State<'_, Desk>,
    intake: State<'_, Intake>,
) -> Result<Option<InboxFolderView>, IpcError> {
    let Some(folder) = dialogs::pick_folder(&app) else { return Ok(None) };
    Ok(Some(intake.set_folder(&desk, Some(&folder))?))
}

/// Stops watching any folder (admins).
#[tauri::command]
pub async fn clear_inbox_folder(
    desk: State<'_, Desk>,
    intake: State<'_, Intake>,
) -> Result<InboxFolderView, IpcError> {
    Ok(intake.set_folder(&desk, None)?)
}

/// Sweeps the inbox folder now (the watcher also does, on its own); returns what arrived.
#[tauri::command]
pub async fn sweep_inbox_folder(
    app: AppHandle,
    desk: State<'_, Desk>,
    intake: State<'_, Intake>,
) -> Result<Vec<ArrivalView>, IpcError> {
    Ok(intake.sweep(&desk, &mut progress::to_window(&app)))
}

/// What arrived in this run, newest first.
#[tauri::command]
pub async fn arrivals(intake: State<'_, Intake>) -> Result<Vec<ArrivalView>, IpcError> {
    Ok(intake.arrivals())
}

/// Imports the files of the window's drop event, off the main thread, with progress; then
/// tells the inbox to reload. The paths come from the window system, never from the webview.
pub fn dropped(app: &AppHandle, paths: Vec<PathBuf>) {
    let app = app.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let mut progress = progress::to_window(&app);
        app.state::<Intake>().import_dropped(&app.state::<Desk>(), &paths, &mut progress);
        let _ = app.emit(INTAKE_EVENT, ());
    });
}

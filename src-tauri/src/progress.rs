//! The shared `progress` event: long work tells the window how far it has got, so the header
//! shows a progress bar instead of the busy label, and the window never looks frozen.
//!
//! **How to emit it.** Keep the work itself free of Tauri: take a `&mut dyn FnMut(Progress)`
//! (see `intake::Intake::import_dropped`) and call it before each step with
//! `Progress::new(task, done, total, label)` and once at the end with `done == total`. The
//! command (or event handler) runs the work off the main thread and passes
//! `progress::to_window(&app)`:
//!
//! ```text
//! tauri::async_runtime::spawn_blocking(move || {
//!     work(&input, &mut progress::to_window(&app))
//! }).await
//! ```
//!
//! The UI listens with `backend.onProgress` (`ui/src/lib/backend.ts`); `components/ProgressBar`
//! shows the latest event per task and hides the bar when `done == total`. Task names in use:
//! `import` (dropped files), `intake` (the inbox folder). Pick a short lowercase name per kind of work.

use serde::Serialize;
use tauri::{AppHandle, Emitter};
use ts_rs::TS;

/// The event's name, as the UI listens for it.
pub const EVENT: &str = "progress";

/// How far one piece of long work has got.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    /// What kind of work: `import`, `scan`, `export`, `open`...
    pub task: String,
    /// Steps done so far.
    pub done: u32,
    /// Steps in all; the work is over when `done == total`.
    pub total: u32,
    /// What is being worked on now (a file name), for people; may be empty.
    pub label: String,
}

impl Progress {
    /// The progress of `task`: `done` of `total` steps, now working on `label`.
    pub fn new(task: &str, done: u32, total: u32, label: &str) -> Progress {
        Progress { task: task.into(), done, total, label: label.into() }
    }
}

/// A progress callback that emits each step to the window.
pub fn to_window(app: &AppHandle) -> impl FnMut(Progress) + use<> {
    let app = app.clone();
    move |progress| {
        // A closed window has nobody to tell; the work itself goes on.
        let _ = app.emit(EVENT, progress);
    }
}

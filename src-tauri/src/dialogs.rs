//! Native file dialogs, raised from Rust.
//!
//! Raising them here rather than from the webview means the webview never names a path: it
//! has no dialog, file-system or shell permission, and a compromised page cannot make a
//! command read or overwrite an arbitrary file.

use std::path::PathBuf;

use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;

/// The extensions Vetted reads (the content is sniffed anyway; this only filters the list).
const DRAFT_EXTENSIONS: &[&str] = &["txt", "md", "markdown", "docx", "pdf", "jpg", "jpeg", "png"];

/// Asks for one draft to open.
pub fn pick_draft(app: &AppHandle) -> Option<PathBuf> {
    app.dialog()
        .file()
        .add_filter("Drafts", DRAFT_EXTENSIONS)
        .blocking_pick_file()
        .and_then(|path| path.into_path().ok())
}

/// Asks where to save a public version, suggesting `file_name`.
pub fn pick_destination(app: &AppHandle, file_name: &str) -> Option<PathBuf> {
    app.dialog().file().set_file_name(file_name).blocking_save_file().and_then(|path| path.into_path().ok())
}

//! Native file dialogs, raised from Rust.
//!
//! Raising them here rather than from the webview means the webview never names a path: it
//! has no dialog, file-system or shell permission, and a compromised page cannot make a
//! command read or overwrite an arbitrary file.
//!
//! **Test hook.** WebDriver cannot drive a native dialog, so when `VETTED_E2E_PICK` names a file,
//! each dialog instead takes the first line of that file as the user's answer and removes it
//! (an empty line is a cancel). The variable is set only by the end-to-end tests; the file is
//! written by the test itself, so it grants nothing the person running the app could not do.

use std::path::{Path, PathBuf};

use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;

/// The extensions Vetted reads (the content is sniffed anyway; this only filters the list).
const DRAFT_EXTENSIONS: &[&str] = &["txt", "md", "markdown", "docx", "pdf", "jpg", "jpeg", "png"];

/// Asks for one draft to open.
pub fn pick_draft(app: &AppHandle) -> Option<PathBuf> {
    if let Some(answer) = scripted_answer() {
        return answer;
    }
    app.dialog()
        .file()
        .add_filter("Drafts", DRAFT_EXTENSIONS)
        .blocking_pick_file()
        .and_then(|path| path.into_path().ok())
}

/// Asks where to save a file, suggesting `file_name`.
pub fn pick_destination(app: &AppHandle, file_name: &str) -> Option<PathBuf> {
    if let Some(answer) = scripted_answer() {
        return answer;
    }
    app.dialog().file().set_file_name(file_name).blocking_save_file().and_then(|path| path.into_path().ok())
}

/// Asks for a folder (the inbox folder).
pub fn pick_folder(app: &AppHandle) -> Option<PathBuf> {
    if let Some(answer) = scripted_answer() {
        return answer;
    }
    app.dialog().file().blocking_pick_folder().and_then(|path| path.into_path().ok())
}

/// The next scripted answer when the test hook is on: `Some(None)` is a cancel, `None` means
/// "no hook, show the real dialog".
fn scripted_answer() -> Option<Option<PathBuf>> {
    let queue = std::env::var_os("VETTED_E2E_PICK")?;
    Some(take_first_line(Path::new(&queue)))
}

fn take_first_line(queue: &Path) -> Option<PathBuf> {
    let contents = std::fs::read_to_string(queue).ok()?;
    let (first, rest) = contents.split_once('\n').unwrap_or((contents.as_str(), ""));
    std::fs::write(queue, rest).ok()?;
    let first = first.trim();
    (!first.is_empty()).then(|| PathBuf::from(first))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_test_hook_answers_in_order_and_an_empty_line_or_an_empty_queue_cancels() {
        let dir = tempfile::tempdir().unwrap();
        let queue = dir.path().join("picks");
        std::fs::write(&queue, "/a/draft.pdf\n\n/b/out.pdf\n").unwrap();
        let answers: Vec<_> = (0..4).map(|_| super::take_first_line(&queue)).collect();
        let expected = [Some("/a/draft.pdf".into()), None, Some("/b/out.pdf".into()), None];
        assert_eq!(answers, expected);
    }
}

//! Expanding the FILE and DIR arguments of a batch command into the files to read.
//!
//! An archive being digitized is a tree of folders holding drafts and everything else (thumbnails
//! databases, `.DS_Store`, spreadsheets). A directory therefore contributes only the files whose
//! extension names a format Vetted reads, while a file named on the command line is always read
//! (its content decides the format, and an unsupported one is reported). The order is
//! deterministic: arguments in the order given, each directory's entries sorted by name and
//! walked depth first, so the same tree always gives the same report.

use std::path::{Path, PathBuf};

/// Extensions (lowercase) of the files a directory walk picks up.
const SUPPORTED_EXTENSIONS: &[&str] = &["txt", "md", "markdown", "docx", "pdf", "jpg", "jpeg", "png"];

/// One thing to process: a file to read, or a directory that could not be listed.
#[derive(Debug)]
pub enum Input {
    /// A file to read (it may still turn out to be missing or unreadable).
    File(PathBuf),
    /// A directory whose listing failed, with the reason.
    Unlistable(PathBuf, String),
}

/// Expands `args`: a directory stands for the supported files directly in it, or anywhere
/// below it when `recursive`. Hidden entries (names starting with `.`) are skipped, and
/// symbolic links to directories are not followed, so a link loop cannot make the walk endless.
pub fn expand(args: &[PathBuf], recursive: bool) -> Vec<Input> {
    let mut inputs = Vec::new();
    for arg in args {
        if arg.is_dir() {
            walk(arg, recursive, &mut inputs);
        } else {
            inputs.push(Input::File(arg.clone()));
        }
    }
    inputs
}

fn walk(dir: &Path, recursive: bool, inputs: &mut Vec<Input>) {
    let entries = match list(dir) {
        Ok(entries) => entries,
        Err(error) => {
            inputs.push(Input::Unlistable(dir.to_path_buf(), format!("cannot list the directory: {error}")));
            return;
        }
    };
    for (path, kind) in entries {
        match kind {
            EntryKind::Dir if recursive => walk(&path, recursive, inputs),
            EntryKind::File if is_supported(&path) => inputs.push(Input::File(path)),
            _ => {}
        }
    }
}

#[derive(Clone, Copy)]
enum EntryKind {
    File,
    Dir,
    Other,
}

/// The visible entries of `dir`, sorted by name.
fn list(dir: &Path) -> std::io::Result<Vec<(PathBuf, EntryKind)>> {
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let file_type = entry.file_type()?;
        let kind = if file_type.is_dir() {
            EntryKind::Dir
        } else if file_type.is_file() || (file_type.is_symlink() && entry.path().is_file()) {
            // A link to a file is read like the file; a link to a directory is not followed.
            EntryKind::File
        } else {
            EntryKind::Other
        };
        entries.push((entry.path(), kind));
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(entries)
}

fn is_supported(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| SUPPORTED_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

//! The page view's commands: the page sizes, the original bytes for pdf.js or the `<img>`, and
//! the boxes of character ranges on the pages. Each delegates to [`Pages`] in one line.

use tauri::State;
use tauri::ipc::Response;

use crate::desk::Desk;
use crate::error::IpcError;
use crate::pages::{CharRange, Pages, PagesSource, PagesView, RangeBoxes};
use crate::workbench::Workbench;

/// The page sizes of `source` (and, for a photo, its metadata and GPS position).
#[tauri::command]
pub async fn pages_view(
    pages: State<'_, Pages>,
    bench: State<'_, Workbench>,
    desk: State<'_, Desk>,
    source: PagesSource,
) -> Result<PagesView, IpcError> {
    Ok(pages.view(&bench, &desk, &source)?)
}

/// The original bytes of `source`, as a binary response (an `ArrayBuffer` in the webview, not
/// a JSON array of numbers: a 10 MB PDF stays 10 MB).
#[tauri::command]
pub async fn pages_original(
    pages: State<'_, Pages>,
    bench: State<'_, Workbench>,
    desk: State<'_, Desk>,
    source: PagesSource,
) -> Result<Response, IpcError> {
    Ok(Response::new(pages.original(&bench, &desk, &source)?))
}

/// Where each of `ranges` is drawn on the pages of `source`.
#[tauri::command]
pub async fn pages_boxes(
    pages: State<'_, Pages>,
    bench: State<'_, Workbench>,
    desk: State<'_, Desk>,
    source: PagesSource,
    ranges: Vec<CharRange>,
) -> Result<Vec<RangeBoxes>, IpcError> {
    Ok(pages.boxes(&bench, &desk, &source, &ranges)?)
}

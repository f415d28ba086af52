//! The review screen's commands: open a workspace document, decide its findings, mark passages.
//! Each delegates to [`crate::review`] in one line.

use tauri::State;

use crate::desk::Desk;
use crate::error::IpcError;
use crate::review::{self, AreaRect, CharRange, DecisionRequest, ReasonCodeView, ReviewProgress, ReviewView};

/// Opens a workspace document's latest revision for review.
#[tauri::command]
pub async fn review_open(desk: State<'_, Desk>, document: String) -> Result<ReviewView, IpcError> {
    Ok(review::open(&desk, &document)?)
}

/// Redacts, keeps or reopens findings `ids`.
#[tauri::command]
pub async fn review_decide(
    desk: State<'_, Desk>,
    document: String,
    ids: Vec<u32>,
    decision: DecisionRequest,
) -> Result<ReviewProgress, IpcError> {
    Ok(review::decide(&desk, &document, &ids, &decision)?)
}

/// Marks the selected characters for redaction.
#[tauri::command]
pub async fn review_mark_range(
    desk: State<'_, Desk>,
    document: String,
    range: CharRange,
    reason: String,
) -> Result<ReviewProgress, IpcError> {
    Ok(review::mark_range(&desk, &document, range, &reason)?)
}

/// Marks every occurrence of a phrase for redaction.
#[tauri::command]
pub async fn review_mark_phrase(
    desk: State<'_, Desk>,
    document: String,
    phrase: String,
    reason: String,
) -> Result<ReviewProgress, IpcError> {
    Ok(review::mark_phrase(&desk, &document, &phrase, &reason)?)
}

/// Marks an area of a page (or of a photo) for redaction.
#[tauri::command]
pub async fn review_mark_area(
    desk: State<'_, Desk>,
    document: String,
    page: u32,
    rect: AreaRect,
    reason: String,
) -> Result<ReviewProgress, IpcError> {
    Ok(review::mark_area(&desk, &document, page, rect, &reason)?)
}

/// Removes a manual mark.
#[tauri::command]
pub async fn review_remove_mark(
    desk: State<'_, Desk>,
    document: String,
    mark: i64,
) -> Result<ReviewProgress, IpcError> {
    Ok(review::remove_mark(&desk, &document, mark)?)
}

/// The workspace's reason codes, for the keep dialog and the mark reason.
#[tauri::command]
pub async fn review_reason_codes(desk: State<'_, Desk>) -> Result<Vec<ReasonCodeView>, IpcError> {
    Ok(review::reason_codes(&desk)?)
}

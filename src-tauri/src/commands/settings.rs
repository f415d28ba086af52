//! The settings screen's commands: one-line delegations to `crate::settings`. Adding a user
//! is the desk's `add_user`.

use tauri::State;

use crate::desk::Desk;
use crate::error::IpcError;
use crate::settings::{self, ReasonCodeView, RulesView, UserRow};

/// Every user, disabled ones included.
#[tauri::command]
pub async fn settings_users(desk: State<'_, Desk>) -> Result<Vec<UserRow>, IpcError> {
    Ok(settings::users(&desk)?)
}

/// Disables a user.
#[tauri::command]
pub async fn settings_disable_user(desk: State<'_, Desk>, name: String) -> Result<(), IpcError> {
    Ok(settings::disable_user(&desk, &name)?)
}

/// Replaces a user's roles.
#[tauri::command]
pub async fn settings_set_roles(
    desk: State<'_, Desk>,
    name: String,
    roles: Vec<String>,
) -> Result<(), IpcError> {
    Ok(settings::set_roles(&desk, &name, &roles)?)
}

/// The rule packs in effect.
#[tauri::command]
pub async fn settings_rules(desk: State<'_, Desk>) -> Result<RulesView, IpcError> {
    Ok(settings::rules(&desk)?)
}

/// Enables or disables a rule pack.
#[tauri::command]
pub async fn settings_set_pack_enabled(
    desk: State<'_, Desk>,
    pack: String,
    enabled: bool,
) -> Result<(), IpcError> {
    Ok(settings::set_pack_enabled(&desk, &pack, enabled)?)
}

/// Adds terms to a rule; returns how many were new.
#[tauri::command]
pub async fn settings_add_terms(
    desk: State<'_, Desk>,
    rule: String,
    terms: Vec<String>,
) -> Result<u32, IpcError> {
    Ok(settings::add_terms(&desk, &rule, &terms)?)
}

/// The reason codes.
#[tauri::command]
pub async fn settings_reason_codes(desk: State<'_, Desk>) -> Result<Vec<ReasonCodeView>, IpcError> {
    Ok(settings::reason_codes(&desk)?)
}

/// Adds a reason code.
#[tauri::command]
pub async fn settings_add_reason_code(
    desk: State<'_, Desk>,
    code: String,
    zh: String,
    en: String,
) -> Result<(), IpcError> {
    Ok(settings::add_reason_code(&desk, &code, &zh, &en)?)
}

//! The settings screen (administrators): users and their roles, the rule packs and their
//! lexicons, and the reason codes. The core checks every change (admin only, audited, never
//! the last administrator, a rule edit that does not load is not written); this module shapes
//! what crosses IPC, and shows the lists only to administrators (see `access`). Like `desk`,
//! it knows nothing about Tauri.

use serde::Serialize;
use ts_rs::TS;
use vetted_core::{ReasonCode, Result, Role, RulePack, TermRule, UserInfo};

use crate::access::require_any;
use crate::desk::Desk;

const ADMIN: &[Role] = &[Role::Admin];

/// A user as the administrator manages them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UserRow {
    /// The user name.
    pub name: String,
    /// Their roles, lowercase.
    pub roles: Vec<String>,
    /// True when they may no longer sign in.
    pub disabled: bool,
}

/// The rule packs in effect.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RulesView {
    /// True while the workspace scans with the built-in packs (no rule directory yet; the
    /// first change writes one).
    pub builtin: bool,
    /// What the audit log records the scans were made with.
    pub source: String,
    /// Every pack, enabled or not, in load order.
    pub packs: Vec<RulePackView>,
}

/// One rule pack.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RulePackView {
    /// Its id (`classification`).
    pub id: String,
    /// Its file in the rule directory.
    pub file: String,
    /// Its name in Chinese.
    pub name_zh: String,
    /// Its name in English.
    pub name_en: String,
    /// Whether its rules run.
    pub enabled: bool,
    /// How many rules it declares.
    pub rules: u32,
    /// Its rules that match terms, to which terms can be added.
    pub term_rules: Vec<TermRuleView>,
}

/// A rule that matches a list of terms.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TermRuleView {
    /// Its id.
    pub id: String,
    /// What it finds, in Chinese.
    pub description_zh: String,
    /// What it finds, in English.
    pub description_en: String,
    /// How many terms it has.
    pub terms: u32,
}

/// A reason code reviewers choose from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReasonCodeView {
    /// The stable code (`state_secret`).
    pub code: String,
    /// The Chinese label.
    pub zh: String,
    /// The English label.
    pub en: String,
}

/// Every user, disabled ones included.
pub fn users(desk: &Desk) -> Result<Vec<UserRow>> {
    desk.with_session(|workspace, session| {
        require_any(workspace, session, ADMIN, "manage users")?;
        Ok(workspace.users()?.iter().map(UserRow::from).collect())
    })
}

/// Disables a user: they can no longer sign in; their history stays.
pub fn disable_user(desk: &Desk, name: &str) -> Result<()> {
    desk.with_session(|workspace, session| workspace.disable_user(session, name))
}

/// Replaces a user's roles.
pub fn set_roles(desk: &Desk, name: &str, roles: &[String]) -> Result<()> {
    let roles = roles.iter().map(|r| r.parse()).collect::<Result<Vec<Role>>>()?;
    desk.with_session(|workspace, session| workspace.set_roles(session, name, &roles))
}

/// The rule packs in effect.
pub fn rules(desk: &Desk) -> Result<RulesView> {
    desk.with_session(|workspace, session| {
        require_any(workspace, session, ADMIN, "manage rule packs")?;
        Ok(RulesView {
            builtin: workspace.rules_source() == "built-in rules",
            source: workspace.rules_source().to_string(),
            packs: workspace.rule_packs()?.iter().map(RulePackView::from).collect(),
        })
    })
}

/// Enables or disables a pack; the next import scans accordingly.
pub fn set_pack_enabled(desk: &Desk, pack: &str, enabled: bool) -> Result<()> {
    desk.with_session_mut(|workspace, session| workspace.set_pack_enabled(session, pack, enabled))
}

/// Adds terms to a rule; returns how many were new.
pub fn add_terms(desk: &Desk, rule: &str, terms: &[String]) -> Result<u32> {
    desk.with_session_mut(|workspace, session| workspace.add_rule_terms(session, rule, terms))
        .map(|added| u32::try_from(added).unwrap_or(u32::MAX))
}

/// The reason codes.
pub fn reason_codes(desk: &Desk) -> Result<Vec<ReasonCodeView>> {
    desk.with_session(|workspace, _| {
        Ok(workspace
            .reason_codes()?
            .into_iter()
            .map(|c| ReasonCodeView { code: c.code, zh: c.zh, en: c.en })
            .collect())
    })
}

/// Adds a reason code.
pub fn add_reason_code(desk: &Desk, code: &str, zh: &str, en: &str) -> Result<()> {
    let code =
        ReasonCode { code: code.trim().to_string(), zh: zh.trim().to_string(), en: en.trim().to_string() };
    desk.with_session(|workspace, session| workspace.add_reason_code(session, &code))
}

impl From<&UserInfo> for UserRow {
    fn from(user: &UserInfo) -> Self {
        UserRow {
            name: user.name.clone(),
            roles: user.roles.iter().map(|r| r.as_str().to_string()).collect(),
            disabled: user.disabled,
        }
    }
}

impl From<&RulePack> for RulePackView {
    fn from(pack: &RulePack) -> Self {
        RulePackView {
            id: pack.id.clone(),
            file: pack.file.clone(),
            name_zh: pack.name_zh.clone(),
            name_en: pack.name_en.clone(),
            enabled: pack.enabled,
            rules: u32::try_from(pack.rules).unwrap_or(u32::MAX),
            term_rules: pack.term_rules.iter().map(TermRuleView::from).collect(),
        }
    }
}

impl From<&TermRule> for TermRuleView {
    fn from(rule: &TermRule) -> Self {
        TermRuleView {
            id: rule.id.clone(),
            description_zh: rule.description_zh.clone(),
            description_en: rule.description_en.clone(),
            terms: u32::try_from(rule.terms).unwrap_or(u32::MAX),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vetted_core::ErrorKind;

    const PASS: &str = "correct horse battery";

    fn admin_desk() -> (tempfile::TempDir, Desk) {
        let dir = tempfile::tempdir().unwrap();
        let desk = Desk::new(Some(dir.path().join("workspace")));
        desk.create("admin", PASS).unwrap();
        (dir, desk)
    }

    fn user_rows(desk: &Desk) -> Vec<(String, String, bool)> {
        users(desk).unwrap().into_iter().map(|u| (u.name, u.roles.join("+"), u.disabled)).collect()
    }

    #[test]
    fn the_admin_adds_changes_and_disables_users() {
        let (_dir, desk) = admin_desk();
        desk.add_user("li", &["drafter".into()], PASS).unwrap();
        desk.add_user("wang", &["reviewer".into()], PASS).unwrap();
        set_roles(&desk, "wang", &["reviewer".into(), "approver".into()]).unwrap();
        disable_user(&desk, "li").unwrap();
        let expected = [
            ("admin".to_string(), "admin".to_string(), false),
            ("li".into(), "drafter".into(), true),
            ("wang".into(), "reviewer+approver".into(), false),
        ];
        assert_eq!(user_rows(&desk), expected);
        assert_eq!(set_roles(&desk, "wang", &["boss".into()]).unwrap_err().kind(), ErrorKind::InvalidInput);
        assert_eq!(
            set_roles(&desk, "admin", &["auditor".into()]).unwrap_err().kind(),
            ErrorKind::InvalidInput
        );
    }

    #[test]
    fn a_disabled_pack_and_an_added_term_change_what_the_next_import_finds() {
        let (dir, desk) = admin_desk();
        desk.add_user("li", &["drafter".into()], PASS).unwrap();
        let view = rules(&desk).unwrap();
        assert!(view.builtin);
        assert!(view.packs.iter().all(|p| p.enabled));
        set_pack_enabled(&desk, "personal", false).unwrap();
        assert_eq!(add_terms(&desk, "classification.level.zh", &["红星项目".into()]).unwrap(), 1);
        let view = rules(&desk).unwrap();
        assert!(!view.builtin);
        let personal = view.packs.iter().find(|p| p.id == "personal").unwrap();
        assert!(!personal.enabled);

        desk.sign_in("li", PASS).unwrap();
        let draft = dir.path().join("plan.txt");
        std::fs::write(&draft, "红星项目联系人邮箱 li@example.com\n").unwrap();
        let imported = desk.import(&draft).unwrap();
        // The new term is found; the e-mail address (personal pack) no longer is.
        assert_eq!(imported.findings, 1);
    }

    #[test]
    fn reason_codes_are_listed_and_added() {
        let (_dir, desk) = admin_desk();
        let before = reason_codes(&desk).unwrap().len();
        add_reason_code(&desk, " export_control ", "出口管制", "export control").unwrap();
        let codes = reason_codes(&desk).unwrap();
        assert_eq!(codes.len(), before + 1);
        assert_eq!(codes.last().unwrap().code, "export_control");
        let error = add_reason_code(&desk, "export_control", "出口管制", "export control").unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidInput);
    }

    #[test]
    fn only_an_admin_sees_the_settings() {
        let (_dir, desk) = admin_desk();
        desk.add_user("otto", &["auditor".into()], PASS).unwrap();
        desk.sign_in("otto", PASS).unwrap();
        assert_eq!(users(&desk).unwrap_err().kind(), ErrorKind::Forbidden);
        assert_eq!(rules(&desk).unwrap_err().kind(), ErrorKind::Forbidden);
        assert_eq!(set_pack_enabled(&desk, "personal", false).unwrap_err().kind(), ErrorKind::Forbidden);
    }
}

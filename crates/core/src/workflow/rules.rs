//! The workspace's rule packs as an administrator manages them: listing, enabling and disabling
//! a pack, adding terms to a rule.
//!
//! A workspace scans with the packs in `WORKSPACE/rules/*.toml` when that directory exists,
//! else with the built-in packs. The first change writes the built-in packs and lexicons into
//! `rules/` (through a staging directory renamed into place, so `rules/` is either absent or
//! whole), and every change after that edits one pack file there.
//!
//! An edit is made to the pack's TOML with `toml_edit`, which keeps the administrator's
//! comments and layout, so the file stays the one documented in `assets/rules/README.md`: a
//! pack is disabled with `enabled = false` in its `[pack]` table, and terms go into the rule's
//! `terms` array. Every edit is checked by compiling the edited pack *together with* the
//! unchanged ones before anything is written, and the file is replaced atomically, so a bad
//! edit never leaves a rule directory that does not load. Each change is admin-only and
//! audited; the workspace then reloads its rules, so the next import scans with them.

use std::path::{Component, Path, PathBuf};

use serde::Serialize;
use serde_json::{Value, json};
use toml_edit::DocumentMut;

use super::users::{self, Role, Session};
use super::{Workspace, log};
use crate::detect::{RuleSet, builtin_files};
use crate::error::{Error, ErrorKind, Result};
use crate::normalize::fold;
use crate::store::write_atomically;
use crate::verify::sha256_hex;

/// The rule directory, inside the workspace.
const RULES_DIR: &str = "rules";

/// The longest term an administrator may add, in characters: a lexicon holds names and
/// phrases, not paragraphs.
const MAX_TERM_CHARS: usize = 100;

/// The most terms one change may add.
const MAX_TERMS_PER_CHANGE: usize = 1000;

/// A rule pack in effect in a workspace, as the settings screen lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RulePack {
    /// The pack's file name (`classification.toml`).
    pub file: String,
    /// The pack's id (`classification`).
    pub id: String,
    /// The pack's name in Chinese.
    pub name_zh: String,
    /// The pack's name in English.
    pub name_en: String,
    /// Whether its rules run.
    pub enabled: bool,
    /// How many rules it declares, enabled or not.
    pub rules: usize,
    /// Its rules that match terms (rather than a pattern): the ones terms can be added to.
    pub term_rules: Vec<TermRule>,
}

/// A rule that matches a list of terms.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TermRule {
    /// The rule's id (`classification.level.zh`).
    pub id: String,
    /// What it finds, in Chinese.
    pub description_zh: String,
    /// What it finds, in English.
    pub description_en: String,
    /// How many terms it has (inline and from its lexicon file).
    pub terms: usize,
}

/// The pack files a workspace scans with, read from its rule directory or the built-in ones.
struct PackFiles {
    /// The rule directory.
    dir: PathBuf,
    /// False when the directory does not exist and the files are the built-in ones.
    on_disk: bool,
    /// `(file name, TOML)`, in file-name order (the order the loader uses).
    packs: Vec<(String, String)>,
}

impl PackFiles {
    fn read(workspace_dir: &Path) -> Result<PackFiles> {
        let dir = workspace_dir.join(RULES_DIR);
        if !dir.is_dir() {
            let packs = builtin_files()
                .filter(|(name, _)| name.ends_with(".toml"))
                .map(|(name, text)| (name.to_string(), text.to_string()))
                .collect();
            return Ok(PackFiles { dir, on_disk: false, packs });
        }
        let cannot = |e: std::io::Error| {
            Error::new(ErrorKind::Rules, format!("{}: cannot read the rule directory: {e}", dir.display()))
        };
        let mut packs = Vec::new();
        for entry in std::fs::read_dir(&dir).map_err(cannot)? {
            let path = entry.map_err(cannot)?.path();
            if path.extension().is_some_and(|e| e == "toml") && path.is_file() {
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| Error::new(ErrorKind::Rules, format!("{name}: cannot read: {e}")))?;
                packs.push((name, text));
            }
        }
        packs.sort();
        Ok(PackFiles { dir, on_disk: true, packs })
    }

    /// The text of the lexicon file `name`, resolved as the loader resolves it.
    fn lexicon(&self, name: &str) -> Result<String> {
        if !self.on_disk {
            return builtin_files()
                .find(|(file, _)| *file == name)
                .map(|(_, text)| text.to_string())
                .ok_or_else(|| Error::new(ErrorKind::Rules, format!("no built-in lexicon named {name}")));
        }
        let relative = Path::new(name);
        if !relative.components().all(|c| matches!(c, Component::Normal(_))) {
            return Err(Error::new(ErrorKind::Rules, "must be a path inside the rule directory"));
        }
        std::fs::read_to_string(self.dir.join(relative))
            .map_err(|e| Error::new(ErrorKind::Rules, e.to_string()))
    }

    /// The pack whose `[pack] id` is `id`: its index and parsed document.
    fn find_pack(&self, id: &str) -> Result<(usize, DocumentMut)> {
        for (index, (file, text)) in self.packs.iter().enumerate() {
            let doc = parse(file, text)?;
            if pack_table_str(&doc, "id") == Some(id) {
                return Ok((index, doc));
            }
        }
        Err(Error::new(ErrorKind::NotFound, format!("no rule pack with the id {id:?}")))
    }

    /// Every pack with the edited text of pack `index`, compiled as the loader would.
    fn check_with(&self, index: usize, text: &str) -> Result<()> {
        let mut packs = self.packs.clone();
        if let Some(pack) = packs.get_mut(index) {
            pack.1 = text.to_string();
        }
        RuleSet::load_texts(&packs, &|name| self.lexicon(name)).map(drop)
    }
}

/// One change to one pack file, ready to write.
struct Edit {
    /// Index into [`PackFiles::packs`].
    index: usize,
    /// The new TOML.
    text: String,
    /// The audit action.
    action: &'static str,
    /// The audit details (the file and its hashes are added).
    details: Value,
}

fn parse(file: &str, text: &str) -> Result<DocumentMut> {
    text.parse::<DocumentMut>()
        .map_err(|e| Error::new(ErrorKind::Rules, format!("{file}: not a valid rule pack: {e}")))
}

fn pack_table_str<'a>(doc: &'a DocumentMut, key: &str) -> Option<&'a str> {
    doc.get("pack")?.as_table_like()?.get(key)?.as_str()
}

/// `enabled` as the loader reads it: absent means enabled.
fn is_enabled(table: &dyn toml_edit::TableLike) -> bool {
    table.get("enabled").and_then(|item| item.as_bool()).unwrap_or(true)
}

fn bilingual(item: Option<&toml_edit::Item>) -> (String, String) {
    let get = |lang: &str| {
        item.and_then(|i| i.as_table_like())
            .and_then(|t| t.get(lang))
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string()
    };
    (get("zh"), get("en"))
}

/// The folded terms a rule already has: inline and from its lexicon file.
fn existing_terms(rule: &toml_edit::Table, files: &PackFiles) -> Result<Vec<String>> {
    let mut terms: Vec<String> = rule
        .get("terms")
        .and_then(|t| t.as_array())
        .map(|array| array.iter().filter_map(|v| v.as_str()).map(fold).collect())
        .unwrap_or_default();
    if let Some(name) = rule.get("lexicon").and_then(|l| l.as_str()) {
        let text = files.lexicon(name)?;
        terms.extend(text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(fold));
    }
    terms.sort();
    terms.dedup();
    Ok(terms)
}

fn describe(file: &str, text: &str, files: &PackFiles) -> Result<RulePack> {
    let doc = parse(file, text)?;
    let pack = doc.get("pack").and_then(|p| p.as_table_like());
    let (name_zh, name_en) = bilingual(pack.and_then(|p| p.get("name")));
    let rules = doc.get("rules").and_then(|r| r.as_array_of_tables());
    let mut term_rules = Vec::new();
    for rule in rules.iter().flat_map(|r| r.iter()) {
        if rule.contains_key("pattern") {
            continue;
        }
        let (description_zh, description_en) = bilingual(rule.get("description"));
        term_rules.push(TermRule {
            id: rule.get("id").and_then(|i| i.as_str()).unwrap_or_default().to_string(),
            description_zh,
            description_en,
            terms: existing_terms(rule, files)?.len(),
        });
    }
    Ok(RulePack {
        file: file.to_string(),
        id: pack_table_str(&doc, "id").unwrap_or_default().to_string(),
        name_zh,
        name_en,
        enabled: pack.is_none_or(is_enabled),
        rules: rules.map_or(0, |r| r.len()),
        term_rules,
    })
}

/// The rule set in `workspace_dir` — its rule directory when there is one, else the built-in
/// packs — and the description the audit log's scan entries record.
pub(super) fn load(workspace_dir: &Path) -> Result<(RuleSet, String)> {
    let rules_dir = workspace_dir.join(RULES_DIR);
    if rules_dir.is_dir() {
        Ok((
            RuleSet::load_dir(&rules_dir)?,
            format!("rules directory (sha256 {})", super::rules_fingerprint(&rules_dir)?),
        ))
    } else {
        Ok((RuleSet::builtin()?, "built-in rules".to_string()))
    }
}

/// Writes the built-in packs and lexicons into `dir`: into a staging directory first, renamed
/// into place, so that a crash leaves either no rule directory (built-in rules) or a whole one.
fn materialize(dir: &Path) -> Result<()> {
    let staging = dir.with_file_name(".rules-staging");
    let io = |what: &str, e: std::io::Error| {
        Error::new(ErrorKind::Io, format!("cannot {what} {}: {e}", staging.display()))
    };
    if staging.exists() {
        // A staging directory is only ever left by an interrupted first change.
        std::fs::remove_dir_all(&staging).map_err(|e| io("remove the stale", e))?;
    }
    std::fs::create_dir(&staging).map_err(|e| io("create", e))?;
    for (name, text) in builtin_files() {
        write_atomically(&staging.join(name), text.as_bytes())?;
    }
    std::fs::rename(&staging, dir).map_err(|e| io("rename into place", e))
}

/// Checks and cleans the terms an administrator typed: trimmed, not empty once folded, on one
/// line, not too long, and neither already in the rule nor repeated.
fn new_terms(typed: &[String], existing: &[String], rule: &str) -> Result<Vec<String>> {
    let invalid = |message: String| Error::new(ErrorKind::InvalidInput, message);
    if typed.len() > MAX_TERMS_PER_CHANGE {
        return Err(invalid(format!("at most {MAX_TERMS_PER_CHANGE} terms at a time")));
    }
    let mut seen: std::collections::BTreeSet<String> = existing.iter().cloned().collect();
    let mut added = Vec::new();
    for term in typed {
        let term = term.trim();
        if term.chars().any(char::is_control) {
            return Err(invalid(format!("{term:?}: a term is one line of text")));
        }
        if term.chars().count() > MAX_TERM_CHARS {
            return Err(invalid(format!("{term:?}: a term has at most {MAX_TERM_CHARS} characters")));
        }
        let folded = fold(term);
        if folded.is_empty() {
            if term.is_empty() {
                continue;
            }
            return Err(invalid(format!(
                "{term:?} is empty once folded (only spaces or invisible characters)"
            )));
        }
        if seen.insert(folded) {
            added.push(term.to_string());
        }
    }
    if added.is_empty() {
        return Err(invalid(format!("no new term: rule {rule} already has every term given")));
    }
    Ok(added)
}

impl Workspace {
    /// The rule packs imports are scanned with (enabled or not), in load order.
    pub fn rule_packs(&self) -> Result<Vec<RulePack>> {
        let files = PackFiles::read(self.dir())?;
        files.packs.iter().map(|(file, text)| describe(file, text, &files)).collect()
    }

    /// What the workspace scans with, as its audit entries record it: `built-in rules`, or
    /// the rule directory and its SHA-256.
    pub fn rules_source(&self) -> &str {
        &self.rules_source
    }

    /// Enables or disables the pack `pack` (admin only, audited). Setting the state it already
    /// has changes nothing and records nothing.
    pub fn set_pack_enabled(&mut self, session: &Session, pack: &str, enabled: bool) -> Result<()> {
        let what = if enabled { "enable rule packs" } else { "disable rule packs" };
        self.edit_rules(session, what, |files| {
            let (index, mut doc) = files.find_pack(pack)?;
            let table = doc
                .get_mut("pack")
                .and_then(|p| p.as_table_like_mut())
                .ok_or_else(|| Error::new(ErrorKind::Rules, format!("pack {pack} has no [pack] table")))?;
            if is_enabled(table) == enabled {
                return Ok(None);
            }
            table.insert("enabled", toml_edit::value(enabled));
            Ok(Some(Edit {
                index,
                text: doc.to_string(),
                action: if enabled { "rule_pack_enabled" } else { "rule_pack_disabled" },
                details: json!({ "pack": pack }),
            }))
        })
        .map(drop)
    }

    /// Adds `terms` to the term rule `rule` (admin only, audited), skipping those it already
    /// has; returns how many were added. Refused when none is new.
    ///
    /// The audit entry records how many terms were added and the pack file's SHA-256 before
    /// and after, not the terms: a lexicon of sensitive names is itself sensitive, and the
    /// audit log is read, and exported, by more people than may read the rule directory.
    pub fn add_rule_terms(&mut self, session: &Session, rule: &str, terms: &[String]) -> Result<usize> {
        self.edit_rules(session, "edit lexicons", |files| {
            for (index, (file, text)) in files.packs.iter().enumerate() {
                let mut doc = parse(file, text)?;
                let pack = pack_table_str(&doc, "id").unwrap_or_default().to_string();
                let Some(rules) = doc.get_mut("rules").and_then(|r| r.as_array_of_tables_mut()) else {
                    continue;
                };
                let Some(table) =
                    rules.iter_mut().find(|t| t.get("id").and_then(|i| i.as_str()) == Some(rule))
                else {
                    continue;
                };
                if table.contains_key("pattern") {
                    return Err(Error::new(
                        ErrorKind::InvalidInput,
                        format!("rule {rule} matches a pattern, not a list of terms"),
                    ));
                }
                let added = new_terms(terms, &existing_terms(table, files)?, rule)?;
                if !table.contains_key("terms") {
                    table.insert("terms", toml_edit::value(toml_edit::Array::new()));
                }
                let array = table.get_mut("terms").and_then(|t| t.as_array_mut()).ok_or_else(|| {
                    Error::new(ErrorKind::Rules, format!("{file}: rule {rule}: terms is not a list"))
                })?;
                for term in &added {
                    array.push(term.as_str());
                }
                return Ok(Some(Edit {
                    index,
                    text: doc.to_string(),
                    action: "rule_terms_added",
                    details: json!({ "pack": pack, "rule": rule, "terms_added": added.len() }),
                }));
            }
            Err(Error::new(ErrorKind::NotFound, format!("no rule with the id {rule:?}")))
        })
        .map(|details| details.and_then(|d| d["terms_added"].as_u64()).unwrap_or(0) as usize)
    }

    /// Makes one checked, audited change to one pack file, then reloads the rules. `edit`
    /// returns `None` when there is nothing to change. Returns the audit details written.
    fn edit_rules(
        &mut self,
        session: &Session,
        what: &str,
        edit: impl FnOnce(&PackFiles) -> Result<Option<Edit>>,
    ) -> Result<Option<Value>> {
        let details = {
            let tx = self.store().write()?;
            let actor = users::acting(&tx, session)?;
            actor.require(Role::Admin, what)?;
            let files = PackFiles::read(self.dir())?;
            let Some(mut edit) = edit(&files)? else { return Ok(None) };
            files.check_with(edit.index, &edit.text)?;
            let file = files.packs.get(edit.index).map(|p| p.0.clone()).unwrap_or_default();
            let before = files.packs.get(edit.index).map(|p| p.1.clone()).unwrap_or_default();
            if !files.on_disk {
                materialize(&files.dir)?;
            }
            let path = files.dir.join(&file);
            write_atomically(&path, edit.text.as_bytes())?;
            if let Value::Object(map) = &mut edit.details {
                map.insert("file".into(), file.clone().into());
                map.insert("sha256_before".into(), sha256_hex(before.as_bytes()).into());
                map.insert("sha256_after".into(), sha256_hex(edit.text.as_bytes()).into());
                map.insert("materialized_builtin_rules".into(), (!files.on_disk).into());
            }
            let committed =
                log(&tx, &actor.name, edit.action, None, edit.details.clone()).and_then(|_| Ok(tx.commit()?));
            if let Err(e) = committed {
                // Without its audit entry the change must not stand: put the pack back.
                let _ = write_atomically(&path, before.as_bytes());
                return Err(e);
            }
            edit.details
        };
        self.reload_rules()?;
        Ok(Some(details))
    }

    /// Reloads the rule packs from the rule directory (or the built-in ones), so the next
    /// import scans with what is on disk now.
    pub fn reload_rules(&mut self) -> Result<()> {
        let (rules, source) = load(self.dir())?;
        self.rules = rules;
        self.rules_source = source;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PASS: &str = "correct horse battery";

    struct Setup {
        dir: tempfile::TempDir,
        ws: Workspace,
        admin: Session,
    }

    fn setup() -> Setup {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::create(dir.path(), "admin", PASS).unwrap();
        let admin = ws.sign_in("admin", PASS).unwrap();
        Setup { dir, ws, admin }
    }

    fn rules_dir(s: &Setup) -> PathBuf {
        s.dir.path().join(RULES_DIR)
    }

    fn pack<'a>(packs: &'a [RulePack], id: &str) -> &'a RulePack {
        packs.iter().find(|p| p.id == id).unwrap()
    }

    fn findings_of(s: &Setup, drafter: &Session, name: &str, text: &str) -> Vec<String> {
        let outcome = s.ws.import(drafter, name, text.as_bytes(), None).unwrap();
        s.ws.findings(outcome.document).unwrap().into_iter().map(|f| f.finding.rule).collect()
    }

    fn audit_actions(s: &Setup) -> Vec<String> {
        s.ws.audit_log(None).unwrap().into_iter().map(|e| e.action).collect()
    }

    #[test]
    fn the_builtin_packs_are_listed_before_any_change_and_nothing_is_written() {
        let s = setup();
        let packs = s.ws.rule_packs().unwrap();
        let ids: Vec<&str> = packs.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(
            ids,
            ["classification", "technical", "military", "restricted_areas", "personal", "mosaic"]
        );
        let classification = pack(&packs, "classification");
        assert_eq!(
            (classification.name_en.as_str(), classification.enabled),
            ("Classification markings", true)
        );
        let level = classification.term_rules.iter().find(|r| r.id == "classification.level.zh").unwrap();
        assert_eq!(level.terms, 5);
        // A rule with a lexicon file counts its lines too.
        let areas = pack(&packs, "restricted_areas");
        assert!(areas.term_rules.iter().any(|r| r.terms > 12), "{areas:?}");
        assert_eq!(s.ws.rules_source(), "built-in rules");
        assert!(!rules_dir(&s).exists());
    }

    #[test]
    fn disabling_a_pack_materializes_the_rules_and_the_next_import_no_longer_finds_its_terms() {
        let mut s = setup();
        s.ws.add_user(&s.admin, "dora", &[Role::Drafter], PASS).unwrap();
        let dora = s.ws.sign_in("dora", PASS).unwrap();
        let text = "本文件属于国家秘密。\n";
        assert!(findings_of(&s, &dora, "a.txt", text).iter().any(|r| r.starts_with("classification.")));

        s.ws.set_pack_enabled(&s.admin, "classification", false).unwrap();
        assert!(rules_dir(&s).join("classification.toml").is_file());
        assert!(rules_dir(&s).join("restricted_areas.txt").is_file());
        let on_disk = std::fs::read_to_string(rules_dir(&s).join("classification.toml")).unwrap();
        assert!(on_disk.contains("enabled = false"), "{on_disk}");
        assert!(on_disk.starts_with("# Classification markings"), "the comments are kept");
        assert!(!pack(&s.ws.rule_packs().unwrap(), "classification").enabled);
        assert!(s.ws.rules_source().starts_with("rules directory (sha256 "));
        assert!(findings_of(&s, &dora, "b.txt", text).iter().all(|r| !r.starts_with("classification.")));

        s.ws.set_pack_enabled(&s.admin, "classification", true).unwrap();
        assert!(findings_of(&s, &dora, "c.txt", text).iter().any(|r| r.starts_with("classification.")));
        let actions = audit_actions(&s);
        assert!(
            actions.contains(&"rule_pack_disabled".to_string())
                && actions.contains(&"rule_pack_enabled".to_string())
        );
    }

    #[test]
    fn a_reopened_workspace_scans_with_the_edited_rules() {
        let mut s = setup();
        s.ws.set_pack_enabled(&s.admin, "personal", false).unwrap();
        let reopened = Workspace::open(s.dir.path()).unwrap();
        assert!(!pack(&reopened.rule_packs().unwrap(), "personal").enabled);
        assert_eq!(reopened.rules_source(), s.ws.rules_source());
    }

    #[test]
    fn setting_the_state_a_pack_has_changes_and_records_nothing() {
        let mut s = setup();
        let before = audit_actions(&s).len();
        s.ws.set_pack_enabled(&s.admin, "classification", true).unwrap();
        assert_eq!(audit_actions(&s).len(), before);
        assert!(!rules_dir(&s).exists());
    }

    #[test]
    fn added_terms_are_found_by_the_next_import_and_audited_without_the_terms() {
        let mut s = setup();
        s.ws.add_user(&s.admin, "dora", &[Role::Drafter], PASS).unwrap();
        let dora = s.ws.sign_in("dora", PASS).unwrap();
        let text = "红星项目下月启动。\n";
        assert!(!findings_of(&s, &dora, "a.txt", text).contains(&"classification.level.zh".to_string()));

        let typed =
            vec!["红星项目".to_string(), "  ".to_string(), "机密".to_string(), "红星项目".to_string()];
        assert_eq!(s.ws.add_rule_terms(&s.admin, "classification.level.zh", &typed).unwrap(), 1);
        assert!(findings_of(&s, &dora, "b.txt", text).contains(&"classification.level.zh".to_string()));
        let level = pack(&s.ws.rule_packs().unwrap(), "classification")
            .term_rules
            .iter()
            .find(|r| r.id == "classification.level.zh")
            .unwrap()
            .terms;
        assert_eq!(level, 6);

        let entry =
            s.ws.audit_log(None).unwrap().into_iter().rev().find(|e| e.action == "rule_terms_added").unwrap();
        assert_eq!(entry.payload["terms_added"], 1);
        assert_eq!(entry.payload["rule"], "classification.level.zh");
        assert!(!entry.payload.to_string().contains("红星"), "{}", entry.payload);
    }

    #[test]
    fn terms_go_into_a_lexicon_rule_too() {
        let mut s = setup();
        let packs = s.ws.rule_packs().unwrap();
        let rule = pack(&packs, "restricted_areas").term_rules.iter().find(|r| r.terms > 12).unwrap().clone();
        s.ws.add_rule_terms(&s.admin, &rule.id, &["七号试验场".to_string()]).unwrap();
        let after = pack(&s.ws.rule_packs().unwrap(), "restricted_areas")
            .term_rules
            .iter()
            .find(|r| r.id == rule.id)
            .unwrap()
            .terms;
        assert_eq!(after, rule.terms + 1);
    }

    #[test]
    fn refused_term_edits_leave_the_rules_untouched() {
        let mut s = setup();
        let check = |s: &mut Setup, rule: &str, terms: &[&str], kind: ErrorKind| {
            let terms: Vec<String> = terms.iter().map(|t| t.to_string()).collect();
            let error = s.ws.add_rule_terms(&s.admin, rule, &terms).unwrap_err();
            assert_eq!(error.kind(), kind, "{rule} {terms:?}: {error}");
        };
        check(&mut s, "classification.level.zh", &["机密"], ErrorKind::InvalidInput);
        check(&mut s, "classification.level.zh", &["   "], ErrorKind::InvalidInput);
        check(&mut s, "classification.level.zh", &["a\nb"], ErrorKind::InvalidInput);
        check(&mut s, "classification.level.zh", &[&"长".repeat(101)], ErrorKind::InvalidInput);
        check(&mut s, "classification.marking.zh", &["x"], ErrorKind::InvalidInput);
        check(&mut s, "no.such.rule", &["x"], ErrorKind::NotFound);
        let error = s.ws.set_pack_enabled(&s.admin, "no_such_pack", false).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::NotFound);
        assert!(!rules_dir(&s).exists());
        assert!(!audit_actions(&s).iter().any(|a| a.starts_with("rule_")));
    }

    #[test]
    fn only_an_admin_changes_rules() {
        let mut s = setup();
        s.ws.add_user(&s.admin, "otto", &[Role::Auditor], PASS).unwrap();
        let otto = s.ws.sign_in("otto", PASS).unwrap();
        let error = s.ws.set_pack_enabled(&otto, "classification", false).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Forbidden);
        let error = s.ws.add_rule_terms(&otto, "classification.level.zh", &["x".into()]).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Forbidden);
        assert!(!rules_dir(&s).exists());
    }

    // Regression guard for the promise that a bad edit never lands: a pack on disk that an
    // edit would break (here, a duplicate rule id introduced outside Vetted in another pack)
    // makes the change fail before the edited file is written.
    #[test]
    fn an_edit_that_does_not_compile_with_the_other_packs_is_not_written() {
        let mut s = setup();
        s.ws.set_pack_enabled(&s.admin, "personal", false).unwrap();
        let classification = rules_dir(&s).join("classification.toml");
        let before = std::fs::read_to_string(&classification).unwrap();
        // Another pack on disk declares the same pack id: nothing compiles any more.
        std::fs::write(rules_dir(&s).join("zz_copy.toml"), &before).unwrap();
        let error = s.ws.add_rule_terms(&s.admin, "classification.level.zh", &["新词".into()]).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Rules);
        assert_eq!(std::fs::read_to_string(&classification).unwrap(), before);
    }

    #[test]
    fn a_stale_staging_directory_from_an_interrupted_first_change_is_replaced() {
        let mut s = setup();
        let staging = s.dir.path().join(".rules-staging");
        std::fs::create_dir(&staging).unwrap();
        std::fs::write(staging.join("half.toml"), "[pack").unwrap();
        s.ws.set_pack_enabled(&s.admin, "mosaic", false).unwrap();
        assert!(!staging.exists());
        assert!(!rules_dir(&s).join("half.toml").exists());
    }
}

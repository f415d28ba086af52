//! Rule packs as an administrator writes them: the TOML schema, and its checking.
//!
//! This module owns the *file format* (documented for admins in `assets/rules/README.md`). It
//! turns each pack into plain, validated [`RuleSpec`]s with folded terms and resolved lexicon
//! files; `rules.rs` compiles those into automata. Every error names the pack file and, where
//! there is one, the rule, so an admin who mistypes a field learns where.

use std::collections::BTreeSet;

use serde::Deserialize;

use super::finding::Severity;
use crate::error::{Error, ErrorKind, Result};
use crate::normalize::fold;

/// The reason codes a rule may suggest (`reason = "..."`); the workspace knows these.
pub(crate) const REASON_CODES: &[&str] =
    &["state_secret", "work_secret", "commercial_secret", "personal_information", "sensitive"];

/// The widest proximity window a rule may ask for, in characters: wider would make "near" mean
/// "anywhere in the paragraph" and slow every scan.
const MAX_WINDOW: usize = 2000;

/// One pack file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PackFile {
    pack: PackHeader,
    #[serde(default)]
    rules: Vec<RuleFile>,
    #[serde(default)]
    allow: Option<AllowFile>,
    #[serde(default)]
    mosaic: Option<MosaicFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PackHeader {
    id: String,
    name: Bilingual,
    #[serde(default = "enabled_by_default")]
    enabled: bool,
}

/// A text in both languages the app speaks.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Bilingual {
    /// 简体中文.
    pub zh: String,
    /// English.
    pub en: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    id: String,
    category: String,
    severity: Severity,
    confidence: f32,
    reason: String,
    description: Bilingual,
    #[serde(default = "enabled_by_default")]
    enabled: bool,
    #[serde(default)]
    terms: Vec<String>,
    #[serde(default)]
    lexicon: Option<String>,
    #[serde(default)]
    pattern: Option<String>,
    #[serde(default)]
    validator: Option<Validator>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default = "enabled_by_default")]
    word_boundary: bool,
    #[serde(default)]
    uppercase: bool,
    #[serde(default)]
    context: Option<ContextFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ContextFile {
    #[serde(default)]
    words: Vec<String>,
    #[serde(default)]
    negative: Vec<String>,
    window: usize,
    #[serde(default)]
    required: bool,
    #[serde(default)]
    boost: f32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AllowFile {
    #[serde(default)]
    terms: Vec<String>,
    #[serde(default)]
    lexicon: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MosaicFile {
    categories: Vec<String>,
    window: usize,
    #[serde(default = "three")]
    min_categories: usize,
    #[serde(default = "high")]
    severity: Severity,
    #[serde(default = "state_secret")]
    reason: String,
}

fn enabled_by_default() -> bool {
    true
}
fn three() -> usize {
    3
}
fn high() -> Severity {
    Severity::High
}
fn state_secret() -> String {
    "state_secret".into()
}

/// A check a pattern match must pass besides the regex, for numbers that carry a checksum.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Validator {
    /// GB 11643 resident identity number: ISO 7064 MOD 11-2 check character and a real birth date.
    CnResidentId,
    /// The Luhn checksum of payment card numbers.
    Luhn,
    /// A mainland mobile number: 11 digits, a `1`, and a carrier prefix in use.
    CnMobile,
    /// A decimal latitude, longitude pair: |latitude| ≤ 90 and |longitude| ≤ 180.
    LatLon,
}

/// How a rule finds candidate passages.
#[derive(Clone, Debug)]
pub(crate) enum MatchSpec {
    /// Folded terms, matched by the rule set's one Aho-Corasick automaton.
    Lexicon(Vec<String>),
    /// A regular expression over folded text, and an optional validator.
    Pattern { regex: regex::Regex, validator: Option<Validator> },
}

/// Proximity: words that must (or may) occur within `window` folded characters of a match.
#[derive(Clone, Debug, Default)]
pub(crate) struct ContextSpec {
    /// Folded supporting words.
    pub words: Vec<String>,
    /// Folded words whose presence nearby cancels the match.
    pub negative: Vec<String>,
    /// Characters either side of the match.
    pub window: usize,
    /// No finding without a supporting word.
    pub required: bool,
    /// Added to the confidence when a supporting word is present (and not required).
    pub boost: f32,
}

/// A validated rule, ready to compile.
#[derive(Clone, Debug)]
pub(crate) struct RuleSpec {
    pub id: String,
    pub category: String,
    pub severity: Severity,
    pub confidence: f32,
    pub reason: String,
    pub description: Bilingual,
    pub matcher: MatchSpec,
    /// Folded terms: a match lying wholly inside one of them is an ordinary word, not a hit.
    pub exclude: Vec<String>,
    /// Whether a match that begins or ends with an ASCII letter or digit must not continue a
    /// longer ASCII word or number ("secret" in "secretary", 11 digits inside 13).
    pub word_boundary: bool,
    /// Whether the match must be written without lowercase letters in the document: banners
    /// (`SECRET//NOFORN`) are in capitals, the word "secret" in prose is not.
    pub uppercase: bool,
    pub context: Option<ContextSpec>,
}

/// Aggregation ("mosaic"): distinct categories close together make one composite finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MosaicConfig {
    /// The categories whose combination is a mosaic risk (`military_unit`, `coordinates`, ...).
    pub categories: Vec<String>,
    /// How many characters of document text the parts may span together.
    pub window: usize,
    /// How many distinct categories make a mosaic.
    pub min_categories: usize,
    /// The composite finding's severity.
    pub severity: Severity,
    /// The composite finding's reason code.
    pub reason: String,
}

/// What a rule pack declares: its header, rules, allow-list and mosaic settings.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct PackInfo {
    /// The pack's id (`classification`).
    pub id: String,
    /// The pack's name in Chinese.
    pub name_zh: String,
    /// The pack's name in English.
    pub name_en: String,
    /// Whether its rules run.
    pub enabled: bool,
    /// How many rules it declares (enabled or not).
    pub rules: usize,
}

/// One parsed, validated pack.
#[derive(Debug)]
pub(crate) struct Pack {
    pub info: PackInfo,
    /// The enabled rules of an enabled pack.
    pub rules: Vec<RuleSpec>,
    /// Folded already-public terms.
    pub allow: Vec<String>,
    pub mosaic: Option<MosaicConfig>,
}

/// Parses and validates the pack in `source` (read from `file`, for messages). `lexicon`
/// resolves a lexicon file name to its text.
pub(crate) fn parse(file: &str, source: &str, lexicon: &dyn Fn(&str) -> Result<String>) -> Result<Pack> {
    let error = |message: String| Error::new(ErrorKind::Rules, format!("{file}: {message}"));
    let parsed: PackFile =
        toml::from_str(source).map_err(|e| error(format!("not a valid rule pack: {e}")))?;
    if parsed.pack.id.trim().is_empty() {
        return Err(error("pack.id is empty".into()));
    }
    let mut seen = BTreeSet::new();
    let mut rules = Vec::new();
    for rule in &parsed.rules {
        if !seen.insert(rule.id.as_str()) {
            return Err(error(format!("rule {}: the id is used twice", rule.id)));
        }
        let spec =
            check_rule(rule, lexicon).map_err(|message| error(format!("rule {}: {message}", rule.id)))?;
        if parsed.pack.enabled && rule.enabled {
            rules.push(spec);
        }
    }
    let mut allow = Vec::new();
    if let Some(list) = &parsed.allow {
        allow = terms_of(&list.terms, list.lexicon.as_deref(), lexicon)
            .map_err(|m| error(format!("allow: {m}")))?;
    }
    let mosaic = parsed.mosaic.map(check_mosaic).transpose().map_err(|m| error(format!("mosaic: {m}")))?;
    Ok(Pack {
        info: PackInfo {
            id: parsed.pack.id,
            name_zh: parsed.pack.name.zh,
            name_en: parsed.pack.name.en,
            enabled: parsed.pack.enabled,
            rules: parsed.rules.len(),
        },
        rules,
        allow: if parsed.pack.enabled { allow } else { Vec::new() },
        mosaic: mosaic.filter(|_| parsed.pack.enabled),
    })
}

fn check_rule(rule: &RuleFile, lexicon: &dyn Fn(&str) -> Result<String>) -> Result<RuleSpec, String> {
    if rule.id.trim().is_empty() {
        return Err("the id is empty".into());
    }
    if rule.category.trim().is_empty() {
        return Err("category is empty".into());
    }
    if !(0.0..=1.0).contains(&rule.confidence) {
        return Err(format!("confidence {} is not between 0 and 1", rule.confidence));
    }
    if !REASON_CODES.contains(&rule.reason.as_str()) {
        return Err(format!("reason {:?} is not one of {}", rule.reason, REASON_CODES.join(", ")));
    }
    let has_terms = !rule.terms.is_empty() || rule.lexicon.is_some();
    let matcher = match (&rule.pattern, has_terms) {
        (Some(_), true) => {
            return Err("has both a pattern and terms/lexicon: a rule is one or the other".into());
        }
        (None, false) => return Err("has neither terms, a lexicon nor a pattern".into()),
        (None, true) => {
            if rule.validator.is_some() {
                return Err("a validator applies to a pattern, not to terms".into());
            }
            let terms = terms_of(&rule.terms, rule.lexicon.as_deref(), lexicon)?;
            if terms.is_empty() {
                return Err("has no terms (the lexicon is empty)".into());
            }
            MatchSpec::Lexicon(terms)
        }
        (Some(pattern), false) => {
            let regex = regex::Regex::new(pattern).map_err(|e| format!("pattern does not compile: {e}"))?;
            if regex.is_match("") {
                return Err("pattern matches the empty string".into());
            }
            MatchSpec::Pattern { regex, validator: rule.validator }
        }
    };
    let context = rule.context.as_ref().map(check_context).transpose()?;
    Ok(RuleSpec {
        id: rule.id.clone(),
        category: rule.category.clone(),
        severity: rule.severity,
        confidence: rule.confidence,
        reason: rule.reason.clone(),
        description: rule.description.clone(),
        matcher,
        exclude: fold_all(&rule.exclude, "exclude")?,
        word_boundary: rule.word_boundary,
        uppercase: rule.uppercase,
        context,
    })
}

fn check_context(context: &ContextFile) -> Result<ContextSpec, String> {
    if context.words.is_empty() && context.negative.is_empty() {
        return Err("context has neither words nor negative words".into());
    }
    if context.required && context.words.is_empty() {
        return Err("context.required needs context.words".into());
    }
    if context.window == 0 || context.window > MAX_WINDOW {
        return Err(format!("context.window {} is not between 1 and {MAX_WINDOW}", context.window));
    }
    if !(0.0..=1.0).contains(&context.boost) {
        return Err(format!("context.boost {} is not between 0 and 1", context.boost));
    }
    Ok(ContextSpec {
        words: fold_all(&context.words, "context.words")?,
        negative: fold_all(&context.negative, "context.negative")?,
        window: context.window,
        required: context.required,
        boost: context.boost,
    })
}

fn check_mosaic(mosaic: MosaicFile) -> Result<MosaicConfig, String> {
    if mosaic.min_categories < 2 {
        return Err("min_categories must be at least 2".into());
    }
    if mosaic.categories.len() < mosaic.min_categories {
        return Err(format!(
            "{} categories can never reach min_categories = {}",
            mosaic.categories.len(),
            mosaic.min_categories
        ));
    }
    if mosaic.window == 0 || mosaic.window > MAX_WINDOW {
        return Err(format!("window {} is not between 1 and {MAX_WINDOW}", mosaic.window));
    }
    if !REASON_CODES.contains(&mosaic.reason.as_str()) {
        return Err(format!("reason {:?} is not one of {}", mosaic.reason, REASON_CODES.join(", ")));
    }
    Ok(MosaicConfig {
        categories: mosaic.categories,
        window: mosaic.window,
        min_categories: mosaic.min_categories,
        severity: mosaic.severity,
        reason: mosaic.reason,
    })
}

/// The folded inline terms plus the lines of the lexicon file (blank lines and `#` comments
/// skipped), without duplicates.
fn terms_of(
    inline: &[String],
    file: Option<&str>,
    lexicon: &dyn Fn(&str) -> Result<String>,
) -> Result<Vec<String>, String> {
    let mut terms = fold_all(inline, "terms")?;
    if let Some(name) = file {
        let text = lexicon(name).map_err(|e| format!("lexicon {name}: {}", e.message()))?;
        for (number, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let folded = fold(line);
            if folded.is_empty() {
                return Err(format!("lexicon {name} line {}: the term is empty once folded", number + 1));
            }
            terms.push(folded);
        }
    }
    let mut seen = BTreeSet::new();
    terms.retain(|t| seen.insert(t.clone()));
    Ok(terms)
}

fn fold_all(terms: &[String], field: &str) -> Result<Vec<String>, String> {
    terms
        .iter()
        .map(|term| {
            let folded = fold(term);
            if folded.is_empty() {
                Err(format!("{field}: {term:?} is empty once folded"))
            } else {
                Ok(folded)
            }
        })
        .collect()
}

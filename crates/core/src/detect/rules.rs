//! The compiled rule set: every pack's rules turned into as few automata as possible.
//!
//! Scanning cost must not grow with the number of terms, so all lexicon rules share ONE
//! Aho-Corasick automaton (leftmost-longest), all context words share another, and all
//! exclusions and allow-list terms a third. Regexes are compiled once, here.

use std::collections::BTreeMap;
use std::path::{Component, Path};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::finding::Severity;
use super::lexicon::Lexicon;
use super::pack::{self, MatchSpec, MosaicConfig, PackInfo, RuleSpec, Validator};
use crate::error::{Error, ErrorKind, Result};

/// The capacity of the pattern set's lazy DFA cache, in bytes (see where the set is built).
const SET_DFA_CACHE: usize = 64 << 20;

/// The packs shipped in `assets/rules`, compiled into the binary: (file name, TOML).
const BUILTIN_PACKS: &[(&str, &str)] = &[
    ("classification.toml", include_str!("../../../../assets/rules/classification.toml")),
    ("technical.toml", include_str!("../../../../assets/rules/technical.toml")),
    ("military.toml", include_str!("../../../../assets/rules/military.toml")),
    ("restricted_areas.toml", include_str!("../../../../assets/rules/restricted_areas.toml")),
    ("personal.toml", include_str!("../../../../assets/rules/personal.toml")),
    ("mosaic.toml", include_str!("../../../../assets/rules/mosaic.toml")),
];

/// The lexicon files the shipped packs name: (file name, one term a line).
const BUILTIN_LEXICONS: &[(&str, &str)] = &[
    ("restricted_areas.txt", include_str!("../../../../assets/rules/restricted_areas.txt")),
    ("public_coordinates.txt", include_str!("../../../../assets/rules/public_coordinates.txt")),
];

/// Every built-in file — the packs, then the lexicons they name — as `(file name, text)`: what
/// a workspace writes into its own rule directory the first time an administrator edits a rule.
pub(crate) fn builtin_files() -> impl Iterator<Item = (&'static str, &'static str)> {
    BUILTIN_PACKS.iter().chain(BUILTIN_LEXICONS).copied()
}

/// A compiled set of rule packs.
///
/// Build it once ([`RuleSet::builtin`] or [`RuleSet::load_dir`]) and scan any number of
/// documents with it; it is immutable and can be shared between threads.
#[derive(Debug)]
pub struct RuleSet {
    pub(super) packs: Vec<PackInfo>,
    pub(super) rules: Vec<Rule>,
    /// All lexicon terms; pattern `i` is owned by the rules `lexicon_owners[i]`.
    pub(super) lexicon: Option<Lexicon>,
    pub(super) lexicon_owners: Vec<Vec<usize>>,
    /// Indices of the pattern rules.
    pub(super) patterns: Vec<usize>,
    /// All pattern rules' regexes as one set (pattern `i` is rule `patterns[i]`): one pass
    /// tells which regexes can match in a line, so each regex runs only where it matches.
    pub(super) pattern_set: Option<regex::RegexSet>,
    /// All context words (supporting and negative), overlapping matches.
    pub(super) context_words: Option<AhoCorasick>,
    /// The word id (as in [`Context`]) of each pattern of `context_words`.
    pub(super) context_word_ids: Vec<usize>,
    /// Exclusion and allow-list terms, overlapping matches; term `i` is owned by `filter_owners[i]`.
    pub(super) filters: Option<AhoCorasick>,
    pub(super) filter_owners: Vec<Vec<FilterOwner>>,
    /// The longest filter term, in bytes: how far back a covering filter match can start.
    pub(super) longest_filter: usize,
    pub(super) mosaic: Option<MosaicConfig>,
}

/// Who a filter term belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum FilterOwner {
    /// An allow-listed public term: drops a finding of any rule.
    Allow,
    /// An exclusion of rule `i`.
    Rule(usize),
}

/// One compiled rule.
#[derive(Debug)]
pub(super) struct Rule {
    pub id: String,
    pub category: String,
    pub severity: Severity,
    pub confidence: f32,
    pub reason: String,
    /// "中文说明 / English description", for the finding's note.
    pub note: String,
    pub word_boundary: bool,
    pub uppercase: bool,
    /// For a pattern rule, its regex and validator.
    pub pattern: Option<(regex::Regex, Option<Validator>)>,
    pub context: Option<Context>,
}

/// A rule's proximity check, with words as ids into the context automaton.
#[derive(Debug)]
pub(super) struct Context {
    pub words: Vec<usize>,
    pub negative: Vec<usize>,
    pub window: usize,
    pub required: bool,
    pub boost: f32,
}

impl Default for RuleSet {
    /// An empty rule set: only hidden content is reported.
    fn default() -> Self {
        RuleSet {
            packs: Vec::new(),
            rules: Vec::new(),
            lexicon: None,
            lexicon_owners: Vec::new(),
            patterns: Vec::new(),
            pattern_set: None,
            context_words: None,
            context_word_ids: Vec::new(),
            filters: None,
            filter_owners: Vec::new(),
            longest_filter: 0,
            mosaic: None,
        }
    }
}

impl RuleSet {
    /// The rule packs shipped in `assets/rules`, compiled into the binary.
    pub fn builtin() -> Result<RuleSet> {
        let lexicon = |name: &str| {
            BUILTIN_LEXICONS
                .iter()
                .find(|(file, _)| *file == name)
                .map(|(_, text)| (*text).to_string())
                .ok_or_else(|| Error::new(ErrorKind::Rules, format!("no built-in lexicon named {name}")))
        };
        let packs = BUILTIN_PACKS
            .iter()
            .map(|(file, text)| pack::parse(file, text, &lexicon))
            .collect::<Result<_>>()?;
        RuleSet::compile(packs)
    }

    /// Loads every `*.toml` rule pack in `dir` (in file-name order). A rule's `lexicon` names a
    /// file in the same directory or below it.
    pub fn load_dir(dir: &Path) -> Result<RuleSet> {
        let read_dir = |e: std::io::Error| {
            Error::new(ErrorKind::Rules, format!("{}: cannot read the rule directory: {e}", dir.display()))
        };
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(read_dir)? {
            let path = entry.map_err(read_dir)?.path();
            if path.extension().is_some_and(|e| e == "toml") && path.is_file() {
                files.push(path);
            }
        }
        files.sort();
        if files.is_empty() {
            return Err(Error::new(ErrorKind::Rules, format!("{}: no *.toml rule pack", dir.display())));
        }
        let lexicon = |name: &str| {
            let relative = Path::new(name);
            if !relative.components().all(|c| matches!(c, Component::Normal(_))) {
                return Err(Error::new(ErrorKind::Rules, "must be a path inside the rule directory"));
            }
            std::fs::read_to_string(dir.join(relative))
                .map_err(|e| Error::new(ErrorKind::Rules, e.to_string()))
        };
        let mut packs = Vec::new();
        for path in &files {
            let name = path.display().to_string();
            let text = std::fs::read_to_string(path)
                .map_err(|e| Error::new(ErrorKind::Rules, format!("{name}: cannot read: {e}")))?;
            packs.push(pack::parse(&name, &text, &lexicon)?);
        }
        RuleSet::compile(packs)
    }

    /// Compiles the packs in `packs` — `(file name, TOML)`, in the order given — resolving each
    /// lexicon file name with `lexicon`. The workspace uses this to check an edited pack
    /// together with the unchanged ones *before* the edit reaches the rule directory.
    pub(crate) fn load_texts(
        packs: &[(String, String)],
        lexicon: &dyn Fn(&str) -> Result<String>,
    ) -> Result<RuleSet> {
        if packs.is_empty() {
            return Err(Error::new(ErrorKind::Rules, "no rule pack"));
        }
        let parsed =
            packs.iter().map(|(file, text)| pack::parse(file, text, lexicon)).collect::<Result<_>>()?;
        RuleSet::compile(parsed)
    }

    /// The packs loaded, in order, enabled or not.
    pub fn packs(&self) -> &[PackInfo] {
        &self.packs
    }

    /// How many rules run.
    pub fn rule_count(&self) -> usize {
        self.rules.len()
    }

    /// The aggregation settings, if a pack declares them; the category list is what the
    /// workspace needs for the cross-document version.
    pub fn mosaic(&self) -> Option<&MosaicConfig> {
        self.mosaic.as_ref()
    }

    fn compile(packs: Vec<pack::Pack>) -> Result<RuleSet> {
        let mut pack_ids = BTreeMap::new();
        let mut rule_ids = BTreeMap::new();
        let mut mosaic: Option<(String, MosaicConfig)> = None;
        let mut lexicon_terms: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        let mut context_terms = TermIds::default();
        let mut filter_terms: BTreeMap<String, Vec<FilterOwner>> = BTreeMap::new();
        let mut rules = Vec::new();
        let mut patterns = Vec::new();
        let mut infos = Vec::new();

        for pack in packs {
            if let Some(other) = pack_ids.insert(pack.info.id.clone(), pack.file.clone()) {
                return Err(Error::new(
                    ErrorKind::Rules,
                    format!("{} and {other} both have the pack id {}", pack.file, pack.info.id),
                ));
            }
            if let Some(config) = pack.mosaic {
                if let Some((other, _)) = &mosaic {
                    return Err(Error::new(
                        ErrorKind::Rules,
                        format!("packs {other} and {} both declare [mosaic]; keep one", pack.info.id),
                    ));
                }
                mosaic = Some((pack.info.id.clone(), config));
            }
            for term in pack.allow {
                filter_terms.entry(term).or_default().push(FilterOwner::Allow);
            }
            for spec in pack.rules {
                let index = rules.len();
                if let Some(other) = rule_ids.insert(spec.id.clone(), pack.info.id.clone()) {
                    return Err(Error::new(
                        ErrorKind::Rules,
                        format!("rule {} is declared by packs {other} and {}", spec.id, pack.info.id),
                    ));
                }
                rules.push(compile_rule(
                    spec,
                    index,
                    &mut lexicon_terms,
                    &mut context_terms,
                    &mut filter_terms,
                ));
                if rules[index].pattern.is_some() {
                    patterns.push(index);
                }
            }
            infos.push(pack.info);
        }

        let (lexicon_keys, lexicon_owners): (Vec<String>, Vec<Vec<usize>>) =
            lexicon_terms.into_iter().unzip();
        let lexicon = if lexicon_keys.is_empty() { None } else { Some(Lexicon::new(&lexicon_keys)?) };
        // Every index in `patterns` is a pattern rule, so set pattern `i` is rule `patterns[i]`.
        let sources: Vec<&str> =
            patterns.iter().filter_map(|&i| rules[i].pattern.as_ref().map(|p| p.0.as_str())).collect();
        let pattern_set = if sources.is_empty() {
            None
        } else {
            // The set runs over every byte of every document (an overlapping search, tracking
            // all the patterns at once), and its lazy DFA meets many states: with the default
            // cache (a few MiB) it is cleared and rebuilt over and over on a large document,
            // and building states then costs more than searching. A bigger cache is built
            // once per scan and reused for every stretch.
            let set =
                regex::RegexSetBuilder::new(sources).dfa_size_limit(SET_DFA_CACHE).build().map_err(|e| {
                    Error::new(
                        ErrorKind::Rules,
                        format!("the rule set's patterns do not compile together: {e}"),
                    )
                })?;
            Some(set)
        };
        let (context_words, context_word_ids) = automaton(context_terms.ids, MatchKind::Standard)?;
        let longest_filter = filter_terms.keys().map(String::len).max().unwrap_or(0);
        let (filters, filter_owners) = automaton(filter_terms, MatchKind::Standard)?;
        Ok(RuleSet {
            packs: infos,
            rules,
            lexicon,
            lexicon_owners,
            patterns,
            pattern_set,
            context_words,
            context_word_ids,
            filters,
            filter_owners,
            longest_filter,
            mosaic: mosaic.map(|(_, config)| config),
        })
    }
}

/// Gives each distinct context word a stable id.
#[derive(Default)]
struct TermIds {
    ids: BTreeMap<String, usize>,
}

impl TermIds {
    fn id(&mut self, term: String) -> usize {
        let next = self.ids.len();
        *self.ids.entry(term).or_insert(next)
    }
}

fn compile_rule(
    spec: RuleSpec,
    index: usize,
    lexicon_terms: &mut BTreeMap<String, Vec<usize>>,
    context_terms: &mut TermIds,
    filter_terms: &mut BTreeMap<String, Vec<FilterOwner>>,
) -> Rule {
    let pattern = match spec.matcher {
        MatchSpec::Lexicon(terms) => {
            for term in terms {
                lexicon_terms.entry(term).or_default().push(index);
            }
            None
        }
        MatchSpec::Pattern { regex, validator } => Some((regex, validator)),
    };
    for term in spec.exclude {
        filter_terms.entry(term).or_default().push(FilterOwner::Rule(index));
    }
    let context = spec.context.map(|c| Context {
        words: c.words.into_iter().map(|w| context_terms.id(w)).collect(),
        negative: c.negative.into_iter().map(|w| context_terms.id(w)).collect(),
        window: c.window,
        required: c.required,
        boost: c.boost,
    });
    Rule {
        id: spec.id,
        category: spec.category,
        severity: spec.severity,
        confidence: spec.confidence,
        reason: spec.reason,
        note: format!("{} / {}", spec.description.zh, spec.description.en),
        word_boundary: spec.word_boundary,
        uppercase: spec.uppercase,
        pattern,
        context,
    }
}

/// Builds one automaton over `terms` (pattern `i` = the `i`-th key) and returns the values in
/// the same order. No automaton for no terms.
fn automaton<T>(terms: BTreeMap<String, T>, kind: MatchKind) -> Result<(Option<AhoCorasick>, Vec<T>)> {
    if terms.is_empty() {
        return Ok((None, Vec::new()));
    }
    let (keys, values): (Vec<String>, Vec<T>) = terms.into_iter().unzip();
    let automaton = AhoCorasickBuilder::new()
        .match_kind(kind)
        .build(&keys)
        .map_err(|e| Error::new(ErrorKind::Rules, format!("the rule set's terms do not compile: {e}")))?;
    Ok((Some(automaton), values))
}

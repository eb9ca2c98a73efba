//! Loading rules: the built-in library embedded from `rules/`, and custom
//! folders users point at. Every rule's metadata is validated at load time,
//! and each custom rule compiled into its own engine and its `deny`
//! evaluated once on an empty input, so a bad rule fails before any file is
//! read, with its file and line. Built-in rules compile when a document
//! first needs them, without that check (see `compile`).

pub mod builtins;
mod compile;
pub mod dependencies;
pub mod metadata;
pub mod patterns;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use include_dir::{Dir, include_dir};
use rayon::prelude::*;
use regorus::Engine;

use crate::controls::Catalogue;
use crate::document::Format;
pub use compile::Compiled;
use compile::{Failure, Recipe, new_engine};
pub use metadata::{RuleMeta, Severity};

static BUILTIN_RULES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/rules");

/// Compiles the rules `pick` accepts, in parallel, and removes those that
/// fail: the errors of wrong rules, then those of rules that cannot run here.
fn compile_each(
    rules: &mut Vec<Rule>,
    pick: impl Fn(&Rule) -> bool + Sync,
) -> (Vec<RuleError>, Vec<RuleError>) {
    // Engines first, one per task: rules sharing an engine would otherwise
    // wait on one worker building it.
    let mut engines: Vec<&Arc<Recipe>> = Vec::new();
    for rule in rules.iter().filter(|rule| pick(rule)) {
        if !engines.iter().any(|r| Arc::ptr_eq(r, &rule.recipe)) {
            engines.push(&rule.recipe);
        }
    }
    engines.par_iter().with_max_len(1).for_each(|recipe| {
        recipe.engine();
    });
    let failures: Vec<(usize, Failure)> = rules
        .par_iter()
        .enumerate()
        .filter(|(_, rule)| pick(rule))
        .filter_map(|(at, rule)| rule.compile_now().err().map(|f| (at, f)))
        .collect();
    let (mut errors, mut stopped) = (Vec::new(), Vec::new());
    let mut failed = vec![false; rules.len()];
    for (at, failure) in failures {
        failed[at] = true;
        match failure {
            Failure::Error(e) => errors.push(e),
            Failure::Stopped(e) => stopped.push(e),
        }
    }
    let mut at = 0;
    rules.retain(|_| {
        at += 1;
        !failed[at - 1]
    });
    (errors, stopped)
}

/// One loaded rule.
#[derive(Debug, Clone)]
pub struct Rule {
    pub meta: Arc<RuleMeta>,
    /// The query that yields its violations, e.g. `data.clause.rules.kubernetes.privileged.deny`.
    pub entry: String,
    /// `rules/kubernetes/privileged.rego` for built-ins, the file path for custom rules.
    pub file: String,
    pub builtin: bool,
    /// Documents on which the rule hit the work limit, across workers: past
    /// `MAX_STRIKES` it is not run on the rest, so one runaway rule cannot
    /// cost the work limit once per document.
    pub strikes: Arc<std::sync::atomic::AtomicU32>,
    /// Where `deny` is first defined in the rule's file, for errors about
    /// what it returns.
    pub deny_line: usize,
    /// The engine the rule runs in (see `compile`).
    recipe: Arc<Recipe>,
    /// The rule's place among the recipe's members.
    member: usize,
}

impl Rule {
    /// The rule's queries, compiled on first use, or why it cannot run.
    pub fn compiled(&self) -> Result<&Compiled, &RuleError> {
        self.recipe.member(self.member).map_err(Failure::error)
    }

    /// The engine to evaluate the rule's queries in; workers clone it.
    pub(crate) fn engine(&self) -> &Engine {
        self.recipe.engine()
    }

    /// Which of the rule set's engines the rule runs in.
    pub(crate) fn engine_id(&self) -> usize {
        self.recipe.id
    }

    /// Compiles the rule now, saying whether it is wrong or cannot run.
    fn compile_now(&self) -> Result<(), Failure> {
        self.recipe
            .member(self.member)
            .map(|_| ())
            .map_err(Failure::clone)
    }
}

/// The fewest built-in rules a shared engine is given (see `RuleSet::load`).
const RULES_PER_SHARED_ENGINE: usize = 4;

/// Work-limit hits after which a rule is not run on further documents.
pub const MAX_STRIKES: u32 = 1;

/// A rule that failed to load, located in its `.rego` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// The `.rego` text, to show the line.
    pub source: Option<Arc<str>>,
}

/// Where rules come from.
#[derive(Debug, Clone, Default)]
pub struct RuleSources {
    pub no_builtin: bool,
    pub dirs: Vec<PathBuf>,
    /// When set, built-in rules for no other format are not loaded: a
    /// pre-commit run on one `.tf` file need not compile the Kubernetes and
    /// Ansible rules (regorus analyses every loaded module before the first
    /// evaluation, most of a one-file run's time). Their codes stay known.
    pub only_formats: Option<Vec<Format>>,
    /// When set, built-in rules whose `applies_to` names none of these kinds
    /// (resource types, Kubernetes kinds, Ansible modules) are not loaded
    /// either: they could not apply to any document of the run. A one-file
    /// Terraform run then compiles its provider's few rules, not all 108.
    pub only_kinds: Option<BTreeSet<String>>,
    /// Check built-in rules on an empty document as custom rules are
    /// checked, instead of trusting them (`clause rules test` and the
    /// tests do).
    pub verify_builtin: bool,
}

/// Evaluation limits for rules, so a looping rule ends with an error.
#[derive(Debug, Clone, Copy)]
pub struct RuleLimits {
    pub time_per_evaluation: std::time::Duration,
}

impl RuleLimits {
    /// The defaults, with what a config's `[limits]` sets.
    pub fn from_config(limits: &crate::config::Limits) -> Self {
        RuleLimits {
            time_per_evaluation: limits
                .rule_time_limit
                .unwrap_or(RuleLimits::default().time_per_evaluation),
        }
    }

    fn timer(&self) -> regorus::utils::limits::ExecutionTimerConfig {
        regorus::utils::limits::ExecutionTimerConfig {
            limit: self.time_per_evaluation,
            check_interval: std::num::NonZeroU32::MIN.saturating_add(63),
        }
    }
}

impl Default for RuleLimits {
    fn default() -> Self {
        RuleLimits {
            time_per_evaluation: std::time::Duration::from_secs(5),
        }
    }
}

/// All loaded rules, each with the compiled engine that evaluates it.
#[derive(Clone)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    /// Every module loaded (name and text), for `clause test`, whose unit
    /// tests may read any of them.
    modules: Vec<(String, Arc<str>)>,
    limits: RuleLimits,
    /// How many engines the rules run in (see `Rule::engine_id`).
    pub(crate) engines: usize,
    /// Whether a document's rules run side by side, one worker per engine:
    /// in a run naming files, whose documents are too few to keep every
    /// worker busy (see `RuleSet::load`).
    pub(crate) side_by_side: bool,
    /// Problems that did not stop loading (a custom rule replacing a built-in).
    pub warnings: Vec<String>,
    /// Rules left out because they exceeded the work limit on an empty
    /// document: errors for the run, which still runs every other rule.
    pub stopped: Vec<RuleError>,
    /// Codes of built-in rules left unloaded because no file of their
    /// formats is checked (see `RuleSources::only_formats`).
    pub unloaded: Vec<String>,
    /// SHA-256 over every rule and library file loaded (name and text, in
    /// name order): evidence names the exact rule set that produced it.
    pub digest: String,
}

#[derive(Debug)]
struct Candidate {
    file: String,
    text: Arc<str>,
    builtin: bool,
    is_library: bool,
}

impl RuleSet {
    /// The built-in rules alone.
    pub fn builtin() -> Result<RuleSet, Vec<RuleError>> {
        RuleSet::load(&RuleSources::default(), RuleLimits::default())
    }

    pub fn load(sources: &RuleSources, limits: RuleLimits) -> Result<RuleSet, Vec<RuleError>> {
        let mut candidates = Vec::new();
        collect_builtin(&BUILTIN_RULES, sources.no_builtin, &mut candidates);
        let mut errors = Vec::new();
        for dir in &sources.dirs {
            collect_dir(dir, &mut candidates, &mut errors);
        }
        let catalogue = Catalogue::builtin();
        // In parallel: for a pre-commit run, reading every rule's metadata
        // on one worker took a tenth of the run.
        let parsed: Vec<(usize, Result<RuleMeta, metadata::MetadataError>)> = candidates
            .par_iter()
            .enumerate()
            .filter(|(_, candidate)| !candidate.is_library)
            .map(|(index, candidate)| (index, metadata::parse(&candidate.text, catalogue)))
            .collect();
        let mut metas: Vec<(usize, RuleMeta)> = Vec::new();
        for (index, meta) in parsed {
            let candidate = &candidates[index];
            match meta {
                Ok(meta) => metas.push((index, meta)),
                Err(e) => errors.push(RuleError {
                    file: candidate.file.clone(),
                    line: e.line,
                    column: 1,
                    message: e.message,
                    source: Some(candidate.text.clone()),
                }),
            }
        }
        let mut warnings = Vec::new();
        let mut replaced = vec![false; candidates.len()];
        for (i, (index, meta)) in metas.iter().enumerate() {
            for (other_index, other) in &metas[..i] {
                if other.id != meta.id {
                    continue;
                }
                let (this, that) = (&candidates[*index], &candidates[*other_index]);
                if that.builtin && !this.builtin {
                    warnings.push(format!(
                        "custom rule {} ({}) replaces the built-in rule with the same code",
                        meta.id, this.file
                    ));
                    replaced[*other_index] = true;
                } else {
                    errors.push(RuleError {
                        file: this.file.clone(),
                        line: metadata::extract(&this.text).map(|(_, l)| l).unwrap_or(1),
                        column: 1,
                        message: format!("rule code {} is already used by {}", meta.id, that.file),
                        source: Some(this.text.clone()),
                    });
                }
            }
        }
        let mut unloaded = Vec::new();
        let narrowed = sources.only_formats.is_some() || sources.only_kinds.is_some();
        for (index, meta) in &metas {
            if !candidates[*index].builtin || replaced[*index] {
                continue;
            }
            let other_format = sources
                .only_formats
                .as_ref()
                .is_some_and(|formats| !meta.targets.iter().any(|t| formats.contains(t)));
            let no_kind = sources.only_kinds.as_ref().is_some_and(|kinds| {
                !meta.applies_to.is_empty()
                    && !meta
                        .applies_to
                        .iter()
                        .any(|k| k == "*" || kinds.contains(k))
            });
            if other_format || no_kind {
                replaced[*index] = true;
                unloaded.push(meta.id.clone());
            }
        }
        let loaded: Vec<usize> = (0..candidates.len()).filter(|i| !replaced[*i]).collect();
        let texts: Vec<&str> = loaded.iter().map(|i| &*candidates[*i].text).collect();
        let (packages, references): (Vec<_>, Vec<_>) =
            texts.iter().map(|t| dependencies::scan(t)).unzip();
        let position = |index: usize| loaded.iter().position(|i| *i == index);
        // Rules reading the same modules start from one engine holding them,
        // parsed once: clones share the parsed modules (most rules of a
        // format read the same library), where parsing them for each rule
        // cost half a megabyte per rule.
        let mut reads: Vec<(usize, RuleMeta, Vec<usize>, Option<String>)> = Vec::new();
        for (index, meta) in metas {
            let Some(at) = position(index) else { continue };
            let modules = dependencies::needed_by(at, &packages, &references)
                .into_iter()
                .map(|m| loaded[m])
                .filter(|m| *m != index)
                .collect();
            reads.push((index, meta, modules, packages[at].clone()));
        }
        let mut groups: Vec<&Vec<usize>> = reads.iter().map(|(_, _, m, _)| m).collect();
        groups.sort();
        groups.dedup();
        let mut in_some_engine = vec![false; candidates.len()];
        let mut bases = Vec::new();
        for modules in groups {
            match new_engine(limits) {
                Ok(mut base) => {
                    for &m in modules {
                        in_some_engine[m] = true;
                        if let Err(e) = base
                            .add_policy(candidates[m].file.clone(), candidates[m].text.to_string())
                        {
                            errors.push(rego_error(&e.to_string(), &candidates[m], &candidates));
                        }
                    }
                    bases.push((modules.clone(), Arc::new(base)));
                }
                Err(e) => errors.push(e),
            }
        }
        if !errors.is_empty() {
            return Err(dedup(errors));
        }
        if narrowed && sources.dirs.is_empty() {
            // A narrowed built-in set leaves out the libraries none of its
            // rules reads, so the digest names what really ran.
            for &index in &loaded {
                if candidates[index].is_library && !in_some_engine[index] {
                    replaced[index] = true;
                }
            }
        }
        let candidates = Arc::new(candidates);
        // Which rules share an engine (see `Recipe`): in a run naming files,
        // built-in rules reading the same modules; otherwise none.
        let few_documents = sources.only_kinds.is_some();
        // Such a run evaluates a document's rules side by side, one worker
        // per engine, so each base's shared rules are dealt among as many
        // engines as there are workers, with at least `RULES_PER_SHARED_ENGINE`
        // rules each: analysing the library once per engine costs less than
        // one worker evaluating every rule of a playbook in turn.
        let shared_per_base: Vec<usize> = bases
            .iter()
            .map(|(modules, _)| {
                reads
                    .iter()
                    .filter(|(index, _, m, _)| m == modules && candidates[*index].builtin)
                    .count()
            })
            .collect();
        let mut dealt = vec![0usize; bases.len()];
        let mut shared_recipes: Vec<(usize, usize, usize)> = Vec::new();
        let mut recipes: Vec<Recipe> = Vec::new();
        let mut placed = Vec::new();
        for (index, meta, modules, package) in reads {
            let Some(base_at) = bases.iter().position(|(m, _)| *m == modules) else {
                continue;
            };
            let base = &bases[base_at].1;
            let shares = few_documents && candidates[index].builtin;
            let shard = shares.then(|| {
                let engines = rayon::current_num_threads()
                    .min(shared_per_base[base_at].div_ceil(RULES_PER_SHARED_ENGINE))
                    .max(1);
                dealt[base_at] += 1;
                (dealt[base_at] - 1) % engines
            });
            let shared = shard.and_then(|shard| {
                shared_recipes
                    .iter()
                    .find(|(b, s, _)| *b == base_at && *s == shard)
                    .map(|(_, _, at)| *at)
            });
            let at = match shared {
                Some(at) => at,
                None => {
                    let id = recipes.len();
                    recipes.push(Recipe::new(
                        id,
                        Arc::clone(base),
                        Arc::clone(&candidates),
                        limits,
                        candidates[index].builtin && !sources.verify_builtin,
                    ));
                    if let Some(shard) = shard {
                        shared_recipes.push((base_at, shard, id));
                    }
                    id
                }
            };
            let member = recipes[at].add(index, &meta.id);
            placed.push((at, member, index, meta, package));
        }
        let engines = recipes.len();
        let recipes: Vec<Arc<Recipe>> = recipes.into_iter().map(Arc::new).collect();
        let mut rules = Vec::new();
        for (at, member, index, meta, package) in placed {
            let candidate = &candidates[index];
            let entry = match package {
                Some(package) => format!("{package}.deny"),
                None => String::new(),
            };
            rules.push(Rule {
                entry,
                file: candidate.file.clone(),
                builtin: candidate.builtin,
                strikes: Arc::default(),
                deny_line: candidate
                    .text
                    .lines()
                    .position(|l| l.starts_with("deny"))
                    .map_or(1, |i| i + 1),
                recipe: Arc::clone(&recipes[at]),
                member,
                meta: Arc::new(meta),
            });
        }
        // Custom rules, and any rule whose package the entry could not be
        // read from, are compiled now: the first so that a mistake stops the
        // run before any file is read. So are all rules when the run's kinds
        // are known (a run naming files): each of them will be needed, and
        // compiled here they compile in parallel, where the one document of
        // a pre-commit run would compile them one after another.
        let (wrong, stopped) = compile_each(&mut rules, |rule| {
            few_documents || !rule.builtin || rule.entry.is_empty()
        });
        errors.extend(wrong);
        for rule in &mut rules {
            if rule.entry.is_empty()
                && let Ok(compiled) = rule.compiled()
            {
                rule.entry = compiled.entry.clone();
            }
        }
        // A custom library no rule reads still has to be valid Rego.
        for index in &loaded {
            let candidate = &candidates[*index];
            if in_some_engine[*index] || candidate.builtin || !candidate.is_library {
                continue;
            }
            if let Err(e) =
                Engine::new().add_policy(candidate.file.clone(), candidate.text.to_string())
            {
                errors.push(rego_error(&e.to_string(), candidate, &candidates));
            }
        }
        if !errors.is_empty() {
            return Err(dedup(errors));
        }
        rules.sort_by(|a, b| a.meta.id.cmp(&b.meta.id));
        let digest = digest(
            candidates
                .iter()
                .enumerate()
                .filter(|(i, _)| !replaced[*i])
                .map(|(_, c)| (c.file.as_str(), &*c.text)),
        );
        let modules = loaded
            .iter()
            .filter(|i| !replaced[**i])
            .map(|i| {
                (
                    candidates[*i].file.clone(),
                    Arc::clone(&candidates[*i].text),
                )
            })
            .collect();
        Ok(RuleSet {
            rules,
            engines,
            side_by_side: few_documents,
            modules,
            limits,
            warnings,
            stopped,
            unloaded,
            digest,
        })
    }

    /// Keeps only the rules `keep` accepts.
    pub fn retain(&mut self, keep: impl Fn(&Rule) -> bool) {
        self.rules.retain(keep);
    }

    /// Changes a rule's severity (a config's `[rules.severity]`); false when
    /// no rule has the code.
    pub fn set_severity(&mut self, id: &str, severity: Severity) -> bool {
        let mut found = self.unloaded.iter().any(|u| u.eq_ignore_ascii_case(id));
        for rule in &mut self.rules {
            if rule.meta.id.eq_ignore_ascii_case(id) {
                Arc::make_mut(&mut rule.meta).severity = severity;
                found = true;
            }
        }
        found
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules
            .iter()
            .find(|r| r.meta.id.eq_ignore_ascii_case(id))
    }

    /// Compiles every rule not compiled yet (built-in ones wait for a
    /// document that needs them): what `clause test` and the library's own
    /// tests check. Rules that cannot run here move to `stopped`.
    pub fn compile_all(&mut self) -> Result<(), Vec<RuleError>> {
        let (errors, stopped) = compile_each(&mut self.rules, |_| true);
        self.stopped.extend(stopped);
        if errors.is_empty() {
            Ok(())
        } else {
            Err(dedup(errors))
        }
    }

    /// One engine holding every loaded module, as unit tests expect (a test
    /// reads any package). Evaluation uses the rules' own engines instead.
    pub fn whole_engine(&self) -> Engine {
        // Registering clause's functions and adding each module succeeded
        // when the set loaded, so neither fails here.
        let mut engine = new_engine(self.limits).unwrap_or_else(|_| Engine::new());
        for (file, text) in &self.modules {
            let _ = engine.add_policy(file.clone(), text.to_string());
        }
        engine
    }
}

fn value_kind(v: &regorus::Value) -> &'static str {
    match v {
        regorus::Value::Null => "null",
        regorus::Value::Bool(_) => "a boolean",
        regorus::Value::Number(_) => "a number",
        regorus::Value::String(_) => "a string",
        regorus::Value::Array(_) => "an array",
        regorus::Value::Set(_) => "a set",
        regorus::Value::Object(_) => "an object",
        regorus::Value::Undefined => "undefined",
    }
}

fn collect_builtin(dir: &Dir<'static>, skip_rules: bool, out: &mut Vec<Candidate>) {
    for file in dir.files() {
        let path = file.path();
        let name = path.to_string_lossy();
        if !name.ends_with(".rego") || name.ends_with("_test.rego") {
            continue;
        }
        let is_library = path.starts_with("lib");
        if skip_rules && !is_library {
            continue;
        }
        let Some(text) = file.contents_utf8() else {
            continue;
        };
        out.push(Candidate {
            file: format!("rules/{}", name.replace('\\', "/")),
            text: Arc::from(text),
            builtin: true,
            is_library,
        });
    }
    for sub in dir.dirs() {
        collect_builtin(sub, skip_rules, out);
    }
}

fn collect_dir(dir: &Path, out: &mut Vec<Candidate>, errors: &mut Vec<RuleError>) {
    let display = crate::source::display_path(dir);
    if !dir.is_dir() {
        errors.push(RuleError {
            file: display,
            line: 1,
            column: 1,
            message: "rules folder does not exist or is not a folder".into(),
            source: None,
        });
        return;
    }
    let mut files: Vec<PathBuf> = ignore::WalkBuilder::new(dir)
        .standard_filters(false)
        .hidden(true)
        .build()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| {
            let name = p.to_string_lossy();
            name.ends_with(".rego") && !name.ends_with("_test.rego") && p.is_file()
        })
        .collect();
    files.sort();
    for path in files {
        let file = crate::source::display_path(&path);
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                let is_library = metadata::extract(&text).is_none() && !defines_deny(&text);
                out.push(Candidate {
                    file,
                    text: Arc::from(text),
                    builtin: false,
                    is_library,
                });
            }
            Err(e) => errors.push(RuleError {
                file,
                line: 1,
                column: 1,
                message: format!("cannot read rule file: {e}"),
                source: None,
            }),
        }
    }
}

fn defines_deny(text: &str) -> bool {
    text.lines().any(|l| {
        let l = l.trim_start();
        l.starts_with("deny ") || l.starts_with("deny[") || l.starts_with("deny contains")
    })
}

/// regorus renders its errors as text (`--> file:line:col`, the source line,
/// `error: message`); this recovers the position and message. The position
/// may lie in another file than the rule being checked (one rule's mistake
/// surfaces while evaluating any rule), so the file comes from the text.
fn rego_error(rendered: &str, candidate: &Candidate, all: &[Candidate]) -> RuleError {
    let position = rendered.lines().find_map(|l| {
        let rest = l.trim_start().strip_prefix("--> ")?;
        let mut parts = rest.rsplitn(3, ':');
        let col: usize = parts.next()?.trim().parse().ok()?;
        let line: usize = parts.next()?.trim().parse().ok()?;
        let file = parts.next()?.trim().to_string();
        Some((file, line, col))
    });
    let message = rendered
        .rfind("error: ")
        .map(|i| rendered[i + 7..].trim().to_string())
        .unwrap_or_else(|| rendered.trim().to_string());
    let message = explain_sandbox(message);
    let Some((file, line, byte_col)) = position else {
        return RuleError {
            file: candidate.file.clone(),
            line: 1,
            column: 1,
            message,
            source: Some(candidate.text.clone()),
        };
    };
    let origin = all.iter().find(|c| c.file == file).unwrap_or(candidate);
    let text = origin
        .text
        .lines()
        .nth(line.saturating_sub(1))
        .unwrap_or("");
    RuleError {
        file: origin.file.clone(),
        line,
        column: char_column(text, byte_col),
        message,
        source: Some(origin.text.clone()),
    }
}

/// Functions OPA has that clause leaves out on purpose, with why: a rule
/// reads the document it is given and nothing else.
const WITHHELD: &[(&str, &str)] = &[
    ("http.send", "rules cannot reach the network"),
    (
        "opa.runtime",
        "rules cannot read the environment or the configuration clause runs with",
    ),
    (
        "net.lookup_ip_addr",
        "rules cannot resolve names over the network",
    ),
];

fn digest<'a>(files: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    use sha2::{Digest, Sha256};
    let mut files: Vec<(&str, &str)> = files.collect();
    files.sort();
    let mut hasher = Sha256::new();
    for (name, text) in files {
        hasher.update(name.as_bytes());
        hasher.update([0]);
        hasher.update(text.as_bytes());
        hasher.update([0]);
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Whether regorus stopped an evaluation for running too long.
pub fn is_work_limit(message: &str) -> bool {
    message.contains("exceeded time limit")
}

fn first_line(text: &str) -> &str {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or(text)
}

fn is_withheld(message: &str) -> bool {
    WITHHELD
        .iter()
        .any(|(name, _)| message.contains(&format!("could not find function {name}")))
}

fn explain_sandbox(message: String) -> String {
    for (name, why) in WITHHELD {
        if message.contains(&format!("could not find function {name}")) {
            return format!("`{name}` is not available in clause: {why}");
        }
    }
    message
}

fn dedup(mut errors: Vec<RuleError>) -> Vec<RuleError> {
    errors.sort_by(|a, b| {
        (&a.file, a.line, a.column, &a.message).cmp(&(&b.file, b.line, b.column, &b.message))
    });
    errors.dedup_by(|a, b| a.file == b.file && a.line == b.line && a.message == b.message);
    errors
}

/// regorus counts columns in bytes with a tab as four; users count characters.
fn char_column(line: &str, rego_col: usize) -> usize {
    let mut width = 1;
    for (i, c) in line.chars().enumerate() {
        if width >= rego_col {
            return i + 1;
        }
        width += if c == '\t' { 4 } else { c.len_utf8() };
    }
    line.chars().count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_library_loads() {
        let mut set = RuleSet::builtin().unwrap_or_else(|e| panic!("{e:#?}"));
        let count = set.rules.len();
        set.compile_all().unwrap_or_else(|e| panic!("{e:#?}"));
        assert!(count > 0);
        assert_eq!(set.rules.len(), count, "stopped: {:#?}", set.stopped);
    }

    #[test]
    fn trusted_builtin_rules_compile_to_the_queries_checking_finds() {
        // Alone in its engine (a repository run) and sharing one (a run
        // naming files, where every kind is present).
        let every_kind = RuleSet::builtin()
            .unwrap_or_else(|e| panic!("{e:#?}"))
            .rules
            .iter()
            .flat_map(|r| r.meta.applies_to.clone())
            .collect::<BTreeSet<_>>();
        for only_kinds in [None, Some(every_kind)] {
            let compiled = |verify_builtin: bool| {
                let sources = RuleSources {
                    only_kinds: only_kinds.clone(),
                    verify_builtin,
                    ..RuleSources::default()
                };
                let mut set = RuleSet::load(&sources, RuleLimits::default())
                    .unwrap_or_else(|e| panic!("{e:#?}"));
                set.compile_all().unwrap_or_else(|e| panic!("{e:#?}"));
                assert!(set.stopped.is_empty(), "{:#?}", set.stopped);
                set.rules
                    .iter()
                    .map(|r| {
                        let c = r.compiled().unwrap_or_else(|e| panic!("{e:#?}"));
                        (
                            r.meta.id.clone(),
                            c.entry.clone(),
                            c.inconclusive.clone(),
                            c.combined.clone(),
                        )
                    })
                    .collect::<Vec<_>>()
            };
            let trusted = compiled(false);
            assert!(trusted.iter().any(|(_, _, _, combined)| combined.is_some()));
            assert_eq!(trusted, compiled(true));
        }
    }

    #[test]
    fn ansible_tasks_in_reads_the_index_or_every_task_alike() {
        // Rules start from ans.tasks_in, which reads the index clause
        // builds; an input written by hand for a test has no index.
        let set = RuleSet::builtin().unwrap_or_else(|e| panic!("{e:#?}"));
        let mut engine = set.whole_engine();
        let tasks = serde_json::json!([
            {"module": "ansible.builtin.copy"},
            {"module": "ansible.builtin.user"},
            {"module": "ansible.builtin.copy"},
        ]);
        let query = r#"data.clause.lib.ansible.tasks_in({"ansible.builtin.copy", "x.y.z"})"#;
        let mut results = Vec::new();
        for input in [
            serde_json::json!({"tasks": tasks}),
            serde_json::json!({"tasks": tasks, "tasks_by_module": {
                "ansible.builtin.copy": [0, 2], "ansible.builtin.user": [1],
            }}),
        ] {
            engine.set_input(regorus::Value::from_json_str(&input.to_string()).unwrap());
            let answer = engine.eval_query(query.into(), false).unwrap();
            results.push(answer.result[0].expressions[0].value.clone());
        }
        assert_eq!(results[0], results[1]);
        let indices: Vec<regorus::Value> =
            results[0].as_object().unwrap().keys().cloned().collect();
        assert_eq!(
            indices,
            [regorus::Value::from(0u64), regorus::Value::from(2u64)]
        );
    }

    #[test]
    fn regorus_columns_become_character_columns() {
        assert_eq!(char_column("\tx := ]", 10), 7);
        assert_eq!(char_column("x := {\"é€\": 1, ]", 19), 16);
    }

    #[test]
    fn the_time_limit_comes_from_the_config_or_the_default() {
        let set = crate::config::Limits {
            rule_time_limit: Some(std::time::Duration::from_millis(1500)),
            ..Default::default()
        };
        assert_eq!(
            RuleLimits::from_config(&set).time_per_evaluation,
            std::time::Duration::from_millis(1500)
        );
        assert_eq!(
            RuleLimits::from_config(&crate::config::Limits::default()).time_per_evaluation,
            RuleLimits::default().time_per_evaluation
        );
    }
}

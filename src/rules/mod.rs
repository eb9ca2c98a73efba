//! Loading rules: the built-in library embedded from `rules/`, and custom
//! folders users point at. Every rule is parsed, its metadata validated, and
//! its `deny` evaluated once on an empty input at load time, so a bad rule
//! fails before any file is read, with its file and line.

pub mod builtins;
pub mod metadata;
pub mod patterns;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use include_dir::{Dir, include_dir};
use regorus::Engine;

use crate::controls::Catalogue;
use crate::document::Format;
pub use metadata::{RuleMeta, Severity};

static BUILTIN_RULES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/rules");

/// Adds, for each rule that defines `inconclusive`, a module whose one rule
/// is `[deny, inconclusive]`, and warms the engine up with them. They are
/// added with the rules, before any evaluation, because regorus analyses
/// every module again on the first evaluation after an addition (adding them
/// later cost 100 ms at start-up). If regorus will not have them, the engine
/// goes back to the rules alone and each rule is evaluated in two queries.
fn combine(
    engine: &mut Engine,
    candidates: &[Candidate],
    packages: &[Option<String>],
) -> Vec<Option<String>> {
    let mut combined = vec![None; candidates.len()];
    let defines_inconclusive = |text: &str| {
        text.lines()
            .any(|l| l.starts_with("inconclusive ") || l.starts_with("inconclusive["))
    };
    let rules_alone = engine.clone();
    for (index, candidate) in candidates.iter().enumerate() {
        let Some(package) = &packages[index] else {
            continue;
        };
        if !defines_inconclusive(&candidate.text) {
            continue;
        }
        let name = format!("clause_evaluation.rule_{index}");
        let module =
            format!("package {name}\n\nboth := [{package}.deny, {package}.inconclusive]\n");
        if engine
            .add_policy(format!("(clause)/{name}.rego"), module)
            .is_ok()
        {
            combined[index] = Some(format!("data.{name}.both"));
        }
    }
    engine.set_input(regorus::Value::new_object());
    let (mut tried, mut failed) = (0, 0);
    for query in combined.iter_mut() {
        let Some(text) = query else { continue };
        tried += 1;
        match engine.eval_rule(text.clone()) {
            Ok(regorus::Value::Array(_)) => {}
            Ok(_) => *query = None,
            // A rule that fails on an empty document (a withheld function)
            // is reported by the checks that follow, combined or not.
            Err(_) => {
                failed += 1;
                *query = None;
            }
        }
    }
    let _ = engine.take_prints();
    if tried > 0 && failed == tried {
        // Most likely the combining modules themselves are at fault.
        *engine = rules_alone;
        return vec![None; candidates.len()];
    }
    combined
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
    /// The query for the checks the rule could not decide because a value
    /// is unknown (`inconclusive`), when the rule defines one.
    pub inconclusive: Option<String>,
    /// For a rule with `inconclusive`: one query yielding `[deny,
    /// inconclusive]`, so the helper rules both share are computed once per
    /// document (regorus forgets them between queries).
    pub combined: Option<String>,
    /// Documents on which the rule hit the work limit, across workers: past
    /// `MAX_STRIKES` it is not run on the rest, so one runaway rule cannot
    /// cost the work limit once per document.
    pub strikes: Arc<std::sync::atomic::AtomicU32>,
    /// Where `deny` is first defined in the rule's file, for errors about
    /// what it returns.
    pub deny_line: usize,
}

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

/// All loaded rules and the compiled engine that evaluates them.
#[derive(Clone)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    pub(crate) engine: Engine,
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
        let mut metas: Vec<(usize, RuleMeta)> = Vec::new();
        for (index, candidate) in candidates.iter().enumerate() {
            if candidate.is_library {
                continue;
            }
            match metadata::parse(&candidate.text, catalogue) {
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
        if narrowed && sources.dirs.is_empty() {
            // Custom rules may import any library; built-in ones only those
            // they name.
            let needed = libraries_needed(&candidates, &replaced);
            for (index, candidate) in candidates.iter().enumerate() {
                if candidate.builtin && candidate.is_library && !needed[index] {
                    replaced[index] = true;
                }
            }
        }
        let mut engine = Engine::new();
        engine.set_gather_prints(true);
        engine.set_execution_timer_config(limits.timer());
        if let Err(e) = builtins::register(&mut engine) {
            errors.push(RuleError {
                file: "(clause)".into(),
                line: 1,
                column: 1,
                message: format!("cannot register clause's built-in functions: {e}"),
                source: None,
            });
        }
        let mut packages = vec![None; candidates.len()];
        for (index, candidate) in candidates.iter().enumerate() {
            if replaced[index] {
                continue;
            }
            match engine.add_policy(candidate.file.clone(), candidate.text.to_string()) {
                Ok(package) => packages[index] = Some(package),
                Err(e) => errors.push(rego_error(&e.to_string(), candidate, &candidates)),
            }
        }
        if !errors.is_empty() {
            return Err(dedup(errors));
        }
        let combined = combine(&mut engine, &candidates, &packages);
        let mut rules = Vec::new();
        let mut stopped = Vec::new();
        for (index, meta) in metas {
            if replaced[index] {
                continue;
            }
            let candidate = &candidates[index];
            let Some(package) = &packages[index] else {
                continue;
            };
            let entry = format!("{package}.deny");
            // Unknown functions and conflicting rules only surface when a
            // rule is first evaluated; doing it now also warms the engine so
            // worker clones do not each repeat the analysis.
            engine.set_input(regorus::Value::new_object());
            match engine.eval_rule(entry.clone()) {
                Ok(regorus::Value::Set(_)) => {}
                Ok(regorus::Value::Undefined) => errors.push(RuleError {
                    file: candidate.file.clone(),
                    line: 1,
                    column: 1,
                    message: format!(
                        "rule {} defines no `deny` set (write `deny contains {{\"msg\": ..., \"path\": [...]}} if {{ ... }}`)",
                        meta.id
                    ),
                    source: Some(candidate.text.clone()),
                }),
                Ok(other) => errors.push(RuleError {
                    file: candidate.file.clone(),
                    line: 1,
                    column: 1,
                    message: format!(
                        "`deny` of rule {} must be a set of objects, not {}",
                        meta.id,
                        value_kind(&other)
                    ),
                    source: Some(candidate.text.clone()),
                }),
                                                Err(e) if is_withheld(&e.to_string()) => {
                    // The rule cannot run here, but the others can: the run
                    // goes on and ends with this error.
                    stopped.push(rego_error(&e.to_string(), candidate, &candidates));
                    continue;
                }
                Err(e) if is_work_limit(&e.to_string()) => {
                    stopped.push(RuleError {
                        file: candidate.file.clone(),
                        line: metadata::extract(&candidate.text).map(|(_, l)| l).unwrap_or(1),
                        column: 1,
                        message: format!(
                            "rule {} was stopped by the work limit ({} s) when run on an empty document, so it is not run: {}",
                            meta.id,
                            limits.time_per_evaluation.as_secs_f32(),
                            first_line(&e.to_string())
                        ),
                        source: Some(candidate.text.clone()),
                    });
                    continue;
                }
                Err(e) => errors.push(rego_error(&e.to_string(), candidate, &candidates)),
            }
            // `inconclusive` is optional: a rule without it simply says nothing
            // about the checks it could not decide.
            let inconclusive_entry = format!("{package}.inconclusive");
            let inconclusive = match engine.eval_rule(inconclusive_entry.clone()) {
                Ok(regorus::Value::Set(_)) => Some(inconclusive_entry),
                Ok(regorus::Value::Undefined) | Err(_) => None,
                Ok(other) => {
                    errors.push(RuleError {
                        file: candidate.file.clone(),
                        line: 1,
                        column: 1,
                        message: format!(
                            "`inconclusive` of rule {} must be a set of objects, not {}",
                            meta.id,
                            value_kind(&other)
                        ),
                        source: Some(candidate.text.clone()),
                    });
                    None
                }
            };
            rules.push(Rule {
                meta: Arc::new(meta),
                entry,
                file: candidate.file.clone(),
                builtin: candidate.builtin,
                combined: inconclusive.as_ref().and(combined[index].clone()),
                inconclusive,
                strikes: Arc::default(),
                deny_line: candidate
                    .text
                    .lines()
                    .position(|l| l.starts_with("deny"))
                    .map_or(1, |i| i + 1),
            });
        }
        let _ = engine.take_prints();
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
        Ok(RuleSet {
            rules,
            engine,
            warnings,
            stopped,
            unloaded,
            digest,
        })
    }

    /// Keeps only the rules `keep` accepts; the engine is shared, so this is cheap.
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

/// Which built-in libraries the rules left to load import, directly or
/// through another library (by the `data.clause.lib.NAME` they write).
fn libraries_needed(candidates: &[Candidate], replaced: &[bool]) -> Vec<bool> {
    let package = |c: &Candidate| {
        c.text
            .lines()
            .find_map(|l| l.trim().strip_prefix("package "))
            .map(|p| format!("data.{}", p.trim()))
    };
    let imports = |text: &str, package: &str| {
        text.match_indices(package).any(|(at, _)| {
            !text[at + package.len()..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
        })
    };
    let mut needed = vec![false; candidates.len()];
    let mut readers: Vec<&str> = candidates
        .iter()
        .zip(replaced)
        .filter(|(c, gone)| !c.is_library && !**gone)
        .map(|(c, _)| &*c.text)
        .collect();
    while let Some(text) = readers.pop() {
        for (index, candidate) in candidates.iter().enumerate() {
            if needed[index] || !candidate.is_library {
                continue;
            }
            if package(candidate).is_some_and(|p| imports(text, &p)) {
                needed[index] = true;
                readers.push(&candidate.text);
            }
        }
    }
    needed
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
        let set = RuleSet::builtin().unwrap_or_else(|e| panic!("{e:#?}"));
        assert!(!set.rules.is_empty());
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

//! The whole pipeline for `clause check`: discover, read, parse, evaluate in
//! parallel, and gather one sorted outcome. A file that cannot be read or
//! parsed becomes an error of its own; every other unit is still evaluated.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::FormatOverride;
use crate::discover::{self, Unit, UnitAt, UnitKind};
use crate::document::{Document, Format};
use crate::engine::Evaluator;
use crate::finding::{self, Finding};
use crate::key_set::{KeySet, KeySetBuilder};
use crate::name_key::NameKey;
use crate::parse::terraform::TerraformOptions;
use crate::parse::{self, FileError, YamlOutcome};
use crate::plan::Planned;
use crate::rules::RuleSet;
use crate::rules_run::{self, RulesRun, RulesRuns};
use crate::source::{SourceFile, display_path};
use crate::spool::{Log, Spool};
use crate::suppress::{self, Date, DirectiveNotice, Ledger, Suppressed};

/// Files larger than this are reported, not read: real IaC is far smaller,
/// and a huge file is more likely generated output or an attack.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 20 * 1024 * 1024;

#[derive(Debug, Clone)]
pub struct CheckConfig {
    pub paths: Vec<PathBuf>,
    /// `--exclude` globs, matched against paths as shown.
    pub excludes: Vec<String>,
    /// A config file's folder, `include` and `exclude` globs (relative to it)
    /// and format overrides.
    pub config_base: Option<PathBuf>,
    pub include: Vec<String>,
    pub config_excludes: Vec<String>,
    pub format_overrides: Vec<(String, FormatOverride)>,
    /// Whether `# clause:ignore` comments count.
    pub inline_suppressions: bool,
    /// Whether a Terraform file named alone brings its module folder along
    /// (reporting only findings touching it); fixtures turn this off.
    pub whole_modules: bool,
    /// The day suppressions' `until` dates are compared with.
    pub today: Date,
    /// Every rule code that exists (before `--rule` and the like filtered the
    /// run), so a suppression naming a typo is told apart from one naming a
    /// rule that did not run.
    pub known_rules: BTreeSet<String>,
    pub max_file_bytes: u64,
    /// How deeply collections (and HCL blocks and calls) may nest in a file.
    pub max_depth: usize,
    /// Count the checks of every rule and control for evidence
    /// (`Outcome::checks`), from the resources each rule examined. Listing
    /// those costs time on every rule run, so only evidence asks for it.
    pub record_examined: bool,
    /// Keep which rules ran on each document (JUnit test cases,
    /// `Outcome::rules_runs`); without it they are dropped as each unit is
    /// done.
    pub record_evaluations: bool,
    /// Keep the text of files with findings, for reports that show snippets;
    /// without it each finding keeps its file's name only, so a run's memory
    /// follows the number of findings rather than the text they point into.
    pub keep_source_text: bool,
    /// How many findings a run holds before it writes them to disk.
    pub findings_in_memory: usize,
    /// Keep the path of every file read (`Outcome::checked_files`), which a
    /// baseline needs to tell stale entries; without it a run's memory does
    /// not grow with the number of files.
    pub record_checked_files: bool,
    /// Keep the name of every file skipped (`Outcome::skipped`, which
    /// `--debug` lists); without it they are only counted: most files of a
    /// large repository are neither Terraform, Kubernetes nor Ansible
    /// (145,510 names held to the end on the 100k generated tree).
    pub list_skipped: bool,
    /// Text read from stdin, with the format and name to give it.
    pub stdin: Option<StdinInput>,
    /// `--var` and `--var-file` values for Terraform root modules.
    pub terraform: TerraformOptions,
}

#[derive(Debug, Clone)]
pub struct StdinInput {
    pub text: String,
    pub format: Format,
    pub name: String,
}

impl CheckConfig {
    /// The bounds each file is read and parsed within.
    pub fn parse_limits(&self) -> parse::ParseLimits {
        parse::ParseLimits {
            max_file_bytes: self.max_file_bytes,
            max_depth: self.max_depth,
        }
    }
}

impl Default for CheckConfig {
    fn default() -> Self {
        CheckConfig {
            paths: vec![PathBuf::from(".")],
            excludes: Vec::new(),
            config_base: None,
            include: Vec::new(),
            config_excludes: Vec::new(),
            format_overrides: Vec::new(),
            inline_suppressions: true,
            whole_modules: true,
            today: Date::today(),
            known_rules: BTreeSet::new(),
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
            max_depth: crate::parse::yaml::DEFAULT_MAX_DEPTH,
            record_examined: true,
            record_evaluations: true,
            keep_source_text: true,
            findings_in_memory: crate::spill::DEFAULT_FINDINGS_IN_MEMORY,
            record_checked_files: true,
            list_skipped: true,
            stdin: None,
            terraform: TerraformOptions::default(),
        }
    }
}

/// Counts for the summary line.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Stats {
    /// Files read per format.
    pub files: BTreeMap<Format, usize>,
    /// Documents evaluated per format (modules, manifests, playbooks).
    pub documents: BTreeMap<Format, usize>,
    pub skipped: usize,
    pub rules: usize,
    /// Terraform values in resources that clause resolved, and that stay
    /// unknown until apply.
    pub terraform_values_known: usize,
    pub terraform_values_unknown: usize,
    /// Ansible tasks found, module names normalised, templated values
    /// resolved and left unknown.
    pub ansible_tasks: usize,
    pub ansible_modules_normalised: usize,
    pub ansible_templates_resolved: usize,
    pub ansible_templates_unknown: usize,
}

#[derive(Debug, Default)]
pub struct Outcome {
    /// The findings held in memory; past `findings_in_memory` they are in
    /// `spilled` instead. `Outcome::all_findings` reads both.
    pub findings: Vec<Finding>,
    pub spilled: Option<crate::spill::Spilled>,
    pub errors: Vec<FileError>,
    pub warnings: Vec<String>,
    pub prints: Vec<String>,
    pub skipped: Vec<(String, &'static str)>,
    /// Worth telling, not errors: remote modules not downloaded, and the like.
    pub notices: Vec<String>,
    /// Checks rules could not decide because a value is unknown.
    pub inconclusive: Vec<crate::finding::Inconclusive>,
    /// The rules run on each document of a unit's part
    /// (`CheckConfig::record_evaluations`); gathered into `rules_runs`.
    pub rules_run: Vec<RulesRun>,
    /// The rules run on each document of the run, sorted by document:
    /// JUnit's test cases.
    pub rules_runs: RulesRuns,
    /// Checks counted per rule and control (`CheckConfig::record_examined`).
    pub checks: crate::evidence::Checks,
    /// Findings an inline `clause:ignore` covers: listed, never counted.
    pub suppressed: Vec<Suppressed>,
    /// Malformed, expired, misplaced and unused suppressions.
    pub suppression_notices: Vec<DirectiveNotice>,
    /// Findings a `--baseline` already records (set by the caller).
    pub baselined: Vec<Finding>,
    /// Baseline entries no finding matched any more.
    pub stale_baseline: Vec<crate::baseline::Entry>,
    /// The files documents were built from: a baseline entry is stale only
    /// when its file was checked (`CheckConfig::record_checked_files`).
    pub checked_files: BTreeSet<PathBuf>,
    pub stats: Stats,
}

impl Outcome {
    /// Every finding, sorted, whether held in memory or on disk.
    pub fn all_findings(&self) -> impl Iterator<Item = std::borrow::Cow<'_, Finding>> + '_ {
        crate::spill::all(&self.findings, self.spilled.as_ref())
    }

    pub fn finding_count(&self) -> usize {
        self.findings.len() + self.spilled.as_ref().map_or(0, |s| s.len())
    }

    /// Why findings written to disk could not all be read back, if they
    /// could not: the run must then fail rather than report fewer.
    pub fn spill_failure(&self) -> Option<String> {
        self.spilled.as_ref().and_then(|s| s.failure())
    }
}

/// The documents of one unit, before evaluation.
#[derive(Debug, Default)]
pub struct Loaded {
    pub documents: Vec<Document>,
    /// Only findings touching these files are reported (see `Unit::focus`).
    pub focus: Option<BTreeSet<String>>,
    pub errors: Vec<FileError>,
    pub files: Vec<(Format, usize)>,
    pub skipped: Vec<(String, &'static str)>,
    pub notices: Vec<String>,
    pub known_values: usize,
    pub unknown_values: usize,
    pub ansible: parse::ansible::AnsibleStats,
}

/// The units to read, found under the configured paths (or stdin's one).
struct Plan {
    units: discover::Units,
    errors: Vec<FileError>,
    /// Named only when `CheckConfig::list_skipped`.
    skipped: Vec<(String, &'static str)>,
    skipped_count: usize,
}

fn plan(config: &CheckConfig) -> Plan {
    let nothing = |errors| Plan {
        units: discover::Units::default(),
        errors,
        skipped: Vec::new(),
        skipped_count: 0,
    };
    if config.stdin.is_some() {
        return nothing(Vec::new());
    }
    let filter = discover::Filter::new(
        &config.excludes,
        config.config_base.as_deref(),
        &config.include,
        &config.config_excludes,
    );
    match filter {
        Ok(filter) => {
            let found = discover::discover(
                &config.paths,
                &filter,
                config.whole_modules,
                config.list_skipped,
            );
            Plan {
                units: found.units,
                errors: found.errors,
                skipped: found.skipped,
                skipped_count: found.skipped_count,
            }
        }
        Err(e) => nothing(vec![FileError::whole_file("--exclude/include", e)]),
    }
}

impl Plan {
    /// Every unit, read as workers ask for them, block by block (see
    /// `plan::Units::block`); a plan that cannot be read back from disk is
    /// an error, not a silent end.
    fn par_units(&self) -> impl ParallelIterator<Item = Result<Planned, FileError>> + '_ {
        (0..self.units.blocks())
            .into_par_iter()
            .flat_map_iter(|block| self.units.block(block))
            .map(|unit| unit.map_err(|e| FileError::whole_file("(temporary file)", e.to_string())))
    }
}

/// Reads and parses every unit under the configured paths, without
/// evaluating (`clause inspect`).
pub fn load_all(config: &CheckConfig) -> (Vec<Loaded>, Vec<FileError>) {
    if let Some(stdin) = &config.stdin {
        return (vec![load_stdin(stdin, config)], Vec::new());
    }
    let mut plan = plan(config);
    let mut read: Vec<(usize, Result<Loaded, FileError>)> = plan
        .par_units()
        .map(|unit| match unit {
            Ok((index, _, unit)) => (index, Ok(load_unit(&unit, config))),
            Err(e) => (usize::MAX, Err(e)),
        })
        .collect();
    read.sort_by_key(|(index, _)| *index);
    let mut loaded = Vec::new();
    for (_, unit) in read {
        match unit {
            Ok(unit) => loaded.push(unit),
            Err(e) => plan.errors.push(e),
        }
    }
    (loaded, plan.errors)
}

/// The kinds of resource the run's documents hold (Terraform resource
/// types, Kubernetes kinds, Ansible modules): a rule examining none of them
/// cannot apply, so a small run need not load it. Reads every unit, so it
/// is for runs that name a few files.
pub fn kinds_present(config: &CheckConfig) -> BTreeSet<String> {
    let (loaded, _) = load_all(config);
    loaded
        .iter()
        .flat_map(|l| &l.documents)
        .flat_map(|d| &d.resources)
        .map(|r| r.kind.clone())
        .collect()
}

/// Everything `check` does before rules run (discover, read, parse, resolve
/// values, build each document's input), unit by unit and dropping each as
/// `check` does: the parse-only baseline of the benchmarks. Returns the
/// number of documents built and the files that could not be read.
pub fn parse_only(config: &CheckConfig) -> (usize, Vec<FileError>) {
    if config.stdin.is_some() {
        let (loaded, errors) = load_all(config);
        return (loaded.iter().map(|l| l.documents.len()).sum(), errors);
    }
    let mut plan = plan(config);
    let unreadable = std::sync::Mutex::new(Vec::new());
    let documents = plan
        .par_units()
        .map(|unit| match unit {
            Ok((_, _, unit)) => load_unit(&unit, config).documents.len(),
            Err(e) => {
                lock(&unreadable).push(e);
                0
            }
        })
        .sum();
    plan.errors.append(&mut lock(&unreadable));
    (documents, plan.errors)
}

pub fn check(rules: &RuleSet, config: &CheckConfig) -> Outcome {
    let mut outcome = Outcome::default();
    let mut plan = plan(config);
    outcome.errors.append(&mut plan.errors);
    outcome
        .errors
        .extend(rules.stopped.iter().map(|e| match &e.source {
            Some(text) => {
                let file =
                    SourceFile::shared(PathBuf::from(&e.file), e.file.clone(), text.to_string());
                let offset = file.byte_at(e.line, e.column.saturating_sub(1));
                FileError::at(&file, offset, e.message.clone())
            }
            None => FileError::whole_file(&e.file, e.message.clone()),
        }));
    // Skipped files are always counted, and listed only when asked.
    let skipped_in_plan = plan.skipped_count;
    outcome.skipped.append(&mut plan.skipped);
    let evaluate = |evaluator: &mut Evaluator<'_>, loaded: Loaded, covered: &Covered| {
        let mut ledger = Ledger::default();
        let (mut unit_outcome, loaded) = loading_part(loaded);
        let mut evaluations = Vec::new();
        for doc in &loaded.documents {
            if covered.contains(&doc.unit) {
                // Reported through the playbook that runs it: evaluating it
                // alone would be work thrown away.
                continue;
            }
            let mut result = evaluator.evaluate(doc);
            if config.inline_suppressions {
                let suppressed =
                    suppress::apply(doc, &mut result.findings, config.today, &mut ledger);
                unit_outcome.suppressed.extend(suppressed);
            }
            unit_outcome.findings.extend(result.findings);
            unit_outcome.errors.extend(result.errors);
            unit_outcome.warnings.extend(result.warnings);
            unit_outcome.prints.extend(result.prints);
            unit_outcome.inconclusive.extend(result.inconclusive);
            if config.record_evaluations || config.record_examined {
                evaluations.extend(result.evaluations);
            }
        }
        if let Some(focus) = &loaded.focus {
            let touches = |file: &SourceFile| focus.contains(&file.display);
            unit_outcome
                .findings
                .retain(|f| touches(&f.file) || f.related.iter().any(|r| touches(&r.file)));
            unit_outcome.suppressed.retain(|s| {
                touches(&s.finding.file) || s.finding.related.iter().any(|r| touches(&r.file))
            });
            unit_outcome.inconclusive.retain(|i| touches(&i.file));
        }
        detach_sources(&mut unit_outcome, config.keep_source_text);
        // Rule-run records are folded here, before the part can wait (see
        // `Early`): counted as records, they made playbooks of JUnit and
        // evidence runs wait less and be read twice more often (12% more
        // CPU for `--summary controls` on the 1k generated tree).
        if config.record_examined {
            let mut checks = crate::evidence::Checks::default();
            checks.add(&evaluations, &unit_outcome);
            unit_outcome.checks = checks;
        }
        if config.record_evaluations {
            unit_outcome.rules_run = RulesRun::of(evaluations);
        }
        (unit_outcome, ledger)
    };
    let none = Covered::default();
    let memo = crate::memo::Memo::default();
    // Each unit's part is absorbed as soon as it is done, so a run holds
    // what its units reported, never one record per unit: findings go to
    // the collector (and to disk past `findings_in_memory`), counts and
    // sets are merged, and only lists whose order matters wait, tagged with
    // the unit's place in the plan. Stdin is one unit whose text cannot be
    // read again for snippets, so its findings stay in memory.
    let limit = match config.stdin {
        Some(_) => usize::MAX,
        None => config.findings_in_memory,
    };
    let gathered = std::sync::Mutex::new(Gathered {
        collector: crate::spill::Collector::new(limit),
        merged: Outcome::default(),
        waiting: Vec::new(),
        ledger: Ledger::default(),
        rules_run: rules_run::Gathering::default(),
    });
    let absorb = |order: u64, part: Outcome, ledger: Ledger| {
        gathered
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .absorb(order, part, ledger, config);
    };
    match &config.stdin {
        Some(stdin) => {
            let mut evaluator = rules.evaluator_recording(config.record_examined);
            let (part, ledger) = evaluate(&mut evaluator, load_stdin(stdin, config), &none);
            absorb(0, part, ledger);
        }
        None => {
            // Ansible units wait until every playbook's reach is known, so a
            // task file or playbook that another playbook runs is evaluated
            // only there. They are read twice rather than kept, and what
            // each reaches waits on disk (`Deferred`), so memory stays
            // bounded by the largest unit. A playbook that no file imports
            // is the exception (see `Early`).
            let imported = imported_playbooks(&plan, config.max_file_bytes);
            let early = Early {
                held: std::sync::atomic::AtomicUsize::new(0),
                limit: config.findings_in_memory / 4,
            };
            let unreadable = |e: FileError| {
                let part = Outcome {
                    errors: vec![e],
                    ..Outcome::default()
                };
                absorb(0, part, Ledger::default());
            };
            let aside = std::sync::Mutex::new(Aside::default());
            let spool = std::sync::Mutex::new(Spool::new(DEFERRED_IN_MEMORY));
            plan.par_units().for_each_init(
                || {
                    rules
                        .evaluator_recording(config.record_examined)
                        .remembering(&memo)
                },
                |evaluator, unit| {
                    let (index, at, unit) = match unit {
                        Ok(unit) => unit,
                        Err(e) => return unreadable(e),
                    };
                    let loaded = load_unit(&unit, config);
                    if loaded.documents.iter().any(|d| d.format == Format::Ansible) {
                        let only_ansible =
                            loaded.documents.iter().all(|d| d.format == Format::Ansible);
                        let unread =
                            only_ansible.then(|| Unread::of(&loaded, config.record_checked_files));
                        let reaches = reaches_of(&loaded.documents);
                        let evaluated = (only_ansible && early.worth_it(&unit, &loaded, &imported))
                            .then(|| {
                                let (part, ledger) = evaluate(evaluator, loaded, &none);
                                early.hold(&part);
                                Box::new((part, ledger))
                            });
                        let deferred = Deferred {
                            index,
                            at,
                            reaches,
                            unread,
                            evaluated,
                        };
                        let record = deferred.encode(&aside);
                        lock(&spool).push(&record);
                    } else {
                        // Only Ansible documents reach others, so none of
                        // this part can be covered.
                        let (part, ledger) = evaluate(evaluator, loaded, &none);
                        absorb(index as u64, part, ledger);
                    }
                },
            );
            let deferred_units = spool
                .into_inner()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .finish();
            let covered =
                covered_ansible_units(&deferred_units, KEYS_IN_MEMORY).unwrap_or_else(|e| {
                    unreadable(spool_error(&e));
                    Covered::default()
                });
            deferred_units.iter().par_bridge().for_each_init(
                || {
                    rules
                        .evaluator_recording(config.record_examined)
                        .remembering(&memo)
                },
                |evaluator, record| {
                    let deferred = match record.and_then(|r| Deferred::decode(&r, &aside)) {
                        Ok(deferred) => deferred,
                        Err(e) => return unreadable(spool_error(&e)),
                    };
                    let order = second_pass_order(deferred.index);
                    // One lookup a unit: past 1 MB of keys, each reads the disk.
                    let covered_units = deferred
                        .reaches
                        .iter()
                        .filter(|(unit, _)| covered.contains_key(unit))
                        .count();
                    let all_covered = covered_units == deferred.reaches.len();
                    let none_covered = covered_units == 0;
                    match (deferred.evaluated, deferred.unread) {
                        // Evaluated with nothing covered, which is what this
                        // pass would have done.
                        (Some(evaluated), _) if none_covered => {
                            let (part, ledger) = *evaluated;
                            absorb(order, part, ledger);
                        }
                        // Every document is reported through a playbook that
                        // runs it, so no rule would run here: what reading it
                        // reported in the first pass is the whole part.
                        (_, Some(unread)) if all_covered => {
                            absorb(order, unread.part(), Ledger::default());
                        }
                        _ => {
                            let unit = match plan.units.at(deferred.at) {
                                Ok(unit) => unit,
                                Err(e) => {
                                    return unreadable(FileError::whole_file(
                                        "(temporary file)",
                                        e.to_string(),
                                    ));
                                }
                            };
                            let loaded = load_unit(&unit, config);
                            let units: Vec<String> = loaded
                                .documents
                                .iter()
                                .filter(|d| d.format == Format::Ansible)
                                .map(|d| d.unit.clone())
                                .collect();
                            let (mut part, ledger) = evaluate(evaluator, loaded, &covered);
                            drop_covered(&mut part, &units, &covered);
                            absorb(order, part, ledger);
                        }
                    }
                },
            );
            if let Some(e) = lock(&covered.failed).take() {
                unreadable(FileError::whole_file(
                    "(temporary file)",
                    format!(
                        "cannot read which Ansible files playbooks run ({e}); files it could not tell are also reported on their own"
                    ),
                ));
            }
        }
    }
    let Gathered {
        collector,
        merged,
        mut waiting,
        ledger,
        rules_run,
    } = gathered
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    outcome.checked_files = merged.checked_files;
    outcome.checks = merged.checks;
    outcome.warnings.extend(merged.warnings);
    outcome.skipped.extend(merged.skipped);
    outcome.notices.extend(merged.notices);
    outcome.stats = merged.stats;
    waiting.sort_by_key(|(order, _)| *order);
    for (_, part) in waiting {
        outcome.errors.extend(part.errors);
        outcome.prints.extend(part.prints);
        outcome.inconclusive.extend(part.inconclusive);
        outcome.suppressed.extend(part.suppressed);
    }
    let sorted = collector.finish(config.keep_source_text);
    outcome.findings = sorted.kept;
    outcome.spilled = sorted.spilled;
    outcome.warnings.extend(sorted.warning);
    if let Some(e) = sorted.error {
        outcome
            .errors
            .push(FileError::whole_file("(temporary findings file)", e));
    }
    outcome.errors.sort_by(|a, b| {
        (&a.file, a.line, a.column, &a.message).cmp(&(&b.file, b.line, b.column, &b.message))
    });
    outcome
        .errors
        .dedup_by(|a, b| a.file == b.file && a.line == b.line && a.message == b.message);
    outcome.warnings.sort();
    outcome.warnings.dedup();
    outcome.skipped.sort();
    outcome.notices.sort();
    outcome.notices.dedup();
    match rules_run.finish() {
        Ok(runs) => outcome.rules_runs = runs,
        Err(e) => outcome.errors.push(FileError::whole_file(
            "(temporary file)",
            format!("cannot keep which rules ran on each document: {e}"),
        )),
    }
    outcome.inconclusive.sort_by(|a, b| {
        (&a.file.display, a.start, &a.rule.id, &a.message).cmp(&(
            &b.file.display,
            b.start,
            &b.rule.id,
            &b.message,
        ))
    });
    outcome.inconclusive.dedup_by(|a, b| {
        a.rule.id == b.rule.id
            && (a.span.start, a.span.end) == (b.span.start, b.span.end)
            && a.message == b.message
            && a.file.display == b.file.display
    });
    outcome
        .suppressed
        .sort_by(|a, b| finding::compare(&a.finding, &b.finding));
    outcome
        .suppressed
        .dedup_by(|a, b| finding::same(&a.finding, &b.finding));
    let ran: BTreeSet<String> = rules
        .rules
        .iter()
        .map(|r| r.meta.id.to_uppercase())
        .collect();
    let mut known = config.known_rules.clone();
    known.extend(ran.iter().cloned());
    outcome.suppression_notices = ledger.notices(&known, &ran);
    outcome.stats.skipped += skipped_in_plan;
    outcome.stats.rules = rules.rules.len();
    outcome
}

/// A unit's part of the outcome from reading it alone: its errors, skipped
/// files, notices, counts and files read, before any rule runs. Returns the
/// rest of `loaded` (its documents and focus).
fn loading_part(mut loaded: Loaded) -> (Outcome, Loaded) {
    let mut part = Outcome {
        errors: std::mem::take(&mut loaded.errors),
        skipped: std::mem::take(&mut loaded.skipped),
        notices: std::mem::take(&mut loaded.notices),
        ..Outcome::default()
    };
    let stats = &mut part.stats;
    stats.terraform_values_known = loaded.known_values;
    stats.terraform_values_unknown = loaded.unknown_values;
    stats.ansible_tasks = loaded.ansible.tasks;
    stats.ansible_modules_normalised = loaded.ansible.normalised;
    stats.ansible_templates_resolved = loaded.ansible.templates_resolved;
    stats.ansible_templates_unknown = loaded.ansible.templates_unknown;
    for (format, count) in std::mem::take(&mut loaded.files) {
        *stats.files.entry(format).or_default() += count;
    }
    for doc in &loaded.documents {
        *stats.documents.entry(doc.format).or_default() += 1;
        part.checked_files
            .extend(doc.files.iter().map(|f| f.path.clone()));
    }
    (part, loaded)
}

/// Lets go of the text of the files a unit's findings and inconclusive
/// checks name, keeping only their names, unless `keep_findings_text`
/// (reports with snippets): held to the end of the run, they would hold
/// every file with a finding.
fn detach_sources(outcome: &mut Outcome, keep_findings_text: bool) {
    if keep_findings_text {
        return;
    }
    let mut detached: std::collections::HashMap<*const SourceFile, Arc<SourceFile>> =
        std::collections::HashMap::new();
    let mut detach = |file: &mut Arc<SourceFile>| {
        let name = detached
            .entry(Arc::as_ptr(file))
            .or_insert_with(|| Arc::new(file.detached()));
        *file = Arc::clone(name);
    };
    let findings = outcome
        .findings
        .iter_mut()
        .chain(outcome.suppressed.iter_mut().map(|s| &mut s.finding));
    for finding in findings {
        detach(&mut finding.file);
        for related in &mut finding.related {
            detach(&mut related.file);
        }
    }
    for check in &mut outcome.inconclusive {
        detach(&mut check.file);
    }
}

/// Where a deferred unit's part goes: after every unit of the first pass,
/// as their parts were listed before they were absorbed.
fn second_pass_order(index: usize) -> u64 {
    (1 << 32) | index as u64
}

/// The playbooks some YAML file in the plan names in `import_playbook`
/// (`parse::ansible::imports`), read from the files' text alone: one more
/// read of each YAML file, lost in run-to-run noise on the shared corpus's
/// 1,486 manifests. Files over the size limit are not read here either:
/// the first pass reports them, as it does a plan that cannot be read
/// back. Kept as keys of their normalised paths.
fn imported_playbooks(plan: &Plan, max_bytes: u64) -> KeySet {
    let imported = std::sync::Mutex::new(KeySetBuilder::new(KEYS_IN_MEMORY));
    plan.par_units()
        .filter_map(|unit| unit.ok().map(|(_, _, unit)| unit))
        .filter(|unit| unit.kind == UnitKind::Yaml)
        .flat_map_iter(|unit| {
            let imports = unit.paths.first().and_then(|path| {
                let size = std::fs::metadata(path).ok()?.len();
                if size > max_bytes {
                    return None;
                }
                let text = std::fs::read_to_string(path).ok()?;
                let dir = path.parent()?;
                Some(parse::ansible::imports::playbook_imports(&text, dir))
            });
            imports.unwrap_or_default()
        })
        .for_each(|path| {
            // A key the disk refused only costs speed: the playbook is
            // evaluated early, and that part is used only if no document
            // reached it after all (`Early`).
            let _ = lock(&imported).push(NameKey::of_path(&path));
        });
    imported
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .finish()
        .unwrap_or_default()
}

/// Playbooks evaluated in the first pass, as soon as they are read. A
/// playbook that no other playbook runs is evaluated in any case, and
/// reading it again for the second pass cost a sixth of the shared corpus's
/// Ansible run: kubespray's top-level playbooks read every role. Whether
/// another playbook runs it is only known once all are read, so this goes
/// by the `import_playbook` lines of the scan's files, and the part waits
/// until then: it is used only if no document of the scan reached the
/// playbook after all. The parts waiting hold at most `limit` findings and
/// records, a part with none counting as one (plus one part per worker);
/// past that, playbooks are read again as the others are.
struct Early {
    held: std::sync::atomic::AtomicUsize,
    limit: usize,
}

impl Early {
    fn worth_it(&self, unit: &Unit, loaded: &Loaded, imported: &KeySet) -> bool {
        let playbooks = loaded.documents.iter().all(|d| {
            d.input
                .get("plays")
                .and_then(serde_json::Value::as_array)
                .is_some_and(|plays| !plays.is_empty())
        });
        let named = unit.paths.iter().any(|p| {
            let key = NameKey::of_path(&parse::terraform::module::normalize(p));
            // Unknown counts as named: the playbook is read again later.
            imported.contains(&key).unwrap_or(true)
        });
        playbooks && !named && self.held.load(std::sync::atomic::Ordering::Relaxed) < self.limit
    }

    fn hold(&self, part: &Outcome) {
        // A part with nothing to report still waits in memory: it counts
        // as one, so clean playbooks cannot wait without bound.
        let records = (part.findings.len()
            + part.suppressed.len()
            + part.inconclusive.len()
            + part.rules_run.len())
        .max(1);
        self.held
            .fetch_add(records, std::sync::atomic::Ordering::Relaxed);
    }
}

/// An Ansible document's unit and the files it reaches, by key.
type Reach = (NameKey, Box<[NameKey]>);

/// The Ansible units a playbook of the scan runs (`covered_ansible_units`).
#[derive(Default)]
struct Covered {
    keys: KeySet,
    /// What the temporary file of keys answered instead of a key. The unit
    /// asked about counts as not covered, so it is also reported on its
    /// own: its findings may come twice, but none is lost.
    failed: std::sync::Mutex<Option<String>>,
}

impl Covered {
    fn contains(&self, unit: &str) -> bool {
        // The first pass asks for every document, with nothing covered.
        !self.keys.is_empty() && self.contains_key(&NameKey::of(unit.as_bytes()))
    }

    fn contains_key(&self, unit: &NameKey) -> bool {
        self.keys.contains(unit).unwrap_or_else(|e| {
            lock(&self.failed).get_or_insert_with(|| e.to_string());
            false
        })
    }
}

/// About how many bytes of keys a set of files (`KeySet`) holds before it
/// goes to disk: 65,536 files.
const KEYS_IN_MEMORY: usize = 1 << 20;

/// About how many bytes of deferred units a run holds before they go to
/// disk: some 100,000 task files.
const DEFERRED_IN_MEMORY: usize = 4 << 20;

/// An Ansible unit read in the first pass, waiting for every playbook's
/// reach. One is kept for every Ansible file of the scan, so it waits on
/// disk (`Deferred::encode`): as Rust values they held 5 MB live on the
/// 10k generated tree (a throwaway build whose allocator counts), and grew
/// with it.
struct Deferred {
    /// Its place in the plan.
    index: usize,
    /// Where to read it again.
    at: UnitAt,
    /// What each of its documents reaches.
    reaches: Vec<Reach>,
    /// For a unit of Ansible documents only: what reading it reported,
    /// which is all it reports when a playbook covers every document, so it
    /// need not be read again.
    unread: Option<Unread>,
    /// Its part and suppressions, for a playbook evaluated as soon as it
    /// was read (see `Early`).
    evaluated: Option<Box<(Outcome, Ledger)>>,
}

/// The parts of deferred units that wait in memory rather than on disk:
/// readings that reported something (few), and playbooks evaluated early
/// (as many as `Early` allows). A record names them by number.
#[derive(Default)]
struct Aside {
    readings: Vec<Option<Box<Reading>>>,
    evaluated: Vec<Option<Box<(Outcome, Ledger)>>>,
}

impl Deferred {
    /// The unit as bytes: its place, where to read it, what waits aside,
    /// then for each document its key and the keys of what it reaches.
    fn encode(self, aside: &std::sync::Mutex<Aside>) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(64);
        bytes.extend_from_slice(&(self.index as u64).to_le_bytes());
        let (tag, at) = match self.at {
            UnitAt::Memory(n) => (0u8, n as u64),
            UnitAt::Disk(offset) => (1, offset),
        };
        bytes.push(tag);
        bytes.extend_from_slice(&at.to_le_bytes());
        let (tag, reading) = match self.unread {
            None => (0u8, None),
            Some(Unread::OneFile) => (1, None),
            Some(Unread::Other(reading)) => (2, Some(reading)),
        };
        bytes.push(tag);
        let mut aside = lock(aside);
        if let Some(reading) = reading {
            bytes.extend_from_slice(&(aside.readings.len() as u64).to_le_bytes());
            aside.readings.push(Some(reading));
        }
        match self.evaluated {
            None => bytes.push(0),
            Some(evaluated) => {
                bytes.push(1);
                bytes.extend_from_slice(&(aside.evaluated.len() as u64).to_le_bytes());
                aside.evaluated.push(Some(evaluated));
            }
        }
        drop(aside);
        bytes.extend_from_slice(&(self.reaches.len() as u64).to_le_bytes());
        for (unit, files) in &self.reaches {
            bytes.extend_from_slice(&unit.to_bytes());
            bytes.extend_from_slice(&(files.len() as u64).to_le_bytes());
            for file in files {
                bytes.extend_from_slice(&file.to_bytes());
            }
        }
        bytes
    }

    /// The unit `encode` wrote, taking what waited aside. Only the records
    /// of this run are read, so a malformed one means the disk changed them.
    fn decode(bytes: &[u8], aside: &std::sync::Mutex<Aside>) -> std::io::Result<Deferred> {
        let mut reader = Bytes(bytes);
        let header = reader.header()?;
        let reaches = reader.reaches()?;
        let mut aside = lock(aside);
        let unread = match header.unread {
            0 => None,
            1 => Some(Unread::OneFile),
            _ => {
                let reading = aside
                    .readings
                    .get_mut(header.reading)
                    .and_then(Option::take);
                Some(Unread::Other(reading.ok_or_else(malformed)?))
            }
        };
        let evaluated = match header.evaluated {
            None => None,
            Some(n) => Some(
                aside
                    .evaluated
                    .get_mut(n)
                    .and_then(Option::take)
                    .ok_or_else(malformed)?,
            ),
        };
        Ok(Deferred {
            index: header.index,
            at: header.at,
            reaches,
            unread,
            evaluated,
        })
    }

    /// Only the reaches of a record, leaving what waits aside in place.
    fn reaches(bytes: &[u8]) -> std::io::Result<Vec<Reach>> {
        let mut reader = Bytes(bytes);
        reader.header()?;
        reader.reaches()
    }
}

/// What a deferred unit's record holds before its reaches.
struct Header {
    index: usize,
    at: UnitAt,
    /// 0: nothing read, 1: one file, 2: the reading numbered `reading`.
    unread: u8,
    reading: usize,
    /// The number of its part evaluated early.
    evaluated: Option<usize>,
}

/// Reads what `Deferred::encode` wrote.
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn take<const N: usize>(&mut self) -> std::io::Result<[u8; N]> {
        let (first, rest) = self.0.split_first_chunk::<N>().ok_or_else(malformed)?;
        self.0 = rest;
        Ok(*first)
    }

    fn u8(&mut self) -> std::io::Result<u8> {
        Ok(self.take::<1>()?[0])
    }

    fn u64(&mut self) -> std::io::Result<u64> {
        Ok(u64::from_le_bytes(self.take()?))
    }

    fn key(&mut self) -> std::io::Result<NameKey> {
        Ok(NameKey::from_bytes(self.take()?))
    }

    fn header(&mut self) -> std::io::Result<Header> {
        let index = self.u64()? as usize;
        let at = match self.u8()? {
            0 => UnitAt::Memory(self.u64()? as usize),
            _ => UnitAt::Disk(self.u64()?),
        };
        let unread = self.u8()?;
        let reading = match unread {
            2 => self.u64()? as usize,
            _ => 0,
        };
        let evaluated = match self.u8()? {
            0 => None,
            _ => Some(self.u64()? as usize),
        };
        Ok(Header {
            index,
            at,
            unread,
            reading,
            evaluated,
        })
    }

    fn reaches(&mut self) -> std::io::Result<Vec<Reach>> {
        let documents = self.u64()?;
        let mut reaches = Vec::new();
        for _ in 0..documents {
            let unit = self.key()?;
            let files = self.u64()?;
            let files: Box<[NameKey]> = (0..files).map(|_| self.key()).collect::<Result<_, _>>()?;
            reaches.push((unit, files));
        }
        Ok(reaches)
    }
}

fn malformed() -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidData,
        "a deferred unit's record is malformed",
    )
}

fn spool_error(e: &std::io::Error) -> FileError {
    FileError::whole_file(
        "(temporary file)",
        format!("cannot read back the Ansible units waiting for their playbooks: {e}"),
    )
}

fn lock<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// What reading a unit of Ansible documents reported in the first pass: as
/// little as rebuilds its part, since one is kept for every such unit until
/// the second pass.
enum Unread {
    /// One Ansible file holding one document, and nothing else to report:
    /// most units, kept without an allocation.
    OneFile,
    Other(Box<Reading>),
}

struct Reading {
    errors: Vec<FileError>,
    skipped: Vec<(String, &'static str)>,
    notices: Vec<String>,
    files: Vec<(Format, usize)>,
    documents: usize,
    /// Only when a baseline needs them (`CheckConfig::record_checked_files`).
    checked_files: Vec<PathBuf>,
}

impl Unread {
    fn of(loaded: &Loaded, record_checked_files: bool) -> Unread {
        let one_file = loaded.errors.is_empty()
            && loaded.skipped.is_empty()
            && loaded.notices.is_empty()
            && loaded.files == [(Format::Ansible, 1)]
            && loaded.documents.len() == 1
            && !record_checked_files;
        if one_file {
            return Unread::OneFile;
        }
        let checked_files = match record_checked_files {
            true => loaded
                .documents
                .iter()
                .flat_map(|d| d.files.iter().map(|f| f.path.clone()))
                .collect(),
            false => Vec::new(),
        };
        Unread::Other(Box::new(Reading {
            errors: loaded.errors.clone(),
            skipped: loaded.skipped.clone(),
            notices: loaded.notices.clone(),
            files: loaded.files.clone(),
            documents: loaded.documents.len(),
            checked_files,
        }))
    }

    /// The unit's part when every document is covered: what `loading_part`
    /// gives, without the task counts `drop_covered` takes out (they are
    /// counted through the playbook).
    fn part(self) -> Outcome {
        match self {
            Unread::OneFile => Reading {
                errors: Vec::new(),
                skipped: Vec::new(),
                notices: Vec::new(),
                files: vec![(Format::Ansible, 1)],
                documents: 1,
                checked_files: Vec::new(),
            }
            .part(),
            Unread::Other(reading) => reading.part(),
        }
    }
}

impl Reading {
    fn part(self) -> Outcome {
        let mut part = Outcome {
            errors: self.errors,
            skipped: self.skipped,
            notices: self.notices,
            checked_files: self.checked_files.into_iter().collect(),
            ..Outcome::default()
        };
        for (format, count) in self.files {
            *part.stats.files.entry(format).or_default() += count;
        }
        if self.documents > 0 {
            *part.stats.documents.entry(Format::Ansible).or_default() += self.documents;
        }
        part
    }
}

/// What the units reported so far (see `check`).
struct Gathered {
    collector: crate::spill::Collector,
    /// Counts, sets and lists sorted at the end, merged as parts arrive.
    merged: Outcome,
    /// Lists whose order matters, by their unit's place.
    waiting: Vec<(u64, Ordered)>,
    ledger: Ledger,
    rules_run: rules_run::Gathering,
}

impl Gathered {
    fn absorb(&mut self, order: u64, mut part: Outcome, ledger: Ledger, config: &CheckConfig) {
        self.merged.checks.merge(std::mem::take(&mut part.checks));
        self.rules_run.add(std::mem::take(&mut part.rules_run));
        self.collector
            .add(order, std::mem::take(&mut part.findings));
        self.ledger.merge(ledger);
        let merged = &mut self.merged;
        if config.record_checked_files {
            // Not `append`: it rebuilds the whole set from both, so a run
            // with a baseline spent time quadratic in its files here.
            merged
                .checked_files
                .extend(std::mem::take(&mut part.checked_files));
        }
        merged.warnings.append(&mut part.warnings);
        merged.stats.skipped += part.skipped.len();
        if config.list_skipped {
            merged.skipped.append(&mut part.skipped);
        }
        merged.notices.append(&mut part.notices);
        let (stats, part_stats) = (&mut merged.stats, std::mem::take(&mut part.stats));
        stats.terraform_values_known += part_stats.terraform_values_known;
        stats.terraform_values_unknown += part_stats.terraform_values_unknown;
        stats.ansible_tasks += part_stats.ansible_tasks;
        stats.ansible_modules_normalised += part_stats.ansible_modules_normalised;
        stats.ansible_templates_resolved += part_stats.ansible_templates_resolved;
        stats.ansible_templates_unknown += part_stats.ansible_templates_unknown;
        for (format, n) in part_stats.files {
            *stats.files.entry(format).or_default() += n;
        }
        for (format, n) in part_stats.documents {
            *stats.documents.entry(format).or_default() += n;
        }
        let ordered = Ordered {
            errors: part.errors,
            prints: part.prints,
            inconclusive: part.inconclusive,
            suppressed: part.suppressed,
        };
        if !ordered.is_empty() {
            self.waiting.push((order, ordered));
        }
    }
}

/// The lists of a unit's part reported in the plan's order: only these
/// wait for the run to end, not the whole part (736 bytes before its
/// lists, for each of thousands of parts with an inconclusive check).
struct Ordered {
    errors: Vec<FileError>,
    prints: Vec<String>,
    inconclusive: Vec<crate::finding::Inconclusive>,
    suppressed: Vec<Suppressed>,
}

impl Ordered {
    fn is_empty(&self) -> bool {
        self.errors.is_empty()
            && self.prints.is_empty()
            && self.inconclusive.is_empty()
            && self.suppressed.is_empty()
    }
}

/// A task file that a playbook in the scan runs is reported through the
/// playbook (with the playbook's variables), not on its own.
fn drop_covered(part: &mut Outcome, units: &[String], covered: &Covered) {
    // The part's units are looked up once each, not once for each finding:
    // past 1 MB of keys, a lookup reads the disk. A finding's unit is one
    // of its part's documents'.
    let dropped: Vec<&String> = units.iter().filter(|unit| covered.contains(unit)).collect();
    if dropped.is_empty() {
        return;
    }
    let gone = |unit: &String| dropped.contains(&unit);
    part.findings.retain(|f| !gone(&f.unit));
    part.inconclusive.retain(|i| !gone(&i.unit));
    part.suppressed.retain(|s| !gone(&s.finding.unit));
    part.stats.ansible_tasks = 0;
    part.stats.ansible_modules_normalised = 0;
    part.stats.ansible_templates_resolved = 0;
    part.stats.ansible_templates_unknown = 0;
}

fn reaches_of(documents: &[Document]) -> Vec<Reach> {
    documents
        .iter()
        .filter(|d| d.format == Format::Ansible)
        .map(|d| {
            (
                NameKey::of(d.unit.as_bytes()),
                d.files
                    .iter()
                    .skip(1)
                    .map(|f| NameKey::of(f.display.as_bytes()))
                    .collect(),
            )
        })
        .collect()
}

/// Ansible documents reached by another document that no other document
/// reaches in turn (so a cycle of imports still reports everything once).
/// Reads the deferred units twice: once for every file reached, once for
/// what the units no one reaches (the roots) reach.
fn covered_ansible_units(deferred: &Log, budget: usize) -> std::io::Result<Covered> {
    let mut reached = KeySetBuilder::new(budget);
    for record in deferred.iter() {
        for (_, files) in Deferred::reaches(&record?)? {
            reached.extend(&files)?;
        }
    }
    let reached = reached.finish()?;
    let mut covered = KeySetBuilder::new(budget);
    for record in deferred.iter() {
        for (unit, files) in Deferred::reaches(&record?)? {
            if reached.contains(&unit)? {
                continue;
            }
            for file in files.iter().filter(|f| **f != unit) {
                covered.push(*file)?;
            }
        }
    }
    Ok(Covered {
        keys: covered.finish()?,
        failed: std::sync::Mutex::new(None),
    })
}

fn load_stdin(stdin: &StdinInput, config: &CheckConfig) -> Loaded {
    let size = stdin.text.len() as u64;
    if size > config.max_file_bytes {
        let message = format!(
            "input is {size} bytes, over the {}-byte limit ([limits] max_file_bytes); not read",
            config.max_file_bytes
        );
        return Loaded {
            errors: vec![FileError::whole_file(&stdin.name, message)],
            ..Loaded::default()
        };
    }
    let file = SourceFile::shared(PathBuf::from("-"), stdin.name.clone(), stdin.text.clone());
    let mut loaded = Loaded::default();
    match stdin.format {
        Format::Terraform => {
            let module = parse::terraform::parse_module_with(
                stdin.name.clone(),
                vec![file],
                &config.terraform,
                config.parse_limits(),
            );
            loaded.absorb(module);
        }
        format => match parse::parse_yaml_file_with(&file, Some(format), config.parse_limits()) {
            YamlOutcome::Documents(_, docs) => loaded.documents = docs,
            YamlOutcome::Ansible(outcome) => loaded.absorb_ansible(*outcome),
            YamlOutcome::Error(e) => loaded.errors.push(e),
            YamlOutcome::NotIac | YamlOutcome::InvalidNotIac => {}
        },
    }
    loaded.files.push((stdin.format, 1));
    loaded
}

impl Loaded {
    fn absorb_ansible(&mut self, outcome: parse::ansible::AnsibleOutcome) {
        self.errors.extend(outcome.errors);
        self.documents.extend(outcome.document);
        self.notices.extend(outcome.notices);
        self.ansible = outcome.stats;
    }

    fn absorb(&mut self, module: parse::terraform::ModuleOutcome) {
        self.errors.extend(module.errors);
        self.documents.extend(module.document);
        self.notices.extend(module.notices);
        self.known_values += module.known_values;
        self.unknown_values += module.unknown_values;
    }
}

pub fn load_unit(unit: &Unit, config: &CheckConfig) -> Loaded {
    let mut loaded = Loaded {
        focus: unit.focus.as_deref().cloned(),
        ..Loaded::default()
    };
    if unit.kind == UnitKind::TerraformCalledModule {
        // Read, evaluated and reported through the modules that call it.
        loaded.files.push((Format::Terraform, unit.paths.len()));
        return loaded;
    }
    if unit.kind == UnitKind::JsonCandidate && !unit.paths.iter().all(|p| starts_like_plan(p)) {
        // Most JSON in a repository (package locks, dashboards) is not a
        // plan; a look at its start avoids reading it whole.
        loaded
            .skipped
            .push((unit.display(), "JSON that is not a Terraform plan"));
        return loaded;
    }
    let mut files = Vec::new();
    for path in &unit.paths {
        match read_source(path, config.max_file_bytes) {
            Ok(file) => files.push(file),
            Err(e) => loaded.errors.push(e),
        }
    }
    match unit.kind {
        UnitKind::TerraformModule => {
            if files.is_empty() {
                return loaded;
            }
            loaded.files.push((Format::Terraform, files.len()));
            let module = parse::terraform::parse_module_with(
                unit.display(),
                files,
                &config.terraform,
                config.parse_limits(),
            );
            loaded.absorb(module);
        }
        UnitKind::TerraformCalledModule => {}
        UnitKind::JsonCandidate => {
            let Some(file) = files.into_iter().next() else {
                return loaded;
            };
            if parse::terraform::plan::looks_like_plan(&file.text) {
                loaded.files.push((Format::Terraform, 1));
                let plan = parse::terraform::plan::parse_plan_with(
                    file,
                    &config.terraform,
                    config.parse_limits(),
                );
                loaded.absorb(plan);
            } else {
                loaded
                    .skipped
                    .push((file.display.clone(), "JSON that is not a Terraform plan"));
            }
        }
        UnitKind::Yaml => {
            let Some(file) = files.into_iter().next() else {
                return loaded;
            };
            let forced = match format_override(&file.path, config) {
                Some(FormatOverride::Ignore) => {
                    loaded.skipped.push((
                        file.display.clone(),
                        "ignored by a format override in the config",
                    ));
                    return loaded;
                }
                Some(FormatOverride::Read(format)) => Some(format),
                None => None,
            };
            match parse::parse_yaml_file_with(&file, forced, config.parse_limits()) {
                YamlOutcome::Documents(format, docs) => {
                    loaded.files.push((format, 1));
                    loaded.documents = docs;
                }
                YamlOutcome::Ansible(outcome) => {
                    loaded.files.push((Format::Ansible, 1));
                    loaded.absorb_ansible(*outcome);
                }
                YamlOutcome::Error(e) => loaded.errors.push(e),
                YamlOutcome::NotIac => loaded.skipped.push((
                    file.display.clone(),
                    "YAML that is not a Kubernetes manifest or Ansible file",
                )),
                YamlOutcome::InvalidNotIac => loaded.skipped.push((
                    file.display.clone(),
                    "invalid YAML, with nothing that looks like a Kubernetes manifest or Ansible file",
                )),
            }
        }
    }
    loaded
}

/// The config's format override for a file, matched relative to the
/// config's folder.
fn format_override(path: &std::path::Path, config: &CheckConfig) -> Option<FormatOverride> {
    let base = parse::terraform::module::normalize(
        &std::path::absolute(config.config_base.as_ref()?).ok()?,
    );
    let absolute = parse::terraform::module::normalize(&std::path::absolute(path).ok()?);
    let relative = absolute
        .strip_prefix(&base)
        .ok()?
        .to_string_lossy()
        .replace('\\', "/");
    config.format_overrides.iter().find_map(|(glob, chosen)| {
        globset::Glob::new(glob)
            .ok()
            .filter(|g| g.compile_matcher().is_match(&relative))
            .map(|_| *chosen)
    })
}

fn starts_like_plan(path: &std::path::Path) -> bool {
    use std::io::Read as _;
    let mut head = Vec::with_capacity(4096);
    std::fs::File::open(path)
        .and_then(|f| f.take(4096).read_to_end(&mut head))
        .is_ok()
        && parse::terraform::plan::looks_like_plan(&String::from_utf8_lossy(&head))
}

/// Reads a file as text, refusing what is too large, binary or not UTF-8.
pub fn read_source(path: &std::path::Path, max_bytes: u64) -> Result<Arc<SourceFile>, FileError> {
    let display = display_path(path);
    let fail = |message: String| FileError::whole_file(&display, message);
    let size = std::fs::metadata(path)
        .map_err(|e| fail(format!("cannot read: {e}")))?
        .len();
    if size > max_bytes {
        return Err(fail(format!(
            "file is {size} bytes, over the {max_bytes}-byte limit ([limits] max_file_bytes); not read"
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| fail(format!("cannot read: {e}")))?;
    if bytes.iter().take(8192).any(|&b| b == 0) {
        return Err(fail("binary file (contains NUL bytes); not read".into()));
    }
    let mut text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]);
        let line = prefix.matches('\n').count() + 1;
        let column = prefix
            .rsplit('\n')
            .next()
            .map(|l| l.chars().count() + 1)
            .unwrap_or(1);
        FileError {
            file: display.clone(),
            line,
            column,
            message: format!("not valid UTF-8 text (invalid byte at offset {valid})"),
            offset: 0,
            source: None,
        }
    })?;
    if text.starts_with('\u{feff}') {
        text.drain(..3);
    }
    Ok(SourceFile::shared(path.to_path_buf(), display, text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(name: &str) -> NameKey {
        NameKey::of(name.as_bytes())
    }

    fn deferred(index: usize, reaches: &[(&str, &[&str])]) -> Deferred {
        Deferred {
            index,
            at: UnitAt::Disk(index as u64 * 1000),
            reaches: reaches
                .iter()
                .map(|(unit, files)| (key(unit), files.iter().map(|f| key(f)).collect()))
                .collect(),
            unread: Some(Unread::OneFile),
            evaluated: None,
        }
    }

    /// A deferred unit comes back from its record as it went in, with
    /// what waited aside, and the keys it reaches decide what is covered:
    /// what a playbook no one runs reaches, not what only a task file it
    /// runs reaches (a playbook's reach holds every file it runs, however
    /// deep), nor a cycle with no outside caller.
    #[test]
    fn deferred_units_come_back_and_decide_what_is_covered() {
        let aside = std::sync::Mutex::new(Aside::default());
        let mut spool = Spool::new(1);
        let mut early = deferred(7, &[("site.yml", &["roles/a.yml", "b.yml"])]);
        early.evaluated = Some(Box::new((
            Outcome {
                notices: vec!["evaluated early".into()],
                ..Outcome::default()
            },
            Ledger::default(),
        )));
        early.unread = Some(Unread::Other(Box::new(Reading {
            errors: Vec::new(),
            skipped: Vec::new(),
            notices: vec!["read".into()],
            files: vec![(Format::Ansible, 2)],
            documents: 2,
            checked_files: Vec::new(),
        })));
        spool.push(&early.encode(&aside));
        for unit in [
            deferred(8, &[("b.yml", &["c.yml"])]),
            deferred(9, &[("loop-1.yml", &["loop-2.yml"])]),
            deferred(10, &[("loop-2.yml", &["loop-1.yml"])]),
        ] {
            spool.push(&unit.encode(&aside));
        }
        let log = spool.finish();
        let covered = covered_ansible_units(&log, KEYS_IN_MEMORY).unwrap();
        let on_disk = covered_ansible_units(&log, 16).unwrap();
        assert!(on_disk.keys.on_disk());
        let mut names: Vec<&str> = ["site.yml", "roles/a.yml", "b.yml", "c.yml", "loop-1.yml"]
            .into_iter()
            .filter(|n| covered.contains(n))
            .collect();
        names.sort();
        assert_eq!(names, ["b.yml", "roles/a.yml"]);
        let keys = |set: &Covered| {
            set.keys
                .iter()
                .unwrap()
                .map(Result::unwrap)
                .collect::<Vec<_>>()
        };
        assert_eq!(keys(&on_disk), keys(&covered));
        let back: Vec<Deferred> = log
            .iter()
            .map(|r| Deferred::decode(&r.unwrap(), &aside).unwrap())
            .collect();
        assert_eq!(
            back.iter().map(|d| d.index).collect::<Vec<_>>(),
            [7, 8, 9, 10]
        );
        assert!(matches!(back[1].at, UnitAt::Disk(8000)));
        assert_eq!(back[0].reaches[0].1.len(), 2);
        let Some(Unread::Other(reading)) = &back[0].unread else {
            panic!("the reading waited aside");
        };
        assert_eq!(reading.notices, ["read"]);
        let (part, _) = back[0].evaluated.as_deref().unwrap();
        assert_eq!(part.notices, ["evaluated early"]);
        assert!(matches!(back[1].unread, Some(Unread::OneFile)));
        assert!(back[1].evaluated.is_none());
    }

    /// Thousands of playbooks reaching the same task files and one of their
    /// own: what is covered is each file once, in a list with no room to
    /// spare, since the second pass holds it throughout; past the budget,
    /// the same keys on disk.
    #[test]
    fn files_many_playbooks_reach_are_covered_once() {
        let aside = std::sync::Mutex::new(Aside::default());
        let mut spool = Spool::new(1 << 20);
        let playbooks = 5_000;
        for index in 0..playbooks {
            let own = format!("tasks/{index}.yml");
            let unit = deferred(
                index,
                &[
                    (
                        &format!("site-{index}.yml"),
                        &["common.yml", "users.yml", &own],
                    ),
                    (&own, &[]),
                ],
            );
            spool.push(&unit.encode(&aside));
        }
        let log = spool.finish();
        let covered = covered_ansible_units(&log, KEYS_IN_MEMORY).unwrap();
        let KeySet::Memory(keys) = &covered.keys else {
            panic!("5,002 keys fit 1 MB");
        };
        assert_eq!(keys.len(), playbooks + 2);
        assert!(keys.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(keys.capacity(), playbooks + 2);
        // 64 keys in memory at a time.
        let on_disk = covered_ansible_units(&log, 1024).unwrap();
        assert!(on_disk.keys.on_disk());
        assert_eq!(on_disk.keys.len(), playbooks + 2);
        for covered in [&covered, &on_disk] {
            assert!(covered.contains("common.yml") && covered.contains("tasks/4999.yml"));
            assert!(!covered.contains("site-7.yml"));
            assert!(lock(&covered.failed).is_none());
        }
    }
}

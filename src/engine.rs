//! Evaluating rules on documents. Each worker thread owns a clone of each
//! rule's compiled engine (cheap once warmed up), so evaluation takes no
//! locks; a rule runs only on documents holding something it examines.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use rayon::prelude::*;
use serde::Deserialize;
use serde_json::Value;

use crate::document::{Document, Seg};
use crate::finding::{Finding, Inconclusive, Related};
use crate::memo::{Memo, RuleRun};
use crate::parse::FileError;
use crate::rules::{Compiled, Rule, RuleMeta, RuleSet};

/// What evaluating one document produced.
#[derive(Debug, Default)]
pub struct DocOutcome {
    pub findings: Vec<Finding>,
    pub errors: Vec<FileError>,
    pub warnings: Vec<String>,
    /// `print()` output of rules, prefixed with the rule code.
    pub prints: Vec<String>,
    pub inconclusive: Vec<Inconclusive>,
    /// Each rule run on the document, with what it examined.
    pub evaluations: Vec<Evaluation>,
}

/// A rule run on a document: the unit of a test report and of evidence.
#[derive(Debug, Clone)]
pub struct Evaluation {
    pub rule: Arc<RuleMeta>,
    /// Shared by the document's evaluations: a run may record millions.
    pub unit: Arc<str>,
    /// The resources of the kinds the rule examines (all of the document's
    /// when the rule names none).
    pub examined: Vec<String>,
}

/// The resources of a document a rule examines.
pub fn examined(rule: &Rule, doc: &Document) -> Vec<String> {
    let kinds = &rule.meta.applies_to;
    doc.resources
        .iter()
        .filter(|r| kinds.is_empty() || kinds.iter().any(|k| k == "*" || *k == r.kind))
        .map(|r| r.address.clone())
        .collect()
}

/// The rules to run in one engine on one input: this worker's copy of the
/// engine, taken out of its slot so that it can go to its own task, and
/// each rule's place among the document's runs with its queries.
struct Batch<'c> {
    id: usize,
    engine: regorus::Engine,
    rules: Vec<(usize, &'c Compiled)>,
}

/// Rules run on regorus's interpreter. Its compiled VM (`rvm`) used about
/// 40% less CPU on the corpus but silently missed findings of two built-in
/// rules (regorus 0.14.1; see docs/architecture.md), so it is not used.
pub struct Evaluator<'a> {
    rules: &'a RuleSet,
    /// This worker's copy of each engine the rules run in (by
    /// `Rule::engine_id`), taken when a document first needs one.
    engines: Vec<Option<regorus::Engine>>,
    /// Whether each `Evaluation` lists the resources the rule examined:
    /// only evidence needs them, and they are built per rule and document.
    record_examined: bool,
    /// Results of the run's earlier documents with the same input.
    memo: Option<&'a Memo>,
}

impl RuleSet {
    pub fn evaluator(&self) -> Evaluator<'_> {
        self.evaluator_recording(true)
    }

    pub fn evaluator_recording(&self, record_examined: bool) -> Evaluator<'_> {
        Evaluator {
            rules: self,
            engines: vec![None; self.engines],
            record_examined,
            memo: None,
        }
    }
}

/// Whether a rule can have anything to say about a document.
pub fn applies(rule: &Rule, doc: &Document) -> bool {
    let meta = &rule.meta;
    meta.targets.contains(&doc.format)
        && (meta.applies_to.is_empty()
            || meta
                .applies_to
                .iter()
                .any(|kind| kind == "*" || doc.has_kind(kind)))
}

/// A document's object keys and string values, lowercased, one per line:
/// what `custom.mentions` words are looked for in. Built once per document,
/// and only when a rule that declares words applies to it.
struct Mentioned(String);

impl Mentioned {
    fn of(input: &Value) -> Self {
        fn gather(value: &Value, text: &mut String) {
            match value {
                Value::String(s) => push_lowercase(s, text),
                Value::Array(items) => items.iter().for_each(|item| gather(item, text)),
                Value::Object(map) => {
                    for (key, item) in map {
                        push_lowercase(key, text);
                        gather(item, text);
                    }
                }
                Value::Null | Value::Bool(_) | Value::Number(_) => {}
            }
        }
        fn push_lowercase(s: &str, text: &mut String) {
            if s.is_ascii() {
                text.extend(s.chars().map(|c| c.to_ascii_lowercase()));
            } else {
                text.push_str(&s.to_lowercase());
            }
            text.push('\n');
        }
        let mut text = String::new();
        gather(input, &mut text);
        Mentioned(text)
    }

    /// Whether the document holds any of the (lowercased) words. A word
    /// found across two keys or values only costs an evaluation.
    fn any(&self, words: &[String]) -> bool {
        words.iter().any(|word| self.0.contains(word.as_str()))
    }
}

impl<'a> Evaluator<'a> {
    /// Answers documents whose input was evaluated before from `memo`.
    pub fn remembering(mut self, memo: &'a Memo) -> Self {
        self.memo = Some(memo);
        self
    }

    pub fn evaluate(&mut self, doc: &Document) -> DocOutcome {
        let mut outcome = DocOutcome::default();
        let applicable: Vec<&Rule> = self
            .rules
            .rules
            .iter()
            .filter(|r| applies(r, doc))
            .collect();
        if applicable.is_empty() {
            return outcome;
        }
        let key = self.memo.and_then(|_| Memo::key(doc));
        let mut input = None;
        let mut mentioned: Option<Mentioned> = None;
        let unit: Arc<str> = Arc::from(doc.unit.as_str());
        // What each rule has to say, in rule order: remembered, or to be
        // run below, all of them before any is reported.
        let mut runs: Vec<(&Rule, Option<Arc<RuleRun>>)> = Vec::with_capacity(applicable.len());
        let mut to_run: Vec<(usize, &Compiled)> = Vec::new();
        for rule in applicable {
            if !doc.files.is_empty() {
                outcome.evaluations.push(Evaluation {
                    rule: Arc::clone(&rule.meta),
                    unit: Arc::clone(&unit),
                    examined: if self.record_examined {
                        examined(rule, doc)
                    } else {
                        Vec::new()
                    },
                });
            }
            // A document holding none of the rule's words is one it cannot
            // report on: recorded above as evaluated, with nothing to say.
            if !rule.meta.mentions.is_empty()
                && !mentioned
                    .get_or_insert_with(|| Mentioned::of(&doc.input))
                    .any(&rule.meta.mentions)
            {
                continue;
            }
            if let (Some(memo), Some(key)) = (self.memo, key)
                && let Some(run) = memo.get(key, &rule.entry)
            {
                runs.push((rule, Some(run)));
                continue;
            }
            if rule.strikes.load(Ordering::Relaxed) >= crate::rules::MAX_STRIKES {
                outcome.warnings.push(format!(
                    "rule {} ({}) exceeded the work limit on {} document(s) and was not run on the others",
                    rule.meta.id,
                    rule.file,
                    crate::rules::MAX_STRIKES
                ));
                continue;
            }
            if input.is_none() {
                match regorus::Value::deserialize(&doc.input) {
                    Ok(value) => input = Some(value),
                    Err(e) => {
                        outcome.errors.push(doc_error(
                            doc,
                            format!("cannot hand the document to rules: {e}"),
                        ));
                        return outcome;
                    }
                }
            }
            match rule.compiled() {
                Ok(compiled) => {
                    to_run.push((runs.len(), compiled));
                    runs.push((rule, None));
                }
                Err(e) => outcome.errors.push(doc_error(
                    doc,
                    format!(
                        "rule {} ({}) cannot run: {}",
                        rule.meta.id, rule.file, e.message
                    ),
                )),
            }
        }
        if let Some(input) = &input {
            for (at, run) in self.run_all(&runs, &to_run, input) {
                if let (Some(memo), Some(key)) = (self.memo, key) {
                    memo.insert(key, &runs[at].0.entry, Arc::clone(&run));
                }
                runs[at].1 = Some(run);
            }
        }
        for (rule, run) in runs {
            if let Some(run) = run {
                self.report(rule, doc, &run, &mut outcome);
            }
        }
        outcome
    }

    /// Runs rules on one input, each in this worker's copy of its engine:
    /// `to_run` pairs a place in `runs` with the rule's queries. The
    /// engines run side by side when the rule set says so.
    fn run_all(
        &mut self,
        runs: &[(&Rule, Option<Arc<RuleRun>>)],
        to_run: &[(usize, &Compiled)],
        input: &regorus::Value,
    ) -> Vec<(usize, Arc<RuleRun>)> {
        let mut batches: Vec<Batch<'_>> = Vec::new();
        for &(at, compiled) in to_run {
            let rule = runs[at].0;
            let id = rule.engine_id();
            match batches.iter_mut().find(|batch| batch.id == id) {
                Some(batch) => batch.rules.push((at, compiled)),
                None => {
                    let Some(slot) = self.engines.get_mut(id) else {
                        continue;
                    };
                    let mut engine = slot.take().unwrap_or_else(|| rule.engine().clone());
                    // Values are shared, so each engine's copy is a pointer.
                    engine.set_input(input.clone());
                    batches.push(Batch {
                        id,
                        engine,
                        rules: vec![(at, compiled)],
                    });
                }
            }
        }
        let run_batch = |batch: &mut Batch<'_>| {
            let Batch { engine, rules, .. } = batch;
            rules
                .iter()
                .map(|&(at, compiled)| (at, Arc::new(run(engine, runs[at].0, compiled))))
                .collect::<Vec<_>>()
        };
        let done: Vec<(usize, Arc<RuleRun>)> = if self.rules.side_by_side && batches.len() > 1 {
            batches
                .par_iter_mut()
                .with_max_len(1)
                .flat_map_iter(run_batch)
                .collect()
        } else {
            batches.iter_mut().flat_map(run_batch).collect()
        };
        for batch in batches {
            self.engines[batch.id] = Some(batch.engine);
        }
        done
    }

    /// Turns what a rule said about the document's input into findings,
    /// inconclusive checks and errors located in the document.
    fn report(&mut self, rule: &Rule, doc: &Document, run: &RuleRun, outcome: &mut DocOutcome) {
        outcome
            .prints
            .extend(run.prints.iter().map(|p| format!("{}: {p}", rule.meta.id)));
        match &run.deny {
            Ok(regorus::Value::Set(set)) => {
                for violation in set.iter() {
                    self.violation(rule, doc, violation, outcome);
                }
            }
            Ok(regorus::Value::Undefined) => {}
            Ok(_) => outcome.errors.push(doc_error(
                doc,
                format!(
                    "rule {} ({}): `deny` must be a set of objects",
                    rule.meta.id, rule.file
                ),
            )),
            Err(text) => {
                let what = if crate::rules::is_work_limit(text) {
                    "was stopped by the work limit"
                } else {
                    "failed"
                };
                outcome.errors.push(doc_error(
                    doc,
                    format!(
                        "rule {} ({}) {what} on {}: {}",
                        rule.meta.id,
                        rule.file,
                        doc.unit,
                        first_line(text)
                    ),
                ));
                return;
            }
        }
        if let Some(inconclusive) = &run.inconclusive {
            self.inconclusive(rule, inconclusive, doc, outcome);
        }
    }

    /// Checks the rule could not decide, minus resources it failed anyway.
    fn inconclusive(
        &mut self,
        rule: &Rule,
        result: &Result<regorus::Value, String>,
        doc: &Document,
        outcome: &mut DocOutcome,
    ) {
        let set = match result {
            Ok(regorus::Value::Set(set)) => set,
            Ok(regorus::Value::Undefined) => return,
            Ok(_) => {
                outcome.errors.push(doc_error(
                    doc,
                    format!(
                        "rule {} ({}): `inconclusive` must be a set of objects",
                        rule.meta.id, rule.file
                    ),
                ));
                return;
            }
            Err(e) => {
                outcome.errors.push(doc_error(
                    doc,
                    format!(
                        "rule {} ({}) failed on {} while listing inconclusive checks: {}",
                        rule.meta.id,
                        rule.file,
                        doc.unit,
                        first_line(e)
                    ),
                ));
                return;
            }
        };
        let failed: Vec<Option<String>> = outcome
            .findings
            .iter()
            .filter(|f| f.rule.id == rule.meta.id && f.unit == doc.unit)
            .map(|f| f.resource.clone())
            .collect();
        for item in set.iter() {
            let value = serde_json::to_value(item).unwrap_or(Value::Null);
            let Some(path) = value
                .get("path")
                .and_then(Value::as_array)
                .and_then(|p| p.iter().map(Seg::from_json).collect::<Option<Vec<Seg>>>())
            else {
                outcome.errors.push(doc_error(
                    doc,
                    format!(
                        "rule {} ({}) returned an `inconclusive` entry without a `path` array",
                        rule.meta.id, rule.file
                    ),
                ));
                continue;
            };
            let resource = doc.resource_for(&path).map(|r| r.address.clone());
            if failed.contains(&resource) {
                continue;
            }
            let located = doc.spans.locate(&path, &doc.files);
            let Some(file) = doc.files.get(located.primary.file as usize) else {
                continue;
            };
            outcome.inconclusive.push(Inconclusive {
                rule: Arc::clone(&rule.meta),
                message: value
                    .get("msg")
                    .and_then(Value::as_str)
                    .unwrap_or("a value this rule needs is not known until apply")
                    .to_string(),
                file: Arc::clone(file),
                span: located.primary,
                start: file.line_col(located.primary.start as usize),
                resource,
                unit: doc.unit.clone(),
            });
        }
    }

    fn violation(
        &self,
        rule: &Rule,
        doc: &Document,
        violation: &regorus::Value,
        outcome: &mut DocOutcome,
    ) {
        let value = serde_json::to_value(violation).unwrap_or(Value::Null);
        let shape_error = |what: &str| {
            doc_error(
                doc,
                format!(
                    "rule {} ({}:{}) returned {what}; each `deny` entry must be {{\"msg\": string, \"path\": array}}, got {}",
                    rule.meta.id,
                    rule.file,
                    rule.deny_line,
                    truncate(&value.to_string(), 200)
                ),
            )
        };
        let Some(message) = value.get("msg").and_then(Value::as_str) else {
            outcome
                .errors
                .push(shape_error("an entry without a string `msg`"));
            return;
        };
        let Some(raw_path) = value.get("path").and_then(Value::as_array) else {
            outcome
                .errors
                .push(shape_error("an entry without a `path` array"));
            return;
        };
        let Some(path) = raw_path
            .iter()
            .map(Seg::from_json)
            .collect::<Option<Vec<Seg>>>()
        else {
            outcome.errors.push(shape_error(
                "a `path` whose steps are not all strings or whole numbers",
            ));
            return;
        };
        let located = doc.spans.locate(&path, &doc.files);
        if located.matched < path.len() {
            outcome.warnings.push(format!(
                "rule {} returned path {} which does not exist in {}; showing its nearest ancestor",
                rule.meta.id,
                serde_json::to_string(raw_path).unwrap_or_default(),
                doc.unit
            ));
        }
        let Some(file) = doc.files.get(located.primary.file as usize) else {
            outcome.errors.push(doc_error(
                doc,
                "a finding pointed outside the document's files".into(),
            ));
            return;
        };
        let label = value
            .get("label")
            .and_then(Value::as_str)
            .map(str::to_string);
        let resource = doc.resource_for(&path).map(|r| r.address.clone());
        let related = located
            .origins
            .iter()
            .filter_map(|origin| {
                let file = doc.files.get(origin.span.file as usize)?;
                Some(Related {
                    file: Arc::clone(file),
                    span: origin.span,
                    start: file.line_col(origin.span.start as usize),
                    end: file.line_col(origin.span.end as usize),
                    message: origin.role.label().to_string(),
                })
            })
            .collect();
        outcome.findings.push(Finding {
            rule: Arc::clone(&rule.meta),
            message: message.to_string(),
            label,
            file: Arc::clone(file),
            span: located.primary,
            start: file.line_col(located.primary.start as usize),
            end: file.line_col(located.primary.end as usize),
            resource,
            unit: doc.unit.clone(),
            path,
            related,
        });
    }
}

/// Evaluates a rule's `deny`, and its `inconclusive` when it has one (in the
/// same query where the rule set could combine them), on the input set last.
fn run(engine: &mut regorus::Engine, rule: &Rule, compiled: &Compiled) -> RuleRun {
    let (deny, inconclusive) = match &compiled.combined {
        None => {
            let deny = engine.eval_rule(compiled.entry.clone());
            let inconclusive = match (&deny, &compiled.inconclusive) {
                (Ok(_), Some(entry)) => Some(engine.eval_rule(entry.clone())),
                _ => None,
            };
            (deny, inconclusive)
        }
        Some(combined) => match engine.eval_rule(combined.clone()) {
            Ok(regorus::Value::Array(both)) if both.len() == 2 => {
                (Ok(both[0].clone()), Some(Ok(both[1].clone())))
            }
            Ok(other) => (Ok(other), None),
            Err(e) => (Err(e), None),
        },
    };
    let deny = deny.map_err(|e| e.to_string());
    if let Err(text) = &deny
        && crate::rules::is_work_limit(text)
    {
        rule.strikes.fetch_add(1, Ordering::Relaxed);
    }
    RuleRun {
        deny,
        inconclusive: inconclusive.map(|r| r.map_err(|e| e.to_string())),
        prints: engine.take_prints().unwrap_or_default(),
    }
}

fn doc_error(doc: &Document, message: String) -> FileError {
    match doc.files.first() {
        Some(file) => FileError::at(file, 0, message),
        None => FileError::whole_file(&doc.unit, message),
    }
}

fn first_line(text: &str) -> String {
    let text = text.trim();
    match text.rfind("error: ") {
        Some(i) => text[i + 7..].trim().to_string(),
        None => text.lines().next().unwrap_or("").to_string(),
    }
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let cut: String = text.chars().take(max).collect();
        format!("{cut}…")
    }
}

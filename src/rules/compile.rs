//! Compiling rules into regorus engines.
//!
//! A rule runs in an engine holding it and only the modules it reads
//! (`dependencies`): regorus walks every module of an engine whenever a rule
//! reads a `data.` path it has not computed yet, so with all rules in one
//! engine that walk was most of the evaluation time. Rules reading the same
//! modules start from one base engine that parsed them once.
//!
//! Usually each rule gets its own engine. In a run naming files, the
//! built-in rules reading the same modules share a few instead, one per
//! worker: such a run evaluates a document or two, so analysing their
//! library once per worker, not once per rule, matters more there, and the
//! workers evaluate a document's engines side by side.
//!
//! An engine is built, analysed and checked on an empty document when a
//! rule in it is first needed: custom rules at load time, so a bad one stops
//! the run before any file is read, and built-in ones when a document first
//! needs them, so a run pays (about a megabyte each) only for those.
//!
//! Built-in rules pass that check (`RuleSources::verify_builtin` runs it,
//! and a test does), so a check run skips it for them: one evaluation on an
//! empty document still analyses their engine before workers clone it. The
//! check's other evaluations cost a tenth of a one-playbook pre-commit run.

use std::sync::{Arc, OnceLock};

use regorus::Engine;

use super::{
    Candidate, RuleError, RuleLimits, builtins, first_line, is_withheld, is_work_limit, metadata,
    rego_error, value_kind,
};

/// A rule's queries, ready to evaluate on its recipe's engine.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// The query that yields its violations.
    pub entry: String,
    /// The query for the checks the rule could not decide because a value
    /// is unknown (`inconclusive`), when the rule defines one.
    pub inconclusive: Option<String>,
    /// For a rule with `inconclusive`: one query yielding `[deny,
    /// inconclusive]`, so the helper rules both read are
    /// computed once per document (regorus forgets them between queries).
    pub combined: Option<String>,
}

/// Why a rule cannot run.
#[derive(Debug, Clone)]
pub(super) enum Failure {
    /// The rule is wrong.
    Error(RuleError),
    /// The rule cannot run here (a withheld function, the work limit on an
    /// empty document), but the others can.
    Stopped(RuleError),
}

impl Failure {
    pub(super) fn error(&self) -> &RuleError {
        match self {
            Failure::Error(e) | Failure::Stopped(e) => e,
        }
    }
}

/// What one engine is built from: a base engine holding the modules its
/// rules read, and the rules.
#[derive(Debug)]
pub(super) struct Recipe {
    /// Its place among the rule set's engines.
    pub(super) id: usize,
    /// The candidates of the rules it holds.
    members: Vec<usize>,
    /// Their codes, for errors.
    ids: Vec<String>,
    base: Arc<Engine>,
    candidates: Arc<Vec<Candidate>>,
    limits: RuleLimits,
    /// Its rules are built-in and not to be checked (see the module notes).
    trusted: bool,
    built: OnceLock<Built>,
}

#[derive(Debug)]
struct Built {
    /// Analysed and warmed up: workers clone it, which is then cheap.
    engine: Engine,
    members: Vec<Result<Compiled, Failure>>,
}

impl Recipe {
    pub(super) fn new(
        id: usize,
        base: Arc<Engine>,
        candidates: Arc<Vec<Candidate>>,
        limits: RuleLimits,
        trusted: bool,
    ) -> Recipe {
        Recipe {
            id,
            members: Vec::new(),
            ids: Vec::new(),
            base,
            candidates,
            limits,
            trusted,
            built: OnceLock::new(),
        }
    }

    /// Adds the rule of candidate `index`; its place among the members.
    pub(super) fn add(&mut self, index: usize, rule_id: &str) -> usize {
        self.members.push(index);
        self.ids.push(rule_id.to_string());
        self.members.len() - 1
    }

    /// The engine, built on first use.
    pub(super) fn engine(&self) -> &Engine {
        &self.built().engine
    }

    /// A member's queries, or why it cannot run; built on first use.
    /// `member` is the place `add` returned.
    pub(super) fn member(&self, member: usize) -> Result<&Compiled, &Failure> {
        self.built().members[member].as_ref()
    }

    fn built(&self) -> &Built {
        self.built.get_or_init(|| build(self))
    }
}

pub(super) fn new_engine(limits: RuleLimits) -> Result<Engine, RuleError> {
    let mut engine = Engine::new();
    engine.set_gather_prints(true);
    engine.set_execution_timer_config(limits.timer());
    builtins::register(&mut engine).map_err(|e| RuleError {
        file: "(clause)".into(),
        line: 1,
        column: 1,
        message: format!("cannot register clause's built-in functions: {e}"),
        source: None,
    })?;
    Ok(engine)
}

fn build(recipe: &Recipe) -> Built {
    if recipe.trusted
        && let Some(built) = build_trusted(recipe)
    {
        return built;
    }
    let mut engine = (*recipe.base).clone();
    let added: Vec<Result<String, Failure>> = recipe
        .members
        .iter()
        .map(|&index| {
            let candidate = &recipe.candidates[index];
            engine
                .add_policy(candidate.file.clone(), candidate.text.to_string())
                .map_err(|e| {
                    Failure::Error(rego_error(&e.to_string(), candidate, &recipe.candidates))
                })
        })
        .collect();
    let mut combined = vec![None; added.len()];
    if let ([Ok(package)], [index]) = (added.as_slice(), recipe.members.as_slice()) {
        if let Some((combining, query)) =
            with_combined(&engine, &recipe.candidates[*index].text, package)
        {
            engine = combining;
            combined[0] = Some(query);
        }
    } else {
        // Several rules: one combining module each, checked with the rule.
        for (member, package) in added.iter().enumerate() {
            let text = &recipe.candidates[recipe.members[member]].text;
            if let Ok(package) = package
                && defines_inconclusive(text)
            {
                let name = format!("clause_evaluation.combined_{member}");
                if engine
                    .add_policy(
                        format!("(clause)/{name}.rego"),
                        combining_module(&name, package),
                    )
                    .is_ok()
                {
                    combined[member] = Some(format!("data.{name}.both"));
                }
            }
        }
    }
    let members = added
        .into_iter()
        .zip(combined)
        .enumerate()
        .map(|(member, (package, combined))| {
            check(&mut engine, recipe, member, &package?, combined)
        })
        .collect();
    Built { engine, members }
}

/// A built-in recipe's engine without the checks: every module added, and
/// analysed by one evaluation on an empty document. `None` when anything
/// fails, so the checked build can say what.
fn build_trusted(recipe: &Recipe) -> Option<Built> {
    let mut engine = (*recipe.base).clone();
    let mut members = Vec::with_capacity(recipe.members.len());
    let single = recipe.members.len() == 1;
    for (member, &index) in recipe.members.iter().enumerate() {
        let candidate = &recipe.candidates[index];
        let package = engine
            .add_policy(candidate.file.clone(), candidate.text.to_string())
            .ok()?;
        let inconclusive =
            defines_inconclusive(&candidate.text).then(|| format!("{package}.inconclusive"));
        let combined = match &inconclusive {
            Some(_) => {
                let name = if single {
                    "clause_evaluation.combined".to_string()
                } else {
                    format!("clause_evaluation.combined_{member}")
                };
                engine
                    .add_policy(
                        format!("(clause)/{name}.rego"),
                        combining_module(&name, &package),
                    )
                    .ok()?;
                Some(format!("data.{name}.both"))
            }
            None => None,
        };
        members.push(Compiled {
            entry: format!("{package}.deny"),
            inconclusive,
            combined,
        });
    }
    let first = members.first()?;
    let warm_up = first.combined.as_ref().unwrap_or(&first.entry).clone();
    engine.set_input(regorus::Value::new_object());
    let warmed = engine.eval_rule(warm_up).is_ok();
    let _ = engine.take_prints();
    warmed.then(|| Built {
        engine,
        members: members.into_iter().map(Ok).collect(),
    })
}

/// For a rule that defines `inconclusive`, its engine with a module whose
/// one rule is `[deny, inconclusive]`. It is added before the first
/// evaluation, because regorus analyses every module again on the first
/// evaluation after an addition. `None` when regorus will not have it: the
/// rule then takes two queries.
fn with_combined(engine: &Engine, text: &str, package: &str) -> Option<(Engine, String)> {
    if !defines_inconclusive(text) {
        return None;
    }
    let mut combined = engine.clone();
    let name = "clause_evaluation.combined";
    combined
        .add_policy(
            format!("(clause)/{name}.rego"),
            combining_module(name, package),
        )
        .ok()?;
    let query = format!("data.{name}.both");
    combined.set_input(regorus::Value::new_object());
    match combined.eval_rule(query.clone()) {
        Ok(regorus::Value::Array(_)) => Some((combined, query)),
        _ => None,
    }
}

fn defines_inconclusive(text: &str) -> bool {
    text.lines()
        .any(|l| l.starts_with("inconclusive ") || l.starts_with("inconclusive["))
}

fn combining_module(name: &str, package: &str) -> String {
    format!("package {name}\n\nboth := [{package}.deny, {package}.inconclusive]\n")
}

/// Evaluates a member once on an empty document: unknown functions and
/// conflicting rules only surface when a rule is first evaluated, and a
/// `deny` that is not a set is a mistake in the rule.
fn check(
    engine: &mut Engine,
    recipe: &Recipe,
    member: usize,
    package: &str,
    combined: Option<String>,
) -> Result<Compiled, Failure> {
    let candidates = &recipe.candidates;
    let candidate = &candidates[recipe.members[member]];
    let id = &recipe.ids[member];
    engine.set_input(regorus::Value::new_object());
    let error = |message: String| RuleError {
        file: candidate.file.clone(),
        line: 1,
        column: 1,
        message,
        source: Some(candidate.text.clone()),
    };
    let entry = format!("{package}.deny");
    let checked = match engine.eval_rule(entry.clone()) {
        Ok(regorus::Value::Set(_)) => Ok(()),
        Ok(regorus::Value::Undefined) => Err(Failure::Error(error(format!(
            "rule {id} defines no `deny` set (write `deny contains {{\"msg\": ..., \"path\": [...]}} if {{ ... }}`)"
        )))),
        Ok(other) => Err(Failure::Error(error(format!(
            "`deny` of rule {id} must be a set of objects, not {}",
            value_kind(&other)
        )))),
        Err(e) if is_withheld(&e.to_string()) => Err(Failure::Stopped(rego_error(
            &e.to_string(),
            candidate,
            candidates,
        ))),
        Err(e) if is_work_limit(&e.to_string()) => Err(Failure::Stopped(RuleError {
            line: metadata::extract(&candidate.text)
                .map(|(_, l)| l)
                .unwrap_or(1),
            ..error(format!(
                "rule {id} was stopped by the work limit ({} s) when run on an empty document, so it is not run: {}",
                recipe.limits.time_per_evaluation.as_secs_f32(),
                first_line(&e.to_string())
            ))
        })),
        Err(e) => Err(Failure::Error(rego_error(
            &e.to_string(),
            candidate,
            candidates,
        ))),
    };
    // `inconclusive` is optional: a rule without it simply says nothing
    // about the checks it could not decide.
    let inconclusive = checked.and_then(|()| {
        let entry = format!("{package}.inconclusive");
        match engine.eval_rule(entry.clone()) {
            Ok(regorus::Value::Set(_)) => Ok(Some(entry)),
            Ok(regorus::Value::Undefined) | Err(_) => Ok(None),
            Ok(other) => Err(Failure::Error(error(format!(
                "`inconclusive` of rule {id} must be a set of objects, not {}",
                value_kind(&other)
            )))),
        }
    });
    // A combining module regorus evaluates to anything but the pair is not
    // used: the rule then takes two queries.
    let combined = combined.filter(|query| {
        matches!(
            engine.eval_rule(query.clone()),
            Ok(regorus::Value::Array(_))
        )
    });
    let _ = engine.take_prints();
    let inconclusive = inconclusive?;
    Ok(Compiled {
        entry,
        combined: inconclusive.as_ref().and(combined),
        inconclusive,
    })
}

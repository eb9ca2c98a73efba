//! `clause test`: a platform team's rules against their fixtures (the same
//! `# expect:` markers the built-in suite uses), their Rego unit tests
//! (`test_*` rules in `*_test.rego` files, with `with input as` mocking),
//! and which rule lines neither ever reached.

use std::path::{Path, PathBuf};

use crate::check::{CheckConfig, load_all};
use crate::fixtures::{self, CaseResult};
use crate::rules::{Rule, RuleSet};

/// How one rule fared against its fixtures.
#[derive(Debug)]
pub struct RuleReport {
    pub id: String,
    pub file: String,
    /// Where its fixtures were looked for or found.
    pub fixture_dir: Option<PathBuf>,
    pub cases: Vec<CaseResult>,
    /// What is missing: no fixtures at all, no failing or no passing case.
    pub problems: Vec<String>,
}

impl RuleReport {
    pub fn passed(&self) -> bool {
        self.problems.is_empty() && self.cases.iter().all(CaseResult::passed)
    }
}

/// One `test_*` rule.
#[derive(Debug)]
pub struct UnitTest {
    pub name: String,
    pub file: String,
    pub line: usize,
    /// Why it failed; `None` when it passed.
    pub failure: Option<String>,
}

/// Lines of a rule file no fixture or unit test evaluated.
#[derive(Debug)]
pub struct FileCoverage {
    pub file: String,
    pub covered: usize,
    pub not_covered: Vec<u32>,
    pub code: String,
}

#[derive(Debug, Default)]
pub struct TestReport {
    pub rules: Vec<RuleReport>,
    pub unit_tests: Vec<UnitTest>,
    pub coverage: Option<Vec<FileCoverage>>,
}

impl TestReport {
    pub fn passed(&self) -> bool {
        self.rules.iter().all(RuleReport::passed)
            && self.unit_tests.iter().all(|t| t.failure.is_none())
    }
}

fn absolute(path: &Path) -> PathBuf {
    crate::parse::terraform::module::normalize(
        &std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()),
    )
}

/// The rules whose files sit under one of `dirs`.
pub fn rules_under<'a>(rules: &'a RuleSet, dirs: &[PathBuf]) -> Vec<&'a Rule> {
    let roots: Vec<PathBuf> = dirs.iter().map(|d| absolute(d)).collect();
    rules
        .rules
        .iter()
        .filter(|r| {
            !r.builtin
                && roots
                    .iter()
                    .any(|root| absolute(Path::new(&r.file)).starts_with(root))
        })
        .collect()
}

/// `*_test.rego` files under the folders.
pub fn test_files(dirs: &[PathBuf]) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = dirs
        .iter()
        .flat_map(|dir| {
            ignore::WalkBuilder::new(dir)
                .standard_filters(false)
                .hidden(true)
                .build()
                .filter_map(Result::ok)
                .map(|e| e.into_path())
                .filter(|p| p.is_file() && p.to_string_lossy().ends_with("_test.rego"))
        })
        .collect();
    files.sort();
    files.dedup();
    files
}

/// Runs every rule under `dirs` against its fixtures, then the unit tests.
pub fn run(rules: &RuleSet, dirs: &[PathBuf], coverage: bool) -> TestReport {
    let mut report = TestReport::default();
    for rule in rules_under(rules, dirs) {
        let fixture_dir = fixtures::custom_fixture_dir(rule);
        let mut problems = Vec::new();
        let cases = match &fixture_dir {
            Some(dir) => fixtures::cases(dir)
                .iter()
                .map(|case| fixtures::run_case(rules, &rule.meta.id, case))
                .collect::<Vec<_>>(),
            None => Vec::new(),
        };
        if fixture_dir.is_none() {
            let stem = Path::new(&rule.file)
                .file_stem()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_default();
            problems.push(format!(
                "no fixtures: add files that fail and pass the rule under fixtures/{stem}/ beside {}",
                rule.file
            ));
        } else {
            if !cases.iter().any(CaseResult::is_failing_case) {
                problems.push(
                    "no failing fixture: add one with `# expect: CODE` where the finding must point"
                        .into(),
                );
            }
            if !cases.iter().any(|c| !c.is_failing_case()) {
                problems.push("no passing fixture: add one that must produce no finding".into());
            }
        }
        report.rules.push(RuleReport {
            id: rule.meta.id.clone(),
            file: rule.file.clone(),
            fixture_dir,
            cases,
            problems,
        });
    }

    let mut engine = rules.whole_engine();
    if coverage {
        engine.set_enable_coverage(true);
        engine.clear_coverage_data();
        cover_fixtures(&mut engine, rules, dirs, &report);
    }
    report.unit_tests = unit_tests(&mut engine, dirs);
    if coverage {
        report.coverage = Some(coverage_of(&engine, rules, dirs));
    }
    report
}

/// Evaluates each rule under test on its fixtures' documents in `engine`,
/// which records the lines reached.
fn cover_fixtures(
    engine: &mut regorus::Engine,
    rules: &RuleSet,
    dirs: &[PathBuf],
    report: &TestReport,
) {
    for rule in rules_under(rules, dirs) {
        let Some(entry) = report.rules.iter().find(|r| r.id == rule.meta.id) else {
            continue;
        };
        for case in &entry.cases {
            let config = CheckConfig {
                paths: vec![case.case.clone()],
                whole_modules: false,
                ..CheckConfig::default()
            };
            let (loaded, _) = load_all(&config);
            for doc in loaded.iter().flat_map(|l| l.documents.iter()) {
                if !crate::engine::applies(rule, doc) {
                    continue;
                }
                let Ok(input) = <regorus::Value as serde::Deserialize>::deserialize(&doc.input)
                else {
                    continue;
                };
                engine.set_input(input);
                let _ = engine.eval_rule(rule.entry.clone());
                if let Some(inconclusive) =
                    rule.compiled().ok().and_then(|c| c.inconclusive.as_ref())
                {
                    let _ = engine.eval_rule(inconclusive.clone());
                }
            }
        }
    }
}

fn coverage_of(engine: &regorus::Engine, rules: &RuleSet, dirs: &[PathBuf]) -> Vec<FileCoverage> {
    let tested: Vec<&str> = rules_under(rules, dirs)
        .iter()
        .map(|r| r.file.as_str())
        .collect();
    let Ok(report) = engine.get_coverage_report() else {
        return Vec::new();
    };
    report
        .files
        .into_iter()
        .filter(|f| tested.contains(&f.path.as_str()))
        .map(|f| FileCoverage {
            file: f.path,
            covered: f.covered.len(),
            not_covered: f.not_covered.into_iter().collect(),
            code: f.code,
        })
        .collect()
}

/// `test_*` rules of a Rego file, with the line each starts on.
fn test_rules(text: &str) -> (Option<String>, Vec<(String, usize)>) {
    let mut package = None;
    let mut tests: Vec<(String, usize)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if let Some(rest) = line.strip_prefix("package ") {
            package = Some(rest.trim().to_string());
        }
        if let Some(name) = line.strip_prefix("test_") {
            let name: String = name
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            let name = format!("test_{name}");
            if !tests.iter().any(|(n, _)| *n == name) {
                tests.push((name, i + 1));
            }
        }
    }
    (package, tests)
}

fn unit_tests(engine: &mut regorus::Engine, dirs: &[PathBuf]) -> Vec<UnitTest> {
    let mut results = Vec::new();
    for path in test_files(dirs) {
        let file = crate::source::display_path(&path);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                results.push(UnitTest {
                    name: "(file)".into(),
                    file,
                    line: 1,
                    failure: Some(format!("cannot read: {e}")),
                });
                continue;
            }
        };
        if let Err(e) = engine.add_policy(file.clone(), text.clone()) {
            results.push(UnitTest {
                name: "(file)".into(),
                file,
                line: 1,
                failure: Some(first_error_line(&e.to_string())),
            });
            continue;
        }
        let (package, tests) = test_rules(&text);
        let Some(package) = package else {
            continue;
        };
        for (name, line) in tests {
            engine.set_input(regorus::Value::new_object());
            let failure = match engine.eval_rule(format!("data.{package}.{name}")) {
                Ok(regorus::Value::Bool(true)) => None,
                Ok(regorus::Value::Undefined) => {
                    Some("undefined: some expression in the test was false".to_string())
                }
                Ok(other) => Some(format!(
                    "evaluated to {}, not true",
                    serde_json::to_string(&other).unwrap_or_default()
                )),
                Err(e) => Some(first_error_line(&e.to_string())),
            };
            results.push(UnitTest {
                name,
                file: file.clone(),
                line,
                failure,
            });
        }
    }
    results
}

fn first_error_line(text: &str) -> String {
    let located = text
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("--> "))
        .map(|l| format!(" ({})", l.trim()));
    let message = text
        .rfind("error: ")
        .map(|i| text[i + 7..].trim())
        .unwrap_or(text.trim());
    let message = message.lines().next().unwrap_or(message);
    format!("{message}{}", located.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_test_rules_and_their_package() {
        let (package, tests) = test_rules(
            "package acme.debug_test\n\ntest_denies if {\n  true\n}\ntest_allows {\n}\ntest_denies if { false }\nnot_a_test := 1\n",
        );
        assert_eq!(package.as_deref(), Some("acme.debug_test"));
        assert_eq!(
            tests,
            vec![
                ("test_denies".to_string(), 3),
                ("test_allows".to_string(), 6)
            ]
        );
    }
}

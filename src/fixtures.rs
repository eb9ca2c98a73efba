//! Rule fixtures: real IaC files that must fail or pass a rule, with the
//! expected findings marked inline on the line the diagnostic must point at
//! (`# expect: CODE`, or several codes separated by commas). The built-in
//! suite and `clause test` both run through here, so the same mechanism
//! checks shipped rules and the rules platform teams write.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::check::{CheckConfig, check};
use crate::rules::{Rule, RuleSet};

/// `(file as displayed, line, rule code)`.
pub type Expectation = (String, usize, String);

/// The codes marked `expect:` on each line of a file.
pub fn markers(text: &str) -> Vec<(usize, String)> {
    markers_of(text, "expect:")
}

/// The codes marked `inconclusive:` (checks a rule cannot decide because a
/// value is unknown) on each line of a file.
pub fn inconclusive_markers(text: &str) -> Vec<(usize, String)> {
    markers_of(text, "inconclusive:")
}

fn markers_of(text: &str, word: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let Some(at) = line.find(word) else {
            continue;
        };
        let before = line[..at].trim_end();
        // `# expect:` in HCL and YAML; `"//": "expect: ..."` in Terraform
        // JSON, whose `//` property is a comment.
        let in_json_comment = before.ends_with("\"//\": \"") || before.ends_with("\"//\":\"");
        if !before.ends_with('#') && !in_json_comment {
            continue;
        }
        let rest = &line[at + word.len()..];
        let rest = if in_json_comment {
            rest.split('"').next().unwrap_or("")
        } else {
            rest
        };
        for code in rest.split([',', ' ']) {
            let code = code.trim();
            if !code.is_empty() {
                found.push((index + 1, code.to_string()));
            }
        }
    }
    found
}

/// The fixture folder of a built-in rule: `rules/a/b.rego` → `fixtures/a/b/`.
pub fn builtin_fixture_dir(repo: &Path, rule: &Rule) -> PathBuf {
    let relative = rule
        .file
        .strip_prefix("rules/")
        .unwrap_or(&rule.file)
        .trim_end_matches(".rego");
    repo.join("fixtures").join(relative)
}

/// The fixture folder of a custom rule: `fixtures/<slug>/` beside the rule
/// file, or `<slug>/` next to it.
pub fn custom_fixture_dir(rule: &Rule) -> Option<PathBuf> {
    let path = Path::new(&rule.file);
    let stem = path.file_stem()?;
    let dir = path.parent()?;
    [dir.join("fixtures").join(stem), dir.join(stem)]
        .into_iter()
        .find(|p| p.is_dir())
}

/// Every case in a fixture folder: each file or sub-folder is one case (a
/// Terraform case is a module folder; a Kubernetes or Ansible case is a file
/// or a small tree).
pub fn cases(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    !p.file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
                })
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found
}

/// How one case went.
#[derive(Debug, Clone, Default)]
pub struct CaseResult {
    pub case: PathBuf,
    pub expected: Vec<Expectation>,
    pub actual: Vec<Expectation>,
    pub expected_inconclusive: Vec<Expectation>,
    pub actual_inconclusive: Vec<Expectation>,
    /// Parse errors, rule errors and warnings: a fixture must produce none.
    pub problems: Vec<String>,
}

impl CaseResult {
    pub fn passed(&self) -> bool {
        self.problems.is_empty()
            && self.expected == self.actual
            && self.expected_inconclusive == self.actual_inconclusive
    }

    pub fn is_failing_case(&self) -> bool {
        !self.expected.is_empty()
    }

    pub fn missing(&self) -> Vec<&Expectation> {
        multiset_difference(&self.expected, &self.actual)
    }

    pub fn unexpected(&self) -> Vec<&Expectation> {
        multiset_difference(&self.actual, &self.expected)
    }

    pub fn missing_inconclusive(&self) -> Vec<&Expectation> {
        multiset_difference(&self.expected_inconclusive, &self.actual_inconclusive)
    }

    pub fn unexpected_inconclusive(&self) -> Vec<&Expectation> {
        multiset_difference(&self.actual_inconclusive, &self.expected_inconclusive)
    }
}

fn multiset_difference<'a>(a: &'a [Expectation], b: &'a [Expectation]) -> Vec<&'a Expectation> {
    let mut counts: BTreeMap<&Expectation, isize> = BTreeMap::new();
    for e in b {
        *counts.entry(e).or_default() += 1;
    }
    let mut out = Vec::new();
    for e in a {
        let n = counts.entry(e).or_default();
        if *n > 0 {
            *n -= 1;
        } else {
            out.push(e);
        }
    }
    out
}

/// Runs one rule (alone) over one case and compares with the markers.
pub fn run_case(rules: &RuleSet, rule_id: &str, case: &Path) -> CaseResult {
    let mut only = rules.clone();
    only.retain(|r| r.meta.id == rule_id);
    let config = CheckConfig {
        paths: vec![case.to_path_buf()],
        whole_modules: false,
        ..CheckConfig::default()
    };
    let outcome = check(&only, &config);
    let mut expected = Vec::new();
    let files: Vec<PathBuf> = if case.is_dir() {
        ignore::WalkBuilder::new(case)
            .hidden(false)
            .build()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
            .map(|e| e.into_path())
            .collect()
    } else {
        vec![case.to_path_buf()]
    };
    let mut problems = Vec::new();
    let mut expected_inconclusive = Vec::new();
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        let shown = crate::source::display_path(&file);
        for (list, found) in [
            (&mut expected, markers(&text)),
            (&mut expected_inconclusive, inconclusive_markers(&text)),
        ] {
            for (line, code) in found {
                if code != rule_id {
                    problems.push(format!(
                        "{shown}:{line}: marker names {code}, but this folder holds fixtures of {rule_id}"
                    ));
                }
                list.push((shown.clone(), line, code));
            }
        }
    }
    let mut actual_inconclusive: Vec<Expectation> = outcome
        .inconclusive
        .iter()
        .map(|i| (i.file.display.clone(), i.start.line, i.rule.id.clone()))
        .collect();
    expected_inconclusive.sort();
    actual_inconclusive.sort();
    let mut actual: Vec<Expectation> = outcome
        .all_findings()
        .map(|f| (f.file.display.clone(), f.start.line, f.rule.id.clone()))
        .collect();
    expected.sort();
    actual.sort();
    problems.extend(
        outcome
            .errors
            .iter()
            .map(|e| format!("{}:{}:{}: {}", e.file, e.line, e.column, e.message)),
    );
    problems.extend(outcome.warnings.iter().cloned());
    CaseResult {
        case: case.to_path_buf(),
        expected,
        actual,
        expected_inconclusive,
        actual_inconclusive,
        problems,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_read_after_a_comment_sign() {
        let text = "a: 1 # expect: CL-1\nb: 2\nc: 3  # expect: CL-1, CL-2\nexpect: not-a-marker\n\"acl\": \"public-read\", \"//\": \"expect: CL-3\"\n";
        assert_eq!(
            markers(text),
            vec![
                (1, "CL-1".to_string()),
                (3, "CL-1".to_string()),
                (3, "CL-2".to_string()),
                (5, "CL-3".to_string())
            ]
        );
    }
}

//! JUnit XML for CI test reports: a test suite per document (module,
//! manifest, playbook), a test case per rule run on it. A rule with findings
//! fails, with each finding's location in the failure text; a rule that could
//! only say "unknown until apply" is skipped; suppressed findings are noted
//! on a passing case. Files that could not be read or parsed are errors in a
//! suite of their own, so a broken file never looks like a clean one.

use std::collections::BTreeMap;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use crate::check::Outcome;
use crate::finding::Finding;

fn located(f: &Finding) -> String {
    let mut line = format!(
        "{}:{}:{}: {}",
        f.file.display, f.start.line, f.start.column, f.message
    );
    if let Some(resource) = &f.resource {
        line.push_str(&format!(" ({resource})"));
    }
    line
}

pub fn render(outcome: &Outcome) -> String {
    type Key<'a> = (&'a str, &'a str);
    // One XML document: every finding is in it anyway.
    let all: Vec<std::borrow::Cow<'_, Finding>> = outcome.all_findings().collect();
    let mut findings: BTreeMap<Key<'_>, Vec<&Finding>> = BTreeMap::new();
    for f in &all {
        findings
            .entry((f.unit.as_str(), f.rule.id.as_str()))
            .or_default()
            .push(f);
    }
    let mut suppressed: BTreeMap<Key<'_>, usize> = BTreeMap::new();
    for s in &outcome.suppressed {
        *suppressed
            .entry((s.finding.unit.as_str(), s.finding.rule.id.as_str()))
            .or_default() += 1;
    }
    let mut inconclusive: BTreeMap<Key<'_>, Vec<String>> = BTreeMap::new();
    for i in &outcome.inconclusive {
        inconclusive
            .entry((i.unit.as_str(), i.rule.id.as_str()))
            .or_default()
            .push(format!(
                "{}:{}:{}: {}",
                i.file.display, i.start.line, i.start.column, i.message
            ));
    }

    // Suites by unit; a finding whose evaluation is not listed still gets
    // a case, so nothing reported elsewhere is missing here.
    let mut suites: BTreeMap<&str, BTreeMap<&str, (&str, &[String])>> = BTreeMap::new();
    for e in &outcome.evaluations {
        suites.entry(e.unit.as_str()).or_default().insert(
            e.rule.id.as_str(),
            (e.rule.title.as_str(), &e.rule.controls_2005),
        );
    }
    for f in &all {
        suites
            .entry(f.unit.as_str())
            .or_default()
            .entry(f.rule.id.as_str())
            .or_insert((f.rule.title.as_str(), &f.rule.controls_2005));
    }

    let mut report = Report::new("clause");
    for (unit, rules) in suites {
        let mut suite = TestSuite::new(unit);
        for (rule_id, (title, controls)) in rules {
            let key = (unit, rule_id);
            let status = match (findings.get(&key), inconclusive.get(&key)) {
                (Some(list), _) => {
                    let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                    status
                        .set_type(rule_id)
                        .set_message(match list.as_slice() {
                            [one] => located(one),
                            many => format!("{} findings; first: {}", many.len(), located(many[0])),
                        })
                        .set_description(
                            list.iter()
                                .map(|f| located(f))
                                .collect::<Vec<_>>()
                                .join("\n"),
                        );
                    status
                }
                (None, Some(unknown)) => {
                    let mut status = TestCaseStatus::skipped();
                    status
                        .set_message(format!(
                            "could not decide {} check(s): a value is only known when the code runs, after `terraform apply` or when Ansible templates it",
                            unknown.len()
                        ))
                        .set_description(unknown.join("\n"));
                    status
                }
                (None, None) => TestCaseStatus::success(),
            };
            let mut case = TestCase::new(format!("{rule_id}: {title}"), status);
            case.set_classname(unit);
            if !controls.is_empty() {
                case.add_property(quick_junit::Property::new(
                    "iso27002:2005",
                    controls.join(","),
                ));
            }
            if let Some(n) = suppressed.get(&key) {
                case.set_system_out(format!("{n} finding(s) suppressed inline"));
            }
            suite.add_test_case(case);
        }
        report.add_test_suite(suite);
    }
    if !outcome.errors.is_empty() {
        let mut suite = TestSuite::new("clause: files that could not be checked");
        for e in &outcome.errors {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
            status.set_message(format!("{}:{}:{}: {}", e.file, e.line, e.column, e.message));
            let mut case = TestCase::new(e.file.clone(), status);
            case.set_classname("clause.errors");
            suite.add_test_case(case);
        }
        report.add_test_suite(suite);
    }
    report.to_string().unwrap_or_default()
}

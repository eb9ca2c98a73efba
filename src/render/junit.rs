//! JUnit XML for CI test reports: a test suite per document (module,
//! manifest, playbook), a test case per rule run on it. A rule with findings
//! fails, with each finding's location in the failure text; a rule that could
//! only say "unknown until apply" is skipped; suppressed findings are noted
//! on a passing case. Files that could not be read or parsed are errors in a
//! suite of their own, so a broken file never looks like a clean one.

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::Arc;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use crate::check::Outcome;
use crate::finding::Finding;
use crate::rules::RuleMeta;

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

/// The report, written to `out` one suite at a time: findings are read once
/// (from memory or disk) into the text their cases show, and each suite is
/// built, written and dropped, so the run never holds every test case, or
/// the whole XML, at once. The suites are built twice: the root element
/// carries their totals.
pub fn write(outcome: &Outcome, out: &mut impl Write) -> std::io::Result<()> {
    // By unit, then rule: the failing case's rule and its location lines.
    type Failing = BTreeMap<String, (Arc<RuleMeta>, Vec<String>)>;
    let mut failing: BTreeMap<String, Failing> = BTreeMap::new();
    for f in outcome.all_findings() {
        failing
            .entry(f.unit.clone())
            .or_default()
            .entry(f.rule.id.clone())
            .or_insert_with(|| (Arc::clone(&f.rule), Vec::new()))
            .1
            .push(located(&f));
    }
    let mut suppressed: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for s in &outcome.suppressed {
        *suppressed
            .entry((s.finding.unit.as_str(), s.finding.rule.id.as_str()))
            .or_default() += 1;
    }
    let mut inconclusive: BTreeMap<(&str, &str), Vec<String>> = BTreeMap::new();
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
    let mut suites: BTreeMap<&str, BTreeMap<&str, &RuleMeta>> = BTreeMap::new();
    for e in &outcome.evaluations {
        suites
            .entry(&*e.unit)
            .or_default()
            .insert(e.rule.id.as_str(), &e.rule);
    }
    for (unit, rules) in &failing {
        let cases = suites.entry(unit.as_str()).or_default();
        for (rule_id, (rule, _)) in rules {
            cases.entry(rule_id.as_str()).or_insert(rule);
        }
    }

    let suite_of = |unit: &str, rules: &BTreeMap<&str, &RuleMeta>| -> TestSuite {
        let mut suite = TestSuite::new(unit);
        for (rule_id, rule) in rules {
            let (title, controls) = (&rule.title, &rule.controls_2005);
            let located = failing
                .get(unit)
                .and_then(|rules| rules.get(*rule_id))
                .map(|(_, lines)| lines);
            let status = match (located, inconclusive.get(&(unit, *rule_id))) {
                (Some(list), _) => {
                    let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                    status
                        .set_type(*rule_id)
                        .set_message(match list.as_slice() {
                            [one] => one.clone(),
                            many => format!("{} findings; first: {}", many.len(), many[0]),
                        })
                        .set_description(list.join("\n"));
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
            if let Some(n) = suppressed.get(&(unit, *rule_id)) {
                case.set_system_out(format!("{n} finding(s) suppressed inline"));
            }
            suite.add_test_case(case);
        }
        suite
    };
    let errors_suite = || -> Option<TestSuite> {
        if outcome.errors.is_empty() {
            return None;
        }
        let mut suite = TestSuite::new("clause: files that could not be checked");
        for e in &outcome.errors {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
            status.set_message(format!("{}:{}:{}: {}", e.file, e.line, e.column, e.message));
            let mut case = TestCase::new(e.file.clone(), status);
            case.set_classname("clause.errors");
            suite.add_test_case(case);
        }
        Some(suite)
    };
    let all_suites = || {
        suites
            .iter()
            .map(|(unit, rules)| suite_of(unit, rules))
            .chain(errors_suite())
    };

    let mut totals = Report::new("clause");
    let mut count = 0;
    for suite in all_suites() {
        totals.tests += suite.tests;
        totals.failures += suite.failures;
        totals.errors += suite.errors;
        totals.skipped += suite.skipped;
        count += 1;
    }
    if count == 0 {
        return out.write_all(text_of(&totals)?.as_bytes());
    }
    // The root element and its end, as quick-junit writes them around
    // suites: taken from a report with the totals and one empty suite.
    totals.test_suites.push(TestSuite::new("-"));
    let frame = text_of(&totals)?;
    let (head, tail) = around_suites(&frame)?;
    out.write_all(head.as_bytes())?;
    for suite in all_suites() {
        let mut one = Report::new("clause");
        one.add_test_suite(suite);
        let text = text_of(&one)?;
        let (head, tail) = around_suites(&text)?;
        out.write_all(&text.as_bytes()[head.len()..text.len() - tail.len()])?;
    }
    out.write_all(tail.as_bytes())
}

fn text_of(report: &Report) -> std::io::Result<String> {
    report.to_string().map_err(std::io::Error::other)
}

/// What comes before the first suite (the declaration and the opening root
/// element) and after the last (the closing root element).
fn around_suites(text: &str) -> std::io::Result<(&str, &str)> {
    let missing = || std::io::Error::other("unexpected JUnit layout from quick-junit");
    let root = text.find("<testsuites").ok_or_else(missing)?;
    let head_end = root + text[root..].find('\n').ok_or_else(missing)? + 1;
    let tail_start = text.rfind("</testsuites>").ok_or_else(missing)?;
    if tail_start < head_end {
        return Err(missing());
    }
    Ok((&text[..head_end], &text[tail_start..]))
}

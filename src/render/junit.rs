//! JUnit XML for CI test reports: a test suite per document (module,
//! manifest, playbook), a test case per rule run on it. A rule with findings
//! fails, with each finding's location in the failure text; a rule that could
//! only say "unknown until apply" is skipped; suppressed findings are noted
//! on a passing case. Files that could not be read or parsed are errors in a
//! suite of their own, so a broken file never looks like a clean one.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::sync::Arc;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use crate::check::Outcome;
use crate::finding::Finding;
use crate::rules::RuleMeta;
use crate::sorted::Sorter;

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

/// A failing case's location line, sorted by document, rule and the
/// finding's place in the run's order.
type Located = (String, String, u64, String);

/// How many bytes of location lines a run holds before they wait on disk.
const LOCATED_IN_MEMORY: usize = 8 << 20;

/// The report, written to `out` one suite at a time: each finding's
/// location line is sorted by document and rule (on disk past 8 MB), and
/// read alongside the documents' rule runs, themselves sorted by document
/// (`Outcome::rules_runs`); each suite is built, written and dropped, so the
/// run never holds every test case, every location line or the whole XML.
/// The suites are built twice: the root element carries their totals.
pub fn write(outcome: &Outcome, out: &mut impl Write) -> std::io::Result<()> {
    write_within(outcome, out, LOCATED_IN_MEMORY)
}

fn write_within(
    outcome: &Outcome,
    out: &mut impl Write,
    located_in_memory: usize,
) -> std::io::Result<()> {
    let mut sorter: Sorter<Located> = Sorter::new(located_in_memory);
    // The rules that reported, by code: the lines read back name theirs.
    let mut rules: HashMap<String, Arc<RuleMeta>> = HashMap::new();
    for (seq, f) in outcome.all_findings().enumerate() {
        if !rules.contains_key(&f.rule.id) {
            rules.insert(f.rule.id.clone(), Arc::clone(&f.rule));
        }
        let line = located(&f);
        let size = f.unit.len() + f.rule.id.len() + line.len() + 64;
        sorter.push((f.unit.clone(), f.rule.id.clone(), seq as u64, line), size)?;
    }
    let located_lines = sorter.finish()?;
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

    // A suite's cases: the rules run on the document and the rules that
    // reported on it (a finding whose rule run is not listed still gets a
    // case, so nothing reported elsewhere is missing here).
    let suite_of = |unit: &str,
                    run: &[Arc<RuleMeta>],
                    failing: &BTreeMap<String, (Arc<RuleMeta>, Vec<String>)>|
     -> TestSuite {
        let mut cases: BTreeMap<&str, &RuleMeta> =
            run.iter().map(|r| (r.id.as_str(), &**r)).collect();
        for (rule_id, (rule, _)) in failing {
            cases.entry(rule_id.as_str()).or_insert(rule);
        }
        let mut suite = TestSuite::new(unit);
        for (rule_id, rule) in cases {
            let (title, controls) = (&rule.title, &rule.controls_2005);
            let located = failing.get(rule_id).map(|(_, lines)| lines);
            let status = match (located, inconclusive.get(&(unit, rule_id))) {
                (Some(list), _) => {
                    let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                    status
                        .set_type(rule_id)
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
            if let Some(n) = suppressed.get(&(unit, rule_id)) {
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
    // Each suite in document order, from the rule runs and the location
    // lines, both sorted by document, read side by side.
    let for_each_suite = |each: &mut dyn FnMut(TestSuite) -> std::io::Result<()>| {
        // A line that cannot be read back ends the lines, and the report
        // with this error once the suites read so far are out.
        let mut unreadable = None;
        let mut unreadable_run = None;
        let mut lines = located_lines
            .iter()?
            .map_while(|line| line.map_err(|e| unreadable = Some(e)).ok())
            .peekable();
        let mut runs = outcome
            .rules_runs
            .iter()?
            .map_while(|run| run.map_err(|e| unreadable_run = Some(e)).ok())
            .peekable();
        loop {
            let next_line = lines.peek().map(|(unit, ..)| unit.as_str());
            let next_run = runs.peek().map(|run| &*run.unit);
            let unit = match (next_run, next_line) {
                (Some(a), Some(b)) => a.min(b),
                (Some(a), None) => a,
                (None, Some(b)) => b,
                (None, None) => break,
            }
            .to_string();
            let run = runs
                .next_if(|run| *run.unit == *unit)
                .map(|run| run.rules)
                .unwrap_or_default();
            let mut failing: BTreeMap<String, (Arc<RuleMeta>, Vec<String>)> = BTreeMap::new();
            while let Some((_, rule_id, _, line)) = lines.next_if(|(u, ..)| *u == unit) {
                if let Some(rule) = rules.get(&rule_id) {
                    failing
                        .entry(rule_id)
                        .or_insert_with(|| (Arc::clone(rule), Vec::new()))
                        .1
                        .push(line);
                }
            }
            each(suite_of(&unit, &run, &failing))?;
        }
        drop(lines);
        drop(runs);
        if let Some(e) = unreadable.or(unreadable_run) {
            return Err(e);
        }
        if let Some(suite) = errors_suite() {
            each(suite)?;
        }
        Ok(())
    };

    let mut totals = Report::new("clause");
    let mut count = 0;
    for_each_suite(&mut |suite| {
        totals.tests += suite.tests;
        totals.failures += suite.failures;
        totals.errors += suite.errors;
        totals.skipped += suite.skipped;
        count += 1;
        Ok(())
    })?;
    if count == 0 {
        return out.write_all(text_of(&totals)?.as_bytes());
    }
    // The root element and its end, as quick-junit writes them around
    // suites: taken from a report with the totals and one empty suite.
    totals.test_suites.push(TestSuite::new("-"));
    let frame = text_of(&totals)?;
    let (head, tail) = around_suites(&frame)?;
    out.write_all(head.as_bytes())?;
    for_each_suite(&mut |suite| {
        let mut one = Report::new("clause");
        one.add_test_suite(suite);
        let text = text_of(&one)?;
        let (head, tail) = around_suites(&text)?;
        out.write_all(&text.as_bytes()[head.len()..text.len() - tail.len()])
    })?;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Location lines read back from disk give the report they give from
    /// memory, byte for byte.
    #[test]
    fn lines_on_disk_give_the_same_report() {
        let rules = crate::RuleSet::builtin().unwrap_or_else(|e| panic!("{e:#?}"));
        let config = crate::check::CheckConfig {
            paths: vec![std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples")],
            ..crate::check::CheckConfig::default()
        };
        let outcome = crate::check::check(&rules, &config);
        assert!(outcome.finding_count() > 20);
        let mut in_memory = Vec::new();
        write_within(&outcome, &mut in_memory, usize::MAX).unwrap();
        let mut on_disk = Vec::new();
        write_within(&outcome, &mut on_disk, 1).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&on_disk),
            String::from_utf8_lossy(&in_memory)
        );
        assert!(in_memory.windows(9).any(|w| w == b"<failure "));
    }
}

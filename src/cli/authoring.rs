//! Commands for rule authors: `clause new rule` scaffolds a rule with its
//! fixtures and unit test; `clause test` runs them.

use std::fmt::Write as _;
use std::path::PathBuf;

use clause::Format;
use clause::rules::{RuleLimits, RuleSet, RuleSources};
use clause::scaffold::{self, NewRule};
use clause::testing::{self, TestReport};

use super::{EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, use_color};

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum TargetArg {
    Terraform,
    Kubernetes,
    Ansible,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum SeverityLevel {
    Critical,
    High,
    Medium,
    Low,
    Info,
}

#[derive(clap::Args)]
pub struct NewRuleArgs {
    /// What the rule reads
    #[arg(long, value_enum)]
    target: TargetArg,
    /// The rule's code, such as ACME-K8S-001
    #[arg(long)]
    id: String,
    /// ISO/IEC 27002:2005 control the rule evidences (repeatable); the 2022 number is filled in
    #[arg(long = "control", value_name = "ID", required = true)]
    controls: Vec<String>,
    #[arg(long, value_enum, default_value_t = SeverityLevel::Medium)]
    severity: SeverityLevel,
    /// File and package name (default: the code in snake case)
    #[arg(long)]
    name: Option<String>,
    /// The rules folder to write into
    dir: PathBuf,
}

pub fn new_rule(args: NewRuleArgs) -> u8 {
    let spec = NewRule {
        target: match args.target {
            TargetArg::Terraform => Format::Terraform,
            TargetArg::Kubernetes => Format::Kubernetes,
            TargetArg::Ansible => Format::Ansible,
        },
        id: args.id,
        controls: args.controls,
        severity: match args.severity {
            SeverityLevel::Critical => clause::Severity::Critical,
            SeverityLevel::High => clause::Severity::High,
            SeverityLevel::Medium => clause::Severity::Medium,
            SeverityLevel::Low => clause::Severity::Low,
            SeverityLevel::Info => clause::Severity::Info,
        },
        name: args.name,
    };
    match scaffold::write(&args.dir, &spec) {
        Ok(files) => {
            println!("Wrote:");
            for f in &files {
                println!("  {}", f.display());
            }
            println!(
                "Edit the rule and its fixtures, then run `clause test {}`.",
                args.dir.display()
            );
            EXIT_CLEAN
        }
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_ERROR
        }
    }
}

#[derive(clap::Args)]
pub struct TestArgs {
    /// Rule folders to test (their rules, fixtures and `*_test.rego` files)
    #[arg(default_value = ".")]
    dirs: Vec<PathBuf>,
    /// Show the lines of each rule no fixture or unit test reached
    #[arg(long)]
    coverage: bool,
    /// Load only these rules, without the built-in ones
    #[arg(long)]
    no_builtin_rules: bool,
    /// List passing cases too
    #[arg(long, short)]
    verbose: bool,
    /// Do not colour the output
    #[arg(long)]
    no_color: bool,
}

pub fn test(args: TestArgs) -> u8 {
    let color = use_color(args.no_color);
    let sources = RuleSources {
        no_builtin: args.no_builtin_rules,
        dirs: args.dirs.clone(),
        only_formats: None,
        only_kinds: None,
        verify_builtin: true,
    };
    // Built-in rules otherwise compile when a document needs them; a test
    // run reports every rule's mistakes up front.
    let rules = match RuleSet::load(&sources, RuleLimits::default())
        .and_then(|mut rules| rules.compile_all().map(|()| rules))
    {
        Ok(r) => r,
        Err(errors) => {
            super::print_rule_errors(&errors, color);
            return EXIT_ERROR;
        }
    };
    for w in &rules.warnings {
        eprintln!("warning: {w}");
    }
    let report = testing::run(&rules, &args.dirs, args.coverage);
    print!("{}", render(&report, args.verbose, color));
    if report.rules.is_empty() && report.unit_tests.is_empty() {
        eprintln!("error: no rules or unit tests found under the folders given");
        return EXIT_ERROR;
    }
    if report.passed() {
        EXIT_CLEAN
    } else {
        EXIT_FINDINGS
    }
}

fn paint(color: bool, code: &str, text: &str) -> String {
    if color {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

fn render(report: &TestReport, verbose: bool, color: bool) -> String {
    let mut out = String::new();
    let pass = paint(color, "32", "PASS");
    let fail = paint(color, "1;31", "FAIL");
    let (mut cases_passed, mut cases_failed) = (0, 0);
    for rule in &report.rules {
        let _ = writeln!(
            out,
            "{} {} ({})",
            if rule.passed() { &pass } else { &fail },
            rule.id,
            rule.file
        );
        for problem in &rule.problems {
            let _ = writeln!(out, "    {problem}");
        }
        for case in &rule.cases {
            let shown = clause::source::display_path(&case.case);
            if case.passed() {
                cases_passed += 1;
                if verbose {
                    let _ = writeln!(
                        out,
                        "  {pass} {shown}: {} finding(s), {} inconclusive, as marked",
                        case.actual.len(),
                        case.actual_inconclusive.len()
                    );
                }
                continue;
            }
            cases_failed += 1;
            let _ = writeln!(out, "  {fail} {shown}");
            let _ = writeln!(out, "      expected (-) vs actual (+):");
            for (file, line, code) in case.missing() {
                let _ = writeln!(
                    out,
                    "      {} {file}:{line} {code}  (marked `# expect: {code}`, not reported)",
                    paint(color, "31", "-")
                );
            }
            for (file, line, code) in case.unexpected() {
                let _ = writeln!(
                    out,
                    "      {} {file}:{line} {code}  (reported, not marked)",
                    paint(color, "32", "+")
                );
            }
            for (file, line, code) in case.missing_inconclusive() {
                let _ = writeln!(
                    out,
                    "      {} {file}:{line} {code} inconclusive  (marked, not reported)",
                    paint(color, "31", "-")
                );
            }
            for (file, line, code) in case.unexpected_inconclusive() {
                let _ = writeln!(
                    out,
                    "      {} {file}:{line} {code} inconclusive  (reported, not marked)",
                    paint(color, "32", "+")
                );
            }
            for problem in &case.problems {
                let _ = writeln!(out, "      ! {problem}");
            }
        }
    }
    let (mut unit_passed, mut unit_failed) = (0, 0);
    for t in &report.unit_tests {
        match &t.failure {
            None => {
                unit_passed += 1;
                if verbose {
                    let _ = writeln!(out, "{pass} {} ({}:{})", t.name, t.file, t.line);
                }
            }
            Some(why) => {
                unit_failed += 1;
                let _ = writeln!(out, "{fail} {} ({}:{})", t.name, t.file, t.line);
                let _ = writeln!(out, "    {why}");
            }
        }
    }
    if let Some(coverage) = &report.coverage {
        let _ = writeln!(out, "Coverage of rule lines by fixtures and unit tests:");
        for file in coverage {
            let total = file.covered + file.not_covered.len();
            let _ = writeln!(
                out,
                "  {}: {}/{} lines reached",
                file.file, file.covered, total
            );
            let lines: Vec<&str> = file.code.lines().collect();
            for n in &file.not_covered {
                let text = lines.get((*n as usize).saturating_sub(1)).unwrap_or(&"");
                let _ = writeln!(
                    out,
                    "    {} {n:>4} | {}",
                    paint(color, "31", "never reached"),
                    text.trim_end()
                );
            }
        }
    }
    let failing_rules = report.rules.iter().filter(|r| !r.passed()).count();
    let _ = writeln!(
        out,
        "\nRules: {} ({failing_rules} failing); fixtures: {cases_passed} passed, {cases_failed} failed; unit tests: {unit_passed} passed, {unit_failed} failed",
        report.rules.len()
    );
    out
}

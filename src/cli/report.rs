//! `clause report`: evidence per ISO/IEC 27002 control, and the one-screen
//! control summary `clause check --summary controls` prints.

use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;

use clap::ValueEnum;

use clause::Outcome;
use clause::evidence::{self, Edition, Inputs, Status};
use clause::parse::terraform::VarSource;
use clause::render::evidence::{html, json, markdown, soa};

use super::check::{Prepared, ScanArgs, evaluate, prepare};
use super::{EXIT_CLEAN, EXIT_ERROR};

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Markdown,
    Html,
    Json,
    /// Statement of applicability, as CSV
    Soa,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EditionArg {
    #[value(name = "2005")]
    E2005,
    #[value(name = "2022")]
    E2022,
}

#[derive(clap::Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub scan: ScanArgs,
    #[arg(long, value_enum, default_value_t = ReportFormat::Markdown)]
    format: ReportFormat,
    /// Group the evidence under the 2005 controls or the 2022 ones
    #[arg(long, value_enum, default_value_t = EditionArg::E2005)]
    edition: EditionArg,
    /// Write the report to this file instead of stdout
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
}

fn inputs<'a>(outcome: &'a Outcome, prepared: &'a Prepared) -> Inputs<'a> {
    let paths = if prepared.check.stdin.is_some() {
        vec!["-".to_string()]
    } else {
        prepared
            .check
            .paths
            .iter()
            .map(|p| clause::source::display_path(p))
            .collect()
    };
    Inputs {
        outcome,
        rules: prepared.rules.rules.iter().map(|r| &*r.meta).collect(),
        rule_set_digest: &prepared.rules.digest,
        paths,
        scan_time: evidence::now_rfc3339(),
    }
}

pub fn run(args: ReportArgs, var_sources: Vec<VarSource>) -> u8 {
    let mut prepared = match prepare(&args.scan, var_sources, false) {
        Ok(p) => p,
        Err(code) => return code,
    };
    // Only the HTML report shows the lines around a finding.
    prepared.check.keep_source_text = matches!(args.format, ReportFormat::Html);
    prepared.check.record_evaluations = false;
    // No baseline here, so no need for the path of every file read.
    prepared.check.record_checked_files = false;
    let outcome = evaluate(&prepared);
    for e in &outcome.errors {
        eprintln!("error: {}:{}:{}: {}", e.file, e.line, e.column, e.message);
    }
    let edition = match args.edition {
        EditionArg::E2005 => Edition::E2005,
        EditionArg::E2022 => Edition::E2022,
    };
    let inputs = inputs(&outcome, &prepared);
    let list: Option<evidence::ListFailure<'_>> = match args.format {
        ReportFormat::Markdown => Some(&markdown::failure),
        ReportFormat::Html => Some(&html::failure),
        ReportFormat::Json => Some(&json::failure),
        ReportFormat::Soa => None,
    };
    let mut report = evidence::build(&inputs, edition, list);
    let mut write = |sink: &mut dyn Write| {
        match args.format {
            ReportFormat::Markdown => markdown::render(&mut report, sink),
            ReportFormat::Html => html::render(&mut report, sink),
            ReportFormat::Json => json::render(&mut report, sink),
            ReportFormat::Soa => soa::render(&report, sink),
        }
        .and_then(|()| sink.flush())
    };
    let (written, target) = match &args.output {
        Some(path) => (
            std::fs::File::create(path).and_then(|file| write(&mut std::io::BufWriter::new(file))),
            path.display().to_string(),
        ),
        None => (
            write(&mut std::io::BufWriter::new(std::io::stdout().lock())),
            "the report".to_string(),
        ),
    };
    // A closed pipe (`clause report | head`) is the reader's choice.
    if let Err(e) = written
        && !(args.output.is_none() && e.kind() == std::io::ErrorKind::BrokenPipe)
    {
        eprintln!("error: cannot write {target}: {e}");
        return EXIT_ERROR;
    }
    // The report is evidence, not a gate: findings do not change the exit
    // code, but files that could not be read make the evidence incomplete.
    if outcome.errors.is_empty() {
        EXIT_CLEAN
    } else {
        eprintln!("error: the evidence is incomplete: the files above could not be checked");
        EXIT_ERROR
    }
}

fn paint(color: bool, code: &str, text: &str) -> String {
    if color {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

/// One line per control this run evidenced, worst first, then what is left
/// to manual evidence.
pub fn controls_summary(outcome: &Outcome, prepared: &Prepared, color: bool) -> String {
    let inputs = inputs(outcome, prepared);
    let report = evidence::build(&inputs, Edition::E2005, None);
    let mut rows: Vec<&evidence::ControlEvidence<'_>> = report
        .sections
        .iter()
        .flat_map(|s| &s.controls)
        .filter(|c| {
            matches!(
                c.status,
                Status::Failing | Status::Partial | Status::Passing
            )
        })
        .collect();
    rows.sort_by_key(|c| c.status);
    rows.sort_by_key(|c| match c.status {
        Status::Failing => 0,
        Status::Partial => 1,
        _ => 2,
    });
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\n{}",
        paint(
            color,
            "1",
            "Controls evidenced in this run (ISO/IEC 27002:2005):"
        )
    );
    for c in &rows {
        let (code, label) = match c.status {
            Status::Failing => ("1;31", "failing"),
            Status::Partial => ("33", "partial"),
            _ => ("32", "passing"),
        };
        let counts = format!(
            "{:>4} examined {:>4} passed {:>4} failed",
            c.counts.examined, c.counts.passed, c.counts.failed
        );
        let title: String = c.title.chars().take(44).collect();
        let _ = writeln!(
            out,
            "  {:<8} {} {counts}  {title}",
            c.id,
            paint(color, code, &format!("{label:<8}"))
        );
    }
    let count = |s: Status| report.status_counts.get(s.key()).copied().unwrap_or(0);
    let _ = writeln!(
        out,
        "{} failing, {} partial, {} passing; {} with nothing to examine here; {} without a rule and {} organisational need manual evidence (`clause report` lists them)",
        count(Status::Failing),
        count(Status::Partial),
        count(Status::Passing),
        count(Status::NotExamined),
        count(Status::NoRule),
        count(Status::Organisational)
    );
    out
}

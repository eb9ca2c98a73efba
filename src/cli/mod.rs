//! Command-line surface: flags, dispatch and exit codes. Exit 0 means no
//! findings at or above the threshold, 1 findings, 2 a tool or input error
//! (bad flag, bad rule, unreadable or unparsable file); an error outranks
//! findings.

mod authoring;
mod check;
mod inspect;
mod report;
mod rules;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use clause::Severity;
use clause::rules::{RuleError, RuleLimits, RuleSet, RuleSources};

pub const EXIT_CLEAN: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

#[derive(Parser)]
#[command(
    name = "clause",
    version,
    about = "Policy-as-code linter for Terraform, Kubernetes and Ansible, with every finding mapped to ISO/IEC 27002",
    after_help = "Exit codes: 0 no findings at or above --fail-on, 1 findings, 2 a tool or input error."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check files and report violations
    Check(Box<check::CheckArgs>),
    /// List the rules with their severity, targets and controls
    Rules(rules::RulesArgs),
    /// Show one rule's description, controls and remediation
    Explain(rules::ExplainArgs),
    /// Print the documents rules read, as JSON
    Inspect(inspect::InspectArgs),
    /// Record today's findings so later checks report only new ones
    Baseline {
        #[command(subcommand)]
        command: BaselineCommand,
    },
    /// Write a commented starter `.clause.toml`
    Init(InitArgs),
    /// Scaffold a custom rule with fixtures and a unit test
    New {
        #[command(subcommand)]
        command: NewCommand,
    },
    /// Run custom rules against their fixtures and Rego unit tests
    Test(authoring::TestArgs),
    /// Evidence per ISO/IEC 27002 control, for auditors
    Report(Box<report::ReportArgs>),
}

#[derive(Subcommand)]
enum NewCommand {
    /// A rule file, a failing and a passing fixture, and a unit test
    Rule(authoring::NewRuleArgs),
}

#[derive(Subcommand)]
enum BaselineCommand {
    /// Check as `clause check` would and record the findings in FILE
    Write {
        /// The baseline file to write (paths in it are relative to its folder)
        file: PathBuf,
        #[command(flatten)]
        check: Box<check::ScanArgs>,
    },
}

#[derive(clap::Args)]
struct InitArgs {
    /// The folder to write `.clause.toml` in
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// Overwrite an existing `.clause.toml`
    #[arg(long)]
    force: bool,
}

fn init(args: InitArgs) -> u8 {
    let path = args.dir.join(clause::config::FILE_NAME);
    if path.exists() && !args.force {
        eprintln!(
            "error: {} already exists (--force overwrites it)",
            path.display()
        );
        return EXIT_ERROR;
    }
    if let Err(e) = std::fs::write(&path, clause::config::STARTER) {
        eprintln!("error: cannot write {}: {e}", path.display());
        return EXIT_ERROR;
    }
    println!(
        "Wrote {}: every setting is listed, commented out, with its default.",
        path.display()
    );
    EXIT_CLEAN
}

/// Where rules come from, shared by every command that loads them.
#[derive(clap::Args, Clone)]
pub struct RuleArgs {
    /// Load custom rules from this folder (repeatable)
    #[arg(long = "rules", value_name = "DIR")]
    pub rule_dirs: Vec<PathBuf>,
    /// Do not load the built-in rules
    #[arg(long)]
    pub no_builtin_rules: bool,
}

impl RuleArgs {
    pub fn load(&self) -> Result<RuleSet, Vec<RuleError>> {
        let sources = RuleSources {
            no_builtin: self.no_builtin_rules,
            dirs: self.rule_dirs.clone(),
            only_formats: None,
            only_kinds: None,
            verify_builtin: false,
        };
        RuleSet::load(&sources, RuleLimits::default())
    }
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SeverityArg {
    Critical,
    High,
    Medium,
    Low,
    Info,
    None,
}

impl SeverityArg {
    pub fn threshold(self) -> Option<Severity> {
        match self {
            SeverityArg::Critical => Some(Severity::Critical),
            SeverityArg::High => Some(Severity::High),
            SeverityArg::Medium => Some(Severity::Medium),
            SeverityArg::Low => Some(Severity::Low),
            SeverityArg::Info => Some(Severity::Info),
            SeverityArg::None => None,
        }
    }
}

/// Colour only for a terminal, and never when `NO_COLOR` is set or
/// `--no-color` was given.
pub fn use_color(no_color_flag: bool) -> bool {
    !no_color_flag
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::io::stdout().is_terminal()
}

pub fn print_rule_errors(errors: &[RuleError], color: bool) {
    let mut out = String::new();
    for e in errors {
        render_rule_error(&mut out, e, color);
    }
    eprint!("{out}");
}

fn render_rule_error(out: &mut String, e: &RuleError, color: bool) {
    use std::fmt::Write as _;
    let label = if color {
        "\x1b[1;31merror:\x1b[0m"
    } else {
        "error:"
    };
    let _ = writeln!(out, "{label} {}", e.message);
    let _ = writeln!(out, "  --> {}:{}:{}", e.file, e.line, e.column);
    if let Some(source) = &e.source
        && let Some(text) = source.lines().nth(e.line.saturating_sub(1))
    {
        let gutter = e.line.to_string().len();
        let _ = writeln!(out, "{:gutter$} |", "");
        let _ = writeln!(out, "{} | {text}", e.line);
        let _ = writeln!(
            out,
            "{:gutter$} | {}^",
            "",
            " ".repeat(e.column.saturating_sub(1))
        );
    }
}

pub fn run() -> ExitCode {
    let matches = match <Cli as clap::CommandFactory>::command().try_get_matches() {
        Ok(m) => m,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                EXIT_ERROR
            } else {
                EXIT_CLEAN
            });
        }
    };
    let cli = match <Cli as clap::FromArgMatches>::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                EXIT_ERROR
            } else {
                EXIT_CLEAN
            });
        }
    };
    let code = match cli.command {
        Command::Check(args) => {
            let sources = check::var_sources(&args.scan, matches.subcommand_matches("check"));
            check::run(*args, sources)
        }
        Command::Rules(args) => rules::list(args),
        Command::Explain(args) => rules::explain(args),
        Command::Inspect(args) => inspect::run(args),
        Command::Baseline {
            command: BaselineCommand::Write { file, check: args },
        } => {
            let sources = check::var_sources(
                &args,
                matches
                    .subcommand_matches("baseline")
                    .and_then(|m| m.subcommand_matches("write")),
            );
            check::write_baseline(&file, *args, sources)
        }
        Command::Init(args) => init(args),
        Command::New {
            command: NewCommand::Rule(args),
        } => authoring::new_rule(args),
        Command::Test(args) => authoring::test(args),
        Command::Report(args) => {
            let sources = check::var_sources(&args.scan, matches.subcommand_matches("report"));
            report::run(*args, sources)
        }
    };
    ExitCode::from(code)
}

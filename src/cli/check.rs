//! `clause check`: run the pipeline and render the outcome.

use std::io::Read as _;
use std::path::PathBuf;

use clap::ValueEnum;

use clause::check::{CheckConfig, StdinInput};
use clause::controls::matches_prefix;
use clause::parse::terraform::{TerraformOptions, VarSource};
use clause::render::{human, json};
use clause::{Format, check};

use super::{EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, RuleArgs, SeverityArg, use_color};

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Human,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Terraform,
    Kubernetes,
    Ansible,
}

#[derive(clap::Args)]
pub struct CheckArgs {
    /// Files or folders to check (`-` reads stdin)
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    format: OutputFormat,
    /// Write the report to this file instead of stdout
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Exit 1 when a finding has this severity or higher
    #[arg(long, value_enum, default_value_t = SeverityArg::Low)]
    fail_on: SeverityArg,
    /// Only run rules evidencing controls under this prefix (2005 or 2022 numbering, repeatable)
    #[arg(long, value_name = "PREFIX")]
    control: Vec<String>,
    /// Only run rules with these codes (globs such as `CL-K8S-*`, repeatable)
    #[arg(long = "rule", value_name = "CODE")]
    only_rules: Vec<String>,
    /// Do not run rules with these codes (globs, repeatable)
    #[arg(long = "skip-rule", value_name = "CODE")]
    skip_rules: Vec<String>,
    /// Skip paths matching this glob (repeatable)
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,
    /// The format of stdin when a path is `-`
    #[arg(long, value_enum)]
    stdin_format: Option<FormatArg>,
    /// The file name to show for stdin
    #[arg(long, default_value = "stdin")]
    stdin_name: String,
    /// Terraform variable values from a file, as `terraform plan -var-file` (repeatable)
    #[arg(long, value_name = "FILE")]
    var_file: Vec<PathBuf>,
    /// A Terraform variable value, as `terraform plan -var` (repeatable)
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var)]
    vars: Vec<(String, String)>,
    /// Do not colour the output
    #[arg(long)]
    no_color: bool,
    /// Show rules' print() output and other diagnostics on stderr
    #[arg(long)]
    debug: bool,

    #[command(flatten)]
    rules: RuleArgs,
}

/// `--var-file` and `--var` in the order they were given (clap collects
/// them apart; their positions restore the order Terraform applies them in).
pub fn var_sources(args: &CheckArgs, matches: Option<&clap::ArgMatches>) -> Vec<VarSource> {
    let positions = |id: &str| -> Vec<usize> {
        matches
            .and_then(|m| m.indices_of(id))
            .map(|i| i.collect())
            .unwrap_or_default()
    };
    let mut ordered: Vec<(usize, VarSource)> = Vec::new();
    let file_positions = positions("var_file");
    for (i, path) in args.var_file.iter().enumerate() {
        ordered.push((
            file_positions.get(i).copied().unwrap_or(0),
            VarSource::File(path.clone()),
        ));
    }
    let value_positions = positions("vars");
    for (i, (name, value)) in args.vars.iter().enumerate() {
        ordered.push((
            value_positions.get(i).copied().unwrap_or(usize::MAX),
            VarSource::Value(name.clone(), value.clone()),
        ));
    }
    ordered.sort_by_key(|(position, _)| *position);
    ordered.into_iter().map(|(_, source)| source).collect()
}

pub fn run(args: CheckArgs, var_sources: Vec<VarSource>) -> u8 {
    let color = use_color(args.no_color) && args.output.is_none();
    let mut rules = match args.rules.load() {
        Ok(r) => r,
        Err(errors) => {
            super::print_rule_errors(&errors, color);
            return EXIT_ERROR;
        }
    };
    for w in &rules.warnings {
        eprintln!("warning: {w}");
    }

    let only = match code_globs(&args.only_rules) {
        Ok(g) => g,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_ERROR;
        }
    };
    let skip = match code_globs(&args.skip_rules) {
        Ok(g) => g,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_ERROR;
        }
    };
    if !args.only_rules.is_empty() || !args.skip_rules.is_empty() {
        rules.retain(|r| {
            let id = r.meta.id.to_uppercase();
            (args.only_rules.is_empty() || only.is_match(&id)) && !skip.is_match(&id)
        });
    }
    if !args.control.is_empty() {
        rules.retain(|r| {
            args.control.iter().any(|p| {
                r.meta.controls_2005.iter().any(|c| matches_prefix(c, p))
                    || r.meta.controls_2022.iter().any(|c| matches_prefix(c, p))
            })
        });
    }
    let mut config = CheckConfig {
        paths: args
            .paths
            .iter()
            .filter(|p| p.as_os_str() != "-")
            .cloned()
            .collect(),
        excludes: args.exclude.clone(),
        terraform: TerraformOptions {
            sources: var_sources,
        },
        ..CheckConfig::default()
    };
    if args.paths.iter().any(|p| p.as_os_str() == "-") {
        let Some(format) = args.stdin_format else {
            eprintln!(
                "error: reading stdin (`-`) needs --stdin-format terraform|kubernetes|ansible"
            );
            return EXIT_ERROR;
        };
        let mut text = String::new();
        if let Err(e) = std::io::stdin().read_to_string(&mut text) {
            eprintln!("error: cannot read stdin: {e}");
            return EXIT_ERROR;
        }
        config.stdin = Some(StdinInput {
            text,
            format: match format {
                FormatArg::Terraform => Format::Terraform,
                FormatArg::Kubernetes => Format::Kubernetes,
                FormatArg::Ansible => Format::Ansible,
            },
            name: args.stdin_name.clone(),
        });
    }
    let outcome = check(&rules, &config);
    if args.debug {
        for p in &outcome.prints {
            eprintln!("print: {p}");
        }
        for (file, why) in &outcome.skipped {
            eprintln!("skipped: {file}: {why}");
        }
    }
    for w in &outcome.warnings {
        eprintln!("warning: {w}");
    }
    let report = match args.format {
        OutputFormat::Json => json::render(&outcome),
        OutputFormat::Human => {
            let style = human::Style { color, width: 100 };
            let mut out = String::new();
            for e in &outcome.errors {
                human::error(&mut out, e, style);
            }
            for f in &outcome.findings {
                human::finding(&mut out, f, style);
            }
            human::summary(&mut out, &outcome, style);
            out
        }
    };
    match &args.output {
        Some(path) => {
            if let Err(e) = std::fs::write(path, &report) {
                eprintln!("error: cannot write {}: {e}", path.display());
                return EXIT_ERROR;
            }
        }
        None => print!("{report}"),
    }
    if !outcome.errors.is_empty() {
        return EXIT_ERROR;
    }
    let failing = args
        .fail_on
        .threshold()
        .is_some_and(|t| outcome.findings.iter().any(|f| f.rule.severity >= t));
    if failing { EXIT_FINDINGS } else { EXIT_CLEAN }
}

fn parse_var(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => {
            Ok((name.trim().to_string(), value.to_string()))
        }
        _ => Err(format!("expected NAME=VALUE, got `{text}`")),
    }
}

/// Rule codes as case-insensitive globs (`CL-K8S-*`).
fn code_globs(patterns: &[String]) -> Result<globset::GlobSet, String> {
    let mut builder = globset::GlobSetBuilder::new();
    for p in patterns {
        let glob = globset::Glob::new(&p.to_uppercase())
            .map_err(|e| format!("invalid rule pattern `{p}`: {e}"))?;
        builder.add(glob);
    }
    builder.build().map_err(|e| e.to_string())
}

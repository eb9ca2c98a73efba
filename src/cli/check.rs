//! `clause check` and `clause baseline write`: settings from flags and
//! `.clause.toml` (flags win), the pipeline, then every report asked for.

use std::io::Read as _;
use std::io::Write;
use std::path::{Path, PathBuf};

use clap::ValueEnum;

use clause::baseline::{self, Baseline};
use clause::check::{CheckConfig, StdinInput};
use clause::config::{self, Config};
use clause::controls::matches_prefix;
use clause::parse::terraform::{TerraformOptions, VarSource};
use clause::render::{github, gitlab, human, json, junit, sarif};
use clause::{Format, Outcome, RuleSet, Severity, check};

use super::{EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, RuleArgs, SeverityArg, use_color};

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum, Debug)]
pub enum OutputFormat {
    Human,
    Json,
    Sarif,
    Junit,
    Github,
    Gitlab,
}

impl OutputFormat {
    fn parse(name: &str) -> Option<OutputFormat> {
        OutputFormat::from_str(name, true).ok()
    }
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Terraform,
    Kubernetes,
    Ansible,
}

/// `--output FILE` (the `--format` report) or `--output FORMAT=FILE`.
#[derive(Clone, Debug)]
pub enum OutputSpec {
    Main(PathBuf),
    As(OutputFormat, PathBuf),
}

fn parse_output(text: &str) -> Result<OutputSpec, String> {
    if let Some((name, file)) = text.split_once('=')
        && let Some(format) = OutputFormat::parse(name)
    {
        if file.is_empty() {
            return Err(format!("`{text}` names no file"));
        }
        return Ok(OutputSpec::As(format, PathBuf::from(file)));
    }
    Ok(OutputSpec::Main(PathBuf::from(text)))
}

/// What to scan and with which rules: shared by `check`, `baseline write`
/// and `report`.
#[derive(clap::Args)]
pub struct ScanArgs {
    /// Files or folders to check (`-` reads stdin; default: the config's `paths`, else `.`)
    paths: Vec<PathBuf>,
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
    /// Ignore `# clause:ignore` comments: every finding counts
    #[arg(long)]
    no_inline_suppressions: bool,
    /// Read settings from this file instead of the nearest `.clause.toml`
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    config: Option<PathBuf>,
    /// Do not read `.clause.toml`
    #[arg(long)]
    no_config: bool,
    /// Do not colour the output
    #[arg(long)]
    no_color: bool,
    /// Show rules' print() output and other diagnostics on stderr
    #[arg(long)]
    debug: bool,

    #[command(flatten)]
    rules: RuleArgs,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SummaryArg {
    /// One line per control evidenced in this run, after the findings
    Controls,
}

#[derive(clap::Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub scan: ScanArgs,
    /// Report format [default: human, or the config's `format`]
    #[arg(long, value_enum)]
    format: Option<OutputFormat>,
    /// Write a report to a file: `FILE` for the --format report (the human
    /// report then goes to the terminal), or `FORMAT=FILE` (repeatable)
    #[arg(long, short = 'o', value_name = "[FORMAT=]FILE", value_parser = parse_output)]
    output: Vec<OutputSpec>,
    /// Exit 1 when a finding has this severity or higher [default: low, or the config's `fail_on`]
    #[arg(long, value_enum)]
    fail_on: Option<SeverityArg>,
    /// Report only findings this baseline does not record
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Fail (exit 1) when more than N findings are suppressed inline
    #[arg(long, value_name = "N")]
    max_suppressions: Option<usize>,
    /// Also print a summary: `controls` gives one line per control
    #[arg(long, value_enum)]
    summary: Option<SummaryArg>,
}

/// `--var-file` and `--var` in the order they were given (clap collects
/// them apart; their positions restore the order Terraform applies them in).
pub fn var_sources(args: &ScanArgs, matches: Option<&clap::ArgMatches>) -> Vec<VarSource> {
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

/// Everything a scan needs, with flags and config merged.
pub struct Prepared {
    pub rules: RuleSet,
    pub check: CheckConfig,
    pub config: Config,
    pub color: bool,
    debug: bool,
}

fn fail(message: impl std::fmt::Display) -> u8 {
    eprintln!("error: {message}");
    EXIT_ERROR
}

fn load_config(args: &ScanArgs) -> Result<Option<Config>, u8> {
    if args.no_config {
        return Ok(None);
    }
    let path = match &args.config {
        Some(path) => Some(path.clone()),
        None => std::env::current_dir()
            .ok()
            .and_then(|cwd| config::find(&cwd))
            .map(|p| relative_to_cwd(&p)),
    };
    match path {
        Some(path) => config::load(&path).map(Some).map_err(fail),
        None => Ok(None),
    }
}

/// A path found by searching upward, shown relative to the working folder
/// when it is under it (`.clause.toml`, not `/home/me/repo/.clause.toml`).
fn relative_to_cwd(path: &Path) -> PathBuf {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(&cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
}

/// The formats of the files a run names, when it names only files whose
/// format their name tells; `None` (every format) for folders, stdin and
/// anything else.
fn formats_named(paths: &[PathBuf]) -> Option<Vec<Format>> {
    let mut formats = Vec::new();
    for path in paths {
        let name = path.file_name()?.to_str()?.to_ascii_lowercase();
        if !path.is_file() {
            return None;
        }
        let found: &[Format] = if [".tf", ".tf.json", ".tfvars", ".tfvars.json"]
            .iter()
            .any(|e| name.ends_with(e))
        {
            &[Format::Terraform]
        } else if name.ends_with(".yml") || name.ends_with(".yaml") {
            &[Format::Kubernetes, Format::Ansible]
        } else {
            return None;
        };
        formats.extend_from_slice(found);
    }
    formats.sort();
    formats.dedup();
    (!formats.is_empty()).then_some(formats)
}

/// `narrow_rules`: load only the built-in rules for the formats of the files
/// named (a one-file pre-commit run); `check` without a per-control summary
/// can, reports cannot.
pub fn prepare(
    args: &ScanArgs,
    var_sources: Vec<VarSource>,
    narrow_rules: bool,
) -> Result<Prepared, u8> {
    let config = load_config(args)?.unwrap_or_default();
    let color = use_color(args.no_color);

    let mut sources: Vec<VarSource> = config
        .var_files
        .iter()
        .map(|f| VarSource::File(f.clone()))
        .collect();
    sources.extend(
        config
            .vars
            .iter()
            .map(|(n, v)| VarSource::Value(n.clone(), v.clone())),
    );
    sources.extend(var_sources);

    let named: Vec<PathBuf> = args
        .paths
        .iter()
        .filter(|p| p.as_os_str() != "-")
        .cloned()
        .collect();
    let reads_stdin = args.paths.iter().any(|p| p.as_os_str() == "-");
    let paths = if !args.paths.is_empty() {
        named
    } else {
        config
            .paths
            .clone()
            .unwrap_or_else(|| vec![PathBuf::from(".")])
    };
    let has_config = !config.file.is_empty();
    let mut check = CheckConfig {
        paths,
        excludes: args.exclude.clone(),
        config_base: has_config.then(|| config.base.clone()),
        include: config.include.clone(),
        config_excludes: config.exclude.clone(),
        format_overrides: config.formats.clone(),
        inline_suppressions: !args.no_inline_suppressions
            && config.inline_suppressions != Some(false),
        terraform: TerraformOptions { sources },
        max_file_bytes: (config.limits.max_file_bytes)
            .unwrap_or(clause::check::DEFAULT_MAX_FILE_BYTES),
        max_depth: (config.limits.max_depth).unwrap_or(clause::parse::yaml::DEFAULT_MAX_DEPTH),
        findings_in_memory: (config.limits.findings_in_memory)
            .unwrap_or(clause::spill::DEFAULT_FINDINGS_IN_MEMORY),
        record_examined: !narrow_rules,
        list_skipped: args.debug,
        ..CheckConfig::default()
    };
    if reads_stdin {
        let Some(format) = args.stdin_format else {
            return Err(fail(
                "reading stdin (`-`) needs --stdin-format terraform|kubernetes|ansible",
            ));
        };
        let mut text = String::new();
        if let Err(e) = std::io::stdin().read_to_string(&mut text) {
            return Err(fail(format!("cannot read stdin: {e}")));
        }
        check.stdin = Some(StdinInput {
            text,
            format: match format {
                FormatArg::Terraform => Format::Terraform,
                FormatArg::Kubernetes => Format::Kubernetes,
                FormatArg::Ansible => Format::Ansible,
            },
            name: args.stdin_name.clone(),
        });
    }

    // A run naming only files (a pre-commit hook) loads only the built-in
    // rules that can apply to them: regorus analyses every loaded rule before
    // the first evaluation, most of such a run's time. Reading the files
    // once more to learn their kinds costs a few milliseconds.
    let only_formats = if narrow_rules && !args.paths.is_empty() {
        formats_named(&args.paths)
    } else {
        None
    };
    let only_kinds = only_formats
        .is_some()
        .then(|| clause::check::kinds_present(&check));
    let mut rule_args: RuleArgs = args.rules.clone();
    rule_args
        .rule_dirs
        .splice(0..0, config.custom_rules.iter().cloned());
    if config.builtin_rules == Some(false) {
        rule_args.no_builtin_rules = true;
    }
    let mut rules = match clause::rules::RuleSet::load(
        &clause::rules::RuleSources {
            no_builtin: rule_args.no_builtin_rules,
            dirs: rule_args.rule_dirs.clone(),
            only_formats,
            only_kinds,
            verify_builtin: false,
        },
        clause::rules::RuleLimits::from_config(&config.limits),
    ) {
        Ok(r) => r,
        Err(errors) => {
            super::print_rule_errors(&errors, color);
            return Err(EXIT_ERROR);
        }
    };
    for w in &rules.warnings {
        eprintln!("warning: {w}");
    }
    check.known_rules = rules
        .rules
        .iter()
        .map(|r| r.meta.id.to_uppercase())
        .chain(rules.unloaded.iter().map(|id| id.to_uppercase()))
        .collect();
    for (code, severity) in &config.severity {
        if !rules.set_severity(code, *severity) {
            return Err(fail(format!(
                "{}: [rules.severity] names `{code}`, which is not a rule",
                config.file
            )));
        }
    }

    let mut only = config.enable.clone();
    only.extend(args.only_rules.iter().cloned());
    let mut skip = config.disable.clone();
    skip.extend(args.skip_rules.iter().cloned());
    let only_set = code_globs(&only).map_err(fail)?;
    let skip_set = code_globs(&skip).map_err(fail)?;
    if !only.is_empty() || !skip.is_empty() {
        rules.retain(|r| {
            let id = r.meta.id.to_uppercase();
            (only.is_empty() || only_set.is_match(&id)) && !skip_set.is_match(&id)
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

    Ok(Prepared {
        rules,
        check,
        config,
        color,
        debug: args.debug,
    })
}

/// Writes a report; every format but the human one's summary is written as
/// it is made, so a large run never holds the whole text.
fn write_report(
    outcome: &Outcome,
    format: OutputFormat,
    prepared: &Prepared,
    color: bool,
    baseline_in_use: bool,
    out: &mut impl Write,
) -> std::io::Result<()> {
    let text = match format {
        OutputFormat::Json => return json::write(outcome, out),
        OutputFormat::Github => return github::write(outcome, out),
        OutputFormat::Human => {
            // Written finding by finding: there may be a million of them.
            let style = human::Style { color, width: 100 };
            let mut text = String::new();
            for e in &outcome.errors {
                human::error(&mut text, e, style);
            }
            for f in outcome.all_findings() {
                human::finding(&mut text, &f, style);
                out.write_all(text.as_bytes())?;
                text.clear();
            }
            human::suppression_notices(&mut text, outcome, style);
            human::summary(&mut text, outcome, style);
            text
        }
        OutputFormat::Sarif => {
            return sarif::write(
                outcome,
                &sarif::Context {
                    rules: prepared.rules.rules.iter().map(|r| &*r.meta).collect(),
                    baseline_in_use,
                },
                out,
            );
        }
        OutputFormat::Junit => return junit::write(outcome, out),
        OutputFormat::Gitlab => return gitlab::write(outcome, out),
    };
    out.write_all(text.as_bytes())
}

pub fn evaluate(prepared: &Prepared) -> Outcome {
    let outcome = check(&prepared.rules, &prepared.check);
    if prepared.debug {
        for p in &outcome.prints {
            eprintln!("print: {p}");
        }
        for (file, why) in &outcome.skipped {
            eprintln!("skipped: {file}: {why}");
        }
        if let Some(spilled) = &outcome.spilled {
            eprintln!(
                "findings: {} kept on disk, over [limits] findings_in_memory = {}",
                spilled.len(),
                prepared.check.findings_in_memory
            );
        }
    }
    for w in &outcome.warnings {
        eprintln!("warning: {w}");
    }
    outcome
}

pub fn run(args: CheckArgs, var_sources: Vec<VarSource>) -> u8 {
    let narrow_rules = args.summary != Some(SummaryArg::Controls);
    let mut prepared = match prepare(&args.scan, var_sources, narrow_rules) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let format = match (args.format, &prepared.config.format) {
        (Some(f), _) => f,
        (None, Some(name)) => OutputFormat::parse(name).unwrap_or(OutputFormat::Human),
        (None, None) => OutputFormat::Human,
    };
    // Keep what the reports asked for need, and nothing more: memory then
    // follows the findings, not the text of the files they point into.
    let main_to_file = args.output.iter().any(|o| matches!(o, OutputSpec::Main(_)));
    let stdout_format = if main_to_file {
        OutputFormat::Human
    } else {
        format
    };
    let formats: Vec<OutputFormat> = args
        .output
        .iter()
        .map(|o| match o {
            OutputSpec::Main(_) => format,
            OutputSpec::As(format, _) => *format,
        })
        .chain([stdout_format])
        .collect();
    prepared.check.keep_source_text = formats.contains(&OutputFormat::Human);
    prepared.check.record_evaluations = formats.contains(&OutputFormat::Junit);
    let config = &prepared.config;
    let fail_on = match (args.fail_on, config.fail_on) {
        (Some(arg), _) => arg.threshold(),
        (None, Some(configured)) => configured,
        (None, None) => Some(Severity::Low),
    };
    let baseline_file = args.baseline.clone().or(config.baseline.clone());
    prepared.check.record_checked_files = baseline_file.is_some();
    let max_suppressions = args.max_suppressions.or(config.max_suppressions);
    let mut outcome = evaluate(&prepared);

    if let Some(path) = &baseline_file {
        let recorded = match Baseline::read(path) {
            Ok(b) => b,
            Err(e) => return fail(e),
        };
        let root = baseline::root_of(path);
        let mut matcher = baseline::Matcher::new(&recorded, &root);
        let (known, new): (Vec<clause::Finding>, Vec<clause::Finding>) =
            std::mem::take(&mut outcome.findings)
                .into_iter()
                .partition(|f| matcher.is_known(f));
        outcome.findings = new;
        outcome.baselined = known;
        if let Some(spilled) = outcome.spilled.take() {
            let (rest, known) = spilled.split_off(|f| matcher.is_known(f));
            outcome.spilled = Some(rest);
            outcome.baselined.extend(known);
        }
        outcome.stale_baseline = matcher.stale(&root, &outcome.checked_files);
    }

    // The `--format` report goes to stdout unless `--output FILE` takes it;
    // then the terminal gets the human report (`stdout_format` above).
    let with_baseline = baseline_file.is_some();
    for output in &args.output {
        let (format, path) = match output {
            OutputSpec::Main(path) => (format, path),
            OutputSpec::As(format, path) => (*format, path),
        };
        let written = std::fs::File::create(path).and_then(|file| {
            let mut out = std::io::BufWriter::new(file);
            write_report(&outcome, format, &prepared, false, with_baseline, &mut out)?;
            out.flush()
        });
        if let Err(e) = written {
            return fail(format!("cannot write {}: {e}", path.display()));
        }
    }
    {
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        let written = write_report(
            &outcome,
            stdout_format,
            &prepared,
            prepared.color,
            with_baseline,
            &mut out,
        )
        .and_then(|()| out.flush());
        // A closed pipe (`clause check | head`) is the reader's choice.
        if let Err(e) = written
            && e.kind() != std::io::ErrorKind::BrokenPipe
        {
            return fail(format!("cannot write the report: {e}"));
        }
    }
    if args.summary == Some(SummaryArg::Controls) {
        print!(
            "{}",
            super::report::controls_summary(&outcome, &prepared, prepared.color)
        );
    }

    let code = if !outcome.errors.is_empty() {
        EXIT_ERROR
    } else if let Some(e) = outcome.spill_failure() {
        // The reports may lack findings: fail rather than pass on fewer.
        eprintln!("error: {e}");
        EXIT_ERROR
    } else if let Some(budget) = max_suppressions
        && outcome.suppressed.len() > budget
    {
        eprintln!(
            "error: {} findings are suppressed inline, over the budget of {budget} (--max-suppressions)",
            outcome.suppressed.len()
        );
        EXIT_FINDINGS
    } else if fail_on.is_some_and(|t| outcome.all_findings().any(|f| f.rule.severity >= t)) {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    };
    // The process ends next: freeing the rule engines, documents and
    // findings value by value would only cost time (a tenth of a one-file
    // run). Findings on disk are dropped, which deletes their file.
    drop(outcome.spilled.take());
    std::mem::forget(outcome);
    std::mem::forget(prepared);
    code
}

/// `clause baseline write FILE`: records today's findings (after inline
/// suppressions) so later runs with `--baseline FILE` report only new ones.
pub fn write_baseline(file: &Path, args: ScanArgs, var_sources: Vec<VarSource>) -> u8 {
    let prepared = match prepare(&args, var_sources, false) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let outcome = evaluate(&prepared);
    if !outcome.errors.is_empty() {
        let style = human::Style {
            color: prepared.color,
            width: 100,
        };
        let mut out = String::new();
        for e in &outcome.errors {
            human::error(&mut out, e, style);
        }
        eprint!("{out}");
        return fail("the baseline was not written: fix the errors above first");
    }
    let recorded = Baseline::of(outcome.all_findings(), &baseline::root_of(file));
    if let Err(e) = std::fs::write(file, recorded.to_json()) {
        return fail(format!("cannot write {}: {e}", file.display()));
    }
    println!(
        "Recorded {} finding(s) in {}; `clause check --baseline {}` now reports only new ones.",
        recorded.findings.len(),
        file.display(),
        file.display()
    );
    EXIT_CLEAN
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

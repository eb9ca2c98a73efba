//! `.clause.toml`: a repository's settings for `clause check`, found upward
//! from the working directory. Paths and globs in it are relative to the
//! folder holding it, so the same file works from any subfolder. Anything
//! it does not know is an error naming the file and line: a misspelt key
//! must not silently switch a control off.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::document::Format;
use crate::rules::Severity;
use crate::source::SourceFile;

pub const FILE_NAME: &str = ".clause.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(default)]
    check: RawCheck,
    #[serde(default)]
    rules: RawRules,
    #[serde(default)]
    terraform: RawTerraform,
    /// Glob → `kubernetes`, `ansible` or `ignore`.
    #[serde(default)]
    formats: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    limits: RawLimits,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLimits {
    max_file_bytes: Option<Spanned<i64>>,
    max_depth: Option<Spanned<i64>>,
    rule_time_limit_seconds: Option<Spanned<f64>>,
    findings_in_memory: Option<Spanned<i64>>,
}

/// The bounds `[limits]` may set, inclusive (see `docs/limits.md`).
pub const MAX_FILE_BYTES_RANGE: (u64, u64) = (1, 1 << 30);
/// YAML and JSON cannot nest `[` and `{` deeper than 255 whatever the limit.
pub const MAX_DEPTH_RANGE: (usize, usize) = (1, 255);
pub const RULE_TIME_LIMIT_RANGE: (f64, f64) = (0.01, 3600.0);
pub const FINDINGS_IN_MEMORY_RANGE: (usize, usize) = (1, 100_000_000);

/// `[limits]`: what a run may spend on one file or one rule. Unset keys keep
/// their defaults.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Limits {
    pub max_file_bytes: Option<u64>,
    pub max_depth: Option<usize>,
    pub rule_time_limit: Option<std::time::Duration>,
    pub findings_in_memory: Option<usize>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCheck {
    paths: Option<Vec<String>>,
    #[serde(default)]
    include: Vec<Spanned<String>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    format: Option<Spanned<String>>,
    fail_on: Option<Spanned<String>>,
    baseline: Option<String>,
    inline_suppressions: Option<bool>,
    max_suppressions: Option<usize>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRules {
    #[serde(default)]
    enable: Vec<Spanned<String>>,
    #[serde(default)]
    disable: Vec<Spanned<String>>,
    #[serde(default)]
    severity: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    custom: Vec<String>,
    builtin: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTerraform {
    #[serde(default)]
    var_files: Vec<String>,
    #[serde(default)]
    vars: BTreeMap<String, toml::Value>,
}

/// What a format override does to matching YAML files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormatOverride {
    Read(Format),
    Ignore,
}

/// The settings, validated, with paths resolved against the config's folder.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file it came from, as the user would type it.
    pub file: String,
    /// The folder the file sits in: globs match paths relative to it.
    pub base: PathBuf,
    pub paths: Option<Vec<PathBuf>>,
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    pub format: Option<String>,
    pub fail_on: Option<Option<Severity>>,
    pub baseline: Option<PathBuf>,
    pub inline_suppressions: Option<bool>,
    pub max_suppressions: Option<usize>,
    pub enable: Vec<String>,
    pub disable: Vec<String>,
    pub severity: Vec<(String, Severity)>,
    pub custom_rules: Vec<PathBuf>,
    pub builtin_rules: Option<bool>,
    pub var_files: Vec<PathBuf>,
    /// `name = value`, with non-string values written as HCL would read them.
    pub vars: Vec<(String, String)>,
    pub formats: Vec<(String, FormatOverride)>,
    pub limits: Limits,
}

/// A problem in the config, located.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

/// The nearest `.clause.toml` in `start` or a folder above it.
pub fn find(start: &Path) -> Option<PathBuf> {
    let start = std::path::absolute(start).ok()?;
    start
        .ancestors()
        .map(|dir| dir.join(FILE_NAME))
        .find(|candidate| candidate.is_file())
}

pub const OUTPUT_FORMATS: &[&str] = &["human", "json", "sarif", "junit", "github", "gitlab"];

pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let display = crate::source::display_path(path);
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
        file: display.clone(),
        line: 1,
        column: 1,
        message: format!("cannot read: {e}"),
    })?;
    let base = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    parse(&text, &display, &base)
}

pub fn parse(text: &str, display: &str, base: &Path) -> Result<Config, ConfigError> {
    let source = SourceFile::new(
        PathBuf::from(display),
        display.to_string(),
        text.to_string(),
    );
    let at = |span: std::ops::Range<usize>, message: String| {
        let pos = source.line_col(span.start);
        ConfigError {
            file: display.to_string(),
            line: pos.line,
            column: pos.column,
            message,
        }
    };
    let raw: Raw = toml::from_str(text).map_err(|e| {
        let message = e.message().trim().to_string();
        at(e.span().unwrap_or(0..0), message)
    })?;
    let resolve = |p: &str| {
        let p = Path::new(p);
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            base.join(p)
        }
    };
    let glob = |g: &Spanned<String>| -> Result<String, ConfigError> {
        globset::Glob::new(g.get_ref())
            .map(|_| g.get_ref().clone())
            .map_err(|e| at(g.span(), format!("invalid glob: {e}")))
    };
    let severity = |s: &Spanned<String>| -> Result<Severity, ConfigError> {
        Severity::parse(s.get_ref()).ok_or_else(|| {
            at(
                s.span(),
                format!(
                    "unknown severity `{}` (critical, high, medium, low or info)",
                    s.get_ref()
                ),
            )
        })
    };
    let mut config = Config {
        file: display.to_string(),
        base: base.to_path_buf(),
        paths: raw
            .check
            .paths
            .map(|ps| ps.iter().map(|p| resolve(p)).collect()),
        baseline: raw.check.baseline.as_deref().map(resolve),
        inline_suppressions: raw.check.inline_suppressions,
        max_suppressions: raw.check.max_suppressions,
        custom_rules: raw.rules.custom.iter().map(|p| resolve(p)).collect(),
        builtin_rules: raw.rules.builtin,
        var_files: raw.terraform.var_files.iter().map(|p| resolve(p)).collect(),
        ..Config::default()
    };
    for g in &raw.check.include {
        config.include.push(glob(g)?);
    }
    for g in &raw.check.exclude {
        config.exclude.push(glob(g)?);
    }
    if let Some(format) = &raw.check.format {
        if !OUTPUT_FORMATS.contains(&format.get_ref().as_str()) {
            return Err(at(
                format.span(),
                format!(
                    "unknown output format `{}` ({})",
                    format.get_ref(),
                    OUTPUT_FORMATS.join(", ")
                ),
            ));
        }
        config.format = Some(format.get_ref().clone());
    }
    if let Some(fail_on) = &raw.check.fail_on {
        config.fail_on = Some(if fail_on.get_ref() == "none" {
            None
        } else {
            Some(severity(fail_on).map_err(|mut e| {
                e.message = format!(
                    "unknown threshold `{}` (critical, high, medium, low, info or none)",
                    fail_on.get_ref()
                );
                e
            })?)
        });
    }
    for g in &raw.rules.enable {
        config.enable.push(glob(g)?.to_uppercase());
    }
    for g in &raw.rules.disable {
        config.disable.push(glob(g)?.to_uppercase());
    }
    for (code, level) in &raw.rules.severity {
        config
            .severity
            .push((code.to_uppercase(), severity(level)?));
    }
    for (name, value) in &raw.terraform.vars {
        config.vars.push((name.clone(), hcl_literal(value)));
    }
    let limits = &raw.limits;
    config.limits.max_file_bytes = (limits.max_file_bytes.as_ref())
        .map(|v| whole_limit(v, "max_file_bytes", MAX_FILE_BYTES_RANGE, &at))
        .transpose()?;
    config.limits.max_depth = (limits.max_depth.as_ref())
        .map(|v| whole_limit(v, "max_depth", MAX_DEPTH_RANGE, &at))
        .transpose()?;
    config.limits.findings_in_memory = (limits.findings_in_memory.as_ref())
        .map(|v| whole_limit(v, "findings_in_memory", FINDINGS_IN_MEMORY_RANGE, &at))
        .transpose()?;
    if let Some(seconds) = &raw.limits.rule_time_limit_seconds {
        let (low, high) = RULE_TIME_LIMIT_RANGE;
        let value = *seconds.get_ref();
        if !(low..=high).contains(&value) {
            return Err(at(
                seconds.span(),
                format!("rule_time_limit_seconds must be between {low} and {high}"),
            ));
        }
        config.limits.rule_time_limit = Some(std::time::Duration::from_secs_f64(value));
    }
    for (pattern, format) in &raw.formats {
        globset::Glob::new(pattern)
            .map_err(|e| at(format.span(), format!("invalid glob `{pattern}`: {e}")))?;
        let chosen = match format.get_ref().as_str() {
            "kubernetes" => FormatOverride::Read(Format::Kubernetes),
            "ansible" => FormatOverride::Read(Format::Ansible),
            "ignore" => FormatOverride::Ignore,
            other => {
                return Err(at(
                    format.span(),
                    format!("unknown format `{other}` (kubernetes, ansible or ignore)"),
                ));
            }
        };
        config.formats.push((pattern.clone(), chosen));
    }
    Ok(config)
}

/// A TOML value as `--var NAME=VALUE` would spell it: strings bare, the
/// rest as HCL literals.
fn hcl_literal(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => s.clone(),
        toml::Value::Array(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|v| match v {
                    toml::Value::String(s) => format!("{s:?}"),
                    other => hcl_literal(other),
                })
                .collect::<Vec<_>>()
                .join(", ")
        ),
        toml::Value::Table(table) => format!(
            "{{{}}}",
            table
                .iter()
                .map(|(k, v)| {
                    let v = match v {
                        toml::Value::String(s) => format!("{s:?}"),
                        other => hcl_literal(other),
                    };
                    format!("{k:?} = {v}")
                })
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => other.to_string(),
    }
}

/// What `clause init` writes: every setting, commented, with its default.
pub const STARTER: &str = r#"# clause configuration. Paths and globs are relative to this file's folder.
# Command-line flags override these settings.

[check]
# What `clause check` with no paths checks.
# paths = ["."]
# Only check files matching these globs (default: everything clause reads).
# include = ["infra/**", "deploy/**"]
# Never check files matching these globs.
# exclude = ["**/testdata/**"]
# Output on stdout: human, json, sarif, junit, github or gitlab.
# format = "human"
# Exit 1 on findings at or above: critical, high, medium, low, info or none.
# fail_on = "low"
# Report only findings not recorded in this baseline (`clause baseline write`).
# baseline = ".clause-baseline.json"
# Set to false to ignore `# clause:ignore` comments (for example in CI).
# inline_suppressions = true
# Fail the run when more findings than this are suppressed inline.
# max_suppressions = 20

[rules]
# Only run these rules (codes or globs).
# enable = ["CL-AWS-*", "CL-K8S-*"]
# Never run these rules.
# disable = ["CL-K8S-012"]
# Folders of custom rules, loaded beside the built-in ones.
# custom = ["policy/"]
# Set to false to run only custom rules.
# builtin = true

# Severity overrides, by rule code.
[rules.severity]
# "CL-K8S-001" = "critical"

[terraform]
# Variable files, applied in order after terraform.tfvars and *.auto.tfvars.
# var_files = ["env/prod.tfvars"]
# Variable values, as `--var NAME=VALUE`.
# vars = { region = "eu-west-1" }

# Read YAML files matching a glob as a given format: kubernetes, ansible or ignore.
[formats]
# "deploy/*.yml" = "kubernetes"

# What one file or one rule may cost (docs/limits.md).
[limits]
# Files larger than this many bytes are reported, not read.
# max_file_bytes = 20971520
# How deeply collections, blocks and calls may nest in a file (at most 255).
# max_depth = 200
# Seconds one rule may take on one document before it is stopped.
# rule_time_limit_seconds = 5
# Findings held in memory; past it they go to temporary files.
# findings_in_memory = 20000
"#;

/// A `[limits]` whole number, within its inclusive range.
fn whole_limit<T: TryFrom<i64> + PartialOrd + Copy + std::fmt::Display>(
    value: &Spanned<i64>,
    name: &str,
    (low, high): (T, T),
    at: &dyn Fn(std::ops::Range<usize>, String) -> ConfigError,
) -> Result<T, ConfigError> {
    T::try_from(*value.get_ref())
        .ok()
        .filter(|v| (low..=high).contains(v))
        .ok_or_else(|| {
            at(
                value.span(),
                format!("{name} must be between {low} and {high}"),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> Result<Config, ConfigError> {
        parse(text, ".clause.toml", Path::new("."))
    }

    #[test]
    fn the_starter_config_parses() {
        let config = parse_text(STARTER).unwrap();
        assert!(config.enable.is_empty() && config.fail_on.is_none());
    }

    #[test]
    fn unknown_keys_are_located() {
        let e = parse_text("[check]\nfail_on = \"high\"\nfial_on = \"low\"\n").unwrap_err();
        assert_eq!((e.line, e.column), (3, 1), "{e}");
        assert!(e.message.contains("fial_on"), "{e}");
    }

    #[test]
    fn bad_values_are_located() {
        let e = parse_text("[rules.severity]\n\"CL-K8S-001\" = \"urgent\"\n").unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        assert!(e.message.contains("urgent"));
        let e = parse_text("[formats]\n\"x/*.yml\" = \"helm\"\n").unwrap_err();
        assert!(e.message.contains("helm") && e.line == 2, "{e}");
    }

    #[test]
    fn values_become_var_literals() {
        let c = parse_text("[terraform]\nvars = { cidrs = [\"10.0.0.0/8\"], n = 3 }\n").unwrap();
        assert_eq!(
            c.vars,
            [
                ("cidrs".to_string(), "[\"10.0.0.0/8\"]".to_string()),
                ("n".to_string(), "3".to_string())
            ]
        );
    }

    #[test]
    fn limits_are_read_and_checked() {
        let c = parse_text(
            "[limits]\nmax_file_bytes = 1048576\nmax_depth = 64\nrule_time_limit_seconds = 2\nfindings_in_memory = 500\n",
        )
        .unwrap();
        assert_eq!(
            c.limits,
            Limits {
                max_file_bytes: Some(1_048_576),
                max_depth: Some(64),
                rule_time_limit: Some(std::time::Duration::from_secs(2)),
                findings_in_memory: Some(500),
            }
        );
        let c = parse_text("[limits]\nrule_time_limit_seconds = 0.25\n").unwrap();
        assert_eq!(
            c.limits.rule_time_limit,
            Some(std::time::Duration::from_millis(250))
        );
        assert_eq!(parse_text("").unwrap().limits, Limits::default());
        for (text, says) in [
            (
                "[limits]\nmax_depth = 0\n",
                "max_depth must be between 1 and 255",
            ),
            ("[limits]\nmax_depth = 256\n", "max_depth must be between"),
            (
                "[limits]\nfindings_in_memory = 0\n",
                "findings_in_memory must be between",
            ),
            (
                "[limits]\nmax_file_bytes = 0\n",
                "max_file_bytes must be between",
            ),
            (
                "[limits]\nmax_file_bytes = -5\n",
                "max_file_bytes must be between",
            ),
            (
                "[limits]\nrule_time_limit_seconds = -1\n",
                "rule_time_limit_seconds",
            ),
            (
                "[limits]\nrule_time_limit_seconds = nan\n",
                "rule_time_limit_seconds",
            ),
            ("[limits]\nmax_depht = 3\n", "max_depht"),
        ] {
            let e = parse_text(text).unwrap_err();
            assert!(e.message.contains(says), "{text}: {e}");
            assert_eq!(e.line, 2, "{text}: {e}");
        }
    }
}

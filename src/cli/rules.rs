//! `clause rules` and `clause explain`: what each rule checks and which
//! controls it evidences, read from the rules' own metadata.

use std::fmt::Write as _;

use clap::ValueEnum;
use serde_json::json;

use clause::controls::matches_prefix;
use clause::render::human::controls_line;
use clause::rules::Rule;

use super::{EXIT_CLEAN, EXIT_ERROR, RuleArgs, print_rule_errors, use_color};

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
    Markdown,
    /// The rule reference grouped by control (docs/rules.md)
    Reference,
}

#[derive(clap::Args)]
pub struct RulesArgs {
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    format: ListFormat,
    /// Only rules evidencing controls under this prefix (2005 or 2022 numbering, repeatable)
    #[arg(long, value_name = "PREFIX")]
    control: Vec<String>,
    /// Print which rules evidence each control in each format, and the gaps
    #[arg(long)]
    coverage: bool,
    #[command(flatten)]
    rules: RuleArgs,
}

#[derive(clap::Args)]
pub struct ExplainArgs {
    /// The rule code, e.g. CL-K8S-001
    code: String,
    #[command(flatten)]
    rules: RuleArgs,
}

fn source(rule: &Rule) -> String {
    if rule.builtin {
        "built-in".to_string()
    } else {
        rule.file.clone()
    }
}

pub fn list(args: RulesArgs) -> u8 {
    let set = match args.rules.load() {
        Ok(s) => s,
        Err(errors) => {
            print_rule_errors(&errors, use_color(false));
            return EXIT_ERROR;
        }
    };
    let rules: Vec<&Rule> = set
        .rules
        .iter()
        .filter(|r| {
            args.control.is_empty()
                || args.control.iter().any(|p| {
                    r.meta.controls_2005.iter().any(|c| matches_prefix(c, p))
                        || r.meta.controls_2022.iter().any(|c| matches_prefix(c, p))
                })
        })
        .collect();
    if args.coverage {
        let selected: Vec<Rule> = rules.iter().map(|r| (*r).clone()).collect();
        match args.format {
            ListFormat::Json => println!(
                "{}",
                serde_json::to_string_pretty(&clause::render::library::coverage_json(&selected))
                    .unwrap_or_default()
            ),
            _ => print!("{}", clause::render::library::coverage_text(&selected)),
        }
        return EXIT_CLEAN;
    }
    let mut out = String::new();
    match args.format {
        ListFormat::Reference => {
            let selected: Vec<Rule> = rules.iter().map(|r| (*r).clone()).collect();
            out = clause::render::library::reference(&selected);
        }
        ListFormat::Json => {
            let items: Vec<_> = rules
                .iter()
                .map(|r| {
                    json!({
                        "id": r.meta.id,
                        "title": r.meta.title,
                        "severity": r.meta.severity,
                        "targets": r.meta.targets,
                        "provider": r.meta.provider,
                        "controls": {
                            "iso27002:2005": r.meta.controls_2005,
                            "iso27002:2022": r.meta.controls_2022,
                        },
                        "applies_to": r.meta.applies_to,
                        "description": r.meta.description,
                        "remediation": r.meta.remediation,
                        "source": source(r),
                    })
                })
                .collect();
            out = serde_json::to_string_pretty(&json!({"rules": items})).unwrap_or_default();
            out.push('\n');
        }
        ListFormat::Markdown => {
            out.push_str("| Code | Severity | Targets | ISO/IEC 27002:2005 | 2022 | Title |\n");
            out.push_str("|---|---|---|---|---|---|\n");
            for r in &rules {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} | {} |",
                    r.meta.id,
                    r.meta.severity,
                    targets(r),
                    r.meta.controls_2005.join(", "),
                    r.meta.controls_2022.join(", "),
                    r.meta.title
                );
            }
        }
        ListFormat::Table => {
            let rows: Vec<[String; 5]> = rules
                .iter()
                .map(|r| {
                    [
                        r.meta.id.clone(),
                        r.meta.severity.name().to_string(),
                        targets(r),
                        format!(
                            "{} / {}",
                            r.meta.controls_2005.join(","),
                            r.meta.controls_2022.join(",")
                        ),
                        r.meta.title.clone(),
                    ]
                })
                .collect();
            let header = [
                "CODE",
                "SEVERITY",
                "TARGETS",
                "CONTROLS 2005 / 2022",
                "TITLE",
            ]
            .map(String::from);
            let widths: Vec<usize> = (0..4)
                .map(|i| {
                    rows.iter()
                        .chain([&header])
                        .map(|r| r[i].chars().count())
                        .max()
                        .unwrap_or(0)
                })
                .collect();
            for row in [&header].into_iter().chain(rows.iter()) {
                let _ = writeln!(
                    out,
                    "{:<w0$}  {:<w1$}  {:<w2$}  {:<w3$}  {}",
                    row[0],
                    row[1],
                    row[2],
                    row[3],
                    row[4],
                    w0 = widths[0],
                    w1 = widths[1],
                    w2 = widths[2],
                    w3 = widths[3]
                );
            }
            let _ = writeln!(out, "{} rules", rules.len());
        }
    }
    print!("{out}");
    EXIT_CLEAN
}

fn targets(r: &Rule) -> String {
    let names: Vec<&str> = r.meta.targets.iter().map(|t| t.name()).collect();
    match &r.meta.provider {
        Some(p) => format!("{} ({p})", names.join(",")),
        None => names.join(","),
    }
}

pub fn explain(args: ExplainArgs) -> u8 {
    let set = match args.rules.load() {
        Ok(s) => s,
        Err(errors) => {
            print_rule_errors(&errors, use_color(false));
            return EXIT_ERROR;
        }
    };
    let Some(rule) = set.get(&args.code) else {
        let wanted = args.code.to_uppercase();
        let prefix: String = wanted.chars().take(6).collect();
        let close: Vec<&str> = set
            .rules
            .iter()
            .map(|r| r.meta.id.as_str())
            .filter(|id| id.starts_with(&prefix))
            .take(8)
            .collect();
        eprintln!("error: no rule with code `{}`", args.code);
        if !close.is_empty() {
            eprintln!("  similar codes: {}", close.join(", "));
        }
        eprintln!("  `clause rules` lists every rule");
        return EXIT_ERROR;
    };
    let m = &rule.meta;
    let mut out = String::new();
    let _ = writeln!(out, "{}  {}", m.id, m.title);
    let _ = writeln!(out);
    let _ = writeln!(out, "severity:  {}", m.severity);
    let _ = writeln!(out, "targets:   {}", targets(rule));
    let _ = writeln!(out, "controls:  {}", controls_line(m));
    if !m.applies_to.is_empty() {
        let _ = writeln!(out, "examines:  {}", m.applies_to.join(", "));
    }
    let _ = writeln!(out, "source:    {} ({})", source(rule), rule.file);
    let _ = writeln!(out);
    let _ = writeln!(out, "{}", wrap(&m.description, 88));
    let _ = writeln!(out);
    let _ = writeln!(out, "How to fix:");
    let _ = writeln!(out, "{}", wrap(&m.remediation, 88));
    print!("{out}");
    EXIT_CLEAN
}

fn wrap(text: &str, width: usize) -> String {
    let mut lines = Vec::new();
    for paragraph in text.split("\n\n") {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty() && line.len() + 1 + word.len() > width {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        lines.push(line);
        lines.push(String::new());
    }
    lines.pop();
    lines.join("\n")
}

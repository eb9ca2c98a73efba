//! The machine contract of `clause check --format json`. Field names and
//! meanings here stay stable; new fields may be added.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Value, json};

use crate::check::Outcome;
use crate::document::Seg;
use crate::finding::Finding;
use crate::rules::Severity;

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule_id: &'a str,
    severity: Severity,
    title: &'a str,
    message: &'a str,
    controls: Value,
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    resource: Option<&'a str>,
    remediation: &'a str,
    /// The document the finding came from (module dir, file, `file#index`).
    unit: &'a str,
    /// The path into the document's input the rule returned.
    path: Vec<Value>,
    related: Vec<Value>,
}

pub fn controls(f: &Finding) -> Value {
    json!({
        "iso27002:2005": f.rule.controls_2005,
        "iso27002:2022": f.rule.controls_2022,
    })
}

pub fn path_json(path: &[Seg]) -> Vec<Value> {
    path.iter()
        .map(|s| match s {
            Seg::Key(k) => Value::String(k.clone()),
            Seg::Index(i) => Value::from(*i),
        })
        .collect()
}

fn finding(f: &Finding) -> JsonFinding<'_> {
    JsonFinding {
        rule_id: &f.rule.id,
        severity: f.rule.severity,
        title: &f.rule.title,
        message: &f.message,
        controls: controls(f),
        file: &f.file.display,
        line: f.start.line,
        column: f.start.column,
        end_line: f.end.line,
        end_column: f.end.column,
        resource: f.resource.as_deref(),
        remediation: &f.rule.remediation,
        unit: &f.unit,
        path: path_json(&f.path),
        related: f
            .related
            .iter()
            .map(|r| {
                let at = r.file.line_col(r.span.start as usize);
                json!({"file": r.file.display, "line": at.line, "column": at.column, "message": r.message})
            })
            .collect(),
    }
}

pub fn render(outcome: &Outcome) -> String {
    let mut by_severity: BTreeMap<&str, usize> =
        Severity::ALL.iter().map(|s| (s.name(), 0)).collect();
    let mut by_control: BTreeMap<String, usize> = BTreeMap::new();
    for f in &outcome.findings {
        *by_severity.entry(f.rule.severity.name()).or_default() += 1;
        for c in &f.rule.controls_2005 {
            *by_control.entry(c.clone()).or_default() += 1;
        }
    }
    let report = json!({
        "version": crate::VERSION,
        "findings": outcome.findings.iter().map(finding).collect::<Vec<_>>(),
        "errors": outcome.errors.iter().map(|e| json!({
            "file": e.file, "line": e.line, "column": e.column, "message": e.message,
        })).collect::<Vec<_>>(),
        "warnings": outcome.warnings,
        "notices": outcome.notices,
        "inconclusive": outcome.inconclusive.iter().map(|i| json!({
            "rule_id": i.rule.id, "message": i.message, "file": i.file.display,
            "line": i.start.line, "column": i.start.column, "resource": i.resource,
            "controls": {"iso27002:2005": i.rule.controls_2005, "iso27002:2022": i.rule.controls_2022},
        })).collect::<Vec<_>>(),
        "summary": {
            "files": outcome.stats.files,
            "documents": outcome.stats.documents,
            "skipped": outcome.stats.skipped,
            "rules": outcome.stats.rules,
            "findings": outcome.findings.len(),
            "inconclusive": outcome.inconclusive.len(),
            "by_severity": by_severity,
            "by_control": {"iso27002:2005": by_control},
            "terraform_values": {
                "resolved": outcome.stats.terraform_values_known,
                "unknown": outcome.stats.terraform_values_unknown,
            },
            "ansible": {
                "tasks": outcome.stats.ansible_tasks,
                "modules_normalised": outcome.stats.ansible_modules_normalised,
                "templates_resolved": outcome.stats.ansible_templates_resolved,
                "templates_unknown": outcome.stats.ansible_templates_unknown,
            },
        },
    });
    let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
    text.push('\n');
    text
}

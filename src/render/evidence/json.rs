//! The evidence report as JSON: the schema is documented in
//! docs/evidence-report.md and stays stable for GRC tooling (fields may be
//! added; none change meaning).

use serde_json::{Value, json};

use super::{at, at_inconclusive};
use crate::evidence::Report;

pub const SCHEMA_VERSION: u32 = 1;

pub fn render(report: &Report<'_>) -> String {
    let sections: Vec<Value> = report
        .sections
        .iter()
        .map(|s| {
            json!({
                "number": s.number,
                "title": s.title,
                "controls": s.controls.iter().map(|c| {
                    let mut value = serde_json::to_value(c).unwrap_or(Value::Null);
                    if let Some(map) = value.as_object_mut() {
                        map.insert("status_label".into(), json!(c.status.label()));
                        map.insert("failures".into(), json!(c.failures.iter().map(|f| json!({
                            "rule_id": f.rule.id, "severity": f.rule.severity, "file": f.file.display,
                            "line": f.start.line, "column": f.start.column, "resource": f.resource,
                            "message": f.message, "location": at(f),
                        })).collect::<Vec<_>>()));
                        map.insert("suppressed".into(), json!(c.suppressed.iter().map(|s| json!({
                            "rule_id": s.finding.rule.id, "file": s.finding.file.display,
                            "line": s.finding.start.line, "resource": s.finding.resource,
                            "message": s.finding.message, "reason": s.by.reason,
                            "until": s.by.until.map(|d| d.to_string()),
                            "directive": format!("{}:{}", s.by.file, s.by.line),
                        })).collect::<Vec<_>>()));
                        map.insert("inconclusive".into(), json!(c.inconclusive.iter().map(|i| json!({
                            "rule_id": i.rule.id, "file": i.file.display, "line": i.start.line,
                            "resource": i.resource, "message": i.message, "location": at_inconclusive(i),
                        })).collect::<Vec<_>>()));
                    }
                    value
                }).collect::<Vec<_>>(),
            })
        })
        .collect();
    let value = json!({
        "schema": "https://clause.dev/schemas/evidence-report/v1",
        "schema_version": SCHEMA_VERSION,
        "standard": format!("ISO/IEC 27002:{}", report.edition.name()),
        "edition": report.edition,
        "scan": report.scan,
        "status_counts": report.status_counts,
        "sections": sections,
    });
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

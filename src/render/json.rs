//! The machine contract of `clause check --format json`. Field names and
//! meanings here stay stable; new fields may be added.

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Value, json};

use crate::baseline::Fingerprinter;
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
    /// Stable across edits that move lines (see `baseline`).
    fingerprint: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressed: Option<Value>,
}

type Listed<'a> = (Cow<'a, Finding>, Option<Value>);

/// Findings written one by one as the report is serialized, straight from
/// memory or disk, so a run with a million findings never holds their JSON
/// form (or the findings themselves) all at once.
struct Findings<'a> {
    /// Each finding with what a suppressed one says about its suppression.
    items: Cell<Option<Box<dyn Iterator<Item = Listed<'a>> + 'a>>>,
}

impl<'a> Findings<'a> {
    fn of(findings: impl Iterator<Item = Listed<'a>> + 'a) -> Self {
        Findings {
            items: Cell::new(Some(Box::new(findings))),
        }
    }

    fn plain(findings: impl Iterator<Item = Cow<'a, Finding>> + 'a) -> Self {
        Findings::of(findings.map(|f| (f, None)))
    }
}

impl Serialize for Findings<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut fingerprinter = Fingerprinter::new(None);
        let mut seq = serializer.serialize_seq(None)?;
        for (f, suppressed) in self.items.take().into_iter().flatten() {
            let print = fingerprinter.next(&f);
            seq.serialize_element(&JsonFinding {
                suppressed,
                ..finding(&f, print)
            })?;
        }
        seq.end()
    }
}

#[derive(Serialize)]
struct JsonReport<'a, S: Serialize> {
    version: &'a str,
    findings: Findings<'a>,
    suppressed_findings: Findings<'a>,
    baselined_findings: Findings<'a>,
    stale_baseline_entries: &'a S,
    suppression_warnings: Vec<Value>,
    errors: Vec<Value>,
    warnings: &'a [String],
    notices: &'a [String],
    inconclusive: Vec<Value>,
    summary: Value,
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

fn finding<'a>(f: &'a Finding, fingerprint: String) -> JsonFinding<'a> {
    JsonFinding {
        fingerprint,
        suppressed: None,
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
                json!({"file": r.file.display, "line": r.start.line, "column": r.start.column, "message": r.message})
            })
            .collect(),
    }
}

/// The report, written to `out` as it is serialized.
pub fn write(outcome: &Outcome, out: &mut impl std::io::Write) -> std::io::Result<()> {
    let mut by_severity: BTreeMap<&str, usize> =
        Severity::ALL.iter().map(|s| (s.name(), 0)).collect();
    let mut by_control: BTreeMap<String, usize> = BTreeMap::new();
    for f in outcome.all_findings() {
        *by_severity.entry(f.rule.severity.name()).or_default() += 1;
        for c in &f.rule.controls_2005 {
            *by_control.entry(c.clone()).or_default() += 1;
        }
    }
    let findings = Findings::plain(outcome.all_findings());
    let suppressed = Findings::of(outcome.suppressed.iter().map(|s| {
        let by = json!({
            "reason": s.by.reason,
            "until": s.by.until.map(|d| d.to_string()),
            "file": s.by.file,
            "line": s.by.line,
            "scope": s.by.scope.name(),
        });
        (Cow::Borrowed(&s.finding), Some(by))
    }));
    let baselined = Findings::plain(outcome.baselined.iter().map(Cow::Borrowed));
    // A struct rather than `json!`, so the findings are written straight
    // from the outcome instead of first being copied into a `Value` tree
    // (with a million findings that copy was most of the run's memory).
    let report = JsonReport {
        version: crate::VERSION,
        findings,
        suppressed_findings: suppressed,
        baselined_findings: baselined,
        stale_baseline_entries: &outcome.stale_baseline,
        suppression_warnings: outcome
            .suppression_notices
            .iter()
            .map(|n| json!({"file": n.file, "line": n.line, "message": n.message}))
            .collect(),
        errors: outcome
            .errors
            .iter()
            .map(|e| {
                json!({
                    "file": e.file, "line": e.line, "column": e.column, "message": e.message,
                })
            })
            .collect(),
        warnings: &outcome.warnings,
        notices: &outcome.notices,
        inconclusive: outcome.inconclusive.iter().map(|i| json!({
            "rule_id": i.rule.id, "message": i.message, "file": i.file.display,
            "line": i.start.line, "column": i.start.column, "resource": i.resource,
            "controls": {"iso27002:2005": i.rule.controls_2005, "iso27002:2022": i.rule.controls_2022},
        })).collect(),
        summary: json!({
            "files": outcome.stats.files,
            "documents": outcome.stats.documents,
            "skipped": outcome.stats.skipped,
            "rules": outcome.stats.rules,
            "findings": outcome.finding_count(),
            "suppressed": outcome.suppressed.len(),
            "baselined": outcome.baselined.len(),
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
        }),
    };
    serde_json::to_writer_pretty(&mut *out, &report)?;
    out.write_all(b"\n")
}

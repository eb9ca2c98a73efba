//! The evidence report as JSON: the schema is documented in
//! docs/evidence-report.md and stays stable for GRC tooling (fields may be
//! added; none change meaning).

use std::io;

use serde_json::{Value, json};

use super::{at, at_inconclusive};
use crate::evidence::Report;
use crate::finding::Finding;

pub const SCHEMA_VERSION: u32 = 1;

/// Where a control's `failures` list goes in the document: each mark, in
/// document order, is replaced by the next control's `Listing`. A string
/// value holding a control character is written escaped, so no value of
/// the report itself can read as the mark.
const MARK: &str = "\u{1}listing";
const MARKED: &str = "\"failures\": \"\\u0001listing\"";

/// The indent of a failure in the pretty document: root, `sections`, a
/// section, `controls`, a control, `failures`.
const ITEM_INDENT: &str = "            ";

/// One failing finding, as an item of its control's `failures` list.
pub fn failure(index: usize, f: &Finding, out: &mut String) {
    if index > 0 {
        out.push_str(",\n");
    }
    let item = json!({
        "rule_id": f.rule.id, "severity": f.rule.severity, "file": f.file.display,
        "line": f.start.line, "column": f.start.column, "resource": f.resource,
        "message": f.message, "location": at(f),
    });
    let text = serde_json::to_string_pretty(&item).unwrap_or_default();
    for (n, line) in text.lines().enumerate() {
        if n > 0 {
            out.push('\n');
        }
        out.push_str(ITEM_INDENT);
        out.push_str(line);
    }
}

pub fn render(report: &mut Report<'_>, sink: &mut dyn io::Write) -> io::Result<()> {
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
                        map.insert("failures".into(), json!(MARK));
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
    let text = serde_json::to_string_pretty(&value).map_err(io::Error::other)?;
    let mut listings = report
        .sections
        .iter_mut()
        .flat_map(|s| s.controls.iter_mut())
        .map(|c| &mut c.failures);
    let mut rest = text.as_str();
    while let Some(at) = rest.find(MARKED) {
        sink.write_all(&rest.as_bytes()[..at])?;
        sink.write_all(b"\"failures\": ")?;
        rest = &rest[at + MARKED.len()..];
        let Some(listing) = listings.next() else {
            return Err(io::Error::other("a control's failures were not listed"));
        };
        if listing.count == 0 {
            sink.write_all(b"[]")?;
        } else {
            sink.write_all(b"[\n")?;
            listing.write_to(sink)?;
            sink.write_all(b"\n          ]")?;
        }
    }
    sink.write_all(rest.as_bytes())?;
    sink.write_all(b"\n")
}

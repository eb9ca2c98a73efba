//! GitLab Code Quality report (`artifacts: reports: codequality`): a JSON
//! array of issues that GitLab shows in merge requests. Its severities are
//! info, minor, major, critical and blocker; clause's five map onto them in
//! order. The fingerprint is the same stable one JSON and SARIF carry, so
//! GitLab tells new issues from existing ones across pushes.

use serde_json::json;

use crate::baseline::Fingerprinter;
use crate::check::Outcome;
use crate::finding::Finding;
use crate::rules::Severity;

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "blocker",
        Severity::High => "critical",
        Severity::Medium => "major",
        Severity::Low => "minor",
        Severity::Info => "info",
    }
}

/// The report, written to `out` issue by issue: a run may have a million
/// findings, read back from disk, and their JSON is never held at once.
pub fn write(outcome: &Outcome, out: &mut impl std::io::Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &Issues::new(outcome))?;
    out.write_all(b"\n")
}

struct Issues<'a> {
    outcome: &'a Outcome,
}

impl<'a> Issues<'a> {
    fn new(outcome: &'a Outcome) -> Self {
        Issues { outcome }
    }
}

impl serde::Serialize for Issues<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut fingerprinter = Fingerprinter::new(None);
        let mut seq = serializer.serialize_seq(None)?;
        for f in self.outcome.all_findings() {
            let fingerprint = fingerprinter.next(&f);
            seq.serialize_element(&issue(&f, fingerprint))?;
        }
        seq.end()
    }
}

fn issue(f: &Finding, fingerprint: String) -> serde_json::Value {
    let controls = super::cited_controls(&f.rule);
    json!({
        "type": "issue",
        "check_name": f.rule.id,
        "description": format!("{}: {} [{controls}]", f.rule.id, f.message),
        "content": {"body": format!("{}\n\nHow to fix: {}", f.rule.description, f.rule.remediation)},
        "categories": ["Security"],
        "severity": severity(f.rule.severity),
        "fingerprint": fingerprint,
        "location": {
            "path": f.file.display.strip_prefix("./").unwrap_or(&f.file.display),
            "positions": {
                "begin": {"line": f.start.line, "column": f.start.column},
                "end": {"line": f.end.line, "column": f.end.column},
            },
        },
    })
}

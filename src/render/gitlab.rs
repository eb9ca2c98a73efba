//! GitLab Code Quality report (`artifacts: reports: codequality`): a JSON
//! array of issues that GitLab shows in merge requests. Its severities are
//! info, minor, major, critical and blocker; clause's five map onto them in
//! order. The fingerprint is the same stable one JSON and SARIF carry, so
//! GitLab tells new issues from existing ones across pushes.

use serde_json::json;

use crate::baseline::Fingerprinter;
use crate::check::Outcome;
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

pub fn render(outcome: &Outcome) -> String {
    let mut fingerprinter = Fingerprinter::new(None);
    let issues: Vec<_> = outcome
        .all_findings()
        .map(|f| {
            let fingerprint = fingerprinter.next(&f);
            let controls = f
                .rule
                .controls_2005
                .iter()
                .map(|c| format!("ISO/IEC 27002:2005 {c}"))
                .collect::<Vec<_>>()
                .join(", ");
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
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&issues).unwrap_or_default();
    text.push('\n');
    text
}

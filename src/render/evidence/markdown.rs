//! The evidence report as Markdown: for review in a pull request or an
//! ISMS wiki.

use std::fmt::Write as _;
use std::io;

use super::{at, at_inconclusive, at_suppressed};
use crate::evidence::{Report, Status};
use crate::finding::Finding;

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// One failing finding, as a list item.
pub fn failure(_index: usize, f: &Finding, out: &mut String) {
    let _ = writeln!(
        out,
        "- **fails** {} `{}` {}: {}",
        f.rule.id,
        at(f),
        f.resource.as_deref().unwrap_or(""),
        cell(&f.message)
    );
}

pub fn render(report: &mut Report<'_>, sink: &mut dyn io::Write) -> io::Result<()> {
    let mut out = String::new();
    let edition = report.edition.name();
    let _ = writeln!(out, "# ISO/IEC 27002:{edition} evidence\n");
    let s = &report.scan;
    let _ = writeln!(
        out,
        "Scanned {} on {} with {} {} ({} rules, rule set `{}`).\n",
        s.paths.join(", "),
        s.scan_time,
        s.tool,
        s.tool_version,
        s.rules,
        &s.rule_set_digest[..s.rule_set_digest.len().min(16)]
    );
    let _ = writeln!(out, "| status | controls |\n|---|---|");
    for status in Status::ALL {
        let _ = writeln!(
            out,
            "| {} | {} |",
            status.label(),
            report.status_counts.get(status.key()).copied().unwrap_or(0)
        );
    }
    out.push('\n');
    for section in &mut report.sections {
        let _ = writeln!(out, "## {} {}\n", section.number, section.title);
        let _ = writeln!(
            out,
            "| control | status | examined | passed | failed | suppressed | inconclusive | rules |\n|---|---|---:|---:|---:|---:|---:|---|"
        );
        for c in &section.controls {
            let rules: Vec<&str> = c.rules.iter().map(|r| r.id).collect();
            let counterparts: Vec<&str> = c.counterparts.iter().map(|p| p.id.as_str()).collect();
            let _ = writeln!(
                out,
                "| **{}** {} ({}) | {} | {} | {} | {} | {} | {} | {} |",
                c.id,
                cell(&c.title),
                counterparts.join(", "),
                c.status.label(),
                c.counts.examined,
                c.counts.passed,
                c.counts.failed,
                c.counts.suppressed,
                c.counts.inconclusive,
                rules.join(" ")
            );
        }
        out.push('\n');
        for c in &mut section.controls {
            if c.failures.count == 0 && c.suppressed.is_empty() && c.inconclusive.is_empty() {
                continue;
            }
            let _ = writeln!(out, "### {} {}\n", c.id, c.title);
            sink.write_all(out.as_bytes())?;
            out.clear();
            c.failures.write_to(sink)?;
            for s in &c.suppressed {
                let _ = writeln!(
                    out,
                    "- **suppressed** {} `{}`: {} (reason: {}{})",
                    s.finding.rule.id,
                    at_suppressed(s),
                    cell(&s.finding.message),
                    cell(&s.by.reason),
                    s.by.until
                        .map(|d| format!(", until {d}"))
                        .unwrap_or_default()
                );
            }
            for i in &c.inconclusive {
                let _ = writeln!(
                    out,
                    "- **inconclusive** {} `{}`: {}",
                    i.rule.id,
                    at_inconclusive(i),
                    cell(&i.message)
                );
            }
            out.push('\n');
        }
    }
    sink.write_all(out.as_bytes())
}

//! The statement of applicability helper: the control list as CSV with
//! what clause evidences and what stays manual, ready for an ISMS document.

use crate::evidence::{Report, Status};

pub fn render(report: &Report<'_>, sink: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut writer = csv::Writer::from_writer(sink);
    let edition = report.edition.name();
    let other = if edition == "2005" { "2022" } else { "2005" };
    writer.write_record([
        format!("control_{edition}"),
        "title".to_string(),
        format!("control_{other}"),
        "evidence".to_string(),
        "rules".to_string(),
        "result_of_this_scan".to_string(),
        "what_configuration_shows".to_string(),
    ])?;
    for c in report.sections.iter().flat_map(|s| &s.controls) {
        let evidence = match c.status {
            Status::Organisational | Status::NoRule => "manual",
            _ if c.configuration_evidence == crate::controls::Evidence::Partial => {
                "partly evidenced by clause; the rest manual"
            }
            _ => "evidenced by clause",
        };
        let rules: Vec<&str> = c.rules.iter().map(|r| r.id).collect();
        let counterparts: Vec<&str> = c.counterparts.iter().map(|p| p.id.as_str()).collect();
        let result = match c.status {
            Status::Organisational | Status::NoRule => String::new(),
            _ => format!(
                "{}: {} examined, {} passed, {} failed, {} suppressed, {} inconclusive",
                c.status.label(),
                c.counts.examined,
                c.counts.passed,
                c.counts.failed,
                c.counts.suppressed,
                c.counts.inconclusive
            ),
        };
        writer.write_record([
            c.id.as_str(),
            c.title.as_str(),
            &counterparts.join(" "),
            evidence,
            &rules.join(" "),
            &result,
            c.configuration_shows.as_str(),
        ])?;
    }
    writer.flush()
}

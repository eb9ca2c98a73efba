//! GitHub Actions workflow commands: each finding becomes an annotation on
//! the pull request's diff (`::error file=…,line=…::message`). Severity
//! picks the annotation level: critical and high are errors, medium
//! warnings, low and info notices.

use std::io::Write;

use crate::check::Outcome;
use crate::rules::Severity;

/// Escapes a command's message (`%`, CR, LF), as the runner decodes it.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value, where `:` and `,` also end the value.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "notice",
    }
}

/// The annotations, written line by line: there may be a million findings.
pub fn write(outcome: &Outcome, out: &mut impl Write) -> std::io::Result<()> {
    for e in &outcome.errors {
        writeln!(
            out,
            "::error file={},line={},col={},title={}::{}",
            escape_property(&e.file),
            e.line,
            e.column,
            escape_property("clause: cannot check file"),
            escape_data(&e.message)
        )?;
    }
    for f in outcome.all_findings() {
        let controls = f
            .rule
            .controls_2005
            .iter()
            .zip(
                f.rule
                    .controls_2022
                    .iter()
                    .map(Some)
                    .chain(std::iter::repeat(None)),
            )
            .map(|(old, new)| match new {
                Some(new) => format!("ISO/IEC 27002 {old} (2022: {new})"),
                None => format!("ISO/IEC 27002 {old}"),
            })
            .collect::<Vec<_>>()
            .join(", ");
        let mut message = f.message.clone();
        if let Some(resource) = &f.resource {
            message.push_str(&format!("\nResource: {resource}"));
        }
        for r in &f.related {
            message.push_str(&format!(
                "\n{}: {}:{}",
                r.message, r.file.display, r.start.line
            ));
        }
        if !controls.is_empty() {
            message.push_str(&format!("\nControls: {controls}"));
        }
        message.push_str(&format!("\nFix: {}", f.rule.remediation));
        writeln!(
            out,
            "::{} file={},line={},endLine={},col={},endColumn={},title={}::{}",
            command(f.rule.severity),
            escape_property(&f.file.display),
            f.start.line,
            f.end.line,
            f.start.column,
            f.end.column,
            escape_property(&format!("{} {}", f.rule.id, f.rule.title)),
            escape_data(&message)
        )?;
    }
    for n in &outcome.suppression_notices {
        writeln!(
            out,
            "::warning file={},line={},title={}::{}",
            escape_property(&n.file),
            n.line,
            escape_property("clause: suppression"),
            escape_data(&n.message)
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_the_runner_decodes() {
        assert_eq!(escape_data("50%\nnext"), "50%25%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}

//! The terminal report: each finding as an annotated snippet (miette) with
//! its rule, severity, control and fix, then a summary a reader can act on.

use std::fmt::Write as _;
use std::sync::Arc;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};

use crate::check::Outcome;
use crate::controls::Catalogue;
use crate::document::Format;
use crate::finding::Finding;
use crate::parse::FileError;
use crate::rules::{RuleMeta, Severity};
use crate::source::SourceFile;

#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    pub width: usize,
}

/// A source file miette can read without copying its text.
#[derive(Debug, Clone)]
struct Shared(Arc<SourceFile>);

impl SourceCode for Shared {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.0.text.as_str().read_span(span, before, after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.0.display.clone(),
            inner.data(),
            *inner.span(),
            inner.line(),
            inner.column(),
            inner.line_count(),
        )))
    }
}

#[derive(Debug)]
struct Snippet {
    message: String,
    severity: miette::Severity,
    help: Option<String>,
    labels: Vec<LabeledSpan>,
    source: Shared,
}

impl std::fmt::Display for Snippet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Snippet {}

impl Diagnostic for Snippet {
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }
}

fn handler(style: Style) -> GraphicalReportHandler {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    // Break lines only at spaces, so paths and values stay whole.
    GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_context_lines(1)
        .with_word_separator(textwrap::WordSeparator::AsciiSpace)
        .with_break_words(false)
}

fn paint(style: Style, code: &str, text: &str) -> String {
    if style.color {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

fn severity_color(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "1;35",
        Severity::High => "1;31",
        Severity::Medium => "1;33",
        Severity::Low => "1;36",
        Severity::Info => "1;34",
    }
}

/// `ISO/IEC 27002:2005 10.6.1 Network controls; 11.4.4 ... (2022: 8.20 Networks security)`.
pub fn controls_line(meta: &RuleMeta) -> String {
    let catalogue = Catalogue::builtin();
    let old: Vec<String> = meta
        .controls_2005
        .iter()
        .map(|id| match catalogue.by_2005(id) {
            Some(c) => format!("{id} {}", c.title_2005),
            None => id.clone(),
        })
        .collect();
    let new: Vec<String> = meta
        .controls_2022
        .iter()
        .map(|id| match catalogue.title_2022(id) {
            Some(t) => format!("{id} {t}"),
            None => id.clone(),
        })
        .collect();
    format!(
        "ISO/IEC 27002:2005 {} (2022: {})",
        old.join("; "),
        new.join("; ")
    )
}

pub fn finding(out: &mut String, f: &Finding, style: Style) {
    let meta = &f.rule;
    let _ = writeln!(
        out,
        "{} {} {}",
        paint(style, "1", &meta.id),
        paint(
            style,
            severity_color(meta.severity),
            &format!("[{}]", meta.severity)
        ),
        meta.title
    );
    let label = f.label.clone().unwrap_or_else(|| meta.title.to_lowercase());
    let labels = vec![LabeledSpan::new_primary_with_span(
        Some(label),
        f.span.range(),
    )];
    // The resource goes before the message unless the message names it; a
    // task's chain (`play "web" > role app > task "x"`) is kept either way.
    let message = match &f.resource {
        Some(resource) if f.message.contains(resource.as_str()) => f.message.clone(),
        Some(resource) => match resource.rsplit_once(" > ") {
            Some((chain, last)) if f.message.starts_with(last) => {
                format!("{chain} > {}", f.message)
            }
            _ => format!("{resource}: {}", f.message),
        },
        None => f.message.clone(),
    };
    // Where a value was set gets a snippet of its own under the finding, so
    // the finding's own location heads the report.
    let elsewhere: Vec<Snippet> = f
        .related
        .iter()
        .map(|r| Snippet {
            message: format!("{} in {}", r.message, r.file.display),
            severity: miette::Severity::Advice,
            help: None,
            labels: vec![LabeledSpan::new_primary_with_span(
                Some(r.message.clone()),
                r.span.range(),
            )],
            source: Shared(Arc::clone(&r.file)),
        })
        .collect();
    let snippet = Snippet {
        message,
        severity: match meta.severity {
            Severity::Critical | Severity::High => miette::Severity::Error,
            Severity::Medium | Severity::Low => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        },
        help: Some(meta.remediation.clone()),
        labels,
        source: Shared(Arc::clone(&f.file)),
    };
    let _ = handler(style).render_report(out, &snippet);
    for other in &elsewhere {
        let _ = handler(style).render_report(out, other);
    }
    let _ = writeln!(
        out,
        "  {} {}",
        paint(style, "2", "control:"),
        controls_line(meta)
    );
    out.push('\n');
}

pub fn error(out: &mut String, e: &FileError, style: Style) {
    let _ = writeln!(out, "{} {}", paint(style, "1;31", "error:"), e.file);
    match &e.source {
        Some(source) if !source.text.is_empty() => {
            let end = next_char_boundary(&source.text, e.offset);
            let snippet = Snippet {
                message: e.message.clone(),
                severity: miette::Severity::Error,
                help: None,
                labels: vec![LabeledSpan::new_primary_with_span(
                    Some("here".into()),
                    e.offset..end,
                )],
                source: Shared(Arc::clone(source)),
            };
            let _ = handler(style).render_report(out, &snippet);
        }
        _ => {
            let _ = writeln!(out, "  × {}:{}:{}: {}", e.file, e.line, e.column, e.message);
        }
    }
    out.push('\n');
}

fn next_char_boundary(text: &str, offset: usize) -> usize {
    let mut end = (offset + 1).min(text.len());
    while end < text.len() && !text.is_char_boundary(end) {
        end += 1;
    }
    end.max(offset.min(text.len()))
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Problems with `clause:ignore` comments, located like compiler warnings.
pub fn suppression_notices(out: &mut String, outcome: &Outcome, style: Style) {
    for n in &outcome.suppression_notices {
        let _ = writeln!(
            out,
            "{} {}:{}: {}",
            paint(style, "1;33", "warning:"),
            n.file,
            n.line,
            n.message
        );
    }
    if !outcome.suppression_notices.is_empty() {
        out.push('\n');
    }
}

pub fn summary(out: &mut String, outcome: &Outcome, style: Style) {
    let stats = &outcome.stats;
    let files: usize = stats.files.values().sum();
    let per_format: Vec<String> = Format::ALL
        .iter()
        .filter_map(|format| {
            let n = *stats.files.get(format)?;
            let docs = stats.documents.get(format).copied().unwrap_or(0);
            let units = match format {
                Format::Terraform => plural(docs, "module", "modules"),
                Format::Kubernetes => plural(docs, "manifest", "manifests"),
                Format::Ansible => {
                    plural(docs, "playbook or task file", "playbooks and task files")
                }
            };
            Some(format!("{format}: {}, {units}", plural(n, "file", "files")))
        })
        .collect();
    let _ = writeln!(
        out,
        "{} {} with {} ({}); {} skipped",
        paint(style, "1", "Checked"),
        plural(files, "file", "files"),
        plural(stats.rules, "rule", "rules"),
        if per_format.is_empty() {
            "nothing to check".to_string()
        } else {
            per_format.join("; ")
        },
        stats.skipped
    );
    // One pass: the findings may be read back from disk.
    let mut per_severity: std::collections::BTreeMap<Severity, usize> =
        std::collections::BTreeMap::new();
    let mut per_control: std::collections::BTreeMap<Vec<u32>, (String, usize)> =
        std::collections::BTreeMap::new();
    for f in outcome.all_findings() {
        *per_severity.entry(f.rule.severity).or_default() += 1;
        for id in &f.rule.controls_2005 {
            let key = id.split('.').filter_map(|p| p.parse().ok()).collect();
            per_control.entry(key).or_insert_with(|| (id.clone(), 0)).1 += 1;
        }
    }
    let total: usize = per_severity.values().sum();
    let counts: Vec<String> = Severity::ALL
        .iter()
        .map(|s| {
            let n = per_severity.get(s).copied().unwrap_or(0);
            let text = format!("{n} {s}");
            if n > 0 {
                paint(style, severity_color(*s), &text)
            } else {
                text
            }
        })
        .collect();
    let _ = writeln!(
        out,
        "{} {} ({})",
        paint(style, "1", "Found"),
        plural(total, "finding", "findings"),
        counts.join(", ")
    );
    let mut set_aside = Vec::new();
    if !outcome.suppressed.is_empty() {
        set_aside.push(format!("{} suppressed inline", outcome.suppressed.len()));
    }
    if !outcome.baselined.is_empty() {
        set_aside.push(format!("{} in the baseline", outcome.baselined.len()));
    }
    if !outcome.stale_baseline.is_empty() {
        set_aside.push(format!(
            "{} fixed since the baseline (stale entries)",
            outcome.stale_baseline.len()
        ));
    }
    if !set_aside.is_empty() {
        let _ = writeln!(
            out,
            "{} {} (not counted)",
            paint(style, "1", "Set aside:"),
            set_aside.join(", ")
        );
    }
    if total > 0 {
        let catalogue = Catalogue::builtin();
        let _ = writeln!(out, "By ISO/IEC 27002:2005 control:");
        for (id, n) in per_control.values() {
            let title = catalogue
                .by_2005(id)
                .map(|c| format!("{} (2022: {})", c.title_2005, c.id_2022))
                .unwrap_or_default();
            let _ = writeln!(out, "  {id:<8} {n:>4}  {title}");
        }
    }
    if !outcome.inconclusive.is_empty() {
        let _ = writeln!(
            out,
            "{} {} could not be decided: a value they need is only known when the code runs, after `terraform apply` or when Ansible templates it (`--format json` lists them)",
            paint(style, "1", "Inconclusive:"),
            plural(outcome.inconclusive.len(), "check", "checks")
        );
    }
    // Remote modules are many in large trees: show a few, JSON has them all.
    const SHOWN_NOTICES: usize = 5;
    for notice in outcome.notices.iter().take(SHOWN_NOTICES) {
        let _ = writeln!(out, "{} {notice}", paint(style, "1;34", "note:"));
    }
    if outcome.notices.len() > SHOWN_NOTICES {
        let _ = writeln!(
            out,
            "{} {} more (`--format json` lists them)",
            paint(style, "1;34", "note:"),
            outcome.notices.len() - SHOWN_NOTICES
        );
    }
    if !outcome.errors.is_empty() {
        let _ = writeln!(
            out,
            "{} {} (shown above); the files involved were not fully checked",
            paint(style, "1;31", "Errors:"),
            plural(outcome.errors.len(), "error", "errors")
        );
    }
}

//! Renderings of the evidence report (`clause report`): JSON for tools,
//! Markdown and HTML for people, and the statement of applicability as CSV.

pub mod html;
pub mod json;
pub mod markdown;
pub mod soa;

use crate::finding::{Finding, Inconclusive};
use crate::suppress::Suppressed;

/// `file:line:column` of a finding.
pub fn at(f: &Finding) -> String {
    format!("{}:{}:{}", f.file.display, f.start.line, f.start.column)
}

pub fn at_inconclusive(i: &Inconclusive) -> String {
    format!("{}:{}:{}", i.file.display, i.start.line, i.start.column)
}

pub fn at_suppressed(s: &Suppressed) -> String {
    at(&s.finding)
}

/// The lines around a finding, numbered, with the offending line marked.
pub fn snippet(f: &Finding, context: usize) -> Vec<(usize, String, bool)> {
    let first = f.start.line.saturating_sub(context).max(1);
    let last = (f.end.line.max(f.start.line) + context).min(f.file.line_count());
    (first..=last)
        .map(|n| {
            let marked = n >= f.start.line && n <= f.end.line.max(f.start.line);
            (n, f.file.line_text(n).to_string(), marked)
        })
        .collect()
}

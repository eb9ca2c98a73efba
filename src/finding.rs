//! A violation, located. Every output format renders the same list.

use std::cmp::Ordering;
use std::sync::Arc;

use crate::document::Seg;
use crate::rules::RuleMeta;
use crate::source::{LineCol, SourceFile, Span};

#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: Arc<RuleMeta>,
    pub message: String,
    /// The text under the underline; defaults to the rule's title.
    pub label: Option<String>,
    pub file: Arc<SourceFile>,
    pub span: Span,
    pub start: LineCol,
    /// Exclusive: the position just after the underlined text.
    pub end: LineCol,
    pub resource: Option<String>,
    /// The document the finding came from (module dir, file, `file#index`).
    pub unit: String,
    /// The path the rule returned, for tooling and fingerprints.
    pub path: Vec<Seg>,
    /// Other places that explain the finding (where a value was set).
    pub related: Vec<Related>,
}

#[derive(Debug, Clone)]
pub struct Related {
    pub file: Arc<SourceFile>,
    pub span: Span,
    pub start: LineCol,
    /// Exclusive, as `Finding::end`.
    pub end: LineCol,
    pub message: String,
}

impl Finding {
    pub fn sort_key(&self) -> (&str, LineCol, &str, LineCol, &str) {
        (
            self.file.display.as_str(),
            self.start,
            self.rule.id.as_str(),
            self.end,
            self.message.as_str(),
        )
    }
}

/// Whether two findings say the same thing at the same place: one task
/// reached from several playbooks (each its own unit) fails the same way.
/// Spans are compared by offsets, since their file index is local to the
/// document that produced them.
pub fn same(a: &Finding, b: &Finding) -> bool {
    a.rule.id == b.rule.id
        && a.file.display == b.file.display
        && (a.span.start, a.span.end) == (b.span.start, b.span.end)
        && a.message == b.message
}

pub fn compare(a: &Finding, b: &Finding) -> Ordering {
    a.sort_key().cmp(&b.sort_key())
}

/// A check a rule could not decide because a value it needs is unknown
/// until apply (or templated): neither a pass nor a failure.
#[derive(Debug, Clone)]
pub struct Inconclusive {
    pub rule: Arc<RuleMeta>,
    pub message: String,
    pub file: Arc<SourceFile>,
    pub span: Span,
    pub start: LineCol,
    pub resource: Option<String>,
    pub unit: String,
}

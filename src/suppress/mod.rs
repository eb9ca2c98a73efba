//! Inline suppressions that attach to what the parser found, not to a raw
//! line: a directive above a resource block, manifest or task covers that
//! resource wherever its findings point inside it; above (or at the end of)
//! an attribute it covers that attribute, and the places its value was set.
//!
//! A directive is seen once per document holding its file, but judged once
//! per run: it is unused only when no document matched a finding with it,
//! and misplaced only when no document found anything starting below it.

pub mod directive;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use globset::{Glob, GlobMatcher};

use crate::document::{Children, Document, SpanTree};
use crate::finding::Finding;
use crate::source::{SourceFile, Span};
pub use directive::{CORRECT_FORM, Date, Directive, Placement};

/// Why a finding was not counted, as JSON and SARIF report it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    pub reason: String,
    pub until: Option<Date>,
    /// Where the directive is written.
    pub file: String,
    pub line: usize,
    pub scope: Scope,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    File,
    /// The resource (or module call) the directive sits above.
    Resource(String),
    Attribute,
}

impl Scope {
    pub fn name(&self) -> &'static str {
        match self {
            Scope::File => "file",
            Scope::Resource(_) => "resource",
            Scope::Attribute => "attribute",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Suppressed {
    pub finding: Finding,
    pub by: Suppression,
}

/// A problem with a directive, located at its comment.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct DirectiveNotice {
    pub file: String,
    pub line: usize,
    pub message: String,
}

/// What the directives of a run did, gathered across documents.
#[derive(Debug, Default)]
pub struct Ledger {
    /// Every well-formed, unexpired directive: (file, line) → codes.
    seen: BTreeMap<(String, usize), Vec<String>>,
    anchored: BTreeSet<(String, usize)>,
    used: BTreeSet<(String, usize)>,
    notices: BTreeSet<DirectiveNotice>,
}

impl Ledger {
    pub fn merge(&mut self, other: Ledger) {
        for (k, v) in other.seen {
            self.seen.entry(k).or_insert(v);
        }
        self.anchored.extend(other.anchored);
        self.used.extend(other.used);
        self.notices.extend(other.notices);
    }

    /// Every problem worth telling: malformed and expired directives, those
    /// below which nothing was found, and those that silenced nothing.
    /// `known` holds every rule code that exists, `ran` those that ran:
    /// a directive for a rule filtered out of this run is not unused.
    pub fn notices(
        &self,
        known: &BTreeSet<String>,
        ran: &BTreeSet<String>,
    ) -> Vec<DirectiveNotice> {
        let mut notices = self.notices.clone();
        for ((file, line), codes) in &self.seen {
            let key = (file.clone(), *line);
            for code in codes {
                if !code.contains(['*', '?', '[']) && !known.contains(code) {
                    notices.insert(DirectiveNotice {
                        file: file.clone(),
                        line: *line,
                        message: format!("suppression names `{code}`, which is not a rule"),
                    });
                }
            }
            if !self.anchored.contains(&key) {
                notices.insert(DirectiveNotice {
                    file: file.clone(),
                    line: *line,
                    message: "suppression is not directly above (or at the end of) a resource or attribute clause reads; it covers nothing".into(),
                });
            } else if !self.used.contains(&key) && codes.iter().all(|c| runs(c, ran)) {
                notices.insert(DirectiveNotice {
                    file: file.clone(),
                    line: *line,
                    message: format!(
                        "unused suppression: {} reported nothing here; remove it",
                        codes.join(", ")
                    ),
                });
            }
        }
        notices.into_iter().collect()
    }
}

fn runs(code: &str, ran: &BTreeSet<String>) -> bool {
    match Glob::new(code) {
        Ok(glob) => {
            let matcher = glob.compile_matcher();
            ran.iter().any(|r| matcher.is_match(r))
        }
        Err(_) => ran.contains(code),
    }
}

/// How findings are matched to what a directive covers.
enum Cover {
    File,
    Region {
        /// Byte range in the directive's file.
        start: u32,
        end: u32,
        resources: Vec<String>,
        /// An attribute also covers findings whose value was set inside it.
        origins_count: bool,
    },
}

struct Active {
    key: (String, usize),
    codes: Vec<GlobMatcher>,
    file: Arc<SourceFile>,
    cover: Cover,
    suppression: Suppression,
}

/// Moves the findings that directives in the document's files cover out of
/// `findings`, recording in `ledger` what each directive did.
pub fn apply(
    doc: &Document,
    findings: &mut Vec<Finding>,
    today: Date,
    ledger: &mut Ledger,
) -> Vec<Suppressed> {
    let mut active = Vec::new();
    for (index, file) in doc.files.iter().enumerate() {
        let (directives, malformed) = directive::scan(&file.text);
        for m in malformed {
            ledger.notices.insert(DirectiveNotice {
                file: file.display.clone(),
                line: m.line,
                message: m.message,
            });
        }
        for d in directives {
            let key = (file.display.clone(), d.line);
            if let Some(until) = d.until.filter(|u| *u < today) {
                ledger.notices.insert(DirectiveNotice {
                    file: file.display.clone(),
                    line: d.line,
                    message: format!(
                        "suppression of {} expired on {until}; it no longer applies (renew `until=` or fix the finding)",
                        d.codes.join(", ")
                    ),
                });
                continue;
            }
            ledger.seen.entry(key.clone()).or_insert(d.codes.clone());
            let Some((cover, scope)) = resolve(doc, index, file, &d) else {
                continue;
            };
            ledger.anchored.insert(key.clone());
            let codes = d
                .codes
                .iter()
                .filter_map(|c| Glob::new(c).ok().map(|g| g.compile_matcher()))
                .collect();
            active.push(Active {
                key,
                codes,
                file: Arc::clone(file),
                cover,
                suppression: Suppression {
                    reason: d.reason.clone(),
                    until: d.until,
                    file: file.display.clone(),
                    line: d.line,
                    scope,
                },
            });
        }
    }
    if active.is_empty() {
        return Vec::new();
    }
    let mut suppressed = Vec::new();
    let mut kept = Vec::with_capacity(findings.len());
    for finding in findings.drain(..) {
        let code = finding.rule.id.to_uppercase();
        let by = active
            .iter()
            .find(|a| a.codes.iter().any(|m| m.is_match(&code)) && covers(a, &finding));
        match by {
            Some(a) => {
                ledger.used.insert(a.key.clone());
                suppressed.push(Suppressed {
                    finding,
                    by: a.suppression.clone(),
                });
            }
            None => kept.push(finding),
        }
    }
    *findings = kept;
    suppressed
}

fn covers(active: &Active, finding: &Finding) -> bool {
    let same_file = |file: &Arc<SourceFile>| file.display == active.file.display;
    match &active.cover {
        Cover::File => same_file(&finding.file),
        Cover::Region {
            start,
            end,
            resources,
            origins_count,
        } => {
            let inside = |file: &Arc<SourceFile>, span: Span| {
                same_file(file) && span.start >= *start && span.end <= *end
            };
            inside(&finding.file, finding.span)
                || finding.resource.as_ref().is_some_and(|r| {
                    resources.iter().any(|owner| {
                        r == owner
                            || r.strip_prefix(owner.as_str())
                                .is_some_and(|rest| rest.starts_with(['.', '[']))
                    })
                })
                || (*origins_count && finding.related.iter().any(|o| inside(&o.file, o.span)))
        }
    }
}

/// What a directive covers in this document, if anything starts where it
/// points.
fn resolve(
    doc: &Document,
    file_index: usize,
    file: &Arc<SourceFile>,
    d: &Directive,
) -> Option<(Cover, Scope)> {
    let target = match d.placement {
        Placement::File => return Some((Cover::File, Scope::File)),
        Placement::Above(line) | Placement::EndOf(line) => line,
    };
    let file_index = u32::try_from(file_index).ok()?;
    let line_of = |offset: u32| file.line_col(offset as usize).line;

    // Resources first: a directive above a resource covers all of it.
    let mut resources = Vec::new();
    let mut region: Option<(u32, u32)> = None;
    for resource in &doc.resources {
        let Some(node) = doc.spans.descend(&resource.path) else {
            continue;
        };
        let (start, end) = extent(node);
        if node.span.file == file_index && line_of(start) == target {
            resources.push(resource.address.clone());
            region = Some(widen(region, (start, end)));
        }
    }
    if let Some(name) = module_call_on(file, target) {
        resources.push(format!("module.{name}"));
        if let Some(node) = outermost_at(&doc.spans, file_index, target, &line_of) {
            region = Some(widen(region, extent(node)));
        }
    }
    if !resources.is_empty() {
        let (start, end) = region.unwrap_or((0, 0));
        let address = resources[0]
            .split('[')
            .next()
            .unwrap_or(&resources[0])
            .to_string();
        return Some((
            Cover::Region {
                start,
                end,
                resources,
                origins_count: false,
            },
            Scope::Resource(address),
        ));
    }
    let node = outermost_at(&doc.spans, file_index, target, &line_of)?;
    let (start, end) = extent(node);
    Some((
        Cover::Region {
            start,
            end,
            resources: Vec::new(),
            origins_count: true,
        },
        Scope::Attribute,
    ))
}

/// A node's whole written extent: its key or header through its value.
fn extent(node: &SpanTree) -> (u32, u32) {
    let mut start = node.span.start;
    let mut end = node.span.end;
    for s in [node.key, node.header].into_iter().flatten() {
        if s.file == node.span.file {
            start = start.min(s.start);
            end = end.max(s.end);
        }
    }
    (start, end)
}

fn widen(region: Option<(u32, u32)>, (start, end): (u32, u32)) -> (u32, u32) {
    match region {
        Some((s, e)) => (s.min(start), e.max(end)),
        None => (start, end),
    }
}

/// The largest node whose text starts on `line` of the file.
fn outermost_at<'a>(
    tree: &'a SpanTree,
    file_index: u32,
    line: usize,
    line_of: &impl Fn(u32) -> usize,
) -> Option<&'a SpanTree> {
    let mut best: Option<&SpanTree> = None;
    let mut stack = vec![tree];
    while let Some(node) = stack.pop() {
        let (start, end) = extent(node);
        if node.span.file == file_index && line_of(start) == line {
            let larger = best.is_none_or(|b| {
                let (bs, be) = extent(b);
                end - start > be - bs
            });
            if larger {
                best = Some(node);
            }
        }
        match &node.children {
            Children::Map(m) => stack.extend(m.values()),
            Children::Seq(v) => stack.extend(v.iter()),
            Children::None => {}
        }
    }
    best
}

/// `module "name" {` on a line of a Terraform file: its findings carry
/// addresses under `module.name`.
fn module_call_on(file: &SourceFile, line: usize) -> Option<String> {
    if !(file.display.ends_with(".tf")) {
        return None;
    }
    let text = file.text.lines().nth(line.checked_sub(1)?)?.trim_start();
    let rest = text
        .strip_prefix("module")?
        .trim_start()
        .strip_prefix('"')?;
    Some(rest[..rest.find('"')?].to_string())
}

//! The unit rules evaluate: an input value plus, for every key and value in
//! it, the place in the source it came from. Parsers build a spanned tree
//! ([`Node`]) and split it into the plain JSON rules read and the span tree
//! the reporter uses to underline whatever path a rule returns.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::source::{SourceFile, Span};

/// The input formats clause understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Terraform,
    Kubernetes,
    Ansible,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Terraform, Format::Kubernetes, Format::Ansible];

    pub fn name(self) -> &'static str {
        match self {
            Format::Terraform => "terraform",
            Format::Kubernetes => "kubernetes",
            Format::Ansible => "ansible",
        }
    }

    pub fn parse(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name)
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A value with its source span, as parsers produce it.
#[derive(Debug, Clone)]
pub struct Node {
    pub span: Span,
    /// A span to point at when a rule names this node as a whole (a resource
    /// block's header, a manifest's `kind:` line, a task's name).
    pub header: Option<Span>,
    /// Where the value was really written when it reached this place through
    /// a variable, local, tfvars file or module argument: outermost first,
    /// the literal itself last.
    pub origins: Vec<Origin>,
    pub data: NodeData,
}

/// A place that explains a value, shown beside a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin {
    pub span: Span,
    pub role: OriginRole,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OriginRole {
    /// Where the value was written.
    Set,
    /// A step it passed through (a local, a module argument).
    Passed,
    /// Where it is used, when the finding points at the value itself (a
    /// loop item used by a task).
    Used,
}

impl OriginRole {
    pub fn label(self) -> &'static str {
        match self {
            OriginRole::Set => "value set here",
            OriginRole::Passed => "passed on here",
            OriginRole::Used => "used here",
        }
    }
}

/// A value that cannot be known before apply (or at all, statically).
#[derive(Debug, Clone, PartialEq)]
pub struct Unknown {
    /// The expression as written.
    pub expr: String,
    /// The objects it depends on, as Terraform addresses.
    pub refs: Vec<String>,
    /// The expression is an error Terraform would reject (a missing
    /// attribute, a bad function argument), not a value known after apply;
    /// `try()` and `can()` tell the two apart. Rules see both as unknown.
    pub failed: bool,
}

#[derive(Debug, Clone)]
pub enum NodeData {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
    Unknown(Box<Unknown>),
}

/// Keys starting with this are internal to a parser and never reach rules.
pub const HIDDEN_KEY_PREFIX: &str = "\u{0}ref";

/// One key of a mapping, with the key's own span.
#[derive(Debug, Clone)]
pub struct Entry {
    pub key: String,
    pub key_span: Span,
    pub value: Node,
}

impl Node {
    pub fn new(span: Span, data: NodeData) -> Self {
        Node {
            span,
            header: None,
            origins: Vec::new(),
            data,
        }
    }

    pub fn unknown(span: Span, expr: impl Into<String>, refs: Vec<String>) -> Self {
        Node::new(
            span,
            NodeData::Unknown(Box::new(Unknown {
                expr: expr.into(),
                refs,
                failed: false,
            })),
        )
    }

    /// An expression Terraform itself would reject.
    pub fn failed(span: Span, expr: impl Into<String>) -> Self {
        Node::new(
            span,
            NodeData::Unknown(Box::new(Unknown {
                expr: expr.into(),
                refs: Vec::new(),
                failed: true,
            })),
        )
    }

    pub fn is_failed(&self) -> bool {
        matches!(&self.data, NodeData::Unknown(u) if u.failed)
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self.data, NodeData::Unknown(_))
    }

    /// Moves a value to where it is used, remembering where it was written:
    /// `cidr_blocks = var.admin` underlines `var.admin` and points back at
    /// the variable's value.
    pub fn relocate(mut self, at: Span) -> Node {
        const MAX_ORIGINS: usize = 4;
        if self.span != at {
            if self.origins.len() >= MAX_ORIGINS {
                self.origins.truncate(MAX_ORIGINS - 1);
            }
            let role = if self.origins.is_empty() {
                OriginRole::Set
            } else {
                OriginRole::Passed
            };
            self.origins.insert(
                0,
                Origin {
                    span: self.span,
                    role,
                },
            );
            self.span = at;
        }
        self.header = None;
        match &mut self.data {
            NodeData::Seq(items) => {
                for item in std::mem::take(items) {
                    items.push(item.relocate(at));
                }
            }
            NodeData::Map(entries) => {
                for entry in entries.iter_mut() {
                    entry.key_span = at;
                    let value = std::mem::replace(&mut entry.value, Node::new(at, NodeData::Null));
                    entry.value = value.relocate(at);
                }
            }
            _ => {}
        }
        self
    }

    pub fn str(span: Span, s: impl Into<String>) -> Self {
        Node::new(span, NodeData::Str(s.into()))
    }

    pub fn with_header(mut self, header: Span) -> Self {
        self.header = Some(header);
        self
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.data {
            NodeData::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn entries(&self) -> &[Entry] {
        match &self.data {
            NodeData::Map(entries) => entries,
            _ => &[],
        }
    }

    pub fn items(&self) -> &[Node] {
        match &self.data {
            NodeData::Seq(items) => items,
            _ => &[],
        }
    }

    pub fn is_map(&self) -> bool {
        matches!(self.data, NodeData::Map(_))
    }

    pub fn is_seq(&self) -> bool {
        matches!(self.data, NodeData::Seq(_))
    }

    /// The last entry with this key (YAML and HCL both let the last one win).
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.entries().iter().rev().find(|e| e.key == key)
    }

    /// Splits the tree into the JSON rules read and the spans of each part.
    pub fn into_parts(self) -> (Value, SpanTree) {
        let Node {
            span,
            header,
            origins,
            data,
        } = self;
        let mut tree = SpanTree {
            span,
            key: None,
            header,
            origins,
            children: Children::None,
        };
        let value = match data {
            NodeData::Null => Value::Null,
            NodeData::Bool(b) => Value::Bool(b),
            NodeData::Int(i) => Value::from(i),
            NodeData::Float(f) => serde_json::Number::from_f64(f)
                .map(Value::Number)
                .unwrap_or_else(|| Value::String(f.to_string())),
            NodeData::Str(s) => Value::String(s),
            NodeData::Unknown(unknown) => serde_json::json!({
                "__unknown__": unknown.expr,
                "__refs__": unknown.refs,
            }),
            NodeData::Seq(items) => {
                let mut values = Vec::with_capacity(items.len());
                let mut spans = Vec::with_capacity(items.len());
                for item in items {
                    let (v, t) = item.into_parts();
                    values.push(v);
                    spans.push(t);
                }
                tree.children = Children::Seq(spans);
                Value::Array(values)
            }
            NodeData::Map(entries) => {
                let mut object = Map::with_capacity(entries.len());
                let mut spans = HashMap::with_capacity(entries.len());
                for Entry {
                    key,
                    key_span,
                    value,
                } in entries
                {
                    if key.starts_with(HIDDEN_KEY_PREFIX) {
                        continue;
                    }
                    let (v, mut t) = value.into_parts();
                    t.key = Some(key_span);
                    object.insert(key.clone(), v);
                    spans.insert(key, t);
                }
                tree.children = Children::Map(spans);
                Value::Object(object)
            }
        };
        (value, tree)
    }
}

/// Where each part of an input value came from, mirroring its shape.
#[derive(Debug, Clone)]
pub struct SpanTree {
    pub span: Span,
    pub key: Option<Span>,
    pub header: Option<Span>,
    /// Where the value was written, when it came from elsewhere.
    pub origins: Vec<Origin>,
    pub children: Children,
}

#[derive(Debug, Clone)]
pub enum Children {
    None,
    Seq(Vec<SpanTree>),
    Map(HashMap<String, SpanTree>),
}

/// One step of a path into an input value, as rules return it.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Seg {
    Key(String),
    Index(usize),
}

impl fmt::Display for Seg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Seg::Key(k) => write!(f, "{k:?}"),
            Seg::Index(i) => write!(f, "{i}"),
        }
    }
}

impl Seg {
    /// Reads a path step from a rule's JSON: strings are keys, whole
    /// non-negative numbers are indexes.
    pub fn from_json(v: &Value) -> Option<Seg> {
        match v {
            Value::String(s) => Some(Seg::Key(s.clone())),
            Value::Number(n) => n
                .as_u64()
                .or_else(|| {
                    n.as_f64()
                        .filter(|f| f.fract() == 0.0 && *f >= 0.0)
                        .map(|f| f as u64)
                })
                .and_then(|u| usize::try_from(u).ok())
                .map(Seg::Index),
            _ => None,
        }
    }
}

/// What a path resolved to in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// The span to underline.
    pub primary: Span,
    /// The key's span, when the path ends at a mapping entry.
    pub key: Option<Span>,
    /// How many steps of the path matched; fewer than the path's length means
    /// the rule named something absent and we point at its nearest ancestor.
    pub matched: usize,
    /// Where the value was written, when it came through a variable, local,
    /// tfvars file or module argument: outermost first.
    pub origins: Vec<Origin>,
}

impl SpanTree {
    pub fn leaf(span: Span) -> Self {
        SpanTree {
            span,
            key: None,
            header: None,
            origins: Vec::new(),
            children: Children::None,
        }
    }

    pub fn child(&self, seg: &Seg) -> Option<&SpanTree> {
        match (&self.children, seg) {
            (Children::Map(m), Seg::Key(k)) => m.get(k),
            (Children::Seq(v), Seg::Index(i)) => v.get(*i),
            // Rego may index an object with a numeric-looking string or vice versa.
            (Children::Map(m), Seg::Index(i)) => m.get(&i.to_string()),
            (Children::Seq(v), Seg::Key(k)) => k.parse::<usize>().ok().and_then(|i| v.get(i)),
            _ => None,
        }
    }

    pub fn descend(&self, path: &[Seg]) -> Option<&SpanTree> {
        let mut node = self;
        for seg in path {
            node = node.child(seg)?;
        }
        Some(node)
    }

    /// Finds the span for a path, falling back to the deepest ancestor that
    /// exists. A node with a header (a resource, manifest or task) points at
    /// its header; a value spanning several lines points at its key.
    pub fn locate(&self, path: &[Seg], files: &[Arc<SourceFile>]) -> Located {
        let mut node = self;
        let mut matched = 0;
        for seg in path {
            match node.child(seg) {
                Some(next) => {
                    node = next;
                    matched += 1;
                }
                None => break,
            }
        }
        let primary = if let Some(header) = node.header {
            header
        } else if let Some(key) = node.key.filter(|key| {
            spans_lines(node.span, files)
                || (!matches!(node.children, Children::None) && !same_line(*key, node.span, files))
        }) {
            // A block written under its key (`limits:` then `cpu: 1` on the
            // next line) is named by its key; a scalar is itself the place.
            key
        } else if spans_lines(node.span, files) {
            first_line(node.span, files)
        } else {
            node.span
        };
        Located {
            primary,
            key: node.key.filter(|k| *k != primary),
            matched,
            origins: node.origins.clone(),
        }
    }
}

fn spans_lines(span: Span, files: &[Arc<SourceFile>]) -> bool {
    files
        .get(span.file as usize)
        .is_some_and(|f| f.slice(span).trim_end().contains('\n'))
}

fn same_line(a: Span, b: Span, files: &[Arc<SourceFile>]) -> bool {
    match (files.get(a.file as usize), a.file == b.file) {
        (Some(f), true) => f.line_col(a.start as usize).line == f.line_col(b.start as usize).line,
        _ => true,
    }
}

fn first_line(span: Span, files: &[Arc<SourceFile>]) -> Span {
    match files.get(span.file as usize) {
        Some(f) => {
            let text = f.slice(span);
            // Up to the line's end, without a CRLF file's `\r`.
            let len = text
                .find('\n')
                .map_or(text.len(), |i| text[..i].trim_end_matches('\r').len());
            Span::new(span.file, span.start as usize, span.start as usize + len)
        }
        None => span,
    }
}

/// Something a rule examines inside a document: a Terraform resource, a
/// Kubernetes manifest, an Ansible task. Rules are indexed by these kinds, and
/// findings are attributed to the resource whose path they fall under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    pub path: Vec<Seg>,
    /// How users name it: `aws_s3_bucket.logs`, `Deployment/web`, `task "install"`.
    pub address: String,
    /// What rules select on: a resource type, a manifest kind, a module name.
    pub kind: String,
}

/// One unit of evaluation.
#[derive(Debug, Clone)]
pub struct Document {
    pub format: Format,
    /// The module directory, file, or `file#index` this document stands for.
    pub unit: String,
    pub files: Vec<Arc<SourceFile>>,
    pub input: Value,
    pub spans: SpanTree,
    pub resources: Vec<Resource>,
}

impl Document {
    /// The resource a path falls under, if any.
    pub fn resource_for(&self, path: &[Seg]) -> Option<&Resource> {
        self.resources
            .iter()
            .filter(|r| path.starts_with(&r.path))
            .max_by_key(|r| r.path.len())
    }

    pub fn has_kind(&self, kind: &str) -> bool {
        self.resources.iter().any(|r| r.kind == kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sp(a: usize, b: usize) -> Span {
        Span::new(0, a, b)
    }

    #[test]
    fn parts_keep_key_and_value_spans() {
        let node = Node::new(
            sp(0, 20),
            NodeData::Map(vec![Entry {
                key: "a".into(),
                key_span: sp(0, 1),
                value: Node::new(
                    sp(3, 10),
                    NodeData::Seq(vec![Node::new(sp(4, 5), NodeData::Int(1))]),
                ),
            }]),
        );
        let (value, tree) = node.into_parts();
        assert_eq!(value, serde_json::json!({"a": [1]}));
        let leaf = tree
            .descend(&[Seg::Key("a".into()), Seg::Index(0)])
            .unwrap();
        assert_eq!(leaf.span, sp(4, 5));
        let files = vec![];
        let located = tree.locate(&[Seg::Key("a".into()), Seg::Index(7)], &files);
        assert_eq!(located.matched, 1);
        assert_eq!(located.primary, sp(3, 10));
    }

    #[test]
    fn a_value_spanning_crlf_lines_is_named_by_its_first_line_without_the_cr() {
        let text = "a:\r\n  b: 1\r\n";
        let file = Arc::new(SourceFile::new("f".into(), "f".into(), text.into()));
        let whole = Span::new(0, 0, text.len());
        let line = first_line(whole, std::slice::from_ref(&file));
        assert_eq!(file.slice(line), "a:");
    }
}

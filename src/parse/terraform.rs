//! Terraform module directories into one document each. All `.tf` and
//! `.tf.json` files of a directory are merged, since a bucket and its
//! encryption configuration often live in different files.
//!
//! Input shape (documented for rule authors in `docs/input-terraform.md`):
//! `resources` keyed by address (`aws_s3_bucket.logs`, `data.aws_iam_policy_document.x`),
//! each `{address, mode, type, name, values}`; nested blocks are always
//! arrays so `ingress[0]` is stable whether one block or many were written.
//! A value clause cannot know statically is `{"__unknown__": "<expression>",
//! "__refs__": ["aws_kms_key.main", "var.x"]}`.

use std::sync::Arc;

use hcl::edit::Span as _;
use hcl::edit::expr::{Expression, ObjectKey, TraversalOperator};
use hcl::edit::structure::{Block, Body, Structure};
use hcl::edit::visit::{Visit, visit_traversal};

use crate::document::{Document, Entry, Format, Node, NodeData, Resource, Seg};
use crate::parse::FileError;
use crate::parse::yaml::{self, Dialect, Limits};
use crate::source::{SourceFile, Span};

/// Attribute names whose object values are maps, not nested blocks, in the
/// JSON syntax (where the two look the same).
const JSON_MAP_ATTRIBUTES: &[&str] = &[
    "tags",
    "tags_all",
    "labels",
    "resource_labels",
    "user_labels",
    "metadata",
    "annotations",
    "variables",
    "triggers",
    "parameters",
    "node_labels",
    "environment_variables",
    "data",
    "policy",
    "assume_role_policy",
];

/// Reads one module directory. Files that fail to parse are reported and the
/// rest of the module is still evaluated.
pub fn parse_module(
    unit: String,
    files: Vec<Arc<SourceFile>>,
) -> (Option<Document>, Vec<FileError>) {
    let mut module = ModuleBuilder::default();
    let mut errors = Vec::new();
    for (index, file) in files.iter().enumerate() {
        let file_id = u32::try_from(index).unwrap_or(u32::MAX);
        let name = file.path.to_string_lossy();
        if name.ends_with(".tfvars") || name.ends_with(".tfvars.json") {
            // Variable values join evaluation in a later stage; parsing them
            // now still reports syntax errors where they are.
            let parsed = if name.ends_with(".json") {
                parse_json_file(file, file_id).map(|_| ())
            } else {
                parse_hcl(file).map(|_| ())
            };
            if let Err(e) = parsed {
                errors.push(e);
            }
            continue;
        }
        let result = if name.ends_with(".tf.json") {
            parse_json_file(file, file_id).map(|root| module.add_json(root))
        } else {
            parse_hcl(file).map(|(body, renamed)| {
                HclWalker {
                    file,
                    file_id,
                    renamed,
                }
                .module(&body, &mut module)
            })
        };
        if let Err(e) = result {
            errors.push(e);
        }
    }
    if module.is_empty() {
        return (None, errors);
    }
    let (input, spans, resources) = module.finish(&files);
    let doc = Document {
        format: Format::Terraform,
        unit,
        files,
        input,
        spans,
        resources,
    };
    (Some(doc), errors)
}

/// Parses HCL the way Terraform accepts it. hcl-edit rejects an object
/// literal that repeats a key, while Terraform keeps the last value (and
/// published modules rely on it), so a repeated key is renamed to a unique
/// placeholder of the same length, which keeps every span in place, and the
/// walker restores its name.
fn parse_hcl(file: &Arc<SourceFile>) -> Result<(Body, Renamed), FileError> {
    let mut text = std::borrow::Cow::Borrowed(file.text.as_str());
    let mut renamed = Renamed::new();
    loop {
        match hcl::edit::parser::parse_body(&text) {
            Ok(body) => return Ok((body, renamed)),
            Err(e) => {
                let offset = e.location().offset();
                let repeated = e.message().contains("redefined object key");
                let placeholder = repeated
                    .then(|| rename_key_at(&text, offset, renamed.len()))
                    .flatten();
                match placeholder {
                    Some((start, original, replacement)) if renamed.len() < 1000 => {
                        let mut owned = text.into_owned();
                        owned.replace_range(start..start + original.len(), &replacement);
                        renamed.insert(start, original);
                        text = std::borrow::Cow::Owned(owned);
                    }
                    _ => {
                        return Err(FileError::at(
                            file,
                            offset,
                            format!("HCL syntax error: {}", e.message()),
                        ));
                    }
                }
            }
        }
    }
}

/// Byte offset of a renamed object key → its name as written.
type Renamed = std::collections::HashMap<usize, String>;

/// The identifier (or quoted key) starting at `offset`, and a same-length
/// placeholder that cannot collide with a real key.
fn rename_key_at(text: &str, offset: usize, counter: usize) -> Option<(usize, String, String)> {
    let rest = text.get(offset..)?;
    let (start, len) = if let Some(quoted) = rest.strip_prefix('"') {
        (offset + 1, quoted.find('"')?)
    } else {
        let len = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(rest.len());
        (offset, len)
    };
    let original = text.get(start..start + len)?.to_string();
    let tag = format!("_{counter:x}");
    if len < tag.len() + 1 || !original.is_ascii() {
        return None;
    }
    let replacement = format!("{tag}{}", "_".repeat(len - tag.len()));
    Some((start, original, replacement))
}

fn parse_json_file(file: &Arc<SourceFile>, file_id: u32) -> Result<Node, FileError> {
    let docs = yaml::parse_stream(&file.text, file_id, Dialect::Core, Limits::default())
        .map_err(|e| FileError::at(file, e.offset, format!("JSON syntax error: {}", e.message)))?;
    docs.into_iter()
        .find_map(|d| d.root)
        .filter(Node::is_map)
        .ok_or_else(|| FileError::at(file, 0, "Terraform JSON must be an object".into()))
}

/// Collects the top-level blocks of every file of a module.
#[derive(Default)]
struct ModuleBuilder {
    resources: Vec<Entry>,
    variables: Vec<Entry>,
    locals: Vec<Entry>,
    outputs: Vec<Entry>,
    modules: Vec<Entry>,
    providers: Vec<Entry>,
    terraform: Vec<Node>,
    resource_kinds: Vec<(String, String)>,
}

impl ModuleBuilder {
    fn is_empty(&self) -> bool {
        self.resources.is_empty()
            && self.variables.is_empty()
            && self.locals.is_empty()
            && self.outputs.is_empty()
            && self.modules.is_empty()
            && self.providers.is_empty()
            && self.terraform.is_empty()
    }

    #[allow(clippy::too_many_arguments)]
    fn add_resource(
        &mut self,
        mode: &str,
        rtype: &str,
        name: &str,
        values: Node,
        header: Span,
        key_span: Span,
        whole: Span,
    ) {
        let address = if mode == "data" {
            format!("data.{rtype}.{name}")
        } else {
            format!("{rtype}.{name}")
        };
        let kind = if mode == "data" {
            format!("data.{rtype}")
        } else {
            rtype.to_string()
        };
        let meta = |k: &str, v: &str| Entry {
            key: k.to_string(),
            key_span: header,
            value: Node::str(header, v),
        };
        let node = Node::new(
            whole,
            NodeData::Map(vec![
                meta("address", &address),
                meta("mode", mode),
                meta("type", rtype),
                meta("name", name),
                Entry {
                    key: "values".into(),
                    key_span: header,
                    value: values,
                },
            ]),
        )
        .with_header(header);
        self.resources.retain(|e| e.key != address);
        self.resource_kinds.retain(|(a, _)| *a != address);
        self.resource_kinds.push((address.clone(), kind));
        self.resources.push(Entry {
            key: address,
            key_span,
            value: node,
        });
    }

    fn add_json(&mut self, root: Node) {
        for entry in root.entries() {
            let value = &entry.value;
            match entry.key.as_str() {
                "resource" | "data" => {
                    let mode = if entry.key == "data" {
                        "data"
                    } else {
                        "managed"
                    };
                    for type_entry in value.entries() {
                        for name_entry in type_entry.value.entries() {
                            for body in one_or_many(&name_entry.value) {
                                self.add_resource(
                                    mode,
                                    &type_entry.key,
                                    &name_entry.key,
                                    json_body(body),
                                    name_entry.key_span,
                                    name_entry.key_span,
                                    body.span,
                                );
                            }
                        }
                    }
                }
                "variable" | "output" | "module" => {
                    let target = match entry.key.as_str() {
                        "variable" => &mut self.variables,
                        "output" => &mut self.outputs,
                        _ => &mut self.modules,
                    };
                    for named in value.entries() {
                        for body in one_or_many(&named.value) {
                            target.push(Entry {
                                key: named.key.clone(),
                                key_span: named.key_span,
                                value: json_body(body).with_header(named.key_span),
                            });
                        }
                    }
                }
                "locals" => {
                    for body in one_or_many(value) {
                        for local in body.entries() {
                            self.locals.push(Entry {
                                key: local.key.clone(),
                                key_span: local.key_span,
                                value: json_value(&local.value),
                            });
                        }
                    }
                }
                "provider" => {
                    for named in value.entries() {
                        let configs = one_or_many(&named.value)
                            .into_iter()
                            .map(|b| json_body(b).with_header(named.key_span))
                            .collect();
                        self.push_provider(&named.key, named.key_span, configs);
                    }
                }
                "terraform" => {
                    for body in one_or_many(value) {
                        self.terraform
                            .push(json_body(body).with_header(entry.key_span));
                    }
                }
                _ => {}
            }
        }
    }

    fn push_provider(&mut self, name: &str, key_span: Span, configs: Vec<Node>) {
        if let Some(existing) = self.providers.iter_mut().find(|e| e.key == name) {
            if let NodeData::Seq(items) = &mut existing.value.data {
                items.extend(configs);
            }
            return;
        }
        let span = configs.first().map(|n| n.span).unwrap_or(key_span);
        self.providers.push(Entry {
            key: name.to_string(),
            key_span,
            value: Node::new(span, NodeData::Seq(configs)),
        });
    }

    fn finish(
        self,
        files: &[Arc<SourceFile>],
    ) -> (serde_json::Value, crate::document::SpanTree, Vec<Resource>) {
        let whole = files
            .first()
            .map(|f| Span::new(0, 0, f.text.len()))
            .unwrap_or(Span::new(0, 0, 0));
        let section = |key: &str, entries: Vec<Entry>| Entry {
            key: key.to_string(),
            key_span: whole,
            value: Node::new(whole, NodeData::Map(entries)),
        };
        let resources = self
            .resource_kinds
            .iter()
            .map(|(address, kind)| Resource {
                path: vec![Seg::Key("resources".into()), Seg::Key(address.clone())],
                address: address.clone(),
                kind: kind.clone(),
            })
            .collect();
        let root = Node::new(
            whole,
            NodeData::Map(vec![
                section("resources", self.resources),
                section("variables", self.variables),
                section("locals", self.locals),
                section("outputs", self.outputs),
                section("modules", self.modules),
                section("providers", self.providers),
                Entry {
                    key: "terraform".into(),
                    key_span: whole,
                    value: Node::new(whole, NodeData::Seq(self.terraform)),
                },
            ]),
        );
        let (input, spans) = root.into_parts();
        (input, spans, resources)
    }
}

fn one_or_many(node: &Node) -> Vec<&Node> {
    match &node.data {
        NodeData::Seq(items) => items.iter().filter(|n| n.is_map()).collect(),
        NodeData::Map(_) => vec![node],
        _ => vec![],
    }
}

/// A block body in JSON syntax: object values become single-block arrays
/// (matching the native syntax's shape) unless the name is a known map.
fn json_body(body: &Node) -> Node {
    let entries = body
        .entries()
        .iter()
        .map(|e| {
            let value = match &e.value.data {
                NodeData::Map(_) if !JSON_MAP_ATTRIBUTES.contains(&e.key.as_str()) => {
                    Node::new(e.value.span, NodeData::Seq(vec![json_body(&e.value)]))
                }
                NodeData::Seq(items)
                    if !items.is_empty()
                        && items.iter().all(Node::is_map)
                        && !JSON_MAP_ATTRIBUTES.contains(&e.key.as_str()) =>
                {
                    Node::new(
                        e.value.span,
                        NodeData::Seq(items.iter().map(json_body).collect()),
                    )
                }
                _ => json_value(&e.value),
            };
            Entry {
                key: e.key.clone(),
                key_span: e.key_span,
                value,
            }
        })
        .collect();
    Node::new(body.span, NodeData::Map(entries))
}

/// A JSON-syntax value: strings holding `${...}` are expressions clause does
/// not evaluate yet, so they become unknowns.
fn json_value(node: &Node) -> Node {
    match &node.data {
        NodeData::Str(s) if s.contains("${") || s.contains("%{") => {
            let inner = s
                .strip_prefix("${")
                .and_then(|r| r.strip_suffix('}'))
                .filter(|r| !r.contains("${"))
                .unwrap_or(s);
            let refs = hcl::edit::parser::parse_expr(inner)
                .map(|e| references(&e))
                .unwrap_or_default();
            unknown(node.span, inner, &refs)
        }
        NodeData::Seq(items) => Node::new(
            node.span,
            NodeData::Seq(items.iter().map(json_value).collect()),
        ),
        NodeData::Map(entries) => Node::new(
            node.span,
            NodeData::Map(
                entries
                    .iter()
                    .map(|e| Entry {
                        key: e.key.clone(),
                        key_span: e.key_span,
                        value: json_value(&e.value),
                    })
                    .collect(),
            ),
        ),
        _ => node.clone(),
    }
}

/// The marker rules see for a value clause cannot know.
pub fn unknown(span: Span, expr: &str, refs: &[String]) -> Node {
    let refs = refs.iter().map(|r| Node::str(span, r.as_str())).collect();
    Node::new(
        span,
        NodeData::Map(vec![
            Entry {
                key: "__unknown__".into(),
                key_span: span,
                value: Node::str(span, expr.trim()),
            },
            Entry {
                key: "__refs__".into(),
                key_span: span,
                value: Node::new(span, NodeData::Seq(refs)),
            },
        ]),
    )
}

struct HclWalker<'a> {
    file: &'a SourceFile,
    file_id: u32,
    renamed: Renamed,
}

impl HclWalker<'_> {
    fn span(&self, range: Option<std::ops::Range<usize>>, fallback: Span) -> Span {
        range
            .map(|r| Span::new(self.file_id, r.start, r.end))
            .unwrap_or(fallback)
    }

    fn file_span(&self) -> Span {
        Span::new(self.file_id, 0, self.file.text.len())
    }

    fn module(&self, body: &Body, module: &mut ModuleBuilder) {
        for structure in body.iter() {
            let Structure::Block(block) = structure else {
                continue;
            };
            let header = self.header(block);
            let whole = self.span(block.span(), header);
            let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
            let ident_span = self.span(block.ident.span(), header);
            match (block.ident.as_str(), labels.as_slice()) {
                ("resource", [rtype, name]) | ("data", [rtype, name]) => {
                    let mode = if block.ident.as_str() == "data" {
                        "data"
                    } else {
                        "managed"
                    };
                    let values = self.body(&block.body, whole);
                    module.add_resource(mode, rtype, name, values, header, header, whole);
                }
                ("variable", [name]) | ("output", [name]) | ("module", [name]) => {
                    let target = match block.ident.as_str() {
                        "variable" => &mut module.variables,
                        "output" => &mut module.outputs,
                        _ => &mut module.modules,
                    };
                    let mut body = self.body(&block.body, whole).with_header(header);
                    if block.ident.as_str() == "variable" {
                        type_as_text(&mut body, self.file);
                    }
                    target.push(Entry {
                        key: name.to_string(),
                        key_span: header,
                        value: body,
                    });
                }
                ("locals", []) => {
                    for attr in block.body.attributes() {
                        let key_span = self.span(attr.key.span(), whole);
                        module.locals.push(Entry {
                            key: attr.key.as_str().to_string(),
                            key_span,
                            value: self.expr(&attr.value, key_span),
                        });
                    }
                }
                ("provider", [name]) => {
                    let config = self.body(&block.body, whole).with_header(header);
                    module.push_provider(name, header, vec![config]);
                }
                ("terraform", []) => {
                    module
                        .terraform
                        .push(self.body(&block.body, whole).with_header(ident_span));
                }
                _ => {}
            }
        }
    }

    /// `resource "aws_s3_bucket" "logs"`: the ident through the last label.
    fn header(&self, block: &Block) -> Span {
        let fallback = self.file_span();
        let start = self.span(block.ident.span(), fallback);
        match block.labels.last().and_then(|l| l.span()) {
            Some(r) => start.to(Span::new(self.file_id, r.start, r.end)),
            None => start,
        }
    }

    fn body(&self, body: &Body, whole: Span) -> Node {
        let mut entries: Vec<Entry> = Vec::new();
        for structure in body.iter() {
            match structure {
                Structure::Attribute(attr) => {
                    let key_span = self.span(attr.key.span(), whole);
                    entries.push(Entry {
                        key: attr.key.as_str().to_string(),
                        key_span,
                        value: self.expr(&attr.value, key_span),
                    });
                }
                Structure::Block(block) => {
                    let header = self.header(block);
                    let span = self.span(block.span(), header);
                    let mut node = self.body(&block.body, span).with_header(header);
                    if !block.labels.is_empty()
                        && let NodeData::Map(items) = &mut node.data
                    {
                        let labels = block
                            .labels
                            .iter()
                            .map(|l| Node::str(self.span(l.span(), header), l.as_str()))
                            .collect();
                        items.insert(
                            0,
                            Entry {
                                key: "__labels__".into(),
                                key_span: header,
                                value: Node::new(header, NodeData::Seq(labels)),
                            },
                        );
                    }
                    let key = block.ident.as_str();
                    let key_span = self.span(block.ident.span(), header);
                    match entries
                        .iter_mut()
                        .find(|e| e.key == key && e.value.is_seq())
                    {
                        Some(existing) => {
                            existing.value.span = existing.value.span.to(span);
                            if let NodeData::Seq(items) = &mut existing.value.data {
                                items.push(node);
                            }
                        }
                        None => entries.push(Entry {
                            key: key.to_string(),
                            key_span,
                            value: Node::new(span, NodeData::Seq(vec![node])),
                        }),
                    }
                }
            }
        }
        Node::new(whole, NodeData::Map(entries))
    }

    fn expr(&self, expr: &Expression, fallback: Span) -> Node {
        let span = self.span(expr.span(), fallback);
        match expr {
            Expression::Null(_) => Node::new(span, NodeData::Null),
            Expression::Bool(b) => Node::new(span, NodeData::Bool(*b.value())),
            Expression::Number(n) => Node::new(span, number(n.value())),
            Expression::String(s) => Node::str(span, s.value().as_str()),
            Expression::Array(items) => Node::new(
                span,
                NodeData::Seq(items.iter().map(|e| self.expr(e, span)).collect()),
            ),
            Expression::Object(object) => {
                let entries = object
                    .iter()
                    .map(|(key, value)| {
                        let (name, key_span) = match key {
                            ObjectKey::Ident(ident) => {
                                let key_span = self.span(ident.span(), span);
                                let name = self
                                    .renamed
                                    .get(&(key_span.start as usize))
                                    .cloned()
                                    .unwrap_or_else(|| ident.as_str().to_string());
                                (name, key_span)
                            }
                            ObjectKey::Expression(e) => {
                                let key_span = self.span(e.span(), span);
                                let name = match self.expr(e, key_span).data {
                                    NodeData::Str(_)
                                        if self
                                            .renamed
                                            .contains_key(&(key_span.start as usize + 1)) =>
                                    {
                                        self.renamed[&(key_span.start as usize + 1)].clone()
                                    }
                                    NodeData::Str(s) => s,
                                    _ => self.file.slice(key_span).to_string(),
                                };
                                (name, key_span)
                            }
                        };
                        Entry {
                            key: name,
                            key_span,
                            value: self.expr(value.expr(), key_span),
                        }
                    })
                    .collect();
                Node::new(span, NodeData::Map(entries))
            }
            Expression::Parenthesis(inner) => {
                let mut node = self.expr(inner.inner(), span);
                node.span = span;
                node
            }
            _ => self.evaluate_or_unknown(expr, span),
        }
    }

    /// Templates, heredocs, operators and conditionals over literals have a
    /// value without any context; anything that refers to variables,
    /// resources or functions is unknown at this stage.
    fn evaluate_or_unknown(&self, expr: &Expression, span: Span) -> Node {
        use hcl::eval::Evaluate;
        let refs = references(expr);
        if refs.is_empty() && !has_function_call(expr) {
            let converted: hcl::Expression = expr.clone().into();
            if let Ok(value) = converted.evaluate(&hcl::eval::Context::new()) {
                return value_node(value, span);
            }
        }
        unknown(span, self.file.slice(span), &refs)
    }
}

/// A variable's `type` is a type constraint (`list(string)`), not a value:
/// rules see it as the text written.
fn type_as_text(body: &mut Node, file: &SourceFile) {
    if let NodeData::Map(entries) = &mut body.data
        && let Some(entry) = entries.iter_mut().find(|e| e.key == "type")
    {
        let span = entry.value.span;
        entry.value = Node::str(span, file.slice(span).trim());
    }
}

fn number(n: &hcl::Number) -> NodeData {
    match n.as_i64() {
        Some(i) => NodeData::Int(i),
        None => NodeData::Float(n.as_f64().unwrap_or(f64::NAN)),
    }
}

fn value_node(value: hcl::Value, span: Span) -> Node {
    let data = match value {
        hcl::Value::Null => NodeData::Null,
        hcl::Value::Bool(b) => NodeData::Bool(b),
        hcl::Value::Number(n) => number(&n),
        hcl::Value::String(s) => NodeData::Str(s),
        hcl::Value::Array(items) => {
            NodeData::Seq(items.into_iter().map(|v| value_node(v, span)).collect())
        }
        hcl::Value::Object(map) => NodeData::Map(
            map.into_iter()
                .map(|(k, v)| Entry {
                    key: k,
                    key_span: span,
                    value: value_node(v, span),
                })
                .collect(),
        ),
    };
    Node::new(span, data)
}

fn has_function_call(expr: &Expression) -> bool {
    struct Finder(bool);
    impl Visit for Finder {
        fn visit_func_call(&mut self, _: &hcl::edit::expr::FuncCall) {
            self.0 = true;
        }
    }
    let mut finder = Finder(false);
    finder.visit_expr(expr);
    finder.0
}

/// The objects an expression refers to, as Terraform addresses:
/// `aws_kms_key.main.arn` → `aws_kms_key.main`, `var.cidrs[0]` → `var.cidrs`,
/// `data.aws_vpc.x.id` → `data.aws_vpc.x`, `module.net.id` → `module.net`.
pub fn references(expr: &Expression) -> Vec<String> {
    struct Collector(Vec<String>);
    impl Collector {
        fn add(&mut self, address: String) {
            if !self.0.contains(&address) {
                self.0.push(address);
            }
        }
    }
    impl Visit for Collector {
        fn visit_expr(&mut self, node: &Expression) {
            match node {
                Expression::Variable(name) => self.add(name.as_str().to_string()),
                other => hcl::edit::visit::visit_expr(self, other),
            }
        }
        fn visit_traversal(&mut self, node: &hcl::edit::expr::Traversal) {
            let Expression::Variable(root) = &node.expr else {
                return visit_traversal(self, node);
            };
            let attrs: Vec<&str> = node
                .operators
                .iter()
                .map_while(|op| match op.value() {
                    TraversalOperator::GetAttr(ident) => Some(ident.as_str()),
                    _ => None,
                })
                .collect();
            let root = root.as_str();
            // `data.TYPE.NAME` and `TYPE.NAME` name an object; `var.x`,
            // `local.x`, `module.x` and the like name it with one step.
            let depth = match root {
                "data" => 2,
                "var" | "local" | "module" | "count" | "each" | "self" | "path" | "terraform" => 1,
                _ => 1,
            };
            let mut address = root.to_string();
            for attr in attrs.iter().take(depth) {
                address.push('.');
                address.push_str(attr);
            }
            self.add(address);
            for op in &node.operators {
                if let TraversalOperator::Index(index) = op.value() {
                    self.visit_expr(index);
                }
            }
        }
    }
    let mut collector = Collector(Vec::new());
    collector.visit_expr(expr);
    collector.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn module(files: &[(&str, &str)]) -> (Option<Document>, Vec<FileError>) {
        let files = files
            .iter()
            .map(|(name, text)| SourceFile::shared(name.into(), name.to_string(), text.to_string()))
            .collect();
        parse_module("m".into(), files)
    }

    #[test]
    fn nested_blocks_are_always_arrays() {
        let (doc, errors) = module(&[(
            "main.tf",
            r#"resource "aws_security_group" "web" {
  name = "web"
  ingress {
    from_port   = 22
    cidr_blocks = ["0.0.0.0/0"]
  }
}"#,
        )]);
        assert!(errors.is_empty());
        let doc = doc.unwrap();
        let sg = &doc.input["resources"]["aws_security_group.web"];
        assert_eq!(
            sg["values"]["ingress"][0]["cidr_blocks"],
            json!(["0.0.0.0/0"])
        );
        assert_eq!(sg["type"], json!("aws_security_group"));
        let path: Vec<Seg> = ["resources", "aws_security_group.web", "values", "ingress"]
            .iter()
            .map(|s| Seg::Key(s.to_string()))
            .chain([Seg::Index(0), Seg::Key("cidr_blocks".into()), Seg::Index(0)])
            .collect();
        let located = doc.spans.locate(&path, &doc.files);
        assert_eq!(doc.files[0].slice(located.primary), "\"0.0.0.0/0\"");
    }

    #[test]
    fn references_become_unknowns_with_their_addresses() {
        let (doc, _) = module(&[(
            "main.tf",
            r#"resource "aws_s3_bucket_server_side_encryption_configuration" "x" {
  bucket = aws_s3_bucket.logs.id
  name   = "app-${var.env}"
  size   = 2 * 8
  text   = "plain ${"literal"}"
}"#,
        )]);
        let values = &doc.unwrap().input["resources"]["aws_s3_bucket_server_side_encryption_configuration.x"]
            ["values"];
        assert_eq!(
            values["bucket"],
            json!({"__unknown__": "aws_s3_bucket.logs.id", "__refs__": ["aws_s3_bucket.logs"]})
        );
        assert_eq!(values["name"]["__refs__"], json!(["var.env"]));
        assert_eq!(values["size"], json!(16));
        assert_eq!(values["text"], json!("plain literal"));
    }

    #[test]
    fn a_broken_file_does_not_hide_the_rest_of_the_module() {
        let (doc, errors) = module(&[
            ("a.tf", "resource \"x\" \"y\" {\n  a = [1, 2\n}\n"),
            (
                "b.tf",
                "resource \"aws_ebs_volume\" \"v\" {\n  encrypted = false\n}\n",
            ),
        ]);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].file, "a.tf");
        assert_eq!(errors[0].line, 3);
        let doc = doc.unwrap();
        assert_eq!(doc.resources.len(), 1);
    }

    #[test]
    fn repeated_object_keys_keep_the_last_value_as_terraform_does() {
        let (doc, errors) = module(&[(
            "main.tf",
            "resource \"x\" \"y\" {\n  tg = {\n    port = 80\n    \"name\" = \"a\"\n    port = 81\n    \"name\" = \"b\"\n  }\n}\n",
        )]);
        assert!(errors.is_empty(), "{errors:?}");
        let doc = doc.unwrap();
        assert_eq!(
            doc.input["resources"]["x.y"]["values"]["tg"],
            json!({"port": 81, "name": "b"})
        );
    }

    #[test]
    fn json_syntax_merges_with_native_files() {
        let (doc, errors) = module(&[
            (
                "main.tf.json",
                r#"{"resource": {"aws_security_group": {"db": {"ingress": {"cidr_blocks": ["0.0.0.0/0"]}, "tags": {"a": "b"}, "vpc_id": "${aws_vpc.main.id}"}}}}"#,
            ),
            ("b.tf", "resource \"aws_vpc\" \"main\" {}\n"),
        ]);
        assert!(errors.is_empty(), "{errors:?}");
        let doc = doc.unwrap();
        let values = &doc.input["resources"]["aws_security_group.db"]["values"];
        assert_eq!(values["ingress"][0]["cidr_blocks"][0], json!("0.0.0.0/0"));
        assert_eq!(values["tags"], json!({"a": "b"}));
        assert_eq!(values["vpc_id"]["__refs__"], json!(["aws_vpc.main"]));
        assert_eq!(doc.resources.len(), 2);
    }
}

//! A module's configuration as written: the declarations of its `.tf` and
//! `.tf.json` files, with their expressions kept unevaluated so the
//! evaluator can resolve them once variables, locals and instances are
//! known. Both syntaxes meet here: an HCL body and a JSON object answer the
//! same questions (which attributes, which nested blocks).

use std::path::PathBuf;
use std::sync::Arc;

use hcl::edit::Span as _;
use hcl::edit::expr::Expression;
use hcl::edit::structure::{Body, Structure};

use crate::document::{Node, NodeData};
use crate::parse::FileError;
use crate::parse::ParseLimits;
use crate::parse::yaml::{self, Dialect};
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
    "default_tags",
];

/// A body in either syntax.
#[derive(Debug, Clone)]
pub enum BodySrc {
    Hcl { body: Body, file: u32 },
    Json { node: Node },
}

/// An expression in either syntax, borrowed from its body.
#[derive(Debug, Clone, Copy)]
pub enum ExprRef<'a> {
    Hcl(&'a Expression, u32),
    Json(&'a Node),
}

/// A borrowed view of a body.
#[derive(Debug, Clone, Copy)]
pub enum BodyRef<'a> {
    Hcl(&'a Body, u32),
    Json(&'a Node),
}

/// One item of a body: an attribute or a nested block.
pub enum Item<'a> {
    Attribute {
        name: String,
        key_span: Span,
        expr: ExprRef<'a>,
    },
    Block {
        ident: String,
        labels: Vec<(String, Span)>,
        header: Span,
        whole: Span,
        body: BodyRef<'a>,
    },
}

impl BodySrc {
    pub fn as_ref(&self) -> BodyRef<'_> {
        match self {
            BodySrc::Hcl { body, file } => BodyRef::Hcl(body, *file),
            BodySrc::Json { node } => BodyRef::Json(node),
        }
    }
}

pub fn hcl_span(range: Option<std::ops::Range<usize>>, file: u32, fallback: Span) -> Span {
    range
        .map(|r| Span::new(file, r.start, r.end))
        .unwrap_or(fallback)
}

impl<'a> BodyRef<'a> {
    /// The attributes and blocks of the body, in the order written.
    pub fn items(self, whole: Span) -> Vec<Item<'a>> {
        match self {
            BodyRef::Hcl(body, file) => body
                .iter()
                .map(|structure| match structure {
                    Structure::Attribute(attr) => Item::Attribute {
                        name: attr.key.as_str().to_string(),
                        key_span: hcl_span(attr.key.span(), file, whole),
                        expr: ExprRef::Hcl(&attr.value, file),
                    },
                    Structure::Block(block) => {
                        let ident_span = hcl_span(block.ident.span(), file, whole);
                        let labels: Vec<(String, Span)> = block
                            .labels
                            .iter()
                            .map(|l| (l.as_str().to_string(), hcl_span(l.span(), file, ident_span)))
                            .collect();
                        let header = labels
                            .last()
                            .map(|(_, s)| ident_span.to(*s))
                            .unwrap_or(ident_span);
                        Item::Block {
                            ident: block.ident.as_str().to_string(),
                            labels,
                            header,
                            whole: hcl_span(block.span(), file, header),
                            body: BodyRef::Hcl(&block.body, file),
                        }
                    }
                })
                .collect(),
            BodyRef::Json(node) => json_items(node),
        }
    }

    /// The expression of one attribute, if written.
    pub fn attribute(self, name: &str) -> Option<(Span, ExprRef<'a>)> {
        match self {
            BodyRef::Hcl(body, file) => body.get_attribute(name).map(|attr| {
                let key = hcl_span(attr.key.span(), file, Span::new(file, 0, 0));
                (key, ExprRef::Hcl(&attr.value, file))
            }),
            BodyRef::Json(node) => node
                .entry(name)
                .map(|e| (e.key_span, ExprRef::Json(&e.value))),
        }
    }
}

fn json_items(node: &Node) -> Vec<Item<'_>> {
    let mut items = Vec::new();
    for entry in node.entries() {
        let key = entry.key.as_str();
        // `"//"` is the JSON syntax's comment property.
        if key == "//" {
            continue;
        }
        let value = &entry.value;
        if key == "dynamic" {
            for labelled in value.entries() {
                for body in one_or_many(&labelled.value) {
                    items.push(Item::Block {
                        ident: "dynamic".into(),
                        labels: vec![(labelled.key.clone(), labelled.key_span)],
                        header: entry.key_span.to(labelled.key_span),
                        whole: body.span,
                        body: BodyRef::Json(body),
                    });
                }
            }
            continue;
        }
        let is_map_attribute = JSON_MAP_ATTRIBUTES.contains(&key);
        let blocks: Vec<&Node> = match &value.data {
            NodeData::Map(_) if !is_map_attribute => vec![value],
            NodeData::Seq(list)
                if !is_map_attribute && !list.is_empty() && list.iter().all(Node::is_map) =>
            {
                list.iter().collect()
            }
            _ => Vec::new(),
        };
        if blocks.is_empty() {
            items.push(Item::Attribute {
                name: entry.key.clone(),
                key_span: entry.key_span,
                expr: ExprRef::Json(value),
            });
        } else {
            for body in blocks {
                items.push(Item::Block {
                    ident: entry.key.clone(),
                    labels: Vec::new(),
                    header: entry.key_span,
                    whole: body.span,
                    body: BodyRef::Json(body),
                });
            }
        }
    }
    items
}

pub fn one_or_many(node: &Node) -> Vec<&Node> {
    match &node.data {
        NodeData::Seq(items) => items.iter().filter(|n| n.is_map()).collect(),
        NodeData::Map(_) => vec![node],
        _ => vec![],
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Managed,
    Data,
}

#[derive(Debug, Clone)]
pub struct VariableDecl {
    pub name: String,
    pub header: Span,
    pub whole: Span,
    pub body: BodySrc,
}

#[derive(Debug, Clone)]
pub struct Local {
    pub name: String,
    pub key_span: Span,
    /// Index into the module's local bodies and the attribute name.
    pub body: usize,
}

#[derive(Debug, Clone)]
pub struct ResourceDecl {
    pub mode: Mode,
    pub rtype: String,
    pub name: String,
    pub header: Span,
    pub whole: Span,
    pub body: BodySrc,
}

impl ResourceDecl {
    /// `aws_s3_bucket.logs` or `data.aws_vpc.main`.
    pub fn config_address(&self) -> String {
        match self.mode {
            Mode::Managed => format!("{}.{}", self.rtype, self.name),
            Mode::Data => format!("data.{}.{}", self.rtype, self.name),
        }
    }
}

/// Why a module call's configuration is or is not available.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChildStatus {
    /// Loaded into the arena at this index.
    Loaded(usize),
    /// The source is a registry, git or other remote address not downloaded.
    NotDownloaded,
    /// The source is not a literal string.
    UnknownSource,
    /// The local folder is missing or holds no configuration.
    Missing(String),
    /// Loading would recurse into a module already being loaded, or too deep.
    Recursive,
}

#[derive(Debug, Clone)]
pub struct ModuleCall {
    pub name: String,
    pub header: Span,
    pub whole: Span,
    pub body: BodySrc,
    pub source: Option<String>,
    pub child: ChildStatus,
}

#[derive(Debug, Clone)]
pub struct NamedBlock {
    pub name: String,
    pub header: Span,
    pub whole: Span,
    pub body: BodySrc,
}

/// One module's declarations.
#[derive(Debug, Clone, Default)]
pub struct ModuleConfig {
    pub dir: PathBuf,
    pub variables: Vec<VariableDecl>,
    pub local_bodies: Vec<(Span, BodySrc)>,
    pub locals: Vec<Local>,
    pub resources: Vec<ResourceDecl>,
    pub calls: Vec<ModuleCall>,
    pub outputs: Vec<NamedBlock>,
    pub providers: Vec<NamedBlock>,
    pub terraform: Vec<NamedBlock>,
}

impl ModuleConfig {
    pub fn is_empty(&self) -> bool {
        self.variables.is_empty()
            && self.locals.is_empty()
            && self.resources.is_empty()
            && self.calls.is_empty()
            && self.outputs.is_empty()
            && self.providers.is_empty()
            && self.terraform.is_empty()
    }

    /// Adds the declarations of one parsed file.
    pub fn add_hcl(&mut self, body: Body, file: u32, whole_file: Span) {
        for structure in body.into_iter() {
            let Structure::Block(block) = structure else {
                continue;
            };
            let ident_span = hcl_span(block.ident.span(), file, whole_file);
            let labels: Vec<String> = block
                .labels
                .iter()
                .map(|l| l.as_str().to_string())
                .collect();
            let header = block
                .labels
                .last()
                .and_then(|l| l.span())
                .map(|r| ident_span.to(Span::new(file, r.start, r.end)))
                .unwrap_or(ident_span);
            let whole = hcl_span(block.span(), file, header);
            let ident = block.ident.as_str().to_string();
            let body = BodySrc::Hcl {
                body: block.body,
                file,
            };
            self.add_block(&ident, &labels, header, whole, body);
        }
    }

    fn add_block(
        &mut self,
        ident: &str,
        labels: &[String],
        header: Span,
        whole: Span,
        body: BodySrc,
    ) {
        match (ident, labels) {
            ("resource", [rtype, name]) | ("data", [rtype, name]) => {
                let mode = if ident == "data" {
                    Mode::Data
                } else {
                    Mode::Managed
                };
                let decl = ResourceDecl {
                    mode,
                    rtype: rtype.clone(),
                    name: name.clone(),
                    header,
                    whole,
                    body,
                };
                // A repeated address is a Terraform error; the last one wins here.
                let address = decl.config_address();
                self.resources.retain(|r| r.config_address() != address);
                self.resources.push(decl);
            }
            ("variable", [name]) => self.variables.push(VariableDecl {
                name: name.clone(),
                header,
                whole,
                body,
            }),
            ("locals", []) => {
                let index = self.local_bodies.len();
                let names: Vec<(String, Span)> = body
                    .as_ref()
                    .items(whole)
                    .into_iter()
                    .filter_map(|item| match item {
                        Item::Attribute { name, key_span, .. } => Some((name, key_span)),
                        Item::Block { .. } => None,
                    })
                    .collect();
                for (name, key_span) in names {
                    self.locals.retain(|l| l.name != name);
                    self.locals.push(Local {
                        name,
                        key_span,
                        body: index,
                    });
                }
                self.local_bodies.push((whole, body));
            }
            ("module", [name]) => {
                let source = match body.as_ref().attribute("source") {
                    Some((_, ExprRef::Hcl(Expression::String(s), _))) => {
                        Some(s.value().to_string())
                    }
                    Some((_, ExprRef::Json(node))) => node.as_str().map(str::to_string),
                    _ => None,
                };
                let child = if source.is_some() {
                    ChildStatus::NotDownloaded
                } else {
                    ChildStatus::UnknownSource
                };
                self.calls.push(ModuleCall {
                    name: name.clone(),
                    header,
                    whole,
                    body,
                    source,
                    child,
                });
            }
            ("output", [name]) => self.outputs.push(NamedBlock {
                name: name.clone(),
                header,
                whole,
                body,
            }),
            ("provider", [name]) => self.providers.push(NamedBlock {
                name: name.clone(),
                header,
                whole,
                body,
            }),
            ("terraform", []) => self.terraform.push(NamedBlock {
                name: "terraform".into(),
                header,
                whole,
                body,
            }),
            _ => {}
        }
    }

    /// Adds the declarations of a `.tf.json` file.
    pub fn add_json(&mut self, root: &Node) {
        for entry in root.entries() {
            let value = &entry.value;
            match entry.key.as_str() {
                "resource" | "data" => {
                    for type_entry in value.entries() {
                        for name_entry in type_entry.value.entries() {
                            for body in one_or_many(&name_entry.value) {
                                self.add_block(
                                    &entry.key,
                                    &[type_entry.key.clone(), name_entry.key.clone()],
                                    name_entry.key_span,
                                    body.span,
                                    BodySrc::Json { node: body.clone() },
                                );
                            }
                        }
                    }
                }
                "variable" | "output" | "module" | "provider" => {
                    for named in value.entries() {
                        for body in one_or_many(&named.value) {
                            self.add_block(
                                &entry.key,
                                std::slice::from_ref(&named.key),
                                named.key_span,
                                body.span,
                                BodySrc::Json { node: body.clone() },
                            );
                        }
                    }
                }
                "locals" | "terraform" => {
                    for body in one_or_many(value) {
                        self.add_block(
                            &entry.key,
                            &[],
                            entry.key_span,
                            body.span,
                            BodySrc::Json { node: body.clone() },
                        );
                    }
                }
                _ => {}
            }
        }
    }
}

/// Parses HCL the way Terraform accepts it. hcl-edit rejects an object
/// literal that repeats a key, while Terraform keeps the last value (and
/// published modules rely on it), so a repeated key is renamed to a unique
/// placeholder of the same length (keeping every span in place); the
/// evaluator restores its name from `Renamed`.
pub fn parse_hcl(
    file: &Arc<SourceFile>,
    limits: ParseLimits,
) -> Result<(Body, Renamed), FileError> {
    let mut text = std::borrow::Cow::Borrowed(file.text.as_str());
    let mut renamed = Renamed::new();
    loop {
        match hcl::edit::parser::parse_body(&text) {
            Ok(body) => {
                return match Nesting::new(limits.max_depth).body(&body, 0) {
                    Ok(()) => Ok((body, renamed)),
                    Err(offset) => Err(FileError::at(
                        file,
                        offset,
                        format!(
                            "nesting deeper than {} levels; refusing to read further",
                            limits.max_depth
                        ),
                    )),
                };
            }
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
                        renamed.insert(replacement, original);
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

/// Measures how deeply blocks, collections, calls, `for` expressions and
/// template directives nest, against `[limits] max_depth`. (hcl-edit itself
/// refuses more than 64 nested levels whatever the limit.)
struct Nesting {
    max: usize,
}

impl Nesting {
    fn new(max: usize) -> Self {
        Nesting { max }
    }

    /// Enters a nested level at `range`; `Err(offset)` when too deep.
    fn deeper(&self, depth: usize, range: Option<std::ops::Range<usize>>) -> Result<usize, usize> {
        if depth >= self.max {
            Err(range.map_or(0, |r| r.start))
        } else {
            Ok(depth + 1)
        }
    }

    fn body(&self, body: &Body, depth: usize) -> Result<(), usize> {
        for structure in body.iter() {
            match structure {
                Structure::Attribute(attr) => self.expr(&attr.value, depth)?,
                Structure::Block(block) => {
                    let inner = self.deeper(depth, block.span())?;
                    self.body(&block.body, inner)?;
                }
            }
        }
        Ok(())
    }

    fn expr(&self, expr: &Expression, depth: usize) -> Result<(), usize> {
        match expr {
            Expression::Null(_)
            | Expression::Bool(_)
            | Expression::Number(_)
            | Expression::String(_)
            | Expression::Variable(_) => Ok(()),
            Expression::Array(items) => {
                let inner = self.deeper(depth, items.span())?;
                items.iter().try_for_each(|e| self.expr(e, inner))
            }
            Expression::Object(object) => {
                let inner = self.deeper(depth, object.span())?;
                for (key, value) in object.iter() {
                    if let hcl::edit::expr::ObjectKey::Expression(k) = key {
                        self.expr(k, inner)?;
                    }
                    self.expr(value.expr(), inner)?;
                }
                Ok(())
            }
            Expression::StringTemplate(template) => self.template(template, depth),
            Expression::HeredocTemplate(heredoc) => self.template(&heredoc.template, depth),
            Expression::Parenthesis(inner) => self.expr(inner.inner(), depth),
            Expression::Conditional(c) => {
                self.expr(&c.cond_expr, depth)?;
                self.expr(&c.true_expr, depth)?;
                self.expr(&c.false_expr, depth)
            }
            Expression::FuncCall(call) => {
                let inner = self.deeper(depth, call.span())?;
                call.args.iter().try_for_each(|e| self.expr(e, inner))
            }
            Expression::Traversal(t) => {
                self.expr(&t.expr, depth)?;
                for op in &t.operators {
                    if let hcl::edit::expr::TraversalOperator::Index(index) = op.value() {
                        self.expr(index, depth)?;
                    }
                }
                Ok(())
            }
            Expression::UnaryOp(op) => self.expr(&op.expr, depth),
            Expression::BinaryOp(op) => {
                self.expr(&op.lhs_expr, depth)?;
                self.expr(&op.rhs_expr, depth)
            }
            Expression::ForExpr(f) => {
                let inner = self.deeper(depth, f.span())?;
                self.expr(&f.intro.collection_expr, inner)?;
                if let Some(key) = &f.key_expr {
                    self.expr(key, inner)?;
                }
                self.expr(&f.value_expr, inner)?;
                if let Some(cond) = &f.cond {
                    self.expr(&cond.expr, inner)?;
                }
                Ok(())
            }
        }
    }

    fn template(
        &self,
        template: &hcl::edit::template::Template,
        depth: usize,
    ) -> Result<(), usize> {
        use hcl::edit::template::{Directive, Element};
        for element in template.iter() {
            match element {
                Element::Literal(_) => {}
                Element::Interpolation(interp) => self.expr(&interp.expr, depth)?,
                Element::Directive(directive) => {
                    let inner = self.deeper(depth, directive.span())?;
                    match directive.as_ref() {
                        Directive::If(d) => {
                            self.expr(&d.if_expr.cond_expr, inner)?;
                            self.template(&d.if_expr.template, inner)?;
                            if let Some(other) = &d.else_expr {
                                self.template(&other.template, inner)?;
                            }
                        }
                        Directive::For(d) => {
                            self.expr(&d.for_expr.collection_expr, inner)?;
                            self.template(&d.for_expr.template, inner)?;
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

/// Placeholder key → the key as written.
pub type Renamed = std::collections::HashMap<String, String>;

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

/// Parses a `.tf.json` or `.tfvars.json` file.
pub fn parse_json(
    file: &Arc<SourceFile>,
    file_id: u32,
    limits: ParseLimits,
) -> Result<Node, FileError> {
    let docs = yaml::parse_stream(&file.text, file_id, Dialect::Core, limits.yaml())
        .map_err(|e| FileError::at(file, e.offset, format!("JSON syntax error: {}", e.message)))?;
    docs.into_iter()
        .find_map(|d| d.root)
        .filter(Node::is_map)
        .ok_or_else(|| FileError::at(file, 0, "Terraform JSON must be an object".into()))
}

//! Terraform expressions evaluated the way Terraform plans them, into
//! spanned values. Three things set this apart from a plain interpreter:
//! values keep where they were written (a value that came through a variable
//! is moved to where it is used and remembers its origin), anything that is
//! only known after apply stays an explicit unknown with the addresses it
//! depends on, and an expression Terraform would reject becomes a *failed*
//! unknown that `try()` and `can()` can see.

use hcl::edit::Span as _;
use hcl::edit::expr::{BinaryOperator, Expression, ObjectKey, TraversalOperator, UnaryOperator};
use hcl::edit::template::{Directive, Element, Template};

use super::config::{ExprRef, Mode, hcl_span};
use super::functions;
use super::module::{Budget, weight};
use crate::document::{Entry, Node, NodeData};
use crate::source::Span;

/// What expressions can refer to, answered by the module being evaluated.
pub trait Env {
    /// The source text of a span, for unknowns and messages.
    fn text(&self, span: Span) -> String;
    /// A variable's value; `None` if the module declares no such variable.
    fn var(&self, name: &str) -> Option<Node>;
    fn local(&self, name: &str) -> Option<Node>;
    /// The configured values of another resource's instances.
    fn resource(&self, mode: Mode, rtype: &str, name: &str) -> Option<ResourceRef>;
    /// The outputs of a module call (an object, or a list or map of objects
    /// for `count`/`for_each`); `None` if no such call.
    fn module(&self, name: &str) -> Option<Node>;
    fn path_module(&self) -> String;
    fn path_root(&self) -> String;
    /// The name written for an object key that was renamed to parse.
    fn renamed(&self, file: u32, key: &str) -> Option<String>;
    /// A file's text, for `file()` and `templatefile()`, if it may be read.
    fn read_file(&self, path: &str) -> Option<String>;
    /// The address prefix of the module instance (`module.net.`).
    fn address_prefix(&self) -> String;
    /// What the evaluation may still spend; `None` for a bare expression
    /// (a `--var` value) that needs no bound.
    fn budget(&self) -> Option<&Budget> {
        None
    }
}

/// Another resource as an expression sees it.
pub struct ResourceRef {
    pub config_address: String,
    pub instances: Instances,
}

pub enum Instances {
    Single(Option<Node>),
    Counted(Vec<Option<Node>>),
    Keyed(Vec<(String, Option<Node>)>),
    /// `count` or `for_each` is not known, so neither are the instances.
    Unknown,
}

/// How spans of nested expressions map to the file: exactly, or all onto
/// one span (an expression parsed out of a JSON string or a template file).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpanMode {
    Exact,
    Collapsed(Span),
}

/// Names an expression can use besides the module's objects: `count`,
/// `each`, `for` variables, `dynamic` iterators, `templatefile` variables.
#[derive(Debug, Clone)]
pub struct Scope {
    pub names: Vec<(String, Node)>,
    pub spans: SpanMode,
}

impl Scope {
    pub fn root() -> Self {
        Scope {
            names: Vec::new(),
            spans: SpanMode::Exact,
        }
    }

    pub fn with(&self, name: &str, value: Node) -> Scope {
        let mut next = self.clone();
        next.names.push((name.to_string(), value));
        next
    }

    fn get(&self, name: &str) -> Option<&Node> {
        self.names
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }

    /// What copying the scope's names costs (each `for` iteration does).
    pub fn weight(&self) -> usize {
        self.names
            .iter()
            .fold(1usize, |total, (_, v)| total.saturating_add(weight(v)))
    }

    fn collapsed(&self, span: Span) -> Scope {
        Scope {
            names: self.names.clone(),
            spans: SpanMode::Collapsed(span),
        }
    }
}

pub struct Eval<'e> {
    pub env: &'e dyn Env,
}

/// The union of the addresses unknown values depend on.
pub fn refs_of<'a>(nodes: impl IntoIterator<Item = &'a Node>) -> Vec<String> {
    let mut refs: Vec<String> = Vec::new();
    let mut stack: Vec<&Node> = nodes.into_iter().collect();
    while let Some(node) = stack.pop() {
        match &node.data {
            NodeData::Unknown(u) => {
                for r in &u.refs {
                    if !refs.contains(r) {
                        refs.push(r.clone());
                    }
                }
            }
            NodeData::Seq(items) => stack.extend(items.iter()),
            NodeData::Map(entries) => stack.extend(entries.iter().map(|e| &e.value)),
            _ => {}
        }
    }
    refs.sort();
    refs
}

/// Whether a value holds an unknown anywhere inside.
pub fn has_unknown(node: &Node) -> bool {
    match &node.data {
        NodeData::Unknown(_) => true,
        NodeData::Seq(items) => items.iter().any(has_unknown),
        NodeData::Map(entries) => entries.iter().any(|e| has_unknown(&e.value)),
        _ => false,
    }
}

pub fn has_failed(node: &Node) -> bool {
    match &node.data {
        NodeData::Unknown(u) => u.failed,
        NodeData::Seq(items) => items.iter().any(has_failed),
        NodeData::Map(entries) => entries.iter().any(|e| has_failed(&e.value)),
        _ => false,
    }
}

/// Values as Terraform converts them.
pub fn as_text(node: &Node) -> Option<String> {
    match &node.data {
        NodeData::Str(s) => Some(s.clone()),
        NodeData::Int(i) => Some(i.to_string()),
        NodeData::Float(f) => Some(format_float(*f)),
        NodeData::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

pub fn format_float(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

pub fn as_number(node: &Node) -> Option<f64> {
    match &node.data {
        NodeData::Int(i) => Some(*i as f64),
        NodeData::Float(f) => Some(*f),
        NodeData::Str(s) => s.trim().parse().ok(),
        _ => None,
    }
}

pub fn as_bool(node: &Node) -> Option<bool> {
    match &node.data {
        NodeData::Bool(b) => Some(*b),
        NodeData::Str(s) if s == "true" => Some(true),
        NodeData::Str(s) if s == "false" => Some(false),
        _ => None,
    }
}

pub fn number(span: Span, f: f64) -> Node {
    if f.fract() == 0.0 && f.abs() < 9.0e15 {
        Node::new(span, NodeData::Int(f as i64))
    } else {
        Node::new(span, NodeData::Float(f))
    }
}

/// Equality as Terraform's `==` sees it: same type, same value.
pub fn same(a: &Node, b: &Node) -> bool {
    match (&a.data, &b.data) {
        (NodeData::Null, NodeData::Null) => true,
        (NodeData::Bool(x), NodeData::Bool(y)) => x == y,
        (NodeData::Str(x), NodeData::Str(y)) => x == y,
        (NodeData::Int(_) | NodeData::Float(_), NodeData::Int(_) | NodeData::Float(_)) => {
            as_number(a) == as_number(b)
        }
        (NodeData::Seq(x), NodeData::Seq(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (NodeData::Map(x), NodeData::Map(y)) => {
            x.len() == y.len()
                && x.iter().all(|e| {
                    y.iter()
                        .find(|f| f.key == e.key)
                        .is_some_and(|f| same(&e.value, &f.value))
                })
        }
        _ => false,
    }
}

impl Eval<'_> {
    fn span(
        &self,
        scope: &Scope,
        range: Option<std::ops::Range<usize>>,
        file: u32,
        fallback: Span,
    ) -> Span {
        match scope.spans {
            SpanMode::Collapsed(span) => span,
            SpanMode::Exact => hcl_span(range, file, fallback),
        }
    }

    fn unknown(&self, span: Span, refs: Vec<String>) -> Node {
        Node::unknown(span, self.env.text(span), refs)
    }

    fn failed(&self, span: Span) -> Node {
        Node::failed(span, self.env.text(span))
    }

    /// An unknown standing for a whole expression whose inputs were unknown.
    fn unknown_from(&self, span: Span, inputs: &[&Node]) -> Node {
        if inputs.iter().any(|n| has_failed(n)) {
            return self.failed(span);
        }
        self.unknown(span, refs_of(inputs.iter().copied()))
    }

    pub fn eval(&self, expr: ExprRef<'_>, scope: &Scope) -> Node {
        match expr {
            ExprRef::Hcl(e, file) => self.hcl(e, file, scope),
            ExprRef::Json(node) => self.json(node, scope),
        }
    }

    /// A JSON-syntax value: strings are templates, the rest is literal.
    fn json(&self, node: &Node, scope: &Scope) -> Node {
        if !self.charge(1, node.span) {
            return self.failed(node.span);
        }
        match &node.data {
            NodeData::Str(s) if s.contains("${") || s.contains("%{") => {
                match hcl::edit::parser::parse_template(s) {
                    Ok(template) => {
                        let inner = scope.collapsed(node.span);
                        self.template(&template, 0, &inner, node.span)
                    }
                    Err(_) => self.failed(node.span),
                }
            }
            NodeData::Seq(items) => Node::new(
                node.span,
                NodeData::Seq(items.iter().map(|i| self.json(i, scope)).collect()),
            ),
            NodeData::Map(entries) => Node::new(
                node.span,
                NodeData::Map(
                    entries
                        .iter()
                        .filter(|e| e.key != "//")
                        .map(|e| Entry {
                            key: e.key.clone(),
                            key_span: e.key_span,
                            value: self.json(&e.value, scope),
                        })
                        .collect(),
                ),
            ),
            _ => node.clone(),
        }
    }

    /// Spends `units` of the budget; false when it is gone.
    pub fn charge(&self, units: usize, at: Span) -> bool {
        self.env.budget().is_none_or(|b| b.charge(units, at))
    }

    /// A value copied or built whole (through a reference, a function),
    /// paid for by its size; failed once the budget is gone.
    pub fn paid(&self, node: Node, at: Span) -> Node {
        if self.env.budget().is_none_or(|b| b.pay_for(&node, at)) {
            node
        } else {
            self.failed(at)
        }
    }

    pub fn hcl(&self, expr: &Expression, file: u32, scope: &Scope) -> Node {
        let whole = Span::new(file, 0, 0);
        let span = self.span(scope, expr.span(), file, whole);
        let Some(budget) = self.env.budget() else {
            return self.hcl_inner(expr, file, scope, span);
        };
        if !budget.charge(1, span) || !budget.enter(span) {
            return self.failed(span);
        }
        let node = self.hcl_inner(expr, file, scope, span);
        budget.leave();
        node
    }

    fn hcl_inner(&self, expr: &Expression, file: u32, scope: &Scope, span: Span) -> Node {
        match expr {
            Expression::Null(_) => Node::new(span, NodeData::Null),
            Expression::Bool(b) => Node::new(span, NodeData::Bool(*b.value())),
            Expression::Number(n) => {
                let n = n.value();
                match n.as_i64() {
                    Some(i) => Node::new(span, NodeData::Int(i)),
                    None => Node::new(span, NodeData::Float(n.as_f64().unwrap_or(f64::NAN))),
                }
            }
            Expression::String(s) => Node::str(span, s.value().as_str()),
            Expression::Array(items) => Node::new(
                span,
                NodeData::Seq(items.iter().map(|e| self.hcl(e, file, scope)).collect()),
            ),
            Expression::Object(object) => {
                let mut entries: Vec<Entry> = Vec::new();
                for (key, value) in object.iter() {
                    let (name, key_span) = match key {
                        ObjectKey::Ident(ident) => {
                            let key_span = self.span(scope, ident.span(), file, span);
                            let written = ident.as_str();
                            let name = self
                                .env
                                .renamed(file, written)
                                .unwrap_or_else(|| written.to_string());
                            (name, key_span)
                        }
                        ObjectKey::Expression(e) => {
                            let key_span = self.span(scope, e.span(), file, span);
                            let key = self.hcl(e, file, scope);
                            match as_text(&key) {
                                Some(text) => {
                                    (self.env.renamed(file, &text).unwrap_or(text), key_span)
                                }
                                // A key only known after apply makes the object's
                                // shape unknown.
                                None => return self.unknown_from(span, &[&key]),
                            }
                        }
                    };
                    let value = self.hcl(value.expr(), file, scope);
                    entries.retain(|e| e.key != name);
                    entries.push(Entry {
                        key: name,
                        key_span,
                        value,
                    });
                }
                Node::new(span, NodeData::Map(entries))
            }
            Expression::StringTemplate(template) => self.template(template, file, scope, span),
            Expression::HeredocTemplate(heredoc) => {
                self.template(&heredoc.template, file, scope, span)
            }
            Expression::Parenthesis(inner) => {
                let mut node = self.hcl(inner.inner(), file, scope);
                if node.origins.is_empty() {
                    node.span = span;
                }
                node
            }
            Expression::Variable(name) => match scope.get(name.as_str()) {
                Some(value) => self.paid(value.clone().relocate(span), span),
                None => self.failed(span),
            },
            Expression::Conditional(c) => {
                let cond = self.hcl(&c.cond_expr, file, scope);
                match as_bool(&cond) {
                    Some(true) => self.hcl(&c.true_expr, file, scope),
                    Some(false) => self.hcl(&c.false_expr, file, scope),
                    None => {
                        let yes = self.hcl(&c.true_expr, file, scope);
                        let no = self.hcl(&c.false_expr, file, scope);
                        // Both branches agree: the choice does not matter.
                        if !has_unknown(&yes) && same(&yes, &no) {
                            yes
                        } else if cond.is_unknown() {
                            self.unknown_from(span, &[&cond, &yes, &no])
                        } else {
                            self.failed(span)
                        }
                    }
                }
            }
            Expression::UnaryOp(op) => {
                let value = self.hcl(&op.expr, file, scope);
                if value.is_unknown() {
                    return self.unknown_from(span, &[&value]);
                }
                match op.operator.value() {
                    UnaryOperator::Neg => match as_number(&value) {
                        Some(n) => number(span, -n),
                        None => self.failed(span),
                    },
                    UnaryOperator::Not => match as_bool(&value) {
                        Some(b) => Node::new(span, NodeData::Bool(!b)),
                        None => self.failed(span),
                    },
                }
            }
            Expression::BinaryOp(op) => {
                let lhs = self.hcl(&op.lhs_expr, file, scope);
                let rhs = self.hcl(&op.rhs_expr, file, scope);
                self.binary(*op.operator.value(), &lhs, &rhs, span)
            }
            Expression::ForExpr(f) => self.for_expr(f, file, scope, span),
            Expression::FuncCall(call) => {
                let node = functions::call(self, call, file, scope, span);
                self.paid(node, span)
            }
            Expression::Traversal(t) => {
                let node = self.traversal(t, file, scope, span);
                self.paid(node, span)
            }
        }
    }

    fn binary(&self, op: BinaryOperator, lhs: &Node, rhs: &Node, span: Span) -> Node {
        if lhs.is_unknown() || rhs.is_unknown() {
            return self.unknown_from(span, &[lhs, rhs]);
        }
        let boolean = |b: bool| Node::new(span, NodeData::Bool(b));
        match op {
            BinaryOperator::Eq => boolean(same(lhs, rhs)),
            BinaryOperator::NotEq => boolean(!same(lhs, rhs)),
            BinaryOperator::And | BinaryOperator::Or => match (as_bool(lhs), as_bool(rhs)) {
                (Some(a), Some(b)) => boolean(if op == BinaryOperator::And {
                    a && b
                } else {
                    a || b
                }),
                _ => self.failed(span),
            },
            _ => {
                let (Some(a), Some(b)) = (as_number(lhs), as_number(rhs)) else {
                    return self.failed(span);
                };
                match op {
                    BinaryOperator::Plus => number(span, a + b),
                    BinaryOperator::Minus => number(span, a - b),
                    BinaryOperator::Mul => number(span, a * b),
                    BinaryOperator::Div if b != 0.0 => number(span, a / b),
                    BinaryOperator::Mod if b != 0.0 => number(span, a % b),
                    BinaryOperator::Less => boolean(a < b),
                    BinaryOperator::LessEq => boolean(a <= b),
                    BinaryOperator::Greater => boolean(a > b),
                    BinaryOperator::GreaterEq => boolean(a >= b),
                    _ => self.failed(span),
                }
            }
        }
    }

    /// Evaluates a template: a lone `${expr}` keeps its value's type, as in
    /// Terraform; anything else is a string.
    pub fn template(&self, template: &Template, file: u32, scope: &Scope, span: Span) -> Node {
        let elements: Vec<&Element> = template.iter().collect();
        if let [Element::Interpolation(only)] = elements.as_slice() {
            let value = self.hcl(&only.expr, file, scope);
            return if value.origins.is_empty() && scope.spans != SpanMode::Exact {
                Node { span, ..value }
            } else {
                value
            };
        }
        let mut out = String::new();
        let mut unknown_parts: Vec<Node> = Vec::new();
        self.render(template, file, scope, &mut out, &mut unknown_parts);
        if unknown_parts.is_empty() {
            Node::str(span, out)
        } else {
            let refs: Vec<&Node> = unknown_parts.iter().collect();
            self.unknown_from(span, &refs)
        }
    }

    fn render(
        &self,
        template: &Template,
        file: u32,
        scope: &Scope,
        out: &mut String,
        unknown: &mut Vec<Node>,
    ) {
        let mut strip_next = false;
        for element in template.iter() {
            match element {
                Element::Literal(literal) => {
                    let text = literal.value().as_str();
                    let at = self.span(scope, literal.span(), file, Span::new(file, 0, 0));
                    if !self.charge(1 + text.len() / 64, at) {
                        unknown.push(self.failed(at));
                        return;
                    }
                    if strip_next {
                        out.push_str(text.trim_start());
                    } else {
                        out.push_str(text);
                    }
                    strip_next = false;
                }
                Element::Interpolation(interp) => {
                    if interp.strip.strip_start() {
                        let trimmed = out.trim_end().len();
                        out.truncate(trimmed);
                    }
                    let value = self.hcl(&interp.expr, file, scope);
                    match as_text(&value) {
                        Some(text) if self.charge(text.len() / 64, value.span) => {
                            out.push_str(&text)
                        }
                        Some(_) => {
                            unknown.push(self.failed(value.span));
                            return;
                        }
                        None => unknown.push(value),
                    }
                    strip_next = interp.strip.strip_end();
                }
                Element::Directive(directive) => match directive.as_ref() {
                    Directive::If(d) => {
                        let cond = self.hcl(&d.if_expr.cond_expr, file, scope);
                        match as_bool(&cond) {
                            Some(true) => {
                                self.render(&d.if_expr.template, file, scope, out, unknown)
                            }
                            Some(false) => {
                                if let Some(other) = &d.else_expr {
                                    self.render(&other.template, file, scope, out, unknown);
                                }
                            }
                            None => unknown.push(cond),
                        }
                    }
                    Directive::For(d) => {
                        let collection = self.hcl(&d.for_expr.collection_expr, file, scope);
                        match iterate(&collection) {
                            Some(pairs) => {
                                for (key, value) in pairs {
                                    let mut inner =
                                        scope.with(d.for_expr.value_var.as_str(), value);
                                    if let Some(k) = &d.for_expr.key_var {
                                        inner = inner.with(k.as_str(), key);
                                    }
                                    if !self.charge(inner.weight(), collection.span) {
                                        unknown.push(self.failed(collection.span));
                                        return;
                                    }
                                    self.render(&d.for_expr.template, file, &inner, out, unknown);
                                }
                            }
                            None => unknown.push(collection),
                        }
                    }
                },
            }
        }
    }

    fn for_expr(&self, f: &hcl::edit::expr::ForExpr, file: u32, scope: &Scope, span: Span) -> Node {
        let collection = self.hcl(&f.intro.collection_expr, file, scope);
        let Some(pairs) = iterate(&collection) else {
            return self.unknown_from(span, &[&collection]);
        };
        let value_var = f.intro.value_var.as_str();
        let key_var = f.intro.key_var.as_ref().map(|k| k.as_str());
        let mut list = Vec::new();
        let mut object: Vec<Entry> = Vec::new();
        for (key, value) in pairs {
            let mut inner = scope.with(value_var, value);
            if let Some(k) = key_var {
                inner = inner.with(k, key);
            }
            if !self.charge(inner.weight(), span) {
                return self.failed(span);
            }
            if let Some(cond) = &f.cond {
                let keep = self.hcl(&cond.expr, file, &inner);
                match as_bool(&keep) {
                    Some(true) => {}
                    Some(false) => continue,
                    None => return self.unknown_from(span, &[&keep]),
                }
            }
            let item = self.hcl(&f.value_expr, file, &inner);
            match &f.key_expr {
                None => list.push(item),
                Some(key_expr) => {
                    let key = self.hcl(key_expr, file, &inner);
                    let Some(name) = as_text(&key) else {
                        return self.unknown_from(span, &[&key]);
                    };
                    if f.grouping {
                        match object.iter_mut().find(|e| e.key == name) {
                            Some(existing) => {
                                if let NodeData::Seq(items) = &mut existing.value.data {
                                    items.push(item);
                                }
                            }
                            None => object.push(Entry {
                                key: name,
                                key_span: key.span,
                                value: Node::new(item.span, NodeData::Seq(vec![item])),
                            }),
                        }
                    } else {
                        object.retain(|e| e.key != name);
                        object.push(Entry {
                            key: name,
                            key_span: key.span,
                            value: item,
                        });
                    }
                }
            }
        }
        if f.key_expr.is_some() {
            Node::new(span, NodeData::Map(object))
        } else {
            Node::new(span, NodeData::Seq(list))
        }
    }

    fn traversal(
        &self,
        t: &hcl::edit::expr::Traversal,
        file: u32,
        scope: &Scope,
        span: Span,
    ) -> Node {
        let ops: Vec<&TraversalOperator> = t.operators.iter().map(|o| o.value()).collect();
        let attr = |i: usize| match ops.get(i) {
            Some(TraversalOperator::GetAttr(name)) => Some(name.as_str()),
            _ => None,
        };
        let (base, used) = match &t.expr {
            Expression::Variable(root) => {
                let root = root.as_str();
                if let Some(value) = scope.get(root) {
                    (value.clone(), 0)
                } else {
                    match (root, attr(0)) {
                        ("var", Some(name)) => match self.env.var(name) {
                            Some(v) => (v, 1),
                            None => return self.failed(span),
                        },
                        ("local", Some(name)) => match self.env.local(name) {
                            Some(v) => (v, 1),
                            None => return self.failed(span),
                        },
                        ("module", Some(name)) => match self.env.module(name) {
                            Some(v) => (v, 1),
                            None => return self.failed(span),
                        },
                        ("path", Some("module")) => (Node::str(span, self.env.path_module()), 1),
                        ("path", Some("root")) => (Node::str(span, self.env.path_root()), 1),
                        ("path", Some("cwd")) => (Node::str(span, self.env.path_root()), 1),
                        ("terraform", Some("workspace")) => (Node::str(span, "default"), 1),
                        ("data", Some(rtype)) => {
                            let Some(name) = attr(1) else {
                                return self.failed(span);
                            };
                            return self.resource_traversal(
                                Mode::Data,
                                rtype,
                                name,
                                &ops[2..],
                                file,
                                scope,
                                span,
                            );
                        }
                        ("count" | "each" | "self", _) => {
                            return self.unknown(
                                span,
                                vec![format!("{}{root}", self.env.address_prefix())],
                            );
                        }
                        (rtype, Some(name)) => {
                            return self.resource_traversal(
                                Mode::Managed,
                                rtype,
                                name,
                                &ops[1..],
                                file,
                                scope,
                                span,
                            );
                        }
                        _ => return self.failed(span),
                    }
                }
            }
            other => (self.hcl(other, file, scope), 0),
        };
        let value = self.apply(base, &ops[used..], file, scope, span);
        value.relocate(span)
    }

    /// Applies attribute, index and splat operators to a value.
    fn apply(
        &self,
        mut value: Node,
        ops: &[&TraversalOperator],
        file: u32,
        scope: &Scope,
        span: Span,
    ) -> Node {
        for (i, op) in ops.iter().enumerate() {
            if value.is_unknown() {
                return self.unknown_from(span, &[&value]);
            }
            value = match op {
                TraversalOperator::GetAttr(name) => match value.get(name.as_str()) {
                    Some(v) => v.clone(),
                    // An attribute a resource's configuration does not set is
                    // computed by the provider: known after apply.
                    None => match value.get(REFERENCE_ADDRESS).and_then(Node::as_str) {
                        Some(address) => return self.unknown(span, vec![address.to_string()]),
                        None => return self.failed(span),
                    },
                },
                TraversalOperator::Index(index) => {
                    let key = self.hcl(index, file, scope);
                    match index_into(&value, &key) {
                        Ok(v) => v,
                        Err(true) => return self.unknown_from(span, &[&key]),
                        Err(false) => return self.failed(span),
                    }
                }
                TraversalOperator::LegacyIndex(n) => match value.items().get(*n.value() as usize) {
                    Some(v) => v.clone(),
                    None => return self.failed(span),
                },
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                    let items: Vec<Node> = match &value.data {
                        NodeData::Seq(items) => items.clone(),
                        NodeData::Null => Vec::new(),
                        _ => vec![value.clone()],
                    };
                    let rest = &ops[i + 1..];
                    let mapped = items
                        .into_iter()
                        .map(|item| self.apply(item, rest, file, scope, span))
                        .collect();
                    return Node::new(span, NodeData::Seq(mapped));
                }
            };
        }
        value
    }

    /// `aws_s3_bucket.logs.bucket`: the configured value when the
    /// configuration sets it, otherwise an unknown that names the instance.
    #[allow(clippy::too_many_arguments)]
    fn resource_traversal(
        &self,
        mode: Mode,
        rtype: &str,
        name: &str,
        ops: &[&TraversalOperator],
        file: u32,
        scope: &Scope,
        span: Span,
    ) -> Node {
        let prefix = self.env.address_prefix();
        let Some(resource) = self.env.resource(mode, rtype, name) else {
            // Not declared in this module: Terraform would reject it.
            return self.failed(span);
        };
        let config_address = format!("{prefix}{}", resource.config_address);
        let whole_unknown = |this: &Self, address: String| this.unknown(span, vec![address]);
        let (instance, address, rest): (Option<Node>, String, &[&TraversalOperator]) =
            match (&resource.instances, ops.first()) {
                (Instances::Single(values), _) => (values.clone(), config_address.clone(), ops),
                (Instances::Counted(list), Some(TraversalOperator::Index(index))) => {
                    let key = self.hcl(index, file, scope);
                    match as_number(&key).map(|n| n as usize) {
                        Some(i) if !key.is_unknown() => match list.get(i) {
                            Some(values) => {
                                (values.clone(), format!("{config_address}[{i}]"), &ops[1..])
                            }
                            None => return self.failed(span),
                        },
                        _ => return whole_unknown(self, config_address),
                    }
                }
                (Instances::Keyed(map), Some(TraversalOperator::Index(index))) => {
                    let key = self.hcl(index, file, scope);
                    match as_text(&key) {
                        Some(k) if !key.is_unknown() => {
                            match map.iter().find(|(name, _)| *name == k) {
                                Some((_, values)) => (
                                    values.clone(),
                                    format!("{config_address}[\"{k}\"]"),
                                    &ops[1..],
                                ),
                                None => return self.failed(span),
                            }
                        }
                        _ => return whole_unknown(self, config_address),
                    }
                }
                (Instances::Counted(list), _) => {
                    let items: Vec<Node> = list
                        .iter()
                        .enumerate()
                        .map(|(i, v)| reference_object(v, &format!("{config_address}[{i}]"), span))
                        .collect();
                    let base = Node::new(span, NodeData::Seq(items));
                    return self.apply(base, ops, file, scope, span);
                }
                (Instances::Keyed(map), _) => {
                    let entries = map
                        .iter()
                        .map(|(k, v)| Entry {
                            key: k.clone(),
                            key_span: span,
                            value: reference_object(v, &format!("{config_address}[\"{k}\"]"), span),
                        })
                        .collect();
                    let base = Node::new(span, NodeData::Map(entries));
                    return self.apply(base, ops, file, scope, span);
                }
                (Instances::Unknown, _) => return whole_unknown(self, config_address),
            };
        let object = reference_object(&instance, &address, span);
        let value = self.apply(object, rest, file, scope, span);
        value.relocate(span)
    }
}

/// A resource instance as other expressions read it: its configured values,
/// with every attribute it does not configure (ids, ARNs, computed values)
/// unknown until apply. Unknowns carry the instance address so split
/// resources can be linked to it.
///
/// Reading an attribute the configuration does not set must give an unknown
/// naming this instance, so the object carries its address under a hidden
/// key (`REFERENCE_ADDRESS`) that the traversal consults and that never
/// reaches rules (`Node::into_parts` drops hidden keys).
fn reference_object(values: &Option<Node>, address: &str, span: Span) -> Node {
    let mut entries: Vec<Entry> = values
        .as_ref()
        .map(|v| v.entries().to_vec())
        .unwrap_or_default()
        .into_iter()
        .filter(|e| !matches!(e.value.data, NodeData::Null))
        .collect();
    entries.push(Entry {
        key: REFERENCE_ADDRESS.to_string(),
        key_span: span,
        value: Node::str(span, address),
    });
    Node::new(span, NodeData::Map(entries))
}

/// Hidden key of a resource reference object, holding its address.
pub const REFERENCE_ADDRESS: &str = crate::document::HIDDEN_KEY_PREFIX;

/// Looks up `value[key]`; `Err(true)` when the key is unknown, `Err(false)`
/// when Terraform would reject the lookup.
fn index_into(value: &Node, key: &Node) -> Result<Node, bool> {
    if key.is_unknown() {
        return Err(true);
    }
    match &value.data {
        NodeData::Seq(items) => {
            let i = as_number(key).ok_or(false)?;
            if i < 0.0 || i.fract() != 0.0 {
                return Err(false);
            }
            items.get(i as usize).cloned().ok_or(false)
        }
        NodeData::Map(_) => {
            let k = as_text(key).ok_or(false)?;
            value.get(&k).cloned().ok_or(false)
        }
        _ => Err(false),
    }
}

/// The (key, value) pairs a `for` expression or directive iterates; `None`
/// when the collection is not known.
pub fn iterate(collection: &Node) -> Option<Vec<(Node, Node)>> {
    match &collection.data {
        NodeData::Seq(items) => Some(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| (Node::new(v.span, NodeData::Int(i as i64)), v.clone()))
                .collect(),
        ),
        NodeData::Map(entries) => {
            let mut sorted: Vec<&Entry> = entries
                .iter()
                .filter(|e| e.key != REFERENCE_ADDRESS)
                .collect();
            // Terraform iterates maps in lexical key order.
            sorted.sort_by(|a, b| a.key.cmp(&b.key));
            Some(
                sorted
                    .into_iter()
                    .map(|e| (Node::str(e.key_span, e.key.as_str()), e.value.clone()))
                    .collect(),
            )
        }
        NodeData::Null => Some(Vec::new()),
        _ => None,
    }
}

//! Evaluating a module the way `terraform plan` would: variables from their
//! sources in Terraform's precedence order, locals on demand, every resource
//! expanded into its instances (`count`, `for_each`), `dynamic` blocks into
//! the blocks they generate, and local (or already downloaded) child modules
//! evaluated with the arguments their caller passes.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

use super::config::{
    BodyRef, ChildStatus, ExprRef, Item, Mode, ModuleCall, ModuleConfig, Renamed, ResourceDecl,
};
use super::eval::{Env, Eval, Instances, ResourceRef, Scope, as_bool, as_number, as_text, iterate};
use crate::document::{Entry, Node, NodeData};
use crate::source::{SourceFile, Span};

/// Every module configuration reachable from a root, and the files they
/// came from (document-wide file ids).
pub struct Arena {
    pub modules: Vec<ModuleConfig>,
    pub files: Vec<Arc<SourceFile>>,
    pub renamed: HashMap<u32, Renamed>,
    pub root_dir: PathBuf,
    pub budget: Budget,
    pub limits: crate::parse::ParseLimits,
}

/// What evaluating one root module may spend: Terraform's language can
/// describe values far larger than its text (a local that doubles another,
/// nested `for` over `range(1024)`) and reference chains deeper than the
/// stack. Each top-level item (a resource's instances, a section of the
/// document) gets a budget of its own, within one for the whole module, so
/// one runaway expression leaves the rest of the module evaluated: past
/// the item's bound what remains of that item yields failed values, and the
/// module gets an error saying where evaluation stopped.
#[derive(Debug)]
pub struct Budget {
    /// Units of work left for the current item and for the whole module:
    /// one per expression evaluated, plus the size of every value copied
    /// through a reference or built by a function.
    item_left: Cell<usize>,
    total_left: Cell<usize>,
    item_work: usize,
    in_item: Cell<bool>,
    /// The current item ran out (of work or depth): the rest of it fails.
    item_stopped: Cell<bool>,
    /// How deeply expressions are being evaluated inside one another.
    depth: Cell<usize>,
    max_depth: usize,
    /// How deeply a value may nest (`[limits] max_depth`): a chain of locals
    /// each wrapping the one before builds values deeper than any text.
    max_value_depth: usize,
    /// Where evaluation first ran out, and of what; and how many items did.
    first_stop: Cell<Option<(Span, Exhausted)>>,
    stops: Cell<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exhausted {
    Work,
    Depth,
    ValueDepth,
}

/// Work units one top-level item may spend: ten times what the largest
/// module in the shared corpus needs in all (105 000, one of
/// terraform-aws-eks's tests), and a few hundred megabytes of values at most.
pub const MAX_ITEM_WORK: usize = 1_000_000;

/// Work units a whole root module may spend, counting its child modules.
pub const MAX_MODULE_WORK: usize = 2 * MAX_ITEM_WORK;

/// How deeply expressions may be evaluated inside one another (through
/// locals referring to locals, outputs of modules, nested calls): the
/// deepest module in the shared corpus reaches 28, and 200 fits a worker
/// thread's stack many times over even in a debug build.
pub const MAX_EVAL_DEPTH: usize = 200;

impl Default for Budget {
    fn default() -> Self {
        Budget::new(crate::parse::yaml::DEFAULT_MAX_DEPTH)
    }
}

impl Budget {
    /// The default work and depth bounds, with values nesting at most
    /// `max_value_depth` levels.
    pub fn new(max_value_depth: usize) -> Self {
        Budget::with_bounds(
            MAX_ITEM_WORK,
            MAX_MODULE_WORK,
            MAX_EVAL_DEPTH,
            max_value_depth,
        )
    }

    pub fn with_bounds(
        item_work: usize,
        total_work: usize,
        max_depth: usize,
        max_value_depth: usize,
    ) -> Self {
        Budget {
            item_left: Cell::new(item_work),
            total_left: Cell::new(total_work),
            item_work,
            in_item: Cell::new(false),
            item_stopped: Cell::new(false),
            depth: Cell::new(0),
            max_depth,
            max_value_depth,
            first_stop: Cell::new(None),
            stops: Cell::new(0),
        }
    }

    /// Runs `f` as one top-level item with a fresh item budget (an item
    /// reached from inside another is part of it).
    pub fn item<T>(&self, f: impl FnOnce() -> T) -> T {
        if self.in_item.get() {
            return f();
        }
        self.in_item.set(true);
        self.item_left.set(self.item_work);
        self.item_stopped.set(false);
        let out = f();
        self.in_item.set(false);
        self.item_stopped.set(false);
        out
    }

    fn stop(&self, at: Span, what: Exhausted) {
        if !self.item_stopped.get() {
            self.stops.set(self.stops.get() + 1);
        }
        self.item_stopped.set(true);
        if self.first_stop.get().is_none() {
            self.first_stop.set(Some((at, what)));
        }
    }

    /// Spends `units`; false once the item's or the module's budget is gone.
    pub fn charge(&self, units: usize, at: Span) -> bool {
        if self.item_stopped.get() {
            return false;
        }
        let item = self.item_left.get().checked_sub(units);
        let total = self.total_left.get().checked_sub(units);
        match (item, total) {
            (Some(item), Some(total)) => {
                self.item_left.set(item);
                self.total_left.set(total);
                true
            }
            (_, total) => {
                self.total_left.set(total.unwrap_or(0));
                self.stop(at, Exhausted::Work);
                false
            }
        }
    }

    /// Pays for a value copied or built whole: its size, and it must not
    /// nest deeper than values may.
    pub fn pay_for(&self, node: &Node, at: Span) -> bool {
        let size = measure(node);
        if size.depth > self.max_value_depth {
            if !self.item_stopped.get() {
                self.stop(at, Exhausted::ValueDepth);
            }
            return false;
        }
        self.charge(size.weight, at)
    }

    pub fn max_value_depth(&self) -> usize {
        self.max_value_depth
    }

    /// Enters one level of nested evaluation; false when that is too deep.
    /// Every successful `enter` is paired with a `leave`.
    pub fn enter(&self, at: Span) -> bool {
        if self.item_stopped.get() {
            return false;
        }
        let depth = self.depth.get();
        if depth >= self.max_depth {
            self.stop(at, Exhausted::Depth);
            return false;
        }
        self.depth.set(depth + 1);
        true
    }

    pub fn leave(&self) {
        self.depth.set(self.depth.get().saturating_sub(1));
    }

    /// Where evaluation first stopped, why, and in how many items.
    pub fn stopped(&self) -> Option<(Span, Exhausted, usize)> {
        self.first_stop
            .get()
            .map(|(at, what)| (at, what, self.stops.get()))
    }
}

/// What a value costs to copy, and how deeply it nests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    /// One per node, one per 64 bytes of text.
    pub weight: usize,
    /// 1 for a scalar or an empty collection.
    pub depth: usize,
}

/// Measures a value without recursion (values can nest deeply).
pub fn measure(node: &Node) -> Size {
    let mut size = Size {
        weight: 0,
        depth: 0,
    };
    let mut stack = vec![(node, 1usize)];
    while let Some((n, depth)) = stack.pop() {
        size.weight = size.weight.saturating_add(1);
        size.depth = size.depth.max(depth);
        match &n.data {
            NodeData::Str(s) => size.weight = size.weight.saturating_add(s.len() / 64),
            NodeData::Seq(items) => stack.extend(items.iter().map(|i| (i, depth + 1))),
            NodeData::Map(entries) => {
                for e in entries {
                    size.weight = size.weight.saturating_add(e.key.len() / 64);
                    stack.push((&e.value, depth + 1));
                }
            }
            _ => {}
        }
    }
    size
}

/// The cost of copying a value (see [`measure`]).
pub fn weight(node: &Node) -> usize {
    measure(node).weight
}

/// How deep module calls may nest before clause stops following them.
pub const MAX_MODULE_DEPTH: usize = 12;

/// Meta-arguments of a module call that are not inputs.
const CALL_META: &[&str] = &[
    "source",
    "version",
    "providers",
    "depends_on",
    "count",
    "for_each",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InstanceKey {
    None,
    Index(usize),
    Key(String),
    /// `count` or `for_each` is unknown: one instance stands for all.
    Unknown,
}

impl InstanceKey {
    pub fn suffix(&self) -> String {
        match self {
            InstanceKey::None => String::new(),
            InstanceKey::Index(i) => format!("[{i}]"),
            InstanceKey::Key(k) => format!("[\"{k}\"]"),
            InstanceKey::Unknown => "[?]".to_string(),
        }
    }
}

pub struct ResourceInstance {
    pub key: InstanceKey,
    pub values: Node,
}

enum Memo<T> {
    InProgress,
    Done(T),
}

pub struct ChildInstance<'a> {
    pub key: InstanceKey,
    pub instance: Rc<Instance<'a>>,
}

/// One instance of a module: the root, or a child reached through a call.
pub struct Instance<'a> {
    pub arena: &'a Arena,
    pub config: &'a ModuleConfig,
    /// `""` for the root, `module.net.` / `module.net["a"].` for children.
    pub prefix: String,
    pub vars: HashMap<String, Node>,
    pub depth: usize,
    locals: RefCell<HashMap<String, Memo<Node>>>,
    resources: RefCell<HashMap<String, Memo<Rc<Vec<ResourceInstance>>>>>,
    children: RefCell<HashMap<String, Memo<Rc<Vec<ChildInstance<'a>>>>>>,
    outputs: RefCell<HashMap<String, Memo<Node>>>,
}

impl<'a> Instance<'a> {
    pub fn new(
        arena: &'a Arena,
        config: &'a ModuleConfig,
        prefix: String,
        vars: HashMap<String, Node>,
        depth: usize,
    ) -> Self {
        Instance {
            arena,
            config,
            prefix,
            vars,
            depth,
            locals: RefCell::new(HashMap::new()),
            resources: RefCell::new(HashMap::new()),
            children: RefCell::new(HashMap::new()),
            outputs: RefCell::new(HashMap::new()),
        }
    }

    fn eval(&self) -> Eval<'_> {
        Eval { env: self }
    }

    pub fn expr(&self, expr: ExprRef<'_>, scope: &Scope) -> Node {
        self.eval().eval(expr, scope)
    }

    /// The module address of this instance without the trailing dot.
    pub fn module_address(&self) -> String {
        self.prefix.trim_end_matches('.').to_string()
    }

    /// Evaluates a block body: attributes, nested blocks (always arrays) and
    /// `dynamic` blocks expanded into the blocks they generate.
    pub fn body(&self, body: BodyRef<'_>, scope: &Scope, whole: Span) -> Node {
        let mut entries: Vec<Entry> = Vec::new();
        let push_block =
            |entries: &mut Vec<Entry>, ident: &str, key_span: Span, node: Node| match entries
                .iter_mut()
                .find(|e| e.key == ident && e.value.is_seq())
            {
                Some(existing) => {
                    if let NodeData::Seq(items) = &mut existing.value.data {
                        items.push(node);
                    }
                }
                None => entries.push(Entry {
                    key: ident.to_string(),
                    key_span,
                    value: Node::new(node.span, NodeData::Seq(vec![node])),
                }),
            };
        for item in body.items(whole) {
            match item {
                Item::Attribute {
                    name,
                    key_span,
                    expr,
                } => {
                    let value = self.expr(expr, scope);
                    entries.retain(|e| e.key != name);
                    entries.push(Entry {
                        key: name,
                        key_span,
                        value,
                    });
                }
                Item::Block {
                    ident,
                    labels,
                    header,
                    whole,
                    body,
                } if ident == "dynamic" && labels.len() == 1 => {
                    let name = &labels[0].0;
                    for generated in self.dynamic(name, body, scope, header, whole) {
                        push_block(&mut entries, name, header, generated);
                    }
                }
                Item::Block {
                    ident,
                    labels,
                    header,
                    whole,
                    body,
                } => {
                    let mut node = self.body(body, scope, whole).with_header(header);
                    if !labels.is_empty()
                        && let NodeData::Map(items) = &mut node.data
                    {
                        let labels = labels
                            .iter()
                            .map(|(l, s)| Node::str(*s, l.as_str()))
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
                    let key_span = Span::new(
                        header.file,
                        header.start as usize,
                        header.start as usize + ident.len(),
                    );
                    push_block(&mut entries, &ident, key_span, node);
                }
            }
        }
        Node::new(whole, NodeData::Map(entries))
    }

    /// The blocks a `dynamic "name"` block generates: one per element of its
    /// `for_each`, with the iterator bound; one block with an unknown
    /// iterator when the collection is not known.
    fn dynamic(
        &self,
        name: &str,
        body: BodyRef<'_>,
        scope: &Scope,
        header: Span,
        whole: Span,
    ) -> Vec<Node> {
        let items = body.items(whole);
        let content = items.iter().find_map(|item| match item {
            Item::Block {
                ident, body, whole, ..
            } if ident == "content" => Some((*body, *whole)),
            _ => None,
        });
        let Some((content, content_whole)) = content else {
            return Vec::new();
        };
        let iterator = match body.attribute("iterator") {
            Some((_, ExprRef::Hcl(hcl::edit::expr::Expression::Variable(v), _))) => {
                v.as_str().to_string()
            }
            Some((_, ExprRef::Json(node))) => node.as_str().unwrap_or(name).to_string(),
            _ => name.to_string(),
        };
        let collection = body
            .attribute("for_each")
            .map(|(_, e)| self.expr(e, scope))
            .unwrap_or_else(|| Node::new(header, NodeData::Null));
        let bind = |key: Node, value: Node| {
            let span = value.span;
            Node::new(
                span,
                NodeData::Map(vec![
                    Entry {
                        key: "key".into(),
                        key_span: span,
                        value: key,
                    },
                    Entry {
                        key: "value".into(),
                        key_span: span,
                        value,
                    },
                ]),
            )
        };
        match iterate(&collection) {
            Some(pairs) => pairs
                .into_iter()
                .map(|(k, v)| {
                    let inner = scope.with(&iterator, bind(k, v));
                    if !self.arena.budget.charge(inner.weight(), header) {
                        return Node::failed(header, format!("dynamic \"{name}\""));
                    }
                    self.body(content, &inner, content_whole)
                        .with_header(header)
                })
                .collect(),
            None => {
                let unknown = |what: &str| {
                    Node::unknown(
                        collection.span,
                        format!("{iterator}.{what}"),
                        super::eval::refs_of([&collection]),
                    )
                };
                let inner = scope.with(&iterator, bind(unknown("key"), unknown("value")));
                vec![
                    self.body(content, &inner, content_whole)
                        .with_header(header),
                ]
            }
        }
    }

    /// `count` / `for_each` expansion: the scopes of a resource's or module
    /// call's instances.
    fn expansion(&self, body: BodyRef<'_>) -> Vec<(InstanceKey, Scope)> {
        let root = Scope::root();
        if let Some((_, count)) = body.attribute("count") {
            let value = self.expr(count, &root);
            let index = |i: Node| {
                Node::new(
                    i.span,
                    NodeData::Map(vec![Entry {
                        key: "index".into(),
                        key_span: i.span,
                        value: i,
                    }]),
                )
            };
            return match as_number(&value).filter(|_| !value.is_unknown()) {
                Some(n) if n >= 0.0 => (0..(n as usize).min(10_000))
                    .map(|i| {
                        (
                            InstanceKey::Index(i),
                            root.with(
                                "count",
                                index(Node::new(value.span, NodeData::Int(i as i64))),
                            ),
                        )
                    })
                    .collect(),
                Some(_) => Vec::new(),
                None => {
                    let unknown =
                        Node::unknown(value.span, "count.index", super::eval::refs_of([&value]));
                    vec![(InstanceKey::Unknown, root.with("count", index(unknown)))]
                }
            };
        }
        if let Some((_, for_each)) = body.attribute("for_each") {
            let value = self.expr(for_each, &root);
            let each = |key: Node, val: Node| {
                let span = val.span;
                Node::new(
                    span,
                    NodeData::Map(vec![
                        Entry {
                            key: "key".into(),
                            key_span: span,
                            value: key,
                        },
                        Entry {
                            key: "value".into(),
                            key_span: span,
                            value: val,
                        },
                    ]),
                )
            };
            return match &value.data {
                NodeData::Map(entries) => {
                    let mut sorted: Vec<&Entry> = entries.iter().collect();
                    sorted.sort_by(|a, b| a.key.cmp(&b.key));
                    sorted
                        .into_iter()
                        .map(|e| {
                            let key = Node::str(e.key_span, e.key.as_str());
                            (
                                InstanceKey::Key(e.key.clone()),
                                root.with("each", each(key, e.value.clone())),
                            )
                        })
                        .collect()
                }
                NodeData::Seq(items)
                    if items
                        .iter()
                        .all(|i| as_text(i).is_some() && !i.is_unknown()) =>
                {
                    // A set of strings: each.key and each.value are the element.
                    let mut keys: Vec<(String, &Node)> = items
                        .iter()
                        .filter_map(|i| as_text(i).map(|t| (t, i)))
                        .collect();
                    keys.sort_by(|a, b| a.0.cmp(&b.0));
                    keys.dedup_by(|a, b| a.0 == b.0);
                    keys.into_iter()
                        .map(|(k, node)| {
                            (
                                InstanceKey::Key(k),
                                root.with("each", each(node.clone(), node.clone())),
                            )
                        })
                        .collect()
                }
                NodeData::Null => Vec::new(),
                _ => {
                    let refs = super::eval::refs_of([&value]);
                    let unknown = |what: &str| {
                        Node::unknown(value.span, format!("each.{what}"), refs.clone())
                    };
                    vec![(
                        InstanceKey::Unknown,
                        root.with("each", each(unknown("key"), unknown("value"))),
                    )]
                }
            };
        }
        vec![(InstanceKey::None, root)]
    }

    /// A resource's instances, evaluated once.
    pub fn instances(&self, decl: &ResourceDecl) -> Rc<Vec<ResourceInstance>> {
        let address = decl.config_address();
        if let Some(memo) = self.resources.borrow().get(&address) {
            return match memo {
                Memo::Done(list) => Rc::clone(list),
                Memo::InProgress => Rc::new(Vec::new()),
            };
        }
        self.resources
            .borrow_mut()
            .insert(address.clone(), Memo::InProgress);
        let body = decl.body.as_ref();
        let list: Vec<ResourceInstance> = self
            .expansion(body)
            .into_iter()
            .map(|(key, scope)| ResourceInstance {
                key,
                values: self.body(body, &scope, decl.whole),
            })
            .collect();
        let list = Rc::new(list);
        self.resources
            .borrow_mut()
            .insert(address, Memo::Done(Rc::clone(&list)));
        list
    }

    /// The instances of a module call, evaluated once.
    pub fn children(&self, call: &ModuleCall) -> Rc<Vec<ChildInstance<'a>>> {
        if let Some(memo) = self.children.borrow().get(&call.name) {
            return match memo {
                Memo::Done(list) => Rc::clone(list),
                Memo::InProgress => Rc::new(Vec::new()),
            };
        }
        let ChildStatus::Loaded(index) = call.child else {
            return Rc::new(Vec::new());
        };
        if self.depth >= MAX_MODULE_DEPTH {
            return Rc::new(Vec::new());
        }
        self.children
            .borrow_mut()
            .insert(call.name.clone(), Memo::InProgress);
        let child_config = &self.arena.modules[index];
        let body = call.body.as_ref();
        let mut list = Vec::new();
        for (key, scope) in self.expansion(body) {
            let prefix = format!("{}module.{}{}.", self.prefix, call.name, key.suffix());
            let mut args: HashMap<String, Node> = HashMap::new();
            for item in body.items(call.whole) {
                if let Item::Attribute { name, expr, .. } = item
                    && !CALL_META.contains(&name.as_str())
                {
                    args.insert(name, self.expr(expr, &scope));
                }
            }
            let vars = child_config
                .variables
                .iter()
                .map(|decl| {
                    let value = match args.remove(&decl.name) {
                        // `nullable = false`: a null argument means the default.
                        Some(v) if matches!(v.data, NodeData::Null) && !nullable(decl) => {
                            default_or_unknown(self, decl, &format!("{prefix}var.{}", decl.name))
                        }
                        Some(v) => v,
                        None => {
                            default_or_unknown(self, decl, &format!("{prefix}var.{}", decl.name))
                        }
                    };
                    (
                        decl.name.clone(),
                        convert_to_type(value, &variable_type(self.arena, decl)),
                    )
                })
                .collect();
            let instance = Rc::new(Instance::new(
                self.arena,
                child_config,
                prefix,
                vars,
                self.depth + 1,
            ));
            list.push(ChildInstance { key, instance });
        }
        let list = Rc::new(list);
        self.children
            .borrow_mut()
            .insert(call.name.clone(), Memo::Done(Rc::clone(&list)));
        list
    }

    /// An output's value.
    pub fn output(&self, name: &str) -> Option<Node> {
        let decl = self.config.outputs.iter().find(|o| o.name == name)?;
        if let Some(memo) = self.outputs.borrow().get(name) {
            return Some(match memo {
                Memo::Done(v) => v.clone(),
                Memo::InProgress => Node::unknown(
                    decl.header,
                    name,
                    vec![format!("{}output.{name}", self.prefix)],
                ),
            });
        }
        self.outputs
            .borrow_mut()
            .insert(name.to_string(), Memo::InProgress);
        let value = match decl.body.as_ref().attribute("value") {
            Some((_, expr)) => self.expr(expr, &Scope::root()),
            None => Node::new(decl.header, NodeData::Null),
        };
        self.outputs
            .borrow_mut()
            .insert(name.to_string(), Memo::Done(value.clone()));
        Some(value)
    }

    fn outputs_object(&self, span: Span) -> Node {
        let entries = self
            .config
            .outputs
            .iter()
            .filter_map(|o| {
                Some(Entry {
                    key: o.name.clone(),
                    key_span: o.header,
                    value: self.output(&o.name)?,
                })
            })
            .collect();
        Node::new(span, NodeData::Map(entries))
    }
}

/// A variable's default, or an unknown naming it when none is declared.
pub fn default_or_unknown(
    instance: &Instance<'_>,
    decl: &super::config::VariableDecl,
    address: &str,
) -> Node {
    match decl.body.as_ref().attribute("default") {
        Some((_, expr)) => instance.expr(expr, &Scope::root()),
        None => Node::unknown(
            decl.header,
            format!("var.{}", decl.name),
            vec![address.to_string()],
        ),
    }
}

/// Whether a variable accepts null (`nullable = false` makes null mean
/// "use the default").
pub fn nullable(decl: &super::config::VariableDecl) -> bool {
    match decl.body.as_ref().attribute("nullable") {
        Some((_, ExprRef::Hcl(hcl::edit::expr::Expression::Bool(b), _))) => *b.value(),
        Some((_, ExprRef::Json(node))) => !matches!(node.data, NodeData::Bool(false)),
        _ => true,
    }
}

/// A variable's declared type constraint as written (`list(string)`).
pub fn variable_type(arena: &Arena, decl: &super::config::VariableDecl) -> String {
    match decl.body.as_ref().attribute("type") {
        Some((_, ExprRef::Hcl(expr, file))) => {
            use hcl::edit::Span as _;
            let span = super::config::hcl_span(expr.span(), file, decl.header);
            arena
                .files
                .get(file as usize)
                .map(|f| f.slice(span).trim().to_string())
                .unwrap_or_default()
        }
        Some((_, ExprRef::Json(node))) => node.as_str().unwrap_or_default().to_string(),
        None => String::new(),
    }
}

/// Terraform converts a value to the variable's type: primitives, and the
/// elements of lists and sets (a set also drops duplicates and sorts).
pub fn convert_to_type(value: Node, ty: &str) -> Node {
    let ty = ty.trim();
    for (wrapper, is_set) in [("list(", false), ("set(", true)] {
        if let Some(inner) = ty.strip_prefix(wrapper).and_then(|t| t.strip_suffix(')'))
            && let NodeData::Seq(items) = value.data.clone()
        {
            let items: Vec<Node> = items
                .into_iter()
                .map(|i| convert_to_type(i, inner))
                .collect();
            let items = if is_set {
                super::functions::set_of(items)
            } else {
                items
            };
            return Node {
                data: NodeData::Seq(items),
                ..value
            };
        }
    }
    let span = value.span;
    let converted = match (ty, &value.data) {
        ("number", NodeData::Str(_)) => as_number(&value).map(|n| super::eval::number(span, n)),
        ("bool", NodeData::Str(_)) => as_bool(&value).map(|b| Node::new(span, NodeData::Bool(b))),
        ("string", NodeData::Int(_) | NodeData::Float(_) | NodeData::Bool(_)) => {
            as_text(&value).map(|t| Node::str(span, t))
        }
        _ => None,
    };
    match converted {
        Some(mut node) => {
            node.origins = value.origins;
            node
        }
        None => value,
    }
}

impl Env for Instance<'_> {
    fn text(&self, span: Span) -> String {
        let text = self
            .arena
            .files
            .get(span.file as usize)
            .map(|f| f.slice(span).trim().to_string())
            .unwrap_or_default();
        // An expression inside a JSON string: its text without the quotes.
        match text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
            Some(inner) if inner.contains("${") => inner.to_string(),
            _ => text,
        }
    }

    fn var(&self, name: &str) -> Option<Node> {
        self.vars.get(name).cloned()
    }

    fn local(&self, name: &str) -> Option<Node> {
        let local = self.config.locals.iter().find(|l| l.name == name)?;
        if let Some(memo) = self.locals.borrow().get(name) {
            return Some(match memo {
                Memo::Done(v) => v.clone(),
                // A local that refers back to itself: Terraform rejects the cycle.
                Memo::InProgress => Node::failed(local.key_span, format!("local.{name}")),
            });
        }
        self.locals
            .borrow_mut()
            .insert(name.to_string(), Memo::InProgress);
        let (whole, body) = &self.config.local_bodies[local.body];
        let value = match body.as_ref().attribute(name) {
            Some((_, expr)) => self.expr(expr, &Scope::root()),
            None => Node::failed(*whole, format!("local.{name}")),
        };
        self.locals
            .borrow_mut()
            .insert(name.to_string(), Memo::Done(value.clone()));
        Some(value)
    }

    fn resource(&self, mode: Mode, rtype: &str, name: &str) -> Option<ResourceRef> {
        let decl = self
            .config
            .resources
            .iter()
            .find(|r| r.mode == mode && r.rtype == rtype && r.name == name)?;
        let config_address = decl.config_address();
        if mode == Mode::Data {
            // Data sources are read at plan time from the provider.
            return Some(ResourceRef {
                config_address,
                instances: Instances::Unknown,
            });
        }
        let list = self.instances(decl);
        // Every reference copies the instances' values: paid like any copy.
        let cost = list
            .iter()
            .fold(1usize, |total, i| total.saturating_add(weight(&i.values)));
        if !self.arena.budget.charge(cost, decl.header) {
            return Some(ResourceRef {
                config_address,
                instances: Instances::Unknown,
            });
        }
        let instances = match list.first().map(|i| &i.key) {
            None => Instances::Counted(Vec::new()),
            Some(InstanceKey::None) => Instances::Single(Some(list[0].values.clone())),
            Some(InstanceKey::Index(_)) => {
                Instances::Counted(list.iter().map(|i| Some(i.values.clone())).collect())
            }
            Some(InstanceKey::Key(_)) => Instances::Keyed(
                list.iter()
                    .filter_map(|i| match &i.key {
                        InstanceKey::Key(k) => Some((k.clone(), Some(i.values.clone()))),
                        _ => None,
                    })
                    .collect(),
            ),
            Some(InstanceKey::Unknown) => Instances::Unknown,
        };
        Some(ResourceRef {
            config_address,
            instances,
        })
    }

    fn module(&self, name: &str) -> Option<Node> {
        let call = self.config.calls.iter().find(|c| c.name == name)?;
        let address = format!("{}module.{name}", self.prefix);
        if !matches!(call.child, ChildStatus::Loaded(_)) {
            return Some(Node::unknown(
                call.header,
                format!("module.{name}"),
                vec![address],
            ));
        }
        let children = self.children(call);
        let span = call.header;
        let node = match children.first().map(|c| &c.key) {
            None => Node::new(span, NodeData::Seq(Vec::new())),
            Some(InstanceKey::None) => children[0].instance.outputs_object(span),
            Some(InstanceKey::Index(_)) => Node::new(
                span,
                NodeData::Seq(
                    children
                        .iter()
                        .map(|c| c.instance.outputs_object(span))
                        .collect(),
                ),
            ),
            Some(InstanceKey::Key(_)) => Node::new(
                span,
                NodeData::Map(
                    children
                        .iter()
                        .filter_map(|c| match &c.key {
                            InstanceKey::Key(k) => Some(Entry {
                                key: k.clone(),
                                key_span: span,
                                value: c.instance.outputs_object(span),
                            }),
                            _ => None,
                        })
                        .collect(),
                ),
            ),
            Some(InstanceKey::Unknown) => {
                Node::unknown(span, format!("module.{name}"), vec![address])
            }
        };
        Some(node)
    }

    fn path_module(&self) -> String {
        relative(&self.arena.root_dir, &self.config.dir)
    }

    fn path_root(&self) -> String {
        ".".to_string()
    }

    fn renamed(&self, file: u32, key: &str) -> Option<String> {
        self.arena.renamed.get(&file)?.get(key).cloned()
    }

    fn read_file(&self, path: &str) -> Option<String> {
        const MAX_READ: u64 = 1024 * 1024;
        let candidate = normalize(&self.arena.root_dir.join(path));
        // Only files of the modules being evaluated: a configuration must
        // not make clause read arbitrary files.
        let allowed = self
            .arena
            .modules
            .iter()
            .any(|m| candidate.starts_with(normalize(&m.dir)));
        if !allowed || std::fs::metadata(&candidate).ok()?.len() > MAX_READ {
            return None;
        }
        std::fs::read_to_string(&candidate).ok()
    }

    fn address_prefix(&self) -> String {
        self.prefix.clone()
    }

    fn budget(&self) -> Option<&Budget> {
        Some(&self.arena.budget)
    }
}

/// A path with `.` and `..` resolved lexically (symlinks left alone).
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    if out.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        out
    }
}

/// `path.module` as Terraform gives it: relative to the root module.
fn relative(root: &Path, dir: &Path) -> String {
    let (root, dir) = (normalize(root), normalize(dir));
    if root == dir {
        return ".".to_string();
    }
    let common = root
        .components()
        .zip(dir.components())
        .take_while(|(a, b)| a == b)
        .count();
    let ups = root.components().count() - common;
    let mut out: Vec<String> = vec!["..".to_string(); ups];
    out.extend(
        dir.components()
            .skip(common)
            .map(|c| c.as_os_str().to_string_lossy().to_string()),
    );
    out.join("/")
}

//! Terraform root modules into one document each, evaluated the way
//! Terraform would plan them (see `module.rs`): values resolved from
//! variables, tfvars files and locals, resources expanded into instances,
//! local and downloaded child modules followed, and everything that is only
//! known after apply left as an explicit unknown.
//!
//! Input shape (documented for rule authors in `docs/input-terraform.md`):
//! `resources` keyed by instance address (`aws_s3_bucket.logs`,
//! `aws_instance.web[0]`, `module.net.aws_subnet.this["a"]`), each
//! `{address, config_address, mode, type, name, module, index?, values}`;
//! nested blocks are always arrays. An unknown value is
//! `{"__unknown__": "<expression>", "__refs__": ["<address>", ...]}`.

pub mod config;
pub mod eval;
pub mod functions;
pub mod module;
pub mod plan;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use config::{ChildStatus, ModuleConfig};
use eval::{Eval, Scope};
use module::{
    Arena, Instance, InstanceKey, convert_to_type, default_or_unknown, normalize, variable_type,
};

use crate::document::{Document, Entry, Format, Node, NodeData, Resource, Seg};
use crate::parse::{FileError, ParseLimits};
use crate::source::{SourceFile, Span, display_path};

/// Variable values given on the command line, as Terraform takes them.
#[derive(Debug, Clone, Default)]
pub struct TerraformOptions {
    /// `--var-file FILE` and `--var NAME=VALUE`, in the order given: a later
    /// one wins, as with `terraform plan`.
    pub sources: Vec<VarSource>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VarSource {
    File(PathBuf),
    Value(String, String),
}

impl TerraformOptions {
    fn var_files(&self) -> impl Iterator<Item = &PathBuf> {
        self.sources.iter().filter_map(|s| match s {
            VarSource::File(p) => Some(p),
            VarSource::Value(..) => None,
        })
    }
}

/// What reading a root module produced.
#[derive(Debug, Default)]
pub struct ModuleOutcome {
    pub document: Option<Document>,
    pub errors: Vec<FileError>,
    /// Things worth telling that are not errors (a remote module that is
    /// not downloaded, so not evaluated).
    pub notices: Vec<String>,
    /// Leaf values in resources: resolved, and left unknown.
    pub known_values: usize,
    pub unknown_values: usize,
}

fn is_tfvars(name: &str) -> bool {
    name.ends_with(".tfvars") || name.ends_with(".tfvars.json")
}

/// Reads and evaluates one root module from its directory's files.
pub fn parse_module(
    unit: String,
    files: Vec<Arc<SourceFile>>,
    options: &TerraformOptions,
) -> ModuleOutcome {
    parse_module_with(unit, files, options, ParseLimits::default())
}

/// [`parse_module`], reading and parsing files within the given limits.
pub fn parse_module_with(
    unit: String,
    files: Vec<Arc<SourceFile>>,
    options: &TerraformOptions,
    limits: ParseLimits,
) -> ModuleOutcome {
    let mut outcome = ModuleOutcome::default();
    let root_dir = files
        .first()
        .and_then(|f| f.path.parent().map(Path::to_path_buf))
        .unwrap_or_else(|| PathBuf::from("."));
    let mut arena = Arena {
        modules: Vec::new(),
        files: Vec::new(),
        renamed: HashMap::new(),
        root_dir: root_dir.clone(),
        budget: module::Budget::new(limits.max_depth),
        limits,
    };
    let (config_files, tfvars_files): (Vec<_>, Vec<_>) = files
        .into_iter()
        .partition(|f| !is_tfvars(&f.path.to_string_lossy()));
    let root = load_config(
        &mut arena,
        root_dir.clone(),
        config_files,
        &mut outcome.errors,
    );
    arena.modules.push(root);
    let mut loading = vec![normalize(&root_dir)];
    load_children(&mut arena, 0, &[], &mut loading, &mut outcome.errors);
    if arena.modules[0].is_empty() {
        // A folder of tfvars files alone, or only broken files: still report
        // the tfvars files' syntax errors.
        for file in &tfvars_files {
            let id = push_file(&mut arena, Arc::clone(file));
            if let Err(e) = parse_tfvars(&arena, file, id) {
                outcome.errors.push(e);
            }
        }
        return outcome;
    }
    let layers = variable_layers(&mut arena, tfvars_files, options, &mut outcome.errors);
    let arena = arena;
    let root_config = &arena.modules[0];
    let probe = Instance::new(&arena, root_config, String::new(), HashMap::new(), 0);
    let vars: HashMap<String, Node> = root_config
        .variables
        .iter()
        .map(|decl| {
            let given = layers
                .iter()
                .rev()
                .find_map(|layer| layer.get(&decl.name))
                .cloned();
            let value = match given {
                Some(GivenValue::Node(n)) => n,
                Some(GivenValue::Text(text, span)) => {
                    parse_cli_value(&text, span, &variable_type(&arena, decl))
                }
                None => default_or_unknown(&probe, decl, &format!("var.{}", decl.name)),
            };
            (
                decl.name.clone(),
                convert_to_type(value, &variable_type(&arena, decl)),
            )
        })
        .collect();
    let instance = Instance::new(&arena, root_config, String::new(), vars, 0);
    let mut resources: Vec<Entry> = Vec::new();
    let mut index: Vec<Resource> = Vec::new();
    collect(&instance, &mut resources, &mut index, &mut outcome);
    let (known, unknown) = resources.iter().fold((0, 0), |acc, e| {
        let (k, u) = count_leaves(e.value.get("values").unwrap_or(&e.value));
        (acc.0 + k, acc.1 + u)
    });
    outcome.known_values = known;
    outcome.unknown_values = unknown;
    let whole = Span::new(0, 0, arena.files.first().map(|f| f.text.len()).unwrap_or(0));
    let budget = &arena.budget;
    let section = |key: &str, value: Node| Entry {
        key: key.to_string(),
        key_span: whole,
        value,
    };
    let root = Node::new(
        whole,
        NodeData::Map(vec![
            section("resources", Node::new(whole, NodeData::Map(resources))),
            section(
                "variables",
                budget.item(|| variables_section(&instance, whole)),
            ),
            section("locals", budget.item(|| locals_section(&instance, whole))),
            section("outputs", budget.item(|| outputs_section(&instance, whole))),
            section("modules", budget.item(|| modules_section(&instance, whole))),
            section(
                "providers",
                budget.item(|| providers_section(&instance, whole)),
            ),
            section(
                "terraform",
                budget.item(|| terraform_section(&instance, whole)),
            ),
        ]),
    );
    if let Some((at, what, items)) = arena.budget.stopped()
        && let Some(file) = arena.files.get(at.file as usize)
    {
        let why = match what {
            module::Exhausted::Work => format!(
                "its values would take more than {} units of work to build",
                module::MAX_ITEM_WORK
            ),
            module::Exhausted::Depth => format!(
                "expressions refer to one another more than {} levels deep",
                module::MAX_EVAL_DEPTH
            ),
            module::Exhausted::ValueDepth => format!(
                "a value nests deeper than {} levels ([limits] max_depth)",
                arena.budget.max_value_depth()
            ),
        };
        let more = match items {
            0 | 1 => String::new(),
            2 => " (and in one other place)".to_string(),
            n => format!(" (and in {} other places)", n - 1),
        };
        outcome.errors.push(FileError::at(
            file,
            at.start as usize,
            format!(
                "Terraform evaluation stopped here: {why}; what remained of it is left unknown, the rest of the module is checked{more}"
            ),
        ));
    }
    let (input, spans) = root.into_parts();
    outcome.document = Some(Document {
        format: Format::Terraform,
        unit,
        files: arena.files.clone(),
        input,
        spans,
        resources: index,
    });
    outcome
}

fn push_file(arena: &mut Arena, file: Arc<SourceFile>) -> u32 {
    arena.files.push(file);
    u32::try_from(arena.files.len() - 1).unwrap_or(u32::MAX)
}

/// Parses the `.tf` and `.tf.json` files of one module folder.
fn load_config(
    arena: &mut Arena,
    dir: PathBuf,
    files: Vec<Arc<SourceFile>>,
    errors: &mut Vec<FileError>,
) -> ModuleConfig {
    let mut config = ModuleConfig {
        dir,
        ..ModuleConfig::default()
    };
    for file in files {
        let id = push_file(arena, Arc::clone(&file));
        let whole = Span::new(id, 0, file.text.len());
        if file.path.to_string_lossy().ends_with(".json") {
            match config::parse_json(&file, id, arena.limits) {
                Ok(root) => config.add_json(&root),
                Err(e) => errors.push(e),
            }
        } else {
            match config::parse_hcl(&file, arena.limits) {
                Ok((body, renamed)) => {
                    if !renamed.is_empty() {
                        arena.renamed.insert(id, renamed);
                    }
                    config.add_hcl(body, id, whole);
                }
                Err(e) => errors.push(e),
            }
        }
    }
    config
}

/// Where a call's source lives on disk: a local path, or the folder
/// `terraform init` downloaded it to (`.terraform/modules/modules.json`).
fn child_dir(
    arena: &Arena,
    parent_dir: &Path,
    call_path: &[String],
    source: &str,
) -> Option<PathBuf> {
    if source.starts_with("./") || source.starts_with("../") {
        return Some(normalize(&parent_dir.join(source)));
    }
    let manifest = arena.root_dir.join(".terraform/modules/modules.json");
    let text = std::fs::read_to_string(manifest).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    let key = call_path.join(".");
    json.get("Modules")?
        .as_array()?
        .iter()
        .find(|m| m.get("Key").and_then(|k| k.as_str()) == Some(key.as_str()))
        .and_then(|m| m.get("Dir")?.as_str())
        .map(|dir| normalize(&arena.root_dir.join(dir)))
}

fn module_files(
    dir: &Path,
    limits: ParseLimits,
    errors: &mut Vec<FileError>,
) -> Vec<Arc<SourceFile>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    let name = p.to_string_lossy();
                    (name.ends_with(".tf") || name.ends_with(".tf.json")) && p.is_file()
                })
                .collect()
        })
        .unwrap_or_default();
    paths.sort();
    paths
        .into_iter()
        .filter_map(
            |p| match crate::check::read_source(&p, limits.max_file_bytes) {
                Ok(f) => Some(f),
                Err(e) => {
                    errors.push(e);
                    None
                }
            },
        )
        .collect()
}

/// Loads every child module a configuration calls, depth first; a folder
/// already loaded is shared, a call back into a module being loaded is not
/// followed.
fn load_children(
    arena: &mut Arena,
    index: usize,
    call_path: &[String],
    loading: &mut Vec<PathBuf>,
    errors: &mut Vec<FileError>,
) {
    if call_path.len() >= module::MAX_MODULE_DEPTH {
        return;
    }
    let parent_dir = arena.modules[index].dir.clone();
    let calls: Vec<(usize, String, Option<String>)> = arena.modules[index]
        .calls
        .iter()
        .enumerate()
        .map(|(i, c)| (i, c.name.clone(), c.source.clone()))
        .collect();
    for (call_index, name, source) in calls {
        let Some(source) = source else { continue };
        let mut path = call_path.to_vec();
        path.push(name);
        let status = match child_dir(arena, &parent_dir, &path, &source) {
            None => ChildStatus::NotDownloaded,
            Some(dir) if loading.contains(&dir) => ChildStatus::Recursive,
            Some(dir) => {
                let existing = arena.modules.iter().position(|m| normalize(&m.dir) == dir);
                match existing {
                    Some(i) => ChildStatus::Loaded(i),
                    None => {
                        let files = module_files(&dir, arena.limits, errors);
                        if files.is_empty() {
                            ChildStatus::Missing(display_path(&dir))
                        } else {
                            let config = load_config(arena, dir.clone(), files, errors);
                            arena.modules.push(config);
                            let child = arena.modules.len() - 1;
                            loading.push(dir);
                            load_children(arena, child, &path, loading, errors);
                            loading.pop();
                            ChildStatus::Loaded(child)
                        }
                    }
                }
            }
        };
        arena.modules[index].calls[call_index].child = status;
    }
}

/// A value given for a root variable, by a tfvars file or on the command line.
#[derive(Clone)]
enum GivenValue {
    Node(Node),
    /// `--var NAME=VALUE` text, parsed once the variable's type is known.
    Text(String, Span),
}

/// Variable values by source, lowest precedence first: terraform.tfvars,
/// terraform.tfvars.json, *.auto.tfvars(.json) in name order, then
/// `--var-file` and `--var` in the order given.
fn variable_layers(
    arena: &mut Arena,
    tfvars: Vec<Arc<SourceFile>>,
    options: &TerraformOptions,
    errors: &mut Vec<FileError>,
) -> Vec<HashMap<String, GivenValue>> {
    let name_of = |f: &Arc<SourceFile>| {
        f.path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default()
    };
    let mut ordered: Vec<Arc<SourceFile>> = Vec::new();
    for wanted in ["terraform.tfvars", "terraform.tfvars.json"] {
        ordered.extend(tfvars.iter().filter(|f| name_of(f) == wanted).cloned());
    }
    let mut auto: Vec<Arc<SourceFile>> = tfvars
        .iter()
        .filter(|f| {
            let n = name_of(f);
            n.ends_with(".auto.tfvars") || n.ends_with(".auto.tfvars.json")
        })
        .cloned()
        .collect();
    auto.sort_by_key(|f| name_of(f));
    ordered.extend(auto);
    let mut layers = Vec::new();
    for file in ordered {
        let id = push_file(arena, Arc::clone(&file));
        match parse_tfvars(arena, &file, id) {
            Ok(layer) => layers.push(layer),
            Err(e) => errors.push(e),
        }
    }
    // Other .tfvars files in the folder (prod.tfvars) apply only when named
    // with --var-file; they are still checked for syntax.
    for file in tfvars.iter().filter(|f| {
        let n = name_of(f);
        !(n == "terraform.tfvars"
            || n == "terraform.tfvars.json"
            || n.ends_with(".auto.tfvars")
            || n.ends_with(".auto.tfvars.json"))
    }) {
        let given = options
            .var_files()
            .any(|p| normalize(p) == normalize(&file.path));
        if !given && let Err(e) = parse_tfvars(arena, file, u32::MAX) {
            errors.push(e);
        }
    }
    // Command-line values get a source of their own, so a finding can point
    // at the `--var` that set the value.
    let mut var_text = String::new();
    let mut var_spans = Vec::new();
    for source in &options.sources {
        if let VarSource::Value(name, value) = source {
            let start = var_text.len() + "--var ".len() + name.len() + 1;
            var_spans.push(start..start + value.len());
            var_text.push_str(&format!("--var {name}={value}\n"));
        }
    }
    let var_file_id = (!var_text.is_empty()).then(|| {
        let file = SourceFile::shared(PathBuf::from("--var"), "command line".into(), var_text);
        push_file(arena, file)
    });
    let mut var_spans = var_spans.into_iter();
    for source in &options.sources {
        match source {
            VarSource::File(path) => {
                match crate::check::read_source(path, arena.limits.max_file_bytes) {
                    Ok(file) => {
                        let id = push_file(arena, Arc::clone(&file));
                        match parse_tfvars(arena, &file, id) {
                            Ok(layer) => layers.push(layer),
                            Err(e) => errors.push(e),
                        }
                    }
                    Err(e) => errors.push(e),
                }
            }
            VarSource::Value(name, value) => {
                let (Some(id), Some(range)) = (var_file_id, var_spans.next()) else {
                    continue;
                };
                let mut layer = HashMap::new();
                layer.insert(
                    name.clone(),
                    GivenValue::Text(value.clone(), Span::new(id, range.start, range.end)),
                );
                layers.push(layer);
            }
        }
    }
    layers
}

/// Reads a tfvars file: literal values only, as Terraform requires.
fn parse_tfvars(
    arena: &Arena,
    file: &Arc<SourceFile>,
    id: u32,
) -> Result<HashMap<String, GivenValue>, FileError> {
    let probe_config = ModuleConfig::default();
    let instance = Instance::new(arena, &probe_config, String::new(), HashMap::new(), 0);
    let mut values = HashMap::new();
    if file.path.to_string_lossy().ends_with(".json") {
        let root = config::parse_json(file, id, arena.limits)?;
        for entry in root.entries() {
            values.insert(entry.key.clone(), GivenValue::Node(entry.value.clone()));
        }
        return Ok(values);
    }
    let (body, _) = config::parse_hcl(file, arena.limits)?;
    for attr in body.attributes() {
        let value = Eval { env: &instance }.hcl(&attr.value, id, &Scope::root());
        values.insert(attr.key.as_str().to_string(), GivenValue::Node(value));
    }
    Ok(values)
}

/// `--var` text as Terraform reads it: complex and primitive non-string
/// types are parsed as an HCL expression, everything else is a string.
fn parse_cli_value(text: &str, span: Span, ty: &str) -> Node {
    let is_string = ty.is_empty() || ty == "string";
    if !is_string && let Ok(expr) = hcl::edit::parser::parse_expr(text) {
        struct NoEnv;
        impl eval::Env for NoEnv {
            fn text(&self, _: Span) -> String {
                String::new()
            }
            fn var(&self, _: &str) -> Option<Node> {
                None
            }
            fn local(&self, _: &str) -> Option<Node> {
                None
            }
            fn resource(&self, _: config::Mode, _: &str, _: &str) -> Option<eval::ResourceRef> {
                None
            }
            fn module(&self, _: &str) -> Option<Node> {
                None
            }
            fn path_module(&self) -> String {
                ".".into()
            }
            fn path_root(&self) -> String {
                ".".into()
            }
            fn renamed(&self, _: u32, _: &str) -> Option<String> {
                None
            }
            fn read_file(&self, _: &str) -> Option<String> {
                None
            }
            fn address_prefix(&self) -> String {
                String::new()
            }
        }
        let scope = Scope {
            names: Vec::new(),
            spans: eval::SpanMode::Collapsed(span),
        };
        return Eval { env: &NoEnv }.hcl(&expr, span.file, &scope);
    }
    Node::str(span, text)
}

/// Adds every resource instance of a module instance and its children.
fn collect(
    instance: &Instance<'_>,
    resources: &mut Vec<Entry>,
    index: &mut Vec<Resource>,
    outcome: &mut ModuleOutcome,
) {
    for decl in &instance.config.resources {
        // Each resource is an item of the evaluation budget of its own.
        let instances = instance.arena.budget.item(|| instance.instances(decl));
        for inst in instances.iter() {
            let config_address = format!("{}{}", instance.prefix, decl.config_address());
            let address = format!("{config_address}{}", inst.key.suffix());
            let header = decl.header;
            let text = |k: &str, v: &str| Entry {
                key: k.to_string(),
                key_span: header,
                value: Node::str(header, v),
            };
            let mut fields = vec![
                text("address", &address),
                text("config_address", &config_address),
                text(
                    "mode",
                    if decl.mode == config::Mode::Data {
                        "data"
                    } else {
                        "managed"
                    },
                ),
                text("type", &decl.rtype),
                text("name", &decl.name),
                text("module", &instance.module_address()),
            ];
            match &inst.key {
                InstanceKey::Index(i) => fields.push(Entry {
                    key: "index".into(),
                    key_span: header,
                    value: Node::new(header, NodeData::Int(*i as i64)),
                }),
                InstanceKey::Key(k) => fields.push(text("index", k)),
                InstanceKey::Unknown => fields.push(Entry {
                    key: "index".into(),
                    key_span: header,
                    value: Node::unknown(header, "count.index / each.key", Vec::new()),
                }),
                InstanceKey::None => {}
            }
            fields.push(Entry {
                key: "values".into(),
                key_span: header,
                value: inst.values.clone(),
            });
            let kind = match decl.mode {
                config::Mode::Data => format!("data.{}", decl.rtype),
                config::Mode::Managed => decl.rtype.clone(),
            };
            index.push(Resource {
                path: vec![Seg::Key("resources".into()), Seg::Key(address.clone())],
                address: address.clone(),
                kind,
            });
            resources.push(Entry {
                key: address,
                key_span: header,
                value: Node::new(decl.whole, NodeData::Map(fields)).with_header(header),
            });
        }
    }
    for call in &instance.config.calls {
        let address = format!("{}module.{}", instance.prefix, call.name);
        let source = call.source.clone().unwrap_or_default();
        let at = instance
            .arena
            .files
            .get(call.header.file as usize)
            .map(|f| {
                format!(
                    "{}:{}",
                    f.display,
                    f.line_col(call.header.start as usize).line
                )
            })
            .unwrap_or_default();
        match &call.child {
            ChildStatus::Loaded(_) => {
                for child in instance.children(call).iter() {
                    collect(&child.instance, resources, index, outcome);
                }
            }
            ChildStatus::NotDownloaded => outcome.notices.push(format!(
                "{address} ({at}) not evaluated: its source \"{source}\" is not downloaded (run `terraform init` to follow it)"
            )),
            ChildStatus::UnknownSource => outcome
                .notices
                .push(format!("{address} ({at}) not evaluated: its source is not a literal string")),
            ChildStatus::Missing(dir) => outcome
                .notices
                .push(format!("{address} ({at}) not evaluated: {dir} holds no Terraform files")),
            ChildStatus::Recursive => outcome
                .notices
                .push(format!("{address} ({at}) not evaluated: it calls a module that is already being evaluated")),
        }
    }
}

fn count_leaves(node: &Node) -> (usize, usize) {
    match &node.data {
        NodeData::Unknown(_) => (0, 1),
        NodeData::Seq(items) => items
            .iter()
            .map(count_leaves)
            .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1)),
        NodeData::Map(entries) => entries
            .iter()
            .map(|e| count_leaves(&e.value))
            .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1)),
        _ => (1, 0),
    }
}

fn map(span: Span, entries: Vec<Entry>) -> Node {
    Node::new(span, NodeData::Map(entries))
}

fn variables_section(instance: &Instance<'_>, whole: Span) -> Node {
    let entries = instance
        .config
        .variables
        .iter()
        .map(|decl| {
            let mut body = instance.body(decl.body.as_ref(), &Scope::root(), decl.whole);
            if let NodeData::Map(items) = &mut body.data {
                let ty = variable_type(instance.arena, decl);
                if let Some(t) = items.iter_mut().find(|e| e.key == "type") {
                    t.value = Node::str(t.value.span, ty);
                }
                if let Some(value) = instance.vars.get(&decl.name) {
                    items.push(Entry {
                        key: "value".into(),
                        key_span: decl.header,
                        value: value.clone(),
                    });
                }
            }
            Entry {
                key: decl.name.clone(),
                key_span: decl.header,
                value: body.with_header(decl.header),
            }
        })
        .collect();
    map(whole, entries)
}

fn locals_section(instance: &Instance<'_>, whole: Span) -> Node {
    use eval::Env as _;
    let entries = instance
        .config
        .locals
        .iter()
        .filter_map(|l| {
            Some(Entry {
                key: l.name.clone(),
                key_span: l.key_span,
                value: instance.local(&l.name)?,
            })
        })
        .collect();
    map(whole, entries)
}

fn outputs_section(instance: &Instance<'_>, whole: Span) -> Node {
    let entries = instance
        .config
        .outputs
        .iter()
        .map(|o| Entry {
            key: o.name.clone(),
            key_span: o.header,
            value: instance
                .body(o.body.as_ref(), &Scope::root(), o.whole)
                .with_header(o.header),
        })
        .collect();
    map(whole, entries)
}

fn modules_section(instance: &Instance<'_>, whole: Span) -> Node {
    let entries = instance
        .config
        .calls
        .iter()
        .map(|call| {
            let mut body = instance.body(call.body.as_ref(), &Scope::root(), call.whole);
            let status = match &call.child {
                ChildStatus::Loaded(_) => "evaluated",
                ChildStatus::NotDownloaded => "not downloaded",
                ChildStatus::UnknownSource => "source not known",
                ChildStatus::Missing(_) => "missing",
                ChildStatus::Recursive => "recursive",
            };
            if let NodeData::Map(items) = &mut body.data {
                items.push(Entry {
                    key: "__status__".into(),
                    key_span: call.header,
                    value: Node::str(call.header, status),
                });
            }
            Entry {
                key: call.name.clone(),
                key_span: call.header,
                value: body.with_header(call.header),
            }
        })
        .collect();
    map(whole, entries)
}

fn providers_section(instance: &Instance<'_>, whole: Span) -> Node {
    let mut entries: Vec<Entry> = Vec::new();
    for p in &instance.config.providers {
        let body = instance
            .body(p.body.as_ref(), &Scope::root(), p.whole)
            .with_header(p.header);
        match entries.iter_mut().find(|e| e.key == p.name) {
            Some(existing) => {
                if let NodeData::Seq(items) = &mut existing.value.data {
                    items.push(body);
                }
            }
            None => entries.push(Entry {
                key: p.name.clone(),
                key_span: p.header,
                value: Node::new(p.whole, NodeData::Seq(vec![body])),
            }),
        }
    }
    map(whole, entries)
}

fn terraform_section(instance: &Instance<'_>, whole: Span) -> Node {
    let items = instance
        .config
        .terraform
        .iter()
        .map(|t| {
            instance
                .body(t.body.as_ref(), &Scope::root(), t.whole)
                .with_header(t.header)
        })
        .collect();
    Node::new(whole, NodeData::Seq(items))
}

#[cfg(test)]
mod tests;

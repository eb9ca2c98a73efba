//! Terraform plans (`terraform show -json plan.out > plan.json`) as
//! documents of the same shape as configuration, so every rule runs on them
//! unchanged. Planned values are what Terraform will create; attributes the
//! plan marks `after_unknown` are explicit unknowns. When the plan sits in
//! its root module's folder, each value is located in the `.tf` file that
//! wrote it (with the same provenance as a configuration finding);
//! otherwise in the plan file itself.

use std::path::Path;
use std::sync::Arc;

use super::{ModuleOutcome, TerraformOptions, config, parse_module_with};
use crate::document::{Children, Document, Entry, Format, Node, NodeData, Resource, Seg, SpanTree};
use crate::parse::{FileError, ParseLimits};
use crate::source::{SourceFile, Span};

/// Whether a JSON text is a Terraform plan, from its first bytes.
pub fn looks_like_plan(text: &str) -> bool {
    let head: String = text.chars().take(4096).collect();
    head.contains("\"format_version\"")
        && (head.contains("\"planned_values\"") || head.contains("\"terraform_version\""))
}

/// Reads a plan file and, when its folder holds the configuration, that too.
pub fn parse_plan(file: Arc<SourceFile>, options: &TerraformOptions) -> ModuleOutcome {
    parse_plan_with(file, options, ParseLimits::default())
}

/// [`parse_plan`] within the given limits.
pub fn parse_plan_with(
    file: Arc<SourceFile>,
    options: &TerraformOptions,
    limits: ParseLimits,
) -> ModuleOutcome {
    let mut outcome = ModuleOutcome::default();
    let root = match config::parse_json(&file, 0, limits) {
        Ok(root) => root,
        Err(e) => {
            outcome.errors.push(e);
            return outcome;
        }
    };
    let Some(planned) = root
        .get("planned_values")
        .and_then(|p| p.get("root_module"))
    else {
        outcome.errors.push(FileError::at(
            &file,
            0,
            "Terraform plan has no planned_values.root_module (write it with `terraform show -json plan.out`)".into(),
        ));
        return outcome;
    };
    let changes = root.get("resource_changes").map(Node::items).unwrap_or(&[]);
    let mut resources: Vec<Entry> = Vec::new();
    collect_module(planned, changes, &mut resources);
    let mut files = vec![Arc::clone(&file)];
    let config = configuration_beside(&file, options, limits);
    let mut index = Vec::new();
    for entry in &mut resources {
        index.push(Resource {
            path: vec![Seg::Key("resources".into()), Seg::Key(entry.key.clone())],
            address: entry.key.clone(),
            kind: kind_of(&entry.value),
        });
    }
    let whole = Span::new(0, 0, file.text.len());
    let root_node = Node::new(
        whole,
        NodeData::Map(vec![Entry {
            key: "resources".into(),
            key_span: whole,
            value: Node::new(whole, NodeData::Map(resources)),
        }]),
    );
    let (input, mut spans) = root_node.into_parts();
    if let Some(doc) = config {
        // Point plan values at the configuration that wrote them.
        let offset = u32::try_from(files.len()).unwrap_or(u32::MAX);
        files.extend(doc.files.iter().cloned());
        overlay_resources(&mut spans, &doc, &input, offset);
    }
    let (known, unknown) = count(&input["resources"]);
    outcome.known_values = known;
    outcome.unknown_values = unknown;
    outcome.document = Some(Document {
        format: Format::Terraform,
        unit: file.display.clone(),
        files,
        input,
        spans,
        resources: index,
    });
    outcome
}

fn kind_of(resource: &Node) -> String {
    let rtype = resource
        .get("type")
        .and_then(Node::as_str)
        .unwrap_or_default();
    match resource.get("mode").and_then(Node::as_str) {
        Some("data") => format!("data.{rtype}"),
        _ => rtype.to_string(),
    }
}

fn count(value: &serde_json::Value) -> (usize, usize) {
    match value {
        serde_json::Value::Object(map) if map.contains_key("__unknown__") => (0, 1),
        serde_json::Value::Object(map) => map
            .values()
            .map(count)
            .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1)),
        serde_json::Value::Array(items) => items
            .iter()
            .map(count)
            .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1)),
        _ => (1, 0),
    }
}

fn collect_module(module: &Node, changes: &[Node], out: &mut Vec<Entry>) {
    for resource in module.get("resources").map(Node::items).unwrap_or(&[]) {
        let Some(address) = resource.get("address").and_then(Node::as_str) else {
            continue;
        };
        let change = changes
            .iter()
            .find(|c| c.get("address").and_then(Node::as_str) == Some(address));
        let mut values = resource
            .get("values")
            .cloned()
            .unwrap_or_else(|| Node::new(resource.span, NodeData::Map(Vec::new())));
        if let Some(unknown) = change
            .and_then(|c| c.get("change"))
            .and_then(|c| c.get("after_unknown"))
        {
            mark_unknown(&mut values, unknown, address);
        }
        let header = resource
            .entry("address")
            .map(|e| e.value.span)
            .unwrap_or(resource.span);
        let text = |k: &str, v: &str| Entry {
            key: k.to_string(),
            key_span: header,
            value: Node::str(header, v),
        };
        let index = resource.get("index").cloned();
        let config_address = match &index {
            Some(_) => address
                .rsplit_once('[')
                .map(|(a, _)| a)
                .unwrap_or(address)
                .to_string(),
            None => address.to_string(),
        };
        let module_address = module_prefix(&config_address);
        let mut fields = vec![
            text("address", address),
            text("config_address", &config_address),
            text(
                "mode",
                resource
                    .get("mode")
                    .and_then(Node::as_str)
                    .unwrap_or("managed"),
            ),
            text(
                "type",
                resource
                    .get("type")
                    .and_then(Node::as_str)
                    .unwrap_or_default(),
            ),
            text(
                "name",
                resource
                    .get("name")
                    .and_then(Node::as_str)
                    .unwrap_or_default(),
            ),
            text("module", &module_address),
        ];
        if let Some(index) = index {
            fields.push(Entry {
                key: "index".into(),
                key_span: header,
                value: index,
            });
        }
        fields.push(Entry {
            key: "values".into(),
            key_span: header,
            value: values,
        });
        out.push(Entry {
            key: address.to_string(),
            key_span: header,
            value: Node::new(resource.span, NodeData::Map(fields)).with_header(header),
        });
    }
    for child in module.get("child_modules").map(Node::items).unwrap_or(&[]) {
        collect_module(child, changes, out);
    }
}

/// `module.a.module.b.aws_x.y` → `module.a.module.b`.
fn module_prefix(config_address: &str) -> String {
    let parts: Vec<&str> = config_address.split('.').collect();
    let mut end = 0;
    let mut i = 0;
    while i + 1 < parts.len() && parts[i] == "module" {
        i += 2;
        end = i;
    }
    parts[..end].join(".")
}

/// Applies `after_unknown` (same shape as the values, `true` where a value
/// is known only after apply) to planned values, which omit those values.
fn mark_unknown(values: &mut Node, unknown: &Node, address: &str) {
    match (&mut values.data, &unknown.data) {
        (_, NodeData::Bool(true)) => {
            *values = Node::unknown(
                values.span,
                format!("{address} (known after apply)"),
                vec![address.to_string()],
            );
        }
        (NodeData::Map(entries), NodeData::Map(flags)) => {
            for flag in flags {
                match entries.iter_mut().find(|e| e.key == flag.key) {
                    Some(entry) => mark_unknown(&mut entry.value, &flag.value, address),
                    None if matches!(flag.value.data, NodeData::Bool(true)) => {
                        entries.push(Entry {
                            key: flag.key.clone(),
                            key_span: flag.key_span,
                            value: Node::unknown(
                                flag.value.span,
                                format!("{address}.{} (known after apply)", flag.key),
                                vec![address.to_string()],
                            ),
                        })
                    }
                    None => {}
                }
            }
        }
        (NodeData::Seq(items), NodeData::Seq(flags)) => {
            for (item, flag) in items.iter_mut().zip(flags) {
                mark_unknown(item, flag, address);
            }
        }
        _ => {}
    }
}

/// The root module the plan was made from, when the plan sits in its folder.
fn configuration_beside(
    plan: &SourceFile,
    options: &TerraformOptions,
    limits: ParseLimits,
) -> Option<Document> {
    let dir = plan
        .path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            let n = p.to_string_lossy();
            n.ends_with(".tf")
                || n.ends_with(".tf.json")
                || n.ends_with(".tfvars")
                || n.ends_with(".tfvars.json")
        })
        .collect();
    if paths.is_empty() {
        return None;
    }
    paths.sort();
    let files = paths
        .iter()
        .filter_map(|p| crate::check::read_source(p, limits.max_file_bytes).ok())
        .collect();
    parse_module_with(crate::source::display_path(dir), files, options, limits).document
}

/// Gives each planned resource the spans of the configuration resource with
/// the same address (or, for instances the configuration could not expand,
/// the same resource), wherever their paths agree.
fn overlay_resources(
    spans: &mut SpanTree,
    config: &Document,
    input: &serde_json::Value,
    offset: u32,
) {
    let Children::Map(top) = &mut spans.children else {
        return;
    };
    let Some(resources) = top.get_mut("resources") else {
        return;
    };
    let Children::Map(by_address) = &mut resources.children else {
        return;
    };
    for (address, tree) in by_address.iter_mut() {
        let config_address = input["resources"][address.as_str()]["config_address"]
            .as_str()
            .unwrap_or_default();
        let target = config
            .spans
            .descend(&[Seg::Key("resources".into()), Seg::Key(address.clone())])
            .or_else(|| {
                let first = config.resources.iter().find(|r| {
                    r.address == config_address
                        || r.address.starts_with(&format!("{config_address}["))
                })?;
                config.spans.descend(&first.path)
            });
        let planned = &input["resources"][address.as_str()];
        let configured = config
            .resources
            .iter()
            .find(|r| {
                r.address == *address
                    || r.address.starts_with(&format!("{config_address}["))
                    || r.address == config_address
            })
            .map(|r| lookup(&config.input, &r.path))
            .unwrap_or(&serde_json::Value::Null);
        if let Some(source) = target {
            overlay(tree, source, planned, configured, offset);
        }
    }
}

fn lookup<'a>(value: &'a serde_json::Value, path: &[Seg]) -> &'a serde_json::Value {
    path.iter().fold(value, |v, seg| match seg {
        Seg::Key(k) => &v[k.as_str()],
        Seg::Index(i) => &v[*i],
    })
}

fn shift(span: Span, offset: u32) -> Span {
    Span {
        file: span.file.saturating_add(offset),
        ..span
    }
}

/// Copies the configuration's spans onto the plan's where paths agree. Where
/// a value came from (its origins) is copied only when the configuration's
/// value is the plan's: a plan made with other variable values must not
/// point at a default it did not use.
fn overlay(
    target: &mut SpanTree,
    source: &SpanTree,
    planned: &serde_json::Value,
    configured: &serde_json::Value,
    offset: u32,
) {
    target.span = shift(source.span, offset);
    target.key = source.key.map(|k| shift(k, offset)).or(target.key);
    target.header = source.header.map(|h| shift(h, offset));
    target.origins = if planned == configured {
        source
            .origins
            .iter()
            .map(|o| crate::document::Origin {
                span: shift(o.span, offset),
                role: o.role,
            })
            .collect()
    } else {
        Vec::new()
    };
    match (&mut target.children, &source.children) {
        (Children::Map(mine), Children::Map(theirs)) => {
            for (key, child) in mine.iter_mut() {
                if let Some(other) = theirs.get(key) {
                    overlay(
                        child,
                        other,
                        &planned[key.as_str()],
                        &configured[key.as_str()],
                        offset,
                    );
                }
            }
        }
        (Children::Seq(mine), Children::Seq(theirs)) => {
            for (i, (child, other)) in mine.iter_mut().zip(theirs).enumerate() {
                overlay(child, other, &planned[i], &configured[i], offset);
            }
        }
        _ => {}
    }
}

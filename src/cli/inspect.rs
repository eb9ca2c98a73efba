//! `clause inspect`: the documents rules read, so rule authors can copy a
//! path straight into a rule. `--path` lists every value on its own line
//! with its path and where it is written.

use std::fmt::Write as _;
use std::path::PathBuf;

use serde_json::{Value, json};

use clause::Document;
use clause::check::{CheckConfig, load_all};
use clause::document::{Seg, SpanTree};
use clause::render::json::path_json;

use super::{EXIT_CLEAN, EXIT_ERROR};

#[derive(clap::Args)]
pub struct InspectArgs {
    /// Files or folders to read
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    /// One line per value: its path (as a rule writes it), the value, and
    /// the file, line and column it comes from
    #[arg(long = "path")]
    by_path: bool,
}

pub fn run(args: InspectArgs) -> u8 {
    let config = CheckConfig {
        paths: args.paths,
        ..CheckConfig::default()
    };
    let (loaded, mut errors) = load_all(&config);
    let mut documents = Vec::new();
    let mut listing = String::new();
    for unit in loaded {
        errors.extend(unit.errors);
        for doc in unit.documents {
            if args.by_path {
                list_values(&mut listing, &doc);
                continue;
            }
            documents.push(json!({
                "format": doc.format,
                "unit": doc.unit,
                "files": doc.files.iter().map(|f| f.display.clone()).collect::<Vec<_>>(),
                "resources": doc.resources.iter().map(|r| json!({
                    "address": r.address, "kind": r.kind, "path": path_json(&r.path),
                })).collect::<Vec<_>>(),
                "input": doc.input,
            }));
        }
    }
    if args.by_path {
        print!("{listing}");
        for e in &errors {
            eprintln!("error: {}:{}:{}: {}", e.file, e.line, e.column, e.message);
        }
    } else {
        let report = json!({
            "documents": documents,
            "errors": errors.iter().map(|e| json!({
                "file": e.file, "line": e.line, "column": e.column, "message": e.message,
            })).collect::<Vec<_>>(),
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        );
    }
    if errors.is_empty() {
        EXIT_CLEAN
    } else {
        EXIT_ERROR
    }
}

fn list_values(out: &mut String, doc: &Document) {
    let _ = writeln!(out, "# {} ({})", doc.unit, doc.format);
    let mut path = Vec::new();
    walk(out, doc, &doc.input, Some(&doc.spans), &mut path);
    out.push('\n');
}

fn walk(
    out: &mut String,
    doc: &Document,
    value: &Value,
    tree: Option<&SpanTree>,
    path: &mut Vec<Seg>,
) {
    let children: Vec<(Seg, &Value)> = match value {
        Value::Object(map) => map.iter().map(|(k, v)| (Seg::Key(k.clone()), v)).collect(),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (Seg::Index(i), v))
            .collect(),
        _ => Vec::new(),
    };
    // An unknown value is a leaf, whatever its marker object holds.
    let is_unknown = value.get("__unknown__").is_some();
    if children.is_empty() || is_unknown {
        let shown = serde_json::to_string(value).unwrap_or_default();
        let shown = if shown.chars().count() > 60 {
            format!("{}…", shown.chars().take(59).collect::<String>())
        } else {
            shown
        };
        let _ = writeln!(
            out,
            "{}  {shown}  {}",
            serde_json::to_string(&path_json(path)).unwrap_or_default(),
            location(doc, tree)
        );
        return;
    }
    for (seg, child) in children {
        let child_tree = tree.and_then(|t| t.child(&seg));
        path.push(seg);
        walk(out, doc, child, child_tree, path);
        path.pop();
    }
}

fn location(doc: &Document, tree: Option<&SpanTree>) -> String {
    let Some(tree) = tree else {
        return "(not written: a default)".to_string();
    };
    let Some(file) = doc.files.get(tree.span.file as usize) else {
        return String::new();
    };
    let at = file.line_col(tree.span.start as usize);
    let mut text = format!("{}:{}:{}", file.display, at.line, at.column);
    for origin in &tree.origins {
        if let Some(f) = doc.files.get(origin.span.file as usize) {
            let o = f.line_col(origin.span.start as usize);
            let _ = write!(
                text,
                " ({} {}:{}:{})",
                origin.role.label(),
                f.display,
                o.line,
                o.column
            );
        }
    }
    text
}

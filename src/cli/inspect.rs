//! `clause inspect`: the documents rules read, so rule authors can copy a
//! path straight into a rule.

use std::path::PathBuf;

use serde_json::json;

use clause::check::{CheckConfig, load_all};
use clause::render::json::path_json;

use super::{EXIT_CLEAN, EXIT_ERROR};

#[derive(clap::Args)]
pub struct InspectArgs {
    /// Files or folders to read
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
}

pub fn run(args: InspectArgs) -> u8 {
    let config = CheckConfig {
        paths: args.paths,
        ..CheckConfig::default()
    };
    let (loaded, mut errors) = load_all(&config);
    let mut documents = Vec::new();
    for unit in loaded {
        errors.extend(unit.errors);
        for doc in unit.documents {
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
    if errors.is_empty() {
        EXIT_CLEAN
    } else {
        EXIT_ERROR
    }
}

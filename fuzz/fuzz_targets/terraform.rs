//! HCL text → one root module, evaluated as `terraform plan` would.
#![no_main]

use std::path::PathBuf;

use clause::parse::terraform::{TerraformOptions, parse_module};
use clause::source::SourceFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // A folder that does not exist: `file()`, child modules and
    // `.terraform/modules` find nothing to read.
    let file = SourceFile::shared(
        PathBuf::from("/nonexistent-clause-fuzz/main.tf"),
        "main.tf".into(),
        text.to_string(),
    );
    let outcome = parse_module("fuzz".into(), vec![file], &TerraformOptions::default());
    if let Some(doc) = &outcome.document {
        clause_fuzz_support::check_document(doc);
    }
    for e in &outcome.errors {
        if let Some(source) = &e.source {
            let _ = source.line_col(e.offset);
        }
    }
});

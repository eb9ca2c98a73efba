//! Playbook text → the Ansible document (tasks normalised, modules' free-form
//! arguments split, Jinja templates resolved where they can be).
#![no_main]

use std::path::PathBuf;

use clause::parse::yaml::{Dialect, Limits, parse_stream};
use clause::source::SourceFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // In a folder that does not exist, so includes find nothing; `tasks/`
    // makes a bare list of tasks count.
    let file = SourceFile::shared(
        PathBuf::from("/nonexistent-clause-fuzz/tasks/main.yml"),
        "tasks/main.yml".into(),
        text.to_string(),
    );
    let Ok(docs) = parse_stream(text, 0, Dialect::Yaml11, Limits::default()) else {
        return;
    };
    let outcome = clause::parse::ansible::document(&file, docs);
    if let Some(doc) = &outcome.document {
        clause_fuzz_support::check_document(doc);
    }
    for e in &outcome.errors {
        if let Some(source) = &e.source {
            let _ = source.line_col(e.offset);
        }
    }
});

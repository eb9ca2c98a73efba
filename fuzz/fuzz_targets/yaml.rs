//! YAML text → spanned nodes, in both dialects; every span must map back
//! into the text on character boundaries.
#![no_main]

use std::path::PathBuf;

use clause::parse::yaml::{Dialect, Limits, parse_stream};
use clause::source::SourceFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let file = SourceFile::shared(PathBuf::from("f.yaml"), "f.yaml".into(), text.to_string());
    for dialect in [Dialect::Yaml11, Dialect::Core] {
        match parse_stream(text, 0, dialect, Limits::default()) {
            Ok(docs) => {
                for doc in &docs {
                    if let Some(root) = &doc.root {
                        clause_fuzz_support::check_node(root, &file);
                    }
                }
            }
            Err(e) => {
                assert!(e.offset <= text.len(), "error offset past the text");
                let _ = file.line_col(e.offset);
            }
        }
    }
    // And through format detection into manifests or playbooks.
    if let clause::parse::YamlOutcome::Documents(_, docs) = clause::parse::parse_yaml_file(&file, None) {
        docs.iter().for_each(clause_fuzz_support::check_document);
    }
});

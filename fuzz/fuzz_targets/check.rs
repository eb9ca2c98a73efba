//! The whole `clause check` on one file: the first byte picks the file's
//! name (and so its format), the rest is its content, checked with the
//! built-in rules.
#![no_main]

use std::sync::OnceLock;

use clause::check::{CheckConfig, check};
use clause::rules::RuleSet;
use libfuzzer_sys::fuzz_target;

const NAMES: &[&str] = &[
    "main.tf",
    "main.tf.json",
    "terraform.tfvars",
    "deploy.yaml",
    "site.yml",
    "roles/web/tasks/main.yml",
    "plan.json",
    "handlers/main.yml",
];

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| match RuleSet::builtin() {
        Ok(rules) => rules,
        Err(e) => panic!("built-in rules do not load: {e:?}"),
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, content)) = data.split_first() else {
        return;
    };
    let name = NAMES[usize::from(pick) % NAMES.len()];
    let Ok(dir) = tempfile::tempdir() else {
        return;
    };
    let path = dir.path().join(name);
    if let Some(parent) = path.parent() {
        let _ = std::fs::create_dir_all(parent);
    }
    if std::fs::write(&path, content).is_err() {
        return;
    }
    let config = CheckConfig {
        paths: vec![dir.path().to_path_buf()],
        ..CheckConfig::default()
    };
    let outcome = check(rules(), &config);
    for finding in &outcome.findings {
        let _ = finding.file.line_col(finding.span.start as usize);
    }
});

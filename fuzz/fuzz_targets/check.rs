//! The whole `clause check` on one file: the first byte picks the file's
//! name (and so its format), the rest is its content, checked with the
//! built-in rules; then the reports that rework findings most (JUnit, and
//! the evidence report in JSON, whose lists are spliced into the document)
//! are written and must parse.
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
    let mut junit = Vec::new();
    if let Err(e) = clause::render::junit::write(&outcome, &mut junit) {
        panic!("JUnit not written: {e}");
    }
    let inputs = clause::evidence::Inputs {
        outcome: &outcome,
        rules: rules().rules.iter().map(|r| &*r.meta).collect(),
        rule_set_digest: &rules().digest,
        paths: vec![name.to_string()],
        scan_time: String::new(),
    };
    let list: clause::evidence::ListFailure<'_> = &clause::render::evidence::json::failure;
    let mut report = clause::evidence::build(&inputs, clause::evidence::Edition::E2005, Some(list));
    let mut evidence = Vec::new();
    if let Err(e) = clause::render::evidence::json::render(&mut report, &mut evidence) {
        panic!("evidence report not written: {e}");
    }
    if let Err(e) = serde_json::from_slice::<serde_json::Value>(&evidence) {
        panic!("evidence report is not JSON: {e}");
    }
});

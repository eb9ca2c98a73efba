//! Every built-in rule against its fixtures, and the contract every rule
//! must meet. No allowlists: a rule without failing and passing fixtures, or
//! with metadata an auditor could not trust, fails here.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use clause::controls::Catalogue;
use clause::fixtures::{self, CaseResult};
use clause::rules::{Rule, RuleLimits, RuleSet, RuleSources};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| {
        // Checked as custom rules are: a check run trusts built-in rules to
        // pass what this checks.
        let sources = RuleSources {
            verify_builtin: true,
            ..RuleSources::default()
        };
        let mut rules = RuleSet::load(&sources, RuleLimits::default())
            .unwrap_or_else(|e| panic!("built-in rules fail to load: {e:#?}"));
        rules
            .compile_all()
            .unwrap_or_else(|e| panic!("built-in rules fail to compile: {e:#?}"));
        rules
    })
}

fn describe(result: &CaseResult) -> String {
    let mut text = format!("  {}\n", result.case.display());
    for m in result.missing() {
        text.push_str(&format!("    missing:    {}:{} {}\n", m.0, m.1, m.2));
    }
    for u in result.unexpected() {
        text.push_str(&format!("    unexpected: {}:{} {}\n", u.0, u.1, u.2));
    }
    for m in result.missing_inconclusive() {
        text.push_str(&format!(
            "    missing inconclusive:    {}:{} {}\n",
            m.0, m.1, m.2
        ));
    }
    for u in result.unexpected_inconclusive() {
        text.push_str(&format!(
            "    unexpected inconclusive: {}:{} {}\n",
            u.0, u.1, u.2
        ));
    }
    for p in &result.problems {
        text.push_str(&format!("    problem:    {p}\n"));
    }
    text
}

#[test]
fn every_rule_matches_its_fixture_markers_exactly() {
    let set = rules();
    // Cargo runs tests from the package root, so fixture paths show as a
    // user would type them.
    let failures: Vec<String> = set
        .rules
        .iter()
        .flat_map(|rule| {
            let dir = fixtures::builtin_fixture_dir(Path::new("."), rule);
            fixtures::cases(&dir)
                .into_iter()
                .map(|case| fixtures::run_case(set, &rule.meta.id, &case))
                .filter(|r| !r.passed())
                .map(|r| format!("{} {}", rule.meta.id, describe(&r)))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(
        failures.is_empty(),
        "fixture mismatches:\n{}",
        failures.join("")
    );
}

#[test]
fn every_rule_has_failing_and_passing_fixtures() {
    let set = rules();
    let mut problems = Vec::new();
    {
        for rule in &set.rules {
            let dir = fixtures::builtin_fixture_dir(Path::new("."), rule);
            let results: Vec<CaseResult> = fixtures::cases(&dir)
                .iter()
                .map(|case| fixtures::run_case(set, &rule.meta.id, case))
                .collect();
            if !results.iter().any(CaseResult::is_failing_case) {
                problems.push(format!(
                    "{}: no failing fixture (with `# expect:` markers) in {}",
                    rule.meta.id,
                    dir.display()
                ));
            }
            if !results.iter().any(|r| !r.is_failing_case()) {
                problems.push(format!(
                    "{}: no passing fixture (without markers) in {}",
                    rule.meta.id,
                    dir.display()
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn no_fixture_folder_is_orphaned() {
    let set = rules();
    let expected: BTreeSet<PathBuf> = set
        .rules
        .iter()
        .map(|r| fixtures::builtin_fixture_dir(repo(), r))
        .collect();
    let mut orphans = Vec::new();
    // A rule's fixture folder holds cases; anything holding files or case
    // folders directly that is not a rule's folder is orphaned.
    fn walk(dir: &Path, expected: &BTreeSet<PathBuf>, orphans: &mut Vec<String>) {
        if expected.contains(dir) {
            return;
        }
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, expected, orphans);
            } else {
                orphans.push(path.display().to_string());
            }
        }
    }
    for target in ["terraform", "kubernetes", "ansible"] {
        walk(
            &repo().join("fixtures").join(target),
            &expected,
            &mut orphans,
        );
    }
    assert!(
        orphans.is_empty(),
        "fixtures that belong to no rule:\n{}",
        orphans.join("\n")
    );
}

fn expected_prefix(rule: &Rule) -> &'static str {
    match (
        rule.meta.targets.first().map(|t| t.name()),
        rule.meta.provider.as_deref(),
    ) {
        (Some("terraform"), Some("aws")) => "CL-AWS-",
        (Some("terraform"), Some("azure")) => "CL-AZR-",
        (Some("terraform"), Some("google")) => "CL-GCP-",
        (Some("kubernetes"), _) => "CL-K8S-",
        (Some("ansible"), _) => "CL-ANS-",
        _ => "CL-",
    }
}

#[test]
fn every_rule_meets_the_metadata_contract() {
    let catalogue = Catalogue::builtin();
    let mut problems = Vec::new();
    let mut packages = BTreeSet::new();
    for rule in &rules().rules {
        let m = &rule.meta;
        let id = &m.id;
        let prefix = expected_prefix(rule);
        let digits = id.strip_prefix(prefix).unwrap_or("");
        if digits.len() != 3 || !digits.chars().all(|c| c.is_ascii_digit()) {
            problems.push(format!(
                "{id}: code must be {prefix}NNN for its target and provider"
            ));
        }
        let target = m.targets[0].name();
        if !rule.file.starts_with(&format!("rules/{target}/")) {
            problems.push(format!(
                "{id}: {} must live under rules/{target}/",
                rule.file
            ));
        }
        if target == "terraform" {
            match &m.provider {
                Some(p) if rule.file.starts_with(&format!("rules/terraform/{p}/")) => {}
                _ => problems.push(format!("{id}: Terraform rules name their provider and live in rules/terraform/<provider>/")),
            }
        }
        let slug = Path::new(&rule.file)
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        if !rule.entry.ends_with(&format!(".{slug}.deny")) {
            problems.push(format!(
                "{id}: package must end with the file name `{slug}`"
            ));
        }
        if !packages.insert(rule.entry.clone()) {
            problems.push(format!("{id}: package {} is used twice", rule.entry));
        }
        for c in &m.controls_2005 {
            if let Some(control) = catalogue.by_2005(c)
                && !m.controls_2022.contains(&control.id_2022)
            {
                problems.push(format!(
                    "{id}: 2005 control {c} maps to 2022 {} in the control list, which the rule does not name",
                    control.id_2022
                ));
            }
            if !m.description.contains(c.as_str()) {
                problems.push(format!(
                    "{id}: the description must say why the rule evidences {c}"
                ));
            }
        }
        if m.description.len() < 120 {
            problems.push(format!(
                "{id}: the description is too short to say why the setting matters"
            ));
        }
        if m.title.ends_with('.') || m.remediation.len() < 20 {
            problems.push(format!(
                "{id}: titles have no trailing period; remediation must say how to fix"
            ));
        }
        if m.applies_to.is_empty() {
            problems.push(format!(
                "{id}: built-in rules name what they examine in `applies_to`"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn each_format_has_a_first_set_of_rules() {
    let mut per_target = std::collections::BTreeMap::new();
    for rule in &rules().rules {
        *per_target.entry(rule.meta.targets[0].name()).or_insert(0) += 1;
    }
    for target in ["terraform", "kubernetes", "ansible"] {
        let n = per_target.get(target).copied().unwrap_or(0);
        assert!(
            n >= 8,
            "{target} has {n} rules; the first release ships at least 8 per format"
        );
    }
}

/// The library's breadth: the per-provider minimums, and a rule for every
/// control and format where configuration can evidence the control
/// (`clause rules --coverage` prints the same table).
#[test]
fn the_library_evidences_every_applicable_control_in_every_format() {
    let set = rules();
    let counts = clause::render::library::counts(&set.rules);
    for (group, minimum) in [
        ("terraform (aws)", 60),
        ("terraform (azure)", 20),
        ("terraform (google)", 20),
        ("kubernetes", 30),
        ("ansible", 25),
    ] {
        let n = counts.get(group).copied().unwrap_or(0);
        assert!(
            n >= minimum,
            "{group} has {n} rules; the library needs {minimum}"
        );
    }
    assert!(set.rules.len() >= 150);
    let gaps: Vec<String> = clause::render::library::coverage(&set.rules)
        .iter()
        .flat_map(|c| {
            c.gaps()
                .into_iter()
                .map(move |f| format!("{} {} in {f}", c.id, c.title))
        })
        .collect();
    assert!(
        gaps.is_empty(),
        "controls with no rule:\n{}",
        gaps.join("\n")
    );
}

/// Every shape a value can take in real code: rules must not fail (and so
/// lose their other findings) when a list is null, an object is a string, a
/// value is unknown. Each fixture document is evaluated again with the
/// values users write (not the structure clause builds around them)
/// replaced, shape by shape.
#[test]
fn rules_survive_every_shape_of_value() {
    use clause::check::{CheckConfig, load_all};
    use clause::document::Format;
    use serde_json::{Value, json};

    const SHAPES: usize = 7;

    /// Replaces every value below `value` with the `shape`-th alternative.
    fn reshape(value: &Value, shape: usize) -> Value {
        let replaced = match shape {
            0 => Value::Null,
            1 => json!("x"),
            2 => json!({"__unknown__": "var.x", "__refs__": ["var.x"]}),
            3 => json!([1]),
            4 => json!({"a": 1}),
            5 => json!(7),
            _ => json!(true),
        };
        match value {
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), reshape_or_keep(v, shape, &replaced)))
                    .collect(),
            ),
            Value::Array(items) => Value::Array(
                items
                    .iter()
                    .map(|v| reshape_or_keep(v, shape, &replaced))
                    .collect(),
            ),
            _ => replaced,
        }
    }

    /// Either the value keeps its shape and its children change, or it
    /// changes itself: both happen in real code, at every depth.
    fn reshape_or_keep(value: &Value, shape: usize, replaced: &Value) -> Value {
        let digest = value.to_string().len() + shape;
        if digest.is_multiple_of(3) {
            replaced.clone()
        } else {
            reshape(value, shape)
        }
    }

    fn user_values(input: &Value, format: Format, shape: usize) -> Value {
        let mut out = input.clone();
        match format {
            Format::Terraform => {
                if let Some(resources) = out.get_mut("resources").and_then(Value::as_object_mut) {
                    for r in resources.values_mut() {
                        if let Some(values) = r.get_mut("values") {
                            *values = reshape(values, shape);
                        }
                    }
                }
            }
            Format::Ansible => {
                if let Some(tasks) = out.get_mut("tasks").and_then(Value::as_array_mut) {
                    for task in tasks.iter_mut().filter_map(Value::as_object_mut) {
                        for (key, value) in task.iter_mut() {
                            if !["module", "module_as_written", "section", "play"]
                                .contains(&key.as_str())
                            {
                                *value = if key == "args" {
                                    reshape(value, shape)
                                } else {
                                    reshape_or_keep(value, shape, &reshape(&json!(null), shape))
                                };
                            }
                        }
                    }
                }
            }
            Format::Kubernetes => {
                if let Some(root) = out.as_object_mut() {
                    for (key, value) in root.iter_mut() {
                        if key != "apiVersion" && key != "kind" {
                            *value = reshape(value, shape);
                        }
                    }
                }
            }
        }
        out
    }

    let set = rules();
    let config = CheckConfig {
        paths: vec![PathBuf::from("fixtures")],
        ..CheckConfig::default()
    };
    let (loaded, _) = load_all(&config);
    let mut failures = Vec::new();
    let mut evaluator = set.evaluator();
    for unit in loaded {
        for doc in unit.documents {
            for shape in 0..SHAPES {
                let mut shaped = doc.clone();
                shaped.input = user_values(&doc.input, doc.format, shape);
                for e in evaluator.evaluate(&shaped).errors {
                    failures.push(format!("{} (shape {shape}): {}", doc.unit, e.message));
                }
            }
        }
    }
    failures.sort();
    failures.dedup();
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_rule_reference_is_current() {
    let expected = clause::render::library::reference(&rules().rules);
    let actual = std::fs::read_to_string(repo().join("docs/rules.md")).unwrap_or_default();
    assert!(
        expected == actual,
        "docs/rules.md is out of date: run `cargo run -- rules --format reference > docs/rules.md`"
    );
}

/// regorus computes every rule of a package a module reads through its
/// import alias (`k8s.label`), for every document, whether the module needs
/// it or not: built-in rules import the library rules they read by name and
/// call only functions through the alias (docs/writing-rules.md).
#[test]
fn library_rules_are_imported_by_name_not_read_through_an_alias() {
    let rule_name =
        regex::Regex::new(r"(?m)^([a-z_][a-z0-9_]*)\s*(:=|=|contains\b|if\b|\{)").expect("pattern");
    let import =
        regex::Regex::new(r"(?m)^import data\.(clause\.lib\.\w+) as (\w+)\s*$").expect("pattern");
    let comment = regex::Regex::new(r"#.*").expect("pattern");
    let mut library: std::collections::BTreeMap<String, BTreeSet<String>> = Default::default();
    let files: Vec<PathBuf> = walk_rego(&repo().join("rules"));
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        if let Some(package) = text
            .lines()
            .find_map(|l| l.strip_prefix("package clause.lib."))
        {
            let values = rule_name
                .captures_iter(&text)
                .map(|c| c[1].to_string())
                .collect();
            library.insert(format!("clause.lib.{package}"), values);
        }
    }
    let mut offenders = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        for import in import.captures_iter(&text) {
            let Some(values) = library.get(&import[1]) else {
                continue;
            };
            let read =
                regex::Regex::new(&format!(r"\b{}\.(\w+)\b(\s*\()?", &import[2])).expect("pattern");
            for (n, line) in text.lines().enumerate() {
                let code = comment.replace(line, "");
                for reference in read.captures_iter(&code) {
                    if reference.get(2).is_none() && values.contains(&reference[1]) {
                        offenders.push(format!(
                            "{}:{}: {}.{}",
                            file.display(),
                            n + 1,
                            &import[2],
                            &reference[1]
                        ));
                    }
                }
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "library rules read through an import alias (import them by name):\n{}",
        offenders.join("\n")
    );
}

/// Everything a rule set reports over every fixture and example: findings,
/// inconclusive checks and errors, one line each, sorted.
fn reports_over_fixtures(set: &RuleSet) -> Vec<String> {
    let config = clause::check::CheckConfig {
        paths: vec![PathBuf::from("fixtures"), PathBuf::from("examples")],
        ..clause::check::CheckConfig::default()
    };
    let outcome = clause::check::check(set, &config);
    let mut seen: Vec<String> = outcome
        .all_findings()
        .map(|f| {
            format!(
                "finding {} {}:{}:{} {}",
                f.rule.id, f.file.display, f.start.line, f.start.column, f.message
            )
        })
        .chain(outcome.inconclusive.iter().map(|i| {
            format!(
                "inconclusive {} {}:{}:{} {}",
                i.rule.id, i.file.display, i.start.line, i.start.column, i.message
            )
        }))
        .chain(
            outcome
                .errors
                .iter()
                .map(|e| format!("error {}:{} {}", e.file, e.line, e.message)),
        )
        .collect();
    seen.sort();
    seen
}

/// The rules that declare a way to skip documents (`pick`), run over every
/// fixture and example with it and with it taken away (`forget`): a skip
/// that hides anything a rule reports fails here.
fn skipping_hides_nothing(
    what: &str,
    pick: impl Fn(&Rule) -> bool,
    forget: impl Fn(&mut clause::rules::RuleMeta),
) {
    let mut declared = rules().clone();
    declared.retain(pick);
    assert!(
        !declared.rules.is_empty(),
        "no rule declares {what}, so this test checks nothing"
    );
    let mut undeclared = declared.clone();
    for rule in &mut undeclared.rules {
        forget(Arc::make_mut(&mut rule.meta));
    }
    let with = reports_over_fixtures(&declared);
    let without = reports_over_fixtures(&undeclared);
    let hidden: Vec<&str> = without
        .iter()
        .filter(|r| !with.contains(r))
        .map(String::as_str)
        .collect();
    assert!(
        hidden.is_empty(),
        "{what} skipped documents a rule reports on:\n{}",
        hidden.join("\n")
    );
    assert_eq!(with, without);
    assert!(
        with.iter().any(|r| r.starts_with("finding")),
        "the rules that declare {what} found nothing to compare"
    );
}

/// `custom.mentions` lets the engine skip documents that do not hold a word:
/// a rule that declares too few words would lose findings silently.
#[test]
fn mentions_never_hide_what_a_rule_reports() {
    skipping_hides_nothing(
        "`mentions` (add the word these need)",
        |r| !r.meta.mentions.is_empty(),
        |meta| meta.mentions.clear(),
    );
}

/// `applies_to` runs a rule only on documents holding one of its kinds: a
/// rule that reports on a module or resource type it does not list would
/// check that kind in some documents and not in others.
#[test]
fn applies_to_never_hides_what_a_rule_reports() {
    skipping_hides_nothing(
        "`applies_to` (list the kinds these come from)",
        |r| !r.meta.applies_to.is_empty(),
        |meta| meta.applies_to.clear(),
    );
}

/// A run naming files loads rules differently: built-in rules share engines,
/// dealt among the workers, unchecked, and a document's engines run side by
/// side. Over every fixture it must report what a repository run reports.
#[test]
fn rules_loaded_for_named_files_report_what_a_repository_run_does() {
    let every_kind: BTreeSet<String> = rules()
        .rules
        .iter()
        .flat_map(|r| r.meta.applies_to.clone())
        .collect();
    let sources = RuleSources {
        only_kinds: Some(every_kind),
        ..RuleSources::default()
    };
    let named = RuleSet::load(&sources, RuleLimits::default())
        .unwrap_or_else(|e| panic!("built-in rules fail to load: {e:#?}"));
    assert_eq!(named.rules.len(), rules().rules.len());
    let reported = reports_over_fixtures(&named);
    assert!(reported.iter().any(|r| r.starts_with("finding")));
    assert_eq!(reported, reports_over_fixtures(rules()));
}

fn walk_rego(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(walk_rego(&path));
        } else if path.extension().is_some_and(|e| e == "rego") {
            found.push(path);
        }
    }
    found.sort();
    found
}

/// `ans.looped_tasks` reads clause's index, and an input written by hand
/// (a rule's unit test) without the index gets the same tasks.
#[test]
fn looped_tasks_are_the_same_with_and_without_the_index() {
    let mut engine = regorus::Engine::new();
    engine
        .add_policy_from_file(repo().join("rules/lib/ansible.rego"))
        .expect("the Ansible library loads");
    let tasks = serde_json::json!([
        {"module": "ansible.builtin.debug", "args": {}},
        {"module": "ansible.builtin.debug", "args": {}, "loop": ["a"], "loop_index": 0},
        {"module": "ansible.builtin.debug", "args": {}, "with_fileglob": {"__unknown__": "{{ p }}"}},
        {"module": "ansible.builtin.debug", "args": {}, "loop": null},
    ]);
    let mut looped = |input: serde_json::Value| {
        engine.set_input(regorus::Value::from_json_str(&input.to_string()).expect("input"));
        engine
            .eval_rule("data.clause.lib.ansible.looped_tasks".into())
            .expect("looped_tasks evaluates")
            .to_json_str()
            .expect("as JSON")
    };
    let by_hand = looped(serde_json::json!({"tasks": tasks}));
    let indexed = looped(serde_json::json!({"tasks": tasks, "looped_tasks": [1, 2]}));
    assert_eq!(by_hand, indexed);
    assert_eq!(by_hand.split_whitespace().collect::<String>(), "[1,2]");
}

//! clause in a pipeline: machine reports (SARIF against the official
//! schema, JUnit, GitHub and GitLab), inline suppressions and their
//! governance, baselines across moved lines, `.clause.toml`, and the
//! staged-files mode pre-commit uses.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn clause() -> Command {
    let mut cmd = Command::cargo_bin("clause").expect("binary builds");
    cmd.env_remove("NO_COLOR");
    cmd
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create folder");
    }
    std::fs::write(path, text).expect("write fixture");
}

/// Runs clause in `dir` and returns (exit code, stdout, stderr).
fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = clause().current_dir(dir).args(args).output().expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walk(from) {
        let rel = entry.strip_prefix(from).unwrap();
        let target = to.join(rel);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(&entry, &target).unwrap();
    }
}

/// Two text fields of every finding in a JSON report, in report order.
fn finding_fields(report: &Value, first: &str, second: &str) -> Vec<(String, String)> {
    let text = |f: &Value, key: &str| f[key].as_str().unwrap_or_default().to_string();
    report["findings"]
        .as_array()
        .expect("findings list")
        .iter()
        .map(|f| (text(f, first), text(f, second)))
        .collect()
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

const SUPPRESSIONS: &str = "fixtures/pipeline/suppressions";

/// The rules the suppression fixtures exercise: fixed, so rules added to
/// the library later do not change what these tests expect.
const SUPPRESSION_RULES: &[&str] = &[
    "CL-ANS-001",
    "CL-ANS-004",
    "CL-ANS-011",
    "CL-K8S-001",
    "CL-K8S-002",
    "CL-K8S-003",
    "CL-K8S-011",
    "CL-K8S-013",
    "CL-K8S-014",
    "CL-AWS-001",
    "CL-AWS-002",
    "CL-AWS-004",
    "CL-AWS-006",
    "CL-AWS-014",
];

/// `clause check <suppression fixtures> ARGS` with the fixed rules.
fn check_suppressions(args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["check", SUPPRESSIONS];
    for rule in SUPPRESSION_RULES {
        all.extend(["--rule", rule]);
    }
    all.extend(args);
    run(&repo(), &all)
}

/// (rule, file name, line) of each finding in a JSON list.
fn located(list: &Value) -> BTreeSet<(String, String, u64)> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let file = f["file"].as_str().unwrap();
            let name = Path::new(file).file_name().unwrap().to_string_lossy();
            (
                f["rule_id"].as_str().unwrap().to_string(),
                name.to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn set(items: &[(&str, &str, u64)]) -> BTreeSet<(String, String, u64)> {
    items
        .iter()
        .map(|(r, f, l)| (r.to_string(), f.to_string(), *l))
        .collect()
}

#[test]
fn suppressions_cover_resources_attributes_files_and_where_values_are_set() {
    let (code, out, err) = check_suppressions(&["--format", "json"]);
    assert_eq!(code, 1, "{err}");
    let report = json(&out);
    assert_eq!(
        located(&report["suppressed_findings"]),
        set(&[
            // Above a task, at the end of a task's argument.
            ("CL-ANS-004", "site.yml", 10),
            ("CL-ANS-001", "site.yml", 16),
            // A glob above a manifest, a file-wide directive, one attribute.
            ("CL-K8S-001", "manifests.yaml", 14),
            ("CL-K8S-002", "manifests.yaml", 11),
            ("CL-K8S-003", "manifests.yaml", 11),
            ("CL-K8S-011", "manifests.yaml", 11),
            ("CL-K8S-013", "manifests.yaml", 11),
            ("CL-K8S-014", "manifests.yaml", 11),
            ("CL-K8S-014", "manifests.yaml", 28),
            ("CL-K8S-001", "manifests.yaml", 33),
            // Above a resource, at the end of an attribute, at the variable
            // default the violating value came from.
            ("CL-AWS-001", "main.tf", 10),
            ("CL-AWS-002", "main.tf", 20),
            ("CL-AWS-001", "main.tf", 58),
        ])
    );
    assert_eq!(
        located(&report["findings"]),
        set(&[
            ("CL-ANS-011", "site.yml", 21),
            ("CL-K8S-002", "manifests.yaml", 28),
            ("CL-K8S-003", "manifests.yaml", 28),
            ("CL-K8S-011", "manifests.yaml", 28),
            ("CL-K8S-013", "manifests.yaml", 28),
            // The second ingress of the same group is not the suppressed one.
            ("CL-AWS-001", "main.tf", 26),
            // Expired, and malformed, so not suppressed.
            ("CL-AWS-006", "main.tf", 35),
            ("CL-AWS-014", "main.tf", 48),
        ])
    );
    let bastion = report["suppressed_findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["line"] == 10 && f["rule_id"] == "CL-AWS-001")
        .unwrap();
    assert_eq!(
        bastion["suppressed"],
        serde_json::json!({
            "reason": "bastion host, reviewed by SEC-142",
            "until": "2999-12-31",
            "file": format!("{SUPPRESSIONS}/terraform/main.tf"),
            "line": 4,
            "scope": "resource",
        })
    );
    let notices: Vec<(u64, String)> = report["suppression_warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["line"].as_u64().unwrap(),
                n["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(notices.len(), 3, "{notices:?}");
    assert!(notices[0].0 == 34 && notices[0].1.contains("expired on 2020-01-31"));
    assert!(notices[1].0 == 39 && notices[1].1.contains("unused suppression: CL-AWS-004"));
    assert!(notices[2].0 == 47 && notices[2].1.contains("reason is required"));
    assert!(notices[2].1.contains("# clause:ignore CODE[,CODE] reason="));
    assert_eq!(report["summary"]["suppressed"], 13);

    // The human report shows the warnings where a compiler would.
    let (_, human, _) = check_suppressions(&["--no-color"]);
    assert!(
        human.contains(&format!(
            "warning: {SUPPRESSIONS}/terraform/main.tf:39: unused suppression"
        )),
        "{human}"
    );
    assert!(human.contains("Set aside: 13 suppressed inline (not counted)"));
}

#[test]
fn suppressions_never_count_toward_the_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "pod.yaml",
        "# clause:ignore CL-K8S-* reason=\"sandbox\"\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: busybox:1.36\n      securityContext:\n        privileged: true\n",
    );
    let (code, out, _) = run(dir.path(), &["check", "--format", "json"]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(json(&out)["findings"].as_array().unwrap().len(), 0);

    // A security team can switch them off, by flag or config.
    let (code, out, _) = run(
        dir.path(),
        &["check", "--format", "json", "--no-inline-suppressions"],
    );
    assert_eq!(code, 1);
    assert!(!json(&out)["findings"].as_array().unwrap().is_empty());
    write(
        dir.path(),
        ".clause.toml",
        "[check]\ninline_suppressions = false\n",
    );
    let (code, _, _) = run(dir.path(), &["check"]);
    assert_eq!(code, 1);
    std::fs::remove_file(dir.path().join(".clause.toml")).unwrap();

    // And cap how many there may be.
    let (code, _, err) = run(dir.path(), &["check", "--max-suppressions", "2"]);
    assert_eq!(code, 1);
    assert!(err.contains("over the budget of 2"), "{err}");
    let (code, _, _) = run(dir.path(), &["check", "--max-suppressions", "20"]);
    assert_eq!(code, 0);
}

#[test]
fn a_baseline_survives_moved_lines_and_reports_new_and_stale_findings() {
    let dir = tempfile::tempdir().unwrap();
    let sg = |name: &str, port: u16| {
        format!(
            "resource \"aws_security_group\" \"{name}\" {{\n  ingress {{\n    from_port   = {port}\n    to_port     = {port}\n    protocol    = \"tcp\"\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }}\n}}\n"
        )
    };
    write(
        dir.path(),
        "infra/main.tf",
        &format!("{}{}", sg("ssh", 22), sg("rdp", 3389)),
    );
    let (code, out, err) = run(
        dir.path(),
        &["baseline", "write", "clause-baseline.json", "infra"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Recorded 2 finding(s)"), "{out}");

    // Lines move: comments above, resources reordered.
    write(
        dir.path(),
        "infra/main.tf",
        &format!(
            "# Edge access\n\n# reviewed 2026\n{}\n{}",
            sg("rdp", 3389),
            sg("ssh", 22)
        ),
    );
    let (code, out, _) = run(
        dir.path(),
        &[
            "check",
            "infra",
            "--baseline",
            "clause-baseline.json",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 0, "{out}");
    let report = json(&out);
    assert_eq!(report["findings"].as_array().unwrap().len(), 0);
    assert_eq!(report["baselined_findings"].as_array().unwrap().len(), 2);

    // A new violation is reported; a fixed one leaves a stale entry.
    write(
        dir.path(),
        "infra/main.tf",
        &format!("{}{}", sg("rdp", 3389), sg("winrm", 5985)),
    );
    let (code, out, _) = run(
        dir.path(),
        &[
            "check",
            "infra",
            "--baseline",
            "clause-baseline.json",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 1);
    let report = json(&out);
    let new: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["resource"].as_str().unwrap())
        .collect();
    assert_eq!(new, ["aws_security_group.winrm"]);
    let stale = report["stale_baseline_entries"].as_array().unwrap();
    assert_eq!(stale.len(), 1);
    assert_eq!(stale[0]["resource"], "aws_security_group.ssh");
    assert_eq!(stale[0]["file"], "infra/main.tf");

    // The baseline's paths are relative to it, so a check from a subfolder matches.
    let (code, out, _) = run(
        &dir.path().join("infra"),
        &[
            "check",
            ".",
            "--baseline",
            "../clause-baseline.json",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(
        json(&out)["baselined_findings"].as_array().unwrap().len(),
        1
    );

    // A broken baseline is an error naming it.
    write(dir.path(), "bad.json", "{\"tool\": \"clause\"");
    let (code, _, err) = run(dir.path(), &["check", "infra", "--baseline", "bad.json"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("bad.json") && err.contains("not a clause baseline"),
        "{err}"
    );
}

#[test]
fn config_errors_name_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "pod.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n",
    );
    for (text, line, needle) in [
        (
            "[check]\nfail_on = \"high\"\nfial_on = \"low\"\n",
            3,
            "fial_on",
        ),
        (
            "[check]\nfail_on = \"urgent\"\n",
            2,
            "unknown threshold `urgent`",
        ),
        (
            "[rules.severity]\n\"CL-K8S-001\" = \"huge\"\n",
            2,
            "unknown severity `huge`",
        ),
        (
            "[formats]\n\"deploy/*.yml\" = \"helm\"\n",
            2,
            "unknown format `helm`",
        ),
        ("[checks]\n", 1, "checks"),
        ("[check\n", 1, ""),
    ] {
        write(dir.path(), ".clause.toml", text);
        let (code, _, err) = run(dir.path(), &["check"]);
        assert_eq!(code, 2, "{text}: {err}");
        assert!(
            err.contains(&format!(".clause.toml:{line}:")) && err.contains(needle),
            "{text}: {err}"
        );
    }
    write(
        dir.path(),
        ".clause.toml",
        "[rules.severity]\n\"CL-NOPE-1\" = \"high\"\n",
    );
    let (code, _, err) = run(dir.path(), &["check"]);
    assert_eq!(code, 2);
    assert!(err.contains("CL-NOPE-1"), "{err}");
}

#[test]
fn config_settings_apply_and_flags_win() {
    let dir = tempfile::tempdir().unwrap();
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: busybox:1.36\n      securityContext:\n        privileged: true\n";
    write(dir.path(), "deploy/pod.yaml", pod);
    write(dir.path(), "vendor/pod.yaml", pod);
    write(dir.path(), "generated/pod.yml", pod);
    write(
        dir.path(),
        "infra/main.tf",
        "variable \"cidr\" {\n  default = \"10.0.0.0/8\"\n}\nresource \"aws_security_group\" \"a\" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = \"tcp\"\n    cidr_blocks = [var.cidr]\n  }\n}\n",
    );
    write(dir.path(), "infra/open.tfvars", "cidr = \"0.0.0.0/0\"\n");
    write(
        dir.path(),
        ".clause.toml",
        "[check]\nexclude = [\"vendor\"]\nformat = \"json\"\nfail_on = \"critical\"\n\n[rules]\nenable = [\"CL-K8S-001\", \"CL-AWS-001\"]\n\n[rules.severity]\n\"CL-AWS-001\" = \"critical\"\n\n[terraform]\nvar_files = [\"infra/open.tfvars\"]\n\n[formats]\n\"generated/*.yml\" = \"ignore\"\n",
    );
    // Run from a subfolder: the config is found upward, its paths and globs
    // stay relative to it.
    std::fs::create_dir_all(dir.path().join("deploy")).unwrap();
    let (code, out, err) = run(dir.path(), &["check"]);
    assert_eq!(code, 1, "{err}");
    let report = json(&out);
    let found: BTreeSet<(String, String)> = finding_fields(&report, "rule_id", "file")
        .into_iter()
        .collect();
    let expected: BTreeSet<(String, String)> = [
        ("CL-AWS-001", "infra/main.tf"),
        ("CL-K8S-001", "deploy/pod.yaml"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(found, expected);
    let aws = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == "CL-AWS-001")
        .unwrap();
    assert_eq!(aws["severity"], "critical");

    let (code, out, _) = run(&dir.path().join("deploy"), &["check", "."]);
    assert_eq!(code, 1);
    assert_eq!(json(&out)["findings"].as_array().unwrap().len(), 1);

    // Flags win over the config.
    let (code, out, _) = run(
        dir.path(),
        &[
            "check",
            "--format",
            "human",
            "--fail-on",
            "none",
            "--no-color",
        ],
    );
    assert_eq!(code, 0);
    assert!(out.contains("CL-K8S-001"), "{out}");
    let (_, out, _) = run(dir.path(), &["check", "--no-config", "--format", "json"]);
    assert!(json(&out)["findings"].as_array().unwrap().len() > 2);
}

#[test]
fn init_writes_a_starter_config_that_loads() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, _) = run(dir.path(), &["init"]);
    assert_eq!(code, 0);
    assert!(out.contains(".clause.toml"));
    let text = std::fs::read_to_string(dir.path().join(".clause.toml")).unwrap();
    assert!(text.contains("# fail_on = \"low\""));
    let (code, _, err) = run(dir.path(), &["check"]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run(dir.path(), &["init"]);
    assert_eq!(code, 2);
    assert!(err.contains("already exists"));
    let (code, _, _) = run(dir.path(), &["init", "--force"]);
    assert_eq!(code, 0);
}

/// The official OASIS schema, as published. Its `run.language` pattern ends
/// in a lone `]`, a literal in JavaScript regexes but an error in Rust's;
/// escaping it keeps the meaning and lets the schema compile.
fn sarif_schema() -> jsonschema::Validator {
    let text = std::fs::read_to_string(repo().join("tests/data/sarif-schema-2.1.0.json")).unwrap();
    let lone = "[a-zA-Z]{2}]?$";
    assert!(
        text.contains(lone),
        "the schema changed; revisit this workaround"
    );
    let text = text.replace(lone, "[a-zA-Z]{2}\\\\]?$");
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::validator_for(&schema).expect("the SARIF schema compiles")
}

#[test]
fn sarif_validates_against_the_schema_and_locates_every_finding() {
    let dir = tempfile::tempdir().unwrap();
    let sarif_path = dir.path().join("clause.sarif");
    let json_path = dir.path().join("clause.json");
    let out = clause()
        .current_dir(repo())
        .args([
            "check",
            SUPPRESSIONS,
            "examples",
            "--format",
            "sarif",
            "--no-color",
        ])
        .arg("--output")
        .arg(&sarif_path)
        .arg("--output")
        .arg(format!("json={}", json_path.display()))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    // `--output FILE` takes the --format report; the terminal gets the human one.
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("Found ") && stdout.contains("Checked "),
        "{stdout}"
    );

    let sarif: Value = json(&std::fs::read_to_string(&sarif_path).unwrap());
    let validator = sarif_schema();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF schema errors:\n{}",
        errors.join("\n")
    );
    // The validator does reject what the schema forbids.
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        serde_json::json!(0);
    assert!(!validator.is_valid(&broken));

    let report = json(&std::fs::read_to_string(&json_path).unwrap());
    let run = &sarif["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let results = run["results"].as_array().unwrap();
    let findings = report["findings"].as_array().unwrap();
    let suppressed = report["suppressed_findings"].as_array().unwrap();
    assert_eq!(results.len(), findings.len() + suppressed.len());
    for f in findings.iter().chain(suppressed) {
        let matching = results.iter().find(|r| {
            r["partialFingerprints"]["clause/v1"] == f["fingerprint"] && r["ruleId"] == f["rule_id"]
        });
        let r = matching.unwrap_or_else(|| panic!("no SARIF result for {f}"));
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], f["file"]);
        let region = &loc["region"];
        assert_eq!(region["startLine"], f["line"]);
        assert_eq!(region["startColumn"], f["column"]);
        assert_eq!(region["endLine"], f["end_line"]);
        assert_eq!(region["endColumn"], f["end_column"]);
        // The line in the file really holds the underlined text.
        let text = std::fs::read_to_string(repo().join(f["file"].as_str().unwrap())).unwrap();
        let line = text
            .lines()
            .nth(f["line"].as_u64().unwrap() as usize - 1)
            .unwrap();
        assert!(line.chars().count() + 1 >= f["column"].as_u64().unwrap() as usize);
        let is_suppressed = !f["suppressed"].is_null();
        assert_eq!(r["suppressions"].is_array(), is_suppressed, "{r}");
        if is_suppressed {
            assert_eq!(r["suppressions"][0]["kind"], "inSource");
            assert_eq!(
                r["suppressions"][0]["justification"],
                f["suppressed"]["reason"]
            );
        }
    }
    // Provenance travels as related locations.
    let with_related = results
        .iter()
        .find(|r| r["relatedLocations"].is_array())
        .expect("a result whose value was set elsewhere");
    assert!(with_related["relatedLocations"][0]["message"]["text"].is_string());

    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let sg = rules.iter().find(|r| r["id"] == "CL-AWS-001").unwrap();
    let tags: Vec<&str> = sg["properties"]["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert!(tags.contains(&"iso27002:2005/11.4.4"), "{tags:?}");
    assert!(tags.contains(&"iso27002:2022/8.20"), "{tags:?}");
    assert_eq!(sg["properties"]["security-severity"], "8.0");
    for key in ["shortDescription", "fullDescription", "help"] {
        assert!(sg[key]["text"].is_string(), "{key}");
    }
    assert!(
        sg["help"]["markdown"]
            .as_str()
            .unwrap()
            .contains("How to fix")
    );
    let taxonomies = run["taxonomies"].as_array().unwrap();
    assert!(taxonomies.iter().any(|t| {
        t["name"] == "ISO/IEC 27002:2005"
            && t["taxa"]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x["id"] == "11.4.4")
    }));
}

#[test]
fn sarif_of_errors_and_a_clean_run_still_validates() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "broken.tf", "resource \"x\" \"y\" {\n  a = \n");
    write(
        dir.path(),
        "ok.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n",
    );
    let (code, out, _) = run(dir.path(), &["check", "--format", "sarif"]);
    assert_eq!(code, 2);
    let sarif = json(&out);
    let validator = sarif_schema();
    assert!(validator.is_valid(&sarif));
    let invocation = &sarif["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let note = &invocation["toolExecutionNotifications"][0];
    assert_eq!(note["level"], "error");
    assert_eq!(
        note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "broken.tf"
    );
}

#[test]
fn junit_has_a_case_per_rule_and_document() {
    let (code, out, _) = check_suppressions(&["--format", "junit"]);
    assert_eq!(code, 1);
    let (_, report, _) = check_suppressions(&["--format", "json"]);
    let report = json(&report);
    let doc = roxmltree::Document::parse(&out).expect("JUnit is XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let suites: Vec<_> = root
        .children()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    // One suite per document: the module, two manifests, the playbook.
    assert_eq!(suites.len(), 4, "{out}");
    let mut failing_pairs = BTreeSet::new();
    for f in report["findings"].as_array().unwrap() {
        failing_pairs.insert((
            f["unit"].as_str().unwrap().to_string(),
            f["rule_id"].as_str().unwrap().to_string(),
        ));
    }
    let mut failures = 0;
    let mut cases = 0;
    for suite in &suites {
        let declared: usize = suite.attribute("tests").unwrap().parse().unwrap();
        let suite_cases: Vec<_> = suite
            .children()
            .filter(|n| n.has_tag_name("testcase"))
            .collect();
        assert_eq!(declared, suite_cases.len());
        cases += suite_cases.len();
        for case in suite_cases {
            if let Some(failure) = case.children().find(|n| n.has_tag_name("failure")) {
                failures += 1;
                let message = failure.attribute("message").unwrap();
                assert!(
                    message.contains(".tf:")
                        || message.contains(".yaml:")
                        || message.contains(".yml:"),
                    "{message}"
                );
            }
        }
    }
    assert_eq!(failures, failing_pairs.len());
    assert!(cases > failures, "passing rules are cases too");
    assert_eq!(
        root.attribute("failures")
            .unwrap()
            .parse::<usize>()
            .unwrap(),
        failures
    );
}

#[test]
fn github_annotations_and_gitlab_code_quality() {
    let (_, report, _) = check_suppressions(&["--format", "json"]);
    let report = json(&report);
    let findings = report["findings"].as_array().unwrap();

    let (code, out, _) = check_suppressions(&["--format", "github"]);
    assert_eq!(code, 1);
    let annotations: Vec<&str> = out
        .lines()
        .filter(|l| {
            l.starts_with("::error ") || l.starts_with("::warning ") || l.starts_with("::notice ")
        })
        .collect();
    // One per finding, plus one per suppression warning.
    assert_eq!(
        annotations.len(),
        findings.len() + report["suppression_warnings"].as_array().unwrap().len()
    );
    let rdp = findings.iter().find(|f| f["line"] == 26).unwrap();
    let expected = format!(
        "::error file={},line=26,endLine={},col={},endColumn={},title=CL-AWS-001 Security group opens remote administration ports to the internet::",
        rdp["file"].as_str().unwrap(),
        rdp["end_line"],
        rdp["column"],
        rdp["end_column"]
    );
    assert!(
        annotations.iter().any(|a| a.starts_with(&expected)),
        "{out}"
    );
    assert!(annotations.iter().all(|a| !a[2..].contains('\n')));

    let (_, out, _) = check_suppressions(&["--format", "gitlab"]);
    let issues = json(&out);
    let issues = issues.as_array().unwrap();
    assert_eq!(issues.len(), findings.len());
    for (issue, f) in issues.iter().zip(findings) {
        assert_eq!(issue["fingerprint"], f["fingerprint"]);
        assert_eq!(issue["location"]["path"], f["file"]);
        assert_eq!(issue["location"]["positions"]["begin"]["line"], f["line"]);
        assert!(
            ["info", "minor", "major", "critical", "blocker"]
                .contains(&issue["severity"].as_str().unwrap())
        );
    }
}

#[test]
fn named_terraform_files_are_checked_with_their_module_and_reported_alone() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "net/variables.tf",
        "variable \"cidrs\" {\n  default = [\"0.0.0.0/0\"]\n}\n",
    );
    write(
        dir.path(),
        "net/ssh.tf",
        "resource \"aws_security_group\" \"ssh\" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = \"tcp\"\n    cidr_blocks = var.cidrs\n  }\n}\n",
    );
    write(
        dir.path(),
        "net/db.tf",
        "resource \"aws_security_group\" \"db\" {\n  ingress {\n    from_port   = 5432\n    to_port     = 5432\n    protocol    = \"tcp\"\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n}\n",
    );
    // ssh.tf alone: its finding needs the variable from variables.tf; the
    // database finding in db.tf is not this file's.
    let (code, out, _) = run(dir.path(), &["check", "net/ssh.tf", "--format", "json"]);
    assert_eq!(code, 1);
    let report = json(&out);
    let files: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["net/ssh.tf"]);
    // variables.tf alone: the finding its default causes is reported.
    let (code, out, _) = run(
        dir.path(),
        &["check", "net/variables.tf", "--format", "json"],
    );
    assert_eq!(code, 1);
    assert_eq!(json(&out)["findings"].as_array().unwrap().len(), 1);
    // The folder: everything.
    let (_, out, _) = run(dir.path(), &["check", "net", "--format", "json"]);
    assert_eq!(json(&out)["findings"].as_array().unwrap().len(), 2);
}

#[test]
fn suppressions_in_a_copied_tree_behave_the_same() {
    // Paths shown differently (absolute) must not change what is covered.
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&repo().join(SUPPRESSIONS), dir.path());
    let (_, out, _) = clause_json_abs(dir.path());
    assert_eq!(out["suppressed_findings"].as_array().unwrap().len(), 13);
}

fn clause_json_abs(dir: &Path) -> (i32, Value, String) {
    let mut cmd = clause();
    cmd.arg("check").arg(dir).args(["--format", "json"]);
    for rule in SUPPRESSION_RULES {
        cmd.args(["--rule", rule]);
    }
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        json(&String::from_utf8_lossy(&out.stdout)),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[test]
fn playbooks_are_reported_once_through_whatever_runs_them() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "site.yml", "- import_playbook: plays/web.yml\n");
    write(
        root,
        "plays/web.yml",
        "- name: Web\n  hosts: web\n  vars:\n    web_admin_password: S3cr3t-web\n  tasks:\n    - include_tasks: ../odd.yml\n",
    );
    // A playbook no `import_playbook` names, run as a task list: clause
    // guesses from the text that it runs alone, and must still report it
    // only through the playbook that reaches it.
    write(
        root,
        "odd.yml",
        "- name: Included\n  hosts: all\n  vars:\n    odd_api_password: S3cr3t-odd\n",
    );
    write(
        root,
        "lone.yml",
        "- name: Lone\n  hosts: db\n  vars:\n    lone_root_password: S3cr3t-lone\n",
    );
    let found = |args: &[&str]| {
        let (code, out, err) = run(root, args);
        assert_eq!(code, 0, "{err}");
        (finding_fields(&json(&out), "file", "unit"), out)
    };
    let (findings, report) = found(&[
        "check",
        ".",
        "--format",
        "json",
        "--no-config",
        "--fail-on",
        "none",
    ]);
    let expected = [
        ("lone.yml", "lone.yml"),
        ("odd.yml", "site.yml"),
        ("plays/web.yml", "site.yml"),
    ];
    assert_eq!(
        findings,
        expected.map(|(f, u)| (f.to_string(), u.to_string())),
        "{report}"
    );
    // With no room to hold early results, every playbook is read twice
    // instead: the report must not change.
    write(root, "tight.toml", "[limits]\nfindings_in_memory = 1\n");
    let (_, tight) = found(&[
        "check",
        ".",
        "--format",
        "json",
        "--config",
        "tight.toml",
        "--fail-on",
        "none",
        "--exclude",
        "tight.toml",
    ]);
    assert_eq!(tight, report);
}

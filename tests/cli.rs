//! The command line as users run it: exit codes, the JSON contract, errors
//! that name the file and line without hiding other files' findings.

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

fn clause() -> Command {
    let mut cmd = Command::cargo_bin("clause").expect("binary builds");
    cmd.env_remove("NO_COLOR");
    cmd
}

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create folder");
    }
    std::fs::write(path, text).expect("write fixture");
}

const PRIVILEGED_POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: debug\nspec:\n  containers:\n    - name: shell\n      image: busybox:1.36\n      securityContext:\n        privileged: true\n";

fn json_of(output: &[u8]) -> Value {
    serde_json::from_slice(output).expect("stdout is JSON")
}

#[test]
fn findings_exit_1_and_follow_the_json_contract() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "pod.yaml", PRIVILEGED_POD);
    let out = clause()
        .current_dir(dir.path())
        .args(["check", ".", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = json_of(&out.stdout);
    assert!(report["version"].is_string());
    let finding = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == "CL-K8S-001")
        .expect("privileged finding");
    for key in [
        "rule_id",
        "severity",
        "title",
        "message",
        "controls",
        "file",
        "line",
        "column",
        "end_line",
        "end_column",
        "resource",
        "remediation",
    ] {
        assert!(
            finding.get(key).is_some(),
            "finding lacks `{key}`: {finding}"
        );
    }
    assert_eq!(finding["file"], "pod.yaml");
    assert_eq!(finding["line"], 10);
    assert_eq!(finding["column"], 21);
    assert_eq!(finding["end_column"], 25);
    assert_eq!(finding["severity"], "critical");
    assert_eq!(finding["resource"], "Pod/debug");
    assert_eq!(
        finding["controls"]["iso27002:2005"],
        serde_json::json!(["11.2.2"])
    );
    assert_eq!(
        finding["controls"]["iso27002:2022"],
        serde_json::json!(["8.2"])
    );
    assert_eq!(report["errors"], serde_json::json!([]));
    assert!(report["summary"]["files"]["kubernetes"].as_u64() == Some(1));
}

#[test]
fn a_syntax_error_exits_2_naming_its_line_and_other_findings_still_print() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "pod.yaml", PRIVILEGED_POD);
    write(
        dir.path(),
        "broken/main.tf",
        "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x\"\n  tags = {\n    a = [1, 2\n  }\n}\n",
    );
    let out = clause()
        .current_dir(dir.path())
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let report = json_of(&out.stdout);
    let error = &report["errors"][0];
    assert_eq!(error["file"], "broken/main.tf");
    assert_eq!(error["line"], 5);
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("HCL syntax error")
    );
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["file"] == "pod.yaml"),
        "the other file's finding is still reported"
    );

    let human = clause()
        .current_dir(dir.path())
        .args(["check"])
        .output()
        .unwrap();
    assert_eq!(human.status.code(), Some(2));
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(text.contains("broken/main.tf:5:"), "{text}");
    assert!(text.contains("CL-K8S-001"), "{text}");
}

#[test]
fn clean_input_exits_0_and_thresholds_apply() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: b\n",
    );
    clause()
        .current_dir(dir.path())
        .arg("check")
        .assert()
        .code(0);

    write(dir.path(), "pod.yaml", PRIVILEGED_POD);
    clause()
        .current_dir(dir.path())
        .args(["check", "--fail-on", "none"])
        .assert()
        .code(0);
    clause()
        .current_dir(dir.path())
        .args(["check", "--fail-on", "critical"])
        .assert()
        .code(1);
}

#[test]
fn a_bad_flag_exits_2() {
    clause().args(["check", "--no-such-flag"]).assert().code(2);
    clause()
        .args(["check", "--fail-on", "severe"])
        .assert()
        .code(2);
}

#[test]
fn a_missing_path_is_an_error() {
    let out = clause().args(["check", "does/not/exist"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stdout).contains("does/not/exist"));
}

#[test]
fn colour_is_off_when_not_a_terminal_or_no_color_is_set() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "pod.yaml", PRIVILEGED_POD);
    for extra in [vec![], vec!["--no-color"]] {
        let out = clause()
            .current_dir(dir.path())
            .arg("check")
            .args(extra)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        assert!(!String::from_utf8_lossy(&out.stdout).contains('\u{1b}'));
    }
}

#[test]
fn paths_show_as_given() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "deploy/pod.yaml", PRIVILEGED_POD);
    let out = clause()
        .current_dir(dir.path())
        .args(["check", "./deploy", "--format", "json"])
        .output()
        .unwrap();
    let report = json_of(&out.stdout);
    assert_eq!(report["findings"][0]["file"], "deploy/pod.yaml");
}

#[test]
fn excluded_folders_are_not_checked() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "vendor/charts/pod.yaml", PRIVILEGED_POD);
    write(dir.path(), "deploy/pod.yaml", PRIVILEGED_POD);
    let out = clause()
        .current_dir(dir.path())
        .args(["check", "--exclude", "vendor", "--format", "json"])
        .output()
        .unwrap();
    let report = json_of(&out.stdout);
    let files: std::collections::BTreeSet<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert_eq!(files.into_iter().collect::<Vec<_>>(), ["deploy/pod.yaml"]);
}

#[test]
fn skipped_files_are_counted_and_listed_only_for_debug() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "deploy/pod.yaml", PRIVILEGED_POD);
    write(dir.path(), "README.md", "# notes\n");
    // YAML that is neither a manifest nor Ansible is skipped when read.
    write(dir.path(), "deploy/values.yaml", "replicas: 2\n");
    let run = |debug: bool| {
        let mut args = vec!["check", "--no-config", "--format", "json"];
        if debug {
            args.push("--debug");
        }
        clause()
            .current_dir(dir.path())
            .args(args)
            .output()
            .unwrap()
    };
    let (quiet, listed) = (run(false), run(true));
    for out in [&quiet, &listed] {
        assert_eq!(json_of(&out.stdout)["summary"]["skipped"], 2);
    }
    assert!(!String::from_utf8_lossy(&quiet.stderr).contains("skipped:"));
    let stderr = String::from_utf8_lossy(&listed.stderr);
    for file in ["README.md", "deploy/values.yaml"] {
        assert!(stderr.contains(&format!("skipped: {file}: ")), "{stderr}");
    }
}

#[test]
fn stdin_is_read_with_the_given_format_and_name() {
    let out = clause()
        .args([
            "check",
            "-",
            "--stdin-format",
            "kubernetes",
            "--stdin-name",
            "rendered.yaml",
            "--format",
            "json",
        ])
        .write_stdin(PRIVILEGED_POD)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report = json_of(&out.stdout);
    let privileged = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == "CL-K8S-001")
        .expect("privileged finding");
    assert_eq!(privileged["file"], "rendered.yaml");
    assert_eq!(privileged["line"], 10);
}

#[test]
fn rules_lists_every_rule_with_its_controls() {
    let out = clause()
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let listing = json_of(&out.stdout);
    let rules = listing["rules"].as_array().unwrap();
    let aws = rules.iter().find(|r| r["id"] == "CL-AWS-001").unwrap();
    assert_eq!(aws["provider"], "aws");
    assert_eq!(aws["source"], "built-in");
    assert_eq!(aws["targets"], serde_json::json!(["terraform"]));
    assert!(
        !aws["controls"]["iso27002:2005"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    let table = clause()
        .args(["rules", "--control", "11.2"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(text.contains("CL-K8S-001"));
    assert!(!text.contains("CL-AWS-001"));
}

#[test]
fn explain_prints_the_rule_and_rejects_unknown_codes() {
    let out = clause().args(["explain", "cl-k8s-001"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Container runs privileged"));
    assert!(text.contains("11.2.2 Privilege management"));
    assert!(text.contains("How to fix"));

    clause().args(["explain", "CL-NOPE-999"]).assert().code(2);
}

#[test]
fn inspect_prints_the_documents_rules_read() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "pod.yaml", PRIVILEGED_POD);
    let out = clause()
        .current_dir(dir.path())
        .args(["inspect", "pod.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let report = json_of(&out.stdout);
    let doc = &report["documents"][0];
    assert_eq!(doc["format"], "kubernetes");
    assert_eq!(doc["unit"], "pod.yaml#0");
    assert_eq!(
        doc["input"]["spec"]["containers"][0]["securityContext"]["privileged"],
        true
    );
}

#[test]
fn a_broken_custom_rule_stops_with_its_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "rules/bad.rego",
        "# METADATA\n# title: Bad\n# description: A rule with a syntax error, to check that errors point into the rule file at the right line.\n# custom:\n#   id: ACME-001\n#   severity: high\n#   targets: [kubernetes]\n#   controls:\n#     iso27002:2005: [\"11.2.2\"]\n#     iso27002:2022: [\"8.2\"]\n#   remediation: fix the rule file\npackage acme.bad\n\nimport rego.v1\n\ndeny contains x if {\n  x := {\"msg\": \"m\", \"path\": [}\n}\n",
    );
    write(dir.path(), "pod.yaml", PRIVILEGED_POD);
    let out = clause()
        .current_dir(dir.path())
        .args(["check", "pod.yaml", "--rules", "rules"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("rules/bad.rego:17:"), "{err}");
}

#[test]
fn a_custom_rule_runs_beside_the_builtins() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "policy/no_debug.rego",
        "# METADATA\n# title: Debug pods are not allowed\n# description: Pods named debug are leftovers of incident work and run with broad access; ISO/IEC 27002 12.4.1 asks that operational systems run only approved software.\n# custom:\n#   id: ACME-K8S-001\n#   severity: medium\n#   targets: [kubernetes]\n#   controls:\n#     iso27002:2005: [\"12.4.1\"]\n#     iso27002:2022: [\"8.19\"]\n#   remediation: delete the debug pod\npackage acme.no_debug\n\nimport rego.v1\n\ndeny contains {\"msg\": \"debug pod\", \"path\": [\"metadata\", \"name\"]} if input.metadata.name == \"debug\"\n",
    );
    write(dir.path(), "pod.yaml", PRIVILEGED_POD);
    let out = clause()
        .current_dir(dir.path())
        .args(["check", "pod.yaml", "--rules", "policy", "--format", "json"])
        .output()
        .unwrap();
    let report = json_of(&out.stdout);
    let ids: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"ACME-K8S-001"), "{ids:?}");
    assert!(ids.contains(&"CL-K8S-001"), "{ids:?}");
}

#[test]
fn var_and_var_file_apply_in_the_order_given() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "db/main.tf",
        "variable \"public\" {\n  type    = bool\n  default = false\n}\nresource \"aws_db_instance\" \"db\" {\n  storage_encrypted   = true\n  publicly_accessible = var.public\n}\n",
    );
    write(dir.path(), "safe.tfvars", "public = false\n");
    let run = |args: &[&str]| {
        let out = clause()
            .current_dir(dir.path())
            .args(["check", "db", "--rule", "CL-AWS-005", "--format", "json"])
            .args(args)
            .output()
            .unwrap();
        json_of(&out.stdout)["findings"].as_array().unwrap().len()
    };
    assert_eq!(
        run(&["--var", "public=true", "--var-file", "safe.tfvars"]),
        0,
        "the later file wins"
    );
    assert_eq!(
        run(&["--var-file", "safe.tfvars", "--var", "public=true"]),
        1,
        "the later --var wins"
    );
    let out = clause()
        .current_dir(dir.path())
        .args([
            "check",
            "db",
            "--rule",
            "CL-AWS-005",
            "--var",
            "public=true",
            "--no-color",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("command line"),
        "the finding shows the --var that set the value:\n{text}"
    );
}

#[test]
fn naming_files_loads_only_the_rules_that_can_apply_and_finds_the_same() {
    // A pre-commit run names files: only the rules of their formats and
    // kinds are compiled, which must not change what is found, and codes of
    // the other rules stay known to suppressions and severity overrides.
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        ".clause.toml",
        "[rules.severity]\nCL-K8S-001 = \"low\"\n",
    );
    let run = |args: &[&str]| {
        let out = clause()
            .current_dir(repo)
            .args(["check", "--config"])
            .arg(dir.path().join(".clause.toml"))
            .args(args)
            .args(["--format", "json"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(matches!(out.status.code(), Some(0 | 1)), "{stderr}");
        json_of(&out.stdout)
    };
    // A named file is checked with its module and reported on alone.
    let in_main = |report: &Value, key: &str| -> Vec<Value> {
        report[key]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["file"] == "examples/terraform/network/main.tf")
            .cloned()
            .collect()
    };
    let named = run(&["examples/terraform/network/main.tf"]);
    let folder = run(&["examples/terraform/network"]);
    assert!(!in_main(&named, "findings").is_empty());
    assert_eq!(in_main(&named, "findings"), in_main(&folder, "findings"));
    assert_eq!(
        in_main(&named, "inconclusive"),
        in_main(&folder, "inconclusive")
    );
    // Only the rules that can apply to the named files' kinds load.
    assert!(named["summary"]["rules"].as_u64() < folder["summary"]["rules"].as_u64());
    for (file, folder) in [
        ("examples/kubernetes/web.yaml", "examples/kubernetes"),
        ("examples/ansible/site.yml", "examples/ansible"),
    ] {
        let named = run(&[file]);
        let whole = run(&[folder]);
        let of_unit = |report: &Value, key: &str| -> Vec<Value> {
            report[key]
                .as_array()
                .unwrap()
                .iter()
                .filter(|f| f["unit"].as_str().unwrap_or("").starts_with(file))
                .cloned()
                .collect()
        };
        assert!(!of_unit(&named, "findings").is_empty(), "{file}");
        assert_eq!(
            of_unit(&named, "findings"),
            of_unit(&whole, "findings"),
            "{file}"
        );
        let inconclusive = |report: &Value| report["inconclusive"].as_array().unwrap().clone();
        for check in inconclusive(&named) {
            assert!(inconclusive(&whole).contains(&check), "{file}: {check}");
        }
        assert!(named["summary"]["rules"].as_u64() < whole["summary"]["rules"].as_u64());
    }
}

#[test]
fn machine_reports_are_the_same_whether_or_not_file_texts_are_kept() {
    // Without a human report clause drops the text of files with findings
    // as each unit is done; every location in the machine reports must
    // still be the same.
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let run = |keep_text: bool, name: &str| {
        let mut cmd = clause();
        cmd.current_dir(repo)
            .args([
                "check",
                "examples",
                "fixtures/terraform",
                "fixtures/kubernetes",
            ])
            .args(["fixtures/ansible", "--no-config"])
            .args(["--format", "json", "--fail-on", "none"])
            .arg("--output")
            .arg(format!("sarif={}", dir.path().join(name).display()));
        if keep_text {
            cmd.arg("--output")
                .arg(format!("human={}", dir.path().join("human.txt").display()));
        }
        let out = cmd.output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(matches!(out.status.code(), Some(0 | 2)), "{stderr}");
        let sarif = std::fs::read_to_string(dir.path().join(name)).unwrap();
        (out.stdout, sarif)
    };
    let (json_kept, sarif_kept) = run(true, "kept.sarif");
    let (json_dropped, sarif_dropped) = run(false, "dropped.sarif");
    assert!(
        !json_of(&json_kept)["findings"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert!(json_kept == json_dropped, "the JSON reports differ");
    assert_eq!(sarif_kept, sarif_dropped);
}

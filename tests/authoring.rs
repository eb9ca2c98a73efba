//! Custom rules as a platform team meets them: every kind of mistake stops
//! with the `.rego` file and line, the sandbox holds (no network, no
//! environment, no runaway loops) without losing other rules' findings,
//! and `clause test` / `clause new rule` behave.

use std::path::Path;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use serde_json::Value;

fn clause() -> Command {
    let mut cmd = Command::cargo_bin("clause").expect("binary builds");
    cmd.env("NO_COLOR", "1");
    cmd
}

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = clause().current_dir(dir).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

/// A rule file: METADATA for `id`, then `body` (the package is `custom.<pkg>`).
fn rule(id: &str, pkg: &str, body: &str) -> String {
    format!(
        "# METADATA\n# title: Test rule {id}\n# description: Exercises clause's handling of custom rules.\n# custom:\n#   id: {id}\n#   severity: low\n#   targets: [kubernetes]\n#   controls:\n#     iso27002:2005: [\"12.4.1\"]\n#     iso27002:2022: [\"8.19\"]\n#   remediation: Fix it.\npackage custom.{pkg}\n\nimport rego.v1\n\n{body}\n"
    )
}

const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: busybox:1.36\n      securityContext:\n        privileged: true\n";

/// `clause check` on the project's pod with its `policy/` rules alone.
const CUSTOM_RULES_ONLY: &[&str] = &[
    "check",
    "pod.yaml",
    "--rules",
    "policy",
    "--no-builtin-rules",
    "--format",
    "json",
];

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "pod.yaml", POD);
    dir
}

#[test]
fn each_rule_mistake_names_the_rego_file_and_line() {
    let ok_body = "deny contains {\"msg\": \"m\", \"path\": []} if { input.kind == \"Pod\" }";
    let cases: Vec<(&str, String, &str, &str)> = vec![
        (
            "syntax",
            rule(
                "X-1",
                "x",
                "deny contains {\"msg\": \"m\", \"path\": []} if { input.kind == }",
            ),
            "policy/x.rego:16:",
            "expecting expression",
        ),
        (
            "type",
            rule(
                "X-1",
                "x",
                "deny contains {\"msg\": \"m\", \"path\": []} if { no_such.function(1) }",
            ),
            "policy/x.rego:16:",
            "could not find function no_such.function",
        ),
        (
            "missing id",
            rule("X-1", "x", ok_body).replace("#   id: X-1\n", ""),
            "policy/x.rego:4:",
            "METADATA needs `custom.id`",
        ),
        (
            "severity",
            rule("X-1", "x", ok_body).replace("severity: low", "severity: urgent"),
            "policy/x.rego:6:",
            "unknown severity `urgent`",
        ),
        (
            "control",
            rule("X-1", "x", ok_body).replace("\"12.4.1\"", "\"99.9.9\""),
            "policy/x.rego:9:",
            "control `99.9.9` is not in the ISO/IEC 27002:2005 control list",
        ),
    ];
    for (what, text, location, message) in cases {
        let dir = project();
        write(dir.path(), "policy/x.rego", &text);
        let (code, _, err) = run(dir.path(), &["check", "pod.yaml", "--rules", "policy"]);
        assert_eq!(code, 2, "{what}: {err}");
        assert!(
            err.contains(location) && err.contains(message),
            "{what}:\n{err}"
        );
    }

    // Two rules with one code.
    let dir = project();
    write(dir.path(), "policy/a.rego", &rule("X-1", "a", ok_body));
    write(dir.path(), "policy/b.rego", &rule("X-1", "b", ok_body));
    let (code, _, err) = run(dir.path(), &["check", "pod.yaml", "--rules", "policy"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("policy/b.rego:2:")
            && err.contains("rule code X-1 is already used by policy/a.rego"),
        "{err}"
    );

    // `deny` of the wrong shape: an error naming the rule, file and line.
    let dir = project();
    write(
        dir.path(),
        "policy/x.rego",
        &rule(
            "X-1",
            "x",
            "deny contains \"bad\" if { input.kind == \"Pod\" }",
        ),
    );
    let (code, out, _) = run(
        dir.path(),
        &["check", "pod.yaml", "--rules", "policy", "--format", "json"],
    );
    assert_eq!(code, 2);
    let report: Value = serde_json::from_str(&out).unwrap();
    let message = report["errors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("rule X-1 (policy/x.rego:16) returned an entry without a string `msg`"),
        "{message}"
    );

    // A path that is not in the input: a warning naming the rule and path.
    let dir = project();
    write(
        dir.path(),
        "policy/x.rego",
        &rule(
            "X-1",
            "x",
            "deny contains {\"msg\": \"m\", \"path\": [\"spec\", \"nothere\"]} if { input.kind == \"Pod\" }",
        ),
    );
    let (code, _, err) = run(
        dir.path(),
        &["check", "pod.yaml", "--rules", "policy", "--rule", "X-1"],
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("rule X-1 returned path [\"spec\",\"nothere\"] which does not exist"),
        "{err}"
    );

    // print() shows with --debug, prefixed with the rule's code.
    let dir = project();
    write(
        dir.path(),
        "policy/x.rego",
        &rule(
            "X-1",
            "x",
            "deny contains {\"msg\": \"m\", \"path\": []} if { print(\"kind is\", input.kind); input.kind == \"Pod\" }",
        ),
    );
    let (_, _, err) = run(
        dir.path(),
        &[
            "check", "pod.yaml", "--rules", "policy", "--rule", "X-1", "--debug",
        ],
    );
    assert!(
        err.contains("print: X-1: policy/x.rego:16: kind is Pod"),
        "{err}"
    );
    let (_, _, err) = run(
        dir.path(),
        &["check", "pod.yaml", "--rules", "policy", "--rule", "X-1"],
    );
    assert!(!err.contains("kind is Pod"));
}

#[test]
fn the_sandbox_stops_bad_rules_quickly_and_keeps_other_findings() {
    let dir = project();
    for i in 0..3 {
        write(
            dir.path(),
            &format!("pod{i}.yaml"),
            &POD.replace("name: p\n", &format!("name: p{i}\n")),
        );
    }
    write(
        dir.path(),
        "policy/network.rego",
        &rule(
            "T-NET-1",
            "network",
            "deny contains {\"msg\": r.body, \"path\": []} if { r := http.send({\"method\": \"get\", \"url\": \"http://example.com\"}) }",
        ),
    );
    write(
        dir.path(),
        "policy/env.rego",
        &rule(
            "T-ENV-1",
            "env",
            "deny contains {\"msg\": opa.runtime().env.HOME, \"path\": []} if { true }",
        ),
    );
    // Loops on any pod, for as long as it is allowed to.
    write(
        dir.path(),
        "policy/runaway.rego",
        &rule(
            "T-RUN-1",
            "runaway",
            "deny contains {\"msg\": \"never\", \"path\": []} if {\n\tn := numbers.range(1, count(input.spec.containers) * 900000)\n\tsome a in n\n\tsome b in n\n\ta + b == -1\n}",
        ),
    );
    // Builds a huge range from nothing.
    write(
        dir.path(),
        "policy/explode.rego",
        &rule(
            "T-BIG-1",
            "explode",
            "deny contains {\"msg\": \"x\", \"path\": []} if { count(numbers.range(1, count(input.spec.containers) * 100000000)) > 0 }",
        ),
    );
    let started = Instant::now();
    let (code, out, _) = run(
        dir.path(),
        &["check", ".", "--rules", "policy", "--format", "json"],
    );
    let took = started.elapsed();
    assert_eq!(code, 2);
    assert!(took < Duration::from_secs(40), "took {took:?}");
    let report: Value = serde_json::from_str(&out).unwrap();
    let errors: Vec<String> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{}:{}: {}",
                e["file"].as_str().unwrap(),
                e["line"],
                e["message"].as_str().unwrap()
            )
        })
        .collect();
    let all = errors.join("\n");
    assert!(all.contains("policy/network.rego:16: `http.send` is not available in clause: rules cannot reach the network"), "{all}");
    assert!(
        all.contains("policy/env.rego:16: `opa.runtime` is not available in clause"),
        "{all}"
    );
    assert!(
        all.contains("rule T-RUN-1 (policy/runaway.rego) was stopped by the work limit on "),
        "{all}"
    );
    assert!(
        all.contains("numbers.range would build 100000000 numbers; clause allows at most 1000000"),
        "{all}"
    );
    // A runaway rule costs the limit once per worker, not once per document.
    let runaway = errors.iter().filter(|e| e.contains("T-RUN-1")).count();
    assert!((1..=2).contains(&runaway), "{all}");
    // Every built-in rule still reported every pod.
    let privileged = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule_id"] == "CL-K8S-001")
        .count();
    assert_eq!(privileged, 4);
}

#[test]
fn custom_rules_use_clause_network_functions() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "main.tf",
        "resource \"aws_security_group\" \"a\" {\n  ingress {\n    from_port   = 443\n    to_port     = 443\n    protocol    = \"tcp\"\n    cidr_blocks = [\"10.20.0.0/16\"]\n  }\n}\n",
    );
    write(
        dir.path(),
        "policy/corp.rego",
        "# METADATA\n# title: Ingress from the office network\n# description: The office range must not reach production directly (10.6.1).\n# custom:\n#   id: ACME-NET-1\n#   severity: medium\n#   targets: [terraform]\n#   controls:\n#     iso27002:2005: [\"10.6.1\"]\n#     iso27002:2022: [\"8.20\"]\n#   remediation: Go through the bastion.\npackage custom.corp\n\nimport rego.v1\n\ndeny contains {\"msg\": sprintf(\"%s admits %s\", [a, c]), \"path\": [\"resources\", a, \"values\", \"ingress\", i, \"cidr_blocks\", j]} if {\n\tsome a, r in input.resources\n\tsome i, rule in r.values.ingress\n\tsome j, c in rule.cidr_blocks\n\tnet.cidr_intersects(c, \"10.16.0.0/12\")\n}\n",
    );
    let (code, out, err) = run(
        dir.path(),
        &[
            "check", ".", "--rules", "policy", "--rule", "ACME-*", "--format", "json",
        ],
    );
    assert_eq!(code, 1, "{err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["findings"][0]["rule_id"], "ACME-NET-1");
    assert_eq!(report["findings"][0]["line"], 6);
}

/// Each rule runs in an engine holding only the modules it reads; every way
/// of reading another module must still find it.
#[test]
fn custom_rules_read_libraries_and_rules_however_they_name_them() {
    let dir = project();
    let flagged = "\"privileged\"";
    write(
        dir.path(),
        "policy/lib/pods.rego",
        &format!(
            "package acme.lib.pods\n\nimport rego.v1\n\nflags contains {flagged} if {{ input.spec.containers[_].securityContext.privileged }}\n"
        ),
    );
    write(
        dir.path(),
        "policy/lib/names.rego",
        "package acme.lib.names\n\nimport rego.v1\n\nkind := input.kind\n",
    );
    // A helper split into a second file of the rule's own package.
    write(
        dir.path(),
        "policy/split_helper.rego",
        "package custom.split\n\nimport rego.v1\n\nis_pod if input.kind == \"Pod\"\n",
    );
    let cases = [
        // The library's package imported whole.
        (
            "A-1",
            "whole",
            "import data.acme.lib.pods\n\ndeny contains {\"msg\": \"m\", \"path\": []} if { \"privileged\" in pods.flags }",
        ),
        // A package above the library's, reached through it.
        (
            "A-2",
            "above",
            "import data.acme.lib\n\ndeny contains {\"msg\": \"m\", \"path\": []} if { \"privileged\" in lib.pods.flags }",
        ),
        // A rule inside the library, named in full.
        (
            "A-3",
            "inside",
            "deny contains {\"msg\": \"m\", \"path\": []} if { data.acme.lib.names.kind == \"Pod\" }",
        ),
        // `data` indexed by a computed key: the scan cannot follow it.
        (
            "A-4",
            "computed",
            "deny contains {\"msg\": \"m\", \"path\": []} if { name := \"names\"; data.acme.lib[name].kind == \"Pod\" }",
        ),
        (
            "A-5",
            "split",
            "deny contains {\"msg\": \"m\", \"path\": []} if { is_pod }",
        ),
    ];
    for (id, pkg, body) in cases {
        write(
            dir.path(),
            &format!("policy/{pkg}.rego"),
            &rule(id, pkg, body),
        );
    }
    let (code, out, err) = run(dir.path(), CUSTOM_RULES_ONLY);
    assert_eq!(code, 1, "{err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    let mut found: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap())
        .collect();
    found.sort();
    assert_eq!(found, ["A-1", "A-2", "A-3", "A-4", "A-5"], "{err}");
}

#[test]
fn custom_rules_replace_built_ins_or_run_alone() {
    let dir = project();
    write(
        dir.path(),
        "policy/mine.rego",
        &rule(
            "CL-K8S-001",
            "mine",
            "deny contains {\"msg\": \"ours\", \"path\": []} if { input.kind == \"Pod\" }",
        ),
    );
    let (code, out, err) = run(
        dir.path(),
        &["check", "pod.yaml", "--rules", "policy", "--format", "json"],
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("custom rule CL-K8S-001 (policy/mine.rego) replaces the built-in rule"),
        "{err}"
    );
    let report: Value = serde_json::from_str(&out).unwrap();
    let ours: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule_id"] == "CL-K8S-001")
        .collect();
    assert_eq!(ours.len(), 1);
    assert_eq!(ours[0]["message"], "ours");
    let (_, out, _) = run(dir.path(), CUSTOM_RULES_ONLY);
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["summary"]["rules"], 1);
}

#[test]
fn clause_test_reports_failures_with_a_diff() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = run(
        dir.path(),
        &[
            "new",
            "rule",
            "--target",
            "ansible",
            "--id",
            "ACME-ANS-001",
            "--control",
            "12.4.1",
            "policy",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let (code, out, _) = run(dir.path(), &["test", "policy"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("fixtures: 2 passed, 0 failed; unit tests: 2 passed, 0 failed"),
        "{out}"
    );

    // A fixture that no longer matches, and a unit test that is false.
    let fail = dir.path().join("policy/fixtures/acme_ans_001/fail.yml");
    let text = std::fs::read_to_string(&fail).unwrap();
    std::fs::write(
        &fail,
        text.replace("ignore_errors: true", "ignore_errors: false"),
    )
    .unwrap();
    let unit = dir.path().join("policy/acme_ans_001_test.rego");
    let text = std::fs::read_to_string(&unit).unwrap();
    std::fs::write(&unit, text.replacen("== 1 with", "== 2 with", 1)).unwrap();
    let (code, out, _) = run(dir.path(), &["test", "policy"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("FAIL ACME-ANS-001 (policy/acme_ans_001.rego)"),
        "{out}"
    );
    assert!(out.contains("- policy/fixtures/acme_ans_001/fail.yml:8 ACME-ANS-001  (marked `# expect: ACME-ANS-001`, not reported)"), "{out}");
    assert!(
        out.contains("FAIL test_ignoring_errors_is_reported (policy/acme_ans_001_test.rego:6)"),
        "{out}"
    );

    // A rule without fixtures fails too.
    std::fs::remove_dir_all(dir.path().join("policy/fixtures")).unwrap();
    let (code, out, _) = run(dir.path(), &["test", "policy"]);
    assert_eq!(code, 1);
    assert!(out.contains("no fixtures"), "{out}");

    // The scaffold refuses to overwrite, and checks the control.
    let (code, _, err) = run(
        dir.path(),
        &[
            "new",
            "rule",
            "--target",
            "ansible",
            "--id",
            "ACME-ANS-001",
            "--control",
            "12.4.1",
            "policy",
        ],
    );
    assert_eq!(code, 2);
    assert!(err.contains("already exists"), "{err}");
    let (code, _, err) = run(
        dir.path(),
        &[
            "new",
            "rule",
            "--target",
            "kubernetes",
            "--id",
            "ACME-K8S-9",
            "--control",
            "99.1",
            "policy",
        ],
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("`99.1` is not an ISO/IEC 27002:2005 control"),
        "{err}"
    );
}

//! `clause report`: counts per control on a fixture tree whose outcomes are
//! known by construction (fixtures/report: four security groups, one per
//! outcome, and two pods), in both editions; the statement of
//! applicability; and the HTML page loaded in headless Chromium.

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use assert_cmd::Command;
use serde_json::Value;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

const RULES: &[&str] = &["CL-AWS-001", "CL-K8S-001", "CL-K8S-012"];

fn report(extra: &[&str]) -> (i32, String) {
    let mut cmd = Command::cargo_bin("clause").unwrap();
    cmd.current_dir(repo()).args(["report", "fixtures/report"]);
    for r in RULES {
        cmd.args(["--rule", r]);
    }
    let out = cmd.args(extra).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).to_string(),
    )
}

fn control<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["controls"].as_array().unwrap())
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no control {id}"))
}

fn counts(examined: u64, passed: u64, failed: u64, suppressed: u64, inconclusive: u64) -> Value {
    serde_json::json!({
        "examined": examined, "passed": passed, "failed": failed,
        "suppressed": suppressed, "inconclusive": inconclusive,
    })
}

#[test]
fn counts_per_control_are_known_by_construction_in_both_editions() {
    let (code, out) = report(&["--format", "json"]);
    assert_eq!(code, 0, "{out}");
    let r: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(r["edition"], "2005");
    assert_eq!(r["scan"]["tool"], "clause");
    assert_eq!(r["scan"]["rule_set_digest"].as_str().unwrap().len(), 64);
    assert_eq!(r["scan"]["paths"], serde_json::json!(["fixtures/report"]));
    assert!(r["scan"]["scan_time"].as_str().unwrap().ends_with('Z'));
    // Every control of the list is there, in its section.
    let all: usize = r["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["controls"].as_array().unwrap().len())
        .sum();
    assert!(all >= 85, "{all}");
    assert_eq!(r["sections"].as_array().unwrap().len(), 11);

    // CL-AWS-001: one open, one private, one suppressed, one unknown group.
    for id in ["11.4.4", "10.6.1"] {
        let c = control(&r, id);
        assert_eq!(c["counts"], counts(4, 1, 1, 1, 1), "{id}");
        assert_eq!(c["status"], "failing");
        assert_eq!(c["failures"].as_array().unwrap().len(), 1);
        assert_eq!(c["failures"][0]["resource"], "aws_security_group.open");
        assert_eq!(
            c["suppressed"][0]["reason"],
            "bastion host, reviewed in SEC-142"
        );
        assert_eq!(c["inconclusive"][0]["resource"], "aws_security_group.admin");
    }
    // CL-K8S-001: one privileged pod of two.
    let c = control(&r, "11.2.2");
    assert_eq!(c["counts"], counts(2, 1, 1, 0, 0));
    assert_eq!(c["status"], "failing");
    // CL-K8S-012: both pinned; passing on Kubernetes, but the scan holds
    // Terraform and no Terraform rule for 12.4.1 ran: partly evidenced.
    let c = control(&r, "12.4.1");
    assert_eq!(c["counts"], counts(2, 2, 0, 0, 0));
    assert_eq!(c["status"], "partial");
    assert_eq!(c["formats_without_rule"], serde_json::json!(["terraform"]));
    // No rule ran for encryption; the policy document is organisational.
    assert_eq!(control(&r, "12.3.1")["status"], "no_rule");
    assert_eq!(control(&r, "5.1.1")["status"], "organisational");

    let (_, out) = report(&["--format", "json", "--edition", "2022"]);
    let r: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(r["edition"], "2022");
    let titles: Vec<&str> = r["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "Organizational controls",
            "People controls",
            "Physical controls",
            "Technological controls"
        ]
    );
    // 10.6.1 and 11.4.4 both map to 8.20: the same four groups, once each.
    let c = control(&r, "8.20");
    assert_eq!(c["counts"], counts(4, 1, 1, 1, 1));
    let from: Vec<&str> = c["counterparts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert!(
        from.contains(&"10.6.1") && from.contains(&"11.4.4"),
        "{from:?}"
    );
    assert_eq!(control(&r, "8.2")["counts"], counts(2, 1, 1, 0, 0));
    assert_eq!(control(&r, "8.19")["counts"], counts(2, 2, 0, 0, 0));
}

#[test]
fn markdown_and_the_statement_of_applicability() {
    let (_, md) = report(&["--format", "markdown"]);
    for heading in [
        "## 5 Security policy",
        "## 10 Communications and operations management",
        "## 11 Access control",
        "## 15 Compliance",
    ] {
        assert!(md.contains(heading), "{heading}");
    }
    assert!(md.contains("| **11.4.4** Remote diagnostic and configuration port protection (8.20) | failing | 4 | 1 | 1 | 1 | 1 | CL-AWS-001 |"), "{md}");
    assert!(md.contains("(reason: bastion host, reviewed in SEC-142)"));

    let (_, csv) = report(&["--format", "soa"]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "control_2005");
    assert_eq!(&headers[3], "evidence");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert!(rows.len() >= 85);
    let row = |id: &str| rows.iter().find(|r| &r[0] == id).unwrap().clone();
    assert_eq!(&row("11.4.4")[3], "evidenced by clause");
    assert_eq!(&row("11.4.4")[4], "CL-AWS-001");
    assert_eq!(&row("5.1.1")[3], "manual");
    assert_eq!(&row("12.3.1")[3], "manual");
}

#[test]
fn check_prints_a_per_control_summary() {
    let mut cmd = Command::cargo_bin("clause").unwrap();
    cmd.current_dir(repo()).args([
        "check",
        "fixtures/report",
        "--summary",
        "controls",
        "--no-color",
    ]);
    for r in RULES {
        cmd.args(["--rule", r]);
    }
    let out = cmd.output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Controls evidenced in this run (ISO/IEC 27002:2005):"),
        "{text}"
    );
    assert!(
        text.contains(
            "  11.4.4   failing     4 examined    1 passed    1 failed  Remote diagnostic"
        ),
        "{text}"
    );
    assert!(
        text.contains("  12.4.1   partial     2 examined    2 passed    0 failed"),
        "{text}"
    );
}

fn browser() -> Option<String> {
    [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ]
    .into_iter()
    .find(|b| {
        Process::new(b)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
    .map(str::to_string)
}

fn headless(browser: &str, page: &Path, extra: &[&str]) -> std::process::Output {
    Process::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("the browser runs")
}

#[test]
fn the_html_report_loads_in_a_browser_and_shows_every_section() {
    let Some(browser) = browser() else {
        assert!(
            std::env::var_os("CLAUSE_REQUIRE_CHROMIUM").is_none(),
            "headless Chromium is required here (apt-get install chromium)"
        );
        eprintln!("skipped: no Chromium on this machine (apt-get install chromium)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    let out = Command::cargo_bin("clause")
        .unwrap()
        .current_dir(repo())
        .args([
            "report",
            "fixtures/report",
            "examples",
            "--format",
            "html",
            "-o",
        ])
        .arg(&page)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(&page).unwrap();
    // Self-contained: nothing is fetched from anywhere.
    for needle in ["src=\"http", "href=\"http", "@import", "url(http"] {
        assert!(!html.contains(needle), "the page loads {needle}");
    }

    let out = headless(&browser, &page, &["--dump-dom"]);
    let dom = String::from_utf8_lossy(&out.stdout);
    let log = String::from_utf8_lossy(&out.stderr);
    // The inline script ran to its end (it counts the sections it sees).
    assert!(
        dom.contains("data-ready=\"11\""),
        "script did not finish:\n{log}"
    );
    for section in ["5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15"] {
        assert!(
            dom.contains(&format!("id=\"s-{section}\"")),
            "section {section} missing"
        );
    }
    for error in [
        "Uncaught",
        "Refused to",
        "ERROR:CONSOLE",
        "Failed to load resource",
    ] {
        assert!(!log.contains(error), "browser reported {error}:\n{log}");
    }
    assert!(dom.contains("id=\"c-11-4-4\""));

    let shot = dir.path().join("shot.png");
    let out = headless(
        &browser,
        &page,
        &[
            "--hide-scrollbars",
            "--window-size=1280,1600",
            &format!("--screenshot={}", shot.display()),
        ],
    );
    assert!(out.status.success());
    assert!(std::fs::metadata(&shot).is_ok_and(|m| m.len() > 10_000));
}

/// A module that two root modules call is examined under each, so a
/// resource failing in it fails under each, although its finding is listed
/// once: counting the second copy as a pass would show half the databases
/// as backed up.
#[test]
fn a_module_called_by_two_roots_fails_under_each() {
    let dir = tempfile::tempdir().unwrap();
    let module = dir.path().join("modules/db");
    std::fs::create_dir_all(&module).unwrap();
    std::fs::write(
        module.join("main.tf"),
        "resource \"aws_db_instance\" \"orders\" {\n  engine = \"postgres\"\n  backup_retention_period = 0\n}\n",
    )
    .unwrap();
    for root in ["prod", "stage"] {
        let root = dir.path().join("live").join(root);
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(
            root.join("main.tf"),
            "module \"db\" {\n  source = \"../../modules/db\"\n}\n",
        )
        .unwrap();
    }
    let out = Command::cargo_bin("clause")
        .unwrap()
        .arg("report")
        .arg(dir.path())
        .args(["--no-config", "--rule", "CL-AWS-019", "--format", "json"])
        .output()
        .unwrap();
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    let c = control(&r, "10.5.1");
    assert_eq!(c["counts"], counts(2, 0, 2, 0, 0));
    assert_eq!(c["failures"].as_array().unwrap().len(), 1);
}

/// Findings past `findings_in_memory` wait on disk, and each control's
/// listing of them waits in a temporary buffer: the report must list the
/// same failures, in the same order, as one that held them all in memory.
#[test]
fn failures_read_back_from_disk_are_listed_as_from_memory() {
    let dir = tempfile::tempdir().unwrap();
    let tight = dir.path().join("tight.toml");
    std::fs::write(&tight, "[limits]\nfindings_in_memory = 1\n").unwrap();
    let masked = |extra: &[&str]| {
        let out = Command::cargo_bin("clause")
            .unwrap()
            .current_dir(repo())
            .args(["report", "examples"])
            .args(extra)
            .output()
            .unwrap();
        let mut r: Value = serde_json::from_slice(&out.stdout).unwrap();
        r["scan"]["scan_time"] = Value::Null;
        r
    };
    let in_memory = masked(&["--no-config", "--format", "json"]);
    let on_disk = masked(&["--config", tight.to_str().unwrap(), "--format", "json"]);
    let listed: usize = in_memory["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["controls"].as_array().unwrap())
        .map(|c| c["failures"].as_array().unwrap().len())
        .sum();
    assert!(listed > 20, "{listed}");
    assert_eq!(on_disk, in_memory);
}

/// Without a writable temporary folder, the lists of failures stay in
/// memory: the report is the same, not an error.
#[test]
fn no_temporary_folder_keeps_the_lists_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let pods: String = (0..200)
        .map(|n| {
            format!(
                "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: pod-{n}\nspec:\n  containers:\n    - name: app\n      image: nginx\n      securityContext:\n        privileged: true\n"
            )
        })
        .collect();
    std::fs::write(dir.path().join("pods.yaml"), pods).unwrap();
    let report = |tmp: Option<&str>| {
        let mut cmd = Command::cargo_bin("clause").unwrap();
        cmd.arg("report").arg(dir.path()).args(["--no-config"]);
        if let Some(tmp) = tmp {
            cmd.env("TMPDIR", tmp);
        }
        let out = cmd.output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        let time = text.find(" on ").unwrap();
        let end = time + text[time..].find(" with ").unwrap();
        format!("{}{}", &text[..time], &text[end..])
    };
    let with_files = report(None);
    // One control's list is well past the 64 KB a buffer holds in memory.
    assert_eq!(with_files.matches("- **fails** CL-K8S-001").count(), 200);
    assert!(with_files.len() > 200 * 1024, "{}", with_files.len());
    assert_eq!(report(Some("/nonexistent/clause-tmp")), with_files);
}

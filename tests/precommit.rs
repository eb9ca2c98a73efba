//! The pre-commit hook, run by the real pre-commit framework against a
//! throwaway repository: it fails on a staged violation, passes once the
//! file is fixed, and judges only the staged files while still reading
//! their whole Terraform module.
//!
//! `.ci/run` installs pre-commit from PyPI and sets CLAUSE_REQUIRE_PRE_COMMIT
//! so the test cannot silently skip there; elsewhere it skips with a note
//! when pre-commit is not installed.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn pre_commit_available() -> bool {
    Command::new("pre-commit")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Our published hook, pointed at the binary under test: pre-commit would
/// otherwise build clause from a git URL with cargo.
fn local_config(binary: &Path) -> String {
    let hooks = std::fs::read_to_string(repo().join(".pre-commit-hooks.yaml")).unwrap();
    let field = |name: &str| -> String {
        hooks
            .lines()
            .find_map(|l| l.trim().strip_prefix(&format!("{name}: ")))
            .unwrap_or_else(|| panic!("hook has no {name}"))
            .to_string()
    };
    let entry = field("entry");
    let args = entry.strip_prefix("clause").expect("entry runs clause");
    format!(
        "repos:\n  - repo: local\n    hooks:\n      - id: {}\n        name: {}\n        entry: '{}{}'\n        language: system\n        files: '{}'\n        pass_filenames: {}\n        require_serial: {}\n",
        field("- id"),
        field("name"),
        binary.display(),
        args,
        field("files"),
        field("pass_filenames"),
        field("require_serial"),
    )
}

fn pre_commit(dir: &Path, home: &Path) -> (bool, String) {
    let out = Command::new("pre-commit")
        .current_dir(dir)
        .args(["run", "--color", "never"])
        .env("PRE_COMMIT_HOME", home)
        .env("NO_COLOR", "1")
        .output()
        .expect("pre-commit runs");
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

const OPEN_SSH: &str = "resource \"aws_security_group\" \"ssh\" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = \"tcp\"\n    cidr_blocks = var.admin_cidrs\n  }\n}\n";

#[test]
fn the_hook_fails_on_a_staged_violation_and_passes_on_the_fix() {
    if !pre_commit_available() {
        assert!(
            std::env::var_os("CLAUSE_REQUIRE_PRE_COMMIT").is_none(),
            "pre-commit is required here (pip install pre-commit)"
        );
        eprintln!("skipped: pre-commit is not installed (pip install pre-commit)");
        return;
    }
    let binary = PathBuf::from(env!("CARGO_BIN_EXE_clause"));
    let dir = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q", "-b", "main"]);
    write(root, ".pre-commit-config.yaml", &local_config(&binary));
    // The repository's own settings pin the rules this test is about, so
    // rules added to the library later do not change its outcome.
    write(
        root,
        ".clause.toml",
        "[rules]\nenable = [\"CL-AWS-001\", \"CL-AWS-002\", \"CL-K8S-001\"]\n",
    );

    // Already committed, and violating: not this commit's business.
    write(
        root,
        "net/db.tf",
        "resource \"aws_security_group\" \"db\" {\n  ingress {\n    from_port   = 5432\n    to_port     = 5432\n    protocol    = \"tcp\"\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n}\n",
    );
    write(
        root,
        "net/variables.tf",
        "variable \"admin_cidrs\" {\n  type    = list(string)\n  default = [\"0.0.0.0/0\"]\n}\n",
    );
    git(root, &["add", "."]);
    git(root, &["commit", "-q", "--no-verify", "-m", "base"]);

    // Staged: an SSH rule whose open range comes from the committed
    // variables.tf, and a privileged pod.
    write(root, "net/ssh.tf", OPEN_SSH);
    write(
        root,
        "deploy/pod.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: busybox:1.36\n      securityContext:\n        privileged: true\n        allowPrivilegeEscalation: false\n        runAsNonRoot: true\n        readOnlyRootFilesystem: true\n        seccompProfile:\n          type: RuntimeDefault\n      resources:\n        limits:\n          memory: 64Mi\n",
    );
    git(root, &["add", "net/ssh.tf", "deploy/pod.yaml"]);
    let (passed, output) = pre_commit(root, home.path());
    assert!(!passed, "the hook must fail:\n{output}");
    assert!(output.contains("CL-AWS-001"), "{output}");
    assert!(output.contains("net/ssh.tf"), "{output}");
    assert!(output.contains("CL-K8S-001"), "{output}");
    // db.tf was not staged: its finding is not reported.
    assert!(!output.contains("CL-AWS-002"), "{output}");

    // Fix both and stage the fixes.
    write(
        root,
        "net/ssh.tf",
        &OPEN_SSH.replace("var.admin_cidrs", "[\"10.20.0.0/16\"]"),
    );
    let pod = std::fs::read_to_string(root.join("deploy/pod.yaml")).unwrap();
    write(
        root,
        "deploy/pod.yaml",
        &pod.replace("privileged: true", "privileged: false"),
    );
    git(root, &["add", "net/ssh.tf", "deploy/pod.yaml"]);
    let (passed, output) = pre_commit(root, home.path());
    assert!(passed, "the hook must pass after the fix:\n{output}");
}

//! What users see, pinned: the rendered diagnostics of the bundled example
//! and of a file with a syntax error, and a rule explanation. Review changes
//! with `cargo insta review` (or `INSTA_UPDATE=always cargo test`).

use assert_cmd::Command;

fn run(args: &[&str], dir: &std::path::Path) -> String {
    let out = Command::cargo_bin("clause")
        .expect("binary builds")
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .args(args)
        .output()
        .expect("clause runs");
    format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn repo() -> &'static std::path::Path {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_bundled_example() {
    insta::assert_snapshot!(run(&["check", "examples/", "--no-color"], repo()));
}

#[test]
fn a_kubernetes_fixture() {
    insta::assert_snapshot!(run(
        &[
            "check",
            "fixtures/kubernetes/privileged_container/fail.yaml",
            "--no-color"
        ],
        repo()
    ));
}

#[test]
fn syntax_errors_in_each_format() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(dir.path().join("tf")).expect("folder");
    std::fs::write(
        dir.path().join("tf/main.tf"),
        "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x\"\n  tags = {\n    team = [\"a\", \"b\"\n  }\n}\n",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("deploy.yaml"),
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels: {app: web\nspec: {}\n",
    )
    .expect("write");
    std::fs::create_dir_all(dir.path().join("roles/x/tasks")).expect("folder");
    std::fs::write(
        dir.path().join("roles/x/tasks/main.yml"),
        "- name: ok\n  ping:\n - name: misaligned\n  ping:\n",
    )
    .expect("write");
    insta::assert_snapshot!(run(&["check", "--no-color"], dir.path()));
}

#[test]
fn explaining_a_rule() {
    insta::assert_snapshot!(run(&["explain", "CL-AWS-001"], repo()));
}

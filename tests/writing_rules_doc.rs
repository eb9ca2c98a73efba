//! docs/writing-rules.md is run as written: its files (fenced blocks with
//! `file=PATH`) are created in a fresh folder, in order, and each `clause`
//! command in its `sh` blocks must exit with the code its `# exit N`
//! comment states. A page that drifts from the tool fails here.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

enum Step {
    File {
        path: String,
        text: String,
    },
    Run {
        args: Vec<String>,
        exit: i32,
        line: usize,
    },
}

fn steps(doc: &str) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut lines = doc.lines().enumerate();
    while let Some((_, line)) = lines.next() {
        let Some(info) = line.strip_prefix("```") else {
            continue;
        };
        let info = info.trim();
        let mut body = Vec::new();
        for (number, inner) in lines.by_ref() {
            if inner.starts_with("```") {
                break;
            }
            body.push((number + 1, inner));
        }
        if let Some(path) = info
            .split_whitespace()
            .find_map(|w| w.strip_prefix("file="))
        {
            let mut text = body.iter().map(|(_, l)| *l).collect::<Vec<_>>().join("\n");
            text.push('\n');
            steps.push(Step::File {
                path: path.to_string(),
                text,
            });
        } else if info == "sh" {
            for (number, command) in body {
                let Some(rest) = command.trim().strip_prefix("clause ") else {
                    continue;
                };
                let (command, exit) = match rest.split_once("# exit ") {
                    Some((c, e)) => (c, e.trim().parse().expect("exit code")),
                    None => (rest, 0),
                };
                steps.push(Step::Run {
                    args: command.split_whitespace().map(str::to_string).collect(),
                    exit,
                    line: number,
                });
            }
        }
    }
    steps
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn write(root: &Path, path: &str, text: &str) {
    let target = root.join(path);
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    std::fs::write(target, text).unwrap();
}

#[test]
fn every_command_in_the_rule_writing_guide_works_as_shown() {
    let doc = std::fs::read_to_string(repo().join("docs/writing-rules.md")).unwrap();
    let steps = steps(&doc);
    let dir = tempfile::tempdir().unwrap();
    let mut commands = 0;
    let mut scaffolded = false;
    for step in steps {
        match step {
            Step::File { path, text } => {
                // The guide shows the scaffold's files after editing them:
                // they must exist (the scaffold wrote them) before being
                // replaced.
                if scaffolded && path.starts_with("policy/approved_registry") {
                    assert!(
                        dir.path().join(&path).exists(),
                        "the scaffold did not write {path}"
                    );
                }
                write(dir.path(), &path, &text);
            }
            Step::Run { args, exit, line } => {
                commands += 1;
                let out = Command::cargo_bin("clause")
                    .unwrap()
                    .current_dir(dir.path())
                    .env("NO_COLOR", "1")
                    .args(&args)
                    .output()
                    .unwrap();
                assert_eq!(
                    out.status.code(),
                    Some(exit),
                    "docs/writing-rules.md:{line}: `clause {}` exited {:?}\nstdout:\n{}\nstderr:\n{}",
                    args.join(" "),
                    out.status.code(),
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                );
                let stdout = String::from_utf8_lossy(&out.stdout);
                // What the guide quotes is what the commands print.
                if args.first().map(String::as_str) == Some("inspect") {
                    assert!(stdout.contains("[\"spec\",\"template\",\"spec\",\"containers\",0,\"image\"]  \"docker.io/library/nginx:1.27\"  deploy/web.yaml:10:18"), "{stdout}");
                }
                if args.first().map(String::as_str) == Some("new") {
                    scaffolded = true;
                }
                if args == ["check", "deploy/", "--rules", "policy"] {
                    assert!(
                        stdout.contains("ACME-K8S-001 [high] Image from an unapproved registry"),
                        "{stdout}"
                    );
                    assert!(stdout.contains("[deploy/web.yaml:10:18]"), "{stdout}");
                }
                if args.first().map(String::as_str) == Some("test")
                    && args.contains(&"--coverage".to_string())
                {
                    assert!(
                        stdout.contains(
                            "fixtures: 3 passed, 0 failed; unit tests: 2 passed, 0 failed"
                        ),
                        "{stdout}"
                    );
                }
            }
        }
    }
    assert!(commands >= 8, "the guide's commands were not found");
    assert!(dir.path().join("clause.sarif").exists());
    assert!(dir.path().join("findings.json").exists());
}

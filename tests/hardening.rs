//! Hostile and unusual input: each gives a clear diagnostic naming its file
//! within bounded time and memory, never a panic, and the findings of the
//! files beside it are all still reported. The fixtures live in
//! `fixtures/hardening/`; the large ones are generated here, into a
//! temporary folder, so they are never committed.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// Generous for a debug build. CPU time rather than wall time, so a machine
/// busy with other work (the other tests, a benchmark) does not fail a run
/// that stayed within its work; a run that hangs without working is killed
/// after five minutes of wall time.
const CPU_LIMIT: Duration = Duration::from_secs(20);
/// Peak resident memory a run on one adversarial file may reach.
const MEMORY_LIMIT_KIB: u64 = 1024 * 1024;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> PathBuf {
    repo().join("fixtures/hardening").join(name)
}

fn write(dir: &Path, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create folder");
    }
    std::fs::write(&path, content).expect("write file");
    path
}

/// Copies a fixture from `fixtures/hardening/` into the run's folder.
fn copy(dir: &Path, fixture_name: &str, as_name: &str) {
    let bytes = std::fs::read(fixture(fixture_name)).expect("fixture exists");
    write(dir, as_name, bytes);
}

/// A file each run carries beside the hostile one, with a known finding.
const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: debug\nspec:\n  containers:\n    - name: shell\n      image: busybox:1.36\n      securityContext:\n        privileged: true\n";

/// SSH open to the internet: CL-AWS-001 at line 8, column 20.
const SECURITY_GROUP: &str = "resource \"aws_security_group\" \"bastion\" {\n  name = \"bastion\"\n\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = \"tcp\"\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n}\n";

struct Run {
    code: i32,
    json: Value,
    stderr: String,
    wall: Duration,
    /// User and system time of the process, where the system tells it.
    cpu: Option<Duration>,
    /// Peak resident set of the process, where the system tells it.
    peak_kib: Option<u64>,
}

impl Run {
    /// Whether the run stayed within `limit` of work: CPU time where the
    /// system tells it, else wall time.
    fn within(&self, limit: Duration) -> bool {
        self.cpu.unwrap_or(self.wall) < limit
    }
}

/// The user and system time a running (or exited, not yet reaped) process
/// has used (Linux, in the kernel's 100 ticks a second).
fn cpu_time(pid: u32) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name, which may hold spaces: the state is
    // the first, utime and stime the 12th and 13th.
    let fields: Vec<&str> = stat
        .get(stat.rfind(')')? + 1..)?
        .split_whitespace()
        .collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

/// The peak resident set of a running process (Linux).
fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs `clause check <args> --format json --no-config` in `dir`, watching
/// its memory while it runs.
fn check_in(dir: &Path, args: &[&str]) -> Run {
    check_with(dir, args, &[])
}

fn check_with(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_clause"));
    command
        .current_dir(dir)
        .arg("check")
        .args(args)
        .args(["--format", "json"])
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if !args.contains(&"--config") {
        command.arg("--no-config");
    }
    for (k, v) in env {
        command.env(k, v);
    }
    let started = Instant::now();
    let mut child = command.spawn().expect("clause starts");
    let pid = child.id();
    let mut stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let out = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stdout.read_to_end(&mut buf);
        buf
    });
    let err = std::thread::spawn(move || {
        let mut buf = String::new();
        let _ = stderr.read_to_string(&mut buf);
        buf
    });
    let mut peak_kib = None;
    let mut cpu = None;
    let status = loop {
        if let Some(kib) = peak_rss_kib(pid) {
            peak_kib = Some(peak_kib.unwrap_or(0).max(kib));
        }
        if let Some(used) = cpu_time(pid) {
            cpu = Some(used);
        }
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > Duration::from_secs(300) {
            let _ = child.kill();
            panic!("clause check {args:?} did not finish in 5 minutes");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let wall = started.elapsed();
    let stdout = out.join().expect("stdout thread");
    let stderr = err.join().expect("stderr thread");
    let json = serde_json::from_slice(&stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}); stderr:\n{stderr}\nstdout:\n{}",
            String::from_utf8_lossy(&stdout)
        )
    });
    Run {
        code: status.code().unwrap_or(-1),
        json,
        stderr,
        wall,
        cpu,
        peak_kib,
    }
}

impl Run {
    fn errors(&self) -> Vec<(String, u64, u64, String)> {
        self.json["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .map(|e| {
                (
                    e["file"].as_str().unwrap_or_default().to_string(),
                    e["line"].as_u64().unwrap_or_default(),
                    e["column"].as_u64().unwrap_or_default(),
                    e["message"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect()
    }

    /// The one error about `file`, which must mention `says`.
    fn error_for(&self, file: &str, says: &str) -> (u64, u64, String) {
        let errors = self.errors();
        let found: Vec<_> = errors.iter().filter(|e| e.0 == file).collect();
        assert_eq!(found.len(), 1, "one error for {file}: {errors:#?}");
        let (_, line, column, message) = found[0].clone();
        assert!(
            message.contains(says),
            "the error for {file} says `{says}`: {message}"
        );
        (line, column, message)
    }

    fn findings(&self) -> Vec<(String, String, u64, u64)> {
        self.json["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .map(|f| {
                (
                    f["rule_id"].as_str().unwrap_or_default().to_string(),
                    f["file"].as_str().unwrap_or_default().to_string(),
                    f["line"].as_u64().unwrap_or_default(),
                    f["column"].as_u64().unwrap_or_default(),
                )
            })
            .collect()
    }

    fn has_finding(&self, rule: &str, file: &str, line: u64, column: u64) {
        let findings = self.findings();
        assert!(
            findings.contains(&(rule.to_string(), file.to_string(), line, column)),
            "{rule} at {file}:{line}:{column} among {findings:#?}\nerrors: {:#?}",
            self.errors()
        );
    }

    /// No panic, within time and memory, and the exit code a run with
    /// findings (1) or errors (2) gives.
    fn bounded(&self, expected_code: i32) {
        assert!(
            !self.stderr.contains("panicked") && !self.stderr.contains("overflow"),
            "{}",
            self.stderr
        );
        assert_eq!(self.code, expected_code, "stderr: {}", self.stderr);
        assert!(
            self.within(CPU_LIMIT),
            "took {:?} ({:?} CPU)",
            self.wall,
            self.cpu
        );
        if let Some(kib) = self.peak_kib {
            assert!(kib < MEMORY_LIMIT_KIB, "peak memory {kib} KiB");
        }
        eprintln!(
            "wall {:?}, CPU {:?}, peak {} KiB",
            self.wall,
            self.cpu,
            self.peak_kib.map_or("?".into(), |k| k.to_string())
        );
    }
}

/// A folder holding the privileged pod and the open security group.
/// Adds `--output FORMAT=DIR/STEM.FORMAT` for each format.
fn write_each_format(command: &mut Command, dir: &Path, stem: &str, formats: &[&str]) {
    for format in formats {
        let file = dir.join(format!("{stem}.{format}"));
        command
            .arg("--output")
            .arg(format!("{format}={}", file.display()));
    }
}

fn with_companions() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "pod.yaml", POD);
    write(dir.path(), "tf/sg.tf", SECURITY_GROUP);
    dir
}

fn companions_reported(run: &Run) {
    run.has_finding("CL-K8S-001", "pod.yaml", 10, 21);
    run.has_finding("CL-AWS-001", "tf/sg.tf", 8, 20);
}

#[test]
fn a_yaml_alias_bomb_is_refused() {
    let dir = with_companions();
    copy(dir.path(), "billion-laughs.yaml", "bomb.yaml");
    // Few nodes, much text: one megabyte aliased ten thousand times.
    let aliases = vec!["*big"; 10_000].join(", ");
    write(
        dir.path(),
        "strings.yaml",
        format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: strings\ndata:\n  big: &big {}\n  copies: [{aliases}]\n",
            "x".repeat(1024 * 1024)
        ),
    );
    let run = check_in(dir.path(), &["."]);
    run.bounded(2);
    run.error_for("bomb.yaml", "a YAML alias bomb?");
    run.error_for("strings.yaml", "a YAML alias bomb?");
    companions_reported(&run);
}

#[test]
fn ten_thousand_levels_of_nesting_are_refused_in_every_syntax() {
    let dir = with_companions();
    let deep = 10_000;
    let flow = format!("{}{}", "[".repeat(deep), "]".repeat(deep));
    write(
        dir.path(),
        "flow.yaml",
        format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata: {flow}\n"),
    );
    write(
        dir.path(),
        "block.yaml",
        format!(
            "apiVersion: v1\nkind: List\nitems:\n{}x\n",
            "- ".repeat(deep)
        ),
    );
    write(
        dir.path(),
        "deep/main.tf",
        format!("locals {{\n  x = {flow}\n}}\n"),
    );
    write(
        dir.path(),
        "blocks/main.tf",
        format!(
            "resource \"aws_s3_bucket\" \"b\" {{\n{}{}}}\n",
            "a {\n".repeat(deep),
            "}\n".repeat(deep)
        ),
    );
    write(
        dir.path(),
        "json/main.tf.json",
        format!("{{\"locals\": {{\"x\": {flow}}}}}\n"),
    );
    write(
        dir.path(),
        "plan/plan.json",
        format!(
            "{{\"format_version\": \"1.2\", \"terraform_version\": \"1.9.0\", \"planned_values\": {flow}}}\n"
        ),
    );
    let run = check_in(dir.path(), &["."]);
    run.bounded(2);
    // The YAML scanner counts `[` in a byte: past 255 it stops first.
    assert_eq!(
        run.error_for("flow.yaml", "nesting deeper than 255 levels"),
        (
            5,
            262,
            "YAML syntax error: nesting deeper than 255 levels of `[` and `{` (the most YAML allows); refusing to read further".into()
        )
    );
    run.error_for("block.yaml", "nesting deeper than 200 levels");
    run.error_for("deep/main.tf", "nested levels");
    run.error_for("blocks/main.tf", "nested levels");
    run.error_for("json/main.tf.json", "nesting deeper than 255 levels");
    run.error_for("plan/plan.json", "nesting deeper than 255 levels");
    companions_reported(&run);
}

#[test]
fn nesting_just_inside_the_limit_is_read_and_checked() {
    // 199 levels of sequences under a manifest's root mapping: every stage
    // after parsing (spans, rules, reports) recurses over them.
    let dir = with_companions();
    write(
        dir.path(),
        "deep.yaml",
        format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata: {}{}\n",
            "[".repeat(199),
            "]".repeat(199)
        ),
    );
    let run = check_in(dir.path(), &["."]);
    run.bounded(1);
    assert!(run.errors().is_empty(), "{:#?}", run.errors());
    companions_reported(&run);
}

#[test]
fn a_fifty_megabyte_file_is_not_read() {
    let dir = with_companions();
    let line = "# generated padding, far larger than any real module\n";
    let big = line.repeat(50 * 1024 * 1024 / line.len() + 1);
    write(dir.path(), "tf/huge.tf", &big);
    write(dir.path(), "huge.yaml", &big);
    let run = check_in(dir.path(), &["."]);
    run.bounded(2);
    let size = big.len();
    run.error_for(
        "tf/huge.tf",
        &format!("file is {size} bytes, over the 20971520-byte limit"),
    );
    run.error_for("huge.yaml", "over the 20971520-byte limit");
    // The module's other file is still evaluated.
    companions_reported(&run);
}

#[test]
fn invalid_utf8_is_located() {
    let dir = with_companions();
    copy(dir.path(), "invalid-utf8.tf", "tf/latin1.tf");
    copy(dir.path(), "invalid-utf8.yaml", "latin1.yaml");
    let run = check_in(dir.path(), &["."]);
    run.bounded(2);
    assert_eq!(
        run.error_for("tf/latin1.tf", "not valid UTF-8"),
        (
            4,
            13,
            "not valid UTF-8 text (invalid byte at offset 82)".into()
        )
    );
    run.error_for("latin1.yaml", "not valid UTF-8");
    companions_reported(&run);
}

#[test]
fn a_binary_file_named_tf_is_not_read() {
    let dir = with_companions();
    copy(dir.path(), "binary.tf", "tf/terraform.tf");
    // Random bytes without a NUL: not UTF-8 either.
    let noise: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8 | 0x80)
        .collect();
    write(dir.path(), "tf/noise.tf", noise);
    let run = check_in(dir.path(), &["."]);
    run.bounded(2);
    run.error_for("tf/terraform.tf", "binary file (contains NUL bytes)");
    run.error_for("tf/noise.tf", "not valid UTF-8");
    companions_reported(&run);
}

#[cfg(unix)]
#[test]
fn symlink_loops_end_the_walk_and_are_named() {
    use std::os::unix::fs::symlink;
    let dir = with_companions();
    // A folder that links back to its parent, two files that link to each
    // other, and a link to itself.
    symlink("..", dir.path().join("tf/parent")).expect("symlink");
    symlink("b.yaml", dir.path().join("a.yaml")).expect("symlink");
    symlink("a.yaml", dir.path().join("b.yaml")).expect("symlink");
    symlink("self.tf", dir.path().join("tf/self.tf")).expect("symlink");
    let run = check_in(dir.path(), &[".", "--debug"]);
    run.bounded(2);
    run.error_for("a.yaml", "cannot read");
    run.error_for("b.yaml", "cannot read");
    run.error_for("tf/self.tf", "cannot read");
    assert!(
        run.stderr
            .contains("skipped: tf/parent: symbolic link to a folder (not followed)"),
        "{}",
        run.stderr
    );
    companions_reported(&run);
    // Named on the command line, a looping link says why it cannot be read.
    let run = check_in(dir.path(), &["a.yaml", "pod.yaml"]);
    run.bounded(2);
    run.error_for("a.yaml", "cannot read");
    run.has_finding("CL-K8S-001", "pod.yaml", 10, 21);
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_is_named() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = with_companions();
    let locked = write(dir.path(), "tf/locked.tf", SECURITY_GROUP);
    let locked_yaml = write(dir.path(), "locked.yaml", POD);
    let locked_dir = dir.path().join("sealed");
    write(dir.path(), "sealed/pod.yaml", POD);
    for path in [&locked, &locked_yaml, &locked_dir] {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    }
    // Root (and CAP_DAC_OVERRIDE) reads anything: permissions do not apply.
    let permissions_apply = std::fs::read(&locked).is_err();
    let run = check_in(dir.path(), &["."]);
    for path in [&locked, &locked_yaml, &locked_dir] {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    companions_reported(&run);
    if !permissions_apply {
        eprintln!("running as root: permissions do not apply, only the companions are checked");
        run.bounded(1);
        return;
    }
    run.bounded(2);
    run.error_for("tf/locked.tf", "cannot read: Permission denied");
    run.error_for("locked.yaml", "cannot read: Permission denied");
    run.error_for("sealed", "Permission denied");
}

#[test]
fn empty_and_comment_only_files_are_quietly_nothing() {
    let dir = with_companions();
    write(dir.path(), "empty.yaml", "");
    write(dir.path(), "tf/empty.tf", "");
    write(dir.path(), "only-empty/main.tf", "");
    write(dir.path(), "roles/web/tasks/main.yml", "");
    copy(dir.path(), "comments-only.tf", "comments/main.tf");
    copy(dir.path(), "comments-only.yaml", "comments.yaml");
    write(dir.path(), "empty.json", "");
    let run = check_in(dir.path(), &["."]);
    run.bounded(1);
    assert!(run.errors().is_empty(), "{:#?}", run.errors());
    companions_reported(&run);
    let findings = run.findings();
    assert!(
        findings
            .iter()
            .all(|f| f.1 == "pod.yaml" || f.1 == "tf/sg.tf"),
        "{findings:#?}"
    );
}

#[test]
fn crlf_and_tabs_keep_columns_right() {
    let dir = tempfile::tempdir().expect("temp dir");
    copy(dir.path(), "crlf.tf", "crlf/main.tf");
    copy(dir.path(), "tabs.tf", "tabs/main.tf");
    copy(dir.path(), "crlf-pod.yaml", "crlf-pod.yaml");
    copy(dir.path(), "tab-in-flow-pod.yaml", "tab-pod.yaml");
    copy(dir.path(), "crlf-playbook.yml", "crlf-playbook.yml");
    copy(dir.path(), "tab-indented.yaml", "tab-indented.yaml");
    let run = check_in(dir.path(), &["."]);
    run.bounded(2);
    // `cidr_blocks = ["0.0.0.0/0"]` after four spaces; after two tabs
    // (a tab is one column, as every editor's "column" counts characters).
    run.has_finding("CL-AWS-001", "crlf/main.tf", 8, 20);
    run.has_finding("CL-AWS-001", "tabs/main.tf", 8, 18);
    run.has_finding("CL-K8S-001", "crlf-pod.yaml", 10, 21);
    // `securityContext: {<tab>privileged: true}`: the tab is one column.
    // (A tab right after `privileged:` is a syntax error to PyYAML and
    // saphyr alike.)
    run.has_finding("CL-K8S-001", "tab-pod.yaml", 9, 38);
    run.has_finding("CL-ANS-003", "crlf-playbook.yml", 6, 15);
    // YAML forbids tabs in indentation: a syntax error on the tab's line.
    let (line, _, _) = run.error_for("tab-indented.yaml", "YAML syntax error");
    assert_eq!(line, 4);
    // No finding's end runs into the `\r` of its line.
    for finding in run.json["findings"].as_array().expect("findings") {
        let file = finding["file"].as_str().unwrap_or_default();
        let text = std::fs::read_to_string(dir.path().join(file)).expect("read");
        let line = text
            .split('\n')
            .nth(finding["end_line"].as_u64().unwrap_or(1) as usize - 1)
            .unwrap_or("");
        let end = finding["end_column"].as_u64().unwrap_or(1) as usize;
        assert!(
            end <= line.trim_end_matches('\r').chars().count() + 1,
            "{finding}"
        );
    }
}

#[test]
fn a_terraform_file_with_a_one_megabyte_heredoc_is_checked() {
    let dir = with_companions();
    let policy_line = "    {\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::bucket/*\"},\n";
    let lines = 1024 * 1024 / policy_line.len() + 1;
    let heredoc = format!(
        "resource \"aws_iam_policy\" \"big\" {{\n  name   = \"big\"\n  policy = <<EOT\n{}EOT\n}}\n\n",
        policy_line.repeat(lines)
    );
    assert!(heredoc.len() > 1024 * 1024);
    write(
        dir.path(),
        "heredoc/main.tf",
        format!("{heredoc}{SECURITY_GROUP}"),
    );
    let run = check_in(dir.path(), &["."]);
    run.bounded(1);
    assert!(run.errors().is_empty(), "{:#?}", run.errors());
    // The group after the heredoc is found on its own line.
    let group_line = heredoc.lines().count() as u64 + 8;
    run.has_finding("CL-AWS-001", "heredoc/main.tf", group_line, 20);
    companions_reported(&run);
}

#[test]
fn terraform_that_describes_a_huge_value_stops_with_an_error() {
    let dir = with_companions();
    copy(dir.path(), "locals-doubling.tf", "doubling/main.tf");
    copy(dir.path(), "nested-for.tf", "loops/main.tf");
    copy(dir.path(), "locals-chain.tf", "chain/main.tf");
    // The open group beside each in the same module is still found.
    for module in ["doubling", "loops", "chain"] {
        write(dir.path(), &format!("{module}/sg.tf"), SECURITY_GROUP);
    }
    let run = check_in(dir.path(), &["."]);
    run.bounded(2);
    run.error_for("doubling/main.tf", "Terraform evaluation stopped here");
    run.error_for("loops/main.tf", "Terraform evaluation stopped here");
    run.error_for("chain/main.tf", "more than 200 levels deep");
    for module in ["doubling", "loops", "chain"] {
        run.has_finding("CL-AWS-001", &format!("{module}/sg.tf"), 8, 20);
    }
    companions_reported(&run);
}

#[test]
fn found_inputs_stay_fixed() {
    // Every input that crashed, hung or exhausted memory (found by cargo-fuzz
    // or by review; see fixtures/hardening/found/README.md), checked whole,
    // beside the companions.
    let dir = with_companions();
    let found = repo().join("fixtures/hardening/found");
    let mut names = Vec::new();
    for entry in std::fs::read_dir(&found).expect("fixtures/hardening/fuzz") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .to_string();
        if name == "README.md" {
            continue;
        }
        let bytes = std::fs::read(&path).expect("read");
        // Each in a folder of its own, so a Terraform one is its own module.
        let stem = name.replace('.', "_");
        write(dir.path(), &format!("fuzz/{stem}/{name}"), bytes);
        names.push(name);
    }
    assert!(!names.is_empty());
    let run = check_in(dir.path(), &["."]);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert!(run.code == 1 || run.code == 2, "{}", run.stderr);
    assert!(
        run.within(CPU_LIMIT),
        "took {:?} ({:?} CPU)",
        run.wall,
        run.cpu
    );
    if let Some(kib) = run.peak_kib {
        assert!(kib < MEMORY_LIMIT_KIB, "peak memory {kib} KiB");
    }
    companions_reported(&run);
    // Each is also checked alone: nothing else may hide its crash.
    for name in &names {
        let stem = name.replace('.', "_");
        let run = check_in(dir.path(), &[&format!("fuzz/{stem}")]);
        assert!(!run.stderr.contains("panicked"), "{name}: {}", run.stderr);
        assert!(matches!(run.code, 0..=2), "{name}: {}", run.stderr);
    }
}

#[test]
fn limits_come_from_the_config() {
    let dir = with_companions();
    write(
        dir.path(),
        ".clause.toml",
        "[limits]\nmax_file_bytes = 4096\nmax_depth = 5\nrule_time_limit_seconds = 0.5\n",
    );
    write(dir.path(), "tf/big.tf", "# padding\n".repeat(500));
    write(
        dir.path(),
        "deep.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata:\n  a: [[[[1]]]]\n",
    );
    write(
        dir.path(),
        "deeptf/main.tf",
        "locals {\n  ok = [[[[1]]]]\n}\nresource \"a\" \"b\" {\n  c {\n    d = [[[[1]]]]\n  }\n}\n",
    );
    write(
        dir.path(),
        "policy/slow.rego",
        "# METADATA\n# title: A rule that never finishes on a pod\n# description: >-\n#   Loops for minutes on any pod, to be stopped by the time limit.\n#   ISO/IEC 27002 12.4.1 is named only because a rule must name one.\n# custom:\n#   id: TEST-SLOW-001\n#   severity: low\n#   targets: [kubernetes]\n#   controls:\n#     iso27002:2005: [\"12.4.1\"]\n#     iso27002:2022: [\"8.19\"]\n#   remediation: >-\n#     Do not loop.\n#   applies_to: [Pod]\npackage custom.slow\n\nimport rego.v1\n\ndeny contains {\"msg\": \"slow\", \"path\": []} if {\n\tinput.kind == \"Pod\"\n\tsome i in numbers.range(1, 100000)\n\tsome j in numbers.range(1, 100000)\n\ti == j + 200000\n}\n",
    );
    let run = check_in(
        dir.path(),
        &[".", "--config", ".clause.toml", "--rules", "policy"],
    );
    run.bounded(2);
    run.error_for("tf/big.tf", "over the 4096-byte limit");
    // Root mapping, `data`, then four sequences: the sixth level (a pod
    // nests five deep, so it is still read).
    let (line, column, _) = run.error_for("deep.yaml", "nesting deeper than 5 levels");
    assert_eq!((line, column), (6, 9));
    // `resource`, `c`, then four lists (`locals` and its value nest five).
    let (line, column, _) = run.error_for("deeptf/main.tf", "nesting deeper than 5 levels");
    assert_eq!((line, column), (6, 12));
    let (_, _, message) = run.error_for("pod.yaml", "TEST-SLOW-001");
    assert!(message.contains("work limit"), "{message}");
    assert!(
        run.within(Duration::from_secs(10)),
        "took {:?} ({:?} CPU)",
        run.wall,
        run.cpu
    );
    companions_reported(&run);
}

#[test]
fn limits_out_of_range_are_config_errors() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (text, says) in [
        (
            "[limits]\nmax_depth = 0\n",
            "max_depth must be between 1 and 255",
        ),
        (
            "[limits]\nmax_depth = 100000\n",
            "max_depth must be between",
        ),
        (
            "[limits]\nmax_file_bytes = -1\n",
            "max_file_bytes must be between",
        ),
        (
            "[limits]\nrule_time_limit_seconds = 0\n",
            "rule_time_limit_seconds must be between",
        ),
        ("[limits]\nmax_files = 3\n", "unknown field `max_files`"),
    ] {
        write(dir.path(), ".clause.toml", text);
        let out = Command::new(env!("CARGO_BIN_EXE_clause"))
            .current_dir(dir.path())
            .args(["check", ".", "--config", ".clause.toml"])
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{text}: {stderr}");
        assert!(stderr.contains(says), "{text}: {stderr}");
        assert!(stderr.contains(".clause.toml:2:"), "{text}: {stderr}");
    }
}

#[test]
fn output_is_byte_identical_across_thread_counts() {
    // JSON, SARIF and JUnit of the same run, and the evidence report of the
    // examples, with one worker and with four. SARIF carries the working
    // folder, which is the same for both; the evidence report its scan
    // time, left out.
    let dir = tempfile::tempdir().expect("temp dir");
    let formats = ["json", "sarif", "junit"];
    let run = |threads: &str| -> Vec<Vec<u8>> {
        let mut command = Command::new(env!("CARGO_BIN_EXE_clause"));
        command
            .current_dir(repo())
            .env("RAYON_NUM_THREADS", threads)
            .args([
                "check",
                "fixtures",
                "examples",
                "--no-config",
                "--format",
                "json",
            ]);
        write_each_format(&mut command, dir.path(), threads, &formats);
        let out = command.output().expect("runs");
        assert!(
            matches!(out.status.code(), Some(1 | 2)),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
        let mut reports: Vec<Vec<u8>> = formats
            .iter()
            .map(|f| std::fs::read(dir.path().join(format!("{threads}.{f}"))).expect("written"))
            .collect();
        let evidence = Command::new(env!("CARGO_BIN_EXE_clause"))
            .current_dir(repo())
            .env("RAYON_NUM_THREADS", threads)
            .args(["report", "examples", "--no-config", "--format", "json"])
            .output()
            .expect("runs");
        let mut evidence: Value = serde_json::from_slice(&evidence.stdout).expect("JSON");
        evidence["scan"]["scan_time"] = Value::Null;
        reports.push(evidence.to_string().into_bytes());
        reports
    };
    let one = run("1");
    let four = run("4");
    let report: Value = serde_json::from_slice(&one[0]).expect("JSON");
    assert!(report["findings"].as_array().is_some_and(|f| f.len() > 100));
    for (i, name) in formats.iter().chain(&["evidence"]).enumerate() {
        assert!(one[i] == four[i], "{name} differs between 1 and 4 threads");
    }
}

#[test]
fn findings_past_the_memory_limit_go_to_disk_and_come_back_the_same() {
    // Every report format, with and without a baseline, from a run that
    // holds at most seven findings in memory, against the same run holding
    // them all.
    let dir = tempfile::tempdir().expect("temp dir");
    let spill = write(
        dir.path(),
        "spill.toml",
        "[limits]\nfindings_in_memory = 7\n",
    );
    let plain = write(dir.path(), "plain.toml", "");
    let baseline = dir.path().join("baseline.json");
    let out = Command::new(env!("CARGO_BIN_EXE_clause"))
        .current_dir(repo())
        .args(["baseline", "write"])
        .arg(&baseline)
        .args(["examples/terraform", "--config"])
        .arg(&plain)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let formats = ["json", "sarif", "junit", "github", "gitlab"];
    let run = |config: &Path, name: &str, extra: &[&str]| -> (Vec<Vec<u8>>, String) {
        let mut command = Command::new(env!("CARGO_BIN_EXE_clause"));
        if name == "nowhere" {
            command.env("TMPDIR", dir.path().join("missing"));
        }
        command
            .current_dir(repo())
            .env("RAYON_NUM_THREADS", "2")
            .env("NO_COLOR", "1")
            .args(["check", "examples", "--debug", "--config"])
            .arg(config)
            .args(extra);
        write_each_format(&mut command, dir.path(), name, &formats);
        let out = command.output().expect("runs");
        assert!(matches!(out.status.code(), Some(0 | 1)), "{out:?}");
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(!stderr.contains("panicked"), "{stderr}");
        let mut reports: Vec<Vec<u8>> = formats
            .iter()
            .map(|f| std::fs::read(dir.path().join(format!("{name}.{f}"))).expect("written"))
            .collect();
        // The terminal's report, with snippets read back from the files.
        reports.push(out.stdout);
        (reports, stderr)
    };
    let baseline_args = ["--baseline", baseline.to_str().expect("utf-8 path")];
    for extra in [&[][..], &baseline_args[..]] {
        let (kept, kept_log) = run(&plain, "kept", extra);
        let (spilled, spilled_log) = run(&spill, "spilled", extra);
        assert!(!kept_log.contains("kept on disk"), "{kept_log}");
        assert!(
            spilled_log.contains("kept on disk, over [limits] findings_in_memory = 7"),
            "{spilled_log}"
        );
        for (i, name) in formats.iter().chain(&["human"]).enumerate() {
            assert!(
                kept[i] == spilled[i],
                "{name} differs when findings go to disk ({extra:?})"
            );
        }
        // With nowhere to write them, findings stay in memory: the same
        // findings, and a warning saying why.
        let (stayed, stayed_log) = run(&spill, "nowhere", extra);
        assert!(
            stayed_log.contains("keeping them all in memory"),
            "{stayed_log}"
        );
        let json = |bytes: &[u8]| -> Value { serde_json::from_slice(bytes).expect("JSON") };
        for key in ["findings", "baselined_findings"] {
            assert_eq!(json(&kept[0])[key], json(&stayed[0])[key]);
        }
        let report: Value = serde_json::from_slice(&kept[0]).expect("JSON");
        let count = |key: &str| report[key].as_array().map_or(0, Vec::len);
        assert!(count("findings") > 20, "{report}");
        if !extra.is_empty() {
            // The Terraform example's findings are in the baseline.
            assert!(count("baselined_findings") > 5, "{report}");
        }
    }
}

//! `clause new rule`: a working rule with its METADATA filled in, a failing
//! and a passing fixture, and a Rego unit test, so a platform team starts
//! from something `clause test` already passes and edits it into their
//! own check.

use std::path::{Path, PathBuf};

use crate::controls::Catalogue;
use crate::document::Format;
use crate::rules::Severity;

#[derive(Debug, Clone)]
pub struct NewRule {
    pub target: Format,
    pub id: String,
    /// 2005 numbers; the 2022 counterparts come from the control list.
    pub controls: Vec<String>,
    pub severity: Severity,
    /// File and package name; defaults to the code in snake case.
    pub name: Option<String>,
}

/// Checks the code and controls, and returns the rule's slug.
fn validate(spec: &NewRule, catalogue: &Catalogue) -> Result<String, String> {
    let id_ok = !spec.id.is_empty()
        && spec
            .id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && spec
            .id
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic());
    if !id_ok {
        return Err(format!(
            "`{}` is not a rule code: use letters, digits and hyphens, such as ACME-K8S-001",
            spec.id
        ));
    }
    if spec.controls.is_empty() {
        return Err("name at least one ISO/IEC 27002:2005 control with --control".into());
    }
    for c in &spec.controls {
        if catalogue.by_2005(c).is_none() {
            return Err(format!(
                "`{c}` is not an ISO/IEC 27002:2005 control (see `clause rules --coverage` for the list)"
            ));
        }
    }
    let slug = match &spec.name {
        Some(name) => name.clone(),
        None => spec.id.to_lowercase().replace('-', "_"),
    };
    let slug_ok = slug
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && slug.chars().next().is_some_and(|c| c.is_ascii_lowercase());
    if !slug_ok {
        return Err(format!(
            "`{slug}` cannot name a Rego package: use lower-case letters, digits and underscores (--name)"
        ));
    }
    Ok(slug)
}

/// Writes the rule, its fixtures and its unit test under `dir`; refuses to
/// overwrite anything. Returns the files written.
pub fn write(dir: &Path, spec: &NewRule) -> Result<Vec<PathBuf>, String> {
    let catalogue = Catalogue::builtin();
    let slug = validate(spec, catalogue)?;
    let controls_2022: Vec<String> = {
        let mut ids: Vec<String> = spec
            .controls
            .iter()
            .filter_map(|c| catalogue.by_2005(c).map(|entry| entry.id_2022.clone()))
            .collect();
        ids.dedup();
        ids
    };
    let control_words: Vec<String> = spec
        .controls
        .iter()
        .filter_map(|c| {
            catalogue
                .by_2005(c)
                .map(|entry| format!("{c} ({})", entry.title_2005))
        })
        .collect();
    let quoted = |ids: &[String]| {
        ids.iter()
            .map(|i| format!("\"{i}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let template = Template::for_target(spec.target);
    let header = format!(
        "# METADATA\n# title: {title}\n# description: >-\n#   Scaffolded by `clause new rule`: replace the check and this text. Say\n#   here why the setting matters for ISO/IEC 27002 {controls}.\n# custom:\n#   id: {id}\n#   severity: {severity}\n#   targets: [{target}]\n#   controls:\n#     iso27002:2005: [{c2005}]\n#     iso27002:2022: [{c2022}]\n#   remediation: >-\n#     {remediation}\n#   applies_to: [{applies}]\npackage custom.{slug}\n",
        title = template.title,
        controls = control_words.join(", "),
        id = spec.id,
        severity = spec.severity.name(),
        target = spec.target.name(),
        c2005 = quoted(&spec.controls),
        c2022 = quoted(&controls_2022),
        remediation = template.remediation,
        applies = template.applies_to,
    );
    let rule = format!("{header}{}", template.body);
    let unit = template
        .unit_test
        .replace("{slug}", &slug)
        .replace("{id}", &spec.id);
    let fixtures = dir.join("fixtures").join(&slug);
    let mut files: Vec<(PathBuf, String)> = vec![
        (dir.join(format!("{slug}.rego")), rule),
        (dir.join(format!("{slug}_test.rego")), unit),
    ];
    for (name, text) in template.fixtures {
        files.push((fixtures.join(name), text.replace("{id}", &spec.id)));
    }
    for (path, _) in &files {
        if path.exists() {
            return Err(format!(
                "{} already exists; not overwriting it",
                path.display()
            ));
        }
    }
    let mut written = Vec::new();
    for (path, text) in files {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

struct Template {
    title: &'static str,
    remediation: &'static str,
    applies_to: &'static str,
    body: &'static str,
    unit_test: &'static str,
    fixtures: Vec<(&'static str, &'static str)>,
}

impl Template {
    fn for_target(target: Format) -> Template {
        match target {
            Format::Kubernetes => Template {
                title: "Container may run as root",
                remediation: "Set `securityContext.runAsNonRoot: true` on every container.",
                applies_to: "Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob",
                body: KUBERNETES_BODY,
                unit_test: KUBERNETES_TEST,
                fixtures: vec![
                    ("fail.yaml", KUBERNETES_FAIL),
                    ("pass.yaml", KUBERNETES_PASS),
                ],
            },
            Format::Terraform => Template {
                title: "EC2 instance without detailed monitoring",
                remediation: "Set `monitoring = true` on the `aws_instance`.",
                applies_to: "aws_instance",
                body: TERRAFORM_BODY,
                unit_test: TERRAFORM_TEST,
                fixtures: vec![
                    ("fail/main.tf", TERRAFORM_FAIL),
                    ("pass/main.tf", TERRAFORM_PASS),
                    ("unknown/main.tf", TERRAFORM_UNKNOWN),
                ],
            },
            Format::Ansible => Template {
                title: "Task ignores errors",
                remediation: "Remove `ignore_errors: true`; handle the expected failure with `failed_when`.",
                applies_to: "",
                body: ANSIBLE_BODY,
                unit_test: ANSIBLE_TEST,
                fixtures: vec![("fail.yml", ANSIBLE_FAIL), ("pass.yml", ANSIBLE_PASS)],
            },
        }
    }
}

const KUBERNETES_BODY: &str = r#"
# The input is one manifest; `clause inspect FILE` prints it with every path.
# The library's rules are imported by name (regorus computes every rule of a
# package read through its alias); its functions are called through `k8s`.
import data.clause.lib.kubernetes as k8s
import data.clause.lib.kubernetes.containers
import data.clause.lib.kubernetes.label
import rego.v1

# Example check: every container (init and ephemeral ones included) must set
# runAsNonRoot: true. Replace it with yours; keep the {"msg", "path"} shape,
# where `path` leads to the value the finding should underline.
deny contains {
	"msg": sprintf("%s: container %q does not set runAsNonRoot: true", [label, k8s.container_name(c)]),
	"path": c.path,
} if {
	some c in containers
	not c.container.securityContext.runAsNonRoot == true
}
"#;

const KUBERNETES_TEST: &str = r#"package custom.{slug}_test

import data.custom.{slug}
import rego.v1

pod(security_context) := {
	"apiVersion": "v1",
	"kind": "Pod",
	"metadata": {"name": "web"},
	"spec": {"containers": [{"name": "app", "image": "nginx:1.27", "securityContext": security_context}]},
}

test_a_root_container_is_reported if {
	count({slug}.deny) == 1 with input as pod({})
}

test_a_non_root_container_passes if {
	count({slug}.deny) == 0 with input as pod({"runAsNonRoot": true})
}
"#;

const KUBERNETES_FAIL: &str = r#"apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: app # expect: {id}
      image: nginx:1.27
"#;

const KUBERNETES_PASS: &str = r#"apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: app
      image: nginx:1.27
      securityContext:
        runAsNonRoot: true
"#;

const TERRAFORM_BODY: &str = r#"
# The input is one module: `input.resources[address].values` holds each
# resource's evaluated arguments; a value known only after apply is
# {"__unknown__": "<expression>"}. `clause inspect DIR` prints it.
import data.clause.lib.terraform as tf
import rego.v1

# Example check: instances must enable detailed monitoring. Replace it with
# yours; keep the {"msg", "path"} shape.
deny contains {
	"msg": sprintf("%s does not enable detailed monitoring", [address]),
	"path": where(address, r.values),
} if {
	some address, r in tf.resources("aws_instance")
	not tf.is_unknown(r.values.monitoring)
	object.get(r.values, "monitoring", false) != true
}

# A value known only after apply is neither a pass nor a failure.
inconclusive contains {
	"msg": sprintf("%s: monitoring is %s, known only after apply", [address, r.values.monitoring.__unknown__]),
	"path": tf.path(address, ["monitoring"]),
} if {
	some address, r in tf.resources("aws_instance")
	tf.is_unknown(r.values.monitoring)
}

# The attribute when it is written, else the resource's header.
where(address, values) := tf.path(address, ["monitoring"]) if "monitoring" in object.keys(values)

where(address, values) := tf.resource_path(address) if not "monitoring" in object.keys(values)
"#;

const TERRAFORM_TEST: &str = r#"package custom.{slug}_test

import data.custom.{slug}
import rego.v1

instance(values) := {"resources": {"aws_instance.web": {
	"address": "aws_instance.web",
	"mode": "managed",
	"type": "aws_instance",
	"name": "web",
	"values": values,
}}}

test_an_unmonitored_instance_is_reported if {
	count({slug}.deny) == 1 with input as instance({"monitoring": false})
}

test_a_monitored_instance_passes if {
	count({slug}.deny) == 0 with input as instance({"monitoring": true})
}
"#;

const TERRAFORM_FAIL: &str = r#"resource "aws_instance" "web" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  monitoring    = false # expect: {id}
}
"#;

const TERRAFORM_PASS: &str = r#"resource "aws_instance" "web" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  monitoring    = true
}
"#;

const TERRAFORM_UNKNOWN: &str = r#"# A value known only after apply: neither a pass nor a failure.
variable "monitoring" {
  type = bool
}

resource "aws_instance" "web" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  monitoring    = var.monitoring # inconclusive: {id}
}
"#;

const ANSIBLE_BODY: &str = r#"
# The input is one playbook, run as Ansible would: `input.tasks` lists every
# task with its module name normalised and its arguments resolved.
# `clause inspect FILE` prints it. A check about particular modules should
# start from `some i, t in ans.tasks_in({"ansible.builtin.user"})`, which
# visits only their tasks.
import data.clause.lib.ansible as ans
import rego.v1

# Example check: tasks must not ignore errors. Replace it with yours; keep
# the {"msg", "path"} shape.
deny contains {
	"msg": sprintf("%s ignores errors", [ans.name(t)]),
	"path": ["tasks", i, "ignore_errors"],
} if {
	some i, t in input.tasks
	ans.is_true(t.ignore_errors)
}
"#;

const ANSIBLE_TEST: &str = r#"package custom.{slug}_test

import data.custom.{slug}
import rego.v1

test_ignoring_errors_is_reported if {
	count({slug}.deny) == 1 with input as {"tasks": [{"name": "restart", "module": "ansible.builtin.service", "args": {}, "ignore_errors": true}]}
}

test_a_plain_task_passes if {
	count({slug}.deny) == 0 with input as {"tasks": [{"name": "restart", "module": "ansible.builtin.service", "args": {}}]}
}
"#;

const ANSIBLE_FAIL: &str = r#"- name: Web servers
  hosts: web
  tasks:
    - name: Restart the app
      ansible.builtin.service:
        name: app
        state: restarted
      ignore_errors: true # expect: {id}
"#;

const ANSIBLE_PASS: &str = r#"- name: Web servers
  hosts: web
  tasks:
    - name: Restart the app
      ansible.builtin.service:
        name: app
        state: restarted
"#;

# METADATA
# title: ECS or Batch container runs privileged
# description: >-
#   A container started with `"privileged": true` gets every Linux capability
#   and access to the host's devices: it can load kernel modules, mount the
#   host's disks, change firewall rules and escape to the container instance,
#   and from there reach every other task on it and the instance role's
#   credentials. Administration utilities that normally need root on the host
#   become available to whatever code runs in the container, including an
#   attacker who compromises it. ISO/IEC 27002 11.5.4 asks that the use of
#   utility programs able to override system and application controls be
#   restricted and tightly controlled; privileged mode hands them to the
#   container. Examined: the `container_definitions` of ECS task definitions
#   and the `container_properties`, `node_properties` and `ecs_properties` of
#   AWS Batch job definitions, whether written with `jsonencode()`, a heredoc
#   or `file()`, and the containers and init containers of Batch jobs on EKS
#   (`eks_properties`, `security_context { privileged = true }`). Definitions
#   that are known only after apply (built from a variable without a value or
#   a data source) make the check inconclusive.
# custom:
#   id: CL-AWS-042
#   severity: high
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["11.5.4"]
#     iso27002:2022: ["8.18"]
#   remediation: >-
#     Remove `"privileged": true` (or set it to false) from the container
#     definition, or `privileged = true` from the `security_context` of a
#     Batch job on EKS. If the container needs one specific kernel facility,
#     grant only that capability (`linuxParameters.capabilities.add` on ECS)
#     and keep `readonlyRootFilesystem = true` and a non-root `user`; run
#     tools that really need the host on the instance itself, managed outside
#     the workload.
#   applies_to: [aws_ecs_task_definition, aws_batch_job_definition]
package clause.rules.terraform.aws.ecs_batch_privileged_container

import data.clause.lib.terraform as tf
import rego.v1

# The JSON documents that describe containers, by resource type.
documents := {
	"aws_ecs_task_definition": ["container_definitions"],
	"aws_batch_job_definition": ["container_properties", "node_properties", "ecs_properties"],
}

parsed(v) := json.unmarshal(v) if {
	is_string(v)
	json.is_valid(v)
}

# containers(key, doc): the container definitions a document holds.
containers("container_definitions", doc) := [c | some c in tf.list(doc)]

containers("container_properties", doc) := [doc]

containers("node_properties", doc) := [n.container |
	some n in tf.list(object.get(doc, "nodeRangeProperties", []))
	is_object(n)
] if is_object(doc)

containers("ecs_properties", doc) := [c |
	some t in tf.list(object.get(doc, "taskProperties", []))
	is_object(t)
	some c in tf.list(object.get(t, "containers", []))
] if is_object(doc)

privileged(c) if c.privileged == true

privileged(c) if c.privileged == "true"

name(c) := sprintf("container %q", [c.name]) if is_string(c.name)

name(c) := "its container" if not is_string(c.name)

deny contains {"msg": msg, "label": "privileged container", "path": tf.path(address, [key])} if {
	some type, keys in documents
	some address, r in tf.resources(type)
	some key in keys
	doc := parsed(r.values[key])
	some c in containers(key, doc)
	is_object(c)
	privileged(c)
	msg := sprintf("%s runs %s privileged (\"privileged\": true), with every kernel capability and the host's devices", [address, name(c)])
}

# Batch jobs on EKS describe their pod in blocks, Kubernetes style.
deny contains {"msg": msg, "label": "privileged container", "path": tf.path(address, at)} if {
	some address, r in tf.resources("aws_batch_job_definition")
	some i, eks in tf.blocks(r.values, "eks_properties")
	some j, pod in tf.blocks(eks, "pod_properties")
	some kind in ["containers", "init_containers"]
	some k, c in tf.blocks(pod, kind)
	some l, sc in tf.blocks(c, "security_context")
	tf.is_true(sc.privileged)
	at := ["eks_properties", i, "pod_properties", j, kind, k, "security_context", l, "privileged"]
	msg := sprintf("%s runs %s privileged (privileged = true), with every kernel capability and the host's devices", [address, name(c)])
}

# Checks that depend on a value known only after apply.

undecided contains {"msg": msg, "path": tf.path(address, [key])} if {
	some type, keys in documents
	some address, r in tf.resources(type)
	some key in keys
	tf.is_unknown(r.values[key])
	msg := sprintf("%s may run a privileged container: %s is known only after apply", [address, key])
}

undecided contains {"msg": msg, "path": tf.path(address, at)} if {
	some address, r in tf.resources("aws_batch_job_definition")
	some i, eks in tf.blocks(r.values, "eks_properties")
	some j, pod in tf.blocks(eks, "pod_properties")
	some kind in ["containers", "init_containers"]
	some k, c in tf.blocks(pod, kind)
	some l, sc in tf.blocks(c, "security_context")
	tf.is_unknown(sc.privileged)
	at := ["eks_properties", i, "pod_properties", j, kind, k, "security_context", l, "privileged"]
	msg := sprintf("%s may run %s privileged: privileged = %s is known only after apply", [address, name(c), sc.privileged.__unknown__])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

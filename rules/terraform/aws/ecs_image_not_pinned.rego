# METADATA
# title: Container image is not pinned to a version or digest
# description: >-
#   A task definition whose container image has no tag (`nginx`, which means
#   `nginx:latest`) or the tag `latest` runs whatever image the tag points to
#   when each task starts: a new task after a scale-out, a deployment or a
#   host replacement can silently run a different, untested build, and anyone
#   able to push that tag to the registry decides what code the service runs.
#   Rollbacks and investigations cannot say which software was running.
#   ISO/IEC 27002 12.4.1 asks that the installation of software on operational
#   systems be controlled, with only approved, identified versions deployed;
#   pinning an image to a version tag, or better to its digest
#   (`@sha256:...`), is how a container deployment names the exact software it
#   installs. ECS task definitions (`container_definitions`) and AWS Batch job
#   definitions (`container_properties`) are examined, whether written with
#   `jsonencode`, a heredoc or a file. When the definitions or an image are
#   known only after apply (an image from a variable or built from another
#   resource's repository URL), the check is reported as inconclusive.
# custom:
#   id: CL-AWS-018
#   severity: medium
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["12.4.1"]
#     iso27002:2022: ["8.19"]
#   remediation: >-
#     Give each container's `image` an explicit version tag that your pipeline
#     never overwrites (`registry/app:1.4.2`, ideally in an ECR repository with
#     `image_tag_mutability = "IMMUTABLE"`) or pin it to a digest
#     (`registry/app@sha256:<digest>`); never use `latest` or an untagged name.
#   applies_to: [aws_ecs_task_definition, aws_batch_job_definition]
package clause.rules.terraform.aws.ecs_image_not_pinned

import data.clause.lib.terraform as tf
import rego.v1

# Where each resource type keeps its container definitions (JSON text).
definition_keys := {
	"aws_ecs_task_definition": "container_definitions",
	"aws_batch_job_definition": "container_properties",
}

# containers(type, text): the containers a JSON document defines.
containers("aws_ecs_task_definition", text) := [c |
	json.is_valid(text)
	some c in tf.list(json.unmarshal(text))
	is_object(c)
]

containers("aws_batch_job_definition", text) := [c |
	json.is_valid(text)
	c := json.unmarshal(text)
	is_object(c)
]

# tag(image): the tag of an image reference without a digest, "" when none
# (a registry port, as in `host:5000/app`, is not a tag).
tag(image) := t if {
	parts := split(image, "/")
	last := parts[count(parts) - 1]
	contains(last, ":")
	pieces := split(last, ":")
	t := pieces[count(pieces) - 1]
} else := ""

digest(image) if contains(image, "@")

# Placeholders that a pipeline replaces later (`${IMAGE}`, `{{image}}`).
placeholder(image) if contains(image, "${")

placeholder(image) if contains(image, "{{")

unpinned(image) if {
	is_string(image)
	not digest(image)
	not placeholder(image)
	lower(tag(image)) in {"", "latest"}
}

why(image) := "has no tag, so it runs whatever `latest` points to" if tag(image) == ""

why(image) := "uses the moving `latest` tag" if lower(tag(image)) == "latest"

name(c) := sprintf("container %q", [c.name]) if is_string(c.name)

name(c) := "a container" if not is_string(c.name)

images contains {"address": address, "key": key, "container": c} if {
	some type, key in definition_keys
	some address, r in tf.resources(type)
	text := r.values[key]
	is_string(text)
	some c in containers(type, text)
}

deny contains {"msg": msg, "label": "unpinned image", "path": tf.path(i.address, [i.key])} if {
	some i in images
	image := i.container.image
	unpinned(image)
	msg := sprintf("%s runs %s from image %q, which %s: the software that runs can change without any change to this configuration", [i.address, name(i.container), image, why(image)])
}

# Checks that depend on a value known only after apply.

# The image expressions written in a definition known only after apply
# (`image = "${aws_ecr_repository.app.repository_url}:${var.tag}"`).
written_images(text) := [m[1] |
	some m in regex.find_all_string_submatch_n(`"?\bimage"?\s*[=:]\s*("[^"\n]*"|[^,}\n]+)`, text, -1)
]

literal(expr) := substring(expr, 1, count(expr) - 2) if {
	startswith(expr, "\"")
	endswith(expr, "\"")
	count(expr) >= 2
	not contains(expr, "${")
}

# settled(expr): an image expression that is a literal pinned image, or a
# template whose repository is known only after apply but whose literal
# ending pins it (`"${aws_ecr_repository.app.repository_url}:1.4.2"`,
# `"...@sha256:<digest>"`).
settled(expr) if {
	image := literal(expr)
	not unpinned(image)
	not placeholder(image)
}

settled(expr) if regex.match(`@sha256:[0-9a-fA-F]{64}"$`, expr)

settled(expr) if {
	m := regex.find_all_string_submatch_n(`:([A-Za-z0-9_][A-Za-z0-9._-]*)"$`, expr, 1)[0]
	lower(m[1]) != "latest"
}

undecided contains {"msg": msg, "path": tf.path(address, [key])} if {
	some type, key in definition_keys
	some address, r in tf.resources(type)
	v := r.values[key]
	tf.is_unknown(v)
	is_string(v.__unknown__)
	exprs := written_images(v.__unknown__)
	count(exprs) == 0
	msg := sprintf("%s may run unpinned images: %s = %s is known only after apply", [address, key, v.__unknown__])
}

undecided contains {"msg": msg, "path": tf.path(address, [key])} if {
	some type, key in definition_keys
	some address, r in tf.resources(type)
	v := r.values[key]
	tf.is_unknown(v)
	is_string(v.__unknown__)
	some expr in written_images(v.__unknown__)
	not settled(expr)
	msg := sprintf("%s may run an unpinned image: the image %s is known only after apply%s", [address, trim_space(expr), latest_note(expr)])
}

undecided contains {"msg": msg, "path": tf.path(i.address, [i.key])} if {
	some i in images
	image := i.container.image
	is_string(image)
	placeholder(image)
	msg := sprintf("%s may run an unpinned image: %s uses the image %q, a placeholder replaced outside this configuration", [i.address, name(i.container), image])
}

latest_note(expr) := ", and its `latest` tag moves" if regex.match(`(?i):latest"$`, trim_space(expr))

latest_note(expr) := "" if not regex.match(`(?i):latest"$`, trim_space(expr))

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

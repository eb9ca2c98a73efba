# METADATA
# title: Container image is not pinned to a version
# description: >-
#   An image reference without a tag, or with `:latest`, resolves to whatever
#   the registry serves at pull time: two nodes can run different code under
#   the same manifest, a rollback cannot return to the previous build, and a
#   compromised or broken push reaches production on the next pod restart
#   without any review. A registry port (registry:5000/app) is not a tag;
#   a digest (`@sha256:...`) pins the image. ISO/IEC 27002 12.4.1 asks that
#   only authorised, tested versions of software be installed on operational
#   systems, with the previous version kept for rollback; a floating image
#   reference gives up both.
# custom:
#   id: CL-K8S-012
#   severity: medium
#   targets: [kubernetes]
#   controls:
#     iso27002:2005: ["12.4.1"]
#     iso27002:2022: ["8.19"]
#   remediation: >-
#     Reference an immutable image: a digest such as
#     `registry.example.com/app@sha256:<digest>` (optionally after the tag,
#     `app:1.4.2@sha256:<digest>`), or at least a specific release tag such as
#     `app:1.4.2`, never `latest` or no tag.
#   applies_to: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, PodTemplate, DeploymentConfig, Rollout]
package clause.rules.kubernetes.unpinned_image

import data.clause.lib.kubernetes as k8s
import data.clause.lib.kubernetes.containers
import data.clause.lib.kubernetes.label
import rego.v1


# Values only known after rendering (Helm, envsubst, kustomize vars).
unknown(image) if contains(image, "{{")

unknown(image) if contains(image, "${")

unknown(image) if contains(image, "$(")

unknown(image) if trim_space(image) == ""

# The last path component holds the tag: `registry:5000/team/app:1.2`.
last_component(image) := parts[count(parts) - 1] if {
	parts := split(image, "/")
}

tag(image) := t if {
	not contains(image, "@")
	parts := split(last_component(image), ":")
	count(parts) > 1
	t := parts[count(parts) - 1]
}

# OpenShift DeploymentConfigs replace the image of containers named by an
# ImageChange trigger with the digest the image stream resolves.
triggered(c) if {
	input.kind == "DeploymentConfig"
	triggers := input.spec.triggers
	is_array(triggers)
	some t in triggers
	t.type == "ImageChange"
	names := t.imageChangeParams.containerNames
	is_array(names)
	c.container.name in names
}

examined contains {"c": c, "image": image} if {
	some c in containers
	image := c.container.image
	is_string(image)
	not unknown(image)
	not triggered(c)
}

deny contains {
	"msg": sprintf("%s: container %q uses image %q with no tag, which pulls whatever `latest` is at the time", [label, k8s.container_name(e.c), e.image]),
	"path": array.concat(e.c.path, ["image"]),
} if {
	some e in examined
	not contains(e.image, "@")
	not tag(e.image)
}

deny contains {
	"msg": sprintf("%s: container %q uses image %q, a tag that moves with every push", [label, k8s.container_name(e.c), e.image]),
	"path": array.concat(e.c.path, ["image"]),
} if {
	some e in examined
	tag(e.image) == "latest"
}

# Helpers for Kubernetes rules: `import data.clause.lib.kubernetes as k8s`.
#
# The input is one manifest as written (after `List` expansion). Every kind
# that carries a pod template is covered, and so are init and ephemeral
# containers, so a rule written against `k8s.containers` applies to all of them.
package clause.lib.kubernetes

import rego.v1

# The kinds that run pods, for a rule's `applies_to`.
workload_kinds := {
	"Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet",
	"ReplicationController", "Job", "CronJob", "PodTemplate",
	"DeploymentConfig", "Rollout",
}

template_kinds := {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "DeploymentConfig", "Rollout"}

# pod_spec_path: where this manifest's pod spec lives.
pod_spec_path := ["spec"] if input.kind == "Pod"

pod_spec_path := ["spec", "template", "spec"] if input.kind in template_kinds

pod_spec_path := ["spec", "jobTemplate", "spec", "template", "spec"] if input.kind == "CronJob"

pod_spec_path := ["template", "spec"] if input.kind == "PodTemplate"

pod_spec := spec if {
	spec := object.get(input, pod_spec_path, {})
	is_object(spec)
} else := {}

is_workload if pod_spec_path

# containers: every container, init container and ephemeral container, as
# {"container": ..., "path": [...], "field": "containers"|"initContainers"|"ephemeralContainers"}.
containers contains c if {
	some field in ["containers", "initContainers", "ephemeralContainers"]
	list := object.get(pod_spec, field, [])
	is_array(list)
	some i, container in list
	is_object(container)
	c := {"container": container, "path": array.concat(pod_spec_path, [field, i]), "field": field}
}

# container_name(c): a container's name for messages, whatever was written.
container_name(c) := c.container.name if is_string(c.container.name)

container_name(c) := "<unnamed>" if not is_string(c.container.name)

# name: the manifest's name for messages.
name := input.metadata.name if is_string(input.metadata.name)

name := input.metadata.generateName if {
	not is_string(input.metadata.name)
	is_string(input.metadata.generateName)
}

name := "<unnamed>" if {
	not is_string(input.metadata.name)
	not is_string(input.metadata.generateName)
}

# label: `Kind/name`, or `Kind/namespace/name` when a namespace is set, for messages.
label := sprintf("%s/%s/%s", [input.kind, input.metadata.namespace, name]) if {
	is_string(input.metadata.namespace)
	input.metadata.namespace != ""
} else := sprintf("%s/%s", [input.kind, name])

pod_security_context := ctx if {
	ctx := object.get(pod_spec, "securityContext", {})
	is_object(ctx)
} else := {}

# templated(v): a value a template engine fills in later (Helm `{{ }}`,
# `${VAR}` substitution); rules treat it as unknown.
templated(v) if {
	is_string(v)
	contains(v, "{{")
}

templated(v) if {
	is_string(v)
	contains(v, "${")
}

# is_windows: a pod that runs Windows containers, where Linux security
# settings (runAsUser, allowPrivilegeEscalation, seccomp, a read-only root)
# do not apply.
is_windows if pod_spec.os.name == "windows"

is_windows if pod_spec.nodeSelector["kubernetes.io/os"] == "windows"

is_windows if pod_security_context.windowsOptions.runAsUserName

is_windows if pod_security_context.windowsOptions.hostProcess == true

is_windows if {
	some c in containers
	c.container.securityContext.windowsOptions.runAsUserName
}

is_windows if {
	some c in containers
	c.container.securityContext.windowsOptions.hostProcess == true
}

# security_setting(c, key): a container's security setting, inherited from
# the pod's securityContext when the container does not set it (the way the
# kubelet resolves runAsUser, runAsNonRoot, seccompProfile...). Returns
# {"value", "path"}; undefined when neither sets it.
security_setting(c, key) := {"value": v, "path": array.concat(c.path, ["securityContext", key])} if {
	v := c.container.securityContext[key]
	v != null
}

security_setting(c, key) := {"value": v, "path": array.concat(pod_spec_path, ["securityContext", key])} if {
	not has_container_setting(c, key)
	v := pod_security_context[key]
	v != null
}

has_container_setting(c, key) if {
	c.container.securityContext[key] != null
}

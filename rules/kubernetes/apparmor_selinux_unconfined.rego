# METADATA
# title: Container runs without AppArmor or SELinux confinement
# description: >-
#   AppArmor and SELinux are the mandatory access control that limits what a
#   container's processes may touch on the node even as root: files outside
#   its image, /proc and /sys entries, mounts, raw sockets. The runtime's
#   default profiles (runtime/default, container_t) are applied unless a
#   manifest opts out; `appArmorProfile.type: Unconfined`, the
#   `container.apparmor.security.beta.kubernetes.io/<container>: unconfined`
#   annotation, and the SELinux types `spc_t` (super-privileged container)
#   and `unconfined_t` switch that confinement off, so the kernel's
#   discretionary checks are all that stands between a compromised process
#   and the node. ISO/IEC 27002 11.5.4 asks that the use of programs able to
#   override system and application controls be restricted; an unconfined
#   container runs exactly such programs without the node's control on them.
#   Seccomp is reported by CL-K8S-014; Windows pods are not examined.
# custom:
#   id: CL-K8S-025
#   severity: medium
#   targets: [kubernetes]
#   controls:
#     iso27002:2005: ["11.5.4"]
#     iso27002:2022: ["8.18"]
#   remediation: >-
#     Remove the opt-out: set `securityContext.appArmorProfile: {type:
#     RuntimeDefault}` (or `Localhost` with a reviewed profile), delete the
#     `unconfined` AppArmor annotation, and leave `seLinuxOptions.type` unset
#     (or a confined type such as container_t) instead of spc_t or
#     unconfined_t.
#   applies_to: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, PodTemplate, DeploymentConfig, Rollout]
#   mentions: [unconfined, spc_t, "{{", "${"]
package clause.rules.kubernetes.apparmor_selinux_unconfined

import data.clause.lib.kubernetes as k8s
import data.clause.lib.kubernetes.containers
import data.clause.lib.kubernetes.is_windows
import data.clause.lib.kubernetes.is_workload
import data.clause.lib.kubernetes.label
import data.clause.lib.kubernetes.pod_spec_path
import rego.v1

linux_containers contains c if {
	not is_windows
	some c in containers
	is_object(c.container)
}

containers_named(names) := sprintf("container %s", names) if count(names) == 1

containers_named(names) := sprintf("containers %s", [concat(", ", names)]) if count(names) > 1

unconfined_selinux := {"spc_t", "unconfined_t"}

# Each opt-out that applies to a container: where it is written and what it says.
opt_outs(c) := {o |
	s := k8s.security_setting(c, "appArmorProfile")
	s.value.type == "Unconfined"
	o := {"path": array.concat(s.path, ["type"]), "what": "AppArmor profile Unconfined"}
} | {o |
	s := k8s.security_setting(c, "seLinuxOptions")
	t := s.value.type
	is_string(t)
	t in unconfined_selinux
	o := {"path": array.concat(s.path, ["type"]), "what": sprintf("SELinux type %s", [t])}
}

pod_level(path) if array.slice(path, 0, count(pod_spec_path) + 1) == array.concat(pod_spec_path, ["securityContext"])

# Each container's opt-outs, found once per manifest: both findings below
# read them, and a pod-level one is looked up for every container.
opted_out contains {"c": c, "o": o} if {
	some c in linux_containers
	some o in opt_outs(c)
}

deny contains {
	"msg": sprintf("%s: container %q runs with %s", [label, k8s.container_name(x.c), x.o.what]),
	"path": x.o.path,
	"label": "confinement off",
} if {
	some x in opted_out
	not pod_level(x.o.path)
}

# A pod-level setting: one finding naming the containers that inherit it.
deny contains {
	"msg": sprintf("%s: the pod's %s applies to %s", [label, o.what, containers_named(names)]),
	"path": o.path,
	"label": "confinement off",
} if {
	some x0 in opted_out
	o := x0.o
	pod_level(o.path)
	names := sort([sprintf("%q", [k8s.container_name(x.c)]) |
		some x in opted_out
		x.o == o
	])
}

# The beta annotation, still honoured: on the pod's (template's) metadata.
annotation_prefix := "container.apparmor.security.beta.kubernetes.io/"

pod_metadata_path := array.concat(array.slice(pod_spec_path, 0, count(pod_spec_path) - 1), ["metadata"])

pod_annotations := a if {
	a := object.get(input, array.concat(pod_metadata_path, ["annotations"]), {})
	is_object(a)
} else := {}

deny contains {
	"msg": sprintf("%s: container %q runs without AppArmor (annotation %s: unconfined)", [label, trim_prefix(key, annotation_prefix), key]),
	"path": array.concat(pod_metadata_path, ["annotations", key]),
	"label": "confinement off",
} if {
	is_workload
	not is_windows
	some key, value in pod_annotations
	startswith(key, annotation_prefix)
	value == "unconfined"
}

inconclusive contains {
	"msg": sprintf("%s: the AppArmor annotation %s is filled in by a template", [label, key]),
	"path": array.concat(pod_metadata_path, ["annotations", key]),
} if {
	is_workload
	not is_windows
	some key, value in pod_annotations
	startswith(key, annotation_prefix)
	k8s.templated(value)
}

inconclusive contains {
	"msg": sprintf("%s: container %q takes its %s from a template", [label, k8s.container_name(c), key]),
	"path": array.concat(s.path, ["type"]),
} if {
	some c in linux_containers
	some key in ["appArmorProfile", "seLinuxOptions"]
	s := k8s.security_setting(c, key)
	k8s.templated(s.value.type)
}

# METADATA
# title: Container may run as root
# description: >-
#   A container runs as UID 0 when its effective runAsUser (the container's,
#   else the pod's) is 0, or when nothing stops it: without `runAsNonRoot:
#   true` or a non-zero runAsUser, the image's USER decides, and most images
#   default to root. Root in a container owns every file of its image and
#   volumes, keeps the runtime's default capabilities, and is root on the
#   node the moment it escapes the container (shared host UID namespace).
#   ISO/IEC 27002 11.2.2 asks that privileges be allocated only as needed;
#   application code rarely needs the superuser identity, so running as root
#   grants a privilege nobody allocated. Windows pods and pods in their own
#   user namespace (`hostUsers: false`, where UID 0 maps to an unprivileged
#   host UID) are not examined.
# custom:
#   id: CL-K8S-003
#   severity: medium
#   targets: [kubernetes]
#   controls:
#     iso27002:2005: ["11.2.2"]
#     iso27002:2022: ["8.2"]
#   remediation: >-
#     Set `securityContext.runAsNonRoot: true` and a non-zero
#     `securityContext.runAsUser` (e.g. 10001) on the pod, or on each container,
#     and build the image with a numeric non-root `USER`. Remove any
#     `runAsUser: 0` and `runAsNonRoot: false`.
#   applies_to: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, PodTemplate, DeploymentConfig, Rollout]
package clause.rules.kubernetes.run_as_root

import data.clause.lib.kubernetes as k8s
import data.clause.lib.kubernetes.containers
import data.clause.lib.kubernetes.is_windows
import data.clause.lib.kubernetes.label
import data.clause.lib.kubernetes.pod_spec
import data.clause.lib.kubernetes.pod_spec_path
import rego.v1

# With a user namespace, UID 0 in the pod is an unprivileged UID on the node.
user_namespace if pod_spec.hostUsers == false

examined contains c if {
	not is_windows
	not user_namespace
	some c in containers
	is_object(c.container)
}


containers_named(names) := sprintf("container %s", names) if count(names) == 1

containers_named(names) := sprintf("containers %s", [concat(", ", names)]) if count(names) > 1

pod_path(key) := array.concat(pod_spec_path, ["securityContext", key])

# The effective UID is 0.
root_uid(c) := s if {
	s := k8s.security_setting(c, "runAsUser")
	is_number(s.value)
	s.value == 0
}

# The effective UID is known and not 0.
non_root_uid(c) if {
	s := k8s.security_setting(c, "runAsUser")
	is_number(s.value)
	s.value > 0
}

# The effective UID is written but not known (a template value).
unknown_uid(c) if {
	s := k8s.security_setting(c, "runAsUser")
	not is_number(s.value)
}

non_root_false(c) := s if {
	s := k8s.security_setting(c, "runAsNonRoot")
	s.value == false
}

# runAsUser: 0 on the container.
deny contains {
	"msg": sprintf("%s: container %q runs as root (runAsUser: 0)", [label, k8s.container_name(c)]),
	"path": s.path,
} if {
	some c in examined
	s := root_uid(c)
	s.path != pod_path("runAsUser")
}

# runAsUser: 0 on the pod, inherited by containers that do not override it:
# one finding on the pod's value, naming them.
deny contains {
	"msg": sprintf("%s: the pod's runAsUser: 0 makes %s run as root", [label, containers_named(names)]),
	"path": pod_path("runAsUser"),
} if {
	names := sort([sprintf("%q", [k8s.container_name(c)]) |
		some c in examined
		root_uid(c).path == pod_path("runAsUser")
	])
	count(names) > 0
}

# runAsNonRoot: false and no non-zero runAsUser.
deny contains {
	"msg": sprintf("%s: container %q may run as root: runAsNonRoot is false and no non-zero runAsUser is set", [label, k8s.container_name(c)]),
	"path": s.path,
} if {
	some c in examined
	s := non_root_false(c)
	s.path != pod_path("runAsNonRoot")
	not root_uid(c)
	not non_root_uid(c)
	not unknown_uid(c)
}

deny contains {
	"msg": sprintf("%s: the pod's runAsNonRoot: false lets %s run as root, as no non-zero runAsUser is set", [label, containers_named(names)]),
	"path": pod_path("runAsNonRoot"),
} if {
	names := sort([sprintf("%q", [k8s.container_name(c)]) |
		some c in examined
		non_root_false(c).path == pod_path("runAsNonRoot")
		not root_uid(c)
		not non_root_uid(c)
		not unknown_uid(c)
	])
	count(names) > 0
}

# Neither set: the image decides.
deny contains {
	"msg": sprintf("%s: container %q may run as root: neither runAsNonRoot: true nor a non-zero runAsUser is set, so the image's USER decides", [label, k8s.container_name(c)]),
	"path": c.path,
} if {
	some c in examined
	not k8s.security_setting(c, "runAsNonRoot")
	not k8s.security_setting(c, "runAsUser")
}

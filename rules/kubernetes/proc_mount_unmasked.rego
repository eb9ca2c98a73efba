# METADATA
# title: Container mounts /proc unmasked
# description: >-
#   The container runtime masks or mounts read-only the parts of /proc and
#   /sys that reach past the container: /proc/sysrq-trigger (reboot or crash
#   the node), /proc/sys (kernel parameters), /proc/kcore and /proc/keys,
#   /sys/firmware. `procMount: Unmasked` removes those masks; for a process
#   running as root in the host's user namespace that means writing
#   node-wide kernel settings and triggering SysRq on the node. ISO/IEC
#   27002 11.5.4 asks that the use of utilities capable of overriding system
#   controls be restricted; an unmasked /proc hands the kernel's own control
#   interfaces to the container. Pods in their own user namespace
#   (`hostUsers: false`), which Kubernetes 1.30 and later require for
#   Unmasked and where root maps to an unprivileged host user, are not
#   reported; older clusters accepted Unmasked without one.
# custom:
#   id: CL-K8S-024
#   severity: high
#   targets: [kubernetes]
#   controls:
#     iso27002:2005: ["11.5.4"]
#     iso27002:2022: ["8.18"]
#   remediation: >-
#     Remove `securityContext.procMount: Unmasked` (or set `procMount:
#     Default`). Nested-container builders that need it should run in a user
#     namespace: set `hostUsers: false` in the pod spec.
#   applies_to: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, PodTemplate, DeploymentConfig, Rollout]
#   mentions: [procMount]
package clause.rules.kubernetes.proc_mount_unmasked

import data.clause.lib.kubernetes as k8s
import data.clause.lib.kubernetes.containers
import data.clause.lib.kubernetes.is_windows
import data.clause.lib.kubernetes.label
import data.clause.lib.kubernetes.pod_spec
import rego.v1

user_namespace if pod_spec.hostUsers == false

host_users_unknown if k8s.templated(pod_spec.hostUsers)

examined contains c if {
	not is_windows
	not user_namespace
	some c in containers
	is_object(c.container.securityContext)
}

deny contains {
	"msg": sprintf("%s: container %q mounts /proc unmasked (procMount: Unmasked) in the host's user namespace", [label, k8s.container_name(c)]),
	"path": array.concat(c.path, ["securityContext", "procMount"]),
	"label": "kernel interfaces exposed",
} if {
	some c in examined
	c.container.securityContext.procMount == "Unmasked"
	not host_users_unknown
}

inconclusive contains {
	"msg": sprintf("%s: container %q mounts /proc unmasked, and whether the pod has its own user namespace (hostUsers) is filled in by a template", [label, k8s.container_name(c)]),
	"path": array.concat(c.path, ["securityContext", "procMount"]),
} if {
	some c in examined
	c.container.securityContext.procMount == "Unmasked"
	host_users_unknown
}

inconclusive contains {
	"msg": sprintf("%s: container %q takes procMount from a template", [label, k8s.container_name(c)]),
	"path": array.concat(c.path, ["securityContext", "procMount"]),
} if {
	some c in examined
	k8s.templated(c.container.securityContext.procMount)
}

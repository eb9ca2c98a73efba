# METADATA
# title: Container adds a dangerous Linux capability
# description: >-
#   Some Linux capabilities are root in all but name, or reach past the
#   container into the node: ALL (every capability), SYS_ADMIN (mount, cgroup
#   and namespace tricks behind most container escapes), SYS_MODULE (load
#   kernel modules), SYS_RAWIO (raw device and port I/O), SYS_PTRACE (trace and
#   inject into other processes), DAC_READ_SEARCH (open_by_handle_at, the
#   "Shocker" escape), NET_ADMIN (rewrite routes and iptables, evade network
#   policy), SYS_BOOT and SYS_TIME (reboot the node, set its clock), BPF and
#   PERFMON (load eBPF, read kernel memory), MAC_ADMIN and MAC_OVERRIDE
#   (change or bypass AppArmor/SELinux) and SYSLOG (kernel addresses). NET_RAW
#   and the runtime's other defaults are not listed here. ISO/IEC 27002 11.2.2
#   asks that privileges be allocated only as needed and restricted, and
#   11.5.4 that the use of utility programs able to override system and
#   application controls be restricted; these capabilities are exactly what
#   lets mount, insmod, ptrace or iptables override the node's controls.
# custom:
#   id: CL-K8S-005
#   severity: high
#   targets: [kubernetes]
#   controls:
#     iso27002:2005: ["11.2.2", "11.5.4"]
#     iso27002:2022: ["8.2", "8.18"]
#   remediation: >-
#     Remove the capability from `securityContext.capabilities.add`; start from
#     `capabilities: {drop: ["ALL"]}` and add back only narrow ones the process
#     needs (e.g. NET_BIND_SERVICE). Move work that needs node-level power (CNI
#     setup, mounts, tracing) into a reviewed node agent or an init step outside
#     the application pod.
#   applies_to: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, PodTemplate, DeploymentConfig, Rollout]
#   mentions: [capabilities]
package clause.rules.kubernetes.dangerous_capabilities

import data.clause.lib.kubernetes as k8s
import data.clause.lib.kubernetes.containers
import data.clause.lib.kubernetes.label
import rego.v1

dangerous := {
	"ALL", "SYS_ADMIN", "SYS_MODULE", "SYS_RAWIO", "SYS_PTRACE", "SYS_BOOT",
	"SYS_TIME", "NET_ADMIN", "DAC_READ_SEARCH", "BPF", "PERFMON",
	"MAC_ADMIN", "MAC_OVERRIDE", "SYSLOG",
}

# Runtimes accept any case and an optional CAP_ prefix.
canonical(cap) := trim_prefix(upper(trim_space(cap)), "CAP_")

deny contains {
	"msg": sprintf("%s: container %q adds capability %s", [label, k8s.container_name(c), canonical(cap)]),
	"path": array.concat(c.path, ["securityContext", "capabilities", "add", i]),
} if {
	some c in containers
	add := c.container.securityContext.capabilities.add
	is_array(add)
	some i, cap in add
	is_string(cap)
	canonical(cap) in dangerous
}

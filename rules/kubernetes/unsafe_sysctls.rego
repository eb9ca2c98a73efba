# METADATA
# title: Pod sets an unsafe sysctl
# description: >-
#   Kernel parameters set through `securityContext.sysctls` outside the
#   kubelet's safe set either are not namespaced, so they change the whole
#   node (vm.*, kernel.* other than shm_rmid_forced, fs.*), or are namespaced
#   but not isolated, letting one pod exhaust shared kernel memory or weaken
#   protections its neighbours rely on (kernel.msg*, kernel.sem,
#   net.core.*, net.ipv4.conf.*.rp_filter...). The kubelet refuses them
#   unless an administrator allowed them with --allowed-unsafe-sysctls, so a
#   pod that needs one either does not start or runs on nodes whose kernel
#   hardening was loosened for it. ISO/IEC 27002 11.5.4 asks that the use of
#   utilities able to override system controls be restricted and
#   controlled; a sysctl is such a control, and changing it from a workload
#   overrides the node's. The safe set is the one Pod Security Standards'
#   baseline allows as of Kubernetes 1.32: kernel.shm_rmid_forced,
#   net.ipv4.ip_local_port_range, net.ipv4.ip_local_reserved_ports,
#   net.ipv4.ip_unprivileged_port_start, net.ipv4.ping_group_range,
#   net.ipv4.tcp_syncookies, net.ipv4.tcp_keepalive_time,
#   net.ipv4.tcp_keepalive_intvl, net.ipv4.tcp_keepalive_probes,
#   net.ipv4.tcp_fin_timeout, net.ipv4.tcp_rmem and net.ipv4.tcp_wmem.
# custom:
#   id: CL-K8S-023
#   severity: medium
#   targets: [kubernetes]
#   controls:
#     iso27002:2005: ["11.5.4"]
#     iso27002:2022: ["8.18"]
#   remediation: >-
#     Remove the sysctl from `spec.securityContext.sysctls`. Tune node-wide
#     parameters on the nodes themselves (node image, a reviewed tuning
#     DaemonSet or the Node Tuning Operator) for a dedicated, tainted node
#     pool, and keep workload pods to the safe sysctls.
#   applies_to: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, PodTemplate, DeploymentConfig, Rollout]
#   mentions: [sysctls]
package clause.rules.kubernetes.unsafe_sysctls

import data.clause.lib.kubernetes as k8s
import data.clause.lib.kubernetes.label
import data.clause.lib.kubernetes.pod_security_context
import data.clause.lib.kubernetes.pod_spec_path
import rego.v1

safe := {
	"kernel.shm_rmid_forced",
	"net.ipv4.ip_local_port_range",
	"net.ipv4.ip_local_reserved_ports",
	"net.ipv4.ip_unprivileged_port_start",
	"net.ipv4.ping_group_range",
	"net.ipv4.tcp_syncookies",
	"net.ipv4.tcp_keepalive_time",
	"net.ipv4.tcp_keepalive_intvl",
	"net.ipv4.tcp_keepalive_probes",
	"net.ipv4.tcp_fin_timeout",
	"net.ipv4.tcp_rmem",
	"net.ipv4.tcp_wmem",
}

# The kubelet accepts `/` as the separator too (net/ipv4/tcp_syncookies).
canonical(name) := replace(trim_space(name), "/", ".")

sysctls contains {"name": s.name, "i": i} if {
	list := pod_security_context.sysctls
	is_array(list)
	some i, s in list
	is_object(s)
	is_string(s.name)
}

sysctls_path := array.concat(pod_spec_path, ["securityContext", "sysctls"])

deny contains {
	"msg": sprintf("%s sets the sysctl %s, outside the safe set: it changes the node or is not isolated from other pods", [label, s.name]),
	"path": array.concat(sysctls_path, [s.i, "name"]),
	"label": "unsafe sysctl",
} if {
	some s in sysctls
	not k8s.templated(s.name)
	not canonical(s.name) in safe
}

inconclusive contains {
	"msg": sprintf("%s sets a sysctl whose name is filled in by a template (%s)", [label, s.name]),
	"path": array.concat(sysctls_path, [s.i, "name"]),
} if {
	some s in sysctls
	k8s.templated(s.name)
}

inconclusive contains {
	"msg": sprintf("%s takes its sysctls from a template", [label]),
	"path": sysctls_path,
} if {
	k8s.templated(pod_security_context.sysctls)
}

# METADATA
# title: Pod shares the node's network, process or IPC namespace
# description: >-
#   `hostNetwork: true` puts the pod on the node's network stack: it can bind
#   node ports, reach services listening only on the node's loopback (kubelet,
#   cloud metadata proxies, local databases) and bypass NetworkPolicies.
#   `hostPID: true` lets it see, signal and (with ptrace) enter every process on
#   the node, including other pods' secrets in their environment and memory.
#   `hostIPC: true` exposes the node's shared memory and message queues. Each
#   removes a boundary between the workload and the node and everything else
#   running there. ISO/IEC 27002 11.6.2 asks that sensitive systems run in an
#   isolated environment; sharing the host's namespaces defeats the isolation
#   a pod is supposed to have from the node and its neighbours.
# custom:
#   id: CL-K8S-004
#   severity: high
#   targets: [kubernetes]
#   controls:
#     iso27002:2005: ["11.6.2"]
#     iso27002:2022: ["8.22"]
#   remediation: >-
#     Remove `hostNetwork`, `hostPID` and `hostIPC` from the pod spec (they
#     default to false). Expose ports through a Service instead of the node's
#     network, and reserve host namespaces for node agents that are reviewed and
#     run in a dedicated, restricted namespace.
#   applies_to: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, PodTemplate, DeploymentConfig, Rollout]
#   mentions: [hostNetwork, hostPID, hostIPC]
package clause.rules.kubernetes.host_namespaces

import data.clause.lib.kubernetes.is_workload
import data.clause.lib.kubernetes.label
import data.clause.lib.kubernetes.pod_spec
import data.clause.lib.kubernetes.pod_spec_path
import rego.v1

effects := {
	"hostNetwork": "uses the node's network namespace (hostNetwork: true)",
	"hostPID": "can see every process on the node (hostPID: true)",
	"hostIPC": "shares the node's IPC namespace (hostIPC: true)",
}

deny contains {
	"msg": sprintf("%s %s", [label, effect]),
	"path": array.concat(pod_spec_path, [field]),
} if {
	is_workload
	some field, effect in effects
	pod_spec[field] == true
}

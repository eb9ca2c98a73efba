# METADATA
# title: Container runs privileged
# description: >-
#   A privileged container has every Linux capability and full access to the
#   node's devices, so anyone who compromises it controls the node and every
#   other workload on it. ISO/IEC 27002 11.2.2 asks that privileges be
#   allocated only where needed and restricted; a privileged flag grants the
#   highest privilege on the host to application code.
# custom:
#   id: CL-K8S-001
#   severity: critical
#   targets: [kubernetes]
#   controls:
#     iso27002:2005: ["11.2.2"]
#     iso27002:2022: ["8.2"]
#   remediation: >-
#     Remove `privileged: true` (or set it to false) and grant only the specific
#     capabilities the container needs under securityContext.capabilities.add.
#   applies_to: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, PodTemplate, DeploymentConfig, Rollout]
#   mentions: [privileged]
package clause.rules.kubernetes.privileged_container

import data.clause.lib.kubernetes as k8s
import data.clause.lib.kubernetes.containers
import data.clause.lib.kubernetes.label
import rego.v1

deny contains {
	"msg": sprintf("%s: container %q runs privileged", [label, k8s.container_name(c)]),
	"path": array.concat(c.path, ["securityContext", "privileged"]),
} if {
	some c in containers
	c.container.securityContext.privileged == true
}

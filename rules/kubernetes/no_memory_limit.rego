# METADATA
# title: Container has no memory limit
# description: >-
#   A container without `resources.limits.memory` can grow until the node runs
#   out of memory: the kernel OOM killer and kubelet eviction then take down
#   other pods on the node, so one leaking or attacked workload (a
#   decompression bomb, an unbounded cache) becomes a denial of service for
#   its neighbours. Memory is the resource that matters here: CPU is
#   compressible and shared by requests, so a missing CPU limit only slows
#   others down and is deliberately not reported (CPU limits often cause
#   throttling). ISO/IEC 27002 10.3.1 asks that the use of resources be
#   monitored and tuned so that required capacity is available; a memory
#   ceiling per container is what keeps one workload from consuming the
#   capacity of the others. A pod-level limit (`spec.resources.limits.memory`)
#   counts; ephemeral containers, which cannot have resources, are not
#   examined, and a namespace LimitRange default cannot be seen from the
#   manifest.
# custom:
#   id: CL-K8S-013
#   severity: medium
#   targets: [kubernetes]
#   controls:
#     iso27002:2005: ["10.3.1"]
#     iso27002:2022: ["8.6"]
#   remediation: >-
#     Set `resources.limits.memory` on every container and init container
#     (e.g. `resources: {requests: {memory: 256Mi}, limits: {memory: 512Mi}}`),
#     sized from observed usage, or a pod-level `spec.resources.limits.memory`.
#   applies_to: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, PodTemplate, DeploymentConfig, Rollout]
package clause.rules.kubernetes.no_memory_limit

import data.clause.lib.kubernetes as k8s
import data.clause.lib.kubernetes.containers
import data.clause.lib.kubernetes.label
import data.clause.lib.kubernetes.pod_spec
import rego.v1


pod_limit if pod_spec.resources.limits.memory != null

# `resources` or `limits` a template fills in as a whole.
unknown(c) if is_string(c.container.resources)

unknown(c) if is_string(c.container.resources.limits)

has_limit(c) if c.container.resources.limits.memory != null

# Point at the deepest part that exists: limits, resources, the container.
where(c) := array.concat(c.path, ["resources", "limits"]) if {
	is_object(c.container.resources.limits)
} else := array.concat(c.path, ["resources"]) if {
	"resources" in object.keys(c.container)
} else := c.path

deny contains {
	"msg": sprintf("%s: container %q has no memory limit", [label, k8s.container_name(c)]),
	"path": where(c),
} if {
	not pod_limit
	some c in containers
	c.field != "ephemeralContainers"
	is_object(c.container)
	not has_limit(c)
	not unknown(c)
}

# METADATA
# title: Container requests no CPU
# description: >-
#   The scheduler places pods by their requests: a container without
#   `resources.requests.cpu` (and without a CPU limit, from which the request
#   would default) reserves no CPU, so nodes get packed beyond what they can
#   run, the container gets only leftover CPU under contention and is among
#   the first evicted, CPU-based autoscaling has no baseline to measure
#   against, and capacity planning from the manifests is impossible. ISO/IEC
#   27002 10.3.1 asks that resource use be monitored and tuned, with
#   projections of future capacity, so that systems perform as required; CPU
#   requests are the capacity Kubernetes plans and reserves. A pod-level
#   `spec.resources` CPU request or limit counts; ephemeral containers, which
#   cannot have resources, are not examined, and a namespace LimitRange
#   default cannot be seen from the manifest. Resources a template fills in
#   are reported as inconclusive.
# custom:
#   id: CL-K8S-032
#   severity: low
#   targets: [kubernetes]
#   controls:
#     iso27002:2005: ["10.3.1"]
#     iso27002:2022: ["8.6"]
#   remediation: >-
#     Set `resources.requests.cpu` on every container and init container,
#     sized from observed usage (e.g. `resources: {requests: {cpu: 250m,
#     memory: 256Mi}, limits: {memory: 512Mi}}`), or a pod-level
#     `spec.resources.requests.cpu`.
#   applies_to: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, PodTemplate, DeploymentConfig, Rollout]
package clause.rules.kubernetes.no_cpu_request

import data.clause.lib.kubernetes as k8s
import data.clause.lib.kubernetes.containers
import data.clause.lib.kubernetes.label
import data.clause.lib.kubernetes.pod_spec
import data.clause.lib.kubernetes.pod_spec_path
import rego.v1

pod_cpu if pod_spec.resources.requests.cpu != null

pod_cpu if pod_spec.resources.limits.cpu != null

# A CPU limit without a request sets the request to the limit.
has_cpu(c) if c.container.resources.requests.cpu != null

has_cpu(c) if c.container.resources.limits.cpu != null

unknown(c) if k8s.templated(c.container.resources)

unknown(c) if k8s.templated(c.container.resources.requests)

unknown(c) if k8s.templated(c.container.resources.limits)

unknown_pod if k8s.templated(pod_spec.resources)

examined contains c if {
	not pod_cpu
	some c in containers
	c.field != "ephemeralContainers"
	is_object(c.container)
	not has_cpu(c)
}

# Point at the deepest part that exists: requests, resources, the container.
where(c) := array.concat(c.path, ["resources", "requests"]) if {
	is_object(c.container.resources.requests)
} else := array.concat(c.path, ["resources"]) if {
	"resources" in object.keys(c.container)
} else := c.path

deny contains {
	"msg": sprintf("%s: container %q requests no CPU, so the scheduler reserves none for it", [label, k8s.container_name(c)]),
	"path": where(c),
	"label": "no CPU request",
} if {
	some c in examined
	not unknown(c)
	not unknown_pod
}

inconclusive contains {
	"msg": sprintf("%s: container %q takes its resources from a template", [label, k8s.container_name(c)]),
	"path": where(c),
} if {
	some c in examined
	unknown(c)
}

inconclusive contains {
	"msg": sprintf("%s takes its pod-level resources from a template", [label]),
	"path": array.concat(pod_spec_path, ["resources"]),
} if {
	unknown_pod
	count(examined) > 0
}

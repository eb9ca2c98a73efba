# METADATA
# title: Container binds a port on the node
# description: >-
#   A `hostPort` opens the port on the node's own addresses and forwards it
#   to the container, so anything that can reach the node reaches the pod
#   directly, around the Service, the load balancer and its source ranges,
#   and in many CNI plugins around NetworkPolicy as well; it also lets the
#   pod claim a port other node software expects. ISO/IEC 27002 10.6.1 asks
#   that networks be controlled to protect the systems on them, and 11.4.5
#   that services be segregated on the network; a host port puts a workload
#   on the node network, outside the pod network's segregation. Pods using
#   `hostNetwork`, which always listen on the node, are reported by
#   CL-K8S-004 instead.
# custom:
#   id: CL-K8S-028
#   severity: medium
#   targets: [kubernetes]
#   controls:
#     iso27002:2005: ["10.6.1", "11.4.5"]
#     iso27002:2022: ["8.20", "8.22"]
#   remediation: >-
#     Remove `hostPort` from the container's `ports` and publish the port
#     through a Service (ClusterIP behind an Ingress or Gateway, or a
#     LoadBalancer with source ranges). Node agents that must listen on the
#     node should run in a dedicated namespace behind a host firewall.
#   applies_to: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, PodTemplate, DeploymentConfig, Rollout]
#   mentions: [hostPort]
package clause.rules.kubernetes.host_port

import data.clause.lib.kubernetes as k8s
import data.clause.lib.kubernetes.containers
import data.clause.lib.kubernetes.label
import data.clause.lib.kubernetes.pod_spec
import rego.v1

host_ports contains {"c": c, "j": j, "port": p} if {
	not pod_spec.hostNetwork == true
	some c in containers
	ports := c.container.ports
	is_array(ports)
	some j, p in ports
	is_object(p)
	object.get(p, "hostPort", null) != null
}

deny contains {
	"msg": sprintf("%s: container %q listens on port %v of the node (hostPort)", [label, k8s.container_name(h.c), h.port.hostPort]),
	"path": array.concat(h.c.path, ["ports", h.j, "hostPort"]),
	"label": "reachable on the node's address",
} if {
	some h in host_ports
	is_number(h.port.hostPort)
	h.port.hostPort != 0
}

inconclusive contains {
	"msg": sprintf("%s: container %q takes its hostPort from a template", [label, k8s.container_name(h.c)]),
	"path": array.concat(h.c.path, ["ports", h.j, "hostPort"]),
} if {
	some h in host_ports
	k8s.templated(h.port.hostPort)
}

# METADATA
# title: Service is exposed on every node's address
# description: >-
#   A Service of type NodePort opens its port (30000-32767 by default) on every
#   node of the cluster, on every node address, so anything that can reach a
#   node (often a whole VPC, sometimes the internet when nodes have public
#   addresses) reaches the workload directly, around the load balancer,
#   Ingress, WAF or source-range filtering the cluster relies on, and without
#   a NetworkPolicy on the node port in many CNIs. ISO/IEC 27002 10.6.1 asks
#   that networks be controlled to protect the systems and applications on
#   them, and 11.4.6 that the ability to connect be restricted; a node port is
#   a listener on infrastructure addresses that those controls rarely cover.
#   LoadBalancer Services, which also allocate node ports, are examined by
#   CL-K8S-008 instead.
# custom:
#   id: CL-K8S-009
#   severity: medium
#   targets: [kubernetes]
#   controls:
#     iso27002:2005: ["10.6.1", "11.4.6"]
#     iso27002:2022: ["8.20"]
#   remediation: >-
#     Use `type: ClusterIP` and publish the service through an Ingress, a
#     Gateway or a LoadBalancer with `loadBalancerSourceRanges`. Where a node
#     port is unavoidable, keep nodes on private addresses and restrict the
#     node-port range with firewall rules or security groups.
#   applies_to: [Service]
package clause.rules.kubernetes.node_port_service

import data.clause.lib.kubernetes.label
import rego.v1

ports := [sprintf("%v", [p.nodePort]) |
	all := input.spec.ports
	is_array(all)
	some p in all
	p.nodePort != null
]

described_ports := sprintf(" (node port %s)", [concat(", ", ports)]) if count(ports) > 0

described_ports := "" if count(ports) == 0

deny contains {
	"msg": sprintf("%s is exposed on a port of every node%s (type: NodePort)", [label, described_ports]),
	"path": ["spec", "type"],
} if {
	input.kind == "Service"
	input.spec.type == "NodePort"
}

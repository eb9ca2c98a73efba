# METADATA
# title: Service claims external IPs
# description: >-
#   `spec.externalIPs` makes kube-proxy on every node capture traffic sent to
#   those addresses and hand it to the Service's pods. The addresses are not
#   checked: whoever can create a Service can list any IP, a database's, a
#   DNS server's or a public site's, and silently intercept what pods and
#   nodes send to it (CVE-2020-8554, unfixable in Kubernetes itself and
#   mitigated only by blocking the field); and traffic reaching a node on
#   such an address bypasses the load balancer and its source ranges.
#   ISO/IEC 27002 10.6.1 asks that networks be managed and controlled to
#   protect the systems on them; externalIPs let a manifest redirect network
#   traffic outside any network control. Values a template fills in are
#   reported as inconclusive.
# custom:
#   id: CL-K8S-027
#   severity: medium
#   targets: [kubernetes]
#   controls:
#     iso27002:2005: ["10.6.1"]
#     iso27002:2022: ["8.20"]
#   remediation: >-
#     Remove `spec.externalIPs` and expose the Service with `type:
#     LoadBalancer` (with `loadBalancerSourceRanges`) or through an Ingress or
#     Gateway; enable the DenyServiceExternalIPs admission plugin (or a policy
#     engine rule) so the field cannot be used.
#   applies_to: [Service]
package clause.rules.kubernetes.service_external_ips

import data.clause.lib.kubernetes as k8s
import data.clause.lib.kubernetes.label
import rego.v1

ips := [sprintf("%v", [ip]) | some ip in input.spec.externalIPs; not k8s.templated(ip)] if {
	input.kind == "Service"
	is_array(input.spec.externalIPs)
}

deny contains {
	"msg": sprintf("%s claims external IPs %s: every node captures traffic sent to them", [label, concat(", ", ips)]),
	"path": ["spec", "externalIPs"],
	"label": "traffic to these addresses is captured",
} if {
	count(ips) > 0
}

inconclusive contains {
	"msg": sprintf("%s takes externalIPs from a template", [label]),
	"path": ["spec", "externalIPs"],
} if {
	input.kind == "Service"
	templated_ips
}

templated_ips if k8s.templated(input.spec.externalIPs)

templated_ips if {
	is_array(input.spec.externalIPs)
	some ip in input.spec.externalIPs
	k8s.templated(ip)
}

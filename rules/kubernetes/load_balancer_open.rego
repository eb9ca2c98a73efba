# METADATA
# title: LoadBalancer Service accepts traffic from any address
# description: >-
#   A Service of type LoadBalancer asks the cloud for an external load
#   balancer; without `spec.loadBalancerSourceRanges` (or the older
#   `service.beta.kubernetes.io/load-balancer-source-ranges` annotation), or
#   with 0.0.0.0/0 or ::/0 among the ranges, anyone on the internet can
#   connect to the workload's ports, including admin and debug endpoints never
#   meant to be public. ISO/IEC 27002 10.6.1 asks that networks be controlled
#   to protect the systems on them, and 11.4.6 that users' ability to connect
#   be restricted in line with the access policy; source ranges are that
#   restriction at the edge. Internal load balancers (the cloud providers'
#   internal annotations, and the AWS Load Balancer Controller's default
#   internal scheme) are not reported.
# custom:
#   id: CL-K8S-008
#   severity: high
#   targets: [kubernetes]
#   controls:
#     iso27002:2005: ["10.6.1", "11.4.6"]
#     iso27002:2022: ["8.20"]
#   remediation: >-
#     List the client networks under `spec.loadBalancerSourceRanges` (e.g.
#     ["203.0.113.0/24"]) and never 0.0.0.0/0 or ::/0, make the load balancer
#     internal with the provider's annotation (e.g.
#     `service.beta.kubernetes.io/aws-load-balancer-scheme: internal`), or
#     publish HTTP services through an Ingress/Gateway that enforces
#     authentication and allow-lists.
#   applies_to: [Service]
package clause.rules.kubernetes.load_balancer_open

import data.clause.lib.kubernetes as k8s
import data.clause.lib.kubernetes.label
import rego.v1

ranges_annotation := "service.beta.kubernetes.io/load-balancer-source-ranges"

annotations := a if {
	a := input.metadata.annotations
	is_object(a)
} else := {}

annotation(key) := lower(trim_space(sprintf("%v", [annotations[key]])))

# Annotations that make the cloud provision a private load balancer.
internal if annotation("service.beta.kubernetes.io/aws-load-balancer-scheme") == "internal"

internal if {
	v := annotation("service.beta.kubernetes.io/aws-load-balancer-internal")
	not v in {"", "false"}
}

internal if annotation("service.beta.kubernetes.io/azure-load-balancer-internal") == "true"

internal if annotation("networking.gke.io/load-balancer-type") == "internal"

internal if annotation("cloud.google.com/load-balancer-type") == "internal"

internal if annotation("service.beta.kubernetes.io/oci-load-balancer-internal") == "true"

internal if annotation("service.beta.kubernetes.io/openstack-internal-load-balancer") == "true"

internal if annotation("service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type") == "private"

internal if annotation("service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type") == "intranet"

# The AWS Load Balancer Controller provisions internal NLBs unless told
# `aws-load-balancer-scheme: internet-facing`.
aws_lb_controller if input.spec.loadBalancerClass == "service.k8s.aws/nlb"

aws_lb_controller if annotation("service.beta.kubernetes.io/aws-load-balancer-type") in {"external", "nlb-ip"}

internal if {
	aws_lb_controller
	not annotations["service.beta.kubernetes.io/aws-load-balancer-scheme"]
}

# An annotation value a template fills in: the scheme is unknown.
internal if {
	some key, value in annotations
	is_string(value)
	contains(value, "{{")
	key in {
		"service.beta.kubernetes.io/aws-load-balancer-scheme",
		"service.beta.kubernetes.io/aws-load-balancer-internal",
		"service.beta.kubernetes.io/azure-load-balancer-internal",
		"networking.gke.io/load-balancer-type",
		"cloud.google.com/load-balancer-type",
		"service.beta.kubernetes.io/oci-load-balancer-internal",
		"service.beta.kubernetes.io/openstack-internal-load-balancer",
		"service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type",
		"service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type",
	}
}

public_lb if {
	input.kind == "Service"
	input.spec.type == "LoadBalancer"
	not internal
}

# A CIDR with a zero prefix length matches every address.
open_range(r) if {
	is_string(r)
	regex.match(`^[0-9A-Fa-f.:]+/0+$`, trim_space(r))
}

# The spec field wins over the annotation when it lists anything.
spec_ranges := r if {
	r := input.spec.loadBalancerSourceRanges
	is_array(r)
	count(r) > 0
}

# A value a template fills in (a string instead of a list).
spec_ranges_unknown if is_string(input.spec.loadBalancerSourceRanges)

annotation_ranges := [trim_space(r) | some r in split(annotations[ranges_annotation], ","); trim_space(r) != ""] if {
	not spec_ranges
	not spec_ranges_unknown
	is_string(annotations[ranges_annotation])
}

restricted if spec_ranges

restricted if spec_ranges_unknown

restricted if count(annotation_ranges) > 0

deny contains {
	"msg": sprintf("%s: load balancer source range %s admits every address", [label, r]),
	"path": ["spec", "loadBalancerSourceRanges", i],
	"label": "every address",
} if {
	public_lb
	some i, r in spec_ranges
	open_range(r)
}

deny contains {
	"msg": sprintf("%s: load balancer source range %s (annotation) admits every address", [label, r]),
	"path": ["metadata", "annotations", ranges_annotation],
	"label": "includes every address",
} if {
	public_lb
	some r in annotation_ranges
	open_range(r)
}

deny contains {
	"msg": sprintf("%s is a public load balancer with no loadBalancerSourceRanges, open to any address", [label]),
	"path": ["spec", "type"],
	"label": "public, no source ranges",
} if {
	public_lb
	not restricted
}

# METADATA
# title: Ingress or Route with TLS still serves plain HTTP
# description: >-
#   Ingress controllers redirect HTTP to HTTPS for hosts that have TLS
#   unless told otherwise; `nginx.ingress.kubernetes.io/ssl-redirect:
#   "false"` (and its ingress.kubernetes.io and haproxy.org equivalents), an
#   AWS load balancer with an HTTP listener beside HTTPS and no
#   `ssl-redirect`, or an OpenShift Route with `insecureEdgeTerminationPolicy:
#   Allow`, serve the same application over plain HTTP as well. Any link,
#   bookmark or downgrade attack that lands on http:// then sends cookies,
#   credentials and form data in clear text. ISO/IEC 27002 10.8.1 asks that
#   information exchanged be protected from interception, and 12.3.1 that
#   cryptography be applied consistently where policy requires it; an HTTP
#   listener beside the HTTPS one leaves a clear-text path open. Ingresses
#   without any TLS are reported by CL-K8S-029 instead; annotation values a
#   template fills in are reported as inconclusive.
# custom:
#   id: CL-K8S-030
#   severity: medium
#   targets: [kubernetes]
#   controls:
#     iso27002:2005: ["10.8.1", "12.3.1"]
#     iso27002:2022: ["5.14", "8.24"]
#   remediation: >-
#     Remove the `ssl-redirect: "false"` annotation (or set
#     `nginx.ingress.kubernetes.io/force-ssl-redirect: "true"`); for the AWS
#     Load Balancer Controller add `alb.ingress.kubernetes.io/ssl-redirect:
#     "443"`; for a Route set `spec.tls.insecureEdgeTerminationPolicy:
#     Redirect` (or None). Add an HSTS header so browsers stop trying HTTP.
#   applies_to: [Ingress, Route]
package clause.rules.kubernetes.ingress_http_allowed

import data.clause.lib.kubernetes as k8s
import data.clause.lib.kubernetes.label
import rego.v1

annotations := a if {
	a := input.metadata.annotations
	is_object(a)
} else := {}

annotation(key) := lower(trim_space(sprintf("%v", [annotations[key]])))

has_annotation(key) if annotations[key] != null

# TLS through spec.tls or a controller's certificate annotation.
tls if {
	is_array(input.spec.tls)
	count(input.spec.tls) > 0
}

tls if annotation("alb.ingress.kubernetes.io/certificate-arn") != ""

tls if contains(annotation("alb.ingress.kubernetes.io/listen-ports"), "https")

tls if annotation("ingress.gcp.kubernetes.io/pre-shared-cert") != ""

tls if annotation("networking.gke.io/managed-certificates") != ""

tls if annotation("appgw.ingress.kubernetes.io/appgw-ssl-certificate") != ""

tls if annotation("traefik.ingress.kubernetes.io/router.tls") == "true"

tls if k8s.templated(input.spec.tls)

ingress if {
	input.kind == "Ingress"
	tls
}

redirect_switches := [
	"nginx.ingress.kubernetes.io/ssl-redirect",
	"ingress.kubernetes.io/ssl-redirect",
	"haproxy.org/ssl-redirect",
]

forced if annotation("nginx.ingress.kubernetes.io/force-ssl-redirect") == "true"

deny contains {
	"msg": sprintf("%s turns off the HTTP to HTTPS redirect (%s: false), so its hosts are also served over plain HTTP", [label, key]),
	"path": ["metadata", "annotations", key],
	"label": "plain HTTP allowed",
} if {
	ingress
	some key in redirect_switches
	annotation(key) == "false"
	not forced
}

inconclusive contains {
	"msg": sprintf("%s takes %s from a template", [label, key]),
	"path": ["metadata", "annotations", key],
} if {
	ingress
	some key in redirect_switches
	k8s.templated(annotations[key])
	not forced
}

# AWS Load Balancer Controller: both listeners and no redirect.
alb_listen_ports := "alb.ingress.kubernetes.io/listen-ports"

alb_redirects if has_annotation("alb.ingress.kubernetes.io/ssl-redirect")

# The older redirect action, referenced from a rule.
alb_redirects if has_annotation("alb.ingress.kubernetes.io/actions.ssl-redirect")

deny contains {
	"msg": sprintf("%s has an HTTP listener beside HTTPS and no alb.ingress.kubernetes.io/ssl-redirect, so the load balancer serves plain HTTP too", [label]),
	"path": ["metadata", "annotations", alb_listen_ports],
	"label": "plain HTTP listener",
} if {
	ingress
	ports := annotation(alb_listen_ports)
	not k8s.templated(ports)
	regex.match(`"http"\s*:`, ports)
	regex.match(`"https"\s*:`, ports)
	not alb_redirects
}

# OpenShift Routes.
route if {
	input.kind == "Route"
	input.apiVersion in {"route.openshift.io/v1", "v1"}
}

deny contains {
	"msg": sprintf("%s allows plain HTTP beside TLS (insecureEdgeTerminationPolicy: Allow)", [label]),
	"path": ["spec", "tls", "insecureEdgeTerminationPolicy"],
	"label": "plain HTTP allowed",
} if {
	route
	input.spec.tls.insecureEdgeTerminationPolicy == "Allow"
}

inconclusive contains {
	"msg": sprintf("%s takes insecureEdgeTerminationPolicy from a template", [label]),
	"path": ["spec", "tls", "insecureEdgeTerminationPolicy"],
} if {
	route
	k8s.templated(input.spec.tls.insecureEdgeTerminationPolicy)
}

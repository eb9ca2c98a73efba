# METADATA
# title: Ingress or Route serves a host over plain HTTP
# description: >-
#   An Ingress without `spec.tls`, or with TLS that does not list one of its
#   hosts, publishes that host over plain HTTP: logins, session cookies, API
#   tokens and personal data cross the network (and often the internet) in
#   clear text, readable and modifiable by anyone on the path. The same goes
#   for an OpenShift Route without `spec.tls`. ISO/IEC 27002 10.8.1 asks that
#   information exchanged through communication facilities be protected from
#   interception and modification, and 12.3.1 that cryptographic controls be
#   used to protect information according to policy; TLS on the edge is that
#   control for web traffic. TLS terminated by the load balancer and declared
#   through controller annotations (AWS Load Balancer Controller certificate
#   or HTTPS listener, GKE pre-shared or managed certificates, Azure
#   Application Gateway certificate, Traefik router.tls, Kong https protocol)
#   counts. Hosts and TLS sections a template fills in are reported as
#   inconclusive.
# custom:
#   id: CL-K8S-029
#   severity: medium
#   targets: [kubernetes]
#   controls:
#     iso27002:2005: ["10.8.1", "12.3.1"]
#     iso27002:2022: ["5.14", "8.24"]
#   remediation: >-
#     Add `spec.tls: [{hosts: ["shop.example.com"], secretName: shop-tls}]`
#     covering every host of `spec.rules` (cert-manager can issue the
#     certificate from a `cert-manager.io/cluster-issuer` annotation), or
#     the controller's certificate annotation; for a Route, set `spec.tls:
#     {termination: edge, insecureEdgeTerminationPolicy: Redirect}`.
#   applies_to: [Ingress, Route]
package clause.rules.kubernetes.ingress_without_tls

import data.clause.lib.kubernetes as k8s
import data.clause.lib.kubernetes.label
import rego.v1

annotations := a if {
	a := input.metadata.annotations
	is_object(a)
} else := {}

annotation(key) := lower(trim_space(sprintf("%v", [annotations[key]])))

# TLS declared to the controller outside spec.tls.
tls_by_annotation if annotation("alb.ingress.kubernetes.io/certificate-arn") != ""

tls_by_annotation if contains(annotation("alb.ingress.kubernetes.io/listen-ports"), "https")

tls_by_annotation if annotation("ingress.gcp.kubernetes.io/pre-shared-cert") != ""

tls_by_annotation if annotation("networking.gke.io/managed-certificates") != ""

tls_by_annotation if annotation("appgw.ingress.kubernetes.io/appgw-ssl-certificate") != ""

tls_by_annotation if annotation("traefik.ingress.kubernetes.io/router.tls") == "true"

tls_by_annotation if contains(annotation("konghq.com/protocols"), "https")

ingress if {
	input.kind == "Ingress"
	not tls_by_annotation
}

tls_entries := [t | some t in input.spec.tls; is_object(t)] if {
	is_array(input.spec.tls)
} else := []

tls_hosts := {h | some t in tls_entries; is_array(t.hosts); some h in t.hosts; is_string(h)}

# A TLS entry without hosts applies the certificate to every host.
tls_everywhere if {
	some t in tls_entries
	not is_array(t.hosts)
}

tls_everywhere if {
	some t in tls_entries
	t.hosts == []
}

tls_hosts_unknown if {
	some h in tls_hosts
	k8s.templated(h)
}

covered(host) if host in tls_hosts

covered(_) if tls_everywhere

# `*.example.com` covers one label under example.com.
covered(host) if {
	some t in tls_hosts
	startswith(t, "*.")
	endswith(host, substring(t, 1, -1))
	count(split(host, ".")) == count(split(t, "."))
}

rule_hosts contains {"i": i, "host": r.host} if {
	rules := input.spec.rules
	is_array(rules)
	some i, r in rules
	is_string(r.host)
	r.host != ""
}

routes_something if {
	is_array(input.spec.rules)
	count(input.spec.rules) > 0
}

routes_something if input.spec.defaultBackend

routes_something if input.spec.backend

where_routed := ["spec", "rules"] if {
	is_array(input.spec.rules)
	count(input.spec.rules) > 0
} else := ["spec", "defaultBackend"] if {
	input.spec.defaultBackend
} else := ["spec", "backend"]

described_hosts := concat(", ", sort([h.host | some h in rule_hosts])) if {
	count(rule_hosts) > 0
} else := "every host"

no_tls if {
	ingress
	object.get(input.spec, "tls", null) in {null, []}
}

deny contains {
	"msg": sprintf("%s serves %s over plain HTTP: it has no spec.tls", [label, described_hosts]),
	"path": where_routed,
	"label": "no TLS",
} if {
	no_tls
	routes_something
}

deny contains {
	"msg": sprintf("%s serves host %s over plain HTTP: spec.tls does not list it", [label, h.host]),
	"path": ["spec", "rules", h.i, "host"],
	"label": "not covered by TLS",
} if {
	ingress
	count(tls_entries) > 0
	some h in rule_hosts
	not k8s.templated(h.host)
	not covered(h.host)
	not tls_hosts_unknown
}

inconclusive contains {
	"msg": sprintf("%s: whether host %s is covered by spec.tls is not known, as the host or the TLS hosts are filled in by a template", [label, h.host]),
	"path": ["spec", "rules", h.i, "host"],
} if {
	ingress
	count(tls_entries) > 0
	some h in rule_hosts
	not covered(h.host)
	undecided_host(h.host)
}

undecided_host(host) if k8s.templated(host)

undecided_host(_) if tls_hosts_unknown

inconclusive contains {
	"msg": sprintf("%s takes spec.tls from a template", [label]),
	"path": ["spec", "tls"],
} if {
	ingress
	k8s.templated(input.spec.tls)
}

# OpenShift Routes (route.openshift.io; `v1` in OpenShift 3).
route if {
	input.kind == "Route"
	input.apiVersion in {"route.openshift.io/v1", "v1"}
}

route_host := sprintf("%v", [input.spec.host]) if {
	input.spec.host
} else := "its generated host"

route_where := ["spec", "host"] if {
	input.spec.host
} else := ["spec"]

deny contains {
	"msg": sprintf("%s serves %s over plain HTTP: it has no spec.tls", [label, route_host]),
	"path": route_where,
	"label": "no TLS",
} if {
	route
	is_object(input.spec)
	object.get(input.spec, "tls", null) == null
}

inconclusive contains {
	"msg": sprintf("%s takes spec.tls from a template", [label]),
	"path": ["spec", "tls"],
} if {
	route
	k8s.templated(input.spec.tls)
}

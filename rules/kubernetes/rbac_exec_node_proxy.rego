# METADATA
# title: Role can exec into pods or proxy to the kubelet
# description: >-
#   `create` (or `get`, which older API servers accept for WebSocket
#   connections) on `pods/exec` or `pods/attach` runs commands inside any pod
#   of the namespace: the caller gets the pod's files, mounted Secrets,
#   service-account token and network position, whatever RBAC says about
#   those objects. Any verb on `nodes/proxy` reaches the kubelet API of every
#   node, where running commands in any pod on it, reading its logs and
#   bypassing admission and audit of those actions are all possible. ISO/IEC
#   27002 11.6.1 asks that access to information and application functions be
#   restricted in line with the access policy, and 11.2.2 that privileged
#   access be allocated only as needed; these subresources turn a namespace
#   or node-read role into access to everything the pods hold. `pods/exec`
#   limited by `resourceNames` to named pods is not reported; wildcard
#   resources are reported by CL-K8S-016.
# custom:
#   id: CL-K8S-019
#   severity: high
#   targets: [kubernetes]
#   controls:
#     iso27002:2005: ["11.6.1", "11.2.2"]
#     iso27002:2022: ["8.3", "8.2"]
#   remediation: >-
#     Remove `pods/exec`, `pods/attach` and `nodes/proxy` (and `pods/*`,
#     `nodes/*`) from roles used by workloads and everyday users; give
#     debugging access through a separate, time-limited role bound on demand.
#     Monitoring agents that need kubelet metrics should use `nodes/metrics`
#     and `nodes/stats` instead of `nodes/proxy`.
#   applies_to: [Role, ClusterRole]
package clause.rules.kubernetes.rbac_exec_node_proxy

import data.clause.lib.kubernetes as k8s
import data.clause.lib.kubernetes.label
import rego.v1

aggregated if {
	input.kind == "ClusterRole"
	is_object(input.aggregationRule)
}

policy_rules contains {"rule": r, "i": i} if {
	input.kind in {"Role", "ClusterRole"}
	not aggregated
	rules := input.rules
	is_array(rules)
	some i, r in rules
	is_object(r)
}

items(r, field) := l if {
	l := r[field]
	is_array(l)
} else := []

unknown(r, field) if k8s.templated(r[field])

unknown(r, field) if {
	some v in items(r, field)
	k8s.templated(v)
}

subresources := {
	"pods/exec": {"verbs": {"create", "get", "*"}, "pods": true, "effect": "can run commands in every pod in scope, with its Secrets and service-account token"},
	"pods/attach": {"verbs": {"create", "get", "*"}, "pods": true, "effect": "can attach to the processes of every pod in scope"},
	"pods/*": {"verbs": {"create", "get", "*"}, "pods": true, "effect": "can run commands in every pod in scope (pods/* includes pods/exec)"},
	"nodes/proxy": {"verbs": {"get", "create", "update", "patch", "delete", "*"}, "pods": false, "effect": "reaches the kubelet API of every node, where it can run commands in any pod"},
	"nodes/*": {"verbs": {"get", "create", "update", "patch", "delete", "*"}, "pods": false, "effect": "reaches the kubelet API of every node (nodes/* includes nodes/proxy)"},
}

verbs_status(r, s) := "yes" if {
	some v in items(r, "verbs")
	v in s.verbs
} else := "unknown" if {
	unknown(r, "verbs")
} else := "no"

groups_status(r) := "yes" if {
	some g in items(r, "apiGroups")
	g in {"", "*"}
} else := "unknown" if {
	unknown(r, "apiGroups")
} else := "no"

# Exec into named pods only.
narrowed(r, s) if {
	s.pods
	names := items(r, "resourceNames")
	count(names) > 0
	every n in names {
		is_string(n)
		not k8s.templated(n)
	}
}

names_unknown(r, s) if {
	s.pods
	unknown(r, "resourceNames")
}

grants contains {"p": p, "k": k, "name": res, "s": subresources[res]} if {
	some p in policy_rules
	some k, res in items(p.rule, "resources")
	is_string(res)
	subresources[res]
	not narrowed(p.rule, subresources[res])
}

verbs_granted(r, s) := concat(", ", [v | some v in items(r, "verbs"); v in s.verbs])

deny contains {
	"msg": sprintf("%s: rules[%d] grants %s on %s: the subject %s", [label, g.p.i, verbs_granted(g.p.rule, g.s), g.name, g.s.effect]),
	"path": ["rules", g.p.i, "resources", g.k],
	"label": "access to what the pods hold",
} if {
	some g in grants
	verbs_status(g.p.rule, g.s) == "yes"
	groups_status(g.p.rule) == "yes"
	not names_unknown(g.p.rule, g.s)
}

inconclusive contains {
	"msg": sprintf("%s: rules[%d] names %s, but its verbs, API groups or resourceNames come from a template, so whether it grants access is not known", [label, g.p.i, g.name]),
	"path": ["rules", g.p.i, "resources", g.k],
} if {
	some g in grants
	verbs_status(g.p.rule, g.s) in {"yes", "unknown"}
	groups_status(g.p.rule) in {"yes", "unknown"}
	undecided(g)
}

undecided(g) if verbs_status(g.p.rule, g.s) == "unknown"

undecided(g) if groups_status(g.p.rule) == "unknown"

undecided(g) if names_unknown(g.p.rule, g.s)

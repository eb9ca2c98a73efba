# METADATA
# title: Role can read every Secret
# description: >-
#   `get`, `list` or `watch` on `secrets` returns their decoded contents:
#   database passwords, API keys, TLS private keys, registry credentials and
#   service-account tokens. Without `resourceNames`, the grant covers every
#   Secret of the namespace (and of every namespace when a ClusterRole is
#   bound cluster-wide), including those of other applications and
#   controllers, so one compromised subject discloses them all; `list` and
#   `watch` return every value at once. ISO/IEC 27002 11.6.1 asks that access
#   to information be restricted in line with the access control policy;
#   reading a namespace's Secrets wholesale is rarely what a workload or
#   person needs. Grants limited by `resourceNames` to the Secrets the subject
#   owns are not reported; wildcard resources are reported by CL-K8S-016.
# custom:
#   id: CL-K8S-018
#   severity: high
#   targets: [kubernetes]
#   controls:
#     iso27002:2005: ["11.6.1"]
#     iso27002:2022: ["8.3"]
#   remediation: >-
#     Mount the Secrets the workload needs as volumes or environment
#     variables instead of reading them through the API, or limit the rule to
#     them with `resourceNames: ["<secret-name>"]` and `verbs: ["get"]`; use a
#     Role in the workload's namespace rather than a ClusterRole.
#   applies_to: [Role, ClusterRole]
package clause.rules.kubernetes.rbac_secret_read

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

read_verbs := {"get", "list", "watch", "*"}

verbs_status(r) := "yes" if {
	some v in items(r, "verbs")
	v in read_verbs
} else := "unknown" if {
	unknown(r, "verbs")
} else := "no"

groups_status(r) := "yes" if {
	some g in items(r, "apiGroups")
	g in {"", "*"}
} else := "unknown" if {
	unknown(r, "apiGroups")
} else := "no"

narrowed(r) if {
	names := items(r, "resourceNames")
	count(names) > 0
	every n in names {
		is_string(n)
		not k8s.templated(n)
	}
}

names_unknown(r) if unknown(r, "resourceNames")

scope := sprintf("every Secret of namespace %s", [input.metadata.namespace]) if {
	input.kind == "Role"
	is_string(input.metadata.namespace)
} else := "every Secret of its namespace" if {
	input.kind == "Role"
} else := "every Secret of the namespaces it is bound in, all of them through a ClusterRoleBinding"

verbs_granted(r) := concat(", ", [v | some v in items(r, "verbs"); v in read_verbs])

# Each explicit `secrets` entry.
secret_grants contains {"p": p, "k": k} if {
	some p in policy_rules
	some k, res in items(p.rule, "resources")
	res == "secrets"
	not narrowed(p.rule)
}

deny contains {
	"msg": sprintf("%s: rules[%d] grants %s on secrets, which reads %s", [label, g.p.i, verbs_granted(g.p.rule), scope]),
	"path": ["rules", g.p.i, "resources", g.k],
	"label": "reads every Secret",
} if {
	some g in secret_grants
	verbs_status(g.p.rule) == "yes"
	groups_status(g.p.rule) == "yes"
	not names_unknown(g.p.rule)
}

inconclusive contains {
	"msg": sprintf("%s: rules[%d] names secrets, but its verbs, API groups or resourceNames come from a template, so whether it reads every Secret is not known", [label, g.p.i]),
	"path": ["rules", g.p.i, "resources", g.k],
} if {
	some g in secret_grants
	verbs_status(g.p.rule) in {"yes", "unknown"}
	groups_status(g.p.rule) in {"yes", "unknown"}
	undecided(g.p.rule)
}

undecided(r) if verbs_status(r) == "unknown"

undecided(r) if groups_status(r) == "unknown"

undecided(r) if names_unknown(r)

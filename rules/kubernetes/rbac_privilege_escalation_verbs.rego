# METADATA
# title: Role grants escalate, bind, impersonate or token creation
# description: >-
#   Kubernetes RBAC stops a subject from granting permissions it does not
#   hold, except through a few verbs made to get around that check. `escalate`
#   on roles or clusterroles lets the subject write any permission into a
#   role; `bind` on them lets it bind any role, cluster-admin included, to
#   itself or anyone; `impersonate` on users, groups or service accounts lets
#   it act as them (`system:masters` included); `create` on
#   serviceaccounts/token mints tokens for service accounts and so acts with
#   their rights. Each is a path from a modest role to full control. ISO/IEC
#   27002 11.2.2 asks that privileges be allocated only as needed and under
#   control; these verbs let the holder allocate privileges to itself.
#   `bind` and `escalate` limited by `resourceNames` to roles other than
#   cluster-admin, admin and edit, and token creation limited to named
#   service accounts, are not reported; a wildcard verb is reported by
#   CL-K8S-016.
# custom:
#   id: CL-K8S-017
#   severity: high
#   targets: [kubernetes]
#   controls:
#     iso27002:2005: ["11.2.2"]
#     iso27002:2022: ["8.2"]
#   remediation: >-
#     Remove the verb. If a controller must create RoleBindings, give it
#     `bind` with `resourceNames` listing the specific roles it may bind;
#     list the exact service accounts under `resourceNames` for
#     `serviceaccounts/token`; replace impersonation by giving the caller its
#     own, narrowly bound identity.
#   applies_to: [Role, ClusterRole]
package clause.rules.kubernetes.rbac_privilege_escalation_verbs

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

rbac_roles := {"roles", "clusterroles", "*"}

identities := {"users", "groups", "serviceaccounts", "uids", "userextras", "*"}

checks := {
	"escalate": {
		"resources": rbac_roles, "groups": {"rbac.authorization.k8s.io", "*"}, "named": true,
		"effect": "can write any permission into a role, beyond what it holds",
	},
	"bind": {
		"resources": rbac_roles, "groups": {"rbac.authorization.k8s.io", "*"}, "named": true,
		"effect": "can bind any role, cluster-admin included, to itself or anyone",
	},
	"impersonate": {
		"resources": identities, "groups": {"", "authentication.k8s.io", "*"}, "named": false,
		"effect": "can act as other users, groups or service accounts",
	},
	"create": {
		"resources": {"serviceaccounts/token", "serviceaccounts/*"}, "groups": {"", "*"}, "named": true,
		"effect": "can mint tokens for service accounts and act with their rights",
	},
}

resource_matches(check, v) if v in check.resources

# userextras/<key> names one extra attribute.
resource_matches(check, v) if {
	"userextras" in check.resources
	is_string(v)
	startswith(v, "userextras/")
}

resources_status(r, check) := "yes" if {
	some v in items(r, "resources")
	resource_matches(check, v)
} else := "unknown" if {
	unknown(r, "resources")
} else := "no"

groups_status(r, check) := "yes" if {
	some g in items(r, "apiGroups")
	g in check.groups
} else := "unknown" if {
	unknown(r, "apiGroups")
} else := "no"

# resourceNames that keep the grant to roles other than the powerful ones
# (or to named service accounts).
powerful := {"cluster-admin", "admin", "edit"}

narrowed(r, check) if {
	check.named
	names := items(r, "resourceNames")
	count(names) > 0
	every n in names {
		is_string(n)
		not k8s.templated(n)
		not n in powerful
	}
}

names_unknown(r, check) if {
	check.named
	unknown(r, "resourceNames")
}

# Each grant of a listed verb, with where it is written.
grants contains {"p": p, "j": j, "verb": v, "check": checks[v], "resources": resources_status(p.rule, checks[v]), "groups": groups_status(p.rule, checks[v])} if {
	some p in policy_rules
	some j, v in items(p.rule, "verbs")
	is_string(v)
	checks[v]
	not narrowed(p.rule, checks[v])
}

deny contains {
	"msg": sprintf("%s: rules[%d] grants %s on %s%s: the subject %s", [label, g.p.i, g.verb, concat(", ", [sprintf("%v", [x]) | some x in items(g.p.rule, "resources")]), named(g.p.rule), g.check.effect]),
	"path": ["rules", g.p.i, "verbs", g.j],
	"label": "self-granted privilege",
} if {
	some g in grants
	g.resources == "yes"
	g.groups == "yes"
	not names_unknown(g.p.rule, g.check)
}

inconclusive contains {
	"msg": sprintf("%s: rules[%d] grants %s, but its resources, API groups or resourceNames come from a template, so whether it allows privilege escalation is not known", [label, g.p.i, g.verb]),
	"path": ["rules", g.p.i, "verbs", g.j],
} if {
	some g in grants
	g.resources in {"yes", "unknown"}
	g.groups in {"yes", "unknown"}
	undecided(g)
}

named(r) := sprintf(" named %s", [concat(", ", [sprintf("%v", [n]) | some n in items(r, "resourceNames")])]) if {
	count(items(r, "resourceNames")) > 0
} else := ""

undecided(g) if g.resources == "unknown"

undecided(g) if g.groups == "unknown"

undecided(g) if names_unknown(g.p.rule, g.check)

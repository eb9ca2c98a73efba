# METADATA
# title: Role grants every verb or every resource with a wildcard
# description: >-
#   A `*` in a Role or ClusterRole rule's `verbs` grants every action,
#   including delete, deletecollection, escalate, bind and impersonate, on the
#   listed resources; a `*` in `resources` grants the listed verbs on every
#   resource of the API groups, Secrets, pods/exec and RBAC objects included,
#   and on every resource type added later by a CRD or an upgrade. Both
#   together are cluster-admin. Wildcards make the grant impossible to review
#   from the manifest and let it grow silently. ISO/IEC 27002 11.2.2 asks
#   that privileges be allocated on a need-to-use basis and restricted; a
#   wildcard allocates every privilege the API has, needed or not.
#   ClusterRoles built by an aggregationRule (whose rules the controller
#   writes) are not examined.
# custom:
#   id: CL-K8S-016
#   severity: high
#   targets: [kubernetes]
#   controls:
#     iso27002:2005: ["11.2.2"]
#     iso27002:2022: ["8.2"]
#   remediation: >-
#     Replace `"*"` with the exact verbs (e.g. ["get", "list", "watch"]) and
#     resources (e.g. ["deployments", "configmaps"]) the subject uses; `kubectl
#     auth can-i --list --as <subject>` and the audit log show what it really
#     calls.
#   applies_to: [Role, ClusterRole]
package clause.rules.kubernetes.rbac_wildcard_permissions

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

first_wildcard(r, field) := min(js) if {
	js := {j | some j, v in items(r, field); v == "*"}
	count(js) > 0
}

unknown(r, field) if k8s.templated(r[field])

unknown(r, field) if {
	some v in items(r, field)
	k8s.templated(v)
}

listed(r, field) := concat(", ", [sprintf("%v", [v]) | some v in items(r, field)])

groups(r) := "every API group" if "*" in items(r, "apiGroups")

groups(r) := "the core API group" if {
	not "*" in items(r, "apiGroups")
	items(r, "apiGroups") == [""]
}

groups(r) := sprintf("API groups [%s]", [concat(", ", [g | some v in items(r, "apiGroups"); g := described_group(v)])]) if {
	not "*" in items(r, "apiGroups")
	items(r, "apiGroups") != [""]
}

described_group(v) := "\"\" (core)" if v == ""

# The core group holds Secrets.
with_secrets(r) := ", Secrets included" if {
	some g in items(r, "apiGroups")
	g in {"", "*"}
} else := ""

described_group(v) := sprintf("%v", [v]) if v != ""

deny contains {
	"msg": sprintf("%s: rules[%d] grants every verb on every resource of %s, which is cluster-admin over them", [label, p.i, groups(p.rule)]),
	"path": ["rules", p.i, "verbs", first_wildcard(p.rule, "verbs")],
	"label": "every verb, every resource",
} if {
	some p in policy_rules
	first_wildcard(p.rule, "verbs")
	first_wildcard(p.rule, "resources")
}

deny contains {
	"msg": sprintf("%s: rules[%d] grants every verb (create, update, delete, deletecollection and any added later) on %s", [label, p.i, listed(p.rule, "resources")]),
	"path": ["rules", p.i, "verbs", first_wildcard(p.rule, "verbs")],
	"label": "every verb",
} if {
	some p in policy_rules
	first_wildcard(p.rule, "verbs")
	not first_wildcard(p.rule, "resources")
	count(items(p.rule, "resources")) > 0
}

deny contains {
	"msg": sprintf("%s: rules[%d] grants %s on every resource of %s%s", [label, p.i, listed(p.rule, "verbs"), groups(p.rule), with_secrets(p.rule)]),
	"path": ["rules", p.i, "resources", first_wildcard(p.rule, "resources")],
	"label": "every resource",
} if {
	some p in policy_rules
	first_wildcard(p.rule, "resources")
	not first_wildcard(p.rule, "verbs")
	count(items(p.rule, "verbs")) > 0
}

inconclusive contains {
	"msg": sprintf("%s: rules[%d] takes its verbs or resources from a template, so whether it grants a wildcard is not known", [label, p.i]),
	"path": ["rules", p.i],
} if {
	some p in policy_rules
	some field in ["verbs", "resources"]
	unknown(p.rule, field)
	not first_wildcard(p.rule, "verbs")
	not first_wildcard(p.rule, "resources")
}

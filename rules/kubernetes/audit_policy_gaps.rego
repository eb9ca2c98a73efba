# METADATA
# title: Audit policy logs nothing, skips Secret access, or logs Secret values
# description: >-
#   The API server's audit policy decides, rule by rule and first match
#   wins, what is recorded of every API request; a request no rule matches is
#   not recorded. A policy whose rules are all `level: None` records nothing,
#   so no one can later tell who read, changed or deleted what. Secrets need
#   particular care: reading them is how credentials leak, so every request
#   on them should be recorded, at `Metadata` level (who, what, when), while
#   `Request` or `RequestResponse` would copy the Secret values themselves
#   into the audit log and every system that ships or stores it. ISO/IEC
#   27002 10.10.1 asks that audit logs recording user activities and security
#   events be produced and kept, and 10.10.3 that log information be
#   protected against unauthorized access; a policy that drops Secret access
#   defeats the first, one that logs Secret bodies the second. Rules limited
#   to named users or groups (excluding noisy system components) are
#   accepted; rules a template fills in are reported as inconclusive. Only
#   audit policy manifests (audit.k8s.io, kind Policy) are examined.
# custom:
#   id: CL-K8S-031
#   severity: medium
#   targets: [kubernetes]
#   controls:
#     iso27002:2005: ["10.10.1", "10.10.3"]
#     iso27002:2022: ["8.15"]
#   remediation: >-
#     Put a rule for Secrets first: `- level: Metadata` with `resources:
#     [{group: "", resources: ["secrets", "configmaps",
#     "serviceaccounts/token"]}]`; drop only specific noisy requests with
#     `level: None` limited by `users`/`userGroups`; and end with a catch-all
#     rule such as `- level: Metadata` so that nothing goes unrecorded.
#   applies_to: [Policy]
package clause.rules.kubernetes.audit_policy_gaps

import data.clause.lib.kubernetes as k8s
import data.clause.lib.kubernetes.label
import rego.v1

policy if {
	input.kind == "Policy"
	is_string(input.apiVersion)
	startswith(input.apiVersion, "audit.k8s.io/")
}

rules := r if {
	r := input.rules
	is_array(r)
} else := []

items(x, field) := l if {
	l := x[field]
	is_array(l)
} else := []

match_fields := ["level", "users", "userGroups", "verbs", "namespaces", "resources", "nonResourceURLs"]

# A rule (or part of one) a template fills in.
unknown_rule(r) if not is_object(r)

unknown_rule(r) if {
	some f in match_fields
	k8s.templated(r[f])
}

unknown_rule(r) if {
	some f in match_fields
	some v in items(r, f)
	k8s.templated(v)
}

unknown_rule(r) if {
	some gr in items(r, "resources")
	some f in ["group", "resources", "resourceNames"]
	templated_somewhere(gr, f)
}

templated_somewhere(gr, f) if k8s.templated(gr[f])

templated_somewhere(gr, f) if {
	some v in items(gr, f)
	k8s.templated(v)
}

unknowns := [i | some i, r in rules; unknown_rule(r)]

decidable if {
	policy
	count(unknowns) == 0
	not k8s.templated(input.rules)
}

# The group/resource entries of a rule that cover core Secrets.
secret_entries(r) := [gr |
	some gr in items(r, "resources")
	is_object(gr)
	object.get(gr, "group", "") in {"", null}
	res := items(gr, "resources")
	secret_resource(res)
]

secret_resource(res) if count(res) == 0

secret_resource(res) if "secrets" in res

secret_resource(res) if "*" in res

# The rule applies to (some) requests on Secrets.
matches_secrets(r) if {
	count(items(r, "nonResourceURLs")) == 0
	count(items(r, "resources")) == 0
}

matches_secrets(r) if {
	count(items(r, "nonResourceURLs")) == 0
	count(secret_entries(r)) > 0
}

# It applies to every request on Secrets.
full(r) if {
	matches_secrets(r)
	every f in ["users", "userGroups", "verbs", "namespaces"] {
		count(items(r, f)) == 0
	}
	unnamed(r)
}

unnamed(r) if count(items(r, "resources")) == 0

unnamed(r) if {
	some gr in secret_entries(r)
	count(items(gr, "resourceNames")) == 0
}

user_limited(r) if count(items(r, "users")) > 0

user_limited(r) if count(items(r, "userGroups")) > 0

first_full := min(found) if {
	found := {i | some i, r in rules; full(r)}
	count(found) > 0
}

before_first_full(i) if i <= first_full

before_first_full(_) if not first_full

rules_path := ["rules"] if {
	"rules" in object.keys(input)
} else := []

logs_nothing if {
	decidable
	every r in rules {
		r.level == "None"
	}
}

deny contains {
	"msg": sprintf("%s records nothing: every rule has level None (or there are no rules)", [label]),
	"path": rules_path,
	"label": "no audit trail",
} if {
	logs_nothing
}

deny contains {
	"msg": sprintf("%s drops every request on Secrets: rules[%d], the first rule matching them all, has level None", [label, first_full]),
	"path": ["rules", first_full, "level"],
	"label": "Secret access not recorded",
} if {
	decidable
	not logs_nothing
	rules[first_full].level == "None"
}

deny contains {
	"msg": sprintf("%s: no rule matches every request on Secrets, and requests no rule matches are not recorded", [label]),
	"path": rules_path,
	"label": "Secret access not recorded",
} if {
	decidable
	not logs_nothing
	not first_full
}

# A None rule limited by verbs or namespaces, not by who: those Secret
# requests go unrecorded for everyone.
deny contains {
	"msg": sprintf("%s: rules[%d] drops %s on Secrets for every user (level None)", [label, i, limited_to(r)]),
	"path": ["rules", i, "level"],
	"label": "Secret access not recorded",
} if {
	decidable
	not logs_nothing
	some i, r in rules
	before_first_full(i)
	matches_secrets(r)
	not full(r)
	not user_limited(r)
	r.level == "None"
}

limited_to(r) := concat(" ", [part | some part in [verbs, namespaces]; part != ""]) if {
	verbs := described(r, "verbs", "all requests", "%s requests")
	namespaces := described(r, "namespaces", "", "in namespaces %s")
}

described(r, field, empty, _) := empty if count(items(r, field)) == 0

described(r, field, _, template) := sprintf(template, [concat(", ", [sprintf("%v", [v]) | some v in items(r, field)])]) if count(items(r, field)) > 0

deny contains {
	"msg": sprintf("%s: rules[%d] logs requests on Secrets at level %s, which copies Secret values into the audit log", [label, i, r.level]),
	"path": ["rules", i, "level"],
	"label": "Secret values in the log",
} if {
	decidable
	some i, r in rules
	before_first_full(i)
	matches_secrets(r)
	r.level in {"Request", "RequestResponse"}
}

inconclusive contains {
	"msg": sprintf("%s: rules[%d] is filled in by a template, so what the policy records is not known", [label, i]),
	"path": ["rules", i],
} if {
	policy
	i := unknowns[0]
}

inconclusive contains {
	"msg": sprintf("%s takes its rules from a template", [label]),
	"path": ["rules"],
} if {
	policy
	k8s.templated(input.rules)
}

# METADATA
# title: Custom role grants every action at subscription or management group scope
# description: >-
#   A custom role definition whose `permissions` allow every action (`"*"`)
#   and that can be assigned at a subscription, a management group or the
#   tenant root gives whoever receives it control of every resource there:
#   it is Owner (or, with role assignments removed in `not_actions`,
#   Contributor) under another name, and unless `not_actions` removes
#   `Microsoft.Authorization/*` (or its role assignment writes) it lets its
#   holders grant themselves and others any further access. Such roles escape reviews that look for Owner
#   assignments and defeat least privilege. ISO/IEC 27002 11.2.2 asks that the
#   allocation and use of privileges be restricted and controlled; a
#   wildcard role at a broad scope is the opposite. A scope counts as broad
#   when `scope` or an entry of `assignable_scopes` is `/`, a subscription
#   (`/subscriptions/<id>`, `data.azurerm_subscription.<name>.id`) or a
#   management group; roles limited to resource groups or resources are not
#   flagged (Azure's built-in Owner covers that need). A scope or action list
#   known only after apply is reported as an inconclusive check. Assigning
#   the built-in Owner role itself is not flagged: whether that is justified
#   (a break-glass account, a platform pipeline, eligibility through PIM) is
#   not visible in the configuration.
# custom:
#   id: CL-AZR-012
#   severity: high
#   targets: [terraform]
#   provider: azure
#   controls:
#     iso27002:2005: ["11.2.2"]
#     iso27002:2022: ["8.2"]
#   remediation: >-
#     Replace `"*"` in `permissions.actions` with the resource provider
#     operations the role needs (for example
#     `"Microsoft.Compute/virtualMachines/start/action"`), or use a built-in
#     role; if broad control is really intended, limit `assignable_scopes` to the
#     resource groups concerned and keep `Microsoft.Authorization/*` in
#     `not_actions`.
#   applies_to: [azurerm_role_definition]
package clause.rules.terraform.azure.custom_role_wildcard_actions

import data.clause.lib.azure as az
import data.clause.lib.terraform as tf
import rego.v1

# level(v): how broad a scope is: "the tenant root", "subscription",
# "management group", "narrow" (a resource group or a resource), or nothing
# when it is known only after apply and its text does not tell.
level(v) := "the tenant root" if {
	is_string(v)
	trim_space(v) == "/"
}

level(v) := "subscription" if {
	is_string(v)
	regex.match(`(?i)^\s*/subscriptions/[^/]+/?\s*$`, v)
}

level(v) := "management group" if {
	is_string(v)
	regex.match(`(?i)^\s*/providers/microsoft\.management/managementgroups/[^/]+/?\s*$`, v)
}

level(v) := "narrow" if {
	is_string(v)
	regex.match(`(?i)^\s*/(subscriptions/[^/]+|providers/microsoft\.management/managementgroups/[^/]+)/.+`, v)
	not regex.match(`(?i)^\s*/(subscriptions/[^/]+|providers/microsoft\.management/managementgroups/[^/]+)/?\s*$`, v)
}

level(v) := "subscription" if {
	tf.is_unknown(v)
	is_string(v.__unknown__)
	subscription_text(v.__unknown__)
}

level(v) := "management group" if {
	tf.is_unknown(v)
	is_string(v.__unknown__)
	management_group_text(v.__unknown__)
}

level(v) := "narrow" if {
	tf.is_unknown(v)
	is_string(v.__unknown__)
	narrow_text(v.__unknown__)
}

subscription_text(t) if regex.match(`^\s*data\.azurerm_subscription\.[A-Za-z0-9_-]+(\[[^\]]*\])?\.id\s*$`, t)

subscription_text(t) if regex.match(`(?i)^\s*/subscriptions/\$\{[^}]+\}/?\s*$`, t)

subscription_text(t) if regex.match(`^\s*\$\{data\.azurerm_subscription\.[^}]+\.id\}/?\s*$`, t)

management_group_text(t) if regex.match(`^\s*(data\.)?azurerm_management_group\.[A-Za-z0-9_-]+(\[[^\]]*\])?\.id\s*$`, t)

management_group_text(t) if regex.match(`(?i)^\s*/providers/microsoft\.management/managementgroups/\$\{[^}]+\}/?\s*$`, t)

narrow_text(t) if regex.match(`(?i)/resourcegroups/`, t)

narrow_text(t) if {
	regex.match(`^\s*(data\.)?azurerm_[a-z0-9_]+\.[A-Za-z0-9_-]+(\[[^\]]*\])?\.id\s*$`, t)
	not subscription_text(t)
	not management_group_text(t)
}

# scopes(values): the role's scope and assignable scopes, with where.
scopes(values) := array.concat(
	[{"value": values.scope, "path": ["scope"]} | not tf.missing(values, "scope")],
	[{"value": s, "path": ["assignable_scopes", k]} | some k, s in tf.list(values.assignable_scopes)],
)

broad(values) := sort({sprintf("%s %s", [level(s.value), az.shown(s.value)]) |
	some s in scopes(values)
	level(s.value) != "narrow"
})

# wildcards(values): every `"*"` in the role's actions, with where.
wildcards(values) := [["permissions", i, "actions", j] |
	some i, p in tf.blocks(values, "permissions")
	is_object(p)
	some j, a in tf.list(p.actions)
	a == "*"
]

# manages_access(values): nothing in not_actions keeps the role away from
# Microsoft.Authorization (role assignments, policies, locks).
manages_access(values) if {
	not excludes_authorization(values)
}

# Exclusions in not_actions that keep a role from assigning roles.
authorization_exclusions := {
	"microsoft.authorization/*",
	"microsoft.authorization/*/write",
	"microsoft.authorization/roleassignments/*",
	"microsoft.authorization/roleassignments/write",
}

excludes_authorization(values) if {
	some p in tf.blocks(values, "permissions")
	is_object(p)
	some n in tf.list(p.not_actions)
	is_string(n)
	lower(n) in authorization_exclusions
}

excludes_authorization(values) if {
	some p in tf.blocks(values, "permissions")
	is_object(p)
	tf.is_unknown(p.not_actions)
}

reach(values) := ", including assigning roles and policies" if manages_access(values)

reach(values) := "" if not manages_access(values)

deny contains {"msg": msg, "label": "every action", "path": tf.path(address, path)} if {
	some address, role in tf.resources("azurerm_role_definition")
	where := broad(role.values)
	count(where) > 0
	some path in wildcards(role.values)
	msg := sprintf("%s grants every action (\"*\")%s, assignable at %s", [address, reach(role.values), concat(", ", where)])
}

# Checks that depend on a value known only after apply.

undecided contains {"msg": msg, "path": tf.path(address, s.path)} if {
	some address, role in tf.resources("azurerm_role_definition")
	count(broad(role.values)) == 0
	count(wildcards(role.values)) > 0
	some s in scopes(role.values)
	tf.is_unknown(s.value)
	not level(s.value)
	msg := sprintf("%s grants every action (\"*\") and may be assignable at a subscription or management group: %s", [address, az.unknown_text(field(s.path), s.value)])
}

undecided contains {"msg": msg, "path": tf.path(address, path)} if {
	some address, role in tf.resources("azurerm_role_definition")
	count(broad(role.values)) > 0
	some u in unknown_actions(role.values)
	path := u.path
	msg := sprintf("%s may grant every action at %s: %s", [address, concat(", ", broad(role.values)), az.unknown_text("actions", u.value)])
}

unknown_actions(values) := {{"path": ["permissions", i, "actions"], "value": p.actions} |
	some i, p in tf.blocks(values, "permissions")
	is_object(p)
	tf.is_unknown(p.actions)
} | {{"path": ["permissions", i, "actions", j], "value": a} |
	some i, p in tf.blocks(values, "permissions")
	is_object(p)
	some j, a in tf.list(p.actions)
	tf.is_unknown(a)
}

field(path) := path[count(path) - 1] if is_string(path[count(path) - 1])

field(path) := path[count(path) - 2] if is_number(path[count(path) - 1])

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

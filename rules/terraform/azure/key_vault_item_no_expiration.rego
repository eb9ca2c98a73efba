# METADATA
# title: Key Vault key or secret never expires
# description: >-
#   A key or secret without an expiration date stays valid for as long as
#   it exists: nothing forces it to be rotated, a copy that leaked years ago
#   still works, and the inventory cannot show which credentials are overdue.
#   An expiration date makes Key Vault refuse to use an expired key for
#   new cryptographic operations, lets Event Grid and Defender for Cloud warn
#   before it happens, and puts a lifetime on every secret. ISO/IEC 27002
#   12.3.2 asks that key management define activation and deactivation dates
#   for keys so they can only be used for a defined period. Examined:
#   azurerm_key_vault_key (an `expiration_date`, or a `rotation_policy` with
#   `expire_after`, which sets one on every version),
#   azurerm_key_vault_managed_hardware_security_module_key and
#   azurerm_key_vault_secret. An expiration computed when applying (for
#   example `timeadd(timestamp(), "8760h")`) counts as set; one from a
#   variable that may be null is reported as an inconclusive check.
# custom:
#   id: CL-AZR-020
#   severity: low
#   targets: [terraform]
#   provider: azure
#   controls:
#     iso27002:2005: ["12.3.2"]
#     iso27002:2022: ["8.24"]
#   remediation: >-
#     Give keys a `rotation_policy` with `expire_after` (for example `"P90D"`)
#     and `automatic { time_before_expiry = "P30D" }`, or an `expiration_date`
#     in RFC 3339 format (`"2026-12-31T00:00:00Z"`); give secrets an
#     `expiration_date` and rotate them before it.
#   applies_to: [azurerm_key_vault_key, azurerm_key_vault_managed_hardware_security_module_key, azurerm_key_vault_secret]
package clause.rules.terraform.azure.key_vault_item_no_expiration

import data.clause.lib.azure as az
import data.clause.lib.terraform as tf
import rego.v1

kinds := {
	"azurerm_key_vault_key": "key",
	"azurerm_key_vault_managed_hardware_security_module_key": "key",
	"azurerm_key_vault_secret": "secret",
}

# expires_by_policy(values): a rotation policy gives every version an
# expiration date.
expires_by_policy(values) if {
	some p in tf.blocks(values, "rotation_policy")
	is_object(p)
	az.present(p.expire_after)
}

# undecided_policy(values): whether the rotation policy sets an expiry is
# known only after apply.
undecided_policy(values) := {"path": ["rotation_policy"], "value": values.rotation_policy} if {
	tf.is_unknown(values.rotation_policy)
}

undecided_policy(values) := {"path": ["rotation_policy", i, "expire_after"], "value": p.expire_after} if {
	some i, p in tf.blocks(values, "rotation_policy")
	az.may_be_null(p.expire_after)
}

items contains {"address": address, "kind": kind, "values": r.values} if {
	some type, kind in kinds
	some address, r in tf.resources(type)
	not az.present(r.values.expiration_date)
	not az.may_be_null(r.values.expiration_date)
	not expires_by_policy(r.values)
}

deny contains {"msg": msg, "label": "never expires", "path": tf.resource_path(i.address)} if {
	some i in items
	not undecided_policy(i.values)
	not tf.has_key(i.values, "expiration_date")
	msg := sprintf("%s is a %s that never expires: it has no expiration_date%s", [i.address, i.kind, policy_hint(i.kind)])
}

deny contains {"msg": msg, "label": "never expires", "path": tf.path(i.address, ["expiration_date"])} if {
	some i in items
	not undecided_policy(i.values)
	tf.has_key(i.values, "expiration_date")
	msg := sprintf("%s is a %s that never expires: expiration_date is %s%s", [i.address, i.kind, empty(i.values.expiration_date), policy_hint(i.kind)])
}

empty(v) := "null" if v == null

empty(v) := "empty" if v == ""

policy_hint("key") := " and no rotation_policy with expire_after"

policy_hint("secret") := ""

# Checks that depend on a value known only after apply.

undecided contains {"msg": msg, "path": tf.path(address, ["expiration_date"])} if {
	some type, kind in kinds
	some address, r in tf.resources(type)
	az.may_be_null(r.values.expiration_date)
	not expires_by_policy(r.values)
	msg := sprintf("%s may be a %s that never expires: %s and may be null", [address, kind, az.unknown_text("expiration_date", r.values.expiration_date)])
}

undecided contains {"msg": msg, "path": tf.path(address, u.path)} if {
	some type, kind in kinds
	some address, r in tf.resources(type)
	not az.present(r.values.expiration_date)
	not az.may_be_null(r.values.expiration_date)
	not expires_by_policy(r.values)
	u := undecided_policy(r.values)
	msg := sprintf("%s may be a %s that never expires: it has no expiration_date, and %s", [address, kind, az.unknown_text(u.path[count(u.path) - 1], u.value)])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

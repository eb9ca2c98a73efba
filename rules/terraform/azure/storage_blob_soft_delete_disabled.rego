# METADATA
# title: Storage account does not keep deleted blobs
# description: >-
#   Without blob soft delete, a blob deleted or overwritten by mistake, by a
#   faulty job or by an attacker holding the account key is gone at once:
#   Azure Storage keeps no copy to restore. Soft delete keeps deleted blobs and
#   overwritten versions recoverable for the configured number of days.
#   Terraform's azurerm provider leaves it off unless `blob_properties` has a
#   `delete_retention_policy` block (whose `days` default to 7). ISO/IEC 27002
#   10.5.1 asks for back-up copies that allow information to be recovered, and
#   15.1.3 asks that important records be protected from loss, destruction and
#   falsification; soft delete is the storage service's own protection against
#   both. Flagged: no `delete_retention_policy`, `days` below 7, and
#   `permanent_delete_enabled = true`, which lets soft-deleted blobs be purged
#   before their retention ends. FileStorage accounts, which have no blob
#   service, are not examined. Settings known only after apply are reported as
#   inconclusive checks, never as findings.
# custom:
#   id: CL-AZR-011
#   severity: medium
#   targets: [terraform]
#   provider: azure
#   controls:
#     iso27002:2005: ["10.5.1", "15.1.3"]
#     iso27002:2022: ["8.13", "5.33"]
#   remediation: >-
#     Add `blob_properties { delete_retention_policy { days = 7 } }` (or longer,
#     up to 365) to the storage account, leave `permanent_delete_enabled`
#     false, and consider `container_delete_retention_policy` and
#     `versioning_enabled = true` in the same block.
#   applies_to: [azurerm_storage_account]
package clause.rules.terraform.azure.storage_blob_soft_delete_disabled

import data.clause.lib.azure as az
import data.clause.lib.terraform as tf
import rego.v1

minimum := 7

# has_blobs(values): the account has a blob service (every kind but
# FileStorage).
has_blobs(values) if tf.missing(values, "account_kind")

has_blobs(values) if {
	is_string(values.account_kind)
	lower(values.account_kind) != "filestorage"
}

accounts := {address: r |
	some address, r in tf.resources("azurerm_storage_account")
	has_blobs(r.values)
}

# policies(values): the delete retention policies, with where they are.
policies(values) := [{"block": p, "at": ["blob_properties", i, "delete_retention_policy", j]} |
	some i, bp in tf.blocks(values, "blob_properties")
	is_object(bp)
	some j, p in tf.blocks(bp, "delete_retention_policy")
	is_object(p)
]

# undecided_policy(values): the blob properties, or their retention policy,
# are known only after apply, with where.
undecided_policy(values) := {"path": ["blob_properties"], "value": values.blob_properties} if {
	tf.is_unknown(values.blob_properties)
}

undecided_policy(values) := {"path": ["blob_properties", i, "delete_retention_policy"], "value": bp.delete_retention_policy} if {
	some i, bp in tf.blocks(values, "blob_properties")
	tf.is_unknown(bp.delete_retention_policy)
}

# where_missing(values): the blob properties block when it exists, else the
# account.
where_missing(address, values) := tf.path(address, ["blob_properties", 0]) if {
	count(tf.blocks(values, "blob_properties")) > 0
	is_object(values.blob_properties[0])
}

where_missing(address, values) := tf.resource_path(address) if count(tf.blocks(values, "blob_properties")) == 0

where_missing(address, values) := tf.resource_path(address) if {
	count(tf.blocks(values, "blob_properties")) > 0
	not is_object(values.blob_properties[0])
}

days(v) := v if is_number(v)

days(v) := to_number(v) if {
	is_string(v)
	regex.match(`^\s*[0-9]+\s*$`, v)
}

deny contains {"msg": msg, "label": "no soft delete", "path": where_missing(address, account.values)} if {
	some address, account in accounts
	count(policies(account.values)) == 0
	not undecided_policy(account.values)
	msg := sprintf("%s has no blob soft delete: blob_properties has no delete_retention_policy, so deleted and overwritten blobs cannot be recovered", [address])
}

deny contains {"msg": msg, "label": "short retention", "path": tf.path(address, array.concat(p.at, ["days"]))} if {
	some address, account in accounts
	some p in policies(account.values)
	d := days(p.block.days)
	d < minimum
	msg := sprintf("%s keeps deleted blobs for only %v day(s) (days = %v); at least %d are needed", [address, d, d, minimum])
}

deny contains {"msg": msg, "label": "purge allowed", "path": tf.path(address, array.concat(p.at, ["permanent_delete_enabled"]))} if {
	some address, account in accounts
	some p in policies(account.values)
	tf.is_true(p.block.permanent_delete_enabled)
	msg := sprintf("%s lets soft-deleted blobs be purged before their retention ends (permanent_delete_enabled = true)", [address])
}

# Checks that depend on a value known only after apply.

undecided contains {"msg": msg, "path": tf.path(address, u.path)} if {
	some address, account in accounts
	count(policies(account.values)) == 0
	u := undecided_policy(account.values)
	msg := sprintf("%s may have no blob soft delete: %s", [address, az.unknown_text(u.path[count(u.path) - 1], u.value)])
}

undecided contains {"msg": msg, "path": tf.path(address, array.concat(p.at, [key]))} if {
	some address, account in accounts
	some p in policies(account.values)
	some key in ["days", "permanent_delete_enabled"]
	tf.is_unknown(p.block[key])
	msg := sprintf("%s may not keep deleted blobs long enough: %s", [address, az.unknown_text(key, p.block[key])])
}

undecided contains {"msg": msg, "path": tf.path(address, ["account_kind"])} if {
	some address, account in tf.resources("azurerm_storage_account")
	tf.is_unknown(account.values.account_kind)
	count(policies(account.values)) == 0
	msg := sprintf("%s may have no blob soft delete: it has no delete_retention_policy, which matters unless it is a FileStorage account, and %s", [address, az.unknown_text("account_kind", account.values.account_kind)])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

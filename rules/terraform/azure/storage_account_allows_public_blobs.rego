# METADATA
# title: Storage account allows containers to be made public
# description: >-
#   While a storage account allows public access to nested items, any
#   identity allowed to write container properties (including anyone holding
#   the account key or a broad SAS) can turn a container public with one
#   call, and its blobs are then readable by anyone on the internet without a
#   credential; most published Azure Storage data leaks started this way.
#   Switching it off at the account makes every container private whatever
#   its own setting says. The argument is `allow_nested_items_to_be_public`
#   since azurerm 3.0, where it defaults to true, and `allow_blob_public_access`
#   before, where it defaulted to false: an unset argument is flagged unless
#   the module pins the azurerm provider below 3.0. ISO/IEC 27002 11.6.1 asks
#   that access to information be restricted in accordance with the access
#   control policy, and closing anonymous access at the account is the
#   control that keeps it restricted. FileStorage accounts, which have no blob
#   service, are not examined; a value known only after apply is reported as an
#   inconclusive check.
# custom:
#   id: CL-AZR-015
#   severity: medium
#   targets: [terraform]
#   provider: azure
#   controls:
#     iso27002:2005: ["11.6.1"]
#     iso27002:2022: ["8.3"]
#   remediation: >-
#     Set `allow_nested_items_to_be_public = false` on the storage account
#     (`allow_blob_public_access = false` with azurerm 2.x); serve public
#     content through a static website, Azure Front Door or a CDN instead of
#     public containers.
#   applies_to: [azurerm_storage_account]
package clause.rules.terraform.azure.storage_account_allows_public_blobs

import data.clause.lib.azure as az
import data.clause.lib.azure.legacy_provider
import data.clause.lib.terraform as tf
import rego.v1

keys := ["allow_nested_items_to_be_public", "allow_blob_public_access"]

has_blobs(values) if tf.missing(values, "account_kind")

has_blobs(values) if {
	is_string(values.account_kind)
	lower(values.account_kind) != "filestorage"
}

has_blobs(values) if tf.is_unknown(values.account_kind)

accounts := {address: r |
	some address, r in tf.resources("azurerm_storage_account")
	has_blobs(r.values)
}

deny contains {"msg": msg, "label": "public containers allowed", "path": tf.path(address, [s.key])} if {
	some address, account in accounts
	s := az.named(account.values, keys)
	tf.is_true(s.value)
	msg := sprintf("%s allows its containers to be made public (%s = true)", [address, s.key])
}

deny contains {"msg": msg, "label": "public containers allowed", "path": tf.resource_path(address)} if {
	some address, account in accounts
	az.unset(account.values, keys)
	not legacy_provider
	msg := sprintf("%s allows its containers to be made public: allow_nested_items_to_be_public is not set and defaults to true", [address])
}

undecided contains {"msg": msg, "path": tf.path(address, [s.key])} if {
	some address, account in accounts
	s := az.named(account.values, keys)
	tf.is_unknown(s.value)
	msg := sprintf("%s may allow its containers to be made public: %s", [address, az.unknown_text(s.key, s.value)])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

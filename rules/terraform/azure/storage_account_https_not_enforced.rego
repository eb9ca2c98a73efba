# METADATA
# title: Storage account accepts unencrypted HTTP requests
# description: >-
#   With secure transfer switched off, a storage account's blob, file, queue
#   and table endpoints answer plain HTTP: the data, the shared access
#   signatures in request URLs and the account's authorisation headers cross
#   the network in clear text, where anyone on the path can read or replay
#   them, and SMB shares can be mounted without encryption. The argument is
#   `https_traffic_only_enabled` in azurerm 4.x and `enable_https_traffic_only`
#   in earlier releases; both default to true, so only an explicit false is
#   flagged. ISO/IEC 27002 10.8.1 asks that information
#   exchanged over communication facilities be protected, and encryption in
#   transit is the minimum protection for data leaving the storage service. A
#   value known only after apply is reported as an inconclusive check.
# custom:
#   id: CL-AZR-004
#   severity: high
#   targets: [terraform]
#   provider: azure
#   controls:
#     iso27002:2005: ["10.8.1"]
#     iso27002:2022: ["5.14"]
#   remediation: >-
#     Remove the argument or set `https_traffic_only_enabled = true` (azurerm
#     4.x; `enable_https_traffic_only = true` on older providers), and update
#     clients and custom domains to use HTTPS (Azure Front Door or a CDN can
#     terminate HTTPS for a custom domain).
#   applies_to: [azurerm_storage_account]
package clause.rules.terraform.azure.storage_account_https_not_enforced

import data.clause.lib.azure as az
import data.clause.lib.terraform as tf
import rego.v1

keys := ["https_traffic_only_enabled", "enable_https_traffic_only"]

deny contains {"msg": msg, "label": "HTTP allowed", "path": tf.path(address, [s.key])} if {
	some address, account in tf.resources("azurerm_storage_account")
	s := az.named(account.values, keys)
	tf.is_false(s.value)
	msg := sprintf("%s accepts unencrypted HTTP requests (%s = false)", [address, s.key])
}

undecided contains {"msg": msg, "path": tf.path(address, [s.key])} if {
	some address, account in tf.resources("azurerm_storage_account")
	s := az.named(account.values, keys)
	tf.is_unknown(s.value)
	msg := sprintf("%s may accept unencrypted HTTP requests: %s", [address, az.unknown_text(s.key, s.value)])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

# METADATA
# title: Database is not encrypted at rest
# description: >-
#   Transparent data encryption (TDE) encrypts a SQL database's data files,
#   log files and backups; without it, the files and every backup copy hold
#   the records in clear, readable by anyone who obtains a copy of the
#   storage or of a backup exported or restored outside its access controls.
#   Azure SQL databases have TDE on by default and a configuration must switch
#   it off; dedicated SQL pools of Synapse (and former SQL Data Warehouse)
#   have it off unless `data_encryption = true`. ISO/IEC 27002 12.3.1 asks
#   that cryptographic controls protect information according to a policy,
#   and encryption at rest for databases is the first place such a policy
#   applies. Examined: `transparent_data_encryption_enabled` of
#   azurerm_mssql_database, `data_encryption` of azurerm_synapse_sql_pool and
#   `encryption_state` of azurerm_data_lake_store. A value known only after
#   apply is reported as an inconclusive check.
# custom:
#   id: CL-AZR-018
#   severity: high
#   targets: [terraform]
#   provider: azure
#   controls:
#     iso27002:2005: ["12.3.1"]
#     iso27002:2022: ["8.24"]
#   remediation: >-
#     Remove `transparent_data_encryption_enabled = false` from the database (or
#     set it to true), set `data_encryption = true` on Synapse SQL pools and
#     `encryption_state = "Enabled"` on Data Lake stores; use
#     azurerm_mssql_server_transparent_data_encryption with a Key Vault key if
#     the keys must be customer managed.
#   applies_to: [azurerm_mssql_database, azurerm_synapse_sql_pool, azurerm_data_lake_store]
package clause.rules.terraform.azure.database_encryption_at_rest_disabled

import data.clause.lib.azure as az
import data.clause.lib.terraform as tf
import rego.v1

deny contains {"msg": msg, "label": "not encrypted", "path": tf.path(address, ["transparent_data_encryption_enabled"])} if {
	some address, db in tf.resources("azurerm_mssql_database")
	tf.is_false(db.values.transparent_data_encryption_enabled)
	msg := sprintf("%s stores its data and backups unencrypted (transparent_data_encryption_enabled = false)", [address])
}

deny contains {"msg": msg, "label": "not encrypted", "path": tf.path(address, ["data_encryption"])} if {
	some address, pool in tf.resources("azurerm_synapse_sql_pool")
	tf.is_false(pool.values.data_encryption)
	msg := sprintf("%s stores its data unencrypted (data_encryption = false)", [address])
}

deny contains {"msg": msg, "label": "not encrypted", "path": tf.path(address, ["data_encryption"])} if {
	some address, pool in tf.resources("azurerm_synapse_sql_pool")
	tf.has_key(pool.values, "data_encryption")
	pool.values.data_encryption == null
	msg := sprintf("%s stores its data unencrypted: data_encryption is null and defaults to false", [address])
}

deny contains {"msg": msg, "label": "not encrypted", "path": tf.resource_path(address)} if {
	some address, pool in tf.resources("azurerm_synapse_sql_pool")
	not tf.has_key(pool.values, "data_encryption")
	msg := sprintf("%s stores its data unencrypted: data_encryption is not set and defaults to false", [address])
}

deny contains {"msg": msg, "label": "not encrypted", "path": tf.path(address, ["encryption_state"])} if {
	some address, store in tf.resources("azurerm_data_lake_store")
	az.lower_text(store.values.encryption_state) == "disabled"
	msg := sprintf("%s stores its data unencrypted (encryption_state = %q)", [address, store.values.encryption_state])
}

# Checks that depend on a value known only after apply.

settings := {
	"azurerm_mssql_database": "transparent_data_encryption_enabled",
	"azurerm_synapse_sql_pool": "data_encryption",
	"azurerm_data_lake_store": "encryption_state",
}

undecided contains {"msg": msg, "path": tf.path(address, [key])} if {
	some type, key in settings
	some address, r in tf.resources(type)
	tf.is_unknown(r.values[key])
	msg := sprintf("%s may store its data unencrypted: %s", [address, az.unknown_text(key, r.values[key])])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

# METADATA
# title: Service accepts shared keys or passwords instead of Entra ID
# description: >-
#   Storage account access keys and SQL logins are shared secrets: whoever
#   holds one has full access, with no identity in the logs, no multi-factor
#   authentication or Conditional Access, and no expiry; they end up in
#   connection strings, scripts and CI variables and stay valid after people
#   leave. Microsoft Entra ID authentication ties every connection to an
#   identity that can be disabled, reviewed and protected. ISO/IEC 27002
#   11.4.2 asks that appropriate authentication methods control access by
#   remote users, which shared secrets accepted from anywhere are not.
#   Flagged: azurerm_storage_account whose `shared_access_key_enabled` is
#   unset or true (the default; account keys and the SAS tokens signed with
#   them keep working), and azurerm_mssql_server without an
#   `azuread_administrator` whose `azuread_authentication_only` is true (SQL
#   logins keep working), as well as the legacy azurerm_sql_server unless an
#   azurerm_sql_active_directory_administrator of the module sets
#   `azuread_authentication_only = true` for it. Values known only after apply
#   are reported as inconclusive checks.
# custom:
#   id: CL-AZR-023
#   severity: medium
#   targets: [terraform]
#   provider: azure
#   controls:
#     iso27002:2005: ["11.4.2"]
#     iso27002:2022: ["8.5"]
#   remediation: >-
#     On storage accounts set `shared_access_key_enabled = false` (and
#     `default_to_oauth_authentication = true`) once clients use Entra ID
#     roles such as Storage Blob Data Contributor; on SQL servers add
#     `azuread_administrator { login_username = ..., object_id = ...,
#     azuread_authentication_only = true }` and drop the
#     `administrator_login_password`.
#   applies_to: [azurerm_storage_account, azurerm_mssql_server, azurerm_sql_server, azurerm_sql_active_directory_administrator]
package clause.rules.terraform.azure.local_authentication_enabled

import data.clause.lib.azure as az
import data.clause.lib.terraform as tf
import rego.v1

# Storage accounts.

deny contains {"msg": msg, "label": "shared keys accepted", "path": tf.path(address, ["shared_access_key_enabled"])} if {
	some address, account in tf.resources("azurerm_storage_account")
	tf.is_true(account.values.shared_access_key_enabled)
	msg := sprintf("%s accepts its account keys and key-signed SAS tokens (shared_access_key_enabled = true)", [address])
}

deny contains {"msg": msg, "label": "shared keys accepted", "path": where(address, account.values, "shared_access_key_enabled")} if {
	some address, account in tf.resources("azurerm_storage_account")
	tf.missing(account.values, "shared_access_key_enabled")
	msg := sprintf("%s accepts its account keys and key-signed SAS tokens: shared_access_key_enabled is %s and defaults to true", [address, absent(account.values, "shared_access_key_enabled")])
}

# where(address, values, key): the argument when it is written (as null),
# else the resource.
where(address, values, key) := tf.path(address, [key]) if tf.has_key(values, key)

where(address, values, key) := tf.resource_path(address) if not tf.has_key(values, key)

absent(values, key) := "null" if tf.has_key(values, key)

absent(values, key) := "not set" if not tf.has_key(values, key)

# SQL servers (azurerm_mssql_server).

admins(values) := [{"block": b, "at": ["azuread_administrator", i]} |
	some i, b in tf.blocks(values, "azuread_administrator")
	is_object(b)
]

deny contains {"msg": msg, "label": "SQL logins accepted", "path": tf.resource_path(address)} if {
	some address, server in tf.resources("azurerm_mssql_server")
	count(admins(server.values)) == 0
	not tf.is_unknown(server.values.azuread_administrator)
	msg := sprintf("%s has no Microsoft Entra administrator: only SQL logins with passwords can connect", [address])
}

deny contains {"msg": msg, "label": "SQL logins accepted", "path": admin_path(address, a)} if {
	some address, server in tf.resources("azurerm_mssql_server")
	some a in admins(server.values)
	tf.disabled(a.block, "azuread_authentication_only")
	msg := sprintf("%s accepts SQL logins with passwords besides Microsoft Entra ID: azuread_authentication_only is %s", [address, only_text(a.block)])
}

admin_path(address, a) := tf.path(address, array.concat(a.at, ["azuread_authentication_only"])) if {
	tf.has_key(a.block, "azuread_authentication_only")
}

admin_path(address, a) := tf.path(address, a.at) if not tf.has_key(a.block, "azuread_authentication_only")

only_text(b) := "false" if tf.is_false(b.azuread_authentication_only)

only_text(b) := "not set and defaults to false" if tf.missing(b, "azuread_authentication_only")

# Legacy SQL servers (azurerm_sql_server) and their separate administrator.

legacy_admins(address, server) := tf.related("azurerm_sql_active_directory_administrator", "server_name", address, server)

entra_only(address, server) if {
	some _, admin in legacy_admins(address, server)
	tf.is_true(admin.values.azuread_authentication_only)
}

deny contains {"msg": msg, "label": "SQL logins accepted", "path": tf.resource_path(address)} if {
	some address, server in tf.resources("azurerm_sql_server")
	not entra_only(address, server)
	not undecided_legacy(address, server)
	msg := sprintf("%s accepts SQL logins with passwords: no azurerm_sql_active_directory_administrator sets azuread_authentication_only = true for it", [address])
}

undecided_legacy(address, server) if {
	some _, admin in legacy_admins(address, server)
	tf.is_unknown(admin.values.azuread_authentication_only)
}

undecided_legacy(_, _) if {
	some _, admin in tf.resources("azurerm_sql_active_directory_administrator")
	az.from_inputs(admin.values.server_name)
}

# Checks that depend on a value known only after apply.

undecided contains {"msg": msg, "path": tf.path(address, ["shared_access_key_enabled"])} if {
	some address, account in tf.resources("azurerm_storage_account")
	tf.is_unknown(account.values.shared_access_key_enabled)
	msg := sprintf("%s may accept its account keys: %s", [address, az.unknown_text("shared_access_key_enabled", account.values.shared_access_key_enabled)])
}

undecided contains {"msg": msg, "path": tf.path(address, array.concat(a.at, ["azuread_authentication_only"]))} if {
	some address, server in tf.resources("azurerm_mssql_server")
	some a in admins(server.values)
	tf.is_unknown(a.block.azuread_authentication_only)
	msg := sprintf("%s may accept SQL logins with passwords: %s", [address, az.unknown_text("azuread_authentication_only", a.block.azuread_authentication_only)])
}

undecided contains {"msg": msg, "path": tf.path(address, ["azuread_administrator"])} if {
	some address, server in tf.resources("azurerm_mssql_server")
	tf.is_unknown(server.values.azuread_administrator)
	msg := sprintf("%s may accept SQL logins with passwords: its azuread_administrator (%s) is known only after apply", [address, server.values.azuread_administrator.__unknown__])
}

undecided contains {"msg": msg, "path": tf.resource_path(address)} if {
	some address, server in tf.resources("azurerm_sql_server")
	not entra_only(address, server)
	undecided_legacy(address, server)
	msg := sprintf("%s may accept SQL logins with passwords: whether an Entra-only administrator applies to it is known only after apply", [address])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

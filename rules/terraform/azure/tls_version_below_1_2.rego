# METADATA
# title: Service accepts TLS versions older than 1.2
# description: >-
#   TLS 1.0 and 1.1 are deprecated (RFC 8996): they rely on SHA-1 and CBC
#   constructions with practical attacks (BEAST, POODLE-style padding oracles,
#   weak downgrade protection), and no current client needs them. A service
#   whose minimum TLS version is 1.0 or 1.1 lets any client, or an attacker
#   in the middle who strips the stronger offers, negotiate a protocol that no
#   longer protects the data in transit. Examined: `min_tls_version` of
#   azurerm_storage_account; `minimum_tls_version` of azurerm_mssql_server,
#   azurerm_mssql_managed_instance, azurerm_redis_cache,
#   azurerm_eventhub_namespace and azurerm_servicebus_namespace;
#   `minimal_tls_version` of azurerm_cosmosdb_account;
#   `ssl_minimal_tls_version_enforced` of azurerm_postgresql_server and
#   azurerm_mysql_server; `minimum_tls_version`/`min_tls_version` and their
#   `scm_` variants in the `site_config` of every App Service and Function
#   App type; and the `ssl_min_protocol_version` and `tls_version` server
#   parameters of flexible PostgreSQL and MySQL servers. An unset argument
#   takes the provider's default, TLS 1.2 since azurerm 3.0; a storage account
#   in a module that pins azurerm below 3.0 defaulted to TLS 1.0 and is
#   flagged. ISO/IEC 27002 10.8.1 asks that information exchanged over
#   communication facilities be protected, which requires a protocol version
#   that still provides that protection. Values known only after apply are
#   reported as inconclusive checks, never as findings.
# custom:
#   id: CL-AZR-007
#   severity: medium
#   targets: [terraform]
#   provider: azure
#   controls:
#     iso27002:2005: ["10.8.1"]
#     iso27002:2022: ["5.14"]
#   remediation: >-
#     Set the minimum version to TLS 1.2 (or 1.3 where offered):
#     `min_tls_version = "TLS1_2"` on storage accounts, `minimum_tls_version =
#     "1.2"` on SQL servers, managed instances, Redis caches, Event Hubs and
#     Service Bus namespaces and in App Service `site_config` (with
#     `scm_minimum_tls_version = "1.2"`), `minimal_tls_version = "Tls12"` on
#     Cosmos DB accounts, `ssl_minimal_tls_version_enforced = "TLS1_2"` on
#     single servers, `ssl_min_protocol_version = "TLSv1.2"` and `tls_version
#     = "TLSv1.2"` on flexible servers.
#   applies_to: [azurerm_storage_account, azurerm_mssql_server, azurerm_mssql_managed_instance, azurerm_redis_cache, azurerm_eventhub_namespace, azurerm_servicebus_namespace, azurerm_cosmosdb_account, azurerm_postgresql_server, azurerm_mysql_server, azurerm_app_service, azurerm_app_service_slot, azurerm_function_app, azurerm_function_app_slot, azurerm_linux_web_app, azurerm_windows_web_app, azurerm_linux_web_app_slot, azurerm_windows_web_app_slot, azurerm_linux_function_app, azurerm_windows_function_app, azurerm_linux_function_app_slot, azurerm_windows_function_app_slot, azurerm_logic_app_standard, azurerm_postgresql_flexible_server_configuration, azurerm_mysql_flexible_server_configuration]
package clause.rules.terraform.azure.tls_version_below_1_2

import data.clause.lib.azure as az
import data.clause.lib.azure.legacy_provider
import data.clause.lib.terraform as tf
import rego.v1

# Top-level arguments: resource type -> argument and its weak values (lower
# case).
top_level := {
	"azurerm_storage_account": {"key": "min_tls_version", "weak": {"tls1_0", "tls1_1"}},
	"azurerm_mssql_server": {"key": "minimum_tls_version", "weak": {"1.0", "1.1", "disabled"}},
	"azurerm_mssql_managed_instance": {"key": "minimum_tls_version", "weak": {"1.0", "1.1"}},
	"azurerm_redis_cache": {"key": "minimum_tls_version", "weak": {"1.0", "1.1"}},
	"azurerm_eventhub_namespace": {"key": "minimum_tls_version", "weak": {"1.0", "1.1"}},
	"azurerm_servicebus_namespace": {"key": "minimum_tls_version", "weak": {"1.0", "1.1"}},
	"azurerm_cosmosdb_account": {"key": "minimal_tls_version", "weak": {"tls", "tls11"}},
	"azurerm_postgresql_server": {"key": "ssl_minimal_tls_version_enforced", "weak": {"tls1_0", "tls1_1", "tlsenforcementdisabled"}},
	"azurerm_mysql_server": {"key": "ssl_minimal_tls_version_enforced", "weak": {"tls1_0", "tls1_1", "tlsenforcementdisabled"}},
}

app_types := [
	"azurerm_app_service", "azurerm_app_service_slot",
	"azurerm_function_app", "azurerm_function_app_slot",
	"azurerm_linux_web_app", "azurerm_windows_web_app",
	"azurerm_linux_web_app_slot", "azurerm_windows_web_app_slot",
	"azurerm_linux_function_app", "azurerm_windows_function_app",
	"azurerm_linux_function_app_slot", "azurerm_windows_function_app_slot",
	"azurerm_logic_app_standard",
]

# The two endpoints of an app, each with its argument's names across
# provider versions.
app_settings := [
	{"what": "the app", "keys": ["minimum_tls_version", "min_tls_version"]},
	{"what": "the deployment (SCM/Kudu) site", "keys": ["scm_minimum_tls_version", "scm_min_tls_version"]},
]

app_weak := {"1.0", "1.1"}

# norm(v): a version as compared: lower case; `1.0` written as a number is
# "1.0".
norm(v) := lower(v) if is_string(v)

norm(v) := sprintf("%.1f", [v]) if is_number(v)

# Every TLS setting of the module: {"address", "path", "value", "weak", "what"}.
settings contains {"address": address, "path": [t.key], "value": r.values[t.key], "weak": t.weak, "what": ""} if {
	some type, t in top_level
	some address, r in tf.resources(type)
	not tf.missing(r.values, t.key)
}

settings contains {"address": address, "path": ["site_config", i, s.key], "value": s.value, "weak": app_weak, "what": sprintf(" for %s", [setting.what])} if {
	some type in app_types
	some address, app in tf.resources(type)
	some i, block in tf.blocks(app.values, "site_config")
	is_object(block)
	some setting in app_settings
	s := az.named(block, setting.keys)
}

deny contains {"msg": msg, "label": "TLS < 1.2", "path": tf.path(s.address, s.path)} if {
	some s in settings
	not tf.is_unknown(s.value)
	norm(s.value) in s.weak
	msg := sprintf("%s accepts TLS versions older than 1.2%s (%s = %s)", [s.address, s.what, s.path[count(s.path) - 1], az.shown(s.value)])
}

# A storage account under azurerm 1.x/2.x defaulted to TLS 1.0.
deny contains {"msg": msg, "label": "TLS 1.0 by default", "path": tf.resource_path(address)} if {
	legacy_provider
	some address, r in tf.resources("azurerm_storage_account")
	tf.missing(r.values, "min_tls_version")
	msg := sprintf("%s accepts TLS 1.0: min_tls_version is not set, and azurerm providers before 3.0 (pinned by this module) default it to TLS1_0", [address])
}

# Server parameters of flexible servers.
flexible := {
	"azurerm_postgresql_flexible_server_configuration": "ssl_min_protocol_version",
	"azurerm_mysql_flexible_server_configuration": "tls_version",
}

# weak_protocols(v): the protocol versions older than TLS 1.2 a parameter
# value lists ("TLSv1,TLSv1.1,TLSv1.2").
weak_protocols(v) := [p |
	some raw in split(v, ",")
	p := trim_space(raw)
	lower(p) in {"tlsv1", "tlsv1.0", "tlsv1.1"}
] if is_string(v)

deny contains {"msg": msg, "label": "TLS < 1.2", "path": tf.path(address, ["value"])} if {
	some type, parameter in flexible
	some address, config in tf.resources(type)
	az.lower_text(config.values.name) == parameter
	weak := weak_protocols(config.values.value)
	count(weak) > 0
	msg := sprintf("%s lets its server accept TLS versions older than 1.2 (%s = %q)", [address, parameter, config.values.value])
}

# Checks that depend on a value known only after apply.

undecided contains {"msg": msg, "path": tf.path(s.address, s.path)} if {
	some s in settings
	tf.is_unknown(s.value)
	msg := sprintf("%s may accept TLS versions older than 1.2%s: %s", [s.address, s.what, az.unknown_text(s.path[count(s.path) - 1], s.value)])
}

undecided contains {"msg": msg, "path": tf.path(address, ["value"])} if {
	some type, parameter in flexible
	some address, config in tf.resources(type)
	az.lower_text(config.values.name) == parameter
	tf.is_unknown(config.values.value)
	msg := sprintf("%s may let its server accept TLS versions older than 1.2: %s", [address, az.unknown_text("value", config.values.value)])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

# METADATA
# title: Database server is reachable from public networks
# description: >-
#   Azure database servers accept connections on a public endpoint unless
#   public network access is switched off (or, for flexible servers, the
#   server is injected into a virtual network). The endpoint is then protected
#   only by server firewall rules, which are easy to widen by mistake
#   (CL-AZR-016), by "allow Azure services", which admits every Azure
#   customer's resources, and by the login; a private endpoint or VNet
#   integration keeps the database off the internet altogether. ISO/IEC 27002
#   11.6.2 asks that sensitive systems run in an isolated computing
#   environment, which a database with a public endpoint is not. Examined:
#   `public_network_access_enabled` of azurerm_mssql_server,
#   azurerm_postgresql_server, azurerm_mysql_server and
#   azurerm_mariadb_server (default true), and of
#   azurerm_postgresql_flexible_server; `public_network_access` (or
#   `public_network_access_enabled`) of azurerm_mysql_flexible_server;
#   flexible servers with a `delegated_subnet_id` are private and not
#   flagged; `public_data_endpoint_enabled` of
#   azurerm_mssql_managed_instance. Values known only after apply are reported
#   as inconclusive checks, never as findings.
# custom:
#   id: CL-AZR-017
#   severity: medium
#   targets: [terraform]
#   provider: azure
#   controls:
#     iso27002:2005: ["11.6.2"]
#     iso27002:2022: ["8.22"]
#   remediation: >-
#     Set `public_network_access_enabled = false` (`public_network_access =
#     "Disabled"` on MySQL flexible servers, `public_data_endpoint_enabled =
#     false` on managed instances) and connect through an
#     azurerm_private_endpoint, or deploy flexible servers into a delegated
#     subnet with `delegated_subnet_id` and `private_dns_zone_id`.
#   applies_to: [azurerm_mssql_server, azurerm_postgresql_server, azurerm_mysql_server, azurerm_mariadb_server, azurerm_postgresql_flexible_server, azurerm_mysql_flexible_server, azurerm_mssql_managed_instance]
package clause.rules.terraform.azure.database_public_network_access

import data.clause.lib.azure as az
import data.clause.lib.terraform as tf
import rego.v1

# Servers whose public access defaults to enabled, with the names of the
# argument.
default_public := {
	"azurerm_mssql_server": ["public_network_access_enabled"],
	"azurerm_postgresql_server": ["public_network_access_enabled"],
	"azurerm_mysql_server": ["public_network_access_enabled"],
	"azurerm_mariadb_server": ["public_network_access_enabled"],
	"azurerm_postgresql_flexible_server": ["public_network_access_enabled"],
	"azurerm_mysql_flexible_server": ["public_network_access", "public_network_access_enabled"],
}

flexible := {"azurerm_postgresql_flexible_server", "azurerm_mysql_flexible_server"}

# in_vnet(type, values): a flexible server injected into a subnet, which has
# no public endpoint.
in_vnet(type, values) if {
	type in flexible
	az.present(values.delegated_subnet_id)
}

# undecided_vnet(type, values): whether the server is in a subnet is known
# only after apply.
undecided_vnet(type, values) if {
	type in flexible
	az.may_be_null(values.delegated_subnet_id)
}

public(v) if tf.is_true(v)

public(v) if az.lower_text(v) == "enabled"

candidates contains {"address": address, "type": type, "values": r.values, "keys": keys} if {
	some type, keys in default_public
	some address, r in tf.resources(type)
	not in_vnet(type, r.values)
}

deny contains {"msg": msg, "label": "public endpoint", "path": tf.path(c.address, [s.key])} if {
	some c in candidates
	not undecided_vnet(c.type, c.values)
	s := az.named(c.values, c.keys)
	public(s.value)
	msg := sprintf("%s accepts connections from public networks (%s = %s)", [c.address, s.key, az.shown(s.value)])
}

deny contains {"msg": msg, "label": "public endpoint", "path": tf.resource_path(c.address)} if {
	some c in candidates
	not undecided_vnet(c.type, c.values)
	az.unset(c.values, c.keys)
	msg := sprintf("%s accepts connections from public networks: %s is not set and defaults to enabled%s", [c.address, c.keys[0], vnet_hint(c.type)])
}

vnet_hint(type) := ", and the server has no delegated_subnet_id" if type in flexible

vnet_hint(type) := "" if not type in flexible

deny contains {"msg": msg, "label": "public endpoint", "path": tf.path(address, ["public_data_endpoint_enabled"])} if {
	some address, mi in tf.resources("azurerm_mssql_managed_instance")
	tf.is_true(mi.values.public_data_endpoint_enabled)
	msg := sprintf("%s opens its public data endpoint (public_data_endpoint_enabled = true)", [address])
}

# Checks that depend on a value known only after apply.

undecided contains {"msg": msg, "path": tf.path(c.address, [s.key])} if {
	some c in candidates
	s := az.named(c.values, c.keys)
	tf.is_unknown(s.value)
	msg := sprintf("%s may accept connections from public networks: %s", [c.address, az.unknown_text(s.key, s.value)])
}

undecided contains {"msg": msg, "path": tf.path(c.address, ["delegated_subnet_id"])} if {
	some c in candidates
	undecided_vnet(c.type, c.values)
	not explicitly_private(c)
	msg := sprintf("%s may accept connections from public networks: whether it is injected into a subnet is known only after apply (delegated_subnet_id = %s)", [c.address, az.shown(c.values.delegated_subnet_id)])
}

explicitly_private(c) if {
	s := az.named(c.values, c.keys)
	not public(s.value)
	not tf.is_unknown(s.value)
}

undecided contains {"msg": msg, "path": tf.path(address, ["public_data_endpoint_enabled"])} if {
	some address, mi in tf.resources("azurerm_mssql_managed_instance")
	tf.is_unknown(mi.values.public_data_endpoint_enabled)
	msg := sprintf("%s may open its public data endpoint: %s", [address, az.unknown_text("public_data_endpoint_enabled", mi.values.public_data_endpoint_enabled)])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

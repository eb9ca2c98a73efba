# METADATA
# title: Database firewall rule admits the whole internet
# description: >-
#   A server-level firewall rule from 0.0.0.0 to 255.255.255.255 (or any range
#   spanning half of the IPv4 address space or more) lets every address on
#   the internet reach the database's listener, leaving only the login
#   between the data and every credential-stuffing bot and engine exploit.
#   Databases hold the organisation's most sensitive records and should be
#   reachable only from the application tier, private endpoints or known
#   administration addresses. ISO/IEC 27002 11.6.2 asks that sensitive
#   systems run in an isolated computing environment, and 11.4.6 asks that
#   connections from shared networks be restricted, which an
#   internet-wide rule cannot be. Examined: the firewall rule resources of
#   Azure SQL (azurerm_mssql_firewall_rule, azurerm_sql_firewall_rule), of
#   PostgreSQL, MySQL and MariaDB single and flexible servers, of Synapse
#   workspaces and of Redis caches. The rule 0.0.0.0-0.0.0.0 ("allow Azure
#   services") is not flagged here: it admits Azure's own address space, not
#   the internet. A bound known only after apply is reported as an
#   inconclusive check when the known bound still allows an internet-wide
#   range.
# custom:
#   id: CL-AZR-016
#   severity: high
#   targets: [terraform]
#   provider: azure
#   controls:
#     iso27002:2005: ["11.6.2", "11.4.6"]
#     iso27002:2022: ["8.22", "8.20"]
#   remediation: >-
#     Replace the rule with rules for the specific public addresses that need
#     access (`start_ip_address` and `end_ip_address` of your offices or CI
#     egress), or remove it and connect through a private endpoint with
#     `public_network_access_enabled = false` on the server.
#   applies_to: [azurerm_mssql_firewall_rule, azurerm_sql_firewall_rule, azurerm_postgresql_firewall_rule, azurerm_postgresql_flexible_server_firewall_rule, azurerm_mysql_firewall_rule, azurerm_mysql_flexible_server_firewall_rule, azurerm_mariadb_firewall_rule, azurerm_synapse_firewall_rule, azurerm_redis_firewall_rule]
package clause.rules.terraform.azure.database_firewall_open_to_internet

import data.clause.lib.azure as az
import data.clause.lib.terraform as tf
import rego.v1

types := [
	"azurerm_mssql_firewall_rule", "azurerm_sql_firewall_rule",
	"azurerm_postgresql_firewall_rule", "azurerm_postgresql_flexible_server_firewall_rule",
	"azurerm_mysql_firewall_rule", "azurerm_mysql_flexible_server_firewall_rule",
	"azurerm_mariadb_firewall_rule", "azurerm_synapse_firewall_rule",
]

# Redis names the bounds start_ip and end_ip.
bound_keys(type) := ["start_ip", "end_ip"] if type == "azurerm_redis_firewall_rule"

bound_keys(type) := ["start_ip_address", "end_ip_address"] if type != "azurerm_redis_firewall_rule"

all_types := array.concat(types, ["azurerm_redis_firewall_rule"])

# Half of the IPv4 address space.
wide := 2147483648

last_address := 4294967295

rules contains {"address": address, "start_key": keys[0], "end_key": keys[1], "start": r.values[keys[0]], "end": r.values[keys[1]]} if {
	some type in all_types
	some address, r in tf.resources(type)
	keys := bound_keys(type)
}

deny contains {"msg": msg, "label": "whole internet", "path": tf.path(r.address, [r.start_key])} if {
	some r in rules
	first := az.ipv4(r.start)
	last := az.ipv4(r.end)
	(last - first) + 1 >= wide
	msg := sprintf("%s admits %s to %s, %s of the IPv4 internet", [r.address, r.start, r.end, share((last - first) + 1)])
}

share(n) := "all" if n > last_address

share(n) := sprintf("%d%%", [round((n * 100) / (last_address + 1))]) if n <= last_address

# Checks that depend on a value known only after apply.

# The widest range a rule can turn out to be, given its known bound.
undecided contains {"msg": msg, "path": tf.path(r.address, [r.start_key])} if {
	some r in rules
	tf.is_unknown(r.start)
	may_be_wide(r.start, r.end)
	msg := sprintf("%s may admit the whole internet: %s", [r.address, az.unknown_text(r.start_key, r.start)])
}

undecided contains {"msg": msg, "path": tf.path(r.address, [r.end_key])} if {
	some r in rules
	not tf.is_unknown(r.start)
	tf.is_unknown(r.end)
	may_be_wide(r.start, r.end)
	msg := sprintf("%s may admit the whole internet: %s", [r.address, az.unknown_text(r.end_key, r.end)])
}

# Both bounds known only after apply may be anything, unless they are the
# same expression: a single address.
may_be_wide(start, end) if {
	tf.is_unknown(start)
	tf.is_unknown(end)
	start.__unknown__ != end.__unknown__
}

may_be_wide(start, end) if {
	tf.is_unknown(start)
	az.ipv4(end) + 1 >= wide
}

may_be_wide(start, end) if {
	tf.is_unknown(end)
	(last_address - az.ipv4(start)) + 1 >= wide
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

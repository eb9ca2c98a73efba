# METADATA
# title: Database or cache accepts unencrypted connections
# description: >-
#   A database server that does not require TLS lets clients, and anyone who
#   can downgrade them, send credentials, queries and result sets in clear
#   text; a Redis cache with its non-TLS port open does the same for its
#   access key and cached data. Examined: `ssl_enforcement_enabled = false`
#   (or the 2.x `ssl_enforcement = "Disabled"`) on azurerm_postgresql_server,
#   azurerm_mysql_server and azurerm_mariadb_server; the server parameter
#   `require_secure_transport` set to `off` through
#   azurerm_postgresql_flexible_server_configuration or
#   azurerm_mysql_flexible_server_configuration; `non_ssl_port_enabled`
#   (azurerm 4.x) or `enable_non_ssl_port` (earlier) set to true on
#   azurerm_redis_cache; and `client_protocol = "Plaintext"` on
#   azurerm_redis_enterprise_database. ISO/IEC 27002 10.8.1 asks that
#   information exchanged over communication facilities be protected, and
#   requiring encryption on the server is the only way to guarantee it for
#   every client. Values known only after apply are reported as inconclusive
#   checks, never as findings.
# custom:
#   id: CL-AZR-006
#   severity: high
#   targets: [terraform]
#   provider: azure
#   controls:
#     iso27002:2005: ["10.8.1"]
#     iso27002:2022: ["5.14"]
#   remediation: >-
#     Set `ssl_enforcement_enabled = true` on single servers, keep
#     `require_secure_transport` at `on` on flexible servers (remove the
#     configuration resource that turns it off), set `non_ssl_port_enabled =
#     false` (`enable_non_ssl_port = false` on older providers) on Redis
#     caches, and `client_protocol = "Encrypted"` on Redis Enterprise
#     databases; connect clients with TLS (`sslmode=verify-full`,
#     `--ssl-mode=VERIFY_IDENTITY`, port 6380).
#   applies_to: [azurerm_postgresql_server, azurerm_mysql_server, azurerm_mariadb_server, azurerm_postgresql_flexible_server_configuration, azurerm_mysql_flexible_server_configuration, azurerm_redis_cache, azurerm_redis_enterprise_database]
package clause.rules.terraform.azure.database_tls_not_enforced

import data.clause.lib.azure as az
import data.clause.lib.terraform as tf
import rego.v1

single_servers := ["azurerm_postgresql_server", "azurerm_mysql_server", "azurerm_mariadb_server"]

configuration_types := ["azurerm_postgresql_flexible_server_configuration", "azurerm_mysql_flexible_server_configuration"]

redis_keys := ["non_ssl_port_enabled", "enable_non_ssl_port"]

off_values := {"off", "0", "false"}

deny contains {"msg": msg, "label": "TLS not required", "path": tf.path(address, ["ssl_enforcement_enabled"])} if {
	some type in single_servers
	some address, server in tf.resources(type)
	tf.is_false(server.values.ssl_enforcement_enabled)
	msg := sprintf("%s accepts connections without TLS (ssl_enforcement_enabled = false)", [address])
}

deny contains {"msg": msg, "label": "TLS not required", "path": tf.path(address, ["ssl_enforcement"])} if {
	some type in single_servers
	some address, server in tf.resources(type)
	az.lower_text(server.values.ssl_enforcement) == "disabled"
	msg := sprintf("%s accepts connections without TLS (ssl_enforcement = %q)", [address, server.values.ssl_enforcement])
}

deny contains {"msg": msg, "label": "TLS not required", "path": tf.path(address, ["value"])} if {
	some type in configuration_types
	some address, config in tf.resources(type)
	az.lower_text(config.values.name) == "require_secure_transport"
	az.lower_text(config.values.value) in off_values
	msg := sprintf("%s turns require_secure_transport off: %s accepts connections without TLS", [address, server_of(config.values)])
}

# server_of(values): the flexible server a configuration applies to, as a
# message names it.
server_of(values) := values.server_id.__refs__[0] if {
	tf.is_unknown(values.server_id)
	is_string(values.server_id.__refs__[0])
} else := sprintf("server %s", [values.server_name]) if {
	is_string(values.server_name)
} else := sprintf("server %s", [split(values.server_id, "/")[count(split(values.server_id, "/")) - 1]]) if {
	is_string(values.server_id)
} else := "its server"

deny contains {"msg": msg, "label": "plain-text port open", "path": tf.path(address, [s.key])} if {
	some address, cache in tf.resources("azurerm_redis_cache")
	s := az.named(cache.values, redis_keys)
	tf.is_true(s.value)
	msg := sprintf("%s opens its non-TLS port 6379 (%s = true)", [address, s.key])
}

deny contains {"msg": msg, "label": "plain-text protocol", "path": tf.path(address, ["client_protocol"])} if {
	some address, db in tf.resources("azurerm_redis_enterprise_database")
	az.lower_text(db.values.client_protocol) == "plaintext"
	msg := sprintf("%s accepts clients without TLS (client_protocol = %q)", [address, db.values.client_protocol])
}

# Checks that depend on a value known only after apply.

undecided contains {"msg": msg, "path": tf.path(address, [key])} if {
	some type in single_servers
	some address, server in tf.resources(type)
	some key in ["ssl_enforcement_enabled", "ssl_enforcement"]
	tf.is_unknown(server.values[key])
	msg := sprintf("%s may accept connections without TLS: %s", [address, az.unknown_text(key, server.values[key])])
}

undecided contains {"msg": msg, "path": tf.path(address, ["value"])} if {
	some type in configuration_types
	some address, config in tf.resources(type)
	az.lower_text(config.values.name) == "require_secure_transport"
	tf.is_unknown(config.values.value)
	msg := sprintf("%s may turn require_secure_transport off: %s", [address, az.unknown_text("value", config.values.value)])
}

undecided contains {"msg": msg, "path": tf.path(address, ["name"])} if {
	some type in configuration_types
	some address, config in tf.resources(type)
	tf.is_unknown(config.values.name)
	may_be_off(config.values.value)
	msg := sprintf("%s may turn require_secure_transport off: it sets a parameter to %s, and %s", [address, az.shown(config.values.value), az.unknown_text("name", config.values.name)])
}

may_be_off(v) if az.lower_text(v) in off_values

may_be_off(v) if tf.is_unknown(v)

undecided contains {"msg": msg, "path": tf.path(address, [s.key])} if {
	some address, cache in tf.resources("azurerm_redis_cache")
	s := az.named(cache.values, redis_keys)
	tf.is_unknown(s.value)
	msg := sprintf("%s may open its non-TLS port: %s", [address, az.unknown_text(s.key, s.value)])
}

undecided contains {"msg": msg, "path": tf.path(address, ["client_protocol"])} if {
	some address, db in tf.resources("azurerm_redis_enterprise_database")
	tf.is_unknown(db.values.client_protocol)
	msg := sprintf("%s may accept clients without TLS: %s", [address, az.unknown_text("client_protocol", db.values.client_protocol)])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

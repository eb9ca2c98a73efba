# METADATA
# title: Cloud SQL instance accepts unencrypted connections
# description: >-
#   Unless `ssl_mode` (or the legacy `require_ssl`) enforces TLS, a Cloud SQL
#   instance accepts plain-text connections: the database password, every
#   query and every result cross the network readable and alterable by anyone
#   on the path, whether that is the internet for a public IP or a
#   compromised host in the VPC for a private one. The default is
#   `ALLOW_UNENCRYPTED_AND_ENCRYPTED`. ISO/IEC 27002 10.8.1 asks that
#   information exchanged over networks be protected from interception and
#   modification, and 12.3.1 asks that cryptographic controls be applied
#   according to policy, which for database traffic means refusing clients
#   that do not use TLS. Connections through the Cloud SQL Auth Proxy and the
#   language connectors are always encrypted; enforcing TLS on the instance
#   closes the direct path that bypasses them. An instance passes with
#   `ssl_mode = "ENCRYPTED_ONLY"` or `"TRUSTED_CLIENT_CERTIFICATE_REQUIRED"`,
#   or `require_ssl = true` on provider versions that still have it; a mode
#   known only after apply makes the check inconclusive.
# custom:
#   id: CL-GCP-007
#   severity: high
#   targets: [terraform]
#   provider: google
#   controls:
#     iso27002:2005: ["10.8.1", "12.3.1"]
#     iso27002:2022: ["5.14", "8.24"]
#   remediation: >-
#     In `settings { ip_configuration { ... } }` set `ssl_mode =
#     "ENCRYPTED_ONLY"` (or `"TRUSTED_CLIENT_CERTIFICATE_REQUIRED"` to also
#     require client certificates), and make clients connect with TLS or
#     through the Cloud SQL Auth Proxy.
#   applies_to: [google_sql_database_instance]
package clause.rules.terraform.google.sql_instance_ssl_not_enforced

import data.clause.lib.terraform as tf
import rego.v1

enforcing_modes := {"ENCRYPTED_ONLY", "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"}

# The decisive setting of an instance: ssl_mode if written, else
# require_ssl, with its path; or where it is missing.
setting(values) := found[0] if {
	found := [s |
		some i, st in tf.blocks(values, "settings")
		some j, ip in tf.blocks(st, "ip_configuration")
		some s in ip_setting(ip, ["settings", i, "ip_configuration", j])
	]
	count(found) > 0
}

setting(values) := {"key": null, "value": null, "path": missing_path(values)} if {
	count([ip |
		some st in tf.blocks(values, "settings")
		some ip in tf.blocks(st, "ip_configuration")
		is_object(ip)
	]) == 0
}

ip_setting(ip, at) := [{"key": "ssl_mode", "value": ip.ssl_mode, "path": array.concat(at, ["ssl_mode"])}] if {
	is_object(ip)
	not tf.missing(ip, "ssl_mode")
}

ip_setting(ip, at) := [{"key": "require_ssl", "value": ip.require_ssl, "path": array.concat(at, ["require_ssl"])}] if {
	is_object(ip)
	tf.missing(ip, "ssl_mode")
	not tf.missing(ip, "require_ssl")
}

ip_setting(ip, at) := [{"key": null, "value": null, "path": at}] if {
	is_object(ip)
	tf.missing(ip, "ssl_mode")
	tf.missing(ip, "require_ssl")
}

missing_path(values) := ["settings", 0] if count(tf.blocks(values, "settings")) > 0

missing_path(values) := [] if count(tf.blocks(values, "settings")) == 0

enforced(s) if {
	s.key == "ssl_mode"
	s.value in enforcing_modes
}

enforced(s) if {
	s.key == "require_ssl"
	tf.is_true(s.value)
}

at(address, path) := tf.resource_path(address) if count(path) == 0

at(address, path) := tf.path(address, path) if count(path) > 0

problem(s) := sprintf("ssl_mode = %q", [s.value]) if {
	s.key == "ssl_mode"
	is_string(s.value)
}

problem(s) := sprintf("ssl_mode = %v", [s.value]) if {
	s.key == "ssl_mode"
	not is_string(s.value)
}

problem(s) := "require_ssl = false" if s.key == "require_ssl"

problem(s) := "neither ssl_mode nor require_ssl is set, and the default is ALLOW_UNENCRYPTED_AND_ENCRYPTED" if s.key == null

deny contains {"msg": msg, "label": "plain-text connections allowed", "path": at(address, s.path)} if {
	some address, db in tf.resources("google_sql_database_instance")
	s := setting(db.values)
	not enforced(s)
	not tf.is_unknown(s.value)
	msg := sprintf("%s accepts unencrypted connections: %s", [address, problem(s)])
}

# Checks that depend on a value known only after apply.
inconclusive contains {"msg": msg, "path": tf.path(address, s.path)} if {
	some address, db in tf.resources("google_sql_database_instance")
	s := setting(db.values)
	tf.is_unknown(s.value)
	msg := sprintf("%s may accept unencrypted connections: %s = %s is known only after apply", [address, s.key, s.value.__unknown__])
}

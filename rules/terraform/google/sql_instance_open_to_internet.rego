# METADATA
# title: Cloud SQL or AlloyDB instance accepts connections from the whole internet
# description: >-
#   An authorized network of 0.0.0.0/0 (or ::/0) on a database's public IP
#   lets any address on the internet open a connection to the database
#   engine, so its login prompt is exposed to password guessing, and any
#   vulnerability of the engine or its authentication to exploitation, with
#   nothing but the database password in between. ISO/IEC 27002 11.6.2 asks
#   that sensitive systems such as databases run in an isolated environment,
#   and 11.4.6 asks that connections from shared and external networks be
#   restricted, which an authorized network for everyone undoes. The rule
#   reads `settings.ip_configuration.authorized_networks` of
#   `google_sql_database_instance` (whose public IP, `ipv4_enabled`, is on
#   unless set to false) and `network_config.authorized_external_networks` of
#   `google_alloydb_instance` with `enable_public_ip = true`. An instance with
#   a public IP but no authorized networks is not flagged: it accepts only the
#   Cloud SQL Auth Proxy and connectors, which authenticate with IAM. A range
#   or public IP setting known only after apply makes the check inconclusive.
# custom:
#   id: CL-GCP-005
#   severity: high
#   targets: [terraform]
#   provider: google
#   controls:
#     iso27002:2005: ["11.6.2", "11.4.6"]
#     iso27002:2022: ["8.22", "8.20"]
#   remediation: >-
#     Remove the 0.0.0.0/0 `authorized_networks` entry. Prefer private IP
#     (`ipv4_enabled = false` with `private_network` set) and connect through
#     the Cloud SQL Auth Proxy or a connector; if a public IP is needed, list
#     only the specific client ranges that must connect.
#   applies_to: [google_sql_database_instance, google_alloydb_instance]
package clause.rules.terraform.google.sql_instance_open_to_internet

import data.clause.lib.terraform as tf
import rego.v1

# networks: every authorized range of a database with a public IP that may be
# on, with where its public IP setting is.
networks contains {"address": address, "value": n.value, "path": ["settings", i, "ip_configuration", j, "authorized_networks", k, "value"], "public": public, "public_path": ["settings", i, "ip_configuration", j, "ipv4_enabled"]} if {
	some address, db in tf.resources("google_sql_database_instance")
	some i, s in tf.blocks(db.values, "settings")
	is_object(s)
	some j, ip in tf.blocks(s, "ip_configuration")
	is_object(ip)
	some k, n in tf.blocks(ip, "authorized_networks")
	is_object(n)
	public := object.get(ip, "ipv4_enabled", true)
}

networks contains {"address": address, "value": n.value, "path": ["settings", i, "ip_configuration", j, "authorized_networks"], "public": object.get(ip, "ipv4_enabled", true), "public_path": ["settings", i, "ip_configuration", j, "ipv4_enabled"]} if {
	some address, db in tf.resources("google_sql_database_instance")
	some i, s in tf.blocks(db.values, "settings")
	is_object(s)
	some j, ip in tf.blocks(s, "ip_configuration")
	is_object(ip)
	n := {"value": ip.authorized_networks}
	tf.is_unknown(ip.authorized_networks)
}

networks contains {"address": address, "value": n.cidr_range, "path": ["network_config", i, "authorized_external_networks", k, "cidr_range"], "public": object.get(nc, "enable_public_ip", false), "public_path": ["network_config", i, "enable_public_ip"]} if {
	some address, db in tf.resources("google_alloydb_instance")
	some i, nc in tf.blocks(db.values, "network_config")
	is_object(nc)
	some k, n in tf.blocks(nc, "authorized_external_networks")
	is_object(n)
}

# Public IP on: a null ipv4_enabled is the provider's default (true).
public_ip(n) if tf.is_true(n.public)

public_ip(n) if n.public == null

deny contains {"msg": msg, "label": "open to the internet", "path": tf.path(n.address, n.path)} if {
	some n in networks
	public_ip(n)
	tf.open_cidr(n.value)
	msg := sprintf("%s accepts database connections from %s on its public IP", [n.address, n.value])
}

# Checks that depend on a value known only after apply.
inconclusive contains {"msg": msg, "path": tf.path(n.address, n.path)} if {
	some n in networks
	not tf.is_false(n.public)
	tf.is_unknown(n.value)
	msg := sprintf("%s may accept database connections from the whole internet: the authorized network %s is known only after apply", [n.address, n.value.__unknown__])
}

inconclusive contains {"msg": msg, "path": tf.path(n.address, n.public_path)} if {
	some n in networks
	tf.is_unknown(n.public)
	tf.open_cidr(n.value)
	msg := sprintf("%s accepts database connections from %s if it has a public IP, which is known only after apply (%s)", [n.address, n.value, n.public.__unknown__])
}

# METADATA
# title: Cloud SQL instance has no automated backups or point-in-time recovery
# description: >-
#   Cloud SQL takes no automated backups unless
#   `backup_configuration.enabled = true` (Terraform's default is false): a
#   deleted table, a bad migration, ransomware run with the application's
#   credentials or a corrupted volume then cannot be undone. With backups but
#   without point-in-time recovery (`point_in_time_recovery_enabled` for
#   PostgreSQL and SQL Server, `binary_log_enabled` for MySQL), the instance
#   can only go back to the last daily backup, losing up to a day of
#   transactions. ISO/IEC 27002 10.5.1 asks that backup copies of information
#   be taken and tested regularly according to a backup policy, and automated
#   backups with transaction log retention are how Cloud SQL meets it. Read
#   replicas (`master_instance_name`, `instance_type =
#   "READ_REPLICA_INSTANCE"`) cannot have backups and are not examined, and
#   Enterprise Plus instances that leave point-in-time recovery unset get it
#   by default. A setting known only after apply makes the check inconclusive.
# custom:
#   id: CL-GCP-009
#   severity: medium
#   targets: [terraform]
#   provider: google
#   controls:
#     iso27002:2005: ["10.5.1"]
#     iso27002:2022: ["8.13"]
#   remediation: >-
#     In `settings { backup_configuration { ... } }` set `enabled = true`, and
#     `point_in_time_recovery_enabled = true` (PostgreSQL, SQL Server) or
#     `binary_log_enabled = true` (MySQL); set `backup_retention_settings {
#     retained_backups = N }` to what your backup policy requires.
#   applies_to: [google_sql_database_instance]
package clause.rules.terraform.google.sql_instance_backups_disabled

import data.clause.lib.terraform as tf
import rego.v1

# Replicas, known or possibly.
replica(values) if {
	is_string(values.master_instance_name)
	values.master_instance_name != ""
}

replica(values) if values.instance_type == "READ_REPLICA_INSTANCE"

maybe_replica(values) := key if {
	not replica(values)
	keys := [k | some k in ["master_instance_name", "instance_type"]; tf.is_unknown(values[k])]
	count(keys) > 0
	key := keys[0]
}

# The backup configuration of an instance: the block's contents and path, or
# where it would be.
backup(values) := found[0] if {
	found := [{"config": b, "path": ["settings", i, "backup_configuration", j], "settings": s} |
		some i, s in tf.blocks(values, "settings")
		is_object(s)
		some j, b in tf.blocks(s, "backup_configuration")
		is_object(b)
	]
	count(found) > 0
}

backup(values) := {"config": {}, "path": ["settings", i], "settings": s} if {
	not has_backup_block(values)
	some i, s in tf.blocks(values, "settings")
	i == 0
	is_object(s)
}

has_backup_block(values) if {
	some s in tf.blocks(values, "settings")
	some b in tf.blocks(s, "backup_configuration")
	is_object(b)
}

examined(address) := db.values if {
	db := tf.resources("google_sql_database_instance")[address]
	not replica(db.values)
	not maybe_replica(db.values)
}

# Backups.
deny contains {"msg": msg, "label": "no backups", "path": tf.path(address, array.concat(b.path, ["enabled"]))} if {
	some address, _ in tf.resources("google_sql_database_instance")
	values := examined(address)
	b := backup(values)
	tf.is_false(b.config.enabled)
	msg := sprintf("%s has no automated backups (backup_configuration.enabled = false)", [address])
}

deny contains {"msg": msg, "label": "no backups", "path": tf.path(address, b.path)} if {
	some address, _ in tf.resources("google_sql_database_instance")
	values := examined(address)
	b := backup(values)
	tf.missing(b.config, "enabled")
	msg := sprintf("%s has no automated backups: backup_configuration.enabled is not set and defaults to false", [address])
}

# Point-in-time recovery, for instances with backups.
engine(values) := "mysql" if {
	is_string(values.database_version)
	startswith(values.database_version, "MYSQL")
}

engine(values) := "other" if {
	is_string(values.database_version)
	not startswith(values.database_version, "MYSQL")
}

pitr_keys(values) := ["binary_log_enabled"] if engine(values) == "mysql"

pitr_keys(values) := ["point_in_time_recovery_enabled"] if engine(values) == "other"

# An engine known only after apply: either setting will do.
pitr_keys(values) := ["point_in_time_recovery_enabled", "binary_log_enabled"] if not engine(values)

pitr_on(b, values) if {
	some key in pitr_keys(values)
	tf.is_true(b.config[key])
}

# Enterprise Plus turns point-in-time recovery on unless told otherwise.
pitr_on(b, values) if {
	b.settings.edition == "ENTERPRISE_PLUS"
	every key in pitr_keys(values) {
		tf.missing(b.config, key)
	}
}

pitr_undecided(b, values) := key if {
	keys := [k | some k in pitr_keys(values); tf.is_unknown(b.config[k])]
	count(keys) > 0
	key := keys[0]
}

pitr_undecided(b, values) := "edition" if {
	tf.is_unknown(b.settings.edition)
	count([k | some k in pitr_keys(values); tf.is_unknown(b.config[k])]) == 0
}

pitr_path(address, b, values) := tf.path(address, array.concat(b.path, [key])) if {
	keys := [k | some k in pitr_keys(values); tf.has_key(b.config, k)]
	count(keys) > 0
	key := keys[0]
} else := tf.path(address, b.path)

pitr_state(b, values) := concat(", ", written) if {
	written := [sprintf("%s = %v", [k, b.config[k]]) |
		some k in pitr_keys(values)
		tf.has_key(b.config, k)
		b.config[k] != null
	]
	count(written) > 0
} else := sprintf("%s is not set", [concat(" or ", pitr_keys(values))])

deny contains {"msg": msg, "label": "no point-in-time recovery", "path": pitr_path(address, b, values)} if {
	some address, _ in tf.resources("google_sql_database_instance")
	values := examined(address)
	b := backup(values)
	tf.is_true(b.config.enabled)
	not pitr_on(b, values)
	not pitr_undecided(b, values)
	msg := sprintf("%s can only be restored to its last backup, not to a point in time: %s", [address, pitr_state(b, values)])
}

# Checks that depend on a value known only after apply.
inconclusive contains {"msg": msg, "path": tf.path(address, [key])} if {
	some address, db in tf.resources("google_sql_database_instance")
	key := maybe_replica(db.values)
	not tf.is_true(backup(db.values).config.enabled)
	msg := sprintf("%s may have no automated backups, unless it is a read replica: %s = %s is known only after apply", [address, key, db.values[key].__unknown__])
}

inconclusive contains {"msg": msg, "path": tf.path(address, array.concat(b.path, ["enabled"]))} if {
	some address, _ in tf.resources("google_sql_database_instance")
	values := examined(address)
	b := backup(values)
	tf.is_unknown(b.config.enabled)
	msg := sprintf("%s may have no automated backups: enabled = %s is known only after apply", [address, b.config.enabled.__unknown__])
}

inconclusive contains {"msg": msg, "path": path} if {
	some address, _ in tf.resources("google_sql_database_instance")
	values := examined(address)
	b := backup(values)
	tf.is_true(b.config.enabled)
	not pitr_on(b, values)
	key := pitr_undecided(b, values)
	path := undecided_path(address, b, key)
	msg := sprintf("%s may lack point-in-time recovery: %s = %s is known only after apply", [address, key, undecided_value(b, key).__unknown__])
}

undecided_path(address, b, key) := tf.path(address, array.concat(b.path, [key])) if key != "edition"

undecided_path(address, b, key) := tf.path(address, array.concat(array.slice(b.path, 0, 2), ["edition"])) if key == "edition"

undecided_value(b, key) := b.config[key] if key != "edition"

undecided_value(b, key) := b.settings.edition if key == "edition"

# METADATA
# title: Database automated backups are disabled or kept for less than 7 days
# description: >-
#   Automated backups are what lets a managed database be restored to any
#   second of its retention window after a bad migration, an accidental
#   `DELETE`, corruption or ransomware. `backup_retention_period = 0` turns
#   them off for an RDS instance (and deletes the existing ones), and leaving
#   the argument out keeps them for only one day, the API's default: a problem
#   noticed after a weekend can no longer be undone. ISO/IEC 27002 10.5.1 asks
#   that back-up copies of information be taken and kept according to an
#   agreed back-up policy, with retention long enough to recover; seven days
#   is the minimum AWS's own foundational security best practices check for.
#   RDS instances and clusters, DocumentDB and Neptune clusters are examined.
#   Read replicas (whose source keeps the backups), Aurora instances written
#   as `aws_db_instance` (the cluster keeps the backups) and, when the
#   retention is not written, databases restored from a snapshot or a point in
#   time (they inherit their source's retention) are not flagged. Values known
#   only after apply are reported as inconclusive checks.
# custom:
#   id: CL-AWS-019
#   severity: medium
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["10.5.1"]
#     iso27002:2022: ["8.13"]
#   remediation: >-
#     Set `backup_retention_period` to at least 7 (up to 35 days) on the
#     database, as your backup policy requires; keep longer-term copies with
#     AWS Backup or manual snapshots.
#   applies_to: [aws_db_instance, aws_rds_cluster, aws_docdb_cluster, aws_neptune_cluster]
package clause.rules.terraform.aws.rds_backup_retention_short

import data.clause.lib.terraform as tf
import rego.v1

types := ["aws_db_instance", "aws_rds_cluster", "aws_docdb_cluster", "aws_neptune_cluster"]

minimum := 7

# The retention AWS applies when the argument is not written.
default_days := 1

# days(v): a retention written as a number or a numeric string.
days(v) := v if is_number(v)

days(v) := to_number(v) if {
	is_string(v)
	regex.match(`^[0-9]+$`, v)
}

# given(v): an argument set to something other than null or "", or an
# attribute of a resource or data source (never null).
given(v) if {
	tf.known(v)
	v != null
	v != ""
}

given(v) if always_set(v)

always_set(v) if {
	tf.is_unknown(v)
	refs := tf.list(v.__refs__)
	count(refs) > 0
	every ref in refs {
		is_string(ref)
		not may_be_null(ref)
	}
}

may_be_null(ref) if regex.match(`(^|\.)(var|local)\.[^.]+$`, ref)

may_be_null(ref) if regex.match(`(^|\.)(count|each|self)$`, ref)

may_be_null(ref) if regex.match(`(^|\.)module\.[^.]+$`, ref)

undecided_setting(v) if {
	tf.is_unknown(v)
	not always_set(v)
}

# Backups kept elsewhere: a read replica's source, an Aurora cluster.
exempt("aws_db_instance", values) if given(values.replicate_source_db)

exempt("aws_db_instance", values) if {
	is_string(values.engine)
	startswith(lower(values.engine), "aurora")
}

# Restored databases inherit their source's retention when none is written.
restored(values) if given(values.snapshot_identifier)

restored(values) if count(tf.blocks(values, "restore_to_point_in_time")) > 0

restored(values) if count(tf.blocks(values, "s3_import")) > 0

# undecided_exemption(type, values): the source setting known only after
# apply that may make the database a replica (or a restore).
undecided_exemption("aws_db_instance", values) := "replicate_source_db" if undecided_setting(values.replicate_source_db)

undecided_restore(values) := "snapshot_identifier" if undecided_setting(values.snapshot_identifier)

candidate(type, values) if {
	not exempt(type, values)
	not undecided_exemption(type, values)
}

deny contains {"msg": msg, "label": "no backups", "path": tf.path(address, ["backup_retention_period"])} if {
	some type in types
	some address, db in tf.resources(type)
	candidate(type, db.values)
	days(db.values.backup_retention_period) == 0
	msg := sprintf("%s keeps no automated backups (backup_retention_period = 0): it cannot be restored to an earlier point in time", [address])
}

deny contains {"msg": msg, "label": "short retention", "path": tf.path(address, ["backup_retention_period"])} if {
	some type in types
	some address, db in tf.resources(type)
	candidate(type, db.values)
	n := days(db.values.backup_retention_period)
	n > 0
	n < minimum
	msg := sprintf("%s keeps automated backups for only %s (backup_retention_period = %v), less than %d days", [address, plural(n), db.values.backup_retention_period, minimum])
}

deny contains {"msg": msg, "label": "1-day retention", "path": tf.path(address, ["backup_retention_period"])} if {
	some type in types
	some address, db in tf.resources(type)
	candidate(type, db.values)
	not restored(db.values)
	not undecided_restore(db.values)
	tf.has_key(db.values, "backup_retention_period")
	db.values.backup_retention_period == null
	msg := sprintf("%s keeps automated backups for only %d day: backup_retention_period is null and AWS applies its default", [address, default_days])
}

deny contains {"msg": msg, "label": "1-day retention", "path": tf.resource_path(address)} if {
	some type in types
	some address, db in tf.resources(type)
	candidate(type, db.values)
	not restored(db.values)
	not undecided_restore(db.values)
	not tf.has_key(db.values, "backup_retention_period")
	msg := sprintf("%s keeps automated backups for only %d day: backup_retention_period is not set and AWS applies its default", [address, default_days])
}

# Checks that depend on a value known only after apply.

undecided contains {"msg": msg, "path": tf.path(address, ["backup_retention_period"])} if {
	some type in types
	some address, db in tf.resources(type)
	not exempt(type, db.values)
	v := db.values.backup_retention_period
	tf.is_unknown(v)
	msg := sprintf("%s may keep too few automated backups: backup_retention_period = %v is known only after apply", [address, v.__unknown__])
}

undecided contains {"msg": msg, "path": tf.path(address, [key])} if {
	some type in types
	some address, db in tf.resources(type)
	key := undecided_exemption(type, db.values)
	not exempt(type, db.values)
	not enough(db.values.backup_retention_period)
	not tf.is_unknown(db.values.backup_retention_period)
	msg := sprintf("%s may keep too few automated backups: whether it is a read replica depends on %s = %v, which is known only after apply", [address, key, db.values[key].__unknown__])
}

undecided contains {"msg": msg, "path": tf.path(address, ["snapshot_identifier"])} if {
	some type in types
	some address, db in tf.resources(type)
	candidate(type, db.values)
	not restored(db.values)
	undecided_restore(db.values)
	tf.missing(db.values, "backup_retention_period")
	msg := sprintf("%s may keep automated backups for only %d day: backup_retention_period is not set, and whether it inherits a snapshot's retention depends on snapshot_identifier = %v, which is known only after apply", [address, default_days, db.values.snapshot_identifier.__unknown__])
}

enough(v) if days(v) >= minimum

plural(n) := "1 day" if n == 1

plural(n) := sprintf("%d days", [n]) if n != 1

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

# METADATA
# title: Database has no deletion protection
# description: >-
#   Without deletion protection a database is deleted, with the records it
#   holds, by a single API call: a `terraform destroy`, a change that forces
#   Terraform to replace the resource, a removed module, or a mistaken or
#   malicious console action. Snapshots and backups, where they exist, restore
#   only up to their last copy and are themselves deleted with some databases.
#   With `deletion_protection` on, AWS refuses to delete the database until
#   someone deliberately turns it off first. ISO/IEC 27002 15.1.3 asks that
#   important records be protected from loss and destruction; deletion
#   protection is the safeguard AWS offers against destroying the store that
#   holds them. Examined: RDS instances and clusters, DocumentDB and Neptune
#   clusters (`deletion_protection`, default false) and DynamoDB tables
#   (`deletion_protection_enabled`, default false). Read replicas
#   (`replicate_source_db`, `replication_source_identifier`) are not flagged:
#   the records live on in their source. A setting known only after apply
#   makes the check inconclusive.
# custom:
#   id: CL-AWS-045
#   severity: low
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["15.1.3"]
#     iso27002:2022: ["5.33"]
#   remediation: >-
#     Set `deletion_protection = true` on RDS instances and clusters and on
#     DocumentDB and Neptune clusters, and `deletion_protection_enabled = true`
#     on DynamoDB tables. To retire a database later, turn the setting off in
#     one apply and delete the database in the next.
#   applies_to: [aws_db_instance, aws_rds_cluster, aws_docdb_cluster, aws_neptune_cluster, aws_dynamodb_table]
package clause.rules.terraform.aws.database_deletion_protection_disabled

import data.clause.lib.terraform as tf
import rego.v1

# The setting of each type, and the settings that make it a replica.
types := {
	"aws_db_instance": {"key": "deletion_protection", "replica": ["replicate_source_db"]},
	"aws_rds_cluster": {"key": "deletion_protection", "replica": ["replication_source_identifier"]},
	"aws_docdb_cluster": {"key": "deletion_protection", "replica": []},
	"aws_neptune_cluster": {"key": "deletion_protection", "replica": ["replication_source_identifier"]},
	"aws_dynamodb_table": {"key": "deletion_protection_enabled", "replica": []},
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

replica(type, values) if {
	some key in types[type].replica
	given(values[key])
}

# undecided_replica(type, values): whether it is a replica depends on a value
# known only after apply that may be null.
undecided_replica(type, values) := keys[0] if {
	keys := [key |
		some key in types[type].replica
		tf.is_unknown(values[key])
		not always_set(values[key])
	]
	count(keys) > 0
}

candidate(type, values) if {
	not replica(type, values)
	not undecided_replica(type, values)
}

deny contains {"msg": msg, "label": "no deletion protection", "path": tf.path(address, [spec.key])} if {
	some type, spec in types
	some address, db in tf.resources(type)
	candidate(type, db.values)
	tf.is_false(db.values[spec.key])
	msg := sprintf("%s can be deleted, with its data, by one API call or Terraform change (%s = false)", [address, spec.key])
}

deny contains {"msg": msg, "label": "no deletion protection", "path": tf.path(address, [spec.key])} if {
	some type, spec in types
	some address, db in tf.resources(type)
	candidate(type, db.values)
	tf.has_key(db.values, spec.key)
	db.values[spec.key] == null
	msg := sprintf("%s can be deleted, with its data, by one API call or Terraform change: %s is null and defaults to false", [address, spec.key])
}

deny contains {"msg": msg, "label": "no deletion protection", "path": tf.resource_path(address)} if {
	some type, spec in types
	some address, db in tf.resources(type)
	candidate(type, db.values)
	not tf.has_key(db.values, spec.key)
	msg := sprintf("%s can be deleted, with its data, by one API call or Terraform change: %s is not set and defaults to false", [address, spec.key])
}

# Checks that depend on a value known only after apply.

undecided contains {"msg": msg, "path": tf.path(address, [spec.key])} if {
	some type, spec in types
	some address, db in tf.resources(type)
	not replica(type, db.values)
	tf.is_unknown(db.values[spec.key])
	msg := sprintf("%s may have no deletion protection: %s = %s is known only after apply", [address, spec.key, db.values[spec.key].__unknown__])
}

undecided contains {"msg": msg, "path": tf.path(address, [key])} if {
	some type, spec in types
	some address, db in tf.resources(type)
	tf.disabled(db.values, spec.key)
	key := undecided_replica(type, db.values)
	msg := sprintf("%s has no deletion protection (%s is not true), which matters unless it is a read replica, and that depends on %s = %s, which is known only after apply", [address, spec.key, key, db.values[key].__unknown__])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

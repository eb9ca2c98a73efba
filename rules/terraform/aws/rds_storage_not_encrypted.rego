# METADATA
# title: RDS database storage is not encrypted
# description: >-
#   RDS instances and clusters store their data, automated backups, read
#   replicas and snapshots unencrypted unless `storage_encrypted = true`:
#   Terraform's default is false for provisioned databases. Unencrypted storage
#   means a snapshot shared or copied by mistake, or storage media leaving AWS's
#   control, discloses every record, and encryption cannot be switched on later
#   without restoring into a new database. ISO/IEC 27002 12.3.1 asks that
#   cryptographic controls protect information according to a policy, and
#   encryption at rest for databases is the first place such a policy applies.
#   Databases whose encryption comes from elsewhere are not flagged: read
#   replicas (`replicate_source_db`, `replication_source_identifier`) and
#   restores from a snapshot or a point in time inherit their source's
#   encryption, and Aurora Serverless v1 clusters (`engine_mode = "serverless"`)
#   are always encrypted. When one of these settings is known only after
#   apply (a variable without a value, a data source), the check is reported
#   as inconclusive rather than as a finding.
# custom:
#   id: CL-AWS-004
#   severity: high
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["12.3.1"]
#     iso27002:2022: ["8.24"]
#   remediation: >-
#     Set `storage_encrypted = true` (and `kms_key_id` to a customer managed key
#     if you manage keys yourself). An existing database cannot be encrypted in
#     place: snapshot it, copy the snapshot with encryption, and restore from the
#     encrypted copy.
#   applies_to: [aws_db_instance, aws_rds_cluster]
package clause.rules.terraform.aws.rds_storage_not_encrypted

import data.clause.lib.terraform as tf
import rego.v1

types := ["aws_db_instance", "aws_rds_cluster"]

# Settings under which the storage's encryption comes from a source database
# or snapshot clause cannot see.
source_settings := {
	"aws_db_instance": ["replicate_source_db", "snapshot_identifier"],
	"aws_rds_cluster": ["replication_source_identifier", "snapshot_identifier"],
}

# Aurora Serverless v1 (`engine_mode = "serverless"`) is always encrypted.
mode_settings := {"aws_db_instance": [], "aws_rds_cluster": ["engine_mode"]}

# given(v): an argument set to something other than null or "": a known
# value, or an attribute of a resource or data source (an identifier or ARN
# known after apply, never null).
given(v) if {
	tf.known(v)
	v != null
	v != ""
}

given(v) if always_set(v)

# always_set(v): v is known only after apply but refers only to resources or
# data sources, not to variables, locals or module inputs that may be null.
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

# undecided_setting(v): a source setting known only after apply that may be
# null.
undecided_setting(v) if {
	tf.is_unknown(v)
	not always_set(v)
}

# absent(values, key): not written at all.
absent(values, key) if not tf.has_key(values, key)

has_block(values, name) if count(tf.blocks(values, name)) > 0

inherits_encryption(type, values) if {
	some key in source_settings[type]
	given(values[key])
}

inherits_encryption(_, values) if has_block(values, "restore_to_point_in_time")

# Aurora Serverless v1 is always encrypted.
encrypted_by_default("aws_rds_cluster", values) if values.engine_mode == "serverless"

# undecided_source(type, values): the setting known only after apply that
# decides whether the encryption comes from elsewhere.
undecided_source(type, values) := keys[0] if {
	keys := array.concat(
		[key | some key in source_settings[type]; undecided_setting(values[key])],
		[key | some key in mode_settings[type]; tf.is_unknown(values[key])],
	)
	count(keys) > 0
}

unencrypted(type, values) if {
	tf.disabled(values, "storage_encrypted")
	not inherits_encryption(type, values)
	not encrypted_by_default(type, values)
	not undecided_source(type, values)
}

deny contains {"msg": sprintf("%s is not encrypted at rest (storage_encrypted = false)", [address]), "label": "not encrypted", "path": tf.path(address, ["storage_encrypted"])} if {
	some type in types
	some address, db in tf.resources(type)
	unencrypted(type, db.values)
	tf.is_false(db.values.storage_encrypted)
}

deny contains {"msg": sprintf("%s is not encrypted at rest: storage_encrypted is null and defaults to false", [address]), "label": "not encrypted", "path": tf.path(address, ["storage_encrypted"])} if {
	some type in types
	some address, db in tf.resources(type)
	unencrypted(type, db.values)
	tf.has_key(db.values, "storage_encrypted")
	db.values.storage_encrypted == null
}

deny contains {"msg": sprintf("%s is not encrypted at rest: storage_encrypted is not set and defaults to false", [address]), "label": "not encrypted", "path": tf.resource_path(address)} if {
	some type in types
	some address, db in tf.resources(type)
	unencrypted(type, db.values)
	absent(db.values, "storage_encrypted")
}

# Checks that depend on a value known only after apply.

undecided contains {"msg": msg, "path": tf.path(address, ["storage_encrypted"])} if {
	some type in types
	some address, db in tf.resources(type)
	tf.is_unknown(db.values.storage_encrypted)
	not inherits_encryption(type, db.values)
	not encrypted_by_default(type, db.values)
	msg := sprintf("%s may store data unencrypted: storage_encrypted = %s is known only after apply", [address, db.values.storage_encrypted.__unknown__])
}

undecided contains {"msg": msg, "path": tf.path(address, [key])} if {
	some type in types
	some address, db in tf.resources(type)
	tf.disabled(db.values, "storage_encrypted")
	not inherits_encryption(type, db.values)
	not encrypted_by_default(type, db.values)
	key := undecided_source(type, db.values)
	msg := sprintf("%s may store data unencrypted: storage_encrypted is not true, and %s depends on %s = %s, which is known only after apply", [address, why(key), key, db.values[key].__unknown__])
}

why(key) := "whether it is Aurora Serverless v1 (always encrypted)" if key == "engine_mode"

why(key) := "whether it inherits encryption from its source" if key != "engine_mode"

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

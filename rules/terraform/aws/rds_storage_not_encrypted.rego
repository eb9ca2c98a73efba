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
#   are always encrypted.
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

# given(values, key): the argument is set to something other than null or "".
given(values, key) if {
	v := tf.setting(values, key)
	v != ""
}

# absent(values, key): not written, or null. (tf.missing is also true for a
# `false` value, because `not tf.setting(...)` negates the value itself.)
absent(values, key) if not tf.has_key(values, key)

absent(values, key) if values[key] == null

has_block(values, name) if count(tf.blocks(values, name)) > 0

has_block(values, name) if {
	some d in tf.blocks(values, "dynamic")
	name in d.__labels__
}

# Settings under which the storage's encryption comes from a source database
# or snapshot clause cannot see.
inherits_encryption("aws_db_instance", values) if given(values, "replicate_source_db")

inherits_encryption("aws_db_instance", values) if given(values, "snapshot_identifier")

inherits_encryption("aws_db_instance", values) if has_block(values, "restore_to_point_in_time")

inherits_encryption("aws_rds_cluster", values) if given(values, "replication_source_identifier")

inherits_encryption("aws_rds_cluster", values) if given(values, "snapshot_identifier")

inherits_encryption("aws_rds_cluster", values) if has_block(values, "restore_to_point_in_time")

# Aurora Serverless v1 is always encrypted; an engine mode clause cannot know
# might be serverless.
encrypted_by_default("aws_rds_cluster", values) if values.engine_mode == "serverless"

encrypted_by_default("aws_rds_cluster", values) if tf.is_unknown(values.engine_mode)

unencrypted(type, values) if {
	tf.disabled(values, "storage_encrypted")
	not inherits_encryption(type, values)
	not encrypted_by_default(type, values)
}

deny contains {"msg": sprintf("%s is not encrypted at rest (storage_encrypted = false)", [address]), "label": "not encrypted", "path": tf.path(address, ["storage_encrypted"])} if {
	some type in ["aws_db_instance", "aws_rds_cluster"]
	some address, db in tf.resources(type)
	unencrypted(type, db.values)
	tf.is_false(db.values.storage_encrypted)
}

deny contains {"msg": sprintf("%s is not encrypted at rest: storage_encrypted is not set and defaults to false", [address]), "label": "not encrypted", "path": tf.resource_path(address)} if {
	some type in ["aws_db_instance", "aws_rds_cluster"]
	some address, db in tf.resources(type)
	unencrypted(type, db.values)
	absent(db.values, "storage_encrypted")
}

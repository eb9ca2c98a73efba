# METADATA
# title: ElastiCache replication group is not encrypted at rest
# description: >-
#   ElastiCache for Redis OSS writes cached data to disk during
#   synchronisation, swap and backups, and exports snapshots to S3. Without
#   `at_rest_encryption_enabled = true` (the default is false for the `redis`
#   engine; `valkey` encrypts by default) those copies are unencrypted, and
#   caches commonly hold session tokens, personal data and query results
#   copied from encrypted databases. Encryption at rest can only be chosen when
#   the replication group is created. ISO/IEC 27002 12.3.1 asks that
#   cryptographic controls protect information according to a policy; the
#   copies a cache keeps should be as protected as the source they come from.
#   Members of a global datastore (`global_replication_group_id`) take their
#   encryption from the global datastore and are not flagged. A setting or
#   engine known only after apply makes the check inconclusive.
# custom:
#   id: CL-AWS-050
#   severity: high
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["12.3.1"]
#     iso27002:2022: ["8.24"]
#   remediation: >-
#     Set `at_rest_encryption_enabled = true` (with `kms_key_id` for a customer
#     managed key) on the `aws_elasticache_replication_group`, or use the
#     `valkey` engine or `aws_elasticache_serverless_cache`, which are always
#     encrypted. An existing group must be recreated: take a backup, and
#     restore it into a new encrypted group.
#   applies_to: [aws_elasticache_replication_group]
package clause.rules.terraform.aws.elasticache_not_encrypted_at_rest

import data.clause.lib.terraform as tf
import rego.v1

# engine(values): the engine, lower-case ("redis" when unset).
engine(values) := lower(values.engine) if is_string(values.engine)

engine(values) := "redis" if tf.missing(values, "engine")

encrypted_by_default(values) if engine(values) == "valkey"

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

global_member(values) if given(values.global_replication_group_id)

global_undecided(values) if {
	tf.is_unknown(values.global_replication_group_id)
	not always_set(values.global_replication_group_id)
}

candidate(values) if {
	not global_member(values)
	not global_undecided(values)
}

groups := tf.resources("aws_elasticache_replication_group")

deny contains {"msg": msg, "label": "not encrypted", "path": tf.path(address, ["at_rest_encryption_enabled"])} if {
	some address, group in groups
	candidate(group.values)
	tf.is_false(group.values.at_rest_encryption_enabled)
	msg := sprintf("%s stores cached data, backups and snapshots unencrypted (at_rest_encryption_enabled = false)", [address])
}

deny contains {"msg": msg, "label": "not encrypted", "path": tf.path(address, ["at_rest_encryption_enabled"])} if {
	some address, group in groups
	candidate(group.values)
	tf.has_key(group.values, "at_rest_encryption_enabled")
	group.values.at_rest_encryption_enabled == null
	engine(group.values) == "redis"
	msg := sprintf("%s stores cached data, backups and snapshots unencrypted: at_rest_encryption_enabled is null and defaults to false for Redis OSS", [address])
}

deny contains {"msg": msg, "label": "not encrypted", "path": tf.resource_path(address)} if {
	some address, group in groups
	candidate(group.values)
	not tf.has_key(group.values, "at_rest_encryption_enabled")
	engine(group.values) == "redis"
	msg := sprintf("%s stores cached data, backups and snapshots unencrypted: at_rest_encryption_enabled is not set and defaults to false for Redis OSS", [address])
}

# Checks that depend on a value known only after apply.

undecided contains {"msg": msg, "path": tf.path(address, ["at_rest_encryption_enabled"])} if {
	some address, group in groups
	not global_member(group.values)
	tf.is_unknown(group.values.at_rest_encryption_enabled)
	msg := sprintf("%s may store cached data unencrypted: at_rest_encryption_enabled = %s is known only after apply", [address, group.values.at_rest_encryption_enabled.__unknown__])
}

undecided contains {"msg": msg, "path": tf.path(address, ["engine"])} if {
	some address, group in groups
	candidate(group.values)
	tf.missing(group.values, "at_rest_encryption_enabled")
	tf.is_unknown(group.values.engine)
	msg := sprintf("%s may store cached data unencrypted: at_rest_encryption_enabled is not set, and its default depends on engine = %s (encrypted for valkey, not for redis), which is known only after apply", [address, group.values.engine.__unknown__])
}

undecided contains {"msg": msg, "path": tf.path(address, ["global_replication_group_id"])} if {
	some address, group in groups
	global_undecided(group.values)
	not tf.is_true(group.values.at_rest_encryption_enabled)
	not encrypted_by_default(group.values)
	not tf.is_unknown(group.values.at_rest_encryption_enabled)
	msg := sprintf("%s may store cached data unencrypted: at_rest_encryption_enabled is not true, and whether it takes its encryption from a global datastore depends on global_replication_group_id = %s, which is known only after apply", [address, group.values.global_replication_group_id.__unknown__])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

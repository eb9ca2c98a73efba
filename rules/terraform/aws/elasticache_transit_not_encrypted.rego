# METADATA
# title: ElastiCache accepts unencrypted connections
# description: >-
#   Without in-transit encryption, clients talk to ElastiCache in clear text:
#   cached session tokens, personal data, query results and the AUTH token or
#   user passwords themselves cross the network readable and modifiable by
#   anything that can observe it (a compromised instance in the VPC, a
#   mirrored interface, a peered network). `transit_encryption_enabled`
#   defaults to false, and `transit_encryption_mode = "preferred"` still
#   accepts plain connections alongside TLS. ISO/IEC 27002 10.8.1 asks that
#   information exchanged over communication facilities be protected from
#   interception, and 12.3.1 asks that cryptographic controls be applied
#   according to policy, as they should be to credentials and personal data in
#   transit. Examined: replication groups (not members of a global datastore,
#   which follow the datastore), Memcached clusters, and standalone Redis OSS
#   clusters created with `aws_elasticache_cluster`, which cannot use TLS at
#   all. Values known only after apply make the check inconclusive.
# custom:
#   id: CL-AWS-051
#   severity: medium
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["10.8.1", "12.3.1"]
#     iso27002:2022: ["5.14", "8.24"]
#   remediation: >-
#     Set `transit_encryption_enabled = true` on the replication group (and
#     `transit_encryption_mode = "required"` once clients connect with TLS;
#     use `auth_token` or RBAC `user_group_ids`), or on the Memcached cluster
#     (engine 1.6.12 or later). Replace standalone Redis OSS clusters
#     (`aws_elasticache_cluster` with `engine = "redis"`) by an
#     `aws_elasticache_replication_group`, or use
#     `aws_elasticache_serverless_cache`, which always uses TLS.
#   applies_to: [aws_elasticache_replication_group, aws_elasticache_cluster]
package clause.rules.terraform.aws.elasticache_transit_not_encrypted

import data.clause.lib.terraform as tf
import rego.v1

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

undecided_member(v) if {
	tf.is_unknown(v)
	not always_set(v)
}

engine(values) := lower(values.engine) if is_string(values.engine)

# Every place transit encryption is decided: replication groups, and
# clusters that are not members of a replication group.
targets contains {"address": address, "values": g.values, "member": "global_replication_group_id", "kind": "group"} if {
	some address, g in tf.resources("aws_elasticache_replication_group")
}

targets contains {"address": address, "values": c.values, "member": "replication_group_id", "kind": engine(c.values)} if {
	some address, c in tf.resources("aws_elasticache_cluster")
	engine(c.values) == "memcached"
}

candidate(t) if {
	not given(t.values[t.member])
	not undecided_member(t.values[t.member])
}

deny contains {"msg": msg, "label": "plain-text connections", "path": tf.path(t.address, ["transit_encryption_enabled"])} if {
	some t in targets
	candidate(t)
	tf.is_false(t.values.transit_encryption_enabled)
	msg := sprintf("%s accepts unencrypted client connections (transit_encryption_enabled = false)", [t.address])
}

deny contains {"msg": msg, "label": "plain-text connections", "path": tf.path(t.address, ["transit_encryption_enabled"])} if {
	some t in targets
	candidate(t)
	tf.has_key(t.values, "transit_encryption_enabled")
	t.values.transit_encryption_enabled == null
	msg := sprintf("%s accepts unencrypted client connections: transit_encryption_enabled is null and defaults to false", [t.address])
}

deny contains {"msg": msg, "label": "plain-text connections", "path": tf.resource_path(t.address)} if {
	some t in targets
	candidate(t)
	not tf.has_key(t.values, "transit_encryption_enabled")
	msg := sprintf("%s accepts unencrypted client connections: transit_encryption_enabled is not set and defaults to false", [t.address])
}

deny contains {"msg": msg, "label": "plain-text connections allowed", "path": tf.path(t.address, ["transit_encryption_mode"])} if {
	some t in targets
	t.kind == "group"
	candidate(t)
	tf.is_true(t.values.transit_encryption_enabled)
	t.values.transit_encryption_mode == "preferred"
	msg := sprintf("%s still accepts unencrypted client connections next to TLS (transit_encryption_mode = \"preferred\")", [t.address])
}

deny contains {"msg": msg, "label": "no TLS", "path": tf.path(address, ["engine"])} if {
	some address, c in tf.resources("aws_elasticache_cluster")
	engine(c.values) in {"redis", "valkey"}
	not given(c.values.replication_group_id)
	not undecided_member(c.values.replication_group_id)
	msg := sprintf("%s runs %s as a standalone cluster, which cannot encrypt client connections", [address, c.values.engine])
}

# Checks that depend on a value known only after apply.

undecided contains {"msg": msg, "path": tf.path(t.address, ["transit_encryption_enabled"])} if {
	some t in targets
	not given(t.values[t.member])
	tf.is_unknown(t.values.transit_encryption_enabled)
	msg := sprintf("%s may accept unencrypted client connections: transit_encryption_enabled = %s is known only after apply", [t.address, t.values.transit_encryption_enabled.__unknown__])
}

undecided contains {"msg": msg, "path": tf.path(t.address, ["transit_encryption_mode"])} if {
	some t in targets
	t.kind == "group"
	not given(t.values[t.member])
	tf.is_true(t.values.transit_encryption_enabled)
	tf.is_unknown(t.values.transit_encryption_mode)
	msg := sprintf("%s may accept unencrypted client connections next to TLS: transit_encryption_mode = %s is known only after apply", [t.address, t.values.transit_encryption_mode.__unknown__])
}

undecided contains {"msg": msg, "path": tf.path(t.address, [t.member])} if {
	some t in targets
	undecided_member(t.values[t.member])
	not tf.is_true(t.values.transit_encryption_enabled)
	not tf.is_unknown(t.values.transit_encryption_enabled)
	msg := sprintf("%s may accept unencrypted client connections: transit_encryption_enabled is not true, and whether the setting comes from elsewhere depends on %s = %s, which is known only after apply", [t.address, t.member, t.values[t.member].__unknown__])
}

undecided contains {"msg": msg, "path": tf.path(address, ["engine"])} if {
	some address, c in tf.resources("aws_elasticache_cluster")
	tf.is_unknown(c.values.engine)
	not given(c.values.replication_group_id)
	not tf.is_true(c.values.transit_encryption_enabled)
	msg := sprintf("%s may accept unencrypted client connections: engine = %s is known only after apply", [address, c.values.engine.__unknown__])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

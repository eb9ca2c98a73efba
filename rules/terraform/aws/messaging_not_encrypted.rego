# METADATA
# title: Queue, topic or stream stores messages without server-side encryption
# description: >-
#   Messages in SQS queues, SNS topics and Kinesis data streams often carry the
#   same personal, financial or operational data as the systems that send
#   them, and they stay stored for days (SQS up to 14, Kinesis up to 365,
#   SNS while deliveries are retried). Server-side encryption encrypts them
#   with a key whose use is logged and can be restricted by key policy, so
#   access to the service's storage or a mis-scoped read permission does not
#   expose them in clear. Without it, only the storage-level protection AWS
#   applies to its own disks remains. SQS encrypts new queues with SQS-managed
#   keys unless `sqs_managed_sse_enabled = false`; SNS encrypts only with a
#   KMS key (`kms_master_key_id`); Kinesis streams are unencrypted unless
#   `encryption_type = "KMS"`. ISO/IEC 27002 12.3.1 asks that cryptographic
#   controls protect information according to a policy, which should cover
#   data at rest in messaging services as well as in databases. Not flagged:
#   queues that leave `sqs_managed_sse_enabled` unset or set a KMS key. A
#   setting known only after apply makes the check inconclusive.
# custom:
#   id: CL-AWS-052
#   severity: medium
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["12.3.1"]
#     iso27002:2022: ["8.24"]
#   remediation: >-
#     SQS: remove `sqs_managed_sse_enabled = false`, or set `kms_master_key_id`
#     to a KMS key. SNS: set `kms_master_key_id` (`alias/aws/sns` or, better,
#     a customer managed key whose policy lets the publishing services use it).
#     Kinesis: set `encryption_type = "KMS"` and `kms_key_id`
#     (`alias/aws/kinesis` or a customer managed key).
#   applies_to: [aws_sqs_queue, aws_sns_topic, aws_kinesis_stream]
package clause.rules.terraform.aws.messaging_not_encrypted

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

# no_key(values, key): no KMS key: absent, null or "".
no_key(values, key) if tf.missing(values, key)

no_key(values, key) if values[key] == ""

# maybe_key(v): a key that may turn out to be null.
maybe_key(v) if {
	tf.is_unknown(v)
	not always_set(v)
}

# SQS

deny contains {"msg": msg, "label": "not encrypted", "path": tf.path(address, ["sqs_managed_sse_enabled"])} if {
	some address, q in tf.resources("aws_sqs_queue")
	tf.is_false(q.values.sqs_managed_sse_enabled)
	no_key(q.values, "kms_master_key_id")
	msg := sprintf("%s stores messages without server-side encryption (sqs_managed_sse_enabled = false and no kms_master_key_id)", [address])
}

undecided contains {"msg": msg, "path": tf.path(address, ["sqs_managed_sse_enabled"])} if {
	some address, q in tf.resources("aws_sqs_queue")
	tf.is_unknown(q.values.sqs_managed_sse_enabled)
	not given(q.values.kms_master_key_id)
	msg := sprintf("%s may store messages without server-side encryption: sqs_managed_sse_enabled = %s is known only after apply", [address, q.values.sqs_managed_sse_enabled.__unknown__])
}

undecided contains {"msg": msg, "path": tf.path(address, ["kms_master_key_id"])} if {
	some address, q in tf.resources("aws_sqs_queue")
	tf.is_false(q.values.sqs_managed_sse_enabled)
	maybe_key(q.values.kms_master_key_id)
	msg := sprintf("%s may store messages without server-side encryption: sqs_managed_sse_enabled = false, and kms_master_key_id = %s is known only after apply", [address, q.values.kms_master_key_id.__unknown__])
}

# SNS

deny contains {"msg": msg, "label": "not encrypted", "path": tf.resource_path(address)} if {
	some address, topic in tf.resources("aws_sns_topic")
	not tf.has_key(topic.values, "kms_master_key_id")
	msg := sprintf("%s stores messages without server-side encryption: kms_master_key_id is not set", [address])
}

deny contains {"msg": msg, "label": "not encrypted", "path": tf.path(address, ["kms_master_key_id"])} if {
	some address, topic in tf.resources("aws_sns_topic")
	tf.has_key(topic.values, "kms_master_key_id")
	no_key(topic.values, "kms_master_key_id")
	msg := sprintf("%s stores messages without server-side encryption: kms_master_key_id is %v", [address, shown(topic.values.kms_master_key_id)])
}

shown(null) := "null"

shown("") := "empty"

undecided contains {"msg": msg, "path": tf.path(address, ["kms_master_key_id"])} if {
	some address, topic in tf.resources("aws_sns_topic")
	maybe_key(topic.values.kms_master_key_id)
	msg := sprintf("%s may store messages without server-side encryption: kms_master_key_id = %s is known only after apply", [address, topic.values.kms_master_key_id.__unknown__])
}

# Kinesis

deny contains {"msg": msg, "label": "not encrypted", "path": tf.path(address, ["encryption_type"])} if {
	some address, stream in tf.resources("aws_kinesis_stream")
	is_string(stream.values.encryption_type)
	upper(stream.values.encryption_type) == "NONE"
	msg := sprintf("%s stores records without server-side encryption (encryption_type = \"NONE\")", [address])
}

deny contains {"msg": msg, "label": "not encrypted", "path": tf.resource_path(address)} if {
	some address, stream in tf.resources("aws_kinesis_stream")
	tf.missing(stream.values, "encryption_type")
	msg := sprintf("%s stores records without server-side encryption: encryption_type is not set and defaults to \"NONE\"", [address])
}

undecided contains {"msg": msg, "path": tf.path(address, ["encryption_type"])} if {
	some address, stream in tf.resources("aws_kinesis_stream")
	tf.is_unknown(stream.values.encryption_type)
	msg := sprintf("%s may store records without server-side encryption: encryption_type = %s is known only after apply", [address, stream.values.encryption_type.__unknown__])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

# METADATA
# title: S3 bucket is not encrypted with a KMS key
# description: >-
#   Since January 2023 S3 encrypts every new object with S3-managed keys
#   (SSE-S3, `AES256`) when nothing else is configured, so a bucket without an
#   encryption configuration is not stored in clear text. But with SSE-S3 the
#   keys are entirely AWS's: anyone allowed to read the objects can read them
#   decrypted, no key policy separates who may decrypt from who may read, key
#   use is not logged in CloudTrail, and a key cannot be disabled to cut off
#   access in an incident. Encrypting with a KMS key (`aws:kms` or
#   `aws:kms:dsse`) puts the organisation's key policy, grants, rotation and
#   audit trail in front of the data. ISO/IEC 27002 12.3.2 asks for key
#   management that controls who can use keys and records their use; this rule
#   evidences it for S3 data. The configuration may be inline
#   (`server_side_encryption_configuration`) or a separate
#   `aws_s3_bucket_server_side_encryption_configuration` linked by reference or
#   by bucket name; values clause cannot know are never flagged. Buckets that
#   receive S3 server access logs or load balancer access logs are not flagged
#   either: those log deliveries support only SSE-S3 on the destination bucket.
# custom:
#   id: CL-AWS-008
#   severity: medium
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["12.3.2"]
#     iso27002:2022: ["8.24"]
#   remediation: >-
#     Add an `aws_s3_bucket_server_side_encryption_configuration` for the bucket
#     whose `rule` has `apply_server_side_encryption_by_default` with
#     `sse_algorithm = "aws:kms"` and `kms_master_key_id =
#     aws_kms_key.<name>.arn` (and `bucket_key_enabled = true` to cut KMS
#     request costs), or change an existing `sse_algorithm = "AES256"` to
#     `"aws:kms"`.
#   applies_to: [aws_s3_bucket, aws_s3_bucket_server_side_encryption_configuration]
package clause.rules.terraform.aws.s3_bucket_not_kms_encrypted

import data.clause.lib.terraform as tf
import rego.v1

config_type := "aws_s3_bucket_server_side_encryption_configuration"

kms_algorithms := {"aws:kms", "aws:kms:dsse"}

dynamic_block(values, name) if {
	some d in tf.blocks(values, "dynamic")
	name in d.__labels__
}

# algorithms(address, bucket): every sse_algorithm that applies to the bucket,
# inline or in a linked configuration resource, with where it is written.
algorithms(address, bucket) := inline_algorithms(address, bucket) | split_algorithms(address, bucket)

inline_algorithms(address, bucket) := {{"value": d.sse_algorithm, "path": tf.path(address, at), "via": ""} |
	some i, c in tf.blocks(bucket.values, "server_side_encryption_configuration")
	some j, rule in tf.blocks(c, "rule")
	some k, d in tf.blocks(rule, "apply_server_side_encryption_by_default")
	d.sse_algorithm != null
	at := ["server_side_encryption_configuration", i, "rule", j, "apply_server_side_encryption_by_default", k, "sse_algorithm"]
}

split_algorithms(address, bucket) := {{"value": d.sse_algorithm, "path": tf.path(a, at), "via": a} |
	some a, c in tf.related(config_type, "bucket", address, bucket)
	some j, rule in tf.blocks(c.values, "rule")
	some k, d in tf.blocks(rule, "apply_server_side_encryption_by_default")
	d.sse_algorithm != null
	at := ["rule", j, "apply_server_side_encryption_by_default", k, "sse_algorithm"]
}

# The configuration blocks that apply to the bucket, inline or linked.
config_bodies(address, bucket) := array.concat(
	tf.blocks(bucket.values, "server_side_encryption_configuration"),
	[c.values | some _, c in tf.related(config_type, "bucket", address, bucket)],
)

uses_kms(address, bucket) if {
	some a in algorithms(address, bucket)
	is_string(a.value)
	lower(a.value) in kms_algorithms
}

# cannot_know(address, bucket): the bucket's encryption depends on something
# clause cannot see.
cannot_know(address, bucket) if {
	some a in algorithms(address, bucket)
	tf.is_unknown(a.value)
}

cannot_know(_, bucket) if dynamic_block(bucket.values, "server_side_encryption_configuration")

cannot_know(address, bucket) if {
	some body in config_bodies(address, bucket)
	dynamic_block(body, "rule")
}

cannot_know(address, bucket) if {
	some body in config_bodies(address, bucket)
	some rule in tf.blocks(body, "rule")
	dynamic_block(rule, "apply_server_side_encryption_by_default")
}

# A configuration resource whose bucket clause cannot match to a bucket of
# this module (`bucket = var.name`, `module.x.id`, or a literal name while some
# bucket's name is unknown) might configure any of them.
cannot_know(address, bucket) if {
	count(config_bodies(address, bucket)) == 0
	some _, c in tf.resources(config_type)
	not links_a_bucket(c)
	unmatched_could_be_ours(c)
}

links_a_bucket(c) if {
	some a, b in tf.resources("aws_s3_bucket")
	tf.links(c.values.bucket, a, b)
}

unmatched_could_be_ours(c) if tf.is_unknown(c.values.bucket)

unmatched_could_be_ours(_) if {
	some _, b in tf.resources("aws_s3_bucket")
	tf.is_unknown(b.values.bucket)
}

# Destinations of S3 server access logs and of load balancer access logs must
# use SSE-S3: AWS does not deliver those logs to SSE-KMS buckets.
log_destination(address, bucket) if {
	some _, logging in tf.resources("aws_s3_bucket_logging")
	tf.links(logging.values.target_bucket, address, bucket)
}

log_destination(address, bucket) if {
	some _, source in tf.resources("aws_s3_bucket")
	some block in tf.blocks(source.values, "logging")
	tf.links(block.target_bucket, address, bucket)
}

log_destination(address, bucket) if {
	some type in ["aws_lb", "aws_alb", "aws_elb"]
	some _, lb in tf.resources(type)
	some block in tf.blocks(lb.values, "access_logs")
	tf.links(block.bucket, address, bucket)
}

flagged(address, bucket) if {
	not uses_kms(address, bucket)
	not cannot_know(address, bucket)
	not log_destination(address, bucket)
}

via(a) := "" if a.via == ""

via(a) := sprintf(" in %s", [a.via]) if a.via != ""

deny contains {"msg": msg, "label": "S3-managed keys", "path": a.path} if {
	some address, bucket in tf.resources("aws_s3_bucket")
	flagged(address, bucket)
	some a in algorithms(address, bucket)
	is_string(a.value)
	msg := sprintf("%s is encrypted with S3-managed keys (sse_algorithm = %q%s), not with a KMS key", [address, a.value, via(a)])
}

deny contains {"msg": msg, "label": "no KMS encryption", "path": tf.resource_path(address)} if {
	some address, bucket in tf.resources("aws_s3_bucket")
	flagged(address, bucket)
	count(algorithms(address, bucket)) == 0
	msg := sprintf("%s has no KMS encryption configured, so S3 encrypts it only with S3-managed keys (SSE-S3)", [address])
}

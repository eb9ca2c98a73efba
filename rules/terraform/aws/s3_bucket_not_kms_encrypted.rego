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
#   `aws_s3_bucket_server_side_encryption_configuration` linked by reference,
#   by bucket name, or by the same expression known only after apply. An
#   algorithm known only after apply, or a configuration that names its bucket
#   in a way clause cannot resolve, makes the check inconclusive, never a
#   finding. Buckets that
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

# same_unknown(a, b, x, y): a and b are the same expression known only after
# apply (`bucket = var.name` on both), written in the same instance of
# resources x and y: they name the same bucket.
same_unknown(a, b, x, y) if {
	tf.is_unknown(a)
	a == b
	object.get(x, "index", null) == object.get(y, "index", null)
}

# configs(address, bucket): the encryption configuration resources of a
# bucket: linked by reference or literal name (tf.s3_encryption), or naming
# it with the same unknown expression as the bucket's own name.
configs(address, bucket) := object.union(tf.s3_encryption(address, bucket), {a: c |
	some a, c in tf.resources(config_type)
	same_unknown(c.values.bucket, bucket.values.bucket, c, bucket)
})

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
	some a, c in configs(address, bucket)
	some j, rule in tf.blocks(c.values, "rule")
	some k, d in tf.blocks(rule, "apply_server_side_encryption_by_default")
	d.sse_algorithm != null
	at := ["rule", j, "apply_server_side_encryption_by_default", k, "sse_algorithm"]
}

configured(address, bucket) if count(tf.blocks(bucket.values, "server_side_encryption_configuration")) > 0

configured(address, bucket) if count(configs(address, bucket)) > 0

uses_kms(address, bucket) if {
	some a in algorithms(address, bucket)
	is_string(a.value)
	lower(a.value) in kms_algorithms
}

unknown_algorithm(address, bucket) if {
	some a in algorithms(address, bucket)
	tf.is_unknown(a.value)
}

# maybe_configured_by(address, bucket): configuration resources of this
# module that name no bucket of it for certain but may name this one: by an
# expression known only after apply, or by a literal name while this
# bucket's name is known only after apply. Only for buckets with no
# configuration of their own.
maybe_configured_by(address, bucket) := {a |
	not configured(address, bucket)
	some a, c in tf.resources(config_type)
	not configures_a_bucket(c)
	could_name(c.values.bucket, bucket)
}

configures_a_bucket(c) if {
	some a, b in tf.resources("aws_s3_bucket")
	tf.links(c.values.bucket, a, b)
}

configures_a_bucket(c) if {
	some _, b in tf.resources("aws_s3_bucket")
	same_unknown(c.values.bucket, b.values.bucket, c, b)
}

could_name(v, _) if tf.is_unknown(v)

could_name(v, bucket) if {
	is_string(v)
	tf.is_unknown(bucket.values.bucket)
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

candidate(address, bucket) if {
	not uses_kms(address, bucket)
	not log_destination(address, bucket)
}

flagged(address, bucket) if {
	candidate(address, bucket)
	not unknown_algorithm(address, bucket)
	count(maybe_configured_by(address, bucket)) == 0
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

# Checks that depend on a value known only after apply.

undecided contains {"msg": msg, "path": a.path} if {
	some address, bucket in tf.resources("aws_s3_bucket")
	candidate(address, bucket)
	some a in algorithms(address, bucket)
	tf.is_unknown(a.value)
	msg := sprintf("%s may not be encrypted with a KMS key: sse_algorithm = %s%s is known only after apply", [address, a.value.__unknown__, via(a)])
}

undecided contains {"msg": msg, "path": name_path(address, bucket)} if {
	some address, bucket in tf.resources("aws_s3_bucket")
	candidate(address, bucket)
	others := maybe_configured_by(address, bucket)
	count(others) > 0
	msg := sprintf("%s has no encryption configuration of its own and may be the bucket configured by %s: %s", [address, concat(", ", sort(others)), why_maybe(bucket, others)])
}

why_maybe(bucket, others) := sprintf("its name (bucket = %s) is known only after apply", [bucket.values.bucket.__unknown__]) if {
	tf.is_unknown(bucket.values.bucket)
}

why_maybe(bucket, others) := sprintf("the bucket named there (%s) is known only after apply", [concat(", ", sort([shown(tf.resources(config_type)[a].values.bucket) | some a in others]))]) if {
	not tf.is_unknown(bucket.values.bucket)
}

# name_path(address, bucket): the bucket's name when it is the unknown, else
# the bucket itself.
name_path(address, bucket) := tf.path(address, ["bucket"]) if tf.is_unknown(bucket.values.bucket)

name_path(address, bucket) := tf.resource_path(address) if not tf.is_unknown(bucket.values.bucket)

shown(v) := sprintf("%v", [v.__unknown__]) if tf.is_unknown(v)

shown(v) := sprintf("%q", [v]) if is_string(v)

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

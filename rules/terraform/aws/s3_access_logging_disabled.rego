# METADATA
# title: S3 bucket has no server access logging
# description: >-
#   S3 server access logs record every request made to a bucket: who read,
#   wrote or deleted which object, from where, and whether the request was
#   allowed. Without them (and without CloudTrail data events, which are
#   priced per request and rarely enabled for every bucket) there is no record
#   of who downloaded the data after a leak, which objects an attacker with a
#   stolen key touched, or whether a public-access mistake was exploited.
#   ISO/IEC 27002 10.10.1 asks that audit logs recording user activities,
#   exceptions and security events be produced and kept; for object storage,
#   access logging is that record. Logging may be configured inline (`logging`
#   block, provider versions before 4) or with an `aws_s3_bucket_logging`
#   linked by reference, by bucket name, or by the same expression. Buckets
#   that receive other buckets' access logs are not flagged (logging a log
#   bucket into itself loops). When an `aws_s3_bucket_logging` of the module
#   names its bucket in a way clause cannot resolve, buckets without logging
#   of their own are reported as inconclusive rather than as findings.
# custom:
#   id: CL-AWS-058
#   severity: low
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["10.10.1"]
#     iso27002:2022: ["8.15"]
#   remediation: >-
#     Add an `aws_s3_bucket_logging` with `bucket = aws_s3_bucket.<name>.id`,
#     `target_bucket` set to a dedicated log bucket (with SSE-S3 encryption,
#     no public access and a retention lifecycle) and a `target_prefix`; or
#     enable CloudTrail S3 data events for the bucket.
#   applies_to: [aws_s3_bucket, aws_s3_bucket_logging]
package clause.rules.terraform.aws.s3_access_logging_disabled

import data.clause.lib.terraform as tf
import rego.v1

logging_type := "aws_s3_bucket_logging"

same_unknown(a, b, x, y) if {
	tf.is_unknown(a)
	a == b
	object.get(x, "index", null) == object.get(y, "index", null)
}

# configs(address, bucket): the logging configurations of a bucket.
configs(address, bucket) := object.union(tf.s3_logging(address, bucket), {a: c |
	some a, c in tf.resources(logging_type)
	same_unknown(c.values.bucket, bucket.values.bucket, c, bucket)
})

inline_logging(bucket) if {
	some block in tf.blocks(bucket.values, "logging")
	is_object(block)
}

logged(address, bucket) if inline_logging(bucket)

logged(address, bucket) if count(configs(address, bucket)) > 0

# log_destination(address, bucket): the bucket receives access logs.
log_destination(address, bucket) if {
	some _, c in tf.resources(logging_type)
	tf.links(c.values.target_bucket, address, bucket)
}

log_destination(address, bucket) if {
	some _, source in tf.resources("aws_s3_bucket")
	some block in tf.blocks(source.values, "logging")
	tf.links(block.target_bucket, address, bucket)
}

# maybe_logged_by(address, bucket): logging configurations that name no
# bucket of this module for certain but may name this one.
maybe_logged_by(address, bucket) := {a |
	some a, c in tf.resources(logging_type)
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

candidate(address, bucket) if {
	not logged(address, bucket)
	not log_destination(address, bucket)
	not tf.is_unknown(bucket.values.logging)
}

name(address, bucket) := sprintf("%s (%s)", [address, bucket.values.bucket]) if is_string(bucket.values.bucket)

name(address, bucket) := address if not is_string(bucket.values.bucket)

deny contains {"msg": msg, "label": "no access logs", "path": tf.resource_path(address)} if {
	some address, bucket in tf.resources("aws_s3_bucket")
	candidate(address, bucket)
	count(maybe_logged_by(address, bucket)) == 0
	msg := sprintf("%s records no server access logs: no logging block or aws_s3_bucket_logging configures it", [name(address, bucket)])
}

# Checks that depend on a value known only after apply.

undecided contains {"msg": msg, "path": tf.resource_path(address)} if {
	some address, bucket in tf.resources("aws_s3_bucket")
	candidate(address, bucket)
	others := maybe_logged_by(address, bucket)
	count(others) > 0
	msg := sprintf("%s has no access logging of its own and may be the bucket that %s configures, which clause cannot match to a bucket of this module", [name(address, bucket), concat(", ", sort(others))])
}

undecided contains {"msg": msg, "path": tf.path(address, ["logging"])} if {
	some address, bucket in tf.resources("aws_s3_bucket")
	tf.is_unknown(bucket.values.logging)
	not logged(address, bucket)
	msg := sprintf("%s may record no server access logs: logging = %s is known only after apply", [name(address, bucket), bucket.values.logging.__unknown__])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

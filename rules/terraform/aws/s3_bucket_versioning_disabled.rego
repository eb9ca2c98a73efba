# METADATA
# title: S3 bucket versioning is not enabled
# description: >-
#   Without versioning an S3 object that is overwritten or deleted is gone: a
#   buggy job that rewrites every object, a user deleting the wrong prefix or
#   ransomware that encrypts objects in place cannot be undone, and no earlier
#   copy exists to restore from. With versioning every change keeps the
#   previous version (lifecycle rules can expire old versions after a set
#   time). ISO/IEC 27002 10.5.1 asks that back-up copies of information be
#   kept and can be restored; for object storage, keeping prior versions is
#   the first such copy. Versioning may be enabled inline (`versioning {
#   enabled = true }`, provider v3 style) or by a separate
#   `aws_s3_bucket_versioning` with `status = "Enabled"`, linked by reference,
#   by bucket name or by the same expression known only after apply; buckets
#   created with object lock (`object_lock_enabled = true`) are always
#   versioned. A status known only after apply, or a versioning resource that
#   names its bucket in a way clause cannot resolve, makes the check
#   inconclusive, never a finding.
# custom:
#   id: CL-AWS-021
#   severity: medium
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["10.5.1"]
#     iso27002:2022: ["8.13"]
#   remediation: >-
#     Add an `aws_s3_bucket_versioning` for the bucket (`bucket =
#     aws_s3_bucket.<name>.id`) with `versioning_configuration { status =
#     "Enabled" }`, or change a `status = "Suspended"` to `"Enabled"`; add an
#     `aws_s3_bucket_lifecycle_configuration` rule with
#     `noncurrent_version_expiration` to bound the cost of old versions.
#   applies_to: [aws_s3_bucket, aws_s3_bucket_versioning]
package clause.rules.terraform.aws.s3_bucket_versioning_disabled

import data.clause.lib.terraform as tf
import rego.v1

config_type := "aws_s3_bucket_versioning"

# same_unknown(a, b, x, y): a and b are the same expression known only after
# apply, written in the same instance of resources x and y.
same_unknown(a, b, x, y) if {
	tf.is_unknown(a)
	a == b
	object.get(x, "index", null) == object.get(y, "index", null)
}

# configs(address, bucket): the versioning resources of a bucket.
configs(address, bucket) := object.union(tf.s3_versioning(address, bucket), {a: c |
	some a, c in tf.resources(config_type)
	same_unknown(c.values.bucket, bucket.values.bucket, c, bucket)
})

# statuses(address, bucket): every versioning setting that applies to the
# bucket, inline or in a linked resource, with where it is written.
statuses(address, bucket) := inline_statuses(address, bucket) | split_statuses(address, bucket)

inline_statuses(address, bucket) := {{"value": status(v.enabled), "raw": v.enabled, "key": "enabled", "path": tf.path(address, ["versioning", i, "enabled"]), "via": ""} |
	some i, v in tf.blocks(bucket.values, "versioning")
	is_object(v)
	tf.has_key(v, "enabled")
	v.enabled != null
}

split_statuses(address, bucket) := {{"value": c.status, "raw": c.status, "key": "status", "path": tf.path(a, ["versioning_configuration", j, "status"]), "via": a} |
	some a, r in configs(address, bucket)
	some j, c in tf.blocks(r.values, "versioning_configuration")
	is_object(c)
	tf.has_key(c, "status")
	c.status != null
}

# status(enabled): the inline boolean as the status it stands for.
status(v) := "Enabled" if tf.is_true(v)

status(v) := "Suspended" if tf.is_false(v)

status(v) := v if tf.is_unknown(v)

status(v) := "Unknown" if {
	not tf.is_true(v)
	not tf.is_false(v)
	not tf.is_unknown(v)
}

versioned(address, bucket) if {
	some s in statuses(address, bucket)
	s.value == "Enabled"
}

# Object lock can only be turned on with versioning, and keeps it on.
versioned(_, bucket) if tf.is_true(bucket.values.object_lock_enabled)

versioned(_, bucket) if {
	some c in tf.blocks(bucket.values, "object_lock_configuration")
	is_object(c)
	c.object_lock_enabled == "Enabled"
}

unknown_status(address, bucket) if {
	some s in statuses(address, bucket)
	tf.is_unknown(s.value)
}

unknown_status(_, bucket) if tf.is_unknown(bucket.values.object_lock_enabled)

configured(address, bucket) if count(configs(address, bucket)) > 0

configured(_, bucket) if count(tf.blocks(bucket.values, "versioning")) > 0

# maybe_configured_by(address, bucket): versioning resources of this module
# that name no bucket of it for certain but may name this one. Only for
# buckets with no versioning configuration of their own.
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

candidate(address, bucket) if not versioned(address, bucket)

flagged(address, bucket) if {
	candidate(address, bucket)
	not unknown_status(address, bucket)
	count(maybe_configured_by(address, bucket)) == 0
}

via(s) := "" if s.via == ""

via(s) := sprintf(" in %s", [s.via]) if s.via != ""

deny contains {"msg": msg, "label": "not versioned", "path": s.path} if {
	some address, bucket in tf.resources("aws_s3_bucket")
	flagged(address, bucket)
	some s in statuses(address, bucket)
	s.value != "Enabled"
	msg := sprintf("%s does not keep previous versions of its objects (%s = %v%s): overwritten or deleted objects cannot be recovered", [address, s.key, shown(s.raw), via(s)])
}

deny contains {"msg": msg, "label": "not versioned", "path": tf.resource_path(address)} if {
	some address, bucket in tf.resources("aws_s3_bucket")
	flagged(address, bucket)
	count(statuses(address, bucket)) == 0
	msg := sprintf("%s has no versioning enabled, so overwritten or deleted objects cannot be recovered", [address])
}

shown(v) := sprintf("%q", [v]) if is_string(v)

shown(v) := sprintf("%v", [v]) if not is_string(v)

# Checks that depend on a value known only after apply.

undecided contains {"msg": msg, "path": s.path} if {
	some address, bucket in tf.resources("aws_s3_bucket")
	candidate(address, bucket)
	some s in statuses(address, bucket)
	tf.is_unknown(s.raw)
	msg := sprintf("%s may not be versioned: %s = %v%s is known only after apply", [address, s.key, s.raw.__unknown__, via(s)])
}

undecided contains {"msg": msg, "path": tf.path(address, ["object_lock_enabled"])} if {
	some address, bucket in tf.resources("aws_s3_bucket")
	candidate(address, bucket)
	tf.is_unknown(bucket.values.object_lock_enabled)
	msg := sprintf("%s may not be versioned: object_lock_enabled = %v is known only after apply", [address, bucket.values.object_lock_enabled.__unknown__])
}

undecided contains {"msg": msg, "path": name_path(address, bucket)} if {
	some address, bucket in tf.resources("aws_s3_bucket")
	candidate(address, bucket)
	others := maybe_configured_by(address, bucket)
	count(others) > 0
	msg := sprintf("%s has no versioning configuration of its own and may be the bucket versioned by %s: %s", [address, concat(", ", sort(others)), why_maybe(bucket, others)])
}

why_maybe(bucket, _) := sprintf("its name (bucket = %v) is known only after apply", [bucket.values.bucket.__unknown__]) if {
	tf.is_unknown(bucket.values.bucket)
}

why_maybe(bucket, others) := sprintf("the bucket named there (%s) is known only after apply", [concat(", ", sort([named(tf.resources(config_type)[a].values.bucket) | some a in others]))]) if {
	not tf.is_unknown(bucket.values.bucket)
}

named(v) := sprintf("%v", [v.__unknown__]) if tf.is_unknown(v)

named(v) := sprintf("%q", [v]) if is_string(v)

name_path(address, bucket) := tf.path(address, ["bucket"]) if tf.is_unknown(bucket.values.bucket)

name_path(address, bucket) := tf.resource_path(address) if not tf.is_unknown(bucket.values.bucket)

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

# METADATA
# title: S3 Block Public Access setting is turned off
# description: >-
#   S3 Block Public Access is the safety net that stops a bucket policy or ACL
#   from exposing data to the internet, whoever writes it and however it is
#   written. New buckets have all four settings on, but an
#   `aws_s3_bucket_public_access_block` (or the account-wide
#   `aws_s3_account_public_access_block`) replaces them, and any of
#   `block_public_acls`, `block_public_policy`, `ignore_public_acls` and
#   `restrict_public_buckets` it leaves out defaults to false. With a setting
#   off, one mistaken policy statement (`"Principal": "*"`) or ACL grant
#   publishes the bucket's objects. ISO/IEC 27002 11.6.1 asks that access to
#   information be restricted according to the access control policy; Block
#   Public Access enforces that no S3 grant can bypass it. A bucket-level
#   setting that is off is not flagged when the module's account-level block
#   turns the same setting on, since S3 applies the stricter of the two.
#   Buckets without a public access block resource keep AWS's defaults and are
#   not flagged. Settings known only after apply make the check inconclusive.
# custom:
#   id: CL-AWS-057
#   severity: medium
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["11.6.1"]
#     iso27002:2022: ["8.3"]
#   remediation: >-
#     Set `block_public_acls`, `block_public_policy`, `ignore_public_acls` and
#     `restrict_public_buckets` to true in the public access block (and in an
#     `aws_s3_account_public_access_block` for the whole account). Serve
#     public content through CloudFront with an origin access control rather
#     than opening the bucket.
#   applies_to: [aws_s3_bucket_public_access_block, aws_s3_account_public_access_block]
package clause.rules.terraform.aws.s3_public_access_block_disabled

import data.clause.lib.terraform as tf
import rego.v1

settings := ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"]

account_blocks := [r.values | some _, r in tf.resources("aws_s3_account_public_access_block")]

# The account-level block turns this setting on for every bucket.
account_on(setting) if {
	some values in account_blocks
	tf.is_true(values[setting])
}

account_undecided(setting) if {
	some values in account_blocks
	tf.is_unknown(values[setting])
}

# Every block, with what a message calls it and whether the account-level
# block can cover it.
blocks contains {"address": address, "values": r.values, "what": bucket_text(r.values), "covered": true} if {
	some address, r in tf.resources("aws_s3_bucket_public_access_block")
}

blocks contains {"address": address, "values": r.values, "what": "every bucket of the account", "covered": false} if {
	some address, r in tf.resources("aws_s3_account_public_access_block")
}

bucket_text(values) := sprintf("bucket %q", [values.bucket]) if is_string(values.bucket)

# A bucket of this module named by reference: its name, or its address.
bucket_text(values) := sprintf("bucket %s", [concat(", ", names)]) if {
	tf.is_unknown(values.bucket)
	names := sort([bucket_name(a, b) |
		some a, b in tf.resources("aws_s3_bucket")
		tf.links(values.bucket, a, b)
	])
	count(names) > 0
}

bucket_text(values) := sprintf("bucket %s", [values.bucket.__unknown__]) if {
	tf.is_unknown(values.bucket)
	not linked_bucket(values)
}

bucket_text(values) := "its bucket" if {
	not is_string(values.bucket)
	not tf.is_unknown(values.bucket)
}

linked_bucket(values) if {
	some a, b in tf.resources("aws_s3_bucket")
	tf.links(values.bucket, a, b)
}

bucket_name(_, b) := sprintf("%q", [b.values.bucket]) if is_string(b.values.bucket)

bucket_name(a, b) := a if not is_string(b.values.bucket)

# effective_off(b, setting): the setting is off and nothing else turns it on.
effective_off(b, setting) if {
	tf.disabled(b.values, setting)
	not covered(b, setting)
}

covered(b, setting) if account_covers(b, setting)

account_covers(b, setting) if {
	b.covered
	account_on(setting)
}

covered(b, setting) if {
	b.covered
	account_undecided(setting)
}

deny contains {"msg": msg, "label": "public access not blocked", "path": tf.path(b.address, [setting])} if {
	some b in blocks
	some setting in settings
	effective_off(b, setting)
	tf.is_false(b.values[setting])
	msg := sprintf("%s lets a bucket policy or ACL make %s public (%s = false)", [b.address, b.what, setting])
}

deny contains {"msg": msg, "label": "public access not blocked", "path": tf.resource_path(b.address)} if {
	some b in blocks
	unset := [setting |
		some setting in settings
		effective_off(b, setting)
		tf.missing(b.values, setting)
	]
	count(unset) > 0
	msg := sprintf("%s lets a bucket policy or ACL make %s public: %s not set and default to false", [b.address, b.what, listing(unset)])
}

listing(unset) := sprintf("%s is", [unset[0]]) if count(unset) == 1

listing(unset) := sprintf("%s are", [concat(", ", unset)]) if count(unset) > 1

# Checks that depend on a value known only after apply.

undecided contains {"msg": msg, "path": tf.path(b.address, [setting])} if {
	some b in blocks
	some setting in settings
	tf.is_unknown(b.values[setting])
	not account_covers(b, setting)
	msg := sprintf("%s may let a bucket policy or ACL make %s public: %s = %s is known only after apply", [b.address, b.what, setting, b.values[setting].__unknown__])
}

undecided contains {"msg": msg, "path": off_path(b, setting)} if {
	some b in blocks
	b.covered
	some setting in settings
	tf.disabled(b.values, setting)
	not account_on(setting)
	account_undecided(setting)
	msg := sprintf("%s turns %s off for %s, which matters unless the account-level block turns it on, and that is known only after apply", [b.address, setting, b.what])
}

off_path(b, setting) := tf.path(b.address, [setting]) if tf.has_key(b.values, setting)

off_path(b, setting) := tf.resource_path(b.address) if not tf.has_key(b.values, setting)

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

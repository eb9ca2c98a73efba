# METADATA
# title: CloudTrail logs are not encrypted with a KMS key
# description: >-
#   Without `kms_key_id` CloudTrail log files are encrypted only with
#   S3-managed keys, so anyone who can read objects in the log bucket can read
#   the account's whole API history: who did what, from where, with which
#   resource names and parameters. With SSE-KMS, reading the logs also
#   requires decrypt permission on a key whose policy the security team
#   controls, every decryption is itself logged, and the key can be disabled
#   if the bucket is exposed. ISO/IEC 27002 10.10.3 asks that log information
#   be protected against unauthorised access, which a separately controlled
#   key provides beyond bucket permissions. A key known only after apply
#   counts as set when it is an attribute of a resource or data source (a key
#   ARN is never null); one that comes from a variable without a value may be
#   null, and the check is reported as inconclusive.
# custom:
#   id: CL-AWS-012
#   severity: medium
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["10.10.3"]
#     iso27002:2022: ["8.15"]
#   remediation: >-
#     Set `kms_key_id` on the `aws_cloudtrail` to the ARN of a customer managed
#     KMS key (for example `aws_kms_key.cloudtrail.arn`) whose key policy lets
#     cloudtrail.amazonaws.com encrypt and only the log readers decrypt.
#   applies_to: [aws_cloudtrail]
package clause.rules.terraform.aws.cloudtrail_not_kms_encrypted

import data.clause.lib.terraform as tf
import rego.v1

deny contains {"msg": sprintf("%s delivers its log files without KMS encryption (kms_key_id is not set)", [address]), "label": "no KMS key", "path": tf.resource_path(address)} if {
	some address, trail in tf.resources("aws_cloudtrail")
	not tf.has_key(trail.values, "kms_key_id")
}

deny contains {"msg": sprintf("%s delivers its log files without KMS encryption (kms_key_id = %s)", [address, shown]), "label": "no KMS key", "path": tf.path(address, ["kms_key_id"])} if {
	some address, trail in tf.resources("aws_cloudtrail")
	some shown, v in {"null": null, "\"\"": ""}
	tf.has_key(trail.values, "kms_key_id")
	trail.values.kms_key_id == v
}

# Checks that depend on a value known only after apply.

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

undecided contains {"msg": msg, "path": tf.path(address, ["kms_key_id"])} if {
	some address, trail in tf.resources("aws_cloudtrail")
	tf.is_unknown(trail.values.kms_key_id)
	not always_set(trail.values.kms_key_id)
	msg := sprintf("%s may deliver its log files without KMS encryption: kms_key_id = %s is known only after apply and may be null", [address, trail.values.kms_key_id.__unknown__])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

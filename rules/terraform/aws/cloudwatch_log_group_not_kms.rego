# METADATA
# title: CloudWatch log group is not encrypted with a KMS key
# description: >-
#   CloudWatch Logs encrypts log events with keys that AWS owns and manages:
#   anyone allowed to read the log group reads them decrypted, no key policy
#   separates who may decrypt from who may read, and access to the data
#   cannot be cut off by disabling a key during an incident. Logs routinely
#   capture request parameters, tokens, personal data and the traces of
#   security events, and the people who can read logs are many. Encrypting a
#   log group with a customer managed KMS key (`kms_key_id`) puts a key policy,
#   CloudTrail records of every decryption and the ability to revoke access in
#   front of that data. ISO/IEC 27002 12.3.2 asks for key management that
#   controls who can use keys and records their use, and 10.10.3 asks that log
#   information be protected against unauthorised access. `DELIVERY` class log
#   groups, which only hand logs on to S3 or Firehose, are not flagged. A key
#   known only after apply that may be null makes the check inconclusive.
# custom:
#   id: CL-AWS-053
#   severity: low
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["12.3.2", "10.10.3"]
#     iso27002:2022: ["8.24", "8.15"]
#   remediation: >-
#     Set `kms_key_id = aws_kms_key.<name>.arn` on the log group, with a key
#     policy that allows the `logs.<region>.amazonaws.com` service principal
#     to use the key (with an `aws:logs:arn` encryption context condition) and
#     `enable_key_rotation = true`.
#   applies_to: [aws_cloudwatch_log_group]
package clause.rules.terraform.aws.cloudwatch_log_group_not_kms

import data.clause.lib.terraform as tf
import rego.v1

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

delivery_class(values) if values.log_group_class == "DELIVERY"

name(address, values) := sprintf("%s (%s)", [address, values.name]) if is_string(values.name)

name(address, values) := address if not is_string(values.name)

groups := {address: g |
	some address, g in tf.resources("aws_cloudwatch_log_group")
	not delivery_class(g.values)
}

deny contains {"msg": msg, "label": "AWS-owned key", "path": tf.resource_path(address)} if {
	some address, g in groups
	not tf.has_key(g.values, "kms_key_id")
	msg := sprintf("%s is encrypted only with AWS-owned keys: kms_key_id is not set", [name(address, g.values)])
}

deny contains {"msg": msg, "label": "AWS-owned key", "path": tf.path(address, ["kms_key_id"])} if {
	some address, g in groups
	g.values.kms_key_id in {null, ""}
	msg := sprintf("%s is encrypted only with AWS-owned keys: kms_key_id is %v", [name(address, g.values), shown(g.values.kms_key_id)])
}

shown(null) := "null"

shown("") := "empty"

# Checks that depend on a value known only after apply.

undecided contains {"msg": msg, "path": tf.path(address, ["kms_key_id"])} if {
	some address, g in groups
	tf.is_unknown(g.values.kms_key_id)
	not always_set(g.values.kms_key_id)
	msg := sprintf("%s may be encrypted only with AWS-owned keys: kms_key_id = %s is known only after apply", [name(address, g.values), g.values.kms_key_id.__unknown__])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

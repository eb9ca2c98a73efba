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
#   key provides beyond bucket permissions.
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

# no_key(values): kms_key_id absent, null or empty.
no_key(values) if not tf.has_key(values, "kms_key_id")

no_key(values) if values.kms_key_id == null

no_key(values) if values.kms_key_id == ""

deny contains {"msg": sprintf("%s delivers its log files without KMS encryption (kms_key_id is not set)", [address]), "label": "no KMS key", "path": tf.resource_path(address)} if {
	some address, trail in tf.resources("aws_cloudtrail")
	no_key(trail.values)
}

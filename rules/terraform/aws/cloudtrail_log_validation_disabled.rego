# METADATA
# title: CloudTrail log file validation is not enabled
# description: >-
#   Without log file validation CloudTrail writes no signed digest files, so
#   nobody can prove that a delivered log file was not modified or deleted
#   afterwards, for example by an intruder covering their tracks or by an
#   administrator with write access to the log bucket. With validation on,
#   every hour's digest chains SHA-256 hashes of the log files and is signed by
#   AWS, and `aws cloudtrail validate-logs` detects tampering. ISO/IEC 27002
#   10.10.3 asks that logging facilities and log information be protected
#   against tampering and unauthorised access; integrity validation is how a
#   trail evidences it. A setting known only after apply is reported as an
#   inconclusive check.
# custom:
#   id: CL-AWS-011
#   severity: medium
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["10.10.3"]
#     iso27002:2022: ["8.15"]
#   remediation: >-
#     Set `enable_log_file_validation = true` on the `aws_cloudtrail`.
#   applies_to: [aws_cloudtrail]
package clause.rules.terraform.aws.cloudtrail_log_validation_disabled

import data.clause.lib.terraform as tf
import rego.v1

deny contains {"msg": sprintf("%s does not validate its log files (enable_log_file_validation = false)", [address]), "label": "no integrity validation", "path": tf.path(address, ["enable_log_file_validation"])} if {
	some address, trail in tf.resources("aws_cloudtrail")
	tf.is_false(trail.values.enable_log_file_validation)
}

deny contains {"msg": sprintf("%s does not validate its log files: enable_log_file_validation is null and defaults to false", [address]), "label": "no integrity validation", "path": tf.path(address, ["enable_log_file_validation"])} if {
	some address, trail in tf.resources("aws_cloudtrail")
	tf.has_key(trail.values, "enable_log_file_validation")
	trail.values.enable_log_file_validation == null
}

deny contains {"msg": sprintf("%s does not validate its log files: enable_log_file_validation is not set and defaults to false", [address]), "label": "no integrity validation", "path": tf.resource_path(address)} if {
	some address, trail in tf.resources("aws_cloudtrail")
	not tf.has_key(trail.values, "enable_log_file_validation")
}

# Checks that depend on a value known only after apply.
undecided contains {"msg": msg, "path": tf.path(address, ["enable_log_file_validation"])} if {
	some address, trail in tf.resources("aws_cloudtrail")
	tf.is_unknown(trail.values.enable_log_file_validation)
	msg := sprintf("%s may not validate its log files: enable_log_file_validation = %s is known only after apply", [address, trail.values.enable_log_file_validation.__unknown__])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

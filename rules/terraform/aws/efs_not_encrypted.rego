# METADATA
# title: EFS file system is not encrypted at rest
# description: >-
#   An EFS file system created through the API, and so through Terraform,
#   stores its files unencrypted unless `encrypted = true` (the console
#   encrypts by default, the API does not). Shared file systems tend to
#   collect exactly what should be protected: application uploads, exports,
#   home directories, keys and configuration mounted by many instances and
#   containers. Encryption cannot be switched on later: the data has to be
#   copied to a new file system. ISO/IEC 27002 12.3.1 asks that cryptographic
#   controls protect information according to a policy, and encryption at rest
#   of shared storage is a baseline of such a policy. A setting known only
#   after apply makes the check inconclusive.
# custom:
#   id: CL-AWS-049
#   severity: high
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["12.3.1"]
#     iso27002:2022: ["8.24"]
#   remediation: >-
#     Set `encrypted = true` on the `aws_efs_file_system` (with `kms_key_id` for
#     a customer managed key). For an existing file system, create an encrypted
#     one and copy the data across (AWS DataSync or a replication
#     configuration), then switch clients over.
#   applies_to: [aws_efs_file_system]
package clause.rules.terraform.aws.efs_not_encrypted

import data.clause.lib.terraform as tf
import rego.v1

deny contains {"msg": msg, "label": "not encrypted", "path": tf.path(address, ["encrypted"])} if {
	some address, fs in tf.resources("aws_efs_file_system")
	tf.is_false(fs.values.encrypted)
	msg := sprintf("%s stores files unencrypted (encrypted = false)", [address])
}

deny contains {"msg": msg, "label": "not encrypted", "path": tf.path(address, ["encrypted"])} if {
	some address, fs in tf.resources("aws_efs_file_system")
	tf.has_key(fs.values, "encrypted")
	fs.values.encrypted == null
	msg := sprintf("%s stores files unencrypted: encrypted is null and defaults to false", [address])
}

deny contains {"msg": msg, "label": "not encrypted", "path": tf.resource_path(address)} if {
	some address, fs in tf.resources("aws_efs_file_system")
	not tf.has_key(fs.values, "encrypted")
	msg := sprintf("%s stores files unencrypted: encrypted is not set and defaults to false", [address])
}

# Checks that depend on a value known only after apply.

undecided contains {"msg": msg, "path": tf.path(address, ["encrypted"])} if {
	some address, fs in tf.resources("aws_efs_file_system")
	tf.is_unknown(fs.values.encrypted)
	msg := sprintf("%s may store files unencrypted: encrypted = %s is known only after apply", [address, fs.values.encrypted.__unknown__])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

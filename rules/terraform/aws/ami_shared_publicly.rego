# METADATA
# title: AMI is shared with every AWS account
# description: >-
#   An `aws_ami_launch_permission` with `group = "all"` makes the image public:
#   any AWS account can list it, launch it and copy its snapshots. Private
#   AMIs routinely contain what was on the disk when they were built:
#   application code, configuration files, SSH host keys, cached credentials,
#   certificates and data, all readable by whoever launches a copy. ISO/IEC
#   27002 11.6.1 asks that access to information be restricted in line with
#   the access control policy; a public image grants it to everyone. Sharing
#   with specific accounts (`account_id`) or an organization or OU
#   (`organization_arn`, `organizational_unit_arn`) is not flagged. A group
#   known only after apply makes the check inconclusive.
# custom:
#   id: CL-AWS-056
#   severity: high
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["11.6.1"]
#     iso27002:2022: ["8.3"]
#   remediation: >-
#     Remove `group = "all"` and share the image with the accounts that need it
#     (`account_id`), or with the organization (`organization_arn`) or an OU
#     (`organizational_unit_arn`). Block public sharing for the account and
#     region with `aws_ec2_image_block_public_access { state =
#     "block-new-sharing" }`.
#   applies_to: [aws_ami_launch_permission]
package clause.rules.terraform.aws.ami_shared_publicly

import data.clause.lib.terraform as tf
import rego.v1

image(values) := sprintf("AMI %s", [values.image_id]) if is_string(values.image_id)

image(values) := sprintf("the AMI (image_id = %s)", [values.image_id.__unknown__]) if tf.is_unknown(values.image_id)

image(values) := "its AMI" if {
	not is_string(values.image_id)
	not tf.is_unknown(values.image_id)
}

deny contains {"msg": msg, "label": "public image", "path": tf.path(address, ["group"])} if {
	some address, p in tf.resources("aws_ami_launch_permission")
	p.values.group == "all"
	msg := sprintf("%s shares %s with every AWS account (group = \"all\")", [address, image(p.values)])
}

# Checks that depend on a value known only after apply.

undecided contains {"msg": msg, "path": tf.path(address, ["group"])} if {
	some address, p in tf.resources("aws_ami_launch_permission")
	tf.is_unknown(p.values.group)
	msg := sprintf("%s may share %s with every AWS account: group = %s is known only after apply", [address, image(p.values), p.values.group.__unknown__])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

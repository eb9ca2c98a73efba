# METADATA
# title: IAM user has a long-lived access key
# description: >-
#   An `aws_iam_access_key` gives an IAM user a static access key that works
#   until someone deletes it: it is not tied to a person's sign-in, does not
#   ask for MFA, is copied into CI systems, laptops and configuration files,
#   and is routinely shared between the people and scripts that use it, so
#   API calls made with it no longer identify who made them. Keys created by
#   Terraform are also written to the state, in clear text unless `pgp_key` is
#   set. ISO/IEC 27002 11.5.2 asks that every user have a unique identifier for
#   their personal use and that an authentication technique substantiate who
#   they are; for people that means federated sign-in (IAM Identity Center)
#   and for workloads IAM roles, whose temporary credentials identify the
#   session that used them. Inactive keys (`status = "Inactive"`) are not
#   flagged. A status known only after apply makes the check inconclusive.
# custom:
#   id: CL-AWS-039
#   severity: medium
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["11.5.2"]
#     iso27002:2022: ["5.16"]
#   remediation: >-
#     Remove the `aws_iam_access_key`: give people federated access through IAM
#     Identity Center, give workloads an IAM role (an instance profile, an ECS
#     task role, IRSA or EKS Pod Identity, or OIDC federation for CI systems
#     such as GitHub Actions), and use IAM Roles Anywhere for servers outside
#     AWS. Where a key cannot be avoided yet, set `pgp_key` so the secret is not
#     stored in clear text in the state, rotate it regularly, and record who
#     owns it.
#   applies_to: [aws_iam_access_key]
package clause.rules.terraform.aws.iam_user_access_key

import data.clause.lib.terraform as tf
import rego.v1

# user(values): how a message names the key's user.
user(values) := sprintf("IAM user %q", [values.user]) if is_string(values.user)

user(values) := sprintf("IAM user %s", [values.user.__unknown__]) if tf.is_unknown(values.user)

user(values) := "an IAM user" if {
	not is_string(values.user)
	not tf.is_unknown(values.user)
}

# in_state(values): what happens to the secret.
in_state(values) := ", and its secret is stored in clear text in the Terraform state (no pgp_key)" if tf.missing(values, "pgp_key")

in_state(values) := "" if not tf.missing(values, "pgp_key")

active(values) if tf.missing(values, "status")

active(values) if values.status == "Active"

deny contains {"msg": msg, "label": "long-lived key", "path": tf.path(address, ["status"])} if {
	some address, key in tf.resources("aws_iam_access_key")
	key.values.status == "Active"
	msg := sprintf("%s gives %s a long-lived access key (status = \"Active\")%s", [address, user(key.values), in_state(key.values)])
}

deny contains {"msg": msg, "label": "long-lived key", "path": tf.resource_path(address)} if {
	some address, key in tf.resources("aws_iam_access_key")
	tf.missing(key.values, "status")
	msg := sprintf("%s gives %s a long-lived access key, active by default%s", [address, user(key.values), in_state(key.values)])
}

# Checks that depend on a value known only after apply.

undecided contains {"msg": msg, "path": tf.path(address, ["status"])} if {
	some address, key in tf.resources("aws_iam_access_key")
	tf.is_unknown(key.values.status)
	msg := sprintf("%s may give %s an active long-lived access key: status = %s is known only after apply", [address, user(key.values), key.values.status.__unknown__])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

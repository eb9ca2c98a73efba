# METADATA
# title: IAM user's initial console password need not be changed at first sign-in
# description: >-
#   `aws_iam_user_login_profile` makes Terraform generate an IAM user's first
#   console password. That password is known to whoever applied the change,
#   travels through the apply output or the encrypted `encrypted_password`
#   attribute, and stays in the Terraform state. Unless
#   `password_reset_required = true` (the default is false), the user may keep
#   it indefinitely, so someone other than the user keeps knowing a valid
#   password for the account. ISO/IEC 27002 11.5.3 asks that a password
#   management system force users to change temporary passwords at their first
#   log-on, and 11.2.3 asks that temporary passwords issued to users be changed
#   immediately; this setting is how AWS enforces both for IAM users. A setting
#   known only after apply makes the check inconclusive.
# custom:
#   id: CL-AWS-040
#   severity: medium
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["11.5.3", "11.2.3"]
#     iso27002:2022: ["5.17"]
#   remediation: >-
#     Set `password_reset_required = true` on the `aws_iam_user_login_profile`
#     (and `pgp_key` so the generated password is stored only encrypted). The
#     setting applies when the profile is created: for existing users, require
#     a reset from the console or with `aws iam update-login-profile
#     --password-reset-required`. Better still, give people console access
#     through IAM Identity Center instead of IAM user passwords.
#   applies_to: [aws_iam_user_login_profile]
package clause.rules.terraform.aws.iam_user_password_reset_not_required

import data.clause.lib.terraform as tf
import rego.v1

# user(values): how a message names the profile's user.
user(values) := sprintf("IAM user %q", [values.user]) if is_string(values.user)

user(values) := sprintf("IAM user %s", [values.user.__unknown__]) if tf.is_unknown(values.user)

user(values) := "the IAM user" if {
	not is_string(values.user)
	not tf.is_unknown(values.user)
}

deny contains {"msg": msg, "label": "no reset at first sign-in", "path": tf.path(address, ["password_reset_required"])} if {
	some address, profile in tf.resources("aws_iam_user_login_profile")
	tf.is_false(profile.values.password_reset_required)
	msg := sprintf("%s lets %s keep the console password Terraform generated (password_reset_required = false)", [address, user(profile.values)])
}

deny contains {"msg": msg, "label": "no reset at first sign-in", "path": tf.path(address, ["password_reset_required"])} if {
	some address, profile in tf.resources("aws_iam_user_login_profile")
	tf.has_key(profile.values, "password_reset_required")
	profile.values.password_reset_required == null
	msg := sprintf("%s lets %s keep the console password Terraform generated: password_reset_required is null and defaults to false", [address, user(profile.values)])
}

deny contains {"msg": msg, "label": "no reset at first sign-in", "path": tf.resource_path(address)} if {
	some address, profile in tf.resources("aws_iam_user_login_profile")
	not tf.has_key(profile.values, "password_reset_required")
	msg := sprintf("%s lets %s keep the console password Terraform generated: password_reset_required is not set and defaults to false", [address, user(profile.values)])
}

# Checks that depend on a value known only after apply.

undecided contains {"msg": msg, "path": tf.path(address, ["password_reset_required"])} if {
	some address, profile in tf.resources("aws_iam_user_login_profile")
	tf.is_unknown(profile.values.password_reset_required)
	msg := sprintf("%s may let %s keep the console password Terraform generated: password_reset_required = %s is known only after apply", [address, user(profile.values), profile.values.password_reset_required.__unknown__])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

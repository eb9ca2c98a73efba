# METADATA
# title: AdministratorAccess is attached to an IAM user or group
# description: >-
#   The AWS managed AdministratorAccess policy allows every action on every
#   resource. Attached to an IAM user, or to a group whose members are IAM
#   users, it gives full control of the account to identities that sign in
#   with long-lived passwords and access keys: one leaked key or phished
#   password is a full account compromise, and the privilege is held all the
#   time rather than taken for a task. ISO/IEC 27002 11.2.2 asks that
#   privileged access be restricted and allocated only for the duration and
#   purpose needed; administrator rights belong on a role that administrators
#   assume, with MFA, when they need it. Attachments by `aws_iam_user_policy_attachment`,
#   `aws_iam_group_policy_attachment`, `aws_iam_policy_attachment` (its
#   `users` and `groups`) and the `*_policy_attachments_exclusive` resources
#   are examined, with the policy written as an ARN in any partition or read
#   through an `aws_iam_policy` data source. When the policy or the users and
#   groups are known only after apply, the check is reported as inconclusive;
#   attachments to roles are not flagged.
# custom:
#   id: CL-AWS-026
#   severity: high
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["11.2.2"]
#     iso27002:2022: ["8.2"]
#   remediation: >-
#     Remove the attachment. Give administrators an IAM role (or an IAM Identity
#     Center permission set) with AdministratorAccess whose trust policy
#     requires MFA (`aws:MultiFactorAuthPresent`), and let users and groups only
#     `sts:AssumeRole` into it; give everyday identities least-privilege
#     policies.
#   applies_to: [aws_iam_user_policy_attachment, aws_iam_group_policy_attachment, aws_iam_policy_attachment, aws_iam_user_policy_attachments_exclusive, aws_iam_group_policy_attachments_exclusive]
package clause.rules.terraform.aws.iam_admin_policy_attached

import data.clause.lib.terraform as tf
import rego.v1

admin_arn(v) if {
	is_string(v)
	regex.match(`^arn:aws[a-z-]*:iam::aws:policy/AdministratorAccess$`, v)
}

# The data sources that read the AdministratorAccess policy.
admin_data_source(address) if {
	d := tf.data_sources("aws_iam_policy")[address]
	d.values.name == "AdministratorAccess"
}

admin_data_source(address) if {
	d := tf.data_sources("aws_iam_policy")[address]
	admin_arn(d.values.arn)
}

# is_admin(v): the AdministratorAccess ARN, written or read by a data source.
is_admin(v) if admin_arn(v)

is_admin(v) if {
	tf.is_unknown(v)
	some ref in tf.list(v.__refs__)
	admin_data_source(ref)
}

# may_be_admin(v): an ARN known only after apply that may be
# AdministratorAccess: from a variable, a local, a module, or a policy data
# source whose name is not known. ARNs of policies this configuration creates
# are not.
may_be_admin(v) if {
	tf.is_unknown(v)
	not is_admin(v)
	some ref in tf.list(v.__refs__)
	open_ref(ref)
}

open_ref(ref) if {
	is_string(ref)
	regex.match(`(^|\.)(var|local)\.[^.]+$|(^|\.)module\.[^.]+$`, ref)
}

# A policy data source whose name and ARN are not both known.
open_ref(ref) if {
	d := tf.data_sources("aws_iam_policy")[ref]
	not admin_data_source(ref)
	not decided_lookup(d.values)
}

decided_lookup(values) if is_string(values.name)

decided_lookup(values) if is_string(values.arn)

# Who an attachment gives the policy to, for each form of attachment:
# {"address", "path" of the policy ARN, "arn", "who", "whom_path"}.
grants contains {"address": address, "path": ["policy_arn"], "arn": r.values.policy_arn, "who": sprintf("user %s", [shown(r.values.user)]), "whom": r.values.user} if {
	some address, r in tf.resources("aws_iam_user_policy_attachment")
}

grants contains {"address": address, "path": ["policy_arn"], "arn": r.values.policy_arn, "who": sprintf("every member of group %s", [shown(r.values.group)]), "whom": r.values.group} if {
	some address, r in tf.resources("aws_iam_group_policy_attachment")
}

grants contains {"address": address, "path": ["policy_arns", i], "arn": arn, "who": sprintf("user %s", [shown(r.values.user_name)]), "whom": r.values.user_name} if {
	some address, r in tf.resources("aws_iam_user_policy_attachments_exclusive")
	some i, arn in tf.list(r.values.policy_arns)
}

grants contains {"address": address, "path": ["policy_arns", i], "arn": arn, "who": sprintf("every member of group %s", [shown(r.values.group_name)]), "whom": r.values.group_name} if {
	some address, r in tf.resources("aws_iam_group_policy_attachments_exclusive")
	some i, arn in tf.list(r.values.policy_arns)
}

grants contains {"address": address, "path": ["policy_arn"], "arn": r.values.policy_arn, "who": who, "whom": key} if {
	some address, r in tf.resources("aws_iam_policy_attachment")
	some key in ["users", "groups"]
	names := [shown(n) | some n in tf.list(r.values[key])]
	count(names) > 0
	who := sprintf("%s %s", [kind(key), concat(", ", names)])
}

kind("users") := "users"

kind("groups") := "every member of groups"

shown(v) := sprintf("%q", [v]) if is_string(v)

shown(v) := sprintf("%v", [v.__unknown__]) if tf.is_unknown(v)

shown(v) := sprintf("%v", [v]) if {
	not is_string(v)
	not tf.is_unknown(v)
}

via(v) := "" if is_string(v)

via(v) := sprintf(" (read by %s)", [concat(", ", sort([ref | some ref in tf.list(v.__refs__); admin_data_source(ref)]))]) if tf.is_unknown(v)

deny contains {"msg": msg, "label": "full administrator", "path": tf.path(g.address, g.path)} if {
	some g in grants
	is_admin(g.arn)
	msg := sprintf("%s gives %s the AdministratorAccess policy%s: full control of the account, held at all times by IAM user credentials (passwords and access keys)", [g.address, g.who, via(g.arn)])
}

# Checks that depend on a value known only after apply.

undecided contains {"msg": msg, "path": tf.path(g.address, g.path)} if {
	some g in grants
	may_be_admin(g.arn)
	msg := sprintf("%s may give %s the AdministratorAccess policy: the policy (%v) is known only after apply", [g.address, g.who, g.arn.__unknown__])
}

undecided contains {"msg": msg, "path": tf.path(address, [key])} if {
	some address, r in tf.resources("aws_iam_policy_attachment")
	is_admin(r.values.policy_arn)
	some key in ["users", "groups"]
	unknown_names(r.values[key])
	msg := sprintf("%s gives the AdministratorAccess policy to %s known only after apply", [address, key])
}

unknown_names(v) if tf.is_unknown(v)

unknown_names(v) if {
	some n in tf.list(v)
	tf.is_unknown(n)
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

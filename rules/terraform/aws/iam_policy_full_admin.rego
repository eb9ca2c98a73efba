# METADATA
# title: IAM policy allows every action on every resource
# description: >-
#   A policy statement that allows `"Action": "*"` (or `"*:*"`) on
#   `"Resource": "*"` makes whoever holds it a full administrator of the AWS
#   account: they can read every secret and data store, delete backups and
#   trails, and create new users and keys for themselves. Written as a custom
#   policy it is also easy to miss in a review that looks for the managed
#   AdministratorAccess policy. ISO/IEC 27002 11.2.2 asks that privileges be
#   allocated on a need-to-use basis and only after authorisation; a policy
#   that grants everything grants far more than any workload needs. Every form
#   a policy takes is examined: JSON from `jsonencode` or a heredoc in
#   `aws_iam_policy`, `aws_iam_role_policy`, `aws_iam_user_policy`,
#   `aws_iam_group_policy` and a role's `inline_policy`, and the `statement`
#   blocks and merged source or override documents of
#   `aws_iam_policy_document` data sources. Statements that name a
#   principal (resource and trust policies) and Deny statements are not
#   flagged, nor are documents used only as service control policies or
#   permissions boundaries, which limit rather than grant. When a policy is
#   known only after apply and its expression shows a wildcard action, or a
#   statement's effect, actions or resources are unknown, the check is
#   reported as inconclusive.
# custom:
#   id: CL-AWS-025
#   severity: high
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["11.2.2"]
#     iso27002:2022: ["8.2"]
#   remediation: >-
#     Replace `"*"` actions with the specific actions the identity needs (e.g.
#     `["s3:GetObject", "s3:PutObject"]`) and `"*"` resources with the ARNs it
#     works on (e.g. `aws_s3_bucket.data.arn`); use IAM Access Analyzer's
#     policy generation to derive them from CloudTrail. Where full
#     administration is really needed, attach the managed AdministratorAccess
#     policy to a role assumed with MFA instead of writing a custom policy.
#   applies_to: [aws_iam_policy, aws_iam_role_policy, aws_iam_user_policy, aws_iam_group_policy, aws_iam_role, data.aws_iam_policy_document]
package clause.rules.terraform.aws.iam_policy_full_admin

import data.clause.lib.terraform as tf
import rego.v1

policy_types := ["aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy"]

wildcard_actions := {"*", "*:*"}

# Policy documents written as JSON text, with where they are written.
documents contains {"address": address, "at": ["policy"], "value": r.values.policy} if {
	some type in policy_types
	some address, r in tf.resources(type)
	tf.has_key(r.values, "policy")
}

documents contains {"address": address, "at": ["inline_policy", i, "policy"], "value": p.policy} if {
	some address, r in tf.resources("aws_iam_role")
	some i, p in tf.blocks(r.values, "inline_policy")
	is_object(p)
	tf.has_key(p, "policy")
}

# JSON documents merged into an aws_iam_policy_document.
documents contains {"address": address, "at": [key, k], "value": v} if {
	some address, d in tf.data_sources("aws_iam_policy_document")
	some key in ["source_policy_documents", "override_policy_documents"]
	some k, v in tf.list(d.values[key])
}

as_list(v) := v if is_array(v)

as_list(v) := [v] if is_string(v)

as_list(v) := [v] if is_object(v)

as_list(v) := [] if {
	not is_array(v)
	not is_string(v)
	not is_object(v)
}

json_statements(text) := [s |
	is_string(text)
	json.is_valid(text)
	doc := json.unmarshal(text)
	is_object(doc)
	some s in as_list(object.get(doc, "Statement", []))
	is_object(s)
]

# names_principal(s): a resource or trust policy statement.
names_principal(s) if tf.has_key(s, "Principal")

names_principal(s) if tf.has_key(s, "NotPrincipal")

json_full_admin(s) if {
	s.Effect == "Allow"
	not names_principal(s)
	some a in as_list(object.get(s, "Action", []))
	a in wildcard_actions
	some r in as_list(object.get(s, "Resource", []))
	r == "*"
}

# Policies that only limit: attached to no identity, used as a permissions
# boundary, or a service control policy.
boundary_policy(address, r) if {
	some type in ["aws_iam_role", "aws_iam_user"]
	some _, identity in tf.resources(type)
	tf.links(identity.values.permissions_boundary, address, r)
}

attached(address, r) if {
	some type in ["aws_iam_role_policy_attachment", "aws_iam_user_policy_attachment", "aws_iam_group_policy_attachment", "aws_iam_policy_attachment"]
	some _, attachment in tf.resources(type)
	tf.links(attachment.values.policy_arn, address, r)
}

attached(address, r) if {
	some _, role in tf.resources("aws_iam_role")
	some arn in tf.list(role.values.managed_policy_arns)
	tf.links(arn, address, r)
}

limits_only(address) if {
	r := input.resources[address]
	r.type == "aws_iam_policy"
	boundary_policy(address, r)
	not attached(address, r)
}

skipped(address) if limits_only(address)

skipped(address) if doc_limits_only(address)

statement_name(s, i) := sprintf("statement %q", [s.Sid]) if {
	is_string(s.Sid)
	s.Sid != ""
}

statement_name(s, i) := sprintf("statement %d", [i + 1]) if not statement_has_sid(s)

statement_has_sid(s) if {
	is_string(s.Sid)
	s.Sid != ""
}

# Whether a policy only limits reads every identity, attachment or
# resource of the module, so it is asked last, of the few statements that
# would fail.
deny contains {"msg": msg, "label": "full administrator", "path": tf.path(d.address, d.at)} if {
	some d in documents
	statements := json_statements(d.value)
	some i, s in statements
	json_full_admin(s)
	not skipped(d.address)
	msg := sprintf("%s allows every action on every resource (%s: Action %s, Resource \"*\"): whoever holds it is a full administrator of the account", [d.address, statement_name(s, i), shown_actions(as_list(s.Action))])
}

shown_actions(actions) := concat(", ", [sprintf("%q", [a]) | some a in actions; a in wildcard_actions])

# Statements of aws_iam_policy_document data sources.
# Statements of data sources used only to limit (`doc_limits_only`) are
# left out where they are used.
doc_statements contains {"address": address, "i": i, "s": s} if {
	some address, d in tf.data_sources("aws_iam_policy_document")
	some i, s in tf.blocks(d.values, "statement")
	is_object(s)
	count(tf.blocks(s, "principals")) == 0
	count(tf.blocks(s, "not_principals")) == 0
}

allows(s) if tf.missing(s, "effect")

allows(s) if s.effect == "Allow"

doc_wildcard_action(s) := found[0] if {
	found := [j | some j, a in tf.list(s.actions); a in wildcard_actions]
	count(found) > 0
}

doc_all_resources(s) if "*" in tf.list(s.resources)

doc_name(s, i) := sprintf("statement %q", [s.sid]) if {
	is_string(s.sid)
	s.sid != ""
}

doc_name(s, i) := sprintf("statement %d", [i + 1]) if not doc_has_sid(s)

doc_has_sid(s) if {
	is_string(s.sid)
	s.sid != ""
}

deny contains {"msg": msg, "label": "full administrator", "path": tf.path(d.address, ["statement", d.i, "actions", j])} if {
	some d in doc_statements
	allows(d.s)
	j := doc_wildcard_action(d.s)
	doc_all_resources(d.s)
	not doc_limits_only(d.address)
	msg := sprintf("%s allows every action on every resource (%s: actions %q, resources \"*\"): any identity given this policy is a full administrator of the account", [d.address, doc_name(d.s, d.i), d.s.actions[j]])
}

# A data source whose document is used only by service control policies or
# permissions boundaries.
consumers(address) := {a |
	some a, r in input.resources
	r.mode == "managed"
	some key in ["policy", "content"]
	tf.refers_to(r.values[key], address)
}

doc_limits_only(address) if {
	users := consumers(address)
	count(users) > 0
	every a in users {
		limiting_consumer(a)
	}
}

limiting_consumer(a) if input.resources[a].type == "aws_organizations_policy"

limiting_consumer(a) if limits_only(a)

# Checks that depend on a value known only after apply.

# A policy known only after apply whose expression allows a wildcard action
# (`Action = "*"`, `"Action": ["*"]`).
wildcard_pattern := `(?i)\baction"?\s*[=:]\s*(\[[^\]]*"\*(:\*)?"[^\]]*\]|"\*(:\*)?")`

wildcard_in_text(text) if {
	regex.match(wildcard_pattern, text)
	contains(lower(text), "allow")
}

undecided contains {"msg": msg, "path": tf.path(d.address, d.at)} if {
	some d in documents
	tf.is_unknown(d.value)
	is_string(d.value.__unknown__)
	wildcard_in_text(d.value.__unknown__)
	not skipped(d.address)
	written := regex.replace(regex.find_n(wildcard_pattern, d.value.__unknown__, 1)[0], `\s+`, " ")
	msg := sprintf("%s may allow every action on every resource: it allows a wildcard action (%s), and the rest of the policy is known only after apply", [d.address, written])
}

undecided contains {"msg": msg, "path": tf.path(d.address, ["statement", d.i, "effect"])} if {
	some d in doc_statements
	tf.is_unknown(d.s.effect)
	doc_wildcard_action(d.s)
	doc_all_resources(d.s)
	not doc_limits_only(d.address)
	msg := sprintf("%s may allow every action on every resource (%s): effect = %v is known only after apply", [d.address, doc_name(d.s, d.i), d.s.effect.__unknown__])
}

undecided contains {"msg": msg, "path": tf.path(d.address, ["statement", d.i, "actions"])} if {
	some d in doc_statements
	allows(d.s)
	not doc_wildcard_action(d.s)
	may_be_wildcard(d.s.actions)
	may_be_everything(d.s.resources)
	not doc_limits_only(d.address)
	msg := sprintf("%s may allow every action on every resource (%s): its actions are known only after apply", [d.address, doc_name(d.s, d.i)])
}

undecided contains {"msg": msg, "path": tf.path(d.address, ["statement", d.i, "resources"])} if {
	some d in doc_statements
	allows(d.s)
	doc_wildcard_action(d.s)
	not doc_all_resources(d.s)
	may_be_wildcard(d.s.resources)
	not doc_limits_only(d.address)
	msg := sprintf("%s may allow every action on every resource (%s): it allows every action, and its resources are known only after apply", [d.address, doc_name(d.s, d.i)])
}

may_be_wildcard(v) if tf.is_unknown(v)

may_be_wildcard(v) if {
	some x in tf.list(v)
	tf.is_unknown(x)
}

may_be_everything(v) if "*" in tf.list(v)

may_be_everything(v) if may_be_wildcard(v)

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

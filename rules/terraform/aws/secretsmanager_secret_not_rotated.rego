# METADATA
# title: Secrets Manager secret is never rotated
# description: >-
#   A secret without a rotation schedule keeps the same password, key or token
#   for as long as it exists: every person who ever read it, every log or
#   backup it leaked into and every former employee or contractor keeps a
#   working credential, and a compromise goes unnoticed because the secret
#   never changes. Secrets Manager can rotate secrets on a schedule with a
#   rotation function (or managed rotation for supported services), updating
#   the credential and the secret together. ISO/IEC 27002 11.5.3 asks for a
#   password management system that enforces regular password changes; for
#   credentials held in Secrets Manager that is an
#   `aws_secretsmanager_secret_rotation` attached to the secret. Rotations are
#   matched to secrets by reference (`secret_id = aws_secretsmanager_secret.db.id`),
#   by the secret's name, or by an ARN that contains it; the legacy inline
#   `rotation_lambda_arn` of provider versions before 5 also counts, and so does
#   a rotation that names the secret through a data source looked up by the
#   secret's name. When a
#   rotation in the module names its secret in a way clause cannot resolve (a
#   variable, a data source), secrets without a rotation of their own are
#   reported as inconclusive rather than as findings.
# custom:
#   id: CL-AWS-041
#   severity: medium
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["11.5.3"]
#     iso27002:2022: ["5.17"]
#   remediation: >-
#     Add an `aws_secretsmanager_secret_rotation` with `secret_id =
#     aws_secretsmanager_secret.<name>.id`, a `rotation_lambda_arn` (AWS
#     publishes rotation functions for RDS, Redshift, DocumentDB and other
#     services) and `rotation_rules { automatically_after_days = 30 }` (or a
#     `schedule_expression`). For RDS master passwords, prefer
#     `manage_master_user_password = true`, which AWS rotates itself.
#   applies_to: [aws_secretsmanager_secret, aws_secretsmanager_secret_rotation]
package clause.rules.terraform.aws.secretsmanager_secret_not_rotated

import data.clause.lib.terraform as tf
import rego.v1

rotation_type := "aws_secretsmanager_secret_rotation"

# names(secret): the literal name of a secret, when known.
secret_name(secret) := secret.values.name if is_string(secret.values.name)

# names_secret(v, address, secret): a rotation's secret_id names this secret,
# by reference, by name or id, or by an ARN that contains its name.
names_secret(v, address, secret) if tf.links(v, address, secret)

names_secret(v, _, secret) if {
	is_string(v)
	name := secret_name(secret)
	contains(v, sprintf(":secret:%s-", [name]))
}

names_secret(v, _, secret) if {
	is_string(v)
	name := secret_name(secret)
	endswith(v, sprintf(":secret:%s", [name]))
}

# A rotation that names a secret through a data source (`secret_id =
# data.aws_secretsmanager_secret.x.id`) names the secret the data source
# looks up by its literal name or ARN.
names_secret(v, address, secret) if {
	some ds in lookups(v)
	some key in ["name", "arn"]
	names_secret(ds.values[key], address, secret)
}

lookups(v) := [ds |
	tf.is_unknown(v)
	some ref in tf.list(v.__refs__)
	is_string(ref)
	ds := input.resources[ref]
	ds.mode == "data"
	ds.type == "aws_secretsmanager_secret"
]

# external(rotation): the rotation names, through data sources with literal
# names or ARNs, secrets that are not managed by this module.
external(rotation) if {
	v := rotation.values.secret_id
	refs := tf.list(v.__refs__)
	count(refs) > 0
	count(lookups(v)) == count(refs)
	every ds in lookups(v) {
		some key in ["name", "arn"]
		is_string(ds.values[key])
	}
}

rotations(address, secret) := {a |
	some a, rotation in tf.resources(rotation_type)
	names_secret(rotation.values.secret_id, address, secret)
}

# Legacy inline rotation (provider versions before 5).
inline_rotation(secret) if {
	v := tf.setting(secret.values, "rotation_lambda_arn")
	tf.known(v)
	v != ""
}

inline_rotation(secret) if always_set(secret.values.rotation_lambda_arn)

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

inline_undecided(secret) if {
	tf.is_unknown(secret.values.rotation_lambda_arn)
	not always_set(secret.values.rotation_lambda_arn)
}

rotated(address, secret) if count(rotations(address, secret)) > 0

rotated(_, secret) if inline_rotation(secret)

# Rotations that name no secret of this module for certain: they may rotate
# any secret that has none of its own.
unresolved_rotations := sort([a |
	some a, rotation in tf.resources(rotation_type)
	not names_a_secret(rotation)
	not external(rotation)
])

names_a_secret(rotation) if {
	some address, secret in tf.resources("aws_secretsmanager_secret")
	names_secret(rotation.values.secret_id, address, secret)
}

# what(address, secret): the secret, with its name when known.
what(address, secret) := sprintf("%s (%s)", [address, secret_name(secret)])

what(address, secret) := address if not secret_name(secret)

candidate(address, secret) if {
	not rotated(address, secret)
	not inline_undecided(secret)
}

deny contains {"msg": msg, "label": "never rotated", "path": tf.resource_path(address)} if {
	some address, secret in tf.resources("aws_secretsmanager_secret")
	candidate(address, secret)
	count(unresolved_rotations) == 0
	msg := sprintf("%s is never rotated: no aws_secretsmanager_secret_rotation is attached to it", [what(address, secret)])
}

# Checks that depend on a value known only after apply.

undecided contains {"msg": msg, "path": tf.resource_path(address)} if {
	some address, secret in tf.resources("aws_secretsmanager_secret")
	candidate(address, secret)
	count(unresolved_rotations) > 0
	msg := sprintf("%s has no rotation of its own and may be the secret rotated by %s, whose secret_id clause cannot match to a secret of this module", [what(address, secret), concat(", ", unresolved_rotations)])
}

undecided contains {"msg": msg, "path": tf.path(address, ["rotation_lambda_arn"])} if {
	some address, secret in tf.resources("aws_secretsmanager_secret")
	not rotated(address, secret)
	inline_undecided(secret)
	msg := sprintf("%s may never be rotated: rotation_lambda_arn = %s is known only after apply", [what(address, secret), secret.values.rotation_lambda_arn.__unknown__])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

# METADATA
# title: AWS provider credentials are written in the configuration
# description: >-
#   A `provider "aws"` block with a literal `secret_key` (or session `token`)
#   puts working AWS credentials into the repository: everyone with read
#   access to it, its history, forks, CI logs and any leaked copy can act as
#   that identity, which for a deployment identity usually means
#   administrator-level control of the account. Bots scan public repositories
#   for AWS keys within minutes of a push. The key cannot be rotated without a
#   commit, and removing it later does not remove it from history. ISO/IEC
#   27002 11.3.1 asks that secret authentication information be kept
#   confidential and not recorded where others can read it. A secret written
#   directly, as a variable's default, in a local or in a committed .tfvars
#   file is flagged; credentials from the environment, a shared credentials
#   file, a profile, an assumed role or a variable without a value are not.
#   When an expression known only after apply falls back to a literal, the
#   check is reported as inconclusive.
# custom:
#   id: CL-AWS-029
#   severity: critical
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["11.3.1"]
#     iso27002:2022: ["5.17"]
#   remediation: >-
#     Delete `access_key`, `secret_key` and `token` from the provider block,
#     deactivate and delete the exposed access key in IAM now (it is in the
#     repository's history), and let the provider find credentials itself:
#     environment variables or OIDC federation in CI, `profile` or SSO locally,
#     `assume_role { role_arn = ... }` for cross-account access.
#   applies_to: ["*"]
package clause.rules.terraform.aws.provider_credentials_hardcoded

import data.clause.lib.terraform as tf
import rego.v1

secret_keys := {"secret_key": "secret access key", "token": "session token"}

blocks contains {"i": i, "block": block} if {
	some i, block in tf.list(object.get(object.get(input, "providers", {}), "aws", []))
	is_object(block)
}

name(block) := sprintf("provider \"aws\" (alias %q)", [block.alias]) if is_string(block.alias)

name(block) := "provider \"aws\"" if not is_string(block.alias)

literal(v) if {
	is_string(v)
	trim_space(v) != ""
}

access_key_id(block) := sprintf(" for access key %s", [block.access_key]) if {
	is_string(block.access_key)
	regex.match(`^(AKIA|ASIA)[A-Z0-9]{16}$`, block.access_key)
}

access_key_id(block) := "" if not valid_key_id(block)

valid_key_id(block) if {
	is_string(block.access_key)
	regex.match(`^(AKIA|ASIA)[A-Z0-9]{16}$`, block.access_key)
}

deny contains {"msg": msg, "label": "credential in code", "path": ["providers", "aws", b.i, key]} if {
	some b in blocks
	some key, what in secret_keys
	literal(b.block[key])
	msg := sprintf("%s has its %s%s written in the configuration (%s): anyone who can read the code can act as that identity", [name(b.block), what, access_key_id(b.block), key])
}

# Checks that depend on a value known only after apply.

# An expression known only after apply that falls back to a literal string:
# a conditional's branch, or the last argument of coalesce, try or lookup.
fallback_pattern := `(\?\s*"[^"$\n]+"|:\s*"[^"$\n]+"\s*\)*\s*$|\b(coalesce|try|lookup)\s*\(.*,\s*"[^"$\n]+"\s*\))`

undecided contains {"msg": msg, "path": ["providers", "aws", b.i, key]} if {
	some b in blocks
	some key, what in secret_keys
	v := b.block[key]
	tf.is_unknown(v)
	is_string(v.__unknown__)
	regex.match(fallback_pattern, v.__unknown__)
	msg := sprintf("%s may use a %s written in the configuration: %s falls back to a literal when a value known only after apply is missing", [name(b.block), what, key])
}

# A provider block the rule fails anyway has nothing left to decide.
failed := {[d.path[1], d.path[2]] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not [c.path[1], c.path[2]] in failed
}

# METADATA
# title: IAM password policy lets passwords live forever or be reused
# description: >-
#   The account password policy governs every IAM user's console password.
#   Without `max_password_age` (or with 0) passwords never expire, so a
#   password exposed in a breach elsewhere or shared years ago keeps working;
#   without `password_reuse_prevention` a forced change can simply set the
#   same password again. The common baselines (CIS AWS Foundations, AWS
#   Security Hub IAM.7) ask for expiry within 90 days and remembering the last
#   24 passwords. ISO/IEC 27002 11.2.3 asks that the allocation and
#   management of users' passwords be controlled through a formal process,
#   including how and when they are changed; these two settings are that
#   process enforced by AWS. Each setting is reported on its own. Where your
#   policy follows NIST SP 800-63B (no periodic expiry, but screening against
#   breached passwords and MFA for everyone), suppress the expiry finding with
#   that rationale. A value known only after apply is reported as an
#   inconclusive check.
# custom:
#   id: CL-AWS-027
#   severity: medium
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["11.2.3"]
#     iso27002:2022: ["5.17"]
#   remediation: >-
#     On the `aws_iam_account_password_policy` set `max_password_age = 90` (or
#     less) and `password_reuse_prevention = 24`, along with
#     `minimum_password_length = 14` and `require_*` character classes as your
#     password standard asks.
#   applies_to: [aws_iam_account_password_policy]
package clause.rules.terraform.aws.iam_password_policy_weak

import data.clause.lib.terraform as tf
import rego.v1

max_age := 90

min_reuse := 24

number(v) := v if is_number(v)

number(v) := to_number(v) if {
	is_string(v)
	regex.match(`^[0-9]+$`, v)
}

# Expiry.

deny contains {"msg": msg, "label": "passwords never expire", "path": tf.resource_path(address)} if {
	some address, p in tf.resources("aws_iam_account_password_policy")
	not tf.has_key(p.values, "max_password_age")
	msg := sprintf("%s lets IAM user passwords live forever: max_password_age is not set, so they never expire", [address])
}

deny contains {"msg": msg, "label": "passwords never expire", "path": tf.path(address, ["max_password_age"])} if {
	some address, p in tf.resources("aws_iam_account_password_policy")
	tf.has_key(p.values, "max_password_age")
	never(p.values.max_password_age)
	msg := sprintf("%s lets IAM user passwords live forever (max_password_age = %v)", [address, shown(p.values.max_password_age)])
}

deny contains {"msg": msg, "label": "expiry too long", "path": tf.path(address, ["max_password_age"])} if {
	some address, p in tf.resources("aws_iam_account_password_policy")
	days := number(p.values.max_password_age)
	days > max_age
	msg := sprintf("%s lets IAM user passwords live %d days (max_password_age = %v), more than %d", [address, days, p.values.max_password_age, max_age])
}

never(v) if v == null

never(v) if number(v) == 0

shown(v) := "null" if v == null

shown(v) := sprintf("%v", [v]) if v != null

# Reuse.

deny contains {"msg": msg, "label": "passwords can be reused", "path": tf.resource_path(address)} if {
	some address, p in tf.resources("aws_iam_account_password_policy")
	not tf.has_key(p.values, "password_reuse_prevention")
	msg := sprintf("%s lets users set a previous password again: password_reuse_prevention is not set", [address])
}

deny contains {"msg": msg, "label": "passwords can be reused", "path": tf.path(address, ["password_reuse_prevention"])} if {
	some address, p in tf.resources("aws_iam_account_password_policy")
	tf.has_key(p.values, "password_reuse_prevention")
	p.values.password_reuse_prevention == null
	msg := sprintf("%s lets users set a previous password again: password_reuse_prevention is null", [address])
}

deny contains {"msg": msg, "label": "too few passwords remembered", "path": tf.path(address, ["password_reuse_prevention"])} if {
	some address, p in tf.resources("aws_iam_account_password_policy")
	n := number(p.values.password_reuse_prevention)
	n < min_reuse
	msg := sprintf("%s remembers only %s (password_reuse_prevention = %v), fewer than %d", [address, remembered(n), p.values.password_reuse_prevention, min_reuse])
}

remembered(n) := "no previous password" if n == 0

remembered(n) := "the last password" if n == 1

remembered(n) := sprintf("the last %d passwords", [n]) if n > 1

# Checks that depend on a value known only after apply.

undecided contains {"msg": msg, "path": tf.path(address, [key])} if {
	some address, p in tf.resources("aws_iam_account_password_policy")
	some key in ["max_password_age", "password_reuse_prevention"]
	v := p.values[key]
	tf.is_unknown(v)
	msg := sprintf("%s may let passwords %s: %s = %v is known only after apply", [address, risk(key), key, v.__unknown__])
}

risk("max_password_age") := "live forever"

risk("password_reuse_prevention") := "be reused"

# A check the rule fails anyway has nothing left to decide: the two settings
# are separate checks, so only a finding on the same setting settles one.
failed := {d.path | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path in failed
}

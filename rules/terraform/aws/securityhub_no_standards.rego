# METADATA
# title: Security Hub is enabled without any security standard
# description: >-
#   Security Hub checks resources against its security standards (AWS
#   Foundational Security Best Practices, CIS AWS Foundations, PCI DSS, NIST
#   SP 800-53). An `aws_securityhub_account` with `enable_default_standards =
#   false` and no `aws_securityhub_standards_subscription` in the module turns
#   Security Hub on but subscribes it to no standard, so no control is ever
#   evaluated: the console shows a security score nobody computed, and only
#   findings forwarded by other services appear. ISO/IEC 27002 15.2.2 asks that
#   information systems be regularly checked for compliance with security
#   implementation standards; Security Hub's standards are that check for AWS
#   accounts. Not flagged: the default standards left on (the default), a
#   standards subscription anywhere in the module, and accounts governed by
#   Security Hub central configuration (`aws_securityhub_configuration_policy`
#   in the module). A setting known only after apply makes the check
#   inconclusive.
# custom:
#   id: CL-AWS-048
#   severity: medium
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["15.2.2"]
#     iso27002:2022: ["8.8"]
#   remediation: >-
#     Add an `aws_securityhub_standards_subscription` for at least one standard
#     (for example `standards_arn =
#     "arn:aws:securityhub:<region>::standards/aws-foundational-security-best-practices/v/1.0.0"`)
#     with `depends_on = [aws_securityhub_account.<name>]`, or remove
#     `enable_default_standards = false`. In an organization, manage standards
#     centrally with `aws_securityhub_configuration_policy`.
#   applies_to: [aws_securityhub_account, aws_securityhub_standards_subscription, aws_securityhub_configuration_policy]
package clause.rules.terraform.aws.securityhub_no_standards

import data.clause.lib.terraform as tf
import rego.v1

standards_elsewhere if count(tf.resources("aws_securityhub_standards_subscription")) > 0

standards_elsewhere if count(tf.resources("aws_securityhub_configuration_policy")) > 0

deny contains {"msg": msg, "label": "no standards", "path": tf.path(address, ["enable_default_standards"])} if {
	not standards_elsewhere
	some address, hub in tf.resources("aws_securityhub_account")
	tf.is_false(hub.values.enable_default_standards)
	msg := sprintf("%s turns Security Hub on without any security standard (enable_default_standards = false and no aws_securityhub_standards_subscription), so no control is evaluated", [address])
}

# Checks that depend on a value known only after apply.

undecided contains {"msg": msg, "path": tf.path(address, ["enable_default_standards"])} if {
	not standards_elsewhere
	some address, hub in tf.resources("aws_securityhub_account")
	tf.is_unknown(hub.values.enable_default_standards)
	msg := sprintf("%s may turn Security Hub on without any security standard: enable_default_standards = %s is known only after apply, and the module subscribes to no standard", [address, hub.values.enable_default_standards.__unknown__])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

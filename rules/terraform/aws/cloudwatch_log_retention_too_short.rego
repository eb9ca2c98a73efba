# METADATA
# title: CloudWatch log group keeps logs for less than a year
# description: >-
#   CloudWatch Logs deletes log events older than a log group's
#   `retention_in_days`. Logs kept for days or weeks are gone by the time most
#   intrusions are discovered (often months after the fact), so the
#   evidence of what an attacker did, which data they reached and which
#   accounts they used is lost, and so are the records that audits,
#   regulators and legal holds ask for. ISO/IEC 27002 10.10.1 asks that audit
#   logs be kept for an agreed period to assist future investigations, and
#   15.1.3 asks that records be protected from loss for the retention period
#   they require; the rule takes one year, the minimum common to PCI DSS
#   (10.5.1) and AWS Security Hub's CloudWatch.16 control. Log groups that
#   never expire (`retention_in_days` unset or 0) are not flagged, and neither
#   are `DELIVERY` class log groups, whose short retention is fixed because
#   they only pass logs on to S3 or Firehose. A retention known only after
#   apply makes the check inconclusive.
# custom:
#   id: CL-AWS-044
#   severity: low
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["10.10.1", "15.1.3"]
#     iso27002:2022: ["8.15", "5.33"]
#   remediation: >-
#     Set `retention_in_days = 365` or more (allowed values include 365, 400,
#     545, 731, 1096, 1827, 2192, 2557, 2922, 3288 and 3653), or 0 to keep logs
#     indefinitely; or export the logs to an S3 bucket with a lifecycle and
#     object lock that keep them for at least a year before shortening the
#     log group's own retention.
#   applies_to: [aws_cloudwatch_log_group]
package clause.rules.terraform.aws.cloudwatch_log_retention_too_short

import data.clause.lib.terraform as tf
import rego.v1

minimum := 365

days(v) := v if is_number(v)

days(v) := to_number(v) if {
	is_string(v)
	regex.match(`^[0-9]+$`, v)
}

delivery_class(values) if values.log_group_class == "DELIVERY"

name(address, values) := sprintf("%s (%s)", [address, values.name]) if is_string(values.name)

name(address, values) := address if not is_string(values.name)

deny contains {"msg": msg, "label": "short retention", "path": tf.path(address, ["retention_in_days"])} if {
	some address, group in tf.resources("aws_cloudwatch_log_group")
	not delivery_class(group.values)
	d := days(group.values.retention_in_days)
	d > 0
	d < minimum
	msg := sprintf("%s deletes log events after %v days (retention_in_days), less than a year", [name(address, group.values), d])
}

# Checks that depend on a value known only after apply.

undecided contains {"msg": msg, "path": tf.path(address, ["retention_in_days"])} if {
	some address, group in tf.resources("aws_cloudwatch_log_group")
	not delivery_class(group.values)
	tf.is_unknown(group.values.retention_in_days)
	msg := sprintf("%s may delete log events before a year has passed: retention_in_days = %s is known only after apply", [name(address, group.values), group.values.retention_in_days.__unknown__])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

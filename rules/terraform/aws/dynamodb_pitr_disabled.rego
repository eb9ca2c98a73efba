# METADATA
# title: DynamoDB table has point-in-time recovery turned off
# description: >-
#   Point-in-time recovery keeps continuous backups of a DynamoDB table and
#   lets it be restored to any second of the last 35 days (or of the recovery
#   period set). Without it (the default: no `point_in_time_recovery` block, or
#   `enabled = false`) a faulty deployment that overwrites items, a script that
#   deletes the wrong partition or a compromised credential that wipes the
#   table leaves only whatever on-demand backups someone happened to take.
#   ISO/IEC 27002 10.5.1 asks that back-up copies of information be taken
#   regularly and can be restored; continuous backups are how a DynamoDB table
#   evidences it. A setting known only after apply is reported as an
#   inconclusive check.
# custom:
#   id: CL-AWS-020
#   severity: medium
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["10.5.1"]
#     iso27002:2022: ["8.13"]
#   remediation: >-
#     Add `point_in_time_recovery { enabled = true }` to the `aws_dynamodb_table`
#     (optionally with `recovery_period_in_days`, 1 to 35).
#   applies_to: [aws_dynamodb_table]
package clause.rules.terraform.aws.dynamodb_pitr_disabled

import data.clause.lib.terraform as tf
import rego.v1

settings(values) := [{"value": b.enabled, "at": ["point_in_time_recovery", i, "enabled"]} |
	some i, b in tf.blocks(values, "point_in_time_recovery")
	is_object(b)
	tf.has_key(b, "enabled")
	b.enabled != null
]

enabled(values) if {
	some s in settings(values)
	tf.is_true(s.value)
}

unknown(values) := unknowns[0] if {
	unknowns := [s | some s in settings(values); tf.is_unknown(s.value)]
	count(unknowns) > 0
}

flagged(values) if {
	not enabled(values)
	not unknown(values)
}

deny contains {"msg": msg, "label": "no point-in-time recovery", "path": tf.path(address, s.at)} if {
	some address, table in tf.resources("aws_dynamodb_table")
	flagged(table.values)
	some s in settings(table.values)
	tf.is_false(s.value)
	msg := sprintf("%s has point-in-time recovery turned off (enabled = false): its items cannot be restored to an earlier point in time", [address])
}

deny contains {"msg": msg, "label": "no point-in-time recovery", "path": tf.resource_path(address)} if {
	some address, table in tf.resources("aws_dynamodb_table")
	flagged(table.values)
	count(settings(table.values)) == 0
	msg := sprintf("%s has no point-in-time recovery: point_in_time_recovery is not enabled and defaults to off, so its items cannot be restored to an earlier point in time", [address])
}

# Checks that depend on a value known only after apply.
undecided contains {"msg": msg, "path": tf.path(address, s.at)} if {
	some address, table in tf.resources("aws_dynamodb_table")
	not enabled(table.values)
	s := unknown(table.values)
	msg := sprintf("%s may have point-in-time recovery turned off: enabled = %v is known only after apply", [address, s.value.__unknown__])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

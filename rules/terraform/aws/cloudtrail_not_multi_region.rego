# METADATA
# title: CloudTrail trail records only one region
# description: >-
#   A single-region trail records API activity only in the region where it is
#   created. Activity in every other region, which is exactly where an intruder
#   with stolen credentials starts instances for crypto-mining or creates
#   resources to hide from the team's usual view, goes unrecorded, and global
#   service events are captured by one region's trail only. ISO/IEC 27002
#   10.10.1 asks that audit logs recording user activities and security events
#   be produced and kept; a trail that covers every region is what makes the
#   account's audit log complete. A setting known only after apply is
#   reported as an inconclusive check.
# custom:
#   id: CL-AWS-013
#   severity: medium
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["10.10.1"]
#     iso27002:2022: ["8.15"]
#   remediation: >-
#     Set `is_multi_region_trail = true` (and keep
#     `include_global_service_events = true`, the default) on the
#     `aws_cloudtrail`.
#   applies_to: [aws_cloudtrail]
package clause.rules.terraform.aws.cloudtrail_not_multi_region

import data.clause.lib.terraform as tf
import rego.v1

deny contains {"msg": sprintf("%s records API activity in one region only (is_multi_region_trail = false)", [address]), "label": "single region", "path": tf.path(address, ["is_multi_region_trail"])} if {
	some address, trail in tf.resources("aws_cloudtrail")
	tf.is_false(trail.values.is_multi_region_trail)
}

deny contains {"msg": sprintf("%s records API activity in one region only: is_multi_region_trail is null and defaults to false", [address]), "label": "single region", "path": tf.path(address, ["is_multi_region_trail"])} if {
	some address, trail in tf.resources("aws_cloudtrail")
	tf.has_key(trail.values, "is_multi_region_trail")
	trail.values.is_multi_region_trail == null
}

deny contains {"msg": sprintf("%s records API activity in one region only: is_multi_region_trail is not set and defaults to false", [address]), "label": "single region", "path": tf.resource_path(address)} if {
	some address, trail in tf.resources("aws_cloudtrail")
	not tf.has_key(trail.values, "is_multi_region_trail")
}

# Checks that depend on a value known only after apply.
undecided contains {"msg": msg, "path": tf.path(address, ["is_multi_region_trail"])} if {
	some address, trail in tf.resources("aws_cloudtrail")
	tf.is_unknown(trail.values.is_multi_region_trail)
	msg := sprintf("%s may record API activity in one region only: is_multi_region_trail = %s is known only after apply", [address, trail.values.is_multi_region_trail.__unknown__])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

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
#   account's audit log complete.
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

deny contains {"msg": sprintf("%s records API activity in one region only: is_multi_region_trail is not set and defaults to false", [address]), "label": "single region", "path": tf.resource_path(address)} if {
	some address, trail in tf.resources("aws_cloudtrail")
	tf.disabled(trail.values, "is_multi_region_trail")
	not tf.is_false(trail.values.is_multi_region_trail)
}

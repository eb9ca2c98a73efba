# METADATA
# title: AWS Config records only a chosen list of resource types
# description: >-
#   A configuration recorder with `all_supported = false` and a list of
#   `resource_types` records only those types. Every other resource (new
#   services the team adopts, types nobody thought to add) is invisible to
#   AWS Config: Config rules and Security Hub controls never evaluate it, and
#   there is no history of how it was configured. Gaps are silent: the
#   dashboards show only compliant resources because the non-compliant ones
#   are never looked at. ISO/IEC 27002 15.2.2 asks that information systems be
#   regularly checked for compliance with security implementation standards,
#   which compliance checking limited to a hand-picked list of types cannot
#   show. Recorders that record all supported types, with or without an
#   explicit exclusion list (`recording_strategy { use_only =
#   "EXCLUSION_BY_RESOURCE_TYPES" }`, a documented decision to leave specific
#   types out), are not flagged. A setting known only after apply makes the
#   check inconclusive.
# custom:
#   id: CL-AWS-047
#   severity: low
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["15.2.2"]
#     iso27002:2022: ["8.8"]
#   remediation: >-
#     In the recorder's `recording_group`, set `all_supported = true` and remove
#     `resource_types` (and set `include_global_resource_types = true` in the
#     one region that records IAM). To leave out specific high-volume types,
#     use `exclusion_by_resource_types { resource_types = [...] }` with
#     `recording_strategy { use_only = "EXCLUSION_BY_RESOURCE_TYPES" }`
#     instead of an inclusion list.
#   applies_to: [aws_config_configuration_recorder]
package clause.rules.terraform.aws.config_recorder_partial

import data.clause.lib.terraform as tf
import rego.v1

exclusion(group) if {
	some strategy in tf.blocks(group, "recording_strategy")
	strategy.use_only == "EXCLUSION_BY_RESOURCE_TYPES"
}

undecided_strategy(group) if {
	some strategy in tf.blocks(group, "recording_strategy")
	tf.is_unknown(strategy.use_only)
}

types_text(group) := sprintf("only %d chosen resource types", [count(group.resource_types)]) if {
	is_array(group.resource_types)
	count(group.resource_types) > 1
}

types_text(group) := sprintf("only one resource type, %v,", [group.resource_types[0]]) if {
	is_array(group.resource_types)
	count(group.resource_types) == 1
}

types_text(group) := "only the resource types it lists" if not is_array(group.resource_types)

types_text(group) := "no resource types" if {
	is_array(group.resource_types)
	count(group.resource_types) == 0
}

deny contains {"msg": msg, "label": "partial recording", "path": tf.path(address, ["recording_group", i, "all_supported"])} if {
	some address, recorder in tf.resources("aws_config_configuration_recorder")
	some i, group in tf.blocks(recorder.values, "recording_group")
	tf.is_false(group.all_supported)
	not exclusion(group)
	not undecided_strategy(group)
	msg := sprintf("%s records %s (all_supported = false): other resources are never evaluated by AWS Config", [address, types_text(group)])
}

# Checks that depend on a value known only after apply.

undecided contains {"msg": msg, "path": tf.path(address, ["recording_group", i, "all_supported"])} if {
	some address, recorder in tf.resources("aws_config_configuration_recorder")
	some i, group in tf.blocks(recorder.values, "recording_group")
	tf.is_unknown(group.all_supported)
	not exclusion(group)
	msg := sprintf("%s may record only some resource types: all_supported = %s is known only after apply", [address, group.all_supported.__unknown__])
}

undecided contains {"msg": msg, "path": tf.path(address, ["recording_group", i, "recording_strategy", j, "use_only"])} if {
	some address, recorder in tf.resources("aws_config_configuration_recorder")
	some i, group in tf.blocks(recorder.values, "recording_group")
	tf.is_false(group.all_supported)
	some j, strategy in tf.blocks(group, "recording_strategy")
	tf.is_unknown(strategy.use_only)
	msg := sprintf("%s may record only a chosen list of resource types: all_supported = false, and whether the list is an exclusion list depends on use_only = %s, which is known only after apply", [address, strategy.use_only.__unknown__])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

# METADATA
# title: AWS Config configuration recorder is not turned on
# description: >-
#   An `aws_config_configuration_recorder` is created stopped: AWS Config
#   records nothing, and none of its rules or conformance packs evaluate
#   anything, until an `aws_config_configuration_recorder_status` for the
#   recorder sets `is_enabled = true`. A recorder without one, or with
#   `is_enabled = false`, gives the impression of continuous compliance
#   checking while nothing is checked, and leaves no configuration history to
#   show how a resource was configured at the time of an incident. ISO/IEC
#   27002 15.2.2 asks that information systems be regularly checked for
#   compliance with security implementation standards; AWS Config recording is
#   what AWS Config rules, Security Hub controls and audit evidence of past
#   configurations depend on. The status is matched to its recorder by
#   reference (`name = aws_config_configuration_recorder.main.name`), by the
#   recorder's name (`default` when unset), or by the same expression. When a
#   status names its recorder in a way clause cannot resolve, or
#   `is_enabled` is known only after apply, the check is inconclusive.
# custom:
#   id: CL-AWS-046
#   severity: medium
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["15.2.2"]
#     iso27002:2022: ["8.8"]
#   remediation: >-
#     Add an `aws_config_configuration_recorder_status` with `name =
#     aws_config_configuration_recorder.<name>.name` and `is_enabled = true`,
#     with `depends_on` on the recorder's `aws_config_delivery_channel` (AWS
#     Config cannot start without one).
#   applies_to: [aws_config_configuration_recorder, aws_config_configuration_recorder_status]
package clause.rules.terraform.aws.config_recorder_not_enabled

import data.clause.lib.terraform as tf
import rego.v1

status_type := "aws_config_configuration_recorder_status"

# recorder_name(recorder): the recorder's name ("default" when unset).
recorder_name(recorder) := recorder.values.name if is_string(recorder.values.name)

recorder_name(recorder) := "default" if tf.missing(recorder.values, "name")

same_unknown(a, b, x, y) if {
	tf.is_unknown(a)
	a == b
	object.get(x, "index", null) == object.get(y, "index", null)
}

names_recorder(v, address, recorder) if tf.refers_to(v, address)

names_recorder(v, _, recorder) if tf.refers_to(v, recorder.config_address)

names_recorder(v, _, recorder) if {
	is_string(v)
	v == recorder_name(recorder)
}

statuses(address, recorder) := object.union({a: s |
	some a, s in tf.resources(status_type)
	names_recorder(s.values.name, address, recorder)
}, {a: s |
	some a, s in tf.resources(status_type)
	same_unknown(s.values.name, recorder.values.name, s, recorder)
})

enabled(address, recorder) if {
	some _, s in statuses(address, recorder)
	tf.is_true(s.values.is_enabled)
}

# Statuses that name no recorder of this module for certain, by an
# expression known only after apply.
unresolved := sort([a |
	some a, s in tf.resources(status_type)
	tf.is_unknown(s.values.name)
	not names_a_recorder(a, s)
])

names_a_recorder(_, s) if {
	some address, recorder in tf.resources("aws_config_configuration_recorder")
	names_recorder(s.values.name, address, recorder)
}

names_a_recorder(_, s) if {
	some _, recorder in tf.resources("aws_config_configuration_recorder")
	same_unknown(s.values.name, recorder.values.name, s, recorder)
}

what(address, recorder) := sprintf("%s (%q)", [address, recorder_name(recorder)])

what(address, recorder) := address if not recorder_name(recorder)

deny contains {"msg": msg, "label": "recorder stopped", "path": tf.path(a, ["is_enabled"])} if {
	some address, recorder in tf.resources("aws_config_configuration_recorder")
	not enabled(address, recorder)
	some a, s in statuses(address, recorder)
	tf.is_false(s.values.is_enabled)
	msg := sprintf("%s is stopped by %s (is_enabled = false): AWS Config records nothing and its rules evaluate nothing", [what(address, recorder), a])
}

deny contains {"msg": msg, "label": "recorder never started", "path": tf.resource_path(address)} if {
	some address, recorder in tf.resources("aws_config_configuration_recorder")
	count(statuses(address, recorder)) == 0
	count(unresolved) == 0
	msg := sprintf("%s is never started: no aws_config_configuration_recorder_status turns it on, so AWS Config records nothing and its rules evaluate nothing", [what(address, recorder)])
}

# Checks that depend on a value known only after apply.

undecided contains {"msg": msg, "path": tf.path(a, ["is_enabled"])} if {
	some address, recorder in tf.resources("aws_config_configuration_recorder")
	not enabled(address, recorder)
	some a, s in statuses(address, recorder)
	tf.is_unknown(s.values.is_enabled)
	msg := sprintf("%s may be stopped: is_enabled = %s in %s is known only after apply", [what(address, recorder), s.values.is_enabled.__unknown__, a])
}

undecided contains {"msg": msg, "path": tf.resource_path(address)} if {
	some address, recorder in tf.resources("aws_config_configuration_recorder")
	count(statuses(address, recorder)) == 0
	count(unresolved) > 0
	msg := sprintf("%s has no status of its own and may be the recorder that %s turns on, whose name is known only after apply", [what(address, recorder), concat(", ", unresolved)])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

# METADATA
# title: Lambda function has no reserved concurrency
# description: >-
#   Every Lambda function of an account and Region draws on one shared pool of
#   concurrent executions (1,000 by default). A function without reserved
#   concurrency (`reserved_concurrent_executions` unset or -1) can scale until
#   it takes the whole pool: a traffic spike, a retry storm or an attacker
#   flooding a public endpoint then throttles every other function of the
#   account, and runs up cost without bound. Reserving concurrency both
#   guarantees the function its share and caps it. ISO/IEC 27002 10.3.1 asks
#   that the use of resources be monitored and tuned and capacity planned so
#   that systems keep the performance they need; a per-function concurrency
#   budget is that plan written into the configuration. A value known only
#   after apply is reported as an inconclusive check.
# custom:
#   id: CL-AWS-015
#   severity: low
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["10.3.1"]
#     iso27002:2022: ["8.6"]
#   remediation: >-
#     Set `reserved_concurrent_executions` on the `aws_lambda_function` to the
#     number of concurrent executions the function needs at peak (a positive
#     number below the account's unreserved pool; 0 stops the function from
#     running at all).
#   applies_to: [aws_lambda_function]
package clause.rules.terraform.aws.lambda_concurrency_unreserved

import data.clause.lib.terraform as tf
import rego.v1

# unreserved(v): -1, written as a number or a string.
unreserved(v) if v == -1

unreserved(v) if v == "-1"

deny contains {"msg": msg, "label": "no concurrency limit", "path": tf.path(address, ["reserved_concurrent_executions"])} if {
	some address, fn in tf.resources("aws_lambda_function")
	unreserved(fn.values.reserved_concurrent_executions)
	msg := sprintf("%s has no reserved concurrency (reserved_concurrent_executions = -1): it can take every concurrent execution of the account", [address])
}

deny contains {"msg": msg, "label": "no concurrency limit", "path": tf.path(address, ["reserved_concurrent_executions"])} if {
	some address, fn in tf.resources("aws_lambda_function")
	tf.has_key(fn.values, "reserved_concurrent_executions")
	fn.values.reserved_concurrent_executions == null
	msg := sprintf("%s has no reserved concurrency: reserved_concurrent_executions is null and defaults to -1 (unreserved), so it can take every concurrent execution of the account", [address])
}

deny contains {"msg": msg, "label": "no concurrency limit", "path": tf.resource_path(address)} if {
	some address, fn in tf.resources("aws_lambda_function")
	not tf.has_key(fn.values, "reserved_concurrent_executions")
	msg := sprintf("%s has no reserved concurrency: reserved_concurrent_executions is not set, so it can take every concurrent execution of the account", [address])
}

# Checks that depend on a value known only after apply.
undecided contains {"msg": msg, "path": tf.path(address, ["reserved_concurrent_executions"])} if {
	some address, fn in tf.resources("aws_lambda_function")
	v := fn.values.reserved_concurrent_executions
	tf.is_unknown(v)
	msg := sprintf("%s may have no reserved concurrency: reserved_concurrent_executions = %v is known only after apply", [address, v.__unknown__])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

# METADATA
# title: Lambda function URL accepts requests without authentication
# description: >-
#   A Lambda function URL is a dedicated HTTPS endpoint on the internet. With
#   `authorization_type = "NONE"` anyone who finds or guesses the URL can
#   invoke the function (with any payload, as often as they like) and every
#   call runs with the function's IAM role; nothing identifies the caller, so
#   abuse can neither be attributed nor revoked per client, and a traffic
#   flood is billed to the account. ISO/IEC 27002 11.4.2 asks that remote
#   connections be authenticated with appropriate methods; `AWS_IAM` makes
#   every caller sign the request with IAM credentials (SigV4), which
#   CloudFront origin access control can also do on behalf of a distribution.
#   A value known only after apply is reported as an inconclusive check.
#   Endpoints that are public on purpose (a webhook that verifies a signature
#   itself) should be suppressed with that rationale.
# custom:
#   id: CL-AWS-032
#   severity: medium
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["11.4.2"]
#     iso27002:2022: ["8.5"]
#   remediation: >-
#     Set `authorization_type = "AWS_IAM"` on the `aws_lambda_function_url` and
#     grant `lambda:InvokeFunctionUrl` only to the principals that call it (or
#     put CloudFront with origin access control in front of it); if the URL is
#     not needed, remove it and invoke the function through API Gateway with an
#     authorizer.
#   applies_to: [aws_lambda_function_url]
package clause.rules.terraform.aws.lambda_url_no_auth

import data.clause.lib.terraform as tf
import rego.v1

deny contains {"msg": msg, "label": "no authentication", "path": tf.path(address, ["authorization_type"])} if {
	some address, url in tf.resources("aws_lambda_function_url")
	v := url.values.authorization_type
	is_string(v)
	upper(v) == "NONE"
	msg := sprintf("%s lets anyone on the internet invoke %s without authentication (authorization_type = %q)", [address, function(url.values), v])
}

function(values) := sprintf("the function %s", [values.function_name]) if is_string(values.function_name)

function(values) := sprintf("the function %s", [values.function_name.__unknown__]) if tf.is_unknown(values.function_name)

function(values) := "the function" if {
	not is_string(values.function_name)
	not tf.is_unknown(values.function_name)
}

# Checks that depend on a value known only after apply.
undecided contains {"msg": msg, "path": tf.path(address, ["authorization_type"])} if {
	some address, url in tf.resources("aws_lambda_function_url")
	v := url.values.authorization_type
	tf.is_unknown(v)
	msg := sprintf("%s may let anyone invoke %s without authentication: authorization_type = %v is known only after apply", [address, function(url.values), v.__unknown__])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

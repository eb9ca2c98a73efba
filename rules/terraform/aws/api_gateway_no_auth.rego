# METADATA
# title: API Gateway route accepts requests without authentication
# description: >-
#   An API Gateway method with `authorization = "NONE"` (REST APIs), or a
#   route whose `authorization_type` is NONE or not set (HTTP and WebSocket
#   APIs, where NONE is the default), lets anyone on the internet call the
#   backend behind it: the Lambda function, the HTTP service or the AWS
#   integration runs for every caller, who is never identified, so requests
#   cannot be attributed, limited per user or revoked. ISO/IEC 27002 11.4.2
#   asks that appropriate authentication methods control access by remote
#   users; an API published on the internet is such a connection and needs an
#   IAM, Cognito, JWT or Lambda authorizer. Not flagged: CORS preflight
#   (OPTIONS) methods and routes, REST methods that require an API key
#   (`api_key_required = true`, a weak but deliberate client check), methods
#   of private REST APIs (reachable only through VPC endpoints), WebSocket
#   routes other than `$connect` (the only one that can authorise). HTTP APIs
#   made with quick create (`target` on `aws_apigatewayv2_api`) get an
#   unauthenticated default route and are flagged too. Values known only after
#   apply are reported as inconclusive checks. Endpoints that are public on
#   purpose (a webhook that verifies a signature itself) should be suppressed
#   with that rationale.
# custom:
#   id: CL-AWS-031
#   severity: medium
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["11.4.2"]
#     iso27002:2022: ["8.5"]
#   remediation: >-
#     For REST APIs set `authorization = "AWS_IAM"`, `"COGNITO_USER_POOLS"` (with
#     `authorizer_id`) or `"CUSTOM"` (a Lambda authorizer) on the
#     `aws_api_gateway_method`; for HTTP and WebSocket APIs set
#     `authorization_type = "JWT"`, `"AWS_IAM"` or `"CUSTOM"` with
#     `authorizer_id = aws_apigatewayv2_authorizer.<name>.id` on the
#     `aws_apigatewayv2_route` (the `$connect` route for WebSocket APIs), and
#     replace quick-create `target` with explicit routes.
#   applies_to: [aws_api_gateway_method, aws_apigatewayv2_route, aws_apigatewayv2_api]
package clause.rules.terraform.aws.api_gateway_no_auth

import data.clause.lib.terraform as tf
import rego.v1

# REST APIs.

rest_apis_of(method) := [api |
	some address, api in tf.resources("aws_api_gateway_rest_api")
	tf.links(method.values.rest_api_id, address, api)
]

endpoint_types(api) := [t |
	some c in tf.blocks(api.values, "endpoint_configuration")
	is_object(c)
	some t in tf.list(c.types)
]

private_api(method) if {
	some api in rest_apis_of(method)
	"PRIVATE" in endpoint_types(api)
}

undecided_endpoint(method) if {
	some api in rest_apis_of(method)
	some c in tf.blocks(api.values, "endpoint_configuration")
	is_object(c)
	unknown_list(c.types)
}

unknown_list(v) if tf.is_unknown(v)

unknown_list(v) if {
	some x in tf.list(v)
	tf.is_unknown(x)
}

open_method(values) if upper_or_same(values.authorization) == "NONE"

upper_or_same(v) := upper(v) if is_string(v)

preflight(v) if upper_or_same(v) == "OPTIONS"

rest_candidate(method) if {
	open_method(method.values)
	not preflight(method.values.http_method)
	not tf.is_true(method.values.api_key_required)
	not private_api(method)
}

deny contains {"msg": msg, "label": "no authentication", "path": tf.path(address, ["authorization"])} if {
	some address, method in tf.resources("aws_api_gateway_method")
	rest_candidate(method)
	not tf.is_unknown(method.values.http_method)
	not tf.is_unknown(method.values.api_key_required)
	not undecided_endpoint(method)
	msg := sprintf("%s lets anyone call %s without authentication (authorization = \"NONE\", no API key required)", [address, shown(method.values.http_method)])
}

# HTTP and WebSocket APIs.

apis_of(route) := [api |
	some address, api in tf.resources("aws_apigatewayv2_api")
	tf.links(route.values.api_id, address, api)
]

api_of(route) if count(apis_of(route)) > 0

# protocol(route): the protocol of the route's API, when its APIs agree.
protocol(route) := ps[0] if {
	ps := sort({p | some api in apis_of(route); p := api.values.protocol_type; is_string(p)})
	count(ps) == 1
}

# The protocol a route key implies when the API is not in this
# configuration: `$connect` exists only on WebSocket APIs, `GET /x` only on
# HTTP APIs; `$default` exists on both.
implied_protocol(key) := "WEBSOCKET" if key == "$connect"

implied_protocol(key) := "HTTP" if {
	is_string(key)
	regex.match(`^(ANY|GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) /`, key)
}

route_protocol(route) := protocol(route)

route_protocol(route) := implied_protocol(route.values.route_key) if not api_of(route)

open_route(values) if tf.missing(values, "authorization_type")

open_route(values) if upper_or_same(values.authorization_type) == "NONE"

checked_route("HTTP", key, _) if {
	is_string(key)
	not startswith(key, "OPTIONS ")
}

checked_route("WEBSOCKET", "$connect", values) if not tf.is_true(values.api_key_required)

deny contains {"msg": msg, "label": "no authentication", "path": route_path(address, route.values)} if {
	some address, route in tf.resources("aws_apigatewayv2_route")
	open_route(route.values)
	p := route_protocol(route)
	checked_route(p, route.values.route_key, route.values)
	msg := sprintf("%s lets anyone call the %s API route %q without authentication (%s)", [address, kind(p), route.values.route_key, how(route.values)])
}

kind("HTTP") := "HTTP"

kind("WEBSOCKET") := "WebSocket"

route_path(address, values) := tf.path(address, ["authorization_type"]) if tf.has_key(values, "authorization_type")

route_path(address, values) := tf.resource_path(address) if not tf.has_key(values, "authorization_type")

how(values) := "authorization_type = \"NONE\"" if upper_or_same(values.authorization_type) == "NONE"

how(values) := "authorization_type is not set and defaults to NONE" if tf.missing(values, "authorization_type")

# Quick create: an HTTP API with `target` gets a default route with no
# authorization.
quick_created(values) if {
	not upper_or_same(values.protocol_type) == "WEBSOCKET"
	t := values.target
	t != null
	t != ""
}

deny contains {"msg": msg, "label": "no authentication", "path": tf.path(address, ["target"])} if {
	some address, api in tf.resources("aws_apigatewayv2_api")
	quick_created(api.values)
	not tf.is_unknown(api.values.protocol_type)
	not maybe_null(api.values.target)
	msg := sprintf("%s is a quick-create HTTP API (target is set): its default route accepts requests without authentication", [address])
}

shown(v) := sprintf("its %s method", [v]) if is_string(v)

shown(v) := "its method" if not is_string(v)

maybe_null(v) if {
	tf.is_unknown(v)
	some ref in tf.list(v.__refs__)
	is_string(ref)
	regex.match(`(^|\.)(var|local)\.[^.]+$|(^|\.)module\.[^.]+$`, ref)
}

# Checks that depend on a value known only after apply.

undecided contains {"msg": msg, "path": tf.path(address, ["authorization"])} if {
	some address, method in tf.resources("aws_api_gateway_method")
	tf.is_unknown(method.values.authorization)
	not preflight(method.values.http_method)
	not private_api(method)
	msg := sprintf("%s may accept requests without authentication: authorization = %v is known only after apply", [address, method.values.authorization.__unknown__])
}

undecided contains {"msg": msg, "path": tf.path(address, [key])} if {
	some address, method in tf.resources("aws_api_gateway_method")
	rest_candidate(method)
	some key in ["http_method", "api_key_required"]
	tf.is_unknown(method.values[key])
	msg := sprintf("%s may accept requests without authentication (authorization = \"NONE\"): %s = %v is known only after apply", [address, key, method.values[key].__unknown__])
}

undecided contains {"msg": msg, "path": tf.path(address, ["authorization"])} if {
	some address, method in tf.resources("aws_api_gateway_method")
	rest_candidate(method)
	undecided_endpoint(method)
	msg := sprintf("%s may accept requests without authentication (authorization = \"NONE\"): whether its API is private is known only after apply", [address])
}

undecided contains {"msg": msg, "path": tf.path(address, ["authorization_type"])} if {
	some address, route in tf.resources("aws_apigatewayv2_route")
	tf.is_unknown(route.values.authorization_type)
	msg := sprintf("%s may accept requests without authentication: authorization_type = %v is known only after apply", [address, route.values.authorization_type.__unknown__])
}

undecided contains {"msg": msg, "path": tf.path(address, ["route_key"])} if {
	some address, route in tf.resources("aws_apigatewayv2_route")
	open_route(route.values)
	route.values.route_key == "$default"
	not api_of(route)
	msg := sprintf("%s may accept requests without authentication (%s): a \"$default\" route is open on an HTTP API, and whether its API (%s) is one is known only after apply", [address, how(route.values), shown_api(route.values.api_id)])
}

undecided contains {"msg": msg, "path": tf.path(address, ["route_key"])} if {
	some address, route in tf.resources("aws_apigatewayv2_route")
	open_route(route.values)
	tf.is_unknown(route.values.route_key)
	msg := sprintf("%s may accept requests without authentication (%s): route_key = %v is known only after apply", [address, how(route.values), route.values.route_key.__unknown__])
}

shown_api(v) := sprintf("%v", [v.__unknown__]) if tf.is_unknown(v)

shown_api(v) := sprintf("%v", [v]) if not tf.is_unknown(v)

undecided contains {"msg": msg, "path": tf.path(address, ["target"])} if {
	some address, api in tf.resources("aws_apigatewayv2_api")
	quick_created(api.values)
	maybe_null(api.values.target)
	msg := sprintf("%s may be a quick-create HTTP API whose default route accepts requests without authentication: target = %v is known only after apply", [address, api.values.target.__unknown__])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

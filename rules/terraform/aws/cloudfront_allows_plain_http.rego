# METADATA
# title: CloudFront carries traffic over plain HTTP
# description: >-
#   A cache behavior with `viewer_protocol_policy = "allow-all"` serves
#   viewers over plain HTTP as well as HTTPS, without redirecting them, so
#   requests and responses (cookies, tokens, form data, personal data) can be
#   read and altered by anyone on the network path, and links or bookmarks
#   keep users on HTTP. A custom origin with `origin_protocol_policy =
#   "http-only"` makes CloudFront forward every request to the origin in clear
#   text across the internet, even when viewers used HTTPS. ISO/IEC 27002
#   10.8.1 asks that information exchanged over communication facilities be
#   protected from interception and modification, and 12.3.1 asks that
#   cryptographic controls be applied where the policy requires them, as it
#   does for data in transit. Examined: the default and ordered cache
#   behaviors and the custom origins of every distribution. Values known only
#   after apply make the check inconclusive.
# custom:
#   id: CL-AWS-054
#   severity: high
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["10.8.1", "12.3.1"]
#     iso27002:2022: ["5.14", "8.24"]
#   remediation: >-
#     Set `viewer_protocol_policy = "redirect-to-https"` (or `"https-only"`) in
#     `default_cache_behavior` and every `ordered_cache_behavior`, and
#     `origin_protocol_policy = "https-only"` with `origin_ssl_protocols =
#     ["TLSv1.2"]` in each `custom_origin_config`. For an S3 website endpoint
#     origin, which speaks only HTTP, use the bucket's REST endpoint with an
#     origin access control instead.
#   applies_to: [aws_cloudfront_distribution]
package clause.rules.terraform.aws.cloudfront_allows_plain_http

import data.clause.lib.terraform as tf
import rego.v1

# Every cache behavior, with where it is and how a message names it.
behaviors contains {"address": address, "at": ["default_cache_behavior", i], "what": "its default cache behavior", "block": b} if {
	some address, d in tf.resources("aws_cloudfront_distribution")
	some i, b in tf.blocks(d.values, "default_cache_behavior")
	is_object(b)
}

behaviors contains {"address": address, "at": ["ordered_cache_behavior", i], "what": pattern(b), "block": b} if {
	some address, d in tf.resources("aws_cloudfront_distribution")
	some i, b in tf.blocks(d.values, "ordered_cache_behavior")
	is_object(b)
}

pattern(b) := sprintf("the cache behavior for %q", [b.path_pattern]) if is_string(b.path_pattern)

pattern(b) := "an ordered cache behavior" if not is_string(b.path_pattern)

origins contains {"address": address, "at": ["origin", i, "custom_origin_config", j], "what": origin_name(o), "block": c} if {
	some address, d in tf.resources("aws_cloudfront_distribution")
	some i, o in tf.blocks(d.values, "origin")
	is_object(o)
	some j, c in tf.blocks(o, "custom_origin_config")
	is_object(c)
}

origin_name(o) := sprintf("origin %q", [o.domain_name]) if is_string(o.domain_name)

origin_name(o) := sprintf("origin %q", [o.origin_id]) if {
	not is_string(o.domain_name)
	is_string(o.origin_id)
}

origin_name(o) := "an origin" if {
	not is_string(o.domain_name)
	not is_string(o.origin_id)
}

deny contains {"msg": msg, "label": "plain HTTP to viewers", "path": tf.path(b.address, array.concat(b.at, ["viewer_protocol_policy"]))} if {
	some b in behaviors
	b.block.viewer_protocol_policy == "allow-all"
	msg := sprintf("%s serves %s over plain HTTP without redirecting to HTTPS (viewer_protocol_policy = \"allow-all\")", [b.address, b.what])
}

deny contains {"msg": msg, "label": "plain HTTP to origin", "path": tf.path(o.address, array.concat(o.at, ["origin_protocol_policy"]))} if {
	some o in origins
	o.block.origin_protocol_policy == "http-only"
	msg := sprintf("%s forwards requests to %s over plain HTTP (origin_protocol_policy = \"http-only\")", [o.address, o.what])
}

# Checks that depend on a value known only after apply.

undecided contains {"msg": msg, "path": tf.path(b.address, array.concat(b.at, ["viewer_protocol_policy"]))} if {
	some b in behaviors
	tf.is_unknown(b.block.viewer_protocol_policy)
	msg := sprintf("%s may serve %s over plain HTTP: viewer_protocol_policy = %s is known only after apply", [b.address, b.what, b.block.viewer_protocol_policy.__unknown__])
}

undecided contains {"msg": msg, "path": tf.path(o.address, array.concat(o.at, ["origin_protocol_policy"]))} if {
	some o in origins
	tf.is_unknown(o.block.origin_protocol_policy)
	msg := sprintf("%s may forward requests to %s over plain HTTP: origin_protocol_policy = %s is known only after apply", [o.address, o.what, o.block.origin_protocol_policy.__unknown__])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

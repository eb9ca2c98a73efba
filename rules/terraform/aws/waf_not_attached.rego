# METADATA
# title: Internet-facing web entry point has no WAF web ACL
# description: >-
#   An internet-facing application load balancer, API Gateway REST API stage
#   or CloudFront distribution without an AWS WAF web ACL passes every request
#   straight to the application: SQL injection and cross-site scripting
#   payloads, requests from known malicious addresses, credential stuffing and
#   HTTP floods all reach the code, with no rate limiting and no managed rule
#   groups for published exploits (Log4Shell-style) in front of it. ISO/IEC
#   27002 10.6.2 asks that the security features of network services be
#   identified and applied; for services published to the internet a web
#   application firewall is that feature. Load balancers and stages count as
#   protected when an `aws_wafv2_web_acl_association` (or
#   `aws_wafregional_web_acl_association`) of the same configuration names
#   them; distributions when `web_acl_id` is set. Internal load balancers,
#   network and gateway load balancers, and stages of private REST APIs are
#   not examined. Values known only after apply (whether the load balancer is
#   internal, an association's target, a `web_acl_id` from a variable) make the
#   check inconclusive, never a finding.
# custom:
#   id: CL-AWS-022
#   severity: medium
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["10.6.2"]
#     iso27002:2022: ["8.21"]
#   remediation: >-
#     Create an `aws_wafv2_web_acl` (scope REGIONAL for load balancers and API
#     stages, CLOUDFRONT in us-east-1 for distributions) with at least the AWS
#     managed rule groups AWSManagedRulesCommonRuleSet and
#     AWSManagedRulesKnownBadInputsRuleSet and a rate-based rule, then attach it:
#     `aws_wafv2_web_acl_association { resource_arn = aws_lb.<name>.arn (or
#     aws_api_gateway_stage.<name>.arn), web_acl_arn = aws_wafv2_web_acl.<name>.arn }`,
#     or `web_acl_id = aws_wafv2_web_acl.<name>.arn` on the `aws_cloudfront_distribution`.
#   applies_to: [aws_lb, aws_alb, aws_api_gateway_stage, aws_cloudfront_distribution]
package clause.rules.terraform.aws.waf_not_attached

import data.clause.lib.terraform as tf
import rego.v1

association_types := ["aws_wafv2_web_acl_association", "aws_wafregional_web_acl_association"]

associations := {a: r |
	some type in association_types
	some a, r in tf.resources(type)
}

associated(address, r) if {
	some _, assoc in associations
	tf.links(assoc.values.resource_arn, address, r)
}

# An association whose target is known only after apply and names no
# resource of this configuration may be the one for any of them.
unresolved_associations := {a |
	some a, assoc in associations
	tf.is_unknown(assoc.values.resource_arn)
	not names_a_target(assoc)
}

names_a_target(assoc) if {
	some type in ["aws_lb", "aws_alb", "aws_api_gateway_stage"]
	some address, r in tf.resources(type)
	tf.links(assoc.values.resource_arn, address, r)
}

# Load balancers: application (the default type) and internet-facing (the
# default scheme).
lb_types := ["aws_lb", "aws_alb"]

application(values) if tf.missing(values, "load_balancer_type")

application(values) if values.load_balancer_type == "application"

internet_facing(values) if tf.disabled(values, "internal")

unprotected_lb contains {"address": address, "r": r} if {
	some type in lb_types
	some address, r in tf.resources(type)
	application(r.values)
	not associated(address, r)
}

# API Gateway REST API stages, unless the API is private.
private_api(stage) if {
	some address, api in tf.resources("aws_api_gateway_rest_api")
	tf.links(stage.values.rest_api_id, address, api)
	some c in tf.blocks(api.values, "endpoint_configuration")
	is_object(c)
	"PRIVATE" in tf.list(c.types)
}

# unknown_endpoint(stage): the endpoint types known only after apply that
# decide whether the stage's API is private.
unknown_endpoint(stage) := sort(found)[0] if {
	found := {shown(c.types) |
		some address, api in tf.resources("aws_api_gateway_rest_api")
		tf.links(stage.values.rest_api_id, address, api)
		some c in tf.blocks(api.values, "endpoint_configuration")
		is_object(c)
		undecided_types(c.types)
	}
	count(found) > 0
}

undecided_types(v) if tf.is_unknown(v)

undecided_types(v) if {
	some t in tf.list(v)
	tf.is_unknown(t)
}

unprotected_stage contains {"address": address, "r": r} if {
	some address, r in tf.resources("aws_api_gateway_stage")
	not private_api(r)
	not associated(address, r)
}

deny contains {"msg": msg, "label": "no WAF", "path": tf.resource_path(u.address)} if {
	some u in unprotected_lb
	internet_facing(u.r.values)
	count(unresolved_associations) == 0
	msg := sprintf("%s is an internet-facing application load balancer with no WAF web ACL: no aws_wafv2_web_acl_association names it", [u.address])
}

deny contains {"msg": msg, "label": "no WAF", "path": tf.resource_path(u.address)} if {
	some u in unprotected_stage
	not unknown_endpoint(u.r)
	count(unresolved_associations) == 0
	msg := sprintf("%s publishes a REST API with no WAF web ACL: no aws_wafv2_web_acl_association names the stage", [u.address])
}

deny contains {"msg": msg, "label": "no WAF", "path": tf.resource_path(address)} if {
	some address, d in tf.resources("aws_cloudfront_distribution")
	no_web_acl(d.values)
	not tf.has_key(d.values, "web_acl_id")
	msg := sprintf("%s serves requests with no WAF web ACL: web_acl_id is not set", [address])
}

deny contains {"msg": msg, "label": "no WAF", "path": tf.path(address, ["web_acl_id"])} if {
	some address, d in tf.resources("aws_cloudfront_distribution")
	no_web_acl(d.values)
	tf.has_key(d.values, "web_acl_id")
	msg := sprintf("%s serves requests with no WAF web ACL: web_acl_id is %v", [address, empty(d.values.web_acl_id)])
}

no_web_acl(values) if tf.missing(values, "web_acl_id")

no_web_acl(values) if values.web_acl_id == ""

empty(v) := "null" if v == null

empty(v) := "empty" if v == ""

# Checks that depend on a value known only after apply.

undecided contains {"msg": msg, "path": tf.path(u.address, ["internal"])} if {
	some u in unprotected_lb
	tf.is_unknown(u.r.values.internal)
	msg := sprintf("%s may be an internet-facing load balancer with no WAF web ACL: internal = %v is known only after apply", [u.address, u.r.values.internal.__unknown__])
}

undecided contains {"msg": msg, "path": tf.path(address, ["load_balancer_type"])} if {
	some type in lb_types
	some address, r in tf.resources(type)
	tf.is_unknown(r.values.load_balancer_type)
	not associated(address, r)
	not tf.is_true(r.values.internal)
	msg := sprintf("%s may be an internet-facing application load balancer with no WAF web ACL: load_balancer_type = %v is known only after apply", [address, r.values.load_balancer_type.__unknown__])
}

undecided contains {"msg": msg, "path": tf.resource_path(u.address)} if {
	some u in unprotected_lb
	internet_facing(u.r.values)
	count(unresolved_associations) > 0
	msg := sprintf("%s is an internet-facing application load balancer that no WAF association names for certain: %s", [u.address, unresolved_text])
}

undecided contains {"msg": msg, "path": tf.resource_path(u.address)} if {
	some u in unprotected_stage
	count(unresolved_associations) > 0
	msg := sprintf("%s publishes a REST API that no WAF association names for certain: %s", [u.address, unresolved_text])
}

undecided contains {"msg": msg, "path": tf.resource_path(u.address)} if {
	some u in unprotected_stage
	v := unknown_endpoint(u.r)
	count(unresolved_associations) == 0
	msg := sprintf("%s may publish a REST API with no WAF web ACL: whether the API is private depends on endpoint_configuration types = %s, which is known only after apply", [u.address, v])
}

undecided contains {"msg": msg, "path": tf.path(address, ["web_acl_id"])} if {
	some address, d in tf.resources("aws_cloudfront_distribution")
	v := d.values.web_acl_id
	tf.is_unknown(v)
	not always_set(v)
	msg := sprintf("%s may serve requests with no WAF web ACL: web_acl_id = %v is known only after apply and may be null", [address, v.__unknown__])
}

unresolved_text := sprintf("%s attaches a web ACL to a resource known only after apply (%s)", [concat(", ", sort(unresolved_associations)), concat(", ", sort([shown(associations[a].values.resource_arn) | some a in unresolved_associations]))])

shown(v) := sprintf("%v", [v.__unknown__]) if tf.is_unknown(v)

shown(v) := sprintf("%v", [v]) if not tf.is_unknown(v)

# always_set(v): known only after apply but refers only to resources or data
# sources (an ARN, never null), not to variables, locals or module inputs.
always_set(v) if {
	tf.is_unknown(v)
	refs := tf.list(v.__refs__)
	count(refs) > 0
	every ref in refs {
		is_string(ref)
		not regex.match(`(^|\.)(var|local)\.[^.]+$`, ref)
		not regex.match(`(^|\.)(count|each|self)$`, ref)
		not regex.match(`(^|\.)module\.[^.]+$`, ref)
	}
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

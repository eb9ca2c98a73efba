# METADATA
# title: Load balancer listener serves plain HTTP
# description: >-
#   A load balancer listener on plain HTTP that does not redirect to HTTPS
#   carries requests and responses, including session cookies, credentials,
#   tokens and personal data, unencrypted between clients and the load
#   balancer, where anyone on the network path can read or alter them. An
#   HTTP listener whose default action redirects to HTTPS is fine: it only
#   upgrades clients. ISO/IEC 27002 10.8.1 asks that information exchanged
#   over communication facilities be protected from interception and
#   modification, and 12.3.1 asks that cryptographic controls be applied where
#   the policy requires them, as it does for data in transit. Classic ELB
#   listeners cannot redirect, so every `lb_protocol = "http"` listener is
#   flagged; listeners whose protocol or actions clause cannot know are not.
# custom:
#   id: CL-AWS-010
#   severity: high
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["10.8.1", "12.3.1"]
#     iso27002:2022: ["5.14", "8.24"]
#   remediation: >-
#     Serve the application on an HTTPS listener (`protocol = "HTTPS"`,
#     `certificate_arn`, a current `ssl_policy`) and make the HTTP listener's
#     `default_action` a redirect: `type = "redirect"` with
#     `redirect { protocol = "HTTPS", port = "443", status_code = "HTTP_301" }`.
#     For a classic ELB, use `lb_protocol = "https"` with `ssl_certificate_id`, or
#     move to an Application Load Balancer.
#   applies_to: [aws_lb_listener, aws_alb_listener, aws_elb]
package clause.rules.terraform.aws.lb_listener_plain_http

import data.clause.lib.terraform as tf
import rego.v1

dynamic_block(values, name) if {
	some d in tf.blocks(values, "dynamic")
	name in d.__labels__
}

# An Application Load Balancer of this module (`load_balancer_type` defaults
# to "application").
application_lb(address) if {
	some type in ["aws_lb", "aws_alb"]
	lb := tf.resources(type)[address]
	object.get(lb.values, "load_balancer_type", null) in {null, "application"}
}

# plain_http(address, values): where the listener says it speaks HTTP: the
# protocol value, or the resource when `protocol` is omitted on a listener of
# an Application Load Balancer, whose default protocol is HTTP.
plain_http(address, values) := tf.path(address, ["protocol"]) if is_http(values.protocol)

plain_http(address, values) := tf.resource_path(address) if {
	object.get(values, "protocol", null) == null
	some lb in tf.list(values.load_balancer_arn.__refs__)
	application_lb(lb)
}

is_http(v) if {
	is_string(v)
	upper(v) == "HTTP"
}

is_https(v) if {
	is_string(v)
	upper(v) == "HTTPS"
}

redirects_to_https(values) if {
	some action in tf.blocks(values, "default_action")
	action.type == "redirect"
	some redirect in tf.blocks(action, "redirect")
	is_https(redirect.protocol)
}

# The default action depends on something clause cannot know.
cannot_know(values) if dynamic_block(values, "default_action")

cannot_know(values) if {
	some action in tf.blocks(values, "default_action")
	tf.is_unknown(action.type)
}

cannot_know(values) if {
	some action in tf.blocks(values, "default_action")
	action.type == "redirect"
	some redirect in tf.blocks(action, "redirect")
	tf.is_unknown(redirect.protocol)
}

cannot_know(values) if {
	some action in tf.blocks(values, "default_action")
	action.type == "redirect"
	dynamic_block(action, "redirect")
}

# What the listener does instead, for the message.
actions(values) := concat(", ", sort({describe(a) | some a in tf.blocks(values, "default_action")})) if count(tf.blocks(values, "default_action")) > 0

actions(values) := "none" if count(tf.blocks(values, "default_action")) == 0

describe(action) := "redirect that keeps HTTP" if action.type == "redirect"

describe(action) := action.type if {
	is_string(action.type)
	action.type != "redirect"
}

# elb_listener(l): how a message names a classic ELB listener.
elb_listener(l) := sprintf("listener on port %v", [l.lb_port]) if is_number(l.lb_port)

elb_listener(l) := sprintf("listener on port %s", [l.lb_port]) if is_string(l.lb_port)

elb_listener(l) := "listener" if {
	not is_number(l.lb_port)
	not is_string(l.lb_port)
}

deny contains {"msg": msg, "label": "plain HTTP", "path": path} if {
	some type in ["aws_lb_listener", "aws_alb_listener"]
	some address, listener in tf.resources(type)
	path := plain_http(address, listener.values)
	not redirects_to_https(listener.values)
	not cannot_know(listener.values)
	msg := sprintf("%s serves plain HTTP without redirecting to HTTPS (default action: %s)", [address, actions(listener.values)])
}

deny contains {"msg": msg, "label": "plain HTTP", "path": tf.path(address, ["listener", i, "lb_protocol"])} if {
	some address, elb in tf.resources("aws_elb")
	some i, listener in tf.blocks(elb.values, "listener")
	is_http(listener.lb_protocol)
	msg := sprintf("%s %s accepts plain HTTP; classic ELB listeners cannot redirect to HTTPS", [address, elb_listener(listener)])
}

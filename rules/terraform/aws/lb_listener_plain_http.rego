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
#   flagged. Listeners whose protocol, load balancer type or default action is
#   known only after apply are reported as inconclusive checks, not findings.
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

listener_types := ["aws_lb_listener", "aws_alb_listener"]

# balancers(values): the load balancers of this module a listener's
# `load_balancer_arn` names.
balancers(values) := {a: lb |
	some type in ["aws_lb", "aws_alb"]
	some a, lb in tf.resources(type)
	tf.links(values.load_balancer_arn, a, lb)
}

# lb_kind(values): "application", "other" or "unknown": what kind of load
# balancer a listener belongs to (`load_balancer_type` defaults to
# "application"; a literal ARN says it: `loadbalancer/app/...`).
lb_kind(values) := "application" if {
	lbs := balancers(values)
	count(lbs) > 0
	every _, lb in lbs {
		object.get(lb.values, "load_balancer_type", null) in {null, "application"}
	}
} else := "other" if {
	lbs := balancers(values)
	count(lbs) > 0
	every _, lb in lbs {
		is_string(lb.values.load_balancer_type)
		lb.values.load_balancer_type != "application"
	}
} else := "application" if {
	is_string(values.load_balancer_arn)
	contains(values.load_balancer_arn, ":loadbalancer/app/")
} else := "other" if {
	is_string(values.load_balancer_arn)
	regex.match(`:loadbalancer/(net|gwy)/`, values.load_balancer_arn)
} else := "unknown"

no_protocol(values) if object.get(values, "protocol", null) == null

# plain_http(address, values): where the listener says it speaks HTTP: the
# protocol value, or the resource when `protocol` is omitted on a listener of
# an Application Load Balancer, whose default protocol is HTTP.
plain_http(address, values) := tf.path(address, ["protocol"]) if is_http(values.protocol)

plain_http(address, values) := tf.resource_path(address) if {
	no_protocol(values)
	lb_kind(values) == "application"
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

# action_unknowns(values): where the default action depends on a value known
# only after apply, with that value.
action_unknowns(values) := {{"path": ["default_action", i, "type"], "value": action.type} |
	some i, action in tf.blocks(values, "default_action")
	tf.is_unknown(action.type)
} | {{"path": ["default_action", i, "redirect", j, "protocol"], "value": redirect.protocol} |
	some i, action in tf.blocks(values, "default_action")
	action.type == "redirect"
	some j, redirect in tf.blocks(action, "redirect")
	tf.is_unknown(redirect.protocol)
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
	some type in listener_types
	some address, listener in tf.resources(type)
	path := plain_http(address, listener.values)
	not redirects_to_https(listener.values)
	count(action_unknowns(listener.values)) == 0
	msg := sprintf("%s serves plain HTTP without redirecting to HTTPS (default action: %s)", [address, actions(listener.values)])
}

deny contains {"msg": msg, "label": "plain HTTP", "path": tf.path(address, ["listener", i, "lb_protocol"])} if {
	some address, elb in tf.resources("aws_elb")
	some i, listener in tf.blocks(elb.values, "listener")
	is_http(listener.lb_protocol)
	msg := sprintf("%s %s accepts plain HTTP; classic ELB listeners cannot redirect to HTTPS", [address, elb_listener(listener)])
}

# Checks that depend on a value known only after apply.

# may_be_http(values): the listener speaks HTTP, or may.
may_be_http(values) if is_http(values.protocol)

may_be_http(values) if tf.is_unknown(values.protocol)

may_be_http(values) if {
	no_protocol(values)
	lb_kind(values) != "other"
}

# first_unknown(values): the value known only after apply that decides the
# check, with where it is.
first_unknown(values) := {"path": ["protocol"], "value": values.protocol} if {
	tf.is_unknown(values.protocol)
} else := {"path": ["load_balancer_arn"], "value": values.load_balancer_arn, "what": lb_type_unknown(values)} if {
	no_protocol(values)
	lb_kind(values) == "unknown"
} else := unknowns[0] if {
	unknowns := sort(action_unknowns(values))
	count(unknowns) > 0
}

# expression(v): an unknown's expression, or a literal as written.
expression(v) := sprintf("%v", [v.__unknown__]) if tf.is_unknown(v)

expression(v) := sprintf("%v", [v]) if not tf.is_unknown(v)

undecided contains {"msg": msg, "path": tf.path(address, u.path)} if {
	some type in listener_types
	some address, listener in tf.resources(type)
	may_be_http(listener.values)
	not redirects_to_https(listener.values)
	u := first_unknown(listener.values)
	msg := sprintf("%s may serve plain HTTP without redirecting to HTTPS: %s", [address, reason(u)])
}

reason(u) := sprintf("%s = %s is known only after apply", [u.path[count(u.path) - 1], expression(u.value)]) if not u.what

reason(u) := sprintf("protocol is not set, and %s", [u.what]) if u.what

# lb_type_unknown(values): why the kind of load balancer is not known.
lb_type_unknown(values) := sprintf("the type of %s (load_balancer_type = %s) is known only after apply", [concat(", ", names), concat(", ", types)]) if {
	lbs := balancers(values)
	count(lbs) > 0
	names := sort(object.keys(lbs))
	types := [expression(lbs[a].values.load_balancer_type) | some a in names]
}

lb_type_unknown(values) := sprintf("the load balancer it belongs to (load_balancer_arn = %s) is known only after apply", [expression(values.load_balancer_arn)]) if {
	count(balancers(values)) == 0
}

undecided contains {"msg": msg, "path": tf.path(address, ["listener", i, "lb_protocol"])} if {
	some address, elb in tf.resources("aws_elb")
	some i, listener in tf.blocks(elb.values, "listener")
	tf.is_unknown(listener.lb_protocol)
	msg := sprintf("%s %s may accept plain HTTP: lb_protocol = %s is known only after apply", [address, elb_listener(listener), listener.lb_protocol.__unknown__])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

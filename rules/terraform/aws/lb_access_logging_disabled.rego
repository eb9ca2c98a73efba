# METADATA
# title: Load balancer does not write access logs
# description: >-
#   A load balancer's access logs are the record of every request that
#   reached the application from outside: client address, time, path, status,
#   TLS protocol and cipher, user agent. They are what incident responders
#   use to find the first exploit attempt, the source of a credential-stuffing
#   run or the requests that exfiltrated data, and nothing records them unless
#   `access_logs` is enabled (for `aws_lb` the block's `enabled` defaults to
#   false even when a bucket is given). ISO/IEC 27002 10.10.1 asks that audit
#   logs recording user activities and security events be produced and kept.
#   Examined: Application Load Balancers, Network Load Balancers with a TLS
#   listener in the module (they log only TLS connections), and classic ELBs.
#   Gateway Load Balancers, which have no access logs, are not examined. A
#   setting or load balancer type known only after apply makes the check
#   inconclusive.
# custom:
#   id: CL-AWS-059
#   severity: medium
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["10.10.1"]
#     iso27002:2022: ["8.15"]
#   remediation: >-
#     Add `access_logs { bucket = aws_s3_bucket.<logs>.id, prefix = "<name>",
#     enabled = true }` to the load balancer; the bucket must use SSE-S3
#     encryption and a bucket policy that lets the regional Elastic Load
#     Balancing account (or the `logdelivery.elasticloadbalancing.amazonaws.com`
#     service) write to it.
#   applies_to: [aws_lb, aws_alb, aws_elb]
package clause.rules.terraform.aws.lb_access_logging_disabled

import data.clause.lib.terraform as tf
import rego.v1

lb_types := ["aws_lb", "aws_alb"]

lb_type(values) := values.load_balancer_type if is_string(values.load_balancer_type)

lb_type(values) := "application" if tf.missing(values, "load_balancer_type")

# A Network Load Balancer logs only TLS connections: examined when one of the
# module's listeners terminates TLS on it.
tls_listener(address, lb) if {
	some type in ["aws_lb_listener", "aws_alb_listener"]
	some _, l in tf.resources(type)
	is_string(l.values.protocol)
	upper(l.values.protocol) == "TLS"
	tf.links(l.values.load_balancer_arn, address, lb)
}

# Every load balancer that can write access logs, with the default of its
# access_logs block's `enabled`.
balancers contains {"address": address, "values": lb.values, "default": false} if {
	some type in lb_types
	some address, lb in tf.resources(type)
	lb_type(lb.values) == "application"
}

balancers contains {"address": address, "values": lb.values, "default": false} if {
	some type in lb_types
	some address, lb in tf.resources(type)
	lb_type(lb.values) == "network"
	tls_listener(address, lb)
}

balancers contains {"address": address, "values": elb.values, "default": true} if {
	some address, elb in tf.resources("aws_elb")
}

# enabled(b, block): the access_logs block turns logging on.
enabled(b, block) if tf.is_true(block.enabled)

enabled(b, block) if {
	b.default
	tf.missing(block, "enabled")
}

logging(b) if {
	some block in tf.blocks(b.values, "access_logs")
	enabled(b, block)
}

undecided_logging(b) if {
	some block in tf.blocks(b.values, "access_logs")
	tf.is_unknown(block.enabled)
}

undecided_logging(b) if tf.is_unknown(b.values.access_logs)

candidate(b) if {
	not logging(b)
	not undecided_logging(b)
}

deny contains {"msg": msg, "label": "no access logs", "path": tf.resource_path(b.address)} if {
	some b in balancers
	candidate(b)
	count(tf.blocks(b.values, "access_logs")) == 0
	msg := sprintf("%s writes no access logs: it has no access_logs block", [b.address])
}

deny contains {"msg": msg, "label": "no access logs", "path": tf.path(b.address, ["access_logs", i, "enabled"])} if {
	some b in balancers
	candidate(b)
	some i, block in tf.blocks(b.values, "access_logs")
	tf.is_false(block.enabled)
	msg := sprintf("%s writes no access logs (access_logs enabled = false)", [b.address])
}

deny contains {"msg": msg, "label": "no access logs", "path": tf.path(b.address, ["access_logs", i])} if {
	some b in balancers
	candidate(b)
	some i, block in tf.blocks(b.values, "access_logs")
	is_object(block)
	tf.missing(block, "enabled")
	msg := sprintf("%s writes no access logs: its access_logs block does not set enabled = true, and enabled defaults to false", [b.address])
}

# Checks that depend on a value known only after apply.

undecided contains {"msg": msg, "path": tf.path(b.address, ["access_logs", i, "enabled"])} if {
	some b in balancers
	not logging(b)
	some i, block in tf.blocks(b.values, "access_logs")
	tf.is_unknown(block.enabled)
	msg := sprintf("%s may write no access logs: enabled = %s is known only after apply", [b.address, block.enabled.__unknown__])
}

undecided contains {"msg": msg, "path": tf.path(b.address, ["access_logs"])} if {
	some b in balancers
	tf.is_unknown(b.values.access_logs)
	msg := sprintf("%s may write no access logs: access_logs = %s is known only after apply", [b.address, b.values.access_logs.__unknown__])
}

undecided contains {"msg": msg, "path": tf.path(address, ["load_balancer_type"])} if {
	some type in lb_types
	some address, lb in tf.resources(type)
	tf.is_unknown(lb.values.load_balancer_type)
	not logging({"values": lb.values, "default": false})
	msg := sprintf("%s may write no access logs: access logging is not enabled, and whether it is an Application Load Balancer depends on load_balancer_type = %s, which is known only after apply", [address, lb.values.load_balancer_type.__unknown__])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

# METADATA
# title: Route sends all traffic to a VPC peering connection
# description: >-
#   A VPC peering connection links two specific networks, and its routes
#   should name the peer's address ranges. A route for 0.0.0.0/0 or ::/0
#   through a peering connection sends every destination the route table does
#   not know more specifically into the other VPC: traffic meant for the
#   internet or for other networks is handed to a network with different
#   owners and controls, any range the peer adds later becomes reachable
#   without a change here, and the route table no longer documents which
#   networks the subnets may reach. ISO/IEC 27002 11.4.7 asks that routing
#   controls ensure connections and information flows do not breach the
#   access control policy; peering routes limited to the peer's CIDR blocks
#   are that control. Routes are examined as `aws_route` resources and as
#   `route` blocks of `aws_route_table` and `aws_default_route_table`. Default
#   routes through a transit gateway or a firewall endpoint, common for
#   centralised egress, are not flagged. When the destination or the peering
#   connection is known only after apply, the check is reported as
#   inconclusive.
# custom:
#   id: CL-AWS-035
#   severity: low
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["11.4.7"]
#     iso27002:2022: ["8.20"]
#   remediation: >-
#     Replace the default route with one route per CIDR block of the peer VPC
#     (`destination_cidr_block = "10.20.0.0/16"` with the same
#     `vpc_peering_connection_id`), and send internet-bound traffic to this
#     VPC's own NAT or internet gateway.
#   applies_to: [aws_route, aws_route_table, aws_default_route_table]
package clause.rules.terraform.aws.vpc_peering_route_open

import data.clause.lib.terraform as tf
import rego.v1

# Every route, however written: {"address", "at" (where its arguments are),
# "route", "keys" (its destination arguments)}.
routes contains {"address": address, "at": [], "route": r.values, "keys": ["destination_cidr_block", "destination_ipv6_cidr_block"]} if {
	some address, r in tf.resources("aws_route")
}

routes contains {"address": address, "at": ["route", i], "route": route, "keys": ["cidr_block", "ipv6_cidr_block"]} if {
	some type in ["aws_route_table", "aws_default_route_table"]
	some address, r in tf.resources(type)
	some i, route in tf.blocks(r.values, "route")
	is_object(route)
}

peered(route) if {
	v := route.vpc_peering_connection_id
	tf.known(v)
	is_string(v)
	v != ""
}

peered(route) if always_set(route.vpc_peering_connection_id)

maybe_peered(route) if {
	v := route.vpc_peering_connection_id
	tf.is_unknown(v)
	not always_set(v)
}

# always_set(v): an identifier known only after apply that refers only to
# resources or data sources (never null), not to variables or module inputs.
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

peering(route) := sprintf("%q", [route.vpc_peering_connection_id]) if is_string(route.vpc_peering_connection_id)

peering(route) := sprintf("%v", [route.vpc_peering_connection_id.__unknown__]) if tf.is_unknown(route.vpc_peering_connection_id)

deny contains {"msg": msg, "label": "all traffic to a peer", "path": tf.path(r.address, array.concat(r.at, [key]))} if {
	some r in routes
	peered(r.route)
	some key in r.keys
	tf.open_cidr(r.route[key])
	msg := sprintf("%s sends all traffic (%s = %q) through the VPC peering connection %s instead of only the peer's address ranges", [r.address, key, r.route[key], peering(r.route)])
}

# Checks that depend on a value known only after apply.

undecided contains {"msg": msg, "path": tf.path(r.address, array.concat(r.at, [key]))} if {
	some r in routes
	peered(r.route)
	some key in r.keys
	v := r.route[key]
	tf.is_unknown(v)
	msg := sprintf("%s may send all traffic through the VPC peering connection %s: %s = %v is known only after apply", [r.address, peering(r.route), key, v.__unknown__])
}

undecided contains {"msg": msg, "path": tf.path(r.address, array.concat(r.at, ["vpc_peering_connection_id"]))} if {
	some r in routes
	maybe_peered(r.route)
	some key in r.keys
	tf.open_cidr(r.route[key])
	msg := sprintf("%s may send all traffic (%s = %q) through a VPC peering connection: vpc_peering_connection_id = %v is known only after apply", [r.address, key, r.route[key], r.route.vpc_peering_connection_id.__unknown__])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

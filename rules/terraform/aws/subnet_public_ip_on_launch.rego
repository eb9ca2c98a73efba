# METADATA
# title: Subnet gives instances public IP addresses automatically
# description: >-
#   With `map_public_ip_on_launch = true` every instance, container task or
#   network interface launched into the subnet gets a public IPv4 address
#   without anyone asking for one. Combined with the subnet's route to an
#   internet gateway, any workload that lands there (an instance someone
#   starts for a test, a task that only needed outbound access) is directly
#   addressable from the internet, and only its security group stands between
#   it and every scanner. ISO/IEC 27002 11.4.5 asks that networks be
#   segregated so that internal systems are kept apart from public ones; a
#   subnet that makes everything public by default erases that boundary. Load
#   balancers and NAT gateways do not need the setting (they have their own
#   addresses), and instances that really need a public address can ask for
#   one (`associate_public_ip_address`) or use an Elastic IP. Default subnets
#   (`aws_default_subnet`) keep AWS's default of true unless it is written as
#   false. A value known only after apply is reported as an inconclusive
#   check.
# custom:
#   id: CL-AWS-034
#   severity: medium
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["11.4.5"]
#     iso27002:2022: ["8.22"]
#   remediation: >-
#     Set `map_public_ip_on_launch = false` (the default for `aws_subnet`, so
#     the argument can be removed) and give a public address only to what
#     must have one: `associate_public_ip_address = true` on that instance or
#     launch template, or an `aws_eip`. Put workloads in private subnets that
#     reach the internet through a NAT gateway.
#   applies_to: [aws_subnet, aws_default_subnet]
package clause.rules.terraform.aws.subnet_public_ip_on_launch

import data.clause.lib.terraform as tf
import rego.v1

deny contains {"msg": msg, "label": "public IP on launch", "path": tf.path(address, ["map_public_ip_on_launch"])} if {
	some type in ["aws_subnet", "aws_default_subnet"]
	some address, subnet in tf.resources(type)
	tf.is_true(subnet.values.map_public_ip_on_launch)
	msg := sprintf("%s gives every instance launched into it a public IP address (map_public_ip_on_launch = true)", [address])
}

deny contains {"msg": msg, "label": "public IP on launch", "path": tf.resource_path(address)} if {
	some address, subnet in tf.resources("aws_default_subnet")
	not tf.has_key(subnet.values, "map_public_ip_on_launch")
	msg := sprintf("%s gives every instance launched into it a public IP address: map_public_ip_on_launch is not set, and default subnets keep AWS's default of true", [address])
}

deny contains {"msg": msg, "label": "public IP on launch", "path": tf.path(address, ["map_public_ip_on_launch"])} if {
	some address, subnet in tf.resources("aws_default_subnet")
	tf.has_key(subnet.values, "map_public_ip_on_launch")
	subnet.values.map_public_ip_on_launch == null
	msg := sprintf("%s gives every instance launched into it a public IP address: map_public_ip_on_launch is null, and default subnets keep AWS's default of true", [address])
}

# Checks that depend on a value known only after apply.
undecided contains {"msg": msg, "path": tf.path(address, ["map_public_ip_on_launch"])} if {
	some type in ["aws_subnet", "aws_default_subnet"]
	some address, subnet in tf.resources(type)
	v := subnet.values.map_public_ip_on_launch
	tf.is_unknown(v)
	msg := sprintf("%s may give every instance launched into it a public IP address: map_public_ip_on_launch = %v is known only after apply", [address, v.__unknown__])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

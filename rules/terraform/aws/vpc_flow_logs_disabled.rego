# METADATA
# title: VPC has no flow logs
# description: >-
#   Without flow logs there is no record of which addresses talked to which
#   inside a VPC or across its boundary: port scans, connections to known bad
#   hosts, data exfiltration and lateral movement leave no trace, and an
#   incident cannot be scoped afterwards. VPC flow logs record accepted and
#   rejected traffic for every network interface of the VPC. ISO/IEC 27002
#   10.10.2 asks for procedures to monitor the use of information processing
#   facilities, and network flow records are the basic input of that
#   monitoring. A VPC counts as covered when an `aws_flow_log` in the module
#   refers to it in `vpc_id` (each instance of a VPC with `count` or
#   `for_each` needs its own). If a flow log of the module names its VPC in a
#   way clause cannot resolve (a variable, a data source, a module output, an
#   index known only after apply), it may cover the VPCs it could name, which
#   are then reported as inconclusive checks rather than findings.
# custom:
#   id: CL-AWS-014
#   severity: medium
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["10.10.2"]
#     iso27002:2022: ["8.16"]
#   remediation: >-
#     Add an `aws_flow_log` with `vpc_id = aws_vpc.<name>.id`, `traffic_type =
#     "ALL"` and a destination: `log_destination_type = "s3"` with an S3 bucket
#     ARN in `log_destination`, or a CloudWatch Logs group ARN in
#     `log_destination` with an `iam_role_arn` that may write to it.
#   applies_to: [aws_vpc, aws_default_vpc, aws_flow_log]
package clause.rules.terraform.aws.vpc_flow_logs_disabled

import data.clause.lib.terraform as tf
import rego.v1

vpc_types := ["aws_vpc", "aws_default_vpc"]

vpcs := {address: r |
	some type in vpc_types
	some address, r in tf.resources(type)
}

flow_logs := tf.resources("aws_flow_log")

# covered(address): a flow log names this VPC (this instance of it).
covered(address) if {
	some _, flow_log in flow_logs
	tf.refers_to(flow_log.values.vpc_id, address)
}

# may_cover(flow_log, address, vpc): the flow log's VPC is known only after
# apply and may be this one: an instance of it whose index is not known, or
# no VPC of this module at all (a variable, a data source, a module output).
may_cover(flow_log, address, vpc) if {
	tf.links(flow_log.values.vpc_id, address, vpc)
	not tf.refers_to(flow_log.values.vpc_id, address)
}

may_cover(flow_log, _, _) if {
	tf.is_unknown(flow_log.values.vpc_id)
	not names_a_vpc(flow_log.values.vpc_id)
}

names_a_vpc(v) if {
	some address, vpc in vpcs
	tf.links(v, address, vpc)
}

# A literal "vpc-..." id names a VPC created elsewhere: it covers none of
# this module's.
maybe_covered_by(address, vpc) := sort([sprintf("%s (vpc_id = %s)", [a, flow_log.values.vpc_id.__unknown__]) |
	some a, flow_log in flow_logs
	may_cover(flow_log, address, vpc)
])

deny contains {"msg": sprintf("%s has no flow log: no aws_flow_log refers to it in vpc_id, so its traffic is not recorded", [address]), "label": "no flow logs", "path": tf.resource_path(address)} if {
	some address, vpc in vpcs
	not covered(address)
	count(maybe_covered_by(address, vpc)) == 0
}

# Checks that depend on a value known only after apply.
undecided contains {"msg": msg, "path": tf.resource_path(address)} if {
	some address, vpc in vpcs
	not covered(address)
	others := maybe_covered_by(address, vpc)
	count(others) > 0
	msg := sprintf("%s may have no flow log: no aws_flow_log refers to it for certain, and the VPC of %s is known only after apply", [address, concat(", ", others)])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

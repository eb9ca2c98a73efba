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
#   refers to it in `vpc_id`. If any flow log of the module names its VPC in a
#   way clause cannot resolve (a variable, a data source, a module output),
#   it may cover any of the module's VPCs, so none is flagged.
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

vpcs := {address |
	some type in vpc_types
	some address, _ in tf.resources(type)
}

covered(vpc) if {
	some _, flow_log in tf.resources("aws_flow_log")
	tf.refers_to(flow_log.values.vpc_id, vpc)
}

# A flow log whose vpc_id clause cannot resolve to a VPC of this module may be
# the one covering it: nothing can be said about the module's VPCs then.
# (A literal "vpc-..." id names a VPC created elsewhere and does not count.)
cannot_know if {
	some _, flow_log in tf.resources("aws_flow_log")
	tf.is_unknown(flow_log.values.vpc_id)
	not names_a_vpc(flow_log.values.vpc_id)
}

names_a_vpc(v) if {
	some vpc in vpcs
	tf.refers_to(v, vpc)
}

deny contains {"msg": sprintf("%s has no flow log: no aws_flow_log refers to it in vpc_id, so its traffic is not recorded", [vpc]), "label": "no flow logs", "path": tf.resource_path(vpc)} if {
	not cannot_know
	some vpc in vpcs
	not covered(vpc)
}

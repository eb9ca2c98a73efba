# METADATA
# title: RDS database is publicly accessible
# description: >-
#   `publicly_accessible = true` gives a database instance a public IP address
#   and makes its endpoint resolve to it, so that in a public subnet the
#   database listener is one security group rule away from the whole internet,
#   and every credential-stuffing or engine vulnerability scan can reach it.
#   Databases hold the organisation's most sensitive records and should only be
#   reachable from the application tier inside the VPC. ISO/IEC 27002 11.6.2
#   asks that sensitive systems run in an isolated computing environment, which
#   a database with a public endpoint does not. A `publicly_accessible` known
#   only after apply is reported as an inconclusive check.
# custom:
#   id: CL-AWS-005
#   severity: high
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["11.6.2"]
#     iso27002:2022: ["8.22"]
#   remediation: >-
#     Set `publicly_accessible = false` (the default) and place the database in
#     private subnets through its `db_subnet_group_name`; reach it from
#     administrators' machines through a bastion, SSM port forwarding or a VPN.
#   applies_to: [aws_db_instance, aws_rds_cluster_instance]
package clause.rules.terraform.aws.rds_publicly_accessible

import data.clause.lib.terraform as tf
import rego.v1

deny contains {"msg": sprintf("%s is publicly accessible: its endpoint resolves to a public IP address", [address]), "label": "publicly_accessible = true", "path": tf.path(address, ["publicly_accessible"])} if {
	some type in ["aws_db_instance", "aws_rds_cluster_instance"]
	some address, db in tf.resources(type)
	tf.is_true(db.values.publicly_accessible)
}

# Checks that depend on a value known only after apply.
undecided contains {"msg": msg, "path": tf.path(address, ["publicly_accessible"])} if {
	some type in ["aws_db_instance", "aws_rds_cluster_instance"]
	some address, db in tf.resources(type)
	tf.is_unknown(db.values.publicly_accessible)
	msg := sprintf("%s may be publicly accessible: publicly_accessible = %s is known only after apply", [address, db.values.publicly_accessible.__unknown__])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

# METADATA
# title: Resource is placed in the default VPC
# description: >-
#   Every Region of an AWS account comes with a default VPC whose subnets are
#   all public (each has a route to an internet gateway and gives instances a
#   public IP address), whose default security group lets all its members
#   talk to each other, and which nobody designed: workloads of different
#   sensitivity and owners end up side by side in one flat network. ISO/IEC
#   27002 11.4.5 asks that groups of information services, users and systems
#   be segregated on networks; that starts with placing resources in networks
#   designed for them. A resource is flagged when it names the default VPC or
#   one of its subnets (`aws_default_vpc`, `aws_default_subnet`, an
#   `aws_vpc` data source with `default = true`, or subnet data sources that
#   select default subnets), and when it omits the setting that places it
#   elsewhere, so that AWS uses the default VPC: an `aws_instance` without
#   `subnet_id`, network interfaces or launch template, and RDS, DocumentDB,
#   Neptune, ElastiCache and Redshift without a subnet group. Resources that
#   only govern the default VPC (flow logs, the default security group,
#   network ACL and route table) are not flagged. When the placement is known
#   only after apply and may be left out, the check is inconclusive.
# custom:
#   id: CL-AWS-033
#   severity: medium
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["11.4.5"]
#     iso27002:2022: ["8.22"]
#   remediation: >-
#     Create a dedicated `aws_vpc` with private subnets for the workload and
#     place the resource there: `subnet_id` (or `vpc_security_group_ids` with a
#     network interface) for instances, `db_subnet_group_name` /
#     `subnet_group_name` / `cluster_subnet_group_name` pointing at a subnet
#     group of private subnets for databases and caches. Then remove the
#     default VPC from the Region (CIS AWS Foundations recommends it).
#   applies_to: ["*"]
package clause.rules.terraform.aws.default_vpc_used

import data.clause.lib.terraform as tf
import rego.v1

# Resources that govern the default VPC rather than run in it.
governing := {
	"aws_default_vpc", "aws_default_subnet", "aws_default_security_group", "aws_default_network_acl",
	"aws_default_route_table", "aws_default_vpc_dhcp_options", "aws_flow_log", "aws_ec2_tag",
}

placement_keys := ["vpc_id", "subnet_id", "subnet_ids", "subnets", "vpc_zone_identifier"]

placement_blocks := ["vpc_config", "network_interface", "network_configuration", "vpc_options"]

# Every resource is examined: most have none of these, and are passed over
# without a helper call.
placement_fields := {f | some f in array.concat(placement_keys, placement_blocks)}

# placements(values): every placement value of a resource with where it is
# written: lists element by element.
placements(values) := {p |
	some key in placement_keys
	some p in values_at(values, [key])
} | {p |
	some block in placement_blocks
	some i, b in tf.blocks(values, block)
	is_object(b)
	some key in placement_keys
	some p in values_at(b, [block, i, key])
}

values_at(obj, at) := {{"at": at, "v": v}} if {
	key := at[count(at) - 1]
	v := obj[key]
	not is_array(v)
}

values_at(obj, at) := {{"at": array.concat(at, [k]), "v": v} |
	some k, v in obj[at[count(at) - 1]]
} if is_array(obj[at[count(at) - 1]])

# The default VPC and its subnets, as an expression's references name them.
default_ref(ref) := "the default VPC" if {
	is_string(ref)
	regex.match(`(^|\.)aws_default_vpc\.[^.]+$`, ref)
}

default_ref(ref) := "a default subnet" if {
	is_string(ref)
	regex.match(`(^|\.)aws_default_subnet\.[^.]+$`, ref)
}

default_ref(ref) := "the default VPC" if {
	d := input.resources[ref]
	d.mode == "data"
	d.type == "aws_vpc"
	tf.is_true(d.values.default)
}

default_ref(ref) := "a default subnet" if {
	d := input.resources[ref]
	d.mode == "data"
	d.type in {"aws_subnet", "aws_subnets", "aws_subnet_ids"}
	default_subnet_lookup(d.values)
}

default_subnet_lookup(values) if tf.is_true(values.default_for_az)

default_subnet_lookup(values) if {
	some f in tf.blocks(values, "filter")
	is_object(f)
	f.name == "default-for-az"
	some v in tf.list(f.values)
	tf.is_true(v)
}

# Subnets looked up in the default VPC.
default_subnet_lookup(values) if {
	some ref in refs_in(values)
	default_ref(ref) == "the default VPC"
}

refs_in(values) := {ref |
	some v in [values.vpc_id]
	some ref in tf.list(v.__refs__)
} | {ref |
	some f in tf.blocks(values, "filter")
	is_object(f)
	some v in array.concat([f.values], tf.list(f.values))
	tf.is_unknown(v)
	some ref in tf.list(v.__refs__)
}

names_default(v) := what if {
	tf.is_unknown(v)
	whats := {w | some ref in tf.list(v.__refs__); is_string(ref); w := default_ref(ref)}
	count(whats) > 0
	what := sort(whats)[0]
}

deny contains {"msg": msg, "label": "default VPC", "path": tf.path(address, p.at)} if {
	some address, r in input.resources
	r.mode == "managed"
	not r.type in governing
	is_object(r.values)
	count(object.keys(r.values) & placement_fields) > 0
	some p in placements(r.values)
	what := names_default(p.v)
	msg := sprintf("%s is placed in %s (%s = %v): the default VPC's subnets are public and shared by everything nobody placed elsewhere", [address, what, setting_name(p.at), p.v.__unknown__])
}

# setting_name(at): the argument a path ends in (the list, for an element).
setting_name(at) := names[count(names) - 1] if {
	names := [n | some n in at; is_string(n)]
}

# Resources that land in the default VPC when nothing places them.
omitted contains {"address": address, "r": r, "keys": ["subnet_id"], "what": "names no subnet_id, network_interface or launch_template, so EC2 launches it in a default subnet"} if {
	some address, r in tf.resources("aws_instance")
	count(tf.blocks(r.values, "network_interface")) == 0
	count(tf.blocks(r.values, "launch_template")) == 0
	not tf.is_unknown(r.values.network_interface)
	not tf.is_unknown(r.values.launch_template)
}

subnet_group_keys := {
	"aws_db_instance": "db_subnet_group_name",
	"aws_rds_cluster": "db_subnet_group_name",
	"aws_docdb_cluster": "db_subnet_group_name",
	"aws_neptune_cluster": "neptune_subnet_group_name",
	"aws_elasticache_cluster": "subnet_group_name",
	"aws_elasticache_replication_group": "subnet_group_name",
	"aws_redshift_cluster": "cluster_subnet_group_name",
}

omitted contains {"address": address, "r": r, "keys": [key], "what": sprintf("has no %s, so AWS places it in the default VPC's default subnet group", [key])} if {
	some type, key in subnet_group_keys
	some address, r in tf.resources(type)
	not inherits_placement(type, r.values)
}

# Replicas, Aurora cluster members and cache nodes of a replication group
# take their network from their source or group.
inherits_placement("aws_db_instance", values) if given(values.replicate_source_db)

inherits_placement("aws_db_instance", values) if {
	is_string(values.engine)
	startswith(lower(values.engine), "aurora")
}

inherits_placement("aws_elasticache_cluster", values) if given(values.replication_group_id)

given(v) if {
	v != null
	v != ""
}

given(v) if tf.is_unknown(v)

deny contains {"msg": msg, "label": "default VPC", "path": tf.resource_path(o.address)} if {
	some o in omitted
	every key in o.keys {
		tf.missing(o.r.values, key)
	}
	msg := sprintf("%s %s", [o.address, o.what])
}

# Checks that depend on a value known only after apply.

undecided contains {"msg": msg, "path": tf.path(o.address, [key])} if {
	some o in omitted
	some key in o.keys
	v := o.r.values[key]
	maybe_null(v)
	msg := sprintf("%s may be placed in the default VPC: %s = %v is known only after apply and may be null", [o.address, key, v.__unknown__])
}

maybe_null(v) if {
	tf.is_unknown(v)
	some ref in tf.list(v.__refs__)
	is_string(ref)
	regex.match(`(^|\.)(var|local)\.[^.]+$|(^|\.)module\.[^.]+$`, ref)
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

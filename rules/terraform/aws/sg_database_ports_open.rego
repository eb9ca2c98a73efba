# METADATA
# title: Security group opens database ports to the internet
# description: >-
#   An ingress rule that lets 0.0.0.0/0 or ::/0 reach a database or cache port
#   (MySQL, PostgreSQL, SQL Server, Oracle, MongoDB, Redis, Elasticsearch,
#   Redshift, Memcached, CouchDB, Cassandra, etcd...) puts the organisation's data
#   stores one password guess, one unauthenticated default or one unpatched
#   vulnerability away from every scanner on the internet; exposed Redis,
#   MongoDB and Elasticsearch instances are routinely wiped or ransomed within
#   hours. ISO/IEC 27002 11.6.2 asks that sensitive systems run in an isolated
#   environment that only the systems and people who need them can reach, and
#   10.6.1 asks for network controls that keep untrusted networks away from
#   them. Rules that open every port and protocol are reported by CL-AWS-003
#   instead, so one rule is not reported twice.
# custom:
#   id: CL-AWS-002
#   severity: high
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["11.6.2", "10.6.1"]
#     iso27002:2022: ["8.22", "8.20"]
#   remediation: >-
#     Replace 0.0.0.0/0 and ::/0 with the application tier's security group
#     (`source_security_group_id`, `security_groups` or
#     `referenced_security_group_id`) or the private CIDR ranges that need the
#     database, and keep the database in private subnets.
#   applies_to: [aws_security_group, aws_default_security_group, aws_security_group_rule, aws_vpc_security_group_ingress_rule]
package clause.rules.terraform.aws.sg_database_ports_open

import data.clause.lib.terraform as tf
import rego.v1

tcp_ports := {
	1433: "SQL Server",
	1521: "Oracle",
	2379: "etcd",
	2380: "etcd",
	2483: "Oracle",
	2484: "Oracle",
	3306: "MySQL",
	5432: "PostgreSQL",
	5439: "Redshift",
	5984: "CouchDB",
	6379: "Redis",
	7000: "Cassandra",
	7001: "Cassandra",
	7687: "Neo4j",
	8086: "InfluxDB",
	8123: "ClickHouse",
	9042: "Cassandra",
	9160: "Cassandra",
	9200: "Elasticsearch",
	9300: "Elasticsearch",
	11211: "Memcached",
	26257: "CockroachDB",
	27017: "MongoDB",
	27018: "MongoDB",
	27019: "MongoDB",
	50000: "Db2",
}

# Database services that also answer over UDP (both are abused for
# amplification attacks as well as for data access).
udp_ports := {
	1434: "SQL Server Browser",
	11211: "Memcached",
}

transport(protocol) := "tcp" if lower(sprintf("%v", [protocol])) in {"tcp", "6"}

transport(protocol) := "udp" if lower(sprintf("%v", [protocol])) in {"udp", "17"}

services(protocol) := tcp_ports if transport(protocol) == "tcp"

services(protocol) := udp_ports if transport(protocol) == "udp"

# Ports may be written as numbers or numeric strings; anything else is unknown.
port(v) := v if is_number(v)

port(v) := to_number(v) if {
	is_string(v)
	regex.match(`^[0-9]+$`, v)
}

# Every port of the protocol: CL-AWS-003 reports those rules.
every_port(from, to) if {
	port(from) <= 1
	port(to) >= 65535
}

# open_ports(protocol, from, to): the database ports a rule opens.
open_ports(protocol, from, to) := {p |
	some p, _ in services(protocol)
	tf.covers_port(port(from), port(to), p)
} if not every_port(from, to)

# exposed(protocol, from, to): the services a rule opens, each with its
# ports, in port order: ["MongoDB (27017, 27018)", ...].
exposed(protocol, from, to) := [sprintf("%s (%s)", [name, concat(", ", [port_label(protocol, p) | some p in sort(group[name])])]) |
	some pair in sort([[min(ports), name] | some name, ports in group])
	name := pair[1]
] if {
	table := services(protocol)
	opened := open_ports(protocol, from, to)
	group := {name: ports |
		some p in opened
		name := table[p]
		ports := {q | some q in opened; table[q] == name}
	}
}

port_label(protocol, p) := sprintf("%d", [p]) if transport(protocol) == "tcp"

port_label(protocol, p) := sprintf("%d/udp", [p]) if transport(protocol) == "udp"

# Keeps the message readable when a wide range opens many database services.
summary(list) := concat(", ", list) if count(list) <= 4

summary(list) := sprintf("%s and %d other database services", [concat(", ", array.slice(list, 0, 4)), count(list) - 4]) if count(list) > 4

message(address, list, cidr) := sprintf("%s allows %s from %s", [address, summary(list), cidr])

deny contains {"msg": message(address, list, cidr), "label": "open to the internet", "path": tf.path(address, ["ingress", i, field, k])} if {
	some type in ["aws_security_group", "aws_default_security_group"]
	some address, sg in tf.resources(type)
	some i, rule in tf.blocks(sg.values, "ingress")
	some field in ["cidr_blocks", "ipv6_cidr_blocks"]
	some k, cidr in tf.list(rule[field])
	tf.open_cidr(cidr)
	list := exposed(rule.protocol, rule.from_port, rule.to_port)
	count(list) > 0
}

deny contains {"msg": message(address, list, cidr), "label": "open to the internet", "path": tf.path(address, [field, k])} if {
	some address, rule in tf.resources("aws_security_group_rule")
	rule.values.type == "ingress"
	some field in ["cidr_blocks", "ipv6_cidr_blocks"]
	some k, cidr in tf.list(rule.values[field])
	tf.open_cidr(cidr)
	list := exposed(rule.values.protocol, rule.values.from_port, rule.values.to_port)
	count(list) > 0
}

deny contains {"msg": message(address, list, cidr), "label": "open to the internet", "path": tf.path(address, [field])} if {
	some address, rule in tf.resources("aws_vpc_security_group_ingress_rule")
	some field in ["cidr_ipv4", "cidr_ipv6"]
	cidr := rule.values[field]
	tf.open_cidr(cidr)
	list := exposed(rule.values.ip_protocol, object.get(rule.values, "from_port", 0), object.get(rule.values, "to_port", 65535))
	count(list) > 0
}

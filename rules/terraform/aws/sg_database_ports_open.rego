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
#   instead, so one rule is not reported twice. Rules whose address range,
#   protocol or ports are known only after apply (a variable without a value,
#   a data source, another resource's attribute) are reported as inconclusive
#   checks, never as findings.
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

# Every ingress rule of the module, however it is written: an inline
# `ingress` block of a group, an `aws_security_group_rule` whose type is
# ingress (or known only after apply), an `aws_vpc_security_group_ingress_rule`.
# `at` is where the rule's arguments are inside the resource's values.
ingress_rules contains {"address": address, "at": ["ingress", i], "rule": rule, "kind": "block"} if {
	some type in ["aws_security_group", "aws_default_security_group"]
	some address, sg in tf.resources(type)
	some i, rule in tf.blocks(sg.values, "ingress")
	is_object(rule)
	not tf.is_unknown(rule)
}

ingress_rules contains {"address": address, "at": [], "rule": r.values, "kind": "rule"} if {
	some address, r in tf.resources("aws_security_group_rule")
	may_be_ingress(r.values.type)
}

ingress_rules contains {"address": address, "at": [], "rule": r.values, "kind": "vpc"} if {
	some address, r in tf.resources("aws_vpc_security_group_ingress_rule")
}

may_be_ingress(type) if type == "ingress"

may_be_ingress(type) if tf.is_unknown(type)

is_ingress(r) if r.kind != "rule"

is_ingress(r) if r.rule.type == "ingress"

protocol_key(r) := "ip_protocol" if r.kind == "vpc"

protocol_key(r) := "protocol" if r.kind != "vpc"

protocol(r) := r.rule[protocol_key(r)]

# A VPC ingress rule without ports covers them all (protocol -1 ignores them).
from_port(r) := object.get(r.rule, "from_port", 0) if r.kind == "vpc"

from_port(r) := r.rule.from_port if r.kind != "vpc"

to_port(r) := object.get(r.rule, "to_port", 65535) if r.kind == "vpc"

to_port(r) := r.rule.to_port if r.kind != "vpc"

# sources(r): the address ranges a rule admits, each with where it is
# written; a list known only after apply is one source of its own.
sources(r) := {{"value": c, "path": array.concat(r.at, [field, k])} |
	r.kind != "vpc"
	some field in ["cidr_blocks", "ipv6_cidr_blocks"]
	some k, c in tf.list(r.rule[field])
} | {{"value": r.rule[field], "path": array.concat(r.at, [field])} |
	r.kind != "vpc"
	some field in ["cidr_blocks", "ipv6_cidr_blocks"]
	tf.is_unknown(r.rule[field])
} | {{"value": r.rule[field], "path": array.concat(r.at, [field])} |
	r.kind == "vpc"
	some field in ["cidr_ipv4", "cidr_ipv6"]
	tf.has_key(r.rule, field)
}

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

# Ports may be written as numbers or numeric strings.
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

deny contains {"msg": message(r.address, list, c.value), "label": "open to the internet", "path": tf.path(r.address, c.path)} if {
	some r in ingress_rules
	is_ingress(r)
	some c in sources(r)
	tf.open_cidr(c.value)
	list := exposed(protocol(r), from_port(r), to_port(r))
	count(list) > 0
}

# Checks that depend on a value known only after apply.

# may_expose(r): the rule opens a database port, or might once the values
# known only after apply are known.
may_expose(r) if count(exposed(protocol(r), from_port(r), to_port(r))) > 0

# A protocol known only after apply may be TCP or UDP (or -1, which is
# CL-AWS-003's finding).
may_expose(r) if {
	tf.is_unknown(protocol(r))
	not every_port(from_port(r), to_port(r))
	some p, _ in object.union(tcp_ports, udp_ports)
	may_cover(from_port(r), to_port(r), p)
}

# Only a bound known after apply can make a port possible but not certain,
# so that is tested before each port is.
may_expose(r) if {
	some_port_unknown(r)
	some p, _ in services(protocol(r))
	may_cover(from_port(r), to_port(r), p)
	not tf.covers_port(port(from_port(r)), port(to_port(r)), p)
}

some_port_unknown(r) if tf.is_unknown(from_port(r))

some_port_unknown(r) if tf.is_unknown(to_port(r))

# may_cover(from, to, p): the range covers port p, or may once its bounds
# are known.
may_cover(from, to, p) if tf.covers_port(port(from), port(to), p)

may_cover(from, to, _) if {
	tf.is_unknown(from)
	tf.is_unknown(to)
}

may_cover(from, to, p) if {
	tf.is_unknown(from)
	port(to) >= p
}

may_cover(from, to, p) if {
	tf.is_unknown(to)
	port(from) <= p
}

# unknown_text(path, v): how a message names an unknown value.
unknown_text(path, v) := sprintf("%s includes %s, which is known only after apply", [path[count(path) - 2], v.__unknown__]) if {
	is_number(path[count(path) - 1])
	count(path) > 1
}

unknown_text(path, v) := sprintf("%s = %s is known only after apply", [path[count(path) - 1], v.__unknown__]) if is_string(path[count(path) - 1])

# what(r): the database services a rule opens, when they are known.
what(r) := summary(list) if {
	list := exposed(protocol(r), from_port(r), to_port(r))
	count(list) > 0
}

what(r) := "database ports" if count(exposed(protocol(r), from_port(r), to_port(r))) == 0

what(r) := "database ports" if not exposed(protocol(r), from_port(r), to_port(r))

# first_unknown(r): the value that decides whether a rule open to the
# internet exposes a database port.
first_unknown(r) := array.concat(r.at, ["type"]) if {
	r.kind == "rule"
	tf.is_unknown(r.rule.type)
} else := array.concat(r.at, [protocol_key(r)]) if {
	tf.is_unknown(protocol(r))
} else := array.concat(r.at, ["from_port"]) if {
	tf.is_unknown(from_port(r))
} else := array.concat(r.at, ["to_port"]) if {
	tf.is_unknown(to_port(r))
}

value_at(r, path) := r.rule[path[count(path) - 1]]

# An address range known only after apply.
undecided contains {"msg": msg, "path": tf.path(r.address, c.path)} if {
	some r in ingress_rules
	some c in sources(r)
	tf.is_unknown(c.value)
	may_expose(r)
	msg := sprintf("%s may allow %s from the internet: %s", [r.address, what(r), unknown_text(c.path, c.value)])
}

# Open to the internet, but the protocol, ports or rule type are known only
# after apply.
undecided contains {"msg": msg, "path": tf.path(r.address, path)} if {
	some r in ingress_rules
	some c in sources(r)
	tf.open_cidr(c.value)
	may_expose(r)
	path := first_unknown(r)
	msg := sprintf("%s may allow %s from the internet: %s", [r.address, what(r), unknown_text(path, value_at(r, path))])
}

# The ingress rules themselves are known only after apply.
undecided contains {"msg": msg, "path": tf.path(address, path)} if {
	some type in ["aws_security_group", "aws_default_security_group"]
	some address, sg in tf.resources(type)
	some path, v in ingress_unknowns(sg.values)
	msg := sprintf("%s may open database ports to the internet: %s", [address, unknown_text(path, v)])
}

ingress_unknowns(values) := {["ingress"]: values.ingress} if tf.is_unknown(values.ingress)

ingress_unknowns(values) := {["ingress", i]: rule |
	some i, rule in tf.blocks(values, "ingress")
	tf.is_unknown(rule)
} if not tf.is_unknown(values.ingress)

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

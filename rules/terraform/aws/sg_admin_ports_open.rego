# METADATA
# title: Security group opens remote administration ports to the internet
# description: >-
#   An ingress rule that lets 0.0.0.0/0 or ::/0 reach SSH, RDP, Telnet or WinRM
#   exposes the hosts' administration interfaces to every scanner and
#   password-guessing bot on the internet. ISO/IEC 27002 11.4.4 asks that
#   remote diagnostic and configuration ports be protected so that only
#   authorised administrators can reach them, and 10.6.1 asks for network
#   controls that keep untrusted networks away from systems. Rules whose
#   address range, protocol or ports are known only after apply (a variable
#   without a value, a data source, another resource's attribute) are reported
#   as inconclusive checks, never as findings.
# custom:
#   id: CL-AWS-001
#   severity: high
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["11.4.4", "10.6.1"]
#     iso27002:2022: ["8.20"]
#   remediation: >-
#     Restrict the rule's CIDR ranges to your administration network or VPN, or
#     remove the rule and reach instances through SSM Session Manager or a bastion.
#   applies_to: [aws_security_group, aws_default_security_group, aws_security_group_rule, aws_vpc_security_group_ingress_rule]
package clause.rules.terraform.aws.sg_admin_ports_open

import data.clause.lib.terraform as tf
import rego.v1

admin_ports := {22: "SSH", 23: "Telnet", 3389: "RDP", 5985: "WinRM", 5986: "WinRM"}

tcp_protocols := {"tcp", "TCP", "6", 6}

# port(v): a port written as a number or as a numeric string.
port(v) := v if is_number(v)

port(v) := to_number(v) if {
	is_string(v)
	regex.match(`^[0-9]+$`, v)
}

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

# exposed(protocol, from, to): the administration services a rule opens.
exposed(protocol, from, to) := [sprintf("%s (%d)", [admin_ports[p], p]) |
	some p in sort(object.keys(admin_ports))
	opens(protocol, from, to, p)
]

opens(protocol, _, _, _) if tf.all_traffic(protocol)

opens(protocol, from, to, p) if {
	protocol in tcp_protocols
	tf.covers_port(port(from), port(to), p)
}

# may_expose(r): the rule opens an administration port, or might once the
# values known only after apply are known (a protocol may turn out to be -1).
may_expose(r) if count(exposed(protocol(r), from_port(r), to_port(r))) > 0

may_expose(r) if tf.is_unknown(protocol(r))

may_expose(r) if {
	protocol(r) in tcp_protocols
	some p, _ in admin_ports
	may_cover(from_port(r), to_port(r), p)
}

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

message(address, services, cidr) := sprintf("%s allows %s from %s", [address, concat(", ", services), cidr])

deny contains {"msg": message(r.address, services, c.value), "path": tf.path(r.address, c.path)} if {
	some r in ingress_rules
	is_ingress(r)
	some c in sources(r)
	tf.open_cidr(c.value)
	services := exposed(protocol(r), from_port(r), to_port(r))
	count(services) > 0
}

# Checks that depend on a value known only after apply.

# unknown_text(path, v): how a message names an unknown value.
unknown_text(path, v) := sprintf("%s includes %s, which is known only after apply", [path[count(path) - 2], v.__unknown__]) if {
	is_number(path[count(path) - 1])
	count(path) > 1
}

unknown_text(path, v) := sprintf("%s = %s is known only after apply", [path[count(path) - 1], v.__unknown__]) if is_string(path[count(path) - 1])

# what(r): the services a rule opens, when they are known.
what(r) := concat(", ", services) if {
	services := exposed(protocol(r), from_port(r), to_port(r))
	count(services) > 0
}

what(r) := "remote administration ports" if count(exposed(protocol(r), from_port(r), to_port(r))) == 0

what(r) := "remote administration ports" if not exposed(protocol(r), from_port(r), to_port(r))

# first_unknown(r): the value that decides whether a rule open to the
# internet exposes an administration port.
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
	may_expose(r)
	some c in sources(r)
	tf.is_unknown(c.value)
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
	msg := sprintf("%s may open remote administration ports to the internet: %s", [address, unknown_text(path, v)])
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

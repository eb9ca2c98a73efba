# METADATA
# title: Security group allows all traffic from the internet
# description: >-
#   An ingress rule for every protocol (`-1`/`all`) or for every TCP or UDP
#   port, open to 0.0.0.0/0 or ::/0, removes the security group as a control
#   altogether: whatever service listens on the instances now or later, including
#   debug endpoints, metrics exporters and databases, is reachable by anyone on
#   the internet. This rule reports the unrestricted rule itself, once per open
#   address range; CL-AWS-001 and CL-AWS-002 name the administration and
#   database services such a rule also exposes. ISO/IEC 27002 10.6.1 asks for
#   network controls that protect systems from untrusted networks, and 11.4.6
#   asks that connections from shared and external networks be restricted to
#   what the business needs, which a rule allowing everything cannot be.
#   Rules whose address range, protocol or ports are known only after apply (a
#   variable without a value, a data source, another resource's attribute) are
#   reported as inconclusive checks, never as findings.
# custom:
#   id: CL-AWS-003
#   severity: high
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["10.6.1", "11.4.6"]
#     iso27002:2022: ["8.20"]
#   remediation: >-
#     Replace the rule with rules for the specific protocol and ports the service
#     needs (for example `protocol = "tcp"`, `from_port = 443`, `to_port = 443`),
#     and restrict anything that is not meant for the public to known CIDR ranges
#     or security groups.
#   applies_to: [aws_security_group, aws_default_security_group, aws_security_group_rule, aws_vpc_security_group_ingress_rule]
package clause.rules.terraform.aws.sg_all_traffic_open

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

transport(protocol) := "TCP" if lower(sprintf("%v", [protocol])) in {"tcp", "6"}

transport(protocol) := "UDP" if lower(sprintf("%v", [protocol])) in {"udp", "17"}

port(v) := v if is_number(v)

port(v) := to_number(v) if {
	is_string(v)
	regex.match(`^[0-9]+$`, v)
}

# unrestricted(protocol, from, to): what the rule lets through, when it is
# everything. Port 0 is reserved, so 1-65535 is every port too.
unrestricted(protocol, _, _) := "all traffic (every protocol and port)" if tf.all_traffic(protocol)

unrestricted(protocol, from, to) := sprintf("every %s port", [transport(protocol)]) if {
	port(from) <= 1
	port(to) >= 65535
}

message(address, what, cidr) := sprintf("%s allows %s from %s", [address, what, cidr])

deny contains {"msg": message(r.address, what, c.value), "label": "open to the internet", "path": tf.path(r.address, c.path)} if {
	some r in ingress_rules
	is_ingress(r)
	some c in sources(r)
	tf.open_cidr(c.value)
	what := unrestricted(protocol(r), from_port(r), to_port(r))
}

# Checks that depend on a value known only after apply.

# may_be_unrestricted(r): the rule lets everything through, or might once
# the values known only after apply are known (a protocol may be -1).
may_be_unrestricted(r) if unrestricted(protocol(r), from_port(r), to_port(r))

may_be_unrestricted(r) if tf.is_unknown(protocol(r))

may_be_unrestricted(r) if {
	transport(protocol(r))
	lowest_may_be_1(from_port(r))
	highest_may_be_65535(to_port(r))
}

lowest_may_be_1(v) if tf.is_unknown(v)

lowest_may_be_1(v) if port(v) <= 1

highest_may_be_65535(v) if tf.is_unknown(v)

highest_may_be_65535(v) if port(v) >= 65535

# unknown_text(path, v): how a message names an unknown value.
unknown_text(path, v) := sprintf("%s includes %s, which is known only after apply", [path[count(path) - 2], v.__unknown__]) if {
	is_number(path[count(path) - 1])
	count(path) > 1
}

unknown_text(path, v) := sprintf("%s = %s is known only after apply", [path[count(path) - 1], v.__unknown__]) if is_string(path[count(path) - 1])

# what(r): what a rule lets through, when that is known to be everything.
what(r) := unrestricted(protocol(r), from_port(r), to_port(r))

what(r) := "all traffic" if not unrestricted(protocol(r), from_port(r), to_port(r))

# first_unknown(r): the value that decides whether a rule open to the
# internet lets everything through.
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
	may_be_unrestricted(r)
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
	may_be_unrestricted(r)
	path := first_unknown(r)
	msg := sprintf("%s may allow %s from the internet: %s", [r.address, what(r), unknown_text(path, value_at(r, path))])
}

# The ingress rules themselves are known only after apply.
undecided contains {"msg": msg, "path": tf.path(address, path)} if {
	some type in ["aws_security_group", "aws_default_security_group"]
	some address, sg in tf.resources(type)
	some path, v in ingress_unknowns(sg.values)
	msg := sprintf("%s may allow all traffic from the internet: %s", [address, unknown_text(path, v)])
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

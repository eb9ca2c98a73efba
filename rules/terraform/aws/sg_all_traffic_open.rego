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

deny contains {"msg": message(address, what, cidr), "label": "open to the internet", "path": tf.path(address, ["ingress", i, field, k])} if {
	some type in ["aws_security_group", "aws_default_security_group"]
	some address, sg in tf.resources(type)
	some i, rule in tf.blocks(sg.values, "ingress")
	some field in ["cidr_blocks", "ipv6_cidr_blocks"]
	some k, cidr in tf.list(rule[field])
	tf.open_cidr(cidr)
	what := unrestricted(rule.protocol, rule.from_port, rule.to_port)
}

deny contains {"msg": message(address, what, cidr), "label": "open to the internet", "path": tf.path(address, [field, k])} if {
	some address, rule in tf.resources("aws_security_group_rule")
	rule.values.type == "ingress"
	some field in ["cidr_blocks", "ipv6_cidr_blocks"]
	some k, cidr in tf.list(rule.values[field])
	tf.open_cidr(cidr)
	what := unrestricted(rule.values.protocol, rule.values.from_port, rule.values.to_port)
}

deny contains {"msg": message(address, what, cidr), "label": "open to the internet", "path": tf.path(address, [field])} if {
	some address, rule in tf.resources("aws_vpc_security_group_ingress_rule")
	some field in ["cidr_ipv4", "cidr_ipv6"]
	cidr := rule.values[field]
	tf.open_cidr(cidr)
	what := unrestricted(rule.values.ip_protocol, object.get(rule.values, "from_port", 0), object.get(rule.values, "to_port", 65535))
}

# METADATA
# title: Security group opens remote administration ports to the internet
# description: >-
#   An ingress rule that lets 0.0.0.0/0 or ::/0 reach SSH, RDP, Telnet or WinRM
#   exposes the hosts' administration interfaces to every scanner and
#   password-guessing bot on the internet. ISO/IEC 27002 11.4.4 asks that
#   remote diagnostic and configuration ports be protected so that only
#   authorised administrators can reach them, and 10.6.1 asks for network
#   controls that keep untrusted networks away from systems.
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

# exposed(protocol, from, to): the administration services a rule opens.
exposed(protocol, from, to) := [sprintf("%s (%d)", [admin_ports[port], port]) |
	some port in sort(object.keys(admin_ports))
	opens(protocol, from, to, port)
]

opens(protocol, _, _, _) if tf.all_traffic(protocol)

opens(protocol, from, to, port) if {
	protocol in tcp_protocols
	tf.covers_port(from, to, port)
}

message(address, services, cidr) := sprintf("%s allows %s from %s", [address, concat(", ", services), cidr])

deny contains {"msg": message(address, services, cidr), "path": tf.path(address, ["ingress", i, field, k])} if {
	some type in ["aws_security_group", "aws_default_security_group"]
	some address, sg in tf.resources(type)
	some i, rule in tf.blocks(sg.values, "ingress")
	some field in ["cidr_blocks", "ipv6_cidr_blocks"]
	some k, cidr in tf.list(rule[field])
	tf.open_cidr(cidr)
	services := exposed(rule.protocol, rule.from_port, rule.to_port)
	count(services) > 0
}

deny contains {"msg": message(address, services, cidr), "path": tf.path(address, [field, k])} if {
	some address, rule in tf.resources("aws_security_group_rule")
	rule.values.type == "ingress"
	some field in ["cidr_blocks", "ipv6_cidr_blocks"]
	some k, cidr in tf.list(rule.values[field])
	tf.open_cidr(cidr)
	services := exposed(rule.values.protocol, rule.values.from_port, rule.values.to_port)
	count(services) > 0
}

deny contains {"msg": message(address, services, cidr), "path": tf.path(address, [field])} if {
	some address, rule in tf.resources("aws_vpc_security_group_ingress_rule")
	some field in ["cidr_ipv4", "cidr_ipv6"]
	cidr := rule.values[field]
	tf.open_cidr(cidr)
	services := exposed(rule.values.ip_protocol, object.get(rule.values, "from_port", 0), object.get(rule.values, "to_port", 65535))
	count(services) > 0
}

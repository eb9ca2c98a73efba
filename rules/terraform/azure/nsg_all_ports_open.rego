# METADATA
# title: Network security group allows every port from the internet
# description: >-
#   An inbound Allow rule from `*`, `Internet`, `0.0.0.0/0` or `::/0` to every
#   destination port (`*`, `0-65535` or `1-65535`) removes the network
#   security group as a control: whatever listens on the machines behind it,
#   now or later, including databases, debug endpoints, metrics exporters and
#   management agents, is reachable by anyone on the internet. This rule
#   reports the unrestricted rule itself, once per open source; CL-AZR-001
#   names the administration services such a rule also exposes. ISO/IEC 27002
#   10.6.1 asks for network controls that protect systems from untrusted
#   networks, and 11.4.6 asks that connections from shared and external
#   networks be restricted to what the business needs, which a rule allowing
#   every port cannot be. Rules are read from `security_rule` blocks of an
#   azurerm_network_security_group and from azurerm_network_security_rule
#   resources; ICMP, ESP and AH rules, which carry no ports, are not flagged.
#   A rule whose source, ports, protocol, direction or access is known only
#   after apply is reported as an inconclusive check, never as a finding.
# custom:
#   id: CL-AZR-002
#   severity: high
#   targets: [terraform]
#   provider: azure
#   controls:
#     iso27002:2005: ["10.6.1", "11.4.6"]
#     iso27002:2022: ["8.20"]
#   remediation: >-
#     Replace the rule with rules for the ports the service needs (for example
#     `protocol = "Tcp"`, `destination_port_ranges = ["443"]`), and set
#     `source_address_prefix` to known ranges or service tags for anything not
#     meant for the public.
#   applies_to: [azurerm_network_security_group, azurerm_network_security_rule]
package clause.rules.terraform.azure.nsg_all_ports_open

import data.clause.lib.azure as az
import data.clause.lib.azure.nsg_rule_unknowns
import data.clause.lib.azure.nsg_rules
import data.clause.lib.terraform as tf
import rego.v1

# what(protocol): what a rule to every port lets through, by protocol.
what("*") := "every port and protocol"

what("any") := "every port and protocol"

what("tcp") := "every TCP port"

what("udp") := "every UDP port"

# name(r): the rule as a message names it.
name(r) := sprintf("%s (rule %q)", [r.address, r.rule.name]) if {
	count(r.at) > 0
	is_string(r.rule.name)
}

name(r) := r.address if count(r.at) == 0

name(r) := r.address if {
	count(r.at) > 0
	not is_string(r.rule.name)
}

every_port(r) if {
	some range in az.port_ranges(r)
	az.every_port(range.value)
}

deny contains {"msg": msg, "label": "open to the internet", "path": tf.path(r.address, s.path)} if {
	some r in nsg_rules
	az.inbound_allow(r)
	every_port(r)
	text := what(az.protocol(r))
	some s in az.open_sources(r)
	msg := sprintf("%s allows %s from %q", [name(r), text, s.value])
}

# Checks that depend on a value known only after apply.

may_carry_ports(r) if what(az.protocol(r))

may_carry_ports(r) if tf.is_unknown(r.rule.protocol)

may_cover_all(r) if every_port(r)

may_cover_all(r) if {
	some range in az.port_ranges(r)
	tf.is_unknown(range.value)
}

may_expose(r) if {
	az.may_be_inbound_allow(r)
	may_carry_ports(r)
	may_cover_all(r)
}

described(r) := what(az.protocol(r)) if every_port(r)

described(r) := "every port" if not every_port(r)

described(r) := "every port" if {
	every_port(r)
	not what(az.protocol(r))
}

first_unknown(r) := {"path": path, "value": r.rule[path[count(path) - 1]]} if {
	path := az.undecided_direction(r)
} else := {"path": array.concat(r.at, ["protocol"]), "value": r.rule.protocol} if {
	tf.is_unknown(r.rule.protocol)
} else := {"path": range.path, "value": range.value} if {
	not every_port(r)
	some range in az.port_ranges(r)
	tf.is_unknown(range.value)
}

field(path) := path[count(path) - 1] if is_string(path[count(path) - 1])

field(path) := path[count(path) - 2] if is_number(path[count(path) - 1])

undecided contains {"msg": msg, "path": tf.path(r.address, s.path)} if {
	some r in nsg_rules
	may_expose(r)
	some s in az.unknown_sources(r)
	msg := sprintf("%s may allow %s from the internet: its source %s is known only after apply", [name(r), described(r), s.value.__unknown__])
}

undecided contains {"msg": msg, "path": tf.path(r.address, u.path)} if {
	some r in nsg_rules
	may_expose(r)
	count(az.open_sources(r)) > 0
	u := first_unknown(r)
	msg := sprintf("%s may allow %s from the internet: %s", [name(r), described(r), az.unknown_text(field(u.path), u.value)])
}

undecided contains {"msg": msg, "path": tf.path(u.address, u.path)} if {
	some u in nsg_rule_unknowns
	msg := sprintf("%s may allow every port from the internet: its security rules (%s) are known only after apply", [u.address, u.value.__unknown__])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

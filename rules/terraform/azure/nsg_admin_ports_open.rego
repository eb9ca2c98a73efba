# METADATA
# title: Network security group opens remote administration ports to the internet
# description: >-
#   An inbound Allow rule whose source is `*`, `Internet`, `0.0.0.0/0` or
#   `::/0` and whose destination ports include SSH (22), RDP (3389), Telnet
#   (23) or WinRM (5985, 5986) puts the virtual machines' administration
#   interfaces in front of every scanner and password-guessing bot on the
#   internet; RDP and SSH endpoints on Azure public IP addresses are attacked
#   within minutes of creation. ISO/IEC 27002 11.4.4 asks that remote
#   diagnostic and configuration ports be protected so that only authorised
#   administrators can reach them, and 10.6.1 asks for network controls that
#   keep untrusted networks away from systems. Rules are read however they
#   are written: `security_rule` blocks of an azurerm_network_security_group
#   and separate azurerm_network_security_rule resources, with
#   `source_address_prefix` or `source_address_prefixes`, and
#   `destination_port_range` or `destination_port_ranges` given as single
#   ports, ranges (`"20-25"`) or `*`, for protocol `Tcp` or `*`. A rule whose
#   source, ports, protocol, direction or access is known only after apply is
#   reported as an inconclusive check, never as a finding.
# custom:
#   id: CL-AZR-001
#   severity: high
#   targets: [terraform]
#   provider: azure
#   controls:
#     iso27002:2005: ["11.4.4", "10.6.1"]
#     iso27002:2022: ["8.20"]
#   remediation: >-
#     Set the rule's `source_address_prefix` (or `source_address_prefixes`) to
#     your administration network or VPN range instead of `*`/`Internet`, or
#     remove the rule and reach the machines through Azure Bastion or
#     just-in-time VM access in Microsoft Defender for Cloud.
#   applies_to: [azurerm_network_security_group, azurerm_network_security_rule]
package clause.rules.terraform.azure.nsg_admin_ports_open

import data.clause.lib.azure as az
import data.clause.lib.azure.nsg_rule_unknowns
import data.clause.lib.azure.nsg_rules
import data.clause.lib.terraform as tf
import rego.v1

admin_services := [
	{"name": "SSH", "ports": [22]},
	{"name": "Telnet", "ports": [23]},
	{"name": "RDP", "ports": [3389]},
	{"name": "WinRM", "ports": [5985, 5986]},
]

# exposed(r): the administration services whose ports the rule's known port
# ranges include, with those ports ("WinRM (5985, 5986)").
exposed(r) := [sprintf("%s (%s)", [svc.name, concat(", ", ports)]) |
	some svc in admin_services
	ports := [sprintf("%d", [p]) | some p in svc.ports; covered(r, p)]
	count(ports) > 0
]

covered(r, p) if {
	some range in az.port_ranges(r)
	az.covers(range.value, p)
}

services(r) := concat(", ", exposed(r))

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

deny contains {"msg": msg, "label": "open to the internet", "path": tf.path(r.address, s.path)} if {
	some r in nsg_rules
	az.inbound_allow(r)
	az.carries_tcp(r)
	count(exposed(r)) > 0
	some s in az.open_sources(r)
	msg := sprintf("%s allows %s from %q", [name(r), services(r), s.value])
}

# Checks that depend on a value known only after apply.

# may_carry_tcp(r): the protocol is TCP or any, or known only after apply.
may_carry_tcp(r) if az.carries_tcp(r)

may_carry_tcp(r) if tf.is_unknown(r.rule.protocol)

# may_cover(r): a port range includes an administration port, or is known
# only after apply.
may_cover(r) if count(exposed(r)) > 0

may_cover(r) if {
	some range in az.port_ranges(r)
	tf.is_unknown(range.value)
}

may_expose(r) if {
	az.may_be_inbound_allow(r)
	may_carry_tcp(r)
	may_cover(r)
}

what(r) := services(r) if count(exposed(r)) > 0

what(r) := "remote administration ports" if count(exposed(r)) == 0

# first_unknown(r): for a rule open to the internet, the value known only
# after apply that decides whether it exposes an administration port.
first_unknown(r) := {"path": path, "value": r.rule[path[count(path) - 1]]} if {
	path := az.undecided_direction(r)
} else := {"path": array.concat(r.at, ["protocol"]), "value": r.rule.protocol} if {
	tf.is_unknown(r.rule.protocol)
} else := {"path": range.path, "value": range.value} if {
	count(exposed(r)) == 0
	some range in az.port_ranges(r)
	tf.is_unknown(range.value)
}

# A source known only after apply.
undecided contains {"msg": msg, "path": tf.path(r.address, s.path)} if {
	some r in nsg_rules
	may_expose(r)
	some s in az.unknown_sources(r)
	msg := sprintf("%s may allow %s from the internet: its source %s is known only after apply", [name(r), what(r), s.value.__unknown__])
}

# Open to the internet, but the direction, access, protocol or ports are
# known only after apply.
undecided contains {"msg": msg, "path": tf.path(r.address, u.path)} if {
	some r in nsg_rules
	may_expose(r)
	count(az.open_sources(r)) > 0
	u := first_unknown(r)
	msg := sprintf("%s may allow %s from the internet: %s", [name(r), what(r), az.unknown_text(field(u.path), u.value)])
}

# The group's rules themselves are known only after apply.
undecided contains {"msg": msg, "path": tf.path(u.address, u.path)} if {
	some u in nsg_rule_unknowns
	msg := sprintf("%s may open remote administration ports to the internet: its security rules (%s) are known only after apply", [u.address, u.value.__unknown__])
}

# field(path): the argument a path ends in (the list, for a list element).
field(path) := path[count(path) - 1] if is_string(path[count(path) - 1])

field(path) := path[count(path) - 2] if is_number(path[count(path) - 1])

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

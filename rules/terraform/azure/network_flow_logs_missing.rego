# METADATA
# title: Virtual network traffic is not recorded by flow logs
# description: >-
#   Without Network Watcher flow logs there is no record of which addresses
#   talked to which inside a virtual network or across its boundary: port
#   scans, connections to known bad hosts, data exfiltration and lateral
#   movement leave no trace, and an incident cannot be scoped afterwards.
#   ISO/IEC 27002 10.10.2 asks for procedures to monitor the use of
#   information processing facilities, and network flow records are the basic
#   input of that monitoring. A virtual network counts as covered when an
#   azurerm_network_watcher_flow_log of the module targets it
#   (`target_resource_id`, the virtual network flow logs that replace NSG flow
#   logs), one of its subnets or of their network interfaces, or a network
#   security group attached to one of them (`network_security_group_id`, the
#   NSG flow logs of azurerm 2.x/3.x; an inline `subnet` block's
#   `security_group`, an azurerm_subnet_network_security_group_association or
#   an azurerm_network_interface_security_group_association). A flow log with
#   `enabled = false` records nothing and is flagged itself. Flow logs deployed
#   outside Terraform (for example by the Azure Policy that deploys them) are
#   not visible to clause; when a flow log of the module names its target in a
#   way clause cannot resolve (a variable, a module output), the virtual
#   networks it may cover are reported as inconclusive checks, not findings.
# custom:
#   id: CL-AZR-009
#   severity: medium
#   targets: [terraform]
#   provider: azure
#   controls:
#     iso27002:2005: ["10.10.2"]
#     iso27002:2022: ["8.16"]
#   remediation: >-
#     Add an azurerm_network_watcher_flow_log with `target_resource_id =
#     azurerm_virtual_network.<name>.id`, `enabled = true`, a
#     `storage_account_id`, a `retention_policy` (for example `enabled = true`,
#     `days = 90`) and optionally `traffic_analytics` to a Log Analytics
#     workspace; set `enabled = true` on flow logs that are switched off.
#   applies_to: [azurerm_virtual_network, azurerm_network_watcher_flow_log]
package clause.rules.terraform.azure.network_flow_logs_missing

import data.clause.lib.azure as az
import data.clause.lib.terraform as tf
import rego.v1

flow_logs := tf.resources("azurerm_network_watcher_flow_log")

# targets(fl): what a flow log records, in either argument.
targets(fl) := [fl.values[key] |
	some key in ["target_resource_id", "network_security_group_id"]
	not tf.missing(fl.values, key)
]

# subnets(address, vnet): the subnets of a virtual network declared as
# azurerm_subnet resources.
subnets(address, vnet) := {a: s |
	some a, s in tf.resources("azurerm_subnet")
	tf.links(s.values.virtual_network_name, address, vnet)
}

# interfaces(address, vnet): the addresses of the network interfaces with an
# IP configuration in one of its subnets.
interfaces(address, vnet) := {n |
	some sa, _ in subnets(address, vnet)
	some n, nic in tf.resources("azurerm_network_interface")
	some ip in tf.blocks(nic.values, "ip_configuration")
	is_object(ip)
	tf.refers_to(ip.subnet_id, sa)
}

# groups(address, vnet): the addresses of the network security groups
# attached to its subnets (inline or by association) or to the network
# interfaces in them.
groups(address, vnet) := {g |
	some block in tf.blocks(vnet.values, "subnet")
	is_object(block)
	some g, _ in tf.resources("azurerm_network_security_group")
	tf.refers_to(block.security_group, g)
} | {g |
	some sa, _ in subnets(address, vnet)
	some _, assoc in tf.resources("azurerm_subnet_network_security_group_association")
	tf.refers_to(assoc.values.subnet_id, sa)
	some g, _ in tf.resources("azurerm_network_security_group")
	tf.refers_to(assoc.values.network_security_group_id, g)
} | {g |
	some n in interfaces(address, vnet)
	some _, assoc in tf.resources("azurerm_network_interface_security_group_association")
	tf.refers_to(assoc.values.network_interface_id, n)
	some g, _ in tf.resources("azurerm_network_security_group")
	tf.refers_to(assoc.values.network_security_group_id, g)
}

# members(address, vnet): what a flow log may target to record (part of) the
# network's traffic: its subnets, their network interfaces and the security
# groups attached to either.
members(address, vnet) := {sa | some sa, _ in subnets(address, vnet)} | interfaces(address, vnet) | groups(address, vnet)

# records(v, address, vnet): a flow log target names the network or one of
# its members.
records(v, address, _) if tf.refers_to(v, address)

records(v, address, vnet) if {
	some m in members(address, vnet)
	tf.refers_to(v, m)
}

covered(address, vnet) if {
	some _, fl in flow_logs
	some v in targets(fl)
	records(v, address, vnet)
}

maybe_covered_by(address, vnet) := sort({sprintf("%s (target %s)", [a, az.shown(t)]) |
	some a, fl in flow_logs
	some t in targets(fl)
	may_record(t, address, vnet)
})

may_record(v, address, vnet) if az.may_name(v, address, vnet)

may_record(v, address, vnet) if {
	some sa, s in subnets(address, vnet)
	az.may_name(v, sa, s)
}

deny contains {"msg": msg, "label": "no flow logs", "path": tf.resource_path(address)} if {
	some address, vnet in tf.resources("azurerm_virtual_network")
	not covered(address, vnet)
	count(maybe_covered_by(address, vnet)) == 0
	msg := sprintf("%s has no flow log: no azurerm_network_watcher_flow_log targets it, its subnets, their network interfaces or their network security groups, so its traffic is not recorded", [address])
}

deny contains {"msg": msg, "label": "flow log disabled", "path": tf.path(address, ["enabled"])} if {
	some address, fl in flow_logs
	tf.is_false(fl.values.enabled)
	msg := sprintf("%s is disabled (enabled = false): it records no traffic", [address])
}

# Checks that depend on a value known only after apply.

undecided contains {"msg": msg, "path": tf.resource_path(address)} if {
	some address, vnet in tf.resources("azurerm_virtual_network")
	not covered(address, vnet)
	others := maybe_covered_by(address, vnet)
	count(others) > 0
	msg := sprintf("%s may have no flow log: none targets it for certain, and the target of %s is known only after apply", [address, concat(", ", others)])
}

undecided contains {"msg": msg, "path": tf.path(address, ["enabled"])} if {
	some address, fl in flow_logs
	tf.is_unknown(fl.values.enabled)
	msg := sprintf("%s may record no traffic: %s", [address, az.unknown_text("enabled", fl.values.enabled)])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

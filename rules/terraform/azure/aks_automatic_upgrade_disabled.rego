# METADATA
# title: AKS cluster does not receive upgrades automatically
# description: >-
#   Kubernetes patch releases and node images carry the fixes for published
#   vulnerabilities in the API server, the kubelet, the container runtime and
#   the node operating system. An AKS cluster without an automatic upgrade
#   channel stays on its version until someone upgrades it by hand, and
#   clusters left that way fall behind and out of support; a node OS channel
#   of `None` leaves the nodes without security patches. ISO/IEC 27002 12.6.1
#   asks that information about technical vulnerabilities be obtained in a
#   timely fashion and appropriate measures taken, and an upgrade channel is
#   how AKS applies those measures. The cluster channel is
#   `automatic_upgrade_channel` in azurerm 4.x and `automatic_channel_upgrade`
#   before; it is unset (no automatic upgrades) by default and flagged when
#   unset or `none`. The node OS channel (`node_os_upgrade_channel`, formerly
#   `node_os_channel_upgrade`) defaults to `NodeImage` and is flagged when set
#   to `None`. Teams that upgrade through their own pipeline should document
#   that as the measure and suppress this rule. Values known only after apply
#   are reported as inconclusive checks.
# custom:
#   id: CL-AZR-021
#   severity: low
#   targets: [terraform]
#   provider: azure
#   controls:
#     iso27002:2005: ["12.6.1"]
#     iso27002:2022: ["8.8"]
#   remediation: >-
#     Set `automatic_upgrade_channel = "patch"` (or `"stable"`;
#     `automatic_channel_upgrade` on azurerm 3.x) with a `maintenance_window_auto_upgrade`
#     block to choose when it happens, and keep `node_os_upgrade_channel` at
#     `"NodeImage"` or `"SecurityPatch"`.
#   applies_to: [azurerm_kubernetes_cluster]
package clause.rules.terraform.azure.aks_automatic_upgrade_disabled

import data.clause.lib.azure as az
import data.clause.lib.terraform as tf
import rego.v1

cluster_keys := ["automatic_upgrade_channel", "automatic_channel_upgrade"]

node_keys := ["node_os_upgrade_channel", "node_os_channel_upgrade"]

deny contains {"msg": msg, "label": "no automatic upgrades", "path": tf.resource_path(address)} if {
	some address, aks in tf.resources("azurerm_kubernetes_cluster")
	az.unset(aks.values, cluster_keys)
	msg := sprintf("%s is never upgraded automatically: automatic_upgrade_channel is not set, so Kubernetes patch releases wait for a manual upgrade", [address])
}

deny contains {"msg": msg, "label": "no automatic upgrades", "path": tf.path(address, [s.key])} if {
	some address, aks in tf.resources("azurerm_kubernetes_cluster")
	s := az.named(aks.values, cluster_keys)
	az.lower_text(s.value) == "none"
	msg := sprintf("%s is never upgraded automatically (%s = %q)", [address, s.key, s.value])
}

deny contains {"msg": msg, "label": "nodes unpatched", "path": tf.path(address, [s.key])} if {
	some address, aks in tf.resources("azurerm_kubernetes_cluster")
	s := az.named(aks.values, node_keys)
	az.lower_text(s.value) == "none"
	msg := sprintf("%s never patches its nodes' operating system (%s = %q)", [address, s.key, s.value])
}

undecided contains {"msg": msg, "path": tf.path(address, [s.key])} if {
	some address, aks in tf.resources("azurerm_kubernetes_cluster")
	some keys in [cluster_keys, node_keys]
	s := az.named(aks.values, keys)
	tf.is_unknown(s.value)
	msg := sprintf("%s may not be upgraded automatically: %s", [address, az.unknown_text(s.key, s.value)])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

# METADATA
# title: AKS cluster has no network policy engine
# description: >-
#   Without a network policy engine, every pod of an AKS cluster can open
#   connections to every other pod, in every namespace, and Kubernetes
#   NetworkPolicy objects are accepted but silently ignored: one compromised
#   workload can reach databases, internal APIs and the other tenants of the
#   cluster. ISO/IEC 27002 11.4.5 asks that groups of information services,
#   users and systems be segregated on networks, and inside a cluster that
#   segregation is enforced by the network policy engine. A cluster is
#   flagged when its `network_profile` has no `network_policy` (`azure`,
#   `calico` or `cilium`), including clusters with no `network_profile` at
#   all (kubenet without policies). Clusters on the Cilium data plane
#   (`network_data_plane = "cilium"`, or `ebpf_data_plane` in azurerm 3.x)
#   enforce policies whatever `network_policy` says and are not flagged. A
#   value known only after apply is reported as an inconclusive check.
# custom:
#   id: CL-AZR-024
#   severity: medium
#   targets: [terraform]
#   provider: azure
#   controls:
#     iso27002:2005: ["11.4.5"]
#     iso27002:2022: ["8.22"]
#   remediation: >-
#     Add `network_profile { network_plugin = "azure", network_policy =
#     "azure" }` (or `"calico"`, or `network_data_plane = "cilium"` with
#     `network_policy = "cilium"`), then write NetworkPolicy objects that deny
#     traffic by default in each namespace. Changing the policy engine of an
#     existing cluster may require recreating it.
#   applies_to: [azurerm_kubernetes_cluster]
package clause.rules.terraform.azure.aks_network_policy_missing

import data.clause.lib.azure as az
import data.clause.lib.terraform as tf
import rego.v1

data_plane_keys := ["network_data_plane", "ebpf_data_plane"]

profiles(values) := [{"block": p, "at": ["network_profile", i]} |
	some i, p in tf.blocks(values, "network_profile")
	is_object(p)
]

cilium(p) if {
	s := az.named(p, data_plane_keys)
	az.lower_text(s.value) == "cilium"
}

undecided_plane(p) := s if {
	s := az.named(p, data_plane_keys)
	tf.is_unknown(s.value)
}

deny contains {"msg": msg, "label": "no network policy", "path": tf.resource_path(address)} if {
	some address, aks in tf.resources("azurerm_kubernetes_cluster")
	count(profiles(aks.values)) == 0
	not tf.is_unknown(aks.values.network_profile)
	msg := sprintf("%s has no network policy engine: it has no network_profile, so every pod can reach every other pod and NetworkPolicy objects are ignored", [address])
}

deny contains {"msg": msg, "label": "no network policy", "path": tf.path(address, p.at)} if {
	some address, aks in tf.resources("azurerm_kubernetes_cluster")
	some p in profiles(aks.values)
	tf.missing(p.block, "network_policy")
	not cilium(p.block)
	not undecided_plane(p.block)
	msg := sprintf("%s has no network policy engine: network_profile has no network_policy, so every pod can reach every other pod and NetworkPolicy objects are ignored", [address])
}

undecided contains {"msg": msg, "path": tf.path(address, array.concat(p.at, ["network_policy"]))} if {
	some address, aks in tf.resources("azurerm_kubernetes_cluster")
	some p in profiles(aks.values)
	tf.is_unknown(p.block.network_policy)
	not cilium(p.block)
	msg := sprintf("%s may have no network policy engine: %s", [address, az.unknown_text("network_policy", p.block.network_policy)])
}

undecided contains {"msg": msg, "path": tf.path(address, array.concat(p.at, [s.key]))} if {
	some address, aks in tf.resources("azurerm_kubernetes_cluster")
	some p in profiles(aks.values)
	tf.missing(p.block, "network_policy")
	s := undecided_plane(p.block)
	msg := sprintf("%s may have no network policy engine: it sets no network_policy, and %s", [address, az.unknown_text(s.key, s.value)])
}

undecided contains {"msg": msg, "path": tf.path(address, ["network_profile"])} if {
	some address, aks in tf.resources("azurerm_kubernetes_cluster")
	tf.is_unknown(aks.values.network_profile)
	msg := sprintf("%s may have no network policy engine: its network_profile (%s) is known only after apply", [address, aks.values.network_profile.__unknown__])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

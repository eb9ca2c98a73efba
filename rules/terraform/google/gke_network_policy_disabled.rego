# METADATA
# title: GKE cluster does not enforce Kubernetes network policies
# description: >-
#   Kubernetes NetworkPolicy objects only take effect when the cluster runs a
#   network policy enforcer. Without one every pod can open connections to
#   every other pod and service in the cluster, across namespaces and tenants,
#   and the policies teams write are silently ignored: a compromised pod can
#   reach databases, internal APIs and the pods of other applications. ISO/IEC
#   27002 11.4.5 asks that groups of services and systems be segregated on
#   networks; inside a cluster that segregation is network policy. A
#   `google_container_cluster` enforces policies with `network_policy {
#   enabled = true }` (Calico), with GKE Dataplane V2 (`datapath_provider =
#   "ADVANCED_DATAPATH"`), or as an Autopilot cluster (`enable_autopilot =
#   true`, which uses Dataplane V2); any other cluster is flagged. A setting
#   known only after apply makes the check inconclusive.
# custom:
#   id: CL-GCP-016
#   severity: medium
#   targets: [terraform]
#   provider: google
#   controls:
#     iso27002:2005: ["11.4.5"]
#     iso27002:2022: ["8.22"]
#   remediation: >-
#     Create the cluster with `datapath_provider = "ADVANCED_DATAPATH"`
#     (Dataplane V2), or set `network_policy { enabled = true, provider =
#     "CALICO" }` together with `addons_config { network_policy_config {
#     disabled = false } }`, then add default-deny NetworkPolicies per
#     namespace.
#   applies_to: [google_container_cluster]
package clause.rules.terraform.google.gke_network_policy_disabled

import data.clause.lib.terraform as tf
import rego.v1

policy_block(values) := found[0] if {
	found := [{"value": object.get(p, "enabled", null), "path": enabled_path(p, i)} |
		some i, p in tf.blocks(values, "network_policy")
		is_object(p)
	]
	count(found) > 0
}

enabled_path(p, i) := ["network_policy", i, "enabled"] if tf.has_key(p, "enabled")

enabled_path(p, i) := ["network_policy", i] if not tf.has_key(p, "enabled")

enforced(values) if tf.is_true(policy_block(values).value)

enforced(values) if values.datapath_provider == "ADVANCED_DATAPATH"

enforced(values) if tf.is_true(values.enable_autopilot)

# undecided(values): the settings known only after apply that could make the
# cluster enforce policies.
undecided(values) := [u |
	some u in candidates(values)
	tf.is_unknown(u.value)
]

candidates(values) := array.concat(
	[{"value": policy_block(values).value, "path": policy_block(values).path} | policy_block(values)],
	[{"value": values[key], "path": [key]} | some key in ["datapath_provider", "enable_autopilot"]; tf.has_key(values, key)],
)

deny contains {"msg": msg, "label": "no network policy", "path": tf.path(address, p.path)} if {
	some address, cluster in tf.resources("google_container_cluster")
	not enforced(cluster.values)
	count(undecided(cluster.values)) == 0
	p := policy_block(cluster.values)
	msg := sprintf("%s does not enforce network policies: %s, and Dataplane V2 is not used", [address, state(p)])
}

deny contains {"msg": msg, "label": "no network policy", "path": tf.resource_path(address)} if {
	some address, cluster in tf.resources("google_container_cluster")
	not enforced(cluster.values)
	count(undecided(cluster.values)) == 0
	not policy_block(cluster.values)
	msg := sprintf("%s does not enforce network policies: it has no network_policy block, and Dataplane V2 (datapath_provider = \"ADVANCED_DATAPATH\") is not used", [address])
}

state(p) := "network_policy.enabled = false" if tf.is_false(p.value)

state(p) := "network_policy.enabled is not set and defaults to false" if p.value == null

# Checks that depend on a value known only after apply.
inconclusive contains {"msg": msg, "path": tf.path(address, u.path)} if {
	some address, cluster in tf.resources("google_container_cluster")
	not enforced(cluster.values)
	u := undecided(cluster.values)[0]
	msg := sprintf("%s may not enforce network policies: %s = %s is known only after apply", [address, u.path[count(u.path) - 1], u.value.__unknown__])
}

# METADATA
# title: GKE nodes or cluster are kept out of automatic upgrades
# description: >-
#   GKE ships Kubernetes and node image security patches through upgrades.
#   A node pool with `management.auto_upgrade = false` keeps running its
#   node image and kubelet until someone upgrades it by hand, so published
#   vulnerabilities in the kernel, container runtime and Kubernetes stay
#   exploitable for as long as that takes; a cluster with `release_channel {
#   channel = "UNSPECIFIED" }` leaves the release channels, whose automatic,
#   staged upgrades are how GKE delivers those patches promptly. ISO/IEC
#   27002 12.6.1 asks that information about technical vulnerabilities be
#   obtained in a timely way and that exposure be remedied by patching;
#   automatic upgrades within maintenance windows are the controlled way to
#   do that on GKE. The rule reads node pools (`google_container_node_pool`,
#   inline `node_pool` blocks and node auto-provisioning defaults) and the
#   cluster's release channel; auto-upgrade is on by default (provider 5.0 and
#   later) and clusters without a `release_channel` block join the REGULAR
#   channel, so only explicit opt-outs are flagged. A setting known only
#   after apply makes the check inconclusive.
# custom:
#   id: CL-GCP-023
#   severity: medium
#   targets: [terraform]
#   provider: google
#   controls:
#     iso27002:2005: ["12.6.1"]
#     iso27002:2022: ["8.8"]
#   remediation: >-
#     Remove `auto_upgrade = false` from `management` blocks (or set it to
#     true), enrol the cluster in a channel with `release_channel { channel =
#     "REGULAR" }` (or `"STABLE"`), and control timing with
#     `maintenance_policy` windows and exclusions instead of opting out.
#   applies_to: [google_container_cluster, google_container_node_pool]
package clause.rules.terraform.google.gke_auto_upgrade_disabled

import data.clause.lib.terraform as tf
import rego.v1

# Every management block: {"address", "what", "value", "path"}.
settings contains {"address": address, "what": address, "value": m.auto_upgrade, "path": ["management", i, "auto_upgrade"]} if {
	some address, np in tf.resources("google_container_node_pool")
	some i, m in tf.blocks(np.values, "management")
	tf.has_key(m, "auto_upgrade")
}

settings contains {"address": address, "what": sprintf("%s (node pool %v)", [address, object.get(np, "name", i)]), "value": m.auto_upgrade, "path": ["node_pool", i, "management", j, "auto_upgrade"]} if {
	some address, cluster in tf.resources("google_container_cluster")
	some i, np in tf.blocks(cluster.values, "node_pool")
	is_object(np)
	some j, m in tf.blocks(np, "management")
	tf.has_key(m, "auto_upgrade")
}

settings contains {"address": address, "what": sprintf("%s (node auto-provisioning)", [address]), "value": m.auto_upgrade, "path": ["cluster_autoscaling", i, "auto_provisioning_defaults", j, "management", k, "auto_upgrade"]} if {
	some address, cluster in tf.resources("google_container_cluster")
	some i, ca in tf.blocks(cluster.values, "cluster_autoscaling")
	some j, d in tf.blocks(ca, "auto_provisioning_defaults")
	some k, m in tf.blocks(d, "management")
	tf.has_key(m, "auto_upgrade")
}

deny contains {"msg": msg, "label": "no automatic upgrades", "path": tf.path(s.address, s.path)} if {
	some s in settings
	tf.is_false(s.value)
	msg := sprintf("%s does not upgrade its nodes automatically (auto_upgrade = false), so security patches wait for a manual upgrade", [s.what])
}

channels contains {"address": address, "value": c.channel, "path": ["release_channel", i, "channel"]} if {
	some address, cluster in tf.resources("google_container_cluster")
	some i, c in tf.blocks(cluster.values, "release_channel")
	tf.has_key(c, "channel")
}

deny contains {"msg": msg, "label": "no release channel", "path": tf.path(c.address, c.path)} if {
	some c in channels
	c.value == "UNSPECIFIED"
	msg := sprintf("%s is not enrolled in a release channel (channel = \"UNSPECIFIED\"), so it does not receive GKE's staged automatic upgrades", [c.address])
}

# Checks that depend on a value known only after apply.
inconclusive contains {"msg": msg, "path": tf.path(s.address, s.path)} if {
	some s in settings
	tf.is_unknown(s.value)
	msg := sprintf("%s may not upgrade its nodes automatically: auto_upgrade = %s is known only after apply", [s.what, s.value.__unknown__])
}

inconclusive contains {"msg": msg, "path": tf.path(c.address, c.path)} if {
	some c in channels
	tf.is_unknown(c.value)
	msg := sprintf("%s may not be enrolled in a release channel: channel = %s is known only after apply", [c.address, c.value.__unknown__])
}

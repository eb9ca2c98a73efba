# METADATA
# title: GKE nodes have public IP addresses
# description: >-
#   Unless private nodes are enabled, every GKE node gets an external IP
#   address, so the kubelet, NodePorts, host-network pods and anything else
#   listening on the nodes is one firewall rule away from the internet, and
#   the nodes reach the internet directly rather than through a controlled
#   egress point. ISO/IEC 27002 11.6.2 asks that sensitive systems run in an
#   isolated computing environment; private nodes keep a cluster's machines on
#   internal addresses only, reachable from the VPC and through load
#   balancers the cluster publishes. A `google_container_cluster` is flagged
#   when `private_cluster_config.enable_private_nodes` is not true, unless it
#   has no default node pool and every node pool of the module that belongs to
#   it sets `network_config.enable_private_nodes = true`. A node pool (inline
#   or `google_container_node_pool`) that sets
#   `network_config.enable_private_nodes = false` overrides the cluster and is
#   flagged too. A setting known only after apply makes the check
#   inconclusive.
# custom:
#   id: CL-GCP-006
#   severity: medium
#   targets: [terraform]
#   provider: google
#   controls:
#     iso27002:2005: ["11.6.2"]
#     iso27002:2022: ["8.22"]
#   remediation: >-
#     Add `private_cluster_config { enable_private_nodes = true }` (with a
#     `master_ipv4_cidr_block` for the control plane on older versions) and a
#     Cloud NAT for outbound traffic; remove `enable_private_nodes = false`
#     from node pools' `network_config`.
#   applies_to: [google_container_cluster, google_container_node_pool]
package clause.rules.terraform.google.gke_private_nodes_disabled

import data.clause.lib.terraform as tf
import rego.v1

clusters := tf.resources("google_container_cluster")

# The cluster-wide setting: where it is (or would be) and its value.
cluster_setting(values) := found[0] if {
	found := [{"value": p.enable_private_nodes, "path": ["private_cluster_config", i, "enable_private_nodes"]} |
		some i, p in tf.blocks(values, "private_cluster_config")
		tf.has_key(p, "enable_private_nodes")
	]
	count(found) > 0
}

cluster_setting(values) := {"value": null, "path": ["private_cluster_config", 0]} if {
	count(tf.blocks(values, "private_cluster_config")) > 0
	every p in tf.blocks(values, "private_cluster_config") {
		not tf.has_key(p, "enable_private_nodes")
	}
}

cluster_setting(values) := {"value": null, "path": []} if count(tf.blocks(values, "private_cluster_config")) == 0

# Node pools of a cluster: inline blocks, and pools of the module that name it.
pools(address, cluster) := array.concat(
	[{"address": address, "values": np, "at": ["node_pool", i]} |
		some i, np in tf.blocks(cluster.values, "node_pool")
		is_object(np)
	],
	[{"address": a, "values": np.values, "at": []} |
		some a, np in tf.resources("google_container_node_pool")
		tf.links(np.values.cluster, address, cluster)
	],
)

pool_setting(pool) := found[0] if {
	found := [{"value": n.enable_private_nodes, "path": array.concat(pool.at, ["network_config", j, "enable_private_nodes"])} |
		some j, n in tf.blocks(pool.values, "network_config")
		tf.has_key(n, "enable_private_nodes")
	]
	count(found) > 0
}

has_default_pool(cluster) if {
	count(tf.blocks(cluster.values, "node_pool")) == 0
	not tf.is_true(cluster.values.remove_default_node_pool)
}

# Every node of the cluster is private through its pools' own settings.
private_by_pools(address, cluster) if {
	not has_default_pool(cluster)
	ps := pools(address, cluster)
	count(ps) > 0
	every pool in ps {
		tf.is_true(pool_setting(pool).value)
	}
}

public_cluster(address, cluster) if {
	s := cluster_setting(cluster.values)
	not tf.is_true(s.value)
	not tf.is_unknown(s.value)
	not private_by_pools(address, cluster)
}

path_in(address, rest) := tf.resource_path(address) if count(rest) == 0

path_in(address, rest) := tf.path(address, rest) if count(rest) > 0

deny contains {"msg": msg, "label": "public node IPs", "path": path_in(address, s.path)} if {
	some address, cluster in clusters
	public_cluster(address, cluster)
	s := cluster_setting(cluster.values)
	msg := sprintf("%s gives its nodes public IP addresses: %s", [address, why(s)])
}

why(s) := "private_cluster_config.enable_private_nodes = false" if tf.is_false(s.value)

why(s) := "private_cluster_config.enable_private_nodes is not set" if s.value == null

deny contains {"msg": msg, "label": "public node IPs", "path": tf.path(pool.address, s.path)} if {
	some address, cluster in clusters
	some pool in pools(address, cluster)
	s := pool_setting(pool)
	tf.is_false(s.value)
	msg := sprintf("%s gives its nodes public IP addresses (network_config.enable_private_nodes = false)", [pool_name(pool)])
}

# Pools whose cluster is not in the module.
deny contains {"msg": msg, "label": "public node IPs", "path": tf.path(a, s.path)} if {
	some a, np in tf.resources("google_container_node_pool")
	not in_module_cluster(np)
	pool := {"address": a, "values": np.values, "at": []}
	s := pool_setting(pool)
	tf.is_false(s.value)
	msg := sprintf("%s gives its nodes public IP addresses (network_config.enable_private_nodes = false)", [a])
}

in_module_cluster(np) if {
	some address, cluster in clusters
	tf.links(np.values.cluster, address, cluster)
}

pool_name(pool) := pool.address if count(pool.at) == 0

pool_name(pool) := sprintf("%s (node pool %v)", [pool.address, object.get(pool.values, "name", pool.at[1])]) if count(pool.at) > 0

# Checks that depend on a value known only after apply.
inconclusive contains {"msg": msg, "path": tf.path(address, s.path)} if {
	some address, cluster in clusters
	s := cluster_setting(cluster.values)
	tf.is_unknown(s.value)
	not private_by_pools(address, cluster)
	msg := sprintf("%s may give its nodes public IP addresses: enable_private_nodes = %s is known only after apply", [address, s.value.__unknown__])
}

inconclusive contains {"msg": msg, "path": tf.path(a, s.path)} if {
	some a, np in tf.resources("google_container_node_pool")
	s := pool_setting({"address": a, "values": np.values, "at": []})
	tf.is_unknown(s.value)
	msg := sprintf("%s may give its nodes public IP addresses: network_config.enable_private_nodes = %s is known only after apply", [a, s.value.__unknown__])
}

inconclusive contains {"msg": msg, "path": tf.path(address, s.path)} if {
	some address, cluster in clusters
	some i, np in tf.blocks(cluster.values, "node_pool")
	is_object(np)
	s := pool_setting({"address": address, "values": np, "at": ["node_pool", i]})
	tf.is_unknown(s.value)
	msg := sprintf("%s may give a node pool's nodes public IP addresses: network_config.enable_private_nodes = %s is known only after apply", [address, s.value.__unknown__])
}

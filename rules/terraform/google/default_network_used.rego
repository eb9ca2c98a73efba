# METADATA
# title: Workloads use the default network or an auto-mode VPC network
# description: >-
#   An auto-mode VPC network (`auto_create_subnetworks`, true unless set to
#   false) creates a subnet in every region from the same fixed
#   10.128.0.0/9 plan, whether or not anything should run there, so networks
#   cannot be planned, peered or segmented by purpose. The `default` network
#   every project starts with is such a network, and comes with firewall rules
#   that allow all traffic between its instances and SSH, RDP and ICMP from
#   anywhere: workloads placed in it share one flat, pre-opened network with
#   everything else in the project. ISO/IEC 27002 11.4.5 asks that groups of
#   information services, users and systems be segregated on networks; that
#   starts with custom-mode networks whose subnets and firewall rules are
#   designed for what runs in them. The rule flags `google_compute_network`
#   without `auto_create_subnetworks = false`, instances and templates whose
#   `network_interface` uses the network named `default`, and GKE clusters
#   that name no network (and so use `default`) or name it. A setting known
#   only after apply makes the check inconclusive.
# custom:
#   id: CL-GCP-015
#   severity: medium
#   targets: [terraform]
#   provider: google
#   controls:
#     iso27002:2005: ["11.4.5"]
#     iso27002:2022: ["8.22"]
#   remediation: >-
#     Create custom-mode networks (`auto_create_subnetworks = false`) with
#     `google_compute_subnetwork` resources for the regions and purposes you
#     need, attach workloads to them with `network`/`subnetwork`, and delete
#     the `default` network (or enforce the
#     `compute.skipDefaultNetworkCreation` organization policy).
#   applies_to: [google_compute_network, google_compute_instance, google_compute_instance_template, google_compute_region_instance_template, google_container_cluster]
package clause.rules.terraform.google.default_network_used

import data.clause.lib.google as gcp
import data.clause.lib.terraform as tf
import rego.v1

vm_types := ["google_compute_instance", "google_compute_instance_template", "google_compute_region_instance_template"]

# Auto-mode networks.
deny contains {"msg": msg, "label": "auto-mode network", "path": tf.path(address, ["auto_create_subnetworks"])} if {
	some address, net in tf.resources("google_compute_network")
	tf.is_true(net.values.auto_create_subnetworks)
	msg := sprintf("%s is an auto-mode network: it creates a subnet with a fixed range in every region (auto_create_subnetworks = true)", [address])
}

deny contains {"msg": msg, "label": "auto-mode network", "path": tf.resource_path(address)} if {
	some address, net in tf.resources("google_compute_network")
	tf.missing(net.values, "auto_create_subnetworks")
	msg := sprintf("%s is an auto-mode network: it creates a subnet with a fixed range in every region (auto_create_subnetworks is not set and defaults to true)", [address])
}

# is_default(v): a network or subnetwork named "default", by name, self link
# or a data source that looks it up.
is_default(v) if gcp.last_segment(v) == "default"

is_default(v) if {
	tf.is_unknown(v)
	some ref in tf.list(v.__refs__)
	is_string(ref)
	source := input.resources[ref]
	source.mode == "data"
	source.type in {"google_compute_network", "google_compute_subnetwork"}
	source.values.name == "default"
}

# Instances and templates.
deny contains {"msg": msg, "label": "default network", "path": tf.path(address, ["network_interface", i, key])} if {
	some type in vm_types
	some address, vm in tf.resources(type)
	some i, nic in tf.blocks(vm.values, "network_interface")
	some key in ["network", "subnetwork"]
	is_default(nic[key])
	msg := sprintf("%s is attached to the default network (network_interface %s = %s)", [address, key, text(nic[key])])
}

text(v) := sprintf("%q", [v]) if is_string(v)

text(v) := v.__unknown__ if tf.is_unknown(v)

# GKE clusters.
deny contains {"msg": msg, "label": "default network", "path": tf.resource_path(address)} if {
	some address, cluster in tf.resources("google_container_cluster")
	tf.missing(cluster.values, "network")
	tf.missing(cluster.values, "subnetwork")
	msg := sprintf("%s runs in the default network: it sets no network or subnetwork", [address])
}

deny contains {"msg": msg, "label": "default network", "path": tf.path(address, [key])} if {
	some address, cluster in tf.resources("google_container_cluster")
	some key in ["network", "subnetwork"]
	is_default(cluster.values[key])
	msg := sprintf("%s runs in the default network (%s = %s)", [address, key, text(cluster.values[key])])
}

# Checks that depend on a value known only after apply.
inconclusive contains {"msg": msg, "path": tf.path(address, ["auto_create_subnetworks"])} if {
	some address, net in tf.resources("google_compute_network")
	tf.is_unknown(net.values.auto_create_subnetworks)
	msg := sprintf("%s may be an auto-mode network: auto_create_subnetworks = %s is known only after apply", [address, net.values.auto_create_subnetworks.__unknown__])
}

# A network known only after apply that is not a network or subnetwork
# created by this configuration.
undecided(v) if {
	tf.is_unknown(v)
	not is_default(v)
	not created_here(v)
}

created_here(v) if {
	some ref in tf.list(v.__refs__)
	is_string(ref)
	input.resources[ref].mode == "managed"
	input.resources[ref].type in {"google_compute_network", "google_compute_subnetwork"}
}

created_here(v) if {
	some ref in tf.list(v.__refs__)
	is_string(ref)
	some _, r in input.resources
	r.mode == "managed"
	r.config_address == ref
	r.type in {"google_compute_network", "google_compute_subnetwork"}
}

inconclusive contains {"msg": msg, "path": tf.path(address, ["network_interface", i, key])} if {
	some type in vm_types
	some address, vm in tf.resources(type)
	some i, nic in tf.blocks(vm.values, "network_interface")
	keys := [k | some k in ["network", "subnetwork"]; tf.has_key(nic, k); nic[k] != null]
	count(keys) > 0
	every k in keys {
		undecided(nic[k])
	}
	key := keys[0]
	msg := sprintf("%s may be attached to the default network: %s = %s is known only after apply", [address, key, nic[key].__unknown__])
}

inconclusive contains {"msg": msg, "path": tf.path(address, [key])} if {
	some address, cluster in tf.resources("google_container_cluster")
	keys := [k | some k in ["network", "subnetwork"]; tf.has_key(cluster.values, k); cluster.values[k] != null]
	count(keys) > 0
	every k in keys {
		undecided(cluster.values[k])
	}
	key := keys[0]
	msg := sprintf("%s may run in the default network: %s = %s is known only after apply", [address, key, cluster.values[key].__unknown__])
}

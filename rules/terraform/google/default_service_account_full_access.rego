# METADATA
# title: VM or GKE nodes run as the default service account with full API access
# description: >-
#   The Compute Engine default service account is granted the project Editor
#   role unless an administrator removed it (or the
#   `iam.automaticIamGrantsForDefaultServiceAccounts` organization policy,
#   enforced by default in organisations created since 2024, prevented the
#   grant), and the `cloud-platform` scope
#   lets a VM use every permission the account has. Together they give every
#   process on the VM, and on GKE every pod that can reach the metadata
#   server, an access token that can read and change almost everything in the
#   project: one vulnerable web application becomes a project compromise.
#   ISO/IEC 27002 11.2.2 asks that privileges be allocated on a need-to-use
#   basis; a workload should run as its own service account holding only the
#   roles it needs. The rule flags `google_compute_instance`, instance
#   templates, and GKE `node_config` (clusters, inline and separate node
#   pools, and node auto-provisioning defaults) that use the default account
#   (no `email`/`service_account`, `"default"`, the
#   `PROJECT_NUMBER-compute@developer.gserviceaccount.com` address, or the
#   `google_compute_default_service_account` data source) with the
#   `cloud-platform` scope; a cluster's own `node_config` is skipped when
#   `remove_default_node_pool = true`. Using the default account with narrower scopes is
#   a weaker, separate concern and is not flagged. An account or scope known
#   only after apply makes the check inconclusive.
# custom:
#   id: CL-GCP-014
#   severity: high
#   targets: [terraform]
#   provider: google
#   controls:
#     iso27002:2005: ["11.2.2"]
#     iso27002:2022: ["8.2"]
#   remediation: >-
#     Create a `google_service_account` for the workload, grant it only the
#     roles it needs, and set it as `service_account { email = ... }` (or
#     `node_config { service_account = ... }`); keep the `cloud-platform`
#     scope only with such a dedicated account. On GKE, also use Workload
#     Identity so pods do not use the node's account.
#   applies_to: [google_compute_instance, google_compute_instance_template, google_compute_region_instance_template, google_container_cluster, google_container_node_pool]
package clause.rules.terraform.google.default_service_account_full_access

import data.clause.lib.google as gcp
import data.clause.lib.terraform as tf
import rego.v1

vm_types := ["google_compute_instance", "google_compute_instance_template", "google_compute_region_instance_template"]

# identities: {"address", "account", "account_path", "scopes", "scopes_path"}
# with paths inside the resource's values.
identities contains {"address": address, "account": object.get(sa, "email", null), "account_path": ["service_account", i, "email"], "scopes": object.get(sa, "scopes", null), "scopes_path": ["service_account", i, "scopes"]} if {
	some type in vm_types
	some address, vm in tf.resources(type)
	some i, sa in tf.blocks(vm.values, "service_account")
	is_object(sa)
}

# A cluster's own node_config is the default node pool's, unless that pool is
# removed right after creation.
identities contains node_identity(address, nc, ["node_config", i]) if {
	some address, cluster in tf.resources("google_container_cluster")
	not tf.is_true(cluster.values.remove_default_node_pool)
	some i, nc in tf.blocks(cluster.values, "node_config")
	is_object(nc)
}

identities contains node_identity(address, nc, ["node_pool", i, "node_config", j]) if {
	some address, cluster in tf.resources("google_container_cluster")
	some i, np in tf.blocks(cluster.values, "node_pool")
	is_object(np)
	some j, nc in tf.blocks(np, "node_config")
	is_object(nc)
}

identities contains node_identity(address, d, ["cluster_autoscaling", i, "auto_provisioning_defaults", j]) if {
	some address, cluster in tf.resources("google_container_cluster")
	some i, ca in tf.blocks(cluster.values, "cluster_autoscaling")
	is_object(ca)
	some j, d in tf.blocks(ca, "auto_provisioning_defaults")
	is_object(d)
}

identities contains node_identity(address, nc, ["node_config", i]) if {
	some address, np in tf.resources("google_container_node_pool")
	some i, nc in tf.blocks(np.values, "node_config")
	is_object(nc)
}

node_identity(address, nc, at) := {"address": address, "account": object.get(nc, "service_account", null), "account_path": array.concat(at, ["service_account"]), "scopes": object.get(nc, "oauth_scopes", null), "scopes_path": array.concat(at, ["oauth_scopes"])}

default_account(v) if v == null

# dedicated(v): an account created by this configuration
# (`google_service_account.x.email`), never the default one.
dedicated(v) if {
	tf.is_unknown(v)
	refs := tf.list(v.__refs__)
	count(refs) > 0
	every ref in refs {
		is_string(ref)
		regex.match(`^(module\.[^.]+(\[[^\]]*\])?\.)*google_service_account\.[^.]+(\[[^\]]*\])?$`, ref)
	}
}

default_account(v) if gcp.default_compute_account(v)

account_text(v) := "the default Compute Engine service account" if v == null

account_text(v) := sprintf("the default Compute Engine service account (%s)", [v]) if is_string(v)

account_text(v) := sprintf("the default Compute Engine service account (%s)", [v.__unknown__]) if tf.is_unknown(v)

deny contains {"msg": msg, "label": "full API access", "path": tf.path(id.address, array.concat(id.scopes_path, [k]))} if {
	some id in identities
	default_account(id.account)
	some k, s in tf.list(id.scopes)
	gcp.full_access_scope(s)
	msg := sprintf("%s runs as %s with the cloud-platform scope, so its workloads can use every permission of that account, Editor on the project unless that grant was prevented", [id.address, account_text(id.account)])
}

# Checks that depend on a value known only after apply.
full_access(id) if {
	some s in tf.list(id.scopes)
	gcp.full_access_scope(s)
}

inconclusive contains {"msg": msg, "path": tf.path(id.address, id.account_path)} if {
	some id in identities
	tf.is_unknown(id.account)
	not default_account(id.account)
	not dedicated(id.account)
	full_access(id)
	msg := sprintf("%s may run as the default Compute Engine service account with the cloud-platform scope: its account %s is known only after apply", [id.address, id.account.__unknown__])
}

inconclusive contains {"msg": msg, "path": tf.path(id.address, id.scopes_path)} if {
	some id in identities
	default_account(id.account)
	tf.is_unknown(id.scopes)
	msg := sprintf("%s runs as %s and may have the cloud-platform scope: its scopes %s are known only after apply", [id.address, account_text(id.account), id.scopes.__unknown__])
}

inconclusive contains {"msg": msg, "path": tf.path(id.address, array.concat(id.scopes_path, [k]))} if {
	some id in identities
	default_account(id.account)
	not full_access(id)
	some k, s in tf.list(id.scopes)
	tf.is_unknown(s)
	msg := sprintf("%s runs as %s and may have the cloud-platform scope: %s is known only after apply", [id.address, account_text(id.account), s.__unknown__])
}

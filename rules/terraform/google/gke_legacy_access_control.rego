# METADATA
# title: GKE cluster uses legacy authentication or authorization
# description: >-
#   Three legacy GKE mechanisms bypass the identity and access controls the
#   cluster is supposed to rely on. Legacy ABAC (`enable_legacy_abac = true`)
#   authorises requests with static, cluster-wide attribute policies that
#   grant broad rights and ignore RBAC, so RBAC roles no longer limit what
#   users and service accounts can do. Basic authentication (`master_auth`
#   `username`/`password`) gives the API server a shared static password, and
#   a client certificate (`issue_client_certificate = true`) is a credential
#   that cannot be revoked short of rotating the cluster's CA: neither
#   identifies the person who uses it. ISO/IEC 27002 11.5.2 asks that every
#   user have a unique identifier and a suitable authentication technique,
#   and 11.2.2 asks that privileges be allocated and restricted; GKE meets
#   both with Google identities (IAM) and Kubernetes RBAC only. A setting
#   known only after apply makes the check inconclusive.
# custom:
#   id: CL-GCP-020
#   severity: high
#   targets: [terraform]
#   provider: google
#   controls:
#     iso27002:2005: ["11.5.2", "11.2.2"]
#     iso27002:2022: ["5.16", "8.2"]
#   remediation: >-
#     Remove `enable_legacy_abac = true` and grant access with RBAC; remove
#     `username` and `password` from `master_auth` and set
#     `client_certificate_config { issue_client_certificate = false }`; users
#     then authenticate with their Google identities (`gcloud container
#     clusters get-credentials`).
#   applies_to: [google_container_cluster]
package clause.rules.terraform.google.gke_legacy_access_control

import data.clause.lib.terraform as tf
import rego.v1

clusters := tf.resources("google_container_cluster")

deny contains {"msg": msg, "label": "legacy ABAC", "path": tf.path(address, ["enable_legacy_abac"])} if {
	some address, cluster in clusters
	tf.is_true(cluster.values.enable_legacy_abac)
	msg := sprintf("%s authorises requests with legacy ABAC, which bypasses RBAC (enable_legacy_abac = true)", [address])
}

# Client certificates and basic authentication.
client_certificates contains {"address": address, "value": c.issue_client_certificate, "path": ["master_auth", i, "client_certificate_config", j, "issue_client_certificate"]} if {
	some address, cluster in clusters
	some i, m in tf.blocks(cluster.values, "master_auth")
	some j, c in tf.blocks(m, "client_certificate_config")
	tf.has_key(c, "issue_client_certificate")
}

deny contains {"msg": msg, "label": "client certificate", "path": tf.path(c.address, c.path)} if {
	some c in client_certificates
	tf.is_true(c.value)
	msg := sprintf("%s issues a client certificate that cannot be revoked and names no user (issue_client_certificate = true)", [c.address])
}

basic_auth contains {"address": address, "key": key, "value": m[key], "path": ["master_auth", i, key]} if {
	some address, cluster in clusters
	some i, m in tf.blocks(cluster.values, "master_auth")
	some key in ["username", "password"]
	tf.has_key(m, key)
}

deny contains {"msg": msg, "label": "basic authentication", "path": tf.path(b.address, b.path)} if {
	some b in basic_auth
	b.key == "username"
	is_string(b.value)
	b.value != ""
	msg := sprintf("%s accepts basic authentication with a static username and password (master_auth.username = %q)", [b.address, b.value])
}

deny contains {"msg": msg, "label": "basic authentication", "path": tf.path(b.address, b.path)} if {
	some b in basic_auth
	b.key == "password"
	is_string(b.value)
	b.value != ""
	not basic_username(b.address)
	msg := sprintf("%s sets a static basic-authentication password (master_auth.password)", [b.address])
}

basic_username(address) if {
	some b in basic_auth
	b.address == address
	b.key == "username"
	is_string(b.value)
	b.value != ""
}

# Checks that depend on a value known only after apply.
inconclusive contains {"msg": msg, "path": tf.path(address, ["enable_legacy_abac"])} if {
	some address, cluster in clusters
	tf.is_unknown(cluster.values.enable_legacy_abac)
	msg := sprintf("%s may authorise requests with legacy ABAC: enable_legacy_abac = %s is known only after apply", [address, cluster.values.enable_legacy_abac.__unknown__])
}

inconclusive contains {"msg": msg, "path": tf.path(c.address, c.path)} if {
	some c in client_certificates
	tf.is_unknown(c.value)
	msg := sprintf("%s may issue a client certificate: issue_client_certificate = %s is known only after apply", [c.address, c.value.__unknown__])
}

inconclusive contains {"msg": msg, "path": tf.path(b.address, b.path)} if {
	some b in basic_auth
	b.key == "username"
	tf.is_unknown(b.value)
	msg := sprintf("%s may accept basic authentication: master_auth.username = %s is known only after apply", [b.address, b.value.__unknown__])
}

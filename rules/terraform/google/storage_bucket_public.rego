# METADATA
# title: Cloud Storage bucket is readable or writable by everyone
# description: >-
#   Granting a role to `allUsers` makes a bucket's objects (or the bucket
#   itself, depending on the role) available to anyone on the internet without
#   signing in; `allAuthenticatedUsers` means anyone with any Google account,
#   not just the organisation's. Publicly readable buckets are one of the most
#   common causes of cloud data leaks, and a public write role lets anyone
#   plant or overwrite content. ISO/IEC 27002 11.6.1 asks that access to
#   information be restricted according to the access control policy, which a
#   grant to everyone bypasses. The rule reads every way Terraform can grant
#   it: bucket and managed folder IAM (`_iam_member`, `_iam_binding`, and
#   `_iam_policy` whether its `policy_data` is JSON or a
#   `data.google_iam_policy`), and the legacy ACL resources (`predefined_acl =
#   "publicRead"`/`"publicReadWrite"`, `role_entity` entries such as
#   `READER:allUsers`, `entity = "allUsers"`). Grants are not flagged when the
#   module makes them impossible: `public_access_prevention = "enforced"` on
#   the bucket or the `storage.publicAccessPrevention` organization policy
#   reject public grants, and `uniform_bucket_level_access = true` or the
#   `storage.uniformBucketLevelAccess` policy disable ACLs. A member, entity or
#   setting known only after apply makes the check inconclusive.
# custom:
#   id: CL-GCP-003
#   severity: high
#   targets: [terraform]
#   provider: google
#   controls:
#     iso27002:2005: ["11.6.1"]
#     iso27002:2022: ["8.3"]
#   remediation: >-
#     Remove `allUsers` and `allAuthenticatedUsers` from the bucket's IAM
#     members and ACLs and grant roles to named groups or service accounts
#     instead; set `public_access_prevention = "enforced"` and
#     `uniform_bucket_level_access = true` on the `google_storage_bucket`. Serve
#     public content through a load balancer with Cloud CDN or signed URLs.
#   applies_to: [google_storage_bucket, google_storage_bucket_iam_member, google_storage_bucket_iam_binding, google_storage_bucket_iam_policy, google_storage_managed_folder_iam_member, google_storage_managed_folder_iam_binding, google_storage_managed_folder_iam_policy, google_storage_bucket_acl, google_storage_default_object_acl, google_storage_object_acl, google_storage_bucket_access_control, google_storage_default_object_access_control, google_storage_object_access_control]
package clause.rules.terraform.google.storage_bucket_public

import data.clause.lib.google as gcp
import data.clause.lib.terraform as tf
import rego.v1

public_members := {
	"allUsers": "anyone on the internet",
	"allAuthenticatedUsers": "anyone with a Google account",
}

public_predefined_acls := {
	"publicRead": "anyone on the internet can read",
	"publicReadWrite": "anyone on the internet can read and write",
}

buckets := tf.resources("google_storage_bucket")

# bucket_of(v): the buckets of the module a `bucket` argument names.
bucket_of(v) := {address: b |
	some address, b in buckets
	gcp.names(v, address, b)
}

# Exposures: {"address", "msg", "path", "bucket" (the argument), "via"}
# where `via` is "iam" or "acl".
exposures contains {"msg": msg, "path": g.path, "bucket": object.get(g.values, "bucket", null), "via": "iam"} if {
	some family in ["google_storage_bucket_iam", "google_storage_managed_folder_iam"]
	some g in gcp.grants(family)
	who := public_members[g.member]
	msg := sprintf("%s grants %s to %s (%s)", [g.address, role_text(g.role), g.member, who])
}

exposures contains {"msg": msg, "path": tf.path(address, ["predefined_acl"]), "bucket": object.get(r.values, "bucket", null), "via": "acl"} if {
	some type in ["google_storage_bucket_acl", "google_storage_object_acl"]
	some address, r in tf.resources(type)
	effect := public_predefined_acls[r.values.predefined_acl]
	msg := sprintf("%s sets predefined_acl = %q: %s", [address, r.values.predefined_acl, effect])
}

exposures contains {"msg": msg, "path": tf.path(address, [key, k]), "bucket": object.get(r.values, "bucket", null), "via": "acl"} if {
	some type in ["google_storage_bucket_acl", "google_storage_default_object_acl", "google_storage_object_acl"]
	some address, r in tf.resources(type)
	some key in ["role_entity", "default_acl"]
	some k, entry in tf.list(r.values[key])
	is_string(entry)
	parts := split(entry, ":")
	count(parts) == 2
	who := public_members[trim_space(parts[1])]
	msg := sprintf("%s grants %s to %s (%s)", [address, trim_space(parts[0]), trim_space(parts[1]), who])
}

exposures contains {"msg": msg, "path": tf.path(address, ["entity"]), "bucket": object.get(r.values, "bucket", null), "via": "acl"} if {
	some type in ["google_storage_bucket_access_control", "google_storage_default_object_access_control", "google_storage_object_access_control"]
	some address, r in tf.resources(type)
	who := public_members[r.values.entity]
	msg := sprintf("%s grants %s to %s (%s)", [address, role_text(object.get(r.values, "role", null)), r.values.entity, who])
}

role_text(role) := role if is_string(role)

role_text(role) := "a role" if not is_string(role)

# Settings that make a grant impossible, on the bucket or as an organization
# policy of the module.
prevents(_, _) if gcp.enforced_constraint("storage.publicAccessPrevention")

prevents(b, _) if b.values.public_access_prevention == "enforced"

prevents(_, via) if {
	via == "acl"
	gcp.enforced_constraint("storage.uniformBucketLevelAccess")
}

prevents(b, via) if {
	via == "acl"
	tf.is_true(b.values.uniform_bucket_level_access)
}

protected(e) if {
	some _, b in bucket_of(e.bucket)
	prevents(b, e.via)
}

protected(e) if prevents({"values": {}}, e.via)

# undecided_protection(e): the setting that would prevent the grant is known
# only after apply.
undecided_protection(e) := sort([sprintf("%s (%s = %s)", [address, key, b.values[key].__unknown__]) |
	some address, b in bucket_of(e.bucket)
	some key in protection_keys(e.via)
	tf.is_unknown(b.values[key])
])

protection_keys(via) := ["public_access_prevention"] if via == "iam"

protection_keys(via) := ["public_access_prevention", "uniform_bucket_level_access"] if via == "acl"

deny contains {"msg": e.msg, "label": "public", "path": e.path} if {
	some e in exposures
	not protected(e)
	count(undecided_protection(e)) == 0
}

# Checks that depend on a value known only after apply.

inconclusive contains {"msg": msg, "path": e.path} if {
	some e in exposures
	not protected(e)
	undecided := undecided_protection(e)
	count(undecided) > 0
	msg := sprintf("%s, unless %s prevents it, which is known only after apply", [e.msg, concat(", ", undecided)])
}

# Members, entities and ACLs known only after apply.
unknowns contains {"path": g.path, "value": g.member, "bucket": object.get(g.values, "bucket", null), "via": "iam", "address": g.address} if {
	some family in ["google_storage_bucket_iam", "google_storage_managed_folder_iam"]
	some g in gcp.grants(family)
	tf.is_unknown(g.member)
}

unknowns contains {"path": tf.path(address, [key]), "value": r.values[key], "bucket": object.get(r.values, "bucket", null), "via": "acl", "address": address} if {
	some type in ["google_storage_bucket_acl", "google_storage_object_acl"]
	some address, r in tf.resources(type)
	some key in ["predefined_acl", "role_entity", "default_acl"]
	tf.is_unknown(r.values[key])
}

unknowns contains {"path": tf.path(address, [key, k]), "value": entry, "bucket": object.get(r.values, "bucket", null), "via": "acl", "address": address} if {
	some type in ["google_storage_bucket_acl", "google_storage_default_object_acl", "google_storage_object_acl"]
	some address, r in tf.resources(type)
	some key in ["role_entity", "default_acl"]
	some k, entry in tf.list(r.values[key])
	tf.is_unknown(entry)
}

unknowns contains {"path": tf.path(address, ["entity"]), "value": r.values.entity, "bucket": object.get(r.values, "bucket", null), "via": "acl", "address": address} if {
	some type in ["google_storage_bucket_access_control", "google_storage_default_object_access_control", "google_storage_object_access_control"]
	some address, r in tf.resources(type)
	tf.is_unknown(r.values.entity)
}

inconclusive contains {"msg": msg, "path": u.path} if {
	some u in unknowns
	not protected(u)
	msg := sprintf("%s may grant access to everyone: %s", [u.address, gcp.unknown_text(u.path, u.value)])
}

# METADATA
# title: Cloud Storage bucket does not use uniform bucket-level access
# description: >-
#   Without uniform bucket-level access a bucket keeps the legacy access
#   control lists: every object can carry its own ACL, set by whoever uploads
#   it, and those grants never appear in the bucket's or the project's IAM
#   policy. Access reviews of IAM then miss who can read the data, and one
#   object uploaded with a public ACL is exposed without any change to the
#   bucket. Uniform bucket-level access disables ACLs so that IAM alone
#   decides access, for the whole bucket. ISO/IEC 27002 11.6.1 asks that
#   access to information be restricted according to the access control
#   policy, which must be expressed in one place that can be reviewed. The
#   provider and the API default to fine-grained ACLs, so a bucket without
#   `uniform_bucket_level_access = true` is flagged, unless the module
#   enforces the `storage.uniformBucketLevelAccess` organization policy.
#   `public_access_prevention` is deliberately not checked here: `"inherited"`
#   is the default and the right value for buckets that serve public content,
#   and an organization policy usually enforces prevention for everything
#   else; CL-GCP-003 reports the public grants themselves. A setting known only
#   after apply makes the check inconclusive.
# custom:
#   id: CL-GCP-004
#   severity: medium
#   targets: [terraform]
#   provider: google
#   controls:
#     iso27002:2005: ["11.6.1"]
#     iso27002:2022: ["8.3"]
#   remediation: >-
#     Set `uniform_bucket_level_access = true` on the `google_storage_bucket`
#     and grant access with `google_storage_bucket_iam_member` or
#     `_iam_binding` instead of ACL resources; enforce the
#     `storage.uniformBucketLevelAccess` organization policy so new buckets
#     cannot opt out.
#   applies_to: [google_storage_bucket]
package clause.rules.terraform.google.storage_bucket_uniform_access_disabled

import data.clause.lib.google as gcp
import data.clause.lib.terraform as tf
import rego.v1

enforced_by_policy if gcp.enforced_constraint("storage.uniformBucketLevelAccess")

deny contains {"msg": msg, "label": "per-object ACLs", "path": tf.path(address, ["uniform_bucket_level_access"])} if {
	not enforced_by_policy
	some address, b in tf.resources("google_storage_bucket")
	tf.is_false(b.values.uniform_bucket_level_access)
	msg := sprintf("%s lets objects carry their own ACLs (uniform_bucket_level_access = false)", [address])
}

deny contains {"msg": msg, "label": "per-object ACLs", "path": tf.path(address, ["uniform_bucket_level_access"])} if {
	not enforced_by_policy
	some address, b in tf.resources("google_storage_bucket")
	tf.has_key(b.values, "uniform_bucket_level_access")
	b.values.uniform_bucket_level_access == null
	msg := sprintf("%s lets objects carry their own ACLs: uniform_bucket_level_access is null and defaults to false", [address])
}

deny contains {"msg": msg, "label": "per-object ACLs", "path": tf.resource_path(address)} if {
	not enforced_by_policy
	some address, b in tf.resources("google_storage_bucket")
	not tf.has_key(b.values, "uniform_bucket_level_access")
	msg := sprintf("%s lets objects carry their own ACLs: uniform_bucket_level_access is not set and defaults to false", [address])
}

# Checks that depend on a value known only after apply.
inconclusive contains {"msg": msg, "path": tf.path(address, ["uniform_bucket_level_access"])} if {
	not enforced_by_policy
	some address, b in tf.resources("google_storage_bucket")
	tf.is_unknown(b.values.uniform_bucket_level_access)
	msg := sprintf("%s may let objects carry their own ACLs: uniform_bucket_level_access = %s is known only after apply", [address, b.values.uniform_bucket_level_access.__unknown__])
}

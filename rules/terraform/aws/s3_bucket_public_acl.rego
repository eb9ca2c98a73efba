# METADATA
# title: S3 bucket ACL grants public access
# description: >-
#   A canned ACL of `public-read`, `public-read-write` or `authenticated-read`,
#   or an ACL grant to the AllUsers or AuthenticatedUsers groups, opens the
#   bucket to anyone on the internet (AuthenticatedUsers means any AWS account,
#   not just the organisation's): READ lets them list every object key, WRITE
#   lets them upload, overwrite and delete objects, and the ACP permissions let
#   them read or rewrite the ACL itself. Public bucket ACLs are one of the most
#   common causes of cloud data leaks. ISO/IEC 27002 11.6.1 asks that access to
#   information be restricted to what the access control policy allows, which
#   a grant to everyone bypasses. Not flagged when the module sets
#   `ignore_public_acls = true` in a public access block for the bucket or the
#   account, since S3 then ignores public ACLs.
# custom:
#   id: CL-AWS-009
#   severity: high
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["11.6.1"]
#     iso27002:2022: ["8.3"]
#   remediation: >-
#     Use `acl = "private"` (or no ACL, with `aws_s3_bucket_ownership_controls`
#     `object_ownership = "BucketOwnerEnforced"` to disable ACLs), remove grants
#     to the AllUsers and AuthenticatedUsers groups, and add an
#     `aws_s3_bucket_public_access_block` with all four settings true. Serve
#     public content through CloudFront with origin access control instead.
#   applies_to: [aws_s3_bucket, aws_s3_bucket_acl]
package clause.rules.terraform.aws.s3_bucket_public_acl

import data.clause.lib.terraform as tf
import rego.v1

public_canned_acls := {
	"public-read": "anyone on the internet can list the bucket's objects",
	"public-read-write": "anyone on the internet can list, upload, overwrite and delete the bucket's objects",
	"authenticated-read": "anyone with any AWS account can list the bucket's objects",
}

public_groups := {
	"allusers": "AllUsers (anyone on the internet)",
	"authenticatedusers": "AuthenticatedUsers (anyone with any AWS account)",
}

# group(uri): the public group an ACL grantee URI names.
group(uri) := public_groups[name] if {
	is_string(uri)
	parts := split(lower(trim_right(uri, "/")), "/groups/global/")
	count(parts) == 2
	endswith(parts[0], "acs.amazonaws.com")
	name := parts[1]
}

# ignores_public_acls(pab): S3 ignores public ACLs under this public access
# block; a value clause cannot know might, so it counts too.
ignores_public_acls(pab) if tf.is_true(pab.values.ignore_public_acls)

ignores_public_acls(pab) if tf.is_unknown(pab.values.ignore_public_acls)

account_ignores if {
	some _, pab in tf.resources("aws_s3_account_public_access_block")
	ignores_public_acls(pab)
}

# bucket_ignores(v): the bucket named by expression or literal v (an
# aws_s3_bucket_acl's `bucket`) has a public access block ignoring public ACLs:
# both name the same bucket of this module, or are written the same way.
bucket_ignores(v) if {
	some _, pab in tf.resources("aws_s3_bucket_public_access_block")
	ignores_public_acls(pab)
	same_bucket(pab.values.bucket, v)
}

same_bucket(a, b) if a == b

same_bucket(a, b) if {
	tf.is_unknown(a)
	tf.is_unknown(b)
	a.__unknown__ == b.__unknown__
}

same_bucket(a, b) if {
	some address, bucket in tf.resources("aws_s3_bucket")
	tf.links(a, address, bucket)
	tf.links(b, address, bucket)
}

# Public ACLs of the bucket itself are ignored.
ignored(address, bucket) if {
	some _, pab in tf.resources("aws_s3_bucket_public_access_block")
	ignores_public_acls(pab)
	tf.links(pab.values.bucket, address, bucket)
}

ignored(_, _) if account_ignores

permissions(grant) := concat(", ", grant.permissions) if is_array(grant.permissions)

permissions(grant) := grant.permission if is_string(grant.permission)

permissions(grant) := "access" if {
	not is_array(grant.permissions)
	not is_string(grant.permission)
}

# aws_s3_bucket: canned ACL (provider v3 style, still accepted).
deny contains {"msg": msg, "label": "public ACL", "path": tf.path(address, ["acl"])} if {
	some address, bucket in tf.resources("aws_s3_bucket")
	effect := public_canned_acls[bucket.values.acl]
	not ignored(address, bucket)
	msg := sprintf("%s has acl = %q: %s", [address, bucket.values.acl, effect])
}

# aws_s3_bucket: inline grant blocks.
deny contains {"msg": msg, "label": "public grant", "path": tf.path(address, ["grant", i, "uri"])} if {
	some address, bucket in tf.resources("aws_s3_bucket")
	some i, grant in tf.blocks(bucket.values, "grant")
	who := group(grant.uri)
	not ignored(address, bucket)
	msg := sprintf("%s grants %s to %s", [address, permissions(grant), who])
}

# aws_s3_bucket_acl: canned ACL.
deny contains {"msg": msg, "label": "public ACL", "path": tf.path(address, ["acl"])} if {
	some address, acl in tf.resources("aws_s3_bucket_acl")
	effect := public_canned_acls[acl.values.acl]
	not account_ignores
	not bucket_ignores(acl.values.bucket)
	msg := sprintf("%s sets acl = %q: %s", [address, acl.values.acl, effect])
}

# aws_s3_bucket_acl: access_control_policy grants.
deny contains {"msg": msg, "label": "public grant", "path": tf.path(address, ["access_control_policy", i, "grant", j, "grantee", k, "uri"])} if {
	some address, acl in tf.resources("aws_s3_bucket_acl")
	some i, policy in tf.blocks(acl.values, "access_control_policy")
	some j, grant in tf.blocks(policy, "grant")
	some k, grantee in tf.blocks(grant, "grantee")
	who := group(grantee.uri)
	not account_ignores
	not bucket_ignores(acl.values.bucket)
	msg := sprintf("%s grants %s to %s", [address, permissions(grant), who])
}

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
#   account, since S3 then ignores public ACLs. An ACL, grantee or
#   `ignore_public_acls` known only after apply makes the check inconclusive.
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

# ignores(pab): S3 ignores public ACLs under this public access block.
ignores(pab) if tf.is_true(pab.values.ignore_public_acls)

# undecided_block(pab): whether it ignores them is known only after apply.
undecided_block(pab) if tf.is_unknown(pab.values.ignore_public_acls)

account_blocks := {a: pab | some a, pab in tf.resources("aws_s3_account_public_access_block")}

# same_unknown(a, b, x, y): a and b are the same expression known only after
# apply, written in the same instance of resources x and y: the same bucket.
same_unknown(a, b, x, y) if {
	tf.is_unknown(a)
	a == b
	object.get(x, "index", null) == object.get(y, "index", null)
}

# blocks_of_bucket(address, bucket): the public access blocks of a bucket of
# this module (by reference, literal name, or the same unknown expression).
blocks_of_bucket(address, bucket) := object.union(tf.s3_public_access_block(address, bucket), {a: pab |
	some a, pab in tf.resources("aws_s3_bucket_public_access_block")
	same_unknown(pab.values.bucket, bucket.values.bucket, pab, bucket)
})

# blocks_of_acl(acl): the public access blocks for the bucket an
# aws_s3_bucket_acl configures: those of the module's bucket it names, or
# those written for the same bucket.
blocks_of_acl(acl) := object.union({a: pab |
	some address, bucket in tf.resources("aws_s3_bucket")
	acl_names(acl, address, bucket)
	some a, pab in blocks_of_bucket(address, bucket)
}, {a: pab |
	some a, pab in tf.resources("aws_s3_bucket_public_access_block")
	same_bucket(pab, acl)
})

acl_names(acl, address, bucket) if tf.links(acl.values.bucket, address, bucket)

acl_names(acl, _, bucket) if same_unknown(acl.values.bucket, bucket.values.bucket, acl, bucket)

same_bucket(pab, acl) if {
	is_string(pab.values.bucket)
	pab.values.bucket == acl.values.bucket
}

same_bucket(pab, acl) if same_unknown(pab.values.bucket, acl.values.bucket, pab, acl)

# The public access blocks that apply to a finding: the bucket's (or the
# bucket's an ACL resource names) and the account's.
applying(blocks) := object.union(blocks, account_blocks)

ignored(blocks) if {
	some _, pab in applying(blocks)
	ignores(pab)
}

# undecided_blocks(blocks): the blocks whose `ignore_public_acls` is known
# only after apply, as messages name them.
undecided_blocks(blocks) := sort([sprintf("%s (ignore_public_acls = %s)", [a, pab.values.ignore_public_acls.__unknown__]) |
	some a, pab in applying(blocks)
	undecided_block(pab)
])

permissions(grant) := concat(", ", grant.permissions) if listed_permissions(grant)

permissions(grant) := grant.permission if is_string(grant.permission)

permissions(grant) := "access" if {
	not listed_permissions(grant)
	not is_string(grant.permission)
}

listed_permissions(grant) if {
	is_array(grant.permissions)
	every p in grant.permissions {
		is_string(p)
	}
}

# Public ACLs and grants, with the public access blocks that may neutralise
# them.
exposures contains {"msg": msg, "label": "public ACL", "path": tf.path(address, ["acl"]), "blocks": blocks} if {
	some address, bucket in tf.resources("aws_s3_bucket")
	effect := public_canned_acls[bucket.values.acl]
	blocks := blocks_of_bucket(address, bucket)
	msg := sprintf("%s has acl = %q: %s", [address, bucket.values.acl, effect])
}

exposures contains {"msg": msg, "label": "public grant", "path": tf.path(address, ["grant", i, "uri"]), "blocks": blocks} if {
	some address, bucket in tf.resources("aws_s3_bucket")
	some i, grant in tf.blocks(bucket.values, "grant")
	who := group(grant.uri)
	blocks := blocks_of_bucket(address, bucket)
	msg := sprintf("%s grants %s to %s", [address, permissions(grant), who])
}

exposures contains {"msg": msg, "label": "public ACL", "path": tf.path(address, ["acl"]), "blocks": blocks} if {
	some address, acl in tf.resources("aws_s3_bucket_acl")
	effect := public_canned_acls[acl.values.acl]
	blocks := blocks_of_acl(acl)
	msg := sprintf("%s sets acl = %q: %s", [address, acl.values.acl, effect])
}

exposures contains {"msg": msg, "label": "public grant", "path": tf.path(address, ["access_control_policy", i, "grant", j, "grantee", k, "uri"]), "blocks": blocks} if {
	some address, acl in tf.resources("aws_s3_bucket_acl")
	some i, policy in tf.blocks(acl.values, "access_control_policy")
	some j, grant in tf.blocks(policy, "grant")
	some k, grantee in tf.blocks(grant, "grantee")
	who := group(grantee.uri)
	blocks := blocks_of_acl(acl)
	msg := sprintf("%s grants %s to %s", [address, permissions(grant), who])
}

deny contains {"msg": e.msg, "label": e.label, "path": e.path} if {
	some e in exposures
	not ignored(e.blocks)
	count(undecided_blocks(e.blocks)) == 0
}

# Checks that depend on a value known only after apply.

# A public ACL that S3 ignores if a public access block whose setting is
# known only after apply ignores public ACLs.
undecided contains {"msg": msg, "path": e.path} if {
	some e in exposures
	not ignored(e.blocks)
	undecided := undecided_blocks(e.blocks)
	count(undecided) > 0
	msg := sprintf("%s, unless %s ignores public ACLs, which is known only after apply", [e.msg, concat(", ", undecided)])
}

# ACLs known only after apply.
undecided contains {"msg": msg, "path": tf.path(address, ["acl"])} if {
	some type in ["aws_s3_bucket", "aws_s3_bucket_acl"]
	some address, r in tf.resources(type)
	tf.is_unknown(r.values.acl)
	not ignored(blocks_for(type, address, r))
	msg := sprintf("%s may grant public access: acl = %s is known only after apply", [address, r.values.acl.__unknown__])
}

# Grantees known only after apply.
undecided contains {"msg": msg, "path": tf.path(address, ["grant", i, "uri"])} if {
	some address, bucket in tf.resources("aws_s3_bucket")
	some i, grant in tf.blocks(bucket.values, "grant")
	may_be_group(grant.type)
	tf.is_unknown(grant.uri)
	not ignored(blocks_of_bucket(address, bucket))
	msg := sprintf("%s may grant %s to everyone: uri = %s is known only after apply", [address, permissions(grant), grant.uri.__unknown__])
}

undecided contains {"msg": msg, "path": tf.path(address, ["access_control_policy", i, "grant", j, "grantee", k, "uri"])} if {
	some address, acl in tf.resources("aws_s3_bucket_acl")
	some i, policy in tf.blocks(acl.values, "access_control_policy")
	some j, grant in tf.blocks(policy, "grant")
	some k, grantee in tf.blocks(grant, "grantee")
	may_be_group(grantee.type)
	tf.is_unknown(grantee.uri)
	not ignored(blocks_of_acl(acl))
	msg := sprintf("%s may grant %s to everyone: uri = %s is known only after apply", [address, permissions(grant), grantee.uri.__unknown__])
}

blocks_for("aws_s3_bucket", address, r) := blocks_of_bucket(address, r)

blocks_for("aws_s3_bucket_acl", _, r) := blocks_of_acl(r)

may_be_group(type) if type == "Group"

may_be_group(type) if tf.is_unknown(type)

may_be_group(type) if not type

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

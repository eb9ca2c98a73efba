# Helpers for Terraform rules: `import data.clause.lib.terraform as tf`.
#
# clause gives rules one document per module directory:
#   input.resources[address] = {"address", "mode", "type", "name", "values"}
# Nested blocks in `values` are always arrays. A value clause cannot know
# is {"__unknown__": "<expression>", "__refs__": ["<address>", ...]}: rules
# must neither fail nor pass on it, which the helpers below take care of.
package clause.lib.terraform

import rego.v1

# resources(type): managed resources of one type, keyed by address.
resources(type) := {address: r |
	some address, r in input.resources
	r.mode == "managed"
	r.type == type
}

# data_sources(type): data sources of one type, keyed by address.
data_sources(type) := {address: r |
	some address, r in input.resources
	r.mode == "data"
	r.type == type
}

# path(address, rest): the input path of a value inside a resource.
path(address, rest) := array.concat(["resources", address, "values"], rest)

# resource_path(address): the resource itself; findings on it point at its header.
resource_path(address) := ["resources", address]

is_unknown(v) if {
	is_object(v)
	v.__unknown__
}

known(v) if not is_unknown(v)

has_key(obj, key) if {
	is_object(obj)
	key in object.keys(obj)
}

# setting(values, key): the value if set and not null.
setting(values, key) := values[key] if {
	has_key(values, key)
	values[key] != null
}

is_true(v) if v == true

is_true(v) if v == "true"

is_false(v) if v == false

is_false(v) if v == "false"

# missing(values, key): absent or null, so Terraform's default applies.
missing(values, key) if not has_key(values, key)

missing(values, key) if values[key] == null

# disabled(values, key): absent, null or false, but never unknown.
disabled(values, key) if missing(values, key)

disabled(values, key) if is_false(values[key])

# blocks(values, name): nested blocks of that name (an empty list if none).
blocks(values, name) := values[name] if is_array(values[name])

blocks(values, name) := [] if not is_array(values[name])

# refers_to(v, address): v is an expression referring to `address`
# (e.g. `aws_s3_bucket.logs.id` refers to `aws_s3_bucket.logs`).
refers_to(v, address) if {
	is_unknown(v)
	some ref in list(v.__refs__)
	ref == address
}

# links(v, address, r): v names resource r, by reference or by its literal
# bucket, name or id. A reference to a resource with count or for_each
# without a known index (`aws_s3_bucket.b[count.index]` in an unknown count)
# names every instance of it.
links(v, address, _) if refers_to(v, address)

links(v, _, r) if refers_to(v, r.config_address)

links(v, _, r) if {
	is_string(v)
	some key in ["bucket", "name", "id"]
	r.values[key] == v
}

# related(type, attribute, address, r): resources of `type` whose `attribute`
# names resource r, the way split AWS resources attach to a bucket or group.
related(type, attribute, address, r) := {a: other |
	some a, other in resources(type)
	links(other.values[attribute], address, r)
}

# has_related(type, attribute, address, r): at least one such resource exists.
has_related(type, attribute, address, r) if count(related(type, attribute, address, r)) > 0

# open_cidr(c): an address range that means "anyone on the internet".
open_cidr(c) if c in {"0.0.0.0/0", "::/0", "0.0.0.0/00", "::0/0"}

# port_range(from, to) covers port p (unknown bounds never match).
covers_port(from, to, p) if {
	is_number(from)
	is_number(to)
	from <= p
	p <= to
}

# all_traffic(protocol): a protocol value that allows every protocol and port.
all_traffic(protocol) if protocol in {"-1", -1, "all", "ALL"}

# list(v): v when it is a list, otherwise empty, so `some x in tf.list(v)`
# never fails on a null, a string or an unknown written where a list goes.
list(v) := v if is_array(v)

list(v) := [] if not is_array(v)

# unknown_setting(values, key): the setting is written but its value is only
# known after apply: the check it feeds is inconclusive.
unknown_setting(values, key) if is_unknown(values[key])

# The split resources that configure another one, by what they configure
# (AWS provider v4 and later): "the encryption configuration of this bucket"
# is `tf.s3_encryption(address, bucket)`. Each returns an object of the
# configuring resources keyed by address.
s3_encryption(address, bucket) := related("aws_s3_bucket_server_side_encryption_configuration", "bucket", address, bucket)

s3_versioning(address, bucket) := related("aws_s3_bucket_versioning", "bucket", address, bucket)

s3_logging(address, bucket) := related("aws_s3_bucket_logging", "bucket", address, bucket)

s3_public_access_block(address, bucket) := related("aws_s3_bucket_public_access_block", "bucket", address, bucket)

s3_acl(address, bucket) := related("aws_s3_bucket_acl", "bucket", address, bucket)

s3_policy(address, bucket) := related("aws_s3_bucket_policy", "bucket", address, bucket)

s3_lifecycle(address, bucket) := related("aws_s3_bucket_lifecycle_configuration", "bucket", address, bucket)

s3_object_lock(address, bucket) := related("aws_s3_bucket_object_lock_configuration", "bucket", address, bucket)

# sg_rules(address, sg): the standalone rules attached to a security group.
sg_rules(address, sg) := object.union_n([
	related("aws_security_group_rule", "security_group_id", address, sg),
	related("aws_vpc_security_group_ingress_rule", "security_group_id", address, sg),
	related("aws_vpc_security_group_egress_rule", "security_group_id", address, sg),
])

# kms_aliases(address, key): the aliases that point at a KMS key.
kms_aliases(address, key) := related("aws_kms_alias", "target_key_id", address, key)

# METADATA
# title: EBS volume is not encrypted
# description: >-
#   EBS volumes, and the snapshots and AMIs made from them, are stored
#   unencrypted unless encryption is requested per volume or EBS encryption by
#   default is enabled for the account and region. Unencrypted volumes expose
#   everything an instance writes to disk (application data, logs, secrets in
#   swap or temporary files) to anyone who obtains a snapshot, including one
#   shared or made public by mistake. ISO/IEC 27002 12.3.1 asks that
#   cryptographic controls protect information according to a policy, and
#   encryption of block storage at rest is a baseline of such a policy. Not
#   flagged: modules that enable `aws_ebs_encryption_by_default` (every new
#   volume is then encrypted), volumes created from a snapshot (`snapshot_id`),
#   whose encryption follows the snapshot, and instances that do not describe
#   their root volume, whose encryption follows the AMI. A root volume that is
#   described without `encrypted = true` is flagged: public AMIs cannot be
#   encrypted, so only that setting guarantees an encrypted root disk. When
#   `encrypted`, `snapshot_id` or the default encryption's `enabled` is known
#   only after apply, the check is reported as inconclusive.
# custom:
#   id: CL-AWS-006
#   severity: high
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["12.3.1"]
#     iso27002:2022: ["8.24"]
#   remediation: >-
#     Set `encrypted = true` on the volume (`aws_ebs_volume`), in
#     `root_block_device` and `ebs_block_device` blocks, and in the `ebs` block
#     of each launch template `block_device_mappings`, with `kms_key_id` for a
#     customer managed key; or enable encryption for the whole region with an
#     `aws_ebs_encryption_by_default` resource (`enabled = true`).
#   applies_to: [aws_ebs_volume, aws_instance, aws_spot_instance_request, aws_launch_template, aws_launch_configuration]
package clause.rules.terraform.aws.ebs_volume_not_encrypted

import data.clause.lib.terraform as tf
import rego.v1

# Account-wide default encryption (`enabled` defaults to true).
encrypted_by_default if {
	some _, r in tf.resources("aws_ebs_encryption_by_default")
	default_enabled(r.values)
}

default_enabled(values) if tf.missing(values, "enabled")

default_enabled(values) if tf.is_true(values.enabled)

# Default encryption settings known only after apply, as messages name them.
default_undecided := sort([sprintf("%s (enabled = %s)", [address, r.values.enabled.__unknown__]) |
	some address, r in tf.resources("aws_ebs_encryption_by_default")
	tf.is_unknown(r.values.enabled)
])

# from_snapshot(values): the volume's encryption follows a snapshot clause
# cannot see: a known id, or the id of a resource or data source.
from_snapshot(values) if {
	v := tf.setting(values, "snapshot_id")
	tf.known(v)
	v != ""
}

from_snapshot(values) if always_set(values.snapshot_id)

# snapshot_undecided(values): whether the volume comes from a snapshot is
# known only after apply (a variable that may be null).
snapshot_undecided(values) if {
	tf.is_unknown(values.snapshot_id)
	not always_set(values.snapshot_id)
}

# always_set(v): v is known only after apply but refers only to resources or
# data sources, not to variables, locals or module inputs that may be null.
always_set(v) if {
	tf.is_unknown(v)
	refs := tf.list(v.__refs__)
	count(refs) > 0
	every ref in refs {
		is_string(ref)
		not may_be_null(ref)
	}
}

may_be_null(ref) if regex.match(`(^|\.)(var|local)\.[^.]+$`, ref)

may_be_null(ref) if regex.match(`(^|\.)(count|each|self)$`, ref)

may_be_null(ref) if regex.match(`(^|\.)module\.[^.]+$`, ref)

# A launch configuration's ebs_block_device with no_device suppresses the
# device rather than creating a volume.
no_volume(values) if tf.is_true(values.no_device)

# volume_name(address, block, kind): how a message names the volume.
volume_name(address, block, kind) := sprintf("%s %s %s", [address, kind, block.device_name]) if is_string(block.device_name)

volume_name(address, block, kind) := sprintf("%s %s", [address, kind]) if not is_string(block.device_name)

# Every volume the module describes: `block` holds its `encrypted`, `at` is
# where that block is inside the resource's values, `root` marks a root
# volume, whose encryption otherwise follows the AMI.
volumes contains {"address": address, "block": vol.values, "at": [], "what": address, "root": false} if {
	some address, vol in tf.resources("aws_ebs_volume")
}

volumes contains {"address": address, "block": block, "at": ["root_block_device", i], "what": sprintf("%s root volume", [address]), "root": true} if {
	some type in ["aws_instance", "aws_spot_instance_request", "aws_launch_configuration"]
	some address, r in tf.resources(type)
	some i, block in tf.blocks(r.values, "root_block_device")
	is_object(block)
}

volumes contains {"address": address, "block": block, "at": ["ebs_block_device", i], "what": volume_name(address, block, "EBS volume"), "root": false} if {
	some type in ["aws_instance", "aws_spot_instance_request", "aws_launch_configuration"]
	some address, r in tf.resources(type)
	some i, block in tf.blocks(r.values, "ebs_block_device")
	is_object(block)
	not no_volume(block)
}

volumes contains {"address": address, "block": block, "at": ["block_device_mappings", i, "ebs", j], "what": volume_name(address, mapping, "EBS volume"), "root": false} if {
	some address, lt in tf.resources("aws_launch_template")
	some i, mapping in tf.blocks(lt.values, "block_device_mappings")
	some j, block in tf.blocks(mapping, "ebs")
	is_object(block)
}

value_path(vol) := tf.path(vol.address, array.concat(vol.at, ["encrypted"]))

block_path(vol) := tf.resource_path(vol.address) if vol.at == []

block_path(vol) := tf.path(vol.address, vol.at) if vol.at != []

# violation(vol): a volume that is not encrypted. The finding points at the
# `false` (or a null) when it is written, else at the block (or resource)
# that lacks `encrypted = true`.
violation(vol) := {"msg": sprintf("%s is not encrypted (encrypted = false)", [vol.what]), "label": "not encrypted", "path": value_path(vol)} if {
	not vol.root
	tf.is_false(vol.block.encrypted)
}

violation(vol) := {"msg": sprintf("%s is not encrypted: encrypted is null and defaults to false", [vol.what]), "label": "not encrypted", "path": value_path(vol)} if {
	not vol.root
	tf.has_key(vol.block, "encrypted")
	vol.block.encrypted == null
}

violation(vol) := {"msg": sprintf("%s is not encrypted: encrypted is not set and defaults to false", [vol.what]), "label": "not encrypted", "path": block_path(vol)} if {
	not vol.root
	not tf.has_key(vol.block, "encrypted")
}

# A root volume's encryption otherwise follows the AMI's snapshots (and
# public AMIs are never encrypted).
violation(vol) := {"msg": sprintf("%s is encrypted only if its AMI is (encrypted = false)", [vol.what]), "label": "encryption not requested", "path": value_path(vol)} if {
	vol.root
	tf.is_false(vol.block.encrypted)
}

violation(vol) := {"msg": sprintf("%s is encrypted only if its AMI is: encrypted is null, so encryption is not requested", [vol.what]), "label": "encryption not requested", "path": value_path(vol)} if {
	vol.root
	tf.has_key(vol.block, "encrypted")
	vol.block.encrypted == null
}

violation(vol) := {"msg": sprintf("%s is encrypted only if its AMI is: root_block_device does not set encrypted = true", [vol.what]), "label": "encryption not requested", "path": block_path(vol)} if {
	vol.root
	not tf.has_key(vol.block, "encrypted")
}

deny contains v if {
	not encrypted_by_default
	count(default_undecided) == 0
	some vol in volumes
	not from_snapshot(vol.block)
	not snapshot_undecided(vol.block)
	v := violation(vol)
}

# Checks that depend on a value known only after apply.

undecided contains {"msg": msg, "path": value_path(vol)} if {
	not encrypted_by_default
	some vol in volumes
	not from_snapshot(vol.block)
	tf.is_unknown(vol.block.encrypted)
	msg := sprintf("%s may not be encrypted: encrypted = %s is known only after apply", [vol.what, vol.block.encrypted.__unknown__])
}

undecided contains {"msg": msg, "path": tf.path(vol.address, array.concat(vol.at, ["snapshot_id"]))} if {
	not encrypted_by_default
	some vol in volumes
	tf.disabled(vol.block, "encrypted")
	snapshot_undecided(vol.block)
	msg := sprintf("%s may not be encrypted: encrypted is not true, and whether it is created from a snapshot, whose encryption it would follow, depends on snapshot_id = %s, which is known only after apply", [vol.what, vol.block.snapshot_id.__unknown__])
}

undecided contains {"msg": msg, "path": v.path} if {
	not encrypted_by_default
	count(default_undecided) > 0
	some vol in volumes
	not from_snapshot(vol.block)
	not snapshot_undecided(vol.block)
	v := violation(vol)
	msg := sprintf("%s is not encrypted unless EBS encryption by default is enabled, which %s leaves to a value known only after apply", [vol.what, concat(", ", default_undecided)])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

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
#   encrypted, so only that setting guarantees an encrypted root disk.
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

# Account-wide default encryption (`enabled` defaults to true; a value clause
# cannot know may be true, so it also suppresses findings).
encrypted_by_default if {
	some _, r in tf.resources("aws_ebs_encryption_by_default")
	not tf.is_false(object.get(r.values, "enabled", true))
}

# from_snapshot(values): the volume's encryption follows a snapshot clause
# cannot see.
from_snapshot(values) if {
	v := tf.setting(values, "snapshot_id")
	v != ""
}

# A launch configuration's ebs_block_device with no_device suppresses the
# device rather than creating a volume.
no_volume(values) if tf.is_true(values.no_device)

# violation(block, value_path, block_path, what): one volume that is not
# encrypted. The finding points at the `false` when it is written, else at the
# block (or resource) that lacks `encrypted = true`.
violation(block, value_path, _, what) := {
	"msg": sprintf("%s is not encrypted (encrypted = false)", [what]),
	"label": "not encrypted",
	"path": value_path,
} if tf.is_false(block.encrypted)

violation(block, _, block_path, what) := {
	"msg": sprintf("%s is not encrypted: encrypted is not set and defaults to false", [what]),
	"label": "not encrypted",
	"path": block_path,
} if {
	not tf.is_false(block.encrypted)
	tf.disabled(block, "encrypted")
}

# root_violation(...): the same for a root volume, whose encryption otherwise
# follows the AMI's snapshots (and public AMIs are never encrypted).
root_violation(block, value_path, _, what) := {
	"msg": sprintf("%s is encrypted only if its AMI is (encrypted = false)", [what]),
	"label": "encryption not requested",
	"path": value_path,
} if tf.is_false(block.encrypted)

root_violation(block, _, block_path, what) := {
	"msg": sprintf("%s is encrypted only if its AMI is: root_block_device does not set encrypted = true", [what]),
	"label": "encryption not requested",
	"path": block_path,
} if {
	not tf.is_false(block.encrypted)
	tf.disabled(block, "encrypted")
}

# volume_name(address, block, kind): how a message names the volume.
volume_name(address, block, kind) := sprintf("%s %s %s", [address, kind, block.device_name]) if is_string(block.device_name)

volume_name(address, block, kind) := sprintf("%s %s", [address, kind]) if not is_string(block.device_name)

deny contains v if {
	not encrypted_by_default
	some address, vol in tf.resources("aws_ebs_volume")
	not from_snapshot(vol.values)
	v := violation(vol.values, tf.path(address, ["encrypted"]), tf.resource_path(address), address)
}

deny contains v if {
	not encrypted_by_default
	some type in ["aws_instance", "aws_spot_instance_request", "aws_launch_configuration"]
	some address, r in tf.resources(type)
	some i, block in tf.blocks(r.values, "root_block_device")
	at := ["root_block_device", i]
	v := root_violation(block, tf.path(address, array.concat(at, ["encrypted"])), tf.path(address, at), sprintf("%s root volume", [address]))
}

deny contains v if {
	not encrypted_by_default
	some type in ["aws_instance", "aws_spot_instance_request", "aws_launch_configuration"]
	some address, r in tf.resources(type)
	some i, block in tf.blocks(r.values, "ebs_block_device")
	not from_snapshot(block)
	not no_volume(block)
	at := ["ebs_block_device", i]
	v := violation(block, tf.path(address, array.concat(at, ["encrypted"])), tf.path(address, at), volume_name(address, block, "EBS volume"))
}

deny contains v if {
	not encrypted_by_default
	some address, lt in tf.resources("aws_launch_template")
	some i, mapping in tf.blocks(lt.values, "block_device_mappings")
	some j, block in tf.blocks(mapping, "ebs")
	not from_snapshot(block)
	at := ["block_device_mappings", i, "ebs", j]
	v := violation(block, tf.path(address, array.concat(at, ["encrypted"])), tf.path(address, at), volume_name(address, mapping, "EBS volume"))
}

# METADATA
# title: EC2 instance metadata service does not require IMDSv2
# description: >-
#   The instance metadata service hands every process on an instance the
#   temporary credentials of the instance's IAM role. With IMDSv1 still
#   allowed (`http_tokens = "optional"`, the EC2 API's default) a single
#   unauthenticated GET is enough to read them, so a server-side request
#   forgery in any application on the host, or a misconfigured proxy, leaks
#   the role's credentials to an attacker. IMDSv2 requires a session token
#   obtained with a PUT request first, which those attacks cannot send.
#   ISO/IEC 27002 11.5.1 asks that access to systems be controlled by a secure
#   log-on procedure that discloses nothing to an unauthenticated caller;
#   IMDSv2 is that procedure for the credentials an instance hands out.
#   Examined: instances, spot instance requests, launch templates and launch
#   configurations. Not flagged: `http_tokens = "required"`, a metadata
#   endpoint switched off (`http_endpoint = "disabled"`), an instance launched
#   from a launch template that leaves metadata options to the template (the
#   template is examined instead), and resources that leave `http_tokens`
#   unset in a module whose `aws_ec2_instance_metadata_defaults` requires
#   tokens for the account and region. Leaving `http_tokens` unset is flagged
#   otherwise: IMDSv1 then stays available unless the AMI happens to be
#   registered to require IMDSv2, which the configuration does not guarantee.
#   A setting known only after apply makes the check inconclusive.
# custom:
#   id: CL-AWS-038
#   severity: high
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["11.5.1"]
#     iso27002:2022: ["8.5"]
#   remediation: >-
#     Add `metadata_options { http_tokens = "required" }` (keep
#     `http_endpoint = "enabled"` and `http_put_response_hop_limit = 1`, or 2
#     for containers on the instance) to the instance, launch template or
#     launch configuration; or require tokens for every new instance of the
#     account and region with `aws_ec2_instance_metadata_defaults { http_tokens
#     = "required" }`. Check first that the software on the instance uses an
#     SDK or agent recent enough to speak IMDSv2.
#   applies_to: [aws_instance, aws_spot_instance_request, aws_launch_template, aws_launch_configuration, aws_ec2_instance_metadata_defaults]
package clause.rules.terraform.aws.ec2_imdsv2_not_required

import data.clause.lib.terraform as tf
import rego.v1

types := ["aws_instance", "aws_spot_instance_request", "aws_launch_template", "aws_launch_configuration"]

# Account and region defaults for new instances, when the module sets them.
account_defaults := [r.values | some _, r in tf.resources("aws_ec2_instance_metadata_defaults")]

required_by_default if {
	some values in account_defaults
	values.http_tokens == "required"
}

# Defaults known only after apply, as messages name them.
default_undecided := sort([sprintf("%s (http_tokens = %s)", [address, r.values.http_tokens.__unknown__]) |
	some address, r in tf.resources("aws_ec2_instance_metadata_defaults")
	tf.is_unknown(r.values.http_tokens)
])

# An instance launched from a launch template takes the metadata options of
# the template when it sets none itself.
from_template(r) if {
	r.type in {"aws_instance", "aws_spot_instance_request"}
	count(tf.blocks(r.values, "launch_template")) > 0
}

endpoint_disabled(block) if block.http_endpoint == "disabled"

# Every place an instance's metadata options are decided: a metadata_options
# block, or the resource itself when it has none.
settings contains {"address": address, "block": block, "at": ["metadata_options", i]} if {
	some type in types
	some address, r in tf.resources(type)
	some i, block in tf.blocks(r.values, "metadata_options")
	is_object(block)
}

settings contains {"address": address, "block": {}, "at": []} if {
	some type in types
	some address, r in tf.resources(type)
	count(tf.blocks(r.values, "metadata_options")) == 0
	not tf.is_unknown(r.values.metadata_options)
	not from_template(r)
}

block_path(s) := tf.resource_path(s.address) if s.at == []

block_path(s) := tf.path(s.address, s.at) if s.at != []

# violation(s): the options allow IMDSv1.
violation(s) := {"msg": sprintf("%s allows IMDSv1: http_tokens = \"optional\" lets any process or forwarded request read the instance role's credentials without a session token", [s.address]), "path": tf.path(s.address, array.concat(s.at, ["http_tokens"]))} if {
	s.block.http_tokens == "optional"
	not endpoint_disabled(s.block)
	not tf.is_unknown(s.block.http_endpoint)
}

violation(s) := {"msg": sprintf("%s does not require IMDSv2: metadata_options sets no http_tokens, so IMDSv1 stays available unless the AMI requires IMDSv2", [s.address]), "path": block_path(s)} if {
	s.at != []
	tf.missing(s.block, "http_tokens")
	not endpoint_disabled(s.block)
	not tf.is_unknown(s.block.http_endpoint)
}

violation(s) := {"msg": sprintf("%s does not require IMDSv2: metadata_options is not set, so http_tokens defaults to \"optional\" unless the AMI requires IMDSv2", [s.address]), "path": block_path(s)} if {
	s.at == []
}

# Unset http_tokens follows the account defaults.
follows_defaults(s) if s.at == []

follows_defaults(s) if tf.missing(s.block, "http_tokens")

deny contains v if {
	some s in settings
	v0 := violation(s)
	not default_applies(s)
	v := object.union(v0, {"label": "IMDSv1 allowed"})
}

default_applies(s) if {
	follows_defaults(s)
	required_by_default
}

default_applies(s) if {
	follows_defaults(s)
	count(default_undecided) > 0
}

# Checks that depend on a value known only after apply.

undecided contains {"msg": msg, "path": tf.path(s.address, array.concat(s.at, ["http_tokens"]))} if {
	some s in settings
	tf.is_unknown(s.block.http_tokens)
	not endpoint_disabled(s.block)
	msg := sprintf("%s may allow IMDSv1: http_tokens = %s is known only after apply", [s.address, s.block.http_tokens.__unknown__])
}

undecided contains {"msg": msg, "path": tf.path(s.address, array.concat(s.at, ["http_endpoint"]))} if {
	some s in settings
	tf.is_unknown(s.block.http_endpoint)
	not s.block.http_tokens == "required"
	not tf.is_unknown(s.block.http_tokens)
	msg := sprintf("%s may allow IMDSv1: http_tokens is not \"required\", and whether the metadata endpoint is on depends on http_endpoint = %s, which is known only after apply", [s.address, s.block.http_endpoint.__unknown__])
}

undecided contains {"msg": msg, "path": v.path} if {
	not required_by_default
	count(default_undecided) > 0
	some s in settings
	follows_defaults(s)
	v := violation(s)
	msg := sprintf("%s does not set http_tokens, so it allows IMDSv1 unless the account's metadata defaults require tokens, which %s leaves to a value known only after apply", [s.address, concat(", ", default_undecided)])
}

undecided contains {"msg": msg, "path": tf.path(address, ["metadata_options"])} if {
	some type in types
	some address, r in tf.resources(type)
	tf.is_unknown(r.values.metadata_options)
	msg := sprintf("%s may allow IMDSv1: metadata_options = %s is known only after apply", [address, r.values.metadata_options.__unknown__])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

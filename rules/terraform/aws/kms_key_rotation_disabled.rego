# METADATA
# title: KMS key rotation is not enabled
# description: >-
#   A symmetric customer managed KMS key without automatic rotation keeps the
#   same key material for as long as the key exists, so everything it ever
#   encrypted stays exposed to one compromise of that material, and the
#   organisation cannot show that key material has a limited lifetime. KMS
#   rotates symmetric keys transparently (old material still decrypts), so
#   enabling it has no operational cost. ISO/IEC 27002 12.3.2 asks for key
#   management that includes changing keys and defined key lifetimes. Only
#   keys that can rotate are examined: asymmetric and HMAC keys
#   (`customer_master_key_spec`/`key_spec` other than SYMMETRIC_DEFAULT) and
#   keys in custom or external key stores cannot use automatic rotation and are
#   never flagged. When the rotation setting, the key spec or the key store is
#   known only after apply, the check is reported as inconclusive.
# custom:
#   id: CL-AWS-007
#   severity: medium
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["12.3.2"]
#     iso27002:2022: ["8.24"]
#   remediation: >-
#     Set `enable_key_rotation = true` on the `aws_kms_key` (optionally with
#     `rotation_period_in_days`, 90 to 2560, default 365).
#   applies_to: [aws_kms_key]
package clause.rules.terraform.aws.kms_key_rotation_disabled

import data.clause.lib.terraform as tf
import rego.v1

spec_settings := ["customer_master_key_spec", "key_spec"]

store_settings := ["custom_key_store_id", "xks_key_id"]

# symmetric(values): the key spec is SYMMETRIC_DEFAULT, written or by default.
symmetric(values) if {
	every key in spec_settings {
		spec_is_symmetric(values, key)
	}
}

spec_is_symmetric(values, key) if tf.missing(values, key)

spec_is_symmetric(values, key) if values[key] == "SYMMETRIC_DEFAULT"

# Keys in a CloudHSM or external key store cannot rotate automatically: a
# known store id, or the id of a resource or data source.
external_store(values) if {
	some key in store_settings
	v := tf.setting(values, key)
	tf.known(v)
	v != ""
}

external_store(values) if {
	some key in store_settings
	always_set(values[key])
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

can_rotate(values) if {
	symmetric(values)
	not external_store(values)
	not undecided_capability(values)
}

# undecided_capability(values): the setting known only after apply that
# decides whether the key can rotate at all (its spec or its key store).
undecided_capability(values) := keys[0] if {
	keys := [key |
		some key in array.concat(spec_settings, store_settings)
		tf.is_unknown(values[key])
		not always_set_store(key, values[key])
	]
	count(keys) > 0
}

always_set_store(key, v) if {
	key in store_settings
	always_set(v)
}

# name(address, key): the key, with the aliases that point at it.
name(address, key) := sprintf("%s (%s)", [address, concat(", ", aliases)]) if {
	aliases := sort([alias.values.name |
		some _, alias in tf.kms_aliases(address, key)
		is_string(alias.values.name)
	])
	count(aliases) > 0
}

name(address, key) := address if {
	count([1 |
		some _, alias in tf.kms_aliases(address, key)
		is_string(alias.values.name)
	]) == 0
}

deny contains {"msg": sprintf("%s never rotates its key material (enable_key_rotation = false)", [name(address, key)]), "label": "no automatic rotation", "path": tf.path(address, ["enable_key_rotation"])} if {
	some address, key in tf.resources("aws_kms_key")
	can_rotate(key.values)
	tf.is_false(key.values.enable_key_rotation)
}

deny contains {"msg": sprintf("%s never rotates its key material: enable_key_rotation is null and defaults to false", [name(address, key)]), "label": "no automatic rotation", "path": tf.path(address, ["enable_key_rotation"])} if {
	some address, key in tf.resources("aws_kms_key")
	can_rotate(key.values)
	tf.has_key(key.values, "enable_key_rotation")
	key.values.enable_key_rotation == null
}

deny contains {"msg": sprintf("%s never rotates its key material: enable_key_rotation is not set and defaults to false", [name(address, key)]), "label": "no automatic rotation", "path": tf.resource_path(address)} if {
	some address, key in tf.resources("aws_kms_key")
	can_rotate(key.values)
	not tf.has_key(key.values, "enable_key_rotation")
}

# Checks that depend on a value known only after apply.

undecided contains {"msg": msg, "path": tf.path(address, ["enable_key_rotation"])} if {
	some address, key in tf.resources("aws_kms_key")
	can_rotate(key.values)
	tf.is_unknown(key.values.enable_key_rotation)
	msg := sprintf("%s may never rotate its key material: enable_key_rotation = %s is known only after apply", [name(address, key), key.values.enable_key_rotation.__unknown__])
}

undecided contains {"msg": msg, "path": tf.path(address, [setting])} if {
	some address, key in tf.resources("aws_kms_key")
	not tf.is_true(key.values.enable_key_rotation)
	may_be_symmetric(key.values)
	not external_store(key.values)
	setting := undecided_capability(key.values)
	msg := sprintf("%s may never rotate its key material: whether the key can rotate at all depends on %s = %s, which is known only after apply", [name(address, key), setting, key.values[setting].__unknown__])
}

may_be_symmetric(values) if {
	every key in spec_settings {
		spec_may_be_symmetric(values, key)
	}
}

spec_may_be_symmetric(values, key) if spec_is_symmetric(values, key)

spec_may_be_symmetric(values, key) if tf.is_unknown(values[key])

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

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
#   never flagged.
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

# symmetric(values): the key spec is SYMMETRIC_DEFAULT, written or by default.
# An unknown spec might be asymmetric, so it is not symmetric here.
symmetric(values) if {
	every key in ["customer_master_key_spec", "key_spec"] {
		spec_is_symmetric(values, key)
	}
}

spec_is_symmetric(values, key) if not tf.has_key(values, key)

spec_is_symmetric(values, key) if values[key] == null

spec_is_symmetric(values, key) if values[key] == "SYMMETRIC_DEFAULT"

# Keys in a CloudHSM or external key store cannot rotate automatically.
external_store(values) if {
	some key in ["custom_key_store_id", "xks_key_id"]
	v := tf.setting(values, key)
	v != ""
}

can_rotate(values) if {
	symmetric(values)
	not external_store(values)
}

deny contains {"msg": sprintf("%s never rotates its key material (enable_key_rotation = false)", [address]), "label": "no automatic rotation", "path": tf.path(address, ["enable_key_rotation"])} if {
	some address, key in tf.resources("aws_kms_key")
	can_rotate(key.values)
	tf.is_false(key.values.enable_key_rotation)
}

deny contains {"msg": sprintf("%s never rotates its key material: enable_key_rotation is not set and defaults to false", [address]), "label": "no automatic rotation", "path": tf.resource_path(address)} if {
	some address, key in tf.resources("aws_kms_key")
	can_rotate(key.values)
	tf.disabled(key.values, "enable_key_rotation")
	not tf.is_false(key.values.enable_key_rotation)
}

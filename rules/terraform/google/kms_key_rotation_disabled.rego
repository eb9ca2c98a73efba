# METADATA
# title: Cloud KMS key is not rotated at least every 90 days
# description: >-
#   A symmetric Cloud KMS key without a `rotation_period` keeps encrypting new
#   data with the same key version for as long as it exists, so the amount of
#   data exposed by one compromised or leaked version keeps growing and the
#   organisation cannot show that key material has a limited lifetime. Cloud
#   KMS rotates symmetric keys transparently (old versions still decrypt), so
#   a period costs nothing operationally. ISO/IEC 27002 12.3.2 asks for key
#   management that includes changing keys and defined key lifetimes; the CIS
#   Google Cloud benchmark sets that lifetime at 90 days at most, which this
#   rule applies. Only keys that Cloud KMS can rotate automatically are
#   examined: asymmetric and MAC keys (`purpose` other than
#   `ENCRYPT_DECRYPT`), import-only keys and external (Cloud EKM) keys are
#   never flagged. A period, purpose or protection level known only after
#   apply makes the check inconclusive.
# custom:
#   id: CL-GCP-021
#   severity: medium
#   targets: [terraform]
#   provider: google
#   controls:
#     iso27002:2005: ["12.3.2"]
#     iso27002:2022: ["8.24"]
#   remediation: >-
#     Set `rotation_period = "7776000s"` (90 days) or shorter on the
#     `google_kms_crypto_key`.
#   applies_to: [google_kms_crypto_key]
package clause.rules.terraform.google.kms_key_rotation_disabled

import data.clause.lib.terraform as tf
import rego.v1

max_seconds := 7776000

external_levels := {"EXTERNAL", "EXTERNAL_VPC"}

protection_levels(values) := [t.protection_level |
	some t in tf.blocks(values, "version_template")
	tf.has_key(t, "protection_level")
]

# can_rotate(values): a symmetric key whose material Cloud KMS generates.
can_rotate(values) if {
	symmetric(values)
	not tf.is_true(values.import_only)
	every level in protection_levels(values) {
		is_string(level)
		not level in external_levels
	}
}

symmetric(values) if tf.missing(values, "purpose")

symmetric(values) if values.purpose == "ENCRYPT_DECRYPT"

# undecided_capability(values): the setting known only after apply that
# decides whether the key can rotate automatically.
undecided_capability(values) := found[0] if {
	found := array.concat(
		[{"key": k, "path": [k], "value": values[k]} | some k in ["purpose", "import_only"]; tf.is_unknown(values[k])],
		[{"key": "protection_level", "path": ["version_template", i, "protection_level"], "value": t.protection_level} |
			some i, t in tf.blocks(values, "version_template")
			tf.is_unknown(t.protection_level)
		],
	)
	count(found) > 0
}

may_rotate(values) if can_rotate(values)

may_rotate(values) if undecided_capability(values)

# seconds(period): "7776000s" or "7776000.5s" as a number of seconds.
seconds(period) := to_number(trim_suffix(period, "s")) if {
	is_string(period)
	regex.match(`^[0-9]+(\.[0-9]+)?s$`, period)
}

days(s) := round(s / 86400)

deny contains {"msg": msg, "label": "no rotation", "path": tf.resource_path(address)} if {
	some address, key in tf.resources("google_kms_crypto_key")
	can_rotate(key.values)
	not undecided_capability(key.values)
	tf.missing(key.values, "rotation_period")
	msg := sprintf("%s never rotates its key material: rotation_period is not set", [address])
}

deny contains {"msg": msg, "label": "rotation too slow", "path": tf.path(address, ["rotation_period"])} if {
	some address, key in tf.resources("google_kms_crypto_key")
	can_rotate(key.values)
	not undecided_capability(key.values)
	s := seconds(key.values.rotation_period)
	s > max_seconds
	msg := sprintf("%s rotates its key material only every %d days (rotation_period = %q), more than 90", [address, days(s), key.values.rotation_period])
}

# Checks that depend on a value known only after apply.
inconclusive contains {"msg": msg, "path": tf.path(address, ["rotation_period"])} if {
	some address, key in tf.resources("google_kms_crypto_key")
	may_rotate(key.values)
	tf.is_unknown(key.values.rotation_period)
	msg := sprintf("%s may not rotate at least every 90 days: rotation_period = %s is known only after apply", [address, key.values.rotation_period.__unknown__])
}

inconclusive contains {"msg": msg, "path": tf.path(address, u.path)} if {
	some address, key in tf.resources("google_kms_crypto_key")
	u := undecided_capability(key.values)
	not rotates_often_enough(key.values)
	not tf.is_unknown(key.values.rotation_period)
	msg := sprintf("%s may need a rotation period of 90 days at most: whether it can rotate automatically depends on %s = %s, which is known only after apply", [address, u.key, u.value.__unknown__])
}

rotates_often_enough(values) if seconds(values.rotation_period) <= max_seconds

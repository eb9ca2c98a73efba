# METADATA
# title: Database deletion protection is turned off
# description: >-
#   The Google provider refuses to destroy Cloud SQL instances, Spanner
#   databases and Bigtable instances while `deletion_protection` is true, its
#   default. Setting it to false means one mistaken `terraform destroy`, a
#   renamed resource or a change that forces replacement deletes the database
#   and its records; for Cloud SQL the automated backups go with the
#   instance. ISO/IEC 27002 15.1.3 asks that important records be protected
#   from loss, destruction and falsification, and a database that a routine
#   configuration change can delete is not. A Cloud SQL instance with
#   `settings.deletion_protection_enabled = true` is still protected by the
#   API itself and is not flagged. A setting known only after apply makes the
#   check inconclusive.
# custom:
#   id: CL-GCP-018
#   severity: medium
#   targets: [terraform]
#   provider: google
#   controls:
#     iso27002:2005: ["15.1.3"]
#     iso27002:2022: ["5.33"]
#   remediation: >-
#     Remove `deletion_protection = false` (the default is true); for Cloud SQL
#     also set `settings { deletion_protection_enabled = true }` so the
#     instance cannot be deleted from the console or API either, and set it to
#     false only in the change that deliberately retires the database.
#   applies_to: [google_sql_database_instance, google_spanner_database, google_bigtable_instance]
package clause.rules.terraform.google.database_deletion_protection_disabled

import data.clause.lib.terraform as tf
import rego.v1

types := ["google_sql_database_instance", "google_spanner_database", "google_bigtable_instance"]

# Cloud SQL's own deletion protection, enforced by the API.
api_protected(values) if {
	some s in tf.blocks(values, "settings")
	tf.is_true(s.deletion_protection_enabled)
}

api_undecided(values) := found[0] if {
	found := [s.deletion_protection_enabled |
		some s in tf.blocks(values, "settings")
		tf.is_unknown(s.deletion_protection_enabled)
	]
	count(found) > 0
}

deny contains {"msg": msg, "label": "deletable", "path": tf.path(address, ["deletion_protection"])} if {
	some type in types
	some address, db in tf.resources(type)
	tf.is_false(db.values.deletion_protection)
	not api_protected(db.values)
	not api_undecided(db.values)
	msg := sprintf("%s can be deleted by Terraform with its data (deletion_protection = false)", [address])
}

# Checks that depend on a value known only after apply.
inconclusive contains {"msg": msg, "path": tf.path(address, ["deletion_protection"])} if {
	some type in types
	some address, db in tf.resources(type)
	tf.is_unknown(db.values.deletion_protection)
	not api_protected(db.values)
	msg := sprintf("%s may be deletable by Terraform with its data: deletion_protection = %s is known only after apply", [address, db.values.deletion_protection.__unknown__])
}

inconclusive contains {"msg": msg, "path": tf.path(address, ["deletion_protection"])} if {
	some address, db in tf.resources("google_sql_database_instance")
	tf.is_false(db.values.deletion_protection)
	v := api_undecided(db.values)
	msg := sprintf("%s can be deleted by Terraform with its data (deletion_protection = false), unless settings.deletion_protection_enabled = %s, known only after apply, is true", [address, v.__unknown__])
}

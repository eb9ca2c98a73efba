# METADATA
# title: Database point-in-time backups are kept for less than 7 days
# description: >-
#   Azure SQL databases, SQL Managed Instance databases and MySQL flexible
#   servers keep automated backups for point-in-time restore for 7 days
#   unless configured otherwise, and accept as little as 1 day. With a shorter
#   window, corruption, an erroneous migration, a ransomware encryption or a
#   malicious deletion noticed after a weekend can no longer be undone from
#   backup. ISO/IEC 27002 10.5.1 asks that back-up copies of information be
#   taken and tested regularly in accordance with the agreed back-up policy,
#   and a restore window shorter than the time it takes to notice a problem
#   defeats the purpose. Examined: `short_term_retention_policy.retention_days`
#   of azurerm_mssql_database, `short_term_retention_days` of
#   azurerm_mssql_managed_database and `backup_retention_days` of
#   azurerm_mysql_flexible_server (PostgreSQL servers cannot go below 7 days).
#   Seven days, Azure's default, is the threshold; long-term retention is not
#   examined. A retention known only after apply is reported as an
#   inconclusive check.
# custom:
#   id: CL-AZR-010
#   severity: medium
#   targets: [terraform]
#   provider: azure
#   controls:
#     iso27002:2005: ["10.5.1"]
#     iso27002:2022: ["8.13"]
#   remediation: >-
#     Set the retention to at least 7 days (up to 35): `short_term_retention_policy
#     { retention_days = 7 }` on azurerm_mssql_database,
#     `short_term_retention_days = 7` on azurerm_mssql_managed_database,
#     `backup_retention_days = 7` on azurerm_mysql_flexible_server; add a
#     `long_term_retention_policy` where records must be kept longer.
#   applies_to: [azurerm_mssql_database, azurerm_mssql_managed_database, azurerm_mysql_flexible_server]
package clause.rules.terraform.azure.database_backup_retention_short

import data.clause.lib.azure as az
import data.clause.lib.terraform as tf
import rego.v1

minimum := 7

# Every retention setting of the module: {"address", "path", "value"}.
retentions contains {"address": address, "path": ["short_term_retention_policy", i, "retention_days"], "value": p.retention_days} if {
	some address, db in tf.resources("azurerm_mssql_database")
	some i, p in tf.blocks(db.values, "short_term_retention_policy")
	is_object(p)
	not tf.missing(p, "retention_days")
}

retentions contains {"address": address, "path": ["short_term_retention_days"], "value": db.values.short_term_retention_days} if {
	some address, db in tf.resources("azurerm_mssql_managed_database")
	not tf.missing(db.values, "short_term_retention_days")
}

retentions contains {"address": address, "path": ["backup_retention_days"], "value": server.values.backup_retention_days} if {
	some address, server in tf.resources("azurerm_mysql_flexible_server")
	not tf.missing(server.values, "backup_retention_days")
}

days(v) := v if is_number(v)

days(v) := to_number(v) if {
	is_string(v)
	regex.match(`^\s*[0-9]+\s*$`, v)
}

deny contains {"msg": msg, "label": "short retention", "path": tf.path(r.address, r.path)} if {
	some r in retentions
	d := days(r.value)
	d < minimum
	msg := sprintf("%s keeps point-in-time backups for only %v day(s) (%s = %v); at least %d are needed", [r.address, d, r.path[count(r.path) - 1], d, minimum])
}

undecided contains {"msg": msg, "path": tf.path(r.address, r.path)} if {
	some r in retentions
	tf.is_unknown(r.value)
	msg := sprintf("%s may keep point-in-time backups for less than %d days: %s", [r.address, minimum, az.unknown_text(r.path[count(r.path) - 1], r.value)])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}

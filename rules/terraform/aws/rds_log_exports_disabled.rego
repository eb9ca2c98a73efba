# METADATA
# title: Database does not export its audit or activity log to CloudWatch
# description: >-
#   RDS, Aurora, DocumentDB and Neptune keep their database logs on the
#   database host, rotated within days and lost with the instance, unless
#   `enabled_cloudwatch_logs_exports` sends them to CloudWatch Logs where they
#   can be retained, searched and alarmed on. The log that shows what
#   administrators and applications did (logins, grants, schema changes,
#   statements) is engine specific: `audit` or `general` for MySQL, MariaDB
#   and Aurora MySQL, `postgresql` for PostgreSQL and Aurora PostgreSQL,
#   `audit` for Oracle, DocumentDB and Neptune; SQL Server and Db2 export only
#   their error and agent logs, so any export counts for them. ISO/IEC 27002
#   10.10.4 asks that the activities of system administrators and operators be
#   logged and that the logs be protected and reviewed; for a managed database
#   this is the exported activity log. Aurora instances written as
#   `aws_db_instance` (exports are configured on the cluster) and Aurora
#   Serverless v1 clusters (which cannot export) are not examined. When the
#   exports or the engine are known only after apply, the check is reported
#   as inconclusive.
# custom:
#   id: CL-AWS-024
#   severity: low
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["10.10.4"]
#     iso27002:2022: ["8.15"]
#   remediation: >-
#     Set `enabled_cloudwatch_logs_exports` to include the engine's activity
#     log: `["audit", "error"]` for MySQL/MariaDB/Aurora MySQL (with the
#     MARIADB_AUDIT_PLUGIN option, or `server_audit_logging = 1` in the Aurora
#     cluster parameter group), `["postgresql"]` for PostgreSQL (with
#     `log_statement`/pgAudit configured in the parameter group), `["audit"]`
#     for Oracle, DocumentDB (with the `audit_logs` parameter) and Neptune.
#   applies_to: [aws_db_instance, aws_rds_cluster, aws_docdb_cluster, aws_neptune_cluster]
package clause.rules.terraform.aws.rds_log_exports_disabled

import data.clause.lib.terraform as tf
import rego.v1

types := ["aws_db_instance", "aws_rds_cluster", "aws_docdb_cluster", "aws_neptune_cluster"]

# expected(type, values): the exports that record database activity, once
# the engine is known; an empty set means any export is accepted.
expected("aws_docdb_cluster", _) := {"audit"}

expected("aws_neptune_cluster", _) := {"audit"}

expected(type, values) := engine_logs(lower(engine(type, values))) if type in {"aws_db_instance", "aws_rds_cluster"}

engine_logs(engine) := {"audit", "general"} if engine in {"mysql", "mariadb", "aurora", "aurora-mysql"}

engine_logs(engine) := {"postgresql"} if engine in {"postgres", "aurora-postgresql"}

engine_logs(engine) := {"audit"} if startswith(engine, "oracle")

engine_logs(engine) := set() if {
	not engine in {"mysql", "mariadb", "aurora", "aurora-mysql", "postgres", "aurora-postgresql"}
	not startswith(engine, "oracle")
}

engine(_, values) := values.engine if is_string(values.engine)

exempt("aws_db_instance", values) if {
	is_string(values.engine)
	startswith(lower(values.engine), "aurora")
}

exempt("aws_rds_cluster", values) if values.engine_mode == "serverless"

exports(values) := tf.list(object.get(values, "enabled_cloudwatch_logs_exports", null))

unknown_entry(values) if {
	some e in exports(values)
	tf.is_unknown(e)
}

lacks_activity_log(type, values) if {
	logs := expected(type, values)
	count(logs) > 0
	count(exports(values)) > 0
	not unknown_entry(values)
	count({e | some e in exports(values)} & logs) == 0
}

examined contains {"address": address, "type": type, "values": db.values} if {
	some type in types
	some address, db in tf.resources(type)
	not exempt(type, db.values)
	not tf.is_unknown(db.values.engine_mode)
}

deny contains {"msg": msg, "label": "no activity log", "path": tf.resource_path(e.address)} if {
	some e in examined
	not tf.has_key(e.values, "enabled_cloudwatch_logs_exports")
	msg := sprintf("%s exports no logs to CloudWatch: enabled_cloudwatch_logs_exports is not set, so its activity log stays on the database host", [e.address])
}

deny contains {"msg": msg, "label": "no activity log", "path": tf.path(e.address, ["enabled_cloudwatch_logs_exports"])} if {
	some e in examined
	v := e.values.enabled_cloudwatch_logs_exports
	none(v)
	msg := sprintf("%s exports no logs to CloudWatch (enabled_cloudwatch_logs_exports is %s), so its activity log stays on the database host", [e.address, shown_none(v)])
}

deny contains {"msg": msg, "label": "no activity log", "path": tf.path(e.address, ["enabled_cloudwatch_logs_exports"])} if {
	some e in examined
	lacks_activity_log(e.type, e.values)
	logs := sort(expected(e.type, e.values))
	msg := sprintf("%s does not export its activity log: enabled_cloudwatch_logs_exports lists %s but not %s%s", [e.address, listed(exports(e.values)), alternatives(logs), for_engine(e.type, e.values)])
}

none(v) if v == null

none(v) if v == []

shown_none(v) := "null" if v == null

shown_none(v) := "empty" if v == []

alternatives(names) := sprintf("%q", [names[0]]) if count(names) == 1

alternatives(names) := sprintf("%s or %q", [listed(array.slice(names, 0, count(names) - 1)), names[count(names) - 1]]) if count(names) > 1

for_engine(type, values) := sprintf(" (the %s engine's activity log)", [engine(type, values)]) if type in {"aws_db_instance", "aws_rds_cluster"}

for_engine(type, _) := " (its audit log)" if not type in {"aws_db_instance", "aws_rds_cluster"}

listed(names) := concat(", ", [sprintf("%q", [n]) | some n in names; is_string(n)])

# Checks that depend on a value known only after apply.

undecided contains {"msg": msg, "path": tf.path(e.address, ["enabled_cloudwatch_logs_exports"])} if {
	some e in examined
	v := e.values.enabled_cloudwatch_logs_exports
	tf.is_unknown(v)
	msg := sprintf("%s may not export its activity log: enabled_cloudwatch_logs_exports = %v is known only after apply", [e.address, v.__unknown__])
}

undecided contains {"msg": msg, "path": tf.path(e.address, ["enabled_cloudwatch_logs_exports"])} if {
	some e in examined
	unknown_entry(e.values)
	logs := expected(e.type, e.values)
	count(logs) > 0
	count({x | some x in exports(e.values)} & logs) == 0
	msg := sprintf("%s may not export its activity log: enabled_cloudwatch_logs_exports has entries known only after apply, and none of the known ones is %s", [e.address, alternatives(sort(logs))])
}

undecided contains {"msg": msg, "path": tf.path(e.address, ["engine"])} if {
	some e in examined
	e.type in {"aws_db_instance", "aws_rds_cluster"}
	tf.is_unknown(e.values.engine)
	count(exports(e.values)) > 0
	not unknown_entry(e.values)
	count({x | some x in exports(e.values)} & {"audit", "general", "postgresql"}) == 0
	msg := sprintf("%s may not export its activity log: which log that is depends on engine = %v, which is known only after apply", [e.address, e.values.engine.__unknown__])
}

undecided contains {"msg": msg, "path": tf.path(address, ["engine_mode"])} if {
	some address, db in tf.resources("aws_rds_cluster")
	tf.is_unknown(db.values.engine_mode)
	count(exports(db.values)) == 0
	msg := sprintf("%s may not export its activity log: it exports no logs, and whether the cluster can export at all depends on engine_mode = %v, which is known only after apply", [address, db.values.engine_mode.__unknown__])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}
